// Secret methods: add_secret, grant_secret, remove_secret, secrets, show_secret(_revealed),
// update_secret. Expected argv mirror Jubilant's unit tests.
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/mock_juju.hpp"

using namespace jubilant;
using jubilant::testkit::Args;
using jubilant::testkit::MockBackend;
using jubilant::testkit::ReturnFailure;
using jubilant::testkit::ReturnStdout;
using ::testing::_;
using ::testing::DoAll;
using ::testing::HasSubstr;
using ::testing::SaveArg;

namespace {

class JujuSecrets : public jubilant::test::MockJujuTest {};

const char* const multiple_secrets = R"({
  "d0vdtqnmp25c762e7jug": {"revision": 2, "owner": "<model>", "name": "admin-account",
    "created": "2025-06-03T11:39:23Z", "updated": "2025-06-03T11:39:35Z"},
  "d0vdtqeski35bidi7jug": {"revision": 1, "owner": "user", "name": "admin-password",
    "created": "2025-06-03T13:39:23Z", "updated": "2025-06-03T13:39:35Z"}
})";

const char* const single_secret = R"({
  "d1ehcifmp25c76e01vhg": {"revision": 1, "expires": "2025-06-27T09:43:38Z",
    "rotation": "daily", "rotates": "2025-06-27T09:43:38Z", "owner": "example-charm",
    "description": "Some description", "label": "example-charm-secret",
    "created": "2025-06-26T09:43:38Z", "updated": "2025-06-26T09:43:38Z"}
})";

const char* const single_secret_revealed = R"({
  "d1ehcifmp25c76e01vhg": {"revision": 1,
    "checksum": "6e7780224ca82a052f4fe9bc57f8e25d2bd012fa0ca40891a083c8f1b2748a29",
    "expires": "2025-06-27T09:43:38Z", "rotation": "daily", "rotates": "2025-06-27T09:43:38Z",
    "owner": "example-charm", "description": "Some description",
    "label": "example-charm-secret", "created": "2025-06-26T09:43:38Z",
    "updated": "2025-06-26T09:43:38Z",
    "content": {"Data": {"password": "secret", "username": "admin"}}}
})";

}  // namespace

TEST_F(JujuSecrets, AddSecretSendsContentAsTempFileAndReturnsUri) {
    CliRequest seen;
    EXPECT_CALL(*backend, run(Args({"add-secret", "my-secret", "--file", "{tmp:content.yaml}"})))
        .WillOnce(DoAll(SaveArg<0>(&seen), ReturnStdout("secret:0123456789abcdefghji\n")));
    const SecretURI uri = juju.add_secret("my-secret", {{"username", "admin"}});
    EXPECT_EQ(uri, SecretURI("secret:0123456789abcdefghji"));
    ASSERT_EQ(seen.temp_files.size(), 1U);
    EXPECT_EQ(seen.temp_files[0].name, "content.yaml");
    EXPECT_TRUE(seen.temp_files[0].sensitive);
    EXPECT_EQ(seen.temp_files[0].content, "\"username\": \"admin\"\n");
}

TEST_F(JujuSecrets, AddSecretWithInfoAndModel) {
    juju.set_model("mdl");
    EXPECT_CALL(*backend, run(Args({"add-secret", "--model", "mdl", "my-secret", "--info",
                                    "A description.", "--file", "{tmp:content.yaml}"})))
        .WillOnce(ReturnStdout("secret:abc\n"));
    juju.add_secret("my-secret", {{"username", "admin"}}, {.info = "A description."});
}

TEST_F(JujuSecrets, AddSecretContentIsSortedYamlWithQuotedStrings) {
    CliRequest seen;
    EXPECT_CALL(*backend, run(_)).WillOnce(DoAll(SaveArg<0>(&seen), ReturnStdout("secret:x")));
    juju.add_secret("s", {{"b", "true"}, {"a", "line1\nline2"}, {"c", "42"}});
    ASSERT_EQ(seen.temp_files.size(), 1U);
    EXPECT_EQ(seen.temp_files[0].content,
              "\"a\": \"line1\\nline2\"\n\"b\": \"true\"\n\"c\": \"42\"\n");
}

TEST_F(JujuSecrets, AddSecretPropagatesCliError) {
    EXPECT_CALL(*backend, run(_)).WillOnce(ReturnFailure(1, "ERROR secret exists"));
    try {
        juju.add_secret("s", {{"k", "v"}});
        FAIL() << "expected CLIError";
    } catch (const CLIError& e) {
        EXPECT_EQ(e.returncode(), 1);
        EXPECT_EQ(e.stderr_text(), "ERROR secret exists");
    }
}

TEST_F(JujuSecrets, GrantSecretOneApp) {
    EXPECT_CALL(*backend, run(Args({"grant-secret", "secret:123", "app"})))
        .WillOnce(ReturnStdout(""));
    juju.grant_secret("secret:123", {"app"});
}

TEST_F(JujuSecrets, GrantSecretManyApps) {
    EXPECT_CALL(*backend, run(Args({"grant-secret", "my-secret", "app1,app2"})))
        .WillOnce(ReturnStdout(""));
    juju.grant_secret("my-secret", {"app1", "app2"});
}

TEST_F(JujuSecrets, SecretUriWorksAsIdentifier) {
    EXPECT_CALL(*backend, run(Args({"grant-secret", "secret:abc", "app"})))
        .WillOnce(ReturnStdout(""));
    juju.grant_secret(SecretURI("secret:abc"), {"app"});
}

TEST_F(JujuSecrets, GrantSecretWithModel) {
    juju.set_model("mdl");
    EXPECT_CALL(*backend, run(Args({"grant-secret", "--model", "mdl", "s", "a"})))
        .WillOnce(ReturnStdout(""));
    juju.grant_secret("s", {"a"});
}

TEST_F(JujuSecrets, RemoveSecret) {
    EXPECT_CALL(*backend, run(Args({"remove-secret", "secret:123"}))).WillOnce(ReturnStdout(""));
    juju.remove_secret("secret:123");
}

TEST_F(JujuSecrets, RemoveSecretRevision) {
    EXPECT_CALL(*backend, run(Args({"remove-secret", "my-secret", "--revision", "3"})))
        .WillOnce(ReturnStdout(""));
    juju.remove_secret("my-secret", {.revision = 3});
}

TEST_F(JujuSecrets, SecretsListsEachEntry) {
    EXPECT_CALL(*backend, run(Args({"secrets", "--format", "json"})))
        .WillOnce(ReturnStdout(multiple_secrets));
    const std::vector<Secret> secrets = juju.secrets();
    ASSERT_EQ(secrets.size(), 2U);
    EXPECT_EQ(secrets[0].uri, SecretURI("secret:d0vdtqnmp25c762e7jug"));
    EXPECT_EQ(secrets[0].revision, 2);
    EXPECT_EQ(secrets[0].owner, "<model>");
    EXPECT_EQ(secrets[0].name, "admin-account");
    EXPECT_EQ(secrets[1].owner, "user");
    EXPECT_EQ(secrets[1].name, "admin-password");
}

TEST_F(JujuSecrets, SecretsEmpty) {
    EXPECT_CALL(*backend, run(Args({"secrets", "--format", "json"}))).WillOnce(ReturnStdout("{}"));
    EXPECT_TRUE(juju.secrets().empty());
}

TEST_F(JujuSecrets, SecretsWithOwnerAndModel) {
    juju.set_model("m");
    EXPECT_CALL(*backend,
                run(Args({"secrets", "--model", "m", "--owner", "user", "--format", "json"})))
        .WillOnce(ReturnStdout("{}"));
    EXPECT_TRUE(juju.secrets({.owner = "user"}).empty());
}

TEST_F(JujuSecrets, SecretsRejectsNonObject) {
    EXPECT_CALL(*backend, run(_)).WillOnce(ReturnStdout("[]"));
    EXPECT_THROW(juju.secrets(), ParseError);
}

TEST_F(JujuSecrets, ShowSecret) {
    EXPECT_CALL(*backend, run(Args({"show-secret", "example-charm-secret", "--format", "json"})))
        .WillOnce(ReturnStdout(single_secret));
    const Secret secret = juju.show_secret("example-charm-secret");
    EXPECT_EQ(secret.uri, SecretURI("secret:d1ehcifmp25c76e01vhg"));
    EXPECT_EQ(secret.label, "example-charm-secret");
    EXPECT_EQ(secret.owner, "example-charm");
    EXPECT_EQ(secret.rotation, "daily");
    EXPECT_EQ(secret.description, "Some description");
    EXPECT_FALSE(secret.access.has_value());
    EXPECT_FALSE(secret.revisions.has_value());
}

TEST_F(JujuSecrets, ShowSecretRevisions) {
    EXPECT_CALL(
        *backend,
        run(Args({"show-secret", "example-charm-secret", "--format", "json", "--revisions"})))
        .WillOnce(ReturnStdout(single_secret));
    juju.show_secret("example-charm-secret", {.revisions = true});
}

TEST_F(JujuSecrets, ShowSecretRevision) {
    EXPECT_CALL(
        *backend,
        run(Args({"show-secret", "example-charm-secret", "--format", "json", "--revision", "2"})))
        .WillOnce(ReturnStdout(single_secret));
    juju.show_secret("example-charm-secret", {.revision = 2});
}

TEST_F(JujuSecrets, ShowSecretRevealed) {
    EXPECT_CALL(*backend,
                run(Args({"show-secret", "example-charm-secret", "--format", "json", "--reveal"})))
        .WillOnce(ReturnStdout(single_secret_revealed));
    const RevealedSecret secret = juju.show_secret_revealed("example-charm-secret");
    EXPECT_EQ(secret.uri, SecretURI("secret:d1ehcifmp25c76e01vhg"));
    EXPECT_EQ(secret.content,
              (std::map<std::string, std::string>{{"password", "secret"}, {"username", "admin"}}));
    EXPECT_EQ(secret.checksum, "6e7780224ca82a052f4fe9bc57f8e25d2bd012fa0ca40891a083c8f1b2748a29");
}

TEST_F(JujuSecrets, ShowSecretRevealedRevision) {
    EXPECT_CALL(*backend,
                run(Args({"show-secret", "s", "--format", "json", "--reveal", "--revision", "4"})))
        .WillOnce(ReturnStdout(single_secret_revealed));
    juju.show_secret_revealed("s", {.revision = 4});
}

TEST_F(JujuSecrets, ShowSecretEmptyOutputIsParseError) {
    EXPECT_CALL(*backend, run(_)).WillOnce(ReturnStdout("{}"));
    EXPECT_THROW(juju.show_secret("s"), ParseError);
}

TEST_F(JujuSecrets, UpdateSecret) {
    CliRequest seen;
    EXPECT_CALL(*backend, run(Args({"update-secret", "my-secret", "--file", "{tmp:content.yaml}"})))
        .WillOnce(DoAll(SaveArg<0>(&seen), ReturnStdout("")));
    juju.update_secret("my-secret", {{"username", "admin"}});
    ASSERT_EQ(seen.temp_files.size(), 1U);
    EXPECT_TRUE(seen.temp_files[0].sensitive);
    EXPECT_EQ(seen.temp_files[0].content, "\"username\": \"admin\"\n");
}

TEST_F(JujuSecrets, UpdateSecretAllOptions) {
    EXPECT_CALL(*backend,
                run(Args({"update-secret", "secret:123", "--info", "A description.", "--name",
                          "new-name", "--auto-prune", "--file", "{tmp:content.yaml}"})))
        .WillOnce(ReturnStdout(""));
    juju.update_secret("secret:123", {{"k", "v"}},
                       {.info = "A description.", .name = "new-name", .auto_prune = true});
}
