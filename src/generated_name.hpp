// Finding the model names the toolkit and Jubilant generate ("jubilant-" + 8 lowercase hex
// digits), in plain C++ with no library dependency: the one home for libjubilant
// (find_generated_model_name, which replay matching uses) and for juju-cassette's front end,
// which links no libjubilant and must match requests exactly as the library does.
#pragma once

#include <cstddef>
#include <string_view>

namespace jubilant::detail {

/// The public generated_model_prefix and generated_model_digits (temp_model.hpp), which
/// temp_model.cpp checks are the same.
inline constexpr std::string_view generated_name_prefix = "jubilant-";
inline constexpr std::size_t generated_name_digits = 8;

/// Where the first generated name standing alone (not inside a longer word) starts in `text`
/// at or after `from`; npos when there is none.
inline std::size_t find_generated_name(std::string_view text, std::size_t from) noexcept {
    const auto word = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    };
    const auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
    const std::size_t length = generated_name_prefix.size() + generated_name_digits;
    for (std::size_t at = text.find(generated_name_prefix, from); at != std::string_view::npos;
         at = text.find(generated_name_prefix, at + 1)) {
        if (at > 0 && word(text[at - 1])) continue;
        if (text.size() < at + length) return std::string_view::npos;
        bool digits = true;
        for (std::size_t k = at + generated_name_prefix.size(); k < at + length; ++k) {
            digits = digits && hex(text[k]);
        }
        if (!digits) continue;
        if (text.size() > at + length && word(text[at + length])) continue;
        return at;
    }
    return std::string_view::npos;
}

}  // namespace jubilant::detail
