// The floor of compile_bench: a GoogleMock test file with no jubilant header, shaped like
// consumer_test.cpp (a mocked interface, an expectation, an assertion).
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

struct Runner {
    virtual ~Runner() = default;
    virtual std::string run(const std::vector<std::string>& args) = 0;
};

struct MockRunner : Runner {
    MOCK_METHOD(std::string, run, (const std::vector<std::string>& args), (override));
};

TEST(Bare, DeploysAndChecksStatus) {
    MockRunner runner;
    EXPECT_CALL(runner, run(testing::ElementsAre("deploy", "pg"))).WillOnce(testing::Return("ok"));
    EXPECT_EQ(runner.run({"deploy", "pg"}), "ok");
}

}  // namespace
