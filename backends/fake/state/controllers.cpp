#include "state/controllers.hpp"

namespace jubilant::fake {
namespace {

constexpr const char* controller_columns =
    "SELECT name, uuid, cloud, region, current_model, created_ms FROM controllers ";

ControllerRow read_controller(const Statement& s) {
    return ControllerRow{.name = s.text(0),
                         .uuid = s.text(1),
                         .cloud = s.text(2),
                         .region = s.text(3),
                         .current_model = s.text(4),
                         .created = s.integer(5)};
}

}  // namespace

std::optional<ControllerRow> find_controller(Database& db, const std::string& name) {
    return db.prepare(std::string(controller_columns) + "WHERE name = ?1")
        .bind(name)
        .first_row(read_controller);
}

bool controller_exists(Database& db, const std::string& name) {
    return db.prepare("SELECT 1 FROM controllers WHERE name = ?1").bind(name).has_row();
}

std::vector<ControllerRow> all_controllers(Database& db) {
    Statement& s = db.prepare(std::string(controller_columns) + "ORDER BY name");
    s.bind();
    std::vector<ControllerRow> rows;
    while (s.step()) rows.push_back(read_controller(s));
    s.bind();
    return rows;
}

std::string controller_current_model(Database& db, const std::string& name) {
    const auto row = find_controller(db, name);
    return row ? row->current_model : std::string();
}

void set_current_model(Database& db, const std::string& controller, const std::string& model) {
    db.prepare("UPDATE controllers SET current_model = ?1 WHERE name = ?2")
        .bind(model, controller)
        .exec();
}

void insert_controller(Database& db, const ControllerRow& controller) {
    db.prepare(
          "INSERT INTO controllers(name, uuid, cloud, region, current_model, created_ms) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(controller.name, controller.uuid, controller.cloud, controller.region,
              controller.current_model, controller.created)
        .exec();
}

}  // namespace jubilant::fake
