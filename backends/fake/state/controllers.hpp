// Controllers as stored (table controllers): the seeded "fake" and those bootstrap adds. Their
// juju versions live in the meta table (engine_internal.hpp's controller_version).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "state/store.hpp"

namespace jubilant::fake {

/// A controller: where it was bootstrapped (its own cloud and region) and the model the client
/// has current on it ("admin/controller"; empty when none).
struct ControllerRow {
    std::string name{};
    std::string uuid{};
    std::string cloud{};
    std::string region{};
    std::string current_model{};
    std::int64_t created = 0;
};

/// The controller's row; nullopt when there is no such controller.
std::optional<ControllerRow> find_controller(Database& db, const std::string& name);

/// Whether there is a controller of this name.
bool controller_exists(Database& db, const std::string& name);

/// Every controller, by name.
std::vector<ControllerRow> all_controllers(Database& db);

/// The model current on the controller ("admin/foo"); empty when it has none or there is no
/// such controller.
std::string controller_current_model(Database& db, const std::string& name);

/// Makes `model` ("admin/foo", or empty for none) current on the controller.
void set_current_model(Database& db, const std::string& controller, const std::string& model);

/// Adds a controller's row.
void insert_controller(Database& db, const ControllerRow& controller);

}  // namespace jubilant::fake
