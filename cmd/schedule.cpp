// liaison schedule run [--since DATE] [--dry-run] [ID…]: files the record of each
// recurring obligation ([[schedule]]) whose day has come, once per period however often
// it runs (daily from cron); schedule list [ID…] [--next N]: what is coming and what was
// filed (liaison-schedule(1)).
#include <iostream>

#include <fmt/format.h>

#include "common.h"
#include "row_writer.h"
#include "schedule.h"

namespace liaison::cli {

namespace {

struct RunOptions {
  std::string since;
  bool dry_run = false;
  std::vector<std::string> ids;
};

struct ListOptions {
  int next = 3;
  std::vector<std::string> ids;
};

/// When a schedule falls, as its config says: "month day 1", "quarter 1,4,7,10 day -5",
/// "month working_day 3", "week mon", "year 12 day 25".
std::string recurrence(const Schedule& s) {
  static const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  if (s.every == "week") return fmt::format("week {}", kDays[s.weekday - 1]);
  std::string months;
  for (int m : s.months) months += (months.empty() ? "" : ",") + std::to_string(m);
  const std::string day = s.day ? fmt::format("day {}", s.day) : fmt::format("working_day {}", s.working_day);
  return s.every == "month" ? "month " + day : fmt::format("{} {} {}", s.every, months, day);
}

std::string iso_date(date::sys_days d) { return date::format("%F", d); }

nlohmann::json occurrence_json(const Occurrence& o) {
  return {{"schedule", o.schedule->id}, {"period", o.period}, {"date", iso_date(o.date)},
          {"subject", occurrence_subject(o)}};
}

void run_run(const RunOptions& o, Env& env) {
  Context ctx = env.context();
  std::optional<date::sys_days> since;
  if (!o.since.empty()) since = env.calendar().local_date(env.parse_time(o.since, "--since"));
  const ScheduleRun run = run_schedules(ctx, since, o.ids, o.dry_run);
  const RenderOptions options = env.render_options();
  if (options.format == Format::json) {
    nlohmann::json out = {{"filed", nlohmann::json::array()}, {"before", nlohmann::json::array()},
                          {"failed", nlohmann::json::array()}, {"dry_run", o.dry_run}};
    for (const auto& [occ, r] : run.filed) {
      auto j = occurrence_json(occ);
      j["ref"] = o.dry_run ? nlohmann::json(nullptr) : nlohmann::json(r.ref);
      out["filed"].push_back(std::move(j));
    }
    for (const auto& [occ, ref] : run.before) {
      auto j = occurrence_json(occ);
      j["ref"] = ref;
      out["before"].push_back(std::move(j));
    }
    for (const ScheduleFailure& f : run.failed) {
      auto j = occurrence_json(f.occurrence);
      j["error"] = f.message.render(env.lang());
      out["failed"].push_back(std::move(j));
    }
    print(render_json(out));
  } else {
    // What it filed, a row each; nothing when there was nothing to do (cron stays quiet).
    const bool display = options.format == Format::table || options.format == Format::md;
    auto head = [&](const char* key, const char* shown) { return display ? label(env, shown) : std::string(key); };
    RowWriter writer(std::cout, options);
    writer.begin({{"ref", head("ref", "ref")},
                  {"schedule", head("schedule", "schedule")},
                  {"period", head("period", "period")},
                  {"date", head("date", "date")},
                  {"subject", head("subject", "subject"), false, true}});
    for (const auto& [occ, r] : run.filed)
      writer.row(std::vector<std::string>{o.dry_run ? "-" : r.ref, occ.schedule->id, occ.period, iso_date(occ.date),
                                          r.subject});
    writer.end();
  }
  for (const ScheduleFailure& f : run.failed)
    print_error(env.lang(), msg<Msg::schedule_not_filed>(f.occurrence.schedule->id, f.occurrence.period, f.message), f.hint);
  if (!run.failed.empty())
    throw DataError(msg<Msg::schedules_not_filed>(run.failed.size()), msg<Msg::fix_schedule_then_run>());
}

void run_list(const ListOptions& o, Env& env) {
  if (o.next < 0 || o.next > 100) throw UsageError(msg<Msg::next_out_of_range>(o.next));
  Context ctx = env.context();
  const auto statuses = schedule_statuses(ctx, o.ids, static_cast<std::size_t>(o.next));
  const RenderOptions options = env.render_options();
  if (options.format == Format::json) {
    nlohmann::json out = nlohmann::json::array();
    for (const ScheduleStatus& st : statuses) {
      const Schedule& s = *st.schedule;
      nlohmann::json j = {{"id", s.id},       {"kind", s.kind},         {"owner", s.owner},
                          {"every", s.every}, {"when", recurrence(s)},  {"subject", s.subject},
                          {"due", s.due ? nlohmann::json(s.due->text()) : nlohmann::json(nullptr)},
                          {"next", nlohmann::json::array()}, {"filed", nlohmann::json::array()}};
      for (const Occurrence& occ : st.next) j["next"].push_back(occurrence_json(occ));
      for (const auto& [period, ref] : st.filed) j["filed"].push_back({{"period", period}, {"ref", ref}});
      out.push_back(std::move(j));
    }
    print(render_json(out));
    return;
  }
  const bool display = options.format == Format::table || options.format == Format::md;
  auto head = [&](const char* key, const char* shown) { return display ? label(env, shown) : std::string(key); };
  RowWriter writer(std::cout, options);
  writer.begin({{"schedule", head("schedule", "schedule")},
                {"kind", head("kind", "kind")},
                {"owner", head("owner", "owner")},
                {"when", head("when", "recurrence")},
                {"next", head("next", "next")},
                {"filed", head("filed", "filed"), true},
                {"last", head("last", "last filed")}});
  for (const ScheduleStatus& st : statuses) {
    const Schedule& s = *st.schedule;
    std::string next;
    for (const Occurrence& occ : st.next) next += (next.empty() ? "" : " ") + iso_date(occ.date);
    writer.row(std::vector<std::string>{s.id, s.kind, s.owner, recurrence(s), next, std::to_string(st.filed.size()),
                                        st.filed.empty() ? "" : st.filed.back().second + " (" + st.filed.back().first + ")"});
  }
  writer.end();
}

}  // namespace

Runner register_schedule_run(CLI::App& app, Env& env) {
  auto o = std::make_shared<RunOptions>();
  app.add_option("id", o->ids, "only these schedules (default: all)");
  app.add_option("--since", o->since, "file what fell due from this date on (default: the last 31 days)");
  app.add_flag("--dry-run", o->dry_run, "say what would be filed, file nothing");
  return [o, &env] { run_run(*o, env); };
}

Runner register_schedule_list(CLI::App& app, Env& env) {
  auto o = std::make_shared<ListOptions>();
  app.add_option("id", o->ids, "only these schedules (default: all)");
  app.add_option("--next", o->next, "how many coming occurrences to show (default 3)");
  return [o, &env] { run_list(*o, env); };
}

}  // namespace liaison::cli
