// juju-cassette: a juju-compatible executable that records and replays every juju call of any
// client (a Python Jubilant suite, a shell script) into the same cassettes the C++ library
// uses. Put on PATH as `juju` (a symlink), it is driven by environment variables; see
// docs/how-to/record-and-replay-any-client.md and `juju-cassette --help`.
//
// A client starts one process per command, often several at once, so everything a process
// shares with the others goes through the cassette's lock (cassette::Lock):
//  - recording appends each interaction to the cassette's shared journal under the lock
//    (cassette::append_to_shared_journal); `juju-cassette --finish`, or the next load, folds it;
//  - replay keeps, in "<cassette>.session", how far each argv stream has been replayed in this
//    session, read and written under the lock, so concurrent processes never serve the same
//    recorded interaction twice and each stream replays in recorded order.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <jubilant/backend.hpp>
#include <jubilant/cassette.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/logging.hpp>
#include <jubilant/plugin_loader.hpp>
#include <jubilant/recorder.hpp>
#include "print/shell_quote.hpp"

#include "message_text.hpp"
#include "private_files.hpp"

namespace fs = std::filesystem;
using jubilant::CliRequest;
using jubilant::CliResult;
using jubilant::Error;
using jubilant::RecordMode;
namespace cassette = jubilant::cassette;
namespace files = jubilant::files;

namespace {

// The shim's own failures exit with 125, as env(1) and similar wrappers do, so a client can
// tell "juju-cassette could not answer" from juju's own 1 and 2.
constexpr int shim_failure = 125;

constexpr const char* cassette_env = "JUJU_CASSETTE";
constexpr const char* real_juju_env = "JUJU_CASSETTE_REAL_JUJU";
constexpr const char* match_env = "JUJU_CASSETTE_MATCH";
constexpr const char* on_exhausted_env = "JUJU_CASSETTE_ON_EXHAUSTED";
constexpr const char* client_env = "JUJU_CASSETTE_CLIENT";
constexpr const char* session_env = "JUJU_CASSETTE_SESSION";
constexpr const char* stdin_env = "JUJU_CASSETTE_STDIN";
// Set in the real juju's environment: a juju-cassette that finds it was started, one way or
// another, by juju-cassette itself, and refuses to recurse.
constexpr const char* active_env = "JUJU_CASSETTE_ACTIVE";

constexpr std::string_view usage = R"(usage: juju <juju arguments...>     (juju-cassette on PATH as `juju`)
       juju-cassette <juju arguments...>
       juju-cassette --finish [cassette]   fold the recording's journal into the cassette and
                                           end the session (default: $JUJU_CASSETTE)

Records or replays juju commands into a jubilant-cpp cassette. Environment:
  JUJU_CASSETTE               the cassette file (required; relative paths resolve under
                              $JUBILANT_CASSETTE_DIR when set)
  JUBILANT_RECORD_MODE        none (default: replay only), once (record when the cassette does
                              not exist), all (record afresh), passthrough (run juju, record
                              nothing)
  JUJU_CASSETTE_REAL_JUJU     the juju to run when recording (default: the first `juju` on
                              PATH that is not juju-cassette itself)
  JUJU_CASSETTE_MATCH         exact (default), ignore_model, ignore_input (comma-separated)
  JUJU_CASSETTE_ON_EXHAUSTED  error (default) or repeat_last
  JUJU_CASSETTE_CLIENT        the header's client (default: the parent process's name)
  JUJU_CASSETTE_SESSION       session key (default: the process group, i.e. one test run)
  JUJU_CASSETTE_STDIN         none (default: juju gets no stdin) or read (record stdin)
Exit code 125: juju-cassette itself failed (the message says why).
)";

[[noreturn]] void fail(const std::string& message) {
    const std::string line = "juju-cassette: " + message + "\n";
    [[maybe_unused]] const auto ignored = ::write(STDERR_FILENO, line.data(), line.size());
    std::_Exit(shim_failure);
}

std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(fmt::format("cannot read {}", path.string()));
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return;  // the reader went away; nothing useful left to do with the bytes
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

// ----- the request --------------------------------------------------------------------------

// Flags whose value is a file the client wrote for this one call (Jubilant's temp files): the
// file is read into a sensitive TempFile named as the C++ library names it, and argv gets the
// library's placeholder, so a Python recording and a C++ one have the same args.
struct FileFlag {
    std::string_view command;
    std::string_view flag;
    std::string_view temp_name;
};
constexpr FileFlag file_flags[] = {
    {"add-secret", "--file", "content.yaml"},     {"update-secret", "--file", "content.yaml"},
    {"run", "--params", "params.yaml"},           {"add-credential", "--file", "credential.yaml"},
    {"add-cloud", "--file", "cloud.yaml"},        {"update-cloud", "-f", "cloud.yaml"},
    {"update-cloud", "--file", "cloud.yaml"},
};

bool readable_regular_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), R_OK) == 0;
}

CliRequest build_request(int argc, char** argv, bool read_stdin) {
    CliRequest request;
    request.args.assign(argv + 1, argv + argc);
    auto& args = request.args;
    if (!args.empty()) {
        for (const FileFlag& f : file_flags) {
            if (args[0] != f.command) continue;
            for (std::size_t i = 1; i < args.size(); ++i) {
                std::string path;
                const std::string placeholder = jubilant::temp_file_placeholder(f.temp_name);
                const std::string with_equals = std::string(f.flag) + "=";
                if (args[i] == f.flag && i + 1 < args.size()) {
                    path = args[i + 1];
                    if (!readable_regular_file(path)) continue;
                    args[i + 1] = placeholder;
                } else if (args[i].starts_with(with_equals)) {
                    path = args[i].substr(with_equals.size());
                    if (!readable_regular_file(path)) continue;
                    args[i] = with_equals + placeholder;
                } else {
                    continue;
                }
                request.temp_files.push_back(
                    {.name = std::string(f.temp_name), .content = read_file(path), .sensitive = true});
                break;  // one such file per command
            }
        }
    }
    if (read_stdin) {
        std::string text;
        char buf[65536];
        for (;;) {
            const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            text.append(buf, static_cast<std::size_t>(n));
        }
        request.stdin_text = std::move(text);
    }
    return request;
}

// ----- settings -----------------------------------------------------------------------------

struct Settings {
    fs::path cassette;
    RecordMode mode = RecordMode::none;
    jubilant::MatchOptions match{};
    jubilant::OnExhausted on_exhausted = jubilant::OnExhausted::error;
    bool read_stdin = false;
};

fs::path cassette_from(std::string text) {
    fs::path path(std::move(text));
    if (path.is_relative()) {
        if (auto dir = env(jubilant::cassette_dir_env)) path = fs::path(*dir) / path;
    }
    return fs::absolute(path);  // the client may change directory between calls
}

Settings read_settings() {
    Settings s;
    const auto path = env(cassette_env);
    if (!path) fail(fmt::format("set {} to the cassette file", cassette_env));
    s.cassette = cassette_from(*path);
    if (auto mode = env(jubilant::record_mode_env)) {
        const auto parsed = jubilant::parse_record_mode(*mode);
        if (!parsed) {
            fail(fmt::format("unknown {} '{}' (expected none, once, all or passthrough)",
                             jubilant::record_mode_env, jubilant::cut_for_message(*mode)));
        }
        if (*parsed == RecordMode::new_episodes) {
            fail(fmt::format(
                "{}=new_episodes is not supported: processes replaying and recording at once "
                "cannot agree which interactions are new; record the session again with 'all'",
                jubilant::record_mode_env));
        }
        s.mode = *parsed;
    }
    if (auto match = env(match_env)) {
        try {
            s.match = jubilant::parse_match_options(*match, match_env);
        } catch (const Error& e) {
            fail(e.what());
        }
    }
    if (auto on = env(on_exhausted_env)) {
        if (*on == "repeat_last") {
            s.on_exhausted = jubilant::OnExhausted::repeat_last;
        } else if (*on != "error") {
            fail(fmt::format("unknown {} '{}' (expected error or repeat_last)", on_exhausted_env,
                             jubilant::cut_for_message(*on)));
        }
    }
    if (auto in = env(stdin_env)) {
        if (*in == "read") {
            s.read_stdin = true;
        } else if (*in != "none") {
            fail(fmt::format("unknown {} '{}' (expected none or read)", stdin_env,
                             jubilant::cut_for_message(*in)));
        }
    }
    return s;
}

// The process group, as "<pgid>-<leader's start time>" so a reused id is another session.
// A pytest run (xdist workers included), a Python script or a shell script starts every juju
// process in its own process group, so by default one run is one session.
std::string default_session() {
    const pid_t group = ::getpgrp();
    std::string start = "0";
    std::ifstream stat_file(fmt::format("/proc/{}/stat", group));
    const std::string text((std::istreambuf_iterator<char>(stat_file)),
                           std::istreambuf_iterator<char>());
    // Field 22 (starttime), counted from field 3, just after the ")" that ends the name.
    if (const auto close = text.rfind(')'); close != std::string::npos && close + 2 < text.size()) {
        std::istringstream fields(text.substr(close + 2));
        std::string field;
        for (int i = 3; i <= 22 && fields >> field; ++i) {
            if (i == 22) start = field;
        }
    }
    return fmt::format("{}-{}", group, start);
}

std::string default_client() {
    std::ifstream comm(fmt::format("/proc/{}/comm", ::getppid()));
    std::string name;
    std::getline(comm, name);
    return name.empty() ? "unknown" : name;
}

// ----- the real juju ------------------------------------------------------------------------

struct FileId {
    dev_t dev = 0;
    ino_t ino = 0;
    bool operator==(const FileId&) const = default;
};

std::optional<FileId> file_id(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return FileId{st.st_dev, st.st_ino};
}

bool executable_file(const fs::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// The juju to run, never this executable: compared by inode with /proc/self/exe, so neither
// a symlink nor a hard link to juju-cassette passes for the real juju.
fs::path real_juju() {
    const auto self = file_id("/proc/self/exe");
    const std::string wanted = env(real_juju_env).value_or("juju");
    if (wanted.find('/') != std::string::npos) {
        if (!executable_file(wanted)) {
            fail(fmt::format("{}={} is not an executable file", real_juju_env,
                             jubilant::cut_for_message(wanted)));
        }
        if (self && file_id(wanted) == self) {
            fail(fmt::format("{}={} is juju-cassette itself; point it at the real juju",
                             real_juju_env, jubilant::cut_for_message(wanted)));
        }
        return wanted;
    }
    std::string_view rest = std::getenv("PATH") ? std::getenv("PATH") : "";
    while (true) {
        const auto colon = rest.find(':');
        const std::string dir(rest.substr(0, colon));
        const fs::path candidate = fs::path(dir.empty() ? "." : dir) / wanted;
        if (executable_file(candidate) && !(self && file_id(candidate) == self)) return candidate;
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
    }
    fail(fmt::format("no '{}' on PATH other than juju-cassette itself; install juju or set {} "
                     "to the real juju",
                     jubilant::cut_for_message(wanted), real_juju_env));
}

// ----- session state ------------------------------------------------------------------------

fs::path session_path(const fs::path& cassette_path) {
    auto path = cassette_path;
    path += ".session";
    return path;
}

// "<cassette>.session", read and written under the cassette's Lock:
//   juju-cassette-session 1 <session key>
//   <first interaction of an argv stream> <how many of the stream were replayed>
struct SessionState {
    std::string key;
    std::map<std::size_t, std::size_t> replayed;  // per argv stream

    static SessionState read(const fs::path& path) {
        SessionState state;
        std::ifstream in(path);
        std::string first_line;
        constexpr std::string_view magic = "juju-cassette-session 1 ";
        if (!std::getline(in, first_line) || !first_line.starts_with(magic)) {
            return {};  // none yet, or not ours: a new session
        }
        state.key = first_line.substr(magic.size());  // the whole rest: keys may hold spaces
        std::size_t first = 0, count = 0;
        while (in >> first >> count) state.replayed[first] = count;
        return state;
    }

    void write(const fs::path& path) const {
        std::string text = fmt::format("juju-cassette-session 1 {}\n", key);
        for (const auto& [first, count] : replayed) text += fmt::format("{} {}\n", first, count);
        // Overwritten in place, then cut to length; not opened with O_TRUNC: ext4 starts
        // writing back a file truncated to zero and rewritten as soon as it is closed
        // (auto_da_alloc), 0.4-1 ms per replayed call on this machine. The file is only read
        // under the lock, so nobody sees it between the write and the cut.
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            throw Error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
        }
        write_all(fd, text);
        const bool cut = ::ftruncate(fd, static_cast<off_t>(text.size())) == 0;
        const int err = errno;
        ::close(fd);
        if (!cut) {
            throw Error(fmt::format("cannot write {}: {}", path.string(), std::strerror(err)));
        }
    }
};

// ----- replay and record --------------------------------------------------------------------

[[noreturn]] void answer(const CliResult& result) {
    write_all(STDOUT_FILENO, result.stdout_text);
    write_all(STDERR_FILENO, result.stderr_text);
    if (result.returncode < 0) {
        // Recorded as killed by a signal (Python's -N): die of the same signal.
        std::signal(-result.returncode, SIG_DFL);
        std::raise(-result.returncode);
    }
    std::_Exit(result.returncode & 0xff);
}

std::string described(const CliRequest& request) {
    return jubilant::cut_for_message("juju " + jubilant::shell_join(request.args));
}

// Serves the next recorded interaction of the request's argv stream (the interactions whose
// argv matches, in recorded order), as the library's ordered matching does within one stream.
CliResult replay(const Settings& s, const CliRequest& request, const std::string& session) {
    std::error_code ec;
    if (!fs::exists(s.cassette, ec) && !fs::exists(cassette::journal_path(s.cassette), ec)) {
        fail(fmt::format("cassette '{}' does not exist ({} none never records; record it with "
                         "once or all)",
                         jubilant::cut_for_message(s.cassette.string()),
                         jubilant::record_mode_env));
    }
    const cassette::Lock lock(s.cassette);
    const cassette::Cassette recorded = cassette::Cassette::load(s.cassette);
    const auto& all = recorded.interactions;

    jubilant::MatchOptions argv_only = s.match;
    argv_only.compare_input = false;
    std::vector<std::size_t> stream;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (jubilant::request_matches(request, all[i], argv_only)) stream.push_back(i);
    }
    if (stream.empty()) {
        fail(fmt::format("no recorded interaction matches `{}` in cassette '{}' ({} "
                         "interactions; {} none)",
                         described(request), s.cassette.string(), all.size(),
                         jubilant::record_mode_env));
    }

    const fs::path state_path = session_path(s.cassette);
    SessionState state = SessionState::read(state_path);
    if (state.key != session) state = SessionState{.key = session, .replayed = {}};
    std::size_t& played = state.replayed[stream.front()];
    std::size_t index = 0;
    if (played < stream.size()) {
        index = stream[played];
    } else if (s.on_exhausted == jubilant::OnExhausted::repeat_last) {
        index = stream.back();
    } else {
        fail(fmt::format("`{}` was recorded {} time(s) in cassette '{}' and this session ({}) "
                         "has replayed every one; set {}=repeat_last to serve the last one "
                         "again",
                         described(request), stream.size(), s.cassette.string(), session,
                         on_exhausted_env));
    }
    if (!jubilant::request_matches(request, all[index], s.match)) {
        fail(fmt::format("the next recorded `{}` (interaction #{}, 0-based) had other stdin or "
                         "temp files (contents not shown) in cassette '{}'",
                         described(request), index, s.cassette.string()));
    }
    if (played < stream.size()) ++played;
    state.write(state_path);
    const cassette::Interaction& chosen = all[index];
    return {.returncode = chosen.returncode,
            .stdout_text = chosen.stdout_text,
            .stderr_text = chosen.stderr_text};
}

// The cassette's directory and any missing parents, owner-only like everything the toolkit
// creates (the toolkit's one place for that: files::create_private_directories).
void create_cassette_directory(const fs::path& cassette_path) {
    const fs::path dir = cassette_path.parent_path();
    if (dir.empty()) return;
    try {
        files::create_private_directories(dir);
    } catch (const files::FileError& e) {
        throw Error(e.what());
    }
}

// Joins this session's recording, or starts one: a journal left by another session (a run that
// never called --finish) is an old recording that mode all replaces.
void join_recording(const Settings& s, const std::string& session) {
    create_cassette_directory(s.cassette);
    const cassette::Lock lock(s.cassette);
    const fs::path state_path = session_path(s.cassette);
    SessionState state = SessionState::read(state_path);
    if (state.key == session) return;
    std::error_code ec;
    fs::remove(cassette::journal_path(s.cassette), ec);
    SessionState{.key = session, .replayed = {}}.write(state_path);
}

// The session that owns the recording in progress, if any.
std::string recording_session(const Settings& s) {
    const cassette::Lock lock(s.cassette);
    return SessionState::read(session_path(s.cassette)).key;
}

// Runs the real juju through the library's Recorder (subprocess plugin inside), which redacts
// and appends the interaction to the shared journal.
CliResult record(const Settings& s, const CliRequest& request, const std::string& session) {
    const fs::path juju = real_juju();
    join_recording(s, session);
    ::setenv(active_env, std::to_string(::getpid()).c_str(), 1);
    jubilant::RecorderOptions options{
        .mode = RecordMode::all,
        .inner = jubilant::load_backend(
            jubilant::BackendSpec{.plugin = "subprocess", .target = juju.string()}, "{}",
            {.merge_environment_config = false}),
        .match = s.match,
        .shared_journal_base = [] { return cassette::Cassette{}; },
        .client = env(client_env).value_or(default_client()),
    };
    jubilant::Recorder recorder(s.cassette, std::move(options));
    CliResult result = recorder.run(request);
    recorder.finish();
    return result;
}

int finish(int argc, char** argv) {
    const fs::path path = argc >= 3 ? cassette_from(argv[2])
                                    : cassette_from(env(cassette_env).value_or(""));
    if (path.filename().empty()) fail(fmt::format("--finish needs a cassette or {}", cassette_env));
    std::error_code ec;
    if (!fs::exists(path, ec) && !fs::exists(cassette::journal_path(path), ec)) {
        fail(fmt::format("nothing to finish: neither '{}' nor its journal exists",
                         jubilant::cut_for_message(path.string())));
    }
    const cassette::Cassette folded = cassette::fold_shared_journal(path);
    {
        const cassette::Lock lock(path);
        fs::remove(session_path(path), ec);
    }
    fmt::print("{}: {} interactions, recorded from {}\n", path.string(),
               folded.interactions.size(), folded.header.client.value_or("C++"));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // Library log lines would land in the client's stderr, which replay must keep byte-exact.
    if (!env("JUJU_CASSETTE_LOG_LEVEL")) {
        jubilant::logger()->set_level(spdlog::level::off);
    } else {
        jubilant::logger()->set_level(spdlog::level::from_str(*env("JUJU_CASSETTE_LOG_LEVEL")));
    }
    const std::string_view first = argc >= 2 ? argv[1] : "";
    const bool as_tool = fs::path(argv[0]).filename() == "juju-cassette";
    try {
        if (as_tool && (first == "--help" || first == "-h")) {
            std::fwrite(usage.data(), 1, usage.size(), stdout);
            return 0;
        }
        if (as_tool && first == "--finish") return finish(argc, argv);
        if (const auto parent = env(active_env)) {
            fail(fmt::format("refusing to run: started by juju-cassette (pid {}) through the juju "
                             "it runs; {} or PATH leads back to juju-cassette",
                             *parent, real_juju_env));
        }
        const Settings s = read_settings();
        const CliRequest request = build_request(argc, argv, s.read_stdin);
        // Not value_or(default_session()): that would read /proc on every call.
        std::string session = env(session_env) ? *env(session_env) : default_session();
        std::replace(session.begin(), session.end(), '\n', ' ');  // one line in the state file
        switch (s.mode) {
        case RecordMode::passthrough: {
            const fs::path juju = real_juju();
            ::setenv(active_env, std::to_string(::getpid()).c_str(), 1);
            ::execv(juju.c_str(), argv);
            fail(fmt::format("cannot run {}: {}", juju.string(), std::strerror(errno)));
        }
        case RecordMode::all: answer(record(s, request, session));
        case RecordMode::once: {
            // Record when there is no cassette yet, or join this session's recording; a journal
            // left by another session is a cassette that was never folded: replay it.
            std::error_code ec;
            if (!fs::exists(s.cassette, ec) &&
                (!fs::exists(cassette::journal_path(s.cassette), ec) ||
                 recording_session(s) == session)) {
                answer(record(s, request, session));
            }
            answer(replay(s, request, session));
        }
        default: answer(replay(s, request, session));
        }
    } catch (const std::exception& e) {
        fail(e.what());
    }
}
