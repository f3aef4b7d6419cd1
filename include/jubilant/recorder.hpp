// Record and replay: a CliBackend that answers from a cassette, records into one, or both.
//
// The cassette (cassette.hpp) is plain data; the Recorder holds the policy, as in go-vcr:
// which mode, how requests match recorded interactions, what happens when a request repeats
// more often than it was recorded, what gets redacted before anything reaches disk.
//
//   auto recorder = std::make_shared<jubilant::Recorder>(
//       "tests/cassettes/deploy.json",
//       jubilant::RecorderOptions{.mode = jubilant::RecordMode::once,
//                                 .inner = jubilant::load_backend("subprocess")});
//   jubilant::Juju juju(recorder);
//
// The `record` and `replay` plugins (backends/record, backends/replay) configure one from a
// backend spec such as "replay:tests/cassettes/deploy.json"; see
// docs/how-to/record-and-replay.md.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jubilant/backend.hpp>
#include <jubilant/cassette.hpp>
#include <jubilant/clock.hpp>

namespace jubilant {

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

/// Everything a Recorder can be told besides its cassette path.
struct RecorderOptions {
    RecordMode mode = RecordMode::none;
    /// The backend that really runs commands in recording modes and passthrough.
    std::shared_ptr<CliBackend> inner{};
    /// Creates `inner` on first use when it is not given (the plugins load it this way, so a
    /// pure replay never loads the subprocess plugin).
    std::function<std::shared_ptr<CliBackend>()> make_inner{};
    MatchOptions match{};
    OnExhausted on_exhausted = OnExhausted::error;
    /// When false, finish() throws if some recorded interaction was never played.
    bool allow_unused = true;
    /// Also sleep each replayed interaction's recorded duration in real time. Off: replay
    /// only advances the virtual clock (see Recorder::clock).
    bool simulate_latency = false;
    /// Applied to every recorded interaction before it is written.
    cassette::RedactionRules redaction{};
    /// What the recording journal survives (see cassette::Durability).
    cassette::Durability durability = cassette::Durability::process_crash;
    /// Set when several processes record into this cassette at once (juju-cassette runs one
    /// process per juju command): each interaction is then appended to the cassette's shared
    /// journal (cassette::append_to_shared_journal), and the first process to append creates
    /// the journal from what this returns, called under the lock: an empty cassette for a
    /// fresh recording, the cassette file as it is to add episodes. Its header's empty fields
    /// are filled in as for any recording. finish() leaves the journal for the next
    /// Cassette::load or cassette::fold_shared_journal to fold.
    std::function<cassette::Cassette()> shared_journal_base{};
    /// The header's `client` in a new recording (see cassette::Header::client).
    std::optional<std::string> client{};
};

/// An interaction of the loaded cassette that was never played.
struct UnusedInteraction {
    std::size_t index = 0;  ///< position in the cassette, 0-based
    cassette::Interaction interaction{};
};

/// The record/replay backend. Like any CliBackend, not for concurrent use.
class Recorder final : public CliBackend {
public:
    /// Loads the cassette when the mode replays from it (none, once with an existing file,
    /// new_episodes with an existing file). Throws Error / ParseError naming the file when
    /// it cannot be loaded, BackendError when mode `none` finds no file.
    Recorder(std::filesystem::path cassette, RecorderOptions options);
    /// Calls finish(), logging instead of throwing.
    ~Recorder() override;
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    /// Replays or records one request (see RecordMode). An unmatched request in a replay-only
    /// mode throws BackendError describing the request, the nearest recorded interaction and
    /// their argv difference; stdin and temp-file contents are never included.
    CliResult run(const CliRequest& request) override;

    /// "record" when this recorder writes a cassette, "passthrough", else "replay".
    std::string name() const override;

    /// Replay-only modes: a VirtualClock that advances by each replayed interaction's
    /// recorded duration, so a recorded Juju::wait reproduces its result (or TimeoutError)
    /// instantly. Modes that call the inner backend: the inner backend's clock.
    std::shared_ptr<Clock> clock() override;

    /// The mode in effect after resolving `once` (none when the cassette existed, else all).
    RecordMode effective_mode() const noexcept { return effective_mode_; }
    /// Interactions of the loaded cassette that no request has played yet.
    std::vector<UnusedInteraction> unused() const;
    /// Completes the recording (folds the journal into the cassette file) and, unless
    /// allow_unused, throws Error listing interactions never played. Idempotent.
    void finish();

    const std::filesystem::path& cassette_path() const noexcept { return path_; }

private:
    CliResult replay(std::size_t index);
    CliResult record(const CliRequest& request);
    CliBackend& inner();
    std::optional<std::size_t> find_match(const CliRequest& request) const;
    [[noreturn]] void throw_unmatched(const CliRequest& request) const;

    std::filesystem::path path_;
    RecorderOptions options_;
    RecordMode effective_mode_ = RecordMode::none;
    cassette::Cassette loaded_{};
    std::vector<std::size_t> played_{};  // per interaction: 0, or when it was last played
    std::size_t cursor_ = 0;  // ordered matching: the next interaction to play
    std::optional<std::size_t> last_played_{};
    std::size_t requests_ = 0;
    std::shared_ptr<VirtualClock> virtual_clock_ = std::make_shared<VirtualClock>();
    std::unique_ptr<cassette::Journal> journal_{};
    bool finished_ = false;
};

/// Builds a Recorder from a plugin's config (what the `record` and `replay` plugins do):
/// `target` is the cassette (relative paths resolve under $JUBILANT_CASSETTE_DIR when set);
/// keys `mode`, `inner`, `match`, `ordered`, `compare_input`, `on_exhausted`, `allow_unused`,
/// `simulate_latency`, `redact_literals`, `redact_patterns` (RE2, one per line; an invalid one
/// is a PluginError naming the key), `redact_keys`, `redact_keep_keys`; `cli_binary` is
/// passed on to the inner backend. The mode is `mode`, else $JUBILANT_RECORD_MODE, else
/// `default_mode`. Throws PluginError naming `plugin` for a bad config.
std::unique_ptr<Recorder> make_recorder_from_config(std::string_view plugin,
                                                    std::string_view config_json,
                                                    RecordMode default_mode);

}  // namespace jubilant
