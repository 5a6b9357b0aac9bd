// liaison audit log: who did what, when, to which record — the history of every record
// and of the party registry, filtered, streamed (a million records' history is never
// held), with the free text of records above the user's clearance redacted.
#include <algorithm>
#include <iostream>

#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "row_writer.h"

namespace liaison::cli {

struct AuditLogOptions {
  std::vector<std::string> actor, type, ref;
  std::string since, until;
  std::int64_t limit = 0;
  bool reverse = false;
};

namespace {

/// The event types this version writes; --type accepts these and any type present in
/// the database (a newer version's).
const std::vector<std::string> kEventTypes = {"filed",    "routed",       "acknowledged", "logged",
                                              "escalated", "waiting",     "resumed",      "closed",
                                              "reopened", "reminded",     "party-added",  "party-edited",
                                              "imported"};

/// Rows of the table format are aligned a page at a time, so memory stays flat.
constexpr std::size_t kPageRows = 1000;

std::string str(const nlohmann::json& data, const char* key) {
  if (!data.contains(key)) return "";
  const auto& v = data[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

/// One line saying what the event did, from its (already redacted) data.
std::string summarize(const Event& e, const nlohmann::json& data) {
  if (!data.is_object()) return e.data;
  auto join = [](std::initializer_list<std::string> parts) {
    std::string out;
    for (const auto& p : parts)
      if (!p.empty()) out += (out.empty() ? "" : " ") + p;
    return out;
  };
  if (e.type == "filed") return fmt::format("{} → {}{}", str(data, "subject"), str(data, "owner"),
                                            str(data, "assignee").empty() ? "" : "/" + str(data, "assignee"));
  if (e.type == "logged") return fmt::format("[{}] {}", str(data, "entry"), str(data, "text"));
  if (e.type == "routed")
    return join({fmt::format("{} → {}{}", str(data, "from"), str(data, "to"),
                             str(data, "assignee").empty() ? "" : "/" + str(data, "assignee")),
                 str(data, "reason")});
  if (e.type == "escalated")
    return fmt::format("→ {}: {}{}", str(data, "to"), str(data, "reason"),
                       data.contains("skip_level") ? " (越级: " + str(data, "skip_level") + ")" : "");
  if (e.type == "closed")
    return join({str(data, "outcome") + ":", str(data, "resolution"),
                 str(data, "explanation").empty() ? "" : "(" + str(data, "explanation") + ")"});
  if (e.type == "reopened" || e.type == "waiting") return str(data, "reason");
  if (e.type == "acknowledged") return str(data, "note");
  if (e.type == "resumed")
    return join({str(data, "note"), str(data, "due").empty() ? "" : "due " + str(data, "due")});
  if (e.type == "imported")
    return fmt::format("{} → {}{}, {}{}, from {} line {}", str(data, "subject"), str(data, "owner"),
                       str(data, "assignee").empty() ? "" : "/" + str(data, "assignee"), str(data, "status"),
                       str(data, "outcome").empty() ? "" : " (" + str(data, "outcome") + ")", str(data, "source"),
                       str(data, "line"));
  if (e.type == "reminded") return fmt::format("{} → {}", str(data, "obligation"), str(data, "to"));
  if (e.type == "party-added")
    return fmt::format("{} {} ({})", str(data, "id"), str(data, "name"), str(data, "type"));
  if (e.type == "party-edited" && data.contains("changes") && data["changes"].is_object()) {
    std::string out = str(data, "id") + ":";
    for (const auto& [key, change] : data["changes"].items())
      out += fmt::format(" {} {} → {}", key, str(change, "from"), str(change, "to"));
    return out;
  }
  return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

EventFilter build_filter(const AuditLogOptions& o, Env& env) {
  EventFilter f;
  f.actors = split_list(o.actor);
  f.types = split_list(o.type);
  for (const auto& type : f.types) {
    if (std::find(kEventTypes.begin(), kEventTypes.end(), type) != kEventTypes.end()) continue;
    // Not a type this version writes: accepted if the history holds it. (A time window,
    // here all time since 1970, makes the store read the type's index: one probe.)
    EventFilter probe;
    probe.types = {type};
    probe.since = TimePoint{};
    probe.limit = 1;
    bool present = false;
    env.store().audit_events(probe, [&](const Event&, const std::string&) { present = true; });
    if (present) continue;
    auto near = did_you_mean(type, kEventTypes);
    throw UsageError(fmt::format("--type: unknown event type \"{}\"", type),
                     near ? fmt::format("did you mean \"{}\"?", *near)
                          : "use filed, routed, acknowledged, logged, escalated, waiting, resumed, closed, reopened, "
                            "reminded, party-added or party-edited");
  }
  f.refs = split_list(o.ref);
  for (const auto& ref : f.refs) get_record(env.store(), ref);  // NotFoundError (exit 4) names it
  if (!o.since.empty()) f.since = env.parse_time(o.since, "--since");
  if (!o.until.empty()) f.until = env.parse_time(o.until, "--until");
  if (o.limit < 0) throw UsageError("--limit must be 0 (no limit) or more");
  f.limit = o.limit;
  f.newest_first = o.reverse;
  return f;
}

}  // namespace

static void run_audit_log(const AuditLogOptions& o, Env& env) {
  const EventFilter filter = build_filter(o, env);
  RenderOptions options = env.render_options();
  const Format format = options.format;
  const bool display = format == Format::table || format == Format::md;
  const Access& access = env.access();
  const Lang lang = env.lang();

  const std::vector<Column> columns = {{"id", display ? "#" : "id", true},
                                      {"at", display ? label(env, "at") : "at"},
                                      {"actor", display ? label(env, "actor") : "actor"},
                                      {"type", display ? label(env, "event") : "type"},
                                      {"ref", display ? label(env, "ref") : "ref"},
                                      {"summary", display ? label(env, "what") : "summary", false, true}};
  // Aligned formats (table, md) are written a page of rows at a time, the header above
  // the first; the others a row at a time.
  RowWriter writer(std::cout, options, "standard output", kPageRows);
  writer.begin(columns);
  env.store().audit_events(filter, [&](const Event& stored, const std::string& level) {
    const Event e = redact(stored, level, access, lang);
    const nlohmann::json data = nlohmann::json::parse(e.data, nullptr, false);
    std::string summary = summarize(e, data);
    if (format == Format::json || format == Format::jsonl) {
      writer.object({{"id", e.id},
                     {"at", env.calendar().format_iso(e.at)},
                     {"actor", e.actor},
                     {"type", e.type},
                     {"ref", e.ref.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.ref)},
                     {"summary", summary},
                     {"data", data.is_discarded() ? nlohmann::json(e.data) : data}});
      return;
    }
    writer.row(std::vector<std::string>{std::to_string(e.id), env.show_time(e.at), e.actor, e.type, e.ref, std::move(summary)});
  });
  writer.end();
}

Runner register_audit_log(CLI::App& app, Env& env) {
  auto o = std::make_shared<AuditLogOptions>();
  app.add_option("--actor", o->actor, "only events by these users (comma list or repeated)");
  app.add_option("--type", o->type, "only events of these types, e.g. filed,closed (comma list or repeated)");
  app.add_option("--ref", o->ref, "only the history of these records (comma list or repeated)");
  app.add_option("--since", o->since, "events at or after this time");
  app.add_option("--until", o->until, "events before this time");
  app.add_option("--limit", o->limit, "at most this many events (0 = all)");
  app.add_flag("--reverse", o->reverse, "newest first");
  return [o, &env] { run_audit_log(*o, env); };
}

}  // namespace liaison::cli
