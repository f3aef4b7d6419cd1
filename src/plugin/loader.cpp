#include <jubilant/plugin_loader.hpp>

#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include <dlfcn.h>

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <jubilant/errors.hpp>
#include <jubilant/plugin.hpp>

#include "message_text.hpp"

namespace jubilant {
namespace {

namespace fs = std::filesystem;

using AbiVersionFn = std::uint32_t();
using CreateFn = CliBackend*(const char*);

// Longest file name Linux allows (NAME_MAX).
constexpr std::size_t max_file_name = 255;

fs::path find_plugin(const std::string& name) {
    const auto file = plugin_file_name(name);
    if (file.size() > max_file_name) {
        // No such file can exist; saying so beats echoing the name once per directory.
        throw PluginError(
            fmt::format("backend plugin name '{}' is too long: {} is over the {} "
                        "bytes a file name may have",
                        cut_for_message(name), cut_for_message(file), max_file_name));
    }
    const auto dirs = plugin_search_path();
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (fs::is_regular_file(dir / file, ec)) return dir / file;
    }
    std::string looked;
    for (const auto& dir : dirs) {
        looked += fmt::format("\n  {}", cut_for_message((dir / file).string()));
    }
    if (dirs.empty()) looked = "\n  (no directories to search)";
    throw PluginError(fmt::format(
        "backend plugin '{}' not found; looked for:{}\nSet {} to a directory containing {}, "
        "or give the plugin's path.",
        name, looked, plugin_path_env, file));
}

// The merged config: the caller's object, then (unless turned off) $JUBILANT_BACKEND_CONFIG
// over it, then the spec's target, which names this particular run most precisely.
std::string merged_config(const BackendSpec& spec, std::string_view config_json,
                          bool merge_environment) {
    const auto parse_object = [&](std::string_view text, std::string_view origin) {
        nlohmann::json value;
        try {
            value = nlohmann::json::parse(text.empty() ? std::string_view("{}") : text);
        } catch (const nlohmann::json::parse_error& e) {
            throw PluginError(fmt::format("{}: bad config from {}: not valid JSON (at byte {})",
                                          cut_for_message(spec.plugin), origin, e.byte));
        }
        if (!value.is_object()) {
            throw PluginError(fmt::format("{}: bad config from {}: expected a JSON object, got {}",
                                          cut_for_message(spec.plugin), origin, value.type_name()));
        }
        return value;
    };
    auto config = parse_object(config_json, "the caller");
    const char* env = merge_environment ? std::getenv(backend_config_env) : nullptr;
    if (env && *env) {
        config.update(parse_object(env, backend_config_env));
    }
    if (!spec.target.empty()) config["target"] = spec.target;
    return config.dump();
}

}  // namespace

BackendSpec BackendSpec::parse(std::string_view spec) {
    const auto colon = spec.find(':');
    BackendSpec parsed;
    parsed.plugin = std::string(spec.substr(0, colon));
    if (colon != std::string_view::npos) parsed.target = std::string(spec.substr(colon + 1));
    if (parsed.plugin.empty()) {
        throw PluginError(fmt::format(
            "backend spec '{}' has no plugin name; expected 'name' or 'name:target', e.g. "
            "'subprocess' or 'replay:cassette.json'",
            cut_for_message(spec)));
    }
    return parsed;
}

std::string plugin_file_name(std::string_view name) {
    return fmt::format("libjubilant-backend-{}.so", name);
}

std::vector<fs::path> plugin_search_path() {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv(plugin_path_env); env && *env) {
        std::stringstream entries(env);
        std::string entry;
        while (std::getline(entries, entry, ':')) {
            if (!entry.empty()) dirs.emplace_back(entry);
        }
    }
    // Plugins live in <libdir>/jubilant/plugins beside this library, installed or in the build
    // tree (which mirrors that layout). Nothing else is searched: a compiled-in path would
    // follow the library into an install and outlive the directory it named.
    boost::dll::fs::error_code ec;
    const auto self = boost::dll::this_line_location(ec);
    if (!ec) dirs.push_back(fs::path(self.parent_path().string()) / "jubilant" / "plugins");
    return dirs;
}

namespace {

// Boost.DLL reports every dlopen() failure as the same error code, which hides dlerror()'s
// reason ("invalid ELF header", "undefined symbol: ...", "wrong ELF class"). Asking the dynamic
// loader again is the only way to get it back.
std::string dlopen_failure_reason(const fs::path& path, const boost::dll::fs::error_code& ec) {
    ::dlerror();  // clear any earlier message
    if (void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
        ::dlclose(handle);  // loads now (a race with a file being replaced): keep Boost's reason
        return ec.message();
    }
    const char* raw = ::dlerror();
    if (raw == nullptr) return ec.message();
    std::string_view reason(raw);
    // dlerror() starts with the path, which the caller's message already names.
    const std::string prefix = path.string() + ": ";
    if (reason.substr(0, prefix.size()) == prefix) reason.remove_prefix(prefix.size());
    if (reason.find("ELF") != std::string_view::npos || reason == "file too short") {
        return fmt::format("not a shared library ({})", reason);
    }
    return std::string(reason);
}

}  // namespace

std::shared_ptr<CliBackend> load_backend(const BackendSpec& spec, std::string_view config_json,
                                         LoadOptions options) {
    const bool is_path = spec.plugin.find('/') != std::string::npos;
    const fs::path path = is_path ? fs::path(spec.plugin) : find_plugin(spec.plugin);
    const std::string shown = cut_for_message(path.string());  // for messages
    if (is_path && !fs::exists(path)) {
        throw PluginError(fmt::format("backend plugin file '{}' does not exist", shown));
    }

    auto library = std::make_shared<boost::dll::shared_library>();
    boost::dll::fs::error_code ec;
    library->load(path.string(), boost::dll::load_mode::rtld_now, ec);
    if (ec) {
        throw PluginError(fmt::format("cannot load backend plugin '{}': {}", shown,
                                      cut_for_message(dlopen_failure_reason(path, ec))));
    }
    for (const char* symbol : {"jubilant_plugin_abi_version", "jubilant_plugin_create"}) {
        if (!library->has(symbol)) {
            throw PluginError(fmt::format(
                "'{}' is not a jubilant backend plugin: it does not export {}() (define it with "
                "JUBILANT_DEFINE_PLUGIN)",
                shown, symbol));
        }
    }
    const auto abi = library->get<AbiVersionFn>("jubilant_plugin_abi_version")();
    if (abi != plugin_abi_version) {
        throw PluginError(fmt::format(
            "backend plugin '{}' was built for plugin ABI {}, but this jubilant library speaks "
            "ABI {}; rebuild the plugin against this version",
            shown, abi, plugin_abi_version));
    }
    const auto config = merged_config(spec, config_json, options.merge_environment_config);
    CliBackend* raw = nullptr;
    // Rethrow as an exception built here: the one in flight may have been made by code in the
    // module, which is unloaded when `library` goes out of scope during unwinding.
    try {
        raw = library->get<CreateFn>("jubilant_plugin_create")(config.c_str());
    } catch (const PluginError& e) {
        throw PluginError(e.what());
    } catch (const std::exception& e) {
        throw PluginError(fmt::format("backend plugin '{}' failed to start: {}", shown, e.what()));
    }
    if (raw == nullptr) {
        throw PluginError(fmt::format("backend plugin '{}' returned no backend", shown));
    }
    // The deleter owns the library, so the module is unloaded only after the backend's
    // destructor (whose code lives in the module) has run.
    return std::shared_ptr<CliBackend>(raw, [library](CliBackend* backend) { delete backend; });
}

std::shared_ptr<CliBackend> load_backend(std::string_view spec, std::string_view config_json,
                                         LoadOptions options) {
    return load_backend(BackendSpec::parse(spec), config_json, options);
}

}  // namespace jubilant
