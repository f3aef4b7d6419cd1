// What compile_bench measures: a charm team's test file, including the typed API and the
// testing kit the way docs/examples do, with a mocked juju call and a status assertion.
#include <memory>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/juju.hpp>
#include <jubilant/testing.hpp>

namespace {

using namespace jubilant::testkit;

TEST(Consumer, DeploysAndChecksStatus) {
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(Command("deploy"))).WillOnce(ReturnStdout(""));
    jubilant::Juju juju(backend, {.model = "test"});
    juju.deploy("postgresql");
    const auto status = StatusBuilder().app("postgresql").status();
    EXPECT_EQ(status.apps.at("postgresql").app_status.current, "active");
}

}  // namespace
