// Cassette files: atomic, owner-only saving and reading of regular files only.
#include <jubilant/cassette.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include <jubilant/errors.hpp>

#include "cassette/internal.hpp"
#include "print/json_quote.hpp"
#include "private_files.hpp"

namespace jubilant::cassette {

namespace detail {

// ---------------------------------------------------------------------------------------------
// Files

namespace {

std::string errno_text(int err) { return std::strerror(err); }

void write_all(int fd, std::string_view data, const std::filesystem::path& path) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(fmt::format("cannot write {}: {}", path.string(), errno_text(errno)));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

void write_fully(int fd, std::string_view data, const std::filesystem::path& path) {
    write_all(fd, data, path);
}

void fsync_directory(const std::filesystem::path& file) {
    auto dir = file.parent_path();
    if (dir.empty()) dir = ".";
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;  // best effort: the rename itself already happened
    ::fsync(fd);
    ::close(fd);
}

void write_atomically(const std::filesystem::path& path, std::string_view data) {
    auto dir = path.parent_path();
    std::string tmpl = (dir.empty() ? std::filesystem::path(".") : dir).string() + "/." +
                       path.filename().string() + ".tmp-XXXXXX";
    const int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
    if (fd < 0) {
        throw Error(fmt::format("cannot create a temporary file next to {}: {}", path.string(),
                                errno_text(errno)));
    }
    try {
        // mkstemp already creates 0600; say so explicitly, since the rename replaces whatever
        // mode an existing cassette had.
        if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
            throw Error(fmt::format("cannot chmod {}: {}", tmpl, errno_text(errno)));
        }
        write_all(fd, data, tmpl);
        if (::fsync(fd) != 0) {
            throw Error(fmt::format("cannot fsync {}: {}", tmpl, errno_text(errno)));
        }
        if (::close(fd) != 0) {
            throw Error(fmt::format("cannot close {}: {}", tmpl, errno_text(errno)));
        }
    } catch (...) {
        ::close(fd);
        ::unlink(tmpl.c_str());
        throw;
    }
    if (::rename(tmpl.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmpl.c_str());
        throw Error(
            fmt::format("cannot rename {} to {}: {}", tmpl, path.string(), errno_text(err)));
    }
    fsync_directory(path);
}

simdjson::padded_string read_padded(const std::filesystem::path& path) {
    // A FIFO, directory or device given as a cassette is refused, never waited on.
    try {
        files::RegularFile file(path);
        simdjson::padded_string text(file.size());
        file.read_exactly(text.data(), text.size());
        return text;
    } catch (const files::FileError& e) {
        throw Error(e.what());
    }
}

}  // namespace detail

}  // namespace jubilant::cassette
