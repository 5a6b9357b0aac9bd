// Display and JSON helpers shared by the commands: labels, department names, durations,
// records and events as JSON.
#include "common.h"

#include <algorithm>

#include <fmt/format.h>

#include "exchange.h"
#include "remind.h"

namespace liaison::cli {

void fit_record_columns(std::vector<Column>& columns) {
  static const std::vector<std::string_view> datetimes = {"received", "ack_due", "acked_at", "due", "closed_at"};
  // Left out first to last: what a reader can most easily do without (`show` has it all).
  static const std::vector<std::string_view> dropped = {"received", "assignee", "kind", "status", "owner"};
  for (Column& c : columns) {
    if (std::find(datetimes.begin(), datetimes.end(), c.key) != datetimes.end()) c.datetime = true;
    if (auto at = std::find(dropped.begin(), dropped.end(), c.key); at != dropped.end())
      c.drop_order = static_cast<int>(dropped.end() - at);
  }
}

std::string label(const Env& env, std::string_view english) { return std::string(tr(env.lang(), english)); }

std::string dept_name(const Env& env, const std::string& id) {
  if (const Department* d = env.config().department(id)) return d->name;
  return id;
}

std::string format_seconds(std::int64_t seconds, Lang lang) {
  std::int64_t h = seconds / 3600, m = (seconds % 3600) / 60;
  const std::string_view hours = text_of(Msg::unit_hours, lang);
  if (h == 0) return fmt::format("{}{}", m, text_of(Msg::unit_minutes_alone, lang));
  if (m == 0) return fmt::format("{}{}", h, hours);
  if (lang == Lang::zh) return fmt::format("{}{} {}{}", h, hours, m, text_of(Msg::unit_minutes, lang));
  return fmt::format("{}{}{:02}{}", h, hours, m, text_of(Msg::unit_minutes, lang));
}

std::string duration_text(const Env& env, const std::string& duration) {
  if (env.lang() == Lang::en) return duration;
  auto parsed = Duration::parse(duration);
  return parsed ? human_duration(*parsed, env.lang()) : duration;
}

std::string channel_text(const Env& env, const std::string& id) {
  if (env.lang() == Lang::en) return id;
  const Channel* c = env.config().channel(id);
  return c && !c->name.empty() ? c->name : id;
}

std::string clock_label(const Env& env, const std::string& name) {
  if (std::string party = notified_party(name); !party.empty()) return label(env, "notification to") + " " + party;
  if (std::string user = receipt_holder(name); !user.empty()) return label(env, "receipt by") + " " + user;
  if (std::string user = approval_holder(name); !user.empty()) return label(env, "approval by") + " " + user;
  if (std::string user = action_owner(name); !user.empty())
    return fmt::format("{} A{} {}", label(env, "action by"), action_number(name), user);
  return label(env, name);
}

namespace {
/// "2026-10-20": a date alone, which as a deadline means by the end of that day.
bool is_date_only(const std::string& text) {
  return text.size() == 10 && text[4] == '-' && text[7] == '-' &&
         std::all_of(text.begin(), text.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
}
}  // namespace

DueOption due_option(const Env& env, const std::string& text) {
  DueOption due;
  const WorkCalendar& calendar = env.calendar();
  if (auto d = Duration::parse(text)) {
    due.within = *d;
  } else if (is_date_only(text)) {
    // The last second of that local day (a day of 23 or 25 hours too).
    const date::sys_days day = calendar.local_date(env.parse_time(text, "--due"));
    due.at = calendar.at_local(day + date::days{1}, 0) - std::chrono::seconds{1};
  } else if (calendar.parse_time(text)) {
    due.at = env.parse_time(text, "--due");
  } else {
    throw UsageError(msg<Msg::due_time_or_duration>(text), msg<Msg::write_due_like>());
  }
  return due;
}

std::string action_state(const Clock& c, TimePoint now) {
  if (c.stopped_at) return c.due && *c.stopped_at > *c.due ? "late" : "done";
  return c.due && *c.due < now ? "overdue" : "open";
}

nlohmann::json action_json(const ActionItem& a, const Env& env) {
  const Clock& c = a.clock;
  auto time = [&](const std::optional<TimePoint>& t) {
    return t ? nlohmann::json(env.calendar().format_iso(*t)) : nlohmann::json(nullptr);
  };
  auto text = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
  return {{"id", a.id},
          {"record", a.id.substr(0, a.id.rfind('/'))},
          {"number", a.number},
          {"owner", a.owner},
          {"text", a.text},
          {"due", time(c.due)},
          {"done_at", time(c.stopped_at)},
          {"done_by", text(a.done_by)},
          {"evidence", text(a.evidence)},
          {"state", action_state(c, env.now())}};
}

bool met_late(const Record& record, std::string_view name) {
  for (const Clock& c : record.clocks)
    if (c.name == name) return c.due && c.stopped_at && *c.stopped_at > *c.due;
  return false;
}

std::string topic_text(const Env& env, const std::string& id) {
  if (env.lang() == Lang::en) return id;
  const Topic* t = env.config().topic(id);
  return t && !t->name.empty() ? t->name : id;
}

std::string level_text(const Env& env, const std::string& id) {
  if (env.lang() == Lang::en) return id;
  const auto& names = env.config().levels.names;
  auto it = names.find(id);
  return it != names.end() && !it->second.empty() ? it->second : id;
}

nlohmann::json record_json(const Record& r, const Env& env) {
  return liaison::record_json(r, env.calendar(), env.now());  // lib/services/exchange.h
}

nlohmann::json event_json(const Event& e, const Env& env) {
  nlohmann::json data = nlohmann::json::parse(e.data, nullptr, false);
  return {{"id", e.id},     {"ref", e.ref}, {"type", e.type}, {"actor", e.actor},
          {"at", env.calendar().format_iso(e.at)}, {"data", data},
          {"recorded_at", e.recorded_at ? nlohmann::json(env.calendar().format_iso(*e.recorded_at)) : nlohmann::json(nullptr)},
          // null: not shown to this reader (or, for the salt, an event older than schema 7)
          {"hash", e.hash.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.hash)},
          {"salt", e.salt.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.salt)}};
}

}  // namespace liaison::cli
