// Clouds and credentials as stored (tables clouds and credentials): scope "client" for this
// client's, a controller's name for that controller's. Definitions and credential contents are
// YAML (flow style) the fake wrote itself; reading them is the commands' business.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "state/store.hpp"

namespace jubilant::fake {

/// A cloud stored in a scope: its name and its definition (YAML, flow style).
struct StoredCloud {
    std::string name{};
    std::string definition{};
};

/// A credential stored in a scope: its cloud, its name and its content (YAML, flow style).
struct CredentialRow {
    std::string cloud{};
    std::string name{};
    std::string content{};
};

/// The type of a cloud stored in `scope`; nullopt when there is none.
std::optional<std::string> stored_cloud_type(Database& db, const std::string& scope,
                                             const std::string& cloud);

/// The clouds stored in `scope`, by name.
std::vector<StoredCloud> stored_clouds(Database& db, const std::string& scope);

/// Stores a cloud's definition (YAML, flow style) in `scope`, replacing one of that name.
void store_cloud_definition(Database& db, const std::string& scope, const std::string& name,
                            const std::string& type, const std::string& definition);

/// Removes the cloud `name` from `scope` (its credentials stay, as in juju).
void delete_cloud(Database& db, const std::string& scope, const std::string& name);

/// Whether `scope` has a credential `name` for `cloud`.
bool credential_exists(Database& db, const std::string& scope, const std::string& cloud,
                       const std::string& name);

/// The content of `scope`'s credential `name` for `cloud`; nullopt when there is none.
std::optional<std::string> credential_content(Database& db, const std::string& scope,
                                              const std::string& cloud, const std::string& name);

/// The credentials stored in `scope`, by cloud, then name.
std::vector<CredentialRow> stored_credentials(Database& db, const std::string& scope);

/// Stores a credential's content (YAML, flow style) in `scope`, replacing one of that name.
void store_credential_content(Database& db, const std::string& scope, const std::string& cloud,
                              const std::string& name, const std::string& content);

}  // namespace jubilant::fake
