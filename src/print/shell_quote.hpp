// POSIX shell quoting, for log lines only: jubilant-cpp never runs a shell.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jubilant {

/// Quotes one word so a POSIX shell would read it back unchanged. Words made only of
/// letters, digits and @%+=:,./_- are returned as they are; the empty word becomes ''.
std::string shell_quote(std::string_view word);

/// shell_quote each word and join them with single spaces.
std::string shell_join(const std::vector<std::string>& words);

}  // namespace jubilant
