// Tests of schemas/postgres/ and lib/store/postgres/pg_migrations.cpp against the test
// cluster ($LIAISON_TEST_PG): each test case in a database of its own, created here.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "errors.h"
#include "pg_connection.h"
#include "pg_migrations.h"

namespace liaison::pg {
namespace {

/// A fresh database on the test cluster, dropped afterwards; url() reaches it.
class Scratch {
 public:
  explicit Scratch(const std::string& name, const std::string& owner = "postgres") : admin_(server()), name_(name) {
    admin_.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    admin_.exec("CREATE DATABASE " + name_ + " OWNER " + owner);
  }
  ~Scratch() {
    try {
      admin_.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const Error&) {
    }
  }
  /// The database's URL, connecting as `user`.
  std::string url(const std::string& user = "postgres") const {
    std::string u = server();
    u.replace(u.find("/postgres?"), 10, "/" + name_ + "?");
    return u.replace(u.find("//postgres@"), 11, "//" + user + "@");
  }
  Connection& admin() { return admin_; }
  /// The test cluster's own database, as its superuser.
  static std::string cluster() { return server(); }

 private:
  static std::string server() {
    const char* url = std::getenv("LIAISON_TEST_PG");
    REQUIRE_MESSAGE(url, "LIAISON_TEST_PG is not set: run these through ctest, which starts a cluster");
    return url;
  }
  Connection admin_;
  std::string name_;
};

void file_one(Connection& c, int id) {
  c.exec("INSERT INTO records (id, ref, kind, direction, subject, owner, level, status, received_at, created_at, "
         "created_by) VALUES ($1::bigint, $2, 'complaint', 'external', '客户投诉', 'quality', 'internal', 'open', 0, 0, "
         "'wei')",
         {std::to_string(id), "EXT-2026-" + std::to_string(id)});
}

TEST_CASE("migrate sets up an empty database once, records the version, and refuses a newer one") {
  Scratch db("liaison_migrate");
  Connection c(db.url());
  CHECK(schema_version(c) == 0);
  CHECK(migrate(c) == 0);
  CHECK(schema_version(c) == known_schema_version());
  CHECK(known_schema_version() >= 1);
  CHECK(migrate(c) == known_schema_version());  // again: nothing to do
  CHECK(c.exec("SELECT count(*) FROM schema_migrations").int64(0, 0) == known_schema_version());
  c.exec("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')");
  CHECK_THROWS_WITH_AS(schema_version(c), doctest::Contains("has schema version 9999, newer than this liaison knows"),
                       StoreError);
  CHECK_THROWS_AS(migrate(c), StoreError);
}

TEST_CASE("a database holding someone else's records table is not taken for liaison's") {
  Scratch db("liaison_foreign");
  Connection c(db.url());
  c.exec("CREATE TABLE records (id int)");
  CHECK_THROWS_WITH_AS(migrate(c), doctest::Contains("is not a liaison database"), StoreError);
  CHECK(c.exec("SELECT to_regclass('events') IS NULL").text(0, 0) == "t");  // nothing created
}

TEST_CASE("two processes setting up one database at once apply each migration once") {
  Scratch db("liaison_migrate_race");
  std::vector<std::thread> setups;
  std::vector<std::string> errors(4);
  for (int i = 0; i < 4; ++i)
    setups.emplace_back([&, i] {
      try {
        Connection c(db.url());
        migrate(c);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  for (std::thread& t : setups) t.join();
  for (const std::string& e : errors) CHECK(e == "");
  Connection c(db.url());
  CHECK(c.exec("SELECT count(*) FROM schema_migrations").int64(0, 0) == known_schema_version());
}

TEST_CASE("the history refuses updates, deletions and truncation, and an id that is not the next") {
  Scratch db("liaison_append_only");
  Connection c(db.url());
  migrate(c);
  file_one(c, 1);
  c.exec("INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash) "
         "VALUES (1, 1, 'filed', 'wei', 0, '{\"schedule\":{\"id\":\"monthly\",\"period\":\"2026-10\"}}', '', 'h1')");
  c.exec("INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash) "
         "VALUES (2, 1, 'logged', 'wei', 0, '{\"message_sha256\":\"ab12\"}', 'h1', 'h2')");
  for (const char* sql : {"UPDATE events SET actor = 'mallory' WHERE id = 1", "DELETE FROM events WHERE id = 2",
                          "TRUNCATE events CASCADE", "UPDATE schedule_records SET record_id = 1",
                          "DELETE FROM event_messages", "TRUNCATE schedule_records",
                          "INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash) "
                          "VALUES (2, 1, 'logged', 'x', 0, '{}', '', '')"})
    CHECK_THROWS_WITH_AS(c.exec(sql), doctest::Contains("append-only"), StoreError);
  CHECK(c.exec("SELECT actor FROM events WHERE id = 1").text(0, 0) == "wei");
  CHECK(c.exec("SELECT count(*) FROM events").int64(0, 0) == 2);
  // The indexes the triggers keep from the history.
  Result s = c.exec("SELECT schedule, period, record_id FROM schedule_records");
  REQUIRE(s.rows() == 1);
  CHECK(s.text(0, 1) == "2026-10");
  CHECK(c.exec("SELECT event_id FROM event_messages WHERE message_sha256 = 'ab12'").int64(0, 0) == 2);
  // A purge's one change: an event of a closed record marked purged, emptied, the digest
  // of what it held kept beside it.
  const std::string emptied = "UPDATE events SET data = '{}', "
                              "data_sha256 = encode(sha256(convert_to(data, 'UTF8')), 'hex') WHERE id = 2";
  CHECK_THROWS_AS(c.exec(emptied), StoreError);
  c.exec("UPDATE records SET purged_at = 1 WHERE id = 1");
  CHECK_THROWS_AS(c.exec(emptied), StoreError);  // not closed
  c.exec("UPDATE records SET status = 'closed' WHERE id = 1");
  CHECK_THROWS_AS(c.exec("UPDATE events SET data = '{}', data_sha256 = 'd' WHERE id = 2"), StoreError);  // a digest not of it
  c.exec(emptied);
  CHECK(c.exec("SELECT data_sha256 FROM events WHERE id = 2").text(0, 0).size() == 64);
  CHECK_THROWS_AS(c.exec("UPDATE events SET hash = 'x' WHERE id = 2"), StoreError);
  // Data holding \u0000, valid JSON that jsonb refuses, is written and indexed.
  c.exec("INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash) "
         "VALUES (3, 1, 'logged', 'wei', 0, '{\"message_sha256\":\"cd34\",\"text\":\"a\\u0000b\"}', 'h2', 'h3')");
  CHECK(c.exec("SELECT event_id FROM event_messages WHERE message_sha256 = 'cd34'").int64(0, 0) == 3);
}

TEST_CASE("8 writers × 50 numbers: gap-free and unique, a rolled-back filing consuming none") {
  Scratch db("liaison_sequences");
  {
    Connection c(db.url());
    migrate(c);
    c.exec("INSERT INTO sequences (name, last) VALUES ('EXT-2026', 0)");
  }
  constexpr int kWriters = 8, kEach = 50;
  std::vector<std::vector<std::int64_t>> taken(kWriters);
  std::vector<std::string> errors(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      try {
        Connection c(db.url());
        for (int i = 0; i < kEach * 2; ++i) {
          c.exec("BEGIN");
          const std::int64_t n =
              c.exec("UPDATE sequences SET last = last + 1 WHERE name = 'EXT-2026' RETURNING last").int64(0, 0);
          if (i % 2) {  // every other filing fails after taking its number
            c.exec("ROLLBACK");
            continue;
          }
          file_one(c, static_cast<int>(n));
          c.exec("COMMIT");
          taken[w].push_back(n);
        }
      } catch (const std::exception& e) {
        errors[w] = e.what();
      }
    });
  for (std::thread& t : writers) t.join();
  for (const std::string& e : errors) CHECK(e == "");
  std::set<std::int64_t> all;
  std::size_t count = 0;
  for (const auto& t : taken) {
    all.insert(t.begin(), t.end());
    count += t.size();
  }
  CHECK(count == kWriters * kEach);
  CHECK(all.size() == count);  // no duplicates
  CHECK(*all.begin() == 1);
  CHECK(*all.rbegin() == kWriters * kEach);  // and so no gaps
  Connection c(db.url());
  CHECK(c.exec("SELECT count(*), max(id) FROM records").int64(0, 1) == kWriters * kEach);
}

TEST_CASE("a writer killed with kill -9 mid-transaction leaves nothing behind, its number unused") {
  Scratch db("liaison_killed");
  {
    Connection c(db.url());
    migrate(c);
    c.exec("INSERT INTO sequences (name, last) VALUES ('EXT-2026', 0)");
  }
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The writer: takes a number and files, then tells the parent and waits to be killed.
    close(ready[0]);
    try {
      Connection c(db.url());
      c.exec("BEGIN");
      const std::int64_t n = c.exec("UPDATE sequences SET last = last + 1 WHERE name = 'EXT-2026' RETURNING last").int64(0, 0);
      file_one(c, static_cast<int>(n));
      if (write(ready[1], "x", 1) != 1) _exit(2);
      for (;;) pause();
    } catch (...) {
      _exit(1);
    }
  }
  close(ready[1]);
  char byte = 0;
  REQUIRE(read(ready[0], &byte, 1) == 1);  // the handshake: the writer is mid-transaction
  close(ready[0]);
  REQUIRE(kill(child, SIGKILL) == 0);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFSIGNALED(status));
  // The next writer waits only until the server has seen the killed one go (bounded: a
  // real hang fails here), takes number 1 and files under it: the killed writer's row
  // would have taken the reference.
  Connection c(db.url());
  c.exec("SET lock_timeout = '120s'");
  c.exec("BEGIN");
  const std::int64_t n = c.exec("UPDATE sequences SET last = last + 1 WHERE name = 'EXT-2026' RETURNING last").int64(0, 0);
  CHECK(n == 1);
  file_one(c, static_cast<int>(n));
  c.exec("COMMIT");
  CHECK(c.exec("SELECT count(*) FROM records").int64(0, 0) == 1);
}

TEST_CASE("the application's role appends to the history and cannot change it; the roles' grants") {
  {
    Connection admin(Scratch::cluster());
    admin.exec("DROP DATABASE IF EXISTS liaison_roles WITH (FORCE)");
    for (const char* role : {"liaison_app", "liaison_auditor", "liaison_owner"}) {
      admin.exec(std::string("DROP ROLE IF EXISTS ") + role);
      admin.exec(std::string("CREATE ROLE ") + role + " LOGIN");
    }
  }
  Scratch db("liaison_roles", "liaison_owner");
  {
    Connection owner(db.url("liaison_owner"));
    migrate(owner);
    std::ifstream in(std::string(LIAISON_SOURCE_DIR) + "/schemas/postgres/grants.sql");
    REQUIRE(in);
    owner.exec_script(std::string(std::istreambuf_iterator<char>(in), {}));
  }
  Connection app(db.url("liaison_app"));
  file_one(app, 1);
  app.exec("INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash) "
           "VALUES (1, 1, 'filed', 'wei', 0, '{\"subject\":\"客户投诉\"}', '', 'h1')");
  app.exec("UPDATE records SET status = 'acknowledged' WHERE id = 1");
  app.exec("UPDATE sequences SET last = last + 1 WHERE name = 'none'");
  // Refused by the privileges before any trigger is asked.
  for (const char* sql : {"DELETE FROM events", "TRUNCATE events", "UPDATE events SET actor = 'mallory'",
                          "DELETE FROM records", "DELETE FROM event_messages", "UPDATE schema_migrations SET version = 1"})
    CHECK_THROWS_WITH_AS(app.exec(sql), doctest::Contains("permission denied"), StoreError);
  for (const char* sql : {"ALTER TABLE events DISABLE TRIGGER ALL", "DROP TRIGGER events_no_update ON events"})
    CHECK_THROWS_WITH_AS(app.exec(sql), doctest::Contains("must be owner"), StoreError);
  // The indexes the triggers keep are theirs to write: a forged row is refused, and an
  // event the application writes is indexed all the same.
  CHECK_THROWS_WITH_AS(app.exec("INSERT INTO event_messages VALUES ('ab12', 1)"), doctest::Contains("permission denied"),
                       StoreError);
  CHECK_THROWS_WITH_AS(app.exec("INSERT INTO schedule_records VALUES ('monthly', '2026-12', 1)"),
                       doctest::Contains("permission denied"), StoreError);
  // Nor through the index keeper on a table of its own: it may make temporary tables
  // (liaison query keeps the acting user's clearance in them) but not attach the keeper,
  // which runs with its owner's rights, to one.
  app.exec("CREATE TEMP TABLE shadow (LIKE events)");
  CHECK_THROWS_WITH_AS(app.exec("CREATE TRIGGER forged AFTER INSERT ON pg_temp.shadow FOR EACH ROW "
                                "EXECUTE FUNCTION liaison_events_indexed()"),
                       doctest::Contains("permission denied"), StoreError);
  app.exec("DROP TABLE pg_temp.shadow");
  CHECK_THROWS_WITH_AS(app.exec("CREATE TABLE shadow (LIKE events)"), doctest::Contains("permission denied"),
                       StoreError);
  app.exec("INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash) "
           "VALUES (2, 1, 'logged', 'wei', 0, '{\"message_sha256\":\"ef56\"}', 'h1', 'h2')");
  CHECK(app.exec("SELECT event_id FROM event_messages WHERE message_sha256 = 'ef56'").int64(0, 0) == 2);
  // The column a purge empties is granted; the trigger still refuses it for a record not purged.
  const std::string emptied = "UPDATE events SET data = '{}', "
                              "data_sha256 = encode(sha256(convert_to(data, 'UTF8')), 'hex') WHERE id = 1";
  CHECK_THROWS_WITH_AS(app.exec(emptied), doctest::Contains("append-only"), StoreError);
  app.exec("UPDATE records SET status = 'closed', purged_at = 1 WHERE id = 1");
  app.exec(emptied);
  // The auditor reads none of the base tables.
  Connection auditor(db.url("liaison_auditor"));
  CHECK_THROWS_WITH_AS(auditor.exec("SELECT count(*) FROM records"), doctest::Contains("permission denied"), StoreError);
  CHECK(auditor.exec("SELECT count(*) FROM schema_migrations").int64(0, 0) == known_schema_version());
  // And the owner, who may drop a trigger, is refused by them while they stand.
  Connection owner(db.url("liaison_owner"));
  CHECK_THROWS_WITH_AS(owner.exec("DELETE FROM events"), doctest::Contains("append-only"), StoreError);
}

}  // namespace
}  // namespace liaison::pg
