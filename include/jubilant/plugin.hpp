// What a backend plugin module exports, and the config helper plugins use.
//
// A plugin is a shared module (backends/<name>/) that exports two C symbols:
//   std::uint32_t jubilant_plugin_abi_version();
//   jubilant::CliBackend* jubilant_plugin_create(const char* config_json);
// JUBILANT_DEFINE_PLUGIN(factory) defines both. The loader checks the ABI version before it
// calls anything else, so a plugin built against another version of this header is refused
// with a clear message instead of crashing.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <jubilant/backend.hpp>

namespace jubilant {

/// Bumped whenever CliBackend, CliRequest, CliResult, TempFile or the factory signature change.
inline constexpr std::uint32_t plugin_abi_version = 1;

/// A plugin's configuration: a flat JSON object of strings, numbers and booleans. Accessors
/// throw PluginError naming the plugin and key when a value has the wrong type.
class PluginConfig {
public:
    /// Parses `json` (an object). Throws PluginError("<plugin>: bad config: ...") otherwise.
    static PluginConfig parse(std::string_view plugin, std::string_view json);

    PluginConfig(PluginConfig&&) noexcept;
    PluginConfig& operator=(PluginConfig&&) noexcept;
    ~PluginConfig();

    std::optional<std::string> string(std::string_view key) const;
    std::optional<std::int64_t> integer(std::string_view key) const;
    std::optional<double> number(std::string_view key) const;
    std::optional<bool> boolean(std::string_view key) const;

    /// Throws PluginError listing any key that is neither in `known` nor one of the keys every
    /// backend receives ("cli_binary", "target").
    void reject_unknown(std::initializer_list<std::string_view> known) const;

    const std::string& plugin() const noexcept;

private:
    struct Impl;
    explicit PluginConfig(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace jubilant

#define JUBILANT_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

/// Defines the two exported symbols of a plugin. `factory` takes `std::string_view config_json`
/// and returns std::unique_ptr<jubilant::CliBackend>; it may throw jubilant::PluginError.
#define JUBILANT_DEFINE_PLUGIN(factory)                                                         \
    JUBILANT_PLUGIN_EXPORT std::uint32_t jubilant_plugin_abi_version() {                        \
        return ::jubilant::plugin_abi_version;                                                  \
    }                                                                                           \
    JUBILANT_PLUGIN_EXPORT ::jubilant::CliBackend* jubilant_plugin_create(const char* config) { \
        return (factory)(std::string_view(config)).release();                                   \
    }
