// liaison report: the summary of a period for management review (月度汇总), in text,
// Markdown, CSV, JSON or HTML. The figures are defined in liaison-report(1).
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <array>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <ostream>
#include <streambuf>
#include <system_error>

#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "report.h"
#include "report_html.h"
#include "report_render.h"
#include "output.h"
#include "reads.h"

namespace liaison::cli {

struct ReportOptions {
  std::string period, from, to, direction, out;
  std::string details = std::to_string(kDefaultReportDetails);  ///< a count, or "all"
  std::vector<std::string> dept, kind, party_type;
  bool if_first_working_day = false;
};

namespace {

Period period_of(const ReportOptions& o, const Env& env) {
  bool between = !o.from.empty() || !o.to.empty();
  if (!o.period.empty() && between)
    throw UsageError(msg<Msg::give_either_period_from_not_both>(), msg<Msg::see_man_liaison_report>());
  if (!o.period.empty()) {
    if (auto p = parse_period(o.period, env.calendar(), env.now())) return *p;
    throw UsageError(msg<Msg::period_cannot_read_period>(o.period),
                     msg<Msg::write_month_2026_10_quarter_2026>());
  }
  if (!between) throw UsageError(msg<Msg::no_period_given>(), msg<Msg::give_period_2026_10_2026_q3>());
  if (o.from.empty() || o.to.empty()) throw UsageError(msg<Msg::from_go_together>(), msg<Msg::give_both_exclusive>());
  TimePoint from = env.parse_time(o.from, "--from");
  TimePoint to = env.parse_time(o.to, "--to", WorkCalendar::Bound::end);
  if (auto p = period_between(from, to, env.calendar())) return *p;
  throw UsageError(msg<Msg::from_not_before>(o.from, o.to), msg<Msg::exclusive_must_come_after_from>());
}

ReportFilter filter_of(const ReportOptions& o, Env& env) {
  const Config& config = env.config();
  ReportFilter f;
  f.departments = departments_or_mine(env.context(), split_list(o.dept), "--dept");
  check_filter_departments(config, f.departments);
  f.kinds = split_list(o.kind);
  check_filter_kinds(config, f.kinds);
  if (!o.direction.empty()) f.direction = direction_option(o.direction);
  f.party_types = split_list(o.party_type);
  check_filter_party_types(config, f.party_types);
  return f;
}

/// --details: how many records each list shows, nullopt for all of them. 0 lists none
/// (the counts alone).
std::optional<std::int64_t> details_of(const std::string& text) {
  if (text == "all") return std::nullopt;
  std::int64_t n = -1;
  const char* last = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), last, n);
  const bool digits = error == std::errc{} && stop == last && n >= 0;
  if (!digits) throw UsageError(msg<Msg::details_must_be_number_or_all>(text), msg<Msg::see_man_liaison_report>());
  return n;
}

}  // namespace

static void run_report(const ReportOptions& o, Env& env) {
  std::string format = env.options.format.empty() ? "text" : env.options.format;
  if (format != "text" && format != "md" && format != "csv" && format != "json" && format != "html")
    throw UsageError(msg<Msg::unknown_format>(format),
                     msg<Msg::report_formats_are>());
  Period period = period_of(o, env);
  ReportFilter filter = filter_of(o, env);
  std::optional<std::int64_t> details = details_of(o.details);
  if (o.if_first_working_day && !is_first_working_day_of_month(env.now(), env.calendar())) return;

  // The records it lists come with their subjects redacted above the user's clearance.
  Report report = read_report(env.context(), period, filter, LIAISON_VERSION, format == "html", details);
  Lang lang = env.lang();
  // Written as it is made: on a large database the report's text is many times the
  // size of the report itself.
  auto render = [&](std::ostream& out) {
    if (format == "csv" && env.csv_bom()) out << kUtf8Bom;  // --bom, [report] csv_bom: for Excel
    if (format == "json") write_report_json(report, env.calendar(), out);
    else if (format == "csv") render_report_csv(report, env.config(), env.calendar(), lang, out);
    else if (format == "md") render_report_md(report, env.config(), env.calendar(), lang, out);
    else if (format == "html") render_report_html(report, env.config(), lang, out);
    else render_report_text(report, env.config(), env.calendar(), lang, out);
  };
  if (o.out.empty()) {
    std::fflush(stdout);
    StdoutBuffer buffer;
    std::ostream out(&buffer);
    render(out);
    out.flush();
  } else {
    write_file(o.out, render);
  }
}

Runner register_report(CLI::App& app, Env& env) {
  auto o = std::make_shared<ReportOptions>();
  app.add_option("--period", o->period, "2026-10 (month), 2026-Q3 (quarter), 2026 (year), this-month, last-month, this-quarter, last-quarter, this-year or last-year");
  app.add_option("--from", o->from, "start of the period (with --to), e.g. 2026-10-01");
  app.add_option("--to", o->to, "end of the period, exclusive (with --from)");
  app.add_option("--dept", o->dept, "only records owned by these department(s); me: the acting user's");
  app.add_option("--kind", o->kind, "only records of these kind(s)");
  app.add_option("--direction", o->direction, "only internal or only external records");
  app.add_option("--party-type", o->party_type, "only records with a party of these type(s)");
  app.add_option("--details", o->details,
                 "how many overdue and major records to list: a number (default 50; 0 lists none) or all");
  app.add_option("--out", o->out, "write the report to this file instead of standard output");
  app.add_flag("--if-first-working-day", o->if_first_working_day,
               "do nothing unless today is the first working day of the month (for cron)");
  return [o, &env] { run_report(*o, env); };
}

}  // namespace liaison::cli
