#include "python_repr.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>

#include "utf8.hpp"

namespace jubilant::text {

namespace {

struct CodePointRange {
    char32_t first;
    char32_t last;
};

constexpr CodePointRange python_unprintable[] = {
#include "python_printable.inc"
};

void append_hex(std::string& out, std::string_view prefix, std::uint32_t value, int digits) {
    static constexpr char hex[] = "0123456789abcdef";
    out += prefix;
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += hex[(value >> shift) & 0xf];
}

}  // namespace

bool python_printable(char32_t cp) noexcept {
    if (cp < 0x80) return cp >= 0x20 && cp != 0x7f;
    // The first range whose end is at or after cp; cp is unprintable when that range holds it.
    const auto* range =
        std::lower_bound(std::begin(python_unprintable), std::end(python_unprintable), cp,
                         [](const CodePointRange& r, char32_t value) { return r.last < value; });
    return range == std::end(python_unprintable) || cp < range->first;
}

std::string python_str_repr(std::string_view bytes) {
    const bool has_single = bytes.find('\'') != std::string_view::npos;
    const bool has_double = bytes.find('"') != std::string_view::npos;
    const char quote = has_single && !has_double ? '"' : '\'';
    std::string out;
    out.reserve(bytes.size() + 2);
    out += quote;
    for (std::size_t at = 0; at < bytes.size();) {
        char32_t cp = 0;
        const std::size_t length = decode_utf8(bytes, at, cp);
        if (length == 0) {
            // surrogateescape keeps the byte as the lone surrogate U+DC80..U+DCFF.
            append_hex(out, "\\udc", static_cast<unsigned char>(bytes[at]), 2);
            ++at;
            continue;
        }
        if (cp == '\\' || cp == static_cast<char32_t>(quote)) {
            out += '\\';
            out += static_cast<char>(cp);
        } else if (cp == '\n') {
            out += "\\n";
        } else if (cp == '\r') {
            out += "\\r";
        } else if (cp == '\t') {
            out += "\\t";
        } else if (python_printable(cp)) {
            out.append(bytes.substr(at, length));
        } else if (cp <= 0xff) {
            append_hex(out, "\\x", cp, 2);
        } else if (cp <= 0xffff) {
            append_hex(out, "\\u", cp, 4);
        } else {
            append_hex(out, "\\U", cp, 8);
        }
        at += length;
    }
    out += quote;
    return out;
}

std::size_t python_len(std::string_view bytes) noexcept {
    std::size_t count = 0;
    for (std::size_t at = 0; at < bytes.size(); ++count) {
        const std::size_t length = utf8_sequence_length(bytes, at);
        at += length == 0 ? 1 : length;
    }
    return count;
}

}  // namespace jubilant::text
