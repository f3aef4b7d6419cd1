// jubilant::Value: a JSON-shaped value that keeps nested structure without exposing a JSON
// library in the public headers.
//
// Jubilant hands back some data as plain Python dicts of arbitrary depth (action results, relation
// data). A flat string map would lose nesting, and exposing nlohmann or simdjson types would tie
// users to one parser, so those fields are Values: a small recursive variant. Objects are
// std::map, so keys are always iterated (and printed) in sorted order; Python keeps insertion
// order, which only shows when printing, as equality of dicts ignores order anyway.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace jubilant {

/// A JSON value: null, boolean, integer, floating-point number, string, array or object.
///
/// Integers and floating-point numbers are distinct, as in Python's json module: `1` parses to
/// an integer and `1.0` to a double, and the two do not compare equal. Integers beyond the
/// int64 range are stored as doubles (Python would keep them exact).
class Value {
public:
    /// A JSON array.
    using Array = std::vector<Value>;
    /// A JSON object, keys in sorted order.
    using Object = std::map<std::string, Value>;
    /// The alternatives; index order is null, boolean, integer, double, string, array, object.
    using Variant =
        std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object>;

    /// Null.
    Value() noexcept = default;
    /// Null.
    Value(std::nullptr_t) noexcept {}
    /// A boolean. Only an actual bool picks this; pointers and integers do not.
    template <std::same_as<bool> B>
    Value(B b) noexcept : v_(b) {}
    /// An integer (any integral type other than bool). Unsigned values above INT64_MAX become
    /// doubles, as they do when parsed.
    // clang-format 14 cannot lay out a requires-clause.
    // clang-format off
    template <std::integral I>
        requires(!std::same_as<I, bool>)
    Value(I i) noexcept : v_(from_integer(i)) {}
    // clang-format on
    /// A floating-point number.
    template <std::floating_point F>
    Value(F d) noexcept : v_(static_cast<double>(d)) {}
    /// A string.
    Value(std::string s) : v_(std::move(s)) {}
    /// A string.
    Value(std::string_view s) : v_(std::string(s)) {}
    /// A string.
    Value(const char* s) : v_(std::string(s)) {}
    /// An array.
    Value(Array a) : v_(std::move(a)) {}
    /// An object.
    Value(Object o) : v_(std::move(o)) {}

    /// Parses JSON text. Throws ParseError (naming the byte offset) when it is not valid JSON,
    /// and when it nests deeper than 512 levels (a guard against stack exhaustion).
    static Value from_json(std::string_view json);

    /// Compact JSON text (no spaces), objects in key order. Non-finite doubles, which JSON cannot
    /// represent, are written as null.
    std::string to_json() const;

    /// The underlying variant, for std::visit or std::get_if.
    const Variant& variant() const noexcept { return v_; }

    /// Whether this is null.
    bool is_null() const noexcept { return std::holds_alternative<std::nullptr_t>(v_); }
    /// Whether this is a boolean.
    bool is_bool() const noexcept { return std::holds_alternative<bool>(v_); }
    /// Whether this is an integer.
    bool is_int() const noexcept { return std::holds_alternative<std::int64_t>(v_); }
    /// Whether this is a double.
    bool is_double() const noexcept { return std::holds_alternative<double>(v_); }
    /// Whether this is a string.
    bool is_string() const noexcept { return std::holds_alternative<std::string>(v_); }
    /// Whether this is an array.
    bool is_array() const noexcept { return std::holds_alternative<Array>(v_); }
    /// Whether this is an object.
    bool is_object() const noexcept { return std::holds_alternative<Object>(v_); }

    // The as_*() accessors throw jubilant::Error naming both types when the value holds
    // something else; they never convert (as_double() of an integer throws too).

    /// The boolean held.
    bool as_bool() const;
    /// The integer held.
    std::int64_t as_int() const;
    /// The double held.
    double as_double() const;
    /// The string held.
    const std::string& as_string() const;
    /// The array held.
    const Array& as_array() const;
    /// The object held.
    const Object& as_object() const;

    /// Member `key` of an object, or nullptr when this is not an object or has no such key.
    const Value* find(std::string_view key) const;
    /// Member `key` of an object; throws jubilant::Error when there is none.
    const Value& at(std::string_view key) const;
    /// Element `index` of an array; throws jubilant::Error when out of range or not an array.
    const Value& at(std::size_t index) const;

    /// Name of the held type as used in error messages: "null", "boolean", "integer",
    /// "number", "string", "array" or "object".
    std::string_view type_name() const noexcept;

    /// Same type and equal contents, recursively.
    bool operator==(const Value&) const = default;

private:
    template <class I>
    static Variant from_integer(I i) noexcept {
        if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(std::int64_t)) {
            if (i > static_cast<I>(INT64_MAX)) return static_cast<double>(i);
        }
        return static_cast<std::int64_t>(i);
    }

    Variant v_{};
};

/// The value written as a Python literal, the way Jubilant's messages show dicts and lists:
/// None, True, 42, 1.5, 'text', [1, 2], {'key': 'value'}. Strings are quoted like Python's
/// repr() (non-printable characters escaped); doubles are written like Python's repr(float).
std::string to_string(const Value& value);

/// Writes to_string(value).
std::ostream& operator<<(std::ostream& os, const Value& value);

}  // namespace jubilant
