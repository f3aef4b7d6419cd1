// The state database's tables: created (and seeded) in a fresh database, checked in an
// existing one. One schema version; a database of another is refused, never migrated.
#pragma once

#include <functional>

#include "state/store.hpp"

namespace jubilant::fake {

/// Sets the connection up for the fake (journal, syncing), then creates the tables in a fresh
/// database and calls `seed` to fill them, all in one transaction. Throws StoreError when the
/// database has a schema version this fake does not understand.
void prepare_schema(Database& db, const std::function<void(Database&)>& seed);

}  // namespace jubilant::fake
