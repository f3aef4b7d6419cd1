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
    std::string type{};              ///< string, int, float, boolean or secret
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
    /// Params the schema does not declare are accepted. Unset: the charm's actions.yaml does
    /// not say, and juju's default applies (accepted in 3.x, refused in 4.x); the built-in
    /// fixtures refuse them unless they say otherwise.
    std::optional<bool> additional_properties{};
};

struct Endpoint {
    std::string name{};
    std::string interface {};
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
    /// The workload status a settled unit shows when no rule holds: "active" for fixtures
    /// and Charmhub charms, "unknown" for a local charm whose behaviour nobody declared
    /// (what juju shows for charm code that never sets a status).
    std::string settled_status{"active"};
    std::vector<std::string> containers{};                ///< names from metadata `containers`
    nlohmann::json resources = nlohmann::json::object();  ///< metadata `resources`, as given
    nlohmann::json assumes = nlohmann::json::array();     ///< metadata `assumes`, as given
    std::vector<std::string> bases{};  ///< every base the charm runs on; `base` is the first
    bool generic = false;  ///< not from a fixture: settles to active/idle with no options

    const Endpoint* endpoint(std::string_view name) const;

    /// Parses a fixture; errors name `source`, the line and what was expected.
    static Charm from_yaml(std::string_view text, std::string_view source);
    /// A charm as its author has it: the text of metadata.yaml, config.yaml, actions.yaml,
    /// charmcraft.yaml and manifest.yaml by file name (absent files missing). Errors name
    /// `source`/<file>, the line and what was expected. Its behaviour is undeclared: it
    /// settles to workload "unknown" until apply_rules says otherwise.
    static Charm from_charm_files(const std::map<std::string, std::string>& files,
                                  std::string_view source);
    /// Overlays a rules file (the fixture schema) on a charm read from its own files: status
    /// rules, action results and failures, workload version. Declaring an action or option
    /// the charm does not have is an error naming `source`.
    void apply_rules(std::string_view text, std::string_view source);
    /// A charm with no fixture: no config, no actions, a juju-info endpoint, active/idle.
    static Charm generic_charm(std::string name);

    nlohmann::json to_json() const;
    static Charm from_json(const nlohmann::json& doc);
};

/// Finds a charm by name: `<dir>/<name>.yaml` in `charms_dir` (when given), then the fixtures
/// built into the binary, then a generic charm, or (when `strict`) juju's "charm or bundle not
/// found" error, so a misspelt name cannot pass silently.
Charm find_charm(const std::string& name, const std::string& charms_dir, bool strict = false);

/// The rules file for `name` in `charms_dir`, if there is one (read with the size bound).
std::optional<std::string> read_charms_dir_file(const std::string& name,
                                                const std::string& charms_dir);

/// juju's error for a charm it cannot find, on Charmhub or at a path.
[[noreturn]] void throw_charm_not_found(std::string_view name);

/// The base a series name stands for ("jammy" -> "ubuntu@22.04"), as juju 3 still accepts in
/// metadata.yaml and --series; an unknown name is returned as it is.
std::string base_of_series(const std::string& series);

/// The names of the fixtures built into the binary.
std::vector<std::string> builtin_charm_names();

}  // namespace jubilant::fake
