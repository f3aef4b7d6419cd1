// The detector's word prefilter (word_finder.hpp). tests/redact/word_finder_test.cpp holds both
// versions to a plain search for every word at every position.
#include "word_finder.hpp"

#include "redact/ascii_case.hpp"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define JUBILANT_WORD_FINDER_X86 1
#endif

namespace jubilant::cassette::detail {

namespace {

constexpr std::uint8_t case_bit = 0x20;

bool alphanumeric(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

WordFinder::WordFinder(const std::vector<Word>& words) {
    for (const auto& word : words) {
        if (!word.text.empty()) words_.push_back(word);
    }
    // Words sharing their first bytes share a bucket ("pass" for password, passwd and
    // passphrase); beyond 8 such prefixes, neighbours in sorted order share one, which only
    // lets more candidates through to confirm().
    const auto prefix = [](const Word& word) {
        std::string out = word.text.substr(0, fingerprint);
        for (auto& c : out) c = static_cast<char>(c | case_bit);
        return out;
    };
    std::vector<std::string> prefixes;
    for (const auto& word : words_) prefixes.push_back(prefix(word));
    std::sort(prefixes.begin(), prefixes.end());
    prefixes.erase(std::unique(prefixes.begin(), prefixes.end()), prefixes.end());
    for (std::size_t w = 0; w < words_.size(); ++w) {
        const auto rank = static_cast<std::size_t>(
            std::lower_bound(prefixes.begin(), prefixes.end(), prefix(words_[w])) -
            prefixes.begin());
        const std::size_t bucket = rank * buckets / prefixes.size();
        bucket_words_[bucket].push_back(w);
        const auto bit = static_cast<std::uint8_t>(1U << bucket);
        const auto& text = words_[w].text;
        for (std::size_t j = 0; j < fingerprint; ++j) {
            if (j >= text.size()) {  // a short word: any byte there
                for (auto& entry : low_[j]) entry |= bit;
                for (auto& entry : high_[j]) entry |= bit;
                continue;
            }
            const auto folded = static_cast<std::uint8_t>(text[j] | case_bit);
            low_[j][folded & 15U] |= bit;
            high_[j][folded >> 4U] |= bit;
        }
    }
}

void WordFinder::confirm(std::string_view text, std::size_t at, unsigned bucket_bits,
                         std::vector<std::size_t>& out) const {
    for (; bucket_bits != 0; bucket_bits &= bucket_bits - 1) {
        for (const std::size_t w :
             bucket_words_[static_cast<std::size_t>(__builtin_ctz(bucket_bits))]) {
            const Word& word = words_[w];
            if (word.text.size() > text.size() - at ||
                !equals_ascii_lower(text.substr(at, word.text.size()), word.text)) {
                continue;
            }
            const std::size_t end = at + word.text.size();
            if (word.whole && ((at > 0 && alphanumeric(text[at - 1])) ||
                               (end < text.size() && alphanumeric(text[end])))) {
                continue;
            }
            out.push_back(at);
            return;
        }
    }
}

namespace {

#if JUBILANT_WORD_FINDER_X86

#define JUBILANT_AVX2 __attribute__((target("avx2"), always_inline)) inline

JUBILANT_AVX2 __m256i table_32(const std::array<std::uint8_t, 16>& table) noexcept {
    const __m128i half = _mm_loadu_si128(reinterpret_cast<const __m128i*>(table.data()));
    return _mm256_broadcastsi128_si256(half);
}

/// The buckets byte j of the fingerprint allows, for the 32 bytes at p (folded, then looked up
/// by each nibble).
JUBILANT_AVX2 __m256i buckets_32(const unsigned char* p, __m256i low, __m256i high) noexcept {
    const __m256i nibble = _mm256_set1_epi8(0x0f);
    const __m256i c = _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
                                      _mm256_set1_epi8(static_cast<char>(case_bit)));
    return _mm256_and_si256(
        _mm256_shuffle_epi8(low, _mm256_and_si256(c, nibble)),
        _mm256_shuffle_epi8(high, _mm256_and_si256(_mm256_srli_epi16(c, 4), nibble)));
}

#undef JUBILANT_AVX2

#endif

}  // namespace

unsigned WordFinder::buckets_at(std::string_view text, std::size_t at) const noexcept {
    unsigned bits = 0xff;
    for (std::size_t j = 0; j < fingerprint; ++j) {
        const auto byte = at + j < text.size() ? static_cast<unsigned char>(text[at + j]) : 0U;
        const auto c = static_cast<std::uint8_t>(byte | case_bit);
        bits &= static_cast<unsigned>(low_[j][c & 15U] & high_[j][c >> 4U]);
    }
    return bits;
}

#if JUBILANT_WORD_FINDER_X86
__attribute__((target("avx2"))) std::size_t WordFinder::find_avx2(
    std::string_view text, std::vector<std::size_t>& out) const {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    // C arrays: a std::array of __m256i would drop the type's alignment attribute.
    // NOLINTNEXTLINE(*-avoid-c-arrays)
    __m256i low[fingerprint];
    // NOLINTNEXTLINE(*-avoid-c-arrays)
    __m256i high[fingerprint];
    for (std::size_t j = 0; j < fingerprint; ++j) {
        low[j] = table_32(low_[j]);
        high[j] = table_32(high_[j]);
    }
    std::size_t i = 0;
    // 32 positions while their fingerprints' bytes are in the text; the scalar loop takes the
    // rest.
    for (; i + 32 + fingerprint - 1 <= text.size(); i += 32) {
        __m256i shared = buckets_32(p + i, low[0], high[0]);
        for (std::size_t j = 1; j < fingerprint; ++j) {
            shared = _mm256_and_si256(shared, buckets_32(p + i + j, low[j], high[j]));
        }
        auto candidates = ~static_cast<std::uint32_t>(
            _mm256_movemask_epi8(_mm256_cmpeq_epi8(shared, _mm256_setzero_si256())));
        for (; candidates != 0; candidates &= candidates - 1) {
            const std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(candidates));
            confirm(text, at, buckets_at(text, at), out);
        }
    }
    return i;
}
#endif

void WordFinder::find(std::string_view text, std::vector<std::size_t>& out, ClassifyIsa isa) const {
    if (words_.empty()) return;
    std::size_t i = 0;
#if JUBILANT_WORD_FINDER_X86
    if (isa == ClassifyIsa::avx2 && classify_isa_available(isa)) i = find_avx2(text, out);
#endif
    for (; i < text.size(); ++i) {
        if (const unsigned bits = buckets_at(text, i)) confirm(text, i, bits, out);
    }
}

}  // namespace jubilant::cassette::detail
