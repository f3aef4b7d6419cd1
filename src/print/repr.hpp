// Internal to the library: Python-style repr layout, one engine for every printer (the status
// types in print/pretty.cpp; Value and the model, secret and unit types through detail::Repr).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <jubilant/value.hpp>

namespace jubilant {

/// Jubilant's pretty repr layout: `open` + entries joined by ", " + `close` on one line when
/// `all_scalar` and that line is at most 150 characters (Python's len()), otherwise one entry
/// per line at `indent` plus two spaces, each followed by a comma, and `close` at `indent`.
/// `entries` are already rendered at that deeper indentation.
std::string lay_out_repr(std::string_view open, std::string_view close,
                         const std::vector<std::string>& entries, bool all_scalar,
                         std::string_view indent);

namespace detail {

/// The builder the result types' printers (operator<<) and Value's use: a record, list or dict
/// of already-rendered scalars and nested Reprs, laid out by lay_out_repr().
class Repr {
public:
    /// An already-rendered scalar, e.g. `'text'` or `42`.
    static Repr scalar(std::string text);
    /// A record printed as `name(...)`; add its non-default fields with field().
    static Repr record(std::string name);
    /// A list printed as `[...]`; add items with item().
    static Repr list();
    /// A dict printed as `{...}`; add entries with entry().
    static Repr dict();
    /// A Value, with objects and arrays laid out like dicts and lists.
    static Repr of(const Value& value);

    /// Adds `name=value` to a record.
    Repr& field(std::string name, Repr value);
    /// Adds an item to a list.
    Repr& item(Repr value);
    /// Adds `'key': value` to a dict (the key is quoted here).
    Repr& entry(std::string_view key, Repr value);

    /// The laid-out text; `indent` is the indentation of the line this value starts on.
    std::string dump(std::string_view indent = {}) const;

private:
    enum class Kind : unsigned char { scalar, record, list, dict };

    Kind kind_ = Kind::scalar;
    std::string text_{};  // Scalar text, or the record's class name.
    std::vector<std::pair<std::string, Repr>> children_{};
};

}  // namespace detail

}  // namespace jubilant
