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

}  // namespace jubilant::fake
