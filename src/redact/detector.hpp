// The secret detector behind cassette::find_secrets, redact() and lint(): one object per set of
// rules, so the rules' RE2 patterns are compiled once for a whole cassette. Not thread-safe
// (it caches key verdicts): each call makes its own.
#pragma once

#include <jubilant/cassette.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace jubilant::cassette::detail {

/// What a key's value is, for the detector.
enum class KeyClass : std::uint8_t {
    plain,
    sensitive,  ///< a sensitive key (not a keep key): its value is a secret
    content,    ///< `content` or `data`, not sensitive: every value below is secret content
};

class Detector {
public:
    /// Throws Error naming an invalid pattern and RE2's reason.
    explicit Detector(const RedactionRules& rules);
    ~Detector();
    Detector(const Detector&) = delete;
    Detector& operator=(const Detector&) = delete;

    /// See cassette::find_secrets.
    std::vector<SecretSpan> scan(std::string_view text, TextRole role) const;

    /// `text` with every span replaced by the marker.
    static std::string apply(std::string_view text, const std::vector<SecretSpan>& spans);

    /// Whether `key` (raw bytes, possibly quoted) names a sensitive value.
    bool sensitive_key(std::string_view key) const;

    /// What `key` (raw bytes, possibly quoted) names; one cached verdict for both questions.
    KeyClass key_class(std::string_view key) const;

private:
    bool sensitive_key_uncached(std::string_view key) const;

    // Keys up to this long are cached, inline (no allocation per key on a miss).
    static constexpr std::size_t cacheable_key = 48;
    struct KeyVerdict {
        std::array<char, cacheable_key> key{};
        std::uint8_t size = 0;  // 0: unused (empty keys are not cached)
        KeyClass verdict = KeyClass::plain;
    };

    std::vector<std::string> sensitive_;                                  // lower case
    std::array<std::vector<const std::string*>, 256> by_first_letter_{};  // into sensitive_
    std::vector<std::string> keep_;                                       // lower case
    std::vector<std::string> literals_;  // each literal, and its JSON-escaped spelling
    std::vector<std::unique_ptr<re2::RE2>> patterns_;
    // Verdicts for recent keys. A Detector lives for one redact() or lint() call, in one
    // thread, so this needs no lock.
    mutable std::array<KeyVerdict, 256> key_cache_{};
};

}  // namespace jubilant::cassette::detail
