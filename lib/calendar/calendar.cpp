#include "calendar.h"
#include "utf8.h"

#include <algorithm>
#include <map>
#include <set>

#include <date/date.h>
#include <fmt/compile.h>
#include <fmt/format.h>

namespace liaison {

namespace {

constexpr int kMinutesPerDay = 24 * 60;
constexpr std::int64_t kSecondsPerHour = 60 * 60;
constexpr std::int64_t kSecondsPerDay = 24 * kSecondsPerHour;

/// Clamps intervals to one day, drops empty ones, sorts them and merges overlaps, so
/// that a day's intervals are always sorted and disjoint.
std::vector<DayInterval> normalized(std::vector<DayInterval> intervals) {
  for (auto& interval : intervals) {
    interval.start = std::clamp(interval.start, 0, kMinutesPerDay);
    interval.end = std::clamp(interval.end, 0, kMinutesPerDay);
  }
  std::erase_if(intervals, [](const DayInterval& i) { return i.end <= i.start; });
  std::sort(intervals.begin(), intervals.end(),
            [](const DayInterval& a, const DayInterval& b) { return a.start < b.start; });
  std::vector<DayInterval> merged;
  for (const auto& interval : intervals) {
    if (!merged.empty() && interval.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, interval.end);
    } else {
      merged.push_back(interval);
    }
  }
  return merged;
}

std::string iso_date(date::sys_days day) {
  const date::year_month_day ymd{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

/// A strict left-to-right reader for parse_time: fixed-width digit fields and literals.
class TextCursor {
 public:
  explicit TextCursor(std::string_view text) : text_(text) {}
  /// Reads exactly `count` ASCII digits into `value`.
  bool digits(int count, int& value) {
    if (text_.size() - position_ < static_cast<std::size_t>(count)) return false;
    value = 0;
    for (int i = 0; i < count; ++i) {
      const char c = text_[position_ + static_cast<std::size_t>(i)];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    position_ += static_cast<std::size_t>(count);
    return true;
  }
  /// Consumes `c` if it is next.
  bool accept(char c) {
    if (done() || text_[position_] != c) return false;
    ++position_;
    return true;
  }
  bool done() const { return position_ == text_.size(); }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
};

}  // namespace

struct WorkCalendar::Index {
  /// One override per date (the last one written wins), hours normalised.
  std::map<date::sys_days, CalendarOverride> overrides;
  /// Makeup working day → the name of the holiday it makes up for.
  std::map<date::sys_days, std::string> makeup_days;
  /// Rest day → holiday name (every day of every rest range).
  std::map<date::sys_days, std::string> rest_days;
  /// Years in which some notice has a holiday (the year its rest ends in).
  std::set<int> noticed_years;
  bool has_notices = false;
  /// The weekly pattern yields working time (some weekday works and hours are set).
  bool weekly_work = false;
  /// The last date that can be working because of an override or makeup day.
  std::optional<date::sys_days> last_special_working_date;
};

WorkCalendar::WorkCalendar(const CalendarConfig& config) : config_(config) {
  if (config_.zone_periods.empty()) {
    try {
      config_.zone_periods = zone_periods(config_.timezone);
    } catch (const std::exception&) {
      throw ConfigError(msg<Msg::unknown_time_zone>(config_.timezone), {});
    }
  }
  config_.hours = normalized(std::move(config_.hours));

  auto index = std::make_shared<Index>();
  auto note_special_working = [&index](date::sys_days day) {
    if (!index->last_special_working_date || *index->last_special_working_date < day) {
      index->last_special_working_date = day;
    }
  };
  for (auto override_day : config_.overrides) {
    override_day.hours = normalized(std::move(override_day.hours));
    if (override_day.work) note_special_working(override_day.date);
    index->overrides.insert_or_assign(override_day.date, std::move(override_day));
  }
  for (const auto& notice : config_.notices) {
    for (const auto& holiday : notice.holidays) {
      for (auto day = holiday.first; day <= holiday.last; day += date::days{1}) {
        index->rest_days.emplace(day, holiday.name);
      }
      for (const auto day : holiday.makeup) {
        index->makeup_days.emplace(day, holiday.name);
        note_special_working(day);
      }
      if (holiday.first <= holiday.last) {
        index->noticed_years.insert(static_cast<int>(date::year_month_day{holiday.last}.year()));
        index->has_notices = true;
      }
    }
  }
  index->weekly_work = !config_.hours.empty() &&
                       std::any_of(config_.workdays.begin(), config_.workdays.end(), [](bool b) { return b; });
  index_ = std::move(index);
}

DayInfo WorkCalendar::day(date::sys_days local_date) const {
  DayInfo info;
  info.date = local_date;
  if (auto found = index_->overrides.find(local_date); found != index_->overrides.end()) {
    const CalendarOverride& override_day = found->second;
    info.reason = "override";
    info.holiday = override_day.reason;
    if (override_day.work) info.hours = override_day.hours.empty() ? config_.hours : override_day.hours;
  } else if (auto makeup = index_->makeup_days.find(local_date); makeup != index_->makeup_days.end()) {
    info.reason = "makeup";
    info.holiday = makeup->second;
    info.hours = config_.hours;
  } else if (auto rest = index_->rest_days.find(local_date); rest != index_->rest_days.end()) {
    info.reason = "holiday";
    info.holiday = rest->second;
  } else {
    const unsigned weekday = date::weekday{local_date}.c_encoding();  // 0 = Sunday
    if (config_.workdays[weekday]) {
      info.reason = "workday";
      info.hours = config_.hours;
    } else {
      info.reason = "weekend";
    }
  }
  // A day without hours cannot hold working time, whatever the reason says.
  info.working = !info.hours.empty();
  return info;
}

std::int64_t WorkCalendar::offset_at(TimePoint t) const {
  const auto& periods = config_.zone_periods;
  auto after = std::upper_bound(periods.begin(), periods.end(), t.time_since_epoch().count(),
                                [](std::int64_t s, const ZonePeriod& p) { return s < p.begin; });
  return after == periods.begin() ? periods.front().offset : std::prev(after)->offset;
}

TimePoint WorkCalendar::to_sys(date::local_seconds local) const {
  // Period i holds UTC [begin_i, begin_i+1) and so local [begin_i + off_i, begin_i+1 + off_i).
  // Offsets stay within a day of UTC, so only periods near local - 1 day … local + 1 day
  // can hold it.
  const auto& periods = config_.zone_periods;
  const std::int64_t wall = local.time_since_epoch().count();
  constexpr std::int64_t kDay = 86400;
  auto by_begin = [](std::int64_t s, const ZonePeriod& p) { return s < p.begin; };
  auto first = std::upper_bound(periods.begin(), periods.end(), wall - kDay, by_begin);
  if (first != periods.begin()) --first;
  auto last = std::upper_bound(periods.begin(), periods.end(), wall + kDay, by_begin);
  for (auto p = first; p != last; ++p) {  // the earliest period that holds it
    std::int64_t utc = wall - p->offset;
    bool after_begin = p == periods.begin() || utc >= p->begin;
    bool before_end = std::next(p) == periods.end() || utc < std::next(p)->begin;
    if (after_begin && before_end) return TimePoint{std::chrono::seconds{utc}};
  }
  // Skipped by a switch: the wall time lies between two periods' local ranges.
  for (auto p = first; p != last && std::next(p) != periods.end(); ++p) {
    std::int64_t switch_at = std::next(p)->begin;
    if (wall >= switch_at + p->offset && wall < switch_at + std::next(p)->offset)
      return TimePoint{std::chrono::seconds{switch_at}};
  }
  return TimePoint{std::chrono::seconds{wall - offset_at(TimePoint{std::chrono::seconds{wall}})}};
}

date::sys_days WorkCalendar::local_date(TimePoint t) const {
  const auto local = t + std::chrono::seconds{offset_at(t)};
  return date::floor<date::days>(local);
}

// Wall-clock times that do not exist (skipped by a DST switch) map to the moment of the
// switch; ambiguous ones (repeated by a DST switch) map to their first occurrence. Both
// keep the mapping monotonic, so a day's intervals stay sorted and disjoint in UTC.
TimePoint WorkCalendar::at_local(date::sys_days day, int minutes) const {
  const date::local_seconds local{day.time_since_epoch() + std::chrono::minutes{minutes}};
  return to_sys(local);
}

std::vector<WorkCalendar::Span> WorkCalendar::working_spans(const DayInfo& info) const {
  std::vector<Span> spans;
  for (const auto& interval : info.hours) {
    const TimePoint begin = at_local(info.date, interval.start);
    const TimePoint end = at_local(info.date, interval.end);
    if (begin < end) spans.emplace_back(begin, end);  // empty when a DST gap swallows it
  }
  return spans;
}

TimePoint WorkCalendar::close_of_business(const DayInfo& info) const {
  return at_local(info.date, info.hours.back().end);
}

void WorkCalendar::require_working_time_after(date::sys_days local_date) const {
  if (index_->weekly_work) return;
  if (index_->last_special_working_date && local_date <= *index_->last_special_working_date) return;
  throw ConfigError(msg<Msg::no_working_time_after>(iso_date(local_date)), {});
}

TimePoint WorkCalendar::add(TimePoint start, const Duration& d) const {
  switch (d.unit) {
    case DurationUnit::minutes:
      return start + std::chrono::seconds{d.amount * 60};
    case DurationUnit::hours:
      return start + std::chrono::seconds{d.amount * kSecondsPerHour};
    case DurationUnit::days:
      return start + std::chrono::seconds{d.amount * kSecondsPerDay};
    case DurationUnit::working_hours:
      // 0wh is where the clock starts: the next working moment (liaison.toml(5)).
      if (d.amount <= 0) return next_working_moment(start);
      return add_working_seconds(start, d.amount * kSecondsPerHour);
    case DurationUnit::working_days:
      return add_working_days(start, d.amount);
  }
  return start;
}

// The result is the earliest moment by which `seconds` of working time have passed since
// `start`: it may be the end of an interval, never the start of the next one, and it is
// `start` itself for 0.
TimePoint WorkCalendar::add_working_seconds(TimePoint start, std::int64_t seconds) const {
  if (seconds <= 0) return start;
  std::int64_t remaining = seconds;
  // Begin a day early: cheap, and safe in zones whose local midnight is ambiguous.
  for (auto current = local_date(start) - date::days{1};; current += date::days{1}) {
    require_working_time_after(current);
    for (const auto& [begin, end] : working_spans(day(current))) {
      if (end <= start) continue;
      const TimePoint from = std::max(begin, start);
      const std::int64_t available = (end - from).count();
      if (remaining <= available) return from + std::chrono::seconds{remaining};
      remaining -= available;
    }
  }
}

TimePoint WorkCalendar::next_working_moment(TimePoint start) const {
  for (auto current = local_date(start) - date::days{1};; current += date::days{1}) {
    require_working_time_after(current);
    for (const auto& [begin, end] : working_spans(day(current)))
      if (end > start) return std::max(begin, start);
  }
}

// Day 0 is the local date of `start`. N >= 1 ends at the close of the Nth working day
// after it. 0wd ends at the close of the first working day, from day 0 on, whose close
// is after `start`: day 0 itself when it is a working day received before its close,
// otherwise the next working day (a deadline never precedes its receipt, nor is it the
// receipt itself).
TimePoint WorkCalendar::add_working_days(TimePoint start, std::int64_t days) const {
  auto current = local_date(start);
  if (days <= 0) {
    for (;; current += date::days{1}) {
      require_working_time_after(current);
      const DayInfo info = day(current);
      if (info.working && close_of_business(info) > start) return close_of_business(info);
    }
  }
  std::int64_t counted = 0;
  for (;;) {
    current += date::days{1};
    require_working_time_after(current);
    const DayInfo info = day(current);
    if (info.working && ++counted == days) return close_of_business(info);
  }
}

std::int64_t WorkCalendar::working_seconds(TimePoint from, TimePoint to) const {
  if (to <= from) return 0;
  std::int64_t total = 0;
  const auto last = local_date(to) + date::days{1};
  for (auto current = local_date(from) - date::days{1}; current <= last; current += date::days{1}) {
    for (const auto& [begin, end] : working_spans(day(current))) {
      const TimePoint overlap_begin = std::max(begin, from);
      const TimePoint overlap_end = std::min(end, to);
      if (overlap_begin < overlap_end) total += (overlap_end - overlap_begin).count();
    }
  }
  return total;
}

// A prefix count of working days over a contiguous range of local dates, grown as
// needed, so counting the days late of many records costs one lookup each.
struct WorkCalendar::DayCounts {
  date::sys_days first{};
  std::vector<std::int64_t> before;  ///< before[i] = working days in [first, first + i)
};

std::int64_t WorkCalendar::working_days_between(TimePoint from, TimePoint to) const {
  const date::sys_days a = local_date(from);
  const date::sys_days b = local_date(to);
  if (b <= a) return 0;
  if (!day_counts_) day_counts_ = std::make_shared<DayCounts>();
  DayCounts& counts = *day_counts_;
  auto covers = [&](date::sys_days d) {
    return !counts.before.empty() && d >= counts.first &&
           (d - counts.first).count() < static_cast<std::int64_t>(counts.before.size());
  };
  if (!covers(a) || !covers(b + date::days{1})) {
    // Rebuild over the union of the old range and [a, b + 1], with some slack.
    date::sys_days lo = a - date::days{31};
    date::sys_days hi = b + date::days{32};
    if (!counts.before.empty()) {
      lo = std::min(lo, counts.first);
      hi = std::max(hi, counts.first + date::days{static_cast<int>(counts.before.size())});
    }
    counts.first = lo;
    counts.before.assign(static_cast<std::size_t>((hi - lo).count()) + 1, 0);
    std::int64_t n = 0;
    for (std::size_t i = 0; i < counts.before.size(); ++i) {
      counts.before[i] = n;
      if (day(lo + date::days{static_cast<int>(i)}).working) ++n;
    }
  }
  auto at = [&](date::sys_days d) { return counts.before[static_cast<std::size_t>((d - counts.first).count())]; };
  // Working days in (a, b] = in [a + 1, b + 1).
  return at(b + date::days{1}) - at(a + date::days{1});
}

WorkCalendar::SecondsUntil::SecondsUntil(const WorkCalendar& calendar, TimePoint end)
    : calendar_(calendar), end_(end), last_day_(calendar.local_date(end)) {}

// Working time is a sum over disjoint spans, so it splits at local midnights: the rest of
// the start's own day, then whole days up to the end (summed once, from the end back).
std::int64_t WorkCalendar::SecondsUntil::from(TimePoint start) {
  if (start >= end_) return 0;
  const date::sys_days day = calendar_.local_date(start);
  if (day >= last_day_) return calendar_.working_seconds(start, end_);
  if (spans_day_ != day) {
    spans_ = calendar_.working_spans(calendar_.day(day));
    spans_day_ = day;
  }
  std::int64_t rest_of_day = 0;
  for (const auto& [begin, end] : spans_)
    if (end > start) rest_of_day += (end - std::max(begin, start)).count();
  return rest_of_day + since_midnight_of(day + date::days{1});
}

std::int64_t WorkCalendar::SecondsUntil::since_midnight_of(date::sys_days day) {
  const auto back = static_cast<std::size_t>((last_day_ - day).count());
  while (suffix_.size() <= back) {
    const date::sys_days d = last_day_ - date::days{static_cast<int>(suffix_.size())};
    const TimePoint stop = d == last_day_ ? end_ : calendar_.at_local(d + date::days{1}, 0);
    const std::int64_t own = calendar_.working_seconds(calendar_.at_local(d, 0), stop);
    suffix_.push_back((suffix_.empty() ? 0 : suffix_.back()) + own);
  }
  return suffix_[back];
}

bool WorkCalendar::has_elapsed(TimePoint from, TimePoint to, const Duration& d) const {
  switch (d.unit) {
    case DurationUnit::working_days:
      return working_days_between(from, to) >= d.amount;
    case DurationUnit::working_hours:
      return working_seconds(from, to) >= d.amount * 3600;
    default:
      return to >= from && add(from, d) <= to;
  }
}

// A year counts as covered when some notice has a holiday whose rest ends in that year
// (so a New Year holiday starting on 31 December belongs to the new year's notice).
bool WorkCalendar::provisional(TimePoint from, TimePoint to) const {
  if (!index_->has_notices) return false;
  const int first_year = static_cast<int>(date::year_month_day{local_date(std::min(from, to))}.year());
  const int last_year = static_cast<int>(date::year_month_day{local_date(std::max(from, to))}.year());
  for (int year = first_year; year <= last_year; ++year) {
    if (!index_->noticed_years.contains(year)) return true;
  }
  return false;
}

// For wd, day_number is 0 on the receipt day and on days not counted (non-working days),
// and N on the Nth working day after the receipt day. For wh it is always 0.
// working_seconds is the working time of that day inside [start, deadline).
std::vector<ExplainStep> WorkCalendar::explain(TimePoint start, const Duration& d) const {
  std::vector<ExplainStep> steps;
  if (d.is_calendar()) return steps;
  const TimePoint deadline = add(start, d);
  const auto first = local_date(start);
  const auto last = local_date(deadline);
  int working_day_number = 0;
  for (auto current = first; current <= last; current += date::days{1}) {
    const DayInfo info = day(current);
    ExplainStep step;
    step.date = current;
    step.reason = info.reason;
    step.holiday = info.holiday;
    for (const auto& [begin, end] : working_spans(info)) {
      const TimePoint overlap_begin = std::max(begin, start);
      const TimePoint overlap_end = std::min(end, deadline);
      if (overlap_begin < overlap_end) step.working_seconds += (overlap_end - overlap_begin).count();
    }
    if (d.unit == DurationUnit::working_days && current != first && info.working) {
      step.day_number = ++working_day_number;
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

std::string WorkCalendar::format_iso(TimePoint t) const {
  const std::chrono::seconds offset{offset_at(t)};
  const auto local = t + offset;
  const auto local_day = date::floor<date::days>(local);
  const date::year_month_day ymd{local_day};
  const date::hh_mm_ss<std::chrono::seconds> time_of_day{local - local_day};
  const auto offset_minutes = std::chrono::duration_cast<std::chrono::minutes>(offset).count();
  const auto magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  // Compiled format: parsing the format string at run time was most of the cost of
  // printing long lists (every row has times); a plain buffer, not a growing string.
  char text[40];
  char* end = fmt::format_to(text, FMT_COMPILE("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}"),
                             static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                             static_cast<unsigned>(ymd.day()), time_of_day.hours().count(),
                             time_of_day.minutes().count(), time_of_day.seconds().count(),
                             offset_minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
  return std::string(text, end);
}

// Local forms are read in the organisation's zone with the same DST rule as at_local.
// Offsets may be written ±HH:MM, ±HHMM or ±HH; fractions of a second are not accepted.
std::optional<TimePoint> WorkCalendar::parse_time(std::string_view text) const {
  TextCursor cursor(text);
  int year = 0, month = 0, day_of_month = 0;
  if (!cursor.digits(4, year) || !cursor.accept('-') || !cursor.digits(2, month) || !cursor.accept('-') ||
      !cursor.digits(2, day_of_month)) {
    return std::nullopt;
  }
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(day_of_month)}};
  if (!ymd.ok()) return std::nullopt;
  const date::local_days local_day{ymd};
  if (cursor.done()) return to_sys(date::local_seconds{local_day});

  if (!cursor.accept('T') && !cursor.accept(' ')) return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  if (!cursor.digits(2, hour) || !cursor.accept(':') || !cursor.digits(2, minute)) return std::nullopt;
  if (cursor.accept(':') && !cursor.digits(2, second)) return std::nullopt;
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  const date::local_seconds local =
      local_day + std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second};
  if (cursor.done()) return to_sys(local);

  std::chrono::seconds offset{0};
  if (cursor.accept('Z')) {
    // UTC
  } else {
    int sign = 0;
    if (cursor.accept('+')) sign = 1;
    else if (cursor.accept('-')) sign = -1;
    else return std::nullopt;
    int offset_hours = 0, offset_minutes = 0;
    if (!cursor.digits(2, offset_hours)) return std::nullopt;
    if (!cursor.done()) {
      cursor.accept(':');
      if (!cursor.digits(2, offset_minutes)) return std::nullopt;
    }
    if (offset_hours > 23 || offset_minutes > 59) return std::nullopt;
    offset = sign * (std::chrono::hours{offset_hours} + std::chrono::minutes{offset_minutes});
  }
  if (!cursor.done()) return std::nullopt;
  return TimePoint{local.time_since_epoch() - offset};
}

namespace {


/// The weekday a name gives: English in full or in three letters, or 周一 / 星期一 … .
std::optional<date::weekday> weekday_named(const std::string& name) {
  static const std::vector<std::pair<std::vector<std::string_view>, unsigned>> names = {
      {{"monday", "mon", "周一", "星期一"}, 1},   {{"tuesday", "tue", "周二", "星期二"}, 2},
      {{"wednesday", "wed", "周三", "星期三"}, 3}, {{"thursday", "thu", "周四", "星期四"}, 4},
      {{"friday", "fri", "周五", "星期五"}, 5},   {{"saturday", "sat", "周六", "星期六"}, 6},
      {{"sunday", "sun", "周日", "星期日", "星期天", "周天"}, 0}};
  for (const auto& [spellings, number] : names)
    for (const auto spelling : spellings)
      if (name == spelling) return date::weekday{number};
  return std::nullopt;
}

/// "-N" and a unit: the count and the unit, or nullopt.
std::optional<std::pair<int, std::string>> relative_amount(const std::string& text) {
  if (text.size() < 3 || text[0] != '-') return std::nullopt;
  std::size_t i = 1;
  int count = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (count > 100000) return std::nullopt;  // far outside the range of times kept
    count = count * 10 + (text[i] - '0');
    ++i;
  }
  if (i == 1) return std::nullopt;
  std::string unit = text.substr(i);
  if (unit != "h" && unit != "d" && unit != "w" && unit != "mo") return std::nullopt;
  return std::pair{count, unit};
}

}  // namespace

std::optional<TimePoint> WorkCalendar::parse_time(std::string_view text, TimePoint now, Bound bound) const {
  if (auto exact = parse_time(text)) return exact;
  const std::string word = ascii_lower(text);
  if (word == "now") return now;
  // A span of local days [first, last]: its first instant, or the instant after it.
  auto span = [&](date::sys_days first, date::sys_days last) {
    const date::sys_days day = bound == Bound::start ? first : last + date::days{1};
    return to_sys(date::local_seconds{date::local_days{day.time_since_epoch()}});
  };
  const date::sys_days today = local_date(now);
  if (word == "today") return span(today, today);
  if (word == "yesterday") return span(today - date::days{1}, today - date::days{1});
  if (word == "tomorrow") return span(today + date::days{1}, today + date::days{1});
  if (auto wd = weekday_named(word)) {
    const date::sys_days day = today - (date::weekday{today} - *wd);
    return span(day, day);
  }
  // YYYY-MM: a month.
  TextCursor cursor(text);
  int year = 0, month = 0;
  if (cursor.digits(4, year) && cursor.accept('-') && cursor.digits(2, month) && cursor.done()) {
    if (month < 1 || month > 12) return std::nullopt;
    const date::year_month ym{date::year{year}, date::month{static_cast<unsigned>(month)}};
    return span(date::sys_days{ym / 1}, date::sys_days{ym / date::last});
  }
  const auto amount = relative_amount(word);
  if (!amount) return std::nullopt;
  const auto [count, unit] = *amount;
  if (unit == "h") return now - std::chrono::hours{count};
  // Days, weeks and months are counted on the local calendar: the same wall-clock time.
  const std::chrono::seconds offset{offset_at(now)};
  const date::local_seconds local{(now + offset).time_since_epoch()};
  const date::local_days local_day = date::floor<date::days>(local);
  const auto time_of_day = local - local_day;
  date::local_days day = local_day;
  if (unit == "d") day -= date::days{count};
  if (unit == "w") day -= date::days{7 * count};
  if (unit == "mo") {
    const date::year_month_day ymd{local_day};
    const date::year_month ym = date::year_month{ymd.year(), ymd.month()} - date::months{count};
    if (!ym.ok()) return std::nullopt;
    const date::year_month_day_last last_of{ym / date::last};
    day = date::local_days{ym / std::min(ymd.day(), last_of.day())};
  }
  return to_sys(day + time_of_day);
}

}  // namespace liaison
