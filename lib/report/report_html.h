// The HTML form of `liaison report` (`--format html`): one self-contained page for
// management review — inline CSS, SVG bar charts drawn here (no script, no fonts, no
// images, nothing fetched), laid out to print on A4.
#pragma once
#include <iosfwd>
#include <string>
#include <string_view>

#include "config.h"
#include "i18n.h"
#include "report.h"

namespace liaison {

/// The report as one HTML5 document in `lang` (Lang).
///
/// Sections 1–6 in the order of liaison-report(1), then the provenance footer. Names of
/// departments, kinds (name_en in English when set), channels, party types and users come
/// from `config`; unknown ids show as themselves. Times are shown in the organisation's
/// zone. Every chart is an `<svg class="chart">` whose bars are `<rect class="bar">` with
/// widths proportional to the counts (the largest count spans the full bar length); a
/// dimension with nothing to draw shows the "none" line instead of an empty chart. All
/// text from the data is HTML-escaped; a Content-Security-Policy forbids fetching anything.
std::string render_report_html(const Report& report, const Config& config, Lang lang);
/// The same written to `out` as it is made, a few kilobytes at a time.
void render_report_html(const Report& report, const Config& config, Lang lang, std::ostream& out);

/// Text with `& < > " '` replaced by character references and control characters other
/// than tab and newline by a space, for element content and quoted attribute values.
std::string html_escape(std::string_view text);

}  // namespace liaison
