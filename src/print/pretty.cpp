// Printing of the status types (operator<<), gron_lines() and line_diff().
//
// Both printers work on one small tree built from the structs: objects with their non-default
// fields in declaration order, lists, maps and scalars already written as Python repr() text.
// That keeps the omission rules (and the field order) in one place, in to_node().
#include "print/pretty.hpp"
#include "print/repr.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <jubilant/flat_map.hpp>
#include <jubilant/statustypes.hpp>

#include "python_repr.hpp"

namespace jubilant {
namespace {

// Python's repr() of a str and its len(): one home, jubilant-text.
using text::python_len;
using text::python_str_repr;

// ---------------------------------------------------------------------------------------------
// The tree

struct PrintNode {
    enum class Kind : unsigned char { scalar, list, dict, object };

    Kind kind = Kind::scalar;
    std::string text{};  // scalar: its repr(); object: the class name
    std::vector<std::pair<std::string, PrintNode>> items{};  // field names, raw map keys, or ""
};

PrintNode scalar(std::string text) {
    PrintNode node;
    node.text = std::move(text);
    return node;
}

PrintNode to_node(const std::string& value) { return scalar(python_str_repr(value)); }
PrintNode to_node(bool value) { return scalar(value ? "True" : "False"); }
PrintNode to_node(int value) { return scalar(std::to_string(value)); }
PrintNode to_node(std::uint64_t value) { return scalar(std::to_string(value)); }
PrintNode to_node(const FormattedBase& value);
PrintNode to_node(const StatusInfo& value);
PrintNode to_node(const AppStatusRelation& value);
PrintNode to_node(const UnitStatus& value);
PrintNode to_node(const AppStatus& value);
PrintNode to_node(const EntityStatus& value);
PrintNode to_node(const UnitStorageAttachment& value);
PrintNode to_node(const StorageAttachments& value);
PrintNode to_node(const StorageInfo& value);
PrintNode to_node(const FilesystemAttachment& value);
PrintNode to_node(const FilesystemAttachments& value);
PrintNode to_node(const FilesystemInfo& value);
PrintNode to_node(const VolumeAttachment& value);
PrintNode to_node(const VolumeAttachments& value);
PrintNode to_node(const VolumeInfo& value);
PrintNode to_node(const CombinedStorage& value);
PrintNode to_node(const ControllerStatus& value);
PrintNode to_node(const LxdProfileContents& value);
PrintNode to_node(const NetworkInterface& value);
PrintNode to_node(const MachineStatus& value);
PrintNode to_node(const ModelStatus& value);
PrintNode to_node(const RemoteEndpoint& value);
PrintNode to_node(const OfferStatus& value);
PrintNode to_node(const RemoteAppStatus& value);
PrintNode to_node(const Status& value);

template <class T>
PrintNode to_node(const std::vector<T>& values) {
    PrintNode node;
    node.kind = PrintNode::Kind::list;
    node.items.reserve(values.size());
    for (const T& value : values) node.items.emplace_back(std::string(), to_node(value));
    return node;
}

template <class T>
PrintNode to_node(const FlatMap<std::string, T>& values) {
    PrintNode node;
    node.kind = PrintNode::Kind::dict;
    node.items.reserve(values.size());
    for (const auto& [key, value] : values) node.items.emplace_back(key, to_node(value));
    return node;
}

template <class T>
PrintNode to_node(const std::optional<T>& value) {
    return value ? to_node(*value) : scalar("None");
}

// Builds an object node. Jubilant's printers skip every field equal to its default, and all of
// those defaults are the value-initialised T{} here; required fields are always shown.
class ObjectNode {
public:
    explicit ObjectNode(std::string_view class_name) {
        node_.kind = PrintNode::Kind::object;
        node_.text = std::string(class_name);
    }

    template <class T>
    ObjectNode& required(std::string_view name, const T& value) {
        node_.items.emplace_back(std::string(name), to_node(value));
        return *this;
    }

    template <class T>
    ObjectNode& field(std::string_view name, const T& value) {
        if (!(value == T{})) required(name, value);
        return *this;
    }

    PrintNode done() { return std::move(node_); }

private:
    PrintNode node_;
};

PrintNode to_node(const FormattedBase& v) {
    return ObjectNode("FormattedBase")
        .required("name", v.name)
        .required("channel", v.channel)
        .done();
}

PrintNode to_node(const StatusInfo& v) {
    return ObjectNode("StatusInfo")
        .field("current", v.current)
        .field("message", v.message)
        .field("reason", v.reason)
        .field("since", v.since)
        .field("version", v.version)
        .field("life", v.life)
        .done();
}

PrintNode to_node(const AppStatusRelation& v) {
    return ObjectNode("AppStatusRelation")
        .field("related_app", v.related_app)
        .field("interface", v.interface)
        .field("scope", v.scope)
        .done();
}

PrintNode to_node(const UnitStatus& v) {
    return ObjectNode("UnitStatus")
        .field("workload_status", v.workload_status)
        .field("juju_status", v.juju_status)
        .field("leader", v.leader)
        .field("upgrading_from", v.upgrading_from)
        .field("machine", v.machine)
        .field("open_ports", v.open_ports)
        .field("public_address", v.public_address)
        .field("address", v.address)
        .field("provider_id", v.provider_id)
        .field("subordinates", v.subordinates)
        .done();
}

PrintNode to_node(const AppStatus& v) {
    return ObjectNode("AppStatus")
        .required("charm", v.charm)
        .required("charm_origin", v.charm_origin)
        .required("charm_name", v.charm_name)
        .required("charm_rev", v.charm_rev)
        .required("exposed", v.exposed)
        .field("base", v.base)
        .field("charm_channel", v.charm_channel)
        .field("charm_version", v.charm_version)
        .field("charm_profile", v.charm_profile)
        .field("can_upgrade_to", v.can_upgrade_to)
        .field("scale", v.scale)
        .field("provider_id", v.provider_id)
        .field("address", v.address)
        .field("life", v.life)
        .field("app_status", v.app_status)
        .field("relations", v.relations)
        .field("subordinate_to", v.subordinate_to)
        .field("units", v.units)
        .field("version", v.version)
        .field("endpoint_bindings", v.endpoint_bindings)
        .done();
}

PrintNode to_node(const EntityStatus& v) {
    return ObjectNode("EntityStatus")
        .field("current", v.current)
        .field("message", v.message)
        .field("since", v.since)
        .done();
}

PrintNode to_node(const UnitStorageAttachment& v) {
    return ObjectNode("UnitStorageAttachment")
        .field("machine", v.machine)
        .field("location", v.location)
        .field("life", v.life)
        .done();
}

PrintNode to_node(const StorageAttachments& v) {
    return ObjectNode("StorageAttachments").required("units", v.units).done();
}

PrintNode to_node(const StorageInfo& v) {
    return ObjectNode("StorageInfo")
        .required("kind", v.kind)
        .required("status", v.status)
        .required("persistent", v.persistent)
        .field("life", v.life)
        .field("attachments", v.attachments)
        .done();
}

PrintNode to_node(const FilesystemAttachment& v) {
    return ObjectNode("FilesystemAttachment")
        .required("mount_point", v.mount_point)
        .required("read_only", v.read_only)
        .field("life", v.life)
        .done();
}

PrintNode to_node(const FilesystemAttachments& v) {
    return ObjectNode("FilesystemAttachments")
        .field("machines", v.machines)
        .field("containers", v.containers)
        .field("units", v.units)
        .done();
}

PrintNode to_node(const FilesystemInfo& v) {
    return ObjectNode("FilesystemInfo")
        .required("size", v.size)
        .field("provider_id", v.provider_id)
        .field("volume", v.volume)
        .field("storage", v.storage)
        .field("attachments", v.attachments)
        .field("pool", v.pool)
        .field("life", v.life)
        .field("status", v.status)
        .done();
}

PrintNode to_node(const VolumeAttachment& v) {
    return ObjectNode("VolumeAttachment")
        .required("read_only", v.read_only)
        .field("device", v.device)
        .field("device_link", v.device_link)
        .field("bus_address", v.bus_address)
        .field("life", v.life)
        .done();
}

PrintNode to_node(const VolumeAttachments& v) {
    return ObjectNode("VolumeAttachments")
        .field("machines", v.machines)
        .field("containers", v.containers)
        .field("units", v.units)
        .done();
}

PrintNode to_node(const VolumeInfo& v) {
    return ObjectNode("VolumeInfo")
        .required("size", v.size)
        .required("persistent", v.persistent)
        .field("provider_id", v.provider_id)
        .field("storage", v.storage)
        .field("attachments", v.attachments)
        .field("pool", v.pool)
        .field("hardware_id", v.hardware_id)
        .field("wwn", v.wwn)
        .field("life", v.life)
        .field("status", v.status)
        .done();
}

PrintNode to_node(const CombinedStorage& v) {
    return ObjectNode("CombinedStorage")
        .field("storage", v.storage)
        .field("filesystems", v.filesystems)
        .field("volumes", v.volumes)
        .done();
}

PrintNode to_node(const ControllerStatus& v) {
    return ObjectNode("ControllerStatus").field("timestamp", v.timestamp).done();
}

PrintNode to_node(const LxdProfileContents& v) {
    return ObjectNode("LxdProfileContents")
        .required("config", v.config)
        .required("description", v.description)
        .required("devices", v.devices)
        .done();
}

PrintNode to_node(const NetworkInterface& v) {
    return ObjectNode("NetworkInterface")
        .required("ip_addresses", v.ip_addresses)
        .required("mac_address", v.mac_address)
        .required("is_up", v.is_up)
        .field("gateway", v.gateway)
        .field("dns_nameservers", v.dns_nameservers)
        .field("space", v.space)
        .done();
}

PrintNode to_node(const MachineStatus& v) {
    return ObjectNode("MachineStatus")
        .field("juju_status", v.juju_status)
        .field("hostname", v.hostname)
        .field("dns_name", v.dns_name)
        .field("ip_addresses", v.ip_addresses)
        .field("instance_id", v.instance_id)
        .field("display_name", v.display_name)
        .field("machine_status", v.machine_status)
        .field("modification_status", v.modification_status)
        .field("base", v.base)
        .field("network_interfaces", v.network_interfaces)
        .field("containers", v.containers)
        .field("constraints", v.constraints)
        .field("hardware", v.hardware)
        .field("controller_member_status", v.controller_member_status)
        .field("ha_primary", v.ha_primary)
        .field("lxd_profiles", v.lxd_profiles)
        .done();
}

PrintNode to_node(const ModelStatus& v) {
    return ObjectNode("ModelStatus")
        .required("name", v.name)
        .required("type", v.type)
        .required("controller", v.controller)
        .required("cloud", v.cloud)
        .required("version", v.version)
        .field("region", v.region)
        .field("upgrade_available", v.upgrade_available)
        .field("model_status", v.model_status)
        .done();
}

PrintNode to_node(const RemoteEndpoint& v) {
    return ObjectNode("RemoteEndpoint")
        .required("interface", v.interface)
        .required("role", v.role)
        .done();
}

PrintNode to_node(const OfferStatus& v) {
    return ObjectNode("OfferStatus")
        .required("app", v.app)
        .required("endpoints", v.endpoints)
        .field("charm", v.charm)
        .field("total_connected_count", v.total_connected_count)
        .field("active_connected_count", v.active_connected_count)
        .done();
}

PrintNode to_node(const RemoteAppStatus& v) {
    return ObjectNode("RemoteAppStatus")
        .required("url", v.url)
        .field("endpoints", v.endpoints)
        .field("life", v.life)
        .field("app_status", v.app_status)
        .field("relations", v.relations)
        .done();
}

PrintNode to_node(const Status& v) {
    return ObjectNode("Status")
        .required("model", v.model)
        .required("machines", v.machines)
        .required("apps", v.apps)
        .field("app_endpoints", v.app_endpoints)
        .field("offers", v.offers)
        .field("storage", v.storage)
        .field("controller", v.controller)
        .done();
}

// ---------------------------------------------------------------------------------------------
// Rendering

constexpr std::size_t kMaxLineValue = 150;  // longest value kept on one line, as in Jubilant
constexpr std::size_t kIndent = 2;

bool all_scalar(const PrintNode& node) {
    return std::all_of(node.items.begin(), node.items.end(), [](const auto& item) {
        return item.second.kind == PrintNode::Kind::scalar;
    });
}

std::string dump(const PrintNode& node, const std::string& indent);

}  // namespace

std::string lay_out_repr(std::string_view open, std::string_view close,
                         const std::vector<std::string>& entries, bool all_scalar,
                         std::string_view indent) {
    if (all_scalar) {
        std::string line(open);
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (i > 0) line += ", ";
            line += entries[i];
        }
        line += close;
        if (python_len(line) <= kMaxLineValue) return line;
    }
    std::string out(open);
    out += '\n';
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) out += '\n';
        out += indent;
        out.append(kIndent, ' ');
        out += entries[i];
        out += ',';
    }
    out += '\n';
    out += indent;
    out += close;
    return out;
}

namespace {

std::string dump(const PrintNode& node, const std::string& indent) {
    if (node.kind == PrintNode::Kind::scalar) return node.text;
    const std::string sub_indent = indent + std::string(kIndent, ' ');
    std::vector<std::string> entries;
    entries.reserve(node.items.size());
    for (const auto& [name, child] : node.items) {
        switch (node.kind) {
        case PrintNode::Kind::object:
            entries.push_back(name + "=" + dump(child, sub_indent));
            break;
        case PrintNode::Kind::dict:
            entries.push_back(python_str_repr(name) + ": " + dump(child, sub_indent));
            break;
        default: entries.push_back(dump(child, sub_indent)); break;
        }
    }
    const bool simple = all_scalar(node);
    switch (node.kind) {
    case PrintNode::Kind::object:
        return lay_out_repr(node.text + "(", ")", entries, simple, indent);
    case PrintNode::Kind::dict: return lay_out_repr("{", "}", entries, simple, indent);
    default: return lay_out_repr("[", "]", entries, simple, indent);
    }
}

void gron(const PrintNode& node, std::string& prefix, std::vector<std::string>& out) {
    if (node.kind == PrintNode::Kind::scalar) {
        out.push_back(prefix + " = " + node.text);
        return;
    }
    const std::size_t length = prefix.size();
    std::size_t index = 0;
    for (const auto& [name, child] : node.items) {
        switch (node.kind) {
        case PrintNode::Kind::object:
            prefix += '.';
            prefix += name;
            break;
        case PrintNode::Kind::dict:
            prefix += '[';
            prefix += python_str_repr(name);
            prefix += ']';
            break;
        default: prefix += fmt::format("[{}]", index); break;
        }
        gron(child, prefix, out);
        prefix.resize(length);
        ++index;
    }
}

template <class T>
std::ostream& print(std::ostream& os, const T& value) {
    return os << dump(to_node(value), std::string());
}

// ---------------------------------------------------------------------------------------------
// difflib.SequenceMatcher, restricted to what line_diff needs (no junk function, autojunk on),
// so that the diff Juju::wait logs groups changes exactly as Jubilant's does.

struct Block {
    std::size_t a = 0;
    std::size_t b = 0;
    std::size_t size = 0;
};

class SequenceMatcher {
public:
    SequenceMatcher(const std::vector<std::string>& a, const std::vector<std::string>& b)
        : a_(a), b_(b) {
        b2j_.reserve(b_.size());
        for (std::size_t j = 0; j < b_.size(); ++j) b2j_[b_[j]].push_back(j);
        // difflib's autojunk: in a long sequence, lines occurring in more than 1% of it (blank
        // or repeated lines) do not seed matches, though they may still extend one.
        if (b_.size() >= 200) {
            const std::size_t limit = b_.size() / 100 + 1;
            std::erase_if(b2j_, [limit](const auto& entry) { return entry.second.size() > limit; });
        }
        // Each line of `a` is looked up once here rather than on every pass over its range.
        positions_in_b_.reserve(a_.size());
        for (const std::string& line : a_) {
            const auto found = b2j_.find(line);
            positions_in_b_.push_back(found == b2j_.end() ? nullptr : &found->second);
        }
    }

    std::vector<Block> matching_blocks() const {
        std::vector<Block> blocks;
        std::vector<std::tuple<std::size_t, std::size_t, std::size_t, std::size_t>> todo;
        todo.emplace_back(0, a_.size(), 0, b_.size());
        while (!todo.empty()) {
            const auto [alo, ahi, blo, bhi] = todo.back();
            todo.pop_back();
            const Block m = longest_match(alo, ahi, blo, bhi);
            if (m.size == 0) continue;
            blocks.push_back(m);
            if (alo < m.a && blo < m.b) todo.emplace_back(alo, m.a, blo, m.b);
            if (m.a + m.size < ahi && m.b + m.size < bhi) {
                todo.emplace_back(m.a + m.size, ahi, m.b + m.size, bhi);
            }
        }
        std::sort(blocks.begin(), blocks.end(), [](const Block& x, const Block& y) {
            return std::tie(x.a, x.b, x.size) < std::tie(y.a, y.b, y.size);
        });
        std::vector<Block> merged;
        Block current;
        for (const Block& block : blocks) {
            if (current.a + current.size == block.a && current.b + current.size == block.b) {
                current.size += block.size;
            } else {
                if (current.size > 0) merged.push_back(current);
                current = block;
            }
        }
        if (current.size > 0) merged.push_back(current);
        merged.push_back(Block{a_.size(), b_.size(), 0});
        return merged;
    }

private:
    // Longest run a[i..i+k) == b[j..j+k) inside the given ranges; the earliest in a, then in b,
    // on ties.
    Block longest_match(std::size_t alo, std::size_t ahi, std::size_t blo, std::size_t bhi) const {
        Block best{alo, blo, 0};
        // (j, k) pairs, ascending in j: a match of length k ends at a[i-1], b[j]. Rows are
        // short (a line rarely occurs more than a few times), so sorted vectors beat hashing.
        std::vector<std::pair<std::size_t, std::size_t>> previous;
        std::vector<std::pair<std::size_t, std::size_t>> current;
        for (std::size_t i = alo; i < ahi; ++i) {
            current.clear();
            if (const std::vector<std::size_t>* positions = positions_in_b_[i]) {
                auto before = previous.begin();
                for (const std::size_t j : *positions) {
                    if (j < blo) continue;
                    if (j >= bhi) break;
                    while (before != previous.end() && before->first + 1 < j) ++before;
                    const std::size_t k =
                        before != previous.end() && before->first + 1 == j ? before->second + 1 : 1;
                    current.emplace_back(j, k);
                    if (k > best.size) best = Block{i + 1 - k, j + 1 - k, k};
                }
            }
            std::swap(previous, current);
        }
        while (best.a > alo && best.b > blo && a_[best.a - 1] == b_[best.b - 1]) {
            --best.a;
            --best.b;
            ++best.size;
        }
        while (best.a + best.size < ahi && best.b + best.size < bhi &&
               a_[best.a + best.size] == b_[best.b + best.size]) {
            ++best.size;
        }
        return best;
    }

    const std::vector<std::string>& a_;
    const std::vector<std::string>& b_;
    std::unordered_map<std::string_view, std::vector<std::size_t>> b2j_;
    std::vector<const std::vector<std::size_t>*> positions_in_b_;
};

}  // namespace

std::vector<std::string> gron_lines(const Status& status) {
    std::vector<std::string> lines;
    std::string prefix;
    gron(to_node(status), prefix, lines);
    return lines;
}

std::vector<std::string> line_diff(const std::vector<std::string>& old,
                                   const std::vector<std::string>& neu) {
    std::vector<std::string> out;
    std::size_t i = 0;
    std::size_t j = 0;
    for (const Block& block : SequenceMatcher(old, neu).matching_blocks()) {
        // Whatever lies between the previous match and this one was replaced, deleted or
        // inserted; removals are listed first either way.
        for (std::size_t k = i; k < block.a; ++k) out.push_back("- " + old[k]);
        for (std::size_t k = j; k < block.b; ++k) out.push_back("+ " + neu[k]);
        i = block.a + block.size;
        j = block.b + block.size;
    }
    return out;
}

std::ostream& operator<<(std::ostream& os, const FormattedBase& value) { return print(os, value); }
std::ostream& operator<<(std::ostream& os, const StatusInfo& value) { return print(os, value); }
std::ostream& operator<<(std::ostream& os, const AppStatusRelation& value) {
    return print(os, value);
}
std::ostream& operator<<(std::ostream& os, const UnitStatus& value) { return print(os, value); }
std::ostream& operator<<(std::ostream& os, const AppStatus& value) { return print(os, value); }
std::ostream& operator<<(std::ostream& os, const EntityStatus& value) { return print(os, value); }
std::ostream& operator<<(std::ostream& os, const UnitStorageAttachment& value) {
    return print(os, value);
}
std::ostream& operator<<(std::ostream& os, const StorageAttachments& value) {
    return print(os, value);
}
std::ostream& operator<<(std::ostream& os, const StorageInfo& value) { return print(os, value); }
std::ostream& operator<<(std::ostream& os, const FilesystemAttachment& value) {
    return print(os, value);
}
std::ostream& operator<<(std::ostream& os, const FilesystemAttachments& value) {
    return print(os, value);
}
std::ostream& operator<<(std::ostream& os, const FilesystemInfo& value) { return print(os, value); }
std::ostream& operator<<(std::ostream& os, const VolumeAttachment& value) {
    return print(os, value);
}
std::ostream& operator<<(std::ostream& os, const VolumeAttachments& value) {
    return print(os, value);
}
std::ostream& operator<<(std::ostream& os, const VolumeInfo& value) { return print(os, value); }
std::ostream& operator<<(std::ostream& os, const CombinedStorage& value) {
    return print(os, value);
}
std::ostream& operator<<(std::ostream& os, const ControllerStatus& value) {
    return print(os, value);
}
std::ostream& operator<<(std::ostream& os, const LxdProfileContents& value) {
    return print(os, value);
}
std::ostream& operator<<(std::ostream& os, const NetworkInterface& value) {
    return print(os, value);
}
std::ostream& operator<<(std::ostream& os, const MachineStatus& value) { return print(os, value); }
std::ostream& operator<<(std::ostream& os, const ModelStatus& value) { return print(os, value); }
std::ostream& operator<<(std::ostream& os, const RemoteEndpoint& value) { return print(os, value); }
std::ostream& operator<<(std::ostream& os, const OfferStatus& value) { return print(os, value); }
std::ostream& operator<<(std::ostream& os, const RemoteAppStatus& value) {
    return print(os, value);
}
std::ostream& operator<<(std::ostream& os, const Status& value) { return print(os, value); }

}  // namespace jubilant
