// Clouds and credentials as stored (tables clouds and credentials): scope "client" for this
// client's, a controller's name for that controller's.
#pragma once

#include <optional>
#include <string>

#include "engine_internal.hpp"

namespace jubilant::fake {

/// The type of a cloud stored in `scope`; nullopt when there is none.
std::optional<std::string> stored_cloud_type(Context& ctx, const std::string& scope,
                                             const std::string& cloud);

/// Stores a cloud's definition (YAML, flow style) in `scope`, replacing one of that name.
void store_cloud_definition(Context& ctx, const std::string& scope, const std::string& name,
                            const std::string& type, const std::string& definition);

/// Whether `scope` has a credential `name` for `cloud`.
bool credential_exists(Context& ctx, const std::string& scope, const std::string& cloud,
                       const std::string& name);

/// Stores a credential's content (YAML, flow style) in `scope`, replacing one of that name.
void store_credential_content(Context& ctx, const std::string& scope, const std::string& cloud,
                              const std::string& name, const std::string& content);

}  // namespace jubilant::fake
