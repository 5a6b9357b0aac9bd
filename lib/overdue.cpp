// What is overdue: the store selects the obligations in SQL, in deadline order; this
// adds how late each is on the working calendar.
#include "overdue.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace liaison {
namespace {

/// Working seconds from a deadline to "now", for many deadlines. WorkCalendar::
/// working_seconds walks every day in between, which for a year-old deadline is hundreds
/// of days per record; here each day's working time is counted once per run and summed
/// back from today, so a deadline costs its own day plus one lookup.
class LateCounter {
 public:
  LateCounter(const WorkCalendar& calendar, TimePoint now)
      : calendar_(calendar), now_(now), today_(calendar.local_date(now)) {}

  /// calendar.working_seconds(due, now), exactly: working time is a sum over disjoint
  /// spans, so it splits at local midnights.
  std::int64_t working_seconds_since(TimePoint due) {
    if (due >= now_) return 0;
    const date::sys_days day = calendar_.local_date(due);
    if (day >= today_) return calendar_.working_seconds(due, now_);
    // The rest of the deadline's own day: only that day's spans can lie between the
    // deadline and the next local midnight.
    std::int64_t rest_of_day = 0;
    for (const auto& [begin, end] : spans_of(day))
      if (end > due) rest_of_day += (end - std::max(begin, due)).count();
    return rest_of_day + since_midnight_of(day + date::days{1});
  }

 private:
  using Span = std::pair<TimePoint, TimePoint>;

  /// The working spans of a local date in UTC. The deadlines come in order, so the last
  /// day asked about is usually the one asked about next.
  const std::vector<Span>& spans_of(date::sys_days day) {
    if (spans_day_ != day || !spans_known_) {
      spans_.clear();
      for (const DayInterval& interval : calendar_.day(day).hours) {
        const TimePoint begin = calendar_.at_local(day, interval.start), end = calendar_.at_local(day, interval.end);
        if (begin < end) spans_.emplace_back(begin, end);
      }
      spans_day_ = day;
      spans_known_ = true;
    }
    return spans_;
  }

  /// Working seconds from the local midnight that begins `day` (not after today) to now.
  std::int64_t since_midnight_of(date::sys_days day) {
    const auto back = static_cast<std::size_t>((today_ - day).count());
    while (suffix_.size() <= back) {
      const date::sys_days d = today_ - date::days{static_cast<int>(suffix_.size())};
      const TimePoint end = d == today_ ? now_ : calendar_.at_local(d + date::days{1}, 0);
      const std::int64_t own = calendar_.working_seconds(calendar_.at_local(d, 0), end);
      suffix_.push_back((suffix_.empty() ? 0 : suffix_.back()) + own);
    }
    return suffix_[back];
  }

  const WorkCalendar& calendar_;
  TimePoint now_;
  date::sys_days today_;
  /// suffix_[k]: working seconds from the midnight k days before today's to now.
  std::vector<std::int64_t> suffix_;
  date::sys_days spans_day_{};
  bool spans_known_ = false;
  std::vector<Span> spans_;
};

}  // namespace

void for_each_overdue(const WorkCalendar& calendar, Store& store, const OverdueRequest& request,
                      const std::function<void(const OverdueEntry&)>& each) {
  OverdueQuery query;
  // Deadlines are whole seconds: "due by the end of --within" is "due before one second later".
  query.due_before = request.within ? calendar.add(request.now, *request.within) + std::chrono::seconds{1}
                                    : request.now;
  query.owners = request.departments;
  query.assignees = request.assignees;
  query.kinds = request.kinds;
  LateCounter late(calendar, request.now);
  store.overdue_obligations(query, [&](OverdueEntry& entry) {
    entry.overdue = entry.due < request.now;
    if (entry.overdue) {
      entry.late_working_days = calendar.working_days_between(entry.due, request.now);
      entry.late_working_seconds = late.working_seconds_since(entry.due);
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
