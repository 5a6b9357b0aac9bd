// Tests of lib/store/sqlite/store_sqlite_query.cpp (a store's AuditorQueries): the auditor views (names, local times, redaction by
// clearance), what the authorizer and the text checks refuse, that a grouped count is
// flattened onto an index, and parameter binding. The store is a file in a temporary
// directory, since the query session opens it on its own connection.
#include "query.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include "errors.h"
#include "fixture.h"
#include "services.h"

namespace liaison {
namespace {

using test::bj;

/// A query session as `liaison query` opens one: the store at `path`, read-only, asked
/// for its AuditorQueries. The session is a connection of its own and outlives the store.
std::unique_ptr<QuerySession> open_session(const std::string& path, const QueryViewer& viewer) {
  auto store = open_store(path, OpenMode::read_only);
  return require(*store, store->auditor_queries(), msg<Msg::can_run_auditor_queries>()).open_query_session(viewer);
}

const std::string kConfig = std::string(test::kOrganization) + R"toml(
[levels]
order = ["public", "internal", "secret", "confidential", "top-secret"]
names = { public = "公开", internal = "内部", confidential = "机密" }
default = "internal"

[[department]]
id = "gm"
name = "总经理办公室"
head = "wei"

[[department]]
id = "quality"
name = "品质部"
head = "wei"
members = ["li"]

[[department]]
id = "sales"
name = "销售部"
head = "dave"

[[user]]
id = "wei"
name = "魏俊"
department = "quality"
roles = ["head"]
clearance = "top-secret"

[[user]]
id = "li"
name = "李娜"
department = "quality"
clearance = "internal"

[[user]]
id = "dave"
department = "sales"
roles = ["head"]

[[channel]]
id = "email"
name = "电子邮件"

[[party_type]]
id = "customer"
name = "顾客"

[[kind]]
id = "complaint"
name = "投诉"
name_en = "complaint"
ack = "24h"
resolve = "3wd"

[[kind]]
id = "inquiry"
name = "咨询"
resolve = "2wd"

[[rule]]
when = { direction = "external" }
owner = "quality"

[[rule]]
when = { direction = "internal" }
owner = "sales"
)toml";

/// A store file with three records filed by wei on Tue 2026-09-29 10:00 (Shanghai):
/// EXT-2026-00001 (internal level, from the customer svw, with a note), EXT-2026-00002
/// (confidential, with a note and then closed) and INT-2026-00001 (an inquiry).
struct Fixture {
  test::TempDir dir;
  std::string path = dir.file("records.db");
  test::StoreFixture fx{kConfig, bj(2026, 9, 29, 10), "wei", path};

  Fixture() {
    add_party(fx.ctx, test::make_party("svw", "上汽大众", "customer"));
    FileRequest a;
    a.kind = "complaint";
    a.party = "svw";
    a.subject = "焊点开裂";
    a.body = "batch 2026-09";
    a.channel = "email";
    file_record(fx.ctx, a);
    FileRequest b = a;
    b.subject = "工资问题";
    b.body = "秘密内容";
    b.level = "confidential";
    file_record(fx.ctx, b);
    FileRequest c;
    c.kind = "inquiry";
    c.subject = "which drawing?";
    c.from_dept = "quality";
    file_record(fx.ctx, c);
    log_note("EXT-2026-00001", "客户来电");
    log_note("EXT-2026-00002", "保密备注");
    CloseRequest close;
    close.ref = "EXT-2026-00002";
    close.resolution = "已赔偿";
    close.outcome = Outcome::resolved;
    close.reply_via = "email";
    close_record(fx.ctx, close);
  }

  /// The rows of `sql` as text ("NULL" for NULL), run as `actor`.
  std::vector<std::vector<std::string>> rows(const std::string& sql, const std::string& actor = "wei",
                                             const std::vector<QueryParam>& params = {}, Lang lang = Lang::en) {
    Access access(fx.config, actor);
    auto session = open_session(path, {fx.config, fx.calendar, access, lang});
    std::vector<std::vector<std::string>> out;
    session->run(
        sql, params, [](const std::vector<std::string>&) {},
        [&](const std::vector<QueryValue>& values) {
          std::vector<std::string> row;
          for (const auto& v : values) {
            if (const auto* i = std::get_if<std::int64_t>(&v)) row.push_back(std::to_string(*i));
            else if (const auto* s = std::get_if<std::string>(&v)) row.push_back(*s);
            else if (const auto* d = std::get_if<double>(&v)) row.push_back(std::to_string(*d));
            else row.push_back("NULL");
          }
          out.push_back(std::move(row));
        });
    return out;
  }
  std::string one(const std::string& sql, const std::string& actor = "wei", const std::vector<QueryParam>& params = {}) {
    auto r = rows(sql, actor, params);
    REQUIRE(r.size() == 1);
    REQUIRE(r[0].size() == 1);
    return r[0][0];
  }
  std::vector<PlanStep> plan(const std::string& sql) {
    Access access(fx.config, "wei");
    return open_session(path, {fx.config, fx.calendar, access, Lang::en})->explain(sql, {});
  }

  void log_note(const std::string& ref, const std::string& text) {
    LogRequest req;
    req.ref = ref;
    req.text = text;
    log_record(fx.ctx, req);
  }

  std::string bytes() const {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
};

/// The message of the error of type E that running `sql` throws, or "<no exception>".
template <typename E>
std::string refusal(Fixture& f, const std::string& sql, const std::vector<QueryParam>& params = {}) {
  try {
    f.rows(sql, "wei", params);
  } catch (const E& e) {
    return std::string(e.what()) + " (" + e.hint() + ")";
  } catch (const Error& e) {
    return std::string("<other error> ") + e.what();
  }
  return "<no exception>";
}

TEST_CASE("the records view shows names beside ids and times in the organisation's zone") {
  Fixture f;
  auto r = f.rows(
      "SELECT ref, kind_name, owner, owner_name, party_name, channel_name, level_name, received_at, "
      "received_at_utc, assignee_name, from_dept_name FROM records ORDER BY ref");
  REQUIRE(r.size() == 3);
  CHECK(r[0] == std::vector<std::string>{"EXT-2026-00001", "complaint", "quality", "品质部", "上汽大众", "电子邮件",
                                         "内部", "2026-09-29T10:00:00+08:00", "1790647200", "NULL", "NULL"});
  CHECK(r[2][0] == "INT-2026-00001");
  CHECK(r[2][1] == "咨询");  // no English name: the configured one
  CHECK(r[2][4] == "NULL");  // no party
  CHECK(r[2][10] == "品质部");
  CHECK(r[1][6] == "机密");
}

TEST_CASE("events, parties and clocks views") {
  Fixture f;
  CHECK(f.one("SELECT count(*) FROM events WHERE ref = 'EXT-2026-00002'") == "3");
  auto e = f.rows("SELECT type, actor, actor_name, at, json_extract(data, '$.text') FROM events "
                  "WHERE ref = 'EXT-2026-00001' AND type = 'logged'");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == std::vector<std::string>{"logged", "wei", "魏俊", "2026-09-29T10:00:00+08:00", "客户来电"});
  CHECK(f.one("SELECT type_name FROM parties WHERE id = 'svw'") == "顾客");
  CHECK(f.one("SELECT count(*) FROM events WHERE record_id IS NULL") == "1");  // the party's registration
  auto c = f.rows("SELECT ref, name, on_time FROM clocks WHERE ref = 'EXT-2026-00002' ORDER BY name");
  REQUIRE(c.size() == 2);
  CHECK(c[0] == std::vector<std::string>{"EXT-2026-00002", "ack", "1"});
  CHECK(c[1] == std::vector<std::string>{"EXT-2026-00002", "resolve", "1"});
}

TEST_CASE("text of a record above the user's clearance is redacted in every view") {
  Fixture f;
  const std::string sql = "SELECT subject, body, resolution FROM records WHERE ref = 'EXT-2026-00002'";
  CHECK(f.rows(sql, "wei")[0] == std::vector<std::string>{"工资问题", "秘密内容", "已赔偿"});
  CHECK(f.rows(sql, "li")[0] == std::vector<std::string>{"[confidential]", "[confidential]", "[confidential]"});
  CHECK(f.rows(sql, "li", {}, Lang::zh)[0][0] == "[机密]");
  // Reference, kind, owner and dates stay.
  CHECK(f.rows("SELECT ref, kind, owner, closed_at FROM records WHERE ref = 'EXT-2026-00002'", "li")[0] ==
        std::vector<std::string>{"EXT-2026-00002", "complaint", "quality", "2026-09-29T10:00:00+08:00"});
  // Lower levels are not redacted.
  CHECK(f.one("SELECT subject FROM records WHERE ref = 'EXT-2026-00001'", "li") == "焊点开裂");
  // The history: no free text of the confidential record in any event's data.
  auto data = f.rows("SELECT data FROM events WHERE ref = 'EXT-2026-00002'", "li");
  REQUIRE(data.size() == 3);
  for (const auto& d : data) {
    CHECK(d[0].find("工资") == std::string::npos);
    CHECK(d[0].find("秘密内容") == std::string::npos);
    CHECK(d[0].find("保密备注") == std::string::npos);
    CHECK(d[0].find("已赔偿") == std::string::npos);
  }
  CHECK(f.one("SELECT data ->> '$.subject' FROM events WHERE ref = 'EXT-2026-00002' AND type = 'filed'", "li") ==
        "[confidential]");
  // Searching the text cannot tell what is behind the mark.
  CHECK(f.one("SELECT count(*) FROM records WHERE subject LIKE '%工资%'", "li") == "0");
  CHECK(f.one("SELECT count(*) FROM records WHERE subject LIKE '%工资%'", "wei") == "1");
  // Single-user mode (no [[user]]) redacts nothing: covered by Access; a user not listed
  // reads at the lowest clearance.
  CHECK(f.one("SELECT subject FROM records WHERE ref = 'EXT-2026-00002'", "stranger") == "[confidential]");
}

TEST_CASE("no view shows who raised a record") {
  Fixture f;
  // A history written by a later version that records the complainant in an event.
  {
    SQLite::Database db(f.path, SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER events_append_only");
    db.exec("INSERT INTO events (record_id, type, actor, at, data, prev_hash, hash) VALUES "
            "(1, 'logged', 'wei', 0, '{\"identity\":{\"name\":\"张三\"},\"text\":\"t\","
            "\"x\":[{\"complainant\":\"李四\"}]}', '', '')");
  }
  for (const std::string actor : {"wei", "li"}) {
    std::string data = f.one("SELECT data FROM events WHERE id = (SELECT max(id) FROM events)", actor);
    CAPTURE(data);
    CHECK(data.find("张三") == std::string::npos);
    CHECK(data.find("李四") == std::string::npos);
    CHECK(data.find("\"text\":\"t\"") != std::string::npos);
  }
}

TEST_CASE("writes, schema changes, pragmas, attachments and base tables are refused") {
  Fixture f;
  const std::string before = f.bytes();
  for (const std::string sql : {
           "DELETE FROM records",
           "WITH x AS (SELECT 1) DELETE FROM events",
           "INSERT INTO records SELECT * FROM records",
           "UPDATE records SET subject = 'x'",
           "DROP TABLE records",
           "DROP VIEW records",
           "CREATE TABLE t (x)",
           "CREATE TEMP TABLE t (x)",
           "CREATE TEMP VIEW v AS SELECT 1",
           "ATTACH 'other.db' AS other",
           "DETACH temp",
           "PRAGMA writable_schema = 1",
           "PRAGMA query_only = 0",
           "PRAGMA table_info(records)",
           "SELECT * FROM pragma_table_info('records')",
           "SELECT load_extension('/tmp/evil.so')",
           "SELECT sqlite_version()",
           "SELECT fts3_tokenizer('simple')",
           "SELECT * FROM json_each('[1]')",
           "SELECT * FROM dbstat",
           "SELECT sql FROM sqlite_stmt",
           "SELECT * FROM sqlite_master",
           "SELECT * FROM sqlite_schema",
           "SELECT * FROM temp.sqlite_master",
           "SELECT * FROM sqlite_temp_master",
           "SELECT * FROM sequences",
           "SELECT count(*) FROM sequences",
           "WITH records AS (SELECT * FROM sequences) SELECT * FROM records",
           "BEGIN",
           "SAVEPOINT s",
           "ANALYZE",
           "REINDEX",
           "VACUUM",
           "VACUUM INTO 'copy.db'",
       }) {
    CAPTURE(sql);
    CHECK(refusal<PermissionError>(f, sql).find("query refused: ") == 0);
  }
  CHECK(f.bytes() == before);
  CHECK(refusal<PermissionError>(f, "DELETE FROM records").find("DELETE") != std::string::npos);
  CHECK(refusal<PermissionError>(f, "PRAGMA writable_schema = 1").find("PRAGMA writable_schema = 1") != std::string::npos);
  CHECK(refusal<PermissionError>(f, "CREATE TEMP TABLE t (x)").find("CREATE TEMP TABLE t (only SELECT") != std::string::npos);
  CHECK(refusal<PermissionError>(f, "SELECT load_extension('x')").find("load_extension()") != std::string::npos);
  CHECK(refusal<PermissionError>(f, "ATTACH 'x.db' AS y").find("liaison-views") != std::string::npos);
}

TEST_CASE("the base tables cannot be reached behind the views, however the name is written") {
  Fixture f;
  for (const std::string sql : {
           "SELECT subject FROM main.records",
           "SELECT subject FROM MAIN.records",
           "SELECT subject FROM \"main\".records",
           "SELECT subject FROM [main].\"records\"",
           "SELECT subject FROM `main` . records",
           "SELECT subject FROM main/* c */.records",
           "SELECT subject FROM 'main'.records",
           "SELECT subject FROM 'MAIN' . 'records'",
           "WITH records AS (SELECT * FROM main.records) SELECT subject FROM records",
           "WITH events AS (SELECT subject AS data FROM main.records) SELECT data FROM events",
           "SELECT (SELECT subject FROM main.records LIMIT 1) FROM records",
           "SELECT count(*) FROM main.records",
           "SELECT 1 -- a comment's apostrophe\n FROM main.records",
       }) {
    CAPTURE(sql);
    CHECK(refusal<PermissionError>(f, sql).find("query refused") == 0);
  }
  // The word main in a string, a comment or a parameter name is fine.
  CHECK(f.one("SELECT count(*) FROM records WHERE subject <> 'main.records' /* main */ -- main") == "3");
  CHECK(f.one("SELECT count(*) FROM records WHERE owner <> 'main'") == "3");
  CHECK(f.one("SELECT :main", "wei", {{"main", "x"}}) == "x");
  // temp. names the views themselves.
  CHECK(f.one("SELECT count(*) FROM temp.records") == "3");
}

TEST_CASE("one statement, read-only, not too long, not an EXPLAIN") {
  Fixture f;
  CHECK(refusal<UsageError>(f, "SELECT 1; DROP TABLE records").find("more than one statement") != std::string::npos);
  CHECK(refusal<UsageError>(f, "SELECT 1; SELECT 2").find("more than one statement") != std::string::npos);
  CHECK(f.one("SELECT 1; ; -- done\n /* really */") == "1");
  CHECK(refusal<UsageError>(f, "   -- nothing\n").find("the query is empty") == 0);
  CHECK(refusal<UsageError>(f, "EXPLAIN SELECT 1").find("EXPLAIN") == 0);
  CHECK(refusal<UsageError>(f, "SELEC 1").find("SQL error: ") == 0);
  CHECK(refusal<UsageError>(f, "WITH x AS (DELETE FROM records) SELECT 1").find("SQL error: ") == 0);
  CHECK(refusal<UsageError>(f, "SELECT nosuch FROM records").find("no such column") != std::string::npos);
  std::string longest = "SELECT 1" + std::string(kMaxQueryBytes - 8, ' ');
  CHECK(f.one(longest) == "1");
  CHECK(refusal<UsageError>(f, longest + " ").find("bytes long") != std::string::npos);
}

TEST_CASE("harmless functions are allowed") {
  Fixture f;
  CHECK(f.one("SELECT strftime('%Y-%m', received_at_utc, 'unixepoch', '+8 hours') FROM records LIMIT 1") == "2026-09");
  CHECK(f.one("SELECT group_concat(ref, ',') FROM (SELECT ref FROM records ORDER BY ref)") ==
        "EXT-2026-00001,EXT-2026-00002,INT-2026-00001");
  CHECK(f.one("SELECT max(n) FROM (SELECT row_number() OVER (ORDER BY id) AS n FROM records)") == "3");
  CHECK(f.one("SELECT json_extract('{\"a\": 2}', '$.a') + abs(-1)") == "3");
  CHECK(f.one("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT sum(x) FROM c") ==
        "15");
  CHECK(f.one("SELECT upper(substr('abc', 2)) || lower('X') || coalesce(NULL, 'y')") == "BCxy");
}

TEST_CASE("a grouped count is flattened onto an index: no view column is computed") {
  Fixture f;
  auto steps = f.plan("SELECT owner, status, count(*) FROM records GROUP BY 1, 2");
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].detail.find("COVERING INDEX records_owner_status") != std::string::npos);
  // The events view's join to records is dropped when no column of it is used.
  auto events = f.plan("SELECT type, count(*) FROM events GROUP BY type");
  for (const auto& s : events) {
    CAPTURE(s.detail);
    CHECK(s.detail.find("CO-ROUTINE") == std::string::npos);
    CHECK(s.detail.find(" r ") == std::string::npos);
  }
}

TEST_CASE("parameters bind by name, integers as integers") {
  Fixture f;
  CHECK(f.one("SELECT count(*) FROM records WHERE owner = :owner", "wei", {{"owner", "quality"}}) == "2");
  CHECK(f.one("SELECT count(*) FROM records WHERE owner = @o AND major = $m", "wei", {{"o", "quality"}, {"m", "0"}}) ==
        "2");
  CHECK(f.one("SELECT typeof(:x)", "wei", {{"x", "42"}}) == "integer");
  CHECK(f.one("SELECT typeof(:x)", "wei", {{"x", "-7"}}) == "integer");
  CHECK(f.one("SELECT typeof(:x)", "wei", {{"x", "007"}}) == "text");
  CHECK(f.one("SELECT :x", "wei", {{"x", "007"}}) == "007");
  CHECK(f.one("SELECT typeof(:x)", "wei", {{"x", "1.5"}}) == "text");
  CHECK(f.one("SELECT typeof(:x)", "wei", {{"x", "99999999999999999999"}}) == "text");
  CHECK(f.one("SELECT :x || :x", "wei", {{"x", "ab"}}) == "abab");
  CHECK(refusal<UsageError>(f, "SELECT :x").find("parameter :x has no value") != std::string::npos);
  CHECK(refusal<UsageError>(f, "SELECT 1", {{"x", "1"}}).find("--param x") == 0);
  CHECK(refusal<UsageError>(f, "SELECT ?", {{"x", "1"}}).find("positional") != std::string::npos);
  // A parameter's value is a value, never SQL.
  CHECK(f.one("SELECT count(*) FROM records WHERE ref = :r", "wei", {{"r", "x' OR 1=1; DROP TABLE records; --"}}) ==
        "0");
}

TEST_CASE("a database that is not there or not ours is refused") {
  test::TempDir dir;
  Config config = parse_config(kConfig, "test.toml");
  WorkCalendar calendar(config.calendar);
  Access access(config, "wei");
  QueryViewer viewer{config, calendar, access, Lang::en};
  CHECK_THROWS_AS(open_session(dir.file("none.db"), viewer), NotFoundError);
  { std::ofstream(dir.file("empty.db")) << ""; }
  CHECK_THROWS_AS(open_session(dir.file("empty.db"), viewer), StoreError);
}

}  // namespace
}  // namespace liaison
