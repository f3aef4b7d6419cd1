// Typed view of `juju show-model --format json`, mirroring Jubilant's modeltypes module.
//
// Names follow Jubilant (JSON keys with hyphens become snake_case). Fields Jubilant requires are
// marked "Required"; ModelInfo::from_json() rejects documents that lack them. Optional text
// fields default to "" (absent and null alike, as Jubilant's `d.get(key) or ''`).
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jubilant {

/// The cloud credential a model uses.
struct ModelCredential {
    std::string name{};            ///< Required: credential name.
    std::string owner{};           ///< Required: user who owns the credential.
    std::string cloud{};           ///< Required: cloud the credential is for.
    std::string validity_check{};  ///< Result of Juju's last validity check, e.g. "valid".

    /// Member-wise comparison.
    bool operator==(const ModelCredential&) const = default;
};

/// The model's status, and its migration progress while it is being migrated.
struct ModelStatusInfo {
    std::string current{};          ///< Status, e.g. "available" or "busy".
    std::string message{};          ///< Status message.
    std::string reason{};           ///< Why the model is in this status.
    std::string since{};            ///< When the status last changed, as Juju prints it.
    std::string migration{};        ///< Migration status message, while migrating.
    std::string migration_start{};  ///< When the migration started.
    std::string migration_end{};    ///< When the migration ended.

    /// Member-wise comparison.
    bool operator==(const ModelStatusInfo&) const = default;
};

/// One user's access to the model.
struct ModelUserInfo {
    std::string access{};           ///< Required: "read", "write" or "admin".
    std::string last_connection{};  ///< Required: e.g. "58 minutes ago" or "never connected".
    std::string display_name{};     ///< The user's display name.

    /// Member-wise comparison.
    bool operator==(const ModelUserInfo&) const = default;
};

/// A machine in the model, as summarised by show-model.
struct ModelMachineInfo {
    int cores = 0;  ///< Required: number of CPU cores.

    /// Member-wise comparison.
    bool operator==(const ModelMachineInfo&) const = default;
};

/// A secret backend available to the model.
struct SecretBackendInfo {
    int num_secrets = 0;    ///< Required: number of secrets stored in the backend.
    std::string status{};   ///< Required: backend status, e.g. "active".
    std::string message{};  ///< Status message.

    /// Member-wise comparison.
    bool operator==(const SecretBackendInfo&) const = default;
};

/// A feature the model supports.
struct SupportedFeature {
    std::string name{};         ///< Required: feature name, e.g. "juju".
    std::string description{};  ///< Required: what the feature is.
    std::string version{};      ///< Feature version, if it has one.

    /// Member-wise comparison.
    bool operator==(const SupportedFeature&) const = default;
};

/// Parsed `juju show-model --format json`.
struct ModelInfo {
    std::string name{};             ///< Required: qualified name, e.g. "admin/mymodel".
    std::string short_name{};       ///< Required: the name without the owner, e.g. "mymodel".
    std::string model_uuid{};       ///< Required.
    std::string model_type{};       ///< Required: "iaas", or "caas" for a Kubernetes model.
    std::string controller_uuid{};  ///< Required.
    std::string controller_name{};  ///< Required.
    bool is_controller = false;     ///< Required: whether this is the controller model.
    std::string cloud{};            ///< Required: cloud name, e.g. "aws" or "localhost".
    std::string life{};             ///< Required: "alive", "dying" or "dead".

    std::string region{};      ///< Cloud region.
    std::string type{};        ///< Cloud type, e.g. "lxd".
    ModelStatusInfo status{};  ///< Model status.
    /// Users with access to the model, by user name.
    std::map<std::string, ModelUserInfo> users{};
    /// Machines in the model, by machine ID.
    std::map<std::string, ModelMachineInfo> machines{};
    /// Secret backends, by backend name.
    std::map<std::string, SecretBackendInfo> secret_backends{};
    std::string agent_version{};                         ///< Juju agent version of the model.
    std::optional<ModelCredential> credential{};         ///< Credential, when the model has one.
    std::vector<SupportedFeature> supported_features{};  ///< Features the model supports.

    /// Parses `juju show-model --format json` output: an object with one entry keyed by the
    /// model name, whose value is read. Unknown keys are ignored; absent (or null) optional
    /// fields keep their defaults. Throws ParseError, naming the JSON path, when the text is
    /// not JSON, the object is empty, a required field is missing or a field has the wrong type.
    static ModelInfo from_json(std::string_view json);

    /// Member-wise comparison.
    bool operator==(const ModelInfo&) const = default;
};

// Readable rendering in the layout of Jubilant's repr: ClassName(field=value, ...), fields at
// their default left out, one field per line once a line would pass 150 columns.

/// Prints `value` in the layout described above.
std::ostream& operator<<(std::ostream& os, const ModelCredential& value);
/// Prints `value` in the layout described above.
std::ostream& operator<<(std::ostream& os, const ModelStatusInfo& value);
/// Prints `value` in the layout described above.
std::ostream& operator<<(std::ostream& os, const ModelUserInfo& value);
/// Prints `value` in the layout described above.
std::ostream& operator<<(std::ostream& os, const ModelMachineInfo& value);
/// Prints `value` in the layout described above.
std::ostream& operator<<(std::ostream& os, const SecretBackendInfo& value);
/// Prints `value` in the layout described above.
std::ostream& operator<<(std::ostream& os, const SupportedFeature& value);
/// Prints `value` in the layout described above.
std::ostream& operator<<(std::ostream& os, const ModelInfo& value);

}  // namespace jubilant
