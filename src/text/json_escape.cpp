#include "json_escape.hpp"

#include "utf8.hpp"

namespace jubilant::text {

namespace {

// The bytes that need more than copying: controls, the quote, the backslash, and (when
// repairing) every byte of a multi-byte sequence, which is checked as a whole.
bool needs_attention(unsigned char byte, bool check_utf8) noexcept {
    return byte < 0x20 || byte == '"' || byte == '\\' || (check_utf8 && byte >= 0x80);
}

}  // namespace

void append_json_string(std::string& out, std::string_view text, JsonStringOptions options) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t done = 0;  // text[0, done) is in `out`
    for (std::size_t at = 0; at < text.size(); ++at) {
        const auto byte = static_cast<unsigned char>(text[at]);
        if (!needs_attention(byte, options.replace_invalid_utf8)) continue;
        if (byte >= 0x80) {
            const std::size_t length = utf8_sequence_length(text, at);
            if (length != 0) {
                at += length - 1;
                continue;
            }
        }
        out.append(text.substr(done, at - done));
        done = at + 1;
        switch (byte) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += options.short_backspace_and_form_feed ? "\\b" : "\\u0008"; break;
        case '\f': out += options.short_backspace_and_form_feed ? "\\f" : "\\u000c"; break;
        default:
            if (byte >= 0x80) {
                out += replacement_character;
            } else {
                out += "\\u00";
                out += hex[byte >> 4];
                out += hex[byte & 0xf];
            }
        }
    }
    out.append(text.substr(done));
    out += '"';
}

}  // namespace jubilant::text
