// One pass over a text that sorts its bytes into the classes the detector's scanners stop at,
// as bitmasks per 64-byte block: the scanners then jump from set bit to set bit
// (__builtin_ctzll) instead of testing every byte. SIMD where the CPU has it (SSE2 is
// baseline on x86-64, AVX2 is chosen at run time); a scalar loop elsewhere, and as the
// reference the SIMD versions are tested against.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace jubilant::cassette::detail {

/// Bytes a long opaque token is made of (base64, base64url, hex, ids): the token class.
inline constexpr std::array<bool, 256> token_bytes = [] {
    std::array<bool, 256> table{};
    for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = true;
    for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = true;
    for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = true;
    for (char c : {'+', '/', '=', '_', '-'}) table[static_cast<unsigned char>(c)] = true;
    return table;
}();

/// The classes of the 64 bytes text[64 * b, 64 * b + 64): bit k is byte 64 * b + k. Bytes past
/// the end of the text are in no class.
struct BlockMasks {
    /// token_bytes: ASCII letters and digits, '+', '/', '=', '_', '-'.
    std::uint64_t token = 0;
    /// Where "-----BEGIN ", "bearer" (any case) or "://" may start: byte p is '-' and p + 10 is
    /// ' ', or p is ':' and p + 2 is '/', or p and p + 5 are 'b' and 'r' in either case
    /// (bytes past the end read as NUL). A superset of the real starts, each checked in full.
    std::uint64_t trigger = 0;
    /// '=' and ':': the separators scan_assignments() looks for (a ':' counts only where it
    /// also checks the bytes around it).
    std::uint64_t separator = 0;

    bool operator==(const BlockMasks&) const = default;
};

/// How classify() reads the bytes.
enum class ClassifyIsa : std::uint8_t {
    scalar,  ///< one byte at a time (any CPU; the reference)
    sse2,    ///< 16 bytes at a time (x86-64 baseline)
    avx2,    ///< 32 bytes at a time (checked at run time)
};

/// The fastest way this CPU and build have.
ClassifyIsa best_classify_isa() noexcept;

/// Whether classify() can use `isa` here.
bool classify_isa_available(ClassifyIsa isa) noexcept;

/// Fills `out` with one BlockMasks per 64 bytes of `text` (the last block padded), the same for
/// every `isa` (an unavailable one falls back to scalar).
void classify(std::string_view text, std::vector<BlockMasks>& out,
              ClassifyIsa isa = best_classify_isa());

/// A text and its masks, as the scanners read them.
struct ClassifiedText {
    std::string_view text;
    const std::vector<BlockMasks>* blocks = nullptr;
};

}  // namespace jubilant::cassette::detail
