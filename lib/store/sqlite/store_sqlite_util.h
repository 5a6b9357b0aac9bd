// Helpers shared by the files of the SQLite store (lib/store/sqlite/*.cpp): error
// translation and value conversions. Internal to the store module; nothing else includes it.
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "errors.h"
#include "model.h"

namespace liaison::sqlite_util {

constexpr int kBusyTimeoutMs = 10000;

/// Translates SQLiteCpp exceptions into the project's error types, with context: `doing`
/// is one of the catalogue's doing_… phrases ("reading the history").
[[noreturn]] inline void rethrow(const SQLite::Exception& e, const Message& doing) {
  int code = e.getErrorCode() & 0xff;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    throw BusyError(msg<Msg::database_busy_while>(doing), msg<Msg::another_liaison_command_holds_try_again>());
  if (code == SQLITE_READONLY)
    throw StoreError(msg<Msg::database_read_only_while>(doing, e.what()), msg<Msg::check_file_permissions>());
  throw StoreError(msg<Msg::database_error_while>(doing, e.what()), msg<Msg::run_audit_verify_restore>());
}

/// The connection's page cache set to `kib` KiB for a while, then set back.
class CacheSize {
 public:
  CacheSize(SQLite::Database& db, int kib) : db_(db), before_(db.execAndGet("PRAGMA cache_size").getInt()) {
    db_.exec(fmt::format("PRAGMA cache_size = {}", -kib));
  }
  CacheSize(const CacheSize&) = delete;
  CacheSize& operator=(const CacheSize&) = delete;
  ~CacheSize() {
    try {
      db_.exec(fmt::format("PRAGMA cache_size = {}", before_));
    } catch (...) {  // never from a destructor; the connection ends with the command anyway
    }
  }

 private:
  SQLite::Database& db_;
  int before_;
};

/// A query stepped through SQLite's C API, for the passes over every row: SQLiteCpp's
/// getColumn copies a shared_ptr per value — an atomic increment and decrement once a
/// second thread exists (audit verify's) — which cost more than the rest of reading an
/// event. Errors come as SQLite::Exception, like SQLiteCpp's.
class Cursor {
 public:
  Cursor(SQLite::Database& db, const char* sql) {
    if (int rc = sqlite3_prepare_v2(db.getHandle(), sql, -1, &stmt_, nullptr); rc != SQLITE_OK)
      throw SQLite::Exception(db.getHandle(), rc);
  }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  ~Cursor() { sqlite3_finalize(stmt_); }
  /// The next row; false at the end.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SQLite::Exception(sqlite3_db_handle(stmt_), rc);
  }
  /// Binds parameter ?i (SQLITE_TRANSIENT: the value is copied).
  void bind(int i, std::int64_t v) { check(sqlite3_bind_int64(stmt_, i, v)); }
  void bind(int i, const std::string& v) {
    check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  bool null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  std::int64_t integer(int i) const { return sqlite3_column_int64(stmt_, i); }
  std::optional<TimePoint> time(int i) const {
    if (null(i)) return std::nullopt;
    return TimePoint{std::chrono::seconds{integer(i)}};
  }
  /// The value's bytes (NULL: none), as SQLiteCpp's getString reads them; valid until the next step.
  std::string_view text(int i) const {
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
    return bytes ? std::string_view(bytes, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string_view();
  }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) throw SQLite::Exception(sqlite3_db_handle(stmt_), rc);
  }
  sqlite3_stmt* stmt_ = nullptr;
};

/// LIAISON_TRACE_SQL: each statement `db` runs, its values filled in, appended to `out`
/// (not a trigger's own statements). One fprintf per statement, so two connections on two
/// threads may share `out`.
inline void trace_statements(sqlite3* db, std::FILE* out) {
  sqlite3_trace_v2(
      db, SQLITE_TRACE_STMT,
      [](unsigned, void* file, void* stmt, void* text) -> int {
        if (static_cast<const char*>(text)[0] == '-') return 0;  // a trigger's statement
        if (char* sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(stmt))) {
          std::fprintf(static_cast<std::FILE*>(file), "%s;\n", sql);
          sqlite3_free(sql);
        }
        return 0;
      },
      out);
}

inline std::optional<TimePoint> opt_time(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return TimePoint{std::chrono::seconds{c.getInt64()}};
}
using liaison::secs;  ///< lib/core/model.h

inline void bind_opt(SQLite::Statement& s, int i, const std::optional<TimePoint>& t) {
  if (t) s.bind(i, static_cast<std::int64_t>(secs(*t)));
  else s.bind(i);
}

inline std::string join(const std::vector<std::string>& v, char sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out.push_back(sep);
    out += s;
  }
  return out;
}
inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos - start));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return out;
}

/// An event row in the column order id, record_id, ref, type, actor, at, data,
/// prev_hash, hash, salt, recorded_at (record_id and ref may be NULL: registry events;
/// recorded_at NULL: written before schema 7).
inline Event read_event(SQLite::Statement& s) {
  Event e;
  e.id = s.getColumn(0).getInt64();
  e.record_id = s.getColumn(1).isNull() ? 0 : s.getColumn(1).getInt64();
  e.ref = s.getColumn(2).isNull() ? "" : s.getColumn(2).getString();
  e.type = s.getColumn(3).getString();
  e.actor = s.getColumn(4).getString();
  e.at = TimePoint{std::chrono::seconds{s.getColumn(5).getInt64()}};
  e.data = s.getColumn(6).getString();
  e.prev_hash = s.getColumn(7).getString();
  e.hash = s.getColumn(8).getString();
  e.salt = s.getColumn(9).getString();
  if (!s.getColumn(10).isNull()) e.recorded_at = TimePoint{std::chrono::seconds{s.getColumn(10).getInt64()}};
  return e;
}

}  // namespace liaison::sqlite_util
