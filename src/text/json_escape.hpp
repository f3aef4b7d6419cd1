// JSON string literals (RFC 8259), for every JSON writer of the toolkit. Part of jubilant-text.
#pragma once

#include <string>
#include <string_view>

namespace jubilant::text {

/// How append_json_string writes what RFC 8259 leaves to the writer.
struct JsonStringOptions {
    /// Writes backspace and form feed as `\b` and `\f`; false writes `\u0008` and `\u000c`, as
    /// Go's encoder (and so juju) does.
    bool short_backspace_and_form_feed = true;
    /// Replaces each byte that is not part of well-formed UTF-8 with U+FFFD, as Go's encoder
    /// does; false copies such bytes unchanged (for text already known to be UTF-8).
    bool replace_invalid_utf8 = false;
};

/// Appends `text` to `out` as a JSON string literal, quotes included: `"` and `\` escaped,
/// newline, carriage return and tab as `\n`, `\r`, `\t`, other control characters as `\u00XX`.
void append_json_string(std::string& out, std::string_view text, JsonStringOptions options = {});

}  // namespace jubilant::text
