#include "message_text.hpp"

namespace jubilant {

std::string cut_for_message(std::string_view value) {
    if (value.size() <= message_value_limit) return std::string(value);
    // Keep room for the suffix, and never end inside a UTF-8 sequence (continuation bytes are
    // 10xxxxxx).
    std::size_t keep = message_value_limit - 40;
    while (keep > 0 && (static_cast<unsigned char>(value[keep]) & 0xC0) == 0x80) --keep;
    std::string out(value.substr(0, keep));
    out += "...(";
    out += std::to_string(value.size());
    out += " bytes)";
    return out;
}

}  // namespace jubilant
