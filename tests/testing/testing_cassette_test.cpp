// Per-test cassettes: the CassetteTest fixture and ScopedCassette in every record mode, with a
// MockBackend (or a stub juju through the subprocess plugin) as the backend that "really" runs
// commands, and the environment variables that switch modes and directories.
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <jubilant/all_any.hpp>
#include <jubilant/cassette.hpp>
#include <jubilant/clock.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/plugin_loader.hpp>
#include <jubilant/recorder.hpp>
#include <jubilant/temp_model.hpp>
#include <jubilant/testing.hpp>

#include "support/stub_executable.hpp"

namespace {

namespace fs = std::filesystem;
using jubilant::RecordMode;
using jubilant::cassette::Cassette;
using jubilant::test::ScopedEnv;
using jubilant::test::TempDir;
using jubilant::testkit::CassetteOptions;
using jubilant::testkit::CassetteTest;
using jubilant::testkit::Command;
using jubilant::testkit::MockBackend;
using jubilant::testkit::ReturnStdout;
using jubilant::testkit::ScopedCassette;
using ::testing::HasSubstr;

template <typename E>
std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected an exception";
    return {};
}

std::vector<std::vector<std::string>> recorded_args(const fs::path& path) {
    std::vector<std::vector<std::string>> out;
    for (const auto& interaction : Cassette::load(path).interactions) {
        out.push_back(interaction.args);
    }
    return out;
}

// Temp directory, inner backend, and an environment free of the variables under test. A base
// class of the fixtures so it exists before CassetteTest is constructed.
struct Isolated {
    TempDir dir;
    std::shared_ptr<MockBackend> inner = std::make_shared<MockBackend>();
    ScopedEnv no_mode{jubilant::record_mode_env, std::nullopt};
    ScopedEnv no_dir{jubilant::cassette_dir_env, std::nullopt};
    ScopedEnv no_backend{jubilant::backend_env, std::nullopt};
    ScopedEnv no_config{jubilant::backend_config_env, std::nullopt};
};

// ---- ScopedCassette ------------------------------------------------------------------------

class ScopedCassetteTest : public ::testing::Test, protected Isolated {
protected:
    CassetteOptions options(std::optional<RecordMode> mode) const {
        return {.dir = dir.path(),
                .default_mode = RecordMode::none,
                .mode = mode,
                .juju = {},
                .inner = inner,
                .match = {},
                .on_exhausted = jubilant::OnExhausted::error,
                .allow_unused = true,
                .redaction = {}};
    }
    // Records `commands` (each answered "out: <command>") into deploy.json in mode all.
    void record(const std::vector<std::string>& commands) {
        for (const auto& command : commands) {
            EXPECT_CALL(*inner, run(Command(command)))
                .WillOnce(ReturnStdout("out: " + command + "\n"))
                .RetiresOnSaturation();
        }
        ScopedCassette cassette("deploy.json", options(RecordMode::all));
        for (const auto& command : commands) cassette.juju().cli({command});
    }
    fs::path path() const { return dir.path() / "deploy.json"; }
};

TEST_F(ScopedCassetteTest, NoneReplaysWithoutTheInnerBackend) {
    record({"version", "status"});
    EXPECT_CALL(*inner, run(::testing::_)).Times(0);
    ScopedCassette cassette("deploy.json", options(RecordMode::none));
    EXPECT_EQ(cassette.path(), path());
    EXPECT_EQ(cassette.mode(), RecordMode::none);
    EXPECT_EQ(cassette.juju().cli({"version"}), "out: version\n");
    EXPECT_EQ(cassette.juju().cli({"status"}), "out: status\n");
    EXPECT_THAT(error_of<jubilant::BackendError>([&] { cassette.juju().cli({"deploy"}); }),
                HasSubstr("no recorded interaction matches request #2"));
}

TEST_F(ScopedCassetteTest, NoneWithAMissingCassetteSaysHowToRecordIt) {
    const std::string message = error_of<jubilant::BackendError>(
        [&] { ScopedCassette cassette("deploy.json", options(std::nullopt)); });
    EXPECT_THAT(message, HasSubstr(fmt::format("no cassette to replay at '{}'", path().string())));
    EXPECT_THAT(message,
                HasSubstr("record mode none, the default; $JUBILANT_RECORD_MODE is unset"));
    EXPECT_THAT(message, HasSubstr("JUBILANT_RECORD_MODE=once"));
    EXPECT_FALSE(fs::exists(path()));
}

TEST_F(ScopedCassetteTest, OnceRecordsAMissingCassetteThenReplaysIt) {
    EXPECT_CALL(*inner, run(Command("version"))).WillOnce(ReturnStdout("3.6.4\n"));
    {
        ScopedCassette cassette("deploy.json", options(RecordMode::once));
        EXPECT_EQ(cassette.recorder().effective_mode(), RecordMode::all);
        EXPECT_EQ(cassette.juju().cli({"version"}), "3.6.4\n");
    }  // the destructor writes the cassette
    EXPECT_EQ(recorded_args(path()), (std::vector<std::vector<std::string>>{{"version"}}));
    EXPECT_EQ(Cassette::load(path()).header.recorded_from, "mock");

    ScopedCassette again("deploy.json", options(RecordMode::once));
    EXPECT_EQ(again.recorder().effective_mode(), RecordMode::none);
    EXPECT_EQ(again.juju().cli({"version"}), "3.6.4\n");  // the mock allows one call only
}

TEST_F(ScopedCassetteTest, AllReRecordsFromScratch) {
    record({"version", "status"});
    EXPECT_CALL(*inner, run(Command("models"))).WillOnce(ReturnStdout("m\n"));
    {
        ScopedCassette cassette("deploy.json", options(RecordMode::all));
        cassette.juju().cli({"models"});
    }
    EXPECT_EQ(recorded_args(path()), (std::vector<std::vector<std::string>>{{"models"}}));
}

TEST_F(ScopedCassetteTest, NewEpisodesReplaysWhatMatchesAndRecordsTheRest) {
    record({"version"});
    EXPECT_CALL(*inner, run(Command("status"))).WillOnce(ReturnStdout("new\n"));
    {
        ScopedCassette cassette("deploy.json", options(RecordMode::new_episodes));
        EXPECT_EQ(cassette.juju().cli({"version"}), "out: version\n");  // replayed
        EXPECT_EQ(cassette.juju().cli({"status"}), "new\n");            // recorded
    }
    EXPECT_EQ(recorded_args(path()),
              (std::vector<std::vector<std::string>>{{"version"}, {"status"}}));
}

TEST_F(ScopedCassetteTest, PassthroughRecordsNothing) {
    EXPECT_CALL(*inner, run(Command("version"))).WillOnce(ReturnStdout("live\n"));
    {
        ScopedCassette cassette("deploy.json", options(RecordMode::passthrough));
        EXPECT_EQ(cassette.juju().cli({"version"}), "live\n");
    }
    EXPECT_FALSE(fs::exists(path()));
}

TEST_F(ScopedCassetteTest, EnvironmentChoosesTheModeUnlessTheCodeForcesOne) {
    record({"version"});
    EXPECT_CALL(*inner, run(Command("version"))).WillOnce(ReturnStdout("again\n"));
    ScopedEnv mode(jubilant::record_mode_env, std::string("all"));
    {
        ScopedCassette cassette("deploy.json", options(std::nullopt));
        EXPECT_EQ(cassette.mode(), RecordMode::all);
        EXPECT_EQ(cassette.juju().cli({"version"}), "again\n");
    }
    ScopedCassette forced("deploy.json", options(RecordMode::none));
    EXPECT_EQ(forced.mode(), RecordMode::none);
    EXPECT_EQ(forced.juju().cli({"version"}), "again\n");
}

TEST_F(ScopedCassetteTest, AnUnknownModeInTheEnvironmentIsAnError) {
    ScopedEnv mode(jubilant::record_mode_env, std::string("sometimes"));
    EXPECT_EQ(error_of<jubilant::Error>([&] { ScopedCassette c("deploy.json", options({})); }),
              "$JUBILANT_RECORD_MODE is 'sometimes'; expected none, once, new_episodes, all or "
              "passthrough");
    // A forced mode does not consult the environment at all.
    EXPECT_NO_THROW(ScopedCassette("deploy.json", options(RecordMode::passthrough)));
}

TEST_F(ScopedCassetteTest, StrictCassetteReportsUnplayedInteractions) {
    record({"version", "status"});
    CassetteOptions strict = options(RecordMode::none);
    strict.allow_unused = false;
    ScopedCassette cassette("deploy.json", strict);
    cassette.juju().cli({"version"});
    EXPECT_THAT(error_of<jubilant::Error>([&] { cassette.finish(); }),
                HasSubstr("#1: juju status"));
}

TEST_F(ScopedCassetteTest, RecordsThroughTheBackendJujuOptionsName) {
    const fs::path stub = jubilant::test::write_stub(dir.path(), "juju", "echo \"stub: $*\"");
    CassetteOptions through_subprocess = options(RecordMode::all);
    through_subprocess.inner = nullptr;
    through_subprocess.juju = {.model = "m", .cli_binary = stub.string(), .backend = "subprocess"};
    {
        ScopedCassette cassette("deploy.json", through_subprocess);
        EXPECT_EQ(cassette.juju().cli({"status"}), "stub: status --model m\n");
    }
    const Cassette recorded = Cassette::load(path());
    EXPECT_EQ(recorded.header.recorded_from, "subprocess");
    EXPECT_EQ(recorded.interactions.at(0).stdout_text, "stub: status --model m\n");

    // ... and $JUBILANT_BACKEND when JujuOptions names none.
    through_subprocess.juju.backend.clear();
    ScopedEnv backend(jubilant::backend_env, "subprocess:" + stub.string());
    ScopedCassette cassette("other.json", through_subprocess);
    EXPECT_EQ(cassette.juju().cli({"models"}), "stub: models --model m\n");
}

TEST_F(ScopedCassetteTest, ARecordedWaitReplaysOnVirtualTime) {
    // The inner backend runs on virtual time too, so recording the wait does not sleep.
    class VirtualMock : public MockBackend {
    public:
        std::shared_ptr<jubilant::Clock> clock() override { return clock_; }
        std::shared_ptr<jubilant::VirtualClock> clock_ = std::make_shared<jubilant::VirtualClock>();
    };
    auto virtual_inner = std::make_shared<VirtualMock>();
    jubilant::testkit::StatusBuilder waiting;
    waiting.app("pg", {.units = 2, .workload = "waiting"});
    jubilant::testkit::StatusBuilder active = waiting;
    active.units_status("pg", "active");
    EXPECT_CALL(*virtual_inner, run(Command("status")))
        .WillRepeatedly(jubilant::testkit::ReturnStatuses(
            jubilant::testkit::StatusSequence().then(waiting, 2).then(active)));
    CassetteOptions recording = options(RecordMode::all);
    recording.inner = virtual_inner;
    {
        ScopedCassette cassette("wait.json", recording);
        cassette.juju().wait(jubilant::all_active);
    }
    EXPECT_EQ(recorded_args(dir.path() / "wait.json").size(), 5u);  // 2 waiting + 3 active

    ScopedCassette replay("wait.json", options(RecordMode::none));
    EXPECT_EQ(replay.juju().wait(jubilant::all_active), active.status());
    EXPECT_TRUE(replay.recorder().unused().empty());
}

// This file's directory, from CMake rather than from the library under test.
fs::path this_source_dir() { return fs::path(TEST_SOURCE_DIR); }

TEST(ResolveCassettePath, AbsoluteThenEnvironmentThenDirThenBesideTheSource) {
    using jubilant::testkit::resolve_cassette_path;
    ScopedEnv no_dir(jubilant::cassette_dir_env, std::nullopt);
    EXPECT_EQ(resolve_cassette_path("/abs/c.json", "/dir"), fs::path("/abs/c.json"));
    EXPECT_EQ(resolve_cassette_path("c.json", "/dir"), fs::path("/dir/c.json"));
    EXPECT_EQ(resolve_cassette_path("c.json"), this_source_dir() / "cassettes" / "c.json");
    EXPECT_EQ(resolve_cassette_path("c.json", "data"), this_source_dir() / "data" / "c.json");
    ScopedEnv dir(jubilant::cassette_dir_env, std::string("/env"));
    EXPECT_EQ(resolve_cassette_path("s/c.json", "/dir"), fs::path("/env/s/c.json"));
    EXPECT_EQ(resolve_cassette_path("/abs/c.json", "/dir"), fs::path("/abs/c.json"));
}

TEST(RecordModeFromEnv, FallsBackWhenUnsetOrEmpty) {
    using jubilant::testkit::record_mode_from_env;
    {
        ScopedEnv unset(jubilant::record_mode_env, std::nullopt);
        EXPECT_EQ(record_mode_from_env(), RecordMode::none);
        EXPECT_EQ(record_mode_from_env(RecordMode::once), RecordMode::once);
    }
    ScopedEnv empty(jubilant::record_mode_env, std::string());
    EXPECT_EQ(record_mode_from_env(RecordMode::all), RecordMode::all);
    ScopedEnv set(jubilant::record_mode_env, std::string("new_episodes"));
    EXPECT_EQ(record_mode_from_env(), RecordMode::new_episodes);
}

// ---- CassetteTest --------------------------------------------------------------------------

class CassetteFixture : protected Isolated, public CassetteTest {
protected:
    CassetteFixture()
        : CassetteTest({.dir = dir.path(),
                        .default_mode = RecordMode::once,
                        .mode = {},
                        .juju = {.model = "test"},
                        .inner = inner,
                        .match = {},
                        .on_exhausted = jubilant::OnExhausted::error,
                        .allow_unused = false,
                        .redaction = {}}) {}

    // Records `version` then `status` into this test's cassette.
    void record_version_and_status() {
        fs::create_directories(cassette_path().parent_path());
        EXPECT_CALL(*inner, run(::testing::_)).Times(2).WillRepeatedly(ReturnStdout(""));
        ScopedCassette recording(
            cassette_path(),
            {.dir = {}, .default_mode = RecordMode::all, .mode = {}, .juju = {}, .inner = inner});
        recording.juju().cli({"version"});
        recording.juju().cli({"status"});
    }
};

TEST_F(CassetteFixture, RecordsIntoAFileNamedAfterSuiteAndTest) {
    const fs::path expected =
        dir.path() / "CassetteFixture" / "RecordsIntoAFileNamedAfterSuiteAndTest.json";
    EXPECT_EQ(cassette_path(), expected);
    EXPECT_EQ(jubilant::testkit::current_test_cassette(),
              fs::path("CassetteFixture/RecordsIntoAFileNamedAfterSuiteAndTest.json"));

    EXPECT_CALL(*inner, run(jubilant::testkit::Args({"deploy", "--model", "test", "pg"})))
        .WillOnce(ReturnStdout(""));
    juju().deploy("pg");
    EXPECT_EQ(cassette().path(), expected);
    cassette().finish();
    EXPECT_EQ(recorded_args(expected),
              (std::vector<std::vector<std::string>>{{"deploy", "--model", "test", "pg"}}));

    // The same file replays without the inner backend (whose one expected call is used up).
    ScopedCassette replay(expected, {.dir = {}, .default_mode = RecordMode::none});
    EXPECT_EQ(replay.juju().cli({"deploy", "--model", "test", "pg"}), "");
}

TEST_F(CassetteFixture, ATestThatNeverUsesJujuNeedsNoCassette) {
    EXPECT_FALSE(fs::exists(cassette_path()));
    TearDown();
    EXPECT_FALSE(fs::exists(cassette_path()));
}

TEST_F(CassetteFixture, TheEnvironmentRedirectsTheCassetteDirectory) {
    TempDir other;
    ScopedEnv dir_env(jubilant::cassette_dir_env, other.path().string());
    EXPECT_EQ(cassette_path(), other.path() / "CassetteFixture" /
                                   "TheEnvironmentRedirectsTheCassetteDirectory.json");
    EXPECT_CALL(*inner, run(Command("version"))).WillOnce(ReturnStdout("3\n"));
    juju().cli({"version"});
    cassette().finish();
    EXPECT_TRUE(fs::exists(cassette_path()));
    EXPECT_FALSE(fs::exists(dir.path() / "CassetteFixture"));
}

TEST_F(CassetteFixture, ModeNoneWithoutACassetteFailsWithInstructions) {
    ScopedEnv mode(jubilant::record_mode_env, std::string("none"));
    const std::string message = error_of<jubilant::BackendError>([&] { juju(); });
    EXPECT_THAT(message, HasSubstr(cassette_path().string()));
    EXPECT_THAT(message, HasSubstr("record mode none, from $JUBILANT_RECORD_MODE"));
    EXPECT_THAT(message, HasSubstr("JUBILANT_RECORD_MODE=once"));
}

TEST_F(CassetteFixture, UnplayedInteractionsFailTheTestInTearDown) {
    // A cassette with two interactions, of which the test plays one.
    record_version_and_status();
    ScopedEnv mode(jubilant::record_mode_env, std::string("none"));
    juju().cli({"version"}, {.include_model = false, .stdin_text = {}});

    ::testing::TestPartResultArray failures;
    {
        ::testing::ScopedFakeTestPartResultReporter reporter(
            ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
        TearDown();
    }
    ASSERT_EQ(failures.size(), 1);
    EXPECT_TRUE(failures.GetTestPartResult(0).nonfatally_failed());
    EXPECT_THAT(failures.GetTestPartResult(0).message(), HasSubstr("1 recorded interaction(s)"));
    EXPECT_THAT(failures.GetTestPartResult(0).message(), HasSubstr("#1: juju status"));
}

class NoDirectoryFixture : protected Isolated, public CassetteTest {};

TEST_F(NoDirectoryFixture, CassettesLiveBesideTheTestSourceWhateverTheWorkingDirectory) {
    const fs::path expected = this_source_dir() / "cassettes" / "NoDirectoryFixture" /
                              "CassettesLiveBesideTheTestSourceWhateverTheWorkingDirectory.json";
    EXPECT_EQ(cassette_path(), expected);
    const fs::path cwd = fs::current_path();
    fs::current_path(dir.path());
    const fs::path elsewhere = cassette_path();
    fs::current_path(cwd);
    EXPECT_EQ(elsewhere, expected);
    EXPECT_EQ(jubilant::testkit::cassette_dir_beside(__FILE__), this_source_dir() / "cassettes");
}

TEST_F(NoDirectoryFixture, AMissingCassetteIsNamedByItsAbsolutePath) {
    const std::string message = error_of<jubilant::BackendError>([&] { juju(); });
    EXPECT_THAT(message, HasSubstr("no cassette to replay at '" + cassette_path().string() + "'"));
    EXPECT_TRUE(cassette_path().is_absolute());
}

TEST(CassetteDirBeside, AnUnfindableRelativeSourceSaysWhatToSet) {
    EXPECT_THAT(error_of<jubilant::Error>(
                    [] { jubilant::testkit::cassette_dir_beside("no/such/dir/x_test.cpp"); }),
                HasSubstr("pass CassetteOptions::dir an absolute directory or set "
                          "$JUBILANT_CASSETTE_DIR"));
}

TEST_F(ScopedCassetteTest, WithoutADirTheCassetteIsBesideTheCallersSource) {
    CassetteOptions here = options(RecordMode::passthrough);
    here.dir.clear();
    ScopedCassette cassette("c.json", here);
    EXPECT_EQ(cassette.path(), this_source_dir() / "cassettes" / "c.json");
}

TEST_F(ScopedCassetteTest, AnExceptionThroughTheScopeKeepsThePreviousCassette) {
    record({"version"});
    const Cassette before = Cassette::load(path());
    EXPECT_CALL(*inner, run(Command("deploy"))).WillOnce(ReturnStdout("half\n"));
    try {
        ScopedCassette cassette("deploy.json", options(RecordMode::new_episodes));
        cassette.juju().cli({"version"});
        cassette.juju().cli({"deploy"});
        throw std::runtime_error("the test's assertion failed");
    } catch (const std::runtime_error&) {}
    EXPECT_EQ(Cassette::load(path()), before);
    EXPECT_EQ(recorded_args(dir.path() / "deploy.failed.json"),
              (std::vector<std::vector<std::string>>{{"version"}, {"deploy"}}));
}

TEST_F(ScopedCassetteTest, AMissingCassetteMentionsAFailedRecording) {
    EXPECT_CALL(*inner, run(Command("deploy"))).WillOnce(ReturnStdout(""));
    {
        ScopedCassette cassette("deploy.json", options(RecordMode::once));
        cassette.juju().cli({"deploy"});
        cassette.finish(jubilant::RecordingOutcome::failed);
    }
    EXPECT_FALSE(fs::exists(path()));
    EXPECT_THAT(error_of<jubilant::BackendError>(
                    [&] { ScopedCassette c("deploy.json", options(RecordMode::none)); }),
                HasSubstr("A recording made by a failing run is at '" +
                          (dir.path() / "deploy.failed.json").string() + "'"));
}

TEST_F(CassetteFixture, ATemporaryModelThroughTheCassetteReplaysUnderANewName) {
    EXPECT_CALL(*inner, run(::testing::_)).Times(3).WillRepeatedly(ReturnStdout("ok\n"));
    std::string recorded;
    {
        jubilant::TempModel model(cassette().backend());
        recorded = model.model();
        model.juju().cli({"status"});
    }
    cassette().finish();
    ScopedEnv mode(jubilant::record_mode_env, std::string("none"));
    ScopedCassette replay(cassette_path(), {});
    {
        jubilant::TempModel model(replay.backend());
        EXPECT_NE(model.model(), recorded);
        EXPECT_EQ(model.juju().cli({"status"}), "ok\n");
    }
    EXPECT_TRUE(replay.recorder().unused().empty());
}

TEST_F(CassetteFixture, UnplayedInteractionsAreReportedPerTest) {
    record_version_and_status();
    // A fixture that allows unused interactions reports them instead of failing.
    class Lenient : public CassetteTest {
    public:
        explicit Lenient(CassetteOptions o) : CassetteTest(std::move(o)) {}
        void TestBody() override {}
        using CassetteTest::juju;
        using CassetteTest::TearDown;
    };
    Lenient lenient({.dir = {}, .default_mode = RecordMode::none});
    ScopedEnv dir_env(jubilant::cassette_dir_env, dir.path().string());
    lenient.juju().cli({"version"}, {.include_model = false, .stdin_text = {}});
    jubilant::test::LogCapture log;
    lenient.TearDown();
    EXPECT_THAT(log.text(), HasSubstr("1 recorded interaction(s) were never played:\n  #1: "
                                      "juju status"));
}

class ParameterizedCassette : public CassetteTest, public ::testing::WithParamInterface<int> {};

TEST_P(ParameterizedCassette, GetsAFileOfItsOwn) {
    EXPECT_EQ(jubilant::testkit::current_test_cassette(),
              fs::path(fmt::format("Prefix.ParameterizedCassette/GetsAFileOfItsOwn.{}.json",
                                   GetParam())));
}

INSTANTIATE_TEST_SUITE_P(Prefix, ParameterizedCassette, ::testing::Values(0, 1));

}  // namespace
