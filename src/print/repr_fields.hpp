// Internal to the library: the pieces of a Python-style repr that several typed results share
// (the dataclasses in modeltypes, secrettypes and unittypes print their text fields alike).
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <jubilant/value.hpp>

#include "print/repr.hpp"

namespace jubilant::repr_fields {

/// A text field as Python prints a str: quoted and escaped.
inline detail::Repr text_repr(std::string_view text) {
    return detail::Repr::scalar(to_string(Value(text)));
}

/// Adds `name='text'` unless the text is empty (the dataclass default, which repr leaves out).
inline void add_text(detail::Repr& r, std::string name, const std::string& text) {
    if (!text.empty()) r.field(std::move(name), text_repr(text));
}

}  // namespace jubilant::repr_fields
