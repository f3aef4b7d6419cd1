// Application methods: deploy, refresh, add_unit, remove_application, remove_unit, integrate,
// remove_relation, consume, offer, config, trust. Expected argv mirror Jubilant's unit tests.
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/testing.hpp>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/mock_juju.hpp"
#include "support/stub_executable.hpp"

using namespace jubilant;
using jubilant::test::TempDir;
using jubilant::testkit::Args;
using jubilant::testkit::MockBackend;
using jubilant::testkit::ReturnFailure;
using jubilant::testkit::ReturnStdout;
using ::testing::_;
using ::testing::DoAll;
using ::testing::SaveArg;

namespace {

class JujuApps : public jubilant::test::MockJujuTest {};

void write(const std::filesystem::path& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
}

const char* const config_json = R"({
    "application-config": {
      "juju-application-path": {"value": "/", "type": "string"},
      "trust": {"value": false, "type": "bool"}
    },
    "settings": {
        "booly": {"value": true, "type": "boolean"},
        "inty": {"value": 42, "type": "int"},
        "floaty": {"value": 7.5, "type": "float"},
        "stry": {"value": "A string.", "type": "string"},
        "secrety": {"value": "secret:abcd1234", "type": "secret"},
        "unset": {"type": "string", "description": "no value"}
    }
})";

}  // namespace

// deploy

TEST_F(JujuApps, DeployDefaults) {
    expect({"deploy", "charm"});
    juju.deploy("charm");
}

TEST_F(JujuApps, DeployWithModel) {
    juju.set_model("mdl");
    expect({"deploy", "--model", "mdl", "charm"});
    juju.deploy("charm");
}

TEST_F(JujuApps, DeployAllArgs) {
    expect({"deploy",
            "charm",
            "app",
            "--attach-storage",
            "stg",
            "--base",
            "ubuntu@22.04",
            "--bind",
            "end1=space1 end2=space2",
            "--channel",
            "latest/edge",
            "--config",
            "x=true",
            "--config",
            "y=1",
            "--config",
            "z=ss",
            "--constraints",
            "mem=8G",
            "--force",
            "--num-units",
            "3",
            "--overlay",
            "one.yaml",
            "--overlay",
            "dir/two.yaml",
            "--resource",
            "bin=/path",
            "--revision",
            "42",
            "--storage",
            "data=tmpfs,1G",
            "--to",
            "lxd:25",
            "--trust"});
    juju.deploy("charm", {.app = "app",
                          .attach_storage = {"stg"},
                          .base = "ubuntu@22.04",
                          .bind = {{"end1", "space1"}, {"end2", "space2"}},
                          .channel = "latest/edge",
                          .config = {{"x", true}, {"y", 1}, {"z", "ss"}},
                          .constraints = {{"mem", "8G"}},
                          .force = true,
                          .num_units = 3,
                          .overlays = {"one.yaml", std::filesystem::path("dir") / "two.yaml"},
                          .resources = {{"bin", "/path"}},
                          .revision = 42,
                          .storage = {{"data", "tmpfs,1G"}},
                          .to = {"lxd:25"},
                          .trust = true});
}

TEST_F(JujuApps, DeployBindString) {
    expect({"deploy", "charm", "--bind", "binding"});
    juju.deploy("charm", {.bind = "binding"});
}

TEST_F(JujuApps, DeployListArgsAreCommaJoined) {
    expect({"deploy", "charm", "--attach-storage", "stg1,stg2", "--to", "to1,to2"});
    juju.deploy("charm", {.attach_storage = {"stg1", "stg2"}, .to = {"to1", "to2"}});
}

TEST_F(JujuApps, DeployRelativePathGetsDotSlash) {
    expect({"deploy", "./xyz"});
    juju.deploy(std::filesystem::path("xyz"));
}

TEST_F(JujuApps, DeployAbsolutePath) {
    expect({"deploy", "/xyz"});
    juju.deploy(std::filesystem::path("/xyz"));
}

TEST_F(JujuApps, DeployLocalFilesAreUntouchedWithoutSnap) {
    CliRequest seen;
    EXPECT_CALL(*backend, run(Args({"deploy", "./my.charm", "--resource", "r1=./r1.tar"})))
        .WillOnce(DoAll(SaveArg<0>(&seen), ReturnStdout("")));
    juju.deploy("./my.charm", {.resources = {{"r1", "./r1.tar"}}});
    EXPECT_TRUE(seen.temp_files.empty());
}

TEST_F(JujuApps, DeploySnapJujuGetsCopiesOfLocalFiles) {
    TempDir dir;
    const auto bin = dir.path() / "snap" / "bin";
    std::filesystem::create_directories(bin);
    jubilant::test::write_stub(bin, "juju", "exit 0\n");
    write(dir.path() / "my.charm", "CH");
    write(dir.path() / "plugin.tar", "TAR");
    Juju snap_juju(backend, {.cli_binary = (bin / "juju").string()});

    CliRequest seen;
    EXPECT_CALL(*backend, run(Args({"deploy", "{tmp:_temp.charm}", "--resource",
                                    "plugin={tmp:plugin.tar}", "--resource", "r2=R2"})))
        .WillOnce(DoAll(SaveArg<0>(&seen), ReturnStdout("")));
    snap_juju.deploy(
        dir.path() / "my.charm",
        {.resources = {{"plugin", (dir.path() / "plugin.tar").string()}, {"r2", "R2"}}});
    ASSERT_EQ(seen.temp_files.size(), 2U);
    EXPECT_EQ(seen.temp_files[0].name, "_temp.charm");
    EXPECT_EQ(seen.temp_files[0].content, "CH");
    EXPECT_EQ(seen.temp_files[1].name, "plugin.tar");
    EXPECT_EQ(seen.temp_files[1].content, "TAR");
}

TEST_F(JujuApps, DeployCharmhubNameWithSnapJujuIsUnchanged) {
    TempDir dir;
    const auto bin = dir.path() / "snap" / "bin";
    std::filesystem::create_directories(bin);
    jubilant::test::write_stub(bin, "juju", "exit 0\n");
    Juju snap_juju(backend, {.cli_binary = (bin / "juju").string()});
    expect({"deploy", "postgresql"});
    snap_juju.deploy("postgresql");
}

TEST_F(JujuApps, DeployPropagatesCliError) {
    EXPECT_CALL(*backend, run(_)).WillOnce(ReturnFailure(1, "ERROR no such charm"));
    EXPECT_THROW(juju.deploy("nope"), CLIError);
}

// refresh

TEST_F(JujuApps, RefreshDefaults) {
    expect({"refresh", "xyz"});
    juju.refresh("xyz");
}

TEST_F(JujuApps, RefreshWithModel) {
    juju.set_model("mdl");
    expect({"refresh", "--model", "mdl", "xyz"});
    juju.refresh("xyz");
}

TEST_F(JujuApps, RefreshAllArgs) {
    expect({"refresh",
            "app",
            "--base",
            "ubuntu@22.04",
            "--channel",
            "latest/edge",
            "--config",
            "x=true",
            "--config",
            "y=1",
            "--config",
            "z=ss",
            "--force",
            "--force-base",
            "--force-units",
            "--path",
            "/path/to/app.charm",
            "--resource",
            "bin=/path",
            "--revision",
            "42",
            "--storage",
            "data=tmpfs,1G",
            "--trust"});
    juju.refresh("app", {.base = "ubuntu@22.04",
                         .channel = "latest/edge",
                         .config = {{"x", true}, {"y", 1}, {"z", "ss"}},
                         .force = true,
                         .path = "/path/to/app.charm",
                         .resources = {{"bin", "/path"}},
                         .revision = 42,
                         .storage = {{"data", "tmpfs,1G"}},
                         .trust = true});
}

TEST_F(JujuApps, RefreshRelativePath) {
    expect({"refresh", "xyz", "--path", "./foo"});
    juju.refresh("xyz", {.path = std::filesystem::path("foo")});
}

TEST_F(JujuApps, RefreshAbsolutePath) {
    expect({"refresh", "xyz", "--path", "/foo"});
    juju.refresh("xyz", {.path = std::filesystem::path("/foo")});
}

// add_unit

TEST_F(JujuApps, AddUnit) {
    expect({"add-unit", "app1"});
    juju.add_unit("app1");
}

TEST_F(JujuApps, AddUnitWithModel) {
    juju.set_model("mdl");
    expect({"add-unit", "--model", "mdl", "app1"});
    juju.add_unit("app1");
}

TEST_F(JujuApps, AddUnitAllArgs) {
    expect({"add-unit", "app2", "--attach-storage", "stg", "--num-units", "3", "--to", "lxd:25"});
    juju.add_unit("app2", {.attach_storage = {"stg"}, .num_units = 3, .to = {"lxd:25"}});
}

TEST_F(JujuApps, AddUnitLists) {
    expect({"add-unit", "app1", "--attach-storage", "stg1,stg2", "--to", "to1,to2"});
    juju.add_unit("app1", {.attach_storage = {"stg1", "stg2"}, .to = {"to1", "to2"}});
}

// remove_application / remove_unit

TEST_F(JujuApps, RemoveApplication) {
    expect({"remove-application", "--no-prompt", "app1"});
    juju.remove_application({"app1"});
}

TEST_F(JujuApps, RemoveApplicationAllArgs) {
    juju.set_model("mdl");
    expect({"remove-application", "--model", "mdl", "--no-prompt", "app1", "app2",
            "--destroy-storage", "--force"});
    juju.remove_application({"app1", "app2"}, {.destroy_storage = true, .force = true});
}

TEST_F(JujuApps, RemoveUnit) {
    expect({"remove-unit", "--no-prompt", "unit/0"});
    juju.remove_unit({"unit/0"});
}

TEST_F(JujuApps, RemoveUnitWithModel) {
    juju.set_model("mdl");
    expect({"remove-unit", "--model", "mdl", "--no-prompt", "unit/0"});
    juju.remove_unit({"unit/0"});
}

TEST_F(JujuApps, RemoveUnitNumUnits) {
    expect({"remove-unit", "--no-prompt", "wordpress", "--num-units", "2"});
    juju.remove_unit({"wordpress"}, {.num_units = 2});
}

TEST_F(JujuApps, RemoveUnitFlags) {
    expect({"remove-unit", "--no-prompt", "unit/0", "--destroy-storage", "--force"});
    juju.remove_unit({"unit/0"}, {.destroy_storage = true, .force = true});
}

TEST_F(JujuApps, RemoveUnitMultiple) {
    expect({"remove-unit", "--no-prompt", "unit/0", "unit/1", "unit/2"});
    juju.remove_unit({"unit/0", "unit/1", "unit/2"});
}

TEST_F(JujuApps, RemoveUnitNumUnitsNeedsOneName) {
    EXPECT_CALL(*backend, run(_)).Times(0);
    EXPECT_THROW(juju.remove_unit({"unit/0", "unit/1"}, {.num_units = 2}), Error);
}

// integrate / remove_relation

TEST_F(JujuApps, Integrate) {
    expect({"integrate", "app1", "app2"});
    juju.integrate("app1", "app2");
}

TEST_F(JujuApps, IntegrateWithModel) {
    juju.set_model("mdl");
    expect({"integrate", "--model", "mdl", "app1", "app2"});
    juju.integrate("app1", "app2");
}

TEST_F(JujuApps, IntegrateEndpoints) {
    expect({"integrate", "app1:db", "app2:db"});
    juju.integrate("app1:db", "app2:db");
}

TEST_F(JujuApps, IntegrateVia) {
    expect({"integrate", "app1", "mdl.app2", "--via", "192.168.0.0/16"});
    juju.integrate("app1", "mdl.app2", {.via = {"192.168.0.0/16"}});
}

TEST_F(JujuApps, IntegrateViaList) {
    expect({"integrate", "app1", "mdl.app2", "--via", "192.168.0.0/16,16,10.0.0.0/8"});
    juju.integrate("app1", "mdl.app2", {.via = {"192.168.0.0/16", "16,10.0.0.0/8"}});
}

TEST_F(JujuApps, RemoveRelation) {
    expect({"remove-relation", "app1", "app2"});
    juju.remove_relation("app1", "app2");
}

TEST_F(JujuApps, RemoveRelationForceWithModel) {
    juju.set_model("mdl");
    expect({"remove-relation", "--model", "mdl", "app1:db", "app2:db", "--force"});
    juju.remove_relation("app1:db", "app2:db", {.force = true});
}

// consume

TEST_F(JujuApps, Consume) {
    expect({"consume", "othermodel.mysql"});
    juju.consume("othermodel.mysql");
}

TEST_F(JujuApps, ConsumeWithModel) {
    juju.set_model("mdl");
    expect({"consume", "--model", "mdl", "othermodel.mysql"});
    juju.consume("othermodel.mysql");
}

TEST_F(JujuApps, ConsumeOwner) {
    expect({"consume", "owner/othermodel.mysql"});
    juju.consume("othermodel.mysql", {.owner = "owner"});
}

TEST_F(JujuApps, ConsumeAllArgs) {
    expect({"consume", "anothercontroller:admin/othermodel.mysql", "sql"});
    juju.consume("othermodel.mysql",
                 {.alias = "sql", .controller = "anothercontroller", .owner = "admin"});
}

TEST_F(JujuApps, ConsumeEmptyStringsAreKept) {
    expect({"consume", ":/othermodel.mysql"});
    juju.consume("othermodel.mysql", {.controller = "", .owner = ""});
}

// offer

TEST_F(JujuApps, Offer) {
    expect({"offer", "mysql:db"});
    juju.offer("mysql", {"db"});
}

TEST_F(JujuApps, OfferControllerWithoutDottedAppIsAnError) {
    EXPECT_CALL(*backend, run(_)).Times(0);
    for (const char* model : {"", "origmodel", "ctl:origmodel"}) {
        if (*model) juju.set_model(model);
        EXPECT_THROW(juju.offer("mysql", {"db"}, {.controller = "another"}), Error) << model;
    }
}

TEST_F(JujuApps, OfferUsesInstanceModel) {
    for (const char* model : {"origmodel", "admin/origmodel"}) {
        juju.set_model(model);
        expect({"offer", std::string(model) + ".mysql:db"});
        juju.offer("mysql", {"db"});
    }
}

TEST_F(JujuApps, OfferUsesInstanceController) {
    juju.set_model("ctl:origmodel");
    expect({"offer", "origmodel.mysql:db", "--controller", "ctl"});
    juju.offer("mysql", {"db"});
}

TEST_F(JujuApps, OfferUsesInstanceControllerAndUser) {
    juju.set_model("ctl:admin/origmodel");
    expect({"offer", "admin/origmodel.mysql:db", "--controller", "ctl"});
    juju.offer("mysql", {"db"});
}

TEST_F(JujuApps, OfferDottedAppIgnoresInstanceModel) {
    juju.set_model("ctl:origmodel");
    expect({"offer", "inmodel.mysql:db"});
    juju.offer("inmodel.mysql", {"db"});
}

TEST_F(JujuApps, OfferDottedAppWithController) {
    juju.set_model("ctl:origmodel");
    expect({"offer", "inmodel.mysql:db", "--controller", "another"});
    juju.offer("inmodel.mysql", {"db"}, {.controller = "another"});
}

TEST_F(JujuApps, OfferNameAndEndpoints) {
    expect({"offer", "mysql:db,log", "nam"});
    juju.offer("mysql", {"db", "log"}, {.name = "nam"});
}

// config

TEST_F(JujuApps, ConfigGet) {
    expect({"config", "--format", "json", "app1"}, config_json);
    const auto values = juju.config("app1");
    const std::map<std::string, ConfigValue> want{
        {"booly", true},
        {"inty", std::int64_t{42}},
        {"floaty", 7.5},
        {"stry", std::string("A string.")},
        {"secrety", SecretURI("secret:abcd1234")},
    };
    EXPECT_EQ(values, want);
}

TEST_F(JujuApps, ConfigGetAppConfig) {
    expect({"config", "--format", "json", "appc"}, config_json);
    const std::map<std::string, ConfigValue> want{
        {"juju-application-path", std::string("/")},
        {"trust", false},
    };
    EXPECT_EQ(juju.config("appc", {.app_config = true}), want);
}

TEST_F(JujuApps, ConfigGetWithModel) {
    juju.set_model("mdl");
    expect({"config", "--model", "mdl", "--format", "json", "app1"}, config_json);
    EXPECT_EQ(juju.config("app1").size(), 5U);
}

TEST_F(JujuApps, ConfigGetBadJsonIsParseError) {
    expect({"config", "--format", "json", "app1"}, "not json");
    EXPECT_THROW(juju.config("app1"), ParseError);
}

TEST_F(JujuApps, ConfigSet) {
    expect({"config", "app2", "booly=true", "inty=42", "floaty=7.5", "stry=A string.",
            "secrety=secret:foo"});
    juju.config_set("app2", {{"booly", true},
                             {"inty", 42},
                             {"floaty", 7.5},
                             {"stry", "A string."},
                             {"secrety", SecretURI("secret:foo")}});
}

TEST_F(JujuApps, ConfigSetWithModel) {
    juju.set_model("mdl");
    expect({"config", "--model", "mdl", "app2", "foo=bar"});
    juju.config_set("app2", {{"foo", "bar"}});
}

TEST_F(JujuApps, ConfigReset) {
    expect({"config", "app1", "--reset", "rst"});
    juju.config_set("app1", {}, {.reset = {"rst"}});
}

TEST_F(JujuApps, ConfigResetList) {
    expect({"config", "app1", "--reset", "x,why,zed"});
    juju.config_set("app1", {}, {.reset = {"x", "why", "zed"}});
}

TEST_F(JujuApps, ConfigSetWithReset) {
    expect({"config", "app1", "foo=bar", "--reset", "baz,buzz"});
    juju.config_set("app1", {{"foo", "bar"}}, {.reset = {"baz", "buzz"}});
}

// trust

TEST_F(JujuApps, Trust) {
    expect({"trust", "app1"});
    juju.trust("app1");
}

TEST_F(JujuApps, TrustAllArgs) {
    juju.set_model("mdl");
    expect({"trust", "--model", "mdl", "app1", "--remove", "--scope", "cluster"});
    juju.trust("app1", {.remove = true, .scope = "cluster"});
}
