// The audit queries of the SQLite store (Store::audit_events, record_histories,
// Maintenance::integrity_check, OnlineBackup::backup_to); SqliteStore delegates to them
// with its connection. Internal to the store module.
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <string>

#include "store.h"

namespace liaison::sqlite_audit {

/// Store::audit_events on `db`.
void audit_events(SQLite::Database& db, const EventFilter& filter,
                  const std::function<void(const Event&, const std::string& level)>& each);
/// The page cache record_histories reads with (KiB): most of the table pages of the
/// events still to come, so that replaying record by record does not read a page per
/// event, while `audit verify` stays under 64 MB at 1,000,000 records
/// (tests/bench/verify.sh, liaison-audit-verify(1)).
constexpr int kHistoryCacheKiB = 24 * 1024;
/// Store::record_histories: `records` is the store's "SELECT <record columns> FROM records
/// ORDER BY id", `read_record` decodes one of its rows.
void record_histories(SQLite::Database& db, SQLite::Statement& records, Record (*read_record)(SQLite::Statement&),
                      const std::function<void(const RecordHistory&)>& each);
/// Store::each_chain_event on `db`.
void each_chain_event(SQLite::Database& db, const std::function<void(const Event&)>& each);
/// Maintenance::integrity_check on `db`.
std::string integrity_check(SQLite::Database& db);
/// OnlineBackup::backup_to: `db` copied into the file at `path`.
BackupCopy backup_to(SQLite::Database& db, const std::string& path);

}  // namespace liaison::sqlite_audit
