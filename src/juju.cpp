#include <jubilant/juju.hpp>

#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <tuple>
#include <variant>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <jubilant/logging.hpp>
#include <jubilant/plugin_loader.hpp>
#include "print/shell_quote.hpp"

#include "private_files.hpp"

namespace jubilant {
namespace {

std::shared_ptr<CliBackend> load_configured_backend(const JujuOptions& options) {
    std::string spec = options.backend;
    if (spec.empty()) {
        const char* env = std::getenv(backend_env);
        spec = (env && *env) ? env : "subprocess";
    }
    const nlohmann::json config = {{"cli_binary", options.cli_binary}};
    return load_backend(spec, config.dump());
}

}  // namespace

Juju::Juju(JujuOptions options) : Juju(load_configured_backend(options), options) {}

Juju::Juju(const Juju&) = default;
Juju::Juju(Juju&&) noexcept = default;
Juju& Juju::operator=(const Juju&) = default;
Juju& Juju::operator=(Juju&&) noexcept = default;
Juju::~Juju() = default;

Juju::Juju(std::shared_ptr<CliBackend> backend, JujuOptions options)
    : model_(std::move(options.model)),
      wait_timeout_(options.wait_timeout),
      cli_binary_(options.cli_binary.empty() ? "juju" : std::move(options.cli_binary)),
      backend_(std::move(backend)) {
    if (!backend_) throw PluginError("Juju was given a null backend");
}

CliResult Juju::run_cli(std::vector<std::string> args, RunOptions options) {
    if (args.empty()) throw Error("Juju::cli needs at least one argument (the command)");
    if (options.include_model && model_) {
        args.insert(args.begin() + 1, {"--model", *model_});
    }
    if (options.log) logger()->info("cli: juju {}", shell_join(args));

    CliRequest request{.args = std::move(args),
                       .stdin_text = std::move(options.stdin_text),
                       .temp_files = std::move(options.temp_files),
                       .timeout = options.timeout};
    CliResult result = backend_->run(request);
    if (result.returncode != 0) {
        std::vector<std::string> argv;
        argv.reserve(request.args.size() + 1);
        argv.push_back(cli_binary_);
        argv.insert(argv.end(), request.args.begin(), request.args.end());
        throw CLIError(std::move(argv), result.returncode, std::move(result.stdout_text),
                       std::move(result.stderr_text));
    }
    return result;
}

namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

// Doubles keep a fraction or exponent so YAML reads them back as floats, not integers.
std::string yaml_double(double d) {
    if (std::isnan(d)) return ".nan";
    if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
    std::string text = fmt::format("{}", d);
    if (text.find_first_of(".e") == std::string::npos) text += ".0";
    return text;
}

void emit_yaml(YAML::Emitter& out, const Value& value) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
                out << YAML::Null;
            } else if constexpr (std::is_same_v<T, bool>) {
                out << (v ? "true" : "false");
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                out << std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
                out << yaml_double(v);
            } else if constexpr (std::is_same_v<T, std::string>) {
                // Always quoted, so strings such as "yes", "1" or "null" stay strings.
                out << YAML::DoubleQuoted << v;
            } else if constexpr (std::is_same_v<T, Value::Array>) {
                out << YAML::BeginSeq;
                for (const auto& item : v) emit_yaml(out, item);
                out << YAML::EndSeq;
            } else {
                out << YAML::BeginMap;
                for (const auto& [key, item] : v) {
                    out << YAML::Key << YAML::DoubleQuoted << key << YAML::Value;
                    emit_yaml(out, item);
                }
                out << YAML::EndMap;
            }
        },
        value.variant());
}

// The YAML document juju reads from --file/--params/-f. yaml-cpp does the quoting and escaping.
std::string value_to_yaml(const Value& value) {
    YAML::Emitter out;
    emit_yaml(out, value);
    if (!out.good()) throw Error(fmt::format("cannot write YAML: {}", out.GetLastError()));
    return std::string(out.c_str()) + "\n";
}

// Secret content as a sensitive YAML temp file (the only way it reaches juju).
TempFile secret_content_file(const std::map<std::string, std::string>& content) {
    Value::Object object;
    for (const auto& [key, value] : content) object.emplace(key, value);
    return {.name = "content.yaml",
            .content = value_to_yaml(Value(std::move(object))),
            .sensitive = true};
}

// Jubilant formats durations with Python's str() of the number plus "s". Integral values come
// out without a fraction ("120s") and others in shortest round-trip form ("0.001s"), which is
// what fmt's default float formatting produces.
std::string format_seconds(Seconds seconds) { return fmt::format("{}s", seconds.count()); }

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    return fmt::format("{}", fmt::join(items, sep));
}

std::string format_constraint(const std::string& key, const ConstraintValue& value) {
    return std::visit([&](const auto& v) { return format_config(key, ConfigValue(v)); }, value);
}

void append(std::vector<std::string>& args, std::initializer_list<std::string> items) {
    args.insert(args.end(), items.begin(), items.end());
}

nlohmann::json parse_json(const std::string& text, std::string_view source) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw ParseError(fmt::format("{}: invalid JSON: {}", source, e.what()));
    }
}

// A JSON scalar as a ConfigValue; `secret` marks values of config type "secret".
ConfigValue config_value_from_json(const nlohmann::json& value, bool secret,
                                   std::string_view where) {
    if (secret && value.is_string()) return SecretURI(value.get<std::string>());
    if (value.is_boolean()) return value.get<bool>();
    if (value.is_number_integer()) return value.get<std::int64_t>();
    if (value.is_number_float()) return value.get<double>();
    if (value.is_string()) return value.get<std::string>();
    throw ParseError(
        fmt::format("{}: expected a scalar config value, got {}", where, value.type_name()));
}

void require_client_or_controller(bool client, const std::optional<std::string>& controller) {
    if (!client && !controller) {
        throw Error("\"client\" must be true or \"controller\" must be specified (or both)");
    }
}

bool is_local_path(const std::string& s) {
    return !s.empty() && (s.front() == '.' || s.front() == '/');
}

std::string read_whole_file(const std::filesystem::path& path) {
    try {
        return files::read_regular_file(path);
    } catch (const files::FileError& e) {
        throw Error(e.what());
    }
}

// Temp-file names may only use letters, digits, '.', '-' and '_'.
std::string safe_temp_name(std::string name) {
    for (char& c : name) {
        const bool ok =
            std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
        if (!ok) c = '_';
    }
    return name;
}

// Copies local charm and resource files into temp files when juju is a snap (Jubilant's
// _deploy_tempdir); returns the charm reference and resources to put in argv.
struct DeployFiles {
    std::optional<std::string> charm;
    StringPairs resources;
    std::vector<TempFile> temp_files;
};

DeployFiles deploy_files(bool snap, std::optional<std::string> charm, StringPairs resources) {
    DeployFiles out{std::move(charm), std::move(resources), {}};
    if (!snap) return out;
    if (out.charm && is_local_path(*out.charm)) {
        out.temp_files.push_back(
            {.name = "_temp.charm", .content = read_whole_file(*out.charm), .sensitive = false});
        *out.charm = temp_file_placeholder("_temp.charm");
    }
    for (auto& [name, value] : out.resources) {
        if (!is_local_path(value)) continue;
        const std::string temp_name =
            safe_temp_name(name + std::filesystem::path(value).extension().string());
        out.temp_files.push_back(
            {.name = temp_name, .content = read_whole_file(value), .sensitive = false});
        value = temp_file_placeholder(temp_name);
    }
    return out;
}

void append_config(std::vector<std::string>& args, std::string_view flag,
                   const ConfigValues& values) {
    for (const auto& [k, v] : values) append(args, {std::string(flag), format_config(k, v)});
}

void append_constraints(std::vector<std::string>& args, std::string_view flag,
                        const ConstraintValues& values) {
    for (const auto& [k, v] : values) append(args, {std::string(flag), format_constraint(k, v)});
}

void append_pairs(std::vector<std::string>& args, std::string_view flag,
                  const StringPairs& values) {
    for (const auto& [k, v] : values) append(args, {std::string(flag), fmt::format("{}={}", k, v)});
}

std::tuple<std::optional<std::string>, std::optional<std::string>, std::string> parse_model_ref(
    std::string s) {
    std::optional<std::string> controller;
    std::optional<std::string> user;
    if (auto colon = s.find(':'); colon != std::string::npos) {
        controller = s.substr(0, colon);
        s = s.substr(colon + 1);
    }
    if (auto slash = s.find('/'); slash != std::string::npos) {
        user = s.substr(0, slash);
        s = s.substr(slash + 1);
    }
    return {controller, user, s};
}

// Whether two `[controller:][user/]model` references name the same model, treating an empty
// or missing controller or user as "the default", which matches anything (Jubilant's
// _same_model).
bool same_model(const std::string& a, const std::optional<std::string>& b) {
    if (!b) return false;
    if (a == *b) return true;
    auto [ca, ua, ma] = parse_model_ref(a);
    auto [cb, ub, mb] = parse_model_ref(*b);
    if (ma != mb) return false;
    const auto set = [](const std::optional<std::string>& x) { return x && !x->empty(); };
    if (set(ca) && set(cb) && *ca != *cb) return false;
    if (set(ua) && set(ub) && *ua != *ub) return false;
    return true;
}

bool path_is_executable_file(const std::filesystem::path& p) {
    std::error_code ec;
    return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

// shutil.which: a name with a slash is checked as is; otherwise each PATH entry is tried.
std::optional<std::string> which(const std::string& binary) {
    if (binary.find('/') != std::string::npos) {
        if (path_is_executable_file(binary)) return binary;
        return std::nullopt;
    }
    const char* path_env = std::getenv("PATH");
    std::string_view rest = path_env ? path_env : "";
    while (true) {
        const auto colon = rest.find(':');
        std::string dir(rest.substr(0, colon));
        if (dir.empty()) dir = ".";
        const std::filesystem::path candidate = std::filesystem::path(dir) / binary;
        if (path_is_executable_file(candidate)) return candidate.string();
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
    }
    return std::nullopt;
}

}  // namespace

Bindings::Bindings(std::initializer_list<std::pair<std::string, std::string>> endpoints)
    : Bindings(StringPairs(endpoints)) {}

Bindings::Bindings(const StringPairs& endpoints) {
    std::vector<std::string> parts;
    for (const auto& [endpoint, space] : endpoints)
        parts.push_back(fmt::format("{}={}", endpoint, space));
    value_ = join(parts, " ");
}

bool Juju::juju_is_snap() {
    if (!juju_is_snap_) {
        const auto path = which(cli_binary_);
        juju_is_snap_ = path && path->find("/snap/") != std::string::npos;
    }
    return *juju_is_snap_;
}

std::string Juju::path_for_juju(const std::filesystem::path& path, const std::string& temp_name,
                                bool sensitive, std::vector<TempFile>& temp_files) {
    if (!juju_is_snap()) return path.string();
    temp_files.push_back(
        {.name = temp_name, .content = read_whole_file(path), .sensitive = sensitive});
    return temp_file_placeholder(temp_name);
}

void Juju::add_cloud(const std::string& cloud, const std::filesystem::path& definition,
                     AddCloudOptions options) {
    add_cloud_impl(cloud, &definition, nullptr, options);
}

void Juju::add_cloud(const std::string& cloud, const Value& definition, AddCloudOptions options) {
    add_cloud_impl(cloud, nullptr, &definition, options);
}

void Juju::add_cloud_impl(const std::string& cloud, const std::filesystem::path* path,
                          const Value* data, const AddCloudOptions& options) {
    require_client_or_controller(options.client, options.controller);
    std::vector<std::string> args{"add-cloud", cloud};
    if (options.client) args.push_back("--client");
    if (options.controller) append(args, {"--controller", *options.controller});
    if (options.credential) append(args, {"--credential", *options.credential});
    if (options.force) args.push_back("--force");
    if (options.target_controller) {
        append(args, {"--target-controller", *options.target_controller});
    }
    std::vector<TempFile> temp_files;
    append(args, {"--file", file_arg(path, data, "cloud.yaml", temp_files)});
    run_cli(std::move(args), {.include_model = false, .temp_files = std::move(temp_files)});
}

void Juju::add_credential(const std::string& cloud, const std::filesystem::path& credential,
                          AddCredentialOptions options) {
    add_credential_impl(cloud, &credential, nullptr, options);
}

void Juju::add_credential(const std::string& cloud, const Value& credential,
                          AddCredentialOptions options) {
    add_credential_impl(cloud, nullptr, &credential, options);
}

void Juju::add_credential_impl(const std::string& cloud, const std::filesystem::path* path,
                               const Value* data, const AddCredentialOptions& options) {
    require_client_or_controller(options.client, options.controller);
    std::vector<std::string> args{"add-credential", cloud};
    if (options.client) args.push_back("--client");
    if (options.controller) append(args, {"--controller", *options.controller});
    if (options.region) append(args, {"--region", *options.region});
    std::vector<TempFile> temp_files;
    if (path) {
        // Jubilant passes a credential file's path straight through, even for a snap juju.
        append(args, {"--file", path->string()});
    } else {
        append(args, {"--file", file_arg(nullptr, data, "credential.yaml", temp_files)});
    }
    run_cli(std::move(args), {.include_model = false, .temp_files = std::move(temp_files)});
}

void Juju::add_machine(AddMachineOptions options) {
    std::vector<std::string> args{"add-machine"};
    if (options.target) args.push_back(*options.target);
    if (options.base) append(args, {"--base", *options.base});
    append_constraints(args, "--constraints", options.constraints);
    if (!options.disks.empty()) append(args, {"--disks", join(options.disks, " ")});
    if (options.num_machines != 1) append(args, {"-n", std::to_string(options.num_machines)});
    std::vector<TempFile> temp_files;
    if (options.private_key) {
        append(args,
               {"--private-key",
                path_for_juju(*options.private_key, safe_temp_name(options.private_key->filename()),
                              true, temp_files)});
    }
    if (options.public_key) {
        append(args, {"--public-key", path_for_juju(*options.public_key,
                                                    safe_temp_name(options.public_key->filename()),
                                                    false, temp_files)});
    }
    run_cli(std::move(args), {.temp_files = std::move(temp_files)});
}

void Juju::add_model(const std::string& model, AddModelOptions options) {
    std::vector<std::string> args{"add-model", "--no-switch", model};
    if (options.cloud) args.push_back(*options.cloud);
    std::string model_name = model;
    if (options.controller) {
        append(args, {"--controller", *options.controller});
        model_name = *options.controller + ":" + model;
    }
    append_config(args, "--config", options.config);
    if (options.credential) append(args, {"--credential", *options.credential});
    run_cli(std::move(args), {.include_model = false});
    model_ = std::move(model_name);
}

SecretURI Juju::add_secret(const std::string& name,
                           const std::map<std::string, std::string>& content,
                           AddSecretOptions options) {
    std::vector<std::string> args{"add-secret", name};
    if (options.info) append(args, {"--info", *options.info});
    append(args, {"--file", temp_file_placeholder("content.yaml")});
    const CliResult result =
        run_cli(std::move(args), {.temp_files = {secret_content_file(content)}});
    return SecretURI(std::string(trim(result.stdout_text)));
}

void Juju::add_ssh_key(const std::vector<std::string>& keys) {
    std::vector<std::string> args{"add-ssh-key"};
    args.insert(args.end(), keys.begin(), keys.end());
    run_cli(std::move(args));
}

void Juju::add_unit(const std::string& app, AddUnitOptions options) {
    std::vector<std::string> args{"add-unit", app};
    if (!options.attach_storage.empty()) {
        append(args, {"--attach-storage", join(options.attach_storage, ",")});
    }
    if (options.num_units != 1) append(args, {"--num-units", std::to_string(options.num_units)});
    if (!options.to.empty()) append(args, {"--to", join(options.to, ",")});
    run_cli(std::move(args));
}

void Juju::bootstrap(const std::string& cloud, const std::string& controller,
                     BootstrapOptions options) {
    std::vector<std::string> args{"bootstrap", cloud, controller, "--no-switch"};
    if (options.bootstrap_base) append(args, {"--bootstrap-base", *options.bootstrap_base});
    append_constraints(args, "--bootstrap-constraints", options.bootstrap_constraints);
    append_config(args, "--config", options.config);
    append_constraints(args, "--constraints", options.constraints);
    if (options.credential) append(args, {"--credential", *options.credential});
    if (options.force) args.push_back("--force");
    append_config(args, "--model-default", options.model_defaults);
    append_pairs(args, "--storage-pool", options.storage_pool);
    if (!options.to.empty()) append(args, {"--to", join(options.to, ",")});
    if (options.metadata_source) append(args, {"--metadata-source", *options.metadata_source});
    const CliResult result = run_cli(std::move(args), {.include_model = false});
    logger()->info("bootstrap output:\n{}", result.stderr_text);
}

std::string Juju::cli(std::vector<std::string> args, CliOptions options) {
    return run_cli(std::move(args), {.include_model = options.include_model,
                                     .stdin_text = std::move(options.stdin_text)})
        .stdout_text;
}

std::map<std::string, ConfigValue> Juju::config(const std::string& app, ConfigOptions options) {
    const CliResult result = run_cli({"config", "--format", "json", app});
    const nlohmann::json outer = parse_json(result.stdout_text, "juju config");
    const char* section = options.app_config ? "application-config" : "settings";
    if (!outer.is_object() || !outer.contains(section) || !outer[section].is_object()) {
        throw ParseError(fmt::format("juju config: missing object \"{}\"", section));
    }
    std::map<std::string, ConfigValue> values;
    for (const auto& [key, item] : outer[section].items()) {
        if (!item.is_object() || !item.contains("value")) continue;
        const bool secret = item.value("type", "") == "secret";
        values.emplace(key, config_value_from_json(item["value"], secret,
                                                   fmt::format("juju config: {}", key)));
    }
    return values;
}

void Juju::config_set(const std::string& app, const ConfigValues& values,
                      ConfigSetOptions options) {
    std::vector<std::string> args{"config", app};
    for (const auto& [k, v] : values) args.push_back(format_config(k, v));
    if (!options.reset.empty()) append(args, {"--reset", join(options.reset, ",")});
    run_cli(std::move(args));
}

void Juju::consume(const std::string& model_and_app, ConsumeOptions options) {
    std::string offer_path = model_and_app;
    if (options.owner) offer_path = *options.owner + "/" + offer_path;
    if (options.controller) offer_path = *options.controller + ":" + offer_path;
    std::vector<std::string> args{"consume", offer_path};
    if (options.alias) args.push_back(*options.alias);
    run_cli(std::move(args));
}

std::string Juju::debug_log(DebugLogOptions options) {
    return run_cli({"debug-log", "--limit", std::to_string(options.limit)}).stdout_text;
}

void Juju::deploy(const CharmRef& charm, DeployOptions options) {
    DeployFiles files = deploy_files(juju_is_snap(), charm.str(), options.resources);
    std::vector<std::string> args{"deploy", *files.charm};
    if (options.app) args.push_back(*options.app);
    if (!options.attach_storage.empty()) {
        append(args, {"--attach-storage", join(options.attach_storage, ",")});
    }
    if (options.base) append(args, {"--base", *options.base});
    if (options.bind.arg()) append(args, {"--bind", *options.bind.arg()});
    if (options.channel) append(args, {"--channel", *options.channel});
    append_config(args, "--config", options.config);
    append_constraints(args, "--constraints", options.constraints);
    if (options.force) args.push_back("--force");
    if (options.num_units != 1) append(args, {"--num-units", std::to_string(options.num_units)});
    for (const auto& overlay : options.overlays) append(args, {"--overlay", overlay.string()});
    append_pairs(args, "--resource", files.resources);
    if (options.revision) append(args, {"--revision", std::to_string(*options.revision)});
    append_pairs(args, "--storage", options.storage);
    if (!options.to.empty()) append(args, {"--to", join(options.to, ",")});
    if (options.trust) args.push_back("--trust");
    run_cli(std::move(args), {.temp_files = std::move(files.temp_files)});
}

void Juju::destroy_model(const std::string& model, DestroyModelOptions options) {
    std::vector<std::string> args{"destroy-model", model, "--no-prompt"};
    if (options.destroy_storage) args.push_back("--destroy-storage");
    if (options.force) args.push_back("--force");
    if (options.no_wait) args.push_back("--no-wait");
    if (options.release_storage) args.push_back("--release-storage");
    if (options.timeout) append(args, {"--timeout", format_seconds(*options.timeout)});
    run_cli(std::move(args), {.include_model = false});
    if (same_model(model, model_)) model_.reset();
}

Task Juju::exec(const std::string& command, ExecOptions options) {
    if (options.machine.has_value() == options.unit.has_value()) {
        throw Error("exec: must specify \"machine\" or \"unit\", but not both");
    }
    std::vector<std::string> cli_args{"exec", "--format", "json"};
    if (options.machine) {
        append(cli_args, {"--machine", *options.machine});
    } else {
        append(cli_args, {"--unit", *options.unit});
    }
    if (options.wait) append(cli_args, {"--wait", format_seconds(*options.wait)});
    cli_args.push_back("--");
    cli_args.push_back(command);
    cli_args.insert(cli_args.end(), options.args.begin(), options.args.end());
    return run_task(std::move(cli_args), {}, TaskKind::command, command);
}

void Juju::grant_secret(const SecretRef& identifier, const std::vector<std::string>& apps) {
    run_cli({"grant-secret", identifier.str(), join(apps, ",")});
}

void Juju::integrate(const std::string& app1, const std::string& app2, IntegrateOptions options) {
    std::vector<std::string> args{"integrate", app1, app2};
    if (!options.via.empty()) append(args, {"--via", join(options.via, ",")});
    run_cli(std::move(args));
}

std::map<std::string, ConfigValue> Juju::model_config() {
    const CliResult result = run_cli({"model-config", "--format", "json"});
    const nlohmann::json doc = parse_json(result.stdout_text, "juju model-config");
    if (!doc.is_object()) throw ParseError("juju model-config: expected a JSON object");
    std::map<std::string, ConfigValue> values;
    for (const auto& [key, item] : doc.items()) {
        if (!item.is_object() || !item.contains("Value")) continue;
        values.emplace(key, config_value_from_json(item["Value"], false,
                                                   fmt::format("juju model-config: {}", key)));
    }
    return values;
}

void Juju::model_config_set(const ConfigValues& values, ModelConfigOptions options) {
    std::vector<std::string> args{"model-config"};
    for (const auto& [k, v] : values) args.push_back(format_config(k, v));
    if (!options.reset.empty()) append(args, {"--reset", join(options.reset, ",")});
    run_cli(std::move(args));
}

std::map<std::string, ConstraintValue> Juju::model_constraints() {
    const CliResult result = run_cli({"model-constraints", "--format", "json"});
    const nlohmann::json doc = parse_json(result.stdout_text, "juju model-constraints");
    if (!doc.is_object()) throw ParseError("juju model-constraints: expected a JSON object");
    std::map<std::string, ConstraintValue> values;
    for (const auto& [key, item] : doc.items()) {
        if (item.is_boolean()) {
            values.emplace(key, item.get<bool>());
        } else if (item.is_number_integer()) {
            values.emplace(key, item.get<std::int64_t>());
        } else if (item.is_number_float()) {
            values.emplace(key, item.get<double>());
        } else if (item.is_string()) {
            values.emplace(key, item.get<std::string>());
        } else if (item.is_array()) {
            std::vector<std::string> parts;
            for (const auto& part : item) {
                parts.push_back(part.is_string() ? part.get<std::string>() : part.dump());
            }
            values.emplace(key, join(parts, ","));
        } else if (!item.is_null()) {
            throw ParseError(
                fmt::format("juju model-constraints: {}: unexpected {}", key, item.type_name()));
        }
    }
    return values;
}

void Juju::model_constraints(const ConstraintValues& constraints) {
    std::vector<std::string> args{"set-model-constraints"};
    for (const auto& [k, v] : constraints) args.push_back(format_constraint(k, v));
    run_cli(std::move(args));
}

void Juju::offer(const std::string& app, const std::vector<std::string>& endpoints,
                 OfferOptions options) {
    std::string qualified = app;
    std::optional<std::string> controller = options.controller;
    if (app.find('.') == std::string::npos) {
        if (controller && !controller->empty()) {
            throw Error(
                "offer: controller is specified when app does not include a dotted "
                "model name");
        }
        if (model_) {
            const auto colon = model_->rfind(':');
            const std::string model_ref =
                colon == std::string::npos ? *model_ : model_->substr(colon + 1);
            qualified = model_ref + "." + app;
            if (colon != std::string::npos && colon > 0) {
                controller = model_->substr(0, colon);
            } else {
                controller.reset();
            }
        }
    }
    std::vector<std::string> args{"offer", qualified + ":" + join(endpoints, ",")};
    if (controller && !controller->empty()) append(args, {"--controller", *controller});
    if (options.name) args.push_back(*options.name);
    run_cli(std::move(args), {.include_model = false});
}

void Juju::refresh(const std::string& app, RefreshOptions options) {
    std::optional<std::string> path;
    if (options.path) path = options.path->str();
    DeployFiles files = deploy_files(juju_is_snap(), path, options.resources);
    std::vector<std::string> args{"refresh", app};
    if (options.base) append(args, {"--base", *options.base});
    if (options.channel) append(args, {"--channel", *options.channel});
    append_config(args, "--config", options.config);
    if (options.force) append(args, {"--force", "--force-base", "--force-units"});
    if (files.charm) append(args, {"--path", *files.charm});
    append_pairs(args, "--resource", files.resources);
    if (options.revision) append(args, {"--revision", std::to_string(*options.revision)});
    append_pairs(args, "--storage", options.storage);
    if (options.trust) args.push_back("--trust");
    run_cli(std::move(args), {.temp_files = std::move(files.temp_files)});
}

void Juju::remove_application(const std::vector<std::string>& apps,
                              RemoveApplicationOptions options) {
    std::vector<std::string> args{"remove-application", "--no-prompt"};
    args.insert(args.end(), apps.begin(), apps.end());
    if (options.destroy_storage) args.push_back("--destroy-storage");
    if (options.force) args.push_back("--force");
    run_cli(std::move(args));
}

void Juju::remove_relation(const std::string& app1, const std::string& app2,
                           RemoveRelationOptions options) {
    std::vector<std::string> args{"remove-relation", app1, app2};
    if (options.force) args.push_back("--force");
    run_cli(std::move(args));
}

void Juju::remove_secret(const SecretRef& identifier, RemoveSecretOptions options) {
    std::vector<std::string> args{"remove-secret", identifier.str()};
    if (options.revision) append(args, {"--revision", std::to_string(*options.revision)});
    run_cli(std::move(args));
}

void Juju::remove_ssh_key(const std::vector<std::string>& ids) {
    std::vector<std::string> args{"remove-ssh-key"};
    args.insert(args.end(), ids.begin(), ids.end());
    run_cli(std::move(args));
}

void Juju::remove_unit(const std::vector<std::string>& app_or_unit, RemoveUnitOptions options) {
    std::vector<std::string> args{"remove-unit", "--no-prompt"};
    args.insert(args.end(), app_or_unit.begin(), app_or_unit.end());
    if (options.destroy_storage) args.push_back("--destroy-storage");
    if (options.force) args.push_back("--force");
    if (options.num_units != 0) {
        if (app_or_unit.size() > 1) {
            throw Error(
                "remove_unit: \"app_or_unit\" must be a single app name if num_units "
                "specified");
        }
        append(args, {"--num-units", std::to_string(options.num_units)});
    }
    run_cli(std::move(args));
}

Task Juju::run(const std::string& unit, const std::string& action, RunActionOptions options) {
    std::vector<std::string> args{"run", "--format", "json", unit, action};
    if (options.wait) append(args, {"--wait", format_seconds(*options.wait)});
    RunOptions run_options;
    if (options.params) {
        append(args, {"--params", temp_file_placeholder("params.yaml")});
        run_options.temp_files.push_back(
            {.name = "params.yaml", .content = value_to_yaml(*options.params), .sensitive = true});
    }
    return run_task(std::move(args), std::move(run_options), TaskKind::action, action);
}

Task Juju::run_task(std::vector<std::string> args, RunOptions options, TaskKind kind,
                    const std::string& name) {
    std::string stdout_text;
    std::string stderr_text;
    try {
        CliResult result = run_cli(std::move(args), std::move(options));
        stdout_text = std::move(result.stdout_text);
        stderr_text = std::move(result.stderr_text);
    } catch (const CLIError& e) {
        const std::string& err = e.stderr_text();
        const char* what = kind == TaskKind::action ? "action" : "command";
        if (err.find("timed out") != std::string::npos) {
            throw TimeoutError(fmt::format("timed out waiting for {}, stderr:\n{}", what, err));
        }
        // Juju 4 reports an undefined action as "... not defined for unit ... (not found)".
        if (kind == TaskKind::action && err.find("(not found)") != std::string::npos) {
            throw Error(fmt::format("error running action '{}', stderr:\n{}", name, err));
        }
        // juju run/exec exit non-zero when the task itself failed; the JSON still describes it.
        if (err.find("task failed") == std::string::npos) throw;
        stdout_text = e.stdout_text();
        stderr_text = err;
    }
    // Nothing (or an empty document) is printed when the unit or machine does not exist.
    // Juju keys the entry by the resolved unit (app/0 for app/leader); the first one is it.
    std::optional<Task> task = Task::from_run_output(stdout_text);
    if (!task) {
        if (kind == TaskKind::action) {
            throw Error(fmt::format("error running action '{}', stderr:\n{}", name, stderr_text));
        }
        throw Error(fmt::format("error running command, stderr:\n{}", stderr_text));
    }
    task->raise_on_failure();
    return std::move(*task);
}

void Juju::scp(const std::filesystem::path& source, const std::filesystem::path& destination,
               ScpOptions options) {
    std::vector<std::string> args{"scp"};
    if (options.container) append(args, {"--container", *options.container});
    if (!options.host_key_checks) args.push_back("--no-host-key-checks");
    args.push_back("--");
    args.insert(args.end(), options.scp_options.begin(), options.scp_options.end());
    const std::string src = source.string();
    const std::string dst = destination.string();
    const bool src_local = src.find(':') == std::string::npos;
    const bool dst_local = dst.find(':') == std::string::npos;
    std::vector<TempFile> temp_files;
    if (src_local && !dst_local && juju_is_snap()) {
        // A snap juju cannot read arbitrary local files: send a copy. Directories cannot
        // travel as a temp file.
        if (std::filesystem::is_directory(source)) {
            throw Error("scp: copying a local directory is not supported when juju is a snap");
        }
        args.push_back(path_for_juju(source, safe_temp_name(source.filename()), false, temp_files));
    } else {
        // Remote to local with a snap juju goes straight to the destination, which must be
        // somewhere the snap can write (Jubilant copies back from its temp dir instead).
        args.push_back(src);
    }
    args.push_back(dst);
    run_cli(std::move(args), {.temp_files = std::move(temp_files)});
}

std::vector<Secret> Juju::secrets(SecretsOptions options) {
    std::vector<std::string> args{"secrets"};
    if (options.owner) append(args, {"--owner", *options.owner});
    append(args, {"--format", "json"});
    return Secret::list_from_json(run_cli(std::move(args)).stdout_text);
}

ModelInfo Juju::show_model() { return show_model_impl(model_); }

ModelInfo Juju::show_model(const std::string& model) { return show_model_impl(model); }

ModelInfo Juju::show_model_impl(const std::optional<std::string>& model) {
    std::vector<std::string> args{"show-model", "--format", "json"};
    if (model) args.push_back(*model);
    return ModelInfo::from_json(run_cli(std::move(args), {.include_model = false}).stdout_text);
}

Secret Juju::show_secret(const SecretRef& identifier, ShowSecretOptions options) {
    std::vector<std::string> args{"show-secret", identifier.str(), "--format", "json"};
    if (options.revisions) args.push_back("--revisions");
    if (options.revision) append(args, {"--revision", std::to_string(*options.revision)});
    return Secret::from_json(run_cli(std::move(args)).stdout_text);
}

RevealedSecret Juju::show_secret_revealed(const SecretRef& identifier,
                                          RevealSecretOptions options) {
    std::vector<std::string> args{"show-secret", identifier.str(), "--format", "json", "--reveal"};
    if (options.revision) append(args, {"--revision", std::to_string(*options.revision)});
    return RevealedSecret::from_json(run_cli(std::move(args)).stdout_text);
}

UnitInfo Juju::show_unit(const std::string& unit) {
    return UnitInfo::from_json(run_cli({"show-unit", unit, "--format", "json"}).stdout_text);
}

std::string Juju::ssh(const std::string& target, const std::string& command, SshOptions options) {
    std::vector<std::string> cli_args{"ssh"};
    if (options.container) append(cli_args, {"--container", *options.container});
    if (!options.host_key_checks) cli_args.push_back("--no-host-key-checks");
    cli_args.push_back(options.user ? *options.user + "@" + target : target);
    cli_args.insert(cli_args.end(), options.ssh_options.begin(), options.ssh_options.end());
    cli_args.push_back(command);
    cli_args.insert(cli_args.end(), options.args.begin(), options.args.end());
    return run_cli(std::move(cli_args)).stdout_text;
}

Status Juju::status() {
    return Status::from_json(run_cli({"status", "--format", "json"}).stdout_text);
}

void Juju::trust(const std::string& app, TrustOptions options) {
    std::vector<std::string> args{"trust", app};
    if (options.remove) args.push_back("--remove");
    if (options.scope) append(args, {"--scope", *options.scope});
    run_cli(std::move(args));
}

void Juju::update_cloud(const std::string& cloud, const std::filesystem::path& definition,
                        UpdateCloudOptions options) {
    update_cloud_impl(cloud, &definition, nullptr, options);
}

void Juju::update_cloud(const std::string& cloud, const Value& definition,
                        UpdateCloudOptions options) {
    update_cloud_impl(cloud, nullptr, &definition, options);
}

void Juju::update_cloud_impl(const std::string& cloud, const std::filesystem::path* path,
                             const Value* data, const UpdateCloudOptions& options) {
    require_client_or_controller(options.client, options.controller);
    std::vector<std::string> args{"update-cloud", cloud};
    if (options.client) args.push_back("--client");
    if (options.controller) append(args, {"--controller", *options.controller});
    std::vector<TempFile> temp_files;
    // juju update-cloud only understands the short -f, not --file.
    append(args, {"-f", file_arg(path, data, "cloud.yaml", temp_files)});
    run_cli(std::move(args), {.include_model = false, .temp_files = std::move(temp_files)});
}

void Juju::update_secret(const SecretRef& identifier,
                         const std::map<std::string, std::string>& content,
                         UpdateSecretOptions options) {
    std::vector<std::string> args{"update-secret", identifier.str()};
    if (options.info) append(args, {"--info", *options.info});
    if (options.name) append(args, {"--name", *options.name});
    if (options.auto_prune) args.push_back("--auto-prune");
    append(args, {"--file", temp_file_placeholder("content.yaml")});
    run_cli(std::move(args), {.temp_files = {secret_content_file(content)}});
}

Version Juju::version() {
    const CliResult result =
        run_cli({"version", "--format", "json", "--all"}, {.include_model = false});
    return Version::from_json(result.stdout_text);
}

std::string Juju::file_arg(const std::filesystem::path* path, const Value* data,
                           const std::string& temp_name, std::vector<TempFile>& temp_files) {
    if (path) return path_for_juju(*path, safe_temp_name(path->filename()), true, temp_files);
    temp_files.push_back({.name = temp_name, .content = value_to_yaml(*data), .sensitive = true});
    return temp_file_placeholder(temp_name);
}

}  // namespace jubilant

// Declared extern in juju.hpp.
template class std::vector<std::pair<std::string, jubilant::ConfigValue>>;
