// The per-test fake Juju fixtures: each test gets its own fake (in process or the executable),
// nothing leaks from one test to the next, and the data directory goes away afterwards.
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/all_any.hpp>
#include <jubilant/testing/fake_fixture.hpp>

namespace jubilant::testkit {
namespace {

using namespace std::chrono_literals;

class InProcessFakeTest : public FakeJujuTest {};

TEST_F(InProcessFakeTest, DeploysAndSettlesOnSimulatedTime) {
    EXPECT_EQ(juju().model(), "test");
    juju().deploy("postgresql", {.num_units = 2});
    const Status status = juju().wait(all_active, {.error = any_error, .timeout = 10min});
    EXPECT_EQ(status.model.name, "test");
    EXPECT_EQ(status.apps.at("postgresql").units.size(), 2u);
}

TEST_F(InProcessFakeTest, StartsEmptyEvenAfterAnotherTestDeployed) {
    EXPECT_TRUE(juju().status().apps.empty());
}

class ExecutableFakeTest : public FakeJujuTest {
protected:
    FakeJujuOptions fake_options() const override {
        return {.binary = JUBILANT_FAKE_JUJU, .charms_dir = {}, .tick = 2s, .model = "exe"};
    }
};

TEST_F(ExecutableFakeTest, KeepsStateInItsOwnDataDirectoryAndRemovesIt) {
    const std::filesystem::path dir = fake().data_dir();
    juju().deploy("webapp");
    EXPECT_TRUE(std::filesystem::exists(dir / "state.db"));
    EXPECT_EQ(juju().status().apps.at("webapp").units.size(), 1u);
    TearDown();
    EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(ScopedFakeJuju, TwoFakesDoNotShareState) {
    ScopedFakeJuju first;
    ScopedFakeJuju second({.binary = {}, .charms_dir = {}, .tick = 1s, .model = "other"});
    first.juju().deploy("postgresql");
    EXPECT_EQ(first.juju().status().apps.size(), 1u);
    EXPECT_TRUE(second.juju().status().apps.empty());
    EXPECT_NE(first.data_dir(), second.data_dir());
}

TEST(ScopedFakeJuju, CharmDirectoryAddsFixtures) {
    const auto dir = std::filesystem::temp_directory_path() / "jubilant-fixture-charms-test";
    std::filesystem::create_directories(dir);
    {
        std::ofstream out(dir / "custom.yaml");
        out << "name: custom\nstatus:\n  active-message: Custom ready\n";
    }
    ScopedFakeJuju fake({.binary = {}, .charms_dir = dir, .tick = 1s, .model = "test"});
    fake.juju().deploy("custom");
    const Status status = fake.juju().wait(all_active);
    EXPECT_EQ(status.apps.at("custom").app_status.message, "Custom ready");
    std::filesystem::remove_all(dir);
}

class OnFakeTempModelTest : public TempModelTest {
protected:
    TempModelOptions temp_model_options() const override {
        TempModelOptions options;
        options.juju.backend = "fake:" + data_.string();
        return options;
    }
    std::filesystem::path data_ =
        std::filesystem::temp_directory_path() / "jubilant-temp-model-test";
};

TEST_F(OnFakeTempModelTest, CreatesARandomModelAndDestroysItAfterwards) {
    const std::string name = temp_model().model();
    EXPECT_THAT(name, ::testing::StartsWith("jubilant-"));
    juju().deploy("postgresql");
    EXPECT_EQ(juju().status().model.name, name);
    TearDown();
    Juju observer(JujuOptions{.backend = "fake:" + data_.string()});
    EXPECT_THAT(observer.cli({"models", "--format", "json"}, {.include_model = false}),
                ::testing::Not(::testing::HasSubstr(name)));
    std::filesystem::remove_all(data_);
}

}  // namespace
}  // namespace jubilant::testkit
