// Plain values shared by every module: records, events, parties and their enums.
// No I/O here.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace liaison {

/// A moment, UTC, to the second. Stored as integer seconds since the epoch.
using TimePoint = std::chrono::sys_seconds;
/// Seconds since the epoch: how times are stored and hashed.
inline std::int64_t secs(TimePoint t) { return t.time_since_epoch().count(); }

/// Internal (between departments or people) or external (with an outside party).
enum class Direction { internal, external };
/// Flow of an internal record: upward, downward or lateral (none for external ones).
enum class Flow { none, upward, downward, lateral };
/// Where a record is in its lifecycle. `waiting` = resolve clock paused.
enum class Status { open, acknowledged, waiting, closed };
/// How a closed record ended.
enum class Outcome { resolved, adopted, rejected, withdrawn, duplicate, no_action };

std::string_view to_string(Direction);
std::string_view to_string(Flow);
std::string_view to_string(Status);
std::string_view to_string(Outcome);
std::optional<Direction> parse_direction(std::string_view);
std::optional<Flow> parse_flow(std::string_view);
std::optional<Status> parse_status(std::string_view);
std::optional<Outcome> parse_outcome(std::string_view);

/// The four cases in which the seeds allow skip-level (越级) communication.
enum class SkipLevelCase { superior_complaint, unanswered, superior_violation, reform_suggestion };
std::string_view to_string(SkipLevelCase);
std::optional<SkipLevelCase> parse_skip_level_case(std::string_view);

/// One obligation's clock (acknowledge, resolve, …): its deadline and how it was used.
struct Clock {
  std::string name;                      ///< "ack", "resolve", or a per-kind name
  std::string duration;                  ///< as configured, e.g. "5wd"
  TimePoint started_at{};
  std::optional<TimePoint> due;          ///< none when the kind sets no such deadline
  std::optional<TimePoint> stopped_at;   ///< when the obligation was met
  std::optional<std::int64_t> used_seconds; ///< working seconds used net of pauses, once stopped
  std::optional<TimePoint> paused_since; ///< set while paused (wait)
  std::int64_t paused_seconds = 0;       ///< working seconds spent paused, in total
  std::string config_hash;               ///< hash of the config that set `due`
  bool provisional = false;              ///< the deadline crosses a year with no holiday notice
  /// `due` was given by the sender (`file --due`: a letter's deadline), not set by the
  /// kind's duration in the config; `duration` is then the duration given, or "" for a moment.
  bool given = false;
};

/// One communication with its current state; its history is in events.
struct Record {
  std::int64_t id = 0;
  std::string ref;                        ///< e.g. EXT-2026-00042
  std::string kind;
  Direction direction = Direction::internal;
  Flow flow = Flow::none;
  std::string subject;
  std::string body;
  std::string channel;
  std::string party;                      ///< party id, empty for internal records
  std::string from_dept;                  ///< originating department (internal records)
  std::string owner;                      ///< owner department id
  std::string assignee;                   ///< user id, may be empty
  std::string level;                      ///< confidentiality level id
  bool major = false;
  Status status = Status::open;
  std::optional<Outcome> outcome;
  std::string resolution;
  std::string reply_via;
  std::string capa;
  std::string topic;                      ///< topic id ([[topic]]), empty = none
  std::string customer_ref;               ///< the customer's own number for it (客户投诉编号)
  std::string eight_d;                    ///< the 8D report's number beside the CAPA reference
  std::string their_ref;                  ///< the sender's own reference (来文编号), e.g. a regulator's letter
  std::string compliance_obligation;      ///< the compliance obligation it concerns (`file --obligation`)
  std::string rule;                       ///< name of the rule that routed it on filing
  std::vector<std::string> notify;        ///< departments notified on filing
  std::string escalated_to;               ///< last escalation target, if any
  TimePoint received_at{};
  TimePoint created_at{};
  std::string created_by;
  std::optional<TimePoint> ack_due;       ///< copy of the ack clock's due, for listing
  std::optional<TimePoint> acked_at;
  std::optional<TimePoint> due;           ///< copy of the resolve clock's due, for listing
  std::optional<TimePoint> closed_at;
  /// When `liaison purge` took the record's content (a tombstone since), and when it took
  /// its complainant's identity (lib/services/retention.h); set by the events of those names.
  std::optional<TimePoint> purged_at;
  std::optional<TimePoint> anonymised_at;
  std::vector<Clock> clocks;              ///< filled by Store::get_record
};

/// One entry of a record's append-only, hash-chained history.
struct Event {
  std::int64_t id = 0;
  std::int64_t record_id = 0;             ///< 0 for events not about a record (party changes)
  std::string ref;                        ///< record reference, for display
  std::string type;                       ///< filed, routed, acknowledged, logged, …
  std::string actor;
  TimePoint at{};
  std::string data;                       ///< canonical JSON object (sorted keys)
  std::string prev_hash;                  ///< hex SHA-256 of the previous event, "" for the first
  std::string hash;                       ///< hex SHA-256 over prev_hash and the canonical event
  /// Random hex the hash covers (events since schema 7; "" before), so a hash confirms
  /// nothing about a guessed text to someone who may not read the event.
  std::string salt;
  /// When the event was written, by the real clock; `at` is when it took effect (--now).
  /// None for events written before schema 7.
  std::optional<TimePoint> recorded_at;
  /// Hex SHA-256 of `data` as it was written, which the hash covers in its place (events
  /// since schema 14); "" for older events, until a purge sets it. When `data` no longer
  /// has this digest, a purge took text out of it (lib/services/retention.h).
  std::string data_sha256;
};

/// A file attached to a record (`file --attach`, `log --attach`). Its bytes are kept
/// once per SHA-256; the event that added it lists it in its data (lib/services/attachments.h).
struct Attachment {
  std::int64_t record_id = 0;
  std::int64_t n = 0;                     ///< 1, 2, 3 … within the record, in the order added
  std::int64_t event_id = 0;              ///< the event that added it
  std::string name;                       ///< the file's name, without its folder
  std::string media_type;                 ///< detected from the content, e.g. "image/jpeg"
  std::int64_t size = 0;                  ///< bytes
  std::string sha256;                     ///< lowercase hex of the content's SHA-256
  // Filled when read with its event:
  TimePoint at{};                         ///< when the event took effect
  std::string actor;                      ///< who added it
};

/// A signed checkpoint (`liaison audit checkpoint`): the chain's newest event and hash at
/// a moment, signed with an Ed25519 key held outside the database.
struct Checkpoint {
  std::int64_t id = 0;
  std::int64_t event_id = 0;
  std::string event_hash;
  TimePoint at{};
  std::string public_key;                 ///< hex of the raw 32-byte key
  std::string signature;                  ///< hex of the 64-byte signature over `statement`
  std::string statement;                  ///< the signed text (lib/services/checkpoint.h)
};

/// Who raised a record (投诉人身份): kept apart from the record and its events, shown only
/// to those allowed (lib/policy/access.h), every view logged. Anonymous = the filer said so.
struct Identity {
  bool anonymous = false;
  std::string name;
  std::string position;
  std::string organization;
  std::string phone;
  std::string salt;                       ///< random hex mixed into the filed event's digest
  /// Something was given (a name, position, organisation or phone).
  bool given() const { return !name.empty() || !position.empty() || !organization.empty() || !phone.empty(); }
};

/// An outside organisation or person in the registry (联系数据库).
struct Party {
  std::string id;                         ///< short code chosen at registration, e.g. "svw"
  std::string name;
  std::string type;                       ///< party type id from config
  std::string contact;
  std::string phone;
  std::string email;
  std::string address;
  std::string notes;
  TimePoint created_at{};
};

/// Overdue at `now` (the one meaning, liaison(1) OVERDUE): not closed, not waiting on an
/// outside party (its resolve clock is paused, and its deadline moves on resume), and its
/// resolve deadline has passed. The store's RecordFilter::overdue_at says the same in SQL.
inline bool is_overdue(const Record& record, TimePoint now) {
  return record.status != Status::closed && record.status != Status::waiting && record.due && *record.due < now;
}

}  // namespace liaison
