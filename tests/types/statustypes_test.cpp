// Tests of the typed status: parsing the fixtures, the convenience predicates, equality, the
// pretty printer, gron_lines/line_diff, and every way a document can be rejected.
//
// Expected printer output, line counts and diffs were cross-checked against Jubilant 1.12
// itself (its _pretty.dump, _pretty.gron and _pretty.diff) on the same fixtures.
#include <jubilant/format.hpp>
#include <jubilant/statustypes.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <jubilant/errors.hpp>
#include "print/pretty.hpp"

namespace {

using jubilant::AppStatus;
using jubilant::MachineStatus;
using jubilant::OfferStatus;
using jubilant::ParseError;
using jubilant::RemoteAppStatus;
using jubilant::Status;
using jubilant::StatusInfo;
using jubilant::UnitStatus;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string read_fixture(const std::string& name) {
    const std::string path = std::string(JUBILANT_FIXTURES_DIR) + "/status/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open fixture " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Status parse_fixture(const std::string& name) { return Status::from_json(read_fixture(name)); }

// The message of the ParseError thrown while parsing `json`; fails the test if none is thrown.
std::string parse_error(std::string_view json) {
    try {
        (void)Status::from_json(json);
    } catch (const ParseError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no ParseError for: " << json.substr(0, 200);
    return {};
}

constexpr std::string_view kModel =
    R"("model": {"name": "m", "type": "iaas", "controller": "c", "cloud": "lxd", )"
    R"("version": "3.6.4"})";

// A minimal document with `body` spliced in after the required top-level keys.
std::string doc(std::string_view body = "") {
    std::string json = fmt::format(R"({{{}, "machines": {{}}, "applications": {{}})", kModel);
    if (!body.empty()) json += fmt::format(", {}", body);
    return json + "}";
}

// A document with one application "pg" whose JSON is `app`.
std::string doc_with_app(std::string_view app) {
    return fmt::format(R"({{{}, "machines": {{}}, "applications": {{"pg": {}}}}})", kModel, app);
}

constexpr std::string_view kAppHead =
    R"("charm": "postgresql", "charm-origin": "charmhub", "charm-name": "postgresql", )"
    R"("charm-rev": 468, "exposed": false)";

std::string doc_with_unit(std::string_view unit) {
    return doc_with_app(fmt::format(R"({{{}, "units": {{"pg/0": {}}}}})", kAppHead, unit));
}

std::string to_text(const Status& status) {
    std::ostringstream out;
    out << status;
    return out.str();
}

// ---------------------------------------------------------------------------------------------
// Fixtures

TEST(StatusFixtures, IaasModel) {
    const Status status = parse_fixture("iaas.json");

    EXPECT_EQ(status.model.name, "prod");
    EXPECT_EQ(status.model.type, "iaas");
    EXPECT_EQ(status.model.controller, "aws-ctl");
    EXPECT_EQ(status.model.cloud, "aws");
    EXPECT_EQ(status.model.region, "us-east-1");
    EXPECT_EQ(status.model.version, "3.6.4");
    EXPECT_EQ(status.model.upgrade_available, "3.6.5");
    EXPECT_EQ(status.model.model_status.current, "available");
    EXPECT_EQ(status.model.model_status.since, "03 Mar 2025 09:12:40Z");
    EXPECT_EQ(status.controller.timestamp, "09:34:12Z");

    ASSERT_EQ(status.machines.size(), 3U);
    const MachineStatus& m0 = status.machines.at("0");
    EXPECT_EQ(m0.juju_status.current, "started");
    EXPECT_EQ(m0.juju_status.version, "3.6.4");
    EXPECT_EQ(m0.hostname, "ip-172-31-20-11");
    EXPECT_EQ(m0.dns_name, "54.210.33.17");
    EXPECT_THAT(m0.ip_addresses, ElementsAre("54.210.33.17", "172.31.20.11", "252.20.11.1"));
    EXPECT_EQ(m0.instance_id, "i-0a1b2c3d4e5f60718");
    EXPECT_EQ(m0.machine_status.current, "running");
    EXPECT_EQ(m0.modification_status.current, "idle");
    ASSERT_TRUE(m0.base.has_value());
    EXPECT_EQ(*m0.base, (jubilant::FormattedBase{"ubuntu", "22.04"}));
    EXPECT_EQ(m0.constraints, "arch=amd64 mem=8192M root-disk=32768M");
    EXPECT_THAT(m0.hardware, StartsWith("arch=amd64 cores=2 cpu-power=700"));
    EXPECT_FALSE(m0.ha_primary);
    ASSERT_EQ(m0.network_interfaces.size(), 2U);
    const auto& ens5 = m0.network_interfaces.at("ens5");
    EXPECT_THAT(ens5.ip_addresses, ElementsAre("172.31.20.11"));
    EXPECT_EQ(ens5.mac_address, "0e:4f:11:9a:02:31");
    EXPECT_EQ(ens5.gateway, "172.31.16.1");
    EXPECT_THAT(ens5.dns_nameservers, ElementsAre("172.31.0.2"));
    EXPECT_EQ(ens5.space, "alpha");
    EXPECT_TRUE(ens5.is_up);
    EXPECT_EQ(m0.network_interfaces.at("fan-252").gateway, "");

    ASSERT_EQ(m0.containers.size(), 1U);
    const MachineStatus& lxd = m0.containers.at("0/lxd/0");
    EXPECT_EQ(lxd.hostname, "juju-5e1f0a-0-lxd-0");
    EXPECT_EQ(lxd.machine_status.message, "Container started");
    EXPECT_EQ(lxd.modification_status.current, "applied");
    EXPECT_EQ(lxd.network_interfaces.at("eth0").gateway, "252.20.11.1");
    EXPECT_TRUE(lxd.containers.empty());
    const auto& profile = lxd.lxd_profiles.at("juju-prod-haproxy-75");
    EXPECT_EQ(profile.description, "haproxy kernel modules");
    EXPECT_EQ(profile.config.at("security.nesting"), "true");
    EXPECT_EQ(profile.devices.at("kmsg").at("type"), "unix-char");
    EXPECT_EQ(status.machines.at("2").base->channel, "24.04");

    ASSERT_EQ(status.apps.size(), 3U);
    const AppStatus& haproxy = status.apps.at("haproxy");
    EXPECT_EQ(haproxy.charm, "haproxy");
    EXPECT_EQ(haproxy.charm_origin, "charmhub");
    EXPECT_EQ(haproxy.charm_rev, 75);
    EXPECT_EQ(haproxy.charm_profile, "juju-prod-haproxy-75");
    EXPECT_TRUE(haproxy.exposed);
    EXPECT_EQ(haproxy.version, "2.4.24");
    EXPECT_EQ(haproxy.scale, 0);
    const UnitStatus& h0 = haproxy.units.at("haproxy/0");
    EXPECT_EQ(h0.machine, "0/lxd/0");
    EXPECT_TRUE(h0.leader);
    EXPECT_THAT(h0.open_ports, ElementsAre("80/tcp", "443/tcp"));
    EXPECT_EQ(h0.public_address, "252.20.11.104");
    EXPECT_EQ(h0.address, "");

    const AppStatus& pg = status.apps.at("postgresql");
    EXPECT_EQ(pg.charm_channel, "14/stable");
    EXPECT_EQ(pg.charm_rev, 468);
    ASSERT_EQ(pg.relations.size(), 4U);
    ASSERT_EQ(pg.relations.at("website").size(), 1U);
    EXPECT_EQ(pg.relations.at("website")[0],
              (jubilant::AppStatusRelation{"haproxy", "http", "global"}));
    EXPECT_EQ(pg.relations.at("juju-info")[0].scope, "container");
    EXPECT_EQ(pg.endpoint_bindings.at(""), "alpha");
    EXPECT_EQ(pg.endpoint_bindings.size(), 6U);
    ASSERT_EQ(pg.units.size(), 2U);
    const UnitStatus& pg1 = pg.units.at("postgresql/1");
    EXPECT_FALSE(pg1.leader);
    EXPECT_EQ(pg1.juju_status.current, "executing");
    EXPECT_EQ(pg1.juju_status.message, "running update-status hook");
    const UnitStatus& nrpe0 = pg.units.at("postgresql/0").subordinates.at("nrpe/0");
    EXPECT_TRUE(nrpe0.is_blocked());
    EXPECT_THAT(nrpe0.open_ports, ElementsAre("icmp", "5666/tcp"));
    EXPECT_TRUE(nrpe0.subordinates.empty());

    const AppStatus& nrpe = status.apps.at("nrpe");
    EXPECT_THAT(nrpe.subordinate_to, ElementsAre("postgresql"));
    EXPECT_TRUE(nrpe.units.empty());
    EXPECT_TRUE(nrpe.is_blocked());

    ASSERT_EQ(status.storage.storage.size(), 3U);
    const auto& pgdata = status.storage.storage.at("pgdata/0");
    EXPECT_EQ(pgdata.kind, "filesystem");
    EXPECT_EQ(pgdata.life, "alive");
    EXPECT_EQ(pgdata.status.current, "attached");
    EXPECT_FALSE(pgdata.persistent);
    ASSERT_TRUE(pgdata.attachments.has_value());
    EXPECT_EQ(pgdata.attachments->units.at("postgresql/0").location,
              "/var/snap/charmed-postgresql/common");
    EXPECT_FALSE(status.storage.storage.at("pgdata/2").attachments.has_value());
    EXPECT_EQ(status.storage.storage.at("pgdata/2").status.message, "waiting for machine");
    EXPECT_TRUE(status.storage.storage.at("logs/1").persistent);

    const auto& fs = status.storage.filesystems.at("1/0");
    EXPECT_EQ(fs.size, 30720U);
    EXPECT_EQ(fs.pool, "rootfs");
    EXPECT_EQ(fs.storage, "pgdata/0");
    EXPECT_EQ(fs.volume, "");
    EXPECT_EQ(fs.attachments.machines.at("1").mount_point, "/var/snap/charmed-postgresql/common");
    EXPECT_FALSE(fs.attachments.machines.at("1").read_only);
    EXPECT_EQ(fs.attachments.units.at("postgresql/0").machine, "1");

    const auto& vol = status.storage.volumes.at("1/1");
    EXPECT_EQ(vol.size, 10240U);
    EXPECT_TRUE(vol.persistent);
    EXPECT_EQ(vol.provider_id, "vol-07e4b1c2d3a4f5e60");
    EXPECT_EQ(vol.hardware_id, "nvme-Amazon_Elastic_Block_Store_vol07e4b1c2d3a4f5e60");
    EXPECT_EQ(vol.pool, "ebs");
    EXPECT_EQ(vol.wwn, "");
    EXPECT_EQ(vol.attachments.machines.at("1").device, "nvme1n1");
    EXPECT_THAT(vol.attachments.machines.at("1").device_link, StartsWith("/dev/disk/by-id/"));
    EXPECT_TRUE(vol.attachments.containers.empty());

    EXPECT_TRUE(status.offers.empty());
    EXPECT_TRUE(status.app_endpoints.empty());
}

TEST(StatusFixtures, KubernetesModel) {
    const Status status = parse_fixture("k8s.json");

    EXPECT_EQ(status.model.type, "caas");
    EXPECT_EQ(status.model.cloud, "microk8s");
    EXPECT_EQ(status.model.upgrade_available, "");
    EXPECT_TRUE(status.machines.empty());
    ASSERT_EQ(status.apps.size(), 3U);

    const AppStatus& grafana = status.apps.at("grafana");
    EXPECT_EQ(grafana.scale, 2);
    EXPECT_EQ(grafana.provider_id, "2f9b6c30-51a8-4e7d-8c1f-64ad03b7e215");
    EXPECT_EQ(grafana.address, "10.152.183.91");
    EXPECT_EQ(grafana.charm, "grafana-k8s");
    EXPECT_EQ(grafana.base->channel, "20.04");
    ASSERT_EQ(grafana.units.size(), 2U);
    const UnitStatus& g1 = grafana.units.at("grafana/1");
    EXPECT_EQ(g1.provider_id, "grafana-1");
    EXPECT_EQ(g1.address, "10.1.64.85");
    EXPECT_EQ(g1.machine, "");
    EXPECT_EQ(g1.public_address, "");
    EXPECT_FALSE(g1.leader);
    EXPECT_TRUE(grafana.units.at("grafana/0").leader);

    const AppStatus& alertmanager = status.apps.at("alertmanager");
    EXPECT_TRUE(alertmanager.is_waiting());
    EXPECT_TRUE(alertmanager.relations.empty());
    const UnitStatus& a0 = alertmanager.units.at("alertmanager/0");
    EXPECT_TRUE(a0.is_maintenance());
    EXPECT_EQ(a0.juju_status.current, "executing");
    EXPECT_EQ(a0.juju_status.message, "running config-changed hook");

    EXPECT_TRUE(status.apps.at("traefik").exposed);

    const auto& fs = status.storage.filesystems.at("0");
    EXPECT_EQ(fs.volume, "0");
    EXPECT_EQ(fs.pool, "kubernetes");
    EXPECT_EQ(fs.attachments.containers.at("grafana/0").mount_point, "/var/lib/grafana");
    EXPECT_TRUE(fs.attachments.machines.empty());
    EXPECT_EQ(fs.attachments.units.at("grafana/0").machine, "");
    const auto& vol = status.storage.volumes.at("0");
    EXPECT_FALSE(vol.attachments.containers.at("grafana/0").read_only);
    EXPECT_EQ(vol.status.message, "Bound");
    EXPECT_EQ(vol.pool, "");
}

TEST(StatusFixtures, OffersAndConsumedApplications) {
    const Status status = parse_fixture("cross_model.json");

    ASSERT_EQ(status.offers.size(), 2U);
    const OfferStatus& mysql = status.offers.at("mysql");
    EXPECT_EQ(mysql.app, "mysql");
    EXPECT_EQ(mysql.charm, "ch:amd64/mysql-240");
    EXPECT_EQ(mysql.total_connected_count, 2);
    EXPECT_EQ(mysql.active_connected_count, 1);
    EXPECT_EQ(mysql.endpoints.at("database"),
              (jubilant::RemoteEndpoint{"mysql_client", "provider"}));
    const OfferStatus& metrics = status.offers.at("mysql-metrics");
    EXPECT_EQ(metrics.total_connected_count, 0);
    EXPECT_EQ(metrics.active_connected_count, 0);
    EXPECT_EQ(metrics.endpoints.at("cos-agent").interface, "cos_agent");

    ASSERT_EQ(status.app_endpoints.size(), 2U);
    const RemoteAppStatus& prometheus = status.app_endpoints.at("prometheus");
    EXPECT_EQ(prometheus.url, "microk8s:admin/cos.prometheus-receive-remote-write");
    EXPECT_EQ(prometheus.endpoints.at("receive-remote-write").role, "provider");
    EXPECT_EQ(prometheus.app_status.current, "active");
    EXPECT_EQ(prometheus.life, "");
    EXPECT_THAT(prometheus.relations.at("receive-remote-write"), ElementsAre("grafana-agent"));
    const RemoteAppStatus& wordpress = status.app_endpoints.at("wordpress");
    EXPECT_EQ(wordpress.life, "dying");
    EXPECT_EQ(wordpress.app_status.current, "terminated");
    EXPECT_EQ(wordpress.app_status.message, "offer has been removed");
    EXPECT_TRUE(wordpress.relations.empty());
    EXPECT_EQ(wordpress.endpoints.at("database").role, "requirer");

    EXPECT_EQ(status.apps.at("mysql").relations.at("database")[0].related_app, "wordpress");
    EXPECT_EQ(status.apps.at("mysql").version, "8.0.39-0ubuntu0.22.04.1");
    EXPECT_TRUE(status.storage.storage.empty());
}

TEST(StatusFixtures, ErrorsAndStatusErrors) {
    const Status status = parse_fixture("mixed_errors.json");

    // Entities Juju could not read come back as {"status-error": ...}.
    AppStatus broken;
    broken.charm = broken.charm_origin = broken.charm_name = "<failed>";
    broken.charm_rev = -1;
    broken.app_status = StatusInfo{
        .current = "failed", .message = "cannot get application \"broken\": permission denied"};
    EXPECT_EQ(status.apps.at("broken"), broken);
    EXPECT_FALSE(status.apps.at("broken").exposed);

    const StatusInfo machine_failed{.current = "failed",
                                    .message = "cannot get machine \"3\": machine 3 not found"};
    EXPECT_EQ(status.machines.at("3"),
              (MachineStatus{.juju_status = machine_failed, .machine_status = machine_failed}));

    const StatusInfo unit_failed{.current = "failed",
                                 .message = "unit \"ceph-osd/1\" has no machine"};
    EXPECT_EQ(status.apps.at("ceph-osd").units.at("ceph-osd/1"),
              (UnitStatus{.workload_status = unit_failed, .juju_status = unit_failed}));

    EXPECT_EQ(status.offers.at("zk"),
              (OfferStatus{.app = "<failed> (cannot get offer \"zk\": connection is shut down)"}));
    EXPECT_TRUE(status.offers.at("zk").endpoints.empty());

    const RemoteAppStatus& monitoring = status.app_endpoints.at("monitoring");
    EXPECT_EQ(monitoring.url, "<failed>");
    EXPECT_EQ(monitoring.app_status.current, "failed");
    EXPECT_EQ(monitoring.app_status.message,
              "cannot get remote application \"monitoring\": offer not found");

    const AppStatus& kafka = status.apps.at("kafka");
    EXPECT_TRUE(kafka.is_error());
    EXPECT_EQ(kafka.app_status.message, "hook failed: \"config-changed\"");
    EXPECT_EQ(kafka.life, "dying");
    EXPECT_EQ(kafka.can_upgrade_to, "ch:amd64/kafka-15");
    EXPECT_TRUE(kafka.units.at("kafka/0").is_error());
    EXPECT_EQ(kafka.units.at("kafka/0").upgrading_from, "ch:amd64/kafka-11");
    EXPECT_EQ(kafka.units.at("kafka/1").juju_status.current, "lost");
    EXPECT_EQ(kafka.units.at("kafka/1").workload_status.current, "unknown");

    EXPECT_TRUE(status.apps.at("zookeeper").is_blocked());
    EXPECT_TRUE(status.apps.at("zookeeper").units.at("zookeeper/0").is_blocked());
    EXPECT_TRUE(status.apps.at("zookeeper").units.at("zookeeper/1").is_active());
    EXPECT_TRUE(status.apps.at("vault").is_maintenance());
    EXPECT_TRUE(status.apps.at("ceph-osd").is_waiting());

    const MachineStatus& pending = status.machines.at("1");
    EXPECT_EQ(pending.instance_id, "pending");
    EXPECT_EQ(pending.machine_status.current, "allocating");
    EXPECT_EQ(pending.hostname, "");
    EXPECT_TRUE(pending.network_interfaces.empty());
    EXPECT_EQ(status.machines.at("2").modification_status.current, "error");
    EXPECT_EQ(status.machines.at("2").machine_status.message,
              "Failed creating instance record: Instance \"juju-2b9e11-2\" is not running");
}

TEST(StatusFixtures, GetUnitsFindsSubordinatesUnderTheirPrincipals) {
    const Status status = parse_fixture("iaas.json");

    const auto nrpe = status.get_units("nrpe");
    ASSERT_EQ(nrpe.size(), 2U);
    EXPECT_EQ(nrpe.at("nrpe/0").public_address, "3.88.140.9");
    EXPECT_EQ(nrpe.at("nrpe/1").public_address, "18.207.1.250");
    EXPECT_TRUE(nrpe.at("nrpe/0").leader);

    EXPECT_EQ(status.get_units("postgresql"), status.apps.at("postgresql").units);
    EXPECT_EQ(status.get_units("haproxy").size(), 1U);
    EXPECT_TRUE(status.get_units("nope").empty());

    const Status cross = parse_fixture("cross_model.json");
    const auto agent = cross.get_units("grafana-agent");
    ASSERT_EQ(agent.size(), 1U);
    EXPECT_TRUE(agent.at("grafana-agent/0").is_active());
}

TEST(StatusFixtures, GetUnitsSkipsPrincipalsThatAreMissing) {
    const Status status = Status::from_json(
        doc_with_app(fmt::format(R"({{{}, "subordinate-to": ["gone"]}})", kAppHead)));
    EXPECT_TRUE(status.get_units("pg").empty());
}

// ---------------------------------------------------------------------------------------------
// Defaults, unknown fields, nulls, duplicates

TEST(StatusParse, MinimalDocumentHasDefaults) {
    const Status status = Status::from_json(doc());
    EXPECT_EQ(status.model.name, "m");
    EXPECT_EQ(status.model.region, "");
    EXPECT_EQ(status.model.model_status, StatusInfo{});
    EXPECT_TRUE(status.machines.empty());
    EXPECT_TRUE(status.apps.empty());
    EXPECT_TRUE(status.app_endpoints.empty());
    EXPECT_TRUE(status.offers.empty());
    EXPECT_EQ(status.storage, jubilant::CombinedStorage{});
    EXPECT_EQ(status.controller.timestamp, "");
}

TEST(StatusParse, UnknownFieldsAreIgnoredAtEveryLevel) {
    const std::string plain = doc_with_unit(R"({"leader": true})");
    const std::string extra =
        fmt::format(R"({{{}, "sla": "unsupported", "new-top": {{"deep": [1, {{"x": null}}]}}, )"
                    R"("machines": {{}}, "applications": {{"pg": {{{}, "meter": 1.5, )"
                    R"("units": {{"pg/0": {{"leader": true, "future": [true, false]}}}}}}}}}})",
                    kModel, kAppHead);
    EXPECT_EQ(Status::from_json(extra), Status::from_json(plain));
    EXPECT_TRUE(Status::from_json(extra).apps.at("pg").units.at("pg/0").leader);
}

TEST(StatusParse, NullOptionalFieldsTakeTheirDefaults) {
    const Status status = Status::from_json(doc_with_app(fmt::format(
        R"({{{}, "base": null, "scale": null, "units": null, "relations": null, )"
        R"("application-status": null, "charm-channel": null, "subordinate-to": null}})",
        kAppHead)));
    const AppStatus& pg = status.apps.at("pg");
    EXPECT_FALSE(pg.base.has_value());
    EXPECT_EQ(pg.scale, 0);
    EXPECT_TRUE(pg.units.empty());
    EXPECT_EQ(pg.app_status, StatusInfo{});
    EXPECT_EQ(pg.charm_channel, "");
}

TEST(StatusParse, RepeatedKeysKeepTheLastValue) {
    const Status status = Status::from_json(doc_with_unit(
        R"({"machine": "1", "machine": "2", "workload-status": {"current": "active"}, )"
        R"("workload-status": {"message": "only this"}})"));
    const UnitStatus& unit = status.apps.at("pg").units.at("pg/0");
    EXPECT_EQ(unit.machine, "2");
    EXPECT_EQ(unit.workload_status, (StatusInfo{.message = "only this"}));
}

TEST(StatusParse, MapsAreInKeyOrderWhateverTheDocumentOrder) {
    // Juju sorts keys as strings; a generator may not ("9" before "10"). Bytes compare as
    // unsigned, as in std::map: "z" comes before "\u00e9" (UTF-8 C3 A9).
    const Status status = Status::from_json(
        fmt::format(R"({{{}, "machines": {{"9": {{}}, "10": {{}}, "\u00e9": {{}}, "z": {{}}, )"
                    R"("1": {{"hostname": "one"}}, "0": {{}}}}, "applications": {{}}}})",
                    kModel));
    std::vector<std::string> ids;
    for (const auto& [id, machine] : status.machines) ids.push_back(id);
    EXPECT_THAT(ids, ElementsAre("0", "1", "10", "9", "z", "\xc3\xa9"));
    EXPECT_EQ(status.machines.at("1").hostname, "one");
    EXPECT_EQ(status, Status::from_json(fmt::format(
                          R"({{{}, "machines": {{"0": {{}}, "1": {{"hostname": "one"}}, )"
                          R"("10": {{}}, "9": {{}}, "z": {{}}, "\u00e9": {{}}}}, )"
                          R"("applications": {{}}}})",
                          kModel)));
}

TEST(StatusParse, RepeatedMapKeysKeepTheLastValue) {
    const Status status = Status::from_json(doc_with_app(fmt::format(
        R"({{{}, "units": {{"pg/1": {{"machine": "1"}}, "pg/0": {{"machine": "a", "leader": )"
        R"(true}}, "pg/2": {{}}, "pg/0": {{"machine": "b"}}}}}})",
        kAppHead)));
    const auto& units = status.apps.at("pg").units;
    ASSERT_EQ(units.size(), 3U);
    EXPECT_EQ(units.at("pg/0").machine, "b");
    EXPECT_FALSE(units.at("pg/0").leader);  // not merged with the earlier value
    EXPECT_EQ(units.at("pg/1").machine, "1");
}

TEST(StatusErrors, TheFirstBadValueInDocumentOrderIsReported) {
    // Values are read in key order when the keys are not sorted; the error must still be the
    // one a front-to-back reader meets first.
    EXPECT_EQ(parse_error(doc_with_app(fmt::format(
                  R"({{{}, "units": {{"pg/9": {{"leader": 1}}, "pg/1": {{"leader": "x"}}}}}})",
                  kAppHead))),
              R"(status JSON: .applications["pg"].units["pg/9"].leader: expected a boolean, got )"
              R"(integer)");
    // An earlier value of a repeated key is still checked, as before.
    EXPECT_EQ(parse_error(doc_with_app(fmt::format(
                  R"({{{}, "units": {{"pg/0": {{"leader": 1}}, "pg/0": {{}}}}}})", kAppHead))),
              R"(status JSON: .applications["pg"].units["pg/0"].leader: expected a boolean, got )"
              R"(integer)");
}

TEST(StatusParse, StatusErrorWinsOverEverythingElseInTheObject) {
    // Jubilant ignores the rest of an object carrying status-error, even fields of the wrong
    // type or a missing required field, wherever the key appears.
    const Status status = Status::from_json(
        doc_with_app(R"({"charm-rev": "not a number", "units": 7, "status-error": "boom"})"));
    EXPECT_EQ(status.apps.at("pg").app_status,
              (StatusInfo{.current = "failed", .message = "boom"}));
    EXPECT_EQ(status.apps.at("pg").charm_rev, -1);

    const Status unit = Status::from_json(
        doc_with_unit(R"({"workload-status": {"current": 5}, "status-error": "gone"})"));
    EXPECT_EQ(unit.apps.at("pg").units.at("pg/0").juju_status.message, "gone");

    const Status info = Status::from_json(doc_with_unit(
        R"({"juju-status": {"current": "idle", "status-error": "agent unreadable"}})"));
    EXPECT_EQ(info.apps.at("pg").units.at("pg/0").juju_status,
              (StatusInfo{.current = "failed", .message = "agent unreadable"}));
}

TEST(StatusParse, IntegersAtTheEdgesOfTheirRange) {
    const Status big = Status::from_json(doc(
        R"("storage": {"volumes": {"0": {"size": 18446744073709551615, "persistent": true}}})"));
    EXPECT_EQ(big.storage.volumes.at("0").size, 18446744073709551615U);
    const Status negative = Status::from_json(doc_with_app(
        R"({"charm": "c", "charm-origin": "o", "charm-name": "c", "charm-rev": -2147483648, )"
        R"("exposed": true})"));
    EXPECT_EQ(negative.apps.at("pg").charm_rev, -2147483648);
}

TEST(StatusParse, DeeplyNestedSubordinatesAndContainers) {
    // Far deeper than Juju ever nests, yet inside simdjson's depth limit: must not overflow.
    std::string unit = "{}";
    for (int i = 0; i < 400; ++i) {
        unit = fmt::format(R"({{"subordinates": {{"s/{}": {}}}}})", i, unit);
    }
    const Status status = Status::from_json(doc_with_unit(unit));
    const UnitStatus* u = &status.apps.at("pg").units.at("pg/0");
    int depth = 0;
    while (!u->subordinates.empty()) {
        u = &u->subordinates.begin()->second;
        ++depth;
    }
    EXPECT_EQ(depth, 400);
}

TEST(StatusParse, IsThreadSafe) {
    const std::string iaas = read_fixture("iaas.json");
    const std::string k8s = read_fixture("k8s.json");
    const Status want_iaas = Status::from_json(iaas);
    const Status want_k8s = Status::from_json(k8s);
    std::vector<int> ok(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                const bool even = (t + i) % 2 == 0;
                const Status got = Status::from_json(even ? iaas : k8s);
                ok[static_cast<std::size_t>(t)] += (got == (even ? want_iaas : want_k8s)) ? 1 : 0;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_THAT(ok, ElementsAre(50, 50, 50, 50));
}

// ---------------------------------------------------------------------------------------------
// Convenience predicates

struct PredicateCase {
    std::string current;
    int which;  // index into the predicate list below, or -1 for none
};
// A stable name for ctest (GoogleTest would print the struct's bytes, a heap address among them,
// so the test's name changed from run to run).
[[maybe_unused]] void PrintTo(const PredicateCase& c, std::ostream* os) {
    *os << '\'' << c.current << "' -> " << c.which;
}

class Predicates : public ::testing::TestWithParam<PredicateCase> {};

TEST_P(Predicates, ExactlyOneMatchesOnUnitsAndApps) {
    UnitStatus unit;
    unit.workload_status.current = GetParam().current;
    unit.juju_status.current = "active";  // must not influence the unit predicates
    AppStatus app;
    app.app_status.current = GetParam().current;
    const std::vector<bool> unit_results{unit.is_active(), unit.is_blocked(), unit.is_error(),
                                         unit.is_maintenance(), unit.is_waiting()};
    const std::vector<bool> app_results{app.is_active(), app.is_blocked(), app.is_error(),
                                        app.is_maintenance(), app.is_waiting()};
    std::vector<bool> want(5, false);
    if (GetParam().which >= 0) want[static_cast<std::size_t>(GetParam().which)] = true;
    EXPECT_EQ(unit_results, want);
    EXPECT_EQ(app_results, want);
}

INSTANTIATE_TEST_SUITE_P(Statuses, Predicates,
                         ::testing::Values(PredicateCase{"active", 0}, PredicateCase{"blocked", 1},
                                           PredicateCase{"error", 2},
                                           PredicateCase{"maintenance", 3},
                                           PredicateCase{"waiting", 4},
                                           PredicateCase{"unknown", -1}, PredicateCase{"", -1},
                                           PredicateCase{"Active", -1}));

// ---------------------------------------------------------------------------------------------
// Equality

TEST(StatusEquality, SameDocumentParsesEqual) {
    for (const char* name : {"iaas.json", "k8s.json", "cross_model.json", "mixed_errors.json"}) {
        EXPECT_EQ(parse_fixture(name), parse_fixture(name)) << name;
    }
    EXPECT_NE(parse_fixture("iaas.json"), parse_fixture("k8s.json"));
}

TEST(StatusEquality, ControllerTimestampIsIgnored) {
    Status a = parse_fixture("k8s.json");
    Status b = a;
    b.controller.timestamp = "23:59:59Z";
    EXPECT_EQ(a, b);
    EXPECT_NE(a.controller, b.controller);
    EXPECT_NE(jubilant::gron_lines(a), jubilant::gron_lines(b));
}

TEST(StatusEquality, AnyOtherChangeIsNoticed) {
    const Status base = parse_fixture("iaas.json");
    const std::vector<std::function<void(Status&)>> changes{
        [](Status& s) { s.model.model_status.message = "x"; },
        [](Status& s) { s.machines.at("0").containers.at("0/lxd/0").hardware = "x"; },
        [](Status& s) {
            auto& principal = s.apps.at("postgresql").units.at("postgresql/0");
            principal.subordinates.at("nrpe/0").leader = false;
        },
        [](Status& s) { s.apps.at("postgresql").relations.at("website")[0].scope = "container"; },
        [](Status& s) { s.apps.at("haproxy").base.reset(); },
        [](Status& s) {
            s.storage.volumes.at("1/1").attachments.machines.at("1").read_only = true;
        },
        [](Status& s) { s.offers["new"] = OfferStatus{}; },
        [](Status& s) { s.app_endpoints["new"] = RemoteAppStatus{}; },
        [](Status& s) { s.apps.at("nrpe").endpoint_bindings.erase("monitors"); },
    };
    for (std::size_t i = 0; i < changes.size(); ++i) {
        Status changed = base;
        changes[i](changed);
        EXPECT_NE(changed, base) << "change " << i;
        EXPECT_FALSE(changed == base) << "change " << i;
    }
}

// ---------------------------------------------------------------------------------------------
// Printing

TEST(StatusPrinting, MinimalStatus) {
    const Status status = Status::from_json(doc());
    const std::string want =
        "Status(\n"
        "  model=ModelStatus(name='m', type='iaas', controller='c', cloud='lxd', "
        "version='3.6.4'),\n"
        "  machines={},\n"
        "  apps={},\n"
        ")";
    EXPECT_EQ(to_text(status), want);
    EXPECT_EQ(fmt::format("{}", status), want);
}

TEST(StatusPrinting, ApplicationInTheRepeatedLayout) {
    const Status status = parse_fixture("k8s.json");
    const std::string want = R"(AppStatus(
  charm='traefik-k8s',
  charm_origin='charmhub',
  charm_name='traefik-k8s',
  charm_rev=203,
  exposed=True,
  base=FormattedBase(name='ubuntu', channel='20.04'),
  charm_channel='latest/stable',
  scale=1,
  provider_id='8d1e44b7-0c2a-4f83-a6e9-5b07f1c2d3e4',
  address='10.152.183.12',
  app_status=StatusInfo(current='active', message='Serving at 10.64.140.43', since='11 Apr 2025 14:04:58Z'),
  relations={
    'traefik-route': [
      AppStatusRelation(related_app='grafana', interface='traefik_route', scope='global'),
    ],
  },
  units={
    'traefik/0': UnitStatus(
      workload_status=StatusInfo(current='active', message='Serving at 10.64.140.43', since='11 Apr 2025 14:04:58Z'),
      juju_status=StatusInfo(current='idle', since='11 Apr 2025 14:05:01Z', version='3.6.1'),
      leader=True,
      open_ports=['80/tcp', '443/tcp'],
      address='10.1.64.70',
      provider_id='traefik-0',
    ),
  },
  version='2.11.0',
  endpoint_bindings={'': 'alpha', 'ingress': 'alpha', 'traefik-route': 'alpha'},
))";
    EXPECT_EQ(fmt::format("{}", status.apps.at("traefik")), want);

    const std::string volume = R"(VolumeInfo(
  size=1024,
  persistent=True,
  provider_id='pvc-3c5e1a2b-9f80-4d17-b6c3-0e2d4f6a8b91',
  storage='database/0',
  attachments=VolumeAttachments(
    containers={
      'grafana/0': VolumeAttachment(read_only=False, life='alive'),
    },
    units={
      'grafana/0': UnitStorageAttachment(location='/var/lib/grafana', life='alive'),
    },
  ),
  life='alive',
  status=EntityStatus(current='attached', message='Bound', since='11 Apr 2025 14:03:50Z'),
))";
    EXPECT_EQ(fmt::format("{}", status.storage.volumes.at("0")), volume);
}

TEST(StatusPrinting, WholeStatusIsDeterministicAndComplete) {
    const Status status = parse_fixture("iaas.json");
    const std::string text = to_text(status);
    EXPECT_EQ(text, to_text(parse_fixture("iaas.json")));
    EXPECT_EQ(fmt::format("{}", status), text);
    EXPECT_THAT(text, StartsWith("Status(\n  model=ModelStatus(\n    name='prod',\n"));
    EXPECT_THAT(text, HasSubstr("\n  controller=ControllerStatus(timestamp='09:34:12Z'),\n)"));
    EXPECT_THAT(text, HasSubstr("          'nrpe/0': UnitStatus(\n"));
    // Map keys come out sorted: haproxy, nrpe, postgresql.
    const auto haproxy = text.find("'haproxy': AppStatus(");
    const auto nrpe = text.find("'nrpe': AppStatus(");
    const auto postgresql = text.find("'postgresql': AppStatus(");
    ASSERT_NE(haproxy, std::string::npos);
    EXPECT_LT(haproxy, nrpe);
    EXPECT_LT(nrpe, postgresql);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 293);
}

TEST(StatusPrinting, LongValuesBreakOntoSeparateLines) {
    const StatusInfo info{.current = "blocked", .message = std::string(140, 'x')};
    EXPECT_EQ(fmt::format("{}", info),
              "StatusInfo(\n  current='blocked',\n  message='" + std::string(140, 'x') + "',\n)");
    const StatusInfo fits{.current = "blocked", .message = std::string(100, 'x')};
    EXPECT_EQ(fmt::format("{}", fits),
              "StatusInfo(current='blocked', message='" + std::string(100, 'x') + "')");
}

TEST(StatusPrinting, StringsAreQuotedLikePython) {
    EXPECT_EQ(fmt::format("{}", StatusInfo{.message = "it's"}), R"(StatusInfo(message="it's"))");
    EXPECT_EQ(fmt::format("{}", StatusInfo{.message = R"(say "hi")"}),
              R"(StatusInfo(message='say "hi"'))");
    EXPECT_EQ(fmt::format("{}", StatusInfo{.current = "active",
                                           .message = "it's \"fine\"\n\t\\ caf\u00e9 \x01 \u200b"}),
              R"(StatusInfo(current='active', message='it\'s "fine"\n\t\\ café \x01 \u200b'))");
    EXPECT_EQ(fmt::format("{}", StatusInfo{}), "StatusInfo()");
}

TEST(StatusPrinting, EveryTypeHasAnOstreamAndFmtForm) {
    const Status status = parse_fixture("iaas.json");
    std::ostringstream out;
    out << status.storage.storage.at("pgdata/0") << '|' << status.machines.at("0").base.value()
        << '|' << status.storage.filesystems.at("1/0").attachments.machines.at("1");
    EXPECT_EQ(out.str(),
              "StorageInfo(\n"
              "  kind='filesystem',\n"
              "  status=EntityStatus(current='attached', since='03 Mar 2025 09:19:52Z'),\n"
              "  persistent=False,\n"
              "  life='alive',\n"
              "  attachments=StorageAttachments(\n"
              "    units={\n"
              "      'postgresql/0': UnitStorageAttachment(machine='1', "
              "location='/var/snap/charmed-postgresql/common', life='alive'),\n"
              "    },\n"
              "  ),\n"
              ")|FormattedBase(name='ubuntu', channel='22.04')|"
              "FilesystemAttachment(mount_point='/var/snap/charmed-postgresql/common', "
              "read_only=False, life='alive')");
    // A list field is never "simple", so even a short NetworkInterface takes several lines.
    EXPECT_EQ(fmt::format("{}", status.machines.at("0").network_interfaces.at("fan-252")),
              "NetworkInterface(\n"
              "  ip_addresses=['252.20.11.1'],\n"
              "  mac_address='6a:7b:2c:01:dd:90',\n"
              "  is_up=True,\n"
              "  space='alpha',\n"
              ")");
    EXPECT_EQ(fmt::format("{}", jubilant::RemoteEndpoint{"http", "provider"}),
              "RemoteEndpoint(interface='http', role='provider')");
}

// ---------------------------------------------------------------------------------------------
// gron_lines and line_diff

TEST(Gron, LinesNameEveryNonDefaultLeaf) {
    const Status status = parse_fixture("k8s.json");
    const std::vector<std::string> lines = jubilant::gron_lines(status);
    EXPECT_EQ(lines.size(), 139U);  // as Jubilant's _pretty.gron
    EXPECT_EQ(lines.front(), ".model.name = 'cos'");
    EXPECT_EQ(lines.back(), ".controller.timestamp = '14:07:03Z'");
    EXPECT_THAT(lines, Contains(".apps['traefik'].units['traefik/0'].workload_status.current = "
                                "'active'"));
    EXPECT_THAT(lines, Contains(".apps['traefik'].exposed = True"));
    EXPECT_THAT(lines, Contains(".apps['alertmanager'].exposed = False"));  // required: shown
    EXPECT_THAT(lines, Contains(".apps['grafana'].scale = 2"));
    EXPECT_THAT(lines,
                Contains(".apps['grafana'].relations['ingress'][0].related_app = 'traefik'"));
    EXPECT_THAT(lines, Contains(".apps['traefik'].units['traefik/0'].open_ports[1] = '443/tcp'"));
    EXPECT_THAT(lines, Contains(".apps['grafana'].endpoint_bindings[''] = 'alpha'"));
    EXPECT_THAT(lines, Contains(".storage.volumes['0'].size = 1024"));
    for (const std::string& line : lines) {
        EXPECT_THAT(line, Not(StartsWith(".machines")));  // empty map: no line
        EXPECT_THAT(line, Not(HasSubstr(".life = ''")));  // defaults are left out
        EXPECT_THAT(line, Not(HasSubstr("grafana/1'].leader")));
    }

    EXPECT_EQ(jubilant::gron_lines(parse_fixture("iaas.json")).size(), 275U);
    EXPECT_EQ(jubilant::gron_lines(parse_fixture("cross_model.json")).size(), 116U);
    EXPECT_EQ(jubilant::gron_lines(parse_fixture("mixed_errors.json")).size(), 197U);
}

TEST(Gron, MinimalStatus) {
    EXPECT_THAT(jubilant::gron_lines(Status::from_json(doc())),
                ElementsAre(".model.name = 'm'", ".model.type = 'iaas'", ".model.controller = 'c'",
                            ".model.cloud = 'lxd'", ".model.version = '3.6.4'"));
}

TEST(Gron, MapKeysAreQuotedLikePython) {
    const Status status =
        Status::from_json(doc_with_unit(R"({"subordinates": {"it's/0": {"leader": true}}})"));
    EXPECT_THAT(jubilant::gron_lines(status),
                Contains(R"(.apps['pg'].units['pg/0'].subordinates["it's/0"].leader = True)"));
}

TEST(LineDiff, MatchesDifflibOrdering) {
    using Lines = std::vector<std::string>;
    EXPECT_TRUE(jubilant::line_diff(Lines{"a", "b"}, Lines{"a", "b"}).empty());
    EXPECT_TRUE(jubilant::line_diff(Lines{}, Lines{}).empty());
    EXPECT_THAT(jubilant::line_diff(Lines{"a", "b", "c", "d"}, Lines{"a", "x", "c", "d", "e"}),
                ElementsAre("- b", "+ x", "+ e"));
    EXPECT_THAT(jubilant::line_diff(Lines{}, Lines{"a", "b"}), ElementsAre("+ a", "+ b"));
    EXPECT_THAT(jubilant::line_diff(Lines{"a", "b"}, Lines{}), ElementsAre("- a", "- b"));
    EXPECT_THAT(jubilant::line_diff(Lines{"a", "b", "c"}, Lines{"c", "b", "a"}),
                ElementsAre("+ c", "+ b", "- b", "- c"));
}

TEST(LineDiff, LongInputsUseDifflibsPopularLineRule) {
    std::vector<std::string> old;
    for (int i = 0; i < 300; ++i) old.push_back(i % 3 != 0 ? fmt::format("line {}", i) : "same");
    std::vector<std::string> neu = old;
    neu[150] = "changed";
    neu.insert(neu.begin() + 10, "inserted");
    neu.erase(neu.begin() + 200);
    EXPECT_THAT(jubilant::line_diff(old, neu),
                ElementsAre("+ inserted", "- same", "+ changed", "- line 199"));

    const std::vector<std::string> xs(250, "x");
    std::vector<std::string> ys(249, "x");
    ys.emplace_back("y");
    EXPECT_THAT(jubilant::line_diff(xs, ys), ElementsAre("- x", "+ y"));
}

TEST(LineDiff, StatusChangeProducesJubilantsDiff) {
    const std::string json = read_fixture("k8s.json");
    nlohmann::json changed = nlohmann::json::parse(json);
    auto& grafana = changed["applications"]["grafana"];
    grafana["application-status"]["current"] = "waiting";
    grafana["relations"]["ingress"][0]["scope"] = "container";
    grafana["units"].erase("grafana/1");
    changed["controller"]["timestamp"] = "14:08:00Z";

    const auto diff = jubilant::line_diff(jubilant::gron_lines(Status::from_json(json)),
                                          jubilant::gron_lines(Status::from_json(changed.dump())));
    EXPECT_THAT(diff, ElementsAre("- .apps['grafana'].app_status.current = 'active'",
                                  "+ .apps['grafana'].app_status.current = 'waiting'",
                                  "- .apps['grafana'].relations['ingress'][0].scope = 'global'",
                                  "+ .apps['grafana'].relations['ingress'][0].scope = 'container'",
                                  "- .apps['grafana'].units['grafana/1'].workload_status.current = "
                                  "'active'",
                                  "- .apps['grafana'].units['grafana/1'].workload_status.since = "
                                  "'11 Apr 2025 14:05:19Z'",
                                  "- .apps['grafana'].units['grafana/1'].juju_status.current = "
                                  "'idle'",
                                  "- .apps['grafana'].units['grafana/1'].juju_status.since = "
                                  "'11 Apr 2025 14:05:33Z'",
                                  "- .apps['grafana'].units['grafana/1'].juju_status.version = "
                                  "'3.6.1'",
                                  "- .apps['grafana'].units['grafana/1'].open_ports[0] = "
                                  "'3000/tcp'",
                                  "- .apps['grafana'].units['grafana/1'].address = '10.1.64.85'",
                                  "- .apps['grafana'].units['grafana/1'].provider_id = "
                                  "'grafana-1'",
                                  "- .controller.timestamp = '14:07:03Z'",
                                  "+ .controller.timestamp = '14:08:00Z'"));
}

// ---------------------------------------------------------------------------------------------
// Rejected documents

TEST(StatusErrors, MissingRequiredFieldNamesThePath) {
    EXPECT_EQ(parse_error(R"({"model": {}, "applications": {}})"),
              R"(status JSON: .model: missing required field "name")");
    EXPECT_EQ(parse_error(fmt::format(R"({{{}, "applications": {{}}}})", kModel)),
              R"(status JSON: .: missing required field "machines")");
    EXPECT_EQ(parse_error(fmt::format(R"({{{}, "machines": {{}}}})", kModel)),
              R"(status JSON: .: missing required field "applications")");
    EXPECT_EQ(parse_error(R"({"machines": {}, "applications": {}})"),
              R"(status JSON: .: missing required field "model")");
    EXPECT_EQ(parse_error(doc_with_app(
                  R"({"charm": "c", "charm-origin": "o", "charm-name": "c", "exposed": true})")),
              R"(status JSON: .applications["pg"]: missing required field "charm-rev")");
    EXPECT_EQ(parse_error(doc(R"("storage": {"storage": {"data/0": {"kind": "block", )"
                              R"("status": {}, "persistent": true, "attachments": {}}}})")),
              R"(status JSON: .storage.storage["data/0"].attachments: missing required field )"
              R"("units")");
    EXPECT_EQ(parse_error(doc(R"("offers": {"o": {"application": "pg", "endpoints": )"
                              R"({"db": {"interface": "pgsql"}}}})")),
              R"(status JSON: .offers["o"].endpoints["db"]: missing required field "role")");
    EXPECT_EQ(parse_error(doc(R"("application-endpoints": {"r": {"endpoints": {}}})")),
              R"(status JSON: .application-endpoints["r"]: missing required field "url")");
    const std::string machine = fmt::format(
        R"({{{}, "applications": {{}}, "machines": {{"0": {{"containers": {{"0/lxd/1": )"
        R"({{"network-interfaces": {{"eth0": {{"ip-addresses": [], "is-up": true}}}}}}}}}}}}}})",
        kModel);
    EXPECT_EQ(parse_error(machine),
              R"(status JSON: .machines["0"].containers["0/lxd/1"].network-interfaces["eth0"]: )"
              R"(missing required field "mac-address")");
    EXPECT_EQ(parse_error(doc(R"("storage": {"volumes": {"0": {"size": 1}}})")),
              R"(status JSON: .storage.volumes["0"]: missing required field "persistent")");
    EXPECT_EQ(parse_error(doc(R"("storage": {"filesystems": {"0": {"attachments": )"
                              R"({"machines": {"1": {"read-only": false}}}, "size": 1}}})")),
              R"(status JSON: .storage.filesystems["0"].attachments.machines["1"]: missing )"
              R"(required field "mount-point")");
}

TEST(StatusErrors, WrongTypeNamesThePathAndTheTypes) {
    EXPECT_EQ(parse_error(doc_with_unit(R"({"leader": "yes"})")),
              R"(status JSON: .applications["pg"].units["pg/0"].leader: expected a boolean, got )"
              R"(string)");
    EXPECT_EQ(parse_error(doc_with_unit(R"({"open-ports": ["80/tcp", 443]})")),
              R"(status JSON: .applications["pg"].units["pg/0"].open-ports[1]: expected a string, )"
              R"(got integer)");
    EXPECT_EQ(parse_error(doc_with_unit(R"({"workload-status": "active"})")),
              R"(status JSON: .applications["pg"].units["pg/0"].workload-status: expected )"
              R"(an object, got string)");
    EXPECT_EQ(parse_error(doc_with_app(
                  R"({"charm": "c", "charm-origin": "o", "charm-name": "c", "charm-rev": 9.5, )"
                  R"("exposed": true})")),
              R"(status JSON: .applications["pg"].charm-rev: expected an integer, got number)");
    EXPECT_EQ(parse_error(doc_with_app("[]")),
              R"(status JSON: .applications["pg"]: expected an object, got array)");
    EXPECT_EQ(parse_error(fmt::format(R"({{{}, "machines": [], "applications": {{}}}})", kModel)),
              R"(status JSON: .machines: expected an object, got array)");
    EXPECT_EQ(parse_error("[]"), R"(status JSON: .: expected an object, got array)");
    EXPECT_EQ(parse_error("42"), R"(status JSON: .: expected an object, got integer)");
    EXPECT_EQ(parse_error(R"({"model": {"name": null}})"),
              R"(status JSON: .model.name: expected a string, got null)");
    EXPECT_EQ(parse_error(doc_with_unit(R"({"status-error": false})")),
              R"(status JSON: .applications["pg"].units["pg/0"].status-error: expected a string, )"
              R"(got boolean)");
    EXPECT_EQ(parse_error(doc(R"("controller": {"timestamp": {}})")),
              R"(status JSON: .controller.timestamp: expected a string, got object)");
    EXPECT_EQ(parse_error(doc(R"("application-endpoints": {"r": {"url": "u", )"
                              R"("relations": {"db": "pg"}}})")),
              R"(status JSON: .application-endpoints["r"].relations["db"]: expected an array, )"
              R"(got string)");
}

TEST(StatusErrors, MapKeysInPathsAreEscaped) {
    EXPECT_EQ(parse_error(doc_with_app(R"({"units": {"a\"b\\c\n": 1}, "charm": "c"})")),
              R"(status JSON: .applications["pg"].units["a\"b\\c\n"]: expected an object, got )"
              R"(integer)");
}

TEST(StatusErrors, IntegersOutOfRange) {
    EXPECT_EQ(parse_error(doc_with_app(R"({"charm": "c", "charm-origin": "o", "charm-name": "c", )"
                                       R"("charm-rev": 2147483648, "exposed": true})")),
              R"(status JSON: .applications["pg"].charm-rev: integer out of range)");
    EXPECT_EQ(parse_error(doc(R"("storage": {"volumes": {"0": {"size": -1, )"
                              R"("persistent": true}}})")),
              R"(status JSON: .storage.volumes["0"].size: integer out of range)");
    EXPECT_EQ(
        parse_error(doc(R"("offers": {"o": {"application": "a", "endpoints": {}, )"
                        R"("total-connected-count": 1e3}})")),
        R"(status JSON: .offers["o"].total-connected-count: expected an integer, got number)");
}

TEST(StatusErrors, InvalidJsonGivesTheByteOffset) {
    EXPECT_EQ(parse_error(R"({"model": tru})"),
              "status JSON: invalid JSON at byte 13 (line 1, column 14: syntax error while "
              "parsing value - invalid literal); simdjson: Problem while parsing an atom starting "
              "with the letter 't'");
    EXPECT_THAT(parse_error(R"({"a": 1} x)"),
                StartsWith("status JSON: invalid JSON at byte 9 (line 1, column 10: "));
    EXPECT_THAT(
        parse_error("{\"a\": \"\xff\"}"),
        AllOf(StartsWith("status JSON: invalid JSON at byte 7 "), HasSubstr("ill-formed UTF-8"),
              HasSubstr("simdjson: The input is not valid "
                        "UTF-8")));
    EXPECT_THAT(parse_error("{\"a\"\n:\n\n  [1,,2]}"),
                StartsWith("status JSON: invalid JSON at byte 13 (line 4, column 6: "));
}

TEST(StatusErrors, EmptyInput) {
    EXPECT_EQ(parse_error(""), "status JSON: empty document (no JSON value in the input)");
    EXPECT_EQ(parse_error(" \n\t "), "status JSON: empty document (no JSON value in the input)");
}

TEST(StatusErrors, TooDeepToParse) {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    EXPECT_THAT(parse_error(deep), StartsWith("status JSON: invalid JSON: "));
    EXPECT_THAT(parse_error(deep), HasSubstr("too deep"));
}

TEST(StatusErrors, EveryTruncationIsRejected) {
    const std::string json = read_fixture("mixed_errors.json");
    const std::size_t end = json.find_last_not_of(" \n") + 1;  // whitespace after } is optional
    for (std::size_t length = 0; length < end; length += 3) {
        const std::string message = parse_error(std::string_view(json).substr(0, length));
        if (length == 0) {
            EXPECT_THAT(message, HasSubstr("empty document"));
            continue;
        }
        // The reported offset is where the input ran out (or just before, inside a token).
        constexpr std::string_view prefix = "status JSON: invalid JSON at byte ";
        ASSERT_THAT(message, StartsWith(std::string(prefix))) << "length " << length;
        const std::size_t offset = std::stoul(message.substr(prefix.size()));
        ASSERT_LE(offset, length) << message;
        ASSERT_GE(offset + 8, length) << message;
    }
}

// Replaces each value in the document, one at a time, with a value of every other JSON type:
// the parser must either accept the result or throw a ParseError naming a path, never anything
// else.
TEST(StatusErrors, ValuesOfEveryWrongTypeAreRejectedCleanly) {
    const nlohmann::json original = nlohmann::json::parse(read_fixture("iaas.json"));
    const std::vector<nlohmann::json> replacements{
        nullptr, 7, -1, 2.5, "text", true, nlohmann::json::array(), nlohmann::json::object()};
    const nlohmann::json flat = original.flatten();
    std::vector<std::string> pointers;
    for (const auto& [leaf, value] : flat.items()) {
        // The objects and arrays on the way to each leaf are replaced too. Keys containing '/'
        // are escaped as "~1" in pointers, so splitting on '/' is safe.
        for (auto slash = leaf.find('/', 1); slash != std::string::npos;
             slash = leaf.find('/', slash + 1)) {
            pointers.push_back(leaf.substr(0, slash));
        }
        pointers.push_back(leaf);
    }
    std::sort(pointers.begin(), pointers.end());
    pointers.erase(std::unique(pointers.begin(), pointers.end()), pointers.end());

    int accepted = 0;
    int rejected = 0;
    for (const std::string& pointer : pointers) {
        for (const nlohmann::json& replacement : replacements) {
            nlohmann::json mutated = original;
            mutated[nlohmann::json::json_pointer(pointer)] = replacement;
            try {
                (void)Status::from_json(mutated.dump());
                ++accepted;
            } catch (const ParseError& e) {
                ++rejected;
                ASSERT_THAT(e.what(), StartsWith("status JSON: .")) << pointer;
            }
        }
    }
    RecordProperty("replaced_values", static_cast<int>(pointers.size()));
    RecordProperty("accepted", accepted);
    RecordProperty("rejected", rejected);
    EXPECT_GE(pointers.size(), 400U);
    EXPECT_GT(accepted, 500);  // nulls in optional fields, and values that happen to fit
    EXPECT_GT(rejected, 2500);
}

TEST(StatusErrors, RandomByteDamageNeverEscapesAsAnythingButParseError) {
    const std::string json = read_fixture("cross_model.json");
    std::mt19937 rng(20250611);
    std::uniform_int_distribution<std::size_t> position(0, json.size() - 1);
    std::uniform_int_distribution<int> byte(0, 255);
    int rejected = 0;
    for (int round = 0; round < 2000; ++round) {
        std::string damaged = json;
        const int flips = 1 + round % 4;
        for (int i = 0; i < flips; ++i) damaged[position(rng)] = static_cast<char>(byte(rng));
        try {
            (void)Status::from_json(damaged);
        } catch (const ParseError& e) {
            ++rejected;
            ASSERT_THAT(e.what(), StartsWith("status JSON: "));
        }
    }
    RecordProperty("rejected", rejected);
    EXPECT_GT(rejected, 1500);
}

}  // namespace
