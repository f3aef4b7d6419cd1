// Per-test cassettes (see testing/cassette_fixture.hpp).
#include <jubilant/testing/cassette_fixture.hpp>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <jubilant/errors.hpp>
#include <jubilant/logging.hpp>
#include <jubilant/plugin_loader.hpp>
#include <jubilant/recorder.hpp>
#include "print/shell_quote.hpp"

namespace jubilant::testkit {
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
        const fs::path failed = failed_recording_path(path);
        const std::string failed_note =
            fs::exists(failed)
                ? fmt::format(" A recording made by a failing run is at '{}' for reference.",
                              failed.string())
                : std::string();
        throw BackendError(fmt::format(
            "no cassette to replay at '{}' (record mode none, {}: replay only). Record it by "
            "running the test against a controller with {}=once (records missing cassettes "
            "only) or {}=all (re-records everything); ${} moves the cassette directory.{}",
            path.string(), mode_origin(options), record_mode_env, record_mode_env, cassette_dir_env,
            failed_note));
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
                              .durability = cassette::Durability::process_crash,
                              .placeholders = options.placeholders,
                              .stale = staleness_from_env(options.stale)});
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

namespace {

// The source file a relative __FILE__ names: the compiler ran in the build tree (often the
// test executable's directory, with Makefiles) or at its top (Ninja), so look there.
fs::path locate_source(const fs::path& file) {
    if (file.is_absolute()) return file;
    std::vector<fs::path> bases{fs::current_path()};
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (fs::path dir = exe.parent_path(); !dir.empty(); dir = dir.parent_path()) {
            bases.push_back(dir);
            if (dir == dir.root_path()) break;
        }
    }
    for (const fs::path& base : bases) {
        if (fs::is_regular_file(base / file, ec)) return (base / file).lexically_normal();
    }
    throw Error(fmt::format(
        "cannot find the test source '{}' (a relative file name, as ccache's base_dir or "
        "-fmacro-prefix-map make it) from the working directory or the test executable's "
        "directories, so there is no `cassettes` directory beside it: pass "
        "CassetteOptions::dir an absolute directory or set ${}",
        file.string(), cassette_dir_env));
}

fs::path source_directory(std::string_view source_file) {
    return locate_source(fs::path(source_file)).parent_path();
}

}  // namespace

fs::path cassette_dir_beside(std::string_view source_file) {
    return source_directory(source_file) / "cassettes";
}

fs::path resolve_cassette_path(const fs::path& cassette, const fs::path& dir,
                               const std::source_location& caller) {
    if (cassette.is_absolute()) return cassette;
    if (const char* env = env_value(cassette_dir_env)) return fs::absolute(env) / cassette;
    if (dir.is_absolute()) return dir / cassette;
    if (!dir.empty()) return source_directory(caller.file_name()) / dir / cassette;
    return cassette_dir_beside(caller.file_name()) / cassette;
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

ScopedCassette::ScopedCassette(fs::path cassette, CassetteOptions options,
                               const std::source_location& caller)
    : path_(fs::absolute(resolve_cassette_path(cassette, options.dir, caller))),
      mode_(resolve_mode(options)),
      uncaught_at_start_(std::uncaught_exceptions()),
      recorder_(open_recorder(path_, mode_, options)),
      juju_(recorder_, options.juju) {}

ScopedCassette::~ScopedCassette() {
    const bool in_failed_test =
        ::testing::UnitTest::GetInstance()->current_test_info() && ::testing::Test::HasFailure();
    const bool failed = in_failed_test || std::uncaught_exceptions() > uncaught_at_start_;
    try {
        finish(failed ? RecordingOutcome::failed : RecordingOutcome::passed);
    } catch (const std::exception& e) {
        logger()->error("{}", e.what());
    }
}

Recorder& ScopedCassette::recorder() noexcept { return *recorder_; }

std::shared_ptr<CliBackend> ScopedCassette::backend() const noexcept { return recorder_; }

void ScopedCassette::finish(RecordingOutcome outcome) { recorder_->finish(outcome); }

CassetteTest::CassetteTest(CassetteOptions options) : options_(std::move(options)) {}

fs::path CassetteTest::cassette_path() const {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    if (!test) throw Error("CassetteTest::cassette_path() called outside a running test");
    const fs::path name = current_test_cassette();
    if (const char* env = env_value(cassette_dir_env)) return fs::absolute(env) / name;
    if (options_.dir.is_absolute()) return options_.dir / name;
    const fs::path dir = options_.dir.empty() ? cassette_dir_beside(test->file())
                                              : source_directory(test->file()) / options_.dir;
    return dir / name;
}

ScopedCassette& CassetteTest::cassette() {
    if (!cassette_) cassette_.emplace(cassette_path(), options_);
    return *cassette_;
}

void CallSite::report_escaped_exception() const {
    if (!noted_) return;
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    if (!test) return;
    const ::testing::TestResult& result = *test->result();
    for (int i = 0; i < result.total_part_count(); ++i) {
        const std::string_view message = result.GetTestPartResult(i).message();
        if (message.find("C++ exception") != std::string_view::npos &&
            message.find("thrown in the test body") != std::string_view::npos) {
            ADD_FAILURE_AT(where_.file_name(), static_cast<int>(where_.line()))
                << "the exception above escaped the test body; the last juju() call before it "
                   "was here";
            return;
        }
    }
}

void CassetteTest::TearDown() {
    call_site_.report_escaped_exception();
    if (!cassette_) return;
    Recorder& recorder = cassette_->recorder();
    try {
        cassette_->finish(HasFailure() ? RecordingOutcome::failed : RecordingOutcome::passed);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "cassette " << cassette_->path().string() << ": " << e.what();
        return;
    }
    // Left-over interactions usually mean the code under test changed: say so per test.
    const auto unused = recorder.unused();
    if (unused.empty()) return;
    RecordProperty("cassette_unused", static_cast<int>(unused.size()));
    std::string list;
    for (std::size_t i = 0; i < unused.size() && i < 5; ++i) {
        list += fmt::format("\n  #{}: juju {}", unused[i].index,
                            shell_join(unused[i].interaction.args));
    }
    if (unused.size() > 5) list += fmt::format("\n  ... and {} more", unused.size() - 5);
    logger()->warn("cassette '{}': {} recorded interaction(s) were never played:{}",
                   cassette_->path().string(), unused.size(), list);
}

}  // namespace jubilant::testkit
