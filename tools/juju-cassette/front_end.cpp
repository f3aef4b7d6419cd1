// juju-cassette's front end: the executable clients run as `juju`. It links no C++ shared
// library (libstdc++ and libgcc are linked in, or the whole program is static), because the
// dynamic loader was 91% of a replayed call's instructions (3,628 symbol bindings, mostly
// libstdc++ and spdlog). It serves the common replay itself, from the replay index the full
// tool writes next to the cassette (replay_index.hpp), with the same lock and session state
// as the full tool, and runs the full tool (`juju-cassette-full`, main.cpp) for everything
// else: recording, --help and --finish, the first replay of a cassette (which writes the
// index), and anything it cannot answer exactly the way the full tool would (stdin, temp-file
// arguments, temp-file placeholders, a journal to fold, a missing or exhausted interaction, an
// index that is stale or damaged, unusual settings). The fallback runs before anything is
// written, so the full tool starts from the same state and also gives every error message.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generated_name.hpp"
#include "replay_index.hpp"
#include "shim_common.hpp"

namespace jc = juju_cassette;

namespace {

#ifndef JUJU_CASSETTE_FULL_FROM_BIN
#define JUJU_CASSETTE_FULL_FROM_BIN "juju-cassette-full"
#endif

std::string own_directory() {
    char self[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return ".";
    const std::string path(self, static_cast<std::size_t>(n));
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

// Runs the full tool with this process's argv (argv[0] too: it decides `juju-cassette --finish`
// versus `juju --finish`), telling it which file the front end is so that neither is taken for
// the real juju.
[[noreturn]] void run_full_tool(char** argv) {
    struct stat self {};
    if (::stat("/proc/self/exe", &self) == 0) {
        const std::string id = std::to_string(static_cast<unsigned long long>(self.st_dev)) + ":" +
                               std::to_string(static_cast<unsigned long long>(self.st_ino));
        ::setenv(jc::front_end_env, id.c_str(), 1);
    }
    const std::string dir = own_directory();
    // Installed: bin/juju-cassette and libexec/jubilant/juju-cassette-full; build tree: side by
    // side.
    std::string tried;
    const std::string installed = JUJU_CASSETTE_FULL_FROM_BIN;
    const std::string beside = dir + "/juju-cassette-full";
    for (const std::string& candidate :
         {installed.starts_with('/') ? installed : dir + "/" + installed, beside}) {
        if (!tried.empty() && candidate == beside && tried.starts_with(beside + " ")) break;
        ::execv(candidate.c_str(), argv);
        tried += (tried.empty() ? "" : ", ") + candidate + " (" + std::strerror(errno) + ")";
    }
    jc::write_all(STDERR_FILENO, "juju-cassette: cannot run juju-cassette-full: tried " + tried +
                                     "; reinstall jubilant-cpp\n");
    std::_Exit(jc::shim_failure);
}

struct FastSettings {
    bool ignore_model = false;
    bool compare_input = true;
    bool repeat_last = false;
};

// The settings, when they are ones the fast path serves exactly as the full tool would; any
// other value (including a wrong one, whose error the full tool words) goes to the full tool.
std::optional<FastSettings> fast_settings() {
    FastSettings s;
    if (jc::env(jc::active_env) || jc::env(jc::log_level_env)) return std::nullopt;
    if (const auto mode = jc::env(jc::record_mode_env);
        mode && *mode != "none" && *mode != "once") {
        return std::nullopt;  // once records only when there is no cassette: checked later
    }
    if (const auto match = jc::env(jc::match_env)) {
        std::string token;
        for (std::size_t i = 0; i <= match->size(); ++i) {
            if (i < match->size() && (*match)[i] != ',') {
                if ((*match)[i] != ' ') token += (*match)[i];
                continue;
            }
            if (token == "ignore_model") {
                s.ignore_model = true;
            } else if (token == "ignore_input") {
                s.compare_input = false;
            } else if (token != "exact" && !token.empty()) {
                return std::nullopt;
            }
            token.clear();
        }
    }
    if (const auto on = jc::env(jc::on_exhausted_env)) {
        if (*on == "repeat_last") {
            s.repeat_last = true;
        } else if (*on != "error") {
            return std::nullopt;
        }
    }
    if (const auto in = jc::env(jc::stdin_env); in && *in != "none") return std::nullopt;
    return s;
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// Whether argv is one the fast path compares exactly as the library's request_matches does:
// no temp file to read (a file flag) and no temp-file placeholder (which matches a local path).
bool plain_request(const std::vector<std::string_view>& args) {
    for (const std::string_view arg : args) {
        if (contains(arg, "{tmp:")) return false;
    }
    if (args.empty()) return true;
    for (const jc::FileFlag& f : jc::file_flags) {
        if (args[0] != f.command) continue;
        for (std::size_t i = 1; i < args.size(); ++i) {
            if (args[i] == f.flag ||
                (args[i].starts_with(f.flag) && args[i].substr(f.flag.size()).starts_with('='))) {
                return false;
            }
        }
    }
    return true;
}

// argv as compared: without the `--model <value>` pair after the first argument when the
// match ignores the model (the library's comparable_args).
std::vector<std::string_view> comparable(std::vector<std::string_view> args, bool ignore_model) {
    if (ignore_model && args.size() >= 3 && args[1] == "--model") {
        args.erase(args.begin() + 1, args.begin() + 3);
    }
    return args;
}

enum class Match { no, yes, unsure };

bool has_generated_name(std::string_view text) {
    return jubilant::detail::find_generated_name(text, 0) != std::string_view::npos;
}

// Generated names in the order they first appear on one side of a comparison.
class NameOrder {
public:
    std::size_t index_of(std::string_view name) {
        for (std::size_t i = 0; i < names_.size(); ++i) {
            if (names_[i] == name) return i;
        }
        names_.push_back(name);
        return names_.size() - 1;
    }

private:
    std::vector<std::string_view> names_;
};

// Equal but for generated names, the n-th distinct name of one side standing where the n-th
// of the other does: the library's one-to-one binding of recorded to live names, which holds
// across the whole argv (hence the NameOrders).
bool equal_but_generated_names(std::string_view recorded, std::string_view live,
                               NameOrder& recorded_names, NameOrder& live_names) {
    const std::size_t length =
        jubilant::detail::generated_name_prefix.size() + jubilant::detail::generated_name_digits;
    std::size_t i = 0, j = 0;
    for (;;) {
        const std::size_t r = jubilant::detail::find_generated_name(recorded, i);
        const std::size_t l = jubilant::detail::find_generated_name(live, j);
        if (r == std::string_view::npos || l == std::string_view::npos) {
            return r == l && recorded.substr(i) == live.substr(j);
        }
        if (recorded.substr(i, r - i) != live.substr(j, l - j)) return false;
        if (recorded_names.index_of(recorded.substr(r, length)) !=
            live_names.index_of(live.substr(l, length))) {
            return false;
        }
        i = r + length;
        j = l + length;
    }
}

// For a plain request (plain_request), as the library's argv comparison with fresh name
// bindings: an equal element matches; a differing one matches only through generated names on
// both sides (decided here) or a recorded temp-file placeholder standing for a local path (left
// to the full tool). An equal element holding a generated name binds nothing in the library,
// which the name order here cannot express: also left to the full tool.
Match argv_match(const std::vector<std::string_view>& recorded,
                 const std::vector<std::string_view>& live) {
    if (recorded.size() != live.size()) return Match::no;
    bool unsure = false, names = false;
    for (std::size_t i = 0; i < recorded.size(); ++i) {
        if (recorded[i] == live[i]) continue;
        if (contains(recorded[i], "{tmp:")) {
            unsure = true;
        } else if (has_generated_name(recorded[i]) && has_generated_name(live[i])) {
            names = true;
        } else {
            return Match::no;  // whatever the other elements bind
        }
    }
    if (unsure) return Match::unsure;
    if (!names) return Match::yes;
    NameOrder recorded_names, live_names;
    for (std::size_t i = 0; i < recorded.size(); ++i) {
        if (recorded[i] == live[i]) {
            if (has_generated_name(recorded[i])) return Match::unsure;
            continue;
        }
        if (!equal_but_generated_names(recorded[i], live[i], recorded_names, live_names)) {
            return Match::no;
        }
    }
    return Match::yes;
}

struct Answer {
    int returncode = 0;
    std::string stdout_text;
    std::string stderr_text;
};

// The replay, when the fast path can give exactly the full tool's answer; nullopt leaves it to
// the full tool, with nothing written.
std::optional<Answer> fast_replay(const FastSettings& s,
                                  const std::vector<std::string_view>& args) {
    const auto cassette_env = jc::env(jc::cassette_env);
    if (!cassette_env) return std::nullopt;
    const std::string cassette = jc::absolute_cassette_path(*cassette_env);
    if (cassette.empty() || !jc::CassetteIdentity::of(cassette)) return std::nullopt;
    const std::string session = jc::session_key();

    const jc::FileLock lock(cassette);
    if (!lock.held()) return std::nullopt;
    struct stat journal {};
    if (::stat(jc::journal_path(cassette).c_str(), &journal) == 0) return std::nullopt;
    const auto identity = jc::CassetteIdentity::of(cassette);
    if (!identity) return std::nullopt;
    const auto index = jc::ReplayIndex::open(cassette, *identity);
    if (!index) return std::nullopt;

    const auto& all = index->entries();
    const auto request = comparable(args, s.ignore_model);
    std::vector<std::size_t> stream;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Match m = argv_match(comparable(all[i].args, s.ignore_model), request);
        if (m == Match::unsure) return std::nullopt;
        if (m == Match::yes) stream.push_back(i);
    }
    if (stream.empty()) return std::nullopt;

    const std::string state_path = jc::session_path(cassette);
    jc::SessionState state = jc::SessionState::read(state_path);
    if (state.key != session) state = jc::SessionState{.key = session, .replayed = {}};
    std::size_t& played = state.replayed[stream.front()];
    std::size_t chosen = 0;
    if (played < stream.size()) {
        chosen = stream[played];
    } else if (s.repeat_last) {
        chosen = stream.back();
    } else {
        return std::nullopt;
    }
    // The request has neither stdin nor temp files, so only a recording without them matches.
    if (s.compare_input && all[chosen].has_input) return std::nullopt;
    const auto output = index->output(all[chosen]);
    if (!output) return std::nullopt;
    if (played < stream.size()) ++played;
    if (state.write(state_path) != 0) return std::nullopt;
    return Answer{.returncode = all[chosen].returncode,
                  .stdout_text = std::string(output->first),
                  .stderr_text = std::string(output->second)};
}

}  // namespace

int main(int argc, char** argv) {
    const std::string_view argv0 = argc >= 1 ? argv[0] : "";
    const bool as_tool = argv0.substr(argv0.rfind('/') + 1) == "juju-cassette";
    const std::string_view first = argc >= 2 ? argv[1] : "";
    if (as_tool && (first == "--help" || first == "-h" || first == "--finish")) {
        run_full_tool(argv);
    }
    if (const auto settings = fast_settings()) {
        const std::vector<std::string_view> args(argv + 1, argv + argc);
        if (plain_request(args)) {
            if (auto result = fast_replay(*settings, args)) {
                jc::answer(result->returncode, result->stdout_text, result->stderr_text);
            }
        }
    }
    run_full_tool(argv);
}
