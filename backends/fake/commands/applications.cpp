// Applications and their units: deploy, refresh, config, trust, add-unit, remove-unit and
// remove-application.
#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "state/model_changes.hpp"
#include "state/model_state.hpp"
#include "state/secrets.hpp"
#include "support/local_charm.hpp"
#include "support/names.hpp"
#include "support/yaml_input.hpp"

namespace jubilant::fake {
namespace {

// ---- charm references ---------------------------------------------------------------------

struct CharmSource {
    std::string name;
    std::string source;  ///< charmhub or local
};

CharmSource charm_source(const std::string& reference) {
    std::string ref = reference;
    if (ref.starts_with("ch:")) ref = ref.substr(3);
    const bool local = ref.starts_with(".") || ref.starts_with("/") || ref.ends_with(".charm") ||
                       ref.starts_with("local:");
    if (!local) return {ref, "charmhub"};
    if (ref.starts_with("local:")) ref = ref.substr(6);
    std::string name = ref.substr(ref.find_last_of('/') + 1);
    if (name.ends_with(".charm")) name.resize(name.size() - 6);
    if (const auto underscore = name.find('_'); underscore != std::string::npos) {
        name.resize(underscore);  // charmcraft names packs <name>_<base>-<arch>.charm
    }
    return {name, "local"};
}

// A local path is read as the charm's author has it; a name is a fixture or, unless strict,
// a generic Charmhub charm.
Charm load_charm(Context& ctx, const CharmSource& source, const std::string& reference) {
    if (source.source == "local" && !reference.starts_with("local:")) {
        std::error_code ec;
        if (ctx.juju4() && std::filesystem::is_directory(reference, ec)) {
            // Juju 4 no longer packs a charm directory (juju PR #17731); the wording is the
            // fake's: juju's own message was not found in its source.
            throw CommandError(
                fmt::format("cannot deploy charm directory \"{}\": juju 4 deploys "
                            "packed charms only; run \"charmcraft pack\" and deploy "
                            "the .charm file",
                            reference));
        }
        return read_local_charm(reference, ctx.options.charms_dir);
    }
    return find_charm(source.name, ctx.options.charms_dir, ctx.options.strict);
}

// juju numbers a model's uploads of a local charm from 0, one more for each upload.
int next_local_revision(Context& ctx, const ModelRow& model, const std::string& charm_name) {
    return static_cast<int>(
        next_counter(ctx.db, fmt::format("local-charm:{}:{}", model.id, charm_name)) - 1);
}

// --config takes key=value or a YAML file of {app: {key: value}}.
void apply_config_args(Context& ctx, AppRow& app, const std::vector<std::string>& items) {
    for (const std::string& item : items) {
        if (item.find('=') != std::string::npos) {
            auto [key, text] = split_assignment(ctx, item);
            app.config[key] = parse_config_value(app.charm, key, text);
            continue;
        }
        const std::string content = read_argument_file(ctx, item);
        YAML::Node doc;
        try {
            doc = load_bounded_yaml(content);
        } catch (const YAML::Exception& e) {
            throw CommandError(fmt::format("cannot parse config file {}: {}", item, e.what()));
        }
        const YAML::Node section = doc[app.name];
        if (!section || !section.IsMap()) continue;
        for (const auto& kv : section) {
            app.config[kv.first.Scalar()] =
                parse_config_value(app.charm, kv.first.Scalar(), kv.second.Scalar());
        }
    }
}

void cmd_deploy(Context& ctx) {
    require_positionals(ctx, 1, 2, "no charm name specified");
    const auto& p = ctx.args.positionals();
    if (p.size() > 1) {
        if (auto invalid = application_name_error(p[1])) throw UsageError(ctx.command, *invalid);
    }
    const ModelRow model = current_model(ctx);
    const CharmSource source = charm_source(p[0]);
    AppRow app;
    app.charm = load_charm(ctx, source, p[0]);
    // A local charm's name is the one in its metadata, whatever its file is called.
    app.charm_name = app.charm.generic || source.source != "local" ? source.name : app.charm.name;
    app.name = p.size() > 1 ? p[1] : app.charm_name;
    if (find_app(ctx, model, app.name)) {
        throw CommandError(
            fmt::format("cannot add application \"{}\": application already exists", app.name));
    }
    if (app.charm.kubernetes && model.type != "caas") {
        throw CommandError(
            fmt::format("cannot deploy charm \"{}\": it needs a Kubernetes model "
                        "and \"{}\" is a machine model",
                        source.name, model.name));
    }
    app.source = source.source;
    app.channel = ctx.args.value("channel").value_or(app.charm.channel);
    app.revision = source.source == "local" ? next_local_revision(ctx, model, app.charm_name)
                                            : app.charm.revision;
    if (auto revision = ctx.args.value("revision"))
        app.revision = parse_count(ctx, revision, 0, "--revision");
    app.base = ctx.args.value("base").value_or(app.charm.base);
    if (auto series = ctx.args.value("series"); series && !ctx.args.value("base")) {
        app.base = base_of_series(*series);  // juju 3 only: juju 4 has bases alone
    }
    app.constraints = ctx.args.value("constraints").value_or("");
    app.trust = ctx.args.flag("trust");
    apply_config_args(ctx, app, ctx.args.values("config"));
    insert_app(ctx, model, app);
    insert_peer_relations(ctx, model, app);
    const int units = parse_count(ctx, ctx.args.value("num-units"), 1, "--num-units");
    if (!app.charm.subordinate) {
        std::vector<std::string> placements;
        if (auto to = ctx.args.value("to")) placements = split(*to, ',');
        add_units(ctx, model, app, units, placements);
    }
    if (app.source == "local") {
        ctx.err +=
            fmt::format("Located local charm \"{}\", revision {}\n", app.charm_name, app.revision);
        ctx.err += fmt::format("Deploying \"{}\" from local charm \"{}\", revision {} on {}\n",
                               app.name, app.charm_name, app.revision, app.base);
    } else {
        ctx.err += fmt::format("Located charm \"{}\" in charm-hub, channel {}\n", app.charm_name,
                               app.channel);
        ctx.err += fmt::format(
            "Deploying \"{}\" from charm-hub charm \"{}\", revision {} in "
            "channel {} on {}/stable\n",
            app.name, app.charm_name, app.revision, app.channel, app.base);
    }
}

void cmd_add_unit(Context& ctx) {
    require_positionals(ctx, 1, 1, "no application name specified");
    const ModelRow model = current_model(ctx);
    AppRow app = load_app(ctx, model, ctx.args.positionals()[0]);
    if (app.charm.subordinate) {
        throw CommandError(
            fmt::format("cannot add unit to application \"{}\": application is "
                        "subordinate",
                        app.name));
    }
    const int n = parse_count(ctx, ctx.args.value("num-units"), 1, "--num-units");
    std::vector<std::string> placements;
    if (auto to = ctx.args.value("to")) placements = split(*to, ',');
    add_units(ctx, model, app, n, placements);
    sync_subordinates(ctx, model);
}

void cmd_remove_unit(Context& ctx) {
    require_positionals(ctx, 1, 1000, "no units specified");
    const ModelRow model = current_model(ctx);
    const ModelState state = load_model_state(ctx, model);
    const auto& p = ctx.args.positionals();
    if (auto n_text = ctx.args.value("num-units")) {
        const int n = parse_count(ctx, n_text, 0, "--num-units");
        if (p.size() != 1 || p[0].find('/') != std::string::npos) {
            throw UsageError(ctx.command, "--num-units needs a single application name");
        }
        if (!state.app(p[0])) throw CommandError(fmt::format("application \"{}\" not found", p[0]));
        std::vector<UnitRow> units;
        for (const UnitRow& u : state.units) {
            if (u.app == p[0]) units.push_back(u);
        }
        if (static_cast<std::size_t>(n) > units.size()) {
            throw CommandError(
                fmt::format("cannot remove {} units from application \"{}\": it has "
                            "only {}",
                            n, p[0], units.size()));
        }
        for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
            const UnitRow& unit = units[units.size() - 1 - i];
            remove_unit_row(ctx, model, unit, state);
            ctx.err += fmt::format("will remove unit {}\n", unit.name());
        }
        return;
    }
    for (const std::string& name : p) {
        if (name.find('/') == std::string::npos) {
            throw UsageError(ctx.command, fmt::format("invalid unit name \"{}\"", name));
        }
        const UnitRow* unit = state.unit(name);
        if (!unit) throw CommandError(fmt::format("unit \"{}\" does not exist", name));
        if (!unit->principal.empty()) {
            throw CommandError(
                fmt::format("unit \"{}\" is a subordinate, remove the relation "
                            "instead",
                            name));
        }
        remove_unit_row(ctx, model, *unit, state);
        ctx.err += fmt::format("will remove unit {}\n", name);
    }
}

void remove_app(Context& ctx, const ModelRow& model, const std::string& name) {
    const ModelState state = load_model_state(ctx, model);
    if (!state.app(name)) {
        throw CommandError(fmt::format(
            "removing application {} failed: application \"{}\" not found", name, name));
    }
    ctx.err += fmt::format("will remove application {}\n", name);
    for (const UnitRow& unit : state.units) {
        if (unit.app != name) continue;
        remove_unit_row(ctx, model, unit, state);
        ctx.err += fmt::format("- will remove unit {}\n", unit.name());
    }
    // Subordinate units of other apps attached to this app's units are already gone with them;
    // relations take the remaining subordinate units along.
    for (const RelationRow& r : state.relations) {
        if (r.provider_app != name && r.requirer_app != name) continue;
        const std::string other = r.provider_app == name ? r.requirer_app : r.provider_app;
        if (const AppRow* other_app = state.app(other); other_app && other_app->charm.subordinate) {
            remove_subordinate_units(ctx, model, other, name);
        }
    }
    delete_app(ctx, model, name);
    revoke_app_grants(ctx.db, model.id, name);
}

void cmd_remove_application(Context& ctx) {
    require_positionals(ctx, 1, 1000, "no application specified");
    const ModelRow model = current_model(ctx);
    for (const std::string& name : ctx.args.positionals()) remove_app(ctx, model, name);
}

void cmd_refresh(Context& ctx) {
    require_positionals(ctx, 1, 1, "no application specified");
    const ModelRow model = current_model(ctx);
    AppRow app = load_app(ctx, model, ctx.args.positionals()[0]);
    if (app.offer_url)
        throw CommandError(fmt::format("cannot refresh remote application \"{}\"", app.name));
    if (auto path = ctx.args.value("path")) {
        app.charm = load_charm(ctx, charm_source(*path), *path);
        if (!app.charm.generic && app.charm.name != app.charm_name) {
            throw CommandError(
                fmt::format("cannot refresh \"{}\": cannot change an "
                            "application's charm from \"{}\" to \"{}\"",
                            app.name, app.charm_name, app.charm.name));
        }
        app.source = "local";
        app.revision = next_local_revision(ctx, model, app.charm_name);
    } else if (auto revision = ctx.args.value("revision")) {
        app.revision = parse_count(ctx, revision, 0, "--revision");
    } else {
        app.revision += 1;
    }
    if (auto channel = ctx.args.value("channel")) app.channel = *channel;
    if (auto base = ctx.args.value("base")) app.base = *base;
    if (ctx.args.flag("trust")) app.trust = true;
    apply_config_args(ctx, app, ctx.args.values("config"));
    save_app_charm(ctx, model, app);
    mark_busy(ctx, model, app.name, "upgrade-charm");
    if (app.source == "local") {
        ctx.err += fmt::format("Added local charm \"{}\", revision {}, to the model\n",
                               app.charm_name, app.revision);
    } else {
        ctx.err += fmt::format(
            "Added charm-hub charm \"{}\", revision {} in channel {}, to the "
            "model\n",
            app.charm_name, app.revision, app.channel);
    }
}

void cmd_trust(Context& ctx) {
    require_positionals(ctx, 1, 1, "no application name specified");
    const ModelRow model = current_model(ctx);
    AppRow app = load_app(ctx, model, ctx.args.positionals()[0]);
    if (auto scope = ctx.args.value("scope"); scope && *scope != "cluster") {
        throw UsageError(ctx.command,
                         fmt::format("scope \"{}\" not valid, expected \"cluster\"", *scope));
    }
    app.trust = !ctx.args.flag("remove");
    save_app_config(ctx, model, app);
    mark_busy(ctx, model, app.name, "config-changed");
}

ojson config_entry(const ConfigOption& option, const nlohmann::json& value, bool user_set) {
    ojson out;
    if (!option.default_value.is_null()) out["default"] = option.default_value;
    out["description"] = option.description;
    out["source"] = user_set ? "user" : "default";
    out["type"] = option.type;
    if (!value.is_null()) out["value"] = value;
    return out;
}

void cmd_config(Context& ctx) {
    require_positionals(ctx, 1, 1000, "no application name specified");
    const ModelRow model = current_model(ctx);
    const auto& p = ctx.args.positionals();
    AppRow app = load_app(ctx, model, p[0]);
    std::vector<std::string> assignments;
    std::vector<std::string> keys;
    for (std::size_t i = 1; i < p.size(); ++i) {
        (p[i].find('=') != std::string::npos ? assignments : keys).push_back(p[i]);
    }
    const auto resets = ctx.args.value("reset");
    const auto file = ctx.args.value("file");
    if (!assignments.empty() || resets || file) {
        if (!keys.empty()) {
            throw UsageError(ctx.command, "cannot get and set config in one command");
        }
        for (const std::string& key : resets ? split(*resets, ',') : std::vector<std::string>{}) {
            if (!app.charm.options.contains(key))
                throw CommandError(fmt::format("unknown option \"{}\"", key));
            app.config.erase(key);
        }
        if (file) apply_config_args(ctx, app, {*file});
        apply_config_args(ctx, app, assignments);
        save_app_config(ctx, model, app);
        mark_busy(ctx, model, app.name, "config-changed");
        return;
    }
    const nlohmann::json effective = effective_config(app);
    if (keys.size() == 1) {
        const auto it = app.charm.options.find(keys[0]);
        if (it == app.charm.options.end()) {
            throw CommandError(
                fmt::format("key \"{}\" not found in \"{}\" application config or "
                            "charm settings.",
                            keys[0], app.name));
        }
        const auto& v = effective[keys[0]];
        ctx.out +=
            (v.is_string() ? v.get<std::string>()
             : v.is_null() ? ""
                           : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) +
            "\n";
        return;
    }
    if (keys.size() > 1)
        throw UsageError(ctx.command, "can only retrieve a single value, or all values");
    const std::string format = output_format(ctx, {"yaml", "json"});
    ojson settings = ojson::object();
    for (const auto& [key, option] : app.charm.options) {
        settings[key] = config_entry(option, effective[key], app.config.contains(key));
    }
    ojson doc = {{"application", app.name},
                 {"application-config",
                  {{"trust",
                    {{"default", false},
                     {"description", "Does this application have access to trusted credentials"},
                     {"source", app.trust ? "user" : "default"},
                     {"type", "bool"},
                     {"value", app.trust}}}}},
                 {"charm", app.charm_name},
                 {"settings", settings}};
    print_document(ctx, doc, format);
}

}  // namespace

std::vector<CommandDef> application_commands() {
    const FlagSpec storage = value({"--storage"});
    // Series are gone in juju 4 (bases only).
    const FlagSpec series{.names = {"--series"}, .takes_value = true, .removed_in_major = 4};
    return {
        {.name = "add-unit",
         .spec = {.flags = {value({"-n", "--num-units"}), value({"--to"}),
                            value({"--attach-storage"})}},
         .run = cmd_add_unit},
        {.name = "config",
         .spec = {.flags = {value({"--format"}), value({"--reset"}), value({"--file"}),
                            boolean({"--no-color"})}},
         .run = cmd_config},
        {.name = "deploy",
         .spec = {.flags = {value({"-n", "--num-units"}), value({"--channel"}), value({"--config"}),
                            value({"--constraints"}), value({"--to"}), boolean({"--trust"}),
                            value({"--base"}), value({"--revision"}), value({"--resource"}),
                            storage, value({"--bind"}), value({"--attach-storage"}),
                            boolean({"--force"}), value({"--overlay"}), boolean({"--dry-run"}),
                            series}},
         .run = cmd_deploy},
        {.name = "refresh",
         .spec =
             {.flags = {value({"--channel"}),
                        value({"--revision"}),
                        value({"--path"}),
                        value({"--config"}),
                        boolean({"--trust"}),
                        value({"--base"}),
                        boolean({"--force"}),
                        boolean({"--force-base"}),
                        {.names = {"--force-series"}, .takes_value = false, .removed_in_major = 4},
                        boolean({"--force-units"}),
                        value({"--resource"}),
                        storage}},
         .run = cmd_refresh},
        {.name = "remove-application",
         .spec = {.flags = {boolean({"--no-prompt"}), boolean({"--destroy-storage"}),
                            boolean({"--force"}), boolean({"--no-wait"})}},
         .run = cmd_remove_application},
        {.name = "remove-unit",
         .spec = {.flags = {boolean({"--no-prompt"}), boolean({"--destroy-storage"}),
                            boolean({"--force"}), value({"--num-units"}), boolean({"--no-wait"})}},
         .run = cmd_remove_unit},
        {.name = "trust",
         .spec = {.flags = {boolean({"--remove"}), value({"--scope"})}},
         .run = cmd_trust},
    };
}

}  // namespace jubilant::fake
