// Recorder: record/replay policy over plain-data cassettes (see recorder.hpp).
#include <jubilant/recorder.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <set>
#include <exception>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <jubilant/errors.hpp>
#include <jubilant/logging.hpp>
#include <jubilant/plugin.hpp>
#include <jubilant/plugin_loader.hpp>
#include "print/shell_quote.hpp"
#include <jubilant/temp_model.hpp>

#include "print/json_quote.hpp"
#include "message_text.hpp"
#include "private_files.hpp"

#ifndef JUBILANT_TOOLKIT_VERSION
#define JUBILANT_TOOLKIT_VERSION "unknown"
#endif

namespace jubilant {
namespace {

namespace fs = std::filesystem;

// Runs a step that writes the cassette (or its journal, or their directory) and turns any
// failure into a BackendError that names the cassette and says what became of the recording,
// so a full disk or an unwritable directory reads as a recording problem, not as a stray
// filesystem exception from Juju::cli.
template <class Step>
void cassette_write_step(const fs::path& cassette, std::string_view consequence, Step&& step) {
    try {
        step();
    } catch (const fs::filesystem_error& e) {
        const std::string where = e.path1().empty()
                                      ? std::string()
                                      : fmt::format("{}: ", cut_for_message(e.path1().string()));
        throw BackendError(fmt::format("cannot record cassette '{}' ({}): {}{}",
                                       cut_for_message(cassette.string()), consequence, where,
                                       e.code().message()));
    } catch (const BackendError&) {
        throw;
    } catch (const Error& e) {
        throw BackendError(fmt::format("cannot record cassette '{}' ({}): {}",
                                       cut_for_message(cassette.string()), consequence, e.what()));
    }
}

// 0700 whatever the umask: the directory receives the cassette, its journal and temp files.
void create_cassette_directory(const fs::path& cassette) {
    try {
        files::create_private_directories(cassette.parent_path());
    } catch (const files::FileError& e) {
        throw Error(e.what());
    }
}

using cassette::Interaction;

constexpr std::string_view mode_names[] = {"none", "once", "new_episodes", "all", "passthrough"};

std::string utc_now_iso() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// argv as compared: without the `--model <value>` pair Juju puts after the first argument.
std::vector<std::string_view> comparable_args(const std::vector<std::string>& args,
                                              bool ignore_model) {
    std::vector<std::string_view> out(args.begin(), args.end());
    if (ignore_model && out.size() >= 3 && out[1] == "--model") {
        out.erase(out.begin() + 1, out.begin() + 3);
    }
    return out;
}

// Recorded text may have had stretches replaced by the redaction marker; each marker matches
// any run of bytes, everything else must match literally.
bool matches_redacted(std::string_view recorded, std::string_view live) {
    const std::string_view marker = cassette::redacted_marker;
    std::size_t pos = recorded.find(marker);
    if (pos == std::string_view::npos) return recorded == live;
    const std::string_view head = recorded.substr(0, pos);
    if (!live.starts_with(head)) return false;
    std::size_t at = head.size();
    recorded.remove_prefix(pos + marker.size());
    while ((pos = recorded.find(marker)) != std::string_view::npos) {
        const std::string_view piece = recorded.substr(0, pos);
        const std::size_t found = live.find(piece, at);
        if (found == std::string_view::npos) return false;
        at = found + piece.size();
        recorded.remove_prefix(pos + marker.size());
    }
    return live.size() >= at + recorded.size() && live.ends_with(recorded);
}

// What comparing one request with one recorded interaction learned: generated names bound
// and temp files that stand for a local path on the other side (snap copies).
struct MatchState {
    Recorder::NameBindings names{};
    std::set<std::string, std::less<>> recorded_copies{};
    std::set<std::string, std::less<>> live_copies{};
};

bool looks_like_local_path(std::string_view text) {
    return text.starts_with('/') || text.starts_with("./") || text.starts_with("../") ||
           text.starts_with("~/") || text == "." || text == "..";
}

// `with_copy` holds a temp-file placeholder ("{tmp:name}", maybe inside "k={tmp:name}") where
// `with_path` holds a local path, everything around them being equal: a snap juju's copy of
// the file the other juju was given directly. The copy's name goes into `copies`.
bool copy_stands_for_path(std::string_view with_copy, std::string_view with_path,
                          std::set<std::string, std::less<>>& copies) {
    const std::size_t open = with_copy.find("{tmp:");
    if (open == std::string_view::npos) return false;
    const std::size_t close = with_copy.find('}', open);
    if (close == std::string_view::npos) return false;
    const std::string_view prefix = with_copy.substr(0, open);
    const std::string_view suffix = with_copy.substr(close + 1);
    if (with_path.size() <= prefix.size() + suffix.size() || !with_path.starts_with(prefix) ||
        !with_path.ends_with(suffix)) {
        return false;
    }
    const std::string_view path =
        with_path.substr(prefix.size(), with_path.size() - prefix.size() - suffix.size());
    if (!looks_like_local_path(path) || path.find("{tmp:") != std::string_view::npos) {
        return false;
    }
    copies.emplace(with_copy.substr(open + 5, close - open - 5));
    return true;
}

// Equal but for generated names, which must correspond one to one with those already bound;
// new pairs are bound in `names`.
bool equal_but_generated_names(std::string_view recorded, std::string_view live,
                               Recorder::NameBindings& names) {
    const std::size_t length = generated_model_prefix.size() + generated_model_digits;
    std::size_t i = 0, j = 0;
    for (;;) {
        const std::size_t r = find_generated_model_name(recorded, i);
        const std::size_t l = find_generated_model_name(live, j);
        if (r == std::string_view::npos || l == std::string_view::npos) {
            return r == l && recorded.substr(i) == live.substr(j);
        }
        if (recorded.substr(i, r - i) != live.substr(j, l - j)) return false;
        std::string rec_name(recorded.substr(r, length)), live_name(live.substr(l, length));
        if (const auto bound = names.recorded_to_live.find(rec_name);
            bound != names.recorded_to_live.end()) {
            if (bound->second != live_name) return false;
        } else {
            if (names.live_to_recorded.contains(live_name)) return false;
            names.live_to_recorded.emplace(live_name, rec_name);
            names.recorded_to_live.emplace(std::move(rec_name), std::move(live_name));
        }
        i = r + length;
        j = l + length;
    }
}

bool arg_matches(std::string_view recorded, std::string_view live, const MatchOptions& m,
                 MatchState& state) {
    if (recorded == live) return true;
    if (m.temp_file_copies && (copy_stands_for_path(recorded, live, state.recorded_copies) ||
                               copy_stands_for_path(live, recorded, state.live_copies))) {
        return true;
    }
    return m.generated_names && equal_but_generated_names(recorded, live, state.names);
}

bool argv_matches(const std::vector<std::string>& recorded, const std::vector<std::string>& live,
                  const MatchOptions& m, MatchState& state) {
    const auto rec = comparable_args(recorded, m.ignore_model);
    const auto req = comparable_args(live, m.ignore_model);
    if (rec.size() != req.size()) return false;
    for (std::size_t i = 0; i < rec.size(); ++i) {
        if (!arg_matches(rec[i], req[i], m, state)) return false;
    }
    return true;
}

bool inputs_match(const CliRequest& request, const Interaction& recorded, const MatchState& state) {
    if (request.stdin_text.has_value() != recorded.stdin_text.has_value()) return false;
    if (request.stdin_text && !matches_redacted(*recorded.stdin_text, *request.stdin_text)) {
        return false;
    }
    // Copies that stand for a path on the other side have no counterpart to compare with.
    std::vector<const TempFile*> live;
    for (const TempFile& file : request.temp_files) {
        if (!state.live_copies.contains(file.name)) live.push_back(&file);
    }
    std::vector<const cassette::RecordedTempFile*> rec;
    for (const auto& file : recorded.temp_files) {
        if (!state.recorded_copies.contains(file.name)) rec.push_back(&file);
    }
    if (live.size() != rec.size()) return false;
    for (std::size_t i = 0; i < live.size(); ++i) {
        if (live[i]->name != rec[i]->name || live[i]->sensitive != rec[i]->sensitive) return false;
        // Sensitive content is never stored, so there is nothing to compare it with.
        if (!rec[i]->redacted && rec[i]->content &&
            !matches_redacted(*rec[i]->content, live[i]->content)) {
            return false;
        }
    }
    return true;
}

// nullopt when `recorded` does not answer `request`; else what matching it bound.
std::optional<MatchState> match_request(const CliRequest& request, const Interaction& recorded,
                                        const MatchOptions& m,
                                        const Recorder::NameBindings& bound) {
    MatchState state{.names = bound};
    if (m.custom) {
        if (!m.custom(request, recorded)) return std::nullopt;
        return state;
    }
    if (!argv_matches(recorded.args, request.args, m, state)) return std::nullopt;
    if (m.compare_input && !inputs_match(request, recorded, state)) return std::nullopt;
    return state;
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    if (from.empty()) return text;
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

std::string placeholder_text(const Placeholder& p) { return "<" + p.name + ">"; }

void validate_placeholders(const std::vector<Placeholder>& placeholders) {
    std::set<std::string_view> seen;
    for (const Placeholder& p : placeholders) {
        const bool name_ok =
            !p.name.empty() && std::all_of(p.name.begin(), p.name.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '-';
            });
        if (!name_ok || placeholder_text(p) == cassette::redacted_marker) {
            throw Error(
                fmt::format("placeholder name '{}' is not allowed: use letters, digits, "
                            "'_' and '-' (and not 'redacted')",
                            p.name));
        }
        if (p.value.empty())
            throw Error(fmt::format("placeholder '{}' has an empty value", p.name));
        if (!seen.insert(p.name).second) {
            throw Error(fmt::format("placeholder '{}' is defined twice", p.name));
        }
    }
}

// Applies `swap(text)` to every recorded text of an interaction that can hold a placeholder.
template <class Swap>
void swap_texts(Interaction& interaction, Swap&& swap) {
    for (auto& arg : interaction.args) arg = swap(std::move(arg));
    if (interaction.stdin_text) interaction.stdin_text = swap(std::move(*interaction.stdin_text));
    for (auto& file : interaction.temp_files) {
        if (file.content) file.content = swap(std::move(*file.content));
    }
    interaction.stdout_text = swap(std::move(interaction.stdout_text));
    interaction.stderr_text = swap(std::move(interaction.stderr_text));
}

// Value -> <name>, longest values first so one that contains another is swapped whole.
void hide_placeholder_values(Interaction& interaction, std::vector<Placeholder> placeholders) {
    std::sort(placeholders.begin(), placeholders.end(),
              [](const auto& a, const auto& b) { return a.value.size() > b.value.size(); });
    swap_texts(interaction, [&](std::string text) {
        for (const auto& p : placeholders) {
            text = replace_all(std::move(text), p.value, placeholder_text(p));
        }
        return text;
    });
}

void restore_placeholder_values(Interaction& interaction,
                                const std::vector<Placeholder>& placeholders) {
    swap_texts(interaction, [&](std::string text) {
        for (const auto& p : placeholders) {
            text = replace_all(std::move(text), placeholder_text(p), p.value);
        }
        return text;
    });
}

// The Juju version a command's output reveals: `juju version`'s first line, or the model's
// agent version in `status --format json`.
std::optional<std::string> juju_version_in(const Interaction& interaction) {
    if (interaction.returncode != 0 || interaction.timed_out || interaction.args.empty()) {
        return std::nullopt;
    }
    const std::string& command = interaction.args.front();
    if (command == "version") {
        std::string_view line = interaction.stdout_text;
        line = line.substr(0, line.find('\n'));
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
        if (!line.empty() && line.front() >= '0' && line.front() <= '9') return std::string(line);
        return std::nullopt;
    }
    if (command != "status") return std::nullopt;
    const auto doc = nlohmann::json::parse(interaction.stdout_text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
    const auto model = doc.find("model");
    if (model == doc.end() || !model->is_object()) return std::nullopt;
    const auto version = model->find("version");
    if (version == model->end() || !version->is_string()) return std::nullopt;
    return version->get<std::string>();
}

std::optional<int> major_version(std::string_view version) {
    int major = 0;
    std::size_t digits = 0;
    for (; digits < version.size() && version[digits] >= '0' && version[digits] <= '9'; ++digits) {
        if (digits >= 6) return std::nullopt;
        major = major * 10 + (version[digits] - '0');
    }
    if (digits == 0) return std::nullopt;
    return major;
}

std::optional<std::chrono::system_clock::time_point> parse_utc_iso(const std::string& text) {
    std::tm tm{};
    const char* end = ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!end || *end) return std::nullopt;
    return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

std::size_t token_edit_distance(const std::vector<std::string_view>& a,
                                const std::vector<std::string_view>& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

// "- <recorded element>" / "+ <request element>" lines from a token LCS. A differing value
// that follows an unchanged flag is shown with the flag ("- --channel stable"), because a
// bare "stable" says little.
std::vector<std::string> argv_diff(const std::vector<std::string>& rec,
                                   const std::vector<std::string>& req) {
    const std::size_t n = rec.size(), m = req.size();
    std::vector<std::vector<std::size_t>> lcs(n + 1, std::vector<std::size_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t j = m; j-- > 0;) {
            lcs[i][j] =
                rec[i] == req[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
        }
    }
    auto with_flag = [](const std::vector<std::string>& v, std::size_t k, bool prev_common) {
        std::string text = shell_quote(v[k]);
        if (prev_common && k > 0 && v[k - 1].starts_with("-") && !v[k].starts_with("-")) {
            text = shell_quote(v[k - 1]) + " " + text;
        }
        return text;
    };
    std::vector<std::string> removed, added, lines;
    auto flush = [&] {
        for (auto& line : removed) lines.push_back("- " + line);
        for (auto& line : added) lines.push_back("+ " + line);
        removed.clear();
        added.clear();
    };
    std::size_t i = 0, j = 0;
    bool prev_common_rec = false, prev_common_req = false;
    while (i < n || j < m) {
        if (i < n && j < m && rec[i] == req[j]) {
            flush();
            prev_common_rec = prev_common_req = true;
            ++i;
            ++j;
        } else if (j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
            removed.push_back(with_flag(rec, i, prev_common_rec));
            prev_common_rec = false;
            ++i;
        } else {
            added.push_back(with_flag(req, j, prev_common_req));
            prev_common_req = false;
            ++j;
        }
    }
    flush();
    return lines;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace

bool request_matches(const CliRequest& request, const Interaction& recorded,
                     const MatchOptions& m) {
    return match_request(request, recorded, m, {}).has_value();
}

MatchOptions parse_match_options(std::string_view spec, std::string_view where) {
    MatchOptions options;
    std::string token;
    for (std::size_t i = 0; i <= spec.size(); ++i) {
        if (i < spec.size() && spec[i] != ',') {
            if (spec[i] != ' ') token += spec[i];
            continue;
        }
        if (token == "exact" || token.empty()) {
        } else if (token == "ignore_model") {
            options.ignore_model = true;
        } else if (token == "ignore_input") {
            options.compare_input = false;
        } else {
            throw Error(
                fmt::format("unknown matcher '{}' in {} (expected exact, ignore_model, "
                            "ignore_input)",
                            token, where));
        }
        token.clear();
    }
    return options;
}

std::string_view to_string(RecordMode mode) noexcept {
    return mode_names[static_cast<std::size_t>(mode)];
}

std::optional<RecordMode> parse_record_mode(std::string_view text) noexcept {
    for (std::size_t i = 0; i < std::size(mode_names); ++i) {
        if (mode_names[i] == text) return static_cast<RecordMode>(i);
    }
    return std::nullopt;
}

StalenessPolicy staleness_from_env(StalenessPolicy fallback) {
    const auto number = [](const char* name) -> std::optional<long> {
        const char* text = std::getenv(name);
        if (!text || !*text) return std::nullopt;
        std::string_view value(text);
        if (value.ends_with('d')) value.remove_suffix(1);  // "90d" reads as it is meant
        long n = 0;
        const bool digits =
            !value.empty() && value.size() <= 6 &&
            std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits) {
            throw Error(
                fmt::format("${} is '{}'; expected a whole number (at most 6 digits)", name, text));
        }
        for (char c : value) n = n * 10 + (c - '0');
        return n;
    };
    if (const auto days = number(cassette_max_age_env)) fallback.max_age = std::chrono::days(*days);
    if (const auto major = number(juju_major_env)) fallback.juju_major = static_cast<int>(*major);
    if (const char* on = std::getenv(on_stale_env); on && *on) {
        const std::string_view value(on);
        if (value != "warn" && value != "fail") {
            throw Error(fmt::format("${} is '{}'; expected warn or fail", on_stale_env, value));
        }
        fallback.fail = value == "fail";
    }
    return fallback;
}

std::optional<std::string> staleness(const cassette::Header& header, const StalenessPolicy& policy,
                                     std::chrono::system_clock::time_point now_utc) {
    std::vector<std::string> reasons;
    if (policy.max_age) {
        if (const auto created = parse_utc_iso(header.created)) {
            const auto age = std::chrono::floor<std::chrono::days>(now_utc - *created);
            if (age > *policy.max_age) {
                reasons.push_back(fmt::format("recorded {}, {} days ago (max age {} days)",
                                              header.created, age.count(),
                                              policy.max_age->count()));
            }
        }
    }
    if (policy.juju_major && header.juju_version) {
        const auto major = major_version(*header.juju_version);
        if (major && *major != *policy.juju_major) {
            reasons.push_back(fmt::format("recorded with Juju {} (expected major version {})",
                                          *header.juju_version, *policy.juju_major));
        }
    }
    if (reasons.empty()) return std::nullopt;
    std::string out = reasons.front();
    for (std::size_t i = 1; i < reasons.size(); ++i) out += "; " + reasons[i];
    return out;
}

fs::path failed_recording_path(const fs::path& cassette) {
    fs::path out = cassette;
    if (out.extension() == ".json") out.replace_extension();
    out += ".failed.json";
    return out;
}

Recorder::Recorder(std::filesystem::path cassette, RecorderOptions options)
    : path_(fs::absolute(cassette)),
      options_(std::move(options)),
      virtual_clock_(std::make_shared<VirtualClock>()) {
    validate_placeholders(options_.placeholders);
    // A journal alone means a recording was cut short; Cassette::load recovers it.
    // error_code: a path the system refuses (too long, say) is a cassette that is not there,
    // reported below with the path cut, not a filesystem_error echoing all of it.
    std::error_code ec;
    const bool exists = fs::exists(path_, ec) || fs::exists(cassette::journal_path(path_), ec);
    switch (options_.mode) {
    case RecordMode::none:
        if (!exists) {
            throw BackendError(
                fmt::format("cassette '{}' does not exist (mode none never records; record it "
                            "with mode once or all)",
                            cut_for_message(path_.string())));
        }
        effective_mode_ = RecordMode::none;
        break;
    case RecordMode::once: effective_mode_ = exists ? RecordMode::none : RecordMode::all; break;
    case RecordMode::new_episodes:
    case RecordMode::all:
    case RecordMode::passthrough: effective_mode_ = options_.mode; break;
    }
    const bool replays = effective_mode_ == RecordMode::none ||
                         (effective_mode_ == RecordMode::new_episodes && exists);
    if (replays) {
        loaded_ = cassette::Cassette::load(path_);
        if (const auto why = staleness(loaded_.header, options_.stale)) {
            const std::string message = fmt::format(
                "cassette '{}' is stale: {}. Re-record it with {}=all against a controller",
                path_.string(), *why, record_mode_env);
            if (options_.stale.fail) throw BackendError(message);
            logger()->warn("{}", message);
        }
        if (!options_.placeholders.empty()) {
            on_disk_ = loaded_;
            for (auto& interaction : loaded_.interactions) {
                restore_placeholder_values(interaction, options_.placeholders);
            }
        }
    }
    played_.assign(loaded_.interactions.size(), 0);
}

Recorder::~Recorder() {
    try {
        finish();
    } catch (const std::exception& e) {
        logger()->error("{}", e.what());
    }
}

std::string Recorder::name() const {
    switch (effective_mode_) {
    case RecordMode::none: return "replay";
    case RecordMode::passthrough: return "passthrough";
    default: return "record";
    }
}

std::shared_ptr<Clock> Recorder::clock() {
    if (effective_mode_ == RecordMode::none) return virtual_clock_;
    return inner().clock();
}

CliBackend& Recorder::inner() {
    if (!options_.inner) {
        if (!options_.make_inner) {
            throw BackendError(fmt::format(
                "record: mode {} needs an inner backend to run commands (cassette '{}')",
                to_string(effective_mode_), path_.string()));
        }
        options_.inner = options_.make_inner();
    }
    return *options_.inner;
}

CliResult Recorder::run(const CliRequest& request) {
    ++requests_;
    switch (effective_mode_) {
    case RecordMode::passthrough: return inner().run(request);
    case RecordMode::all: return record(request);
    case RecordMode::new_episodes:
        if (const auto match = find_match(request)) return replay(*match);
        return record(request);
    default:
        if (const auto match = find_match(request)) return replay(*match);
        throw_unmatched(request);
    }
}

std::optional<Recorder::NameBindings> Recorder::try_match(const CliRequest& request,
                                                          std::size_t index) const {
    auto state = match_request(request, loaded_.interactions[index], options_.match, names_);
    if (!state) return std::nullopt;
    return std::move(state->names);
}

std::optional<Recorder::Match> Recorder::find_match(const CliRequest& request) const {
    const auto& all = loaded_.interactions;
    const auto matched = [&](std::size_t i) -> std::optional<Match> {
        if (auto names = try_match(request, i))
            return Match{.index = i, .names = std::move(*names)};
        return std::nullopt;
    };
    if (options_.match.ordered) {
        if (cursor_ < all.size()) {
            if (auto match = matched(cursor_)) return match;
        }
    } else {
        // cursor_ is the first unplayed interaction: nothing before it can answer.
        for (std::size_t i = cursor_; i < all.size(); ++i) {
            if (played_[i]) continue;
            if (auto match = matched(i)) return match;
        }
    }
    if (options_.on_exhausted == OnExhausted::repeat_last) {
        // The most recently played interaction that answers this request.
        std::optional<Match> best;
        for (std::size_t i = 0; i < all.size(); ++i) {
            if (!played_[i] || (best && played_[i] <= played_[best->index])) continue;
            if (auto match = matched(i)) best = std::move(match);
        }
        return best;
    }
    return std::nullopt;
}

CliResult Recorder::replay(const Match& match) {
    const std::size_t index = match.index;
    const Interaction& interaction = loaded_.interactions[index];
    played_[index] = requests_;  // requests_ > 0 here: the play's sequence number
    last_played_ = index;
    names_ = match.names;
    while (cursor_ < played_.size() && played_[cursor_]) ++cursor_;

    // The recorded call took this long: a replayed wait sees time pass as it did.
    virtual_clock_->advance(interaction.duration);
    if (options_.simulate_latency) system_clock()->sleep_for(interaction.duration);

    // Output names the generated names the live run uses, not the recorded ones.
    const auto live = [&](std::string text) {
        for (const auto& [recorded, now] : names_.recorded_to_live) {
            if (recorded != now) text = replace_all(std::move(text), recorded, now);
        }
        return text;
    };
    if (interaction.timed_out) {
        std::vector<std::string> argv{"juju"};
        for (const auto& arg : interaction.args) argv.push_back(live(arg));
        throw CLITimeoutError(std::move(argv),
                              interaction.timeout.value_or(std::chrono::milliseconds(0)),
                              live(interaction.stdout_text), live(interaction.stderr_text));
    }
    return CliResult{.returncode = interaction.returncode,
                     .stdout_text = live(interaction.stdout_text),
                     .stderr_text = live(interaction.stderr_text)};
}

CliResult Recorder::record(const CliRequest& request) {
    CliBackend& backend = inner();
    const auto complete_header = [&](cassette::Cassette base) {
        if (base.header.created.empty()) {
            base.header.created = utc_now_iso();
            base.header.toolkit_version = JUBILANT_TOOLKIT_VERSION;
        }
        if (base.header.recorded_from.empty()) base.header.recorded_from = backend.name();
        if (!base.header.client) base.header.client = options_.client;
        return base;
    };
    const bool shared = static_cast<bool>(options_.shared_journal_base);
    if (shared) {
        cassette_write_step(path_, "the command was not run",
                            [&] { create_cassette_directory(path_); });
    } else if (!journal_) {
        cassette::Cassette base;
        if (effective_mode_ == RecordMode::new_episodes) {
            base = options_.placeholders.empty() ? loaded_ : on_disk_;
        }
        base = complete_header(std::move(base));
        cassette_write_step(path_, "the command was not run", [&] {
            create_cassette_directory(path_);
            journal_ =
                std::make_unique<cassette::Journal>(path_, std::move(base), options_.durability);
        });
    }

    Interaction interaction{.args = request.args, .stdin_text = request.stdin_text};
    for (const TempFile& file : request.temp_files) {
        // Sensitive content is dropped here already, so it never exists in a recorded
        // interaction, whatever redact() does.
        interaction.temp_files.push_back(
            {.name = file.name,
             .sensitive = file.sensitive,
             .redacted = file.sensitive,
             .content = file.sensitive ? std::nullopt : std::optional<std::string>(file.content)});
    }
    interaction.timeout = request.timeout;

    auto write = [&] {
        note_juju_version(interaction);
        // Placeholders first: a value the test supplies is then never judged secret-looking
        // and redacted, which would lose it for replay.
        Interaction hidden = interaction;
        hide_placeholder_values(hidden, options_.placeholders);
        std::int64_t redactions = 0;
        const Interaction clean = cassette::redact(hidden, options_.redaction, &redactions);
        cassette_write_step(
            path_,
            "the command ran but is not in the cassette; what was recorded before it is kept", [&] {
                if (!shared) return journal_->append(clean, redactions);
                cassette::append_to_shared_journal(
                    path_, [&] { return complete_header(options_.shared_journal_base()); }, clean,
                    redactions, options_.durability);
            });
        ++recorded_;
    };
    // Timed on the clock Juju::wait uses with the inner backend, so a recording made over a
    // simulated backend carries its simulated durations (real ones over a real backend).
    const std::shared_ptr<Clock> timer = backend.clock();
    const Clock::time_point start = timer->now();
    auto elapsed = [&] {
        return std::chrono::duration_cast<std::chrono::microseconds>(timer->now() - start);
    };
    CliResult result;
    try {
        result = backend.run(request);
    } catch (const CLITimeoutError& e) {
        interaction.duration = elapsed();
        interaction.timed_out = true;
        interaction.timeout = e.timeout();
        interaction.stdout_text = e.partial_stdout();
        interaction.stderr_text = e.partial_stderr();
        write();
        throw;
    }
    interaction.duration = elapsed();
    interaction.returncode = result.returncode;
    interaction.stdout_text = result.stdout_text;
    interaction.stderr_text = result.stderr_text;
    write();
    return result;
}

void Recorder::throw_unmatched(const CliRequest& request) const {
    const auto& all = loaded_.interactions;
    const MatchOptions& m = options_.match;
    const auto req_args = comparable_args(request.args, m.ignore_model);
    std::string message = fmt::format(
        "replay: no recorded interaction matches request #{} (0-based) in cassette '{}' "
        "(mode {}, {} matching)\n  request: juju {}",
        requests_ - 1, path_.string(), to_string(effective_mode_),
        m.ordered ? "ordered" : "unordered", shell_join(request.args));

    // Nearest by argv edit distance; ties go to unplayed interactions, then to the one
    // closest to where ordered replay expected to be.
    std::optional<std::size_t> nearest;
    std::size_t best_distance = 0;
    auto key = [&](std::size_t i, std::size_t distance) {
        const std::size_t gap = i > cursor_ ? i - cursor_ : cursor_ - i;
        return std::tuple(distance, played_[i] != 0, gap);
    };
    for (std::size_t i = 0; i < all.size(); ++i) {
        const std::size_t d =
            token_edit_distance(comparable_args(all[i].args, m.ignore_model), req_args);
        if (!nearest || key(i, d) < key(*nearest, best_distance)) {
            nearest = i;
            best_distance = d;
        }
    }
    if (!nearest) {
        message += fmt::format(
            "\n  nearest: none: the cassette is empty (its recording ran no command). Record "
            "it against a controller with {}=all",
            record_mode_env);
    } else {
        const Interaction& near = all[*nearest];
        message += fmt::format("\n  nearest: interaction #{} ({}): juju {}", *nearest,
                               played_[*nearest] ? "already played" : "not yet played",
                               shell_join(near.args));
        if (m.ordered && cursor_ < all.size() && *nearest != cursor_) {
            message += fmt::format("\n  expected next: interaction #{}: juju {}", cursor_,
                                   shell_join(all[cursor_].args));
        } else if (m.ordered && cursor_ >= all.size()) {
            message += fmt::format(
                "\n  every one of the {} recorded interactions has been "
                "played",
                all.size());
        }
        MatchState probe{.names = names_};
        if (m.custom ? m.custom(request, near) : argv_matches(near.args, request.args, m, probe)) {
            if (played_[*nearest] && match_request(request, near, m, names_)) {
                message +=
                    "\n  the request repeats more often than recorded "
                    "(on_exhausted = error; repeat_last would serve it again)";
            } else if (!m.custom) {
                message +=
                    "\n  argv is identical; stdin or temp files differ "
                    "(contents not shown)";
            }
        } else {
            std::vector<std::string> near_args(near.args), live_args(request.args);
            if (m.ignore_model) {
                auto strip = [](std::vector<std::string>& v) {
                    if (v.size() >= 3 && v[1] == "--model") v.erase(v.begin() + 1, v.begin() + 3);
                };
                strip(near_args);
                strip(live_args);
            }
            message += "\n  argv diff (- recorded, + request):";
            for (const auto& line : argv_diff(near_args, live_args)) message += "\n    " + line;
        }
    }
    throw BackendError(message);
}

std::vector<UnusedInteraction> Recorder::unused() const {
    std::vector<UnusedInteraction> out;
    for (std::size_t i = 0; i < played_.size(); ++i) {
        if (!played_[i]) out.push_back({.index = i, .interaction = loaded_.interactions[i]});
    }
    return out;
}

void Recorder::note_juju_version(const Interaction& interaction) {
    if (!juju_version_) juju_version_ = juju_version_in(interaction);
}

void Recorder::write_recording(RecordingOutcome outcome) {
    if (recorded_ == 0) {
        // Nothing ran (e.g. juju was not found): an empty recording would only replace the
        // cassette, or create one that replays nothing.
        journal_->discard();
        return;
    }
    cassette::Cassette recording = journal_->cassette();
    if (juju_version_) recording.header.juju_version = juju_version_;
    const bool keep_previous =
        outcome == RecordingOutcome::failed &&
        (options_.mode == RecordMode::once || options_.mode == RecordMode::new_episodes);
    const fs::path target = keep_previous ? failed_recording_path(path_) : path_;
    cassette_write_step(path_,
                        fmt::format("the interactions stay in {} and are recovered by the next "
                                    "load",
                                    cut_for_message(cassette::journal_path(path_).string())),
                        [&] { recording.save(target); });
    // Only once the recording is safely somewhere: a crash before this leaves the journal.
    journal_->discard();
    std::error_code ec;
    if (!keep_previous) {
        fs::remove(failed_recording_path(path_), ec);
        return;
    }
    kept_aside_ = target;
    logger()->warn(
        "the test failed while recording: {} ({} interaction(s)) is in '{}'. Look at "
        "it, fix the test and record again (JUBILANT_RECORD_MODE={})",
        fs::exists(path_)
            ? fmt::format("cassette '{}' is unchanged; the failed recording", path_.string())
            : "the failed recording",
        recorded_, target.string(), to_string(options_.mode));
}

void Recorder::finish(RecordingOutcome outcome) {
    if (finished_) return;
    finished_ = true;
    if (journal_) {
        write_recording(outcome);
    } else if (effective_mode_ == RecordMode::all && requests_ == 0 &&
               !options_.shared_journal_base) {
        // (A shared recording is other processes' too: one that ran nothing leaves it alone.)
        // Nothing was asked for: the re-recorded session is empty, and the file must say so.
        // (Requests that never got as far as the journal failed and said so; an empty file
        // written now would only destroy the cassette that was there.)
        cassette::Cassette empty;
        empty.header.created = utc_now_iso();
        empty.header.toolkit_version = JUBILANT_TOOLKIT_VERSION;
        if (options_.inner) empty.header.recorded_from = options_.inner->name();
        cassette_write_step(path_, "the empty re-recording was not written", [&] {
            create_cassette_directory(path_);
            empty.save(path_);
        });
    }
    if (options_.allow_unused) return;
    const auto left = unused();
    if (left.empty()) return;
    std::string message = fmt::format(
        "replay: {} recorded interaction(s) of cassette '{}' "
        "were never played:",
        left.size(), path_.string());
    for (const auto& u : left) {
        message += fmt::format("\n  #{}: juju {}", u.index, shell_join(u.interaction.args));
    }
    throw Error(message);
}

std::unique_ptr<Recorder> make_recorder_from_config(std::string_view plugin,
                                                    std::string_view config_json,
                                                    RecordMode default_mode) {
    const auto config = PluginConfig::parse(plugin, config_json);
    config.reject_unknown({"mode", "inner", "match", "ordered", "on_exhausted", "allow_unused",
                           "simulate_latency", "redact_literals", "redact_patterns", "redact_keys",
                           "redact_keep_keys", "placeholders", "max_age_days", "juju_major",
                           "on_stale"});
    const auto bad = [&](const std::string& what) {
        return PluginError(fmt::format("{}: bad config: {}", plugin, what));
    };

    const std::string target = config.string("target").value_or("");
    if (target.empty()) {
        throw bad(fmt::format("no cassette given; use the spec '{}:<cassette path>'", plugin));
    }
    fs::path path(target);
    if (path.is_relative()) {
        if (const char* dir = std::getenv(cassette_dir_env); dir && *dir)
            path = fs::path(dir) / path;
    }

    RecorderOptions options{.mode = default_mode};
    auto parse_mode = [&](const std::string& text, std::string_view from) {
        const auto mode = parse_record_mode(text);
        if (!mode) {
            throw bad(
                fmt::format("unknown mode '{}' from {} (expected none, once, "
                            "new_episodes, all or passthrough)",
                            text, from));
        }
        return *mode;
    };
    if (const auto mode = config.string("mode")) {
        options.mode = parse_mode(*mode, "key 'mode'");
    } else if (const char* env = std::getenv(record_mode_env); env && *env) {
        options.mode = parse_mode(env, record_mode_env);
    }

    if (const auto match = config.string("match")) {
        try {
            options.match = parse_match_options(*match, "key 'match'");
        } catch (const Error& e) {
            throw bad(e.what());
        }
    }
    options.match.ordered = config.boolean("ordered").value_or(true);
    if (const auto on = config.string("on_exhausted")) {
        if (*on == "error") {
            options.on_exhausted = OnExhausted::error;
        } else if (*on == "repeat_last") {
            options.on_exhausted = OnExhausted::repeat_last;
        } else {
            throw bad(
                fmt::format("unknown on_exhausted '{}' (expected error or repeat_last)", *on));
        }
    }
    options.allow_unused = config.boolean("allow_unused").value_or(true);
    options.simulate_latency = config.boolean("simulate_latency").value_or(false);
    if (const auto v = config.string("redact_literals"))
        options.redaction.literals = split_lines(*v);
    if (const auto v = config.string("redact_patterns")) {
        options.redaction.patterns = split_lines(*v);
        // Found now, not on the first recorded command (which would then fail unrecorded).
        try {
            cassette::check_rules({.patterns = options.redaction.patterns});
        } catch (const Error& e) {
            throw bad(fmt::format("key 'redact_patterns': {}", e.what()));
        }
    }
    if (const auto v = config.string("redact_keys")) {
        for (auto& k : split_lines(*v)) options.redaction.sensitive_keys.push_back(std::move(k));
    }
    if (const auto v = config.string("redact_keep_keys")) {
        for (auto& k : split_lines(*v)) options.redaction.keep_keys.push_back(std::move(k));
    }

    if (const auto v = config.string("placeholders")) {
        for (const auto& line : split_lines(*v)) {
            const std::size_t eq = line.find('=');
            if (eq == std::string::npos) {
                throw bad("key 'placeholders' wants lines 'name=value'");
            }
            options.placeholders.push_back(
                {.name = line.substr(0, eq), .value = line.substr(eq + 1)});
        }
    }
    try {
        options.stale = staleness_from_env();
    } catch (const Error& e) {
        throw bad(e.what());
    }
    if (const auto days = config.integer("max_age_days")) {
        if (*days < 0) throw bad("key 'max_age_days' must not be negative");
        options.stale.max_age = std::chrono::days(*days);
    }
    if (const auto major = config.integer("juju_major")) {
        if (*major < 0 || *major > 1000) throw bad("key 'juju_major' is not a Juju major version");
        options.stale.juju_major = static_cast<int>(*major);
    }
    if (const auto on = config.string("on_stale")) {
        if (*on != "warn" && *on != "fail") {
            throw bad(fmt::format("unknown on_stale '{}' (expected warn or fail)", *on));
        }
        options.stale.fail = *on == "fail";
    }

    const std::string inner_spec = config.string("inner").value_or("subprocess");
    std::string inner_config = "{";
    if (const auto binary = config.string("cli_binary")) {
        inner_config += "\"cli_binary\":";
        append_json_string(inner_config, *binary);
    }
    inner_config += "}";
    options.make_inner = [inner_spec, inner_config] {
        return load_backend(inner_spec, inner_config, {.merge_environment_config = false});
    };
    try {
        return std::make_unique<Recorder>(std::move(path), std::move(options));
    } catch (const PluginError&) {
        throw;
    } catch (const Error& e) {
        throw PluginError(fmt::format("{}: {}", plugin, e.what()));
    }
}

}  // namespace jubilant
