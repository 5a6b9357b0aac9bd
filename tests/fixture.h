// What the library's tests share: the small Chinese organisation most of them run against,
// Shanghai times, an in-memory (or temporary) store with a context, and temporary
// directories. Each test file adds its own kinds, channels, party types and rules to the
// shared config text; TOML lets those tables follow the shared ones. A fixture's store is
// SQLite's unless the test asks for the in-memory MemoryStore (tests/memory_store.h);
// STORE_TEST_CASE runs a test once on each.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <unistd.h>

#include <date/date.h>
#include <doctest/doctest.h>

#include "calendar.h"
#include "config.h"
#include "memory_store.h"
#include "services.h"
#include "store.h"

namespace liaison::test {

/// [organization] 测试有限公司 (top: gm) and [calendar] Mon–Fri 08:30–12:00, 13:00–17:30,
/// Asia/Shanghai, no holidays.
inline constexpr std::string_view kOrganization = R"toml(
[organization]
name = "测试有限公司"
timezone = "Asia/Shanghai"
top = "gm"

[calendar]
workdays = ["mon", "tue", "wed", "thu", "fri"]
hours = ["08:30-12:00", "13:00-17:30"]
)toml";

/// The official 2026 National Day notice: rest Thu 10-01 … Wed 10-07, makeup working days
/// Sun 09-20 and Sat 10-10. Follows kOrganization (it extends [calendar]).
inline constexpr std::string_view kNationalDay2026 = R"toml(
[[calendar.notice]]
name = "国务院办公厅关于2026年部分节假日安排的通知"
holidays = [
  { name = "国庆节", rest = ["2026-10-01", "2026-10-07"], makeup = ["2026-09-20", "2026-10-10"] },
]
)toml";

/// Departments gm (总经理办公室, head boss), quality (品质部, head wei, member li) and sales
/// (销售部, head dave); users boss (top), wei and dave (heads) and li. No names, no e-mail.
inline constexpr std::string_view kPeople = R"toml(
[[department]]
id = "gm"
name = "总经理办公室"
head = "boss"

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
id = "boss"
department = "gm"
roles = ["top"]

[[user]]
id = "wei"
department = "quality"
roles = ["head"]

[[user]]
id = "li"
department = "quality"

[[user]]
id = "dave"
department = "sales"
roles = ["head"]
)toml";

/// The shared organisation on the 2026 National Day calendar with its people, followed by
/// a test's own tables (kinds, channels, party types, rules).
inline std::string config_text(std::string_view own_tables) {
  std::string text;
  for (std::string_view part : {kOrganization, kNationalDay2026, kPeople, own_tables}) text += part;
  return text;
}

/// A moment in Asia/Shanghai (UTC+8, no DST).
inline TimePoint bj(int year, unsigned month, unsigned day, int hour, int minute = 0) {
  return TimePoint{date::sys_days{date::year{year} / date::month{month} / date::day{day}}} +
         std::chrono::hours{hour} + std::chrono::minutes{minute} - std::chrono::hours{8};
}

/// A party to register with add_party.
inline Party make_party(std::string id, std::string name, std::string type) {
  Party p;
  p.id = std::move(id);
  p.name = std::move(name);
  p.type = std::move(type);
  return p;
}

/// A fresh temporary directory, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "liaison-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// Which store a fixture runs on: the type parameter of a STORE_TEST_CASE, passed on to
/// the fixture as a value (`StoreFixture fx(text, now, "li", S{})`).
struct OnSqlite {};
struct OnMemory {};
/// PostgreSQL, in liaison_pg_store_tests only (LIAISON_TEST_ON_POSTGRES): a database of
/// its own on the throwaway cluster LIAISON_TEST_PG names, dropped afterwards.
struct OnPostgres {};

#ifdef LIAISON_TEST_ON_POSTGRES
/// A new database on the cluster; its URL, and a guard that drops it when released.
std::pair<std::string, std::shared_ptr<void>> new_pg_database();  // tests/pg/pg_fixture.cpp
#endif

/// A config, its calendar, a new store (in memory unless `db_path` names a file) and the
/// services' context on them, acting as `actor` at `now`.
struct StoreFixture {
  StoreFixture(Config parsed, TimePoint now, std::string actor = "li", const std::string& db_path = ":memory:")
      : config(std::move(parsed)),
        store(open_store(db_path, OpenMode::create)),
        ctx{config, calendar, *store, std::move(actor), now} {}
  StoreFixture(const std::string& text, TimePoint now, std::string actor = "li",
               const std::string& db_path = ":memory:")
      : StoreFixture(parse_config(text, "test.toml"), now, std::move(actor), db_path) {}
  /// The same on SQLite `:memory:`.
  StoreFixture(Config parsed, TimePoint now, std::string actor, OnSqlite)
      : StoreFixture(std::move(parsed), now, std::move(actor)) {}
  StoreFixture(const std::string& text, TimePoint now, std::string actor, OnSqlite on)
      : StoreFixture(parse_config(text, "test.toml"), now, std::move(actor), on) {}
  /// The same on a MemoryStore.
  StoreFixture(Config parsed, TimePoint now, std::string actor, OnMemory)
      : config(std::move(parsed)),
        store(std::make_unique<MemoryStore>()),
        ctx{config, calendar, *store, std::move(actor), now} {}
  StoreFixture(const std::string& text, TimePoint now, std::string actor, OnMemory on)
      : StoreFixture(parse_config(text, "test.toml"), now, std::move(actor), on) {}
#ifdef LIAISON_TEST_ON_POSTGRES
  /// The same on a fresh PostgreSQL database.
  StoreFixture(Config parsed, TimePoint now, std::string actor, OnPostgres)
      : config(std::move(parsed)),
        database(new_pg_database()),
        store(open_store(database.first, OpenMode::create)),
        ctx{config, calendar, *store, std::move(actor), now} {}
  StoreFixture(const std::string& text, TimePoint now, std::string actor, OnPostgres on)
      : StoreFixture(parse_config(text, "test.toml"), now, std::move(actor), on) {}
#endif
  StoreFixture(const StoreFixture&) = delete;  // ctx refers to the members
  StoreFixture& operator=(const StoreFixture&) = delete;

  Config config;
  WorkCalendar calendar{config.calendar};
  std::pair<std::string, std::shared_ptr<void>> database;  ///< OnPostgres: outlives the store
  std::unique_ptr<Store> store;
  Context ctx;
};

}  // namespace liaison::test

TYPE_TO_STRING_AS("sqlite", liaison::test::OnSqlite);
TYPE_TO_STRING_AS("memory", liaison::test::OnMemory);
TYPE_TO_STRING_AS("postgres", liaison::test::OnPostgres);

/// A test case run twice, on SQLite and on the in-memory store: its body names the store
/// as the type S (`Fixture fx(S{})`), and its name gets <sqlite> or <memory>. Built into
/// liaison_pg_store_tests (LIAISON_TEST_ON_POSTGRES), it runs once, on PostgreSQL.
#ifdef LIAISON_TEST_ON_POSTGRES
#define STORE_TEST_CASE(name) TEST_CASE_TEMPLATE(name, S, liaison::test::OnPostgres)
#else
#define STORE_TEST_CASE(name) TEST_CASE_TEMPLATE(name, S, liaison::test::OnSqlite, liaison::test::OnMemory)
#endif
