// The two named spdlog loggers jubilant-cpp writes to, mirroring Jubilant's Python loggers:
//   "jubilant"       one INFO line per CLI call: "cli: juju <shell-quoted args>"
//   "jubilant.wait"  Juju::wait's status-change lines (INFO, ERROR for error status, DEBUG diff)
// Register your own logger under either name before first use to take control of the output;
// otherwise one writing to stderr is created, at the level in $JUBILANT_LOG_LEVEL (default info).
// Neither logger ever receives stdin, temp-file contents or other sensitive request data.
#pragma once

#include <memory>

#include <spdlog/logger.h>

namespace jubilant {

std::shared_ptr<spdlog::logger> logger();
std::shared_ptr<spdlog::logger> wait_logger();

}  // namespace jubilant
