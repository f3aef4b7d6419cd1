// The Recorder's policy: modes, matchers, exhaustion, unused interactions, timeouts, virtual
// time and redaction, against in-process inner backends that count their calls.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/all_any.hpp>
#include <jubilant/cassette.hpp>
#include <jubilant/clock.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/recorder.hpp>
#include <jubilant/temp_model.hpp>
#include <jubilant/testing.hpp>

#include "support/stub_executable.hpp"

namespace {

using jubilant::BackendError;
using jubilant::CliRequest;
using jubilant::CliResult;
using jubilant::Recorder;
using jubilant::RecorderOptions;
using jubilant::RecordMode;
using jubilant::cassette::Cassette;
using jubilant::cassette::Interaction;
using jubilant::test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

// Answers every request from `answer` (default: echo argv to stdout) and counts the calls.
// Its clock is virtual and each call "takes" `call_time` on it, as a slow controller would.
class CountingBackend : public jubilant::CliBackend {
public:
    CliResult run(const CliRequest& request) override {
        ++calls;
        clock_->advance(call_time);
        if (answer) return answer(request);
        std::string out;
        for (const auto& arg : request.args) out += arg + ";";
        return {.returncode = 0, .stdout_text = out, .stderr_text = {}};
    }
    std::string name() const override { return "counting"; }
    std::shared_ptr<jubilant::Clock> clock() override { return clock_; }

    int calls = 0;
    std::chrono::seconds call_time{0};
    std::function<CliResult(const CliRequest&)> answer{};

private:
    std::shared_ptr<jubilant::VirtualClock> clock_ = std::make_shared<jubilant::VirtualClock>();
};

class RecorderTest : public ::testing::Test {
protected:
    std::filesystem::path path() const { return dir.path() / "c.json"; }

    // Records the given requests in mode `all` and returns the cassette as written.
    Cassette record(const std::vector<CliRequest>& requests, RecorderOptions options = {}) {
        options.mode = RecordMode::all;
        options.inner = inner;
        {
            Recorder recorder(path(), std::move(options));
            for (const auto& request : requests) recorder.run(request);
        }
        return Cassette::load(path());
    }

    Recorder replayer(RecorderOptions options = {}) {
        options.inner = inner;  // present, so the tests can prove it is not called
        return Recorder(path(), std::move(options));
    }

    TempDir dir;
    std::shared_ptr<CountingBackend> inner = std::make_shared<CountingBackend>();
};

std::string backend_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const BackendError& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected BackendError";
    return {};
}

CliRequest req(std::vector<std::string> args) { return {.args = std::move(args)}; }

// --- modes ----------------------------------------------------------------------------------

TEST_F(RecorderTest, ModeAllCallsTheInnerBackendAndWritesEveryInteraction) {
    const Cassette c = record({req({"status"}), req({"deploy", "pg"}), req({"status"})});
    EXPECT_EQ(inner->calls, 3);
    ASSERT_EQ(c.interactions.size(), 3u);
    EXPECT_EQ(c.interactions[1].args, (std::vector<std::string>{"deploy", "pg"}));
    EXPECT_EQ(c.interactions[1].stdout_text, "deploy;pg;");
    EXPECT_EQ(c.header.recorded_from, "counting");
    EXPECT_FALSE(c.header.created.empty());
    EXPECT_FALSE(std::filesystem::exists(jubilant::cassette::journal_path(path())));
}

TEST_F(RecorderTest, ModeAllReRecordsFromScratch) {
    record({req({"a"}), req({"b"})});
    const Cassette c = record({req({"c"})});
    ASSERT_EQ(c.interactions.size(), 1u);
    EXPECT_EQ(c.interactions[0].args, std::vector<std::string>{"c"});
    EXPECT_EQ(inner->calls, 3);
}

TEST_F(RecorderTest, ModeNoneReplaysWithoutCallingTheInnerBackend) {
    record({req({"status"}), req({"deploy", "pg"})});
    inner->answer = [](const CliRequest&) -> CliResult { throw std::logic_error("called"); };
    auto recorder = replayer({.mode = RecordMode::none});
    EXPECT_EQ(recorder.run(req({"status"})).stdout_text, "status;");
    EXPECT_EQ(recorder.run(req({"deploy", "pg"})).stdout_text, "deploy;pg;");
    EXPECT_EQ(inner->calls, 2);  // the recording's calls only
    EXPECT_EQ(recorder.name(), "replay");
}

TEST_F(RecorderTest, ModeNoneReplaysReturnCodesAndStderr) {
    inner->answer = [](const CliRequest&) {
        return CliResult{.returncode = 3, .stdout_text = "out", .stderr_text = "ERROR nope"};
    };
    record({req({"remove-unit", "x"})});
    auto recorder = replayer({.mode = RecordMode::none});
    const CliResult r = recorder.run(req({"remove-unit", "x"}));
    EXPECT_EQ(r.returncode, 3);
    EXPECT_EQ(r.stdout_text, "out");
    EXPECT_EQ(r.stderr_text, "ERROR nope");
}

TEST_F(RecorderTest, ModeNoneWithoutACassetteFails) {
    EXPECT_THAT(backend_error([&] { replayer({.mode = RecordMode::none}); }),
                HasSubstr("does not exist"));
}

// A cassette path of any size is cut in the message (its start, then "...(<n> bytes)").
void expect_cut_path(const std::string& message, const std::string& path) {
    EXPECT_LT(message.size(), 1000U) << message.substr(0, 300);
    EXPECT_THAT(message, HasSubstr(path.substr(0, 100)));
    EXPECT_THAT(message, HasSubstr(fmt::format("...({} bytes)", path.size())));
}

TEST_F(RecorderTest, AHugeMissingCassettePathIsCutInTheMessage) {
    const auto huge = dir.path() / std::string(1 << 20, 'c');
    const auto message =
        backend_error([&] { Recorder(huge, {.mode = RecordMode::none, .inner = inner}); });
    EXPECT_THAT(message, HasSubstr("does not exist"));
    expect_cut_path(message, huge.string());
}

TEST_F(RecorderTest, AHugeCassettePathThatCannotBeRecordedIsCutInTheMessage) {
    const auto huge = dir.path() / std::string(1 << 20, 'd') / "c.json";
    const auto message = backend_error([&] {
        Recorder recorder(huge, {.mode = RecordMode::all, .inner = inner});
        recorder.run(req({"status"}));
    });
    EXPECT_THAT(message, HasSubstr("cannot record"));
    expect_cut_path(message, huge.string());
}

TEST_F(RecorderTest, ModeOnceRecordsWhenTheCassetteIsMissingThenOnlyReplays) {
    {
        auto recorder = replayer({.mode = RecordMode::once});
        EXPECT_EQ(recorder.effective_mode(), RecordMode::all);
        recorder.run(req({"status"}));
        recorder.run(req({"version"}));
    }
    EXPECT_EQ(inner->calls, 2);
    auto recorder = replayer({.mode = RecordMode::once});
    EXPECT_EQ(recorder.effective_mode(), RecordMode::none);
    EXPECT_EQ(recorder.run(req({"status"})).stdout_text, "status;");
    EXPECT_EQ(recorder.run(req({"version"})).stdout_text, "version;");
    EXPECT_EQ(inner->calls, 2);
    // Once the cassette exists, an unrecorded request is an error, not a new recording.
    EXPECT_THROW(recorder.run(req({"models"})), BackendError);
    EXPECT_EQ(inner->calls, 2);
}

TEST_F(RecorderTest, ModeNewEpisodesReplaysMatchesAndRecordsTheRest) {
    record({req({"status"})});
    {
        auto recorder = replayer({.mode = RecordMode::new_episodes});
        EXPECT_EQ(recorder.run(req({"status"})).stdout_text, "status;");
        EXPECT_EQ(inner->calls, 1);  // replayed
        EXPECT_EQ(recorder.run(req({"deploy", "pg"})).stdout_text, "deploy;pg;");
        EXPECT_EQ(inner->calls, 2);  // recorded
    }
    const Cassette c = Cassette::load(path());
    ASSERT_EQ(c.interactions.size(), 2u);
    EXPECT_EQ(c.interactions[0].args, std::vector<std::string>{"status"});
    EXPECT_EQ(c.interactions[1].args, (std::vector<std::string>{"deploy", "pg"}));
}

TEST_F(RecorderTest, ModeNewEpisodesStartsACassetteThatDoesNotExist) {
    {
        auto recorder = replayer({.mode = RecordMode::new_episodes});
        recorder.run(req({"status"}));
    }
    EXPECT_EQ(inner->calls, 1);
    EXPECT_EQ(Cassette::load(path()).interactions.size(), 1u);
}

TEST_F(RecorderTest, ModePassthroughCallsTheInnerBackendAndRecordsNothing) {
    {
        auto recorder = replayer({.mode = RecordMode::passthrough});
        EXPECT_EQ(recorder.run(req({"status"})).stdout_text, "status;");
        EXPECT_EQ(recorder.name(), "passthrough");
    }
    EXPECT_EQ(inner->calls, 1);
    EXPECT_FALSE(std::filesystem::exists(path()));
    EXPECT_FALSE(std::filesystem::exists(jubilant::cassette::journal_path(path())));
}

TEST_F(RecorderTest, InnerBackendIsCreatedLazily) {
    record({req({"status"})});
    int made = 0;
    {
        Recorder recorder(path(), {.mode = RecordMode::none, .make_inner = [&] {
                                       ++made;
                                       return std::shared_ptr<jubilant::CliBackend>(inner);
                                   }});
        recorder.run(req({"status"}));
    }
    EXPECT_EQ(made, 0);
    {
        Recorder recorder(path(), {.mode = RecordMode::all, .make_inner = [&] {
                                       ++made;
                                       return std::shared_ptr<jubilant::CliBackend>(inner);
                                   }});
        recorder.run(req({"status"}));
        recorder.run(req({"status"}));
    }
    EXPECT_EQ(made, 1);
}

TEST(RecordMode, NamesRoundTrip) {
    for (auto mode : {RecordMode::none, RecordMode::once, RecordMode::new_episodes, RecordMode::all,
                      RecordMode::passthrough}) {
        EXPECT_EQ(jubilant::parse_record_mode(jubilant::to_string(mode)), mode);
    }
    EXPECT_EQ(jubilant::parse_record_mode("record"), std::nullopt);
    EXPECT_EQ(jubilant::to_string(RecordMode::new_episodes), "new_episodes");
}

// --- matching -------------------------------------------------------------------------------

TEST_F(RecorderTest, ExactArgvIsTheDefaultMatcher) {
    record({req({"deploy", "pg", "--channel", "stable"})});
    auto recorder = replayer();
    EXPECT_THROW(recorder.run(req({"deploy", "pg", "--channel", "edge"})), BackendError);
    EXPECT_EQ(recorder.run(req({"deploy", "pg", "--channel", "stable"})).returncode, 0);
}

TEST_F(RecorderTest, IgnoreModelDropsTheModelPairAfterTheFirstArgument) {
    record({req({"status", "--model", "rec-model", "--format", "json"})});
    const CliRequest live = req({"status", "--model", "other", "--format", "json"});
    auto exact = replayer();
    EXPECT_THROW(exact.run(live), BackendError);
    auto lenient = replayer({.match = {.ignore_model = true}});
    EXPECT_EQ(lenient.run(live).stdout_text, "status;--model;rec-model;--format;json;");
    // Only the pair Juju inserts is ignored: a different command still does not match.
    auto again = replayer({.match = {.ignore_model = true}});
    EXPECT_THROW(again.run(req({"status", "--model", "other", "--format", "yaml"})), BackendError);
}

TEST_F(RecorderTest, StdinAndTempFilesAreComparedByDefault) {
    record({{.args = {"exec", "x"}, .stdin_text = "one"},
            {.args = {"add-secret", "s", "--file", "{tmp:content.yaml}"},
             .temp_files = {{.name = "content.yaml", .content = "a: 1", .sensitive = false}}}});
    auto strict = replayer();
    EXPECT_THAT(backend_error([&] {
                    strict.run({.args = {"exec", "x"}, .stdin_text = "two"});
                }),
                HasSubstr("argv is identical; stdin or temp files differ"));

    auto strict2 = replayer();
    strict2.run({.args = {"exec", "x"}, .stdin_text = "one"});
    EXPECT_THROW(
        strict2.run(
            {.args = {"add-secret", "s", "--file", "{tmp:content.yaml}"},
             .temp_files = {{.name = "content.yaml", .content = "a: 2", .sensitive = false}}}),
        BackendError);

    auto lenient = replayer({.match = {.compare_input = false}});
    lenient.run({.args = {"exec", "x"}, .stdin_text = "two"});
    lenient.run({.args = {"add-secret", "s", "--file", "{tmp:content.yaml}"},
                 .temp_files = {{.name = "content.yaml", .content = "a: 2", .sensitive = false}}});
}

TEST_F(RecorderTest, SensitiveTempFilesMatchWhateverTheirContent) {
    record({{.args = {"add-credential", "c", "-f", "{tmp:cred.yaml}"},
             .temp_files = {{.name = "cred.yaml", .content = "old-secret"}}}});
    auto recorder = replayer();
    EXPECT_NO_THROW(recorder.run({.args = {"add-credential", "c", "-f", "{tmp:cred.yaml}"},
                                  .temp_files = {{.name = "cred.yaml", .content = "new"}}}));
}

TEST_F(RecorderTest, RedactedStdinMatchesAnyValueInItsPlace) {
    record({{.args = {"x"}, .stdin_text = "user=bob pass=hunter2 end"}},
           {.redaction = {.literals = {"hunter2"}}});
    auto ok = replayer();
    EXPECT_NO_THROW(ok.run({.args = {"x"}, .stdin_text = "user=bob pass=s3cr3t end"}));
    auto bad = replayer();
    EXPECT_THROW(bad.run({.args = {"x"}, .stdin_text = "user=eve pass=s3cr3t end"}), BackendError);
}

TEST_F(RecorderTest, CustomMatcherReplacesTheBuiltInComparison) {
    record({req({"deploy", "pg", "--revision", "12"})});
    auto recorder = replayer({.match = {.custom = [](const CliRequest& r, const Interaction& i) {
                                  return r.args.at(0) == i.args.at(0);
                              }}});
    EXPECT_EQ(recorder.run(req({"deploy", "other"})).stdout_text, "deploy;pg;--revision;12;");
    auto refusing = replayer(
        {.match = {.custom = [](const CliRequest&, const Interaction&) { return false; }}});
    EXPECT_THROW(refusing.run(req({"deploy", "pg", "--revision", "12"})), BackendError);
}

TEST_F(RecorderTest, OrderedMatchingRequiresTheRecordedOrder) {
    record({req({"a"}), req({"b"})});
    auto ordered = replayer();
    EXPECT_THAT(backend_error([&] { ordered.run(req({"b"})); }),
                HasSubstr("expected next: interaction #0: juju a"));
    auto unordered = replayer({.match = {.ordered = false}});
    EXPECT_EQ(unordered.run(req({"b"})).stdout_text, "b;");
    EXPECT_EQ(unordered.run(req({"a"})).stdout_text, "a;");
}

// --- exhaustion -----------------------------------------------------------------------------

TEST_F(RecorderTest, RepeatedRequestsAreServedInSequenceThenFailByDefault) {
    int n = 0;
    inner->answer = [&](const CliRequest&) {
        return CliResult{
            .returncode = 0, .stdout_text = fmt::format("poll {}", ++n), .stderr_text = {}};
    };
    record({req({"status"}), req({"status"})});
    auto recorder = replayer();
    EXPECT_EQ(recorder.run(req({"status"})).stdout_text, "poll 1");
    EXPECT_EQ(recorder.run(req({"status"})).stdout_text, "poll 2");
    EXPECT_THAT(backend_error([&] { recorder.run(req({"status"})); }),
                HasSubstr("repeats more often than recorded"));
}

TEST_F(RecorderTest, RepeatLastServesTheLastPlayedMatchAgain) {
    int n = 0;
    inner->answer = [&](const CliRequest& r) {
        return CliResult{.returncode = 0,
                         .stdout_text = fmt::format("{} {}", r.args[0], ++n),
                         .stderr_text = {}};
    };
    record({req({"status"}), req({"status"}), req({"version"})});
    for (bool ordered : {true, false}) {
        auto recorder = replayer(
            {.match = {.ordered = ordered}, .on_exhausted = jubilant::OnExhausted::repeat_last});
        EXPECT_EQ(recorder.run(req({"status"})).stdout_text, "status 1");
        EXPECT_EQ(recorder.run(req({"status"})).stdout_text, "status 2");
        EXPECT_EQ(recorder.run(req({"status"})).stdout_text, "status 2");
        EXPECT_EQ(recorder.run(req({"version"})).stdout_text, "version 3");
        EXPECT_EQ(recorder.run(req({"status"})).stdout_text, "status 2");
        // Never-recorded requests still fail.
        EXPECT_THROW(recorder.run(req({"models"})), BackendError);
    }
}

// --- the unmatched-request message ----------------------------------------------------------

TEST_F(RecorderTest, UnmatchedRequestMessageNamesRequestNearestDiffAndCassette) {
    record({req({"status"}), req({"deploy", "postgresql", "--channel", "stable", "--trust"}),
            req({"status"})});
    auto recorder = replayer();
    recorder.run(req({"status"}));
    const std::string message = backend_error([&] {
        recorder.run({.args = {"deploy", "postgresql", "--channel", "edge", "--trust"},
                      .stdin_text = "stdin-canary"});
    });
    const std::string expected = fmt::format(
        "replay: no recorded interaction matches request #1 (0-based) in cassette '{}' "
        "(mode none, ordered matching)\n"
        "  request: juju deploy postgresql --channel edge --trust\n"
        "  nearest: interaction #1 (not yet played): juju deploy postgresql --channel stable "
        "--trust\n"
        "  argv diff (- recorded, + request):\n"
        "    - --channel stable\n"
        "    + --channel edge",
        path().string());
    EXPECT_EQ(message, expected);
    EXPECT_THAT(message, Not(HasSubstr("stdin-canary")));
}

TEST_F(RecorderTest, UnmatchedMessageQuotesArgvAndShowsAddedAndRemovedElements) {
    record({req({"config", "app", "a=1 2"})});
    auto recorder = replayer();
    const std::string message = backend_error([&] {
        recorder.run(req({"config", "app", "b=3", "--reset", "x"}));
    });
    EXPECT_THAT(message, HasSubstr("request: juju config app b=3 --reset x\n"));
    EXPECT_THAT(message, HasSubstr("nearest: interaction #0 (not yet played): juju config app "
                                   "'a=1 2'\n"));
    EXPECT_THAT(message, HasSubstr("    - 'a=1 2'\n    + b=3\n    + --reset\n    + x"));
}

TEST_F(RecorderTest, UnmatchedMessageForAnEmptyCassette) {
    record({});
    auto recorder = replayer();
    EXPECT_THAT(backend_error([&] { recorder.run(req({"status"})); }),
                HasSubstr("nearest: none: the cassette is empty (its recording ran no command). "
                          "Record it against a controller with JUBILANT_RECORD_MODE=all"));
}

TEST_F(RecorderTest, UnmatchedMessageNeverContainsTempFileContent) {
    record({{.args = {"add-secret", "s", "{tmp:f}"},
             .temp_files = {{.name = "f", .content = "a", .sensitive = false}}}});
    auto recorder = replayer();
    const std::string message = backend_error([&] {
        recorder.run({.args = {"add-secret", "s", "{tmp:f}"},
                      .temp_files = {{.name = "f", .content = "tmp-canary", .sensitive = false}}});
    });
    EXPECT_THAT(message, HasSubstr("contents not shown"));
    EXPECT_THAT(message, Not(HasSubstr("tmp-canary")));
}

// --- unused interactions --------------------------------------------------------------------

TEST_F(RecorderTest, UnusedInteractionsAreReportedWhenNotAllowed) {
    record({req({"a"}), req({"b"}), req({"c"})});
    auto recorder = replayer({.allow_unused = false});
    recorder.run(req({"a"}));
    const auto left = recorder.unused();
    ASSERT_EQ(left.size(), 2u);
    EXPECT_EQ(left[0].index, 1u);
    EXPECT_EQ(left[1].interaction.args, std::vector<std::string>{"c"});
    try {
        recorder.finish();
        FAIL() << "finish() should throw";
    } catch (const jubilant::Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("2 recorded interaction(s)"));
        EXPECT_THAT(e.what(), HasSubstr("#1: juju b\n  #2: juju c"));
    }
}

TEST_F(RecorderTest, UnusedInteractionsAreFineByDefault) {
    record({req({"a"}), req({"b"})});
    auto recorder = replayer();
    recorder.run(req({"a"}));
    EXPECT_EQ(recorder.unused().size(), 1u);
    EXPECT_NO_THROW(recorder.finish());
}

TEST_F(RecorderTest, DestructorReportsUnusedInteractionsInTheLog) {
    record({req({"a"}), req({"b"})});
    jubilant::test::LogCapture log;
    {
        auto recorder = replayer({.allow_unused = false});
        recorder.run(req({"a"}));
    }
    EXPECT_THAT(log.text(), HasSubstr("#1: juju b"));
}

// --- timeouts -------------------------------------------------------------------------------

TEST_F(RecorderTest, TimeoutsAreRecordedRethrownAndReplayed) {
    inner->answer = [](const CliRequest& r) -> CliResult {
        std::vector<std::string> argv{"juju"};
        argv.insert(argv.end(), r.args.begin(), r.args.end());
        throw jubilant::CLITimeoutError(argv, 1500ms, "partial out", "partial err");
    };
    {
        Recorder recorder(path(), {.mode = RecordMode::all, .inner = inner});
        EXPECT_THROW(recorder.run({.args = {"exec", "u/0", "--", "sleep", "9"}, .timeout = 1500ms}),
                     jubilant::CLITimeoutError);
    }
    const Cassette c = Cassette::load(path());
    ASSERT_EQ(c.interactions.size(), 1u);
    EXPECT_TRUE(c.interactions[0].timed_out);
    EXPECT_EQ(c.interactions[0].stdout_text, "partial out");

    auto recorder = replayer();
    try {
        recorder.run({.args = {"exec", "u/0", "--", "sleep", "9"}, .timeout = 1500ms});
        FAIL() << "expected CLITimeoutError";
    } catch (const jubilant::CLITimeoutError& e) {
        EXPECT_EQ(e.timeout(), 1500ms);
        EXPECT_EQ(e.partial_stdout(), "partial out");
        EXPECT_EQ(e.partial_stderr(), "partial err");
        EXPECT_EQ(e.args(), (std::vector<std::string>{"juju", "exec", "u/0", "--", "sleep", "9"}));
    }
    EXPECT_EQ(inner->calls, 1);
}

TEST_F(RecorderTest, BackendErrorsFromTheInnerBackendAreNotRecorded) {
    inner->answer = [](const CliRequest&) -> CliResult { throw BackendError("no juju"); };
    {
        Recorder recorder(path(), {.mode = RecordMode::all, .inner = inner});
        EXPECT_THROW(recorder.run(req({"status"})), BackendError);
        EXPECT_EQ(recorder.recorded(), 0u);
    }
    // Nothing ran, so nothing is written: an empty cassette would replay nothing.
    EXPECT_FALSE(std::filesystem::exists(path()));
    EXPECT_FALSE(std::filesystem::exists(jubilant::cassette::journal_path(path())));
}

// --- files and redaction --------------------------------------------------------------------

TEST_F(RecorderTest, CassetteFileIsOwnerOnly) {
    record({req({"status"})});
    struct stat st {};
    ASSERT_EQ(::stat(path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600);
}

TEST_F(RecorderTest, RedactionHappensBeforeAnythingReachesDisk) {
    const std::string tmp_canary = "TMPCANARY-7f3a";
    const std::string out_canary = "OUTCANARY-91bc";
    inner->answer = [&](const CliRequest&) {
        return CliResult{.returncode = 0,
                         .stdout_text = "value: " + out_canary + "\n",
                         .stderr_text = "also " + out_canary};
    };
    Recorder recorder(
        path(), {.mode = RecordMode::all, .inner = inner, .redaction = {.literals = {out_canary}}});
    const CliResult live =
        recorder.run({.args = {"add-secret", "s", "--file", "{tmp:content.yaml}"},
                      .temp_files = {{.name = "content.yaml", .content = "k: " + tmp_canary}}});
    // The caller still sees the real output; only the recording is redacted.
    EXPECT_THAT(live.stdout_text, HasSubstr(out_canary));

    // Mid-recording, the journal is what is on disk.
    const auto journal = jubilant::cassette::journal_path(path());
    ASSERT_TRUE(std::filesystem::exists(journal));
    const std::string journal_bytes = jubilant::test::read_file(journal);
    EXPECT_THAT(journal_bytes, Not(HasSubstr(tmp_canary)));
    EXPECT_THAT(journal_bytes, Not(HasSubstr(out_canary)));

    recorder.finish();
    const std::string bytes = jubilant::test::read_file(path());
    EXPECT_THAT(bytes, Not(HasSubstr(tmp_canary)));
    EXPECT_THAT(bytes, Not(HasSubstr(out_canary)));
    const Cassette c = Cassette::load(path());
    ASSERT_EQ(c.interactions.size(), 1u);
    EXPECT_THAT(c.interactions[0].stdout_text, HasSubstr(jubilant::cassette::redacted_marker));
    EXPECT_TRUE(c.interactions[0].temp_files.at(0).redacted);
    EXPECT_GE(c.header.redactions, 2);
}

// --- virtual time ---------------------------------------------------------------------------

std::string app_status_json(const std::string& workload, int poll) {
    return fmt::format(
        R"({{"model": {{"name": "m", "type": "caas", "controller": "k8s", "cloud": "microk8s",)"
        R"( "version": "3.6.1"}}, "machines": {{}}, "applications": {{"pg": {{)"
        R"("charm": "postgresql-k8s", "charm-origin": "charmhub", "charm-name": "postgresql-k8s",)"
        R"( "charm-rev": 1, "exposed": false, "application-status": {{"current": "{0}",)"
        R"( "message": "poll {1}"}}, "units": {{"pg/0": {{"workload-status": {{"current": "{0}",)"
        R"( "message": "poll {1}"}}, "juju-status": {{"current": "idle"}}}}}}}}}},)"
        R"( "controller": {{"timestamp": "10:00:{1:02}"}}}})",
        workload, poll % 60);
}

TEST_F(RecorderTest, RecordedWaitReplaysInstantlyWithTheSameResult) {
    // 47 "waiting" polls, then active: wait returns after the third active poll in a row.
    int polls = 0;
    inner->call_time = 2s;
    inner->answer = [&](const CliRequest& r) {
        EXPECT_EQ(r.args, (std::vector<std::string>{"status", "--format", "json"}));
        ++polls;
        return CliResult{.returncode = 0,
                         .stdout_text = app_status_json(polls > 47 ? "active" : "waiting", polls),
                         .stderr_text = {}};
    };
    jubilant::Status recorded;
    {
        auto recorder = std::make_shared<Recorder>(
            path(), RecorderOptions{.mode = RecordMode::all, .inner = inner});
        jubilant::Juju juju(recorder);
        recorded = juju.wait(jubilant::all_active, {.timeout = std::chrono::minutes(10)});
    }
    ASSERT_EQ(polls, 50);
    ASSERT_EQ(Cassette::load(path()).interactions.size(), 50u);
    EXPECT_EQ(Cassette::load(path()).interactions[0].duration, 2s);

    auto replay = std::make_shared<Recorder>(
        path(), RecorderOptions{.mode = RecordMode::none, .allow_unused = false});
    jubilant::Juju juju(replay);
    const jubilant::Status replayed =
        juju.wait(jubilant::all_active, {.timeout = std::chrono::minutes(10)});
    EXPECT_EQ(replayed, recorded);
    EXPECT_EQ(replayed.apps.at("pg").app_status.message, "poll 50");
    EXPECT_EQ(polls, 50);  // the inner backend was not used again
    EXPECT_TRUE(replay->unused().empty());
    EXPECT_NO_THROW(replay->finish());
    // 50 calls of 2 s each plus 49 one-second pauses, all virtual.
    auto clock = replay->clock();
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(clock->now().time_since_epoch()),
              149s);
}

TEST_F(RecorderTest, RecordedWaitTimeoutAlsoReproduces) {
    int polls = 0;
    inner->call_time = 2s;
    inner->answer = [&](const CliRequest&) {
        ++polls;
        return CliResult{
            .returncode = 0, .stdout_text = app_status_json("waiting", polls), .stderr_text = {}};
    };
    std::string recorded_message;
    {
        auto recorder = std::make_shared<Recorder>(
            path(), RecorderOptions{.mode = RecordMode::all, .inner = inner});
        jubilant::Juju juju(recorder);
        try {
            juju.wait(jubilant::all_active, {.timeout = 30s});
            FAIL() << "expected TimeoutError";
        } catch (const jubilant::TimeoutError& e) {
            recorded_message = e.what();
        }
    }
    // Polls at 0, 3, ..., 27 virtual seconds.
    ASSERT_EQ(polls, 10);

    // Without the recorded durations, replay would poll 30 times and run out of recordings
    // instead of timing out.
    auto replay = std::make_shared<Recorder>(
        path(), RecorderOptions{.mode = RecordMode::none, .allow_unused = false});
    jubilant::Juju juju(replay);
    try {
        juju.wait(jubilant::all_active, {.timeout = 30s});
        FAIL() << "expected TimeoutError";
    } catch (const jubilant::TimeoutError& e) {
        EXPECT_EQ(std::string(e.what()), recorded_message);
    }
    EXPECT_EQ(polls, 10);
    EXPECT_NO_THROW(replay->finish());
}

TEST_F(RecorderTest, ClockIsVirtualOnlyWhenReplayingOnly) {
    record({req({"status"})});
    auto replay = replayer();
    EXPECT_NE(dynamic_cast<jubilant::VirtualClock*>(replay.clock().get()), nullptr);
    auto recording = replayer({.mode = RecordMode::all});
    EXPECT_EQ(recording.clock(), inner->clock());
    // Passthrough: the inner backend's clock, whatever it is (a mock's is virtual).
    auto mock = std::make_shared<jubilant::testkit::MockBackend>();
    Recorder passthrough(path(), {.mode = RecordMode::passthrough, .inner = mock});
    EXPECT_EQ(passthrough.clock(), mock->clock());
    EXPECT_NE(passthrough.clock(), jubilant::system_clock());
}

// --- failed tests, empty recordings ----------------------------------------------------------

TEST_F(RecorderTest, AFailedRecordingInModeOnceIsKeptAsideNotWritten) {
    {
        Recorder recorder(path(), {.mode = RecordMode::once, .inner = inner});
        recorder.run(req({"deploy", "pg"}));
        recorder.finish(jubilant::RecordingOutcome::failed);
        EXPECT_EQ(recorder.kept_aside(), dir.path() / "c.failed.json");
    }
    EXPECT_FALSE(std::filesystem::exists(path()));
    EXPECT_EQ(Cassette::load(dir.path() / "c.failed.json").interactions.size(), 1u);
    EXPECT_EQ(jubilant::failed_recording_path("/a/b.json"),
              std::filesystem::path("/a/b.failed.json"));
    EXPECT_EQ(jubilant::failed_recording_path("/a/b"), std::filesystem::path("/a/b.failed.json"));

    // The next successful recording replaces the file kept aside.
    {
        Recorder recorder(path(), {.mode = RecordMode::once, .inner = inner});
        recorder.run(req({"deploy", "pg"}));
    }
    EXPECT_TRUE(std::filesystem::exists(path()));
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "c.failed.json"));
}

TEST_F(RecorderTest, AFailedRecordingInModeNewEpisodesKeepsThePreviousCassette) {
    const Cassette before = record({req({"status"})});
    jubilant::test::LogCapture log;
    {
        Recorder recorder(path(), {.mode = RecordMode::new_episodes, .inner = inner});
        recorder.run(req({"status"}));
        recorder.run(req({"deploy", "broken"}));
        recorder.finish(jubilant::RecordingOutcome::failed);
    }
    EXPECT_EQ(Cassette::load(path()), before);
    const Cassette failed = Cassette::load(dir.path() / "c.failed.json");
    ASSERT_EQ(failed.interactions.size(), 2u);
    EXPECT_EQ(failed.interactions[1].args, (std::vector<std::string>{"deploy", "broken"}));
    EXPECT_THAT(log.text(), HasSubstr("the test failed while recording: cassette '" +
                                      path().string() + "' is unchanged"));
    EXPECT_THAT(log.text(), HasSubstr((dir.path() / "c.failed.json").string()));
}

TEST_F(RecorderTest, AFailedRecordingInModeAllStillReRecords) {
    record({req({"status"})});
    {
        Recorder recorder(path(), {.mode = RecordMode::all, .inner = inner});
        recorder.run(req({"models"}));
        recorder.finish(jubilant::RecordingOutcome::failed);
        EXPECT_FALSE(recorder.kept_aside());
    }
    EXPECT_EQ(Cassette::load(path()).interactions.at(0).args, std::vector<std::string>{"models"});
}

TEST_F(RecorderTest, ARecordingInWhichNothingRanNeverReplacesTheCassette) {
    const Cassette before = record({req({"status"})});
    inner->answer = [](const CliRequest&) -> CliResult { throw BackendError("juju not found"); };
    for (const auto mode : {RecordMode::all, RecordMode::new_episodes}) {
        {
            Recorder recorder(path(), {.mode = mode, .inner = inner});
            EXPECT_THROW(recorder.run(req({"deploy"})), BackendError);
        }
        EXPECT_EQ(Cassette::load(path()), before) << jubilant::to_string(mode);
    }
}

TEST_F(RecorderTest, MessagesNameTheCassetteByItsAbsolutePath) {
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    Recorder recorder("relative.json", {.mode = RecordMode::all, .inner = inner});
    std::filesystem::current_path(cwd);
    EXPECT_EQ(recorder.cassette_path(), dir.path() / "relative.json");
    recorder.run(req({"status"}));
    recorder.finish();
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "relative.json"));
    Recorder replay(dir.path() / "relative.json", {.mode = RecordMode::none});
    replay.run(req({"status"}));
    EXPECT_THAT(backend_error([&] { replay.run(req({"deploy"})); }),
                HasSubstr("in cassette '" + (dir.path() / "relative.json").string() + "'"));
}

// --- generated names, snap copies, placeholders ----------------------------------------------

TEST_F(RecorderTest, GeneratedModelNamesAreBoundToTheRecordedOnes) {
    inner->answer = [](const CliRequest& r) {
        std::string out = "model: ";
        for (const auto& arg : r.args) out += arg + " ";
        return CliResult{.returncode = 0, .stdout_text = out, .stderr_text = {}};
    };
    record({req({"add-model", "jubilant-0000aaaa"}),
            req({"status", "--model", "ctl:jubilant-0000aaaa"}),
            req({"destroy-model", "jubilant-0000aaaa", "--no-prompt"})});

    auto replay = replayer({.allow_unused = false});
    EXPECT_EQ(replay.run(req({"add-model", "jubilant-1234beef"})).stdout_text,
              "model: add-model jubilant-1234beef ");
    EXPECT_EQ(replay.generated_names().at("jubilant-0000aaaa"), "jubilant-1234beef");
    // Once bound, the recorded name answers only to its live name.
    EXPECT_THAT(backend_error([&] {
                    replay.run(req({"status", "--model", "ctl:jubilant-99999999"}));
                }),
                HasSubstr("no recorded interaction matches request #1"));
    EXPECT_EQ(replay.run(req({"status", "--model", "ctl:jubilant-1234beef"})).stdout_text,
              "model: status --model ctl:jubilant-1234beef ");
    replay.run(req({"destroy-model", "jubilant-1234beef", "--no-prompt"}));
    EXPECT_NO_THROW(replay.finish());
    EXPECT_EQ(inner->calls, 3);  // the recording only

    // Only names shaped like the generated ones are bound; others still must match exactly.
    auto strict = replayer();
    EXPECT_THROW(strict.run(req({"add-model", "jubilant-0000aaab-x"})), BackendError);
    auto off = replayer({.match = {.generated_names = false}});
    EXPECT_THROW(off.run(req({"add-model", "jubilant-1234beef"})), BackendError);
}

TEST_F(RecorderTest, TempModelInsideACassetteRecordsAndReplaysUnchanged) {
    auto backend = [&](RecordMode mode) {
        return std::make_shared<Recorder>(
            path(), RecorderOptions{.mode = mode, .inner = inner, .allow_unused = false});
    };
    std::string recorded_name;
    {
        auto recording = backend(RecordMode::all);
        jubilant::TempModel model(recording);
        recorded_name = model.model();
        model.juju().cli({"status"});
    }
    std::string replayed_name;
    {
        auto replay = backend(RecordMode::none);
        {
            jubilant::TempModel model(replay);
            replayed_name = model.model();
            EXPECT_EQ(model.juju().cli({"status"}), "status;--model;" + replayed_name + ";");
        }
        EXPECT_NO_THROW(replay->finish());
    }
    EXPECT_NE(recorded_name, replayed_name);  // two random names; the replay still matched
    EXPECT_EQ(inner->calls, 3);  // add-model, status, destroy-model: all while recording
}

TEST_F(RecorderTest, ASnapCopyAndThePathItStandsForMatchBothWays) {
    const CliRequest snap{
        .args = {"deploy", "{tmp:_temp.charm}", "--resource", "img={tmp:img.tar}"},
        .temp_files = {{.name = "_temp.charm", .content = "zip", .sensitive = false},
                       {.name = "img.tar", .content = "tar", .sensitive = false}}};
    const CliRequest plain{.args = {"deploy", "./my.charm", "--resource", "img=/home/u/img.tar"}};

    record({snap});
    EXPECT_NO_THROW(replayer().run(plain));
    record({plain});
    EXPECT_NO_THROW(replayer().run(snap));

    // A copy never stands for something that is not a local path, nor with other arguments.
    EXPECT_THROW(replayer().run(req({"deploy", "postgresql", "--resource", "img=/home/u/img.tar"})),
                 BackendError);
    EXPECT_THROW(replayer({.match = {.temp_file_copies = false}}).run(snap), BackendError);
}

TEST_F(RecorderTest, PlaceholdersKeepAValueOutOfTheCassetteAndBringItBack) {
    const std::vector<jubilant::Placeholder> placeholders{
        {.name = "EMAIL", .value = "ops@example.com"}};
    inner->answer = [](const CliRequest&) {
        return CliResult{.returncode = 0,
                         .stdout_text = R"({"admin-email":"ops@example.com"})",
                         .stderr_text = {}};
    };
    const CliRequest set{.args = {"config", "webapp", "admin-email=ops@example.com"}};
    record({set}, {.placeholders = placeholders});
    const std::string text = jubilant::test::read_file(path());
    EXPECT_THAT(text, Not(HasSubstr("ops@example.com")));
    EXPECT_THAT(text, HasSubstr("admin-email=<EMAIL>"));

    auto replay = replayer({.placeholders = placeholders});
    EXPECT_EQ(replay.run(set).stdout_text, R"({"admin-email":"ops@example.com"})");
    // Without the placeholder, replay sees the cassette as written.
    auto raw = replayer();
    EXPECT_THROW(raw.run(set), BackendError);

    // New episodes keep the placeholder in what was there before.
    {
        Recorder more(
            path(),
            {.mode = RecordMode::new_episodes, .inner = inner, .placeholders = placeholders});
        more.run(set);
        more.run(req({"status"}));
    }
    EXPECT_THAT(jubilant::test::read_file(path()), Not(HasSubstr("ops@example.com")));

    for (const auto& bad : std::vector<jubilant::Placeholder>{{.name = "", .value = "x"},
                                                              {.name = "a b", .value = "x"},
                                                              {.name = "redacted", .value = "x"},
                                                              {.name = "E", .value = ""}}) {
        EXPECT_THROW(
            Recorder(path(), {.mode = RecordMode::all, .inner = inner, .placeholders = {bad}}),
            jubilant::Error)
            << bad.name;
    }
}

// --- header and staleness --------------------------------------------------------------------

TEST_F(RecorderTest, TheHeaderRecordsTheJujuVersionTheOutputShows) {
    inner->answer = [](const CliRequest& r) {
        if (r.args.at(0) == "version") {
            return CliResult{
                .returncode = 0, .stdout_text = "3.6.4-genericlinux-amd64\n", .stderr_text = {}};
        }
        return CliResult{
            .returncode = 0,
            .stdout_text = R"({"model":{"name":"m","version":"3.5.0"},"applications":{}})",
            .stderr_text = {}};
    };
    EXPECT_EQ(record({req({"status", "--format", "json"})}).header.juju_version, "3.5.0");
    EXPECT_EQ(record({req({"version"}), req({"status"})}).header.juju_version,
              "3.6.4-genericlinux-amd64");
    const Cassette plain = record({req({"deploy", "x"})});
    EXPECT_FALSE(plain.header.juju_version);
    EXPECT_FALSE(plain.header.created.empty());
}

TEST(Staleness, OldOrOtherMajorCassettesAreStale) {
    jubilant::cassette::Header header{.created = "2026-01-01T00:00:00Z", .juju_version = "2.9.49"};
    const auto now = std::chrono::sys_days{std::chrono::year{2026} / 5 / 1};
    EXPECT_FALSE(jubilant::staleness(header, {}, now));
    EXPECT_FALSE(jubilant::staleness(header, {.max_age = std::chrono::days(200)}, now));
    EXPECT_EQ(jubilant::staleness(header, {.max_age = std::chrono::days(90)}, now),
              "recorded 2026-01-01T00:00:00Z, 120 days ago (max age 90 days)");
    EXPECT_EQ(jubilant::staleness(header, {.juju_major = 3}, now),
              "recorded with Juju 2.9.49 (expected major version 3)");
    EXPECT_FALSE(jubilant::staleness(header, {.juju_major = 2}, now));
    header.juju_version.reset();
    header.created.clear();
    EXPECT_FALSE(
        jubilant::staleness(header, {.max_age = std::chrono::days(1), .juju_major = 3}, now));
}

TEST_F(RecorderTest, AStaleCassetteWarnsOrFails) {
    Cassette old;
    old.header.created = "2020-01-01T00:00:00Z";
    old.header.juju_version = "2.9.0";
    old.save(path());
    {
        jubilant::test::LogCapture log;
        auto replay = replayer({.stale = {.max_age = std::chrono::days(30)}});
        EXPECT_THAT(log.text(), HasSubstr("cassette '" + path().string() +
                                          "' is stale: recorded "
                                          "2020-01-01T00:00:00Z"));
    }
    EXPECT_THAT(backend_error([&] { replayer({.stale = {.juju_major = 3, .fail = true}}); }),
                HasSubstr("recorded with Juju 2.9.0 (expected major version 3). Re-record it"));
}

TEST(StalenessFromEnv, ReadsTheThreeVariables) {
    using jubilant::test::ScopedEnv;
    ScopedEnv age(jubilant::cassette_max_age_env, std::string("90d"));
    ScopedEnv major(jubilant::juju_major_env, std::string("3"));
    ScopedEnv on(jubilant::on_stale_env, std::string("fail"));
    const auto policy = jubilant::staleness_from_env();
    EXPECT_EQ(policy.max_age, std::chrono::days(90));
    EXPECT_EQ(policy.juju_major, 3);
    EXPECT_TRUE(policy.fail);
    ScopedEnv bad(jubilant::on_stale_env, std::string("explode"));
    EXPECT_THROW(jubilant::staleness_from_env(), jubilant::Error);
    ScopedEnv bad_age(jubilant::cassette_max_age_env, std::string("ninety"));
    EXPECT_THROW(jubilant::staleness_from_env(), jubilant::Error);
}

}  // namespace
