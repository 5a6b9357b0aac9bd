// SQLite queries for `liaison audit log` and `audit verify` (the histories to replay,
// the events in chain order), and the online backup behind `liaison backup`.
#include "store_sqlite_audit.h"

#include <SQLiteCpp/Backup.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "sqlite_store.h"
#include "store_sqlite_util.h"

namespace liaison::sqlite_audit {

using namespace sqlite_util;

using sqlite_util::Cursor;

namespace {

/// Resets a kept statement however the query ends, so the next run starts clean.
struct ResetOnExit {
  SQLite::Statement& statement;
  ~ResetOnExit() { statement.tryReset(); }
};

/// The event of the current row of `events`, which selects id, record_id, type, actor, at,
/// data, prev_hash, hash, salt, recorded_at, data_sha256 in that order, assigned into `e`'s buffers
/// (its ref is left as it is; no record: record_id 0).
void assign_event(const Cursor& events, Event& e) {
  e.id = events.integer(0);
  e.record_id = events.null(1) ? 0 : events.integer(1);
  e.type.assign(events.text(2));
  e.actor.assign(events.text(3));
  e.at = TimePoint{std::chrono::seconds{events.integer(4)}};
  e.data.assign(events.text(5));
  e.prev_hash.assign(events.text(6));
  e.hash.assign(events.text(7));
  e.salt.assign(events.text(8));
  e.recorded_at = events.time(9);
  e.data_sha256.assign(events.null(10) ? std::string_view() : events.text(10));
}

}  // namespace

void audit_events(SQLite::Database& db, const EventFilter& f,
                  const std::function<void(const Event&, const std::string& level)>& each) {
  // The WHERE clause is assembled from fixed fragments; every value is bound (lists as
  // one JSON array each). Which fragments appear decides the plan: a --ref filter reads
  // events_record (record_id, id); a --type filter with a time window reads
  // events_type_at (type, at) and sorts what it finds by id. Otherwise events are read
  // in id order and filtered as they pass, so rows come out at once and --limit stops the
  // scan early: a --type alone does not use the index (`+e.type`), because sorting every
  // event of a common type by id costs more than reading the history once (on 3.3
  // million events, 885,000 closings: 17 s to sort them before the first row, against
  // one pass).
  std::string where;
  std::vector<std::pair<int, std::string>> texts;
  std::vector<std::pair<int, std::int64_t>> numbers;
  int next = 0;
  auto clause = [&](const std::string& c) { where += (where.empty() ? " WHERE " : " AND ") + c; };
  auto list = [&](const char* fragment, const std::vector<std::string>& values) {
    if (values.empty()) return;
    texts.emplace_back(++next, nlohmann::json(values).dump());
    clause(fmt::format(fmt::runtime(fragment), next));
  };
  list("e.actor IN (SELECT value FROM json_each(?{}))", f.actors);
  list(f.since || f.until ? "e.type IN (SELECT value FROM json_each(?{}))"
                          : "+e.type IN (SELECT value FROM json_each(?{}))",
       f.types);
  list("e.record_id IN (SELECT id FROM records WHERE ref IN (SELECT value FROM json_each(?{})))", f.refs);
  if (f.since) {
    numbers.emplace_back(++next, secs(*f.since));
    clause(fmt::format("e.at >= ?{}", next));
  }
  if (f.until) {
    numbers.emplace_back(++next, secs(*f.until));
    clause(fmt::format("e.at < ?{}", next));
  }
  std::string sql = fmt::format(
      "SELECT e.id, e.record_id, r.ref, e.type, e.actor, e.at, e.data, e.prev_hash, e.hash, e.salt, e.recorded_at, coalesce(r.level, '') "
      "FROM events e LEFT JOIN records r ON r.id = e.record_id{} ORDER BY e.id {}",
      where, f.newest_first ? "DESC" : "ASC");
  if (f.limit > 0) {
    numbers.emplace_back(++next, f.limit);
    sql += fmt::format(" LIMIT ?{}", next);
  }
  try {
    SQLite::Statement s(db, sql);
    for (const auto& [i, v] : texts) s.bind(i, v);
    for (const auto& [i, v] : numbers) s.bind(i, static_cast<std::int64_t>(v));
    std::string level;
    while (s.executeStep()) {
      Event e = read_event(s);
      level = s.getColumn(11).getString();
      each(e, level);
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_history>());
  }
}

void record_histories(SQLite::Database& db, SQLite::Statement& records, Record (*read_record)(SQLite::Statement&),
                      const std::function<void(const RecordHistory&)>& each) {
  // Three cursors in record id order, merged: records (primary key), clocks (its primary
  // key is (record_id, name)) and events (events_record is (record_id, id)). Only one
  // record's rows are held at a time, and the events' strings are reused from one
  // history to the next.
  ResetOnExit reset{records};
  try {
    // A record's events lie apart in the table (filed one week, closed the next), so
    // reading them by record fetches a table page per event. The pages of the events
    // still to come are those of the last weeks' records: a page cache of kHistoryCacheKiB
    // keeps most of them, where the default 2 MB sent nearly every event back to the
    // kernel (at 1,000,000 records, reading the events alone in the sqlite3 shell took
    // 10.1 s of CPU with 2 MB, 6.6 s with 24 or 32 MB, 6.2 s with 40 MB).
    CacheSize cache{db, kHistoryCacheKiB};
    Cursor clocks(db,
                  "SELECT record_id, name, duration, started_at, due, stopped_at, used_seconds, "
                  "paused_since, paused_seconds, config_hash, provisional, given FROM clocks "
                  "ORDER BY record_id, name");
    Cursor events(db,
                  "SELECT id, record_id, type, actor, at, data, prev_hash, hash, salt, recorded_at, data_sha256 FROM events "
                  "WHERE record_id IS NOT NULL ORDER BY record_id, id");
    bool have_clock = clocks.step();
    bool have_event = events.step();
    RecordHistory h;
    std::vector<Event> spare;  // the events of earlier histories, kept for their buffers
    // The current event row appended to h.events, `ref` its record's reference.
    auto take_event = [&](std::string_view ref) {
      if (spare.empty()) {
        h.events.emplace_back();
      } else {
        h.events.push_back(std::move(spare.back()));
        spare.pop_back();
      }
      Event& e = h.events.back();
      assign_event(events, e);
      e.ref.assign(ref);
      have_event = events.step();
    };
    auto start_history = [&](std::int64_t record_id) {
      h.record_id = record_id;
      for (auto& e : h.events) spare.push_back(std::move(e));
      h.events.clear();
    };
    // Events of ids below `below` that have no record row: one history per id.
    auto orphans_before = [&](std::optional<std::int64_t> below) {
      while (have_event && (!below || events.integer(1) < *below)) {
        start_history(events.integer(1));
        h.record.reset();
        while (have_event && events.integer(1) == h.record_id) take_event({});
        each(h);
      }
    };
    while (records.executeStep()) {
      Record r = read_record(records);
      orphans_before(r.id);
      while (have_clock && clocks.integer(0) < r.id) have_clock = clocks.step();
      while (have_clock && clocks.integer(0) == r.id) {
        Clock c;
        c.name = clocks.text(1);
        c.duration = clocks.text(2);
        c.started_at = TimePoint{std::chrono::seconds{clocks.integer(3)}};
        c.due = clocks.time(4);
        c.stopped_at = clocks.time(5);
        if (!clocks.null(6)) c.used_seconds = clocks.integer(6);
        c.paused_since = clocks.time(7);
        c.paused_seconds = clocks.integer(8);
        c.config_hash = clocks.text(9);
        c.provisional = clocks.integer(10) != 0;
        c.given = clocks.integer(11) != 0;
        r.clocks.push_back(std::move(c));
        have_clock = clocks.step();
      }
      start_history(r.id);
      while (have_event && events.integer(1) == r.id) take_event(r.ref);
      h.record = std::move(r);
      each(h);
    }
    orphans_before(std::nullopt);
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_histories>());
  }
}

void each_chain_event(SQLite::Database& db, const std::function<void(const Event&)>& each) {
  // The table alone, in id order, one Event reused: looking up each event's record for
  // its ref (each_event's LEFT JOIN) took 10 s of CPU at 1,000,000 records against 2.5 s
  // for reading the events.
  try {
    Cursor events(db, "SELECT id, record_id, type, actor, at, data, prev_hash, hash, salt, recorded_at, data_sha256 FROM events "
                      "ORDER BY id");
    Event e;
    while (events.step()) {
      assign_event(events, e);
      each(e);
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_history>());
  }
}

std::string integrity_check(SQLite::Database& db) {
  try {
    SQLite::Statement s(db, "PRAGMA integrity_check(20)");
    std::string out;
    while (s.executeStep()) out += (out.empty() ? "" : "\n") + s.getColumn(0).getString();
    return out;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_checking_integrity>());
  }
}

BackupCopy backup_to(SQLite::Database& db, const std::string& path) {
  BackupCopy copy;
  try {
    SQLite::Database target(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
    {
      // All pages in one step: sqlite3_backup_step(-1) holds one read transaction on the
      // source for the whole copy, so the copy is the snapshot that transaction sees (in
      // WAL mode, writers go on meanwhile; their commits are simply not in it). The
      // source's busy handler is not consulted here, so a busy source is retried.
      SQLite::Backup backup(target, db);
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds{kBusyTimeoutMs};
      for (;;) {
        int rc = backup.executeStep(-1);
        if (rc == SQLITE_DONE) break;
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || std::chrono::steady_clock::now() > give_up)
          throw BusyError(msg<Msg::database_busy_while>(msg<Msg::doing_copying_it>()), msg<Msg::another_program_holds_db>());
        std::this_thread::sleep_for(std::chrono::milliseconds{50});
      }
      copy.pages = backup.getTotalPageCount();
    }
    // The copy's header says WAL, like its source; a backup is better one file.
    target.exec("PRAGMA journal_mode = DELETE");
    copy.page_size = target.execAndGet("PRAGMA page_size").getInt64();
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_copying_database_to>(path));
  }
  return copy;
}

}  // namespace liaison::sqlite_audit

// SqliteStore's audit queries and its OnlineBackup and Maintenance capabilities.
namespace liaison {

void SqliteStore::audit_events(const EventFilter& f,
                               const std::function<void(const Event&, const std::string& level)>& each) {
  sqlite_audit::audit_events(db_, f, each);
}
void SqliteStore::record_histories(const std::function<void(const RecordHistory&)>& each) {
  sqlite_audit::record_histories(db_, stmt(fmt::format("SELECT {} FROM records ORDER BY id", kRecordColumns)),
                                 read_record, each);
}
void SqliteStore::each_chain_event(const std::function<void(const Event&)>& each) {
  sqlite_audit::each_chain_event(db_, each);
}
std::string SqliteStore::integrity_check() { return sqlite_audit::integrity_check(db_); }
BackupCopy SqliteStore::backup_to(const std::string& path) { return sqlite_audit::backup_to(db_, path); }

}  // namespace liaison
