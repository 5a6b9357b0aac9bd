// Helpers shared by the files of the SQLite store (lib/store/sqlite/*.cpp): error
// translation and value conversions. Internal to the store module; nothing else includes it.
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

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
