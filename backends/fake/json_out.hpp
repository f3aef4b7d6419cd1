// A streaming JSON writer: the status document of a 100-unit model is written straight into
// the output string, with no DOM to allocate and free (which dominated a status poll).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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
    // Bytes that are not UTF-8 become U+FFFD, one per byte, as Go's encoder (and so juju)
    // writes them. Well-formed means RFC 3629's table: no overlong forms, no surrogates,
    // nothing above U+10FFFF.
    static std::size_t utf8_length(std::string_view text, std::size_t i) {
        const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
        const unsigned char lead = byte(i);
        std::size_t n = 0;
        unsigned char second_min = 0x80;
        unsigned char second_max = 0xbf;
        if (lead < 0x80) {
            return 1;
        } else if (lead >= 0xc2 && lead <= 0xdf) {
            n = 2;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            n = 3;
            if (lead == 0xe0) second_min = 0xa0;  // overlong
            if (lead == 0xed) second_max = 0x9f;  // surrogates
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            n = 4;
            if (lead == 0xf0) second_min = 0x90;  // overlong
            if (lead == 0xf4) second_max = 0x8f;  // above U+10FFFF
        } else {
            return 0;
        }
        if (i + n > text.size() || byte(i + 1) < second_min || byte(i + 1) > second_max) return 0;
        for (std::size_t k = 2; k < n; ++k) {
            if ((byte(i + k) & 0xc0) != 0x80) return 0;
        }
        return n;
    }

    void quote(std::string_view text) {
        out_ += '"';
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (static_cast<unsigned char>(c) >= 0x80) {
                const std::size_t n = utf8_length(text, i);
                if (n == 0) {
                    out_ += "\ufffd";
                } else {
                    out_.append(text.substr(i, n));
                    i += n - 1;
                }
                continue;
            }
            switch (c) {
                case '"': out_ += "\\\""; break;
                case '\\': out_ += "\\\\"; break;
                case '\n': out_ += "\\n"; break;
                case '\r': out_ += "\\r"; break;
                case '\t': out_ += "\\t"; break;
                default:
                    if (static_cast<unsigned char>(c) < 0x20) {
                        static constexpr char hex[] = "0123456789abcdef";
                        out_ += "\\u00";
                        out_ += hex[(c >> 4) & 0xf];
                        out_ += hex[c & 0xf];
                    } else {
                        out_ += c;
                    }
            }
        }
        out_ += '"';
    }

    std::string& out_;
    std::vector<bool> first_;
    bool after_key_ = false;
};

}  // namespace jubilant::fake
