// A second implementation of Store, in plain containers (no SQL, no file), for the
// tests: the services' unit tests run on it as well as on SQLite, which shows that the
// services depend on the Store interface alone. Every core method has SQLite's meaning,
// down to the order of ties and the constraints the schema enforces (a unique reference,
// a record's party registered, an identity once per record, events appended after the
// last one); what SQLite alone offers (full-text search, reports, backup, integrity
// check) throws StoreError.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store.h"

namespace liaison {

/// Store in memory: a write transaction snapshots the containers and puts them back
/// unless committed.
class MemoryStore : public Store, public AttachmentStore {
 public:
  MemoryStore() = default;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

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
  std::vector<Clock> clocks_for(std::int64_t record_id) override;
  bool record_exists(const std::string& ref) override;

  void insert_identity(std::int64_t record_id, const Identity& identity) override;
  std::optional<Identity> find_identity(std::int64_t record_id) override;

  void insert_party(const Party& party) override;
  void update_party(const Party& party) override;
  std::optional<Party> find_party(const std::string& id) override;
  std::vector<Party> list_parties(const std::string& type) override;

  /// Newest event's id and hash ({0, ""} when there is none).
  ChainTip chain_tip() override;
  /// Persists an event whose id, prev_hash and hash are already set (after the last one).
  void insert_event(const Event& event) override;
  /// Every event by id ascending, with its record's reference.
  void each_event(const std::function<void(const Event&)>& each) override;

  std::vector<Event> events_for(std::int64_t record_id) override;
  std::optional<TimePoint> latest_event_at(std::int64_t record_id) override;
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

  AttachmentStore* attachment_store() override { return this; }
  void put_blob(const std::string& sha256, std::string_view content) override;
  void insert_attachment(const Attachment& attachment) override;
  std::vector<Attachment> attachments_for(std::int64_t record_id) override;
  std::optional<std::string> blob(const std::string& sha256) override;
  void each_attachment(const std::function<void(const Attachment&, const std::optional<std::string>&)>& each) override;


 private:
  class Transaction;

  /// Everything stored; a write transaction keeps a copy to put back.
  struct Contents {
    std::map<std::int64_t, Record> records;                          ///< by id; clocks empty
    std::map<std::string, std::int64_t> record_ids;                  ///< by reference
    std::map<std::int64_t, std::map<std::string, Clock>> clocks;     ///< by record id, then name
    std::map<std::string, std::int64_t> sequences;                   ///< last number handed out
    std::map<std::string, Party> parties;                            ///< by id
    std::map<std::int64_t, Identity> identities;                     ///< by record id
    std::vector<Event> events;                                       ///< by id (1, 2, 3 …); ref empty
    std::vector<Checkpoint> checkpoints;                             ///< by id (1, 2, 3 …)
    std::map<std::pair<std::int64_t, std::int64_t>, Attachment> attachments;  ///< by record id, n
    std::map<std::string, std::string> blobs;                        ///< by sha256
  };

  const Record* record_by_id(std::int64_t id) const;
  /// The record's reference, "" when there is no such record (a registry event's).
  std::string ref_of(std::int64_t record_id) const;
  /// The checks SQLite's schema makes on a record row (unique reference, registered party).
  void check_record_row(const Record& record, const Message& doing) const;
  void write_clocks(std::int64_t record_id, const std::vector<Clock>& clocks);
  std::vector<Record> select_records(const RecordFilter& filter) const;

  Contents contents_;
  bool writing_ = false;  ///< a write transaction is open
};

}  // namespace liaison
