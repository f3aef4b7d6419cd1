#include "commands/targets.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "support/names.hpp"

namespace jubilant::fake {

std::int64_t unit_ready_at(const UnitRow& unit) {
    return std::max(unit.created + allocating_ms + installing_ms, unit.busy_until);
}

Target unit_target(const ModelState& state, const UnitRow& unit,
                   const std::optional<std::string>& container) {
    Target t{.name = unit.name(),
             .is_unit = true,
             .machine = unit.machine,
             .hostname = {},
             .files_key = {},
             .ready_at = unit_ready_at(unit)};
    if (state.model.type == "caas") {
        t.hostname = fmt::format("{}-{}", unit.app, unit.number);
        t.files_key = "unit-" + t.hostname + "/" + container.value_or("charm");
    } else {
        t.hostname = instance_hostname(state.model, unit.machine);
        t.files_key = "machine-" + unit.machine;
    }
    return t;
}

// Resolves "app/N" or "app/leader". Before the leader is elected (a unit still allocating),
// "app/leader" means the unit that will be: the lowest-numbered one. nullopt: `error` says why.
const UnitRow* find_unit(const ModelState& state, const std::string& requested, std::int64_t now,
                         std::string& error) {
    std::string name = resolve_unit_name(state, requested, now);
    if (name.ends_with("/leader")) {
        const std::string app = name.substr(0, name.size() - 7);
        for (const UnitRow& u : state.units) {
            if (u.app == app) return &u;
        }
        error = fmt::format("could not determine leader for \"{}\"", app);
        return nullptr;
    }
    if (const UnitRow* unit = state.unit(name)) return unit;
    error = fmt::format("unit \"{}\" not found", name);
    return nullptr;
}

const MachineRow* find_machine(const ModelState& state, const std::string& id) {
    for (const MachineRow& m : state.machines) {
        if (m.id == id) return &m;
    }
    return nullptr;
}

Target machine_target(const ModelState& state, const MachineRow& machine) {
    return {.name = machine.id,
            .is_unit = false,
            .machine = machine.id,
            .hostname = instance_hostname(state.model, machine.id),
            .files_key = "machine-" + machine.id,
            .ready_at = machine.created + allocating_ms};
}

// ssh and scp targets: "[user@]unit", "[user@]app/leader" or "[user@]machine".
Target resolve_target(Context& ctx, const ModelState& state, std::string text,
                      const std::optional<std::string>& container) {
    if (const auto at = text.find('@'); at != std::string::npos) text = text.substr(at + 1);
    if (text.find('/') != std::string::npos && !valid_machine_id(text)) {
        std::string error;
        const UnitRow* unit = find_unit(state, text, ctx.now, error);
        if (!unit) throw CommandError(error);
        return unit_target(state, *unit, container);
    }
    const MachineRow* machine = find_machine(state, text);
    if (!machine) throw CommandError(fmt::format("machine \"{}\" not found", text));
    return machine_target(state, *machine);
}

}  // namespace jubilant::fake
