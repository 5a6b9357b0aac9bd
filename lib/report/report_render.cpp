#include "report_render.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "render.h"
#include "report_labels.h"

namespace liaison {

namespace {

using nlohmann::json;

/// Display names of the config's ids, in one language; an unknown id shows as itself.
class Names {
 public:
  Names(const Config& config, Lang lang) : config_(config), lang_(lang) {}
  std::string_view label(std::string_view key) const { return report_label(key, lang_); }
  std::string kind(const std::string& id) const {
    const Kind* k = config_.kind(id);
    if (!k) return id;
    return lang_ != Lang::zh && !k->name_en.empty() ? k->name_en : k->name;
  }
  std::string department(const std::string& id) const {
    if (id.empty()) return std::string(label("none"));
    const Department* d = config_.department(id);
    return d ? d->name : id;
  }
  std::string channel(const std::string& id) const {
    if (id.empty()) return std::string(label("no_channel"));
    const Channel* c = config_.channel(id);
    return c ? c->name : id;
  }
  std::string party_type(const std::string& id) const {
    if (id.empty()) return std::string(label("no_party"));
    const PartyType* t = config_.party_type(id);
    return t ? t->name : id;
  }
  std::string user(const std::string& id) const {
    const User* u = config_.user(id);
    return u ? u->name : id;
  }
  std::string direction(Direction d) const { return std::string(label(to_string(d))); }

 private:
  const Config& config_;
  Lang lang_;
};

std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}
std::string hours(const std::optional<std::int64_t>& seconds) {
  if (!seconds) return "-";
  return fmt::format("{:.1f}", static_cast<double>(*seconds) / 3600.0);
}
std::string signed_diff(std::int64_t now, std::int64_t before) {
  std::int64_t d = now - before;
  return d > 0 ? fmt::format("+{}", d) : fmt::format("{}", d);
}
/// The change of an on-time rate, in percentage points; "-" when either has no obligations.
std::string rate_diff(std::int64_t part, std::int64_t whole, std::int64_t part_before, std::int64_t whole_before) {
  if (whole == 0 || whole_before == 0) return "-";
  double d = 100.0 * (static_cast<double>(part) / static_cast<double>(whole) -
                      static_cast<double>(part_before) / static_cast<double>(whole_before));
  return fmt::format("{}{:.1f}pp", d > 0 ? "+" : "", d);
}
/// "2026-10-08 17:30" in the organisation's zone.
std::string short_time(const WorkCalendar& calendar, TimePoint t) {
  std::string iso = calendar.format_iso(t);
  return iso.substr(0, 10) + " " + iso.substr(11, 5);
}
std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

/// "--dept quality --kind complaint …" for the provenance; "" when nothing is filtered.
std::string filter_text(const ReportFilter& f) {
  std::vector<std::string> parts;
  if (!f.departments.empty()) parts.push_back("--dept " + join(f.departments));
  if (!f.kinds.empty()) parts.push_back("--kind " + join(f.kinds));
  if (f.direction) parts.push_back("--direction " + std::string(to_string(*f.direction)));
  if (!f.party_types.empty()) parts.push_back("--party-type " + join(f.party_types));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
}

/// One titled table or a paragraph: the layout both text and Markdown share. The table's
/// rows are made as they are written, so the long lists (§4, §5) never exist as text at once.
struct Block {
  int level = 2;            ///< 1 = the report, 2 = a section, 3 = a table within one
  std::string title;
  std::optional<RowSource> table;
  std::string paragraph;
};

/// A small table that is already made, as a RowSource.
RowSource rows_of(Table table) {
  auto rows = std::make_shared<const std::vector<std::vector<std::string>>>(std::move(table.rows));
  return {std::move(table.columns), rows->size(), [rows](std::size_t i) { return (*rows)[i]; }};
}

Table count_table(const Names& n, std::string_view key_label, const std::vector<Count>& counts,
                  std::string (Names::*name)(const std::string&) const) {
  Table t;
  t.columns = {{"key", std::string(n.label(key_label)), false, true}, {"count", std::string(n.label("col.count")), true}};
  for (const auto& c : counts) t.rows.push_back({(n.*name)(c.key), std::to_string(c.count)});
  return t;
}

Table figures(const Names& n, const std::vector<std::pair<std::string_view, std::string>>& rows) {
  Table t;
  t.columns = {{"figure", std::string(n.label("col.figure"))}, {"value", std::string(n.label("col.value")), true}};
  for (const auto& [key, value] : rows) t.rows.push_back({std::string(n.label(key)), value});
  return t;
}

std::vector<Block> blocks(const Report& r, const Names& n, const WorkCalendar& calendar) {
  std::vector<Block> out;
  auto add_rows = [&](int level, std::string title, RowSource rows) {
    Block b;
    b.level = level;
    b.title = std::move(title);
    b.table = std::move(rows);
    out.push_back(std::move(b));
  };
  auto add_table = [&](int level, std::string title, Table t) { add_rows(level, std::move(title), rows_of(std::move(t))); };
  auto add_text = [&](int level, std::string title, std::string text) {
    Block b;
    b.level = level;
    b.title = std::move(title);
    b.paragraph = std::move(text);
    out.push_back(std::move(b));
  };
  const Provenance& p = r.provenance;
  add_text(1, fmt::format("{}  {}", n.label("title"), r.period.label),
           fmt::format("{} {} — {}  ({} {})", n.label("period"), short_time(calendar, p.from), short_time(calendar, p.to),
                       n.label("prov.end"), short_time(calendar, p.end)));

  // §1
  add_text(2, std::string(n.label("section.volume")), fmt::format("{}: {}", n.label("volume.total"), r.volume.total));
  {
    Table t;
    t.columns = {{"direction", std::string(n.label("col.direction"))},
                 {"kind", std::string(n.label("col.kind"))},
                 {"count", std::string(n.label("col.count")), true}};
    for (const auto& c : r.volume.by_direction_kind)
      t.rows.push_back({n.direction(c.direction), n.kind(c.kind), std::to_string(c.count)});
    add_table(3, std::string(n.label("volume.by_direction_kind")), std::move(t));
  }
  add_table(3, std::string(n.label("volume.by_owner")), count_table(n, "col.owner", r.volume.by_owner, &Names::department));
  add_table(3, std::string(n.label("volume.by_channel")), count_table(n, "col.channel", r.volume.by_channel, &Names::channel));
  add_table(3, std::string(n.label("volume.by_party_type")),
            count_table(n, "col.party_type", r.volume.by_party_type, &Names::party_type));
  {
    Table t;
    t.columns = {{"party", std::string(n.label("col.party")), false, true},
                 {"type", std::string(n.label("col.party_type"))},
                 {"complaints", std::string(n.label("col.complaints")), true}};
    for (const auto& pt : r.volume.top_parties)
      t.rows.push_back({pt.name, n.party_type(pt.type), std::to_string(pt.complaints)});
    add_table(3, std::string(n.label("volume.top_parties")), std::move(t));
  }

  // §2
  add_table(2, std::string(n.label("section.flow")),
            figures(n, {{"flow.open_at_start", std::to_string(r.flow.open_at_start)},
                        {"flow.received", std::to_string(r.flow.received)},
                        {"flow.closed", std::to_string(r.flow.closed)},
                        {"flow.reopened", std::to_string(r.flow.reopened)},
                        {"flow.open_at_end", std::to_string(r.flow.open_at_end)}}));

  // §3
  {
    Table t;
    t.columns = {{"group", std::string(n.label("col.group")), false, true},
                 {"ack_count", std::string(n.label("col.ack_count")), true},
                 {"ack_on_time", std::string(n.label("col.ack_on_time")), true},
                 {"ack_rate", std::string(n.label("col.ack_rate")), true},
                 {"ack_median", std::string(n.label("col.ack_median")), true},
                 {"ack_p90", std::string(n.label("col.ack_p90")), true},
                 {"resolve_count", std::string(n.label("col.resolve_count")), true},
                 {"resolve_on_time", std::string(n.label("col.resolve_on_time")), true},
                 {"resolve_rate", std::string(n.label("col.resolve_rate")), true},
                 {"resolve_median", std::string(n.label("col.resolve_median")), true},
                 {"resolve_p90", std::string(n.label("col.resolve_p90")), true}};
    for (const auto& tl : r.timeliness) {
      std::string name = tl.group == "all"          ? std::string(n.label("all"))
                         : tl.group == "department" ? n.department(tl.key)
                                                    : n.kind(tl.key);
      t.rows.push_back({name, std::to_string(tl.ack_count), std::to_string(tl.ack_on_time),
                        percent(tl.ack_on_time, tl.ack_count), hours(tl.ack_median_seconds), hours(tl.ack_p90_seconds),
                        std::to_string(tl.resolve_count), std::to_string(tl.resolve_on_time),
                        percent(tl.resolve_on_time, tl.resolve_count), hours(tl.resolve_median_seconds),
                        hours(tl.resolve_p90_seconds)});
    }
    add_table(2, std::string(n.label("section.timeliness")), std::move(t));
  }

  // §4
  std::int64_t overdue_total = 0;
  for (const auto& c : r.overdue_by_owner) overdue_total += c.count;
  add_text(2, std::string(n.label("section.overdue")),
           overdue_total ? fmt::format("{}: {}", n.label("overdue.count"), overdue_total)
                         : std::string(n.label("overdue.none")));
  if (overdue_total) {
    add_table(3, std::string(n.label("overdue.by_owner")),
              count_table(n, "col.owner", r.overdue_by_owner, &Names::department));
    RowSource t;
    t.columns = {{"ref", std::string(n.label("col.ref"))},
                 {"owner", std::string(n.label("col.owner"))},
                 {"assignee", std::string(n.label("col.assignee"))},
                 {"due", std::string(n.label("col.due"))},
                 {"late", std::string(n.label("col.late_days")), true},
                 {"subject", std::string(n.label("col.subject")), false, true}};
    t.size = r.overdue.size();
    t.row = [&r, &n, &calendar](std::size_t i) -> std::vector<std::string> {
      const OverdueItem& o = r.overdue[i];
      return {o.ref, n.department(o.owner), o.assignee.empty() ? "" : n.user(o.assignee),
              short_time(calendar, o.due), std::to_string(o.late_working_days), o.subject};
    };
    add_rows(3, std::string(n.label("overdue.list")), std::move(t));
  }

  // §5
  add_text(2, std::string(n.label("section.suggestions")), "");
  add_table(3, std::string(n.label("suggestions.title")),
            figures(n, {{"suggestions.received", std::to_string(r.suggestions.received)},
                        {"suggestions.adopted", std::to_string(r.suggestions.adopted)},
                        {"suggestions.rejected", std::to_string(r.suggestions.rejected)},
                        {"suggestions.other_closed", std::to_string(r.suggestions.other_closed)},
                        {"suggestions.pending", std::to_string(r.suggestions.pending)}}));
  if (r.major.empty()) {
    add_text(3, std::string(n.label("major.title")), std::string(n.label("major.none")));
  } else {
    RowSource t;
    t.columns = {{"ref", std::string(n.label("col.ref"))},
                 {"kind", std::string(n.label("col.kind"))},
                 {"owner", std::string(n.label("col.owner"))},
                 {"received", std::string(n.label("col.received_at"))},
                 {"state", std::string(n.label("col.state"))},
                 {"closed_at", std::string(n.label("col.closed_at"))},
                 {"escalated_to", std::string(n.label("col.escalated_to"))},
                 {"subject", std::string(n.label("col.subject")), false, true}};
    t.size = r.major.size();
    t.row = [&r, &n, &calendar](std::size_t i) -> std::vector<std::string> {
      const MajorItem& m = r.major[i];
      return {m.ref, n.kind(m.kind), n.department(m.owner), short_time(calendar, m.received_at),
              std::string(n.label(m.closed_at_end ? "major.closed" : "major.open")),
              m.closed_at ? short_time(calendar, *m.closed_at) : "",
              m.escalated_to.empty() ? "" : n.department(m.escalated_to), m.subject};
    };
    add_rows(3, std::string(n.label("major.title")), std::move(t));
  }

  // §6
  {
    const Totals& c = r.current;
    const Totals& b = r.previous;
    Table t;
    t.columns = {{"figure", std::string(n.label("col.metric"))},
                 {"current", std::string(n.label("col.current")), true},
                 {"previous", std::string(n.label("col.previous")), true},
                 {"change", std::string(n.label("col.change")), true}};
    auto count_row = [&](std::string_view key, std::int64_t now, std::int64_t before) {
      t.rows.push_back({std::string(n.label(key)), std::to_string(now), std::to_string(before), signed_diff(now, before)});
    };
    count_row("change.received", c.received, b.received);
    count_row("change.closed", c.closed, b.closed);
    count_row("change.open_at_end", c.open_at_end, b.open_at_end);
    count_row("change.overdue_at_end", c.overdue_at_end, b.overdue_at_end);
    t.rows.push_back({std::string(n.label("change.ack_on_time")), percent(c.ack_on_time, c.ack_count),
                      percent(b.ack_on_time, b.ack_count), rate_diff(c.ack_on_time, c.ack_count, b.ack_on_time, b.ack_count)});
    t.rows.push_back({std::string(n.label("change.resolve_on_time")), percent(c.resolve_on_time, c.resolve_count),
                      percent(b.resolve_on_time, b.resolve_count),
                      rate_diff(c.resolve_on_time, c.resolve_count, b.resolve_on_time, b.resolve_count)});
    add_table(2, fmt::format("{} ({} — {})", n.label("section.change"), short_time(calendar, r.period.previous_from),
                             short_time(calendar, r.period.previous_to)),
              std::move(t));
  }

  // Provenance
  {
    std::string filters = filter_text(p.filter);
    add_table(2, std::string(n.label("section.provenance")),
              figures(n, {{"prov.period", p.period},
                          {"prov.from", calendar.format_iso(p.from)},
                          {"prov.to", calendar.format_iso(p.to)},
                          {"prov.end", calendar.format_iso(p.end)},
                          {"prov.now", calendar.format_iso(p.now)},
                          {"prov.version", p.version},
                          {"prov.last_event_id", std::to_string(p.last_event_id)},
                          {"prov.config_hash", p.config_hash},
                          {"prov.timezone", p.timezone},
                          {"prov.filters", filters.empty() ? std::string(n.label("none")) : filters}}));
    // The provenance table's values are left-aligned: they are not numbers.
    out.back().table->columns[1].right_align = false;
  }
  return out;
}

json opt_seconds(const std::optional<std::int64_t>& s) { return s ? json(*s) : json(nullptr); }

json counts_json(const std::vector<Count>& counts) {
  json a = json::array();
  for (const auto& c : counts) a.push_back({{"key", c.key}, {"count", c.count}});
  return a;
}

json filter_json(const ReportFilter& f) {
  return {{"departments", f.departments},
          {"kinds", f.kinds},
          {"direction", f.direction ? json(std::string(to_string(*f.direction))) : json(nullptr)},
          {"party_types", f.party_types}};
}

json totals_json(const Totals& t) {
  return {{"received", t.received},         {"closed", t.closed},
          {"open_at_end", t.open_at_end},   {"overdue_at_end", t.overdue_at_end},
          {"ack_count", t.ack_count},       {"ack_on_time", t.ack_on_time},
          {"resolve_count", t.resolve_count}, {"resolve_on_time", t.resolve_on_time}};
}

json overdue_json(const OverdueItem& o, const WorkCalendar& calendar) {
  return {{"ref", o.ref},
          {"owner", o.owner},
          {"assignee", o.assignee},
          {"kind", o.kind},
          {"subject", o.subject},
          {"due", calendar.format_iso(o.due)},
          {"late_working_days", o.late_working_days},
          {"late_working_seconds", o.late_working_seconds}};
}

json major_json(const MajorItem& m, const WorkCalendar& calendar) {
  return {{"ref", m.ref},
          {"kind", m.kind},
          {"owner", m.owner},
          {"subject", m.subject},
          {"received_at", calendar.format_iso(m.received_at)},
          {"closed_at_end", m.closed_at_end},
          {"closed_at", m.closed_at ? json(calendar.format_iso(*m.closed_at)) : json(nullptr)},
          {"escalated_to", m.escalated_to}};
}

/// The report as JSON with the overdue records and the major records left as empty arrays.
json report_outline(const Report& r, const WorkCalendar& calendar);

/// An array whose elements are made one at a time as they are written.
struct LazyArray {
  std::size_t size = 0;
  std::function<json(std::size_t)> element;
};

/// Writes `value` exactly as render_json (pretty, 2 spaces, UTF-8 kept, invalid UTF-8
/// replaced) would, at nesting `depth`, without the final newline — except that the
/// nodes named in `lazy` (empty arrays in `value`) are written from their LazyArray, so
/// the large lists never exist as one tree or one string.
void write_pretty(std::ostream& out, const json& value, int depth, const std::map<const json*, LazyArray>& lazy) {
  auto scalar = [](const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); };
  auto indent = [&](int d) { out << std::string(static_cast<std::size_t>(2 * d), ' '); };
  auto write_items = [&](char open, char close, std::size_t size, auto write_item) {
    if (size == 0) {
      out << open << close;
      return;
    }
    out << open << '\n';
    for (std::size_t i = 0; i < size; ++i) {
      indent(depth + 1);
      write_item(i);
      out << (i + 1 < size ? ",\n" : "\n");
    }
    indent(depth);
    out << close;
  };
  if (auto it = lazy.find(&value); it != lazy.end()) {
    const LazyArray& a = it->second;
    write_items('[', ']', a.size, [&](std::size_t i) { write_pretty(out, a.element(i), depth + 1, {}); });
  } else if (value.is_object()) {
    auto item = value.begin();
    write_items('{', '}', value.size(), [&](std::size_t) {
      out << scalar(json(item.key())) << ": ";
      write_pretty(out, item.value(), depth + 1, lazy);
      ++item;
    });
  } else if (value.is_array()) {
    write_items('[', ']', value.size(), [&](std::size_t i) { write_pretty(out, value[i], depth + 1, lazy); });
  } else {
    out << scalar(value);
  }
}

}  // namespace

json report_to_json(const Report& r, const WorkCalendar& calendar) {
  json j = report_outline(r, calendar);
  json& records = j["overdue"]["records"];
  for (const auto& o : r.overdue) records.push_back(overdue_json(o, calendar));
  json& major = j["major"];
  for (const auto& m : r.major) major.push_back(major_json(m, calendar));
  return j;
}

void write_report_json(const Report& r, const WorkCalendar& calendar, std::ostream& out) {
  json j = report_outline(r, calendar);
  std::map<const json*, LazyArray> lazy;
  lazy[&j["overdue"]["records"]] = {r.overdue.size(),
                                    [&](std::size_t i) { return overdue_json(r.overdue[i], calendar); }};
  lazy[&j["major"]] = {r.major.size(), [&](std::size_t i) { return major_json(r.major[i], calendar); }};
  write_pretty(out, j, 0, lazy);
  out << '\n';
}

namespace {

json report_outline(const Report& r, const WorkCalendar& calendar) {
  auto iso = [&](TimePoint t) { return calendar.format_iso(t); };
  json j;
  j["period"] = {{"label", r.period.label},
                 {"from", iso(r.period.from)},
                 {"to", iso(r.period.to)},
                 {"end", iso(r.provenance.end)},
                 {"previous_from", iso(r.period.previous_from)},
                 {"previous_to", iso(r.period.previous_to)}};
  json dk = json::array();
  for (const auto& c : r.volume.by_direction_kind)
    dk.push_back({{"direction", std::string(to_string(c.direction))}, {"kind", c.kind}, {"count", c.count}});
  json parties = json::array();
  for (const auto& p : r.volume.top_parties)
    parties.push_back({{"id", p.id}, {"name", p.name}, {"type", p.type}, {"complaints", p.complaints}});
  j["volume"] = {{"total", r.volume.total},
                 {"by_direction_kind", dk},
                 {"by_owner", counts_json(r.volume.by_owner)},
                 {"by_channel", counts_json(r.volume.by_channel)},
                 {"by_party_type", counts_json(r.volume.by_party_type)},
                 {"top_parties", parties}};
  j["flow"] = {{"open_at_start", r.flow.open_at_start},
               {"received", r.flow.received},
               {"closed", r.flow.closed},
               {"reopened", r.flow.reopened},
               {"open_at_end", r.flow.open_at_end}};
  json tl = json::array();
  for (const auto& t : r.timeliness)
    tl.push_back({{"group", t.group},
                  {"key", t.key},
                  {"ack",
                   {{"count", t.ack_count},
                    {"on_time", t.ack_on_time},
                    {"median_seconds", opt_seconds(t.ack_median_seconds)},
                    {"p90_seconds", opt_seconds(t.ack_p90_seconds)}}},
                  {"resolve",
                   {{"count", t.resolve_count},
                    {"on_time", t.resolve_on_time},
                    {"median_seconds", opt_seconds(t.resolve_median_seconds)},
                    {"p90_seconds", opt_seconds(t.resolve_p90_seconds)}}}});
  j["timeliness"] = tl;
  std::int64_t overdue_total = 0;
  for (const auto& c : r.overdue_by_owner) overdue_total += c.count;
  j["overdue"] = {{"total", overdue_total}, {"by_owner", counts_json(r.overdue_by_owner)}, {"records", json::array()}};
  j["suggestions"] = {{"received", r.suggestions.received},
                      {"adopted", r.suggestions.adopted},
                      {"rejected", r.suggestions.rejected},
                      {"other_closed", r.suggestions.other_closed},
                      {"pending", r.suggestions.pending}};
  j["major"] = json::array();
  j["change"] = {{"current", totals_json(r.current)}, {"previous", totals_json(r.previous)}};
  const Provenance& p = r.provenance;
  j["provenance"] = {{"period", p.period},
                     {"from", iso(p.from)},
                     {"to", iso(p.to)},
                     {"end", iso(p.end)},
                     {"now", iso(p.now)},
                     {"version", p.version},
                     {"last_event_id", p.last_event_id},
                     {"config_hash", p.config_hash},
                     {"timezone", p.timezone},
                     {"filter", filter_json(p.filter)}};
  return j;
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
      else render(*b.table, table, out);
    }
  }
}

std::string render_report_text(const Report& report, const Config& config, const WorkCalendar& calendar,
                               Lang lang) {
  std::ostringstream out;
  render_report_text(report, config, calendar, lang, out);
  return std::move(out).str();
}

void render_report_md(const Report& report, const Config& config, const WorkCalendar& calendar,
                      Lang lang, std::ostream& out) {
  Names names(config, lang);
  RenderOptions md;
  md.format = Format::md;
  bool first = true;
  for (const auto& b : blocks(report, names, calendar)) {
    if (!first) out << "\n";
    first = false;
    out << std::string(static_cast<std::size_t>(b.level), '#') << " " << b.title << "\n";
    if (!b.paragraph.empty()) out << "\n" << b.paragraph << "\n";
    if (b.table) {
      out << "\n";
      if (b.table->size == 0) out << names.label("none") << "\n";
      else render(*b.table, md, out);
    }
  }
}

std::string render_report_md(const Report& report, const Config& config, const WorkCalendar& calendar,
                             Lang lang) {
  std::ostringstream out;
  render_report_md(report, config, calendar, lang, out);
  return std::move(out).str();
}

void render_report_csv(const Report& r, const Config& config, const WorkCalendar& calendar,
                       Lang lang, std::ostream& out) {
  Names n(config, lang);
  out << "section,dimension,key,name,metric,value\r\n";
  auto row = [&](std::string_view section, std::string_view dimension, std::string_view key, std::string_view name,
                 std::string_view metric, std::string_view value) {
    out << fmt::format("{},{},{},{},{},{}\r\n", csv_field(section), csv_field(dimension), csv_field(key),
                       csv_field(name), csv_field(metric), csv_field(value));
  };
  auto num = [](std::int64_t v) { return std::to_string(v); };
  auto opt = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string(); };
  auto iso = [&](TimePoint t) { return calendar.format_iso(t); };

  row("volume", "all", "", "", "received", num(r.volume.total));
  for (const auto& c : r.volume.by_direction_kind)
    row("volume", "direction_kind", fmt::format("{}/{}", to_string(c.direction), c.kind),
        fmt::format("{}/{}", n.direction(c.direction), n.kind(c.kind)), "received", num(c.count));
  for (const auto& c : r.volume.by_owner) row("volume", "owner", c.key, n.department(c.key), "received", num(c.count));
  for (const auto& c : r.volume.by_channel) row("volume", "channel", c.key, n.channel(c.key), "received", num(c.count));
  for (const auto& c : r.volume.by_party_type)
    row("volume", "party_type", c.key, n.party_type(c.key), "received", num(c.count));
  for (const auto& p : r.volume.top_parties) row("volume", "party", p.id, p.name, "complaints", num(p.complaints));

  row("flow", "all", "", "", "open_at_start", num(r.flow.open_at_start));
  row("flow", "all", "", "", "received", num(r.flow.received));
  row("flow", "all", "", "", "closed", num(r.flow.closed));
  row("flow", "all", "", "", "reopened", num(r.flow.reopened));
  row("flow", "all", "", "", "open_at_end", num(r.flow.open_at_end));

  for (const auto& t : r.timeliness) {
    std::string name = t.group == "all" ? "" : t.group == "department" ? n.department(t.key) : n.kind(t.key);
    row("timeliness", t.group, t.key, name, "ack_count", num(t.ack_count));
    row("timeliness", t.group, t.key, name, "ack_on_time", num(t.ack_on_time));
    row("timeliness", t.group, t.key, name, "ack_median_seconds", opt(t.ack_median_seconds));
    row("timeliness", t.group, t.key, name, "ack_p90_seconds", opt(t.ack_p90_seconds));
    row("timeliness", t.group, t.key, name, "resolve_count", num(t.resolve_count));
    row("timeliness", t.group, t.key, name, "resolve_on_time", num(t.resolve_on_time));
    row("timeliness", t.group, t.key, name, "resolve_median_seconds", opt(t.resolve_median_seconds));
    row("timeliness", t.group, t.key, name, "resolve_p90_seconds", opt(t.resolve_p90_seconds));
  }

  std::int64_t overdue_total = 0;
  for (const auto& c : r.overdue_by_owner) overdue_total += c.count;
  row("overdue", "all", "", "", "overdue", num(overdue_total));
  for (const auto& c : r.overdue_by_owner) row("overdue", "owner", c.key, n.department(c.key), "overdue", num(c.count));
  for (const auto& o : r.overdue) {
    row("overdue", "record", o.ref, o.subject, "owner", o.owner);
    row("overdue", "record", o.ref, o.subject, "assignee", o.assignee);
    row("overdue", "record", o.ref, o.subject, "kind", o.kind);
    row("overdue", "record", o.ref, o.subject, "due", iso(o.due));
    row("overdue", "record", o.ref, o.subject, "late_working_days", num(o.late_working_days));
    row("overdue", "record", o.ref, o.subject, "late_working_seconds", num(o.late_working_seconds));
  }

  row("suggestions", "all", "", "", "received", num(r.suggestions.received));
  row("suggestions", "all", "", "", "adopted", num(r.suggestions.adopted));
  row("suggestions", "all", "", "", "rejected", num(r.suggestions.rejected));
  row("suggestions", "all", "", "", "other_closed", num(r.suggestions.other_closed));
  row("suggestions", "all", "", "", "pending", num(r.suggestions.pending));
  for (const auto& m : r.major) {
    row("major", "record", m.ref, m.subject, "kind", m.kind);
    row("major", "record", m.ref, m.subject, "owner", m.owner);
    row("major", "record", m.ref, m.subject, "received_at", iso(m.received_at));
    row("major", "record", m.ref, m.subject, "closed_at_end", m.closed_at_end ? "true" : "false");
    row("major", "record", m.ref, m.subject, "closed_at", m.closed_at ? iso(*m.closed_at) : "");
    row("major", "record", m.ref, m.subject, "escalated_to", m.escalated_to);
  }

  for (const auto& [which, t] : {std::pair<std::string_view, const Totals*>{"current", &r.current},
                                 std::pair<std::string_view, const Totals*>{"previous", &r.previous}}) {
    row("change", which, "", "", "received", num(t->received));
    row("change", which, "", "", "closed", num(t->closed));
    row("change", which, "", "", "open_at_end", num(t->open_at_end));
    row("change", which, "", "", "overdue_at_end", num(t->overdue_at_end));
    row("change", which, "", "", "ack_count", num(t->ack_count));
    row("change", which, "", "", "ack_on_time", num(t->ack_on_time));
    row("change", which, "", "", "resolve_count", num(t->resolve_count));
    row("change", which, "", "", "resolve_on_time", num(t->resolve_on_time));
  }

  const Provenance& p = r.provenance;
  row("provenance", "all", "", "", "period", p.period);
  row("provenance", "all", "", "", "from", iso(p.from));
  row("provenance", "all", "", "", "to", iso(p.to));
  row("provenance", "all", "", "", "end", iso(p.end));
  row("provenance", "all", "", "", "now", iso(p.now));
  row("provenance", "all", "", "", "previous_from", iso(r.period.previous_from));
  row("provenance", "all", "", "", "previous_to", iso(r.period.previous_to));
  row("provenance", "all", "", "", "version", p.version);
  row("provenance", "all", "", "", "last_event_id", num(p.last_event_id));
  row("provenance", "all", "", "", "config_hash", p.config_hash);
  row("provenance", "all", "", "", "timezone", p.timezone);
  row("provenance", "all", "", "", "filter", filter_text(p.filter));
}

std::string render_report_csv(const Report& report, const Config& config, const WorkCalendar& calendar,
                              Lang lang) {
  std::ostringstream out;
  render_report_csv(report, config, calendar, lang, out);
  return std::move(out).str();
}

}  // namespace liaison
