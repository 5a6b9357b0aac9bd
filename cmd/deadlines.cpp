// liaison deadlines: the open deadlines (acknowledge, resolve) of one user's records or
// one department's, nearest first, as a table or as an iCalendar feed (--format ics)
// for a calendar program. Subjects are redacted as `list` redacts them.
#include <iostream>

#include "common.h"
#include "errors.h"
#include "hash.h"
#include "ical.h"
#include "personal.h"
#include "reads.h"

namespace liaison::cli {

struct DeadlinesOptions {
  std::string user, department;
};

namespace {

/// The summary of an event: the reference, what is due and the subject.
Message summary_of(const OpenDeadline& d) {
  if (d.obligation == "ack") return msg<Msg::ics_acknowledge>(d.record.ref, d.record.subject);
  if (!receipt_holder(d.obligation).empty()) return msg<Msg::ics_sign>(d.record.ref, d.record.subject);
  if (!approval_holder(d.obligation).empty()) return msg<Msg::ics_approve>(d.record.ref, d.record.subject);
  if (int n = action_number(d.obligation)) return msg<Msg::ics_action>(action_id(d.record.ref, n), d.record.subject);
  return msg<Msg::ics_resolve>(d.record.ref, d.record.subject);
}

void write_feed(const std::vector<OpenDeadline>& deadlines, const std::string& whose, Env& env) {
  const Lang lang = env.lang();
  CalendarFeed feed;
  feed.name = msg<Msg::ics_calendar_name>(whose).render(lang);
  feed.product = "-//liaison//liaison " LIAISON_VERSION "//EN";
  feed.stamp = env.now();
  // The same record and deadline keep their UID from feed to feed, so a calendar program
  // moves the event when the deadline moves; the organisation makes it unique.
  const std::string domain = sha256_hex(env.config().organization.name).substr(0, 16) + ".liaison";
  for (const auto& d : deadlines) {
    const Kind* kind = env.config().kind(d.record.kind);
    feed.events.push_back(
        {d.record.ref + "-" + d.obligation + "@" + domain, d.due, summary_of(d).render(lang),
         msg<Msg::ics_description>(kind ? kind->name : d.record.kind, dept_name(env, d.record.owner),
                                   d.record.assignee.empty() ? "-" : d.record.assignee)
             .render(lang)});
  }
  write_ical(feed, std::cout);
}

}  // namespace

static void run_deadlines(const DeadlinesOptions& o, Env& env) {
  const bool ics = env.options.format == "ics";
  if (!ics && !env.options.format.empty() && !parse_format(env.options.format))
    throw UsageError(msg<Msg::unknown_format>(env.options.format), msg<Msg::deadlines_formats_are>());
  if (!o.user.empty() && !o.department.empty()) throw UsageError(msg<Msg::user_or_department_not_both>());
  const Context ctx = env.context();
  std::string user, department;
  if (!o.department.empty()) {
    department = departments_or_mine(ctx, {o.department}, "--dept").front();
    check_filter_departments(env.config(), {department});
  } else {
    // Without either, the acting user's own; an id nobody has is an error, not an empty feed.
    user = filter_assignees(ctx, {o.user.empty() ? std::string("@me") : o.user}).front();
  }
  const std::vector<OpenDeadline> deadlines = open_deadlines(ctx, user, department);
  if (ics) {
    const User* named = user.empty() ? nullptr : env.config().user(user);
    write_feed(deadlines, !user.empty() ? (named && !named->name.empty() ? named->name : user) : dept_name(env, department),
               env);
    return;
  }
  RenderOptions options = env.render_options();
  const Format format = options.format;
  if (format == Format::json || format == Format::jsonl) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& d : deadlines)
      rows.push_back({{"ref", d.record.ref},
                      {"obligation", d.obligation},
                      {"due", env.calendar().format_iso(d.due)},
                      {"overdue", d.overdue},
                      {"status", to_string(d.record.status)},
                      {"kind", d.record.kind},
                      {"owner", d.record.owner},
                      {"assignee", d.record.assignee},
                      {"subject", d.record.subject}});
    if (format == Format::json) print(render_json(rows));
    else
      for (const auto& row : rows) print(render_json(row, false));
    return;
  }
  const bool display = format == Format::table || format == Format::md;
  Table table;
  for (const char* key : {"ref", "obligation", "due", "overdue", "owner", "assignee", "subject"})
    table.columns.push_back({key, display ? label(env, std::string_view(key) == "due" ? "deadline" : key) : key, false,
                             std::string_view(key) == "subject"});
  fit_record_columns(table.columns);
  for (const auto& d : deadlines) {
    if (display)
      table.rows.push_back({d.record.ref, clock_label(env, d.obligation), env.show_time(d.due),
                            d.overdue ? label(env, "overdue") : "", dept_name(env, d.record.owner), d.record.assignee,
                            d.record.subject});
    else
      table.rows.push_back({d.record.ref, d.obligation, env.calendar().format_iso(d.due), d.overdue ? "yes" : "no",
                            d.record.owner, d.record.assignee, d.record.subject});
  }
  print(render(table, options));
}

Runner register_deadlines(CLI::App& app, Env& env) {
  auto o = std::make_shared<DeadlinesOptions>();
  // Not CLI11's excludes(): the catalogue's message says it in the user's language.
  app.add_option("--user", o->user, "the deadlines of this user's records (default: me, the acting user)");
  app.add_option("--dept,--department", o->department, "the deadlines of this department's records; me: the acting user's");
  return [o, &env] { run_deadlines(*o, env); };
}

}  // namespace liaison::cli
