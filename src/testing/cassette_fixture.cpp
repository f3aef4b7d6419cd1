// Per-test cassettes (see testing/cassette_fixture.hpp).
#include <jubilant/testing/cassette_fixture.hpp>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <functional>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <jubilant/errors.hpp>
#include <jubilant/logging.hpp>
#include <jubilant/plugin_loader.hpp>

namespace jubilant::testing {
namespace {

namespace fs = std::filesystem;

const char* env_value(const char* name) {
    const char* value = std::getenv(name);
    return (value && *value) ? value : nullptr;
}

// Where the mode came from, for error messages that tell the reader what to change.
std::string mode_origin(const CassetteOptions& options) {
    if (options.mode) return "from CassetteOptions::mode";
    if (env_value(record_mode_env)) return fmt::format("from ${}", record_mode_env);
    return fmt::format("the default; ${} is unset", record_mode_env);
}

// The backend that really runs commands when recording: what Juju(JujuOptions) would load.
std::function<std::shared_ptr<CliBackend>()> inner_factory(const JujuOptions& juju) {
    std::string spec = juju.backend;
    if (spec.empty()) {
        const char* env = env_value(backend_env);
        spec = env ? env : "subprocess";
    }
    const std::string config = nlohmann::json{{"cli_binary", juju.cli_binary}}.dump();
    return [spec, config] { return load_backend(spec, config); };
}

std::shared_ptr<Recorder> open_recorder(const fs::path& path, RecordMode mode,
                                        const CassetteOptions& options) {
    if (mode == RecordMode::none && !fs::exists(path) &&
        !fs::exists(cassette::journal_path(path))) {
        throw BackendError(fmt::format(
            "no cassette to replay at '{}' (record mode none, {}: replay only). Record it by "
            "running the test against a controller with {}=once (records missing cassettes "
            "only) or {}=all (re-records everything); ${} moves the cassette directory.",
            path.string(), mode_origin(options), record_mode_env, record_mode_env,
            cassette_dir_env));
    }
    return std::make_shared<Recorder>(
        path, RecorderOptions{.mode = mode,
                              .inner = options.inner,
                              .make_inner = inner_factory(options.juju),
                              .match = options.match,
                              .on_exhausted = options.on_exhausted,
                              .allow_unused = options.allow_unused,
                              .simulate_latency = false,
                              .redaction = options.redaction,
                              .durability = cassette::Durability::process_crash});
}

RecordMode resolve_mode(const CassetteOptions& options) {
    return options.mode ? *options.mode : record_mode_from_env(options.default_mode);
}

}  // namespace

RecordMode record_mode_from_env(RecordMode fallback) {
    const char* text = env_value(record_mode_env);
    if (!text) return fallback;
    if (const auto mode = parse_record_mode(text)) return *mode;
    throw Error(fmt::format("${} is '{}'; expected none, once, new_episodes, all or passthrough",
                            record_mode_env, text));
}

fs::path resolve_cassette_path(const fs::path& cassette, const fs::path& dir) {
    if (cassette.is_absolute()) return cassette;
    if (const char* env = env_value(cassette_dir_env)) return fs::path(env) / cassette;
    if (!dir.empty()) return dir / cassette;
    return cassette;
}

fs::path current_test_cassette() {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    if (!test) throw Error("current_test_cassette() called outside a running GoogleTest test");
    const auto file_name = [](std::string name) {
        std::replace(name.begin(), name.end(), '/', '.');
        return name;
    };
    return fs::path(file_name(test->test_suite_name())) / (file_name(test->name()) + ".json");
}

ScopedCassette::ScopedCassette(fs::path cassette, CassetteOptions options)
    : path_(resolve_cassette_path(cassette, options.dir)),
      mode_(resolve_mode(options)),
      recorder_(open_recorder(path_, mode_, options)),
      juju_(recorder_, options.juju) {}

ScopedCassette::~ScopedCassette() {
    try {
        finish();
    } catch (const std::exception& e) {
        logger()->error("{}", e.what());
    }
}

void ScopedCassette::finish() { recorder_->finish(); }

CassetteTest::CassetteTest(CassetteOptions options) : options_(std::move(options)) {}

fs::path CassetteTest::cassette_path() const {
    if (!env_value(cassette_dir_env) && options_.dir.empty()) {
        throw Error(fmt::format(
            "no cassette directory for {}: set ${} or pass CassetteOptions::dir to the "
            "CassetteTest constructor",
            current_test_cassette().string(), cassette_dir_env));
    }
    return resolve_cassette_path(current_test_cassette(), options_.dir);
}

ScopedCassette& CassetteTest::cassette() {
    if (!cassette_) {
        cassette_path();  // reports a missing cassette directory
        cassette_.emplace(current_test_cassette(), options_);
    }
    return *cassette_;
}

void CassetteTest::TearDown() {
    if (!cassette_) return;
    try {
        cassette_->finish();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "cassette " << cassette_->path().string() << ": " << e.what();
    }
}

}  // namespace jubilant::testing
