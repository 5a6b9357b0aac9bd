// Replaying a record's history: the state the record must be in after its
// events, field by field, and the first field where the stored record says otherwise.
// `liaison audit verify` feeds it each record with its events (Store::record_histories);
// no SQL and no I/O here.
//
// What each event sets (lib/services/services.cpp writes them so):
//   filed         every field given on filing (kind … notify, received_at), status open,
//                 created_at/created_by = the event's time and actor, and the clocks of its
//                 "clocks" list (started_at, due, given); topic, customer_ref, eight_d,
//                 their_ref and compliance_obligation are "" when the data does not give
//                 them (as for imported)
//   routed        owner = to, assignee
//   acknowledged  acked_at = its time; status open → acknowledged; the ack clock stops
//                 (stopped_at = its time, used_seconds when given)
//   escalated     escalated_to = to
//   waiting       status waiting; the resolve clock's paused_since = its time
//   resumed       status acknowledged if acked, else open; paused_since cleared; the
//                 resolve clock's due = "due" when given
//   notified      the clock "clock" names (a notification, "notify:<party>") stops at its
//                 time (used_seconds when given)
//   edited        each field its "to" object names (subject, body, topic, customer_ref,
//                 eight_d, capa, their_ref, compliance_obligation) = that value
//   closed        status closed, outcome, resolution, reply_via, capa, eight_d (when
//                 given), closed_at = its time; every clock not yet stopped stops at its
//                 time (used_seconds from "clocks" when given)
//   reopened      status acknowledged, acked_at = its time if none, outcome/resolution/
//                 reply_via/closed_at cleared (capa and eight_d kept); the resolve clock
//                 replaced by "clock" when given, else removed
// Every other type (logged, reminded, and types this version does not know) changes no
// field. A field the history never gives (an older version's filed event without it) is
// not compared.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <functional>
#include <vector>

#include "messages.h"
#include "model.h"

namespace liaison {

/// A field's value in a StateMismatch: text, or a moment (absent = none).
struct FieldValue {
  bool is_time = false;
  std::string text;                       ///< when !is_time; "" = empty
  std::optional<TimePoint> time;          ///< when is_time; nullopt = none
};

/// The first field in which a stored record differs from what its history gives.
struct StateMismatch {
  std::string ref;                        ///< the record's reference ("" for an orphan history)
  std::int64_t record_id = 0;
  std::string field;                      ///< "status", "owner", "clock resolve due", "history" …
  FieldValue stored;                      ///< as the records/clocks rows hold it
  FieldValue expected;                    ///< as the history gives it
  std::int64_t event_id = 0;              ///< the event that set the expected value; 0 = none
  Message problem;                        ///< for field "history": what is wrong with the history itself,
                                          ///< the record named ("EXT-2026-00001: the history starts …")
};

/// How a problem names a record: its reference, or "record id N" when it has none (a
/// history whose record is gone).
Message record_name(const std::string& ref, std::int64_t record_id);

/// The first field of `stored` (with its clocks) that differs from the state `history`
/// (its events, oldest first) gives; nullopt when they agree.
std::optional<StateMismatch> check_record_state(const Record& stored, const std::vector<Event>& history);
/// A mismatch in words: "EXT-2026-00001: status is "closed", but its history gives
/// "acknowledged" (event 7)", times as `format_time` writes them; or the history's own problem.
Message describe_mismatch(const StateMismatch& m, const std::function<std::string(TimePoint)>& format_time);

/// Parses the ISO 8601 times liaison writes into event data: "2026-09-30T17:30:00+08:00"
/// (or "…Z"); nullopt for anything else.
std::optional<TimePoint> parse_iso_time(std::string_view text);

}  // namespace liaison
