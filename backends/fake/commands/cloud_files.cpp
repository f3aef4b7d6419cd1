// add-cloud, update-cloud, add-credential and update-credential: clouds and credentials read
// from the user's YAML files, stored for this client (--client) or a controller.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "engine_internal.hpp"
#include "state/clouds.hpp"
#include "support/yaml_input.hpp"

namespace jubilant::fake {
namespace {

YAML::Node load_yaml_file(Context& ctx, const std::string& path, std::string_view what) {
    const std::string content = read_argument_file(ctx, path);
    try {
        return load_bounded_yaml(content);
    } catch (const YAML::ParserException& e) {
        // The position only: the content may be a credential.
        throw CommandError(
            fmt::format("cannot parse {} file {}: invalid YAML at line {}, column {}", what, path,
                        e.mark.line + 1, e.mark.column + 1));
    }
}

// Scope of a cloud or credential command: --client, or a controller (named or current).
std::vector<std::string> scopes(Context& ctx) {
    std::vector<std::string> out;
    if (ctx.args.flag("client")) out.push_back("client");
    if (auto controller = ctx.args.value("controller"))
        out.push_back(resolve_controller(ctx, controller));
    if (out.empty()) out.push_back("client");
    return out;
}

// A cloud file is either {clouds: {<name>: {...}}} or a bare {type: ..., ...} definition.
YAML::Node cloud_definition(Context& ctx, const std::string& name, const std::string& path) {
    const YAML::Node doc = load_yaml_file(ctx, path, "cloud");
    YAML::Node definition = doc;
    if (doc["clouds"]) {
        definition = doc["clouds"][name];
        if (!definition)
            throw CommandError(fmt::format("cloud \"{}\" not found in file {}", name, path));
    }
    if (!definition.IsMap() || !definition["type"]) {
        throw CommandError(fmt::format("cloud \"{}\" in {} has no \"type\"", name, path));
    }
    return definition;
}

void store_cloud(Context& ctx, bool update) {
    require_positionals(ctx, 1, 2, "cloud name required");
    const std::string name = ctx.args.positionals()[0];
    const auto file = ctx.args.value("file");
    const std::string path =
        file ? *file : (ctx.args.positionals().size() > 1 ? ctx.args.positionals()[1] : "");
    if (path.empty()) throw UsageError(ctx.command, "cloud definition file is required (--file)");
    const YAML::Node definition = cloud_definition(ctx, name, path);
    for (const auto& scope : scopes(ctx)) {
        const bool exists = stored_cloud_type(ctx.db, scope, name).has_value();
        if (!update && exists && !ctx.args.flag("force")) {
            throw CommandError(
                fmt::format("cloud \"{}\" already exists on {}", name,
                            scope == "client" ? "this client" : "controller " + scope));
        }
        if (update && !exists) {
            throw CommandError(
                fmt::format("cloud \"{}\" not found on {}", name,
                            scope == "client" ? "this client" : "controller " + scope));
        }
        YAML::Emitter out;
        out << YAML::Flow << definition;
        store_cloud_definition(ctx.db, scope, name, definition["type"].Scalar(), out.c_str());
        ctx.err +=
            update ? fmt::format("Cloud \"{}\" updated on {}.\n", name,
                                 scope == "client" ? "this client" : "controller \"" + scope + "\"")
                   : fmt::format(
                         "Cloud \"{}\" successfully added to {}.\n", name,
                         scope == "client" ? "your local client" : "controller \"" + scope + "\"");
    }
}

void cmd_add_cloud(Context& ctx) { store_cloud(ctx, false); }
void cmd_update_cloud(Context& ctx) { store_cloud(ctx, true); }

void store_credential(Context& ctx, bool update) {
    require_positionals(ctx, 1, 2, "missing cloud name");
    const std::string cloud = ctx.args.positionals()[0];
    const auto file = ctx.args.value("file");
    if (!file) throw UsageError(ctx.command, "credential file is required (--file)");
    const YAML::Node doc = load_yaml_file(ctx, *file, "credential");
    YAML::Node credentials = doc["credentials"] ? doc["credentials"][cloud] : doc[cloud];
    if (!credentials || !credentials.IsMap()) {
        throw CommandError(fmt::format("no credentials for cloud \"{}\" in {}", cloud, *file));
    }
    for (const auto& scope : scopes(ctx)) {
        if (scope != "client" && !stored_cloud_type(ctx.db, scope, cloud) &&
            !client_cloud(ctx, cloud)) {
            throw CommandError(fmt::format("cloud {} not found", cloud));
        }
        if (scope == "client" && !client_cloud(ctx, cloud)) {
            throw CommandError(fmt::format("cloud {} not valid: not found", cloud));
        }
        for (const auto& item : credentials) {
            const std::string name = item.first.Scalar();
            if (name == "default-region" || name == "default-credential") continue;
            if (ctx.args.positionals().size() > 1 && name != ctx.args.positionals()[1]) continue;
            const bool exists = credential_exists(ctx.db, scope, cloud, name);
            if (update && !exists)
                throw CommandError(
                    fmt::format("credential \"{}\" for cloud \"{}\" not found", name, cloud));
            if (!update && exists)
                throw CommandError(fmt::format(
                    "credential \"{}\" for cloud \"{}\" already exists; use update-credential",
                    name, cloud));
            YAML::Emitter out;
            out << YAML::Flow << item.second;
            store_credential_content(ctx.db, scope, cloud, name, out.c_str());
            ctx.err +=
                fmt::format("Credential \"{}\" {} for cloud \"{}\" on {}.\n", name,
                            update ? "updated" : "added", cloud,
                            scope == "client" ? "this client" : "controller \"" + scope + "\"");
        }
    }
}

void cmd_add_credential(Context& ctx) { store_credential(ctx, false); }
void cmd_update_credential(Context& ctx) { store_credential(ctx, true); }

}  // namespace

std::vector<CommandDef> cloud_file_commands() {
    const FlagSpec controller = value({"-c", "--controller"});
    const FlagSpec client = boolean({"--client"});
    return {
        {.name = "add-cloud",
         .spec = {.flags = {value({"-f", "--file"}), client, controller, value({"--credential"}),
                            boolean({"--force"}), value({"--target-controller"})}},
         .run = cmd_add_cloud,
         .model_scoped = false},
        {.name = "add-credential",
         .spec = {.flags = {value({"-f", "--file"}), client, controller, value({"--region"})}},
         .run = cmd_add_credential,
         .model_scoped = false},
        {.name = "update-cloud",
         .spec = {.flags = {value({"-f", "--file"}), client, controller}},
         .run = cmd_update_cloud,
         .model_scoped = false},
        {.name = "update-credential",
         .spec = {.flags = {value({"-f", "--file"}), client, controller, value({"--region"}),
                            boolean({"--force"})}},
         .run = cmd_update_credential,
         .model_scoped = false},
    };
}

}  // namespace jubilant::fake
