// Status::from_json next to its floor, a bare simdjson DOM parse of the same bytes, in the same
// run. Target: at 10,000 units the typed parse takes at most 4x the bare parse.
//
// The documents come from make_status_json(), a C++ port of /work/shared/tools/gen_status.py
// that writes byte-for-byte the same JSON (Python's json.dump layout), so numbers from either
// generator are comparable. The 10,000-unit document is about 10 MB and is built at start-up
// rather than committed.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <simdjson.h>

#include "print/pretty.hpp"
#include <jubilant/statustypes.hpp>

#include "ratio_main.hpp"
#include "status_gen.hpp"

namespace {

using jubilant::bench::make_status_json;

// Built once per size and shared by every benchmark of that size.
const std::string& document(int n_units) {
    static std::map<int, std::string> cache;
    auto found = cache.find(n_units);
    if (found == cache.end()) found = cache.emplace(n_units, make_status_json(n_units)).first;
    return found->second;
}

void DomParse(benchmark::State& state) {
    const std::string& json = document(static_cast<int>(state.range(0)));
    simdjson::dom::parser parser;  // reused across iterations, as from_json reuses its own
    for (auto _ : state) {
        simdjson::dom::element root;
        if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
            state.SkipWithError("simdjson rejected the generated document");
            break;
        }
        benchmark::DoNotOptimize(root);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
}

void StatusFromJson(benchmark::State& state) {
    const std::string& json = document(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto status = jubilant::Status::from_json(json);
        benchmark::DoNotOptimize(status);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
}

// Not part of the target: the same parse with the result freed outside the timed region, to
// show how much of StatusFromJson is the destruction of the previous result.
void StatusFromJsonExcludingFree(benchmark::State& state) {
    const std::string& json = document(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto status = std::make_unique<jubilant::Status>(jubilant::Status::from_json(json));
        benchmark::DoNotOptimize(status);
        state.PauseTiming();
        status.reset();
        state.ResumeTiming();
    }
}

// Not part of the target: copying an already parsed Status and freeing the copy, i.e. only
// the allocation, string copying and freeing that any Status of this shape costs, with no JSON
// involved. DomParse plus this is a floor for StatusFromJson with the public types as they are.
void StatusCopyAndFree(benchmark::State& state) {
    const auto parsed = jubilant::Status::from_json(document(static_cast<int>(state.range(0))));
    for (auto _ : state) {
        auto copy = parsed;
        benchmark::DoNotOptimize(copy);
    }
}

// Not part of the target; shows what Juju::wait pays per poll to log a status diff.
void GronLines(benchmark::State& state) {
    const auto status = jubilant::Status::from_json(document(static_cast<int>(state.range(0))));
    for (auto _ : state) {
        auto lines = jubilant::gron_lines(status);
        benchmark::DoNotOptimize(lines);
    }
}

// 10 units: a small model; 1,000: a large one; 10,000: the target size.
void sizes(benchmark::internal::Benchmark* bench) {
    bench->Arg(10)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
}

}  // namespace

BENCHMARK(DomParse)->Apply(sizes);
BENCHMARK(StatusFromJson)->Apply(sizes);
BENCHMARK(StatusFromJsonExcludingFree)->Apply(sizes);
BENCHMARK(StatusCopyAndFree)->Apply(sizes);
BENCHMARK(GronLines)->Apply(sizes);

int main(int argc, char** argv) {
    return jubilant::bench::main(argc, argv,
                                 {{"StatusFromJson/10", "DomParse/10", 0},
                                  {"StatusFromJson/1000", "DomParse/1000", 0},
                                  {"StatusFromJson/10000", "DomParse/10000", 4.0},
                                  {"StatusFromJsonExcludingFree/10000", "DomParse/10000", 0},
                                  {"StatusCopyAndFree/10000", "DomParse/10000", 0}});
}
