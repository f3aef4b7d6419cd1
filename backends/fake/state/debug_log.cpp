#include "state/debug_log.hpp"

namespace jubilant::fake {

void log_line(Context& ctx, const ModelRow& model, const std::string& entity,
              const std::string& level, const std::string& message) {
    ctx.db
        .prepare(
            "INSERT INTO log(model_id, time_ms, entity, level, module, message) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(model.id, ctx.now, entity, level, "juju.worker.uniter", message)
        .exec();
}

std::vector<LogEntry> log_entries(Context& ctx, const ModelRow& model) {
    Statement& s = ctx.db.prepare(
        "SELECT time_ms, entity, level, module, message FROM log "
        "WHERE model_id = ?1 ORDER BY id");
    s.bind(model.id);
    std::vector<LogEntry> entries;
    while (s.step()) {
        entries.push_back({.time_ms = s.integer(0),
                           .entity = s.text(1),
                           .level = s.text(2),
                           .module = s.text(3),
                           .message = s.text(4)});
    }
    s.bind();
    return entries;
}

}  // namespace jubilant::fake
