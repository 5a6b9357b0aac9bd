// Output renderers: tables in the formats of liaison(1) (aligned text, TSV, CSV, JSON,
// JSON Lines, Markdown), key/value blocks for `show`, and terminal display width of UTF-8
// text. Pure functions: they return text and never touch the terminal themselves.
#pragma once
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace liaison {

/// The output formats of `--format` (plus `jsonl`, one JSON object a line).
enum class Format { table, tsv, csv, json, jsonl, md };

/// Parses "table", "tsv", "csv", "json", "jsonl", "md"; nullopt for anything else.
std::optional<Format> parse_format(std::string_view text);
/// The name `parse_format` accepts for this format.
std::string_view to_string(Format format);

/// Display width in terminal columns of UTF-8 text: CJK wide/fullwidth = 2, combining
/// marks and control characters = 0 (as utf8proc_charwidth says); invalid bytes count 1 each.
int display_width(std::string_view utf8);
/// Cuts text to at most `width` columns, ending with "…" when cut; cuts only between
/// grapheme clusters (UAX #29, as utf8proc finds them), so never inside a UTF-8 sequence,
/// a wide character, a base and its combining marks or an emoji sequence (the result may
/// then be a column or more short of `width`).
std::string truncate_to_width(std::string_view utf8, int width);
/// Pads with spaces on the right (or left when `right_align`) to exactly `width` columns;
/// text already `width` columns or wider is returned unchanged.
std::string pad_to_width(std::string_view utf8, int width, bool right_align = false);

/// Highlight marks inside a cell (private-use U+E000 … U+E001), e.g. a search match.
/// They take no width; the table format shows what lies between them in colour when
/// `RenderOptions::color` and drops them otherwise. Other formats do not interpret them,
/// so only put them in cells rendered as a table.
inline constexpr std::string_view kHighlightOpen = "\xEE\x80\x80";
inline constexpr std::string_view kHighlightClose = "\xEE\x80\x81";

/// One column of a Table: `key` names it in JSON/CSV, `label` heads it in table/md.
struct Column {
  std::string key;
  std::string label;
  bool right_align = false;
  /// The flexible column (a subject, a summary): cut with "…" first when the table is wider
  /// than the terminal (RenderOptions::width).
  bool shrinkable = false;
  /// A date-time ("2026-09-30 17:30"): shown without its year ("09-30 17:30") when the
  /// table does not fit even with the shrinkable columns cut.
  bool datetime = false;
  /// When even that does not fit, columns with a drop_order are left out, the highest
  /// first, until the table fits; 0 = never left out.
  int drop_order = 0;
};

/// The UTF-8 byte-order mark that `RenderOptions::bom` puts before CSV, for spreadsheets
/// (Excel) that otherwise read UTF-8 as the local code page.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// Rows of string cells under named columns. A row shorter than `columns` is padded with
/// empty cells; cells beyond the last column are ignored.
struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;
};

/// A table too big to hold: `row(i)` makes the cells of row i (i < `size`) when they are
/// needed, and they are dropped once written. Padding rules are those of Table.
struct RowSource {
  std::vector<Column> columns;
  std::size_t size = 0;
  std::function<std::vector<std::string>(std::size_t)> row;
};

/// How to render: format, terminal width (0 = unlimited), colour, header line and BOM.
struct RenderOptions {
  Format format = Format::table;
  int width = 0;        ///< terminal columns the table format must fit; 0 = unlimited
  bool color = false;   ///< ANSI bold header (table format only)
  bool header = true;   ///< header line in table and csv formats
  bool bom = false;     ///< csv: a UTF-8 byte-order mark (kUtf8Bom) before everything else
};

/// Renders the table in `options.format`; non-empty output always ends with a newline.
///
/// - table: header row of labels (bold when `color`) then rows; columns are separated by
///   two spaces and aligned by display width; trailing spaces are trimmed. When the total
///   exceeds `options.width` (> 0), shrinkable columns are narrowed widest first, down to
///   16 columns each; if that is not enough, `datetime` columns lose their year
///   ("09-30 17:30"); then columns with a `drop_order` are left out, the highest first,
///   until the table fits; then the shrinkable columns go down to 8; if the lines are
///   still too wide, the other left-aligned columns but the first (the reference or id)
///   are narrowed widest first, down to 4 columns each.
///   Narrowed cells are cut with "…" (truncate_to_width). Right-aligned columns (numbers)
///   are never cut. Tabs, newlines and other control
///   characters in cells show as a space, invalid UTF-8 as U+FFFD, so data cannot move
///   the cursor or inject terminal escapes. No rows: the header only.
/// - tsv: no header; one row a line, cells tab-separated with full values, except that
///   tabs, CR, LF and CRLF inside a value become one space (so `cut -f` keeps working).
///   No rows: nothing.
/// - csv: RFC 4180 — a header line of column keys (unless `!header`), fields quoted when
///   needed (see csv_field), lines ended with CRLF; kUtf8Bom first when `bom`, even with
///   no rows and no header.
/// - json: one array of objects keyed by column key in column order, string values,
///   pretty-printed with 2 spaces, UTF-8 kept; no rows: "[]\n".
/// - jsonl: one compact object a line; no rows: nothing.
/// - md: GitHub pipe table headed by labels; `|` escaped as `\|`, line breaks as `<br>`,
///   tabs as a space; right-aligned columns marked `---:`.
std::string render(const Table& table, const RenderOptions& options);
/// The same, written to `out` a line at a time instead of returned as one string.
void render(const Table& table, const RenderOptions& options, std::ostream& out);
/// The same for rows made on demand; the table format asks for each row twice (once to
/// measure the columns, once to write), so only one row exists at a time.
void render(const RowSource& rows, const RenderOptions& options, std::ostream& out);

/// Key/value block for `show`: labels right-padded to the widest label (by display width),
/// two spaces, then the value; later lines of multi-line values are indented under the
/// value column. Labels are bold when `options.color`. Table format only (others use JSON).
std::string render_fields(const std::vector<std::pair<std::string, std::string>>& fields,
                          const RenderOptions& options);

/// JSON value as text, pretty (2 spaces) or compact, UTF-8 kept unescaped, invalid UTF-8
/// replaced by U+FFFD; ends with "\n".
std::string render_json(const nlohmann::json& value, bool pretty = true);
/// Every line of `text` indented by two spaces: a pretty object inside a JSON array that
/// is written one element at a time.
std::string indent_json(const std::string& text);

/// One CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF or starts or
/// ends with a space; quotes inside doubled.
std::string csv_field(std::string_view value);

}  // namespace liaison
