// Exception types raised by jubilant-cpp.
//
// Every exception derives from jubilant::Error, so a test can catch the whole family in one
// place. None of these messages ever contains stdin, temp-file contents or other sensitive
// request data; CLIError includes the CLI's own stdout and stderr, as Jubilant does, because
// that is what the CLI chose to print.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace jubilant {

/// Base class of every exception thrown by jubilant-cpp.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    ~Error() override;
};

/// The `juju` command exited with a non-zero return code.
///
/// what() reads like Jubilant's CLIError: the command and exit status, then the command's
/// stdout and stderr (each only when non-empty).
class CLIError : public Error {
public:
    CLIError(std::vector<std::string> args, int returncode, std::string stdout_text,
             std::string stderr_text);
    ~CLIError() override;

    /// Full argv that was run, binary first (temp-file paths shown as their placeholders).
    const std::vector<std::string>& args() const noexcept { return args_; }
    int returncode() const noexcept { return returncode_; }
    const std::string& stdout_text() const noexcept { return stdout_; }
    const std::string& stderr_text() const noexcept { return stderr_; }

private:
    std::vector<std::string> args_;
    int returncode_;
    std::string stdout_;
    std::string stderr_;
};

/// Something timed out: a CLI call (CLITimeoutError) or Juju::wait.
class TimeoutError : public Error {
public:
    using Error::Error;
    ~TimeoutError() override;
};

/// A single CLI call ran past its timeout and was killed. Carries whatever the process had
/// written before it was killed.
class CLITimeoutError : public TimeoutError {
public:
    CLITimeoutError(std::vector<std::string> args, std::chrono::milliseconds timeout,
                    std::string partial_stdout, std::string partial_stderr);
    ~CLITimeoutError() override;

    const std::vector<std::string>& args() const noexcept { return args_; }
    std::chrono::milliseconds timeout() const noexcept { return timeout_; }
    const std::string& partial_stdout() const noexcept { return stdout_; }
    const std::string& partial_stderr() const noexcept { return stderr_; }

private:
    std::vector<std::string> args_;
    std::chrono::milliseconds timeout_;
    std::string stdout_;
    std::string stderr_;
};

/// Raised by Juju::wait when its `error` predicate returns true.
class WaitError : public Error {
public:
    using Error::Error;
    ~WaitError() override;
};

/// A backend could not carry out a request at all (binary missing or not executable, spawn
/// failure, output over the configured limit, a replay miss, ...). Distinct from CLIError,
/// which means the command ran and failed.
class BackendError : public Error {
public:
    using Error::Error;
    ~BackendError() override;
};

/// A backend plugin could not be found, loaded, or configured.
class PluginError : public Error {
public:
    using Error::Error;
    ~PluginError() override;
};

/// Output from the CLI (or a file) did not have the expected shape. The message names the
/// source and the JSON path or position of the problem.
class ParseError : public Error {
public:
    using Error::Error;
    ~ParseError() override;
};

}  // namespace jubilant
