// The personal view: what the acting user must do now (`liaison todo`) and the open
// deadlines of a user or a department (`liaison deadlines`, its iCalendar feed). Built
// on the read services, so every record comes redacted for the acting user as `list`
// gives it (lib/services/reads.h).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "model.h"
#include "services.h"

namespace liaison {

/// One deadline a record has still to meet: acknowledging it ("ack", while it is not
/// acknowledged) or resolving it ("resolve", while it is open and not waiting on an
/// outside party, whose resolve clock is paused).
struct OpenDeadline {
  Record record;            ///< redacted for the acting user; clocks not filled
  std::string obligation;   ///< "ack" or "resolve"; "receipt:<user>" in Todo::to_sign
  TimePoint due{};
  bool overdue = false;     ///< due before now
};

/// The next deadline of a record at `now`: its ack deadline while unacknowledged, else its
/// resolve deadline (not while waiting); nullopt when it has none left.
std::optional<OpenDeadline> next_deadline(const Record& record, TimePoint now);

/// The open deadlines of the records assigned to `user` (when not empty) and of the
/// records owned by `department` (when not empty), each once, and the receipts `user` has
/// still to sign, the approvals it is their turn to give (with a deadline) and the action
/// items they own and have not done, nearest
/// first (ties by reference, then obligation). The records are redacted for the acting user.
std::vector<OpenDeadline> open_deadlines(const Context& ctx, const std::string& user, const std::string& department);

/// What the acting user must do now (`liaison todo`).
struct Todo {
  std::string user;
  std::string department;   ///< the user's department; "" when they have none
  /// Whether they may acknowledge for their department (Access::may_act_on); when not,
  /// `to_acknowledge` stays empty.
  bool may_acknowledge = false;
  /// The end of the week `now` is in: the next Monday 00:00 in the organisation's zone.
  TimePoint week_end{};
  /// The records assigned to them that are not closed, nearest next deadline first,
  /// those without one last.
  std::vector<Record> assigned;
  /// The records of their department nobody has acknowledged yet, nearest ack deadline first.
  std::vector<Record> to_acknowledge;
  /// The notices they have still to sign for (file --recipient), closed ones too, each
  /// with its receipt deadline (obligation "receipt:<user>"), nearest first.
  std::vector<OpenDeadline> to_sign;
  /// The records whose approval it is their turn to give (not closed), those with a
  /// deadline first, nearest first; the deadline's obligation is "approval:<n>:<user>".
  std::vector<std::pair<Record, std::optional<OpenDeadline>>> to_approve;
  /// The action items they own and have not done (`liaison action`), closed meetings'
  /// too, nearest deadline first (obligation "action:<n>:<user>").
  std::vector<OpenDeadline> actions;
  /// The deadlines of both (their records and their department's) that fall before
  /// `week_end`, those already passed included, nearest first.
  std::vector<OpenDeadline> due_this_week;
};
/// UsageError when nobody is acting (user_or_me, lib/services/reads.h).
Todo read_todo(const Context& ctx);

}  // namespace liaison
