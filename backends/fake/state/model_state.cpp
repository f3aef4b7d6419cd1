#include "state/model_state.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "state/json_column.hpp"

namespace jubilant::fake {
namespace {

constexpr const char* app_columns =
    "SELECT name, charm, source, channel, revision, base, charm_meta, config, trust, "
    "constraints, next_unit, created_ms, offer_url FROM applications ";

// Charm metadata is stored per application but shared by many: parse each text once per
// thread, which is what keeps a status poll on the in-process fake cheap.
const Charm& parse_charm(const std::string& text) {
    thread_local std::map<std::string, Charm> cache;
    if (const auto it = cache.find(text); it != cache.end()) return it->second;
    if (cache.size() > 256) cache.clear();
    return cache.emplace(text, Charm::from_json(nlohmann::json::parse(text))).first->second;
}

AppRow read_app(const Statement& s) {
    return AppRow{.name = s.text(0),
                  .charm_name = s.text(1),
                  .source = s.text(2),
                  .channel = s.text(3),
                  .revision = static_cast<int>(s.integer(4)),
                  .base = s.text(5),
                  .charm = parse_charm(s.text(6)),
                  .config = nlohmann::json::parse(s.text(7)),
                  .trust = s.integer(8) != 0,
                  .constraints = s.text(9),
                  .next_unit = s.integer(10),
                  .created = s.integer(11),
                  .offer_url = s.optional_text(12)};
}

bool condition_holds(const ModelState& state, const AppRow& app, const nlohmann::json& config,
                     const StatusRule& rule) {
    if (rule.condition == "missing-relation") return !state.related(app.name, rule.key);
    if (rule.condition == "untrusted") return !app.trust;
    const auto it = config.find(rule.key);
    if (rule.condition == "missing-config") {
        return it == config.end() || it->is_null() ||
               (it->is_string() && it->get<std::string>().empty());
    }
    // config-equals: compare the value's text form, so "true" matches a boolean option.
    if (it == config.end() || it->is_null()) return false;
    const std::string text = it->is_string() ? it->get<std::string>() : it->dump();
    return text == rule.value;
}

}  // namespace

const AppRow* ModelState::app(const std::string& name) const {
    const auto it = apps.find(name);
    return it == apps.end() ? nullptr : &it->second;
}

const UnitRow* ModelState::unit(const std::string& name) const {
    for (const UnitRow& u : units) {
        if (u.name() == name) return &u;
    }
    return nullptr;
}

bool ModelState::related(const std::string& app_name, const std::string& endpoint) const {
    for (const RelationRow& r : relations) {
        if ((r.provider_app == app_name && r.provider_endpoint == endpoint) ||
            (r.requirer_app == app_name && r.requirer_endpoint == endpoint)) {
            return true;
        }
    }
    return false;
}

ModelState load_model_state(Context& ctx, const ModelRow& model) {
    ModelState state;
    state.model = model;
    state.version = controller_version(ctx.db, model.controller);
    {
        Statement& s = ctx.db.prepare(std::string(app_columns) + "WHERE model_id = ?1");
        s.bind(model.id);
        while (s.step()) {
            AppRow app = read_app(s);
            state.apps.emplace(app.name, std::move(app));
        }
        s.bind();
    }
    {
        Statement& s = ctx.db.prepare(
            "SELECT app, number, machine, principal, created_ms, busy_until_ms, busy_hook "
            "FROM units WHERE model_id = ?1 ORDER BY app, number");
        s.bind(model.id);
        while (s.step()) {
            state.units.push_back({.app = s.text(0),
                                   .number = s.integer(1),
                                   .machine = s.text(2),
                                   .principal = s.text(3),
                                   .created = s.integer(4),
                                   .busy_until = s.integer(5),
                                   .busy_hook = s.text(6)});
        }
        s.bind();
    }
    {
        Statement& s = ctx.db.prepare(
            "SELECT id, base, constraints, created_ms FROM machines WHERE model_id = ?1");
        s.bind(model.id);
        while (s.step()) {
            state.machines.push_back({.id = s.text(0),
                                      .base = s.text(1),
                                      .constraints = s.text(2),
                                      .created = s.integer(3)});
        }
        s.bind();
        // Numeric order: 2 before 10, containers after their host.
        std::sort(state.machines.begin(), state.machines.end(),
                  [](const MachineRow& a, const MachineRow& b) {
                      auto key = [](const std::string& id) {
                          std::vector<long> parts;
                          for (const auto& p : split(id, '/')) {
                              long n = -1;
                              std::from_chars(p.data(), p.data() + p.size(), n);
                              parts.push_back(n);
                          }
                          return parts;
                      };
                      return key(a.id) < key(b.id);
                  });
    }
    {
        Statement& s = ctx.db.prepare(
            "SELECT id, provider_app, provider_endpoint, requirer_app, requirer_endpoint, "
            "interface, scope FROM relations WHERE model_id = ?1 ORDER BY id");
        s.bind(model.id);
        while (s.step()) {
            state.relations.push_back({.id = s.integer(0),
                                       .provider_app = s.text(1),
                                       .provider_endpoint = s.text(2),
                                       .requirer_app = s.text(3),
                                       .requirer_endpoint = s.text(4),
                                       .interface = s.text(5),
                                       .scope = s.text(6)});
        }
        s.bind();
    }
    {
        Statement& s = ctx.db.prepare(
            "SELECT name, app, endpoints FROM offers WHERE model_id = ?1 ORDER BY name");
        s.bind(model.id);
        while (s.step()) {
            state.offers.push_back(
                {.name = s.text(0), .app = s.text(1), .endpoints = split(s.text(2), ',')});
        }
        s.bind();
    }
    for (const UnitRow& unit : state.units) {
        if (ctx.now - unit.created >= allocating_ms && !state.leaders.contains(unit.app)) {
            state.leaders.emplace(unit.app, unit.number);  // units come ordered by number
        }
    }
    for (const auto& [name, app] : state.apps) {
        std::pair<std::string, std::string> result{app.charm.settled_status,
                                                   app.charm.active_message};
        const nlohmann::json config = effective_config(app);
        for (const StatusRule& rule : app.charm.rules) {
            if (!condition_holds(state, app, config, rule)) continue;
            result = {rule.status,
                      rule.status == "error" ? "hook failed: \"config-changed\"" : rule.message};
            break;
        }
        state.settled.emplace(name, std::move(result));
    }
    return state;
}

std::optional<AppRow> find_app(Context& ctx, const ModelRow& model, const std::string& name) {
    return ctx.db.prepare(std::string(app_columns) + "WHERE model_id = ?1 AND name = ?2")
        .bind(model.id, name)
        .first_row(read_app);
}

AppRow load_app(Context& ctx, const ModelRow& model, const std::string& name) {
    auto app = find_app(ctx, model, name);
    if (!app) throw CommandError(fmt::format("application \"{}\" not found", name));
    return std::move(*app);
}

std::vector<std::string> host_machine_ids(Context& ctx, const ModelRow& model) {
    Statement& s = ctx.db.prepare(
        "SELECT id FROM machines WHERE model_id = ?1 AND id NOT LIKE '%/%' ORDER BY CAST(id AS "
        "INTEGER)");
    s.bind(model.id);
    std::vector<std::string> ids;
    while (s.step()) ids.push_back(s.text(0));
    s.bind();
    return ids;
}

void save_app_config(Context& ctx, const ModelRow& model, const AppRow& app) {
    ctx.db
        .prepare(
            "UPDATE applications SET config = ?1, trust = ?2 WHERE model_id = ?3 AND name = ?4")
        .bind(json_column(app.config), app.trust, model.id, app.name)
        .exec();
}

void save_app_charm(Context& ctx, const ModelRow& model, const AppRow& app) {
    ctx.db
        .prepare(
            "UPDATE applications SET source = ?1, channel = ?2, revision = ?3, base = ?4, "
            "charm_meta = ?5, config = ?6, trust = ?7 WHERE model_id = ?8 AND name = ?9")
        .bind(app.source, app.channel, app.revision, app.base, json_column(app.charm.to_json()),
              json_column(app.config), app.trust, model.id, app.name)
        .exec();
}

UnitView unit_view(const ModelState& state, const UnitRow& unit, std::int64_t now) {
    UnitView view;
    const AppRow* app = state.app(unit.app);
    const bool k8s = state.model.type == "caas";
    const std::int64_t age = now - unit.created;
    view.address =
        k8s ? fmt::format("10.1.{}.{}", 10 + state.apps.size() % 200, 10 + unit.number % 240)
            : fmt::format(
                  "10.42.0.{}",
                  10 + std::stoi(unit.machine.empty() ? "0" : split(unit.machine, '/').front()) %
                           240);

    if (age < allocating_ms) {
        view.workload = {.current = "waiting",
                         .message = k8s ? "installing agent" : "waiting for machine",
                         .since = unit.created};
        view.agent = {.current = "allocating", .message = {}, .since = unit.created};
        return view;
    }
    // Leadership goes to the lowest-numbered unit that has an agent.
    if (const auto it = state.leaders.find(unit.app); it != state.leaders.end()) {
        view.leader = it->second == unit.number;
    }
    const std::int64_t install_start = unit.created + allocating_ms;
    if (age < allocating_ms + installing_ms) {
        view.workload = {.current = "maintenance",
                         .message = "installing charm software",
                         .since = install_start};
        view.agent = {
            .current = "executing", .message = "running install hook", .since = install_start};
        return view;
    }
    const std::int64_t settled = install_start + installing_ms;
    view.workload = {.current = "active", .message = {}, .since = settled};
    if (app) view.workload_version = app->charm.workload_version;
    if (const auto it = state.settled.find(unit.app); it != state.settled.end()) {
        view.workload.current = it->second.first;
        view.workload.message = it->second.second;
    }
    if (now < unit.busy_until) {
        view.agent = {.current = "executing",
                      .message = "running " + unit.busy_hook + " hook",
                      .since = unit.busy_until - hook_ms};
    } else {
        view.agent = {
            .current = "idle", .message = {}, .since = std::max(settled, unit.busy_until)};
    }
    return view;
}

StatusValue application_status(const ModelState& state, const AppRow& app, std::int64_t now) {
    // Juju 4 shows only what the charm's leader set as the application status (juju issue
    // #21424): a charm whose behaviour is declared (a fixture, or rules) sets it to the
    // leader's workload status; a generic or undeclared charm never does, so it is "unknown".
    if (state.version.major >= 4) {
        const auto leader = state.leaders.find(app.name);
        const bool declared = !app.charm.generic && app.charm.settled_status != "unknown";
        if (declared && leader != state.leaders.end()) {
            for (const UnitRow& unit : state.units) {
                if (unit.app == app.name && unit.number == leader->second) {
                    return unit_view(state, unit, now).workload;
                }
            }
        }
        return {.current = "unknown", .message = {}, .since = app.created};
    }
    // Juju 3 shows the leader's workload status, or the most severe one without a leader.
    static const char* const severity[] = {"error", "blocked", "waiting", "maintenance", "active"};
    std::optional<StatusValue> leader;
    std::optional<StatusValue> worst;
    auto rank = [](const std::string& s) {
        for (std::size_t i = 0; i < std::size(severity); ++i) {
            if (s == severity[i]) return i;
        }
        return std::size(severity);
    };
    for (const UnitRow& unit : state.units) {
        if (unit.app != app.name) continue;
        const UnitView view = unit_view(state, unit, now);
        if (view.leader) leader = view.workload;
        if (!worst || rank(view.workload.current) < rank(worst->current)) worst = view.workload;
    }
    if (leader) return *leader;
    if (worst) return *worst;
    return {.current = app.charm.subordinate ? "unknown" : "waiting",
            .message = app.charm.subordinate ? "" : "waiting for units",
            .since = app.created};
}

StatusValue machine_agent_status(const ModelState&, const MachineRow& machine, std::int64_t now) {
    if (now - machine.created < allocating_ms) {
        return {.current = "pending", .message = {}, .since = machine.created};
    }
    return {.current = "started", .message = {}, .since = machine.created + allocating_ms};
}

void mark_busy(Context& ctx, const ModelRow& model, const std::string& app,
               const std::string& hook) {
    ctx.db
        .prepare(
            "UPDATE units SET busy_until_ms = ?1, busy_hook = ?2 "
            "WHERE model_id = ?3 AND app = ?4")
        .bind(ctx.now + hook_ms, hook, model.id, app)
        .exec();
}

std::string resolve_unit_name(const ModelState& state, const std::string& name, std::int64_t now) {
    if (!name.ends_with("/leader")) return name;
    const std::string app = name.substr(0, name.size() - 7);
    for (const UnitRow& unit : state.units) {
        if (unit.app == app && unit_view(state, unit, now).leader) return unit.name();
    }
    return name;
}

std::string instance_hostname(const ModelRow& model, const std::string& machine) {
    std::string id = machine;
    std::replace(id.begin(), id.end(), '/', '-');
    return fmt::format("juju-{}-{}", model.uuid.substr(model.uuid.size() - 6), id);
}

nlohmann::json parse_config_value(const Charm& charm, const std::string& key,
                                  const std::string& text) {
    const auto it = charm.options.find(key);
    if (it == charm.options.end()) {
        throw CommandError(fmt::format("unknown option \"{}\"", key));
    }
    const std::string& type = it->second.type;
    auto bad = [&] {
        return CommandError(fmt::format("option \"{}\" expected {}, got \"{}\"", key,
                                        type == "int"     ? "int"
                                        : type == "float" ? "float"
                                                          : "boolean",
                                        text));
    };
    if (type == "int") {
        std::int64_t value = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || ptr != text.data() + text.size()) throw bad();
        return value;
    }
    if (type == "float") {
        try {
            std::size_t used = 0;
            const double value = std::stod(text, &used);
            if (used != text.size()) throw bad();
            return value;
        } catch (const std::logic_error&) {
            throw bad();
        }
    }
    if (type == "boolean") {
        if (text == "true") return true;
        if (text == "false") return false;
        throw bad();
    }
    return text;
}

nlohmann::json effective_config(const AppRow& app) {
    nlohmann::json config = nlohmann::json::object();
    for (const auto& [key, option] : app.charm.options) config[key] = option.default_value;
    for (const auto& [key, value] : app.config.items()) config[key] = value;
    return config;
}

}  // namespace jubilant::fake
