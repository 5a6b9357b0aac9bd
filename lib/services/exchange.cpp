#include "exchange.h"

#include <algorithm>
#include <cstring>
#include <istream>
#include <map>
#include <ostream>
#include <set>
#include <unordered_set>

#include <fmt/format.h>

#include "chain.h"
#include "errors.h"
#include "ids.h"
#include "render.h"

namespace liaison {
namespace {

using json = nlohmann::json;
using ordered = nlohmann::ordered_json;
namespace lim = exchange_limits;

/// Offset of the first byte that is not part of valid UTF-8 (overlong forms, surrogates
/// and code points past U+10FFFF included), or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xe0) == 0xc0) len = 2, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0) len = 3, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0) len = 4, cp = c & 0x07;
    else return i;
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

constexpr const char* kUtf8Hint =
    "save the file as UTF-8; text from a GBK spreadsheet converts with 'iconv -f GBK -t UTF-8'";
constexpr const char* kTimeHint =
    "write ISO 8601 with offset, e.g. 2026-09-30T14:00:00+08:00, or 2026-09-30 14:00 in the organisation's zone";

ordered opt_iso(const WorkCalendar& cal, const std::optional<TimePoint>& t) {
  return t ? ordered(cal.format_iso(*t)) : ordered(nullptr);
}

ordered clocks_json(const std::vector<Clock>& clocks, const WorkCalendar& cal) {
  ordered out = ordered::array();
  for (const auto& c : clocks) out.push_back(clock_json(c, cal));
  return out;
}

ordered events_json(const std::vector<Event>& events, const WorkCalendar& cal) {
  ordered out = ordered::array();
  for (const auto& e : events) {
    ordered data = ordered::parse(e.data, nullptr, false);
    if (data.is_discarded()) data = ordered::object();
    out.push_back(ordered{{"type", e.type}, {"actor", e.actor}, {"at", cal.format_iso(e.at)}, {"data", data}});
  }
  return out;
}

std::string dump(const ordered& j) { return j.dump(-1, ' ', false, ordered::error_handler_t::replace); }

/// The record's fields in record_fields() order (without clocks and events).
ordered record_object(const Record& r, bool redacted, const WorkCalendar& cal) {
  ordered j = record_fields_json(r, cal);
  j["redacted"] = redacted;
  return j;
}

/// The data of an "imported" event: the record's state as imported (what a "filed"
/// event says, plus what later events would have said: status, outcome, resolution,
/// acknowledgement, closing, escalation, and every clock with its due, stop, use and
/// pause), then where it came from. `audit verify` replays the history from it.
/// The listing copies ack_due and due are left out: they are the clocks' dues.
/// Canonical like every event's data: sorted keys, compact.
std::string imported_data(const Record& r, const WorkCalendar& cal, const std::string& source, std::int64_t line) {
  ordered state = record_object(r, false, cal);
  for (const char* derived : {"ref", "redacted", "ack_due", "due"}) state.erase(derived);
  state["clocks"] = clocks_json(r.clocks, cal);
  state["source"] = source;
  state["line"] = line;
  return json::parse(dump(state)).dump(-1, ' ', false, json::error_handler_t::replace);
}

const std::set<std::string, std::less<>>& time_fields() {
  static const std::set<std::string, std::less<>> f{"received_at", "created_at", "ack_due", "acked_at", "due",
                                                    "closed_at"};
  return f;
}

}  // namespace

ordered clock_json(const Clock& c, const WorkCalendar& cal) {
  return ordered{{"clock", c.name},
                 {"duration", c.duration},
                 {"started_at", cal.format_iso(c.started_at)},
                 {"due", opt_iso(cal, c.due)},
                 {"stopped_at", opt_iso(cal, c.stopped_at)},
                 {"used_seconds", c.used_seconds ? ordered(*c.used_seconds) : ordered(nullptr)},
                 {"paused_since", opt_iso(cal, c.paused_since)},
                 {"paused_seconds", c.paused_seconds},
                 {"config_hash", c.config_hash},
                 {"provisional", c.provisional}};
}

json record_json(const Record& r, const WorkCalendar& cal, TimePoint now) {
  json j = record_fields_json(r, cal);  // the fields export writes, by name
  j["overdue"] = is_overdue(r, now);
  if (!r.clocks.empty()) {
    json clocks = json::array();
    for (const auto& c : r.clocks) {
      json cj = clock_json(c, cal);
      cj["met"] = c.due && c.stopped_at ? json(*c.stopped_at <= *c.due) : json(nullptr);
      clocks.push_back(std::move(cj));
    }
    j["clocks"] = std::move(clocks);
  }
  return j;
}

json party_json(const Party& p) {
  return {{"id", p.id},       {"name", p.name},   {"type", p.type},       {"contact", p.contact},
          {"phone", p.phone}, {"email", p.email}, {"address", p.address}, {"notes", p.notes}};
}

ordered record_fields_json(const Record& r, const WorkCalendar& cal) {
  return ordered{{"ref", r.ref},
                 {"kind", r.kind},
                 {"direction", to_string(r.direction)},
                 {"flow", to_string(r.flow)},
                 {"subject", r.subject},
                 {"body", r.body},
                 {"channel", r.channel},
                 {"party", r.party},
                 {"from_dept", r.from_dept},
                 {"owner", r.owner},
                 {"assignee", r.assignee},
                 {"level", r.level},
                 {"major", r.major},
                 {"status", to_string(r.status)},
                 {"outcome", r.outcome ? ordered(to_string(*r.outcome)) : ordered(nullptr)},
                 {"resolution", r.resolution},
                 {"reply_via", r.reply_via},
                 {"capa", r.capa},
                 {"rule", r.rule},
                 {"notify", r.notify},
                 {"escalated_to", r.escalated_to},
                 {"received_at", cal.format_iso(r.received_at)},
                 {"created_at", cal.format_iso(r.created_at)},
                 {"created_by", r.created_by},
                 {"ack_due", opt_iso(cal, r.ack_due)},
                 {"acked_at", opt_iso(cal, r.acked_at)},
                 {"due", opt_iso(cal, r.due)},
                 {"closed_at", opt_iso(cal, r.closed_at)}};
}

const std::vector<std::string>& record_fields() {
  static const std::vector<std::string> fields{
      "ref",       "kind",      "direction",  "flow",       "subject",     "body",         "channel",
      "party",     "from_dept", "owner",      "assignee",   "level",       "major",        "status",
      "outcome",   "resolution", "reply_via", "capa",       "rule",        "notify",       "escalated_to",
      "received_at", "created_at", "created_by", "ack_due", "acked_at",    "due",          "closed_at",
      "redacted",  "clocks",    "events"};
  return fields;
}

std::string party_to_jsonl(const Party& p, const WorkCalendar& cal) {
  ordered j{{"type", "party"},     {"id", p.id},       {"name", p.name},       {"party_type", p.type},
            {"contact", p.contact}, {"phone", p.phone}, {"email", p.email},     {"address", p.address},
            {"notes", p.notes},     {"created_at", cal.format_iso(p.created_at)}};
  return dump(j) + '\n';
}

std::string record_to_jsonl(const Record& r, const std::vector<Event>* events, bool redacted,
                            const WorkCalendar& cal) {
  ordered j{{"type", "record"}};
  ordered fields = record_object(r, redacted, cal);
  for (auto& [k, v] : fields.items()) j[k] = std::move(v);
  j["clocks"] = clocks_json(r.clocks, cal);
  if (events) j["events"] = events_json(*events, cal);
  return dump(j) + '\n';
}

std::string csv_header(bool with_events) {
  std::string out;
  for (const auto& f : record_fields()) {
    if (f == "events" && !with_events) continue;
    if (!out.empty()) out += ',';
    out += f;
  }
  return out + "\r\n";
}

std::string record_to_csv(const Record& r, const std::vector<Event>* events, bool redacted,
                          const WorkCalendar& cal) {
  std::string out;
  auto cell = [&](std::string_view v) {
    if (!out.empty()) out += ',';
    out += csv_field(v);
  };
  ordered fields = record_object(r, redacted, cal);
  for (auto& [k, v] : fields.items()) {
    if (v.is_string()) cell(v.get_ref<const std::string&>());
    else if (v.is_null()) cell("");
    else if (v.is_boolean()) cell(v.get<bool>() ? "true" : "false");
    else if (k == "notify") {
      std::string joined;
      for (const auto& d : r.notify) joined += (joined.empty() ? "" : ",") + d;
      cell(joined);
    }
  }
  cell(dump(clocks_json(r.clocks, cal)));
  if (events) cell(dump(events_json(*events, cal)));
  return out + "\r\n";
}

ExportCounts export_records(Store& store, const WorkCalendar& cal, const Access& access, Lang lang,
                            const ExportRequest& req, std::ostream& out) {
  ExportCounts counts;
  if (req.format == ExchangeFormat::jsonl) {
    // The parties the records refer to come first, so an import into an empty database
    // finds each record's party already there. A first pass collects their ids only.
    std::set<std::string> parties;
    store.each_record(req.filter, [&](Record& r) {
      if (!r.party.empty()) parties.insert(r.party);
    });
    for (const auto& id : parties)
      if (auto p = store.find_party(id)) {
        out << party_to_jsonl(*p, cal);
        ++counts.parties;
      }
  } else {
    out << csv_header(req.with_events);
  }
  store.each_record(req.filter, [&](Record& r) {
    r.clocks = store.clocks_for(r.id);
    bool redacted = !access.may_read(r.level);
    std::vector<Event> events;
    if (req.with_events) {
      events = store.events_for(r.id);
      if (redacted)
        for (auto& e : events) e = redact(std::move(e), r.level, access, lang);
      counts.events += static_cast<std::int64_t>(events.size());
    }
    if (redacted) {
      r = redact(std::move(r), access, lang);
      ++counts.redacted;
    }
    const std::vector<Event>* history = req.with_events ? &events : nullptr;
    out << (req.format == ExchangeFormat::jsonl ? record_to_jsonl(r, history, redacted, cal)
                                                : record_to_csv(r, history, redacted, cal));
    ++counts.records;
  });
  out.flush();
  return counts;
}

std::string ImportProblem::format(std::string_view source) const {
  std::string out = fmt::format("{}:{}: ", source, line);
  if (!field.empty()) out += field + ": ";
  out += message;
  if (!hint.empty()) out += " (" + hint + ")";
  return out;
}

namespace {

/// Reads one item's fields from a JSON object, reporting each problem with its line and
/// field. Values from CSV arrive as strings (converted by the caller where typed).
class FieldReader {
 public:
  FieldReader(const json& object, std::int64_t line, std::vector<ImportProblem>& problems, std::string prefix = {})
      : j_(object), line_(line), problems_(problems), prefix_(std::move(prefix)) {}

  void problem(const std::string& field, std::string message, std::string hint = {}) {
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
  std::string text(const std::string& key, std::size_t limit, bool required = false, std::string_view hint = {}) {
    const json* v = find(key);
    if (!v) {
      if (required) problem(key, "missing", std::string(hint));
      return {};
    }
    if (!v->is_string()) {
      problem(key, fmt::format("must be text, not {}", v->type_name()), "write it in double quotes");
      return {};
    }
    const auto& s = v->get_ref<const std::string&>();
    if (required && s.find_first_not_of(" \t\r\n") == std::string::npos) {
      problem(key, "missing", std::string(hint));
      return {};
    }
    if (s.size() > limit) {
      problem(key, fmt::format("too long: {} bytes, the limit is {}", s.size(), limit),
              "shorten it, or attach the full text elsewhere and refer to it");
      return {};
    }
    return s;
  }

  /// A time field: null/absent/"" is none; else ISO 8601 (or a local time).
  std::optional<TimePoint> time(const std::string& key, const WorkCalendar& cal, bool required = false) {
    std::string s = text(key, lim::kId);
    if (s.empty()) {
      if (required && ok_for(key)) problem(key, "missing", kTimeHint);
      return std::nullopt;
    }
    auto t = cal.parse_time(s);
    if (!t) problem(key, fmt::format("cannot read \"{}\" as a time", s), kTimeHint);
    return t;
  }

  bool boolean(const std::string& key) {
    const json* v = find(key);
    if (!v) return false;
    if (v->is_boolean()) return v->get<bool>();
    problem(key, fmt::format("must be true or false, not {}", v->dump()), "write true or false");
    return false;
  }

  std::int64_t integer(const std::string& key, bool& present) {
    const json* v = find(key);
    present = v != nullptr;
    if (!v) return 0;
    if (v->is_number_integer()) return v->get<std::int64_t>();
    problem(key, fmt::format("must be a whole number, not {}", v->dump()), "write a number of seconds");
    present = false;
    return 0;
  }

  /// Reports keys not in `known` (and not in `ignored`), with "did you mean".
  void unknown_keys(const std::vector<std::string>& known, const std::vector<std::string>& ignored = {}) {
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      const std::string& k = it.key();
      if (std::find(known.begin(), known.end(), k) != known.end()) continue;
      if (std::find(ignored.begin(), ignored.end(), k) != ignored.end()) continue;
      auto m = did_you_mean(k, known);
      problem(k, "unknown field", m ? fmt::format("did you mean \"{}\"?", *m) : "see 'man liaison-import' for the fields");
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
                                              "config_hash",  "provisional"};
  std::set<std::string> names;
  for (std::size_t i = 0; i < array.size(); ++i) {
    std::string prefix = fmt::format("clocks[{}].", i + 1);
    if (!array[i].is_object()) {
      problems.push_back({item.line, prefix.substr(0, prefix.size() - 1), "must be an object", "see 'man liaison-import'"});
      ok = false;
      continue;
    }
    FieldReader f(array[i], item.line, problems, prefix);
    f.unknown_keys(known, {"met"});
    Clock c;
    c.name = f.text("clock", lim::kId, true, "name the clock: ack, resolve, …");
    if (!c.name.empty() && !names.insert(c.name).second) f.problem("clock", fmt::format("clock \"{}\" given twice", c.name), "give each clock once");
    c.duration = f.text("duration", lim::kId);
    if (!c.duration.empty() && !Duration::parse(c.duration))
      f.problem("duration", fmt::format("\"{}\" is not a duration", c.duration), "write it as in the config: 24h, 3wd, 8wh, 30m");
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
    if (!f.ok()) ok = false;
    item.record.clocks.push_back(std::move(c));
  }
}

void decode_events(const json& array, ImportItem& item, const WorkCalendar& cal, std::vector<ImportProblem>& problems,
                   bool& ok) {
  static const std::vector<std::string> known{"type", "actor", "at", "data"};
  // An empty history is no history: the record then gets its "imported" event, so no
  // record is left without one.
  item.has_events = !array.empty();
  for (std::size_t i = 0; i < array.size(); ++i) {
    std::string prefix = fmt::format("events[{}].", i + 1);
    if (!array[i].is_object()) {
      problems.push_back({item.line, prefix.substr(0, prefix.size() - 1), "must be an object", "see 'man liaison-import'"});
      ok = false;
      continue;
    }
    FieldReader f(array[i], item.line, problems, prefix);
    // What `show --format json` adds; the importing database's chain recomputes them.
    f.unknown_keys(known, {"id", "ref", "hash", "prev_hash"});
    Event e;
    e.type = f.text("type", lim::kId, true, "give the event type: filed, logged, closed, …");
    if (!e.type.empty() && bad_id(e.type)) f.problem("type", fmt::format("\"{}\" cannot be an event type", e.type), "use a word without spaces or commas");
    e.actor = f.text("actor", lim::kId, true, "give the user who acted");
    if (auto t = f.time("at", cal, true)) e.at = *t;
    const json* data = f.find("data");
    if (data && !data->is_object()) {
      f.problem("data", "must be an object", "write the event's details as {\"key\": value, …}");
    } else {
      // Canonical: sorted keys, compact, UTF-8 as is (as the services write it).
      e.data = data ? data->dump(-1, ' ', false, json::error_handler_t::replace) : "{}";
      if (e.data.size() > lim::kText)
        f.problem("data", fmt::format("too long: {} bytes, the limit is {}", e.data.size(), lim::kText),
                  "shorten the event's texts");
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
    // What `list --format json` adds: derived, so ignored.
    f.unknown_keys(known, {"overdue"});
  }
  if (f.boolean("redacted"))
    f.problem("redacted", "the record was exported redacted: its texts are not in the file",
              "export it again as a user cleared for its level");

  r.ref = f.text("ref", lim::kRef, true, "give the record's reference, e.g. EXT-2026-00042");
  if (!r.ref.empty() && bad_id(r.ref))
    f.problem("ref", fmt::format("\"{}\" cannot be a reference", r.ref), "use no spaces, commas or control characters");

  // An unknown config id is a problem of its field, worded as everywhere (lib/policy/ids.h).
  auto id_check = [&](const std::string& key, IdKind sort, const std::string& id) {
    if (auto p = id_problem(cfg, sort, id)) f.problem(key, p->message, p->hint);
  };
  r.kind = f.text("kind", lim::kId, true, "give a kind id from the config");
  const Kind* kind = r.kind.empty() ? nullptr : cfg.kind(r.kind);
  if (!r.kind.empty() && !kind) id_check("kind", IdKind::kind, r.kind);

  r.subject = f.text("subject", lim::kSubject, true, "give the record's subject");
  r.body = f.text("body", lim::kText);
  r.channel = f.text("channel", lim::kId);
  auto check_channel_field = [&](const std::string& key, const std::string& id) {
    if (!id.empty()) id_check(key, IdKind::channel, id);
  };
  check_channel_field("channel", r.channel);
  r.party = f.text("party", lim::kId);
  if (!r.party.empty() && bad_id(r.party))
    f.problem("party", fmt::format("\"{}\" cannot be a party id", r.party), "give the id of a registered party");

  auto check_dept = [&](const std::string& key, const std::string& id) {
    if (!id.empty()) id_check(key, IdKind::department, id);
  };
  auto check_user_field = [&](const std::string& key, const std::string& id) {
    if (!id.empty()) id_check(key, IdKind::user, id);
  };

  std::string direction = f.text("direction", lim::kId);
  if (direction.empty()) r.direction = r.party.empty() ? Direction::internal : Direction::external;
  else if (auto d = parse_direction(direction)) r.direction = *d;
  else f.problem("direction", fmt::format("unknown direction \"{}\"", direction), "write internal or external");
  std::string flow = f.text("flow", lim::kId);
  if (!flow.empty()) {
    if (auto fl = parse_flow(flow)) r.flow = *fl;
    else f.problem("flow", fmt::format("unknown flow \"{}\"", flow), "write none, upward, downward or lateral");
  }
  if (r.direction == Direction::external && r.flow != Flow::none)
    f.problem("flow", "a flow applies to internal records only", "leave it empty (none) for external records");

  r.from_dept = f.text("from_dept", lim::kId);
  check_dept("from_dept", r.from_dept);
  r.owner = f.text("owner", lim::kId, true, "give the owner department's id");
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
    else f.problem("status", fmt::format("unknown status \"{}\"", status), "write open, acknowledged, waiting or closed");
  }
  std::string outcome = f.text("outcome", lim::kId);
  if (!outcome.empty()) {
    if (auto o = parse_outcome(outcome)) r.outcome = *o;
    else f.problem("outcome", fmt::format("unknown outcome \"{}\"", outcome),
                   "write resolved, adopted, rejected, withdrawn, duplicate or no_action");
  }
  r.resolution = f.text("resolution", lim::kText);
  r.reply_via = f.text("reply_via", lim::kId);
  check_channel_field("reply_via", r.reply_via);
  r.capa = f.text("capa", lim::kText);
  r.rule = f.text("rule", lim::kId);
  if (const json* n = f.find("notify")) {
    if (!n->is_array()) {
      f.problem("notify", "must be a list of department ids", "write [\"sales\", \"quality\"]");
    } else {
      for (const auto& d : *n) {
        if (!d.is_string() || d.get_ref<const std::string&>().size() > lim::kId) {
          f.problem("notify", "must be a list of department ids", "write [\"sales\", \"quality\"]");
          break;
        }
        check_dept("notify", d.get<std::string>());
        r.notify.push_back(d.get<std::string>());
      }
    }
  }
  r.escalated_to = f.text("escalated_to", lim::kId);
  if (!r.escalated_to.empty() && !cfg.department(r.escalated_to) && !cfg.user(r.escalated_to))
    f.problem("escalated_to", fmt::format("unknown department or user \"{}\"", r.escalated_to),
              did_you_mean_hint(r.escalated_to, ids_of(cfg.departments), "see 'liaison config show' for the departments"));

  auto received = f.time("received_at", cal, true);
  if (received) r.received_at = *received;
  auto created = f.time("created_at", cal);
  r.created_at = created ? *created : r.received_at;
  r.created_by = f.text("created_by", lim::kId);
  auto ack_due = f.time("ack_due", cal);
  r.acked_at = f.time("acked_at", cal);
  auto due = f.time("due", cal);
  r.closed_at = f.time("closed_at", cal);

  if (r.status == Status::closed) {
    if (!r.closed_at && !f.find("closed_at")) f.problem("closed_at", "missing for a closed record", "give when it was closed");
    if (!r.outcome && outcome.empty()) f.problem("outcome", "missing for a closed record", "give how it ended, e.g. resolved");
  } else {
    if (r.closed_at) f.problem("closed_at", fmt::format("given for a record that is {}", to_string(r.status)), "leave it empty, or set status closed");
    if (r.outcome) f.problem("outcome", fmt::format("given for a record that is {}", to_string(r.status)), "leave it empty, or set status closed");
  }

  bool ok = f.ok();
  if (const json* c = f.find("clocks")) {
    if (!c->is_array()) {
      f.problem("clocks", "must be a list of clocks", "see 'man liaison-import'");
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
        problems.push_back({line, key, fmt::format("does not match the {} clock's due", clock_name),
                            "leave it empty, or make it the same as the clock's"});
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
    else if (ack_due) f.problem("ack_due", fmt::format("the kind {} sets no acknowledge deadline for {} records", r.kind, to_string(r.direction)), "leave it empty");
    if (auto d = kind->resolve.get(r.direction)) r.clocks.push_back(computed_clock(cfg, cal, "resolve", *d, r.received_at, due, r.closed_at));
    else if (due) f.problem("due", fmt::format("the kind {} sets no resolve deadline for {} records", r.kind, to_string(r.direction)), "leave it empty");
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
      f.problem("events", "must be a list of events", "see 'man liaison-import'");
      ok = false;
    } else {
      decode_events(*e, item, cal, problems, ok);
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
  p.id = f.text("id", lim::kId, true, "give the party's short code, e.g. svw");
  if (!p.id.empty() && bad_id(p.id))
    f.problem("id", fmt::format("\"{}\" cannot be a party id", p.id), "use a short code without spaces or commas");
  p.name = f.text("name", lim::kSubject, true, "give the party's name");
  p.type = f.text("party_type", lim::kId, true, "give a party type id from the config");
  if (!p.type.empty())
    if (auto problem = id_problem(cfg, IdKind::party_type, p.type)) f.problem("party_type", problem->message, problem->hint);
  p.contact = f.text("contact", lim::kId);
  p.phone = f.text("phone", lim::kId);
  p.email = f.text("email", lim::kId);
  p.address = f.text("address", lim::kSubject);
  p.notes = f.text("notes", lim::kText);
  if (auto t = f.time("created_at", cal)) p.created_at = *t;
  if (!f.ok()) return std::nullopt;
  return item;
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
    problems.push_back({n, field_at(line, bad), fmt::format("invalid UTF-8 at byte {} of the line", bad + 1), kUtf8Hint});
    return std::nullopt;
  }
  json j;
  try {
    j = json::parse(line);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    problems.push_back({n, {}, "bad JSON: " + what, "each line holds one JSON object, as 'liaison export' writes it"});
    return std::nullopt;
  }
  if (!j.is_object()) {
    problems.push_back({n, {}, "not a JSON object", "each line holds one JSON object, as 'liaison export' writes it"});
    return std::nullopt;
  }
  auto type = j.find("type");
  std::string t = type != j.end() && type->is_string() ? type->get<std::string>() : "";
  if (t == "party") return decode_party(j, n, cfg, cal, problems);
  if (t == "record") return decode_record(j, n, cfg, cal, problems, true);
  problems.push_back({n, "type", t.empty() ? "missing" : fmt::format("unknown line type \"{}\"", t),
                      "write \"type\":\"record\" or \"type\":\"party\""});
  return std::nullopt;
}

// ---- CSV -------------------------------------------------------------------------------

int CsvReader::get() {
  if (!pending_.empty()) {
    int c = static_cast<unsigned char>(pending_.front());
    pending_.erase(0, 1);
    return c;
  }
  if (position_ == size_) {
    if (buffer_.empty()) buffer_.resize(1 << 16);
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    size_ = static_cast<std::size_t>(in_.gcount());
    position_ = 0;
    if (size_ == 0) return -1;
  }
  ++bytes_;
  return static_cast<unsigned char>(buffer_[position_++]);
}

bool CsvReader::next(std::vector<std::string>& cells, std::int64_t& line, bool& too_long) {
  cells.clear();
  too_long = false;
  if (!started_) {
    started_ = true;
    // A UTF-8 byte order mark, as spreadsheets write it, is skipped.
    std::string first;
    for (int i = 0; i < 3; ++i)
      if (int b = get(); b >= 0) first += static_cast<char>(b);
    if (first != "\xef\xbb\xbf") pending_ = first;
  }
  int c = get();
  if (c < 0) return false;
  cells.emplace_back();
  line = line_;
  {
    std::size_t size = 0;
    bool quoted = false, at_start = true;
    for (;; c = get()) {
      if (c < 0) break;
      if (quoted) {
        if (c == '"') {
          int d = get();
          if (d == '"') {
            if (!too_long) cells.back() += '"';
            continue;
          }
          quoted = false;
          c = d;
          if (c < 0) break;
        } else {
          if (c == '\n') ++line_;
          if (!too_long) cells.back() += static_cast<char>(c);
          if (++size > exchange_limits::kLine) too_long = true;
          continue;
        }
      }
      if (c == '"' && at_start) {
        quoted = true;
        at_start = false;
        continue;
      }
      if (c == ',') {
        if (!too_long) cells.emplace_back();
        at_start = true;
        continue;
      }
      if (c == '\r') {
        int d = get();
        if (d == '\n' || d < 0) {
          ++line_;
          break;
        }
        // A lone CR inside a row: keep it.
        if (!too_long) cells.back() += '\r';
        c = d;
      }
      if (c == '\n') {
        ++line_;
        break;
      }
      // Text after a closing quote ("ab"c) is kept, as spreadsheets do.
      at_start = false;
      if (!too_long) cells.back() += static_cast<char>(c);
      if (++size > exchange_limits::kLine) too_long = true;
    }
  }
  if (too_long) cells.clear();
  return true;
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
      problems.push_back({line, fmt::format("column {}", i + 1), "invalid UTF-8 in the header", kUtf8Hint});
      ok = false;
    } else if (std::find(csv_columns().begin(), csv_columns().end(), name) == csv_columns().end()) {
      auto m = did_you_mean(name, csv_columns());
      problems.push_back({line, name.empty() ? fmt::format("column {}", i + 1) : name, "unknown column",
                          m ? fmt::format("did you mean \"{}\"?", *m) : "see 'man liaison-import' for the columns"});
      ok = false;
    } else if (!seen.insert(name).second) {
      problems.push_back({line, name, "column given twice", "keep one of them"});
      ok = false;
    }
    header.push_back(name);
  }
  for (const auto& r : kRequiredColumns)
    if (!seen.count(r)) {
      problems.push_back({line, r, "missing column", "the header line names the columns; see 'man liaison-import'"});
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
    problems.push_back({line, {}, fmt::format("{} fields where the header has {}", cells.size(), header.size()),
                        "quote fields that contain commas or line breaks"});
    return std::nullopt;
  }
  json j = json::object();
  bool ok = true;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string& col = header[i];
    const std::string& v = cells[i];
    if (auto bad = invalid_utf8_at(v); bad != std::string::npos) {
      problems.push_back({line, col, fmt::format("invalid UTF-8 at byte {} of the field", bad + 1), kUtf8Hint});
      ok = false;
      continue;
    }
    if (col == "major" || col == "redacted") {
      std::string lower = v;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower.empty() || lower == "false" || lower == "no" || lower == "0") j[col] = false;
      else if (lower == "true" || lower == "yes" || lower == "1") j[col] = true;
      else {
        problems.push_back({line, col, fmt::format("\"{}\" is neither true nor false", v), "write true or false"});
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
      json parsed = json::parse(v, nullptr, false);
      if (parsed.is_discarded()) {
        problems.push_back({line, col, "bad JSON", "the column holds a JSON list, as 'liaison export' writes it"});
        ok = false;
      } else {
        j[col] = std::move(parsed);
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

std::optional<std::pair<std::string, std::int64_t>> reference_sequence(const std::string& pattern,
                                                                       const std::string& ref) {
  std::size_t p = 0, r = 0;
  int year = -1;
  std::int64_t seq = -1;
  auto digits = [&](std::size_t max, std::int64_t& value) {
    std::size_t start = r;
    value = 0;
    while (r < ref.size() && r - start < max && ref[r] >= '0' && ref[r] <= '9') value = value * 10 + (ref[r++] - '0');
    return r > start;
  };
  while (p < pattern.size()) {
    if (pattern.compare(p, 6, "{year}") == 0) {
      std::int64_t y = 0;
      std::size_t start = r;
      if (!digits(4, y) || r - start != 4) return std::nullopt;
      year = static_cast<int>(y);
      p += 6;
    } else if (pattern.compare(p, 4, "{seq") == 0) {
      if (!digits(18, seq)) return std::nullopt;
      auto close = pattern.find('}', p);
      p = close == std::string::npos ? pattern.size() : close + 1;
    } else {
      if (r >= ref.size() || ref[r] != pattern[p]) return std::nullopt;
      ++p, ++r;
    }
  }
  if (r != ref.size() || seq < 0) return std::nullopt;
  if (year < 0) year = 0;
  // Exactly what the pattern writes (zero padding included), or it is not one of ours.
  if (format_reference(pattern, year, seq) != ref) return std::nullopt;
  return std::make_pair(sequence_name(pattern, year), seq);
}

// ---- import ----------------------------------------------------------------------------

namespace {

/// Lines of a stream, read in large blocks; a line longer than the limit is reported,
/// not held.
class LineReader {
 public:
  explicit LineReader(std::istream& in) : in_(in), buffer_(1 << 16) {}
  bool next(std::string& line, bool& too_long) {
    line.clear();
    too_long = false;
    bool any = false;
    for (;;) {
      if (position_ == size_) {
        in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
        size_ = static_cast<std::size_t>(in_.gcount());
        position_ = 0;
        if (size_ == 0) break;
      }
      any = true;
      const char* start = buffer_.data() + position_;
      const char* end = buffer_.data() + size_;
      const char* nl = static_cast<const char*>(std::memchr(start, '\n', static_cast<std::size_t>(end - start)));
      const char* stop = nl ? nl : end;
      if (!too_long) {
        line.append(start, stop);
        if (line.size() > exchange_limits::kLine) {
          too_long = true;
          line.clear();
        }
      }
      bytes_ += static_cast<std::uint64_t>(stop - start) + (nl ? 1 : 0);
      position_ = static_cast<std::size_t>(stop - buffer_.data()) + (nl ? 1 : 0);
      if (nl) break;
    }
    if (!any) return false;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_number_ == 0 && line.compare(0, 3, "\xef\xbb\xbf") == 0) line.erase(0, 3);
    ++line_number_;
    return true;
  }
  std::int64_t line_number() const { return line_number_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  std::istream& in_;
  std::vector<char> buffer_;
  std::size_t position_ = 0, size_ = 0;
  std::uint64_t bytes_ = 0;
  std::int64_t line_number_ = 0;
};

json party_data(const Party& p) {
  return {{"id", p.id},       {"name", p.name},   {"type", p.type},         {"contact", p.contact},
          {"phone", p.phone}, {"email", p.email}, {"address", p.address}, {"notes", p.notes}};
}

/// Writes the decoded items inside the import's transaction.
class Importer {
 public:
  Importer(Context& ctx, const ImportRequest& req, ImportResult& result) : ctx_(ctx), result_(result) {
    source_ = req.source == "-" ? "stdin" : req.source;
  }

  void add(ImportItem& item) {
    if (item.type == ImportItem::Type::party) add_party(item);
    else add_record(item);
  }

  /// Numbering continues after the highest imported reference of each sequence.
  void advance_sequences() {
    for (const auto& [name, last] : sequences_) ctx_.store.advance_sequence(name, last);
  }

 private:
  void problem(const ImportItem& item, std::string field, std::string message, std::string hint) {
    result_.problems.push_back({item.line, std::move(field), std::move(message), std::move(hint)});
  }

  void add_party(ImportItem& item) {
    Party& p = item.party;
    if (auto existing = ctx_.store.find_party(p.id)) {
      const std::pair<const char*, std::pair<const std::string*, const std::string*>> fields[] = {
          {"name", {&existing->name, &p.name}},          {"party_type", {&existing->type, &p.type}},
          {"contact", {&existing->contact, &p.contact}}, {"phone", {&existing->phone, &p.phone}},
          {"email", {&existing->email, &p.email}},       {"address", {&existing->address, &p.address}},
          {"notes", {&existing->notes, &p.notes}}};
      for (const auto& [name, values] : fields)
        if (*values.first != *values.second) {
          problem(item, name, fmt::format("party \"{}\" is already registered with another {}: \"{}\"", p.id, name, *values.first),
                  fmt::format("make the line match, or change the party with 'liaison party edit {}'", p.id));
          return;
        }
      known_parties_.insert(p.id);
      ++result_.parties_kept;
      return;
    }
    if (p.created_at == TimePoint{}) p.created_at = ctx_.now;
    ctx_.store.insert_party(p);
    json data = party_data(p);
    data["source"] = source_;
    data["line"] = item.line;
    Event e;
    e.type = "party-added";
    e.actor = ctx_.actor;
    e.at = ctx_.now;
    e.data = data.dump(-1, ' ', false, json::error_handler_t::replace);
    append_event(ctx_.store, std::move(e));
    ++result_.events;
    known_parties_.insert(p.id);
    ++result_.parties;
  }

  void add_record(ImportItem& item) {
    Record& r = item.record;
    bool ok = true;
    if (!r.party.empty() && !known_parties_.count(r.party)) {
      if (ctx_.store.find_party(r.party)) {
        known_parties_.insert(r.party);
      } else {
        problem(item, "party", fmt::format("no party \"{}\"", r.party),
                "register it first with 'liaison party add', or put its party line before this one");
        ok = false;
      }
    }
    if (ctx_.store.record_exists(r.ref)) {
      auto existing = ctx_.store.find_record(r.ref);
      bool in_file = existing && first_id_ && existing->id >= first_id_;
      problem(item, "ref", fmt::format("duplicate reference {}: {}", r.ref, in_file ? "it is earlier in this file" : "it is already in the database"),
              in_file ? "each record appears once; remove one of them" : "leave it out, or import into another database");
      ok = false;
    }
    if (!ok) return;
    if (r.created_by.empty()) r.created_by = ctx_.actor;
    r.id = ctx_.store.insert_record(r);
    if (!first_id_) first_id_ = r.id;
    if (item.has_events) {
      for (auto& e : item.events) {
        e.record_id = r.id;
        e.ref = r.ref;
        append_event(ctx_.store, std::move(e));
        ++result_.events;
      }
    } else {
      Event e;
      e.record_id = r.id;
      e.ref = r.ref;
      e.type = "imported";
      e.actor = ctx_.actor;
      e.at = ctx_.now;
      e.data = imported_data(r, ctx_.calendar, source_, item.line);
      append_event(ctx_.store, std::move(e));
      ++result_.events;
    }
    for (const auto* pattern : {&ctx_.config.numbering.internal, &ctx_.config.numbering.external})
      if (auto seq = reference_sequence(*pattern, r.ref)) {
        auto& last = sequences_[seq->first];
        last = std::max(last, seq->second);
        break;
      }
    ++result_.records;
  }

  Context& ctx_;
  ImportResult& result_;
  std::string source_;
  std::int64_t first_id_ = 0;
  std::unordered_set<std::string> known_parties_;
  std::map<std::string, std::int64_t> sequences_;
};

}  // namespace

ImportResult import_records(Context& ctx, std::istream& in, const ImportRequest& req) {
  ImportResult result;
  auto tx = ctx.store.write();
  Importer importer(ctx, req, result);
  std::int64_t items = 0;
  auto full = [&] {
    if (result.problems.size() < req.max_problems) return false;
    result.stopped = true;
    return true;
  };
  auto tick = [&](std::uint64_t bytes) {
    if (req.progress && ++items % 4096 == 0) req.progress(bytes, items);
  };
  auto take = [&](std::optional<ImportItem>& item, std::size_t before) {
    // A line with any problem is not written; the others are, so later lines can be
    // checked against them (duplicates), and all is rolled back at the end.
    if (item && result.problems.size() == before) importer.add(*item);
  };
  if (req.format == ExchangeFormat::jsonl) {
    LineReader lines(in);
    std::string line;
    bool too_long = false;
    while (!full() && lines.next(line, too_long)) {
      std::int64_t n = lines.line_number();
      std::size_t before = result.problems.size();
      if (too_long) {
        result.problems.push_back({n, {}, fmt::format("line longer than {} bytes", exchange_limits::kLine),
                                   "a record's texts and history must fit the limits of 'man liaison-import'"});
        continue;
      }
      auto item = decode_jsonl(line, n, ctx.config, ctx.calendar, result.problems);
      take(item, before);
      tick(lines.bytes());
    }
  } else {
    CsvReader reader(in);
    std::vector<std::string> cells;
    std::int64_t n = 0;
    bool too_long = false;
    std::optional<std::vector<std::string>> header;
    if (!reader.next(cells, n, too_long)) {
      result.problems.push_back({1, {}, "empty file", "the first line names the columns; see 'man liaison-import'"});
    } else if (!(header = decode_csv_header(cells, n, result.problems))) {
      // Nothing can be read without the header.
    } else {
      while (!full() && reader.next(cells, n, too_long)) {
        std::size_t before = result.problems.size();
        if (too_long) {
          result.problems.push_back({n, {}, fmt::format("row longer than {} bytes", exchange_limits::kLine),
                                     "a record's texts and history must fit the limits of 'man liaison-import'"});
          continue;
        }
        auto item = decode_csv_row(*header, cells, n, ctx.config, ctx.calendar, result.problems);
        take(item, before);
        tick(reader.bytes());
      }
    }
  }
  if (result.problems.size() > req.max_problems) result.problems.resize(req.max_problems);
  if (result.problems.empty()) importer.advance_sequences();
  if (result.problems.empty() && !req.dry_run) {
    tx->commit();
    result.committed = true;
  }
  return result;
}

}  // namespace liaison
