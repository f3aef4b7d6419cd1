// Typed view of `juju status --format json`, mirroring Jubilant's statustypes module.
//
// Struct and member names follow Jubilant (JSON keys with hyphens become snake_case, and
// "application" is shortened to "app"). Members are declared in Jubilant's field order because
// the pretty printer and gron_lines() walk them in that order. Fields that Jubilant requires
// have no meaningful default here; Status::from_json() rejects documents that lack them.
//
// Maps are FlatMap (flat_map.hpp): std::map's interface and key order, but one allocation per
// map. Unlike std::map, inserting into one invalidates references to its other entries.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jubilant/flat_map.hpp>

namespace jubilant {

/// Operating system base of a machine or application, e.g. ubuntu / 22.04.
struct FormattedBase {
    std::string name;     ///< Required.
    std::string channel;  ///< Required.

    /// Member-wise comparison.
    bool operator==(const FormattedBase&) const = default;
};

/// The status record used for applications, units, machines and the model.
///
/// When Juju could not compute a status it reports `status-error` instead; that is parsed as
/// current "failed" with the error text as the message.
struct StatusInfo {
    std::string current{};
    std::string message{};
    std::string reason{};
    std::string since{};
    std::string version{};
    std::string life{};

    /// Member-wise comparison.
    bool operator==(const StatusInfo&) const = default;
};

/// One side of an application's relation on an endpoint.
struct AppStatusRelation {
    std::string related_app{};
    std::string interface {};
    std::string scope{};

    /// Member-wise comparison.
    bool operator==(const AppStatusRelation&) const = default;
};

/// Status of one unit (principal or subordinate).
struct UnitStatus {
    StatusInfo workload_status{};
    StatusInfo juju_status{};
    bool leader = false;
    std::string upgrading_from{};
    std::string machine{};
    std::vector<std::string> open_ports{};
    std::string public_address{};
    std::string address{};
    std::string provider_id{};
    /// Subordinate units running alongside this one, by unit name.
    FlatMap<std::string, UnitStatus> subordinates{};

    /// Member-wise comparison (recursing into subordinates).
    bool operator==(const UnitStatus&) const = default;

    /// Whether the workload status is "active".
    bool is_active() const noexcept { return workload_status.current == "active"; }
    /// Whether the workload status is "blocked".
    bool is_blocked() const noexcept { return workload_status.current == "blocked"; }
    /// Whether the workload status is "error".
    bool is_error() const noexcept { return workload_status.current == "error"; }
    /// Whether the workload status is "maintenance".
    bool is_maintenance() const noexcept { return workload_status.current == "maintenance"; }
    /// Whether the workload status is "waiting".
    bool is_waiting() const noexcept { return workload_status.current == "waiting"; }
};

/// Status of one application deployed in this model.
struct AppStatus {
    std::string charm{};         ///< Required.
    std::string charm_origin{};  ///< Required.
    std::string charm_name{};    ///< Required.
    int charm_rev = 0;           ///< Required.
    bool exposed = false;        ///< Required.

    std::optional<FormattedBase> base{};
    std::string charm_channel{};
    std::string charm_version{};
    std::string charm_profile{};
    std::string can_upgrade_to{};
    int scale = 0;
    std::string provider_id{};
    std::string address{};
    std::string life{};
    StatusInfo app_status{};
    /// Relations by endpoint name.
    FlatMap<std::string, std::vector<AppStatusRelation>> relations{};
    /// Principal applications, for a subordinate application; empty otherwise.
    std::vector<std::string> subordinate_to{};
    /// Principal units by unit name (empty for subordinate applications; see Status::get_units).
    FlatMap<std::string, UnitStatus> units{};
    std::string version{};
    /// Space bound to each endpoint; the "" key is the application's default space.
    FlatMap<std::string, std::string> endpoint_bindings{};

    /// Member-wise comparison.
    bool operator==(const AppStatus&) const = default;

    /// Whether the application status is "active".
    bool is_active() const noexcept { return app_status.current == "active"; }
    /// Whether the application status is "blocked".
    bool is_blocked() const noexcept { return app_status.current == "blocked"; }
    /// Whether the application status is "error".
    bool is_error() const noexcept { return app_status.current == "error"; }
    /// Whether the application status is "maintenance".
    bool is_maintenance() const noexcept { return app_status.current == "maintenance"; }
    /// Whether the application status is "waiting".
    bool is_waiting() const noexcept { return app_status.current == "waiting"; }
};

/// Status record of storage entities (StatusInfo is used everywhere else).
struct EntityStatus {
    std::string current{};
    std::string message{};
    std::string since{};

    /// Member-wise comparison.
    bool operator==(const EntityStatus&) const = default;
};

/// Where a unit has a storage instance, filesystem or volume attached.
struct UnitStorageAttachment {
    std::string machine{};
    std::string location{};
    std::string life{};

    /// Member-wise comparison.
    bool operator==(const UnitStorageAttachment&) const = default;
};

/// Units a storage instance is attached to.
struct StorageAttachments {
    FlatMap<std::string, UnitStorageAttachment> units{};  ///< Required.

    /// Member-wise comparison.
    bool operator==(const StorageAttachments&) const = default;
};

/// One storage instance (e.g. "data/0").
struct StorageInfo {
    std::string kind{};       ///< Required: "filesystem" or "block".
    EntityStatus status{};    ///< Required.
    bool persistent = false;  ///< Required.

    std::string life{};
    std::optional<StorageAttachments> attachments{};

    /// Member-wise comparison.
    bool operator==(const StorageInfo&) const = default;
};

/// A filesystem's attachment to one machine or container.
struct FilesystemAttachment {
    std::string mount_point{};  ///< Required.
    bool read_only = false;     ///< Required.

    std::string life{};

    /// Member-wise comparison.
    bool operator==(const FilesystemAttachment&) const = default;
};

/// Where a filesystem is attached.
struct FilesystemAttachments {
    FlatMap<std::string, FilesystemAttachment> machines{};
    FlatMap<std::string, FilesystemAttachment> containers{};
    FlatMap<std::string, UnitStorageAttachment> units{};

    /// Member-wise comparison.
    bool operator==(const FilesystemAttachments&) const = default;
};

/// One filesystem (e.g. "0/0").
struct FilesystemInfo {
    std::uint64_t size = 0;  ///< Required, in MiB.

    std::string provider_id{};
    std::string volume{};
    std::string storage{};
    FilesystemAttachments attachments{};
    std::string pool{};
    std::string life{};
    EntityStatus status{};

    /// Member-wise comparison.
    bool operator==(const FilesystemInfo&) const = default;
};

/// A volume's attachment to one machine or container.
struct VolumeAttachment {
    bool read_only = false;  ///< Required.

    std::string device{};
    std::string device_link{};
    std::string bus_address{};
    std::string life{};

    /// Member-wise comparison.
    bool operator==(const VolumeAttachment&) const = default;
};

/// Where a volume is attached.
struct VolumeAttachments {
    FlatMap<std::string, VolumeAttachment> machines{};
    FlatMap<std::string, VolumeAttachment> containers{};
    FlatMap<std::string, UnitStorageAttachment> units{};

    /// Member-wise comparison.
    bool operator==(const VolumeAttachments&) const = default;
};

/// One block volume (e.g. "0/1").
struct VolumeInfo {
    std::uint64_t size = 0;   ///< Required, in MiB.
    bool persistent = false;  ///< Required.

    std::string provider_id{};
    std::string storage{};
    VolumeAttachments attachments{};
    std::string pool{};
    std::string hardware_id{};
    std::string wwn{};
    std::string life{};
    EntityStatus status{};

    /// Member-wise comparison.
    bool operator==(const VolumeInfo&) const = default;
};

/// Storage section of the status (only filled in by `juju status --storage`).
struct CombinedStorage {
    FlatMap<std::string, StorageInfo> storage{};
    FlatMap<std::string, FilesystemInfo> filesystems{};
    FlatMap<std::string, VolumeInfo> volumes{};

    /// Member-wise comparison.
    bool operator==(const CombinedStorage&) const = default;
};

/// Controller information attached to the status.
struct ControllerStatus {
    std::string timestamp{};

    /// Member-wise comparison.
    bool operator==(const ControllerStatus&) const = default;
};

/// An LXD profile applied to a machine.
struct LxdProfileContents {
    FlatMap<std::string, std::string> config{};                         ///< Required.
    std::string description{};                                          ///< Required.
    FlatMap<std::string, FlatMap<std::string, std::string>> devices{};  ///< Required.

    /// Member-wise comparison.
    bool operator==(const LxdProfileContents&) const = default;
};

/// One network interface of a machine.
struct NetworkInterface {
    std::vector<std::string> ip_addresses{};  ///< Required.
    std::string mac_address{};                ///< Required.
    bool is_up = false;                       ///< Required.

    std::string gateway{};
    std::vector<std::string> dns_nameservers{};
    std::string space{};

    /// Member-wise comparison.
    bool operator==(const NetworkInterface&) const = default;
};

/// Status of one machine or container.
struct MachineStatus {
    StatusInfo juju_status{};
    std::string hostname{};
    std::string dns_name{};
    std::vector<std::string> ip_addresses{};
    std::string instance_id{};
    std::string display_name{};
    StatusInfo machine_status{};
    StatusInfo modification_status{};
    std::optional<FormattedBase> base{};
    FlatMap<std::string, NetworkInterface> network_interfaces{};
    /// Containers on this machine, by machine ID (e.g. "0/lxd/0").
    FlatMap<std::string, MachineStatus> containers{};
    std::string constraints{};
    std::string hardware{};
    std::string controller_member_status{};
    bool ha_primary = false;
    FlatMap<std::string, LxdProfileContents> lxd_profiles{};

    /// Member-wise comparison (recursing into containers).
    bool operator==(const MachineStatus&) const = default;
};

/// Status and basic information about the model.
struct ModelStatus {
    std::string name{};        ///< Required: model name.
    std::string type{};        ///< Required: "iaas", or "caas" for a Kubernetes model.
    std::string controller{};  ///< Required: controller name.
    std::string cloud{};       ///< Required: cloud name, e.g. "aws" or "microk8s".
    std::string version{};     ///< Required: Juju agent version.

    std::string region{};             ///< Cloud region.
    std::string upgrade_available{};  ///< Newer agent version, if one is available.
    StatusInfo model_status{};        ///< Normally current == "available".

    /// Member-wise comparison.
    bool operator==(const ModelStatus&) const = default;
};

/// An endpoint of an offer or of a consumed (remote) application.
struct RemoteEndpoint {
    std::string interface {};  ///< Required.
    std::string role{};        ///< Required: "provider", "requirer" or "peer".

    /// Member-wise comparison.
    bool operator==(const RemoteEndpoint&) const = default;
};

/// An offer made from this model.
///
/// When Juju reports `status-error` for an offer, app is "<failed> (<error>)".
struct OfferStatus {
    std::string app{};                                 ///< Required: the offered application.
    FlatMap<std::string, RemoteEndpoint> endpoints{};  ///< Required.

    std::string charm{};
    int total_connected_count = 0;
    int active_connected_count = 0;

    /// Member-wise comparison.
    bool operator==(const OfferStatus&) const = default;
};

/// An application consumed from another model (a `juju consume`d offer).
struct RemoteAppStatus {
    std::string url{};  ///< Required: offer URL; "<failed>" when Juju reported status-error.

    FlatMap<std::string, RemoteEndpoint> endpoints{};
    std::string life{};
    StatusInfo app_status{};
    /// Local applications related on each endpoint.
    FlatMap<std::string, std::vector<std::string>> relations{};

    /// Member-wise comparison.
    bool operator==(const RemoteAppStatus&) const = default;
};

/// Parsed `juju status --format json`.
struct Status {
    ModelStatus model{};                             ///< Required.
    FlatMap<std::string, MachineStatus> machines{};  ///< Required: by machine ID, e.g. "0".
    FlatMap<std::string, AppStatus> apps{};          ///< Required: by application name.

    /// Consumed remote applications, by local name.
    FlatMap<std::string, RemoteAppStatus> app_endpoints{};
    /// Offers made from this model, by offer name.
    FlatMap<std::string, OfferStatus> offers{};
    CombinedStorage storage{};
    ControllerStatus controller{};

    /// Parses the output of `juju status --format json`.
    ///
    /// Unknown keys are ignored and absent (or null) optional fields keep their defaults.
    /// Throws ParseError when the text is not JSON, when a required field is missing, or when
    /// a field has the wrong type; the message gives the JSON path of the offending value.
    static Status from_json(std::string_view json);

    /// Compares everything except `controller`, whose timestamp changes on every call; this is
    /// what lets Juju::wait notice that nothing but time has moved on.
    bool operator==(const Status& other) const;

    /// All units of `app`, including the units of a subordinate application (found under the
    /// units of its principals; principals missing from `apps` are skipped). Empty when the
    /// application does not exist.
    FlatMap<std::string, UnitStatus> get_units(std::string_view app) const;
};

// The maps of the status types are instantiated once, in the library (statustypes.cpp): a test
// file that holds a Status then calls the library's copy of their members instead of compiling
// them again, which was a large part of what including juju.hpp cost a test file.
// statustypes.cpp itself defines JUBILANT_STATUS_MAPS_DEFINED_HERE, so that its parser still
// inlines them.
#ifndef JUBILANT_STATUS_MAPS_DEFINED_HERE
extern template class FlatMap<std::string, AppStatus>;
extern template class FlatMap<std::string, FilesystemAttachment>;
extern template class FlatMap<std::string, FilesystemInfo>;
extern template class FlatMap<std::string, LxdProfileContents>;
extern template class FlatMap<std::string, MachineStatus>;
extern template class FlatMap<std::string, NetworkInterface>;
extern template class FlatMap<std::string, OfferStatus>;
extern template class FlatMap<std::string, RemoteAppStatus>;
extern template class FlatMap<std::string, RemoteEndpoint>;
extern template class FlatMap<std::string, StorageInfo>;
extern template class FlatMap<std::string, UnitStatus>;
extern template class FlatMap<std::string, UnitStorageAttachment>;
extern template class FlatMap<std::string, VolumeAttachment>;
extern template class FlatMap<std::string, VolumeInfo>;
extern template class FlatMap<std::string, std::string>;
extern template class FlatMap<std::string, FlatMap<std::string, std::string>>;
extern template class FlatMap<std::string, std::vector<AppStatusRelation>>;
extern template class FlatMap<std::string, std::vector<std::string>>;
#endif

// Readable multi-line rendering, in the layout of Jubilant's repr(): ClassName(field=value, ...)
// with fields left at their default omitted, one line per field once a value gets long.
// Map entries come in key order, so the output is deterministic.

/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const FormattedBase& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const StatusInfo& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const AppStatusRelation& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const UnitStatus& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const AppStatus& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const EntityStatus& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const UnitStorageAttachment& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const StorageAttachments& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const StorageInfo& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const FilesystemAttachment& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const FilesystemAttachments& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const FilesystemInfo& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const VolumeAttachment& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const VolumeAttachments& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const VolumeInfo& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const CombinedStorage& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const ControllerStatus& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const LxdProfileContents& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const NetworkInterface& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const MachineStatus& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const ModelStatus& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const RemoteEndpoint& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const OfferStatus& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const RemoteAppStatus& value);
/// Prints `value` in the pretty layout described above.
std::ostream& operator<<(std::ostream& os, const Status& value);

}  // namespace jubilant
