#include "report_html.h"

#include <regex>
#include <string>
#include <vector>

#include <date/date.h>
#include <fmt/format.h>
#include <doctest/doctest.h>

using namespace liaison;
using namespace std::chrono_literals;

namespace {

const Config& manufacturing() {
  static const Config config =
      load_config(std::string(LIAISON_SOURCE_DIR) + "/examples/manufacturing/liaison.toml");
  return config;
}

/// A moment given in Beijing time (UTC+8, the example's zone).
TimePoint beijing(date::year_month_day day, std::chrono::minutes time = 0min) {
  return TimePoint{date::sys_days{day}} + time - 8h;
}

/// October 2026 with something in every section.
Report full_report() {
  using namespace date::literals;
  Report r;
  r.period.label = "2026-10";
  r.period.from = beijing(2026_y / 10 / 1);
  r.period.to = beijing(2026_y / 11 / 1);
  r.period.previous_from = beijing(2026_y / 9 / 1);
  r.period.previous_to = r.period.from;
  r.volume.total = 16;
  r.volume.by_direction_kind = {{Direction::external, "complaint", 6},
                                {Direction::external, "inquiry", 2},
                                {Direction::internal, "complaint", 3},
                                {Direction::internal, "suggestion", 5}};
  r.volume.by_owner = {{"quality", 10}, {"hr", 5}, {"purchasing", 1}};
  r.volume.by_channel = {{"email", 8}, {"oral", 6}, {"", 2}};
  r.volume.by_party_type = {{"", 8}, {"customer", 6}, {"supplier", 2}};
  r.volume.top_parties = {{"svw", "上汽大众汽车有限公司", "customer", 4}, {"baosteel", "宝山钢铁股份有限公司", "supplier", 1}};
  r.flow = {3, 16, 12, 1, 8};
  Timeliness all{"all", "", 10, 8, 4 * 3600, 20 * 3600, 9, 6, 16 * 3600, 40 * 3600};
  Timeliness quality{"department", "quality", 6, 5, 3 * 3600, 10 * 3600, 6, 4, 12 * 3600, 30 * 3600};
  Timeliness complaint{"kind", "complaint", 9, 7, std::nullopt, std::nullopt, 8, 5, 14 * 3600, 38 * 3600};
  r.timeliness = {all, quality, complaint};
  r.overdue_by_owner = {{"quality", 2}, {"hr", 1}};
  r.overdue = {
      {"EXT-2026-00007", "quality", "gao.feng", "complaint", "<script>alert(1)</script> & \"引号\" 'x'",
       beijing(2026_y / 10 / 9, 17h + 30min), 12, 12 * 8 * 3600, "internal"},
      {"EXT-2026-00009", "quality", "gao.feng", "complaint", "批次 2609 支架尺寸超差", beijing(2026_y / 10 / 20, 17h + 30min), 5,
       5 * 8 * 3600, "internal"},
      {"INT-2026-00003", "hr", "", "complaint", "冲压车间夜班加班费计算有误", beijing(2026_y / 10 / 28, 17h + 30min), 2, 16 * 3600, "internal"},
  };
  r.overdue_total = 3;
  r.suggestions = {5, 2, 1, 0, 2};
  r.major_total = 1;
  r.major = {{"EXT-2026-00003", "complaint", "quality", "客户停线,索赔 20 万元", beijing(2026_y / 9 / 28, 9h), true,
              beijing(2026_y / 10 / 15, 10h), "gm", "internal"}};
  r.current = {16, 12, 8, 3, 10, 8, 9, 6};
  r.previous = {13, 14, 4, 1, 8, 8, 0, 0};
  r.provenance.period = "2026-10";
  r.provenance.from = r.period.from;
  r.provenance.to = r.period.to;
  r.provenance.end = r.period.to;
  r.provenance.now = beijing(2026_y / 11 / 2, 9h);
  r.provenance.version = "0.1.0";
  r.provenance.last_event_id = 123;
  r.provenance.config_hash = "abc123";
  r.provenance.timezone = "Asia/Shanghai";
  r.provenance.filter.kinds = {"complaint"};
  return r;
}

/// A period in which nothing happened.
Report empty_report() {
  using namespace date::literals;
  Report r;
  r.period.label = "2026-10";
  r.period.from = beijing(2026_y / 10 / 1);
  r.period.to = beijing(2026_y / 11 / 1);
  r.period.previous_from = beijing(2026_y / 9 / 1);
  r.period.previous_to = r.period.from;
  r.provenance.period = "2026-10";
  r.provenance.from = r.period.from;
  r.provenance.to = r.period.to;
  r.provenance.end = r.period.to;
  r.provenance.now = r.period.to;
  r.provenance.timezone = "Asia/Shanghai";
  return r;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

/// The text of each <svg class="chart"> … </svg>, in order.
std::vector<std::string> charts(const std::string& html) {
  std::vector<std::string> found;
  for (std::size_t at = html.find("<svg class=\"chart\""); at != std::string::npos;
       at = html.find("<svg class=\"chart\"", at + 1))
    found.push_back(html.substr(at, html.find("</svg>", at) - at));
  return found;
}

/// The widths of the bars of one chart.
std::vector<double> bar_widths(const std::string& svg) {
  static const std::regex bar(R"re(<rect class="bar"[^>]* width="([0-9.]+)")re");
  std::vector<double> widths;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator(); ++it)
    widths.push_back(std::stod((*it)[1].str()));
  return widths;
}

}  // namespace

TEST_CASE("html_escape replaces the five special characters") {
  CHECK(html_escape("<a href=\"x\">O'Neil & 张三</a>") ==
        "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; 张三&lt;/a&gt;");
  CHECK(html_escape("a\x01" "b\tc\nd\x7f") == "a b\tc\nd ");
  CHECK(html_escape("") == "");
}

TEST_CASE("the html report escapes text from the data") {
  std::string html = render_report_html(full_report(), manufacturing(), Lang::zh);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;引号&quot; &#39;x&#39;") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("alert(1)</script>") == std::string::npos);
}

TEST_CASE("the html report is self-contained") {
  for (const Report& report : {full_report(), empty_report()}) {
    for (Lang lang : {Lang::zh, Lang::en}) {
      CAPTURE(static_cast<int>(lang));
      std::string html = render_report_html(report, manufacturing(), lang);
      CHECK(html.rfind("<!DOCTYPE html>\n", 0) == 0);
      CHECK(html.find("<meta charset=\"utf-8\">") != std::string::npos);
      CHECK(html.find("default-src 'none'") != std::string::npos);  // CSP: nothing may be fetched
      for (const char* external : {"http:", "https:", "//", "<script", "<link", "<img", "<iframe", "<object",
                                   "@import", "src=", "href=", "@font-face"})
        CHECK_MESSAGE(html.find(external) == std::string::npos, "found ", external);
      // url() only for the fill patterns defined in the page itself (#liaison-…).
      for (std::size_t at = html.find("url("); at != std::string::npos; at = html.find("url(", at + 1))
        CHECK(html.compare(at, 13, "url(#liaison-") == 0);
      CHECK(html.find("</html>\n") == html.size() - 8);
    }
  }
}

TEST_CASE("the html report has its sections in order, titled in the language asked for") {
  std::string zh = render_report_html(full_report(), manufacturing(), Lang::zh);
  CHECK(zh.find("<html lang=\"zh-CN\">") != std::string::npos);
  CHECK(zh.find("<title>江苏某汽车零部件有限公司 — 内外部沟通汇总报告 2026-10</title>") != std::string::npos);
  std::size_t last = 0;
  for (const char* id : {"id=\"volume\"", "id=\"flow\"", "id=\"timeliness\"", "id=\"overdue\"", "id=\"suggestions\"",
                         "id=\"change\"", "<footer>"}) {
    CAPTURE(id);
    std::size_t at = zh.find(id);
    REQUIRE(at != std::string::npos);
    CHECK(at > last);
    last = at;
  }
  for (const char* title : {"一、收到的沟通记录", "二、流转情况", "三、及时性", "四、期末超期", "五、合理化建议与重大事项",
                            "六、与上期比较", "报告来源"})
    CHECK_MESSAGE(zh.find(title) != std::string::npos, title);

  std::string en = render_report_html(full_report(), manufacturing(), Lang::en);
  CHECK(en.find("<html lang=\"en\">") != std::string::npos);
  CHECK(en.find("<h2>1. Volume received</h2>") != std::string::npos);
  CHECK(en.find("external · Complaint") != std::string::npos);  // kinds by name_en in English
  CHECK(en.find("投诉/抱怨") == std::string::npos);
}

TEST_CASE("Chinese text from the config and the data is kept intact") {
  std::string html = render_report_html(full_report(), manufacturing(), Lang::zh);
  for (const char* text : {"江苏某汽车零部件有限公司", "品质部", "人力资源部", "电子邮件", "口头/面谈", "客户",
                           "上汽大众汽车有限公司 (客户)", "外部 · 投诉/抱怨", "批次 2609 支架尺寸超差",
                           "客户停线,索赔 20 万元", "高峰", "总经办", "（未注明）", "（无相关方）"})
    CHECK_MESSAGE(html.find(text) != std::string::npos, text);
}

TEST_CASE("one SVG chart per chart-worthy figure, bars proportional to the counts") {
  std::string html = render_report_html(full_report(), manufacturing(), Lang::zh);
  std::vector<std::string> svgs = charts(html);
  // direction × kind, owner, channel, party type, top parties, Pareto by party, flow, on-time
  // rate by department, overdue by owner, suggestions (the trend: only when computed)
  REQUIRE(svgs.size() == 10);
  CHECK(occurrences(html, "</svg>") == 11);  // and the patterns' definitions

  std::vector<double> by_kind = bar_widths(svgs[0]);  // 6, 2, 3, 5 of a largest 6
  REQUIRE(by_kind.size() == 4);
  CHECK(by_kind[0] == doctest::Approx(360));
  CHECK(by_kind[1] == doctest::Approx(120));
  CHECK(by_kind[2] == doctest::Approx(180));
  CHECK(by_kind[3] == doctest::Approx(300));

  std::vector<double> by_owner = bar_widths(svgs[1]);  // 10, 5, 1
  REQUIRE(by_owner.size() == 3);
  CHECK(by_owner[0] == doctest::Approx(360));
  CHECK(by_owner[1] == doctest::Approx(180));
  CHECK(by_owner[2] == doctest::Approx(36));
  CHECK(svgs[1].find(">10 (62.5%)<") != std::string::npos);  // value label with the share of the total
  CHECK(svgs[1].find(">品质部<") != std::string::npos);

  std::vector<double> flow = bar_widths(svgs[6]);  // 3, 16, 12, 1, 8
  REQUIRE(flow.size() == 5);
  CHECK(flow[1] == doctest::Approx(360));
  CHECK(flow[3] == doctest::Approx(22.5));

  // Suggestions: adopted 2, rejected 1, other 0 (no bar, but its label and 0), pending 2.
  std::vector<double> suggestions = bar_widths(svgs[9]);
  CHECK(suggestions.size() == 3);
  CHECK(svgs[9].find(">其他方式关闭<") != std::string::npos);
  CHECK(svgs[9].find(">0<") != std::string::npos);
}

namespace {

/// The attribute `name` of each element `<tag class="cls"` in `svg`, as numbers, in order.
std::vector<double> attributes(const std::string& svg, const std::string& tag_and_class, const std::string& name) {
  const std::regex element("<" + tag_and_class + "[^>]* " + name + "=\"([0-9.]+)\"");
  std::vector<double> values;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), element); it != std::sregex_iterator(); ++it)
    values.push_back(std::stod((*it)[1].str()));
  return values;
}

/// The chart whose data-chart is `name`, or "".
std::string chart_named(const std::string& html, const std::string& name) {
  for (const std::string& svg : charts(html))
    if (svg.find("data-chart=\"" + name + "\"") != std::string::npos) return svg;
  return {};
}

}  // namespace

TEST_CASE("Pareto chart of complaints by party: most first, the rest as Others, the cumulative share") {
  std::string html = render_report_html(full_report(), manufacturing(), Lang::zh);
  std::string svg = chart_named(html, "pareto-party");
  REQUIRE(!svg.empty());
  // External complaints 6: svw 4, baosteel 1, others 1; bars of 4, 1, 1 on an axis to 4.
  std::vector<double> heights = attributes(svg, "rect class=\"s-dark\" x", "height");
  REQUIRE(heights.size() == 4);  // the legend's swatch, then the three bars
  CHECK(heights[1] == doctest::Approx(180));
  CHECK(heights[2] == doctest::Approx(45));
  CHECK(heights[3] == doctest::Approx(45));
  CHECK(svg.find("上汽大众汽车有限公司: 4 (66.7%)") != std::string::npos);
  CHECK(svg.find(">其他<") != std::string::npos);
  CHECK(svg.find("累计占比: 83.3%") != std::string::npos);
  CHECK(svg.find("累计占比: 100.0%") != std::string::npos);
  CHECK(svg.find("<polyline class=\"line dashed\"") != std::string::npos);
}

TEST_CASE("on-time rates by department: acknowledge and resolve bars out of 100%") {
  std::string html = render_report_html(full_report(), manufacturing(), Lang::en);
  std::string svg = chart_named(html, "department-rates");
  REQUIRE(!svg.empty());
  // quality: 5 of 6 acknowledged on time, 4 of 6 resolved; 100% = 360 units.
  CHECK(attributes(svg, "rect class=\"s-hatch\" x=\"240\"", "width") == std::vector<double>{14.0, 300.0});  // legend, bar
  CHECK(attributes(svg, "rect class=\"s-dark\" x=\"240\"", "width") == std::vector<double>{240.0});
  CHECK(svg.find(">83.3% (5/6)<") != std::string::npos);
  CHECK(svg.find(">66.7% (4/6)<") != std::string::npos);
}

TEST_CASE("twelve-month trend: counts as grouped bars, the on-time rate as a line, the figures as a table") {
  Report r = full_report();
  for (int i = 0; i < 12; ++i) {
    TrendMonth m;
    m.label = fmt::format("{}-{:02}", i < 2 ? 2025 : 2026, i < 2 ? 11 + i : i - 1);
    r.trend.push_back(m);
  }
  r.trend[11].totals = {16, 12, 8, 3, 10, 8, 9, 6};  // 2026-10
  r.trend[10].totals = {8, 4, 6, 2, 5, 5, 4, 4};     // 2026-09
  std::string html = render_report_html(r, manufacturing(), Lang::zh);
  std::string counts = chart_named(html, "trend-counts");
  REQUIRE(!counts.empty());
  CHECK(counts.find(">2025-11<") != std::string::npos);
  CHECK(counts.find(">2026-10<") != std::string::npos);
  CHECK(counts.find("2026-10 收到: 16") != std::string::npos);
  CHECK(counts.find("2026-09 月末超期: 2") != std::string::npos);
  // Axis to 20 over 188 units: 16 received in October is 150.4 high.
  CHECK(attributes(counts, "rect class=\"s-dark\" x=\"[0-9.]+\" y", "height").back() == doctest::Approx(150.4));
  std::string rates = chart_named(html, "trend-rate");
  REQUIRE(!rates.empty());
  CHECK(rates.find("2026-10: 66.7% (6/9)") != std::string::npos);
  CHECK(rates.find("2026-09: 100.0% (4/4)") != std::string::npos);
  CHECK(occurrences(rates, "<rect class=\"marker\"") == 3);  // the legend's and two months'
  CHECK(html.find("<td class=\"name\">按时处理率（%）</td>") != std::string::npos);
  // A trend of nothing but empty months says so instead of drawing.
  for (auto& m : r.trend) m.totals = {};
  html = render_report_html(r, manufacturing(), Lang::zh);
  CHECK(chart_named(html, "trend-counts").empty());
  CHECK(html.find("近 12 个月趋势（至本期末）</h3>\n<p class=\"none\">") != std::string::npos);
}

TEST_CASE("title, form number and sign-off block from [report]") {
  std::string zh = render_report_html(full_report(), manufacturing(), Lang::zh);
  CHECK(zh.find("<section id=\"signoff\"") != std::string::npos);
  for (const char* role : {"<tr><th>编制</th>", "<tr><th>审核</th>", "<tr><th>批准</th>"})
    CHECK_MESSAGE(zh.find(role) != std::string::npos, role);
  CHECK(occurrences(zh, "<td class=\"blank\"></td>") == 6);  // signature and date for each
  CHECK(zh.find("class=\"form-no\"") == std::string::npos);    // no form number unless configured
  std::string en = render_report_html(full_report(), manufacturing(), Lang::en);
  CHECK(en.find("<tr><th>Prepared</th><td class=\"what\">Signature</td>") != std::string::npos);

  Config config = manufacturing();
  config.report.title = "2026 年管理评审输入 <沟通>";
  config.report.form_no = "QR-7.4-01";
  config.report.signoff = std::vector<std::string>{"制表", "部门负责人"};
  std::string custom = render_report_html(full_report(), config, Lang::zh);
  CHECK(custom.find("<h1>2026 年管理评审输入 &lt;沟通&gt;</h1>") != std::string::npos);
  CHECK(custom.find("<title>江苏某汽车零部件有限公司 — 2026 年管理评审输入 &lt;沟通&gt; 2026-10</title>") !=
        std::string::npos);
  CHECK(custom.find("<p class=\"form-no\">表单编号: QR-7.4-01</p>") != std::string::npos);
  CHECK(custom.find("<p class=\"form-footer\">表单编号: QR-7.4-01 · 2026 年管理评审输入 &lt;沟通&gt; · 2026-10</p>") !=
        std::string::npos);
  // On every printed page: the page's bottom margin box, with the page number.
  CHECK(custom.find("@page { @bottom-right { content: \"表单编号: QR-7.4-01 ·\" \" \" counter(page) \"/\" counter(pages);") !=
        std::string::npos);
  CHECK(zh.find("@bottom-right") == std::string::npos);  // none without a form number
  Config tricky = config;
  tricky.report.form_no = "A\"</style><script>\\";
  std::string escaped = render_report_html(full_report(), tricky, Lang::en);
  CHECK(escaped.find("content: \"Form No.: A\\22 \\3c /style\\3e \\3c script\\3e \\5c  ·\"") != std::string::npos);
  CHECK(occurrences(escaped, "</style>") == 1);
  CHECK(custom.find("<tr><th>部门负责人</th>") != std::string::npos);
  CHECK(custom.find("<tr><th>批准</th>") == std::string::npos);
  config.report.signoff = std::vector<std::string>{};
  CHECK(render_report_html(full_report(), config, Lang::zh).find("id=\"signoff\"") == std::string::npos);
}

TEST_CASE("lists cut by --details say how many of how many they show; the counts stay whole") {
  Report r = full_report();
  r.overdue_total = 120;
  r.overdue_by_owner = {{"quality", 100}, {"hr", 20}};
  r.major_total = 7;
  r.details = 3;
  std::string en = render_report_html(r, manufacturing(), Lang::en);
  CHECK(en.find("<p class=\"listed\">3 of 120 listed; --details all lists them all.</p>") != std::string::npos);
  CHECK(en.find("<p class=\"listed\">1 of 7 listed; --details all lists them all.</p>") != std::string::npos);
  CHECK(en.find("Overdue at the end: <strong>120</strong>") != std::string::npos);
  std::string zh = render_report_html(r, manufacturing(), Lang::zh);
  CHECK(zh.find("<p class=\"listed\">共 120 条，列出 3 条；--details all 列出全部。</p>") != std::string::npos);
  // --details 0: the figure, the chart and the line, no table of records.
  r.overdue.clear();
  r.major.clear();
  std::string none = render_report_html(r, manufacturing(), Lang::en);
  CHECK(none.find("<p class=\"listed\">0 of 120 listed;") != std::string::npos);
  CHECK(none.find("<p class=\"listed\">0 of 7 listed;") != std::string::npos);
  CHECK(none.find("<td class=\"ref\">") == std::string::npos);
  CHECK(none.find("Overdue by owner department") != std::string::npos);  // the chart of the counts
  // A list that holds them all says nothing.
  CHECK(render_report_html(full_report(), manufacturing(), Lang::en).find("class=\"listed\"") == std::string::npos);
}

TEST_CASE("an empty period shows 'none' lines, not broken charts") {
  std::string html = render_report_html(empty_report(), manufacturing(), Lang::zh);
  CHECK(html.find("<svg") == std::string::npos);
  CHECK(html.find("<rect") == std::string::npos);
  CHECK(occurrences(html, "<p class=\"none\">（无）</p>") == 7);  // 5 volume charts, flow, timeliness
  CHECK(html.find("期末没有超期记录。") != std::string::npos);
  CHECK(html.find("本期没有未关闭的重大事项。") != std::string::npos);
  CHECK(html.find("收到合计: <strong>0</strong>") != std::string::npos);

  std::string en = render_report_html(empty_report(), manufacturing(), Lang::en);
  CHECK(en.find("Nothing was overdue at the end of the period.") != std::string::npos);
}

TEST_CASE("times in the organisation's zone, rates, working hours and signed changes") {
  std::string html = render_report_html(full_report(), manufacturing(), Lang::zh);
  CHECK(html.find("<td class=\"time\">2026-10-09 17:30</td>") != std::string::npos);        // overdue due
  CHECK(html.find("已关闭 2026-10-15 10:00") != std::string::npos);                        // major closed
  CHECK(html.find("<td>2026-11-02T09:00:00+08:00</td>") != std::string::npos);              // provenance now
  CHECK(html.find("<td>abc123</td>") != std::string::npos);
  CHECK(html.find("<td>类别: 投诉/抱怨</td>") != std::string::npos);                          // filters
  // timeliness "all": 8 of 10 acknowledged on time, median 4.0 wh, p90 20.0 wh
  CHECK(html.find("<td class=\"num\">10</td><td class=\"num\">8</td><td class=\"num\">80.0%</td>"
                  "<td class=\"num\">4.0</td><td class=\"num\">20.0</td>") != std::string::npos);
  CHECK(html.find("<td class=\"num\">—</td>") != std::string::npos);                         // no median
  // change: received 16 vs 13, closed 12 vs 14, ack rate 80% vs 100%, resolve rate vs no data
  CHECK(html.find("<td class=\"num\">16</td><td class=\"num\">13</td><td class=\"num\">+3</td>") != std::string::npos);
  CHECK(html.find("<td class=\"num\">12</td><td class=\"num\">14</td><td class=\"num\">-2</td>") != std::string::npos);
  CHECK(html.find("<td class=\"num\">80.0%</td><td class=\"num\">100.0%</td><td class=\"num\">-20.0 个百分点</td>") !=
        std::string::npos);
  CHECK(html.find("<td class=\"num\">66.7%</td><td class=\"num\">—</td><td class=\"num\">—</td>") != std::string::npos);
}

TEST_CASE("the html report prints on A4 without splitting tables or charts") {
  std::string html = render_report_html(full_report(), manufacturing(), Lang::en);
  CHECK(html.find("@page { size: A4; margin: 15mm; }") != std::string::npos);
  CHECK(html.find("break-inside: avoid") != std::string::npos);
  CHECK(html.find("Noto Sans CJK SC") != std::string::npos);
}
