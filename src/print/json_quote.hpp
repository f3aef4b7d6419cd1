// Internal to the library: JSON string quoting, shared by the JSON writers and by the error
// messages that print JSON paths (a quoted key cannot make a path ambiguous). Its one home is
// jubilant-text; the library calls it by this name.
#pragma once

#include "json_escape.hpp"

namespace jubilant {

using text::append_json_string;

}  // namespace jubilant
