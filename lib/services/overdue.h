// What is overdue, or falls due soon: `liaison overdue`, and the input of `liaison remind`.
// The selection is done in SQL by the store; lateness is counted on the working calendar.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "calendar.h"
#include "config.h"
#include "duration.h"
#include "model.h"
#include "store.h"

namespace liaison {

/// Which obligations to look at.
struct OverdueRequest {
  TimePoint now{};
  /// Also what falls due by calendar.add(now, within) (e.g. "2wd"); nullopt = overdue only.
  std::optional<Duration> within;
  std::vector<std::string> departments;  ///< owner department ids (--dept); empty = any
  std::vector<std::string> assignees;    ///< --assignee; empty = any
  std::vector<std::string> kinds;        ///< --kind; empty = any
};

/// One obligation of one record that is overdue (or due soon).
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
  Status status = Status::open;          ///< open, acknowledged or waiting (never closed)
  /// "ack": not acknowledged and ack_due has passed (or is near);
  /// "resolve": not closed, not waiting, and due has passed (or is near).
  std::string obligation;
  TimePoint due{};
  bool overdue = false;                  ///< due < now; false = only due within --within
  std::int64_t late_working_days = 0;    ///< WorkCalendar::working_days_between(due, now); 0 if not overdue
  std::int64_t late_working_seconds = 0; ///< WorkCalendar::working_seconds(due, now); 0 if not overdue
};

/// Every matching obligation, overdue first (most late first), then due soon (soonest
/// first); ties by reference, ack before resolve.
std::vector<OverdueEntry> find_overdue(const WorkCalendar& calendar, Store& store, const OverdueRequest& request);
/// The same, one entry at a time and in the same order, without holding the list: for
/// long lists (`liaison overdue` streams its output from here).
void for_each_overdue(const WorkCalendar& calendar, Store& store, const OverdueRequest& request,
                      const std::function<void(const OverdueEntry&)>& each);

}  // namespace liaison
