// What is overdue: the store selects the obligations in SQL, in deadline order; this
// adds how late each is on the working calendar.
#include "overdue.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace liaison {

void for_each_overdue(const WorkCalendar& calendar, Store& store, const OverdueRequest& request,
                      const std::function<void(const OverdueEntry&)>& each) {
  OverdueQuery query;
  // Deadlines are whole seconds: "due by the end of --within" is "due before one second later".
  query.due_before = request.within ? calendar.add(request.now, *request.within) + std::chrono::seconds{1}
                                    : request.now;
  query.owners = request.departments;
  query.assignees = request.assignees;
  query.kinds = request.kinds;
  WorkCalendar::SecondsUntil late(calendar, request.now);
  store.overdue_obligations(query, [&](OverdueEntry& entry) {
    entry.overdue = entry.due < request.now;
    if (entry.overdue) {
      entry.late_working_days = calendar.working_days_between(entry.due, request.now);
      entry.late_working_seconds = late.from(entry.due);
    }
    each(entry);
  });
}

std::vector<OverdueEntry> find_overdue(const WorkCalendar& calendar, Store& store, const OverdueRequest& request) {
  std::vector<OverdueEntry> out;
  for_each_overdue(calendar, store, request, [&](const OverdueEntry& entry) { out.push_back(entry); });
  return out;
}

}  // namespace liaison
