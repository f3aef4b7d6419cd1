// Test support: a user's charm made in the test, as a directory or packed into a .charm (a zip,
// as `charmcraft pack` makes it), never committed. Link libarchive (the fake engine's
// JUBILANT_FAKE_ENGINE_SHARED_LIBS) to use pack_charm.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

namespace jubilant::test {

/// Writes `text` to `path`, creating its directories.
inline void write_text(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

/// Writes `files` (name -> text) under `dir`: a charm directory.
inline std::filesystem::path make_charm_dir(const std::filesystem::path& dir,
                                            const std::map<std::string, std::string>& files) {
    for (const auto& [name, text] : files) write_text(dir / name, text);
    return dir;
}

/// Packs `files` into a zip at `path` as charmcraft does (entries at the archive's top level).
inline std::filesystem::path pack_charm(const std::filesystem::path& path,
                                        const std::map<std::string, std::string>& files) {
    archive* zip = archive_write_new();
    archive_write_set_format_zip(zip);
    EXPECT_EQ(archive_write_open_filename(zip, path.c_str()), ARCHIVE_OK);
    for (const auto& [name, text] : files) {
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, name.c_str());
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, 0644);
        archive_entry_set_size(entry, static_cast<la_int64_t>(text.size()));
        archive_write_header(zip, entry);
        archive_write_data(zip, text.data(), text.size());
        archive_entry_free(entry);
    }
    archive_write_close(zip);
    archive_write_free(zip);
    return path;
}

}  // namespace jubilant::test
