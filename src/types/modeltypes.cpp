#include <jubilant/modeltypes.hpp>

#include <ostream>

#include <jubilant/value.hpp>

#include "types/json_reader.hpp"
#include "print/repr_fields.hpp"

namespace jubilant {
namespace {

using detail::Repr;
using json_reader::Json;
using json_reader::Node;
using repr_fields::add_text;
using repr_fields::text_repr;

// ---------------------------------------------------------------------------------------------
// Readers

ModelCredential read_credential(const Node& node) {
    return ModelCredential{
        .name = node.field("name").as_string(),
        .owner = node.field("owner").as_string(),
        .cloud = node.field("cloud").as_string(),
        .validity_check = node.string_or_empty("validity-check"),
    };
}

ModelStatusInfo read_status(const Node& node) {
    return ModelStatusInfo{
        .current = node.string_or_empty("current"),
        .message = node.string_or_empty("message"),
        .reason = node.string_or_empty("reason"),
        .since = node.string_or_empty("since"),
        .migration = node.string_or_empty("migration"),
        .migration_start = node.string_or_empty("migration-start"),
        .migration_end = node.string_or_empty("migration-end"),
    };
}

ModelUserInfo read_user(const Node& node) {
    return ModelUserInfo{
        .access = node.field("access").as_string(),
        .last_connection = node.field("last-connection").as_string(),
        .display_name = node.string_or_empty("display-name"),
    };
}

ModelMachineInfo read_machine(const Node& node) {
    return ModelMachineInfo{.cores = node.field("cores").as_int()};
}

SecretBackendInfo read_secret_backend(const Node& node) {
    return SecretBackendInfo{
        .num_secrets = node.field("num-secrets").as_int(),
        .status = node.field("status").as_string(),
        .message = node.string_or_empty("message"),
    };
}

SupportedFeature read_feature(const Node& node) {
    return SupportedFeature{
        .name = node.field("name").as_string(),
        .description = node.field("description").as_string(),
        .version = node.string_or_empty("version"),
    };
}

// Jubilant reads the required fields first, so a document missing several reports the first
// of them in this order.
ModelInfo read_model(const Node& node) {
    ModelInfo out;
    out.name = node.field("name").as_string();
    out.short_name = node.field("short-name").as_string();
    out.model_uuid = node.field("model-uuid").as_string();
    out.model_type = node.field("model-type").as_string();
    out.controller_uuid = node.field("controller-uuid").as_string();
    out.controller_name = node.field("controller-name").as_string();
    out.is_controller = node.field("is-controller").as_bool();
    out.cloud = node.field("cloud").as_string();
    out.life = node.field("life").as_string();
    out.region = node.string_or_empty("region");
    out.type = node.string_or_empty("type");
    if (const auto status = node.optional_field("status")) out.status = read_status(*status);
    if (const auto users = node.optional_field("users")) out.users = users->map_of(read_user);
    if (const auto machines = node.optional_field("machines")) {
        out.machines = machines->map_of(read_machine);
    }
    if (const auto backends = node.optional_field("secret-backends")) {
        out.secret_backends = backends->map_of(read_secret_backend);
    }
    out.agent_version = node.string_or_empty("agent-version");
    if (const auto credential = node.optional_field("credential")) {
        out.credential = read_credential(*credential);
    }
    if (const auto features = node.optional_field("supported-features")) {
        out.supported_features = features->list_of(read_feature);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Printing

Repr credential_repr(const ModelCredential& value) {
    Repr r = Repr::record("ModelCredential");
    r.field("name", text_repr(value.name));
    r.field("owner", text_repr(value.owner));
    r.field("cloud", text_repr(value.cloud));
    add_text(r, "validity_check", value.validity_check);
    return r;
}

Repr status_repr(const ModelStatusInfo& value) {
    Repr r = Repr::record("ModelStatusInfo");
    add_text(r, "current", value.current);
    add_text(r, "message", value.message);
    add_text(r, "reason", value.reason);
    add_text(r, "since", value.since);
    add_text(r, "migration", value.migration);
    add_text(r, "migration_start", value.migration_start);
    add_text(r, "migration_end", value.migration_end);
    return r;
}

Repr user_repr(const ModelUserInfo& value) {
    Repr r = Repr::record("ModelUserInfo");
    r.field("access", text_repr(value.access));
    r.field("last_connection", text_repr(value.last_connection));
    add_text(r, "display_name", value.display_name);
    return r;
}

Repr machine_repr(const ModelMachineInfo& value) {
    Repr r = Repr::record("ModelMachineInfo");
    r.field("cores", Repr::scalar(std::to_string(value.cores)));
    return r;
}

Repr secret_backend_repr(const SecretBackendInfo& value) {
    Repr r = Repr::record("SecretBackendInfo");
    r.field("num_secrets", Repr::scalar(std::to_string(value.num_secrets)));
    r.field("status", text_repr(value.status));
    add_text(r, "message", value.message);
    return r;
}

Repr feature_repr(const SupportedFeature& value) {
    Repr r = Repr::record("SupportedFeature");
    r.field("name", text_repr(value.name));
    r.field("description", text_repr(value.description));
    add_text(r, "version", value.version);
    return r;
}

template <class T, class F>
void add_map(Repr& r, std::string name, const std::map<std::string, T>& map, F repr) {
    if (map.empty()) return;
    Repr dict = Repr::dict();
    for (const auto& [key, item] : map) dict.entry(key, repr(item));
    r.field(std::move(name), std::move(dict));
}

Repr model_repr(const ModelInfo& value) {
    Repr r = Repr::record("ModelInfo");
    r.field("name", text_repr(value.name));
    r.field("short_name", text_repr(value.short_name));
    r.field("model_uuid", text_repr(value.model_uuid));
    r.field("model_type", text_repr(value.model_type));
    r.field("controller_uuid", text_repr(value.controller_uuid));
    r.field("controller_name", text_repr(value.controller_name));
    r.field("is_controller", Repr::scalar(value.is_controller ? "True" : "False"));
    r.field("cloud", text_repr(value.cloud));
    r.field("life", text_repr(value.life));
    add_text(r, "region", value.region);
    add_text(r, "type", value.type);
    if (value.status != ModelStatusInfo{}) r.field("status", status_repr(value.status));
    add_map(r, "users", value.users, user_repr);
    add_map(r, "machines", value.machines, machine_repr);
    add_map(r, "secret_backends", value.secret_backends, secret_backend_repr);
    add_text(r, "agent_version", value.agent_version);
    if (value.credential) r.field("credential", credential_repr(*value.credential));
    if (!value.supported_features.empty()) {
        Repr list = Repr::list();
        for (const SupportedFeature& feature : value.supported_features) {
            list.item(feature_repr(feature));
        }
        r.field("supported_features", std::move(list));
    }
    return r;
}

}  // namespace

ModelInfo ModelInfo::from_json(std::string_view json) {
    const Json document = json_reader::parse(json, "show-model");
    return read_model(Node(document, "show-model").first_entry().second);
}

std::ostream& operator<<(std::ostream& os, const ModelCredential& value) {
    return os << credential_repr(value).dump();
}

std::ostream& operator<<(std::ostream& os, const ModelStatusInfo& value) {
    return os << status_repr(value).dump();
}

std::ostream& operator<<(std::ostream& os, const ModelUserInfo& value) {
    return os << user_repr(value).dump();
}

std::ostream& operator<<(std::ostream& os, const ModelMachineInfo& value) {
    return os << machine_repr(value).dump();
}

std::ostream& operator<<(std::ostream& os, const SecretBackendInfo& value) {
    return os << secret_backend_repr(value).dump();
}

std::ostream& operator<<(std::ostream& os, const SupportedFeature& value) {
    return os << feature_repr(value).dump();
}

std::ostream& operator<<(std::ostream& os, const ModelInfo& value) {
    return os << model_repr(value).dump();
}

}  // namespace jubilant
