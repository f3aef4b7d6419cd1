// jubilant::Task and TaskError: the result of `juju run` (an action) or `juju exec` (a command)
// on one unit or machine, mirroring Jubilant's _task module.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jubilant/errors.hpp>
#include <jubilant/value.hpp>

namespace jubilant {

/// What Juju reported for running an action or exec command on a single unit or machine.
struct Task {
    /// Task ID, for use with `juju show-task`.
    std::string id{};
    /// Juju's operation status: "completed", "failed", "error", "aborted" or "cancelled".
    std::string status{};
    /// The results the charm set, nested structure intact. The "return-code", "stdout" and
    /// "stderr" entries that Juju adds are moved to the members below.
    Value::Object results{};
    /// Exit code of the action hook or command.
    int return_code = 0;
    /// What the hook or command wrote to stdout.
    std::string stdout_text{};
    /// What the hook or command wrote to stderr.
    std::string stderr_text{};
    /// The failure message the charm set, if it failed the action with one.
    std::string message{};
    /// Messages the action hook logged.
    std::vector<std::string> log{};

    /// Whether the task succeeded: status "completed" and return code 0.
    bool success() const noexcept { return status == "completed" && return_code == 0; }

    /// Throws TaskError carrying this task unless success().
    void raise_on_failure() const;

    /// Reads `juju run --format json` or `juju exec --format json` output the way Jubilant
    /// does: stdout that is blank, or whose JSON is "empty" in Python's sense ({}, [], null,
    /// false, 0, ""), means Juju found no unit or machine and gives nullopt (Juju::run and
    /// Juju::exec turn that into their "not found" error). Otherwise the document must be an
    /// object, and its first entry (Juju keys it by unit or machine name, which may differ
    /// from what was asked for, e.g. app/leader) is the task. Throws ParseError on invalid
    /// JSON, a missing "id" or "status", or a wrong type. Does not check success().
    static std::optional<Task> from_run_output(std::string_view stdout_text);

    /// Like from_run_output(), but output without a task is a ParseError too.
    static Task from_json(std::string_view json);

    /// Member-wise comparison.
    bool operator==(const Task&) const = default;
};

/// The task in one paragraph, as Jubilant's str(task):
///
///     Task 1: status 'failed', return code 3, details:
///     Results: {'foo': 'bar'}
///     Stdout:
///     ...
///
/// "details" and each of Results, Stdout, Stderr, Message and Log appear only when non-empty.
/// Results are printed as a Python dict, keys sorted.
std::string to_string(const Task& task);

/// Writes to_string(task).
std::ostream& operator<<(std::ostream& os, const Task& task);

/// Thrown when an action or exec command fails (Task::raise_on_failure, Juju::run,
/// Juju::exec). what() is "task error: " followed by to_string(task()).
class TaskError : public Error {
public:
    /// Wraps `task`.
    explicit TaskError(Task task);
    /// Defined in the library, which anchors the type's identity there (see errors.hpp).
    ~TaskError() override;

    /// The failed task.
    const Task& task() const noexcept { return *task_; }

private:
    // Shared so that copying the exception (as throw and catch by value do) cannot throw.
    std::shared_ptr<const Task> task_;
};

}  // namespace jubilant
