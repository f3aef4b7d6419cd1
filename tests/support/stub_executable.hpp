// Test support: temporary directories, stub executables standing in for `juju`, and a log
// capture for the "jubilant" loggers.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

namespace jubilant::test {

/// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

/// Writes an executable script `dir/name` (mode 0700) whose body follows a `#!/bin/sh` line.
/// Tests use these as stand-ins for the juju binary; the library itself never runs a shell.
std::filesystem::path write_stub(const std::filesystem::path& dir, std::string_view name,
                                 std::string_view body);

/// Reads a whole file (binary-safe).
std::string read_file(const std::filesystem::path& path);

/// The permission bits of `path` (e.g. 0600), or 0 when it cannot be stat()ed.
unsigned mode_of(const std::filesystem::path& path);

/// Sets (or, with nullopt, unsets) an environment variable and restores it on destruction.
class ScopedEnv {
public:
    ScopedEnv(std::string name, const std::optional<std::string>& value);
    ~ScopedEnv();
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    std::string name_;
    std::optional<std::string> old_;
};

/// Replaces the loggers "jubilant" and "jubilant.wait" with ones writing into a string for
/// the lifetime of this object, at `level`.
class LogCapture {
public:
    explicit LogCapture(spdlog::level::level_enum level = spdlog::level::debug);
    ~LogCapture();
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;
    std::string text() const;

private:
    std::shared_ptr<std::ostringstream> stream_;
};

}  // namespace jubilant::test
