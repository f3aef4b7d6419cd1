// Redaction: replaces secrets in a recorded interaction with redacted_marker before it can
// reach disk. JSON output is redacted as JSON (values replaced by the marker string, so it
// stays valid JSON); anything else is treated as YAML-ish text plus free-form patterns.
#include <jubilant/cassette.hpp>

#include <algorithm>
#include <cctype>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

namespace jubilant::cassette {

namespace {

using Json = nlohmann::ordered_json;

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

class Redactor {
public:
    Redactor(const RedactionRules& rules) : rules_(rules) {
        for (const auto& key : rules.sensitive_keys) keys_.push_back(lower(key));
        for (const auto& pattern : rules.patterns) patterns_.emplace_back(pattern);
    }

    std::int64_t count = 0;

    std::string bytes(const std::string& text) {
        if (text.empty()) return text;
        const bool newline = text.back() == '\n';
        const auto first = text.find_first_not_of(" \t\r\n");
        if (first != std::string::npos && (text[first] == '{' || text[first] == '[')) {
            Json doc = Json::parse(text, nullptr, false);
            if (!doc.is_discarded()) {
                const auto before = count;
                walk(doc, Mode::normal);
                if (count == before) return text;  // untouched: keep the exact bytes
                std::string out = doc.dump(-1, ' ', false, Json::error_handler_t::replace);
                if (newline) out += '\n';
                return out;
            }
        }
        return free_text(yaml(text));
    }

    // Arguments are matched on replay, so only free-form secrets are touched there ("secret:x"
    // is a secret URI, not a key-value pair).
    std::string text_only(const std::string& text) { return free_text(text); }

private:
    enum class Mode { normal, secret_data, all_strings };

    bool sensitive(std::string_view key) const {
        const auto k = lower(key);
        return std::any_of(keys_.begin(), keys_.end(), [&](const std::string& s) {
            return !s.empty() && k.find(s) != std::string::npos;
        });
    }

    void replace(Json& value) {
        if (value.is_string() && value.get_ref<const std::string&>() == redacted_marker) return;
        value = std::string(redacted_marker);
        ++count;
    }

    void walk(Json& value, Mode mode) {
        if (value.is_object()) {
            for (auto& [key, child] : value.items()) {
                const auto k = lower(key);
                Mode child_mode = mode;
                if (mode == Mode::normal) {
                    if ((k == "data") || k == "results") child_mode = Mode::all_strings;
                    if (k == "content" && child.is_object()) child_mode = Mode::secret_data;
                    if (sensitive(key)) {
                        if (child.is_object() || child.is_array()) {
                            child_mode = Mode::all_strings;
                        } else if (child.is_string() || child.is_number()) {
                            replace(child);
                            continue;
                        }
                    }
                } else if (mode == Mode::secret_data && (k == "data")) {
                    // show-secret --reveal: content → Data holds the secret's keys and values.
                    child_mode = Mode::all_strings;
                }
                if (child_mode == Mode::all_strings && !child.is_object() && !child.is_array()) {
                    // Strings only: numbers there are return codes and revisions that replay
                    // parsing still needs.
                    if (child.is_string()) replace(child);
                    continue;
                }
                walk(child, child_mode);
            }
        } else if (value.is_array()) {
            for (auto& child : value) {
                if (mode == Mode::all_strings && child.is_string()) {
                    replace(child);
                } else {
                    walk(child, mode);
                }
            }
        } else if (value.is_string()) {
            auto text = value.get<std::string>();
            auto out = free_text(text);
            if (out != text) value = out;
        }
    }

    // `key: value` lines. A sensitive key's value (including a block scalar's lines below it)
    // is replaced, as is every value nested under `data:`/`Data:` or `results:`.
    std::string yaml(const std::string& text) {
        // As in YAML, a key's colon is followed by white space or the end of the line, so a
        // scalar such as a secret URI ("secret:cv3abc...", what add-secret prints) is not a
        // `secret` key and stays intact for replay.
        static const std::regex line_re(R"(^(\s*(?:-\s+)?)([^\s:#][^:]*?):(?:(\s+)(.*))?$)");
        std::string out;
        std::size_t start = 0;
        int region_indent = -1;  // values deeper than this are all redacted
        while (start <= text.size()) {
            auto end = text.find('\n', start);
            const bool last = end == std::string::npos;
            if (last) end = text.size();
            std::string line = text.substr(start, end - start);
            const bool cr = !line.empty() && line.back() == '\r';
            if (cr) line.pop_back();
            const auto indent = static_cast<int>(line.find_first_not_of(' ') == std::string::npos
                                                     ? line.size()
                                                     : line.find_first_not_of(' '));
            const bool blank = line.find_first_not_of(" \t") == std::string::npos;
            if (!blank && region_indent >= 0 && indent <= region_indent) region_indent = -1;
            std::smatch m;
            if (!blank && std::regex_match(line, m, line_re)) {
                const std::string key = m[2].str();
                const std::string value = m[4].str();
                const auto k = lower(key);
                const bool in_region = region_indent >= 0;
                if (value.empty() || value == "|" || value == ">" || value == "|-" ||
                    value == ">-") {
                    if (region_indent < 0 && (sensitive(key) || k == "data" || k == "results")) {
                        region_indent = indent;
                    }
                } else if ((in_region || sensitive(key)) && value != redacted_marker) {
                    line = m[1].str() + key + ":" + (m[3].length() ? m[3].str() : " ") +
                           std::string(redacted_marker);
                    ++count;
                }
            } else if (!blank && region_indent >= 0 &&
                       line.substr(static_cast<std::size_t>(indent)) != redacted_marker) {
                // A block scalar's line or a list item under a redacted key.
                line = line.substr(0, static_cast<std::size_t>(indent)) +
                       std::string(redacted_marker);
                ++count;
            }
            out += line;
            if (cr) out += '\r';
            if (last) break;
            out += '\n';
            start = end + 1;
        }
        return out;
    }

    std::string substitute(const std::string& text, const std::regex& re, const std::string& fmt) {
        std::string out;
        auto begin = std::sregex_iterator(text.begin(), text.end(), re);
        auto last = text.cbegin();
        for (auto it = begin; it != std::sregex_iterator(); ++it) {
            out.append(last, (*it)[0].first);
            out += it->format(fmt);
            last = (*it)[0].second;
            ++count;
        }
        out.append(last, text.cend());
        return out;
    }

    std::string free_text(std::string text) {
        static const std::regex pem(
            R"(-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----)");
        // Case-insensitive, as HTTP auth schemes are (and as `jubilant-cassette lint` looks).
        static const std::regex bearer(R"((\bbearer\s+)[A-Za-z0-9._~+/=-]+)", std::regex::icase);
        static const std::regex url(R"(([A-Za-z][A-Za-z0-9+.-]*://[^\s:/@"']+:)[^\s@/"']+@)");
        const std::string marker(redacted_marker);
        text = substitute(text, pem, "-----BEGIN $1PRIVATE KEY-----" + marker + "-----END $1PRIVATE KEY-----");
        text = substitute(text, bearer, "$1" + marker);
        text = substitute(text, url, "$1" + marker + "@");
        for (const auto& literal : rules_.literals) {
            if (literal.empty()) continue;
            std::size_t at = 0;
            while ((at = text.find(literal, at)) != std::string::npos) {
                text.replace(at, literal.size(), marker);
                at += marker.size();
                ++count;
            }
        }
        for (const auto& re : patterns_) {
            std::string out;
            auto last = text.cbegin();
            for (auto it = std::sregex_iterator(text.begin(), text.end(), re);
                 it != std::sregex_iterator(); ++it) {
                if ((*it)[0].length() == 0) continue;
                out.append(last, (*it)[0].first);
                out += marker;
                last = (*it)[0].second;
                ++count;
            }
            out.append(last, text.cend());
            text = std::move(out);
        }
        return text;
    }

    const RedactionRules& rules_;
    std::vector<std::string> keys_;
    std::vector<std::regex> patterns_;
};

}  // namespace

Interaction redact(const Interaction& interaction, const RedactionRules& rules,
                   std::int64_t* count) {
    Redactor redactor(rules);
    Interaction out = interaction;
    for (auto& file : out.temp_files) {
        if (file.sensitive) {
            if (file.content) ++redactor.count;
            file.content.reset();
            file.redacted = true;
        } else if (file.content) {
            file.content = redactor.bytes(*file.content);
        }
    }
    for (auto& arg : out.args) arg = redactor.text_only(arg);
    if (out.stdin_text) out.stdin_text = redactor.bytes(*out.stdin_text);
    out.stdout_text = redactor.bytes(out.stdout_text);
    out.stderr_text = redactor.bytes(out.stderr_text);
    if (count) *count += redactor.count;
    return out;
}

}  // namespace jubilant::cassette
