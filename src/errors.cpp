#include <jubilant/errors.hpp>

#include <fmt/format.h>

#include "print/shell_quote.hpp"

namespace jubilant {

namespace {

std::string cli_error_message(const std::vector<std::string>& args, int returncode,
                              const std::string& out, const std::string& err) {
    std::string message =
        fmt::format("command '{}' failed with exit status {}", shell_join(args), returncode);
    if (!out.empty()) message += "\nStdout:\n" + out;
    if (!err.empty()) message += "\nStderr:\n" + err;
    return message;
}

std::string timeout_message(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                            std::size_t out_bytes, std::size_t err_bytes) {
    return fmt::format(
        "command '{}' timed out after {:.3f}s and was killed ({} bytes of stdout and {} bytes "
        "of stderr received before that)",
        shell_join(args), std::chrono::duration<double>(timeout).count(), out_bytes, err_bytes);
}

}  // namespace

// Out-of-line destructors anchor each class's vtable and type_info in this library, so an
// exception thrown inside a plugin module is the same type the caller catches.
Error::~Error() = default;
TimeoutError::~TimeoutError() = default;
WaitError::~WaitError() = default;
BackendError::~BackendError() = default;
PluginError::~PluginError() = default;
ParseError::~ParseError() = default;
CLIError::~CLIError() = default;
CLITimeoutError::~CLITimeoutError() = default;

CLIError::CLIError(std::vector<std::string> args, int returncode, std::string stdout_text,
                   std::string stderr_text)
    : Error(cli_error_message(args, returncode, stdout_text, stderr_text)),
      args_(std::move(args)),
      returncode_(returncode),
      stdout_(std::move(stdout_text)),
      stderr_(std::move(stderr_text)) {}

CLITimeoutError::CLITimeoutError(std::vector<std::string> args, std::chrono::milliseconds timeout,
                                 std::string partial_stdout, std::string partial_stderr)
    : TimeoutError(timeout_message(args, timeout, partial_stdout.size(), partial_stderr.size())),
      args_(std::move(args)),
      timeout_(timeout),
      stdout_(std::move(partial_stdout)),
      stderr_(std::move(partial_stderr)) {}

}  // namespace jubilant
