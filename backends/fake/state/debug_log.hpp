// The model's debug log (table log): what the fake's agents "say" as commands change the
// model, read back by debug-log.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine_internal.hpp"

namespace jubilant::fake {

/// One line of the log.
struct LogEntry {
    std::int64_t time_ms = 0;  ///< simulated time
    std::string entity{};      ///< "unit-pg-0", "machine-0"
    std::string level{};       ///< TRACE ... CRITICAL
    std::string module{};
    std::string message{};
};

/// Writes a line for `entity` at the command's simulated time, from the unit agent's module.
void log_line(Context& ctx, const ModelRow& model, const std::string& entity,
              const std::string& level, const std::string& message);

/// The model's log, oldest first.
std::vector<LogEntry> log_entries(Context& ctx, const ModelRow& model);

}  // namespace jubilant::fake
