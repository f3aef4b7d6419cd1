#include "print/shell_quote.hpp"

namespace jubilant {
namespace {

bool is_safe(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
    case '@':
    case '%':
    case '+':
    case '=':
    case ':':
    case ',':
    case '.':
    case '/':
    case '_':
    case '-': return true;
    default: return false;
    }
}

}  // namespace

std::string shell_quote(std::string_view word) {
    if (word.empty()) return "''";
    bool safe = true;
    for (char c : word) safe = safe && is_safe(c);
    if (safe) return std::string(word);
    // Inside single quotes nothing is special except the quote itself, which has to close the
    // quoted run, appear double-quoted, and reopen it.
    std::string quoted = "'";
    for (char c : word) {
        if (c == '\'')
            quoted += "'\"'\"'";
        else
            quoted += c;
    }
    quoted += '\'';
    return quoted;
}

std::string shell_join(const std::vector<std::string>& words) {
    std::string joined;
    for (const auto& word : words) {
        if (!joined.empty()) joined += ' ';
        joined += shell_quote(word);
    }
    return joined;
}

}  // namespace jubilant
