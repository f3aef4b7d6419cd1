// Internal to jubilant-cpp (not installed; in the jubilant-files static library, so the library,
// the plugins and the tools share it): how error messages show a value the user gave (a backend
// spec, a config key, a path, a binary's name). Messages echo such values to say what was wrong,
// but a value can be of any size (a 1 MB $JUBILANT_BACKEND once made a 4 MB message): every
// message that echoes user input passes it through cut_for_message.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace jubilant {

/// Longest value a message shows whole.
inline constexpr std::size_t message_value_limit = 200;

/// `value` when it is at most message_value_limit bytes; otherwise its start (cut at a UTF-8
/// character boundary) followed by "...(<n> bytes)", so the message stays short and still says
/// how long the value was.
std::string cut_for_message(std::string_view value);

}  // namespace jubilant
