// The fake Juju speaking juju 3.6 or 4.0: every difference between the two that a client sees,
// each test run on both faces and both versions with the expectation of the version in force,
// so a fake that ignored its version fails one of the two runs. Also how the version is chosen
// (FAKE_JUJU_VERSION, the plugin's juju_version, bootstrap --agent-version) and what a
// cassette recorded against one version says when replayed expecting the other.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <jubilant/all_any.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/plugin_loader.hpp>
#include <jubilant/recorder.hpp>
#include <jubilant/secrettypes.hpp>
#include <jubilant/statustypes.hpp>

#include "support/charm_files.hpp"
#include "support/fake_faces.hpp"

namespace jubilant::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;

const WaitOptions quick{.error = any_error, .delay = 10ms, .timeout = 120s, .successes = 3};

// A user's charm whose action does not say whether it takes undeclared params, so juju's
// default decides (3.6: it does; 4.0: it does not).
const std::map<std::string, std::string> open_action_charm = {
    {"metadata.yaml", "name: open-charm\nsummary: An action without additionalProperties\n"},
    {"actions.yaml",
     "greet:\n  description: Says hello\n  params:\n    name:\n      type: string\n"},
};

class FakeVersionTest : public FakeFaceTest {
protected:
    std::string version() const { return GetParam().juju_version; }
    nlohmann::json status_json(const std::string& model) {
        const CliResult r = raw({"status", "--format", "json", "-m", model});
        EXPECT_EQ(r.returncode, 0) << r.stderr_text;
        return nlohmann::json::parse(r.stdout_text);
    }
};
JUBILANT_FAKE_FACES(FakeVersionTest);

TEST_P(FakeVersionTest, EveryCommandReportsTheChosenVersion) {
    EXPECT_EQ(to_string(juju().version()), version() + "-genericlinux-amd64");
    EXPECT_EQ(raw({"version"}).stdout_text, version() + "-genericlinux-amd64\n");
    juju().add_model("m");
    const nlohmann::json status = status_json("m");
    EXPECT_EQ(status.at("model").at("version"), version());
    EXPECT_EQ(juju().status().model.version, version());
    const nlohmann::json model =
        nlohmann::json::parse(raw({"show-model", "m", "--format", "json"}).stdout_text).at("m");
    EXPECT_EQ(model.at("agent-version"), version());
    const nlohmann::json controllers =
        nlohmann::json::parse(raw({"controllers", "--format", "json"}).stdout_text);
    EXPECT_EQ(controllers.at("controllers").at("fake").at("agent-version"), version());
    const nlohmann::json controller =
        nlohmann::json::parse(raw({"show-controller", "--format", "json"}).stdout_text);
    EXPECT_EQ(controller.at("fake").at("details").at("agent-version"), version());
    EXPECT_EQ(controller.at("fake").at("current-model"),
              "admin/controller");  // add_model does not switch
    const CliResult unknown = raw({"show-controller", "nowhere"});
    EXPECT_EQ(unknown.returncode, 1);
    EXPECT_EQ(unknown.stderr_text, "ERROR controller nowhere not found\n");
    const nlohmann::json models =
        nlohmann::json::parse(raw({"models", "--format", "json"}).stdout_text);
    for (const auto& m : models.at("models")) EXPECT_EQ(m.at("agent-version"), version());
    // Juju 4 has no SLA: not in the JSON model, not a column of the tabular header.
    EXPECT_EQ(status.at("model").contains("sla"), !juju4());
    const std::string tabular = raw({"status", "-m", "m"}).stdout_text;
    EXPECT_THAT(
        tabular,
        StartsWith(
            juju4() ? "Model  Controller  Cloud/Region         Version  Timestamp\n"
                    : "Model  Controller  Cloud/Region         Version  SLA          Timestamp\n"));
}

TEST_P(FakeVersionTest, CommandsJuju4RemovedAreUnknownThere) {
    for (const std::string name :
         {"wait-for", "export-bundle", "enable-ha", "upgrade-machine", "set-application-base"}) {
        const CliResult r = raw({name, "application", "pg", "--query", "life==\"alive\""});
        EXPECT_EQ(r.returncode, 1) << name;
        EXPECT_EQ(
            r.stderr_text,
            juju4() ? "ERROR juju: \"" + name + "\" is not a juju command. See \"juju --help\".\n"
                    : "ERROR fake-juju does not simulate \"" + name + "\" (a juju 3.6.4 command)\n")
            << name;
    }
}

TEST_P(FakeVersionTest, FlagsJuju4RemovedAreNotDefinedThere) {
    juju().add_model("m");
    juju().deploy("postgresql", {.app = "pg"});
    // Under juju 4 the flag is undefined (exit 2, nothing done); under 3.6 the command works.
    auto expect_juju3_only = [&](std::vector<std::string> args, const std::string& flag) {
        const CliResult r = raw(std::move(args));
        EXPECT_EQ(r.returncode, juju4() ? 2 : 0) << flag << ": " << r.stderr_text;
        if (juju4()) {
            EXPECT_EQ(r.stderr_text, "ERROR option provided but not defined: " + flag + "\n");
        }
    };
    expect_juju3_only({"status", "-m", "m", "--format", "json", "--watch", "2s"}, "--watch");
    expect_juju3_only({"refresh", "-m", "m", "pg", "--force-series"}, "--force-series");
    EXPECT_EQ(raw({"refresh", "-m", "m", "pg", "--force-base"}).returncode, 0);

    // Series are gone in juju 4: bases only.
    expect_juju3_only({"deploy", "-m", "m", "ubuntu", "--series", "noble"}, "--series");
    expect_juju3_only({"add-machine", "-m", "m", "--series", "focal"}, "--series");
    if (!juju4()) {
        const Status status = juju().status();
        EXPECT_EQ(status.apps.at("ubuntu").base->channel, "24.04");
        bool focal = false;
        for (const auto& [id, m] : status.machines) focal = focal || m.base->channel == "20.04";
        EXPECT_TRUE(focal);
    }
    EXPECT_EQ(raw({"deploy", "-m", "m", "ubuntu", "ubuntu2", "--base", "ubuntu@24.04"}).returncode,
              0);
}

TEST_P(FakeVersionTest, Juju4DeploysOnlyPackedCharms) {
    juju().add_model("m");
    const fs::path dir = make_charm_dir(scratch() / "open-charm", open_action_charm);
    const CliResult from_dir = raw({"deploy", "-m", "m", dir.string()});
    if (juju4()) {
        EXPECT_EQ(from_dir.returncode, 1);
        EXPECT_EQ(from_dir.stderr_text,
                  "ERROR cannot deploy charm directory \"" + dir.string() +
                      "\": juju 4 deploys packed charms only; run \"charmcraft pack\" and deploy "
                      "the .charm file\n");
    } else {
        EXPECT_EQ(from_dir.returncode, 0) << from_dir.stderr_text;
    }
    const fs::path packed = pack_charm(scratch() / "open-charm_amd64.charm", open_action_charm);
    const CliResult from_pack = raw({"deploy", "-m", "m", packed.string(), "packed"});
    EXPECT_EQ(from_pack.returncode, 0) << from_pack.stderr_text;
}

TEST_P(FakeVersionTest, StatusPatternsAreNotImplementedInJuju40) {
    juju().add_model("m");
    juju().deploy("postgresql", {.app = "pg"});
    juju().deploy("webapp");
    const CliResult r = raw({"status", "-m", "m", "--format", "json", "pg"});
    if (juju4()) {
        EXPECT_EQ(r.returncode, 1);
        EXPECT_EQ(r.stdout_text, "");
        EXPECT_EQ(r.stderr_text,
                  "ERROR \njuju client not compatible with server: patterns are not implemented "
                  "(not implemented)\nre-install your juju client to match the version running on "
                  "the controller\n");
    } else {
        ASSERT_EQ(r.returncode, 0) << r.stderr_text;
        const auto apps = nlohmann::json::parse(r.stdout_text).at("applications");
        EXPECT_TRUE(apps.contains("pg"));
        EXPECT_FALSE(apps.contains("webapp"));
    }
}

TEST_P(FakeVersionTest, YamlAgentStatusHasNoSinceInJuju4) {
    juju().add_model("m");
    juju().deploy("postgresql", {.app = "pg"});
    settle();
    const YAML::Node doc = YAML::Load(raw({"status", "-m", "m", "--format", "yaml"}).stdout_text);
    const YAML::Node unit = doc["applications"]["pg"]["units"]["pg/0"];
    ASSERT_TRUE(unit["juju-status"]);
    EXPECT_EQ(static_cast<bool>(unit["juju-status"]["since"]), !juju4());
    EXPECT_EQ(static_cast<bool>(doc["machines"]["0"]["juju-status"]["since"]), !juju4());
    EXPECT_TRUE(unit["workload-status"]["since"]);  // only the agent's lost it
    // JSON keeps it, and the typed API reads both shapes.
    EXPECT_TRUE(status_json("m")
                    .at("applications")
                    .at("pg")
                    .at("units")
                    .at("pg/0")
                    .at("juju-status")
                    .contains("since"));
    EXPECT_EQ(juju().status().apps.at("pg").units.at("pg/0").juju_status.current, "idle");
}

TEST_P(FakeVersionTest, Juju4DoesNotDeriveTheApplicationStatusFromItsUnits) {
    juju().add_model("m");
    juju().deploy("some-charmhub-charm", {.app = "plain"});  // no fixture: sets no app status
    juju().deploy("postgresql", {.app = "pg"});              // a fixture: its leader sets it
    settle();
    const Status status = juju().status();
    EXPECT_EQ(status.apps.at("plain").units.at("plain/0").workload_status.current, "active");
    EXPECT_EQ(status.apps.at("plain").app_status.current, juju4() ? "unknown" : "active");
    EXPECT_EQ(status.apps.at("pg").app_status.current, "active");
    EXPECT_EQ(status.apps.at("pg").app_status.message, "Primary");
}

TEST_P(FakeVersionTest, AnUndefinedActionIsTheSameErrorInTheTypedApi) {
    juju().add_model("m");
    juju().deploy("postgresql", {.app = "pg"});
    juju().wait(all_active, quick);
    const CliResult r = raw({"run", "-m", "m", "--format", "json", "pg/0", "no-such-action"});
    EXPECT_EQ(r.stdout_text, "");
    if (juju4()) {
        EXPECT_EQ(r.returncode, 1);
        EXPECT_EQ(r.stderr_text,
                  "ERROR action \"no-such-action\" not defined for unit \"pg/0\". (not found)\n");
    } else {
        EXPECT_EQ(r.returncode, 0);
        EXPECT_THAT(r.stderr_text,
                    HasSubstr("action \"no-such-action\" not defined on unit \"pg/0\""));
    }
    try {
        juju().run("pg/0", "no-such-action");
        FAIL() << "expected jubilant::Error";
    } catch (const CLIError&) {
        FAIL() << "a CLIError escaped: Jubilant maps both versions to one error";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), StartsWith("error running action 'no-such-action', stderr:\n"));
    }
}

TEST_P(FakeVersionTest, UndeclaredActionParamsFollowTheVersionsDefault) {
    juju().add_model("m");
    const fs::path packed = pack_charm(scratch() / "open-charm_amd64.charm", open_action_charm);
    ASSERT_EQ(raw({"deploy", "-m", "m", packed.string(), "open"}).returncode, 0);
    settle();
    const Value params(Value::Object{{"name", Value("ann")}, {"mood", Value("fine")}});
    if (juju4()) {
        try {
            juju().run("open/0", "greet", {.params = params});
            FAIL() << "expected an error";
        } catch (const Error& e) {
            EXPECT_THAT(e.what(), HasSubstr("additional property \"mood\" is not allowed"));
        }
    } else {
        EXPECT_EQ(juju().run("open/0", "greet", {.params = params}).status, "completed");
    }
    EXPECT_EQ(juju()
                  .run("open/0", "greet", {.params = Value(Value::Object{{"name", Value("ann")}})})
                  .status,
              "completed");
}

TEST_P(FakeVersionTest, KubernetesSecretRevisionsHaveNoBackendInJuju4) {
    juju().add_model("cos", {.cloud = "microk8s"});
    const SecretURI uri = juju().add_secret("creds", {{"user", "ann"}});
    const Secret k8s = juju().show_secret(uri.str(), {.revisions = true});
    ASSERT_TRUE(k8s.revisions);
    ASSERT_EQ(k8s.revisions->size(), 1u);
    EXPECT_EQ(k8s.revisions->front().backend, juju4() ? "" : "cos-local");
    EXPECT_EQ(juju().show_secret_revealed(uri.str()).content.at("user"), "ann");

    juju().add_model("vm");
    const SecretURI vm_uri = juju().add_secret("creds", {{"user", "bob"}});
    EXPECT_EQ(juju().show_secret(vm_uri.str(), {.revisions = true}).revisions->front().backend,
              "internal");
}

TEST_P(FakeVersionTest, Juju4PutsNoClientKeyInANewModel) {
    juju().add_model("m");
    juju().deploy("postgresql", {.app = "pg"});
    settle();
    const CliResult before = raw({"ssh", "-m", "m", "pg/0", "hostname"});
    if (juju4()) {
        EXPECT_EQ(before.returncode, 255);
        EXPECT_EQ(before.stderr_text, "Permission denied (publickey).\n");
    } else {
        EXPECT_EQ(before.returncode, 0) << before.stderr_text;
    }
    juju().add_ssh_key(
        {"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g "
         "ann@example"});
    EXPECT_EQ(raw({"ssh", "-m", "m", "pg/0", "hostname"}).returncode, 0);
}

TEST_P(FakeVersionTest, OfferingAgainUpdatesIn36AndFailsIn4) {
    juju().add_model("db");
    juju().deploy("postgresql");
    juju().offer("postgresql", {"database"});
    const CliResult again = raw({"offer", "db.postgresql:database,db", "postgresql"});
    if (juju4()) {
        EXPECT_EQ(again.returncode, 1);
        EXPECT_EQ(again.stderr_text,
                  "ERROR cannot add application offer \"postgresql\": application offer already "
                  "exists\n");
    } else {
        EXPECT_EQ(again.returncode, 0) << again.stderr_text;
    }
    EXPECT_EQ(juju().status().offers.at("postgresql").endpoints.size(), juju4() ? 1u : 2u);
    // The same offer again: before 4.0.14 juju 4 refuses that too.
    const CliResult same = raw({"offer", "db.postgresql:database", "postgresql"});
    EXPECT_EQ(same.returncode, juju4() ? 1 : 0) << same.stderr_text;
}

TEST_P(FakeVersionTest, TheManualProviderIsUnmanagedInJuju4) {
    write_text(scratch() / "cloud.yaml",
               "clouds:\n  byo:\n    type: manual\n    endpoint: 10.0.0.1\n");
    ASSERT_EQ(
        raw({"add-cloud", "byo", "--client", "-f", (scratch() / "cloud.yaml").string()}).returncode,
        0);
    juju().add_model("adopted", {.cloud = "byo"});
    const nlohmann::json model =
        nlohmann::json::parse(raw({"show-model", "adopted", "--format", "json"}).stdout_text);
    EXPECT_EQ(model.at("adopted").at("type"), juju4() ? "unmanaged" : "manual");
}

// ---- choosing the version -------------------------------------------------------------------

// One fake-juju process (the executable face) with the environment as it is.
CliResult run_executable(std::vector<std::string> args) {
    auto backend =
        load_backend("subprocess", nlohmann::json{{"cli_binary", JUBILANT_FAKE_JUJU}}.dump());
    return backend->run(
        {.args = std::move(args), .stdin_text = {}, .temp_files = {}, .timeout = {}});
}

TEST(FakeVersionChoice, InvalidVersionsAreRefusedClearly) {
    for (const std::string bad : {"5.0.0", "3.6", "latest", "4.0.1-beta", ""}) {
        try {
            load_backend("fake", nlohmann::json{{"juju_version", bad}}.dump());
            FAIL() << bad;
        } catch (const PluginError& e) {
            EXPECT_THAT(e.what(), HasSubstr("key \"juju_version\": \"" + bad +
                                            "\" is not a juju version the fake speaks"));
        }
    }
    TempDir data;
    ScopedEnv dir("FAKE_JUJU_DATA", data.path().string());
    ScopedEnv version("FAKE_JUJU_VERSION", std::string("four"));
    const CliResult r = run_executable({"version"});
    EXPECT_EQ(r.returncode, 2);
    EXPECT_EQ(r.stderr_text,
              "ERROR FAKE_JUJU_VERSION: \"four\" is not a juju version the fake "
              "speaks: expected three numbers with major version 3 or 4, such as "
              "3.6.4 or 4.0.1\n");
}

TEST(FakeVersionChoice, ADataDirectoryKeepsItsVersion) {
    TempDir data;
    ScopedEnv dir("FAKE_JUJU_DATA", data.path().string());
    {
        ScopedEnv version("FAKE_JUJU_VERSION", std::string("4.0.5"));
        EXPECT_EQ(run_executable({"version"}).stdout_text, "4.0.5-genericlinux-amd64\n");
    }
    {
        ScopedEnv unset("FAKE_JUJU_VERSION", std::nullopt);  // the stored version stays
        EXPECT_EQ(run_executable({"version"}).stdout_text, "4.0.5-genericlinux-amd64\n");
    }
    ScopedEnv other("FAKE_JUJU_VERSION", std::string("3.6.4"));
    const CliResult r = run_executable({"version"});
    EXPECT_EQ(r.returncode, 1);
    EXPECT_THAT(r.stderr_text, HasSubstr("was made for juju 4.0.5; the chosen version 3.6.4 "
                                         "applies to a fresh data directory only"));
}

TEST(FakeVersionChoice, BootstrapChoosesAFurtherControllersVersion) {
    auto backend = load_backend("fake");
    auto run = [&](std::vector<std::string> args) {
        return backend->run({.args = std::move(args)});
    };
    EXPECT_EQ(run({"bootstrap", "localhost", "four", "--agent-version", "4.0.2"}).returncode, 0);
    EXPECT_EQ(run({"version"}).stdout_text, "4.0.2-genericlinux-amd64\n");  // switched to it
    EXPECT_EQ(run({"wait-for", "model", "controller"}).returncode, 1);
    EXPECT_THAT(run({"wait-for", "model", "controller"}).stderr_text,
                HasSubstr("not a juju command"));
    // -c and -m controller:model name the controller whose version applies.
    EXPECT_EQ(
        run({"status", "-m", "fake:controller", "--format", "json", "--watch", "1s"}).returncode,
        0);
    EXPECT_EQ(
        run({"status", "-m", "four:controller", "--format", "json", "--watch", "1s"}).returncode,
        2);
    const CliResult bad = run({"bootstrap", "localhost", "five", "--agent-version", "5.1.0"});
    EXPECT_EQ(bad.returncode, 2);
    EXPECT_THAT(bad.stderr_text, HasSubstr("invalid value for --agent-version: \"5.1.0\" is not a "
                                           "juju version the fake speaks"));
    EXPECT_EQ(run({"bootstrap", "localhost", "same"}).returncode, 0);  // inherits 4.0.2
    EXPECT_EQ(run({"version"}).stdout_text, "4.0.2-genericlinux-amd64\n");
}

TEST(FakeVersionChoice, Juju406FiltersStatusByExactName) {
    auto backend = load_backend("fake", R"({"juju_version": "4.0.6"})");
    Juju juju(backend, JujuOptions{.cli_binary = "/nonexistent/juju"});
    juju.add_model("m");
    juju.deploy("postgresql", {.app = "pg"});
    juju.deploy("webapp");
    const CliResult r = backend->run({.args = {"status", "-m", "m", "--format", "json", "pg"}});
    ASSERT_EQ(r.returncode, 0) << r.stderr_text;
    EXPECT_FALSE(nlohmann::json::parse(r.stdout_text).at("applications").contains("webapp"));
}

TEST(FakeVersionChoice, Juju4014OffersTheSameThingAgainAsANoOp) {
    auto backend = load_backend("fake", R"({"juju_version": "4.0.14"})");
    auto run = [&](std::vector<std::string> args) {
        return backend->run({.args = std::move(args)});
    };
    ASSERT_EQ(run({"add-model", "db"}).returncode, 0);
    ASSERT_EQ(run({"deploy", "postgresql"}).returncode, 0);
    ASSERT_EQ(run({"offer", "postgresql:database"}).returncode, 0);
    EXPECT_EQ(run({"offer", "postgresql:database"}).returncode, 0);  // unchanged: fine
    const CliResult changed = run({"offer", "postgresql:database,db"});
    EXPECT_EQ(changed.returncode, 1);
    EXPECT_THAT(changed.stderr_text, HasSubstr("application offer already exists"));
}

// ---- cassettes know their juju --------------------------------------------------------------

// Records `version` and a status against the fake speaking `juju_version`.
void record_against(const fs::path& cassette, const std::string& juju_version) {
    Recorder recorder(
        cassette,
        {.mode = RecordMode::all,
         .inner = load_backend("fake", nlohmann::json{{"juju_version", juju_version}}.dump())});
    recorder.run({.args = {"version"}});
    recorder.run({.args = {"status", "--format", "json"}});
    recorder.finish();
}

std::string stale_reason(const fs::path& cassette, int expected_major) {
    try {
        Recorder replay(cassette, {.mode = RecordMode::none,
                                   .stale = {.juju_major = expected_major, .fail = true}});
        return "";
    } catch (const BackendError& e) {
        return e.what();
    }
}

TEST(CassetteJujuVersion, ReplayingAgainstTheOtherMajorIsReported) {
    TempDir dir;
    const fs::path juju36 = dir.path() / "juju36.json";
    const fs::path juju40 = dir.path() / "juju40.json";
    record_against(juju36, "3.6.4");
    record_against(juju40, "4.0.5");
    EXPECT_EQ(cassette::Cassette::load(juju36).header.juju_version, "3.6.4-genericlinux-amd64");
    EXPECT_EQ(cassette::Cassette::load(juju40).header.juju_version, "4.0.5-genericlinux-amd64");
    EXPECT_THAT(
        stale_reason(juju36, 4),
        HasSubstr("recorded with Juju 3.6.4-genericlinux-amd64 (expected major version 4)"));
    EXPECT_THAT(
        stale_reason(juju40, 3),
        HasSubstr("recorded with Juju 4.0.5-genericlinux-amd64 (expected major version 3)"));
    EXPECT_EQ(stale_reason(juju36, 3), "");
    EXPECT_EQ(stale_reason(juju40, 4), "");
}

}  // namespace
}  // namespace jubilant::test
