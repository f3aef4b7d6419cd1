// Compile cost of the public headers, as a charm team's test file pays it: compile/
// consumer_test.cpp (juju.hpp and testing.hpp, a mocked call, a status assertion) next to
// compile/bare_gmock_test.cpp (GoogleMock alone, the same shape), with the same compiler and
// the same flags (compile_flags.txt, written by CMake: the test build's standard, -O0 -g, and
// the include directories and definitions an installed consumer gets). Time is the compiler's
// CPU time (user + system, from wait4), so other load on the machine changes it little; but a
// shared VM that changes speed between the two sides' repetitions moves the closing ratio line
// by 20%: quote CompilePaired's median_pair_ratio (run with --benchmark_min_time=80).
// Target: consumer <= 1.3x bare.
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ratio_main.hpp"

extern char** environ;

namespace {

std::vector<std::string> flags() {
    std::vector<std::string> out;
    std::ifstream in(JUBILANT_BENCH_COMPILE_FLAGS);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) out.push_back(line);
    }
    if (out.empty()) throw std::runtime_error("no flags in " JUBILANT_BENCH_COMPILE_FLAGS);
    return out;
}

// CPU seconds the compiler spent on `source` (its object goes to /dev/null).
double compile_cpu_seconds(const char* source) {
    static const std::vector<std::string> common = flags();
    std::vector<std::string> args = common;
    args.insert(args.end(), {"-c", source, "-o", "/dev/null"});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
        throw std::runtime_error("cannot start the compiler");
    }
    int status = 0;
    rusage usage{};
    if (::wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw std::runtime_error(std::string("compiling ") + source + " failed");
    }
    const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void compile(benchmark::State& state, const char* source) {
    try {
        for (auto _ : state) state.SetIterationTime(compile_cpu_seconds(source));
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

void CompileBareGmock(benchmark::State& state) {
    compile(state, JUBILANT_BENCH_COMPILE_DIR "/bare_gmock_test.cpp");
}
void CompileConsumer(benchmark::State& state) {
    compile(state, JUBILANT_BENCH_COMPILE_DIR "/consumer_test.cpp");
}

// The same two compiles, one after the other in each iteration, and the median of the
// per-pair ratios: on a shared machine a burst of load elsewhere then lands on one pair, not
// on all the repetitions of one side (the two figures above can move 20% from run to run).
// One pair by default; --benchmark_min_time=80 gives about ten.
void CompilePaired(benchmark::State& state) {
    std::vector<double> ratios;
    try {
        for (auto _ : state) {
            const double bare =
                compile_cpu_seconds(JUBILANT_BENCH_COMPILE_DIR "/bare_gmock_test.cpp");
            const double consumer =
                compile_cpu_seconds(JUBILANT_BENCH_COMPILE_DIR "/consumer_test.cpp");
            state.SetIterationTime(bare + consumer);
            ratios.push_back(consumer / bare);
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
        return;
    }
    std::sort(ratios.begin(), ratios.end());
    state.counters["median_pair_ratio"] = ratios[ratios.size() / 2];
}

BENCHMARK(CompileBareGmock)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(CompileConsumer)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(CompilePaired)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
    return jubilant::bench::main(argc, argv, {{"CompileConsumer", "CompileBareGmock", 1.3}});
}
