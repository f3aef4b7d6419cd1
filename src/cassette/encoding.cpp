// Byte helpers of the cassette format: UTF-8 checks and base64 for blobs that are not text.
#include <jubilant/cassette.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include <jubilant/errors.hpp>

#include "cassette/internal.hpp"
#include "print/json_quote.hpp"
#include "private_files.hpp"

namespace jubilant::cassette {

namespace detail {

// ---------------------------------------------------------------------------------------------
// Byte helpers

bool valid_utf8(std::string_view text) noexcept {
    return simdjson::validate_utf8(text.data(), text.size());
}

namespace {

constexpr std::string_view b64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_value(char c) noexcept {
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
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const auto n = (std::uint32_t(std::uint8_t(bytes[i])) << 16) |
                       (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8) |
                       std::uint32_t(std::uint8_t(bytes[i + 2]));
        out += b64_alphabet[(n >> 18) & 63];
        out += b64_alphabet[(n >> 12) & 63];
        out += b64_alphabet[(n >> 6) & 63];
        out += b64_alphabet[n & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t n = std::uint32_t(std::uint8_t(bytes[i])) << 16;
        if (rest == 2) n |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
        out += b64_alphabet[(n >> 18) & 63];
        out += b64_alphabet[(n >> 12) & 63];
        out += rest == 2 ? b64_alphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text, std::size_t* bad_at) {
    // Strict: padded, no whitespace, no stray characters, so a hand edit that damages the
    // data is reported rather than silently producing different bytes.
    if (text.size() % 4 != 0) {
        if (bad_at) *bad_at = text.size();
        return std::nullopt;
    }
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        int v[4];
        int pad = 0;
        for (int j = 0; j < 4; ++j) {
            const char c = text[i + j];
            const bool last_group = i + 4 == text.size();
            if (c == '=' && last_group && j >= 2 && (j == 3 || text[i + 3] == '=')) {
                v[j] = 0;
                ++pad;
                continue;
            }
            v[j] = b64_value(c);
            if (v[j] < 0 || pad > 0) {
                if (bad_at) *bad_at = i + j;
                return std::nullopt;
            }
        }
        const auto n = (std::uint32_t(v[0]) << 18) | (std::uint32_t(v[1]) << 12) |
                       (std::uint32_t(v[2]) << 6) | std::uint32_t(v[3]);
        out += char((n >> 16) & 0xff);
        if (pad < 2) out += char((n >> 8) & 0xff);
        if (pad < 1) out += char(n & 0xff);
    }
    return out;
}

}  // namespace detail

}  // namespace jubilant::cassette
