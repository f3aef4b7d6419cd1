// exec: a command on units, applications' units or machines, as tasks of one operation.
//
// Nothing runs anywhere: the command gets canned output (see remote_shell.hpp).
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "commands/remote_shell.hpp"
#include "commands/targets.hpp"
#include "commands/tasks.hpp"
#include "state/model_state.hpp"
#include "support/names.hpp"

namespace jubilant::fake {
namespace {

// "pg/2" before "pg/10": juju sorts exec receivers naturally.
bool natural_less(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
        const bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
        if (da && db) {
            std::size_t ei = i, ej = j;
            while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
            while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
            const std::string na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
            if (na.size() != nb.size()) return na.size() < nb.size();
            if (na != nb) return na < nb;
            i = ei;
            j = ej;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

// exec's "plain" format: each receiver's stdout then stderr, headed by its name when there
// are several.
std::string exec_plain_output(const TaskMap& tasks) {
    auto newline = [](std::string text) {
        if (!text.empty() && text.back() != '\n') text += '\n';
        return text;
    };
    std::vector<std::string> names;
    std::map<std::string, std::string> outputs;
    for (const auto& [name, task] : tasks) {
        names.push_back(name);
        for (const char* stream : {"stdout", "stderr"}) {
            if (auto it = task.results.find(stream); it != task.results.end() && it->is_string()) {
                outputs[name] += newline(it->get<std::string>());
            }
        }
    }
    std::sort(names.begin(), names.end(), natural_less);
    std::string out;
    for (const std::string& name : names) {
        if (outputs.size() > 1) out += name + ":\n";
        out += outputs[name];
        if (outputs.size() > 1) out += "\n";
    }
    return out;
}

void cmd_exec(Context& ctx) {
    const TaskFlags flags = read_task_flags(ctx);
    const std::vector<std::string>& command = ctx.args.positionals();
    if (command.empty()) throw UsageError(ctx.command, "no commands specified");
    const bool all = ctx.args.flag("all");
    const std::vector<std::string> machines = comma_separated_values(ctx, "machine");
    const std::vector<std::string> apps = comma_separated_values(ctx, "application");
    const std::vector<std::string> units = comma_separated_values(ctx, "unit");
    if (!all && machines.empty() && apps.empty() && units.empty()) {
        throw UsageError(ctx.command,
                         "You must specify a target, either through --all, "
                         "--machine, --application or --unit");
    }
    if (all && (!machines.empty() || !apps.empty() || !units.empty())) {
        throw UsageError(ctx.command, "You cannot specify --all and individual targets");
    }
    for (const std::string& m : machines) {
        if (!valid_machine_id(m))
            throw UsageError(ctx.command, fmt::format("invalid machine id \"{}\"", m));
    }
    for (const std::string& u : units) {
        if (!valid_unit_or_leader_name(u))
            throw UsageError(ctx.command, fmt::format("invalid unit name \"{}\"", u));
    }

    const ModelRow model = current_model(ctx);
    const ModelState state = load_model_state(ctx, model);
    if (!machines.empty() && model.type == "caas") {
        throw CommandError("unable to target machines with a k8s controller");
    }
    if (ctx.args.flag("operator") && model.type != "caas") {
        throw CommandError("only k8s models support the --operator flag");
    }
    std::vector<Target> targets;
    std::vector<std::string> errors;  // moved into the operation once it has an ID
    if (all) {
        for (const MachineRow& m : state.machines) targets.push_back(machine_target(state, m));
    }
    for (const std::string& id : machines) {
        if (const MachineRow* m = find_machine(state, id)) {
            targets.push_back(machine_target(state, *m));
        } else {
            errors.push_back(fmt::format("\"machine-{}\" not found", id));
        }
    }
    for (const std::string& app : apps) {
        if (!state.app(app)) {
            errors.push_back(fmt::format("application \"{}\" not found", app));
            continue;
        }
        for (const UnitRow& u : state.units) {
            if (u.app == app) targets.push_back(unit_target(state, u, std::nullopt));
        }
    }
    for (const std::string& requested : units) {
        const UnitRow* unit = find_receiver(state, requested, ctx.now, errors);
        if (!unit) continue;
        targets.push_back(unit_target(state, *unit, std::nullopt));
    }

    Operation operation{.id = next_counter(ctx.db, "operation"),
                        .tasks = {},
                        .order = {},
                        .errors = std::move(errors)};
    for (const Target& target : targets) {
        if (operation.tasks.contains(target.name)) continue;
        operation.order.push_back(target.name);
        const CommandResult r = run_canned(ctx, model, target, command);
        TaskResult task{.id = std::to_string(next_counter(ctx.db, "operation")),
                        .receiver_key = target.is_unit ? "unit" : "machine",
                        .receiver = target.name,
                        .status = "completed",
                        .message = {},
                        .results = {{"return-code", r.code}},
                        .return_code = r.code,
                        .started_at = std::max(ctx.now, target.ready_at),
                        .ready_at = std::max(ctx.now, target.ready_at) + r.duration_ms};
        if (!r.out.empty()) task.results["stdout"] = r.out;
        if (!r.err.empty()) task.results["stderr"] = r.err;
        operation.tasks[target.name] = std::move(task);
    }
    // exec keeps its progress messages out of the console, unlike run.
    finish_operation(ctx, operation, flags, {.progress = false, .plain = exec_plain_output});
}

}  // namespace

std::vector<CommandDef> exec_commands() {
    std::vector<FlagSpec> flags = task_flag_specs();
    for (FlagSpec flag :
         {value({"-u", "--unit"}), value({"--machine"}), value({"-a", "--application", "--app"}),
          boolean({"--all"}), value({"--execution-group"}), boolean({"--parallel"}),
          boolean({"--operator"})}) {
        flags.push_back(std::move(flag));
    }
    return {{.name = "exec",
             .spec = {.flags = std::move(flags), .stop_after_positionals = 1},
             .run = cmd_exec}};
}

}  // namespace jubilant::fake
