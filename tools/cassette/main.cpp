// jubilant-cassette: inspect, lint, redact and diff cassette files from the command line.
//
// The tool only reads and writes cassettes through jubilant::cassette, so it sees exactly what
// the recorder and replayer see. It never runs a shell or any other process. Exit codes:
// 0 ok, 1 findings or differences, 2 usage error, 3 a cassette that fails to load.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <jubilant/cassette.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/shell_quote.hpp>

namespace {

namespace cas = jubilant::cassette;

constexpr int exit_ok = 0;
constexpr int exit_findings = 1;
constexpr int exit_usage = 2;
constexpr int exit_load = 3;
constexpr int exit_error = 4;  // anything else, e.g. the cassette could not be saved

/// A bad command line: reported with a hint to the subcommand's --help, exit 2.
struct UsageError : std::runtime_error {
    UsageError(const std::string& message, std::string command_name)
        : std::runtime_error(message), command(std::move(command_name)) {}
    std::string command;
};

/// A cassette that failed to load: the ParseError text already names file, line and column.
struct LoadError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------
// Help texts

constexpr std::string_view main_help = R"(Usage: jubilant-cassette COMMAND [ARGS...]

Inspect, lint, redact and compare jubilant cassette files.

Commands:
  show FILE [--format text|json|yaml]   print a cassette (text for people by default)
  list FILE                             one line per interaction
  stats FILE                            counts, durations, redactions, output sizes
  lint FILE...                          look for secrets that escaped redaction
  redact FILE [--literal V]... [--pattern RE2]...
                                        redact a cassette in place
  diff A B                              semantic difference between two cassettes

Run 'jubilant-cassette COMMAND --help' for details on one command.

Exit status: 0 ok, 1 findings (lint) or differences (diff), 2 usage error,
3 a cassette that fails to load, 4 any other error (e.g. saving failed).
)";

const std::map<std::string, std::string_view, std::less<>>& command_help() {
    static const std::map<std::string, std::string_view, std::less<>> help = {
        {"show", R"(Usage: jubilant-cassette show FILE [--format text|json|yaml]

Prints the cassette. 'text' (the default) shows the header, then each interaction as
'#N juju ARGS -> exit R, D ms' with the first line of stdin/stdout/stderr indented below it.
'json' prints the canonical cassette JSON; 'yaml' a YAML rendering meant for reading.
)"},
        {"list", R"(Usage: jubilant-cassette list FILE

Prints one line per interaction: index (from 1), exit code, duration, shell-quoted argv.
)"},
        {"stats", R"(Usage: jubilant-cassette stats FILE

Prints the interaction count, counts per command (first argument), total recorded duration,
redactions, and the bytes of stdout and stderr.
)"},
        {"lint", R"(Usage: jubilant-cassette lint FILE...

Reports what 'jubilant-cassette redact' (and the recorder) would replace, with the same
detector: PEM private keys, bearer tokens, credentials in URLs, values under sensitive keys
(password, token, secret, credential, private, key, ...) in JSON, YAML and name=value text,
revealed secret content (under content: or data:), long high-entropy tokens, in every
argument, stdin, stdout, stderr and temp file. Each finding names the interaction (from 1),
the field and the line; it shows at most the first 4 characters of a value.
Exits 1 when anything is found, 0 when every file is clean.
)"},
        {"redact", R"(Usage: jubilant-cassette redact FILE [--literal VALUE]... [--pattern REGEX]...

Applies the default redaction rules, plus the given literal values and RE2 regexes,
to every interaction, adds the replacements to the header count and saves the cassette
atomically (mode 0600). Prints the number of replacements.
)"},
        {"diff", R"(Usage: jubilant-cassette diff A B

Compares two cassettes: header fields, then interactions by index (argv per element, exit
code, stdin, stdout and stderr, with changed JSON paths for JSON output, temp files, timeouts),
then added or removed interactions. Durations are ignored: they differ on every recording.
Exits 0 when the cassettes are the same, 1 when they differ.
)"},
    };
    return help;
}

// ---------------------------------------------------------------------------------------------
// Helpers

cas::Cassette load(const std::string& path) {
    try {
        return cas::Cassette::load(path);
    } catch (const jubilant::Error& e) {
        throw LoadError(e.what());
    }
}

std::string format_ms(std::chrono::microseconds duration) {
    return fmt::format("{:.1f} ms", static_cast<double>(duration.count()) / 1000.0);
}

std::string first_line(std::string_view text, std::size_t limit = 100) {
    auto line = text.substr(0, text.find('\n'));
    std::string out(line.substr(0, limit));
    if (line.size() > limit || line.size() < text.size() - (text.ends_with('\n') ? 1 : 0)) {
        out += " ...";
    }
    return out;
}

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3
                                                       : (c >> 3) == 0x1e ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
        }
        i += len;
    }
    return true;
}

/// Positional arguments and repeatable --flag VALUE options of one subcommand.
struct ParsedArgs {
    std::vector<std::string> positional;
    std::multimap<std::string, std::string> options;
    bool help = false;
};

ParsedArgs parse_args(const std::string& command, const std::vector<std::string>& args,
                      const std::set<std::string>& value_flags) {
    ParsedArgs parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            parsed.help = true;
        } else if (arg == "--") {
            parsed.positional.insert(parsed.positional.end(), args.begin() + i + 1, args.end());
            break;
        } else if (arg.starts_with("--")) {
            auto name = arg;
            std::optional<std::string> value;
            if (auto eq = arg.find('='); eq != std::string::npos) {
                name = arg.substr(0, eq);
                value = arg.substr(eq + 1);
            }
            if (!value_flags.contains(name)) {
                throw UsageError(fmt::format("unknown option '{}'", name), command);
            }
            if (!value) {
                if (i + 1 >= args.size()) {
                    throw UsageError(fmt::format("option '{}' needs a value", name), command);
                }
                value = args[++i];
            }
            parsed.options.emplace(name, *value);
        } else if (arg.size() > 1 && arg.starts_with('-')) {
            throw UsageError(fmt::format("unknown option '{}'", arg), command);
        } else {
            parsed.positional.push_back(arg);
        }
    }
    return parsed;
}

void expect_files(const ParsedArgs& parsed, const std::string& command, std::size_t count) {
    if (parsed.positional.size() < count) {
        throw UsageError(count == 1 ? "missing FILE argument"
                                    : fmt::format("expected {} FILE arguments", count),
                         command);
    }
    if (parsed.positional.size() > count) {
        throw UsageError(fmt::format("unexpected argument '{}'", parsed.positional[count]),
                         command);
    }
}

// ---------------------------------------------------------------------------------------------
// show / list / stats

void show_text(const std::string& path, const cas::Cassette& c) {
    const auto& h = c.header;
    fmt::print("cassette: {}\n", path);
    fmt::print("format version: {}\n", h.format_version);
    fmt::print("created: {}\n", h.created);
    fmt::print("toolkit version: {}\n", h.toolkit_version);
    fmt::print("juju version: {}\n", h.juju_version.value_or("unknown"));
    fmt::print("recorded from: {}\n", h.recorded_from);
    fmt::print("redactions: {}\n", h.redactions);
    fmt::print("interactions: {}\n", c.interactions.size());
    std::size_t index = 0;
    for (const auto& i : c.interactions) {
        ++index;
        fmt::print("\n#{} juju {} -> exit {}, {}{}\n", index, jubilant::shell_join(i.args),
                   i.returncode, format_ms(i.duration), i.timed_out ? " (timed out)" : "");
        if (i.stdin_text) fmt::print("    stdin:  {}\n", first_line(*i.stdin_text));
        for (const auto& f : i.temp_files) {
            fmt::print("    temp file {}: {}\n", f.name,
                       f.redacted ? "[redacted]" : first_line(f.content.value_or("")));
        }
        if (!i.stdout_text.empty()) fmt::print("    stdout: {}\n", first_line(i.stdout_text));
        if (!i.stderr_text.empty()) fmt::print("    stderr: {}\n", first_line(i.stderr_text));
    }
}

void emit_bytes(YAML::Emitter& out, const std::string& bytes) {
    if (!valid_utf8(bytes)) {
        out << YAML::Binary(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    } else if (bytes.find('\n') != std::string::npos) {
        out << YAML::Literal << bytes;
    } else {
        out << bytes;
    }
}

void show_yaml(const cas::Cassette& c) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "header" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "version" << YAML::Value << c.header.format_version;
    out << YAML::Key << "created" << YAML::Value << c.header.created;
    out << YAML::Key << "toolkit_version" << YAML::Value << c.header.toolkit_version;
    out << YAML::Key << "juju_version" << YAML::Value;
    if (c.header.juju_version) {
        out << *c.header.juju_version;
    } else {
        out << YAML::Null;
    }
    out << YAML::Key << "recorded_from" << YAML::Value << c.header.recorded_from;
    out << YAML::Key << "redactions" << YAML::Value << c.header.redactions;
    out << YAML::EndMap;
    out << YAML::Key << "interactions" << YAML::Value << YAML::BeginSeq;
    for (const auto& i : c.interactions) {
        out << YAML::BeginMap;
        out << YAML::Key << "args" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto& a : i.args) emit_bytes(out, a);
        out << YAML::EndSeq;
        if (i.stdin_text) {
            out << YAML::Key << "stdin" << YAML::Value;
            emit_bytes(out, *i.stdin_text);
        }
        if (!i.temp_files.empty()) {
            out << YAML::Key << "temp_files" << YAML::Value << YAML::BeginSeq;
            for (const auto& f : i.temp_files) {
                out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << f.name;
                out << YAML::Key << "sensitive" << YAML::Value << f.sensitive;
                out << YAML::Key << "redacted" << YAML::Value << f.redacted;
                if (f.content) {
                    out << YAML::Key << "content" << YAML::Value;
                    emit_bytes(out, *f.content);
                }
                out << YAML::EndMap;
            }
            out << YAML::EndSeq;
        }
        out << YAML::Key << "returncode" << YAML::Value << i.returncode;
        out << YAML::Key << "stdout" << YAML::Value;
        emit_bytes(out, i.stdout_text);
        out << YAML::Key << "stderr" << YAML::Value;
        emit_bytes(out, i.stderr_text);
        out << YAML::Key << "duration_ms" << YAML::Value
            << static_cast<double>(i.duration.count()) / 1000.0;
        if (i.timed_out) out << YAML::Key << "timed_out" << YAML::Value << true;
        if (i.timeout) out << YAML::Key << "timeout_ms" << YAML::Value << i.timeout->count();
        out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
    fmt::print("{}\n", out.c_str());
}

int cmd_show(const std::vector<std::string>& args) {
    auto parsed = parse_args("show", args, {"--format"});
    if (parsed.help) return -1;
    expect_files(parsed, "show", 1);
    std::string format = "text";
    if (auto it = parsed.options.find("--format"); it != parsed.options.end()) {
        format = it->second;
    }
    if (format != "text" && format != "json" && format != "yaml") {
        throw UsageError(fmt::format("unknown format '{}' (expected text, json or yaml)", format),
                         "show");
    }
    const auto& path = parsed.positional[0];
    auto c = load(path);
    if (format == "json") {
        fmt::print("{}", c.to_json());
    } else if (format == "yaml") {
        show_yaml(c);
    } else {
        show_text(path, c);
    }
    return exit_ok;
}

int cmd_list(const std::vector<std::string>& args) {
    auto parsed = parse_args("list", args, {});
    if (parsed.help) return -1;
    expect_files(parsed, "list", 1);
    auto c = load(parsed.positional[0]);
    std::size_t index = 0;
    for (const auto& i : c.interactions) {
        fmt::print("{:>4}  exit {:<3}  {:>10}  juju {}\n", ++index, i.returncode,
                   format_ms(i.duration), jubilant::shell_join(i.args));
    }
    return exit_ok;
}

int cmd_stats(const std::vector<std::string>& args) {
    auto parsed = parse_args("stats", args, {});
    if (parsed.help) return -1;
    expect_files(parsed, "stats", 1);
    auto c = load(parsed.positional[0]);
    std::map<std::string, std::size_t> per_command;
    std::chrono::microseconds total{};
    std::size_t stdout_bytes = 0;
    std::size_t stderr_bytes = 0;
    std::size_t redacted_files = 0;
    std::size_t failed = 0;
    std::size_t timed_out = 0;
    for (const auto& i : c.interactions) {
        ++per_command[i.args.empty() ? std::string("(none)") : i.args.front()];
        total += i.duration;
        stdout_bytes += i.stdout_text.size();
        stderr_bytes += i.stderr_text.size();
        redacted_files += static_cast<std::size_t>(
            std::count_if(i.temp_files.begin(), i.temp_files.end(),
                          [](const auto& f) { return f.redacted; }));
        failed += i.returncode != 0 ? 1 : 0;
        timed_out += i.timed_out ? 1 : 0;
    }
    fmt::print("interactions: {}\n", c.interactions.size());
    fmt::print("failed (non-zero exit): {}\n", failed);
    fmt::print("timed out: {}\n", timed_out);
    fmt::print("total duration: {}\n", format_ms(total));
    fmt::print("redactions: {}\n", c.header.redactions);
    fmt::print("redacted temp files: {}\n", redacted_files);
    fmt::print("stdout bytes: {}\n", stdout_bytes);
    fmt::print("stderr bytes: {}\n", stderr_bytes);
    fmt::print("commands:\n");
    for (const auto& [name, count] : per_command) fmt::print("  {}: {}\n", name, count);
    return exit_ok;
}

// ---------------------------------------------------------------------------------------------
// lint

int cmd_lint(const std::vector<std::string>& args) {
    auto parsed = parse_args("lint", args, {});
    if (parsed.help) return -1;
    if (parsed.positional.empty()) throw UsageError("missing FILE argument", "lint");
    int status = exit_ok;
    for (const auto& path : parsed.positional) {
        cas::Cassette c;
        try {
            c = load(path);
        } catch (const LoadError& e) {
            std::cerr << "jubilant-cassette: " << e.what() << "\n";
            status = exit_load;
            continue;
        }
        const auto findings = cas::lint(c);
        for (const auto& f : findings) {
            fmt::print("{}: interaction {}: {}: {} ({}) on line {}\n", path, f.interaction, f.field,
                       cas::describe(f.kind), f.preview, f.line);
        }
        const std::size_t count = findings.size();
        if (count == 0) {
            fmt::print("{}: no findings\n", path);
        } else if (status == exit_ok) {
            status = exit_findings;
        }
    }
    return status;
}

// ---------------------------------------------------------------------------------------------
// redact

int cmd_redact(const std::vector<std::string>& args) {
    auto parsed = parse_args("redact", args, {"--literal", "--pattern"});
    if (parsed.help) return -1;
    expect_files(parsed, "redact", 1);
    cas::RedactionRules rules;
    for (const auto& [flag, value] : parsed.options) {
        if (value.empty()) throw UsageError(fmt::format("empty value for '{}'", flag), "redact");
        if (flag == "--literal") {
            rules.literals.push_back(value);
        } else {
            try {
                cas::check_rules({.patterns = {value}});
            } catch (const jubilant::Error& e) {
                throw UsageError(fmt::format("invalid --pattern: {}", e.what()), "redact");
            }
            rules.patterns.push_back(value);
        }
    }
    const auto& path = parsed.positional[0];
    auto c = load(path);
    std::int64_t total = 0;
    for (auto& i : c.interactions) i = cas::redact(i, rules, &total);
    c.header.redactions += total;
    c.save(path);
    fmt::print("{}: {} replacement{}\n", path, total, total == 1 ? "" : "s");
    return exit_ok;
}

// ---------------------------------------------------------------------------------------------
// diff

std::string quoted(const std::string& s) { return nlohmann::json(s).dump(); }

std::string quoted(const std::optional<std::string>& s) { return s ? quoted(*s) : "null"; }

/// Describes how two outputs differ: changed JSON paths when both are JSON documents,
/// otherwise the first differing line.
std::vector<std::string> describe_output_change(const std::string& a, const std::string& b) {
    std::vector<std::string> lines;
    auto ja = nlohmann::json::parse(a, nullptr, false);
    auto jb = nlohmann::json::parse(b, nullptr, false);
    if (!ja.is_discarded() && !jb.is_discarded() && (ja.is_structured() || jb.is_structured())) {
        if (ja == jb) {
            lines.push_back("same JSON value, different bytes");
            return lines;
        }
        for (const auto& op : nlohmann::json::diff(ja, jb)) {
            lines.push_back(fmt::format("JSON {} {}", op["op"].get<std::string>(),
                                        op["path"].get<std::string>()));
        }
        return lines;
    }
    std::size_t line = 1;
    std::size_t pos = 0;
    while (true) {
        auto ea = a.find('\n', pos);
        auto eb = b.find('\n', pos);
        auto la = a.substr(std::min(pos, a.size()), ea == std::string::npos ? std::string::npos
                                                                          : ea - pos);
        auto lb = b.substr(std::min(pos, b.size()), eb == std::string::npos ? std::string::npos
                                                                          : eb - pos);
        if (la != lb || ea != eb) {
            lines.push_back(fmt::format("line {} differs", line));
            return lines;
        }
        if (ea == std::string::npos) break;
        pos = ea + 1;
        ++line;
    }
    lines.push_back("differs");
    return lines;
}

int cmd_diff(const std::vector<std::string>& args) {
    auto parsed = parse_args("diff", args, {});
    if (parsed.help) return -1;
    expect_files(parsed, "diff", 2);
    auto a = load(parsed.positional[0]);
    auto b = load(parsed.positional[1]);
    std::size_t differences = 0;
    auto say = [&](const std::string& line) {
        fmt::print("{}\n", line);
        ++differences;
    };
    auto field = [&](std::string_view name, const auto& x, const auto& y) {
        if (x != y) say(fmt::format("header {}: {} -> {}", name, quoted(x), quoted(y)));
    };
    field("created", a.header.created, b.header.created);
    field("toolkit_version", a.header.toolkit_version, b.header.toolkit_version);
    field("juju_version", a.header.juju_version, b.header.juju_version);
    field("recorded_from", a.header.recorded_from, b.header.recorded_from);
    if (a.header.redactions != b.header.redactions) {
        say(fmt::format("header redactions: {} -> {}", a.header.redactions, b.header.redactions));
    }
    const auto common = std::min(a.interactions.size(), b.interactions.size());
    for (std::size_t k = 0; k < common; ++k) {
        const auto& x = a.interactions[k];
        const auto& y = b.interactions[k];
        const auto n = k + 1;
        const auto arg_count = std::max(x.args.size(), y.args.size());
        for (std::size_t i = 0; i < arg_count; ++i) {
            if (i >= x.args.size()) {
                say(fmt::format("interaction {}: args[{}] added: {}", n, i, quoted(y.args[i])));
            } else if (i >= y.args.size()) {
                say(fmt::format("interaction {}: args[{}] removed: {}", n, i, quoted(x.args[i])));
            } else if (x.args[i] != y.args[i]) {
                say(fmt::format("interaction {}: args[{}]: {} -> {}", n, i, quoted(x.args[i]),
                                quoted(y.args[i])));
            }
        }
        if (x.returncode != y.returncode) {
            say(fmt::format("interaction {}: exit {} -> {}", n, x.returncode, y.returncode));
        }
        if (x.stdin_text != y.stdin_text) say(fmt::format("interaction {}: stdin changed", n));
        for (auto [name, sa, sb] : {std::tuple{"stdout", &x.stdout_text, &y.stdout_text},
                                    std::tuple{"stderr", &x.stderr_text, &y.stderr_text}}) {
            if (*sa == *sb) continue;
            for (const auto& d : describe_output_change(*sa, *sb)) {
                say(fmt::format("interaction {}: {}: {}", n, name, d));
            }
        }
        if (x.temp_files != y.temp_files) {
            say(fmt::format("interaction {}: temp files changed", n));
        }
        if (x.timed_out != y.timed_out) {
            say(fmt::format("interaction {}: timed_out {} -> {}", n, x.timed_out, y.timed_out));
        }
        if (x.timeout != y.timeout) say(fmt::format("interaction {}: timeout changed", n));
    }
    for (std::size_t k = common; k < a.interactions.size(); ++k) {
        say(fmt::format("interaction {}: removed: juju {}", k + 1,
                        jubilant::shell_join(a.interactions[k].args)));
    }
    for (std::size_t k = common; k < b.interactions.size(); ++k) {
        say(fmt::format("interaction {}: added: juju {}", k + 1,
                        jubilant::shell_join(b.interactions[k].args)));
    }
    if (differences == 0) fmt::print("cassettes are the same\n");
    return differences == 0 ? exit_ok : exit_findings;
}

// ---------------------------------------------------------------------------------------------

using Command = int (*)(const std::vector<std::string>&);

int run(int argc, char** argv) {
    static const std::map<std::string, Command, std::less<>> commands = {
        {"show", cmd_show}, {"list", cmd_list},     {"stats", cmd_stats},
        {"lint", cmd_lint}, {"redact", cmd_redact}, {"diff", cmd_diff},
    };
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) throw UsageError("missing COMMAND", "");
    const auto& name = args.front();
    if (name == "--help" || name == "-h" || name == "help") {
        fmt::print("{}", main_help);
        return exit_ok;
    }
    auto it = commands.find(name);
    if (it == commands.end()) throw UsageError(fmt::format("unknown command '{}'", name), "");
    const int rc = it->second(std::vector<std::string>(args.begin() + 1, args.end()));
    if (rc < 0) {  // the subcommand saw --help
        fmt::print("{}", command_help().at(name));
        return exit_ok;
    }
    return rc;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const UsageError& e) {
        std::cerr << "jubilant-cassette: " << e.what() << "\n"
                  << "Try 'jubilant-cassette " << (e.command.empty() ? "" : e.command + " ")
                  << "--help'.\n";
        return exit_usage;
    } catch (const LoadError& e) {
        std::cerr << "jubilant-cassette: " << e.what() << "\n";
        return exit_load;
    } catch (const std::exception& e) {
        // Saving can fail (permissions, full disk); that is neither a usage nor a load error.
        std::cerr << "jubilant-cassette: error: " << e.what() << "\n";
        return exit_error;
    }
}
