// The PostgreSQL store's attachments (the bytes kept once per SHA-256, as bytea) and what
// a purge removes (lib/store/postgres/pg_store.h).
#include <fmt/format.h>

#include "errors.h"
#include "pg_store.h"

namespace liaison {

using namespace pg_util;

namespace {

constexpr const char* kAttachmentColumns =
    "a.record_id, a.n, a.event_id, a.name, a.media_type, a.size, a.sha256, e.at, e.actor";

Attachment attachment_of(const pg::Result& r, int row) {
  Attachment a;
  a.record_id = r.int64(row, 0);
  a.n = r.int64(row, 1);
  a.event_id = r.int64(row, 2);
  a.name = r.text(row, 3);
  a.media_type = r.text(row, 4);
  a.size = r.int64(row, 5);
  a.sha256 = r.text(row, 6);
  a.at = time_of(r.is_null(row, 7) ? 0 : r.int64(row, 7));
  a.actor = r.text(row, 8);
  return a;
}

/// Bytes as bytea's hex input ("\x…"): a text parameter cannot hold a NUL byte.
std::string bytea_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

/// bytea's hex output ("\x…") as the bytes.
std::string bytes_of(std::string_view hex) {
  if (hex.substr(0, 2) != "\\x") throw StoreError(msg<Msg::pg_bytea_format>());
  auto value = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out;
  out.reserve((hex.size() - 2) / 2);
  for (std::size_t i = 2; i + 1 < hex.size(); i += 2) out += static_cast<char>(value(hex[i]) * 16 + value(hex[i + 1]));
  return out;
}

}  // namespace

void PgStore::put_blob(const std::string& sha256, std::string_view content) {
  c_.exec("INSERT INTO blobs (sha256, size, content) VALUES ($1, $2, $3::bytea) ON CONFLICT (sha256) DO NOTHING",
          {sha256, num(static_cast<std::int64_t>(content.size())), bytea_hex(content)});
}

void PgStore::insert_attachment(const Attachment& a) {
  c_.exec("INSERT INTO attachments (record_id, n, event_id, name, media_type, size, sha256) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {num(a.record_id), num(a.n), num(a.event_id), a.name, a.media_type, num(a.size), a.sha256});
}

std::vector<Attachment> PgStore::attachments_for(std::int64_t record_id) {
  pg::Result res = c_.exec(fmt::format("SELECT {} FROM attachments a JOIN events e ON e.id = a.event_id "
                                       "WHERE a.record_id = $1 ORDER BY a.n",
                                       kAttachmentColumns),
                           {num(record_id)});
  std::vector<Attachment> all;
  for (int i = 0; i < res.rows(); ++i) all.push_back(attachment_of(res, i));
  return all;
}

std::optional<std::string> PgStore::blob(const std::string& sha256) {
  pg::Result res = c_.exec("SELECT content FROM blobs WHERE sha256 = $1", {sha256});
  if (res.rows() == 0) return std::nullopt;
  return bytes_of(res.text(0, 0));
}

void PgStore::each_attachment(const std::function<void(const Attachment&, const std::optional<std::string>&)>& each) {
  // One attachment at a time: the bytes of all of them may not fit in memory; all from
  // one snapshot, as SQLite's one statement reads them.
  std::shared_ptr<void> snapshot;
  if (!c_.in_transaction()) snapshot = PgStore::snapshot();
  pg::Result ids = c_.exec("SELECT record_id, n FROM attachments ORDER BY record_id, n");
  for (int i = 0; i < ids.rows(); ++i) {
    pg::Result res = c_.exec(fmt::format("SELECT {}, b.content FROM attachments a LEFT JOIN events e ON e.id = a.event_id "
                                         "LEFT JOIN blobs b ON b.sha256 = a.sha256 WHERE a.record_id = $1 AND a.n = $2",
                                         kAttachmentColumns),
                             {num(ids.int64(i, 0)), num(ids.int64(i, 1))});
    if (res.rows() == 0) continue;
    std::optional<std::string> content;
    if (!res.is_null(0, 9)) content = bytes_of(res.text(0, 9));
    each(attachment_of(res, 0), content);
  }
}

std::vector<Record> PgStore::closed_records(const std::string& kind, TimePoint closed_before) {
  pg::Result res = c_.exec(fmt::format("SELECT {} FROM records WHERE status = 'closed' AND purged_at IS NULL "
                                       "AND closed_at < $1::bigint AND kind = $2 ORDER BY closed_at, id",
                                       kRecordColumns),
                           {num(secs(closed_before)), kind});
  std::vector<Record> out;
  for (int i = 0; i < res.rows(); ++i) out.push_back(read_record(res, i));
  return out;
}

void PgStore::forget_search_text(std::int64_t record_id) {
  c_.exec("DELETE FROM search_index WHERE record_id = $1", {num(record_id)});
}

void PgStore::reduce_event(std::int64_t event_id, const std::string& data, const std::string& data_sha256) {
  c_.exec("UPDATE events SET data = $2, data_sha256 = $3 WHERE id = $1", {num(event_id), data, data_sha256});
}

void PgStore::forget_identity(std::int64_t record_id) {
  c_.exec("UPDATE identities SET name = '', position = '', organization = '', phone = '' WHERE record_id = $1",
          {num(record_id)});
}

void PgStore::forget_attachments(std::int64_t record_id) {
  c_.exec("UPDATE attachments SET name = '' WHERE record_id = $1 AND name <> ''", {num(record_id)});
  c_.exec("UPDATE blobs SET content = ''::bytea WHERE length(content) > 0 "
          "AND sha256 IN (SELECT sha256 FROM attachments WHERE record_id = $1) "
          "AND NOT EXISTS (SELECT 1 FROM attachments a JOIN records r ON r.id = a.record_id "
          "                WHERE a.sha256 = blobs.sha256 AND r.purged_at IS NULL)",
          {num(record_id)});
}

}  // namespace liaison
