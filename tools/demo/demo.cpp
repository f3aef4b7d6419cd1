// jubilant-demo: the README's main job. Today it shows the foundation end to end: test code ->
// jubilant::Juju -> CliBackend -> the subprocess plugin, loaded at run time -> a juju process.
// It grows with the cassette, fake Juju and testing-kit work (record, replay, gmock).
#include <chrono>
#include <cstdio>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <jubilant/all_any.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/logging.hpp>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

int main() {
    jubilant::logger()->set_level(spdlog::level::warn);
    jubilant::wait_logger()->set_level(spdlog::level::warn);
    fmt::print("jubilant-cpp demo\n");
    try {
        // The backend is chosen at run time: the same binary would use a recorded cassette or
        // the fake Juju given JUBILANT_BACKEND=replay:... or fake (as those plugins land).
        jubilant::Juju juju({.model = "demo", .cli_binary = JUBILANT_STAND_IN_JUJU});
        fmt::print("  backend           : {} (plugin loaded at run time)\n",
                   juju.backend()->name());

        auto start = Clock::now();
        const jubilant::Version version = juju.version();
        fmt::print("  juju.version()    : {} ({:.2f} ms)\n", version, ms_since(start));

        start = Clock::now();
        const jubilant::Status status = juju.status();
        std::size_t units = 0;
        for (const auto& [name, app] : status.apps) units += app.units.size();
        fmt::print("  juju.status()     : model {}, {} apps, {} units ({:.2f} ms)\n",
                   status.model.name, status.apps.size(), units, ms_since(start));

        start = Clock::now();
        juju.wait(jubilant::all_active,
                  {.delay = std::chrono::milliseconds(20), .timeout = std::chrono::seconds(10)});
        fmt::print("  juju.wait()       : all_active three times in a row ({:.2f} ms)\n",
                   ms_since(start));

        try {
            juju.deploy("postgresql", {.channel = "14/stable", .num_units = 3});
            fmt::print("  unexpected        : deploy succeeded against the stand-in\n");
            return 1;
        } catch (const jubilant::CLIError& e) {
            fmt::print("  failing command   : CLIError, exit status {}, stderr {:?}\n",
                       e.returncode(), e.stderr_text());
        }
        fmt::print("demo finished: typed calls through the subprocess plugin\n");
        return 0;
    } catch (const jubilant::Error& e) {
        fmt::print(stderr, "demo failed: {}\n", e.what());
        return 1;
    }
}
