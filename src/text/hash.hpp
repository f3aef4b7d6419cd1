// FNV-1a, for deterministic stand-ins of values that are random in real juju output (UUIDs,
// host names, secret IDs): stable across runs and platforms, not for security. Part of
// jubilant-text (internal).
#pragma once

#include <cstdint>
#include <string_view>

namespace jubilant::text {

/// The 32-bit FNV-1a hash of `bytes`.
constexpr std::uint32_t fnv1a_32(std::string_view bytes) noexcept {
    std::uint32_t hash = 2166136261u;
    for (const char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    return hash;
}

/// FNV-1a's 64-bit offset basis.
inline constexpr std::uint64_t fnv1a_64_basis = 14695981039346656037ULL;
/// FNV's 64-bit prime.
inline constexpr std::uint64_t fnv1a_64_prime = 1099511628211ULL;

/// The 64-bit FNV-1a hash of `bytes`, starting from `basis` (FNV's unless a caller must keep
/// the values it has always produced).
constexpr std::uint64_t fnv1a_64(std::string_view bytes,
                                 std::uint64_t basis = fnv1a_64_basis) noexcept {
    std::uint64_t hash = basis;
    for (const char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * fnv1a_64_prime;
    return hash;
}

}  // namespace jubilant::text
