// Finding and loading backend plugins at run time (Boost.DLL).
//
// A backend spec names a plugin and, optionally, its target:
//   "subprocess"              the real juju CLI
//   "replay:tests/c.json"     plugin "replay", target "tests/c.json"
//   "/opt/x/libfoo.so:arg"    a plugin given by path (contains '/')
// The target reaches the plugin as config key "target".
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <jubilant/backend.hpp>

namespace jubilant {

/// Environment variable holding extra plugin directories (':'-separated), searched first.
inline constexpr const char* plugin_path_env = "JUBILANT_PLUGIN_PATH";
/// Environment variable selecting the backend when Juju is not given one.
inline constexpr const char* backend_env = "JUBILANT_BACKEND";
/// Environment variable holding a JSON object merged into every plugin's config.
inline constexpr const char* backend_config_env = "JUBILANT_BACKEND_CONFIG";

/// A parsed backend spec.
struct BackendSpec {
    std::string plugin;  ///< plugin name, or a path when it contains '/'
    std::string target;  ///< text after the first ':' (empty when absent)

    /// Splits "name[:target]". Throws PluginError on an empty name.
    static BackendSpec parse(std::string_view spec);
};

/// Directories searched for a plugin given by name, in order: $JUBILANT_PLUGIN_PATH entries,
/// then `jubilant/plugins` in the directory of the jubilant library (installed, or in the build
/// tree, which mirrors the install layout). No build-tree path is compiled in.
std::vector<std::filesystem::path> plugin_search_path();

/// File name of the module for plugin `name` ("libjubilant-backend-<name>.so").
std::string plugin_file_name(std::string_view name);

/// How load_backend composes a plugin's config.
struct LoadOptions {
    /// Merge $JUBILANT_BACKEND_CONFIG over the caller's config. It is meant for the backend a
    /// test selects; a plugin loading an inner backend (record wrapping subprocess) turns this
    /// off, so keys meant for the outer plugin don't reach, and get rejected by, the inner one.
    bool merge_environment_config = true;
};

/// Loads a plugin module and creates a backend from it. `config_json` is a JSON object; when
/// the spec has a target it is added as key "target". The module stays loaded for as long as
/// the returned backend lives. Throws PluginError when the plugin cannot be found (listing the
/// directories searched), lacks a symbol, speaks another ABI, or rejects its config.
std::shared_ptr<CliBackend> load_backend(const BackendSpec& spec,
                                         std::string_view config_json = "{}",
                                         LoadOptions options = {});

/// load_backend(BackendSpec::parse(spec), config_json, options).
std::shared_ptr<CliBackend> load_backend(std::string_view spec, std::string_view config_json = "{}",
                                         LoadOptions options = {});

}  // namespace jubilant
