// The fake Juju engine: one stateful implementation of the juju CLI behind both faces, the
// in-process `fake` backend plugin and the `fake-juju` executable.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jubilant/backend.hpp>

namespace jubilant::fake {

/// The juju version a fresh data directory's controller speaks when none is chosen.
inline constexpr std::string_view default_juju_version = "3.6.4";

/// Why `text` is not a juju version the fake can speak (three numbers, major 3 or 4, such as
/// "3.6.4" or "4.0.1"); nullopt when it is one.
std::optional<std::string> juju_version_problem(std::string_view text);

struct EngineOptions {
    /// SQLite database file; empty keeps the state in memory (the in-process plugin).
    std::string database_path{};
    /// Extra charm fixtures (<name>.yaml), searched before the built-in ones.
    std::string charms_dir{};
    /// Refuse charm names that are neither a fixture nor a local charm (juju's "charm or
    /// bundle not found"), instead of deploying a generic charm: catches misspelt names.
    bool strict = false;
    /// Simulated time that passes with every command, so waits settle deterministically.
    std::chrono::milliseconds tick{std::chrono::seconds(1)};
    /// The juju version of a fresh data directory's controller (default_juju_version when
    /// unset); `bootstrap --agent-version` chooses it for a further controller. Given for a
    /// data directory made for another version, the engine refuses to open it (StoreError)
    /// rather than speak a version nobody asked for.
    std::optional<std::string> juju_version{};
};

/// Reads a file named on the command line (--file, --params, --config <file>). The plugin
/// serves request temp files from memory; the binary reads the disk. nullopt: no such file.
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

/// The most a file named on the command line may hold; a larger one is refused, not read.
inline constexpr std::size_t max_argument_file_bytes = 64u << 20;

/// The FileReader of the disk. Reads at most `max_bytes` + 1 bytes, so the caller can tell a
/// file that is too large without reading all of it. nullopt: no such file. CommandError
/// naming the path for anything that is not a regular file (a FIFO is refused, never waited
/// on) or cannot be read.
std::optional<std::string> read_disk_file(const std::string& path,
                                          std::size_t max_bytes = max_argument_file_bytes);

class Database;

class Engine {
public:
    explicit Engine(EngineOptions options);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// Runs one juju command (`args` without the binary name) in one transaction.
    CliResult execute(const std::vector<std::string>& args, const FileReader& read_file,
                      std::string_view stdin_text = {});

    /// Simulated time since the fake's epoch.
    std::chrono::milliseconds now();
    /// Lets simulated time pass (what a wait's sleep does against the in-process fake).
    void advance(std::chrono::milliseconds by);

    /// Commands that ended in "fake-juju internal error" (an exception the engine did not
    /// expect: a bug in the fake). Counted apart from the message, which can echo user input.
    std::size_t internal_errors() const noexcept { return internal_errors_; }

private:
    void ensure_schema();
    EngineOptions options_;
    std::unique_ptr<Database> db_;
    std::size_t internal_errors_ = 0;
};

/// Where simulated time 0 is on the wall clock for a state database from before the epoch
/// was stored in it (2025-01-01T00:00:00Z). A new database stores the moment it was created,
/// so timestamps read as the time the test ran while waits still settle on simulated time.
inline constexpr std::int64_t legacy_epoch_unix_ms = 1'735'689'600'000;

}  // namespace jubilant::fake
