// Charm fixtures: what the fake knows about a charm (config options, actions, endpoints and
// the rules that decide its settled workload status). Read from YAML, kept per application
// in the state database as JSON so a deployed app does not change if the fixture does.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace jubilant::fake {

struct ConfigOption {
    std::string type{};  ///< string, int, float, boolean or secret
    nlohmann::json default_value{};  ///< null when the option has no default
    std::string description{};
};

struct ActionSpec {
    std::string description{};
    nlohmann::json params = nlohmann::json::object();  ///< name -> {type, default, description}
    std::vector<std::string> required{};
    /// Result values; "{param}" in a string is replaced by that parameter's value.
    nlohmann::json results = nlohmann::json::object();
    std::optional<std::string> fail{};  ///< set: the action fails with this message
};

struct Endpoint {
    std::string name{};
    std::string interface{};
    std::string role{};   ///< provider, requirer or peer
    std::string scope{};  ///< global or container
};

/// One status rule: when `condition` holds for a settled unit, its workload status is
/// `status` with `message`. The first rule that holds wins.
struct StatusRule {
    std::string condition{};  ///< missing-relation, missing-config, untrusted, config-equals
    std::string key{};
    std::string value{};
    std::string status{};
    std::string message{};
};

struct Charm {
    std::string name{};
    std::string summary{};
    int revision = 1;
    std::string channel{"latest/stable"};
    std::string base{"ubuntu@22.04"};
    std::string workload_version{};
    bool subordinate = false;
    bool kubernetes = false;  ///< deploys only to Kubernetes models
    std::map<std::string, ConfigOption> options{};
    std::map<std::string, ActionSpec> actions{};
    std::vector<Endpoint> endpoints{};
    std::vector<StatusRule> rules{};
    std::string active_message{};
    bool generic = false;  ///< not from a fixture: settles to active/idle with no options

    const Endpoint* endpoint(std::string_view name) const;

    /// Parses a fixture; errors name `source`, the line and what was expected.
    static Charm from_yaml(std::string_view text, std::string_view source);
    /// A charm with no fixture: no config, no actions, a juju-info endpoint, active/idle.
    static Charm generic_charm(std::string name);

    nlohmann::json to_json() const;
    static Charm from_json(const nlohmann::json& doc);
};

/// Finds a charm by name: `<dir>/<name>.yaml` in `charms_dir` (when given), then the fixtures
/// built into the binary, then a generic charm.
Charm find_charm(const std::string& name, const std::string& charms_dir);

/// The names of the fixtures built into the binary.
std::vector<std::string> builtin_charm_names();

}  // namespace jubilant::fake
