// Typed view of `juju show-unit --format json`, mirroring Jubilant's unittypes module.
//
// Names follow Jubilant (JSON keys with hyphens become snake_case; "application-data" becomes
// app_data). Relation data is free-form in Juju's output (Jubilant types it dict[str, Any]), so
// it is kept as Value objects rather than flattened to strings; in practice the values are
// strings, readable with `.as_string()`.
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jubilant/value.hpp>

namespace jubilant {

/// One unit's side of a relation: whether it has joined, and its relation data.
struct UnitRelationData {
    bool in_scope = false;  ///< Required: whether the unit is in the relation's scope.
    /// Required: the unit's relation data bag. JSON null is read as empty, as Go writes an unset
    /// map that way.
    Value::Object data{};

    /// Member-wise comparison.
    bool operator==(const UnitRelationData&) const = default;
};

/// One relation the unit takes part in.
struct RelationData {
    int relation_id = 0;             ///< Required: Juju's relation ID.
    std::string endpoint{};          ///< Required: this unit's endpoint name.
    std::string related_endpoint{};  ///< Required: the endpoint on the other side.
    /// Required: the application data bag (JSON key "application-data"); null reads as empty.
    Value::Object app_data{};

    bool cross_model = false;  ///< Whether the other side is in another model.
    /// This unit's own data in the relation, when Juju includes it.
    std::optional<UnitRelationData> local_unit{};
    /// The units on the other side, by unit name.
    std::map<std::string, UnitRelationData> related_units{};

    /// Member-wise comparison.
    bool operator==(const RelationData&) const = default;
};

/// Parsed `juju show-unit --format json` for one unit.
struct UnitInfo {
    /// Required: opened ports such as "3306/tcp". JSON null (Go's nil slice) reads as empty.
    std::vector<std::string> opened_ports{};
    std::string charm{};  ///< Required: the charm URL or name.
    bool leader = false;  ///< Required: whether the unit is its application's leader.

    std::string workload_version{};             ///< Version the workload reported.
    std::string machine{};                      ///< Machine the unit runs on (machine models).
    std::string public_address{};               ///< Public address.
    std::string life{};                         ///< "alive", "dying" or "dead".
    std::vector<RelationData> relation_info{};  ///< Relations, in Juju's order.
    std::string provider_id{};                  ///< Provider ID (Kubernetes models: the pod name).
    std::string address{};                      ///< Address (Kubernetes models: the pod address).

    /// Parses `juju show-unit <unit> --format json` output: an object with one entry keyed by
    /// unit name, whose value is read. Unknown keys are ignored; absent (or null) optional
    /// fields keep their defaults. Throws ParseError, naming the JSON path, when the text is not
    /// JSON, the object is empty, a required field is missing or a field has the wrong type.
    static UnitInfo from_json(std::string_view json);

    /// Member-wise comparison.
    bool operator==(const UnitInfo&) const = default;
};

// Readable rendering in the layout of Jubilant's repr: ClassName(field=value, ...), fields at
// their default left out, one field per line once a line would pass 150 columns.

/// Prints `value` in the layout described above.
std::ostream& operator<<(std::ostream& os, const UnitRelationData& value);
/// Prints `value` in the layout described above.
std::ostream& operator<<(std::ostream& os, const RelationData& value);
/// Prints `value` in the layout described above.
std::ostream& operator<<(std::ostream& os, const UnitInfo& value);

}  // namespace jubilant
