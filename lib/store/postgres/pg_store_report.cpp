// The SQL behind `liaison report` on PostgreSQL (lib/store/report_queries.h; definitions in
// man/liaison-report.1): PgStore's ReportQueries, its ReportSnapshot, and the recount of
// what schemas/postgres/0003_report.sql keeps for it.
//
// The same definitions as the SQLite store's, statement for statement
// (lib/store/sqlite/store_sqlite_report.cpp, whose header says where a record stood at a
// moment T and why each count is read the way it is), so both stores give the same figures;
// the rows are tallied by the same code (report_tally.h). What differs is only the SQL
// dialect: event data is read through liaison_json() and its times through
// liaison_unixepoch() (schema 2 and 3), truth values are cast to 0/1, and a subquery that
// SQLite would let yield several rows takes the first.
//
// Values are always bound: each statement numbers its parameters as it is built (Params),
// the moments first, then the filter's.
#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "pg_store.h"
#include "report_tally.h"

namespace liaison {

using namespace pg_util;
using report_tally::Cell;
using report_tally::kNoUsedTime;
using report_tally::Obligations;
using report_tally::ranked;

namespace {

/// The parameters of one statement, numbered as they are added; each add gives the
/// placeholder to write, typed ("$3::bigint").
class Params {
 public:
  /// A moment (UTC seconds) or a count.
  std::string number(std::int64_t v) { return add(num(v), "bigint"); }
  /// A count or NULL (a LIMIT of nothing).
  std::string number(std::optional<std::int64_t> v) { return add(v ? num(*v) : pg::Param(), "bigint"); }
  std::string text(std::string v) { return add(std::move(v), "text"); }
  /// "$a, $b, …" for a list of texts; "NULL" for none (IN (NULL) holds for nothing).
  std::string list(const std::vector<std::string>& values) {
    std::string out;
    for (const std::string& v : values) out += (out.empty() ? "" : ", ") + text(v);
    return out.empty() ? "NULL" : out;
  }
  /// A list of ids as one bigint[] parameter.
  std::string ids(const std::vector<std::int64_t>& values) {
    std::string literal = "{";
    for (std::int64_t v : values) literal += (literal.size() > 1 ? "," : "") + std::to_string(v);
    return add(literal + "}", "bigint[]");
  }
  const std::vector<pg::Param>& values() const { return values_; }

 private:
  std::string add(pg::Param v, const char* type) {
    values_.push_back(std::move(v));
    return fmt::format("${}::{}", values_.size(), type);
  }
  std::vector<pg::Param> values_;
};

/// The report filter as " AND …" terms over `records r`, its values added to `p`.
std::string filter_sql(const ReportFilter& f, Params& p) {
  std::string where;
  if (f.direction) where += " AND r.direction = " + p.text(std::string(to_string(*f.direction)));
  if (!f.departments.empty()) where += " AND r.owner IN (" + p.list(f.departments) + ")";
  if (!f.kinds.empty()) where += " AND r.kind IN (" + p.list(f.kinds) + ")";
  if (!f.party_types.empty())
    where += " AND r.party IN (SELECT id FROM parties WHERE type IN (" + p.list(f.party_types) + "))";
  return where;
}

/// Whether the filter asks for departments at most: backlog_due counts the backlog by
/// department alone.
bool by_department_at_most(const ReportFilter& f) { return !f.direction && f.kinds.empty() && f.party_types.empty(); }

/// Whether any record was imported at all (when none was, the SQL leaves out every look
/// for an 'imported' event).
bool any_imported(pg::Connection& c) {
  return c.exec("SELECT EXISTS (SELECT 1 FROM events WHERE type = 'imported')").text(0, 0) == "t";
}

std::int64_t count_of(pg::Connection& c, const std::string& sql, const Params& p) {
  return c.exec(sql, p.values()).int64(0, 0);
}

/// SQL: what the 'imported' event of record r says under `key` (text); NULL when it has
/// none, or when nothing was imported.
std::string imported_says(std::string_view key, bool imported) {
  if (!imported) return "NULL::text";
  return fmt::format("(SELECT liaison_json(ei.data) ->> '{}' FROM events ei WHERE ei.record_id = r.id AND ei.type = 'imported'"
                     " ORDER BY ei.id LIMIT 1)",
                     key);
}

/// SQL: record r was imported closed before the moment `t`.
std::string imported_closed_before(std::string_view t, bool imported) {
  if (!imported) return "false";
  return fmt::format("({} = 'closed' AND liaison_unixepoch({}) < {})", imported_says("status", true),
                     imported_says("closed_at", true), t);
}

/// SQL true when record r was closed at the moment `t`; never NULL.
std::string closed_at(std::string_view t, bool imported) {
  return fmt::format(
      "(CASE WHEN r.id IN (SELECT record_id FROM events WHERE type = 'reopened' AND at >= {0}) THEN "
      "((r.closed_at IS NOT NULL AND r.closed_at < {0}) OR "
      "coalesce((SELECT ec.type FROM events ec WHERE ec.record_id = r.id AND ec.type IN ('closed', 'reopened') "
      "AND ec.at < {0} ORDER BY ec.id DESC LIMIT 1), "
      "CASE WHEN {1} THEN 'closed' END, '') = 'closed') "
      "ELSE coalesce(r.closed_at < {0}, false) END)",
      t, imported_closed_before(t, imported));
}

/// SQL: when record r was last closed before `t`, NULL if never.
std::string last_closing_before(std::string_view t, bool imported) {
  return fmt::format(
      "CASE WHEN r.closed_at < {0} THEN r.closed_at ELSE coalesce("
      "(SELECT max(ex.at) FROM events ex WHERE ex.record_id = r.id AND ex.type = 'closed' AND ex.at < {0}), "
      "CASE WHEN {1} THEN liaison_unixepoch({2}) END) END",
      t, imported_closed_before(t, imported), imported_says("closed_at", imported));
}

/// SQL: the resolve clock (json) in the data `data` (json) of a 'filed' or 'imported' event.
std::string resolve_clock_of(std::string_view data) {
  return fmt::format("CASE WHEN {0} #>> '{{clocks,0,clock}}' = 'resolve' THEN {0} #> '{{clocks,0}}' "
                     "WHEN {0} #>> '{{clocks,1,clock}}' = 'resolve' THEN {0} #> '{{clocks,1}}' END",
                     data);
}

/// SQL: since when record `id` was waiting at the moment `t`, -1 or NULL when it was not.
std::string waiting_since(std::string_view t, std::string_view id, bool imported) {
  const std::string last_event = fmt::format(
      "(SELECT CASE WHEN ew.type = 'waiting' THEN ew.at ELSE -1 END FROM events ew "
      "WHERE ew.record_id = {1} AND ew.type IN ('waiting', 'resumed', 'closed') AND ew.at < {0} ORDER BY ew.id DESC LIMIT 1)",
      t, id);
  if (!imported)
    return fmt::format(
        "(CASE WHEN EXISTS (SELECT 1 FROM events xw WHERE xw.record_id = {1} AND xw.type = 'waiting') THEN "
        "coalesce({0}, -1) END)",
        last_event, id);
  return fmt::format(
      "(CASE WHEN EXISTS (SELECT 1 FROM events xw WHERE xw.record_id = {3} AND xw.type IN ('waiting', 'imported')) THEN "
      "coalesce({0}, "
      "(SELECT CASE WHEN liaison_json(ei.data) ->> 'status' = 'waiting' AND liaison_unixepoch(({2}) ->> 'paused_since') < {1} "
      "THEN liaison_unixepoch(({2}) ->> 'paused_since') END FROM events ei "
      "WHERE ei.record_id = {3} AND ei.type = 'imported' ORDER BY ei.id LIMIT 1), -1) END)",
      last_event, t, resolve_clock_of("liaison_json(ei.data)"), id);
}

/// SQL true when record r was waiting at the moment `t`.
std::string waiting_at(std::string_view t, bool imported) {
  return fmt::format("(coalesce({}, -1) >= 0)", waiting_since(t, "r.id", imported));
}

/// SQL true when clock `c` (a resolve cycle in force at `t`) was paused at `t` before its
/// deadline passed.
std::string suspended_at(std::string_view t, std::string_view id, bool imported) {
  const std::string since = waiting_since(t, id, imported);
  return fmt::format("(c.name = 'resolve' AND coalesce({0}, -1) >= 0 AND {0} < c.due)", since);
}

/// Records received in [from, end) that pass the filter `f`.
std::string received_in(std::string_view from, std::string_view end, std::string_view f) {
  return fmt::format("r.received_at >= {} AND r.received_at < {}{}", from, end, f);
}

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

/// The stretch of resolve deadlines that one row of backlog_due counts (schemas/postgres/0003).
constexpr std::int64_t kBacklogBucket = 2097152;

// §1 ------------------------------------------------------------------------------------

Volume volume(pg::Connection& c, const ReportFilter& filter, TimePoint from, TimePoint end,
              const std::vector<std::string>& complaint_kinds, int top_parties) {
  Params p;
  const std::string lo = p.number(secs(from)), hi = p.number(secs(end));
  const std::string f = filter_sql(filter, p);
  // One row per cell of direction, kind, department, channel, party and topic, with the
  // party's name and type when it is registered; tallied as the SQLite store tallies.
  pg::RowCursor s(c,
                  "SELECT r.direction, r.kind, r.owner, r.channel, r.party, r.topic, p.name, p.type, count(*)"
                  " FROM records r LEFT JOIN parties p ON p.id = r.party WHERE " + received_in(lo, hi, f) +
                      " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8",
                  p.values());
  Volume v;
  std::map<std::pair<bool, std::string>, std::int64_t> by_direction_kind;  // (external, kind)
  std::map<std::string, std::int64_t> by_owner, by_channel, by_party_type, by_topic;
  struct PartyTally {
    std::string name, type;
    std::int64_t complaints = 0;
  };
  std::map<std::string, PartyTally> parties;
  while (s.step()) {
    const std::int64_t n = s.int64(8);
    const std::string kind(s.text(1));
    v.total += n;
    by_direction_kind[{s.text(0) == "external", kind}] += n;
    by_owner[std::string(s.text(2))] += n;
    by_channel[std::string(s.text(3))] += n;
    by_topic[std::string(s.text(5))] += n;
    const bool registered = !s.is_null(4) && !s.is_null(7);
    by_party_type[registered ? std::string(s.text(7)) : std::string()] += n;  // "" without a party
    if (!registered) continue;
    if (std::find(complaint_kinds.begin(), complaint_kinds.end(), kind) == complaint_kinds.end()) continue;
    PartyTally& t = parties[std::string(s.text(4))];
    t.name = s.text(6);
    t.type = s.text(7);
    t.complaints += n;
  }
  for (const auto& [key, n] : by_direction_kind)
    v.by_direction_kind.push_back({key.first ? Direction::external : Direction::internal, key.second, n});
  v.by_owner = ranked(by_owner);
  v.by_channel = ranked(by_channel);
  // Only when some record has a topic: a company without [[topic]] sees no such table.
  if (by_topic.size() > 1 || (by_topic.size() == 1 && !by_topic.begin()->first.empty())) v.by_topic = ranked(by_topic);
  v.by_party_type = ranked(by_party_type);
  for (auto& [id, t] : parties) v.top_parties.push_back({id, std::move(t.name), std::move(t.type), t.complaints});
  std::stable_sort(v.top_parties.begin(), v.top_parties.end(),
                   [](const Volume::Party& a, const Volume::Party& b) { return a.complaints > b.complaints; });
  if (v.top_parties.size() > static_cast<std::size_t>(std::max(top_parties, 0)))
    v.top_parties.resize(static_cast<std::size_t>(std::max(top_parties, 0)));
  return v;
}

// §2 ------------------------------------------------------------------------------------

/// Records that pass the filter and were received in [lo, hi).
std::int64_t received_count(pg::Connection& c, const ReportFilter& filter, std::int64_t lo, std::int64_t hi) {
  Params p;
  const std::string from = p.number(lo), end = p.number(hi);
  const std::string f = filter_sql(filter, p);
  return count_of(c, "SELECT count(*) FROM records r WHERE " + received_in(from, end, f), p);
}

/// `type` events ('closed', 'reopened') in [lo, hi) of records that pass the filter.
std::int64_t events_count(pg::Connection& c, const ReportFilter& filter, std::string_view type, std::int64_t lo,
                          std::int64_t hi) {
  Params p;
  const std::string from = p.number(lo), end = p.number(hi), t = p.text(std::string(type));
  const std::string f = filter_sql(filter, p);
  return count_of(c,
                  f.empty() ? fmt::format("SELECT count(*) FROM events e WHERE e.type = {} AND e.at >= {} AND e.at < {}",
                                          t, from, end)
                            : fmt::format("SELECT count(*) FROM events e JOIN records r ON r.id = e.record_id"
                                          " WHERE e.type = {} AND e.at >= {} AND e.at < {}{}",
                                          t, from, end, f),
                  p);
}

/// Closings in [lo, hi): 'closed' events, and the closings records were imported with.
std::int64_t closings_count(pg::Connection& c, const ReportFilter& filter, std::int64_t lo, std::int64_t hi,
                            bool imported) {
  const std::int64_t events = events_count(c, filter, "closed", lo, hi);
  if (!imported) return events;
  Params p;
  const std::string from = p.number(lo), end = p.number(hi);
  const std::string f = filter_sql(filter, p);
  return events +
         count_of(c,
                  fmt::format("SELECT (SELECT count(*) FROM records r WHERE r.closed_at >= {0} AND r.closed_at < {1}{2}"
                              " AND NOT EXISTS (SELECT 1 FROM events x WHERE x.record_id = r.id AND x.type = 'closed'))"
                              " + (SELECT count(*) FROM records r WHERE r.id IN (SELECT record_id FROM events WHERE type = 'reopened' AND at >= {0})"
                              " AND {3} = 'closed' AND liaison_unixepoch({4}) >= {0} AND liaison_unixepoch({4}) < {1}{2})",
                              from, end, f, imported_says("status", true), imported_says("closed_at", true)),
                  p);
}

/// Records that pass the filter and are not closed now (by department at most: backlog_due).
std::int64_t open_now_count(pg::Connection& c, const ReportFilter& filter) {
  Params p;
  const std::string f = filter_sql(filter, p);
  return count_of(c,
                  by_department_at_most(filter)
                      ? "SELECT coalesce(sum(r.n), 0) FROM backlog_due r WHERE true" + f
                      : "SELECT count(*) FROM records r WHERE r.status IN ('open', 'acknowledged', 'waiting')" + f,
                  p);
}

FlowCounts flow(pg::Connection& c, const ReportFilter& filter, TimePoint from, TimePoint end) {
  FlowCounts out;
  const std::int64_t lo = secs(from), hi = secs(end);
  out.received = received_count(c, filter, lo, hi);
  const bool imported = any_imported(c);
  out.closed = closings_count(c, filter, lo, hi, imported);
  out.reopened = events_count(c, filter, "reopened", lo, hi);
  // Counted back from now, as on SQLite: open at T = open now - received since T + closed
  // since T - reopened since T.
  out.open_at_end = open_now_count(c, filter) - received_count(c, filter, hi, kNever) +
                    closings_count(c, filter, hi, kNever, imported) - events_count(c, filter, "reopened", hi, kNever);
  out.open_at_start = out.open_at_end - out.received + out.closed - out.reopened;
  return out;
}

// §3 ------------------------------------------------------------------------------------

/// The resolve cycles that reopenings ended, with the columns of a clocks row that
/// timeliness reads.
constexpr const char* kEarlierResolveCycles =
    "(SELECT record_id, 'resolve'::text AS name, reopened_at, due, stopped_at, used_seconds FROM resolve_cycles)";

std::vector<Timeliness> timeliness(pg::Connection& c, const ReportFilter& filter, TimePoint from, TimePoint end,
                                   bool overall_only) {
  Params p;
  const std::string lo = p.number(secs(from)), hi = p.number(secs(end));
  const std::string f = filter_sql(filter, p);
  // Met in the period, or due in it and not met before its end; the current clocks and
  // the cycles reopenings ended (SQLite's timeliness()).
  const bool bare = overall_only && f.empty();
  const std::string join = bare ? "" : " JOIN records r ON r.id = c.record_id";
  const std::string columns = fmt::format(
      "c.name, {0}, "
      "(c.stopped_at IS NOT NULL AND c.stopped_at < {1})::int, "
      "coalesce(c.stopped_at IS NOT NULL AND c.stopped_at < {1} AND c.stopped_at <= c.due, false)::int, "
      "c.used_seconds",
      overall_only ? "''::text, ''::text" : "r.owner, r.kind", hi);
  const std::string suspended = suspended_at(hi, bare ? "c.record_id" : "r.id", any_imported(c));
  const std::string sql = fmt::format(
      "SELECT {0} FROM clocks c{4}"
      " WHERE c.name IN ('ack', 'resolve') AND c.due IS NOT NULL AND c.stopped_at >= {5} AND c.stopped_at < {6}{1}"
      " UNION ALL SELECT {0} FROM clocks c{4}"
      " WHERE c.name IN ('ack', 'resolve') AND c.due >= {5} AND c.due < {6}"
      " AND (c.stopped_at IS NULL OR c.stopped_at >= {6}) AND NOT {3}{1}"
      " UNION ALL SELECT {0} FROM {2} c{4}"
      " WHERE c.due IS NOT NULL AND c.stopped_at >= {5} AND c.stopped_at < {6} AND c.reopened_at >= {5}{1}"
      " UNION ALL SELECT {0} FROM {2} c{4}"
      " WHERE c.due >= {5} AND c.due < {6} AND (c.stopped_at IS NULL OR c.stopped_at >= {6}) AND c.reopened_at >= {5}"
      " AND NOT {3}{1}",
      columns, f, kEarlierResolveCycles, suspended, join, lo, hi);
  std::vector<Cell> cells;
  std::unordered_map<std::string, std::size_t> cell_of;
  pg::RowCursor s(c, sql, p.values());
  std::string key;
  while (s.step()) {
    const bool ack = s.text(0) == "ack";  // or 'resolve'
    const std::string_view owner = s.text(1), kind = s.text(2);
    key.assign(owner);
    key += '\0';
    key += kind;
    auto [it, added] = cell_of.try_emplace(key, cells.size());
    if (added) cells.push_back({std::string(owner), std::string(kind), {}, {}});
    Obligations& o = ack ? cells[it->second].ack : cells[it->second].resolve;
    ++o.count;
    o.on_time += s.int64(4) != 0;
    if (s.int64(3) != 0) o.used.push_back(s.is_null(5) ? kNoUsedTime : s.int64(5));
  }
  return report_tally::timeliness_rows(cells, overall_only);
}

/// Notifications, receipts, approvals and actions met or due in [from, end).
std::vector<ObligationTimeliness> obligations(pg::Connection& c, const ReportFilter& filter, TimePoint from,
                                              TimePoint end) {
  std::vector<ObligationTimeliness> out;
  for (const std::string type : {"notify", "receipt", "approval", "action"}) {
    Params p;
    const std::string lo = p.number(secs(from)), hi = p.number(secs(end));
    // The names of the type's clocks: a range of bytes, ['notify:', 'notify;').
    const std::string first = p.text(type + ":"), past = p.text(type + ";");
    const std::string f = filter_sql(filter, p);
    const std::string join = f.empty() ? "" : " JOIN records r ON r.id = c.record_id";
    // An approval without a deadline counts when it is decided, and is on time.
    const bool approval = type == "approval";
    const std::string columns = fmt::format(
        "(c.stopped_at IS NOT NULL AND c.stopped_at < {0})::int, "
        "coalesce(c.stopped_at IS NOT NULL AND c.stopped_at < {0} AND {1}, false)::int, c.used_seconds",
        hi, approval ? "(c.due IS NULL OR c.stopped_at <= c.due)" : "c.stopped_at <= c.due");
    const std::string sql = fmt::format(
        "SELECT {0} FROM clocks c{1} WHERE c.name >= {2} AND c.name < {3}{4}"
        " AND c.stopped_at >= {5} AND c.stopped_at < {6}{7}"
        " UNION ALL SELECT {0} FROM clocks c{1} WHERE c.name >= {2} AND c.name < {3}"
        " AND c.due >= {5} AND c.due < {6} AND (c.stopped_at IS NULL OR c.stopped_at >= {6}){7}",
        columns, join, first, past, approval ? "" : " AND c.due IS NOT NULL", lo, hi, f);
    Obligations o;
    std::int64_t met = 0;
    pg::RowCursor s(c, sql, p.values());
    while (s.step()) {
      ++o.count;
      o.on_time += s.int64(1) != 0;
      if (s.int64(0) != 0) {
        ++met;
        o.used.push_back(s.is_null(2) ? kNoUsedTime : s.int64(2));
      }
    }
    if (o.count == 0) continue;
    ObligationTimeliness t;
    t.type = type;
    t.met = met;
    report_tally::fill(o, t.count, t.on_time, t.median_seconds, t.p90_seconds);
    out.push_back(std::move(t));
  }
  return out;
}

// §4 ------------------------------------------------------------------------------------

/// SQL: record r's resolve deadline at `t`: the current clock's, unless a reopening came at
/// or after `t` — then the deadline of the cycle the first such reopening ended.
std::string due_at(std::string_view t) {
  return fmt::format(
      "(CASE WHEN r.id IN (SELECT record_id FROM events WHERE type = 'reopened' AND at >= {0})"
      " THEN (SELECT y.due FROM resolve_cycles y WHERE y.record_id = r.id AND y.reopened_at >= {0}"
      " ORDER BY y.reopened_id LIMIT 1) ELSE r.due END)",
      t);
}

/// "FROM … WHERE …" over `records r`: the backlog's records overdue at `t` (open now and
/// not reopened since t), as SQLite's overdue_backlog.
std::string overdue_backlog(std::string_view f, std::string_view t, bool imported) {
  return fmt::format(
      "FROM records r WHERE r.status <> 'closed' AND r.due < {3} AND r.received_at < {3}"
      " AND r.id NOT IN (SELECT record_id FROM events WHERE type = 'reopened' AND at >= {3})"
      " AND NOT (CASE WHEN r.id IN (SELECT record_id FROM events WHERE type IN ('waiting', 'resumed') AND at >= {3}){0}"
      " THEN {1} ELSE r.status = 'waiting' END){2}",
      imported ? " OR r.id IN (SELECT record_id FROM events WHERE type = 'imported')" : "", waiting_at(t, imported), f, t);
}

/// A record overdue at T among those reopened or closed since T.
struct LateSince {
  std::string owner;
  std::int64_t id = 0;
  std::int64_t due = 0;
};

/// The records overdue at `t` among those reopened or closed since (SQLite's overdue_since).
std::vector<LateSince> late_since(pg::Connection& c, const ReportFilter& filter, std::int64_t at, bool imported) {
  Params p;
  const std::string t = p.number(at);
  const std::string f = filter_sql(filter, p);
  const std::string reopened_since = fmt::format("(SELECT record_id FROM events WHERE type = 'reopened' AND at >= {})", t);
  const std::string general = fmt::format("r.received_at < {0} AND NOT {1} AND {2} < {0} AND NOT {3}{4}", t,
                                          closed_at(t, imported), due_at(t), waiting_at(t, imported), f);
  const std::string columns = "r.owner, r.id, " + due_at(t);
  pg::Result res = c.exec(
      fmt::format("SELECT {0} FROM records r WHERE r.id IN {1} AND r.status <> 'closed' AND {2}"
                  " UNION ALL SELECT {0} FROM records r WHERE r.closed_at >= {3} AND (r.due < {3} OR r.id IN {1})"
                  " AND r.status = 'closed' AND {2}",
                  columns, reopened_since, general, t),
      p.values());
  std::vector<LateSince> out;
  for (int i = 0; i < res.rows(); ++i) out.push_back({std::string(res.text(i, 0)), res.int64(i, 1), res.int64(i, 2)});
  return out;
}

/// Whether counting the backlog's part from backlog_due reads less than scanning its late
/// index entries (SQLite's counting_is_cheaper).
bool counting_is_cheaper(pg::Connection& c, const ReportFilter& filter, std::int64_t at) {
  Params late;
  const std::string stretch = late.number(at / kBacklogBucket);
  const std::string f = filter_sql(filter, late);
  const std::int64_t late_entries = count_of(
      c, fmt::format("SELECT coalesce(sum(r.n), 0) FROM backlog_due r WHERE r.waiting = 0 AND r.bucket >= 0 AND r.bucket < {}{}",
                     stretch, f),
      late);
  Params changed;
  const std::string t = changed.number(at);
  return 10 * count_of(c, "SELECT count(*) FROM events WHERE type IN ('reopened', 'waiting', 'resumed') AND at >= " + t,
                       changed) <
         late_entries;
}

/// Overdue at `at` per department: the backlog's part, counted from backlog_due or scanned,
/// and `since`, most first, then by department.
std::vector<Count> overdue_by_owner(pg::Connection& c, const ReportFilter& filter, std::int64_t at, bool imported,
                                    const std::vector<LateSince>& since) {
  const bool counted = !imported && by_department_at_most(filter) && counting_is_cheaper(c, filter, at);
  Params p;
  const std::string t = p.number(at);
  std::string sql;
  if (counted) {
    // Whole stretches of deadlines before T from the counters, the last, partial one from
    // records_open_due; then, for the records whose state at T may differ from now, the
    // backlog test itself in place of that count (SQLite's overdue_by_owner).
    const std::string stretch = p.number(at / kBacklogBucket), stretch_start = p.number(at / kBacklogBucket * kBacklogBucket);
    const std::string f = filter_sql(filter, p);
    const std::string backlog_test = fmt::format(
        "coalesce(r.due < {0} AND r.received_at < {0}"
        " AND r.id NOT IN (SELECT record_id FROM events WHERE type = 'reopened' AND at >= {0})"
        " AND NOT (CASE WHEN r.id IN (SELECT record_id FROM events WHERE type IN ('waiting', 'resumed') AND at >= {0})"
        " THEN {1} ELSE r.status = 'waiting' END), false)::int",
        t, waiting_at(t, false));
    sql = fmt::format(
        "SELECT r.owner, sum(r.n) FROM backlog_due r WHERE r.waiting = 0 AND r.bucket >= 0 AND r.bucket < {3}{0}"
        " GROUP BY r.owner"
        " UNION ALL SELECT r.owner, count(*) FROM records r"
        " WHERE r.status <> 'closed' AND r.due >= {4} AND r.due < {2} AND r.status <> 'waiting'{0} GROUP BY r.owner"
        " UNION ALL SELECT r.owner, sum({1}) - sum(coalesce(r.due < {2} AND r.status <> 'waiting', false)::int) FROM records r"
        " WHERE r.id IN (SELECT record_id FROM events WHERE type IN ('reopened', 'waiting', 'resumed') AND at >= {2}"
        " UNION SELECT id FROM records WHERE status <> 'closed' AND due < received_at)"
        " AND r.status <> 'closed'{0} GROUP BY r.owner",
        f, backlog_test, t, stretch, stretch_start);
  } else {
    const std::string f = filter_sql(filter, p);
    sql = fmt::format("SELECT r.owner, count(*) {} GROUP BY r.owner", overdue_backlog(f, t, imported));
  }
  pg::Result res = c.exec(sql, p.values());
  std::map<std::string, std::int64_t> n;
  for (int i = 0; i < res.rows(); ++i) n[std::string(res.text(i, 0))] += res.int64(i, 1);
  for (const LateSince& l : since) ++n[l.owner];
  std::erase_if(n, [](const auto& owner_count) { return owner_count.second <= 0; });
  return ranked(n);
}

OverdueAtEnd overdue(pg::Connection& c, const ReportFilter& filter, TimePoint end, std::optional<std::int64_t> limit) {
  OverdueAtEnd out;
  const std::int64_t at = secs(end);
  const bool imported = any_imported(c);
  const std::vector<LateSince> since = late_since(c, filter, at, imported);
  out.by_owner = overdue_by_owner(c, filter, at, imported, since);
  if (limit && *limit <= 0) return out;
  // The first `limit` by deadline and reference: as many of the backlog's, and the few
  // overdue records reopened or closed since; then the rows of those.
  struct Late {
    std::int64_t due;
    std::string ref;
    std::int64_t id;
  };
  std::vector<Late> late;
  {
    Params p;
    const std::string t = p.number(at);
    const std::string f = filter_sql(filter, p);
    const std::string most = p.number(limit);
    pg::Result res = c.exec(
        fmt::format("SELECT r.id, r.ref, r.due {} ORDER BY r.due, r.ref LIMIT {}", overdue_backlog(f, t, imported), most),
        p.values());
    for (int i = 0; i < res.rows(); ++i) late.push_back({res.int64(i, 2), std::string(res.text(i, 1)), res.int64(i, 0)});
  }
  // Of the records late since, only those due no later than the limit-th earliest
  // deadline of all can be among the first `limit`.
  std::optional<std::int64_t> cutoff;
  if (limit && late.size() + since.size() > static_cast<std::size_t>(*limit)) {
    std::vector<std::int64_t> dues;
    dues.reserve(late.size() + since.size());
    for (const Late& l : late) dues.push_back(l.due);
    for (const LateSince& l : since) dues.push_back(l.due);
    const auto nth = dues.begin() + static_cast<std::ptrdiff_t>(*limit - 1);
    std::nth_element(dues.begin(), nth, dues.end());
    cutoff = *nth;
  }
  std::vector<std::int64_t> wanted;
  std::map<std::int64_t, std::int64_t> due_of;
  for (const LateSince& l : since)
    if (!cutoff || l.due <= *cutoff) {
      wanted.push_back(l.id);
      due_of[l.id] = l.due;
    }
  if (!wanted.empty()) {
    Params p;
    pg::Result res = c.exec("SELECT id, ref FROM records WHERE id = ANY(" + p.ids(wanted) + ")", p.values());
    for (int i = 0; i < res.rows(); ++i) late.push_back({due_of[res.int64(i, 0)], std::string(res.text(i, 1)), res.int64(i, 0)});
  }
  const auto earlier = [](const Late& a, const Late& b) { return a.due != b.due ? a.due < b.due : a.ref < b.ref; };
  const std::size_t n = limit ? std::min(late.size(), static_cast<std::size_t>(*limit)) : late.size();
  std::partial_sort(late.begin(), late.begin() + static_cast<std::ptrdiff_t>(n), late.end(), earlier);
  late.resize(n);
  if (late.empty()) return out;
  std::vector<std::int64_t> ids;
  for (const Late& l : late) ids.push_back(l.id);
  Params p;
  pg::Result rows = c.exec("SELECT r.id, r.ref, r.owner, r.assignee, r.kind, r.subject, r.level, (r.purged_at IS NOT NULL)::int"
                           " FROM records r WHERE r.id = ANY(" + p.ids(ids) + ")",
                           p.values());
  std::unordered_map<std::int64_t, int> row_of;
  for (int i = 0; i < rows.rows(); ++i) row_of[rows.int64(i, 0)] = i;
  for (const Late& l : late) {
    const auto found = row_of.find(l.id);
    if (found == row_of.end()) continue;
    const int i = found->second;
    OverdueItem o;
    o.ref = rows.text(i, 1);
    o.owner = rows.text(i, 2);
    o.assignee = rows.text(i, 3);
    o.kind = rows.text(i, 4);
    o.subject = rows.text(i, 5);
    o.due = time_of(l.due);
    o.level = rows.text(i, 6);
    o.purged = rows.int64(i, 7) != 0;
    out.first.push_back(std::move(o));
  }
  return out;
}

// §5 ------------------------------------------------------------------------------------

Suggestions suggestions(pg::Connection& c, const ReportFilter& filter, TimePoint from, TimePoint end,
                        const std::vector<std::string>& suggestion_kinds) {
  Suggestions out;
  const bool imported = any_imported(c);
  Params p;
  const std::string lo = p.number(secs(from)), hi = p.number(secs(end));
  const std::string f = filter_sql(filter, p);
  const std::string kinds = p.list(suggestion_kinds);
  // The outcome at the end: the record's own when its last closing is before the end, else
  // the one its last closing event before the end recorded, else the imported one.
  pg::RowCursor s(
      c,
      fmt::format("SELECT {0}::int, CASE WHEN r.closed_at < {4} THEN r.outcome ELSE coalesce("
                  " (SELECT liaison_json(eo.data) ->> 'outcome' FROM events eo WHERE eo.record_id = r.id AND eo.type = 'closed'"
                  "  AND eo.at < {4} ORDER BY eo.id DESC LIMIT 1), {3}) END"
                  " FROM records r WHERE {1} AND r.kind IN ({2})",
                  closed_at(hi, imported), received_in(lo, hi, f), kinds, imported_says("outcome", imported), hi),
      p.values());
  while (s.step()) {
    ++out.received;
    if (s.int64(0) == 0) {
      ++out.pending;
      continue;
    }
    const std::string_view value = s.text(1);  // "" for NULL
    if (value == "adopted") ++out.adopted;
    else if (value == "rejected") ++out.rejected;
    else ++out.other_closed;
  }
  return out;
}

std::vector<MajorItem> major(pg::Connection& c, const ReportFilter& filter, TimePoint from, TimePoint end) {
  std::vector<MajorItem> out;
  const bool imported = any_imported(c);
  Params p;
  const std::string lo = p.number(secs(from)), hi = p.number(secs(end));
  const std::string f = filter_sql(filter, p);
  // Not closed at the start: open now, or last closed since; when one was closed at the
  // end, its last closing before the end is its current one unless it was reopened since.
  pg::Result res = c.exec(
      fmt::format("SELECT r.ref, r.kind, r.owner, r.subject, r.received_at, {0}::int, r.closed_at,"
                  " r.escalated_to, r.level, r.id, (r.purged_at IS NOT NULL)::int"
                  " FROM records r WHERE r.major = 1 AND r.received_at < {3} AND (r.status <> 'closed' OR r.closed_at >= {4})"
                  " AND NOT {1}{2}"
                  " ORDER BY r.received_at, r.ref",
                  closed_at(hi, imported), closed_at(lo, imported), f, hi, lo),
      p.values());
  for (int i = 0; i < res.rows(); ++i) {
    const pg::Row row{res, i};
    MajorItem m;
    m.ref = row.text(0);
    m.kind = row.text(1);
    m.owner = row.text(2);
    m.subject = row.text(3);
    m.received_at = time_of(row.int64(4));
    m.closed_at_end = row.int64(5) != 0;
    m.purged = row.int64(10) != 0;
    if (m.closed_at_end) {
      m.closed_at = opt_time(row, 6);
      if (!m.closed_at || *m.closed_at >= end) {
        Params q;
        const std::string id = q.number(row.int64(9)), t = q.number(secs(end));
        pg::Result last = c.exec(
            fmt::format("SELECT {} FROM records r WHERE r.id = {}", last_closing_before(t, imported), id), q.values());
        m.closed_at = last.rows() ? opt_time(pg::Row{last, 0}, 0) : std::nullopt;
      }
    }
    m.escalated_to = row.text(7);
    m.level = row.text(8);
    out.push_back(std::move(m));
  }
  return out;
}

/// The PostgreSQL store's ReportSnapshot: every section on the store's own connection,
/// inside one REPEATABLE READ READ ONLY transaction (PgStore::snapshot) until it is
/// dropped; inside the caller's transaction when one is open already. No second reader.
class PgReportSnapshot final : public ReportSnapshot {
 public:
  PgReportSnapshot(ReportQueries& main, std::shared_ptr<void> pinned) : main_(main), pinned_(std::move(pinned)) {}
  ReportQueries& main() override { return main_; }
  ReportQueries* side() override { return nullptr; }

 private:
  ReportQueries& main_;
  std::shared_ptr<void> pinned_;  ///< ends the transaction when the snapshot goes
};

/// backlog_due as schemas/postgres/0003 first counted it from the records ($1 = kBacklogBucket).
constexpr const char* kBacklogRecounted =
    "SELECT owner, coalesce(due / $1::bigint, -1) AS bucket, (status = 'waiting')::int AS waiting, count(*) AS n"
    " FROM records WHERE status <> 'closed' GROUP BY 1, 2, 3";

}  // namespace

Volume PgStore::report_volume(const ReportFilter& f, TimePoint from, TimePoint end,
                              const std::vector<std::string>& complaint_kinds, int top_parties) {
  return volume(c_, f, from, end, complaint_kinds, top_parties);
}
FlowCounts PgStore::report_flow(const ReportFilter& f, TimePoint from, TimePoint end) { return flow(c_, f, from, end); }
std::vector<Timeliness> PgStore::report_timeliness(const ReportFilter& f, TimePoint from, TimePoint end,
                                                   bool overall_only) {
  return timeliness(c_, f, from, end, overall_only);
}
std::vector<ObligationTimeliness> PgStore::report_obligations(const ReportFilter& f, TimePoint from, TimePoint end) {
  return obligations(c_, f, from, end);
}
std::vector<Count> PgStore::report_overdue_by_owner(const ReportFilter& f, TimePoint end) {
  const bool imported = any_imported(c_);
  return overdue_by_owner(c_, f, secs(end), imported, late_since(c_, f, secs(end), imported));
}
OverdueAtEnd PgStore::report_overdue(const ReportFilter& f, TimePoint end, std::optional<std::int64_t> limit) {
  return overdue(c_, f, end, limit);
}
Suggestions PgStore::report_suggestions(const ReportFilter& f, TimePoint from, TimePoint end,
                                        const std::vector<std::string>& suggestion_kinds) {
  return suggestions(c_, f, from, end, suggestion_kinds);
}
std::vector<MajorItem> PgStore::report_major(const ReportFilter& f, TimePoint from, TimePoint end) {
  return major(c_, f, from, end);
}

std::unique_ptr<ReportSnapshot> PgStore::report_snapshot(SecondReader) {
  return std::make_unique<PgReportSnapshot>(*this, c_.in_transaction() ? nullptr : snapshot());
}

std::vector<CountDifference> PgStore::backlog_count_differences(std::size_t limit) {
  // What backlog_due keeps (its rows at 0 are what a count that went down left) beside a
  // recount of the records.
  pg::Result res = c_.exec(
      "SELECT coalesce(k.owner, c.owner), coalesce(k.bucket, c.bucket), coalesce(k.waiting, c.waiting),"
      " coalesce(k.n, 0), coalesce(c.n, 0)"
      " FROM (SELECT owner, bucket, waiting, n FROM backlog_due WHERE n <> 0) k"
      " FULL JOIN (" + std::string(kBacklogRecounted) + ") c"
      " ON c.owner = k.owner AND c.bucket = k.bucket AND c.waiting = k.waiting"
      " WHERE coalesce(k.n, 0) <> coalesce(c.n, 0) ORDER BY 1, 2, 3 LIMIT $2::bigint",
      {num(kBacklogBucket), num(static_cast<std::int64_t>(std::min(limit, static_cast<std::size_t>(kNever))))});
  std::vector<CountDifference> out;
  for (int i = 0; i < res.rows(); ++i) {
    CountDifference d;
    d.owner = res.text(i, 0);
    if (const std::int64_t bucket = res.int64(i, 1); bucket >= 0) {
      d.deadlines_from = time_of(bucket * kBacklogBucket);
      d.deadlines_to = time_of((bucket + 1) * kBacklogBucket);
    }
    d.waiting = res.int64(i, 2) != 0;
    d.kept = res.int64(i, 3);
    d.counted = res.int64(i, 4);
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<CycleDifference> PgStore::resolve_cycle_differences(std::size_t limit) {
  // The kept cycles beside those the history gives, by set differences: kept under a
  // reopening the history gives no cycle for, given but not kept, kept with other values.
  pg::Result res = c_.exec(
      "WITH v AS MATERIALIZED (SELECT * FROM resolve_cycles_replayed), k AS (SELECT * FROM resolve_cycles),"
      " extra AS (SELECT record_id, reopened_id FROM k EXCEPT SELECT record_id, reopened_id FROM v),"
      " missing AS (SELECT record_id, reopened_id FROM v EXCEPT SELECT record_id, reopened_id FROM k),"
      " changed AS (SELECT record_id, reopened_id FROM (SELECT * FROM k EXCEPT SELECT * FROM v) x"
      "  EXCEPT SELECT record_id, reopened_id FROM extra),"
      " d AS (SELECT record_id, reopened_id, 1 AS kept, 0 AS replayed FROM extra"
      "  UNION ALL SELECT record_id, reopened_id, 0, 1 FROM missing"
      "  UNION ALL SELECT record_id, reopened_id, 1, 1 FROM changed)"
      " SELECT coalesce(r.ref, '#' || d.record_id), d.reopened_id, d.kept, d.replayed"
      " FROM d LEFT JOIN records r ON r.id = d.record_id ORDER BY d.reopened_id LIMIT $1::bigint",
      {num(static_cast<std::int64_t>(std::min(limit, static_cast<std::size_t>(kNever))))});
  std::vector<CycleDifference> out;
  for (int i = 0; i < res.rows(); ++i)
    out.push_back({std::string(res.text(i, 0)), res.int64(i, 1), res.int64(i, 2) != 0, res.int64(i, 3) != 0});
  return out;
}

KeptRecount PgStore::recount_kept() {
  constexpr std::size_t kAll = std::numeric_limits<std::int64_t>::max();
  KeptRecount out;
  out.counts = static_cast<std::int64_t>(backlog_count_differences(kAll).size());
  out.cycles = static_cast<std::int64_t>(resolve_cycle_differences(kAll).size());
  // Rebuilt with the owner's rights (the application's role only reads them), from the
  // records and the history alone.
  if (out.counts) c_.exec("SELECT liaison_recount_backlog_due()");
  if (out.cycles) c_.exec("SELECT liaison_replay_resolve_cycles()");
  return out;
}

}  // namespace liaison
