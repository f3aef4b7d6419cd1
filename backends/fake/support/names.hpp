// Names as juju validates them (github.com/juju/names v5, which juju 3.6 uses): models,
// applications, units, machines and actions, with juju's messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jubilant::fake {

/// juju's model names: lowercase letters, digits and hyphens, not starting with a hyphen.
bool valid_model_name(std::string_view name);

/// The error add-model gives for an invalid model name (its Init: exit code 2).
std::string invalid_model_name_message(std::string_view name);

/// juju's application names: a lowercase letter first, then lowercase letters and digits in
/// parts joined by single hyphens, no part made of digits alone ("pg-1" would read as a unit).
bool valid_application_name(std::string_view name);

/// names.ValidateApplicationName: nullopt for a valid name, else juju's reason.
std::optional<std::string> application_name_error(std::string_view name);

/// "<application>/<number>" (the number without leading zeros).
bool valid_unit_name(std::string_view name);

/// A unit name or "<application>/leader", as run and exec take them.
bool valid_unit_or_leader_name(std::string_view text);

/// A machine ID: "0", or a container on one, "0/lxd/1" (numbers and container types
/// alternating, a number last).
bool valid_machine_id(std::string_view text);

/// Action names and their param keys, by the charm rule: lowercase letters, digits and
/// hyphens, starting and ending with a letter or digit.
bool valid_action_name(std::string_view name);

}  // namespace jubilant::fake
