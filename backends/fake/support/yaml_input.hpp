// YAML the user hands the fake (params and content files, config files, cloud and credential
// files, charm metadata and rules) parsed with bounds, so no input can exhaust memory or the
// stack: a size limit before parsing, and a nesting and expanded-value limit after it.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace jubilant::fake {

struct YamlLimits {
    std::size_t max_bytes = 4u << 20;
    /// Deeper documents are refused; yaml-cpp itself gives up at a few hundred levels with
    /// an unhelpful "bad file".
    std::size_t max_depth = 100;
    /// Values (scalars, maps, sequences) counted with every alias expanded, which is what
    /// converting the document to JSON would build: a "billion laughs" stays a few bytes.
    std::size_t max_values = 200'000;
};

/// Parses `text` as one YAML document within `limits`. Every failure, including a limit,
/// is a YAML::ParserException with the position and a message that never echoes the text,
/// so callers report it as they report a syntax error.
YAML::Node load_bounded_yaml(std::string_view text, const YamlLimits& limits = {});

/// How yaml_to_json types a plain scalar.
enum class ScalarTyping {
    /// As juju's Go yaml.v2 (YAML 1.1) types it: yes/on/true, numbers, null; a quoted scalar
    /// stays a string (action params, --params files).
    go_yaml_v2,
    /// Every scalar stays its text (charm metadata, typed later by the declared type).
    text,
};

/// A parsed document as JSON: maps (keys as written), sequences and typed scalars.
nlohmann::json yaml_to_json(const YAML::Node& node, ScalarTyping typing);

}  // namespace jubilant::fake
