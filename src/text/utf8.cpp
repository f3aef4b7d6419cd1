#include "utf8.hpp"

#include <cstdint>
#include <cstring>

namespace jubilant::text {

std::size_t utf8_sequence_length(std::string_view text, std::size_t at) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    // RFC 3629's table narrows the second byte after four leads; the others take 80..BF.
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0) second_min = 0xa0;  // overlong
        if (lead == 0xed) second_max = 0x9f;  // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0) second_min = 0x90;  // overlong
        if (lead == 0xf4) second_max = 0x8f;  // above U+10FFFF
    } else {
        return 0;  // a continuation byte, C0/C1 (always overlong) or F5..FF
    }
    if (length > text.size() - at) return 0;
    if (byte(at + 1) < second_min || byte(at + 1) > second_max) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if ((byte(at + k) & 0xc0) != 0x80) return 0;
    }
    return length;
}

std::size_t decode_utf8(std::string_view text, std::size_t at, char32_t& code_point) noexcept {
    const std::size_t length = utf8_sequence_length(text, at);
    if (length == 0) return 0;
    static constexpr unsigned char lead_mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
    char32_t cp = static_cast<unsigned char>(text[at]) & lead_mask[length];
    for (std::size_t k = 1; k < length; ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(text[at + k]) & 0x3fU);
    }
    code_point = cp;
    return length;
}

namespace {

// Where the next byte at or after `at` that is not ASCII is (text.size() when none): eight
// bytes at a time, because most text the toolkit checks (JSON, status output) is ASCII.
std::size_t skip_ascii(std::string_view text, std::size_t at) noexcept {
    constexpr std::uint64_t high_bits = 0x8080808080808080ULL;
    while (text.size() - at >= 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, text.data() + at, sizeof word);
        if ((word & high_bits) != 0) break;
        at += 8;
    }
    while (at < text.size() && static_cast<unsigned char>(text[at]) < 0x80) ++at;
    return at;
}

}  // namespace

bool valid_utf8(std::string_view text) noexcept {
    std::size_t at = skip_ascii(text, 0);
    while (at < text.size()) {
        const std::size_t length = utf8_sequence_length(text, at);
        if (length == 0) return false;
        at = skip_ascii(text, at + length);
    }
    return true;
}

}  // namespace jubilant::text
