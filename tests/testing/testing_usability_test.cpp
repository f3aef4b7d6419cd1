// The small things a test author hits: GoogleTest's names under `using namespace jubilant;`,
// $JUBILANT_LOG_LEVEL, mocks on virtual time, Status failures shown as a diff, and exceptions
// that escape a test body reported at the Juju call.
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <jubilant/all_any.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/logging.hpp>
#include <jubilant/testing.hpp>

#include "support/stub_executable.hpp"

// What the docs' snippets do: with jubilant's names in scope, `testing::` still means
// GoogleTest's namespace (this file does not compile when the kit is jubilant::testing).
using namespace jubilant;

namespace {

using namespace std::chrono_literals;

class UnderUsingNamespaceJubilant : public testing::Test {};

TEST_F(UnderUsingNamespaceJubilant, GoogleTestAndTheKitAreBothReachable) {
    auto backend = std::make_shared<testkit::MockBackend>();
    EXPECT_CALL(*backend, run(testkit::Command("version")))
        .WillOnce(testkit::ReturnStdout("3.6.4\n"));
    Juju juju(backend);
    EXPECT_THAT(juju.cli({"version"}, {.include_model = false}), testing::HasSubstr("3.6"));
}

TEST(LogLevel, AnyCaseIsAcceptedAndUnknownNamesAreRejected) {
    EXPECT_EQ(parse_log_level("debug"), spdlog::level::debug);
    EXPECT_EQ(parse_log_level("DEBUG"), spdlog::level::debug);
    EXPECT_EQ(parse_log_level("Warning"), spdlog::level::warn);
    EXPECT_EQ(parse_log_level("warn"), spdlog::level::warn);
    EXPECT_EQ(parse_log_level("ERROR"), spdlog::level::err);
    EXPECT_EQ(parse_log_level("Off"), spdlog::level::off);
    EXPECT_FALSE(parse_log_level("verbose"));
    EXPECT_FALSE(parse_log_level(""));
    EXPECT_FALSE(parse_log_level(std::string(1000, 'd')));
}

TEST(LogLevel, AnUnknownLevelLeavesTheLoggerAtInfoNotSilent) {
    spdlog::drop("jubilant");
    {
        test::ScopedEnv level(log_level_env, std::string("verbose"));
        EXPECT_EQ(logger()->level(), spdlog::level::info);
    }
    spdlog::drop("jubilant");
    {
        test::ScopedEnv level(log_level_env, std::string("DEBUG"));
        EXPECT_EQ(logger()->level(), spdlog::level::debug);
    }
    spdlog::drop("jubilant");
}

TEST(MockBackendClock, WaitsRunOnVirtualTime) {
    auto backend = std::make_shared<testkit::MockBackend>();
    testkit::StatusBuilder waiting;
    waiting.app("pg", {.units = 1, .workload = "waiting"});
    EXPECT_CALL(*backend, run(testkit::Command("status")))
        .WillRepeatedly(testkit::ReturnStatus(waiting));
    Juju juju(backend);
    const auto start = backend->virtual_clock()->now();
    // Thirty simulated minutes: on a real clock this test would time out long before.
    EXPECT_THROW(juju.wait(all_active, {.delay = 1s, .timeout = 30min}), TimeoutError);
    EXPECT_GE(backend->virtual_clock()->now() - start, 30min);
    EXPECT_EQ(backend->clock(), backend->virtual_clock());
}

TEST(StatusPrinter, AFailedComparisonEndsWithADiffOfTheTwoStatuses) {
    testkit::StatusBuilder builder;
    builder.app("pg", {.units = 2});
    const Status expected = builder.status();
    builder.unit_status("pg/1", "blocked", "idle", "needs a relation");
    const Status actual = builder.status();

    ::testing::TestPartResultArray failures;
    {
        ::testing::ScopedFakeTestPartResultReporter reporter(
            ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
        EXPECT_EQ(actual, expected);
    }
    ASSERT_EQ(failures.size(), 1);
    const std::string message = failures.GetTestPartResult(0).message();
    EXPECT_THAT(message, testing::HasSubstr("With diff:"));
    EXPECT_THAT(message, testing::HasSubstr(
                             "-.apps['pg'].units['pg/1'].workload_status.current = 'blocked'"));
    EXPECT_THAT(message, testing::HasSubstr(
                             "+.apps['pg'].units['pg/1'].workload_status.current = 'active'"));
}

// Run only by EscapedExceptionsAreReportedAtTheJujuCall, in a child process.
class CallSiteFixture : public testkit::FakeJujuTest {};

TEST_F(CallSiteFixture, DISABLED_ThrowsFromAJujuCall) {
    juju().cli({"no-such-command"});  // the line the report must name
}

TEST(CallSite, EscapedExceptionsAreReportedAtTheJujuCall) {
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    const std::string command = "'" + self +
                                "' --gtest_also_run_disabled_tests "
                                "--gtest_filter=CallSiteFixture.DISABLED_ThrowsFromAJujuCall 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string output;
    std::array<char, 4096> chunk{};
    while (const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), pipe)) {
        output.append(chunk.data(), n);
    }
    ::pclose(pipe);
    EXPECT_THAT(output, testing::HasSubstr("thrown in the test body"));
    EXPECT_THAT(output, testing::ContainsRegex("testing_usability_test.cpp:10[0-9]: Failure"));
    EXPECT_THAT(output, testing::HasSubstr("the last juju() call before it was here"));
}

}  // namespace
