// A streaming JSON writer: the status document of a 100-unit model is written straight into
// the output string, with no DOM to allocate and free (which dominated a status poll).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "json_escape.hpp"

namespace jubilant::fake {

class JsonOut {
public:
    explicit JsonOut(std::string& out) : out_(out) {}

    JsonOut& begin_object() { return open('{'); }
    JsonOut& end_object() { return close('}'); }
    JsonOut& begin_array() { return open('['); }
    JsonOut& end_array() { return close(']'); }

    /// Starts a member; the next value (or begin_*) is its value.
    JsonOut& key(std::string_view name) {
        separate();
        quote(name);
        out_ += ':';
        after_key_ = true;
        return *this;
    }
    JsonOut& value(std::string_view text) {
        separate();
        quote(text);
        return *this;
    }
    JsonOut& value(const char* text) { return value(std::string_view(text)); }
    JsonOut& value(const std::string& text) { return value(std::string_view(text)); }
    JsonOut& value(std::int64_t n) {
        separate();
        out_ += std::to_string(n);
        return *this;
    }
    JsonOut& value(int n) { return value(static_cast<std::int64_t>(n)); }
    JsonOut& value(std::size_t n) { return value(static_cast<std::int64_t>(n)); }
    JsonOut& value(bool b) {
        separate();
        out_ += b ? "true" : "false";
        return *this;
    }
    /// A member whose value is a string.
    JsonOut& field(std::string_view name, std::string_view text) { return key(name).value(text); }

private:
    JsonOut& open(char c) {
        separate();
        out_ += c;
        first_.push_back(true);
        return *this;
    }
    JsonOut& close(char c) {
        out_ += c;
        first_.pop_back();
        return *this;
    }
    void separate() {
        if (after_key_) {
            after_key_ = false;
            return;
        }
        if (!first_.empty()) {
            if (!first_.back()) out_ += ',';
            first_.back() = false;
        }
    }
    // As Go's encoder (and so juju) writes strings: bytes that are not UTF-8 become U+FFFD,
    // backspace and form feed are \u escapes.
    void quote(std::string_view text) {
        jubilant::text::append_json_string(
            out_, text, {.short_backspace_and_form_feed = false, .replace_invalid_utf8 = true});
    }

    std::string& out_;
    std::vector<bool> first_;
    bool after_key_ = false;
};

}  // namespace jubilant::fake
