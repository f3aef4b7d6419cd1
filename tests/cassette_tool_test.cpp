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

#include <jubilant/backend.hpp>
#include <jubilant/cassette.hpp>
#include <jubilant/plugin_loader.hpp>

#include "support/stub_executable.hpp"

namespace jc = jubilant::cassette;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
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

jc::Interaction interaction(std::vector<std::string> args, int rc, std::string out,
                            std::string err, long duration_us) {
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
    c.interactions.push_back(interaction({"status", "--format", "yaml"}, 0, "model: test\n", "",
                                         1000));
    return c;
}

class CassetteToolTest : public ::testing::Test {
protected:
    std::string save(const jc::Cassette& c, const std::string& name) {
        auto path = (dir_.path() / name).string();
        c.save(path);
        return path;
    }
    jubilant::test::TempDir dir_;
};

// ---------------------------------------------------------------------------------------------

TEST_F(CassetteToolTest, ShowTextRendersHeaderAndInteractions) {
    auto path = save(known_cassette(), "c.json");
    auto r = tool({"show", path});
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_THAT(r.lines, Contains("created: 2026-11-22T07:16:00Z"));
    EXPECT_THAT(r.lines, Contains("juju version: 3.6.1"));
    EXPECT_THAT(r.lines, Contains("redactions: 1"));
    EXPECT_THAT(r.lines, Contains("interactions: 4"));
    EXPECT_THAT(r.lines, Contains("#1 juju status --format json -> exit 0, 12.0 ms"));
    EXPECT_THAT(r.lines, Contains("    stdout: {\"model\":{\"name\":\"test\"}}"));
    EXPECT_THAT(r.lines, Contains("#2 juju deploy 'my charm' -> exit 1, 3.5 ms"));
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
    ASSERT_EQ(r.lines.size(), 4U) << r.out;
    EXPECT_EQ(r.lines[0], "   1  exit 0       12.0 ms  juju status --format json");
    EXPECT_EQ(r.lines[1], "   2  exit 1        3.5 ms  juju deploy 'my charm'");
    EXPECT_EQ(r.lines[2],
              "   3  exit 0        0.5 ms  juju add-secret s1 --file '{tmp:content.yaml}'");
}

TEST_F(CassetteToolTest, Stats) {
    auto path = save(known_cassette(), "c.json");
    auto r = tool({"stats", path});
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_THAT(r.lines, Contains("interactions: 4"));
    EXPECT_THAT(r.lines, Contains("failed (non-zero exit): 1"));
    EXPECT_THAT(r.lines, Contains("total duration: 17.0 ms"));
    EXPECT_THAT(r.lines, Contains("redactions: 1"));
    EXPECT_THAT(r.lines, Contains("redacted temp files: 1"));
    EXPECT_THAT(r.lines, Contains("stdout bytes: 52"));
    EXPECT_THAT(r.lines, Contains("stderr bytes: 25"));
    EXPECT_THAT(r.lines, Contains("  status: 2"));
    EXPECT_THAT(r.lines, Contains("  deploy: 1"));
}

// ---------------------------------------------------------------------------------------------
// lint

TEST_F(CassetteToolTest, LintCleanCassetteExitsZero) {
    auto path = save(known_cassette(), "c.json");
    auto r = tool({"lint", path});
    EXPECT_EQ(r.rc, 0) << r.out << r.err;
    EXPECT_THAT(r.lines, Contains(path + ": no findings"));
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
    high.temp_files.push_back(
        {.name = "p.yaml", .sensitive = false, .redacted = false,
         .content = "credential: " + literal_in_file + "\n"});
    c.interactions.push_back(high);
    auto path = save(c, "leaky.json");

    auto r = tool({"lint", path});
    EXPECT_EQ(r.rc, 1) << r.out << r.err;
    auto prefix = path + ": interaction ";
    EXPECT_THAT(r.lines, Contains(AllOf(StartsWith(prefix + "1: stdout: PEM private key block"),
                                        HasSubstr("(MIIE…, 31 chars)"))));
    EXPECT_THAT(r.lines, Contains(StartsWith(prefix + "2: stderr: bearer token (CANA…")));
    EXPECT_THAT(r.lines, Contains(StartsWith(prefix + "3: args[1]: credentials in a URL (CAN…")));
    EXPECT_THAT(r.lines,
                Contains(StartsWith(prefix + "4: stdout: value under a sensitive key")));
    EXPECT_THAT(r.lines,
                Contains(AllOf(StartsWith(prefix + "5: stdout: value under a sensitive key"),
                               HasSubstr("on line 2"))));
    EXPECT_THAT(r.lines, Contains(StartsWith(prefix + "6: stdin: high-entropy string (aZ3k…")));
    EXPECT_THAT(r.lines, Contains(StartsWith(prefix + "6: temp file p.yaml: value under a "
                                                      "sensitive key")));
    for (const auto& secret :
         {pem_body, bearer, url_pass, json_pw, yaml_token, entropy, literal_in_file}) {
        EXPECT_THAT(r.out, Not(HasSubstr(secret)));
        EXPECT_THAT(r.err, Not(HasSubstr(secret)));
    }
    // One secret, one finding: the bearer token and PEM body are not re-reported as entropy.
    EXPECT_EQ(r.lines.size(), 7U) << r.out;
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
    c.interactions.push_back(interaction(
        {"config"}, 0, "{\"app\":{\"db-password\":\"CANARYjsonpw\"}}\n",
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
    for (const std::string key : {"password", "db-password", "api_token", "Token",
                                  "client-secret", "credential", "private-key", "ssh_key",
                                  "PASSWORD"}) {
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
        cases.push_back({where, "-----BEGIN EC PRIVATE KEY-----\n{}\n-----END EC PRIVATE KEY-----\n"});
        cases.push_back({where, "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n"
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
    while (cert.size() < mb) cert += "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ";
    std::string deep;
    for (int i = 0; i < 100'000; ++i) deep += "{\"a\":";
    deep += "{\"password\":\"CANARYdeep\"}" + std::string(100'000, '}');
    jc::Cassette c = known_cassette();
    c.interactions.push_back(interaction({"config", "app"}, 0, "tls-key: " + cert + "\n", "", 1));
    c.interactions.push_back(interaction({"debug-log"}, 0, std::string(mb, 'x') + "\n",
                                         std::string(mb, 'a') + "1", 1));
    c.interactions.push_back(interaction({"x"}, 0, "-----BEGIN PRIVATE KEY-----\n" + cert, "", 1));
    c.interactions.push_back(interaction({"add-cloud", std::string(mb, 'z')}, 0, deep, "", 1));
    const auto path = save(c, "big.json");
    auto r = tool({"lint", path});
    EXPECT_EQ(r.rc, 1) << r.err;
    EXPECT_THAT(r.out, HasSubstr("interaction 8: stdout: value under a sensitive key (CA…, 10 chars) on line 1"));
    EXPECT_THAT(r.out, HasSubstr("interaction 5: stdout: value under a sensitive key (MIID…, 1048576 chars) on line 1"));
    EXPECT_THAT(r.out, HasSubstr("interaction 7: stdout: PEM private key block (MIID…, 1048576 chars) on line 2"));
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
    EXPECT_THAT(r.lines, Contains("header juju_version: \"3.6.1\" -> \"3.6.2\""));
    EXPECT_THAT(r.lines, Contains("interaction 1: args[2]: \"json\" -> \"yaml\""));
    EXPECT_THAT(r.lines, Contains("interaction 1: stdout: JSON replace /model/name"));
    EXPECT_THAT(r.lines, Contains("interaction 1: stdout: JSON add /model/type"));
    EXPECT_THAT(r.lines, Contains("interaction 2: exit 1 -> 0"));
    EXPECT_THAT(r.lines, Contains("interaction 2: stderr: line 2 differs"));
    EXPECT_THAT(r.lines, Contains("interaction 5: added: juju destroy-model m"));
    EXPECT_EQ(r.lines.size(), 7U) << r.out;

    auto reverse = tool({"diff", b, a});
    EXPECT_EQ(reverse.rc, 1);
    EXPECT_THAT(reverse.lines, Contains("interaction 5: removed: juju destroy-model m"));
}

// ---------------------------------------------------------------------------------------------
// usage and load errors, help

TEST_F(CassetteToolTest, UsageErrorsExitTwoWithAHint) {
    auto path = save(known_cassette(), "c.json");
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{}, "missing COMMAND"},
        {{"frob"}, "unknown command 'frob'"},
        {{"show", path, "--bogus"}, "unknown option '--bogus'"},
        {{"show", path, "--format", "xml"}, "unknown format 'xml'"},
        {{"show", path, "--format"}, "option '--format' needs a value"},
        {{"list"}, "missing FILE argument"},
        {{"lint"}, "missing FILE argument"},
        {{"diff", path}, "expected 2 FILE arguments"},
        {{"stats", path, path}, "unexpected argument"},
    };
    for (const auto& [args, message] : cases) {
        auto r = tool(args);
        EXPECT_EQ(r.rc, 2) << testing::PrintToString(args);
        EXPECT_THAT(r.err, HasSubstr(message)) << testing::PrintToString(args);
        EXPECT_THAT(r.err, HasSubstr("--help'")) << testing::PrintToString(args);
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
    for (const std::string command : {"show", "list", "stats", "lint", "redact", "diff"}) {
        EXPECT_THAT(r.lines, Contains(StartsWith("  " + command + " "))) << command;
        auto sub = tool({command, "--help"});
        EXPECT_EQ(sub.rc, 0) << command;
        EXPECT_THAT(sub.out, StartsWith("Usage: jubilant-cassette " + command + " "));
    }
}

}  // namespace
