// The figures of `liaison report` that the store computes (definitions in
// liaison-report(1)): the values each section is made of and the ReportQueries
// capability that computes them in the database (SQLite: lib/store/sqlite/store_sqlite_report.cpp).
// lib/report/report.h assembles them into the report.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model.h"

namespace liaison {

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
  std::vector<Count> by_topic;           ///< most first, then id ("" = no topic); empty when no record has one
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

/// §3: the obligations beside acknowledging and resolving — the notifications a kind owes
/// ("notify", clocks notify:<party>), the receipts of notices ("receipt", clocks
/// receipt:<user>), approvals ("approval", clocks approval:<n>:<user>, met when
/// approved or rejected) and meetings' action items ("action", clocks action:<n>:<user>)
/// — met or due in the period, counted as the timeliness rows count.
struct ObligationTimeliness {
  std::string type;                      ///< "notify", "receipt", "approval" or "action"
  std::int64_t count = 0;
  std::int64_t on_time = 0;
  std::int64_t met = 0;                  ///< met before the end (on time or late)
  std::optional<std::int64_t> median_seconds;  ///< the met ones' time used, nearest rank
  std::optional<std::int64_t> p90_seconds;
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
  bool purged = false;                   ///< a tombstone (liaison purge): no subject any more
};

/// §4: the records overdue at the end: how many per owner department, and the first few.
struct OverdueAtEnd {
  std::vector<Count> by_owner;           ///< most first, then id
  std::vector<OverdueItem> first;        ///< earliest due first, then reference
};

/// §5: suggestions received in the period, and major records.
struct Suggestions {
  std::int64_t received = 0;
  std::int64_t adopted = 0;              ///< closed as adopted by the end
  std::int64_t rejected = 0;             ///< closed as rejected by the end
  std::int64_t other_closed = 0;         ///< closed otherwise (withdrawn, duplicate …)
  std::int64_t pending = 0;              ///< not closed at the end
};
/// §5: one major record open at some moment of the period.
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
  bool purged = false;                   ///< a tombstone (liaison purge): no subject any more
};

/// The report's queries: each computes one section of `liaison report` in the database.
/// `end` is the moment "at the end" means (the period's end, or now if earlier).
class ReportQueries {
 public:
  virtual ~ReportQueries() = default;
  /// §1: what was received in [from, end).
  virtual Volume report_volume(const ReportFilter& filter, TimePoint from, TimePoint end,
                               const std::vector<std::string>& complaint_kinds, int top_parties) = 0;
  /// §2: open at from and at end; received, closed and reopened in [from, end).
  virtual FlowCounts report_flow(const ReportFilter& filter, TimePoint from, TimePoint end) = 0;
  /// §3: acknowledge and resolve obligations met or due in [from, end): all, per department, per kind;
  /// only the first ("all") when `overall_only` (§6 compares with the previous period by it alone).
  virtual std::vector<Timeliness> report_timeliness(const ReportFilter& filter, TimePoint from, TimePoint end,
                                                    bool overall_only) = 0;
  /// §3: notifications, receipts, approvals and actions met or due in [from, end), one row per type
  /// that has any, in that order.
  virtual std::vector<ObligationTimeliness> report_obligations(const ReportFilter& filter, TimePoint from,
                                                               TimePoint end) = 0;
  /// §4: records overdue at `end`, counted per owner department.
  virtual std::vector<Count> report_overdue_by_owner(const ReportFilter& filter, TimePoint end) = 0;
  /// §4: records overdue at `end`, all of them counted per owner department, and the first
  /// `limit` of them (all for nullopt) earliest due first (which is most late first), then
  /// by reference (late_* not filled: the calendar does that).
  virtual OverdueAtEnd report_overdue(const ReportFilter& filter, TimePoint end,
                                      std::optional<std::int64_t> limit) = 0;
  /// §5: suggestions received in [from, end) and where they stood at `end`.
  virtual Suggestions report_suggestions(const ReportFilter& filter, TimePoint from, TimePoint end,
                                         const std::vector<std::string>& suggestion_kinds) = 0;
  /// §5: major records received before `end` and not closed at `from`.
  virtual std::vector<MajorItem> report_major(const ReportFilter& filter, TimePoint from, TimePoint end) = 0;
};

/// The report's queries over one snapshot of the store (Store::report_snapshot): every
/// figure of a report comes from the same state of the history, however many writers
/// commit meanwhile. `main` reads through the store's own connection, which stays in one
/// read transaction until the snapshot is dropped (the store's other reads meanwhile, such
/// as the last event id, see the same state); `side`, when the engine can give one, reads
/// the very same state through a connection of its own, for a second thread to compute
/// sections beside the first. Each of the two is used by one thread at a time.
class ReportSnapshot {
 public:
  virtual ~ReportSnapshot() = default;
  virtual ReportQueries& main() = 0;
  /// nullptr when there is no second reader (an in-memory database, a small one unless
  /// SecondReader::when_possible was asked for, or the snapshot could not be matched while
  /// writers kept committing): then every section runs on main().
  virtual ReportQueries* side() = 0;
};

}  // namespace liaison
