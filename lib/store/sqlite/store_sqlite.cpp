// The SQLite store (lib/store/sqlite/sqlite_store.h): opening a database file, its
// migrations, the write transaction and the reference sequences.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "errors.h"
#include "migrations.h"
#include "sqlite_store.h"
#include "temp_files.h"
#include "store_sqlite_search.h"
#include "store_sqlite_util.h"

namespace liaison {
namespace {

using namespace sqlite_util;

class SqliteTransaction : public WriteTransaction {
 public:
  explicit SqliteTransaction(SQLite::Database& db) : db_(db) {
    try {
      db_.exec("BEGIN IMMEDIATE");
    } catch (const SQLite::Exception& e) {
      rethrow(e, msg<Msg::doing_starting_write>());
    }
  }
  ~SqliteTransaction() override {
    if (!committed_) {
      try {
        db_.exec("ROLLBACK");
      } catch (...) {  // never throw from a destructor
      }
    }
  }
  void commit() override {
    try {
      db_.exec("COMMIT");
      committed_ = true;
    } catch (const SQLite::Exception& e) {
      rethrow(e, msg<Msg::doing_committing>());
    }
  }

 private:
  SQLite::Database& db_;
  bool committed_ = false;
};

}  // namespace

using namespace sqlite_util;

SqliteStore::SqliteStore(const std::string& path, OpenMode mode) : path_(path), db_(open(path, mode)) {
  // The search index's tokenizer, on every connection and before the migrations (the
  // one that creates the index fills it).
  sqlite_search::register_tokenizer(db_);
  trace_sql();
  try {
    db_.exec("PRAGMA foreign_keys = ON");
    if (mode == OpenMode::read_only) db_.exec("PRAGMA query_only = ON");
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_opening>(path));
  }
  // Check (and migrate) before switching to WAL: a refused file (newer schema, not
  // ours) must be left exactly as it was, journal mode included.
  migrate(path, mode);
  if (mode == OpenMode::read_only) return;
  try {
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = NORMAL");
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_opening>(path));
  }
}

SqliteStore::~SqliteStore() = default;

std::unique_ptr<WriteTransaction> SqliteStore::write() { return std::make_unique<SqliteTransaction>(db_); }

int SqliteStore::schema_version() {
  return static_cast<int>(db_.execAndGet("PRAGMA user_version").getInt());
}

std::int64_t SqliteStore::next_sequence(const std::string& name) {
  try {
    auto& up = stmt("INSERT INTO sequences(name, last) VALUES (?1, 1) "
                    "ON CONFLICT(name) DO UPDATE SET last = last + 1 RETURNING last");
    up.bind(1, name);
    up.executeStep();
    auto n = up.getColumn(0).getInt64();
    while (up.executeStep()) {
    }
    return n;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_numbering>());
  }
}

void SqliteStore::advance_sequence(const std::string& name, std::int64_t last) {
  try {
    auto& up = stmt("INSERT INTO sequences(name, last) VALUES (?1, ?2) "
                    "ON CONFLICT(name) DO UPDATE SET last = max(last, excluded.last)");
    up.bind(1, name);
    up.bind(2, static_cast<std::int64_t>(last));
    up.exec();
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_numbering>());
  }
}

SQLite::Database SqliteStore::open(const std::string& path, OpenMode mode) {
  namespace fs = std::filesystem;
  if (mode != OpenMode::create && path != ":memory:" && !fs::exists(path))
    throw NotFoundError(msg<Msg::no_database_at>(path), msg<Msg::run_liaison_init_create_one_give>());
  int flags = mode == OpenMode::read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE;
  if (mode == OpenMode::create) flags |= SQLite::OPEN_CREATE;
  // One connection, used by one thread: SQLite's per-call mutexes are pure cost (a fifth
  // of the instructions of an overdue list of 74,000 rows).
  flags |= SQLite::OPEN_NOMUTEX;
  const bool created = mode == OpenMode::create && path != ":memory:" && !fs::exists(path);
  try {
    SQLite::Database db(path, flags, kBusyTimeoutMs);
    // SQLite makes a new file 0644 less the umask; [store] mode may share it with a group.
    // Its -wal and -shm files take the database's mode.
    if (created) (void)::chmod(path.c_str(), created_file_mode());
    return db;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_opening>(path));
  }
}

void SqliteStore::migrate(const std::string& path, OpenMode mode) {
  try {
    const auto& all = embedded_migrations();
    int latest = all.empty() ? 0 : all.back().version;
    int current = schema_version();
    if (current == 0) {
      // A database that is not ours must not be taken over silently.
      auto tables = db_.execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").getInt();
      if (tables > 0)
        throw StoreError(msg<Msg::not_liaison_database>(path), msg<Msg::give_right_db>());
    }
    if (current > latest)
      throw StoreError(msg<Msg::has_schema_version_newer_than_this>(path, current, latest),
                         msg<Msg::upgrade_liaison_version_that_knows_this>());
    if (current == latest) return;
    if (mode == OpenMode::read_only)
      throw StoreError(msg<Msg::needs_schema_upgrade>(path, current, latest), msg<Msg::run_init_db_only_to_upgrade>());
    for (const auto& m : all) {
      if (m.version <= current) continue;
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      // Re-read under the lock: a concurrent process may have migrated meanwhile.
      if (schema_version() >= m.version) continue;
      db_.exec(m.sql);
      db_.exec(fmt::format("PRAGMA user_version = {}", m.version));
      tx.commit();
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_upgrading_schema>());
  }
}

SQLite::Statement& SqliteStore::stmt(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) it = statements_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
  auto& s = *it->second;
  // tryReset, not reset: reset() throws the error of the statement's last failed step
  // again, so a kept statement that once failed (a refused insert) would fail forever.
  (void)s.tryReset();
  s.clearBindings();
  return s;
}

void SqliteStore::trace_sql() {
  const char* file = std::getenv("LIAISON_TRACE_SQL");
  if (!file || !*file) return;
  trace_.reset(std::fopen(file, "a"));
  if (!trace_) return;
  trace_statements(db_.getHandle(), trace_.get());
  sqlite3_busy_handler(db_.getHandle(), &SqliteStore::traced_busy, this);
}

int SqliteStore::traced_busy(void* self, int attempt) {
  auto& store = *static_cast<SqliteStore*>(self);
  auto now = std::chrono::steady_clock::now();
  if (attempt == 0) {
    store.busy_since_ = now;
    std::fputs("-- waiting for a lock\n", store.trace_.get());
    std::fflush(store.trace_.get());
  }
  if (now - store.busy_since_ >= std::chrono::milliseconds{kBusyTimeoutMs}) return 0;
  // The steps SQLite's own timeout handler takes: short at first, then 100 ms.
  constexpr int kDelaysMs[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
  constexpr int kSteps = sizeof kDelaysMs / sizeof kDelaysMs[0];
  sqlite3_sleep(kDelaysMs[attempt < kSteps ? attempt : kSteps - 1]);
  return 1;
}

std::unique_ptr<Store> open_sqlite_store(const std::string& path, OpenMode mode) {
  return std::make_unique<SqliteStore>(path, mode);
}

}  // namespace liaison
