// cassette::redact over a realistic 20 MB recording, next to its floor: a plain memchr scan of
// the same bytes for '\n' (what any line-oriented reader costs at least), in the same
// iterations (paired_ratio), so load elsewhere on the machine hits both alike.
//
// The recording, built at start-up, is about 20 MB in three kinds of interaction:
//   - `juju status --format json` of 400 units (make_status_json, compacted as juju prints it),
//   - `juju config APP` in YAML with 40 options, each a PEM certificate (public: kept), some
//     with sensitive names (admin-password, tls-key: redacted),
//   - `juju debug-log` lines, one in 50 logging `password=...`.
// It is redacted once first and the replacement count checked against what was planted (a
// fast wrong redactor is no result). Targets: at least 100 MB/s (counter redact_MB_per_s) and
// at most 10 times the memchr floor (counter ratio, wall clock, paired). On a loaded machine
// also read cpu_ratio and redact_cpu_MB_per_s: the same comparison in thread CPU time.
//
// The detector walks a text's JSON or YAML structure only where a word that can make a key
// sensitive occurs (word_finder.hpp); the status documents juju prints hold none. A second
// benchmark, RedactRecordingStatusWithAKeyWord, names the model "keystone" in every status
// document, so each one is walked: the cost for output that mentions such a word anywhere
// (report only; the targets are the first benchmark's).
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <jubilant/cassette.hpp>

#include "ratio_main.hpp"
#include "status_gen.hpp"

namespace {

namespace jc = jubilant::cassette;

constexpr const char* certificate_lines[] = {
    "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ",
    "RTESMBAGA1UEChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0MSIwIAYD",
    "VQQDExlCYWx0aW1vcmUgQ3liZXJUcnVzdCBSb290MB4XDTAwMDUxMjE4NDYwMFoX",
    "DTI1MDUxMjIzNTkwMFowWjELMAkGA1UEBhMCSUUxEjAQBgNVBAoTCUJhbHRpbW9y",
};

std::string config_yaml(int app) {
    std::string out = fmt::format("application: app-{0}\ncharm: app-{0}\nsettings:\n", app);
    for (int option = 0; option < 40; ++option) {
        const bool sensitive = option % 10 == 0;
        out += fmt::format(
            "  {}-{}:\n    description: Option {} of the charm.\n    source: user\n"
            "    type: string\n    value: |\n      -----BEGIN CERTIFICATE-----\n",
            sensitive ? "tls-key" : "ca-cert", option, option);
        for (int line = 0; line < 24; ++line) {
            out += fmt::format("      {}\n", certificate_lines[line % 4]);
        }
        out += "      -----END CERTIFICATE-----\n";
    }
    out += fmt::format("  admin-password:\n    type: string\n    value: bench-{}-password\n", app);
    return out;
}

std::string debug_log(int chunk) {
    std::string out;
    for (int line = 0; line < 2000; ++line) {
        if (line % 50 == 0) {
            out += fmt::format(
                "unit-app-{}-0: 12:00:{:02} DEBUG unit.app/0.juju-log connecting "
                "with password=bench-{}-{} to db\n",
                chunk, line % 60, chunk, line);
        } else {
            out += fmt::format(
                "unit-app-{}-0: 12:00:{:02} INFO juju.worker.uniter.operation ran "
                "\"update-status\" hook (via hook dispatching script: dispatch)\n",
                chunk, line % 60);
        }
    }
    return out;
}

struct Recording {
    std::vector<jc::Interaction> interactions;
    std::size_t bytes = 0;
    std::int64_t planted = 0;  // replacements a correct redactor makes
};

/// The recording; with `key_word`, its status documents mention "key" (the model is named
/// keystone), which holds no secret but makes the detector walk every one of them.
Recording make_recording(bool key_word) {
    Recording out;
    std::string status = jubilant::bench::compact_json(jubilant::bench::make_status_json(400));
    if (key_word) {
        const std::string_view name = R"("name":"bench")";
        status.replace(status.find(name), name.size(), R"("name":"keystone")");
    }
    auto add = [&](std::vector<std::string> args, std::string text) {
        out.bytes += text.size();
        jc::Interaction i;
        i.args = std::move(args);
        i.stdout_text = std::move(text);
        out.interactions.push_back(std::move(i));
    };
    int n = 0;
    while (out.bytes < 20'000'000) {
        add({"status", "--format", "json"}, status);
        // tls-key-0, -10, -20, -30: description, source, type and 26 block lines each;
        // admin-password: type and value.
        add({"config", fmt::format("app-{}", n)}, config_yaml(n));
        out.planted += 4 * (3 + 26) + 2;
        add({"debug-log", "--replay"}, debug_log(n));
        out.planted += 2000 / 50;
        ++n;
    }
    return out;
}

const Recording& recording(bool key_word) {
    if (key_word) {
        static const Recording mentioned = make_recording(true);
        return mentioned;
    }
    static const Recording plain = make_recording(false);
    return plain;
}

std::int64_t redact_all(const Recording& r) {
    std::int64_t count = 0;
    for (const auto& i : r.interactions) benchmark::DoNotOptimize(jc::redact(i, {}, &count));
    return count;
}

std::size_t memchr_lines(const Recording& r) {
    std::size_t lines = 0;
    for (const auto& i : r.interactions) {
        const char* p = i.stdout_text.data();
        const char* end = p + i.stdout_text.size();
        while ((p = static_cast<const char*>(
                    std::memchr(p, '\n', static_cast<std::size_t>(end - p))))) {
            ++lines;
            ++p;
        }
    }
    return lines;
}

double thread_cpu_seconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void redact_recording(benchmark::State& state, bool key_word) {
    const auto& r = recording(key_word);
    const auto count = redact_all(r);
    if (count != r.planted) {
        const auto message = fmt::format("redacted {} values, planted {}", count, r.planted);
        state.SkipWithError(message.c_str());
        return;
    }
    jubilant::bench::paired_ratio(
        state, "memchr", [&] { benchmark::DoNotOptimize(memchr_lines(r)); }, "redact",
        [&] { benchmark::DoNotOptimize(redact_all(r)); });
    // On a shared machine the wall-clock ratio mostly measures who else was running: the
    // thread's CPU time of each side, over a few more rounds, is the fairer figure.
    double floor_cpu = 0;
    double redact_cpu = 0;
    for (int round = 0; round < 5; ++round) {
        const double t0 = thread_cpu_seconds();
        benchmark::DoNotOptimize(memchr_lines(r));
        const double t1 = thread_cpu_seconds();
        benchmark::DoNotOptimize(redact_all(r));
        const double t2 = thread_cpu_seconds();
        floor_cpu += t1 - t0;
        redact_cpu += t2 - t1;
    }
    const double mb = static_cast<double>(r.bytes) / 1e6;
    state.counters["cpu_ratio"] = redact_cpu / floor_cpu;
    state.counters["redact_cpu_MB_per_s"] = mb * 5 / redact_cpu;
    if (state.counters.count("redact_us")) {
        state.counters["redact_MB_per_s"] = mb / (state.counters["redact_us"].value / 1e6);
        state.counters["memchr_MB_per_s"] = mb / (state.counters["memchr_us"].value / 1e6);
    }
    state.counters["MB"] = mb;
}

}  // namespace

void RedactRecording(benchmark::State& state) { redact_recording(state, false); }
void RedactRecordingStatusWithAKeyWord(benchmark::State& state) { redact_recording(state, true); }

BENCHMARK(RedactRecording)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(RedactRecordingStatusWithAKeyWord)->Unit(benchmark::kMillisecond)->UseRealTime();

int main(int argc, char** argv) {
    // paired_ratio reports its own ratio counter; nothing for the reporter to pair.
    return jubilant::bench::main(argc, argv, {});
}
