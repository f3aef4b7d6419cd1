#include "support/yaml_input.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>
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
    mark.column = static_cast<int>(
        last_newline == std::string_view::npos ? offset : offset - last_newline - 1);
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

namespace {

// A plain YAML scalar typed as Go's yaml.v2 (YAML 1.1) types it; quoted scalars stay strings.
nlohmann::json go_yaml_v2_scalar(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    if (node.Tag() == "!") return text;
    static const std::set<std::string, std::less<>> truthy = {
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
    static const std::set<std::string, std::less<>> falsy = {
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
    if (truthy.contains(text)) return true;
    if (falsy.contains(text)) return false;
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
        return nullptr;
    }
    const bool numeric_start =
        std::isdigit(static_cast<unsigned char>(text[0])) ||
        ((text[0] == '-' || text[0] == '+' || text[0] == '.') && text.size() > 1);
    if (numeric_start) {
        try {
            std::size_t used = 0;
            const long long n = std::stoll(text, &used, 0);
            if (used == text.size()) return n;
        } catch (const std::logic_error&) {}
        try {
            std::size_t used = 0;
            const double d = std::stod(text, &used);
            if (used == text.size()) return d;
        } catch (const std::logic_error&) {}
    }
    return text;
}

}  // namespace

nlohmann::json yaml_to_json(const YAML::Node& node, ScalarTyping typing) {
    if (node.IsMap()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& item : node) out[item.first.Scalar()] = yaml_to_json(item.second, typing);
        return out;
    }
    if (node.IsSequence()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : node) out.push_back(yaml_to_json(item, typing));
        return out;
    }
    if (!node.IsDefined() || node.IsNull()) return nullptr;
    return typing == ScalarTyping::go_yaml_v2 ? go_yaml_v2_scalar(node)
                                              : nlohmann::json(node.Scalar());
}

}  // namespace jubilant::fake
