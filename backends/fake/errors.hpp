// The fake's two kinds of failure, printed the way juju prints them.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace jubilant::fake {

/// A command that could not do what was asked: "ERROR <message>" on stderr, exit code 1.
class CommandError : public std::runtime_error {
public:
    explicit CommandError(const std::string& message) : std::runtime_error(message) {}
};

/// A command line juju would reject before running anything (unknown flag, missing
/// argument): "ERROR <message>" on stderr, exit code 2.
class UsageError : public std::runtime_error {
public:
    UsageError(std::string_view command, const std::string& message)
        : std::runtime_error(message), command_(command) {}
    const std::string& command() const noexcept { return command_; }

private:
    std::string command_;
};

}  // namespace jubilant::fake
