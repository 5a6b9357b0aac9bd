// The database behind liaison. Services and commands talk to it only through `Store`,
// opened by `open_store(url, mode)`, so another engine (PostgreSQL) can be
// added without touching them. The core Store is what every engine must do: records,
// parties, identities, sequences, the events' storage, and the queries the services need.
// The hash chain over the events is not the store's: lib/services/chain.h computes it and
// the store only keeps it (chain_tip, insert_event, each_event). What an engine may lack
// sits behind small capability interfaces, each reached through an accessor that returns
// nullptr when the engine does not have it: report figures (ReportQueries), full-text
// search (TextSearch), an online backup (OnlineBackup), maintenance checks (Maintenance)
// and the auditor's read-only SQL (AuditorQueries); `require` turns a missing one into a
// clean error. All SQL lives in lib/store/ and schemas/.
#pragma once
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "messages.h"
#include "model.h"

namespace liaison {

// The capabilities an engine may lack, each behind its own interface (see Store's accessors).
class ReportQueries;   // lib/store/report_queries.h
class ReportSnapshot;  // lib/store/report_queries.h
/// When a report snapshot has a second reader: only on a database large enough to gain more
/// from a second thread than a second connection costs to start (SQLite: 1 GiB), or
/// whenever the engine can give one (tests).
enum class SecondReader { when_large, when_possible };
class AuditorQueries;  // lib/store/query.h
class TextSearch;
class OnlineBackup;
class Maintenance;
class AttachmentStore;
class RetentionStore;

// Overdue queries (lib/store/sqlite/store_sqlite_overdue.cpp): the selection behind lib/services/overdue.h.
/// One obligation of one record that is overdue (or due soon): a row of
/// `Store::overdue_obligations`, completed by lib/services/overdue.h.
struct OverdueEntry {
  std::int64_t record_id = 0;
  std::string ref;
  std::string kind;
  Direction direction = Direction::internal;
  std::string owner;                     ///< owner department id
  std::string assignee;                  ///< user id, may be empty
  std::string subject;
  std::string level;                     ///< confidentiality level id (redaction, lib/policy/access.h)
  bool major = false;
  Status status = Status::open;          ///< open, acknowledged or waiting; closed only for a receipt
  /// "ack": not acknowledged and ack_due has passed (or is near);
  /// "resolve": not closed, not waiting, and due has passed (or is near);
  /// "notify:<party>": a notification its kind owes that party, not recorded (liaison notify).
  /// "receipt:<user>": a recipient who has not signed for it (file --recipient, ack);
  /// "approval:<n>:<user>": an approver whose turn it is, not decided (liaison approve).
  std::string obligation;
  TimePoint due{};
  bool overdue = false;                  ///< due < now; false = only due within --within
  std::int64_t late_working_days = 0;    ///< WorkCalendar::working_days_between(due, now); 0 if not overdue
  std::int64_t late_working_seconds = 0; ///< WorkCalendar::working_seconds(due, now); 0 if not overdue
};
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
  std::vector<std::string> topics;          ///< topic ids
  /// The customer's own numbers (--customer-ref) and 8D numbers (--8d), matched exactly.
  /// Redaction hides both above a user's clearance, so the read service also restricts
  /// to readable_levels when either is given (lib/services/reads.h).
  std::vector<std::string> customer_refs;
  std::vector<std::string> eight_ds;
  std::vector<std::string> their_refs;      ///< the sender's references (--their-ref), exactly; redacted likewise
  std::optional<bool> major;
  /// Under a legal hold (true) or not (false): the newest of its "held" and "released"
  /// events is "held" (services.h, legal_hold).
  std::optional<bool> held;
  std::optional<TimePoint> received_since;  ///< received_at >= since
  std::optional<TimePoint> received_until;  ///< received_at < until
  std::optional<TimePoint> overdue_at;      ///< overdue at this moment (is_overdue, lib/core/model.h)
  /// Only records this user has still to sign for: a receipt clock "receipt:<user>" not
  /// stopped (file --recipient). Empty: no condition.
  std::string unsigned_by;
  /// Only records whose approval it is this user's turn to give: an approval clock
  /// "approval:<n>:<user>" neither stopped nor waiting (paused). Empty: no condition.
  std::string approval_turn_of;
  /// Only records with action items (clocks "action:<n>:<user>", services.h): nullopt, no
  /// condition; "" any owner's; else this user's. With `open_actions`, only such actions
  /// not done.
  std::optional<std::string> actions_of;
  bool open_actions = false;
  /// Full-text search (`list --grep`): only records whose subject, body or history
  /// text matches, taken literally (lib/fts/fts_tokenizer.h). Empty: no text condition.
  std::string grep;
  /// Only records at these confidentiality levels: those the acting user may read, so a
  /// search cannot reveal the text of others. A level no longer in the config is not
  /// listed, so its records stay out (Access::may_read counts it as the highest).
  /// nullopt: no condition.
  std::optional<std::vector<std::string>> readable_levels;
  enum class SortKey { received, due, ack_due, ref, kind, owner, status } sort = SortKey::received;
  bool descending = false;
  std::int64_t limit = 0;                   ///< 0 = no limit
};

/// One record found by `TextSearch::search_records`, with the text that matched best.
struct SearchHit {
  Record record;                  ///< clocks not filled
  double score = 0;               ///< relevance: bm25, higher is better (> 0)
  std::string field;              ///< where the snippet is from: subject, body or history
  std::string snippet;            ///< an excerpt around the match
  std::vector<std::pair<std::size_t, std::size_t>> marks;  ///< byte ranges of `snippet` that matched
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

/// What `OnlineBackup::backup_to` copied.
struct BackupCopy {
  std::int64_t pages = 0;                   ///< database pages copied
  std::int64_t page_size = 0;               ///< bytes per page
};

/// How a store is opened.
enum class OpenMode { read_only, read_write, create };

/// The storage interface every engine implements. Writing methods must be called inside `write()`.
class Store {
 public:
  virtual ~Store() = default;

  /// How the store was opened, for messages ("sqlite:PATH"), never with a password;
  /// "" for an engine that does not say.
  virtual std::string url() const { return {}; }

  /// Begins the command's write transaction (SQLite: BEGIN IMMEDIATE).
  virtual std::unique_ptr<WriteTransaction> write() = 0;
  /// Says that the coming transaction writes a great deal (import): the engine may keep
  /// more of the database in memory meanwhile (SQLite: a larger page cache) and put off
  /// work that is cheaper done once for all the events, such as indexing them for search,
  /// until finish_bulk_write. Nothing read during the import may depend on that work.
  virtual void expect_bulk_write() {}
  /// Ends what expect_bulk_write began, inside the same transaction: before its commit,
  /// does what was put off (`commit` true); before a rollback, only forgets it.
  virtual void finish_bulk_write(bool /*commit*/) {}
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
  /// The reference of the record `schedule` filed for `period` (its filed event's
  /// "schedule"), or nullopt when none was.
  virtual std::optional<std::string> scheduled_record(const std::string& schedule, const std::string& period) = 0;
  /// Every record `schedule` filed: (period, reference), by period.
  virtual std::vector<std::pair<std::string, std::string>> schedule_records(const std::string& schedule) = 0;
  /// Records matching the filter (clocks not filled). A non-empty grep on a store
  /// without TextSearch throws the error of `require`.
  virtual std::vector<Record> list_records(const RecordFilter& filter) = 0;
  /// Number of records.
  virtual std::int64_t count_records() = 0;
  /// Calls `each` for every record matching the filter, in its order, one at a time
  /// (clocks not filled), so a long export is never held in memory.
  virtual void each_record(const RecordFilter& filter, const std::function<void(Record&)>& each) = 0;
  /// The distinct parties the records matching the filter refer to, sorted by id (export
  /// writes them first). Engines answer from an index; this default reads every record.
  virtual std::vector<std::string> record_parties(const RecordFilter& filter) {
    std::vector<std::string> parties;
    each_record(filter, [&](Record& r) {
      if (!r.party.empty()) parties.push_back(r.party);
    });
    std::sort(parties.begin(), parties.end());
    parties.erase(std::unique(parties.begin(), parties.end()), parties.end());
    return parties;
  }
  /// A record's clocks (ack, resolve, then the others by name).
  virtual std::vector<Clock> clocks_for(std::int64_t record_id) = 0;
  /// True if a record has this reference.
  virtual bool record_exists(const std::string& ref) = 0;

  /// Stores who raised a record (or that it is anonymous); at most once per record.
  virtual void insert_identity(std::int64_t record_id, const Identity& identity) = 0;
  /// Who raised a record, or nullopt when nothing was recorded (kinds without identity).
  virtual std::optional<Identity> find_identity(std::int64_t record_id) = 0;

  /// Stores a new party.
  virtual void insert_party(const Party& party) = 0;
  /// Writes every field of an existing party.
  virtual void update_party(const Party& party) = 0;
  /// The party with this id, or nullopt.
  virtual std::optional<Party> find_party(const std::string& id) = 0;
  /// Parties, optionally of one type, by id.
  virtual std::vector<Party> list_parties(const std::string& type) = 0;

  // The events. Their hash chain is computed by lib/services/chain.h (append_event,
  // verify_chain); the store keeps what it is given.
  /// The newest event's id and hash ({0, ""} when there is none); read inside the write transaction.
  struct ChainTip {
    std::int64_t id = 0;
    std::string hash;
  };
  /// The chain's tip: what the next event links to.
  virtual ChainTip chain_tip() = 0;
  /// Persists an event whose id, prev_hash and hash the chain (lib/services/chain.h) has set. An engine with a
  /// search index indexes its free text in the same transaction.
  virtual void insert_event(const Event& event) = 0;
  /// A record's history, oldest first.
  virtual std::vector<Event> events_for(std::int64_t record_id) = 0;
  /// When a record's newest event took place; nullopt before its first. One indexed read,
  /// for every append (nothing is recorded before a record's latest event).
  virtual std::optional<TimePoint> latest_event_at(std::int64_t record_id) = 0;
  /// Every event, by id ascending, with its record's ref filled ("" for registry events); streams.
  virtual void each_event(const std::function<void(const Event&)>& each) = 0;
  /// each_event without the ref (left ""), for verify_chain, which an engine may read more
  /// cheaply (SQLite: no lookup of the record per event). By default each_event itself.
  virtual void each_chain_event(const std::function<void(const Event&)>& each) { each_event(each); }
  /// Id of the newest event, 0 if none.
  virtual std::int64_t last_event_id() = 0;
  /// The reference of the record whose history holds the event carrying this message
  /// digest (its data's "message_sha256": mail-in); nullopt when none does. One indexed read.
  virtual std::optional<std::string> record_of_message(const std::string& message_sha256) = 0;
  /// The stored hash of event `id`; nullopt when there is no such event.
  virtual std::optional<std::string> event_hash(std::int64_t id) = 0;

  // Signed checkpoints (lib/services/checkpoint.h); append-only like the events.
  /// Stores a checkpoint (its id is assigned) inside the write transaction.
  virtual void insert_checkpoint(const Checkpoint& checkpoint) = 0;
  /// Every stored checkpoint, oldest first.
  virtual void each_checkpoint(const std::function<void(const Checkpoint&)>& each) = 0;
  /// The newest stored checkpoint, if any (reports name it in their provenance).
  virtual std::optional<Checkpoint> latest_checkpoint() = 0;

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

  // Capabilities: each accessor returns nullptr when this engine lacks it (the default);
  // `require` turns that into a clean error.
  /// The figures of `liaison report`, computed by the engine.
  virtual ReportQueries* report_queries() { return nullptr; }
  /// The same figures over one pinned snapshot, with a second reader of it as `second`
  /// asks when the engine can give one (nullptr without report queries; defined in open.cpp).
  virtual std::unique_ptr<ReportSnapshot> report_snapshot(SecondReader second);
  /// Full-text search over the records' texts (`liaison search`, `list --grep`).
  virtual TextSearch* text_search() { return nullptr; }
  /// A consistent copy taken while others write (`liaison backup`).
  virtual OnlineBackup* online_backup() { return nullptr; }
  /// The engine's own consistency check.
  virtual Maintenance* maintenance() { return nullptr; }
  /// The read-only SQL sessions of `liaison query`.
  virtual AuditorQueries* auditor_queries() { return nullptr; }
  /// Files attached to records, kept inside the store.
  virtual AttachmentStore* attachment_store() { return nullptr; }
  /// What `liaison purge` reads and removes.
  virtual RetentionStore* retention_store() { return nullptr; }
};

/// Retention (`liaison purge`, lib/services/retention.h): the closed records whose time
/// may be up, and the removal of their content. The store removes what it is told to and
/// decides nothing; every call but closed_records belongs inside the write transaction
/// that appends the `purged` or `anonymised` event.
class RetentionStore {
 public:
  virtual ~RetentionStore() = default;
  /// Closed records of `kind` not purged yet, closed before `closed_before`, oldest
  /// closing first (clocks not filled).
  virtual std::vector<Record> closed_records(const std::string& kind, TimePoint closed_before) = 0;
  /// Takes the record's events out of the search index, as their text stands now: call
  /// before reduce_event changes it.
  virtual void forget_search_text(std::int64_t record_id) = 0;
  /// Replaces event `event_id`'s data by `data` (what a purge leaves of it) and sets its
  /// data_sha256 to `data_sha256`, the digest of the data as written.
  virtual void reduce_event(std::int64_t event_id, const std::string& data, const std::string& data_sha256) = 0;
  /// Empties the name, position, organisation and phone of who raised the record (the
  /// anonymous flag and the salt stay).
  virtual void forget_identity(std::int64_t record_id) = 0;
  /// Empties the names of the record's attachments, and removes the bytes of those that
  /// no record still holding its content lists (the record must be marked purged first).
  virtual void forget_attachments(std::int64_t record_id) = 0;
};

/// Files attached to records (`file --attach`, `log --attach`, `attachment get`): each
/// attachment a row naming its record, its number there and the event that added it; the
/// bytes kept once per SHA-256 however many attachments share them. The store keeps what
/// it is given and computes no hash (lib/services/attachments.h does).
class AttachmentStore {
 public:
  virtual ~AttachmentStore() = default;
  /// Keeps `content` under `sha256` (its hex SHA-256), unless bytes are kept under it already.
  virtual void put_blob(const std::string& sha256, std::string_view content) = 0;
  /// Stores an attachment whose bytes were put; inside the write transaction.
  virtual void insert_attachment(const Attachment& attachment) = 0;
  /// A record's attachments by number, each with its event's `at` and actor.
  virtual std::vector<Attachment> attachments_for(std::int64_t record_id) = 0;
  /// The bytes kept under `sha256`; nullopt when none are.
  virtual std::optional<std::string> blob(const std::string& sha256) = 0;
  /// Every attachment, by record and number, with the bytes kept under its sha256
  /// (nullopt when none are), one at a time: what `audit verify` checks.
  virtual void each_attachment(const std::function<void(const Attachment&, const std::optional<std::string>&)>& each) = 0;
};

/// Full-text search (SQLite: lib/store/sqlite/store_sqlite_search.cpp). The index holds
/// the free text of every event of a record (subject and body as filed, notes, reasons,
/// resolutions …) and is kept by Store::insert_event, in the same transaction: whatever
/// writes events through the store keeps it in step. Code that writes events rows any
/// other way (an importer copying a history as it was) calls index_event for each,
/// after inserting it.
class TextSearch {
 public:
  virtual ~TextSearch() = default;
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
};

/// A consistent copy of the whole store taken while others write (`liaison backup`).
class OnlineBackup {
 public:
  virtual ~OnlineBackup() = default;
  /// Copies the whole store, as one consistent snapshot, into the new (or empty) file at
  /// `path`: a single self-contained SQLite file (rollback journal, not WAL) that
  /// open_store opens as "sqlite:PATH". Writers may go on meanwhile. Throws
  /// StoreError/BusyError.
  virtual BackupCopy backup_to(const std::string& path) = 0;
};

/// One count the store keeps beside the records that a recount of them does not give:
/// how many records not closed `owner` has with a resolve deadline in
/// [deadlines_from, deadlines_to) (none: no deadline), waiting or not.
struct CountDifference {
  std::string owner;
  std::optional<TimePoint> deadlines_from, deadlines_to;
  bool waiting = false;
  std::int64_t kept = 0, counted = 0;
};

/// A resolve cycle that a reopening ended, kept beside the history for the report, that a
/// replay of the history does not give as kept: with other values, kept but not in the
/// history, or in the history but not kept.
struct CycleDifference {
  std::string ref;                       ///< the record's reference ("#id" when it has no row)
  std::int64_t reopened_event = 0;       ///< the 'reopened' event that ended the cycle
  bool kept = false, replayed = false;   ///< whether each side has the cycle
};

/// A Message-ID digest kept in the mail index (SQLite: event_messages) that the history
/// does not give as kept: indexed under an event that does not carry it, or carried by an
/// event but not indexed.
struct MessageIndexDifference {
  std::string message_sha256;
  std::int64_t event_id = 0;
  bool kept = false, in_history = false;  ///< whether each side has it
};

/// A period the schedule index (SQLite: schedule_records, kept by a trigger) holds that
/// the history does not give, or the reverse: a record's filed event naming a schedule's
/// period that is not indexed.
struct ScheduleIndexDifference {
  std::string schedule, period;
  std::int64_t record_id = 0;
  bool kept = false, in_history = false;  ///< whether each side has it
};

/// What Maintenance::recount_kept found different and rebuilt.
struct KeptRecount {
  std::int64_t counts = 0;               ///< backlog counts that differed from the records
  std::int64_t cycles = 0;               ///< resolve cycles kept, missing or changed against the history
};

/// The engine's own checks of its files (`liaison backup` checks its copy with them).
class Maintenance {
 public:
  virtual ~Maintenance() = default;
  /// The engine's consistency check (SQLite: PRAGMA integrity_check): "ok", or its first
  /// problems one a line.
  virtual std::string integrity_check() = 0;
  /// The counts kept beside the records for the report (SQLite: backlog_due) recounted
  /// from the records: the first `limit` that differ, none when all agree.
  virtual std::vector<CountDifference> backlog_count_differences(std::size_t limit) = 0;
  /// The resolve cycles kept beside the history for the report (SQLite: resolve_cycles)
  /// beside a replay of the history: the first `limit` that differ, none when all agree.
  virtual std::vector<CycleDifference> resolve_cycle_differences(std::size_t limit) = 0;
  /// The mail index (SQLite: event_messages, kept by a trigger) beside the digests the
  /// events carry: the first `limit` that differ, none when all agree.
  virtual std::vector<MessageIndexDifference> message_index_differences(std::size_t limit) = 0;
  /// The schedule index beside the periods the filed events carry: the first `limit` that
  /// differ, none when all agree.
  virtual std::vector<ScheduleIndexDifference> schedule_index_differences(std::size_t limit) = 0;
  /// Rebuilds what is kept beside the records for the report from them and their history
  /// (SQLite: backlog_due recounted, resolve_cycles replayed), inside the caller's write
  /// transaction, and says how much differed before. The records and events are untouched.
  virtual KeptRecount recount_kept() = 0;
};

/// `capability`, one of `store`'s accessors' answers; when it is nullptr, throws
/// StoreError (exit 1) "this store (URL) cannot WHAT", `what` being e.g.
/// msg<Msg::can_search_text>() ("search text").
template <typename Capability>
Capability& require(const Store& store, Capability* capability, const Message& what);

/// The error `require` throws for a capability `store` lacks.
[[noreturn]] void throw_missing_capability(const Store& store, const Message& what);

template <typename Capability>
Capability& require(const Store& store, Capability* capability, const Message& what) {
  if (!capability) throw_missing_capability(store, what);
  return *capability;
}

/// Opens (and migrates, unless read-only) the store `url` names, by its scheme:
///   PATH or sqlite:PATH                  the SQLite database file PATH (":memory:" too);
///   postgresql://… or postgres://…       the PostgreSQL database it names (lib/store/postgres);
///   any other SCHEME://…                 refused, naming the schemes this build knows.
/// A refused URL is a UsageError (exit 2) whose message shows no password. The SQLite
/// store throws NotFoundError for a missing file (unless creating) and StoreError for a
/// newer schema or a file that is not a liaison database; the PostgreSQL store BusyError
/// for a server it cannot reach, StoreError for one that refuses it.
std::unique_ptr<Store> open_store(const std::string& url, OpenMode mode);

/// The file a SQLite store URL names (PATH for "PATH" or "sqlite:PATH"); nullopt for a
/// URL of another scheme.
std::optional<std::string> sqlite_path(const std::string& url);

/// The URL with the password of any user:password@ replaced by "***", for messages.
std::string redact_url(const std::string& url);

}  // namespace liaison
