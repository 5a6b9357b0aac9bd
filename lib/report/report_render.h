// The report (lib/report/report.h) as text for a terminal, Markdown, tidy CSV and JSON. The
// HTML form is in report_html.h. Pure functions: the report is already computed, these
// only lay it out; section and column titles come from report_labels.
#pragma once
#include <iosfwd>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "calendar.h"
#include "config.h"
#include "i18n.h"
#include "report.h"

namespace liaison {

/// The whole report as one JSON object; times ISO 8601 with the zone's offset, durations
/// in working seconds, ids as stored. Fields are listed in liaison-report(1).
nlohmann::json report_to_json(const Report& report, const WorkCalendar& calendar);
/// render_json(report_to_json(report, calendar)) written to `out`, byte for byte, one list
/// element at a time: the whole tree and the whole text never exist at once.
void write_report_json(const Report& report, const WorkCalendar& calendar, std::ostream& out);

/// Aligned plain text for a terminal, in `lang` (Lang): each section a title and
/// tables aligned by display width, a table wider than 100 columns split into tables of
/// its first column and as many of the others as fit (the timeliness table); names of
/// kinds, departments, channels and party types from `config`.
std::string render_report_text(const Report& report, const Config& config, const WorkCalendar& calendar,
                               Lang lang);
/// The same written to `out` as it is made (the long tables a row at a time).
void render_report_text(const Report& report, const Config& config, const WorkCalendar& calendar,
                        Lang lang, std::ostream& out);

/// The same as GitHub Markdown: headings and pipe tables.
std::string render_report_md(const Report& report, const Config& config, const WorkCalendar& calendar,
                             Lang lang);
/// The same written to `out` as it is made.
void render_report_md(const Report& report, const Config& config, const WorkCalendar& calendar,
                      Lang lang, std::ostream& out);

/// Tidy CSV (RFC 4180, CRLF): header "section,dimension,key,name,metric,value", then one
/// row per figure. `name` is the display name of `key` in `lang`.
std::string render_report_csv(const Report& report, const Config& config, const WorkCalendar& calendar,
                              Lang lang);
/// The same written to `out` a row at a time.
void render_report_csv(const Report& report, const Config& config, const WorkCalendar& calendar,
                       Lang lang, std::ostream& out);

}  // namespace liaison
