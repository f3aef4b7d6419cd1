#include "engine.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "base64.hpp"
#include "engine_internal.hpp"
#include "hash.hpp"
#include "private_files.hpp"
#include "state/clouds.hpp"
#include "state/controllers.hpp"
#include "state/schema.hpp"

namespace jubilant::fake {
namespace {

const FlagSpec model_flag{.names = {"-m", "--model"}, .takes_value = true};

// Juju 3 commands that juju 4.0 removed and the fake does not simulate: under 3.x they say
// so; under 4.x they are unknown, as in juju 4.
void cmd_not_simulated(Context& ctx) {
    throw CommandError(fmt::format("fake-juju does not simulate \"{}\" (a juju {} command)",
                                   ctx.command, ctx.version.text));
}

std::vector<CommandDef> removed_in_juju4_commands() {
    std::vector<CommandDef> defs;
    for (std::string_view name :
         {"enable-ha", "export-bundle", "set-application-base", "upgrade-machine", "wait-for"}) {
        // Any flags: the command refuses before looking at them.
        defs.push_back({.name = name,
                        .spec = {.flags = {}, .stop_after_positionals = 0},
                        .run = cmd_not_simulated,
                        .model_scoped = false,
                        .removed_in_major = 4});
    }
    return defs;
}
// The epoch of the database whose command is running (engines run one command at a time per
// thread); the time formatters read it.
thread_local std::int64_t active_epoch_ms = legacy_epoch_unix_ms;

const std::vector<CommandDef>& command_table() {
    static const std::vector<CommandDef> table = [] {
        std::vector<CommandDef> all;
        for (auto part : {model_commands(), controller_commands(), application_commands(),
                          relation_commands(), machine_commands(), offer_commands(),
                          status_commands(), secret_commands(), action_commands(), exec_commands(),
                          ssh_commands(), ssh_key_commands(), debug_log_commands(),
                          cloud_commands(), cloud_file_commands(), removed_in_juju4_commands()}) {
            for (CommandDef& def : part) {
                if (def.model_scoped) def.spec.flags.push_back(model_flag);
                all.push_back(std::move(def));
            }
        }
        std::sort(all.begin(), all.end(),
                  [](const CommandDef& a, const CommandDef& b) { return a.name < b.name; });
        return all;
    }();
    return table;
}

const CommandDef* find_command(std::string_view name) {
    const auto& table = command_table();
    const auto it =
        std::lower_bound(table.begin(), table.end(), name,
                         [](const CommandDef& d, std::string_view n) { return d.name < n; });
    return (it != table.end() && it->name == name) ? &*it : nullptr;
}

// A fresh data directory looks like a machine where `juju bootstrap localhost fake` just ran.
void seed(Database& db, const JujuVersion& version) {
    meta_set(db, "now_ms", "0");
    set_controller_version(db, "fake", version);
    // Simulated time 0 is now, to the second, on the wall clock.
    const auto wall = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch());
    meta_set(db, "epoch_ms", std::to_string(wall.count() * 1000));
    meta_set(db, "current_controller", "fake");
    store_cloud_definition(db, "client", "localhost", "lxd",
                           "{\"type\":\"lxd\",\"regions\":[\"localhost\"]}");
    store_cloud_definition(db, "client", "microk8s", "k8s",
                           "{\"type\":\"k8s\",\"regions\":[\"localhost\"]}");
    insert_controller(db, {.name = "fake",
                           .uuid = fake_uuid("controller", 1),
                           .cloud = "localhost",
                           .region = "localhost",
                           .current_model = "admin/controller",
                           .created = 0});
    // The credential bootstrap uploaded to the controller.
    store_credential_content(db, "fake", "localhost", "localhost", "{auth-type: certificate}");
    insert_model(db,
                 {.controller = "fake",
                  .owner = "admin",
                  .name = "controller",
                  .uuid = fake_uuid("model", next_counter(db, "model")),
                  .type = "iaas",
                  .cloud = "localhost",
                  .region = "localhost",
                  .credential = "localhost",
                  .created = 0},
                 nlohmann::json::object());
}

std::string error_text(const std::string& message) { return "ERROR " + message + "\n"; }

constexpr std::string_view controller_version_key = "juju_version:";

// The controller a command line names (-m controller:model, -c controller), read before the
// command is parsed: which flags and commands exist depends on that controller's version.
std::optional<std::string> named_controller(const std::vector<std::string>& args) {
    std::optional<std::string> found;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") break;
        std::optional<std::string> value;
        bool model = false;
        for (std::string_view name : {"-m", "--model", "-c", "--controller"}) {
            const bool is_model = name == "-m" || name == "--model";
            if (arg == name && i + 1 < args.size()) {
                value = args[i + 1];
                model = is_model;
            } else if (arg.starts_with(std::string(name) + "=")) {
                value = arg.substr(name.size() + 1);
                model = is_model;
            }
        }
        if (!value) continue;
        if (!model) {
            found = *value;
        } else if (const auto colon = value->find(':'); colon != std::string::npos) {
            found = value->substr(0, colon);
        }
    }
    return found;
}

}  // namespace

std::optional<JujuVersion> parse_juju_version(std::string_view text) {
    JujuVersion version{.text = std::string(text)};
    int* parts[] = {&version.major, &version.minor, &version.patch};
    std::size_t at = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        if (i > 0) {
            if (at >= text.size() || text[at] != '.') return std::nullopt;
            ++at;
        }
        const std::size_t start = at;
        while (at < text.size() && at - start < 4 && text[at] >= '0' && text[at] <= '9') ++at;
        if (at == start) return std::nullopt;
        *parts[i] = std::stoi(std::string(text.substr(start, at - start)));
    }
    if (at != text.size() || (version.major != 3 && version.major != 4)) return std::nullopt;
    return version;
}

std::optional<std::string> juju_version_problem(std::string_view text) {
    if (parse_juju_version(text)) return std::nullopt;
    std::string shown(text.substr(0, 40));
    if (text.size() > 40) shown += "...";
    return fmt::format(
        "\"{}\" is not a juju version the fake speaks: expected three numbers "
        "with major version 3 or 4, such as 3.6.4 or 4.0.1",
        shown);
}

JujuVersion controller_version(Database& db, std::string_view controller) {
    const std::string text =
        meta_get(db, std::string(controller_version_key) + std::string(controller),
                 std::string(default_juju_version));
    if (auto version = parse_juju_version(text)) return *version;
    throw StoreError(fmt::format("controller {} has an invalid juju version \"{}\" in its state",
                                 controller, text.substr(0, 40)));
}

void set_controller_version(Database& db, std::string_view controller, const JujuVersion& version) {
    meta_set(db, std::string(controller_version_key) + std::string(controller), version.text);
}

namespace {

JujuVersion chosen_version(const EngineOptions& options) {
    const std::string text = options.juju_version.value_or(std::string(default_juju_version));
    if (auto version = parse_juju_version(text)) return *version;
    throw std::invalid_argument(*juju_version_problem(text));
}

bool removed(int removed_in_major, const JujuVersion& version) {
    return removed_in_major != 0 && version.major >= removed_in_major;
}

}  // namespace

// ---- Engine -----------------------------------------------------------------------------

Engine::Engine(EngineOptions options)
    : options_(std::move(options)), db_(std::make_unique<Database>(options_.database_path)) {
    const JujuVersion chosen = chosen_version(options_);
    ensure_schema();
    if (options_.juju_version) {
        const JujuVersion stored = controller_version(*db_, "fake");
        if (stored.text != chosen.text) {
            throw StoreError(fmt::format(
                "state database {} was made for juju {}; the chosen version {} applies to a "
                "fresh data directory only (use another FAKE_JUJU_DATA, or `bootstrap "
                "--agent-version {}` for a further controller)",
                options_.database_path, stored.text, chosen.text, chosen.text));
        }
    }
}

Engine::~Engine() = default;

void Engine::ensure_schema() {
    prepare_schema(*db_, [&](Database& db) { seed(db, chosen_version(options_)); });
}

std::chrono::milliseconds Engine::now() {
    return std::chrono::milliseconds(std::stoll(meta_get(*db_, "now_ms", "0")));
}

void Engine::advance(std::chrono::milliseconds by) {
    Database::Transaction tx(*db_);
    const std::int64_t now = std::stoll(meta_get(*db_, "now_ms", "0")) + by.count();
    meta_set(*db_, "now_ms", std::to_string(now));
    tx.commit();
}

CliResult Engine::execute(const std::vector<std::string>& args, const FileReader& read_file,
                          std::string_view stdin_text) {
    if (args.empty()) {
        return {.returncode = 2,
                .stdout_text = {},
                .stderr_text = error_text("no command specified; see \"juju help\"")};
    }
    const CommandDef* def = find_command(args[0]);
    const auto not_a_command = [&] {
        return CliResult{.returncode = 1,
                         .stdout_text = {},
                         .stderr_text = error_text(fmt::format(
                             "juju: \"{}\" is not a juju command. See \"juju --help\".", args[0]))};
    };
    if (!def) return not_a_command();
    try {
        Database::Transaction tx(*db_);
        const auto controller = named_controller(args);
        const JujuVersion version = controller_version(
            *db_, controller ? *controller : meta_get(*db_, "current_controller"));
        if (removed(def->removed_in_major, version)) return not_a_command();
        ArgSpec spec = def->spec;
        std::erase_if(spec.flags,
                      [&](const FlagSpec& f) { return removed(f.removed_in_major, version); });
        Context ctx{.db = *db_,
                    .options = options_,
                    .command = args[0],
                    .args = parse_args(args[0], std::span(args).subspan(1), spec),
                    .read_file = read_file,
                    .stdin_text = stdin_text,
                    .version = version};
        active_epoch_ms =
            std::stoll(meta_get(*db_, "epoch_ms", std::to_string(legacy_epoch_unix_ms)));
        ctx.now = std::stoll(meta_get(*db_, "now_ms", "0")) + options_.tick.count();
        meta_set(*db_, "now_ms", std::to_string(ctx.now));
        def->run(ctx);
        tx.commit();
        return {.returncode = ctx.returncode,
                .stdout_text = std::move(ctx.out),
                .stderr_text = std::move(ctx.err)};
    } catch (const UsageError& e) {
        return {.returncode = 2, .stdout_text = {}, .stderr_text = error_text(e.what())};
    } catch (const CommandError& e) {
        return {.returncode = 1, .stdout_text = {}, .stderr_text = error_text(e.what())};
    } catch (const StoreError&) {
        throw;  // the faces report a broken state database themselves
    } catch (const std::exception& e) {
        // A bug in the fake, not in the caller's command: say so rather than crash the client.
        ++internal_errors_;
        return {.returncode = 1,
                .stdout_text = {},
                .stderr_text = error_text(
                    fmt::format("fake-juju internal error in \"{}\": {}", args[0], e.what()))};
    }
}

// ---- shared helpers ---------------------------------------------------------------------

std::string fake_uuid(std::string_view kind, std::int64_t n) {
    const std::uint32_t h = jubilant::text::fnv1a_32(kind);
    return fmt::format("{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}", h, (n >> 16) & 0xffff, n & 0xfff,
                       (h >> 4) & 0xfff, static_cast<std::uint64_t>(n) * 2654435761u);
}

std::string resolve_controller(Context& ctx, const std::optional<std::string>& name) {
    const std::string controller = name ? *name : meta_get(ctx.db, "current_controller");
    if (!controller_exists(ctx.db, controller))
        throw CommandError(fmt::format("controller {} not found", controller));
    return controller;
}

ModelRow find_model(Context& ctx, std::string_view reference) {
    std::string_view rest = reference;
    std::optional<std::string> controller;
    if (const auto colon = rest.find(':'); colon != std::string_view::npos) {
        controller = std::string(rest.substr(0, colon));
        rest = rest.substr(colon + 1);
    }
    std::string owner = "admin";
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        owner = std::string(rest.substr(0, slash));
        rest = rest.substr(slash + 1);
    }
    const std::string ctl = resolve_controller(ctx, controller);
    const auto row = model_by_name(ctx.db, ctl, owner, std::string(rest));
    if (!row) throw CommandError(fmt::format("model {}:{}/{} not found", ctl, owner, rest));
    return *row;
}

ModelRow current_model(Context& ctx) {
    if (auto name = ctx.args.value("model")) return find_model(ctx, *name);
    const std::string controller = resolve_controller(ctx, std::nullopt);
    const std::string current = controller_current_model(ctx.db, controller);
    if (current.empty()) throw CommandError("no current model, use juju switch to select a model");
    return find_model(ctx, controller + ":" + current);
}

std::int64_t wall_epoch_ms() { return active_epoch_ms; }

std::string format_since(std::int64_t sim_ms) {
    // A status document repeats a handful of timestamps hundreds of times.
    thread_local std::map<std::int64_t, std::string> cache;
    const std::int64_t second = (active_epoch_ms + sim_ms) / 1000;
    if (const auto it = cache.find(second); it != cache.end()) return it->second;
    if (cache.size() > 4096) cache.clear();
    const std::time_t t = static_cast<std::time_t>(second);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%d %b %Y %H:%M:%SZ", &tm);
    return cache.emplace(second, buf).first->second;
}

std::string format_iso(std::int64_t sim_ms) {
    const std::time_t t = static_cast<std::time_t>((active_epoch_ms + sim_ms) / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string output_format(Context& ctx, std::initializer_list<std::string_view> supported) {
    const std::string format = ctx.args.value("format").value_or(std::string(*supported.begin()));
    for (std::string_view s : supported) {
        if (s == format) return format;
    }
    throw UsageError(ctx.command, fmt::format("invalid value \"{}\" for option --format: unknown "
                                              "format \"{}\"",
                                              format, format));
}

namespace {

// Plain scalars a YAML reader would take for a number, boolean or null.
bool reads_as_non_string(const std::string& text) {
    if (text.empty()) return true;
    static const char* const words[] = {"true",  "false", "yes", "no", "on",  "off", "null", "~",
                                        "True",  "False", "Yes", "No", "On",  "Off", "Null", "TRUE",
                                        "FALSE", "YES",   "NO",  "ON", "OFF", "NULL"};
    for (const char* w : words) {
        if (text == w) return true;
    }
    try {
        std::size_t used = 0;
        (void)std::stod(text, &used);
        return used == text.size();
    } catch (const std::logic_error&) {
        return false;
    }
}

// Whether `text` reads back unchanged from a `|` block as yaml-cpp writes one: ends in exactly
// one newline, and its first line does not start with a space (that would need an indentation
// indicator) or carriage returns.
bool literal_block_keeps(std::string_view text) {
    return text.size() >= 2 && text.back() == '\n' && text[text.size() - 2] != '\n' &&
           text.front() != ' ' && text.front() != '\n' && text.find('\r') == std::string_view::npos;
}

void emit_yaml(YAML::Emitter& out, const ojson& value) {
    switch (value.type()) {
    case ojson::value_t::object:
        out << YAML::BeginMap;
        for (const auto& [key, item] : value.items()) {
            out << YAML::Key;
            if (reads_as_non_string(key)) out << YAML::DoubleQuoted;
            out << key << YAML::Value;
            emit_yaml(out, item);
        }
        out << YAML::EndMap;
        break;
    case ojson::value_t::array:
        out << YAML::BeginSeq;
        for (const auto& item : value) emit_yaml(out, item);
        out << YAML::EndSeq;
        break;
    case ojson::value_t::string: {
        const auto& text = value.get_ref<const std::string&>();
        if (text.find('\n') != std::string::npos) {
            // yaml-cpp writes block scalars with the default "clip" chomping only, which
            // reads back as exactly one final newline; anything else goes double-quoted so
            // that the value survives (Go would write `|-` or `|+`).
            out << (literal_block_keeps(text) ? YAML::Literal : YAML::DoubleQuoted);
        } else if (reads_as_non_string(text)) {
            out << YAML::DoubleQuoted;  // "6" stays a string, as Go's YAML writes it
        }
        out << text;
        break;
    }
    case ojson::value_t::null: out << YAML::Null; break;
    default: out << value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
}

}  // namespace

std::string to_yaml(const ojson& doc) {
    YAML::Emitter out;
    emit_yaml(out, doc);
    std::string text = out.c_str();
    if (text.empty() || text.back() != '\n') text += '\n';  // a final block scalar has one
    return text;
}

void print_document(Context& ctx, const ojson& doc, std::string_view format) {
    if (format == "yaml") {
        ctx.out += to_yaml(doc);
    } else {
        ctx.out += doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        ctx.out += '\n';
    }
}

std::optional<std::string> read_disk_file(const std::string& path, std::size_t max_bytes) {
    try {
        files::RegularFile file(path);
        std::string text(std::min(file.size(), max_bytes + 1), '\0');
        file.read_exactly(text.data(), text.size());
        return text;
    } catch (const files::FileError& e) {
        if (e.error_number() == ENOENT) return std::nullopt;
        throw CommandError(e.what());
    }
}

std::string read_argument_file(Context& ctx, const std::string& path) {
    std::optional<std::string> content;
    try {
        content = ctx.read_file(path);
    } catch (const std::runtime_error& e) {
        throw CommandError(e.what());
    }
    if (!content) {
        throw CommandError(
            fmt::format("cannot read {}: open {}: no such file or directory", path, path));
    }
    if (content->size() > max_argument_file_bytes) {
        throw CommandError(
            fmt::format("cannot read {}: larger than {} bytes", path, max_argument_file_bytes));
    }
    return std::move(*content);
}

std::vector<std::string> comma_separated_values(const Context& ctx, std::string_view flag) {
    std::vector<std::string> out;
    for (const std::string& v : ctx.args.values(flag)) {
        for (std::string& item : split(v, ',')) out.push_back(std::move(item));
    }
    return out;
}

int parse_count(Context& ctx, const std::optional<std::string>& text, int fallback,
                std::string_view flag) {
    if (!text) return fallback;
    try {
        std::size_t used = 0;
        const int n = std::stoi(*text, &used);
        if (used == text->size() && n >= 0) return n;
    } catch (const std::logic_error&) {}
    throw UsageError(ctx.command,
                     fmt::format("invalid value \"{}\" for option {}: must be a non-negative "
                                 "integer",
                                 *text, flag));
}

std::pair<std::string, std::string> split_assignment(Context& ctx, std::string_view text) {
    const auto equals = text.find('=');
    if (equals == std::string_view::npos || equals == 0) {
        throw UsageError(ctx.command, fmt::format("expected \"key=value\", got \"{}\"", text));
    }
    return {std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
}

std::optional<std::string> base64_decode(std::string_view text) {
    return jubilant::text::base64_decode(text, {.require_padding = false});
}

void require_positionals(Context& ctx, std::size_t min, std::size_t max,
                         std::string_view missing_message) {
    const auto& p = ctx.args.positionals();
    if (p.size() < min) throw UsageError(ctx.command, std::string(missing_message));
    if (p.size() > max) {
        throw UsageError(
            ctx.command,
            fmt::format("unrecognized args: [\"{}\"]",
                        join(std::vector<std::string>(p.begin() + static_cast<long>(max), p.end()),
                             "\" \"")));
    }
}

}  // namespace jubilant::fake
