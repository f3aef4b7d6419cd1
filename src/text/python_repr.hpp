// Python's repr() of a str, the one home of the toolkit's Python-style quoting (the pretty
// printer, the result types' printers, Value). Part of jubilant-text (internal).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace jubilant::text {

/// Whether Python's str.isprintable() accepts the code point `cp`; Python 3.11's Unicode
/// database (tools/gen-python-printable.py), so unassigned code points are not printable.
bool python_printable(char32_t cp) noexcept;

/// What Python's repr() prints for the str that Jubilant would hold for `bytes`: juju's output
/// decoded as UTF-8 with surrogateescape (Python's subprocess text mode), so a byte that is
/// not part of well-formed UTF-8 shows as `\udcXX`. Single quotes unless the text holds a
/// single quote and no double quote; `\n`, `\r`, `\t`, `\\` and the quote escaped, other
/// unprintable characters as `\xXX`, `\uXXXX` or `\UXXXXXXXX`.
std::string python_str_repr(std::string_view bytes);

/// Python's len() of that same str: code points, each undecodable byte counting one.
std::size_t python_len(std::string_view bytes) noexcept;

}  // namespace jubilant::text
