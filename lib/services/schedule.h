// Recurring obligations ([[schedule]] in liaison.toml): when each falls, and `liaison
// schedule run`, which files the record of each period whose day has come, once however
// often it runs (liaison-schedule(1)); `schedule list` shows what is coming and what
// was filed.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <date/date.h>

#include "services.h"

namespace liaison {

/// One time a schedule falls: its period ("2026-10", "2026-Q4", "2026-W41", "2026") and
/// the local date it falls on.
struct Occurrence {
  const Schedule* schedule = nullptr;
  std::string period;
  date::sys_days date;
};

/// The occurrences of `schedule` on the local dates [from, to], in date order. A day of
/// the month past its end is its last day (31 in February: the 28th or 29th); a working
/// day the month does not have (the 23rd of a short month) makes no occurrence.
std::vector<Occurrence> occurrences(const WorkCalendar& calendar, const Schedule& schedule, date::sys_days from,
                                    date::sys_days to);
/// The schedule's subject for an occurrence, its placeholders filled.
std::string occurrence_subject(const Occurrence& occurrence);

/// An occurrence that could not be filed, and why.
struct ScheduleFailure {
  Occurrence occurrence;
  Message message;
  Message hint;
};

/// What `schedule run` did.
struct ScheduleRun {
  std::vector<std::pair<Occurrence, Record>> filed;        ///< filed now (or, dry, to be)
  std::vector<std::pair<Occurrence, std::string>> before;  ///< filed by an earlier run: the reference
  /// The occurrences that could not be filed (the kind asks a field the schedule does
  /// not give, say) and why; the others are filed all the same.
  std::vector<ScheduleFailure> failed;
};
/// Files, for each schedule (`only`: those ids; empty = all), each occurrence from `since`
/// (default: 31 days before today) to today that has no record yet, each in its own
/// transaction: internal, owned by the schedule's department (and assigned to its user),
/// received at the start of the day it falls on, due by the schedule's `due` or else the
/// kind's. `dry_run` files nothing and says what it would file. NotFoundError for an id
/// in `only` that names no schedule, with "did you mean".
ScheduleRun run_schedules(Context& ctx, std::optional<date::sys_days> since, const std::vector<std::string>& only,
                          bool dry_run);

/// Where one schedule stands, for `schedule list`.
struct ScheduleStatus {
  const Schedule* schedule = nullptr;
  std::vector<Occurrence> next;  ///< the next occurrences not filed yet, from today
  /// The records it filed, (period, reference), those the acting user may read.
  std::vector<std::pair<std::string, std::string>> filed;
};
std::vector<ScheduleStatus> schedule_statuses(const Context& ctx, const std::vector<std::string>& only,
                                              std::size_t next_count);

}  // namespace liaison
