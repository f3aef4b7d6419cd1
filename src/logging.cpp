#include <jubilant/logging.hpp>

#include <cctype>
#include <cstdlib>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace jubilant {
namespace {

std::shared_ptr<spdlog::logger> get_or_create(const std::string& name) {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (auto existing = spdlog::get(name)) return existing;
    auto created = spdlog::stderr_color_mt(name);
    created->set_level(spdlog::level::info);
    const char* text = std::getenv(log_level_env);
    if (!text || !*text) return created;
    if (const auto level = parse_log_level(text)) {
        created->set_level(*level);
    } else {
        // spdlog's own parser answers "off" to anything it does not know, which silenced
        // every message over a typo.
        created->warn(
            "${} is '{}'; expected trace, debug, info, warning, error, critical or "
            "off (any case); logging at info",
            log_level_env, std::string_view(text).substr(0, 64));
    }
    return created;
}

}  // namespace

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view text) {
    std::string lower(text.substr(0, 16));
    if (lower.size() != text.size()) return std::nullopt;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    using spdlog::level::level_enum;
    static constexpr std::pair<std::string_view, level_enum> names[] = {
        {"trace", level_enum::trace}, {"debug", level_enum::debug},
        {"info", level_enum::info},   {"warning", level_enum::warn},
        {"warn", level_enum::warn},   {"error", level_enum::err},
        {"err", level_enum::err},     {"critical", level_enum::critical},
        {"off", level_enum::off},
    };
    for (const auto& [name, level] : names) {
        if (lower == name) return level;
    }
    return std::nullopt;
}

// Looked up on every call rather than cached, so a logger a test registers (or replaces) under
// the same name takes effect at once; the lookup is negligible next to running a command.
std::shared_ptr<spdlog::logger> logger() { return get_or_create("jubilant"); }

std::shared_ptr<spdlog::logger> wait_logger() { return get_or_create("jubilant.wait"); }

}  // namespace jubilant
