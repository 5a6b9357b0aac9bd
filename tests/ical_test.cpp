// The iCalendar writer of the deadlines feed (lib/render/ical.h): escaping, folding at 75
// octets without splitting UTF-8, CRLF line ends, UTC times.
#include "ical.h"

#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "fixture.h"

namespace liaison {
namespace {

using test::bj;

/// The physical lines of `text`, each without its CRLF; every line must end with CRLF.
std::vector<std::string> crlf_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

/// Whether `text` is valid UTF-8 on its own (no sequence cut at either end).
bool whole_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > text.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

TEST_CASE("ical: text values escape backslash, semicolon, comma and line breaks") {
  CHECK(ical_text("a,b;c\\d") == "a\\,b\\;c\\\\d");
  CHECK(ical_text("one\ntwo\r\nthree\rfour") == "one\\ntwo\\nthree\\nfour");
  CHECK(ical_text("tab\there\x01") == "tab here");
  CHECK(ical_text("客户投诉：螺栓扭矩不足") == "客户投诉：螺栓扭矩不足");
}

TEST_CASE("ical: lines fold at 75 octets, never inside a UTF-8 character") {
  CHECK(ical_line("SUMMARY:short") == "SUMMARY:short\r\n");
  const std::string ascii = "DESCRIPTION:" + std::string(200, 'x');
  const auto folded = crlf_lines(ical_line(ascii));
  REQUIRE(folded.size() == 3);
  CHECK(folded[0].size() == 75);
  CHECK(folded[1].size() == 75);
  CHECK(folded[1][0] == ' ');
  // Unfolding (dropping CRLF and one space) gives the line back.
  std::string unfolded = folded[0];
  for (std::size_t i = 1; i < folded.size(); ++i) unfolded += folded[i].substr(1);
  CHECK(unfolded == ascii);

  // Chinese: three octets a character; an odd prefix makes every boundary fall inside one.
  std::string chinese = "SUMMARY:X";
  for (int i = 0; i < 60; ++i) chinese += "投诉";
  const auto lines = crlf_lines(ical_line(chinese));
  CHECK(lines.size() > 4);
  std::string back = lines[0];
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO("line ", i, ": ", lines[i]);
    CHECK(lines[i].size() <= 75);
    if (i + 1 == lines.size()) break;
    CHECK(lines[i].size() >= 73);  // full but for the last, at most two octets short
    const std::string content = i == 0 ? lines[i] : lines[i].substr(1);
    CHECK(whole_utf8(content));
    if (i > 0) back += content;
  }
  back += lines.back().substr(1);
  CHECK(back == chinese);
}

TEST_CASE("ical: a feed is a VCALENDAR of VEVENTs in UTC with CRLF line ends") {
  CalendarFeed feed;
  feed.name = "liaison 时限：高峰";
  feed.product = "-//liaison//liaison test//EN";
  feed.stamp = bj(2026, 9, 21, 9);
  feed.events.push_back({"EXT-2026-00001-resolve@x.liaison", bj(2026, 9, 30, 17, 30), "EXT-2026-00001 处理：螺栓, 扭矩",
                         "投诉, 归口部门 品质部"});
  std::ostringstream out;
  write_ical(feed, out);
  const std::string text = out.str();
  const auto lines = crlf_lines(text);
  CHECK(lines.front() == "BEGIN:VCALENDAR");
  CHECK(lines.back() == "END:VCALENDAR");
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') CHECK_MESSAGE((i > 0 && text[i - 1] == '\r'), "bare LF at ", i);
  CHECK(text.find("VERSION:2.0\r\n") != std::string::npos);
  CHECK(text.find("PRODID:-//liaison//liaison test//EN\r\n") != std::string::npos);
  CHECK(text.find("DTSTAMP:20260921T010000Z\r\n") != std::string::npos);
  CHECK(text.find("DTSTART:20260930T093000Z\r\n") != std::string::npos);
  CHECK(text.find("SUMMARY:EXT-2026-00001 处理：螺栓\\, 扭矩\r\n") != std::string::npos);
  CHECK(text.find("UID:EXT-2026-00001-resolve@x.liaison\r\n") != std::string::npos);
  CHECK(ical_utc(TimePoint{}) == "19700101T000000Z");
}

}  // namespace
}  // namespace liaison
