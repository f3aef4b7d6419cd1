#include "state/clouds.hpp"

namespace jubilant::fake {

std::optional<std::string> stored_cloud_type(Context& ctx, const std::string& scope,
                                             const std::string& cloud) {
    Statement& s = ctx.db.prepare("SELECT type FROM clouds WHERE scope = ?1 AND name = ?2");
    s.bind(scope, cloud);
    std::optional<std::string> type;
    if (s.step()) type = s.text(0);
    s.bind();
    return type;
}

void store_cloud_definition(Context& ctx, const std::string& scope, const std::string& name,
                            const std::string& type, const std::string& definition) {
    ctx.db
        .prepare(
            "INSERT INTO clouds(scope, name, type, definition) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT(scope, name) DO UPDATE SET type = excluded.type, definition = "
            "excluded.definition")
        .bind(scope, name, type, definition)
        .exec();
}

bool credential_exists(Context& ctx, const std::string& scope, const std::string& cloud,
                       const std::string& name) {
    return ctx.db.prepare("SELECT 1 FROM credentials WHERE scope = ?1 AND cloud = ?2 AND name = ?3")
        .bind(scope, cloud, name)
        .has_row();
}

void store_credential_content(Context& ctx, const std::string& scope, const std::string& cloud,
                              const std::string& name, const std::string& content) {
    ctx.db
        .prepare(
            "INSERT INTO credentials(scope, cloud, name, content) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT(scope, cloud, name) DO UPDATE SET content = excluded.content")
        .bind(scope, cloud, name, content)
        .exec();
}

}  // namespace jubilant::fake
