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

/// The reference: byte by byte, `size` bytes readable at p (the rest read as NUL).
BlockMasks classify_block_scalar(const unsigned char* p, std::size_t size) noexcept {
    const auto at = [&](std::size_t k) -> unsigned { return k < size ? p[k] : 0U; };
    BlockMasks m;
    for (std::size_t k = 0; k < 64 && k < size; ++k) {
        const unsigned c = p[k];
        const std::uint64_t bit = std::uint64_t{1} << k;
        if (token_bytes[c]) m.token |= bit;
        if ((c == '-' && at(k + 10) == ' ') || (c == ':' && at(k + 2) == '/') ||
            ((c | 0x20U) == 'b' && (at(k + 5) | 0x20U) == 'r')) {
            m.trigger |= bit;
        }
        if (c == '=' || c == ':') m.separator |= bit;
    }
    return m;
}

#if JUBILANT_CLASSIFY_X86

/// 16 bytes at p (p[0, 16 + lookahead) readable), into bits [shift, shift + 16) of `m`.
[[gnu::always_inline]] inline void classify_16(const unsigned char* p, unsigned shift,
                                               BlockMasks& m) noexcept {
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
    m.separator |= bits(_mm_or_si128(_mm_cmpeq_epi8(c, set('=')), _mm_cmpeq_epi8(c, set(':'))));
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

JUBILANT_AVX2 void classify_32(const unsigned char* p, unsigned shift, BlockMasks& m) noexcept {
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
    m.separator |= bits_32(_mm256_or_si256(equal_32(c, '='), equal_32(c, ':')), shift);
}

__attribute__((target("avx2"), always_inline)) inline BlockMasks classify_block_avx2(
    const unsigned char* p) noexcept {
    BlockMasks m;
    classify_32(p, 0, m);
    classify_32(p + 32, 32, m);
    return m;
}

#undef JUBILANT_AVX2

// Each ISA's loop, with its block function inlined and the constants hoisted: full blocks
// straight from the text while a block and its lookahead fit, the last one or two from a
// zero-padded copy, so no load reads past the text. (Not one template: a template instance
// would not inherit the AVX2 target, and its intrinsics could then not be inlined.)

void classify_sse2(std::string_view text, BlockMasks* out) noexcept {
    const auto block = [](const unsigned char* p) {
        BlockMasks m;
        for (unsigned q = 0; q < 4; ++q) classify_16(p + std::size_t{16} * q, 16 * q, m);
        return m;
    };
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t base = 0;
    for (; base + 64 + lookahead <= n; base += 64) *out++ = block(p + base);
    std::array<unsigned char, padded_size> padded{};
    std::memcpy(padded.data(), p + base, n - base);
    for (std::size_t at = 0; base + at < n; at += 64) *out++ = block(padded.data() + at);
}

__attribute__((target("avx2"))) void classify_avx2(std::string_view text,
                                                   BlockMasks* out) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t base = 0;
    for (; base + 64 + lookahead <= n; base += 64) *out++ = classify_block_avx2(p + base);
    std::array<unsigned char, padded_size> padded{};
    std::memcpy(padded.data(), p + base, n - base);
    for (std::size_t at = 0; base + at < n; at += 64) {
        *out++ = classify_block_avx2(padded.data() + at);
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

void classify(std::string_view text, std::vector<BlockMasks>& out, ClassifyIsa isa) {
    const std::size_t blocks = (text.size() + 63) / 64;
    out.resize(blocks);
    if (blocks == 0) return;
    if (!classify_isa_available(isa)) isa = ClassifyIsa::scalar;
#if JUBILANT_CLASSIFY_X86
    if (isa == ClassifyIsa::avx2) return classify_avx2(text, out.data());
    if (isa == ClassifyIsa::sse2) return classify_sse2(text, out.data());
#endif
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    for (std::size_t b = 0; b < blocks; ++b) {
        out[b] = classify_block_scalar(p + 64 * b, text.size() - 64 * b);
    }
}

}  // namespace jubilant::cassette::detail
