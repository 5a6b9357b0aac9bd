// Summaries for management review (管理评审, 月度汇总): `liaison report`.
// Every figure is computed in SQL by the store and returned here as plain data; the
// renderers (text, md, csv, json in report_render.cpp; html in report_html.cpp) only
// lay it out. Definitions of each figure are in liaison-report(1).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar.h"
#include "config.h"
#include "model.h"
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
/// Like parse_period, and also "last-month": the month before the one `now` falls in
/// (in the organisation's zone), for monthly cron jobs.
std::optional<Period> parse_period(std::string_view text, const WorkCalendar& calendar, TimePoint now);
/// True when `now`'s local date is the first working day of its month.
bool is_first_working_day_of_month(TimePoint now, const WorkCalendar& calendar);
/// The moment "at the end" means: min(to, now), but never before `from`.
TimePoint period_end(TimePoint from, TimePoint to, TimePoint now);

/// What the report covers besides the period. Empty = any.
struct ReportFilter {
  std::vector<std::string> departments;  ///< owner department ids (--dept)
  std::vector<std::string> kinds;        ///< --kind
  std::optional<Direction> direction;    ///< --direction
  std::vector<std::string> party_types;  ///< --party-type (records without a party never match)
};

/// One value of a dimension and its count (a department id, a channel id, …).
struct Count {
  std::string key;                       ///< id; "" for "none" (no channel, no party)
  std::int64_t count = 0;
};

/// §1: what was received in the period.
struct Volume {
  std::int64_t total = 0;
  struct Cell {
    Direction direction = Direction::internal;
    std::string kind;
    std::int64_t count = 0;
  };
  std::vector<Cell> by_direction_kind;   ///< direction, then kind id
  std::vector<Count> by_owner;           ///< most first, then id
  std::vector<Count> by_channel;         ///< most first, then id
  std::vector<Count> by_party_type;      ///< most first, then id ("" = no party: internal)
  struct Party {
    std::string id;
    std::string name;
    std::string type;
    std::int64_t complaints = 0;         ///< records of the [report] complaint kinds
  };
  std::vector<Party> top_parties;        ///< most complaints first, at most [report] top_parties
};

/// §2: the flow of records through the period.
struct FlowCounts {
  std::int64_t open_at_start = 0;        ///< received before `from` and not closed at `from`
  std::int64_t received = 0;             ///< received in [from, to)
  std::int64_t closed = 0;               ///< closing events in [from, to)
  std::int64_t reopened = 0;             ///< reopening events in [from, to)
  std::int64_t open_at_end = 0;          ///< received before `end` and not closed at `end`
};

/// §3: one row of timeliness — for everything ("" group), a department or a kind.
struct Timeliness {
  std::string group;                     ///< "all", "department" or "kind"
  std::string key;                       ///< department or kind id; "" for "all"
  // Acknowledge obligations settled or due in the period (see liaison-report(1)).
  std::int64_t ack_count = 0;
  std::int64_t ack_on_time = 0;
  std::optional<std::int64_t> ack_median_seconds;  ///< working seconds, nearest rank
  std::optional<std::int64_t> ack_p90_seconds;
  // Resolve obligations settled or due in the period.
  std::int64_t resolve_count = 0;
  std::int64_t resolve_on_time = 0;
  std::optional<std::int64_t> resolve_median_seconds;
  std::optional<std::int64_t> resolve_p90_seconds;
};

/// §4: one record overdue at the end of the period.
struct OverdueItem {
  std::string ref;
  std::string owner;
  std::string assignee;
  std::string kind;
  std::string subject;
  TimePoint due{};
  std::int64_t late_working_days = 0;    ///< WorkCalendar::working_days_between(due, end)
  std::int64_t late_working_seconds = 0; ///< WorkCalendar::working_seconds(due, end)
  std::string level;                     ///< confidentiality level id (redaction, lib/policy/access.h)
};

/// §5: suggestions received in the period, and major records.
struct Suggestions {
  std::int64_t received = 0;
  std::int64_t adopted = 0;              ///< closed as adopted by the end
  std::int64_t rejected = 0;             ///< closed as rejected by the end
  std::int64_t other_closed = 0;         ///< closed otherwise (withdrawn, duplicate …)
  std::int64_t pending = 0;              ///< not closed at the end
};
struct MajorItem {
  std::string ref;
  std::string kind;
  std::string owner;
  std::string subject;
  TimePoint received_at{};
  bool closed_at_end = false;
  std::optional<TimePoint> closed_at;    ///< when closed_at_end
  std::string escalated_to;
  std::string level;                     ///< confidentiality level id (redaction, lib/policy/access.h)
};

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
};

/// The whole report, as data.
struct Report {
  Period period;
  Volume volume;
  FlowCounts flow;
  std::vector<Timeliness> timeliness;    ///< "all" first, then departments, then kinds
  std::vector<Count> overdue_by_owner;   ///< most first
  std::vector<OverdueItem> overdue;      ///< most late first, then ref
  Suggestions suggestions;
  std::vector<MajorItem> major;          ///< open at some moment of the period, by received
  Totals current;
  Totals previous;
  Provenance provenance;
};

/// Computes the report. `now` is the context's now (may be before the period's end).
Report build_report(const Config& config, const WorkCalendar& calendar, Store& store, const Period& period,
                    const ReportFilter& filter, TimePoint now, std::string_view version);

}  // namespace liaison
