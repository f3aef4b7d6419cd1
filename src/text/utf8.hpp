// UTF-8 as RFC 3629 defines it, the one rule set of the toolkit: no overlong forms, no
// surrogates (U+D800..U+DFFF), nothing above U+10FFFF. Part of jubilant-text (internal).
#pragma once

#include <cstddef>
#include <string_view>

namespace jubilant::text {

/// The length (1 to 4) of the well-formed UTF-8 sequence starting at `text[at]`, or 0 when the
/// bytes there are not one. `at` must be inside `text`.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at) noexcept;

/// Decodes the well-formed sequence starting at `text[at]` into `code_point` and returns its
/// length, or returns 0 (and leaves `code_point` alone) when the bytes there are not one.
std::size_t decode_utf8(std::string_view text, std::size_t at, char32_t& code_point) noexcept;

/// Whether all of `text` is well-formed UTF-8.
bool valid_utf8(std::string_view text) noexcept;

/// U+FFFD REPLACEMENT CHARACTER in UTF-8: what a repair writes for each byte that is not part
/// of a well-formed sequence, one per byte, as Go's encoder (and so juju) does. The one repair
/// is append_json_string's `replace_invalid_utf8`.
inline constexpr std::string_view replacement_character = "\xef\xbf\xbd";

}  // namespace jubilant::text
