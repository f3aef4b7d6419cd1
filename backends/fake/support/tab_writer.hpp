// Go's text/tabwriter as juju's tabular output uses it (minwidth 0, padding 2, pad with
// spaces, no flags): text whose cells end in tabs, laid out in columns. Only a tab-terminated
// cell belongs to a column; a line's last cell is written as it is; a line with fewer cells
// ends the column blocks it does not reach, so each table between two text lines gets its own
// widths. Tab-terminated cells keep their padding even at the end of a line, as in juju.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace jubilant::fake {

/// Lays out `text` (lines separated by '\n', cells by '\t') the way Go's tabwriter does.
std::string tab_layout(std::string_view text);

/// Builds tab-separated text the way juju's output.Wrapper does, for tab_layout.
class TabText {
public:
    /// Each value followed by a tab (Wrapper.Print).
    template <typename... Ts>
    TabText& print(const Ts&... values) {
        ((text_ += to_cell(values), text_ += '\t'), ...);
        return *this;
    }
    /// Values separated by tabs, then a newline (Wrapper.Println).
    template <typename... Ts>
    TabText& println(const Ts&... values) {
        std::size_t i = 0;
        ((text_ += to_cell(values), text_ += (++i < sizeof...(Ts) ? "\t" : "")), ...);
        text_ += '\n';
        return *this;
    }
    std::string layout() const { return tab_layout(text_); }

private:
    static std::string to_cell(const std::string& s) { return s; }
    static std::string to_cell(const char* s) { return s; }
    static std::string to_cell(std::string_view s) { return std::string(s); }
    static std::string to_cell(std::size_t n) { return std::to_string(n); }
    static std::string to_cell(long long n) { return std::to_string(n); }
    static std::string to_cell(long n) { return std::to_string(n); }
    static std::string to_cell(int n) { return std::to_string(n); }
    std::string text_{};
};

}  // namespace jubilant::fake
