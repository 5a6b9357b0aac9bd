// The SQLite store's attachments (lib/store/sqlite/sqlite_store.h, schemas/0012): the
// attachment rows and the bytes they name, kept once per SHA-256.
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstdint>

#include "sqlite_store.h"
#include "store_sqlite_util.h"

namespace liaison {

using namespace sqlite_util;

namespace {

constexpr const char* kAttachmentColumns =
    "a.record_id, a.n, a.event_id, a.name, a.media_type, a.size, a.sha256, e.at, e.actor";

Attachment read_attachment(SQLite::Statement& q) {
  Attachment a;
  a.record_id = q.getColumn(0).getInt64();
  a.n = q.getColumn(1).getInt64();
  a.event_id = q.getColumn(2).getInt64();
  a.name = q.getColumn(3).getString();
  a.media_type = q.getColumn(4).getString();
  a.size = q.getColumn(5).getInt64();
  a.sha256 = q.getColumn(6).getString();
  a.at = TimePoint{std::chrono::seconds{q.getColumn(7).getInt64()}};
  a.actor = q.getColumn(8).getString();
  return a;
}

std::string bytes_of(const SQLite::Column& c) {
  return std::string(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
}

}  // namespace

void SqliteStore::put_blob(const std::string& sha256, std::string_view content) {
  try {
    auto& ins = stmt("INSERT INTO blobs (sha256, size, content) VALUES (?1, ?2, ?3) ON CONFLICT (sha256) DO NOTHING");
    ins.bind(1, sha256);
    ins.bind(2, static_cast<std::int64_t>(content.size()));
    ins.bind(3, content.data(), static_cast<int>(content.size()));
    ins.exec();
    ins.reset();
  } catch (const SQLite::Exception& ex) {
    rethrow(ex, msg<Msg::doing_saving_attachment>());
  }
}

void SqliteStore::insert_attachment(const Attachment& a) {
  try {
    auto& ins = stmt("INSERT INTO attachments (record_id, n, event_id, name, media_type, size, sha256) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    ins.bind(1, static_cast<std::int64_t>(a.record_id));
    ins.bind(2, static_cast<std::int64_t>(a.n));
    ins.bind(3, static_cast<std::int64_t>(a.event_id));
    ins.bind(4, a.name);
    ins.bind(5, a.media_type);
    ins.bind(6, static_cast<std::int64_t>(a.size));
    ins.bind(7, a.sha256);
    ins.exec();
    ins.reset();
  } catch (const SQLite::Exception& ex) {
    rethrow(ex, msg<Msg::doing_saving_attachment>());
  }
}

std::vector<Attachment> SqliteStore::attachments_for(std::int64_t record_id) {
  try {
    auto& q = stmt(std::string("SELECT ") + kAttachmentColumns +
                   " FROM attachments a JOIN events e ON e.id = a.event_id WHERE a.record_id = ?1 ORDER BY a.n");
    q.bind(1, static_cast<std::int64_t>(record_id));
    std::vector<Attachment> all;
    while (q.executeStep()) all.push_back(read_attachment(q));
    q.reset();
    return all;
  } catch (const SQLite::Exception& ex) {
    rethrow(ex, msg<Msg::doing_reading_attachments>());
  }
}

std::optional<std::string> SqliteStore::blob(const std::string& sha256) {
  try {
    auto& q = stmt("SELECT content FROM blobs WHERE sha256 = ?1");
    q.bind(1, sha256);
    std::optional<std::string> content;
    if (q.executeStep()) content = bytes_of(q.getColumn(0));
    q.reset();
    return content;
  } catch (const SQLite::Exception& ex) {
    rethrow(ex, msg<Msg::doing_reading_attachments>());
  }
}

void SqliteStore::each_attachment(
    const std::function<void(const Attachment&, const std::optional<std::string>&)>& each) {
  try {
    // Its own statement, not the cache's: `each` may read through the store meanwhile.
    SQLite::Statement q(db_, std::string("SELECT ") + kAttachmentColumns +
                                  ", b.content FROM attachments a LEFT JOIN events e ON e.id = a.event_id "
                                  "LEFT JOIN blobs b ON b.sha256 = a.sha256 ORDER BY a.record_id, a.n");
    while (q.executeStep()) {
      Attachment a = read_attachment(q);
      std::optional<std::string> content;
      if (!q.getColumn(9).isNull()) content = bytes_of(q.getColumn(9));
      each(a, content);
    }
  } catch (const SQLite::Exception& ex) {
    rethrow(ex, msg<Msg::doing_reading_attachments>());
  }
}

}  // namespace liaison
