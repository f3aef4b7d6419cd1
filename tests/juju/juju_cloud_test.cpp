// Cloud and credential methods: add_cloud, update_cloud, add_credential (file or data).
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/testing.hpp>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/mock_juju.hpp"
#include "support/stub_executable.hpp"

using namespace jubilant;
using jubilant::test::TempDir;
using jubilant::testkit::Args;
using jubilant::testkit::MockBackend;
using jubilant::testkit::ReturnFailure;
using jubilant::testkit::ReturnStdout;
using ::testing::_;
using ::testing::DoAll;
using ::testing::HasSubstr;
using ::testing::SaveArg;

namespace {

class JujuClouds : public jubilant::test::MockJujuTest {
protected:
    JujuClouds() : MockJujuTest("mdl") {}

    // Expects `args` and keeps the request for inspection.
    void expect(std::vector<std::string> args) {
        EXPECT_CALL(*backend, run(Args(std::move(args))))
            .WillOnce(DoAll(SaveArg<0>(&seen), ReturnStdout("")));
    }
    CliRequest seen;
};

const Value cloud_definition = Value::Object{
    {"clouds",
     Value::Object{{"mycloud", Value::Object{{"type", "lxd"}, {"endpoint", "1.2.3.4"}}}}}};

}  // namespace

// add_cloud (never takes --model)

TEST_F(JujuClouds, AddCloudPathClient) {
    expect({"add-cloud", "mycloud", "--client", "--file", "/path/to/cloud.yaml"});
    juju.add_cloud("mycloud", std::filesystem::path("/path/to/cloud.yaml"), {.client = true});
    EXPECT_TRUE(seen.temp_files.empty());
}

TEST_F(JujuClouds, AddCloudPathController) {
    expect(
        {"add-cloud", "mycloud", "--controller", "mycontroller", "--file", "/path/to/cloud.yaml"});
    juju.add_cloud("mycloud", std::filesystem::path("/path/to/cloud.yaml"),
                   {.controller = "mycontroller"});
}

TEST_F(JujuClouds, AddCloudData) {
    expect({"add-cloud", "mycloud", "--client", "--file", "{tmp:cloud.yaml}"});
    juju.add_cloud("mycloud", cloud_definition, {.client = true});
    ASSERT_EQ(seen.temp_files.size(), 1U);
    EXPECT_TRUE(seen.temp_files[0].sensitive);
    EXPECT_THAT(seen.temp_files[0].content, HasSubstr("\"type\": \"lxd\""));
    EXPECT_THAT(seen.temp_files[0].content, HasSubstr("\"endpoint\": \"1.2.3.4\""));
}

TEST_F(JujuClouds, AddCloudAllArgs) {
    expect({"add-cloud", "mycloud", "--client", "--controller", "mycontroller", "--credential",
            "mycred", "--force", "--target-controller", "target-ctrl", "--file",
            "/path/to/cloud.yaml"});
    juju.add_cloud("mycloud", std::filesystem::path("/path/to/cloud.yaml"),
                   {.client = true,
                    .controller = "mycontroller",
                    .credential = "mycred",
                    .force = true,
                    .target_controller = "target-ctrl"});
}

TEST_F(JujuClouds, AddCloudNeedsClientOrController) {
    EXPECT_CALL(*backend, run(_)).Times(0);
    EXPECT_THROW(juju.add_cloud("c", std::filesystem::path("/x.yaml")), Error);
    EXPECT_THROW(juju.add_cloud("c", cloud_definition), Error);
}

TEST_F(JujuClouds, AddCloudFileCopiedForSnapJuju) {
    TempDir dir;
    const auto bin = dir.path() / "snap" / "bin";
    std::filesystem::create_directories(bin);
    jubilant::test::write_stub(bin, "juju", "exit 0\n");
    std::ofstream(dir.path() / "cloud.yaml") << "clouds: {}\n";
    Juju snap_juju(backend, {.cli_binary = (bin / "juju").string()});
    expect({"add-cloud", "c", "--client", "--file", "{tmp:cloud.yaml}"});
    snap_juju.add_cloud("c", dir.path() / "cloud.yaml", {.client = true});
    ASSERT_EQ(seen.temp_files.size(), 1U);
    EXPECT_EQ(seen.temp_files[0].content, "clouds: {}\n");
}

// update_cloud (-f, not --file)

TEST_F(JujuClouds, UpdateCloudPath) {
    expect({"update-cloud", "mycloud", "--client", "-f", "/path/to/cloud.yaml"});
    juju.update_cloud("mycloud", std::filesystem::path("/path/to/cloud.yaml"), {.client = true});
}

TEST_F(JujuClouds, UpdateCloudController) {
    expect(
        {"update-cloud", "mycloud", "--controller", "mycontroller", "-f", "/path/to/cloud.yaml"});
    juju.update_cloud("mycloud", std::filesystem::path("/path/to/cloud.yaml"),
                      {.controller = "mycontroller"});
}

TEST_F(JujuClouds, UpdateCloudData) {
    expect({"update-cloud", "mycloud", "--client", "-f", "{tmp:cloud.yaml}"});
    juju.update_cloud("mycloud", cloud_definition, {.client = true});
    ASSERT_EQ(seen.temp_files.size(), 1U);
    EXPECT_TRUE(seen.temp_files[0].sensitive);
    EXPECT_THAT(seen.temp_files[0].content, HasSubstr("\"type\": \"lxd\""));
}

TEST_F(JujuClouds, UpdateCloudAllArgs) {
    expect({"update-cloud", "mycloud", "--client", "--controller", "mycontroller", "-f",
            "/path/to/cloud.yaml"});
    juju.update_cloud("mycloud", std::filesystem::path("/path/to/cloud.yaml"),
                      {.client = true, .controller = "mycontroller"});
}

TEST_F(JujuClouds, UpdateCloudNeedsClientOrController) {
    EXPECT_CALL(*backend, run(_)).Times(0);
    EXPECT_THROW(juju.update_cloud("c", cloud_definition), Error);
}

// add_credential

TEST_F(JujuClouds, AddCredentialPath) {
    expect({"add-credential", "aws", "--client", "--file", "/path/to/creds.yaml"});
    juju.add_credential("aws", std::filesystem::path("/path/to/creds.yaml"), {.client = true});
}

TEST_F(JujuClouds, AddCredentialData) {
    expect({"add-credential", "aws", "--controller", "cc", "--file", "{tmp:credential.yaml}"});
    juju.add_credential(
        "aws",
        Value::Object{
            {"credentials",
             Value::Object{
                 {"aws", Value::Object{{"mycred", Value::Object{{"auth-type", "access-key"}}}}}}}},
        {.controller = "cc"});
    ASSERT_EQ(seen.temp_files.size(), 1U);
    EXPECT_TRUE(seen.temp_files[0].sensitive);
    EXPECT_THAT(seen.temp_files[0].content, HasSubstr("\"auth-type\": \"access-key\""));
}

TEST_F(JujuClouds, AddCredentialAllArgs) {
    expect({"add-credential", "aws", "--client", "--controller", "mycontroller", "--region",
            "us-east-1", "--file", "/path/to/creds.yaml"});
    juju.add_credential("aws", std::filesystem::path("/path/to/creds.yaml"),
                        {.client = true, .controller = "mycontroller", .region = "us-east-1"});
}

TEST_F(JujuClouds, AddCredentialNeedsClientOrController) {
    EXPECT_CALL(*backend, run(_)).Times(0);
    EXPECT_THROW(juju.add_credential("aws", std::filesystem::path("/c.yaml")), Error);
}

TEST_F(JujuClouds, AddCredentialPropagatesCliError) {
    EXPECT_CALL(*backend, run(_)).WillOnce(ReturnFailure(2, "ERROR bad cloud"));
    EXPECT_THROW(juju.add_credential("aws", std::filesystem::path("/c.yaml"), {.client = true}),
                 CLIError);
}
