// The overdue query of the SQLite store (Store::overdue_obligations), kept out of
// store_sqlite.cpp; SqliteStore delegates to it with its prepared statement. Internal to
// the store module.
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>

#include <string>

#include "store.h"

namespace liaison::sqlite_overdue {

/// SQL of Store::overdue_obligations: ?1 = due before (UTC seconds); ?2, ?3, ?4 = JSON
/// arrays of owner, assignee and kind ids, or NULL for any.
const std::string& overdue_obligations_sql();
/// Runs overdue_obligations_sql() (prepared by the store), calling `each` once per row.
void overdue_obligations(SQLite::Statement& query, const OverdueQuery& filter,
                         const std::function<void(OverdueEntry&)>& each);

}  // namespace liaison::sqlite_overdue
