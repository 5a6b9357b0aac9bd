#include "ical.h"

#include <ostream>

#include <date/date.h>
#include <fmt/format.h>

namespace liaison {

std::string ical_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\\n";
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      // Control characters are not allowed in TEXT (a tab is, but shows badly): dropped.
      if (c == '\t') out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string ical_line(std::string_view line) {
  std::string out;
  std::size_t room = 75;  // octets the current physical line may still take
  std::size_t i = 0;
  while (i < line.size()) {
    // The length of the UTF-8 sequence that starts here (a stray byte counts alone).
    const auto lead = static_cast<unsigned char>(line[i]);
    std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (i + length > line.size()) length = line.size() - i;
    if (length > room) {
      out += "\r\n ";
      room = 74;  // the leading space takes one octet
    }
    out.append(line.substr(i, length));
    room -= length;
    i += length;
  }
  out += "\r\n";
  return out;
}

std::string ical_utc(TimePoint t) {
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::seconds> time{t - day};
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), time.hours().count(),
                     time.minutes().count(), time.seconds().count());
}

void write_ical(const CalendarFeed& feed, std::ostream& out) {
  auto line = [&](std::string_view name, std::string_view value) {
    out << ical_line(std::string(name) + ":" + std::string(value));
  };
  line("BEGIN", "VCALENDAR");
  line("VERSION", "2.0");
  line("PRODID", feed.product);
  line("CALSCALE", "GREGORIAN");
  line("METHOD", "PUBLISH");
  if (!feed.name.empty()) line("X-WR-CALNAME", ical_text(feed.name));
  const std::string stamp = ical_utc(feed.stamp);
  for (const auto& event : feed.events) {
    line("BEGIN", "VEVENT");
    line("UID", ical_text(event.uid));
    line("DTSTAMP", stamp);
    line("DTSTART", ical_utc(event.start));
    line("SUMMARY", ical_text(event.summary));
    if (!event.description.empty()) line("DESCRIPTION", ical_text(event.description));
    line("TRANSP", "TRANSPARENT");
    line("END", "VEVENT");
  }
  line("END", "VCALENDAR");
}

}  // namespace liaison
