// Operations on running units: actions (run), exec, ssh, scp, debug-log and ssh keys.
//
// Nothing runs anywhere: actions come from the charm fixture (results templated from the
// params, `fail` makes the task fail) and commands get canned output (see run_canned). Remote
// files written with scp are kept in the remote_files table, per model and target, so a test
// can copy a file out that it copied in, or `cat` it with exec or ssh.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "support/names.hpp"
#include "private_files.hpp"
#include "state/model_state.hpp"
#include "support/yaml_input.hpp"

namespace jubilant::fake {
namespace {

namespace fs = std::filesystem;


// ---- encodings ------------------------------------------------------------------------------

// MD5 (RFC 1321): juju 3.6 fingerprints authorised keys as the colon-separated MD5 of the
// key blob, e.g. "c6:1b:...:9f".
std::string md5_fingerprint(std::string_view data) {
    static const std::array<std::uint32_t, 64> k = [] {
        std::array<std::uint32_t, 64> t{};
        for (std::size_t i = 0; i < 64; ++i) {
            t[i] = static_cast<std::uint32_t>(
                std::floor(std::fabs(std::sin(static_cast<double>(i + 1))) * 4294967296.0));
        }
        return t;
    }();
    static constexpr std::array<int, 64> r = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7,
                                              12, 17, 22, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,
                                              14, 20, 5,  9, 14, 20, 4, 11, 16, 23, 4, 11, 16,
                                              23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21,
                                              6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    std::array<std::uint32_t, 4> h = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    std::string msg(data);
    const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
    msg += static_cast<char>(0x80);
    while (msg.size() % 64 != 56) msg += '\0';
    for (int i = 0; i < 8; ++i) msg += static_cast<char>((bits >> (8 * i)) & 0xff);
    auto rotl = [](std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
    for (std::size_t chunk = 0; chunk < msg.size(); chunk += 64) {
        std::array<std::uint32_t, 16> w{};
        for (std::size_t i = 0; i < 16; ++i) {
            for (std::size_t byte = 4; byte-- > 0;) {
                w[i] = (w[i] << 8) | static_cast<unsigned char>(msg[chunk + i * 4 + byte]);
            }
        }
        std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
        for (std::size_t i = 0; i < 64; ++i) {
            std::uint32_t f = 0;
            std::size_t g = 0;
            if (i < 16) {
                f = (b & c) | (~b & d);
                g = i;
            } else if (i < 32) {
                f = (d & b) | (~d & c);
                g = (5 * i + 1) % 16;
            } else if (i < 48) {
                f = b ^ c ^ d;
                g = (3 * i + 5) % 16;
            } else {
                f = c ^ (b | ~d);
                g = (7 * i) % 16;
            }
            const std::uint32_t next = d;
            d = c;
            c = b;
            b = b + rotl(a + f + k[i] + w[g], r[i]);
            a = next;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
    }
    std::string out;
    for (std::uint32_t word : h) {
        for (int i = 0; i < 4; ++i) {
            if (!out.empty()) out += ':';
            out += fmt::format("{:02x}", (word >> (8 * i)) & 0xff);
        }
    }
    return out;
}

// ---- YAML values ----------------------------------------------------------------------------

// A plain YAML scalar typed as Go's yaml.v2 (YAML 1.1) types it; quoted scalars stay strings.
nlohmann::json scalar_value(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    if (node.Tag() == "!") return text;
    static const std::set<std::string, std::less<>> truthy = {"y", "Y", "yes", "Yes", "YES",
                                                              "true", "True", "TRUE", "on",
                                                              "On", "ON"};
    static const std::set<std::string, std::less<>> falsy = {"n", "N", "no", "No", "NO",
                                                             "false", "False", "FALSE", "off",
                                                             "Off", "OFF"};
    if (truthy.contains(text)) return true;
    if (falsy.contains(text)) return false;
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
        return nullptr;
    }
    const bool numeric_start = std::isdigit(static_cast<unsigned char>(text[0])) ||
                               ((text[0] == '-' || text[0] == '+' || text[0] == '.') &&
                                text.size() > 1);
    if (numeric_start) {
        try {
            std::size_t used = 0;
            const long long n = std::stoll(text, &used, 0);
            if (used == text.size()) return n;
        } catch (const std::logic_error&) {
        }
        try {
            std::size_t used = 0;
            const double d = std::stod(text, &used);
            if (used == text.size()) return d;
        } catch (const std::logic_error&) {
        }
    }
    return text;
}

nlohmann::json yaml_to_json(const YAML::Node& node) {
    if (node.IsMap()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& item : node) out[item.first.Scalar()] = yaml_to_json(item.second);
        return out;
    }
    if (node.IsSequence()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : node) out.push_back(yaml_to_json(item));
        return out;
    }
    if (!node.IsDefined() || node.IsNull()) return nullptr;
    return scalar_value(node);
}

// ---- durations and names --------------------------------------------------------------------

// Go's time.ParseDuration: "30s", "1m30s", "0.001s", "2h"; "0" alone needs no unit.
bool valid_go_duration(std::string_view text) {
    if (text.empty()) return false;
    if (text.front() == '-' || text.front() == '+') text.remove_prefix(1);
    if (text == "0") return true;
    if (text.empty()) return false;
    static const std::array<std::string_view, 7> units = {"ns", "us", "µs", "ms", "s", "m", "h"};
    while (!text.empty()) {
        std::size_t digits = 0;
        bool dot = false;
        while (digits < text.size() &&
               (std::isdigit(static_cast<unsigned char>(text[digits])) || (text[digits] == '.' && !dot))) {
            dot = dot || text[digits] == '.';
            ++digits;
        }
        if (digits == 0 || text.substr(0, digits) == ".") return false;
        text.remove_prefix(digits);
        bool matched = false;
        // "ms" is tried before "m" and "s", so it is not read as minutes then seconds.
        for (std::string_view unit : units) {
            if (text.starts_with(unit)) {
                text.remove_prefix(unit.size());
                matched = true;
                break;
            }
        }
        if (!matched) return false;
    }
    return true;
}

// A valid Go duration in milliseconds (rounded down).
std::int64_t go_duration_ms(std::string_view text) {
    const bool negative = !text.empty() && text.front() == '-';
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
    double total = 0;
    while (!text.empty()) {
        std::size_t digits = 0;
        while (digits < text.size() &&
               (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) {
            ++digits;
        }
        const double number = std::stod(std::string(text.substr(0, digits)));
        text.remove_prefix(digits);
        static const std::array<std::pair<std::string_view, double>, 7> units = {
            {{"ns", 1e-6}, {"us", 1e-3}, {"\u00b5s", 1e-3}, {"ms", 1}, {"s", 1e3}, {"m", 6e4}, {"h", 3.6e6}}};
        for (const auto& [unit, factor] : units) {
            if (text.starts_with(unit)) {
                total += number * factor;
                text.remove_prefix(unit.size());
                break;
            }
        }
    }
    // Past a century it makes no difference to a test, and the cast stays defined.
    total = std::min(total, 3.2e12);
    return static_cast<std::int64_t>(negative ? -total : total);
}

void check_wait(Context& ctx) {
    if (auto wait = ctx.args.value("wait"); wait && !valid_go_duration(*wait)) {
        throw UsageError(ctx.command, fmt::format("invalid value \"{}\" for option --wait: time: "
                                                  "invalid duration \"{}\"",
                                                  *wait, *wait));
    }
}

bool is_app_name(std::string_view name) { return valid_application_name(name); }

// "app/7" or "app/leader".
bool is_unit_or_leader(std::string_view text) {
    const auto slash = text.find('/');
    if (slash != std::string_view::npos && text.substr(slash + 1) == "leader") {
        return is_app_name(text.substr(0, slash));
    }
    return valid_unit_name(text);
}

// Action names and param keys, by the charm rule for action names: lowercase alphanumerics and
// hyphens, starting and ending with an alphanumeric.
bool is_action_name(std::string_view name) {
    // ^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    return !name.empty() && alnum(name.front()) && alnum(name.back()) &&
           std::all_of(name.begin(), name.end(), [&](char c) { return alnum(c) || c == '-'; });
}

bool is_machine_id(std::string_view text) {
    const auto parts = split(text, '/');
    if (parts.empty() || text.back() == '/') return false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const bool number = std::all_of(parts[i].begin(), parts[i].end(),
                                        [](char c) { return c >= '0' && c <= '9'; });
        if (i % 2 == 0 ? !number : number) return false;
    }
    return parts.size() % 2 == 1;
}

// ---- targets --------------------------------------------------------------------------------

struct Target {
    std::string name{};      ///< unit name or machine ID, as the output keys it
    bool is_unit = false;
    std::string machine{};   ///< the unit's machine (empty on Kubernetes)
    std::string hostname{};
    std::string files_key{};  ///< where scp'd files live: per machine, or per unit container
    /// Simulated time from which the target can run a task: its agent is up and no hook runs.
    std::int64_t ready_at = 0;
};

std::int64_t unit_ready_at(const UnitRow& unit) {
    return std::max(unit.created + allocating_ms + installing_ms, unit.busy_until);
}

Target unit_target(const ModelState& state, const UnitRow& unit,
                   const std::optional<std::string>& container) {
    Target t{.name = unit.name(), .is_unit = true, .machine = unit.machine, .hostname = {},
             .files_key = {}, .ready_at = unit_ready_at(unit)};
    if (state.model.type == "caas") {
        t.hostname = fmt::format("{}-{}", unit.app, unit.number);
        t.files_key = "unit-" + t.hostname + "/" + container.value_or("charm");
    } else {
        t.hostname = instance_hostname(state.model, unit.machine);
        t.files_key = "machine-" + unit.machine;
    }
    return t;
}

// Resolves "app/N" or "app/leader". Before the leader is elected (a unit still allocating),
// "app/leader" means the unit that will be: the lowest-numbered one. nullopt: `error` says why.
const UnitRow* find_unit(const ModelState& state, const std::string& requested, std::int64_t now,
                         std::string& error) {
    std::string name = resolve_unit_name(state, requested, now);
    if (name.ends_with("/leader")) {
        const std::string app = name.substr(0, name.size() - 7);
        for (const UnitRow& u : state.units) {
            if (u.app == app) return &u;
        }
        error = fmt::format("could not determine leader for \"{}\"", app);
        return nullptr;
    }
    if (const UnitRow* unit = state.unit(name)) return unit;
    error = fmt::format("unit \"{}\" not found", name);
    return nullptr;
}

const MachineRow* find_machine(const ModelState& state, const std::string& id) {
    for (const MachineRow& m : state.machines) {
        if (m.id == id) return &m;
    }
    return nullptr;
}

Target machine_target(const ModelState& state, const MachineRow& machine) {
    return {.name = machine.id, .is_unit = false, .machine = machine.id,
            .hostname = instance_hostname(state.model, machine.id),
            .files_key = "machine-" + machine.id, .ready_at = machine.created + allocating_ms};
}

// ssh and scp targets: "[user@]unit", "[user@]app/leader" or "[user@]machine".
Target resolve_target(Context& ctx, const ModelState& state, std::string text,
                      const std::optional<std::string>& container) {
    if (const auto at = text.find('@'); at != std::string::npos) text = text.substr(at + 1);
    if (text.find('/') != std::string::npos && !is_machine_id(text)) {
        std::string error;
        const UnitRow* unit = find_unit(state, text, ctx.now, error);
        if (!unit) throw CommandError(error);
        return unit_target(state, *unit, container);
    }
    const MachineRow* machine = find_machine(state, text);
    if (!machine) throw CommandError(fmt::format("machine \"{}\" not found", text));
    return machine_target(state, *machine);
}

// ---- remote files ---------------------------------------------------------------------------

std::optional<std::string> remote_file(Context& ctx, const ModelRow& model,
                                       const std::string& key, const std::string& path) {
    Statement& s = ctx.db.prepare(
        "SELECT content FROM remote_files WHERE model_id = ?1 AND target = ?2 AND path = ?3");
    s.bind(model.id, key, path);
    std::optional<std::string> content;
    if (s.step()) content = s.text(0);
    s.bind();
    return content;
}

// Relative remote paths are under the default user's home, as scp resolves them.
std::string remote_path(const std::string& path) {
    if (path.empty()) return "/home/ubuntu";
    if (path.starts_with("/")) return path;
    if (path == "~") return "/home/ubuntu";
    if (path.starts_with("~/")) return "/home/ubuntu/" + path.substr(2);
    return "/home/ubuntu/" + path;
}

// ---- canned commands ------------------------------------------------------------------------

struct CommandResult {
    int code = 0;
    std::string out{};
    std::string err{};
    std::int64_t duration_ms = 0;  ///< simulated time the command takes (sleep)
};

// Splits a shell command line into words: whitespace separates, quotes group, '\' escapes.
std::vector<std::string> shell_words(std::string_view line) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote) {
            if (c == quote) {
                quote = 0;
            } else if (c == '\\' && quote == '"' && i + 1 < line.size()) {
                word += line[++i];
            } else {
                word += c;
            }
        } else if (c == '\'' || c == '"') {
            quote = c;
            in_word = true;
        } else if (c == '\\' && i + 1 < line.size()) {
            word += line[++i];
            in_word = true;
        } else if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) words.push_back(std::move(word));
            word.clear();
            in_word = false;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (in_word) words.push_back(std::move(word));
    return words;
}

// What the fake "runs" on a unit or machine (exec, ssh). The command and its arguments are
// joined with spaces and split as a shell would, then:
//   echo [-n] ARGS...  prints ARGS joined by spaces (and a newline unless -n);
//   hostname           prints the target's hostname (juju-<model>-<machine>, or the pod name);
//   cat PATH...        prints files copied to the target with scp (a missing one: exit 1);
//   true / false       exit 0 / 1;
//   exit [N]           exits with N (0 by default);
//   anything else      succeeds (exit 0) with no output.
// Only the first command of the line counts: no pipes, redirections or ';'.
// `input` is the command's standard input: what ssh passes through (exec passes none).
CommandResult run_canned(Context& ctx, const ModelRow& model, const Target& target,
                         const std::vector<std::string>& command, std::string_view input = {}) {
    const std::vector<std::string> words = shell_words(join(command, " "));
    CommandResult result;
    if (words.empty()) return result;
    const std::string& program = words[0];
    if (program == "echo") {
        std::size_t first = 1;
        const bool newline = !(words.size() > 1 && words[1] == "-n");
        if (!newline) first = 2;
        result.out = join(std::vector<std::string>(words.begin() + static_cast<long>(std::min(first, words.size())), words.end()), " ");
        if (newline) result.out += "\n";
    } else if (program == "hostname") {
        result.out = target.hostname + "\n";
    } else if (program == "false") {
        result.code = 1;
    } else if (program == "exit") {
        if (words.size() > 1) {
            try {
                std::size_t used = 0;
                result.code = std::stoi(words[1], &used) & 0xff;
                if (used != words[1].size()) throw std::invalid_argument(words[1]);
            } catch (const std::logic_error&) {
                result.code = 2;
                result.err = fmt::format("sh: 1: exit: Illegal number: {}\n", words[1]);
            }
        }
    } else if (program == "sleep") {
        // sleep's arguments add up; each a number of seconds, or with an s/m/h/d suffix.
        for (std::size_t i = 1; i < words.size(); ++i) {
            std::string text = words[i];
            double factor = 1000;
            if (!text.empty() && std::string_view("smhd").find(text.back()) != std::string_view::npos) {
                factor = text.back() == 's' ? 1e3 : text.back() == 'm' ? 6e4 : text.back() == 'h' ? 3.6e6 : 8.64e7;
                text.pop_back();
            }
            try {
                std::size_t used = 0;
                const double n = std::stod(text, &used);
                if (used != text.size() || !std::isfinite(n) || n < 0) throw std::invalid_argument(text);
                // A century at most, so the sum and the cast stay defined.
                result.duration_ms += static_cast<std::int64_t>(std::min(n * factor, 3.2e12));
            } catch (const std::logic_error&) {
                result.code = 1;
                result.err = fmt::format("sleep: invalid time interval '{}'\n", words[i]);
                result.duration_ms = 0;
                break;
            }
        }
    } else if (program == "cat") {
        if (words.size() == 1) result.out = input;
        for (std::size_t i = 1; i < words.size(); ++i) {
            if (auto content = remote_file(ctx, model, target.files_key, remote_path(words[i]))) {
                result.out += *content;
            } else {
                result.err += fmt::format("cat: {}: No such file or directory\n", words[i]);
                result.code = 1;
            }
        }
    }
    return result;
}

// ---- tasks ----------------------------------------------------------------------------------

// The times a task reports: enqueued now, started once its target can run it, completed
// after what the command takes (a canned `sleep`; anything else at once).
std::string task_time(std::int64_t sim_ms) { return format_iso(sim_ms); }

struct TaskResult {
    std::string id{};
    std::string receiver_key{};  ///< "unit" or "machine"
    std::string receiver{};      ///< unit name or machine ID
    std::string status{};
    std::string message{};
    nlohmann::json results = nlohmann::json::object();
    int return_code = 0;
    std::int64_t started_at = 0;  ///< simulated time the target starts the task
    std::int64_t ready_at = 0;    ///< simulated time the task completes
};

nlohmann::json task_json(Context& ctx, const TaskResult& task) {
    nlohmann::json out = {{"id", task.id}, {"status", task.status}};
    out[task.receiver_key] = task.receiver;
    if (!task.message.empty()) out["message"] = task.message;
    if (!task.results.empty()) out["results"] = task.results;
    out["timing"] = {{"enqueued", task_time(ctx.now)},
                     {"started", task_time(std::max(ctx.now, task.started_at))},
                     {"completed", task_time(std::max(ctx.now, task.ready_at))}};
    return out;
}

// juju's "plain" format: a single task's results as YAML then its stdout and stderr; several
// tasks as a YAML map of their summaries.
std::string plain_output(const std::map<std::string, TaskResult>& tasks) {
    auto results_yaml = [](const TaskResult& task) {
        ojson copy = ojson::object();
        for (const auto& [key, item] : task.results.items()) {
            if (key != "return-code" && key != "stdout" && key != "stderr") {
                copy[key] = ojson::parse(item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
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

// "pg/2" before "pg/10": juju sorts exec receivers naturally.
bool natural_less(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
        const bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
        if (da && db) {
            std::size_t ei = i, ej = j;
            while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
            while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
            const std::string na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
            if (na.size() != nb.size()) return na.size() < nb.size();
            if (na != nb) return na < nb;
            i = ei;
            j = ej;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

// exec's "plain" format: each receiver's stdout then stderr, headed by its name when there
// are several.
std::string exec_plain_output(const std::map<std::string, TaskResult>& tasks) {
    auto newline = [](std::string text) {
        if (!text.empty() && text.back() != '\n') text += '\n';
        return text;
    };
    std::vector<std::string> names;
    std::map<std::string, std::string> outputs;
    for (const auto& [name, task] : tasks) {
        names.push_back(name);
        for (const char* stream : {"stdout", "stderr"}) {
            if (auto it = task.results.find(stream); it != task.results.end() && it->is_string()) {
                outputs[name] += newline(it->get<std::string>());
            }
        }
    }
    std::sort(names.begin(), names.end(), natural_less);
    std::string out;
    for (const std::string& name : names) {
        if (outputs.size() > 1) out += name + ":\n";
        out += outputs[name];
        if (outputs.size() > 1) out += "\n";
    }
    return out;
}

// Prints the tasks of an operation in the requested format, and the failure juju reports
// when a task exited non-zero.
void print_tasks(Context& ctx, const std::map<std::string, TaskResult>& tasks,
                 const std::string& format, bool exec) {
    if (format == "plain") {
        ctx.out += exec ? exec_plain_output(tasks) : plain_output(tasks);
    } else {
        nlohmann::json doc = nlohmann::json::object();
        for (const auto& [key, task] : tasks) doc[key] = task_json(ctx, task);
        print_document(ctx, ojson::parse(doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)), format);
    }
    std::vector<std::string> failed;
    for (const auto& [key, task] : tasks) {
        if (task.return_code >= 1) {
            failed.push_back(fmt::format(" - id \"{}\" with return code {}", task.id,
                                         task.return_code));
        }
    }
    if (failed.empty()) return;
    std::sort(failed.begin(), failed.end());
    const std::string plural = failed.size() > 1 ? "s" : "";
    ctx.returncode = 1;
    ctx.err += fmt::format("ERROR the following task{} failed:\n{}\n\nuse 'juju show-task' to "
                           "inspect the failure{}\n",
                           plural, join(failed, "\n"), plural);
}

void print_background(Context& ctx, std::int64_t operation,
                      const std::map<std::string, TaskResult>& tasks) {
    if (tasks.size() == 1) {
        const std::string& id = tasks.begin()->second.id;
        ctx.err += fmt::format("Scheduled operation {} with task {}\n", operation, id);
        ctx.err += fmt::format("Check operation status with 'juju show-operation {}'\n", operation);
        ctx.err += fmt::format("Check task status with 'juju show-task {}'\n", id);
        return;
    }
    ctx.err += fmt::format("Scheduled operation {} with {} tasks\n", operation, tasks.size());
    ojson doc = ojson::object();
    for (const auto& [key, task] : tasks) doc[key] = {{"id", task.id}};
    ctx.out += to_yaml(doc);
    ctx.err += fmt::format("Check operation status with 'juju show-operation {}'\n", operation);
    ctx.err += "Check task status with 'juju show-task <id>'\n";
}

// Resolves a unit a task was asked for; when there is none, records the controller's
// wording (the receiver tag, quoted) in `errors`.
const UnitRow* find_receiver(const ModelState& state, const std::string& requested,
                             std::int64_t now, std::vector<std::string>& errors) {
    std::string error;
    const UnitRow* unit = find_unit(state, requested, now, error);
    if (unit) return unit;
    if (error.starts_with("unit ")) {
        std::string tag = "unit-" + requested;
        std::replace(tag.begin(), tag.end(), '/', '-');
        error = fmt::format("\"{}\" not found", tag);
    }
    errors.push_back(error);
    return nullptr;
}

std::string receiver_tag(const TaskResult& task) {
    if (task.receiver_key == "machine") return "machine-" + task.receiver;
    std::string tag = "unit-" + task.receiver;
    std::replace(tag.begin(), tag.end(), '/', '-');
    return tag;
}

// Waits for the operation's tasks one by one in the order they were enqueued, as juju does,
// on simulated time: a task completes once its target can run it. With --wait, a task not
// done by the deadline ends the command with juju's timeout error, naming every target not
// yet heard from (exit code 1, nothing on stdout). The time waited passes for the model.
// `progress`: run prints "Waiting for task N..." as it goes; exec keeps that to its log.
bool wait_for_tasks(Context& ctx, const std::map<std::string, TaskResult>& tasks,
                    const std::vector<std::string>& order, bool progress) {
    const auto wait = ctx.args.value("wait");
    const std::int64_t wait_ms = wait ? go_duration_ms(*wait) : -1;
    std::int64_t waited_until = ctx.now;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const TaskResult& task = tasks.at(order[i]);
        if (progress) ctx.err += fmt::format("Waiting for task {}...\n", task.id);
        if (wait_ms >= 0 && task.ready_at > ctx.now + wait_ms) {
            // Sorted by tag, named as juju's names.ReadableString names them.
            std::vector<std::pair<std::string, std::string>> late;
            for (std::size_t j = i; j < order.size(); ++j) {
                const TaskResult& t = tasks.at(order[j]);
                late.emplace_back(receiver_tag(t), t.receiver_key + " " + t.receiver);
            }
            std::sort(late.begin(), late.end());
            std::vector<std::string> readable;
            for (auto& [tag, name] : late) readable.push_back(std::move(name));
            ctx.err += fmt::format("ERROR timed out waiting for results from: {}\n", join(readable, ", "));
            ctx.returncode = 1;
            meta_set(ctx.db, "now_ms", std::to_string(ctx.now + wait_ms));
            return false;
        }
        waited_until = std::max(waited_until, task.ready_at);
    }
    meta_set(ctx.db, "now_ms", std::to_string(waited_until));
    return true;
}

// ---- run (actions) --------------------------------------------------------------------------

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
        return yaml_to_json(load_bounded_yaml(text));
    } catch (const YAML::Exception& e) {
        throw UsageError(ctx.command, fmt::format("cannot parse the value of \"{}\" as YAML: {}",
                                                  key, e.msg));
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
            params = yaml_to_json(doc);
        }
    }
    for (const std::string& arg : assignments) {
        const auto equals = arg.find('=');
        if (equals == std::string::npos) {
            throw UsageError(ctx.command,
                             fmt::format("argument \"{}\" must be of the form key.key.key...=value",
                                         arg));
        }
        const std::vector<std::string> keys = split(std::string_view(arg).substr(0, equals), '.');
        for (const std::string& key : keys) {
            if (!is_action_name(key)) {
                throw UsageError(ctx.command,
                                 fmt::format("key \"{}\" must start and end with lowercase "
                                             "alphanumeric, and contain only lowercase "
                                             "alphanumeric and hyphens",
                                             key));
            }
        }
        if (keys.empty()) {
            throw UsageError(ctx.command,
                             "argument must be of the form key.key.key...=value");
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
        return v.is_number_integer() || (v.is_number_float() && std::trunc(v.get<double>()) == v.get<double>());
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
            return fmt::format("validation failed: (root) : additional property \"{}\" is not "
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
    const std::string format = output_format(ctx, {"plain", "json", "yaml"});
    check_wait(ctx);
    const bool background = ctx.args.flag("background");
    if (background && ctx.args.value("wait")) {
        throw UsageError(ctx.command, "cannot specify both --wait and --background");
    }
    // <unit> [<unit> ...] <action> [key=value ...]
    const auto& p = ctx.args.positionals();
    std::vector<std::string> units;
    std::string action;
    std::size_t i = 0;
    std::set<std::string> apps;
    for (; i < p.size(); ++i) {
        if (is_unit_or_leader(p[i])) {
            units.push_back(p[i]);
            apps.insert(p[i].substr(0, p[i].find('/')));
        } else if (is_action_name(p[i])) {
            action = p[i++];
            break;
        } else {
            throw UsageError(ctx.command, fmt::format("invalid unit or action name \"{}\"", p[i]));
        }
    }
    if (units.empty()) throw UsageError(ctx.command, "no unit specified");
    if (action.empty()) throw UsageError(ctx.command, "no action specified");
    if (apps.size() > 1) throw UsageError(ctx.command, "all units must be of the same application");
    const nlohmann::json given = action_params(
        ctx, std::vector<std::string>(p.begin() + static_cast<long>(i), p.end()));

    const ModelRow model = current_model(ctx);
    const ModelState state = load_model_state(ctx, model);
    const std::int64_t operation = next_counter(ctx.db, "operation");
    std::vector<std::string> errors;
    std::map<std::string, TaskResult> tasks;
    std::vector<std::string> order;  ///< task keys in the order they were enqueued
    for (const std::string& requested : units) {
        const UnitRow* unit = find_receiver(state, requested, ctx.now, errors);
        if (!unit) continue;
        const AppRow& app = *state.app(unit->app);
        const auto spec_it = app.charm.actions.find(action);
        if (spec_it == app.charm.actions.end()) {
            if (ctx.juju4()) {
                // Juju 4 fails the command (jubilant maps this "(not found)" to ValueError).
                throw CommandError(fmt::format("action \"{}\" not defined for unit \"{}\". (not found)",
                                               action, unit->name()));
            }
            errors.push_back(fmt::format("action \"{}\" not defined on unit \"{}\"", action,
                                         unit->name()));
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
        if (!tasks.contains(unit->name())) order.push_back(unit->name());
        tasks[unit->name()] = std::move(task);
    }
    if (!background) ctx.err += "\n";
    if (tasks.empty()) {
        // juju 3.6 exits 0 here and prints no document: jubilant sees "no output" and raises.
        ctx.err += fmt::format("Operation {} failed to schedule any tasks:\n{}\n", operation,
                               join(errors, "\n"));
        return;
    }
    if (!background) {
        std::string progress = fmt::format("Running operation {} with {} task{}\n", operation,
                                           tasks.size(), tasks.size() > 1 ? "s" : "");
        for (const auto& [key, task] : tasks) {
            progress += fmt::format("  - task {} on {}\n", task.id, receiver_tag(task));
        }
        ctx.err = progress + ctx.err;
    }
    if (!errors.empty()) {
        ctx.err += fmt::format("Some actions could not be scheduled:\n{}\n\n", join(errors, "\n"));
    }
    if (background) {
        print_background(ctx, operation, tasks);
        return;
    }
    if (!wait_for_tasks(ctx, tasks, order, true)) return;
    print_tasks(ctx, tasks, format, false);
}

// ---- exec -----------------------------------------------------------------------------------

std::vector<std::string> list_values(Context& ctx, std::string_view flag) {
    std::vector<std::string> out;
    for (const std::string& v : ctx.args.values(flag)) {
        for (std::string& item : split(v, ',')) out.push_back(std::move(item));
    }
    return out;
}

void cmd_exec(Context& ctx) {
    const std::string format = output_format(ctx, {"plain", "json", "yaml"});
    check_wait(ctx);
    const bool background = ctx.args.flag("background");
    if (background && ctx.args.value("wait")) {
        throw UsageError(ctx.command, "cannot specify both --wait and --background");
    }
    const std::vector<std::string>& command = ctx.args.positionals();
    if (command.empty()) throw UsageError(ctx.command, "no commands specified");
    const bool all = ctx.args.flag("all");
    const std::vector<std::string> machines = list_values(ctx, "machine");
    const std::vector<std::string> apps = list_values(ctx, "application");
    const std::vector<std::string> units = list_values(ctx, "unit");
    if (!all && machines.empty() && apps.empty() && units.empty()) {
        throw UsageError(ctx.command, "You must specify a target, either through --all, "
                                      "--machine, --application or --unit");
    }
    if (all && (!machines.empty() || !apps.empty() || !units.empty())) {
        throw UsageError(ctx.command, "You cannot specify --all and individual targets");
    }
    for (const std::string& m : machines) {
        if (!is_machine_id(m)) throw UsageError(ctx.command, fmt::format("invalid machine id \"{}\"", m));
    }
    for (const std::string& u : units) {
        if (!is_unit_or_leader(u)) throw UsageError(ctx.command, fmt::format("invalid unit name \"{}\"", u));
    }

    const ModelRow model = current_model(ctx);
    const ModelState state = load_model_state(ctx, model);
    if (!machines.empty() && model.type == "caas") {
        throw CommandError("unable to target machines with a k8s controller");
    }
    if (ctx.args.flag("operator") && model.type != "caas") {
        throw CommandError("only k8s models support the --operator flag");
    }
    std::vector<Target> targets;
    std::vector<std::string> errors;
    if (all) {
        for (const MachineRow& m : state.machines) targets.push_back(machine_target(state, m));
    }
    for (const std::string& id : machines) {
        if (const MachineRow* m = find_machine(state, id)) {
            targets.push_back(machine_target(state, *m));
        } else {
            errors.push_back(fmt::format("\"machine-{}\" not found", id));
        }
    }
    for (const std::string& app : apps) {
        if (!state.app(app)) {
            errors.push_back(fmt::format("application \"{}\" not found", app));
            continue;
        }
        for (const UnitRow& u : state.units) {
            if (u.app == app) targets.push_back(unit_target(state, u, std::nullopt));
        }
    }
    for (const std::string& requested : units) {
        const UnitRow* unit = find_receiver(state, requested, ctx.now, errors);
        if (!unit) continue;
        targets.push_back(unit_target(state, *unit, std::nullopt));
    }

    const std::int64_t operation = next_counter(ctx.db, "operation");
    std::map<std::string, TaskResult> tasks;
    std::vector<std::string> order;
    for (const Target& target : targets) {
        if (tasks.contains(target.name)) continue;
        order.push_back(target.name);
        const CommandResult r = run_canned(ctx, model, target, command);
        TaskResult task{.id = std::to_string(next_counter(ctx.db, "operation")),
                        .receiver_key = target.is_unit ? "unit" : "machine",
                        .receiver = target.name,
                        .status = "completed",
                        .message = {},
                        .results = {{"return-code", r.code}},
                        .return_code = r.code,
                        .started_at = std::max(ctx.now, target.ready_at),
                        .ready_at = std::max(ctx.now, target.ready_at) + r.duration_ms};
        if (!r.out.empty()) task.results["stdout"] = r.out;
        if (!r.err.empty()) task.results["stderr"] = r.err;
        tasks[target.name] = std::move(task);
    }
    // exec keeps its progress messages out of the console, unlike run.
    if (tasks.empty()) {
        ctx.err += fmt::format("Operation {} failed to schedule any tasks:\n{}\n", operation,
                               join(errors, "\n"));
        return;
    }
    if (!errors.empty()) {
        ctx.err += fmt::format("Some actions could not be scheduled:\n{}\n\n", join(errors, "\n"));
    }
    if (background) {
        print_background(ctx, operation, tasks);
        return;
    }
    if (!wait_for_tasks(ctx, tasks, order, false)) return;
    print_tasks(ctx, tasks, format, true);
}

// ---- ssh and scp ----------------------------------------------------------------------------

// Skips OpenSSH/scp client options at the front of `args` ("-i key", "-o opt", "-p22", "-t");
// `with_value` lists the option letters that take a value.
std::size_t skip_client_options(const std::vector<std::string>& args, std::size_t first,
                                 std::string_view with_value) {
    std::size_t i = first;
    while (i < args.size()) {
        const std::string& arg = args[i];
        if (arg == "--") return i + 1;
        if (arg.size() < 2 || arg[0] != '-') break;
        ++i;
        for (std::size_t c = 1; c < arg.size(); ++c) {
            if (with_value.find(arg[c]) == std::string_view::npos) continue;
            if (c + 1 == arg.size()) ++i;  // the value is the next argument
            break;
        }
    }
    return std::min(i, args.size());
}

bool model_has_ssh_keys(Context& ctx, const ModelRow& model) {
    Statement& s = ctx.db.prepare("SELECT 1 FROM ssh_keys WHERE model_id = ?1 LIMIT 1");
    s.bind(model.id);
    const bool found = s.step();
    s.bind();
    return found;
}

void cmd_ssh(Context& ctx) {
    require_positionals(ctx, 1, 100000, "no target name specified");
    const ModelRow model = current_model(ctx);
    const ModelState state = load_model_state(ctx, model);
    const auto& p = ctx.args.positionals();
    const Target target = resolve_target(ctx, state, p[0], ctx.args.value("container"));
    if (ctx.juju4() && !model_has_ssh_keys(ctx, model)) {
        // Juju 4 no longer puts the client's key into a new model: until a key is added, the
        // machine refuses the connection, as ssh reports it (exit status 255).
        ctx.err += "Permission denied (publickey).\n";
        ctx.returncode = 255;
        return;
    }
    const std::size_t first = skip_client_options(p, 1, "BbcDEeFIiJLlmOopQRSWw");
    if (first >= p.size()) {
        throw CommandError("fake-juju cannot open an interactive ssh session: give a command "
                           "to run");
    }
    const CommandResult r = run_canned(ctx, model, target,
                                       std::vector<std::string>(p.begin() + static_cast<long>(first), p.end()),
                                       ctx.stdin_text);
    if (r.code != 0) {
        // ssh passes the remote exit status through; the engine can only exit 1 with it.
        throw CommandError(fmt::format("{}exit status {}", r.err, r.code));
    }
    ctx.out += r.out;
    ctx.err += r.err;
}

struct ScpSide {
    bool remote = false;
    std::string target{};
    std::string path{};
};

ScpSide scp_side(const std::string& arg) {
    const auto colon = arg.find(':');
    if (colon == std::string::npos) return {.remote = false, .target = {}, .path = arg};
    return {.remote = true, .target = arg.substr(0, colon), .path = arg.substr(colon + 1)};
}

std::string base_name(const std::string& path) {
    std::string trimmed = path;
    while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
    const auto slash = trimmed.find_last_of('/');
    return slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
}

// Writes `content` to a local file, created or truncated with mode 0600.
void write_local_file(const std::string& path, const std::string& content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw CommandError(fmt::format("scp: {}: {}", path, std::strerror(errno)));
    }
    ::fchmod(fd, 0600);
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int saved = errno;
            ::close(fd);
            throw CommandError(fmt::format("scp: {}: {}", path, std::strerror(saved)));
        }
        written += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) throw CommandError(fmt::format("scp: {}: {}", path, std::strerror(errno)));
}

// Whether the client options before `first` include the single-letter option `letter`
// (scp's -r, given alone or in a cluster such as -rp).
bool has_client_option(const std::vector<std::string>& args, std::size_t first, char letter) {
    for (std::size_t i = 0; i < first && i < args.size(); ++i) {
        if (args[i].size() > 1 && args[i][0] == '-' && args[i][1] != '-' &&
            args[i].find(letter) != std::string::npos) {
            return true;
        }
    }
    return false;
}

void store_remote_file(Context& ctx, const ModelRow& model, const Target& target, const std::string& path,
                       const std::string& content) {
    ctx.db.prepare("INSERT INTO remote_files(model_id, target, path, content) "
                   "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(model_id, target, path) "
                   "DO UPDATE SET content = excluded.content")
        .bind(model.id, target.files_key, path, content)
        .exec();
}

std::string read_local_file(Context& ctx, const std::string& path) {
    std::optional<std::string> content;
    try {
        content = ctx.read_file(path);
    } catch (const std::runtime_error& e) {
        throw CommandError(fmt::format("scp: {}", e.what()));
    }
    if (!content) throw CommandError(fmt::format("scp: {}: No such file or directory", path));
    return std::move(*content);
}

// The files scp put under remote directory `dir`, by path relative to it.
std::map<std::string, std::string> remote_directory(Context& ctx, const ModelRow& model,
                                                    const std::string& key, std::string dir) {
    if (!dir.ends_with("/")) dir += "/";
    Statement& s = ctx.db.prepare(
        "SELECT path, content FROM remote_files WHERE model_id = ?1 AND target = ?2 "
        "AND substr(path, 1, length(?3)) = ?3 ORDER BY path");
    s.bind(model.id, key, dir);
    std::map<std::string, std::string> files;
    while (s.step()) files[s.text(0).substr(dir.size())] = s.text(1);
    s.bind();
    return files;
}

void cmd_scp(Context& ctx) {
    const auto& p = ctx.args.positionals();
    const std::size_t first = skip_client_options(p, 0, "cDFiJloPSX");
    const bool recursive = has_client_option(p, first, 'r');
    const std::vector<std::string> paths(p.begin() + static_cast<long>(first), p.end());
    if (paths.size() < 2) {
        throw UsageError(ctx.command, "at least two arguments required");
    }
    if (paths.size() > 2) {
        throw UsageError(ctx.command, "fake-juju scp copies one source to one destination");
    }
    const ScpSide source = scp_side(paths[0]);
    const ScpSide destination = scp_side(paths[1]);
    if (source.remote == destination.remote) {
        throw CommandError(source.remote
                               ? "fake-juju scp cannot copy between two remote targets"
                               : "one of the arguments must be a remote path in the form "
                                 "<target>:<path>");
    }
    const ModelRow model = current_model(ctx);
    const ModelState state = load_model_state(ctx, model);
    const std::optional<std::string> container = ctx.args.value("container");
    if (destination.remote) {
        const Target target = resolve_target(ctx, state, destination.target, container);
        std::string path = remote_path(destination.path);
        std::error_code ec;
        if (fs::is_directory(source.path, ec)) {
            // scp's own refusal, passed through as juju passes scp's output.
            if (!recursive) throw CommandError(fmt::format("scp: {}: not a regular file", source.path));
            // Into an existing remote directory the source keeps its name; otherwise the
            // destination names the copy.
            if (destination.path.empty() || path == "/home/ubuntu" ||
                !remote_directory(ctx, model, target.files_key, path).empty()) {
                path = (path.ends_with("/") ? path : path + "/") + base_name(source.path);
            }
            // Bounded, so a directory such as / fails fast rather than being walked whole.
            constexpr std::size_t max_files = 10000;
            std::vector<fs::path> files;
            for (auto it = fs::recursive_directory_iterator(source.path, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                if (it->is_regular_file(ec)) files.push_back(it->path());
                if (files.size() > max_files) {
                    throw CommandError(fmt::format("scp: {}: fake-juju copies at most {} files", source.path,
                                                   max_files));
                }
            }
            if (ec) throw CommandError(fmt::format("scp: {}: {}", source.path, ec.message()));
            std::sort(files.begin(), files.end());
            for (const fs::path& file : files) {
                const std::string relative = file.lexically_relative(source.path).generic_string();
                store_remote_file(ctx, model, target, path + "/" + relative, read_local_file(ctx, file.string()));
            }
            return;
        }
        const std::string content = read_local_file(ctx, source.path);
        if (destination.path.empty() || destination.path.ends_with("/")) {
            if (!path.ends_with("/")) path += "/";
            path += base_name(source.path);
        }
        store_remote_file(ctx, model, target, path, content);
        return;
    }
    const Target target = resolve_target(ctx, state, source.target, container);
    const std::string path = remote_path(source.path);
    const std::optional<std::string> content = remote_file(ctx, model, target.files_key, path);
    std::string local = destination.path;
    std::error_code ec;
    if (!content) {
        const auto files = remote_directory(ctx, model, target.files_key, path);
        if (files.empty()) throw CommandError(fmt::format("scp: {}: No such file or directory", source.path));
        if (!recursive) throw CommandError(fmt::format("scp: {}: not a regular file", source.path));
        if (fs::is_directory(local, ec)) local = (fs::path(local) / base_name(path)).string();
        try {
            for (const auto& [relative, data] : files) {
                // A remote path spelt with ".." (scp stores what it was given) must not write
                // outside the local copy.
                const fs::path inside = fs::path(relative).lexically_normal();
                if (inside.empty() || inside.is_absolute() || *inside.begin() == "..") {
                    throw CommandError(fmt::format("scp: {}: refusing to write outside {}",
                                                   path + "/" + relative, local));
                }
                const fs::path file = fs::path(local) / inside;
                files::create_private_directories(file.parent_path());
                write_local_file(file.string(), data);
            }
        } catch (const files::FileError& e) {
            throw CommandError(fmt::format("scp: {}", e.what()));
        }
        return;
    }
    if (fs::is_directory(local, ec)) local = (fs::path(local) / base_name(path)).string();
    write_local_file(local, *content);
}

// ---- debug-log ------------------------------------------------------------------------------

constexpr std::array<std::string_view, 6> log_levels = {"TRACE", "DEBUG",   "INFO",
                                                        "WARNING", "ERROR", "CRITICAL"};

int level_rank(std::string_view level) {
    for (std::size_t i = 0; i < log_levels.size(); ++i) {
        if (log_levels[i] == level) return static_cast<int>(i);
    }
    return -1;
}

std::optional<std::int64_t> count_flag(Context& ctx, std::string_view flag, std::string_view name) {
    const auto text = ctx.args.value(name);
    if (!text) return std::nullopt;
    try {
        std::size_t used = 0;
        const long long n = std::stoll(*text, &used);
        if (used == text->size() && n >= 0) return n;
    } catch (const std::logic_error&) {
    }
    throw UsageError(ctx.command, fmt::format("invalid value \"{}\" for option {}: "
                                              "strconv.ParseUint: parsing \"{}\": invalid syntax",
                                              *text, flag, *text));
}

// An --include/--exclude entity: "unit-pg-0", "pg/0", an application "pg" (all its units),
// "machine-0" or a machine ID "0".
bool entity_matches(const std::string& entity, const std::string& pattern) {
    if (entity == pattern) return true;
    if (is_unit_or_leader(pattern)) {
        std::string tag = "unit-" + pattern;
        std::replace(tag.begin(), tag.end(), '/', '-');
        return entity == tag;
    }
    if (is_machine_id(pattern)) {
        std::string tag = "machine-" + pattern;
        std::replace(tag.begin(), tag.end(), '/', '-');
        return entity == tag;
    }
    if (is_app_name(pattern) && entity.starts_with("unit-" + pattern + "-")) {
        const std::string rest = entity.substr(6 + pattern.size());
        return !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) {
            return c >= '0' && c <= '9';
        });
    }
    return false;
}

// The fake cannot follow the log: it prints what is there and exits. --limit N (or -n N
// without --replay) keeps the newest N lines; otherwise every line is printed.
void cmd_debug_log(Context& ctx) {
    require_positionals(ctx, 0, 0, "");
    const auto limit = count_flag(ctx, "--limit", "limit");
    const auto lines = count_flag(ctx, "--lines", "lines");
    std::optional<int> min_level;
    if (auto level = ctx.args.value("level")) {
        std::string upper = *level;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) {
            return static_cast<char>(std::toupper(c));
        });
        if (upper == "WARN") upper = "WARNING";
        min_level = level_rank(upper);
        if (*min_level < 0) {
            throw UsageError(ctx.command, fmt::format("level value \"{}\" is not one of "
                                                      "\"TRACE\", \"DEBUG\", \"INFO\", "
                                                      "\"WARNING\", \"ERROR\", \"CRITICAL\"",
                                                      *level));
        }
    }
    const std::vector<std::string> include = list_values(ctx, "include");
    const std::vector<std::string> exclude = list_values(ctx, "exclude");
    const std::vector<std::string> include_module = list_values(ctx, "include-module");
    const std::vector<std::string> exclude_module = list_values(ctx, "exclude-module");
    auto module_in = [](const std::string& module, const std::vector<std::string>& prefixes) {
        return std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& prefix) {
            return module == prefix || module.starts_with(prefix + ".");
        });
    };

    const ModelRow model = current_model(ctx);
    Statement& s = ctx.db.prepare("SELECT time_ms, entity, level, module, message FROM log "
                                  "WHERE model_id = ?1 ORDER BY id");
    s.bind(model.id);
    std::vector<std::string> out;
    const bool with_date = ctx.args.flag("date");
    const bool with_ms = ctx.args.flag("ms");
    while (s.step()) {
        const std::int64_t time = s.integer(0);
        const std::string entity = s.text(1);
        const std::string level = s.text(2);
        const std::string module = s.text(3);
        if (min_level && level_rank(level) < *min_level) continue;
        auto matches = [&](const std::string& pattern) { return entity_matches(entity, pattern); };
        if (!include.empty() && std::none_of(include.begin(), include.end(), matches)) continue;
        if (std::any_of(exclude.begin(), exclude.end(), matches)) continue;
        if (!include_module.empty() && !module_in(module, include_module)) continue;
        if (module_in(module, exclude_module)) continue;
        const std::string iso = format_iso(time);  // 2025-01-01T00:00:05Z
        std::string stamp = (with_date ? iso.substr(0, 10) + " " : std::string()) + iso.substr(11, 8);
        if (with_ms) stamp += fmt::format(".{:03d}", ((time % 1000) + 1000) % 1000);
        out.push_back(fmt::format("{}: {} {} {} {}", entity, stamp, level, module, s.text(4)));
    }
    s.bind();
    std::optional<std::int64_t> keep;
    if (limit && *limit > 0) {
        keep = limit;
    } else if (lines && !ctx.args.flag("replay")) {
        keep = lines;
    }
    std::size_t start = 0;
    if (keep && static_cast<std::size_t>(*keep) < out.size()) start = out.size() - static_cast<std::size_t>(*keep);
    for (std::size_t i = start; i < out.size(); ++i) ctx.out += out[i] + "\n";
}

// ---- ssh keys -------------------------------------------------------------------------------

struct AuthorisedKey {
    std::string fingerprint{};
    std::string comment{};
};

// Parses an authorised_keys line ("[options] <type> <base64 blob> [comment]"): the blob must
// decode and start with its own type name, as in the SSH wire format.
std::optional<AuthorisedKey> parse_authorised_key(const std::string& key) {
    static const std::set<std::string, std::less<>> types = {
        "ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"};
    std::vector<std::string> fields;
    for (std::string& f : split(key, ' ')) {
        for (std::string& g : split(f, '\t')) fields.push_back(std::move(g));
    }
    for (std::size_t i = 0; i + 1 < fields.size(); ++i) {
        std::string type = fields[i];
        if (type.ends_with("-cert-v01@openssh.com")) type.resize(type.size() - 21);
        if (!types.contains(type)) continue;
        const auto blob = base64_decode(fields[i + 1]);
        if (!blob || blob->size() < 4) return std::nullopt;
        std::size_t length = 0;
        for (std::size_t b = 0; b < 4; ++b) {
            length = (length << 8) | static_cast<unsigned char>((*blob)[b]);
        }
        if (blob->size() < 4 + length || blob->substr(4, length) != fields[i]) return std::nullopt;
        return AuthorisedKey{
            .fingerprint = md5_fingerprint(*blob),
            .comment = join(std::vector<std::string>(fields.begin() + static_cast<long>(i) + 2, fields.end()), " ")};
    }
    return std::nullopt;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

void cmd_add_ssh_key(Context& ctx) {
    require_positionals(ctx, 1, 100000, "no ssh key specified");
    const ModelRow model = current_model(ctx);
    for (const std::string& arg : ctx.args.positionals()) {
        const std::string key = trimmed(arg);
        const auto parsed = key.find('\n') == std::string::npos ? parse_authorised_key(key)
                                                                 : std::nullopt;
        // juju reports each rejected key and still exits 0.
        if (!parsed) {
            ctx.err += fmt::format("cannot add key \"{}\": invalid ssh key: {}\n", arg, arg);
            continue;
        }
        Statement& s = ctx.db.prepare(
            "SELECT 1 FROM ssh_keys WHERE model_id = ?1 AND fingerprint = ?2");
        s.bind(model.id, parsed->fingerprint);
        const bool duplicate = s.step();
        s.bind();
        if (duplicate) {
            ctx.err += fmt::format("cannot add key \"{}\": duplicate ssh key: {}\n", arg, arg);
            continue;
        }
        ctx.db.prepare("INSERT INTO ssh_keys(model_id, fingerprint, comment, key) "
                       "VALUES (?1, ?2, ?3, ?4)")
            .bind(model.id, parsed->fingerprint, parsed->comment, key)
            .exec();
    }
}

// Removes keys by fingerprint, comment or full key text. The model's internal juju keys are
// neither stored nor listed; they always remain, so removing every listed key is allowed.
void cmd_remove_ssh_key(Context& ctx) {
    require_positionals(ctx, 1, 100000, "no ssh key id specified");
    const ModelRow model = current_model(ctx);
    for (const std::string& id : ctx.args.positionals()) {
        if (id == "juju-client-key" || id == "juju-system-key") {
            ctx.err += fmt::format("cannot remove key id \"{}\": may not delete internal key: {}\n",
                                   id, id);
            continue;
        }
        ctx.db.prepare("DELETE FROM ssh_keys WHERE model_id = ?1 AND (fingerprint = ?2 OR "
                       "(comment = ?2 AND comment != '') OR key = ?3)")
            .bind(model.id, id, trimmed(id))
            .exec();
        if (ctx.db.changes() == 0) {
            ctx.err += fmt::format("cannot remove key id \"{}\": invalid ssh key: {}\n", id, id);
        }
    }
}

void cmd_ssh_keys(Context& ctx) {
    require_positionals(ctx, 0, 0, "");
    const ModelRow model = current_model(ctx);
    const bool full = ctx.args.flag("full");
    Statement& s = ctx.db.prepare(
        "SELECT fingerprint, comment, key FROM ssh_keys WHERE model_id = ?1 ORDER BY rowid");
    s.bind(model.id);
    std::vector<std::string> lines;
    while (s.step()) {
        if (full) {
            lines.push_back(s.text(2));
        } else {
            const std::string comment = s.text(1);
            lines.push_back(s.text(0) + (comment.empty() ? "" : " (" + comment + ")"));
        }
    }
    s.bind();
    if (lines.empty()) {
        ctx.err += "No keys to display.\n";
        return;
    }
    ctx.out += fmt::format("Keys used in model: {}\n", model.short_name());
    for (const std::string& line : lines) ctx.out += line + "\n";
}

}  // namespace

std::vector<CommandDef> operation_commands() {
    const FlagSpec format = value({"--format"});
    const std::vector<FlagSpec> task_flags = {format,
                                              value({"--wait"}),
                                              boolean({"--background"}),
                                              boolean({"--color"}),
                                              boolean({"--no-color"}),
                                              boolean({"--utc"})};
    auto with = [](std::vector<FlagSpec> base, std::initializer_list<FlagSpec> more) {
        base.insert(base.end(), more.begin(), more.end());
        return base;
    };
    return {
        {.name = "add-ssh-key", .spec = {}, .run = cmd_add_ssh_key},
        {.name = "debug-log",
         .spec = {.flags = {value({"-n", "--lines"}), value({"--limit"}), boolean({"--replay"}),
                            boolean({"--no-tail"}), boolean({"--tail"}),
                            value({"-i", "--include"}), value({"-x", "--exclude"}),
                            value({"--include-module"}), value({"--exclude-module"}),
                            value({"--include-labels"}), value({"--exclude-labels"}),
                            value({"-l", "--level"}), boolean({"--ms"}), boolean({"--date"}),
                            boolean({"--utc"}), boolean({"--location"}), boolean({"--color"}),
                            boolean({"--no-color"}), boolean({"--retry"}),
                            value({"--retry-delay"}), boolean({"--firehose"})}},
         .run = cmd_debug_log},
        {.name = "exec",
         .spec = {.flags = with(task_flags,
                                {value({"-u", "--unit"}), value({"--machine"}),
                                 value({"-a", "--application", "--app"}), boolean({"--all"}),
                                 value({"--execution-group"}), boolean({"--parallel"}),
                                 boolean({"--operator"})}),
                  .stop_after_positionals = 1},
         .run = cmd_exec},
        {.name = "remove-ssh-key", .spec = {}, .run = cmd_remove_ssh_key},
        {.name = "run",
         .spec = {.flags = with(task_flags, {value({"--params"}), boolean({"--string-args"})})},
         .run = cmd_run},
        {.name = "scp",
         .spec = {.flags = {value({"--container"}), boolean({"--no-host-key-checks"}),
                            boolean({"--proxy"})}},
         .run = cmd_scp},
        {.name = "ssh",
         .spec = {.flags = {value({"--container"}), boolean({"--no-host-key-checks"}),
                            boolean({"--proxy"}), boolean({"--pty"})},
                  .stop_after_positionals = 1},
         .run = cmd_ssh},
        {.name = "ssh-keys", .spec = {.flags = {boolean({"--full"})}}, .run = cmd_ssh_keys},
    };
}

}  // namespace jubilant::fake
