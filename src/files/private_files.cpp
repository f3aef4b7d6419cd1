#include "private_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "message_text.hpp"

namespace jubilant::files {
namespace {

namespace fs = std::filesystem;

const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a plain file";
}

// The path is cut (cut_for_message): it comes from the user and can be of any length.
[[noreturn]] void fail_errno(const char* verb, const fs::path& path, int err) {
    throw FileError(std::string("cannot ") + verb + " " + cut_for_message(path.string()) + ": " +
                        std::strerror(err),
                    err);
}

void require_regular(const fs::path& path, mode_t mode) {
    if (!S_ISREG(mode)) {
        throw FileError("cannot read " + cut_for_message(path.string()) + ": not a regular file (" +
                            kind_of(mode) + ")",
                        0);
    }
}

}  // namespace

void create_private_directories(const fs::path& dir) {
    // Without a trailing separator, so that parent_path() walks up one component at a time.
    const fs::path target = dir.has_filename() ? dir : dir.parent_path();
    std::vector<fs::path> missing;
    for (fs::path p = target; !p.empty(); p = p.parent_path()) {
        struct stat st {};
        if (::stat(p.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) fail_errno("create directory", p, ENOTDIR);
            break;
        }
        // ENOTDIR: a component further up is a file; walking up finds it and names it.
        if (errno != ENOENT && errno != ENOTDIR) fail_errno("create directory", p, errno);
        missing.push_back(p);
        if (p == p.parent_path()) break;
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0700) != 0) {
            const int err = errno;
            struct stat st {};
            // Someone else created it meanwhile: theirs, so its mode is left alone.
            if (err == EEXIST && ::stat(it->c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;
            fail_errno("create directory", *it, err);
        }
        // mkdir() applies the umask, which may also clear owner bits (umask 0700 would leave a
        // directory we cannot enter); this one is ours, so give it exactly 0700.
        if (::chmod(it->c_str(), 0700) != 0) fail_errno("chmod", *it, errno);
    }
}

RegularFile::RegularFile(const fs::path& path) : path_(path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) fail_errno("open", path, errno);
    // Refused before opening: opening a device can have effects of its own.
    require_regular(path, st.st_mode);
    // Non-blocking, so that a FIFO swapped in since the stat() cannot block the open.
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd_ < 0) fail_errno("open", path, errno);
    try {
        if (::fstat(fd_, &st) != 0) fail_errno("stat", path, errno);
        require_regular(path, st.st_mode);
        const int flags = ::fcntl(fd_, F_GETFL);
        if (flags < 0 || ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK) != 0) {
            fail_errno("open", path, errno);
        }
    } catch (...) {
        ::close(fd_);
        throw;
    }
    size_ = static_cast<std::size_t>(st.st_size);
}

RegularFile::~RegularFile() { ::close(fd_); }

void RegularFile::read_exactly(char* into, std::size_t n) {
    std::size_t done = 0;
    while (done < n) {
        const ssize_t got = ::read(fd_, into + done, n - done);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) fail_errno("read", path_, errno);
        if (got == 0) {
            throw FileError(
                "cannot read " + cut_for_message(path_.string()) + ": file shrank while reading",
                0);
        }
        done += static_cast<std::size_t>(got);
    }
}

std::string read_regular_file(const fs::path& path) {
    RegularFile file(path);
    std::string text(file.size(), '\0');
    file.read_exactly(text.data(), text.size());
    return text;
}

std::optional<std::string> read_regular_file_if_exists(const fs::path& path) {
    try {
        return read_regular_file(path);
    } catch (const FileError& e) {
        if (e.error_number() == ENOENT) return std::nullopt;
        throw;
    }
}

}  // namespace jubilant::files
