// Models as stored (table models), and what goes with a model when it is destroyed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

/// The model `controller:owner/name`; nullopt when there is none.
std::optional<ModelRow> model_by_name(Database& db, const std::string& controller,
                                      const std::string& owner, const std::string& name);

/// `controller`'s models, by name.
std::vector<ModelRow> controller_models(Database& db, const std::string& controller);

/// Adds a model's row (`model.id` is not read) with its config (a JSON object of the values
/// set by the user).
void insert_model(Database& db, const ModelRow& model, const nlohmann::json& config);

/// Removes a model and everything in it: applications, units, machines, relations, offers,
/// SSH keys, log, remote files and secrets.
void delete_model(Database& db, std::int64_t id);

/// The model's config: the values set by the user (a JSON object).
nlohmann::json model_config(Database& db, std::int64_t id);
/// Stores the model's config.
void save_model_config(Database& db, std::int64_t id, const nlohmann::json& config);

/// The model's constraints (a JSON object in the order they were given; empty when none).
nlohmann::ordered_json model_constraints(Database& db, std::int64_t id);
/// Stores the model's constraints.
void save_model_constraints(Database& db, std::int64_t id,
                            const nlohmann::ordered_json& constraints);

/// How many of `controller`'s models run on `cloud`.
std::int64_t count_cloud_models(Database& db, const std::string& controller,
                                const std::string& cloud);

/// The names of `controller`'s models on `cloud` that use `credential`, sorted.
std::vector<std::string> credential_model_names(Database& db, const std::string& controller,
                                                const std::string& cloud,
                                                const std::string& credential);

}  // namespace jubilant::fake
