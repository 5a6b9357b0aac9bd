#include "pg_migrations.h"

#include <optional>
#include <string>

#include "errors.h"
#include "pg_connection.h"

namespace liaison::pg {
namespace {

/// The key of the advisory lock that serialises setting up a database ("liaison" in ASCII).
constexpr const char* kMigrationLock = "30515164586667886";

/// The version recorded, or nullopt when there is no schema_migrations table.
std::optional<int> recorded_version(Connection& c) {
  Result has = c.exec("SELECT to_regclass('schema_migrations') IS NOT NULL, to_regclass('records') IS NOT NULL");
  if (has.text(0, 0) != "t") {
    if (has.text(0, 1) == "t") throw StoreError(msg<Msg::not_liaison_database>(c.shown_url()));
    return std::nullopt;
  }
  return static_cast<int>(c.exec("SELECT coalesce(max(version), 0) FROM schema_migrations").int64(0, 0));
}

void refuse_newer(Connection& c, int version) {
  if (version > known_schema_version())
    throw StoreError(msg<Msg::has_schema_version_newer_than_this>(c.shown_url(), version, known_schema_version()));
}

}  // namespace

int known_schema_version() {
  const auto& all = embedded_migrations();
  return all.empty() ? 0 : all.back().version;
}

int schema_version(Connection& c) {
  const int version = recorded_version(c).value_or(0);
  refuse_newer(c, version);
  return version;
}

int migrate(Connection& c) {
  int before = -1;
  for (const Migration& m : embedded_migrations()) {
    c.exec("BEGIN");
    try {
      c.exec(std::string("SELECT pg_advisory_xact_lock(") + kMigrationLock + ")");
      if (!recorded_version(c))
        c.exec("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
               "applied_at timestamptz NOT NULL DEFAULT now())");
      const int version = *recorded_version(c);
      refuse_newer(c, version);
      if (before < 0) before = version;
      if (m.version > version) {
        c.exec_script(m.sql);
        c.exec("INSERT INTO schema_migrations (version, name) VALUES ($1::int, $2)",
               {std::to_string(m.version), std::string(m.name)});
      }
      c.exec("COMMIT");
    } catch (...) {
      // A connection gone rolls back by itself; the ROLLBACK may fail then, the first error stands.
      try {
        c.exec("ROLLBACK");
      } catch (const Error&) {
      }
      throw;
    }
  }
  return before < 0 ? schema_version(c) : before;
}

}  // namespace liaison::pg
