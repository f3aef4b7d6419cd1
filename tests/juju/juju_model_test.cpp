// Model and machine methods: add_model, destroy_model, show_model, model_config,
// model_constraints, add_machine, bootstrap, and the TempModel scope.
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/temp_model.hpp>
#include <jubilant/testing.hpp>

#include <regex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/mock_juju.hpp"
#include "support/stub_executable.hpp"

using namespace jubilant;
using jubilant::test::LogCapture;
using jubilant::testkit::Args;
using jubilant::testkit::MockBackend;
using jubilant::testkit::ReturnFailure;
using jubilant::testkit::ReturnStdout;
using ::testing::_;
using ::testing::DoAll;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::InSequence;
using ::testing::Invoke;
using ::testing::Optional;
using ::testing::SaveArg;

namespace {

class JujuModels : public jubilant::test::MockJujuTest {};

const char* const show_model_json = R"({
  "mdl": {
    "name": "admin/mdl", "short-name": "mdl", "model-uuid": "910dff48-2bc2-4007-858b-e382d2fcdc0e",
    "model-type": "iaas", "controller-uuid": "c-uuid", "controller-name": "ctl",
    "is-controller": false, "cloud": "localhost", "life": "alive"
  }
})";

}  // namespace

// add_model

TEST_F(JujuModels, AddModelSetsModel) {
    expect({"add-model", "--no-switch", "new"});
    juju.add_model("new");
    EXPECT_EQ(juju.model(), "new");
}

TEST_F(JujuModels, AddModelAllArgs) {
    juju.set_model("ignored");
    expect({"add-model", "--no-switch", "m", "lc", "--controller", "c", "--config", "x=true",
            "--config", "y=1", "--config", "z=ss", "--credential", "cc"});
    juju.add_model("m", {.cloud = "lc",
                         .controller = "c",
                         .config = {{"x", true}, {"y", 1}, {"z", "ss"}},
                         .credential = "cc"});
    EXPECT_EQ(juju.model(), "c:m");
}

TEST_F(JujuModels, AddModelFailureKeepsOldModel) {
    juju.set_model("old");
    EXPECT_CALL(*backend, run(_)).WillOnce(ReturnFailure(1, "ERROR model exists"));
    EXPECT_THROW(juju.add_model("new"), CLIError);
    EXPECT_EQ(juju.model(), "old");
}

// destroy_model

struct DestroyCase {
    const char* self;
    const char* destroyed;
    bool cleared;
};

TEST_F(JujuModels, DestroyModelClearsOnlyTheSameModel) {
    const DestroyCase cases[] = {
        {"initial", "initial", true},
        {"initial", "other", false},
        {"alice/other", "alice/other", true},
        {"m", "admin/m", true},
        {"admin/m", "m", true},
        {"c1:m", "c1:m", true},
        {"m", "c1:m", true},
        {"c1:m", "m", true},
        {"alice/m", "bob/m", false},
        {"c1:m", "c2:m", false},
        {"c1:alice/m", "c1:m", true},
        {"m", "mm", false},
    };
    for (const auto& c : cases) {
        juju.set_model(c.self);
        expect({"destroy-model", c.destroyed, "--no-prompt"});
        juju.destroy_model(c.destroyed);
        if (c.cleared) {
            EXPECT_EQ(juju.model(), std::nullopt) << c.self << " vs " << c.destroyed;
        } else {
            EXPECT_EQ(juju.model(), c.self) << c.self << " vs " << c.destroyed;
        }
    }
}

TEST_F(JujuModels, DestroyModelFlags) {
    expect({"destroy-model", "xyz", "--no-prompt", "--destroy-storage"});
    juju.destroy_model("xyz", {.destroy_storage = true});
    expect({"destroy-model", "xyz", "--no-prompt", "--force"});
    juju.destroy_model("xyz", {.force = true});
    expect({"destroy-model", "xyz", "--no-prompt", "--no-wait"});
    juju.destroy_model("xyz", {.no_wait = true});
    expect({"destroy-model", "xyz", "--no-prompt", "--release-storage"});
    juju.destroy_model("xyz", {.release_storage = true});
}

TEST_F(JujuModels, DestroyModelTimeoutFormatting) {
    expect({"destroy-model", "xyz", "--no-prompt", "--force", "--timeout", "120s"});
    juju.destroy_model("xyz", {.force = true, .timeout = std::chrono::seconds(120)});
    expect({"destroy-model", "xyz", "--no-prompt", "--timeout", "0.5s"});
    juju.destroy_model("xyz", {.timeout = std::chrono::milliseconds(500)});
}

TEST_F(JujuModels, DestroyModelNeverIncludesModelFlag) {
    juju.set_model("mine");
    expect({"destroy-model", "other", "--no-prompt"});
    juju.destroy_model("other");
    EXPECT_EQ(juju.model(), "mine");
}

TEST_F(JujuModels, DestroyModelFailureKeepsModel) {
    juju.set_model("mine");
    EXPECT_CALL(*backend, run(_)).WillOnce(ReturnFailure(1, "ERROR nope"));
    EXPECT_THROW(juju.destroy_model("mine"), CLIError);
    EXPECT_EQ(juju.model(), "mine");
}

// show_model

TEST_F(JujuModels, ShowModelCurrent) {
    expect({"show-model", "--format", "json"}, show_model_json);
    const ModelInfo info = juju.show_model();
    EXPECT_EQ(info.name, "admin/mdl");
    EXPECT_EQ(info.short_name, "mdl");
    EXPECT_EQ(info.model_uuid, "910dff48-2bc2-4007-858b-e382d2fcdc0e");
    EXPECT_EQ(info.controller_name, "ctl");
}

TEST_F(JujuModels, ShowModelUsesInstanceModelAsArgument) {
    juju.set_model("mdl");
    expect({"show-model", "--format", "json", "mdl"}, show_model_json);
    EXPECT_EQ(juju.show_model().short_name, "mdl");
}

TEST_F(JujuModels, ShowModelExplicit) {
    juju.set_model("mine");
    expect({"show-model", "--format", "json", "mdlarg"}, show_model_json);
    EXPECT_EQ(juju.show_model("mdlarg").model_uuid, "910dff48-2bc2-4007-858b-e382d2fcdc0e");
}

TEST_F(JujuModels, ShowModelBadOutputIsParseError) {
    expect({"show-model", "--format", "json"}, "{}");
    EXPECT_THROW(juju.show_model(), ParseError);
}

// model_config

TEST_F(JujuModels, ModelConfigGet) {
    expect({"model-config", "--format", "json"}, R"({
        "booly": {"Value": true, "type": "boolean"},
        "inty": {"Value": 42, "type": "int"},
        "floaty": {"Value": 7.5, "type": "float"},
        "stry": {"Value": "A string.", "type": "string"},
        "novalue": {"Source": "default"}
    })");
    const std::map<std::string, ConfigValue> want{{"booly", true},
                                                  {"inty", std::int64_t{42}},
                                                  {"floaty", 7.5},
                                                  {"stry", std::string("A string.")}};
    EXPECT_EQ(juju.model_config(), want);
}

TEST_F(JujuModels, ModelConfigGetWithModel) {
    juju.set_model("mdl");
    expect({"model-config", "--model", "mdl", "--format", "json"}, "{}");
    EXPECT_TRUE(juju.model_config().empty());
}

TEST_F(JujuModels, ModelConfigSet) {
    expect({"model-config", "booly=true", "inty=42", "floaty=7.5", "stry=A string."});
    juju.model_config_set({{"booly", true}, {"inty", 42}, {"floaty", 7.5}, {"stry", "A string."}});
}

TEST_F(JujuModels, ModelConfigSetWithModel) {
    juju.set_model("mdl");
    expect({"model-config", "--model", "mdl", "foo=bar"});
    juju.model_config_set({{"foo", "bar"}});
}

TEST_F(JujuModels, ModelConfigReset) {
    expect({"model-config", "--reset", "rst"});
    juju.model_config_set({}, {.reset = {"rst"}});
    expect({"model-config", "--reset", "x,why,zed"});
    juju.model_config_set({}, {.reset = {"x", "why", "zed"}});
    expect({"model-config", "foo=bar", "--reset", "baz,buzz"});
    juju.model_config_set({{"foo", "bar"}}, {.reset = {"baz", "buzz"}});
}

// model_constraints

TEST_F(JujuModels, ModelConstraintsGet) {
    expect({"model-constraints", "--format", "json"},
           R"({"arch":"amd64","cores":8,"mem":16384,"root-disk":1638.4,)"
           R"("allocate-public-ip":false,"tags":["a","b"]})");
    const std::map<std::string, ConstraintValue> want{
        {"arch", std::string("amd64")}, {"cores", std::int64_t{8}},
        {"mem", std::int64_t{16384}},   {"root-disk", 1638.4},
        {"allocate-public-ip", false},  {"tags", std::string("a,b")}};
    EXPECT_EQ(juju.model_constraints(), want);
}

TEST_F(JujuModels, ModelConstraintsSet) {
    expect({"set-model-constraints", "arch=amd64", "cores=8", "mem=16G", "root-disk=1638.4",
            "allocate-public-ip=false"});
    juju.model_constraints({{"arch", "amd64"},
                            {"cores", 8},
                            {"mem", "16G"},
                            {"root-disk", 1638.4},
                            {"allocate-public-ip", false}});
}

TEST_F(JujuModels, ModelConstraintsSetWithModel) {
    juju.set_model("mdl");
    expect({"set-model-constraints", "--model", "mdl", "mem=8G"});
    juju.model_constraints({{"mem", "8G"}});
}

// add_machine

TEST_F(JujuModels, AddMachineDefaults) {
    expect({"add-machine"});
    juju.add_machine();
}

TEST_F(JujuModels, AddMachineWithModel) {
    juju.set_model("mdl");
    expect({"add-machine", "--model", "mdl"});
    juju.add_machine();
}

TEST_F(JujuModels, AddMachineTargets) {
    for (const char* target : {"lxd:4", "lxd", "ssh:user@10.10.0.3", "host.internal"}) {
        expect({"add-machine", target});
        juju.add_machine({.target = target});
    }
}

TEST_F(JujuModels, AddMachineAllArgs) {
    expect({"add-machine", "ssh:user@10.10.0.3", "--base", "ubuntu@22.04", "--constraints",
            "cores=4", "--constraints", "mem=16G", "--disks", "ebs,1T,2 ebs-ssd,100G,1", "-n", "2",
            "--private-key", "/keys/id_ed25519", "--public-key", "/keys/id_ed25519.pub"});
    juju.add_machine({.target = "ssh:user@10.10.0.3",
                      .base = "ubuntu@22.04",
                      .constraints = {{"cores", 4}, {"mem", "16G"}},
                      .disks = {"ebs,1T,2", "ebs-ssd,100G,1"},
                      .num_machines = 2,
                      .private_key = "/keys/id_ed25519",
                      .public_key = "/keys/id_ed25519.pub"});
}

TEST_F(JujuModels, AddMachineSingleDisk) {
    expect({"add-machine", "--disks", "ebs,1T,2"});
    juju.add_machine({.disks = {"ebs,1T,2"}});
}

// bootstrap

TEST_F(JujuModels, BootstrapDefaults) {
    expect({"bootstrap", "lxd", "my-controller", "--no-switch"});
    juju.bootstrap("lxd", "my-controller");
    EXPECT_EQ(juju.model(), std::nullopt);
}

TEST_F(JujuModels, BootstrapAllArgs) {
    expect({"bootstrap",
            "lxd",
            "my-lxd-controller",
            "--no-switch",
            "--bootstrap-base",
            "ubuntu@22.04",
            "--bootstrap-constraints",
            "mem=8G",
            "--bootstrap-constraints",
            "tags=juju",
            "--bootstrap-constraints",
            "is_test=true",
            "--config",
            "foo=bar",
            "--config",
            "baz=qux",
            "--constraints",
            "mem=8G",
            "--constraints",
            "arch=amd64",
            "--constraints",
            "another_bool=false",
            "--credential",
            "my-credential",
            "--force",
            "--model-default",
            "foo=bar",
            "--storage-pool",
            "name=my-pool",
            "--storage-pool",
            "type=lxd",
            "--to",
            "lxd:1",
            "--metadata-source",
            "/path/to/metadata"});
    juju.bootstrap("lxd", "my-lxd-controller",
                   {.bootstrap_base = "ubuntu@22.04",
                    .bootstrap_constraints = {{"mem", "8G"}, {"tags", "juju"}, {"is_test", true}},
                    .config = {{"foo", "bar"}, {"baz", "qux"}},
                    .constraints = {{"mem", "8G"}, {"arch", "amd64"}, {"another_bool", false}},
                    .credential = "my-credential",
                    .metadata_source = "/path/to/metadata",
                    .force = true,
                    .model_defaults = {{"foo", "bar"}},
                    .storage_pool = {{"name", "my-pool"}, {"type", "lxd"}},
                    .to = {"lxd:1"}});
}

TEST_F(JujuModels, BootstrapToListAndIgnoresModel) {
    juju.set_model("mdl");
    expect({"bootstrap", "lxd", "myctrl", "--no-switch", "--to", "to1,to2"});
    juju.bootstrap("lxd", "myctrl", {.to = {"to1", "to2"}});
    EXPECT_EQ(juju.model(), "mdl");
}

TEST_F(JujuModels, BootstrapLogsStderr) {
    LogCapture logs;
    EXPECT_CALL(*backend, run(_))
        .WillOnce(::testing::Return(
            CliResult{.returncode = 0, .stdout_text = "", .stderr_text = "Bootstrap complete"}));
    juju.bootstrap("lxd", "c");
    EXPECT_THAT(logs.text(), HasSubstr("bootstrap output:\nBootstrap complete"));
}

// TempModel

TEST(TempModel, RandomNameShape) {
    const std::regex shape("jubilant-[0-9a-f]{8}");
    const std::string a = random_model_name();
    EXPECT_TRUE(std::regex_match(a, shape)) << a;
    EXPECT_NE(a, random_model_name());
}

TEST(TempModel, AddsThenDestroysModel) {
    auto backend = std::make_shared<MockBackend>();
    std::vector<CliRequest> calls;
    EXPECT_CALL(*backend, run(_)).Times(3).WillRepeatedly(Invoke([&](const CliRequest& r) {
        calls.push_back(r);
        return CliResult{};
    }));
    std::string name;
    {
        TempModel tm(backend, {.juju = {.cli_binary = "/nonexistent/juju"}});
        name = tm.model();
        EXPECT_EQ(tm.juju().model(), name);
        tm.juju().deploy("app1");
    }
    ASSERT_EQ(calls.size(), 3U);
    EXPECT_EQ(calls[0].args, (std::vector<std::string>{"add-model", "--no-switch", name}));
    EXPECT_EQ(calls[1].args, (std::vector<std::string>{"deploy", "--model", name, "app1"}));
    EXPECT_EQ(calls[2].args, (std::vector<std::string>{"destroy-model", name, "--no-prompt",
                                                       "--destroy-storage", "--force"}));
    EXPECT_EQ(calls[2].timeout, std::optional<std::chrono::milliseconds>(std::chrono::minutes(10)));
}

TEST(TempModel, AllOptions) {
    auto backend = std::make_shared<MockBackend>();
    std::vector<CliRequest> calls;
    EXPECT_CALL(*backend, run(_)).Times(2).WillRepeatedly(Invoke([&](const CliRequest& r) {
        calls.push_back(r);
        return CliResult{};
    }));
    std::string name;
    {
        TempModel tm(backend, {.controller = "ctl",
                               .cloud = "localhost",
                               .config = {{"image-stream", "daily"}},
                               .credential = "cred"});
        name = tm.model();
        EXPECT_EQ(tm.juju().model(), name);
    }
    ASSERT_EQ(calls.size(), 2U);
    ASSERT_EQ(name.rfind("ctl:jubilant-", 0), 0U) << name;
    const std::string bare = name.substr(4);
    EXPECT_EQ(calls[0].args, (std::vector<std::string>{
                                 "add-model", "--no-switch", bare, "localhost", "--controller",
                                 "ctl", "--config", "image-stream=daily", "--credential", "cred"}));
    EXPECT_EQ(calls[1].args[1], name);
}

TEST(TempModel, KeepLeavesModel) {
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(Field(&CliRequest::args, ::testing::Contains("add-model"))))
        .WillOnce(ReturnStdout(""));
    { TempModel tm(backend, {.keep = true}); }
}

TEST(TempModel, DestroyFailureIsLoggedNotThrown) {
    auto backend = std::make_shared<MockBackend>();
    InSequence seq;
    EXPECT_CALL(*backend, run(Field(&CliRequest::args, ::testing::Contains("add-model"))))
        .WillOnce(ReturnStdout(""));
    EXPECT_CALL(*backend, run(Field(&CliRequest::args, ::testing::Contains("destroy-model"))))
        .WillOnce(ReturnFailure(1, "ERROR cannot destroy"));
    LogCapture logs;
    EXPECT_NO_THROW({ TempModel tm(backend); });
    EXPECT_THAT(logs.text(), HasSubstr("error destroying model jubilant-"));
    EXPECT_THAT(logs.text(), HasSubstr("ERROR cannot destroy"));
}

TEST(TempModel, DestroyTimeoutIsLogged) {
    auto backend = std::make_shared<MockBackend>();
    InSequence seq;
    EXPECT_CALL(*backend, run(Field(&CliRequest::args, ::testing::Contains("add-model"))))
        .WillOnce(ReturnStdout(""));
    EXPECT_CALL(*backend, run(Field(&CliRequest::args, ::testing::Contains("destroy-model"))))
        .WillOnce(::testing::Throw(CLITimeoutError(
            {"juju", "destroy-model"}, std::chrono::milliseconds(5), "part-out", "part-err")));
    LogCapture logs;
    EXPECT_NO_THROW({ TempModel tm(backend, {.destroy_timeout = std::chrono::milliseconds(5)}); });
    EXPECT_THAT(logs.text(), HasSubstr("timeout destroying model"));
    EXPECT_THAT(logs.text(), HasSubstr("part-err"));
}

TEST(TempModel, AddFailurePropagates) {
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(_)).WillOnce(ReturnFailure(1, "ERROR no controller"));
    EXPECT_THROW({ TempModel tm(backend); }, CLIError);
}
