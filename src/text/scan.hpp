// Internal to the library: the small steps of the hand-written parsers for Juju's text formats
// (version strings, timestamps), which consume a std::string_view from its front.
#pragma once

#include <string_view>

namespace jubilant::text_scan {

/// Consumes `c` when the text starts with it.
inline bool take_char(std::string_view& text, char c) {
    if (text.empty() || text.front() != c) return false;
    text.remove_prefix(1);
    return true;
}

}  // namespace jubilant::text_scan
