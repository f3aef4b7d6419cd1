#include <jubilant/backend.hpp>
#include <jubilant/clock.hpp>
#include <jubilant/errors.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace jubilant;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(TempFilePlaceholder, HasAFixedForm) {
    EXPECT_EQ(temp_file_placeholder("content.yaml"), "{tmp:content.yaml}");
}

TEST(SubstituteTempPaths, ReplacesWholeAndEmbeddedPlaceholders) {
    const auto out = substitute_temp_paths(
        {"add-secret", "s", "--file", "{tmp:a.yaml}", "--x={tmp:b}:{tmp:a.yaml}", "plain"},
        {{"a.yaml", "/tmp/A"}, {"b", "/tmp/B"}});
    EXPECT_THAT(out,
                ElementsAre("add-secret", "s", "--file", "/tmp/A", "--x=/tmp/B:/tmp/A", "plain"));
}

TEST(SubstituteTempPaths, LeavesUnrelatedBracesAlone) {
    const auto out = substitute_temp_paths({"{\"k\": 1}", "{tmp", "x{tmp:"}, {});
    EXPECT_THAT(out, ElementsAre("{\"k\": 1}", "{tmp", "x{tmp:"));
}

TEST(SubstituteTempPaths, UnknownNameIsAClearError) {
    try {
        substitute_temp_paths({"--file", "{tmp:missing}"}, {{"other", "/x"}});
        FAIL() << "expected BackendError";
    } catch (const BackendError& e) {
        EXPECT_THAT(e.what(), HasSubstr("'missing'"));
    }
}

TEST(VirtualClock, OnlyMovesWhenToldAndSleepsInstantly) {
    VirtualClock clock;
    const auto start = clock.now();
    clock.sleep_for(std::chrono::hours(2));
    EXPECT_EQ(clock.now() - start, std::chrono::hours(2));
    clock.advance(std::chrono::seconds(1));
    clock.advance(-std::chrono::seconds(5));  // never goes backwards
    EXPECT_EQ(clock.now() - start, std::chrono::hours(2) + std::chrono::seconds(1));
}

TEST(SystemClock, IsMonotonic) {
    auto clock = system_clock();
    const auto a = clock->now();
    clock->sleep_for(std::chrono::milliseconds(1));
    EXPECT_GT(clock->now(), a);
}
