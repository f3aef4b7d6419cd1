// Use case: a unit test of code that drives Juju, checking the exact commands it issues.
//
// MockBackend is a GoogleMock backend; the request matchers describe a command by its parts
// and GoogleMock prints the argv of any command that matches no expectation.
#include <memory>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/juju.hpp>
#include <jubilant/testing.hpp>

namespace {

using namespace jubilant::testkit;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// The code under test: deploys the charm the way this (imaginary) charm's tests need it.
void deploy_database(jubilant::Juju& juju, bool edge) {
    juju.deploy("postgresql", {.channel = edge ? "14/edge" : "14/stable", .trust = true});
}

TEST(MockExpectations, DeployUsesTheChannelAndTrust) {
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(AllOf(Command("deploy"), OnModel("test"),
                                    HasOption("--channel", "14/edge"), HasFlag("--trust"))))
        .WillOnce(ReturnStdout(""));
    jubilant::Juju juju(backend, {.model = "test"});

    deploy_database(juju, /*edge=*/true);
}

TEST(MockExpectations, SecretContentTravelsInASensitiveTempFile) {
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(AllOf(Command("add-secret"),
                                    TempFileContent("content.yaml", HasSubstr("hunter2")),
                                    Not(ArgsThat(::testing::Contains(HasSubstr("hunter2")))))))
        .WillOnce(ReturnStdout("secret:cu2a7n1vcbhs7bb1ovv0\n"));
    jubilant::Juju juju(backend, {.model = "test"});

    const auto uri = juju.add_secret("db-admin", {{"password", "hunter2"}});

    EXPECT_EQ(uri.str(), "secret:cu2a7n1vcbhs7bb1ovv0");
}

TEST(MockExpectations, AFailingCommandBecomesACLIError) {
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(Command("remove-application")))
        .WillOnce(ReturnFailure(1, "ERROR application \"pg\" not found\n"));
    jubilant::Juju juju(backend, {.model = "test"});

    EXPECT_THROW(juju.remove_application({"pg"}), jubilant::CLIError);
}

}  // namespace
