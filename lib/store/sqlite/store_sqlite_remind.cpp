// SQLite queries for `liaison remind`: which reminders were sent lately.
#include "store_sqlite_remind.h"

#include "store_sqlite_util.h"

namespace liaison::sqlite_remind {

using namespace sqlite_util;

// The events(type, at, record_id) index of schemas/0002 narrows this to the reminders
// since ?1. With max(at) as the only aggregate, SQLite takes the other columns from the
// row that has it: the newest reminder of each (record, obligation, recipient).
const char* const kRemindersSince =
    "SELECT e.id, e.record_id, r.ref, e.type, e.actor, max(e.at), e.data, e.prev_hash, e.hash, e.salt, e.recorded_at "
    "FROM events e JOIN records r ON r.id = e.record_id "
    "WHERE e.type = 'reminded' AND e.at >= ?1 "
    "GROUP BY e.record_id, json_extract(e.data, '$.obligation'), json_extract(e.data, '$.to') "
    "ORDER BY e.record_id, e.id";

std::vector<Event> reminders_since(SQLite::Statement& s, TimePoint since) {
  try {
    s.bind(1, static_cast<std::int64_t>(secs(since)));
    std::vector<Event> out;
    while (s.executeStep()) out.push_back(sqlite_util::read_event(s));
    s.reset();
    return out;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_reminders_sent>());
  }
}

}  // namespace liaison::sqlite_remind
