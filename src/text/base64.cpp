#include "base64.hpp"

#include <cstdint>

namespace jubilant::text {

namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int digit_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    const auto byte = [&](std::size_t k) { return std::uint32_t(std::uint8_t(bytes[k])); };
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += alphabet[n & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t n = byte(i) << 16;
        if (rest == 2) n |= byte(i + 1) << 8;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += rest == 2 ? alphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text, Base64DecodeOptions options,
                                         std::size_t* bad_at) {
    const auto fail = [&](std::size_t at) -> std::optional<std::string> {
        if (bad_at) *bad_at = at;
        return std::nullopt;
    };
    std::string_view digits = text;
    if (options.require_padding) {
        if (text.size() % 4 != 0) return fail(text.size());
        // At most two pad characters, in the last group.
        for (int pad = 0; pad < 2 && digits.ends_with('='); ++pad) digits.remove_suffix(1);
    } else {
        while (digits.ends_with('=')) digits.remove_suffix(1);
    }
    std::string out;
    out.reserve(digits.size() / 4 * 3 + 2);
    std::uint32_t bits = 0;
    int bit_count = 0;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        const int value = digit_value(digits[i]);
        if (value < 0) return fail(i);
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        bit_count += 6;
        if (bit_count >= 8) {
            bit_count -= 8;
            out += static_cast<char>((bits >> bit_count) & 0xff);
        }
    }
    // One digit alone in the last group carries 6 bits: not a whole byte.
    if (bit_count >= 6) return fail(digits.size());
    return out;
}

}  // namespace jubilant::text
