#include "support/local_charm.hpp"

#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include "engine.hpp"
#include "errors.hpp"
#include "support/yaml_input.hpp"

namespace jubilant::fake {
namespace {

namespace fs = std::filesystem;

// What juju reads from a charm; everything else in it (code, venv) is never opened.
constexpr std::array<const char*, 5> charm_files = {"metadata.yaml", "config.yaml", "actions.yaml",
                                                    "charmcraft.yaml", "manifest.yaml"};

bool is_charm_file(const std::string& name) {
    for (const char* file : charm_files) {
        if (name == file) return true;
    }
    return false;
}

std::optional<std::string> read_file_within_limit(const std::string& path) {
    return read_disk_file(path, YamlLimits{}.max_bytes);
}

std::map<std::string, std::string> read_directory(const std::string& path) {
    std::map<std::string, std::string> files;
    for (const char* file : charm_files) {
        if (auto text = read_file_within_limit(path + "/" + file))
            files.emplace(file, std::move(*text));
    }
    return files;
}

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_read_free)>;

// A packed charm: the top-level files of the zip, each read no further than the YAML size
// limit, so a zip bomb costs at most that much memory.
std::map<std::string, std::string> read_packed(const std::string& path) {
    ArchivePtr zip(archive_read_new(), &archive_read_free);
    if (!zip) throw CommandError(fmt::format("cannot read charm {}: out of memory", path));
    archive_read_support_format_zip(zip.get());
    auto fail = [&](std::string_view what) -> CommandError {
        const char* reason = archive_error_string(zip.get());
        return CommandError(fmt::format("cannot read charm {}: {}{}{}", path, what,
                                        reason ? ": " : "", reason ? reason : ""));
    };
    if (archive_read_open_filename(zip.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) {
        throw fail("not a zip archive");
    }
    std::map<std::string, std::string> files;
    const std::size_t limit = YamlLimits{}.max_bytes;
    archive_entry* entry = nullptr;
    while (true) {
        const int status = archive_read_next_header(zip.get(), &entry);
        if (status == ARCHIVE_EOF) break;
        if (status != ARCHIVE_OK && status != ARCHIVE_WARN) throw fail("broken zip archive");
        std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
        if (name.starts_with("./")) name.erase(0, 2);
        if (!is_charm_file(name) || archive_entry_filetype(entry) != AE_IFREG) continue;
        std::string text;
        std::array<char, 64 * 1024> buffer{};
        while (text.size() <= limit) {
            const la_ssize_t got = archive_read_data(zip.get(), buffer.data(), buffer.size());
            if (got < 0) throw fail(fmt::format("cannot read {}", name));
            if (got == 0) break;
            text.append(buffer.data(), static_cast<std::size_t>(got));
        }
        files.insert_or_assign(name, std::move(text));
    }
    return files;
}

// The rules file beside a charm: next to the directory or the .charm, named after the charm.
fs::path rules_path_beside(const fs::path& charm_path, const std::string& name) {
    fs::path charm = charm_path;
    if (charm.filename().empty()) charm = charm.parent_path();  // "./my-charm/"
    const fs::path holder = charm.has_parent_path() ? charm.parent_path() : fs::path(".");
    return holder / (name + ".fake-juju.yaml");
}

}  // namespace

Charm read_local_charm(const std::string& path, const std::string& charms_dir) {
    std::error_code ec;
    const fs::path charm_path = fs::path(path).lexically_normal();
    const auto status = fs::status(charm_path, ec);
    if (!fs::exists(status)) {
        const fs::path trimmed =
            charm_path.filename().empty() ? charm_path.parent_path() : charm_path;
        throw_charm_not_found(trimmed.filename().string());
    }
    const bool directory = fs::is_directory(status);
    if (!directory && !fs::is_regular_file(status)) {
        throw CommandError(fmt::format("cannot read charm {}: not a directory or a file", path));
    }
    const std::map<std::string, std::string> files =
        directory ? read_directory(path) : read_packed(path);
    Charm charm = Charm::from_charm_files(files, path);
    const std::string beside = rules_path_beside(charm_path, charm.name).string();
    if (auto rules = read_file_within_limit(beside)) {
        charm.apply_rules(*rules, beside);
    } else if (auto named = read_charms_dir_file(charm.name, charms_dir)) {
        charm.apply_rules(*named, charms_dir + "/" + charm.name + ".yaml");
    }
    return charm;
}

}  // namespace jubilant::fake
