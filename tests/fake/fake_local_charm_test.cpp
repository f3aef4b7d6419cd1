// The fake Juju and the user's own charm: a charm directory and a packed .charm (made here,
// never committed) deployed through both faces, the rules file beside it, strict mode for
// misspelt names, and the bounds on every YAML file the fake reads.
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/statustypes.hpp>
#include <jubilant/testing/fake_fixture.hpp>

#include "support/charm_files.hpp"
#include "support/fake_faces.hpp"

namespace jubilant::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A charm in the classic layout: metadata.yaml, config.yaml and actions.yaml.
const std::map<std::string, std::string> classic_charm = {
    {"metadata.yaml", R"(name: my-charm
summary: A charm of the user's own
provides:
  website:
    interface: http
requires:
  db:
    interface: postgresql_client
peers:
  cluster:
    interface: my-cluster
resources:
  app-image:
    type: oci-image
assumes:
  - juju >= 3.1
series: [jammy]
)"},
    {"config.yaml", R"(options:
  port:
    type: int
    default: 8080
    description: Port to listen on
  debug:
    type: boolean
    default: false
  motd:
    type: string
)"},
    {"actions.yaml", R"(backup:
  description: Take a backup
  params:
    target:
      type: string
  required: [target]
  additionalProperties: false
notify:
  description: Accepts any params, as juju 3.6 does by default
)"},
};

// The same charm in charmcraft's unified format, as `charmcraft pack` makes a .charm of it.
const std::map<std::string, std::string> unified_charm = {
    {"charmcraft.yaml", R"(name: my-charm
type: charm
summary: A charm of the user's own
base: ubuntu@24.04
platforms:
  amd64:
provides:
  website:
    interface: http
config:
  options:
    port:
      type: int
      default: 8080
actions:
  backup:
    params:
      target:
        type: string
    required: [target]
    additionalProperties: false
)"},
    {"manifest.yaml",
     "bases:\n  - name: ubuntu\n    channel: \"24.04\"\n    architectures: [amd64]\n"},
    {"src/charm.py", "#!/usr/bin/env python3\n"},
};

class FakeLocalCharmTest : public FakeFaceTest {
protected:
    nlohmann::json app_status(const std::string& app) {
        const CliResult r = raw({"status", "--format", "json", "-m", "m"});
        EXPECT_EQ(r.returncode, 0) << r.stderr_text;
        return nlohmann::json::parse(r.stdout_text).at("applications").at(app);
    }
};
JUBILANT_FAKE_FACES_JUJU36(FakeLocalCharmTest);

TEST_P(FakeLocalCharmTest, CharmDirectoryDeploysWithItsOwnMetadata) {
    const fs::path charm = make_charm_dir(scratch() / "my-charm", classic_charm);
    juju().add_model("m");
    const CliResult deployed = raw({"deploy", charm.string(), "-m", "m"});
    ASSERT_EQ(deployed.returncode, 0) << deployed.stderr_text;
    EXPECT_EQ(deployed.stderr_text,
              "Located local charm \"my-charm\", revision 0\n"
              "Deploying \"my-charm\" from local charm \"my-charm\", revision 0 on ubuntu@22.04\n");
    settle();
    const nlohmann::json app = app_status("my-charm");
    EXPECT_EQ(app.at("charm"), "local:my-charm-0");
    EXPECT_EQ(app.at("charm-origin"), "local");
    EXPECT_EQ(app.at("charm-name"), "my-charm");
    EXPECT_EQ(app.at("charm-rev"), 0);
    EXPECT_FALSE(app.contains("charm-channel"));
    // No rules: juju shows what charm code that sets no status shows; the agent settles.
    const nlohmann::json unit = app.at("units").at("my-charm/0");
    EXPECT_EQ(unit.at("workload-status").at("current"), "unknown");
    EXPECT_EQ(unit.at("juju-status").at("current"), "idle");

    // Config: the charm's options with their types and defaults, validated.
    const auto config = juju().config("my-charm");
    EXPECT_EQ(config.at("port"), ConfigValue(std::int64_t{8080}));
    EXPECT_EQ(config.at("debug"), ConfigValue(false));
    EXPECT_EQ(config.count("motd"), 0u);  // no default: unset
    const CliResult bad = raw({"config", "my-charm", "port=eighty", "-m", "m"});
    EXPECT_EQ(bad.returncode, 1);
    EXPECT_EQ(bad.stderr_text, "ERROR option \"port\" expected int, got \"eighty\"\n");

    // Endpoints: integrate uses the charm's own.
    juju().deploy("postgresql");
    EXPECT_EQ(raw({"integrate", "my-charm:db", "postgresql:database", "-m", "m"}).returncode, 0);
    const CliResult wrong = raw({"integrate", "my-charm:nope", "postgresql", "-m", "m"});
    EXPECT_EQ(wrong.returncode, 1);

    // show-unit names the charm by its URL.
    const CliResult unit_info = raw({"show-unit", "my-charm/0", "--format", "json", "-m", "m"});
    EXPECT_EQ(nlohmann::json::parse(unit_info.stdout_text).at("my-charm/0").at("charm"),
              "local:my-charm-0");
}

TEST_P(FakeLocalCharmTest, DeclaredActionsCompleteWithNoResultsAndFollowTheirSchema) {
    const fs::path charm = make_charm_dir(scratch() / "my-charm", classic_charm);
    juju().add_model("m");
    juju().deploy(charm);
    settle();
    const Task backup = juju().run("my-charm/0", "backup",
                                   {.params = Value(Value::Object{{"target", Value("s3")}})});
    EXPECT_EQ(backup.status, "completed");
    EXPECT_TRUE(backup.results.empty());
    // additionalProperties: false refuses what the schema does not declare (juju 3.6 exits 0
    // when no task could be scheduled, and says why on stderr) ...
    const CliResult extra =
        raw({"run", "my-charm/0", "backup", "target=s3", "colour=red", "-m", "m"});
    EXPECT_EQ(extra.stdout_text, "");
    EXPECT_THAT(extra.stderr_text,
                HasSubstr("failed to schedule any tasks:\nvalidation failed: "
                          "(root) : additional property \"colour\" is not allowed\n"));
    const CliResult missing = raw({"run", "my-charm/0", "backup", "-m", "m"});
    EXPECT_THAT(missing.stderr_text, HasSubstr("validation failed: (root) : target is required\n"));
    // ... while an action that does not say accepts anything (juju 3.6's default).
    const Task notify = juju().run("my-charm/0", "notify",
                                   {.params = Value(Value::Object{{"anything", Value("goes")}})});
    EXPECT_EQ(notify.status, "completed");
    const CliResult undeclared = raw({"run", "my-charm/0", "dance", "-m", "m"});
    EXPECT_THAT(undeclared.stderr_text,
                HasSubstr("action \"dance\" not defined on unit \"my-charm/0\""));
}

TEST_P(FakeLocalCharmTest, PackedCharmDeploysAndRefreshBumpsTheRevision) {
    const fs::path packed = pack_charm(scratch() / "my-charm_amd64.charm", unified_charm);
    juju().add_model("m");
    juju().deploy(packed, {.app = "web"});
    settle();
    nlohmann::json app = app_status("web");
    EXPECT_EQ(app.at("charm"), "local:my-charm-0");
    EXPECT_EQ(app.at("charm-name"), "my-charm");
    EXPECT_EQ(app.at("base").at("channel"), "24.04");
    EXPECT_EQ(juju().config("web").at("port"), ConfigValue(std::int64_t{8080}));

    juju().refresh("web", {.path = packed});
    juju().refresh("web", {.path = packed});
    app = app_status("web");
    EXPECT_EQ(app.at("charm"), "local:my-charm-2");
    EXPECT_EQ(app.at("charm-rev"), 2);

    // A second application of the same local charm is the next upload.
    juju().deploy(packed, {.app = "web2"});
    EXPECT_EQ(app_status("web2").at("charm"), "local:my-charm-3");
}

TEST_P(FakeLocalCharmTest, RulesBesideTheCharmDeclareItsBehaviour) {
    const fs::path charm = make_charm_dir(scratch() / "my-charm", classic_charm);
    write_text(scratch() / "my-charm.fake-juju.yaml", R"(# what my-charm's code would do
name: my-charm
workload-version: "2.4"
actions:
  backup:
    results:
      location: "{target}/backup-1"
status:
  active-message: Serving
  rules:
    - missing-relation: db
      status: blocked
      message: needs a database
)");
    juju().add_model("m");
    juju().deploy(charm);
    settle();
    nlohmann::json unit = app_status("my-charm").at("units").at("my-charm/0");
    EXPECT_EQ(unit.at("workload-status").at("current"), "blocked");
    EXPECT_EQ(unit.at("workload-status").at("message"), "needs a database");
    juju().deploy("postgresql");
    juju().integrate("my-charm:db", "postgresql:database");
    settle();
    unit = app_status("my-charm").at("units").at("my-charm/0");
    EXPECT_EQ(unit.at("workload-status").at("current"), "active");
    EXPECT_EQ(unit.at("workload-status").at("message"), "Serving");
    const Task backup = juju().run("my-charm/0", "backup",
                                   {.params = Value(Value::Object{{"target", Value("s3")}})});
    EXPECT_EQ(backup.results.at("location"), Value("s3/backup-1"));
}

TEST_P(FakeLocalCharmTest, RulesInTheCharmsDirectoryAndTheirErrors) {
    const fs::path packed = pack_charm(scratch() / "my-charm_amd64.charm", unified_charm);
    write_text(charms_dir() / "my-charm.yaml", "status:\n  active-message: Ready\n");
    juju().add_model("m");
    juju().deploy(packed);
    settle();
    EXPECT_EQ(
        app_status("my-charm").at("units").at("my-charm/0").at("workload-status").at("message"),
        "Ready");
    write_text(charms_dir() / "my-charm.yaml", "actions:\n  restore:\n    results: {}\n");
    const CliResult r = raw({"deploy", packed.string(), "other", "-m", "m"});
    EXPECT_EQ(r.returncode, 1);
    EXPECT_EQ(r.stderr_text,
              "ERROR charm rules " + (charms_dir() / "my-charm.yaml").string() +
                  ":2:3: action \"restore\" is not declared by charm \"my-charm\"\n");
}

TEST_P(FakeLocalCharmTest, BrokenLocalCharmsGetClearErrors) {
    juju().add_model("m");
    const CliResult nowhere = raw({"deploy", (scratch() / "nowhere").string(), "-m", "m"});
    EXPECT_EQ(nowhere.returncode, 1);
    EXPECT_EQ(nowhere.stderr_text,
              "ERROR cannot resolve charm or bundle \"nowhere\": charm or bundle not found\n");

    const fs::path empty = scratch() / "empty";
    fs::create_directories(empty);
    const CliResult not_charm = raw({"deploy", empty.string(), "-m", "m"});
    EXPECT_EQ(not_charm.stderr_text,
              "ERROR " + empty.string() + ": no metadata.yaml or charmcraft.yaml: not a charm\n");

    const fs::path typo = make_charm_dir(
        scratch() / "typo", {{"metadata.yaml", "name: typo\n"},
                             {"config.yaml", "options:\n  port:\n    type: integer\n"}});
    const CliResult bad_type = raw({"deploy", typo.string(), "-m", "m"});
    EXPECT_EQ(bad_type.stderr_text,
              "ERROR " + typo.string() +
                  "/config.yaml:3:11: unknown option type \"integer\" for "
                  "config.port (expected one of string, int, float, boolean, secret)\n");

    const fs::path not_zip = scratch() / "junk.charm";
    write_text(not_zip, "this is not a zip");
    const CliResult junk = raw({"deploy", not_zip.string(), "-m", "m"});
    EXPECT_EQ(junk.returncode, 1);
    EXPECT_THAT(junk.stderr_text, StartsWith("ERROR cannot read charm " + not_zip.string() + ": "));
}

// ---- bounded YAML input ---------------------------------------------------------------------

// Nine levels of nine aliases each: a few hundred bytes that expand to 9^9 values.
std::string alias_bomb() {
    std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 10; ++i) {
        text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
        for (int j = 0; j < 9; ++j) text += (j ? ", *a" : "*a") + std::to_string(i - 1);
        text += "]\n";
    }
    return text;
}

std::string nested(int depth) {
    return "key: " + std::string(static_cast<std::size_t>(depth), '[') +
           std::string(static_cast<std::size_t>(depth), ']') + "\n";
}

TEST_P(FakeLocalCharmTest, YamlInputIsBoundedWithClearErrors) {
    juju().add_model("m");
    juju().deploy("postgresql");
    settle();
    struct Case {
        std::string name;
        std::string text;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {"bomb.yaml", alias_bomb(),
         "line 1, column 28: document has more than 200000 values once aliases are expanded"},
        {"deep.yaml", nested(150), "line 1, column 105: document nests deeper than 100 levels"},
        {"deeper.yaml", nested(100000), "document nests deeper than 100 levels"},
        {"big.yaml", "k: " + std::string(5u << 20, 'x') + "\n",
         "line 1, column 4194305: document is larger than 4194304 bytes"},
    };
    for (const Case& c : cases) {
        const fs::path file = scratch() / c.name;
        write_text(file, c.text);
        const CliResult run =
            raw({"run", "postgresql/0", "get-password", "--params", file.string(), "-m", "m"});
        EXPECT_EQ(run.returncode, 1) << c.name;
        EXPECT_THAT(run.stderr_text, StartsWith("ERROR cannot parse params file " + file.string()))
            << c.name;
        EXPECT_THAT(run.stderr_text, HasSubstr(c.expected)) << c.name;
        const CliResult secret = raw({"add-secret", "s-" + c.name.substr(0, c.name.find('.')),
                                      "--file", file.string(), "-m", "m"});
        EXPECT_EQ(secret.returncode, 1) << c.name;
        EXPECT_THAT(secret.stderr_text, HasSubstr(c.expected)) << c.name;
    }
    // A charm's own files are bounded the same way.
    const fs::path charm = make_charm_dir(
        scratch() / "bomb", {{"metadata.yaml", "name: bomb\n"}, {"actions.yaml", alias_bomb()}});
    const CliResult deploy = raw({"deploy", charm.string(), "-m", "m"});
    EXPECT_EQ(deploy.returncode, 1);
    EXPECT_EQ(deploy.stderr_text,
              "ERROR " + charm.string() +
                  "/actions.yaml:1:28: invalid YAML: "
                  "document has more than 200000 values once aliases are expanded\n");
}

// ---- strict mode ----------------------------------------------------------------------------

// ScopedFakeJuju (the testing kit) on each face and version: FakeJujuOptions reaches both.
class FakeStrictTest : public ::testing::TestWithParam<FakeSetup> {
protected:
    FakeFace face() const { return GetParam().face; }
};
JUBILANT_FAKE_FACES(FakeStrictTest);

TEST_P(FakeStrictTest, StrictModeRefusesUnknownCharmNames) {
    const bool binary = face() == FakeFace::binary;
    testkit::ScopedFakeJuju fake(
        {.binary = binary ? std::string(JUBILANT_FAKE_JUJU) : std::string(),
         .strict = true,
         .juju_version = GetParam().juju_version});
    EXPECT_EQ(to_string(fake.juju().version()),
              std::string(GetParam().juju_version) + "-genericlinux-amd64");
    fake.juju().deploy("postgresql");  // a fixture: known
    try {
        fake.juju().deploy("postgressql");
        FAIL() << "expected CLIError";
    } catch (const CLIError& e) {
        EXPECT_EQ(e.returncode(), 1);
        EXPECT_EQ(
            e.stderr_text(),
            "ERROR cannot resolve charm or bundle \"postgressql\": charm or bundle not found\n");
    }
}

TEST_P(FakeStrictTest, WithoutStrictModeAnyCharmhubNameSettlesActive) {
    const bool binary = face() == FakeFace::binary;
    testkit::ScopedFakeJuju fake(
        {.binary = binary ? std::string(JUBILANT_FAKE_JUJU) : std::string(),
         .juju_version = GetParam().juju_version});
    fake.juju().deploy("some-charmhub-charm");
    for (int i = 0; i < 10; ++i) fake.juju().status();
    const Status status = fake.juju().status();
    EXPECT_EQ(status.apps.at("some-charmhub-charm")
                  .units.at("some-charmhub-charm/0")
                  .workload_status.current,
              "active");
}

// ---- fake-juju as an external client sees it ------------------------------------------------

// juju.cli()'s outcome as a client sees it: stdout, or the CLIError's code and streams.
CliResult outcome(Juju& juju, std::vector<std::string> args) {
    try {
        return {.returncode = 0,
                .stdout_text = juju.cli(std::move(args), {.include_model = false}),
                .stderr_text = {}};
    } catch (const CLIError& e) {
        return {.returncode = e.returncode(),
                .stdout_text = e.stdout_text(),
                .stderr_text = e.stderr_text()};
    }
}

// What an unmodified client (Python Jubilant with fake-juju on PATH) sees: exact stdout,
// stderr and exit codes of the juju command line, through the subprocess backend.
TEST(FakeJujuExternalClient, LocalCharmCommandLines) {
    TempDir dir;
    ScopedEnv data("FAKE_JUJU_DATA", (dir.path() / "data").string());
    ScopedEnv charms("FAKE_JUJU_CHARMS", std::nullopt);
    ScopedEnv strict("FAKE_JUJU_STRICT", std::nullopt);
    ScopedEnv tick("FAKE_JUJU_TICK_MS", std::nullopt);
    Juju juju(
        load_backend("subprocess", std::string("{\"cli_binary\": \"") + JUBILANT_FAKE_JUJU + "\"}"),
        JujuOptions{.cli_binary = JUBILANT_FAKE_JUJU});
    const fs::path charm = make_charm_dir(dir.path() / "my-charm", classic_charm);
    EXPECT_EQ(outcome(juju, {"add-model", "m"}).returncode, 0);
    const CliResult first = outcome(juju, {"deploy", charm.string()});
    EXPECT_EQ(first.returncode, 0);
    EXPECT_EQ(first.stdout_text, "");
    const CliResult again = outcome(juju, {"deploy", charm.string(), "--model", "m"});
    EXPECT_EQ(again.returncode, 1);
    EXPECT_EQ(again.stdout_text, "");
    EXPECT_EQ(again.stderr_text,
              "ERROR cannot add application \"my-charm\": application already exists\n");
    const CliResult strict_deploy = [&] {
        ScopedEnv on("FAKE_JUJU_STRICT", "1");
        return outcome(juju, {"deploy", "my-charmm", "--model", "m"});
    }();
    EXPECT_EQ(strict_deploy.returncode, 1);
    EXPECT_EQ(strict_deploy.stdout_text, "");
    EXPECT_EQ(strict_deploy.stderr_text,
              "ERROR cannot resolve charm or bundle \"my-charmm\": charm or bundle not found\n");
    const CliResult bad_env = [&] {
        ScopedEnv on("FAKE_JUJU_STRICT", "yes");
        return outcome(juju, {"status", "--model", "m"});
    }();
    EXPECT_EQ(bad_env.returncode, 2);
    EXPECT_EQ(bad_env.stderr_text, "ERROR FAKE_JUJU_STRICT must be 1 or 0, got \"yes\"\n");
    const CliResult status = outcome(juju, {"status", "--model", "m", "--format", "json"});
    EXPECT_EQ(status.returncode, 0);
    EXPECT_EQ(
        nlohmann::json::parse(status.stdout_text).at("applications").at("my-charm").at("charm"),
        "local:my-charm-0");
}

}  // namespace
}  // namespace jubilant::test
