// Writing cassettes: a hand-written writer, so the layout is fully under our control (one
// interaction per block, bodies as JSON values or text where that is exact). The format is
// described in docs/reference/cassette-format.md.
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

namespace detail {

// ---------------------------------------------------------------------------------------------
// Compact serialisation of parsed JSON

// The writer stores a JSON value only when this gives back exactly the original bytes, so
// that readers which rebuild the bytes this way (jubilant-cpp before the reader minified the
// value's source text instead) read every cassette exactly too.
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
    // The reader minifies the stored value's source text, which gives these bytes back for
    // any valid JSON; older readers re-serialised the parsed value (serialize() above), so
    // only store a JSON value when that gives exactly these bytes back too: "1.0", "\u003c"
    // and the like fall back to lines.
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
    out_.append(2 * static_cast<std::size_t>(depth_), ' ');
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

void Writer::string(std::string_view text) { append_json_string(out_, text); }

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
                               header.juju_version.value_or("") + header.client.value_or(""));
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
    // Optional and written only when set, so cassettes recorded by C++ tests keep their bytes.
    if (header.client) {
        w.key("client");
        w.string(*header.client);
    }
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

}  // namespace detail

}  // namespace jubilant::cassette
