#include "render.h"

#include <cerrno>
#include <sstream>
#include <streambuf>

#include "errors.h"
#include "row_writer.h"

#include <doctest/doctest.h>

using namespace liaison;

namespace {

RenderOptions with_format(Format format) {
  RenderOptions options;
  options.format = format;
  return options;
}

}  // namespace

TEST_CASE("parse_format and to_string round-trip") {
  for (Format format : {Format::table, Format::tsv, Format::csv, Format::json, Format::jsonl, Format::md})
    CHECK(parse_format(to_string(format)) == format);
  CHECK(to_string(Format::jsonl) == "jsonl");
  CHECK(parse_format("md") == Format::md);
  CHECK_FALSE(parse_format("xml").has_value());
  CHECK_FALSE(parse_format("JSON").has_value());
  CHECK_FALSE(parse_format("").has_value());
}

TEST_CASE("display_width counts terminal columns") {
  CHECK(display_width("") == 0);
  CHECK(display_width("abc") == 3);
  CHECK(display_width("质量问题") == 8);
  CHECK(display_width("EXT-质量") == 8);
  CHECK(display_width("ＡＢ，") == 6);            // fullwidth letters and comma
  CHECK(display_width("e\u0301") == 1);           // e + combining acute accent
  CHECK(display_width("a\u0300\u0301b") == 2);    // two combining marks on one letter
  CHECK(display_width("\xff\xfe") == 2);          // invalid bytes: one column each
  CHECK(display_width("\xe8\xb4") == 2);          // a cut-off 质: two stray bytes
  CHECK(display_width("ok\xff质") == 5);
}

TEST_CASE("truncate_to_width never splits a wide character") {
  CHECK(truncate_to_width("质量问题", 8) == "质量问题");
  CHECK(truncate_to_width("质量问题", 5) == "质量…");
  CHECK(display_width(truncate_to_width("质量问题", 5)) == 5);
  CHECK(truncate_to_width("质量问题", 4) == "质…");
  CHECK(display_width(truncate_to_width("质量问题", 4)) == 3);
  CHECK(truncate_to_width("abcdef", 3) == "ab…");
  CHECK(truncate_to_width("abcdef", 6) == "abcdef");
  CHECK(truncate_to_width("abcdef", 1) == "…");
  CHECK(truncate_to_width("abcdef", 0) == "");
  CHECK(truncate_to_width("e\u0301fgh", 2) == "e\u0301…");  // the mark stays with its letter
  CHECK(truncate_to_width("\xff\xff\xff", 2) == "\xff…");
}

TEST_CASE("truncate_to_width cuts between grapheme clusters only") {
  // Two regional indicators make one flag: never half of one.
  const std::string flag = "\U0001F1E8\U0001F1F3";  // 🇨🇳
  CHECK(truncate_to_width(flag + flag + flag, 4) == flag + "…");
  // A letter and its combining marks stay together, however many marks.
  CHECK(truncate_to_width("e\u0301\u0323e\u0301\u0323e\u0301\u0323", 2) == "e\u0301\u0323…");
  // An emoji with a skin tone and a ZWJ sequence stay whole.
  const std::string thumbs = "\U0001F44D\U0001F3FD";
  CHECK(truncate_to_width(thumbs + thumbs + thumbs, 6).rfind(thumbs + "…", 0) == 0);
  CHECK(truncate_to_width("ab" + thumbs + "cdef", 4) == "ab…");
}

TEST_CASE("pad_to_width pads by display width") {
  CHECK(pad_to_width("质量", 6) == "质量  ");
  CHECK(pad_to_width("质量", 6, true) == "  质量");
  CHECK(pad_to_width("ab", 2) == "ab");
  CHECK(pad_to_width("质量问题", 4) == "质量问题");  // already wider: unchanged
  CHECK(pad_to_width("e\u0301", 3) == "e\u0301  ");
}

TEST_CASE("table format aligns Chinese and ASCII by display width") {
  Table table{{{"ref", "Ref"}, {"title", "标题"}, {"count", "Count", true}},
              {{"EXT-1", "质量问题", "3"}, {"EXT-22", "late delivery", "12"}}};
  CHECK(render(table, {}) ==
        "Ref     标题           Count\n"
        "EXT-1   质量问题           3\n"
        "EXT-22  late delivery     12\n");

  RenderOptions no_header;
  no_header.header = false;
  CHECK(render(table, no_header) ==  // Count column is only as wide as "12" now
        "EXT-1   质量问题        3\n"
        "EXT-22  late delivery  12\n");

  RenderOptions color;
  color.color = true;
  CHECK(render(Table{{{"ref", "Ref"}}, {{"EXT-1"}}}, color) == "\x1b[1mRef\x1b[0m\nEXT-1\n");
}

TEST_CASE("table format flattens line breaks and control characters") {
  Table table{{{"a", "A"}, {"b", "B"}}, {{"x\ty\r\nz", "esc\x1b[2Jhere"}, {"bad\xff", ""}}};
  CHECK(render(table, {}) ==
        "A      B\n"
        "x y z  esc [2Jhere\n"
        "bad\xEF\xBF\xBD\n");  // empty last cell: no trailing spaces
}

TEST_CASE("table format shrinks shrinkable columns to the terminal width") {
  Table table{{{"ref", "Ref"}, {"title", "Title", false, true}, {"note", "Note", false, true}},
              {{"EXT-2026-00042", "质量问题质量问题质量问题", "abcdefghijklmnop"}}};
  RenderOptions options;

  options.width = 58;  // exactly fits: nothing cut
  CHECK(render(table, options) ==
        "Ref             Title                     Note\n"
        "EXT-2026-00042  质量问题质量问题质量问题  abcdefghijklmnop\n");

  options.width = 42;  // title narrowed 24 → 16 first, then both to 12
  CHECK(render(table, options) ==
        "Ref             Title         Note\n"
        "EXT-2026-00042  质量问题质…   abcdefghijk…\n");

  options.width = 10;  // cannot fit: shrinkable columns stop at 8, Ref is never cut
  CHECK(render(table, options) ==
        "Ref             Title     Note\n"
        "EXT-2026-00042  质量问…   abcdefg…\n");
}

TEST_CASE("table format cuts the other text columns, but the first, when the shrinkable ones are not enough") {
  Table table{{{"ref", "Ref"},
               {"status", "Status"},
               {"due", "Due"},
               {"n", "N", true},
               {"subject", "Subject", false, true}},
              {{"EXT-2026-00042", "acknowledged", "2026-09-30 17:30", "12", "客户反馈外观划伤严重"}}};
  RenderOptions options;
  // Natural width 72: the subject goes to 8 first (60), then due and status, widest first.
  options.width = 50;
  std::string text = render(table, options);
  CHECK(text ==
        "Ref             Status     Due         N  Subject\n"
        "EXT-2026-00042  acknowle…  2026-09-…  12  客户反…\n");
  for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    CHECK(display_width(std::string_view(text).substr(start, end - start)) <= 50);
  // Cannot fit: the others stop at 4; the first column and numbers are never cut.
  options.width = 20;
  CHECK(render(table, options) ==
        "Ref             Sta…  Due    N  Subject\n"
        "EXT-2026-00042  ack…  202…  12  客户反…\n");
}

TEST_CASE("csv with a byte-order mark, for Excel: render and RowWriter alike") {
  Table table{{{"ref", "Ref"}, {"subject", "Subject"}}, {{"EXT-2026-00001", "质量问题"}}};
  RenderOptions options;
  options.format = Format::csv;
  options.bom = true;
  CHECK(render(table, options) == "\xEF\xBB\xBFref,subject\r\nEXT-2026-00001,质量问题\r\n");
  std::ostringstream out;
  RowWriter writer(out, options);
  writer.begin(table.columns);
  writer.row(table.rows[0]);
  writer.end();
  CHECK(out.str() == render(table, options));
  options.header = false;
  CHECK(render(Table{table.columns, {}}, options) == "\xEF\xBB\xBF");  // the mark even with nothing else
  options.bom = false;
  options.header = true;
  CHECK(render(table, options).rfind("ref,", 0) == 0);                   // none unless asked
  options.format = Format::tsv;
  options.bom = true;
  CHECK(render(table, options) == "EXT-2026-00001\t质量问题\n");        // csv only
}

TEST_CASE("tsv: no header, full values, breaks and tabs become a space") {
  Table table{{{"a", "A"}, {"b", "B"}, {"c", "C"}},
              {{"x\ty", "line1\r\nline2\rline3\nline4", "质量问题质量问题质量问题"}, {"only"}}};
  RenderOptions options = with_format(Format::tsv);
  options.width = 10;  // ignored: tsv keeps full values
  CHECK(render(table, options) ==
        "x y\tline1 line2 line3 line4\t质量问题质量问题质量问题\n"
        "only\t\t\n");
}

TEST_CASE("csv quotes per RFC 4180 with CRLF line ends") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("") == "");
  CHECK(csv_field("质量问题") == "质量问题");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("a\nb") == "\"a\nb\"");
  CHECK(csv_field("a\rb") == "\"a\rb\"");
  CHECK(csv_field(" lead") == "\" lead\"");
  CHECK(csv_field("trail ") == "\"trail \"");

  Table table{{{"ref", "Ref"}, {"title", "标题"}, {"note", "Note"}},
              {{"EXT-1", "a, b", "say \"hi\""}, {"EXT-2", "line1\nline2", "质量问题"}}};
  CHECK(render(table, with_format(Format::csv)) ==
        "ref,title,note\r\n"
        "EXT-1,\"a, b\",\"say \"\"hi\"\"\"\r\n"
        "EXT-2,\"line1\nline2\",质量问题\r\n");

  RenderOptions no_header = with_format(Format::csv);
  no_header.header = false;
  CHECK(render(table, no_header) ==
        "EXT-1,\"a, b\",\"say \"\"hi\"\"\"\r\n"
        "EXT-2,\"line1\nline2\",质量问题\r\n");
}

TEST_CASE("json and jsonl keep column order and unescaped UTF-8") {
  Table table{{{"title", "标题"}, {"ref", "Ref"}}, {{"质量问题", "EXT-1"}, {"a\"b\nc"}}};
  CHECK(render(table, with_format(Format::json)) ==
        "[\n"
        "  {\n"
        "    \"title\": \"质量问题\",\n"
        "    \"ref\": \"EXT-1\"\n"
        "  },\n"
        "  {\n"
        "    \"title\": \"a\\\"b\\nc\",\n"
        "    \"ref\": \"\"\n"
        "  }\n"
        "]\n");
  CHECK(render(table, with_format(Format::jsonl)) ==
        "{\"title\":\"质量问题\",\"ref\":\"EXT-1\"}\n"
        "{\"title\":\"a\\\"b\\nc\",\"ref\":\"\"}\n");
  Table invalid{{{"x", "X"}}, {{"bad\xff"}}};
  CHECK(render(invalid, with_format(Format::jsonl)) == "{\"x\":\"bad\xEF\xBF\xBD\"}\n");
}

TEST_CASE("md escapes pipes and line breaks") {
  Table table{{{"title", "Title|标题"}, {"count", "Count", true}}, {{"a|b", "3"}, {"x\r\ny\tz"}}};
  CHECK(render(table, with_format(Format::md)) ==
        "| Title\\|标题 | Count |\n"
        "| --- | ---: |\n"
        "| a\\|b | 3 |\n"
        "| x<br>y z |  |\n");
}

TEST_CASE("empty tables") {
  Table table{{{"ref", "Ref"}, {"title", "标题"}}, {}};
  CHECK(render(table, {}) == "Ref  标题\n");
  CHECK(render(table, with_format(Format::tsv)) == "");
  CHECK(render(table, with_format(Format::csv)) == "ref,title\r\n");
  CHECK(render(table, with_format(Format::json)) == "[]\n");
  CHECK(render(table, with_format(Format::jsonl)) == "");
  CHECK(render(table, with_format(Format::md)) == "| Ref | 标题 |\n| --- | --- |\n");
}

TEST_CASE("rows made on demand render as the same table, in every format") {
  Table table{{{"ref", "Ref"}, {"title", "标题", false, true}, {"count", "Count", true}},
              {{"EXT-1", "质量问题 a|b, \"q\"", "3"}, {"EXT-22", "line1\r\nline2\tx\xff"}, {}}};
  RowSource source{table.columns, table.rows.size(), [&](std::size_t i) { return table.rows[i]; }};
  Table empty{table.columns, {}};
  RowSource none{table.columns, 0, [](std::size_t) { return std::vector<std::string>{}; }};
  for (Format format : {Format::table, Format::tsv, Format::csv, Format::json, Format::jsonl, Format::md}) {
    CAPTURE(to_string(format));
    RenderOptions options = with_format(format);
    options.width = 14;  // shrinks the title column in the table format
    std::ostringstream made, lent, nothing;
    render(source, options, made);
    render(table, options, lent);
    render(none, options, nothing);
    CHECK(made.str() == render(table, options));
    CHECK(lent.str() == render(table, options));
    CHECK(nothing.str() == render(empty, options));
  }
}

TEST_CASE("render_fields aligns values after Chinese labels") {
  std::vector<std::pair<std::string, std::string>> fields{
      {"编号", "EXT-1"}, {"Status", "open"}, {"说明", "line1\r\nline2"}, {"空", ""}};
  CHECK(render_fields(fields, {}) ==
        "编号    EXT-1\n"
        "Status  open\n"
        "说明    line1\n"
        "        line2\n"
        "空\n");

  RenderOptions color;
  color.color = true;
  CHECK(render_fields({{"编号", "EXT-1"}, {"Status", "open"}}, color) ==
        "\x1b[1m编号\x1b[0m    EXT-1\n"
        "\x1b[1mStatus\x1b[0m  open\n");
  CHECK(render_fields({}, {}) == "");
}

TEST_CASE("render_json") {
  nlohmann::json value = {{"a", "质量"}};
  CHECK(render_json(value, false) == "{\"a\":\"质量\"}\n");
  CHECK(render_json(value) == "{\n  \"a\": \"质量\"\n}\n");
  CHECK(render_json(nlohmann::json("bad\xff"), false) == "\"bad\xEF\xBF\xBD\"\n");
}

TEST_CASE("record tables at a narrow terminal: the subject to 16, dates without year, then columns left out") {
  Table table{{{"ref", "Ref"},
               {"status", "Status", false, false, false, 2},
               {"received", "Received", false, false, true, 3},
               {"due", "Due", false, false, true},
               {"subject", "Subject", false, true}},
              {{"EXT-2026-00042", "acknowledged", "2026-09-21 09:00", "2026-09-30 17:30",
                "客户反馈外观划伤严重要求八个工作日内给出报告"}}};
  RenderOptions options;
  auto header = [&] { std::string text = render(table, options); return text.substr(0, text.find('\n')); };
  auto row = [&] { std::string text = render(table, options); return text.substr(text.find('\n') + 1); };
  // Natural width 14 + 12 + 16 + 16 + 44 + 8 = 110.
  options.width = 90;  // the subject cut to 24 is enough: dates whole
  CHECK(header() == "Ref             Status        Received          Due               Subject");
  CHECK(row().find("2026-09-30 17:30") != std::string::npos);
  options.width = 75;  // the subject at 16 is not: the dates lose their year
  CHECK(header() == "Ref             Status        Received     Due          Subject");
  CHECK(row() == "EXT-2026-00042  acknowledged  09-21 09:00  09-30 17:30  客户反馈外观划伤严…\n");
  options.width = 60;  // then received (drop_order 3) is left out
  CHECK(header() == "Ref             Status        Due          Subject");
  options.width = 45;  // then status (2); due (no drop_order) stays
  CHECK(header() == "Ref             Due          Subject");
  CHECK(row() == "EXT-2026-00042  09-30 17:30  客户反馈外观划…\n");  // 16 columns: 15 and no half character
  options.width = 40;  // nothing left to leave out: the subject goes below 16
  CHECK(row() == "EXT-2026-00042  09-30 17:30  客户反馈外…\n");
  options.width = 0;  // no limit (a pipe): everything, as it is
  CHECK(row() == "EXT-2026-00042  acknowledged  2026-09-21 09:00  2026-09-30 17:30  "
                 "客户反馈外观划伤严重要求八个工作日内给出报告\n");
}

TEST_CASE("highlight marks take no width and become colour in tables, or nothing") {
  std::string cell = std::string("产品") + std::string(kHighlightOpen) + "质量" + std::string(kHighlightClose) + "问题";
  CHECK(display_width(cell) == 12);
  Table t;
  t.columns = {{"ref", "ref"}, {"snippet", "snippet", false, true}};
  t.rows = {{"A-1", cell}};
  RenderOptions plain = with_format(Format::table);
  plain.header = false;
  CHECK(render(t, plain) == "A-1  产品质量问题\n");
  RenderOptions color = plain;
  color.color = true;
  CHECK(render(t, color) == "A-1  产品\x1b[1;31m质量\x1b[0m问题\n");
  // Cut inside a mark: the colour still ends with the cell.
  RenderOptions narrow = color;
  narrow.width = 5 + 8;
  t.rows = {{"A-1", std::string("产") + std::string(kHighlightOpen) + "质量质量质量"}};
  auto out = render(t, narrow);
  CHECK(out.find("\x1b[1;31m") != std::string::npos);
  CHECK(out.rfind("\x1b[0m\n") == out.size() - 5);
}

namespace {

/// What a RowWriter writes for `table` when given its rows one at a time.
std::string written(const Table& table, RenderOptions options, std::size_t page_rows = 0) {
  std::ostringstream out;
  RowWriter writer(out, options, msg<Msg::standard_output>(), page_rows);
  writer.begin(table.columns);
  for (const auto& row : table.rows) writer.row(row);
  writer.end();
  return std::move(out).str();
}

/// A stream buffer that takes `room` bytes, then fails every write with ENOSPC.
class FullBuffer : public std::streambuf {
 public:
  explicit FullBuffer(std::size_t room) : room_(room) {}

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    if (static_cast<std::size_t>(n) > room_) {
      errno = ENOSPC;
      return 0;
    }
    room_ -= static_cast<std::size_t>(n);
    return n;
  }
  int_type overflow(int_type ch) override {
    char c = traits_type::to_char_type(ch);
    return xsputn(&c, 1) == 1 ? ch : traits_type::eof();
  }

 private:
  std::size_t room_;
};

}  // namespace

TEST_CASE("RowWriter writes what render writes, in every format") {
  Table t;
  t.columns = {{"ref", "Ref"}, {"n", "N", true}, {"subject", "Subject", false, true}};
  t.rows = {{"A-1", "3", "plain"},
            {"A-2", "12", "tab\there, CRLF\r\nand | pipe, \"quoted\", 中文"},
            {"A-3", "", " padded "},
            {"A-4"}};
  for (Format format : {Format::table, Format::tsv, Format::csv, Format::json, Format::jsonl, Format::md}) {
    CAPTURE(to_string(format));
    CHECK(written(t, with_format(format)) == render(t, with_format(format)));
    RenderOptions narrow = with_format(format);
    narrow.width = 20;
    CHECK(written(t, narrow) == render(t, narrow));
  }
  Table empty;
  empty.columns = t.columns;
  for (Format format : {Format::table, Format::tsv, Format::csv, Format::json, Format::jsonl, Format::md}) {
    CAPTURE(to_string(format));
    CHECK(written(empty, with_format(format)) == render(empty, with_format(format)));
  }
}

TEST_CASE("RowWriter draws tables a page at a time, the header above the first") {
  Table t;
  t.columns = {{"id", "#", true}, {"what", "What"}};
  t.rows = {{"1", "a"}, {"2", "bb"}, {"10", "c"}};
  CHECK(written(t, with_format(Format::table), 2) == "#  What\n1  a\n2  bb\n10  c\n");  // each page aligned by itself
  CHECK(written(t, with_format(Format::md), 2) == "| # | What |\n| ---: | --- |\n| 1 | a |\n| 2 | bb |\n| 10 | c |\n");
  // A last page with no rows adds nothing; an empty table is its header.
  t.rows.pop_back();
  CHECK(written(t, with_format(Format::table), 2) == "#  What\n1  a\n2  bb\n");
  t.rows.clear();
  CHECK(written(t, with_format(Format::table), 2) == "#  What\n");
  // Streaming formats are not paged.
  t.rows = {{"1", "a"}, {"2", "b"}, {"3", "c"}};
  CHECK(written(t, with_format(Format::csv), 2) == render(t, with_format(Format::csv)));
}

TEST_CASE("RowWriter typed rows: numbers and null in JSON, numbers right-aligned in tables") {
  auto typed = [](Format format) {
    std::ostringstream out;
    RowWriter writer(out, with_format(format));
    writer.begin({{"n", "n"}, {"x", "x"}, {"s", "s"}, {"n", "n"}}, true);
    writer.row(std::vector<Value>{std::int64_t{7}, 2.0, std::string("a\tb"), std::monostate{}});
    writer.row(std::vector<Value>{std::int64_t{-1}, 0.5, std::monostate{}, std::int64_t{3}});
    writer.end();
    return std::move(out).str();
  };
  CHECK(typed(Format::jsonl) == "{\"n\":7,\"x\":2.0,\"s\":\"a\\tb\",\"n_2\":null}\n"
                                "{\"n\":-1,\"x\":0.5,\"s\":null,\"n_2\":3}\n");
  CHECK(typed(Format::json) == "[\n  {\n    \"n\": 7,\n    \"x\": 2.0,\n    \"s\": \"a\\tb\",\n    \"n_2\": null\n  },\n"
                               "  {\n    \"n\": -1,\n    \"x\": 0.5,\n    \"s\": null,\n    \"n_2\": 3\n  }\n]\n");
  CHECK(typed(Format::tsv) == "7\t2.0\ta b\t\n-1\t0.5\t\t3\n");
  CHECK(typed(Format::csv) == "n,x,s,n\r\n7,2.0,a\tb,\r\n-1,0.5,,3\r\n");
  CHECK(typed(Format::table) == " n    x  s    n\n 7  2.0  a b\n-1  0.5       3\n");
  CHECK(value_text(Value{1e20}) == "1e+20");
  CHECK(value_text(Value{3.0}) == "3.0");
}

TEST_CASE("RowWriter writes given JSON objects as they are, and nothing before the first row") {
  std::ostringstream out;
  {
    RowWriter writer(out, with_format(Format::json));
    writer.begin({{"a", "a"}});
    CHECK(out.str().empty());
    writer.object({{"b", 1}, {"a", {{"nested", true}}}});
    writer.object({{"c", nullptr}});
    writer.end();
  }
  CHECK(out.str() == "[\n  {\n    \"a\": {\n      \"nested\": true\n    },\n    \"b\": 1\n  },\n  {\n    \"c\": null\n  }\n]\n");
  std::ostringstream lines;
  RowWriter writer(lines, with_format(Format::jsonl));
  writer.begin({});
  writer.object({{"b", "中文"}, {"a", 1}});
  writer.end();
  CHECK(lines.str() == "{\"a\":1,\"b\":\"中文\"}\n");
  CHECK(writer.rows() == 1);
}

TEST_CASE("RowWriter: a stream that fails is an OutputError naming the destination") {
  Table t;
  t.columns = {{"text", "text"}};
  for (int i = 0; i < 5000; ++i) t.rows.push_back({std::string(40, 'x')});
  for (Format format : {Format::tsv, Format::json, Format::table}) {
    CAPTURE(to_string(format));
    FullBuffer full(1000);
    std::ostream out(&full);
    RowWriter writer(out, with_format(format), msg<Msg::standard_output>());
    writer.begin(t.columns);
    bool thrown = false;
    try {
      for (const auto& row : t.rows) writer.row(row);
      writer.end();
    } catch (const OutputError& e) {
      thrown = true;
      CHECK(e.code() == ExitCode::io);
      CHECK(e.error_number == ENOSPC);
      CHECK(std::string(e.what()) == "cannot write to standard output: No space left on device");
      CHECK_FALSE(e.hint().empty());
    }
    CHECK(thrown);
  }
  // A small output fails when it is ended (flushed), not silently.
  FullBuffer none(0);
  std::ostream out(&none);
  RowWriter writer(out, with_format(Format::tsv));
  writer.begin({{"a", "a"}});
  writer.row(std::vector<std::string>{"1"});
  CHECK_THROWS_AS(writer.end(), OutputError);
}
