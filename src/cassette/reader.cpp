// Reading cassettes (simdjson ondemand), with a precise message (file, line, column, what
// was expected) for anything that is not the format in docs/reference/cassette-format.md.
#include <jubilant/cassette.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include <jubilant/errors.hpp>

#include "cassette/internal.hpp"
#include "print/json_quote.hpp"
#include "private_files.hpp"

namespace jubilant::cassette {

namespace od = simdjson::ondemand;

namespace detail {

// ---------------------------------------------------------------------------------------------
// Reading

namespace {

const char* type_name(od::json_type type) {
    switch (type) {
    case od::json_type::array: return "array";
    case od::json_type::object: return "object";
    case od::json_type::number: return "number";
    case od::json_type::string: return "string";
    case od::json_type::boolean: return "boolean";
    case od::json_type::null: return "null";
    }
    return "unknown";
}

// --- stored JSON values ("json" in a blob) ------------------------------------------------
//
// The writer stores the recorded bytes' own tokens, re-indented, so the bytes come back as the
// value's source text with the white space between tokens removed (simdjson::minify, run-time
// dispatched). Minifying is only exact for valid JSON ("1 2" would become "12"), so the reader
// first walks the value and checks every token, as strictly as a DOM parse would.

/// Nesting allowed inside a stored value (simdjson's DOM parser allowed 1024 for the document).
constexpr int max_json_depth = 1000;

/// What a file saved as "UTF-8 with BOM" starts with.
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

constexpr bool json_space(char c) noexcept {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// An ondemand token runs up to the next token: the scalar, then any white space (stage 1 makes
// whatever follows white space a token of its own). So a scalar is valid when its spelling is
// followed by white space or nothing.
constexpr bool ends_token(std::string_view t, std::size_t i) noexcept {
    return i == t.size() || json_space(t[i]);
}

/// RFC 8259 number syntax, of any magnitude: the spelling is kept, never converted.
bool valid_number(std::string_view t) noexcept {
    std::size_t i = 0;
    const std::size_t n = t.size();
    if (i < n && t[i] == '-') ++i;
    if (i == n) return false;
    if (t[i] == '0') {
        ++i;
    } else if (is_digit(t[i])) {
        while (i < n && is_digit(t[i])) ++i;
    } else {
        return false;
    }
    if (i < n && t[i] == '.') {
        const std::size_t digits = ++i;
        while (i < n && is_digit(t[i])) ++i;
        if (i == digits) return false;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
        const std::size_t digits = i;
        while (i < n && is_digit(t[i])) ++i;
        if (i == digits) return false;
    }
    return ends_token(t, i);
}

bool valid_literal(std::string_view t) noexcept {
    for (const std::string_view word : {"true", "false", "null"}) {
        if (t.substr(0, word.size()) == word) return ends_token(t, word.size());
    }
    return false;
}

int hex4(std::string_view s, std::size_t i) noexcept {
    if (i + 4 > s.size()) return -1;
    int value = 0;
    for (std::size_t j = i; j < i + 4; ++j) {
        const char c = s[j];
        int digit = -1;
        if (is_digit(c)) digit = c - '0';
        if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        if (digit < 0) return -1;
        value = value * 16 + digit;
    }
    return value;
}

/// Length of the escape sequence starting at the backslash s[i]; 0 for one simdjson rejects
/// (an unknown letter, bad hex, or a UTF-16 surrogate that is not part of a pair).
std::size_t escape_length(std::string_view s, std::size_t i) noexcept {
    if (i + 1 >= s.size()) return 0;
    switch (s[i + 1]) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't': return 2;
    case 'u': break;
    default: return 0;
    }
    const int first = hex4(s, i + 2);
    if (first < 0 || (first >= 0xDC00 && first <= 0xDFFF)) return 0;
    if (first < 0xD800 || first > 0xDBFF) return 6;
    if (i + 8 > s.size() || s[i + 6] != '\\' || s[i + 7] != 'u') return 0;
    const int second = hex4(s, i + 8);
    return second >= 0xDC00 && second <= 0xDFFF ? 12 : 0;
}

/// A token for an error message: at most 24 bytes of it, quoted.
std::string quoted_token(std::string_view token) {
    std::string out;
    append_json_string(out, token.substr(0, 24));
    if (token.size() > 24) out.insert(out.size() - 1, "...");
    return out;
}

/// The first thing check_json found wrong in a stored value.
struct JsonProblem {
    enum Kind { none, syntax, not_a_value, too_deep, bad_number, bad_literal };
    Kind kind = none;
    const char* at = nullptr;  ///< the offending token (not for syntax: see the iterator)
    simdjson::error_code error = simdjson::SUCCESS;  ///< for syntax
};

// Checks every token of a stored value: the structure by iterating it, numbers and literals by
// their spelling. Strings were checked by simdjson's stage 1 (UTF-8, control characters,
// termination) except for their escapes, which the caller checks in the minified text. Kept
// free of error formatting (and taking the value by value) so that it stays lean: it runs for
// every token of every stored value.
JsonProblem check_json(od::value value, int depth) noexcept {
    od::json_type type{};
    if (value.type().get(type) != simdjson::SUCCESS) {
        return {JsonProblem::not_a_value, value.raw_json_token().data()};
    }
    switch (type) {
    case od::json_type::object: {
        if (depth > max_json_depth) return {JsonProblem::too_deep, value.raw_json_token().data()};
        od::object members;
        if (auto err = value.get_object().get(members); err) return {JsonProblem::syntax, {}, err};
        for (auto field : members) {
            od::value member;
            if (auto err = field.value().get(member); err) return {JsonProblem::syntax, {}, err};
            if (auto problem = check_json(member, depth + 1); problem.kind != JsonProblem::none) {
                return problem;
            }
        }
        return {};
    }
    case od::json_type::array: {
        if (depth > max_json_depth) return {JsonProblem::too_deep, value.raw_json_token().data()};
        od::array elements;
        if (auto err = value.get_array().get(elements); err) return {JsonProblem::syntax, {}, err};
        for (auto element_result : elements) {
            od::value element;
            if (auto err = element_result.get(element); err) return {JsonProblem::syntax, {}, err};
            if (auto problem = check_json(element, depth + 1); problem.kind != JsonProblem::none) {
                return problem;
            }
        }
        return {};
    }
    case od::json_type::string: {
        // Consumed here, not left to the enclosing iteration: skipping a string that is
        // followed by ':' takes it for a key ({"a": "b": 1} would pass). Anything after the
        // closing quote is a token of its own (stage 1), which the enclosing iteration rejects.
        od::raw_json_string text;
        if (auto err = value.get_raw_json_string().get(text); err) {
            return {JsonProblem::syntax, {}, err};
        }
        return {};
    }
    case od::json_type::number: {
        const auto token = value.raw_json_token();
        if (!valid_number(token)) return {JsonProblem::bad_number, token.data()};
        return {};
    }
    case od::json_type::boolean:
    case od::json_type::null: {
        const auto token = value.raw_json_token();
        if (!valid_literal(token)) return {JsonProblem::bad_literal, token.data()};
        return {};
    }
    }
    return {JsonProblem::not_a_value, value.raw_json_token().data()};
}

/// One ondemand parser per thread, reused across loads so its buffers (sized for the largest
/// document read so far) are not allocated and faulted in again for every cassette.
class ParserLease {
public:
    ParserLease() {
        if (!in_use_) {
            in_use_ = true;
            parser_ = &shared_;
        } else {
            own_ = std::make_unique<od::parser>();
            parser_ = own_.get();
        }
    }
    ~ParserLease() {
        if (!own_) in_use_ = false;
    }
    ParserLease(const ParserLease&) = delete;
    ParserLease& operator=(const ParserLease&) = delete;
    od::parser& parser() { return *parser_; }

private:
    static thread_local od::parser shared_;
    static thread_local bool in_use_;
    std::unique_ptr<od::parser> own_{};
    od::parser* parser_ = nullptr;
};

thread_local od::parser ParserLease::shared_{};
thread_local bool ParserLease::in_use_ = false;

/// Scratch space for minify (which may write up to SIMDJSON_PADDING bytes past the result).
std::string_view minified(std::string_view json, simdjson::error_code& err) {
    thread_local std::unique_ptr<char[]> buffer;
    thread_local std::size_t capacity = 0;
    if (capacity < json.size() + simdjson::SIMDJSON_PADDING) {
        capacity = json.size() + simdjson::SIMDJSON_PADDING;
        buffer = std::make_unique_for_overwrite<char[]>(capacity);
    }
    std::size_t size = 0;
    err = simdjson::minify(json.data(), json.size(), buffer.get(), size);
    return {buffer.get(), size};
}

// Reads a cassette or journal line with simdjson's ondemand API (stage 1 runs on the run-time
// CPU kernel). Every problem is a ParseError located at the offending token.
class Reader {
public:
    Reader(const simdjson::padded_string_view& text, std::string_view source, int first_line)
        : text_(text), source_(source), first_line_(first_line) {}

    Cassette cassette() {
        start();
        Cassette result;
        // The version decides how everything else is read, so check it before anything else,
        // wherever it is in the object.
        check_format_and_version();
        od::value top = doc_value("a cassette object");
        od::object root = object(top, "a cassette object");
        bool have_header = false;
        bool have_interactions = false;
        for (auto field_result : root) {
            od::field& field = member(field_result);
            const std::string_view name = name_of(field);
            od::value& value = field.value();
            if (name == "format") {
                check_format(value);  // again: a second "format" must be valid too
            } else if (name == "version") {
                check_version(value);
            } else if (name == "header") {
                result.header = header(value);
                have_header = true;
            } else if (name == "interactions") {
                od::array list = array(value, "an array of interactions");
                for (auto element : list) {
                    result.interactions.push_back(interaction(element_value(element)));
                }
                have_interactions = true;
            } else {
                unknown(name, "the cassette", "format, version, header, interactions");
            }
        }
        if (!have_header) fail(begin_, "missing required field \"header\" in the cassette");
        if (!have_interactions) {
            fail(begin_, "missing required field \"interactions\" in the cassette");
        }
        finish("the cassette object");
        return result;
    }

    // One journal record: {"redactions": n, "interaction": {...}}.
    std::pair<Interaction, std::int64_t> journal_record() {
        start();
        od::value top = doc_value("a journal record object");
        od::object root = object(top, "a journal record object");
        std::optional<Interaction> result;
        std::int64_t redactions = 0;
        for (auto field_result : root) {
            od::field& field = member(field_result);
            const std::string_view name = name_of(field);
            od::value& value = field.value();
            if (name == "interaction") {
                result = interaction(value);
            } else if (name == "redactions") {
                redactions = integer(value, "redactions", 0);
            } else {
                unknown(name, "a journal line", "interaction, redactions");
            }
        }
        if (!result) fail(begin_, "missing required field \"interaction\" in journal record");
        finish("the journal record");
        return {std::move(*result), redactions};
    }

private:
    void start() {
        begin_ = text_.data();
        if (std::string_view(text_.data(), text_.size()).starts_with(utf8_bom)) {
            fail(begin_,
                 "starts with a UTF-8 byte-order mark (bytes EF BB BF), which JSON does "
                 "not allow: save the file as UTF-8 without a BOM");
        }
        if (auto err = lease_.parser().iterate(text_).get(doc_); err) {
            fail_json(err, "a JSON document");
        }
        doc_ready_ = true;
    }

    // Ondemand stops reading at the end of the top-level value; anything after it is an error.
    void finish(std::string_view what) {
        const char* at = nullptr;
        if (doc_.current_location().get(at) == simdjson::SUCCESS && at != nullptr) {
            fail(at, fmt::format("unexpected {} after the end of {}", quoted_token(token_at(at)),
                                 what));
        }
    }

    od::value doc_value(std::string_view expected) {
        od::value value;
        if (auto err = doc_.get_value().get(value); err) {
            // simdjson's text for this one is advice to its API user, not to ours: a document
            // that is not an object or array, e.g. a line of garbage.
            if (err == simdjson::SCALAR_DOCUMENT_AS_VALUE) {
                const char* at = first_token();
                fail(at, fmt::format("expected {}, got {}", expected, quoted_token(token_at(at))));
            }
            fail_json(err, expected);
        }
        return value;
    }

    // One pass over the top-level object for each (they are normally its first two members,
    // so each pass stops at once), names compared unescaped as everywhere; then back to the
    // start for the real read.
    void check_format_and_version() {
        if (!with_top_member("format", [this](od::value& v) { check_format(v); })) {
            fail(begin_, "missing required field \"format\" (expected \"jubilant-cassette\")");
        }
        if (!with_top_member("version", [this](od::value& v) { check_version(v); })) {
            fail(begin_, "missing required field \"version\" (expected 1)");
        }
    }

    // Calls `read` on the first top-level member named `wanted`, if there is one.
    template <typename Read>
    bool with_top_member(std::string_view wanted, Read read) {
        od::value top = doc_value("a cassette object");
        bool found = false;
        for (auto field_result : object(top, "a cassette object")) {
            od::field& field = member(field_result);
            if (name_of(field) == wanted) {
                read(field.value());
                found = true;
                break;
            }
        }
        doc_.rewind();
        return found;
    }

    void check_format(od::value& value) {
        const char* at = where(value);
        std::string_view format;
        if (auto err = value.get_string().get(format); err) {
            wrong(value, err, "\"format\": \"jubilant-cassette\"");
        }
        if (format != format_name) {
            fail(at, fmt::format("expected \"format\": \"{}\", got \"{}\"", format_name,
                                 std::string(format)));
        }
    }

    void check_version(od::value& value) {
        const char* at = where(value);
        std::int64_t version = 0;
        if (auto err = value.get_int64().get(version); err) {
            wrong(value, err, "an integer for \"version\"");
        }
        if (version != format_version) {
            fail(at, fmt::format("unsupported cassette version {} (this library reads "
                                 "version {})",
                                 version, format_version));
        }
    }

    Header header(od::value& value) {
        const char* at = where(value);
        Header result;
        bool created = false, toolkit = false, from = false, redactions = false;
        for (auto field_result : object(value, "a header object")) {
            od::field& field = member(field_result);
            const std::string_view name = name_of(field);
            od::value& v = field.value();
            if (name == "created") {
                result.created = string(v, "created");
                created = true;
            } else if (name == "toolkit_version") {
                result.toolkit_version = string(v, "toolkit_version");
                toolkit = true;
            } else if (name == "juju_version") {
                if (!is_null(v)) result.juju_version = string(v, "juju_version");
            } else if (name == "recorded_from") {
                result.recorded_from = string(v, "recorded_from");
                from = true;
            } else if (name == "client") {
                if (!is_null(v)) result.client = string(v, "client");
            } else if (name == "redactions") {
                result.redactions = integer(v, "redactions", 0);
                redactions = true;
            } else {
                unknown(name, "header",
                        "created, toolkit_version, juju_version, recorded_from, client, "
                        "redactions");
            }
        }
        if (!created) missing(at, "created", "header");
        if (!toolkit) missing(at, "toolkit_version", "header");
        if (!from) missing(at, "recorded_from", "header");
        if (!redactions) missing(at, "redactions", "header");
        return result;
    }

    Interaction interaction(od::value& value) {
        const char* at = where(value);
        Interaction result;
        bool args = false, returncode = false, out = false, err_seen = false;
        for (auto field_result : object(value, "an interaction object")) {
            od::field& field = member(field_result);
            const std::string_view name = name_of(field);
            od::value& v = field.value();
            if (name == "args") {
                for (auto element : array(v, "an array of arguments")) {
                    od::value& arg = element_value(element);
                    if (type(arg) == od::json_type::object) {
                        result.args.push_back(blob(arg, "args"));
                    } else {
                        result.args.push_back(string(arg, "args[]"));
                    }
                }
                args = true;
            } else if (name == "stdin") {
                if (!is_null(v)) result.stdin_text = blob(v, "stdin");
            } else if (name == "temp_files") {
                for (auto element : array(v, "an array of temp files")) {
                    result.temp_files.push_back(temp_file(element_value(element)));
                }
            } else if (name == "returncode") {
                result.returncode =
                    static_cast<int>(integer(v, "returncode", std::numeric_limits<int>::min(),
                                             std::numeric_limits<int>::max()));
                returncode = true;
            } else if (name == "stdout") {
                result.stdout_text = blob(v, "stdout");
                out = true;
            } else if (name == "stderr") {
                result.stderr_text = blob(v, "stderr");
                err_seen = true;
            } else if (name == "duration_us") {
                result.duration = std::chrono::microseconds(integer(v, "duration_us", 0));
            } else if (name == "timed_out") {
                result.timed_out = boolean(v, "timed_out");
            } else if (name == "timeout_ms") {
                if (!is_null(v))
                    result.timeout = std::chrono::milliseconds(integer(v, "timeout_ms", 0));
            } else {
                unknown(name, "interaction",
                        "args, stdin, temp_files, returncode, stdout, stderr, duration_us, "
                        "timed_out, timeout_ms");
            }
        }
        if (!args) missing(at, "args", "interaction");
        if (!returncode) missing(at, "returncode", "interaction");
        if (!out) missing(at, "stdout", "interaction");
        if (!err_seen) missing(at, "stderr", "interaction");
        return result;
    }

    RecordedTempFile temp_file(od::value& value) {
        const char* at = where(value);
        RecordedTempFile result;
        bool name_seen = false, sensitive = false;
        for (auto field_result : object(value, "a temp file object")) {
            od::field& field = member(field_result);
            const std::string_view name = name_of(field);
            od::value& v = field.value();
            if (name == "name") {
                result.name = string(v, "name");
                name_seen = true;
            } else if (name == "sensitive") {
                result.sensitive = boolean(v, "sensitive");
                sensitive = true;
            } else if (name == "redacted") {
                result.redacted = boolean(v, "redacted");
            } else if (name == "content") {
                if (!is_null(v)) result.content = blob(v, "content");
            } else {
                unknown(name, "temp file", "name, sensitive, redacted, content");
            }
        }
        if (!name_seen) missing(at, "name", "temp file");
        if (!sensitive) missing(at, "sensitive", "temp file");
        return result;
    }

    // {"lines": [...]}, {"newline": b, "json": v} or {"base64": "..."}.
    std::string blob(od::value& value, std::string_view what) {
        const char* at = where(value);
        std::string result;
        int forms = 0;
        std::optional<bool> newline;
        bool json = false;
        for (auto field_result : object(value, R"(an object with "lines", "json" or "base64")")) {
            od::field& field = member(field_result);
            const std::string_view name = name_of(field);
            od::value& v = field.value();
            if (name == "lines") {
                ++forms;
                bool first = true;
                for (auto element : array(v, "an array of strings")) {
                    od::value& line = element_value(element);
                    if (!first) result += '\n';
                    first = false;
                    std::string_view text;
                    if (auto err = get_text(line, text); err) {
                        wrong(line, err, fmt::format("a string in \"{}\".lines", what));
                    }
                    result += text;
                }
            } else if (name == "json") {
                ++forms;
                json = true;
                json_text(v, what, result);
            } else if (name == "newline") {
                newline = boolean(v, "newline");
            } else if (name == "base64") {
                ++forms;
                std::string_view text;
                const char* b64_at = where(v);
                if (auto err = get_text(v, text); err) {
                    wrong(v, err, fmt::format("a base64 string in \"{}\"", what));
                }
                std::size_t bad = 0;
                auto bytes = base64_decode(text, {}, &bad);
                if (!bytes) {
                    fail(b64_at + 1 + std::min(bad, text.size()),
                         fmt::format("invalid base64 in \"{}\" (expected A-Z, a-z, 0-9, '+', '/' "
                                     "and '=' padding, in groups of four)",
                                     what));
                }
                result += *bytes;
            } else {
                unknown(name, fmt::format("\"{}\"", what), "lines, json, newline, base64");
            }
        }
        if (forms != 1) {
            fail(at, fmt::format(R"(expected exactly one of "lines", "json" or "base64" in "{}")",
                                 what));
        }
        if (newline && !json)
            fail(at, fmt::format(R"("newline" in "{}" goes with "json" only)", what));
        if (json && newline.value_or(false)) result += '\n';
        return result;
    }

    // --- stored JSON values ---------------------------------------------------------------

    // Appends the value's source text minus the white space between tokens: the recorded
    // bytes, exactly, for anything the writer stored.
    void json_text(od::value& value, std::string_view what, std::string& out) {
        const char* start = where(value);
        const auto t = type(value);
        if (t != od::json_type::object && t != od::json_type::array) {
            fail(start, fmt::format("expected an object or array in \"{}\".json, got {}", what,
                                    type_name(t)));
        }
        if (const auto problem = check_json(value, 1); problem.kind != JsonProblem::none) {
            json_problem(problem, what);
        }
        // The value is consumed: the iterator is at the next token (the blob's "," or "}").
        const char* end = location();
        if (end < start) fail(start, fmt::format("invalid JSON value in \"{}\".json", what));
        const std::string_view source(start, static_cast<std::size_t>(end - start));
        simdjson::error_code err = simdjson::SUCCESS;
        const std::string_view text = minified(source, err);
        if (err) fail_json(err, fmt::format("a JSON value in \"{}\".json", what));
        // Escapes are checked here, in one pass over the result, rather than string by string:
        // usually there is no backslash at all.
        if (std::memchr(text.data(), '\\', text.size()) != nullptr) {
            check_escapes(text, source, what);
        }
        out.reserve(out.size() + text.size() + 1);  // room for the newline
        out += text;
    }

    [[noreturn]] void json_problem(const JsonProblem& problem, std::string_view what) {
        const auto token = [&] { return quoted_token(token_at(problem.at)); };
        switch (problem.kind) {
        case JsonProblem::syntax:
        case JsonProblem::none:
            fail_json(problem.error, fmt::format("a JSON value in \"{}\".json", what));
        case JsonProblem::not_a_value:
            fail(problem.at,
                 fmt::format("expected a JSON value in \"{}\".json, got {}", what, token()));
        case JsonProblem::too_deep:
            fail(problem.at, fmt::format("\"{}\".json is nested more than {} levels deep", what,
                                         max_json_depth));
        case JsonProblem::bad_number:
            fail(problem.at, fmt::format("invalid number {} in \"{}\".json", token(), what));
        case JsonProblem::bad_literal:
            fail(problem.at, fmt::format("invalid literal {} in \"{}\".json (expected true, "
                                         "false or null)",
                                         token(), what));
        }
        fail(problem.at, "invalid JSON");
    }

    // `text` is `source` minified; both hold the same backslashes, in the same order.
    void check_escapes(std::string_view text, std::string_view source, std::string_view what) {
        for (std::size_t i = text.find('\\'); i != std::string_view::npos; i = text.find('\\', i)) {
            const std::size_t length = escape_length(text, i);
            if (length > 0) {
                i += length;
                continue;
            }
            // Report it where it is in the file: the n-th backslash of the source text.
            auto n = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(i), '\\');
            std::size_t at = source.find('\\');
            while (n-- > 0) at = source.find('\\', at + 1);
            const bool unicode = i + 1 < text.size() && text[i + 1] == 'u';
            fail(source.data() + at, fmt::format("invalid escape {} in a string in \"{}\".json",
                                                 text.substr(i, unicode ? 6 : 2), what));
        }
    }

    // --- typed getters --------------------------------------------------------------------

    // The member of the object being iterated, used in place: iterator results, fields and
    // values are read by reference throughout the reader, because copying one that was just
    // built costs a store-forwarding stall, several per member.
    od::field& member(simdjson::simdjson_result<od::field>& result) {
        if (auto err = result.error(); err) fail_json(err, "an object member");
        return result.value_unsafe();
    }

    // A member's name, valid while the document is read.
    std::string_view name_of(od::field& field) {
        const char* raw = reinterpret_cast<const char*>(field.key().raw());
        last_key_at_ = raw - 1;  // the opening quote
        // A name without escapes is its source bytes (stage 1 checked the string is closed).
        const char* end = raw;
        while (*end != '"' && *end != '\\') ++end;
        if (*end == '"') return {raw, static_cast<std::size_t>(end - raw)};
        std::string_view name;
        if (auto err = field.unescaped_key().get(name); err) fail_json(err, "a member name");
        return name;
    }

    od::value& element_value(simdjson::simdjson_result<od::value>& element) {
        if (auto err = element.error(); err) fail_json(err, "an array element");
        return element.value_unsafe();
    }

    od::json_type type(od::value& value) {
        od::json_type t{};
        if (auto err = value.type().get(t); err) fail_json(err, "a JSON value");
        return t;
    }

    // Consumes the null (skipping it would accept "nullx"), else leaves the value to be read.
    bool is_null(od::value& value) {
        if (type(value) != od::json_type::null) return false;
        bool null = false;
        if (value.is_null().get(null) != simdjson::SUCCESS || !null) {
            fail(where(value), fmt::format("invalid literal {} (expected null)",
                                           quoted_token(token_at(where(value)))));
        }
        return true;
    }

    od::object object(od::value& value, std::string_view expected) {
        od::object result;
        if (auto err = value.get_object().get(result); err) wrong(value, err, expected);
        return result;
    }

    od::array array(od::value& value, std::string_view expected) {
        od::array result;
        if (auto err = value.get_array().get(result); err) wrong(value, err, expected);
        return result;
    }

    // A string's text, valid while the document is read. Without escapes (nearly always) it
    // is the source bytes themselves, which stage 1 has checked (UTF-8, no control characters,
    // closed); only a string with a backslash goes through simdjson's unescaping.
    static simdjson::error_code get_text(od::value& value, std::string_view& text) {
        const std::string_view token = value.raw_json_token();
        if (token.size() >= 2 && token.front() == '"') {
            // The token is the string and any white space after it (stage 1 makes whatever
            // follows the closing quote a token of its own).
            std::size_t end = token.size();
            while (end > 2 && json_space(token[end - 1])) --end;
            const std::string_view content = token.substr(1, end - 2);
            if (token[end - 1] == '"' &&
                std::memchr(content.data(), '\\', content.size()) == nullptr) {
                od::raw_json_string raw;  // consumes the token
                if (auto err = value.get_raw_json_string().get(raw); err) return err;
                text = content;
                return simdjson::SUCCESS;
            }
        }
        return value.get_string().get(text);
    }

    std::string string(od::value& value, std::string_view name) {
        std::string_view text;
        if (auto err = get_text(value, text); err) {
            wrong(value, err, fmt::format("a string for \"{}\"", name));
        }
        return std::string(text);
    }

    bool boolean(od::value& value, std::string_view name) {
        bool result = false;
        if (auto err = value.get_bool().get(result); err) {
            wrong(value, err, fmt::format("true or false for \"{}\"", name));
        }
        return result;
    }

    std::int64_t integer(od::value& value, std::string_view name, std::int64_t min,
                         std::int64_t max = std::numeric_limits<std::int64_t>::max()) {
        const char* at = where(value);
        std::int64_t result = 0;
        if (auto err = value.get_int64().get(result); err) {
            wrong(value, err, fmt::format("an integer for \"{}\"", name));
        }
        if (result < min || result > max) {
            fail(at, fmt::format("expected an integer in [{}, {}] for \"{}\", got {}", min, max,
                                 name, result));
        }
        return result;
    }

    // --- errors ---------------------------------------------------------------------------

    const char* where(od::value& value) { return value.raw_json_token().data(); }

    // The token starting at `at`, for messages: up to white space or punctuation.
    std::string_view token_at(const char* at) const {
        const char* end = begin_ + text_.size();
        const char* p = at;
        if (p < end && std::strchr("{}[]:,", *p) != nullptr) return {at, 1};
        while (p < end && !json_space(*p) && std::strchr("{}[]:,", *p) == nullptr) ++p;
        return {at, static_cast<std::size_t>(p - at)};
    }

    const char* first_token() const {
        const char* end = begin_ + text_.size();
        const char* at = begin_;
        while (at < end && json_space(*at)) ++at;
        return at;
    }

    const char* location() {
        const char* at = nullptr;
        if (!doc_ready_) return begin_;
        if (doc_.current_location().get(at) != simdjson::SUCCESS || at == nullptr) {
            return begin_ + text_.size();
        }
        return at;
    }

    [[noreturn]] void unknown(std::string_view name, std::string_view in,
                              std::string_view accepted) {
        fail(last_key_at_, fmt::format("unknown field \"{}\" in {} (expected one of: {})",
                                       std::string(name), in, accepted));
    }

    [[noreturn]] void missing(const char* at, std::string_view name, std::string_view in) {
        fail(at, fmt::format("missing required field \"{}\" in {}", name, in));
    }

    [[noreturn]] void wrong(od::value& value, simdjson::error_code err, std::string_view expected) {
        if (err != simdjson::INCORRECT_TYPE && err != simdjson::NUMBER_OUT_OF_RANGE) {
            fail_json(err, expected);
        }
        const char* at = where(value);
        od::json_type t{};
        const char* got = value.type().get(t) == simdjson::SUCCESS ? type_name(t) : "invalid";
        if (err == simdjson::NUMBER_OUT_OF_RANGE ||
            (t == od::json_type::number && expected.find("integer") != std::string_view::npos)) {
            got = err == simdjson::NUMBER_OUT_OF_RANGE ? "a number out of range"
                                                       : "a non-integer number";
        }
        fail(at, fmt::format("expected {}, got {}", expected, got));
    }

    [[noreturn]] void fail_json(simdjson::error_code err, std::string_view expected) {
        const char* at = location();
        std::string what;
        switch (err) {
        case simdjson::EMPTY: what = "empty input"; break;
        case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
        case simdjson::UNCLOSED_STRING:
            what = "unexpected end of input (truncated file?)";
            at = begin_ + text_.size();
            break;
        case simdjson::UTF8_ERROR: {
            what = "invalid UTF-8";
            at = first_bad_utf8();
            break;
        }
        default: what = fmt::format("invalid JSON ({})", simdjson::error_message(err));
        }
        // Errors found at the very end of the input mean it stopped too early.
        const char* end = begin_ + text_.size();
        const char* rest = std::max(at, begin_);
        while (rest < end && (*rest == ' ' || *rest == '\n' || *rest == '\r' || *rest == '\t'))
            ++rest;
        if (rest >= end && err != simdjson::EMPTY) {
            what = "unexpected end of input (truncated file?)";
            at = end;
        }
        fail(at, fmt::format("{} while reading {}", what, expected));
    }

    const char* first_bad_utf8() {
        // Only reached on error: find the first byte where validation fails, by bisection on
        // prefixes that end at character starts.
        std::size_t good = 0;
        const std::size_t n = text_.size();
        for (std::size_t i = 0; i < n;) {
            const auto c = static_cast<unsigned char>(text_.data()[i]);
            const std::size_t len = c < 0x80         ? 1
                                    : (c >> 5) == 6  ? 2
                                    : (c >> 4) == 14 ? 3
                                    : (c >> 3) == 30 ? 4
                                                     : 0;
            if (len == 0 || i + len > n || !simdjson::validate_utf8(text_.data() + i, len)) break;
            i += len;
            good = i;
        }
        return begin_ + good;
    }

    [[noreturn]] void fail(const char* at, std::string_view what) {
        std::size_t offset = static_cast<std::size_t>(at - begin_);
        if (at < begin_ || offset > text_.size()) offset = text_.size();
        int line = first_line_;
        std::size_t line_start = 0;
        for (std::size_t i = 0; i < offset; ++i) {
            if (text_.data()[i] == '\n') {
                ++line;
                line_start = i + 1;
            }
        }
        throw ParseError(fmt::format("{}:{}:{}: {}", source_, line, offset - line_start + 1, what));
    }

    simdjson::padded_string_view text_;
    std::string_view source_;
    int first_line_ = 1;
    const char* begin_ = nullptr;
    ParserLease lease_;
    od::document doc_;
    bool doc_ready_ = false;
    const char* last_key_at_ = nullptr;
};

}  // namespace

Cassette parse_padded(const simdjson::padded_string_view& text, std::string_view source,
                      int first_line) {
    Cassette result = Reader(text, source, first_line).cassette();
    result.header.format_version = format_version;
    return result;
}

std::pair<Interaction, std::int64_t> parse_journal_record(std::string_view line,
                                                          std::string_view source,
                                                          int line_number) {
    simdjson::padded_string padded(line);
    return Reader(padded, source, line_number).journal_record();
}

Cassette parse_journal_base(std::string_view line, std::string_view source) {
    simdjson::padded_string padded(line);
    return parse_padded(padded, source, 1);
}

}  // namespace detail

}  // namespace jubilant::cassette
