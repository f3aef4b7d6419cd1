// Redaction: what never reaches a cassette, as data (RedactionRules) and as the one detector
// behind redact() and lint() (find_secrets).
//
// Filters are their own module, as in go-vcr and vcrpy: cassette.hpp is the recorded data,
// recorder.hpp the policy, and this header what counts as secret. It needs only a declaration
// of the cassette types, so a header that holds RedactionRules by value (the CassetteTest
// fixture's options) does not pull in the cassette's format, journal and locks.
// cassette.hpp includes this header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jubilant::cassette {

struct Cassette;
struct Interaction;

/// What to redact before anything reaches disk. One detector reads these rules for both
/// redact() and lint(), so a redacted cassette always lints clean.
struct RedactionRules {
    /// Keys (JSON keys, YAML keys, `name=value` names in text) whose values are replaced:
    /// case-insensitive substring match, so "password" also covers "db-password".
    std::vector<std::string> sensitive_keys = {"password", "passwd",  "passphrase",
                                               "token",    "secret",  "credential",
                                               "key",      "private", "oauth"};
    /// Keys never treated as sensitive (case-insensitive, whole key), e.g. "private-address"
    /// or an action result such as "key-name". Their values are still checked for secret
    /// shapes (private keys, bearer tokens, URL credentials, high-entropy tokens).
    std::vector<std::string> keep_keys = {"private-address"};
    /// Literal values to replace wherever they appear.
    std::vector<std::string> literals{};
    /// RE2 regular expressions (https://github.com/google/re2/wiki/Syntax) whose non-empty
    /// matches are replaced. RE2 runs in time linear in the text; an invalid one makes
    /// check_rules(), redact() and lint() throw Error.
    std::vector<std::string> patterns{};
};

/// The marker written in place of a redacted value.
inline constexpr std::string_view redacted_marker = "<redacted>";

/// Throws Error naming the first invalid entry of `rules.patterns` and RE2's reason.
void check_rules(const RedactionRules& rules);

/// How a text is read when looking for secrets.
enum class TextRole {
    /// stdin, stdout, stderr, temp-file content: a JSON document is read as JSON, anything
    /// else as YAML-ish `key: value` lines and free text.
    output,
    /// One argv element: free-text shapes, literals and patterns only (a `key: value` pair
    /// there is not structure, and arguments must still match on replay).
    argument,
};

/// What a secret was recognised by.
enum class SecretKind {
    private_key,      ///< the body of a PEM "PRIVATE KEY" block (also an unterminated one)
    bearer_token,     ///< the token after "Bearer"
    url_credentials,  ///< the password in scheme://user:password@host
    sensitive_value,  ///< a value under a sensitive key (JSON, YAML or `name=value`)
    secret_content,   ///< a value under `content:`/`data:` (revealed secrets, credentials)
    high_entropy,     ///< a long token with upper case, lower case and digits, not hex
    literal,          ///< one of the rules' literals
    pattern,          ///< a match of one of the rules' patterns
};

/// A short description of `kind`, as lint prints it, e.g. "bearer token".
std::string_view describe(SecretKind kind) noexcept;

/// One stretch of a text that redaction replaces.
struct SecretSpan {
    std::size_t offset = 0;  ///< first byte replaced
    std::size_t length = 0;  ///< bytes replaced (never 0)
    std::size_t line = 1;    ///< line of `offset`, from 1
    SecretKind kind = SecretKind::sensitive_value;
    /// The replacement must be quoted: a JSON number under a sensitive key becomes the JSON
    /// string "<redacted>".
    bool quote = false;

    bool operator==(const SecretSpan&) const = default;
};

/// The secrets in `text`, sorted by offset and not overlapping (overlapping detections are
/// merged, the first one's kind kept). redact() replaces these spans; lint() reports them.
/// Linear time and constant stack depth on any input; JSON nested deeper than max_json_depth
/// is read as text, which still finds the shapes and `name: value` pairs.
/// Throws Error for an invalid pattern.
std::vector<SecretSpan> find_secrets(std::string_view text, TextRole role,
                                     const RedactionRules& rules = {});

/// Nesting up to which find_secrets() reads a JSON document as JSON.
inline constexpr std::size_t max_json_depth = 1'000'000;

/// A secret that lint() found in a cassette.
struct LintFinding {
    std::size_t interaction = 0;  ///< from 0, as replay errors count them
    std::string field{};          ///< "args[N]", "stdin", "stdout", "stderr" or "temp file NAME"
    std::size_t line = 1;         ///< line in that field, from 1
    SecretKind kind = SecretKind::sensitive_value;
    /// At most the first 4 characters and a quarter of the value, then its length, e.g.
    /// "MIIE…, 31 chars": enough to find it, never enough to use it.
    std::string preview{};

    bool operator==(const LintFinding&) const = default;
};

/// Everything redact() with `rules` would replace in `cassette`: argv, stdin, stdout, stderr
/// and unredacted temp-file content. A sensitive temp file that still holds content is a
/// finding too. Empty for a cassette redact() wrote with the same rules.
std::vector<LintFinding> lint(const Cassette& cassette, const RedactionRules& rules = {});

/// Returns `interaction` with sensitive temp-file content dropped and every span
/// find_secrets() reports in stdin, stdout, stderr, argv (as TextRole::argument) and
/// non-sensitive temp-file content replaced by redacted_marker, scanning again until nothing
/// is found (a replacement can change a neighbour's context; after 8 passes the whole field is
/// replaced), so the result always lints clean. Bytes outside the spans are kept and JSON stays
/// valid JSON. Deterministic and idempotent. Adds the number of replacements to *count.
/// Throws Error for an invalid pattern.
Interaction redact(const Interaction& interaction, const RedactionRules& rules,
                   std::int64_t* count = nullptr);

}  // namespace jubilant::cassette
