// liaison deadline explain REF: how each deadline was computed — the days counted, the
// holidays, makeup days and weekends skipped, the pauses.
#include <fmt/format.h>

#include "common.h"

namespace liaison::cli {

struct DeadlineExplainOptions {
  std::string ref;
};

static std::string day_text(date::sys_days d) {
  date::year_month_day ymd{d};
  static const char* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  return fmt::format("{:04}-{:02}-{:02} {}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()), names[date::weekday{d}.c_encoding()]);
}

Runner register_deadline_explain(CLI::App& app, Env& env) {
  auto o = std::make_shared<DeadlineExplainOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  return [o, &env] {
    Context ctx = env.context();
    auto clocks = explain_deadlines(ctx, o->ref);
    const WorkCalendar& cal = env.calendar();
    if (env.format() == Format::json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : clocks) {
        nlohmann::json steps = nlohmann::json::array();
        for (const auto& s : e.steps)
          steps.push_back({{"date", day_text(s.date).substr(0, 10)}, {"reason", s.reason}, {"holiday", s.holiday},
                           {"working_seconds", s.working_seconds}, {"day_number", s.day_number}});
        out.push_back({{"clock", e.clock.name},
                       {"duration", e.clock.duration},
                       {"started_at", cal.format_iso(e.clock.started_at)},
                       {"due", e.clock.due ? nlohmann::json(cal.format_iso(*e.clock.due)) : nlohmann::json(nullptr)},
                       {"paused_seconds", e.clock.paused_seconds},
                       {"used_seconds", e.used_seconds},
                       {"met", e.met ? nlohmann::json(*e.met) : nlohmann::json(nullptr)},
                       {"provisional", e.clock.provisional},
                       {"config_hash", e.clock.config_hash},
                       {"steps", steps}});
      }
      print(render_json(out));
      return;
    }
    std::string out;
    for (const auto& e : clocks) {
      const Clock& c = e.clock;
      if (!out.empty()) out += "\n";
      out += fmt::format("{} clock: {} from {} (timezone {})\n", label(env, c.name), c.duration,
                         cal.format_iso(c.started_at), cal.timezone());
      for (const auto& s : e.steps) {
        std::string what;
        if (s.reason == "holiday") what = fmt::format("rest day ({})", s.holiday);
        else if (s.reason == "makeup") what = fmt::format("makeup working day (调休, {})", s.holiday);
        else if (s.reason == "weekend") what = "weekend";
        else if (s.reason == "override") what = fmt::format("company override{}", s.holiday.empty() ? "" : " (" + s.holiday + ")");
        else what = "working day";
        std::string counted = s.working_seconds ? fmt::format("{} counted", format_seconds(s.working_seconds)) : "not counted";
        std::string number = s.day_number > 0 ? fmt::format("  → working day {}", s.day_number)
                             : s.day_number == 0 && &s == &e.steps.front() ? "  (day of receipt, day 0)" : "";
        out += fmt::format("  {}  {:<40} {}{}\n", day_text(s.date), what, counted, number);
      }
      if (e.steps.empty()) out += "  calendar time: holidays and weekends count\n";
      if (c.paused_seconds) out += fmt::format("  paused for {} in all; the deadline moved by that\n", format_seconds(c.paused_seconds));
      if (c.due) out += fmt::format("  due {}{}\n", cal.format_iso(*c.due), c.provisional ? " (provisional: a year with no holiday notice)" : "");
      out += fmt::format("  used {}{}\n", format_seconds(e.used_seconds),
                         e.met ? (*e.met ? ", met" : ", missed") : "");
      out += fmt::format("  set by config {}\n", c.config_hash.substr(0, 12));
    }
    if (clocks.empty()) out = "this record's kind sets no deadlines\n";
    print(out);
  };
}

}  // namespace liaison::cli
