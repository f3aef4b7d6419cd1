// Redaction: every category of secret, checked with canary values that must not survive into
// the bytes of a saved cassette.
#include <jubilant/cassette.hpp>

#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/plugin_loader.hpp>
#include <jubilant/recorder.hpp>

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/stub_executable.hpp"

namespace jc = jubilant::cassette;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

jc::Interaction with_stdout(std::string out) {
    jc::Interaction in;
    in.args = {"show-secret", "s1", "--reveal", "--format", "json"};
    in.stdout_text = std::move(out);
    return in;
}

// Redacts, saves to a real file, and checks that no canary is left anywhere in the bytes.
std::string redact_and_check(const jc::Interaction& in, const std::vector<std::string>& canaries,
                             std::int64_t expected_count, const jc::RedactionRules& rules = {}) {
    std::int64_t count = 0;
    const auto out = jc::redact(in, rules, &count);
    EXPECT_EQ(count, expected_count);
    jc::Cassette c;
    c.interactions.push_back(out);
    c.header.redactions = count;
    const auto json = c.to_json();
    const auto path =
        std::filesystem::temp_directory_path() / ("redact-" + std::to_string(::getpid()) + ".json");
    c.save(path);
    std::ifstream file(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << file.rdbuf();
    std::filesystem::remove(path);
    for (const auto& canary : canaries) {
        EXPECT_THAT(json, Not(HasSubstr(canary)));
        EXPECT_THAT(bytes.str(), Not(HasSubstr(canary)));
    }
    EXPECT_EQ(jc::Cassette::parse(json).interactions[0], out);
    return out.stdout_text;
}

}  // namespace

TEST(Redact, SensitiveTempFileContentDropped) {
    jc::Interaction in;
    in.temp_files = {{.name = "secret.yaml",
                      .sensitive = true,
                      .redacted = false,
                      .content = std::string("canary-tempfile-11")},
                     {.name = "plain.yaml",
                      .sensitive = false,
                      .redacted = false,
                      .content = std::string("a: 1\n")}};
    std::int64_t count = 0;
    const auto out = jc::redact(in, {}, &count);
    EXPECT_EQ(count, 1);
    EXPECT_TRUE(out.temp_files[0].redacted);
    EXPECT_FALSE(out.temp_files[0].content.has_value());
    EXPECT_EQ(out.temp_files[1].content, "a: 1\n");
    redact_and_check(in, {"canary-tempfile-11"}, 1);
}

TEST(Redact, RevealedSecretContentJsonStaysValid) {
    const auto out = redact_and_check(
        with_stdout(
            R"({"d6bv":{"revision":2,"owner":"app","content":{"Data":{"user":"canary-user-21","pw":"canary-pw-22"}}}})"
            "\n"),
        {"canary-user-21", "canary-pw-22"}, 2);
    const auto doc = nlohmann::json::parse(out);
    EXPECT_EQ(doc["d6bv"]["content"]["Data"]["user"], "<redacted>");
    EXPECT_EQ(doc["d6bv"]["revision"], 2);
    EXPECT_EQ(doc["d6bv"]["owner"], "app");
    EXPECT_EQ(out.back(), '\n');
}

TEST(Redact, RevealedSecretContentYaml) {
    const auto out = redact_and_check(
        with_stdout("d6bv:\n  revision: 2\n  content:\n    Data:\n      user: canary-user-31\n"
                    "      cert: |\n        canary-block-32\n        canary-block-33\n"
                    "  owner: app\n"),
        {"canary-user-31", "canary-block-32", "canary-block-33"}, 3);
    EXPECT_THAT(out, HasSubstr("  revision: 2\n"));
    EXPECT_THAT(out, HasSubstr("  owner: app\n"));
}

TEST(Redact, SensitiveKeysInJsonAndYaml) {
    redact_and_check(
        with_stdout(
            R"({"name":"x","password":"canary-pw-41","nested":{"api-token":"canary-tok-42"},"count":3})"),
        {"canary-pw-41", "canary-tok-42"}, 2);
    const auto out = redact_and_check(
        with_stdout("name: x\npassword: canary-pw-43\n- client-secret: canary-sec-44\n"),
        {"canary-pw-43", "canary-sec-44"}, 2);
    EXPECT_THAT(out, HasSubstr("name: x\n"));
}

// Issue #15 point 2: a run()'s results replay. Only values whose key or shape is secret are
// replaced, never the whole `results` object.
TEST(Redact, ActionResultsKeepWhatIsNotSecret) {
    const auto out = redact_and_check(
        with_stdout(
            R"({"app/0":{"id":"7","results":{"return-code":0,"username":"admin","password":"canary-res-51","url":"https://u:canary-res-53@db/"},"status":"completed"}})"),
        {"canary-res-51", "canary-res-53"}, 2);
    const auto doc = nlohmann::json::parse(out);
    EXPECT_EQ(doc["app/0"]["status"], "completed");
    EXPECT_EQ(doc["app/0"]["results"]["username"], "admin");
    EXPECT_EQ(doc["app/0"]["results"]["return-code"], 0);
    EXPECT_EQ(doc["app/0"]["results"]["password"], "<redacted>");
    EXPECT_EQ(doc["app/0"]["results"]["url"], "https://u:<redacted>@db/");
    // The same in YAML, and in juju 3's default format (the results alone, at the top).
    const auto yaml = redact_and_check(
        with_stdout(
            "app/0:\n  id: \"7\"\n  results:\n    username: admin\n    password: canary-res-52\n"
            "  status: completed\n"),
        {"canary-res-52"}, 1);
    EXPECT_THAT(yaml, HasSubstr("    username: admin\n"));
    EXPECT_THAT(yaml, HasSubstr("    password: <redacted>\n"));
    EXPECT_EQ(redact_and_check(with_stdout("password: canary-res-54\nusername: admin\n"),
                               {"canary-res-54"}, 1),
              "password: <redacted>\nusername: admin\n");
}

// The tutorial's assertion: a run() recorded against a (fake) Juju replays with its results,
// the secret one redacted.
TEST(Redact, ActionResultsReplay) {
    jubilant::test::TempDir dir;
    std::ofstream(dir.path() / "db.yaml") << "name: db\nrevision: 1\nactions:\n  get-admin:\n"
                                             "    results:\n      username: operator\n"
                                             "      password: canary-replay-91\n";
    const auto cassette = dir.path() / "run.json";
    const auto session = [](jubilant::Juju& juju) {
        juju.add_model("m");
        juju.deploy("db");
        for (int i = 0; i < 8; ++i) juju.status();  // the unit settles on simulated time
        return juju.run("db/0", "get-admin");
    };
    {
        auto fake = jubilant::load_backend(
            "fake", fmt::format(R"({{"charms_dir": "{}"}})", dir.path().string()));
        auto recorder = std::make_shared<jubilant::Recorder>(
            cassette, jubilant::RecorderOptions{.mode = jubilant::RecordMode::all, .inner = fake});
        jubilant::Juju juju(recorder);
        EXPECT_EQ(session(juju).results.at("password").as_string(), "canary-replay-91");
        recorder->finish();
    }
    EXPECT_THAT(jubilant::test::read_file(cassette), Not(HasSubstr("canary-replay-91")));
    auto replay = std::make_shared<jubilant::Recorder>(
        cassette, jubilant::RecorderOptions{.mode = jubilant::RecordMode::none});
    jubilant::Juju juju(replay);
    const auto task = session(juju);
    EXPECT_EQ(task.results.at("username").as_string(), "operator");
    EXPECT_EQ(task.results.at("password").as_string(), "<redacted>");
}

TEST(Redact, KeepKeysAndExtraSensitiveKeys) {
    jc::RedactionRules rules;
    rules.keep_keys.push_back("Key-Name");
    rules.sensitive_keys.push_back("pin");
    const auto out = redact_and_check(
        with_stdout(
            R"({"key-name":"id_rsa","api-key":"canary-keep-81","pin":"canary-keep-82","private-address":"10.0.0.1"})"),
        {"canary-keep-81", "canary-keep-82"}, 2, rules);
    const auto doc = nlohmann::json::parse(out);
    EXPECT_EQ(doc["key-name"], "id_rsa");
    EXPECT_EQ(doc["private-address"], "10.0.0.1");  // kept by default
    // A kept key's value is still checked for secret shapes.
    redact_and_check(with_stdout("key-name: Bearer canary-keep-83\n"), {"canary-keep-83"}, 1,
                     rules);
}

TEST(Redact, BearerUrlPemLiteralsPatterns) {
    jc::Interaction in = with_stdout(
        "Authorization: Bearer canary-bearer-61\n"
        "fetching https://bob:canary-urlpw-62@example.com/x\n"
        "-----BEGIN RSA PRIVATE KEY-----\ncanary-pem-63\n-----END RSA PRIVATE KEY-----\n"
        "id canary-literal-64 and code CANARY-777\n");
    in.stderr_text = "{\"url\":\"https://bob:canary-urlpw-65@h\"}";
    in.stdin_text = "canary-literal-64";
    jc::RedactionRules rules;
    rules.literals = {"canary-literal-64"};
    rules.patterns = {"CANARY-[0-9]+"};
    // Bearer, URL x2 (stdout, stderr JSON), PEM, literal x2 (stdout, stdin), pattern.
    const auto out = redact_and_check(in,
                                      {"canary-bearer-61", "canary-urlpw-62", "canary-pem-63",
                                       "canary-literal-64", "CANARY-777", "canary-urlpw-65"},
                                      7, rules);
    EXPECT_THAT(out, HasSubstr("https://bob:<redacted>@example.com/x"));
    EXPECT_THAT(out, HasSubstr("Bearer <redacted>"));
}

TEST(Redact, DeterministicAndUntouchedJsonKeepsBytes) {
    const auto in = with_stdout(R"({"a": 1.0, "b": "plain"})");
    std::int64_t count = 0;
    EXPECT_EQ(jc::redact(in, {}, &count).stdout_text, in.stdout_text);
    EXPECT_EQ(count, 0);
    const auto secret = with_stdout(R"({"token":"canary-det-71"})");
    EXPECT_EQ(jc::redact(secret, {}), jc::redact(secret, {}));
    // Redacting twice finds nothing new.
    std::int64_t again = 0;
    jc::redact(jc::redact(secret, {}), {}, &again);
    EXPECT_EQ(again, 0);
}

TEST(Redact, KeepsEveryFieldButTheSecretsInIt) {
    // redact() writes each text field once into a new interaction (shell_of): every other field
    // must arrive as it was, and a field with nothing secret byte for byte.
    jc::Interaction in;
    in.args = {"run", "app/0", "fetch", "url=https://user:canary-arg-5@host/x", "--wait"};
    in.stdin_text = "token: canary-stdin-5\nname: plain\n";
    in.temp_files = {
        {.name = "secret.yaml", .sensitive = true, .redacted = false, .content = "x: 1\n"},
        {.name = "plain.yaml", .sensitive = false, .redacted = false, .content = "a: 1\n"},
        {.name = "gone.yaml", .sensitive = false, .redacted = false, .content = std::nullopt},
        {.name = "key.yaml", .sensitive = false, .redacted = true, .content = "key: canary-5\n"}};
    in.returncode = 3;
    in.stdout_text = R"({"results": {"password": "canary-out-5", "n": 1}})";
    in.stderr_text = "plain warning\n";
    in.duration = std::chrono::microseconds(1234567);
    in.timed_out = true;
    in.timeout = std::chrono::milliseconds(9000);

    jc::Interaction expected = in;
    expected.args[3] = "url=https://user:<redacted>@host/x";
    expected.stdin_text = "token: <redacted>\nname: plain\n";
    expected.temp_files[0] = {
        .name = "secret.yaml", .sensitive = true, .redacted = true, .content = std::nullopt};
    expected.temp_files[3].content = "key: <redacted>\n";
    expected.stdout_text = R"({"results": {"password": "<redacted>", "n": 1}})";

    std::int64_t count = 0;
    const auto out = jc::redact(in, {}, &count);
    EXPECT_EQ(out, expected);
    // Field by field, so a failure names the one that differs.
    EXPECT_EQ(out.args, expected.args);
    EXPECT_EQ(out.stdin_text, expected.stdin_text);
    EXPECT_EQ(out.temp_files, expected.temp_files);
    EXPECT_EQ(out.returncode, expected.returncode);
    EXPECT_EQ(out.stdout_text, expected.stdout_text);
    EXPECT_EQ(out.stderr_text, expected.stderr_text);
    EXPECT_EQ(out.duration, expected.duration);
    EXPECT_EQ(out.timed_out, expected.timed_out);
    EXPECT_EQ(out.timeout, expected.timeout);
    EXPECT_EQ(count, 5);  // argument, stdin, stdout, the sensitive file, the plain file's key
}

// add-secret prints the new secret's URI; it is not a `secret: value` pair, and replay needs it.
TEST(Redact, SecretUrisAreNotYamlKeys) {
    jc::Interaction in;
    in.args = {"add-secret", "db-admin", "--file", "{tmp:content.yaml}"};
    in.stdout_text = "secret:d0vdtqnmp25c762e7jug\n";
    in.stderr_text = "secret:abc was created\nsecret-id:x\n";
    std::int64_t count = 0;
    const auto out = jc::redact(in, {}, &count);
    EXPECT_EQ(count, 0);
    EXPECT_EQ(out.stdout_text, in.stdout_text);
    EXPECT_EQ(out.stderr_text, in.stderr_text);
    // With white space after the colon it is a mapping, and a sensitive one.
    in.stdout_text = "secret: canary-value-51\n";
    EXPECT_EQ(jc::redact(in, {}, &count).stdout_text, "secret: <redacted>\n");
}

// ---- issue #14 finding 1: what juju prints for secrets, in every format --------------------

namespace {

jc::Interaction command(std::vector<std::string> args, std::string out) {
    jc::Interaction in;
    in.args = std::move(args);
    in.stdout_text = std::move(out);
    return in;
}

/// Redacts and checks the canaries are gone, the kept strings are still there and lint finds
/// nothing in the result.
void expect_redacted(const jc::Interaction& in, const std::vector<std::string>& canaries,
                     const std::vector<std::string>& kept) {
    SCOPED_TRACE(in.stdout_text);
    jc::Cassette c;
    c.interactions.push_back(jc::redact(in, {}));
    const auto json = c.to_json();
    for (const auto& canary : canaries) EXPECT_THAT(json, Not(HasSubstr(canary)));
    for (const auto& k : kept) EXPECT_THAT(c.interactions[0].stdout_text, HasSubstr(k));
    EXPECT_THAT(jc::lint(c), ::testing::IsEmpty());
    // And lint saw them before.
    jc::Cassette raw;
    raw.interactions.push_back(in);
    EXPECT_GE(jc::lint(raw).size(), canaries.size());
}

constexpr const char* checksum = "7a38f2b8e3c1d4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3";

}  // namespace

TEST(RedactJujuOutput, ShowSecretRevealInEveryFormat) {
    // juju's default format for show-secret is YAML, with the content keys inline under
    // `content:` (no `Data:` level); JSON keeps the `Data` level.
    const std::string yaml = std::string("d0vdtqnmp25c762e7jug:\n  revision: 2\n  checksum: ") +
                             checksum +
                             "\n  owner: <model>\n  name: db\n  created: 2026-11-22T07:16:00Z\n"
                             "  content:\n    username: canary-sec-1\n    note: canary-sec-2\n"
                             "    cert: |\n      canary-sec-3\n  access:\n  - target: app\n";
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"show-secret", "db", "--reveal"},
             {"show-secret", "db", "--reveal", "--format", "yaml"},
             {"secrets", "--reveal", "--format", "yaml"}}) {
        expect_redacted(command(args, yaml), {"canary-sec-1", "canary-sec-2", "canary-sec-3"},
                        {checksum, "revision: 2", "name: db", "- target: app"});
    }
    expect_redacted(
        command(
            {"show-secret", "db", "--reveal", "--format", "json"},
            std::string(R"({"d0vdtqnmp25c762e7jug":{"revision":2,"checksum":")") + checksum +
                R"(","owner":"<model>","content":{"Data":{"username":"canary-sec-4","n":"canary-sec-5"}}}})"
                "\n"),
        {"canary-sec-4", "canary-sec-5"}, {checksum, "\"revision\":2"});
}

TEST(RedactJujuOutput, CredentialsWithSecretsInEveryFormat) {
    const std::string yaml =
        "controller-credentials:\n  aws:\n    bob:\n      content:\n"
        "        auth-type: userpass\n        hidden: canary-cred-1\n"
        "        password: canary-cred-2\n      models:\n        m: admin\n";
    expect_redacted(command({"show-credential", "aws", "bob", "--show-secrets"}, yaml),
                    {"canary-cred-1", "canary-cred-2"}, {"controller-credentials:"});
    expect_redacted(
        command(
            {"show-credentials", "--show-secrets", "--format", "json"},
            R"({"client-credentials":{"aws":{"bob":{"content":{"auth-type":"userpass","maas-oauth":"canary-cred-3","other":"canary-cred-4"}}}}})"),
        {"canary-cred-3", "canary-cred-4"}, {});
    expect_redacted(command({"credentials", "--show-secrets", "--format", "yaml"},
                            "client-credentials:\n  aws:\n    default-credential: bob\n    bob:\n"
                            "      auth-type: access-key\n      access-key: canary-cred-5\n"
                            "      secret-key: canary-cred-6\n      region: canary-cred-7\n"),
                    {"canary-cred-5", "canary-cred-6", "canary-cred-7"}, {});
}

TEST(RedactJujuOutput, ConfigWithSecretAndSensitiveOptions) {
    const std::string yaml =
        "application: app\ncharm: app\nsettings:\n"
        "  admin-password:\n    description: The admin password.\n    source: user\n"
        "    type: string\n    value: canary-cfg-1\n"
        "  db:\n    description: Database credentials.\n    source: user\n    type: secret\n"
        "    value: secret:d0vdtqnmp25c762e7jug\n"
        "  tls-key:\n    type: string\n    value: |\n      -----BEGIN PRIVATE KEY-----\n"
        "      canary-cfg-2\n      -----END PRIVATE KEY-----\n"
        "  port:\n    type: int\n    value: 5432\n";
    expect_redacted(command({"config", "app"}, yaml), {"canary-cfg-1", "canary-cfg-2"},
                    {"value: secret:d0vdtqnmp25c762e7jug", "value: 5432"});
    expect_redacted(
        command(
            {"config", "app", "--format", "json"},
            R"({"application":"app","settings":{"admin-password":{"type":"string","value":"canary-cfg-3"},"port":{"value":5432}}})"),
        {"canary-cfg-3"}, {"5432"});
    // One sensitive key asked for: juju prints the bare value.
    auto one = command({"config", "app", "admin-password"}, "canary-cfg-4\n");
    expect_redacted(one, {"canary-cfg-4"}, {});
    EXPECT_EQ(jc::redact(one, {}).stdout_text, "<redacted>\n");
    EXPECT_EQ(jc::redact(command({"config", "app", "port"}, "5432\n"), {}).stdout_text, "5432\n");
    expect_redacted(command({"model-config", "-m", "m", "some-token"}, "canary-cfg-5\n"),
                    {"canary-cfg-5"}, {});
}

TEST(RedactJujuOutput, RunAndShowTaskInEveryFormat) {
    expect_redacted(
        command({"run", "app/0", "get-password"}, "username: admin\npassword: canary-run-1\n"),
        {"canary-run-1"}, {"username: admin"});
    expect_redacted(command({"show-task", "2", "--format", "yaml"},
                            "id: \"2\"\nresults:\n  username: admin\n  api-token: canary-run-2\n"
                            "  return-code: 0\nstatus: completed\n"),
                    {"canary-run-2"}, {"username: admin", "return-code: 0"});
    expect_redacted(
        command(
            {"run", "app/0", "get-password", "--format", "json"},
            R"({"app/0":{"id":"2","results":{"username":"admin","db-password":"canary-run-3"},"status":"completed"}})"),
        {"canary-run-3"}, {R"("username":"admin")"});
}

TEST(RedactJujuOutput, DebugLogLines) {
    expect_redacted(
        command({"debug-log", "--replay"},
                "unit-app-0: 12:00:01 INFO juju.worker.uniter found queued \"install\" hook\n"
                "unit-app-0: 12:00:02 DEBUG unit.app/0.juju-log connecting with "
                "password=canary-log-1 to db\n"
                "unit-app-0: 12:00:03 DEBUG unit.app/0.juju-log token: canary-log-2\n"
                "unit-app-0: 12:00:04 DEBUG unit.app/0.juju-log GET with Authorization: Bearer "
                "canary-log-3\n"
                "machine-0: 12:00:05 INFO juju.worker secret:d0vdtqnmp25c762e7jug rotated\n"),
        {"canary-log-1", "canary-log-2", "canary-log-3"},
        {"found queued", "secret:d0vdtqnmp25c762e7jug rotated", " to db\n"});
}

// Finding 9: digests and ids are not secrets, and lint and redact agree on them.
TEST(RedactJujuOutput, ChecksumsIdsAndCertificatesAreNotSecrets) {
    const std::string text =
        std::string("checksum: ") + checksum +
        "\nuuid: 0f2a9c4e-1b3d-4e5f-8a7b-9c0d1e2f3a4b\n"
        "image: registry.jujucharms.com/charm/kotcfrohea62xreenq1q75n1lyspke0qkurhk/img\n"
        "id: d0vdtqnmp25c762e7jug\nca-cert: |\n  -----BEGIN CERTIFICATE-----\n"
        "  MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n"
        "  -----END CERTIFICATE-----\n"
        // base64 of a PEM certificate, as charm config often holds one
        "ssl_ca: "
        "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURkekNDQWwrZ0F3SUJBZ0lFQWdBQXVUQU5CZ2txaGtpRzl3"
        "\n";
    EXPECT_THAT(jc::find_secrets(text, jc::TextRole::output), ::testing::IsEmpty());
    // A generated token is.
    const std::string token = "aZ3kQ9xP7mN2vB8cL4tR6wY1sD5fG0hJq7Ue";
    const auto spans = jc::find_secrets("note: " + token + "\n", jc::TextRole::output);
    ASSERT_EQ(spans.size(), 1U);
    EXPECT_EQ(spans[0].kind, jc::SecretKind::high_entropy);
    EXPECT_EQ(spans[0].offset, 6U);
    EXPECT_EQ(spans[0].length, token.size());
}

TEST(FindSecrets, SpansLinesAndKinds) {
    const std::string text = "a: 1\npassword: hunter2\nx https://u:pw@h/ y\n";
    const auto spans = jc::find_secrets(text, jc::TextRole::output);
    ASSERT_EQ(spans.size(), 2U);
    EXPECT_EQ(text.substr(spans[0].offset, spans[0].length), "hunter2");
    EXPECT_EQ(spans[0].line, 2U);
    EXPECT_EQ(spans[0].kind, jc::SecretKind::sensitive_value);
    EXPECT_EQ(text.substr(spans[1].offset, spans[1].length), "pw");
    EXPECT_EQ(spans[1].line, 3U);
    EXPECT_EQ(spans[1].kind, jc::SecretKind::url_credentials);
    // Arguments are not read as structure.
    EXPECT_THAT(jc::find_secrets("password: hunter2", jc::TextRole::argument),
                ::testing::IsEmpty());
    EXPECT_EQ(jc::describe(jc::SecretKind::bearer_token), "bearer token");
}

// The fast paths (certificate bodies skipped whole, newlines counted 16 bytes at a time, the
// scanners' runs merged) find the same spans: a token right after a certificate's end, in
// YAML and in a JSON string, and line numbers past a few thousand bytes.
TEST(FindSecrets, TokensRightAfterACertificateAndLineNumbersFarDown) {
    const std::string token = "aZ3kQ9xP7mN2vB8cL4tR6wY1sD5fG0hJq7Ue";
    std::string body;
    for (int line = 0; line < 30; ++line) {
        body += "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ";
        body += line % 2 ? "\n" : "\n  ";
    }
    // YAML: a token, the certificate, then the token again on the line after its end.
    std::string yaml = "before: " + token + "\nca-cert: |\n  -----BEGIN CERTIFICATE-----\n";
    for (int line = 0; line < 30; ++line) {
        yaml += "  MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n";
    }
    yaml += "  -----END CERTIFICATE-----\nnote: " + token + "\n";
    for (int line = 0; line < 300; ++line) yaml += "filler: " + std::to_string(line) + "\n";
    yaml += "password: hunter2\n";
    auto spans = jc::find_secrets(yaml, jc::TextRole::output);
    ASSERT_EQ(spans.size(), 3U);
    EXPECT_EQ(yaml.substr(spans[0].offset, spans[0].length), token);
    EXPECT_EQ(spans[0].line, 1U);
    EXPECT_EQ(yaml.substr(spans[1].offset, spans[1].length), token);
    EXPECT_EQ(spans[1].line, 35U);
    EXPECT_EQ(yaml.substr(spans[2].offset, spans[2].length), "hunter2");
    EXPECT_EQ(spans[2].line, 336U);
    // JSON: the certificate in a string with \n escapes, tokens glued to both its ends.
    const std::string json = R"({"cert":")" + token + R"(\n-----BEGIN CERTIFICATE-----\n)" + body +
                             R"(-----END CERTIFICATE-----\n)" + token + R"(","x":1})";
    spans = jc::find_secrets(json, jc::TextRole::output);
    ASSERT_EQ(spans.size(), 2U);
    EXPECT_EQ(json.substr(spans[0].offset, spans[0].length), token);
    EXPECT_EQ(json.substr(spans[1].offset, spans[1].length), token);
}

// The words the free-text scanners start from are found in one SIMD pass with a byte-wise
// tail: each at every offset from the start, across 16-byte blocks and into the tail.
TEST(FindSecrets, TriggerWordsAtEveryOffset) {
    for (std::size_t pad = 0; pad < 48; ++pad) {
        const std::string text = std::string(pad, '.') +
                                 " BEARER tok3n.abc https://u:pw@h/ -----BEGIN PRIVATE KEY-----\n"
                                 "MIIEv\n-----END PRIVATE KEY-----";
        const auto spans = jc::find_secrets(text, jc::TextRole::argument);
        ASSERT_EQ(spans.size(), 3U) << "pad " << pad;
        EXPECT_EQ(text.substr(spans[0].offset, spans[0].length), "tok3n.abc") << "pad " << pad;
        EXPECT_EQ(text.substr(spans[1].offset, spans[1].length), "pw") << "pad " << pad;
        EXPECT_EQ(text.substr(spans[2].offset, spans[2].length), "MIIEv") << "pad " << pad;
        // Cut short, each word alone in the last bytes of the text.
        for (const std::string word :
             {"Bearer x", "a://u:p@h", "-----BEGIN RSA PRIVATE KEY-----\nk"}) {
            const std::string cut = std::string(pad, '.') + " " + word;
            EXPECT_EQ(jc::find_secrets(cut, jc::TextRole::argument).size(), 1U)
                << "pad " << pad << " word " << word;
        }
    }
}

// A JSON string value is searched for `name=value` / `name: value` only when the pass that
// finds its closing quote saw a separator the assignment scanner acts on: each spelling, at
// every offset across the 16-byte blocks and the byte-wise tail, right up to the closing quote.
TEST(FindSecrets, AssignmentsInJsonStringsAtEveryOffset) {
    const std::vector<std::pair<std::string, std::string>> spellings = {
        {"password=hunter2", "hunter2"},
        {"password: hunter2", "hunter2"},
        {"password:\thunter2", "hunter2"},  // a raw tab (lenient JSON)
        {R"(password: \"hunter2\")", "hunter2"},
        {"password=hunter2\\nnext", "hunter2\\nnext"},  // to white space, past an escape
    };
    const std::string dots(20, '.');
    for (const auto& [spelling, secret] : spellings) {
        for (std::size_t pad = 0; pad < 40; ++pad) {
            for (const std::string& tail : {std::string(), std::string(" x"), " " + dots}) {
                const std::string json =
                    R"({"log":")" + std::string(pad, '.') + " " + spelling + tail + R"(","n":1})";
                const auto spans = jc::find_secrets(json, jc::TextRole::output);
                ASSERT_EQ(spans.size(), 1U) << json;
                EXPECT_EQ(json.substr(spans[0].offset, spans[0].length), secret) << json;
            }
        }
    }
    // Colons the scanner passes over (times, ports) alone: nothing is found.
    EXPECT_TRUE(jc::find_secrets(R"({"since":"24 Feb 2025 12:03:18+13:00","at":"h:80/x"})",
                                 jc::TextRole::output)
                    .empty());
}

// The token scanner leaves a word once the byte 31 on from its start is not a token byte: a
// token of exactly 32 is still found, at every offset and after runs of every length, and one
// of 31 is not.
TEST(FindSecrets, TokensOfExactlyTheMinimumLengthAtEveryOffset) {
    const std::string token = "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI";
    ASSERT_EQ(token.size(), 32U);
    for (std::size_t pad = 0; pad < 70; ++pad) {
        for (const char* before : {" ", ". ", "x "}) {
            const std::string text = std::string(pad, 'x') + before + token + " y";
            const auto spans = jc::find_secrets(text, jc::TextRole::output);
            ASSERT_EQ(spans.size(), 1U) << text;
            EXPECT_EQ(text.substr(spans[0].offset, spans[0].length), token) << text;
            const std::string shorter = std::string(pad, 'x') + before + token.substr(1) + " y";
            EXPECT_TRUE(jc::find_secrets(shorter, jc::TextRole::output).empty()) << shorter;
        }
    }
}

TEST(Lint, NamesInteractionFieldLineAndKind) {
    jc::Cassette c;
    c.interactions.push_back(command({"status"}, "{}"));
    auto second = command({"x", "https://u:pw123456@h/"}, "ok\ntoken: abcdefgh\n");
    second.temp_files.push_back(
        {.name = "s.yaml", .sensitive = true, .redacted = false, .content = std::string("canary")});
    c.interactions.push_back(second);
    const auto found = jc::lint(c);
    ASSERT_EQ(found.size(), 3U);
    EXPECT_EQ(found[0], (jc::LintFinding{.interaction = 1,
                                         .field = "args[1]",
                                         .line = 1,
                                         .kind = jc::SecretKind::url_credentials,
                                         .preview = "pw…, 8 chars"}));
    EXPECT_EQ(found[1].field, "stdout");
    EXPECT_EQ(found[1].line, 2U);
    EXPECT_EQ(found[1].preview, "ab…, 8 chars");
    EXPECT_EQ(found[2].field, "temp file s.yaml");
    for (auto& i : c.interactions) i = jc::redact(i, {});
    EXPECT_THAT(jc::lint(c), ::testing::IsEmpty());
}

// ---- issue #14 finding 5: an invalid pattern is refused up front, naming the key --------------

TEST(RedactRules, InvalidPatternIsRefusedWithRe2sReason) {
    try {
        jc::check_rules({.patterns = {"ok", "(unclosed"}});
        FAIL() << "no error";
    } catch (const jubilant::Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("(unclosed"));
        EXPECT_THAT(e.what(), HasSubstr("missing )"));
    }
    EXPECT_THROW(jc::redact(with_stdout("x"), {.patterns = {"["}}), jubilant::Error);
    EXPECT_THROW(jc::lint(jc::Cassette{}, {.patterns = {"["}}), jubilant::Error);
    EXPECT_NO_THROW(jc::check_rules({.patterns = {"CANARY-[0-9]+", "(?i)hunter2"}}));
}

TEST(RedactRules, PluginConfigRejectsAnInvalidPatternAtLoad) {
    try {
        jubilant::make_recorder_from_config(
            "record", R"({"target": "/nonexistent/c.json", "redact_patterns": "fine\n(a|"})",
            jubilant::RecordMode::all);
        FAIL() << "no error";
    } catch (const jubilant::PluginError& e) {
        EXPECT_THAT(e.what(), HasSubstr("redact_patterns"));
        EXPECT_THAT(e.what(), HasSubstr("(a|"));
        EXPECT_THAT(e.what(), HasSubstr("missing )"));
    }
}

// ---- issue #14 finding 2: no crash, whatever the size or nesting ----------------------------

namespace {

constexpr std::size_t big = 1 << 20;  // 1 MB

std::string repeat(std::string_view unit, std::size_t bytes) {
    std::string out;
    out.reserve(bytes + unit.size());
    while (out.size() < bytes) out += unit;
    return out;
}

}  // namespace

TEST(RedactHostileInput, MegabyteKeyValueLines) {
    const std::string cert =
        repeat("MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ", big);
    auto out = jc::redact(command({"config", "app"}, "ssl-key: " + cert + "\nname: x\n"), {});
    EXPECT_EQ(out.stdout_text, "ssl-key: <redacted>\nname: x\n");
    out = jc::redact(command({"config", "app"}, "ca: " + cert + "\n"), {});
    EXPECT_EQ(out.stdout_text, "ca: <redacted>\n");  // one long generated-looking token
    // A plain line, and one long run of letters and digits with no structure.
    const std::string plain = repeat("the quick brown fox ", big);
    EXPECT_EQ(jc::redact(command({"debug-log"}, plain), {}).stdout_text, plain);
    const std::string run = repeat("abc123", big);
    EXPECT_EQ(jc::redact(command({"debug-log"}, run), {}).stdout_text, run);
    EXPECT_THAT(jc::find_secrets(run + ":" + run + "=" + run, jc::TextRole::output),
                ::testing::IsEmpty());
}

TEST(RedactHostileInput, UnterminatedPemAndLongArguments) {
    const std::string body = repeat("MIIEowIBAAKCAQEA", big);
    auto out = jc::redact(command({"x"}, "-----BEGIN RSA PRIVATE KEY-----\n" + body), {});
    EXPECT_EQ(out.stdout_text, "-----BEGIN RSA PRIVATE KEY-----\n<redacted>");
    // Many unterminated headers stay linear (each does not search the rest again).
    const std::string headers = repeat("-----BEGIN PRIVATE KEY-----\"x", big);
    EXPECT_NO_THROW(jc::find_secrets(headers, jc::TextRole::output));
    jc::Interaction in;
    in.args = {"add-cloud", repeat("a", big), "https://u:" + repeat("p", big) + "@h/",
               repeat("bearer ", big)};
    out = jc::redact(in, {});
    EXPECT_EQ(out.args[1], in.args[1]);
    EXPECT_EQ(out.args[2], "https://u:<redacted>@h/");
}

TEST(RedactHostileInput, DeepJson) {
    // 100,000 levels deep is read as JSON (explicit stack), secrets and all.
    const std::size_t depth = 100'000;
    std::string doc;
    for (std::size_t i = 0; i < depth; ++i) doc += "{\"a\":";
    doc += "{\"password\":\"canary-deep-1\"}";
    for (std::size_t i = 0; i < depth; ++i) doc += "}";
    std::int64_t count = 0;
    const auto out = jc::redact(with_stdout(doc), {}, &count);
    EXPECT_EQ(count, 1);
    EXPECT_THAT(out.stdout_text, Not(HasSubstr("canary-deep-1")));
    EXPECT_EQ(out.stdout_text.size(), doc.size() - std::string("canary-deep-1").size() + 10);
    // Arrays, and unbalanced input that is not JSON at all, as text.
    const std::string arrays =
        std::string(depth, '[') + "\"token=canary-deep-2\"" + std::string(depth, ']');
    EXPECT_THAT(jc::redact(with_stdout(arrays), {}).stdout_text, Not(HasSubstr("canary-deep-2")));
    const std::string open = std::string(big, '[') + "password: canary-deep-3";
    EXPECT_THAT(jc::redact(with_stdout(open), {}).stdout_text, Not(HasSubstr("canary-deep-3")));
    // The redacted cassette saves and loads.
    jc::Cassette c;
    c.interactions.push_back(out);
    EXPECT_EQ(jc::Cassette::parse(c.to_json()).interactions[0].stdout_text, out.stdout_text);
}

TEST(RedactHostileInput, PatternsAreLinearToo) {
    // A pattern that backtracks exponentially in a backtracking engine.
    const std::string text = repeat("a", 100'000) + "!";
    std::int64_t count = 0;
    jc::redact(with_stdout(text), {.patterns = {"(a+)+$"}}, &count);
    EXPECT_EQ(count, 0);
    jc::redact(with_stdout(text), {.patterns = {"(a|aa)+!"}}, &count);
    EXPECT_EQ(count, 1);
}

// A redacted interaction lints clean, and redacting again changes nothing: by construction,
// checked over a mixed corpus.
TEST(RedactLintAgree, RedactedTextHasNothingLeft) {
    const std::vector<std::string> corpus = {
        "password: a\n  b\ncontent:\n- x\n- y\nz: 1\n",
        "{\"a\": [1, \"Bearer tok\", {\"secret\": 5}], \"data\": {\"k\": [\"v\", 2]}}",
        "-----BEGIN EC PRIVATE KEY-----\\nabc\\n-----END EC PRIVATE KEY-----",
        "{\"k\": \"-----BEGIN PRIVATE KEY-----\\nabc\"}",
        "x: y password=\"a b\" token='c' key=<redacted>\n",
        "key: |\n  one\n\n  two\nafter: 1\n",
        "\"password\":\"x\",\"token\":\"y\"",
        "a://b:c@d e://f:<redacted>@g bearer bearer bearer",
        // The bearer token runs over the PEM footer: one pass leaves the block open, and the
        // next pass finds its tail.
        "#\"u:p@h-----BEGIN RSA PRIVATE KEY-----private-addressu:p@hu:p@h\\nbearer\t"
        "aZ3kQ9xP7mN2vB8cL4tR6wY1sD5fG0hJq7Ue-----END RSA PRIVATE KEY-----Bearer :",
    };
    for (const auto& text : corpus) {
        SCOPED_TRACE(text);
        jc::Interaction in = with_stdout(text);
        in.args.push_back(text);
        std::int64_t first = 0;
        const auto once = jc::redact(in, {}, &first);
        EXPECT_GT(first, 0);
        std::int64_t again = 0;
        EXPECT_EQ(jc::redact(once, {}, &again), once);
        EXPECT_EQ(again, 0);
        jc::Cassette c;
        c.interactions.push_back(once);
        EXPECT_THAT(jc::lint(c), ::testing::IsEmpty());
    }
}

// redact() skips its confirming second scan only when the changed lines prove it would find
// nothing (Detector::clean_after). Each case here is one where it would find something: the
// second scan must still run, and the result is what the full re-scan gives.
TEST(RedactSecondScan, RunsWhenAReplacementOpensAYamlRegion) {
    // The token key becomes "<redacted>", which holds the sensitive word "dacte": its block,
    // untouched by the first pass, is now a secret region and the next line is replaced.
    jc::RedactionRules rules;
    rules.sensitive_keys.push_back("dacte");
    const std::string token = "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7";
    EXPECT_EQ(redact_and_check(with_stdout("x: 1\n" + token + ":\n  hello world\nnext: line\n"),
                               {token, "hello world"}, 2, rules),
              "x: 1\n<redacted>:\n  <redacted>\nnext: line\n");
}

TEST(RedactSecondScan, RunsWhenAReplacementMakesAKeySensitive) {
    jc::RedactionRules rules;
    rules.sensitive_keys.push_back("dacte");
    const std::string token = "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7";
    EXPECT_EQ(
        redact_and_check(with_stdout(token + ": hello\nafter: 1\n"), {token, "hello"}, 2, rules),
        "<redacted>: <redacted>\nafter: 1\n");
}

TEST(RedactSecondScan, RunsWithLiteralsAndPatterns) {
    // Both match only across the first pass's marker.
    const std::string text = "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7: hello\n";
    jc::RedactionRules literal;
    literal.literals = {"d>:"};
    EXPECT_EQ(redact_and_check(with_stdout(text), {"d>:"}, 2, literal),
              "<redacte<redacted> hello\n");
    jc::RedactionRules pattern;
    pattern.patterns = {"d>: [a-z]+"};
    EXPECT_EQ(redact_and_check(with_stdout(text), {"hello"}, 2, pattern), "<redacte<redacted>\n");
}

TEST(RedactSecondScan, RunsWhenThereIsAPemBlock) {
    // The first pass replaces the quotes that ended the key block's body: the second finds the
    // block open to the end of the text. The changed line alone shows nothing of that.
    EXPECT_EQ(
        redact_and_check(with_stdout("-----BEGIN RSA PRIVATE KEY-----\npassword: \"abc\"\nafter\n"),
                         {"abc", "after"}, 3),
        "-----BEGIN RSA PRIVATE KEY-----\n<redacted>\n");
}
