// The report as aligned plain text for a terminal (report_render.h).
#include "report_render.h"

#include <algorithm>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "render.h"
#include "report_render_shared.h"

namespace liaison {

using report_detail::blocks;
using report_detail::Names;

namespace {

/// The width the text report's tables keep to: what a terminal, a mail or a printed page
/// shows without wrapping.
constexpr int kReportWidth = 100;

/// How narrow a shrinkable column (a subject, a name) may be cut before a wide table is
/// split instead.
constexpr int kShrunkWidth = 24;

/// The table as one or more tables of at most kReportWidth columns. When it fits with its
/// shrinkable columns cut to kShrunkWidth, it is drawn whole and they are cut to what the
/// page leaves them ("…"); otherwise its columns after the first are split into groups
/// that fit beside the first (the name of the row), each drawn as a table of its own. Any
/// part still wider than the page (a single wide column) is cut to it by render.
void render_fitted(const RowSource& table, RenderOptions options, std::ostream& out) {
  options.width = kReportWidth;
  const auto& columns = table.columns;
  std::vector<int> widths(columns.size(), 0);
  for (std::size_t c = 0; c < columns.size(); ++c) widths[c] = display_width(columns[c].label);
  for (std::size_t i = 0; i < table.size; ++i) {
    const auto row = table.row(i);
    for (std::size_t c = 0; c < columns.size() && c < row.size(); ++c)
      widths[c] = std::max(widths[c], display_width(row[c]));
  }
  int needed = 0;
  for (std::size_t c = 0; c < columns.size(); ++c)
    needed += (columns[c].shrinkable ? std::min(widths[c], kShrunkWidth) : widths[c]) + 2;
  if (columns.size() < 3 || needed - 2 <= kReportWidth) return render(table, options, out);

  std::vector<std::vector<std::size_t>> groups;
  int used = kReportWidth + 1;
  for (std::size_t c = 1; c < columns.size(); ++c) {
    if (groups.empty() || used + 2 + widths[c] > kReportWidth) {
      groups.emplace_back();
      used = widths[0];
    }
    groups.back().push_back(c);
    used += 2 + widths[c];
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (g > 0) out << "\n";
    std::vector<std::size_t> picked{0};
    picked.insert(picked.end(), groups[g].begin(), groups[g].end());
    RowSource part;
    for (std::size_t c : picked) part.columns.push_back(columns[c]);
    part.size = table.size;
    part.row = [&table, picked](std::size_t i) {
      auto row = table.row(i);
      std::vector<std::string> cells;
      for (std::size_t c : picked) cells.push_back(c < row.size() ? std::move(row[c]) : std::string());
      return cells;
    };
    render(part, options, out);
  }
}

}  // namespace

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
      else render_fitted(*b.table, table, out);
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
