#include "state/clouds.hpp"

namespace jubilant::fake {

std::optional<std::string> stored_cloud_type(Database& db, const std::string& scope,
                                             const std::string& cloud) {
    return db.prepare("SELECT type FROM clouds WHERE scope = ?1 AND name = ?2")
        .bind(scope, cloud)
        .first_row([](const Statement& row) { return row.text(0); });
}

std::vector<StoredCloud> stored_clouds(Database& db, const std::string& scope) {
    Statement& s = db.prepare("SELECT name, definition FROM clouds WHERE scope = ?1 ORDER BY name");
    s.bind(scope);
    std::vector<StoredCloud> out;
    while (s.step()) out.push_back({.name = s.text(0), .definition = s.text(1)});
    s.bind();
    return out;
}

void store_cloud_definition(Database& db, const std::string& scope, const std::string& name,
                            const std::string& type, const std::string& definition) {
    db.prepare(
          "INSERT INTO clouds(scope, name, type, definition) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT(scope, name) DO UPDATE SET type = excluded.type, definition = "
          "excluded.definition")
        .bind(scope, name, type, definition)
        .exec();
}

void delete_cloud(Database& db, const std::string& scope, const std::string& name) {
    db.prepare("DELETE FROM clouds WHERE scope = ?1 AND name = ?2").bind(scope, name).exec();
}

bool credential_exists(Database& db, const std::string& scope, const std::string& cloud,
                       const std::string& name) {
    return db.prepare("SELECT 1 FROM credentials WHERE scope = ?1 AND cloud = ?2 AND name = ?3")
        .bind(scope, cloud, name)
        .has_row();
}

std::optional<std::string> credential_content(Database& db, const std::string& scope,
                                              const std::string& cloud, const std::string& name) {
    return db
        .prepare("SELECT content FROM credentials WHERE scope = ?1 AND cloud = ?2 AND name = ?3")
        .bind(scope, cloud, name)
        .first_row([](const Statement& row) { return row.text(0); });
}

std::vector<CredentialRow> stored_credentials(Database& db, const std::string& scope) {
    Statement& s = db.prepare(
        "SELECT cloud, name, content FROM credentials WHERE scope = ?1 ORDER BY cloud, name");
    s.bind(scope);
    std::vector<CredentialRow> rows;
    while (s.step()) rows.push_back({.cloud = s.text(0), .name = s.text(1), .content = s.text(2)});
    s.bind();
    return rows;
}

void store_credential_content(Database& db, const std::string& scope, const std::string& cloud,
                              const std::string& name, const std::string& content) {
    db.prepare(
          "INSERT INTO credentials(scope, cloud, name, content) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT(scope, cloud, name) DO UPDATE SET content = excluded.content")
        .bind(scope, cloud, name, content)
        .exec();
}

}  // namespace jubilant::fake
