// Charm config and constraint values, and how they are written on the juju command line
// (Jubilant's ConfigValue, ConstraintValue and _format_config).
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include <jubilant/secrettypes.hpp>

namespace jubilant {

/// A charm config value: boolean, integer, floating-point number, string, or secret URI.
///
/// A plain string literal selects std::string, an integer literal std::int64_t.
using ConfigValue = std::variant<bool, std::int64_t, double, std::string, SecretURI>;

/// A constraint value (model, bootstrap or deployment constraint).
using ConstraintValue = std::variant<bool, std::int64_t, double, std::string>;

/// The value as it goes on the juju command line: "true"/"false" for booleans, decimal digits
/// for integers, Python's str() of a float for doubles ("1.5", "3.0", "1e+16", "inf", "nan"),
/// and the text itself for strings and secret URIs.
std::string to_string(const ConfigValue& value);

/// `key=value` as Jubilant's _format_config writes it for `juju config`, `deploy --config`,
/// `model-config` and the like, e.g. "debug=true", "port=8080", "ratio=0.5",
/// "secret=secret:9m4e2mr0ui3e8a215n4g". Neither key nor value is quoted or escaped: each
/// argument is passed to juju as a separate argv entry, not through a shell.
std::string format_config(std::string_view key, const ConfigValue& value);

/// The value as it goes on the juju command line; same rules as for ConfigValue. Only takes
/// an actual ConstraintValue, so that literals select the ConfigValue overload unambiguously.
template <std::same_as<ConstraintValue> V>
std::string to_string(const V& value) {
    return std::visit([](const auto& v) { return to_string(ConfigValue(v)); }, value);
}

/// `key=value` for a constraint (`--constraints`, `--bootstrap-constraints`); same rules as
/// for ConfigValue. Only takes an actual ConstraintValue, like the to_string() above.
template <std::same_as<ConstraintValue> V>
std::string format_config(std::string_view key, const V& value) {
    return std::visit([key](const auto& v) { return format_config(key, ConfigValue(v)); }, value);
}

}  // namespace jubilant
