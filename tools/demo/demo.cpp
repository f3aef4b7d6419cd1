// jubilant-demo: the README's main job. Today it shows the foundation end to end: test code ->
// jubilant::Juju -> CliBackend -> the subprocess plugin, loaded at run time -> a juju process.
// It grows with the cassette, fake Juju and testing-kit work (record, replay, gmock).
#include <chrono>
#include <cstdio>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

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
    fmt::print("jubilant-cpp demo\n");
    try {
        // The backend is chosen at run time: the same binary would use a recorded cassette or
        // the fake Juju given JUBILANT_BACKEND=replay:... or fake (as those plugins land).
        jubilant::Juju juju({.model = "demo", .cli_binary = JUBILANT_STAND_IN_JUJU});
        fmt::print("  backend           : {} (plugin loaded at run time)\n",
                   juju.backend()->name());

        auto start = Clock::now();
        const auto version = juju.cli({"version", "--format", "json", "--all"},
                                      {.include_model = false});
        fmt::print("  juju version      : {} bytes of JSON in {:.2f} ms\n", version.size(),
                   ms_since(start));

        start = Clock::now();
        const auto status = juju.cli({"status", "--format", "json"});
        fmt::print("  juju status       : {} bytes of JSON in {:.2f} ms\n", status.size(),
                   ms_since(start));

        try {
            juju.cli({"deploy", "postgresql"});
            fmt::print("  unexpected        : deploy succeeded against the stand-in\n");
            return 1;
        } catch (const jubilant::CLIError& e) {
            fmt::print("  failing command   : CLIError, exit status {}, stderr {:?}\n",
                       e.returncode(), e.stderr_text());
        }
        fmt::print("demo finished: 3 commands through the subprocess plugin\n");
        return 0;
    } catch (const jubilant::Error& e) {
        fmt::print(stderr, "demo failed: {}\n", e.what());
        return 1;
    }
}
