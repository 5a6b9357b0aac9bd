// The database behind liaison. Services and commands talk to it only through `Store`,
// so another implementation (PostgreSQL, DESIGN §4) can be added without touching them.
// All SQL lives in lib/store*.cpp and schemas/.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model.h"

namespace liaison {

// The report's values (lib/report/report.h), which itself includes this header.
struct ReportFilter;
struct Volume;
struct FlowCounts;
struct Timeliness;
struct Count;
struct OverdueItem;
struct Suggestions;
struct MajorItem;

// Overdue queries (lib/store/sqlite/store_sqlite_overdue.cpp): the selection behind lib/services/overdue.h.
struct OverdueEntry;
/// Which unmet obligations `Store::overdue_obligations` returns; empty lists mean any.
struct OverdueQuery {
  TimePoint due_before{};                ///< deadlines strictly before this
  std::vector<std::string> owners;       ///< owner department ids
  std::vector<std::string> assignees;    ///< user ids
  std::vector<std::string> kinds;        ///< kind ids
};

/// The one write transaction of a command: rolled back on destruction unless committed.
class WriteTransaction {
 public:
  virtual ~WriteTransaction() = default;
  virtual void commit() = 0;
};

/// Which records `list_records` returns. Empty vectors and nullopts mean "any".
struct RecordFilter {
  std::vector<Status> statuses;
  std::vector<std::string> kinds;
  std::optional<Direction> direction;
  std::vector<std::string> owners;
  std::vector<std::string> parties;
  std::vector<std::string> assignees;
  std::optional<bool> major;
  std::optional<TimePoint> received_since;  ///< received_at >= since
  std::optional<TimePoint> received_until;  ///< received_at < until
  std::optional<TimePoint> overdue_at;      ///< overdue at this moment (is_overdue, lib/core/model.h)
  /// Full-text search (`list --grep`): only records whose subject, body or history
  /// text matches, taken literally (lib/fts/fts_tokenizer.h). Empty: no text condition.
  std::string grep;
  /// Records at these confidentiality levels are left out (those the acting user may
  /// not read, so a search cannot reveal their text). Empty: none left out.
  std::vector<std::string> hidden_levels;
  enum class SortKey { received, due, ack_due, ref, kind, owner, status } sort = SortKey::received;
  bool descending = false;
  std::int64_t limit = 0;                   ///< 0 = no limit
};

/// One record found by `Store::search_records`, with the text that matched best.
struct SearchHit {
  Record record;                  ///< clocks not filled
  double score = 0;               ///< relevance: bm25, higher is better (> 0)
  std::string field;              ///< where the snippet is from: subject, body or history
  std::string snippet;            ///< an excerpt around the match
  std::vector<std::pair<std::size_t, std::size_t>> marks;  ///< byte ranges of `snippet` that matched
};

/// Result of checking the event hash chain.
struct ChainCheck {
  bool ok = true;
  std::int64_t events = 0;                  ///< events checked
  std::int64_t first_bad_id = 0;            ///< first event that does not verify
  std::string problem;                      ///< what is wrong with it
};

/// Which events `Store::audit_events` returns (`liaison audit log`). Empty lists and
/// nullopts mean any; lists are ORed within, filters ANDed.
struct EventFilter {
  std::vector<std::string> actors;
  std::vector<std::string> types;
  std::vector<std::string> refs;            ///< record references (registry events have none)
  std::optional<TimePoint> since;           ///< at >= since
  std::optional<TimePoint> until;           ///< at < until
  bool newest_first = false;                ///< by id descending instead of ascending
  std::int64_t limit = 0;                   ///< 0 = no limit
};

/// One record as stored (with its clocks) and its history, oldest first, for replaying
/// (`liaison audit verify`, lib/services/audit.h).
struct RecordHistory {
  std::int64_t record_id = 0;
  std::optional<Record> record;             ///< nullopt: events whose record row is gone
  std::vector<Event> events;
};

/// What `Store::backup_to` copied.
struct BackupCopy {
  std::int64_t pages = 0;                   ///< database pages copied
  std::int64_t page_size = 0;               ///< bytes per page
};

/// How a store is opened.
enum class OpenMode { read_only, read_write, create };

/// The storage interface. Writing methods must be called inside `write()`.
class Store {
 public:
  virtual ~Store() = default;

  /// Begins the command's write transaction (SQLite: BEGIN IMMEDIATE).
  virtual std::unique_ptr<WriteTransaction> write() = 0;
  /// Schema version of the open database.
  virtual int schema_version() = 0;

  /// Next number of a reference sequence (gap-free; consumed only if committed).
  virtual std::int64_t next_sequence(const std::string& name) = 0;
  /// Raises a sequence to at least `last` (import: later filings number after the
  /// imported references); never lowers it.
  virtual void advance_sequence(const std::string& name, std::int64_t last) = 0;

  /// Inserts a record with its clocks; returns its id.
  virtual std::int64_t insert_record(const Record& record) = 0;
  /// Writes every mutable field of the record and its clocks.
  virtual void update_record(const Record& record) = 0;
  /// The record with its clocks, or nullopt.
  virtual std::optional<Record> find_record(const std::string& ref) = 0;
  /// Records matching the filter (clocks not filled).
  virtual std::vector<Record> list_records(const RecordFilter& filter) = 0;
  /// Number of records.
  virtual std::int64_t count_records() = 0;
  /// Calls `each` for every record matching the filter, in its order, one at a time
  /// (clocks not filled), so a long export is never held in memory.
  virtual void each_record(const RecordFilter& filter, const std::function<void(Record&)>& each) = 0;
  /// A record's clocks (ack, resolve, then the others by name).
  virtual std::vector<Clock> clocks_for(std::int64_t record_id) = 0;
  /// True if a record has this reference.
  virtual bool record_exists(const std::string& ref) = 0;

  // Full-text search (lib/store/sqlite/store_sqlite_search.cpp). The index holds the free text of
  // every event of a record (subject and body as filed, notes, reasons, resolutions …)
  // and is kept by append_event, in the same transaction: whatever writes events through
  // the store keeps it in step. Code that writes events rows any other way (an importer
  // copying a history as it was) calls index_event for each, after inserting it.
  /// Records matching `text` (taken literally), best first (bm25 over the matching texts,
  /// subject weighted above body above history), that also pass `filter` (its sort is
  /// ignored; its limit applies; its grep is ignored). Nothing searchable in `text`: empty.
  virtual std::vector<SearchHit> search_records(const std::string& text, const RecordFilter& filter) = 0;
  /// Adds the free text of the stored event `event_id` to the search index; events
  /// without a record or without free text add nothing. Call once per event.
  virtual void index_event(std::int64_t event_id) = 0;
  /// Empties the search index and rebuilds it from all events (after repairs behind the
  /// store's back); returns the number of index rows.
  virtual std::int64_t rebuild_search_index() = 0;

  /// Stores who raised a record (or that it is anonymous); at most once per record.
  virtual void insert_identity(std::int64_t record_id, const Identity& identity) = 0;
  /// Who raised a record, or nullopt when nothing was recorded (kinds without identity).
  virtual std::optional<Identity> find_identity(std::int64_t record_id) = 0;

  virtual void insert_party(const Party& party) = 0;
  virtual void update_party(const Party& party) = 0;
  virtual std::optional<Party> find_party(const std::string& id) = 0;
  /// Parties, optionally of one type, by id.
  virtual std::vector<Party> list_parties(const std::string& type) = 0;

  /// Appends an event to the chain; fills id, prev_hash and hash, returns it.
  virtual Event append_event(Event event) = 0;
  /// A record's history, oldest first.
  virtual std::vector<Event> events_for(std::int64_t record_id) = 0;
  /// Recomputes the hash chain over all events.
  virtual ChainCheck verify_chain() = 0;
  /// Id of the newest event, 0 if none.
  virtual std::int64_t last_event_id() = 0;

  // Audit queries (lib/store/sqlite/store_sqlite_audit.cpp)
  /// The events the filter selects, by id (oldest first unless newest_first), each with
  /// its record's reference and confidentiality level ("" for registry events). Streams:
  /// `each` is called once per event and nothing is held.
  virtual void audit_events(const EventFilter& filter,
                            const std::function<void(const Event&, const std::string& level)>& each) = 0;
  /// Every record with its clocks and its events, by record id; events whose record row
  /// is gone come in the same order as a history without a record. Streams: one
  /// record's history at a time.
  virtual void record_histories(const std::function<void(const RecordHistory&)>& each) = 0;
  /// SQLite's PRAGMA integrity_check: "ok", or its first problems one a line.
  virtual std::string integrity_check() = 0;
  /// Copies the whole database, as one consistent snapshot, into the new (or empty) file
  /// at `path` through the online backup API; the copy is a single self-contained file
  /// (rollback journal, not WAL). Writers may go on meanwhile. Throws StoreError/BusyError.
  virtual BackupCopy backup_to(const std::string& path) = 0;

  // Report queries (lib/store/sqlite/store_sqlite_report.cpp). Each computes one section of
  // `liaison report` in the database; the figures are defined in liaison-report(1).
  // `end` is the moment "at the end" means (the period's end, or now if earlier).
  /// §1: what was received in [from, end).
  virtual Volume report_volume(const ReportFilter& filter, TimePoint from, TimePoint end,
                               const std::vector<std::string>& complaint_kinds, int top_parties) = 0;
  /// §2: open at from and at end; received, closed and reopened in [from, end).
  virtual FlowCounts report_flow(const ReportFilter& filter, TimePoint from, TimePoint end) = 0;
  /// §3: acknowledge and resolve obligations met or due in [from, end): all, per department, per kind.
  virtual std::vector<Timeliness> report_timeliness(const ReportFilter& filter, TimePoint from, TimePoint end) = 0;
  /// §4: records overdue at `end`, counted per owner department.
  virtual std::vector<Count> report_overdue_by_owner(const ReportFilter& filter, TimePoint end) = 0;
  /// §4: records overdue at `end` (late_* not filled: the calendar does that).
  virtual std::vector<OverdueItem> report_overdue(const ReportFilter& filter, TimePoint end) = 0;
  /// §5: suggestions received in [from, end) and where they stood at `end`.
  virtual Suggestions report_suggestions(const ReportFilter& filter, TimePoint from, TimePoint end,
                                         const std::vector<std::string>& suggestion_kinds) = 0;
  /// §5: major records received before `end` and not closed at `from`.
  virtual std::vector<MajorItem> report_major(const ReportFilter& filter, TimePoint from, TimePoint end) = 0;

  // Reminder queries (lib/store/sqlite/store_sqlite_remind.cpp)
  /// For each (record, obligation, recipient) reminded at or after `since`, the newest
  /// `reminded` event (data holds "to" and "obligation"); `liaison remind` skips those.
  virtual std::vector<Event> reminders_since(TimePoint since) = 0;

  // Overdue queries (lib/store/sqlite/store_sqlite_overdue.cpp)
  /// Every obligation not met whose deadline is before `query.due_before`: "ack" when
  /// not acknowledged and not closed, "resolve" when neither closed nor waiting. Earliest
  /// deadline first, then by reference, ack before resolve. Calls `each` once for each,
  /// with the record's fields, `obligation` and `due` set (`overdue` and late_* are the
  /// caller's), so a long list is never held in memory.
  virtual void overdue_obligations(const OverdueQuery& query, const std::function<void(OverdueEntry&)>& each) = 0;

  /// The canonical bytes an event's hash covers (shared by every implementation).
  static std::string event_digest_input(const Event& event);
};

/// Opens (and migrates, unless read-only) the SQLite database at `path`.
/// Throws StoreError for a missing file (read-only), a newer schema, or a bad file.
std::unique_ptr<Store> open_sqlite_store(const std::string& path, OpenMode mode);

}  // namespace liaison
