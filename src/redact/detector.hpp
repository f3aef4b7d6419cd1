// The secret detector behind cassette::find_secrets, redact() and lint(): one object per set of
// rules, so the rules' RE2 patterns are compiled once for a whole cassette. Not thread-safe
// (it caches key verdicts): each call makes its own.
#pragma once

#include <jubilant/cassette.hpp>

#include "redact/classify.hpp"
#include "redact/word_finder.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
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

/// The YAML region scan_lines() is in at the start of a line: lines indented deeper than
/// `region_indent` (none when -1) are all secret.
struct LineState {
    std::ptrdiff_t region_indent = -1;
    bool region_item = false;  ///< the region's key was itself a list item
    SecretKind region_kind = SecretKind::sensitive_value;

    /// Same state; the other fields only count inside a region.
    bool operator==(const LineState& other) const {
        return region_indent == other.region_indent &&
               (region_indent < 0 ||
                (region_item == other.region_item && region_kind == other.region_kind));
    }
};

/// What Detector::scan() saw that Detector::clean_after() needs.
struct ScanNotes {
    /// Read as lines (the first non-blank byte is not '{' or '[').
    bool read_as_lines = false;
    /// [from, to) for each "-----BEGIN " scan_pem() acted on: the bytes that decided what it
    /// did there (the header, and up to the footer, quote or end that closed the block).
    std::vector<std::pair<std::size_t, std::size_t>> pem_regions;
    /// (line start, state there) at each line whose starting state differs from the line
    /// before's; ascending.
    std::vector<std::pair<std::size_t, LineState>> states;
};

class Detector {
public:
    /// Throws Error naming an invalid pattern and RE2's reason.
    explicit Detector(const RedactionRules& rules);
    ~Detector();
    Detector(const Detector&) = delete;
    Detector& operator=(const Detector&) = delete;

    /// See cassette::find_secrets. `notes`, when given, receives what clean_after() needs.
    std::vector<SecretSpan> scan(std::string_view text, TextRole role,
                                 ScanNotes* notes = nullptr) const;

    /// True only when apply(text, spans) certainly scans clean (no spans) as `text` did in the
    /// scan that found `spans` and filled `notes`, judged from the changed lines alone (the
    /// argument is in detector.cpp); false when a full re-scan must decide.
    bool clean_after(std::string_view text, const std::vector<SecretSpan>& spans,
                     const ScanNotes& notes) const;

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
    /// A key as two words that, with its size, tell it from any other key up to 16 bytes long
    /// (its first and last 8 bytes, or 4 and 4, or its 1 to 3 bytes); longer keys also
    /// compare `key`.
    struct KeyWords {
        std::uint64_t head = 0;
        std::uint64_t tail = 0;
    };
    struct KeyVerdict {
        KeyWords words;
        std::uint8_t size = 0;  // 0: unused (empty keys are not cached)
        KeyClass verdict = KeyClass::plain;
        std::array<char, cacheable_key> key{};  // the raw key, compared when over 16 bytes
    };
    KeyClass key_class_missed(std::string_view key, KeyVerdict* slot) const;

    std::vector<std::string> sensitive_;                                  // lower case
    std::array<std::vector<const std::string*>, 256> by_first_letter_{};  // into sensitive_
    // Per lower-case first letter, bit (second byte & 63) of every word starting with it.
    std::array<std::uint64_t, 256> second_letters_{};
    std::vector<std::string> keep_;      // lower case
    std::vector<std::string> literals_;  // each literal, and its JSON-escaped spelling
    std::vector<std::unique_ptr<re2::RE2>> patterns_;
    // Verdicts for recent keys, by their raw bytes (quotes and all). A Detector lives for one
    // redact() or lint() call, in one thread, so this needs no lock.
    mutable std::array<std::array<KeyVerdict, 2>, 256> key_cache_{};
    // The sensitive words, anywhere, and `content` and `data` as whole words: a text without
    // any holds no key or name the walks act on.
    WordFinder key_words_;
    mutable std::vector<std::size_t> key_word_starts_;  // in the text being scanned
    // The byte classes of the text being scanned, kept from call to call (one allocation for a
    // whole cassette rather than one per field).
    mutable std::vector<BlockMasks> masks_;
};

}  // namespace jubilant::cassette::detail
