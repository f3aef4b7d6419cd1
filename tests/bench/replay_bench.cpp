// Record/replay costs.
//
// Record overhead: one record-plugin call wrapping the subprocess plugin, next to a plain
// subprocess-plugin call of the same trivial stub in the same run. Target: within 1.05x. The
// recording appends one fsynced journal line per call, so the figure depends on the disk; the
// PairedRatio row's "ratio" counter is the robust figure.
//
// Replay throughput: a 10,000-interaction cassette replayed end to end (load included and
// excluded), reported as interactions per second. Ordered matching makes each lookup O(1); the
// unordered row shows the cost of scanning for the first unplayed match.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include <benchmark/benchmark.h>

#include <jubilant/cassette.hpp>
#include <jubilant/plugin_loader.hpp>
#include <jubilant/recorder.hpp>

#include "ratio_main.hpp"

namespace {

namespace fs = std::filesystem;

const char* const stub = JUBILANT_BENCH_STUB;

// A directory of the bench's own, removed at exit.
struct BenchDir {
    BenchDir() {
        std::string tmpl = (fs::temp_directory_path() / "jubilant-replay-bench-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) std::perror("mkdtemp");
        path = tmpl;
    }
    ~BenchDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    fs::path path;
};

BenchDir& bench_dir() {
    static BenchDir dir;
    return dir;
}

std::string binary_config() { return std::string(R"({"cli_binary": ")") + stub + "\"}"; }

std::shared_ptr<jubilant::CliBackend> record_backend(const std::string& name) {
    return jubilant::load_backend("record:" + (bench_dir().path / name).string(), binary_config());
}

void SubprocessPluginCall(benchmark::State& state) {
    auto backend = jubilant::load_backend(std::string("subprocess:") + stub);
    const jubilant::CliRequest request{.args = {"version"}};
    for (auto _ : state) {
        auto result = backend->run(request);
        benchmark::DoNotOptimize(result);
    }
}

void RecordPluginCall(benchmark::State& state) {
    auto backend = record_backend("record-call.json");
    const jubilant::CliRequest request{.args = {"version"}};
    for (auto _ : state) {
        auto result = backend->run(request);
        benchmark::DoNotOptimize(result);
    }
}

void PairedRatio(benchmark::State& state) {
    auto plain = jubilant::load_backend(std::string("subprocess:") + stub);
    auto recorded = record_backend("paired.json");
    const jubilant::CliRequest request{.args = {"version"}};
    jubilant::bench::paired_ratio(
        state, "subprocess",
        [&] {
            auto result = plain->run(request);
            benchmark::DoNotOptimize(result);
        },
        "record",
        [&] {
            auto result = recorded->run(request);
            benchmark::DoNotOptimize(result);
        });
}

constexpr std::size_t cassette_size = 10'000;

// 10,000 status polls and commands with realistic-sized JSON output.
const fs::path& big_cassette() {
    static const fs::path path = [] {
        jubilant::cassette::Cassette c;
        c.header.created = "2026-01-01T00:00:00Z";
        c.header.toolkit_version = "bench";
        c.header.recorded_from = "bench";
        std::string status = R"({"model": {"name": "m"}, "applications": {"pg": {)"
                             R"("application-status": {"current": "active"}}}})";
        for (std::size_t i = 0; i < cassette_size; ++i) {
            jubilant::cassette::Interaction it;
            it.args = i % 10 == 9 ? std::vector<std::string>{"exec", "--unit", "pg/0",
                                                             "--",   "echo",   std::to_string(i)}
                                  : std::vector<std::string>{"status", "--format", "json"};
            it.stdout_text = status;
            it.duration = std::chrono::milliseconds(400);
            c.interactions.push_back(std::move(it));
        }
        const fs::path p = bench_dir().path / "big.json";
        c.save(p);
        return p;
    }();
    return path;
}

std::vector<jubilant::CliRequest> big_requests() {
    std::vector<jubilant::CliRequest> requests;
    for (std::size_t i = 0; i < cassette_size; ++i) {
        requests.push_back({.args = i % 10 == 9
                                        ? std::vector<std::string>{"exec", "--unit", "pg/0", "--",
                                                                   "echo", std::to_string(i)}
                                        : std::vector<std::string>{"status", "--format", "json"}});
    }
    return requests;
}

void replay_all(benchmark::State& state, bool include_load, bool ordered) {
    const fs::path& path = big_cassette();
    const auto requests = big_requests();
    for (auto _ : state) {
        if (!include_load) state.PauseTiming();
        jubilant::Recorder recorder(
            path, {.mode = jubilant::RecordMode::none, .match = {.ordered = ordered}});
        if (!include_load) state.ResumeTiming();
        for (const auto& request : requests) {
            auto result = recorder.run(request);
            benchmark::DoNotOptimize(result);
        }
    }
    state.counters["interactions_per_s"] = benchmark::Counter(
        static_cast<double>(state.iterations() * cassette_size), benchmark::Counter::kIsRate);
}

void ReplayThroughput(benchmark::State& state) { replay_all(state, false, true); }
void ReplayThroughputWithLoad(benchmark::State& state) { replay_all(state, true, true); }
void ReplayThroughputUnordered(benchmark::State& state) { replay_all(state, false, false); }

}  // namespace

BENCHMARK(SubprocessPluginCall)->UseRealTime();
BENCHMARK(RecordPluginCall)->UseRealTime();
BENCHMARK(PairedRatio)->UseRealTime();
BENCHMARK(ReplayThroughput)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(ReplayThroughputWithLoad)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(ReplayThroughputUnordered)->UseRealTime()->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
    return jubilant::bench::main(argc, argv, {{"RecordPluginCall", "SubprocessPluginCall", 1.05}});
}
