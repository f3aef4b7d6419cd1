#include "state/schema.hpp"

#include <fmt/format.h>

namespace jubilant::fake {
namespace {

constexpr int schema_version = 1;

// One table per kind of thing juju tracks; JSON columns hold the small free-form maps
// (config, charm metadata) that are always read and written whole.
constexpr const char* schema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE controllers(name TEXT PRIMARY KEY, uuid TEXT NOT NULL, cloud TEXT NOT NULL,
  region TEXT NOT NULL, current_model TEXT, created_ms INTEGER NOT NULL);
CREATE TABLE clouds(scope TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
  definition TEXT NOT NULL, PRIMARY KEY(scope, name));
CREATE TABLE credentials(scope TEXT NOT NULL, cloud TEXT NOT NULL, name TEXT NOT NULL,
  content TEXT NOT NULL, PRIMARY KEY(scope, cloud, name));
CREATE TABLE models(id INTEGER PRIMARY KEY, controller TEXT NOT NULL, owner TEXT NOT NULL,
  name TEXT NOT NULL, uuid TEXT NOT NULL, type TEXT NOT NULL, cloud TEXT NOT NULL,
  region TEXT NOT NULL, credential TEXT NOT NULL, created_ms INTEGER NOT NULL,
  config TEXT NOT NULL DEFAULT '{}', constraints TEXT NOT NULL DEFAULT '',
  next_machine INTEGER NOT NULL DEFAULT 0, UNIQUE(controller, owner, name));
CREATE TABLE applications(model_id INTEGER NOT NULL, name TEXT NOT NULL, charm TEXT NOT NULL,
  source TEXT NOT NULL, channel TEXT NOT NULL, revision INTEGER NOT NULL, base TEXT NOT NULL,
  charm_meta TEXT NOT NULL, config TEXT NOT NULL DEFAULT '{}', trust INTEGER NOT NULL DEFAULT 0,
  constraints TEXT NOT NULL DEFAULT '', next_unit INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL, offer_url TEXT, PRIMARY KEY(model_id, name));
CREATE TABLE units(model_id INTEGER NOT NULL, app TEXT NOT NULL, number INTEGER NOT NULL,
  machine TEXT NOT NULL, principal TEXT NOT NULL DEFAULT '', created_ms INTEGER NOT NULL,
  busy_until_ms INTEGER NOT NULL DEFAULT 0, busy_hook TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(model_id, app, number));
CREATE TABLE machines(model_id INTEGER NOT NULL, id TEXT NOT NULL, base TEXT NOT NULL,
  constraints TEXT NOT NULL DEFAULT '', created_ms INTEGER NOT NULL, PRIMARY KEY(model_id, id));
CREATE TABLE relations(model_id INTEGER NOT NULL, id INTEGER NOT NULL,
  provider_app TEXT NOT NULL, provider_endpoint TEXT NOT NULL, requirer_app TEXT NOT NULL,
  requirer_endpoint TEXT NOT NULL, interface TEXT NOT NULL, scope TEXT NOT NULL,
  created_ms INTEGER NOT NULL, PRIMARY KEY(model_id, id));
CREATE TABLE offers(model_id INTEGER NOT NULL, name TEXT NOT NULL, app TEXT NOT NULL,
  endpoints TEXT NOT NULL, PRIMARY KEY(model_id, name));
CREATE TABLE secrets(id TEXT PRIMARY KEY, model_id INTEGER NOT NULL, name TEXT,
  description TEXT, owner TEXT NOT NULL, created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL, auto_prune INTEGER NOT NULL DEFAULT 0);
CREATE TABLE secret_revisions(secret_id TEXT NOT NULL, revision INTEGER NOT NULL,
  content TEXT NOT NULL, created_ms INTEGER NOT NULL, PRIMARY KEY(secret_id, revision));
CREATE TABLE secret_grants(secret_id TEXT NOT NULL, app TEXT NOT NULL,
  PRIMARY KEY(secret_id, app));
CREATE TABLE ssh_keys(model_id INTEGER NOT NULL, fingerprint TEXT NOT NULL,
  comment TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY(model_id, fingerprint));
CREATE TABLE log(id INTEGER PRIMARY KEY, model_id INTEGER NOT NULL, time_ms INTEGER NOT NULL,
  entity TEXT NOT NULL, level TEXT NOT NULL, module TEXT NOT NULL, message TEXT NOT NULL);
CREATE TABLE remote_files(model_id INTEGER NOT NULL, target TEXT NOT NULL, path TEXT NOT NULL,
  content BLOB NOT NULL, PRIMARY KEY(model_id, target, path));
)sql";

}  // namespace

void prepare_schema(Database& db, const std::function<void(Database&)>& seed) {
    // A rollback journal, not WAL: every fake-juju process is a fresh connection, and a fresh
    // connection to a WAL database with no other connection open rebuilds the WAL index by
    // reading and checksumming the whole log, which cost more than the command itself.
    // Every command writes (simulated time moves), so WAL's concurrent readers buy nothing.
    // synchronous=OFF drops the fsyncs: the journal still protects against a killed process,
    // and only an operating-system crash could lose the last commands of a test fake.
    db.exec_script("PRAGMA journal_mode=PERSIST; PRAGMA synchronous=OFF");
    Statement& version = db.prepare("PRAGMA user_version");
    version.bind();
    const bool current = version.step() && version.integer(0) == schema_version;
    version.bind();
    if (current) return;
    Database::Transaction tx(db);
    version.bind();
    const std::int64_t found = version.step() ? version.integer(0) : 0;
    version.bind();
    if (found == 0) {
        db.exec_script(schema);
        seed(db);
        db.exec_script("PRAGMA user_version=" + std::to_string(schema_version));
    } else if (found != schema_version) {
        throw StoreError(
            fmt::format("state database {} has schema version {}, this fake-juju "
                        "understands {}; use a fresh FAKE_JUJU_DATA directory",
                        db.path(), found, schema_version));
    }
    tx.commit();
}

}  // namespace jubilant::fake
