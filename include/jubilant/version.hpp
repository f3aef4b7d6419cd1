// jubilant::Version: the Juju CLI version, mirroring Jubilant's _version module.
#pragma once

#include <compare>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace jubilant {

/// A parsed Juju version, normally written `major.minor.patch-release-arch`.
///
/// Juju (and so Jubilant) accepts four shapes:
///
///     3.6.11-genericlinux-amd64       major.minor.patch
///     3.4.5.6-ubuntu-arm64            major.minor.patch.build
///     4.0-beta6-genericlinux-amd64    major.minor-<tag><patch>
///     4.0-alpha7.8-ubuntu-amd64       major.minor-<tag><patch>.build
///
/// Ordering (operator<=>) follows Juju's own version comparison: major, minor, then a tagged
/// pre-release before the release of the same major.minor (tags compared alphabetically), then
/// patch and build (no build counts as 0). release, arch and git_commit take no part in
/// ordering, so `a <=> b` can be equivalent while `a == b` is false; == compares every field,
/// as Jubilant's dataclass equality does.
struct Version {
    int major = 0;          ///< Major version, e.g. 3.
    int minor = 0;          ///< Minor version, e.g. 6.
    int patch = 0;          ///< Patch number (the number after the tag for a pre-release).
    std::string release{};  ///< Release name, e.g. "genericlinux" or "ubuntu".
    std::string arch{};     ///< Architecture, e.g. "amd64".

    std::optional<std::string> tag{};  ///< Pre-release tag such as "beta" (lowercase letters).
    std::optional<int> build{};        ///< Build number, when the version has one.

    /// Git commit of the build, from `juju version --all`.
    std::optional<std::string> git_commit{};

    /// Parses a version string in one of the four shapes above. Throws ParseError
    /// ("invalid version '...'") for anything else, including numbers too large for int.
    static Version parse(std::string_view text);

    /// Parses `juju version --format json --all` output: an object whose "version" member is
    /// parsed as above and whose optional "git-commit" member is kept. Also accepts the bare JSON
    /// string printed without --all. Throws ParseError on invalid JSON, a missing "version", a
    /// wrong type or an invalid version string.
    static Version from_json(std::string_view json);

    /// (major, minor, patch), Jubilant's `Version.tuple`; compare it with a tuple literal for
    /// Jubilant-style checks such as `v.tuple() >= std::tuple{3, 6, 11}`.
    std::tuple<int, int, int> tuple() const noexcept { return {major, minor, patch}; }

    /// Every field equal.
    bool operator==(const Version&) const = default;
    /// Juju's version ordering, described above.
    std::weak_ordering operator<=>(const Version& other) const noexcept;
};

/// The version as Juju writes it, e.g. "3.6.11-genericlinux-amd64" (git_commit not included).
/// For any string that Version::parse() accepts, to_string(parse(s)) == s, except that leading
/// zeros in numbers are dropped.
std::string to_string(const Version& version);

/// Writes to_string(version).
std::ostream& operator<<(std::ostream& os, const Version& version);

}  // namespace jubilant
