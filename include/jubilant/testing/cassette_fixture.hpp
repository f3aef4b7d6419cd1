// Per-test cassettes, as pytest-recording gives Python tests: each test gets a Juju whose
// commands are replayed from (or recorded into) its own cassette file,
// `<cassette dir>/<Suite>/<Test>.json`.
//
//   class DeployTest : public jubilant::testing::CassetteTest {
//   protected:
//       DeployTest() : CassetteTest({.dir = MY_CASSETTE_DIR, .juju = {.model = "test"}}) {}
//   };
//   TEST_F(DeployTest, DeploysPostgres) {
//       juju().deploy("postgresql", {.channel = "14/stable"});
//       juju().wait(jubilant::all_active);
//   }
//
// The same binary switches between replay and recording with environment variables:
//   JUBILANT_RECORD_MODE   none (default: replay only), once, new_episodes, all, passthrough
//   JUBILANT_CASSETTE_DIR  overrides CassetteOptions::dir
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
#include <string>

#include <gtest/gtest.h>

#include <jubilant/backend.hpp>
#include <jubilant/cassette.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/recorder.hpp>

namespace jubilant::testing {

/// How a cassette is found, replayed and recorded. Designated initializers must follow this
/// order.
struct CassetteOptions {
    /// Directory that relative cassette names resolve under when $JUBILANT_CASSETTE_DIR is
    /// unset (the environment wins, so one run can redirect every cassette).
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
};

/// The record mode from $JUBILANT_RECORD_MODE, or `fallback` when it is unset or empty.
/// Throws jubilant::Error naming the valid modes when it holds anything else.
RecordMode record_mode_from_env(RecordMode fallback = RecordMode::none);

/// Where `cassette` lives: itself when absolute; otherwise under $JUBILANT_CASSETTE_DIR, else
/// under `dir`, else relative to the working directory.
std::filesystem::path resolve_cassette_path(const std::filesystem::path& cassette,
                                            const std::filesystem::path& dir = {});

/// The cassette name of the running GoogleTest test: `<Suite>/<Test>.json`. The '/' of
/// parameterized names (`Prefix/Suite`, `Test/0`) becomes '.', so each test gets one file.
/// Throws jubilant::Error outside a running test.
std::filesystem::path current_test_cassette();

/// A cassette for the lifetime of a C++ scope: opens it on construction (replaying, recording
/// or both, per the mode), finishes it on destruction. For tests outside a fixture:
///
///   jubilant::testing::ScopedCassette cassette("deploy.json", {.dir = MY_CASSETTE_DIR});
///   cassette.juju().deploy("postgresql");
class ScopedCassette {
public:
    /// Opens `cassette` (resolved by resolve_cassette_path) in the mode from `options` and
    /// the environment. Throws BackendError when replaying a cassette that does not exist
    /// (the message says how to record it), Error/ParseError when it cannot be read.
    explicit ScopedCassette(std::filesystem::path cassette, CassetteOptions options = {});
    /// Finishes the cassette (writing a recording), logging instead of throwing.
    ~ScopedCassette();
    ScopedCassette(const ScopedCassette&) = delete;
    ScopedCassette& operator=(const ScopedCassette&) = delete;

    /// The Juju instance whose commands go through the cassette.
    Juju& juju() noexcept { return juju_; }
    /// The record/replay backend (e.g. for unused() or effective_mode()).
    Recorder& recorder() noexcept { return *recorder_; }
    /// The cassette file.
    const std::filesystem::path& path() const noexcept { return path_; }
    /// The mode asked for (`once` stays `once`; see Recorder::effective_mode).
    RecordMode mode() const noexcept { return mode_; }
    /// Writes the recording and, unless allow_unused, throws jubilant::Error listing recorded
    /// interactions never played. Idempotent.
    void finish();

private:
    std::filesystem::path path_;
    RecordMode mode_;
    std::shared_ptr<Recorder> recorder_;
    Juju juju_;
};

/// GoogleTest fixture giving each test a Juju over its own cassette,
/// `<dir>/<Suite>/<Test>.json` (see current_test_cassette). The cassette is opened on the
/// first call to juju() or cassette(), so tests that never talk to Juju need no file, and it
/// is finished in TearDown(), where unplayed interactions (with allow_unused = false) and
/// write errors become test failures.
class CassetteTest : public ::testing::Test {
protected:
    /// `options.dir` is the default cassette directory; $JUBILANT_CASSETTE_DIR overrides it.
    explicit CassetteTest(CassetteOptions options = {});

    /// The test's Juju instance (opens the cassette on first use).
    Juju& juju() { return cassette().juju(); }
    /// The test's cassette (opened on first use). Throws jubilant::Error when no cassette
    /// directory is configured, BackendError when replaying a missing cassette.
    ScopedCassette& cassette();
    /// Where this test's cassette is, without opening it.
    std::filesystem::path cassette_path() const;

    /// Finishes the cassette, reporting problems as test failures. A derived fixture that
    /// overrides TearDown should call this one.
    void TearDown() override;

private:
    CassetteOptions options_;
    std::optional<ScopedCassette> cassette_;
};

}  // namespace jubilant::testing
