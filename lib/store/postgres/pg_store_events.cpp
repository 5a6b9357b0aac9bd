// The PostgreSQL store's events (lib/store/postgres/pg_store.h): the storage of the hash
// chain lib/services/chain.h computes, checkpoints, the audit queries, and the queries
// over events and clocks that reminders and the overdue list need.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pg_store.h"

namespace liaison {

using namespace pg_util;

namespace {

/// An event's columns as the SQLite store reads them for a history (no digest of purged
/// data: NULL), and with it (the chain's and audit verify's passes).
constexpr const char* kEventColumns =
    "e.id, e.record_id, r.ref, e.type, e.actor, e.at, e.data, e.prev_hash, e.hash, e.salt, e.recorded_at, NULL";
constexpr const char* kEventColumnsWithDigest =
    "e.id, e.record_id, r.ref, e.type, e.actor, e.at, e.data, e.prev_hash, e.hash, e.salt, e.recorded_at, e.data_sha256";

/// An event row in kEventColumns' order (record_id and ref NULL: a registry event).
template <typename Row>
void assign_event(const Row& row, Event& e) {
  e.id = row.int64(0);
  e.record_id = row.is_null(1) ? 0 : row.int64(1);
  e.ref.assign(row.text(2));
  e.type.assign(row.text(3));
  e.actor.assign(row.text(4));
  e.at = time_of(row.int64(5));
  e.data.assign(row.text(6));
  e.prev_hash.assign(row.text(7));
  e.hash.assign(row.text(8));
  e.salt.assign(row.text(9));
  if (row.is_null(10)) e.recorded_at.reset();
  else e.recorded_at = time_of(row.int64(10));
  e.data_sha256.assign(row.text(11));
}

std::vector<Event> events_of(const pg::Result& res) {
  std::vector<Event> out(static_cast<std::size_t>(res.rows()));
  for (int i = 0; i < res.rows(); ++i) assign_event(pg::Row{res, i}, out[static_cast<std::size_t>(i)]);
  return out;
}

constexpr const char* kCheckpointColumns = "id, event_id, event_hash, at, public_key, signature, statement";

Checkpoint checkpoint_of(const pg::Result& r, int row) {
  Checkpoint c;
  c.id = r.int64(row, 0);
  c.event_id = r.int64(row, 1);
  c.event_hash = r.text(row, 2);
  c.at = time_of(r.int64(row, 3));
  c.public_key = r.text(row, 4);
  c.signature = r.text(row, 5);
  c.statement = r.text(row, 6);
  return c;
}

pg::Param json_list(const std::vector<std::string>& values) {
  if (values.empty()) return std::nullopt;
  return nlohmann::json(values).dump();
}

}  // namespace

Store::ChainTip PgStore::chain_tip() {
  pg::Result res = c_.exec("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1");
  ChainTip tip;
  if (res.rows()) {
    tip.id = res.int64(0, 0);
    tip.hash = res.text(0, 1);
  }
  return tip;
}

void PgStore::insert_event(const Event& e) {
  c_.exec("INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash, salt, recorded_at, data_sha256) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
          {num(e.id), e.record_id ? num(e.record_id) : pg::Param(), e.type, e.actor, num(secs(e.at)), e.data,
           e.prev_hash, e.hash, e.salt, when(e.recorded_at),
           e.data_sha256.empty() ? pg::Param() : pg::Param(e.data_sha256)});
  // The search index follows the history in the same transaction.
  index_search_text(e);
}

std::vector<Event> PgStore::events_for(std::int64_t record_id) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM events e LEFT JOIN records r ON r.id = e.record_id WHERE e.record_id = $1 ORDER BY e.id",
      kEventColumns);
  return events_of(c_.exec(sql, {num(record_id)}));
}

std::optional<TimePoint> PgStore::latest_event_at(std::int64_t record_id) {
  pg::Result res = c_.exec("SELECT at FROM events WHERE record_id = $1 ORDER BY id DESC LIMIT 1", {num(record_id)});
  if (res.rows() == 0) return std::nullopt;
  return time_of(res.int64(0, 0));
}

void PgStore::each_event(const std::function<void(const Event&)>& each) {
  static const std::string sql =
      fmt::format("SELECT {} FROM events e LEFT JOIN records r ON r.id = e.record_id ORDER BY e.id", kEventColumns);
  pg::RowCursor rows(c_, sql);
  Event e;
  while (rows.step()) {
    assign_event(rows, e);
    each(e);
  }
}

void PgStore::each_chain_event(const std::function<void(const Event&)>& each) {
  pg::RowCursor rows(c_,
                     "SELECT e.id, e.record_id, NULL, e.type, e.actor, e.at, e.data, e.prev_hash, e.hash, e.salt, "
                     "e.recorded_at, e.data_sha256 FROM events e ORDER BY e.id");
  Event e;
  while (rows.step()) {
    assign_event(rows, e);
    each(e);
  }
}

std::int64_t PgStore::last_event_id() { return c_.exec("SELECT coalesce(max(id), 0) FROM events").int64(0, 0); }

std::optional<std::string> PgStore::record_of_message(const std::string& message_sha256) {
  // The event itself must carry the digest: a row put into event_messages behind the
  // tool's back must not make a new message look delivered (and so be dropped).
  pg::Result res = c_.exec(
      "SELECT r.ref FROM event_messages m JOIN events e ON e.id = m.event_id JOIN records r ON r.id = e.record_id "
      "WHERE m.message_sha256 = $1 AND liaison_json(e.data) ->> 'message_sha256' = $1",
      {message_sha256});
  if (res.rows() == 0) return std::nullopt;
  return std::string(res.text(0, 0));
}

std::optional<std::string> PgStore::event_hash(std::int64_t id) {
  pg::Result res = c_.exec("SELECT hash FROM events WHERE id = $1", {num(id)});
  if (res.rows() == 0) return std::nullopt;
  return std::string(res.text(0, 0));
}

void PgStore::insert_checkpoint(const Checkpoint& c) {
  // Inside the write lock: max(id) + 1 is this writer's alone.
  c_.exec("INSERT INTO checkpoints (id, event_id, event_hash, at, public_key, signature, statement) "
          "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM checkpoints), $1, $2, $3, $4, $5, $6)",
          {num(c.event_id), c.event_hash, num(secs(c.at)), c.public_key, c.signature, c.statement});
}

void PgStore::each_checkpoint(const std::function<void(const Checkpoint&)>& each) {
  pg::Result res = c_.exec(fmt::format("SELECT {} FROM checkpoints ORDER BY id", kCheckpointColumns));
  for (int i = 0; i < res.rows(); ++i) each(checkpoint_of(res, i));
}

std::optional<Checkpoint> PgStore::latest_checkpoint() {
  pg::Result res = c_.exec(fmt::format("SELECT {} FROM checkpoints ORDER BY id DESC LIMIT 1", kCheckpointColumns));
  if (res.rows() == 0) return std::nullopt;
  return checkpoint_of(res, 0);
}

void PgStore::audit_events(const EventFilter& f,
                           const std::function<void(const Event&, const std::string& level)>& each) {
  // Assembled from fixed fragments; every value bound (lists as one JSON array each).
  std::string where;
  std::vector<pg::Param> params;
  auto clause = [&](const std::string& c) { where += (where.empty() ? " WHERE " : " AND ") + c; };
  auto list = [&](const char* fragment, const std::vector<std::string>& values) {
    if (values.empty()) return;
    params.push_back(nlohmann::json(values).dump());
    clause(fmt::format(fmt::runtime(fragment), params.size()));
  };
  list("e.actor IN (SELECT json_array_elements_text(${}::json))", f.actors);
  list("e.type IN (SELECT json_array_elements_text(${}::json))", f.types);
  list("e.record_id IN (SELECT id FROM records WHERE ref IN (SELECT json_array_elements_text(${}::json)))", f.refs);
  if (f.since) {
    params.push_back(num(secs(*f.since)));
    clause(fmt::format("e.at >= ${}::bigint", params.size()));
  }
  if (f.until) {
    params.push_back(num(secs(*f.until)));
    clause(fmt::format("e.at < ${}::bigint", params.size()));
  }
  std::string sql = fmt::format("SELECT {}, coalesce(r.level, '') FROM events e LEFT JOIN records r ON r.id = e.record_id{} "
                                "ORDER BY e.id {}",
                                kEventColumns, where, f.newest_first ? "DESC" : "ASC");
  if (f.limit > 0) sql += fmt::format(" LIMIT {}", f.limit);
  pg::RowCursor rows(c_, sql, params);
  Event e;
  std::string level;
  while (rows.step()) {
    assign_event(rows, e);
    level.assign(rows.text(12));
    each(e, level);
  }
}

void PgStore::record_histories(const std::function<void(const RecordHistory&)>& each) {
  // Three cursors in record id order, merged: records, clocks and events. Only one
  // record's rows are held at a time. (Events whose record row is gone cannot be here:
  // events.record_id references records.)
  pg::RowCursor records(c_, fmt::format("SELECT {} FROM records ORDER BY id", kRecordColumns));
  pg::RowCursor clocks(c_,
                       "SELECT record_id, name, duration, started_at, due, stopped_at, used_seconds, paused_since, "
                       "paused_seconds, config_hash, provisional, given FROM clocks ORDER BY record_id, name");
  pg::RowCursor events(c_, fmt::format("SELECT {} FROM events e LEFT JOIN records r ON r.id = e.record_id "
                                       "WHERE e.record_id IS NOT NULL ORDER BY e.record_id, e.id",
                                       kEventColumnsWithDigest));
  bool have_clock = clocks.step();
  bool have_event = events.step();
  auto orphans_before = [&](std::optional<std::int64_t> below) {
    while (have_event && (!below || events.int64(1) < *below)) {
      RecordHistory h;
      h.record_id = events.int64(1);
      while (have_event && events.int64(1) == h.record_id) {
        assign_event(events, h.events.emplace_back());
        have_event = events.step();
      }
      each(h);
    }
  };
  while (records.step()) {
    Record r = read_record(records);
    orphans_before(r.id);
    while (have_clock && clocks.int64(0) < r.id) have_clock = clocks.step();
    while (have_clock && clocks.int64(0) == r.id) {
      r.clocks.push_back(clock_of(clocks, 1));
      have_clock = clocks.step();
    }
    RecordHistory h;
    h.record_id = r.id;
    while (have_event && events.int64(1) == r.id) {
      assign_event(events, h.events.emplace_back());
      have_event = events.step();
    }
    h.record = std::move(r);
    each(h);
  }
  orphans_before(std::nullopt);
}

std::string PgStore::integrity_check() {
  // The server checks its own pages; what can be undone behind liaison's back is the
  // guard of the history: every append-only trigger must be there and enabled.
  static constexpr const char* kGuards[][2] = {
      {"events", "events_append_only"},         {"events", "events_no_update"},
      {"events", "events_no_delete"},           {"events", "events_no_truncate"},
      {"events", "events_indexed"},             {"checkpoints", "checkpoints_no_update"},
      {"checkpoints", "checkpoints_no_truncate"}, {"attachments", "attachments_no_update"},
      {"attachments", "attachments_no_delete"}, {"blobs", "blobs_no_update"},
      {"blobs", "blobs_no_delete"},             {"event_messages", "event_messages_no_update"},
      {"schedule_records", "schedule_records_no_update"}, {"attachments", "attachments_no_truncate"},
      {"blobs", "blobs_no_truncate"},           {"event_messages", "event_messages_no_truncate"},
      {"schedule_records", "schedule_records_no_truncate"},
      // The keepers of what the report reads beside the records (schemas/postgres/0003).
      {"records", "backlog_due_kept"},          {"events", "resolve_cycles_kept"}};
  std::string problems;
  for (const auto& [table, trigger] : kGuards) {
    pg::Result res = c_.exec(
        "SELECT tgenabled FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = $2", {table, trigger});
    const char* problem = res.rows() == 0 ? "is missing" : res.text(0, 0) == "D" ? "is disabled" : nullptr;
    if (problem) problems += fmt::format("{}trigger {} on {} {}", problems.empty() ? "" : "\n", trigger, table, problem);
  }
  return problems.empty() ? "ok" : problems;
}

std::vector<MessageIndexDifference> PgStore::message_index_differences(std::size_t limit) {
  // Set differences both ways, as the SQLite store's; position() passes over the events
  // without a digest (nearly all) before any JSON is read.
  pg::Result res = c_.exec(
      "WITH h AS (SELECT liaison_json(data) ->> 'message_sha256' AS d, id FROM events"
      "  WHERE position('\"message_sha256\"' IN data) > 0 AND liaison_json(data) ->> 'message_sha256' IS NOT NULL),"
      " k AS (SELECT message_sha256 AS d, event_id AS id FROM event_messages)"
      " SELECT d, id, kept, in_history FROM ("
      "  SELECT d, id, 1 AS kept, 0 AS in_history FROM (SELECT d, id FROM k EXCEPT SELECT d, id FROM h) x"
      "  UNION ALL SELECT d, id, 0, 1 FROM (SELECT d, id FROM h EXCEPT SELECT d, id FROM k) y) z"
      " ORDER BY id LIMIT $1",
      {num(static_cast<std::int64_t>(limit))});
  std::vector<MessageIndexDifference> out;
  for (int i = 0; i < res.rows(); ++i)
    out.push_back({std::string(res.text(i, 0)), res.int64(i, 1), res.int64(i, 2) != 0, res.int64(i, 3) != 0});
  return out;
}

std::vector<ScheduleIndexDifference> PgStore::schedule_index_differences(std::size_t limit) {
  pg::Result res = c_.exec(
      "WITH h AS (SELECT liaison_json(data) #>> '{schedule,id}' AS s, liaison_json(data) #>> '{schedule,period}' AS p,"
      "  record_id AS id FROM events WHERE type = 'filed' AND position('\"schedule\"' IN data) > 0"
      "  AND liaison_json(data) #>> '{schedule,id}' IS NOT NULL),"
      " k AS (SELECT schedule AS s, period AS p, record_id AS id FROM schedule_records)"
      " SELECT s, p, id, kept, in_history FROM ("
      "  SELECT s, p, id, 1 AS kept, 0 AS in_history FROM (SELECT s, p, id FROM k EXCEPT SELECT s, p, id FROM h) x"
      "  UNION ALL SELECT s, p, id, 0, 1 FROM (SELECT s, p, id FROM h EXCEPT SELECT s, p, id FROM k) y) z"
      " ORDER BY id, s, p LIMIT $1",
      {num(static_cast<std::int64_t>(limit))});
  std::vector<ScheduleIndexDifference> out;
  for (int i = 0; i < res.rows(); ++i)
    out.push_back({std::string(res.text(i, 0)), std::string(res.text(i, 1)), res.int64(i, 2), res.int64(i, 3) != 0,
                   res.int64(i, 4) != 0});
  return out;
}

std::vector<Event> PgStore::reminders_since(TimePoint since) {
  // The newest reminder of each (record, obligation, recipient) since `since`.
  static const std::string sql = fmt::format(
      "SELECT * FROM (SELECT DISTINCT ON (e.record_id, liaison_json(e.data) ->> 'obligation', "
      "liaison_json(e.data) ->> 'to') {} FROM events e JOIN records r ON r.id = e.record_id "
      "WHERE e.type = 'reminded' AND e.at >= $1::bigint "
      "ORDER BY e.record_id, liaison_json(e.data) ->> 'obligation', liaison_json(e.data) ->> 'to', e.at DESC, e.id) q "
      "ORDER BY record_id, id",
      kEventColumns);
  return events_of(c_.exec(sql, {num(secs(since))}));
}

namespace {

/// The filters of one half of the overdue query, on the columns of `r` ("" or "r."):
/// JSON arrays or NULL.
std::string overdue_filters(std::string_view r) {
  return fmt::format(
      "AND ($2::json IS NULL OR {0}owner IN (SELECT json_array_elements_text($2::json))) "
      "AND ($3::json IS NULL OR {0}assignee IN (SELECT json_array_elements_text($3::json))) "
      "AND ($4::json IS NULL OR {0}kind IN (SELECT json_array_elements_text($4::json))) ",
      r);
}

/// The half over the clocks whose names begin "<prefix>:", of the records `condition` keeps.
std::string clock_half(std::string_view prefix, std::string_view condition) {
  return fmt::format(
      "SELECT r.id, r.ref, r.kind, r.direction, r.owner, r.assignee, r.subject, r.major, r.status, c.name, c.due, "
      "r.level FROM clocks AS c JOIN records AS r ON r.id = c.record_id "
      "WHERE c.stopped_at IS NULL AND c.name >= '{0}:' AND c.name < '{0};' AND c.due < $1::bigint AND {1} {2}",
      prefix, condition, overdue_filters("r."));
}

}  // namespace

void PgStore::overdue_obligations(const OverdueQuery& query, const std::function<void(OverdueEntry&)>& each) {
  // As the SQLite store's (store_sqlite_overdue.cpp): ack, resolve, and the clocks a
  // record owes, each half by its own partial index.
  static const std::string sql =
      "SELECT id, ref, kind, direction, owner, assignee, subject, major, status, 'ack' COLLATE \"C\" AS obligation, "
      "ack_due AS deadline, level FROM records "
      "WHERE acked_at IS NULL AND status <> 'closed' AND ack_due < $1::bigint " +
      overdue_filters("") +
      "UNION ALL "
      "SELECT id, ref, kind, direction, owner, assignee, subject, major, status, 'resolve', due, level FROM records "
      "WHERE status <> 'closed' AND status <> 'waiting' AND due < $1::bigint " +
      overdue_filters("") + "UNION ALL " + clock_half("notify", "r.status <> 'closed'") + "UNION ALL " +
      clock_half("receipt", "r.purged_at IS NULL") + "UNION ALL " + clock_half("approval", "r.status <> 'closed'") +
      "UNION ALL " + clock_half("action", "r.purged_at IS NULL") +
      "ORDER BY deadline, ref, obligation";
  pg::RowCursor rows(c_, sql,
                     {num(secs(query.due_before)), json_list(query.owners), json_list(query.assignees),
                      json_list(query.kinds)});
  OverdueEntry entry;
  while (rows.step()) {
    entry.record_id = rows.int64(0);
    entry.ref = rows.text(1);
    entry.kind = rows.text(2);
    entry.direction = parse_direction(std::string(rows.text(3))).value_or(Direction::internal);
    entry.owner = rows.text(4);
    entry.assignee = rows.text(5);
    entry.subject = rows.text(6);
    entry.major = rows.int64(7) != 0;
    entry.status = parse_status(std::string(rows.text(8))).value_or(Status::open);
    entry.obligation = rows.text(9);
    entry.due = time_of(rows.int64(10));
    entry.level = rows.text(11);
    entry.overdue = false;
    entry.late_working_days = 0;
    entry.late_working_seconds = 0;
    each(entry);
  }
}

}  // namespace liaison
