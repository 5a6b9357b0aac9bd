#include "report.h"

#include <algorithm>
#include <cstdlib>
#include <future>

#include <date/date.h>
#include <fmt/format.h>

namespace liaison {

namespace {

using namespace date;

/// [first day, first day of the next period) and the same for the one before, as local
/// dates turned into moments at local midnight.
Period make_period(std::string label, sys_days first, sys_days next, sys_days previous_first,
                   const WorkCalendar& calendar) {
  Period p;
  p.label = std::move(label);
  p.from = calendar.at_local(first, 0);
  p.to = calendar.at_local(next, 0);
  p.previous_from = calendar.at_local(previous_first, 0);
  p.previous_to = p.from;
  return p;
}

/// Digits only, all of them; nullopt otherwise.
std::optional<int> number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

std::optional<Period> parse_period(std::string_view text, const WorkCalendar& calendar) {
  if (text.size() < 4) return std::nullopt;
  auto y = number(text.substr(0, 4));
  if (!y || *y < 1970 || *y > 9999) return std::nullopt;
  year yr{*y};
  if (text.size() == 4)
    return make_period(std::string(text), sys_days{yr / January / 1}, sys_days{(yr + years{1}) / January / 1},
                       sys_days{(yr - years{1}) / January / 1}, calendar);
  if (text[4] != '-') return std::nullopt;
  std::string_view rest = text.substr(5);
  if (rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'q')) {
    auto q = number(rest.substr(1));
    if (!q || *q < 1 || *q > 4) return std::nullopt;
    year_month first = yr / month{static_cast<unsigned>(3 * (*q - 1) + 1)};
    return make_period(std::string(text.substr(0, 5)) + "Q" + std::string(rest.substr(1)),
                       sys_days{first / 1}, sys_days{(first + months{3}) / 1}, sys_days{(first - months{3}) / 1},
                       calendar);
  }
  if (rest.size() == 2) {
    auto m = number(rest);
    if (!m || *m < 1 || *m > 12) return std::nullopt;
    year_month first = yr / month{static_cast<unsigned>(*m)};
    return make_period(std::string(text), sys_days{first / 1}, sys_days{(first + months{1}) / 1},
                       sys_days{(first - months{1}) / 1}, calendar);
  }
  return std::nullopt;
}

std::optional<Period> parse_period(std::string_view text, const WorkCalendar& calendar, TimePoint now) {
  const year_month_day today{calendar.local_date(now)};
  const year_month this_month{today.year(), today.month()};
  // The month, quarter or year `now` falls in ("this-"), or the one before it ("last-").
  const bool this_one = text.starts_with("this-");
  if (!this_one && !text.starts_with("last-")) return parse_period(text, calendar);
  const std::string_view unit = text.substr(5);
  if (unit == "month") {
    const year_month m = this_one ? this_month : this_month - months{1};
    return parse_period(fmt::format("{:04}-{:02}", static_cast<int>(m.year()), static_cast<unsigned>(m.month())),
                        calendar);
  }
  if (unit == "quarter") {
    const year_month first{this_month.year(), month{(static_cast<unsigned>(this_month.month()) - 1) / 3 * 3 + 1}};
    const year_month q = this_one ? first : first - months{3};
    return parse_period(fmt::format("{:04}-Q{}", static_cast<int>(q.year()), (static_cast<unsigned>(q.month()) + 2) / 3),
                        calendar);
  }
  if (unit == "year") {
    const year y = this_one ? today.year() : today.year() - years{1};
    return parse_period(fmt::format("{:04}", static_cast<int>(y)), calendar);
  }
  return std::nullopt;
}

std::optional<Period> period_between(TimePoint from, TimePoint to, const WorkCalendar& calendar) {
  if (!(from < to)) return std::nullopt;
  Period p;
  p.from = from;
  p.to = to;
  p.previous_to = from;
  p.previous_from = from - (to - from);
  // Local dates when both ends are local midnights, the full times otherwise.
  auto show = [&](TimePoint t) {
    if (calendar.at_local(calendar.local_date(t), 0) == t) return date::format("%F", calendar.local_date(t));
    return calendar.format_iso(t);
  };
  p.label = show(from) + ".." + show(to);
  return p;
}

bool is_first_working_day_of_month(TimePoint now, const WorkCalendar& calendar) {
  sys_days today = calendar.local_date(now);
  if (!calendar.day(today).working) return false;
  year_month_day ymd{today};
  for (sys_days d = sys_days{ymd.year() / ymd.month() / 1}; d < today; d += days{1})
    if (calendar.day(d).working) return false;
  return true;
}

TimePoint period_end(TimePoint from, TimePoint to, TimePoint now) { return std::max(from, std::min(to, now)); }

namespace {

/// The headline figures of [from, end).
Totals totals(const FlowCounts& flow, const std::vector<Timeliness>& timeliness, const std::vector<Count>& overdue) {
  Totals t;
  t.received = flow.received;
  t.closed = flow.closed;
  t.open_at_end = flow.open_at_end;
  for (const auto& c : overdue) t.overdue_at_end += c.count;
  if (!timeliness.empty()) {
    const Timeliness& all = timeliness.front();
    t.ack_count = all.ack_count;
    t.ack_on_time = all.ack_on_time;
    t.resolve_count = all.resolve_count;
    t.resolve_on_time = all.resolve_on_time;
  }
  return t;
}

}  // namespace

std::unique_ptr<ReportSnapshot> report_snapshot(Store& store, SecondReader second) {
  std::unique_ptr<ReportSnapshot> snapshot = store.report_snapshot(second);
  require(store, snapshot.get(), msg<Msg::can_compute_report_figures>());
  return snapshot;
}

namespace {

/// The sections computed on the snapshot's second reader, beside the rest.
struct SidePart {
  Volume volume;
  Suggestions suggestions;
  Totals previous;
};

/// Runs `side_part` on the snapshot's second reader on a second thread while `main_part`
/// runs here on the first, or both here one after the other when there is no second reader.
template <class SideFn, class MainFn>
auto side_by_side(ReportSnapshot& snapshot, SideFn side_part, MainFn main_part) {
  if (ReportQueries* side = snapshot.side()) {
    auto later = std::async(std::launch::async, [&side_part, side] { return side_part(*side); });
    main_part(snapshot.main());
    return later.get();  // its exception, if any, rethrown here
  }
  auto result = side_part(snapshot.main());
  main_part(snapshot.main());
  return result;
}

}  // namespace

Report build_report(const Config& config, const WorkCalendar& calendar, Store& store, ReportSnapshot& snapshot,
                    const Period& period, const ReportFilter& filter, TimePoint now, std::string_view version,
                    std::optional<std::int64_t> details) {
  Report r;
  r.period = period;
  r.details = details;
  TimePoint end = period_end(period.from, period.to, now);
  TimePoint previous_end = period_end(period.previous_from, period.previous_to, now);
  // Two halves of about equal cost (at a million records: the previous period's figures, the
  // volume and suggestions; then flow, timeliness, overdue and major), side by side.
  SidePart side = side_by_side(
      snapshot,
      [&](ReportQueries& q) {
        SidePart part;
        part.volume = q.report_volume(filter, period.from, end, config.report.complaint_kinds, config.report.top_parties);
        part.suggestions = q.report_suggestions(filter, period.from, end, config.report.suggestion_kinds);
        part.previous = totals(q.report_flow(filter, period.previous_from, previous_end),
                               q.report_timeliness(filter, period.previous_from, previous_end, true),
                               q.report_overdue_by_owner(filter, previous_end));
        return part;
      },
      [&](ReportQueries& q) {
        r.flow = q.report_flow(filter, period.from, end);
        r.timeliness = q.report_timeliness(filter, period.from, end, false);
        r.obligations = q.report_obligations(filter, period.from, end);
        // The store's order, earliest due first, is the most late first: the first `details`
        // it returns are the ones the report lists.
        OverdueAtEnd overdue = q.report_overdue(filter, end, details);
        r.overdue = std::move(overdue.first);
        r.overdue_by_owner = std::move(overdue.by_owner);
        r.major = q.report_major(filter, period.from, end);
      });
  r.volume = std::move(side.volume);
  r.suggestions = std::move(side.suggestions);
  r.previous = side.previous;
  WorkCalendar::SecondsUntil late(calendar, end);
  for (OverdueItem& o : r.overdue) {
    o.late_working_seconds = late.from(o.due);
    o.late_working_days = calendar.working_days_between(o.due, end);
  }
  for (const Count& c : r.overdue_by_owner) r.overdue_total += c.count;
  // Most late first; the store's order (earliest due, then reference) breaks ties.
  std::stable_sort(r.overdue.begin(), r.overdue.end(), [](const OverdueItem& a, const OverdueItem& b) {
    if (a.late_working_days != b.late_working_days) return a.late_working_days > b.late_working_days;
    return a.late_working_seconds > b.late_working_seconds;
  });
  r.major_total = static_cast<std::int64_t>(r.major.size());
  if (details && r.major_total > *details) r.major.resize(static_cast<std::size_t>(*details));
  r.current = totals(r.flow, r.timeliness, r.overdue_by_owner);

  Provenance& p = r.provenance;
  p.period = period.label;
  p.from = period.from;
  p.to = period.to;
  p.end = end;
  p.now = now;
  p.version = std::string(version);
  // Read on the store's own connection, so inside the snapshot's read transaction too.
  p.last_event_id = store.last_event_id();
  p.checkpoint = store.latest_checkpoint();
  p.config_hash = config.hash;
  p.timezone = calendar.timezone();
  p.filter = filter;
  return r;
}

Report build_report(const Config& config, const WorkCalendar& calendar, Store& store, const Period& period,
                    const ReportFilter& filter, TimePoint now, std::string_view version,
                    std::optional<std::int64_t> details) {
  std::unique_ptr<ReportSnapshot> snapshot = report_snapshot(store);
  return build_report(config, calendar, store, *snapshot, period, filter, now, version, details);
}

std::vector<TrendMonth> build_trend(const WorkCalendar& calendar, ReportSnapshot& snapshot, const Period& period,
                                    const ReportFilter& filter, TimePoint now) {
  // The month of the period's last instant, in the organisation's zone ("2026-10-…").
  const std::string last = calendar.format_iso(period.to - std::chrono::seconds(1));
  int year = std::stoi(last.substr(0, 4));
  int month = std::stoi(last.substr(5, 2));
  std::vector<TrendMonth> months(12);
  for (int i = 11; i >= 0; --i) {
    months[static_cast<std::size_t>(i)].label = fmt::format("{:04}-{:02}", year, month);
    if (--month == 0) {
      month = 12;
      --year;
    }
  }
  // Each month's bounds here; then its figures, the months at odd places on the second
  // reader and the others on this one.
  std::vector<std::optional<Period>> bounds;
  for (const TrendMonth& m : months) bounds.push_back(parse_period(m.label, calendar));
  auto compute = [&](ReportQueries& q, std::size_t first) {
    for (std::size_t i = first; i < months.size(); i += 2) {
      if (const std::optional<Period>& p = bounds[i]) {
        TimePoint end = period_end(p->from, p->to, now);
        months[i].totals = totals(q.report_flow(filter, p->from, end), q.report_timeliness(filter, p->from, end, true),
                                  q.report_overdue_by_owner(filter, end));
      }
    }
    return 0;
  };
  side_by_side(snapshot, [&](ReportQueries& q) { return compute(q, 1); }, [&](ReportQueries& q) { compute(q, 0); });
  return months;
}

std::vector<TrendMonth> build_trend(const WorkCalendar& calendar, Store& store, const Period& period,
                                    const ReportFilter& filter, TimePoint now) {
  std::unique_ptr<ReportSnapshot> snapshot = report_snapshot(store);
  return build_trend(calendar, *snapshot, period, filter, now);
}

std::string checkpoint_summary(const std::optional<Checkpoint>& c) {
  if (!c) return {};
  return fmt::format("#{} · {} · key {}", c->event_id, date::format("%FT%TZ", c->at), c->public_key.substr(0, 16));
}

}  // namespace liaison
