// Summaries for management review (管理评审, 月度汇总): `liaison report`.
// Every figure is computed in SQL by the store (its ReportQueries, lib/store/report_queries.h)
// and returned here as plain data; the
// renderers (text, md, csv, json in report_render_*.cpp; html in report_html.cpp) only
// lay it out. Definitions of each figure are in liaison-report(1).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar.h"
#include "config.h"
#include "model.h"
#include "report_queries.h"
#include "store.h"

namespace liaison {

/// A reporting period [from, to) in the organisation's zone.
struct Period {
  std::string label;                  ///< "2026-10", "2026-Q3", "2026", or "2026-10-01..2026-10-16"
  TimePoint from{};
  TimePoint to{};                     ///< exclusive
  /// The previous period "of the same length": the month, quarter or year before; for
  /// --from/--to, the same span of time just before `from`.
  TimePoint previous_from{};
  TimePoint previous_to{};
};

/// Parses --period ("2026-10", "2026-Q3", "2026"); nullopt if malformed.
std::optional<Period> parse_period(std::string_view text, const WorkCalendar& calendar);
/// The period for --from/--to (to exclusive); nullopt unless from < to.
std::optional<Period> period_between(TimePoint from, TimePoint to, const WorkCalendar& calendar);
/// Like parse_period, and also the periods named from `now` (its local date in the
/// organisation's zone): "this-month", "this-quarter", "this-year" (the one `now` falls
/// in) and "last-month", "last-quarter", "last-year" (the one before), for cron jobs.
std::optional<Period> parse_period(std::string_view text, const WorkCalendar& calendar, TimePoint now);
/// True when `now`'s local date is the first working day of its month.
bool is_first_working_day_of_month(TimePoint now, const WorkCalendar& calendar);
/// The moment "at the end" means: min(to, now), but never before `from`.
TimePoint period_end(TimePoint from, TimePoint to, TimePoint now);

/// The headline figures of a period, for §6 (this period against the previous one).
struct Totals {
  std::int64_t received = 0;
  std::int64_t closed = 0;
  std::int64_t open_at_end = 0;
  std::int64_t overdue_at_end = 0;
  std::int64_t ack_count = 0;
  std::int64_t ack_on_time = 0;
  std::int64_t resolve_count = 0;
  std::int64_t resolve_on_time = 0;
};

/// How to reproduce the report exactly.
struct Provenance {
  std::string period;                    ///< Period::label
  TimePoint from{};
  TimePoint to{};
  TimePoint end{};                       ///< min(to, now): the moment "at the end" means
  TimePoint now{};
  std::string version;                   ///< liaison version
  std::int64_t last_event_id = 0;        ///< the database's newest event
  std::string config_hash;               ///< hash of the config used
  std::string timezone;
  ReportFilter filter;
  /// The newest signed checkpoint (liaison-audit-checkpoint(1)) when the report was made:
  /// the history it counts can be checked against it.
  std::optional<Checkpoint> checkpoint;
};

/// A checkpoint as the provenance names it, the same in every language and format:
/// "#1234 · 2026-12-06T01:02:03Z · key 0a1b2c3d4e5f6a7b" (event, time UTC, key's first
/// 16 hex digits); "" for none.
std::string checkpoint_summary(const std::optional<Checkpoint>& checkpoint);

/// One month of the HTML report's trend chart: the headline figures of that month, counted
/// as the report counts a period ("YYYY-MM"), so they agree with a report of the month.
struct TrendMonth {
  std::string label;                     ///< "2026-10"
  Totals totals;
};

/// The whole report, as data.
struct Report {
  Period period;
  Volume volume;
  FlowCounts flow;
  std::vector<Timeliness> timeliness;    ///< "all" first, then departments, then kinds
  std::vector<ObligationTimeliness> obligations;  ///< notifications and receipts; none when none
  std::vector<Count> overdue_by_owner;   ///< most first; complete whatever `details` lists
  std::vector<OverdueItem> overdue;      ///< most late first, then ref: the first `details`
  std::int64_t overdue_total = 0;        ///< how many were overdue at the end, listed or not
  Suggestions suggestions;
  std::vector<MajorItem> major;          ///< open at some moment of the period, by received: the first `details`
  std::int64_t major_total = 0;          ///< how many major records there are, listed or not
  /// How many records each detail list (overdue, major) shows at most (--details); nullopt
  /// for all of them.
  std::optional<std::int64_t> details;
  Totals current;
  Totals previous;
  Provenance provenance;
  /// The 12 months ending with the period's last month, oldest first; filled only for the
  /// HTML report (build_trend), empty otherwise (text, Markdown, CSV and JSON omit it).
  std::vector<TrendMonth> trend;
};

/// How many records the detail lists show by default (--details).
inline constexpr std::int64_t kDefaultReportDetails = 50;

/// One snapshot of `store` for build_report and build_trend (Store::report_snapshot), so
/// that a report and its trend come from the same state; a clean error when the store
/// cannot compute report figures.
std::unique_ptr<ReportSnapshot> report_snapshot(Store& store, SecondReader second = SecondReader::when_large);

/// Computes the report over `snapshot` (taken of `store`), its sections on the snapshot's
/// two readers side by side when it has a second one. `now` is the context's now (may be
/// before the period's end).
/// `details`: the overdue and major records listed are the first `details` of each (the
/// most late, the earliest received), nullopt for all; the counts are complete either way.
Report build_report(const Config& config, const WorkCalendar& calendar, Store& store, ReportSnapshot& snapshot,
                    const Period& period, const ReportFilter& filter, TimePoint now, std::string_view version,
                    std::optional<std::int64_t> details = std::nullopt);
/// The same over a snapshot of its own.
Report build_report(const Config& config, const WorkCalendar& calendar, Store& store, const Period& period,
                    const ReportFilter& filter, TimePoint now, std::string_view version,
                    std::optional<std::int64_t> details = std::nullopt);

/// The 12 months ending with the month the period ends in (its last instant's month in the
/// organisation's zone), oldest first, each computed by the same queries as a report of
/// that month with the same filter (a month after `now` counts up to `now`, as a period
/// does); history, imports and reopenings count as they do in the report itself.
std::vector<TrendMonth> build_trend(const WorkCalendar& calendar, ReportSnapshot& snapshot, const Period& period,
                                    const ReportFilter& filter, TimePoint now);
/// The same over a snapshot of its own.
std::vector<TrendMonth> build_trend(const WorkCalendar& calendar, Store& store, const Period& period,
                                    const ReportFilter& filter, TimePoint now);

}  // namespace liaison
