#include "schedule.h"

#include <algorithm>

#include <fmt/format.h>

#include "errors.h"
#include "ids.h"
#include "messages.h"

namespace liaison {

namespace {

using date::days;
using date::sys_days;
using date::year_month_day;

/// The last day of a month.
sys_days last_of(date::year y, date::month m) { return sys_days{y / m / date::last}; }

/// The day a monthly (or quarterly, yearly) schedule falls on in month `m` of `y`; none
/// when it names a working day the month does not have.
std::optional<sys_days> day_in_month(const WorkCalendar& calendar, const Schedule& s, date::year y, date::month m) {
  const sys_days first{y / m / 1};
  const sys_days last = last_of(y, m);
  if (s.day > 0) return std::min(first + days{s.day - 1}, last);
  if (s.day < 0) return std::max(last + days{s.day + 1}, first);
  // The Nth working day, from the first or (negative) back from the last; makeup days
  // (调休) are working days, holidays are not.
  int counted = 0;
  const int wanted = s.working_day > 0 ? s.working_day : -s.working_day;
  for (sys_days d = s.working_day > 0 ? first : last; d >= first && d <= last; d += days{s.working_day > 0 ? 1 : -1})
    if (calendar.day(d).working && ++counted == wanted) return d;
  return std::nullopt;
}

/// ISO 8601 week of a date: "2026-W41" (the year of its Thursday).
std::string iso_week(sys_days d) {
  const date::weekday wd{d};
  const sys_days thursday = d - days{(wd.iso_encoding() - 1)} + days{3};
  const year_month_day ymd{thursday};
  const sys_days jan1{ymd.year() / 1 / 1};
  const int week = static_cast<int>((thursday - jan1).count() / 7 + 1);
  return fmt::format("{}-W{:02}", static_cast<int>(ymd.year()), week);
}

/// The fields of a period for a subject: {year}, {month}, {quarter}, {week}, {period}.
std::string fill(const std::string& text, const Occurrence& o) {
  const year_month_day ymd{o.date};
  const unsigned month = static_cast<unsigned>(ymd.month());
  const std::string week = iso_week(o.date);
  // A week's year is its ISO year (2026-12-28 is in 2026-W53; 2024-12-30 in 2025-W01).
  const std::string year = o.schedule->every == "week" ? week.substr(0, 4) : std::to_string(static_cast<int>(ymd.year()));
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t close = text[i] == '{' ? text.find('}', i) : std::string::npos;
    if (close == std::string::npos) {
      out += text[i++];
      continue;
    }
    const std::string field = text.substr(i + 1, close - i - 1);
    if (field == "year") out += year;
    else if (field == "month") out += std::to_string(month);
    else if (field == "quarter") out += std::to_string((month - 1) / 3 + 1);
    else if (field == "week") out += std::to_string(std::stoi(week.substr(week.size() - 2)));
    else if (field == "period") out += o.period;
    else out += text.substr(i, close - i + 1);
    i = close + 1;
  }
  return out;
}

/// The schedules `only` names (all when empty); NotFoundError for an unknown id.
std::vector<const Schedule*> chosen(const Config& config, const std::vector<std::string>& only) {
  std::vector<const Schedule*> out;
  std::vector<std::string> ids;
  for (const Schedule& s : config.schedules) ids.push_back(s.id);
  for (const std::string& id : only)
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      std::string listed;
      for (const std::string& known : ids) listed += (listed.empty() ? "" : ", ") + known;
      throw NotFoundError(msg<Msg::no_schedule>(id), did_you_mean_hint(id, ids, ids.empty() ? msg<Msg::no_schedules_configured>()
                                                                                        : msg<Msg::its_schedules_are>(listed)));
    }
  for (const Schedule& s : config.schedules)
    if (only.empty() || std::find(only.begin(), only.end(), s.id) != only.end()) out.push_back(&s);
  return out;
}

}  // namespace

std::vector<Occurrence> occurrences(const WorkCalendar& calendar, const Schedule& s, sys_days from, sys_days to) {
  std::vector<Occurrence> out;
  if (s.start && *s.start > from) from = *s.start;
  if (to < from) return out;
  if (s.every == "week") {
    // The weekday of each week that has one in [from, to].
    const date::weekday first_wd{from};
    sys_days d = from + days{(s.weekday - static_cast<int>(first_wd.iso_encoding()) + 7) % 7};
    for (; d <= to; d += days{7}) out.push_back({&s, iso_week(d), d});
    return out;
  }
  const year_month_day a{from};
  const year_month_day b{to};
  for (date::year_month ym = a.year() / a.month(); ym <= b.year() / b.month(); ym += date::months{1}) {
    const unsigned m = static_cast<unsigned>(ym.month());
    std::string period;
    if (s.every == "month") {
      period = fmt::format("{}-{:02}", static_cast<int>(ym.year()), m);
    } else if (std::find(s.months.begin(), s.months.end(), static_cast<int>(m)) == s.months.end()) {
      continue;
    } else if (s.every == "quarter") {
      period = fmt::format("{}-Q{}", static_cast<int>(ym.year()), (m - 1) / 3 + 1);
    } else {
      period = std::to_string(static_cast<int>(ym.year()));
    }
    if (auto d = day_in_month(calendar, s, ym.year(), ym.month()); d && *d >= from && *d <= to)
      out.push_back({&s, std::move(period), *d});
  }
  return out;
}

std::string occurrence_subject(const Occurrence& o) { return fill(o.schedule->subject, o); }

ScheduleRun run_schedules(Context& ctx, std::optional<sys_days> since, const std::vector<std::string>& only,
                          bool dry_run) {
  const std::vector<const Schedule*> schedules = chosen(ctx.config, only);
  if (!dry_run) ctx.access().require_write(msg<Msg::action_file>());
  const sys_days today = ctx.calendar.local_date(ctx.now);
  const sys_days from = since.value_or(today - days{31});
  if (from > today)
    throw UsageError(msg<Msg::since_after_today>(date::format("%F", from)), msg<Msg::give_earlier_since>());
  ScheduleRun run;
  for (const Schedule* s : schedules)
    for (Occurrence& o : occurrences(ctx.calendar, *s, from, today)) {
      // Asked here without a lock, so a day with nothing to file takes no write lock;
      // file_record asks again inside its write transaction, which is what makes it once.
      if (auto ref = ctx.store.scheduled_record(s->id, o.period)) {
        run.before.emplace_back(std::move(o), *ref);
        continue;
      }
      FileRequest req;
      req.kind = s->kind;
      req.direction = Direction::internal;
      req.subject = occurrence_subject(o);
      const User* user = ctx.config.user(s->owner);
      req.owner = user && !ctx.config.department(s->owner) ? user->department : s->owner;
      if (user && !ctx.config.department(s->owner)) req.assignee = user->id;
      req.from_dept = req.owner;
      req.received_at = ctx.calendar.at_local(o.date, 0);
      req.due_within = s->due;
      req.schedule_id = s->id;
      req.schedule_period = o.period;
      if (dry_run) {
        Record r;
        r.kind = req.kind;
        r.subject = req.subject;
        r.owner = req.owner;
        r.assignee = req.assignee;
        r.received_at = *req.received_at;
        run.filed.emplace_back(std::move(o), std::move(r));
        continue;
      }
      try {
        FileResult result = file_record(ctx, req);
        if (result.filed_before) run.before.emplace_back(std::move(o), result.record.ref);  // another run, meanwhile
        else run.filed.emplace_back(std::move(o), std::move(result.record));
      } catch (const DataError& e) {
        run.failed.push_back({std::move(o), e.message(), e.hint_message()});
      } catch (const NotFoundError& e) {
        run.failed.push_back({std::move(o), e.message(), e.hint_message()});
      } catch (const StateError& e) {
        run.failed.push_back({std::move(o), e.message(), e.hint_message()});
      }
    }
  return run;
}

std::vector<ScheduleStatus> schedule_statuses(const Context& ctx, const std::vector<std::string>& only,
                                              std::size_t next_count) {
  std::vector<ScheduleStatus> out;
  const sys_days today = ctx.calendar.local_date(ctx.now);
  for (const Schedule* s : chosen(ctx.config, only)) {
    ScheduleStatus status;
    status.schedule = s;
    // A year ahead holds the next occurrences of any recurrence.
    for (sys_days from = today; status.next.size() < next_count && from <= today + days{366 * 2};
         from += days{366}) {
      for (Occurrence& o : occurrences(ctx.calendar, *s, from, from + days{365}))
        if (status.next.size() < next_count && !ctx.store.scheduled_record(s->id, o.period))
          status.next.push_back(std::move(o));
    }
    for (auto& [period, ref] : ctx.store.schedule_records(s->id))
      if (auto r = ctx.store.find_record(ref); r && ctx.access().may_read(r->level))
        status.filed.emplace_back(period, ref);
    out.push_back(std::move(status));
  }
  return out;
}

}  // namespace liaison
