// Read-only SQL over the documented auditor views: `liaison query`.
// A store that has the AuditorQueries capability opens QuerySessions: each is its own
// connection, opened read-only with the views records, events, parties, clocks, checkpoints and attachments
// (schemas/views.sql, man liaison-views(7)) and an authorizer that lets one SELECT read
// those views and harmless functions, nothing else.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "access.h"
#include "calendar.h"
#include "config.h"
#include "i18n.h"

namespace liaison {

/// One value of a result as SQLite typed it: NULL, integer, real or text (a blob comes
/// as lower-case hex text).
using QueryValue = std::variant<std::monostate, std::int64_t, double, std::string>;

/// `--param NAME=VALUE`: binds :NAME, @NAME or $NAME; a whole integer (no sign other
/// than '-', no leading zero) binds as an integer, anything else as text.
struct QueryParam {
  std::string name;
  std::string value;
};

/// One row of EXPLAIN QUERY PLAN: `parent` is the id of the step it belongs to (0: top).
struct PlanStep {
  int id = 0;
  int parent = 0;
  std::string detail;
};

/// Who reads and how: names and the time zone from the config, redaction by the acting
/// user's clearance, the redaction mark and display names in `lang`.
struct QueryViewer {
  const Config& config;
  const WorkCalendar& calendar;
  const Access& access;
  Lang lang;
};

/// The longest query text accepted, in bytes (longer: UsageError).
constexpr std::size_t kMaxQueryBytes = 100000;

/// A read-only connection with the auditor views.
class QuerySession {
 public:
  virtual ~QuerySession() = default;
  /// Runs one SELECT: `columns` gets the column names once, then `row` each row (the
  /// vector is reused between rows). Throws PermissionError (exit 77) for anything the
  /// views do not allow (writes, ATTACH, PRAGMA, base tables, unsafe functions, …),
  /// UsageError (exit 2) for a syntax error, a second statement, a missing or unknown
  /// parameter, or a query longer than kMaxQueryBytes, BusyError when locked.
  virtual void run(std::string_view sql, const std::vector<QueryParam>& params,
                   const std::function<void(const std::vector<std::string>&)>& columns,
                   const std::function<void(const std::vector<QueryValue>&)>& row) = 0;
  /// Bounds every later run(): it stops with an Error (exit 1) once it has run for
  /// `timeout` (zero: no limit), or needs more than `memory_bytes` of memory for what it
  /// sorts, groups and keeps in temporary tables (which are held in memory, never in the
  /// temporary directory). Neither says anything about the database.
  virtual void set_limits(std::chrono::seconds timeout, std::int64_t memory_bytes) = 0;
  /// The query plan of the same SELECT, checked and bound as by run().
  virtual std::vector<PlanStep> explain(std::string_view sql, const std::vector<QueryParam>& params) = 0;
};

/// The store's capability to open query sessions (Store::auditor_queries).
class AuditorQueries {
 public:
  virtual ~AuditorQueries() = default;
  /// A new read-only session on the store's database, whatever mode the store itself was
  /// opened in. Throws NotFoundError when the database is gone, StoreError when it is not
  /// a liaison database or its schema is not the one this binary knows.
  virtual std::unique_ptr<QuerySession> open_query_session(const QueryViewer& viewer) = 0;
};

/// The text of schemas/views.sql, embedded at build time (cmake/embed_views.cmake).
const char* query_views_sql();

}  // namespace liaison
