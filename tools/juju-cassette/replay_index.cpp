#include "replay_index.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "shim_common.hpp"

namespace juju_cassette {
namespace {

constexpr std::string_view magic = "JJCIDX01";
constexpr std::size_t identity_fields = 7;
// magic, identity, count, records size: what the header hash covers; then the hash.
constexpr std::size_t hashed_header_size = 8 + 8 * (identity_fields + 2);
constexpr std::size_t header_size = hashed_header_size + 8;

void put(std::string& out, std::uint64_t value) {
    char bytes[8];
    std::memcpy(bytes, &value, 8);
    out.append(bytes, 8);
}

// Reads numbers and byte strings from [at, end), refusing to read past end.
struct Reader {
    const char* at;
    const char* end;

    bool number(std::uint64_t& value) {
        if (end - at < 8) return false;
        std::memcpy(&value, at, 8);
        at += 8;
        return true;
    }
    bool bytes(std::string_view& value) {
        std::uint64_t size = 0;
        if (!number(size) || static_cast<std::uint64_t>(end - at) < size) return false;
        value = std::string_view(at, size);
        at += size;
        return true;
    }
};

std::uint64_t identity_field(const CassetteIdentity& id, std::size_t i) {
    const std::uint64_t fields[identity_fields] = {
        id.dev, id.ino, id.size, id.mtime_sec, id.mtime_nsec, id.ctime_sec, id.ctime_nsec};
    return fields[i];
}

}  // namespace

std::uint64_t checksum(std::string_view bytes, std::uint64_t hash) {
    // FNV-1a's multiply, applied a word at a time.
    constexpr std::uint64_t prime = jubilant::text::fnv1a_64_prime;
    std::size_t at = 0;
    for (; at + 8 <= bytes.size(); at += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, bytes.data() + at, 8);
        hash = (hash ^ word) * prime;
        hash ^= hash >> 32;  // so that every bit of a word reaches the low bits too
    }
    for (; at < bytes.size(); ++at) {
        hash = (hash ^ static_cast<unsigned char>(bytes[at])) * prime;
    }
    return hash;
}

std::optional<CassetteIdentity> CassetteIdentity::of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return CassetteIdentity{.dev = static_cast<std::uint64_t>(st.st_dev),
                            .ino = static_cast<std::uint64_t>(st.st_ino),
                            .size = static_cast<std::uint64_t>(st.st_size),
                            .mtime_sec = static_cast<std::uint64_t>(st.st_mtim.tv_sec),
                            .mtime_nsec = static_cast<std::uint64_t>(st.st_mtim.tv_nsec),
                            .ctime_sec = static_cast<std::uint64_t>(st.st_ctim.tv_sec),
                            .ctime_nsec = static_cast<std::uint64_t>(st.st_ctim.tv_nsec)};
}

bool write_replay_index(const std::string& cassette, const CassetteIdentity& identity,
                        const std::vector<IndexedInteraction>& interactions) {
    std::string records, outputs;
    for (const IndexedInteraction& interaction : interactions) {
        put(records, interaction.args.size());
        put(records, interaction.has_input ? 1 : 0);
        put(records, static_cast<std::uint64_t>(static_cast<std::int64_t>(interaction.returncode)));
        put(records, outputs.size());
        put(records, interaction.stdout_text.size());
        put(records, interaction.stderr_text.size());
        put(records, checksum(interaction.stderr_text, checksum(interaction.stdout_text)));
        for (const std::string_view arg : interaction.args) {
            put(records, arg.size());
            records += arg;
        }
        outputs += interaction.stdout_text;
        outputs += interaction.stderr_text;
    }
    std::string header(magic);
    for (std::size_t i = 0; i < identity_fields; ++i) put(header, identity_field(identity, i));
    put(header, interactions.size());
    put(header, records.size());
    put(header, checksum(records, checksum(header)));

    // mkstemp makes the file 0600 whatever the umask; rename makes it appear whole.
    const std::string path = replay_index_path(cassette);
    std::string temp = path + ".XXXXXX";
    const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = true;
    for (const std::string* part : {&header, &records, &outputs}) {
        std::string_view rest = *part;
        while (ok && !rest.empty()) {
            const ssize_t n = ::write(fd, rest.data(), rest.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0)
                ok = false;
            else
                rest.remove_prefix(static_cast<std::size_t>(n));
        }
    }
    ok = ::close(fd) == 0 && ok;
    if (ok && ::rename(temp.c_str(), path.c_str()) == 0) return true;
    ::unlink(temp.c_str());
    return false;
}

std::optional<ReplayIndex> ReplayIndex::open(const std::string& cassette,
                                             const CassetteIdentity& identity) {
    const int fd = ::open(replay_index_path(cassette).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        static_cast<std::uint64_t>(st.st_size) < header_size) {
        ::close(fd);
        return std::nullopt;
    }
    void* mapped =
        ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (mapped == MAP_FAILED) return std::nullopt;
    ReplayIndex index;
    index.data_ = static_cast<const char*>(mapped);
    index.size_ = static_cast<std::size_t>(st.st_size);

    Reader header{index.data_, index.data_ + header_size};
    if (std::string_view(index.data_, magic.size()) != magic) return std::nullopt;
    header.at += magic.size();
    for (std::size_t i = 0; i < identity_fields; ++i) {
        std::uint64_t value = 0;
        if (!header.number(value) || value != identity_field(identity, i)) return std::nullopt;
    }
    std::uint64_t count = 0, records_size = 0, hash = 0;
    if (!header.number(count) || !header.number(records_size) || !header.number(hash)) {
        return std::nullopt;
    }
    if (records_size > index.size_ - header_size) return std::nullopt;
    const std::string_view records(index.data_ + header_size, records_size);
    if (checksum(records, checksum(std::string_view(index.data_, hashed_header_size))) != hash) {
        return std::nullopt;
    }
    index.outputs_start_ = header_size + records_size;
    const std::uint64_t outputs_size = index.size_ - index.outputs_start_;
    // Each record takes at least 56 bytes: a count larger than that allows is damage.
    if (count > records_size / 56) return std::nullopt;
    index.entries_.reserve(count);
    Reader in{records.data(), records.data() + records.size()};
    for (std::uint64_t i = 0; i < count; ++i) {
        Entry entry;
        std::uint64_t argc = 0, has_input = 0, returncode = 0;
        if (!in.number(argc) || !in.number(has_input) || !in.number(returncode) ||
            !in.number(entry.output_offset) || !in.number(entry.stdout_size) ||
            !in.number(entry.stderr_size) || !in.number(entry.output_hash)) {
            return std::nullopt;
        }
        const auto signed_rc = static_cast<std::int64_t>(returncode);
        if (has_input > 1 || signed_rc < INT_MIN || signed_rc > INT_MAX ||
            argc > static_cast<std::uint64_t>(in.end - in.at) / 8 ||
            entry.output_offset > outputs_size || entry.stdout_size > outputs_size ||
            entry.stderr_size > outputs_size ||
            entry.stdout_size + entry.stderr_size > outputs_size - entry.output_offset) {
            return std::nullopt;
        }
        entry.has_input = has_input == 1;
        entry.returncode = static_cast<int>(signed_rc);
        entry.args.resize(argc);
        for (auto& arg : entry.args) {
            if (!in.bytes(arg)) return std::nullopt;
        }
        index.entries_.push_back(std::move(entry));
    }
    if (in.at != in.end) return std::nullopt;
    return index;
}

ReplayIndex::ReplayIndex(ReplayIndex&& other) noexcept
    : data_(other.data_),
      size_(other.size_),
      outputs_start_(other.outputs_start_),
      entries_(std::move(other.entries_)) {
    other.data_ = nullptr;
}

ReplayIndex::~ReplayIndex() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
}

std::optional<std::pair<std::string_view, std::string_view>> ReplayIndex::output(
    const Entry& entry) const {
    const char* start = data_ + outputs_start_ + entry.output_offset;
    const std::string_view out(start, entry.stdout_size);
    const std::string_view err(start + entry.stdout_size, entry.stderr_size);
    if (checksum(err, checksum(out)) != entry.output_hash) return std::nullopt;
    return std::pair{out, err};
}

bool ReplayIndex::whole() const {
    for (const Entry& entry : entries_) {
        if (!output(entry)) return false;
    }
    return true;
}

}  // namespace juju_cassette
