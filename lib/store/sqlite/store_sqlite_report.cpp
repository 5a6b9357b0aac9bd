// The SQL behind `liaison report` (lib/report/report.h; definitions in man/liaison-report.1).
//
// Where a record stood at a moment T is read from its history, not from its current row:
//   closed at T   the last of its closings and reopenings before T is a closing. A record
//                 never reopened has one closing at most, at records.closed_at (from its
//                 'closed' event or the state it was imported with), so only the few
//                 reopened records need their events read; for those, an 'imported' event
//                 saying "closed" is a closing at its closed_at, before every later event.
//   waiting at T  the last of its 'waiting'/'resumed'/'closed' events before T is 'waiting',
//                 or, without any, it was imported waiting and its resolve clock was paused
//                 before T. A resolve cycle paused at T before its deadline passed has its
//                 deadline suspended (a resume will move it): it is not counted as missed.
// The cost should follow what the period holds, not the size of the history:
//   - how many were open at T is counted back from now (flow): open now, less what was
//     received since T, plus the closings since T, less the reopenings since T;
//   - a record overdue at T is open now with a deadline before T (records_open_due), or
//     closed or reopened since T (records_closed_at, events_type_at);
//   - timeliness reads the obligations met or due in the period (clocks_stopped,
//     clocks_due, and the same of resolve_cycles), and is tallied in C++.
//
// Resolve cycles: a reopening replaces the record's resolve clock (the clocks table holds
// the current one); the cycles that reopenings ended are kept in resolve_cycles
// (schemas/0011), which a trigger fills from the history as each reopening is written.
//
// Lookups of one record's events name their index: events_record_type (record_id, type,
// id) for its events of given types, events_record (record_id, id) where the last of
// several types is asked, events_waiting for whether it ever waited. Without statistics
// the planner may otherwise walk events_type_at over every event of that type before the
// moment, once per record (minutes on a million records).
//
// Parameters: ?1 = from, ?2 = end (or the moment asked about), ?3 = an event type or a
// limit, ?4 a moment; the filter's values from ?100 (FilterSql), lists of kinds from ?500.
// Values are always bound.
#include "store_sqlite_report.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "report_tally.h"
#include "sqlite_store.h"
#include "store_sqlite_util.h"

namespace liaison::sqlite_report {

using sqlite_util::rethrow;
using sqlite_util::secs;
using report_tally::kNoUsedTime;
using report_tally::Obligations;
using report_tally::fill;
using report_tally::ranked;

namespace {

constexpr int kFilterFirst = 100;
constexpr int kKindsFirst = 500;

/// "?first, ?first+1, …" for a list of n values ("" when n = 0: SQLite accepts IN ()).
std::string placeholders(int first, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += fmt::format("{}?{}", i ? ", " : "", first + static_cast<int>(i));
  return out;
}

template <class Statement>  // SQLite::Statement or sqlite_util::Cursor
void bind_list(Statement& s, int first, const std::vector<std::string>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) s.bind(first + static_cast<int>(i), values[i]);
}

/// The report filter as SQL over `records r`: " AND …" terms, numbered from ?100.
class FilterSql {
 public:
  explicit FilterSql(const ReportFilter& f) : filter_(f) {
    int next = kFilterFirst + 1;
    if (f.direction) where_ += fmt::format(" AND r.direction = ?{}", kFilterFirst);
    if (!f.departments.empty()) {
      where_ += fmt::format(" AND r.owner IN ({})", placeholders(next, f.departments.size()));
      next += static_cast<int>(f.departments.size());
    }
    if (!f.kinds.empty()) {
      where_ += fmt::format(" AND r.kind IN ({})", placeholders(next, f.kinds.size()));
      next += static_cast<int>(f.kinds.size());
    }
    if (!f.party_types.empty())
      where_ += fmt::format(" AND r.party IN (SELECT id FROM parties WHERE type IN ({}))",
                            placeholders(next, f.party_types.size()));
  }
  const std::string& where() const { return where_; }
  template <class Statement>  // SQLite::Statement or sqlite_util::Cursor
  void bind(Statement& s) const {
    int next = kFilterFirst + 1;
    if (filter_.direction) s.bind(kFilterFirst, std::string(to_string(*filter_.direction)));
    bind_list(s, next, filter_.departments);
    next += static_cast<int>(filter_.departments.size());
    bind_list(s, next, filter_.kinds);
    next += static_cast<int>(filter_.kinds.size());
    bind_list(s, next, filter_.party_types);
  }

 private:
  const ReportFilter& filter_;
  std::string where_;
};

/// Whether any record was imported at all. When none was, a record's history is its
/// events alone, and the SQL below leaves out every look for an 'imported' event: a
/// probe of the record's events fewer per record and moment.
bool any_imported(SQLite::Database& db) {
  SQLite::Statement s(db, "SELECT EXISTS (SELECT 1 FROM events WHERE type = 'imported')");
  return s.executeStep() && s.getColumn(0).getInt() != 0;
}

/// Whether the filter asks for departments at most: backlog_due (schemas/0009) counts the
/// backlog by department alone.
bool by_department_at_most(const ReportFilter& f) { return !f.direction && f.kinds.empty() && f.party_types.empty(); }

/// SQL: the imported state of record r says `what` (a JSON path in its 'imported' event's
/// data); NULL when it has no such event, or when nothing was `imported`.
std::string imported_says(std::string_view what, bool imported) {
  if (!imported) return "NULL";
  return fmt::format(
      "(SELECT ei.data ->> '{}' FROM events ei INDEXED BY events_record_type WHERE ei.record_id = r.id AND ei.type = 'imported')",
      what);
}

/// SQL: record r was imported closed before the moment `t`.
std::string imported_closed_before(std::string_view t, bool imported) {
  if (!imported) return "0";
  return fmt::format("({} = 'closed' AND unixepoch({}) < {})", imported_says("$.status", true),
                     imported_says("$.closed_at", true), t);
}

/// SQL true when record r was closed at the moment in parameter `t` ("?2"); never NULL,
/// so that NOT of it is true for a record with no closing before t. A record not reopened
/// since t was closed then exactly when its current closing came before t (open now, it
/// would have needed a reopening to be open again); only the few reopened since have
/// their history read.
std::string closed_at(std::string_view t, bool imported) {
  return fmt::format(
      "(CASE WHEN r.id IN (SELECT record_id FROM events WHERE type = 'reopened' AND at >= {0}) THEN "
      "((r.closed_at IS NOT NULL AND r.closed_at < {0}) OR "
      "coalesce((SELECT ec.type FROM events ec INDEXED BY events_record WHERE ec.record_id = r.id AND ec.type IN ('closed', 'reopened') "
      "AND ec.at < {0} ORDER BY ec.id DESC LIMIT 1), "
      "CASE WHEN {1} THEN 'closed' END, '') = 'closed') "
      "ELSE coalesce(r.closed_at < {0}, 0) END)",
      t, imported_closed_before(t, imported));
}

/// SQL: when record r was last closed before `t`, NULL if never (only meaningful when it
/// was closed at `t`).
std::string last_closing_before(std::string_view t, bool imported) {
  return fmt::format(
      "CASE WHEN r.closed_at < {0} THEN r.closed_at ELSE coalesce("
      "(SELECT max(ex.at) FROM events ex INDEXED BY events_record_type WHERE ex.record_id = r.id AND ex.type = 'closed' AND ex.at < {0}), "
      "CASE WHEN {1} THEN unixepoch({2}) END) END",
      t, imported_closed_before(t, imported), imported_says("$.closed_at", imported));
}

/// SQL: the resolve clock in the JSON `data` of a 'filed' or 'imported' event (its
/// "clocks" array holds the ack and resolve clocks, in either order).
std::string resolve_clock_of(std::string_view data) {
  return fmt::format("CASE WHEN {0} ->> '$.clocks[0].clock' = 'resolve' THEN {0} -> '$.clocks[0]' "
                     "WHEN {0} ->> '$.clocks[1].clock' = 'resolve' THEN {0} -> '$.clocks[1]' END",
                     data);
}

/// SQL: since when record r (whose id is `id`) was waiting (its resolve clock paused) at the
/// moment `t`, or NULL when it was not waiting then.
std::string waiting_since(std::string_view t, std::string_view id, bool imported) {
  const std::string last_event = fmt::format(
      "(SELECT CASE WHEN ew.type = 'waiting' THEN ew.at ELSE -1 END FROM events ew INDEXED BY events_record "
      "WHERE ew.record_id = {1} AND ew.type IN ('waiting', 'resumed', 'closed') AND ew.at < {0} ORDER BY ew.id DESC LIMIT 1)",
      t, id);
  if (!imported)
    return fmt::format(
        "(CASE WHEN EXISTS (SELECT 1 FROM events xw INDEXED BY events_waiting WHERE xw.record_id = {1} AND xw.type = 'waiting') THEN "
        "coalesce({0}, -1) END)",
        last_event, id);
  return fmt::format(
      "(CASE WHEN EXISTS (SELECT 1 FROM events xw INDEXED BY events_record WHERE xw.record_id = {3} AND xw.type IN ('waiting', 'imported')) THEN "
      "coalesce({0}, "
      "(SELECT CASE WHEN ei.data ->> '$.status' = 'waiting' AND unixepoch(({2}) ->> '$.paused_since') < {1} "
      "THEN unixepoch(({2}) ->> '$.paused_since') END FROM events ei INDEXED BY events_record_type "
      "WHERE ei.record_id = {3} AND ei.type = 'imported'), -1) END)",
      last_event, t, resolve_clock_of("ei.data"), id);
}

/// SQL true when record r was waiting at the moment `t`.
std::string waiting_at(std::string_view t, bool imported) {
  return fmt::format("(coalesce({}, -1) >= 0)", waiting_since(t, "r.id", imported));
}

/// SQL true when clock `c` (a resolve cycle in force at `t`) was paused at `t` before its
/// deadline passed: its deadline is suspended until the resume moves it.
std::string suspended_at(std::string_view t, std::string_view id, bool imported) {
  const std::string since = waiting_since(t, id, imported);
  return fmt::format("(c.name = 'resolve' AND coalesce({0}, -1) >= 0 AND {0} < c.due)", since);
}

std::int64_t count_one(SQLite::Statement& s) {
  std::int64_t n = 0;
  if (s.executeStep()) n = s.getColumn(0).getInt64();
  return n;
}

/// Records received in [?1, ?2) that pass the filter.
std::string received_in(const FilterSql& f) {
  return "r.received_at >= ?1 AND r.received_at < ?2" + f.where();
}

template <class Statement>  // SQLite::Statement or sqlite_util::Cursor
void bind_window(Statement& s, TimePoint from, TimePoint end) {
  s.bind(1, static_cast<std::int64_t>(secs(from)));
  s.bind(2, static_cast<std::int64_t>(secs(end)));
}

}  // namespace

Volume volume(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end,
              const std::vector<std::string>& complaint_kinds, int top_parties) {
  FilterSql f(filter);
  Volume v;
  // One pass over the period's records (records_received holds every dimension), tallied
  // here: first into one cell per direction, kind, department, channel and party, then
  // into the tables. (A GROUP BY of the five sorted every record: 0.6 s of a year's 0.7 s
  // at a million records.)
  std::map<std::pair<bool, std::string>, std::int64_t> by_direction_kind;  // (external, kind)
  std::map<std::string, std::int64_t> by_owner, by_channel, by_party_type, by_topic;
  struct PartyTally {
    std::string name, type;
    std::int64_t complaints = 0;
  };
  std::map<std::string, PartyTally> parties;
  try {
    struct Cell {
      std::string direction, kind, owner, channel;
      std::optional<std::string> party;
      std::string topic;
      std::int64_t n = 0;
    };
    std::unordered_map<std::string, Cell> cells;
    const std::string sql =
        fmt::format("SELECT r.direction, r.kind, r.owner, r.channel, r.party, r.topic FROM records r WHERE {}",
                    received_in(f));
    sqlite_util::Cursor s(db, sql.c_str());
    bind_window(s, from, end);
    f.bind(s);
    std::string key;
    while (s.step()) {
      key.clear();
      for (int i = 0; i < 6; ++i) {  // each value's length, then its bytes; NULL as "-"
        if (s.null(i)) {
          key += '-';
          continue;
        }
        const std::string_view bytes = s.text(i);
        const fmt::format_int digits(bytes.size());
        key.append(digits.data(), digits.size());
        key += ':';
        key += bytes;
      }
      auto [it, added] = cells.try_emplace(key);
      if (added) {
        Cell& cell = it->second;
        cell.direction = s.text(0);
        cell.kind = s.text(1);
        cell.owner = s.text(2);
        cell.channel = s.text(3);
        if (!s.null(4)) cell.party = std::string(s.text(4));
        cell.topic = s.text(5);
      }
      ++it->second.n;
    }
    // Each party's name and type, as the LEFT JOIN gave them: none for an id not registered.
    SQLite::Statement party(db, "SELECT name, type FROM parties WHERE id = ?1");
    std::map<std::string, std::optional<std::pair<std::string, std::string>>> registered;
    for (const auto& [k, cell] : cells) {
      const std::int64_t n = cell.n;
      v.total += n;
      by_direction_kind[{cell.direction == "external", cell.kind}] += n;
      by_owner[cell.owner] += n;
      by_channel[cell.channel] += n;
      by_topic[cell.topic] += n;
      std::optional<std::pair<std::string, std::string>> name_type;
      if (cell.party) {
        auto [found, first] = registered.try_emplace(*cell.party);
        if (first) {
          party.bind(1, *cell.party);
          if (party.executeStep()) found->second.emplace(party.getColumn(0).getString(), party.getColumn(1).getString());
          party.reset();
        }
        name_type = found->second;
      }
      by_party_type[name_type ? name_type->second : ""] += n;  // "" without a party
      if (!name_type) continue;
      if (std::find(complaint_kinds.begin(), complaint_kinds.end(), cell.kind) == complaint_kinds.end()) continue;
      PartyTally& t = parties[*cell.party];
      t.name = name_type->first;
      t.type = name_type->second;
      t.complaints += n;
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_counting_received>());
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

namespace {

/// Records that pass the filter and were received in [?1, ?2).
std::int64_t received_count(SQLite::Database& db, const FilterSql& f, std::int64_t lo, std::int64_t hi) {
  SQLite::Statement s(db, "SELECT count(*) FROM records r WHERE " + received_in(f));
  s.bind(1, lo);
  s.bind(2, hi);
  f.bind(s);
  return count_one(s);
}

/// 'closed' or 'reopened' events in [?1, ?2) of records that pass the filter. Without a
/// filter the count never leaves events_type_at.
std::int64_t events_count(SQLite::Database& db, const FilterSql& f, std::string_view type, std::int64_t lo,
                          std::int64_t hi) {
  SQLite::Statement s(db, f.where().empty()
                              ? std::string("SELECT count(*) FROM events e WHERE e.type = ?3 AND e.at >= ?1 AND e.at < ?2")
                              : "SELECT count(*) FROM events e JOIN records r ON r.id = e.record_id "
                                "WHERE e.type = ?3 AND e.at >= ?1 AND e.at < ?2" + f.where());
  s.bind(1, lo);
  s.bind(2, hi);
  s.bind(3, std::string(type));
  f.bind(s);
  return count_one(s);
}

/// Closings in [?1, ?2) of records that pass the filter: their 'closed' events, and the
/// closings they were imported with — a record's current one when no 'closed' event came
/// after (records_closed_at), or, for a reopened record (whose closed_at is then a 'closed'
/// event's or none), the one its imported state gives. A reopening follows the closing it
/// undoes, so those records are found among the reopenings at or after ?1.
/// `any_imported`: whether any record was imported at all (when none was, only events count).
std::int64_t closings_count(SQLite::Database& db, const FilterSql& f, std::int64_t lo, std::int64_t hi,
                            bool any_imported) {
  const std::int64_t events = events_count(db, f, "closed", lo, hi);
  if (!any_imported) return events;
  SQLite::Statement imported(
      db, fmt::format("SELECT (SELECT count(*) FROM records r WHERE r.closed_at >= ?1 AND r.closed_at < ?2{0}"
                      " AND NOT EXISTS (SELECT 1 FROM events x INDEXED BY events_record_type WHERE x.record_id = r.id AND x.type = 'closed'))"
                      " + (SELECT count(*) FROM records r WHERE r.id IN (SELECT record_id FROM events WHERE type = 'reopened' AND at >= ?1)"
                      " AND {1} = 'closed' AND unixepoch({2}) >= ?1 AND unixepoch({2}) < ?2{0})",
                      f.where(), imported_says("$.status", true), imported_says("$.closed_at", true)));
  imported.bind(1, lo);
  imported.bind(2, hi);
  f.bind(imported);
  return events + count_one(imported);
}

/// Records that pass the filter and are not closed now: without a filter or by department
/// alone, the sum of backlog_due (schemas/0009).
std::int64_t open_now_count(SQLite::Database& db, const ReportFilter& filter, const FilterSql& f) {
  SQLite::Statement s(db, by_department_at_most(filter)
                              ? "SELECT coalesce(sum(r.n), 0) FROM backlog_due r WHERE 1" + f.where()
                              : "SELECT count(*) FROM records r WHERE r.status IN ('open', 'acknowledged', 'waiting')" +
                                    f.where());
  f.bind(s);
  return count_one(s);
}

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

/// The stretch of resolve deadlines that one row of backlog_due counts (schemas/0009).
constexpr std::int64_t kBacklogBucket = 2097152;

/// The resolve cycles that reopenings ended (schemas/0011), with the columns of a clocks
/// row that timeliness reads.
constexpr const char* kEarlierResolveCycles =
    "(SELECT record_id, 'resolve' AS name, reopened_at, due, stopped_at, used_seconds FROM resolve_cycles)";

}  // namespace

FlowCounts flow(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end) {
  FilterSql f(filter);
  FlowCounts out;
  const std::int64_t lo = secs(from), hi = secs(end);
  try {
    out.received = received_count(db, f, lo, hi);
    const bool imported = any_imported(db);
    out.closed = closings_count(db, f, lo, hi, imported);
    out.reopened = events_count(db, f, "reopened", lo, hi);
    // A record's closings and reopenings alternate, a closing first, and none comes before
    // it was received; so it is open at T exactly when it was received before T and had
    // as many reopenings as closings before T. Counted back from now: open at T = open now
    // - received since T + closed since T - reopened since T, a few counts over what
    // happened since T instead of a look at every record's history. The start follows
    // from the end by the same identity.
    out.open_at_end = open_now_count(db, filter, f) - received_count(db, f, hi, kNever) +
                      closings_count(db, f, hi, kNever, imported) - events_count(db, f, "reopened", hi, kNever);
    out.open_at_start = out.open_at_end - out.received + out.closed - out.reopened;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_counting_flow>());
  }
  return out;
}

std::vector<Timeliness> timeliness(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end,
                                   bool overall_only) {
  FilterSql f(filter);
  // An obligation cycle counts when it was met in [from, end), or fell due in [from, end)
  // and was not met before end: two disjoint sets for the current clocks, and the same two
  // for the resolve cycles that reopenings ended (resolve_cycles; the reopening that ended
  // a counted cycle came after it was met in the period or after the end, so at or after
  // `from`). The rows of the period are read once and tallied here: all, per department,
  // per kind; nearest-rank percentiles of the working time of the met ones.
  // The overall row alone, without a filter, needs nothing of the records.
  const bool bare = overall_only && f.where().empty();
  // records_labels (schemas/0010) holds every column of r read here: the filter's and the
  // department and kind.
  const std::string join = bare ? "" : " JOIN records r INDEXED BY records_labels ON r.id = c.record_id";
  std::string columns = fmt::format(
      "c.name, {}, "
      "c.stopped_at IS NOT NULL AND c.stopped_at < ?2, "
      "c.stopped_at IS NOT NULL AND c.stopped_at < ?2 AND c.stopped_at <= c.due, "
      "c.used_seconds",
      overall_only ? "'', ''" : "r.owner, r.kind");
  std::string sql = fmt::format(
      "SELECT {0} FROM clocks c{4}"
      " WHERE c.name IN ('ack', 'resolve') AND c.due IS NOT NULL AND c.stopped_at >= ?1 AND c.stopped_at < ?2{1}"
      " UNION ALL SELECT {0} FROM clocks c{4}"
      " WHERE c.name IN ('ack', 'resolve') AND c.due >= ?1 AND c.due < ?2"
      " AND (c.stopped_at IS NULL OR c.stopped_at >= ?2) AND NOT {3}{1}"
      " UNION ALL SELECT {0} FROM {2} c{4}"
      " WHERE c.due IS NOT NULL AND c.stopped_at >= ?1 AND c.stopped_at < ?2 AND c.reopened_at >= ?1{1}"
      " UNION ALL SELECT {0} FROM {2} c{4}"
      " WHERE c.due >= ?1 AND c.due < ?2 AND (c.stopped_at IS NULL OR c.stopped_at >= ?2) AND c.reopened_at >= ?1"
      " AND NOT {3}{1}",
      columns, f.where(), kEarlierResolveCycles, suspended_at("?2", bare ? "c.record_id" : "r.id", any_imported(db)),
      join);
  // One cell per (department, kind) as the rows are read (found through their text
  // without a copy of it), folded into the report's rows afterwards.
  std::vector<report_tally::Cell> cells;
  std::unordered_map<std::string, std::size_t> cell_of;
  try {
    sqlite_util::Cursor s(db, sql.c_str());
    bind_window(s, from, end);
    f.bind(s);
    std::string key;
    while (s.step()) {
      const bool ack = s.text(0) == "ack";  // or 'resolve'
      const bool met = s.integer(3) != 0;
      const bool on_time = s.integer(4) != 0;
      const std::int64_t used = s.null(5) ? kNoUsedTime : s.integer(5);
      const std::string_view owner = s.text(1), kind = s.text(2);
      key.assign(owner);
      key += '\0';
      key += kind;
      auto [it, added] = cell_of.try_emplace(key, cells.size());
      if (added) cells.push_back({std::string(owner), std::string(kind), {}, {}});
      Obligations& o = ack ? cells[it->second].ack : cells[it->second].resolve;
      ++o.count;
      o.on_time += on_time;
      if (met) o.used.push_back(used);
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_measuring_timeliness>());
  }
  return report_tally::timeliness_rows(cells, overall_only);
}

namespace {

/// The notification and receipt clocks met in [from, end) or due in it and not met before
/// end, as the timeliness rows count ack and resolve (these clocks neither pause nor
/// restart). Each half reads one range of names of clocks_stopped or clocks_due.
std::vector<ObligationTimeliness> obligations(SQLite::Database& db, const ReportFilter& filter, TimePoint from,
                                              TimePoint end) {
  FilterSql f(filter);
  const std::string join = f.where().empty() ? "" : " JOIN records r ON r.id = c.record_id";
  std::vector<ObligationTimeliness> out;
  for (const std::string type : {"notify", "receipt", "approval", "action"}) {
    // An approval without a deadline (the kind sets no approval_within) counts when it is
    // decided, and is on time.
    const bool approval = type == "approval";
    const std::string sql = fmt::format(
        "SELECT c.stopped_at IS NOT NULL AND c.stopped_at < ?2, "
        "c.stopped_at IS NOT NULL AND c.stopped_at < ?2 AND {4}, c.used_seconds"
        " FROM clocks c{0} WHERE c.name >= '{1}:' AND c.name < '{1};'{2}"
        " AND c.stopped_at >= ?1 AND c.stopped_at < ?2{3}"
        " UNION ALL SELECT c.stopped_at IS NOT NULL AND c.stopped_at < ?2, "
        "c.stopped_at IS NOT NULL AND c.stopped_at < ?2 AND {4}, c.used_seconds"
        " FROM clocks c{0} WHERE c.name >= '{1}:' AND c.name < '{1};'"
        " AND c.due >= ?1 AND c.due < ?2 AND (c.stopped_at IS NULL OR c.stopped_at >= ?2){3}",
        join, type, approval ? "" : " AND c.due IS NOT NULL", f.where(),
        approval ? "(c.due IS NULL OR c.stopped_at <= c.due)" : "c.stopped_at <= c.due");
    Obligations o;
    std::int64_t met = 0;
    try {
      sqlite_util::Cursor s(db, sql.c_str());
      bind_window(s, from, end);
      f.bind(s);
      while (s.step()) {
        ++o.count;
        o.on_time += s.integer(1) != 0;
        if (s.integer(0) != 0) {
          ++met;
          o.used.push_back(s.null(2) ? kNoUsedTime : s.integer(2));
        }
      }
    } catch (const SQLite::Exception& e) {
      rethrow(e, msg<Msg::doing_measuring_timeliness>());
    }
    if (o.count == 0) continue;
    ObligationTimeliness t;
    t.type = type;
    t.met = met;
    fill(o, t.count, t.on_time, t.median_seconds, t.p90_seconds);
    out.push_back(std::move(t));
  }
  return out;
}

/// SQL: record r's resolve deadline at ?2: the current clock's, unless a reopening came
/// at or after ?2 — then the deadline of the cycle that the first such reopening ended.
std::string due_at_end() {
  return "(CASE WHEN r.id IN (SELECT record_id FROM events WHERE type = 'reopened' AND at >= ?2)"
         " THEN (SELECT y.due FROM resolve_cycles y WHERE y.record_id = r.id AND y.reopened_at >= ?2"
         " ORDER BY y.reopened_id LIMIT 1) ELSE r.due END)";
}

/// Records overdue at ?2: not closed and not waiting then, resolve due before it, in three
/// disjoint sets:
///   the backlog: open now and not reopened since ?2 — so open at ?2 too, with the deadline
///     it has now, and waiting then as now unless it waited or resumed since (or was
///     imported, when anything was): read from records_open_due alone (schemas/0008),
///     which holds the deadline, department, status, reception time and reference;
///   open now and reopened since ?2 (few);
///   closed now, last closed at or after ?2 (records_closed_at, which holds the deadline:
///     only the late ones are read).
/// overdue_backlog gives the first as "FROM … WHERE …" over `records r`, to which a query
/// adds its columns, grouping or order; overdue_since the other two as one SELECT of
/// `columns`, in which "{due}" stands for the deadline at ?2.
std::string overdue_backlog(const FilterSql& f, bool imported) {
  // INDEXED BY: grouped by department, the planner would otherwise walk records_owner_status
  // over every record not closed, reading each row.
  return fmt::format(
      "FROM records r INDEXED BY records_open_due WHERE r.status <> 'closed' AND r.due < ?2 AND +r.received_at < ?2"
      " AND r.id NOT IN (SELECT record_id FROM events WHERE type = 'reopened' AND at >= ?2)"
      " AND NOT (CASE WHEN r.id IN (SELECT record_id FROM events WHERE type IN ('waiting', 'resumed') AND at >= ?2){0}"
      " THEN {1} ELSE r.status = 'waiting' END){2}",
      imported ? " OR r.id IN (SELECT record_id FROM events WHERE type = 'imported')" : "", waiting_at("?2", imported),
      f.where());
}

std::string overdue_since(std::string_view columns, const FilterSql& f, bool imported) {
  const std::string reopened_since = "(SELECT record_id FROM events WHERE type = 'reopened' AND at >= ?2)";
  const std::string general = fmt::format("+r.received_at < ?2 AND NOT {} AND {} < ?2 AND NOT {}{}",
                                          closed_at("?2", imported), due_at_end(), waiting_at("?2", imported), f.where());
  const std::string select = fmt::format(fmt::runtime(columns), fmt::arg("due", due_at_end()));
  return fmt::format(
      "SELECT {0} FROM records r WHERE r.id IN {1} AND +r.status <> 'closed' AND {2}"
      " UNION ALL SELECT {0} FROM records r WHERE r.closed_at >= ?2 AND (r.due < ?2 OR r.id IN {1})"
      " AND +r.status = 'closed' AND {2}",
      select, reopened_since, general);
}
}  // namespace

namespace {
/// SQL over backlog_due r: the stretches of deadlines wholly before T (?3 = T's stretch)
/// of the records not waiting.
constexpr const char* kLateStretches = "r.waiting = 0 AND r.bucket >= 0 AND r.bucket < ?3";

/// Whether counting the backlog's part from backlog_due reads less than scanning its late
/// index entries: the first reads a row (and a probe or two of its history) per record
/// reopened, waiting or resumed since T, about ten times what the second spends on an
/// index entry, and the counters say how many late entries there are.
bool counting_is_cheaper(SQLite::Database& db, const FilterSql& f, std::int64_t t) {
  SQLite::Statement late(db, fmt::format("SELECT coalesce(sum(r.n), 0) FROM backlog_due r WHERE {}{}", kLateStretches, f.where()));
  late.bind(3, t / kBacklogBucket);
  f.bind(late);
  SQLite::Statement changed(db, "SELECT count(*) FROM events WHERE type IN ('reopened', 'waiting', 'resumed') AND at >= ?2");
  changed.bind(2, t);
  return 10 * count_one(changed) < count_one(late);
}

/// A record overdue at T among those reopened or closed since T (overdue_since).
struct LateSince {
  std::string owner;
  std::int64_t id = 0;
  std::int64_t due = 0;
};

/// The records overdue at `t` among those reopened or closed since: few, and read once for
/// both the count by department and the first of the list. Those closed since are read
/// from records_closed_at alone: a reference would cost a row each, and only the list's
/// first few need one (overdue()).
std::vector<LateSince> late_since(SQLite::Database& db, const FilterSql& f, std::int64_t t, bool imported) {
  SQLite::Statement s(db, overdue_since("r.owner AS owner, r.id AS id, {due} AS due", f, imported));
  s.bind(2, t);
  f.bind(s);
  std::vector<LateSince> out;
  while (s.executeStep())
    out.push_back({s.getColumn(0).getString(), s.getColumn(1).getInt64(), s.getColumn(2).getInt64()});
  return out;
}

/// Overdue at `t` per department: the backlog's part (counted or scanned, as `how` says)
/// and `since`, most first, then by department.
std::vector<Count> overdue_by_owner(SQLite::Database& db, const ReportFilter& filter, const FilterSql& f, std::int64_t t,
                                    BacklogCount how, bool imported, const std::vector<LateSince>& since) {
  bool counted = !imported && by_department_at_most(filter) && how != BacklogCount::scan;
  if (counted && how == BacklogCount::cheaper) counted = counting_is_cheaper(db, f, t);
  std::string sql;
  if (counted) {
    // The backlog part counted from backlog_due (schemas/0009): the records not closed and
    // not waiting now with a deadline before T, whole stretches from the counters and the
    // last, partial one from records_open_due; then, for the few records whose state at T
    // may differ from now (reopened, waiting or resumed since T) or that may have been
    // received after T although due before it (a deadline before the reception), the
    // backlog test itself in place of that count.
    const std::string backlog_test = fmt::format(
        "coalesce(r.due < ?2 AND +r.received_at < ?2"
        " AND r.id NOT IN (SELECT record_id FROM events WHERE type = 'reopened' AND at >= ?2)"
        " AND NOT (CASE WHEN r.id IN (SELECT record_id FROM events WHERE type IN ('waiting', 'resumed') AND at >= ?2)"
        " THEN {} ELSE r.status = 'waiting' END), 0)",
        waiting_at("?2", false));
    sql = fmt::format(
        "SELECT r.owner AS owner, sum(r.n) AS n FROM backlog_due r WHERE {2}{0} GROUP BY r.owner"
        " UNION ALL SELECT r.owner, count(*) FROM records r INDEXED BY records_open_due"
        " WHERE r.status <> 'closed' AND r.due >= ?4 AND r.due < ?2 AND r.status <> 'waiting'{0} GROUP BY r.owner"
        " UNION ALL SELECT r.owner, sum({1}) - sum(coalesce(r.due < ?2 AND r.status <> 'waiting', 0)) FROM records r"
        " WHERE r.id IN (SELECT record_id FROM events WHERE type IN ('reopened', 'waiting', 'resumed') AND at >= ?2"
        " UNION SELECT id FROM records INDEXED BY records_due_early WHERE status <> 'closed' AND due < received_at)"
        " AND r.status <> 'closed'{0} GROUP BY r.owner",
        f.where(), backlog_test, kLateStretches);
  } else {
    sql = fmt::format("SELECT r.owner AS owner, count(*) AS n {} GROUP BY r.owner", overdue_backlog(f, imported));
  }
  SQLite::Statement s(db, sql);
  s.bind(2, t);
  if (counted) {
    s.bind(3, t / kBacklogBucket);
    s.bind(4, t / kBacklogBucket * kBacklogBucket);
  }
  f.bind(s);
  std::map<std::string, std::int64_t> n;
  while (s.executeStep()) n[s.getColumn(0).getString()] += s.getColumn(1).getInt64();
  for (const LateSince& l : since) ++n[l.owner];
  std::erase_if(n, [](const auto& owner_count) { return owner_count.second <= 0; });
  return ranked(n);
}
}  // namespace

std::vector<Count> overdue_by_owner(SQLite::Database& db, const ReportFilter& filter, TimePoint end,
                                    BacklogCount how) {
  FilterSql f(filter);
  try {
    const bool imported = any_imported(db);
    return overdue_by_owner(db, filter, f, secs(end), how, imported, late_since(db, f, secs(end), imported));
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_counting_overdue>());
  }
}

OverdueAtEnd overdue(SQLite::Database& db, const ReportFilter& filter, TimePoint end,
                     std::optional<std::int64_t> limit) {
  FilterSql f(filter);
  OverdueAtEnd out;
  const std::int64_t t = secs(end);
  bool imported = false;
  std::vector<LateSince> since;
  try {
    imported = any_imported(db);
    since = late_since(db, f, t, imported);
    out.by_owner = overdue_by_owner(db, filter, f, t, BacklogCount::cheaper, imported, since);
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_counting_overdue>());
  }
  if (limit && *limit <= 0) return out;
  try {
    // The first `limit` by deadline and reference: as many of the backlog's, in the order
    // of records_open_due, and the few overdue records reopened or closed since; then the
    // rows of those.
    struct Late {
      std::int64_t due;
      std::string ref;
      std::int64_t id;
    };
    std::vector<Late> late;
    SQLite::Statement s(db, fmt::format("SELECT r.id, r.ref, r.due {} ORDER BY r.due, r.ref LIMIT ?3",
                                        overdue_backlog(f, imported)));
    s.bind(2, t);
    s.bind(3, limit ? *limit : std::int64_t{-1});
    f.bind(s);
    while (s.executeStep())
      late.push_back({s.getColumn(2).getInt64(), s.getColumn(1).getString(), s.getColumn(0).getInt64()});
    // Of the records late since, only those due no later than the limit-th earliest
    // deadline of all can be among the first `limit` (at least `limit` come before any
    // other): their references are read, the rest passed over.
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
    SQLite::Statement ref(db, "SELECT ref FROM records WHERE id = ?1");
    for (const LateSince& l : since) {
      if (cutoff && l.due > *cutoff) continue;
      ref.bind(1, l.id);
      if (ref.executeStep()) late.push_back({l.due, ref.getColumn(0).getString(), l.id});
      ref.reset();
    }
    const auto earlier = [](const Late& a, const Late& b) { return a.due != b.due ? a.due < b.due : a.ref < b.ref; };
    const std::size_t n = limit ? std::min(late.size(), static_cast<std::size_t>(*limit)) : late.size();
    std::partial_sort(late.begin(), late.begin() + static_cast<std::ptrdiff_t>(n), late.end(), earlier);
    late.resize(n);
    SQLite::Statement row(db, "SELECT r.ref, r.owner, r.assignee, r.kind, r.subject, r.level, r.purged_at IS NOT NULL "
                              "FROM records r WHERE r.id = ?1");
    for (const Late& l : late) {
      row.bind(1, l.id);
      if (row.executeStep()) {
        OverdueItem o;
        o.ref = row.getColumn(0).getString();
        o.owner = row.getColumn(1).getString();
        o.assignee = row.getColumn(2).getString();
        o.kind = row.getColumn(3).getString();
        o.subject = row.getColumn(4).getString();
        o.due = TimePoint{std::chrono::seconds{l.due}};
        o.level = row.getColumn(5).getString();
        o.purged = row.getColumn(6).getInt() != 0;
        out.first.push_back(std::move(o));
      }
      row.reset();
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_listing_overdue_records>());
  }
  return out;
}

Suggestions suggestions(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end,
                        const std::vector<std::string>& suggestion_kinds) {
  FilterSql f(filter);
  Suggestions out;
  const bool imported = any_imported(db);
  // The outcome at the end: the record's own when its last closing is before the end, else
  // the one its last closing event before the end recorded, else the imported one. Each
  // suggestion's state is read once and tallied here (summed in SQL, the flattened
  // subquery evaluated "closed" once per sum).
  std::string sql = fmt::format(
      "SELECT {0} AS closed, CASE WHEN r.closed_at < ?2 THEN r.outcome ELSE coalesce("
      " (SELECT json_extract(eo.data, '$.outcome') FROM events eo INDEXED BY events_record_type WHERE eo.record_id = r.id AND eo.type = 'closed'"
      "  AND eo.at < ?2 ORDER BY eo.id DESC LIMIT 1), {3}) END AS outcome"
      " FROM records r WHERE {1} AND r.kind IN ({2})",
      closed_at("?2", imported), received_in(f), placeholders(kKindsFirst, suggestion_kinds.size()),
      imported_says("$.outcome", imported));
  try {
    SQLite::Statement s(db, sql);
    bind_window(s, from, end);
    f.bind(s);
    bind_list(s, kKindsFirst, suggestion_kinds);
    while (s.executeStep()) {
      ++out.received;
      if (s.getColumn(0).getInt() == 0) {
        ++out.pending;
        continue;
      }
      const SQLite::Column outcome = s.getColumn(1);
      const std::string value = outcome.isNull() ? std::string() : outcome.getString();
      if (value == "adopted") ++out.adopted;
      else if (value == "rejected") ++out.rejected;
      else ++out.other_closed;
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_counting_suggestions>());
  }
  return out;
}

std::vector<MajorItem> major(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end) {
  FilterSql f(filter);
  std::vector<MajorItem> out;
  const bool imported = any_imported(db);
  // Not closed at the start: open now, or last closed since (records_major holds both, so
  // the major records closed long before are passed over in the index). When one was
  // closed at the end, its last closing before the end is its current one, unless it
  // was reopened since: only then is its history read for it.
  std::string sql = fmt::format(
      "SELECT r.ref, r.kind, r.owner, r.subject, r.received_at, {0} AS closed_end, r.closed_at,"
      " r.escalated_to, r.level, r.id, r.purged_at IS NOT NULL"
      " FROM records r WHERE r.major = 1 AND r.received_at < ?2 AND (r.status <> 'closed' OR r.closed_at >= ?1)"
      " AND NOT {1}{2}"
      " ORDER BY r.received_at, r.ref",
      closed_at("?2", imported), closed_at("?1", imported), f.where());
  try {
    SQLite::Statement s(db, sql);
    bind_window(s, from, end);
    f.bind(s);
    std::optional<SQLite::Statement> last_closing;
    while (s.executeStep()) {
      MajorItem m;
      m.ref = s.getColumn(0).getString();
      m.kind = s.getColumn(1).getString();
      m.owner = s.getColumn(2).getString();
      m.subject = s.getColumn(3).getString();
      m.purged = s.getColumn(10).getInt() != 0;
      m.received_at = TimePoint{std::chrono::seconds{s.getColumn(4).getInt64()}};
      m.closed_at_end = s.getColumn(5).getInt() != 0;
      if (m.closed_at_end) {
        m.closed_at = sqlite_util::opt_time(s.getColumn(6));
        if (!m.closed_at || *m.closed_at >= end) {
          if (!last_closing)
            last_closing.emplace(
                db, fmt::format("SELECT {} FROM records r WHERE r.id = ?1", last_closing_before("?2", imported)));
          last_closing->bind(1, s.getColumn(9).getInt64());
          last_closing->bind(2, static_cast<std::int64_t>(secs(end)));
          m.closed_at = last_closing->executeStep() ? sqlite_util::opt_time(last_closing->getColumn(0)) : std::nullopt;
          last_closing->reset();
        }
      }
      m.escalated_to = s.getColumn(7).getString();
      m.level = s.getColumn(8).getString();
      out.push_back(std::move(m));
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_listing_major>());
  }
  return out;
}

namespace {
/// backlog_due as schemas/0009 first counted it from the records (?1 = kBacklogBucket).
constexpr const char* kBacklogRecounted =
    "SELECT owner, coalesce(due / ?1, -1) AS bucket, status = 'waiting' AS waiting, count(*) AS n FROM records"
    " WHERE status <> 'closed' GROUP BY 1, 2, 3";
}  // namespace

std::vector<CountDifference> backlog_count_differences(SQLite::Database& db, std::size_t limit) {
  std::vector<CountDifference> out;
  try {
    // What backlog_due keeps (its rows at 0 are what a count that went down left) beside
    // a recount of the records, as the migration that made it counted them.
    SQLite::Statement s(db,
                        "SELECT coalesce(k.owner, c.owner), coalesce(k.bucket, c.bucket), coalesce(k.waiting, c.waiting),"
                        " coalesce(k.n, 0), coalesce(c.n, 0)"
                        " FROM (SELECT owner, bucket, waiting, n FROM backlog_due WHERE n <> 0) k"
                        " FULL JOIN (" + std::string(kBacklogRecounted) + ") c"
                        " ON c.owner = k.owner AND c.bucket = k.bucket AND c.waiting = k.waiting"
                        " WHERE coalesce(k.n, 0) <> coalesce(c.n, 0) ORDER BY 1, 2, 3 LIMIT ?2");
    s.bind(1, kBacklogBucket);
    s.bind(2, static_cast<std::int64_t>(limit));
    while (s.executeStep()) {
      CountDifference d;
      d.owner = s.getColumn(0).getString();
      if (const std::int64_t bucket = s.getColumn(1).getInt64(); bucket >= 0) {
        d.deadlines_from = TimePoint{std::chrono::seconds{bucket * kBacklogBucket}};
        d.deadlines_to = TimePoint{std::chrono::seconds{(bucket + 1) * kBacklogBucket}};
      }
      d.waiting = s.getColumn(2).getInt() != 0;
      d.kept = s.getColumn(3).getInt64();
      d.counted = s.getColumn(4).getInt64();
      out.push_back(std::move(d));
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_counting_overdue>());
  }
  return out;
}

std::vector<CycleDifference> resolve_cycle_differences(SQLite::Database& db, std::size_t limit) {
  std::vector<CycleDifference> out;
  try {
    // The kept cycles beside those the history gives, by set differences (each sorts both
    // sides once; a FULL JOIN with the view compared every pair): kept under a reopening
    // the history does not give a cycle for, given by the history but not kept, and kept
    // with other values (every column compared, NULLs as values).
    constexpr const char* kColumns = "record_id, reopened_id, cycle, reopened_at, duration, started_at, due, stopped_at, used_seconds";
    SQLite::Statement s(
        db, fmt::format(
                "WITH v AS MATERIALIZED (SELECT {0} FROM resolve_cycles_replayed), k AS (SELECT {0} FROM resolve_cycles),"
                " extra AS (SELECT record_id, reopened_id FROM k EXCEPT SELECT record_id, reopened_id FROM v),"
                " missing AS (SELECT record_id, reopened_id FROM v EXCEPT SELECT record_id, reopened_id FROM k),"
                " changed AS (SELECT record_id, reopened_id FROM (SELECT * FROM k EXCEPT SELECT * FROM v)"
                "  EXCEPT SELECT record_id, reopened_id FROM extra),"
                " d AS (SELECT record_id, reopened_id, 1 AS kept, 0 AS replayed FROM extra"
                "  UNION ALL SELECT record_id, reopened_id, 0, 1 FROM missing"
                "  UNION ALL SELECT record_id, reopened_id, 1, 1 FROM changed)"
                " SELECT coalesce(r.ref, '#' || d.record_id), d.reopened_id, d.kept, d.replayed"
                " FROM d LEFT JOIN records r ON r.id = d.record_id ORDER BY d.reopened_id LIMIT ?1",
                kColumns));
    s.bind(1, static_cast<std::int64_t>(limit));
    while (s.executeStep())
      out.push_back({s.getColumn(0).getString(), s.getColumn(1).getInt64(), s.getColumn(2).getInt() != 0,
                     s.getColumn(3).getInt() != 0});
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_comparing_resolve_cycles>());
  }
  return out;
}

KeptRecount recount_kept(SQLite::Database& db) {
  constexpr std::size_t kAll = std::numeric_limits<std::int64_t>::max();
  KeptRecount out;
  try {
    out.counts = static_cast<std::int64_t>(backlog_count_differences(db, kAll).size());
    out.cycles = static_cast<std::int64_t>(resolve_cycle_differences(db, kAll).size());
    if (out.counts) {
      db.exec("DELETE FROM backlog_due");
      SQLite::Statement s(db, "INSERT INTO backlog_due (owner, bucket, waiting, n) " + std::string(kBacklogRecounted));
      s.bind(1, kBacklogBucket);
      s.exec();
    }
    if (out.cycles) {
      db.exec("DELETE FROM resolve_cycles");
      db.exec("INSERT INTO resolve_cycles SELECT * FROM resolve_cycles_replayed");
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_recounting_kept>());
  }
  return out;
}

Volume Reader::report_volume(const ReportFilter& f, TimePoint from, TimePoint end,
                             const std::vector<std::string>& complaint_kinds, int top_parties) {
  return volume(db_, f, from, end, complaint_kinds, top_parties);
}
FlowCounts Reader::report_flow(const ReportFilter& f, TimePoint from, TimePoint end) { return flow(db_, f, from, end); }
std::vector<Timeliness> Reader::report_timeliness(const ReportFilter& f, TimePoint from, TimePoint end,
                                                  bool overall_only) {
  return timeliness(db_, f, from, end, overall_only);
}
std::vector<ObligationTimeliness> Reader::report_obligations(const ReportFilter& f, TimePoint from, TimePoint end) {
  return obligations(db_, f, from, end);
}
std::vector<Count> Reader::report_overdue_by_owner(const ReportFilter& f, TimePoint end) {
  return overdue_by_owner(db_, f, end);
}
OverdueAtEnd Reader::report_overdue(const ReportFilter& f, TimePoint end, std::optional<std::int64_t> limit) {
  return overdue(db_, f, end, limit);
}
Suggestions Reader::report_suggestions(const ReportFilter& f, TimePoint from, TimePoint end,
                                       const std::vector<std::string>& suggestion_kinds) {
  return suggestions(db_, f, from, end, suggestion_kinds);
}
std::vector<MajorItem> Reader::report_major(const ReportFilter& f, TimePoint from, TimePoint end) {
  return major(db_, f, from, end);
}

namespace {

/// A read transaction begun on `db`: BEGIN, then a read, since a deferred BEGIN takes its
/// snapshot only at the first read.
void begin_read(SQLite::Database& db) {
  db.exec("BEGIN");
  (void)db.execAndGet("SELECT count(*) FROM sqlite_schema").getInt64();
}

/// Ends the read transaction `db` is in, if any. Nothing was written, so there is nothing a
/// failure could leave behind: it is not reported (this runs in destructors too).
void end_read(SQLite::Database& db) {
  if (!sqlite3_get_autocommit(db.getHandle())) (void)sqlite3_exec(db.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

/// The snapshot's second reader: its own read-only connection, in a read transaction.
class SideReader {
 public:
  SideReader(const std::string& path, std::FILE* trace)
      : db_(path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, sqlite_util::kBusyTimeoutMs) {
    if (trace) sqlite_util::trace_statements(db_.getHandle(), trace);
    db_.exec("PRAGMA query_only = ON");
  }
  SideReader(const SideReader&) = delete;
  SideReader& operator=(const SideReader&) = delete;
  ~SideReader() { end_read(db_); }
  SQLite::Database& db() { return db_; }
  ReportQueries& queries() { return queries_; }
  /// How many times a commit of another connection has been seen since it opened: PRAGMA
  /// data_version, which SQLite moves when a read transaction begins on a changed file.
  std::int64_t data_version() { return db_.execAndGet("PRAGMA data_version").getInt64(); }

 private:
  SQLite::Database db_;
  Reader queries_{db_};
};

/// The SQLite store's ReportSnapshot: `db` in the read transaction pin_snapshot began
/// (`pinned`; not when it was in a write already), ended when the snapshot is let go.
class Snapshot final : public ReportSnapshot {
 public:
  Snapshot(SQLite::Database& db, ReportQueries& main, bool pinned, std::unique_ptr<SideReader> side)
      : db_(db), main_(main), pinned_(pinned), side_(std::move(side)) {}
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  ~Snapshot() override {
    side_.reset();
    if (pinned_) end_read(db_);
  }
  ReportQueries& main() override { return main_; }
  ReportQueries* side() override { return side_ ? &side_->queries() : nullptr; }

 private:
  SQLite::Database& db_;
  ReportQueries& main_;
  bool pinned_;
  std::unique_ptr<SideReader> side_;
};

/// From what size of the file a report gains more from a second thread than the second
/// connection costs to start (reading the schema, warming a page cache of its own): at
/// 100,000 records (270 MB) a month took 55 ms on one connection, 64 ms on two; at a
/// million over 20 years (2.6 GB) the same on both; at a million over 2 years, 330 and
/// 180 ms.
constexpr std::int64_t kSecondReaderFromBytes = std::int64_t{1} << 30;

bool large(SQLite::Database& db) {
  return db.execAndGet("PRAGMA page_count").getInt64() * db.execAndGet("PRAGMA page_size").getInt64() >=
         kSecondReaderFromBytes;
}

/// How many times pin_snapshot tries to match the second reader to the first before it goes
/// without: each try fails only when another connection committed within its microseconds.
constexpr int kSnapshotTries = 3;

}  // namespace

std::unique_ptr<ReportSnapshot> pin_snapshot(SQLite::Database& db, ReportQueries& main, const std::string& path,
                                             std::FILE* trace, SecondReader second) {
  if (!sqlite3_get_autocommit(db.getHandle())) return std::make_unique<Snapshot>(db, main, false, nullptr);
  try {
    std::unique_ptr<SideReader> side;
    if (path != ":memory:" && !path.empty() && (second == SecondReader::when_possible || large(db))) {
      try {
        side = std::make_unique<SideReader>(path, trace);
      } catch (const SQLite::Exception&) {  // no second reader: the sections run one after another
      }
    }
    // The second reader's snapshot is the first's when no commit came between a read it made
    // before the first began and the start of its own: its data_version then did not move.
    // Whatever goes wrong with the second reader only costs the report its second thread.
    for (int attempt = 0; side && attempt < kSnapshotTries; ++attempt) {
      std::optional<std::int64_t> before;
      try {
        before = side->data_version();
      } catch (const SQLite::Exception&) {
        side.reset();
        break;
      }
      begin_read(db);
      try {
        side->db().exec("BEGIN");
        if (side->data_version() == *before) return std::make_unique<Snapshot>(db, main, true, std::move(side));
        end_read(side->db());
      } catch (const SQLite::Exception&) {
        return std::make_unique<Snapshot>(db, main, true, nullptr);
      }
      end_read(db);
    }
    begin_read(db);
    return std::make_unique<Snapshot>(db, main, true, nullptr);
  } catch (const SQLite::Exception& e) {
    end_read(db);
    rethrow(e, msg<Msg::doing_opening>(path));
  }
}

}  // namespace liaison::sqlite_report

// SqliteStore's ReportQueries capability, and the recount of what it keeps.
namespace liaison {

std::vector<CountDifference> SqliteStore::backlog_count_differences(std::size_t limit) {
  return sqlite_report::backlog_count_differences(db_, limit);
}
std::vector<CycleDifference> SqliteStore::resolve_cycle_differences(std::size_t limit) {
  return sqlite_report::resolve_cycle_differences(db_, limit);
}
KeptRecount SqliteStore::recount_kept() { return sqlite_report::recount_kept(db_); }

std::unique_ptr<ReportSnapshot> SqliteStore::report_snapshot(SecondReader second) {
  return sqlite_report::pin_snapshot(db_, report_reader_, path_, trace_.get(), second);
}

}  // namespace liaison
