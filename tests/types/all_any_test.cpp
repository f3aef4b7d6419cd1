// The all_* / any_* status helpers, on hand-written `juju status --format json` documents.
#include <functional>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <jubilant/all_any.hpp>
#include <jubilant/statustypes.hpp>

namespace {

using jubilant::Status;
using jubilant::StatusPredicate;

// Both ways of handing a helper to Juju::wait must compile.
static_assert(
    std::is_convertible_v<decltype(jubilant::all_active), std::function<bool(const Status&)>>);
static_assert(
    std::is_convertible_v<decltype(jubilant::any_error), std::function<bool(const Status&)>>);

// --- tiny JSON builders: only the fields the helpers read, plus what from_json requires ---

std::string unit(const std::string& workload, const std::string& agent = "idle",
                 const std::string& subordinates = "") {
    std::string json = fmt::format(R"({{"workload-status": {{"current": "{}", "message": "msg"}},)"
                                   R"( "juju-status": {{"current": "{}"}})",
                                   workload, agent);
    if (!subordinates.empty()) json += fmt::format(R"(, "subordinates": {{{}}})", subordinates);
    return json + "}";
}

std::string app(const std::string& app_status, const std::string& units,
                const std::string& subordinate_to = "") {
    std::string json = fmt::format(
        R"({{"charm": "ch", "charm-origin": "charmhub", "charm-name": "ch", "charm-rev": 1,)"
        R"( "exposed": false, "application-status": {{"current": "{}"}}, "units": {{{}}})",
        app_status, units);
    if (!subordinate_to.empty()) {
        json += fmt::format(R"(, "subordinate-to": [{}])", subordinate_to);
    }
    return json + "}";
}

Status status(const std::string& apps) {
    return Status::from_json(fmt::format(
        R"({{"model": {{"name": "mdl", "type": "iaas", "controller": "ctl", "cloud": "aws",)"
        R"( "version": "3.6.1"}}, "machines": {{}}, "applications": {{{}}}}})",
        apps));
}

// One app "pg" with status `app_status` and one unit pg/0 with workload `unit_status`.
Status one_app(const std::string& app_status, const std::string& unit_status) {
    return status(fmt::format(R"("pg": {})", app(app_status, R"("pg/0": )" + unit(unit_status))));
}

// "pg" and "web", one unit each.
Status two_apps(const std::string& pg_app, const std::string& pg_unit, const std::string& web_app,
                const std::string& web_unit) {
    return status(fmt::format(R"("pg": {}, "web": {})", app(pg_app, R"("pg/0": )" + unit(pg_unit)),
                              app(web_app, R"("web/0": )" + unit(web_unit))));
}

// Principal "ubuntu" (active, units ubuntu/0 and ubuntu/1) with subordinate "nrpe" whose units
// live under the principal's units.
Status with_subordinates(const std::string& nrpe_app, const std::string& nrpe0,
                         const std::string& nrpe1, const std::string& nrpe1_agent = "idle") {
    const std::string principal_units = fmt::format(
        R"("ubuntu/0": {}, "ubuntu/1": {})", unit("active", "idle", R"("nrpe/0": )" + unit(nrpe0)),
        unit("active", "idle", R"("nrpe/1": )" + unit(nrpe1, nrpe1_agent)));
    return status(fmt::format(R"("ubuntu": {}, "nrpe": {})", app("active", principal_units),
                              app(nrpe_app, "", R"("ubuntu")")));
}

struct Case {
    const StatusPredicate* helper;
    std::string expected;
    std::string other;
};

// Keeps gtest from dumping the parameter's bytes in failure messages.
[[maybe_unused]] void PrintTo(const Case& c, std::ostream* os) {
    *os << c.helper->name() << " expecting " << c.expected;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    std::string name(info.param.helper->name());
    return name.substr(name.rfind(':') + 1);
}

const std::vector<Case> all_cases = {
    {&jubilant::all_active, "active", "error"},
    {&jubilant::all_blocked, "blocked", "error"},
    {&jubilant::all_error, "error", "active"},
    {&jubilant::all_maintenance, "maintenance", "error"},
    {&jubilant::all_waiting, "waiting", "error"},
};

const std::vector<Case> any_cases = {
    {&jubilant::any_active, "active", "error"},
    {&jubilant::any_blocked, "blocked", "error"},
    {&jubilant::any_error, "error", "active"},
    {&jubilant::any_maintenance, "maintenance", "error"},
    {&jubilant::any_waiting, "waiting", "error"},
};

class AllHelper : public ::testing::TestWithParam<Case> {};
class AnyHelper : public ::testing::TestWithParam<Case> {};

TEST_P(AllHelper, TrueForNoApps) {
    // Like an empty all(): nothing to disagree.
    EXPECT_TRUE((*GetParam().helper)(status("")));
}

TEST_P(AllHelper, OneApp) {
    const auto& [helper_ptr, expected, other] = GetParam();
    const StatusPredicate& helper = *helper_ptr;
    const Status s = one_app(expected, expected);
    EXPECT_TRUE(helper(s));
    EXPECT_TRUE(helper(s, {"pg"}));
    EXPECT_FALSE(helper(s, {"other"}));
    EXPECT_FALSE(helper(s, {"pg", "other"}));

    EXPECT_FALSE(helper(one_app(other, expected))) << "app status differs";
    EXPECT_FALSE(helper(one_app(expected, other))) << "unit status differs";
}

TEST_P(AllHelper, TwoApps) {
    const auto& [helper_ptr, expected, other] = GetParam();
    const StatusPredicate& helper = *helper_ptr;
    const Status s = two_apps(expected, expected, expected, expected);
    EXPECT_TRUE(helper(s));
    EXPECT_TRUE(helper(s, {"pg"}));
    EXPECT_TRUE(helper(s, {"pg", "web"}));
    EXPECT_FALSE(helper(s, {"pg", "other"}));
    EXPECT_FALSE(helper(s, {"pg", "web", "other"}));
    EXPECT_FALSE(helper(s, {"other1", "other2"}));

    const Status mixed = two_apps(expected, expected, other, expected);
    EXPECT_FALSE(helper(mixed));
    EXPECT_TRUE(helper(mixed, {"pg"})) << "the filter must exclude web";
    EXPECT_FALSE(helper(mixed, {"web"}));
    EXPECT_FALSE(helper(two_apps(other, other, other, other)));
}

TEST_P(AllHelper, VectorFilterMatchesInitializerList) {
    const auto& [helper_ptr, expected, other] = GetParam();
    const StatusPredicate& helper = *helper_ptr;
    const Status mixed = two_apps(expected, expected, other, expected);
    EXPECT_TRUE(helper(mixed, std::vector<std::string>{"pg"}));
    EXPECT_FALSE(helper(mixed, std::vector<std::string>{"pg", "web"}));
    EXPECT_FALSE(helper(mixed, std::vector<std::string>{}));
    EXPECT_FALSE(helper(mixed, {})) << "an empty filter means every app";
    EXPECT_TRUE(helper(two_apps(expected, expected, expected, expected), {}));
}

TEST_P(AnyHelper, FalseForNoApps) {
    // Like an empty any(): nothing to agree.
    EXPECT_FALSE((*GetParam().helper)(status("")));
}

TEST_P(AnyHelper, OneApp) {
    const auto& [helper_ptr, expected, other] = GetParam();
    const StatusPredicate& helper = *helper_ptr;
    const Status s = one_app(expected, expected);
    EXPECT_TRUE(helper(s));
    EXPECT_TRUE(helper(s, {"pg"}));
    EXPECT_FALSE(helper(s, {"other"})) << "a missing app is ignored, not an error";
    EXPECT_TRUE(helper(s, {"pg", "other"}));

    EXPECT_TRUE(helper(one_app(other, expected))) << "the unit alone matches";
    EXPECT_TRUE(helper(one_app(expected, other))) << "the app alone matches";
    EXPECT_FALSE(helper(one_app(other, other)));
}

TEST_P(AnyHelper, TwoApps) {
    const auto& [helper_ptr, expected, other] = GetParam();
    const StatusPredicate& helper = *helper_ptr;
    const Status s = two_apps(expected, expected, expected, expected);
    EXPECT_TRUE(helper(s));
    EXPECT_TRUE(helper(s, {"pg", "web"}));
    EXPECT_TRUE(helper(s, {"pg", "other"}));
    EXPECT_FALSE(helper(s, {"other1", "other2"}));

    const Status only_web = two_apps(other, other, other, expected);
    EXPECT_TRUE(helper(only_web));
    EXPECT_TRUE(helper(only_web, {"web"}));
    EXPECT_FALSE(helper(only_web, {"pg"})) << "the filter must exclude web";
    EXPECT_FALSE(helper(only_web, std::vector<std::string>{"pg"}));
    EXPECT_TRUE(helper(only_web, std::vector<std::string>{"pg", "web"}));
    EXPECT_FALSE(helper(two_apps(other, other, other, other)));
}

INSTANTIATE_TEST_SUITE_P(Helpers, AllHelper, ::testing::ValuesIn(all_cases), case_name);
INSTANTIATE_TEST_SUITE_P(Helpers, AnyHelper, ::testing::ValuesIn(any_cases), case_name);

TEST(AllAny, WorkloadHelpersIgnoreAgentStatus) {
    const Status s = status(
        fmt::format(R"("pg": {})", app("active", R"("pg/0": )" + unit("active", "executing"))));
    EXPECT_TRUE(jubilant::all_active(s));
    EXPECT_FALSE(jubilant::any_error(s));
    EXPECT_FALSE(jubilant::all_agents_idle(s));
}

TEST(AllAgentsIdle, ChecksUnitAgentsOnly) {
    // App and workload status are irrelevant: only juju_status of each unit counts.
    const Status idle =
        status(fmt::format(R"("pg": {})", app("blocked", R"("pg/0": )" + unit("error", "idle"))));
    EXPECT_TRUE(jubilant::all_agents_idle(idle));
    EXPECT_TRUE(jubilant::all_agents_idle(idle, {"pg"}));
    EXPECT_FALSE(jubilant::all_agents_idle(idle, {"foo"})) << "a missing app fails the filter";
    EXPECT_FALSE(jubilant::all_agents_idle(idle, {"pg", "foo"}));

    const Status busy = status(
        fmt::format(R"("pg": {}, "web": {})", app("active", R"("pg/0": )" + unit("active", "idle")),
                    app("active", R"("web/0": )" + unit("active", "executing"))));
    EXPECT_FALSE(jubilant::all_agents_idle(busy));
    EXPECT_TRUE(jubilant::all_agents_idle(busy, {"pg"}));
    EXPECT_TRUE(jubilant::all_agents_idle(busy, std::vector<std::string>{"pg"}));
    EXPECT_FALSE(jubilant::all_agents_idle(busy, {"web"}));
}

TEST(AllAgentsIdle, TrueForNoAppsAndForAppWithoutUnits) {
    EXPECT_TRUE(jubilant::all_agents_idle(status("")));
    const Status unitless = status(R"("pg": )" + app("waiting", ""));
    EXPECT_TRUE(jubilant::all_agents_idle(unitless));
    EXPECT_TRUE(jubilant::all_agents_idle(unitless, {"pg"}));
}

TEST(AllAgentsIdle, SeesSubordinateAgents) {
    EXPECT_TRUE(jubilant::all_agents_idle(with_subordinates("active", "active", "active")));
    const Status busy_sub = with_subordinates("active", "active", "active", "executing");
    EXPECT_FALSE(jubilant::all_agents_idle(busy_sub));
    EXPECT_FALSE(jubilant::all_agents_idle(busy_sub, {"nrpe"}));
    EXPECT_TRUE(jubilant::all_agents_idle(busy_sub, {"ubuntu"}))
        << "subordinate units belong to their own app, not the principal";
}

TEST(AllAny, SubordinateUnitsCountForTheirApp) {
    // nrpe's own units are nested under ubuntu's units; the helpers must still find them.
    const Status one_unit_active = with_subordinates("blocked", "blocked", "active");
    EXPECT_FALSE(jubilant::all_blocked(one_unit_active, {"nrpe"}));
    EXPECT_TRUE(jubilant::any_active(one_unit_active, {"nrpe"}));
    EXPECT_TRUE(jubilant::all_active(one_unit_active, {"ubuntu"}));

    const Status all_blocked_sub = with_subordinates("blocked", "blocked", "blocked");
    EXPECT_TRUE(jubilant::all_blocked(all_blocked_sub, {"nrpe"}));
    EXPECT_FALSE(jubilant::any_active(all_blocked_sub, {"nrpe"}));
    EXPECT_TRUE(jubilant::any_blocked(all_blocked_sub));
    EXPECT_FALSE(jubilant::all_active(all_blocked_sub));

    // The app status alone is enough for any_*.
    const Status sub_app_active = with_subordinates("active", "blocked", "blocked");
    EXPECT_TRUE(jubilant::any_blocked(sub_app_active));
    EXPECT_TRUE(jubilant::any_active(sub_app_active, {"nrpe"}));
    EXPECT_FALSE(jubilant::all_active(sub_app_active, {"nrpe"}));
}

TEST(AllAny, HelpersKnowTheirNames) {
    EXPECT_EQ(jubilant::all_active.name(), "jubilant::all_active");
    EXPECT_EQ(jubilant::any_error.name(), "jubilant::any_error");
    EXPECT_EQ(jubilant::all_agents_idle.name(), "jubilant::all_agents_idle");
    EXPECT_EQ(jubilant::all_agents_idle.expected(), "idle");
    EXPECT_EQ(jubilant::any_waiting.kind(), StatusPredicate::Kind::any_workload);
}

TEST(AllAny, UsableThroughStdFunction) {
    const std::function<bool(const Status&)> ready = jubilant::all_active;
    const std::function<bool(const Status&)> filtered = [](const Status& s) {
        return jubilant::all_active(s, {"pg"});
    };
    const Status mixed = two_apps("active", "active", "blocked", "blocked");
    EXPECT_FALSE(ready(mixed));
    EXPECT_TRUE(filtered(mixed));
}

}  // namespace
