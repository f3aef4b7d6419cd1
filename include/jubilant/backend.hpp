// The seam between the typed Juju API and whatever answers CLI requests.
//
// A CliBackend receives one request (argv without the binary, optional stdin, temp files, an
// optional timeout) and returns the raw result. It does not interpret the return code: Juju
// turns non-zero codes into CLIError. Backends are usually loaded at run time as plugins (see
// plugin_loader.hpp), but any object implementing this interface can be passed to Juju.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jubilant/clock.hpp>

namespace jubilant {

/// A file the command needs on disk for the duration of one call (a secret's content, a
/// credential, action params, a cloud definition). argv refers to it by placeholder, so the
/// request itself never contains a real path and backends that do not run a process never
/// touch the disk.
struct TempFile {
    /// Identifies the file inside its request and becomes the file name's suffix
    /// (e.g. "content.yaml"). Letters, digits, '.', '-' and '_' only.
    std::string name{};
    /// The bytes to write.
    std::string content{};
    /// Sensitive contents must never reach argv, logs, exception text or cassettes.
    bool sensitive = true;
};

/// The text that stands for a temp file's path inside argv: "{tmp:<name>}".
std::string temp_file_placeholder(std::string_view name);

/// Returns args with every temp-file placeholder replaced by its path. Placeholders may stand
/// alone or inside a larger argument (e.g. "--file={tmp:x}"). Throws BackendError naming a
/// placeholder that has no path.
std::vector<std::string> substitute_temp_paths(const std::vector<std::string>& args,
                                               const std::map<std::string, std::string>& paths);

/// One CLI invocation.
struct CliRequest {
    /// Arguments after the binary, e.g. {"status", "--format", "json"}.
    std::vector<std::string> args{};
    /// Bytes written to the process's standard input, which is then closed.
    std::optional<std::string> stdin_text{};
    /// Files to materialise for the call (see TempFile).
    std::vector<TempFile> temp_files{};
    /// Kill the command and throw CLITimeoutError if it runs longer than this.
    std::optional<std::chrono::milliseconds> timeout{};
};

/// What the command produced. Output is kept as raw bytes: nothing is decoded or replaced.
struct CliResult {
    int returncode = 0;
    std::string stdout_text{};
    std::string stderr_text{};
};

/// Abstract backend. Implementations must be safe to call from one thread at a time; Juju does
/// not call a backend concurrently.
class CliBackend {
public:
    virtual ~CliBackend() = default;

    /// Runs one request. Returns the result whatever the return code. Throws CLITimeoutError
    /// on timeout and BackendError when the request could not be carried out at all.
    virtual CliResult run(const CliRequest& request) = 0;

    /// Short name for logs and error messages ("subprocess", "replay", "fake", ...).
    virtual std::string name() const = 0;

    /// The clock Juju::wait uses with this backend: real time unless the backend simulates it.
    virtual std::shared_ptr<Clock> clock() { return system_clock(); }
};

}  // namespace jubilant
