// jubilant-cassette: inspect, lint, redact and diff cassette files from the command line.
//
// The tool only reads and writes cassettes through jubilant::cassette, so it sees exactly what
// the recorder and replayer see. It never runs a shell or any other process. Exit codes:
// 0 ok, 1 findings or differences, 2 usage error, 3 a cassette that fails to load (or a
// directory without cassettes), 4 any other error.
//
// Interactions are numbered from 0 ("interaction #3"), as replay's errors number them, so a
// number from a failed test can be looked up here. Every message names a cassette by its
// absolute path, whatever the working directory was.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <jubilant/cassette.hpp>
#include <jubilant/errors.hpp>
#include "print/shell_quote.hpp"
#include "utf8.hpp"

#ifndef JUBILANT_TOOLKIT_VERSION
#define JUBILANT_TOOLKIT_VERSION "unknown"
#endif

namespace {

namespace cas = jubilant::cassette;
namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr int exit_ok = 0;
constexpr int exit_findings = 1;
constexpr int exit_usage = 2;
constexpr int exit_load = 3;
constexpr int exit_error = 4;  // anything else, e.g. the cassette could not be saved

/// Version of the `--format json` reports (documented in docs/how-to/inspect-and-lint-cassettes.md).
/// Fields may be added within a version; none is removed or changes meaning.
constexpr int report_version = 1;

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
// Help texts (the option lists come from CLI11)

constexpr std::string_view exit_status_help = R"(
Interactions are numbered from 0, as replay errors number them.
Exit status: 0 ok, 1 findings (lint) or differences (diff), 2 usage error,
3 a cassette that fails to load (or a directory without cassettes), 4 any other error.)";

constexpr std::string_view inputs_help = R"(
Each FILE may be a directory: every *.json cassette below it is read (recursively, sorted,
hidden files and directories skipped; a cassette whose recording was interrupted is read
through its journal).)";

constexpr std::string_view show_help = R"(
'text' (the default) shows the header, then each interaction as
'#N juju ARGS -> exit R, D ms' with the first line of stdin/stdout/stderr indented below it.
'json' prints the canonical cassette JSON; 'yaml' a YAML rendering meant for reading.)";

constexpr std::string_view list_help = R"(
Prints, per cassette, one line per interaction: number, exit code, duration, shell-quoted
argv. Failed recordings (*.failed.json) in a directory are skipped; name one to list it.)";

constexpr std::string_view stats_help = R"(
Prints, per cassette, the juju version, date and backend it was recorded with, the
interaction count, counts per command (first argument), total recorded duration, redactions,
and the bytes of stdout and stderr; with several cassettes, a summary with the juju versions
and the oldest and newest recording. Failed recordings (*.failed.json) in a directory are
skipped; name one to include it.)";

constexpr std::string_view lint_help = R"(
Reports what 'jubilant-cassette redact' (and the recorder) would replace, with the same
detector: PEM private keys, bearer tokens, credentials in URLs, values under sensitive keys
(password, token, secret, credential, private, key, ...) in JSON, YAML and name=value text,
revealed secret content (under content: or data:), long generated-looking tokens, in every
argument, stdin, stdout, stderr and temp file. Each finding names the interaction, the field
and the line; it shows at most the first 4 characters of a value.
Failed recordings (*.failed.json) in a directory are linted too: they sit beside the
cassettes and get committed as easily. Ends with a summary; exits 1 when anything is found,
3 when a cassette does not load, 0 when every cassette is clean.)";

constexpr std::string_view redact_help = R"(
Applies the default redaction rules, plus the given literal values and RE2 regexes,
to every interaction, adds the replacements to the header count and saves the cassette
atomically (mode 0600). Prints the number of replacements.)";

constexpr std::string_view diff_help = R"(
Compares two cassettes: header fields, then the interactions, aligned by request (a longest
common subsequence, so one extra call is one 'added' line, not a difference in every later
interaction). Aligned interactions are compared field by field: argv per element, exit code,
stdin, stdout and stderr (changed JSON paths for JSON output), temp files, timeouts.
'#A -> #B' numbers an interaction in each cassette when they differ; 'removed' uses A's
numbers and 'added' B's. Durations are ignored: they differ on every recording.
Exits 0 when the cassettes are the same, 1 when they differ.)";

// ---------------------------------------------------------------------------------------------
// Helpers

/// The absolute, normalised form of a path from the command line: messages use it, so they
/// name the same file whatever directory the tool ran in.
std::string absolute_path(const std::string& arg) {
    std::error_code ec;
    const auto path = fs::absolute(arg, ec);
    return ec ? arg : path.lexically_normal().string();
}

cas::Cassette load(const std::string& path) {
    try {
        return cas::Cassette::load(path);
    } catch (const jubilant::Error& e) {
        throw LoadError(e.what());
    }
}

void print_json(const Json& value) {
    // Cassette bytes need not be UTF-8; a report shows U+FFFD for a byte that is not.
    fmt::print("{}\n", value.dump(2, ' ', false, Json::error_handler_t::replace));
}

std::string format_ms(std::chrono::microseconds duration) {
    return fmt::format("{:.1f} ms", static_cast<double>(duration.count()) / 1000.0);
}

double to_ms(std::chrono::microseconds duration) {
    return static_cast<double>(duration.count()) / 1000.0;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string first_line(std::string_view text, std::size_t limit = 100) {
    auto line = text.substr(0, text.find('\n'));
    std::string out(line.substr(0, limit));
    if (line.size() > limit || line.size() < text.size() - (text.ends_with('\n') ? 1 : 0)) {
        out += " ...";
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Inputs: files and directories

constexpr std::string_view cassette_suffix = ".json";
constexpr std::string_view failed_suffix = ".failed.json";  // a recording kept aside on failure
constexpr std::string_view journal_suffix = ".journal";

/// What a directory walk does with failed recordings (`<name>.failed.json`).
enum class FailedRecordings { include, skip };

/// A cassette that could not be read, or a directory that holds none.
struct FileError {
    std::string path;
    std::string message;
};

/// The cassettes named on a command line, directories expanded.
struct Inputs {
    std::vector<std::string> cassettes;  ///< absolute paths, in command-line order
    std::vector<std::string> skipped;    ///< failed recordings left out of a directory walk
    std::vector<FileError> errors;       ///< directories that could not be walked or are empty
};

/// The cassettes below `dir`, sorted: regular `*.json` files, and the cassette of a journal
/// left without one (a recording killed before its first save; Cassette::load reads it).
void walk_directory(const std::string& dir, FailedRecordings failed, Inputs& in,
                    std::vector<std::string>& found) {
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (const fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        std::error_code entry_ec;
        if (name.starts_with('.')) {  // .git, editors' and the writer's temp files
            if (it->is_directory(entry_ec)) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(entry_ec)) continue;  // FIFOs and devices are never opened
        std::string path = it->path().string();
        if (name.ends_with(journal_suffix)) {
            path.resize(path.size() - journal_suffix.size());
            if (!path.ends_with(cassette_suffix) || fs::exists(path, entry_ec)) continue;
        } else if (!name.ends_with(cassette_suffix)) {
            continue;
        }
        if (failed == FailedRecordings::skip && path.ends_with(failed_suffix)) {
            in.skipped.push_back(path);
            continue;
        }
        found.push_back(std::move(path));
    }
    if (ec)
        in.errors.push_back({dir, fmt::format("cannot read directory {}: {}", dir, ec.message())});
}

Inputs expand_inputs(const std::vector<std::string>& args, FailedRecordings failed) {
    Inputs in;
    std::set<std::string> seen;
    auto add = [&](const std::string& path) {
        if (seen.insert(path).second) in.cassettes.push_back(path);
    };
    for (const auto& arg : args) {
        const auto path = absolute_path(arg);
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            add(path);  // Cassette::load says what is wrong with anything else
            continue;
        }
        std::vector<std::string> found;
        const auto skipped_before = in.skipped.size();
        walk_directory(path, failed, in, found);
        std::sort(found.begin(), found.end());
        for (const auto& f : found) add(f);
        if (found.empty()) {
            const auto skipped = in.skipped.size() - skipped_before;
            in.errors.push_back(
                {path, fmt::format("no cassettes (*.json) under {}{}", path,
                                   skipped == 0 ? ""
                                                : fmt::format(" (skipped {})",
                                                              plural(skipped, "failed recording",
                                                                     "failed recordings")))});
        }
    }
    return in;
}

/// Loads each input in turn and hands it to `each`; a cassette that does not load is reported
/// on stderr and returned, and the others still run.
std::vector<FileError> for_each_cassette(
    const Inputs& in, const std::function<void(const std::string&, const cas::Cassette&)>& each) {
    std::vector<FileError> errors = in.errors;
    for (const auto& e : in.errors) std::cerr << "jubilant-cassette: " << e.message << "\n";
    for (const auto& path : in.cassettes) {
        cas::Cassette c;
        try {
            c = load(path);
        } catch (const LoadError& e) {
            std::cerr << "jubilant-cassette: " << e.what() << "\n";
            errors.push_back({path, e.what()});
            continue;
        }
        each(path, c);
    }
    return errors;
}

Json errors_json(const std::vector<FileError>& errors) {
    Json out = Json::array();
    for (const auto& e : errors) out.push_back({{"path", e.path}, {"message", e.message}});
    return out;
}

Json report_json(std::string_view command) {
    return Json{{"command", command}, {"version", report_version}};
}

/// Prints the `--format json` report of a command that reads many cassettes.
void print_batch_report(std::string_view command, Json cassettes,
                        const std::vector<FileError>& errors, const Inputs& in, Json summary) {
    auto out = report_json(command);
    out["cassettes"] = std::move(cassettes);
    out["errors"] = errors_json(errors);
    out["skipped"] = in.skipped;
    out["summary"] = std::move(summary);
    print_json(out);
}

/// The line that says what a directory walk left out.
void print_skipped(const Inputs& in) {
    if (in.skipped.empty()) return;
    fmt::print("skipped {} (*.failed.json): name one to include it\n",
               plural(in.skipped.size(), "failed recording", "failed recordings"));
}

int batch_status(const std::vector<FileError>& errors, bool findings) {
    return !errors.empty() ? exit_load : findings ? exit_findings : exit_ok;
}

std::string interaction_label(std::size_t index) { return fmt::format("#{}", index); }

// ---------------------------------------------------------------------------------------------
// show

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
        fmt::print("\n{} juju {} -> exit {}, {}{}\n", interaction_label(index++),
                   jubilant::shell_join(i.args), i.returncode, format_ms(i.duration),
                   i.timed_out ? " (timed out)" : "");
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
    if (!jubilant::text::valid_utf8(bytes)) {
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

int cmd_show(const std::string& file, const std::string& format) {
    const auto path = absolute_path(file);
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

// ---------------------------------------------------------------------------------------------
// list

int cmd_list(const std::vector<std::string>& files, const std::string& format) {
    const auto in = expand_inputs(files, FailedRecordings::skip);
    Json cassettes = Json::array();
    std::size_t total = 0;
    std::size_t read = 0;
    const auto errors = for_each_cassette(in, [&](const std::string& path, const cas::Cassette& c) {
        total += c.interactions.size();
        if (read++ > 0 && format != "json") fmt::print("\n");
        if (format == "json") {
            Json rows = Json::array();
            std::size_t index = 0;
            for (const auto& i : c.interactions) {
                rows.push_back({{"index", index++},
                                {"args", i.args},
                                {"returncode", i.returncode},
                                {"duration_ms", to_ms(i.duration)},
                                {"timed_out", i.timed_out}});
            }
            cassettes.push_back({{"path", path}, {"interactions", std::move(rows)}});
            return;
        }
        fmt::print("{}: {}\n", path, plural(c.interactions.size(), "interaction", "interactions"));
        std::size_t index = 0;
        for (const auto& i : c.interactions) {
            fmt::print("{:>6}  exit {:<3}  {:>10}  juju {}\n", interaction_label(index++),
                       i.returncode, format_ms(i.duration), jubilant::shell_join(i.args));
        }
    });
    if (format == "json") {
        print_batch_report(
            "list", std::move(cassettes), errors, in,
            {{"cassettes", read}, {"interactions", total}, {"errors", errors.size()}});
    } else {
        if (read + errors.size() > 1) {
            fmt::print("\nsummary: {}, {}, {} failed to load\n",
                       plural(read, "cassette", "cassettes"),
                       plural(total, "interaction", "interactions"), errors.size());
        }
        print_skipped(in);
    }
    return batch_status(errors, false);
}

// ---------------------------------------------------------------------------------------------
// stats

/// What `stats` counts in one cassette.
struct CassetteStats {
    std::size_t failed = 0;  ///< non-zero exit
    std::size_t timed_out = 0;
    std::size_t redacted_files = 0;
    std::size_t stdout_bytes = 0;
    std::size_t stderr_bytes = 0;
    std::chrono::microseconds total{};
    std::map<std::string, std::size_t> per_command;
};

CassetteStats count(const cas::Cassette& c) {
    CassetteStats s;
    for (const auto& i : c.interactions) {
        ++s.per_command[i.args.empty() ? std::string("(none)") : i.args.front()];
        s.total += i.duration;
        s.stdout_bytes += i.stdout_text.size();
        s.stderr_bytes += i.stderr_text.size();
        s.redacted_files += static_cast<std::size_t>(std::count_if(
            i.temp_files.begin(), i.temp_files.end(), [](const auto& f) { return f.redacted; }));
        s.failed += i.returncode != 0 ? 1 : 0;
        s.timed_out += i.timed_out ? 1 : 0;
    }
    return s;
}

void print_stats(const std::string& path, const cas::Cassette& c, const CassetteStats& s) {
    const auto& h = c.header;
    fmt::print("cassette: {}\n", path);
    fmt::print("juju version: {}\n", h.juju_version.value_or("unknown"));
    fmt::print("created: {}\n", h.created);
    fmt::print("recorded from: {}\n", h.recorded_from);
    fmt::print("toolkit version: {}\n", h.toolkit_version);
    fmt::print("interactions: {}\n", c.interactions.size());
    fmt::print("failed (non-zero exit): {}\n", s.failed);
    fmt::print("timed out: {}\n", s.timed_out);
    fmt::print("total duration: {}\n", format_ms(s.total));
    fmt::print("redactions: {}\n", h.redactions);
    fmt::print("redacted temp files: {}\n", s.redacted_files);
    fmt::print("stdout bytes: {}\n", s.stdout_bytes);
    fmt::print("stderr bytes: {}\n", s.stderr_bytes);
    fmt::print("commands:\n");
    for (const auto& [name, n] : s.per_command) fmt::print("  {}: {}\n", name, n);
}

Json stats_json(const std::string& path, const cas::Cassette& c, const CassetteStats& s) {
    const auto& h = c.header;
    return {{"path", path},
            {"juju_version", h.juju_version ? Json(*h.juju_version) : Json(nullptr)},
            {"created", h.created},
            {"recorded_from", h.recorded_from},
            {"toolkit_version", h.toolkit_version},
            {"interactions", c.interactions.size()},
            {"failed", s.failed},
            {"timed_out", s.timed_out},
            {"total_duration_ms", to_ms(s.total)},
            {"redactions", h.redactions},
            {"redacted_temp_files", s.redacted_files},
            {"stdout_bytes", s.stdout_bytes},
            {"stderr_bytes", s.stderr_bytes},
            {"commands", s.per_command}};
}

int cmd_stats(const std::vector<std::string>& files, const std::string& format) {
    const auto in = expand_inputs(files, FailedRecordings::skip);
    Json cassettes = Json::array();
    std::size_t read = 0;
    std::size_t total = 0;
    std::map<std::string, std::size_t> juju_versions;
    std::optional<std::pair<std::string, std::string>> oldest;  // created, path
    std::optional<std::pair<std::string, std::string>> newest;
    const auto errors = for_each_cassette(in, [&](const std::string& path, const cas::Cassette& c) {
        const auto s = count(c);
        total += c.interactions.size();
        ++juju_versions[c.header.juju_version.value_or("unknown")];
        const std::pair entry(c.header.created, path);
        if (!oldest || entry < *oldest) oldest = entry;
        if (!newest || entry > *newest) newest = entry;
        if (format == "json") {
            cassettes.push_back(stats_json(path, c, s));
        } else {
            if (read > 0) fmt::print("\n");
            print_stats(path, c, s);
        }
        ++read;
    });
    if (format == "json") {
        Json summary = {{"cassettes", read},
                        {"interactions", total},
                        {"errors", errors.size()},
                        {"juju_versions", juju_versions}};
        summary["oldest"] =
            oldest ? Json{{"created", oldest->first}, {"path", oldest->second}} : Json(nullptr);
        summary["newest"] =
            newest ? Json{{"created", newest->first}, {"path", newest->second}} : Json(nullptr);
        print_batch_report("stats", std::move(cassettes), errors, in, std::move(summary));
    } else {
        if (read + errors.size() > 1) {
            fmt::print("\nsummary: {}, {}, {} failed to load\n",
                       plural(read, "cassette", "cassettes"),
                       plural(total, "interaction", "interactions"), errors.size());
            std::string versions;
            for (const auto& [version, n] : juju_versions) {
                versions += fmt::format("{}{} ({})", versions.empty() ? "" : ", ", version, n);
            }
            if (!versions.empty()) fmt::print("juju versions: {}\n", versions);
            if (oldest) fmt::print("oldest: {} {}\n", oldest->first, oldest->second);
            if (newest) fmt::print("newest: {} {}\n", newest->first, newest->second);
        }
        print_skipped(in);
    }
    return batch_status(errors, false);
}

// ---------------------------------------------------------------------------------------------
// lint: the library's detector (cassette::lint), the same one redaction runs, so a cassette
// the recorder or `redact` wrote always lints clean.

int cmd_lint(const std::vector<std::string>& files, const std::string& format) {
    const auto in = expand_inputs(files, FailedRecordings::include);
    Json cassettes = Json::array();
    std::size_t read = 0;
    std::size_t with_findings = 0;
    std::size_t total = 0;
    const auto errors = for_each_cassette(in, [&](const std::string& path, const cas::Cassette& c) {
        const auto findings = cas::lint(c);
        ++read;
        total += findings.size();
        with_findings += findings.empty() ? 0 : 1;
        if (format == "json") {
            Json rows = Json::array();
            for (const auto& f : findings) {
                rows.push_back({{"interaction", f.interaction},
                                {"field", f.field},
                                {"line", f.line},
                                {"kind", cas::describe(f.kind)},
                                {"preview", f.preview}});
            }
            cassettes.push_back({{"path", path}, {"findings", std::move(rows)}});
            return;
        }
        for (const auto& f : findings) {
            fmt::print("{}: interaction {}: {}: {} ({}) on line {}\n", path,
                       interaction_label(f.interaction), f.field, cas::describe(f.kind), f.preview,
                       f.line);
        }
        if (findings.empty()) fmt::print("{}: no findings\n", path);
    });
    if (format == "json") {
        print_batch_report("lint", std::move(cassettes), errors, in,
                           {{"cassettes", read},
                            {"clean", read - with_findings},
                            {"with_findings", with_findings},
                            {"findings", total},
                            {"errors", errors.size()}});
    } else {
        fmt::print("summary: {}, {} clean, {} with findings ({}), {} failed to load\n",
                   plural(read, "cassette", "cassettes"), read - with_findings, with_findings,
                   plural(total, "finding", "findings"), errors.size());
    }
    return batch_status(errors, total > 0);
}

// ---------------------------------------------------------------------------------------------
// redact

int cmd_redact(const std::string& file, const std::vector<std::string>& literals,
               const std::vector<std::string>& patterns) {
    cas::RedactionRules rules;
    for (const auto& value : literals) rules.literals.push_back(value);
    for (const auto& value : patterns) {
        try {
            cas::check_rules({.patterns = {value}});
        } catch (const jubilant::Error& e) {
            throw UsageError(fmt::format("invalid --pattern: {}", e.what()), "redact");
        }
        rules.patterns.push_back(value);
    }
    const auto path = absolute_path(file);
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

std::string quoted(const std::string& s) {
    return Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
}

/// Describes how two outputs differ: changed JSON paths when both are JSON documents,
/// otherwise the first differing line.
std::vector<std::string> describe_output_change(const std::string& a, const std::string& b) {
    std::vector<std::string> lines;
    auto ja = Json::parse(a, nullptr, false);
    auto jb = Json::parse(b, nullptr, false);
    if (!ja.is_discarded() && !jb.is_discarded() && (ja.is_structured() || jb.is_structured())) {
        if (ja == jb) {
            lines.push_back("same JSON value, different bytes");
            return lines;
        }
        for (const auto& op : Json::diff(ja, jb)) {
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
        auto la = a.substr(std::min(pos, a.size()),
                           ea == std::string::npos ? std::string::npos : ea - pos);
        auto lb = b.substr(std::min(pos, b.size()),
                           eb == std::string::npos ? std::string::npos : eb - pos);
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

/// One difference between two aligned interactions, e.g. {"args[2]", "\"json\" -> \"yaml\""}.
struct FieldChange {
    std::string field;
    std::string detail;
};

std::vector<FieldChange> compare(const cas::Interaction& x, const cas::Interaction& y) {
    std::vector<FieldChange> out;
    const auto arg_count = std::max(x.args.size(), y.args.size());
    for (std::size_t i = 0; i < arg_count; ++i) {
        const auto field = fmt::format("args[{}]", i);
        if (i >= x.args.size()) {
            out.push_back({field, "added: " + quoted(y.args[i])});
        } else if (i >= y.args.size()) {
            out.push_back({field, "removed: " + quoted(x.args[i])});
        } else if (x.args[i] != y.args[i]) {
            out.push_back({field, quoted(x.args[i]) + " -> " + quoted(y.args[i])});
        }
    }
    if (x.returncode != y.returncode) {
        out.push_back({"exit", fmt::format("{} -> {}", x.returncode, y.returncode)});
    }
    if (x.stdin_text != y.stdin_text) out.push_back({"stdin", "changed"});
    for (const auto& [name, sa, sb] : {std::tuple{"stdout", &x.stdout_text, &y.stdout_text},
                                       std::tuple{"stderr", &x.stderr_text, &y.stderr_text}}) {
        if (*sa == *sb) continue;
        for (auto& d : describe_output_change(*sa, *sb)) out.push_back({name, std::move(d)});
    }
    if (x.temp_files != y.temp_files) out.push_back({"temp files", "changed"});
    if (x.timed_out != y.timed_out) {
        out.push_back({"timed_out", fmt::format("{} -> {}", x.timed_out, y.timed_out)});
    }
    if (x.timeout != y.timeout) out.push_back({"timeout", "changed"});
    return out;
}

/// One step through two aligned interaction sequences.
struct Step {
    enum class Kind { same, changed, removed, added };
    Kind kind = Kind::same;
    std::size_t a = 0;  ///< index in A (same, changed, removed)
    std::size_t b = 0;  ///< index in B (same, changed, added)
    std::vector<FieldChange> changes{};
};

/// Small integer ids for what alignment compares (command, request, response), so the
/// O(n·m) table compares numbers rather than outputs.
class AlignmentKeys {
public:
    AlignmentKeys(const std::vector<cas::Interaction>& a, const std::vector<cas::Interaction>& b) {
        for (const auto* side : {&a, &b}) {
            for (const auto& i : *side) {
                command_.push_back(intern(commands_, i.args.empty() ? "" : "1" + i.args[0]));
                request_.push_back(intern(requests_, request_key(i)));
                response_.push_back(intern(responses_, response_key(i)));
            }
        }
        offset_ = a.size();
    }

    /// 3 identical (durations aside), 2 the same request (argv, stdin, temp files: what
    /// replay matches), 1 the same command (argv[0]), 0 unrelated (never aligned).
    int affinity(std::size_t ia, std::size_t ib) const {
        const auto jb = offset_ + ib;
        if (command_[ia] != command_[jb]) return 0;
        if (request_[ia] != request_[jb]) return 1;
        return response_[ia] == response_[jb] ? 3 : 2;
    }

private:
    using Ids = std::unordered_map<std::string, int>;

    static int intern(Ids& ids, std::string key) {
        const int next = static_cast<int>(ids.size());
        return ids.try_emplace(std::move(key), next).first->second;
    }

    static void append(std::string& key, std::string_view part) {
        key += std::to_string(part.size());
        key += ':';
        key += part;
    }

    static std::string request_key(const cas::Interaction& i) {
        std::string key = std::to_string(i.args.size()) + ";";
        for (const auto& a : i.args) append(key, a);
        key += i.stdin_text ? "+" : "-";
        if (i.stdin_text) append(key, *i.stdin_text);
        for (const auto& f : i.temp_files) {
            append(key, f.name);
            key += f.sensitive ? 's' : '-';
            key += f.redacted ? 'r' : '-';
            key += f.content ? "+" : "-";
            if (f.content) append(key, *f.content);
        }
        return key;
    }

    static std::string response_key(const cas::Interaction& i) {
        std::string key = std::to_string(i.returncode) + (i.timed_out ? "t" : "-");
        key += i.timeout ? std::to_string(i.timeout->count()) : "-";
        key += ';';
        append(key, i.stdout_text);
        append(key, i.stderr_text);
        return key;
    }

    Ids commands_, requests_, responses_;
    std::vector<int> command_, request_, response_;
    std::size_t offset_ = 0;
};

/// Past this many table cells (about 16 MB), the differing middle of two cassettes is compared
/// by position instead, and the report says so.
constexpr std::size_t max_alignment_cells = 16'000'000;

/// Aligns two interaction sequences: identical runs at both ends are skipped, then the middle
/// is aligned by dynamic programming for the highest total affinity (a weighted longest common
/// subsequence), so one extra status poll is one insertion, and a poll whose output changed
/// still lines up with its counterpart.
std::vector<Step> align(const std::vector<cas::Interaction>& a,
                        const std::vector<cas::Interaction>& b, bool& by_position) {
    const AlignmentKeys keys(a, b);
    std::vector<Step> steps;
    auto pair = [&](std::size_t ia, std::size_t ib) {
        Step step{.kind = Step::Kind::same, .a = ia, .b = ib};
        if (keys.affinity(ia, ib) != 3) step.changes = compare(a[ia], b[ib]);
        if (!step.changes.empty()) step.kind = Step::Kind::changed;
        steps.push_back(std::move(step));
    };
    std::size_t lo = 0;
    while (lo < a.size() && lo < b.size() && keys.affinity(lo, lo) == 3) {
        pair(lo, lo);
        ++lo;
    }
    std::size_t end_a = a.size();
    std::size_t end_b = b.size();
    while (end_a > lo && end_b > lo && keys.affinity(end_a - 1, end_b - 1) == 3) {
        --end_a;
        --end_b;
    }
    const std::size_t n = end_a - lo;
    const std::size_t m = end_b - lo;

    std::size_t i = 0;
    std::size_t j = 0;
    by_position = n > 0 && m > 0 && n > max_alignment_cells / m;
    if (by_position) {
        for (; i < n && j < m; ++i, ++j) pair(lo + i, lo + j);
    } else if (n > 0 && m > 0) {
        // score[j] for row i: the best total affinity aligning a[lo+i..end_a) with
        // b[lo+j..end_b); move[i*m+j] is the first step of that best alignment.
        enum : std::uint8_t { take_pair, take_removed, take_added };
        std::vector<std::uint8_t> move(n * m);
        std::vector<std::int64_t> below(m + 1, 0);  // row i + 1
        std::vector<std::int64_t> row(m + 1, 0);
        for (std::size_t r = n; r-- > 0;) {
            row[m] = 0;
            for (std::size_t c = m; c-- > 0;) {
                std::int64_t best = below[c];
                std::uint8_t step = take_removed;
                if (row[c + 1] > best) {
                    best = row[c + 1];
                    step = take_added;
                }
                if (const int aff = keys.affinity(lo + r, lo + c);
                    aff > 0 && aff + below[c + 1] >= best) {
                    best = aff + below[c + 1];
                    step = take_pair;
                }
                row[c] = best;
                move[r * m + c] = step;
            }
            std::swap(row, below);
        }
        while (i < n && j < m) {
            switch (move[i * m + j]) {
            case take_pair: pair(lo + i++, lo + j++); break;
            case take_removed: steps.push_back({.kind = Step::Kind::removed, .a = lo + i++}); break;
            default: steps.push_back({.kind = Step::Kind::added, .b = lo + j++}); break;
            }
        }
    }
    for (; i < n; ++i) steps.push_back({.kind = Step::Kind::removed, .a = lo + i});
    for (; j < m; ++j) steps.push_back({.kind = Step::Kind::added, .b = lo + j});
    for (std::size_t k = 0; end_a + k < a.size(); ++k) pair(end_a + k, end_b + k);
    return steps;
}

/// A header field that differs; values are JSON (strings quoted, a missing version null).
struct HeaderChange {
    std::string field;
    Json a;
    Json b;
};

std::vector<HeaderChange> compare_headers(const cas::Header& x, const cas::Header& y) {
    std::vector<HeaderChange> out;
    auto field = [&](std::string name, const auto& vx, const auto& vy) {
        if (vx != vy) out.push_back({std::move(name), Json(vx), Json(vy)});
    };
    auto optional = [](const std::optional<std::string>& v) { return v ? Json(*v) : Json(); };
    field("created", x.created, y.created);
    field("toolkit_version", x.toolkit_version, y.toolkit_version);
    field("juju_version", optional(x.juju_version), optional(y.juju_version));
    field("recorded_from", x.recorded_from, y.recorded_from);
    field("redactions", x.redactions, y.redactions);
    return out;
}

int cmd_diff(const std::string& file_a, const std::string& file_b, const std::string& format) {
    const auto path_a = absolute_path(file_a);
    const auto path_b = absolute_path(file_b);
    const auto a = load(path_a);
    const auto b = load(path_b);
    const auto header = compare_headers(a.header, b.header);
    bool by_position = false;
    const auto steps = align(a.interactions, b.interactions, by_position);
    const bool same = header.empty() && std::all_of(steps.begin(), steps.end(), [](const Step& s) {
                          return s.kind == Step::Kind::same;
                      });

    if (format == "json") {
        auto out = report_json("diff");
        out["a"] = path_a;
        out["b"] = path_b;
        out["same"] = same;
        out["aligned_by"] = by_position ? "position" : "request";
        out["header"] = Json::array();
        for (const auto& h : header) {
            out["header"].push_back({{"field", h.field}, {"a", h.a}, {"b", h.b}});
        }
        Json rows = Json::array();
        for (const auto& s : steps) {
            switch (s.kind) {
            case Step::Kind::same: break;
            case Step::Kind::changed: {
                Json changes = Json::array();
                for (const auto& c : s.changes) {
                    changes.push_back({{"field", c.field}, {"detail", c.detail}});
                }
                rows.push_back({{"change", "changed"},
                                {"a", s.a},
                                {"b", s.b},
                                {"differences", std::move(changes)}});
                break;
            }
            case Step::Kind::removed:
                rows.push_back(
                    {{"change", "removed"}, {"a", s.a}, {"args", a.interactions[s.a].args}});
                break;
            case Step::Kind::added:
                rows.push_back(
                    {{"change", "added"}, {"b", s.b}, {"args", b.interactions[s.b].args}});
                break;
            }
        }
        out["interactions"] = std::move(rows);
        print_json(out);
        return same ? exit_ok : exit_findings;
    }

    auto dump = [](const Json& v) {
        return v.dump(-1, ' ', false, Json::error_handler_t::replace);
    };
    for (const auto& h : header) fmt::print("header {}: {} -> {}\n", h.field, dump(h.a), dump(h.b));
    if (by_position) {
        fmt::print("note: too many differing interactions to align; compared by position\n");
    }
    for (const auto& s : steps) {
        switch (s.kind) {
        case Step::Kind::same: break;
        case Step::Kind::changed: {
            const auto label = s.a == s.b
                                   ? interaction_label(s.a)
                                   : interaction_label(s.a) + " -> " + interaction_label(s.b);
            for (const auto& c : s.changes) {
                fmt::print("interaction {}: {}: {}\n", label, c.field, c.detail);
            }
            break;
        }
        case Step::Kind::removed:
            fmt::print("interaction {}: removed: juju {}\n", interaction_label(s.a),
                       jubilant::shell_join(a.interactions[s.a].args));
            break;
        case Step::Kind::added:
            fmt::print("interaction {}: added: juju {}\n", interaction_label(s.b),
                       jubilant::shell_join(b.interactions[s.b].args));
            break;
        }
    }
    if (same) fmt::print("cassettes are the same\n");
    return same ? exit_ok : exit_findings;
}

// ---------------------------------------------------------------------------------------------
// Command line (CLI11)

/// Every value a command line can set.
struct Options {
    std::vector<std::string> files;
    std::string file_a;
    std::string file_b;
    std::string format = "text";
    std::vector<std::string> literals;
    std::vector<std::string> patterns;
};

const CLI::Validator not_empty(
    [](const std::string& value) { return value.empty() ? std::string("empty value") : ""; }, "",
    "NOT EMPTY");

void add_format(CLI::App& command, Options& o, std::vector<std::string> formats) {
    std::string names;
    for (const auto& f : formats) names += (names.empty() ? "" : "|") + f;
    command.add_option("--format", o.format, "output format: " + names + " (default text)")
        ->check(CLI::IsMember(std::move(formats)))
        ->type_name("FORMAT");
}

void add_files(CLI::App& command, Options& o) {
    command.add_option("FILE", o.files, "cassette files or directories")->required()->type_name("");
}

int run(int argc, char** argv) {
    Options o;
    CLI::App app("Inspect, lint, redact and compare jubilant cassette files.", "jubilant-cassette");
    app.footer(std::string(exit_status_help));
    app.set_version_flag("--version", std::string("jubilant-cassette ") + JUBILANT_TOOLKIT_VERSION,
                         "print the version and exit");
    app.require_subcommand(1);

    auto* show = app.add_subcommand("show", "print a cassette (text for people by default)");
    show->add_option("FILE", o.file_a, "the cassette")->required()->type_name("");
    add_format(*show, o, {"text", "json", "yaml"});
    show->footer(std::string(show_help));

    auto* list = app.add_subcommand("list", "one line per interaction");
    add_files(*list, o);
    add_format(*list, o, {"text", "json"});
    list->footer(std::string(list_help) + "\n" + std::string(inputs_help));

    auto* stats = app.add_subcommand(
        "stats", "juju version, date, counts, durations, redactions, output sizes");
    add_files(*stats, o);
    add_format(*stats, o, {"text", "json"});
    stats->footer(std::string(stats_help) + "\n" + std::string(inputs_help));

    auto* lint = app.add_subcommand("lint", "look for secrets that escaped redaction");
    add_files(*lint, o);
    add_format(*lint, o, {"text", "json"});
    lint->footer(std::string(lint_help) + "\n" + std::string(inputs_help));

    auto* redact = app.add_subcommand("redact", "redact a cassette in place");
    redact->add_option("FILE", o.file_a, "the cassette")->required()->type_name("");
    redact->add_option("--literal", o.literals, "a value to replace (repeatable)")
        ->allow_extra_args(false)
        ->check(not_empty)
        ->type_name("VALUE");
    redact->add_option("--pattern", o.patterns, "an ECMAScript regex to replace (repeatable)")
        ->allow_extra_args(false)
        ->check(not_empty)
        ->type_name("REGEX");
    redact->footer(std::string(redact_help));

    auto* diff = app.add_subcommand("diff", "semantic difference between two cassettes");
    diff->add_option("A", o.file_a, "the old cassette")->required()->type_name("");
    diff->add_option("B", o.file_b, "the new cassette")->required()->type_name("");
    add_format(*diff, o, {"text", "json"});
    diff->footer(std::string(diff_help));

    // CLI11 would call an unknown command an unexpected argument; say what it is.
    if (argc < 2) throw UsageError("missing COMMAND", "");
    const std::string_view first = argv[1];
    const auto commands = app.get_subcommands([](const CLI::App*) { return true; });
    if (!first.starts_with('-') &&
        std::none_of(commands.begin(), commands.end(),
                     [&](const CLI::App* c) { return c->get_name() == first; })) {
        throw UsageError(fmt::format("unknown command '{}'", first), "");
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help, --version
        return app.exit(e, std::cout, std::cerr);
    } catch (const CLI::ParseError& e) {
        const auto selected = app.get_subcommands();
        throw UsageError(e.what(), selected.empty() ? "" : selected.front()->get_name());
    }

    if (show->parsed()) return cmd_show(o.file_a, o.format);
    if (list->parsed()) return cmd_list(o.files, o.format);
    if (stats->parsed()) return cmd_stats(o.files, o.format);
    if (lint->parsed()) return cmd_lint(o.files, o.format);
    if (redact->parsed()) return cmd_redact(o.file_a, o.literals, o.patterns);
    return cmd_diff(o.file_a, o.file_b, o.format);
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
