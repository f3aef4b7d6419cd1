#include "support/charm.hpp"

#include <map>

#include <yaml-cpp/yaml.h>

#include "engine.hpp"
#include "errors.hpp"
#include "support/embedded_charms.hpp"
#include "support/yaml_input.hpp"

namespace jubilant::fake {

namespace {

class FixtureReader {
public:
    /// `label` starts every error, e.g. "charm fixture <path>".
    explicit FixtureReader(std::string label) : label_(std::move(label)) {}

    [[noreturn]] void fail(const YAML::Node& node, const std::string& what) const {
        const YAML::Mark mark = node.Mark();
        if (mark.is_null()) throw CommandError(label_ + ": " + what);
        throw CommandError(label_ + ":" + std::to_string(mark.line + 1) + ":" +
                           std::to_string(mark.column + 1) + ": " + what);
    }

    void require_map(const YAML::Node& node, const std::string& where) const {
        if (!node.IsMap()) fail(node, "expected a mapping for " + where);
    }

    std::string scalar(const YAML::Node& node, const std::string& where) const {
        if (!node.IsScalar()) fail(node, "expected a string for " + where);
        return node.Scalar();
    }

    std::string optional_scalar(const YAML::Node& parent, const char* key, const std::string& where,
                                std::string fallback = {}) const {
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

private:
    std::string label_;
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
std::string comma_list(const char* const (&items)[N]) {
    std::string out;
    for (const char* item : items) out += (out.empty() ? "" : ", ") + std::string(item);
    return out;
}

}  // namespace

std::string base_of_series(const std::string& series) {
    static const std::map<std::string, std::string> known = {
        {"focal", "ubuntu@20.04"}, {"jammy", "ubuntu@22.04"}, {"noble", "ubuntu@24.04"}};
    const auto it = known.find(series);
    return it == known.end() ? series : it->second;
}

const Endpoint* Charm::endpoint(std::string_view endpoint_name) const {
    for (const Endpoint& e : endpoints) {
        if (e.name == endpoint_name) return &e;
    }
    return nullptr;
}

namespace {

YAML::Node parse_document(std::string_view text, const std::string& label) {
    try {
        return load_bounded_yaml(text);
    } catch (const YAML::ParserException& e) {
        throw CommandError(label + ":" + std::to_string(e.mark.line + 1) + ":" +
                           std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg);
    }
}

// `config` in a fixture, `options` in config.yaml and in charmcraft.yaml's `config`.
void read_options(const FixtureReader& reader, const YAML::Node& options, Charm& charm) {
    if (!options || options.IsNull()) return;
    reader.require_map(options, "config");
    for (const auto& item : options) {
        const std::string key = reader.scalar(item.first, "an option name");
        const std::string where = "config." + key;
        reader.require_map(item.second, where);
        ConfigOption option;
        option.type = reader.optional_scalar(item.second, "type", where, "string");
        if (!one_of(option.type, option_types)) {
            reader.fail(item.second["type"], "unknown option type \"" + option.type + "\" for " +
                                                 where + " (expected one of " +
                                                 comma_list(option_types) + ")");
        }
        option.description = reader.optional_scalar(item.second, "description", where);
        if (const YAML::Node def = item.second["default"]; def && !def.IsNull()) {
            option.default_value = reader.typed_value(def, option.type, where + ".default");
        }
        charm.options.insert_or_assign(key, std::move(option));
    }
}

// Fixtures and actions.yaml share juju's shape: {name: {description, params, required,
// additionalProperties}}; fixtures and rules files add `results` and `fail`.
ActionSpec read_action(const FixtureReader& reader, const std::string& name, const YAML::Node& node,
                       std::optional<bool> additional_properties_default) {
    const std::string where = "actions." + name;
    ActionSpec action{.additional_properties = additional_properties_default};
    if (node.IsNull()) return action;
    reader.require_map(node, where);
    action.description = reader.optional_scalar(node, "description", where);
    if (const YAML::Node params = node["params"]; params && !params.IsNull()) {
        reader.require_map(params, where + ".params");
        action.params = yaml_to_json(params, ScalarTyping::text);
    }
    if (const YAML::Node required = node["required"]; required) {
        if (!required.IsSequence())
            reader.fail(required, "expected a list for " + where + ".required");
        for (const auto& r : required)
            action.required.push_back(reader.scalar(r, where + ".required"));
    }
    if (const YAML::Node extra = node["additionalProperties"]; extra) {
        action.additional_properties = reader.boolean(extra, where + ".additionalProperties");
    }
    if (const YAML::Node results = node["results"]; results) {
        reader.require_map(results, where + ".results");
        action.results = yaml_to_json(results, ScalarTyping::text);
    }
    if (node["fail"]) action.fail = reader.scalar(node["fail"], where + ".fail");
    return action;
}

void read_actions(const FixtureReader& reader, const YAML::Node& actions, Charm& charm,
                  std::optional<bool> additional_properties_default) {
    if (!actions || actions.IsNull()) return;
    reader.require_map(actions, "actions");
    for (const auto& item : actions) {
        const std::string name = reader.scalar(item.first, "an action name");
        charm.actions.insert_or_assign(
            name, read_action(reader, name, item.second, additional_properties_default));
    }
}

void read_endpoints(const FixtureReader& reader, const YAML::Node& root, Charm& charm) {
    for (const auto& [section, role] :
         {std::pair{"provides", "provider"}, std::pair{"requires", "requirer"},
          std::pair{"peers", "peer"}}) {
        const YAML::Node endpoints = root[section];
        if (!endpoints || endpoints.IsNull()) continue;
        reader.require_map(endpoints, section);
        for (const auto& item : endpoints) {
            const std::string name = reader.scalar(item.first, "an endpoint name");
            const std::string where = std::string(section) + "." + name;
            reader.require_map(item.second, where);
            if (!item.second["interface"]) {
                reader.fail(item.second, "missing required key \"interface\" in " + where);
            }
            charm.endpoints.push_back(
                {.name = name,
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
}

void read_status(const FixtureReader& reader, const YAML::Node& status, Charm& charm) {
    if (!status || status.IsNull()) return;
    reader.require_map(status, "status");
    charm.active_message = reader.optional_scalar(status, "active-message", "status");
    const YAML::Node rules = status["rules"];
    if (!rules) return;
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
            reader.fail(node, "a status rule needs one of: " + comma_list(rule_conditions));
        }
        rule.status = reader.optional_scalar(node, "status", "status rule", "blocked");
        if (!one_of(rule.status, rule_statuses)) {
            reader.fail(node["status"], "unknown status \"" + rule.status + "\" (expected one of " +
                                            comma_list(rule_statuses) + ")");
        }
        rule.message = reader.optional_scalar(node, "message", "status rule");
        charm.rules.push_back(std::move(rule));
    }
}

}  // namespace

Charm Charm::from_yaml(std::string_view text, std::string_view source) {
    const std::string label = "charm fixture " + std::string(source);
    const FixtureReader reader(label);
    const YAML::Node root = parse_document(text, label);
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
    read_options(reader, root["config"], charm);
    read_actions(reader, root["actions"], charm, false);
    read_endpoints(reader, root, charm);
    read_status(reader, root["status"], charm);
    return charm;
}

void Charm::apply_rules(std::string_view text, std::string_view source) {
    const std::string label = "charm rules " + std::string(source);
    const FixtureReader reader(label);
    const YAML::Node root = parse_document(text, label);
    if (root.IsNull()) return;
    reader.require_map(root, "the rules");
    // The same schema as a fixture, so one file serves both; but the charm's own files say
    // what it is (name, config, endpoints), and the rules only what its code would do.
    settled_status = "active";  // a charm whose behaviour is declared sets its status
    workload_version = reader.optional_scalar(root, "workload-version", "rules", workload_version);
    if (const YAML::Node acts = root["actions"]; acts && !acts.IsNull()) {
        reader.require_map(acts, "actions");
        for (const auto& item : acts) {
            const std::string name = reader.scalar(item.first, "an action name");
            const auto it = actions.find(name);
            if (it == actions.end()) {
                reader.fail(item.first, "action \"" + name + "\" is not declared by charm \"" +
                                            this->name + "\"");
            }
            const ActionSpec declared = read_action(reader, name, item.second, false);
            it->second.results = declared.results;
            it->second.fail = declared.fail;
        }
    }
    if (const YAML::Node status = root["status"]; status && !status.IsNull()) {
        rules.clear();
        read_status(reader, status, *this);
    }
}

namespace {

// {name: ubuntu, channel: "22.04"} as "ubuntu@22.04".
std::string base_of(const FixtureReader& reader, const YAML::Node& node, const std::string& where) {
    if (node.IsScalar()) return node.Scalar();
    reader.require_map(node, where);
    return reader.optional_scalar(node, "name", where, "ubuntu") + "@" +
           reader.optional_scalar(node, "channel", where, "22.04");
}

// The bases from manifest.yaml (packed charms), else charmcraft.yaml (`base`, `bases` with
// or without `run-on`), else metadata.yaml's `series`.
void read_bases(const FixtureReader& manifest_reader, const YAML::Node& manifest,
                const FixtureReader& charmcraft_reader, const YAML::Node& charmcraft,
                const FixtureReader& metadata_reader, const YAML::Node& metadata, Charm& charm) {
    auto from_list = [&](const FixtureReader& reader, const YAML::Node& bases) {
        if (!bases.IsSequence()) reader.fail(bases, "expected a list for bases");
        for (const auto& item : bases) {
            if (item.IsMap() && item["run-on"]) {
                const YAML::Node run_on = item["run-on"];
                if (!run_on.IsSequence()) reader.fail(run_on, "expected a list for bases.run-on");
                for (const auto& r : run_on)
                    charm.bases.push_back(base_of(reader, r, "bases.run-on"));
            } else {
                charm.bases.push_back(base_of(reader, item, "bases"));
            }
        }
    };
    if (manifest.IsMap() && manifest["bases"]) {
        from_list(manifest_reader, manifest["bases"]);
    } else if (charmcraft.IsMap() && charmcraft["base"]) {
        charm.bases.push_back(charmcraft_reader.scalar(charmcraft["base"], "base"));
    } else if (charmcraft.IsMap() && charmcraft["bases"]) {
        from_list(charmcraft_reader, charmcraft["bases"]);
    } else if (metadata.IsMap() && metadata["series"]) {
        const YAML::Node series = metadata["series"];
        if (!series.IsSequence()) metadata_reader.fail(series, "expected a list for series");
        for (const auto& item : series) {
            charm.bases.push_back(base_of_series(metadata_reader.scalar(item, "series")));
        }
    }
    if (!charm.bases.empty()) charm.base = charm.bases.front();
}

}  // namespace

Charm Charm::from_charm_files(const std::map<std::string, std::string>& files,
                              std::string_view source) {
    std::map<std::string, FixtureReader> readers;
    std::map<std::string, YAML::Node> docs;
    for (const char* file :
         {"metadata.yaml", "config.yaml", "actions.yaml", "charmcraft.yaml", "manifest.yaml"}) {
        const std::string label = std::string(source) + "/" + file;
        readers.emplace(file, FixtureReader(label));
        YAML::Node doc;
        if (const auto it = files.find(file); it != files.end()) {
            doc = parse_document(it->second, label);
            if (!doc.IsNull()) readers.at(file).require_map(doc, file);
        }
        docs.emplace(file, doc);
    }
    // charmcraft.yaml holds everything when there is no metadata.yaml (the unified format).
    const bool unified = !files.contains("metadata.yaml");
    const std::string meta_file = unified ? "charmcraft.yaml" : "metadata.yaml";
    const FixtureReader& meta_reader = readers.at(meta_file);
    const YAML::Node meta = docs.at(meta_file);
    if (!files.contains(meta_file)) {
        throw CommandError(std::string(source) +
                           ": no metadata.yaml or charmcraft.yaml: not a charm");
    }
    if (!meta.IsMap() || !meta["name"]) meta_reader.fail(meta, "missing required key \"name\"");

    Charm charm;
    charm.generic = false;
    charm.revision = 0;
    charm.channel = {};
    charm.settled_status = "unknown";
    charm.name = meta_reader.scalar(meta["name"], "name");
    charm.summary = meta_reader.optional_scalar(meta, "summary", "charm");
    if (meta["subordinate"])
        charm.subordinate = meta_reader.boolean(meta["subordinate"], "subordinate");
    read_endpoints(meta_reader, meta, charm);
    if (const YAML::Node containers = meta["containers"]; containers && !containers.IsNull()) {
        meta_reader.require_map(containers, "containers");
        for (const auto& item : containers) {
            charm.containers.push_back(meta_reader.scalar(item.first, "a container name"));
        }
    }
    charm.kubernetes = !charm.containers.empty();
    if (const YAML::Node resources = meta["resources"]; resources && !resources.IsNull()) {
        meta_reader.require_map(resources, "resources");
        charm.resources = yaml_to_json(resources, ScalarTyping::text);
    }
    if (const YAML::Node assumes = meta["assumes"]; assumes && !assumes.IsNull()) {
        if (!assumes.IsSequence()) meta_reader.fail(assumes, "expected a list for assumes");
        charm.assumes = yaml_to_json(assumes, ScalarTyping::text);
    }

    if (unified) {
        if (const YAML::Node config = meta["config"]; config && !config.IsNull()) {
            meta_reader.require_map(config, "config");
            read_options(meta_reader, config["options"], charm);
        }
        read_actions(meta_reader, meta["actions"], charm, std::nullopt);
    } else {
        if (const YAML::Node config = docs.at("config.yaml"); config.IsMap()) {
            read_options(readers.at("config.yaml"), config["options"], charm);
        }
        read_actions(readers.at("actions.yaml"), docs.at("actions.yaml"), charm, std::nullopt);
    }
    read_bases(readers.at("manifest.yaml"), docs.at("manifest.yaml"), readers.at("charmcraft.yaml"),
               docs.at("charmcraft.yaml"), meta_reader, meta, charm);
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
        options_json[key] = {
            {"type", o.type}, {"default", o.default_value}, {"description", o.description}};
    }
    nlohmann::json actions_json = nlohmann::json::object();
    for (const auto& [key, a] : actions) {
        actions_json[key] = {{"description", a.description},
                             {"params", a.params},
                             {"required", a.required},
                             {"results", a.results},
                             {"fail", a.fail ? nlohmann::json(*a.fail) : nlohmann::json()},
                             {"additional-properties",
                              a.additional_properties ? nlohmann::json(*a.additional_properties)
                                                      : nlohmann::json()}};
    }
    nlohmann::json endpoints_json = nlohmann::json::array();
    for (const Endpoint& e : endpoints) {
        endpoints_json.push_back(
            {{"name", e.name}, {"interface", e.interface}, {"role", e.role}, {"scope", e.scope}});
    }
    nlohmann::json rules_json = nlohmann::json::array();
    for (const StatusRule& r : rules) {
        rules_json.push_back({{"condition", r.condition},
                              {"key", r.key},
                              {"value", r.value},
                              {"status", r.status},
                              {"message", r.message}});
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
            {"active-message", active_message},
            {"settled-status", settled_status},
            {"containers", containers},
            {"resources", resources},
            {"assumes", assumes},
            {"bases", bases}};
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
                          .fail = {},
                          .additional_properties = {}};
        if (const auto extra = a.find("additional-properties");
            extra != a.end() && extra->is_boolean()) {
            action.additional_properties = extra->get<bool>();
        }
        if (!a.at("fail").is_null()) action.fail = a.at("fail").get<std::string>();
        charm.actions.emplace(key, std::move(action));
    }
    for (const auto& e : doc.at("endpoints")) {
        charm.endpoints.push_back({.name = e.at("name"),
                                   .interface = e.at("interface"),
                                   .role = e.at("role"),
                                   .scope = e.at("scope")});
    }
    for (const auto& r : doc.at("rules")) {
        charm.rules.push_back({.condition = r.at("condition"),
                               .key = r.at("key"),
                               .value = r.at("value"),
                               .status = r.at("status"),
                               .message = r.at("message")});
    }
    charm.active_message = doc.at("active-message").get<std::string>();
    // Absent from apps deployed by an older fake-juju in the same data directory.
    charm.settled_status = doc.value("settled-status", "active");
    charm.containers = doc.value("containers", std::vector<std::string>{});
    charm.resources = doc.value("resources", nlohmann::json::object());
    charm.assumes = doc.value("assumes", nlohmann::json::array());
    charm.bases = doc.value("bases", std::vector<std::string>{});
    return charm;
}

void throw_charm_not_found(std::string_view name) {
    throw CommandError("cannot resolve charm or bundle \"" + std::string(name) +
                       "\": charm or bundle not found");
}

std::optional<std::string> read_charms_dir_file(const std::string& name,
                                                const std::string& charms_dir) {
    if (charms_dir.empty()) return std::nullopt;
    return read_disk_file(charms_dir + "/" + name + ".yaml", YamlLimits{}.max_bytes);
}

Charm find_charm(const std::string& name, const std::string& charms_dir, bool strict) {
    if (auto text = read_charms_dir_file(name, charms_dir)) {
        return Charm::from_yaml(*text, charms_dir + "/" + name + ".yaml");
    }
    for (std::size_t i = 0; i < embedded_charm_count; ++i) {
        if (name == embedded_charms[i].name) {
            return Charm::from_yaml(embedded_charms[i].yaml, "fixtures/charms/" + name + ".yaml");
        }
    }
    if (strict) throw_charm_not_found(name);
    return Charm::generic_charm(name);
}

std::vector<std::string> builtin_charm_names() {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < embedded_charm_count; ++i)
        names.emplace_back(embedded_charms[i].name);
    return names;
}

}  // namespace jubilant::fake
