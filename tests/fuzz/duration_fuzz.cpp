// Fuzz target: the duration reader of liaison.toml's deadlines and reminder steps
// (Duration::parse, lib/core) and the working-time arithmetic a duration it accepts then
// meets (WorkCalendar::add, working_seconds, has_elapsed, explain) on the manufacturing
// example's calendar, with its holiday notices and makeup days. Properties: the canonical
// text reads back as the same duration; a deadline is never before its start; it has
// elapsed at the deadline; N working hours from a start are N hours of working time.
#include <string>

#include "calendar.h"
#include "config.h"
#include "duration.h"
#include "examples.h"
#include "fuzz_target.h"

namespace {

using namespace std::chrono_literals;

const liaison::WorkCalendar& example_calendar() {
  static const liaison::Config config =
      liaison::parse_config(std::string(*liaison::example_config("manufacturing")), "manufacturing/liaison.toml");
  static const liaison::WorkCalendar calendar(config.calendar);
  return calendar;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto d = liaison::Duration::parse(liaison::fuzz::text_of(data, size));
  if (!d) return 0;
  if (liaison::Duration::parse(d->text()) != d) liaison::fuzz::violated("Duration::text does not read back");

  const liaison::WorkCalendar& calendar = example_calendar();
  // Friday evening before the National Day holiday (and its makeup Saturday), in Shanghai;
  // a Sunday morning; a moment inside working hours.
  for (const char* start_text : {"2026-09-30T17:30:00+08:00", "2026-10-11T09:00:00+08:00", "2027-03-02T10:15:00+08:00"}) {
    const liaison::TimePoint start = *calendar.parse_time(start_text);
    const liaison::TimePoint due = calendar.add(start, *d);
    if (due < start) liaison::fuzz::violated("a deadline before its start");
    if (!calendar.has_elapsed(start, due, *d)) liaison::fuzz::violated("a duration has not elapsed at its deadline");
    if (d->unit == liaison::DurationUnit::working_hours && calendar.working_seconds(start, due) != d->amount * 3600)
      liaison::fuzz::violated("N working hours are not N hours of working time");
    if (d->amount <= 400) calendar.explain(start, *d);
  }
  return 0;
}
