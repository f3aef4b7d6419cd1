// status, version, debug_log, show_unit, ssh, scp, add_ssh_key, remove_ssh_key.
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
using ::testing::SaveArg;

namespace {

class JujuMisc : public jubilant::test::MockJujuTest {};

const char* const minimal_status = R"({
  "model": {"name": "mdl", "type": "caas", "controller": "ctl", "cloud": "microk8s",
            "version": "3.6.4", "model-status": {"current": "available"}},
  "machines": {},
  "applications": {},
  "controller": {"timestamp": "10:00:00+13:00"}
})";

}  // namespace

TEST_F(JujuMisc, Status) {
    expect({"status", "--format", "json"}, minimal_status);
    const Status status = juju.status();
    EXPECT_EQ(status.model.name, "mdl");
    EXPECT_TRUE(status.apps.empty());
}

TEST_F(JujuMisc, StatusWithModel) {
    juju.set_model("ctl:mdl");
    expect({"status", "--model", "ctl:mdl", "--format", "json"}, minimal_status);
    EXPECT_EQ(juju.status().model.controller, "ctl");
}

TEST_F(JujuMisc, StatusBadJsonIsParseError) {
    expect({"status", "--format", "json"}, "{oops");
    EXPECT_THROW(juju.status(), ParseError);
}

TEST_F(JujuMisc, StatusPropagatesCliError) {
    EXPECT_CALL(*backend, run(_)).WillOnce(ReturnFailure(1, "ERROR model not found"));
    EXPECT_THROW(juju.status(), CLIError);
}

TEST_F(JujuMisc, VersionNeverIncludesModel) {
    juju.set_model("mdl");
    expect({"version", "--format", "json", "--all"},
           R"({"version": "3.6.11-genericlinux-amd64",
               "git-commit": "17876b918429f0063380cdf07dc47f98a890778b"})");
    const Version v = juju.version();
    EXPECT_EQ(v.tuple(), std::make_tuple(3, 6, 11));
    EXPECT_EQ(v.release, "genericlinux");
    EXPECT_EQ(v.arch, "amd64");
    EXPECT_EQ(v.git_commit, "17876b918429f0063380cdf07dc47f98a890778b");
}

TEST_F(JujuMisc, VersionInvalid) {
    expect({"version", "--format", "json", "--all"}, R"({"version": "badver"})");
    EXPECT_THROW(juju.version(), ParseError);
}

TEST_F(JujuMisc, DebugLog) {
    expect({"debug-log", "--limit", "0"}, "line 1\nline 2\n");
    EXPECT_EQ(juju.debug_log(), "line 1\nline 2\n");
}

TEST_F(JujuMisc, DebugLogWithModelAndLimit) {
    juju.set_model("mdl");
    expect({"debug-log", "--model", "mdl", "--limit", "10"}, "out");
    EXPECT_EQ(juju.debug_log({.limit = 10}), "out");
}

TEST_F(JujuMisc, ShowUnit) {
    juju.set_model("ctrl:mdl");
    expect({"show-unit", "--model", "ctrl:mdl", "mysql/0", "--format", "json"},
           R"({"mysql/0": {"workload-version": "8.0.41", "machine": "0",
                            "opened-ports": ["3306/tcp"], "charm": "mysql", "leader": true,
                            "life": "alive"}})");
    const UnitInfo info = juju.show_unit("mysql/0");
    EXPECT_EQ(info.workload_version, "8.0.41");
    EXPECT_EQ(info.charm, "mysql");
    EXPECT_EQ(info.opened_ports, std::vector<std::string>{"3306/tcp"});
}

TEST_F(JujuMisc, Ssh) {
    expect({"ssh", "1", "echo bar"}, "bar\n");
    EXPECT_EQ(juju.ssh("1", "echo bar"), "bar\n");
}

TEST_F(JujuMisc, SshArgs) {
    expect({"ssh", "ubuntu/0", "echo", "foo"}, "foo\n");
    EXPECT_EQ(juju.ssh("ubuntu/0", "echo", {.args = {"foo"}}), "foo\n");
}

TEST_F(JujuMisc, SshContainerAndModel) {
    juju.set_model("mdl");
    expect({"ssh", "--model", "mdl", "--container", "snappass", "snappass-test/0", "echo", "foo"},
           "foo\n");
    EXPECT_EQ(juju.ssh("snappass-test/0", "echo", {.args = {"foo"}, .container = "snappass"}),
              "foo\n");
}

TEST_F(JujuMisc, SshUser) {
    expect({"ssh", "usr@ubuntu/0", "echo", "foo"}, "foo\n");
    EXPECT_EQ(juju.ssh("ubuntu/0", "echo", {.args = {"foo"}, .user = "usr"}), "foo\n");
}

TEST_F(JujuMisc, SshOptions) {
    expect({"ssh", "--no-host-key-checks", "ubuntu/0", "-i", "/path/to/private.key", "echo", "foo"},
           "foo\n");
    juju.ssh(
        "ubuntu/0", "echo",
        {.args = {"foo"}, .host_key_checks = false, .ssh_options = {"-i", "/path/to/private.key"}});
}

TEST_F(JujuMisc, Scp) {
    expect({"scp", "--", "SRC", "DST"});
    juju.scp("SRC", "DST");
}

TEST_F(JujuMisc, ScpAllArgs) {
    juju.set_model("mdl");
    expect({"scp", "--model", "mdl", "--container", "redis", "--no-host-key-checks", "--", "-r",
            "-C", "SRC", "DST"});
    juju.scp("SRC", "DST",
             {.container = "redis", .host_key_checks = false, .scp_options = {"-r", "-C"}});
}

TEST_F(JujuMisc, ScpSnapLocalToRemoteSendsCopy) {
    TempDir dir;
    const auto bin = dir.path() / "snap" / "bin";
    std::filesystem::create_directories(bin);
    jubilant::test::write_stub(bin, "juju", "exit 0\n");
    std::ofstream(dir.path() / "myfile.txt") << "DATA";
    Juju snap_juju(backend, {.cli_binary = (bin / "juju").string()});
    CliRequest seen;
    EXPECT_CALL(*backend, run(Args({"scp", "--", "{tmp:myfile.txt}", "target:/dest"})))
        .WillOnce(DoAll(SaveArg<0>(&seen), ReturnStdout("")));
    snap_juju.scp(dir.path() / "myfile.txt", "target:/dest");
    ASSERT_EQ(seen.temp_files.size(), 1U);
    EXPECT_EQ(seen.temp_files[0].content, "DATA");
}

TEST_F(JujuMisc, ScpSnapLocalDirectoryIsRejected) {
    TempDir dir;
    const auto bin = dir.path() / "snap" / "bin";
    std::filesystem::create_directories(bin);
    jubilant::test::write_stub(bin, "juju", "exit 0\n");
    Juju snap_juju(backend, {.cli_binary = (bin / "juju").string()});
    EXPECT_CALL(*backend, run(_)).Times(0);
    EXPECT_THROW(snap_juju.scp(dir.path(), "target:/dest", {.scp_options = {"-r"}}), Error);
}

TEST_F(JujuMisc, AddSshKey) {
    expect({"add-ssh-key", "ssh-rsa AAA user@host"});
    juju.add_ssh_key({"ssh-rsa AAA user@host"});
}

TEST_F(JujuMisc, AddSshKeysWithModel) {
    juju.set_model("mdl");
    expect({"add-ssh-key", "--model", "mdl", "ssh-rsa AAA a@h", "ssh-ed25519 BBB b@h"});
    juju.add_ssh_key({"ssh-rsa AAA a@h", "ssh-ed25519 BBB b@h"});
}

TEST_F(JujuMisc, RemoveSshKeys) {
    expect({"remove-ssh-key", "45:7f:33:2c", "user@host"});
    juju.remove_ssh_key({"45:7f:33:2c", "user@host"});
}
