// Ready-made status predicates for Juju::wait, mirroring Jubilant's all_* and any_* helpers.
//
//   juju.wait(jubilant::all_active);                        // every app and unit is active
//   juju.wait([](const jubilant::Status& s) { return jubilant::all_active(s, {"blog", "db"}); },
//             {.error = jubilant::any_error});
//
// Each helper is a constexpr function object rather than an overloaded function: an overload
// set has no single address, so `juju.wait(jubilant::all_active)` could not pick one to put in
// a std::function. The object is one value, callable with or without an app filter, and
// Juju::wait can recover its name for error messages.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <jubilant/statustypes.hpp>

namespace jubilant {

/// The type of every all_* / any_* helper below. Call it as `helper(status)` to test every
/// application in the status, or `helper(status, {"app1", "app2"})` (or with a
/// std::vector<std::string>) to test only those applications and their units. An empty filter
/// means "every application", as with no filter at all.
class StatusPredicate {
public:
    /// What the predicate looks at and how it combines the results.
    enum class Kind {
        /// Every selected app and each of its units has the expected workload status; a
        /// filtered app missing from the status makes the result false.
        all_workload,
        /// Some selected app or one of its units has the expected workload status; filtered
        /// apps missing from the status are skipped.
        any_workload,
        /// Every unit agent (juju_status) of the selected apps has the expected status; a
        /// filtered app missing from the status makes the result false.
        all_agents,
    };

    constexpr StatusPredicate(Kind kind, std::string_view expected, std::string_view name)
        : kind_(kind), expected_(expected), name_(name) {}

    /// Tests every application in `status`.
    bool operator()(const Status& status) const;
    /// Tests only the named applications (every application if `apps` is empty).
    bool operator()(const Status& status, std::initializer_list<std::string_view> apps) const;
    /// Tests only the named applications (every application if `apps` is empty).
    bool operator()(const Status& status, const std::vector<std::string>& apps) const;

    constexpr Kind kind() const noexcept { return kind_; }
    /// The status value being looked for, e.g. "active" or (for agents) "idle".
    constexpr std::string_view expected() const noexcept { return expected_; }
    /// The helper's qualified name, e.g. "jubilant::all_active".
    constexpr std::string_view name() const noexcept { return name_; }

private:
    bool check(const Status& status, std::span<const std::string_view> apps) const;

    Kind kind_;
    std::string_view expected_;
    std::string_view name_;
};

/// True when all applications and their units (including subordinate units) are "active".
/// With an app filter, only those apps are tested, and a filtered app that is not in the
/// status makes the result false. True when there are no applications at all.
inline constexpr StatusPredicate all_active{StatusPredicate::Kind::all_workload, "active",
                                            "jubilant::all_active"};

/// True when all applications and their units are "blocked". See all_active for the filter.
inline constexpr StatusPredicate all_blocked{StatusPredicate::Kind::all_workload, "blocked",
                                             "jubilant::all_blocked"};

/// True when all applications and their units are "error". See all_active for the filter.
inline constexpr StatusPredicate all_error{StatusPredicate::Kind::all_workload, "error",
                                           "jubilant::all_error"};

/// True when all applications and their units are "maintenance". See all_active for the
/// filter.
inline constexpr StatusPredicate all_maintenance{StatusPredicate::Kind::all_workload, "maintenance",
                                                 "jubilant::all_maintenance"};

/// True when all applications and their units are "waiting". See all_active for the filter.
inline constexpr StatusPredicate all_waiting{StatusPredicate::Kind::all_workload, "waiting",
                                             "jubilant::all_waiting"};

/// True when any application or any of its units (including subordinate units) is "active".
/// With an app filter, only those apps are tested; filtered apps not in the status are
/// ignored. False when there are no applications at all.
inline constexpr StatusPredicate any_active{StatusPredicate::Kind::any_workload, "active",
                                            "jubilant::any_active"};

/// True when any application or unit is "blocked". See any_active for the filter.
inline constexpr StatusPredicate any_blocked{StatusPredicate::Kind::any_workload, "blocked",
                                             "jubilant::any_blocked"};

/// True when any application or unit is "error"; the usual `error` predicate of Juju::wait:
///   juju.wait(jubilant::all_active, {.error = jubilant::any_error});
/// See any_active for the filter.
inline constexpr StatusPredicate any_error{StatusPredicate::Kind::any_workload, "error",
                                           "jubilant::any_error"};

/// True when any application or unit is "maintenance". See any_active for the filter.
inline constexpr StatusPredicate any_maintenance{StatusPredicate::Kind::any_workload, "maintenance",
                                                 "jubilant::any_maintenance"};

/// True when any application or unit is "waiting". See any_active for the filter.
inline constexpr StatusPredicate any_waiting{StatusPredicate::Kind::any_workload, "waiting",
                                             "jubilant::any_waiting"};

/// True when the Juju agent of every unit (including subordinate units) is "idle". Unlike the
/// other helpers this looks at each unit's juju_status, not at workload or application
/// status. With an app filter, only units of those apps are tested, and a filtered app that is
/// not in the status makes the result false. An app with no units passes.
inline constexpr StatusPredicate all_agents_idle{StatusPredicate::Kind::all_agents, "idle",
                                                 "jubilant::all_agents_idle"};

}  // namespace jubilant
