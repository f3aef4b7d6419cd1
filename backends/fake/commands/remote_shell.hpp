// What the fake "runs" on a unit or machine for exec and ssh: canned answers, no process.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "commands/targets.hpp"

namespace jubilant::fake {

/// How a canned command ended.
struct CommandResult {
    int code = 0;
    std::string out{};
    std::string err{};
    std::int64_t duration_ms = 0;  ///< simulated time the command takes (sleep)
};

/// Runs `command` on `target`. The command and its arguments are joined with spaces and split
/// as a shell would, then:
///   echo [-n] ARGS...  prints ARGS joined by spaces (and a newline unless -n);
///   hostname           prints the target's hostname (juju-<model>-<machine>, or the pod name);
///   cat PATH...        prints files copied to the target with scp (a missing one: exit 1);
///   sleep N[smhd]...   takes that much simulated time;
///   true / false       exit 0 / 1;
///   exit [N]           exits with N (0 by default);
///   anything else      succeeds (exit 0) with no output.
/// Only the first command of the line counts: no pipes, redirections or ';'.
/// `input` is the command's standard input: what ssh passes through (exec passes none).
CommandResult run_canned(Context& ctx, const ModelRow& model, const Target& target,
                         const std::vector<std::string>& command, std::string_view input = {});

/// A remote path as scp resolves it: relative paths are under the default user's home.
std::string remote_path(const std::string& path);

}  // namespace jubilant::fake
