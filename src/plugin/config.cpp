#include <jubilant/plugin.hpp>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <jubilant/errors.hpp>

#include "message_text.hpp"

namespace jubilant {

struct PluginConfig::Impl {
    std::string plugin;
    nlohmann::json object;
};

namespace {

[[noreturn]] void bad_value(const std::string& plugin, std::string_view key,
                            std::string_view expected, const nlohmann::json& value) {
    throw PluginError(fmt::format("{}: bad config: key \"{}\" must be {}, got {}", plugin,
                                  cut_for_message(key), expected, value.type_name()));
}

}  // namespace

PluginConfig PluginConfig::parse(std::string_view plugin, std::string_view json) {
    auto impl = std::make_unique<Impl>();
    impl->plugin = std::string(plugin);
    try {
        impl->object = nlohmann::json::parse(json.empty() ? std::string_view("{}") : json);
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte locates the problem without echoing the (possibly sensitive) config text.
        throw PluginError(
            fmt::format("{}: bad config: not valid JSON (at byte {})", plugin, e.byte));
    }
    if (!impl->object.is_object()) {
        throw PluginError(fmt::format("{}: bad config: expected a JSON object, got {}", plugin,
                                      impl->object.type_name()));
    }
    return PluginConfig(std::move(impl));
}

PluginConfig::PluginConfig(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PluginConfig::PluginConfig(PluginConfig&&) noexcept = default;
PluginConfig& PluginConfig::operator=(PluginConfig&&) noexcept = default;
PluginConfig::~PluginConfig() = default;

const std::string& PluginConfig::plugin() const noexcept { return impl_->plugin; }

std::optional<std::string> PluginConfig::string(std::string_view key) const {
    const auto it = impl_->object.find(key);
    if (it == impl_->object.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) bad_value(impl_->plugin, key, "a string", *it);
    return it->get<std::string>();
}

std::optional<std::int64_t> PluginConfig::integer(std::string_view key) const {
    const auto it = impl_->object.find(key);
    if (it == impl_->object.end() || it->is_null()) return std::nullopt;
    if (it->is_number_integer()) return it->get<std::int64_t>();
    if (it->is_number_float()) {
        const double d = it->get<double>();
        if (std::trunc(d) == d) return static_cast<std::int64_t>(d);
    }
    bad_value(impl_->plugin, key, "an integer", *it);
}

std::optional<double> PluginConfig::number(std::string_view key) const {
    const auto it = impl_->object.find(key);
    if (it == impl_->object.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) bad_value(impl_->plugin, key, "a number", *it);
    return it->get<double>();
}

std::optional<bool> PluginConfig::boolean(std::string_view key) const {
    const auto it = impl_->object.find(key);
    if (it == impl_->object.end() || it->is_null()) return std::nullopt;
    if (!it->is_boolean()) bad_value(impl_->plugin, key, "true or false", *it);
    return it->get<bool>();
}

void PluginConfig::reject_unknown(std::initializer_list<std::string_view> known) const {
    static constexpr std::string_view common[] = {"cli_binary", "target"};
    std::vector<std::string> unknown;
    for (const auto& item : impl_->object.items()) {
        const auto& key = item.key();
        const bool ok = std::find(known.begin(), known.end(), key) != known.end() ||
                        std::find(std::begin(common), std::end(common), key) != std::end(common);
        if (!ok) unknown.push_back(key);
    }
    if (unknown.empty()) return;
    std::vector<std::string_view> accepted(known);
    accepted.insert(accepted.end(), std::begin(common), std::end(common));
    throw PluginError(fmt::format("{}: bad config: unknown key{} {} (accepted: {})", impl_->plugin,
                                  unknown.size() > 1 ? "s" : "",
                                  cut_for_message(fmt::format("{}", fmt::join(unknown, ", "))),
                                  fmt::join(accepted, ", ")));
}

}  // namespace jubilant
