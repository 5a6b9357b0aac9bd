// Duration::parse and Duration::text (lib/core/duration.cpp).
#include <doctest/doctest.h>

#include "duration.h"

using liaison::Duration;
using liaison::DurationUnit;

TEST_CASE("Duration::parse reads every unit liaison.toml(5) lists") {
  struct Case {
    const char* text;
    std::int64_t amount;
    DurationUnit unit;
  };
  for (const Case& c : {Case{"30m", 30, DurationUnit::minutes}, Case{"24h", 24, DurationUnit::hours},
                        Case{"2d", 2, DurationUnit::days}, Case{"8wh", 8, DurationUnit::working_hours},
                        Case{"3wd", 3, DurationUnit::working_days}, Case{"0h", 0, DurationUnit::hours},
                        Case{"100000wd", 100000, DurationUnit::working_days}}) {
    CAPTURE(c.text);
    auto d = Duration::parse(c.text);
    REQUIRE(d);
    CHECK(d->amount == c.amount);
    CHECK(d->unit == c.unit);
    CHECK(d->text() == c.text);
  }
}

TEST_CASE("Duration::parse rejects malformed text") {
  for (const char* text : {"", "h", "3", "3 days", "3days", "3 wd", "3wd ", " 3wd", "-1h", "1.5h", "3WD", "3w",
                           "100001h", "3hh", "wd3"}) {
    CAPTURE(text);
    CHECK_FALSE(Duration::parse(text));
  }
}

TEST_CASE("Duration calendar units are told apart from working units") {
  CHECK(Duration::parse("30m")->is_calendar());
  CHECK(Duration::parse("24h")->is_calendar());
  CHECK(Duration::parse("2d")->is_calendar());
  CHECK_FALSE(Duration::parse("8wh")->is_calendar());
  CHECK_FALSE(Duration::parse("3wd")->is_calendar());
  CHECK(*Duration::parse("3wd") == Duration{3, DurationUnit::working_days});
  CHECK_FALSE(*Duration::parse("3wd") == Duration{3, DurationUnit::days});
}
