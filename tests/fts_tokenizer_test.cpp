// Tests of lib/fts/fts_tokenizer.cpp: normalisation, words, CJK bigrams and run ends, the
// query expression built from user text, match ranges and snippets.
#include "fts_tokenizer.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace liaison::fts {
namespace {

struct Term {
  std::string text;
  std::size_t start, end;
  bool colocated;
  bool operator==(const Term&) const = default;
};

std::vector<Term> terms(std::string_view text, Mode mode = Mode::document) {
  std::vector<Term> out;
  tokenize(text, mode, [&](std::string_view t, std::size_t s, std::size_t e, bool c) {
    out.push_back({std::string(t), s, e, c});
    return 0;
  });
  return out;
}

std::vector<std::string> texts(std::string_view text, Mode mode = Mode::document) {
  std::vector<std::string> out;
  for (const auto& t : terms(text, mode)) out.push_back(t.text);
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("Chinese runs become overlapping bigrams plus the run's last character") {
  CHECK(texts("产品质量问题") == V{"产品", "品质", "质量", "量问", "问题", "题"});
  auto t = terms("质量问题");
  REQUIRE(t.size() == 4);
  CHECK(t[0] == Term{"质量", 0, 6, false});
  CHECK(t[1] == Term{"量问", 3, 9, false});
  CHECK(t[2] == Term{"问题", 6, 12, false});
  CHECK(t[3] == Term{"题", 9, 12, true});  // at the position of the last bigram
  // A lone character is itself, once.
  CHECK(terms("质") == std::vector<Term>{{"质", 0, 3, false}});
  // Queries: bigrams only, so a word is a phrase of its bigrams.
  CHECK(texts("质量问题", Mode::query) == V{"质量", "量问", "问题"});
  CHECK(texts("质", Mode::query) == V{"质"});
}

TEST_CASE("mixed Chinese and English: words, digits, script changes split") {
  CHECK(texts("上汽大众来函:250819-3D批前副车架") ==
        V{"上汽", "汽大", "大众", "众来", "来函", "函", "250819", "3d", "批前", "前副", "副车", "车架", "架"});
  CHECK(texts("Customer complaint - door hinge") == V{"customer", "complaint", "door", "hinge"});
  CHECK(texts("IATF 16949内审员培训") == V{"iatf", "16949", "内审", "审员", "员培", "培训", "训"});
  CHECK(texts("要求8D报告") == V{"要求", "求", "8d", "报告", "告"});
}

TEST_CASE("Chinese and ASCII punctuation separate terms") {
  CHECK(texts("质量，问题。") == V{"质量", "量", "问题", "题"});
  CHECK(texts("《安全生产法》修订") == V{"安全", "全生", "生产", "产法", "法", "修订", "订"});
  CHECK(texts("【通知】（重要）“质量”、投诉；") ==
        V{"通知", "知", "重要", "要", "质量", "量", "投诉", "诉"});
  CHECK(texts("a.b,c;d:e!f?g(h)i\"j'k") == V{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"});
  CHECK(texts("中・日") == V{"中", "日"});  // katakana middle dot is punctuation
}

TEST_CASE("full-width letters and digits, case and accents are normalised") {
  CHECK(texts("ＡＢＣ１２３") == V{"abc123"});
  CHECK(texts("ＩＡＴＦ　１６９４９") == V{"iatf", "16949"});  // ideographic space separates
  CHECK(texts("PPAP Ppap ppap") == V{"ppap", "ppap", "ppap"});
  CHECK(texts("Straße") == V{"strasse"});
  CHECK(texts("café cafe\xCC\x81") == V{"cafe", "cafe"});  // precomposed and combining accent
  CHECK(texts("TÜV南德") == V{"tuv", "南德", "德"});
  // Offsets are those of the source text, whatever the normalised length.
  auto t = terms("ＡＢ");
  REQUIRE(t.size() == 1);
  CHECK(t[0] == Term{"ab", 0, 6, false});
}

TEST_CASE("emoji, symbols, empty and invalid text give no terms") {
  CHECK(texts("").empty());
  CHECK(texts("   \t\n").empty());
  CHECK(texts("，。！？……——").empty());
  CHECK(texts("😀👍🏻").empty());
  CHECK(texts("质量😀问题") == V{"质量", "量", "问题", "题"});
  CHECK(texts("\xff\xfe" "abc\xc3") == V{"abc"});
}

TEST_CASE("Japanese kana and Korean Hangul are bigrammed like Chinese") {
  CHECK(texts("カタカナ") == V{"カタ", "タカ", "カナ", "ナ"});
  CHECK(texts("ｶﾀｶﾅ") == V{"カタ", "タカ", "カナ", "ナ"});  // half-width to full-width
  CHECK(texts("품질") == V{"품질", "질"});
}

TEST_CASE("very long words are cut, consistently") {
  std::string longword(200, 'x');
  auto t = texts(longword);
  REQUIRE(t.size() == 1);
  CHECK(t[0] == std::string(kMaxWordUnits, 'x'));
}

TEST_CASE("a search becomes quoted phrases, ANDed, taken literally") {
  CHECK(match_expression("质量") == "\"质量\"");
  CHECK(match_expression("产品质量问题") == "\"产品质量问题\"");
  CHECK(match_expression("质") == "\"质\" *");
  CHECK(match_expression("Door HINGE") == "\"door\" \"hinge\"");
  CHECK(match_expression("ＰＰＡＰ 质量") == "\"ppap\" \"质量\"");
  // FTS5 syntax is only text: operators are words, punctuation separates.
  CHECK(match_expression("a AND b") == "\"a\" \"and\" \"b\"");
  CHECK(match_expression("NEAR(a b)") == "\"near\" \"a\" \"b\"");
  CHECK(match_expression("\"quoted\" OR x*") == "\"quoted\" \"or\" \"x\"");
  CHECK(match_expression("subject:质量 -问题 ^开头") == "\"subject\" \"质量\" \"问题\" \"开头\"");
  CHECK(match_expression("8D报告") == "\"8d\" \"报告\"");
  // Nothing searchable.
  CHECK_FALSE(match_expression(""));
  CHECK_FALSE(match_expression("  "));
  CHECK_FALSE(match_expression("\"\"()*:-^"));
  CHECK_FALSE(match_expression("，。😀"));
}

TEST_CASE("match ranges: whole words, CJK substrings within a run") {
  using R = std::vector<std::pair<std::size_t, std::size_t>>;
  CHECK(find_matches("产品质量问题", "质量") == R{{6, 12}});
  CHECK(find_matches("质量，量问", "质量问") == R{});  // not across punctuation
  CHECK(find_matches("Door hinge, DOOR", "door") == R{{0, 4}, {12, 16}});
  CHECK(find_matches("doors", "door") == R{});
  CHECK(find_matches("ＡＢＣ问题", "abc") == R{{0, 9}});
  CHECK(find_matches("质量问题质量", "质") == R{{0, 3}, {12, 15}});
  CHECK(find_matches("质量问题", "质量 问题") == R{{0, 12}});  // adjacent ranges merge
}

TEST_CASE("snippets: around the first match, marked, cut with an ellipsis") {
  auto s = make_snippet("客户来函反映产品质量问题，要求8D报告", "质量");
  CHECK(s.text == "客户来函反映产品质量问题，要求8D报告");
  REQUIRE(s.marks.size() == 1);
  CHECK(s.text.substr(s.marks[0].first, s.marks[0].second - s.marks[0].first) == "质量");
  CHECK(s.matched == 1);

  std::string long_text = std::string(60, 'a') + " 质量问题 " + std::string(60, 'b');
  auto cut = make_snippet(long_text, "质量", 20);
  CHECK(cut.text.rfind("…", 0) == 0);
  CHECK(cut.text.size() > 3);
  REQUIRE(cut.marks.size() == 1);
  CHECK(cut.text.substr(cut.marks[0].first, cut.marks[0].second - cut.marks[0].first) == "质量");

  auto none = make_snippet("line one\nline two", "absent");
  CHECK(none.text == "line one line two");
  CHECK(none.marks.empty());
  CHECK(none.matched == 0);

  // The excerpt does not start inside a run of ASCII.
  auto mid = make_snippet("客户来函反映支架孔距超差较多约0.3mm。要求8D报告。后续另行通知各相关部门", "8d", 24);
  CHECK(mid.text.rfind("…。要求8D", 0) == 0);

  CHECK(make_snippet("Door and hinge", "door hinge").matched == 2);
  CHECK(make_snippet("", "x").text.empty());
}

}  // namespace liaison::fts
