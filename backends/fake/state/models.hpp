// Models as stored (table models), and what goes with a model when it is destroyed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "state/store.hpp"

namespace jubilant::fake {

struct ModelRow {
    std::int64_t id = 0;
    std::string controller{};
    std::string owner{};
    std::string name{};
    std::string uuid{};
    std::string type{};  ///< iaas or caas
    std::string cloud{};
    std::string region{};
    std::string credential{};
    std::int64_t created = 0;
    std::string qualified() const { return controller + ":" + owner + "/" + name; }
    std::string short_name() const { return owner + "/" + name; }
};

/// How many of `controller`'s models run on `cloud`.
std::int64_t count_cloud_models(Database& db, const std::string& controller,
                                const std::string& cloud);

/// The names of `controller`'s models on `cloud` that use `credential`, sorted.
std::vector<std::string> credential_model_names(Database& db, const std::string& controller,
                                                const std::string& cloud,
                                                const std::string& credential);

}  // namespace jubilant::fake
