// Joining and splitting the lists juju takes and prints (comma lists, unit names, key paths).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jubilant::fake {

/// `items` joined by `separator` (none is added while the result is still empty).
std::string join(const std::vector<std::string>& items, std::string_view separator);

/// The non-empty parts of `text` between `separator`s.
std::vector<std::string> split(std::string_view text, char separator);

}  // namespace jubilant::fake
