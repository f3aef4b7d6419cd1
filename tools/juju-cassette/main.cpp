// juju-cassette-full: the whole of juju-cassette, a juju-compatible executable that records and
// replays every juju call of any client (a Python Jubilant suite, a shell script) into the
// same cassettes the C++ library uses. Clients run the front end (`juju-cassette` on PATH as
// `juju`, front_end.cpp), which serves most replays from the replay index this tool writes
// (replay_index.hpp) and runs this tool for everything else. It is driven by environment
// variables; see docs/how-to/record-and-replay-any-client.md and `juju-cassette --help`.
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
#include "replay_index.hpp"
#include "shim_common.hpp"

namespace fs = std::filesystem;
using jubilant::CliRequest;
using jubilant::CliResult;
using jubilant::Error;
using jubilant::RecordMode;
namespace cassette = jubilant::cassette;
namespace files = jubilant::files;
namespace shim = juju_cassette;
using shim::active_env;
using shim::cassette_env;
using shim::client_env;
using shim::env;
using shim::match_env;
using shim::on_exhausted_env;
using shim::real_juju_env;
using shim::shim_failure;
using shim::stdin_env;
using shim::write_all;

static_assert(std::string_view(shim::cassette_dir_env) == jubilant::cassette_dir_env);
static_assert(std::string_view(shim::record_mode_env) == jubilant::record_mode_env);

namespace {

constexpr std::string_view usage =
    R"(usage: juju <juju arguments...>     (juju-cassette on PATH as `juju`)
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

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(fmt::format("cannot read {}", path.string()));
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// ----- the request --------------------------------------------------------------------------

bool readable_regular_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), R_OK) == 0;
}

// A file flag's file (shim::file_flags) is read into a sensitive TempFile named as the C++
// library names it, and argv gets the library's placeholder, so a Python recording and a C++
// one have the same args.
CliRequest build_request(int argc, char** argv, bool read_stdin) {
    CliRequest request;
    request.args.assign(argv + 1, argv + argc);
    auto& args = request.args;
    if (!args.empty()) {
        for (const shim::FileFlag& f : shim::file_flags) {
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
                request.temp_files.push_back({.name = std::string(f.temp_name),
                                              .content = read_file(path),
                                              .sensitive = true});
                break;  // one such file per command
            }
        }
    }
    if (read_stdin) request.stdin_text = shim::read_all(STDIN_FILENO);
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
    std::string path = shim::absolute_cassette_path(std::move(text));
    if (path.empty())
        fail(fmt::format("cannot read the current directory: {}", std::strerror(errno)));
    return path;
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
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
}

// The front end that started this process (shim::front_end_env), if any: PATH's `juju` is a
// link to it, not to this file. Read once, and removed from the environment the real juju gets.
std::optional<FileId> front_end_id() {
    static const std::optional<FileId> id = []() -> std::optional<FileId> {
        const auto text = env(shim::front_end_env);
        ::unsetenv(shim::front_end_env);
        if (!text) return std::nullopt;
        unsigned long long dev = 0, ino = 0;
        if (std::sscanf(text->c_str(), "%llu:%llu", &dev, &ino) != 2) return std::nullopt;
        return FileId{static_cast<dev_t>(dev), static_cast<ino_t>(ino)};
    }();
    return id;
}

// Whether `path` is juju-cassette: this file or its front end, compared by inode, so neither
// a symlink nor a hard link to juju-cassette passes for the real juju.
bool is_juju_cassette(const fs::path& path) {
    const auto id = file_id(path);
    if (!id) return false;
    const auto self = file_id("/proc/self/exe");
    return (self && id == self) || id == front_end_id();
}

// The juju to run, never juju-cassette itself.
fs::path real_juju() {
    const std::string wanted = env(real_juju_env).value_or("juju");
    if (wanted.find('/') != std::string::npos) {
        if (!executable_file(wanted)) {
            fail(fmt::format("{}={} is not an executable file", real_juju_env,
                             jubilant::cut_for_message(wanted)));
        }
        if (is_juju_cassette(wanted)) {
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
        if (executable_file(candidate) && !is_juju_cassette(candidate)) return candidate;
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
    }
    fail(
        fmt::format("no '{}' on PATH other than juju-cassette itself; install juju or set {} "
                    "to the real juju",
                    jubilant::cut_for_message(wanted), real_juju_env));
}

// ----- session state ------------------------------------------------------------------------

fs::path session_path(const fs::path& cassette_path) {
    return shim::session_path(cassette_path.string());
}

using shim::SessionState;

void write_state(const SessionState& state, const fs::path& path) {
    if (const int err = state.write(path.string()); err != 0) {
        throw Error(fmt::format("cannot write {}: {}", path.string(), std::strerror(err)));
    }
}

// ----- replay and record --------------------------------------------------------------------

[[noreturn]] void answer(const CliResult& result) {
    shim::answer(result.returncode, result.stdout_text, result.stderr_text);
}

// Writes the replay index the front end serves from, when it is missing or stale. `before` is
// the cassette's identity before it was loaded: when the file changed meanwhile (a journal was
// folded into it, or someone rewrote it), what was loaded may not be what the file now holds,
// and the next call writes the index instead.
void refresh_replay_index(const fs::path& cassette_path, const cassette::Cassette& loaded,
                          const std::optional<shim::CassetteIdentity>& before) {
    const auto now = shim::CassetteIdentity::of(cassette_path.string());
    if (!before || now != before) return;
    if (const auto index = shim::ReplayIndex::open(cassette_path.string(), *now);
        index && index->whole()) {
        return;
    }
    std::vector<shim::IndexedInteraction> indexed;
    indexed.reserve(loaded.interactions.size());
    for (const cassette::Interaction& interaction : loaded.interactions) {
        indexed.push_back(
            {.args = {interaction.args.begin(), interaction.args.end()},
             .has_input = interaction.stdin_text.has_value() || !interaction.temp_files.empty(),
             .returncode = interaction.returncode,
             .stdout_text = interaction.stdout_text,
             .stderr_text = interaction.stderr_text});
    }
    (void)shim::write_replay_index(cassette_path.string(), *now, indexed);  // a cache: best effort
}

std::string described(const CliRequest& request) {
    return jubilant::cut_for_message("juju " + jubilant::shell_join(request.args));
}

// Serves the next recorded interaction of the request's argv stream (the interactions whose
// argv matches, in recorded order), as the library's ordered matching does within one stream.
CliResult replay(const Settings& s, const CliRequest& request, const std::string& session) {
    std::error_code ec;
    if (!fs::exists(s.cassette, ec) && !fs::exists(cassette::journal_path(s.cassette), ec)) {
        fail(
            fmt::format("cassette '{}' does not exist ({} none never records; record it with "
                        "once or all)",
                        jubilant::cut_for_message(s.cassette.string()), jubilant::record_mode_env));
    }
    const cassette::Lock lock(s.cassette);
    const auto before = fs::exists(cassette::journal_path(s.cassette), ec)
                            ? std::nullopt
                            : shim::CassetteIdentity::of(s.cassette.string());
    const cassette::Cassette recorded = cassette::Cassette::load(s.cassette);
    refresh_replay_index(s.cassette, recorded, before);
    const auto& all = recorded.interactions;

    jubilant::MatchOptions argv_only = s.match;
    argv_only.compare_input = false;
    std::vector<std::size_t> stream;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (jubilant::request_matches(request, all[i], argv_only)) stream.push_back(i);
    }
    if (stream.empty()) {
        fail(fmt::format(
            "no recorded interaction matches `{}` in cassette '{}' ({} "
            "interactions; {} none)",
            described(request), s.cassette.string(), all.size(), jubilant::record_mode_env));
    }

    const fs::path state_path = session_path(s.cassette);
    SessionState state = SessionState::read(state_path.string());
    if (state.key != session) state = SessionState{.key = session, .replayed = {}};
    std::size_t& played = state.replayed[stream.front()];
    std::size_t index = 0;
    if (played < stream.size()) {
        index = stream[played];
    } else if (s.on_exhausted == jubilant::OnExhausted::repeat_last) {
        index = stream.back();
    } else {
        fail(fmt::format(
            "`{}` was recorded {} time(s) in cassette '{}' and this session ({}) "
            "has replayed every one; set {}=repeat_last to serve the last one "
            "again",
            described(request), stream.size(), s.cassette.string(), session, on_exhausted_env));
    }
    if (!jubilant::request_matches(request, all[index], s.match)) {
        fail(
            fmt::format("the next recorded `{}` (interaction #{}, 0-based) had other stdin or "
                        "temp files (contents not shown) in cassette '{}'",
                        described(request), index, s.cassette.string()));
    }
    if (played < stream.size()) ++played;
    write_state(state, state_path);
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
    SessionState state = SessionState::read(state_path.string());
    if (state.key == session) return;
    std::error_code ec;
    fs::remove(cassette::journal_path(s.cassette), ec);
    write_state(SessionState{.key = session, .replayed = {}}, state_path);
}

// The session that owns the recording in progress, if any.
std::string recording_session(const Settings& s) {
    const cassette::Lock lock(s.cassette);
    return SessionState::read(session_path(s.cassette).string()).key;
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
    const fs::path path =
        argc >= 3 ? cassette_from(argv[2]) : cassette_from(env(cassette_env).value_or(""));
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
    fmt::print("{}: {} interactions, recorded from {}\n", path.string(), folded.interactions.size(),
               folded.header.client.value_or("C++"));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // Library log lines would land in the client's stderr, which replay must keep byte-exact.
    if (!env(shim::log_level_env)) {
        jubilant::logger()->set_level(spdlog::level::off);
    } else {
        jubilant::logger()->set_level(spdlog::level::from_str(*env(shim::log_level_env)));
    }
    (void)front_end_id();  // taken out of the environment before anything runs a child
    const std::string_view first = argc >= 2 ? argv[1] : "";
    const bool as_tool = fs::path(argv[0]).filename() == "juju-cassette";
    try {
        if (as_tool && (first == "--help" || first == "-h")) {
            std::fwrite(usage.data(), 1, usage.size(), stdout);
            return 0;
        }
        if (as_tool && first == "--finish") return finish(argc, argv);
        if (const auto parent = env(active_env)) {
            fail(
                fmt::format("refusing to run: started by juju-cassette (pid {}) through the juju "
                            "it runs; {} or PATH leads back to juju-cassette",
                            *parent, real_juju_env));
        }
        const Settings s = read_settings();
        const CliRequest request = build_request(argc, argv, s.read_stdin);
        const std::string session = shim::session_key();
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
