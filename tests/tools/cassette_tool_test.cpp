// The jubilant-cassette command-line tool, run as a real process through the subprocess backend
// (no shell), against cassettes written with the Cassette API.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <jubilant/backend.hpp>
#include <jubilant/cassette.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/plugin_loader.hpp>

#include "support/stub_executable.hpp"

namespace jc = jubilant::cassette;
using Json = nlohmann::json;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

namespace {

struct ToolResult {
    int rc = -1;
    std::string out;
    std::string err;
    std::vector<std::string> lines;  ///< stdout split on '\n'
};

ToolResult tool(const std::vector<std::string>& args) {
    static const auto backend = jubilant::load_backend("subprocess:" JUBILANT_CASSETTE_TOOL);
    auto result = backend->run(jubilant::CliRequest{.args = args});
    ToolResult r{result.returncode, result.stdout_text, result.stderr_text, {}};
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) r.lines.push_back(line);
    return r;
}

jc::Interaction interaction(std::vector<std::string> args, int rc, std::string out, std::string err,
                            long duration_us) {
    jc::Interaction i;
    i.args = std::move(args);
    i.returncode = rc;
    i.stdout_text = std::move(out);
    i.stderr_text = std::move(err);
    i.duration = std::chrono::microseconds(duration_us);
    return i;
}

/// A clean three-interaction cassette with a redacted temp file.
jc::Cassette known_cassette() {
    jc::Cassette c;
    c.header.created = "2026-11-22T07:16:00Z";
    c.header.toolkit_version = "0.1.0";
    c.header.juju_version = "3.6.1";
    c.header.recorded_from = "subprocess";
    c.header.redactions = 1;
    c.interactions.push_back(interaction({"status", "--format", "json"}, 0,
                                         "{\"model\":{\"name\":\"test\"}}\n", "", 12000));
    c.interactions.push_back(
        interaction({"deploy", "my charm"}, 1, "", "ERROR no such charm\nmore\n", 3500));
    auto secret = interaction({"add-secret", "s1", "--file", "{tmp:content.yaml}"}, 0,
                              "cv3abc1234567\n", "", 500);
    secret.temp_files.push_back({.name = "content.yaml", .sensitive = true, .redacted = true});
    c.interactions.push_back(secret);
    c.interactions.push_back(
        interaction({"status", "--format", "yaml"}, 0, "model: test\n", "", 1000));
    return c;
}

class CassetteToolTest : public ::testing::Test {
protected:
    std::string save(const jc::Cassette& c, const std::string& name) {
        auto path = (dir_.path() / name).string();
        std::filesystem::create_directories(std::filesystem::path(path).parent_path());
        c.save(path);
        return path;
    }
    std::string dir() const { return dir_.path().string(); }
    jubilant::test::TempDir dir_;
};

/// A cassette with one secret in it.
jc::Cassette leaky_cassette() {
    auto c = known_cassette();
    c.interactions[1].stderr_text = "Authorization: Bearer CANARYbearerTOKEN123\n";
    return c;
}

Json json_of(const ToolResult& r) { return Json::parse(r.out); }

// ---------------------------------------------------------------------------------------------

TEST_F(CassetteToolTest, ShowTextRendersHeaderAndInteractions) {
    auto path = save(known_cassette(), "c.json");
    auto r = tool({"show", path});
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_THAT(r.lines, Contains("created: 2026-11-22T07:16:00Z"));
    EXPECT_THAT(r.lines, Contains("juju version: 3.6.1"));
    EXPECT_THAT(r.lines, Contains("redactions: 1"));
    EXPECT_THAT(r.lines, Contains("interactions: 4"));
    EXPECT_THAT(r.lines, Contains("cassette: " + path));
    EXPECT_THAT(r.lines, Contains("#0 juju status --format json -> exit 0, 12.0 ms"));
    EXPECT_THAT(r.lines, Contains("    stdout: {\"model\":{\"name\":\"test\"}}"));
    EXPECT_THAT(r.lines, Contains("#1 juju deploy 'my charm' -> exit 1, 3.5 ms"));
    EXPECT_THAT(r.lines, Contains("    stderr: ERROR no such charm ..."));
    EXPECT_THAT(r.lines, Contains("    temp file content.yaml: [redacted]"));
}

TEST_F(CassetteToolTest, ShowJsonIsTheCanonicalJson) {
    auto c = known_cassette();
    auto path = save(c, "c.json");
    auto r = tool({"show", path, "--format", "json"});
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_EQ(r.out, c.to_json());
}

TEST_F(CassetteToolTest, ShowYaml) {
    auto path = save(known_cassette(), "c.json");
    auto r = tool({"show", "--format=yaml", path});
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_THAT(r.lines, Contains("  recorded_from: subprocess"));
    EXPECT_THAT(r.lines, Contains("  - args: [deploy, my charm]"));
    EXPECT_THAT(r.lines, Contains("    returncode: 1"));
    EXPECT_THAT(r.out, HasSubstr("stderr: |\n      ERROR no such charm\n      more\n"));
}

TEST_F(CassetteToolTest, List) {
    auto path = save(known_cassette(), "c.json");
    auto r = tool({"list", path});
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_THAT(r.lines, ElementsAre(path + ": 4 interactions",
                                     "    #0  exit 0       12.0 ms  juju status --format json",
                                     "    #1  exit 1        3.5 ms  juju deploy 'my charm'",
                                     "    #2  exit 0        0.5 ms  juju add-secret s1 --file "
                                     "'{tmp:content.yaml}'",
                                     "    #3  exit 0        1.0 ms  juju status --format yaml"));
}

TEST_F(CassetteToolTest, Stats) {
    auto path = save(known_cassette(), "c.json");
    auto r = tool({"stats", path});
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_THAT(
        r.lines,
        ElementsAre("cassette: " + path, "juju version: 3.6.1", "created: 2026-11-22T07:16:00Z",
                    "recorded from: subprocess", "toolkit version: 0.1.0", "interactions: 4",
                    "failed (non-zero exit): 1", "timed out: 0", "total duration: 17.0 ms",
                    "redactions: 1", "redacted temp files: 1", "stdout bytes: 52",
                    "stderr bytes: 25", "commands:", "  add-secret: 1", "  deploy: 1",
                    "  status: 2"));
}

TEST_F(CassetteToolTest, StatsOfSeveralCassettesSummarisesVersionsAndAge) {
    auto old = known_cassette();
    old.header.created = "2025-01-02T03:04:05Z";
    old.header.juju_version = "2.9.49";
    old.interactions.resize(1);
    const auto old_path = save(old, "sub/old.json");
    auto unknown = known_cassette();
    unknown.header.juju_version.reset();
    unknown.header.created = "2026-12-01T00:00:00Z";
    unknown.interactions.clear();
    const auto unknown_path = save(unknown, "sub/deeper/unknown.json");
    const auto path = save(known_cassette(), "c.json");

    auto r = tool({"stats", path, dir() + "/sub"});
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_THAT(r.lines, Contains("cassette: " + unknown_path));
    EXPECT_THAT(r.lines, Contains("juju version: unknown"));
    EXPECT_THAT(r.lines, Contains("juju version: 2.9.49"));
    EXPECT_THAT(r.lines, Contains("created: 2025-01-02T03:04:05Z"));
    const std::vector<std::string> tail(r.lines.end() - 4, r.lines.end());
    EXPECT_THAT(tail, ElementsAre("summary: 3 cassettes, 5 interactions, 0 failed to load",
                                  "juju versions: 2.9.49 (1), 3.6.1 (1), unknown (1)",
                                  "oldest: 2025-01-02T03:04:05Z " + old_path,
                                  "newest: 2026-12-01T00:00:00Z " + unknown_path));
}

// ---------------------------------------------------------------------------------------------
// lint

TEST_F(CassetteToolTest, LintCleanCassetteExitsZero) {
    auto path = save(known_cassette(), "c.json");
    auto r = tool({"lint", path});
    EXPECT_EQ(r.rc, 0) << r.out << r.err;
    EXPECT_THAT(r.lines, ElementsAre(path + ": no findings",
                                     "summary: 1 cassette, 1 clean, 0 with findings (0 findings), "
                                     "0 failed to load"));
}

TEST_F(CassetteToolTest, LintFindsEachCategoryWithoutPrintingTheSecret) {
    const std::string pem_body = "MIIEowIBAAKCAQEAcanaryPEMbodyXq";
    const std::string bearer = "CANARYbearerTOKEN123";
    const std::string url_pass = "CANARYurlpass";
    const std::string json_pw = "CANARYjsonpw";
    const std::string yaml_token = "CANARYyamltoken";
    const std::string entropy = "aZ3kQ9xP7mN2vB8cL4tR6wY1sD5fG0hJq7Ue";
    const std::string literal_in_file = "CANARYtempfile";
    jc::Cassette c = known_cassette();
    c.interactions.clear();
    c.interactions.push_back(interaction(
        {"show-secret"}, 0,
        "-----BEGIN RSA PRIVATE KEY-----\n" + pem_body + "\n-----END RSA PRIVATE KEY-----\n", "",
        1));
    c.interactions.push_back(interaction({"x"}, 0, "", "Authorization: Bearer " + bearer, 1));
    c.interactions.push_back(
        interaction({"add-cloud", "https://admin:" + url_pass + "@example.com/x"}, 0, "", "", 1));
    c.interactions.push_back(
        interaction({"config"}, 0, "{\"app\":{\"password\":\"" + json_pw + "\"}}\n", "", 1));
    c.interactions.push_back(interaction({"config"}, 0, "name: x\ntoken: " + yaml_token, "", 1));
    auto high = interaction({"run"}, 0, "", "", 1);
    high.stdin_text = "value " + entropy + "\n";
    high.temp_files.push_back({.name = "p.yaml",
                               .sensitive = false,
                               .redacted = false,
                               .content = "credential: " + literal_in_file + "\n"});
    c.interactions.push_back(high);
    auto path = save(c, "leaky.json");

    auto r = tool({"lint", path});
    EXPECT_EQ(r.rc, 1) << r.out << r.err;
    auto prefix = path + ": interaction #";
    EXPECT_THAT(r.lines, Contains(AllOf(StartsWith(prefix + "0: stdout: PEM private key block"),
                                        HasSubstr("(MIIE…, 31 chars)"))));
    EXPECT_THAT(r.lines, Contains(StartsWith(prefix + "1: stderr: bearer token (CANA…")));
    EXPECT_THAT(r.lines, Contains(StartsWith(prefix + "2: args[1]: credentials in a URL (CAN…")));
    EXPECT_THAT(r.lines, Contains(StartsWith(prefix + "3: stdout: value under a sensitive key")));
    EXPECT_THAT(r.lines,
                Contains(AllOf(StartsWith(prefix + "4: stdout: value under a sensitive key"),
                               HasSubstr("on line 2"))));
    EXPECT_THAT(r.lines, Contains(StartsWith(prefix + "5: stdin: high-entropy string (aZ3k…")));
    EXPECT_THAT(r.lines, Contains(StartsWith(prefix + "5: temp file p.yaml: value under a "
                                                      "sensitive key")));
    for (const auto& secret :
         {pem_body, bearer, url_pass, json_pw, yaml_token, entropy, literal_in_file}) {
        EXPECT_THAT(r.out, Not(HasSubstr(secret)));
        EXPECT_THAT(r.err, Not(HasSubstr(secret)));
    }
    // One secret, one finding: the bearer token and PEM body are not re-reported as entropy.
    EXPECT_EQ(r.lines.size(), 7U + 1U) << r.out;
    EXPECT_EQ(r.lines.back(),
              "summary: 1 cassette, 0 clean, 1 with findings (7 findings), 0 failed to load");
}

TEST_F(CassetteToolTest, LintAgreesWithRedact) {
    // What lint reports is what redact's default rules replace, so a redacted cassette is clean
    // (the high-entropy check has no redaction rule: it gets a --literal here).
    const std::string entropy = "aZ3kQ9xP7mN2vB8cL4tR6wY1sD5fG0hJq7Ue";
    jc::Cassette c = known_cassette();
    c.interactions.push_back(interaction(
        {"add-cloud", "https://admin:CANARYurlpass@example.com/x"}, 0,
        "-----BEGIN PRIVATE KEY-----\nMIIEowIBAAKCAQEAcanary\n-----END PRIVATE KEY-----\n",
        "Authorization: Bearer CANARYbearerTOKEN123\nproxy: BEARER CANARYupperBEARER9\n", 1));
    c.interactions.push_back(
        interaction({"config"}, 0, "{\"app\":{\"db-password\":\"CANARYjsonpw\"}}\n",
                    "name: x\napi-token: CANARYyamltoken\nother: " + entropy + "\n", 1));
    auto path = save(c, "c.json");
    ASSERT_EQ(tool({"lint", path}).rc, 1);
    ASSERT_EQ(tool({"redact", path, "--literal", entropy}).rc, 0);
    auto r = tool({"lint", path});
    EXPECT_EQ(r.rc, 0) << r.out;
}

TEST_F(CassetteToolTest, RedactLeavesNothingForLintAcrossFormats) {
    // Every way a secret shows up that both redact's default rules and lint know about, in
    // every place of an interaction they look at: after `redact`, the value is gone from the
    // file and `lint` is clean. (lint's high-entropy check has no redaction rule, so the values
    // here are too short for it.)
    struct Case {
        std::string where;  // stdout, stderr, stdin or args
        std::string text;   // with {} for the secret
    };
    std::vector<Case> cases;
    for (const std::string key : {"password", "db-password", "api_token", "Token", "client-secret",
                                  "credential", "private-key", "ssh_key", "PASSWORD"}) {
        for (const std::string where : {"stdout", "stderr", "stdin"}) {
            cases.push_back({where, "{\"app\": {\"" + key + "\": \"{}\"}}\n"});
            cases.push_back({where, "{\"items\": [{\"name\": \"x\", \"" + key + "\": \"{}\"}]}"});
            cases.push_back({where, key + ": {}\n"});
            cases.push_back({where, "app:\n  settings:\n    " + key + ": {}\n  other: 1\n"});
            cases.push_back({where, "- " + key + ": {}\n"});
            cases.push_back({where, key + ": \"{}\"\n"});
            cases.push_back({where, key + ": |\n  {}\n  second line\nnext: 1\n"});
            cases.push_back({where, key + ": {}\r\nnext: 1\r\n"});
            cases.push_back({where, key + " : {}\n"});
        }
    }
    for (const std::string where : {"stdout", "stderr", "stdin", "args"}) {
        cases.push_back({where, "Authorization: Bearer {}"});
        cases.push_back({where, "proxy says bearer {} and more"});
        cases.push_back({where, "BEARER {}"});
        cases.push_back({where, "https://admin:{}@example.com/x"});
        cases.push_back({where, "postgresql://u:{}@db:5432/x"});
        cases.push_back({where, "{\"endpoint\": \"https://u:{}@h/\"}"});
        cases.push_back(
            {where, "-----BEGIN EC PRIVATE KEY-----\n{}\n-----END EC PRIVATE KEY-----\n"});
        cases.push_back({where,
                         "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n"
                         "-----END OPENSSH PRIVATE KEY-----"});
    }

    jc::Cassette c = known_cassette();
    std::vector<std::string> secrets;
    for (std::size_t k = 0; k < cases.size(); ++k) {
        const std::string secret = "CANARYv" + std::to_string(k) + "x";
        secrets.push_back(secret);
        std::string text = cases[k].text;
        text.replace(text.find("{}"), 2, secret);
        auto i = interaction({"show", std::to_string(k)}, 0, "", "", 1);
        if (cases[k].where == "stdout") i.stdout_text = text;
        if (cases[k].where == "stderr") i.stderr_text = text;
        if (cases[k].where == "stdin") i.stdin_text = text;
        if (cases[k].where == "args") i.args.push_back(text);
        c.interactions.push_back(i);
    }
    const auto path = save(c, "many.json");
    ASSERT_EQ(tool({"lint", path}).rc, 1);

    ASSERT_EQ(tool({"redact", path}).rc, 0);
    const std::string bytes = jubilant::test::read_file(path);
    for (std::size_t k = 0; k < cases.size(); ++k) {
        // The trailing "x" keeps one secret from being a prefix of another.
        EXPECT_THAT(bytes, Not(HasSubstr(secrets[k])))
            << "case " << k << " (" << cases[k].where << "): " << cases[k].text;
    }
    const auto lint = tool({"lint", path});
    EXPECT_EQ(lint.rc, 0) << lint.out;
    RecordProperty("cases", static_cast<int>(cases.size()));
}

// Issue #14 finding 2: these crashed lint and redact (std::regex recursion, a recursive walk).
TEST_F(CassetteToolTest, LintAndRedactSurviveMegabyteLinesAndDeepNesting) {
    const std::size_t mb = 1 << 20;
    std::string cert;
    while (cert.size() < mb)
        cert += "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ";
    std::string deep;
    for (int i = 0; i < 100'000; ++i) deep += "{\"a\":";
    deep += "{\"password\":\"CANARYdeep\"}" + std::string(100'000, '}');
    jc::Cassette c = known_cassette();
    c.interactions.push_back(interaction({"config", "app"}, 0, "tls-key: " + cert + "\n", "", 1));
    c.interactions.push_back(
        interaction({"debug-log"}, 0, std::string(mb, 'x') + "\n", std::string(mb, 'a') + "1", 1));
    c.interactions.push_back(interaction({"x"}, 0, "-----BEGIN PRIVATE KEY-----\n" + cert, "", 1));
    c.interactions.push_back(interaction({"add-cloud", std::string(mb, 'z')}, 0, deep, "", 1));
    const auto path = save(c, "big.json");
    auto r = tool({"lint", path});
    EXPECT_EQ(r.rc, 1) << r.err;
    EXPECT_THAT(
        r.out,
        HasSubstr("interaction #7: stdout: value under a sensitive key (CA…, 10 chars) on line 1"));
    EXPECT_THAT(r.out, HasSubstr("interaction #4: stdout: value under a sensitive key (MIID…, "
                                 "1048576 chars) on line 1"));
    EXPECT_THAT(
        r.out,
        HasSubstr(
            "interaction #6: stdout: PEM private key block (MIID…, 1048576 chars) on line 2"));
    EXPECT_THAT(r.out, Not(HasSubstr("CANARYdeep")));
    r = tool({"redact", path});
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_THAT(jubilant::test::read_file(path), Not(HasSubstr("CANARYdeep")));
    r = tool({"lint", path});
    EXPECT_EQ(r.rc, 0) << r.out << r.err;
}

TEST_F(CassetteToolTest, LintIgnoresRedactedMarkersAndUuids) {
    jc::Cassette c = known_cassette();
    c.interactions.push_back(interaction(
        {"show-model"}, 0,
        "{\"password\":\"<redacted>\",\"model-uuid\":\"0f2a9c4e-1b3d-4e5f-8a7b-9c0d1e2f3a4b\"}\n",
        "Bearer <redacted>\nhttps://u:<redacted>@host/\n", 1));
    auto r = tool({"lint", save(c, "c.json")});
    EXPECT_EQ(r.rc, 0) << r.out;
}

// ---------------------------------------------------------------------------------------------
// redact

TEST_F(CassetteToolTest, RedactRemovesLiteralAndKeepsFilePrivate) {
    const std::string canary = "CANARYliteral42";
    auto c = known_cassette();
    c.interactions[0].stdout_text = "{\"model\":{\"name\":\"" + canary + "\"}}\n";
    c.interactions[1].stderr_text = "ERROR " + canary + " and CANARYpattern-77\n";
    auto path = save(c, "c.json");
    std::filesystem::permissions(path, std::filesystem::perms(0644));
    ASSERT_THAT(jubilant::test::read_file(path), HasSubstr(canary));

    auto r = tool({"redact", path, "--literal", canary, "--pattern", "CANARYpattern-[0-9]+"});
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_EQ(r.out, path + ": 3 replacements\n");
    auto bytes = jubilant::test::read_file(path);
    EXPECT_THAT(bytes, Not(HasSubstr(canary)));
    EXPECT_THAT(bytes, Not(HasSubstr("CANARYpattern")));
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600U);
    auto after = jc::Cassette::load(path);
    EXPECT_EQ(after.header.redactions, 1 + 3);
    EXPECT_EQ(after.interactions[0].stdout_text, "{\"model\":{\"name\":\"<redacted>\"}}\n");
}

TEST_F(CassetteToolTest, RedactRejectsABadPattern) {
    auto path = save(known_cassette(), "c.json");
    auto r = tool({"redact", path, "--pattern", "("});
    EXPECT_EQ(r.rc, 2);
    EXPECT_THAT(r.err, HasSubstr("invalid --pattern"));
}

// ---------------------------------------------------------------------------------------------
// diff

TEST_F(CassetteToolTest, DiffOfIdenticalCassettesIsZero) {
    auto a = save(known_cassette(), "a.json");
    auto b = save(known_cassette(), "b.json");
    auto r = tool({"diff", a, b});
    EXPECT_EQ(r.rc, 0) << r.out;
    EXPECT_EQ(r.out, "cassettes are the same\n");
}

TEST_F(CassetteToolTest, DiffReportsArgvOutputAndCountChanges) {
    auto c = known_cassette();
    auto a = save(c, "a.json");
    c.header.juju_version = "3.6.2";
    c.interactions[0].args[2] = "yaml";
    c.interactions[0].stdout_text = "{\"model\":{\"name\":\"other\",\"type\":\"iaas\"}}\n";
    c.interactions[1].returncode = 0;
    c.interactions[1].stderr_text = "ERROR no such charm\nchanged\n";
    c.interactions.push_back(interaction({"destroy-model", "m"}, 0, "", "", 1));
    auto b = save(c, "b.json");

    auto r = tool({"diff", a, b});
    EXPECT_EQ(r.rc, 1) << r.err;
    EXPECT_THAT(r.lines, ElementsAre("header juju_version: \"3.6.1\" -> \"3.6.2\"",
                                     "interaction #0: args[2]: \"json\" -> \"yaml\"",
                                     "interaction #0: stdout: JSON replace /model/name",
                                     "interaction #0: stdout: JSON add /model/type",
                                     "interaction #1: exit: 1 -> 0",
                                     "interaction #1: stderr: line 2 differs",
                                     "interaction #4: added: juju destroy-model m"));

    auto reverse = tool({"diff", b, a});
    EXPECT_EQ(reverse.rc, 1);
    EXPECT_THAT(reverse.lines, Contains("interaction #4: removed: juju destroy-model m"));
}

/// `juju status --format json` answering {"poll": <n>}.
jc::Interaction status_poll(int n) {
    return interaction({"status", "--format", "json"}, 0, "{\"poll\":" + std::to_string(n) + "}\n",
                       "", 1000);
}

TEST_F(CassetteToolTest, DiffAnExtraStatusPollIsOneInsertion) {
    jc::Cassette c = known_cassette();
    c.interactions = {interaction({"deploy", "pg"}, 0, "", "", 1), status_poll(1), status_poll(2),
                      status_poll(3), interaction({"config", "pg"}, 0, "x: 1\n", "", 1)};
    const auto a = save(c, "a.json");
    c.interactions.insert(c.interactions.begin() + 2, status_poll(1));  // waited one poll longer
    const auto b = save(c, "b.json");

    auto r = tool({"diff", a, b});
    EXPECT_EQ(r.rc, 1) << r.err;
    EXPECT_THAT(r.lines, ElementsAre("interaction #2: added: juju status --format json"));
    auto reverse = tool({"diff", b, a});
    EXPECT_THAT(reverse.lines, ElementsAre("interaction #2: removed: juju status --format json"));
}

TEST_F(CassetteToolTest, DiffAlignsARequestWhoseOutputChangedAcrossAnInsertion) {
    // Neither end of the two recordings is identical, so this takes the alignment table: the
    // first poll changed its output, one poll was added after the deploy, and the rest line up.
    jc::Cassette c = known_cassette();
    c.interactions = {status_poll(0), interaction({"deploy", "pg"}, 0, "", "", 1), status_poll(1),
                      status_poll(2)};
    const auto a = save(c, "a.json");
    c.interactions[0] = status_poll(10);
    c.interactions.insert(c.interactions.begin() + 2, status_poll(7));
    c.interactions.back() = status_poll(20);
    const auto b = save(c, "b.json");

    auto r = tool({"diff", a, b});
    EXPECT_EQ(r.rc, 1) << r.err;
    EXPECT_THAT(r.lines, ElementsAre("interaction #0: stdout: JSON replace /poll",
                                     "interaction #2: added: juju status --format json",
                                     "interaction #3 -> #4: stdout: JSON replace /poll"))
        << r.out;
}

TEST_F(CassetteToolTest, DiffNumbersEachSideAfterARemoval) {
    jc::Cassette c = known_cassette();
    c.interactions = {interaction({"deploy", "pg"}, 0, "", "", 1),
                      interaction({"config", "pg"}, 0, "", "", 1), status_poll(1)};
    const auto a = save(c, "a.json");
    c.interactions.erase(c.interactions.begin() + 1);
    c.interactions.back() = status_poll(2);
    const auto b = save(c, "b.json");

    auto r = tool({"diff", a, b});
    EXPECT_EQ(r.rc, 1) << r.err;
    EXPECT_THAT(r.lines, ElementsAre("interaction #1: removed: juju config pg",
                                     "interaction #2 -> #1: stdout: JSON replace /poll"));

    auto json = tool({"diff", a, b, "--format", "json"});
    EXPECT_EQ(json.rc, 1) << json.err;
    EXPECT_EQ(json_of(json), Json::parse(R"({
      "command": "diff", "version": 1, "a": ")" +
                                         a + R"(", "b": ")" + b + R"(",
      "same": false, "aligned_by": "request", "header": [],
      "interactions": [
        {"change": "removed", "a": 1, "args": ["config", "pg"]},
        {"change": "changed", "a": 2, "b": 1,
         "differences": [{"field": "stdout", "detail": "JSON replace /poll"}]}
      ]})"));
}

TEST_F(CassetteToolTest, DiffJsonOfTheSameCassettes) {
    const auto a = save(known_cassette(), "a.json");
    auto c = known_cassette();
    c.header.juju_version.reset();
    c.interactions.push_back(interaction({"destroy-model", "m"}, 0, "", "", 1));
    const auto b = save(c, "b.json");
    auto same = tool({"diff", "--format=json", a, a});
    EXPECT_EQ(same.rc, 0) << same.err;
    EXPECT_EQ(json_of(same)["same"], true);
    EXPECT_EQ(json_of(same)["interactions"], Json::array());
    auto r = tool({"diff", "--format=json", a, b});
    EXPECT_EQ(r.rc, 1);
    EXPECT_EQ(json_of(r)["header"],
              Json::parse(R"([{"field": "juju_version", "a": "3.6.1", "b": null}])"));
    EXPECT_EQ(json_of(r)["interactions"],
              Json::parse(R"([{"change": "added", "b": 4, "args": ["destroy-model", "m"]}])"));
}

TEST_F(CassetteToolTest, DiffPastTheAlignmentLimitComparesByPositionAndSaysSo) {
    // 4,001 x 4,001 differing interactions is past the 16M-cell table: compared by position.
    const std::size_t n = 4001;
    jc::Cassette c = known_cassette();
    c.interactions.clear();
    for (std::size_t k = 0; k < n; ++k) c.interactions.push_back(status_poll(static_cast<int>(k)));
    const auto a = save(c, "a.json");
    for (auto& i : c.interactions) i.stdout_text = "{\"poll\":-1}\n";
    const auto b = save(c, "b.json");

    auto r = tool({"diff", a, b});
    EXPECT_EQ(r.rc, 1) << r.err;
    ASSERT_EQ(r.lines.size(), n + 1);
    EXPECT_EQ(r.lines[0], "note: too many differing interactions to align; compared by position");
    EXPECT_EQ(r.lines[1], "interaction #0: stdout: JSON replace /poll");
    EXPECT_EQ(r.lines[n], "interaction #4000: stdout: JSON replace /poll");
    auto json = tool({"diff", a, b, "--format", "json"});
    EXPECT_EQ(json_of(json)["aligned_by"], "position");
}

TEST_F(CassetteToolTest, BytesThatAreNotUtf8ShowAsReplacementCharacters) {
    jc::Cassette c = known_cassette();
    c.interactions.resize(1);
    const auto a = save(c, "a.json");
    c.interactions[0].args[2] = "js\xffon";
    const auto b = save(c, "b.json");

    auto diff = tool({"diff", a, b});
    EXPECT_EQ(diff.rc, 1) << diff.err;
    EXPECT_THAT(diff.lines,
                ElementsAre("interaction #0: args[2]: \"json\" -> \"js\xEF\xBF\xBDon\""));
    auto list = tool({"list", "--format", "json", b});
    EXPECT_EQ(list.rc, 0) << list.err;
    EXPECT_EQ(json_of(list)["cassettes"][0]["interactions"][0]["args"][2], "js\xEF\xBF\xBDon");
}

// ---------------------------------------------------------------------------------------------
// many files and directories

TEST_F(CassetteToolTest, LintWalksADirectoryAndSummarises) {
    const auto clean = save(known_cassette(), "cassettes/Suite/Clean.json");
    const auto leaky = save(leaky_cassette(), "cassettes/Suite/deeper/Leaky.json");
    // A failed recording is linted too: it sits beside the cassettes and is committed as easily.
    const auto failed = save(leaky_cassette(), "cassettes/Suite/Broken.failed.json");
    save(leaky_cassette(), "cassettes/.hidden/Skipped.json");  // hidden: not walked
    std::ofstream(dir() + "/cassettes/notes.txt") << "Bearer CANARYnotacassette12345\n";

    auto r = tool({"lint", dir() + "/cassettes"});
    EXPECT_EQ(r.rc, 1) << r.err;
    EXPECT_THAT(
        r.lines,
        ElementsAre(failed + ": interaction #1: stderr: bearer token (CANA…, 20 chars) on line 1",
                    clean + ": no findings",
                    leaky + ": interaction #1: stderr: bearer token (CANA…, 20 chars) on line 1",
                    "summary: 3 cassettes, 1 clean, 2 with findings (2 findings), 0 "
                    "failed to load"));
    EXPECT_EQ(r.err, "");
}

TEST_F(CassetteToolTest, LintOfManyFilesKeepsGoingPastOneThatDoesNotLoad) {
    const auto clean = save(known_cassette(), "a.json");
    const auto missing = dir() + "/missing.json";
    const auto leaky = save(leaky_cassette(), "b.json");
    auto r = tool({"lint", clean, missing, leaky});
    EXPECT_EQ(r.rc, 3) << r.out;  // a cassette that does not load outranks findings
    EXPECT_THAT(r.lines, ElementsAre(clean + ": no findings",
                                     leaky + ": interaction #1: stderr: bearer token (CANA…, 20 "
                                             "chars) on line 1",
                                     "summary: 2 cassettes, 1 clean, 1 with findings (1 finding), "
                                     "1 failed to load"));
    EXPECT_EQ(r.err, "jubilant-cassette: cannot open " + missing + ": No such file or directory\n");

    EXPECT_EQ(tool({"lint", clean, clean}).rc, 0);
    EXPECT_EQ(tool({"lint", clean, leaky}).rc, 1);
}

TEST_F(CassetteToolTest, ADirectoryWithoutCassettesIsAnError) {
    std::filesystem::create_directories(dir() + "/empty/sub");
    std::ofstream(dir() + "/empty/sub/readme.md") << "no cassettes here\n";
    for (const std::string command : {"lint", "list", "stats"}) {
        auto r = tool({command, dir() + "/empty"});
        EXPECT_EQ(r.rc, 3) << command;
        EXPECT_EQ(r.err, "jubilant-cassette: no cassettes (*.json) under " + dir() + "/empty\n")
            << command;
    }
}

TEST_F(CassetteToolTest, ListAndStatsSkipFailedRecordingsInADirectory) {
    const auto kept = save(known_cassette(), "cassettes/A.json");
    const auto failed = save(leaky_cassette(), "cassettes/A.failed.json");
    auto r = tool({"list", dir() + "/cassettes"});
    EXPECT_EQ(r.rc, 0) << r.err;
    EXPECT_EQ(r.lines.front(), kept + ": 4 interactions");
    EXPECT_EQ(r.lines.back(), "skipped 1 failed recording (*.failed.json): name one to include it");
    EXPECT_THAT(r.out, Not(HasSubstr(failed)));

    auto named = tool({"list", failed});  // named on the command line, it is listed
    EXPECT_EQ(named.rc, 0) << named.err;
    EXPECT_EQ(named.lines.front(), failed + ": 4 interactions");

    const auto alone = save(leaky_cassette(), "only-failed/B.failed.json");
    auto only_failed = tool({"stats", dir() + "/only-failed", "--format", "json"});
    EXPECT_EQ(only_failed.rc, 3);
    EXPECT_EQ(json_of(only_failed)["skipped"], Json::array({alone}));
    EXPECT_EQ(only_failed.err, "jubilant-cassette: no cassettes (*.json) under " + dir() +
                                   "/only-failed (skipped 1 failed recording)\n");
}

TEST_F(CassetteToolTest, ACassetteLeftAsAJournalIsRead) {
    // A recording killed before its first save leaves only <name>.json.journal; Cassette::load
    // reads it, and so does a directory walk.
    const auto path = dir() + "/cassettes/Interrupted.json";
    std::filesystem::create_directories(dir() + "/cassettes");
    auto base = known_cassette();
    base.interactions.clear();
    jc::Journal journal(path, base);
    journal.append(leaky_cassette().interactions[1]);
    ASSERT_FALSE(std::filesystem::exists(path));

    auto r = tool({"lint", dir() + "/cassettes"});
    EXPECT_EQ(r.rc, 1) << r.err;
    EXPECT_THAT(r.lines, Contains(path + ": interaction #0: stderr: bearer token (CANA…, 20 "
                                         "chars) on line 1"));
}

TEST_F(CassetteToolTest, MessagesNameCassettesByAbsolutePath) {
    const auto path = save(leaky_cassette(), "sub/c.json");
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir());
    auto lint = tool({"lint", "sub/c.json"});
    auto lint_dir = tool({"lint", "./sub/"});
    auto list = tool({"list", "sub/../sub/c.json"});
    auto stats = tool({"stats", "sub"});
    auto show = tool({"show", "sub/c.json"});
    auto missing = tool({"show", "sub/none.json"});
    auto redact = tool({"redact", "sub/c.json"});
    std::filesystem::current_path(cwd);

    EXPECT_THAT(lint.lines.front(), StartsWith(path + ": interaction #1: "));
    EXPECT_THAT(lint_dir.lines.front(), StartsWith(path + ": interaction #1: "));
    EXPECT_EQ(list.lines.front(), path + ": 4 interactions");
    EXPECT_EQ(stats.lines.front(), "cassette: " + path);
    EXPECT_EQ(show.lines.front(), "cassette: " + path);
    EXPECT_EQ(missing.err, "jubilant-cassette: cannot open " + dir() +
                               "/sub/none.json: No such file or directory\n");
    EXPECT_EQ(redact.out, path + ": 1 replacement\n");
}

TEST_F(CassetteToolTest, InteractionNumbersAreTheOnesReplayErrorsUse) {
    // Replay's "nearest: interaction #N" names the interaction the tool lists as #N.
    const auto path = save(known_cassette(), "c.json");
    const auto replay = jubilant::load_backend("replay:" + path);
    std::string message;
    try {
        replay->run(jubilant::CliRequest{.args = {"deploy", "my charm"}});  // #1, out of order
    } catch (const jubilant::Error& e) {
        message = e.what();
    }
    ASSERT_THAT(message, HasSubstr("\n  nearest: interaction #1 (not yet played): juju deploy "
                                   "'my charm'"));
    ASSERT_THAT(message, HasSubstr("\n  expected next: interaction #0: juju status"));
    auto list = tool({"list", path});
    EXPECT_THAT(list.lines, Contains("    #1  exit 1        3.5 ms  juju deploy 'my charm'"));
    EXPECT_THAT(list.lines, Contains(HasSubstr("#0  exit 0       12.0 ms  juju status")));
    auto show = tool({"show", path});
    EXPECT_THAT(show.lines, Contains(StartsWith("#1 juju deploy 'my charm'")));
}

// ---------------------------------------------------------------------------------------------
// --format json

TEST_F(CassetteToolTest, ListJson) {
    const auto path = save(known_cassette(), "c.json");
    auto r = tool({"list", "--format", "json", path});
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_EQ(json_of(r), Json::parse(R"({
      "command": "list", "version": 1,
      "cassettes": [{"path": ")" + path +
                                      R"(", "interactions": [
        {"index": 0, "args": ["status", "--format", "json"], "returncode": 0,
         "duration_ms": 12.0, "timed_out": false},
        {"index": 1, "args": ["deploy", "my charm"], "returncode": 1, "duration_ms": 3.5,
         "timed_out": false},
        {"index": 2, "args": ["add-secret", "s1", "--file", "{tmp:content.yaml}"],
         "returncode": 0, "duration_ms": 0.5, "timed_out": false},
        {"index": 3, "args": ["status", "--format", "yaml"], "returncode": 0,
         "duration_ms": 1.0, "timed_out": false}]}],
      "errors": [], "skipped": [],
      "summary": {"cassettes": 1, "interactions": 4, "errors": 0}})"));

    const auto other = save(leaky_cassette(), "d.json");
    auto two = tool({"list", "--format", "json", path, other, dir() + "/none.json"});
    EXPECT_EQ(two.rc, 3);
    EXPECT_EQ(json_of(two)["summary"],
              Json::parse(R"({"cassettes": 2, "interactions": 8, "errors": 1})"));
    EXPECT_EQ(json_of(two)["cassettes"][1]["path"], other);
}

TEST_F(CassetteToolTest, StatsJson) {
    const auto path = save(known_cassette(), "c.json");
    auto r = tool({"stats", path, "--format=json"});
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_EQ(json_of(r), Json::parse(R"({
      "command": "stats", "version": 1,
      "cassettes": [{"path": ")" + path +
                                      R"(", "juju_version": "3.6.1",
        "created": "2026-11-22T07:16:00Z", "recorded_from": "subprocess",
        "toolkit_version": "0.1.0", "interactions": 4, "failed": 1, "timed_out": 0,
        "total_duration_ms": 17.0, "redactions": 1, "redacted_temp_files": 1,
        "stdout_bytes": 52, "stderr_bytes": 25,
        "commands": {"add-secret": 1, "deploy": 1, "status": 2}}],
      "errors": [], "skipped": [],
      "summary": {"cassettes": 1, "interactions": 4, "errors": 0,
        "juju_versions": {"3.6.1": 1},
        "oldest": {"created": "2026-11-22T07:16:00Z", "path": ")" +
                                      path + R"("},
        "newest": {"created": "2026-11-22T07:16:00Z", "path": ")" +
                                      path + R"("}}})"));
}

TEST_F(CassetteToolTest, LintJson) {
    const auto leaky = save(leaky_cassette(), "leaky.json");
    const auto missing = dir() + "/missing.json";
    auto r = tool({"lint", "--format", "json", leaky, missing});
    EXPECT_EQ(r.rc, 3) << r.err;
    EXPECT_EQ(json_of(r), Json::parse(R"({
      "command": "lint", "version": 1,
      "cassettes": [{"path": ")" + leaky +
                                      R"(", "findings": [
        {"interaction": 1, "field": "stderr", "line": 1, "kind": "bearer token",
         "preview": "CANA…, 20 chars"}]}],
      "errors": [{"path": ")" + missing +
                                      R"(",
                  "message": "cannot open )" +
                                      missing + R"(: No such file or directory"}],
      "skipped": [],
      "summary": {"cassettes": 1, "clean": 0, "with_findings": 1, "findings": 1,
                  "errors": 1}})"));
    EXPECT_THAT(r.out, Not(HasSubstr("CANARYbearer")));
}

// ---------------------------------------------------------------------------------------------
// usage and load errors, help

TEST_F(CassetteToolTest, UsageErrorsExitTwoWithAHint) {
    auto path = save(known_cassette(), "c.json");
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{}, "jubilant-cassette: missing COMMAND\nTry 'jubilant-cassette --help'.\n"},
        {{"frob"}, "jubilant-cassette: unknown command 'frob'\nTry 'jubilant-cassette --help'.\n"},
        {{"show", path, "--bogus"},
         "jubilant-cassette: The following argument was not expected: "
         "--bogus\nTry 'jubilant-cassette show --help'.\n"},
        {{"show", path, "--format", "xml"},
         "jubilant-cassette: --format: xml not in "
         "{text,json,yaml}\nTry 'jubilant-cassette show "
         "--help'.\n"},
        {{"list", path, "--format", "yaml"},
         "jubilant-cassette: --format: yaml not in "
         "{text,json}\nTry 'jubilant-cassette list "
         "--help'.\n"},
        {{"show", path, "--format"},
         "jubilant-cassette: --format: 1 required FORMAT:{text,json,yaml} "
         "missing\n"
         "Try 'jubilant-cassette show --help'.\n"},
        {{"list"}, "jubilant-cassette: FILE is required\nTry 'jubilant-cassette list --help'.\n"},
        {{"lint"}, "jubilant-cassette: FILE is required\nTry 'jubilant-cassette lint --help'.\n"},
        {{"diff", path},
         "jubilant-cassette: B is required\nTry 'jubilant-cassette diff --help'.\n"},
        {{"show", path, path},
         "jubilant-cassette: The following argument was not expected: " + path +
             "\nTry 'jubilant-cassette show --help'.\n"},
        {{"redact", path, "--literal", ""},
         "jubilant-cassette: --literal: empty value\n"
         "Try 'jubilant-cassette redact --help'.\n"},
    };
    for (const auto& [args, message] : cases) {
        auto r = tool(args);
        EXPECT_EQ(r.rc, 2) << testing::PrintToString(args);
        EXPECT_EQ(r.err, message) << testing::PrintToString(args);
        EXPECT_EQ(r.out, "");
    }
}

TEST_F(CassetteToolTest, MalformedCassetteExitsThreeNamingFileAndLine) {
    auto path = (dir_.path() / "bad.json").string();
    {
        std::ofstream out(path);
        out << "{\n  \"format\": \"jubilant-cassette\",\n  \"version\": 1,\n  \"header\": 5\n}\n";
    }
    for (const std::string command : {"show", "list", "stats", "lint", "redact"}) {
        auto r = tool({command, path});
        EXPECT_EQ(r.rc, 3) << command << ": " << r.out << r.err;
        EXPECT_THAT(r.err, HasSubstr(path + ":4:")) << command;
    }
    auto good = save(known_cassette(), "good.json");
    EXPECT_EQ(tool({"diff", good, path}).rc, 3);
    EXPECT_EQ(tool({"show", (dir_.path() / "missing.json").string()}).rc, 3);
}

TEST_F(CassetteToolTest, HelpForEveryCommand) {
    auto r = tool({"--help"});
    ASSERT_EQ(r.rc, 0);
    EXPECT_THAT(r.out, HasSubstr("Interactions are numbered from 0"));
    for (const std::string command : {"show", "list", "stats", "lint", "redact", "diff"}) {
        EXPECT_THAT(r.lines, Contains(StartsWith("  " + command + " "))) << command;
        auto sub = tool({command, "--help"});
        EXPECT_EQ(sub.rc, 0) << command;
        EXPECT_THAT(sub.out, HasSubstr("Usage: jubilant-cassette " + command + " ")) << command;
    }
    EXPECT_THAT(tool({"lint", "--help"}).out, HasSubstr("Each FILE may be a directory"));
}

TEST_F(CassetteToolTest, Version) {
    auto r = tool({"--version"});
    EXPECT_EQ(r.rc, 0);
    EXPECT_THAT(r.out, MatchesRegex("jubilant-cassette [0-9]+\\.[0-9]+\\.[0-9]+\n"));
    EXPECT_EQ(r.err, "");
}

}  // namespace
