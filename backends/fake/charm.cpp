#include "charm.hpp"

#include <yaml-cpp/yaml.h>

#include "errors.hpp"
#include "private_files.hpp"

namespace jubilant::fake {

// Generated at build time from fixtures/charms/*.yaml (embedded_charms.cpp).
struct EmbeddedCharm {
    const char* name;
    const char* yaml;
};
extern const EmbeddedCharm embedded_charms[];
extern const std::size_t embedded_charm_count;

namespace {

class FixtureReader {
public:
    explicit FixtureReader(std::string_view source) : source_(source) {}

    [[noreturn]] void fail(const YAML::Node& node, const std::string& what) const {
        const YAML::Mark mark = node.Mark();
        if (mark.is_null()) throw CommandError("charm fixture " + source_ + ": " + what);
        throw CommandError("charm fixture " + source_ + ":" + std::to_string(mark.line + 1) +
                           ":" + std::to_string(mark.column + 1) + ": " + what);
    }

    void require_map(const YAML::Node& node, const std::string& where) const {
        if (!node.IsMap()) fail(node, "expected a mapping for " + where);
    }

    std::string scalar(const YAML::Node& node, const std::string& where) const {
        if (!node.IsScalar()) fail(node, "expected a string for " + where);
        return node.Scalar();
    }

    std::string optional_scalar(const YAML::Node& parent, const char* key,
                                const std::string& where, std::string fallback = {}) const {
        const YAML::Node node = parent[key];
        if (!node || node.IsNull()) return fallback;
        return scalar(node, where + "." + key);
    }

    bool boolean(const YAML::Node& node, const std::string& where) const {
        try {
            return node.as<bool>();
        } catch (const YAML::Exception&) {
            fail(node, "expected true or false for " + where);
        }
    }

    // Scalars become JSON with the YAML type the option declares, so "5432" is a number
    // for an int option and a string for a string option.
    nlohmann::json typed_value(const YAML::Node& node, const std::string& type,
                               const std::string& where) const {
        try {
            if (type == "int") return node.as<std::int64_t>();
            if (type == "float") return node.as<double>();
            if (type == "boolean") return node.as<bool>();
            return node.as<std::string>();
        } catch (const YAML::Exception&) {
            fail(node, "expected a " + type + " value for " + where);
        }
    }

    nlohmann::json any_value(const YAML::Node& node) const {
        if (node.IsMap()) {
            nlohmann::json out = nlohmann::json::object();
            for (const auto& item : node) out[item.first.Scalar()] = any_value(item.second);
            return out;
        }
        if (node.IsSequence()) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& item : node) out.push_back(any_value(item));
            return out;
        }
        if (node.IsNull()) return nullptr;
        return node.Scalar();
    }

private:
    std::string source_;
};

const char* const option_types[] = {"string", "int", "float", "boolean", "secret"};
const char* const rule_conditions[] = {"missing-relation", "missing-config", "untrusted",
                                       "config-equals"};
const char* const rule_statuses[] = {"active", "blocked", "waiting", "maintenance", "error"};

template <std::size_t N>
bool one_of(const std::string& value, const char* const (&allowed)[N]) {
    for (const char* item : allowed) {
        if (value == item) return true;
    }
    return false;
}

template <std::size_t N>
std::string join(const char* const (&items)[N]) {
    std::string out;
    for (const char* item : items) out += (out.empty() ? "" : ", ") + std::string(item);
    return out;
}

}  // namespace

const Endpoint* Charm::endpoint(std::string_view endpoint_name) const {
    for (const Endpoint& e : endpoints) {
        if (e.name == endpoint_name) return &e;
    }
    return nullptr;
}

Charm Charm::from_yaml(std::string_view text, std::string_view source) {
    const FixtureReader reader(source);
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
        throw CommandError("charm fixture " + std::string(source) + ":" +
                           std::to_string(e.mark.line + 1) + ":" +
                           std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg);
    }
    reader.require_map(root, "the charm");
    Charm charm;
    if (!root["name"]) reader.fail(root, "missing required key \"name\"");
    charm.name = reader.scalar(root["name"], "name");
    charm.summary = reader.optional_scalar(root, "summary", "charm");
    if (root["revision"]) {
        try {
            charm.revision = root["revision"].as<int>();
        } catch (const YAML::Exception&) {
            reader.fail(root["revision"], "expected an integer for revision");
        }
    }
    charm.channel = reader.optional_scalar(root, "channel", "charm", charm.channel);
    charm.base = reader.optional_scalar(root, "base", "charm", charm.base);
    charm.workload_version = reader.optional_scalar(root, "workload-version", "charm");
    if (root["subordinate"]) charm.subordinate = reader.boolean(root["subordinate"], "subordinate");
    if (root["kubernetes"]) charm.kubernetes = reader.boolean(root["kubernetes"], "kubernetes");

    if (const YAML::Node config = root["config"]; config && !config.IsNull()) {
        reader.require_map(config, "config");
        for (const auto& item : config) {
            const std::string key = item.first.Scalar();
            const std::string where = "config." + key;
            reader.require_map(item.second, where);
            ConfigOption option;
            option.type = reader.optional_scalar(item.second, "type", where, "string");
            if (!one_of(option.type, option_types)) {
                reader.fail(item.second["type"], "unknown option type \"" + option.type +
                                                     "\" for " + where + " (expected one of " +
                                                     join(option_types) + ")");
            }
            option.description = reader.optional_scalar(item.second, "description", where);
            if (const YAML::Node def = item.second["default"]; def && !def.IsNull()) {
                option.default_value = reader.typed_value(def, option.type, where + ".default");
            }
            charm.options.emplace(key, std::move(option));
        }
    }

    if (const YAML::Node actions = root["actions"]; actions && !actions.IsNull()) {
        reader.require_map(actions, "actions");
        for (const auto& item : actions) {
            const std::string name = item.first.Scalar();
            const std::string where = "actions." + name;
            ActionSpec action;
            if (!item.second.IsNull()) {
                reader.require_map(item.second, where);
                action.description = reader.optional_scalar(item.second, "description", where);
                if (const YAML::Node params = item.second["params"]; params) {
                    reader.require_map(params, where + ".params");
                    action.params = reader.any_value(params);
                }
                if (const YAML::Node required = item.second["required"]; required) {
                    if (!required.IsSequence()) {
                        reader.fail(required, "expected a list for " + where + ".required");
                    }
                    for (const auto& r : required) {
                        action.required.push_back(reader.scalar(r, where + ".required"));
                    }
                }
                if (const YAML::Node results = item.second["results"]; results) {
                    reader.require_map(results, where + ".results");
                    action.results = reader.any_value(results);
                }
                if (item.second["fail"]) {
                    action.fail = reader.scalar(item.second["fail"], where + ".fail");
                }
            }
            charm.actions.emplace(name, std::move(action));
        }
    }

    for (const auto& [section, role] : {std::pair{"provides", "provider"},
                                        std::pair{"requires", "requirer"},
                                        std::pair{"peers", "peer"}}) {
        const YAML::Node endpoints = root[section];
        if (!endpoints || endpoints.IsNull()) continue;
        reader.require_map(endpoints, section);
        for (const auto& item : endpoints) {
            const std::string where = std::string(section) + "." + item.first.Scalar();
            reader.require_map(item.second, where);
            if (!item.second["interface"]) {
                reader.fail(item.second, "missing required key \"interface\" in " + where);
            }
            charm.endpoints.push_back(
                {.name = item.first.Scalar(),
                 .interface = reader.scalar(item.second["interface"], where + ".interface"),
                 .role = role,
                 .scope = reader.optional_scalar(item.second, "scope", where, "global")});
        }
    }

    // Every charm implicitly provides juju-info, which is what most subordinates attach to.
    if (!charm.endpoint("juju-info")) {
        charm.endpoints.push_back(
            {.name = "juju-info", .interface = "juju-info", .role = "provider", .scope = "global"});
    }

    if (const YAML::Node status = root["status"]; status && !status.IsNull()) {
        reader.require_map(status, "status");
        charm.active_message = reader.optional_scalar(status, "active-message", "status");
        if (const YAML::Node rules = status["rules"]; rules) {
            if (!rules.IsSequence()) reader.fail(rules, "expected a list for status.rules");
            for (const auto& node : rules) {
                reader.require_map(node, "a status rule");
                StatusRule rule;
                for (const char* condition : rule_conditions) {
                    if (!node[condition]) continue;
                    rule.condition = condition;
                    const YAML::Node value = node[condition];
                    if (rule.condition == "config-equals") {
                        if (!value.IsMap() || value.size() != 1) {
                            reader.fail(value, "expected {option: value} for config-equals");
                        }
                        rule.key = value.begin()->first.Scalar();
                        rule.value = reader.scalar(value.begin()->second, "config-equals");
                    } else {
                        rule.key = reader.scalar(value, condition);
                    }
                }
                if (rule.condition.empty()) {
                    reader.fail(node, "a status rule needs one of: " + join(rule_conditions));
                }
                rule.status = reader.optional_scalar(node, "status", "status rule", "blocked");
                if (!one_of(rule.status, rule_statuses)) {
                    reader.fail(node["status"], "unknown status \"" + rule.status +
                                                    "\" (expected one of " +
                                                    join(rule_statuses) + ")");
                }
                rule.message = reader.optional_scalar(node, "message", "status rule");
                charm.rules.push_back(std::move(rule));
            }
        }
    }
    return charm;
}

Charm Charm::generic_charm(std::string name) {
    Charm charm;
    charm.name = std::move(name);
    charm.generic = true;
    charm.endpoints.push_back(
        {.name = "juju-info", .interface = "juju-info", .role = "provider", .scope = "global"});
    return charm;
}

nlohmann::json Charm::to_json() const {
    nlohmann::json options_json = nlohmann::json::object();
    for (const auto& [key, o] : options) {
        options_json[key] = {{"type", o.type}, {"default", o.default_value},
                             {"description", o.description}};
    }
    nlohmann::json actions_json = nlohmann::json::object();
    for (const auto& [key, a] : actions) {
        actions_json[key] = {{"description", a.description}, {"params", a.params},
                             {"required", a.required},       {"results", a.results},
                             {"fail", a.fail ? nlohmann::json(*a.fail) : nlohmann::json()}};
    }
    nlohmann::json endpoints_json = nlohmann::json::array();
    for (const Endpoint& e : endpoints) {
        endpoints_json.push_back(
            {{"name", e.name}, {"interface", e.interface}, {"role", e.role}, {"scope", e.scope}});
    }
    nlohmann::json rules_json = nlohmann::json::array();
    for (const StatusRule& r : rules) {
        rules_json.push_back({{"condition", r.condition}, {"key", r.key}, {"value", r.value},
                              {"status", r.status}, {"message", r.message}});
    }
    return {{"name", name},
            {"summary", summary},
            {"revision", revision},
            {"channel", channel},
            {"base", base},
            {"workload-version", workload_version},
            {"subordinate", subordinate},
            {"kubernetes", kubernetes},
            {"generic", generic},
            {"options", options_json},
            {"actions", actions_json},
            {"endpoints", endpoints_json},
            {"rules", rules_json},
            {"active-message", active_message}};
}

Charm Charm::from_json(const nlohmann::json& doc) {
    Charm charm;
    charm.name = doc.at("name").get<std::string>();
    charm.summary = doc.at("summary").get<std::string>();
    charm.revision = doc.at("revision").get<int>();
    charm.channel = doc.at("channel").get<std::string>();
    charm.base = doc.at("base").get<std::string>();
    charm.workload_version = doc.at("workload-version").get<std::string>();
    charm.subordinate = doc.at("subordinate").get<bool>();
    charm.kubernetes = doc.at("kubernetes").get<bool>();
    charm.generic = doc.at("generic").get<bool>();
    for (const auto& [key, o] : doc.at("options").items()) {
        charm.options.emplace(key, ConfigOption{.type = o.at("type").get<std::string>(),
                                                .default_value = o.at("default"),
                                                .description = o.at("description")});
    }
    for (const auto& [key, a] : doc.at("actions").items()) {
        ActionSpec action{.description = a.at("description").get<std::string>(),
                          .params = a.at("params"),
                          .required = a.at("required").get<std::vector<std::string>>(),
                          .results = a.at("results"),
                          .fail = {}};
        if (!a.at("fail").is_null()) action.fail = a.at("fail").get<std::string>();
        charm.actions.emplace(key, std::move(action));
    }
    for (const auto& e : doc.at("endpoints")) {
        charm.endpoints.push_back({.name = e.at("name"), .interface = e.at("interface"),
                                   .role = e.at("role"), .scope = e.at("scope")});
    }
    for (const auto& r : doc.at("rules")) {
        charm.rules.push_back({.condition = r.at("condition"), .key = r.at("key"),
                               .value = r.at("value"), .status = r.at("status"),
                               .message = r.at("message")});
    }
    charm.active_message = doc.at("active-message").get<std::string>();
    return charm;
}

Charm find_charm(const std::string& name, const std::string& charms_dir) {
    if (!charms_dir.empty()) {
        const std::string path = charms_dir + "/" + name + ".yaml";
        std::optional<std::string> text;
        try {
            text = files::read_regular_file_if_exists(path);
        } catch (const files::FileError& e) {
            throw CommandError(e.what());
        }
        if (text) return Charm::from_yaml(*text, path);
    }
    for (std::size_t i = 0; i < embedded_charm_count; ++i) {
        if (name == embedded_charms[i].name) {
            return Charm::from_yaml(embedded_charms[i].yaml,
                                    "fixtures/charms/" + name + ".yaml");
        }
    }
    return Charm::generic_charm(name);
}

std::vector<std::string> builtin_charm_names() {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < embedded_charm_count; ++i) names.emplace_back(embedded_charms[i].name);
    return names;
}

}  // namespace jubilant::fake
