// User secrets as stored (tables secrets, secret_revisions and secret_grants). A revision's
// content is a JSON object of decoded values; it is read back only for show-secret --reveal
// and never reaches the debug log or an error message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "state/store.hpp"

namespace jubilant::fake {

struct SecretRow {
    std::string id{};
    std::optional<std::string> name{};
    std::optional<std::string> description{};
    std::string owner{};
    std::int64_t created = 0;
    std::int64_t updated = 0;
    bool auto_prune = false;
};

struct RevisionRow {
    std::int64_t revision = 0;
    std::string content{};  ///< JSON object of key -> decoded value
    std::int64_t created = 0;
};

/// The model's secrets, oldest first.
std::vector<SecretRow> model_secrets(Database& db, std::int64_t model_id);
/// How many secrets the model holds.
std::int64_t count_model_secrets(Database& db, std::int64_t model_id);
/// The model's secret with this ID or this name; nullopt when there is none.
std::optional<SecretRow> secret_by_id(Database& db, std::int64_t model_id, const std::string& id);
std::optional<SecretRow> secret_by_name(Database& db, std::int64_t model_id,
                                        const std::string& name);

/// Adds a secret's row (its revisions are added with insert_revision); created and updated
/// are both `secret.created`.
void insert_secret(Database& db, std::int64_t model_id, const SecretRow& secret);
/// Stores a secret's name, description and auto-prune flag, and when it was updated.
void update_secret(Database& db, const SecretRow& secret, std::int64_t updated);
/// Removes a secret with its revisions and grants.
void delete_secret(Database& db, const std::string& id);
/// Removes every secret of a model, with their revisions and grants.
void delete_model_secrets(Database& db, std::int64_t model_id);

/// A secret's revisions, oldest first.
std::vector<RevisionRow> secret_revisions(Database& db, const std::string& id);
/// Adds a revision holding `content` (a JSON object of key -> decoded value).
void insert_revision(Database& db, const std::string& id, std::int64_t revision,
                     const nlohmann::json& content, std::int64_t created);
/// Removes one revision.
void delete_revision(Database& db, const std::string& id, std::int64_t revision);
/// Removes every revision older than `revision`.
void delete_revisions_before(Database& db, const std::string& id, std::int64_t revision);

/// The applications granted access to a secret, by name.
std::vector<std::string> secret_grants(Database& db, const std::string& id);
/// Grants `app` access (a no-op when it has it).
void grant_secret(Database& db, const std::string& id, const std::string& app);
/// Takes `app`'s access away (a no-op when it has none).
void revoke_secret(Database& db, const std::string& id, const std::string& app);
/// Takes `app`'s access to every secret of the model away (the application is going).
void revoke_app_grants(Database& db, std::int64_t model_id, const std::string& app);

}  // namespace jubilant::fake
