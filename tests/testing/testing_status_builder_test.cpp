// StatusBuilder and StatusSequence: documents checked through jubilant::Status::from_json (the
// parser the tests that use them will go through), their shape against the realistic fixtures,
// and a scripted Juju::wait.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <jubilant/all_any.hpp>
#include <jubilant/clock.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/testing.hpp>

namespace {

using jubilant::Status;
using jubilant::testkit::Command;
using jubilant::testkit::ReturnStatus;
using jubilant::testkit::ReturnStatuses;
using jubilant::testkit::StatusBuilder;
using jubilant::testkit::StatusSequence;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const jubilant::Error& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected jubilant::Error";
    return {};
}

TEST(StatusBuilder, DefaultIsAnEmptyMachineModel) {
    const Status status = StatusBuilder().status();
    EXPECT_EQ(status.model.name, "test");
    EXPECT_EQ(status.model.type, "iaas");
    EXPECT_EQ(status.model.controller, "localhost-localhost");
    EXPECT_EQ(status.model.cloud, "localhost");
    EXPECT_EQ(status.model.version, "3.6.4");
    EXPECT_EQ(status.model.model_status.current, "available");
    EXPECT_TRUE(status.apps.empty());
    EXPECT_TRUE(status.machines.empty());
}

TEST(StatusBuilder, AppWithUnitsOnMachines) {
    const Status status = StatusBuilder()
                              .model("prod", {.type = "iaas",
                                              .controller = "aws-ctl",
                                              .cloud = "aws",
                                              .region = "us-east-1",
                                              .version = "3.6.5",
                                              .status = "available"})
                              .app("pg", {.charm = "postgresql",
                                          .channel = "14/stable",
                                          .revision = 468,
                                          .units = 3,
                                          .workload = "waiting",
                                          .agent = "executing",
                                          .message = "installing"})
                              .unit_status("pg/0", "active", "idle", "Primary")
                              .status();
    EXPECT_EQ(status.model.name, "prod");
    EXPECT_EQ(status.model.cloud, "aws");
    EXPECT_EQ(status.model.region, "us-east-1");
    EXPECT_EQ(status.model.version, "3.6.5");

    const auto& pg = status.apps.at("pg");
    EXPECT_EQ(pg.charm, "postgresql");
    EXPECT_EQ(pg.charm_name, "postgresql");
    EXPECT_EQ(pg.charm_origin, "charmhub");
    EXPECT_EQ(pg.charm_rev, 468);
    EXPECT_EQ(pg.charm_channel, "14/stable");
    ASSERT_TRUE(pg.base.has_value());
    EXPECT_EQ(pg.base->name, "ubuntu");
    EXPECT_EQ(pg.base->channel, "22.04");
    EXPECT_FALSE(pg.exposed);
    EXPECT_THAT(pg.units, SizeIs(3));
    // Derived from the units: waiting outranks active.
    EXPECT_EQ(pg.app_status.current, "waiting");
    EXPECT_EQ(pg.app_status.message, "installing");

    const auto& pg0 = pg.units.at("pg/0");
    EXPECT_EQ(pg0.workload_status.current, "active");
    EXPECT_EQ(pg0.workload_status.message, "Primary");
    EXPECT_EQ(pg0.juju_status.current, "idle");
    EXPECT_EQ(pg0.juju_status.version, "3.6.5");
    EXPECT_TRUE(pg0.leader);
    const auto& pg1 = pg.units.at("pg/1");
    EXPECT_EQ(pg1.workload_status.current, "waiting");
    EXPECT_EQ(pg1.juju_status.current, "executing");
    EXPECT_FALSE(pg1.leader);

    // One machine per unit, whose address is the unit's public address.
    ASSERT_THAT(status.machines, SizeIs(3));
    for (const auto& [name, unit] : pg.units) {
        const auto& machine = status.machines.at(unit.machine);
        EXPECT_EQ(unit.public_address, machine.dns_name) << name;
        EXPECT_THAT(machine.ip_addresses, ElementsAre(machine.dns_name)) << name;
        EXPECT_EQ(machine.juju_status.current, "started");
        EXPECT_EQ(machine.machine_status.current, "running");
        EXPECT_FALSE(machine.hostname.empty());
        EXPECT_EQ(machine.network_interfaces.at("eth0").ip_addresses,
                  std::vector<std::string>{machine.dns_name});
    }
    EXPECT_NE(pg.units.at("pg/0").public_address, pg.units.at("pg/1").public_address);
}

TEST(StatusBuilder, TheIssueExampleParses) {
    const Status status = StatusBuilder()
                              .model("test")
                              .app("pg", {.charm = "postgresql", .units = 3})
                              .unit_status("pg/0", "active", "idle")
                              .status();
    EXPECT_EQ(status.apps.at("pg").units.at("pg/0").workload_status.current, "active");
    EXPECT_TRUE(jubilant::all_active(status));
}

TEST(StatusBuilder, AppStatusIsTheMostSevereUnitStatusUnlessSet) {
    StatusBuilder builder;
    builder.app("app", {.units = 4})
        .unit_status("app/1", "maintenance", "executing", "upgrading")
        .unit_status("app/2", "blocked", "idle", "needs a database")
        .unit_status("app/3", "waiting", "idle");
    EXPECT_EQ(builder.status().apps.at("app").app_status.current, "blocked");
    EXPECT_EQ(builder.status().apps.at("app").app_status.message, "needs a database");
    builder.unit_status("app/0", "error", "idle", "hook failed: \"install\"");
    EXPECT_EQ(builder.status().apps.at("app").app_status.current, "error");
    EXPECT_TRUE(jubilant::any_error(builder.status()));

    builder.app_status("app", "active", "set by the leader");
    EXPECT_EQ(builder.status().apps.at("app").app_status.current, "active");
    EXPECT_EQ(builder.status().apps.at("app").app_status.message, "set by the leader");
}

TEST(StatusBuilder, UnitsStatusAndUnitChanges) {
    StatusBuilder builder;
    builder.app("web", {.units = 2, .workload = "maintenance", .agent = "executing"})
        .units_status("web", "active", "idle", "ready")
        .unit("web/1", {.workload = {},
                        .workload_message = {},
                        .agent = "executing",
                        .agent_message = "running update-status hook",
                        .leader = true,
                        .address = "10.9.9.9",
                        .open_ports = std::vector<std::string>{"80/tcp"}});
    const Status status = builder.status();
    const auto& web0 = status.apps.at("web").units.at("web/0");
    const auto& web1 = status.apps.at("web").units.at("web/1");
    EXPECT_EQ(web0.workload_status.message, "ready");
    EXPECT_FALSE(web0.leader);
    EXPECT_TRUE(web1.leader);
    EXPECT_EQ(web1.workload_status.current, "active");
    EXPECT_EQ(web1.juju_status.current, "executing");
    EXPECT_EQ(web1.juju_status.message, "running update-status hook");
    EXPECT_EQ(web1.public_address, "10.9.9.9");
    EXPECT_EQ(status.machines.at(web1.machine).dns_name, "10.9.9.9");
    EXPECT_THAT(web1.open_ports, ElementsAre("80/tcp"));

    builder.leader("web/0");
    EXPECT_TRUE(builder.status().apps.at("web").units.at("web/0").leader);
    EXPECT_FALSE(builder.status().apps.at("web").units.at("web/1").leader);
}

TEST(StatusBuilder, KubernetesModelHasPodsAndNoMachines) {
    const Status status =
        StatusBuilder()
            .model("cos", {.type = "caas"})
            .app("grafana", {.charm = "grafana-k8s", .units = 2, .open_ports = {"3000/tcp"}})
            .status();
    EXPECT_EQ(status.model.type, "caas");
    EXPECT_EQ(status.model.cloud, "microk8s");
    EXPECT_EQ(status.model.controller, "microk8s-localhost");
    EXPECT_TRUE(status.machines.empty());
    const auto& app = status.apps.at("grafana");
    EXPECT_EQ(app.scale, 2);
    EXPECT_FALSE(app.provider_id.empty());
    EXPECT_THAT(app.address, ::testing::StartsWith("10.152.183."));
    const auto& unit = app.units.at("grafana/1");
    EXPECT_EQ(unit.provider_id, "grafana-1");
    EXPECT_FALSE(unit.address.empty());
    EXPECT_TRUE(unit.machine.empty());
    EXPECT_TRUE(unit.public_address.empty());
    EXPECT_THAT(unit.open_ports, ElementsAre("3000/tcp"));
    EXPECT_NE(unit.address, app.units.at("grafana/0").address);
}

TEST(StatusBuilder, SubordinatesRideOnEveryPrincipalUnit) {
    const Status status =
        StatusBuilder()
            .app("pg", {.units = 2})
            .subordinate("nrpe", "pg", {.workload = "blocked", .message = "no nagios"})
            .status();
    const auto& nrpe = status.apps.at("nrpe");
    EXPECT_THAT(nrpe.subordinate_to, ElementsAre("pg"));
    EXPECT_TRUE(nrpe.units.empty());  // rendered under the principals, as Juju does
    EXPECT_EQ(nrpe.app_status.current, "blocked");
    const auto units = status.get_units("nrpe");
    ASSERT_THAT(units, SizeIs(2));
    EXPECT_EQ(units.at("nrpe/0").workload_status.message, "no nagios");

    const auto& pg0 = status.apps.at("pg").units.at("pg/0");
    ASSERT_EQ(pg0.subordinates.count("nrpe/0"), 1u);
    EXPECT_EQ(pg0.subordinates.at("nrpe/0").public_address, pg0.public_address);
    EXPECT_TRUE(pg0.subordinates.at("nrpe/0").leader);
    EXPECT_EQ(status.apps.at("pg").units.at("pg/1").subordinates.count("nrpe/1"), 1u);

    const auto& rel = status.apps.at("pg").relations.at("juju-info");
    ASSERT_THAT(rel, SizeIs(1));
    EXPECT_EQ(rel[0].related_app, "nrpe");
    EXPECT_EQ(rel[0].scope, "container");
    EXPECT_EQ(nrpe.relations.at("juju-info")[0].related_app, "pg");
}

TEST(StatusBuilder, SubordinateStatusIsSetPerUnit) {
    const Status status = StatusBuilder()
                              .app("pg", {.units = 2})
                              .subordinate("nrpe", "pg")
                              .unit_status("nrpe/1", "error", "idle", "hook failed")
                              .status();
    EXPECT_EQ(status.get_units("nrpe").at("nrpe/1").workload_status.current, "error");
    EXPECT_EQ(status.get_units("nrpe").at("nrpe/0").workload_status.current, "active");
    EXPECT_EQ(status.apps.at("nrpe").app_status.current, "error");
    EXPECT_FALSE(jubilant::all_active(status));
}

TEST(StatusBuilder, PlacementOnMachinesAndContainers) {
    const Status status = StatusBuilder()
                              .machine("0")
                              .app("haproxy", {.units = 3, .to = {"0/lxd/0", "lxd:0", "5"}})
                              .machine("7", {.agent = "pending",
                                             .agent_message = {},
                                             .instance = "pending",
                                             .instance_message = {},
                                             .address = {},
                                             .base = "ubuntu@24.04"})
                              .status();
    ASSERT_THAT(status.machines, SizeIs(3));  // 0, 5, 7
    const auto& units = status.apps.at("haproxy").units;
    EXPECT_EQ(units.at("haproxy/0").machine, "0/lxd/0");
    EXPECT_EQ(units.at("haproxy/1").machine, "0/lxd/1");
    EXPECT_EQ(units.at("haproxy/2").machine, "5");
    const auto& containers = status.machines.at("0").containers;
    ASSERT_THAT(containers, SizeIs(2));
    EXPECT_EQ(containers.at("0/lxd/0").dns_name, units.at("haproxy/0").public_address);
    EXPECT_EQ(containers.at("0/lxd/1").juju_status.current, "started");

    const auto& pending = status.machines.at("7");
    EXPECT_EQ(pending.juju_status.current, "pending");
    EXPECT_EQ(pending.machine_status.current, "pending");
    EXPECT_EQ(pending.instance_id, "pending");
    EXPECT_TRUE(pending.dns_name.empty());
    EXPECT_EQ(pending.base->channel, "24.04");
}

TEST(StatusBuilder, UnitOnAPendingMachineHasNoAddressYet) {
    StatusBuilder builder;
    builder.app("pg").machine("0", {.agent = "pending",
                                    .agent_message = {},
                                    .instance = "pending",
                                    .instance_message = {},
                                    .address = {},
                                    .base = {}});
    EXPECT_TRUE(builder.status().apps.at("pg").units.at("pg/0").public_address.empty());
}

TEST(StatusBuilder, RelationsAndPeers) {
    const Status status = StatusBuilder()
                              .app("wordpress")
                              .app("mysql")
                              .relate("wordpress:db", "mysql:database", "mysql_client")
                              .peer("mysql:database-peers", "mysql_peers")
                              .relate("wordpress:cache", "mysql:cache")
                              .status();
    const auto& wp = status.apps.at("wordpress").relations;
    ASSERT_THAT(wp.at("db"), SizeIs(1));
    EXPECT_EQ(wp.at("db")[0].related_app, "mysql");
    EXPECT_EQ(wp.at("db")[0].interface, "mysql_client");
    EXPECT_EQ(wp.at("db")[0].scope, "global");
    EXPECT_EQ(wp.at("cache")[0].interface, "cache");
    const auto& mysql = status.apps.at("mysql");
    EXPECT_EQ(mysql.relations.at("database")[0].related_app, "wordpress");
    EXPECT_EQ(mysql.relations.at("database-peers")[0].related_app, "mysql");
    EXPECT_EQ(mysql.endpoint_bindings.at(""), "alpha");
    EXPECT_EQ(mysql.endpoint_bindings.at("database"), "alpha");
}

TEST(StatusBuilder, OffersAndConsumedApplications) {
    const Status status =
        StatusBuilder()
            .app("mysql", {.charm = "mysql", .channel = "8.0/stable", .revision = 240})
            .offer("mysql", "mysql",
                   {.endpoints = {{.name = "database",
                                   .interface = "mysql_client",
                                   .role = "provider"}},
                    .total_connected = 2,
                    .active_connected = 1})
            .consume("prometheus", {.url = "microk8s:admin/cos.prometheus",
                                    .endpoints = {{.name = "receive-remote-write",
                                                   .interface = "prometheus_remote_write",
                                                   .role = "provider"}},
                                    .status = "active",
                                    .message = {}})
            .relate("mysql:send-remote-write", "prometheus:receive-remote-write")
            .status();
    const auto& offer = status.offers.at("mysql");
    EXPECT_EQ(offer.app, "mysql");
    EXPECT_EQ(offer.charm, "ch:amd64/mysql-240");
    EXPECT_EQ(offer.total_connected_count, 2);
    EXPECT_EQ(offer.active_connected_count, 1);
    EXPECT_EQ(offer.endpoints.at("database").interface, "mysql_client");
    EXPECT_EQ(offer.endpoints.at("database").role, "provider");

    const auto& remote = status.app_endpoints.at("prometheus");
    EXPECT_EQ(remote.url, "microk8s:admin/cos.prometheus");
    EXPECT_EQ(remote.app_status.current, "active");
    EXPECT_EQ(remote.endpoints.at("receive-remote-write").role, "provider");
    EXPECT_THAT(remote.relations.at("receive-remote-write"), ElementsAre("mysql"));
    EXPECT_EQ(status.apps.at("mysql").relations.at("send-remote-write")[0].related_app,
              "prometheus");
}

TEST(StatusBuilder, LocalCharm) {
    const Status status =
        StatusBuilder()
            .app("mine", {.charm = "my-charm", .revision = 0, .charm_origin = "local"})
            .status();
    const auto& app = status.apps.at("mine");
    EXPECT_EQ(app.charm, "local:my-charm-0");
    EXPECT_EQ(app.charm_origin, "local");
    EXPECT_EQ(app.charm_name, "my-charm");
    EXPECT_TRUE(app.charm_channel.empty());
}

TEST(StatusBuilder, ScaleNumbersUnitsLikeJujuAndCarriesSubordinates) {
    StatusBuilder builder;
    builder.app("pg", {.units = 2}).subordinate("nrpe", "pg");
    builder.scale("pg", 4);
    Status status = builder.status();
    EXPECT_THAT(status.apps.at("pg").units, SizeIs(4));
    EXPECT_THAT(status.get_units("nrpe"), SizeIs(4));
    EXPECT_THAT(status.machines, SizeIs(4));

    builder.scale("pg", 1);
    status = builder.status();
    EXPECT_THAT(status.apps.at("pg").units, SizeIs(1));
    EXPECT_EQ(status.apps.at("pg").units.count("pg/0"), 1u);
    EXPECT_THAT(status.get_units("nrpe"), SizeIs(1));
    EXPECT_THAT(status.machines, SizeIs(1));  // machines made for removed units go with them

    // Numbers are never reused.
    builder.scale("pg", 2);
    EXPECT_EQ(builder.status().apps.at("pg").units.count("pg/4"), 1u);

    // Removing the leader elects another unit.
    builder.scale("pg", 0).scale("pg", 2);
    status = builder.status();
    EXPECT_TRUE(status.apps.at("pg").units.at("pg/5").leader);
    EXPECT_FALSE(status.apps.at("pg").units.at("pg/6").leader);
}

TEST(StatusBuilder, RemoveAppDropsItsUnitsRelationsAndOffers) {
    StatusBuilder builder;
    builder.app("wp")
        .app("db")
        .relate("wp:db", "db:database")
        .subordinate("nrpe", "db")
        .offer("db", "db",
               {.endpoints = {{.name = "database", .interface = "x", .role = "provider"}},
                .total_connected = 0,
                .active_connected = 0});
    builder.remove_app("db");
    const Status status = builder.status();
    EXPECT_EQ(status.apps.count("db"), 0u);
    EXPECT_TRUE(status.apps.at("wp").relations.empty());
    EXPECT_TRUE(status.offers.empty());
    EXPECT_THAT(status.get_units("nrpe"), IsEmpty());
    EXPECT_THAT(status.machines, SizeIs(1));
}

TEST(StatusBuilder, CopiesAreIndependent) {
    StatusBuilder base;
    base.app("pg", {.units = 2, .workload = "maintenance"});
    StatusBuilder ready = base;
    ready.units_status("pg", "active");
    EXPECT_EQ(base.status().apps.at("pg").app_status.current, "maintenance");
    EXPECT_EQ(ready.status().apps.at("pg").app_status.current, "active");
    base = ready;
    EXPECT_EQ(base.json(), ready.json());
}

TEST(StatusBuilder, OutputIsDeterministicCompactJson) {
    const auto build = [] {
        return StatusBuilder().app("a", {.units = 2}).subordinate("s", "a").json();
    };
    const std::string json = build();
    EXPECT_EQ(json, build());
    EXPECT_EQ(json.find('\n'), std::string::npos);
    EXPECT_EQ(nlohmann::json::parse(json),
              nlohmann::json::parse(
                  StatusBuilder().app("a", {.units = 2}).subordinate("s", "a").pretty_json()));
    EXPECT_NE(StatusBuilder().pretty_json().find("\n  \"model\": {"), std::string::npos);
}

TEST(StatusBuilder, MistakesAreReportedWhereTheyAreMade) {
    EXPECT_THAT(error_of([] { StatusBuilder().unit_status("pg/0", "active"); }),
                HasSubstr("no application 'pg' (applications: none)"));
    EXPECT_THAT(error_of([] { StatusBuilder().app("pg").unit_status("pg/3", "active"); }),
                HasSubstr("no unit 'pg/3' (units of pg: pg/0)"));
    EXPECT_THAT(error_of([] { StatusBuilder().app("pg").unit_status("pg", "active"); }),
                HasSubstr("'pg' is not a unit name"));
    EXPECT_THAT(error_of([] { StatusBuilder().app("pg").app("pg"); }),
                HasSubstr("application 'pg' was already added"));
    EXPECT_THAT(error_of([] { StatusBuilder().app("pg", {.base = "jammy"}); }),
                HasSubstr("base 'jammy' is not of the form name@channel"));
    EXPECT_THAT(error_of([] { StatusBuilder().app("pg").model("k", {.type = "caas"}); }),
                HasSubstr("set the model type before adding applications"));
    EXPECT_THAT(error_of([] { StatusBuilder().model("m", {.type = "k8s"}); }),
                HasSubstr("model type 'k8s' is neither iaas nor caas"));
    EXPECT_THAT(error_of([] { StatusBuilder().app("pg").relate("pg", "x:y"); }),
                HasSubstr("'pg' is not an endpoint"));
    EXPECT_THAT(error_of([] { StatusBuilder().app("pg").subordinate("s", "pg").scale("s", 2); }),
                HasSubstr("'s' is a subordinate"));
    EXPECT_THAT(error_of([] { StatusBuilder().machine("0/kvm"); }),
                HasSubstr("'0/kvm' is not a container ID"));
    EXPECT_THAT(error_of([] { StatusBuilder().model("k", {.type = "caas"}).machine("0"); }),
                HasSubstr("Kubernetes models have no machines"));
    EXPECT_THAT(error_of([] { StatusSequence().then(StatusBuilder(), 0); }),
                HasSubstr("at least one poll"));
    EXPECT_THAT(error_of([] { ReturnStatuses(StatusSequence()); }),
                HasSubstr("at least one status"));
}

// ---- Shape against the realistic fixtures -------------------------------------------------

// Objects whose keys are names (machine IDs, app names, endpoints...) rather than fields.
bool keyed_by_name(const std::string& parent) {
    static const std::set<std::string> maps = {"machines",
                                               "containers",
                                               "applications",
                                               "units",
                                               "subordinates",
                                               "offers",
                                               "application-endpoints",
                                               "relations",
                                               "endpoints",
                                               "endpoint-bindings",
                                               "network-interfaces",
                                               "lxd-profiles",
                                               "storage",
                                               "filesystems",
                                               "volumes"};
    return maps.contains(parent);
}

// Every "path/of/field" in the document, with names replaced by "*".
void collect_paths(const nlohmann::json& value, const std::string& path, const std::string& parent,
                   std::set<std::string>& out) {
    if (value.is_array()) {
        for (const auto& item : value) collect_paths(item, path + "[]", parent, out);
        return;
    }
    if (!value.is_object()) return;
    for (const auto& [key, child] : value.items()) {
        const std::string name = keyed_by_name(parent) ? "*" : key;
        const std::string child_path = path + "/" + name;
        out.insert(child_path);
        collect_paths(child, child_path, keyed_by_name(parent) ? std::string() : key, out);
    }
}

std::set<std::string> fixture_paths() {
    std::set<std::string> paths;
    const std::filesystem::path dir = std::filesystem::path(JUBILANT_FIXTURES_DIR) / "status";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path());
        collect_paths(nlohmann::json::parse(in), "", "", paths);
    }
    return paths;
}

TEST(StatusBuilderShape, EveryFieldAppearsWhereRealJujuOutputHasIt) {
    const std::set<std::string> real = fixture_paths();
    ASSERT_GT(real.size(), 100u);
    const auto check = [&](const StatusBuilder& builder, const std::string& what) {
        std::set<std::string> built;
        collect_paths(nlohmann::json::parse(builder.json()), "", "", built);
        for (const std::string& path : built) {
            EXPECT_TRUE(real.contains(path)) << what << ": " << path << " is not in any fixture";
        }
        return built.size();
    };
    StatusBuilder machines;
    machines.model("prod")
        .machine("0")
        .app("haproxy", {.units = 1,
                         .exposed = true,
                         .version = "2.4",
                         .open_ports = {"80/tcp"},
                         .to = {"lxd:0"}})
        .app("pg", {.charm = "postgresql", .units = 2})
        .subordinate("nrpe", "pg")
        .relate("haproxy:reverseproxy", "pg:website", "http")
        .peer("pg:database-peers")
        .offer("pg", "pg",
               {.endpoints = {{.name = "db", .interface = "pgsql", .role = "provider"}},
                .total_connected = 1,
                .active_connected = 1})
        .consume(
            "wordpress",
            {.url = "lxd:admin/web.wordpress",
             .endpoints = {{.name = "database", .interface = "mysql_client", .role = "requirer"}},
             .status = "active",
             .message = "ok"})
        .relate("pg:database", "wordpress:database")
        .unit("pg/1", {.workload = "maintenance",
                       .workload_message = "busy",
                       .agent = "executing",
                       .agent_message = "running hook",
                       .leader = {},
                       .address = {},
                       .open_ports = {}});
    EXPECT_GT(check(machines, "machine model"), 60u);
    StatusBuilder k8s;
    k8s.model("cos", {.type = "caas"}).app("grafana", {.units = 2, .open_ports = {"3000/tcp"}});
    check(k8s, "Kubernetes model");
}

// ---- Actions and a scripted wait ----------------------------------------------------------

class VirtualTimeBackend : public jubilant::testkit::MockBackend {
public:
    std::shared_ptr<jubilant::Clock> clock() override { return virtual_clock; }
    std::shared_ptr<jubilant::VirtualClock> virtual_clock =
        std::make_shared<jubilant::VirtualClock>();
};

TEST(ReturnStatus, ServesTheDocumentAsJujuPrintsIt) {
    auto backend = std::make_shared<VirtualTimeBackend>();
    const StatusBuilder builder = StatusBuilder().app("pg");
    EXPECT_CALL(*backend, run(Command("status")))
        .WillOnce(ReturnStatus(builder))
        .WillOnce(ReturnStatus(R"({"model": {"name": "x", "type": "iaas", "controller": "c",)"
                               R"( "cloud": "c", "version": "3"}, "machines": {},)"
                               R"( "applications": {}})"));
    jubilant::Juju juju(backend);
    EXPECT_EQ(juju.status(), builder.status());
    EXPECT_EQ(juju.status().model.name, "x");
}

TEST(ReturnStatuses, ServesEachDocumentForItsPollsThenRepeatsTheLast) {
    auto backend = std::make_shared<VirtualTimeBackend>();
    const StatusBuilder deploying =
        StatusBuilder().app("pg", {.units = 2, .workload = "maintenance", .agent = "executing"});
    StatusBuilder ready = deploying;
    ready.units_status("pg", "active", "idle");
    const auto action = ReturnStatuses(StatusSequence().then(deploying, 2).then(ready.json()));
    EXPECT_CALL(*backend, run(Command("status"))).Times(6).WillRepeatedly(action);

    jubilant::Juju juju(backend);
    EXPECT_EQ(juju.status().apps.at("pg").app_status.current, "maintenance");
    EXPECT_EQ(juju.status().apps.at("pg").app_status.current, "maintenance");
    for (int i = 0; i < 4; ++i) EXPECT_EQ(juju.status().apps.at("pg").app_status.current, "active");
}

TEST(ReturnStatuses, ScriptsAWait) {
    auto backend = std::make_shared<VirtualTimeBackend>();
    StatusBuilder deploying;
    deploying.app(
        "pg", {.charm = "postgresql", .units = 3, .workload = "waiting", .agent = "allocating"});
    StatusBuilder installing = deploying;
    installing.units_status("pg", "maintenance", "executing", "installing");
    StatusBuilder ready = installing;
    ready.units_status("pg", "active", "idle");
    // 1 + 3 polls not ready, then 3 ready polls in a row (wait's default successes).
    EXPECT_CALL(*backend, run(Command("status")))
        .Times(7)
        .WillRepeatedly(
            ReturnStatuses(StatusSequence().then(deploying).then(installing, 3).then(ready)));
    jubilant::Juju juju(backend);
    const Status status = juju.wait(jubilant::all_active, {.error = jubilant::any_error});
    EXPECT_EQ(status, ready.status());
    EXPECT_EQ(backend->virtual_clock->now() - jubilant::Clock::time_point{},
              std::chrono::seconds(6));
}

TEST(ReturnStatuses, AnErrorInTheScriptFailsTheWait) {
    auto backend = std::make_shared<VirtualTimeBackend>();
    StatusBuilder broken;
    broken.app("pg").unit_status("pg/0", "error", "idle", "hook failed: \"install\"");
    StatusBuilder waiting;
    waiting.app("pg", {.workload = "waiting"});
    EXPECT_CALL(*backend, run(Command("status")))
        .WillRepeatedly(ReturnStatuses(StatusSequence().then(waiting).then(broken)));
    jubilant::Juju juju(backend);
    EXPECT_THROW(juju.wait(jubilant::all_active, {.error = jubilant::any_error}),
                 jubilant::WaitError);
}

}  // namespace
