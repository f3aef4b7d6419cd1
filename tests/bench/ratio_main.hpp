// Benchmarks here are reported as ratios against a floor measured in the same run, never as
// absolute times. jubilant::bench::main runs the registered benchmarks and then prints, for
// each (subject, floor, target) triple, a line such as
//   ratio SubprocessPluginCall / RawPosixSpawn = 1.08 (target <= 1.10)
// taking the median when --benchmark_repetitions is given, else the single run.
#pragma once

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

namespace jubilant::bench {

struct Ratio {
    std::string subject;  ///< benchmark name (prefix match, e.g. "StatusFromJson/10000")
    std::string floor;
    double target = 0;  ///< 0: report only
};

class RatioReporter : public benchmark::ConsoleReporter {
public:
    explicit RatioReporter(std::vector<Ratio> ratios) : ratios_(std::move(ratios)) {}

    void ReportRuns(const std::vector<Run>& runs) override {
        for (const auto& run : runs) {
            const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
            const auto name = run.run_name.str();
            if (run.run_type == Run::RT_Iteration && !seen_median_.count(name)) {
                times_[name] = run.GetAdjustedRealTime();
            } else if (median) {
                times_[name] = run.GetAdjustedRealTime();
                seen_median_[name] = true;
            }
        }
        ConsoleReporter::ReportRuns(runs);
    }

    void Finalize() override {
        ConsoleReporter::Finalize();
        for (const auto& ratio : ratios_) {
            const auto subject = find(ratio.subject);
            const auto floor = find(ratio.floor);
            if (!subject || !floor || *floor <= 0) {
                std::printf("ratio %s / %s = n/a (not run)\n", ratio.subject.c_str(),
                            ratio.floor.c_str());
                continue;
            }
            const double value = *subject / *floor;
            if (ratio.target > 0) {
                std::printf("ratio %s / %s = %.3f (target <= %.2f: %s)\n", ratio.subject.c_str(),
                            ratio.floor.c_str(), value, ratio.target,
                            value <= ratio.target ? "met" : "NOT met");
            } else {
                std::printf("ratio %s / %s = %.3f\n", ratio.subject.c_str(), ratio.floor.c_str(),
                            value);
            }
        }
        std::fflush(stdout);
    }

private:
    // Run names carry suffixes such as "/min_time:1.000/real_time"; match on whole segments.
    const double* find(const std::string& name) const {
        for (const auto& [run, time] : times_) {
            const bool prefix = run.compare(0, name.size(), name) == 0;
            if (prefix && (run.size() == name.size() || run[name.size()] == '/')) return &time;
        }
        return nullptr;
    }

    std::vector<Ratio> ratios_;
    std::map<std::string, double> times_;
    std::map<std::string, bool> seen_median_;
};

/// Runs `floor` then `subject` once in every iteration, so load from elsewhere on the machine
/// lands on both alike, and reports the mean time of each (counters "<name>_us") and the ratio
/// of the two sums (counter "ratio"): the figure to quote on a busy machine.
template <typename Floor, typename Subject>
void paired_ratio(benchmark::State& state, const char* floor_name, Floor&& floor,
                  const char* subject_name, Subject&& subject) {
    using Clock = std::chrono::steady_clock;
    Clock::duration floor_total{}, subject_total{};
    for (auto _ : state) {
        const auto t0 = Clock::now();
        floor();
        const auto t1 = Clock::now();
        subject();
        const auto t2 = Clock::now();
        floor_total += t1 - t0;
        subject_total += t2 - t1;
    }
    if (state.iterations() == 0 || floor_total.count() == 0) return;
    const auto n = static_cast<double>(state.iterations());
    const auto us = [n](Clock::duration d) {
        return std::chrono::duration<double, std::micro>(d).count() / n;
    };
    state.counters[std::string(floor_name) + "_us"] = us(floor_total);
    state.counters[std::string(subject_name) + "_us"] = us(subject_total);
    state.counters["ratio"] =
        static_cast<double>(subject_total.count()) / static_cast<double>(floor_total.count());
}

inline int main(int argc, char** argv, std::vector<Ratio> ratios) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    RatioReporter reporter(std::move(ratios));
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}

}  // namespace jubilant::bench
