// The report as aligned plain text for a terminal (report_render.h).
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

void render_report_text(const Report& report, const Config& config, const WorkCalendar& calendar,
                        Lang lang, std::ostream& out) {
  Names names(config, lang);
  RenderOptions table;
  table.format = Format::table;
  bool first = true;
  for (const auto& b : blocks(report, names, calendar)) {
    if (!first) out << "\n";
    first = false;
    if (b.level == 1) {
      out << b.title << "\n" << std::string(static_cast<std::size_t>(display_width(b.title)), '=') << "\n";
    } else if (b.level == 2) {
      out << b.title << "\n" << std::string(static_cast<std::size_t>(display_width(b.title)), '-') << "\n";
    } else {
      out << b.title << "\n";
    }
    if (!b.paragraph.empty()) out << b.paragraph << "\n";
    if (b.table) {
      if (b.table->size == 0) out << names.label("none") << "\n";
      else render(*b.table, table, out);
    }
  }
}

std::string render_report_text(const Report& report, const Config& config, const WorkCalendar& calendar,
                               Lang lang) {
  std::ostringstream out;
  render_report_text(report, config, calendar, lang, out);
  return std::move(out).str();
}

}  // namespace liaison
