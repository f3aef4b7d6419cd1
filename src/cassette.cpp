// Cassette format: reading (simdjson ondemand), writing (hand-written, so the layout is fully
// under our control) and atomic saving. The format is described in
// docs/reference/cassette-format.md; the journal lives in cassette_journal.cpp.
#include <jubilant/cassette.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include <jubilant/errors.hpp>

#include "cassette_internal.hpp"

namespace jubilant::cassette {

namespace od = simdjson::ondemand;

namespace detail {

// ---------------------------------------------------------------------------------------------
// Byte helpers

bool valid_utf8(std::string_view text) noexcept {
    return simdjson::validate_utf8(text.data(), text.size());
}

namespace {

constexpr std::string_view b64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const auto n = (std::uint32_t(std::uint8_t(bytes[i])) << 16) |
                       (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8) |
                       std::uint32_t(std::uint8_t(bytes[i + 2]));
        out += b64_alphabet[(n >> 18) & 63];
        out += b64_alphabet[(n >> 12) & 63];
        out += b64_alphabet[(n >> 6) & 63];
        out += b64_alphabet[n & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t n = std::uint32_t(std::uint8_t(bytes[i])) << 16;
        if (rest == 2) n |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
        out += b64_alphabet[(n >> 18) & 63];
        out += b64_alphabet[(n >> 12) & 63];
        out += rest == 2 ? b64_alphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text, std::size_t* bad_at) {
    // Strict: padded, no whitespace, no stray characters, so a hand edit that damages the
    // data is reported rather than silently producing different bytes.
    if (text.size() % 4 != 0) {
        if (bad_at) *bad_at = text.size();
        return std::nullopt;
    }
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        int v[4];
        int pad = 0;
        for (int j = 0; j < 4; ++j) {
            const char c = text[i + j];
            const bool last_group = i + 4 == text.size();
            if (c == '=' && last_group && j >= 2 && (j == 3 || text[i + 3] == '=')) {
                v[j] = 0;
                ++pad;
                continue;
            }
            v[j] = b64_value(c);
            if (v[j] < 0 || pad > 0) {
                if (bad_at) *bad_at = i + j;
                return std::nullopt;
            }
        }
        const auto n = (std::uint32_t(v[0]) << 18) | (std::uint32_t(v[1]) << 12) |
                       (std::uint32_t(v[2]) << 6) | std::uint32_t(v[3]);
        out += char((n >> 16) & 0xff);
        if (pad < 2) out += char((n >> 8) & 0xff);
        if (pad < 1) out += char(n & 0xff);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Compact serialisation of parsed JSON

// The reader rebuilds stored stdout from the parsed value with this, and the writer stores a
// JSON value only when this gives back exactly the original bytes. (A hand-written tape walker
// measured slower than simdjson's builder; the real fix is to minify the source span instead,
// see the note in docs/reference/cassette-format.md.)
void serialize(simdjson::dom::element value, std::string& out) {
    thread_local simdjson::internal::string_builder<> builder;
    builder.clear();
    builder.append(value);
    out += builder.str();
}

// ---------------------------------------------------------------------------------------------
// Writing

namespace {

// Whether `body` is a JSON object or array with no whitespace outside strings, i.e. exactly
// what minifying its pretty-printed form gives back. Only then can it be stored as a JSON value
// and still round-trip byte for byte (number spelling, key order and escapes are kept because
// the writer re-indents the original tokens rather than re-serialising a parsed value).
bool is_minified_json(std::string_view body) {
    if (body.size() < 2 || (body.front() != '{' && body.front() != '[')) return false;
    bool in_string = false;
    bool escaped = false;
    for (const char c : body) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            return false;
        }
    }
    // The reader rebuilds the bytes by re-serialising the parsed value (serialize() above), so
    // only store a JSON value when that gives exactly these bytes back: "1.0", "\u003c" and
    // the like fall back to lines.
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return false;
    std::string again;
    again.reserve(body.size());
    serialize(root, again);
    return again == body;
}

}  // namespace

void Writer::newline() {
    if (!pretty_) return;
    out_ += '\n';
    out_.append(static_cast<std::size_t>(2 * depth_), ' ');
}

void Writer::begin(char bracket) {
    out_ += bracket;
    ++depth_;
    first_.push_back(true);
}

void Writer::end(char bracket) {
    --depth_;
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_ += bracket;
}

void Writer::item() {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    newline();
}

void Writer::key(std::string_view name) {
    item();
    string(name);
    out_ += pretty_ ? ": " : ":";
}

void Writer::string(std::string_view text) {
    out_ += '"';
    for (const char c : text) {
        switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                fmt::format_to(std::back_inserter(out_), "\\u{:04x}", static_cast<unsigned>(c));
            } else {
                out_ += c;
            }
        }
    }
    out_ += '"';
}

void Writer::raw(std::string_view text) { out_ += text; }

void Writer::json_value(std::string_view minified) {
    if (!pretty_) {
        out_ += minified;
        return;
    }
    bool in_string = false;
    bool escaped = false;
    for (std::size_t i = 0; i < minified.size(); ++i) {
        const char c = minified[i];
        if (in_string) {
            out_ += c;
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        switch (c) {
        case '"':
            in_string = true;
            out_ += c;
            break;
        case '{':
        case '[': {
            const char close = c == '{' ? '}' : ']';
            if (i + 1 < minified.size() && minified[i + 1] == close) {
                out_ += c;
                out_ += close;
                ++i;
            } else {
                out_ += c;
                ++depth_;
                newline();
            }
            break;
        }
        case '}':
        case ']':
            --depth_;
            newline();
            out_ += c;
            break;
        case ',':
            out_ += c;
            newline();
            break;
        case ':': out_ += ": "; break;
        default: out_ += c;
        }
    }
}

void Writer::blob(std::string_view bytes) {
    begin('{');
    if (!valid_utf8(bytes)) {
        key("base64");
        string(base64_encode(bytes));
        end('}');
        return;
    }
    std::string_view body = bytes;
    const bool newline_at_end = !body.empty() && body.back() == '\n';
    if (newline_at_end) body.remove_suffix(1);
    if (is_minified_json(body)) {
        key("newline");
        raw(newline_at_end ? "true" : "false");
        key("json");
        json_value(body);
        end('}');
        return;
    }
    key("lines");
    begin('[');
    if (!bytes.empty()) {
        std::size_t start = 0;
        while (true) {
            const auto nl = bytes.find('\n', start);
            item();
            if (nl == std::string_view::npos) {
                string(bytes.substr(start));
                break;
            }
            string(bytes.substr(start, nl - start));
            start = nl + 1;
        }
    }
    end(']');
    end('}');
}

namespace {

void checked_text(std::string_view what, std::string_view text) {
    if (!valid_utf8(text)) {
        throw Error(fmt::format("cassette: {} is not valid UTF-8 and cannot be written", what));
    }
}

}  // namespace

void write_header(Writer& w, const Header& header) {
    checked_text("header", header.created + header.toolkit_version + header.recorded_from +
                               header.juju_version.value_or(""));
    w.begin('{');
    w.key("created");
    w.string(header.created);
    w.key("toolkit_version");
    w.string(header.toolkit_version);
    w.key("juju_version");
    if (header.juju_version) {
        w.string(*header.juju_version);
    } else {
        w.raw("null");
    }
    w.key("recorded_from");
    w.string(header.recorded_from);
    w.key("redactions");
    w.raw(std::to_string(header.redactions));
    w.end('}');
}

void write_interaction(Writer& w, const Interaction& in) {
    w.begin('{');
    w.key("args");
    w.begin('[');
    for (const auto& arg : in.args) {
        w.item();
        if (valid_utf8(arg)) {
            w.string(arg);
        } else {
            w.begin('{');
            w.key("base64");
            w.string(base64_encode(arg));
            w.end('}');
        }
    }
    w.end(']');
    w.key("stdin");
    if (in.stdin_text) {
        w.blob(*in.stdin_text);
    } else {
        w.raw("null");
    }
    w.key("temp_files");
    w.begin('[');
    for (const auto& file : in.temp_files) {
        checked_text("temp file name", file.name);
        w.item();
        w.begin('{');
        w.key("name");
        w.string(file.name);
        w.key("sensitive");
        w.raw(file.sensitive ? "true" : "false");
        // Sensitive content never reaches disk, whatever the caller left in the struct.
        const bool drop = file.sensitive && file.content.has_value();
        w.key("redacted");
        w.raw(file.redacted || drop ? "true" : "false");
        if (file.content && !file.sensitive) {
            w.key("content");
            w.blob(*file.content);
        }
        w.end('}');
    }
    w.end(']');
    w.key("returncode");
    w.raw(std::to_string(in.returncode));
    w.key("stdout");
    w.blob(in.stdout_text);
    w.key("stderr");
    w.blob(in.stderr_text);
    w.key("duration_us");
    w.raw(std::to_string(in.duration.count()));
    w.key("timed_out");
    w.raw(in.timed_out ? "true" : "false");
    w.key("timeout_ms");
    if (in.timeout) {
        w.raw(std::to_string(in.timeout->count()));
    } else {
        w.raw("null");
    }
    w.end('}');
}

void write_cassette(Writer& w, const Cassette& cassette) {
    w.begin('{');
    w.key("format");
    w.string(format_name);
    w.key("version");
    w.raw(std::to_string(format_version));
    w.key("header");
    write_header(w, cassette.header);
    w.key("interactions");
    w.begin('[');
    for (const auto& interaction : cassette.interactions) {
        w.item();
        write_interaction(w, interaction);
    }
    w.end(']');
    w.end('}');
}

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

class Reader {
public:
    Reader(const simdjson::padded_string_view& text, std::string_view source, int first_line)
        : text_(text), source_(source), first_line_(first_line) {}

    Cassette cassette() {
        start();
        Cassette result;
        // The version decides how everything else is read, so check it before anything else,
        // wherever it is in the object.
        od::object root = object(doc_value(), "a cassette object");
        check_format_and_version(root);
        doc_.rewind();
        root = object(doc_value(), "a cassette object");
        bool have_header = false;
        bool have_interactions = false;
        for (auto field_result : root) {
            od::field field;
            const std::string_view name = key(field_result, field);
            od::value value = field_value(field);
            if (name == "format" || name == "version") {
                skip(value);
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
                unknown(name, field);
            }
        }
        if (!have_header) fail(begin_, "missing required field \"header\" in the cassette");
        if (!have_interactions) {
            fail(begin_, "missing required field \"interactions\" in the cassette");
        }
        finish();
        return result;
    }

    // One journal record: {"redactions": n, "interaction": {...}}.
    std::pair<Interaction, std::int64_t> journal_record() {
        start();
        od::object root = object(doc_value(), "a journal record object");
        std::optional<Interaction> result;
        std::int64_t redactions = 0;
        for (auto field_result : root) {
            od::field field;
            const std::string_view name = key(field_result, field);
            od::value value = field_value(field);
            if (name == "interaction") {
                result = interaction(value);
            } else if (name == "redactions") {
                redactions = integer(value, "redactions", 0);
            } else {
                unknown(name, field);
            }
        }
        if (!result) fail(begin_, "missing required field \"interaction\" in journal record");
        finish();
        return {std::move(*result), redactions};
    }

private:
    void start() {
        begin_ = text_.data();
        if (auto err = parser_.iterate(text_).get(doc_); err) fail_json(err, "a JSON document");
        doc_ready_ = true;
    }

    void finish() {}

    od::value doc_value() {
        od::value value;
        if (auto err = doc_.get_value().get(value); err) fail_json(err, "a JSON object");
        return value;
    }

    void check_format_and_version(od::object& root) {
        od::value value;
        if (auto err = root.find_field_unordered("format").get(value); err) {
            if (err == simdjson::NO_SUCH_FIELD) {
                fail(begin_, "missing required field \"format\" (expected \"jubilant-cassette\")");
            }
            fail_json(err, "\"format\": \"jubilant-cassette\"");
        }
        const char* at = where(value);
        std::string_view format;
        if (auto err = value.get_string().get(format); err) {
            wrong(value, err, "\"format\": \"jubilant-cassette\"");
        }
        if (format != format_name) {
            fail(at, fmt::format("expected \"format\": \"{}\", got \"{}\"", format_name,
                                 std::string(format)));
        }
        if (auto err = root.find_field_unordered("version").get(value); err) {
            if (err == simdjson::NO_SUCH_FIELD) {
                fail(begin_, "missing required field \"version\" (expected 1)");
            }
            fail_json(err, "\"version\": 1");
        }
        at = where(value);
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

    Header header(od::value value) {
        const char* at = where(value);
        Header result;
        bool created = false, toolkit = false, from = false, redactions = false;
        for (auto field_result : object(value, "a header object")) {
            od::field field;
            const std::string_view name = key(field_result, field);
            od::value v = field_value(field);
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
            } else if (name == "redactions") {
                result.redactions = integer(v, "redactions", 0);
                redactions = true;
            } else {
                unknown(name, field);
            }
        }
        if (!created) missing(at, "created", "header");
        if (!toolkit) missing(at, "toolkit_version", "header");
        if (!from) missing(at, "recorded_from", "header");
        if (!redactions) missing(at, "redactions", "header");
        return result;
    }

    Interaction interaction(od::value value) {
        const char* at = where(value);
        Interaction result;
        bool args = false, returncode = false, out = false, err_seen = false;
        for (auto field_result : object(value, "an interaction object")) {
            od::field field;
            const std::string_view name = key(field_result, field);
            od::value v = field_value(field);
            if (name == "args") {
                for (auto element : array(v, "an array of arguments")) {
                    od::value arg = element_value(element);
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
                result.returncode = static_cast<int>(integer(
                    v, "returncode", std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
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
                if (!is_null(v)) result.timeout = std::chrono::milliseconds(integer(v, "timeout_ms", 0));
            } else {
                unknown(name, field);
            }
        }
        if (!args) missing(at, "args", "interaction");
        if (!returncode) missing(at, "returncode", "interaction");
        if (!out) missing(at, "stdout", "interaction");
        if (!err_seen) missing(at, "stderr", "interaction");
        return result;
    }

    RecordedTempFile temp_file(od::value value) {
        const char* at = where(value);
        RecordedTempFile result;
        bool name_seen = false, sensitive = false;
        for (auto field_result : object(value, "a temp file object")) {
            od::field field;
            const std::string_view name = key(field_result, field);
            od::value v = field_value(field);
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
                unknown(name, field);
            }
        }
        if (!name_seen) missing(at, "name", "temp file");
        if (!sensitive) missing(at, "sensitive", "temp file");
        return result;
    }

    // {"lines": [...]}, {"newline": b, "json": v} or {"base64": "..."}.
    std::string blob(od::value value, std::string_view what) {
        const char* at = where(value);
        std::string result;
        int forms = 0;
        std::optional<bool> newline;
        bool json = false;
        for (auto field_result : object(value, R"(an object with "lines", "json" or "base64")")) {
            od::field field;
            const std::string_view name = key(field_result, field);
            od::value v = field_value(field);
            if (name == "lines") {
                ++forms;
                bool first = true;
                for (auto element : array(v, "an array of strings")) {
                    od::value line = element_value(element);
                    if (!first) result += '\n';
                    first = false;
                    std::string_view text;
                    if (auto err = line.get_string().get(text); err) {
                        wrong(line, err, fmt::format("a string in \"{}\".lines", what));
                    }
                    result += text;
                }
            } else if (name == "json") {
                ++forms;
                json = true;
                const auto t = type(v);
                if (t != od::json_type::object && t != od::json_type::array) {
                    fail(where(v), fmt::format("expected an object or array in \"{}\".json, got {}",
                                               what, type_name(t)));
                }
                // Only reached when the fast DOM reader failed: the value is validated there.
            } else if (name == "newline") {
                newline = boolean(v, "newline");
            } else if (name == "base64") {
                ++forms;
                std::string_view text;
                const char* b64_at = where(v);
                if (auto err = v.get_string().get(text); err) {
                    wrong(v, err, fmt::format("a base64 string in \"{}\"", what));
                }
                std::size_t bad = 0;
                auto bytes = base64_decode(text, &bad);
                if (!bytes) {
                    fail(b64_at + 1 + std::min(bad, text.size()),
                         fmt::format("invalid base64 in \"{}\" (expected A-Z, a-z, 0-9, '+', '/' "
                                     "and '=' padding, in groups of four)",
                                     what));
                }
                result += *bytes;
            } else {
                unknown(name, field);
            }
        }
        if (forms != 1) {
            fail(at, fmt::format(R"(expected exactly one of "lines", "json" or "base64" in "{}")",
                                 what));
        }
        if (newline && !json) fail(at, fmt::format(R"("newline" in "{}" goes with "json" only)", what));
        if (json && newline.value_or(false)) result += '\n';
        return result;
    }

    // --- typed getters --------------------------------------------------------------------

    std::string_view key(simdjson::simdjson_result<od::field>& result, od::field& field) {
        if (auto err = std::move(result).get(field); err) fail_json(err, "an object member");
        std::string_view name;
        if (auto err = field.unescaped_key().get(name); err) fail_json(err, "a member name");
        last_key_ = name;
        return last_key_;
    }

    od::value field_value(od::field& field) { return field.value(); }

    od::value element_value(simdjson::simdjson_result<od::value> element) {
        od::value value;
        if (auto err = std::move(element).get(value); err) fail_json(err, "an array element");
        return value;
    }

    od::json_type type(od::value& value) {
        od::json_type t{};
        if (auto err = value.type().get(t); err) fail_json(err, "a JSON value");
        return t;
    }

    bool is_null(od::value& value) { return type(value) == od::json_type::null; }

    od::object object(od::value value, std::string_view expected) {
        od::object result;
        if (auto err = value.get_object().get(result); err) wrong(value, err, expected);
        return result;
    }

    od::array array(od::value value, std::string_view expected) {
        od::array result;
        if (auto err = value.get_array().get(result); err) wrong(value, err, expected);
        return result;
    }

    std::string string(od::value value, std::string_view name) {
        std::string_view text;
        if (auto err = value.get_string().get(text); err) {
            wrong(value, err, fmt::format("a string for \"{}\"", name));
        }
        return std::string(text);
    }

    bool boolean(od::value value, std::string_view name) {
        bool result = false;
        if (auto err = value.get_bool().get(result); err) {
            wrong(value, err, fmt::format("true or false for \"{}\"", name));
        }
        return result;
    }

    std::int64_t integer(od::value value, std::string_view name, std::int64_t min,
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

    void skip(od::value&) {}  // the enclosing object's iteration skips it

    // --- errors ---------------------------------------------------------------------------

    const char* where(od::value& value) { return value.raw_json_token().data(); }

    const char* location() {
        const char* at = nullptr;
        if (!doc_ready_) return begin_;
        if (doc_.current_location().get(at) != simdjson::SUCCESS || at == nullptr) {
            return begin_ + text_.size();
        }
        return at;
    }

    [[noreturn]] void unknown(std::string_view name, od::field& field) {
        const char* at = field.key().raw() - 1;  // the opening quote
        fail(at, fmt::format("unknown field \"{}\"", std::string(name)));
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
        while (rest < end && (*rest == ' ' || *rest == '\n' || *rest == '\r' || *rest == '\t')) ++rest;
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
            const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
                                                 : (c >> 3) == 30 ? 4 : 0;
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
    od::parser parser_;
    od::document doc_;
    bool doc_ready_ = false;
    std::string last_key_;
};


// The fast path: a DOM parse (simdjson picks the best kernel for the CPU at run time) and a
// walk over it. The DOM knows no source positions, so any problem is reported by throwing
// Unlocated, and parse_padded then re-reads the input with the ondemand Reader above, which
// knows where it is, to produce the line and column.
struct Unlocated {
    std::string what;
};

class DomReader {
public:
    using element = simdjson::dom::element;
    using object = simdjson::dom::object;

    Cassette cassette(element root) {
        object top = as_object(root, "a cassette object");
        std::string_view format;
        if (top["format"].get_string().get(format) || format != format_name) {
            throw Unlocated{"bad \"format\""};
        }
        std::int64_t version = 0;
        if (top["version"].get_int64().get(version) || version != format_version) {
            throw Unlocated{"bad \"version\""};
        }
        Cassette result;
        bool have_header = false, have_interactions = false;
        for (auto [name, value] : top) {
            if (name == "format" || name == "version") continue;
            if (name == "header") {
                result.header = header(value);
                have_header = true;
            } else if (name == "interactions") {
                simdjson::dom::array list;
                if (value.get_array().get(list)) throw Unlocated{"interactions"};
                result.interactions.reserve(list.size());
                for (element item : list) result.interactions.push_back(interaction(item));
                have_interactions = true;
            } else {
                throw Unlocated{"unknown field"};
            }
        }
        if (!have_header || !have_interactions) throw Unlocated{"missing field"};
        return result;
    }

    std::pair<Interaction, std::int64_t> journal_record(element root) {
        std::optional<Interaction> result;
        std::int64_t redactions = 0;
        for (auto [name, value] : as_object(root, "a journal record")) {
            if (name == "interaction") {
                result = interaction(value);
            } else if (name == "redactions") {
                redactions = integer(value, 0);
            } else {
                throw Unlocated{"unknown field"};
            }
        }
        if (!result) throw Unlocated{"missing interaction"};
        return {std::move(*result), redactions};
    }

private:
    static object as_object(element value, const char* what) {
        object result;
        if (value.get_object().get(result)) throw Unlocated{what};
        return result;
    }

    static std::string string(element value) {
        std::string_view text;
        if (value.get_string().get(text)) throw Unlocated{"string"};
        return std::string(text);
    }

    static bool boolean(element value) {
        bool result = false;
        if (value.get_bool().get(result)) throw Unlocated{"bool"};
        return result;
    }

    static std::int64_t integer(element value, std::int64_t min,
                                std::int64_t max = std::numeric_limits<std::int64_t>::max()) {
        std::int64_t result = 0;
        if (value.get_int64().get(result) || result < min || result > max) {
            throw Unlocated{"integer"};
        }
        return result;
    }

    Header header(element value) {
        Header result;
        int seen = 0;
        for (auto [name, v] : as_object(value, "header")) {
            if (name == "created") {
                result.created = string(v);
                seen |= 1;
            } else if (name == "toolkit_version") {
                result.toolkit_version = string(v);
                seen |= 2;
            } else if (name == "juju_version") {
                if (!v.is_null()) result.juju_version = string(v);
            } else if (name == "recorded_from") {
                result.recorded_from = string(v);
                seen |= 4;
            } else if (name == "redactions") {
                result.redactions = integer(v, 0);
                seen |= 8;
            } else {
                throw Unlocated{"unknown field"};
            }
        }
        if (seen != 15) throw Unlocated{"missing field"};
        return result;
    }

    Interaction interaction(element value) {
        Interaction result;
        int seen = 0;
        for (auto [name, v] : as_object(value, "interaction")) {
            if (name == "args") {
                simdjson::dom::array list;
                if (v.get_array().get(list)) throw Unlocated{"args"};
                for (element arg : list) {
                    result.args.push_back(arg.is_object() ? blob(arg) : string(arg));
                }
                seen |= 1;
            } else if (name == "stdin") {
                if (!v.is_null()) result.stdin_text = blob(v);
            } else if (name == "temp_files") {
                simdjson::dom::array list;
                if (v.get_array().get(list)) throw Unlocated{"temp_files"};
                for (element file : list) result.temp_files.push_back(temp_file(file));
            } else if (name == "returncode") {
                result.returncode = static_cast<int>(integer(
                    v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
                seen |= 2;
            } else if (name == "stdout") {
                result.stdout_text = blob(v);
                seen |= 4;
            } else if (name == "stderr") {
                result.stderr_text = blob(v);
                seen |= 8;
            } else if (name == "duration_us") {
                result.duration = std::chrono::microseconds(integer(v, 0));
            } else if (name == "timed_out") {
                result.timed_out = boolean(v);
            } else if (name == "timeout_ms") {
                if (!v.is_null()) result.timeout = std::chrono::milliseconds(integer(v, 0));
            } else {
                throw Unlocated{"unknown field"};
            }
        }
        if (seen != 15) throw Unlocated{"missing field"};
        return result;
    }

    RecordedTempFile temp_file(element value) {
        RecordedTempFile result;
        int seen = 0;
        for (auto [name, v] : as_object(value, "temp file")) {
            if (name == "name") {
                result.name = string(v);
                seen |= 1;
            } else if (name == "sensitive") {
                result.sensitive = boolean(v);
                seen |= 2;
            } else if (name == "redacted") {
                result.redacted = boolean(v);
            } else if (name == "content") {
                if (!v.is_null()) result.content = blob(v);
            } else {
                throw Unlocated{"unknown field"};
            }
        }
        if (seen != 3) throw Unlocated{"missing field"};
        return result;
    }

    std::string blob(element value) {
        std::string result;
        int forms = 0;
        std::optional<bool> newline;
        bool json = false;
        for (auto [name, v] : as_object(value, "blob")) {
            if (name == "lines") {
                ++forms;
                simdjson::dom::array list;
                if (v.get_array().get(list)) throw Unlocated{"lines"};
                bool first = true;
                for (element line : list) {
                    std::string_view text;
                    if (line.get_string().get(text)) throw Unlocated{"line"};
                    if (!first) result += '\n';
                    first = false;
                    result += text;
                }
            } else if (name == "json") {
                ++forms;
                json = true;
                if (!v.is_object() && !v.is_array()) throw Unlocated{"json"};
                serialize(v, result);
            } else if (name == "newline") {
                newline = boolean(v);
            } else if (name == "base64") {
                ++forms;
                std::string_view text;
                if (v.get_string().get(text)) throw Unlocated{"base64"};
                auto bytes = base64_decode(text);
                if (!bytes) throw Unlocated{"base64"};
                result += *bytes;
            } else {
                throw Unlocated{"unknown field"};
            }
        }
        if (forms != 1 || (newline && !json)) throw Unlocated{"blob"};
        if (newline.value_or(false)) result += '\n';
        return result;
    }
};

Cassette parse_any(const simdjson::padded_string_view& text, std::string_view source,
                   int first_line, bool journal_record,
                   std::pair<Interaction, std::int64_t>* record) {
    thread_local simdjson::dom::parser parser;
    std::string what;
    simdjson::dom::element root;
    if (auto err = parser.parse(text.data(), text.size(), false).get(root); err) {
        what = simdjson::error_message(err);
    } else {
        try {
            DomReader reader;
            if (journal_record) {
                *record = reader.journal_record(root);
                return {};
            }
            return reader.cassette(root);
        } catch (const Unlocated& e) {
            what = e.what;
        }
    }
    // Slow path, errors only: the ondemand reader reports the position.
    Reader reader(text, source, first_line);
    if (journal_record) {
        reader.journal_record();
    } else {
        reader.cassette();
    }
    throw ParseError(fmt::format("{}:{}:1: invalid cassette ({})", source, first_line, what));
}

}  // namespace

Cassette parse_padded(const simdjson::padded_string_view& text, std::string_view source,
                      int first_line) {
    Cassette result = parse_any(text, source, first_line, false, nullptr);
    result.header.format_version = format_version;
    return result;
}

std::pair<Interaction, std::int64_t> parse_journal_record(std::string_view line,
                                                          std::string_view source,
                                                          int line_number) {
    simdjson::padded_string padded(line);
    std::pair<Interaction, std::int64_t> record;
    parse_any(padded, source, line_number, true, &record);
    return record;
}

Cassette parse_journal_base(std::string_view line, std::string_view source) {
    simdjson::padded_string padded(line);
    return parse_padded(padded, source, 1);
}

std::string compact_json(const Cassette& cassette) {
    Writer w(false);
    write_cassette(w, cassette);
    return w.take();
}

std::string compact_record(const Interaction& interaction, std::int64_t redactions) {
    Writer w(false);
    w.begin('{');
    w.key("redactions");
    w.raw(std::to_string(redactions));
    w.key("interaction");
    write_interaction(w, interaction);
    w.end('}');
    return w.take();
}

// ---------------------------------------------------------------------------------------------
// Files

namespace {

std::string errno_text(int err) { return std::strerror(err); }

void write_all(int fd, std::string_view data, const std::filesystem::path& path) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(fmt::format("cannot write {}: {}", path.string(), errno_text(errno)));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

void write_fully(int fd, std::string_view data, const std::filesystem::path& path) {
    write_all(fd, data, path);
}

void fsync_directory(const std::filesystem::path& file) {
    auto dir = file.parent_path();
    if (dir.empty()) dir = ".";
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;  // best effort: the rename itself already happened
    ::fsync(fd);
    ::close(fd);
}

void write_atomically(const std::filesystem::path& path, std::string_view data) {
    auto dir = path.parent_path();
    std::string tmpl = (dir.empty() ? std::filesystem::path(".") : dir).string() + "/." +
                       path.filename().string() + ".tmp-XXXXXX";
    const int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
    if (fd < 0) {
        throw Error(fmt::format("cannot create a temporary file next to {}: {}", path.string(),
                                errno_text(errno)));
    }
    try {
        // mkstemp already creates 0600; say so explicitly, since the rename replaces whatever
        // mode an existing cassette had.
        if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
            throw Error(fmt::format("cannot chmod {}: {}", tmpl, errno_text(errno)));
        }
        write_all(fd, data, tmpl);
        if (::fsync(fd) != 0) {
            throw Error(fmt::format("cannot fsync {}: {}", tmpl, errno_text(errno)));
        }
        if (::close(fd) != 0) {
            throw Error(fmt::format("cannot close {}: {}", tmpl, errno_text(errno)));
        }
    } catch (...) {
        ::close(fd);
        ::unlink(tmpl.c_str());
        throw;
    }
    if (::rename(tmpl.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmpl.c_str());
        throw Error(fmt::format("cannot rename {} to {}: {}", tmpl, path.string(),
                                errno_text(err)));
    }
    fsync_directory(path);
}

simdjson::padded_string read_padded(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(fmt::format("cannot open {}: {}", path.string(), errno_text(errno)));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        throw Error(fmt::format("cannot stat {}: {}", path.string(), errno_text(err)));
    }
    simdjson::padded_string text(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::read(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : 0;
            ::close(fd);
            throw Error(fmt::format("cannot read {}: {}", path.string(),
                                    n < 0 ? errno_text(err) : "file shrank while reading"));
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return text;
}

}  // namespace detail

// -------------------------------------------------------------------------------------------------

Cassette Cassette::parse(std::string_view json, std::string_view source) {
    simdjson::padded_string padded(json);
    return detail::parse_padded(padded, source, 1);
}

Cassette Cassette::load(const std::filesystem::path& path) {
    if (auto recovered = detail::recover_journal(path)) return std::move(*recovered);
    const auto text = detail::read_padded(path);
    return detail::parse_padded(text, path.string(), 1);
}

std::string Cassette::to_json() const {
    detail::Writer w(true);
    detail::write_cassette(w, *this);
    std::string out = w.take();
    out += '\n';
    return out;
}

void Cassette::save(const std::filesystem::path& path) const {
    detail::write_atomically(path, to_json());
}

}  // namespace jubilant::cassette
