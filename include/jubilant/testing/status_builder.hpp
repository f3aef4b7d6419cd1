// StatusBuilder: realistic `juju status --format json` documents for tests, built fluently.
//
//   using namespace jubilant::testkit;
//   auto deploying = StatusBuilder()
//                        .model("test")
//                        .app("pg", {.charm = "postgresql", .channel = "14/stable", .units = 3,
//                                    .workload = "maintenance", .agent = "executing"});
//   StatusBuilder ready = deploying;                  // builders are values: copy, then change
//   ready.units_status("pg", "active", "idle").unit_status("pg/2", "active", "idle", "Primary");
//
//   EXPECT_CALL(*backend, run(Command("status")))
//       .WillRepeatedly(ReturnStatuses(StatusSequence().then(deploying, 2).then(ready)));
//   juju.wait(jubilant::all_active);                  // sees 2 polls deploying, then ready
//
// The documents follow Juju 3.x's layout (keys, nesting, which fields appear for machine and
// Kubernetes models), with deterministic addresses, host names and timestamps, so they parse
// with jubilant::Status::from_json like the real thing and compare equal from run to run.
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>

#include <jubilant/backend.hpp>
#include <jubilant/statustypes.hpp>

namespace jubilant {

/// GoogleTest prints a Status with this (found by argument-dependent lookup): its gron lines
/// (Jubilant's `path = value` form), one per non-default leaf, separated by escaped newlines,
/// which is what makes a failed `EXPECT_EQ(status, expected)` end with a unified diff of the
/// two statuses ("With diff:") instead of leaving two long dumps to compare by eye.
void PrintTo(const Status& status, std::ostream* os);

}  // namespace jubilant

namespace jubilant::testkit {

/// Options of StatusBuilder::model. Empty strings take defaults that depend on `type`.
struct ModelOptions {
    /// "iaas" (machines) or "caas" (Kubernetes: no machines, pods with addresses).
    std::string type = "iaas";
    /// Default: "localhost-localhost" for iaas, "microk8s-localhost" for caas.
    std::string controller{};
    /// Default: "localhost" for iaas, "microk8s" for caas.
    std::string cloud{};
    std::string region = "localhost";
    /// Juju agent version, also shown on every agent status.
    std::string version = "3.6.4";
    /// The model's status, normally "available".
    std::string status = "available";
};

/// Options of StatusBuilder::app and StatusBuilder::subordinate. Designated initializers must
/// follow this order.
struct AppOptions {
    /// Charm name. Default: the application name.
    std::string charm{};
    std::string channel = "latest/stable";
    int revision = 1;
    /// Number of units (ignored for subordinates, which get one per principal unit).
    int units = 1;
    /// Workload status of every unit.
    std::string workload = "active";
    /// Agent status of every unit ("idle", "executing", "allocating", ...).
    std::string agent = "idle";
    /// Workload message of every unit.
    std::string message{};
    /// Base as `name@channel`.
    std::string base = "ubuntu@22.04";
    /// "charmhub", or "local" for a local charm (shown as `local:<charm>-<revision>`).
    std::string charm_origin = "charmhub";
    bool exposed = false;
    /// Workload version; omitted when empty.
    std::string version{};
    /// Ports every unit opens, e.g. {"5432/tcp"}.
    std::vector<std::string> open_ports{};
    /// Placement of the units, in order: existing or new machine IDs ("0") or containers
    /// ("0/lxd/1"). Units beyond the list get a new machine each. Ignored on Kubernetes.
    std::vector<std::string> to{};
};

/// Changes to one unit (StatusBuilder::unit); unset fields keep their value.
struct UnitChanges {
    std::optional<std::string> workload{};
    std::optional<std::string> workload_message{};
    std::optional<std::string> agent{};
    std::optional<std::string> agent_message{};
    /// Making a unit leader takes leadership from the others of its application.
    std::optional<bool> leader{};
    /// `public-address` on machines, `address` on Kubernetes.
    std::optional<std::string> address{};
    std::optional<std::vector<std::string>> open_ports{};
};

/// Changes to one machine or container (StatusBuilder::machine); unset fields keep their value.
struct MachineChanges {
    /// Agent status: "pending", "started", "down", "error".
    std::optional<std::string> agent{};
    std::optional<std::string> agent_message{};
    /// Instance status: "pending", "allocating", "running", "provisioning error".
    std::optional<std::string> instance{};
    std::optional<std::string> instance_message{};
    std::optional<std::string> address{};
    /// Base as `name@channel`.
    std::optional<std::string> base{};
};

/// An endpoint of an offer or of a consumed application.
struct EndpointSpec {
    std::string name{};
    std::string interface {};
    /// "provider", "requirer" or "peer".
    std::string role = "provider";
};

/// Options of StatusBuilder::offer.
struct OfferOptions {
    /// The offered endpoints; at least one.
    std::vector<EndpointSpec> endpoints{};
    int total_connected = 0;
    int active_connected = 0;
};

/// Options of StatusBuilder::consume (an application consumed from another model).
struct RemoteAppOptions {
    /// Offer URL, e.g. "lxd:admin/web.wordpress".
    std::string url{};
    std::vector<EndpointSpec> endpoints{};
    std::string status = "active";
    std::string message{};
};

/// Builds a `juju status --format json` document. A copyable value: derive variations of a
/// base state by copying it. Methods throw jubilant::Error when they name an application,
/// unit or machine that does not exist (or add one twice), so a typo fails at its line.
class StatusBuilder {
public:
    /// An empty iaas model "test" on controller "localhost-localhost".
    StatusBuilder();
    ~StatusBuilder();
    /// Copies are deep: changing one never changes the other.
    StatusBuilder(const StatusBuilder& other);
    /// Replaces this builder's state with a deep copy of `other`'s.
    StatusBuilder& operator=(const StatusBuilder& other);

    /// Sets the model's name and details. Call it before adding applications: on "caas"
    /// units get pod addresses and no machines.
    StatusBuilder& model(std::string name, ModelOptions options = {});

    /// Adds an application with units `<name>/0` .. `<name>/<units-1>`; `<name>/0` is the
    /// leader. On machine models each unit gets a machine (see AppOptions::to).
    StatusBuilder& app(std::string name, AppOptions options = {});

    /// Adds subordinate application `name` to `principal`: one unit per principal unit, under
    /// that unit's subordinates, and a `juju-info` container-scoped relation. Called again
    /// with another principal, adds that one too.
    StatusBuilder& subordinate(std::string name, std::string principal, AppOptions options = {});

    /// Scales `app` to `units` units: new units (and their subordinates and machines) are
    /// numbered after the highest ever used, as Juju does; removal takes the newest first.
    StatusBuilder& scale(const std::string& app, int units);

    /// Removes an application, its units, their subordinate units, its relations and offers.
    StatusBuilder& remove_app(const std::string& app);

    /// Sets one unit's workload and agent status (principal or subordinate unit).
    StatusBuilder& unit_status(const std::string& unit, std::string workload,
                               std::string agent = "idle", std::string message = {});

    /// Sets the workload and agent status of every unit of `app`.
    StatusBuilder& units_status(const std::string& app, std::string workload,
                                std::string agent = "idle", std::string message = {});

    /// Changes any detail of one unit.
    StatusBuilder& unit(const std::string& unit, UnitChanges changes);

    /// Makes `unit` the leader of its application.
    StatusBuilder& leader(const std::string& unit);

    /// Sets the application status. Without it, the status is derived from the units as Juju
    /// does: the most severe workload status (error, blocked, maintenance, waiting, active,
    /// unknown) with its message.
    StatusBuilder& app_status(const std::string& app, std::string current,
                              std::string message = {});

    /// Adds machine or container `id` (e.g. "3" or "0/lxd/0"; a container's machine is added
    /// too when missing) or changes an existing one.
    StatusBuilder& machine(const std::string& id, MachineChanges changes = {});

    /// Relates two endpoints given as "app:endpoint"; `interface` defaults to the second
    /// endpoint's name. Either side may be a consumed application (see consume()).
    StatusBuilder& relate(const std::string& first, const std::string& second,
                          std::string interface = {});

    /// Adds a peer relation on "app:endpoint".
    StatusBuilder& peer(const std::string& endpoint, std::string interface = {});

    /// Offers `app` as `name` (the `offers` section).
    StatusBuilder& offer(std::string name, const std::string& app, OfferOptions options);

    /// Adds an application consumed from another model (the `application-endpoints` section).
    StatusBuilder& consume(std::string name, RemoteAppOptions options);

    /// The document as `juju status --format json` prints it: compact, keys of each object in
    /// Juju's order, map entries sorted by name.
    std::string json() const;

    /// The same document indented by two spaces, for reading or for fixture files.
    std::string pretty_json() const;

    /// The document parsed by Status::from_json.
    Status status() const;

private:
    struct Model;
    std::unique_ptr<Model> model_;
};

/// A script of status documents for a test that calls Juju::wait: each document is served for
/// a number of polls, in order, and the last one from then on.
class StatusSequence {
public:
    /// Serves `status` for the next `polls` polls.
    StatusSequence& then(const StatusBuilder& status, int polls = 1);
    /// Serves the document `json` for the next `polls` polls.
    StatusSequence& then(std::string json, int polls = 1);

    /// One document per poll, in order.
    const std::vector<std::string>& documents() const noexcept { return documents_; }

private:
    std::vector<std::string> documents_;
};

/// The GoogleMock action type of MockBackend::run.
using RunAction = ::testing::Action<CliResult(const CliRequest&)>;

/// Action: succeed with `status` as stdout, as `juju status --format json` prints it.
RunAction ReturnStatus(const StatusBuilder& status);

/// Action: succeed with the status document `json` as stdout.
RunAction ReturnStatus(std::string json);

/// Action for a mocked `status` command: serves the documents of `script` in order, one per
/// call, then repeats the last. Copies of the action share their position, as GoogleMock
/// copies actions freely. Throws jubilant::Error if the script is empty.
RunAction ReturnStatuses(StatusSequence script);

}  // namespace jubilant::testkit
