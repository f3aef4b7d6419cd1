// A model's applications, units, machines and relations read in one go, and the statuses the
// fake derives from them and from simulated time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine_internal.hpp"
#include "support/charm.hpp"

namespace jubilant::fake {

struct AppRow {
    std::string name{};
    std::string charm_name{};
    std::string source{};  ///< charmhub or local
    std::string channel{};
    int revision = 0;
    std::string base{};
    Charm charm{};
    nlohmann::json config = nlohmann::json::object();  ///< values set by the user only
    bool trust = false;
    std::string constraints{};
    std::int64_t next_unit = 0;
    std::int64_t created = 0;
    std::optional<std::string> offer_url{};  ///< set for a consumed (remote) application
};

struct UnitRow {
    std::string app{};
    std::int64_t number = 0;
    std::string machine{};
    std::string principal{};  ///< for a subordinate unit: the unit it is attached to
    std::int64_t created = 0;
    std::int64_t busy_until = 0;
    std::string busy_hook{};
    std::string name() const { return app + "/" + std::to_string(number); }
};

struct MachineRow {
    std::string id{};
    std::string base{};
    std::string constraints{};
    std::int64_t created = 0;
};

struct RelationRow {
    std::int64_t id = 0;
    std::string provider_app{};
    std::string provider_endpoint{};
    std::string requirer_app{};
    std::string requirer_endpoint{};
    std::string interface {};
    std::string scope{};
    bool is_peer() const {
        return provider_app == requirer_app && provider_endpoint == requirer_endpoint;
    }
};

struct OfferRow {
    std::string name{};
    std::string app{};
    std::vector<std::string> endpoints{};
};

struct ModelState {
    ModelRow model{};
    /// The juju version of the model's controller (what status reports and follows).
    JujuVersion version{};
    std::map<std::string, AppRow> apps{};
    std::vector<UnitRow> units{};  ///< ordered by app, then number
    std::vector<MachineRow> machines{};
    std::vector<RelationRow> relations{};
    std::vector<OfferRow> offers{};
    /// Derived once per command (simulated time is fixed within one): each app's leader unit
    /// number and the workload status its settled units show.
    std::map<std::string, std::int64_t> leaders{};
    std::map<std::string, std::pair<std::string, std::string>> settled{};

    const AppRow* app(const std::string& name) const;
    const UnitRow* unit(const std::string& name) const;
    /// True when `app`'s `endpoint` takes part in at least one relation.
    bool related(const std::string& app, const std::string& endpoint) const;
};

ModelState load_model_state(Context& ctx, const ModelRow& model);
/// The IDs of the model's machines that are not containers, in numeric order.
std::vector<std::string> host_machine_ids(Context& ctx, const ModelRow& model);
AppRow load_app(Context& ctx, const ModelRow& model, const std::string& name);
std::optional<AppRow> find_app(Context& ctx, const ModelRow& model, const std::string& name);
void save_app_config(Context& ctx, const ModelRow& model, const AppRow& app);
/// Stores what refresh changes: the charm (source, channel, revision, base, metadata), the
/// config and the trust flag.
void save_app_charm(Context& ctx, const ModelRow& model, const AppRow& app);

/// One status value as juju reports it.
struct StatusValue {
    std::string current{};
    std::string message{};
    std::int64_t since = 0;
};

struct UnitView {
    StatusValue workload{};
    StatusValue agent{};
    bool leader = false;
    std::string address{};
    std::string workload_version{};
};

/// Simulated time a new unit spends allocating, then installing, before it settles.
inline constexpr std::int64_t allocating_ms = 3000;
inline constexpr std::int64_t installing_ms = 3000;
/// How long a hook (relation-changed, config-changed, upgrade-charm) keeps an agent busy.
inline constexpr std::int64_t hook_ms = 2000;

UnitView unit_view(const ModelState& state, const UnitRow& unit, std::int64_t now);
StatusValue application_status(const ModelState& state, const AppRow& app, std::int64_t now);
StatusValue machine_agent_status(const ModelState& state, const MachineRow& machine,
                                 std::int64_t now);

/// Marks every unit of `app` busy running `hook` for a while (a hook after a change).
void mark_busy(Context& ctx, const ModelRow& model, const std::string& app,
               const std::string& hook);

/// Resolves "app/leader" to the leader unit's name; other names come back unchanged.
std::string resolve_unit_name(const ModelState& state, const std::string& name, std::int64_t now);

/// A machine's hostname and instance ID, e.g. "juju-3779b1-0" or "juju-3779b1-0-lxd-1".
std::string instance_hostname(const ModelRow& model, const std::string& machine);

/// A charm config value given on the command line, validated against the option's type.
nlohmann::json parse_config_value(const Charm& charm, const std::string& key,
                                  const std::string& text);
/// The effective config: defaults overlaid with the user's values.
nlohmann::json effective_config(const AppRow& app);

}  // namespace jubilant::fake
