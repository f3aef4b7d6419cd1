// The two named spdlog loggers jubilant-cpp writes to, mirroring Jubilant's Python loggers:
//   "jubilant"       one INFO line per CLI call: "cli: juju <shell-quoted args>"
//   "jubilant.wait"  Juju::wait's status-change lines (INFO, ERROR for error status, DEBUG diff)
// Register your own logger under either name before first use to take control of the output;
// otherwise one writing to stderr is created, at the level in $JUBILANT_LOG_LEVEL (default info;
// any case; an unknown level is reported and ignored).
// Neither logger ever receives stdin, temp-file contents or other sensitive request data.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include <spdlog/logger.h>

namespace jubilant {

/// The "jubilant" logger (created on first use unless registered before).
std::shared_ptr<spdlog::logger> logger();
/// The "jubilant.wait" logger.
std::shared_ptr<spdlog::logger> wait_logger();

/// Environment variable read when a logger is created: its level.
inline constexpr const char* log_level_env = "JUBILANT_LOG_LEVEL";

/// A level name in any case: trace, debug, info, warning (or warn), error (or err), critical,
/// off. nullopt for anything else; a logger created with such a $JUBILANT_LOG_LEVEL logs at
/// info and says, as its first line, what it did not understand.
std::optional<spdlog::level::level_enum> parse_log_level(std::string_view text);

}  // namespace jubilant
