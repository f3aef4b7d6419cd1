// status and show-unit: the read side of the model, rendered as juju 3.6 renders it.
#include <algorithm>

#include <fmt/format.h>

#include "state.hpp"

namespace jubilant::fake {
namespace {

constexpr const char* juju_version = "3.6.4";

ojson status_value(const StatusValue& v, bool with_version = false) {
    ojson out = {{"current", v.current}};
    if (!v.message.empty()) out["message"] = v.message;
    out["since"] = format_since(v.since);
    if (with_version) out["version"] = juju_version;
    return out;
}

ojson base_json(const std::string& base) {
    const auto at = base.find('@');
    return {{"name", base.substr(0, at)},
            {"channel", at == std::string::npos ? "" : base.substr(at + 1)}};
}

std::string machine_address(const std::string& id) {
    return fmt::format("10.42.0.{}", 10 + std::stoi(split(id, '/').front()) % 240);
}

std::string instance_id(const ModelRow& model, const std::string& machine) {
    std::string id = machine;
    std::replace(id.begin(), id.end(), '/', '-');
    return fmt::format("juju-{}-{}", model.uuid.substr(model.uuid.size() - 6), id);
}

ojson machine_json(const ModelState& state, const MachineRow& machine, std::int64_t now) {
    const StatusValue agent = machine_agent_status(state, machine, now);
    const bool running = agent.current == "started";
    const std::string address = machine_address(machine.id);
    ojson out = {{"juju-status", status_value(agent, true)}};
    if (running) {
        out["hostname"] = instance_id(state.model, machine.id);
        out["dns-name"] = address;
        out["ip-addresses"] = ojson::array({address});
        out["instance-id"] = instance_id(state.model, machine.id);
    } else {
        out["instance-id"] = "pending";
    }
    out["machine-status"] = status_value({.current = running ? "running" : "allocating",
                                          .message = running ? "Running" : "",
                                          .since = agent.since});
    out["modification-status"] = status_value({.current = "idle", .message = {},
                                               .since = machine.created});
    out["base"] = base_json(machine.base);
    if (running) {
        out["network-interfaces"] = {
            {"eth0",
             {{"ip-addresses", ojson::array({address})},
              {"mac-address", fmt::format("00:16:3e:00:00:{:02x}", std::stoi(split(machine.id, '/').front()) % 256)},
              {"gateway", "10.42.0.1"},
              {"space", "alpha"},
              {"is-up", true}}}};
    }
    if (!machine.constraints.empty()) out["constraints"] = machine.constraints;
    out["hardware"] = "arch=amd64 cores=0 mem=0M virt-type=container";
    return out;
}

std::string charm_url(const AppRow& app) {
    if (app.source == "local") return fmt::format("local:{}-{}", app.charm_name, app.revision);
    return fmt::format("ch:amd64/{}-{}", app.charm_name, app.revision);
}

ojson unit_json(const ModelState& state, const UnitRow& unit, std::int64_t now) {
    const UnitView view = unit_view(state, unit, now);
    ojson out = {{"workload-status", status_value(view.workload)},
                 {"juju-status", status_value(view.agent, true)}};
    if (view.leader) out["leader"] = true;
    if (state.model.type == "caas") {
        out["address"] = view.address;
        out["provider-id"] = fmt::format("{}-{}", unit.app, unit.number);
    } else {
        if (!unit.machine.empty()) out["machine"] = unit.machine;
        out["public-address"] = view.address;
    }
    return out;
}

ojson application_json(const ModelState& state, const AppRow& app, std::int64_t now) {
    ojson out = {{"charm", app.charm_name},
                 {"base", base_json(app.base)},
                 {"charm-origin", app.source == "local" ? "local" : "charmhub"},
                 {"charm-name", app.charm_name},
                 {"charm-rev", app.revision}};
    if (app.source != "local") out["charm-channel"] = app.channel;
    const bool k8s = state.model.type == "caas";
    std::size_t scale = 0;
    for (const UnitRow& unit : state.units) scale += unit.app == app.name ? 1 : 0;
    if (k8s) {
        out["scale"] = scale;
        out["provider-id"] = fake_uuid("app:" + app.name, state.model.id);
        out["address"] = fmt::format("10.152.183.{}", 10 + app.created / 1000 % 240);
    }
    out["exposed"] = false;
    out["application-status"] = status_value(application_status(state, app, now));

    ojson relations = ojson::object();
    std::vector<std::string> subordinate_to;
    for (const RelationRow& r : state.relations) {
        const bool provider = r.provider_app == app.name;
        const bool requirer = r.requirer_app == app.name;
        if (!provider && !requirer) continue;
        const std::string& endpoint = provider ? r.provider_endpoint : r.requirer_endpoint;
        const std::string& other = provider ? r.requirer_app : r.provider_app;
        relations[endpoint].push_back(
            {{"related-application", other}, {"interface", r.interface}, {"scope", r.scope}});
        if (app.charm.subordinate && r.scope == "container" && other != app.name) {
            const AppRow* other_app = state.app(other);
            if (other_app && !other_app->charm.subordinate &&
                std::find(subordinate_to.begin(), subordinate_to.end(), other) == subordinate_to.end()) {
                subordinate_to.push_back(other);
            }
        }
    }
    if (!relations.empty()) out["relations"] = relations;
    if (app.charm.subordinate) {
        std::sort(subordinate_to.begin(), subordinate_to.end());
        out["subordinate-to"] = subordinate_to;
    } else {
        ojson units = ojson::object();
        for (const UnitRow& unit : state.units) {
            if (unit.app != app.name) continue;
            ojson u = unit_json(state, unit, now);
            ojson subs = ojson::object();
            for (const UnitRow& sub : state.units) {
                if (sub.principal == unit.name()) subs[sub.name()] = unit_json(state, sub, now);
            }
            if (!subs.empty()) u["subordinates"] = subs;
            units[unit.name()] = std::move(u);
        }
        if (!units.empty()) out["units"] = units;
    }
    const auto version_unit = std::find_if(state.units.begin(), state.units.end(), [&](const UnitRow& u) {
        return u.app == app.name && !unit_view(state, u, now).workload_version.empty();
    });
    if (version_unit != state.units.end()) out["version"] = app.charm.workload_version;
    ojson bindings = {{"", "alpha"}};
    for (const Endpoint& e : app.charm.endpoints) bindings[e.name] = "alpha";
    out["endpoint-bindings"] = bindings;
    return out;
}

bool selected(const std::vector<std::string>& patterns, const std::string& app) {
    if (patterns.empty()) return true;
    for (const auto& p : patterns) {
        if (p == app || p.starts_with(app + "/")) return true;
    }
    return false;
}

ojson status_document(Context& ctx, const ModelState& state) {
    const ModelRow& model = state.model;
    const auto& patterns = ctx.args.positionals();
    ojson doc;
    doc["model"] = {{"name", model.name},
                    {"type", model.type},
                    {"controller", model.controller},
                    {"cloud", model.cloud},
                    {"region", model.region},
                    {"version", juju_version},
                    {"model-status", status_value({.current = "available", .message = {},
                                                   .since = model.created})},
                    {"sla", "unsupported"}};
    ojson machines = ojson::object();
    ojson containers_of = ojson::object();
    for (const MachineRow& m : state.machines) {
        const auto parts = split(m.id, '/');
        if (parts.size() == 1) {
            machines[m.id] = machine_json(state, m, ctx.now);
        } else if (machines.contains(parts.front())) {
            machines[parts.front()]["containers"][m.id] = machine_json(state, m, ctx.now);
        }
    }
    doc["machines"] = machines;
    ojson apps = ojson::object();
    ojson remote = ojson::object();
    for (const auto& [name, app] : state.apps) {
        if (!selected(patterns, name)) continue;
        if (app.offer_url) {
            ojson endpoints = ojson::object();
            for (const Endpoint& e : app.charm.endpoints) {
                endpoints[e.name] = {{"interface", e.interface}, {"role", e.role}};
            }
            ojson r = {{"url", *app.offer_url},
                       {"endpoints", endpoints},
                       {"application-status",
                        status_value({.current = "active", .message = {}, .since = app.created})}};
            ojson rel = ojson::object();
            for (const RelationRow& relation : state.relations) {
                if (relation.provider_app == name) rel[relation.provider_endpoint].push_back(relation.requirer_app);
                if (relation.requirer_app == name) rel[relation.requirer_endpoint].push_back(relation.provider_app);
            }
            if (!rel.empty()) r["relations"] = rel;
            remote[name] = std::move(r);
            continue;
        }
        apps[name] = application_json(state, app, ctx.now);
    }
    doc["applications"] = apps;
    if (!remote.empty()) doc["application-endpoints"] = remote;
    if (!state.offers.empty()) {
        ojson offers = ojson::object();
        for (const OfferRow& offer : state.offers) {
            const AppRow* app = state.app(offer.app);
            if (!app) continue;
            ojson endpoints = ojson::object();
            for (const auto& e : offer.endpoints) {
                if (const Endpoint* endpoint = app->charm.endpoint(e)) {
                    endpoints[e] = {{"interface", endpoint->interface}, {"role", endpoint->role}};
                }
            }
            offers[offer.name] = {{"application", offer.app},
                                  {"charm", charm_url(*app)},
                                  {"total-connected-count", 0},
                                  {"active-connected-count", 0},
                                  {"endpoints", endpoints}};
        }
        doc["offers"] = offers;
    }
    doc["controller"] = {{"timestamp", format_since(ctx.now).substr(12)}};
    return doc;
}

// ---- tabular ------------------------------------------------------------------------------

class Table {
public:
    explicit Table(std::vector<std::string> header, std::vector<bool> right = {})
        : right_(std::move(right)) {
        rows_.push_back(std::move(header));
        right_.resize(rows_.front().size(), false);
    }
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    std::string render() const {
        std::vector<std::size_t> width(rows_.front().size(), 0);
        for (const auto& row : rows_) {
            for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
        }
        std::string out;
        for (const auto& row : rows_) {
            std::string line;
            for (std::size_t i = 0; i < row.size(); ++i) {
                const std::string cell = (right_[i] && &row != &rows_.front())
                                             ? std::string(width[i] - row[i].size(), ' ') + row[i]
                                             : row[i] + std::string(width[i] - row[i].size(), ' ');
                line += (i ? "  " : "") + cell;
            }
            while (!line.empty() && line.back() == ' ') line.pop_back();
            out += line + "\n";
        }
        return out;
    }

private:
    std::vector<std::vector<std::string>> rows_;
    std::vector<bool> right_;
};

std::string status_tabular(Context& ctx, const ModelState& state) {
    const ModelRow& model = state.model;
    Table header({"Model", "Controller", "Cloud/Region", "Version", "SLA", "Timestamp"});
    header.add({model.name, model.controller, model.cloud + "/" + model.region, juju_version,
                "unsupported", format_since(ctx.now).substr(12)});
    std::string out = header.render();
    if (state.apps.empty() && state.machines.empty()) {
        return out + fmt::format("\nModel \"{}\" is empty.\n", model.short_name());
    }
    Table apps({"App", "Version", "Status", "Scale", "Charm", "Channel", "Rev", "Exposed", "Message"},
               {false, false, false, true, false, false, true, false, false});
    Table units({"Unit", "Workload", "Agent", state.model.type == "caas" ? "Address" : "Machine",
                 "Public address", "Ports", "Message"});
    for (const auto& [name, app] : state.apps) {
        if (app.offer_url) continue;
        const StatusValue status = application_status(state, app, ctx.now);
        std::size_t scale = 0;
        std::string version;
        for (const UnitRow& unit : state.units) {
            if (unit.app != name) continue;
            ++scale;
            const UnitView view = unit_view(state, unit, ctx.now);
            if (!view.workload_version.empty()) version = view.workload_version;
            units.add({unit.name() + (view.leader ? "*" : ""), view.workload.current,
                       view.agent.current, state.model.type == "caas" ? view.address : unit.machine,
                       state.model.type == "caas" ? "" : view.address, "",
                       view.workload.message});
        }
        apps.add({name, version, status.current, std::to_string(scale), app.charm_name,
                  app.source == "local" ? "" : app.channel, std::to_string(app.revision), "no",
                  status.message});
    }
    out += "\n" + apps.render();
    if (!state.units.empty()) out += "\n" + units.render();
    if (!state.machines.empty()) {
        Table machines({"Machine", "State", "Address", "Inst id", "Base", "AZ", "Message"});
        for (const MachineRow& m : state.machines) {
            const StatusValue agent = machine_agent_status(state, m, ctx.now);
            const bool running = agent.current == "started";
            machines.add({m.id, agent.current, running ? machine_address(m.id) : "",
                          running ? instance_id(model, m.id) : "pending", m.base, "",
                          running ? "Running" : ""});
        }
        out += "\n" + machines.render();
    }
    return out;
}

void cmd_status(Context& ctx) {
    const std::string format = output_format(ctx, {"tabular", "json", "yaml", "short", "line", "oneline", "summary"});
    const ModelState state = load_model_state(ctx, current_model(ctx));
    if (format == "json" || format == "yaml") {
        print_document(ctx, status_document(ctx, state), format);
    } else {
        ctx.out += status_tabular(ctx, state);
    }
}

void cmd_show_unit(Context& ctx) {
    require_positionals(ctx, 1, 100, "unit name is required");
    const std::string format = output_format(ctx, {"yaml", "json"});
    const ModelState state = load_model_state(ctx, current_model(ctx));
    ojson doc = ojson::object();
    for (const std::string& requested : ctx.args.positionals()) {
        const std::string name = resolve_unit_name(state, requested, ctx.now);
        const UnitRow* unit = state.unit(name);
        if (!unit) throw CommandError(fmt::format("getting details for unit {}: unit \"{}\" not found", requested, requested));
        const AppRow& app = *state.app(unit->app);
        const UnitView view = unit_view(state, *unit, ctx.now);
        ojson info = {{"opened-ports", ojson::array()},
                      {"charm", charm_url(app)},
                      {"leader", view.leader},
                      {"life", "alive"}};
        ojson relation_info = ojson::array();
        for (const RelationRow& r : state.relations) {
            const bool provider = r.provider_app == unit->app;
            const bool requirer = r.requirer_app == unit->app;
            if (!provider && !requirer) continue;
            const std::string& other = provider ? r.requirer_app : r.provider_app;
            ojson related_units = ojson::object();
            for (const UnitRow& u : state.units) {
                if (u.app == other && u.name() != unit->name()) {
                    related_units[u.name()] = {{"in-scope", true}, {"data", {{"egress-subnets", "10.42.0.0/24"}}}};
                }
            }
            ojson entry = {{"relation-id", r.id},
                           {"endpoint", provider ? r.provider_endpoint : r.requirer_endpoint},
                           {"related-endpoint", provider ? r.requirer_endpoint : r.provider_endpoint},
                           {"application-data", ojson::object()},
                           {"local-unit", {{"in-scope", true}, {"data", {{"private-address", view.address}}}}}};
            if (!related_units.empty()) entry["related-units"] = related_units;
            relation_info.push_back(std::move(entry));
        }
        if (!relation_info.empty()) info["relation-info"] = relation_info;
        if (state.model.type == "caas") {
            info["provider-id"] = fmt::format("{}-{}", unit->app, unit->number);
            info["address"] = view.address;
        } else {
            info["machine"] = unit->machine;
            info["public-address"] = view.address;
        }
        if (!view.workload_version.empty()) info["workload-version"] = view.workload_version;
        doc[name] = std::move(info);
    }
    print_document(ctx, doc, format);
}

}  // namespace

std::vector<CommandDef> status_commands() {
    const FlagSpec format{.names = {"--format"}, .takes_value = true};
    return {
        {.name = "show-unit", .spec = {.flags = {format, {.names = {"--app"}, .takes_value = false},
                                                 {.names = {"--endpoint"}, .takes_value = true},
                                                 {.names = {"--related-unit"}, .takes_value = true}}},
         .run = cmd_show_unit},
        {.name = "status",
         .spec = {.flags = {format, {.names = {"--relations"}, .takes_value = false},
                            {.names = {"--storage"}, .takes_value = false},
                            {.names = {"--color"}, .takes_value = false},
                            {.names = {"--no-color"}, .takes_value = false},
                            {.names = {"--utc"}, .takes_value = false},
                            {.names = {"--watch"}, .takes_value = true}}},
         .run = cmd_status},
    };
}

}  // namespace jubilant::fake
