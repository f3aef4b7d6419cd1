#include "shim_common.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>

namespace juju_cassette {
namespace {

// As std::filesystem's `a / b` on POSIX: b when it is absolute, else a and b with one '/'.
std::string joined(const std::string& a, const std::string& b) {
    if (!b.empty() && b.front() == '/') return b;
    if (a.empty()) return b;
    return a.back() == '/' ? a + b : a + "/" + b;
}

std::optional<std::string> read_small_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::string text = read_all(fd);
    ::close(fd);
    return text;
}

bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

// The process group, as "<pgid>-<leader's start time>". A pytest run (xdist workers included),
// a Python script or a shell script starts every juju process in its own process group, so by
// default one run is one session.
std::string default_session() {
    const pid_t group = ::getpgrp();
    std::string start = "0";
    const std::string text =
        read_small_file("/proc/" + std::to_string(group) + "/stat").value_or("");
    // Field 22 (starttime), counted from field 3, just after the ")" that ends the name.
    if (const auto close = text.rfind(')'); close != std::string::npos && close + 2 < text.size()) {
        std::size_t at = close + 2;
        for (int field = 3; field <= 22; ++field) {
            while (at < text.size() && is_space(text[at])) ++at;
            if (at >= text.size()) break;
            const std::size_t end = [&] {
                std::size_t e = at;
                while (e < text.size() && !is_space(text[e])) ++e;
                return e;
            }();
            if (field == 22) start = text.substr(at, end - at);
            at = end;
        }
    }
    return std::to_string(group) + "-" + start;
}

}  // namespace

std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

std::string absolute_cassette_path(std::string text) {
    if (text.empty() || text.front() != '/') {
        if (auto dir = env(cassette_dir_env)) text = joined(*dir, text);
    }
    if (!text.empty() && text.front() == '/') return text;
    char cwd[PATH_MAX];
    if (::getcwd(cwd, sizeof cwd) == nullptr) return {};
    return joined(cwd, text);
}

std::string session_path(const std::string& cassette) { return cassette + ".session"; }
std::string journal_path(const std::string& cassette) { return cassette + ".journal"; }
std::string lock_path(const std::string& cassette) { return cassette + ".lock"; }
std::string replay_index_path(const std::string& cassette) { return cassette + ".replay-index"; }

std::string session_key() {
    std::string key = env(session_env).value_or("");
    if (key.empty()) key = default_session();  // not value_or(): that would read /proc always
    for (char& c : key) {
        if (c == '\n') c = ' ';
    }
    return key;
}

SessionState SessionState::read(const std::string& path) {
    const auto text = read_small_file(path);
    constexpr std::string_view magic = "juju-cassette-session 1 ";
    if (!text || !std::string_view(*text).starts_with(magic)) return {};  // a new session
    SessionState state;
    const std::size_t end_of_line = std::min(text->find('\n'), text->size());
    state.key = text->substr(magic.size(), end_of_line - magic.size());  // keys may hold spaces
    // Pairs of numbers up to the first thing that is not one.
    std::size_t at = end_of_line;
    const auto number = [&]() -> std::optional<std::size_t> {
        while (at < text->size() && is_space((*text)[at])) ++at;
        std::size_t value = 0, digits = 0;
        for (; at < text->size() && (*text)[at] >= '0' && (*text)[at] <= '9'; ++at, ++digits) {
            if (value > (SIZE_MAX - 9) / 10) return std::nullopt;
            value = value * 10 + static_cast<std::size_t>((*text)[at] - '0');
        }
        if (digits == 0) return std::nullopt;
        return value;
    };
    for (;;) {
        const auto first = number();
        if (!first) break;
        const auto count = number();
        if (!count) break;
        state.replayed[*first] = *count;
    }
    return state;
}

int SessionState::write(const std::string& path) const {
    std::string text = "juju-cassette-session 1 " + key + "\n";
    for (const auto& [first, count] : replayed) {
        text += std::to_string(first) + " " + std::to_string(count) + "\n";
    }
    // Overwritten in place, then cut to length; not opened with O_TRUNC: ext4 starts writing
    // back a file truncated to zero and rewritten as soon as it is closed (auto_da_alloc),
    // 0.4-1 ms per replayed call on this machine. The file is only read under the lock, so
    // nobody sees it between the write and the cut.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return errno;
    write_all(fd, text);
    const bool cut = ::ftruncate(fd, static_cast<off_t>(text.size())) == 0;
    const int err = errno;
    ::close(fd);
    return cut ? 0 : err;
}

FileLock::FileLock(const std::string& cassette) {
    fd_ = ::open(lock_path(cassette).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) return;
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        ::close(fd_);
        fd_ = -1;
        return;
    }
}

FileLock::~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the flock
}

void answer(int returncode, std::string_view stdout_text, std::string_view stderr_text) {
    write_all(STDOUT_FILENO, stdout_text);
    write_all(STDERR_FILENO, stderr_text);
    if (returncode < 0) {
        std::signal(-returncode, SIG_DFL);
        std::raise(-returncode);
    }
    std::_Exit(returncode & 0xff);
}

std::string read_all(int fd) {
    std::string text;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    return text;
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

}  // namespace juju_cassette
