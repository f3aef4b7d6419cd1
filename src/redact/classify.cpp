// The detector's byte classification (classify.hpp). The three versions compute the same
// masks; tests/redact/classify_test.cpp holds them to that on every byte value at every
// position of a block, and at the text's end.
#include "classify.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define JUBILANT_CLASSIFY_X86 1
#endif

namespace jubilant::cassette::detail {

namespace {

// The farthest byte a block looks at past its own 64: the last byte of a "-----BEGIN " trigger.
constexpr std::size_t lookahead = 10;
// The zero-padded copy of a text's last one or two blocks, with their lookahead.
constexpr std::size_t padded_size = std::size_t{2} * 64 + lookahead;

/// Whether text[i] follows an odd run of backslashes (however far back the run goes).
bool escaped_at(std::string_view text, std::size_t i) noexcept {
    std::size_t run = 0;
    while (i > run && text[i - run - 1] == '\\') ++run;
    return run % 2 == 1;
}

/// The reference: byte by byte, block `b` of `text` (bytes past the end read as NUL).
BlockMasks classify_block_scalar(std::string_view text, std::size_t b, bool json) noexcept {
    const std::size_t base = 64 * b;
    const auto at = [&](std::size_t i) -> unsigned {
        return i < text.size() ? static_cast<unsigned char>(text[i]) : 0U;
    };
    BlockMasks m;
    for (std::size_t k = 0; k < 64 && base + k < text.size(); ++k) {
        const std::size_t i = base + k;
        const unsigned c = at(i);
        const std::uint64_t bit = std::uint64_t{1} << k;
        if (token_bytes[c]) m.token |= bit;
        if ((c == '-' && at(i + 10) == ' ') || (c == ':' && at(i + 2) == '/') ||
            ((c | 0x20U) == 'b' && (at(i + 5) | 0x20U) == 'r')) {
            m.trigger |= bit;
        }
        if (!json) {
            if (c == '=' || c == ':') m.separator |= bit;
            continue;
        }
        if (c == '"' && !escaped_at(text, i)) m.quote |= bit;
        if (c == '\\') m.backslash |= bit;
        if (c == '=' ||
            (c == ':' && ((i > 0 && at(i - 1) == '"') || at(i + 1) == ' ' || at(i + 1) == '\t'))) {
            m.separator |= bit;
        }
    }
    return m;
}

#if JUBILANT_CLASSIFY_X86

/// What the SIMD passes carry from one block to the next.
struct Carry {
    std::uint64_t quote = 0;      // the last byte was '"'
    std::uint64_t backslash = 0;  // the last byte was '\\'
};

/// Completes a block whose SIMD pass set the raw '"' bits in `quote`, `backslash`, and in
/// `separator` only the '=' and the colons followed by a blank: `colon` holds every ':'.
/// Escaped quotes are rare (a quote right after a backslash), so those few are counted back
/// in the text rather than found by mask arithmetic.
inline void finish_block(BlockMasks& m, std::uint64_t colon, Carry& carry, std::string_view text,
                         std::size_t base) noexcept {
    m.separator |= colon & ((m.quote << 1) | carry.quote);
    const std::uint64_t after_backslash = (m.backslash << 1) | carry.backslash;
    carry = {.quote = m.quote >> 63, .backslash = m.backslash >> 63};
    for (std::uint64_t maybe = m.quote & after_backslash; maybe != 0; maybe &= maybe - 1) {
        const auto k = static_cast<unsigned>(__builtin_ctzll(maybe));
        if (escaped_at(text, base + k)) m.quote &= ~(std::uint64_t{1} << k);
    }
}

/// 16 bytes at p (p[0, 16 + lookahead) readable), into bits [shift, shift + 16) of `m`.
[[gnu::always_inline]] inline void classify_16(const unsigned char* p, unsigned shift, bool json,
                                               BlockMasks& m, std::uint64_t& colon) noexcept {
    const auto load = [&](std::size_t k) {
        return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k));
    };
    const auto set = [](int c) { return _mm_set1_epi8(static_cast<char>(c)); };
    const auto bits = [&](__m128i v) {
        return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(v))) << shift;
    };
    const __m128i c = load(0);
    const __m128i case_bit = set(0x20);
    // (x - first) < count, unsigned, as a signed comparison after moving `first` to -128.
    const auto in_range = [&](__m128i x, int first, int count) {
        return _mm_cmpgt_epi8(set(-128 + count), _mm_add_epi8(x, set(0x80 - first)));
    };
    const __m128i lower = _mm_or_si128(c, case_bit);
    const __m128i token = _mm_or_si128(
        _mm_or_si128(in_range(lower, 'a', 26), in_range(c, '0', 10)),
        _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(c, set('+')), _mm_cmpeq_epi8(c, set('/'))),
            _mm_or_si128(_mm_cmpeq_epi8(c, set('=')),
                         _mm_or_si128(_mm_cmpeq_epi8(c, set('_')), _mm_cmpeq_epi8(c, set('-'))))));
    const __m128i pem =
        _mm_and_si128(_mm_cmpeq_epi8(c, set('-')), _mm_cmpeq_epi8(load(10), set(' ')));
    const __m128i url =
        _mm_and_si128(_mm_cmpeq_epi8(c, set(':')), _mm_cmpeq_epi8(load(2), set('/')));
    const __m128i bearer = _mm_and_si128(_mm_cmpeq_epi8(lower, set('b')),
                                         _mm_cmpeq_epi8(_mm_or_si128(load(5), case_bit), set('r')));
    m.token |= bits(token);
    m.trigger |= bits(_mm_or_si128(pem, _mm_or_si128(url, bearer)));
    const __m128i colons = _mm_cmpeq_epi8(c, set(':'));
    if (!json) {
        m.separator |= bits(_mm_or_si128(_mm_cmpeq_epi8(c, set('=')), colons));
        return;
    }
    const __m128i next = load(1);
    const __m128i blank_next =
        _mm_or_si128(_mm_cmpeq_epi8(next, set(' ')), _mm_cmpeq_epi8(next, set('\t')));
    m.quote |= bits(_mm_cmpeq_epi8(c, set('"')));
    m.backslash |= bits(_mm_cmpeq_epi8(c, set('\\')));
    m.separator |=
        bits(_mm_or_si128(_mm_cmpeq_epi8(c, set('=')), _mm_and_si128(colons, blank_next)));
    colon |= bits(colons);
}

/// As classify_16, 32 bytes at a time; token bytes by a lookup of each nibble (vpshufb): bit
/// g of low_nibbles[l] and of high_nibbles[h] are both set when byte 0xhl is a token byte of
/// group g. (No lambdas here: they would not inherit the target.)
#define JUBILANT_AVX2 __attribute__((target("avx2"), always_inline)) inline

JUBILANT_AVX2 __m256i load_32(const unsigned char* p) noexcept {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

JUBILANT_AVX2 __m256i equal_32(__m256i x, char c) noexcept {
    return _mm256_cmpeq_epi8(x, _mm256_set1_epi8(c));
}

JUBILANT_AVX2 std::uint64_t bits_32(__m256i v, unsigned shift) noexcept {
    return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(v))) << shift;
}

JUBILANT_AVX2 void classify_32(const unsigned char* p, unsigned shift, bool json, BlockMasks& m,
                               std::uint64_t& colon) noexcept {
    // Groups: 1 "+-/" (0x2_), 2 digits and '=' (0x3_), 4 letters of 0x4_ and 0x6_, 8 letters
    // and '_' of 0x5_, 16 letters of 0x7_.
    const __m256i low_nibbles = _mm256_setr_epi8(
        2 | 8 | 16, 2 | 4 | 8 | 16, 2 | 4 | 8 | 16, 2 | 4 | 8 | 16, 2 | 4 | 8 | 16, 2 | 4 | 8 | 16,
        2 | 4 | 8 | 16, 2 | 4 | 8 | 16, 2 | 4 | 8 | 16, 2 | 4 | 8 | 16, 4 | 8 | 16, 1 | 4, 4,
        1 | 2 | 4, 4, 1 | 4 | 8, 2 | 8 | 16, 2 | 4 | 8 | 16, 2 | 4 | 8 | 16, 2 | 4 | 8 | 16,
        2 | 4 | 8 | 16, 2 | 4 | 8 | 16, 2 | 4 | 8 | 16, 2 | 4 | 8 | 16, 2 | 4 | 8 | 16,
        2 | 4 | 8 | 16, 4 | 8 | 16, 1 | 4, 4, 1 | 2 | 4, 4, 1 | 4 | 8);
    const __m256i high_nibbles = _mm256_setr_epi8(0, 0, 1, 2, 4, 8, 4, 16, 0, 0, 0, 0, 0, 0, 0, 0,
                                                  0, 0, 1, 2, 4, 8, 4, 16, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i nibble = _mm256_set1_epi8(0x0f);
    const __m256i c = load_32(p);
    const __m256i groups = _mm256_and_si256(
        _mm256_shuffle_epi8(low_nibbles, _mm256_and_si256(c, nibble)),
        _mm256_shuffle_epi8(high_nibbles, _mm256_and_si256(_mm256_srli_epi16(c, 4), nibble)));
    const __m256i case_bit = _mm256_set1_epi8(0x20);
    const __m256i lower = _mm256_or_si256(c, case_bit);
    const __m256i pem = _mm256_and_si256(equal_32(c, '-'), equal_32(load_32(p + 10), ' '));
    const __m256i url = _mm256_and_si256(equal_32(c, ':'), equal_32(load_32(p + 2), '/'));
    const __m256i bearer = _mm256_and_si256(
        equal_32(lower, 'b'), equal_32(_mm256_or_si256(load_32(p + 5), case_bit), 'r'));
    const auto outside = static_cast<std::uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(groups, _mm256_setzero_si256())));
    m.token |= static_cast<std::uint64_t>(~outside) << shift;
    m.trigger |= bits_32(_mm256_or_si256(pem, _mm256_or_si256(url, bearer)), shift);
    const __m256i colons = equal_32(c, ':');
    if (!json) {
        m.separator |= bits_32(_mm256_or_si256(equal_32(c, '='), colons), shift);
        return;
    }
    const __m256i next = load_32(p + 1);
    const __m256i blank_next = _mm256_or_si256(equal_32(next, ' '), equal_32(next, '\t'));
    m.quote |= bits_32(equal_32(c, '"'), shift);
    m.backslash |= bits_32(equal_32(c, '\\'), shift);
    m.separator |=
        bits_32(_mm256_or_si256(equal_32(c, '='), _mm256_and_si256(colons, blank_next)), shift);
    colon |= bits_32(colons, shift);
}

__attribute__((target("avx2"), always_inline)) inline BlockMasks classify_block_avx2(
    const unsigned char* p, bool json, Carry& carry, std::string_view text,
    std::size_t base) noexcept {
    BlockMasks m;
    std::uint64_t colon = 0;
    classify_32(p, 0, json, m, colon);
    classify_32(p + 32, 32, json, m, colon);
    if (json) finish_block(m, colon, carry, text, base);
    return m;
}

#undef JUBILANT_AVX2

// Each ISA's loop, with its block function inlined and the constants hoisted: full blocks
// straight from the text while a block and its lookahead fit, the last one or two from a
// zero-padded copy, so no load reads past the text. (Not one template: a template instance
// would not inherit the AVX2 target, and its intrinsics could then not be inlined.)

template <bool json>
void classify_sse2(std::string_view text, BlockMasks* out) noexcept {
    Carry carry;
    const auto block = [&](const unsigned char* p, std::size_t base) {
        BlockMasks m;
        std::uint64_t colon = 0;
        for (unsigned q = 0; q < 4; ++q) {
            classify_16(p + std::size_t{16} * q, 16 * q, json, m, colon);
        }
        if (json) finish_block(m, colon, carry, text, base);
        return m;
    };
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t base = 0;
    for (; base + 64 + lookahead <= n; base += 64) *out++ = block(p + base, base);
    std::array<unsigned char, padded_size> padded{};
    std::memcpy(padded.data(), p + base, n - base);
    for (std::size_t at = 0; base + at < n; at += 64) *out++ = block(padded.data() + at, base + at);
}

template <bool json>
__attribute__((target("avx2"))) void classify_avx2(std::string_view text,
                                                   BlockMasks* out) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    Carry carry;
    std::size_t base = 0;
    for (; base + 64 + lookahead <= n; base += 64) {
        *out++ = classify_block_avx2(p + base, json, carry, text, base);
    }
    std::array<unsigned char, padded_size> padded{};
    std::memcpy(padded.data(), p + base, n - base);
    for (std::size_t at = 0; base + at < n; at += 64) {
        *out++ = classify_block_avx2(padded.data() + at, json, carry, text, base + at);
    }
}

#endif

}  // namespace

bool classify_isa_available(ClassifyIsa isa) noexcept {
    switch (isa) {
#if JUBILANT_CLASSIFY_X86
    case ClassifyIsa::scalar:
    case ClassifyIsa::sse2: return true;
    case ClassifyIsa::avx2:
        // Also right when first asked from a static constructor, before libgcc's own has run.
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") != 0;
#else
    case ClassifyIsa::scalar: return true;
    case ClassifyIsa::sse2:
    case ClassifyIsa::avx2: return false;
#endif
    }
    return false;
}

ClassifyIsa best_classify_isa() noexcept {
    static const ClassifyIsa best = classify_isa_available(ClassifyIsa::avx2) ? ClassifyIsa::avx2
                                    : classify_isa_available(ClassifyIsa::sse2)
                                        ? ClassifyIsa::sse2
                                        : ClassifyIsa::scalar;
    return best;
}

void classify(std::string_view text, std::vector<BlockMasks>& out, MaskSet set, ClassifyIsa isa) {
    const bool json = set == MaskSet::json;
    const std::size_t blocks = (text.size() + 63) / 64;
    out.resize(blocks);
    if (blocks == 0) return;
    if (!classify_isa_available(isa)) isa = ClassifyIsa::scalar;
#if JUBILANT_CLASSIFY_X86
    if (isa == ClassifyIsa::avx2) {
        return json ? classify_avx2<true>(text, out.data())
                    : classify_avx2<false>(text, out.data());
    }
    if (isa == ClassifyIsa::sse2) {
        return json ? classify_sse2<true>(text, out.data())
                    : classify_sse2<false>(text, out.data());
    }
#endif
    for (std::size_t b = 0; b < blocks; ++b) out[b] = classify_block_scalar(text, b, json);
}

}  // namespace jubilant::cassette::detail
