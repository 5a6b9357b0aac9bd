// A time zone's offsets from UTC over its whole history, read once from the tz database
// (Howard Hinnant's date/tz over the system's zoneinfo). Looking a zone up through date
// walks every file of /usr/share/zoneinfo, about a millisecond per process; keeping the
// periods with the validated config (see config_cache.h) lets later runs skip it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace liaison {

/// From `begin` (UTC seconds since the epoch) until the next period's begin, local time
/// is UTC + `offset` seconds. The first period begins at the smallest int64.
struct ZonePeriod {
  std::int64_t begin = 0;
  std::int32_t offset = 0;
  friend bool operator==(const ZonePeriod&, const ZonePeriod&) = default;
};

/// The periods of an IANA zone, consecutive periods of equal offset merged. Throws
/// std::runtime_error for a zone the database does not know.
std::vector<ZonePeriod> zone_periods(const std::string& name);

}  // namespace liaison
