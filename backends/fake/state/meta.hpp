// Named values of the state (table meta): the simulated clock and its wall-clock epoch, the
// current controller, each controller's juju version and the counters identifiers come from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "state/store.hpp"

namespace jubilant::fake {

/// The value stored under `key`; `fallback` when there is none.
std::string meta_get(Database& db, std::string_view key, std::string fallback = {});
/// Stores `value` under `key`, replacing what was there.
void meta_set(Database& db, std::string_view key, const std::string& value);
/// Returns the next value of a named counter (starting at 1).
std::int64_t next_counter(Database& db, std::string_view key);

}  // namespace jubilant::fake
