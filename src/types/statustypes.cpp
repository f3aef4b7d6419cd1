// Status::from_json: simdjson DOM in, typed structs out.
//
// The DOM is validated in full before we look at it, so the walk below never sees a truncated
// or malformed document; it only has to check shapes. Each reader fills its target in place
// (map slots included) to avoid moving large structs around, and the JSON path of the value
// being read lives on the C++ stack as a chain of Path nodes that is only turned into text when
// something is wrong.
// This file instantiates the status maps the header declares extern, and reads them on the
// hot path: see the end of the file, and SKIP_UNITY_BUILD_INCLUSION in src/CMakeLists.txt.
#define JUBILANT_STATUS_MAPS_DEFINED_HERE
#include <jubilant/statustypes.hpp>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <jubilant/errors.hpp>

#include "print/json_quote.hpp"

namespace jubilant {
namespace {

namespace dom = simdjson::dom;

// ---------------------------------------------------------------------------------------------
// JSON paths and errors

struct Path {
    enum class Kind : unsigned char { root, field, key, index };

    const Path* parent = nullptr;
    Kind kind = Kind::root;
    std::string_view name{};
    std::size_t index = 0;

    Path field(std::string_view n) const { return Path{this, Kind::field, n, 0}; }
    Path key(std::string_view k) const { return Path{this, Kind::key, k, 0}; }
    Path at(std::size_t i) const { return Path{this, Kind::index, {}, i}; }
};

std::string render_path(const Path& leaf) {
    std::vector<const Path*> chain;
    for (const Path* p = &leaf; p != nullptr; p = p->parent) chain.push_back(p);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const Path& p = **it;
        switch (p.kind) {
        case Path::Kind::root: break;
        case Path::Kind::field:
            out += '.';
            out += p.name;
            break;
        case Path::Kind::key:
            out += '[';
            append_json_string(out, p.name);
            out += ']';
            break;
        case Path::Kind::index: out += fmt::format("[{}]", p.index); break;
        }
    }
    return out.empty() ? std::string(".") : out;
}

[[noreturn]] void fail(const Path& path, std::string_view what) {
    throw ParseError(fmt::format("status JSON: {}: {}", render_path(path), what));
}

std::string_view type_name(dom::element value) {
    switch (value.type()) {
    case dom::element_type::ARRAY: return "array";
    case dom::element_type::OBJECT: return "object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64: return "integer";
    case dom::element_type::DOUBLE: return "number";
    case dom::element_type::STRING: return "string";
    case dom::element_type::BOOL: return "boolean";
    case dom::element_type::NULL_VALUE: return "null";
    }
    return "unknown";
}

[[noreturn]] void wrong_type(dom::element value, const Path& path, std::string_view expected) {
    fail(path, fmt::format("expected {}, got {}", expected, type_name(value)));
}

// `names[i]` is the JSON key of bit i of `seen`; the first one missing (in Jubilant's field
// order) is reported.
void require(const Path& path, unsigned seen, std::initializer_list<std::string_view> names) {
    unsigned bit = 1;
    for (const std::string_view name : names) {
        if ((seen & bit) == 0) fail(path, fmt::format("missing required field \"{}\"", name));
        bit <<= 1;
    }
}

dom::object get_object(dom::element value, const Path& path) {
    dom::object object;
    if (value.get(object) != simdjson::SUCCESS) wrong_type(value, path, "an object");
    return object;
}

// One member of a JSON object.
struct Field {
    std::string_view key;
    dom::element value;
};

// The members of a JSON object, in document order. simdjson's own object iterator hands out
// key_value_pairs from an operator* that GCC does not inline here (and, this being a shared
// library, calls through the PLT); this iterator reads key() and value() directly instead.
class Fields {
public:
    class iterator {
    public:
        explicit iterator(dom::object::iterator it) noexcept : it_(it) {}
        [[gnu::always_inline]] Field operator*() const noexcept {
            return Field{it_.key(), it_.value()};
        }
        [[gnu::always_inline]] iterator& operator++() noexcept {
            ++it_;
            return *this;
        }
        [[gnu::always_inline]] bool operator!=(const iterator& other) const noexcept {
            return it_ != other.it_;
        }

    private:
        dom::object::iterator it_;
    };

    explicit Fields(dom::object object) noexcept : object_(object) {}
    iterator begin() const noexcept { return iterator(object_.begin()); }
    iterator end() const noexcept { return iterator(object_.end()); }

private:
    dom::object object_;
};

Fields fields(dom::object object) noexcept { return Fields(object); }

// Whether the N bytes at `a` and `b` are equal, compared in word-sized loads that the compiler
// folds into immediates when `b` is a literal (GCC calls memcmp for most constant sizes).
template <std::size_t N>
[[gnu::always_inline]] inline bool same_bytes(const char* a, const char* b) noexcept {
    if constexpr (N >= 8) {
        std::uint64_t x = 0;
        std::uint64_t y = 0;
        std::memcpy(&x, a, 8);
        std::memcpy(&y, b, 8);
        return x == y && same_bytes<N - 8>(a + 8, b + 8);
    } else if constexpr (N >= 4) {
        std::uint32_t x = 0;
        std::uint32_t y = 0;
        std::memcpy(&x, a, 4);
        std::memcpy(&y, b, 4);
        return x == y && same_bytes<N - 4>(a + 4, b + 4);
    } else if constexpr (N > 0) {
        return a[0] == b[0] && same_bytes<N - 1>(a + 1, b + 1);
    } else {
        return true;
    }
}

// Compares with a literal whose length is known at compile time, so the comparison is inlined;
// key dispatch is the innermost loop of the parser.
template <std::size_t N>
[[gnu::always_inline]] inline bool is(std::string_view key, const char (&literal)[N]) noexcept {
    return key.size() == N - 1 && same_bytes<N - 1>(key.data(), literal);
}

// ---------------------------------------------------------------------------------------------
// Readers. Every read() fills `out` from a non-null value and throws on a shape mismatch; all
// overloads are declared up front so the container templates below can find each other.

void read(std::string& out, dom::element value, const Path& path);
void optional(std::string& out, dom::element value, const Path& path);
void read(bool& out, dom::element value, const Path& path);
void read(int& out, dom::element value, const Path& path);
void read(std::uint64_t& out, dom::element value, const Path& path);
void read(FormattedBase& out, dom::element value, const Path& path);
void read(StatusInfo& out, dom::element value, const Path& path);
void read(AppStatusRelation& out, dom::element value, const Path& path);
void read(UnitStatus& out, dom::element value, const Path& path);
void read(AppStatus& out, dom::element value, const Path& path);
void read(EntityStatus& out, dom::element value, const Path& path);
void read(UnitStorageAttachment& out, dom::element value, const Path& path);
void read(StorageAttachments& out, dom::element value, const Path& path);
void read(StorageInfo& out, dom::element value, const Path& path);
void read(FilesystemAttachment& out, dom::element value, const Path& path);
void read(FilesystemAttachments& out, dom::element value, const Path& path);
void read(FilesystemInfo& out, dom::element value, const Path& path);
void read(VolumeAttachment& out, dom::element value, const Path& path);
void read(VolumeAttachments& out, dom::element value, const Path& path);
void read(VolumeInfo& out, dom::element value, const Path& path);
void read(CombinedStorage& out, dom::element value, const Path& path);
void read(ControllerStatus& out, dom::element value, const Path& path);
void read(LxdProfileContents& out, dom::element value, const Path& path);
void read(NetworkInterface& out, dom::element value, const Path& path);
void read(MachineStatus& out, dom::element value, const Path& path);
void read(ModelStatus& out, dom::element value, const Path& path);
void read(RemoteEndpoint& out, dom::element value, const Path& path);
void read(OfferStatus& out, dom::element value, const Path& path);
void read(RemoteAppStatus& out, dom::element value, const Path& path);
void read(Status& out, dom::element value, const Path& path);

template <class T>
void read(std::vector<T>& out, dom::element value, const Path& path) {
    dom::array array;
    if (value.get(array) != simdjson::SUCCESS) wrong_type(value, path, "an array");
    out.clear();
    out.reserve(array.size());
    std::size_t index = 0;
    for (const dom::element item : array) {
        read(out.emplace_back(), item, path.at(index++));
    }
}

// The first eight bytes of `key` as a big-endian number, zero-padded: keys whose prefixes differ
// are ordered as their prefixes are (a zero byte sorts before any other, as a shorter key sorts
// before a longer one it begins), so sorting compares strings only when the prefixes tie.
std::uint64_t key_prefix(std::string_view key) noexcept {
    unsigned char bytes[8] = {};
    std::memcpy(bytes, key.data(), std::min<std::size_t>(key.size(), sizeof bytes));
    std::uint64_t prefix = 0;
    for (const unsigned char byte : bytes) prefix = (prefix << 8) | byte;
    return prefix;
}

// Called when reading the values of an object in key order failed: reads them again in
// document order, so that the error reported is the first one in the document, as it would be
// from a reader that went through the object front to back.
template <class T>
[[noreturn]] void rethrow_first_error(dom::object object, const Path& path) {
    for (const Field kv : fields(object)) {
        T scratch{};
        read(scratch, kv.value, path.key(kv.key));
    }
    throw;  // Not reached: the same values failed a moment ago.
}

template <class T>
void read(FlatMap<std::string, T>& out, dom::element value, const Path& path) {
    const dom::object object = get_object(value, path);
    out.clear();
    out.reserve(object.size());

    // Juju writes keys in sorted order (Go's encoding/json sorts map keys), so the entries can
    // usually be appended as they come (end() as the hint); each value is read straight into
    // its final place.
    bool sorted = true;
    {
        std::string_view previous;
        bool first = true;
        for (const Field kv : fields(object)) {
            if (!first && !(previous < kv.key)) {
                sorted = false;
                break;
            }
            previous = kv.key;
            first = false;
        }
    }
    if (sorted) {
        for (const Field kv : fields(object)) {
            read(out.try_emplace(out.end(), kv.key)->second, kv.value, path.key(kv.key));
        }
        return;
    }

    // Otherwise (e.g. machines "9", "10" in numeric order) the entries are read in key order, so
    // that each value still goes straight into its final place, and if that fails the object is
    // read again in document order to report the same error as a front-to-back reader.
    struct Entry {
        std::uint64_t prefix;  // see key_prefix()
        std::string_view key;
        dom::element value;
    };
    std::vector<Entry> entries;
    entries.reserve(object.size());
    for (const Field kv : fields(object)) {
        entries.push_back(Entry{key_prefix(kv.key), kv.key, kv.value});
    }
    // Stable, so that repeated keys stay in document order. (Merge sort also copes well with
    // numeric keys in numeric order, a few ascending runs, which drive std::sort to heapsort.)
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return a.prefix != b.prefix ? a.prefix < b.prefix : a.key < b.key;
    });
    try {
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const Entry& entry = entries[i];
            // A repeated key replaces the earlier value, as in Python's json module (the
            // earlier value is still read, so that an error in it is still reported).
            T& slot = out.try_emplace(out.end(), entry.key)->second;
            if (i > 0 && entries[i - 1].key == entry.key) slot = T{};
            read(slot, entry.value, path.key(entry.key));
        }
    } catch (const ParseError&) {
        rethrow_first_error<T>(object, path);
    }
}

template <class T>
void read(std::optional<T>& out, dom::element value, const Path& path) {
    read(out.emplace(), value, path);
}

// Reads a field that holds one of the status structs. Readers fill their target in place and
// expect it fresh, which it is unless the key is repeated; then, as in Python, the last value
// replaces the earlier one rather than merging with it.
template <class T>
void read_fresh(T& out, dom::element value, const Path& path) {
    if constexpr (std::is_same_v<T, StatusInfo>) {
        // Five of these per unit and machine: look before resetting, which costs more.
        if (!(out.current.empty() && out.message.empty() && out.reason.empty() &&
              out.since.empty() && out.version.empty() && out.life.empty())) {
            out = T{};
        }
    } else if constexpr (std::is_aggregate_v<T>) {
        out = T{};
    }
    read(out, value, path);
}

// Jubilant reads optional keys with `d.get(key) or default`, so null means "use the default".
template <class T>
void optional(T& out, dom::element value, const Path& path) {
    if (value.is_null()) {
        out = T{};
    } else {
        read_fresh(out, value, path);
    }
}

void set_string(std::string& out, std::string_view text) {
    // Almost every target is a freshly built, empty string; append() is the short path for that
    // (assign() goes through the general replace, which callgrind shows ~25 instructions dearer
    // per string, on ~300,000 strings in a 10,000-unit status).
    if (out.empty()) {
        out.append(text.data(), text.size());
    } else {
        out.assign(text.data(), text.size());
    }
}

void read(std::string& out, dom::element value, const Path& path) {
    std::string_view text;
    if (value.get(text) != simdjson::SUCCESS) wrong_type(value, path, "a string");
    set_string(out, text);
}

// Optional strings are most of the fields, so the usual case (a string) is tested first and
// null second, rather than the other way round as for other types.
void optional(std::string& out, dom::element value, const Path& path) {
    std::string_view text;
    if (value.get(text) == simdjson::SUCCESS) {
        set_string(out, text);
    } else if (value.is_null()) {
        out.clear();
    } else {
        wrong_type(value, path, "a string");
    }
}

void read(bool& out, dom::element value, const Path& path) {
    if (value.get(out) != simdjson::SUCCESS) wrong_type(value, path, "a boolean");
}

void read(int& out, dom::element value, const Path& path) {
    std::int64_t number = 0;
    const auto error = value.get(number);
    if (error == simdjson::INCORRECT_TYPE) wrong_type(value, path, "an integer");
    if (error != simdjson::SUCCESS || number < INT_MIN || number > INT_MAX) {
        fail(path, "integer out of range");
    }
    out = static_cast<int>(number);
}

void read(std::uint64_t& out, dom::element value, const Path& path) {
    const auto error = value.get(out);
    if (error == simdjson::INCORRECT_TYPE) wrong_type(value, path, "an integer");
    if (error != simdjson::SUCCESS) fail(path, "integer out of range");
}

// The text of the object's "status-error" key, if it has one.
std::optional<std::string_view> status_error(dom::object object, const Path& path) {
    std::optional<std::string_view> found;
    for (const Field kv : fields(object)) {
        if (!is(kv.key, "status-error")) continue;
        std::string_view text;
        if (kv.value.get(text) != simdjson::SUCCESS) {
            wrong_type(kv.value, path.field(kv.key), "a string");
        }
        found = text;
    }
    return found;
}

// Juju replaces an entity it failed to read with {"status-error": "<text>"}, and Jubilant then
// ignores every other key of that object. Looking for the key up front would mean a second pass
// over every unit and machine, so read_fields() stops (returning false) when it meets the key,
// and the object is searched only then or when reading its fields failed.
template <class ReadFields, class ReadFailed>
void read_entity(dom::object object, const Path& path, const ReadFields& read_fields,
                 const ReadFailed& read_failed) {
    try {
        if (read_fields()) return;
    } catch (const ParseError&) {
        if (!status_error(object, path)) throw;
    }
    read_failed(*status_error(object, path));
}

StatusInfo failed_info(std::string_view message) {
    StatusInfo info;
    info.current = "failed";
    info.message = std::string(message);
    return info;
}

void read(FormattedBase& out, dom::element value, const Path& path) {
    unsigned seen = 0;
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "name")) {
            read(out.name, kv.value, at);
            seen |= 1U;
        } else if (is(kv.key, "channel")) {
            read(out.channel, kv.value, at);
            seen |= 2U;
        }
    }
    require(path, seen, {"name", "channel"});
}

void read(StatusInfo& out, dom::element value, const Path& path) {
    const dom::object object = get_object(value, path);
    const auto read_fields = [&] {
        for (const Field kv : fields(object)) {
            if (is(kv.key, "status-error")) return false;
            const Path at = path.field(kv.key);
            if (is(kv.key, "current")) {
                optional(out.current, kv.value, at);
            } else if (is(kv.key, "message")) {
                optional(out.message, kv.value, at);
            } else if (is(kv.key, "since")) {
                optional(out.since, kv.value, at);
            } else if (is(kv.key, "version")) {
                optional(out.version, kv.value, at);
            } else if (is(kv.key, "reason")) {
                optional(out.reason, kv.value, at);
            } else if (is(kv.key, "life")) {
                optional(out.life, kv.value, at);
            }
        }
        return true;
    };
    const auto read_failed = [&out](std::string_view error) { out = failed_info(error); };
    read_entity(object, path, read_fields, read_failed);
}

void read(AppStatusRelation& out, dom::element value, const Path& path) {
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "related-application")) {
            optional(out.related_app, kv.value, at);
        } else if (is(kv.key, "interface")) {
            optional(out.interface, kv.value, at);
        } else if (is(kv.key, "scope")) {
            optional(out.scope, kv.value, at);
        }
    }
}

void read(UnitStatus& out, dom::element value, const Path& path) {
    const dom::object object = get_object(value, path);
    const auto read_fields = [&] {
        for (const Field kv : fields(object)) {
            if (is(kv.key, "status-error")) return false;
            const Path at = path.field(kv.key);
            if (is(kv.key, "workload-status")) {
                optional(out.workload_status, kv.value, at);
            } else if (is(kv.key, "juju-status")) {
                optional(out.juju_status, kv.value, at);
            } else if (is(kv.key, "leader")) {
                optional(out.leader, kv.value, at);
            } else if (is(kv.key, "machine")) {
                optional(out.machine, kv.value, at);
            } else if (is(kv.key, "open-ports")) {
                optional(out.open_ports, kv.value, at);
            } else if (is(kv.key, "public-address")) {
                optional(out.public_address, kv.value, at);
            } else if (is(kv.key, "address")) {
                optional(out.address, kv.value, at);
            } else if (is(kv.key, "provider-id")) {
                optional(out.provider_id, kv.value, at);
            } else if (is(kv.key, "subordinates")) {
                optional(out.subordinates, kv.value, at);
            } else if (is(kv.key, "upgrading-from")) {
                optional(out.upgrading_from, kv.value, at);
            }
        }
        return true;
    };
    const auto read_failed = [&out](std::string_view error) {
        out = UnitStatus{};
        out.workload_status = failed_info(error);
        out.juju_status = failed_info(error);
    };
    read_entity(object, path, read_fields, read_failed);
}

void read(AppStatus& out, dom::element value, const Path& path) {
    const dom::object object = get_object(value, path);
    const auto read_fields = [&] {
        unsigned seen = 0;
        for (const Field kv : fields(object)) {
            if (is(kv.key, "status-error")) return false;
            const Path at = path.field(kv.key);
            if (is(kv.key, "units")) {
                optional(out.units, kv.value, at);
            } else if (is(kv.key, "charm")) {
                read(out.charm, kv.value, at);
                seen |= 1U;
            } else if (is(kv.key, "charm-origin")) {
                read(out.charm_origin, kv.value, at);
                seen |= 2U;
            } else if (is(kv.key, "charm-name")) {
                read(out.charm_name, kv.value, at);
                seen |= 4U;
            } else if (is(kv.key, "charm-rev")) {
                read(out.charm_rev, kv.value, at);
                seen |= 8U;
            } else if (is(kv.key, "exposed")) {
                read(out.exposed, kv.value, at);
                seen |= 16U;
            } else if (is(kv.key, "base")) {
                optional(out.base, kv.value, at);
            } else if (is(kv.key, "charm-channel")) {
                optional(out.charm_channel, kv.value, at);
            } else if (is(kv.key, "charm-version")) {
                optional(out.charm_version, kv.value, at);
            } else if (is(kv.key, "charm-profile")) {
                optional(out.charm_profile, kv.value, at);
            } else if (is(kv.key, "can-upgrade-to")) {
                optional(out.can_upgrade_to, kv.value, at);
            } else if (is(kv.key, "scale")) {
                optional(out.scale, kv.value, at);
            } else if (is(kv.key, "provider-id")) {
                optional(out.provider_id, kv.value, at);
            } else if (is(kv.key, "address")) {
                optional(out.address, kv.value, at);
            } else if (is(kv.key, "life")) {
                optional(out.life, kv.value, at);
            } else if (is(kv.key, "application-status")) {
                optional(out.app_status, kv.value, at);
            } else if (is(kv.key, "relations")) {
                optional(out.relations, kv.value, at);
            } else if (is(kv.key, "subordinate-to")) {
                optional(out.subordinate_to, kv.value, at);
            } else if (is(kv.key, "version")) {
                optional(out.version, kv.value, at);
            } else if (is(kv.key, "endpoint-bindings")) {
                optional(out.endpoint_bindings, kv.value, at);
            }
        }
        require(path, seen, {"charm", "charm-origin", "charm-name", "charm-rev", "exposed"});
        return true;
    };
    const auto read_failed = [&out](std::string_view error) {
        out = AppStatus{};
        out.charm = out.charm_origin = out.charm_name = "<failed>";
        out.charm_rev = -1;
        out.app_status = failed_info(error);
    };
    read_entity(object, path, read_fields, read_failed);
}

void read(EntityStatus& out, dom::element value, const Path& path) {
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "current")) {
            optional(out.current, kv.value, at);
        } else if (is(kv.key, "message")) {
            optional(out.message, kv.value, at);
        } else if (is(kv.key, "since")) {
            optional(out.since, kv.value, at);
        }
    }
}

void read(UnitStorageAttachment& out, dom::element value, const Path& path) {
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "machine")) {
            optional(out.machine, kv.value, at);
        } else if (is(kv.key, "location")) {
            optional(out.location, kv.value, at);
        } else if (is(kv.key, "life")) {
            optional(out.life, kv.value, at);
        }
    }
}

void read(StorageAttachments& out, dom::element value, const Path& path) {
    unsigned seen = 0;
    for (const Field kv : fields(get_object(value, path))) {
        if (is(kv.key, "units")) {
            read(out.units, kv.value, path.field(kv.key));
            seen |= 1U;
        }
    }
    require(path, seen, {"units"});
}

void read(StorageInfo& out, dom::element value, const Path& path) {
    unsigned seen = 0;
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "kind")) {
            read(out.kind, kv.value, at);
            seen |= 1U;
        } else if (is(kv.key, "status")) {
            read_fresh(out.status, kv.value, at);
            seen |= 2U;
        } else if (is(kv.key, "persistent")) {
            read(out.persistent, kv.value, at);
            seen |= 4U;
        } else if (is(kv.key, "life")) {
            optional(out.life, kv.value, at);
        } else if (is(kv.key, "attachments")) {
            optional(out.attachments, kv.value, at);
        }
    }
    require(path, seen, {"kind", "status", "persistent"});
}

void read(FilesystemAttachment& out, dom::element value, const Path& path) {
    unsigned seen = 0;
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "mount-point")) {
            read(out.mount_point, kv.value, at);
            seen |= 1U;
        } else if (is(kv.key, "read-only")) {
            read(out.read_only, kv.value, at);
            seen |= 2U;
        } else if (is(kv.key, "life")) {
            optional(out.life, kv.value, at);
        }
    }
    require(path, seen, {"mount-point", "read-only"});
}

void read(FilesystemAttachments& out, dom::element value, const Path& path) {
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "machines")) {
            optional(out.machines, kv.value, at);
        } else if (is(kv.key, "containers")) {
            optional(out.containers, kv.value, at);
        } else if (is(kv.key, "units")) {
            optional(out.units, kv.value, at);
        }
    }
}

void read(FilesystemInfo& out, dom::element value, const Path& path) {
    unsigned seen = 0;
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "size")) {
            read(out.size, kv.value, at);
            seen |= 1U;
        } else if (is(kv.key, "provider-id")) {
            optional(out.provider_id, kv.value, at);
        } else if (is(kv.key, "volume")) {
            optional(out.volume, kv.value, at);
        } else if (is(kv.key, "storage")) {
            optional(out.storage, kv.value, at);
        } else if (is(kv.key, "attachments")) {
            optional(out.attachments, kv.value, at);
        } else if (is(kv.key, "pool")) {
            optional(out.pool, kv.value, at);
        } else if (is(kv.key, "life")) {
            optional(out.life, kv.value, at);
        } else if (is(kv.key, "status")) {
            optional(out.status, kv.value, at);
        }
    }
    require(path, seen, {"size"});
}

void read(VolumeAttachment& out, dom::element value, const Path& path) {
    unsigned seen = 0;
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "read-only")) {
            read(out.read_only, kv.value, at);
            seen |= 1U;
        } else if (is(kv.key, "device")) {
            optional(out.device, kv.value, at);
        } else if (is(kv.key, "device-link")) {
            optional(out.device_link, kv.value, at);
        } else if (is(kv.key, "bus-address")) {
            optional(out.bus_address, kv.value, at);
        } else if (is(kv.key, "life")) {
            optional(out.life, kv.value, at);
        }
    }
    require(path, seen, {"read-only"});
}

void read(VolumeAttachments& out, dom::element value, const Path& path) {
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "machines")) {
            optional(out.machines, kv.value, at);
        } else if (is(kv.key, "containers")) {
            optional(out.containers, kv.value, at);
        } else if (is(kv.key, "units")) {
            optional(out.units, kv.value, at);
        }
    }
}

void read(VolumeInfo& out, dom::element value, const Path& path) {
    unsigned seen = 0;
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "size")) {
            read(out.size, kv.value, at);
            seen |= 1U;
        } else if (is(kv.key, "persistent")) {
            read(out.persistent, kv.value, at);
            seen |= 2U;
        } else if (is(kv.key, "provider-id")) {
            optional(out.provider_id, kv.value, at);
        } else if (is(kv.key, "storage")) {
            optional(out.storage, kv.value, at);
        } else if (is(kv.key, "attachments")) {
            optional(out.attachments, kv.value, at);
        } else if (is(kv.key, "pool")) {
            optional(out.pool, kv.value, at);
        } else if (is(kv.key, "hardware-id")) {
            optional(out.hardware_id, kv.value, at);
        } else if (is(kv.key, "wwn")) {
            optional(out.wwn, kv.value, at);
        } else if (is(kv.key, "life")) {
            optional(out.life, kv.value, at);
        } else if (is(kv.key, "status")) {
            optional(out.status, kv.value, at);
        }
    }
    require(path, seen, {"size", "persistent"});
}

void read(CombinedStorage& out, dom::element value, const Path& path) {
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "storage")) {
            optional(out.storage, kv.value, at);
        } else if (is(kv.key, "filesystems")) {
            optional(out.filesystems, kv.value, at);
        } else if (is(kv.key, "volumes")) {
            optional(out.volumes, kv.value, at);
        }
    }
}

void read(ControllerStatus& out, dom::element value, const Path& path) {
    for (const Field kv : fields(get_object(value, path))) {
        if (is(kv.key, "timestamp")) optional(out.timestamp, kv.value, path.field(kv.key));
    }
}

void read(LxdProfileContents& out, dom::element value, const Path& path) {
    unsigned seen = 0;
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "config")) {
            read(out.config, kv.value, at);
            seen |= 1U;
        } else if (is(kv.key, "description")) {
            read(out.description, kv.value, at);
            seen |= 2U;
        } else if (is(kv.key, "devices")) {
            read(out.devices, kv.value, at);
            seen |= 4U;
        }
    }
    require(path, seen, {"config", "description", "devices"});
}

void read(NetworkInterface& out, dom::element value, const Path& path) {
    unsigned seen = 0;
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "ip-addresses")) {
            read(out.ip_addresses, kv.value, at);
            seen |= 1U;
        } else if (is(kv.key, "mac-address")) {
            read(out.mac_address, kv.value, at);
            seen |= 2U;
        } else if (is(kv.key, "is-up")) {
            read(out.is_up, kv.value, at);
            seen |= 4U;
        } else if (is(kv.key, "gateway")) {
            optional(out.gateway, kv.value, at);
        } else if (is(kv.key, "dns-nameservers")) {
            optional(out.dns_nameservers, kv.value, at);
        } else if (is(kv.key, "space")) {
            optional(out.space, kv.value, at);
        }
    }
    require(path, seen, {"ip-addresses", "mac-address", "is-up"});
}

void read(MachineStatus& out, dom::element value, const Path& path) {
    const dom::object object = get_object(value, path);
    const auto read_fields = [&] {
        for (const Field kv : fields(object)) {
            if (is(kv.key, "status-error")) return false;
            const Path at = path.field(kv.key);
            if (is(kv.key, "juju-status")) {
                optional(out.juju_status, kv.value, at);
            } else if (is(kv.key, "hostname")) {
                optional(out.hostname, kv.value, at);
            } else if (is(kv.key, "dns-name")) {
                optional(out.dns_name, kv.value, at);
            } else if (is(kv.key, "ip-addresses")) {
                optional(out.ip_addresses, kv.value, at);
            } else if (is(kv.key, "instance-id")) {
                optional(out.instance_id, kv.value, at);
            } else if (is(kv.key, "display-name")) {
                optional(out.display_name, kv.value, at);
            } else if (is(kv.key, "machine-status")) {
                optional(out.machine_status, kv.value, at);
            } else if (is(kv.key, "modification-status")) {
                optional(out.modification_status, kv.value, at);
            } else if (is(kv.key, "base")) {
                optional(out.base, kv.value, at);
            } else if (is(kv.key, "network-interfaces")) {
                optional(out.network_interfaces, kv.value, at);
            } else if (is(kv.key, "containers")) {
                optional(out.containers, kv.value, at);
            } else if (is(kv.key, "constraints")) {
                optional(out.constraints, kv.value, at);
            } else if (is(kv.key, "hardware")) {
                optional(out.hardware, kv.value, at);
            } else if (is(kv.key, "controller-member-status")) {
                optional(out.controller_member_status, kv.value, at);
            } else if (is(kv.key, "ha-primary")) {
                optional(out.ha_primary, kv.value, at);
            } else if (is(kv.key, "lxd-profiles")) {
                optional(out.lxd_profiles, kv.value, at);
            }
        }
        return true;
    };
    const auto read_failed = [&out](std::string_view error) {
        out = MachineStatus{};
        out.juju_status = failed_info(error);
        out.machine_status = failed_info(error);
    };
    read_entity(object, path, read_fields, read_failed);
}

void read(ModelStatus& out, dom::element value, const Path& path) {
    unsigned seen = 0;
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "name")) {
            read(out.name, kv.value, at);
            seen |= 1U;
        } else if (is(kv.key, "type")) {
            read(out.type, kv.value, at);
            seen |= 2U;
        } else if (is(kv.key, "controller")) {
            read(out.controller, kv.value, at);
            seen |= 4U;
        } else if (is(kv.key, "cloud")) {
            read(out.cloud, kv.value, at);
            seen |= 8U;
        } else if (is(kv.key, "version")) {
            read(out.version, kv.value, at);
            seen |= 16U;
        } else if (is(kv.key, "region")) {
            optional(out.region, kv.value, at);
        } else if (is(kv.key, "upgrade-available")) {
            optional(out.upgrade_available, kv.value, at);
        } else if (is(kv.key, "model-status")) {
            optional(out.model_status, kv.value, at);
        }
    }
    require(path, seen, {"name", "type", "controller", "cloud", "version"});
}

void read(RemoteEndpoint& out, dom::element value, const Path& path) {
    unsigned seen = 0;
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "interface")) {
            read(out.interface, kv.value, at);
            seen |= 1U;
        } else if (is(kv.key, "role")) {
            read(out.role, kv.value, at);
            seen |= 2U;
        }
    }
    require(path, seen, {"interface", "role"});
}

void read(OfferStatus& out, dom::element value, const Path& path) {
    const dom::object object = get_object(value, path);
    const auto read_fields = [&] {
        unsigned seen = 0;
        for (const Field kv : fields(object)) {
            if (is(kv.key, "status-error")) return false;
            const Path at = path.field(kv.key);
            if (is(kv.key, "application")) {
                read(out.app, kv.value, at);
                seen |= 1U;
            } else if (is(kv.key, "endpoints")) {
                read(out.endpoints, kv.value, at);
                seen |= 2U;
            } else if (is(kv.key, "charm")) {
                optional(out.charm, kv.value, at);
            } else if (is(kv.key, "total-connected-count")) {
                optional(out.total_connected_count, kv.value, at);
            } else if (is(kv.key, "active-connected-count")) {
                optional(out.active_connected_count, kv.value, at);
            }
        }
        require(path, seen, {"application", "endpoints"});
        return true;
    };
    const auto read_failed = [&out](std::string_view error) {
        out = OfferStatus{};
        out.app = fmt::format("<failed> ({})", error);
    };
    read_entity(object, path, read_fields, read_failed);
}

void read(RemoteAppStatus& out, dom::element value, const Path& path) {
    const dom::object object = get_object(value, path);
    const auto read_fields = [&] {
        unsigned seen = 0;
        for (const Field kv : fields(object)) {
            if (is(kv.key, "status-error")) return false;
            const Path at = path.field(kv.key);
            if (is(kv.key, "url")) {
                read(out.url, kv.value, at);
                seen |= 1U;
            } else if (is(kv.key, "endpoints")) {
                optional(out.endpoints, kv.value, at);
            } else if (is(kv.key, "life")) {
                optional(out.life, kv.value, at);
            } else if (is(kv.key, "application-status")) {
                optional(out.app_status, kv.value, at);
            } else if (is(kv.key, "relations")) {
                optional(out.relations, kv.value, at);
            }
        }
        require(path, seen, {"url"});
        return true;
    };
    const auto read_failed = [&out](std::string_view error) {
        out = RemoteAppStatus{};
        out.url = "<failed>";
        out.app_status = failed_info(error);
    };
    read_entity(object, path, read_fields, read_failed);
}

void read(Status& out, dom::element value, const Path& path) {
    unsigned seen = 0;
    for (const Field kv : fields(get_object(value, path))) {
        const Path at = path.field(kv.key);
        if (is(kv.key, "model")) {
            read_fresh(out.model, kv.value, at);
            seen |= 1U;
        } else if (is(kv.key, "machines")) {
            read(out.machines, kv.value, at);
            seen |= 2U;
        } else if (is(kv.key, "applications")) {
            read(out.apps, kv.value, at);
            seen |= 4U;
        } else if (is(kv.key, "application-endpoints")) {
            optional(out.app_endpoints, kv.value, at);
        } else if (is(kv.key, "offers")) {
            optional(out.offers, kv.value, at);
        } else if (is(kv.key, "storage")) {
            optional(out.storage, kv.value, at);
        } else if (is(kv.key, "controller")) {
            optional(out.controller, kv.value, at);
        }
    }
    require(path, seen, {"model", "machines", "applications"});
}

// ---------------------------------------------------------------------------------------------
// Invalid documents

// simdjson says what is wrong but not where. On that (rare) path we run nlohmann's validating
// SAX parser, which keeps no document in memory and reports the byte position.
class Locator final : public nlohmann::json_sax<nlohmann::json> {
public:
    bool null() override { return true; }
    bool boolean(bool /*value*/) override { return true; }
    bool number_integer(number_integer_t /*value*/) override { return true; }
    bool number_unsigned(number_unsigned_t /*value*/) override { return true; }
    bool number_float(number_float_t /*value*/, const string_t& /*text*/) override { return true; }
    bool string(string_t& /*value*/) override { return true; }
    bool binary(binary_t& /*value*/) override { return true; }
    bool start_object(std::size_t /*size*/) override { return true; }
    bool key(string_t& /*value*/) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t /*size*/) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t position, const std::string& /*last_token*/,
                     const nlohmann::detail::exception& error) override {
        position_ = position;
        std::string_view text = error.what();
        // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while
        // parsing value - invalid literal; last read: '<input>'; expected ...": keep the line,
        // column and reason. The echoed input is left out: it may be cut mid-character.
        if (const auto at = text.find("line "); at != std::string_view::npos) {
            text.remove_prefix(at);
        }
        const auto last_read = text.find("; last read: '");
        detail_ = std::string(text.substr(0, last_read));
        if (last_read != std::string_view::npos) {
            if (const auto expected = text.rfind("'; expected ");
                expected != std::string_view::npos && expected > last_read) {
                detail_ += text.substr(expected + 1);
            }
        }
        return false;
    }

    std::optional<std::size_t> position_;
    std::string detail_;
};

[[noreturn]] void throw_invalid(std::string_view json, simdjson::error_code error) {
    if (error == simdjson::EMPTY) {
        throw ParseError("status JSON: empty document (no JSON value in the input)");
    }
    const std::string_view reason = simdjson::error_message(error);
    Locator locator;
    bool accepted = false;
    try {
        accepted = nlohmann::json::sax_parse(json.begin(), json.end(), &locator);
    } catch (const std::exception&) {
        accepted = false;  // Only the simdjson reason can be given.
    }
    if (!accepted && locator.position_) {
        // nlohmann counts characters read, so the offending byte is the last one counted.
        const std::size_t offset = *locator.position_ == 0 ? 0 : *locator.position_ - 1;
        throw ParseError(fmt::format("status JSON: invalid JSON at byte {} ({}); simdjson: {}",
                                     offset, locator.detail_, reason));
    }
    throw ParseError(fmt::format("status JSON: invalid JSON: {}", reason));
}

// Parsers keep their buffers between calls (Juju::wait parses a status every second), except
// after an unusually large document, whose buffers are released rather than kept for good.
constexpr std::size_t kKeepParserCapacity = std::size_t{64} << 20;

}  // namespace

Status Status::from_json(std::string_view json) {
    thread_local dom::parser parser;
    dom::element root;
    const auto error = parser.parse(json.data(), json.size()).get(root);
    if (error != simdjson::SUCCESS) {
        if (parser.capacity() > kKeepParserCapacity) parser = dom::parser{};
        throw_invalid(json, error);
    }
    struct Release {
        dom::parser& kept;
        ~Release() {
            if (kept.capacity() > kKeepParserCapacity) kept = dom::parser{};
        }
    } release{parser};
    Status status;
    read(status, root, Path{});
    return status;
}

bool Status::operator==(const Status& other) const {
    return model == other.model && machines == other.machines && apps == other.apps &&
           app_endpoints == other.app_endpoints && offers == other.offers &&
           storage == other.storage;
}

FlatMap<std::string, UnitStatus> Status::get_units(std::string_view app) const {
    const auto found = apps.find(app);
    if (found == apps.end()) return {};
    const AppStatus& info = found->second;
    if (info.subordinate_to.empty()) return info.units;

    // Subordinate units only appear nested under the units of their principals. Collected first
    // and sorted once; should a unit name come up twice, the last one found wins.
    std::vector<std::pair<std::string, UnitStatus>> found_units;
    const std::string prefix = std::string(app) + "/";
    for (const std::string& principal : info.subordinate_to) {
        const auto principal_app = apps.find(principal);
        if (principal_app == apps.end()) continue;
        for (const auto& [unit_name, unit] : principal_app->second.units) {
            for (const auto& [sub_name, sub] : unit.subordinates) {
                if (sub_name.starts_with(prefix)) found_units.emplace_back(sub_name, sub);
            }
        }
    }
    std::stable_sort(found_units.begin(), found_units.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    FlatMap<std::string, UnitStatus> out;
    out.reserve(found_units.size());
    for (auto& [name, unit] : found_units) {
        // Of equal names the last found wins.
        out.try_emplace(out.end(), std::move(name))->second = std::move(unit);
    }
    return out;
}

// The explicit instantiations statustypes.hpp declares extern.
template class FlatMap<std::string, AppStatus>;
template class FlatMap<std::string, FilesystemAttachment>;
template class FlatMap<std::string, FilesystemInfo>;
template class FlatMap<std::string, LxdProfileContents>;
template class FlatMap<std::string, MachineStatus>;
template class FlatMap<std::string, NetworkInterface>;
template class FlatMap<std::string, OfferStatus>;
template class FlatMap<std::string, RemoteAppStatus>;
template class FlatMap<std::string, RemoteEndpoint>;
template class FlatMap<std::string, StorageInfo>;
template class FlatMap<std::string, UnitStatus>;
template class FlatMap<std::string, UnitStorageAttachment>;
template class FlatMap<std::string, VolumeAttachment>;
template class FlatMap<std::string, VolumeInfo>;
template class FlatMap<std::string, std::string>;
template class FlatMap<std::string, FlatMap<std::string, std::string>>;
template class FlatMap<std::string, std::vector<AppStatusRelation>>;
template class FlatMap<std::string, std::vector<std::string>>;

}  // namespace jubilant
