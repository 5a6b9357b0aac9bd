// liaison deadline explain REF: how each deadline was computed — the days counted, the
// holidays, makeup days and weekends skipped, the pauses.
#include <fmt/format.h>

#include "common.h"

namespace liaison::cli {

struct DeadlineExplainOptions {
  std::string ref;
};

/// "2026-09-29 Tue" ("2026-09-29 周二").
static std::string day_text(date::sys_days d, const Env& env) {
  date::year_month_day ymd{d};
  static const char* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  return fmt::format("{:04}-{:02}-{:02} {}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()), label(env, names[date::weekday{d}.c_encoding()]));
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
          steps.push_back({{"date", day_text(s.date, env).substr(0, 10)}, {"reason", s.reason}, {"holiday", s.holiday},
                           {"working_seconds", s.working_seconds}, {"day_number", s.day_number}});
        out.push_back({{"clock", e.clock.name},
                       {"duration", e.clock.duration},
                       {"started_at", cal.format_iso(e.clock.started_at)},
                       {"due", e.clock.due ? nlohmann::json(cal.format_iso(*e.clock.due)) : nlohmann::json(nullptr)},
                       {"paused_seconds", e.clock.paused_seconds},
                       {"used_seconds", e.used_seconds},
                       {"met", e.met ? nlohmann::json(*e.met) : nlohmann::json(nullptr)},
                       {"provisional", e.clock.provisional},
                       {"given", e.clock.given},
                       {"schedule", e.schedule.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.schedule)},
                       {"config_hash", e.clock.config_hash},
                       {"steps", steps}});
      }
      print(render_json(out));
      return;
    }
    const Lang lang = env.lang();
    auto text = [lang](const Message& m) { return m.render(lang); };
    std::string out;
    for (const auto& e : clocks) {
      const Clock& c = e.clock;
      if (!out.empty()) out += "\n";
      // A moment the sender gave has no duration to show or days to count.
      out += text(c.duration.empty()
                      ? msg<Msg::explain_clock_from>(clock_label(env, c.name), cal.format_iso(c.started_at), cal.timezone())
                      : msg<Msg::explain_clock>(clock_label(env, c.name), duration_text(env, c.duration),
                                                cal.format_iso(c.started_at), cal.timezone())) +
             "\n";
      if (c.given)
        out += "  " +
               text(action_number(c.name) ? msg<Msg::explain_given_action>()
                    : e.schedule.empty()  ? msg<Msg::explain_given>()
                                          : msg<Msg::explain_given_schedule>(e.schedule)) +
               "\n";
      for (const auto& s : e.steps) {
        std::string what;
        if (s.reason == "holiday") what = text(msg<Msg::explain_rest_day>(s.holiday));
        else if (s.reason == "makeup") what = text(msg<Msg::explain_makeup_day>(s.holiday));
        else if (s.reason == "weekend") what = label(env, "weekend");
        else if (s.reason == "override")
          what = s.holiday.empty() ? text(msg<Msg::explain_override>()) : text(msg<Msg::explain_override_named>(s.holiday));
        else what = text(msg<Msg::explain_working_day>());
        std::string counted = s.working_seconds ? text(msg<Msg::explain_counted>(format_seconds(s.working_seconds, lang)))
                                                : text(msg<Msg::explain_not_counted>());
        std::string number = s.day_number > 0 ? "  " + text(msg<Msg::explain_day_number>(s.day_number))
                             : s.day_number == 0 && &s == &e.steps.front() ? "  " + text(msg<Msg::explain_day_of_receipt>())
                                                                            : "";
        out += fmt::format("  {}  {:<40} {}{}\n", day_text(s.date, env), what, counted, number);
      }
      if (e.steps.empty() && !c.duration.empty()) out += "  " + text(msg<Msg::explain_calendar_time>()) + "\n";
      if (c.paused_seconds) out += "  " + text(msg<Msg::explain_paused>(format_seconds(c.paused_seconds, lang))) + "\n";
      if (c.due)
        out += "  " + text(msg<Msg::event_due>(cal.format_iso(*c.due))) +
               (c.provisional ? (lang == Lang::zh ? "" : " ") + text(msg<Msg::explain_provisional>()) : "") + "\n";
      const std::string used = format_seconds(e.used_seconds, lang);
      out += "  " +
             text(!e.met ? msg<Msg::explain_used>(used)
                  : *e.met ? msg<Msg::explain_used_met>(used)
                           : msg<Msg::explain_used_missed>(used)) +
             "\n";
      out += "  " + text(msg<Msg::explain_set_by>(c.config_hash.substr(0, 12))) + "\n";
    }
    if (clocks.empty()) out = text(msg<Msg::explain_no_deadlines>()) + "\n";
    print(out);
  };
}

}  // namespace liaison::cli
