// The SQLite engine of Store: WAL mode, busy timeout, BEGIN IMMEDIATE writes, embedded
// migrations, and every capability (reports, full-text search, online backup, integrity
// check, auditor queries). Internal to the store module: everything else opens it through
// open_store (lib/store/store.h).
//
// One class, its methods defined beside the SQL they run:
//   store_sqlite.cpp          opening, migrations, the write transaction, sequences
//   store_sqlite_records.cpp  records and their clocks, identities, parties
//   store_sqlite_events.cpp   the events (the chain's storage), reminders, overdue
//   store_sqlite_audit.cpp    audit queries, integrity check, online backup
//   store_sqlite_attachments.cpp  attachments and the bytes they name
//   store_sqlite_search.cpp   full-text search
//   store_sqlite_report.cpp   report figures
//   store_sqlite_query.cpp    the auditor's read-only query sessions
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "query.h"
#include "report_queries.h"
#include "store_sqlite_report.h"
#include "store.h"

namespace liaison {

namespace sqlite_util {
class CacheSize;  // store_sqlite_util.h
}

/// Opens (and migrates, unless read-only) the SQLite database at `path`: the factory
/// open_store uses for "sqlite:PATH" and plain paths. Throws StoreError for a missing
/// file (read-only), a newer schema, or a bad file.
std::unique_ptr<Store> open_sqlite_store(const std::string& path, OpenMode mode);

/// A read-only query session on the SQLite database at `path` (store_sqlite_query.cpp).
/// Throws NotFoundError when there is no file, StoreError when it is not a liaison
/// database or its schema is not the one this binary knows.
std::unique_ptr<QuerySession> open_sqlite_query(const std::string& path, const QueryViewer& viewer);

/// The SQLite store: one connection, used by one thread.
class SqliteStore : public Store,
                    public TextSearch,
                    public OnlineBackup,
                    public Maintenance,
                    public AuditorQueries,
                    public AttachmentStore,
                    public RetentionStore {
 public:
  SqliteStore(const std::string& path, OpenMode mode);
  ~SqliteStore() override;  // store_sqlite.cpp, where CacheSize is complete

  std::string url() const override { return "sqlite:" + path_; }
  std::unique_ptr<WriteTransaction> write() override;
  void expect_bulk_write() override;  // store_sqlite_records.cpp
  void finish_bulk_write(bool commit) override;  // store_sqlite_records.cpp
  int schema_version() override;
  std::int64_t next_sequence(const std::string& name) override;
  void advance_sequence(const std::string& name, std::int64_t last) override;

  // store_sqlite_records.cpp
  std::int64_t insert_record(const Record& record) override;
  void update_record(const Record& record) override;
  std::optional<Record> find_record(const std::string& ref) override;
  std::optional<std::string> scheduled_record(const std::string& schedule, const std::string& period) override;
  std::vector<std::pair<std::string, std::string>> schedule_records(const std::string& schedule) override;
  std::vector<Record> list_records(const RecordFilter& filter) override;
  std::int64_t count_records() override;
  void each_record(const RecordFilter& filter, const std::function<void(Record&)>& each) override;
  std::vector<std::string> record_parties(const RecordFilter& filter) override;
  std::vector<Clock> clocks_for(std::int64_t record_id) override;
  bool record_exists(const std::string& ref) override;
  void insert_identity(std::int64_t record_id, const Identity& identity) override;
  std::optional<Identity> find_identity(std::int64_t record_id) override;
  void insert_party(const Party& party) override;
  void update_party(const Party& party) override;
  std::optional<Party> find_party(const std::string& id) override;
  std::vector<Party> list_parties(const std::string& type) override;

  // store_sqlite_events.cpp
  ChainTip chain_tip() override;
  void insert_event(const Event& event) override;
  std::vector<Event> events_for(std::int64_t record_id) override;
  std::optional<TimePoint> latest_event_at(std::int64_t record_id) override;
  void each_event(const std::function<void(const Event&)>& each) override;
  void each_chain_event(const std::function<void(const Event&)>& each) override;  // store_sqlite_audit.cpp
  std::int64_t last_event_id() override;
  std::optional<std::string> record_of_message(const std::string& message_sha256) override;
  std::optional<std::string> event_hash(std::int64_t id) override;
  void insert_checkpoint(const Checkpoint& checkpoint) override;
  void each_checkpoint(const std::function<void(const Checkpoint&)>& each) override;
  std::optional<Checkpoint> latest_checkpoint() override;
  std::vector<Event> reminders_since(TimePoint since) override;
  void overdue_obligations(const OverdueQuery& query, const std::function<void(OverdueEntry&)>& each) override;

  // store_sqlite_audit.cpp
  void audit_events(const EventFilter& filter,
                    const std::function<void(const Event&, const std::string& level)>& each) override;
  void record_histories(const std::function<void(const RecordHistory&)>& each) override;
  std::string integrity_check() override;
  std::vector<CountDifference> backlog_count_differences(std::size_t limit) override;
  std::vector<CycleDifference> resolve_cycle_differences(std::size_t limit) override;
  std::vector<MessageIndexDifference> message_index_differences(std::size_t limit) override;
  std::vector<ScheduleIndexDifference> schedule_index_differences(std::size_t limit) override;
  KeptRecount recount_kept() override;
  BackupCopy backup_to(const std::string& path) override;

  // store_sqlite_search.cpp
  std::vector<SearchHit> search_records(const std::string& text, const RecordFilter& filter) override;
  void index_event(std::int64_t event_id) override;
  std::int64_t rebuild_search_index() override;

  // store_sqlite_report.cpp
  std::unique_ptr<ReportSnapshot> report_snapshot(SecondReader second) override;

  // store_sqlite_query.cpp
  std::unique_ptr<QuerySession> open_query_session(const QueryViewer& viewer) override;

  // store_sqlite_attachments.cpp
  void put_blob(const std::string& sha256, std::string_view content) override;
  void insert_attachment(const Attachment& attachment) override;
  std::vector<Attachment> attachments_for(std::int64_t record_id) override;
  std::optional<std::string> blob(const std::string& sha256) override;
  void each_attachment(const std::function<void(const Attachment&, const std::optional<std::string>&)>& each) override;
  // The capabilities: this engine has them all.
  ReportQueries* report_queries() override { return &report_reader_; }
  TextSearch* text_search() override { return this; }
  OnlineBackup* online_backup() override { return this; }
  Maintenance* maintenance() override { return this; }
  AuditorQueries* auditor_queries() override { return this; }
  AttachmentStore* attachment_store() override { return this; }
  RetentionStore* retention_store() override { return this; }
  // RetentionStore (store_sqlite_retention.cpp)
  std::vector<Record> closed_records(const std::string& kind, TimePoint closed_before) override;
  void forget_search_text(std::int64_t record_id) override;
  void reduce_event(std::int64_t event_id, const std::string& data, const std::string& data_sha256) override;
  void forget_identity(std::int64_t record_id) override;
  void forget_attachments(std::int64_t record_id) override;

 protected:
  /// The columns of a records row, in the order read_record reads and bind_record binds.
  static constexpr const char* kRecordColumns =
      "id, ref, kind, direction, flow, subject, body, channel, party, from_dept, owner, assignee, "
      "level, major, status, outcome, resolution, reply_via, capa, rule, notify, escalated_to, "
      "received_at, created_at, created_by, ack_due, acked_at, due, closed_at, purged_at, anonymised_at, "
      "topic, customer_ref, eight_d, their_ref, compliance_obligation";
  /// One records row (kRecordColumns) as a Record, clocks not filled.
  static Record read_record(SQLite::Statement& s);
  /// Binds the record's fields to ?1..?35 in kRecordColumns order, less the id.
  static void bind_record(SQLite::Statement& s, const Record& r);

  /// "SELECT `columns` FROM records" with `condition` (a fixed fragment, or null) and the
  /// filter's conditions (values bound) and, when `ordered`, its order and limit.
  SQLite::Statement select_records(const RecordFilter& filter, const std::string& columns, bool ordered,
                                   const char* condition);
  /// A prepared statement kept for the life of the store (STYLE: prepared once).
  SQLite::Statement& stmt(const std::string& sql);

 private:
  static SQLite::Database open(const std::string& path, OpenMode mode);
  /// Applies every embedded migration newer than the database, each in its own
  /// transaction; refuses a database from a newer binary.
  void migrate(const std::string& path, OpenMode mode);
  /// LIAISON_TRACE_SQL=FILE appends each statement run, its values filled in, to FILE:
  /// what the benchmarks hand the sqlite3 shell as "the same work" (tests/bench/run.sh).
  /// While tracing, a wait for another connection's lock is written there too, at once.
  void trace_sql();
  /// The busy handler while tracing: writes "-- waiting for a lock" (flushed) when a
  /// statement first finds the database locked, then waits as sqlite3_busy_timeout
  /// would, retrying until the lock is free or kBusyTimeoutMs have passed.
  static int traced_busy(void* self, int attempt);

  void write_clocks(std::int64_t record_id, const std::vector<Clock>& clocks);
  std::vector<Clock> read_clocks(std::int64_t record_id);

  struct CloseFile {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };

  std::string path_;
  SQLite::Database db_;
  sqlite_report::Reader report_reader_{db_};  ///< the report's queries on db_
  std::unique_ptr<std::FILE, CloseFile> trace_;  ///< closed before db_ (members die in reverse order)
  std::chrono::steady_clock::time_point busy_since_;  ///< the first attempt of the current wait
  std::map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
  /// Between expect_bulk_write and finish_bulk_write, insert_event leaves the search
  /// index alone and notes the first event it left out (0: none yet).
  bool defer_search_ = false;
  std::int64_t deferred_search_from_ = 0;
  std::unique_ptr<sqlite_util::CacheSize> bulk_cache_;  ///< from expect_bulk_write to finish_bulk_write
};

}  // namespace liaison
