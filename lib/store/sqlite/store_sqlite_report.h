// The report's SQL (liaison report, lib/store/report_queries.h): free functions over an open
// SQLite database, and the ReportQueries and ReportSnapshot that run them for SqliteStore.
// Internal to the store module.
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "report_queries.h"
#include "store.h"

namespace liaison::sqlite_report {

/// §1: records received in [from, end).
Volume volume(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end,
              const std::vector<std::string>& complaint_kinds, int top_parties);
/// §2: open at `from`, received/closed/reopened in [from, end), open at `end`.
FlowCounts flow(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end);
/// §3: "all", then (unless `overall_only`) one row per owner department, then one per kind.
std::vector<Timeliness> timeliness(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end,
                                   bool overall_only);
/// How overdue_by_owner counts the backlog's part: by reading its late index entries
/// (`scan`), from backlog_due and the records whose state may have changed since
/// (`counters`; without a filter or by department alone, and when nothing was imported,
/// else it scans), or whichever reads less (`cheaper`). The counts are the same.
enum class BacklogCount { cheaper, scan, counters };
/// §4: overdue at `end`, counted per owner department, most first.
std::vector<Count> overdue_by_owner(SQLite::Database& db, const ReportFilter& filter, TimePoint end,
                                    BacklogCount how = BacklogCount::cheaper);
/// §4: overdue at `end`: counted per owner department, and the first `limit` (all for
/// nullopt), earliest due first (late_* left 0 for the caller).
OverdueAtEnd overdue(SQLite::Database& db, const ReportFilter& filter, TimePoint end, std::optional<std::int64_t> limit);
/// §5: records of the suggestion kinds received in [from, end) and where they stood at `end`.
Suggestions suggestions(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end,
                        const std::vector<std::string>& suggestion_kinds);
/// Maintenance: backlog_due recounted from the records, the first `limit` differences.
std::vector<CountDifference> backlog_count_differences(SQLite::Database& db, std::size_t limit);
/// Maintenance::resolve_cycle_differences: resolve_cycles beside resolve_cycles_replayed (schemas/0011).
std::vector<CycleDifference> resolve_cycle_differences(SQLite::Database& db, std::size_t limit);
/// Maintenance::recount_kept: backlog_due and resolve_cycles rebuilt as schemas/0009 and 0011 first filled them.
KeptRecount recount_kept(SQLite::Database& db);
/// §5: major records received before `end` and not closed at `from`.
std::vector<MajorItem> major(SQLite::Database& db, const ReportFilter& filter, TimePoint from, TimePoint end);

/// The report's queries through one connection: SqliteStore's own, or the second reader
/// of a snapshot.
class Reader final : public ReportQueries {
 public:
  explicit Reader(SQLite::Database& db) : db_(db) {}
  Volume report_volume(const ReportFilter& filter, TimePoint from, TimePoint end,
                       const std::vector<std::string>& complaint_kinds, int top_parties) override;
  FlowCounts report_flow(const ReportFilter& filter, TimePoint from, TimePoint end) override;
  std::vector<Timeliness> report_timeliness(const ReportFilter& filter, TimePoint from, TimePoint end,
                                            bool overall_only) override;
  std::vector<ObligationTimeliness> report_obligations(const ReportFilter& filter, TimePoint from,
                                                       TimePoint end) override;
  std::vector<Count> report_overdue_by_owner(const ReportFilter& filter, TimePoint end) override;
  OverdueAtEnd report_overdue(const ReportFilter& filter, TimePoint end, std::optional<std::int64_t> limit) override;
  Suggestions report_suggestions(const ReportFilter& filter, TimePoint from, TimePoint end,
                                 const std::vector<std::string>& suggestion_kinds) override;
  std::vector<MajorItem> report_major(const ReportFilter& filter, TimePoint from, TimePoint end) override;

 private:
  SQLite::Database& db_;
};

/// Store::report_snapshot: `db` (whose queries are `main`) in a read transaction until the
/// snapshot is dropped, and a second read-only connection to the file at `path` in the same
/// state, when `second` asks for one and one can be had; statements of both are written
/// to `trace` when it is set.
/// Inside a transaction already (a write), `db` is left as it is and there is no second reader.
std::unique_ptr<ReportSnapshot> pin_snapshot(SQLite::Database& db, ReportQueries& main, const std::string& path,
                                             std::FILE* trace, SecondReader second);

}  // namespace liaison::sqlite_report
