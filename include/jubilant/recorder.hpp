// Record and replay: a CliBackend that answers from a cassette, records into one, or both.
//
// The cassette (cassette.hpp) is plain data; the Recorder holds the policy, as in go-vcr:
// which mode, how requests match recorded interactions, what happens when a request repeats
// more often than it was recorded, what gets redacted before anything reaches disk. The
// policy's types have their own header, recording_policy.hpp (included here), and the
// redaction rules theirs, redaction.hpp.
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
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jubilant/backend.hpp>
#include <jubilant/cassette.hpp>
#include <jubilant/clock.hpp>
#include <jubilant/recording_policy.hpp>

namespace jubilant {

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
    /// Values swapped for `<name>` on record and back on replay (see Placeholder).
    std::vector<Placeholder> placeholders{};
    /// When a replayed cassette is stale (see StalenessPolicy); by default never.
    StalenessPolicy stale{};
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
    /// it cannot be loaded, BackendError when mode `none` finds no file or when the cassette
    /// is stale and options.stale.fail is set (a stale cassette is otherwise a warning), and
    /// Error for a bad placeholder. The path is made absolute, so every message names the
    /// file wherever the test runs.
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
    ///
    /// A session that recorded nothing (every command failed to run, e.g. juju not found)
    /// leaves the cassette as it was. With `outcome` failed in mode once or new_episodes, the
    /// cassette also stays as it was and the recording goes to failed_recording_path() (see
    /// kept_aside()), so a failing test never replaces a good cassette. A successful
    /// recording removes a `.failed.json` left by an earlier run.
    void finish(RecordingOutcome outcome = RecordingOutcome::passed);

    /// Where finish() put a failed test's recording, if it did.
    const std::optional<std::filesystem::path>& kept_aside() const noexcept { return kept_aside_; }
    /// Interactions this session appended to the recording.
    std::size_t recorded() const noexcept { return recorded_; }

    /// The cassette file, absolute.
    const std::filesystem::path& cassette_path() const noexcept { return path_; }

    /// Generated names bound so far: recorded name -> the live name replay substitutes.
    const std::map<std::string, std::string>& generated_names() const noexcept {
        return names_.recorded_to_live;
    }

    /// The bindings between recorded and live generated names (MatchOptions::generated_names).
    struct NameBindings {
        std::map<std::string, std::string> recorded_to_live{};
        std::map<std::string, std::string> live_to_recorded{};
    };

private:
    struct Match {
        std::size_t index = 0;
        NameBindings names{};
    };
    CliResult replay(const Match& match);
    CliResult record(const CliRequest& request);
    CliBackend& inner();
    std::optional<Match> find_match(const CliRequest& request) const;
    std::optional<NameBindings> try_match(const CliRequest& request, std::size_t index) const;
    [[noreturn]] void throw_unmatched(const CliRequest& request) const;
    void write_recording(RecordingOutcome outcome);
    void note_juju_version(const cassette::Interaction& interaction);

    std::filesystem::path path_;
    RecorderOptions options_;
    RecordMode effective_mode_ = RecordMode::none;
    cassette::Cassette loaded_{};
    std::vector<std::size_t> played_{};  // per interaction: 0, or when it was last played
    std::size_t cursor_ = 0;             // ordered matching: the next interaction to play
    std::optional<std::size_t> last_played_{};
    std::size_t requests_ = 0;
    std::shared_ptr<VirtualClock> virtual_clock_;  // made by the constructor, out of line
    std::unique_ptr<cassette::Journal> journal_{};
    bool finished_ = false;
    std::size_t recorded_ = 0;
    std::optional<std::string> juju_version_{};  // seen in this session's output
    std::optional<std::filesystem::path> kept_aside_{};
    NameBindings names_{};
    cassette::Cassette on_disk_{};  // loaded_ before placeholders were expanded
};

/// Builds a Recorder from a plugin's config (what the `record` and `replay` plugins do):
/// `target` is the cassette (relative paths resolve under $JUBILANT_CASSETTE_DIR when set);
/// keys `mode`, `inner`, `match`, `ordered`, `compare_input`, `on_exhausted`, `allow_unused`,
/// `simulate_latency`, `redact_literals`, `redact_patterns` (RE2, one per line; an invalid one
/// is a PluginError naming the key), `redact_keys`, `redact_keep_keys`, `placeholders` (lines
/// `name=value`), `max_age_days`, `juju_major`, `on_stale`; `cli_binary` is passed on to the
/// inner backend. The mode is `mode`, else $JUBILANT_RECORD_MODE, else `default_mode`; the
/// staleness keys default to staleness_from_env(). Throws PluginError naming `plugin` for a bad
/// config.
std::unique_ptr<Recorder> make_recorder_from_config(std::string_view plugin,
                                                    std::string_view config_json,
                                                    RecordMode default_mode);

}  // namespace jubilant
