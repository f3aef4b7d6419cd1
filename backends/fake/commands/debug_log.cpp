// debug-log: the model's log as the fake's agents wrote it (state/debug_log.hpp), filtered
// as juju filters it.
#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "state/debug_log.hpp"
#include "support/names.hpp"

namespace jubilant::fake {
namespace {

constexpr std::array<std::string_view, 6> log_levels = {"TRACE",   "DEBUG", "INFO",
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
    } catch (const std::logic_error&) {}
    throw UsageError(ctx.command, fmt::format("invalid value \"{}\" for option {}: "
                                              "strconv.ParseUint: parsing \"{}\": invalid syntax",
                                              *text, flag, *text));
}

// An --include/--exclude entity: "unit-pg-0", "pg/0", an application "pg" (all its units),
// "machine-0" or a machine ID "0".
bool entity_matches(const std::string& entity, const std::string& pattern) {
    if (entity == pattern) return true;
    if (valid_unit_or_leader_name(pattern)) {
        std::string tag = "unit-" + pattern;
        std::replace(tag.begin(), tag.end(), '/', '-');
        return entity == tag;
    }
    if (valid_machine_id(pattern)) {
        std::string tag = "machine-" + pattern;
        std::replace(tag.begin(), tag.end(), '/', '-');
        return entity == tag;
    }
    if (valid_application_name(pattern) && entity.starts_with("unit-" + pattern + "-")) {
        const std::string rest = entity.substr(6 + pattern.size());
        return !rest.empty() &&
               std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; });
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
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (upper == "WARN") upper = "WARNING";
        min_level = level_rank(upper);
        if (*min_level < 0) {
            throw UsageError(ctx.command, fmt::format("level value \"{}\" is not one of "
                                                      "\"TRACE\", \"DEBUG\", \"INFO\", "
                                                      "\"WARNING\", \"ERROR\", \"CRITICAL\"",
                                                      *level));
        }
    }
    const std::vector<std::string> include = comma_separated_values(ctx, "include");
    const std::vector<std::string> exclude = comma_separated_values(ctx, "exclude");
    const std::vector<std::string> include_module = comma_separated_values(ctx, "include-module");
    const std::vector<std::string> exclude_module = comma_separated_values(ctx, "exclude-module");
    auto module_in = [](const std::string& module, const std::vector<std::string>& prefixes) {
        return std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& prefix) {
            return module == prefix || module.starts_with(prefix + ".");
        });
    };

    const ModelRow model = current_model(ctx);
    std::vector<std::string> out;
    const bool with_date = ctx.args.flag("date");
    const bool with_ms = ctx.args.flag("ms");
    for (const LogEntry& entry : log_entries(ctx, model)) {
        if (min_level && level_rank(entry.level) < *min_level) continue;
        auto matches = [&](const std::string& pattern) {
            return entity_matches(entry.entity, pattern);
        };
        if (!include.empty() && std::none_of(include.begin(), include.end(), matches)) continue;
        if (std::any_of(exclude.begin(), exclude.end(), matches)) continue;
        if (!include_module.empty() && !module_in(entry.module, include_module)) continue;
        if (module_in(entry.module, exclude_module)) continue;
        const std::string iso = format_iso(entry.time_ms);  // 2025-01-01T00:00:05Z
        std::string stamp =
            (with_date ? iso.substr(0, 10) + " " : std::string()) + iso.substr(11, 8);
        if (with_ms) stamp += fmt::format(".{:03d}", ((entry.time_ms % 1000) + 1000) % 1000);
        out.push_back(fmt::format("{}: {} {} {} {}", entry.entity, stamp, entry.level, entry.module,
                                  entry.message));
    }
    std::optional<std::int64_t> keep;
    if (limit && *limit > 0) {
        keep = limit;
    } else if (lines && !ctx.args.flag("replay")) {
        keep = lines;
    }
    std::size_t start = 0;
    if (keep && static_cast<std::size_t>(*keep) < out.size())
        start = out.size() - static_cast<std::size_t>(*keep);
    for (std::size_t i = start; i < out.size(); ++i) ctx.out += out[i] + "\n";
}

}  // namespace

std::vector<CommandDef> debug_log_commands() {
    return {
        {.name = "debug-log",
         .spec = {.flags = {value({"-n", "--lines"}),    value({"--limit"}),
                            boolean({"--replay"}),       boolean({"--no-tail"}),
                            boolean({"--tail"}),         value({"-i", "--include"}),
                            value({"-x", "--exclude"}),  value({"--include-module"}),
                            value({"--exclude-module"}), value({"--include-labels"}),
                            value({"--exclude-labels"}), value({"-l", "--level"}),
                            boolean({"--ms"}),           boolean({"--date"}),
                            boolean({"--utc"}),          boolean({"--location"}),
                            boolean({"--color"}),        boolean({"--no-color"}),
                            boolean({"--retry"}),        value({"--retry-delay"}),
                            boolean({"--firehose"})}},
         .run = cmd_debug_log},
    };
}

}  // namespace jubilant::fake
