// Decoding of import lines: a JSON Lines object or a CSV row (with its header) to a
// checked record or party, every problem reported with its line and field (exchange.h).
#include "exchange.h"

#include <chrono>
#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include <fmt/format.h>

#include "attachments.h"
#include "errors.h"
#include "exchange_internal.h"
#include "hash.h"
#include "ids.h"
#include "input.h"
#include "mail.h"
#include "services.h"
#include "utf8.h"

namespace liaison {

using exchange_detail::dump;

namespace {

using json = nlohmann::json;
using ordered = nlohmann::ordered_json;
namespace lim = exchange_limits;

Message utf8_hint() { return msg<Msg::imp_save_as_utf8>(); }
Message time_hint() { return msg<Msg::imp_write_iso_time>(); }

const std::set<std::string, std::less<>>& time_fields() {
  static const std::set<std::string, std::less<>> f{"received_at", "created_at", "ack_due", "acked_at", "due",
                                                    "closed_at"};
  return f;
}

}  // namespace

// Laid out as the errors of cmd/output.cpp print_error: only the words are translated.
std::string ImportProblem::format(std::string_view source, Lang lang) const {
  std::string out = fmt::format("{}:{}: ", source, line);
  if (!field.empty()) out += field + ": ";
  out += message.render(lang);
  if (!hint.empty()) out += " (" + hint.render(lang) + ")";
  return out;
}

namespace {

/// Reads one item's fields from a JSON object, reporting each problem with its line and
/// field. Values from CSV arrive as strings (converted by the caller where typed).
class FieldReader {
 public:
  FieldReader(const json& object, std::int64_t line, std::vector<ImportProblem>& problems, std::string prefix = {})
      : j_(object), line_(line), problems_(problems), prefix_(std::move(prefix)) {}

  void problem(const std::string& field, Message message, Message hint = {}) {
    problems_.push_back({line_, prefix_ + field, std::move(message), std::move(hint)});
    ok_ = false;
  }
  bool ok() const { return ok_; }
  const json* find(const std::string& key) const {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return nullptr;
    return &*it;
  }

  /// A text field: a string (absent and null read as ""), at most `limit` bytes.
  std::string text(const std::string& key, std::size_t limit, bool required = false, const Message& hint = {}) {
    const json* v = find(key);
    if (!v) {
      if (required) problem(key, msg<Msg::imp_missing>(), hint);
      return {};
    }
    if (!v->is_string()) {
      problem(key, msg<Msg::imp_must_be_text>(v->type_name()), msg<Msg::imp_write_in_double_quotes>());
      return {};
    }
    const auto& s = v->get_ref<const std::string&>();
    if (required && s.find_first_not_of(" \t\r\n") == std::string::npos) {
      problem(key, msg<Msg::imp_missing>(), hint);
      return {};
    }
    if (s.size() > limit) {
      problem(key, msg<Msg::imp_too_long>(s.size(), limit), msg<Msg::imp_shorten_or_attach>());
      return {};
    }
    return s;
  }

  /// A time field: null/absent/"" is none; else ISO 8601 (or a local time).
  std::optional<TimePoint> time(const std::string& key, const WorkCalendar& cal, bool required = false) {
    std::string s = text(key, lim::kId);
    if (s.empty()) {
      if (required && ok_for(key)) problem(key, msg<Msg::imp_missing>(), time_hint());
      return std::nullopt;
    }
    auto t = cal.parse_time(s);
    if (!t) {
      problem(key, msg<Msg::imp_cannot_read_time>(s), time_hint());
      return t;
    }
    // The range every command keeps (lib/policy/input.h): a deadline may run to the end
    // of 9999, any other time to 9999-12-01.
    const bool deadline = key == "due" || key == "ack_due";
    if (*t < earliest_time() || *t > (deadline ? latest_deadline() : latest_time())) {
      problem(key, msg<Msg::imp_time_out_of_range>(s), msg<Msg::give_time_in_range>());
      return std::nullopt;
    }
    // What happened cannot have happened after now (deadlines may lie ahead). The clock is
    // read once per process: an import is one.
    static const TimePoint clock = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    if (!deadline && *t > clock) {
      problem(key, msg<Msg::imp_time_in_future>(s, cal.format_iso(clock)), msg<Msg::imp_see_man_import>());
      return std::nullopt;
    }
    return t;
  }

  bool boolean(const std::string& key) {
    const json* v = find(key);
    if (!v) return false;
    if (v->is_boolean()) return v->get<bool>();
    problem(key, msg<Msg::imp_must_be_boolean>(v->dump()), msg<Msg::imp_write_true_or_false>());
    return false;
  }

  /// A count of seconds: a whole number from 0 to limits::kMaxSeconds.
  std::int64_t integer(const std::string& key, bool& present) {
    const json* v = find(key);
    present = v != nullptr;
    if (!v) return 0;
    if (v->is_number_integer()) {
      // An unsigned value above INT64_MAX would wrap to a negative one.
      const bool fits = v->is_number_unsigned() ? v->get<std::uint64_t>() <= std::uint64_t(limits::kMaxSeconds)
                                                : v->get<std::int64_t>() >= 0 && v->get<std::int64_t>() <= limits::kMaxSeconds;
      if (fits) return v->get<std::int64_t>();
      problem(key, msg<Msg::imp_seconds_out_of_range>(v->dump(), limits::kMaxSeconds), msg<Msg::imp_write_seconds>());
      present = false;
      return 0;
    }
    problem(key, msg<Msg::imp_must_be_whole_number>(v->dump()), msg<Msg::imp_write_seconds>());
    present = false;
    return 0;
  }

  /// Reports keys not in `known` (and not in `ignored`), with "did you mean".
  void unknown_keys(const std::vector<std::string>& known, const std::vector<std::string>& ignored = {}) {
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      const std::string& k = it.key();
      if (std::find(known.begin(), known.end(), k) != known.end()) continue;
      if (std::find(ignored.begin(), ignored.end(), k) != ignored.end()) continue;
      problem(k, msg<Msg::imp_unknown_field>(), did_you_mean_hint(k, known, msg<Msg::imp_see_man_for_fields>()));
    }
  }

 private:
  /// No problem has been reported for this key yet (so "missing" is not said twice).
  bool ok_for(const std::string& key) const {
    return std::none_of(problems_.begin(), problems_.end(),
                        [&](const ImportProblem& p) { return p.line == line_ && p.field == prefix_ + key; });
  }

  const json& j_;
  std::int64_t line_;
  std::vector<ImportProblem>& problems_;
  std::string prefix_;
  bool ok_ = true;
};

bool bad_id(std::string_view id) {
  return id.find_first_of(" \t\r\n,") != std::string_view::npos ||
         std::any_of(id.begin(), id.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

/// A clock the config sets for a record given without clocks, as filing would have
/// started it at receipt, with `due` when the file gives one, stopped at `stopped`.
Clock computed_clock(const Config& cfg, const WorkCalendar& cal, std::string name, const Duration& d,
                     TimePoint start, const std::optional<TimePoint>& due, const std::optional<TimePoint>& stopped) {
  Clock c;
  c.name = std::move(name);
  c.duration = d.text();
  c.started_at = start;
  c.due = due ? *due : cal.add(start, d);
  c.config_hash = cfg.hash;
  c.provisional = cal.provisional(start, *c.due);
  if (stopped) {
    c.stopped_at = *stopped;
    std::int64_t used = *stopped <= start ? 0 : d.is_calendar() ? secs(*stopped) - secs(start)
                                                                 : cal.working_seconds(start, *stopped);
    c.used_seconds = used;
  }
  return c;
}

void decode_clocks(const json& array, ImportItem& item, const WorkCalendar& cal, std::vector<ImportProblem>& problems,
                   bool& ok) {
  static const std::vector<std::string> known{"clock",        "duration",       "started_at",  "due",
                                              "stopped_at",   "used_seconds",   "paused_since", "paused_seconds",
                                              "config_hash",  "provisional",    "given"};
  std::set<std::string> names;
  for (std::size_t i = 0; i < array.size(); ++i) {
    std::string prefix = fmt::format("clocks[{}].", i + 1);
    if (!array[i].is_object()) {
      problems.push_back({item.line, prefix.substr(0, prefix.size() - 1), msg<Msg::imp_must_be_object>(),
                          msg<Msg::imp_see_man_import>()});
      ok = false;
      continue;
    }
    FieldReader f(array[i], item.line, problems, prefix);
    f.unknown_keys(known, {"met"});
    Clock c;
    c.name = f.text("clock", lim::kId, true, msg<Msg::imp_name_the_clock>());
    if (!c.name.empty() && !names.insert(c.name).second)
      f.problem("clock", msg<Msg::imp_clock_given_twice>(c.name), msg<Msg::imp_give_each_clock_once>());
    c.duration = f.text("duration", lim::kId);
    if (!c.duration.empty() && !Duration::parse(c.duration))
      f.problem("duration", msg<Msg::imp_not_a_duration>(c.duration), msg<Msg::imp_write_duration_as_config>());
    if (auto t = f.time("started_at", cal, true)) c.started_at = *t;
    c.due = f.time("due", cal);
    c.stopped_at = f.time("stopped_at", cal);
    bool present = false;
    auto used = f.integer("used_seconds", present);
    if (present) c.used_seconds = used;
    c.paused_since = f.time("paused_since", cal);
    c.paused_seconds = f.integer("paused_seconds", present);
    c.config_hash = f.text("config_hash", lim::kId);
    c.provisional = f.boolean("provisional");
    c.given = f.boolean("given");
    if (!f.ok()) ok = false;
    item.record.clocks.push_back(std::move(c));
  }
}

/// What each type of event liaison writes into a record's history may hold in its data
/// (lib/services/services.cpp, remind.cpp, import.cpp write them), "by" in any of them (an
/// admin acting for someone). Nothing else is imported: a key no one reads would be
/// stored, never checked by `audit verify` and never redacted.
const std::map<std::string, std::set<std::string>, std::less<>>& event_data_keys(const WorkCalendar& cal) {
  static const std::map<std::string, std::set<std::string>, std::less<>> keys = [&] {
    std::map<std::string, std::set<std::string>, std::less<>> k = {
        {"filed",
         {"kind", "direction", "flow", "subject", "body", "channel", "party", "from_dept", "owner", "assignee", "level",
          "major", "rule", "notify", "received_at", "clocks", "config_hash", "identity", "identity_digest",
          "attachments", "message_sha256", "topic", "customer_ref", "eight_d", "their_ref",
          "compliance_obligation", "recipients", "attendees", "absent", "follow_up", "schedule"}},
        {"logged", {"entry", "text", "channel", "attachments", "message_sha256", "party"}},
        {"routed", {"from", "reason", "to", "assignee", "rule"}},
        {"acknowledged", {"note", "used_seconds", "on_time"}},
        {"escalated", {"to", "reason", "skip_level"}},
        {"waiting", {"reason"}},
        {"resumed", {"note", "paused_seconds", "due"}},
        {"closed", {"outcome", "resolution", "reply_via", "capa", "eight_d", "explanation", "clocks"}},
        {"edited", {"from", "to"}},
        {"notified", {"party", "via", "note", "clock", "used_seconds", "on_time"}},
        {"signed", {"clock", "used_seconds", "on_time", "note"}},
        {"approved", {"clock", "used_seconds", "on_time", "note", "next"}},
        {"rejected", {"clock", "used_seconds", "on_time", "reason"}},
        {"approval-requested", {"clock", "note", "purpose"}},
        {"action-added", {"clock", "text"}},
        {"action-done", {"clock", "used_seconds", "on_time", "evidence"}},
        {"reopened", {"reason", "previous_outcome", "clock"}},
        {"identity-viewed", {"granted_as"}},
        {"held", {"reason"}},
        {"released", {"reason"}},
        {"purged", {"rule", "sealed"}},
        {"anonymised", {"rule"}},
        {"reminded", {"to", "email", "obligation", "late_working_days", "due", "reason", "message_id", "after"}},
    };
    // An imported record's state: the fields an export writes, its clocks, and its source.
    std::set<std::string> imported{"clocks", "source", "line"};
    const auto fields = exchange_detail::record_object(Record{}, false, cal);
    for (auto it = fields.begin(); it != fields.end(); ++it) imported.insert(it.key());
    for (const char* derived : {"ref", "redacted", "ack_due", "due"}) imported.erase(derived);
    k["imported"] = std::move(imported);
    for (auto& [type, set] : k) set.insert("by");
    return k;
  }();
  return keys;
}

/// The keys a clock's data may have (a filed or imported event's "clocks", a reopened
/// event's "clock", a closed event's "clocks" by clock name).
bool is_clock_key(std::string_view key) {
  static const std::set<std::string, std::less<>> keys{"clock", "duration", "started_at", "due", "stopped_at",
                                                       "used_seconds", "paused_since", "paused_seconds",
                                                       "config_hash", "provisional", "on_time", "given"};
  return keys.count(key) != 0;
}

/// Reports the keys of a clock (or of clocks by name, in a closed event) that no clock
/// has, under `field`.
void check_clock_keys(const json& v, const std::string& field, FieldReader& f, bool by_name) {
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) check_clock_keys(v[i], fmt::format("{}[{}]", field, i + 1), f, false);
    return;
  }
  if (!v.is_object()) return;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (by_name && (it.key() == "ack" || it.key() == "resolve" || !notified_party(it.key()).empty() ||
                   !receipt_holder(it.key()).empty() || approval_number(it.key()) != 0 || action_number(it.key()) != 0)) {
      check_clock_keys(*it, field + "." + it.key(), f, false);
    } else if (!is_clock_key(it.key()) || it->is_object() || it->is_array()) {
      f.problem(field + "." + it.key(), msg<Msg::imp_unknown_field>(), msg<Msg::imp_see_man_for_fields>());
    }
  }
}

/// A filed event's "schedule" (schedule run): {"id": …, "period": …}, both text, nothing else.
bool is_schedule_mark(const json& v) {
  auto text = [&](const char* key) { return v.contains(key) && v[key].is_string() && !v[key].get_ref<const std::string&>().empty(); };
  return v.is_object() && v.size() == 2 && text("id") && text("period");
}

/// A mail-in event's "message_sha256": 64 lowercase hex digits.
bool is_sha256_hex(const json& v) {
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

/// Checks an event's "attachments": a list of {n, name, media_type, size, sha256}, as
/// lib/services/attachments.cpp writes it, numbers whole and positive, names usable — or,
/// in a tombstone's history (`tombstone`: liaison purge emptied them), empty.
void check_attachment_list(const json& v, const std::string& field, FieldReader& f, bool tombstone) {
  if (!v.is_array()) {
    f.problem(field, msg<Msg::imp_must_be_attachment_list>(), msg<Msg::imp_export_with_attachments>());
    return;
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string at = fmt::format("{}[{}]", field, i + 1);
    const json& a = v[i];
    if (!a.is_object()) {
      f.problem(at, msg<Msg::imp_must_be_object>(), msg<Msg::imp_export_with_attachments>());
      continue;
    }
    for (auto it = a.begin(); it != a.end(); ++it) {
      const std::string& key = it.key();
      const bool whole = key == "n" || key == "size";
      const bool text = key == "name" || key == "media_type" || key == "sha256";
      if (!whole && !text) f.problem(at + "." + key, msg<Msg::imp_unknown_field>(), msg<Msg::imp_see_man_for_fields>());
      else if (whole && !(it->is_number_integer() && it->get<std::int64_t>() >= (key == "n" ? 1 : 0)))
        f.problem(at + "." + key, msg<Msg::imp_must_be_whole_number>(it->dump()), msg<Msg::imp_export_with_attachments>());
      else if (text && !it->is_string())
        f.problem(at + "." + key, msg<Msg::imp_must_be_text>(it->type_name()), msg<Msg::imp_write_in_double_quotes>());
    }
    for (const char* key : {"n", "name", "media_type", "size", "sha256"})
      if (!a.contains(key)) f.problem(at + "." + key, msg<Msg::imp_missing>(), msg<Msg::imp_export_with_attachments>());
    if (a.contains("name") && a["name"].is_string() && !(tombstone && a["name"].get_ref<const std::string&>().empty()) &&
        !usable_attachment_name(a["name"].get<std::string>()))
      f.problem(at + ".name", msg<Msg::attachment_name_unusable>(a["name"].get<std::string>()), msg<Msg::rename_attachment>());
  }
}

void decode_events(const json& array, ImportItem& item, const WorkCalendar& cal, const lim::TextLimits& limits,
                   std::vector<ImportProblem>& problems, bool& ok) {
  static const std::vector<std::string> known{"type", "actor", "at", "data"};
  // An empty history is no history: the record then gets its "imported" event, so no
  // record is left without one.
  item.has_events = !array.empty();
  for (std::size_t i = 0; i < array.size(); ++i) {
    std::string prefix = fmt::format("events[{}].", i + 1);
    if (!array[i].is_object()) {
      problems.push_back({item.line, prefix.substr(0, prefix.size() - 1), msg<Msg::imp_must_be_object>(),
                          msg<Msg::imp_see_man_import>()});
      ok = false;
      continue;
    }
    FieldReader f(array[i], item.line, problems, prefix);
    // What `show --format json` adds; the importing database's chain recomputes them
    // (and records when it recorded them).
    f.unknown_keys(known, {"id", "ref", "hash", "prev_hash", "salt", "recorded_at"});
    Event e;
    e.type = f.text("type", lim::kId, true, msg<Msg::imp_give_event_type>());
    if (!e.type.empty() && bad_id(e.type))
      f.problem("type", msg<Msg::imp_cannot_be_event_type>(e.type), msg<Msg::imp_use_word_without_spaces>());
    e.actor = f.text("actor", lim::kId, true, msg<Msg::imp_give_actor>());
    if (auto t = f.time("at", cal, true)) e.at = *t;
    const json* data = f.find("data");
    const auto& known_types = event_data_keys(cal);
    auto type_keys = known_types.find(e.type);
    if (!e.type.empty() && !bad_id(e.type) && type_keys == known_types.end()) {
      std::vector<std::string> types;
      for (const auto& [t, keys] : known_types) types.push_back(t);
      f.problem("type", msg<Msg::imp_not_event_type_written>(e.type),
                did_you_mean_hint(e.type, types, msg<Msg::imp_see_man_import>()));
    }
    if (data && !data->is_object()) {
      f.problem("data", msg<Msg::imp_must_be_object>(), msg<Msg::imp_write_event_details>());
    } else {
      if (data && type_keys != known_types.end()) {
        std::vector<std::string> allowed(type_keys->second.begin(), type_keys->second.end());
        for (auto it = data->begin(); it != data->end(); ++it) {
          if (!type_keys->second.count(it.key()))
            f.problem("data." + it.key(), msg<Msg::imp_unknown_field>(),
                      did_you_mean_hint(it.key(), allowed, msg<Msg::imp_see_man_for_fields>()));
          else if (it.key() == "clocks" || it.key() == "clock" || it.key() == "next")
            check_clock_keys(*it, "data." + it.key(), f, e.type == "closed");
          else if (it.key() == "attachments")
            check_attachment_list(*it, "data." + it.key(), f, item.record.purged_at.has_value());
          else if (it.key() == "message_sha256" && !is_sha256_hex(*it))
            f.problem("data." + it.key(), msg<Msg::imp_must_be_sha256>(), msg<Msg::imp_see_man_for_fields>());
          else if (it.key() == "schedule" && !is_schedule_mark(*it))
            f.problem("data." + it.key(), msg<Msg::imp_must_be_schedule>(), msg<Msg::imp_see_man_for_fields>());
        }
      }
      // Canonical: sorted keys, compact, UTF-8 as is (as the services write it).
      e.data = data ? data->dump(-1, ' ', false, json::error_handler_t::replace) : "{}";
      // Each text within its field's limit, as the services check what they append
      // (check_event_data): an edit's data holds a body twice, a filing its body and an
      // obligation, each within [limits] text. The line's limit bounds the whole.
      if (data) {
        try {
          check_event_data(*data, limits);
        } catch (const DataError& error) {
          f.problem("data", error.message(), msg<Msg::imp_shorten_event_texts>());
        }
      }
    }
    if (!f.ok()) ok = false;
    item.events.push_back(std::move(e));
  }
}

/// Decodes a record from its JSON object (from JSON Lines, or converted from a CSV row).
std::optional<ImportItem> decode_record(const json& j, std::int64_t line, const Config& cfg, const WorkCalendar& cal,
                                        std::vector<ImportProblem>& problems, bool check_keys) {
  ImportItem item;
  item.type = ImportItem::Type::record;
  item.line = line;
  Record& r = item.record;
  FieldReader f(j, line, problems);
  if (check_keys) {
    std::vector<std::string> known = record_fields();
    known.push_back("type");
    known.push_back("purged_at");       // a tombstone's (liaison purge)
    known.push_back("anonymised_at");
    // What `list --format json` adds: derived, so ignored.
    f.unknown_keys(known, {"overdue"});
  }
  if (f.boolean("redacted"))
    f.problem("redacted", msg<Msg::imp_exported_redacted>(), msg<Msg::imp_export_again_cleared>());

  r.ref = f.text("ref", lim::kRef, true, msg<Msg::imp_give_reference>());
  if (!r.ref.empty() && bad_id(r.ref))
    f.problem("ref", msg<Msg::imp_cannot_be_reference>(r.ref), msg<Msg::imp_use_no_spaces_commas_controls>());

  // An unknown config id is a problem of its field, worded as everywhere (lib/policy/ids.h).
  auto id_check = [&](const std::string& key, IdKind sort, const std::string& id) {
    if (auto p = id_problem(cfg, sort, id)) f.problem(key, p->message, p->hint);
  };
  r.kind = f.text("kind", lim::kId, true, msg<Msg::imp_give_kind>());
  const Kind* kind = r.kind.empty() ? nullptr : cfg.kind(r.kind);
  if (!r.kind.empty() && !kind) id_check("kind", IdKind::kind, r.kind);

  // A tombstone (liaison purge) has no subject any more.
  r.subject = f.text("subject", cfg.limits.subject, !f.find("purged_at"), msg<Msg::imp_give_subject>());
  r.body = f.text("body", cfg.limits.text);
  r.channel = f.text("channel", lim::kId);
  auto check_channel_field = [&](const std::string& key, const std::string& id) {
    if (!id.empty()) id_check(key, IdKind::channel, id);
  };
  check_channel_field("channel", r.channel);
  r.party = f.text("party", lim::kId);
  if (!r.party.empty() && bad_id(r.party))
    f.problem("party", msg<Msg::cannot_be_party_id>(r.party), msg<Msg::imp_give_registered_party>());

  auto check_dept = [&](const std::string& key, const std::string& id) {
    if (!id.empty()) id_check(key, IdKind::department, id);
  };
  auto check_user_field = [&](const std::string& key, const std::string& id) {
    if (!id.empty()) id_check(key, IdKind::user, id);
  };

  std::string direction = f.text("direction", lim::kId);
  if (direction.empty()) r.direction = r.party.empty() ? Direction::internal : Direction::external;
  else if (auto d = parse_direction(direction)) r.direction = *d;
  else f.problem("direction", msg<Msg::imp_unknown_direction>(direction), msg<Msg::imp_write_internal_or_external>());
  std::string flow = f.text("flow", lim::kId);
  if (!flow.empty()) {
    if (auto fl = parse_flow(flow)) r.flow = *fl;
    else f.problem("flow", msg<Msg::imp_unknown_flow>(flow), msg<Msg::imp_write_flows>());
  }
  if (r.direction == Direction::external && r.flow != Flow::none)
    f.problem("flow", msg<Msg::imp_flow_internal_only>(), msg<Msg::imp_leave_flow_empty>());

  r.from_dept = f.text("from_dept", lim::kId);
  check_dept("from_dept", r.from_dept);
  r.owner = f.text("owner", lim::kId, true, msg<Msg::imp_give_owner>());
  check_dept("owner", r.owner);
  r.assignee = f.text("assignee", lim::kId);
  check_user_field("assignee", r.assignee);
  r.level = f.text("level", lim::kId);
  if (r.level.empty()) r.level = cfg.levels.default_level;
  else id_check("level", IdKind::level, r.level);
  r.major = f.boolean("major");

  std::string status = f.text("status", lim::kId);
  if (!status.empty()) {
    if (auto st = parse_status(status)) r.status = *st;
    else f.problem("status", msg<Msg::imp_unknown_status>(status), msg<Msg::imp_write_statuses>());
  }
  std::string outcome = f.text("outcome", lim::kId);
  if (!outcome.empty()) {
    if (auto o = parse_outcome(outcome)) r.outcome = *o;
    else f.problem("outcome", msg<Msg::imp_unknown_outcome>(outcome), msg<Msg::imp_write_outcomes>());
  }
  r.resolution = f.text("resolution", cfg.limits.text);
  r.reply_via = f.text("reply_via", lim::kId);
  check_channel_field("reply_via", r.reply_via);
  r.capa = f.text("capa", cfg.limits.text);
  r.topic = f.text("topic", lim::kId);
  if (!r.topic.empty()) id_check("topic", IdKind::topic, r.topic);
  r.customer_ref = f.text("customer_ref", lim::kId);
  r.eight_d = f.text("eight_d", lim::kId);
  r.their_ref = f.text("their_ref", lim::kId);
  r.compliance_obligation = f.text("compliance_obligation", cfg.limits.text);
  r.rule = f.text("rule", lim::kId);
  if (const json* n = f.find("notify")) {
    if (!n->is_array()) {
      f.problem("notify", msg<Msg::imp_must_be_department_list>(), msg<Msg::imp_write_department_list>());
    } else {
      for (const auto& d : *n) {
        if (!d.is_string() || d.get_ref<const std::string&>().size() > lim::kId) {
          f.problem("notify", msg<Msg::imp_must_be_department_list>(), msg<Msg::imp_write_department_list>());
          break;
        }
        check_dept("notify", d.get<std::string>());
        r.notify.push_back(d.get<std::string>());
      }
    }
  }
  r.escalated_to = f.text("escalated_to", lim::kId);
  if (!r.escalated_to.empty() && !cfg.department(r.escalated_to) && !cfg.user(r.escalated_to))
    f.problem("escalated_to", msg<Msg::imp_unknown_department_or_user>(r.escalated_to),
              did_you_mean_hint(r.escalated_to, ids_of(cfg.departments), msg<Msg::see_config_show_departments>()));

  auto received = f.time("received_at", cal, true);
  if (received) r.received_at = *received;
  auto created = f.time("created_at", cal);
  r.created_at = created ? *created : r.received_at;
  r.created_by = f.text("created_by", lim::kId);
  auto ack_due = f.time("ack_due", cal);
  r.acked_at = f.time("acked_at", cal);
  auto due = f.time("due", cal);
  r.closed_at = f.time("closed_at", cal);
  r.purged_at = f.time("purged_at", cal);
  r.anonymised_at = f.time("anonymised_at", cal);

  if (r.status == Status::closed) {
    if (!r.closed_at && !f.find("closed_at"))
      f.problem("closed_at", msg<Msg::imp_missing_for_closed>(), msg<Msg::imp_give_when_closed>());
    if (!r.outcome && outcome.empty()) f.problem("outcome", msg<Msg::imp_missing_for_closed>(), msg<Msg::imp_give_how_ended>());
  } else {
    if (r.closed_at)
      f.problem("closed_at", msg<Msg::imp_given_for_status>(to_string(r.status)), msg<Msg::imp_leave_empty_or_closed>());
    if (r.outcome)
      f.problem("outcome", msg<Msg::imp_given_for_status>(to_string(r.status)), msg<Msg::imp_leave_empty_or_closed>());
  }

  bool ok = f.ok();
  if (const json* c = f.find("clocks")) {
    if (!c->is_array()) {
      f.problem("clocks", msg<Msg::imp_must_be_clock_list>(), msg<Msg::imp_see_man_import>());
      ok = false;
    } else {
      decode_clocks(*c, item, cal, problems, ok);
    }
    // The listing copies must agree with the clocks they copy.
    auto check_copy = [&](const char* key, const char* clock_name, const std::optional<TimePoint>& given,
                          std::optional<TimePoint>& copy) {
      copy.reset();
      for (const auto& cl : r.clocks)
        if (cl.name == clock_name) copy = cl.due;
      if (given && given != copy) {
        problems.push_back({line, key, msg<Msg::imp_does_not_match_clock_due>(clock_name), msg<Msg::imp_leave_empty_or_same>()});
        ok = false;
      }
    };
    if (ok) {
      check_copy("ack_due", "ack", ack_due, r.ack_due);
      check_copy("due", "resolve", due, r.due);
    }
  } else if (ok && kind) {
    // No clocks given (a spreadsheet): start them as filing would, from receipt.
    if (auto d = kind->ack.get(r.direction)) r.clocks.push_back(computed_clock(cfg, cal, "ack", *d, r.received_at, ack_due, r.acked_at));
    else if (ack_due)
      f.problem("ack_due", msg<Msg::imp_kind_sets_no_ack>(r.kind, to_string(r.direction)), msg<Msg::imp_leave_it_empty>());
    if (auto d = kind->resolve.get(r.direction)) r.clocks.push_back(computed_clock(cfg, cal, "resolve", *d, r.received_at, due, r.closed_at));
    else if (due)
      f.problem("due", msg<Msg::imp_kind_sets_no_resolve>(r.kind, to_string(r.direction)), msg<Msg::imp_leave_it_empty>());
    r.ack_due.reset();
    r.due.reset();
    for (const auto& cl : r.clocks) {
      if (cl.name == "ack") r.ack_due = cl.due;
      if (cl.name == "resolve") r.due = cl.due;
    }
    ok = f.ok();
  }
  if (const json* e = f.find("events")) {
    if (!e->is_array()) {
      f.problem("events", msg<Msg::imp_must_be_event_list>(), msg<Msg::imp_see_man_import>());
      ok = false;
    } else {
      decode_events(*e, item, cal, cfg.limits, problems, ok);
    }
  }
  if (!ok || !f.ok()) return std::nullopt;
  return item;
}

std::optional<ImportItem> decode_party(const json& j, std::int64_t line, const Config& cfg, const WorkCalendar& cal,
                                       std::vector<ImportProblem>& problems) {
  static const std::vector<std::string> known{"type",  "id",      "name",  "party_type", "contact",
                                              "phone", "email",   "address", "notes",    "created_at"};
  ImportItem item;
  item.type = ImportItem::Type::party;
  item.line = line;
  Party& p = item.party;
  FieldReader f(j, line, problems);
  f.unknown_keys(known);
  p.id = f.text("id", lim::kId, true, msg<Msg::imp_give_party_code>());
  if (!p.id.empty() && bad_id(p.id))
    f.problem("id", msg<Msg::cannot_be_party_id>(p.id), msg<Msg::imp_use_short_code>());
  p.name = f.text("name", cfg.limits.subject, true, msg<Msg::imp_give_party_name>());
  p.type = f.text("party_type", lim::kId, true, msg<Msg::imp_give_party_type>());
  if (!p.type.empty())
    if (auto problem = id_problem(cfg, IdKind::party_type, p.type)) f.problem("party_type", problem->message, problem->hint);
  p.contact = f.text("contact", lim::kId);
  p.phone = f.text("phone", lim::kId);
  p.email = f.text("email", lim::kId);
  p.address = f.text("address", cfg.limits.subject);
  p.notes = f.text("notes", cfg.limits.text);
  if (auto t = f.time("created_at", cal)) p.created_at = *t;
  if (!f.ok()) return std::nullopt;
  return item;
}

/// An attachment line: checked on its own here (its name, its bytes against its size and
/// digest, the size limit); against its record and event by the importer.
std::optional<ImportItem> decode_attachment(const json& j, std::int64_t line, const Config& cfg,
                                            std::vector<ImportProblem>& problems) {
  static const std::vector<std::string> known{"type", "ref", "event", "n", "name", "media_type", "size", "sha256", "content"};
  ImportItem item;
  item.type = ImportItem::Type::attachment;
  item.line = line;
  Attachment& a = item.attachment;
  FieldReader f(j, line, problems);
  f.unknown_keys(known);
  item.attachment_ref = f.text("ref", lim::kRef, true, msg<Msg::imp_give_attachment_ref>());
  auto whole = [&](const char* key, std::int64_t& value) {
    bool present = false;
    value = f.integer(key, present);
    if (!present && f.ok()) f.problem(key, msg<Msg::imp_missing>(), msg<Msg::imp_export_with_attachments>());
  };
  whole("event", item.attachment_event);
  whole("n", a.n);
  whole("size", a.size);
  a.name = f.text("name", lim::kId, true, msg<Msg::imp_export_with_attachments>());
  if (!a.name.empty() && !usable_attachment_name(a.name))
    f.problem("name", msg<Msg::attachment_name_unusable>(a.name), msg<Msg::rename_attachment>());
  a.media_type = f.text("media_type", lim::kId, true, msg<Msg::imp_export_with_attachments>());
  a.sha256 = f.text("sha256", lim::kId, true, msg<Msg::imp_export_with_attachments>());
  const json* content = f.find("content");
  if (!content || !content->is_string()) {
    f.problem("content", content ? msg<Msg::imp_must_be_text>(content->type_name()) : msg<Msg::imp_missing>(),
              msg<Msg::imp_export_with_attachments>());
  } else if (auto bytes = base64_decode(content->get_ref<const std::string&>())) {
    item.content = std::move(*bytes);
    if (item.content.size() > cfg.attachments.max_size)
      f.problem("content", msg<Msg::attachment_too_large>(a.name, item.content.size(), cfg.attachments.max_size),
                msg<Msg::attach_smaller_or_raise_max>(limits::kMaxAttachment));
    else if (static_cast<std::int64_t>(item.content.size()) != a.size)
      f.problem("size", msg<Msg::imp_attachment_size_differs>(a.size, item.content.size()),
                msg<Msg::imp_export_with_attachments>());
    else if (!sha256_hex_is(item.content, a.sha256))
      f.problem("sha256", msg<Msg::imp_attachment_digest_differs>(), msg<Msg::imp_export_with_attachments>());
  } else {
    f.problem("content", msg<Msg::imp_not_base64>(), msg<Msg::imp_export_with_attachments>());
  }
  if (!f.ok()) return std::nullopt;
  return item;
}

/// Thrown while parsing JSON nested deeper than limits::kJsonDepth.
struct TooDeep {};

/// JSON text parsed no deeper than limits::kJsonDepth (TooDeep otherwise), so nothing
/// built from outside input can exhaust the stack of what later walks it. Other errors
/// as json::parse: json::exception (syntax, or a number out of range such as 1e309).
json parse_bounded(std::string_view text) {
  return json::parse(text, [](int depth, json::parse_event_t, json&) {
    if (depth > limits::kJsonDepth) throw TooDeep{};
    return true;
  });
}

/// The field whose value holds byte `offset` of a JSON line: the last key before it.
std::string field_at(std::string_view line, std::size_t offset) {
  auto colon = line.rfind("\":", offset);
  if (colon == std::string_view::npos) return {};
  auto open = line.rfind('"', colon == 0 ? 0 : colon - 1);
  if (open == std::string_view::npos) return {};
  std::string key(line.substr(open + 1, colon - open - 1));
  if (key.size() > 40 || invalid_utf8_at(key) != std::string_view::npos) return {};
  return key;
}

}  // namespace

std::optional<ImportItem> decode_jsonl(std::string_view line, std::int64_t n, const Config& cfg,
                                       const WorkCalendar& cal, std::vector<ImportProblem>& problems) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return std::nullopt;
  if (auto bad = invalid_utf8_at(line); bad != std::string_view::npos) {
    problems.push_back({n, field_at(line, bad), msg<Msg::imp_invalid_utf8_line>(bad + 1), utf8_hint()});
    return std::nullopt;
  }
  json j;
  try {
    j = parse_bounded(line);
  } catch (const TooDeep&) {
    problems.push_back({n, {}, msg<Msg::imp_nested_too_deep>(limits::kJsonDepth), msg<Msg::imp_flatten>()});
    return std::nullopt;
  } catch (const json::exception& e) {  // a syntax error, or a number out of range (1e309)
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    problems.push_back({n, {}, msg<Msg::imp_bad_json_what>(what), msg<Msg::imp_one_json_object_per_line>()});
    return std::nullopt;
  }
  if (!j.is_object()) {
    problems.push_back({n, {}, msg<Msg::imp_not_json_object>(), msg<Msg::imp_one_json_object_per_line>()});
    return std::nullopt;
  }
  auto type = j.find("type");
  std::string t = type != j.end() && type->is_string() ? type->get<std::string>() : "";
  if (t == "party") return decode_party(j, n, cfg, cal, problems);
  if (t == "record") return decode_record(j, n, cfg, cal, problems, true);
  if (t == "attachment") return decode_attachment(j, n, cfg, problems);
  problems.push_back({n, "type", t.empty() ? msg<Msg::imp_missing>() : msg<Msg::imp_unknown_line_type>(t),
                      msg<Msg::imp_write_line_type>()});
  return std::nullopt;
}

namespace {
const std::vector<std::string>& csv_columns() {
  static const std::vector<std::string> cols = [] {
    std::vector<std::string> v = record_fields();
    return v;
  }();
  return cols;
}
const std::vector<std::string> kRequiredColumns{"ref", "kind", "subject", "owner", "received_at"};
}  // namespace

std::optional<std::vector<std::string>> decode_csv_header(const std::vector<std::string>& cells, std::int64_t line,
                                                          std::vector<ImportProblem>& problems) {
  bool ok = true;
  std::vector<std::string> header;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    std::string name = cells[i];
    // Spreadsheets pad headers; names are compared trimmed.
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.erase(0, 1);
    if (invalid_utf8_at(name) != std::string::npos) {
      problems.push_back({line, fmt::format("column {}", i + 1), msg<Msg::imp_invalid_utf8_header>(), utf8_hint()});
      ok = false;
    } else if (std::find(csv_columns().begin(), csv_columns().end(), name) == csv_columns().end()) {
      problems.push_back({line, name.empty() ? fmt::format("column {}", i + 1) : name, msg<Msg::imp_unknown_column>(),
                          did_you_mean_hint(name, csv_columns(), msg<Msg::imp_see_man_for_columns>())});
      ok = false;
    } else if (!seen.insert(name).second) {
      problems.push_back({line, name, msg<Msg::imp_column_given_twice>(), msg<Msg::imp_keep_one>()});
      ok = false;
    }
    header.push_back(name);
  }
  for (const auto& r : kRequiredColumns)
    if (!seen.count(r)) {
      problems.push_back({line, r, msg<Msg::imp_missing_column>(), msg<Msg::imp_header_names_columns>()});
      ok = false;
    }
  if (!ok) return std::nullopt;
  return header;
}

std::optional<ImportItem> decode_csv_row(const std::vector<std::string>& header, const std::vector<std::string>& cells,
                                         std::int64_t line, const Config& cfg, const WorkCalendar& cal,
                                         std::vector<ImportProblem>& problems) {
  // A blank line (a spreadsheet's trailing row) is skipped.
  if (std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); })) return std::nullopt;
  if (cells.size() != header.size()) {
    problems.push_back({line, {}, msg<Msg::imp_field_count>(cells.size(), header.size()), msg<Msg::imp_quote_fields>()});
    return std::nullopt;
  }
  json j = json::object();
  bool ok = true;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string& col = header[i];
    const std::string& v = cells[i];
    if (auto bad = invalid_utf8_at(v); bad != std::string::npos) {
      problems.push_back({line, col, msg<Msg::imp_invalid_utf8_field>(bad + 1), utf8_hint()});
      ok = false;
      continue;
    }
    if (col == "major" || col == "redacted") {
      std::string lower = v;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower.empty() || lower == "false" || lower == "no" || lower == "0") j[col] = false;
      else if (lower == "true" || lower == "yes" || lower == "1") j[col] = true;
      else {
        problems.push_back({line, col, msg<Msg::imp_neither_true_nor_false>(v), msg<Msg::imp_write_true_or_false>()});
        ok = false;
      }
    } else if (col == "notify") {
      json list = json::array();
      std::size_t start = 0;
      while (start <= v.size() && !v.empty()) {
        auto comma = v.find(',', start);
        std::string part = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        part.erase(0, part.find_first_not_of(' '));
        part.erase(part.find_last_not_of(' ') + 1);
        if (!part.empty()) list.push_back(part);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      j[col] = list;
    } else if (col == "clocks" || col == "events") {
      if (v.empty()) continue;
      try {
        j[col] = parse_bounded(v);
      } catch (const TooDeep&) {
        problems.push_back({line, col, msg<Msg::imp_nested_too_deep>(limits::kJsonDepth), msg<Msg::imp_flatten>()});
        ok = false;
      } catch (const json::exception&) {
        problems.push_back({line, col, msg<Msg::imp_bad_json>(), msg<Msg::imp_column_holds_json_list>()});
        ok = false;
      }
    } else if (time_fields().count(col) || col == "outcome") {
      if (!v.empty()) j[col] = v;
    } else {
      j[col] = v;
    }
  }
  if (!ok) return std::nullopt;
  return decode_record(j, line, cfg, cal, problems, false);
}

}  // namespace liaison
