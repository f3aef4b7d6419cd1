// Actions: run, on one or more units (their application's charm fixture says what each
// action returns).
//
// Nothing runs anywhere: an action's results are templated from its params, and `fail` in the
// fixture makes the task fail.
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "commands/targets.hpp"
#include "commands/tasks.hpp"
#include "state/debug_log.hpp"
#include "state/model_state.hpp"
#include "support/names.hpp"
#include "support/yaml_input.hpp"

namespace jubilant::fake {
namespace {

// juju's "plain" format: a single task's results as YAML then its stdout and stderr; several
// tasks as a YAML map of their summaries.
std::string plain_output(const TaskMap& tasks) {
    auto results_yaml = [](const TaskResult& task) {
        ojson copy = ojson::object();
        for (const auto& [key, item] : task.results.items()) {
            if (key != "return-code" && key != "stdout" && key != "stderr") {
                copy[key] = ojson::parse(
                    item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
            }
        }
        return copy.empty() ? std::string() : to_yaml(copy);
    };
    if (tasks.size() > 1) {
        ojson doc = ojson::object();
        for (const auto& [key, task] : tasks) {
            ojson entry = {{"id", task.id}};
            if (!task.message.empty()) entry["message"] = task.message;
            entry["output"] = results_yaml(task);
            entry["status"] = task.status;
            doc[key] = std::move(entry);
        }
        return to_yaml(doc);
    }
    std::string out;
    for (const auto& [key, task] : tasks) {
        if (task.status == "failed") {
            out += fmt::format("Action id {} failed: {}\n", task.id, task.message);
        }
        out += results_yaml(task) + "\n";
        for (const char* stream : {"stdout", "stderr"}) {
            if (auto it = task.results.find(stream); it != task.results.end() && it->is_string()) {
                std::string text = it->get<std::string>();
                while (!text.empty() && text.back() == '\n') text.pop_back();
                while (!text.empty() && text.front() == '\n') text.erase(0, 1);
                if (!text.empty()) out += text + "\n";
            }
        }
    }
    return out;
}

void add_value_to_map(nlohmann::json& target, const std::vector<std::string>& keys,
                      nlohmann::json value) {
    nlohmann::json* next = &target;
    for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
        nlohmann::json& child = (*next)[keys[i]];
        if (!child.is_object()) child = nlohmann::json::object();
        next = &child;
    }
    (*next)[keys.back()] = std::move(value);
}

nlohmann::json parse_yaml_value(Context& ctx, const std::string& text, const std::string& key) {
    try {
        return yaml_to_json(load_bounded_yaml(text), ScalarTyping::go_yaml_v2);
    } catch (const YAML::Exception& e) {
        throw UsageError(ctx.command,
                         fmt::format("cannot parse the value of \"{}\" as YAML: {}", key, e.msg));
    }
}

// The action's params from --params and the key=value arguments (which win).
nlohmann::json action_params(Context& ctx, const std::vector<std::string>& assignments) {
    nlohmann::json params = nlohmann::json::object();
    if (auto path = ctx.args.value("params")) {
        const std::string text = read_argument_file(ctx, *path);
        YAML::Node doc;
        try {
            doc = load_bounded_yaml(text);
        } catch (const YAML::Exception& e) {
            throw CommandError(fmt::format("cannot parse params file {}: line {}, column {}: {}",
                                           *path, e.mark.line + 1, e.mark.column + 1, e.msg));
        }
        if (doc.IsDefined() && !doc.IsNull()) {
            if (!doc.IsMap()) throw CommandError("params must contain a YAML map with string keys");
            params = yaml_to_json(doc, ScalarTyping::go_yaml_v2);
        }
    }
    for (const std::string& arg : assignments) {
        const auto equals = arg.find('=');
        if (equals == std::string::npos) {
            throw UsageError(
                ctx.command,
                fmt::format("argument \"{}\" must be of the form key.key.key...=value", arg));
        }
        const std::vector<std::string> keys = split(std::string_view(arg).substr(0, equals), '.');
        for (const std::string& key : keys) {
            if (!valid_action_name(key)) {
                throw UsageError(ctx.command,
                                 fmt::format("key \"{}\" must start and end with lowercase "
                                             "alphanumeric, and contain only lowercase "
                                             "alphanumeric and hyphens",
                                             key));
            }
        }
        if (keys.empty()) {
            throw UsageError(ctx.command, "argument must be of the form key.key.key...=value");
        }
        const std::string text = arg.substr(equals + 1);
        add_value_to_map(params, keys,
                         ctx.args.flag("string-args") ? nlohmann::json(text)
                                                      : parse_yaml_value(ctx, text, keys.back()));
    }
    return params;
}

bool type_matches(const std::string& type, const nlohmann::json& v) {
    if (type == "string") return v.is_string();
    if (type == "integer") {
        return v.is_number_integer() ||
               (v.is_number_float() && std::trunc(v.get<double>()) == v.get<double>());
    }
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_boolean();
    if (type == "array") return v.is_array();
    if (type == "object") return v.is_object();
    return true;
}

std::string param_type(const ActionSpec& spec, const std::string& name) {
    const auto it = spec.params.find(name);
    if (it == spec.params.end() || !it->is_object()) return {};
    const auto type = it->find("type");
    return type != it->end() && type->is_string() ? type->get<std::string>() : std::string();
}

// Fixture defaults are read as text; give them the param's type.
nlohmann::json typed_default(const std::string& type, const nlohmann::json& text) {
    if (!text.is_string()) return text;
    const std::string& s = text.get_ref<const std::string&>();
    try {
        if (type == "integer") return std::stoll(s);
        if (type == "number") return std::stod(s);
    } catch (const std::logic_error&) {
        return text;
    }
    if (type == "boolean") return s == "true";
    return text;
}

// Checks the params against the action's schema as juju does (no unknown keys, required
// keys present, types right). The message never shows the values.
std::optional<std::string> validate_params(const ActionSpec& spec, const nlohmann::json& params,
                                           const JujuVersion& version) {
    // A schema that does not say takes juju's default: extra params allowed in 3, refused in 4.
    const bool extra_allowed = spec.additional_properties.value_or(version.major < 4);
    for (const auto& [key, item] : params.items()) {
        if (!spec.params.contains(key)) {
            if (extra_allowed) continue;
            return fmt::format(
                "validation failed: (root) : additional property \"{}\" is not "
                "allowed",
                key);
        }
        const std::string type = param_type(spec, key);
        if (!type.empty() && !type_matches(type, item)) {
            return fmt::format("validation failed: (root).{} : must be of type {}", key, type);
        }
    }
    for (const std::string& required : spec.required) {
        if (!params.contains(required)) {
            return fmt::format("validation failed: (root) : {} is required", required);
        }
    }
    return std::nullopt;
}

// "{name}" in a result string becomes the param's value.
nlohmann::json fill_template(const nlohmann::json& templ, const nlohmann::json& params) {
    if (templ.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [key, item] : templ.items()) out[key] = fill_template(item, params);
        return out;
    }
    if (templ.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : templ) out.push_back(fill_template(item, params));
        return out;
    }
    if (!templ.is_string()) return templ;
    const std::string& text = templ.get_ref<const std::string&>();
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto open = text.find('{', pos);
        const auto close = open == std::string::npos ? open : text.find('}', open);
        if (close == std::string::npos) {
            out += text.substr(pos);
            break;
        }
        const std::string name = text.substr(open + 1, close - open - 1);
        out += text.substr(pos, open - pos);
        if (const auto it = params.find(name); it != params.end()) {
            out += it->is_string() ? it->get<std::string>() : it->dump();
        } else {
            out += text.substr(open, close - open + 1);
        }
        pos = close + 1;
    }
    return out;
}

void cmd_run(Context& ctx) {
    const TaskFlags flags = read_task_flags(ctx);
    // <unit> [<unit> ...] <action> [key=value ...]
    const auto& p = ctx.args.positionals();
    std::vector<std::string> units;
    std::string action;
    std::size_t i = 0;
    std::set<std::string> apps;
    for (; i < p.size(); ++i) {
        if (valid_unit_or_leader_name(p[i])) {
            units.push_back(p[i]);
            apps.insert(p[i].substr(0, p[i].find('/')));
        } else if (valid_action_name(p[i])) {
            action = p[i++];
            break;
        } else {
            throw UsageError(ctx.command, fmt::format("invalid unit or action name \"{}\"", p[i]));
        }
    }
    if (units.empty()) throw UsageError(ctx.command, "no unit specified");
    if (action.empty()) throw UsageError(ctx.command, "no action specified");
    if (apps.size() > 1) throw UsageError(ctx.command, "all units must be of the same application");
    const nlohmann::json given =
        action_params(ctx, std::vector<std::string>(p.begin() + static_cast<long>(i), p.end()));

    const ModelRow model = current_model(ctx);
    const ModelState state = load_model_state(ctx, model);
    Operation operation{
        .id = next_counter(ctx.db, "operation"), .tasks = {}, .order = {}, .errors = {}};
    std::vector<std::string>& errors = operation.errors;
    for (const std::string& requested : units) {
        const UnitRow* unit = find_receiver(state, requested, ctx.now, errors);
        if (!unit) continue;
        const AppRow& app = *state.app(unit->app);
        const auto spec_it = app.charm.actions.find(action);
        if (spec_it == app.charm.actions.end()) {
            if (ctx.juju4()) {
                // Juju 4 fails the command (jubilant maps this "(not found)" to ValueError).
                throw CommandError(
                    fmt::format("action \"{}\" not defined for unit \"{}\". (not found)", action,
                                unit->name()));
            }
            errors.push_back(
                fmt::format("action \"{}\" not defined on unit \"{}\"", action, unit->name()));
            continue;
        }
        const ActionSpec& spec = spec_it->second;
        if (auto invalid = validate_params(spec, given, ctx.version)) {
            errors.push_back(*invalid);
            continue;
        }
        nlohmann::json effective = nlohmann::json::object();
        for (const auto& [name, param] : spec.params.items()) {
            if (param.is_object() && param.contains("default") && !param["default"].is_null()) {
                effective[name] = typed_default(param_type(spec, name), param["default"]);
            }
        }
        for (const auto& [name, item] : given.items()) effective[name] = item;

        TaskResult task{.id = std::to_string(next_counter(ctx.db, "operation")),
                        .receiver_key = "unit",
                        .receiver = unit->name(),
                        .status = spec.fail ? "failed" : "completed",
                        .message = {},
                        .results = nlohmann::json::object(),
                        .return_code = 0,
                        .started_at = unit_ready_at(*unit),
                        .ready_at = unit_ready_at(*unit)};
        if (spec.fail) task.message = fill_template(*spec.fail, effective).get<std::string>();
        task.results = fill_template(spec.results, effective);
        if (!task.results.is_object()) task.results = nlohmann::json::object();
        task.results["return-code"] = 0;
        log_line(ctx, model, receiver_tag(task), "INFO", fmt::format("ran \"{}\" action", action));
        if (!operation.tasks.contains(unit->name())) operation.order.push_back(unit->name());
        operation.tasks[unit->name()] = std::move(task);
    }
    finish_operation(ctx, operation, flags, {.progress = true, .plain = plain_output});
}

}  // namespace

std::vector<CommandDef> action_commands() {
    std::vector<FlagSpec> flags = task_flag_specs();
    flags.push_back(value({"--params"}));
    flags.push_back(boolean({"--string-args"}));
    return {{.name = "run", .spec = {.flags = std::move(flags)}, .run = cmd_run}};
}

}  // namespace jubilant::fake
