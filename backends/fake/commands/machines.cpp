// Machines: add-machine (new machines and containers; nothing is provisioned).
#include <fmt/format.h>

#include "state/model_changes.hpp"
#include "state/model_state.hpp"

namespace jubilant::fake {
namespace {

void cmd_add_machine(Context& ctx) {
    require_positionals(ctx, 0, 1, "");
    const ModelRow model = current_model(ctx);
    if (model.type == "caas") {
        throw CommandError("cannot add machines to a Kubernetes model");
    }
    const int n = parse_count(ctx, ctx.args.value("n"), 1, "-n");
    std::string base = ctx.args.value("base").value_or("ubuntu@22.04");
    if (auto series = ctx.args.value("series"); series && !ctx.args.value("base")) {
        base = base_of_series(*series);  // juju 3 only: juju 4 has bases alone
    }
    const std::string constraints = ctx.args.value("constraints").value_or("");
    const std::string target = ctx.args.positionals().empty() ? "" : ctx.args.positionals()[0];
    for (int i = 0; i < n; ++i) {
        if (target == "lxd" || target.starts_with("lxd:")) {
            const std::string id = place(ctx, model, target, base, constraints);
            ctx.err += fmt::format("created container {}\n", id);
        } else if (target.empty() || target.starts_with("ssh:") || target.starts_with("zone=")) {
            ctx.err +=
                fmt::format("created machine {}\n", new_machine(ctx, model, base, constraints));
        } else {
            throw UsageError(ctx.command,
                             fmt::format("invalid placement directive \"{}\"", target));
        }
    }
}

}  // namespace

std::vector<CommandDef> machine_commands() {
    // Series are gone in juju 4 (bases only).
    const FlagSpec series{.names = {"--series"}, .takes_value = true, .removed_in_major = 4};
    return {
        {.name = "add-machine",
         .spec = {.flags = {value({"-n"}), value({"--base"}), value({"--constraints"}),
                            value({"--disks"}), value({"--private-key"}), value({"--public-key"}),
                            series}},
         .run = cmd_add_machine},
    };
}

}  // namespace jubilant::fake
