// Juju's one path to the backend: --model insertion, logging, CLIError, backend selection.
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/plugin_loader.hpp>
#include <jubilant/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/stub_executable.hpp"

using namespace jubilant;
using jubilant::test::LogCapture;
using jubilant::test::ScopedEnv;
using jubilant::testkit::Args;
using jubilant::testkit::MockBackend;
using jubilant::testkit::ReturnFailure;
using jubilant::testkit::ReturnStdout;
using ::testing::_;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

TEST(JujuCli, InsertsModelAfterTheFirstArgument) {
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(Args({"status", "--model", "ctl:admin/m", "--format", "json"})))
        .WillOnce(ReturnStdout("{}"));
    Juju juju(backend, {.model = "ctl:admin/m"});
    EXPECT_EQ(juju.cli({"status", "--format", "json"}), "{}");
}

TEST(JujuCli, NoModelMeansNoModelFlag) {
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(Args({"status"}))).WillOnce(ReturnStdout("ok"));
    Juju juju(backend);
    EXPECT_EQ(juju.cli({"status"}), "ok");
}

TEST(JujuCli, IncludeModelFalseLeavesArgsAlone) {
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(Args({"version"}))).WillOnce(ReturnStdout("3.6.1"));
    Juju juju(backend, {.model = "m"});
    EXPECT_EQ(juju.cli({"version"}, {.include_model = false}), "3.6.1");
}

TEST(JujuCli, ModelCanBeChangedAfterConstruction) {
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(Args({"status", "--model", "other"}))).WillOnce(ReturnStdout(""));
    Juju juju(backend, {.model = "m"});
    juju.set_model("other");
    juju.cli({"status"});
    EXPECT_EQ(juju.model(), "other");
}

TEST(JujuCli, PassesStdinToTheBackend) {
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(Field(&CliRequest::stdin_text, Optional(std::string("in")))))
        .WillOnce(ReturnStdout("out"));
    Juju juju(backend);
    EXPECT_EQ(juju.cli({"ssh", "pg/0"}, {.stdin_text = "in"}), "out");
}

TEST(JujuCli, NonZeroReturnCodeRaisesCLIErrorWithBinaryFirst) {
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(_)).WillOnce(ReturnFailure(1, "ERROR application not found\n"));
    Juju juju(backend, {.model = "m", .cli_binary = "/snap/bin/juju"});
    try {
        juju.cli({"remove-application", "pg"});
        FAIL() << "expected CLIError";
    } catch (const CLIError& e) {
        EXPECT_THAT(e.args(), ::testing::ElementsAre("/snap/bin/juju", "remove-application",
                                                     "--model", "m", "pg"));
        EXPECT_EQ(e.returncode(), 1);
        EXPECT_THAT(e.what(), HasSubstr("ERROR application not found"));
    }
}

TEST(JujuCli, EmptyArgsIsAnError) {
    Juju juju(std::make_shared<MockBackend>());
    EXPECT_THROW(juju.cli({}), Error);
}

TEST(JujuCli, LogsOneShellQuotedInfoLinePerCallButNeverStdin) {
    LogCapture logs;
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(_)).WillOnce(ReturnStdout(""));
    Juju juju(backend, {.model = "m"});
    juju.cli({"config", "app", "title=hello world"}, {.stdin_text = "stdin-canary-7f3a"});
    EXPECT_THAT(logs.text(),
                HasSubstr("jubilant info cli: juju config --model m app 'title=hello world'"));
    EXPECT_THAT(logs.text(), Not(HasSubstr("stdin-canary-7f3a")));
}

TEST(JujuOptions, DefaultsMatchJubilant) {
    Juju juju(std::make_shared<MockBackend>());
    EXPECT_EQ(juju.model(), std::nullopt);
    EXPECT_EQ(juju.wait_timeout(), std::chrono::minutes(3));
    EXPECT_EQ(juju.cli_binary(), "juju");
    EXPECT_EQ(juju.backend()->name(), "mock");
}

TEST(JujuBackendSelection, OptionSelectsAPluginWithoutRecompiling) {
    ScopedEnv env(plugin_path_env, std::string(JUBILANT_TEST_PLUGIN_DIR));
    Juju juju({.backend = "echo:selected-by-option"});
    EXPECT_EQ(juju.backend()->name(), "echo");
    EXPECT_EQ(juju.cli({"status"}), "selected-by-option status");
}

TEST(JujuBackendSelection, EnvironmentSelectsAPluginWhenNoOptionIsGiven) {
    ScopedEnv path(plugin_path_env, std::string(JUBILANT_TEST_PLUGIN_DIR));
    ScopedEnv env(backend_env, std::string("echo:selected-by-env"));
    Juju juju;
    EXPECT_EQ(juju.cli({"status"}), "selected-by-env status");
}

TEST(JujuBackendSelection, DefaultIsSubprocessWithTheConfiguredBinary) {
    ScopedEnv env(backend_env, std::nullopt);
    jubilant::test::TempDir dir;
    const auto stub = jubilant::test::write_stub(dir.path(), "my-juju", "echo \"$@\"");
    Juju juju({.cli_binary = stub.string()});
    EXPECT_EQ(juju.backend()->name(), "subprocess");
    EXPECT_EQ(juju.cli({"version"}), "version\n");
}

TEST(JujuBackendSelection, UnknownPluginIsAClearError) {
    try {
        Juju juju({.backend = "nonexistent"});
        FAIL() << "expected PluginError";
    } catch (const PluginError& e) {
        EXPECT_THAT(e.what(), HasSubstr("backend plugin 'nonexistent' not found"));
    }
}

TEST(JujuBackendSelection, NullBackendIsRefused) {
    EXPECT_THROW(Juju(std::shared_ptr<CliBackend>{}), PluginError);
}
