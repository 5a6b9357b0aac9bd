// The reminder queries of the SQLite store, kept out of store_sqlite.cpp; SqliteStore
// delegates to them with its prepared statements. Internal to the store module.
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>

#include <vector>

#include "model.h"

namespace liaison::sqlite_remind {

/// SQL of Store::reminders_since: ?1 = since (UTC seconds).
extern const char* const kRemindersSince;
/// Runs kRemindersSince (prepared by the store) and reads its events.
std::vector<Event> reminders_since(SQLite::Statement& query, TimePoint since);

}  // namespace liaison::sqlite_remind
