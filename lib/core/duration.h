// Durations as written in the config: "30m", "24h", "2d" (calendar time), "8wh" (working
// hours), "3wd" (working days).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace liaison {

/// The unit of a Duration; the first three are calendar time.
enum class DurationUnit { minutes, hours, days, working_hours, working_days };

/// An amount of time in one of the units liaison.toml(5) lists.
struct Duration {
  std::int64_t amount = 0;
  DurationUnit unit = DurationUnit::hours;

  /// Parses "30m", "24h", "2d", "8wh", "3wd" (amount 0..100000); nullopt if malformed.
  static std::optional<Duration> parse(std::string_view text);
  /// The canonical text form, e.g. "3wd".
  std::string text() const;
  /// True for calendar units (m, h, d), which ignore the working calendar.
  bool is_calendar() const { return unit == DurationUnit::minutes || unit == DurationUnit::hours || unit == DurationUnit::days; }
  friend bool operator==(const Duration&, const Duration&) = default;
};

}  // namespace liaison
