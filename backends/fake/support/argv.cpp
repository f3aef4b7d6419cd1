#include "support/argv.hpp"

#include <algorithm>

#include "errors.hpp"

namespace jubilant::fake {
namespace {

const FlagSpec* find_flag(const ArgSpec& spec, std::string_view name) {
    for (const FlagSpec& flag : spec.flags) {
        if (std::find(flag.names.begin(), flag.names.end(), name) != flag.names.end()) {
            return &flag;
        }
    }
    return nullptr;
}

std::string canonical(const FlagSpec& flag) {
    for (std::string_view name : flag.names) {
        if (name.starts_with("--")) return std::string(name.substr(2));
    }
    return std::string(flag.names.front().substr(1));
}

bool looks_like_flag(std::string_view arg) {
    if (arg.size() < 2 || arg[0] != '-') return false;
    // Negative numbers are values, not flags.
    return !(arg[1] >= '0' && arg[1] <= '9');
}

}  // namespace

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
    const auto it = values_.find(name);
    if (it == values_.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> ParsedArgs::values(std::string_view name) const {
    const auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

bool ParsedArgs::flag(std::string_view name) const { return flags_.contains(name); }

ParsedArgs parse_args(std::string_view command, std::span<const std::string> args,
                      const ArgSpec& spec) {
    ParsedArgs parsed;
    // stop_after_positionals 0: everything is a positional (commands the fake only names).
    bool flags_done = spec.stop_after_positionals == std::size_t{0};
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (flags_done || !looks_like_flag(arg)) {
            parsed.positionals_.push_back(arg);
            if (spec.stop_after_positionals &&
                parsed.positionals_.size() >= *spec.stop_after_positionals) {
                flags_done = true;
            }
            continue;
        }
        if (arg == "--") {
            flags_done = true;
            continue;
        }
        const auto equals = arg.find('=');
        const std::string_view name = std::string_view(arg).substr(0, equals);
        const FlagSpec* flag = find_flag(spec, name);
        if (!flag) {
            throw UsageError(command, "option provided but not defined: " + std::string(name));
        }
        const std::string key = canonical(*flag);
        if (!flag->takes_value) {
            if (equals != std::string::npos) {
                const std::string_view text = std::string_view(arg).substr(equals + 1);
                if (text == "false") {
                    parsed.flags_.erase(key);
                    continue;
                }
                if (text != "true") {
                    throw UsageError(command, "invalid boolean value \"" + std::string(text) +
                                                  "\" for flag " + std::string(name));
                }
            }
            parsed.flags_.insert(key);
            continue;
        }
        if (equals != std::string::npos) {
            parsed.values_[key].push_back(arg.substr(equals + 1));
        } else if (i + 1 < args.size()) {
            parsed.values_[key].push_back(args[++i]);
        } else {
            throw UsageError(command, "option needs an argument: " + std::string(name));
        }
    }
    return parsed;
}

}  // namespace jubilant::fake
