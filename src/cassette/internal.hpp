// Internal to the library (not installed): the pieces of the cassette implementation shared
// by the files of src/cassette/ (reader, writer, files, journal, redaction).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Declared only: the files that parse include <simdjson.h> themselves; the others do not
// compile it.
namespace simdjson {
struct padded_string;
class padded_string_view;
}  // namespace simdjson

#include <jubilant/cassette.hpp>

#include "base64.hpp"
#include "utf8.hpp"

namespace jubilant::cassette::detail {

/// The value of the top-level "format" member.
inline constexpr std::string_view format_name = "jubilant-cassette";

// The byte helpers of the format (UTF-8 checks, base64 for blobs that are not text) are
// jubilant-text's; base64_decode is strict by default (padded, nothing else accepted).
using text::base64_decode;
using text::base64_encode;
using text::valid_utf8;

/// JSON output in the cassette layout: pretty (2-space indent, one value per line) or compact
/// (one line, for the journal).
class Writer {
public:
    explicit Writer(bool pretty) : pretty_(pretty) {}
    void begin(char bracket);
    void end(char bracket);
    void item();  ///< before each array element
    void key(std::string_view name);
    void string(std::string_view text);
    void raw(std::string_view text);
    /// Re-indents already minified JSON token by token, keeping every token's spelling.
    void json_value(std::string_view minified);
    /// stdout/stderr/stdin/temp-file bytes: {"newline", "json"}, {"lines"} or {"base64"}.
    void blob(std::string_view bytes);
    std::string take() { return std::move(out_); }

private:
    void newline();
    std::string out_;
    bool pretty_ = true;
    int depth_ = 0;
    std::vector<bool> first_;
};

void write_header(Writer& w, const Header& header);
void write_interaction(Writer& w, const Interaction& interaction);
void write_cassette(Writer& w, const Cassette& cassette);

/// Parses a whole cassette; line numbers in errors start at `first_line`.
Cassette parse_padded(const simdjson::padded_string_view& text, std::string_view source,
                      int first_line);
/// Journal lines: the first holds the base cassette, each later one an interaction record.
Cassette parse_journal_base(std::string_view line, std::string_view source);
std::pair<Interaction, std::int64_t> parse_journal_record(std::string_view line,
                                                          std::string_view source, int line_number);
std::string compact_json(const Cassette& cassette);
std::string compact_record(const Interaction& interaction, std::int64_t redactions);

simdjson::padded_string read_padded(const std::filesystem::path& path);
void write_fully(int fd, std::string_view data, const std::filesystem::path& path);
void write_atomically(const std::filesystem::path& path, std::string_view data);
void fsync_directory(const std::filesystem::path& file);

/// When a journal is left next to `cassette`: the recovered cassette (also written back to
/// `cassette` and the journal removed, when the directory is writable). nullopt otherwise.
std::optional<Cassette> recover_journal(const std::filesystem::path& cassette);

}  // namespace jubilant::cassette::detail
