#include "types/json_reader.hpp"

#include <climits>
#include <cstdint>

#include <fmt/format.h>

#include <jubilant/errors.hpp>

#include "print/json_quote.hpp"

namespace jubilant::json_reader {
namespace {

// Deep enough for any real action result, shallow enough that converting recursively cannot
// exhaust the stack on hostile input.
constexpr int kMaxDepth = 512;

bool is_json_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// nlohmann prefixes its messages with "[json.exception.parse_error.101] "; the rest reads well
// on its own.
std::string strip_exception_id(std::string message) {
    if (message.starts_with("[json.")) {
        if (const auto end = message.find("] "); end != std::string::npos) {
            message.erase(0, end + 2);
        }
    }
    return message;
}

}  // namespace

std::string_view type_name(const Json& json) noexcept {
    switch (json.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    case Json::value_t::string: return "string";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "integer";
    case Json::value_t::number_float: return "number";
    case Json::value_t::binary: return "binary";
    case Json::value_t::discarded: return "discarded";
    }
    return "unknown";
}

Json parse(std::string_view text, std::string_view doc) {
    bool blank = true;
    for (const char c : text) {
        if (!is_json_space(c)) {
            blank = false;
            break;
        }
    }
    if (blank) {
        throw ParseError(fmt::format("{} JSON: empty document (no JSON value in the input)", doc));
    }
    try {
        return Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error& e) {
        // nlohmann counts the bytes it has read, so the offending byte is the last one counted.
        const std::size_t offset = e.byte == 0 ? 0 : e.byte - 1;
        throw ParseError(fmt::format("{} JSON: invalid JSON at byte {}: {}", doc, offset,
                                     strip_exception_id(e.what())));
    } catch (const Json::exception& e) {
        // For example a number too large for a double, which nlohmann reports as out_of_range.
        throw ParseError(
            fmt::format("{} JSON: invalid JSON: {}", doc, strip_exception_id(e.what())));
    }
}

void Node::fail(std::string_view what) const {
    throw ParseError(fmt::format("{} JSON: {}: {}", doc_, path(), what));
}

void Node::wrong_type(std::string_view expected) const {
    fail(fmt::format("expected {}, got {}", expected, type_name(*json_)));
}

void Node::require_object() const {
    if (!json_->is_object()) wrong_type("an object");
}

Node Node::child_field(const Json& json, std::string_view name) const {
    std::string path = path_;
    path += '.';
    path += name;
    return Node(json, doc_, std::move(path));
}

Node Node::child_key(const Json& json, std::string_view key) const {
    std::string path = path_;
    path += '.';
    append_json_string(path, key);
    return Node(json, doc_, std::move(path));
}

Node Node::child_index(const Json& json, std::size_t index) const {
    return Node(json, doc_, fmt::format("{}[{}]", path_, index));
}

bool Node::has(std::string_view name) const {
    require_object();
    return json_->find(std::string(name)) != json_->end();
}

Node Node::field(std::string_view name) const {
    require_object();
    const auto it = json_->find(std::string(name));
    if (it == json_->end()) child_field(*json_, name).fail("missing required field");
    return child_field(*it, name);
}

std::optional<Node> Node::optional_field(std::string_view name) const {
    require_object();
    const auto it = json_->find(std::string(name));
    if (it == json_->end() || it->is_null()) return std::nullopt;
    return child_field(*it, name);
}

std::string Node::as_string() const {
    if (!json_->is_string()) wrong_type("a string");
    return json_->get_ref<const std::string&>();
}

bool Node::as_bool() const {
    if (!json_->is_boolean()) wrong_type("a boolean");
    return json_->get<bool>();
}

int Node::as_int() const {
    if (json_->is_number_unsigned()) {
        const auto value = json_->get<std::uint64_t>();
        if (value > static_cast<std::uint64_t>(INT_MAX)) {
            fail(fmt::format("integer {} is out of range", value));
        }
        return static_cast<int>(value);
    }
    if (json_->is_number_integer()) {
        const auto value = json_->get<std::int64_t>();
        if (value < INT_MIN || value > INT_MAX) {
            fail(fmt::format("integer {} is out of range", value));
        }
        return static_cast<int>(value);
    }
    wrong_type("an integer");
}

std::vector<std::string> Node::as_string_list() const {
    return list_of([](const Node& node) { return node.as_string(); });
}

std::map<std::string, std::string> Node::as_string_map() const {
    return map_of([](const Node& node) { return node.as_string(); });
}

std::string Node::string_or_empty(std::string_view name) const {
    const auto node = optional_field(name);
    return node ? node->as_string() : std::string();
}

std::vector<std::pair<std::string, Node>> Node::entries() const {
    std::vector<std::pair<std::string, Node>> out;
    if (json_->is_null()) return out;
    require_object();
    out.reserve(json_->size());
    for (const auto& [key, value] : json_->items()) out.emplace_back(key, child_key(value, key));
    return out;
}

std::vector<Node> Node::elements() const {
    std::vector<Node> out;
    if (json_->is_null()) return out;
    if (!json_->is_array()) wrong_type("an array");
    out.reserve(json_->size());
    std::size_t index = 0;
    for (const Json& element : *json_) out.push_back(child_index(element, index++));
    return out;
}

std::pair<std::string, Node> Node::first_entry() const {
    require_object();
    if (json_->empty()) fail("expected an object with one entry, got an empty object");
    const auto it = json_->begin();
    return {it.key(), child_key(it.value(), it.key())};
}

Value Node::as_value() const { return to_value(0); }

Value::Object Node::as_value_object() const {
    if (!json_->is_null()) require_object();
    Value::Object out;
    for (const auto& [key, node] : entries()) out.insert_or_assign(key, node.to_value(1));
    return out;
}

Value Node::to_value(int depth) const {
    if (depth > kMaxDepth) fail(fmt::format("nested more than {} levels deep", kMaxDepth));
    switch (json_->type()) {
    case Json::value_t::null: return Value();
    case Json::value_t::boolean: return Value(json_->get<bool>());
    case Json::value_t::number_integer: return Value(json_->get<std::int64_t>());
    case Json::value_t::number_unsigned: return Value(json_->get<std::uint64_t>());
    case Json::value_t::number_float: return Value(json_->get<double>());
    case Json::value_t::string: return Value(json_->get_ref<const std::string&>());
    case Json::value_t::array: {
        Value::Array out;
        out.reserve(json_->size());
        std::size_t index = 0;
        for (const Json& element : *json_) {
            out.push_back(child_index(element, index++).to_value(depth + 1));
        }
        return Value(std::move(out));
    }
    case Json::value_t::object: {
        Value::Object out;
        for (const auto& [key, value] : json_->items()) {
            out.insert_or_assign(key, child_key(value, key).to_value(depth + 1));
        }
        return Value(std::move(out));
    }
    case Json::value_t::binary:
    case Json::value_t::discarded: break;
    }
    wrong_type("a JSON value");
}

}  // namespace jubilant::json_reader
