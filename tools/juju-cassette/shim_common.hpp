// What juju-cassette's two executables share: the front end (`juju-cassette`, no C++ shared
// library, serves replays from the replay index) and the full tool (`juju-cassette-full`,
// libjubilant, everything else). Both must agree on every path, the session key and the
// session state file, so these have one home here, in plain POSIX (the front end links no
// libjubilant, fmt or spdlog).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace juju_cassette {

// The shim's own failures exit with 125, as env(1) and similar wrappers do, so a client can
// tell "juju-cassette could not answer" from juju's own 1 and 2.
inline constexpr int shim_failure = 125;

inline constexpr const char* cassette_env = "JUJU_CASSETTE";
inline constexpr const char* real_juju_env = "JUJU_CASSETTE_REAL_JUJU";
inline constexpr const char* match_env = "JUJU_CASSETTE_MATCH";
inline constexpr const char* on_exhausted_env = "JUJU_CASSETTE_ON_EXHAUSTED";
inline constexpr const char* client_env = "JUJU_CASSETTE_CLIENT";
inline constexpr const char* session_env = "JUJU_CASSETTE_SESSION";
inline constexpr const char* stdin_env = "JUJU_CASSETTE_STDIN";
inline constexpr const char* log_level_env = "JUJU_CASSETTE_LOG_LEVEL";
// Set in the real juju's environment: a juju-cassette that finds it was started, one way or
// another, by juju-cassette itself, and refuses to recurse.
inline constexpr const char* active_env = "JUJU_CASSETTE_ACTIVE";
// Set by the front end for the full tool it runs: "<dev>:<ino>" of the front end, which the
// full tool must not take for the real juju either (PATH's `juju` is a link to the front end).
inline constexpr const char* front_end_env = "JUJU_CASSETTE_FRONT_END";
// The library's names (jubilant::cassette_dir_env, jubilant::record_mode_env); the full tool
// checks at compile time that they are the same.
inline constexpr const char* cassette_dir_env = "JUBILANT_CASSETTE_DIR";
inline constexpr const char* record_mode_env = "JUBILANT_RECORD_MODE";

/// Flags whose value is a file the client wrote for this one call (Jubilant's temp files): the
/// full tool reads the file into a sensitive temp file named as the C++ library names it and
/// puts the library's placeholder in argv; the front end leaves such calls to the full tool.
struct FileFlag {
    std::string_view command;
    std::string_view flag;
    std::string_view temp_name;
};
inline constexpr FileFlag file_flags[] = {
    {"add-secret", "--file", "content.yaml"}, {"update-secret", "--file", "content.yaml"},
    {"run", "--params", "params.yaml"},       {"add-credential", "--file", "credential.yaml"},
    {"add-cloud", "--file", "cloud.yaml"},    {"update-cloud", "-f", "cloud.yaml"},
    {"update-cloud", "--file", "cloud.yaml"},
};

/// The variable's value, or nullopt when it is unset or empty.
std::optional<std::string> env(const char* name);

/// The cassette path the client means: relative paths resolve under $JUBILANT_CASSETTE_DIR when
/// set, then under the current directory (the client may change directory between calls).
/// Empty when the current directory cannot be read.
std::string absolute_cassette_path(std::string text);

/// "<cassette>.session", "<cassette>.journal", "<cassette>.lock", "<cassette>.replay-index".
/// The journal and lock names are the library's (cassette::journal_path, lock_path).
std::string session_path(const std::string& cassette);
std::string journal_path(const std::string& cassette);
std::string lock_path(const std::string& cassette);
std::string replay_index_path(const std::string& cassette);

/// $JUJU_CASSETTE_SESSION, else the process group as "<pgid>-<leader's start time>" (a reused
/// id is another session); newlines become spaces (the key is one line of the state file).
std::string session_key();

/// "<cassette>.session", read and written under the cassette's lock:
///   juju-cassette-session 1 <session key>
///   <first interaction of an argv stream> <how many of the stream were replayed>
struct SessionState {
    std::string key{};
    std::map<std::size_t, std::size_t> replayed{};  ///< per argv stream

    /// The state in `path`; an empty state when there is none or it is not ours.
    static SessionState read(const std::string& path);
    /// Writes the state; on failure returns errno (0 on success).
    int write(const std::string& path) const;
};

/// An exclusive flock on lock_path(cassette), as cassette::Lock takes it (the same file, so the
/// front end and every libjubilant process exclude each other). held() is false when the file
/// could not be opened or locked.
class FileLock {
public:
    explicit FileLock(const std::string& cassette);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    bool held() const noexcept { return fd_ >= 0; }

private:
    int fd_ = -1;
};

/// Writes a replayed answer (stdout, then stderr) and exits with its code; a negative code was
/// recorded as killed by a signal (Python's -N): the process dies of the same signal.
[[noreturn]] void answer(int returncode, std::string_view stdout_text,
                         std::string_view stderr_text);

/// Reads `fd` to its end (or its first error), retrying on EINTR.
std::string read_all(int fd);

/// Writes all of `bytes` to `fd`, retrying on EINTR; stops silently when the reader is gone.
void write_all(int fd, std::string_view bytes);

}  // namespace juju_cassette
