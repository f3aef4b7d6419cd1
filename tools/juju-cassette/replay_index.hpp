// The replay index: what juju-cassette's front end needs to replay a cassette without parsing
// its JSON (and so without simdjson, libjubilant or any C++ shared library): each
// interaction's argv, whether it has recorded input (stdin or temp files), its exit code and
// its output bytes. The full tool writes it next to the cassette ("<cassette>.replay-index",
// 0600, atomically) the first time it replays the cassette; it is keyed by the cassette's
// device, inode, size, mtime and ctime, so a cassette that changed makes it stale, and it
// carries checksums, so a damaged index is refused rather than served. The front end falls
// back to the full tool whenever the index is missing, stale or damaged.
//
// Layout (native byte order: the index never leaves the machine that wrote it), all numbers
// 64-bit:
//   magic "JJCIDX01", identity (7 numbers), interaction count, records size, header hash
//   (checksum of the 80 bytes before it and the records)
//   records: per interaction argc, has_input, returncode, output offset (from the start of
//            the outputs), stdout size, stderr size, outputs hash; then argc x (size, bytes)
//   outputs: per interaction its stdout then its stderr
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hash.hpp"

namespace juju_cassette {

/// What identifies one version of a cassette file.
struct CassetteIdentity {
    std::uint64_t dev = 0, ino = 0, size = 0;
    std::uint64_t mtime_sec = 0, mtime_nsec = 0, ctime_sec = 0, ctime_nsec = 0;
    bool operator==(const CassetteIdentity&) const = default;

    /// The identity of the file at `path` (stat, following links); nullopt when it is missing.
    static std::optional<CassetteIdentity> of(const std::string& path);
};

/// One interaction as indexed.
struct IndexedInteraction {
    std::vector<std::string_view> args{};
    bool has_input = false;  ///< recorded stdin or temp files
    int returncode = 0;
    std::string_view stdout_text{};
    std::string_view stderr_text{};
};

/// Writes the index for `cassette` (at replay_index_path(cassette)) atomically, mode 0600.
/// Returns false when it could not (the index is a cache: replay works without it).
bool write_replay_index(const std::string& cassette, const CassetteIdentity& identity,
                        const std::vector<IndexedInteraction>& interactions);

/// A replay index opened for reading (mapped read-only).
class ReplayIndex {
public:
    /// The index of `cassette` when it exists, belongs to `identity` and is whole; else nullopt.
    static std::optional<ReplayIndex> open(const std::string& cassette,
                                           const CassetteIdentity& identity);
    ReplayIndex(ReplayIndex&& other) noexcept;
    ReplayIndex& operator=(ReplayIndex&&) = delete;
    ReplayIndex(const ReplayIndex&) = delete;
    ~ReplayIndex();

    struct Entry {
        std::vector<std::string_view> args{};
        bool has_input = false;
        int returncode = 0;
        std::uint64_t output_offset = 0, stdout_size = 0, stderr_size = 0, output_hash = 0;
    };
    const std::vector<Entry>& entries() const noexcept { return entries_; }
    /// The entry's stdout and stderr; nullopt when they do not hash to what the index says.
    std::optional<std::pair<std::string_view, std::string_view>> output(const Entry& entry) const;
    /// Whether every entry's output hashes right (open() checks only the records): the full
    /// tool rewrites an index that is not whole.
    bool whole() const;

private:
    ReplayIndex() = default;
    const char* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t outputs_start_ = 0;
    std::vector<Entry> entries_{};
};

/// A 64-bit checksum of `bytes`, continuing from `hash`: FNV-1a's multiply over 8-byte words
/// (the full tool checks every output of an index it finds, which may be megabytes).
std::uint64_t checksum(std::string_view bytes, std::uint64_t hash = jubilant::text::fnv1a_64_basis);

}  // namespace juju_cassette
