// liaison overdue: every obligation whose deadline has passed (and, with --within, what
// falls due soon), for people and for cron. Prints nothing at all when nothing is, so
// cron sends no mail; long lists are streamed, not held.
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "messages.h"
#include "overdue.h"
#include "reads.h"
#include "row_writer.h"

namespace liaison::cli {

struct OverdueOptions {
  std::vector<std::string> dept, assignee, kind;
  std::string within;
  bool exit_status = false;
};

namespace {

OverdueRequest build_request(const OverdueOptions& o, Env& env) {
  OverdueRequest req;
  req.now = env.now();
  if (!o.within.empty()) {
    req.within = Duration::parse(o.within);
    if (!req.within)
      throw UsageError(msg<Msg::within_cannot_read_duration>(o.within), msg<Msg::write_duration_within>());
  }
  const Context ctx = env.context();
  req.departments = departments_or_mine(ctx, split_list(o.dept), "--dept");
  check_filter_departments(env.config(), req.departments);
  req.assignees = filter_assignees(ctx, split_list(o.assignee));
  req.kinds = split_list(o.kind);
  check_filter_kinds(env.config(), req.kinds);
  return req;
}

/// How late, for people: "3 wd" (working days late) or, within the first working day,
/// the time since the deadline; for what is not due yet, "due in 2 wd" or "due in 5h".
Message late_text(const OverdueEntry& e, const Env& env) {
  if (e.overdue) {
    if (e.late_working_days >= 1) return msg<Msg::wd>(e.late_working_days);
    return msg<Msg::text_as_given>(format_seconds((env.now() - e.due).count(), env.lang()));
  }
  const std::int64_t days = env.calendar().working_days_between(env.now(), e.due);
  if (days >= 1) return msg<Msg::due_in>(msg<Msg::wd>(days));
  return msg<Msg::due_in>(format_seconds((e.due - env.now()).count(), env.lang()));
}

nlohmann::json entry_json(const OverdueEntry& e, const Env& env) {
  return {{"ref", e.ref},
          {"kind", e.kind},
          {"direction", to_string(e.direction)},
          {"owner", e.owner},
          {"assignee", e.assignee},
          {"subject", e.subject},
          {"major", e.major},
          {"status", to_string(e.status)},
          {"obligation", e.obligation},
          {"due", env.calendar().format_iso(e.due)},
          {"overdue", e.overdue},
          {"late_working_days", e.late_working_days},
          {"late_working_hours", static_cast<double>(e.late_working_seconds * 100 / 3600) / 100},
          {"late_working_seconds", e.late_working_seconds}};
}

/// The columns people read (table, md) and the ones scripts read (tsv, csv).
const std::vector<std::string> kDisplayColumns = {"ref", "obligation", "owner", "assignee", "kind", "due", "late", "subject"};
const std::vector<std::string> kDataColumns = {"ref", "obligation", "owner", "assignee", "kind", "due", "overdue",
                                               "late_working_days", "late_working_seconds", "subject"};

/// Translations of the late column: few distinct texts among many rows.
using Translations = std::map<std::string, std::string, std::less<>>;

std::vector<std::string> row_of(const OverdueEntry& e, const Env& env, bool display, Translations& translated) {
  if (display) {
    const Kind* k = env.config().kind(e.kind);
    Message late = late_text(e, env);
    std::string english = late.english();
    auto it = translated.find(english);
    if (it == translated.end()) it = translated.emplace(std::move(english), late.render(env.lang())).first;
    return {e.ref, clock_label(env, e.obligation), dept_name(env, e.owner), e.assignee, k ? k->name : e.kind,
            env.show_time(e.due), it->second, e.subject};
  }
  return {e.ref, e.obligation, e.owner, e.assignee, e.kind, env.calendar().format_iso(e.due),
          e.overdue ? "yes" : "no", std::to_string(e.late_working_days), std::to_string(e.late_working_seconds),
          e.subject};
}

}  // namespace

static void run_overdue(const OverdueOptions& o, Env& env) {
  const OverdueRequest req = build_request(o, env);
  const RenderOptions options = env.render_options();
  const Format format = options.format;
  const bool display = format == Format::table || format == Format::md;
  const std::vector<std::string>& keys = display ? kDisplayColumns : kDataColumns;
  std::vector<Column> columns;
  for (const auto& key : keys)
    columns.push_back({key, display ? label(env, key == "due" ? "deadline" : key) : key, key == "late" || key.starts_with("late_"),
                       key == "subject"});
  fit_record_columns(columns);
  const bool quiet = env.options.quiet;
  Translations translated;
  std::int64_t count = 0;
  // Aligned formats need every row first; the others are written row by row. The
  // writer begins with the first row, so nothing at all is written when nothing is due.
  // Subjects above the user's clearance come redacted.
  RowWriter writer(std::cout, options);
  each_overdue(env.context(), req, [&](const OverdueEntry& e) {
    ++count;
    if (quiet) return;
    if (count == 1) writer.begin(columns);
    if (format == Format::json || format == Format::jsonl) writer.object(entry_json(e, env));
    else writer.row(row_of(e, env, display, translated));
  });
  if (count == 0) return;  // nothing at all, in every format
  if (!quiet) writer.end();
  if (o.exit_status) env.exit_status = ExitCode::condition;
}

Runner register_overdue(CLI::App& app, Env& env) {
  auto o = std::make_shared<OverdueOptions>();
  app.add_option("--within", o->within, "also what falls due within this time, e.g. 2wd, 8wh, 24h");
  app.add_option("--dept", o->dept, "owner department id(s); me: the acting user's");
  app.add_option("--assignee", o->assignee, "assignee user id(s); me: the acting user");
  app.add_option("--kind", o->kind, "kind id(s)");
  app.add_flag("--exit-status", o->exit_status, "exit 3 when anything is listed");
  return [o, &env] { run_overdue(*o, env); };
}

}  // namespace liaison::cli
