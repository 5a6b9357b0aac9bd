#include "row_writer.h"

#include <algorithm>
#include <cerrno>
#include <ostream>

#include <fmt/format.h>

#include "errors.h"

namespace liaison {

namespace {

/// Output is gathered up to this size before it is written to the stream.
constexpr std::size_t kChunk = 64 * 1024;

/// A real as SQLite writes it: shortest form that reads back, with ".0" when whole.
std::string real_text(double d) {
  std::string s = fmt::format("{}", d);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string json_string(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// The value as JSON: integers and reals as numbers, NULL as null, text as a string
/// (invalid UTF-8 replaced, as render_json does).
std::string value_json(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return nlohmann::json(*d).dump();
  if (const auto* s = std::get_if<std::string>(&v)) return json_string(*s);
  return "null";
}

/// Appends one TSV cell as render() writes it: a tab, CR, LF or CRLF inside becomes one space.
void append_tsv_cell(std::string& line, std::string_view cell) {
  if (std::none_of(cell.begin(), cell.end(), [](char c) { return c == '\t' || c == '\r' || c == '\n'; })) {
    line += cell;
    return;
  }
  for (std::size_t i = 0; i < cell.size(); ++i) {
    const char c = cell[i];
    if (c == '\r' && i + 1 < cell.size() && cell[i + 1] == '\n') continue;  // CRLF: the LF makes the space
    line += c == '\t' || c == '\r' || c == '\n' ? ' ' : c;
  }
}

}  // namespace

std::string value_text(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return real_text(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return {};
}

RowWriter::RowWriter(std::ostream& out, RenderOptions options, Message destination, std::size_t page_rows)
    : out_(out), options_(options), destination_(std::move(destination)), page_rows_(page_rows) {}

void RowWriter::begin(std::vector<Column> columns, bool align_numbers) {
  columns_ = std::move(columns);
  align_numbers_ = align_numbers;
  text_seen_.assign(columns_.size(), false);
  page_.columns = columns_;
  keys_.clear();
  std::vector<std::string> plain;
  for (const auto& column : columns_) {
    std::string key = column.key;
    for (int n = 2; std::find(plain.begin(), plain.end(), key) != plain.end(); ++n) key = fmt::format("{}_{}", column.key, n);
    plain.push_back(key);
    keys_.push_back(json_string(key));
  }
  if (options_.format == Format::csv && options_.bom) write(std::string(kUtf8Bom));
  if (options_.format == Format::csv && options_.header && !columns_.empty()) {
    std::string line;
    for (std::size_t c = 0; c < columns_.size(); ++c) line += (c ? "," : "") + csv_field(columns_[c].key);
    write(line + "\r\n");
  }
}

void RowWriter::row(const std::vector<std::string>& cells) {
  ++rows_;
  auto cell = [&](std::size_t c) { return c < cells.size() ? std::string_view(cells[c]) : std::string_view(); };
  std::string& line = line_;
  line.clear();
  switch (options_.format) {
    case Format::tsv:
      for (std::size_t c = 0; c < columns_.size(); ++c) {
        if (c) line += '\t';
        append_tsv_cell(line, cell(c));
      }
      line += '\n';
      break;
    case Format::csv:
      if (columns_.empty()) return;
      for (std::size_t c = 0; c < columns_.size(); ++c) line += (c ? "," : "") + csv_field(cell(c));
      line += "\r\n";
      break;
    case Format::jsonl:
      line += '{';
      for (std::size_t c = 0; c < columns_.size(); ++c) line += (c ? "," : "") + keys_[c] + ":" + json_string(cell(c));
      line += "}\n";
      break;
    case Format::json:
      line += "  {";
      for (std::size_t c = 0; c < columns_.size(); ++c)
        line += (c ? ",\n    " : "\n    ") + keys_[c] + ": " + json_string(cell(c));
      line += columns_.empty() ? "}" : "\n  }";
      return json_element(line);
    case Format::table:
    case Format::md:
      return hold(cells);
  }
  write(line);
}

void RowWriter::row(const std::vector<Value>& values) {
  static const Value null;
  auto value = [&](std::size_t c) -> const Value& { return c < values.size() ? values[c] : null; };
  switch (options_.format) {
    case Format::jsonl: {
      ++rows_;
      std::string& line = line_;
      line = "{";
      for (std::size_t c = 0; c < columns_.size(); ++c) line += (c ? "," : "") + keys_[c] + ":" + value_json(value(c));
      line += "}\n";
      return write(line);
    }
    case Format::json: {
      ++rows_;
      std::string& line = line_;
      line = "  {";
      for (std::size_t c = 0; c < columns_.size(); ++c)
        line += (c ? ",\n    " : "\n    ") + keys_[c] + ": " + value_json(value(c));
      line += columns_.empty() ? "}" : "\n  }";
      return json_element(line);
    }
    default: {
      std::vector<std::string> cells;
      cells.reserve(columns_.size());
      for (std::size_t c = 0; c < columns_.size(); ++c) {
        if (std::holds_alternative<std::string>(value(c))) text_seen_[c] = true;
        cells.push_back(value_text(value(c)));
      }
      return row(cells);
    }
  }
}

void RowWriter::object(const nlohmann::json& value) {
  ++rows_;
  if (options_.format == Format::jsonl)
    return write(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n');
  json_element(indent_json(value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)));
}

void RowWriter::end() {
  if (options_.format == Format::json) write(rows_ ? "\n]\n" : "[]\n");
  if (options_.format == Format::table || options_.format == Format::md) draw_page();
  flush();
  out_.flush();
  check();
}

void RowWriter::write(const std::string& text) {
  pending_ += text;
  if (pending_.size() >= kChunk) flush();
}

void RowWriter::flush() {
  out_ << pending_;
  pending_.clear();
  check();
}

/// One element of the json array, after "[" or a comma.
void RowWriter::json_element(const std::string& element) {
  write((rows_ == 1 ? "[\n" : ",\n") + element);
}

void RowWriter::hold(std::vector<std::string> cells) {
  page_.rows.push_back(std::move(cells));
  if (page_rows_ > 0 && page_.rows.size() >= page_rows_) draw_page();
}

/// The held rows as an aligned table (the header above the first page only) or as the
/// rows of a Markdown table, whose header render() always writes: later pages continue
/// the first, so theirs is dropped. A last page with no rows draws nothing.
void RowWriter::draw_page() {
  if (page_.rows.empty() && pages_ > 0) return;
  if (align_numbers_) {
    for (std::size_t c = 0; c < page_.columns.size(); ++c) {
      const bool numeric = !text_seen_[c] && rows_ > 0;
      page_.columns[c].right_align = numeric;
      page_.columns[c].shrinkable = !numeric;
    }
  }
  RenderOptions page_options = options_;
  page_options.header = options_.header && pages_ == 0;
  std::string text = render(page_, page_options);
  if (options_.format == Format::md && pages_ > 0) {
    for (int lines = 0; lines < 2 && !text.empty(); ++lines) text.erase(0, text.find('\n') + 1);
  }
  page_.rows.clear();
  ++pages_;
  write(text);
}

void RowWriter::check() {
  if (out_) return;
  const int error = errno ? errno : EIO;
  throw write_failed(destination_, error);
}

}  // namespace liaison
