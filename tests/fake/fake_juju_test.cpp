// The fake Juju's core (models, applications, units, relations, config, offers, clouds) driven
// through both faces with the same expectations: the typed API where it exists, raw command
// lines for the errors.
#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <jubilant/all_any.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/secrettypes.hpp>
#include <jubilant/statustypes.hpp>

#include "support/fake_faces.hpp"
#include "support/test_size.hpp"

namespace jubilant::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// Polls fast: the binary face runs on the real clock, while simulated time advances per command.
const WaitOptions quick{.error = any_error, .delay = 10ms, .timeout = 120s, .successes = 3};

class FakeJujuTest : public FakeFaceTest {};
JUBILANT_FAKE_FACES(FakeJujuTest);

TEST_P(FakeJujuTest, FreshStateLooksBootstrapped) {
    const ModelInfo info = juju().show_model("controller");
    EXPECT_EQ(info.short_name, "controller");
    EXPECT_EQ(info.controller_name, "fake");
    EXPECT_TRUE(info.is_controller);
    const Status status = Status::from_json(juju().cli({"status", "--format", "json"}));
    EXPECT_EQ(status.model.name, "controller");
    EXPECT_EQ(status.model.type, "iaas");
    EXPECT_TRUE(status.apps.empty());
    const CliResult models = raw({"models", "--format", "json"});
    EXPECT_EQ(models.returncode, 0);
    EXPECT_THAT(models.stdout_text, HasSubstr("\"current-model\":\"controller\""));
}

TEST_P(FakeJujuTest, DeployedUnitsMoveThroughStatusesAndSettle) {
    juju().add_model("db");
    EXPECT_EQ(juju().model(), "db");
    juju().deploy("postgresql", {.app = "pg", .channel = "14/stable", .num_units = 2});

    const Status early = juju().status();
    const AppStatus& pg = early.apps.at("pg");
    EXPECT_EQ(pg.units.size(), 2u);
    EXPECT_EQ(pg.units.at("pg/0").workload_status.current, "waiting");
    EXPECT_EQ(pg.units.at("pg/0").juju_status.current, "allocating");
    EXPECT_EQ(early.machines.at("0").juju_status.current, "pending");

    const Status settled = juju().wait(all_active, quick);
    const AppStatus& app = settled.apps.at("pg");
    EXPECT_EQ(app.charm, "postgresql");
    EXPECT_EQ(app.charm_rev, 429);
    EXPECT_EQ(app.charm_channel, "14/stable");
    EXPECT_EQ(app.version, "14.12");
    EXPECT_EQ(app.app_status.message, "Primary");
    int leaders = 0;
    for (const auto& [name, unit] : app.units) {
        EXPECT_EQ(unit.juju_status.current, "idle") << name;
        leaders += unit.leader ? 1 : 0;
    }
    EXPECT_EQ(leaders, 1);
    EXPECT_TRUE(app.units.at("pg/0").leader);
    EXPECT_EQ(settled.machines.at("1").juju_status.current, "started");
    EXPECT_EQ(app.relations.at("database-peers").front().related_app, "pg");
}

TEST_P(FakeJujuTest, WebappIsBlockedUntilRelatedAndConfigured) {
    juju().add_model("web");
    juju().deploy("postgresql");
    juju().deploy("webapp");
    auto webapp_message = [](const std::string& message) {
        return [message](const Status& s) {
            return s.apps.contains("webapp") && s.apps.at("webapp").app_status.message == message &&
                   all_agents_idle(s);
        };
    };
    juju().wait(webapp_message("Waiting for database relation"), quick);
    juju().integrate("webapp", "postgresql");
    juju().wait(webapp_message("Missing config: admin-email"), quick);
    juju().config_set("webapp", {{"admin-email", "ops@example.com"}});
    const Status status = juju().wait(all_active, quick);
    const auto& relation = status.apps.at("webapp").relations.at("database");
    ASSERT_EQ(relation.size(), 1u);
    EXPECT_EQ(relation.front().related_app, "postgresql");
    EXPECT_EQ(relation.front().interface, "postgresql_client");

    juju().remove_relation("webapp", "postgresql");
    juju().wait(webapp_message("Waiting for database relation"), quick);
}

TEST_P(FakeJujuTest, SubordinateUnitsFollowTheirPrincipals) {
    juju().add_model("logs");
    juju().deploy("webapp", {.num_units = 2});
    juju().deploy("log-forwarder");
    juju().integrate("log-forwarder", "webapp");
    Status status = juju().status();
    EXPECT_THAT(status.apps.at("log-forwarder").subordinate_to, ElementsAre("webapp"));
    EXPECT_TRUE(status.apps.at("log-forwarder").units.empty());
    EXPECT_TRUE(
        status.apps.at("webapp").units.at("webapp/0").subordinates.contains("log-forwarder/0"));
    EXPECT_TRUE(
        status.apps.at("webapp").units.at("webapp/1").subordinates.contains("log-forwarder/1"));

    juju().add_unit("webapp");
    status = juju().status();
    EXPECT_TRUE(
        status.apps.at("webapp").units.at("webapp/2").subordinates.contains("log-forwarder/2"));

    juju().remove_relation("log-forwarder", "webapp");
    status = juju().status();
    EXPECT_TRUE(status.apps.at("webapp").units.at("webapp/0").subordinates.empty());
}

TEST_P(FakeJujuTest, IllFormedUtf8InNamesBecomesReplacementCharactersInEveryFormat) {
    juju().add_model("utf");
    // One ill-formed sequence of each kind: a lead byte above F4, an overlong '/', a UTF-16
    // surrogate, a code point above U+10FFFF, a lone continuation byte. Like Go's encoder, the
    // fake writes one U+FFFD per byte that does not start a well-formed character.
    const std::vector<std::pair<std::string, int>> bad = {{"\xf7\x9b\x9a\x8f", 4},
                                                          {"\xc0\xaf", 2},
                                                          {"\xed\xa0\x80", 3},
                                                          {"\xf4\x90\x80\x80", 4},
                                                          {"\x80", 1}};
    for (std::size_t i = 0; i < bad.size(); ++i) {
        const CliResult deployed = raw(
            {"deploy", "--model", "utf", "charm" + bad[i].first + "x", "app" + std::to_string(i)});
        ASSERT_EQ(deployed.returncode, 0) << deployed.stderr_text;
    }
    const CliResult json = raw({"status", "--model", "utf", "--format", "json"});
    ASSERT_EQ(json.returncode, 0) << json.stderr_text;
    const auto doc = nlohmann::json::parse(json.stdout_text);  // strict about UTF-8
    std::string replacement;
    for (std::size_t i = 0; i < bad.size(); ++i) {
        replacement.clear();
        for (int k = 0; k < bad[i].second; ++k) replacement += "\xef\xbf\xbd";
        EXPECT_EQ(doc["applications"]["app" + std::to_string(i)]["charm"],
                  "charm" + replacement + "x");
    }
    const CliResult yaml = raw({"status", "--model", "utf", "--format", "yaml"});
    EXPECT_EQ(yaml.returncode, 0) << yaml.stderr_text;
    EXPECT_THAT(yaml.stdout_text, HasSubstr("charm: charm\xef\xbf\xbd\xef\xbf\xbdx\n"));
    // The table prints the bytes as they are, as Go's fmt does.
    const CliResult table = raw({"status", "--model", "utf"});
    EXPECT_EQ(table.returncode, 0) << table.stderr_text;
    EXPECT_THAT(table.stdout_text, HasSubstr("charm\xc0\xafx"));
    EXPECT_EQ(juju().status().apps.size(), bad.size());
}

TEST_P(FakeJujuTest, ConfigHasTypedDefaultsAndValidatesValues) {
    juju().add_model("cfg");
    juju().deploy("postgresql");
    auto config = juju().config("postgresql");
    EXPECT_EQ(config.at("port"), ConfigValue(std::int64_t{5432}));
    EXPECT_EQ(config.at("plugin-audit-enable"), ConfigValue(true));
    EXPECT_EQ(config.at("memory-fraction"), ConfigValue(0.25));
    EXPECT_EQ(config.at("profile"), ConfigValue("production"));

    juju().config_set("postgresql", {{"port", std::int64_t{6543}}, {"profile", "testing"}});
    config = juju().config("postgresql");
    EXPECT_EQ(config.at("port"), ConfigValue(std::int64_t{6543}));
    EXPECT_EQ(config.at("profile"), ConfigValue("testing"));

    juju().config_set("postgresql", {}, {.reset = {"port"}});
    EXPECT_EQ(juju().config("postgresql").at("port"), ConfigValue(std::int64_t{5432}));

    try {
        juju().config_set("postgresql", {{"port", "not-a-number"}});
        FAIL() << "expected CLIError";
    } catch (const CLIError& e) {
        EXPECT_EQ(e.returncode(), 1);
        EXPECT_EQ(e.stderr_text(), "ERROR option \"port\" expected int, got \"not-a-number\"\n");
    }
    const CliResult unknown = raw({"config", "-m", "cfg", "postgresql", "colour=blue"});
    EXPECT_EQ(unknown.returncode, 1);
    EXPECT_EQ(unknown.stderr_text, "ERROR unknown option \"colour\"\n");
}

TEST_P(FakeJujuTest, BrokenConfigPutsTheUnitInError) {
    juju().add_model("err");
    juju().deploy("postgresql", {.config = {{"broken", true}}});
    try {
        juju().wait(all_active, quick);
        FAIL() << "expected WaitError";
    } catch (const WaitError& e) {
        EXPECT_THAT(e.what(), HasSubstr("error"));
    }
    const Status status = juju().status();
    EXPECT_EQ(status.apps.at("postgresql").units.at("postgresql/0").workload_status.message,
              "hook failed: \"config-changed\"");
}

TEST_P(FakeJujuTest, ErrorsLookLikeJuju) {
    struct Case {
        std::vector<std::string> args;
        int returncode;
        std::string stderr_text;
    };
    const std::vector<Case> cases = {
        {{"frobnicate"},
         1,
         "ERROR juju: \"frobnicate\" is not a juju command. See \"juju --help\".\n"},
        {{"status", "--bogus"}, 2, "ERROR option provided but not defined: --bogus\n"},
        {{"deploy"}, 2, "ERROR no charm name specified\n"},
        {{"deploy", "postgresql", "--channel"}, 2, "ERROR option needs an argument: --channel\n"},
        {{"status", "--format", "xml"},
         2,
         "ERROR invalid value \"xml\" for option --format: unknown format \"xml\"\n"},
        {{"status", "-m", "nope"}, 1, "ERROR model fake:admin/nope not found\n"},
        {{"add-unit", "nope"}, 1, "ERROR application \"nope\" not found\n"},
        {{"config", "nope"}, 1, "ERROR application \"nope\" not found\n"},
        {{"integrate", "a"}, 2, "ERROR an integration must involve two applications\n"},
        {{"add-model", "controller"},
         1,
         "ERROR failed to create new model: model \"controller\" for admin already exists\n"},
        {{"destroy-model", "controller", "--no-prompt"},
         1,
         "ERROR \"fake:admin/controller\" is a controller; use 'juju destroy-controller' to "
         "destroy it\n"},
        {{"switch", "nowhere"}, 1, "ERROR model fake:admin/nowhere not found\n"},
    };
    for (const Case& c : cases) {
        const CliResult result = raw(c.args);
        EXPECT_EQ(result.returncode, c.returncode) << c.args.front();
        EXPECT_EQ(result.stderr_text, c.stderr_text) << c.args.front();
        EXPECT_EQ(result.stdout_text, "") << c.args.front();
    }
    juju().deploy("postgresql");
    try {
        juju().deploy("postgresql");
        FAIL() << "expected CLIError";
    } catch (const CLIError& e) {
        EXPECT_EQ(e.stderr_text(),
                  "ERROR cannot add application \"postgresql\": application already exists\n");
    }
}

TEST_P(FakeJujuTest, KubernetesModelRunsPodsAndNeedsTrust) {
    juju().add_model("cos", {.cloud = "microk8s"});
    juju().deploy("grafana-k8s", {.app = "grafana"});
    const auto blocked =
        juju().wait([](const Status& s) { return all_blocked(s) && all_agents_idle(s); }, quick);
    EXPECT_EQ(blocked.model.type, "caas");
    const AppStatus& app = blocked.apps.at("grafana");
    EXPECT_EQ(app.scale, 1);
    EXPECT_FALSE(app.address.empty());
    EXPECT_FALSE(app.units.at("grafana/0").address.empty());
    EXPECT_EQ(app.units.at("grafana/0").provider_id, "grafana-0");
    EXPECT_TRUE(blocked.machines.empty());

    juju().trust("grafana", {.scope = "cluster"});
    juju().wait(all_active, quick);

    juju().add_model("machines");
    const CliResult wrong = raw({"deploy", "-m", "machines", "grafana-k8s"});
    EXPECT_EQ(wrong.returncode, 1);
    EXPECT_THAT(wrong.stderr_text, HasSubstr("needs a Kubernetes model"));
}

TEST_P(FakeJujuTest, OffersAreConsumedAcrossModels) {
    juju().add_model("db");
    juju().deploy("postgresql");
    juju().offer("postgresql", {"database"});
    Status db = juju().status();
    ASSERT_TRUE(db.offers.contains("postgresql"));
    EXPECT_EQ(db.offers.at("postgresql").app, "postgresql");
    EXPECT_EQ(db.offers.at("postgresql").endpoints.at("database").interface, "postgresql_client");

    juju().add_model("site");
    juju().consume("db.postgresql");
    juju().deploy("webapp");
    juju().integrate("webapp", "postgresql");
    const Status site = juju().status();
    ASSERT_TRUE(site.app_endpoints.contains("postgresql"));
    EXPECT_EQ(site.app_endpoints.at("postgresql").url, "fake:admin/db.postgresql");
    EXPECT_EQ(site.apps.at("webapp").relations.at("database").front().related_app, "postgresql");
    EXPECT_FALSE(site.apps.contains("postgresql"));
}

TEST_P(FakeJujuTest, ModelConfigAndConstraintsRoundTrip) {
    juju().add_model("conf");
    juju().model_config_set({{"update-status-hook-interval", "1m"}, {"development", true}});
    const auto config = juju().model_config();
    EXPECT_EQ(config.at("update-status-hook-interval"), ConfigValue("1m"));
    EXPECT_EQ(config.at("development"), ConfigValue(true));
    EXPECT_EQ(config.at("name"), ConfigValue("conf"));
    juju().model_config_set({}, {.reset = {"development"}});
    EXPECT_EQ(juju().model_config().at("development"), ConfigValue(false));

    juju().model_constraints({{"mem", "8G"}, {"cores", std::int64_t{2}}, {"arch", "amd64"}});
    const auto constraints = juju().model_constraints();
    EXPECT_EQ(constraints.at("mem"), ConstraintValue(std::int64_t{8192}));
    EXPECT_EQ(constraints.at("cores"), ConstraintValue(std::int64_t{2}));
    EXPECT_EQ(constraints.at("arch"), ConstraintValue("amd64"));
}

TEST_P(FakeJujuTest, UnitsAndApplicationsComeAndGo) {
    juju().add_model("scale");
    juju().deploy("postgresql", {.num_units = 1});
    juju().add_unit("postgresql", {.num_units = 2});
    Status status = juju().status();
    EXPECT_EQ(status.apps.at("postgresql").units.size(), 3u);
    EXPECT_EQ(status.machines.size(), 3u);

    juju().remove_unit({"postgresql/1"});
    status = juju().status();
    EXPECT_FALSE(status.apps.at("postgresql").units.contains("postgresql/1"));
    EXPECT_FALSE(status.machines.contains("1"));

    juju().refresh("postgresql", {.channel = "16/edge"});
    status = juju().status();
    EXPECT_EQ(status.apps.at("postgresql").charm_rev, 430);
    EXPECT_EQ(status.apps.at("postgresql").charm_channel, "16/edge");
    EXPECT_EQ(status.apps.at("postgresql").units.at("postgresql/0").juju_status.current,
              "executing");

    juju().remove_application({"postgresql"});
    status = juju().status();
    EXPECT_TRUE(status.apps.empty());
    EXPECT_TRUE(status.machines.empty());
}

TEST_P(FakeJujuTest, CloudsCredentialsAndControllers) {
    const Value cloud = Value::Object{{"type", "openstack"},
                                      {"auth-types", Value::Array{"userpass"}},
                                      {"endpoint", "https://keystone.example:5000/v3"}};
    juju().add_cloud("private", cloud, {.client = true});
    juju().update_cloud("private", cloud, {.client = true});
    const CliResult again =
        raw({"add-cloud", "private", "--client", "--file", "/nonexistent.yaml"});
    EXPECT_EQ(again.returncode, 1);
    EXPECT_THAT(again.stderr_text, HasSubstr("/nonexistent.yaml"));

    const Value credential = Value::Object{
        {"credentials",
         Value::Object{
             {"private", Value::Object{{"ops", Value::Object{{"auth-type", "userpass"},
                                                             {"username", "ops"},
                                                             {"password", "s3cret"}}}}}}}};
    juju().add_credential("private", credential, {.client = true});

    juju().bootstrap("localhost", "second");
    const ModelInfo info = juju().show_model("second:controller");
    EXPECT_EQ(info.controller_name, "second");
    juju().add_model("other", {.controller = "second"});
    EXPECT_EQ(juju().model(), "second:other");
    EXPECT_EQ(juju().show_model().controller_name, "second");
}

TEST_P(FakeJujuTest, VersionParses) {
    const Version version = juju().version();
    EXPECT_EQ(version.major, juju4() ? 4 : 3);
    EXPECT_EQ(version.minor, juju4() ? 0 : 6);
}

TEST_P(FakeJujuTest, TabularStatusListsUnitsWithTheLeaderStarred) {
    juju().add_model("tab");
    juju().deploy("postgresql", {.app = "pg"});
    settle();
    const std::string table = juju().cli({"status"});
    EXPECT_THAT(table, HasSubstr("Model  Controller  Cloud/Region"));
    EXPECT_THAT(table, HasSubstr("pg/0*  active    idle   0"));
    EXPECT_THAT(table, HasSubstr("14/stable"));
}

// ---- binary face only ---------------------------------------------------------------------

CliResult run_fake_juju(CliBackend& backend, std::vector<std::string> args) {
    return backend.run(
        {.args = std::move(args), .stdin_text = {}, .temp_files = {}, .timeout = {}});
}

// Runs `commands` command lines (command(process, i)) in each of `processes` threads, every
// thread with its own subprocess backend, so as many fake-juju processes run at once. Returns
// the first failure of each thread ("" when it had none).
template <typename MakeArgs>
std::vector<std::string> run_in_parallel(const std::string& config, int processes, int commands,
                                         MakeArgs command) {
    std::vector<std::thread> threads;
    std::vector<std::string> failures(static_cast<std::size_t>(processes));
    for (int p = 0; p < processes; ++p) {
        threads.emplace_back([&, p] {
            auto backend = load_backend("subprocess", config);
            for (int i = 0; i < commands; ++i) {
                const std::vector<std::string> args = command(p, i);
                const CliResult r = run_fake_juju(*backend, args);
                auto& failure = failures[static_cast<std::size_t>(p)];
                if (r.returncode != 0 && failure.empty()) failure = args[0] + ": " + r.stderr_text;
            }
        });
    }
    for (auto& t : threads) t.join();
    return failures;
}

TEST(FakeJujuBinary, StateFilesArePrivate) {
    TempDir dir;
    const auto data = dir.path() / "data";
    ScopedEnv env("FAKE_JUJU_DATA", data.string());
    auto backend =
        load_backend("subprocess", std::string("{\"cli_binary\": \"") + JUBILANT_FAKE_JUJU + "\"}");
    ASSERT_EQ(run_fake_juju(*backend, {"status"}).returncode, 0);
    struct stat st {};
    ASSERT_EQ(::stat(data.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_EQ(::stat((data / "state.db").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// 8 processes x 25 add-unit (x 12 under the sanitizers, where 8 x 25 took 41 s).
// The sanitizer build turns LeakSanitizer off inside fake-juju (its thousands of short runs
// each paid a leak scan at exit; tools/fake-juju/sanitizer_options.cpp). Here it is on again
// for a session through the executable's own code: arguments, the state file, every output
// format. A leak makes fake-juju exit non-zero with LeakSanitizer's report on stderr. Outside
// the sanitizer build the same commands run and must succeed.
TEST(FakeJujuBinary, SessionEndsWithoutLeaksUnderLeakSanitizer) {
    TempDir dir;
    ScopedEnv data("FAKE_JUJU_DATA", (dir.path() / "data").string());
    ScopedEnv leaks("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1");
    const std::string config = std::string("{\"cli_binary\": \"") + JUBILANT_FAKE_JUJU + "\"}";
    auto setup = load_backend("subprocess", config);
    const std::vector<std::vector<std::string>> session{
        {"add-model", "leaks"},
        {"deploy", "-m", "leaks", "postgresql", "pg", "-n", "2"},
        {"status", "-m", "leaks", "--format", "json"},
        {"status", "-m", "leaks"},
        {"config", "-m", "leaks", "pg", "--format", "yaml"},
        {"add-secret", "-m", "leaks", "creds", "password=hunter2"},
        {"secrets", "-m", "leaks", "--format", "json"},
        {"models", "--format", "yaml"},
        {"no-such-command"},
    };
    for (const auto& args : session) {
        const CliResult r = run_fake_juju(*setup, args);
        EXPECT_THAT(r.stderr_text, ::testing::Not(::testing::HasSubstr("LeakSanitizer")))
            << args.front();
        if (args.front() != "no-such-command") {
            EXPECT_EQ(r.returncode, 0) << args.front() << ": " << r.stderr_text;
        }
    }
}

TEST(FakeJujuBinary, ParallelProcessesLoseNothing) {
    TempDir dir;
    ScopedEnv env("FAKE_JUJU_DATA", (dir.path() / "data").string());
    const std::string config = std::string("{\"cli_binary\": \"") + JUBILANT_FAKE_JUJU + "\"}";
    auto setup = load_backend("subprocess", config);
    ASSERT_EQ(run_fake_juju(*setup, {"deploy", "ubuntu", "-n", "0"}).returncode, 0);

    constexpr int processes = 8;
    constexpr int commands = stress_size(25, 12);
    for (const auto& f : run_in_parallel(config, processes, commands, [](int, int) {
             return std::vector<std::string>{"add-unit", "ubuntu"};
         })) {
        EXPECT_EQ(f, "");
    }

    const Status status =
        Status::from_json(run_fake_juju(*setup, {"status", "--format", "json"}).stdout_text);
    const auto& units = status.apps.at("ubuntu").units;
    EXPECT_EQ(units.size(), static_cast<std::size_t>(processes * commands));
    std::set<std::string> expected;
    for (int i = 0; i < processes * commands; ++i) expected.insert("ubuntu/" + std::to_string(i));
    std::set<std::string> seen;
    for (const auto& [name, unit] : units) seen.insert(name);
    EXPECT_EQ(seen, expected);
    EXPECT_EQ(status.machines.size(), static_cast<std::size_t>(processes * commands));
}

// Issue #7's stress figure: 8 processes x 500 commands on one data directory, every one a
// write; afterwards every secret is there exactly once and no command failed. Under the
// sanitizers the same 8 processes run 40 commands each: 4,000 instrumented process starts
// took longer than the test's timeout on a 2-core machine (8 x 60 took 67 s, too near a
// third of it).
TEST(FakeJujuBinary, EightProcessesTimesFiveHundredCommands) {
    TempDir dir;
    ScopedEnv env("FAKE_JUJU_DATA", (dir.path() / "data").string());
    const std::string config = std::string("{\"cli_binary\": \"") + JUBILANT_FAKE_JUJU + "\"}";
    constexpr int processes = 8;
    constexpr int commands = stress_size(500, 40);
    for (const auto& f : run_in_parallel(config, processes, commands, [](int p, int i) {
             return std::vector<std::string>{"add-secret",
                                             "s-" + std::to_string(p) + "-" + std::to_string(i),
                                             "count=" + std::to_string(i)};
         })) {
        EXPECT_EQ(f, "");
    }
    auto backend = load_backend("subprocess", config);
    const CliResult listing = run_fake_juju(*backend, {"secrets", "--format", "json"});
    ASSERT_EQ(listing.returncode, 0) << listing.stderr_text;
    const std::vector<Secret> secrets = Secret::list_from_json(listing.stdout_text);
    std::set<std::string> names;
    for (const Secret& secret : secrets) {
        if (secret.name) names.insert(*secret.name);
    }
    EXPECT_EQ(secrets.size(), static_cast<std::size_t>(processes * commands));
    EXPECT_EQ(names.size(), static_cast<std::size_t>(processes * commands));
    EXPECT_TRUE(names.contains("s-7-" + std::to_string(commands - 1)));
    RecordProperty("commands", processes * commands);
}

}  // namespace
}  // namespace jubilant::test
