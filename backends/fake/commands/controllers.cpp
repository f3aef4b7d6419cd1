// Controllers and the client: show-controller, controllers and version (bootstrap, which also
// creates the controller model, is with the models).
#include <fmt/format.h>

#include "engine_internal.hpp"
#include "state/controllers.hpp"

namespace jubilant::fake {
namespace {

// show-controller: the part of juju's document a test reads (details with the agent version,
// the current model, the account); machines, CA and endpoints are not simulated.
void cmd_show_controller(Context& ctx) {
    const std::string format = output_format(ctx, {"yaml", "json"});
    std::vector<std::string> names = ctx.args.positionals();
    if (names.empty()) names.push_back(resolve_controller(ctx, std::nullopt));
    ojson doc = ojson::object();
    for (const std::string& name : names) {
        resolve_controller(ctx, name);  // juju's "controller x not found"
        const ControllerRow controller = find_controller(ctx.db, name).value_or(ControllerRow{});
        const std::string version = controller_version(ctx.db, name).text;
        ojson entry = {{"details",
                        {{"controller-uuid", controller.uuid},
                         {"cloud", controller.cloud},
                         {"region", controller.region},
                         {"agent-version", version},
                         {"controller-model-version", version}}}};
        if (!controller.current_model.empty()) entry["current-model"] = controller.current_model;
        entry["account"] = {{"user", "admin"}, {"access", "superuser"}};
        doc[name] = std::move(entry);
    }
    print_document(ctx, doc, format);
}

void cmd_controllers(Context& ctx) {
    const std::string format = output_format(ctx, {"tabular", "json", "yaml"});
    const std::string current = meta_get(ctx.db, "current_controller");
    ojson controllers = ojson::object();
    std::string table = fmt::format("{:<20}  {:<12}  {}\n", "Controller", "Model", "Cloud/Region");
    for (const ControllerRow& c : all_controllers(ctx.db)) {
        controllers[c.name] = {{"uuid", c.uuid},
                               {"cloud", c.cloud},
                               {"region", c.region},
                               {"agent-version", controller_version(ctx.db, c.name).text}};
        table += fmt::format("{:<20}  {:<12}  {}/{}\n", c.name + (c.name == current ? "*" : ""),
                             "controller", c.cloud, c.region);
    }
    if (format == "tabular") {
        ctx.out += table;
        return;
    }
    print_document(ctx, {{"controllers", controllers}, {"current-controller", current}}, format);
}

void cmd_version(Context& ctx) {
    const std::string format = output_format(ctx, {"smart", "json", "yaml"});
    const std::string version = ctx.version.text + "-genericlinux-amd64";
    if (!ctx.args.flag("all")) {
        if (format == "smart") {
            ctx.out += version + "\n";
        } else {
            print_document(ctx, version, format);
        }
        return;
    }
    ojson doc = {{"version", version},
                 {"git-commit", "0000000000000000000000000000000000000000"},
                 {"git-tree-state", "clean"},
                 {"compiler", "fake-juju"},
                 {"official", false}};
    print_document(ctx, doc, format == "smart" ? "yaml" : format);
}

}  // namespace

std::vector<CommandDef> controller_commands() {
    const FlagSpec format = value({"--format"});
    return {
        {.name = "controllers",
         .spec = {.flags = {format}},
         .run = cmd_controllers,
         .model_scoped = false},
        {.name = "show-controller",
         .spec = {.flags = {format, boolean({"--show-password"})}},
         .run = cmd_show_controller,
         .model_scoped = false},
        {.name = "version",
         .spec = {.flags = {format, boolean({"--all"})}},
         .run = cmd_version,
         .model_scoped = false},
    };
}

}  // namespace jubilant::fake
