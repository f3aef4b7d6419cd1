// The `record` and `replay` plugins through the loader, against a stub juju: specs, config
// keys, $JUBILANT_RECORD_MODE and $JUBILANT_CASSETTE_DIR, and a recording killed with SIGKILL.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/cassette.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/plugin_loader.hpp>
#include <jubilant/recorder.hpp>

#include "support/stub_executable.hpp"

namespace {

namespace fs = std::filesystem;
using jubilant::CliBackend;
using jubilant::PluginError;
using jubilant::cassette::Cassette;
using jubilant::test::ScopedEnv;
using jubilant::test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

std::string plugin_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const PluginError& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected PluginError";
    return {};
}

class PluginTest : public ::testing::Test {
protected:
    PluginTest() {
        // Every run of the stub leaves a line in `calls`, so tests can count real CLI calls.
        stub = jubilant::test::write_stub(
            dir.path(), "juju",
            fmt::format("echo \"$*\" >> '{}'\necho \"out: $*\"\n", calls_file().string()));
    }

    fs::path calls_file() const { return dir.path() / "calls"; }
    int calls() const {
        if (!fs::exists(calls_file())) return 0;
        const std::string text = jubilant::test::read_file(calls_file());
        return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    }
    std::string cassette() const { return (dir.path() / "c.json").string(); }
    std::string binary_config() const {
        return fmt::format(R"({{"cli_binary": "{}"}})", stub.string());
    }

    TempDir dir;
    fs::path stub;
    // Neither variable may leak in from the environment running the tests.
    ScopedEnv no_mode{jubilant::record_mode_env, std::nullopt};
    ScopedEnv no_dir{jubilant::cassette_dir_env, std::nullopt};
    ScopedEnv no_config{jubilant::backend_config_env, std::nullopt};
};

TEST_F(PluginTest, RecordThroughJujuThenReplayWithoutTheBinary) {
    {
        jubilant::Juju juju({.cli_binary = stub.string(), .backend = "record:" + cassette()});
        EXPECT_EQ(juju.cli({"version"}), "out: version\n");
        EXPECT_EQ(juju.cli({"models"}), "out: models\n");
    }
    EXPECT_EQ(calls(), 2);
    const Cassette c = Cassette::load(cassette());
    ASSERT_EQ(c.interactions.size(), 2u);
    EXPECT_EQ(c.header.recorded_from, "subprocess");

    fs::remove(stub);
    jubilant::Juju juju({.backend = "replay:" + cassette()});
    EXPECT_EQ(juju.cli({"version"}), "out: version\n");
    EXPECT_EQ(juju.cli({"models"}), "out: models\n");
    EXPECT_EQ(calls(), 2);
}

TEST_F(PluginTest, LoadBackendGivesAReplayBackend) {
    {
        auto recorder = jubilant::load_backend("record:" + cassette(), binary_config());
        EXPECT_EQ(recorder->name(), "record");
        recorder->run({.args = {"status"}});
    }
    auto replay = jubilant::load_backend("replay:" + cassette());
    EXPECT_EQ(replay->name(), "replay");
    EXPECT_EQ(replay->run({.args = {"status"}}).stdout_text, "out: status\n");
    EXPECT_THROW(replay->run({.args = {"status"}}), jubilant::BackendError);
    EXPECT_EQ(calls(), 1);
}

TEST_F(PluginTest, EnvironmentConfigReachesTheRecorderButNotItsInnerBackend) {
    // "mode" is a recorder key; the subprocess plugin would reject it as unknown.
    ScopedEnv config(jubilant::backend_config_env, std::string(R"({"mode": "all"})"));
    auto recorder = jubilant::load_backend("record:" + cassette(), binary_config());
    EXPECT_EQ(recorder->run({.args = {"status"}}).stdout_text, "out: status\n");
    EXPECT_EQ(calls(), 1);
}

TEST_F(PluginTest, ReplayOfAMissingCassetteIsAPluginError) {
    EXPECT_THAT(plugin_error([&] { jubilant::load_backend("replay:" + cassette()); }),
                HasSubstr("does not exist"));
}

TEST_F(PluginTest, BadConfigIsRejected) {
    const std::string spec = "replay:" + cassette();
    EXPECT_THAT(plugin_error([&] { jubilant::load_backend(spec, R"({"mode": "sometimes"})"); }),
                HasSubstr("unknown mode 'sometimes' from key 'mode'"));
    EXPECT_THAT(plugin_error([&] { jubilant::load_backend(spec, R"({"match": "fuzzy"})"); }),
                HasSubstr("unknown matcher 'fuzzy'"));
    EXPECT_THAT(plugin_error([&] { jubilant::load_backend(spec, R"({"on_exhausted": "loop"})"); }),
                HasSubstr("unknown on_exhausted 'loop'"));
    EXPECT_THAT(plugin_error([&] { jubilant::load_backend(spec, R"({"colour": "red"})"); }),
                HasSubstr("colour"));
    EXPECT_THAT(plugin_error([&] { jubilant::load_backend("replay"); }),
                HasSubstr("no cassette given"));
    EXPECT_THAT(plugin_error([&] { jubilant::load_backend("record"); }),
                HasSubstr("record:<cassette path>"));
}

TEST_F(PluginTest, ConfigKeysConfigureTheRecorder) {
    {
        auto recorder = jubilant::load_backend("record:" + cassette(), binary_config());
        recorder->run({.args = {"status", "--model", "a"}});
    }
    const std::string spec = "replay:" + cassette();
    auto strict = jubilant::load_backend(spec);
    EXPECT_THROW(strict->run({.args = {"status", "--model", "b"}}), jubilant::BackendError);
    auto lenient = jubilant::load_backend(
        spec, R"({"match": "ignore_model, ignore_input", "on_exhausted": "repeat_last"})");
    EXPECT_EQ(lenient->run({.args = {"status", "--model", "b"}}).stdout_text,
              "out: status --model a\n");
    EXPECT_EQ(lenient->run({.args = {"status", "--model", "c"}}).stdout_text,
              "out: status --model a\n");
}

TEST_F(PluginTest, RecordModeEnvironmentOverridesThePluginDefault) {
    {
        // The replay plugin records when told to by the environment...
        ScopedEnv mode(jubilant::record_mode_env, std::string("once"));
        auto backend = jubilant::load_backend("replay:" + cassette(), binary_config());
        EXPECT_EQ(backend->name(), "record");
        backend->run({.args = {"status"}});
    }
    EXPECT_EQ(calls(), 1);
    {
        // ...and the record plugin only replays.
        ScopedEnv mode(jubilant::record_mode_env, std::string("none"));
        auto backend = jubilant::load_backend("record:" + cassette(), binary_config());
        EXPECT_EQ(backend->name(), "replay");
        EXPECT_EQ(backend->run({.args = {"status"}}).stdout_text, "out: status\n");
    }
    EXPECT_EQ(calls(), 1);
    {
        ScopedEnv mode(jubilant::record_mode_env, std::string("passthrough"));
        auto backend = jubilant::load_backend("replay:" + cassette(), binary_config());
        EXPECT_EQ(backend->run({.args = {"x"}}).stdout_text, "out: x\n");
    }
    EXPECT_EQ(calls(), 2);
    // An explicit `mode` key still wins over the environment.
    ScopedEnv mode(jubilant::record_mode_env, std::string("all"));
    auto backend = jubilant::load_backend("replay:" + cassette(), R"({"mode": "none"})");
    EXPECT_EQ(backend->name(), "replay");

    ScopedEnv bad(jubilant::record_mode_env, std::string("always"));
    EXPECT_THAT(plugin_error([&] { jubilant::load_backend("replay:" + cassette()); }),
                HasSubstr("unknown mode 'always' from JUBILANT_RECORD_MODE"));
}

TEST_F(PluginTest, RelativeCassettesResolveUnderTheCassetteDirectory) {
    ScopedEnv cassettes(jubilant::cassette_dir_env, (dir.path() / "cassettes").string());
    {
        auto backend = jubilant::load_backend("record:suite/one.json", binary_config());
        backend->run({.args = {"status"}});
    }
    EXPECT_TRUE(fs::exists(dir.path() / "cassettes" / "suite" / "one.json"));
    // An absolute target is used as it is.
    {
        auto backend = jubilant::load_backend("record:" + cassette(), binary_config());
        backend->run({.args = {"status"}});
    }
    EXPECT_TRUE(fs::exists(cassette()));
}

TEST_F(PluginTest, RedactLiteralsKeyKeepsValuesOffDisk) {
    const auto stub2 = jubilant::test::write_stub(dir.path(), "juju2", "echo 'hunter2 and xyzzy'");
    {
        auto backend = jubilant::load_backend(
            "record:" + cassette(),
            fmt::format(R"({{"cli_binary": "{}", "redact_literals": "hunter2\nxyzzy"}})",
                        stub2.string()));
        EXPECT_EQ(backend->run({.args = {"x"}}).stdout_text, "hunter2 and xyzzy\n");
    }
    const std::string bytes = jubilant::test::read_file(cassette());
    EXPECT_THAT(bytes, Not(HasSubstr("hunter2")));
    EXPECT_THAT(bytes, Not(HasSubstr("xyzzy")));
}

TEST_F(PluginTest, PlaceholdersKeySwapsValuesOutAndBackIn) {
    const std::string config = fmt::format(
        R"({{"cli_binary": "{}", "placeholders": "SITE=my-site.example"}})", stub.string());
    {
        auto backend = jubilant::load_backend("record:" + cassette(), config);
        backend->run({.args = {"config", "site=my-site.example"}});
    }
    EXPECT_THAT(jubilant::test::read_file(cassette()), Not(HasSubstr("my-site.example")));
    auto replay = jubilant::load_backend("replay:" + cassette(), config);
    EXPECT_EQ(replay->run({.args = {"config", "site=my-site.example"}}).stdout_text,
              "out: config site=my-site.example\n");
    EXPECT_THAT(plugin_error([&] {
                    jubilant::load_backend("replay:" + cassette(), R"({"placeholders": "x"})");
                }),
                HasSubstr("key 'placeholders' wants lines 'name=value'"));
}

TEST_F(PluginTest, StalenessKeysAndVariables) {
    Cassette old;
    old.header.created = "2020-01-01T00:00:00Z";
    old.header.juju_version = "2.9.1";
    old.save(cassette());
    const std::string spec = "replay:" + cassette();
    EXPECT_NO_THROW(jubilant::load_backend(spec, R"({"max_age_days": 30})"));  // a warning
    EXPECT_THAT(plugin_error([&] {
                    jubilant::load_backend(spec, R"({"max_age_days": 30, "on_stale": "fail"})");
                }),
                HasSubstr("is stale: recorded 2020-01-01T00:00:00Z"));
    {
        ScopedEnv major(jubilant::juju_major_env, std::string("3"));
        ScopedEnv fail(jubilant::on_stale_env, std::string("fail"));
        EXPECT_THAT(plugin_error([&] { jubilant::load_backend(spec); }),
                    HasSubstr("recorded with Juju 2.9.1 (expected major version 3)"));
        EXPECT_NO_THROW(jubilant::load_backend(spec, R"({"juju_major": 2})"));
    }
    EXPECT_THAT(plugin_error([&] { jubilant::load_backend(spec, R"({"on_stale": "panic"})"); }),
                HasSubstr("unknown on_stale 'panic'"));
    EXPECT_THAT(plugin_error([&] { jubilant::load_backend(spec, R"({"max_age_days": -1})"); }),
                HasSubstr("must not be negative"));
    ScopedEnv bad(jubilant::cassette_max_age_env, std::string("soon"));
    EXPECT_THAT(plugin_error([&] { jubilant::load_backend(spec); }),
                HasSubstr("$JUBILANT_CASSETTE_MAX_AGE_DAYS is 'soon'"));
}

TEST_F(PluginTest, RecordingKilledWithSigkillLeavesALoadableCassette) {
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(ready[0]);
        try {
            auto backend = jubilant::load_backend("record:" + cassette(), binary_config());
            for (const char* cmd : {"one", "two", "three"}) backend->run({.args = {cmd}});
            const char byte = 'k';
            if (::write(ready[1], &byte, 1) != 1) ::_exit(2);
            for (;;) ::pause();  // killed here, mid-recording
        } catch (...) {
            ::_exit(3);
        }
    }
    ::close(ready[1]);
    char byte = 0;
    const ssize_t got = ::read(ready[0], &byte, 1);
    ::close(ready[0]);
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_EQ(got, 1) << "the recording child failed, status " << status;
    ASSERT_TRUE(WIFSIGNALED(status));

    const Cassette c = Cassette::load(cassette());
    ASSERT_EQ(c.interactions.size(), 3u);
    EXPECT_EQ(c.interactions[2].args, std::vector<std::string>{"three"});
    EXPECT_EQ(c.interactions[2].stdout_text, "out: three\n");

    // And it replays.
    auto replay = jubilant::load_backend("replay:" + cassette());
    EXPECT_EQ(replay->run({.args = {"one"}}).stdout_text, "out: one\n");
}

}  // namespace
