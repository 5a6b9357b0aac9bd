// Read-only SQL over the documented auditor views (DESIGN §4, issue 4 §1): `liaison query`.
// A QuerySession is its own connection, opened read-only with the views records, events,
// parties and clocks (schemas/views.sql, man liaison-views(7)) and an authorizer that lets
// one SELECT read those views and harmless functions, nothing else.
#pragma once
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
  /// The query plan of the same SELECT, checked and bound as by run().
  virtual std::vector<PlanStep> explain(std::string_view sql, const std::vector<QueryParam>& params) = 0;
};

/// Opens the SQLite database at `path` for queries (lib/store/sqlite/store_sqlite_query.cpp). Throws
/// NotFoundError when there is no file, StoreError when it is not a liaison database or
/// its schema is not the one this binary knows.
std::unique_ptr<QuerySession> open_sqlite_query(const std::string& path, const QueryViewer& viewer);

/// The text of schemas/views.sql, embedded at build time (cmake/embed_views.cmake).
const char* query_views_sql();

}  // namespace liaison
