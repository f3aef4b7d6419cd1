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
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

#include <jubilant/errors.hpp>
#include <jubilant/logging.hpp>

#include "cassette_internal.hpp"

namespace jubilant::cassette {

std::filesystem::path journal_path(const std::filesystem::path& cassette) {
    auto path = cassette;
    path += ".journal";
    return path;
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
        logger()->warn("cassette: could not fold journal {} into {}: {}", source,
                       cassette.string(), e.what());
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
        throw Error(fmt::format("cannot open journal {}: {}", impl_->path.string(),
                                std::strerror(errno)));
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
    std::string line = detail::compact_record(interaction, redactions);
    line += '\n';
    const off_t before = ::lseek(impl_->fd, 0, SEEK_END);
    try {
        detail::write_fully(impl_->fd, line, impl_->path);
        if (impl_->durability == Durability::os_crash && ::fsync(impl_->fd) != 0) {
            throw Error(fmt::format("cannot fsync journal {}: {}", impl_->path.string(),
                                    std::strerror(errno)));
        }
    } catch (...) {
        // Never leave a partial line that a later append would turn into a corrupt middle line.
        if (before >= 0 && ::ftruncate(impl_->fd, before) == 0) ::fsync(impl_->fd);
        throw;
    }
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
