// SQLite query for `liaison overdue` and `liaison remind`: the obligations whose deadline
// has passed, or falls before a given moment.
#include "store_sqlite_overdue.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store_sqlite_util.h"

namespace liaison::sqlite_overdue {

using namespace sqlite_util;

// Each half reads one partial index by range, so only the open records whose deadline
// is before ?1 are touched, never the closed history:
//   ack:     records_unacked_due (schemas/0004) on ack_due, WHERE acked_at IS NULL AND status <> 'closed';
//   resolve: records_open_due (schemas/0001) on due, WHERE status <> 'closed';
//   a notification a kind owes an outside party (clock "notify:<party>", lib/services/services.h):
//            clocks_due (schemas/0008) on (name, due …): the range of names 'notify:…',
//            few beside the ack and resolve clocks; a waiting record still owes it;
//   a recipient's receipt of a notice (clock "receipt:<user>"): the same by the range
//            'receipt:…', closed records too (closing leaves it owed), purged ones not;
//   an approval whose turn has come (clock "approval:<n>:<user>" with a deadline): the
//            same by the range 'approval:…' (one waiting its turn has none yet);
//   an action item of a meeting (clock "action:<n>:<user>"): the same by the range
//            'action:…', closed records too (its owner still owes it), purged ones not.
// A waiting record's resolve clock is paused (its due moves on resume), so it owes no
// resolution meanwhile; its acknowledgement is still owed. The filters are JSON arrays
// bound as one value each, so the text of the statement never changes and it is
// prepared once. The halves come out in deadline order and are merged, not re-sorted.
namespace {

/// The filters of one half, on the columns of `r` ("" or "r."): JSON arrays or NULL.
std::string filters(std::string_view r) {
  return fmt::format(
      "AND (?2 IS NULL OR {0}owner IN (SELECT value FROM json_each(?2))) "
      "AND (?3 IS NULL OR {0}assignee IN (SELECT value FROM json_each(?3))) "
      "AND (?4 IS NULL OR {0}kind IN (SELECT value FROM json_each(?4))) ",
      r);
}

/// The half over the clocks whose names begin "<prefix>:", of the records `condition` keeps.
std::string clock_half(std::string_view prefix, std::string_view condition) {
  return fmt::format(
      "SELECT r.id, r.ref, r.kind, r.direction, r.owner, r.assignee, r.subject, r.major, r.status, c.name, c.due, "
      "r.level FROM clocks AS c JOIN records AS r ON r.id = c.record_id "
      "WHERE c.stopped_at IS NULL AND c.name >= '{0}:' AND c.name < '{0};' AND c.due < ?1 AND {1} {2}",
      prefix, condition, filters("r."));
}

}  // namespace

const std::string& overdue_obligations_sql() {
  static const std::string sql =
      "SELECT id, ref, kind, direction, owner, assignee, subject, major, status, 'ack' AS obligation, "
      "ack_due AS deadline, level FROM records "
      "WHERE acked_at IS NULL AND status <> 'closed' AND ack_due < ?1 " +
      filters("") +
      "UNION ALL "
      "SELECT id, ref, kind, direction, owner, assignee, subject, major, status, 'resolve', due, level FROM records "
      "WHERE status <> 'closed' AND status <> 'waiting' AND due < ?1 " +
      filters("") + "UNION ALL " + clock_half("notify", "r.status <> 'closed'") + "UNION ALL " +
      clock_half("receipt", "r.purged_at IS NULL") + "UNION ALL " + clock_half("approval", "r.status <> 'closed'") + "UNION ALL " + clock_half("action", "r.purged_at IS NULL") +
      "ORDER BY deadline, ref, obligation";
  return sql;
}

namespace {

void bind_list(SQLite::Statement& s, int index, const std::vector<std::string>& values) {
  if (values.empty()) s.bind(index);
  else s.bind(index, nlohmann::json(values).dump());
}

/// Resets the statement however the query ends, so the next run starts clean.
struct ResetOnExit {
  SQLite::Statement& statement;
  ~ResetOnExit() { statement.tryReset(); }
};

}  // namespace

void overdue_obligations(SQLite::Statement& s, const OverdueQuery& filter,
                         const std::function<void(OverdueEntry&)>& each) {
  ResetOnExit reset{s};
  try {
    s.bind(1, static_cast<std::int64_t>(secs(filter.due_before)));
    bind_list(s, 2, filter.owners);
    bind_list(s, 3, filter.assignees);
    bind_list(s, 4, filter.kinds);
    OverdueEntry entry;
    while (s.executeStep()) {
      entry.record_id = s.getColumn(0).getInt64();
      entry.ref = s.getColumn(1).getString();
      entry.kind = s.getColumn(2).getString();
      entry.direction = parse_direction(s.getColumn(3).getString()).value_or(Direction::internal);
      entry.owner = s.getColumn(4).getString();
      entry.assignee = s.getColumn(5).getString();
      entry.subject = s.getColumn(6).getString();
      entry.major = s.getColumn(7).getInt() != 0;
      entry.status = parse_status(s.getColumn(8).getString()).value_or(Status::open);
      entry.obligation = s.getColumn(9).getString();
      entry.due = TimePoint{std::chrono::seconds{s.getColumn(10).getInt64()}};
      entry.level = s.getColumn(11).getString();
      entry.overdue = false;
      entry.late_working_days = 0;
      entry.late_working_seconds = 0;
      each(entry);
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_listing_overdue>());
  }
}

}  // namespace liaison::sqlite_overdue
