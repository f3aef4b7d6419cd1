// The fake Juju's secrets and operations (actions, exec, ssh, scp, debug-log, ssh keys), driven
// through both faces with the same expectations: the typed API where it exists, raw command
// lines for the errors and the exact output.
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/modeltypes.hpp>
#include <jubilant/secrettypes.hpp>
#include <jubilant/task.hpp>

#include "support/fake_faces.hpp"

namespace jubilant::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// An ed25519 public key (the blob's key bytes are 1..32) and its MD5 fingerprint.
const std::string alice_key =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g "
    "alice@example";
const std::string alice_fingerprint = "05:6d:11:6f:aa:82:7f:17:e4:a2:92:09:ca:cf:9d:42";
const std::string bob_key =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoOE bob@example";
const std::string bob_fingerprint = "ba:56:53:12:40:75:4b:5c:54:2a:93:92:85:46:d1:cc";

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

class FakeSecretsOpsTest : public FakeFaceTest {
protected:
    /// A fresh model "ops" with postgresql deployed as "pg" on two units (machines 0 and 1).
    void deploy_pg() {
        juju().add_model("ops");
        juju().deploy("postgresql", {.app = "pg", .num_units = 2});
    }

    CliResult raw_in_model(std::vector<std::string> args) {
        args.insert(args.begin() + 1, {"--model", "ops"});
        return raw(std::move(args));
    }
};
JUBILANT_FAKE_FACES(FakeSecretsOpsTest);

// ---- secrets --------------------------------------------------------------------------------

TEST_P(FakeSecretsOpsTest, SecretLifecycle) {
    deploy_pg();
    const SecretURI uri = juju().add_secret(
        "db-creds", {{"username", "admin"}, {"password", "hunter2"}}, {.info = "Database login"});
    ASSERT_THAT(uri.str(), StartsWith("secret:"));
    const std::string id = uri.unique_identifier();
    EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-v]{20}"))) << id;

    const Secret shown = juju().show_secret(uri);
    EXPECT_EQ(shown.uri, uri);
    EXPECT_EQ(shown.revision, 1);
    EXPECT_EQ(shown.owner, "<model>");
    EXPECT_EQ(shown.name, "db-creds");
    EXPECT_EQ(shown.description, "Database login");
    EXPECT_EQ(shown.created, shown.updated);
    EXPECT_FALSE(shown.access.has_value());
    EXPECT_FALSE(shown.revisions.has_value());

    const RevealedSecret revealed = juju().show_secret_revealed("db-creds");
    EXPECT_EQ(revealed.uri, uri);
    EXPECT_EQ(revealed.content,
              (std::map<std::string, std::string>{{"password", "hunter2"}, {"username", "admin"}}));
    // SHA-256 of the stored content, {"password":"hunter2","username":"admin"}.
    EXPECT_EQ(revealed.checksum,
              "eb20dfb11e33dd54d45994bd1af0d40332de4f12b8ff732792bd7a0a402dfdae");

    juju().update_secret("db-creds", {{"username", "admin"}, {"password", "s3cret"}},
                         {.info = "Rotated", .name = std::nullopt, .auto_prune = false});
    const Secret updated = juju().show_secret(id, {.revision = std::nullopt, .revisions = true});
    EXPECT_EQ(updated.revision, 2);
    EXPECT_EQ(updated.description, "Rotated");
    EXPECT_GT(updated.updated, updated.created);
    ASSERT_TRUE(updated.revisions.has_value());
    ASSERT_EQ(updated.revisions->size(), 2u);
    EXPECT_EQ(updated.revisions->at(0).revision, 1);
    EXPECT_EQ(updated.revisions->at(1).revision, 2);
    EXPECT_EQ(updated.revisions->at(0).backend, "internal");
    EXPECT_EQ(juju().show_secret_revealed(uri).content.at("password"), "s3cret");
    EXPECT_EQ(juju().show_secret_revealed(uri, {.revision = 1}).content.at("password"), "hunter2");

    juju().grant_secret(uri, {"pg"});
    const Secret granted = juju().show_secret("db-creds");
    ASSERT_TRUE(granted.access.has_value());
    ASSERT_EQ(granted.access->size(), 1u);
    EXPECT_EQ(granted.access->front().target, "application-pg");
    EXPECT_EQ(granted.access->front().scope, "model-" + juju().show_model().model_uuid);
    EXPECT_EQ(granted.access->front().role, "view");
    juju().cli({"revoke-secret", "db-creds", "pg"});
    EXPECT_FALSE(juju().show_secret("db-creds").access.has_value());

    juju().remove_secret(uri, {.revision = 1});
    const Secret pruned = juju().show_secret(uri, {.revision = std::nullopt, .revisions = true});
    ASSERT_TRUE(pruned.revisions.has_value());
    ASSERT_EQ(pruned.revisions->size(), 1u);
    EXPECT_EQ(pruned.revisions->front().revision, 2);

    juju().update_secret(uri, {}, {.info = std::nullopt, .name = "db-login", .auto_prune = false});
    EXPECT_EQ(juju().show_secret("db-login").name, "db-login");

    juju().remove_secret("db-login");
    const CliResult gone = raw_in_model({"show-secret", uri.str()});
    EXPECT_EQ(gone.returncode, 1);
    EXPECT_EQ(gone.stderr_text, "ERROR secret \"" + id + "\" not found\n");
    EXPECT_EQ(gone.stdout_text, "");
}

// Auto-prune drops the revisions no consumer tracks; nothing consumes secrets in the fake, so
// an update keeps only the revision it adds.
TEST_P(FakeSecretsOpsTest, AutoPruneKeepsOnlyTheNewRevision) {
    juju().add_model("ops");
    const SecretURI uri = juju().add_secret("token", {{"value", "one"}});
    juju().update_secret(uri, {{"value", "two"}},
                         {.info = std::nullopt, .name = std::nullopt, .auto_prune = false});
    juju().update_secret(uri, {{"value", "three"}},
                         {.info = std::nullopt, .name = std::nullopt, .auto_prune = true});
    const Secret pruned = juju().show_secret(uri, {.revision = std::nullopt, .revisions = true});
    EXPECT_EQ(pruned.revision, 3);
    ASSERT_TRUE(pruned.revisions.has_value());
    ASSERT_EQ(pruned.revisions->size(), 1u);
    EXPECT_EQ(pruned.revisions->front().revision, 3);
    EXPECT_EQ(juju().show_secret_revealed(uri).content.at("value"), "three");
}

TEST_P(FakeSecretsOpsTest, SecretsListing) {
    juju().add_model("ops");
    EXPECT_TRUE(juju().secrets().empty());
    const SecretURI first = juju().add_secret("first", {{"token", "aaa"}});
    const SecretURI second = juju().add_secret("second", {{"token", "bbb"}});
    EXPECT_NE(first, second);
    juju().update_secret("second", {{"token", "ccc"}});

    const std::vector<Secret> all = juju().secrets();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].uri, first);
    EXPECT_EQ(all[0].name, "first");
    EXPECT_EQ(all[0].revision, 1);
    EXPECT_EQ(all[1].uri, second);
    EXPECT_EQ(all[1].revision, 2);
    EXPECT_EQ(all[1].owner, "<model>");
    EXPECT_EQ(juju().secrets({.owner = "<model>"}).size(), 2u);
    EXPECT_TRUE(juju().secrets({.owner = "application-pg"}).empty());

    // Listings never carry content.
    const std::string json = juju().cli({"secrets", "--format", "json"});
    EXPECT_THAT(json, Not(HasSubstr("aaa")));
    EXPECT_THAT(json, Not(HasSubstr("ccc")));

    const CliResult table = raw_in_model({"secrets"});
    ASSERT_EQ(table.returncode, 0);
    const std::vector<std::string> rows = lines_of(table.stdout_text);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_TRUE(
        std::regex_match(rows[0], std::regex("ID +Name +Owner +Rotation +Revision +Last updated")))
        << rows[0];
    // Highest revision first within an owner.
    EXPECT_THAT(rows[1], StartsWith(second.unique_identifier() + "  second  <model>"));
    EXPECT_TRUE(std::regex_search(rows[1], std::regex(" 2  [0-9]+ seconds ago$"))) << rows[1];
    EXPECT_THAT(rows[2], StartsWith(first.unique_identifier() + "  first   <model>"));
}

TEST_P(FakeSecretsOpsTest, SecretErrors) {
    deploy_pg();
    juju().add_secret("api", {{"token", "topsecret-value"}});

    const CliResult duplicate = raw_in_model({"add-secret", "api", "token=x"});
    EXPECT_EQ(duplicate.returncode, 1);
    EXPECT_EQ(duplicate.stderr_text, "ERROR secret with name \"api\" already exists\n");

    const CliResult unknown = raw_in_model({"show-secret", "nope"});
    EXPECT_EQ(unknown.returncode, 1);
    EXPECT_EQ(unknown.stderr_text, "ERROR secret \"nope\" not found\n");

    const CliResult unknown_update = raw_in_model({"update-secret", "nope", "token=x"});
    EXPECT_EQ(unknown_update.returncode, 1);
    EXPECT_EQ(unknown_update.stderr_text, "ERROR secret \"nope\" not found\n");

    const CliResult grant = raw_in_model({"grant-secret", "api", "pg,ghost"});
    EXPECT_EQ(grant.returncode, 1);
    EXPECT_EQ(grant.stderr_text,
              "ERROR failed to grant/revoke secret: application \"ghost\" not found\n");
    EXPECT_FALSE(juju().show_secret("api").access.has_value());  // nothing granted

    const CliResult bad_key = raw_in_model({"add-secret", "other", "AB=topsecret-value"});
    EXPECT_EQ(bad_key.returncode, 1);
    EXPECT_EQ(bad_key.stderr_text, "ERROR key \"AB\" not valid\n");

    const CliResult no_value = raw_in_model({"add-secret", "other", "topsecret-value"});
    EXPECT_EQ(no_value.returncode, 2);
    EXPECT_THAT(no_value.stderr_text, Not(HasSubstr("topsecret")));

    const CliResult both = raw_in_model({"show-secret", "api", "--reveal", "--revisions"});
    EXPECT_EQ(both.returncode, 2);
    EXPECT_EQ(both.stderr_text, "ERROR specify either --revisions or --reveal but not both\n");

    const CliResult bad_revision = raw_in_model({"remove-secret", "api", "--revision", "7"});
    EXPECT_EQ(bad_revision.returncode, 1);
    EXPECT_THAT(bad_revision.stderr_text, HasSubstr("revision 7"));

    const CliResult flag = raw_in_model({"add-secret", "other", "token=x", "--bogus"});
    EXPECT_EQ(flag.returncode, 2);
    EXPECT_EQ(flag.stderr_text, "ERROR option provided but not defined: --bogus\n");

    // Content never reaches the debug log.
    EXPECT_THAT(juju().debug_log(), Not(HasSubstr("topsecret")));
}

TEST_P(FakeSecretsOpsTest, SecretContentFromArgumentsAndFile) {
    juju().add_model("ops");
    TempDir dir;
    write_text(dir.path() / "content.yaml", "api-key: from-file\nport: 5432\n");
    write_text(dir.path() / "cert.pem", "-----BEGIN-----\n");
    const CliResult added =
        raw_in_model({"add-secret", "mixed", "user=ann",
                      "blob#base64=aGVsbG8=", "cert#file=" + (dir.path() / "cert.pem").string(),
                      "--file", (dir.path() / "content.yaml").string()});
    ASSERT_EQ(added.returncode, 0) << added.stderr_text;
    EXPECT_TRUE(std::regex_match(added.stdout_text, std::regex("secret:[0-9a-v]{20}\n")));
    const RevealedSecret revealed = juju().show_secret_revealed("mixed");
    EXPECT_EQ(revealed.content, (std::map<std::string, std::string>{{"api-key", "from-file"},
                                                                    {"blob", "hello"},
                                                                    {"cert", "-----BEGIN-----\n"},
                                                                    {"port", "5432"},
                                                                    {"user", "ann"}}));
    // YAML output inlines the content, as juju's does.
    const std::string yaml = juju().cli({"show-secret", "mixed", "--reveal"});
    EXPECT_THAT(yaml, HasSubstr("content:\n    api-key: from-file"));
}

TEST_P(FakeSecretsOpsTest, MultiLineValuesReadBackUnchangedFromYaml) {
    juju().add_model("ops");
    TempDir dir;
    const std::map<std::string, std::string> values = {
        {"clip", "line one\nline two\n"},  // the shape a `|` block holds
        {"strip", "line one\nline two"},   // no final newline
        {"keep", "line one\n\n"},          // more than one
        {"indented", "  starts with spaces\nx\n"},
    };
    std::vector<std::string> args = {"add-secret", "multi"};
    for (const auto& [key, value] : values) {
        write_text(dir.path() / key, value);
        args.push_back(key + "#file=" + (dir.path() / key).string());
    }
    ASSERT_EQ(raw_in_model(args).returncode, 0);

    const std::string yaml = juju().cli({"show-secret", "multi", "--reveal"});
    const YAML::Node doc = YAML::Load(yaml);
    ASSERT_TRUE(doc.IsMap() && doc.size() == 1) << yaml;
    const YAML::Node content = doc.begin()->second["content"];
    for (const auto& [key, value] : values) {
        EXPECT_EQ(content[key].as<std::string>(), value) << key << " in:\n" << yaml;
    }
    EXPECT_THAT(yaml, HasSubstr("clip: |\n      line one\n      line two\n"));
    EXPECT_FALSE(yaml.ends_with("\n\n")) << yaml;
}

// ---- actions ------------------------------------------------------------------------------

TEST_P(FakeSecretsOpsTest, ActionWithDefaultsAndParams) {
    deploy_pg();
    const Task defaults = juju().run("pg/0", "get-password");
    EXPECT_TRUE(defaults.success());
    EXPECT_EQ(defaults.status, "completed");
    EXPECT_EQ(defaults.return_code, 0);
    EXPECT_EQ(defaults.results.at("username").as_string(), "operator");
    EXPECT_EQ(defaults.results.at("password").as_string(), "fixture-password");

    // The typed API sends params as a --params YAML temp file.
    const Task given = juju().run(
        "pg/1", "get-password",
        {.params = Value(Value::Object{{"username", "sekrit-user"}}), .wait = Seconds(30)});
    EXPECT_TRUE(given.success());
    EXPECT_EQ(given.results.at("username").as_string(), "sekrit-user");
    EXPECT_NE(given.id, defaults.id);
    EXPECT_GT(std::stoi(given.id), std::stoi(defaults.id));

    // key=value arguments, and the document juju prints.
    const CliResult raw_run =
        raw_in_model({"run", "--format", "json", "pg/1", "get-password", "username=bob"});
    ASSERT_EQ(raw_run.returncode, 0) << raw_run.stderr_text;
    const auto doc = nlohmann::json::parse(raw_run.stdout_text);
    const auto& entry = doc.at("pg/1");
    EXPECT_EQ(entry.at("status"), "completed");
    EXPECT_EQ(entry.at("unit"), "pg/1");
    EXPECT_EQ(entry.at("results").at("username"), "bob");
    EXPECT_EQ(entry.at("results").at("return-code"), 0);
    // Wall-clock times (from when the data directory was made), in juju's ISO form; ISO
    // strings order as the times do.
    const std::string enqueued = entry.at("timing").at("enqueued").get<std::string>();
    const std::string completed = entry.at("timing").at("completed").get<std::string>();
    EXPECT_THAT(completed,
                ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
    EXPECT_LE(enqueued, completed);
    EXPECT_THAT(raw_run.stderr_text,
                HasSubstr("Running operation 5 with 1 task\n  - task 6 on unit-pg-1\n"));

    const Task backup = juju().run("pg/0", "create-backup");
    EXPECT_EQ(backup.results.at("backup-id").as_string(), "backup-0001");

    // Params stay out of the debug log.
    EXPECT_THAT(juju().debug_log(), Not(HasSubstr("sekrit")));
    EXPECT_THAT(juju().debug_log(), HasSubstr("unit-pg-1: "));
}

TEST_P(FakeSecretsOpsTest, FailingActionRaisesTaskError) {
    deploy_pg();
    try {
        juju().run("pg/0", "fail-over");
        FAIL() << "expected TaskError";
    } catch (const TaskError& e) {
        EXPECT_EQ(e.task().status, "failed");
        EXPECT_EQ(e.task().message, "no replica is available to promote");
        EXPECT_FALSE(e.task().success());
    }
    const CliResult raw_run = raw_in_model({"run", "--format", "json", "pg/0", "fail-over"});
    const auto doc = nlohmann::json::parse(raw_run.stdout_text);
    EXPECT_EQ(doc.at("pg/0").at("status"), "failed");
    EXPECT_EQ(doc.at("pg/0").at("message"), "no replica is available to promote");
}

TEST_P(FakeSecretsOpsTest, UnknownActionUnitAndParams) {
    deploy_pg();
    // juju 3.6 schedules nothing, prints no document and exits 0; juju 4 exits 1 with
    // "(not found)"; jubilant raises the same Error for both.
    const CliResult action = raw_in_model({"run", "--format", "json", "pg/0", "no-such-action"});
    EXPECT_EQ(action.returncode, juju4() ? 1 : 0);
    EXPECT_EQ(action.stdout_text, "");
    EXPECT_EQ(action.stderr_text,
              juju4()
                  ? "ERROR action \"no-such-action\" not defined for unit \"pg/0\". (not found)\n"
                  : "\nOperation 1 failed to schedule any tasks:\n"
                    "action \"no-such-action\" not defined on unit \"pg/0\"\n");
    EXPECT_THROW(juju().run("pg/0", "no-such-action"), Error);
    try {
        juju().run("pg/0", "no-such-action");
    } catch (const TaskError&) {
        FAIL() << "an undefined action is not a failed task";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr(juju4() ? "not defined for unit" : "not defined on unit"));
    }

    const CliResult unit = raw_in_model({"run", "--format", "json", "pg/7", "get-password"});
    EXPECT_EQ(unit.returncode, 0);
    EXPECT_EQ(unit.stdout_text, "");
    EXPECT_THAT(unit.stderr_text,
                HasSubstr("failed to schedule any tasks:\n\"unit-pg-7\" not found\n"));
    EXPECT_THROW(juju().run("pg/7", "get-password"), Error);

    const CliResult app = raw_in_model({"run", "ghost/leader", "get-password"});
    EXPECT_THAT(app.stderr_text, HasSubstr("could not determine leader for \"ghost\"\n"));

    const CliResult param = raw_in_model({"run", "pg/0", "get-password", "colour=blue"});
    EXPECT_EQ(param.stdout_text, "");
    EXPECT_THAT(param.stderr_text,
                HasSubstr("validation failed: (root) : additional property \"colour\" is not "
                          "allowed\n"));

    const CliResult usage = raw_in_model({"run", "pg/0"});
    EXPECT_EQ(usage.returncode, 2);
    EXPECT_EQ(usage.stderr_text, "ERROR no action specified\n");

    const CliResult flag = raw_in_model({"run", "pg/0", "get-password", "--bogus"});
    EXPECT_EQ(flag.returncode, 2);
    EXPECT_EQ(flag.stderr_text, "ERROR option provided but not defined: --bogus\n");

    const CliResult wait = raw_in_model({"run", "pg/0", "get-password", "--wait", "soon"});
    EXPECT_EQ(wait.returncode, 2);
    EXPECT_EQ(wait.stderr_text,
              "ERROR invalid value \"soon\" for option --wait: time: invalid duration \"soon\"\n");
}

TEST_P(FakeSecretsOpsTest, LeaderResolvesToAUnit) {
    deploy_pg();
    // Before the election the leader-to-be (the lowest unit) takes the action.
    const CliResult early = raw_in_model({"run", "--format", "json", "pg/leader", "get-password"});
    ASSERT_EQ(early.returncode, 0) << early.stderr_text;
    EXPECT_TRUE(nlohmann::json::parse(early.stdout_text).contains("pg/0"));
    settle();
    const CliResult settled =
        raw_in_model({"run", "--format", "json", "pg/leader", "get-password"});
    const auto doc = nlohmann::json::parse(settled.stdout_text);
    ASSERT_TRUE(doc.contains("pg/0")) << settled.stdout_text;
    EXPECT_EQ(doc.at("pg/0").at("unit"), "pg/0");
    EXPECT_TRUE(juju().run("pg/leader", "get-password").success());
    EXPECT_EQ(juju()
                  .exec("echo", {.args = {"hi"},
                                 .machine = std::nullopt,
                                 .unit = "pg/leader",
                                 .wait = std::nullopt})
                  .stdout_text,
              "hi\n");
}

// ---- exec and ssh ---------------------------------------------------------------------------

TEST_P(FakeSecretsOpsTest, ExecCannedOutputAndReturnCodes) {
    deploy_pg();
    const Task echo = juju().exec(
        "echo",
        {.args = {"hello", "world"}, .machine = std::nullopt, .unit = "pg/0", .wait = Seconds(30)});
    EXPECT_TRUE(echo.success());
    EXPECT_EQ(echo.stdout_text, "hello world\n");
    EXPECT_EQ(echo.return_code, 0);

    const Task hostname = juju().exec(
        "hostname", {.args = {}, .machine = "1", .unit = std::nullopt, .wait = std::nullopt});
    const std::string uuid = juju().show_model().model_uuid;
    EXPECT_EQ(hostname.stdout_text, "juju-" + uuid.substr(uuid.size() - 6) + "-1\n");

    // The default "plain" format prints the output, headed by the receiver when there are
    // several.
    const CliResult plain = raw_in_model({"exec", "--unit", "pg/0", "--", "echo", "plain"});
    EXPECT_EQ(plain.stdout_text, "plain\n");
    const std::string host = "juju-" + uuid.substr(uuid.size() - 6);
    const CliResult app = raw_in_model({"exec", "--application", "pg", "--", "hostname"});
    EXPECT_EQ(app.stdout_text, "pg/0:\n" + host + "-0\n\npg/1:\n" + host + "-1\n\n");

    const Task quiet =
        juju().exec("systemctl restart postgresql",
                    {.args = {}, .machine = std::nullopt, .unit = "pg/1", .wait = std::nullopt});
    EXPECT_TRUE(quiet.success());
    EXPECT_EQ(quiet.stdout_text, "");

    try {
        juju().exec("exit 3",
                    {.args = {}, .machine = std::nullopt, .unit = "pg/0", .wait = std::nullopt});
        FAIL() << "expected TaskError";
    } catch (const TaskError& e) {
        EXPECT_EQ(e.task().return_code, 3);
        EXPECT_EQ(e.task().status, "completed");
    }
    EXPECT_THROW(
        juju().exec("false",
                    {.args = {}, .machine = std::nullopt, .unit = "pg/0", .wait = std::nullopt}),
        TaskError);

    // The document still describes a failed command, and stderr says the task failed.
    const CliResult failed =
        raw_in_model({"exec", "--format", "json", "--unit", "pg/1", "--", "false"});
    EXPECT_EQ(failed.returncode, 1);
    const auto doc = nlohmann::json::parse(failed.stdout_text);
    EXPECT_EQ(doc.at("pg/1").at("results").at("return-code"), 1);
    EXPECT_THAT(failed.stderr_text, HasSubstr("task failed"));

    // Unknown targets schedule nothing: jubilant raises Error, not TaskError.
    try {
        juju().exec("echo",
                    {.args = {}, .machine = std::nullopt, .unit = "ghost/0", .wait = std::nullopt});
        FAIL() << "expected Error";
    } catch (const TaskError&) {
        FAIL() << "not a task failure";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("\"unit-ghost-0\" not found"));
    }
    const CliResult machine =
        raw_in_model({"exec", "--format", "json", "--machine", "9", "--", "echo"});
    EXPECT_EQ(machine.stdout_text, "");
    EXPECT_THAT(machine.stderr_text,
                HasSubstr("failed to schedule any tasks:\n\"machine-9\" not found\n"));

    const CliResult no_target = raw_in_model({"exec", "--", "echo"});
    EXPECT_EQ(no_target.returncode, 2);
    EXPECT_EQ(no_target.stderr_text,
              "ERROR You must specify a target, either through --all, --machine, --application "
              "or --unit\n");
    const CliResult flag = raw_in_model({"exec", "--bogus", "--unit", "pg/0", "--", "echo"});
    EXPECT_EQ(flag.returncode, 2);
    EXPECT_EQ(flag.stderr_text, "ERROR option provided but not defined: --bogus\n");
}

TEST_P(FakeSecretsOpsTest, SshRunsCannedCommands) {
    deploy_pg();
    if (juju4()) juju().add_ssh_key({alice_key});  // juju 4 puts no client key in a new model
    EXPECT_EQ(juju().ssh("pg/0", "echo", {.args = {"foo"}}), "foo\n");
    EXPECT_EQ(juju().ssh("0", "echo bar"), "bar\n");
    EXPECT_EQ(juju().ssh("pg/1", "echo",
                         {.args = {"with", "options"},
                          .container = std::nullopt,
                          .host_key_checks = false,
                          .ssh_options = {"-i", "/path/to/key", "-t"},
                          .user = "ubuntu"}),
              "with options\n");
    const std::string uuid = juju().show_model().model_uuid;
    EXPECT_EQ(juju().ssh("pg/1", "hostname"), "juju-" + uuid.substr(uuid.size() - 6) + "-1\n");

    const CliResult unit = raw_in_model({"ssh", "pg/9", "echo", "x"});
    EXPECT_EQ(unit.returncode, 1);
    EXPECT_EQ(unit.stderr_text, "ERROR unit \"pg/9\" not found\n");
    const CliResult machine = raw_in_model({"ssh", "7", "echo", "x"});
    EXPECT_EQ(machine.returncode, 1);
    EXPECT_EQ(machine.stderr_text, "ERROR machine \"7\" not found\n");
    const CliResult failing = raw_in_model({"ssh", "pg/0", "exit 4"});
    EXPECT_EQ(failing.returncode, 1);
    EXPECT_EQ(failing.stderr_text, "ERROR exit status 4\n");
    const CliResult flag = raw_in_model({"ssh", "--bogus", "pg/0", "echo"});
    EXPECT_EQ(flag.returncode, 2);
    EXPECT_EQ(flag.stderr_text, "ERROR option provided but not defined: --bogus\n");
}

// ---- scp ------------------------------------------------------------------------------------

TEST_P(FakeSecretsOpsTest, ScpBothDirections) {
    deploy_pg();
    if (juju4()) juju().add_ssh_key({alice_key});  // for the ssh below
    TempDir dir;
    const std::filesystem::path local = dir.path() / "hello.txt";
    write_text(local, "hello from the test\n");
    juju().scp(local, "pg/0:/tmp/hello.txt");
    // The file is on pg/0's machine now.
    EXPECT_EQ(juju()
                  .exec("cat", {.args = {"/tmp/hello.txt"},
                                .machine = "0",
                                .unit = std::nullopt,
                                .wait = std::nullopt})
                  .stdout_text,
              "hello from the test\n");
    // A destination directory keeps the file name; options before the paths are skipped.
    juju().scp(local, "1:/srv/",
               {.container = std::nullopt,
                .host_key_checks = false,
                .scp_options = {"-C", "-o", "StrictHostKeyChecking=no"}});
    EXPECT_EQ(juju().ssh("pg/1", "cat /srv/hello.txt"), "hello from the test\n");

    const std::filesystem::path back = dir.path() / "back.txt";
    juju().scp("pg/0:/tmp/hello.txt", back);
    EXPECT_EQ(read_file(back), "hello from the test\n");
    struct stat st {};
    ASSERT_EQ(::stat(back.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    // Into an existing directory, by machine.
    const std::filesystem::path sub = dir.path() / "sub";
    std::filesystem::create_directory(sub);
    juju().scp("0:/tmp/hello.txt", sub);
    EXPECT_EQ(read_file(sub / "hello.txt"), "hello from the test\n");

    const CliResult missing = raw_in_model({"scp", "--", "pg/0:/tmp/nope", back.string()});
    EXPECT_EQ(missing.returncode, 1);
    EXPECT_EQ(missing.stderr_text, "ERROR scp: /tmp/nope: No such file or directory\n");
    const CliResult other_machine =
        raw_in_model({"scp", "--", "pg/1:/tmp/hello.txt", back.string()});
    EXPECT_EQ(other_machine.returncode, 1);
    const CliResult unknown = raw_in_model({"scp", "--", local.string(), "pg/5:/tmp/x"});
    EXPECT_EQ(unknown.returncode, 1);
    EXPECT_EQ(unknown.stderr_text, "ERROR unit \"pg/5\" not found\n");
    const CliResult both_local = raw_in_model({"scp", "--", local.string(), back.string()});
    EXPECT_EQ(both_local.returncode, 1);
    EXPECT_THAT(both_local.stderr_text, HasSubstr("must be a remote path"));
    const CliResult option = raw_in_model({"scp", "-r", local.string(), "pg/0:/tmp/"});
    EXPECT_EQ(option.returncode, 2);
    EXPECT_EQ(option.stderr_text, "ERROR option provided but not defined: -r\n");
}

// ---- debug-log ------------------------------------------------------------------------------

TEST_P(FakeSecretsOpsTest, DebugLogFormatAndLimit) {
    deploy_pg();
    juju().run("pg/1", "create-backup");
    const std::vector<std::string> all = lines_of(juju().debug_log());
    ASSERT_GE(all.size(), 3u) << juju().debug_log();
    const std::regex line("[a-z0-9-]+: \\d\\d:\\d\\d:\\d\\d [A-Z]+ [a-z.]+ .+");
    for (const std::string& l : all) EXPECT_TRUE(std::regex_match(l, line)) << l;
    const std::regex started(
        "unit-pg-([01]): \\d\\d:\\d\\d:\\d\\d INFO juju\\.worker\\.uniter unit "
        "agent started");
    EXPECT_EQ(std::count_if(all.begin(), all.end(),
                            [&](const std::string& l) { return std::regex_match(l, started); }),
              2);
    // Newest last: the action ran after the units started.
    EXPECT_TRUE(std::regex_match(all.back(),
                                 std::regex("unit-pg-1: \\d\\d:\\d\\d:\\d\\d INFO "
                                            "juju\\.worker\\.uniter ran \"create-backup\" action")))
        << all.back();

    EXPECT_THAT(lines_of(juju().debug_log({.limit = 1})), ElementsAre(all.back()));
    EXPECT_THAT(lines_of(juju().debug_log({.limit = 2})),
                ElementsAre(all[all.size() - 2], all.back()));
    EXPECT_EQ(lines_of(juju().debug_log({.limit = 1000})), all);

    std::vector<std::string> pg0;
    std::copy_if(all.begin(), all.end(), std::back_inserter(pg0),
                 [](const std::string& l) { return l.starts_with("unit-pg-0: "); });
    ASSERT_FALSE(pg0.empty());
    EXPECT_EQ(lines_of(raw_in_model({"debug-log", "--include", "pg/0"}).stdout_text), pg0);
    EXPECT_EQ(lines_of(raw_in_model({"debug-log", "--include", "unit-pg-0"}).stdout_text), pg0);
    EXPECT_EQ(raw_in_model({"debug-log", "--level", "CRITICAL"}).stdout_text, "");
    const CliResult bad = raw_in_model({"debug-log", "--limit", "x"});
    EXPECT_EQ(bad.returncode, 2);
    const CliResult level = raw_in_model({"debug-log", "--level", "LOUD"});
    EXPECT_EQ(level.returncode, 2);
}

// ---- ssh keys -------------------------------------------------------------------------------

TEST_P(FakeSecretsOpsTest, SshKeysAddListRemove) {
    juju().add_model("ops");
    const CliResult empty = raw_in_model({"ssh-keys"});
    EXPECT_EQ(empty.stdout_text, "");
    EXPECT_EQ(empty.stderr_text, "No keys to display.\n");

    juju().add_ssh_key({alice_key, bob_key});
    EXPECT_EQ(juju().cli({"ssh-keys"}), "Keys used in model: admin/ops\n" + alice_fingerprint +
                                            " (alice@example)\n" + bob_fingerprint +
                                            " (bob@example)\n");
    EXPECT_EQ(juju().cli({"ssh-keys", "--full"}),
              "Keys used in model: admin/ops\n" + alice_key + "\n" + bob_key + "\n");

    // juju reports a duplicate or invalid key on stderr and still exits 0.
    const CliResult duplicate = raw_in_model({"add-ssh-key", alice_key});
    EXPECT_EQ(duplicate.returncode, 0);
    EXPECT_EQ(duplicate.stderr_text,
              "cannot add key \"" + alice_key + "\": duplicate ssh key: " + alice_key + "\n");
    const CliResult invalid = raw_in_model({"add-ssh-key", "ssh-rsa not-base64! eve@example"});
    EXPECT_EQ(invalid.returncode, 0);
    EXPECT_EQ(invalid.stderr_text,
              "cannot add key \"ssh-rsa not-base64! eve@example\": invalid ssh key: ssh-rsa "
              "not-base64! eve@example\n");
    const CliResult junk = raw_in_model({"add-ssh-key", "junk"});
    EXPECT_EQ(junk.stderr_text, "cannot add key \"junk\": invalid ssh key: junk\n");
    EXPECT_EQ(lines_of(juju().cli({"ssh-keys"})).size(), 3u);

    juju().remove_ssh_key({"alice@example"});
    EXPECT_EQ(juju().cli({"ssh-keys"}),
              "Keys used in model: admin/ops\n" + bob_fingerprint + " (bob@example)\n");
    const CliResult unknown = raw_in_model({"remove-ssh-key", "carol@example"});
    EXPECT_EQ(unknown.returncode, 0);
    EXPECT_EQ(unknown.stderr_text,
              "cannot remove key id \"carol@example\": invalid ssh key: carol@example\n");
    juju().remove_ssh_key({bob_fingerprint});
    EXPECT_EQ(raw_in_model({"ssh-keys"}).stderr_text, "No keys to display.\n");

    const CliResult none = raw_in_model({"add-ssh-key"});
    EXPECT_EQ(none.returncode, 2);
    EXPECT_EQ(none.stderr_text, "ERROR no ssh key specified\n");
}

}  // namespace
}  // namespace jubilant::test
