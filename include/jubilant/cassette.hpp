// Cassettes: recorded sessions of CLI interactions, as plain data.
//
// Following go-vcr, the cassette only holds data and knows how to read and write itself; the
// Recorder (recorder.hpp) decides policy: modes, matching, redaction hooks. The on-disk format
// is versioned JSON, documented in docs/reference/cassette-format.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jubilant/redaction.hpp>

namespace jubilant::cassette {

/// The format version this library writes; loading any other version is a ParseError.
inline constexpr int format_version = 1;

/// Who recorded the cassette, when, and against what.
struct Header {
    int format_version = cassette::format_version;
    std::string created{};                      ///< ISO 8601 UTC, e.g. "2026-11-22T07:16:00Z"
    std::string toolkit_version{};              ///< jubilant-cpp version that wrote it
    std::optional<std::string> juju_version{};  ///< when known
    std::string recorded_from{};                ///< backend name, e.g. "subprocess"
    /// The program whose juju calls were recorded, when it is not the C++ library itself:
    /// juju-cassette writes e.g. "python3" (see docs/how-to/record-and-replay-any-client.md).
    /// Optional in the file; absent means a C++ test recorded it.
    std::optional<std::string> client{};
    std::int64_t redactions = 0;  ///< values replaced by redaction, in total

    bool operator==(const Header&) const = default;
};

/// A temp file as recorded. Sensitive content is never stored: `content` is then empty and
/// `redacted` is true.
struct RecordedTempFile {
    std::string name{};
    bool sensitive = true;
    bool redacted = false;
    std::optional<std::string> content{};

    bool operator==(const RecordedTempFile&) const = default;
};

/// One request and its result. `args` keep temp-file placeholders ("{tmp:name}"), so a
/// cassette is the same on every run.
struct Interaction {
    std::vector<std::string> args{};
    std::optional<std::string> stdin_text{};
    std::vector<RecordedTempFile> temp_files{};
    int returncode = 0;
    std::string stdout_text{};
    std::string stderr_text{};
    /// Wall time the call took when recorded.
    std::chrono::microseconds duration{};
    /// The call hit its timeout; replay throws CLITimeoutError with the recorded partial output.
    bool timed_out = false;
    std::optional<std::chrono::milliseconds> timeout{};

    bool operator==(const Interaction&) const = default;
};

/// A whole cassette.
struct Cassette {
    Header header{};
    std::vector<Interaction> interactions{};

    /// Parses cassette JSON. `source` names the file in error messages. Throws ParseError
    /// naming source, line, column and what was expected.
    static Cassette parse(std::string_view json, std::string_view source = "<cassette>");

    /// Loads a cassette file, first folding in any journal left next to it by a recording
    /// that did not finish (see Journal). Throws ParseError / Error with the file name.
    static Cassette load(const std::filesystem::path& path);

    /// The JSON text: stdout/stderr that parse as JSON are stored as JSON values, other UTF-8
    /// text as lines, anything else base64, so cassettes read and diff well in review.
    std::string to_json() const;

    /// Writes atomically (temp file in the same directory, fsync, rename), mode 0600.
    void save(const std::filesystem::path& path) const;

    bool operator==(const Cassette&) const = default;
};

/// Path of the append-only journal that belongs to a cassette: "<cassette>.journal".
std::filesystem::path journal_path(const std::filesystem::path& cassette);

/// What a journal survives. Each append is one write() either way, so a process that is killed
/// (even with SIGKILL) loses at most the interaction in flight: the kernel already holds every
/// line written. Surviving an OS crash or power loss as well needs an fsync per interaction,
/// which costs about a third of a millisecond on this machine, more than the command itself.
enum class Durability {
    process_crash,  ///< write() per interaction; fsync on close (the default)
    os_crash,       ///< write() + fsync per interaction
};

/// Crash-safe recording: each interaction is appended to the journal (one JSON line) as it
/// completes. close() folds the journal into the cassette atomically and removes it;
/// Cassette::load recovers a journal left behind, ignoring a torn last line.
class Journal {
public:
    /// Opens (creating, mode 0600) the journal for `cassette`, starting from `base` (the
    /// interactions to keep, e.g. the old ones in new_episodes mode).
    Journal(std::filesystem::path cassette, Cassette base,
            Durability durability = Durability::process_crash);
    ~Journal();  ///< calls close(), logging (not throwing) on failure
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    void append(const Interaction& interaction);
    /// As append(interaction), also adding `redactions` (the count redact() reported for this
    /// interaction) to the header's total; the count is journaled with the interaction, so a
    /// recovered cassette carries it too.
    void append(const Interaction& interaction, std::int64_t redactions);
    /// Folds into the cassette file and removes the journal. Idempotent.
    void close();
    /// Removes the journal without writing the cassette file (the recording is abandoned,
    /// or the caller writes cassette() somewhere itself). Idempotent; a no-op after close().
    void discard();

    const Cassette& cassette() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Path of the lock file that serialises processes sharing a cassette: "<cassette>.lock".
std::filesystem::path lock_path(const std::filesystem::path& cassette);

/// An exclusive advisory lock (flock) on lock_path(cassette), held for the object's lifetime,
/// for processes that record into or replay from one cassette at once (juju-cassette runs one
/// process per juju command). The lock file is created 0600 and left in place: removing it
/// would let two processes hold "the" lock on different files. Blocks until the lock is held;
/// throws Error naming the file when it cannot be opened.
class Lock {
public:
    explicit Lock(const std::filesystem::path& cassette);
    ~Lock();
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

private:
    int fd_ = -1;
};

/// Appends one interaction to the journal of `cassette` shared by several processes: under
/// Lock(cassette), creates the journal when there is none, starting from `make_base()` (called
/// under the lock, so it may read the cassette file), then appends the record with one
/// write(). Every line of a shared journal is whole: appends never interleave, and the
/// interactions are in the order their processes took the lock.
void append_to_shared_journal(const std::filesystem::path& cassette,
                              const std::function<Cassette()>& make_base,
                              const Interaction& interaction, std::int64_t redactions,
                              Durability durability = Durability::process_crash);

/// Folds a shared journal into the cassette file under Lock(cassette) (Cassette::load does
/// the folding) and returns the cassette. Throws as Cassette::load.
Cassette fold_shared_journal(const std::filesystem::path& cassette);

}  // namespace jubilant::cassette
