// Operations and their tasks as run and exec schedule them, wait for them on simulated time
// and print them (juju's plain, json and yaml forms, --background, --wait).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine_internal.hpp"
#include "state/model_state.hpp"

namespace jubilant::fake {

/// One task of an operation: what it reports and when, in simulated time.
struct TaskResult {
    std::string id{};
    std::string receiver_key{};  ///< "unit" or "machine"
    std::string receiver{};      ///< unit name or machine ID
    std::string status{};
    std::string message{};
    nlohmann::json results = nlohmann::json::object();
    int return_code = 0;
    std::int64_t started_at = 0;  ///< simulated time the target starts the task
    std::int64_t ready_at = 0;    ///< simulated time the task completes
};

/// An operation's tasks, by receiver (unit name or machine ID).
using TaskMap = std::map<std::string, TaskResult>;

/// An operation as run or exec scheduled it.
struct Operation {
    std::int64_t id = 0;
    TaskMap tasks{};
    std::vector<std::string> order{};   ///< task keys in the order they were enqueued
    std::vector<std::string> errors{};  ///< receivers that got no task, in juju's words
};

/// The flags run and exec share, for their command tables.
std::vector<FlagSpec> task_flag_specs();

/// What run and exec read from the flags they share.
struct TaskFlags {
    std::string format{};  ///< plain, json or yaml
    bool background = false;
};

/// Reads --format, --wait (a Go duration) and --background (not with --wait); throws
/// UsageError with juju's wording.
TaskFlags read_task_flags(Context& ctx);

/// Resolves a unit a task was asked for; when there is none, records the controller's
/// wording (the receiver tag, quoted) in `errors`.
const UnitRow* find_receiver(const ModelState& state, const std::string& requested,
                             std::int64_t now, std::vector<std::string>& errors);

/// "unit-pg-0" or "machine-0": the receiver as juju tags it.
std::string receiver_tag(const TaskResult& task);

/// How an operation's end is shown.
struct OperationOutput {
    /// run reports "Running operation N with M tasks" and "Waiting for task N..." on stderr;
    /// exec keeps them to its log.
    bool progress = false;
    /// Renders the tasks in the "plain" format, which differs between run and exec.
    std::string (*plain)(const TaskMap& tasks) = nullptr;
};

/// Ends the command once the operation's tasks are enqueued: says what could not be
/// scheduled, then prints the background notice, or waits for the tasks (--wait bounds it;
/// the time waited passes for the model) and prints them with the failure juju reports when
/// a task exited non-zero.
void finish_operation(Context& ctx, const Operation& operation, const TaskFlags& flags,
                      const OperationOutput& output);

}  // namespace jubilant::fake
