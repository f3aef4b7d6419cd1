// The recording policy a Recorder applies (recorder.hpp): record modes, how requests match
// recorded interactions, placeholders, when a cassette is stale, how a recording ended.
//
// These are the options the Recorder and the CassetteTest fixture share. They live apart
// from the Recorder so that the fixture's options (testing/cassette_fixture.hpp) hold them
// by value without including the Recorder and the cassette's format; recorder.hpp includes
// this header.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <jubilant/backend.hpp>

namespace jubilant {

namespace cassette {
struct Header;
struct Interaction;
}  // namespace cassette

/// Record modes, named as in vcrpy (go-vcr's equivalents in brackets).
enum class RecordMode {
    none,          ///< replay only; never calls the inner backend [ModeReplayOnly]
    once,          ///< record when the cassette file does not exist, else replay only
                   ///< [ModeRecordOnce]
    new_episodes,  ///< replay what matches, record what does not [ModeReplayWithNewEpisodes]
    all,           ///< always call the inner backend and re-record from scratch
                   ///< [ModeRecordOnly]
    passthrough,   ///< call the inner backend, record nothing, ignore the cassette
                   ///< [ModePassthrough]
};

/// "none", "once", "new_episodes", "all", "passthrough".
std::string_view to_string(RecordMode mode) noexcept;
/// The inverse of to_string; nullopt for anything else.
std::optional<RecordMode> parse_record_mode(std::string_view text) noexcept;

/// Environment variable that overrides the record/replay plugins' default mode.
inline constexpr const char* record_mode_env = "JUBILANT_RECORD_MODE";
/// Environment variable: directory that relative cassette targets of the plugins resolve under.
inline constexpr const char* cassette_dir_env = "JUBILANT_CASSETTE_DIR";
/// Environment variable: a replayed cassette older than this many days is stale.
inline constexpr const char* cassette_max_age_env = "JUBILANT_CASSETTE_MAX_AGE_DAYS";
/// Environment variable: the major Juju version cassettes should have been recorded with.
inline constexpr const char* juju_major_env = "JUBILANT_JUJU_MAJOR";
/// Environment variable: what a stale cassette gets, `warn` or `fail`.
inline constexpr const char* on_stale_env = "JUBILANT_ON_STALE";

/// What to do when a request matches only interactions that have already been played (e.g.
/// Juju::wait polling `status` more often than when it was recorded).
enum class OnExhausted {
    error,        ///< BackendError, like any unmatched request
    repeat_last,  ///< serve the last played interaction that matches again
};

/// A custom matcher: true when the recorded interaction answers the request.
using RequestMatcher = std::function<bool(const CliRequest&, const cassette::Interaction&)>;

/// How a request is compared with recorded interactions.
struct MatchOptions {
    /// Only the next unplayed interaction may answer (the default), rather than any unplayed
    /// one. Ordered replay catches commands issued in a different order than recorded.
    bool ordered = true;
    /// Compare argv without the `--model <value>` pair Juju inserts after the first argument,
    /// so a cassette recorded against one model replays against another.
    bool ignore_model = false;
    /// Also compare stdin and temp files (names, sensitivity, and non-redacted contents; a
    /// redacted stretch of recorded stdin matches anything).
    bool compare_input = true;
    /// Names the toolkit generates (TempModel's `jubilant-` + 8 hex digits, see
    /// random_model_name) match any other generated name at the same place, consistently: the
    /// first request that uses a new live name binds it to the recorded one, and replayed
    /// output says the live name. A test that creates a temporary model replays unchanged.
    bool generated_names = true;
    /// A local path on one side and a temp-file copy (`{tmp:<name>}`) on the other match, the
    /// copy's temp file being left out of the input comparison: a snap `juju` is sent copies
    /// of local files (it cannot read them), any other `juju` the paths themselves, and a
    /// cassette recorded with either replays on the other.
    bool temp_file_copies = true;
    /// When set, replaces the built-in comparison (argv, and input per compare_input).
    RequestMatcher custom{};
};

/// Whether `recorded` answers `request` under `match`: the comparison a Recorder makes
/// (juju-cassette uses it to replay across processes).
bool request_matches(const CliRequest& request, const cassette::Interaction& recorded,
                     const MatchOptions& match);

/// Parses a comma-separated matcher list ("exact", "ignore_model", "ignore_input"; the
/// plugins' `match` key, juju-cassette's $JUJU_CASSETTE_MATCH) into MatchOptions. Throws Error
/// naming the unknown token and `where` it came from.
MatchOptions parse_match_options(std::string_view spec, std::string_view where);

/// A value swapped for `<name>` in everything recorded and back in everything replayed (Ruby
/// VCR's define_cassette_placeholder), so a test can assert on a value it supplies without
/// the value reaching the cassette.
struct Placeholder {
    /// Letters, digits, '_' and '-'; not `redacted`. Written as `<name>`.
    std::string name{};
    /// The value; must not be empty.
    std::string value{};
};

/// When a replayed cassette counts as stale (Polly's expiry strategy), and what happens then.
struct StalenessPolicy {
    /// Older than this (from the header's `created`) is stale.
    std::optional<std::chrono::days> max_age{};
    /// Recorded against another major Juju version (the header's `juju_version`) is stale.
    std::optional<int> juju_major{};
    /// Throw BackendError on a stale cassette instead of logging a warning.
    bool fail = false;
};

/// `fallback` with each field the environment sets replaced: $JUBILANT_CASSETTE_MAX_AGE_DAYS
/// (a number of days), $JUBILANT_JUJU_MAJOR (a major version such as 3), $JUBILANT_ON_STALE
/// (`warn` or `fail`). Throws Error naming the variable for a value it cannot read.
StalenessPolicy staleness_from_env(StalenessPolicy fallback = {});

/// Why `header` is stale under `policy` at `now_utc` ("recorded 2026-01-02T00:00:00Z, 120
/// days ago (max_age 90 days)"), or nullopt when it is not. A header without a date or Juju
/// version is never stale for that reason.
std::optional<std::string> staleness(
    const cassette::Header& header, const StalenessPolicy& policy,
    std::chrono::system_clock::time_point now_utc = std::chrono::system_clock::now());

/// How a recording ended, for Recorder::finish.
enum class RecordingOutcome {
    passed,  ///< write the recording as usual
    failed,  ///< the test failed: in once/new_episodes keep the previous cassette (see finish)
};

/// Where a failed test's recording is kept aside: `deploy.json` -> `deploy.failed.json`.
std::filesystem::path failed_recording_path(const std::filesystem::path& cassette);

}  // namespace jubilant
