#include "duration.h"

#include <charconv>

namespace liaison {

std::optional<Duration> Duration::parse(std::string_view text) {
  std::int64_t amount = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, amount);
  if (ec != std::errc{} || ptr == begin || amount < 0 || amount > 100000) return std::nullopt;
  std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
  Duration d;
  d.amount = amount;
  if (unit == "m") d.unit = DurationUnit::minutes;
  else if (unit == "h") d.unit = DurationUnit::hours;
  else if (unit == "d") d.unit = DurationUnit::days;
  else if (unit == "wh") d.unit = DurationUnit::working_hours;
  else if (unit == "wd") d.unit = DurationUnit::working_days;
  else return std::nullopt;
  return d;
}

std::string Duration::text() const {
  static constexpr const char* suffix[] = {"m", "h", "d", "wh", "wd"};
  return std::to_string(amount) + suffix[static_cast<int>(unit)];
}

}  // namespace liaison
