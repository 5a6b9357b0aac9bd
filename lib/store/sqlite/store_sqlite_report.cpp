// The SQL behind `liaison report` (lib/report/report.h; definitions in man/liaison-report.1).
//
// Where a record stood at a moment T is read from its history, not from its current row:
//   closed at T   the last of its 'closed'/'reopened' events before T is 'closed'. A record
//                 never reopened has one closing at most, at records.closed_at, so only the
//                 few reopened records need their events read.
//   waiting at T  the last of its 'waiting'/'resumed'/'closed' events before T is 'waiting'.
// A record not closed at T is either open now (status <> 'closed') or closed at or after T
// (records_closed_at, schemas/0003): those two sets are all the candidates ever read, so
// the cost follows the backlog and the period, not the size of the history.
//
// Lookups of one record's events name their index (INDEXED BY events_record): without
// statistics the planner may otherwise walk events_type_at over every event of that type
// before the moment, once per record (minutes on a million records).
//
// Parameters: ?1 = from, ?2 = end (or the moment asked about), ?3 = a limit; the filter's
// values from ?100 (FilterSql), lists of kinds from ?500. Values are always bound.
#include "store_sqlite_report.h"

#include <map>
#include <utility>

#include <fmt/format.h>

#include "sqlite_store.h"
#include "store_sqlite_util.h"

namespace liaison::sqlite_report {

using sqlite_util::rethrow;
using sqlite_util::secs;

namespace {

constexpr int kFilterFirst = 100;
constexpr int kKindsFirst = 500;

/// "?first, ?first+1, …" for a list of n values ("" when n = 0: SQLite accepts IN ()).
std::string placeholders(int first, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += fmt::format("{}?{}", i ? ", " : "", first + static_cast<int>(i));
  return out;
}

void bind_list(SQLite::Statement& s, int first, const std::vector<std::string>& values) {
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
  void bind(SQLite::Statement& s) const {
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

/// SQL true when record r was closed at the moment in parameter `t` ("?2"); never NULL,
/// so that NOT of it is true for a record with no closing before t.
std::string closed_at(std::string_view t) {
  return fmt::format(
      "((r.closed_at IS NOT NULL AND r.closed_at < {0}) OR "
      "(r.id IN (SELECT record_id FROM events WHERE type = 'reopened') AND "
      "coalesce((SELECT ec.type FROM events ec INDEXED BY events_record WHERE ec.record_id = r.id AND ec.type IN ('closed', 'reopened') "
      "AND ec.at < {0} ORDER BY ec.id DESC LIMIT 1), '') = 'closed'))",
      t);
}

/// SQL true when record r was waiting (its resolve clock paused) at the moment `t`.
std::string waiting_at(std::string_view t) {
  return fmt::format(
      "(r.id IN (SELECT record_id FROM events WHERE type = 'waiting') AND "
      "coalesce((SELECT ew.type FROM events ew INDEXED BY events_record WHERE ew.record_id = r.id AND ew.type IN ('waiting', 'resumed', 'closed') "
      "AND ew.at < {0} ORDER BY ew.id DESC LIMIT 1), '') = 'waiting')",
      t);
}

/// The records received before `t` and not closed at `t`, as two disjoint SELECTs of
/// `columns` joined by UNION ALL: open now, or closed at or after `t`. `extra` adds terms.
std::string not_closed_at(std::string_view columns, std::string_view t, const FilterSql& f, std::string_view extra = "") {
  // "+" keeps the planner off records_received: nearly every record was received before t.
  std::string common = fmt::format("+r.received_at < {0} AND NOT {1}{2}{3}", t, closed_at(t), f.where(), extra);
  return fmt::format(
      "SELECT {0} FROM records r WHERE r.status <> 'closed' AND {1} "
      "UNION ALL SELECT {0} FROM records r WHERE +r.status = 'closed' AND r.closed_at >= {2} AND {1}",
      columns, common, t);
}

std::int64_t count_one(SQLite::Statement& s) {
  std::int64_t n = 0;
  if (s.executeStep()) n = s.getColumn(0).getInt64();
  return n;
}

std::int64_t open_at(SQLite::Database& db, const FilterSql& f, TimePoint t) {
  SQLite::Statement s(db, fmt::format("SELECT count(*) FROM ({})", not_closed_at("r.id", "?2", f)));
  s.bind(2, static_cast<std::int64_t>(secs(t)));
  f.bind(s);
  return count_one(s);
}

/// Runs a "key, count" query and returns its rows.
std::vector<Count> counts(SQLite::Statement& s) {
  std::vector<Count> out;
  while (s.executeStep()) out.push_back({s.getColumn(0).getString(), s.getColumn(1).getInt64()});
  return out;
}

/// Records received in [?1, ?2) that pass the filter.
std::string received_in(const FilterSql& f) {
  return "r.received_at >= ?1 AND r.received_at < ?2" + f.where();
}

void bind_window(SQLite::Statement& s, TimePoint from, TimePoint end) {
  s.bind(1, static_cast<std::int64_t>(secs(from)));
  s.bind(2, static_cast<std::int64_t>(secs(end)));
}

}  // namespace

Volume volume(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end,
              const std::vector<std::string>& complaint_kinds, int top_parties) {
  FilterSql f(filter);
  Volume v;
  try {
    auto grouped = [&](std::string_view key, std::string_view join = "") {
      SQLite::Statement s(db, fmt::format("SELECT {0} AS k, count(*) AS n FROM records r{1} WHERE {2} "
                                          "GROUP BY k ORDER BY n DESC, k",
                                          key, join, received_in(f)));
      bind_window(s, from, end);
      f.bind(s);
      return counts(s);
    };
    {
      SQLite::Statement s(db, fmt::format("SELECT r.direction, r.kind, count(*) FROM records r WHERE {} "
                                          "GROUP BY r.direction, r.kind ORDER BY r.direction = 'external', r.kind",
                                          received_in(f)));
      bind_window(s, from, end);
      f.bind(s);
      while (s.executeStep()) {
        Volume::Cell c;
        c.direction = parse_direction(s.getColumn(0).getString()).value_or(Direction::internal);
        c.kind = s.getColumn(1).getString();
        c.count = s.getColumn(2).getInt64();
        v.total += c.count;
        v.by_direction_kind.push_back(std::move(c));
      }
    }
    v.by_owner = grouped("r.owner");
    v.by_channel = grouped("r.channel");
    v.by_party_type = grouped("coalesce(p.type, '')", " LEFT JOIN parties p ON p.id = r.party");
    SQLite::Statement s(db, fmt::format("SELECT p.id, p.name, p.type, count(*) AS n FROM records r "
                                        "JOIN parties p ON p.id = r.party WHERE {} AND r.kind IN ({}) "
                                        "GROUP BY p.id ORDER BY n DESC, p.id LIMIT ?3",
                                        received_in(f), placeholders(kKindsFirst, complaint_kinds.size())));
    bind_window(s, from, end);
    s.bind(3, top_parties);
    f.bind(s);
    bind_list(s, kKindsFirst, complaint_kinds);
    while (s.executeStep())
      v.top_parties.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                               s.getColumn(3).getInt64()});
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_counting_received>());
  }
  return v;
}

FlowCounts flow(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end) {
  FilterSql f(filter);
  FlowCounts out;
  try {
    out.open_at_start = open_at(db, f, from);
    out.open_at_end = open_at(db, f, end);
    SQLite::Statement received(db, "SELECT count(*) FROM records r WHERE " + received_in(f));
    bind_window(received, from, end);
    f.bind(received);
    out.received = count_one(received);
    SQLite::Statement events(db, "SELECT e.type, count(*) FROM events e JOIN records r ON r.id = e.record_id "
                                 "WHERE e.type IN ('closed', 'reopened') AND e.at >= ?1 AND e.at < ?2" +
                                     f.where() + " GROUP BY e.type");
    bind_window(events, from, end);
    f.bind(events);
    while (events.executeStep())
      (events.getColumn(0).getString() == "closed" ? out.closed : out.reopened) = events.getColumn(1).getInt64();
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_counting_flow>());
  }
  return out;
}

std::vector<Timeliness> timeliness(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end) {
  FilterSql f(filter);
  // An obligation counts when it was met in [from, end), or fell due in [from, end) and
  // was not met before end: two disjoint sets. Nearest-rank percentiles: the value at rank
  // ceil(p·n), i.e. (n + 1) / 2 for the median and (9n + 9) / 10 for p90 in integers.
  std::string obligation_columns =
      "c.name AS clock, r.owner AS owner, r.kind AS kind, "
      "c.stopped_at IS NOT NULL AND c.stopped_at < ?2 AS met, "
      "c.stopped_at IS NOT NULL AND c.stopped_at < ?2 AND c.stopped_at <= c.due AS on_time, "
      "c.used_seconds AS used";
  std::string sql = fmt::format(
      "WITH ob AS MATERIALIZED ("
      " SELECT {0} FROM clocks c JOIN records r ON r.id = c.record_id"
      "  WHERE c.name IN ('ack', 'resolve') AND c.due IS NOT NULL AND c.stopped_at >= ?1 AND c.stopped_at < ?2{1}"
      " UNION ALL SELECT {0} FROM clocks c JOIN records r ON r.id = c.record_id"
      "  WHERE c.name IN ('ack', 'resolve') AND c.due >= ?1 AND c.due < ?2"
      "  AND (c.stopped_at IS NULL OR c.stopped_at >= ?2){1}),"
      " tagged AS ("
      "  SELECT clock, 0 AS g, '' AS key, met, on_time, used FROM ob"
      "  UNION ALL SELECT clock, 1, owner, met, on_time, used FROM ob"
      "  UNION ALL SELECT clock, 2, kind, met, on_time, used FROM ob),"
      " ranked AS ("
      "  SELECT clock, g, key, met, on_time, used,"
      "   row_number() OVER (PARTITION BY clock, g, key, met ORDER BY used) AS rn,"
      "   count(*) OVER (PARTITION BY clock, g, key, met) AS n"
      "  FROM tagged)"
      " SELECT g, key, clock, count(*), sum(on_time),"
      "  max(CASE WHEN met AND rn = (n + 1) / 2 THEN used END),"
      "  max(CASE WHEN met AND rn = (9 * n + 9) / 10 THEN used END)"
      " FROM ranked GROUP BY g, key, clock ORDER BY g, key, clock",
      obligation_columns, f.where());
  std::vector<Timeliness> out;
  try {
    SQLite::Statement s(db, sql);
    bind_window(s, from, end);
    f.bind(s);
    static const char* const kGroups[] = {"all", "department", "kind"};
    while (s.executeStep()) {
      int g = s.getColumn(0).getInt();
      std::string key = s.getColumn(1).getString();
      if (out.empty() || out.back().group != kGroups[g] || out.back().key != key) {
        Timeliness t;
        t.group = kGroups[g];
        t.key = key;
        out.push_back(std::move(t));
      }
      Timeliness& t = out.back();
      auto opt = [&](int col) {
        return s.getColumn(col).isNull() ? std::nullopt : std::optional<std::int64_t>(s.getColumn(col).getInt64());
      };
      if (s.getColumn(2).getString() == "ack") {
        t.ack_count = s.getColumn(3).getInt64();
        t.ack_on_time = s.getColumn(4).getInt64();
        t.ack_median_seconds = opt(5);
        t.ack_p90_seconds = opt(6);
      } else {
        t.resolve_count = s.getColumn(3).getInt64();
        t.resolve_on_time = s.getColumn(4).getInt64();
        t.resolve_median_seconds = opt(5);
        t.resolve_p90_seconds = opt(6);
      }
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_measuring_timeliness>());
  }
  // "all" is there even when nothing was due, so every renderer can show its zeros.
  if (out.empty() || out.front().group != "all") out.insert(out.begin(), Timeliness{"all", "", 0, 0, {}, {}, 0, 0, {}, {}});
  return out;
}

namespace {
/// Records overdue at ?2: not closed and not waiting then, resolve due before it.
std::string overdue_select(std::string_view columns, const FilterSql& f) {
  return not_closed_at(columns, "?2", f, " AND r.due < ?2 AND NOT " + waiting_at("?2"));
}
}  // namespace

std::vector<Count> overdue_by_owner(SQLite::Database& db, const ReportFilter& filter, TimePoint end) {
  FilterSql f(filter);
  try {
    SQLite::Statement s(db, fmt::format("SELECT owner, count(*) AS n FROM ({}) GROUP BY owner ORDER BY n DESC, owner",
                                        overdue_select("r.owner AS owner", f)));
    s.bind(2, static_cast<std::int64_t>(secs(end)));
    f.bind(s);
    return counts(s);
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_counting_overdue>());
  }
}

std::vector<OverdueItem> overdue(SQLite::Database& db, const ReportFilter& filter, TimePoint end) {
  FilterSql f(filter);
  std::vector<OverdueItem> out;
  try {
    SQLite::Statement s(
        db, fmt::format("SELECT * FROM ({}) ORDER BY due, ref",
                        overdue_select("r.ref AS ref, r.owner, r.assignee, r.kind, r.subject, r.due AS due, r.level", f)));
    s.bind(2, static_cast<std::int64_t>(secs(end)));
    f.bind(s);
    while (s.executeStep()) {
      OverdueItem o;
      o.ref = s.getColumn(0).getString();
      o.owner = s.getColumn(1).getString();
      o.assignee = s.getColumn(2).getString();
      o.kind = s.getColumn(3).getString();
      o.subject = s.getColumn(4).getString();
      o.due = TimePoint{std::chrono::seconds{s.getColumn(5).getInt64()}};
      o.level = s.getColumn(6).getString();
      out.push_back(std::move(o));
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
  // The outcome at the end: the record's own when its last closing is before the end, else
  // the one its last closing event before the end recorded.
  std::string sql = fmt::format(
      "SELECT count(*), coalesce(sum(closed AND outcome = 'adopted'), 0),"
      " coalesce(sum(closed AND outcome = 'rejected'), 0),"
      " coalesce(sum(closed AND coalesce(outcome, '') NOT IN ('adopted', 'rejected')), 0),"
      " coalesce(sum(NOT closed), 0) FROM ("
      " SELECT {0} AS closed, CASE WHEN r.closed_at < ?2 THEN r.outcome ELSE"
      "  (SELECT json_extract(eo.data, '$.outcome') FROM events eo INDEXED BY events_record WHERE eo.record_id = r.id AND eo.type = 'closed'"
      "   AND eo.at < ?2 ORDER BY eo.id DESC LIMIT 1) END AS outcome"
      " FROM records r WHERE {1} AND r.kind IN ({2}))",
      closed_at("?2"), received_in(f), placeholders(kKindsFirst, suggestion_kinds.size()));
  try {
    SQLite::Statement s(db, sql);
    bind_window(s, from, end);
    f.bind(s);
    bind_list(s, kKindsFirst, suggestion_kinds);
    if (s.executeStep()) {
      out.received = s.getColumn(0).getInt64();
      out.adopted = s.getColumn(1).getInt64();
      out.rejected = s.getColumn(2).getInt64();
      out.other_closed = s.getColumn(3).getInt64();
      out.pending = s.getColumn(4).getInt64();
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_counting_suggestions>());
  }
  return out;
}

std::vector<MajorItem> major(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end) {
  FilterSql f(filter);
  std::vector<MajorItem> out;
  std::string sql = fmt::format(
      "SELECT r.ref, r.kind, r.owner, r.subject, r.received_at, {0} AS closed_end,"
      " CASE WHEN r.closed_at < ?2 THEN r.closed_at ELSE"
      "  (SELECT max(ex.at) FROM events ex INDEXED BY events_record WHERE ex.record_id = r.id AND ex.type = 'closed' AND ex.at < ?2) END,"
      " r.escalated_to, r.level"
      " FROM records r WHERE r.major = 1 AND r.received_at < ?2 AND NOT {1}{2}"
      " ORDER BY r.received_at, r.ref",
      closed_at("?2"), closed_at("?1"), f.where());
  try {
    SQLite::Statement s(db, sql);
    bind_window(s, from, end);
    f.bind(s);
    while (s.executeStep()) {
      MajorItem m;
      m.ref = s.getColumn(0).getString();
      m.kind = s.getColumn(1).getString();
      m.owner = s.getColumn(2).getString();
      m.subject = s.getColumn(3).getString();
      m.received_at = TimePoint{std::chrono::seconds{s.getColumn(4).getInt64()}};
      m.closed_at_end = s.getColumn(5).getInt() != 0;
      if (m.closed_at_end) m.closed_at = sqlite_util::opt_time(s.getColumn(6));
      m.escalated_to = s.getColumn(7).getString();
      m.level = s.getColumn(8).getString();
      out.push_back(std::move(m));
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_listing_major>());
  }
  return out;
}

}  // namespace liaison::sqlite_report

// SqliteStore's ReportQueries capability.
namespace liaison {

Volume SqliteStore::report_volume(const ReportFilter& f, TimePoint from, TimePoint end,
                                  const std::vector<std::string>& complaint_kinds, int top_parties) {
  return sqlite_report::volume(db_, f, from, end, complaint_kinds, top_parties);
}
FlowCounts SqliteStore::report_flow(const ReportFilter& f, TimePoint from, TimePoint end) {
  return sqlite_report::flow(db_, f, from, end);
}
std::vector<Timeliness> SqliteStore::report_timeliness(const ReportFilter& f, TimePoint from, TimePoint end) {
  return sqlite_report::timeliness(db_, f, from, end);
}
std::vector<Count> SqliteStore::report_overdue_by_owner(const ReportFilter& f, TimePoint end) {
  return sqlite_report::overdue_by_owner(db_, f, end);
}
std::vector<OverdueItem> SqliteStore::report_overdue(const ReportFilter& f, TimePoint end) {
  return sqlite_report::overdue(db_, f, end);
}
Suggestions SqliteStore::report_suggestions(const ReportFilter& f, TimePoint from, TimePoint end,
                                            const std::vector<std::string>& suggestion_kinds) {
  return sqlite_report::suggestions(db_, f, from, end, suggestion_kinds);
}
std::vector<MajorItem> SqliteStore::report_major(const ReportFilter& f, TimePoint from, TimePoint end) {
  return sqlite_report::major(db_, f, from, end);
}

}  // namespace liaison
