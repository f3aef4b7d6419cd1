// Per-test cassettes, as pytest-recording gives Python tests: each test gets a Juju whose
// commands are replayed from (or recorded into) its own cassette file,
// `cassettes/<Suite>/<Test>.json` beside the test's source file, so the working directory
// never matters (ctest runs tests in the build tree).
//
//   class DeployTest : public jubilant::testkit::CassetteTest {
//   protected:
//       DeployTest() : CassetteTest({.juju = {.model = "test"}}) {}
//   };
//   TEST_F(DeployTest, DeploysPostgres) {
//       juju().deploy("postgresql", {.channel = "14/stable"});
//       juju().wait(jubilant::all_active);
//   }
//
// The same binary switches between replay and recording with environment variables:
//   JUBILANT_RECORD_MODE   none (default: replay only), once, new_episodes, all, passthrough
//   JUBILANT_CASSETTE_DIR  overrides CassetteOptions::dir and the directory beside the source
// In recording modes commands run through JujuOptions::backend (else $JUBILANT_BACKEND, else
// the real juju), or through CassetteOptions::inner when a test gives a backend object.
//
// Each test owns its cassette and nothing is shared between tests, so tests run in any order,
// in parallel processes, and sharded (GTEST_SHARD_INDEX). Fixtures for a fake Juju and for
// temporary models live in their own headers next to this one and follow the same shape: a
// ::testing::Test subclass with juju(), and a plain RAII class for use outside fixtures.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <jubilant/backend.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/recording_policy.hpp>
#include <jubilant/redaction.hpp>
#include <jubilant/testing/call_site.hpp>

namespace jubilant {
class Recorder;
}

namespace jubilant::testkit {

/// How a cassette is found, replayed and recorded. Designated initializers must follow this
/// order.
struct CassetteOptions {
    /// Directory that relative cassette names resolve under when $JUBILANT_CASSETTE_DIR is
    /// unset (the environment wins, so one run can redirect every cassette). Empty: the
    /// `cassettes` directory beside the test's source file. A relative dir is taken relative
    /// to that source file's directory too.
    std::filesystem::path dir{};
    /// Mode when $JUBILANT_RECORD_MODE is unset. `none` replays only, as pytest-recording.
    RecordMode default_mode = RecordMode::none;
    /// Forces a mode, ignoring $JUBILANT_RECORD_MODE (e.g. a test that must never record).
    std::optional<RecordMode> mode{};
    /// How the Juju instance is built (model, wait_timeout, cli_binary). `backend` is the spec
    /// of the backend that really runs commands when recording; empty means $JUBILANT_BACKEND,
    /// else "subprocess".
    JujuOptions juju{};
    /// A backend object to record from instead (e.g. a MockBackend); wins over juju.backend.
    std::shared_ptr<CliBackend> inner{};
    /// How requests are matched with recorded interactions (see Recorder).
    MatchOptions match{};
    /// What a request repeated more often than recorded gets.
    OnExhausted on_exhausted = OnExhausted::error;
    /// When false, finishing the cassette fails if a recorded interaction was never played.
    bool allow_unused = true;
    /// Extra redaction applied to everything recorded.
    cassette::RedactionRules redaction{};
    /// Values swapped for `<name>` in the cassette and back on replay (see Placeholder).
    std::vector<Placeholder> placeholders{};
    /// When a replayed cassette is stale; the environment overrides it (staleness_from_env).
    StalenessPolicy stale{};
};

/// The record mode from $JUBILANT_RECORD_MODE, or `fallback` when it is unset or empty.
/// Throws jubilant::Error naming the valid modes when it holds anything else.
RecordMode record_mode_from_env(RecordMode fallback = RecordMode::none);

/// The `cassettes` directory beside `source_file` (a __FILE__, std::source_location or
/// GoogleTest file name), absolute. A relative name (ccache's base_dir and
/// -fmacro-prefix-map make __FILE__ relative to where the compiler ran) is looked up from the
/// working directory, then from the test executable's directory and its parents; throws
/// jubilant::Error saying what to set when the file is in none of them.
std::filesystem::path cassette_dir_beside(std::string_view source_file);

/// Where `cassette` lives, as an absolute path: itself when absolute; otherwise under
/// $JUBILANT_CASSETTE_DIR, else under `dir` (relative to the caller's source directory when
/// relative), else under cassette_dir_beside(caller's source file).
std::filesystem::path resolve_cassette_path(
    const std::filesystem::path& cassette, const std::filesystem::path& dir = {},
    const std::source_location& caller = std::source_location::current());

/// The cassette name of the running GoogleTest test: `<Suite>/<Test>.json`. The '/' of
/// parameterized names (`Prefix/Suite`, `Test/0`) becomes '.', so each test gets one file.
/// Throws jubilant::Error outside a running test.
std::filesystem::path current_test_cassette();

/// A cassette for the lifetime of a C++ scope: opens it on construction (replaying, recording
/// or both, per the mode), finishes it on destruction. For tests outside a fixture:
///
///   jubilant::testkit::ScopedCassette cassette("deploy.json");  // ./cassettes/deploy.json
///   cassette.juju().deploy("postgresql");                        // beside this source file
class ScopedCassette {
public:
    /// Opens `cassette` (resolved by resolve_cassette_path from the caller's source file) in
    /// the mode from `options` and the environment. Throws BackendError when replaying a
    /// cassette that does not exist (the message says how to record it), Error/ParseError
    /// when it cannot be read.
    explicit ScopedCassette(std::filesystem::path cassette, CassetteOptions options = {},
                            const std::source_location& caller = std::source_location::current());
    /// Finishes the cassette, logging instead of throwing. The recording counts as failed
    /// (see finish) when an exception is unwinding through the scope or the running
    /// GoogleTest test has failed.
    ~ScopedCassette();
    ScopedCassette(const ScopedCassette&) = delete;
    ScopedCassette& operator=(const ScopedCassette&) = delete;

    /// The Juju instance whose commands go through the cassette.
    Juju& juju() noexcept { return juju_; }
    /// The record/replay backend (e.g. for unused() or effective_mode(); include
    /// <jubilant/recorder.hpp> to call them: this header only declares Recorder, so that a
    /// test file that includes the testing kit does not also compile the Recorder's).
    Recorder& recorder() noexcept;
    /// The same backend, to share: e.g. `jubilant::TempModel model(cassette.backend());`
    /// creates a temporary model whose commands go through the cassette.
    std::shared_ptr<CliBackend> backend() const noexcept;
    /// The cassette file, absolute.
    const std::filesystem::path& path() const noexcept { return path_; }
    /// The mode asked for (`once` stays `once`; see Recorder::effective_mode).
    RecordMode mode() const noexcept { return mode_; }
    /// Writes the recording and, unless allow_unused, throws jubilant::Error listing recorded
    /// interactions never played. A failed outcome keeps the previous cassette in modes once
    /// and new_episodes (see Recorder::finish). Idempotent.
    void finish(RecordingOutcome outcome = RecordingOutcome::passed);

private:
    std::filesystem::path path_;
    RecordMode mode_;
    int uncaught_at_start_;
    std::shared_ptr<Recorder> recorder_;
    Juju juju_;
};

/// GoogleTest fixture giving each test a Juju over its own cassette,
/// `<dir>/<Suite>/<Test>.json` (see current_test_cassette), `<dir>` being `cassettes` beside
/// the test's source file unless options or the environment say otherwise. The cassette is
/// opened on the first call to juju() or cassette(), so tests that never talk to Juju need no
/// file, and it is finished in TearDown(), where unplayed interactions (with allow_unused =
/// false) and write errors become test failures. A test that failed while recording in mode
/// once or new_episodes keeps its previous cassette (the recording goes to
/// `<Test>.failed.json`); interactions a replay never played are reported as a warning and
/// as the test property `cassette_unused`.
class CassetteTest : public ::testing::Test {
protected:
    /// `options.dir` overrides the directory beside the test's source; $JUBILANT_CASSETTE_DIR
    /// overrides both.
    explicit CassetteTest(CassetteOptions options = {});

    /// The test's Juju instance (opens the cassette on first use). The call site is noted:
    /// an exception escaping the test body is reported at the last juju() call.
    Juju& juju(const std::source_location& caller = std::source_location::current()) {
        call_site_.note(caller);
        return cassette().juju();
    }
    /// The test's cassette (opened on first use). Throws BackendError when replaying a
    /// missing cassette, jubilant::Error when the test's source file cannot be found.
    ScopedCassette& cassette();
    /// Where this test's cassette is (absolute), without opening it.
    std::filesystem::path cassette_path() const;

    /// Finishes the cassette, reporting problems as test failures. A derived fixture that
    /// overrides TearDown should call this one.
    void TearDown() override;

private:
    CassetteOptions options_;
    std::optional<ScopedCassette> cassette_;
    CallSite call_site_;
};

}  // namespace jubilant::testkit
