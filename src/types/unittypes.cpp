#include <jubilant/unittypes.hpp>

#include <ostream>

#include "types/json_reader.hpp"
#include "print/repr_fields.hpp"

namespace jubilant {
namespace {

using detail::Repr;
using json_reader::Json;
using json_reader::Node;
using repr_fields::add_text;
using repr_fields::text_repr;

// ---------------------------------------------------------------------------------------------
// Readers. Fields are read in Jubilant's order, so the first missing one is the one reported.

UnitRelationData read_unit_relation_data(const Node& node) {
    UnitRelationData out;
    out.in_scope = node.field("in-scope").as_bool();
    out.data = node.field("data").as_value_object();
    return out;
}

RelationData read_relation(const Node& node) {
    RelationData out;
    out.relation_id = node.field("relation-id").as_int();
    out.endpoint = node.field("endpoint").as_string();
    if (const auto cross_model = node.optional_field("cross-model")) {
        out.cross_model = cross_model->as_bool();
    }
    out.related_endpoint = node.field("related-endpoint").as_string();
    out.app_data = node.field("application-data").as_value_object();
    if (const auto local_unit = node.optional_field("local-unit")) {
        out.local_unit = read_unit_relation_data(*local_unit);
    }
    if (const auto related_units = node.optional_field("related-units")) {
        out.related_units = related_units->map_of(read_unit_relation_data);
    }
    return out;
}

UnitInfo read_unit(const Node& node) {
    UnitInfo out;
    out.workload_version = node.string_or_empty("workload-version");
    out.machine = node.string_or_empty("machine");
    out.opened_ports = node.field("opened-ports").as_string_list();
    out.public_address = node.string_or_empty("public-address");
    out.charm = node.field("charm").as_string();
    out.leader = node.field("leader").as_bool();
    out.life = node.string_or_empty("life");
    if (const auto relations = node.optional_field("relation-info")) {
        out.relation_info = relations->list_of(read_relation);
    }
    out.provider_id = node.string_or_empty("provider-id");
    out.address = node.string_or_empty("address");
    return out;
}

// ---------------------------------------------------------------------------------------------
// Printing

Repr bool_repr(bool value) { return Repr::scalar(value ? "True" : "False"); }

Repr object_repr(const Value::Object& object) {
    Repr dict = Repr::dict();
    for (const auto& [key, item] : object) dict.entry(key, Repr::of(item));
    return dict;
}

Repr unit_relation_data_repr(const UnitRelationData& value) {
    Repr r = Repr::record("UnitRelationData");
    r.field("in_scope", bool_repr(value.in_scope));
    r.field("data", object_repr(value.data));
    return r;
}

Repr relation_repr(const RelationData& value) {
    Repr r = Repr::record("RelationData");
    r.field("relation_id", Repr::scalar(std::to_string(value.relation_id)));
    r.field("endpoint", text_repr(value.endpoint));
    r.field("related_endpoint", text_repr(value.related_endpoint));
    r.field("app_data", object_repr(value.app_data));
    if (value.cross_model) r.field("cross_model", bool_repr(true));
    if (value.local_unit) r.field("local_unit", unit_relation_data_repr(*value.local_unit));
    if (!value.related_units.empty()) {
        Repr dict = Repr::dict();
        for (const auto& [name, data] : value.related_units) {
            dict.entry(name, unit_relation_data_repr(data));
        }
        r.field("related_units", std::move(dict));
    }
    return r;
}

Repr unit_repr(const UnitInfo& value) {
    Repr r = Repr::record("UnitInfo");
    Repr ports = Repr::list();
    for (const std::string& port : value.opened_ports) ports.item(text_repr(port));
    r.field("opened_ports", std::move(ports));
    r.field("charm", text_repr(value.charm));
    r.field("leader", bool_repr(value.leader));
    add_text(r, "workload_version", value.workload_version);
    add_text(r, "machine", value.machine);
    add_text(r, "public_address", value.public_address);
    add_text(r, "life", value.life);
    if (!value.relation_info.empty()) {
        Repr list = Repr::list();
        for (const RelationData& relation : value.relation_info) list.item(relation_repr(relation));
        r.field("relation_info", std::move(list));
    }
    add_text(r, "provider_id", value.provider_id);
    add_text(r, "address", value.address);
    return r;
}

}  // namespace

UnitInfo UnitInfo::from_json(std::string_view json) {
    const Json document = json_reader::parse(json, "show-unit");
    return read_unit(Node(document, "show-unit").first_entry().second);
}

std::ostream& operator<<(std::ostream& os, const UnitRelationData& value) {
    return os << unit_relation_data_repr(value).dump();
}

std::ostream& operator<<(std::ostream& os, const RelationData& value) {
    return os << relation_repr(value).dump();
}

std::ostream& operator<<(std::ostream& os, const UnitInfo& value) {
    return os << unit_repr(value).dump();
}

}  // namespace jubilant
