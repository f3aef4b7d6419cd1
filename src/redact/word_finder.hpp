// Where the words that can make a key sensitive (or `content`/`data`) occur in a text, found in
// one SIMD pass before any structure is read. A key or `name=value` name is only sensitive when
// it holds one of the rules' sensitive words, so text with none of these words gives the JSON
// and line walks nothing to find: the detector skips them there (status JSON, most log lines
// and YAML lines), and the walks' time goes only to the lines and documents that need it.
//
// The filter is Teddy's (Hyperscan): the first four bytes of each word, case folded, set its
// bucket's bit in per-nibble tables; a position whose four bytes' table entries share a
// bucket is a candidate, and only candidates are compared in full.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "redact/classify.hpp"

namespace jubilant::cassette::detail {

class WordFinder {
public:
    /// One word to look for, in lower case.
    struct Word {
        std::string text;
        /// Counts only where neither neighbour is an ASCII letter or digit: `data` as a whole
        /// key, not inside "database".
        bool whole = false;
    };

    /// Finds nothing.
    WordFinder() = default;
    /// Empty words are ignored.
    explicit WordFinder(const std::vector<Word>& words);

    /// Appends to `out`, ascending, each offset of `text` where a word starts (ASCII letters
    /// in either case), once however many words start there. The same for every `isa`: AVX2
    /// looks 32 positions up at a time; SSE2 has no byte shuffle, so it reads as scalar, one
    /// position at a time through the same tables, as does an unavailable one.
    void find(std::string_view text, std::vector<std::size_t>& out,
              ClassifyIsa isa = best_classify_isa()) const;

private:
    static constexpr std::size_t buckets = 8;
    /// The bytes a candidate is judged by: with three, "dat" (update-status) and "con"
    /// (connecting) let about one position per log line through to confirm().
    static constexpr std::size_t fingerprint = 4;

    /// The buckets whose words' fingerprints allow text[at, at + fingerprint) (bytes past the
    /// end read as NUL).
    unsigned buckets_at(std::string_view text, std::size_t at) const noexcept;
    /// Appends `at` to `out` when a word of `bucket_bits`'s buckets starts there.
    void confirm(std::string_view text, std::size_t at, unsigned bucket_bits,
                 std::vector<std::size_t>& out) const;

    /// find() for the positions whose fingerprint lies in the text, 32 at a time; returns the
    /// first position it left to the scalar loop. Defined on x86 only.
    std::size_t find_avx2(std::string_view text, std::vector<std::size_t>& out) const;

    std::vector<Word> words_;
    std::array<std::vector<std::size_t>, buckets> bucket_words_{};  // indices into words_
    // For byte j of the fingerprint, bit b of low_[j][n] and of high_[j][n] is set when a word
    // of bucket b may have, at j, a byte (case folded: | 0x20) whose low / high nibble is n.
    std::array<std::array<std::uint8_t, 16>, fingerprint> low_{};
    std::array<std::array<std::uint8_t, 16>, fingerprint> high_{};
};

}  // namespace jubilant::cassette::detail
