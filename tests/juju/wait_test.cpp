// Juju::wait against a MockBackend whose clock is virtual: every wait below "takes" seconds or
// minutes but runs instantly, and the tests check exactly how much virtual time passed.
#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/all_any.hpp>
#include <jubilant/clock.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/format.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/testing.hpp>

#include "support/stub_executable.hpp"

namespace {

using jubilant::Status;
using jubilant::testkit::Args;
using jubilant::testkit::ReturnFailure;
using jubilant::testkit::ReturnStdout;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

class VirtualTimeBackend : public jubilant::testkit::MockBackend {
public:
    std::shared_ptr<jubilant::Clock> clock() override { return virtual_clock; }

    /// Virtual time spent so far.
    std::chrono::duration<double> elapsed() const {
        return virtual_clock->now() - jubilant::Clock::time_point{};
    }

    std::shared_ptr<jubilant::VirtualClock> virtual_clock =
        std::make_shared<jubilant::VirtualClock>();
};

const std::string minimal_json = R"({
    "model": {"name": "mdl", "type": "typ", "controller": "ctl", "cloud": "aws",
              "version": "3.0.0"},
    "machines": {},
    "applications": {}
})";

struct UnitSpec {
    std::string workload = "active";
    std::string message = "started";
};

// A status with one app "pg" and units pg/0, pg/1, ... Every status has `.since` fields and a
// controller timestamp, which the diff must leave out.
std::string pg_json(const std::string& app_status, const std::string& app_message,
                    const std::vector<UnitSpec>& units, const std::string& since = "10:00",
                    const std::string& timestamp = "10:00:01") {
    std::string units_json;
    for (std::size_t i = 0; i < units.size(); ++i) {
        if (i > 0) units_json += ", ";
        units_json += fmt::format(
            R"("pg/{}": {{"workload-status": {{"current": "{}", "message": "{}",)"
            R"( "since": "{}"}}, "juju-status": {{"current": "idle", "since": "{}"}}}})",
            i, units[i].workload, units[i].message, since, since);
    }
    return fmt::format(
        R"({{"model": {{"name": "tt", "type": "caas", "controller": "k8s", "cloud": "microk8s",)"
        R"( "version": "3.6.1"}}, "machines": {{}}, "applications": {{"pg": {{)"
        R"("charm": "postgresql-k8s", "charm-origin": "charmhub", "charm-name": "postgresql-k8s",)"
        R"( "charm-rev": 1, "exposed": false, "application-status": {{"current": "{}",)"
        R"( "message": "{}", "since": "{}"}}, "units": {{{}}}}}}},)"
        R"( "controller": {{"timestamp": "{}"}}}})",
        app_status, app_message, since, units_json, timestamp);
}

const std::vector<std::string> status_args = {"status", "--format", "json"};

bool always(const Status&) { return true; }
bool never(const Status&) { return false; }

// The log text split into lines (the capture ends each record with a newline).
std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        lines.push_back(text.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return lines;
}

class WaitTest : public ::testing::Test {
protected:
    std::shared_ptr<VirtualTimeBackend> backend = std::make_shared<VirtualTimeBackend>();
    jubilant::Juju juju{backend};
};

TEST_F(WaitTest, ReturnsAfterThreeSuccessesByDefault) {
    EXPECT_CALL(*backend, run(Args(status_args)))
        .Times(3)
        .WillRepeatedly(ReturnStdout(minimal_json));

    const Status status = juju.wait(always);

    EXPECT_EQ(status, Status::from_json(minimal_json));
    // Three polls with a one-second pause after each of the first two.
    EXPECT_EQ(backend->elapsed(), 2s);
}

TEST_F(WaitTest, SuccessCounterResetsWhenReadyReturnsFalse) {
    EXPECT_CALL(*backend, run(Args(status_args)))
        .Times(5)
        .WillRepeatedly(ReturnStdout(minimal_json));
    int calls = 0;
    // ready, not ready, ready, ready, ready.
    juju.wait([&calls](const Status&) { return ++calls != 2; });

    EXPECT_EQ(calls, 5);
    EXPECT_EQ(backend->elapsed(), 4s);
}

TEST_F(WaitTest, HonoursDelayAndSuccesses) {
    EXPECT_CALL(*backend, run(Args(status_args)))
        .Times(5)
        .WillRepeatedly(ReturnStdout(minimal_json));

    juju.wait(always, {.delay = 750ms, .successes = 5});

    EXPECT_EQ(backend->elapsed(), 3s);
}

TEST_F(WaitTest, ReturnsTheLastStatus) {
    EXPECT_CALL(*backend, run(Args(status_args)))
        .WillOnce(ReturnStdout(pg_json("waiting", "", {{"waiting", ""}})))
        .WillOnce(ReturnStdout(pg_json("active", "ok", {{"active", "ok"}})))
        .WillOnce(ReturnStdout(pg_json("active", "done", {{"active", "done"}})));

    const Status status = juju.wait(jubilant::any_active, {.successes = 2});

    EXPECT_EQ(status.apps.at("pg").app_status.message, "done");
}

TEST_F(WaitTest, AcceptsHelpersDirectlyAndInLambdas) {
    EXPECT_CALL(*backend, run(Args(status_args)))
        .Times(2)
        .WillRepeatedly(ReturnStdout(pg_json("active", "", {{"active", ""}})));

    juju.wait(jubilant::all_active, {.error = jubilant::any_error, .successes = 1});
    juju.wait(
        [](const Status& s) { return jubilant::all_active(s, {"pg"}); },
        {.error = [](const Status& s) { return jubilant::any_error(s, {"pg"}); }, .successes = 1});
}

TEST_F(WaitTest, ErrorPredicateThrowsWaitErrorNamingItWithTheStatus) {
    EXPECT_CALL(*backend, run(Args(status_args)))
        .WillOnce(ReturnStdout(pg_json("error", "hook failed", {{"error", "hook failed"}})));

    try {
        juju.wait(jubilant::all_active, {.error = jubilant::any_error});
        FAIL() << "expected WaitError";
    } catch (const jubilant::WaitError& e) {
        const std::string message = e.what();
        EXPECT_THAT(message,
                    ::testing::StartsWith("error function jubilant::any_error returned true\n"));
        EXPECT_THAT(message, HasSubstr("hook failed"));
        EXPECT_THAT(message, HasSubstr(fmt::format(
                                 "{}", Status::from_json(pg_json("error", "hook failed",
                                                                 {{"error", "hook failed"}})))));
    }
    // Thrown on the first poll, before any pause.
    EXPECT_EQ(backend->elapsed(), 0s);
}

TEST_F(WaitTest, ErrorPredicateIsCheckedBeforeReady) {
    EXPECT_CALL(*backend, run(Args(status_args))).WillOnce(ReturnStdout(minimal_json));

    EXPECT_THROW(juju.wait(always, {.error = always, .successes = 1}), jubilant::WaitError);
}

TEST_F(WaitTest, WaitErrorNamesOtherCallablesByType) {
    EXPECT_CALL(*backend, run(Args(status_args))).WillOnce(ReturnStdout(minimal_json));

    try {
        juju.wait(always, {.error = [](const Status& s) { return s.model.name == "mdl"; }});
        FAIL() << "expected WaitError";
    } catch (const jubilant::WaitError& e) {
        EXPECT_THAT(e.what(), ::testing::StartsWith("error function "));
        EXPECT_THAT(e.what(), HasSubstr("lambda"));
        EXPECT_THAT(e.what(), HasSubstr(" returned true\n"));
        EXPECT_THAT(e.what(), HasSubstr("mdl"));
    }
}

TEST_F(WaitTest, TimesOutAfterTheDefaultWaitTimeout) {
    // wait_timeout defaults to three minutes: 180 polls one virtual second apart.
    EXPECT_CALL(*backend, run(Args(status_args)))
        .Times(180)
        .WillRepeatedly(ReturnStdout(minimal_json));

    try {
        juju.wait(never);
        FAIL() << "expected TimeoutError";
    } catch (const jubilant::TimeoutError& e) {
        EXPECT_EQ(std::string(e.what()),
                  fmt::format("wait timed out after 180s\n{}", Status::from_json(minimal_json)));
    }
    EXPECT_EQ(backend->elapsed(), 180s);
}

TEST_F(WaitTest, TimeoutOptionOverridesTheDefault) {
    juju.set_wait_timeout(1h);
    EXPECT_CALL(*backend, run(Args(status_args)))
        .Times(5)
        .WillRepeatedly(ReturnStdout(minimal_json));

    EXPECT_THROW(juju.wait(never, {.timeout = 5s}), jubilant::TimeoutError);
    EXPECT_EQ(backend->elapsed(), 5s);
}

TEST_F(WaitTest, TimeoutCountsTheTimeStatusCallsTake) {
    // Each status call itself takes 2 virtual seconds, so polls start at 0, 3, 6 and 9.
    EXPECT_CALL(*backend, run(Args(status_args)))
        .Times(4)
        .WillRepeatedly([this](const jubilant::CliRequest&) {
            backend->virtual_clock->advance(2s);
            return jubilant::CliResult{
                .returncode = 0, .stdout_text = minimal_json, .stderr_text = {}};
        });

    EXPECT_THROW(juju.wait(never, {.timeout = 10s}), jubilant::TimeoutError);
    EXPECT_EQ(backend->elapsed(), 12s);
}

TEST_F(WaitTest, ZeroTimeoutMakesNoCallsAndReportsNoStatus) {
    EXPECT_CALL(*backend, run).Times(0);

    try {
        juju.wait(always, {.timeout = 0s});
        FAIL() << "expected TimeoutError";
    } catch (const jubilant::TimeoutError& e) {
        EXPECT_EQ(std::string(e.what()), "wait timed out after 0s");
    }
    EXPECT_EQ(backend->elapsed(), 0s);
}

TEST_F(WaitTest, FractionalTimeoutIsReportedAsGiven) {
    EXPECT_CALL(*backend, run(Args(status_args)))
        .Times(3)
        .WillRepeatedly(ReturnStdout(minimal_json));

    try {
        juju.wait(never, {.delay = 1s, .timeout = 2.5s});
        FAIL() << "expected TimeoutError";
    } catch (const jubilant::TimeoutError& e) {
        EXPECT_THAT(e.what(), ::testing::StartsWith("wait timed out after 2.5s\n"));
    }
    EXPECT_EQ(backend->elapsed(), 3s);
}

TEST_F(WaitTest, CliErrorFromStatusPropagates) {
    EXPECT_CALL(*backend, run(Args(status_args))).WillOnce(ReturnFailure(1, "model not found"));

    try {
        juju.wait(always);
        FAIL() << "expected CLIError";
    } catch (const jubilant::CLIError& e) {
        EXPECT_EQ(e.returncode(), 1);
        EXPECT_EQ(e.stderr_text(), "model not found");
    }
    EXPECT_EQ(backend->elapsed(), 0s);
}

TEST_F(WaitTest, UnparseableStatusThrowsParseError) {
    EXPECT_CALL(*backend, run(Args(status_args))).WillOnce(ReturnStdout("not json"));

    EXPECT_THROW(juju.wait(always), jubilant::ParseError);
}

TEST_F(WaitTest, StatusCallsCarryTheModelAndAreNotLogged) {
    jubilant::test::LogCapture logs(spdlog::level::info);
    jubilant::Juju with_model(backend, {.model = "mdl"});
    EXPECT_CALL(*backend, run(Args({"status", "--model", "mdl", "--format", "json"})))
        .Times(3)
        .WillRepeatedly(ReturnStdout(minimal_json));

    with_model.wait(always);

    // No apps means no short lines either, so nothing at all reaches INFO.
    EXPECT_EQ(logs.text(), "");
}

TEST_F(WaitTest, RejectsMissingReadyAndNegativeDelay) {
    EXPECT_CALL(*backend, run).Times(0);

    EXPECT_THROW(juju.wait(nullptr), std::invalid_argument);
    EXPECT_THROW(juju.wait(always, {.delay = -1s}), std::invalid_argument);
}

// --- logging ---

TEST_F(WaitTest, LogsAppAndUnitStatusOnceWhenUnchanged) {
    jubilant::test::LogCapture logs(spdlog::level::info);
    EXPECT_CALL(*backend, run(Args(status_args)))
        .Times(3)
        .WillRepeatedly(ReturnStdout(pg_json("active", "ready", {{"active", "up"}})));

    juju.wait(always);

    EXPECT_EQ(logs.text(),
              "jubilant.wait info [pg] status: active (ready)\n"
              "jubilant.wait info [pg/0] status: active (up)\n");
}

TEST_F(WaitTest, LogsEachAppAndUnitSorted) {
    jubilant::test::LogCapture logs(spdlog::level::info);
    const std::string json = R"({"model": {"name": "m", "type": "iaas", "controller": "c",
        "cloud": "lxd", "version": "3.6.1"}, "machines": {}, "applications": {
        "web": {"charm": "w", "charm-origin": "local", "charm-name": "w", "charm-rev": 0,
                "exposed": false, "application-status": {"current": "waiting"},
                "units": {"web/1": {"workload-status": {"current": "waiting"}},
                          "web/0": {"workload-status": {"current": "active"}}}},
        "db": {"charm": "d", "charm-origin": "local", "charm-name": "d", "charm-rev": 0,
               "exposed": false, "application-status": {"current": "active", "message": "m"},
               "units": {"db/0": {"workload-status": {"current": "active", "message": "m"}}}}}})";
    EXPECT_CALL(*backend, run(Args(status_args))).WillOnce(ReturnStdout(json));

    juju.wait(always, {.successes = 1});

    EXPECT_EQ(logs.text(),
              "jubilant.wait info [db] status: active (m)\n"
              "jubilant.wait info [db/0] status: active (m)\n"
              "jubilant.wait info [web] status: waiting ()\n"
              "jubilant.wait info [web/0] status: active ()\n"
              "jubilant.wait info [web/1] status: waiting ()\n");
}

TEST_F(WaitTest, LogsErrorStatusAtErrorLevel) {
    jubilant::test::LogCapture logs(spdlog::level::info);
    EXPECT_CALL(*backend, run(Args(status_args)))
        .WillOnce(ReturnStdout(pg_json("error", "bad app", {{"active", "up"}})))
        .WillOnce(ReturnStdout(pg_json("error", "bad app", {{"error", "bad unit"}})));

    juju.wait(always, {.successes = 2});

    EXPECT_EQ(logs.text(),
              "jubilant.wait error [pg] status: error (bad app)\n"
              "jubilant.wait info [pg/0] status: active (up)\n"
              "jubilant.wait error [pg/0] status changed: active (up) -> error (bad unit)\n");
}

TEST_F(WaitTest, LogsOnlyWhatChangedAndNewUnits) {
    jubilant::test::LogCapture logs(spdlog::level::info);
    EXPECT_CALL(*backend, run(Args(status_args)))
        .WillOnce(ReturnStdout(pg_json("waiting", "installing", {{"waiting", "installing"}})))
        // Message-only change on the app; unit unchanged; a second unit appears.
        .WillOnce(ReturnStdout(
            pg_json("waiting", "almost", {{"waiting", "installing"}, {"maintenance", "setup"}})))
        // Nothing visible changes, only times.
        .WillOnce(ReturnStdout(pg_json("waiting", "almost",
                                       {{"waiting", "installing"}, {"maintenance", "setup"}},
                                       "11:00", "11:00:01")))
        .WillOnce(ReturnStdout(pg_json("active", "", {{"active", ""}, {"active", ""}})));

    int polls = 0;
    juju.wait([&polls](const Status&) { return ++polls == 4; }, {.successes = 1});

    EXPECT_EQ(lines_of(logs.text()),
              (std::vector<std::string>{
                  "jubilant.wait info [pg] status: waiting (installing)",
                  "jubilant.wait info [pg/0] status: waiting (installing)",
                  "jubilant.wait info [pg] status changed: waiting (installing) -> "
                  "waiting (almost)",
                  "jubilant.wait info [pg/1] status: maintenance (setup)",
                  "jubilant.wait info [pg] status changed: waiting (almost) -> active ()",
                  "jubilant.wait info [pg/0] status changed: waiting (installing) -> "
                  "active ()",
                  "jubilant.wait info [pg/1] status changed: maintenance (setup) -> "
                  "active ()",
              }));
}

TEST_F(WaitTest, LogsAGronDiffAtDebug) {
    jubilant::test::LogCapture logs(spdlog::level::debug);
    EXPECT_CALL(*backend, run(Args(status_args)))
        .Times(3)
        .WillRepeatedly(ReturnStdout(minimal_json));

    juju.wait(always);

    // Logged once: the later polls see the same status.
    EXPECT_EQ(logs.text(),
              "jubilant.wait debug wait: status changed:\n"
              "+ .model.name = 'mdl'\n"
              "+ .model.type = 'typ'\n"
              "+ .model.controller = 'ctl'\n"
              "+ .model.cloud = 'aws'\n"
              "+ .model.version = '3.0.0'\n");
}

TEST_F(WaitTest, DebugDiffLeavesOutSinceAndControllerTimestamp) {
    jubilant::test::LogCapture logs(spdlog::level::debug);
    EXPECT_CALL(*backend, run(Args(status_args)))
        .WillOnce(ReturnStdout(pg_json("active", "", {{"active", ""}})))
        // Only `.since` values and the timestamp move: no log line of any kind.
        .WillOnce(ReturnStdout(pg_json("active", "", {{"active", ""}}, "11:00", "11:00:01")))
        .WillOnce(ReturnStdout(pg_json("active", "", {{"blocked", "no db"}}, "12:00")));

    juju.wait(always);

    const std::string text = logs.text();
    EXPECT_THAT(text, Not(HasSubstr("since")));
    EXPECT_THAT(text, Not(HasSubstr("timestamp")));
    EXPECT_THAT(text, Not(HasSubstr("10:00")));

    const std::vector<std::string> lines = lines_of(text);
    ASSERT_GE(lines.size(), 3U);
    EXPECT_EQ(lines[0], "jubilant.wait info [pg] status: active ()");
    EXPECT_EQ(lines[1], "jubilant.wait info [pg/0] status: active ()");
    EXPECT_EQ(lines[2], "jubilant.wait debug wait: status changed:");
    EXPECT_THAT(lines, ::testing::Contains(
                           "+ .apps['pg'].units['pg/0'].workload_status.current = 'active'"));
    EXPECT_THAT(lines,
                ::testing::Contains("+ .apps['pg'].units['pg/0'].juju_status.current = 'idle'"));

    // The third poll's change: a short INFO line, then a diff of just the changed lines.
    const std::vector<std::string> expected_tail = {
        "jubilant.wait info [pg/0] status changed: active () -> blocked (no db)",
        "jubilant.wait debug wait: status changed:",
        "- .apps['pg'].units['pg/0'].workload_status.current = 'active'",
        "+ .apps['pg'].units['pg/0'].workload_status.current = 'blocked'",
        "+ .apps['pg'].units['pg/0'].workload_status.message = 'no db'",
    };
    ASSERT_GE(lines.size(), expected_tail.size());
    EXPECT_EQ(std::vector<std::string>(lines.end() - static_cast<long>(expected_tail.size()),
                                       lines.end()),
              expected_tail);
    EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                            [](const std::string& l) { return l.ends_with("status changed:"); }),
              2);
}

TEST_F(WaitTest, QuietAtWarningLevel) {
    jubilant::test::LogCapture logs(spdlog::level::warn);
    EXPECT_CALL(*backend, run(Args(status_args)))
        .Times(3)
        .WillRepeatedly(ReturnStdout(pg_json("active", "", {{"active", ""}})));

    juju.wait(always);

    EXPECT_EQ(logs.text(), "");
}

}  // namespace
