#include "state/models.hpp"

namespace jubilant::fake {

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
