// UTF-8 as RFC 3629 defines it, the one rule set of the toolkit: no overlong forms, no
// surrogates (U+D800..U+DFFF), nothing above U+10FFFF. Part of jubilant-text (internal).
#pragma once

#include <cstddef>
#include <string>
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

/// Appends `text` to `out` with each byte that is not part of a well-formed sequence replaced
/// by U+FFFD, one per byte, as Go's encoder (and so juju) writes them.
void append_repaired_utf8(std::string& out, std::string_view text);

}  // namespace jubilant::text
