#include "render.h"

#include <sstream>

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
