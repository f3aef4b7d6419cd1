#include "state/models.hpp"

#include <fmt/format.h>

#include "state/json_column.hpp"
#include "state/secrets.hpp"

namespace jubilant::fake {
namespace {

constexpr const char* model_columns =
    "SELECT id, controller, owner, name, uuid, type, cloud, region, credential, created_ms "
    "FROM models ";

ModelRow read_model(const Statement& s) {
    return ModelRow{.id = s.integer(0),
                    .controller = s.text(1),
                    .owner = s.text(2),
                    .name = s.text(3),
                    .uuid = s.text(4),
                    .type = s.text(5),
                    .cloud = s.text(6),
                    .region = s.text(7),
                    .credential = s.text(8),
                    .created = s.integer(9)};
}

}  // namespace

std::optional<ModelRow> model_by_name(Database& db, const std::string& controller,
                                      const std::string& owner, const std::string& name) {
    return db
        .prepare(std::string(model_columns) + "WHERE controller = ?1 AND owner = ?2 AND name = ?3")
        .bind(controller, owner, name)
        .first_row(read_model);
}

std::vector<ModelRow> controller_models(Database& db, const std::string& controller) {
    Statement& s = db.prepare(std::string(model_columns) + "WHERE controller = ?1 ORDER BY name");
    s.bind(controller);
    std::vector<ModelRow> rows;
    while (s.step()) rows.push_back(read_model(s));
    s.bind();
    return rows;
}

void insert_model(Database& db, const ModelRow& model, const nlohmann::json& config) {
    db.prepare(
          "INSERT INTO models(controller, owner, name, uuid, type, cloud, region, "
          "credential, created_ms, config) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
        .bind(model.controller, model.owner, model.name, model.uuid, model.type, model.cloud,
              model.region, model.credential, model.created, json_column(config))
        .exec();
}

void delete_model(Database& db, std::int64_t id) {
    for (const char* table : {"applications", "units", "machines", "relations", "offers",
                              "ssh_keys", "log", "remote_files"}) {
        db.prepare(fmt::format("DELETE FROM {} WHERE model_id = ?1", table)).bind(id).exec();
    }
    delete_model_secrets(db, id);
    db.prepare("DELETE FROM models WHERE id = ?1").bind(id).exec();
}

nlohmann::json model_config(Database& db, std::int64_t id) {
    Statement& s = db.prepare("SELECT config FROM models WHERE id = ?1");
    s.bind(id);
    s.step();
    nlohmann::json config = nlohmann::json::parse(s.text(0));
    s.bind();
    return config;
}

void save_model_config(Database& db, std::int64_t id, const nlohmann::json& config) {
    db.prepare("UPDATE models SET config = ?1 WHERE id = ?2").bind(json_column(config), id).exec();
}

nlohmann::ordered_json model_constraints(Database& db, std::int64_t id) {
    Statement& s = db.prepare("SELECT constraints FROM models WHERE id = ?1");
    s.bind(id);
    s.step();
    const std::string text = s.text(0);
    s.bind();
    return text.empty() ? nlohmann::ordered_json::object() : nlohmann::ordered_json::parse(text);
}

void save_model_constraints(Database& db, std::int64_t id,
                            const nlohmann::ordered_json& constraints) {
    db.prepare("UPDATE models SET constraints = ?1 WHERE id = ?2")
        .bind(json_column(constraints), id)
        .exec();
}

std::int64_t count_cloud_models(Database& db, const std::string& controller,
                                const std::string& cloud) {
    Statement& s = db.prepare("SELECT count(*) FROM models WHERE controller = ?1 AND cloud = ?2");
    s.bind(controller, cloud);
    s.step();
    const std::int64_t count = s.integer(0);
    s.bind();
    return count;
}

std::vector<std::string> credential_model_names(Database& db, const std::string& controller,
                                                const std::string& cloud,
                                                const std::string& credential) {
    Statement& s = db.prepare(
        "SELECT name FROM models WHERE controller = ?1 AND cloud = ?2 AND credential = ?3 "
        "ORDER BY name");
    s.bind(controller, cloud, credential);
    std::vector<std::string> names;
    while (s.step()) names.push_back(s.text(0));
    s.bind();
    return names;
}

}  // namespace jubilant::fake
