// Recurring obligations (lib/services/schedule.h): when each recurrence falls on the
// working calendar, the periods it names, and `schedule run` filing each period once.
#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include "fixture.h"
#include "schedule.h"

namespace liaison {
namespace {

using date::days;
using date::sys_days;
using test::bj;

const std::string kConfig = test::config_text(R"toml(
[[kind]]
id = "report"

[[kind]]
id = "letter"
requires = ["party"]

[[schedule]]
id = "monthly"
kind = "report"
owner = "quality"
subject = "{year}年{month}月报告"
every = "month"
day = 31
due = "10d"

[[schedule]]
id = "last-days"
kind = "report"
owner = "li"
subject = "{year} Q{quarter} revisit"
every = "quarter"
months = [1, 4, 7, 10]
day = -5

[[schedule]]
id = "third-working-day"
kind = "report"
owner = "quality"
subject = "{period}"
every = "month"
working_day = 3

[[schedule]]
id = "last-working-day"
kind = "report"
owner = "quality"
subject = "{period}"
every = "month"
working_day = -1

[[schedule]]
id = "weekly"
kind = "report"
owner = "quality"
subject = "week {week}"
every = "week"
weekday = "mon"
start = 2026-12-01

[[schedule]]
id = "yearly"
kind = "report"
owner = "quality"
subject = "{year}"
every = "year"
month = 2
day = 29
)toml");

sys_days ymd(int y, unsigned m, unsigned d) { return sys_days{date::year{y} / date::month{m} / date::day{d}}; }

/// "period date" of each occurrence of `id` in [from, to].
std::vector<std::string> falls(const Config& config, const WorkCalendar& cal, const std::string& id, sys_days from,
                               sys_days to) {
  std::vector<std::string> out;
  for (const Schedule& s : config.schedules)
    if (s.id == id)
      for (const Occurrence& o : occurrences(cal, s, from, to)) out.push_back(o.period + " " + date::format("%F", o.date));
  return out;
}

TEST_CASE("a schedule falls on the days its recurrence names, on the working calendar") {
  test::StoreFixture fx(kConfig, bj(2026, 9, 29, 10), "li");
  const Config& c = fx.config;
  const WorkCalendar& cal = fx.calendar;
  // Day 31 is each month's last day when it has fewer.
  CHECK(falls(c, cal, "monthly", ymd(2027, 1, 1), ymd(2027, 4, 30)) ==
        std::vector<std::string>{"2027-01 2027-01-31", "2027-02 2027-02-28", "2027-03 2027-03-31", "2027-04 2027-04-30"});
  // The fifth day from the end of January, April, July and October.
  CHECK(falls(c, cal, "last-days", ymd(2026, 1, 1), ymd(2026, 12, 31)) ==
        std::vector<std::string>{"2026-Q1 2026-01-27", "2026-Q2 2026-04-26", "2026-Q3 2026-07-27", "2026-Q4 2026-10-27"});
  // October 2026: 1–7 rest (国庆), the 8th and 9th work, Saturday the 10th is a makeup day.
  CHECK(falls(c, cal, "third-working-day", ymd(2026, 9, 1), ymd(2026, 10, 31)) ==
        std::vector<std::string>{"2026-09 2026-09-03", "2026-10 2026-10-10"});
  // September's last working day is the 30th; the makeup Sunday the 20th counts too, but
  // it is not the last.
  CHECK(falls(c, cal, "last-working-day", ymd(2026, 9, 1), ymd(2026, 10, 31)) ==
        std::vector<std::string>{"2026-09 2026-09-30", "2026-10 2026-10-30"});
  // ISO weeks, across the year's end, from the schedule's start.
  CHECK(falls(c, cal, "weekly", ymd(2026, 11, 20), ymd(2027, 1, 10)) ==
        std::vector<std::string>{"2026-W50 2026-12-07", "2026-W51 2026-12-14", "2026-W52 2026-12-21",
                                 "2026-W53 2026-12-28", "2027-W01 2027-01-04"});
  // 29 February: the 28th in a common year.
  CHECK(falls(c, cal, "yearly", ymd(2027, 1, 1), ymd(2028, 12, 31)) ==
        std::vector<std::string>{"2027 2027-02-28", "2028 2028-02-29"});
  // The subject's placeholders.
  const Schedule& last_days = c.schedules.at(1);
  CHECK(occurrence_subject(occurrences(cal, last_days, ymd(2026, 10, 1), ymd(2026, 10, 31)).at(0)) == "2026 Q4 revisit");
  CHECK(occurrence_subject(occurrences(cal, c.schedules.at(0), ymd(2026, 2, 1), ymd(2026, 2, 28)).at(0)) ==
        "2026年2月报告");
}

TEST_CASE("config check refuses a schedule whose kind asks what a schedule cannot give") {
  CHECK_THROWS_AS(parse_config(kConfig + R"toml(
[[schedule]]
id = "needs-party"
kind = "letter"
owner = "quality"
subject = "{period}"
every = "month"
day = 1
)toml", "test.toml"),
                  ConfigError);
}

STORE_TEST_CASE("schedule run files each period's record once, and reports what it cannot file") {
  test::StoreFixture fx(kConfig, bj(2026, 10, 12, 6), "wei", S{});
  // One config check refuses (above), put in behind its back: run reports it, files the rest.
  Schedule broken = fx.config.schedules.at(0);
  broken.id = "needs-party";
  broken.kind = "letter";
  broken.day = 1;
  fx.config.schedules.push_back(broken);
  ScheduleRun first = run_schedules(fx.ctx, ymd(2026, 10, 1), {"monthly", "third-working-day", "needs-party"}, false);
  REQUIRE(first.filed.size() == 1);  // September's 30th is before --since; October's 31st has not come
  CHECK(first.filed[0].first.period == "2026-10");
  CHECK(first.filed[0].first.schedule->id == "third-working-day");
  const Record& r = first.filed[0].second;
  CHECK(r.owner == "quality");
  CHECK(r.received_at == bj(2026, 10, 10, 0));
  REQUIRE(first.failed.size() == 1);
  CHECK(first.failed[0].occurrence.schedule->id == "needs-party");
  // The user's schedule: their department owns it, they are assigned.
  ScheduleRun user = run_schedules(fx.ctx, ymd(2026, 7, 1), {"last-days"}, false);
  REQUIRE(user.filed.size() == 1);
  CHECK(user.filed[0].second.assignee == "li");
  // Again: nothing new, each said filed before.
  ScheduleRun again = run_schedules(fx.ctx, ymd(2026, 10, 1), {"monthly", "third-working-day"}, false);
  CHECK(again.filed.empty());
  CHECK(again.before.size() == 1);
  again = run_schedules(fx.ctx, ymd(2026, 7, 1), {"last-days"}, false);
  CHECK(again.filed.empty());
  CHECK(again.before.size() == 1);
  CHECK(fx.store->scheduled_record("third-working-day", "2026-10") == r.ref);
  CHECK_FALSE(fx.store->scheduled_record("third-working-day", "2026-11"));
  CHECK(fx.store->schedule_records("last-days") ==
        std::vector<std::pair<std::string, std::string>>{{"2026-Q3", user.filed[0].second.ref}});
  CHECK_THROWS_AS(run_schedules(fx.ctx, std::nullopt, {"montly"}, false), NotFoundError);
  CHECK_THROWS_AS(run_schedules(fx.ctx, ymd(2026, 10, 13), {}, false), UsageError);
}

TEST_CASE("a period indexed behind the tool's back is not taken as filed, and audit finds it") {
  test::TempDir dir;
  test::StoreFixture fx(kConfig, bj(2026, 10, 12, 6), "wei", dir.file("records.db"));
  ScheduleRun first = run_schedules(fx.ctx, ymd(2026, 10, 1), {"third-working-day"}, false);
  REQUIRE(first.filed.size() == 1);
  Maintenance* maintenance = fx.store->maintenance();
  REQUIRE(maintenance);
  CHECK(maintenance->schedule_index_differences(10).empty());
  {
    SQLite::Database raw(dir.file("records.db"), SQLite::OPEN_READWRITE);
    raw.exec("INSERT INTO schedule_records VALUES ('third-working-day', '2026-11', 1)");
  }
  CHECK_FALSE(fx.store->scheduled_record("third-working-day", "2026-11"));
  CHECK(fx.store->schedule_records("third-working-day").size() == 1);
  std::vector<ScheduleIndexDifference> d = maintenance->schedule_index_differences(10);
  REQUIRE(d.size() == 1);
  CHECK(d[0].schedule == "third-working-day");
  CHECK(d[0].period == "2026-11");
  CHECK(d[0].record_id == 1);
  CHECK(d[0].kept);
  CHECK_FALSE(d[0].in_history);
  {
    SQLite::Database raw(dir.file("records.db"), SQLite::OPEN_READWRITE);
    raw.exec("DROP TRIGGER schedule_records_no_delete; DELETE FROM schedule_records WHERE period = '2026-10'");
  }
  d = maintenance->schedule_index_differences(10);
  REQUIRE(d.size() == 2);  // by record, then schedule and period
  CHECK(d[0].period == "2026-10");  // filed for it, no longer indexed
  CHECK_FALSE(d[0].kept);
  CHECK(d[0].in_history);
  CHECK(d[1].period == "2026-11");
  CHECK(maintenance->schedule_index_differences(1).size() == 1);
}

}  // namespace
}  // namespace liaison
