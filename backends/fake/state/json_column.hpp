// JSON as the state database's text columns hold it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace jubilant::fake {

/// `value` as compact JSON text; invalid UTF-8 is replaced rather than thrown on, so a value
/// the user's input carried into the state is stored, not lost with the command.
template <typename Json>
std::string json_column(const Json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace jubilant::fake
