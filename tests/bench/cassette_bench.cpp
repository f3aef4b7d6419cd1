// Cassette::load next to its floor, a plain read of the same file, in the same run.
//
// The cassette is built at start-up: 300 interactions whose stdout is a 10-unit `juju status
// --format json` document (make_status_json's shape, compacted as juju prints it, with the
// model name varied so no two are equal), saved to a temp file of about 6.4 MB, and loaded
// once to check it comes back equal (a fast wrong loader is no result). Target: loading takes
// at most 3.6 ms; the ratio to the plain read is reported alongside.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>

#include <jubilant/cassette.hpp>

#include "ratio_main.hpp"
#include "status_gen.hpp"

namespace {

namespace jc = jubilant::cassette;

const std::filesystem::path& cassette_file() {
    static const std::filesystem::path path = [] {
        jc::Cassette cassette;
        cassette.header.created = "2026-11-22T07:16:00Z";
        cassette.header.toolkit_version = "bench";
        cassette.header.recorded_from = "subprocess";
        const std::string status =
            jubilant::bench::compact_json(jubilant::bench::make_status_json(10));
        for (int i = 0; i < 300; ++i) {
            jc::Interaction in;
            in.args = {"status", "--model", "bench-" + std::to_string(i), "--format", "json"};
            std::string out = status;
            out.replace(out.find("\"bench\""), 7, "\"bench-" + std::to_string(i) + "\"");
            in.stdout_text = out + "\n";
            in.duration = std::chrono::microseconds(150000 + i);
            cassette.interactions.push_back(std::move(in));
        }
        auto file = std::filesystem::temp_directory_path() /
                    ("cassette-bench-" + std::to_string(::getpid()) + ".json");
        cassette.save(file);
        if (!(jc::Cassette::load(file) == cassette)) {
            std::fprintf(stderr, "cassette_bench: %s does not load back equal\n", file.c_str());
            std::exit(1);
        }
        std::printf("cassette: %ju bytes, %zu interactions\n",
                    static_cast<std::uintmax_t>(std::filesystem::file_size(file)),
                    cassette.interactions.size());
        return file;
    }();
    return path;
}

void PlainRead(benchmark::State& state) {
    const auto& path = cassette_file();
    for (auto _ : state) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        std::string text(static_cast<std::size_t>(std::filesystem::file_size(path)), '\0');
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = ::read(fd, text.data() + done, text.size() - done);
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        ::close(fd);
        benchmark::DoNotOptimize(text);
    }
}

void CassetteLoad(benchmark::State& state) {
    const auto& path = cassette_file();
    for (auto _ : state) {
        auto cassette = jc::Cassette::load(path);
        benchmark::DoNotOptimize(cassette);
    }
}

}  // namespace

BENCHMARK(PlainRead)->Unit(benchmark::kMillisecond);
BENCHMARK(CassetteLoad)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
    const int rc = jubilant::bench::main(argc, argv, {{"CassetteLoad", "PlainRead", 0}});
    std::filesystem::remove(cassette_file());
    return rc;
}
