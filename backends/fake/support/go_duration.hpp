// Durations as juju's flags take them (--wait 30s): Go's time.ParseDuration grammar.
#pragma once

#include <cstdint>
#include <string_view>

namespace jubilant::fake {

/// Whether `text` is a Go duration: "30s", "1m30s", "0.001s", "2h", a sign allowed; "0" alone
/// needs no unit.
bool valid_go_duration(std::string_view text);

/// A valid Go duration in milliseconds (rounded down, capped at a century).
std::int64_t go_duration_ms(std::string_view text);

}  // namespace jubilant::fake
