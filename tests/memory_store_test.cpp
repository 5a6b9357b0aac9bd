// Tests of tests/memory_store.cpp, the in-memory Store: its transactions and sequences, the
// constraints it shares with SQLite's schema, and — the strongest check — the same data
// put into it and into SQLite `:memory:` answering every query alike: list filters and
// sort keys (ties included), overdue obligations, reminders, audit queries, histories.
#include "memory_store.h"

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "fixture.h"
#include "chain.h"
#include "hash.h"
#include "overdue.h"

namespace liaison {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

/// 2026-09-29T00:00:00Z, the base of the times below.
const TimePoint kT0{seconds{1790640000}};

std::unique_ptr<Store> open_store(test::OnSqlite) { return open_store(":memory:", OpenMode::create); }
std::unique_ptr<Store> open_store(test::OnMemory) { return std::make_unique<MemoryStore>(); }

std::string text(const std::optional<TimePoint>& t) {
  return t ? std::to_string(t->time_since_epoch().count()) : "null";
}

/// Every field of a clock, one line.
std::string describe(const Clock& c) {
  return fmt::format("{} {} {} {} {} {} {} {} {} {}", c.name, c.duration, text(c.started_at), text(c.due),
                     text(c.stopped_at), c.used_seconds ? std::to_string(*c.used_seconds) : "null",
                     text(c.paused_since), c.paused_seconds, c.config_hash, c.provisional);
}

/// Every field of a record and its clocks, one line each.
std::string describe(const Record& r) {
  std::string out = fmt::format(
      "{} {} {} {} {} {}|{}|{} {} {} {} {} {} {} {} {} {}|{}|{}|{} [{}] {} {} {} {} {} {} {} {}", r.id, r.ref, r.kind,
      to_string(r.direction), to_string(r.flow), r.subject, r.body, r.channel, r.party, r.from_dept, r.owner,
      r.assignee, r.level, r.major, to_string(r.status), r.outcome ? to_string(*r.outcome) : "null", r.resolution,
      r.reply_via, r.capa, r.rule, fmt::join(r.notify, ";"), r.escalated_to, text(r.received_at),
      text(r.created_at), r.created_by, text(r.ack_due), text(r.acked_at), text(r.due), text(r.closed_at));
  for (const auto& c : r.clocks) out += "\n  " + describe(c);
  return out;
}

/// An event without its hashes: each store's events get their own random salts, so their
/// hashes differ (each chain is checked on its own, verify_chain).
std::string describe(const Event& e) {
  return fmt::format("{} {} {} {} {} {} {} salted:{} recorded:{}", e.id, e.record_id, e.ref, e.type, e.actor,
                     text(e.at), e.data, !e.salt.empty(), e.recorded_at.has_value());
}

template <typename T>
std::vector<std::string> describe_all(const std::vector<T>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) out.push_back(describe(v));
  return out;
}

/// A record with the fields a store requires.
Record plain_record(const std::string& ref) {
  Record r;
  r.ref = ref;
  r.kind = "complaint";
  r.subject = "subject";
  r.owner = "quality";
  r.level = "internal";
  r.created_by = "test";
  r.received_at = kT0;
  r.created_at = kT0;
  return r;
}

Event event_of(std::int64_t record_id, std::string type, std::string actor, TimePoint at, std::string data = "{}") {
  Event e;
  e.record_id = record_id;
  e.type = std::move(type);
  e.actor = std::move(actor);
  e.at = at;
  e.data = std::move(data);
  return e;
}

// ---------------------------------------------------------------------------------------
// Transactions, sequences and constraints, on both stores

STORE_TEST_CASE("a write rolled back by an exception leaves nothing behind") {
  auto store = open_store(S{});
  {
    auto tx = store->write();
    store->insert_party(test::make_party("svw", "上汽大众", "customer"));
    Record r = plain_record("EXT-2026-00001");
    r.party = "svw";
    r.clocks.push_back(Clock{"ack", "48h", kT0, kT0 + hours{48}, {}, {}, {}, 0, "h", false});
    auto id = store->insert_record(r);
    append_event(*store, event_of(id, "filed", "li", kT0));
    tx->commit();
  }
  const auto events_before = store->last_event_id();
  const auto record_before = describe(*store->find_record("EXT-2026-00001"));
  auto failing_write = [&] {
    auto tx = store->write();
    CHECK(store->next_sequence("EXT-2026-") == 1);
    store->insert_party(test::make_party("acme", "Acme", "supplier"));
    Party svw = *store->find_party("svw");
    svw.name = "changed";
    store->update_party(svw);
    Record r = *store->find_record("EXT-2026-00001");
    r.status = Status::closed;
    r.clocks.clear();
    store->update_record(r);
    auto id = store->insert_record(plain_record("EXT-2026-00002"));
    Identity who;
    who.name = "张三";
    store->insert_identity(id, who);
    append_event(*store, event_of(id, "filed", "li", kT0));
    store->advance_sequence("INT-2026-", 7);
    throw DataError(msg<Msg::nothing_do>());  // the service gives up
  };
  CHECK_THROWS_AS(failing_write(), DataError);
  CHECK(store->count_records() == 1);
  CHECK(store->last_event_id() == events_before);
  CHECK(describe(*store->find_record("EXT-2026-00001")) == record_before);
  CHECK_FALSE(store->record_exists("EXT-2026-00002"));
  CHECK_FALSE(store->find_party("acme"));
  CHECK(store->find_party("svw")->name == "上汽大众");
  CHECK(store->list_parties("").size() == 1);
  CHECK_FALSE(store->find_identity(2));
  CHECK(verify_chain(*store).ok);
  // Gap-free: the numbers drawn in the rolled-back write are drawn again.
  auto tx = store->write();
  CHECK(store->next_sequence("EXT-2026-") == 1);
  CHECK(store->next_sequence("EXT-2026-") == 2);
  store->advance_sequence("INT-2026-", 3);
  CHECK(store->next_sequence("INT-2026-") == 4);
  store->advance_sequence("INT-2026-", 2);  // never lowers
  CHECK(store->next_sequence("INT-2026-") == 5);
  // The record id after a rolled-back insert is taken again, too.
  CHECK(store->insert_record(plain_record("EXT-2026-00002")) == 2);
  tx->commit();
  CHECK(store->next_sequence("EXT-2026-") == 3);
}

STORE_TEST_CASE("an uncommitted write is rolled back at its end; one write at a time") {
  auto store = open_store(S{});
  {
    auto tx = store->write();
    store->insert_record(plain_record("A"));
    CHECK_THROWS_AS(store->write(), StoreError);
  }
  CHECK(store->count_records() == 0);
  {
    auto tx = store->write();
    store->insert_record(plain_record("A"));
    tx->commit();
  }
  auto tx = store->write();  // the committed one has ended
  CHECK(store->count_records() == 1);
}

STORE_TEST_CASE("the schema's constraints hold") {
  // One refused write per subcase, each on a new store: SQLite's store keeps its
  // statements, and one that failed reports its error again on its next use.
  auto store = open_store(S{});
  auto tx = store->write();
  store->insert_party(test::make_party("svw", "上汽大众", "customer"));
  auto a = store->insert_record(plain_record("A"));
  auto b = store->insert_record(plain_record("B"));
  CHECK(a == 1);
  CHECK(b == 2);
  Identity who;
  who.name = "张三";
  store->insert_identity(a, who);
  append_event(*store, event_of(b, "filed", "li", kT0));

  SUBCASE("a party id once") {
    CHECK_THROWS_AS(store->insert_party(test::make_party("svw", "again", "customer")), StoreError);
    CHECK(store->find_party("svw")->name == "上汽大众");
  }
  SUBCASE("a reference once, on insert") {
    CHECK_THROWS_AS(store->insert_record(plain_record("A")), StoreError);
    CHECK(store->count_records() == 2);
  }
  SUBCASE("a reference once, on update") {
    Record moved = *store->find_record("B");
    moved.ref = "A";
    CHECK_THROWS_AS(store->update_record(moved), StoreError);
    CHECK(store->find_record("A")->id == a);
    CHECK(store->find_record("B")->id == b);
  }
  SUBCASE("a record's party is registered") {
    Record stranger = plain_record("C");
    stranger.party = "nobody";
    CHECK_THROWS_AS(store->insert_record(stranger), StoreError);
    CHECK_FALSE(store->record_exists("C"));
  }
  SUBCASE("an identity once per record") {
    CHECK_THROWS_AS(store->insert_identity(a, Identity{}), StoreError);
    CHECK(store->find_identity(a)->name == "张三");
  }
  SUBCASE("an identity of a record") {
    CHECK_THROWS_AS(store->insert_identity(99, who), StoreError);
    CHECK_FALSE(store->find_identity(99));
  }
  SUBCASE("an event of a record") {
    CHECK_THROWS_AS(append_event(*store, event_of(99, "filed", "li", kT0)), StoreError);
    CHECK(store->last_event_id() == 1);
    CHECK(verify_chain(*store).ok);
  }
  SUBCASE("a record may be renamed; its events follow it") {
    Record moved = *store->find_record("B");
    moved.ref = "B2";
    store->update_record(moved);
    CHECK(store->events_for(b).at(0).ref == "B2");
    CHECK_FALSE(store->record_exists("B"));
    CHECK(store->find_record("B2")->id == b);
  }
  SUBCASE("updating what is not there changes nothing") {
    Record ghost = plain_record("G");
    ghost.id = 42;
    store->update_record(ghost);
    CHECK(store->count_records() == 2);
    CHECK_FALSE(store->record_exists("G"));
    store->update_party(test::make_party("nobody", "x", "customer"));
    CHECK_FALSE(store->find_party("nobody"));
    ghost.clocks.push_back(Clock{"ack", "8wh", kT0, kT0, {}, {}, {}, 0, "h", false});
    CHECK_THROWS_AS(store->update_record(ghost), StoreError);  // clocks of no record
  }
}

TEST_CASE("MemoryStore: the chain primitives, and what it lacks") {
  MemoryStore store;
  CHECK(store.schema_version() == open_store(":memory:", OpenMode::create)->schema_version());
  CHECK(store.chain_tip().id == 0);
  CHECK(store.chain_tip().hash.empty());
  auto id = store.insert_record(plain_record("A"));
  Event first = append_event(store, event_of(id, "filed", "li", kT0));
  CHECK(first.id == 1);
  CHECK(first.prev_hash.empty());
  CHECK(store.chain_tip().id == 1);
  CHECK(store.chain_tip().hash == first.hash);
  Event second = append_event(store, event_of(0, "party-added", "li", kT0));
  CHECK(second.prev_hash == first.hash);
  // insert_event takes an event as it is, after the last one only.
  Event copied = event_of(id, "logged", "li", kT0, R"({"text":"x"})");
  copied.id = 3;
  copied.prev_hash = second.hash;
  copied.hash = sha256_hex(event_digest_input(copied));
  CHECK_THROWS_AS(store.insert_event(second), StoreError);
  store.insert_event(copied);
  std::vector<std::string> seen;
  store.each_event([&](const Event& e) { seen.push_back(fmt::format("{} {}", e.id, e.ref)); });
  CHECK(seen == std::vector<std::string>{"1 A", "2 ", "3 A"});
  CHECK(verify_chain(store).ok);
  CHECK(verify_chain(store).events == 3);
  // A gap and a forged hash are found, as on SQLite.
  Event gap = copied;
  gap.id = 5;
  gap.prev_hash = copied.hash;
  gap.hash = sha256_hex(event_digest_input(gap));
  store.insert_event(gap);
  auto check = verify_chain(store);
  CHECK_FALSE(check.ok);
  CHECK(check.first_bad_id == 4);
  CHECK(check.problem.english() == "event 4 is missing (the next one found is 5)");
  MemoryStore forged;
  forged.insert_record(plain_record("A"));
  Event bad = event_of(1, "filed", "li", kT0);
  bad.id = 1;
  bad.hash = "0";
  forged.insert_event(bad);
  CHECK(verify_chain(forged).first_bad_id == 1);
  CHECK(verify_chain(forged).problem.english() == "its content does not match its hash (changed after it was written)");

  RecordFilter grep;
  grep.grep = "焊点";
  CHECK_THROWS_WITH_AS(store.list_records(grep), "this store cannot search text", StoreError);
  // What only some engines can do, the in-memory store says it cannot.
  CHECK(store.text_search() == nullptr);
  CHECK(store.maintenance() == nullptr);
  CHECK(store.online_backup() == nullptr);
  CHECK(store.report_queries() == nullptr);
  CHECK(store.auditor_queries() == nullptr);
  CHECK_THROWS_AS(require(store, store.text_search(), msg<Msg::can_search_text>()), StoreError);
}

// ---------------------------------------------------------------------------------------
// The same data in both stores

/// A MemoryStore and a SQLite `:memory:` store holding the same records, parties,
/// identities and events: varied enough that every filter keeps some and drops some,
/// and every sort key has ties and (for deadlines) missing values.
struct Twins {
  MemoryStore memory;
  std::unique_ptr<Store> sqlite = open_store(":memory:", OpenMode::create);
  std::vector<std::string> refs;

  template <typename F>
  void both(F&& f) {
    f(memory);
    f(*sqlite);
  }

  Twins() {
    std::mt19937 random(20260929);
    auto pick = [&](const std::vector<std::string>& values) { return values[random() % values.size()]; };
    auto chance = [&](unsigned percent) { return random() % 100 < percent; };
    both([](Store& s) {
      auto tx = s.write();
      s.insert_party(test::make_party("svw", "上汽大众", "customer"));
      s.insert_party(test::make_party("acme", "Acme", "supplier"));
      s.insert_party(test::make_party("bosch", "博世", "supplier"));
      tx->commit();
    });
    const std::vector<std::string> kinds = {"complaint", "inquiry", "suggestion", "notice"};
    const std::vector<std::string> owners = {"quality", "sales", "gm", "Quality", "质量部"};
    const std::vector<std::string> parties = {"svw", "acme", "bosch"};
    const std::vector<std::string> assignees = {"", "", "li", "wei", "dave"};
    const std::vector<std::string> levels = {"public", "internal", "internal", "confidential", "secret"};
    const std::vector<std::string> prefixes = {"EXT-2026-", "INT-2026-", "EXT-2025-", "ext-2026-", "内-2026-"};
    const std::vector<Status> statuses = {Status::open, Status::acknowledged, Status::waiting, Status::closed};
    for (int i = 0; i < 160; ++i) {
      Record r;
      // References in an order of their own, not the id order.
      r.ref = pick(prefixes) + fmt::format("{:05}", random() % 100000);
      if (std::find(refs.begin(), refs.end(), r.ref) != refs.end()) continue;
      r.kind = pick(kinds);
      r.direction = chance(50) ? Direction::external : Direction::internal;
      r.flow = r.direction == Direction::internal ? Flow::upward : Flow::none;
      r.subject = fmt::format("subject {}", i);
      r.body = i % 7 == 0 ? "" : "body, with a comma";
      r.channel = "email";
      r.party = r.direction == Direction::external && chance(80) ? pick(parties) : "";
      r.from_dept = r.direction == Direction::internal ? "sales" : "";
      r.owner = pick(owners);
      r.assignee = pick(assignees);
      r.level = pick(levels);
      r.major = chance(20);
      r.status = statuses[random() % statuses.size()];
      if (r.status == Status::closed) {
        r.outcome = Outcome::resolved;
        r.closed_at = kT0 + hours{static_cast<int>(random() % 50)};
      }
      r.notify = chance(30) ? std::vector<std::string>{"sales", "gm"} : std::vector<std::string>{};
      // Few distinct moments, so that sorting meets ties.
      r.received_at = kT0 - hours{24 * static_cast<int>(random() % 12)};
      r.created_at = r.received_at;
      r.created_by = "li";
      if (chance(75)) r.ack_due = kT0 + hours{8 * (static_cast<int>(random() % 9) - 4)};
      if (r.status != Status::open && r.status != Status::waiting && chance(70)) r.acked_at = kT0 - hours{1};
      if (r.status == Status::waiting && chance(50)) r.acked_at = kT0 - hours{2};
      if (chance(80)) r.due = kT0 + hours{24 * (static_cast<int>(random() % 9) - 4)};
      auto clock = [&](std::string name, std::optional<TimePoint> due, std::optional<TimePoint> stopped) {
        r.clocks.push_back(Clock{std::move(name), "5wd", r.received_at, due, stopped, {}, {}, 0, "h", chance(10)});
      };
      if (r.ack_due) clock("ack", r.ack_due, r.acked_at);
      if (r.due) clock("resolve", r.due, r.closed_at);
      if (chance(20)) clock("reply", std::nullopt, std::nullopt);
      if (chance(20)) clock("capa", r.due, std::nullopt);
      refs.push_back(r.ref);
      both([&](Store& s) {
        auto tx = s.write();
        auto id = s.insert_record(r);
        if (i % 5 == 0) {
          Identity who;
          who.name = fmt::format("person {}", i);
          s.insert_identity(id, who);
        }
        tx->commit();
      });
    }
    // Histories: filings, notes, party events and reminders, at few distinct moments.
    const std::vector<std::string> types = {"logged", "acknowledged", "routed", "reminded", "reminded"};
    const std::vector<std::string> actors = {"li", "wei", "boss", "cron"};
    const std::vector<std::string> obligations = {"ack", "resolve"};
    const std::vector<std::string> recipients = {"li", "wei", "sales"};
    std::vector<Event> events;
    for (std::size_t i = 0; i < refs.size(); ++i) {
      auto id = static_cast<std::int64_t>(i + 1);
      events.push_back(event_of(id, "filed", "li", kT0 - hours{24}, R"({"subject":"s"})"));
    }
    for (int i = 0; i < 400; ++i) {
      auto id = static_cast<std::int64_t>(random() % refs.size() + 1);
      std::string type = pick(types);
      std::string data = R"({"text":"note"})";
      if (type == "reminded")
        data = nlohmann::json{{"obligation", pick(obligations)}, {"to", pick(recipients)}}.dump();
      if (i % 40 == 0) data = R"({"to":"li"})";  // no obligation: NULL groups together
      if (i % 25 == 0) {
        id = 0;
        type = "party-edited";
      }
      events.push_back(event_of(id, type, pick(actors), kT0 + hours{static_cast<int>(random() % 6)}, data));
    }
    // Reminders that tie on their moment, and recipients SQLite groups by JSON value:
    // 1 and 1.0 and true are one number, "1" is text, a missing or null one is NULL.
    for (const char* data : {R"({"message_id":"a","obligation":"resolve","to":"li"})",
                             R"({"message_id":"b","obligation":"resolve","to":"li"})",
                             R"({"obligation":"resolve","to":1})", R"({"obligation":"resolve","to":1.0})",
                             R"({"obligation":"resolve","to":true})", R"({"obligation":"resolve","to":"1"})",
                             R"({"obligation":"resolve","to":null})", R"({"obligation":"resolve"})",
                             R"({"obligation":"resolve","to":["li"]})", R"([1, 2])"})
      events.push_back(event_of(2, "reminded", "cron", kT0 + hours{3}, data));
    both([&](Store& s) {
      auto tx = s.write();
      for (const auto& e : events) append_event(s, e);
      tx->commit();
    });
  }

  int partial = 0;  ///< listings that kept some records and left out others

  std::vector<std::string> listed(Store& s, const RecordFilter& f) {
    std::vector<std::string> out;
    for (const auto& r : s.list_records(f)) out.push_back(r.ref);
    return out;
  }
  /// Both stores list the same references (and the same records) for the filter.
  void check_listing(const RecordFilter& f, const std::string& what) {
    CAPTURE(what);
    auto expected = listed(*sqlite, f);
    CHECK(listed(memory, f) == expected);
    if (!expected.empty() && expected.size() < refs.size()) ++partial;
    std::vector<std::string> streamed;
    memory.each_record(f, [&](Record& r) { streamed.push_back(r.ref); });
    CHECK(streamed == expected);
  }
};

TEST_CASE("MemoryStore and SQLite list the same records, in the same order, for every filter and sort") {
  Twins t;
  REQUIRE(t.memory.count_records() == t.sqlite->count_records());
  REQUIRE(t.refs.size() > 100);
  // Whole records, every field.
  CHECK(describe_all(t.memory.list_records({})) == describe_all(t.sqlite->list_records({})));
  for (const auto& ref : t.refs) {
    CAPTURE(ref);
    CHECK(describe(*t.memory.find_record(ref)) == describe(*t.sqlite->find_record(ref)));
    CHECK(t.memory.record_exists(ref));
  }
  CHECK_FALSE(t.memory.find_record("EXT-2026-99999x"));

  std::vector<std::pair<std::string, RecordFilter>> filters;
  auto add = [&](std::string name, auto&& set) {
    RecordFilter f;
    set(f);
    filters.emplace_back(std::move(name), f);
  };
  add("all", [](RecordFilter&) {});
  add("open", [](RecordFilter& f) { f.statuses = {Status::open}; });
  add("waiting or closed", [](RecordFilter& f) { f.statuses = {Status::waiting, Status::closed}; });
  add("kinds", [](RecordFilter& f) { f.kinds = {"complaint", "notice"}; });
  add("unknown kind", [](RecordFilter& f) { f.kinds = {"nothing"}; });
  add("external", [](RecordFilter& f) { f.direction = Direction::external; });
  add("internal", [](RecordFilter& f) { f.direction = Direction::internal; });
  add("owners", [](RecordFilter& f) { f.owners = {"quality", "质量部"}; });
  add("owner case", [](RecordFilter& f) { f.owners = {"Quality"}; });
  add("parties", [](RecordFilter& f) { f.parties = {"svw", "bosch"}; });
  add("party none", [](RecordFilter& f) { f.parties = {""}; });
  add("assignees", [](RecordFilter& f) { f.assignees = {"li"}; });
  add("unassigned", [](RecordFilter& f) { f.assignees = {""}; });
  add("major", [](RecordFilter& f) { f.major = true; });
  add("not major", [](RecordFilter& f) { f.major = false; });
  add("since", [](RecordFilter& f) { f.received_since = kT0 - hours{24 * 5}; });
  add("until", [](RecordFilter& f) { f.received_until = kT0 - hours{24 * 5}; });
  add("since and until", [](RecordFilter& f) {
    f.received_since = kT0 - hours{24 * 8};
    f.received_until = kT0 - hours{24 * 3};
  });
  add("overdue at a deadline's own second", [](RecordFilter& f) { f.overdue_at = kT0; });
  add("overdue later", [](RecordFilter& f) { f.overdue_at = kT0 + hours{24 * 2} + seconds{1}; });
  add("readable levels", [](RecordFilter& f) { f.readable_levels = {{"public", "internal"}}; });
  add("no readable level", [](RecordFilter& f) { f.readable_levels = std::vector<std::string>{}; });
  add("combined", [](RecordFilter& f) {
    f.statuses = {Status::open, Status::acknowledged};
    f.direction = Direction::external;
    f.readable_levels = {{"public", "internal", "confidential"}};
    f.received_since = kT0 - hours{24 * 10};
  });

  using Key = RecordFilter::SortKey;
  const std::vector<std::pair<Key, std::string>> keys = {
      {Key::received, "received"}, {Key::due, "due"},     {Key::ack_due, "ack_due"}, {Key::ref, "ref"},
      {Key::kind, "kind"},         {Key::owner, "owner"}, {Key::status, "status"}};
  int listings = 0;
  for (const auto& [name, base] : filters)
    for (const auto& [key, key_name] : keys)
      for (bool descending : {false, true})
        for (std::int64_t limit : {0, 1, 7, 1000}) {
          RecordFilter f = base;
          f.sort = key;
          f.descending = descending;
          f.limit = limit;
          t.check_listing(f, fmt::format("{} by {}{} limit {}", name, key_name, descending ? " desc" : "", limit));
          ++listings;
        }
  CHECK(listings == 23 * 7 * 2 * 4);
  CHECK(t.partial > listings * 3 / 4);  // the data is varied enough to tell filters apart
  // Clocks: ack, resolve, then the others by name, on both.
  for (std::int64_t id = 1; id <= t.memory.count_records(); ++id)
    CHECK(describe_all(t.memory.clocks_for(id)) == describe_all(t.sqlite->clocks_for(id)));
}

TEST_CASE("MemoryStore and SQLite agree on overdue obligations, reminders, audit queries and histories") {
  Twins t;
  // Overdue obligations, for moments around the deadlines and with each filter.
  auto overdue = [](Store& s, const OverdueQuery& q) {
    std::vector<std::string> out;
    s.overdue_obligations(q, [&](OverdueEntry& e) {
      out.push_back(fmt::format("{} {} {} {} {} {} {} {} {} {} {} {}", e.record_id, e.ref, e.kind,
                                to_string(e.direction), e.owner, e.assignee, e.subject, e.level, e.major,
                                to_string(e.status), e.obligation, text(e.due)));
    });
    return out;
  };
  for (int h : {-200, -96, -8, 0, 1, 24, 96, 200}) {
    OverdueQuery q;
    q.due_before = kT0 + hours{h};
    CAPTURE(h);
    auto all = overdue(*t.sqlite, q);
    CHECK(overdue(t.memory, q) == all);
    q.owners = {"quality", "gm"};
    CHECK(overdue(t.memory, q) == overdue(*t.sqlite, q));
    q.assignees = {"", "li"};
    CHECK(overdue(t.memory, q) == overdue(*t.sqlite, q));
    q.kinds = {"complaint"};
    CHECK(overdue(t.memory, q) == overdue(*t.sqlite, q));
  }

  // Reminders: the newest per record, obligation and recipient.
  for (int h : {-100, 0, 2, 5, 6}) {
    CAPTURE(h);
    auto expected = describe_all(t.sqlite->reminders_since(kT0 + hours{h}));
    CHECK(describe_all(t.memory.reminders_since(kT0 + hours{h})) == expected);
  }
  CHECK_FALSE(t.memory.reminders_since(kT0).empty());
  std::vector<std::string> record_2;
  for (const auto& e : t.memory.reminders_since(kT0 + hours{3}))
    if (e.record_id == 2 && e.actor == "cron" && e.at == kT0 + hours{3}) record_2.push_back(e.data);
  CHECK(record_2.size() >= 5);

  // Audit queries.
  auto audited = [](Store& s, const EventFilter& f) {
    std::vector<std::string> out;
    s.audit_events(f, [&](const Event& e, const std::string& level) { out.push_back(describe(e) + " " + level); });
    return out;
  };
  std::vector<EventFilter> event_filters(12);
  event_filters[1].actors = {"wei", "cron"};
  event_filters[2].types = {"reminded", "party-edited"};
  event_filters[3].refs = {t.refs[0], t.refs[5], "NO-SUCH-REF"};
  event_filters[4].since = kT0 + hours{2};
  event_filters[5].until = kT0 + hours{3};
  event_filters[6].since = kT0 + hours{1};
  event_filters[6].until = kT0 + hours{4};
  event_filters[6].types = {"logged"};
  event_filters[7].newest_first = true;
  event_filters[8].newest_first = true;
  event_filters[8].limit = 10;
  event_filters[9].limit = 3;
  event_filters[9].actors = {"boss"};
  event_filters[10].refs = {t.refs[3]};
  event_filters[10].newest_first = true;
  event_filters[11].types = {"nothing"};
  for (std::size_t i = 0; i < event_filters.size(); ++i) {
    CAPTURE(i);
    CHECK(audited(t.memory, event_filters[i]) == audited(*t.sqlite, event_filters[i]));
  }

  // Histories, events, the chain.
  auto histories = [](Store& s) {
    std::vector<std::string> out;
    s.record_histories([&](const RecordHistory& h) {
      out.push_back(fmt::format("{} {}", h.record_id, h.record ? describe(*h.record) : "no record"));
      for (const auto& e : h.events) out.push_back(describe(e));
    });
    return out;
  };
  CHECK(histories(t.memory) == histories(*t.sqlite));
  for (std::int64_t id = 0; id <= t.memory.count_records() + 1; ++id)
    CHECK(describe_all(t.memory.events_for(id)) == describe_all(t.sqlite->events_for(id)));
  CHECK(t.memory.last_event_id() == t.sqlite->last_event_id());
  auto chain = verify_chain(t.memory);
  CHECK(chain.ok);
  CHECK(chain.events == verify_chain(*t.sqlite).events);
  CHECK(verify_chain(*t.sqlite).ok);
  // Identities and parties.
  for (std::int64_t id = 1; id <= t.memory.count_records(); ++id) {
    auto m = t.memory.find_identity(id), s = t.sqlite->find_identity(id);
    REQUIRE(m.has_value() == s.has_value());
    if (m) CHECK(m->name == s->name);
  }
  for (const std::string type : {"", "supplier", "customer", "none"}) {
    std::vector<std::string> m, s;
    for (const auto& p : t.memory.list_parties(type)) m.push_back(p.id + " " + p.name);
    for (const auto& p : t.sqlite->list_parties(type)) s.push_back(p.id + " " + p.name);
    CHECK(m == s);
  }
}

}  // namespace
}  // namespace liaison
