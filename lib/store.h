// The database behind liaison. Services and commands talk to it only through `Store`,
// so another implementation (PostgreSQL, DESIGN §4) can be added without touching them.
// All SQL lives in lib/store*.cpp and schemas/.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model.h"

namespace liaison {

// The report's values (lib/report.h), which itself includes this header.
struct ReportFilter;
struct Volume;
struct FlowCounts;
struct Timeliness;
struct Count;
struct OverdueItem;
struct Suggestions;
struct MajorItem;

// Overdue queries (lib/store_sqlite_overdue.cpp): the selection behind lib/overdue.h.
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
  std::optional<TimePoint> overdue_at;      ///< not closed and due < this
  enum class SortKey { received, due, ack_due, ref, kind, owner, status } sort = SortKey::received;
  bool descending = false;
  std::int64_t limit = 0;                   ///< 0 = no limit
};

/// Result of checking the event hash chain.
struct ChainCheck {
  bool ok = true;
  std::int64_t events = 0;                  ///< events checked
  std::int64_t first_bad_id = 0;            ///< first event that does not verify
  std::string problem;                      ///< what is wrong with it
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

  // Report queries (lib/store_sqlite_report.cpp). Each computes one section of
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

  // Reminder queries (lib/store_sqlite_remind.cpp)
  /// For each (record, obligation, recipient) reminded at or after `since`, the newest
  /// `reminded` event (data holds "to" and "obligation"); `liaison remind` skips those.
  virtual std::vector<Event> reminders_since(TimePoint since) = 0;

  // Overdue queries (lib/store_sqlite_overdue.cpp)
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
