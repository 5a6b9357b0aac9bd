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


/// Every matching obligation, overdue first (most late first), then due soon (soonest
/// first); ties by reference, ack before resolve.
std::vector<OverdueEntry> find_overdue(const WorkCalendar& calendar, Store& store, const OverdueRequest& request);
/// The same, one entry at a time and in the same order, without holding the list: for
/// long lists (`liaison overdue` streams its output from here).
void for_each_overdue(const WorkCalendar& calendar, Store& store, const OverdueRequest& request,
                      const std::function<void(const OverdueEntry&)>& each);

}  // namespace liaison
