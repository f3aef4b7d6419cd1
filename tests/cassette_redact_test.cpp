// Redaction: every category of secret, checked with canary values that must not survive into
// the bytes of a saved cassette.
#include <jubilant/cassette.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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
    const auto path = std::filesystem::temp_directory_path() /
                      ("redact-" + std::to_string(::getpid()) + ".json");
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
    in.temp_files = {{.name = "secret.yaml", .sensitive = true, .redacted = false,
                      .content = std::string("canary-tempfile-11")},
                     {.name = "plain.yaml", .sensitive = false, .redacted = false,
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
        with_stdout(R"({"d6bv":{"revision":2,"owner":"app","content":{"Data":{"user":"canary-user-21","pw":"canary-pw-22"}}}})"
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
    redact_and_check(with_stdout(R"({"name":"x","password":"canary-pw-41","nested":{"api-token":"canary-tok-42"},"count":3})"),
                     {"canary-pw-41", "canary-tok-42"}, 2);
    const auto out = redact_and_check(
        with_stdout("name: x\npassword: canary-pw-43\n- client-secret: canary-sec-44\n"),
        {"canary-pw-43", "canary-sec-44"}, 2);
    EXPECT_THAT(out, HasSubstr("name: x\n"));
}

TEST(Redact, ActionResults) {
    const auto out = redact_and_check(
        with_stdout(R"({"app/0":{"id":"7","results":{"return-code":0,"admin":"canary-res-51"},"status":"completed"}})"),
        {"canary-res-51"}, 1);
    EXPECT_EQ(nlohmann::json::parse(out)["app/0"]["status"], "completed");
    redact_and_check(with_stdout("app/0:\n  id: \"7\"\n  results:\n    admin: canary-res-52\n  status: completed\n"),
                     {"canary-res-52"}, 1);
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
