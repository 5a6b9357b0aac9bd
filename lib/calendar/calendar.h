// Working-time arithmetic: add a duration to a moment, measure the working time between
// two moments, and explain how a deadline was computed. Honours the weekly pattern,
// several intervals a day, holiday notices with makeup days, overrides and an IANA zone.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <date/date.h>

#include "config.h"
#include "duration.h"
#include "model.h"

namespace liaison {

/// What the calendar says of one local date, and why.
struct DayInfo {
  date::sys_days date;
  bool working = false;
  std::vector<DayInterval> hours;  ///< empty when not working
  /// Why: "override", "makeup" (调休上班, with the holiday's name), "holiday" (with its
  /// name), "weekend", "workday".
  std::string reason;
  std::string holiday;             ///< holiday name for "holiday"/"makeup", override reason
};

/// One line of a deadline explanation: a local date and what it contributed.
struct ExplainStep {
  date::sys_days date;
  std::string reason;              ///< as DayInfo::reason
  std::string holiday;
  std::int64_t working_seconds = 0;///< working time counted on that day
  int day_number = 0;              ///< for wd: which working day this is (0 = receipt day)
};

/// The working calendar of one organisation. Cheap to copy; immutable.
class WorkCalendar {
 public:
  /// Throws ConfigError if the time zone is unknown.
  explicit WorkCalendar(const CalendarConfig& config);

  /// start + d. Calendar units ignore the calendar. `wh` counts working seconds from the
  /// next working moment; `wd` ends at the close of the Nth working day after the local
  /// day of `start` (that day is day 0, whatever the hour or whether it is a working day).
  TimePoint add(TimePoint start, const Duration& d) const;
  /// start + `seconds` of working time (used to resume paused clocks).
  TimePoint add_working_seconds(TimePoint start, std::int64_t seconds) const;
  /// `start` itself when it falls inside working hours, else the start of the next
  /// working interval (a moment that is the end of an interval is not inside it).
  TimePoint next_working_moment(TimePoint start) const;
  /// Working seconds in [from, to); 0 when to <= from.
  std::int64_t working_seconds(TimePoint from, TimePoint to) const;
  /// The calendar's verdict on a local date.
  DayInfo day(date::sys_days local_date) const;
  /// True if [from, to] touches a year that no notice covers (deadline is provisional).
  bool provisional(TimePoint from, TimePoint to) const;
  /// How many working days have begun since `from`: the working days whose local date
  /// is after `from`'s and on or before `to`'s (0 when `to`'s date is not after
  /// `from`'s). This is "how late, in working days" for a deadline `from` at `to`.
  std::int64_t working_days_between(TimePoint from, TimePoint to) const;
  /// working_seconds(from, end) for many `from` and one `end`, exactly, at the cost of
  /// one day's spans and a lookup each: the working time of each day back from `end` is
  /// counted once (for the lateness of long lists: overdue, report).
  class SecondsUntil {
   public:
    SecondsUntil(const WorkCalendar& calendar, TimePoint end);
    std::int64_t from(TimePoint start);

   private:
    /// Working seconds from the local midnight that begins `day` (not after end's) to end.
    std::int64_t since_midnight_of(date::sys_days day);
    const WorkCalendar& calendar_;
    TimePoint end_;
    date::sys_days last_day_;
    /// suffix_[k]: working seconds from the midnight k days before end's day to end.
    std::vector<std::int64_t> suffix_;
    std::optional<date::sys_days> spans_day_;  ///< the day whose spans are in spans_
    std::vector<std::pair<TimePoint, TimePoint>> spans_;
  };
  /// True once `d` has passed from `from` to `to`: for wd, working_days_between >= N
  /// (so "1wd" after a Monday reminder is Tuesday, at any hour); for wh, at least N
  /// working hours; for calendar units, to - from >= d.
  bool has_elapsed(TimePoint from, TimePoint to, const Duration& d) const;
  /// The days that went into start + d, one step per day considered (non-working days
  /// included, so holidays and makeup days show up). Empty for calendar units.
  std::vector<ExplainStep> explain(TimePoint start, const Duration& d) const;

  /// Local date of a moment in the organisation's zone.
  date::sys_days local_date(TimePoint t) const;
  /// The UTC moment of a local date + minutes from local midnight.
  TimePoint at_local(date::sys_days day, int minutes) const;
  /// Formats a moment in the organisation's zone as ISO 8601 with offset
  /// ("2026-09-30T17:30:00+08:00").
  std::string format_iso(TimePoint t) const;
  /// Parses a time the user typed: ISO 8601 with offset or Z, or local
  /// "YYYY-MM-DD[ HH:MM[:SS]]" / "YYYY-MM-DDTHH:MM[:SS]" in the organisation's zone.
  /// nullopt if malformed.
  std::optional<TimePoint> parse_time(std::string_view text) const;
  /// Which moment of a span a time names where it is one end of a range (liaison(1), TIMES).
  enum class Bound {
    start,  ///< --since, --from, and every single time: the span's first instant
    end     ///< --until, --to (exclusive): the instant just after the span
  };
  /// What a person types for a time, as parse_time, and also, relative to `now` in the
  /// organisation's zone (ASCII letters in any case):
  ///   `now`; `today`, `yesterday`, `tomorrow`; a weekday, `monday` … `sunday`, `mon` …
  ///   `sun`, `周一`/`星期一` … `周日`/`星期日`/`星期天` (the latest such day, today
  ///   included); `YYYY-MM`, a month — each a span of local days, its start or its end
  ///   as `bound` says;
  ///   `-N` and a unit, N before now: `h` hours, `d` days, `w` weeks (the same local
  ///   time N days or 7N days ago), `mo` months (the same day of the month N months ago,
  ///   or its last day). `m` is not a unit here: in durations it means minutes.
  /// A date YYYY-MM-DD is still its midnight, whatever `bound`. nullopt if malformed.
  std::optional<TimePoint> parse_time(std::string_view text, TimePoint now, Bound bound) const;
  const std::string& timezone() const { return config_.timezone; }

 private:
  /// Holidays, makeup days and overrides keyed by date, built once in the constructor.
  struct Index;
  /// A stretch of working time in UTC, [first, second).
  using Span = std::pair<TimePoint, TimePoint>;

  /// The UTC spans of working time of a local date (empty when it is not working).
  std::vector<Span> working_spans(const DayInfo& info) const;
  /// The end of the last working interval of a working day, in UTC.
  TimePoint close_of_business(const DayInfo& info) const;
  /// Throws ConfigError when no working day can come on or after `local_date`.
  void require_working_time_after(date::sys_days local_date) const;
  /// start + `days` working days (see add()).
  TimePoint add_working_days(TimePoint start, std::int64_t days) const;

  CalendarConfig config_;
  /// Seconds east of UTC at `t`.
  std::int64_t offset_at(TimePoint t) const;
  /// The UTC moment of a local wall-clock time: the earlier one when it occurs twice, the
  /// moment of the switch when a DST switch skips it (date::choose::earliest).
  TimePoint to_sys(date::local_seconds local) const;
  std::shared_ptr<const Index> index_;
  /// Working days counted per date, filled on demand by working_days_between.
  struct DayCounts;
  mutable std::shared_ptr<DayCounts> day_counts_;
};

}  // namespace liaison
