// The report as tidy CSV, one row per figure (report_render.h).
#include "report_render.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "render.h"
#include "report_render_shared.h"

namespace liaison {

using report_detail::filter_text;
using report_detail::Names;

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
  for (const auto& c : r.volume.by_topic) row("volume", "topic", c.key, n.topic(c.key), "received", num(c.count));
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
  for (const auto& o : r.obligations) {
    const std::string name(n.label("obligation." + o.type));
    row("obligations", "type", o.type, name, "count", num(o.count));
    row("obligations", "type", o.type, name, "on_time", num(o.on_time));
    row("obligations", "type", o.type, name, "met", num(o.met));
    row("obligations", "type", o.type, name, "median_seconds", opt(o.median_seconds));
    row("obligations", "type", o.type, name, "p90_seconds", opt(o.p90_seconds));
  }

  // A list cut by --details says so: how many it lists of how many there are.
  auto listed = [&](std::string_view section, std::size_t shown, std::int64_t total) {
    if (static_cast<std::int64_t>(shown) < total) row(section, "all", "", "", "listed", num(static_cast<std::int64_t>(shown)));
  };
  row("overdue", "all", "", "", "overdue", num(r.overdue_total));
  listed("overdue", r.overdue.size(), r.overdue_total);
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
  if (static_cast<std::int64_t>(r.major.size()) < r.major_total) {
    row("major", "all", "", "", "major", num(r.major_total));
    listed("major", r.major.size(), r.major_total);
  }
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
  row("provenance", "all", "", "", "checkpoint", checkpoint_summary(p.checkpoint));
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
