#include <jubilant/version.hpp>

#include <charconv>
#include <ostream>

#include <jubilant/errors.hpp>
#include <jubilant/value.hpp>

#include "types/json_reader.hpp"
#include "text/scan.hpp"

namespace jubilant {
namespace {

using text_scan::take_char;
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }

// Consumes one or more ASCII digits as an int; false when there are none or they overflow.
bool take_number(std::string_view& text, int& out) {
    std::size_t length = 0;
    while (length < text.size() && is_digit(text[length])) ++length;
    if (length == 0) return false;
    const auto result = std::from_chars(text.data(), text.data() + length, out);
    if (result.ec != std::errc{}) return false;
    text.remove_prefix(length);
    return true;
}

// Juju's version patterns all end in "-<release>-<arch>", where neither part is empty or
// contains a '-'; `text` is what follows the numbers, leading '-' included.
bool parse_release_arch(std::string_view text, Version& out) {
    if (!take_char(text, '-')) return false;
    const std::size_t dash = text.find('-');
    if (dash == std::string_view::npos || dash == 0 || dash + 1 == text.size()) return false;
    const std::string_view arch = text.substr(dash + 1);
    if (arch.find('-') != std::string_view::npos) return false;
    out.release = std::string(text.substr(0, dash));
    out.arch = std::string(arch);
    return true;
}

// The four shapes never overlap: after "major.minor" a '.' starts the patch shapes and a '-'
// the tag shapes, and after the patch a '.' means a build number follows. So one pass decides.
bool parse_version(std::string_view text, Version& out) {
    if (!take_number(text, out.major) || !take_char(text, '.') || !take_number(text, out.minor)) {
        return false;
    }
    if (take_char(text, '.')) {
        if (!take_number(text, out.patch)) return false;
    } else if (take_char(text, '-')) {
        std::size_t letters = 0;
        while (letters < text.size() && is_lower(text[letters])) ++letters;
        if (letters == 0) return false;
        out.tag = std::string(text.substr(0, letters));
        text.remove_prefix(letters);
        if (!take_number(text, out.patch)) return false;
    } else {
        return false;
    }
    if (take_char(text, '.')) {
        int build = 0;
        if (!take_number(text, build)) return false;
        out.build = build;
    }
    return parse_release_arch(text, out);
}

}  // namespace

Version Version::parse(std::string_view text) {
    Version out;
    if (!parse_version(text, out)) {
        throw ParseError("invalid version " + to_string(Value(text)) +
                         " (expected major.minor.patch, major.minor.patch.build or "
                         "major.minor-<tag><patch>[.build], each optionally followed by "
                         "-<release>-<arch>, e.g. 3.6.11-genericlinux-amd64)");
    }
    return out;
}

Version Version::from_json(std::string_view json) {
    const json_reader::Json document = json_reader::parse(json, "version");
    const json_reader::Node root(document, "version");
    // Re-raised through the node so that the message names the output and the field.
    const auto parse_node = [](const json_reader::Node& node) {
        const std::string text = node.as_string();
        try {
            return parse(text);
        } catch (const ParseError& e) {
            node.fail(e.what());
        }
    };
    if (document.is_string()) return parse_node(root);
    Version out = parse_node(root.field("version"));
    if (const auto commit = root.optional_field("git-commit")) out.git_commit = commit->as_string();
    return out;
}

std::weak_ordering Version::operator<=>(const Version& other) const noexcept {
    if (const auto c = major <=> other.major; c != 0) return c;
    if (const auto c = minor <=> other.minor; c != 0) return c;
    // A pre-release (tagged) comes before the release of the same major.minor.
    if (tag.has_value() != other.tag.has_value()) {
        return tag.has_value() ? std::weak_ordering::less : std::weak_ordering::greater;
    }
    if (tag) {
        if (const auto c = *tag <=> *other.tag; c != 0) return c;
    }
    if (const auto c = patch <=> other.patch; c != 0) return c;
    return build.value_or(0) <=> other.build.value_or(0);
}

std::string to_string(const Version& version) {
    std::string out = std::to_string(version.major) + "." + std::to_string(version.minor);
    if (version.tag) {
        out += "-" + *version.tag + std::to_string(version.patch);
    } else {
        out += "." + std::to_string(version.patch);
    }
    if (version.build) out += "." + std::to_string(*version.build);
    out += "-" + version.release + "-" + version.arch;
    return out;
}

std::ostream& operator<<(std::ostream& os, const Version& version) {
    return os << to_string(version);
}

}  // namespace jubilant
