// Recorder: record/replay policy over plain-data cassettes (see recorder.hpp).
#include <jubilant/recorder.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <jubilant/errors.hpp>
#include <jubilant/logging.hpp>
#include <jubilant/plugin.hpp>
#include <jubilant/plugin_loader.hpp>
#include <jubilant/shell_quote.hpp>

#include "json_quote.hpp"
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
        const std::string where =
            e.path1().empty() ? std::string() : fmt::format("{}: ", e.path1().string());
        throw BackendError(fmt::format("cannot record cassette '{}' ({}): {}{}",
                                       cassette.string(), consequence, where,
                                       e.code().message()));
    } catch (const BackendError&) {
        throw;
    } catch (const Error& e) {
        throw BackendError(fmt::format("cannot record cassette '{}' ({}): {}",
                                       cassette.string(), consequence, e.what()));
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

bool inputs_match(const CliRequest& request, const Interaction& recorded) {
    if (request.stdin_text.has_value() != recorded.stdin_text.has_value()) return false;
    if (request.stdin_text && !matches_redacted(*recorded.stdin_text, *request.stdin_text)) {
        return false;
    }
    if (request.temp_files.size() != recorded.temp_files.size()) return false;
    for (std::size_t i = 0; i < request.temp_files.size(); ++i) {
        const TempFile& live = request.temp_files[i];
        const cassette::RecordedTempFile& rec = recorded.temp_files[i];
        if (live.name != rec.name || live.sensitive != rec.sensitive) return false;
        // Sensitive content is never stored, so there is nothing to compare it with.
        if (!rec.redacted && rec.content && !matches_redacted(*rec.content, live.content)) {
            return false;
        }
    }
    return true;
}

bool argv_match(const CliRequest& request, const Interaction& recorded, const MatchOptions& m) {
    if (!m.ignore_model) return request.args == recorded.args;
    return comparable_args(request.args, true) == comparable_args(recorded.args, true);
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
            lcs[i][j] = rec[i] == req[j] ? lcs[i + 1][j + 1] + 1
                                         : std::max(lcs[i + 1][j], lcs[i][j + 1]);
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
    if (m.custom) return m.custom(request, recorded);
    if (!argv_match(request, recorded, m)) return false;
    return !m.compare_input || inputs_match(request, recorded);
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
            throw Error(fmt::format("unknown matcher '{}' in {} (expected exact, ignore_model, "
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

Recorder::Recorder(std::filesystem::path cassette, RecorderOptions options)
    : path_(std::move(cassette)), options_(std::move(options)) {
    // A journal alone means a recording was cut short; Cassette::load recovers it.
    const bool exists = fs::exists(path_) || fs::exists(cassette::journal_path(path_));
    switch (options_.mode) {
    case RecordMode::none:
        if (!exists) {
            throw BackendError(fmt::format(
                "cassette '{}' does not exist (mode none never records; record it "
                "with mode once or all)",
                path_.string()));
        }
        effective_mode_ = RecordMode::none;
        break;
    case RecordMode::once:
        effective_mode_ = exists ? RecordMode::none : RecordMode::all;
        break;
    case RecordMode::new_episodes:
    case RecordMode::all:
    case RecordMode::passthrough:
        effective_mode_ = options_.mode;
        break;
    }
    const bool replays = effective_mode_ == RecordMode::none ||
                         (effective_mode_ == RecordMode::new_episodes && exists);
    if (replays) loaded_ = cassette::Cassette::load(path_);
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
        if (const auto index = find_match(request)) return replay(*index);
        return record(request);
    default:
        if (const auto index = find_match(request)) return replay(*index);
        throw_unmatched(request);
    }
}

std::optional<std::size_t> Recorder::find_match(const CliRequest& request) const {
    const auto& all = loaded_.interactions;
    const MatchOptions& m = options_.match;
    if (m.ordered) {
        if (cursor_ < all.size() && request_matches(request, all[cursor_], m)) return cursor_;
    } else {
        // cursor_ is the first unplayed interaction: nothing before it can answer.
        for (std::size_t i = cursor_; i < all.size(); ++i) {
            if (!played_[i] && request_matches(request, all[i], m)) return i;
        }
    }
    if (options_.on_exhausted == OnExhausted::repeat_last) {
        // The most recently played interaction that answers this request.
        std::optional<std::size_t> best;
        for (std::size_t i = 0; i < all.size(); ++i) {
            if (played_[i] && (!best || played_[i] > played_[*best]) &&
                request_matches(request, all[i], m)) {
                best = i;
            }
        }
        return best;
    }
    return std::nullopt;
}

CliResult Recorder::replay(std::size_t index) {
    const Interaction& interaction = loaded_.interactions[index];
    played_[index] = requests_;  // requests_ > 0 here: the play's sequence number
    last_played_ = index;
    while (cursor_ < played_.size() && played_[cursor_]) ++cursor_;

    // The recorded call took this long: a replayed wait sees time pass as it did.
    virtual_clock_->advance(interaction.duration);
    if (options_.simulate_latency) system_clock()->sleep_for(interaction.duration);

    if (interaction.timed_out) {
        std::vector<std::string> argv{"juju"};
        argv.insert(argv.end(), interaction.args.begin(), interaction.args.end());
        throw CLITimeoutError(std::move(argv),
                              interaction.timeout.value_or(std::chrono::milliseconds(0)),
                              interaction.stdout_text, interaction.stderr_text);
    }
    return CliResult{.returncode = interaction.returncode,
                     .stdout_text = interaction.stdout_text,
                     .stderr_text = interaction.stderr_text};
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
        if (effective_mode_ == RecordMode::new_episodes) base = loaded_;
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
        std::int64_t redactions = 0;
        const Interaction clean = cassette::redact(interaction, options_.redaction, &redactions);
        cassette_write_step(
            path_, "the command ran but is not in the cassette; what was recorded before it is kept",
            [&] {
                if (!shared) return journal_->append(clean, redactions);
                cassette::append_to_shared_journal(
                    path_, [&] { return complete_header(options_.shared_journal_base()); },
                    clean, redactions, options_.durability);
            });
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
        const std::size_t d = token_edit_distance(comparable_args(all[i].args, m.ignore_model),
                                                  req_args);
        if (!nearest || key(i, d) < key(*nearest, best_distance)) {
            nearest = i;
            best_distance = d;
        }
    }
    if (!nearest) {
        message += "\n  nearest: none (the cassette has no interactions)";
    } else {
        const Interaction& near = all[*nearest];
        message += fmt::format("\n  nearest: interaction #{} ({}): juju {}", *nearest,
                               played_[*nearest] ? "already played" : "not yet played",
                               shell_join(near.args));
        if (m.ordered && cursor_ < all.size() && *nearest != cursor_) {
            message += fmt::format("\n  expected next: interaction #{}: juju {}", cursor_,
                                   shell_join(all[cursor_].args));
        } else if (m.ordered && cursor_ >= all.size()) {
            message += fmt::format("\n  every one of the {} recorded interactions has been "
                                   "played",
                                   all.size());
        }
        if (argv_match(request, near, m)) {
            if (played_[*nearest] && request_matches(request, near, m)) {
                message += "\n  the request repeats more often than recorded "
                           "(on_exhausted = error; repeat_last would serve it again)";
            } else if (!m.custom) {
                message += "\n  argv is identical; stdin or temp files differ "
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

void Recorder::finish() {
    if (finished_) return;
    finished_ = true;
    if (journal_) {
        cassette_write_step(path_,
                            fmt::format("the interactions stay in {} and are recovered by the next "
                                        "load",
                                        cassette::journal_path(path_).string()),
                            [&] { journal_->close(); });
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
    std::string message = fmt::format("replay: {} recorded interaction(s) of cassette '{}' "
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
                           "simulate_latency", "redact_literals", "redact_patterns",
                           "redact_keys", "redact_keep_keys"});
    const auto bad = [&](const std::string& what) {
        return PluginError(fmt::format("{}: bad config: {}", plugin, what));
    };

    const std::string target = config.string("target").value_or("");
    if (target.empty()) {
        throw bad(fmt::format("no cassette given; use the spec '{}:<cassette path>'", plugin));
    }
    fs::path path(target);
    if (path.is_relative()) {
        if (const char* dir = std::getenv(cassette_dir_env); dir && *dir) path = fs::path(dir) / path;
    }

    RecorderOptions options{.mode = default_mode};
    auto parse_mode = [&](const std::string& text, std::string_view from) {
        const auto mode = parse_record_mode(text);
        if (!mode) {
            throw bad(fmt::format("unknown mode '{}' from {} (expected none, once, "
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
            throw bad(fmt::format("unknown on_exhausted '{}' (expected error or repeat_last)",
                                  *on));
        }
    }
    options.allow_unused = config.boolean("allow_unused").value_or(true);
    options.simulate_latency = config.boolean("simulate_latency").value_or(false);
    if (const auto v = config.string("redact_literals")) options.redaction.literals = split_lines(*v);
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
