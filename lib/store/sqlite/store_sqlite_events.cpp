// The SQLite store's events (lib/store/sqlite/sqlite_store.h): the storage of the hash
// chain that lib/services/chain.h computes, a record's history, and the queries over
// events that reminders and the overdue list need.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <cstdint>

#include "sqlite_store.h"
#include "store_sqlite_overdue.h"
#include "store_sqlite_remind.h"
#include "store_sqlite_search.h"
#include "store_sqlite_util.h"

namespace liaison {

using namespace sqlite_util;

Store::ChainTip SqliteStore::chain_tip() {
  try {
    auto& last = stmt("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1");
    ChainTip tip;
    if (last.executeStep()) {
      tip.id = last.getColumn(0).getInt64();
      tip.hash = last.getColumn(1).getString();
    }
    last.reset();
    return tip;
  } catch (const SQLite::Exception& ex) {
    rethrow(ex, msg<Msg::doing_appending_history>());
  }
}

void SqliteStore::insert_event(const Event& e) {
  try {
    auto& ins = stmt("INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash, salt, recorded_at, data_sha256) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    ins.bind(1, static_cast<std::int64_t>(e.id));
    if (e.record_id) ins.bind(2, static_cast<std::int64_t>(e.record_id));
    else ins.bind(2);
    ins.bind(3, e.type);
    ins.bind(4, e.actor);
    ins.bind(5, static_cast<std::int64_t>(secs(e.at)));
    ins.bind(6, e.data);
    ins.bind(7, e.prev_hash);
    ins.bind(8, e.hash);
    ins.bind(9, e.salt);
    if (e.recorded_at) ins.bind(10, static_cast<std::int64_t>(secs(*e.recorded_at)));
    else ins.bind(10);
    if (!e.data_sha256.empty()) ins.bind(11, e.data_sha256);
    else ins.bind(11);
    ins.exec();
    // The search index follows the history in the same transaction: at once, or for an
    // import, all at once in finish_bulk_write.
    if (e.record_id && defer_search_) {
      if (!deferred_search_from_) deferred_search_from_ = e.id;
    } else if (e.record_id) {
      sqlite_search::index_event(stmt(sqlite_search::kIndexEvent), e.id);
    }
  } catch (const SQLite::Exception& ex) {
    rethrow(ex, msg<Msg::doing_appending_history>());
  }
}

std::vector<Event> SqliteStore::events_for(std::int64_t record_id) {
  try {
    auto& s = stmt("SELECT e.id, e.record_id, r.ref, e.type, e.actor, e.at, e.data, e.prev_hash, e.hash, e.salt, e.recorded_at "
                   "FROM events e LEFT JOIN records r ON r.id = e.record_id "
                   "WHERE e.record_id = ?1 ORDER BY e.id");
    s.bind(1, static_cast<std::int64_t>(record_id));
    std::vector<Event> out;
    while (s.executeStep()) out.push_back(read_event(s));
    s.reset();
    return out;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_history>());
  }
}

std::optional<TimePoint> SqliteStore::latest_event_at(std::int64_t record_id) {
  try {
    // events_record (record_id, id): the newest of the record is the index's last entry.
    auto& s = stmt("SELECT at FROM events WHERE record_id = ?1 ORDER BY id DESC LIMIT 1");
    s.bind(1, static_cast<std::int64_t>(record_id));
    std::optional<TimePoint> at;
    if (s.executeStep()) at = TimePoint{std::chrono::seconds{s.getColumn(0).getInt64()}};
    s.reset();
    return at;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_history>());
  }
}

void SqliteStore::each_event(const std::function<void(const Event&)>& each) {
  try {
    // Not a kept statement: `each` may run other statements meanwhile (not this one).
    SQLite::Statement s(db_, "SELECT e.id, e.record_id, r.ref, e.type, e.actor, e.at, e.data, e.prev_hash, e.hash, e.salt, e.recorded_at "
                             "FROM events e LEFT JOIN records r ON r.id = e.record_id ORDER BY e.id");
    while (s.executeStep()) each(read_event(s));
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_history>());
  }
}

std::int64_t SqliteStore::last_event_id() {
  return db_.execAndGet("SELECT coalesce(max(id), 0) FROM events").getInt64();
}

std::optional<std::string> SqliteStore::record_of_message(const std::string& message_sha256) {
  try {
    // The event itself must carry the digest: a row put into event_messages behind the
    // tool's back must not make a new message look delivered (and so be dropped).
    auto& s = stmt(
        "SELECT r.ref FROM event_messages m JOIN events e ON e.id = m.event_id JOIN records r ON r.id = e.record_id "
        "WHERE m.message_sha256 = ?1 AND json_extract(e.data, '$.message_sha256') = ?1");
    s.bind(1, message_sha256);
    std::optional<std::string> ref;
    if (s.executeStep()) ref = s.getColumn(0).getString();
    s.reset();
    return ref;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_history>());
  }
}

std::vector<MessageIndexDifference> SqliteStore::message_index_differences(std::size_t limit) {
  std::vector<MessageIndexDifference> out;
  try {
    // Set differences both ways; instr() passes over the events without a digest (nearly
    // all) before any JSON is parsed.
    SQLite::Statement s(
        db_,
        "WITH h AS (SELECT json_extract(data, '$.message_sha256') AS d, id FROM events"
        "  WHERE instr(data, '\"message_sha256\"') > 0 AND json_valid(data)"
        "  AND json_extract(data, '$.message_sha256') IS NOT NULL),"
        " k AS (SELECT message_sha256 AS d, event_id AS id FROM event_messages)"
        " SELECT d, id, kept, in_history FROM ("
        "  SELECT d, id, 1 AS kept, 0 AS in_history FROM (SELECT d, id FROM k EXCEPT SELECT d, id FROM h)"
        "  UNION ALL SELECT d, id, 0, 1 FROM (SELECT d, id FROM h EXCEPT SELECT d, id FROM k))"
        " ORDER BY id LIMIT ?1");
    s.bind(1, static_cast<std::int64_t>(limit));
    while (s.executeStep())
      out.push_back({s.getColumn(0).getString(), s.getColumn(1).getInt64(), s.getColumn(2).getInt() != 0,
                     s.getColumn(3).getInt() != 0});
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_history>());
  }
  return out;
}

std::vector<ScheduleIndexDifference> SqliteStore::schedule_index_differences(std::size_t limit) {
  std::vector<ScheduleIndexDifference> out;
  try {
    // As the mail index's above: instr() passes over the events without a schedule.
    SQLite::Statement s(
        db_,
        "WITH h AS (SELECT json_extract(data, '$.schedule.id') AS s, json_extract(data, '$.schedule.period') AS p,"
        "  record_id AS id FROM events WHERE type = 'filed' AND instr(data, '\"schedule\"') > 0 AND json_valid(data)"
        "  AND json_extract(data, '$.schedule.id') IS NOT NULL),"
        " k AS (SELECT schedule AS s, period AS p, record_id AS id FROM schedule_records)"
        " SELECT s, p, id, kept, in_history FROM ("
        "  SELECT s, p, id, 1 AS kept, 0 AS in_history FROM (SELECT s, p, id FROM k EXCEPT SELECT s, p, id FROM h)"
        "  UNION ALL SELECT s, p, id, 0, 1 FROM (SELECT s, p, id FROM h EXCEPT SELECT s, p, id FROM k))"
        " ORDER BY id, s, p LIMIT ?1");
    s.bind(1, static_cast<std::int64_t>(limit));
    while (s.executeStep())
      out.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getInt64(),
                     s.getColumn(3).getInt() != 0, s.getColumn(4).getInt() != 0});
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_history>());
  }
  return out;
}

std::optional<std::string> SqliteStore::event_hash(std::int64_t id) {
  try {
    auto& s = stmt("SELECT hash FROM events WHERE id = ?1");
    s.bind(1, static_cast<std::int64_t>(id));
    std::optional<std::string> hash;
    if (s.executeStep()) hash = s.getColumn(0).getString();
    s.reset();
    return hash;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_history>());
  }
}

namespace {

constexpr const char* kCheckpointColumns = "id, event_id, event_hash, at, public_key, signature, statement";

Checkpoint read_checkpoint(SQLite::Statement& s) {
  Checkpoint c;
  c.id = s.getColumn(0).getInt64();
  c.event_id = s.getColumn(1).getInt64();
  c.event_hash = s.getColumn(2).getString();
  c.at = TimePoint{std::chrono::seconds{s.getColumn(3).getInt64()}};
  c.public_key = s.getColumn(4).getString();
  c.signature = s.getColumn(5).getString();
  c.statement = s.getColumn(6).getString();
  return c;
}

}  // namespace

void SqliteStore::insert_checkpoint(const Checkpoint& c) {
  try {
    auto& ins = stmt("INSERT INTO checkpoints (event_id, event_hash, at, public_key, signature, statement) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    ins.bind(1, static_cast<std::int64_t>(c.event_id));
    ins.bind(2, c.event_hash);
    ins.bind(3, static_cast<std::int64_t>(secs(c.at)));
    ins.bind(4, c.public_key);
    ins.bind(5, c.signature);
    ins.bind(6, c.statement);
    ins.exec();
  } catch (const SQLite::Exception& ex) {
    rethrow(ex, msg<Msg::doing_appending_history>());
  }
}

void SqliteStore::each_checkpoint(const std::function<void(const Checkpoint&)>& each) {
  try {
    SQLite::Statement s(db_, fmt::format("SELECT {} FROM checkpoints ORDER BY id", kCheckpointColumns));
    while (s.executeStep()) each(read_checkpoint(s));
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_history>());
  }
}

std::optional<Checkpoint> SqliteStore::latest_checkpoint() {
  try {
    SQLite::Statement s(db_, fmt::format("SELECT {} FROM checkpoints ORDER BY id DESC LIMIT 1", kCheckpointColumns));
    if (s.executeStep()) return read_checkpoint(s);
    return std::nullopt;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_history>());
  }
}

std::vector<Event> SqliteStore::reminders_since(TimePoint since) {
  return sqlite_remind::reminders_since(stmt(sqlite_remind::kRemindersSince), since);
}

void SqliteStore::overdue_obligations(const OverdueQuery& query, const std::function<void(OverdueEntry&)>& each) {
  sqlite_overdue::overdue_obligations(stmt(sqlite_overdue::overdue_obligations_sql()), query, each);
}

}  // namespace liaison
