// The report as JSON: report_to_json and write_report_json (report_render.h).
#include "report_render.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <vector>

namespace liaison {

namespace {

using nlohmann::json;

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
  json j = {{"ref", o.ref},
            {"owner", o.owner},
            {"assignee", o.assignee},
            {"kind", o.kind},
            {"subject", o.subject},
            {"due", calendar.format_iso(o.due)},
            {"late_working_days", o.late_working_days},
            {"late_working_seconds", o.late_working_seconds}};
  if (o.purged) j["purged"] = true;  // a tombstone (liaison purge); absent otherwise
  return j;
}

json major_json(const MajorItem& m, const WorkCalendar& calendar) {
  json j = {{"ref", m.ref},
            {"kind", m.kind},
            {"owner", m.owner},
            {"subject", m.subject},
            {"received_at", calendar.format_iso(m.received_at)},
            {"closed_at_end", m.closed_at_end},
            {"closed_at", m.closed_at ? json(calendar.format_iso(*m.closed_at)) : json(nullptr)},
            {"escalated_to", m.escalated_to}};
  if (m.purged) j["purged"] = true;
  return j;
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
                 {"by_topic", counts_json(r.volume.by_topic)},
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
  json obligations = json::array();
  for (const auto& o : r.obligations)
    obligations.push_back({{"type", o.type},
                           {"count", o.count},
                           {"on_time", o.on_time},
                           {"met", o.met},
                           {"median_seconds", opt_seconds(o.median_seconds)},
                           {"p90_seconds", opt_seconds(o.p90_seconds)}});
  j["obligations"] = obligations;
  j["overdue"] = {{"total", r.overdue_total}, {"by_owner", counts_json(r.overdue_by_owner)}, {"records", json::array()}};
  // How much of each list is there: all of it only with --details all.
  j["details"] = {{"limit", r.details ? json(*r.details) : json(nullptr)},
                  {"overdue", {{"total", r.overdue_total}, {"listed", r.overdue.size()}}},
                  {"major", {{"total", r.major_total}, {"listed", r.major.size()}}}};
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
                     {"checkpoint", p.checkpoint ? json{{"event", p.checkpoint->event_id},
                                                        {"at", iso(p.checkpoint->at)},
                                                        {"key", p.checkpoint->public_key}}
                                                 : json(nullptr)},
                     {"timezone", p.timezone},
                     {"filter", filter_json(p.filter)}};
  return j;
}

}  // namespace

}  // namespace liaison
