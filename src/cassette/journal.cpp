// The recording journal: "<cassette>.journal", append-only, one compact JSON line per record,
// written with one write() each (and fsynced with Durability::os_crash), so a crash loses at
// most the record being written.
//
// Line 1 is the base cassette the recording started from (header and kept interactions) in
// the ordinary cassette format on one line; every later line is
// {"redactions": n, "interaction": {...}}. Recovery needs line 1 because the base is not
// always what the cassette file holds (a fresh recording over an old cassette keeps nothing).
#include <jubilant/cassette.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>
#include <simdjson.h>

#include <jubilant/errors.hpp>
#include <jubilant/logging.hpp>

#include "cassette/internal.hpp"

namespace jubilant::cassette {

std::filesystem::path journal_path(const std::filesystem::path& cassette) {
    auto path = cassette;
    path += ".journal";
    return path;
}

namespace {

// One record line, written with one write() at the end of the journal.
void append_record(int fd, const std::filesystem::path& path, const Interaction& interaction,
                   std::int64_t redactions, Durability durability) {
    std::string line = detail::compact_record(interaction, redactions);
    line += '\n';
    const off_t before = ::lseek(fd, 0, SEEK_END);
    try {
        detail::write_fully(fd, line, path);
        if (durability == Durability::os_crash && ::fsync(fd) != 0) {
            throw Error(
                fmt::format("cannot fsync journal {}: {}", path.string(), std::strerror(errno)));
        }
    } catch (...) {
        // Never leave a partial line that a later append would turn into a corrupt middle line.
        if (before >= 0 && ::ftruncate(fd, before) == 0) ::fsync(fd);
        throw;
    }
}

// A process killed in the middle of its write() (a fatal signal can cut a write to a regular
// file short) leaves a torn last line. In a shared journal the next process would append after
// it and turn it into a corrupt middle line, so it goes first. Called under the Lock, while no
// other process can be writing.
void drop_torn_tail(int fd, const std::filesystem::path& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_size == 0) return;
    char last = 0;
    if (::pread(fd, &last, 1, st.st_size - 1) == 1 && last == '\n') return;
    // Scan back (in blocks) for the last newline; the base line always ends with one.
    off_t end = st.st_size;
    char block[4096];
    while (end > 0) {
        const off_t start = end > off_t(sizeof block) ? end - off_t(sizeof block) : 0;
        const ssize_t got = ::pread(fd, block, static_cast<std::size_t>(end - start), start);
        if (got <= 0) return;
        for (ssize_t i = got; i-- > 0;) {
            if (block[i] == '\n') {
                logger()->warn("cassette: dropping the torn last line of journal {}",
                               path.string());
                if (::ftruncate(fd, start + i + 1) != 0) {
                    throw Error(fmt::format("cannot repair journal {}: {}", path.string(),
                                            std::strerror(errno)));
                }
                return;
            }
        }
        end = start;
    }
}

}  // namespace

std::filesystem::path lock_path(const std::filesystem::path& cassette) {
    auto path = cassette;
    path += ".lock";
    return path;
}

Lock::Lock(const std::filesystem::path& cassette) {
    const auto path = lock_path(cassette);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        throw Error(
            fmt::format("cannot open lock file {}: {}", path.string(), std::strerror(errno)));
    }
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd_);
        throw Error(fmt::format("cannot lock {}: {}", path.string(), std::strerror(err)));
    }
}

Lock::~Lock() {
    if (fd_ >= 0) ::close(fd_);  // releases the flock
}

void append_to_shared_journal(const std::filesystem::path& cassette,
                              const std::function<Cassette()>& make_base,
                              const Interaction& interaction, std::int64_t redactions,
                              Durability durability) {
    const Lock lock(cassette);
    const auto path = journal_path(cassette);
    int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        std::string line = detail::compact_json(make_base());
        line += '\n';
        detail::write_atomically(path, line);
        fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
    }
    if (fd < 0) {
        throw Error(fmt::format("cannot open journal {}: {}", path.string(), std::strerror(errno)));
    }
    try {
        drop_torn_tail(fd, path);
        append_record(fd, path, interaction, redactions, durability);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
}

Cassette fold_shared_journal(const std::filesystem::path& cassette) {
    const Lock lock(cassette);
    return Cassette::load(cassette);
}

namespace detail {

std::optional<Cassette> recover_journal(const std::filesystem::path& cassette) {
    const auto path = journal_path(cassette);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    const auto padded = read_padded(path);
    const std::string_view text(padded.data(), padded.size());
    const std::string source = path.string();

    const auto first_end = text.find('\n');
    if (first_end == std::string_view::npos) {
        // Killed while writing the base line: nothing was recorded, and the cassette file (if
        // any) was never touched. Drop the journal and load the file as it is.
        logger()->warn("cassette: discarding journal {} with no complete record", source);
        std::filesystem::remove(path, ec);
        return std::nullopt;
    }
    Cassette result = parse_journal_base(text.substr(0, first_end), source);
    std::size_t start = first_end + 1;
    int line = 2;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        if (end == std::string_view::npos) {
            // A torn last line: the interaction in flight when the recorder died.
            logger()->warn("cassette: ignoring the incomplete last line {} of journal {}", line,
                           source);
            break;
        }
        auto [interaction, redactions] =
            parse_journal_record(text.substr(start, end - start), source, line);
        result.interactions.push_back(std::move(interaction));
        result.header.redactions += redactions;
        start = end + 1;
        ++line;
    }
    logger()->warn("cassette: recovered {} interactions from journal {}",
                   result.interactions.size(), source);
    try {
        result.save(cassette);
        std::filesystem::remove(path);
    } catch (const std::exception& e) {
        // Still usable in memory; the journal stays so nothing is lost.
        logger()->warn("cassette: could not fold journal {} into {}: {}", source, cassette.string(),
                       e.what());
    }
    return result;
}

}  // namespace detail

struct Journal::Impl {
    std::filesystem::path cassette_path;
    std::filesystem::path path;
    Cassette cassette;
    Durability durability = Durability::process_crash;
    int fd = -1;
    bool closed = false;
};

Journal::Journal(std::filesystem::path cassette, Cassette base, Durability durability)
    : impl_(std::make_unique<Impl>()) {
    impl_->durability = durability;
    impl_->cassette_path = std::move(cassette);
    impl_->path = journal_path(impl_->cassette_path);
    impl_->cassette = std::move(base);
    // The base line is written under its own name and renamed into place, so a journal file
    // either does not exist or begins with a complete base line.
    std::string line = detail::compact_json(impl_->cassette);
    line += '\n';
    detail::write_atomically(impl_->path, line);
    impl_->fd = ::open(impl_->path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (impl_->fd < 0) {
        throw Error(
            fmt::format("cannot open journal {}: {}", impl_->path.string(), std::strerror(errno)));
    }
}

Journal::~Journal() {
    try {
        close();
    } catch (const std::exception& e) {
        logger()->error("cassette: closing journal {} failed: {}", impl_->path.string(), e.what());
    }
}

void Journal::append(const Interaction& interaction) { append(interaction, 0); }

void Journal::append(const Interaction& interaction, std::int64_t redactions) {
    if (impl_->closed) throw Error("cassette: append to a closed journal");
    append_record(impl_->fd, impl_->path, interaction, redactions, impl_->durability);
    impl_->cassette.interactions.push_back(interaction);
    impl_->cassette.header.redactions += redactions;
}

void Journal::close() {
    if (impl_->closed) return;
    impl_->cassette.save(impl_->cassette_path);
    discard();
}

void Journal::discard() {
    if (impl_->closed) return;
    ::close(impl_->fd);
    impl_->fd = -1;
    std::error_code ec;
    std::filesystem::remove(impl_->path, ec);
    detail::fsync_directory(impl_->path);
    impl_->closed = true;
}

const Cassette& Journal::cassette() const noexcept { return impl_->cassette; }

}  // namespace jubilant::cassette
