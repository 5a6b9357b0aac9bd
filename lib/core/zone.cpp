#include "zone.h"

#include <limits>

#include <date/tz.h>

namespace liaison {

std::vector<ZonePeriod> zone_periods(const std::string& name) {
  using namespace date;
  const time_zone* zone = locate_zone(name);
  // From well before any record to beyond the last transition the database holds.
  auto info = zone->get_info(sys_seconds{sys_days{year{1800} / 1 / 1}});
  std::vector<ZonePeriod> periods{{std::numeric_limits<std::int64_t>::min(), static_cast<std::int32_t>(info.offset.count())}};
  const sys_seconds stop{sys_days{year{2500} / 1 / 1}};
  while (info.end < stop) {
    info = zone->get_info(info.end);
    auto offset = static_cast<std::int32_t>(info.offset.count());
    if (offset != periods.back().offset) periods.push_back({info.begin.time_since_epoch().count(), offset});
  }
  return periods;
}

}  // namespace liaison
