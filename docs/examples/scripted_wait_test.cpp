// Use case: testing code that waits on Juju, with the statuses it will see scripted.
//
// StatusBuilder writes `juju status --format json` documents; StatusSequence says how many
// polls each one lasts. MockBackend runs on virtual time, so a wait that "takes" minutes
// finishes at once.
#include <chrono>
#include <memory>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/all_any.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/format.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/testing.hpp>

namespace {

using namespace jubilant::testkit;

TEST(ScriptedWait, WaitsUntilEveryUnitIsActive) {
    StatusBuilder deploying;
    deploying.model("test").app("pg", {.charm = "postgresql",
                                       .units = 3,
                                       .workload = "maintenance",
                                       .agent = "executing",
                                       .message = "installing"});
    StatusBuilder ready = deploying;
    ready.units_status("pg", "active", "idle").unit_status("pg/0", "active", "idle", "Primary");

    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(Command("status")))
        .WillRepeatedly(ReturnStatuses(StatusSequence().then(deploying, 5).then(ready)));
    jubilant::Juju juju(backend, {.model = "test"});

    const jubilant::Status status = juju.wait(jubilant::all_active);

    EXPECT_EQ(status.apps.at("pg").units.at("pg/0").workload_status.message, "Primary");
}

// fmt support is opt-in, as fmt's own <fmt/ranges.h> is: <jubilant/format.hpp> makes every
// result type formattable with the same text as operator<< (Jubilant's repr).
TEST(ScriptedWait, APieceOfStatusPrintsWithFmt) {
    StatusBuilder ready;
    ready.model("test").app("pg", {.charm = "postgresql", .units = 1});
    ready.unit_status("pg/0", "active", "idle", "Primary");

    const auto text = fmt::format("{}", ready.status().apps.at("pg").units.at("pg/0"));

    EXPECT_THAT(text, ::testing::HasSubstr("UnitStatus("));
    EXPECT_THAT(text, ::testing::HasSubstr("message='Primary'"));
}

TEST(ScriptedWait, AnErroredUnitStopsTheWait) {
    StatusBuilder failing;
    failing.app("pg", {.units = 2})
        .unit_status("pg/1", "error", "idle", "hook failed: \"install\"");

    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(Command("status"))).WillRepeatedly(ReturnStatus(failing));
    jubilant::Juju juju(backend);

    EXPECT_THROW(juju.wait(jubilant::all_active, {.error = jubilant::any_error}),
                 jubilant::WaitError);
}

TEST(ScriptedWait, GivesUpAfterTheTimeout) {
    StatusBuilder stuck;
    stuck.app("pg").unit_status("pg/0", "waiting", "idle", "waiting for a database");

    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(Command("status"))).WillRepeatedly(ReturnStatus(stuck));
    jubilant::Juju juju(backend);

    EXPECT_THROW(juju.wait(jubilant::all_active, {.timeout = std::chrono::minutes(10)}),
                 jubilant::TimeoutError);
}

}  // namespace
