#include "audit.h"

#include <algorithm>
#include <charconv>
#include <map>

#include <date/date.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace liaison {
namespace {

using nlohmann::json;

/// One clock as the history gives it, with the event that set each part.
struct ClockState {
  std::string name;
  std::int64_t created_by = 0;            ///< the event that started it
  std::optional<TimePoint> started_at;    ///< nullopt: the history does not say
  std::optional<TimePoint> due;
  bool due_known = false;
  std::int64_t due_by = 0;
  std::optional<TimePoint> stopped_at;
  std::int64_t stopped_by = 0;
  std::optional<std::int64_t> used_seconds;  ///< nullopt: the history does not say (or, if used_known, none)
  bool used_known = false;                ///< the history says used_seconds, none included
  std::int64_t used_by = 0;
  std::optional<TimePoint> paused_since;
  std::int64_t paused_by = 0;
};

/// The expected value of a field and the event that set it.
struct Expected {
  FieldValue value;
  std::int64_t event_id = 0;
};

/// The state a history gives.
class Replay {
 public:
  /// `who` names the record in the problems found ("EXT-2026-00001", "record id 7").
  explicit Replay(Message who) : who_(std::move(who)) {}

  /// The first problem with the history itself (empty if none).
  Message problem;
  std::int64_t problem_event = 0;
  std::map<std::string, Expected, std::less<>> fields;
  std::vector<ClockState> clocks;

  void apply(const Event& e, bool first) {
    json data = json::parse(e.data, nullptr, false);
    if (!data.is_object()) return fail(e.id, msg<Msg::event_holds_no_readable_data>(who_, e.id));
    // A record's history starts with its filing, or with its import without a history.
    bool starts = e.type == "filed" || e.type == "imported";
    if (first != starts)
      return fail(e.id, first ? msg<Msg::history_starts_event_not_filed_imported>(who_, e.id, e.type)
                      : e.type == "filed" ? msg<Msg::event_files_record_second_time>(who_, e.id)
                                          : msg<Msg::event_imports_record_second_time>(who_, e.id));
    if (e.type == "filed") filed(e, data);
    else if (e.type == "imported") imported(e, data);
    else if (e.type == "routed") {
      text("owner", data, "to", e.id);
      text("assignee", data, "assignee", e.id);
    } else if (e.type == "acknowledged") {
      time("acked_at", e.at, e.id);
      if (status_ == "open") set_status("acknowledged", e.id);
      acked_ = true;
      if (ClockState* c = clock("ack"); c && !c->stopped_at) {
        stop(*c, e.at, e.id);
        if (data.contains("used_seconds") && data["used_seconds"].is_number_integer()) {
          c->used_seconds = data["used_seconds"].get<std::int64_t>();
          c->used_by = e.id;
        }
      }
    } else if (e.type == "escalated") {
      text("escalated_to", data, "to", e.id);
    } else if (e.type == "waiting") {
      set_status("waiting", e.id);
      if (ClockState* c = clock("resolve")) {
        c->paused_since = e.at;
        c->paused_by = e.id;
      }
    } else if (e.type == "resumed") {
      set_status(acked_ ? "acknowledged" : "open", e.id);
      if (ClockState* c = clock("resolve")) {
        if (c->paused_since) c->paused_by = e.id;
        c->paused_since.reset();
        if (auto due = time_of(data, "due")) {
          c->due = due;
          c->due_known = true;
          c->due_by = e.id;
        }
      }
      dues(e.id);
    } else if (e.type == "closed") {
      set_status("closed", e.id);
      text("outcome", data, "outcome", e.id);
      text("resolution", data, "resolution", e.id);
      text("reply_via", data, "reply_via", e.id);
      text("capa", data, "capa", e.id);
      time("closed_at", e.at, e.id);
      const json* used = data.contains("clocks") && data["clocks"].is_object() ? &data["clocks"] : nullptr;
      for (auto& c : clocks) {
        if (!c.stopped_at) {
          if (c.paused_since) c.paused_by = e.id;
          c.paused_since.reset();
          stop(c, e.at, e.id);
        }
        if (used && used->contains(c.name) && (*used)[c.name].contains("used_seconds") &&
            (*used)[c.name]["used_seconds"].is_number_integer()) {
          auto seconds = (*used)[c.name]["used_seconds"].get<std::int64_t>();
          if (c.used_seconds != seconds) {
            c.used_seconds = seconds;
            c.used_by = e.id;
          }
        }
      }
    } else if (e.type == "reopened") {
      set_status("acknowledged", e.id);
      if (!acked_) time("acked_at", e.at, e.id);
      acked_ = true;
      set("outcome", text_value(""), e.id);
      set("resolution", text_value(""), e.id);
      set("reply_via", text_value(""), e.id);
      time("closed_at", std::nullopt, e.id);
      std::erase_if(clocks, [](const ClockState& c) { return c.name == "resolve"; });
      if (data.contains("clock") && data["clock"].is_object()) add_clock(data["clock"], e.id);
      dues(e.id);
    }
  }

 private:
  Message who_;
  std::string status_;
  bool acked_ = false;

  void fail(std::int64_t id, Message why) {
    if (!problem.empty()) return;
    problem = std::move(why);
    problem_event = id;
  }
  static FieldValue text_value(std::string v) { return FieldValue{false, std::move(v), std::nullopt}; }
  static FieldValue time_value(std::optional<TimePoint> t) { return FieldValue{true, {}, t}; }
  void set(const std::string& field, FieldValue v, std::int64_t id) { fields[field] = Expected{std::move(v), id}; }
  void time(const std::string& field, std::optional<TimePoint> t, std::int64_t id) { set(field, time_value(t), id); }
  void set_status(std::string s, std::int64_t id) {
    status_ = s;
    set("status", text_value(std::move(s)), id);
  }
  /// field = data[key] when the data has it as text.
  void text(const std::string& field, const json& data, const char* key, std::int64_t id) {
    if (data.contains(key) && data[key].is_string()) set(field, text_value(data[key].get<std::string>()), id);
  }
  static std::optional<TimePoint> time_of(const json& data, const char* key) {
    if (!data.contains(key) || !data[key].is_string()) return std::nullopt;
    return parse_iso_time(data[key].get<std::string>());
  }
  ClockState* clock(std::string_view name) {
    for (auto& c : clocks)
      if (c.name == name) return &c;
    return nullptr;
  }
  /// Stops a clock; the time it used is what the stopping event says, if it says.
  static void stop(ClockState& c, TimePoint at, std::int64_t id) {
    c.stopped_at = at;
    c.stopped_by = id;
    c.used_seconds.reset();
    c.used_known = false;
  }
  ClockState* add_clock(const json& j, std::int64_t id) {
    if (!j.contains("clock") || !j["clock"].is_string()) return nullptr;
    ClockState c;
    c.name = j["clock"].get<std::string>();
    c.created_by = c.due_by = c.stopped_by = c.paused_by = c.used_by = id;
    c.started_at = time_of(j, "started_at");
    if (j.contains("due")) {
      c.due_known = j["due"].is_null() || j["due"].is_string();
      c.due = time_of(j, "due");
    }
    std::erase_if(clocks, [&](const ClockState& other) { return other.name == c.name; });
    clocks.push_back(std::move(c));
    return &clocks.back();
  }
  /// The record's copies of the ack and resolve deadlines follow the clocks.
  void dues(std::int64_t id) {
    const ClockState* ack = clock("ack");
    const ClockState* resolve = clock("resolve");
    if (!ack || ack->due_known) time("ack_due", ack ? ack->due : std::nullopt, ack ? ack->due_by : id);
    if (!resolve || resolve->due_known) time("due", resolve ? resolve->due : std::nullopt, resolve ? resolve->due_by : id);
  }

  /// `major` and `notify` as a filed or imported event gives them (absent: not compared).
  void major_and_notify(const json& data, std::int64_t event_id) {
    if (data.contains("major") && data["major"].is_boolean())
      set("major", text_value(data["major"].get<bool>() ? "true" : "false"), event_id);
    if (data.contains("notify") && data["notify"].is_array()) {
      std::string notify;
      for (const auto& n : data["notify"])
        if (n.is_string()) notify += (notify.empty() ? "" : ",") + n.get<std::string>();
      set("notify", text_value(notify), event_id);
    }
  }

  void filed(const Event& e, const json& data) {
    for (const char* key : {"kind", "direction", "subject", "body", "channel", "party", "from_dept", "owner",
                            "assignee", "level", "rule"})
      text(key, data, key, e.id);
    set("flow", text_value(data.contains("flow") && data["flow"].is_string() ? data["flow"].get<std::string>() : "none"),
        e.id);
    major_and_notify(data, e.id);
    if (auto received = time_of(data, "received_at")) time("received_at", received, e.id);
    time("created_at", e.at, e.id);
    set("created_by", text_value(e.actor), e.id);
    set_status("open", e.id);
    time("acked_at", std::nullopt, e.id);
    time("closed_at", std::nullopt, e.id);
    set("outcome", text_value(""), e.id);
    set("resolution", text_value(""), e.id);
    set("reply_via", text_value(""), e.id);
    set("capa", text_value(""), e.id);
    set("escalated_to", text_value(""), e.id);
    clocks.clear();
    if (data.contains("clocks") && data["clocks"].is_array())
      for (const auto& c : data["clocks"])
        if (c.is_object()) add_clock(c, e.id);
    dues(e.id);
  }

  /// The state as imported, all of it in the event's data (lib/services/import.cpp imported_data).
  void imported(const Event& e, const json& data) {
    // Written by liaison import before the event carried the state: nothing to check against.
    if (!data.contains("status") || !data["status"].is_string())
      return fail(e.id, msg<Msg::event_imported_does_not_say_record>(who_, e.id));
    for (const char* key : {"kind", "direction", "flow", "subject", "body", "channel", "party", "from_dept", "owner",
                            "assignee", "level", "rule", "resolution", "reply_via", "capa", "escalated_to",
                            "created_by"})
      text(key, data, key, e.id);
    set("outcome", text_value(data.contains("outcome") && data["outcome"].is_string()
                                  ? data["outcome"].get<std::string>() : ""),
        e.id);
    major_and_notify(data, e.id);
    // Times: null means none; a time the data does not hold is not checked.
    for (const char* key : {"received_at", "created_at", "acked_at", "closed_at"})
      if (data.contains(key) && (data[key].is_null() || data[key].is_string())) time(key, time_of(data, key), e.id);
    set_status(data["status"].get<std::string>(), e.id);
    acked_ = data.contains("acked_at") && data["acked_at"].is_string();
    clocks.clear();
    if (data.contains("clocks") && data["clocks"].is_array())
      for (const auto& j : data["clocks"]) {
        ClockState* c = j.is_object() ? add_clock(j, e.id) : nullptr;
        if (!c) continue;
        c->stopped_at = time_of(j, "stopped_at");
        c->paused_since = time_of(j, "paused_since");
        if (j.contains("used_seconds") && (j["used_seconds"].is_null() || j["used_seconds"].is_number_integer())) {
          c->used_known = true;
          if (j["used_seconds"].is_number_integer()) c->used_seconds = j["used_seconds"].get<std::int64_t>();
        }
      }
    dues(e.id);
  }
};

bool operator==(const FieldValue& a, const FieldValue& b) {
  return a.is_time == b.is_time && (a.is_time ? a.time == b.time : a.text == b.text);
}

FieldValue text_of(std::string v) { return FieldValue{false, std::move(v), std::nullopt}; }
FieldValue time_of(std::optional<TimePoint> t) { return FieldValue{true, {}, t}; }

/// The stored record's fields, in the order they are compared.
std::vector<std::pair<std::string, FieldValue>> stored_fields(const Record& r) {
  std::string notify;
  for (const auto& n : r.notify) notify += (notify.empty() ? "" : ",") + n;
  return {
      {"status", text_of(std::string(to_string(r.status)))},
      {"owner", text_of(r.owner)},
      {"assignee", text_of(r.assignee)},
      {"outcome", text_of(r.outcome ? std::string(to_string(*r.outcome)) : "")},
      {"resolution", text_of(r.resolution)},
      {"reply_via", text_of(r.reply_via)},
      {"capa", text_of(r.capa)},
      {"acked_at", time_of(r.acked_at)},
      {"closed_at", time_of(r.closed_at)},
      {"escalated_to", text_of(r.escalated_to)},
      {"level", text_of(r.level)},
      {"major", text_of(r.major ? "true" : "false")},
      {"ack_due", time_of(r.ack_due)},
      {"due", time_of(r.due)},
      {"kind", text_of(r.kind)},
      {"direction", text_of(std::string(to_string(r.direction)))},
      {"flow", text_of(std::string(to_string(r.flow)))},
      {"subject", text_of(r.subject)},
      {"body", text_of(r.body)},
      {"channel", text_of(r.channel)},
      {"party", text_of(r.party)},
      {"from_dept", text_of(r.from_dept)},
      {"rule", text_of(r.rule)},
      {"notify", text_of(notify)},
      {"received_at", time_of(r.received_at)},
      {"created_at", time_of(r.created_at)},
      {"created_by", text_of(r.created_by)},
  };
}

std::optional<StateMismatch> compare_clocks(const Record& r, const Replay& replay) {
  auto mismatch = [&](std::string field, FieldValue stored, FieldValue expected, std::int64_t id) {
    return StateMismatch{r.ref, r.id, std::move(field), std::move(stored), std::move(expected), id, {}};
  };
  for (const ClockState& want : replay.clocks) {
    auto have = std::find_if(r.clocks.begin(), r.clocks.end(), [&](const Clock& c) { return c.name == want.name; });
    if (have == r.clocks.end())
      return mismatch(fmt::format("clock {}", want.name), text_of(""), text_of("present"), want.created_by);
    auto field = [&](const char* part) { return fmt::format("clock {} {}", want.name, part); };
    if (want.started_at && have->started_at != *want.started_at)
      return mismatch(field("started_at"), time_of(have->started_at), time_of(want.started_at), want.created_by);
    if (want.due_known && have->due != want.due)
      return mismatch(field("due"), time_of(have->due), time_of(want.due), want.due_by);
    if (have->stopped_at != want.stopped_at)
      return mismatch(field("stopped_at"), time_of(have->stopped_at), time_of(want.stopped_at),
                      want.stopped_at ? want.stopped_by : want.created_by);
    if ((want.used_seconds || want.used_known) && have->used_seconds != want.used_seconds)
      return mismatch(field("used_seconds"),
                      text_of(have->used_seconds ? std::to_string(*have->used_seconds) : ""),
                      text_of(want.used_seconds ? std::to_string(*want.used_seconds) : ""), want.used_by);
    if (have->paused_since != want.paused_since)
      return mismatch(field("paused_since"), time_of(have->paused_since), time_of(want.paused_since), want.paused_by);
  }
  for (const Clock& have : r.clocks) {
    bool known = std::any_of(replay.clocks.begin(), replay.clocks.end(),
                             [&](const ClockState& c) { return c.name == have.name; });
    if (!known) {
      auto filed = replay.fields.find("created_at");
      return mismatch(fmt::format("clock {}", have.name), text_of("present"), text_of(""),
                      filed == replay.fields.end() ? 0 : filed->second.event_id);
    }
  }
  return std::nullopt;
}

int digits(std::string_view text, std::size_t pos, std::size_t n) {
  int value = 0;
  if (pos + n > text.size()) return -1;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + n, value);
  return ec == std::errc{} && end == text.data() + pos + n ? value : -1;
}

}  // namespace

std::optional<TimePoint> parse_iso_time(std::string_view t) {
  // 2026-09-30T17:30:00+08:00 or 2026-09-30T09:30:00Z
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':') return std::nullopt;
  int y = digits(t, 0, 4), mo = digits(t, 5, 2), d = digits(t, 8, 2);
  int h = digits(t, 11, 2), mi = digits(t, 14, 2), s = digits(t, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)}, date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  int offset = 0;
  std::string_view zone = t.substr(19);
  if (zone == "Z") {
    offset = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh = digits(zone, 1, 2), om = digits(zone, 4, 2);
    if (oh < 0 || om < 0) return std::nullopt;
    offset = (oh * 60 + om) * 60 * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  return TimePoint{date::sys_days{ymd}} + std::chrono::seconds{h * 3600 + mi * 60 + s - offset};
}

Message record_name(const std::string& ref, std::int64_t record_id) {
  return ref.empty() ? msg<Msg::record_id_n>(record_id) : msg<Msg::text_as_given>(ref);
}

Message describe_mismatch(const StateMismatch& m, const std::function<std::string(TimePoint)>& format_time) {
  if (!m.problem.empty()) return m.problem;
  auto shown = [&](const FieldValue& v) {
    if (v.is_time) return v.time ? msg<Msg::text_as_given>(format_time(*v.time)) : msg<Msg::none_value>();
    return v.text.empty() ? msg<Msg::none_value>() : msg<Msg::text_as_given>(v.text);
  };
  Message source = m.event_id ? msg<Msg::event_n>(m.event_id) : msg<Msg::no_event>();
  return msg<Msg::but_history_gives>(record_name(m.ref, m.record_id), m.field, shown(m.stored), shown(m.expected),
                                     std::move(source));
}

std::optional<StateMismatch> check_record_state(const Record& r, const std::vector<Event>& history) {
  Replay replay(record_name(r.ref, r.id));
  for (std::size_t i = 0; i < history.size(); ++i) {
    replay.apply(history[i], i == 0);
    if (!replay.problem.empty()) break;
  }
  if (history.empty()) replay.problem = msg<Msg::record_has_no_history_no_filed>(record_name(r.ref, r.id));
  if (!replay.problem.empty()) {
    StateMismatch m;
    m.ref = r.ref;
    m.record_id = r.id;
    m.field = "history";
    m.event_id = replay.problem_event;
    m.problem = replay.problem;
    return m;
  }
  for (auto& [field, stored] : stored_fields(r)) {
    auto want = replay.fields.find(field);
    if (want == replay.fields.end() || want->second.value == stored) continue;
    return StateMismatch{r.ref, r.id, field, stored, want->second.value, want->second.event_id, {}};
  }
  return compare_clocks(r, replay);
}

}  // namespace liaison
