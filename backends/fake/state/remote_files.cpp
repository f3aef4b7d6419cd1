#include "state/remote_files.hpp"

namespace jubilant::fake {

std::optional<std::string> remote_file(Context& ctx, const ModelRow& model,
                                       const std::string& target, const std::string& path) {
    return ctx.db
        .prepare(
            "SELECT content FROM remote_files WHERE model_id = ?1 AND target = ?2 AND path = ?3")
        .bind(model.id, target, path)
        .first_row([](const Statement& row) { return row.text(0); });
}

void store_remote_file(Context& ctx, const ModelRow& model, const std::string& target,
                       const std::string& path, const std::string& content) {
    ctx.db
        .prepare(
            "INSERT INTO remote_files(model_id, target, path, content) "
            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(model_id, target, path) "
            "DO UPDATE SET content = excluded.content")
        .bind(model.id, target, path, content)
        .exec();
}

std::map<std::string, std::string> remote_directory(Context& ctx, const ModelRow& model,
                                                    const std::string& target, std::string dir) {
    if (!dir.ends_with("/")) dir += "/";
    Statement& s = ctx.db.prepare(
        "SELECT path, content FROM remote_files WHERE model_id = ?1 AND target = ?2 "
        "AND substr(path, 1, length(?3)) = ?3 ORDER BY path");
    s.bind(model.id, target, dir);
    std::map<std::string, std::string> files;
    while (s.step()) files[s.text(0).substr(dir.size())] = s.text(1);
    s.bind();
    return files;
}

}  // namespace jubilant::fake
