#include "support/go_duration.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace jubilant::fake {

bool valid_go_duration(std::string_view text) {
    if (text.empty()) return false;
    if (text.front() == '-' || text.front() == '+') text.remove_prefix(1);
    if (text == "0") return true;
    if (text.empty()) return false;
    static const std::array<std::string_view, 7> units = {"ns", "us", "µs", "ms", "s", "m", "h"};
    while (!text.empty()) {
        std::size_t digits = 0;
        bool dot = false;
        while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) ||
                                        (text[digits] == '.' && !dot))) {
            dot = dot || text[digits] == '.';
            ++digits;
        }
        if (digits == 0 || text.substr(0, digits) == ".") return false;
        text.remove_prefix(digits);
        bool matched = false;
        // "ms" is tried before "m" and "s", so it is not read as minutes then seconds.
        for (std::string_view unit : units) {
            if (text.starts_with(unit)) {
                text.remove_prefix(unit.size());
                matched = true;
                break;
            }
        }
        if (!matched) return false;
    }
    return true;
}

std::int64_t go_duration_ms(std::string_view text) {
    const bool negative = !text.empty() && text.front() == '-';
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
    double total = 0;
    while (!text.empty()) {
        std::size_t digits = 0;
        while (digits < text.size() &&
               (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) {
            ++digits;
        }
        const double number = std::stod(std::string(text.substr(0, digits)));
        text.remove_prefix(digits);
        static const std::array<std::pair<std::string_view, double>, 7> units = {{{"ns", 1e-6},
                                                                                  {"us", 1e-3},
                                                                                  {"\u00b5s", 1e-3},
                                                                                  {"ms", 1},
                                                                                  {"s", 1e3},
                                                                                  {"m", 6e4},
                                                                                  {"h", 3.6e6}}};
        for (const auto& [unit, factor] : units) {
            if (text.starts_with(unit)) {
                total += number * factor;
                text.remove_prefix(unit.size());
                break;
            }
        }
    }
    // Past a century it makes no difference to a test, and the cast stays defined.
    total = std::min(total, 3.2e12);
    return static_cast<std::int64_t>(negative ? -total : total);
}

}  // namespace jubilant::fake
