// The `fake` backend: the fake Juju engine in process. "fake" keeps the state in memory for
// this backend's lifetime; "fake:<dir>" (or config key data_dir) shares <dir>/state.db with
// fake-juju processes. Simulated time is this backend's clock, so Juju::wait never sleeps.
#include <filesystem>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include <jubilant/errors.hpp>
#include <jubilant/plugin.hpp>

#include "engine.hpp"
#include "state/store.hpp"

namespace jubilant {
namespace {

namespace fs = std::filesystem;

// Temp files never touch the disk here: argv placeholders become paths under this prefix,
// which the engine's file reader serves from the request.
constexpr std::string_view virtual_temp_dir = "/fake-juju/tmp/";

class FakeBackend;

// Simulated time as a Clock: a wait's sleep lets simulated time pass instead of real time.
class SimulatedClock final : public Clock {
public:
    explicit SimulatedClock(FakeBackend& backend) : backend_(backend) {}
    time_point now() override;
    void sleep_for(duration d) override;

private:
    FakeBackend& backend_;
};

class FakeBackend final : public CliBackend {
public:
    explicit FakeBackend(fake::EngineOptions options)
        : engine_(std::move(options)), clock_(std::make_shared<SimulatedClock>(*this)) {}

    CliResult run(const CliRequest& request) override {
        std::map<std::string, std::string> paths;
        std::map<std::string, const std::string*> contents;
        for (const TempFile& file : request.temp_files) {
            const std::string path = std::string(virtual_temp_dir) + file.name;
            paths[file.name] = path;
            contents[path] = &file.content;
        }
        const std::vector<std::string> args = substitute_temp_paths(request.args, paths);
        const fake::FileReader reader = [&](const std::string& path) -> std::optional<std::string> {
            if (const auto it = contents.find(path); it != contents.end()) return *it->second;
            if (path.starts_with(virtual_temp_dir)) return std::nullopt;
            return fake::read_disk_file(path);
        };
        const std::lock_guard lock(mutex_);
        try {
            return engine_.execute(args, reader, request.stdin_text.value_or(""));
        } catch (const fake::StoreError& e) {
            throw BackendError(fmt::format("fake: state database: {}", e.what()));
        }
    }

    std::string name() const override { return "fake"; }
    std::shared_ptr<Clock> clock() override { return clock_; }

    std::chrono::milliseconds now() {
        const std::lock_guard lock(mutex_);
        return engine_.now();
    }
    void advance(std::chrono::milliseconds by) {
        const std::lock_guard lock(mutex_);
        engine_.advance(by);
    }

private:
    std::mutex mutex_;
    fake::Engine engine_;
    std::shared_ptr<SimulatedClock> clock_;
};

Clock::time_point SimulatedClock::now() { return time_point(backend_.now()); }

void SimulatedClock::sleep_for(duration d) {
    backend_.advance(std::chrono::ceil<std::chrono::milliseconds>(d));
}

std::unique_ptr<CliBackend> create(std::string_view config_json) {
    const auto config = PluginConfig::parse("fake", config_json);
    config.reject_unknown({"data_dir", "charms_dir", "tick_ms", "strict", "juju_version"});
    fake::EngineOptions options;
    const std::string data_dir =
        config.string("target").value_or(config.string("data_dir").value_or(""));
    if (!data_dir.empty()) {
        try {
            fake::create_data_directory(data_dir);
        } catch (const fake::StoreError& e) {
            throw PluginError(fmt::format("fake: {}", e.what()));
        }
        options.database_path = (fs::path(data_dir) / "state.db").string();
    }
    if (auto dir = config.string("charms_dir")) options.charms_dir = *dir;
    options.strict = config.boolean("strict").value_or(false);
    if (auto version = config.string("juju_version")) {
        if (auto problem = fake::juju_version_problem(*version)) {
            throw PluginError(fmt::format("fake: bad config: key \"juju_version\": {}", *problem));
        }
        options.juju_version = *version;
    }
    if (auto tick = config.integer("tick_ms")) {
        if (*tick < 0) throw PluginError("fake: bad config: key \"tick_ms\" must not be negative");
        options.tick = std::chrono::milliseconds(*tick);
    }
    try {
        return std::make_unique<FakeBackend>(std::move(options));
    } catch (const fake::StoreError& e) {
        throw PluginError(fmt::format("fake: {}", e.what()));
    }
}

}  // namespace
}  // namespace jubilant

JUBILANT_DEFINE_PLUGIN(jubilant::create)
