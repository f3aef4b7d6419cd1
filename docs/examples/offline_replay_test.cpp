// Use case: an integration test that runs offline in CI by replaying its own cassette.
//
// Each test of a CassetteTest fixture gets juju() over cassettes/<Suite>/<Test>.json, beside
// this source file whatever the working directory. By
// default (JUBILANT_RECORD_MODE unset) commands are answered from the cassette only: no
// controller, no juju binary, and Juju::wait runs on the recording's virtual time. Run the same
// binary with JUBILANT_RECORD_MODE=once against a controller to record a missing cassette, or
// =all to re-record every one.
#include <gtest/gtest.h>

#include <jubilant/all_any.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/recorder.hpp>  // to call the Recorder's own members, as below
#include <jubilant/testing.hpp>

namespace {

class ReplayExample : public jubilant::testkit::CassetteTest {
protected:
    // The cassette is cassettes/ReplayExample/<Test>.json beside this file.
    ReplayExample() : CassetteTest({.juju = {.model = "test"}}) {}
};

TEST_F(ReplayExample, DeploysAndWaitsForPostgres) {
    juju().deploy("postgresql", {.channel = "14/stable", .num_units = 2});

    const jubilant::Status status =
        juju().wait(jubilant::all_active, {.error = jubilant::any_error});

    const auto& app = status.apps.at("postgresql");
    EXPECT_EQ(app.charm_channel, "14/stable");
    EXPECT_EQ(app.units.size(), 2u);
    EXPECT_TRUE(app.units.at("postgresql/0").leader);
    // Every recorded command was asked for again (CassetteTest also reports leftovers itself).
    EXPECT_TRUE(cassette().recorder().unused().empty());
}

}  // namespace
