#include <jubilant/value.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <ostream>

#include <fmt/format.h>

#include <jubilant/errors.hpp>

#include "print/json_quote.hpp"
#include "print/repr.hpp"
#include "python_repr.hpp"
#include "types/json_reader.hpp"

namespace jubilant {
namespace {

using text::python_str_repr;

// Python's repr(float): the shortest digits that round-trip (which std::to_chars also gives),
// positional notation when the decimal exponent is in [-4, 16), scientific otherwise, and ".0"
// on whole numbers written positionally.
std::string python_float_repr(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    char buffer[64];
    const auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));

    std::string out;
    if (text.front() == '-') {
        out += '-';
        text.remove_prefix(1);
    }
    const std::size_t e = text.find('e');
    std::string digits;
    for (const char c : text.substr(0, e)) {
        if (c != '.') digits += c;
    }
    std::string_view exponent_text = text.substr(e + 1);
    if (exponent_text.front() == '+') exponent_text.remove_prefix(1);
    int exponent = 0;
    std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);

    // The value is 0.<digits> * 10^point.
    const int point = exponent + 1;
    const auto count = static_cast<int>(digits.size());
    if (point <= -4 || point > 16) {
        out += digits.front();
        if (count > 1) {
            out += '.';
            out.append(digits, 1);
        }
        out += fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent));
    } else if (point <= 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-point), '0');
        out += digits;
    } else if (point >= count) {
        out += digits;
        out.append(static_cast<std::size_t>(point - count), '0');
        out += ".0";
    } else {
        out.append(digits, 0, static_cast<std::size_t>(point));
        out += '.';
        out.append(digits, static_cast<std::size_t>(point));
    }
    return out;
}

// Recursion depth is bounded by construction only for parsed values, so the writers below are
// recursive like the data; a hand-built Value nested thousands deep is the caller's problem.
void append_json(std::string& out, const Value& value) {
    std::visit(
        [&out](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
                out += "null";
            } else if constexpr (std::is_same_v<T, bool>) {
                out += v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                out += std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
                out += std::isfinite(v) ? python_float_repr(v) : "null";
            } else if constexpr (std::is_same_v<T, std::string>) {
                append_json_string(out, v);
            } else if constexpr (std::is_same_v<T, Value::Array>) {
                out += '[';
                for (std::size_t i = 0; i < v.size(); ++i) {
                    if (i != 0) out += ',';
                    append_json(out, v[i]);
                }
                out += ']';
            } else {
                out += '{';
                bool first = true;
                for (const auto& [key, item] : v) {
                    if (!first) out += ',';
                    first = false;
                    append_json_string(out, key);
                    out += ':';
                    append_json(out, item);
                }
                out += '}';
            }
        },
        value.variant());
}

void append_python(std::string& out, const Value& value) {
    std::visit(
        [&out](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
                out += "None";
            } else if constexpr (std::is_same_v<T, bool>) {
                out += v ? "True" : "False";
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                out += std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
                out += python_float_repr(v);
            } else if constexpr (std::is_same_v<T, std::string>) {
                out += python_str_repr(v);
            } else if constexpr (std::is_same_v<T, Value::Array>) {
                out += '[';
                for (std::size_t i = 0; i < v.size(); ++i) {
                    if (i != 0) out += ", ";
                    append_python(out, v[i]);
                }
                out += ']';
            } else {
                out += '{';
                bool first = true;
                for (const auto& [key, item] : v) {
                    if (!first) out += ", ";
                    first = false;
                    out += python_str_repr(key);
                    out += ": ";
                    append_python(out, item);
                }
                out += '}';
            }
        },
        value.variant());
}

[[noreturn]] void wrong_value_type(const Value& value, std::string_view expected) {
    throw Error(fmt::format("Value: expected {}, got {}", expected, value.type_name()));
}

}  // namespace

Value Value::from_json(std::string_view json) {
    const json_reader::Json document = json_reader::parse(json, "value");
    return json_reader::Node(document, "value").as_value();
}

std::string Value::to_json() const {
    std::string out;
    append_json(out, *this);
    return out;
}

bool Value::as_bool() const {
    if (const auto* b = std::get_if<bool>(&v_)) return *b;
    wrong_value_type(*this, "a boolean");
}

std::int64_t Value::as_int() const {
    if (const auto* i = std::get_if<std::int64_t>(&v_)) return *i;
    wrong_value_type(*this, "an integer");
}

double Value::as_double() const {
    if (const auto* d = std::get_if<double>(&v_)) return *d;
    wrong_value_type(*this, "a number");
}

const std::string& Value::as_string() const {
    if (const auto* s = std::get_if<std::string>(&v_)) return *s;
    wrong_value_type(*this, "a string");
}

const Value::Array& Value::as_array() const {
    if (const auto* a = std::get_if<Array>(&v_)) return *a;
    wrong_value_type(*this, "an array");
}

const Value::Object& Value::as_object() const {
    if (const auto* o = std::get_if<Object>(&v_)) return *o;
    wrong_value_type(*this, "an object");
}

const Value* Value::find(std::string_view key) const {
    const auto* object = std::get_if<Object>(&v_);
    if (object == nullptr) return nullptr;
    const auto it = object->find(std::string(key));
    return it == object->end() ? nullptr : &it->second;
}

const Value& Value::at(std::string_view key) const {
    as_object();  // For its error when this is not an object.
    if (const Value* found = find(key)) return *found;
    throw Error(fmt::format("Value: no key {} in object", python_str_repr(key)));
}

const Value& Value::at(std::size_t index) const {
    const Array& array = as_array();
    if (index >= array.size()) {
        throw Error(
            fmt::format("Value: index {} out of range for array of size {}", index, array.size()));
    }
    return array[index];
}

std::string_view Value::type_name() const noexcept {
    switch (v_.index()) {
    case 0: return "null";
    case 1: return "boolean";
    case 2: return "integer";
    case 3: return "number";
    case 4: return "string";
    case 5: return "array";
    case 6: return "object";
    }
    return "unknown";
}

std::string to_string(const Value& value) {
    std::string out;
    append_python(out, value);
    return out;
}

std::ostream& operator<<(std::ostream& os, const Value& value) { return os << to_string(value); }

// ---------------------------------------------------------------------------------------------
// detail::Repr

namespace detail {

Repr Repr::scalar(std::string text) {
    Repr r;
    r.text_ = std::move(text);
    return r;
}

Repr Repr::record(std::string name) {
    Repr r;
    r.kind_ = Kind::record;
    r.text_ = std::move(name);
    return r;
}

Repr Repr::list() {
    Repr r;
    r.kind_ = Kind::list;
    return r;
}

Repr Repr::dict() {
    Repr r;
    r.kind_ = Kind::dict;
    return r;
}

Repr Repr::of(const Value& value) {
    if (value.is_array()) {
        Repr r = list();
        for (const Value& item : value.as_array()) r.item(of(item));
        return r;
    }
    if (value.is_object()) {
        Repr r = dict();
        for (const auto& [key, item] : value.as_object()) r.entry(key, of(item));
        return r;
    }
    return scalar(to_string(value));
}

Repr& Repr::field(std::string name, Repr value) {
    children_.emplace_back(std::move(name) + "=", std::move(value));
    return *this;
}

Repr& Repr::item(Repr value) {
    children_.emplace_back(std::string(), std::move(value));
    return *this;
}

Repr& Repr::entry(std::string_view key, Repr value) {
    children_.emplace_back(python_str_repr(key) + ": ", std::move(value));
    return *this;
}

std::string Repr::dump(std::string_view indent) const {
    if (kind_ == Kind::scalar) return text_;
    const std::string sub_indent = std::string(indent) + "  ";
    std::vector<std::string> entries;
    entries.reserve(children_.size());
    bool all_scalar = true;
    for (const auto& [prefix, child] : children_) {
        entries.push_back(prefix + child.dump(sub_indent));
        all_scalar = all_scalar && child.kind_ == Kind::scalar;
    }
    switch (kind_) {
    case Kind::record: return lay_out_repr(text_ + "(", ")", entries, all_scalar, indent);
    case Kind::list: return lay_out_repr("[", "]", entries, all_scalar, indent);
    default: return lay_out_repr("{", "}", entries, all_scalar, indent);
    }
}

}  // namespace detail

}  // namespace jubilant
