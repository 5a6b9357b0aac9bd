// The SQLite store's part of retention (RetentionStore, lib/store/store.h; schemas/0014):
// the closed records a purge looks at, and the removal of a record's content. The
// triggers of schema 14 let exactly these updates through.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include "sqlite_store.h"
#include "store_sqlite_util.h"

namespace liaison {

using namespace sqlite_util;

std::vector<Record> SqliteStore::closed_records(const std::string& kind, TimePoint closed_before) {
  try {
    // records_purgeable (kind, closed_at): closed and not purged.
    auto& s = stmt(fmt::format("SELECT {} FROM records WHERE status = 'closed' AND purged_at IS NULL "
                               "AND closed_at < ?1 AND kind = ?2 ORDER BY closed_at, id",
                               kRecordColumns));
    s.bind(1, static_cast<std::int64_t>(secs(closed_before)));
    s.bind(2, kind);
    std::vector<Record> out;
    while (s.executeStep()) out.push_back(read_record(s));
    s.reset();
    return out;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_listing_records>());
  }
}

void SqliteStore::forget_search_text(std::int64_t record_id) {
  try {
    // The index is contentless: an entry is deleted by giving the values it was made of,
    // which search_items computes from the events exactly as it did when indexing them.
    // One event at a time, as kIndexEvent adds them: search_items narrows to an event_id
    // (its GROUP BY column) through its index, but not to a record_id — that read every
    // event's text, 12 s a record at 1,000,000 records.
    std::vector<std::int64_t> events;
    auto& ids = stmt("SELECT id FROM events WHERE record_id = ?1 ORDER BY id");
    ids.bind(1, static_cast<std::int64_t>(record_id));
    while (ids.executeStep()) events.push_back(ids.getColumn(0).getInt64());
    ids.reset();
    auto& s = stmt("INSERT INTO search(search, rowid, subject, body, history) "
                   "SELECT 'delete', item, subject, body, history FROM search_items WHERE event_id = ?1");
    for (std::int64_t id : events) {
      s.bind(1, id);
      s.exec();
      s.reset();
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_purging_record>(record_id));
  }
}

void SqliteStore::reduce_event(std::int64_t event_id, const std::string& data, const std::string& data_sha256) {
  try {
    auto& s = stmt("UPDATE events SET data = ?2, data_sha256 = ?3 WHERE id = ?1");
    s.bind(1, static_cast<std::int64_t>(event_id));
    s.bind(2, data);
    s.bind(3, data_sha256);
    s.exec();
    s.reset();
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_appending_history>());
  }
}

void SqliteStore::forget_identity(std::int64_t record_id) {
  try {
    auto& s = stmt("UPDATE identities SET name = '', position = '', organization = '', phone = '' WHERE record_id = ?1");
    s.bind(1, static_cast<std::int64_t>(record_id));
    s.exec();
    s.reset();
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_saving_identity>());
  }
}

void SqliteStore::forget_attachments(std::int64_t record_id) {
  try {
    auto& names = stmt("UPDATE attachments SET name = '' WHERE record_id = ?1 AND name <> ''");
    names.bind(1, static_cast<std::int64_t>(record_id));
    names.exec();
    names.reset();
    // attachments_sha256: who else lists the same bytes.
    auto& bytes = stmt(
        "UPDATE blobs SET content = X'' WHERE length(content) > 0 "
        "AND sha256 IN (SELECT sha256 FROM attachments WHERE record_id = ?1) "
        "AND NOT EXISTS (SELECT 1 FROM attachments a JOIN records r ON r.id = a.record_id "
        "                WHERE a.sha256 = blobs.sha256 AND r.purged_at IS NULL)");
    bytes.bind(1, static_cast<std::int64_t>(record_id));
    bytes.exec();
    bytes.reset();
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_purging_record>(record_id));
  }
}

}  // namespace liaison
