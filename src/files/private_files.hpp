// Internal to jubilant-cpp (not installed): the one home for how the toolkit creates
// directories and reads files it is given by path, shared by the library, the plugins, the fake
// engine and the tools (docs/explanation/security.md says why):
// - a directory the toolkit creates is 0700 whatever the umask, since cassettes, journals, temp
//   files and fake state databases end up in it; directories that already exist keep their mode;
// - a file read by path must be a regular file: a FIFO (which would block forever), a directory,
//   a device or a socket is refused with a message naming the path, without blocking on it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace jubilant::files {

/// A failure naming the path; callers rethrow its message as their own error type.
class FileError : public std::runtime_error {
public:
    FileError(const std::string& message, int error_number)
        : std::runtime_error(message), error_number_(error_number) {}
    /// errno of the failed call, or 0 when the file exists but is not a regular file.
    int error_number() const noexcept { return error_number_; }

private:
    int error_number_;
};

/// Creates `dir` and each missing parent with mode 0700, whatever the umask. Directories that
/// already exist (the user's home, a chosen output directory) are left as they are. Throws
/// FileError naming the directory that could not be created.
void create_private_directories(const std::filesystem::path& dir);

/// A regular file open for reading; closes itself.
class RegularFile {
public:
    /// Opens `path` if it is a regular file. Anything else is refused before it is opened, and
    /// again after a non-blocking open (in case it was swapped in between), so a FIFO never
    /// blocks. Throws FileError: "cannot read <path>: not a regular file (a FIFO)", "cannot
    /// open <path>: No such file or directory", ...
    explicit RegularFile(const std::filesystem::path& path);
    ~RegularFile();
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;

    /// Size when opened.
    std::size_t size() const noexcept { return size_; }
    /// Reads exactly `n` bytes from the current position. Throws FileError when the file ends
    /// early (it shrank) or a read fails.
    void read_exactly(char* into, std::size_t n);

private:
    std::filesystem::path path_;
    int fd_ = -1;
    std::size_t size_ = 0;
};

/// The whole content of a regular file (see RegularFile for what is refused).
std::string read_regular_file(const std::filesystem::path& path);

/// Like read_regular_file, but nullopt when there is no such file.
std::optional<std::string> read_regular_file_if_exists(const std::filesystem::path& path);

}  // namespace jubilant::files
