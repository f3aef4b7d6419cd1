// A command line as the shell on a unit or machine would split it (exec, ssh).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jubilant::fake {

/// Splits a shell command line into words: whitespace separates, quotes group, '\' escapes.
std::vector<std::string> shell_words(std::string_view line);

}  // namespace jubilant::fake
