// liaison audit log: who did what, when, to which record — the history of every record
// and of the party registry, filtered, streamed (a million records' history is never
// held), with the free text of records above the user's clearance redacted.
#include <algorithm>
#include <iostream>

#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "event_text.h"
#include "reads.h"
#include "row_writer.h"

namespace liaison::cli {

struct AuditLogOptions {
  std::vector<std::string> actor, type, ref;
  std::string since, until;
  std::int64_t limit = 0;
  bool reverse = false;
};

namespace {

/// Rows of the table format are aligned a page at a time, so memory stays flat.
constexpr std::size_t kPageRows = 1000;

EventFilter build_filter(const AuditLogOptions& o, Env& env, const Context& ctx) {
  EventFilter f;
  f.actors = filter_actors(ctx, split_list(o.actor));
  f.types = split_list(o.type);
  for (const auto& type : f.types) {
    const auto& known = event_types();
    if (std::find(known.begin(), known.end(), type) != known.end()) continue;
    // Not a type this version writes: accepted if the history holds it.
    if (event_type_present(ctx, type)) continue;
    auto near = did_you_mean(type, known);
    throw UsageError(msg<Msg::type_unknown_event_type>(type),
                     near ? msg<Msg::did_you_mean>(*near)
                          : msg<Msg::use_event_types>());
  }
  f.refs = split_list(o.ref);
  for (const auto& ref : f.refs) require_record(ctx, ref);  // NotFoundError (exit 4) names it
  if (!o.since.empty()) f.since = env.parse_time(o.since, "--since");
  if (!o.until.empty()) f.until = env.parse_time(o.until, "--until", WorkCalendar::Bound::end);
  if (o.limit < 0) throw UsageError(msg<Msg::limit_must_0_no_limit_more>());
  f.limit = o.limit;
  f.newest_first = o.reverse;
  return f;
}

}  // namespace

static void run_audit_log(const AuditLogOptions& o, Env& env) {
  const Context ctx = env.context();
  const EventFilter filter = build_filter(o, env, ctx);
  RenderOptions options = env.render_options();
  const Format format = options.format;
  const bool display = format == Format::table || format == Format::md;

  const std::vector<Column> columns = {{"id", display ? "#" : "id", true},
                                      {"at", display ? label(env, "at") : "at"},
                                      {"actor", display ? label(env, "actor") : "actor"},
                                      {"type", display ? label(env, "event") : "type"},
                                      {"ref", display ? label(env, "ref") : "ref"},
                                      {"summary", display ? label(env, "what") : "summary", false, true}};
  // Aligned formats (table, md) are written a page of rows at a time, the header above
  // the first; the others a row at a time.
  RowWriter writer(std::cout, options, msg<Msg::standard_output>(), kPageRows);
  writer.begin(columns);
  // Each event comes redacted at its record's level.
  each_audit_event(ctx, filter, [&](const Event& e) {
    const nlohmann::json data = nlohmann::json::parse(e.data, nullptr, false);
    // Names for people to read (table, md: the event type and, in Chinese, departments by
    // name); the summary as the language gives it, the type as stored, for scripts.
    std::string summary = describe_event(e, env.lang(), display ? &env.config() : nullptr);
    if (format == Format::json || format == Format::jsonl) {
      writer.object({{"id", e.id},
                     {"at", env.calendar().format_iso(e.at)},
                     {"recorded_at", e.recorded_at ? nlohmann::json(env.calendar().format_iso(*e.recorded_at))
                                                   : nlohmann::json(nullptr)},
                     {"actor", e.actor},
                     {"type", e.type},
                     {"ref", e.ref.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.ref)},
                     {"summary", summary},
                     {"data", data.is_discarded() ? nlohmann::json(e.data) : data}});
      return;
    }
    writer.row(std::vector<std::string>{std::to_string(e.id), env.show_time(e.at), e.actor,
                                        display ? event_type_name(e.type, env.lang()) : e.type, e.ref,
                                        std::move(summary)});
  });
  writer.end();
}

Runner register_audit_log(CLI::App& app, Env& env) {
  auto o = std::make_shared<AuditLogOptions>();
  app.add_option("--actor", o->actor, "only events by these users (comma list or repeated); me: the acting user");
  app.add_option("--type", o->type, "only events of these types, e.g. filed,closed (comma list or repeated)");
  app.add_option("--ref", o->ref, "only the history of these records (comma list or repeated)");
  app.add_option("--since", o->since, "events at or after this time");
  app.add_option("--until", o->until, "events before this time");
  app.add_option("--limit", o->limit, "at most this many events (0 = all)");
  app.add_flag("--reverse", o->reverse, "newest first");
  return [o, &env] { run_audit_log(*o, env); };
}

}  // namespace liaison::cli
