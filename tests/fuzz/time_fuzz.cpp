// Fuzz target: the time reader behind --now, --from, --to, --since, --until, --received and
// every time of an import (WorkCalendar::parse_time, lib/calendar), in three zones: UTC, the
// manufacturing example's Asia/Shanghai and America/New_York, whose DST gaps and overlaps
// make local times ambiguous. Every time it accepts and liaison keeps (time_in_range) must
// print (format_iso) and read back as the same moment.
#include <string>

#include "calendar.h"
#include "fuzz_target.h"
#include "input.h"

namespace {

liaison::WorkCalendar calendar_in(const char* zone) {
  liaison::CalendarConfig config;
  config.timezone = zone;
  return liaison::WorkCalendar(config);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const liaison::WorkCalendar calendars[] = {calendar_in("UTC"), calendar_in("Asia/Shanghai"),
                                                    calendar_in("America/New_York")};
  const std::string_view text = liaison::fuzz::text_of(data, size);
  for (const liaison::WorkCalendar& calendar : calendars) {
    const auto t = calendar.parse_time(text);
    if (!t) continue;
    const std::string printed = calendar.format_iso(*t);
    if (!liaison::time_in_range(*t)) continue;
    const auto again = calendar.parse_time(printed);
    if (!again || *again != *t) liaison::fuzz::violated("format_iso does not read back as the same moment");
  }
  return 0;
}
