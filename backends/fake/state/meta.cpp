#include "state/meta.hpp"

namespace jubilant::fake {

std::string meta_get(Database& db, std::string_view key, std::string fallback) {
    Statement& s = db.prepare("SELECT value FROM meta WHERE key = ?1");
    s.bind(key);
    std::string value = s.step() ? s.text(0) : std::move(fallback);
    s.bind();
    return value;
}

void meta_set(Database& db, std::string_view key, const std::string& value) {
    db.prepare(
          "INSERT INTO meta(key, value) VALUES (?1, ?2) "
          "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(key, value)
        .exec();
}

std::int64_t next_counter(Database& db, std::string_view key) {
    const std::string name = "counter:" + std::string(key);
    const std::int64_t value = std::stoll(meta_get(db, name, "0")) + 1;
    meta_set(db, name, std::to_string(value));
    return value;
}

}  // namespace jubilant::fake
