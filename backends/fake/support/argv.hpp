// Flag parsing with juju's (gnuflag) conventions: --flag value, --flag=value, short aliases,
// boolean flags, positionals interspersed with flags, and "--" ending the flags.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace jubilant::fake {

/// One flag a command accepts. `names` are its spellings with dashes ("-n", "--num-units");
/// the first long one is canonical.
struct FlagSpec {
    std::vector<std::string_view> names{};
    bool takes_value = true;
    /// The first juju major version without this flag (status --watch, refresh
    /// --force-series in 4.0): from it on the flag is "provided but not defined". 0: in all.
    int removed_in_major = 0;
};

/// A flag that takes a value (`--num-units 3`), as the command tables spell it.
inline FlagSpec value(std::initializer_list<std::string_view> names) {
    return {.names = names, .takes_value = true};
}
/// A flag that takes none (`--force`).
inline FlagSpec boolean(std::initializer_list<std::string_view> names) {
    return {.names = names, .takes_value = false};
}

/// What a command accepts on its command line.
struct ArgSpec {
    std::vector<FlagSpec> flags{};
    /// ssh and exec pass everything after the target through untouched (0: everything).
    std::optional<std::size_t> stop_after_positionals{};
};

/// The parsed command line: positionals in order and flags by canonical name.
class ParsedArgs {
public:
    const std::vector<std::string>& positionals() const noexcept { return positionals_; }
    /// The last value given for a value flag.
    std::optional<std::string> value(std::string_view name) const;
    /// Every value given for a repeatable value flag, in order.
    std::vector<std::string> values(std::string_view name) const;
    bool flag(std::string_view name) const;

private:
    friend ParsedArgs parse_args(std::string_view command, std::span<const std::string> args,
                                 const ArgSpec& spec);
    std::vector<std::string> positionals_;
    std::map<std::string, std::vector<std::string>, std::less<>> values_;
    std::set<std::string, std::less<>> flags_;
};

/// Parses `args` (after the command name). Throws UsageError for an unknown flag or a flag
/// without its value, with juju's wording.
ParsedArgs parse_args(std::string_view command, std::span<const std::string> args,
                      const ArgSpec& spec);

}  // namespace jubilant::fake
