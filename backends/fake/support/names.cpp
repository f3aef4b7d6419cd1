#include "support/names.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "support/strings.hpp"

namespace jubilant::fake {
namespace {

bool lower(char c) { return c >= 'a' && c <= 'z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool valid_model_name(std::string_view name) {
    return !name.empty() && (lower(name[0]) || digit(name[0])) &&
           std::all_of(name.begin(), name.end(),
                       [](char c) { return lower(c) || digit(c) || c == '-'; });
}

std::string invalid_model_name_message(std::string_view name) {
    return fmt::format(
        "\"{}\" is not a valid name: model names may only contain lowercase letters, "
        "digits and hyphens",
        name);
}

bool valid_application_name(std::string_view name) {
    // [a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*
    if (name.empty() || !lower(name[0])) return false;
    std::size_t start = 0;
    while (start <= name.size()) {
        const std::size_t end = std::min(name.find('-', start), name.size());
        const std::string_view part = name.substr(start, end - start);
        if (!std::all_of(part.begin(), part.end(), [](char c) { return lower(c) || digit(c); }) ||
            !std::any_of(part.begin(), part.end(), lower)) {
            return false;
        }
        if (end == name.size()) return true;
        start = end + 1;
    }
    return false;  // a trailing hyphen
}

std::optional<std::string> application_name_error(std::string_view name) {
    if (valid_application_name(name)) return std::nullopt;
    if (std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
        return fmt::format("invalid application name \"{}\", unexpected uppercase character", name);
    }
    const std::size_t hyphen = name.rfind('-');
    if (hyphen != std::string_view::npos && hyphen + 1 < name.size() &&
        std::all_of(name.begin() + static_cast<long>(hyphen) + 1, name.end(), digit)) {
        return fmt::format(
            "invalid application name \"{}\", unexpected number(s) found after last hyphen", name);
    }
    const auto bad = std::find_if(name.begin(), name.end(),
                                  [](char c) { return !lower(c) && !digit(c) && c != '-'; });
    if (bad == name.end()) return fmt::format("invalid application name \"{}\"", name);
    // The whole UTF-8 sequence of the offending character, as Go prints a rune.
    std::size_t length = 1;
    const auto lead = static_cast<unsigned char>(*bad);
    if (lead >= 0xF0)
        length = 4;
    else if (lead >= 0xE0)
        length = 3;
    else if (lead >= 0xC0)
        length = 2;
    const std::size_t at = static_cast<std::size_t>(bad - name.begin());
    return fmt::format("invalid application name \"{}\", unexpected character {}", name,
                       name.substr(at, std::min(length, name.size() - at)));
}

bool valid_unit_name(std::string_view name) {
    const std::size_t slash = name.find('/');
    if (slash == std::string_view::npos || !valid_application_name(name.substr(0, slash)))
        return false;
    const std::string_view number = name.substr(slash + 1);
    return !number.empty() && std::all_of(number.begin(), number.end(), digit) &&
           (number == "0" || number[0] != '0');
}

bool valid_unit_or_leader_name(std::string_view text) {
    const auto slash = text.find('/');
    if (slash != std::string_view::npos && text.substr(slash + 1) == "leader") {
        return valid_application_name(text.substr(0, slash));
    }
    return valid_unit_name(text);
}

bool valid_machine_id(std::string_view text) {
    const auto parts = split(text, '/');
    if (parts.empty() || text.back() == '/') return false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const bool number = std::all_of(parts[i].begin(), parts[i].end(), digit);
        if (i % 2 == 0 ? !number : number) return false;
    }
    return parts.size() % 2 == 1;
}

bool valid_action_name(std::string_view name) {
    // ^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$
    auto alnum = [](char c) { return lower(c) || digit(c); };
    return !name.empty() && alnum(name.front()) && alnum(name.back()) &&
           std::all_of(name.begin(), name.end(), [&](char c) { return alnum(c) || c == '-'; });
}

}  // namespace jubilant::fake
