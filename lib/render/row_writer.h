// A table written as its rows come: the streaming formats (tsv, csv, json, jsonl) write
// each row at once, so a million rows are never held; the aligned ones (table, md) need
// every row's width first and hold them (or a page of them) until they can be drawn.
// Either way the bytes are those render() writes for the same table, and a stream that
// fails is an OutputError (exit 74), not output silently lost.
#pragma once
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "messages.h"
#include "render.h"

namespace liaison {

/// One value of a typed row: NULL, an integer, a real or text. Tables and tsv/csv show
/// NULL as an empty cell and a real as SQLite writes it (shortest form, ".0" when whole);
/// JSON shows them as null, numbers and strings.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

/// The text of a value in a table, tsv or csv cell.
std::string value_text(const Value& value);

/// Writes one table to `out` row by row, in `options.format`:
///
/// - tsv: each row as a line at once; no header; nothing when there are no rows.
/// - csv: the BOM (when `options.bom`) and the header of column keys (when
///   `options.header`) at begin(), each row at once.
/// - json: "[" and each row as a pretty object as it comes, "]" at end(); "[]" for none.
/// - jsonl: each row as a compact object at once; nothing when there are no rows.
/// - table, md: rows are held and drawn by render() at end(), or a page at a time when
///   `page_rows` > 0 (each page aligned by itself; the header above the first page only).
///
/// JSON objects are keyed by column key in column order; a key repeated among the
/// columns is suffixed _2, _3 … so that no value is lost. Until the first row nothing
/// but the csv BOM and header is made, so a writer that is never ended writes at most that.
///
/// Output is handed to `out` in chunks of 64 KiB and at end(); a writer destroyed before
/// end() (an error half-way) drops what it has not handed on. Every write to `out` is
/// checked: when `out` fails, the writer throws OutputError naming `destination` (e.g.
/// msg<Msg::standard_output>()) with the error of the failed write.
class RowWriter {
 public:
  RowWriter(std::ostream& out, RenderOptions options, Message destination = msg<Msg::standard_output>(),
            std::size_t page_rows = 0);
  RowWriter(const RowWriter&) = delete;
  RowWriter& operator=(const RowWriter&) = delete;

  /// The columns, before any row. With `align_numbers`, the table format aligns a column
  /// right (and never cuts it) when all its values are numbers or NULL and there is at
  /// least one row, and may cut the others, whatever the columns say.
  void begin(std::vector<Column> columns, bool align_numbers = false);
  /// One row of text cells (JSON: string values).
  void row(const std::vector<std::string>& cells);
  /// One row of typed values (JSON: numbers, null and strings).
  void row(const std::vector<Value>& values);
  /// One row given as its JSON object, for json and jsonl only (in the other formats use
  /// row()); written as it is, keys and all, so it may hold more than the columns.
  void object(const nlohmann::json& value);
  /// Ends the table: the closing "]" of json, the (last page of the) table or md table.
  /// Flushes `out`.
  void end();

  /// Rows written so far.
  std::size_t rows() const { return rows_; }
  const RenderOptions& options() const { return options_; }

 private:
  void write(const std::string& text);
  void flush();
  void json_element(const std::string& element);
  void hold(std::vector<std::string> cells);
  void draw_page();
  void check();

  std::ostream& out_;
  RenderOptions options_;
  Message destination_;
  std::size_t page_rows_ = 0;
  std::vector<Column> columns_;
  std::vector<std::string> keys_;   ///< the columns' JSON keys, quoted, made unique
  bool align_numbers_ = false;
  std::vector<bool> text_seen_;     ///< a text value seen in the column (align_numbers)
  Table page_;                      ///< held rows of table and md
  std::size_t pages_ = 0;
  std::size_t rows_ = 0;
  std::string line_;                ///< scratch for one row's text
  std::string pending_;             ///< written, not yet handed to `out`
};

}  // namespace liaison
