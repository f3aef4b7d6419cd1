// One subprocess-plugin call of a trivial stub, next to the floor: a raw posix_spawn + waitpid
// of the same stub in the same run. Target: the plugin call within 1.1x of the floor. The
// PairedRatio row's "ratio" counter is the robust figure; the summary line compares the two
// separate rows.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include <benchmark/benchmark.h>

#include <jubilant/plugin_loader.hpp>

#include "ratio_main.hpp"

namespace {

const char* const stub = JUBILANT_BENCH_STUB;
void RawPosixSpawn(benchmark::State& state) {
    char* argv[] = {const_cast<char*>(stub), const_cast<char*>("version"), nullptr};
    for (auto _ : state) {
        pid_t pid = -1;
        if (::posix_spawn(&pid, stub, nullptr, nullptr, argv, environ) != 0) {
            state.SkipWithError("posix_spawn failed");
            break;
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
    }
}

void SubprocessPluginCall(benchmark::State& state) {
    auto backend = jubilant::load_backend(std::string("subprocess:") + stub);
    const jubilant::CliRequest request{.args = {"version"}};
    for (auto _ : state) {
        auto result = backend->run(request);
        benchmark::DoNotOptimize(result);
    }
}

void PairedRatio(benchmark::State& state) {
    auto backend = jubilant::load_backend(std::string("subprocess:") + stub);
    const jubilant::CliRequest request{.args = {"version"}};
    char* argv[] = {const_cast<char*>(stub), const_cast<char*>("version"), nullptr};
    jubilant::bench::paired_ratio(
        state, "floor",
        [&] {
            pid_t pid = -1;
            if (::posix_spawn(&pid, stub, nullptr, nullptr, argv, environ) != 0) {
                state.SkipWithError("posix_spawn failed");
                return;
            }
            int status = 0;
            ::waitpid(pid, &status, 0);
        },
        "plugin",
        [&] {
            auto result = backend->run(request);
            benchmark::DoNotOptimize(result);
        });
}

}  // namespace

BENCHMARK(RawPosixSpawn)->UseRealTime();
BENCHMARK(SubprocessPluginCall)->UseRealTime();
BENCHMARK(PairedRatio)->UseRealTime();

int main(int argc, char** argv) {
    return jubilant::bench::main(argc, argv, {{"SubprocessPluginCall", "RawPosixSpawn", 1.10}});
}
