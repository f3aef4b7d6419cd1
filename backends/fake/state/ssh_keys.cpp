#include "state/ssh_keys.hpp"

namespace jubilant::fake {

bool model_has_ssh_keys(Context& ctx, const ModelRow& model) {
    return ctx.db.prepare("SELECT 1 FROM ssh_keys WHERE model_id = ?1 LIMIT 1")
        .bind(model.id)
        .has_row();
}

bool ssh_key_exists(Context& ctx, const ModelRow& model, const std::string& fingerprint) {
    return ctx.db.prepare("SELECT 1 FROM ssh_keys WHERE model_id = ?1 AND fingerprint = ?2")
        .bind(model.id, fingerprint)
        .has_row();
}

void insert_ssh_key(Context& ctx, const ModelRow& model, const SshKeyRow& key) {
    ctx.db
        .prepare(
            "INSERT INTO ssh_keys(model_id, fingerprint, comment, key) "
            "VALUES (?1, ?2, ?3, ?4)")
        .bind(model.id, key.fingerprint, key.comment, key.key)
        .exec();
}

int delete_ssh_keys(Context& ctx, const ModelRow& model, const std::string& id,
                    const std::string& key) {
    ctx.db
        .prepare(
            "DELETE FROM ssh_keys WHERE model_id = ?1 AND (fingerprint = ?2 OR "
            "(comment = ?2 AND comment != '') OR key = ?3)")
        .bind(model.id, id, key)
        .exec();
    return ctx.db.changes();
}

std::vector<SshKeyRow> model_ssh_keys(Context& ctx, const ModelRow& model) {
    Statement& s = ctx.db.prepare(
        "SELECT fingerprint, comment, key FROM ssh_keys WHERE model_id = ?1 ORDER BY rowid");
    s.bind(model.id);
    std::vector<SshKeyRow> keys;
    while (s.step())
        keys.push_back({.fingerprint = s.text(0), .comment = s.text(1), .key = s.text(2)});
    s.bind();
    return keys;
}

}  // namespace jubilant::fake
