// Base64 with the standard alphabet (RFC 4648 section 4). Part of jubilant-text (internal).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace jubilant::text {

/// `bytes` in base64, padded with `=` to a multiple of four characters.
std::string base64_encode(std::string_view bytes);

/// What base64_decode accepts besides the alphabet.
struct Base64DecodeOptions {
    /// Requires the `=` padding to a multiple of four characters (strict: a hand edit that
    /// damages the data is reported rather than decoded into other bytes); false accepts the
    /// text with or without trailing `=`.
    bool require_padding = true;
};

/// The bytes `text` encodes, or nullopt when it is not base64 (no whitespace is accepted).
/// Then `*bad_at`, when given, is the offset of the first character in error (text.size()
/// when the length is wrong).
std::optional<std::string> base64_decode(std::string_view text, Base64DecodeOptions options = {},
                                         std::size_t* bad_at = nullptr);

}  // namespace jubilant::text
