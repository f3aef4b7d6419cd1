// Internal to the library (not installed): typed reads from a parsed nlohmann document, with
// ParseError messages that name the document and the JSON path of the offending value.
//
// Used by the small result types (secrets, model, unit, version, task, Value). Documents are
// parsed as ordered_json because Jubilant relies on document order in places: it takes the
// first entry of `juju show-*` output and returns `juju secrets` in the order printed.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <jubilant/value.hpp>

namespace jubilant::json_reader {

using Json = nlohmann::ordered_json;

/// Parses `text` as JSON. `doc` names the document in messages ("show-unit" gives
/// "show-unit JSON: ..."). Throws ParseError for empty input and for invalid JSON, naming
/// the byte offset of the problem.
Json parse(std::string_view text, std::string_view doc);

/// A value inside a parsed document together with its path, for error messages.
///
/// Paths are written as `.field` for fixed field names, `."key"` (JSON-quoted) for keys that
/// come from the data such as unit or secret names, and `[n]` for array elements; the root is
/// `.`. A Node refers into the document, which must outlive it.
class Node {
public:
    /// The root of a document called `doc`.
    Node(const Json& json, std::string_view doc) : json_(&json), doc_(doc) {}

    /// The JSON value.
    const Json& json() const noexcept { return *json_; }
    /// The path of this value, "." for the root.
    std::string path() const { return path_.empty() ? std::string(".") : path_; }

    /// Throws ParseError "<doc> JSON: <path>: <what>".
    [[noreturn]] void fail(std::string_view what) const;
    /// Throws ParseError "... expected <expected>, got <actual type>".
    [[noreturn]] void wrong_type(std::string_view expected) const;

    /// Throws unless this is an object.
    void require_object() const;
    /// Required member of an object; throws when this is not an object or the member is absent.
    Node field(std::string_view name) const;
    /// Optional member of an object: nullopt when absent or null.
    std::optional<Node> optional_field(std::string_view name) const;
    /// Whether an object has the member at all (null included), like Python's `in`.
    bool has(std::string_view name) const;

    /// A string; throws on any other type.
    std::string as_string() const;
    /// A boolean; throws on any other type.
    bool as_bool() const;
    /// An integer that fits in int; throws on doubles, other types, and out-of-range values.
    int as_int() const;
    /// An array of strings. Null counts as empty: Go writes a nil slice as null.
    std::vector<std::string> as_string_list() const;
    /// An object of strings. Null counts as empty, as for as_string_list().
    std::map<std::string, std::string> as_string_map() const;
    /// Any JSON value, converted recursively (at most 512 levels deep).
    Value as_value() const;
    /// An object of arbitrary values. Null counts as empty, as for as_string_list().
    Value::Object as_value_object() const;

    /// The optional member `name` as a string; "" when absent or null (Jubilant's
    /// `d.get(name) or ''`).
    std::string string_or_empty(std::string_view name) const;

    /// Each member of an object, in document order, as (key, node). Null counts as empty.
    std::vector<std::pair<std::string, Node>> entries() const;
    /// Each element of an array. Null counts as empty.
    std::vector<Node> elements() const;

    /// An object's members read with `read(node)` into a map (later duplicates win).
    template <class F>
    auto map_of(F&& read) const {
        std::map<std::string, decltype(read(std::declval<const Node&>()))> out;
        for (const auto& [key, node] : entries()) out.insert_or_assign(key, read(node));
        return out;
    }

    /// An array's elements read with `read(node)`.
    template <class F>
    auto list_of(F&& read) const {
        std::vector<decltype(read(std::declval<const Node&>()))> out;
        for (const Node& node : elements()) out.push_back(read(node));
        return out;
    }

    /// The first member of a non-empty object, as `juju show-unit`, `show-model` and
    /// `show-secret` print one entry keyed by name. Throws when not an object or empty.
    std::pair<std::string, Node> first_entry() const;

private:
    Node(const Json& json, std::string_view doc, std::string path)
        : json_(&json), doc_(doc), path_(std::move(path)) {}

    Node child_field(const Json& json, std::string_view name) const;
    Node child_key(const Json& json, std::string_view key) const;
    Node child_index(const Json& json, std::size_t index) const;
    Value to_value(int depth) const;

    const Json* json_;
    std::string_view doc_;
    std::string path_{};
};

/// Name of the JSON type of `json` as used in messages ("object", "integer", ...).
std::string_view type_name(const Json& json) noexcept;

}  // namespace jubilant::json_reader
