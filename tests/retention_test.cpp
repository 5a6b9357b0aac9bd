// Tests of lib/services/retention.h's pure parts and the retention arithmetic of
// lib/config/config.h: what a purge leaves of an event's data, and when a period is up.
#include "retention.h"

#include <doctest/doctest.h>

#include "config.h"

namespace liaison {
namespace {

using namespace date::literals;

TEST_CASE("purged_event_data empties the free text and keeps the rest") {
  CHECK(purged_event_data(R"({"body":"张三来电","kind":"complaint","owner":"quality","subject":"漏油"})") ==
        R"({"body":"","kind":"complaint","owner":"quality","subject":""})");
  // Attachments keep their digest, size and type; the name goes.
  CHECK(purged_event_data(
            R"({"attachments":[{"media_type":"image/jpeg","n":1,"name":"张三.jpg","sha256":"ab","size":3}],"entry":"call","text":"x"})") ==
        R"({"attachments":[{"media_type":"image/jpeg","n":1,"name":"","sha256":"ab","size":3}],"entry":"call","text":""})");
  // An imported record's identity, every string of it.
  CHECK(purged_event_data(R"({"identity":{"anonymous":false,"name":"李四","phone":"139"},"status":"closed"})") ==
        R"({"identity":{"anonymous":false,"name":"","phone":""},"status":"closed"})");
  CHECK(purged_event_data(R"({"outcome":"resolved","resolution":"已更换","capa":"CAPA-7"})") ==
        R"({"capa":"CAPA-7","outcome":"resolved","resolution":""})");
  // Nothing to take: the same text, so the purge leaves the event alone.
  CHECK(purged_event_data(R"({"to":"quality"})") == R"({"to":"quality"})");
  CHECK(purged_event_data("not json") == "{}");
}

TEST_CASE("add_retention counts years, months and days from a date") {
  CHECK(add_retention(date::sys_days{2023_y / 3 / 15}, "3y") == date::sys_days{2026_y / 3 / 15});
  CHECK(add_retention(date::sys_days{2024_y / 2 / 29}, "1y") == date::sys_days{2025_y / 2 / 28});
  CHECK(add_retention(date::sys_days{2026_y / 1 / 31}, "1m") == date::sys_days{2026_y / 2 / 28});
  CHECK(add_retention(date::sys_days{2026_y / 12 / 31}, "90d") == date::sys_days{2027_y / 3 / 31});
  CHECK_FALSE(add_retention(date::sys_days{2026_y / 1 / 1}, "permanent"));
  CHECK_FALSE(add_retention(date::sys_days{2026_y / 1 / 1}, "3w"));
}

TEST_CASE("retention_shorter compares periods from every day of a year") {
  CHECK(retention_shorter("1y", "3y"));
  CHECK(retention_shorter("11m", "1y"));
  CHECK_FALSE(retention_shorter("12m", "1y"));
  CHECK_FALSE(retention_shorter("365d", "1y"));  // the same in a common year
  CHECK(retention_shorter("364d", "1y"));
  CHECK_FALSE(retention_shorter("3y", "3y"));
  CHECK(retention_shorter("10y", "permanent"));
}

}  // namespace
}  // namespace liaison
