// The report as GitHub Markdown: headings and pipe tables (report_render.h).
#include "report_render.h"

#include <ostream>
#include <sstream>
#include <string>
#include <utility>

#include "render.h"
#include "report_render_shared.h"

namespace liaison {

using report_detail::blocks;
using report_detail::Names;

void render_report_md(const Report& report, const Config& config, const WorkCalendar& calendar,
                      Lang lang, std::ostream& out) {
  Names names(config, lang);
  RenderOptions md;
  md.format = Format::md;
  bool first = true;
  for (const auto& b : blocks(report, names, calendar)) {
    if (!first) out << "\n";
    first = false;
    out << std::string(static_cast<std::size_t>(b.level), '#') << " " << b.title << "\n";
    if (!b.paragraph.empty()) out << "\n" << b.paragraph << "\n";
    if (b.table) {
      out << "\n";
      if (b.table->size == 0) out << names.label("none") << "\n";
      else render(*b.table, md, out);
    }
  }
}

std::string render_report_md(const Report& report, const Config& config, const WorkCalendar& calendar,
                             Lang lang) {
  std::ostringstream out;
  render_report_md(report, config, calendar, lang, out);
  return std::move(out).str();
}

}  // namespace liaison
