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

#include <jubilant/pretty.hpp>
#include <jubilant/statustypes.hpp>

#include "ratio_main.hpp"

namespace {

// Same shape and key order as gen_status.py: `units_per_app` units per application, one
// machine per unit.
std::string make_status_json(int n_units, int units_per_app = 50) {
    const int n_apps = n_units <= 0 ? 1 : (n_units + units_per_app - 1) / units_per_app;
    std::string machines;
    std::string apps;
    int u = 0;
    for (int a = 0; a < n_apps; ++a) {
        const std::string name = fmt::format("app-{}", a);
        std::string units;
        const int count = std::min(units_per_app, n_units - u);
        for (int i = 0; i < count; ++i, ++u) {
            const std::string ip = fmt::format("10.0.{}.{}", u / 250, u % 250);
            if (u > 0) machines += ", ";
            fmt::format_to(
                std::back_inserter(machines),
                R"("{0}": {{"juju-status": {{"current": "started", "since": "24 Feb 2025 )"
                R"(12:03:18+13:00", "version": "3.6.1"}}, "hostname": "juju-{0}", "dns-name": )"
                R"("{1}", "ip-addresses": ["{1}"], "instance-id": "juju-abc-{0}", )"
                R"("machine-status": {{"current": "running", "message": "Running", "since": )"
                R"("24 Feb 2025 12:02:57+13:00"}}, "modification-status": {{"current": "idle", )"
                R"("since": "24 Feb 2025 12:02:57+13:00"}}, "base": {{"name": "ubuntu", )"
                R"("channel": "22.04"}}, "network-interfaces": {{"eth0": {{"ip-addresses": )"
                R"(["{1}"], "mac-address": "00:16:3e:aa:bb:cc", "gateway": "10.0.0.1", )"
                R"("is-up": true}}}}, "hardware": "arch=amd64 cores=2 mem=4096M"}})",
                u, ip);
            if (i > 0) units += ", ";
            fmt::format_to(
                std::back_inserter(units),
                R"("{0}/{1}": {{"workload-status": {{"current": "active", "message": "ready", )"
                R"("since": "24 Feb 2025 12:03:17+13:00"}}, "juju-status": {{"current": )"
                R"("idle", "since": "24 Feb 2025 12:03:18+13:00", "version": "3.6.1"}}, )"
                R"("leader": {2}, "machine": "{3}", "open-ports": ["80/tcp", "443/tcp"], )"
                R"("public-address": "{4}", "address": "{4}"}})",
                name, i, i == 0 ? "true" : "false", u, ip);
        }
        if (a > 0) apps += ", ";
        fmt::format_to(
            std::back_inserter(apps),
            R"("{0}": {{"charm": "{0}", "base": {{"name": "ubuntu", "channel": "22.04"}}, )"
            R"("charm-origin": "charmhub", "charm-name": "{0}", "charm-rev": 42, )"
            R"("charm-channel": "latest/stable", "exposed": false, "application-status": )"
            R"({{"current": "active", "message": "ready", "since": "24 Feb 2025 )"
            R"(12:03:17+13:00"}}, "relations": {{"peers": [{{"related-application": "{0}", )"
            R"("interface": "peers", "scope": "global"}}]}}, "units": {{{1}}}, "version": )"
            R"("1.2.3", "endpoint-bindings": {{"": "alpha", "peers": "alpha"}}}})",
            name, units);
    }
    return fmt::format(
        R"({{"model": {{"name": "bench", "type": "iaas", "controller": "ctl", "cloud": "lxd", )"
        R"("region": "localhost", "version": "3.6.1", "model-status": {{"current": )"
        R"("available", "since": "24 Feb 2025 12:02:57+13:00"}}, "sla": "unsupported"}}, )"
        R"("machines": {{{}}}, "applications": {{{}}}, "storage": {{}}, "controller": )"
        R"({{"timestamp": "12:03:20+13:00"}}}})",
        machines, apps);
}

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
BENCHMARK(GronLines)->Apply(sizes);

int main(int argc, char** argv) {
    return jubilant::bench::main(argc, argv,
                                 {{"StatusFromJson/10", "DomParse/10", 0},
                                  {"StatusFromJson/1000", "DomParse/1000", 0},
                                  {"StatusFromJson/10000", "DomParse/10000", 4.0},
                                  {"StatusFromJsonExcludingFree/10000", "DomParse/10000", 0}});
}
