// `liaison backup` of a PostgreSQL store: one snapshot of the server's database copied,
// row for row, into a self-contained SQLite file that `audit verify` and `query` check
// offline. Here, where both engines are known (lib/store/store_copy.h).
#include "store_copy.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "errors.h"
#include "pg_store.h"
#include "sqlite_store.h"

namespace liaison {

namespace {

/// The PostgreSQL store with the backup it takes through the SQLite engine.
class PgStoreWithBackup : public PgStore, public OnlineBackup {
 public:
  using PgStore::PgStore;
  OnlineBackup* online_backup() override { return this; }

  BackupCopy backup_to(const std::string& path) override {
    auto copy = open_sqlite_store(path, OpenMode::create);
    {
      // Every read below from one snapshot: a writer committing meanwhile is not in it.
      auto snapshot = PgStore::snapshot();
      auto tx = copy->write();
      copy->expect_bulk_write();
      for (const Party& p : list_parties("")) copy->insert_party(p);
      // Records first, with their clocks, in id order (the copy numbers them the same);
      // then the identities, the history in chain order, and what goes with it.
      record_histories([&](const RecordHistory& h) {
        if (!h.record) return;
        if (copy->insert_record(*h.record) != h.record->id)
          throw StoreError(msg<Msg::copy_record_ids_differ>(h.record->ref), msg<Msg::run_audit_verify_restore>());
      });
      each_identity([&](std::int64_t record_id, const Identity& i) { copy->insert_identity(record_id, i); });
      each_chain_event([&](const Event& e) { copy->insert_event(e); });
      each_checkpoint([&](const Checkpoint& c) { copy->insert_checkpoint(c); });
      AttachmentStore& files = *copy->attachment_store();
      each_attachment([&](const Attachment& a, const std::optional<std::string>& bytes) {
        files.put_blob(a.sha256, bytes.value_or(std::string()));
        files.insert_attachment(a);
      });
      for (const auto& [name, last] : sequences()) copy->advance_sequence(name, last);
      copy->finish_bulk_write(true);
      tx->commit();
    }
    {
      // What the SQLite store keeps beside the records for the report, made from them.
      auto tx = copy->write();
      copy->maintenance()->recount_kept();
      tx->commit();
    }
    copy.reset();
    BackupCopy out;
    try {
      // One file: a rollback journal, not WAL.
      SQLite::Database db(path, SQLite::OPEN_READWRITE);
      db.exec("PRAGMA journal_mode = DELETE");
      out.pages = db.execAndGet("PRAGMA page_count").getInt64();
      out.page_size = db.execAndGet("PRAGMA page_size").getInt64();
    } catch (const SQLite::Exception& e) {
      throw StoreError(msg<Msg::database_error_while>(msg<Msg::doing_copying_database_to>(path), e.what()));
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Store> open_pg_store_with_backup(const std::string& url, OpenMode mode) {
  return std::make_unique<PgStoreWithBackup>(url, mode);
}

}  // namespace liaison
