// The helpers the report's renderers share: number formatting and the report's sections
// as titled blocks (report_render_shared.h).
#include "report_render_shared.h"

#include <cstdint>
#include <memory>
#include <utility>

#include <fmt/format.h>

#include "messages.h"

namespace liaison::report_detail {

namespace {

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

}  // namespace

std::string listed_note(std::size_t shown, std::int64_t total, Lang lang) {
  if (static_cast<std::int64_t>(shown) >= total) return {};
  return msg<Msg::details_listed>(shown, total).render(lang);
}

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

namespace {

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

}  // namespace

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
  // A list of records (--details): the rows it shows, said to be the first so many of
  // `total` when they are fewer; no table when it shows none.
  auto add_list = [&](std::string title, RowSource rows, std::int64_t total) {
    std::string note = listed_note(rows.size, total, n.lang());
    if (rows.size == 0) return add_text(3, std::move(title), std::move(note));
    add_rows(3, std::move(title), std::move(rows));
    out.back().paragraph = std::move(note);
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
  if (!r.volume.by_topic.empty())
    add_table(3, std::string(n.label("volume.by_topic")), count_table(n, "col.topic", r.volume.by_topic, &Names::topic));
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
  // Notifications and receipts, when the period has any: their own clocks' time used
  // (working hours for a working duration, hours for a calendar one).
  if (!r.obligations.empty()) {
    Table t;
    t.columns = {{"obligation", std::string(n.label("col.obligation")), false, true},
                 {"count", std::string(n.label("col.due_count")), true},
                 {"on_time", std::string(n.label("col.on_time")), true},
                 {"rate", std::string(n.label("col.rate")), true},
                 {"met", std::string(n.label("col.met")), true},
                 {"median", std::string(n.label("col.median")), true},
                 {"p90", std::string(n.label("col.p90")), true}};
    for (const auto& o : r.obligations)
      t.rows.push_back({std::string(n.label("obligation." + o.type)), std::to_string(o.count), std::to_string(o.on_time),
                        percent(o.on_time, o.count), std::to_string(o.met), hours(o.median_seconds),
                        hours(o.p90_seconds)});
    add_table(3, std::string(n.label("section.obligations")), std::move(t));
  }

  // §4
  add_text(2, std::string(n.label("section.overdue")),
           r.overdue_total ? fmt::format("{}: {}", n.label("overdue.count"), r.overdue_total)
                           : std::string(n.label("overdue.none")));
  if (r.overdue_total) {
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
    add_list(std::string(n.label("overdue.list")), std::move(t), r.overdue_total);
  }

  // §5
  add_text(2, std::string(n.label("section.suggestions")), "");
  add_table(3, std::string(n.label("suggestions.title")),
            figures(n, {{"suggestions.received", std::to_string(r.suggestions.received)},
                        {"suggestions.adopted", std::to_string(r.suggestions.adopted)},
                        {"suggestions.rejected", std::to_string(r.suggestions.rejected)},
                        {"suggestions.other_closed", std::to_string(r.suggestions.other_closed)},
                        {"suggestions.pending", std::to_string(r.suggestions.pending)}}));
  if (r.major_total == 0) {
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
    add_list(std::string(n.label("major.title")), std::move(t), r.major_total);
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
                          {"prov.checkpoint", p.checkpoint ? checkpoint_summary(p.checkpoint)
                                                           : std::string(n.label("none"))},
                          {"prov.timezone", p.timezone},
                          {"prov.filters", filters.empty() ? std::string(n.label("none")) : filters}}));
    // The provenance table's values are left-aligned: they are not numbers.
    out.back().table->columns[1].right_align = false;
  }
  return out;
}

}  // namespace liaison::report_detail
