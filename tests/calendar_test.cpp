// Tests of lib/calendar/calendar.cpp: working-time arithmetic on the official Chinese 2025 and
// 2026 calendars (../shared/data/cn-calendar-2025-2026.toml), out-of-hours receipt,
// DST zones, long horizons, explanations, and parsing/formatting of times.
#include "calendar.h"

#include <chrono>
#include <random>
#include <set>

#include <doctest/doctest.h>

namespace liaison {
namespace {

using date::April;
using date::August;
using date::December;
using date::February;
using date::January;
using date::July;
using date::June;
using date::March;
using date::May;
using date::November;
using date::October;
using date::September;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

date::sys_days ymd(int year, date::month month, unsigned day) {
  return date::sys_days{date::year{year} / month / date::day{day}};
}

/// A UTC moment given as the wall-clock time of a zone whose offset the caller knows.
TimePoint at_offset(date::sys_days day, int hour, int minute, hours utc_offset) {
  return TimePoint{day} + hours{hour} + minutes{minute} - utc_offset;
}

/// A moment in Asia/Shanghai (UTC+8 all year, no DST).
TimePoint beijing(int year, date::month month, unsigned day, int hour, int minute = 0) {
  return at_offset(ymd(year, month, day), hour, minute, hours{8});
}

Holiday holiday(std::string name, date::sys_days first, date::sys_days last, std::vector<date::sys_days> makeup) {
  return Holiday{std::move(name), first, last, std::move(makeup)};
}

std::vector<DayInterval> office_hours() { return {{8 * 60 + 30, 12 * 60}, {13 * 60, 17 * 60 + 30}}; }

std::array<bool, 7> monday_to_friday() { return {false, true, true, true, true, true, false}; }

/// The official 2025 and 2026 notices, as in ../shared/data/cn-calendar-2025-2026.toml.
std::vector<CalendarNotice> chinese_notices() {
  CalendarNotice notice2025{"国务院办公厅关于2025年部分节假日安排的通知", {}};
  notice2025.holidays = {
      holiday("元旦", ymd(2025, January, 1), ymd(2025, January, 1), {}),
      holiday("春节", ymd(2025, January, 28), ymd(2025, February, 4),
              {ymd(2025, January, 26), ymd(2025, February, 8)}),
      holiday("清明节", ymd(2025, April, 4), ymd(2025, April, 6), {}),
      holiday("劳动节", ymd(2025, May, 1), ymd(2025, May, 5), {ymd(2025, April, 27)}),
      holiday("端午节", ymd(2025, May, 31), ymd(2025, June, 2), {}),
      holiday("国庆节、中秋节", ymd(2025, October, 1), ymd(2025, October, 8),
              {ymd(2025, September, 28), ymd(2025, October, 11)}),
  };
  CalendarNotice notice2026{"国务院办公厅关于2026年部分节假日安排的通知", {}};
  notice2026.holidays = {
      holiday("元旦", ymd(2026, January, 1), ymd(2026, January, 3), {ymd(2026, January, 4)}),
      holiday("春节", ymd(2026, February, 15), ymd(2026, February, 23),
              {ymd(2026, February, 14), ymd(2026, February, 28)}),
      holiday("清明节", ymd(2026, April, 4), ymd(2026, April, 6), {}),
      holiday("劳动节", ymd(2026, May, 1), ymd(2026, May, 5), {ymd(2026, May, 9)}),
      holiday("端午节", ymd(2026, June, 19), ymd(2026, June, 21), {}),
      holiday("中秋节", ymd(2026, September, 25), ymd(2026, September, 27), {}),
      holiday("国庆节", ymd(2026, October, 1), ymd(2026, October, 7),
              {ymd(2026, September, 20), ymd(2026, October, 10)}),
  };
  return {notice2025, notice2026};
}

/// Asia/Shanghai, Mon-Fri, 08:30-12:00 and 13:00-17:30, official 2025 + 2026 holidays.
CalendarConfig chinese_config() {
  CalendarConfig config;
  config.timezone = "Asia/Shanghai";
  config.workdays = monday_to_friday();
  config.hours = office_hours();
  config.notices = chinese_notices();
  return config;
}

WorkCalendar chinese_calendar() { return WorkCalendar(chinese_config()); }

/// A plain Mon-Fri calendar in `zone` with `hours` and no holidays.
WorkCalendar weekly_calendar(std::string zone, std::vector<DayInterval> intervals,
                             std::array<bool, 7> workdays = monday_to_friday()) {
  CalendarConfig config;
  config.timezone = std::move(zone);
  config.workdays = workdays;
  config.hours = std::move(intervals);
  return WorkCalendar(config);
}

Duration duration(std::string_view text) {
  auto parsed = Duration::parse(text);
  REQUIRE(parsed.has_value());
  return *parsed;
}

}  // namespace

TEST_CASE("calendar: 3wd from Friday 2025-09-26 counts the makeup Sunday 09-28") {
  const auto calendar = chinese_calendar();
  const TimePoint due = calendar.add(beijing(2025, September, 26, 10), duration("3wd"));
  CHECK(due == beijing(2025, September, 30, 17, 30));
  CHECK(calendar.format_iso(due) == "2025-09-30T17:30:00+08:00");
}

TEST_CASE("calendar: 5wd across National Day 2026 skips 10-01..10-07 and counts makeup Saturday 10-10") {
  const auto calendar = chinese_calendar();
  // Filed Tue 09-29. Day 1 Wed 09-30; rest Thu 10-01 .. Wed 10-07; day 2 Thu 10-08;
  // day 3 Fri 10-09; day 4 Sat 10-10 (makeup); Sun 10-11 weekend; day 5 Mon 10-12.
  const TimePoint filed = beijing(2026, September, 29, 10);
  CHECK(calendar.add(filed, duration("5wd")) == beijing(2026, October, 12, 17, 30));
  CHECK(calendar.add(filed, duration("4wd")) == beijing(2026, October, 10, 17, 30));
  CHECK(calendar.add(filed, duration("1wd")) == beijing(2026, September, 30, 17, 30));
  CHECK(calendar.add(filed, duration("2wd")) == beijing(2026, October, 8, 17, 30));
  // Filed on the makeup Sunday 09-20: that day is day 0, Mon 09-21 is day 1.
  CHECK(calendar.add(beijing(2026, September, 20, 9), duration("1wd")) == beijing(2026, September, 21, 17, 30));
}

TEST_CASE("calendar: 8wh received Friday 20:00 ends at the close of the next working day") {
  const auto calendar = chinese_calendar();
  // Fri 2025-10-17 20:00; Monday 10-20 has 3.5 h + 4.5 h = 8 h, ending exactly at 17:30,
  // which must be returned rather than the next morning's 08:30.
  const TimePoint received = beijing(2025, October, 17, 20);
  const TimePoint due = calendar.add(received, duration("8wh"));
  CHECK(due == beijing(2025, October, 20, 17, 30));
  CHECK(calendar.working_seconds(received, due) == 8 * 3600);
  CHECK(calendar.add(received, duration("9wh")) == beijing(2025, October, 21, 9, 30));
}

TEST_CASE("calendar: receipt on a holiday") {
  const auto calendar = chinese_calendar();
  // Fri 2025-10-03 is a rest day (rest 10-01..10-08). Day 1 Thu 10-09, day 2 Fri 10-10.
  const TimePoint received = beijing(2025, October, 3, 9);
  CHECK(calendar.add(received, duration("2wd")) == beijing(2025, October, 10, 17, 30));
  // Working hours start at the next working moment: Thu 10-09 08:30.
  CHECK(calendar.add(received, duration("1wh")) == beijing(2025, October, 9, 9, 30));
  // Sat 10-11 is a makeup day: 3wd lands on it.
  CHECK(calendar.add(received, duration("3wd")) == beijing(2025, October, 11, 17, 30));
}

TEST_CASE("calendar: the lunch break is not working time") {
  const auto calendar = chinese_calendar();
  CHECK(calendar.add(beijing(2025, September, 29, 11, 30), duration("1wh")) == beijing(2025, September, 29, 13, 30));
  CHECK(calendar.add_working_seconds(beijing(2025, September, 29, 11, 30), 30 * 60) ==
        beijing(2025, September, 29, 12));
  CHECK(calendar.add_working_seconds(beijing(2025, September, 29, 12, 15), 1) ==
        beijing(2025, September, 29, 13) + seconds{1});
  CHECK(calendar.working_seconds(beijing(2025, September, 29, 11), beijing(2025, September, 29, 14)) == 2 * 3600);
}

TEST_CASE("calendar: 0wd") {
  const auto calendar = chinese_calendar();
  // A working day received before its close: that day's close.
  CHECK(calendar.add(beijing(2025, September, 29, 10), duration("0wd")) == beijing(2025, September, 29, 17, 30));
  // A Saturday: the close of the next working day (Mon 2025-09-22).
  CHECK(calendar.add(beijing(2025, September, 20, 10), duration("0wd")) == beijing(2025, September, 22, 17, 30));
  // A working day received after its close: the deadline never precedes the receipt.
  CHECK(calendar.add(beijing(2025, September, 29, 20), duration("0wd")) == beijing(2025, September, 30, 17, 30));
  // Exactly at the close is not before it: the close of the next working day, never the
  // receipt instant itself (liaison.toml(5): "arrived before its close").
  CHECK(calendar.add(beijing(2025, September, 29, 17, 30), duration("0wd")) == beijing(2025, September, 30, 17, 30));
  CHECK(calendar.add(beijing(2025, September, 29, 17, 29), duration("0wd")) == beijing(2025, September, 29, 17, 30));
}

TEST_CASE("calendar: 0wh is the next working moment") {
  const auto calendar = chinese_calendar();
  // Inside working hours: the moment itself.
  CHECK(calendar.add(beijing(2025, September, 29, 10), duration("0wh")) == beijing(2025, September, 29, 10));
  // At the close, which ends the interval: the next morning's start, not the receipt.
  CHECK(calendar.add(beijing(2025, September, 29, 17, 30), duration("0wh")) == beijing(2025, September, 30, 8, 30));
  // In the lunch break: the afternoon's start.
  CHECK(calendar.add(beijing(2025, September, 29, 12, 10), duration("0wh")) == calendar.add(beijing(2025, September, 29, 12, 10), duration("1wh")) - std::chrono::hours{1});
  // A rest day at night: the next working day's start.
  CHECK(calendar.add(beijing(2025, September, 27, 3), duration("0wh")) ==
        calendar.add(beijing(2025, September, 27, 3), duration("1wh")) - std::chrono::hours{1});
  CHECK(calendar.add(beijing(2025, September, 27, 3), duration("0wh")) > beijing(2025, September, 27, 3));
}

TEST_CASE("calendar: calendar units ignore the calendar") {
  const auto calendar = chinese_calendar();
  const TimePoint start = beijing(2025, October, 1, 10);  // a holiday
  CHECK(calendar.add(start, duration("30m")) == start + minutes{30});
  CHECK(calendar.add(start, duration("24h")) == start + hours{24});
  CHECK(calendar.add(start, duration("2d")) == start + hours{48});
  CHECK(calendar.explain(start, duration("2d")).empty());
}

TEST_CASE("calendar: DST in Europe/Berlin across 2026-03-29 and 2026-10-25") {
  const auto berlin = weekly_calendar("Europe/Berlin", office_hours());
  const hours cet{1};
  const hours cest{2};
  // Fri 03-27 16:00 CET: 1.5 h left that day; Mon 03-30 (CEST) 08:30-12:00 + 13:00-16:00.
  const TimePoint friday = at_offset(ymd(2026, March, 27), 16, 0, cet);
  const TimePoint due = berlin.add(friday, duration("8wh"));
  CHECK(due == at_offset(ymd(2026, March, 30), 16, 0, cest));
  CHECK(berlin.format_iso(due) == "2026-03-30T16:00:00+02:00");
  CHECK(berlin.working_seconds(friday, due) == 8 * 3600);
  CHECK((due - friday) == hours{71});  // the weekend lost an hour
  CHECK(berlin.add(friday, duration("1wd")) == at_offset(ymd(2026, March, 30), 17, 30, cest));
  // Calendar days are 24 h of elapsed time, not wall-clock days.
  CHECK(berlin.add(at_offset(ymd(2026, March, 28), 12, 0, cet), duration("1d")) ==
        at_offset(ymd(2026, March, 29), 13, 0, cest));

  // Round-the-clock work: the switch days have 23 h and 25 h of working time.
  const std::array<bool, 7> every_day{true, true, true, true, true, true, true};
  const auto nonstop = weekly_calendar("Europe/Berlin", {{0, 24 * 60}}, every_day);
  const TimePoint march29 = at_offset(ymd(2026, March, 29), 0, 0, cet);
  const TimePoint march30 = at_offset(ymd(2026, March, 30), 0, 0, cest);
  CHECK(nonstop.working_seconds(march29, march30) == 23 * 3600);
  const TimePoint october25 = at_offset(ymd(2026, October, 25), 0, 0, cest);
  const TimePoint october26 = at_offset(ymd(2026, October, 26), 0, 0, cet);
  CHECK(nonstop.working_seconds(october25, october26) == 25 * 3600);

  // Hours that start inside the gap (02:30 does not exist on 03-29) start at the switch,
  // 03:00 CEST; hours that start inside the repeated hour (02:30 twice on 10-25) start at
  // its first occurrence, 02:30 CEST.
  const auto night = weekly_calendar("Europe/Berlin", {{2 * 60 + 30, 4 * 60}}, every_day);
  CHECK(night.at_local(ymd(2026, March, 29), 2 * 60 + 30) == at_offset(ymd(2026, March, 29), 3, 0, cest));
  CHECK(night.working_seconds(march29, march30) == 3600);
  CHECK(night.working_seconds(october25, october26) == 150 * 60);
}

TEST_CASE("calendar: America/New_York uses the local date and its offsets") {
  const auto new_york = weekly_calendar("America/New_York", {{9 * 60, 17 * 60}});
  const hours est{-5};
  const hours edt{-4};
  // Fri 2026-03-06 16:00 EST + 2wh: 1 h Friday, 1 h Monday 03-09 (after the switch, EDT).
  CHECK(new_york.add(at_offset(ymd(2026, March, 6), 16, 0, est), duration("2wh")) ==
        at_offset(ymd(2026, March, 9), 10, 0, edt));
  // Fri 22:00 EST is already Saturday in UTC; day 0 is still the local Friday.
  const TimePoint late_friday = at_offset(ymd(2026, March, 6), 22, 0, est);
  CHECK(new_york.local_date(late_friday) == ymd(2026, March, 6));
  CHECK(new_york.add(late_friday, duration("1wd")) == at_offset(ymd(2026, March, 9), 17, 0, edt));
  CHECK(new_york.format_iso(at_offset(ymd(2026, March, 9), 17, 0, edt)) == "2026-03-09T17:00:00-04:00");
  CHECK(new_york.format_iso(at_offset(ymd(2026, December, 1), 8, 5, est)) == "2026-12-01T08:05:00-05:00");
  // Fall back on Sun 2026-11-01: Fri 10-30 16:00 EDT + 2wh = Mon 11-02 10:00 EST.
  CHECK(new_york.add(at_offset(ymd(2026, October, 30), 16, 0, edt), duration("2wh")) ==
        at_offset(ymd(2026, November, 2), 10, 0, est));
}

TEST_CASE("calendar: 250wd and a year of working days, counted independently") {
  const auto calendar = chinese_calendar();
  // The rest ranges and makeup days written out again, so the expectation does not come
  // from the code under test.
  const std::vector<std::pair<date::sys_days, date::sys_days>> rest_ranges{
      {ymd(2025, January, 1), ymd(2025, January, 1)},       {ymd(2025, January, 28), ymd(2025, February, 4)},
      {ymd(2025, April, 4), ymd(2025, April, 6)},           {ymd(2025, May, 1), ymd(2025, May, 5)},
      {ymd(2025, May, 31), ymd(2025, June, 2)},             {ymd(2025, October, 1), ymd(2025, October, 8)},
      {ymd(2026, January, 1), ymd(2026, January, 3)},       {ymd(2026, February, 15), ymd(2026, February, 23)},
      {ymd(2026, April, 4), ymd(2026, April, 6)},           {ymd(2026, May, 1), ymd(2026, May, 5)},
      {ymd(2026, June, 19), ymd(2026, June, 21)},           {ymd(2026, September, 25), ymd(2026, September, 27)},
      {ymd(2026, October, 1), ymd(2026, October, 7)},
  };
  const std::set<date::sys_days> makeup{
      ymd(2025, January, 26), ymd(2025, February, 8), ymd(2025, April, 27), ymd(2025, September, 28),
      ymd(2025, October, 11), ymd(2026, January, 4),  ymd(2026, February, 14), ymd(2026, February, 28),
      ymd(2026, May, 9),      ymd(2026, September, 20), ymd(2026, October, 10),
  };
  std::set<date::sys_days> rest;
  for (const auto& [first, last] : rest_ranges) {
    for (auto d = first; d <= last; d += date::days{1}) rest.insert(d);
  }
  auto is_working = [&](date::sys_days d) {
    if (makeup.contains(d)) return true;
    if (rest.contains(d)) return false;
    const auto weekday = date::weekday{d};
    return weekday != date::Saturday && weekday != date::Sunday;
  };

  date::sys_days expected = ymd(2025, January, 2);
  for (int counted = 0; counted < 250;) {
    expected += date::days{1};
    if (is_working(expected)) ++counted;
  }
  CHECK(expected == ymd(2026, January, 6));  // cross-checked by hand with a Python loop
  const TimePoint due = calendar.add(beijing(2025, January, 2, 10), duration("250wd"));
  CHECK(due == TimePoint{expected} + hours{17} + minutes{30} - hours{8});

  int working_days_2026 = 0;
  for (auto d = ymd(2026, January, 1); d < ymd(2027, January, 1); d += date::days{1}) {
    working_days_2026 += is_working(d);
  }
  CHECK(working_days_2026 == 248);
  CHECK(calendar.working_seconds(beijing(2026, January, 1, 0), beijing(2027, January, 1, 0)) ==
        std::int64_t{working_days_2026} * 8 * 3600);
  // A year of working hours added and measured back.
  const std::int64_t year_of_work = std::int64_t{working_days_2026} * 8 * 3600;
  const TimePoint end = calendar.add_working_seconds(beijing(2026, January, 1, 0), year_of_work);
  CHECK(end == beijing(2026, December, 31, 17, 30));
}

TEST_CASE("calendar: add_working_seconds and working_seconds round-trip (property, fixed seed)") {
  const auto calendar = chinese_calendar();
  const auto berlin = weekly_calendar("Europe/Berlin", office_hours());
  std::mt19937_64 random(20250926);
  const std::int64_t first = TimePoint{ymd(2025, January, 1)}.time_since_epoch().count();
  const std::int64_t last = TimePoint{ymd(2026, December, 31)}.time_since_epoch().count();
  std::uniform_int_distribution<std::int64_t> any_moment(first, last);
  std::uniform_int_distribution<std::int64_t> any_amount(0, 200 * 3600);
  int failures = 0;
  for (int i = 0; i < 2000; ++i) {
    const TimePoint start{seconds{any_moment(random)}};
    // Half the amounts whole minutes, so results often land on interval edges.
    std::int64_t amount = any_amount(random);
    if (i % 2 == 0) amount -= amount % 60;
    for (const WorkCalendar* cal : {&calendar, &berlin}) {
      const TimePoint end = cal->add_working_seconds(start, amount);
      const bool round_trips = cal->working_seconds(start, end) == amount;
      // `end` is the earliest such moment: one second earlier is one second short.
      const bool earliest = amount == 0 ? end == start : cal->working_seconds(start, end - seconds{1}) == amount - 1;
      if (!round_trips || !earliest) {
        ++failures;
        INFO("start ", cal->format_iso(start), " amount ", amount, " end ", cal->format_iso(end));
        CHECK(round_trips);
        CHECK(earliest);
      }
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("calendar: working_seconds over the National Day week") {
  const auto calendar = chinese_calendar();
  // Mon 2025-09-29 .. Sun 10-12: working Mon 09-29, Tue 09-30, Thu 10-09, Fri 10-10 and
  // the makeup Saturday 10-11; rest 10-01..10-08.
  CHECK(calendar.working_seconds(beijing(2025, September, 29, 0), beijing(2025, October, 13, 0)) == 5 * 8 * 3600);
  CHECK(calendar.working_seconds(beijing(2025, October, 1, 0), beijing(2025, October, 9, 0)) == 0);
  CHECK(calendar.working_seconds(beijing(2025, October, 9, 0), beijing(2025, October, 1, 0)) == 0);
  CHECK(calendar.working_seconds(beijing(2025, September, 30, 17), beijing(2025, October, 9, 9)) == 3600);
}

TEST_CASE("calendar: day() gives the reason, with override > makeup > holiday > weekly pattern") {
  auto config = chinese_config();
  config.overrides.push_back(CalendarOverride{ymd(2026, December, 31), false, {}, "年终盘点"});
  config.overrides.push_back(CalendarOverride{ymd(2026, October, 2), true, {{9 * 60, 11 * 60}}, "值班"});
  config.overrides.push_back(CalendarOverride{ymd(2026, October, 10), false, {}, "公司调整"});
  const WorkCalendar calendar(config);

  const DayInfo makeup = calendar.day(ymd(2025, September, 28));
  CHECK(makeup.working);
  CHECK(makeup.reason == "makeup");
  CHECK(makeup.holiday == "国庆节、中秋节");
  CHECK(makeup.hours.size() == 2);

  const DayInfo rest = calendar.day(ymd(2025, October, 1));
  CHECK_FALSE(rest.working);
  CHECK(rest.reason == "holiday");
  CHECK(rest.holiday == "国庆节、中秋节");
  CHECK(rest.hours.empty());

  const DayInfo saturday = calendar.day(ymd(2025, September, 27));
  CHECK_FALSE(saturday.working);
  CHECK(saturday.reason == "weekend");

  const DayInfo monday = calendar.day(ymd(2025, September, 29));
  CHECK(monday.working);
  CHECK(monday.reason == "workday");
  CHECK(monday.holiday.empty());

  const DayInfo closed = calendar.day(ymd(2026, December, 31));
  CHECK_FALSE(closed.working);
  CHECK(closed.reason == "override");
  CHECK(closed.holiday == "年终盘点");

  const DayInfo duty = calendar.day(ymd(2026, October, 2));  // override beats the holiday
  CHECK(duty.working);
  CHECK(duty.reason == "override");
  REQUIRE(duty.hours.size() == 1);
  CHECK(duty.hours[0].start == 9 * 60);
  CHECK(calendar.add(beijing(2026, October, 1, 10), duration("1wd")) == beijing(2026, October, 2, 11));

  const DayInfo cancelled_makeup = calendar.day(ymd(2026, October, 10));  // override beats makeup
  CHECK_FALSE(cancelled_makeup.working);
  CHECK(cancelled_makeup.reason == "override");
  // Filed Tue 09-29 with both overrides: day 1 Wed 09-30, day 2 Fri 10-02 (duty, until
  // 11:00), day 3 Thu 10-08, day 4 Fri 10-09, Sat 10-10 cancelled, day 5 Mon 10-12,
  // day 6 Tue 10-13 (without the overrides 6wd would be Mon 10-12).
  const TimePoint filed = beijing(2026, September, 29, 10);
  CHECK(calendar.add(filed, duration("2wd")) == beijing(2026, October, 2, 11));
  CHECK(calendar.add(filed, duration("5wd")) == beijing(2026, October, 12, 17, 30));
  CHECK(calendar.add(filed, duration("6wd")) == beijing(2026, October, 13, 17, 30));
}

TEST_CASE("calendar: explain lists every day with its reason and working-day number") {
  const auto calendar = chinese_calendar();
  const auto steps = calendar.explain(beijing(2025, September, 26, 10), duration("3wd"));
  REQUIRE(steps.size() == 5);
  CHECK(steps[0].date == ymd(2025, September, 26));
  CHECK(steps[0].reason == "workday");
  CHECK(steps[0].day_number == 0);
  CHECK(steps[0].working_seconds == 2 * 3600 + 4 * 3600 + 1800);  // 10:00-12:00, 13:00-17:30
  CHECK(steps[1].reason == "weekend");
  CHECK(steps[1].day_number == 0);
  CHECK(steps[1].working_seconds == 0);
  CHECK(steps[2].reason == "makeup");
  CHECK(steps[2].holiday == "国庆节、中秋节");
  CHECK(steps[2].day_number == 1);
  CHECK(steps[2].working_seconds == 8 * 3600);
  CHECK(steps[3].day_number == 2);
  CHECK(steps[4].date == ymd(2025, September, 30));
  CHECK(steps[4].day_number == 3);
  CHECK(steps[4].reason == "workday");

  const auto holiday_steps = calendar.explain(beijing(2025, October, 3, 9), duration("1wd"));
  REQUIRE(holiday_steps.size() == 7);  // 10-03 .. 10-09
  CHECK(holiday_steps[0].reason == "holiday");
  CHECK(holiday_steps[1].reason == "holiday");  // Sat 10-04: the holiday wins over the weekend
  CHECK(holiday_steps.back().day_number == 1);

  const auto hour_steps = calendar.explain(beijing(2025, October, 17, 20), duration("8wh"));
  REQUIRE(hour_steps.size() == 4);  // Fri, Sat, Sun, Mon
  CHECK(hour_steps[0].working_seconds == 0);
  CHECK(hour_steps[3].working_seconds == 8 * 3600);
}

TEST_CASE("calendar: provisional when a year has no notice") {
  const auto calendar = chinese_calendar();
  CHECK_FALSE(calendar.provisional(beijing(2026, September, 29, 10), beijing(2026, October, 12, 17, 30)));
  CHECK_FALSE(calendar.provisional(beijing(2025, January, 2, 10), beijing(2026, January, 6, 17, 30)));
  CHECK(calendar.provisional(beijing(2026, December, 28, 10), beijing(2027, January, 4, 17, 30)));
  CHECK(calendar.provisional(beijing(2027, March, 1, 10), beijing(2027, March, 5, 17, 30)));
  CHECK(calendar.provisional(beijing(2024, December, 30, 10), beijing(2025, January, 3, 10)));
  // The local year counts: 2026-12-31 20:00 UTC is already 2027 in Shanghai.
  CHECK(calendar.provisional(beijing(2026, December, 31, 10), TimePoint{ymd(2026, December, 31)} + hours{20}));
  // A calendar without any notice is never provisional.
  const auto plain = weekly_calendar("Asia/Shanghai", office_hours());
  CHECK_FALSE(plain.provisional(beijing(2027, March, 1, 10), beijing(2028, March, 5, 10)));
}

TEST_CASE("calendar: parse_time") {
  const auto calendar = chinese_calendar();
  const TimePoint ten = beijing(2026, September, 26, 10);
  CHECK(calendar.parse_time("2026-09-26T10:00:00+08:00") == ten);
  CHECK(calendar.parse_time("2026-09-26T02:00:00Z") == ten);
  CHECK(calendar.parse_time("2026-09-25T21:00:00-05:00") == ten);
  CHECK(calendar.parse_time("2026-09-26T07:30:00+0530") == ten);
  CHECK(calendar.parse_time("2026-09-26 10:00") == ten);
  CHECK(calendar.parse_time("2026-09-26T10:00") == ten);
  CHECK(calendar.parse_time("2026-09-26 10:00:05") == ten + seconds{5});
  CHECK(calendar.parse_time("2026-09-26T10:00:05") == ten + seconds{5});
  CHECK(calendar.parse_time("2026-09-26") == beijing(2026, September, 26, 0));
  CHECK(calendar.parse_time("2024-02-29") == beijing(2024, February, 29, 0));

  for (std::string_view bad : {"2026-13-01", "yesterday", "2026-02-30", "2025-02-29", "", "2026-9-26",
                               "2026-09-26 25:00", "2026-09-26 10:60", "2026-09-26T10:00:60", "2026-09-26 10",
                               " 2026-09-26", "2026-09-26 ", "2026-09-26T10:00:00+08:00x", "2026-09-26T10:00:00+8",
                               "2026-09-26T10:00:00.5Z", "2026-09-26Z", "2026/09/26", "2026-09-26T10:00:00+08:",
                               "2026-00-10", "2026-07-00", "20260926"}) {
    INFO("input: \"", bad, "\"");
    CHECK_FALSE(calendar.parse_time(bad).has_value());
  }

  // In a DST zone, local times skipped by the switch map to the switch itself.
  const auto berlin = weekly_calendar("Europe/Berlin", office_hours());
  CHECK(berlin.parse_time("2026-03-29 02:30") == at_offset(ymd(2026, March, 29), 3, 0, hours{2}));
  CHECK(berlin.parse_time("2026-10-25 02:30") == at_offset(ymd(2026, October, 25), 2, 30, hours{2}));
  CHECK(berlin.parse_time("2026-07-01T12:00") == at_offset(ymd(2026, July, 1), 12, 0, hours{2}));
}

TEST_CASE("calendar: parse_time with now reads today, yesterday, weekdays, months and -7d") {
  const auto calendar = chinese_calendar();
  using Bound = WorkCalendar::Bound;
  // Wednesday 2026-09-30 00:30 in Shanghai: still Tuesday in UTC, so the zone decides the day.
  const TimePoint now = beijing(2026, September, 30, 0, 30);
  auto start = [&](std::string_view text) { return calendar.parse_time(text, now, Bound::start); };
  auto end = [&](std::string_view text) { return calendar.parse_time(text, now, Bound::end); };
  CHECK(start("now") == now);
  CHECK(end("NOW") == now);
  CHECK(start("today") == beijing(2026, September, 30, 0));
  CHECK(end("today") == beijing(2026, October, 1, 0));
  CHECK(start("Yesterday") == beijing(2026, September, 29, 0));
  CHECK(end("yesterday") == beijing(2026, September, 30, 0));
  CHECK(start("tomorrow") == beijing(2026, October, 1, 0));
  // A weekday is the latest such day, today included.
  CHECK(start("wednesday") == beijing(2026, September, 30, 0));
  CHECK(start("tuesday") == beijing(2026, September, 29, 0));
  CHECK(start("thursday") == beijing(2026, September, 24, 0));
  CHECK(start("mon") == beijing(2026, September, 28, 0));
  CHECK(end("monday") == beijing(2026, September, 29, 0));
  CHECK(start("sunday") == beijing(2026, September, 27, 0));
  CHECK(start("周一") == beijing(2026, September, 28, 0));
  CHECK(start("星期日") == beijing(2026, September, 27, 0));
  CHECK(start("星期天") == beijing(2026, September, 27, 0));
  // A month: its first instant, or the first instant of the next.
  CHECK(start("2026-10") == beijing(2026, October, 1, 0));
  CHECK(end("2026-10") == beijing(2026, November, 1, 0));
  CHECK(end("2026-12") == beijing(2027, January, 1, 0));
  CHECK(end("2024-02") == beijing(2024, March, 1, 0));
  // Relative amounts: hours exactly; days, weeks, months on the local calendar.
  CHECK(start("-12h") == now - hours{12});
  CHECK(end("-7d") == beijing(2026, September, 23, 0, 30));
  CHECK(start("-0d") == now);
  CHECK(start("-2w") == beijing(2026, September, 16, 0, 30));
  CHECK(start("-1mo") == beijing(2026, August, 30, 0, 30));
  CHECK(start("-7MO") == beijing(2026, February, 28, 0, 30));  // the 30th of February is its last day
  CHECK(start("-13mo") == beijing(2025, August, 30, 0, 30));
  // The exact forms are as before; a full date is its midnight at either end.
  CHECK(end("2026-09-26") == beijing(2026, September, 26, 0));
  CHECK(start("2026-09-26 10:00") == beijing(2026, September, 26, 10));
  for (std::string_view bad : {"", "-", "-d", "7d", "+7d", "-7", "-7m", "-7days", "- 7d", "-7 d", "today ",
                               "yesterdays", "mo", "-1y", "2026-13", "2026-00", "2026-1", "month", "周八",
                               "last-month", "2026-10-"}) {
    INFO("input: \"", bad, "\"");
    CHECK_FALSE(calendar.parse_time(bad, now, Bound::start).has_value());
  }
  // The one-argument parse_time (import, --now) stays exact.
  CHECK_FALSE(calendar.parse_time("today").has_value());
  CHECK_FALSE(calendar.parse_time("2026-10").has_value());

  // In a DST zone a day ago is the same wall-clock time, 23 hours before across the switch.
  const auto berlin = weekly_calendar("Europe/Berlin", office_hours());
  const TimePoint after_switch = at_offset(ymd(2026, March, 30), 12, 0, hours{2});
  CHECK(berlin.parse_time("-1d", after_switch, Bound::start) == at_offset(ymd(2026, March, 29), 12, 0, hours{2}));
  CHECK(berlin.parse_time("yesterday", after_switch, Bound::start) == at_offset(ymd(2026, March, 29), 0, 0, hours{1}));
}

TEST_CASE("calendar: format_iso always writes an offset, and parse_time reads it back") {
  const auto calendar = chinese_calendar();
  CHECK(calendar.format_iso(beijing(2026, September, 30, 17, 30)) == "2026-09-30T17:30:00+08:00");
  CHECK(calendar.format_iso(beijing(2026, January, 1, 0, 0) + seconds{7}) == "2026-01-01T00:00:07+08:00");
  const auto utc = weekly_calendar("UTC", office_hours());
  CHECK(utc.format_iso(TimePoint{ymd(2026, August, 1)}) == "2026-08-01T00:00:00+00:00");
  const auto kolkata = weekly_calendar("Asia/Kolkata", office_hours());
  CHECK(kolkata.format_iso(TimePoint{ymd(2026, August, 1)}) == "2026-08-01T05:30:00+05:30");
  const TimePoint in_2025 = beijing(2025, March, 3, 8, 1);
  const TimePoint in_2026 = TimePoint{ymd(2026, November, 1)} + hours{5} + seconds{59};
  for (const TimePoint t : {in_2025, in_2026}) {
    CHECK(calendar.parse_time(calendar.format_iso(t)) == t);
    CHECK(kolkata.parse_time(kolkata.format_iso(t)) == t);
  }
}

TEST_CASE("calendar: an unknown time zone is a config error") {
  CalendarConfig config = chinese_config();
  config.timezone = "Asia/Beijing";
  CHECK_THROWS_AS(WorkCalendar{config}, ConfigError);
  try {
    WorkCalendar{config};
  } catch (const ConfigError& error) {
    CHECK(std::string(error.what()) == "unknown time zone \"Asia/Beijing\"");
  }
}

TEST_CASE("calendar: a calendar without working time fails instead of looping") {
  CalendarConfig config;
  config.timezone = "UTC";
  config.hours = office_hours();  // but no working weekday
  config.overrides.push_back(CalendarOverride{ymd(2026, May, 4), true, {}, "盘点"});
  const WorkCalendar calendar(config);
  CHECK(calendar.add(TimePoint{ymd(2026, May, 1)}, duration("1wd")) ==
        TimePoint{ymd(2026, May, 4)} + hours{17} + minutes{30});
  CHECK_THROWS_AS(calendar.add(TimePoint{ymd(2026, May, 1)}, duration("2wd")), ConfigError);
  CHECK_THROWS_AS(calendar.add(TimePoint{ymd(2026, May, 1)}, duration("9wh")), ConfigError);
}

TEST_CASE("working_days_between counts the working days begun since a deadline") {
  const WorkCalendar calendar = chinese_calendar();
  // National Day 2026: rest 10-01..10-07, makeup Sun 09-20 and Sat 10-10.
  const TimePoint due = beijing(2026, September, 29, 17, 30);
  CHECK(calendar.working_days_between(due, beijing(2026, September, 29, 23, 0)) == 0);  // same day
  CHECK(calendar.working_days_between(due, beijing(2026, September, 30, 8, 0)) == 1);   // before hours, still a day
  CHECK(calendar.working_days_between(due, beijing(2026, October, 7, 12, 0)) == 1);     // the holiday adds none
  CHECK(calendar.working_days_between(due, beijing(2026, October, 9, 10, 0)) == 3);     // 09-30, 10-08, 10-09
  CHECK(calendar.working_days_between(due, beijing(2026, October, 10, 10, 0)) == 4);    // makeup Saturday
  CHECK(calendar.working_days_between(due, beijing(2026, September, 1, 10, 0)) == 0);   // backwards
  CHECK(calendar.working_days_between(beijing(2026, September, 18, 9), beijing(2026, September, 21, 9)) == 2);
}

TEST_CASE("working_days_between agrees with counting day by day, in any order of calls") {
  const WorkCalendar calendar = chinese_calendar();
  std::mt19937 random(20261121);
  std::uniform_int_distribution<int> offset(0, 2 * 365);
  const date::sys_days base = ymd(2025, January, 1);
  for (int i = 0; i < 300; ++i) {
    date::sys_days a = base + date::days{offset(random)};
    date::sys_days b = base + date::days{offset(random)};
    std::int64_t expected = 0;
    for (date::sys_days d = a + date::days{1}; d <= b; d += date::days{1}) expected += calendar.day(d).working ? 1 : 0;
    CAPTURE(date::format("%F", a));
    CAPTURE(date::format("%F", b));
    CHECK(calendar.working_days_between(at_offset(a, 15, 0, hours{8}), at_offset(b, 9, 0, hours{8})) == expected);
  }
}

TEST_CASE("has_elapsed: wd by working dates, wh by working time, calendar units by the clock") {
  const WorkCalendar calendar = chinese_calendar();
  const TimePoint monday = beijing(2026, November, 16, 9, 0);
  CHECK_FALSE(calendar.has_elapsed(monday, beijing(2026, November, 16, 18, 0), duration("1wd")));
  CHECK(calendar.has_elapsed(monday, beijing(2026, November, 17, 8, 0), duration("1wd")));
  CHECK_FALSE(calendar.has_elapsed(monday, beijing(2026, November, 17, 8, 0), duration("2wd")));
  // Fri 10-09 17:00 → makeup Sat 10-10 (08:30-12:00): half an hour on Friday, then Saturday.
  const TimePoint friday = beijing(2026, October, 9, 17, 0);
  CHECK_FALSE(calendar.has_elapsed(friday, beijing(2026, October, 10, 9, 30), duration("2wh")));
  CHECK(calendar.has_elapsed(friday, beijing(2026, October, 10, 10, 0), duration("2wh")));
  CHECK_FALSE(calendar.has_elapsed(friday, friday + hours{23}, duration("24h")));
  CHECK(calendar.has_elapsed(friday, friday + hours{24}, duration("24h")));
  CHECK_FALSE(calendar.has_elapsed(friday, friday - hours{48}, duration("24h")));
}

}  // namespace liaison
