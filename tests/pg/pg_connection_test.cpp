// Tests of lib/store/postgres/pg_connection.cpp against a real server: the throwaway
// cluster scripts/pg-cluster starts for the test run (cmake/tests.cmake), reached by
// $LIAISON_TEST_PG. Without it every test fails: these never pass by skipping.
#include "pg_connection.h"

#include <cstdlib>
#include <string>

#include <doctest/doctest.h>

#include "errors.h"

namespace liaison::pg {
namespace {

std::string server() {
  const char* url = std::getenv("LIAISON_TEST_PG");
  REQUIRE_MESSAGE(url, "LIAISON_TEST_PG is not set: run these through ctest, which starts a cluster");
  return url;
}

/// The TCP port of the test cluster ($PGPORT, as scripts/pg-cluster writes it).
std::string port() {
  const char* p = std::getenv("PGPORT");
  REQUIRE(p);
  return p;
}

template <typename E, typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return std::string(e.what()) + " (" + e.hint() + ")";
  }
  FAIL("nothing thrown");
  return "";
}

TEST_CASE("values are bound, never spliced: Chinese text, quotes and NULL come back as sent") {
  Connection c(server());
  CHECK(c.server_version() >= 150000);
  Result r = c.exec("SELECT $1::text || '，已签收', $2::text IS NULL, length($3::text)",
                    {std::string("通知：消防演练"), std::nullopt, std::string("'); DROP TABLE x; --")});
  REQUIRE(r.rows() == 1);
  CHECK(r.text(0, 0) == "通知：消防演练，已签收");
  CHECK(r.text(0, 1) == "t");
  CHECK(r.int64(0, 2) == 20);
  CHECK(c.exec("SELECT NULL::text").is_null(0, 0));
  CHECK_THROWS_AS(c.exec("SELECT 'x'").int64(0, 0), StoreError);
}

TEST_CASE("a statement the server refuses is an error naming the URL, not a crash") {
  Connection c(server());
  std::string m = message_of<StoreError>([&] { c.exec("SELEC 1"); });
  CHECK(m.find("syntax error") != std::string::npos);
  CHECK(m.find("postgresql://postgres@/postgres") != std::string::npos);
  // The connection is still good for the next statement.
  CHECK(c.exec("SELECT 2").int64(0, 0) == 2);
}

TEST_CASE("a server that does not answer is busy (exit 75), and the password never shows") {
  // A port nothing listens on: the cluster's own, on another loopback address.
  const std::string url = "postgresql://liaison:s3cret%21pw@127.0.0.2:" + port() + "/records?connect_timeout=10";
  try {
    Connection c(url);
    FAIL("connected to nothing");
  } catch (const BusyError& e) {
    const std::string text = std::string(e.what()) + e.hint();
    CHECK(text.find("postgresql://liaison:***@127.0.0.2") != std::string::npos);
    CHECK(text.find("s3cret") == std::string::npos);
    CHECK(text.find("retry") != std::string::npos);
  }
}

TEST_CASE("a wrong password is not busy: the server answered, and the password never shows") {
  Connection admin(server());
  admin.exec("DROP ROLE IF EXISTS liaison_pw_test");
  admin.exec("CREATE ROLE liaison_pw_test LOGIN PASSWORD 'right-one'");
  const std::string url = "postgresql://liaison_pw_test:wr0ng-Pass@127.0.0.1:" + port() + "/postgres";
  std::string m = message_of<StoreError>([&] { Connection c(url); });
  CHECK(m.find("password authentication failed") != std::string::npos);
  CHECK(m.find("wr0ng-Pass") == std::string::npos);
  CHECK(m.find("~/.pgpass") != std::string::npos);
  // The same password in a keyword string, and its right form, connect over TCP.
  Connection ok("host=127.0.0.1 port=" + port() + " dbname=postgres user=liaison_pw_test password='right-one'");
  CHECK(ok.exec("SELECT current_user").text(0, 0) == "liaison_pw_test");
  CHECK(ok.shown_url().find("right-one") == std::string::npos);
  admin.exec("DROP ROLE liaison_pw_test");
}

TEST_CASE("a connection the server drops is busy: a retry may cure it") {
  Connection victim(server());
  Connection admin(server());
  admin.exec("SELECT pg_terminate_backend($1::int)", {std::to_string(victim.backend_pid())});
  std::string m = message_of<BusyError>([&] { victim.exec("SELECT 1"); });
  CHECK(m.find("retry") != std::string::npos);
}

TEST_CASE("a serialization failure between two writers is busy, the loser's work undone") {
  Connection a(server());
  Connection b(server());
  a.exec("DROP TABLE IF EXISTS pg_test_counter");
  a.exec("CREATE TABLE pg_test_counter (n int)");
  a.exec("INSERT INTO pg_test_counter VALUES (0)");
  a.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
  CHECK(a.exec("SELECT n FROM pg_test_counter").int64(0, 0) == 0);
  b.exec("UPDATE pg_test_counter SET n = n + 1");  // commits at once
  CHECK_THROWS_AS(a.exec("UPDATE pg_test_counter SET n = n + 10"), BusyError);
  a.exec("ROLLBACK");
  CHECK(b.exec("SELECT n FROM pg_test_counter").int64(0, 0) == 1);
  a.exec("DROP TABLE pg_test_counter");
}

TEST_CASE("url_secrets finds a password wherever libpq takes one; scrub hides every copy") {
  CHECK(url_secrets("postgresql://u:p%40ss@h/db") == std::vector<std::string>{"p%40ss", "p@ss"});
  CHECK(url_secrets("postgresql://u@h/db?sslmode=require&password=xyz&x=1") == std::vector<std::string>{"xyz"});
  CHECK(url_secrets("host=h password = 'a b' dbname=d") == std::vector<std::string>{"a b"});
  CHECK(url_secrets("postgresql://u@h/db").empty());
  // libpq's own reading: a '?' or '#' before the '@' belongs to the password; '&' is part
  // of a keyword string's value; \' and \\ are escapes in a quoted one.
  CHECK(url_secrets("postgresql://u:pa?ss@h/db") == std::vector<std::string>{"pa?ss"});
  CHECK(url_secrets("postgresql://u:pa#ss@h/db") == std::vector<std::string>{"pa#ss"});
  // libpq ends the user information at the first '@'; the password was likely meant to the
  // last: both hidden, so the host libpq then names ("ss@h") shows no more of it than "ss".
  CHECK(url_secrets("postgresql://u:p@ss@h/db") == std::vector<std::string>{"p@ss", "p"});
  CHECK(url_secrets("host=h password=a&b dbname=d") == std::vector<std::string>{"a&b"});
  CHECK(url_secrets("postgresql://u@h/db?password=ab#cd&x=1") == std::vector<std::string>{"ab#cd"});
  CHECK(url_secrets("password = x application_name=a://b") == std::vector<std::string>{"x"});
  CHECK(url_secrets("host=h password='it\\'s' dbname=d") == std::vector<std::string>{"it\\'s", "it's"});
  CHECK(scrub("postgresql://u:pa?ss@h/db", url_secrets("postgresql://u:pa?ss@h/db")) == "postgresql://u:***@h/db");
  CHECK(url_secrets("/var/lib/liaison/records.db").empty());
  CHECK(scrub("failed for p@ss and p@ss", {"p@ss"}) == "failed for *** and ***");
  CHECK(retryable_sqlstate("40001"));
  CHECK(retryable_sqlstate("08006"));
  CHECK_FALSE(retryable_sqlstate("42601"));
}

}  // namespace
}  // namespace liaison::pg
