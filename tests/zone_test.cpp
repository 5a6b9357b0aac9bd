// The zone periods (lib/core/zone.cpp) and WorkCalendar's conversions over them must agree
// with date/tz itself at every instant: around every switch and at random moments.
#include <doctest/doctest.h>

#include <random>

#include <date/tz.h>

#include "calendar.h"
#include "zone.h"

using namespace liaison;
using std::chrono::seconds;

namespace {

WorkCalendar calendar_in(const std::string& zone) {
  CalendarConfig config;
  config.timezone = zone;
  config.workdays = {false, true, true, true, true, true, false};
  config.hours = {{9 * 60, 17 * 60}};
  return WorkCalendar(config);
}

/// Compares the calendar with date at UTC moment `t` and at local wall time `t`.
void check_at(const WorkCalendar& cal, const date::time_zone* zone, std::int64_t t) {
  const TimePoint utc{seconds{t}};
  const auto local = zone->to_local(utc);
  CHECK(cal.local_date(utc) == date::sys_days{date::floor<date::days>(local).time_since_epoch()});
  const date::local_seconds wall{seconds{t}};
  const auto day = date::floor<date::days>(wall);
  const int minutes = static_cast<int>((wall - day).count() / 60);
  const date::local_seconds wall_minute = day + std::chrono::minutes{minutes};
  CHECK(cal.at_local(date::sys_days{day.time_since_epoch()}, minutes) ==
        zone->to_sys(wall_minute, date::choose::earliest));
}

}  // namespace

TEST_CASE("zone periods merge equal offsets and start at the beginning of time") {
  auto shanghai = zone_periods("Asia/Shanghai");
  REQUIRE_FALSE(shanghai.empty());
  CHECK(shanghai.front().begin == std::numeric_limits<std::int64_t>::min());
  CHECK(shanghai.back().offset == 8 * 3600);  // no DST since 1991
  for (std::size_t i = 1; i < shanghai.size(); ++i) {
    CHECK(shanghai[i].begin > shanghai[i - 1].begin);
    CHECK(shanghai[i].offset != shanghai[i - 1].offset);
  }
  CHECK_THROWS(zone_periods("Mars/Olympus_Mons"));
}

TEST_CASE("conversions agree with date/tz around every switch and at random moments") {
  std::mt19937_64 random(20261121);
  for (const char* name : {"Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                           "Asia/Kathmandu", "America/Sao_Paulo", "UTC"}) {
    CAPTURE(name);
    const date::time_zone* zone = date::locate_zone(name);
    const WorkCalendar cal = calendar_in(name);
    for (const auto& p : zone_periods(name)) {
      if (p.begin < -2'000'000'000) continue;  // before 1906
      for (std::int64_t delta : {-7200, -3601, -3600, -1, 0, 1, 1800, 3600, 7200}) check_at(cal, zone, p.begin + delta);
    }
    std::uniform_int_distribution<std::int64_t> moment(0, 2'200'000'000);  // 1970 … 2039
    for (int i = 0; i < 2000; ++i) check_at(cal, zone, moment(random));
  }
}

TEST_CASE("format_iso shows the offset in force at that moment") {
  const WorkCalendar berlin = calendar_in("Europe/Berlin");
  CHECK(berlin.format_iso(TimePoint{seconds{1774746000}}) == "2026-03-29T03:00:00+02:00");  // 01:00 UTC: the switch
  CHECK(berlin.format_iso(TimePoint{seconds{1774745999}}) == "2026-03-29T01:59:59+01:00");
}
