#include <jubilant/secrettypes.hpp>

#include <ostream>

#include <fmt/format.h>

#include <jubilant/value.hpp>

#include "types/json_reader.hpp"
#include "print/repr_fields.hpp"
#include "text/scan.hpp"

namespace jubilant {
namespace {

using detail::Repr;
using json_reader::Json;
using json_reader::Node;
using repr_fields::text_repr;
using text_scan::take_char;

// ---------------------------------------------------------------------------------------------
// Timestamps

// Reads exactly `count` ASCII digits from the front of `text`.
bool take_digits(std::string_view& text, std::size_t count, int& out) {
    if (text.size() < count) return false;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    text.remove_prefix(count);
    return true;
}

// Parses "Z", "+HH", "+HH:MM" or "+HHMM" (or '-') into an offset east of UTC.
bool parse_offset(std::string_view text, std::chrono::minutes& offset) {
    if (text == "Z") {
        offset = std::chrono::minutes(0);
        return true;
    }
    int sign = 1;
    if (take_char(text, '-')) {
        sign = -1;
    } else if (!take_char(text, '+')) {
        return false;
    }
    int hours = 0;
    int minutes = 0;
    if (!take_digits(text, 2, hours)) return false;
    if (!text.empty()) {
        take_char(text, ':');
        if (!take_digits(text, 2, minutes) || !text.empty()) return false;
    }
    if (hours > 23 || minutes > 59) return false;
    offset = std::chrono::minutes(sign * (hours * 60 + minutes));
    return true;
}

SecretTime read_time(const Node& node) {
    const std::string text = node.as_string();
    const auto time = parse_iso8601(text);
    if (!time) node.fail(fmt::format("invalid ISO 8601 timestamp \"{}\"", text));
    return *time;
}

// ---------------------------------------------------------------------------------------------
// Readers

Access read_access(const Node& node) {
    return Access{
        .target = node.field("target").as_string(),
        .scope = node.field("scope").as_string(),
        .role = node.field("role").as_string(),
    };
}

Revision read_revision(const Node& node) {
    Revision out;
    out.revision = node.field("revision").as_int();
    out.backend = node.string_or_empty("backend");
    out.created = read_time(node.field("created"));
    out.updated = read_time(node.field("updated"));
    if (const auto expires = node.optional_field("expires")) out.expires = read_time(*expires);
    return out;
}

std::optional<std::string> optional_string(const Node& node, std::string_view name) {
    if (const auto field = node.optional_field(name)) return field->as_string();
    return std::nullopt;
}

// Jubilant turns an empty list into None, so "no grants" and "not listed" look the same.
template <class T, class F>
std::optional<std::vector<T>> optional_list(const Node& node, std::string_view name, F read) {
    const auto field = node.optional_field(name);
    if (!field) return std::nullopt;
    std::vector<T> items = field->list_of(read);
    if (items.empty()) return std::nullopt;
    return items;
}

// `key` is the secret ID that keys the entry; Jubilant lets a "uri" member inside the entry
// take precedence over it.
void read_secret(const std::string& key, const Node& node, Secret& out) {
    node.require_object();
    const std::string id = node.has("uri") ? node.field("uri").as_string() : key;
    out.uri = SecretURI("secret:" + id);
    out.revision = node.field("revision").as_int();
    out.owner = node.field("owner").as_string();
    out.created = read_time(node.field("created"));
    out.updated = read_time(node.field("updated"));
    out.expires = optional_string(node, "expires");
    out.rotation = optional_string(node, "rotation");
    if (const auto rotates = node.optional_field("rotates")) out.rotates = read_time(*rotates);
    out.name = optional_string(node, "name");
    out.label = optional_string(node, "label");
    out.description = optional_string(node, "description");
    out.access = optional_list<Access>(node, "access", read_access);
    out.revisions = optional_list<Revision>(node, "revisions", read_revision);
}

// ---------------------------------------------------------------------------------------------
// Printing

Repr time_repr(SecretTime time) { return Repr::scalar(format_iso8601(time)); }

Repr access_repr(const Access& value) {
    return std::move(Repr::record("Access")
                         .field("target", text_repr(value.target))
                         .field("scope", text_repr(value.scope))
                         .field("role", text_repr(value.role)));
}

Repr revision_repr(const Revision& value) {
    Repr r = Repr::record("Revision");
    r.field("revision", Repr::scalar(std::to_string(value.revision)));
    if (!value.backend.empty()) r.field("backend", text_repr(value.backend));
    r.field("created", time_repr(value.created));
    r.field("updated", time_repr(value.updated));
    if (value.expires) r.field("expires", time_repr(*value.expires));
    return r;
}

void add_secret_fields(Repr& r, const Secret& value) {
    r.field("uri", Repr::scalar("SecretURI(" + to_string(Value(value.uri.str())) + ")"));
    r.field("revision", Repr::scalar(std::to_string(value.revision)));
    r.field("owner", text_repr(value.owner));
    r.field("created", time_repr(value.created));
    r.field("updated", time_repr(value.updated));
    if (value.expires) r.field("expires", text_repr(*value.expires));
    if (value.rotation) r.field("rotation", text_repr(*value.rotation));
    if (value.rotates) r.field("rotates", time_repr(*value.rotates));
    if (value.name) r.field("name", text_repr(*value.name));
    if (value.label) r.field("label", text_repr(*value.label));
    if (value.description) r.field("description", text_repr(*value.description));
    if (value.access) {
        Repr list = Repr::list();
        for (const Access& access : *value.access) list.item(access_repr(access));
        r.field("access", std::move(list));
    }
    if (value.revisions) {
        Repr list = Repr::list();
        for (const Revision& revision : *value.revisions) list.item(revision_repr(revision));
        r.field("revisions", std::move(list));
    }
}

}  // namespace

std::string SecretURI::unique_identifier() const {
    if (const auto slash = uri_.rfind('/'); slash != std::string::npos) {
        return uri_.substr(slash + 1);
    }
    constexpr std::string_view prefix = "secret:";
    if (uri_.starts_with(prefix)) return uri_.substr(prefix.size());
    return uri_;
}

std::ostream& operator<<(std::ostream& os, const SecretURI& uri) { return os << uri.str(); }

std::optional<SecretTime> parse_iso8601(std::string_view text) {
    using namespace std::chrono;
    int y = 0;
    int mo = 0;
    int d = 0;
    if (!take_digits(text, 4, y) || !take_char(text, '-') || !take_digits(text, 2, mo) ||
        !take_char(text, '-') || !take_digits(text, 2, d)) {
        return std::nullopt;
    }
    const year_month_day date{year(y), month(static_cast<unsigned>(mo)),
                              day(static_cast<unsigned>(d))};
    if (!date.ok() || y == 0) return std::nullopt;

    int hh = 0;
    int mm = 0;
    int ss = 0;
    microseconds fraction{0};
    minutes offset{0};
    if (!text.empty()) {
        if (!take_char(text, 'T') && !take_char(text, ' ')) return std::nullopt;
        if (!take_digits(text, 2, hh) || !take_char(text, ':') || !take_digits(text, 2, mm)) {
            return std::nullopt;
        }
        if (take_char(text, ':')) {
            if (!take_digits(text, 2, ss)) return std::nullopt;
            if (take_char(text, '.') || take_char(text, ',')) {
                std::int64_t micros = 0;
                std::size_t digits = 0;
                while (!text.empty() && text.front() >= '0' && text.front() <= '9') {
                    if (digits < 6) micros = micros * 10 + (text.front() - '0');
                    ++digits;
                    text.remove_prefix(1);
                }
                if (digits == 0) return std::nullopt;
                for (std::size_t i = digits; i < 6; ++i) micros *= 10;
                fraction = microseconds(micros);
            }
        }
        if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
        if (!text.empty() && !parse_offset(text, offset)) return std::nullopt;
    }
    return SecretTime{sys_days(date)} + hours(hh) + minutes(mm) + seconds(ss) + fraction - offset;
}

std::string format_iso8601(SecretTime time) {
    using namespace std::chrono;
    const auto days = floor<std::chrono::days>(time);
    const year_month_day date{days};
    const hh_mm_ss clock{time - days};
    std::string out =
        fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}", static_cast<int>(date.year()),
                    static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                    clock.hours().count(), clock.minutes().count(), clock.seconds().count());
    if (const auto micros = clock.subseconds().count(); micros != 0) {
        std::string fraction = fmt::format("{:06d}", micros);
        while (fraction.back() == '0') fraction.pop_back();
        out += '.';
        out += fraction;
    }
    out += 'Z';
    return out;
}

Secret Secret::from_json(std::string_view json) {
    const Json document = json_reader::parse(json, "show-secret");
    const auto [key, node] = Node(document, "show-secret").first_entry();
    Secret out;
    read_secret(key, node, out);
    return out;
}

std::vector<Secret> Secret::list_from_json(std::string_view json) {
    const Json document = json_reader::parse(json, "secrets");
    const Node root(document, "secrets");
    root.require_object();
    std::vector<Secret> out;
    for (const auto& [key, node] : root.entries()) read_secret(key, node, out.emplace_back());
    return out;
}

RevealedSecret RevealedSecret::from_json(std::string_view json) {
    const Json document = json_reader::parse(json, "show-secret");
    const auto [key, node] = Node(document, "show-secret").first_entry();
    RevealedSecret out;
    read_secret(key, node, out);
    out.content = node.field("content").field("Data").as_string_map();
    out.checksum = node.string_or_empty("checksum");
    return out;
}

std::ostream& operator<<(std::ostream& os, const Access& value) {
    return os << access_repr(value).dump();
}

std::ostream& operator<<(std::ostream& os, const Revision& value) {
    return os << revision_repr(value).dump();
}

std::ostream& operator<<(std::ostream& os, const Secret& value) {
    Repr r = Repr::record("Secret");
    add_secret_fields(r, value);
    return os << r.dump();
}

std::ostream& operator<<(std::ostream& os, const RevealedSecret& value) {
    Repr r = Repr::record("RevealedSecret");
    add_secret_fields(r, value);
    if (!value.checksum.empty()) r.field("checksum", text_repr(value.checksum));
    Repr content = Repr::dict();
    for (const auto& entry : value.content) content.entry(entry.first, Repr::scalar("<hidden>"));
    r.field("content", std::move(content));
    return os << r.dump();
}

}  // namespace jubilant
