// Applications, units, machines, relations, config and offers.
#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "support/local_charm.hpp"
#include "support/names.hpp"
#include "state/debug_log.hpp"
#include "state/model_state.hpp"
#include "support/yaml_input.hpp"

namespace jubilant::fake {
namespace {

int parse_count(Context& ctx, const std::optional<std::string>& text, int fallback,
                std::string_view flag) {
    if (!text) return fallback;
    try {
        std::size_t used = 0;
        const int n = std::stoi(*text, &used);
        if (used == text->size() && n >= 0) return n;
    } catch (const std::logic_error&) {
    }
    throw UsageError(ctx.command,
                     fmt::format("invalid value \"{}\" for option {}: must be a non-negative "
                                 "integer",
                                 *text, flag));
}

std::string new_machine(Context& ctx, const ModelRow& model, const std::string& base,
                        const std::string& constraints, const std::string& host = {}) {
    std::string id;
    if (host.empty()) {
        Statement& s = ctx.db.prepare("SELECT next_machine FROM models WHERE id = ?1");
        s.bind(model.id);
        s.step();
        id = std::to_string(s.integer(0));
        s.bind();
        ctx.db.prepare("UPDATE models SET next_machine = next_machine + 1 WHERE id = ?1")
            .bind(model.id)
            .exec();
    } else {
        Statement& s = ctx.db.prepare(
            "SELECT count(*) FROM machines WHERE model_id = ?1 AND id LIKE ?2");
        s.bind(model.id, host + "/lxd/%");
        s.step();
        id = fmt::format("{}/lxd/{}", host, s.integer(0));
        s.bind();
    }
    ctx.db.prepare("INSERT INTO machines(model_id, id, base, constraints, created_ms) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(model.id, id, base, constraints, ctx.now)
        .exec();
    return id;
}

bool machine_exists(Context& ctx, const ModelRow& model, const std::string& id) {
    Statement& s = ctx.db.prepare("SELECT 1 FROM machines WHERE model_id = ?1 AND id = ?2");
    s.bind(model.id, id);
    const bool found = s.step();
    s.bind();
    return found;
}

// A --to placement: an existing machine ("3"), a new container ("lxd", "lxd:3").
std::string place(Context& ctx, const ModelRow& model, const std::string& directive,
                  const std::string& base, const std::string& constraints) {
    if (directive == "lxd") {
        const std::string host = new_machine(ctx, model, base, constraints);
        return new_machine(ctx, model, base, constraints, host);
    }
    if (directive.starts_with("lxd:")) {
        const std::string host = directive.substr(4);
        if (!machine_exists(ctx, model, host)) {
            throw CommandError(fmt::format("machine {} not found", host));
        }
        return new_machine(ctx, model, base, constraints, host);
    }
    if (!machine_exists(ctx, model, directive)) {
        throw CommandError(fmt::format("cannot deploy to machine {}: machine {} not found",
                                       directive, directive));
    }
    return directive;
}

void add_units(Context& ctx, const ModelRow& model, AppRow& app, int count,
               const std::vector<std::string>& placements) {
    for (int i = 0; i < count; ++i) {
        std::string machine;
        if (model.type == "iaas") {
            machine = static_cast<std::size_t>(i) < placements.size()
                          ? place(ctx, model, placements[static_cast<std::size_t>(i)], app.base, app.constraints)
                          : new_machine(ctx, model, app.base, app.constraints);
        }
        const std::int64_t number = app.next_unit++;
        ctx.db.prepare("INSERT INTO units(model_id, app, number, machine, created_ms) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(model.id, app.name, number, machine, ctx.now)
            .exec();
        log_line(ctx, model, fmt::format("unit-{}-{}", app.name, number), "INFO",
                 "unit agent started");
    }
    ctx.db.prepare("UPDATE applications SET next_unit = ?1 WHERE model_id = ?2 AND name = ?3")
        .bind(app.next_unit, model.id, app.name)
        .exec();
}

// Adds subordinate units for every principal unit related to `sub_app` by a container
// relation that does not have one yet.
void sync_subordinates(Context& ctx, const ModelRow& model) {
    ModelState state = load_model_state(ctx, model);
    for (const RelationRow& r : state.relations) {
        if (r.scope != "container") continue;
        for (const auto& [sub_name, principal_name] :
             {std::pair{r.provider_app, r.requirer_app}, std::pair{r.requirer_app, r.provider_app}}) {
            const AppRow* sub = state.app(sub_name);
            const AppRow* principal = state.app(principal_name);
            if (!sub || !principal || !sub->charm.subordinate || principal->charm.subordinate) continue;
            AppRow sub_app = load_app(ctx, model, sub_name);
            std::vector<UnitRow> added;
            for (const UnitRow& unit : state.units) {
                if (unit.app != principal_name) continue;
                const std::string& sub_app_name = sub_name;  // clang 14 cannot capture bindings
                const bool has = std::any_of(state.units.begin(), state.units.end(), [&](const UnitRow& u) {
                    return u.app == sub_app_name && u.principal == unit.name();
                });
                if (has) continue;
                const std::int64_t number = sub_app.next_unit++;
                ctx.db.prepare("INSERT INTO units(model_id, app, number, machine, principal, "
                               "created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                    .bind(model.id, sub_name, number, unit.machine, unit.name(), ctx.now)
                    .exec();
                added.push_back({.app = sub_name, .number = number, .machine = unit.machine,
                                 .principal = unit.name(), .created = ctx.now,
                                 .busy_until = 0, .busy_hook = {}});
            }
            state.units.insert(state.units.end(), added.begin(), added.end());
            ctx.db.prepare("UPDATE applications SET next_unit = ?1 WHERE model_id = ?2 AND name = ?3")
                .bind(sub_app.next_unit, model.id, sub_name)
                .exec();
        }
    }
}

void remove_unit_row(Context& ctx, const ModelRow& model, const UnitRow& unit,
                     const ModelState& state) {
    ctx.db.prepare("DELETE FROM units WHERE model_id = ?1 AND app = ?2 AND number = ?3")
        .bind(model.id, unit.app, unit.number)
        .exec();
    ctx.db.prepare("DELETE FROM units WHERE model_id = ?1 AND principal = ?2")
        .bind(model.id, unit.name())
        .exec();
    if (unit.machine.empty() || !unit.principal.empty()) return;
    // The machine goes with its last principal unit, as juju does for machines it created.
    const bool shared = std::any_of(state.units.begin(), state.units.end(), [&](const UnitRow& u) {
        return u.machine == unit.machine && u.name() != unit.name() && u.principal.empty();
    });
    if (!shared) {
        ctx.db.prepare("DELETE FROM machines WHERE model_id = ?1 AND id = ?2")
            .bind(model.id, unit.machine)
            .exec();
    }
}

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
            throw CommandError(fmt::format("cannot deploy charm directory \"{}\": juju 4 deploys "
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

void insert_peer_relations(Context& ctx, const ModelRow& model, const AppRow& app) {
    for (const Endpoint& e : app.charm.endpoints) {
        if (e.role != "peer") continue;
        ctx.db.prepare("INSERT INTO relations(model_id, id, provider_app, provider_endpoint, "
                       "requirer_app, requirer_endpoint, interface, scope, created_ms) VALUES "
                       "(?1, ?2, ?3, ?4, ?3, ?4, ?5, ?6, ?7)")
            .bind(model.id, next_counter(ctx.db, "relation"), app.name, e.name, e.interface,
                  e.scope, ctx.now)
            .exec();
    }
}

void insert_app(Context& ctx, const ModelRow& model, const AppRow& app) {
    ctx.db.prepare("INSERT INTO applications(model_id, name, charm, source, channel, revision, "
                   "base, charm_meta, config, trust, constraints, created_ms, offer_url) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")
        .bind(model.id, app.name, app.charm_name, app.source, app.channel, app.revision,
              app.base, app.charm.to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), app.config.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), app.trust,
              app.constraints, ctx.now, app.offer_url)
        .exec();
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
        throw CommandError(fmt::format("cannot add application \"{}\": application already exists",
                                       app.name));
    }
    if (app.charm.kubernetes && model.type != "caas") {
        throw CommandError(fmt::format("cannot deploy charm \"{}\": it needs a Kubernetes model "
                                       "and \"{}\" is a machine model",
                                       source.name, model.name));
    }
    app.source = source.source;
    app.channel = ctx.args.value("channel").value_or(app.charm.channel);
    app.revision = source.source == "local" ? next_local_revision(ctx, model, app.charm_name)
                                            : app.charm.revision;
    if (auto revision = ctx.args.value("revision")) app.revision = parse_count(ctx, revision, 0, "--revision");
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
        ctx.err += fmt::format("Located local charm \"{}\", revision {}\n", app.charm_name, app.revision);
        ctx.err += fmt::format("Deploying \"{}\" from local charm \"{}\", revision {} on {}\n",
                               app.name, app.charm_name, app.revision, app.base);
    } else {
        ctx.err += fmt::format("Located charm \"{}\" in charm-hub, channel {}\n", app.charm_name,
                               app.channel);
        ctx.err += fmt::format("Deploying \"{}\" from charm-hub charm \"{}\", revision {} in "
                               "channel {} on {}/stable\n",
                               app.name, app.charm_name, app.revision, app.channel, app.base);
    }
}

void cmd_add_unit(Context& ctx) {
    require_positionals(ctx, 1, 1, "no application name specified");
    const ModelRow model = current_model(ctx);
    AppRow app = load_app(ctx, model, ctx.args.positionals()[0]);
    if (app.charm.subordinate) {
        throw CommandError(fmt::format("cannot add unit to application \"{}\": application is "
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
            throw CommandError(fmt::format("cannot remove {} units from application \"{}\": it has "
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
            throw CommandError(fmt::format("unit \"{}\" is a subordinate, remove the relation "
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
        throw CommandError(fmt::format("removing application {} failed: application \"{}\" not found", name, name));
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
            ctx.db.prepare("DELETE FROM units WHERE model_id = ?1 AND app = ?2 AND principal LIKE ?3")
                .bind(model.id, other, name + "/%")
                .exec();
        }
    }
    ctx.db.prepare("DELETE FROM relations WHERE model_id = ?1 AND (provider_app = ?2 OR requirer_app = ?2)")
        .bind(model.id, name)
        .exec();
    ctx.db.prepare("DELETE FROM offers WHERE model_id = ?1 AND app = ?2").bind(model.id, name).exec();
    ctx.db.prepare("DELETE FROM secret_grants WHERE app = ?2 AND secret_id IN "
                   "(SELECT id FROM secrets WHERE model_id = ?1)")
        .bind(model.id, name)
        .exec();
    ctx.db.prepare("DELETE FROM applications WHERE model_id = ?1 AND name = ?2")
        .bind(model.id, name)
        .exec();
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
    if (app.offer_url) throw CommandError(fmt::format("cannot refresh remote application \"{}\"", app.name));
    if (auto path = ctx.args.value("path")) {
        app.charm = load_charm(ctx, charm_source(*path), *path);
        if (!app.charm.generic && app.charm.name != app.charm_name) {
            throw CommandError(fmt::format("cannot refresh \"{}\": cannot change an "
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
    ctx.db.prepare("UPDATE applications SET source = ?1, channel = ?2, revision = ?3, base = ?4, "
                   "charm_meta = ?5, config = ?6, trust = ?7 WHERE model_id = ?8 AND name = ?9")
        .bind(app.source, app.channel, app.revision, app.base, app.charm.to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
              app.config.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), app.trust, model.id, app.name)
        .exec();
    mark_busy(ctx, model, app.name, "upgrade-charm");
    if (app.source == "local") {
        ctx.err += fmt::format("Added local charm \"{}\", revision {}, to the model\n",
                               app.charm_name, app.revision);
    } else {
        ctx.err += fmt::format("Added charm-hub charm \"{}\", revision {} in channel {}, to the "
                               "model\n",
                               app.charm_name, app.revision, app.channel);
    }
}

void cmd_trust(Context& ctx) {
    require_positionals(ctx, 1, 1, "no application name specified");
    const ModelRow model = current_model(ctx);
    AppRow app = load_app(ctx, model, ctx.args.positionals()[0]);
    if (auto scope = ctx.args.value("scope"); scope && *scope != "cluster") {
        throw UsageError(ctx.command, fmt::format("scope \"{}\" not valid, expected \"cluster\"", *scope));
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
            if (!app.charm.options.contains(key)) throw CommandError(fmt::format("unknown option \"{}\"", key));
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
            throw CommandError(fmt::format("key \"{}\" not found in \"{}\" application config or "
                                           "charm settings.",
                                           keys[0], app.name));
        }
        const auto& v = effective[keys[0]];
        ctx.out += (v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) + "\n";
        return;
    }
    if (keys.size() > 1) throw UsageError(ctx.command, "can only retrieve a single value, or all values");
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

// ---- relations ------------------------------------------------------------------------------

struct EndpointRef {
    std::string app;
    std::optional<std::string> endpoint;
};

EndpointRef endpoint_ref(const std::string& text) {
    const auto colon = text.find(':');
    if (colon == std::string::npos) return {text, std::nullopt};
    return {text.substr(0, colon), text.substr(colon + 1)};
}

struct Candidate {
    std::string provider_app, provider_endpoint, requirer_app, requirer_endpoint, interface, scope;
    std::string text() const {
        return fmt::format("{}:{} {}:{}", requirer_app, requirer_endpoint, provider_app, provider_endpoint);
    }
};

std::vector<Candidate> candidates(const ModelState& state, const EndpointRef& a, const EndpointRef& b) {
    const AppRow* app_a = state.app(a.app);
    const AppRow* app_b = state.app(b.app);
    std::vector<Candidate> out;
    for (const Endpoint& ea : app_a->charm.endpoints) {
        if (a.endpoint && ea.name != *a.endpoint) continue;
        for (const Endpoint& eb : app_b->charm.endpoints) {
            if (b.endpoint && eb.name != *b.endpoint) continue;
            if (ea.interface != eb.interface || ea.role == "peer" || eb.role == "peer" ||
                ea.role == eb.role) {
                continue;
            }
            const bool a_provides = ea.role == "provider";
            const std::string scope = (ea.scope == "container" || eb.scope == "container") ? "container" : "global";
            out.push_back({.provider_app = a_provides ? a.app : b.app,
                           .provider_endpoint = a_provides ? ea.name : eb.name,
                           .requirer_app = a_provides ? b.app : a.app,
                           .requirer_endpoint = a_provides ? eb.name : ea.name,
                           .interface = ea.interface,
                           .scope = scope});
        }
    }
    // Without explicit endpoints, juju prefers the specific interfaces over juju-info.
    if (out.size() > 1) {
        std::vector<Candidate> specific;
        for (const auto& c : out) {
            if (c.interface != "juju-info") specific.push_back(c);
        }
        if (!specific.empty()) out = specific;
    }
    return out;
}

void cmd_integrate(Context& ctx) {
    require_positionals(ctx, 2, 2, "an integration must involve two applications");
    const ModelRow model = current_model(ctx);
    const ModelState state = load_model_state(ctx, model);
    const EndpointRef a = endpoint_ref(ctx.args.positionals()[0]);
    const EndpointRef b = endpoint_ref(ctx.args.positionals()[1]);
    for (const EndpointRef* ref : {&a, &b}) {
        if (!state.app(ref->app)) throw CommandError(fmt::format("application \"{}\" not found", ref->app));
    }
    const std::vector<Candidate> found = candidates(state, a, b);
    const std::string asked = ctx.args.positionals()[0] + " " + ctx.args.positionals()[1];
    if (found.empty()) throw CommandError(fmt::format("no relations found for \"{}\"", asked));
    if (found.size() > 1) {
        std::vector<std::string> texts;
        for (const auto& c : found) texts.push_back("\"" + c.text() + "\"");
        throw CommandError(fmt::format("ambiguous relation: \"{}\" could refer to {}", asked, join(texts, "; ")));
    }
    const Candidate& c = found.front();
    for (const RelationRow& r : state.relations) {
        if (r.provider_app == c.provider_app && r.provider_endpoint == c.provider_endpoint &&
            r.requirer_app == c.requirer_app && r.requirer_endpoint == c.requirer_endpoint) {
            throw CommandError(fmt::format("cannot add relation \"{}\": relation {} already exists",
                                           c.text(), c.text()));
        }
    }
    ctx.db.prepare("INSERT INTO relations(model_id, id, provider_app, provider_endpoint, "
                   "requirer_app, requirer_endpoint, interface, scope, created_ms) VALUES "
                   "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(model.id, next_counter(ctx.db, "relation"), c.provider_app, c.provider_endpoint,
              c.requirer_app, c.requirer_endpoint, c.interface, c.scope, ctx.now)
        .exec();
    mark_busy(ctx, model, c.provider_app, c.provider_endpoint + "-relation-changed");
    mark_busy(ctx, model, c.requirer_app, c.requirer_endpoint + "-relation-changed");
    sync_subordinates(ctx, model);
}

void cmd_remove_relation(Context& ctx) {
    require_positionals(ctx, 2, 2, "a relation must involve two applications");
    const ModelRow model = current_model(ctx);
    const ModelState state = load_model_state(ctx, model);
    const EndpointRef a = endpoint_ref(ctx.args.positionals()[0]);
    const EndpointRef b = endpoint_ref(ctx.args.positionals()[1]);
    auto side_matches = [](const std::string& app, const std::string& endpoint, const EndpointRef& ref) {
        return app == ref.app && (!ref.endpoint || *ref.endpoint == endpoint);
    };
    const RelationRow* match = nullptr;
    for (const RelationRow& r : state.relations) {
        if (r.is_peer()) continue;
        if ((side_matches(r.provider_app, r.provider_endpoint, a) && side_matches(r.requirer_app, r.requirer_endpoint, b)) ||
            (side_matches(r.provider_app, r.provider_endpoint, b) && side_matches(r.requirer_app, r.requirer_endpoint, a))) {
            match = &r;
            break;
        }
    }
    if (!match) {
        throw CommandError(fmt::format("relation \"{} {}\" not found", ctx.args.positionals()[0],
                                       ctx.args.positionals()[1]));
    }
    ctx.db.prepare("DELETE FROM relations WHERE model_id = ?1 AND id = ?2").bind(model.id, match->id).exec();
    if (match->scope == "container") {
        for (const auto& [sub, principal] : {std::pair{match->provider_app, match->requirer_app},
                                             std::pair{match->requirer_app, match->provider_app}}) {
            const AppRow* sub_app = state.app(sub);
            if (!sub_app || !sub_app->charm.subordinate) continue;
            ctx.db.prepare("DELETE FROM units WHERE model_id = ?1 AND app = ?2 AND principal LIKE ?3")
                .bind(model.id, sub, principal + "/%")
                .exec();
        }
    }
    mark_busy(ctx, model, match->provider_app, match->provider_endpoint + "-relation-broken");
    mark_busy(ctx, model, match->requirer_app, match->requirer_endpoint + "-relation-broken");
}

// ---- machines -------------------------------------------------------------------------------

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
            ctx.err += fmt::format("created machine {}\n", new_machine(ctx, model, base, constraints));
        } else {
            throw UsageError(ctx.command, fmt::format("invalid placement directive \"{}\"", target));
        }
    }
}

// ---- offers ---------------------------------------------------------------------------------

void cmd_offer(Context& ctx) {
    require_positionals(ctx, 1, 2, "an offer must at least specify application endpoint");
    const std::string spec = ctx.args.positionals()[0];
    const auto colon = spec.find(':');
    if (colon == std::string::npos) {
        throw UsageError(ctx.command, fmt::format("endpoints must conform to format \"<application-name>:<endpoint-name>[,...]\", got \"{}\"", spec));
    }
    std::string app_part = spec.substr(0, colon);
    std::string model_ref;
    if (const auto dot = app_part.rfind('.'); dot != std::string::npos) {
        model_ref = app_part.substr(0, dot);
        app_part = app_part.substr(dot + 1);
    }
    if (auto controller = ctx.args.value("controller"); controller && !model_ref.empty()) {
        model_ref = *controller + ":" + model_ref;
    }
    const ModelRow model = model_ref.empty() ? current_model(ctx) : find_model(ctx, model_ref);
    const AppRow app = load_app(ctx, model, app_part);
    const std::vector<std::string> endpoints = split(spec.substr(colon + 1), ',');
    for (const auto& e : endpoints) {
        if (!app.charm.endpoint(e)) {
            throw CommandError(fmt::format("application \"{}\" has no \"{}\" relation", app.name, e));
        }
    }
    const std::string name = ctx.args.positionals().size() > 1 ? ctx.args.positionals()[1] : app.name;
    if (ctx.juju4()) {
        // Juju 4 cannot update an offer: remove it, then offer again (4.0.0 release notes).
        // From 4.0.14 offering the same thing again is a no-op (juju PR #22955). The wording
        // is juju's from before offers were upserted (juju PR #12608).
        Statement& s = ctx.db.prepare(
            "SELECT app, endpoints FROM offers WHERE model_id = ?1 AND name = ?2");
        s.bind(model.id, name);
        std::optional<std::pair<std::string, std::string>> existing;
        if (s.step()) existing.emplace(s.text(0), s.text(1));
        s.bind();
        const bool identical = existing && existing->first == app.name &&
                               existing->second == join(endpoints, ",");
        if (existing && !(identical && !ctx.version.before(4, 0, 14))) {
            throw CommandError(fmt::format(
                "cannot add application offer \"{}\": application offer already exists", name));
        }
    }
    ctx.db.prepare("INSERT INTO offers(model_id, name, app, endpoints) VALUES (?1, ?2, ?3, ?4) "
                   "ON CONFLICT(model_id, name) DO UPDATE SET app = excluded.app, endpoints = excluded.endpoints")
        .bind(model.id, name, app.name, join(endpoints, ","))
        .exec();
    ctx.err += fmt::format("Application \"{}\" endpoints [{}] available at \"{}.{}\"\n", app.name,
                           join(endpoints, " "), model.short_name(), name);
}

void cmd_consume(Context& ctx) {
    require_positionals(ctx, 1, 2, "no remote offer specified");
    const std::string url = ctx.args.positionals()[0];
    const auto dot = url.rfind('.');
    if (dot == std::string::npos) {
        throw CommandError(fmt::format("offer URL \"{}\" should include a model name", url));
    }
    const ModelRow offering_model = find_model(ctx, url.substr(0, dot));
    const std::string offer_name = url.substr(dot + 1);
    Statement& s = ctx.db.prepare("SELECT app, endpoints FROM offers WHERE model_id = ?1 AND name = ?2");
    s.bind(offering_model.id, offer_name);
    if (!s.step()) {
        s.bind();
        throw CommandError(fmt::format("application offer \"{}.{}\" not found",
                                       offering_model.short_name(), offer_name));
    }
    const std::string offered_app = s.text(0);
    const std::vector<std::string> endpoints = split(s.text(1), ',');
    s.bind();
    const ModelRow model = current_model(ctx);
    const AppRow source = load_app(ctx, offering_model, offered_app);
    AppRow remote;
    remote.name = ctx.args.positionals().size() > 1 ? ctx.args.positionals()[1] : offer_name;
    if (find_app(ctx, model, remote.name)) {
        throw CommandError(fmt::format("saas application \"{}\" already exists", remote.name));
    }
    remote.charm = Charm::generic_charm(source.charm_name);
    remote.charm.endpoints.clear();
    for (const auto& e : endpoints) {
        if (const Endpoint* endpoint = source.charm.endpoint(e)) remote.charm.endpoints.push_back(*endpoint);
    }
    remote.charm_name = source.charm_name;
    remote.source = "charmhub";
    remote.channel = source.channel;
    remote.revision = source.revision;
    remote.base = source.base;
    remote.offer_url = fmt::format("{}:{}.{}", offering_model.controller,
                                   offering_model.short_name(), offer_name);
    insert_app(ctx, model, remote);
    ctx.err += fmt::format("Added {}.{} as {}\n", offering_model.short_name(), offer_name, remote.name);
}

}  // namespace

std::vector<CommandDef> application_commands() {
    const FlagSpec storage = value({"--storage"});
    // Series are gone in juju 4 (bases only).
    const FlagSpec series{.names = {"--series"}, .takes_value = true, .removed_in_major = 4};
    return {
        {.name = "add-machine",
         .spec = {.flags = {value({"-n"}), value({"--base"}), value({"--constraints"}),
                            value({"--disks"}), value({"--private-key"}), value({"--public-key"}),
                            series}},
         .run = cmd_add_machine},
        {.name = "add-unit",
         .spec = {.flags = {value({"-n", "--num-units"}), value({"--to"}),
                            value({"--attach-storage"})}},
         .run = cmd_add_unit},
        {.name = "config",
         .spec = {.flags = {value({"--format"}), value({"--reset"}), value({"--file"}),
                            boolean({"--no-color"})}},
         .run = cmd_config},
        {.name = "consume", .spec = {}, .run = cmd_consume},
        {.name = "deploy",
         .spec = {.flags = {value({"-n", "--num-units"}), value({"--channel"}), value({"--config"}),
                            value({"--constraints"}), value({"--to"}), boolean({"--trust"}),
                            value({"--base"}), value({"--revision"}), value({"--resource"}),
                            storage, value({"--bind"}), value({"--attach-storage"}),
                            boolean({"--force"}), value({"--overlay"}), boolean({"--dry-run"}),
                            series}},
         .run = cmd_deploy},
        {.name = "integrate", .spec = {.flags = {value({"--via"})}}, .run = cmd_integrate},
        {.name = "offer", .spec = {.flags = {value({"-c", "--controller"})}}, .run = cmd_offer,
         .model_scoped = false},
        {.name = "refresh",
         .spec = {.flags = {value({"--channel"}), value({"--revision"}), value({"--path"}),
                            value({"--config"}), boolean({"--trust"}), value({"--base"}),
                            boolean({"--force"}), boolean({"--force-base"}),
                            {.names = {"--force-series"}, .takes_value = false, .removed_in_major = 4},
                            boolean({"--force-units"}), value({"--resource"}), storage}},
         .run = cmd_refresh},
        {.name = "remove-application",
         .spec = {.flags = {boolean({"--no-prompt"}), boolean({"--destroy-storage"}),
                            boolean({"--force"}), boolean({"--no-wait"})}},
         .run = cmd_remove_application},
        {.name = "remove-relation", .spec = {.flags = {boolean({"--force"})}},
         .run = cmd_remove_relation},
        {.name = "remove-unit",
         .spec = {.flags = {boolean({"--no-prompt"}), boolean({"--destroy-storage"}),
                            boolean({"--force"}), value({"--num-units"}), boolean({"--no-wait"})}},
         .run = cmd_remove_unit},
        {.name = "trust", .spec = {.flags = {boolean({"--remove"}), value({"--scope"})}},
         .run = cmd_trust},
    };
}

}  // namespace jubilant::fake
