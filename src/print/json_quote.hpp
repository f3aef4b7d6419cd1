// Internal to the library: JSON string quoting, shared by the JSON writers and by the error
// messages that print JSON paths (a quoted key cannot make a path ambiguous).
#pragma once

#include <string>
#include <string_view>

namespace jubilant {

/// Appends `text` to `out` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

}  // namespace jubilant
