// What the fake Juju prints where juju 3.6 is particular, checked byte for byte against what
// juju's code writes, through both faces: clouds and credentials (cmd/juju/cloud: clouds,
// show-cloud, remove-cloud, credentials, show-credential) and the public clouds a client knows;
// models on a Kubernetes controller; run/exec --wait running out on simulated time; ssh's
// standard input; scp -r.
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/statustypes.hpp>

#include "support/fake_faces.hpp"

namespace jubilant::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;

class FakeFidelityTest : public FakeFaceTest {
protected:
    // A credential for aws on this client: "secret-key" is hidden unless --show-secrets.
    void add_aws_credential() {
        const Value credential = Value::Object{
            {"credentials",
             Value::Object{
                 {"aws", Value::Object{{"bob", Value::Object{{"auth-type", "access-key"},
                                                             {"access-key", "AKIAFAKE"},
                                                             {"secret-key", "s3cret"}}}}}}}};
        juju().add_credential("aws", credential, {.client = true});
    }

    // Bootstraps `controller` on `cloud`, adds `model` to it, and checks where the model went.
    void expect_model_on_new_controller(const std::string& cloud, const std::string& controller,
                                        const std::string& model, const std::string& region,
                                        const std::string& model_type,
                                        const std::string& cloud_type) {
        juju().bootstrap(cloud, controller);
        juju().add_model(model, {.controller = controller});
        const ModelInfo info = juju().show_model(controller + ":" + model);
        EXPECT_EQ(info.cloud, cloud.substr(0, cloud.find('/')));
        EXPECT_EQ(info.region, region);
        EXPECT_EQ(info.model_type, model_type);
        EXPECT_EQ(info.type, cloud_type);
    }
};
JUBILANT_FAKE_FACES(FakeFidelityTest);

void expect_result(const CliResult& result, int code, const std::string& out,
                   const std::string& err) {
    EXPECT_EQ(result.returncode, code);
    EXPECT_EQ(result.stdout_text, out);
    EXPECT_EQ(result.stderr_text, err);
}

const std::string hidden_public_clouds =
    "Only clouds with registered credentials are shown.\n"
    "There are more clouds, use --all to see them.\n";

TEST_P(FakeFidelityTest, CloudsListsTheControllerAndTheClientAsJujuLaysThemOut) {
    expect_result(
        raw({"clouds"}), 0,
        "\n"
        "Clouds available on the controller:\n"
        "Cloud      Regions  Default    Type\n"
        "localhost  1        localhost  lxd  \n"
        "\n"
        "Clouds available on the client:\n"
        "Cloud      Regions  Default    Type  Credentials  Source    Description\n"
        "localhost  1        localhost  lxd   0            built-in  LXD Container Hypervisor\n"
        "microk8s   1        localhost  k8s   0            built-in  A Kubernetes Cluster\n",
        hidden_public_clouds);
    expect_result(
        raw({"clouds", "--client"}), 0,
        "You can bootstrap a new controller using one of these clouds...\n"
        "\n"
        "Clouds available on the client:\n"
        "Cloud      Regions  Default    Type  Credentials  Source    Description\n"
        "localhost  1        localhost  lxd   0            built-in  LXD Container Hypervisor\n"
        "microk8s   1        localhost  k8s   0            built-in  A Kubernetes Cluster\n",
        hidden_public_clouds);
    expect_result(raw({"clouds", "--controller", "fake"}), 0,
                  "\n"
                  "Clouds available on the controller:\n"
                  "Cloud      Regions  Default    Type\n"
                  "localhost  1        localhost  lxd  \n",
                  "");
}

TEST_P(FakeFidelityTest, PublicCloudsAreKnownAndShownOnceTheyHaveACredential) {
    const CliResult all = raw({"clouds", "--client", "--all"});
    EXPECT_EQ(all.returncode, 0);
    EXPECT_EQ(all.stderr_text, "");
    for (const char* row :
         {"aws          22       us-east-1      ec2      0            public    Amazon Web "
          "Services\n",
          "azure        43       centralus      azure    0            public    Microsoft Azure\n",
          "google       25       us-east1       gce      0            public    Google Cloud "
          "Platform\n",
          "oracle       4        us-phoenix-1   oci      0            public    Oracle Cloud "
          "Infrastructure\n"}) {
        EXPECT_THAT(all.stdout_text, HasSubstr(row));
    }
    add_aws_credential();
    const CliResult listed = raw({"clouds", "--client"});
    EXPECT_EQ(listed.stderr_text, hidden_public_clouds);
    EXPECT_THAT(
        listed.stdout_text,
        HasSubstr(
            "Cloud      Regions  Default    Type  Credentials  Source    Description\n"
            "aws        22       us-east-1  ec2   1            public    Amazon Web Services\n"
            "localhost  1        localhost  lxd   0            built-in  LXD Container "
            "Hypervisor\n"));
    // A controller can be bootstrapped on a public cloud, and its models go there.
    expect_model_on_new_controller("aws/eu-west-1", "ec2ctl", "web", "eu-west-1", "iaas", "ec2");
}

TEST_P(FakeFidelityTest, CloudsInJsonAndYamlAreJujusCloudDetails) {
    const CliResult json = raw({"clouds", "--format", "json"});
    EXPECT_EQ(json.returncode, 0);
    EXPECT_EQ(json.stderr_text, hidden_public_clouds);
    // The controller's copy of localhost wins over the client's, as in juju.
    EXPECT_EQ(
        json.stdout_text,
        R"({"localhost":{"defined":"public","type":"lxd","description":"LXD Container Hypervisor",)"
        R"("auth-types":["certificate"],"regions":{"localhost":{}},)"
        R"("users":{"admin":{"display-name":"admin","access":"admin"}}},)"
        R"("microk8s":{"defined":"built-in","type":"k8s","description":"A Kubernetes Cluster",)"
        R"("auth-types":["clientcertificate"],"regions":{"localhost":{}}}})"
        "\n");
    expect_result(raw({"clouds", "--client", "--format", "yaml"}), 0,
                  "localhost:\n"
                  "  defined: built-in\n"
                  "  type: lxd\n"
                  "  description: LXD Container Hypervisor\n"
                  "  auth-types: [certificate]\n"
                  "  regions:\n"
                  "    localhost: {}\n"
                  "microk8s:\n"
                  "  defined: built-in\n"
                  "  type: k8s\n"
                  "  description: A Kubernetes Cluster\n"
                  "  auth-types: [clientcertificate]\n"
                  "  regions:\n"
                  "    localhost: {}\n",
                  hidden_public_clouds);
}

TEST_P(FakeFidelityTest, ShowCloudInEveryFormat) {
    expect_result(raw({"show-cloud", "localhost"}), 0,
                  "Cloud \"localhost\" from controller \"fake\":\n"
                  "\n"
                  "defined: public\n"
                  "type: lxd\n"
                  "description: LXD Container Hypervisor\n"
                  "auth-types: [certificate]\n"
                  "regions:\n"
                  "  localhost: {}\n"
                  "users:\n"
                  "  admin:\n"
                  "    display-name: admin\n"
                  "    access: admin\n"
                  "\n"
                  "Client cloud \"localhost\":\n"
                  "\n"
                  "defined: built-in\n"
                  "type: lxd\n"
                  "description: LXD Container Hypervisor\n"
                  "auth-types: [certificate]\n"
                  "regions:\n"
                  "  localhost: {}\n"
                  "\n",
                  "");
    expect_result(raw({"show-cloud", "microk8s", "--client", "--format", "yaml"}), 0,
                  "name: microk8s\n"
                  "summary: Client cloud \"microk8s\"\n"
                  "defined: built-in\n"
                  "type: k8s\n"
                  "description: A Kubernetes Cluster\n"
                  "auth-types: [clientcertificate]\n"
                  "regions:\n"
                  "  localhost: {}\n",
                  "");
    expect_result(
        raw({"show-cloud", "azure-china", "--client", "--format", "json"}), 0,
        R"([{"name":"azure-china","summary":"Client cloud \"azure-china\"","defined":"public",)"
        R"("type":"azure","description":"Microsoft Azure China",)"
        R"("auth-types":["interactive","service-principal-secret"],"regions":{)"
        R"("chinaeast":{"endpoint":"https://management.chinacloudapi.cn",)"
        R"("identity-endpoint":"https://graph.chinacloudapi.cn",)"
        R"("storage-endpoint":"https://core.chinacloudapi.cn"},)"
        R"("chinaeast2":{"endpoint":"https://management.chinacloudapi.cn",)"
        R"("identity-endpoint":"https://graph.chinacloudapi.cn",)"
        R"("storage-endpoint":"https://core.chinacloudapi.cn"},)"
        R"("chinanorth":{"endpoint":"https://management.chinacloudapi.cn",)"
        R"("identity-endpoint":"https://graph.chinacloudapi.cn",)"
        R"("storage-endpoint":"https://core.chinacloudapi.cn"},)"
        R"("chinanorth2":{"endpoint":"https://management.chinacloudapi.cn",)"
        R"("identity-endpoint":"https://graph.chinacloudapi.cn",)"
        R"("storage-endpoint":"https://core.chinacloudapi.cn"}}}])"
        "\n",
        "");
    const CliResult aws = raw({"show-cloud", "aws", "--client"});
    EXPECT_EQ(aws.returncode, 0);
    EXPECT_THAT(aws.stdout_text,
                StartsWith("Client cloud \"aws\":\n\ndefined: public\ntype: ec2\n"
                           "description: Amazon Web Services\nauth-types: [access-key]\n"
                           "regions:\n  us-east-1:\n"
                           "    endpoint: https://ec2.us-east-1.amazonaws.com\n"
                           "  us-east-2:\n"));
}

TEST_P(FakeFidelityTest, ShowCloudErrorsAreJujus) {
    // Not on the controller: juju prints the controller's error, then the client's copy, and
    // exits 1.
    const CliResult aws = raw({"show-cloud", "aws"});
    EXPECT_EQ(aws.returncode, 1);
    EXPECT_EQ(aws.stderr_text, "ERROR cloud aws not found\n");
    EXPECT_THAT(aws.stdout_text, StartsWith("Client cloud \"aws\":\n\ndefined: public\n"));
    expect_result(raw({"show-cloud", "nowhere", "--client"}), 1, "",
                  "ERROR cloud nowhere not found, possible alternative clouds:\n\n"
                  "  - aws\n  - aws-china\n  - aws-gov\n  - azure\n  - azure-china\n  - equinix\n"
                  "  - google\n  - localhost\n  - microk8s\n  - oracle\n");
    expect_result(raw({"show-cloud"}), 2, "", "ERROR no cloud specified\n");
    expect_result(
        raw({"show-cloud", "aws", "--format", "tabular"}), 2, "",
        "ERROR invalid value \"tabular\" for option --format: unknown format \"tabular\"\n");
}

TEST_P(FakeFidelityTest, RemoveCloudAsJujuDoesIt) {
    const Value cloud = Value::Object{{"type", "openstack"},
                                      {"auth-types", Value::Array{"userpass"}},
                                      {"endpoint", "https://keystone.example:5000/v3"}};
    juju().add_cloud("private", cloud, {.client = true});
    const CliResult shown = raw({"show-cloud", "private", "--client"});
    EXPECT_EQ(shown.stdout_text,
              "Client cloud \"private\":\n\ndefined: local\ntype: openstack\n"
              "auth-types: [userpass]\nendpoint: https://keystone.example:5000/v3\n");
    expect_result(
        raw({"remove-cloud", "private"}), 1, "",
        "This operation can be applied to both a copy on this client and to the one on a "
        "controller.\nERROR The command is piped and Juju cannot prompt to clarify whether the "
        "--client or a --controller is to be used.\nPlease clarify by re-running the command "
        "with the desired option(s).\n");
    expect_result(raw({"remove-cloud", "private", "--client"}), 0, "",
                  "Removed details of cloud \"private\" from this client\n");
    expect_result(raw({"remove-cloud", "private", "--client"}), 0, "",
                  "No cloud called \"private\" exists on this client\n");
    expect_result(raw({"remove-cloud", "aws", "--client"}), 0, "",
                  "Cannot remove public cloud \"aws\" from client\n");
    expect_result(raw({"remove-cloud", "localhost", "--client"}), 0, "",
                  "Cannot remove built-in cloud \"localhost\" from client\n");
    expect_result(raw({"remove-cloud", "private", "-c", "fake"}), 0, "",
                  "No cloud called \"private\" exists on controller \"fake\"\n");
    expect_result(raw({"remove-cloud", "localhost", "-c", "fake"}), 1, "",
                  "ERROR cloud is used by 1 model\n");
    expect_result(raw({"remove-cloud"}), 2, "", "ERROR Usage: juju remove-cloud <cloud name>\n");
}

TEST_P(FakeFidelityTest, CredentialsInEveryFormatWithSecretsHidden) {
    expect_result(raw({"credentials"}), 0,
                  "\n"
                  "Controller Credentials:\n"
                  "Cloud      Credentials\n"
                  "localhost  localhost\n",
                  "");
    expect_result(raw({"credentials", "--client"}), 0,
                  "No credentials from this client to display.\n", "");
    add_aws_credential();
    expect_result(raw({"credentials", "--client"}), 0,
                  "\n"
                  "Client Credentials:\n"
                  "Cloud  Credentials\n"
                  "aws    bob\n",
                  "");
    expect_result(raw({"credentials", "--client", "--show-secrets"}), 0,
                  "\nClient Credentials:\nCloud  Credentials\naws    bob\n",
                  "secrets are not shown in tabular format\n");
    expect_result(raw({"credentials", "--format", "yaml"}), 0,
                  "client-credentials:\n"
                  "  aws:\n"
                  "    bob:\n"
                  "      auth-type: access-key\n"
                  "      access-key: AKIAFAKE\n"
                  "controller-credentials:\n"
                  "  localhost:\n"
                  "    localhost:\n"
                  "      auth-type: certificate\n",
                  "");
    expect_result(
        raw({"credentials", "aws", "--client", "--format", "json", "--show-secrets"}), 0,
        R"({"client-credentials":{"aws":{"cloud-credentials":{"bob":{"auth-type":"access-key",)"
        R"("details":{"access-key":"AKIAFAKE","secret-key":"s3cret"}}}}}})"
        "\n",
        "");
}

TEST_P(FakeFidelityTest, ShowCredentialFromTheClientAndTheController) {
    add_aws_credential();
    expect_result(raw({"show-credential", "aws", "bob", "--client"}), 0,
                  "client-credentials:\n"
                  "  aws:\n"
                  "    bob:\n"
                  "      content:\n"
                  "        auth-type: access-key\n"
                  "        access-key: AKIAFAKE\n",
                  "");
    const CliResult revealed = raw({"show-credential", "aws", "bob", "--client", "--show-secrets"});
    EXPECT_THAT(revealed.stdout_text, HasSubstr("        secret-key: s3cret\n"));
    expect_result(raw({"show-credential"}), 0,
                  "controller-credentials:\n"
                  "  localhost:\n"
                  "    localhost:\n"
                  "      content:\n"
                  "        auth-type: certificate\n"
                  "        validity-check: valid\n"
                  "      models:\n"
                  "        controller: admin\n"
                  "client-credentials:\n"
                  "  aws:\n"
                  "    bob:\n"
                  "      content:\n"
                  "        auth-type: access-key\n"
                  "        access-key: AKIAFAKE\n",
                  "");
    expect_result(
        raw({"show-credential", "google", "me", "--client"}), 0, "",
        "client credential content lookup failed: client credentials for cloud \"google\" not "
        "found\nNo credentials from this client or from a controller to display.\n");
    expect_result(raw({"show-credential", "aws"}), 2, "",
                  "ERROR both cloud and credential name are needed\n");
    expect_result(raw({"show-credential", "aws", "bob", "--format", "json"}), 2, "",
                  "ERROR invalid value \"json\" for option --format: unknown format \"json\"\n");
}

TEST_P(FakeFidelityTest, SecretsHasNoRevealFlagInJuju36) {
    // juju 3.6 reveals content through show-secret only; `secrets` has no --reveal.
    expect_result(raw({"secrets", "--reveal"}), 2, "",
                  "ERROR option provided but not defined: --reveal\n");
}

TEST_P(FakeFidelityTest, AddModelOnAnUnknownCloudFailsAsJujuDoes) {
    expect_result(
        raw({"add-model", "web", "aws"}), 1, "",
        "ERROR cloud aws not found\nUse 'juju clouds' to see a list of all available clouds or "
        "'juju add-cloud' to a add one.\n");
}

// ---- models, tasks and remote commands --------------------------------------------------------

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

TEST_P(FakeFidelityTest, AKubernetesControllerMakesKubernetesModels) {
    expect_model_on_new_controller("microk8s", "k8s", "apps", "localhost", "caas", "kubernetes");
    juju().deploy("grafana-k8s", {.app = "grafana"});
    settle();
    const Status status = juju().status();
    EXPECT_EQ(status.model.type, "caas");
    const UnitStatus& unit = status.apps.at("grafana").units.at("grafana/0");
    EXPECT_FALSE(unit.address.empty());
    EXPECT_TRUE(unit.machine.empty());
    expect_result(raw({"exec", "-m", "k8s:apps", "--machine", "0", "--", "echo", "hi"}), 1, "",
                  "ERROR unable to target machines with a k8s controller\n");
    // The credential bootstrap used is on the new controller.
    const CliResult creds = raw({"credentials", "-c", "k8s"});
    EXPECT_EQ(creds.stdout_text,
              "\nController Credentials:\nCloud     Credentials\nmicrok8s  microk8s\n");
}

TEST_P(FakeFidelityTest, RunAndExecWaitRunsOutOnSimulatedTime) {
    juju().add_model("ops");
    juju().deploy("postgresql", {.app = "pg", .num_units = 2});
    // Just deployed, the units are still allocating: a one-second wait runs out before either
    // agent can start its task.
    expect_result(
        raw({"run", "-m", "ops", "pg/0", "pg/1", "get-password", "--wait", "1s"}), 1, "",
        "Running operation 1 with 2 tasks\n  - task 2 on unit-pg-0\n  - task 3 on unit-pg-1\n\n"
        "Waiting for task 2...\n"
        "ERROR timed out waiting for results from: unit pg/0, unit pg/1\n");
    expect_result(
        raw({"exec", "-m", "ops", "--unit", "pg/1", "--wait", "500ms", "--", "echo", "hi"}), 1, "",
        "ERROR timed out waiting for results from: unit pg/1\n");
    // A long enough wait lets the agents come up; the wait passes on simulated time.
    const CliResult waited =
        raw({"exec", "-m", "ops", "--unit", "pg/0", "--wait", "1m", "--", "echo", "hi"});
    EXPECT_EQ(waited.returncode, 0);
    EXPECT_EQ(waited.stdout_text, "hi\n");
    EXPECT_EQ(juju().status().apps.at("pg").units.at("pg/0").juju_status.current, "idle");
    // A command takes the time it takes: `sleep 5` outlasts a one-second wait, as in Jubilant's
    // own integration test.
    EXPECT_THROW(juju().exec("sleep 5", {.unit = "pg/0", .wait = Seconds(1)}), TimeoutError);
    EXPECT_EQ(juju().exec("sleep 5", {.unit = "pg/0", .wait = Seconds(10)}).return_code, 0);
    juju().add_unit("pg");
    EXPECT_THROW(juju().run("pg/2", "get-password", {.wait = Seconds(0)}), TimeoutError);
    EXPECT_TRUE(juju().run("pg/2", "get-password").success());  // no --wait: it waits
}

TEST_P(FakeFidelityTest, SshPassesStandardInputThrough) {
    juju().add_model("ssh");
    juju().deploy("postgresql", {.app = "pg"});
    settle();
    // Juju 4 gives a new model no client SSH key: ssh and scp need one there (3.6 accepts it too).
    juju().add_ssh_key(
        {"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g "
         "ann@example"});
    const CliResult piped = backend().run({.args = {"ssh", "-m", "ssh", "pg/0", "cat"},
                                           .stdin_text = "line one\nline two\n",
                                           .temp_files = {},
                                           .timeout = {}});
    expect_result(piped, 0, "line one\nline two\n", "");
    EXPECT_EQ(backend()
                  .run({.args = {"ssh", "-m", "ssh", "pg/0", "cat"},
                        .stdin_text = {},
                        .temp_files = {},
                        .timeout = {}})
                  .stdout_text,
              "");
}

TEST_P(FakeFidelityTest, ScpCopiesDirectoriesWithMinusR) {
    juju().add_model("files");
    juju().deploy("postgresql", {.app = "pg"});
    settle();
    // Juju 4 gives a new model no client SSH key: ssh and scp need one there (3.6 accepts it too).
    juju().add_ssh_key(
        {"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g "
         "ann@example"});
    const fs::path site = scratch() / "site";
    write_text(site / "index.html", "<h1>hi</h1>\n");
    write_text(site / "css" / "main.css", "body {}\n");
    expect_result(raw({"scp", "-m", "files", site.string(), "pg/0:"}), 1, "",
                  "ERROR scp: " + site.string() + ": not a regular file\n");
    juju().scp(site, "pg/0:", {.scp_options = {"-r"}});
    EXPECT_EQ(juju().ssh("pg/0", "cat site/css/main.css"), "body {}\n");
    EXPECT_EQ(juju().ssh("pg/0", "cat /home/ubuntu/site/index.html"), "<h1>hi</h1>\n");
    // Into a remote directory that does not exist yet, the copy takes the destination's name.
    juju().scp(site, "pg/0:www", {.scp_options = {"-r"}});
    EXPECT_EQ(juju().ssh("pg/0", "cat www/index.html"), "<h1>hi</h1>\n");
    // And back: a remote directory needs -r too.
    expect_result(raw({"scp", "-m", "files", "pg/0:www", (scratch() / "back").string()}), 1, "",
                  "ERROR scp: www: not a regular file\n");
    juju().scp("pg/0:www", scratch() / "back", {.scp_options = {"-r"}});
    EXPECT_EQ(read_text(scratch() / "back" / "css" / "main.css"), "body {}\n");
    EXPECT_EQ(read_text(scratch() / "back" / "index.html"), "<h1>hi</h1>\n");
    EXPECT_EQ(fs::status(scratch() / "back" / "css").permissions() & fs::perms::all,
              fs::perms::owner_all);
    // A remote name spelt with ".." never writes outside the local copy.
    write_text(scratch() / "evil.txt", "x\n");
    juju().scp(scratch() / "evil.txt", "pg/0:www/../../escaped.txt");
    const CliResult escaped =
        raw({"scp", "-m", "files", "--", "-r", "pg/0:www", (scratch() / "www-copy").string()});
    EXPECT_EQ(escaped.returncode, 1);
    EXPECT_THAT(escaped.stderr_text, HasSubstr("refusing to write outside"));
    EXPECT_FALSE(fs::exists(scratch().parent_path() / "escaped.txt"));
}

TEST_P(FakeFidelityTest, NamesAreValidatedAsJujuValidatesThem) {
    const std::string model_rule =
        "is not a valid name: model names may only contain lowercase letters, "
        "digits and hyphens\n";
    expect_result(raw({"add-model", "newModel"}), 2, "", "ERROR \"newModel\" " + model_rule);
    expect_result(raw({"add-model", "new_model"}), 2, "", "ERROR \"new_model\" " + model_rule);
    juju().add_model("7-names");  // a digit first is fine for a model
    expect_result(raw({"deploy", "postgresql", "Pg"}), 2, "",
                  "ERROR invalid application name \"Pg\", unexpected uppercase character\n");
    expect_result(
        raw({"deploy", "postgresql", "pg-1"}), 2, "",
        "ERROR invalid application name \"pg-1\", unexpected number(s) found after last hyphen\n");
    expect_result(raw({"deploy", "postgresql", "pg_db"}), 2, "",
                  "ERROR invalid application name \"pg_db\", unexpected character _\n");
    expect_result(raw({"deploy", "postgresql", "pg--db"}), 2, "",
                  "ERROR invalid application name \"pg--db\"\n");
    expect_result(raw({"deploy", "postgresql", "1pg"}), 2, "",
                  "ERROR invalid application name \"1pg\"\n");
    juju().deploy("postgresql", {.app = "pg-2a"});  // every part after a hyphen has a letter
    EXPECT_TRUE(juju().status().apps.contains("pg-2a"));
    expect_result(raw({"exec", "--unit", "pg-2a/01", "--", "echo"}), 2, "",
                  "ERROR invalid unit name \"pg-2a/01\"\n");
}

// The wall clock, in seconds, when this test program started: every data directory it makes
// is made later.
const std::time_t program_start = std::time(nullptr);

// juju's "02 Jan 2006 15:04:05Z" and ISO 8601 "2006-01-02T15:04:05Z", as Unix seconds.
std::time_t parse_time(const std::string& text) {
    std::tm tm{};
    const char* format =
        text.find('T') != std::string::npos ? "%Y-%m-%dT%H:%M:%SZ" : "%d %b %Y %H:%M:%SZ";
    const char* end = strptime(text.c_str(), format, &tm);
    EXPECT_TRUE(end && *end == '\0') << text;
    return timegm(&tm);
}

TEST_P(FakeFidelityTest, TimestampsAreOnTheWallClockFromWhenTheDataDirectoryWasMade) {
    // The seeded controller model was made at simulated time 0: that is the stored start.
    const auto controller =
        nlohmann::json::parse(raw({"show-model", "controller", "--format", "json"}).stdout_text);
    const std::time_t start =
        parse_time(controller.at("controller").at("status").at("since").get<std::string>());
    // Not the old fixed 2025 epoch: the wall clock between this program's start (before the
    // fixture made the data directory) and now, however long the run took.
    EXPECT_GE(start, program_start);
    EXPECT_LE(start, std::time(nullptr));
    juju().add_model("times");
    juju().deploy("postgresql", {.app = "pg"});
    settle();
    const std::time_t since =
        parse_time(juju().status().apps.at("pg").units.at("pg/0").workload_status.since);
    EXPECT_GE(since, start);
    EXPECT_LE(since, start + 60);  // simulated time: a few one-second ticks, not the wall clock
    const auto secret = raw({"add-secret", "--model", "times", "token", "value=x"});
    ASSERT_EQ(secret.returncode, 0) << secret.stderr_text;
    const auto shown = nlohmann::json::parse(
        raw({"show-secret", "--model", "times", "token", "--format", "json"}).stdout_text);
    const auto& details = shown.begin().value();
    EXPECT_GE(parse_time(details.at("created").get<std::string>()), since);
    EXPECT_EQ(details.at("created"), details.at("updated"));
    const auto task = nlohmann::json::parse(
        raw({"run", "--model", "times", "--format", "json", "pg/0", "get-password"}).stdout_text);
    const auto& timing = task.at("pg/0").at("timing");
    EXPECT_GE(parse_time(timing.at("enqueued").get<std::string>()),
              parse_time(details.at("created").get<std::string>()));
    EXPECT_LE(parse_time(timing.at("enqueued").get<std::string>()),
              parse_time(timing.at("completed").get<std::string>()));
}

// ---- as an external client sees it ----------------------------------------------------------

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

TEST(FakeJujuCloudsExternalClient, CloudAndCredentialCommandLines) {
    TempDir dir;
    ScopedEnv data("FAKE_JUJU_DATA", (dir.path() / "data").string());
    ScopedEnv tick("FAKE_JUJU_TICK_MS", std::nullopt);
    Juju juju(
        load_backend("subprocess", std::string("{\"cli_binary\": \"") + JUBILANT_FAKE_JUJU + "\"}"),
        JujuOptions{.cli_binary = JUBILANT_FAKE_JUJU});
    // A command that succeeds but writes to stderr is a success to a client: only stdout.
    EXPECT_EQ(outcome(juju, {"credentials", "--client"}).stdout_text,
              "No credentials from this client to display.\n");
    const CliResult remove = outcome(juju, {"remove-cloud", "aws"});
    EXPECT_EQ(remove.returncode, 1);
    EXPECT_EQ(remove.stdout_text, "");
    EXPECT_THAT(remove.stderr_text, HasSubstr("ERROR The command is piped"));
    const CliResult show = outcome(juju, {"show-cloud", "google"});
    EXPECT_EQ(show.returncode, 1);
    EXPECT_EQ(show.stderr_text, "ERROR cloud google not found\n");
    EXPECT_THAT(show.stdout_text,
                StartsWith("Client cloud \"google\":\n\ndefined: public\ntype: gce\n"));
    const CliResult flag = outcome(juju, {"secrets", "--reveal"});
    EXPECT_EQ(flag.returncode, 2);
    EXPECT_EQ(flag.stderr_text, "ERROR option provided but not defined: --reveal\n");
    const auto clouds = nlohmann::json::parse(
        outcome(juju, {"clouds", "--client", "--all", "--format", "json"}).stdout_text);
    EXPECT_EQ(clouds.size(), 10u);
    EXPECT_EQ(clouds.at("google").at("regions").size(), 25u);
    EXPECT_EQ(clouds.at("aws").at("regions").at("eu-west-1").at("endpoint"),
              "https://ec2.eu-west-1.amazonaws.com");
}

}  // namespace
}  // namespace jubilant::test
