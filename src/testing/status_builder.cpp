// StatusBuilder: a small model of a Juju model, rendered in the layout of
// `juju status --format json` (see testing/status_builder.hpp).
#include <jubilant/testing/status_builder.hpp>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <jubilant/errors.hpp>
#include "hash.hpp"
#include "print/pretty.hpp"

namespace jubilant {

void PrintTo(const Status& status, std::ostream* os) {
    // GoogleTest splits a printed value on the two characters '\\' 'n' to diff it, so lines are
    // joined with that escape, and backslashes inside values are doubled to stay whole.
    bool first = true;
    for (const std::string& line : gron_lines(status)) {
        if (!first) *os << "\\n";
        first = false;
        for (char c : line) {
            if (c == '\\') *os << '\\';
            *os << c;
        }
    }
}

}  // namespace jubilant

namespace jubilant::testkit {
namespace {

using Json = nlohmann::ordered_json;

// Fixed times keep documents identical from run to run (Status::operator== ignores only the
// controller timestamp, and wait logs would otherwise change on every poll).
constexpr const char* since = "12 Jun 2025 10:00:00Z";
constexpr const char* controller_timestamp = "10:00:00Z";
// Juju's default space.
constexpr const char* default_space = "alpha";

[[noreturn]] void fail(const std::string& message) { throw Error("StatusBuilder: " + message); }

// Deterministic stand-ins for the random parts of real output (model UUID prefixes in host
// names, Kubernetes service UUIDs): FNV-1a of a name, from the basis this kit has always used
// (a digit short of FNV's), so the names it generates stay the same.
std::uint64_t fnv1a(std::string_view text) {
    return jubilant::text::fnv1a_64(text, 1469598103934665603ULL);
}

std::string uuid_for(std::string_view name) {
    const std::uint64_t a = fnv1a(name);
    const std::uint64_t b = fnv1a(std::string(name) + "#");
    return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff,
                       a & 0xfff, 0x8000 | (b >> 48 & 0x3fff), b & 0xffffffffffffULL);
}

struct Base {
    std::string name;
    std::string channel;
};

Base parse_base(const std::string& base) {
    const auto at = base.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == base.size()) {
        fail(fmt::format("base '{}' is not of the form name@channel (e.g. ubuntu@22.04)", base));
    }
    return {base.substr(0, at), base.substr(at + 1)};
}

// Juju derives an application's status from its units' by severity (core/status).
int severity(std::string_view status) {
    if (status == "error") return 100;
    if (status == "blocked") return 90;
    if (status == "maintenance") return 80;
    if (status == "waiting") return 70;
    if (status == "active") return 60;
    if (status == "terminated") return 50;
    if (status == "unknown") return 40;
    return 0;
}

struct UnitName {
    std::string app;
    int number = 0;
};

UnitName parse_unit(const std::string& unit) {
    const auto slash = unit.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == unit.size() ||
        unit.find_first_not_of("0123456789", slash + 1) != std::string::npos) {
        fail(fmt::format("'{}' is not a unit name (expected <app>/<number>)", unit));
    }
    return {unit.substr(0, slash), std::stoi(unit.substr(slash + 1))};
}

std::pair<std::string, std::string> parse_endpoint(const std::string& endpoint) {
    const auto colon = endpoint.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == endpoint.size()) {
        fail(fmt::format("'{}' is not an endpoint (expected <app>:<endpoint>)", endpoint));
    }
    return {endpoint.substr(0, colon), endpoint.substr(colon + 1)};
}

struct UnitData {
    std::string workload;
    std::string workload_message;
    std::string agent;
    std::string agent_message;
    bool leader = false;
    std::string machine;         // principal units on machine models
    std::string address;         // pod address on Kubernetes; machines carry their own
    std::string principal_unit;  // subordinate units: the unit they run beside
    std::vector<std::string> open_ports;
};

struct Relation {
    std::string related_app;
    std::string interface;
    std::string scope;
};

struct AppData {
    AppOptions options;
    bool subordinate = false;
    std::vector<std::string> principals;                        // subordinate applications only
    std::optional<std::pair<std::string, std::string>> status;  // explicit current, message
    std::map<int, UnitData> units;
    int next_unit = 0;
    std::map<std::string, std::vector<Relation>> relations;
    std::string cluster_address;  // Kubernetes service address
};

struct MachineData {
    std::string agent = "started";
    std::string agent_message;
    std::string instance = "running";
    std::string instance_message = "Running";
    std::string address;
    std::string base = "ubuntu@22.04";
    bool auto_created = false;  // made for a unit, so removed with its last unit
    std::map<std::string, MachineData> containers;
    int next_container = 0;
};

struct RemoteApp {
    RemoteAppOptions options;
    std::map<std::string, std::vector<std::string>> relations;
};

struct Offer {
    std::string app;
    OfferOptions options;
};

// JSON objects whose keys Juju (Go's encoding/json) prints sorted by name.
template <typename T>
using SortedMap = std::map<std::string, T>;

}  // namespace

struct StatusBuilder::Model {
    std::string name = "test";
    ModelOptions options;
    std::map<std::string, AppData> apps;
    std::map<std::string, MachineData> machines;  // top-level machines by ID
    int next_machine = 0;
    int next_address = 0;
    int next_cluster_address = 0;
    std::map<std::string, RemoteApp> remote_apps;
    std::map<std::string, Offer> offers;

    bool kubernetes() const { return options.type == "caas"; }

    AppData& app(const std::string& name) {
        const auto found = apps.find(name);
        if (found == apps.end()) {
            std::string known;
            for (const auto& [app_name, data] : apps) {
                known += (known.empty() ? "" : ", ") + app_name;
            }
            fail(fmt::format("no application '{}' (applications: {})", name,
                             known.empty() ? "none" : known));
        }
        return found->second;
    }

    UnitData& unit(const std::string& name) {
        const UnitName parsed = parse_unit(name);
        AppData& data = app(parsed.app);
        const auto found = data.units.find(parsed.number);
        if (found == data.units.end()) {
            std::string known;
            for (const auto& [number, unit_data] : data.units) {
                known += fmt::format("{}{}/{}", known.empty() ? "" : ", ", parsed.app, number);
            }
            fail(fmt::format("no unit '{}' (units of {}: {})", name, parsed.app,
                             known.empty() ? "none" : known));
        }
        return found->second;
    }

    std::string new_address() {
        const int n = next_address++ + 10;
        return kubernetes() ? fmt::format("10.1.{}.{}", 64 + n / 250, n % 250 + 2)
                            : fmt::format("10.76.{}.{}", 12 + n / 250, n % 250 + 2);
    }

    // Finds a machine or container by ID; nullptr when it does not exist.
    const MachineData* find_machine(const std::string& id) const {
        const auto slash = id.find('/');
        const auto top = machines.find(id.substr(0, slash));
        if (top == machines.end()) return nullptr;
        if (slash == std::string::npos) return &top->second;
        const auto container = top->second.containers.find(id);
        return container == top->second.containers.end() ? nullptr : &container->second;
    }
    MachineData* find_machine(const std::string& id) {
        return const_cast<MachineData*>(std::as_const(*this).find_machine(id));
    }

    // The machine or container `id`, added (with its parent machine) when missing.
    MachineData& ensure_machine(const std::string& id, const std::string& base, bool auto_created) {
        if (MachineData* existing = find_machine(id)) return *existing;
        const auto slash = id.find('/');
        const std::string top_id = id.substr(0, slash);
        if (top_id.empty() || top_id.find_first_not_of("0123456789") != std::string::npos) {
            fail(fmt::format("'{}' is not a machine ID (expected e.g. 3 or 0/lxd/1)", id));
        }
        auto [top, added] = machines.try_emplace(top_id);
        if (added) {
            top->second.address = new_address();
            top->second.base = base;
            top->second.auto_created = auto_created;
            next_machine = std::max(next_machine, std::stoi(top_id) + 1);
        }
        if (slash == std::string::npos) return top->second;
        // "<machine>/<type>/<n>"
        const auto second = id.find('/', slash + 1);
        if (second == std::string::npos || second == slash + 1 ||
            id.find_first_not_of("0123456789", second + 1) != std::string::npos ||
            second + 1 == id.size()) {
            fail(fmt::format("'{}' is not a container ID (expected e.g. 0/lxd/1)", id));
        }
        MachineData& container = top->second.containers[id];
        container.address = new_address();
        container.base = base;
        container.auto_created = auto_created;
        top->second.next_container =
            std::max(top->second.next_container, std::stoi(id.substr(second + 1)) + 1);
        return container;
    }

    // Placement of a new unit: a new machine, or the next entry of AppOptions::to.
    std::string place_unit(const AppOptions& options, std::size_t index) {
        if (index >= options.to.size()) {
            const std::string id = std::to_string(next_machine);
            ensure_machine(id, options.base, true);
            return id;
        }
        const std::string& where = options.to[index];
        if (where.starts_with("lxd:")) {  // Juju's placement directive for a new container
            const std::string parent = where.substr(4);
            ensure_machine(parent, options.base, false);
            MachineData& machine = *find_machine(parent);
            const std::string id = fmt::format("{}/lxd/{}", parent, machine.next_container);
            ensure_machine(id, options.base, true);
            return id;
        }
        ensure_machine(where, options.base, false);
        return where;
    }

    void add_units(const std::string& app_name, int count) {
        AppData& data = app(app_name);
        for (int i = 0; i < count; ++i) {
            const int number = data.next_unit++;
            UnitData unit{.workload = data.options.workload,
                          .workload_message = data.options.message,
                          .agent = data.options.agent,
                          .agent_message = {},
                          .leader = false,
                          .machine = {},
                          .address = {},
                          .principal_unit = {},
                          .open_ports = data.options.open_ports};
            if (kubernetes()) {
                unit.address = new_address();
            } else {
                unit.machine = place_unit(data.options, data.units.size());
            }
            data.units.emplace(number, std::move(unit));
            // Every subordinate of this application follows it onto the new unit.
            for (auto& [sub_name, sub] : apps) {
                if (!sub.subordinate) continue;
                if (std::find(sub.principals.begin(), sub.principals.end(), app_name) ==
                    sub.principals.end()) {
                    continue;
                }
                add_subordinate_unit(sub, fmt::format("{}/{}", app_name, number));
            }
        }
        elect_leader(data);
    }

    void add_subordinate_unit(AppData& sub, const std::string& principal_unit) {
        sub.units.emplace(sub.next_unit++, UnitData{.workload = sub.options.workload,
                                                    .workload_message = sub.options.message,
                                                    .agent = sub.options.agent,
                                                    .agent_message = {},
                                                    .leader = false,
                                                    .machine = {},
                                                    .address = {},
                                                    .principal_unit = principal_unit,
                                                    .open_ports = sub.options.open_ports});
        elect_leader(sub);
    }

    static void elect_leader(AppData& data) {
        const bool has_leader = std::any_of(data.units.begin(), data.units.end(),
                                            [](const auto& entry) { return entry.second.leader; });
        if (!has_leader && !data.units.empty()) data.units.begin()->second.leader = true;
    }

    // Removes an auto-created machine or container once nothing runs on it any more.
    void release_machine(const std::string& id) {
        MachineData* machine = find_machine(id);
        if (!machine || !machine->auto_created) return;
        for (const auto& [app_name, data] : apps) {
            for (const auto& [number, unit] : data.units) {
                if (unit.machine == id || unit.machine.starts_with(id + "/")) return;
            }
        }
        if (!machine->containers.empty()) return;
        const auto slash = id.find('/');
        if (slash == std::string::npos) {
            machines.erase(id);
        } else {
            machines.at(id.substr(0, slash)).containers.erase(id);
        }
    }

    void remove_unit(const std::string& app_name, int number) {
        AppData& data = apps.at(app_name);
        const std::string unit_name = fmt::format("{}/{}", app_name, number);
        const std::string machine = data.units.at(number).machine;
        data.units.erase(number);
        for (auto& [sub_name, sub] : apps) {
            if (!sub.subordinate) continue;
            std::erase_if(sub.units, [&](const auto& entry) {
                return entry.second.principal_unit == unit_name;
            });
            elect_leader(sub);
        }
        if (!machine.empty()) release_machine(machine);
        elect_leader(data);
    }

    std::string charm_url(const AppData& data, const std::string& name) const {
        const std::string charm = data.options.charm.empty() ? name : data.options.charm;
        if (data.options.charm_origin == "local") {
            return fmt::format("local:{}-{}", charm, data.options.revision);
        }
        return charm;
    }

    // Rendering, in the layout of `juju status --format json` (defined below).
    Json render() const;
    Json render_model() const;
    Json render_app(const std::string& app_name, const AppData& data,
                    const SortedMap<SortedMap<const UnitData*>>& subordinates) const;
    Json render_unit(const UnitData& unit, const std::string& unit_name, const std::string& address,
                     bool subordinate) const;

    std::pair<std::string, std::string> app_status(const AppData& data) const {
        if (data.status) return *data.status;
        // An application with no units yet is waiting for them, as Juju reports it.
        if (data.units.empty()) return {"waiting", "waiting for units"};
        const UnitData* worst = nullptr;
        for (const auto& [number, unit] : data.units) {
            if (!worst || severity(unit.workload) > severity(worst->workload)) worst = &unit;
        }
        return {worst->workload, worst->workload_message};
    }
};

namespace {

Json status_info(std::string_view current, std::string_view message,
                 std::string_view version = {}) {
    Json info = Json::object();
    info["current"] = current;
    if (!message.empty()) info["message"] = message;
    info["since"] = since;
    if (!version.empty()) info["version"] = version;
    return info;
}

Json base_json(const std::string& base) {
    const Base parsed = parse_base(base);
    return Json{{"name", parsed.name}, {"channel", parsed.channel}};
}

std::string mac_for(const std::string& address) {
    const std::uint64_t hash = fnv1a(address);
    return fmt::format("00:16:3e:{:02x}:{:02x}:{:02x}", hash >> 16 & 0xff, hash >> 8 & 0xff,
                       hash & 0xff);
}

// Endpoint objects keyed (and so sorted) by endpoint name.
Json endpoints_json(const std::vector<EndpointSpec>& endpoints) {
    SortedMap<Json> sorted;
    for (const EndpointSpec& e : endpoints) {
        sorted[e.name] = Json{{"interface", e.interface}, {"role", e.role}};
    }
    Json out = Json::object();
    for (auto& [name, endpoint] : sorted) out[name] = std::move(endpoint);
    return out;
}

std::string gateway_for(const std::string& address) {
    return address.substr(0, address.rfind('.')) + ".1";
}

}  // namespace

StatusBuilder::StatusBuilder() : model_(std::make_unique<Model>()) {}
StatusBuilder::~StatusBuilder() = default;
StatusBuilder::StatusBuilder(const StatusBuilder& other)
    : model_(std::make_unique<Model>(*other.model_)) {}
StatusBuilder& StatusBuilder::operator=(const StatusBuilder& other) {
    if (this != &other) model_ = std::make_unique<Model>(*other.model_);
    return *this;
}

StatusBuilder& StatusBuilder::model(std::string name, ModelOptions options) {
    if (options.type != "iaas" && options.type != "caas") {
        fail(fmt::format("model type '{}' is neither iaas nor caas", options.type));
    }
    if (options.type != model_->options.type && !model_->apps.empty()) {
        fail(
            "set the model type before adding applications (it decides machines and "
            "addresses)");
    }
    model_->name = std::move(name);
    model_->options = std::move(options);
    return *this;
}

StatusBuilder& StatusBuilder::app(std::string name, AppOptions options) {
    if (model_->apps.contains(name) || model_->remote_apps.contains(name)) {
        fail(fmt::format("application '{}' was already added", name));
    }
    if (options.units < 0) {
        fail(fmt::format("application '{}' given {} units", name, options.units));
    }
    parse_base(options.base);
    const int units = options.units;
    AppData& data = model_->apps[name];
    data.options = std::move(options);
    if (model_->kubernetes()) {
        data.cluster_address = fmt::format("10.152.183.{}", 20 + model_->next_cluster_address++);
    }
    model_->add_units(name, units);
    return *this;
}

StatusBuilder& StatusBuilder::subordinate(std::string name, std::string principal,
                                          AppOptions options) {
    AppData& principal_app = model_->app(principal);
    if (principal_app.subordinate) {
        fail(fmt::format("'{}' is a subordinate; subordinates attach to principals", principal));
    }
    if (model_->remote_apps.contains(name)) {
        fail(fmt::format("application '{}' was already added", name));
    }
    const auto existing = model_->apps.find(name);
    if (existing != model_->apps.end() && !existing->second.subordinate) {
        fail(fmt::format("application '{}' was already added as a principal", name));
    }
    parse_base(options.base);
    AppData& sub = model_->apps[name];
    if (existing == model_->apps.end()) {
        sub.options = std::move(options);
        sub.subordinate = true;
    } else if (std::find(sub.principals.begin(), sub.principals.end(), principal) !=
               sub.principals.end()) {
        fail(fmt::format("'{}' is already a subordinate of '{}'", name, principal));
    }
    sub.principals.push_back(principal);
    for (const auto& [number, unit] : principal_app.units) {
        model_->add_subordinate_unit(sub, fmt::format("{}/{}", principal, number));
    }
    principal_app.relations["juju-info"].push_back(
        {.related_app = name, .interface = "juju-info", .scope = "container"});
    sub.relations["juju-info"].push_back(
        {.related_app = principal, .interface = "juju-info", .scope = "container"});
    return *this;
}

StatusBuilder& StatusBuilder::scale(const std::string& app, int units) {
    AppData& data = model_->app(app);
    if (data.subordinate) {
        fail(fmt::format("'{}' is a subordinate: scale its principal instead", app));
    }
    if (units < 0) fail(fmt::format("cannot scale '{}' to {} units", app, units));
    const int current = static_cast<int>(data.units.size());
    if (units > current) {
        model_->add_units(app, units - current);
    } else {
        for (int i = current; i > units; --i) {
            model_->remove_unit(app, std::prev(model_->apps.at(app).units.end())->first);
        }
    }
    return *this;
}

StatusBuilder& StatusBuilder::remove_app(const std::string& app) {
    if (!model_->app(app).subordinate) {
        while (!model_->apps.at(app).units.empty()) {
            model_->remove_unit(app, model_->apps.at(app).units.begin()->first);
        }
        for (auto& [name, other] : model_->apps) {
            if (other.subordinate) std::erase(other.principals, app);
        }
    }
    model_->apps.erase(app);
    for (auto& [name, other] : model_->apps) {
        for (auto& [endpoint, list] : other.relations) {
            std::erase_if(list, [&](const Relation& r) { return r.related_app == app; });
        }
        std::erase_if(other.relations, [](const auto& entry) { return entry.second.empty(); });
    }
    for (auto& [name, remote] : model_->remote_apps) {
        for (auto& [endpoint, list] : remote.relations) std::erase(list, app);
        std::erase_if(remote.relations, [](const auto& entry) { return entry.second.empty(); });
    }
    std::erase_if(model_->offers, [&](const auto& entry) { return entry.second.app == app; });
    return *this;
}

StatusBuilder& StatusBuilder::unit_status(const std::string& unit, std::string workload,
                                          std::string agent, std::string message) {
    UnitData& data = model_->unit(unit);
    data.workload = std::move(workload);
    data.workload_message = std::move(message);
    data.agent = std::move(agent);
    data.agent_message.clear();
    return *this;
}

StatusBuilder& StatusBuilder::units_status(const std::string& app, std::string workload,
                                           std::string agent, std::string message) {
    for (auto& [number, unit] : model_->app(app).units) {
        unit.workload = workload;
        unit.workload_message = message;
        unit.agent = agent;
        unit.agent_message.clear();
    }
    return *this;
}

StatusBuilder& StatusBuilder::unit(const std::string& unit, UnitChanges changes) {
    UnitData& data = model_->unit(unit);
    if (changes.workload) data.workload = std::move(*changes.workload);
    if (changes.workload_message) data.workload_message = std::move(*changes.workload_message);
    if (changes.agent) data.agent = std::move(*changes.agent);
    if (changes.agent_message) data.agent_message = std::move(*changes.agent_message);
    if (changes.open_ports) data.open_ports = std::move(*changes.open_ports);
    if (changes.address) {
        if (!data.machine.empty()) {
            // On machines the unit's public address is its machine's.
            model_->find_machine(data.machine)->address = std::move(*changes.address);
        } else {
            data.address = std::move(*changes.address);
        }
    }
    if (changes.leader) {
        if (*changes.leader) {
            leader(unit);
        } else {
            data.leader = false;
        }
    }
    return *this;
}

StatusBuilder& StatusBuilder::leader(const std::string& unit) {
    model_->unit(unit);  // reports a bad name before anything changes
    const UnitName parsed = parse_unit(unit);
    for (auto& [number, data] : model_->apps.at(parsed.app).units) {
        data.leader = number == parsed.number;
    }
    return *this;
}

StatusBuilder& StatusBuilder::app_status(const std::string& app, std::string current,
                                         std::string message) {
    model_->app(app).status = std::pair(std::move(current), std::move(message));
    return *this;
}

StatusBuilder& StatusBuilder::machine(const std::string& id, MachineChanges changes) {
    if (model_->kubernetes()) fail("Kubernetes models have no machines");
    MachineData& data = model_->ensure_machine(id, changes.base.value_or("ubuntu@22.04"), false);
    if (changes.agent) data.agent = std::move(*changes.agent);
    if (changes.agent_message) data.agent_message = std::move(*changes.agent_message);
    if (changes.instance) data.instance = std::move(*changes.instance);
    if (changes.instance_message) data.instance_message = std::move(*changes.instance_message);
    if (changes.address) data.address = std::move(*changes.address);
    if (changes.base) {
        parse_base(*changes.base);
        data.base = std::move(*changes.base);
    }
    return *this;
}

StatusBuilder& StatusBuilder::relate(const std::string& first, const std::string& second,
                                     std::string interface) {
    const auto [app1, endpoint1] = parse_endpoint(first);
    const auto [app2, endpoint2] = parse_endpoint(second);
    if (interface.empty()) interface = endpoint2;
    const auto add_side = [&](const std::string& app, const std::string& endpoint,
                              const std::string& other) {
        if (const auto remote = model_->remote_apps.find(app);
            remote != model_->remote_apps.end()) {
            remote->second.relations[endpoint].push_back(other);
            return;
        }
        model_->app(app).relations[endpoint].push_back(
            {.related_app = other, .interface = interface, .scope = "global"});
    };
    // Validate both names before changing anything.
    for (const std::string* app : {&app1, &app2}) {
        if (!model_->remote_apps.contains(*app)) model_->app(*app);
    }
    add_side(app1, endpoint1, app2);
    add_side(app2, endpoint2, app1);
    return *this;
}

StatusBuilder& StatusBuilder::peer(const std::string& endpoint, std::string interface) {
    const auto [app, name] = parse_endpoint(endpoint);
    if (interface.empty()) interface = name;
    model_->app(app).relations[name].push_back(
        {.related_app = app, .interface = std::move(interface), .scope = "global"});
    return *this;
}

StatusBuilder& StatusBuilder::offer(std::string name, const std::string& app,
                                    OfferOptions options) {
    model_->app(app);
    if (options.endpoints.empty()) fail(fmt::format("offer '{}' has no endpoints", name));
    if (model_->offers.contains(name)) fail(fmt::format("offer '{}' was already added", name));
    model_->offers[std::move(name)] = Offer{.app = app, .options = std::move(options)};
    return *this;
}

StatusBuilder& StatusBuilder::consume(std::string name, RemoteAppOptions options) {
    if (model_->apps.contains(name) || model_->remote_apps.contains(name)) {
        fail(fmt::format("application '{}' was already added", name));
    }
    if (options.url.empty()) fail(fmt::format("consumed application '{}' has no url", name));
    model_->remote_apps[std::move(name)] =
        RemoteApp{.options = std::move(options), .relations = {}};
    return *this;
}

namespace {

Json machine_json(const MachineData& machine, const std::string& id, const std::string& model,
                  const std::string& version) {
    const std::string host = fmt::format("juju-{:06x}-{}", fnv1a(model) & 0xffffff, [&] {
        std::string name = id;
        std::replace(name.begin(), name.end(), '/', '-');
        return name;
    }());
    const bool provisioned = machine.instance != "pending" && machine.instance != "allocating";
    Json out = Json::object();
    out["juju-status"] = status_info(machine.agent, machine.agent_message,
                                     machine.agent == "pending" ? "" : version);
    if (provisioned) {
        out["hostname"] = host;
        out["dns-name"] = machine.address;
        out["ip-addresses"] = Json::array({machine.address});
        out["instance-id"] = host;
    } else {
        out["instance-id"] = "pending";
    }
    out["machine-status"] = status_info(machine.instance, machine.instance_message);
    out["modification-status"] = status_info(provisioned ? "applied" : "pending", "");
    out["base"] = base_json(machine.base);
    if (provisioned) {
        out["network-interfaces"] =
            Json{{"eth0", Json{{"ip-addresses", Json::array({machine.address})},
                               {"mac-address", mac_for(machine.address)},
                               {"gateway", gateway_for(machine.address)},
                               {"space", default_space},
                               {"is-up", true}}}};
    }
    if (!machine.containers.empty()) {
        Json containers = Json::object();
        for (const auto& [container_id, container] : machine.containers) {
            containers[container_id] = machine_json(container, container_id, model, version);
        }
        out["containers"] = std::move(containers);
    }
    // Juju shows constraints of machines, not of containers (unless given for them).
    if (id.find('/') == std::string::npos) out["constraints"] = "arch=amd64";
    if (provisioned) out["hardware"] = "arch=amd64 cores=0 mem=0M virt-type=container";
    return out;
}

}  // namespace

// Subordinate units by principal unit, then by their own name.
using SubordinateIndex = SortedMap<SortedMap<const UnitData*>>;

Json StatusBuilder::Model::render() const {
    Json doc = Json::object();
    doc["model"] = render_model();
    Json machines_out = Json::object();
    for (const auto& [id, machine] : machines) {
        machines_out[id] = machine_json(machine, id, name, options.version);
    }
    doc["machines"] = std::move(machines_out);

    SubordinateIndex subordinates;
    for (const auto& [app_name, data] : apps) {
        if (!data.subordinate) continue;
        for (const auto& [number, unit] : data.units) {
            subordinates[unit.principal_unit][fmt::format("{}/{}", app_name, number)] = &unit;
        }
    }
    Json applications = Json::object();
    for (const auto& [app_name, data] : apps) {
        applications[app_name] = render_app(app_name, data, subordinates);
    }
    doc["applications"] = std::move(applications);

    if (!remote_apps.empty()) {
        Json remotes = Json::object();
        for (const auto& [remote_name, remote] : remote_apps) {
            Json out = Json::object();
            out["url"] = remote.options.url;
            out["endpoints"] = endpoints_json(remote.options.endpoints);
            out["application-status"] = status_info(remote.options.status, remote.options.message);
            if (!remote.relations.empty()) {
                Json relations = Json::object();
                for (const auto& [endpoint, related] : remote.relations) {
                    relations[endpoint] = related;
                }
                out["relations"] = std::move(relations);
            }
            remotes[remote_name] = std::move(out);
        }
        doc["application-endpoints"] = std::move(remotes);
    }

    if (!offers.empty()) {
        Json offers_out = Json::object();
        for (const auto& [offer_name, offer] : offers) {
            const AppData& data = apps.at(offer.app);
            const std::string charm = data.options.charm.empty() ? offer.app : data.options.charm;
            Json out = Json::object();
            out["application"] = offer.app;
            out["charm"] = data.options.charm_origin == "local"
                               ? charm_url(data, offer.app)
                               : fmt::format("ch:amd64/{}-{}", charm, data.options.revision);
            if (offer.options.total_connected != 0) {
                out["total-connected-count"] = offer.options.total_connected;
            }
            if (offer.options.active_connected != 0) {
                out["active-connected-count"] = offer.options.active_connected;
            }
            out["endpoints"] = endpoints_json(offer.options.endpoints);
            offers_out[offer_name] = std::move(out);
        }
        doc["offers"] = std::move(offers_out);
    }

    doc["storage"] = Json::object();
    doc["controller"] = Json{{"timestamp", controller_timestamp}};
    return doc;
}

Json StatusBuilder::Model::render_model() const {
    Json model = Json::object();
    model["name"] = name;
    model["type"] = options.type;
    // Where `juju bootstrap localhost` and `juju bootstrap microk8s` put a model by default.
    const bool caas = kubernetes();
    model["controller"] = !options.controller.empty() ? options.controller
                          : caas                      ? "microk8s-localhost"
                                                      : "localhost-localhost";
    model["cloud"] = !options.cloud.empty() ? options.cloud : caas ? "microk8s" : "localhost";
    model["region"] = options.region;
    model["version"] = options.version;
    model["model-status"] = status_info(options.status, "");
    model["sla"] = "unsupported";
    return model;
}

Json StatusBuilder::Model::render_app(const std::string& app_name, const AppData& data,
                                      const SubordinateIndex& subordinates) const {
    const AppOptions& o = data.options;
    Json app = Json::object();
    app["charm"] = charm_url(data, app_name);
    app["base"] = base_json(o.base);
    app["charm-origin"] = o.charm_origin;
    app["charm-name"] = o.charm.empty() ? app_name : o.charm;
    app["charm-rev"] = o.revision;
    if (o.charm_origin != "local") app["charm-channel"] = o.channel;
    if (kubernetes() && !data.subordinate) {
        app["scale"] = data.units.size();
        app["provider-id"] = uuid_for(name + "/" + app_name);
        app["address"] = data.cluster_address;
    }
    app["exposed"] = o.exposed;
    const auto [current, message] = app_status(data);
    app["application-status"] = status_info(current, message);

    SortedMap<std::vector<Relation>> relations(data.relations.begin(), data.relations.end());
    std::erase_if(relations, [](const auto& entry) { return entry.second.empty(); });
    if (!relations.empty()) {
        Json out = Json::object();
        for (const auto& [endpoint, list] : relations) {
            Json entries = Json::array();
            for (const Relation& r : list) {
                entries.push_back(Json{{"related-application", r.related_app},
                                       {"interface", r.interface},
                                       {"scope", r.scope}});
            }
            out[endpoint] = std::move(entries);
        }
        app["relations"] = std::move(out);
    }
    if (data.subordinate) app["subordinate-to"] = data.principals;

    if (!data.subordinate && !data.units.empty()) {
        // Keyed by name, so sorted as Juju prints them ("pg/10" before "pg/2").
        SortedMap<Json> units;
        for (const auto& [number, unit] : data.units) {
            const std::string unit_name = fmt::format("{}/{}", app_name, number);
            std::string address = unit.address;
            if (!unit.machine.empty()) {
                const MachineData* machine = find_machine(unit.machine);
                const bool provisioned =
                    machine && machine->instance != "pending" && machine->instance != "allocating";
                address = provisioned ? machine->address : "";
            }
            Json out = render_unit(unit, unit_name, address, false);
            if (const auto subs = subordinates.find(unit_name); subs != subordinates.end()) {
                Json sub_units = Json::object();
                for (const auto& [sub_name, sub] : subs->second) {
                    sub_units[sub_name] = render_unit(*sub, sub_name, address, true);
                }
                out["subordinates"] = std::move(sub_units);
            }
            units[unit_name] = std::move(out);
        }
        Json out = Json::object();
        for (auto& [unit_name, unit] : units) out[unit_name] = std::move(unit);
        app["units"] = std::move(out);
    }
    if (!o.version.empty()) app["version"] = o.version;

    Json bindings = Json{{"", default_space}};
    for (const auto& [endpoint, list] : relations) bindings[endpoint] = default_space;
    app["endpoint-bindings"] = std::move(bindings);
    return app;
}

// `address` is the unit's: its machine's on machine models (a subordinate shares its
// principal's), its pod's on Kubernetes.
Json StatusBuilder::Model::render_unit(const UnitData& unit, const std::string& unit_name,
                                       const std::string& address, bool subordinate) const {
    Json out = Json::object();
    out["workload-status"] = status_info(unit.workload, unit.workload_message);
    out["juju-status"] = status_info(unit.agent, unit.agent_message, options.version);
    if (unit.leader) out["leader"] = true;
    if (!subordinate && !unit.machine.empty()) out["machine"] = unit.machine;
    if (!unit.open_ports.empty()) out["open-ports"] = unit.open_ports;
    if (kubernetes()) {
        out["address"] = address;
        if (!subordinate) {
            std::string pod = unit_name;
            std::replace(pod.begin(), pod.end(), '/', '-');
            out["provider-id"] = pod;
        }
    } else if (!address.empty()) {
        out["public-address"] = address;
    }
    return out;
}

std::string StatusBuilder::json() const { return model_->render().dump(); }

std::string StatusBuilder::pretty_json() const { return model_->render().dump(2); }

Status StatusBuilder::status() const { return Status::from_json(json()); }

StatusSequence& StatusSequence::then(const StatusBuilder& status, int polls) {
    return then(status.json(), polls);
}

StatusSequence& StatusSequence::then(std::string json, int polls) {
    if (polls < 1) {
        fail(fmt::format("a status must be served for at least one poll, not {}", polls));
    }
    for (int i = 1; i < polls; ++i) documents_.push_back(json);
    documents_.push_back(std::move(json));
    return *this;
}

RunAction ReturnStatus(const StatusBuilder& status) { return ReturnStatus(status.json()); }

RunAction ReturnStatus(std::string json) {
    // juju ends its output with a newline.
    return ::testing::Return(
        CliResult{.returncode = 0, .stdout_text = std::move(json) + "\n", .stderr_text = {}});
}

RunAction ReturnStatuses(StatusSequence script) {
    if (script.documents().empty()) fail("ReturnStatuses needs at least one status");
    struct State {
        std::vector<std::string> documents;
        std::size_t next = 0;
    };
    auto state = std::make_shared<State>(State{.documents = script.documents(), .next = 0});
    return [state](const CliRequest&) {
        const std::size_t index = std::min(state->next, state->documents.size() - 1);
        ++state->next;
        return CliResult{
            .returncode = 0, .stdout_text = state->documents[index] + "\n", .stderr_text = {}};
    };
}

}  // namespace jubilant::testkit
