// The fake Juju's two faces under load.
// - `fake-juju status --format json` on a 100-unit model, next to spawning /bin/true in the
//   same run (both with stdout to /dev/null): target <= 3x.
// - In-process throughput of the `fake` plugin over a mix of reads and writes on a small model:
//   target >= 20,000 commands/s (reported as items_per_second).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <jubilant/plugin_loader.hpp>

#include "ratio_main.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

const fs::path& data_dir() {
    static const fs::path dir = [] {
        char pattern[] = "/tmp/jubilant-fake-bench-XXXXXX";
        const char* made = ::mkdtemp(pattern);
        return fs::path(made ? made : "/tmp/jubilant-fake-bench");
    }();
    return dir;
}

// Runs argv with stdout and stderr on /dev/null; returns the exit status.
int spawn_quiet(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return -1;
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool prepare_model() {
    static const bool ready = [] {
        ::setenv("FAKE_JUJU_DATA", data_dir().c_str(), 1);
        const std::string fake = JUBILANT_FAKE_JUJU;
        bool ok = spawn_quiet({fake, "deploy", "postgresql", "-n", "50"}) == 0 &&
                  spawn_quiet({fake, "deploy", "webapp", "-n", "50"}) == 0 &&
                  spawn_quiet({fake, "integrate", "webapp", "postgresql:database"}) == 0;
        for (int i = 0; ok && i < 10; ++i) ok = spawn_quiet({fake, "status"}) == 0;
        return ok;
    }();
    return ready;
}

const std::vector<std::string> true_argv = {"/bin/true"};
const std::vector<std::string> status_argv = {JUBILANT_FAKE_JUJU, "status", "--format", "json"};

void SpawnTrue(benchmark::State& state) {
    if (!prepare_model()) return state.SkipWithError("could not prepare the model");
    for (auto _ : state) {
        if (spawn_quiet(true_argv) != 0) return state.SkipWithError("/bin/true failed");
    }
}

void FakeJujuStatus100Units(benchmark::State& state) {
    if (!prepare_model()) return state.SkipWithError("could not prepare the model");
    for (auto _ : state) {
        if (spawn_quiet(status_argv) != 0) return state.SkipWithError("fake-juju status failed");
    }
}

void PairedRatio(benchmark::State& state) {
    if (!prepare_model()) return state.SkipWithError("could not prepare the model");
    jubilant::bench::paired_ratio(
        state, "true", [] { spawn_quiet(true_argv); }, "status", [] { spawn_quiet(status_argv); });
}

jubilant::CliResult run(jubilant::CliBackend& backend, std::vector<std::string> args) {
    return backend.run(
        {.args = std::move(args), .stdin_text = {}, .temp_files = {}, .timeout = {}});
}

// A test's typical traffic: status polls dominate, with config reads and writes and unit reads.
void InProcessCommandMix(benchmark::State& state) {
    auto backend = jubilant::load_backend("fake", "{}");
    run(*backend, {"deploy", "postgresql", "-n", "2"});
    run(*backend, {"deploy", "webapp"});
    run(*backend, {"integrate", "webapp", "postgresql:database"});
    const std::vector<std::vector<std::string>> mix = {
        {"status", "--format", "json"},
        {"config", "--format", "json", "postgresql"},
        {"config", "postgresql", "profile=testing"},
        {"show-unit", "webapp/0", "--format", "json"},
        {"status", "--format", "json"},
        {"model-config", "--format", "json"},
    };
    std::size_t commands = 0;
    for (auto _ : state) {
        for (const auto& args : mix) {
            const auto result = run(*backend, args);
            if (result.returncode != 0) return state.SkipWithError(result.stderr_text.c_str());
            benchmark::DoNotOptimize(result.stdout_text.data());
        }
        commands += mix.size();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(commands));
}

BENCHMARK(SpawnTrue)->UseRealTime();
BENCHMARK(FakeJujuStatus100Units)->UseRealTime();
BENCHMARK(PairedRatio)->UseRealTime();
BENCHMARK(InProcessCommandMix)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
    const int rc =
        jubilant::bench::main(argc, argv, {{"FakeJujuStatus100Units", "SpawnTrue", 3.0}});
    std::error_code ec;
    fs::remove_all(data_dir(), ec);
    return rc;
}
