// One charm test run against the fake Juju twice, as juju 3.6 and as juju 4.0: the two
// versions charm teams test against. FakeJujuOptions::juju_version picks the version the fake
// speaks (docs/reference/fake-juju.md, "Juju versions", lists what changes with it).
#include <string>

#include <gtest/gtest.h>

#include <jubilant/all_any.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/testing.hpp>

class OnBothJujuVersions : public ::testing::TestWithParam<std::string> {};

TEST_P(OnBothJujuVersions, PostgresSettlesActive) {
    jubilant::testkit::ScopedFakeJuju fake({.juju_version = GetParam()});
    jubilant::Juju& juju = fake.juju();
    EXPECT_EQ(juju.version().major, GetParam().front() - '0');

    juju.deploy("postgresql", {.app = "pg", .num_units = 2});
    const jubilant::Status status = juju.wait(jubilant::all_active);  // simulated time
    EXPECT_EQ(status.apps.at("pg").units.size(), 2U);
}

INSTANTIATE_TEST_SUITE_P(Fake, OnBothJujuVersions, ::testing::Values("3.6.4", "4.0.5"));
