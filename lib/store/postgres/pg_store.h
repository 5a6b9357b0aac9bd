// The PostgreSQL engine of Store: one connection to a shared server, the schema of
// schemas/postgres/ applied on opening, and every write one transaction serialised by a
// transaction-scoped advisory lock, so that writers on many machines append to one hash
// chain and take reference numbers without gaps. Internal to the store module: everything
// else opens it through open_store (lib/store/store.h).
//
// One class, its methods defined beside the SQL they run:
//   pg_store.cpp          opening, the write transaction, sequences, records, parties
//   pg_store_events.cpp   the events (the chain's storage), checkpoints, audit queries,
//                         reminders, overdue
//   pg_store_search.cpp   full-text search over the project's own tokens (tsvector)
//   pg_store_files.cpp    attachments and retention
//   pg_store_query.cpp    `liaison query`: the auditor's SQL over the views, checked and read-only
//   pg_store_report.cpp   the report's figures and the recount of what is kept for them
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "pg_connection.h"
#include "query.h"
#include "report_queries.h"
#include "store.h"

namespace liaison {

/// Opens the PostgreSQL database `url` names (a postgresql:// URI or a libpq keyword
/// string), applying the schema unless `mode` is read_only. Throws BusyError when the
/// server cannot be reached, StoreError when it refuses us or the database is not a
/// liaison one (or newer than this liaison), NotFoundError for a read of a database
/// liaison has not set up.
std::unique_ptr<Store> open_pg_store(const std::string& url, OpenMode mode);

/// The PostgreSQL store: one connection, used by one thread.
class PgStore : public Store,
                public TextSearch,
                public AttachmentStore,
                public RetentionStore,
                public Maintenance,
                public ReportQueries,
                public AuditorQueries {
 public:
  PgStore(const std::string& url, OpenMode mode);

  std::string url() const override { return c_.shown_url(); }
  std::unique_ptr<WriteTransaction> write() override;
  int schema_version() override;
  std::int64_t next_sequence(const std::string& name) override;
  void advance_sequence(const std::string& name, std::int64_t last) override;

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

  // pg_store_events.cpp
  ChainTip chain_tip() override;
  void insert_event(const Event& event) override;
  std::vector<Event> events_for(std::int64_t record_id) override;
  std::optional<TimePoint> latest_event_at(std::int64_t record_id) override;
  void each_event(const std::function<void(const Event&)>& each) override;
  void each_chain_event(const std::function<void(const Event&)>& each) override;
  std::int64_t last_event_id() override;
  std::optional<std::string> record_of_message(const std::string& message_sha256) override;
  std::optional<std::string> event_hash(std::int64_t id) override;
  void insert_checkpoint(const Checkpoint& checkpoint) override;
  void each_checkpoint(const std::function<void(const Checkpoint&)>& each) override;
  std::optional<Checkpoint> latest_checkpoint() override;
  void audit_events(const EventFilter& filter,
                    const std::function<void(const Event&, const std::string& level)>& each) override;
  void record_histories(const std::function<void(const RecordHistory&)>& each) override;
  std::vector<Event> reminders_since(TimePoint since) override;
  void overdue_obligations(const OverdueQuery& query, const std::function<void(OverdueEntry&)>& each) override;

  // pg_store_search.cpp
  std::vector<SearchHit> search_records(const std::string& text, const RecordFilter& filter) override;
  void index_event(std::int64_t event_id) override;
  std::int64_t rebuild_search_index() override;

  // pg_store_files.cpp
  void put_blob(const std::string& sha256, std::string_view content) override;
  void insert_attachment(const Attachment& attachment) override;
  std::vector<Attachment> attachments_for(std::int64_t record_id) override;
  std::optional<std::string> blob(const std::string& sha256) override;
  void each_attachment(const std::function<void(const Attachment&, const std::optional<std::string>&)>& each) override;
  std::vector<Record> closed_records(const std::string& kind, TimePoint closed_before) override;
  void forget_search_text(std::int64_t record_id) override;
  void reduce_event(std::int64_t event_id, const std::string& data, const std::string& data_sha256) override;
  void forget_identity(std::int64_t record_id) override;
  void forget_attachments(std::int64_t record_id) override;

  /// Every read until the returned object dies sees one snapshot of the database (one
  /// REPEATABLE READ READ ONLY transaction), whatever others commit meanwhile.
  std::shared_ptr<void> snapshot();
  /// The reference sequences and their last numbers, by name.
  std::vector<std::pair<std::string, std::int64_t>> sequences();
  /// Who raised each record that has that recorded, by record id.
  void each_identity(const std::function<void(std::int64_t record_id, const Identity&)>& each);

  // Maintenance (pg_store_events.cpp; what is kept for the report, backlog_due and
  // resolve_cycles of schemas/postgres/0003, in pg_store_report.cpp).
  std::string integrity_check() override;
  std::vector<CountDifference> backlog_count_differences(std::size_t limit) override;
  std::vector<CycleDifference> resolve_cycle_differences(std::size_t limit) override;
  std::vector<MessageIndexDifference> message_index_differences(std::size_t limit) override;
  std::vector<ScheduleIndexDifference> schedule_index_differences(std::size_t limit) override;
  KeptRecount recount_kept() override;

  // ReportQueries (pg_store_report.cpp)
  Volume report_volume(const ReportFilter& filter, TimePoint from, TimePoint end,
                       const std::vector<std::string>& complaint_kinds, int top_parties) override;
  FlowCounts report_flow(const ReportFilter& filter, TimePoint from, TimePoint end) override;
  std::vector<Timeliness> report_timeliness(const ReportFilter& filter, TimePoint from, TimePoint end,
                                            bool overall_only) override;
  std::vector<ObligationTimeliness> report_obligations(const ReportFilter& filter, TimePoint from,
                                                       TimePoint end) override;
  std::vector<Count> report_overdue_by_owner(const ReportFilter& filter, TimePoint end) override;
  OverdueAtEnd report_overdue(const ReportFilter& filter, TimePoint end, std::optional<std::int64_t> limit) override;
  Suggestions report_suggestions(const ReportFilter& filter, TimePoint from, TimePoint end,
                                 const std::vector<std::string>& suggestion_kinds) override;
  std::vector<MajorItem> report_major(const ReportFilter& filter, TimePoint from, TimePoint end) override;
  /// Every section on this connection, in one snapshot (snapshot()) until it is dropped, or
  /// in the transaction already open; no second reader.
  std::unique_ptr<ReportSnapshot> report_snapshot(SecondReader second) override;

  Maintenance* maintenance() override { return this; }
  ReportQueries* report_queries() override { return this; }
  TextSearch* text_search() override { return this; }
  AuditorQueries* auditor_queries() override { return this; }
  /// A connection of its own, read-only, with the acting user's clearance (pg_store_query.cpp).
  std::unique_ptr<QuerySession> open_query_session(const QueryViewer& viewer) override;
  AttachmentStore* attachment_store() override { return this; }
  RetentionStore* retention_store() override { return this; }

  /// The columns of a records row, in the order read_record reads and record_params gives.
  static const char* const kRecordColumns;
  /// The record of row `row` of `result` (kRecordColumns from column `first`), clocks not filled.
  static Record read_record(const pg::Result& result, int row);
  static Record read_record(const pg::RowCursor& cursor);
  /// The record's fields in kRecordColumns order, less the id: $1..$35.
  static std::vector<pg::Param> record_params(const Record& r);

  /// The WHERE clause (" WHERE …" or "") of the records `filter` selects, its values
  /// appended to `params` (placeholders numbered after those already there); its grep
  /// is a condition on the search index.
  std::string where_clause(const RecordFilter& filter, std::vector<pg::Param>& params, const char* condition);
  /// " ORDER BY … LIMIT n" of `filter`.
  static std::string order_clause(const RecordFilter& filter);

 private:
  void write_clocks(std::int64_t record_id, const std::vector<Clock>& clocks);
  /// Adds a record's event's free text to the search index (pg_store_search.cpp).
  void index_search_text(const Event& e);
  std::vector<Clock> read_clocks(std::int64_t record_id);

  struct CloseFile {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, CloseFile> trace_;  ///< LIAISON_TRACE_SQL; closed after c_ (declared first)
  std::string connect_url_;                      ///< as given, for the query sessions' own connections
  pg::Connection c_;
};

namespace pg_util {
/// A whole number as a statement parameter.
inline pg::Param num(std::int64_t v) { return std::to_string(v); }
/// A moment as UTC seconds, or NULL.
inline pg::Param when(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return std::to_string(secs(*t));
}
inline TimePoint time_of(std::int64_t seconds) { return TimePoint{std::chrono::seconds{seconds}}; }
/// The moment in `column`, or nullopt for NULL; `row` a pg::Row or a pg::RowCursor.
template <typename Row>
std::optional<TimePoint> opt_time(const Row& row, int column) {
  if (row.is_null(column)) return std::nullopt;
  return time_of(row.int64(column));
}
/// A clocks row from column `first` on: name, duration, started_at, due, stopped_at,
/// used_seconds, paused_since, paused_seconds, config_hash, provisional, given.
template <typename Row>
Clock clock_of(const Row& row, int first) {
  Clock c;
  c.name = row.text(first);
  c.duration = row.text(first + 1);
  c.started_at = time_of(row.int64(first + 2));
  c.due = opt_time(row, first + 3);
  c.stopped_at = opt_time(row, first + 4);
  if (!row.is_null(first + 5)) c.used_seconds = row.int64(first + 5);
  c.paused_since = opt_time(row, first + 6);
  c.paused_seconds = row.int64(first + 7);
  c.config_hash = row.text(first + 8);
  c.provisional = row.int64(first + 9) != 0;
  c.given = row.int64(first + 10) != 0;
  return c;
}
}  // namespace pg_util

}  // namespace liaison
