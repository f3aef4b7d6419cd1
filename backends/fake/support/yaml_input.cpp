#include "support/yaml_input.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>

namespace jubilant::fake {
namespace {

// The position of byte `offset`, for an error about the input as a whole.
YAML::Mark mark_at(std::string_view text, std::size_t offset) {
    YAML::Mark mark;
    offset = std::min(offset, text.size());
    const std::string_view head = text.substr(0, offset);
    mark.pos = static_cast<int>(offset);
    mark.line = static_cast<int>(std::count(head.begin(), head.end(), '\n'));
    const auto last_newline = head.rfind('\n');
    mark.column = static_cast<int>(last_newline == std::string_view::npos
                                       ? offset
                                       : offset - last_newline - 1);
    return mark;
}

std::string too_deep(const YamlLimits& limits) {
    return fmt::format("document nests deeper than {} levels", limits.max_depth);
}

// An explicit stack, not recursion: the walk must hold on any document yaml-cpp accepts.
void check_shape(const YAML::Node& root, const YamlLimits& limits) {
    std::vector<std::pair<YAML::Node, std::size_t>> pending{{root, 1}};
    std::size_t values = 0;
    while (!pending.empty()) {
        auto [node, depth] = std::move(pending.back());
        pending.pop_back();
        if (++values > limits.max_values) {
            throw YAML::ParserException(
                node.Mark(), fmt::format("document has more than {} values once aliases are "
                                         "expanded",
                                         limits.max_values));
        }
        if (depth > limits.max_depth) throw YAML::ParserException(node.Mark(), too_deep(limits));
        if (node.IsMap()) {
            for (const auto& item : node) {
                pending.emplace_back(item.first, depth + 1);
                pending.emplace_back(item.second, depth + 1);
            }
        } else if (node.IsSequence()) {
            for (const auto& item : node) pending.emplace_back(item, depth + 1);
        }
    }
}

}  // namespace

YAML::Node load_bounded_yaml(std::string_view text, const YamlLimits& limits) {
    if (text.size() > limits.max_bytes) {
        throw YAML::ParserException(
            mark_at(text, limits.max_bytes),
            fmt::format("document is larger than {} bytes", limits.max_bytes));
    }
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::DeepRecursion& e) {
        throw YAML::ParserException(e.mark, too_deep(limits));
    }
    check_shape(root, limits);
    return root;
}

}  // namespace jubilant::fake
