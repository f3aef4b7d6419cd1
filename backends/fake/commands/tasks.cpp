#include "commands/tasks.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "commands/targets.hpp"
#include "support/go_duration.hpp"

namespace jubilant::fake {
namespace {

// The times a task reports: enqueued now, started once its target can run it, completed
// after what the command takes (a canned `sleep`; anything else at once).
std::string task_time(std::int64_t sim_ms) { return format_iso(sim_ms); }

nlohmann::json task_json(Context& ctx, const TaskResult& task) {
    nlohmann::json out = {{"id", task.id}, {"status", task.status}};
    out[task.receiver_key] = task.receiver;
    if (!task.message.empty()) out["message"] = task.message;
    if (!task.results.empty()) out["results"] = task.results;
    out["timing"] = {{"enqueued", task_time(ctx.now)},
                     {"started", task_time(std::max(ctx.now, task.started_at))},
                     {"completed", task_time(std::max(ctx.now, task.ready_at))}};
    return out;
}

// Prints the tasks of an operation in the requested format, and the failure juju reports
// when a task exited non-zero.
void print_tasks(Context& ctx, const TaskMap& tasks, const std::string& format,
                 std::string (*plain)(const TaskMap& tasks)) {
    if (format == "plain") {
        ctx.out += plain(tasks);
    } else {
        nlohmann::json doc = nlohmann::json::object();
        for (const auto& [key, task] : tasks) doc[key] = task_json(ctx, task);
        print_document(
            ctx, ojson::parse(doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)),
            format);
    }
    std::vector<std::string> failed;
    for (const auto& [key, task] : tasks) {
        if (task.return_code >= 1) {
            failed.push_back(
                fmt::format(" - id \"{}\" with return code {}", task.id, task.return_code));
        }
    }
    if (failed.empty()) return;
    std::sort(failed.begin(), failed.end());
    const std::string plural = failed.size() > 1 ? "s" : "";
    ctx.returncode = 1;
    ctx.err += fmt::format(
        "ERROR the following task{} failed:\n{}\n\nuse 'juju show-task' to "
        "inspect the failure{}\n",
        plural, join(failed, "\n"), plural);
}

void print_background(Context& ctx, std::int64_t operation, const TaskMap& tasks) {
    if (tasks.size() == 1) {
        const std::string& id = tasks.begin()->second.id;
        ctx.err += fmt::format("Scheduled operation {} with task {}\n", operation, id);
        ctx.err += fmt::format("Check operation status with 'juju show-operation {}'\n", operation);
        ctx.err += fmt::format("Check task status with 'juju show-task {}'\n", id);
        return;
    }
    ctx.err += fmt::format("Scheduled operation {} with {} tasks\n", operation, tasks.size());
    ojson doc = ojson::object();
    for (const auto& [key, task] : tasks) doc[key] = {{"id", task.id}};
    ctx.out += to_yaml(doc);
    ctx.err += fmt::format("Check operation status with 'juju show-operation {}'\n", operation);
    ctx.err += "Check task status with 'juju show-task <id>'\n";
}

// Waits for the operation's tasks one by one in the order they were enqueued, as juju does,
// on simulated time: a task completes once its target can run it. With --wait, a task not
// done by the deadline ends the command with juju's timeout error, naming every target not
// yet heard from (exit code 1, nothing on stdout). The time waited passes for the model.
// `progress`: run prints "Waiting for task N..." as it goes; exec keeps that to its log.
bool wait_for_tasks(Context& ctx, const TaskMap& tasks, const std::vector<std::string>& order,
                    bool progress) {
    const auto wait = ctx.args.value("wait");
    const std::int64_t wait_ms = wait ? go_duration_ms(*wait) : -1;
    std::int64_t waited_until = ctx.now;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const TaskResult& task = tasks.at(order[i]);
        if (progress) ctx.err += fmt::format("Waiting for task {}...\n", task.id);
        if (wait_ms >= 0 && task.ready_at > ctx.now + wait_ms) {
            // Sorted by tag, named as juju's names.ReadableString names them.
            std::vector<std::pair<std::string, std::string>> late;
            for (std::size_t j = i; j < order.size(); ++j) {
                const TaskResult& t = tasks.at(order[j]);
                late.emplace_back(receiver_tag(t), t.receiver_key + " " + t.receiver);
            }
            std::sort(late.begin(), late.end());
            std::vector<std::string> readable;
            for (auto& [tag, name] : late) readable.push_back(std::move(name));
            ctx.err +=
                fmt::format("ERROR timed out waiting for results from: {}\n", join(readable, ", "));
            ctx.returncode = 1;
            meta_set(ctx.db, "now_ms", std::to_string(ctx.now + wait_ms));
            return false;
        }
        waited_until = std::max(waited_until, task.ready_at);
    }
    meta_set(ctx.db, "now_ms", std::to_string(waited_until));
    return true;
}

}  // namespace

std::vector<FlagSpec> task_flag_specs() {
    return {value({"--format"}),  value({"--wait"}),       boolean({"--background"}),
            boolean({"--color"}), boolean({"--no-color"}), boolean({"--utc"})};
}

TaskFlags read_task_flags(Context& ctx) {
    TaskFlags flags{.format = output_format(ctx, {"plain", "json", "yaml"}),
                    .background = ctx.args.flag("background")};
    if (auto wait = ctx.args.value("wait"); wait && !valid_go_duration(*wait)) {
        throw UsageError(ctx.command, fmt::format("invalid value \"{}\" for option --wait: time: "
                                                  "invalid duration \"{}\"",
                                                  *wait, *wait));
    }
    if (flags.background && ctx.args.value("wait")) {
        throw UsageError(ctx.command, "cannot specify both --wait and --background");
    }
    return flags;
}

const UnitRow* find_receiver(const ModelState& state, const std::string& requested,
                             std::int64_t now, std::vector<std::string>& errors) {
    std::string error;
    const UnitRow* unit = find_unit(state, requested, now, error);
    if (unit) return unit;
    if (error.starts_with("unit ")) {
        std::string tag = "unit-" + requested;
        std::replace(tag.begin(), tag.end(), '/', '-');
        error = fmt::format("\"{}\" not found", tag);
    }
    errors.push_back(error);
    return nullptr;
}

std::string receiver_tag(const TaskResult& task) {
    if (task.receiver_key == "machine") return "machine-" + task.receiver;
    std::string tag = "unit-" + task.receiver;
    std::replace(tag.begin(), tag.end(), '/', '-');
    return tag;
}

void finish_operation(Context& ctx, const Operation& operation, const TaskFlags& flags,
                      const OperationOutput& output) {
    const bool progress = output.progress && !flags.background;
    if (progress) ctx.err += "\n";
    if (operation.tasks.empty()) {
        // juju 3.6 exits 0 here and prints no document: jubilant sees "no output" and raises.
        ctx.err += fmt::format("Operation {} failed to schedule any tasks:\n{}\n", operation.id,
                               join(operation.errors, "\n"));
        return;
    }
    if (progress) {
        std::string running =
            fmt::format("Running operation {} with {} task{}\n", operation.id,
                        operation.tasks.size(), operation.tasks.size() > 1 ? "s" : "");
        for (const auto& [key, task] : operation.tasks) {
            running += fmt::format("  - task {} on {}\n", task.id, receiver_tag(task));
        }
        ctx.err = running + ctx.err;
    }
    if (!operation.errors.empty()) {
        ctx.err += fmt::format("Some actions could not be scheduled:\n{}\n\n",
                               join(operation.errors, "\n"));
    }
    if (flags.background) {
        print_background(ctx, operation.id, operation.tasks);
        return;
    }
    if (!wait_for_tasks(ctx, operation.tasks, operation.order, output.progress)) return;
    print_tasks(ctx, operation.tasks, flags.format, output.plain);
}

}  // namespace jubilant::fake
