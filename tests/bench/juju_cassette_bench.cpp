// juju-cassette's per-call overhead, as `juju` on a client's PATH, next to spawning /bin/true
// in the same run (all with stdout and stderr on /dev/null):
// - replay of `juju status --format json` from a 40-interaction cassette (the status stream
//   repeats its last interaction, so every iteration is a full replay: lock, replay index read
//   and checked, session state read and written, output), served by the front end: target
//   <= 3x;
// - the same replay by the full tool (the front end runs it when it cannot answer, e.g. on a
//   cassette's first replay; JUJU_CASSETTE_LOG_LEVEL sends every call there): reported only;
// - recording the same call in front of a trivial real juju (bench_stub): reported only.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <jubilant/cassette.hpp>

#include "ratio_main.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
namespace jc = jubilant::cassette;

const fs::path& work_dir() {
    static const fs::path dir = [] {
        char pattern[] = "/tmp/jubilant-shim-bench-XXXXXX";
        const char* made = ::mkdtemp(pattern);
        return fs::path(made ? made : "/tmp/jubilant-shim-bench");
    }();
    return dir;
}

fs::path replay_cassette() { return work_dir() / "replay.json"; }
fs::path record_cassette() { return work_dir() / "record.json"; }

// The environment the client would give juju: its own plus the shim's variables.
std::vector<std::string> environment(const fs::path& cassette, const std::string& mode,
                                     bool full_tool = false) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string_view entry(*e);
        if (!entry.starts_with("JUJU_CASSETTE") && !entry.starts_with("JUBILANT_RECORD_MODE")) {
            env.emplace_back(entry);
        }
    }
    env.push_back("JUJU_CASSETTE=" + cassette.string());
    env.push_back("JUBILANT_RECORD_MODE=" + mode);
    env.push_back("JUJU_CASSETTE_REAL_JUJU=" JUBILANT_BENCH_STUB);
    env.push_back("JUJU_CASSETTE_ON_EXHAUSTED=repeat_last");
    env.push_back("JUJU_CASSETTE_SESSION=bench");
    if (full_tool) env.push_back("JUJU_CASSETTE_LOG_LEVEL=off");
    return env;
}

// Runs argv with stdout and stderr on /dev/null; returns the exit status.
int spawn_quiet(const std::vector<std::string>& args, const std::vector<std::string>* env) {
    std::vector<char*> argv, envp;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (env != nullptr) {
        for (const auto& e : *env) envp.push_back(const_cast<char*>(e.c_str()));
        envp.push_back(nullptr);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(),
                                 env != nullptr ? envp.data() : environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return -1;
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const std::vector<std::string> true_argv = {"/bin/true"};
const std::vector<std::string> shim_argv = {JUBILANT_JUJU_CASSETTE, "status", "--format", "json"};

// A cassette shaped like a short test: 39 other commands and one status, whose output is a
// 20-unit status document.
bool prepare() {
    static const bool ready = [] {
        jc::Cassette cassette;
        cassette.header.created = "2026-12-05T00:00:00Z";
        cassette.header.toolkit_version = "bench";
        cassette.header.recorded_from = "subprocess";
        for (int i = 0; i < 39; ++i) {
            jc::Interaction other;
            other.args = {"config", "--model", "m", "app" + std::to_string(i), "k=v"};
            cassette.interactions.push_back(other);
        }
        std::string units;
        for (int i = 0; i < 20; ++i) {
            units += (i ? "," : "") + std::string("\"app/") + std::to_string(i) +
                     "\":{\"workload-status\":{\"current\":\"active\"}}";
        }
        jc::Interaction status;
        status.args = {"status", "--format", "json"};
        status.stdout_text = "{\"applications\":{\"app\":{\"units\":{" + units + "}}}}\n";
        cassette.interactions.push_back(status);
        cassette.save(replay_cassette());
        // The first replay is the full tool's, which writes the replay index.
        static const auto env = environment(replay_cassette(), "none");
        return spawn_quiet(shim_argv, &env) == 0;
    }();
    return ready;
}

void SpawnTrue(benchmark::State& state) {
    for (auto _ : state) {
        if (spawn_quiet(true_argv, nullptr) != 0) return state.SkipWithError("/bin/true failed");
    }
}

void ShimReplay(benchmark::State& state) {
    if (!prepare()) return state.SkipWithError("juju-cassette could not replay");
    const auto env = environment(replay_cassette(), "none");
    for (auto _ : state) {
        if (spawn_quiet(shim_argv, &env) != 0) return state.SkipWithError("replay failed");
    }
}

void ShimReplayFullTool(benchmark::State& state) {
    if (!prepare()) return state.SkipWithError("juju-cassette could not replay");
    const auto env = environment(replay_cassette(), "none", true);
    for (auto _ : state) {
        if (spawn_quiet(shim_argv, &env) != 0) return state.SkipWithError("replay failed");
    }
}

void ShimRecord(benchmark::State& state) {
    const auto env = environment(record_cassette(), "all");
    for (auto _ : state) {
        if (spawn_quiet(shim_argv, &env) != 0) return state.SkipWithError("record failed");
    }
}

void PairedReplayRatio(benchmark::State& state) {
    if (!prepare()) return state.SkipWithError("juju-cassette could not replay");
    const auto env = environment(replay_cassette(), "none");
    jubilant::bench::paired_ratio(
        state, "true", [] { spawn_quiet(true_argv, nullptr); }, "replay",
        [&] { spawn_quiet(shim_argv, &env); });
}

BENCHMARK(SpawnTrue)->UseRealTime();
BENCHMARK(ShimReplay)->UseRealTime();
BENCHMARK(ShimReplayFullTool)->UseRealTime();
BENCHMARK(ShimRecord)->UseRealTime();
BENCHMARK(PairedReplayRatio)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
    const int rc = jubilant::bench::main(argc, argv,
                                         {{"ShimReplay", "SpawnTrue", 3.0},
                                          {"ShimReplayFullTool", "SpawnTrue", 0},
                                          {"ShimRecord", "SpawnTrue", 0}});
    std::error_code ec;
    fs::remove_all(work_dir(), ec);
    return rc;
}
