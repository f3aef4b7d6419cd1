// jubilant-demo: the README's main job. It records a session through the record plugin (which
// runs a stand-in juju through the subprocess plugin), replays the cassette offline through the
// replay plugin, checks both gave the same answers, and prints a summary. Every backend is a
// plugin loaded at run time. The fake Juju and the gmock part join as those issues land.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <jubilant/all_any.hpp>
#include <jubilant/cassette.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/logging.hpp>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// What one pass of the session saw, to compare recording with replay.
struct Session {
    std::string version;
    std::string model;
    std::size_t apps = 0;
    std::size_t units = 0;
    int deploy_exit = 0;
    double ms = 0;
};

Session run_session(jubilant::Juju& juju) {
    const auto start = Clock::now();
    Session seen;
    seen.version = fmt::format("{}", juju.version());
    const jubilant::Status status = juju.status();
    seen.model = status.model.name;
    seen.apps = status.apps.size();
    for (const auto& [name, app] : status.apps) seen.units += app.units.size();
    juju.wait(jubilant::all_active,
              {.delay = std::chrono::milliseconds(20), .timeout = std::chrono::seconds(10)});
    try {
        juju.deploy("postgresql", {.channel = "14/stable", .num_units = 3});
    } catch (const jubilant::CLIError& e) {
        seen.deploy_exit = e.returncode();
    }
    seen.ms = ms_since(start);
    return seen;
}

std::filesystem::path cassette_path() {
    if (const char* dir = std::getenv("JUBILANT_DEMO_DIR"); dir && *dir) {
        return std::filesystem::path(dir) / "demo-session.json";
    }
    return std::filesystem::temp_directory_path() / "jubilant-demo-session.json";
}

}  // namespace

int main() {
    jubilant::logger()->set_level(spdlog::level::warn);
    jubilant::wait_logger()->set_level(spdlog::level::warn);
    fmt::print("jubilant-cpp demo\n");
    try {
        const auto cassette = cassette_path();
        std::filesystem::remove(cassette);

        // 1. Record: version, status, wait(all_active), a deploy the stand-in refuses.
        Session recorded;
        {
            jubilant::Juju juju({.model = "demo",
                                 .cli_binary = JUBILANT_STAND_IN_JUJU,
                                 .backend = "record:" + cassette.string()});
            recorded = run_session(juju);
        }
        const auto loaded = jubilant::cassette::Cassette::load(cassette);
        fmt::print("  record            : {} interactions via {} in {:.1f} ms -> {}\n",
                   loaded.interactions.size(), loaded.header.recorded_from, recorded.ms,
                   cassette.string());

        // 2. Replay offline: no juju binary involved; wait() runs on the cassette's virtual time.
        jubilant::Juju replay({.model = "demo", .backend = "replay:" + cassette.string()});
        const Session replayed = run_session(replay);
        fmt::print("  replay            : same session in {:.2f} ms ({:.0f}x faster)\n",
                   replayed.ms, replayed.ms > 0 ? recorded.ms / replayed.ms : 0.0);

        fmt::print("  juju.version()    : {}\n", replayed.version);
        fmt::print("  juju.status()     : model {}, {} apps, {} units\n", replayed.model,
                   replayed.apps, replayed.units);
        fmt::print("  juju.wait()       : all_active three times in a row\n");
        fmt::print("  juju.deploy()     : CLIError, exit status {} (recorded and replayed)\n",
                   replayed.deploy_exit);

        const bool same = recorded.version == replayed.version &&
                          recorded.model == replayed.model && recorded.apps == replayed.apps &&
                          recorded.units == replayed.units &&
                          recorded.deploy_exit == replayed.deploy_exit;
        if (!same) {
            fmt::print(stderr, "demo failed: the replay differs from the recording\n");
            return 1;
        }
        fmt::print("demo finished: recorded and replayed sessions agree\n");
        return 0;
    } catch (const jubilant::Error& e) {
        fmt::print(stderr, "demo failed: {}\n", e.what());
        return 1;
    }
}
