// Models: add-model, destroy-model, show-model, models, switch, model-config and the model
// constraints; and bootstrap, which creates a controller and its controller model.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "state/clouds.hpp"
#include "state/controllers.hpp"
#include "state/model_state.hpp"
#include "state/secrets.hpp"
#include "support/names.hpp"

namespace jubilant::fake {
namespace {

// Clouds a controller can use: its own and the client's (the fake shares them freely).
std::optional<std::string> usable_cloud_type(Context& ctx, const std::string& controller,
                                             const std::string& cloud) {
    if (auto type = stored_cloud_type(ctx.db, controller, cloud)) return type;
    return stored_cloud_type(ctx.db, "client", cloud);
}

// The provider name a model's cloud shows in show-model and models: the provider that adopts
// existing machines over SSH is "manual" in juju 3 and "unmanaged" in juju 4 (a cloud added
// under either name shows the controller's name for it).
std::string provider_name(const std::string& cloud_type, const JujuVersion& version) {
    if (cloud_type == "k8s") return "kubernetes";
    if (cloud_type == "manual" || cloud_type == "unmanaged") {
        return version.major >= 4 ? "unmanaged" : "manual";
    }
    return cloud_type;
}

// A model's cloud type as show-model, models and model-config print it: the provider's name
// (ec2, lxd, ...; "kubernetes" where `clouds` prints k8s), as the model's controller names it.
std::string provider_type(Context& ctx, const ModelRow& model) {
    auto info = controller_cloud(ctx, model.controller, model.cloud);
    if (!info) info = client_cloud(ctx, model.cloud);
    const std::string type = info ? info->type : (model.type == "caas" ? "k8s" : "lxd");
    return provider_name(type, controller_version(ctx.db, model.controller));
}

// A new model of admin's, created now, with the next model UUID.
void create_model(Context& ctx, const std::string& controller, const std::string& name,
                  const std::string& cloud, const std::string& region, const std::string& type,
                  const std::string& credential, const nlohmann::json& config) {
    insert_model(ctx.db,
                 {.controller = controller,
                  .owner = "admin",
                  .name = name,
                  .uuid = fake_uuid("model", next_counter(ctx.db, "model")),
                  .type = type,
                  .cloud = cloud,
                  .region = region,
                  .credential = credential,
                  .created = ctx.now},
                 config);
}

// ---- model config -------------------------------------------------------------------------

struct ModelConfigDefault {
    const char* key;
    nlohmann::json value;
};

const std::vector<ModelConfigDefault>& model_config_defaults() {
    static const std::vector<ModelConfigDefault> defaults = {
        {"automatically-retry-hooks", true},
        {"default-base", ""},
        {"development", false},
        {"enable-os-refresh-update", true},
        {"enable-os-upgrade", true},
        {"image-stream", "released"},
        {"logging-config", "<root>=INFO"},
        {"provisioner-harvest-mode", "destroyed"},
        {"update-status-hook-interval", "5m"},
    };
    return defaults;
}

nlohmann::json model_config_value(const std::string& key, const std::string& text) {
    for (const auto& d : model_config_defaults()) {
        if (key != d.key || !d.value.is_boolean()) continue;
        if (text == "true") return true;
        if (text == "false") return false;
        throw CommandError(fmt::format("{}: expected bool, got string(\"{}\")", key, text));
    }
    return text;
}

void cmd_model_config(Context& ctx) {
    const ModelRow model = current_model(ctx);
    nlohmann::json config = model_config(ctx.db, model.id);
    std::vector<std::string> assignments;
    std::vector<std::string> keys;
    for (const auto& p : ctx.args.positionals()) {
        (p.find('=') != std::string::npos ? assignments : keys).push_back(p);
    }
    const auto resets = ctx.args.value("reset");
    if (!assignments.empty() || resets) {
        if (!keys.empty())
            throw UsageError(ctx.command, "cannot get and set model config in one command");
        for (const auto& key : resets ? split(*resets, ',') : std::vector<std::string>{}) {
            config.erase(key);
        }
        for (const auto& item : assignments) {
            auto [key, text] = split_assignment(ctx, item);
            if (key == "name" || key == "type" || key == "uuid") {
                throw CommandError(fmt::format("cannot set \"{}\": it is read-only", key));
            }
            config[key] = model_config_value(key, text);
        }
        save_model_config(ctx.db, model.id, config);
        return;
    }
    ojson doc = ojson::object();
    doc["name"] = {{"Value", model.name}, {"Source", "model"}};
    doc["type"] = {{"Value", provider_type(ctx, model)}, {"Source", "model"}};
    doc["uuid"] = {{"Value", model.uuid}, {"Source", "model"}};
    for (const auto& d : model_config_defaults()) {
        const bool set = config.contains(d.key);
        doc[d.key] = {{"Value", set ? config[d.key] : d.value},
                      {"Source", set ? "model" : "default"}};
    }
    for (const auto& [key, v] : config.items()) {
        if (!doc.contains(key)) doc[key] = {{"Value", v}, {"Source", "model"}};
    }
    if (keys.size() == 1) {
        if (!doc.contains(keys[0]))
            throw CommandError(
                fmt::format("key \"{}\" not found in {} model.", keys[0], model.short_name()));
        const auto& v = doc[keys[0]]["Value"];
        ctx.out +=
            (v.is_string() ? v.get<std::string>()
                           : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) +
            "\n";
        return;
    }
    if (keys.size() > 1)
        throw UsageError(ctx.command, "can only retrieve a single value, or all values");
    const std::string format = output_format(ctx, {"tabular", "json", "yaml"});
    if (format != "tabular") {
        print_document(ctx, doc, format);
        return;
    }
    std::size_t width = 9;
    for (const auto& [key, _] : doc.items()) width = std::max(width, key.size());
    ctx.out += fmt::format("{:<{}}  {:<7}  {}\n", "Attribute", width, "From", "Value");
    for (const auto& [key, item] : doc.items()) {
        const auto& v = item["Value"];
        ctx.out += fmt::format(
            "{:<{}}  {:<7}  {}\n", key, width, item["Source"].get<std::string>(),
            v.is_string() ? v.get<std::string>()
                          : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
}

// ---- constraints --------------------------------------------------------------------------

// Sizes such as 8G or 512M in megabytes, as juju stores them.
std::optional<std::int64_t> megabytes(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::int64_t factor = 1;
    switch (std::toupper(static_cast<unsigned char>(text.back()))) {
    case 'M':
        factor = 1;
        text.remove_suffix(1);
        break;
    case 'G':
        factor = 1024;
        text.remove_suffix(1);
        break;
    case 'T':
        factor = 1024 * 1024;
        text.remove_suffix(1);
        break;
    default: break;
    }
    if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        })) {
        return std::nullopt;
    }
    return std::stoll(std::string(text)) * factor;
}

ojson parse_constraints(Context& ctx, const std::vector<std::string>& items) {
    static const char* const size_keys[] = {"mem", "root-disk"};
    static const char* const int_keys[] = {"cores", "cpu-power"};
    static const char* const list_keys[] = {"tags", "spaces", "zones"};
    static const char* const string_keys[] = {"arch",      "container",        "instance-type",
                                              "virt-type", "root-disk-source", "image"};
    ojson out = ojson::object();
    for (const auto& item : items) {
        for (const auto& part : split(item, ' ')) {
            auto [key, text] = split_assignment(ctx, part);
            const std::string& name = key;  // clang 14 cannot capture structured bindings
            auto in = [&](const auto& list) {
                return std::find(std::begin(list), std::end(list), name) != std::end(list);
            };
            if (in(size_keys)) {
                const auto mb = megabytes(text);
                if (!mb)
                    throw CommandError(
                        fmt::format("bad \"{}\" constraint: must be a non-negative float with "
                                    "optional M/G/T/P suffix",
                                    key));
                out[key] = *mb;
            } else if (in(int_keys)) {
                const auto n = megabytes(text);
                if (!n || text.find_first_not_of("0123456789") != std::string::npos) {
                    throw CommandError(
                        fmt::format("bad \"{}\" constraint: must be a non-negative integer", key));
                }
                out[key] = *n;
            } else if (in(list_keys)) {
                out[key] = split(text, ',');
            } else if (key == "allocate-public-ip") {
                if (text != "true" && text != "false")
                    throw CommandError(
                        "bad \"allocate-public-ip\" constraint: must be true or false");
                out[key] = text == "true";
            } else if (in(string_keys)) {
                out[key] = text;
            } else {
                throw CommandError(fmt::format("unknown constraint \"{}\"", key));
            }
        }
    }
    return out;
}

void cmd_set_model_constraints(Context& ctx) {
    require_positionals(ctx, 1, 1000, "no constraints specified");
    const ModelRow model = current_model(ctx);
    const ojson constraints = parse_constraints(ctx, ctx.args.positionals());
    save_model_constraints(ctx.db, model.id, constraints);
}

void cmd_model_constraints(Context& ctx) {
    // juju 3 still accepts `model-constraints key=value` as a setter.
    if (!ctx.args.positionals().empty()) {
        cmd_set_model_constraints(ctx);
        return;
    }
    const std::string format = output_format(ctx, {"constraints", "json", "yaml"});
    const ModelRow model = current_model(ctx);
    const ojson constraints = model_constraints(ctx.db, model.id);
    if (format != "constraints") {
        print_document(ctx, constraints, format);
        return;
    }
    std::vector<std::string> parts;
    for (const auto& [key, v] : constraints.items()) {
        std::string rendered;
        if (v.is_array()) {
            rendered = join(v.get<std::vector<std::string>>(), ",");
        } else if ((key == "mem" || key == "root-disk") && v.is_number()) {
            rendered = std::to_string(v.get<std::int64_t>()) + "M";
        } else {
            rendered = v.is_string()
                           ? v.get<std::string>()
                           : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
        parts.push_back(key + "=" + rendered);
    }
    ctx.out += join(parts, " ") + "\n";
}

// ---- models -------------------------------------------------------------------------------

void cmd_add_model(Context& ctx) {
    require_positionals(ctx, 1, 2, "model name is required");
    const std::string controller = resolve_controller(ctx, ctx.args.value("controller"));
    const std::string name = ctx.args.positionals()[0];
    if (!valid_model_name(name)) throw UsageError(ctx.command, invalid_model_name_message(name));
    if (model_by_name(ctx.db, controller, "admin", name))
        throw CommandError(
            fmt::format("failed to create new model: model \"{}\" for admin already exists", name));
    // Without a cloud, the model goes on the controller's own cloud and region.
    const ControllerRow own = find_controller(ctx.db, controller).value_or(ControllerRow{});
    std::string cloud = own.cloud;
    std::string region = own.region;
    if (ctx.args.positionals().size() > 1) {
        const auto parts = split(ctx.args.positionals()[1], '/');
        const std::string named = parts.empty() ? "" : parts[0];
        if (named != cloud) region.clear();
        cloud = named;
        if (parts.size() > 1) region = parts[1];
    }
    // The controller's clouds, and (a simplification of the fake) any cloud added to this
    // client or built into it; juju's public clouds only where a controller runs on them.
    auto info = controller_cloud(ctx, controller, cloud);
    if (!info && usable_cloud_type(ctx, controller, cloud)) info = client_cloud(ctx, cloud);
    if (!info) {
        ctx.err += fmt::format(
            "ERROR cloud {} not found\nUse 'juju clouds' to see a list of all available "
            "clouds or 'juju add-cloud' to a add one.\n",
            cloud);
        ctx.returncode = 1;
        return;
    }
    if (region.empty()) region = info->regions.empty() ? "default" : info->regions.front().name;
    const std::string type = info->type;
    nlohmann::json config = nlohmann::json::object();
    for (const auto& item : ctx.args.values("config")) {
        auto [key, text] = split_assignment(ctx, item);
        config[key] = model_config_value(key, text);
    }
    const std::string credential = ctx.args.value("credential").value_or(cloud);
    create_model(ctx, controller, name, cloud, region, type == "k8s" ? "caas" : "iaas", credential,
                 config);
    if (!ctx.args.flag("no-switch")) {
        set_current_model(ctx.db, controller, "admin/" + name);
        meta_set(ctx.db, "current_controller", controller);
    }
    ctx.err += fmt::format("Added '{}' model on {}/{} with credential '{}' for user 'admin'\n",
                           name, cloud, region, credential);
}

void cmd_destroy_model(Context& ctx) {
    require_positionals(ctx, 1, 1, "no model specified");
    if (!ctx.args.flag("no-prompt")) {
        throw CommandError(
            "destroy-model needs confirmation; fake-juju never prompts, pass --no-prompt");
    }
    const ModelRow model = find_model(ctx, ctx.args.positionals()[0]);
    if (model.name == "controller") {
        throw CommandError(
            fmt::format("\"{}\" is a controller; use 'juju destroy-controller' to destroy it",
                        model.qualified()));
    }
    delete_model(ctx.db, model.id);
    if (controller_current_model(ctx.db, model.controller) == model.short_name()) {
        set_current_model(ctx.db, model.controller, "");
    }
    ctx.err += "Destroying model\nModel destroyed.\n";
}

ojson model_document(Context& ctx, const ModelRow& model) {
    const std::int64_t secrets = count_model_secrets(ctx.db, model.id);
    ojson machines = ojson::object();
    for (const std::string& id : host_machine_ids(ctx, model)) machines[id] = {{"cores", 0}};
    ojson doc = {
        {"name", model.short_name()},
        {"short-name", model.name},
        {"model-uuid", model.uuid},
        {"model-type", model.type},
        {"controller-uuid",
         find_controller(ctx.db, model.controller).value_or(ControllerRow{}).uuid},
        {"controller-name", model.controller},
        {"is-controller", model.name == "controller"},
        {"owner", model.owner},
        {"cloud", model.cloud},
        {"region", model.region},
        {"type", provider_type(ctx, model)},
        {"life", "alive"},
        {"status", {{"current", "available"}, {"since", format_since(model.created)}}},
        {"users",
         {{"admin",
           {{"display-name", "admin"}, {"access", "admin"}, {"last-connection", "just now"}}}}}};
    if (!machines.empty()) doc["machines"] = machines;
    doc["secret-backends"] = {{"internal", {{"num-secrets", secrets}, {"status", "active"}}}};
    const std::string version = controller_version(ctx.db, model.controller).text;
    doc["agent-version"] = version;
    doc["credential"] = {{"name", model.credential}, {"owner", "admin"}, {"cloud", model.cloud}};
    doc["supported-features"] =
        ojson::array({{{"name", "juju"},
                       {"description", "the version of Juju used by the model"},
                       {"version", version}}});
    return doc;
}

void cmd_show_model(Context& ctx) {
    require_positionals(ctx, 0, 1, "");
    const std::string format = output_format(ctx, {"yaml", "json"});
    const ModelRow model = ctx.args.positionals().empty()
                               ? current_model(ctx)
                               : find_model(ctx, ctx.args.positionals()[0]);
    ojson doc;
    doc[model.name] = model_document(ctx, model);
    print_document(ctx, doc, format);
}

void cmd_models(Context& ctx) {
    const std::string format = output_format(ctx, {"tabular", "json", "yaml"});
    const std::string controller = resolve_controller(ctx, ctx.args.value("controller"));
    const std::string current = controller_current_model(ctx.db, controller);
    ojson list = ojson::array();
    std::string table = fmt::format("Controller: {}\n\n{:<20}  {:<20}  {:<6}  {}\n", controller,
                                    "Model", "Cloud/Region", "Type", "Status");
    for (const ModelRow& model : controller_models(ctx.db, controller)) {
        list.push_back(model_document(ctx, model));
        table += fmt::format("{:<20}  {:<20}  {:<6}  available\n",
                             model.name + (model.short_name() == current ? "*" : ""),
                             model.cloud + "/" + model.region, provider_type(ctx, model));
    }
    if (format == "tabular") {
        ctx.out += table;
        return;
    }
    ojson doc = {{"models", list}};
    if (!current.empty()) doc["current-model"] = split(current, '/').back();
    print_document(ctx, doc, format);
}

void cmd_switch(Context& ctx) {
    require_positionals(ctx, 0, 1, "");
    const std::string old_controller = meta_get(ctx.db, "current_controller");
    const std::string old_model = controller_current_model(ctx.db, old_controller);
    const std::string before = old_controller + (old_model.empty() ? "" : ":" + old_model);
    if (ctx.args.positionals().empty()) {
        ctx.out += before + "\n";
        return;
    }
    const std::string target = ctx.args.positionals()[0];
    std::string after;
    if (controller_exists(ctx.db, target)) {
        meta_set(ctx.db, "current_controller", target);
        const std::string model = controller_current_model(ctx.db, target);
        after = target + (model.empty() ? "" : ":" + model);
    } else {
        const ModelRow model = find_model(ctx, target);
        meta_set(ctx.db, "current_controller", model.controller);
        set_current_model(ctx.db, model.controller, model.short_name());
        after = model.qualified();
    }
    ctx.err += before + " -> " + after + "\n";
}

// ---- controllers, clouds, credentials -----------------------------------------------------

void cmd_bootstrap(Context& ctx) {
    require_positionals(ctx, 1, 2, "expected a cloud name");
    const auto parts = split(ctx.args.positionals()[0], '/');
    const std::string cloud = parts.empty() ? "" : parts[0];
    const auto info = client_cloud(ctx, cloud);
    if (!info)
        throw CommandError(
            fmt::format("unknown cloud \"{}\", please try \"juju update-public-clouds\"", cloud));
    // Without a region, the cloud's default (its first).
    const std::string region = parts.size() > 1        ? parts[1]
                               : info->regions.empty() ? "default"
                                                       : info->regions.front().name;
    const std::string name =
        ctx.args.positionals().size() > 1 ? ctx.args.positionals()[1] : cloud + "-" + region;
    if (controller_exists(ctx.db, name))
        throw CommandError(fmt::format("controller \"{}\" already exists", name));
    // A further controller speaks the version asked for, else the one this client speaks.
    JujuVersion version = ctx.version;
    if (const auto agent_version = ctx.args.value("agent-version")) {
        if (auto problem = juju_version_problem(*agent_version)) {
            throw UsageError(ctx.command, "invalid value for --agent-version: " + *problem);
        }
        version = *parse_juju_version(*agent_version);
    }
    set_controller_version(ctx.db, name, version);
    insert_controller(ctx.db,
                      {.name = name,
                       .uuid = fake_uuid("controller", next_counter(ctx.db, "controller") + 1),
                       .cloud = cloud,
                       .region = region,
                       .current_model = "admin/controller",
                       .created = ctx.now});
    nlohmann::json config = nlohmann::json::object();
    for (const auto& item : ctx.args.values("config")) {
        auto [key, text] = split_assignment(ctx, item);
        config[key] = model_config_value(key, text);
    }
    const std::string credential = ctx.args.value("credential").value_or(cloud);
    create_model(ctx, name, "controller", cloud, region, info->type == "k8s" ? "caas" : "iaas",
                 credential, config);
    // The bootstrap credential goes to the controller: the client's copy if it has one.
    const std::string content = credential_content(ctx.db, "client", cloud, credential)
                                    .value_or("{auth-type: certificate}");
    store_credential_content(ctx.db, name, cloud, credential, content);
    if (!ctx.args.flag("no-switch")) meta_set(ctx.db, "current_controller", name);
    ctx.err += fmt::format("Creating Juju controller \"{}\" on {}/{}\n", name, cloud, region);
    ctx.err += fmt::format("Bootstrap complete, controller \"{}\" is now available\n", name);
}

}  // namespace

std::vector<CommandDef> model_commands() {
    const FlagSpec format = value({"--format"});
    const FlagSpec controller = value({"-c", "--controller"});
    return {
        {.name = "add-model",
         .spec = {.flags = {controller, boolean({"--no-switch"}), value({"--config"}),
                            value({"--credential"}), value({"--owner"}),
                            value({"--target-controller"})}},
         .run = cmd_add_model,
         .model_scoped = false},
        {.name = "bootstrap",
         .spec = {.flags = {boolean({"--no-switch"}), value({"--bootstrap-base"}),
                            value({"--bootstrap-constraints"}), value({"--config"}),
                            value({"--constraints"}), value({"--credential"}), boolean({"--force"}),
                            value({"--model-default"}), value({"--storage-pool"}), value({"--to"}),
                            value({"--metadata-source"}), value({"--agent-version"})}},
         .run = cmd_bootstrap,
         .model_scoped = false},
        {.name = "destroy-model",
         .spec = {.flags = {boolean({"--no-prompt"}), boolean({"--destroy-storage"}),
                            boolean({"--release-storage"}), boolean({"--force"}),
                            boolean({"--no-wait"}), value({"--timeout"})}},
         .run = cmd_destroy_model,
         .model_scoped = false},
        {.name = "model-config",
         .spec = {.flags = {format, value({"--reset"}), value({"--file"}),
                            boolean({"--no-color"})}},
         .run = cmd_model_config},
        {.name = "model-constraints", .spec = {.flags = {format}}, .run = cmd_model_constraints},
        {.name = "models",
         .spec = {.flags = {format, controller, boolean({"--all"}), value({"--user"})}},
         .run = cmd_models,
         .model_scoped = false},
        {.name = "set-model-constraints", .spec = {}, .run = cmd_set_model_constraints},
        {.name = "show-model",
         .spec = {.flags = {format}},
         .run = cmd_show_model,
         .model_scoped = false},
        {.name = "switch", .spec = {}, .run = cmd_switch, .model_scoped = false},
    };
}

}  // namespace jubilant::fake
