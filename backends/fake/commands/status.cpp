// status and show-unit: the read side of the model, rendered as juju 3.6 renders it.
#include <algorithm>

#include <fmt/format.h>

#include "json_out.hpp"
#include "state/model_state.hpp"

namespace jubilant::fake {
namespace {

void status_value(JsonOut& j, std::string_view name, const StatusValue& v,
                  const JujuVersion* agent_version = nullptr) {
    j.key(name).begin_object().field("current", v.current);
    if (!v.message.empty()) j.field("message", v.message);
    j.field("since", format_since(v.since));
    if (agent_version) j.field("version", agent_version->text);
    j.end_object();
}

void base_json(JsonOut& j, const std::string& base) {
    const auto at = base.find('@');
    j.key("base").begin_object().field("name", std::string_view(base).substr(0, at));
    j.field("channel",
            at == std::string::npos ? std::string_view() : std::string_view(base).substr(at + 1));
    j.end_object();
}

std::string machine_address(const std::string& id) {
    return fmt::format("10.42.0.{}", 10 + std::stoi(split(id, '/').front()) % 240);
}

void machine_json(JsonOut& j, const ModelState& state, const MachineRow& machine, std::int64_t now,
                  const std::vector<const MachineRow*>& containers) {
    const StatusValue agent = machine_agent_status(state, machine, now);
    const bool running = agent.current == "started";
    const std::string address = machine_address(machine.id);
    j.key(machine.id).begin_object();
    status_value(j, "juju-status", agent, &state.version);
    if (running) {
        const std::string host = instance_hostname(state.model, machine.id);
        j.field("hostname", host).field("dns-name", address);
        j.key("ip-addresses").begin_array().value(address).end_array();
        j.field("instance-id", host);
    } else {
        j.field("instance-id", "pending");
    }
    status_value(j, "machine-status",
                 {.current = running ? "running" : "allocating",
                  .message = running ? "Running" : "",
                  .since = agent.since});
    status_value(j, "modification-status",
                 {.current = "idle", .message = {}, .since = machine.created});
    base_json(j, machine.base);
    if (running) {
        j.key("network-interfaces").begin_object().key("eth0").begin_object();
        j.key("ip-addresses").begin_array().value(address).end_array();
        j.field("mac-address", fmt::format("00:16:3e:00:00:{:02x}",
                                           std::stoi(split(machine.id, '/').front()) % 256));
        j.field("gateway", "10.42.0.1").field("space", "alpha").key("is-up").value(true);
        j.end_object().end_object();
    }
    if (!containers.empty()) {
        j.key("containers").begin_object();
        for (const MachineRow* c : containers) machine_json(j, state, *c, now, {});
        j.end_object();
    }
    if (!machine.constraints.empty()) j.field("constraints", machine.constraints);
    j.field("hardware", "arch=amd64 cores=0 mem=0M virt-type=container");
    j.end_object();
}

std::string charm_url(const AppRow& app) {
    if (app.source == "local") return fmt::format("local:{}-{}", app.charm_name, app.revision);
    return fmt::format("ch:amd64/{}-{}", app.charm_name, app.revision);
}

void unit_json(JsonOut& j, const ModelState& state, const UnitRow& unit, std::int64_t now) {
    const UnitView view = unit_view(state, unit, now);
    j.key(unit.name()).begin_object();
    status_value(j, "workload-status", view.workload);
    status_value(j, "juju-status", view.agent, &state.version);
    if (view.leader) j.key("leader").value(true);
    if (state.model.type == "caas") {
        j.field("address", view.address)
            .field("provider-id", fmt::format("{}-{}", unit.app, unit.number));
    } else {
        if (!unit.machine.empty()) j.field("machine", unit.machine);
        j.field("public-address", view.address);
    }
    bool any_subordinate = false;
    for (const UnitRow& sub : state.units) {
        if (sub.principal != unit.name()) continue;
        if (!any_subordinate) j.key("subordinates").begin_object();
        any_subordinate = true;
        unit_json(j, state, sub, now);
    }
    if (any_subordinate) j.end_object();
    j.end_object();
}

void application_json(JsonOut& j, const ModelState& state, const AppRow& app, std::int64_t now) {
    // juju shows a Charmhub charm by name and a local one by its URL.
    j.key(app.name).begin_object().field("charm",
                                         app.source == "local" ? charm_url(app) : app.charm_name);
    base_json(j, app.base);
    j.field("charm-origin", app.source == "local" ? "local" : "charmhub");
    j.field("charm-name", app.charm_name).key("charm-rev").value(app.revision);
    if (app.source != "local") j.field("charm-channel", app.channel);
    std::size_t scale = 0;
    for (const UnitRow& unit : state.units) scale += unit.app == app.name ? 1 : 0;
    if (state.model.type == "caas") {
        j.key("scale").value(scale);
        j.field("provider-id", fake_uuid("app:" + app.name, state.model.id));
        j.field("address", fmt::format("10.152.183.{}", 10 + app.created / 1000 % 240));
    }
    j.key("exposed").value(false);
    status_value(j, "application-status", application_status(state, app, now));

    // Relations grouped by this app's endpoint, in endpoint order.
    std::map<std::string, std::vector<const RelationRow*>> by_endpoint;
    std::vector<std::string> subordinate_to;
    for (const RelationRow& r : state.relations) {
        const bool provider = r.provider_app == app.name;
        if (!provider && r.requirer_app != app.name) continue;
        by_endpoint[provider ? r.provider_endpoint : r.requirer_endpoint].push_back(&r);
        const std::string& other = provider ? r.requirer_app : r.provider_app;
        if (app.charm.subordinate && r.scope == "container" && other != app.name) {
            const AppRow* other_app = state.app(other);
            if (other_app && !other_app->charm.subordinate &&
                std::find(subordinate_to.begin(), subordinate_to.end(), other) ==
                    subordinate_to.end()) {
                subordinate_to.push_back(other);
            }
        }
    }
    if (!by_endpoint.empty()) {
        j.key("relations").begin_object();
        for (const auto& [endpoint, relations] : by_endpoint) {
            j.key(endpoint).begin_array();
            for (const RelationRow* r : relations) {
                const std::string& other =
                    r->provider_app == app.name && r->provider_endpoint == endpoint
                        ? r->requirer_app
                        : r->provider_app;
                j.begin_object()
                    .field("related-application", other)
                    .field("interface", r->interface)
                    .field("scope", r->scope)
                    .end_object();
            }
            j.end_array();
        }
        j.end_object();
    }
    if (app.charm.subordinate) {
        std::sort(subordinate_to.begin(), subordinate_to.end());
        j.key("subordinate-to").begin_array();
        for (const auto& name : subordinate_to) j.value(name);
        j.end_array();
    } else if (scale > 0) {
        j.key("units").begin_object();
        for (const UnitRow& unit : state.units) {
            if (unit.app == app.name) unit_json(j, state, unit, now);
        }
        j.end_object();
    }
    const bool settled = std::any_of(state.units.begin(), state.units.end(), [&](const UnitRow& u) {
        return u.app == app.name && !unit_view(state, u, now).workload_version.empty();
    });
    if (settled) j.field("version", app.charm.workload_version);
    j.key("endpoint-bindings").begin_object().field("", "alpha");
    for (const Endpoint& e : app.charm.endpoints) j.field(e.name, "alpha");
    j.end_object();
    j.end_object();
}

bool selected(const std::vector<std::string>& patterns, const std::string& app) {
    if (patterns.empty()) return true;
    for (const auto& p : patterns) {
        if (p == app || p.starts_with(app + "/")) return true;
    }
    return false;
}

void remote_app_json(JsonOut& j, const ModelState& state, const AppRow& app) {
    j.key(app.name).begin_object().field("url", *app.offer_url);
    j.key("endpoints").begin_object();
    for (const Endpoint& e : app.charm.endpoints) {
        j.key(e.name)
            .begin_object()
            .field("interface", e.interface)
            .field("role", e.role)
            .end_object();
    }
    j.end_object();
    status_value(j, "application-status",
                 {.current = "active", .message = {}, .since = app.created});
    std::map<std::string, std::vector<std::string>> relations;
    for (const RelationRow& r : state.relations) {
        if (r.provider_app == app.name) relations[r.provider_endpoint].push_back(r.requirer_app);
        if (r.requirer_app == app.name) relations[r.requirer_endpoint].push_back(r.provider_app);
    }
    if (!relations.empty()) {
        j.key("relations").begin_object();
        for (const auto& [endpoint, apps] : relations) {
            j.key(endpoint).begin_array();
            for (const auto& name : apps) j.value(name);
            j.end_array();
        }
        j.end_object();
    }
    j.end_object();
}

// The document `juju status --format json` prints, written as JSON text.
std::string status_document(Context& ctx, const ModelState& state) {
    const ModelRow& model = state.model;
    const auto& patterns = ctx.args.positionals();
    std::string text;
    text.reserve(1024 + state.units.size() * 600 + state.machines.size() * 700);
    JsonOut j(text);
    j.begin_object().key("model").begin_object();
    j.field("name", model.name).field("type", model.type).field("controller", model.controller);
    j.field("cloud", model.cloud)
        .field("region", model.region)
        .field("version", state.version.text);
    status_value(j, "model-status",
                 {.current = "available", .message = {}, .since = model.created});
    if (state.version.major < 4) j.field("sla", "unsupported");  // juju 4 has no SLA
    j.end_object();

    j.key("machines").begin_object();
    for (const MachineRow& m : state.machines) {
        if (m.id.find('/') != std::string::npos) continue;
        std::vector<const MachineRow*> containers;
        for (const MachineRow& c : state.machines) {
            if (c.id.starts_with(m.id + "/")) containers.push_back(&c);
        }
        machine_json(j, state, m, ctx.now, containers);
    }
    j.end_object();

    j.key("applications").begin_object();
    bool any_remote = false;
    for (const auto& [name, app] : state.apps) {
        if (!selected(patterns, name)) continue;
        if (app.offer_url) {
            any_remote = true;
            continue;
        }
        application_json(j, state, app, ctx.now);
    }
    j.end_object();
    if (any_remote) {
        j.key("application-endpoints").begin_object();
        for (const auto& [name, app] : state.apps) {
            if (app.offer_url && selected(patterns, name)) remote_app_json(j, state, app);
        }
        j.end_object();
    }
    if (!state.offers.empty()) {
        j.key("offers").begin_object();
        for (const OfferRow& offer : state.offers) {
            const AppRow* app = state.app(offer.app);
            if (!app) continue;
            j.key(offer.name)
                .begin_object()
                .field("application", offer.app)
                .field("charm", charm_url(*app));
            j.key("total-connected-count").value(0).key("active-connected-count").value(0);
            j.key("endpoints").begin_object();
            for (const auto& e : offer.endpoints) {
                if (const Endpoint* endpoint = app->charm.endpoint(e)) {
                    j.key(e)
                        .begin_object()
                        .field("interface", endpoint->interface)
                        .field("role", endpoint->role)
                        .end_object();
                }
            }
            j.end_object().end_object();
        }
        j.end_object();
    }
    j.key("controller")
        .begin_object()
        .field("timestamp", format_since(ctx.now).substr(12))
        .end_object();
    j.end_object();
    return text;
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
            for (std::size_t i = 0; i < row.size(); ++i)
                width[i] = std::max(width[i], row[i].size());
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
    // Juju 4 dropped the SLA column (its status header: Model Controller Cloud/Region Version
    // Timestamp).
    const bool sla = state.version.major < 4;
    std::vector<std::string> columns{"Model",   "Controller", "Cloud/Region",
                                     "Version", "SLA",        "Timestamp"};
    std::vector<std::string> values{
        model.name,         model.controller, model.cloud + "/" + model.region,
        state.version.text, "unsupported",    format_since(ctx.now).substr(12)};
    if (!sla) {
        columns.erase(columns.begin() + 4);
        values.erase(values.begin() + 4);
    }
    Table header(std::move(columns));
    header.add(std::move(values));
    std::string out = header.render();
    if (state.apps.empty() && state.machines.empty()) {
        return out + fmt::format("\nModel \"{}\" is empty.\n", model.short_name());
    }
    Table apps(
        {"App", "Version", "Status", "Scale", "Charm", "Channel", "Rev", "Exposed", "Message"},
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
                       state.model.type == "caas" ? "" : view.address, "", view.workload.message});
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
                          running ? instance_hostname(model, m.id) : "pending", m.base, "",
                          running ? "Running" : ""});
        }
        out += "\n" + machines.render();
    }
    return out;
}

// Juju 4's YAML status has no `since` in an agent's juju-status.
void drop_agent_since(ojson& doc) {
    if (!doc.is_object()) {
        if (doc.is_array())
            for (auto& item : doc) drop_agent_since(item);
        return;
    }
    for (auto& [key, item] : doc.items()) {
        if (key == "juju-status" && item.is_object()) item.erase("since");
        drop_agent_since(item);
    }
}

void cmd_status(Context& ctx) {
    const std::string format =
        output_format(ctx, {"tabular", "json", "yaml", "short", "line", "oneline", "summary"});
    if (ctx.juju4() && ctx.version.before(4, 0, 6) && !ctx.args.positionals().empty()) {
        // Juju 4.0 dropped status patterns (juju issues #21271 and #22161 show this output);
        // exact names came back in 4.0.6 (juju PR #22196, whose QA ran a 4.0.6.1 build).
        throw CommandError(
            "\njuju client not compatible with server: patterns are not implemented "
            "(not implemented)\nre-install your juju client to match the version "
            "running on the controller");
    }
    const ModelState state = load_model_state(ctx, current_model(ctx));
    if (format == "json") {
        ctx.out += status_document(ctx, state);
        ctx.out += '\n';
    } else if (format == "yaml") {
        ojson doc = ojson::parse(status_document(ctx, state));
        if (ctx.juju4()) drop_agent_since(doc);
        ctx.out += to_yaml(doc);
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
        if (!unit)
            throw CommandError(fmt::format("getting details for unit {}: unit \"{}\" not found",
                                           requested, requested));
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
                    related_units[u.name()] = {{"in-scope", true},
                                               {"data", {{"egress-subnets", "10.42.0.0/24"}}}};
                }
            }
            ojson entry = {
                {"relation-id", r.id},
                {"endpoint", provider ? r.provider_endpoint : r.requirer_endpoint},
                {"related-endpoint", provider ? r.requirer_endpoint : r.provider_endpoint},
                {"application-data", ojson::object()},
                {"local-unit",
                 {{"in-scope", true}, {"data", {{"private-address", view.address}}}}}};
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
        {.name = "show-unit",
         .spec = {.flags = {format,
                            {.names = {"--app"}, .takes_value = false},
                            {.names = {"--endpoint"}, .takes_value = true},
                            {.names = {"--related-unit"}, .takes_value = true}}},
         .run = cmd_show_unit},
        {.name = "status",
         .spec = {.flags = {format,
                            {.names = {"--relations"}, .takes_value = false},
                            {.names = {"--storage"}, .takes_value = false},
                            {.names = {"--color"}, .takes_value = false},
                            {.names = {"--no-color"}, .takes_value = false},
                            {.names = {"--utc"}, .takes_value = false},
                            {.names = {"--watch"}, .takes_value = true, .removed_in_major = 4}}},
         .run = cmd_status},
    };
}

}  // namespace jubilant::fake
