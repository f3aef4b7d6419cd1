#include "state/controllers.hpp"

namespace jubilant::fake {
namespace {

constexpr const char* controller_columns =
    "SELECT name, uuid, cloud, region, current_model, created_ms FROM controllers ";

std::optional<ControllerRow> read_controller(Statement& s) {
    std::optional<ControllerRow> row;
    if (s.step()) {
        row = ControllerRow{.name = s.text(0),
                            .uuid = s.text(1),
                            .cloud = s.text(2),
                            .region = s.text(3),
                            .current_model = s.text(4),
                            .created = s.integer(5)};
    }
    return row;
}

}  // namespace

std::optional<ControllerRow> find_controller(Database& db, const std::string& name) {
    Statement& s = db.prepare(std::string(controller_columns) + "WHERE name = ?1");
    s.bind(name);
    auto row = read_controller(s);
    s.bind();
    return row;
}

}  // namespace jubilant::fake
