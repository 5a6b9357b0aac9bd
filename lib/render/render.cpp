#include "render.h"

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <sstream>

#include <utf8proc.h>

namespace liaison {

namespace {

constexpr int kReadableWidth = 16;  ///< a shrinkable column keeps this much while other means are left
constexpr int kMinShrunkWidth = 8;  ///< a shrinkable column is not cut narrower
constexpr int kMinCutWidth = 4;     ///< nor another column, when cutting it is the last resort
constexpr std::string_view kEllipsis = "…";  // one column wide
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kHighlight = "\x1b[1;31m";  // bold red

/// One step through UTF-8 text: the bytes of one character (or one invalid byte).
struct Glyph {
  std::string_view bytes;
  std::int32_t codepoint = -1;  ///< -1 for an invalid byte
  int width = 1;
};

/// Decodes the character at the front of `text` (which must not be empty).
Glyph next_glyph(std::string_view text) {
  utf8proc_int32_t codepoint = -1;
  auto length = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                 static_cast<utf8proc_ssize_t>(text.size()), &codepoint);
  if (length <= 0 || codepoint < 0) return {text.substr(0, 1), -1, 1};
  bool mark = codepoint == 0xE000 || codepoint == 0xE001;  // kHighlightOpen / kHighlightClose
  return {text.substr(0, static_cast<std::size_t>(length)), codepoint, mark ? 0 : utf8proc_charwidth(codepoint)};
}

/// Calls fn(Glyph) for each character of `text`, in order; stops early when fn returns false.
template <typename Fn>
void for_each_glyph(std::string_view text, Fn fn) {
  while (!text.empty()) {
    Glyph glyph = next_glyph(text);
    if (!fn(glyph)) return;
    text.remove_prefix(glyph.bytes.size());
  }
}

/// A table cell's highlight marks as colour (when `color`) or removed; a mark left open
/// by truncation is closed at the cell's end.
std::string show_highlights(std::string_view text, bool color) {
  if (text.find(kHighlightOpen) == std::string_view::npos && text.find(kHighlightClose) == std::string_view::npos)
    return std::string(text);
  std::string out;
  bool open = false;
  for_each_glyph(text, [&](const Glyph& glyph) {
    if (glyph.codepoint == 0xE000 || glyph.codepoint == 0xE001) {
      bool opening = glyph.codepoint == 0xE000;
      if (color && opening != open) out += opening ? kHighlight : kReset;
      open = opening;
    } else {
      out += glyph.bytes;
    }
    return true;
  });
  if (color && open) out += kReset;
  return out;
}

/// Replaces CRLF, CR, LF and tab by `line_break` / a space, leaving everything else.
std::string replace_breaks(std::string_view text, std::string_view line_break) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += line_break;
    } else if (c == '\t') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

/// Makes text safe for one terminal cell: line breaks (CRLF as one) and every other
/// control character become a space, invalid bytes become U+FFFD.
std::string terminal_safe(std::string_view text) {
  std::string flat = replace_breaks(text, " ");
  std::string out;
  out.reserve(flat.size());
  for_each_glyph(flat, [&](const Glyph& glyph) {
    if (glyph.codepoint < 0) {
      out += kReplacement;
    } else if (utf8proc_category(glyph.codepoint) == UTF8PROC_CATEGORY_CC) {
      out += ' ';
    } else {
      out += glyph.bytes;
    }
    return true;
  });
  return out;
}

/// Removes trailing spaces.
void trim_right(std::string& text) {
  auto end = text.find_last_not_of(' ');
  text.erase(end == std::string::npos ? 0 : end + 1);
}

/// The cell of `row` under column `column`, or "" when the row is short.
std::string_view cell(const std::vector<std::string>& row, std::size_t column) {
  return column < row.size() ? std::string_view(row[column]) : std::string_view();
}

/// How the table format shows its columns once fitted to the terminal (shrink_to_fit).
struct Fit {
  std::vector<int> widths;          ///< display width of each column
  std::vector<bool> shown;          ///< false: the column is left out
  std::vector<bool> without_year;   ///< a date-time column shown as "09-30 17:30"
};

/// "2026-09-30 17:30" as "09-30 17:30"; any other text as it is.
std::string_view without_year(std::string_view text) {
  auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i)
      if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    return true;
  };
  if (digits(0, 4) && text.size() > 7 && text[4] == '-' && digits(5, 2) && text[7] == '-') return text.substr(5);
  return text;
}

/// The width of a line: the shown columns and the two-space separators between them.
int line_width(const Fit& fit) {
  int total = 0, count = 0;
  for (std::size_t c = 0; c < fit.widths.size(); ++c)
    if (fit.shown[c]) {
      total += fit.widths[c];
      ++count;
    }
  return total + 2 * std::max(0, count - 1);
}

/// Narrows the shown columns `may_cut` allows, widest first, down to `floor` each, until
/// the line fits `limit` or none can be narrowed further; whether it fits.
template <typename MayCut>
bool narrow(Fit& fit, int limit, int floor, MayCut may_cut) {
  int total = line_width(fit);
  while (total > limit) {
    std::size_t widest = fit.widths.size();
    for (std::size_t c = 0; c < fit.widths.size(); ++c) {
      if (!fit.shown[c] || !may_cut(c) || fit.widths[c] <= floor) continue;
      if (widest == fit.widths.size() || fit.widths[c] > fit.widths[widest]) widest = c;
    }
    if (widest == fit.widths.size()) return false;
    --fit.widths[widest];
    --total;
  }
  return true;
}

/// Fits the columns, measured at `widths` (and at `short_widths` without the year), into
/// `limit` columns, giving up as little as it can, in this order: the shrinkable columns
/// are cut, widest first, down to kReadableWidth; date-time columns lose their year;
/// columns with a drop_order are left out, the highest first; the shrinkable columns are
/// cut further, down to kMinShrunkWidth; last, the other left-aligned columns but the
/// first are cut, widest first, down to kMinCutWidth. (Without date-time or droppable
/// columns this is what cutting the shrinkable ones to kMinShrunkWidth at once gives.)
/// Right-aligned columns (numbers) and the first column (the reference or id a reader
/// needs whole) keep their width.
Fit shrink_to_fit(const std::vector<int>& widths, const std::vector<int>& short_widths,
                  const std::vector<Column>& columns, int limit) {
  Fit fit{widths, std::vector<bool>(widths.size(), true), std::vector<bool>(widths.size(), false)};
  auto shrinkable = [&](std::size_t c) { return columns[c].shrinkable; };
  Fit trial = fit;
  if (narrow(trial, limit, kReadableWidth, shrinkable)) return trial;
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c].datetime) {
      fit.without_year[c] = true;
      fit.widths[c] = short_widths[c];
    }
  trial = fit;
  if (narrow(trial, limit, kReadableWidth, shrinkable)) return trial;
  std::vector<std::size_t> droppable;
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c].drop_order > 0) droppable.push_back(c);
  std::stable_sort(droppable.begin(), droppable.end(),
                   [&](std::size_t a, std::size_t b) { return columns[a].drop_order > columns[b].drop_order; });
  for (std::size_t c : droppable) {
    fit.shown[c] = false;
    trial = fit;
    if (narrow(trial, limit, kReadableWidth, shrinkable)) return trial;
  }
  if (narrow(trial, limit, kMinShrunkWidth, shrinkable)) return trial;
  narrow(trial, limit, kMinCutWidth,
         [&](std::size_t c) { return c > 0 && !columns[c].right_align && !columns[c].shrinkable; });
  return trial;
}

/// One aligned line of the table format, of the columns `fit` shows; the last one is not
/// padded on the right. Highlight marks in the cells become colour when `color`, else
/// disappear. `header`: the cells are labels, shown whole (never without a year).
std::string table_line(const std::vector<std::string>& cells, const Fit& fit, const std::vector<Column>& columns,
                       bool color, bool header = false) {
  std::size_t last = 0;
  for (std::size_t c = 0; c < cells.size(); ++c)
    if (fit.shown[c]) last = c;
  std::string line;
  bool first = true;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    if (!fit.shown[c]) continue;
    if (!first) line += "  ";
    first = false;
    const std::string_view value = fit.without_year[c] && !header ? without_year(cells[c]) : std::string_view(cells[c]);
    std::string text = truncate_to_width(value, fit.widths[c]);
    text = (c == last && !columns[c].right_align) ? text : pad_to_width(text, fit.widths[c], columns[c].right_align);
    line += show_highlights(text, color);
  }
  trim_right(line);
  return line;
}

/// The rows of a Table or a RowSource, one at a time: `at(i)` gives the cells of row i.
/// A Table's rows are lent; a RowSource's are made anew on each call.
class Rows {
 public:
  explicit Rows(const Table& table) : columns_(table.columns), size_(table.rows.size()), table_(&table) {}
  explicit Rows(const RowSource& source) : columns_(source.columns), size_(source.size), source_(&source) {}

  const std::vector<Column>& columns() const { return columns_; }
  std::size_t size() const { return size_; }
  /// Row i; `scratch` holds it when it has to be made.
  const std::vector<std::string>& at(std::size_t i, std::vector<std::string>& scratch) const {
    if (table_) return table_->rows[i];
    scratch = source_->row(i);
    return scratch;
  }

 private:
  const std::vector<Column>& columns_;
  std::size_t size_ = 0;
  const Table* table_ = nullptr;
  const RowSource* source_ = nullptr;
};

/// The table format. Two passes over the rows: one to measure the columns, one to write,
/// so only one row's cells exist at a time.
void render_table(const Rows& rows, const RenderOptions& options, std::ostream& out) {
  const auto& columns = rows.columns();
  if (columns.empty()) return;
  std::vector<std::string> labels;
  std::vector<int> widths(columns.size(), 0);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    labels.push_back(terminal_safe(columns[c].label));
    if (options.header) widths[c] = display_width(labels.back());
  }
  std::vector<int> short_widths = widths;  // date-times without their year
  std::vector<std::string> scratch;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows.at(i, scratch);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::string safe = terminal_safe(cell(row, c));
      widths[c] = std::max(widths[c], display_width(safe));
      if (columns[c].datetime) short_widths[c] = std::max(short_widths[c], display_width(without_year(safe)));
    }
  }
  const Fit fit = options.width > 0 ? shrink_to_fit(widths, short_widths, columns, options.width)
                                    : Fit{widths, std::vector<bool>(widths.size(), true),
                                          std::vector<bool>(widths.size(), false)};

  if (options.header) {
    std::string line = table_line(labels, fit, columns, false, true);
    if (options.color) line = std::string(kBold) + line + std::string(kReset);
    out << line << '\n';
  }
  std::vector<std::string> safe;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows.at(i, scratch);
    safe.clear();
    for (std::size_t c = 0; c < columns.size(); ++c) safe.push_back(terminal_safe(cell(row, c)));
    out << table_line(safe, fit, columns, options.color) << '\n';
  }
}

void render_tsv(const Rows& rows, std::ostream& out) {
  std::vector<std::string> scratch;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows.at(i, scratch);
    for (std::size_t c = 0; c < rows.columns().size(); ++c) {
      if (c > 0) out << '\t';
      out << replace_breaks(cell(row, c), " ");
    }
    out << '\n';
  }
}

void render_csv(const Rows& rows, const RenderOptions& options, std::ostream& out) {
  const auto& columns = rows.columns();
  if (options.bom) out << kUtf8Bom;
  auto add_line = [&](auto field_of) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) out << ',';
      out << csv_field(field_of(c));
    }
    out << "\r\n";
  };
  if (columns.empty()) return;
  if (options.header) add_line([&](std::size_t c) { return std::string_view(columns[c].key); });
  std::vector<std::string> scratch;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows.at(i, scratch);
    add_line([&](std::size_t c) { return cell(row, c); });
  }
}

/// The row as a JSON object keyed by column key, in column order.
nlohmann::ordered_json row_object(const std::vector<Column>& columns, const std::vector<std::string>& row) {
  auto object = nlohmann::ordered_json::object();
  for (std::size_t c = 0; c < columns.size(); ++c) object[columns[c].key] = std::string(cell(row, c));
  return object;
}

std::string dump(const nlohmann::ordered_json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

/// The pretty array of row objects, written one element at a time: exactly what dumping
/// the whole array with an indent of 2 gives (dumped strings hold no raw line break, so
/// indenting an element is indenting each of its lines).
void render_json_rows(const Rows& rows, std::ostream& out) {
  if (rows.size() == 0) {
    out << "[]\n";
    return;
  }
  out << "[\n";
  std::vector<std::string> scratch;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out << indent_json(dump(row_object(rows.columns(), rows.at(i, scratch)), 2)) << (i + 1 < rows.size() ? ",\n" : "\n");
  }
  out << "]\n";
}

void render_jsonl(const Rows& rows, std::ostream& out) {
  std::vector<std::string> scratch;
  for (std::size_t i = 0; i < rows.size(); ++i) out << dump(row_object(rows.columns(), rows.at(i, scratch)), -1) << '\n';
}

/// A Markdown table cell: `|` escaped, line breaks as <br>, tabs as a space.
std::string md_cell(std::string_view text) {
  std::string out;
  for (char c : replace_breaks(text, "<br>")) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

void render_md(const Rows& rows, std::ostream& out) {
  const auto& columns = rows.columns();
  if (columns.empty()) return;
  auto add_line = [&](const std::vector<std::string>& cells) {
    out << '|';
    for (const auto& text : cells) out << ' ' << text << " |";
    out << '\n';
  };
  std::vector<std::string> cells;
  for (const auto& column : columns) cells.push_back(md_cell(column.label));
  add_line(cells);
  out << '|';
  for (const auto& column : columns) out << (column.right_align ? " ---: |" : " --- |");
  out << '\n';
  std::vector<std::string> scratch;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows.at(i, scratch);
    cells.clear();
    for (std::size_t c = 0; c < columns.size(); ++c) cells.push_back(md_cell(cell(row, c)));
    add_line(cells);
  }
}

void render_rows(const Rows& rows, const RenderOptions& options, std::ostream& out) {
  switch (options.format) {
    case Format::table: return render_table(rows, options, out);
    case Format::tsv: return render_tsv(rows, out);
    case Format::csv: return render_csv(rows, options, out);
    case Format::json: return render_json_rows(rows, out);
    case Format::jsonl: return render_jsonl(rows, out);
    case Format::md: return render_md(rows, out);
  }
  render_table(rows, options, out);
}

}  // namespace

std::optional<Format> parse_format(std::string_view text) {
  for (Format format : {Format::table, Format::tsv, Format::csv, Format::json, Format::jsonl, Format::md})
    if (to_string(format) == text) return format;
  return std::nullopt;
}

std::string_view to_string(Format format) {
  switch (format) {
    case Format::table: return "table";
    case Format::tsv: return "tsv";
    case Format::csv: return "csv";
    case Format::json: return "json";
    case Format::jsonl: return "jsonl";
    case Format::md: return "md";
  }
  return "table";
}

int display_width(std::string_view utf8) {
  int width = 0;
  for_each_glyph(utf8, [&](const Glyph& glyph) {
    width += glyph.width;
    return true;
  });
  return width;
}

std::string truncate_to_width(std::string_view utf8, int width) {
  if (display_width(utf8) <= width) return std::string(utf8);
  if (width <= 0) return {};
  const int budget = width - display_width(kEllipsis);
  // Whole grapheme clusters only: a cluster is kept when all of it fits.
  std::string out;
  std::string cluster;
  int used = 0;
  int cluster_width = 0;
  utf8proc_int32_t state = 0;
  std::int32_t previous = -1;
  bool full = false;
  for_each_glyph(utf8, [&](const Glyph& glyph) {
    // An invalid byte is a cluster of its own.
    bool boundary = previous < 0 || glyph.codepoint < 0 ||
                    utf8proc_grapheme_break_stateful(previous, glyph.codepoint, &state);
    if (boundary) {
      if (used + cluster_width > budget) {
        full = true;
        return false;
      }
      out += cluster;
      used += cluster_width;
      cluster.clear();
      cluster_width = 0;
      if (glyph.codepoint < 0) state = 0;
    }
    cluster += glyph.bytes;
    cluster_width += glyph.width;
    previous = glyph.codepoint;
    return true;
  });
  if (!full && used + cluster_width <= budget) out += cluster;
  out += kEllipsis;
  return out;
}

std::string pad_to_width(std::string_view utf8, int width, bool right_align) {
  int missing = width - display_width(utf8);
  if (missing <= 0) return std::string(utf8);
  std::string spaces(static_cast<std::size_t>(missing), ' ');
  return right_align ? spaces + std::string(utf8) : std::string(utf8) + spaces;
}

std::string render(const Table& table, const RenderOptions& options) {
  std::ostringstream out;
  render_rows(Rows(table), options, out);
  return std::move(out).str();
}

void render(const Table& table, const RenderOptions& options, std::ostream& out) {
  render_rows(Rows(table), options, out);
}

void render(const RowSource& rows, const RenderOptions& options, std::ostream& out) {
  render_rows(Rows(rows), options, out);
}

std::string render_fields(const std::vector<std::pair<std::string, std::string>>& fields,
                          const RenderOptions& options) {
  int label_width = 0;
  for (const auto& field : fields) label_width = std::max(label_width, display_width(terminal_safe(field.first)));
  const std::string indent(static_cast<std::size_t>(label_width) + 2, ' ');
  std::string out;
  for (const auto& [label, value] : fields) {
    std::string safe_label = terminal_safe(label);
    std::string line = options.color ? std::string(kBold) + safe_label + std::string(kReset) : safe_label;
    line += std::string(static_cast<std::size_t>(label_width - display_width(safe_label)) + 2, ' ');
    // Split on line breaks first, then make each line terminal-safe.
    std::string lines = replace_breaks(value, "\n");
    std::size_t start = 0;
    for (bool first = true;; first = false) {
      std::size_t end = lines.find('\n', start);
      std::string_view part = std::string_view(lines).substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!first) line = indent;
      line += terminal_safe(part);
      trim_right(line);
      out += line + '\n';
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return out;
}

std::string indent_json(const std::string& text) {
  std::string out = "  ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

std::string render_json(const nlohmann::json& value, bool pretty) {
  return value.dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
}

std::string csv_field(std::string_view value) {
  bool needs_quotes = value.find_first_of(",\"\r\n") != std::string_view::npos ||
                      (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!needs_quotes) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace liaison
