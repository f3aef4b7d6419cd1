#include "state/secrets.hpp"

#include "state/json_column.hpp"

namespace jubilant::fake {
namespace {

constexpr const char* secret_columns =
    "SELECT id, name, description, owner, created_ms, updated_ms, auto_prune FROM secrets ";

SecretRow read_secret(const Statement& s) {
    return SecretRow{.id = s.text(0),
                     .name = s.optional_text(1),
                     .description = s.optional_text(2),
                     .owner = s.text(3),
                     .created = s.integer(4),
                     .updated = s.integer(5),
                     .auto_prune = s.integer(6) != 0};
}

}  // namespace

std::vector<SecretRow> model_secrets(Database& db, std::int64_t model_id) {
    Statement& s =
        db.prepare(std::string(secret_columns) + "WHERE model_id = ?1 ORDER BY created_ms, id");
    s.bind(model_id);
    std::vector<SecretRow> rows;
    while (s.step()) rows.push_back(read_secret(s));
    s.bind();
    return rows;
}

std::int64_t count_model_secrets(Database& db, std::int64_t model_id) {
    Statement& s = db.prepare("SELECT count(*) FROM secrets WHERE model_id = ?1");
    s.bind(model_id);
    s.step();
    const std::int64_t count = s.integer(0);
    s.bind();
    return count;
}

std::optional<SecretRow> secret_by_id(Database& db, std::int64_t model_id, const std::string& id) {
    return db.prepare(std::string(secret_columns) + "WHERE model_id = ?1 AND id = ?2")
        .bind(model_id, id)
        .first_row(read_secret);
}

std::optional<SecretRow> secret_by_name(Database& db, std::int64_t model_id,
                                        const std::string& name) {
    return db.prepare(std::string(secret_columns) + "WHERE model_id = ?1 AND name = ?2")
        .bind(model_id, name)
        .first_row(read_secret);
}

void insert_secret(Database& db, std::int64_t model_id, const SecretRow& secret) {
    db.prepare(
          "INSERT INTO secrets(id, model_id, name, description, owner, created_ms, "
          "updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)")
        .bind(secret.id, model_id, secret.name, secret.description, secret.owner, secret.created)
        .exec();
}

void update_secret(Database& db, const SecretRow& secret, std::int64_t updated) {
    db.prepare(
          "UPDATE secrets SET name = ?1, description = ?2, auto_prune = ?3, "
          "updated_ms = ?4 WHERE id = ?5")
        .bind(secret.name, secret.description, secret.auto_prune, updated, secret.id)
        .exec();
}

void delete_secret(Database& db, const std::string& id) {
    db.prepare("DELETE FROM secret_revisions WHERE secret_id = ?1").bind(id).exec();
    db.prepare("DELETE FROM secret_grants WHERE secret_id = ?1").bind(id).exec();
    db.prepare("DELETE FROM secrets WHERE id = ?1").bind(id).exec();
}

void delete_model_secrets(Database& db, std::int64_t model_id) {
    db.prepare(
          "DELETE FROM secret_revisions WHERE secret_id IN (SELECT id FROM secrets WHERE "
          "model_id = ?1)")
        .bind(model_id)
        .exec();
    db.prepare(
          "DELETE FROM secret_grants WHERE secret_id IN (SELECT id FROM secrets WHERE model_id = "
          "?1)")
        .bind(model_id)
        .exec();
    db.prepare("DELETE FROM secrets WHERE model_id = ?1").bind(model_id).exec();
}

std::vector<RevisionRow> secret_revisions(Database& db, const std::string& id) {
    Statement& s = db.prepare(
        "SELECT revision, content, created_ms FROM secret_revisions WHERE secret_id = ?1 "
        "ORDER BY revision");
    s.bind(id);
    std::vector<RevisionRow> rows;
    while (s.step()) {
        rows.push_back({.revision = s.integer(0), .content = s.text(1), .created = s.integer(2)});
    }
    s.bind();
    return rows;
}

void insert_revision(Database& db, const std::string& id, std::int64_t revision,
                     const nlohmann::json& content, std::int64_t created) {
    db.prepare(
          "INSERT INTO secret_revisions(secret_id, revision, content, created_ms) "
          "VALUES (?1, ?2, ?3, ?4)")
        .bind(id, revision, json_column(content), created)
        .exec();
}

void delete_revision(Database& db, const std::string& id, std::int64_t revision) {
    db.prepare("DELETE FROM secret_revisions WHERE secret_id = ?1 AND revision = ?2")
        .bind(id, revision)
        .exec();
}

void delete_revisions_before(Database& db, const std::string& id, std::int64_t revision) {
    db.prepare("DELETE FROM secret_revisions WHERE secret_id = ?1 AND revision < ?2")
        .bind(id, revision)
        .exec();
}

std::vector<std::string> secret_grants(Database& db, const std::string& id) {
    Statement& s = db.prepare("SELECT app FROM secret_grants WHERE secret_id = ?1 ORDER BY app");
    s.bind(id);
    std::vector<std::string> apps;
    while (s.step()) apps.push_back(s.text(0));
    s.bind();
    return apps;
}

void grant_secret(Database& db, const std::string& id, const std::string& app) {
    db.prepare("INSERT OR IGNORE INTO secret_grants(secret_id, app) VALUES (?1, ?2)")
        .bind(id, app)
        .exec();
}

void revoke_secret(Database& db, const std::string& id, const std::string& app) {
    db.prepare("DELETE FROM secret_grants WHERE secret_id = ?1 AND app = ?2").bind(id, app).exec();
}

void revoke_app_grants(Database& db, std::int64_t model_id, const std::string& app) {
    db.prepare(
          "DELETE FROM secret_grants WHERE app = ?2 AND secret_id IN "
          "(SELECT id FROM secrets WHERE model_id = ?1)")
        .bind(model_id, app)
        .exec();
}

}  // namespace jubilant::fake
