// Units and machines as the targets of run, exec, ssh and scp: how a name on the command line
// finds one, and what the output calls it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine_internal.hpp"
#include "state/model_state.hpp"

namespace jubilant::fake {

/// A unit or machine a command reaches.
struct Target {
    std::string name{};  ///< unit name or machine ID, as the output keys it
    bool is_unit = false;
    std::string machine{};  ///< the unit's machine (empty on Kubernetes)
    std::string hostname{};
    std::string files_key{};  ///< where scp'd files live: per machine, or per unit container
    /// Simulated time from which the target can run a task: its agent is up and no hook runs.
    std::int64_t ready_at = 0;
};

/// Simulated time from which a unit can run a task: its agent is up and no hook runs.
std::int64_t unit_ready_at(const UnitRow& unit);

/// `unit` as a target; on Kubernetes `container` (default "charm") is where its files live.
Target unit_target(const ModelState& state, const UnitRow& unit,
                   const std::optional<std::string>& container);

/// `machine` as a target.
Target machine_target(const ModelState& state, const MachineRow& machine);

/// Resolves "app/N" or "app/leader". Before the leader is elected (a unit still allocating),
/// "app/leader" means the unit that will be: the lowest-numbered one. nullptr: `error` says why.
const UnitRow* find_unit(const ModelState& state, const std::string& requested, std::int64_t now,
                         std::string& error);

/// The machine with this ID; nullptr if there is none.
const MachineRow* find_machine(const ModelState& state, const std::string& id);

/// ssh and scp targets: "[user@]unit", "[user@]app/leader" or "[user@]machine"; throws
/// juju's "not found" errors.
Target resolve_target(Context& ctx, const ModelState& state, std::string text,
                      const std::optional<std::string>& container);

}  // namespace jubilant::fake
