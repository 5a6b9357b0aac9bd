// iCalendar (RFC 5545) for the deadlines feed (`liaison deadlines --format ics`): one
// VCALENDAR of VEVENTs, times in UTC, text escaped, lines folded at 75 octets without
// splitting a UTF-8 sequence, every line ended with CRLF.
#pragma once
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "model.h"

namespace liaison {

/// One event of a feed: a moment (DTSTART, no duration) and what it is about.
struct CalendarEvent {
  std::string uid;          ///< globally unique and stable: the same event keeps it across feeds
  TimePoint start{};
  std::string summary;
  std::string description;  ///< "" = none
};

/// A whole feed.
struct CalendarFeed {
  std::string name;         ///< X-WR-CALNAME, the name calendar programs show
  std::string product;      ///< PRODID, e.g. "-//liaison//liaison 1.4//EN"
  TimePoint stamp{};        ///< DTSTAMP of every event: when the feed was made
  std::vector<CalendarEvent> events;
};

/// A TEXT value escaped: backslash, semicolon and comma with a backslash, a line break
/// (LF, CRLF or CR) as \n; other control characters dropped.
std::string ical_text(std::string_view text);
/// A content line folded (RFC 5545 3.1): at most 75 octets a line, continuations begun
/// with one space, never inside a UTF-8 sequence; each line ended with CRLF.
std::string ical_line(std::string_view line);
/// A UTC DATE-TIME: "20260930T093000Z".
std::string ical_utc(TimePoint t);
/// The feed as iCalendar text.
void write_ical(const CalendarFeed& feed, std::ostream& out);

}  // namespace liaison
