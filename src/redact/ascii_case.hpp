// ASCII case for the detector: keys and the rules' words compare with A-Z folded and every
// other byte as it is (no locale, and UTF-8 bytes stay themselves).
#pragma once

#include <cstddef>
#include <string_view>

namespace jubilant::cassette::detail {

/// `c` with A-Z lowered.
constexpr char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Whether `text` is `lower_word` (in lower case) with ASCII letters in either case.
constexpr bool equals_ascii_lower(std::string_view text, std::string_view lower_word) noexcept {
    if (text.size() != lower_word.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (ascii_lower(text[i]) != lower_word[i]) return false;
    }
    return true;
}

}  // namespace jubilant::cassette::detail
