#include "report_html.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "calendar.h"
#include "messages.h"
#include "render.h"
#include "report_labels.h"

namespace liaison {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') || c == '\x7f')
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

namespace {

// Print-friendly, black-and-white-readable styles; the font stack reaches a CJK font on
// Linux, Windows and macOS without loading any.
constexpr std::string_view kStyle = R"css(
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
    "WenQuanYi Micro Hei", sans-serif; font-size: 14px; line-height: 1.5; color: #111;
    background: #fff; max-width: 820px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 2px; }
h2 { font-size: 17px; border-bottom: 2px solid #222; padding-bottom: 2px; margin: 26px 0 8px; }
h3 { font-size: 14px; margin: 14px 0 4px; }
p { margin: 4px 0; }
.org { font-size: 15px; margin: 0; }
.period { color: #333; }
.figure strong { font-size: 18px; }
.block { break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; margin: 4px 0 10px; break-inside: avoid; page-break-inside: avoid; }
table.wide { width: 100%; }
th, td { border: 1px solid #777; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #e8e8e8; font-weight: 600; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num, td.name { white-space: nowrap; }
tr.group th { background: #f5f5f5; font-style: italic; }
td.ref, td.time { white-space: nowrap; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 2px 0 8px; }
svg.chart text { font-size: 13px; fill: #111; }
svg.chart .bar { fill: #4a6a96; stroke: #1e3458; stroke-width: 0.5; }
svg.chart .axis { stroke: #222; stroke-width: 1; }
svg.chart .grid { stroke: #bbb; stroke-width: 0.5; }
svg.chart .tick { font-size: 11px; fill: #333; }
svg.chart .value { font-size: 10px; fill: #111; }
/* Series tell apart in greyscale print: dark solid, mid hatched, light dotted. */
svg.chart .s-dark { fill: #1f2f4f; stroke: #0b1222; stroke-width: 0.5; }
svg.chart .s-hatch { fill: url(#liaison-hatch); stroke: #1f2f4f; stroke-width: 0.8; }
svg.chart .s-dots { fill: url(#liaison-dots); stroke: #6b4a00; stroke-width: 0.8; }
svg.chart .line { fill: none; stroke: #111; stroke-width: 2; }
svg.chart .line.dashed { stroke-dasharray: 6 3; }
svg.chart .marker { fill: #fff; stroke: #111; stroke-width: 1.5; }
svg.patterns { position: absolute; width: 0; height: 0; overflow: hidden; }
table.trend { font-size: 11px; }
table.trend th, table.trend td { padding: 1px 4px; }
.form-no { float: right; font-size: 13px; margin: 4px 0 0; }
table.signoff { width: 100%; margin-top: 10px; }
table.signoff th { width: 14%; }
table.signoff td.blank { height: 42px; width: 36%; }
table.signoff td.what { width: 7%; color: #333; background: #f5f5f5; }
p.form-footer { font-size: 11px; color: #333; text-align: right; margin-top: 10px; }
p.none { color: #444; font-style: italic; }
p.listed { color: #333; font-size: 12px; }
footer { margin-top: 30px; border-top: 1px solid #222; font-size: 12px; }
footer h2 { border: none; font-size: 14px; margin: 8px 0 4px; }
footer td { word-break: break-all; }
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg.chart * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

/// The running footer of the printed pages (a page margin box: its own font, as it
/// inherits nothing from the body).
constexpr std::string_view kPageFooterStyle =
    "font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", \"PingFang SC\", "
    "\"WenQuanYi Micro Hei\", sans-serif; font-size: 8pt; color: #333;";

/// `text` as a quoted CSS string: quotes, backslashes, angle brackets (no "</style>"), the
/// ampersand and control characters as hexadecimal escapes; other characters as they are.
std::string css_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || u < 0x20 || u == 0x7f)
      out += fmt::format("\\{:x} ", u);
    else
      out += c;
  }
  return out + "\"";
}

// Chart geometry, in SVG user units (= CSS pixels at full size).
constexpr int kChartWidth = 680;
constexpr int kLabelWidth = 240;   // labels are right-aligned against the axis
constexpr int kBarMax = 360;       // the largest count's bar
constexpr int kRowHeight = 24;
constexpr int kBarHeight = 15;
constexpr int kLabelColumns = 32;  // longer labels are cut with "…" (full text in <title>)

struct Bar {
  std::string label;
  std::int64_t value = 0;
};

/// Everything the sections need: the config's names, the zone, the language.
class HtmlWriter {
 public:
  HtmlWriter(const Report& report, const Config& config, Lang lang)
      : report_(report), config_(config), calendar_(config.calendar), lang_(lang) {}

  /// Writes the page to `out`, passing on what is made whenever it grows past kFlushBytes.
  void render(std::ostream& out) {
    sink_ = &out;
    head();
    out_ += "<body>\n";
    if (has_patterned_chart()) patterns();
    header();
    volume();
    flow();
    timeliness();
    overdue();
    suggestions();
    change();
    signoff();
    provenance();
    form_footer();
    out_ += "</body>\n</html>\n";
    flush();
  }

 private:
  std::string_view label(std::string_view key) const { return report_label(key, lang_); }
  std::string text(std::string_view key) const { return html_escape(label(key)); }

  std::string department_name(std::string_view id) const {
    if (id.empty()) return std::string(label("none"));
    const Department* d = config_.department(id);
    return d && !d->name.empty() ? d->name : std::string(id);
  }
  std::string kind_name(std::string_view id) const {
    const Kind* k = config_.kind(id);
    if (!k) return std::string(id);
    if (lang_ == Lang::en && !k->name_en.empty()) return k->name_en;
    return k->name.empty() ? std::string(id) : k->name;
  }
  std::string channel_name(std::string_view id) const {
    if (id.empty()) return std::string(label("no_channel"));
    const Channel* c = config_.channel(id);
    return c && !c->name.empty() ? c->name : std::string(id);
  }
  std::string topic_name(std::string_view id) const {
    if (id.empty()) return std::string(label("no_topic"));
    const Topic* t = config_.topic(id);
    return t && !t->name.empty() ? t->name : std::string(id);
  }
  std::string party_type_name(std::string_view id) const {
    if (id.empty()) return std::string(label("no_party"));
    const PartyType* t = config_.party_type(id);
    return t && !t->name.empty() ? t->name : std::string(id);
  }
  std::string user_name(std::string_view id) const {
    if (id.empty()) return "";
    const User* u = config_.user(id);
    return u && !u->name.empty() ? u->name : std::string(id);
  }
  std::string direction_name(Direction d) const { return std::string(label(to_string(d))); }

  /// "2026-10-09 17:30" in the organisation's zone.
  std::string local_time(TimePoint t) const {
    std::string iso = calendar_.format_iso(t);
    return iso.size() >= 16 ? iso.substr(0, 10) + " " + iso.substr(11, 5) : iso;
  }

  static std::string percent(std::int64_t part, std::int64_t whole) {
    if (whole <= 0) return "—";
    return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  }
  static std::string hours(const std::optional<std::int64_t>& seconds) {
    if (!seconds) return "—";
    return fmt::format("{:.1f}", static_cast<double>(*seconds) / 3600.0);
  }
  static std::string signed_delta(std::int64_t delta) {
    return delta > 0 ? fmt::format("+{}", delta) : fmt::format("{}", delta);
  }

  /// The report's heading: [report] title, else the catalogue's.
  std::string title() const {
    return config_.report.title.empty() ? std::string(label("title")) : config_.report.title;
  }

  void head() {
    std::string title = config_.organization.name.empty()
                            ? fmt::format("{} {}", this->title(), report_.period.label)
                            : fmt::format("{} — {} {}", config_.organization.name, this->title(), report_.period.label);
    out_ += "<!DOCTYPE html>\n";
    out_ += fmt::format("<html lang=\"{}\">\n<head>\n", lang_ == Lang::zh ? "zh-CN" : "en");
    out_ += "<meta charset=\"utf-8\">\n";
    // Nothing may be fetched or run: the page is complete as it is.
    out_ += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out_ += fmt::format("<meta name=\"generator\" content=\"liaison {}\">\n", html_escape(report_.provenance.version));
    out_ += fmt::format("<title>{}</title>\n", html_escape(title));
    out_ += "<style>";
    out_ += kStyle;
    // The form number at the foot of every printed page, beside the page's number.
    if (!config_.report.form_no.empty())
      out_ += fmt::format(
          "@page {{ @bottom-right {{ content: {} \" \" counter(page) \"/\" counter(pages); {} }} }}\n",
          css_string(fmt::format("{}: {} ·", label("form_no"), config_.report.form_no)), kPageFooterStyle);
    out_ += "</style>\n</head>\n";
  }

  void header() {
    out_ += "<header>\n";
    if (!config_.report.form_no.empty())
      out_ += fmt::format("<p class=\"form-no\">{}: {}</p>\n", text("form_no"), html_escape(config_.report.form_no));
    out_ += fmt::format("<h1>{}</h1>\n", html_escape(title()));
    if (!config_.organization.name.empty())
      out_ += fmt::format("<p class=\"org\">{}</p>\n", html_escape(config_.organization.name));
    out_ += fmt::format("<p class=\"period\">{}: <strong>{}</strong> ({} {} · {} {})</p>\n", text("period"),
                        html_escape(report_.period.label), text("prov.from"), local_time(report_.period.from),
                        text("prov.to"), local_time(report_.period.to));
    out_ += "</header>\n";
  }

  /// A horizontal bar chart, or the "none" line when no bar has a count. `total` > 0 adds
  /// each bar's share of it to the value label. `heading`: under an <h3> of the title.
  void chart(std::string_view title_key, const std::vector<Bar>& bars, std::int64_t total = 0, bool heading = true) {
    out_ += "<div class=\"block\">\n";
    if (heading) out_ += fmt::format("<h3>{}</h3>\n", text(title_key));
    std::int64_t max = 0;
    for (const Bar& b : bars) max = std::max(max, b.value);
    if (max <= 0) {
      out_ += fmt::format("<p class=\"none\">{}</p>\n</div>\n", text("none"));
      return;
    }
    int height = static_cast<int>(bars.size()) * kRowHeight + 8;
    out_ += fmt::format(
        "<svg class=\"chart\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2}\">\n"
        "<title>{2}</title>\n",
        kChartWidth, height, text(title_key));
    for (std::size_t i = 0; i < bars.size(); ++i) {
      const Bar& b = bars[i];
      int top = 4 + static_cast<int>(i) * kRowHeight;
      double middle = top + kRowHeight / 2.0;
      std::string value = total > 0 ? fmt::format("{} ({})", b.value, percent(b.value, total)) : fmt::format("{}", b.value);
      out_ += fmt::format("<g><title>{}: {}</title>\n", html_escape(b.label), value);
      out_ += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" dominant-baseline=\"central\">{}</text>\n",
                          kLabelWidth - 8, middle, html_escape(truncate_to_width(b.label, kLabelColumns)));
      double width = 0;
      if (b.value > 0) {
        // Proportional to the largest count; at least one unit so a small count stays visible.
        width = std::max(1.0, static_cast<double>(kBarMax) * static_cast<double>(b.value) / static_cast<double>(max));
        out_ += fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\"/>\n", kLabelWidth,
                            middle - kBarHeight / 2.0, width, kBarHeight);
      }
      out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" dominant-baseline=\"central\">{}</text>\n</g>\n",
                          kLabelWidth + width + 6, middle, value);
    }
    out_ += fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"2\" x2=\"{0}\" y2=\"{1}\"/>\n", kLabelWidth, height - 2);
    out_ += "</svg>\n</div>\n";
  }

  void volume() {
    const Volume& v = report_.volume;
    out_ += "<section id=\"volume\">\n";
    out_ += fmt::format("<h2>{}</h2>\n", text("section.volume"));
    out_ += fmt::format("<p class=\"figure\">{}: <strong>{}</strong></p>\n", text("volume.total"), v.total);

    std::vector<Bar> bars;
    for (const auto& cell : v.by_direction_kind)
      bars.push_back({direction_name(cell.direction) + " · " + kind_name(cell.kind), cell.count});
    chart("volume.by_direction_kind", bars, v.total);

    bars.clear();
    for (const Count& c : v.by_owner) bars.push_back({department_name(c.key), c.count});
    chart("volume.by_owner", bars, v.total);

    bars.clear();
    for (const Count& c : v.by_channel) bars.push_back({channel_name(c.key), c.count});
    chart("volume.by_channel", bars, v.total);

    if (!v.by_topic.empty()) {
      bars.clear();
      for (const Count& c : v.by_topic) bars.push_back({topic_name(c.key), c.count});
      chart("volume.by_topic", bars, v.total);
    }

    bars.clear();
    for (const Count& c : v.by_party_type) bars.push_back({party_type_name(c.key), c.count});
    chart("volume.by_party_type", bars, v.total);

    bars.clear();
    for (const auto& p : v.top_parties)
      bars.push_back({fmt::format("{} ({})", p.name.empty() ? p.id : p.name, party_type_name(p.type)), p.complaints});
    chart("volume.top_parties", bars);
    pareto();
    out_ += "</section>\n";
  }

  /// A one-row table of figures: labels across, values beneath.
  void figures_table(const std::vector<std::pair<std::string_view, std::int64_t>>& figures) {
    out_ += "<table class=\"figures\">\n<tr>";
    for (const auto& [key, value] : figures) out_ += fmt::format("<th class=\"num\">{}</th>", text(key));
    out_ += "</tr>\n<tr>";
    for (const auto& [key, value] : figures) out_ += fmt::format("<td class=\"num\">{}</td>", value);
    out_ += "</tr>\n</table>\n";
  }

  void flow() {
    const FlowCounts& f = report_.flow;
    out_ += "<section id=\"flow\">\n";
    out_ += fmt::format("<h2>{}</h2>\n", text("section.flow"));
    std::vector<std::pair<std::string_view, std::int64_t>> figures{{"flow.open_at_start", f.open_at_start},
                                                                   {"flow.received", f.received},
                                                                   {"flow.closed", f.closed},
                                                                   {"flow.reopened", f.reopened},
                                                                   {"flow.open_at_end", f.open_at_end}};
    figures_table(figures);
    std::vector<Bar> bars;
    for (const auto& [key, value] : figures) bars.push_back({std::string(label(key)), value});
    chart("section.flow", bars, 0, false);  // under the section's own title
    out_ += "</section>\n";
  }

  void timeliness_row(std::string_view name, const Timeliness& t) {
    out_ += fmt::format("<tr><td class=\"name\">{}</td>", html_escape(name));
    out_ += fmt::format(
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td>",
        t.ack_count, t.ack_on_time, percent(t.ack_on_time, t.ack_count), hours(t.ack_median_seconds),
        hours(t.ack_p90_seconds));
    out_ += fmt::format(
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td></tr>\n",
        t.resolve_count, t.resolve_on_time, percent(t.resolve_on_time, t.resolve_count),
        hours(t.resolve_median_seconds), hours(t.resolve_p90_seconds));
  }

  void timeliness() {
    out_ += "<section id=\"timeliness\">\n";
    out_ += fmt::format("<h2>{}</h2>\n", text("section.timeliness"));
    if (report_.timeliness.empty()) {
      out_ += fmt::format("<p class=\"none\">{}</p>\n</section>\n", text("none"));
      return;
    }
    out_ += "<table class=\"wide\">\n<thead><tr>";
    out_ += fmt::format("<th>{}</th>", text("col.group"));
    for (std::string_view key : {"col.ack_count", "col.ack_on_time", "col.ack_rate", "col.ack_median", "col.ack_p90",
                                 "col.resolve_count", "col.resolve_on_time", "col.resolve_rate", "col.resolve_median",
                                 "col.resolve_p90"})
      out_ += fmt::format("<th class=\"num\">{}</th>", text(key));
    out_ += "</tr></thead>\n<tbody>\n";
    std::string group;
    for (const Timeliness& t : report_.timeliness) {
      if (t.group == "all") {
        timeliness_row(label("all"), t);
        continue;
      }
      if (t.group != group) {
        group = t.group;
        std::string_view key = group == "department" ? "timeliness.by_department" : "timeliness.by_kind";
        out_ += fmt::format("<tr class=\"group\"><th colspan=\"11\">{}</th></tr>\n", text(key));
      }
      timeliness_row(group == "department" ? department_name(t.key) : kind_name(t.key), t);
    }
    out_ += "</tbody>\n</table>\n";
    obligations();
    department_rates();
    out_ += "</section>\n";
  }

  /// Notifications and receipts, when the period has any.
  void obligations() {
    if (report_.obligations.empty()) return;
    out_ += fmt::format("<h3>{}</h3>\n<table>\n<thead><tr><th>{}</th>", text("section.obligations"),
                        text("col.obligation"));
    for (std::string_view key : {"col.due_count", "col.on_time", "col.rate", "col.met", "col.median", "col.p90"})
      out_ += fmt::format("<th class=\"num\">{}</th>", text(key));
    out_ += "</tr></thead>\n<tbody>\n";
    for (const ObligationTimeliness& o : report_.obligations)
      out_ += fmt::format(
          "<tr><td class=\"name\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
          text("obligation." + o.type), o.count, o.on_time, percent(o.on_time, o.count), o.met,
          hours(o.median_seconds), hours(o.p90_seconds));
    out_ += "</tbody>\n</table>\n";
  }

  void overdue() {
    out_ += "<section id=\"overdue\">\n";
    out_ += fmt::format("<h2>{}</h2>\n", text("section.overdue"));
    if (report_.overdue_total == 0) {
      out_ += fmt::format("<p class=\"none\">{}</p>\n</section>\n", text("overdue.none"));
      return;
    }
    out_ += fmt::format("<p class=\"figure\">{}: <strong>{}</strong></p>\n", text("overdue.count"),
                        report_.overdue_total);
    std::vector<Bar> bars;
    for (const Count& c : report_.overdue_by_owner) bars.push_back({department_name(c.key), c.count});
    chart("overdue.by_owner", bars);

    out_ += fmt::format("<h3>{}</h3>\n", text("overdue.list"));
    listed_note(report_.overdue.size(), report_.overdue_total);
    if (report_.overdue.empty()) {
      out_ += "</section>\n";
      return;
    }
    out_ += "<table class=\"wide\">\n<thead><tr>";
    for (std::string_view key : {"col.ref", "col.owner", "col.assignee", "col.kind", "col.subject", "col.due"})
      out_ += fmt::format("<th>{}</th>", text(key));
    for (std::string_view key : {"col.late_days", "col.late_hours"})
      out_ += fmt::format("<th class=\"num\">{}</th>", text(key));
    out_ += "</tr></thead>\n<tbody>\n";
    for (const OverdueItem& item : report_.overdue) {
      out_ += fmt::format(
          "<tr><td class=\"ref\">{}</td><td class=\"name\">{}</td><td class=\"name\">{}</td><td class=\"name\">{}</td>"
          "<td>{}</td><td class=\"time\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
          html_escape(item.ref), html_escape(department_name(item.owner)), html_escape(user_name(item.assignee)),
          html_escape(kind_name(item.kind)), html_escape(item.subject), local_time(item.due), item.late_working_days,
          hours(item.late_working_seconds));
      flush_if_large();
    }
    out_ += "</tbody>\n</table>\n</section>\n";
  }

  /// "50 of 120 listed; …" under a list that --details cut; nothing when it lists them all.
  void listed_note(std::size_t shown, std::int64_t total) {
    if (static_cast<std::int64_t>(shown) >= total) return;
    out_ += fmt::format("<p class=\"listed\">{}</p>\n", html_escape(msg<Msg::details_listed>(shown, total).render(lang_)));
  }

  void suggestions() {
    const Suggestions& s = report_.suggestions;
    out_ += "<section id=\"suggestions\">\n";
    out_ += fmt::format("<h2>{}</h2>\n", text("section.suggestions"));
    out_ += fmt::format("<h3>{}</h3>\n", text("suggestions.title"));
    figures_table({{"suggestions.received", s.received},
                   {"suggestions.adopted", s.adopted},
                   {"suggestions.rejected", s.rejected},
                   {"suggestions.other_closed", s.other_closed},
                   {"suggestions.pending", s.pending}});
    std::vector<Bar> bars;
    for (const auto& [key, value] : std::vector<std::pair<std::string_view, std::int64_t>>{
             {"suggestions.adopted", s.adopted},
             {"suggestions.rejected", s.rejected},
             {"suggestions.other_closed", s.other_closed},
             {"suggestions.pending", s.pending}})
      bars.push_back({std::string(label(key)), value});
    if (s.received > 0 || s.adopted + s.rejected + s.other_closed + s.pending > 0) chart("suggestions.title", bars, 0, false);

    out_ += fmt::format("<h3>{}</h3>\n", text("major.title"));
    if (report_.major_total == 0) {
      out_ += fmt::format("<p class=\"none\">{}</p>\n</section>\n", text("major.none"));
      return;
    }
    listed_note(report_.major.size(), report_.major_total);
    if (report_.major.empty()) {
      out_ += "</section>\n";
      return;
    }
    out_ += "<table class=\"wide\">\n<thead><tr>";
    for (std::string_view key : {"col.ref", "col.kind", "col.owner", "col.subject", "col.received_at", "col.state",
                                 "col.escalated_to"})
      out_ += fmt::format("<th>{}</th>", text(key));
    out_ += "</tr></thead>\n<tbody>\n";
    for (const MajorItem& m : report_.major) {
      std::string state = std::string(label(m.closed_at_end ? "major.closed" : "major.open"));
      if (m.closed_at_end && m.closed_at) {
        state += ' ';  // appended in two steps: GCC 12 warns falsely (-Wrestrict) on " " + string
        state += local_time(*m.closed_at);
      }
      out_ += fmt::format(
          "<tr><td class=\"ref\">{}</td><td class=\"name\">{}</td><td class=\"name\">{}</td><td>{}</td>"
          "<td class=\"time\">{}</td><td>{}</td><td class=\"name\">{}</td></tr>\n",
          html_escape(m.ref), html_escape(kind_name(m.kind)), html_escape(department_name(m.owner)),
          html_escape(m.subject), local_time(m.received_at), html_escape(state),
          m.escalated_to.empty() ? "" : html_escape(department_name(m.escalated_to)));
      flush_if_large();
    }
    out_ += "</tbody>\n</table>\n</section>\n";
  }

  void change() {
    const Totals& c = report_.current;
    const Totals& p = report_.previous;
    out_ += "<section id=\"change\">\n";
    out_ += fmt::format("<h2>{}</h2>\n", text("section.change"));
    out_ += fmt::format("<p class=\"period\">{}: {} – {}</p>\n", text("prov.previous"),
                        local_time(report_.period.previous_from), local_time(report_.period.previous_to));
    out_ += "<table>\n<thead><tr>";
    out_ += fmt::format("<th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>",
                        text("col.metric"), text("col.current"), text("col.previous"), text("col.change"));
    out_ += "</tr></thead>\n<tbody>\n";
    auto count_row = [&](std::string_view key, std::int64_t now, std::int64_t before) {
      out_ += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                          text(key), now, before, signed_delta(now - before));
    };
    auto rate_row = [&](std::string_view key, std::int64_t on_time, std::int64_t count, std::int64_t before_on_time,
                        std::int64_t before_count) {
      std::string delta = "—";
      if (count > 0 && before_count > 0) {
        double points = 100.0 * (static_cast<double>(on_time) / static_cast<double>(count) -
                                 static_cast<double>(before_on_time) / static_cast<double>(before_count));
        if (points > -0.05 && points < 0.05) points = 0;  // no "-0.0"
        delta = fmt::format("{}{:.1f}{}", points > 0 ? "+" : "", points, label("change.points"));
      }
      out_ += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                          text(key), percent(on_time, count), percent(before_on_time, before_count), html_escape(delta));
    };
    count_row("change.received", c.received, p.received);
    count_row("change.closed", c.closed, p.closed);
    count_row("change.open_at_end", c.open_at_end, p.open_at_end);
    count_row("change.overdue_at_end", c.overdue_at_end, p.overdue_at_end);
    rate_row("change.ack_on_time", c.ack_on_time, c.ack_count, p.ack_on_time, p.ack_count);
    rate_row("change.resolve_on_time", c.resolve_on_time, c.resolve_count, p.resolve_on_time, p.resolve_count);
    out_ += "</tbody>\n</table>\n";
    trend();
    out_ += "</section>\n";
  }

  // ---- The management-review charts: trend, on-time rate by department, Pareto. ----

  /// Whether a chart with patterned series will be drawn (trend, department rates, Pareto).
  bool has_patterned_chart() const {
    for (const TrendMonth& m : report_.trend)
      if (m.totals.received + m.totals.closed + m.totals.overdue_at_end + m.totals.resolve_count > 0) return true;
    for (const Timeliness& t : report_.timeliness)
      if (t.group == "department" && t.ack_count + t.resolve_count > 0) return true;
    for (const auto& p : report_.volume.top_parties)
      if (p.complaints > 0) return true;
    return false;
  }

  /// The fill patterns the charts share, defined once (an SVG of no size). The charts
  /// refer to them as url(#liaison-…), a reference inside the page that fetches nothing.
  void patterns() {
    out_ += "<svg class=\"patterns\" aria-hidden=\"true\" focusable=\"false\"><defs>\n"
            "<pattern id=\"liaison-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
            "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#a9c4e4\"/>"
            "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#1f2f4f\" stroke-width=\"2.5\"/></pattern>\n"
            "<pattern id=\"liaison-dots\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">"
            "<rect width=\"5\" height=\"5\" fill=\"#f6d9a8\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1\" fill=\"#6b4a00\"/>"
            "</pattern>\n</defs></svg>\n";
  }

  /// The opening tag of a chart's <svg> and its <title>; `name` goes to data-chart.
  void svg_open(std::string_view name, int width, int height, std::string_view title_key) {
    out_ += fmt::format(
        "<svg class=\"chart\" data-chart=\"{0}\" width=\"{1}\" height=\"{2}\" viewBox=\"0 0 {1} {2}\" role=\"img\" "
        "aria-label=\"{3}\">\n<title>{3}</title>\n",
        name, width, height, text(title_key));
  }

  /// A legend of swatches in a row from (x, y): each a class (s-dark, s-hatch, …) and a label.
  void legend(int x, int y, const std::vector<std::pair<std::string_view, std::string>>& items) {
    for (const auto& [cls, name] : items) {
      out_ += fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"14\" height=\"10\"/>", cls, x, y);
      out_ += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" dominant-baseline=\"central\">{}</text>\n", x + 18,
                          y + 5, html_escape(name));
      x += 26 + display_width(name) * 7;
    }
  }

  /// A round upper end for a count axis of four steps (1, 2 or 5 × 10^k each).
  static std::int64_t axis_top(std::int64_t max) {
    std::int64_t step = 1;
    while (step * 4 < max) {
      if (step * 2 * 4 >= max) return step * 2 * 4;
      if (step * 5 * 4 >= max) return step * 5 * 4;
      step *= 10;
    }
    return step * 4;
  }

  static double rate(std::int64_t part, std::int64_t whole) {
    return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
  }

  /// §6: received, closed and overdue at month end over the 12 months to the period's end
  /// (grouped bars), the resolve on-time rate (a line), and the figures as a table.
  void trend() {
    const std::vector<TrendMonth>& months = report_.trend;
    if (months.empty()) return;
    out_ += "<div class=\"block\" id=\"trend\">\n";
    out_ += fmt::format("<h3>{}</h3>\n", text("trend.title"));
    std::int64_t max = 0;
    bool any_rate = false;
    for (const TrendMonth& m : months) {
      max = std::max({max, m.totals.received, m.totals.closed, m.totals.overdue_at_end});
      any_rate = any_rate || m.totals.resolve_count > 0;
    }
    if (max <= 0 && !any_rate) {
      out_ += fmt::format("<p class=\"none\">{}</p>\n</div>\n", text("none"));
      return;
    }
    constexpr int kLeft = 44, kRight = 668, kTop = 30;
    const double slot = (kRight - kLeft) / static_cast<double>(months.size());
    auto month_ticks = [&](int y) {
      for (std::size_t i = 0; i < months.size(); ++i)
        out_ += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                            kLeft + slot * (static_cast<double>(i) + 0.5), y, months[i].label);
    };

    // Counts: three bars a month.
    if (max > 0) {
      constexpr int kHeight = 250, kBottom = 218;
      const std::int64_t top = axis_top(max);
      svg_open("trend-counts", kChartWidth, kHeight, "trend.counts");
      legend(kLeft, 6, {{"s-dark", std::string(label("change.received"))},
                        {"s-hatch", std::string(label("change.closed"))},
                        {"s-dots", std::string(label("trend.overdue"))}});
      for (int k = 0; k <= 4; ++k) {
        const double y = kBottom - (kBottom - kTop) * k / 4.0;
        out_ += fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\"/>", kLeft, y, kRight, y);
        out_ += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" dominant-baseline=\"central\">{}</text>\n",
                            kLeft - 6, y, top * k / 4);
      }
      const double bar = std::min(14.0, (slot - 8) / 3);
      for (std::size_t i = 0; i < months.size(); ++i) {
        const Totals& t = months[i].totals;
        const double left = kLeft + slot * static_cast<double>(i) + (slot - 3 * bar) / 2;
        int series = 0;
        for (const auto& [cls, key, value] : {std::tuple{"s-dark", "change.received", t.received},
                                              std::tuple{"s-hatch", "change.closed", t.closed},
                                              std::tuple{"s-dots", "trend.overdue", t.overdue_at_end}}) {
          const double x = left + bar * series++;
          if (value <= 0) continue;
          const double h = (kBottom - kTop) * static_cast<double>(value) / static_cast<double>(top);
          out_ += fmt::format(
              "<rect class=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"><title>{} {}: {}</title></rect>\n",
              cls, x, kBottom - h, bar - 1, h, months[i].label, text(key), value);
        }
      }
      out_ += fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>\n", kLeft, kBottom, kRight);
      month_ticks(kBottom + 16);
      out_ += "</svg>\n";
    }

    // The resolve on-time rate: a line with square markers, broken where a month has none.
    if (any_rate) {
      constexpr int kHeight = 200, kBottom = 168;
      svg_open("trend-rate", kChartWidth, kHeight, "trend.rate");
      for (int k = 0; k <= 4; ++k) {
        const double y = kBottom - (kBottom - kTop) * k / 4.0;
        out_ += fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\"/>", kLeft, y, kRight, y);
        out_ += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" dominant-baseline=\"central\">{}%</text>\n",
                            kLeft - 6, y, 25 * k);
      }
      legend(kLeft, 6, {{"marker", std::string(label("trend.rate"))}});
      std::string points;
      auto end_line = [&] {
        if (points.find(' ') != std::string::npos) out_ += fmt::format("<polyline class=\"line\" points=\"{}\"/>\n", points);
        points.clear();
      };
      std::string markers;
      for (std::size_t i = 0; i < months.size(); ++i) {
        const Totals& t = months[i].totals;
        if (t.resolve_count <= 0) {
          end_line();
          continue;
        }
        const double x = kLeft + slot * (static_cast<double>(i) + 0.5);
        const double y = kBottom - (kBottom - kTop) * rate(t.resolve_on_time, t.resolve_count);
        points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", x, y);
        markers += fmt::format(
            "<rect class=\"marker\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"7\" height=\"7\"><title>{}: {} ({}/{})</title></rect>"
            "<text class=\"value\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
            x - 3.5, y - 3.5, months[i].label, percent(t.resolve_on_time, t.resolve_count), t.resolve_on_time,
            t.resolve_count, x, y - 8, percent(t.resolve_on_time, t.resolve_count));
      }
      end_line();
      out_ += markers;
      out_ += fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>\n", kLeft, kBottom, kRight);
      month_ticks(kBottom + 16);
      out_ += "</svg>\n";
    }

    // The figures, for print and for whoever cannot see the charts.
    out_ += "<table class=\"trend wide\">\n<thead><tr>";
    out_ += fmt::format("<th>{}</th>", text("trend.month"));
    for (const TrendMonth& m : months) out_ += fmt::format("<th class=\"num\">{}</th>", m.label.substr(2));
    out_ += "</tr></thead>\n<tbody>\n";
    auto row = [&](std::string_view key, auto cell) {
      out_ += fmt::format("<tr><td class=\"name\">{}</td>", text(key));
      for (const TrendMonth& m : months) out_ += fmt::format("<td class=\"num\">{}</td>", cell(m.totals));
      out_ += "</tr>\n";
    };
    row("change.received", [](const Totals& t) { return fmt::format("{}", t.received); });
    row("change.closed", [](const Totals& t) { return fmt::format("{}", t.closed); });
    row("trend.overdue", [](const Totals& t) { return fmt::format("{}", t.overdue_at_end); });
    row("trend.rate", [](const Totals& t) {
      return t.resolve_count > 0 ? fmt::format("{:.0f}", 100 * rate(t.resolve_on_time, t.resolve_count)) : "—";
    });
    out_ += "</tbody>\n</table>\n</div>\n";
  }

  /// §3: each department's acknowledge and resolve on-time rates as two bars (0–100 %).
  void department_rates() {
    std::vector<const Timeliness*> rows;
    for (const Timeliness& t : report_.timeliness)
      if (t.group == "department" && t.ack_count + t.resolve_count > 0) rows.push_back(&t);
    if (rows.empty()) return;
    out_ += "<div class=\"block\">\n";
    out_ += fmt::format("<h3>{}</h3>\n", text("rate.by_department"));
    constexpr int kGroup = 34, kBar = 12, kTop = 26;
    const int height = kTop + static_cast<int>(rows.size()) * kGroup + 6;
    svg_open("department-rates", kChartWidth, height, "rate.by_department");
    legend(kLabelWidth, 6, {{"s-hatch", std::string(label("col.ack_rate"))},
                            {"s-dark", std::string(label("col.resolve_rate"))}});
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Timeliness& t = *rows[i];
      const int top = kTop + static_cast<int>(i) * kGroup;
      const std::string name = department_name(t.key);
      out_ += fmt::format("<g><title>{}</title>\n", html_escape(name));
      out_ += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"central\">{}</text>\n",
                          kLabelWidth - 8, top + kBar, html_escape(truncate_to_width(name, kLabelColumns)));
      int series = 0;
      for (const auto& [cls, on_time, count] : {std::tuple{"s-hatch", t.ack_on_time, t.ack_count},
                                                std::tuple{"s-dark", t.resolve_on_time, t.resolve_count}}) {
        const int y = top + series++ * (kBar + 2);
        double width = 0;
        if (count > 0 && on_time > 0) {
          width = std::max(1.0, kBarMax * rate(on_time, count));
          out_ += fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\"/>\n", cls, kLabelWidth,
                              y, width, kBar);
        }
        out_ += fmt::format("<text class=\"value\" x=\"{:.1f}\" y=\"{}\" dominant-baseline=\"central\">{}</text>\n",
                            kLabelWidth + width + 6, y + kBar / 2,
                            count > 0 ? fmt::format("{} ({}/{})", percent(on_time, count), on_time, count) : "—");
      }
      out_ += "</g>\n";
    }
    out_ += fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>\n", kLabelWidth, kTop - 2,
                        height - 2);
    out_ += "</svg>\n</div>\n";
  }

  /// §1: complaints by party, most first, with the rest as "Others", and the cumulative
  /// share of all external complaints of the period as a line (a Pareto chart).
  void pareto() {
    const Volume& v = report_.volume;
    std::int64_t total = 0;
    for (const auto& cell : v.by_direction_kind)
      if (cell.direction == Direction::external &&
          std::find(config_.report.complaint_kinds.begin(), config_.report.complaint_kinds.end(), cell.kind) !=
              config_.report.complaint_kinds.end())
        total += cell.count;
    std::vector<Bar> bars;
    std::int64_t listed = 0;
    for (const auto& p : v.top_parties) {
      if (p.complaints <= 0) continue;
      bars.push_back({p.name.empty() ? p.id : p.name, p.complaints});
      listed += p.complaints;
    }
    if (bars.empty()) return;
    total = std::max(total, listed);
    if (total > listed) bars.push_back({std::string(label("pareto.others")), total - listed});

    out_ += "<div class=\"block\">\n";
    out_ += fmt::format("<h3>{}</h3>\n", text("pareto.party"));
    constexpr int kLeft = 44, kRight = 632, kTop = 30, kBottom = 210, kHeight = 290;
    const std::int64_t top = axis_top(bars.front().value);
    const double slot = (kRight - kLeft) / static_cast<double>(bars.size());
    const double bar = std::min(40.0, slot * 0.7);
    svg_open("pareto-party", kChartWidth, kHeight, "pareto.party");
    legend(kLeft, 6, {{"s-dark", std::string(label("volume.top_parties"))},
                      {"marker", std::string(label("pareto.cumulative"))}});
    for (int k = 0; k <= 4; ++k) {
      const double y = kBottom - (kBottom - kTop) * k / 4.0;
      out_ += fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\"/>", kLeft, y, kRight, y);
      out_ += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" dominant-baseline=\"central\">{}</text>",
                          kLeft - 6, y, top * k / 4);
      out_ += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{:.1f}\" dominant-baseline=\"central\">{}%</text>\n", kRight + 6,
                          y, 25 * k);
    }
    std::string points, markers;
    std::int64_t cumulative = 0;
    for (std::size_t i = 0; i < bars.size(); ++i) {
      const Bar& b = bars[i];
      const double middle = kLeft + slot * (static_cast<double>(i) + 0.5);
      const double h = (kBottom - kTop) * static_cast<double>(b.value) / static_cast<double>(top);
      cumulative += b.value;
      const double y = kBottom - (kBottom - kTop) * rate(cumulative, total);
      out_ += fmt::format(
          "<g><title>{}: {} ({})</title><rect class=\"s-dark\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/>"
          "<text class=\"value\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
          html_escape(b.label), b.value, percent(b.value, total), middle - bar / 2, kBottom - h, bar, h, middle,
          kBottom - h - 4, b.value);
      out_ += fmt::format(
          "<text class=\"tick\" x=\"{0:.1f}\" y=\"{1}\" text-anchor=\"end\" transform=\"rotate(-35 {0:.1f} {1})\">{2}</text></g>\n",
          middle, kBottom + 14, html_escape(truncate_to_width(b.label, 16)));
      points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", middle, y);
      markers += fmt::format(
          "<rect class=\"marker\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"7\" height=\"7\"><title>{}: {}</title></rect>\n",
          middle - 3.5, y - 3.5, text("pareto.cumulative"), percent(cumulative, total));
    }
    if (bars.size() > 1) out_ += fmt::format("<polyline class=\"line dashed\" points=\"{}\"/>\n", points);
    out_ += markers;
    out_ += fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>\n", kLeft, kBottom, kRight);
    out_ += "</svg>\n</div>\n";
  }

  /// The sign-off block for the management-review pack: one row per [report] signoff role
  /// (编制/审核/批准 by default) with room for a signature and a date.
  void signoff() {
    std::vector<std::string> roles;
    if (config_.report.signoff) roles = *config_.report.signoff;
    else
      for (std::string_view key : {"signoff.prepared", "signoff.reviewed", "signoff.approved"})
        roles.emplace_back(label(key));
    if (roles.empty()) return;
    out_ += "<section id=\"signoff\" class=\"block\">\n";
    out_ += fmt::format("<h2>{}</h2>\n<table class=\"signoff\">\n", text("signoff.title"));
    for (const std::string& role : roles)
      out_ += fmt::format(
          "<tr><th>{}</th><td class=\"what\">{}</td><td class=\"blank\"></td><td class=\"what\">{}</td>"
          "<td class=\"blank\"></td></tr>\n",
          html_escape(role), text("signoff.signature"), text("signoff.date"));
    out_ += "</table>\n</section>\n";
  }

  /// The last line of the page: form number, title and period, as on a printed form.
  void form_footer() {
    if (config_.report.form_no.empty()) return;
    out_ += fmt::format("<p class=\"form-footer\">{}: {} · {} · {}</p>\n", text("form_no"),
                        html_escape(config_.report.form_no), html_escape(title()), html_escape(report_.period.label));
  }

  std::string filters() const {
    const ReportFilter& f = report_.provenance.filter;
    std::vector<std::string> parts;
    auto list = [&](std::string_view key, const std::vector<std::string>& ids, auto name_of) {
      if (ids.empty()) return;
      std::string names;
      for (const std::string& id : ids) names += (names.empty() ? "" : ", ") + name_of(id);
      parts.push_back(fmt::format("{}: {}", label(key), names));
    };
    list("col.owner", f.departments, [&](const std::string& id) { return department_name(id); });
    list("col.kind", f.kinds, [&](const std::string& id) { return kind_name(id); });
    if (f.direction) parts.push_back(fmt::format("{}: {}", label("col.direction"), direction_name(*f.direction)));
    list("col.party_type", f.party_types, [&](const std::string& id) { return party_type_name(id); });
    if (parts.empty()) return std::string(label("none"));
    std::string joined;
    for (const std::string& part : parts) joined += (joined.empty() ? "" : "; ") + part;
    return joined;
  }

  void provenance() {
    const Provenance& p = report_.provenance;
    out_ += "<footer>\n";
    out_ += fmt::format("<h2>{}</h2>\n<table class=\"provenance\">\n", text("section.provenance"));
    auto row = [&](std::string_view key, const std::string& value) {
      out_ += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", text(key), html_escape(value));
    };
    row("prov.period", p.period);
    row("prov.from", calendar_.format_iso(p.from));
    row("prov.to", calendar_.format_iso(p.to));
    row("prov.end", calendar_.format_iso(p.end));
    row("prov.now", calendar_.format_iso(p.now));
    row("prov.version", p.version);
    row("prov.last_event_id", fmt::format("{}", p.last_event_id));
    row("prov.config_hash", p.config_hash);
    row("prov.checkpoint", p.checkpoint ? checkpoint_summary(p.checkpoint) : std::string(text("none")));
    row("prov.timezone", p.timezone);
    row("prov.filters", filters());
    out_ += "</table>\n</footer>\n";
  }

  /// Passes what is made to the sink; called between rows of the long tables.
  void flush() {
    sink_->write(out_.data(), static_cast<std::streamsize>(out_.size()));
    out_.clear();
  }
  void flush_if_large() {
    if (out_.size() >= kFlushBytes) flush();
  }

  static constexpr std::size_t kFlushBytes = 64 * 1024;
  const Report& report_;
  const Config& config_;
  WorkCalendar calendar_;
  Lang lang_;
  std::string out_;                   ///< made, not yet passed to the sink
  std::ostream* sink_ = nullptr;
};

}  // namespace

std::string render_report_html(const Report& report, const Config& config, Lang lang) {
  std::ostringstream out;
  render_report_html(report, config, lang, out);
  return std::move(out).str();
}

void render_report_html(const Report& report, const Config& config, Lang lang, std::ostream& out) {
  HtmlWriter(report, config, lang).render(out);
}

}  // namespace liaison
