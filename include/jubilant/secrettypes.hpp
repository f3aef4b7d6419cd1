// Typed views of `juju secrets --format json` and `juju show-secret --format json`, mirroring
// Jubilant's secrettypes module.
//
// Timestamps are UTC time points with microsecond resolution, like the timezone-aware datetimes
// Jubilant makes of Juju's RFC 3339 text ("2025-06-26T09:43:38Z"); those also compare as instants.
// Microseconds (rather than system_clock's nanoseconds) also cover Go's zero time, year 1.
#pragma once

#include <chrono>
#include <compare>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jubilant {

/// A secret URI such as "secret:9m4e2mr0ui3e8a215n4g".
///
/// Jubilant makes this a str subclass so that it can be told apart from a plain string in config
/// values; here it is a distinct type wrapping the text, which is never validated.
class SecretURI {
public:
    /// The empty URI.
    SecretURI() = default;
    /// Wraps `uri` as is.
    explicit SecretURI(std::string uri) : uri_(std::move(uri)) {}

    /// The URI text.
    const std::string& str() const noexcept { return uri_; }

    /// The secret's globally unique ID (currently a 20-character Xid): the text after the last
    /// '/' of "secret://MODEL-UUID/ID", the text after "secret:" of "secret:ID", and otherwise
    /// the whole URI.
    std::string unique_identifier() const;

    /// Compares the URI text.
    bool operator==(const SecretURI&) const = default;
    /// Orders by URI text.
    std::strong_ordering operator<=>(const SecretURI&) const = default;
    /// Compares the URI text with a plain string, as Python compares a str subclass.
    friend bool operator==(const SecretURI& uri, std::string_view text) noexcept {
        return uri.uri_ == text;
    }

private:
    std::string uri_{};
};

/// Writes the URI text.
std::ostream& operator<<(std::ostream& os, const SecretURI& uri);

/// Time points in secret output: UTC, microsecond resolution (converts implicitly to
/// std::chrono::system_clock::time_point for dates within its range).
using SecretTime = std::chrono::sys_time<std::chrono::microseconds>;

/// Parses an ISO 8601 timestamp the way Jubilant does (Python's datetime.fromisoformat with "Z"
/// meaning UTC): "YYYY-MM-DD", optionally followed by 'T' or ' ' and "HH:MM[:SS[.fraction]]",
/// optionally followed by "Z" or an offset "+HH:MM" (also "+HHMM", "+HH"). No offset means UTC.
/// Digits beyond microseconds are truncated, as Python does. Returns nullopt when `text` is not
/// such a timestamp.
std::optional<SecretTime> parse_iso8601(std::string_view text);

/// `time` as RFC 3339 in UTC, e.g. "2025-06-26T09:43:38Z", with a fraction only when non-zero.
std::string format_iso8601(SecretTime time);

/// Who can access a secret (one entry of show-secret's "access" list).
struct Access {
    std::string target{};  ///< Required: the grantee, e.g. "application-example-charm".
    std::string scope{};   ///< Required: the scope of the grant, e.g. "model-<uuid>".
    std::string role{};    ///< Required: "view" or "manage".

    /// Member-wise comparison.
    bool operator==(const Access&) const = default;
};

/// One revision of a secret (listed with `juju show-secret --revisions`).
struct Revision {
    int revision = 0;                     ///< Required: the revision number.
    std::string backend{};                ///< Backend that stores this revision; "" if not given.
    SecretTime created{};                 ///< Required: when the revision was created.
    SecretTime updated{};                 ///< Required: when the revision was last updated.
    std::optional<SecretTime> expires{};  ///< When the revision expires, if it does.

    /// Member-wise comparison.
    bool operator==(const Revision&) const = default;
};

/// A secret, as listed by `juju secrets` or shown (unrevealed) by `juju show-secret`.
struct Secret {
    /// Required: "secret:" followed by the ID that keys the entry in Juju's output.
    SecretURI uri{};
    int revision = 0;      ///< Required: the latest revision number.
    std::string owner{};   ///< Required: owning application or "<model>" for user secrets.
    SecretTime created{};  ///< Required: when the secret was created.
    SecretTime updated{};  ///< Required: when the secret was last updated.
    /// When the secret expires, as Juju printed it (Jubilant keeps it as text, too).
    std::optional<std::string> expires{};
    std::optional<std::string> rotation{};     ///< Rotation policy, e.g. "daily".
    std::optional<SecretTime> rotates{};       ///< When the secret next rotates.
    std::optional<std::string> name{};         ///< Name of a user secret.
    std::optional<std::string> label{};        ///< Label of a charm secret.
    std::optional<std::string> description{};  ///< Free-text description.
    /// Grants; unset (not empty) when Juju listed none, as in Jubilant.
    std::optional<std::vector<Access>> access{};
    /// Revisions (only with --revisions); unset (not empty) when none were listed.
    std::optional<std::vector<Revision>> revisions{};

    /// Parses `juju show-secret --format json` output: an object with one entry keyed by the
    /// secret ID. Unknown keys are ignored, absent or null optional fields stay unset. Throws
    /// ParseError (naming the JSON path) on invalid JSON, an empty object, a missing required
    /// field, a wrong type, or a malformed timestamp.
    static Secret from_json(std::string_view json);

    /// Parses `juju secrets --format json` output: one entry per secret, returned in the order
    /// Juju printed them. Errors as for from_json(), except that an empty object is fine.
    static std::vector<Secret> list_from_json(std::string_view json);

    /// Member-wise comparison.
    bool operator==(const Secret&) const = default;
};

/// A secret shown with `juju show-secret --reveal`, which includes its content.
struct RevealedSecret : Secret {
    /// Checksum of the content; "" from Juju controllers older than 3.6, which do not send one.
    std::string checksum{};
    /// Required: the secret's keys and values (Juju's "content"."Data").
    std::map<std::string, std::string> content{};

    /// Parses `juju show-secret --reveal --format json` output. Errors as for
    /// Secret::from_json(), and "content"."Data" is required.
    static RevealedSecret from_json(std::string_view json);

    /// Member-wise comparison, the Secret part included.
    bool operator==(const RevealedSecret&) const = default;
};

// Readable rendering in the layout of Jubilant's repr (ClassName(field=value, ...), fields at
// their default left out), except that timestamps are shown as RFC 3339 text and the values of
// RevealedSecret::content are masked: test frameworks print values of failed assertions, and
// secret content does not belong in CI logs.

/// Prints `value` in the layout described above.
std::ostream& operator<<(std::ostream& os, const Access& value);
/// Prints `value` in the layout described above.
std::ostream& operator<<(std::ostream& os, const Revision& value);
/// Prints `value` in the layout described above.
std::ostream& operator<<(std::ostream& os, const Secret& value);
/// Prints `value` in the layout described above, content values masked.
std::ostream& operator<<(std::ostream& os, const RevealedSecret& value);

}  // namespace jubilant

/// Hashes the URI text, so SecretURI can key unordered containers.
template <>
struct std::hash<jubilant::SecretURI> {
    /// Hash of the URI text.
    std::size_t operator()(const jubilant::SecretURI& uri) const noexcept {
        return std::hash<std::string>{}(uri.str());
    }
};
