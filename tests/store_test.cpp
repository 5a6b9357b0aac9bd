// Tests of lib/store (open_store's schemes) and the SQLite store (lib/store/sqlite): migrations,
// record and party round trips, list filters and sorting, gap-free sequences and rollback,
// the hash-chained event log kept through lib/services/chain.h, the append-only triggers
// and tamper detection, refusing databases that are not ours, and a missing capability.
#include "store.h"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include "chain.h"
#include "errors.h"
#include "fixture.h"
#include "hash.h"
#include "migrations.h"
#include "sqlite_store.h"
#include "store_sqlite_search.h"

namespace liaison {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

/// 2026-09-29T00:00:00Z, the base of the times below.
const TimePoint kT0{seconds{1790640000}};

using test::TempDir;

std::unique_ptr<Store> memory_store() { return open_store(":memory:", OpenMode::create); }

/// The message of the exception of type E that `f` throws, or "<no exception>".
template <typename E, typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "<no exception>";
}

/// A record with every field set to something distinguishable.
Record full_record(const std::string& ref) {
  Record r;
  r.ref = ref;
  r.kind = "complaint";
  r.direction = Direction::external;
  r.flow = Flow::none;
  r.subject = "焊点开裂 solder joints crack";
  r.body = "line 1\nline 2, with a comma";
  r.channel = "email";
  r.party = "svw";
  r.from_dept = "sales";
  r.owner = "quality";
  r.assignee = "li.na";
  r.level = "confidential";
  r.major = true;
  r.status = Status::closed;
  r.outcome = Outcome::no_action;
  r.resolution = "replaced the batch";
  r.reply_via = "phone";
  r.capa = "CAPA-2026-007";
  r.rule = "customer complaints go to quality";
  r.notify = {"sales", "gm"};
  r.escalated_to = "gm";
  r.received_at = kT0 + hours{2};
  r.created_at = kT0 + hours{3};
  r.created_by = "wei.jun";
  r.ack_due = kT0 + hours{50};
  r.acked_at = kT0 + hours{4};
  r.due = kT0 + hours{200};
  r.closed_at = kT0 + hours{100};
  Clock ack;
  ack.name = "ack";
  ack.duration = "48h";
  ack.started_at = r.received_at;
  ack.due = r.ack_due;
  ack.stopped_at = r.acked_at;
  ack.used_seconds = 7200;
  ack.config_hash = "abc123";
  Clock resolve;
  resolve.name = "resolve";
  resolve.duration = "5wd";
  resolve.started_at = r.received_at;
  resolve.due = r.due;
  resolve.stopped_at = r.closed_at;
  resolve.used_seconds = 99000;
  resolve.paused_seconds = 3600;
  resolve.config_hash = "abc123";
  resolve.provisional = true;
  Clock reply;
  reply.name = "reply";
  reply.duration = "8wh";
  reply.started_at = r.received_at;
  reply.paused_since = kT0 + hours{5};
  reply.config_hash = "def456";
  // Stored out of the canonical order on purpose: the store returns ack, resolve, then others.
  r.clocks = {reply, resolve, ack};
  return r;
}

/// A minimal valid record.
Record plain_record(const std::string& ref) {
  Record r;
  r.ref = ref;
  r.kind = "inquiry";
  r.subject = "subject of " + ref;
  r.owner = "quality";
  r.level = "internal";
  r.received_at = kT0;
  r.created_at = kT0;
  r.created_by = "clerk";
  return r;
}

void check_same_clock(const Clock& a, const Clock& b) {
  CAPTURE(a.name);
  CHECK(a.name == b.name);
  CHECK(a.duration == b.duration);
  CHECK(a.started_at == b.started_at);
  CHECK(a.due == b.due);
  CHECK(a.stopped_at == b.stopped_at);
  CHECK(a.used_seconds == b.used_seconds);
  CHECK(a.paused_since == b.paused_since);
  CHECK(a.paused_seconds == b.paused_seconds);
  CHECK(a.config_hash == b.config_hash);
  CHECK(a.provisional == b.provisional);
}

/// Every field, clocks by name (`expected_clocks` in the order the store returns them).
void check_same_record(const Record& got, const Record& want, const std::vector<Clock>& expected_clocks) {
  CHECK(got.id == want.id);
  CHECK(got.ref == want.ref);
  CHECK(got.kind == want.kind);
  CHECK(got.direction == want.direction);
  CHECK(got.flow == want.flow);
  CHECK(got.subject == want.subject);
  CHECK(got.body == want.body);
  CHECK(got.channel == want.channel);
  CHECK(got.party == want.party);
  CHECK(got.from_dept == want.from_dept);
  CHECK(got.owner == want.owner);
  CHECK(got.assignee == want.assignee);
  CHECK(got.level == want.level);
  CHECK(got.major == want.major);
  CHECK(got.status == want.status);
  CHECK(got.outcome == want.outcome);
  CHECK(got.resolution == want.resolution);
  CHECK(got.reply_via == want.reply_via);
  CHECK(got.capa == want.capa);
  CHECK(got.rule == want.rule);
  CHECK(got.notify == want.notify);
  CHECK(got.escalated_to == want.escalated_to);
  CHECK(got.received_at == want.received_at);
  CHECK(got.created_at == want.created_at);
  CHECK(got.created_by == want.created_by);
  CHECK(got.ack_due == want.ack_due);
  CHECK(got.acked_at == want.acked_at);
  CHECK(got.due == want.due);
  CHECK(got.closed_at == want.closed_at);
  REQUIRE(got.clocks.size() == expected_clocks.size());
  for (std::size_t i = 0; i < expected_clocks.size(); ++i) check_same_clock(got.clocks[i], expected_clocks[i]);
}

Party make_party(const std::string& id, const std::string& type) {
  Party p;
  p.id = id;
  p.name = "名称 " + id;
  p.type = type;
  p.contact = "contact " + id;
  p.phone = "+86 512 0000 " + id;
  p.email = id + "@example.com";
  p.address = "address of " + id;
  p.notes = "notes, with a comma";
  p.created_at = kT0;
  return p;
}

Event make_event(std::int64_t record_id, const std::string& type, const std::string& actor, TimePoint at,
                 const std::string& data) {
  Event e;
  e.record_id = record_id;
  e.type = type;
  e.actor = actor;
  e.at = at;
  e.data = data;
  return e;
}

std::vector<std::string> refs_of(const std::vector<Record>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.ref);
  return out;
}

// ---------------------------------------------------------------------------------------

TEST_CASE("a new store has every embedded migration applied and is empty") {
  const auto& migrations = embedded_migrations();
  REQUIRE_FALSE(migrations.empty());
  for (std::size_t i = 1; i < migrations.size(); ++i) CHECK(migrations[i - 1].version < migrations[i].version);
  auto store = memory_store();
  CHECK(store->schema_version() == migrations.back().version);
  CHECK(store->count_records() == 0);
  CHECK(store->last_event_id() == 0);
  CHECK(store->list_records({}).empty());
  CHECK(store->list_parties("").empty());
  auto check = verify_chain(*store);
  CHECK(check.ok);
  CHECK(check.events == 0);
}

TEST_CASE("insert_record and find_record round-trip every field and clock") {
  auto store = memory_store();
  Record r = full_record("EXT-2026-00001");
  {
    auto tx = store->write();
    store->insert_party(make_party("svw", "customer"));
    r.id = store->insert_record(r);
    tx->commit();
  }
  CHECK(r.id > 0);
  CHECK(store->count_records() == 1);
  auto got = store->find_record("EXT-2026-00001");
  REQUIRE(got);
  // ack, resolve, then the other clocks by name.
  check_same_record(*got, r, {r.clocks[2], r.clocks[1], r.clocks[0]});
  CHECK_FALSE(store->find_record("EXT-2026-00002"));
  CHECK_FALSE(store->find_record(""));
}

TEST_CASE("a minimal record round-trips its empty and absent values") {
  auto store = memory_store();
  Record r = plain_record("INT-2026-00001");
  {
    auto tx = store->write();
    r.id = store->insert_record(r);
    tx->commit();
  }
  auto got = store->find_record(r.ref);
  REQUIRE(got);
  check_same_record(*got, r, {});
  CHECK(got->party.empty());
  CHECK(got->notify.empty());
  CHECK_FALSE(got->outcome);
  CHECK_FALSE(got->due);
  CHECK_FALSE(got->ack_due);
}

TEST_CASE("update_record writes the changed fields and clocks") {
  auto store = memory_store();
  Record r = full_record("EXT-2026-00001");
  {
    auto tx = store->write();
    store->insert_party(make_party("svw", "customer"));
    store->insert_party(make_party("byd", "customer"));
    r.id = store->insert_record(r);
    tx->commit();
  }
  Record changed = r;
  changed.subject = "new subject";
  changed.party = "byd";
  changed.owner = "sales";
  changed.assignee = "";
  changed.major = false;
  changed.status = Status::acknowledged;
  changed.outcome.reset();
  changed.resolution.clear();
  changed.notify = {"quality"};
  changed.closed_at.reset();
  changed.due = kT0 + hours{300};
  // Reopening replaces the resolve clock by a fresh one of the same name.
  Clock& resolve = changed.clocks[1];
  REQUIRE(resolve.name == "resolve");
  resolve.started_at = kT0 + hours{120};
  resolve.due = changed.due;
  resolve.stopped_at.reset();
  resolve.used_seconds.reset();
  resolve.paused_seconds = 0;
  resolve.provisional = false;
  resolve.config_hash = "fff000";
  {
    auto tx = store->write();
    store->update_record(changed);
    tx->commit();
  }
  auto got = store->find_record(r.ref);
  REQUIRE(got);
  check_same_record(*got, changed, {changed.clocks[2], changed.clocks[1], changed.clocks[0]});
  CHECK(store->count_records() == 1);
}

TEST_CASE("update_record drops clocks the record no longer has") {
  // Reopening removes the resolve clock and adds it back only if the kind still sets one.
  auto store = memory_store();
  Record r = full_record("EXT-2026-00001");
  {
    auto tx = store->write();
    store->insert_party(make_party("svw", "customer"));
    r.id = store->insert_record(r);
    tx->commit();
  }
  Record changed = r;
  changed.clocks = {r.clocks[2]};  // only ack is left
  changed.due.reset();
  {
    auto tx = store->write();
    store->update_record(changed);
    tx->commit();
  }
  auto got = store->find_record(r.ref);
  REQUIRE(got);
  check_same_record(*got, changed, {r.clocks[2]});
}

TEST_CASE("a record must name a registered party") {
  auto store = memory_store();
  Record r = full_record("EXT-2026-00001");
  r.party = "nobody";
  auto tx = store->write();
  CHECK_THROWS_AS(store->insert_record(r), StoreError);
}

TEST_CASE("two records cannot share a reference") {
  auto store = memory_store();
  auto tx = store->write();
  store->insert_record(plain_record("INT-2026-00001"));
  CHECK_THROWS_AS(store->insert_record(plain_record("INT-2026-00001")), StoreError);
  // The refused insert does not poison the kept statement: the next one goes through.
  CHECK(store->insert_record(plain_record("INT-2026-00002")) > 0);
  CHECK(store->record_exists("INT-2026-00002"));
}

// ---------------------------------------------------------------------------------------

/// Five records that differ in every filtered and sorted column (inserted A..E, ids 1..5).
///
/// | ref            | kind       | dir | owner   | party | assignee | major | status       | received | ack_due | due  |
/// | A EXT-2026-00002 | complaint | ext | quality | svw   | li       | no    | open         | T+1h     | T+2h    | T+10h|
/// | B EXT-2026-00001 | inquiry   | ext | sales   | byd   |          | yes   | acknowledged | T+2h     | T+3h    | T+5h |
/// | C INT-2026-00001 | complaint | int | quality |       | wei      | no    | closed       | T+3h     | -       | T+4h |
/// | D INT-2026-00002 | suggestion| int | gm      |       |          | yes   | waiting      | T+4h     | -       | -    |
/// | E EXT-2026-00003 | complaint | ext | sales   | svw   | wei      | no    | open         | T+5h     | T+6h    | T+20h|
std::unique_ptr<Store> five_records() {
  auto store = memory_store();
  auto tx = store->write();
  store->insert_party(make_party("svw", "customer"));
  store->insert_party(make_party("byd", "customer"));
  auto add = [&](const std::string& ref, const std::string& kind, Direction direction, const std::string& owner,
                 const std::string& party, const std::string& assignee, bool major, Status status, int received_h,
                 std::optional<int> ack_due_h, std::optional<int> due_h) {
    Record r = plain_record(ref);
    r.kind = kind;
    r.direction = direction;
    r.owner = owner;
    r.party = party;
    r.assignee = assignee;
    r.major = major;
    r.status = status;
    r.received_at = kT0 + hours{received_h};
    if (ack_due_h) r.ack_due = kT0 + hours{*ack_due_h};
    if (due_h) r.due = kT0 + hours{*due_h};
    Clock c;
    c.name = "resolve";
    c.duration = "1wd";
    c.started_at = r.received_at;
    c.due = r.due;
    r.clocks = {c};
    store->insert_record(r);
  };
  add("EXT-2026-00002", "complaint", Direction::external, "quality", "svw", "li", false, Status::open, 1, 2, 10);
  add("EXT-2026-00001", "inquiry", Direction::external, "sales", "byd", "", true, Status::acknowledged, 2, 3, 5);
  add("INT-2026-00001", "complaint", Direction::internal, "quality", "", "wei", false, Status::closed, 3, {}, 4);
  add("INT-2026-00002", "suggestion", Direction::internal, "gm", "", "", true, Status::waiting, 4, {}, {});
  add("EXT-2026-00003", "complaint", Direction::external, "sales", "svw", "wei", false, Status::open, 5, 6, 20);
  tx->commit();
  return store;
}

const std::string A = "EXT-2026-00002", B = "EXT-2026-00001", C = "INT-2026-00001", D = "INT-2026-00002",
                  E = "EXT-2026-00003";
using Refs = std::vector<std::string>;

TEST_CASE("list_records with no filter returns every record by receipt, without clocks") {
  auto store = five_records();
  auto all = store->list_records({});
  CHECK(refs_of(all) == Refs{A, B, C, D, E});
  for (const auto& r : all) CHECK(r.clocks.empty());
  CHECK(all[0].assignee == "li");
  CHECK(all[0].party == "svw");
  CHECK(all[0].due == kT0 + hours{10});
}

TEST_CASE("list_records filters") {
  auto store = five_records();
  RecordFilter f;
  SUBCASE("status") {
    f.statuses = {Status::open};
    CHECK(refs_of(store->list_records(f)) == Refs{A, E});
    f.statuses = {Status::open, Status::waiting};
    CHECK(refs_of(store->list_records(f)) == Refs{A, D, E});
    f.statuses = {Status::closed};
    CHECK(refs_of(store->list_records(f)) == Refs{C});
  }
  SUBCASE("kinds") {
    f.kinds = {"complaint"};
    CHECK(refs_of(store->list_records(f)) == Refs{A, C, E});
    f.kinds = {"complaint", "suggestion"};
    CHECK(refs_of(store->list_records(f)) == Refs{A, C, D, E});
    f.kinds = {"notice"};
    CHECK(store->list_records(f).empty());
  }
  SUBCASE("direction") {
    f.direction = Direction::internal;
    CHECK(refs_of(store->list_records(f)) == Refs{C, D});
    f.direction = Direction::external;
    CHECK(refs_of(store->list_records(f)) == Refs{A, B, E});
  }
  SUBCASE("owners") {
    f.owners = {"quality"};
    CHECK(refs_of(store->list_records(f)) == Refs{A, C});
    f.owners = {"quality", "gm"};
    CHECK(refs_of(store->list_records(f)) == Refs{A, C, D});
  }
  SUBCASE("parties") {
    f.parties = {"svw"};
    CHECK(refs_of(store->list_records(f)) == Refs{A, E});
    f.parties = {"byd", "svw"};
    CHECK(refs_of(store->list_records(f)) == Refs{A, B, E});
  }
  SUBCASE("assignees") {
    f.assignees = {"wei"};
    CHECK(refs_of(store->list_records(f)) == Refs{C, E});
    f.assignees = {"wei", "li"};
    CHECK(refs_of(store->list_records(f)) == Refs{A, C, E});
  }
  SUBCASE("major") {
    f.major = true;
    CHECK(refs_of(store->list_records(f)) == Refs{B, D});
    f.major = false;
    CHECK(refs_of(store->list_records(f)) == Refs{A, C, E});
  }
  SUBCASE("since is inclusive, until exclusive") {
    f.received_since = kT0 + hours{2};
    CHECK(refs_of(store->list_records(f)) == Refs{B, C, D, E});
    f.received_since.reset();
    f.received_until = kT0 + hours{4};
    CHECK(refs_of(store->list_records(f)) == Refs{A, B, C});
    f.received_since = kT0 + hours{2};
    CHECK(refs_of(store->list_records(f)) == Refs{B, C});
    f.received_until = kT0 + hours{2};
    CHECK(store->list_records(f).empty());
  }
  SUBCASE("overdue: not closed and due strictly before the moment") {
    f.overdue_at = kT0 + hours{6};
    CHECK(refs_of(store->list_records(f)) == Refs{B});  // C is overdue too, but closed; D has no due
    f.overdue_at = kT0 + hours{10};
    CHECK(refs_of(store->list_records(f)) == Refs{B});  // A is due exactly then: not yet overdue
    f.overdue_at = kT0 + hours{10} + seconds{1};
    CHECK(refs_of(store->list_records(f)) == Refs{A, B});
    f.overdue_at = kT0;
    CHECK(store->list_records(f).empty());
  }
  SUBCASE("filters are ANDed") {
    f.kinds = {"complaint"};
    f.owners = {"sales"};
    CHECK(refs_of(store->list_records(f)) == Refs{E});
    f.statuses = {Status::closed};
    CHECK(store->list_records(f).empty());
  }
  SUBCASE("a value with SQL in it is only a value") {
    f.owners = {"quality' OR '1'='1"};
    CHECK(store->list_records(f).empty());
  }
}

TEST_CASE("list_records sorts by every key, ties by id, and limits") {
  auto store = five_records();
  RecordFilter f;
  using Key = RecordFilter::SortKey;
  SUBCASE("received") {
    CHECK(refs_of(store->list_records(f)) == Refs{A, B, C, D, E});
    f.descending = true;
    CHECK(refs_of(store->list_records(f)) == Refs{E, D, C, B, A});
  }
  SUBCASE("due, records without one last") {
    f.sort = Key::due;
    CHECK(refs_of(store->list_records(f)) == Refs{C, B, A, E, D});
    f.descending = true;
    CHECK(refs_of(store->list_records(f)) == Refs{E, A, B, C, D});
  }
  SUBCASE("ack_due, records without one last") {
    f.sort = Key::ack_due;
    CHECK(refs_of(store->list_records(f)) == Refs{A, B, E, C, D});
  }
  SUBCASE("ref") {
    f.sort = Key::ref;
    CHECK(refs_of(store->list_records(f)) == Refs{B, A, E, C, D});
    f.descending = true;
    CHECK(refs_of(store->list_records(f)) == Refs{D, C, E, A, B});
  }
  SUBCASE("kind, ties by id") {
    f.sort = Key::kind;
    CHECK(refs_of(store->list_records(f)) == Refs{A, C, E, B, D});
    f.descending = true;
    CHECK(refs_of(store->list_records(f)) == Refs{D, B, E, C, A});
  }
  SUBCASE("owner") {
    f.sort = Key::owner;
    CHECK(refs_of(store->list_records(f)) == Refs{D, A, C, B, E});
  }
  SUBCASE("status") {
    f.sort = Key::status;
    CHECK(refs_of(store->list_records(f)) == Refs{B, C, A, E, D});
  }
  SUBCASE("limit") {
    f.limit = 2;
    CHECK(refs_of(store->list_records(f)) == Refs{A, B});
    f.descending = true;
    CHECK(refs_of(store->list_records(f)) == Refs{E, D});
    f.kinds = {"complaint"};
    CHECK(refs_of(store->list_records(f)) == Refs{E, C});
    f.limit = 100;
    CHECK(refs_of(store->list_records(f)) == Refs{E, C, A});
  }
}

TEST_CASE("record_parties: the distinct parties of the filtered records, by id, as reading them all gives") {
  auto store = five_records();
  RecordFilter f;
  CHECK(store->record_parties(f) == Refs{"byd", "svw"});
  f.kinds = {"complaint"};
  CHECK(store->record_parties(f) == Refs{"svw"});
  f.kinds = {"suggestion"};
  CHECK(store->record_parties(f).empty());
  f.kinds = {};
  f.owners = {"sales"};
  CHECK(store->record_parties(f) == Refs{"byd", "svw"});
  f.limit = 1;  // the first received of sales: B
  CHECK(store->record_parties(f) == Refs{"byd"});
  f.descending = true;  // the last: E
  CHECK(store->record_parties(f) == Refs{"svw"});
  f = {};
  f.statuses = {Status::closed, Status::waiting};
  CHECK(store->record_parties(f).empty());
  CHECK(store->Store::record_parties(f).empty());
  f.statuses = {Status::open};
  CHECK(store->record_parties(f) == store->Store::record_parties(f));
}

// ---------------------------------------------------------------------------------------

TEST_CASE("parties: insert, find, update, list") {
  auto store = memory_store();
  {
    auto tx = store->write();
    store->insert_party(make_party("svw", "customer"));
    store->insert_party(make_party("acme", "supplier"));
    store->insert_party(make_party("byd", "customer"));
    tx->commit();
  }
  auto svw = store->find_party("svw");
  REQUIRE(svw);
  Party want = make_party("svw", "customer");
  CHECK(svw->id == want.id);
  CHECK(svw->name == want.name);
  CHECK(svw->type == want.type);
  CHECK(svw->contact == want.contact);
  CHECK(svw->phone == want.phone);
  CHECK(svw->email == want.email);
  CHECK(svw->address == want.address);
  CHECK(svw->notes == want.notes);
  CHECK(svw->created_at == want.created_at);
  CHECK_FALSE(store->find_party("SVW"));
  CHECK_FALSE(store->find_party("nobody"));

  std::vector<std::string> ids;
  for (const auto& p : store->list_parties("")) ids.push_back(p.id);
  CHECK(ids == std::vector<std::string>{"acme", "byd", "svw"});
  ids.clear();
  for (const auto& p : store->list_parties("customer")) ids.push_back(p.id);
  CHECK(ids == std::vector<std::string>{"byd", "svw"});
  CHECK(store->list_parties("regulator").empty());

  Party changed = *svw;
  changed.name = "上汽大众";
  changed.type = "supplier";
  changed.phone = "";
  {
    auto tx = store->write();
    store->update_party(changed);
    tx->commit();
  }
  auto got = store->find_party("svw");
  REQUIRE(got);
  CHECK(got->name == "上汽大众");
  CHECK(got->type == "supplier");
  CHECK(got->phone.empty());
  CHECK(got->email == want.email);
  CHECK(store->list_parties("customer").size() == 1);
  CHECK(store->list_parties("supplier").size() == 2);
  // The other parties are untouched.
  CHECK(store->find_party("byd")->name == make_party("byd", "customer").name);
}

TEST_CASE("a party id is unique") {
  auto store = memory_store();
  auto tx = store->write();
  store->insert_party(make_party("svw", "customer"));
  CHECK_THROWS_AS(store->insert_party(make_party("svw", "supplier")), StoreError);
}

// ---------------------------------------------------------------------------------------

TEST_CASE("next_sequence is gap-free per name and names are independent") {
  auto store = memory_store();
  auto tx = store->write();
  CHECK(store->next_sequence("EXT-2026-") == 1);
  CHECK(store->next_sequence("EXT-2026-") == 2);
  CHECK(store->next_sequence("INT-2026-") == 1);
  CHECK(store->next_sequence("EXT-2026-") == 3);
  CHECK(store->next_sequence("EXT-2027-") == 1);
  CHECK(store->next_sequence("INT-2026-") == 2);
  tx->commit();
  auto tx2 = store->write();
  CHECK(store->next_sequence("EXT-2026-") == 4);
  tx2->commit();
}

TEST_CASE("a rolled-back transaction consumes no number and leaves nothing behind") {
  auto store = memory_store();
  {
    auto tx = store->write();
    CHECK(store->next_sequence("EXT-2026-") == 1);
    tx->commit();
  }
  {
    auto tx = store->write();
    CHECK(store->next_sequence("EXT-2026-") == 2);
    store->insert_party(make_party("svw", "customer"));
    Record r = plain_record("EXT-2026-00002");
    r.id = store->insert_record(r);
    append_event(*store, make_event(r.id, "filed", "clerk", kT0, "{}"));
    CHECK(store->find_record("EXT-2026-00002"));  // visible inside the transaction
    // destroyed without commit
  }
  CHECK_FALSE(store->find_record("EXT-2026-00002"));
  CHECK_FALSE(store->find_party("svw"));
  CHECK(store->count_records() == 0);
  CHECK(store->last_event_id() == 0);
  {
    auto tx = store->write();
    CHECK(store->next_sequence("EXT-2026-") == 2);
    tx->commit();
  }
  // And the store still works for the next event: ids start again at 1.
  {
    auto tx = store->write();
    CHECK(append_event(*store, make_event(0, "party-added", "clerk", kT0, "{}")).id == 1);
    tx->commit();
  }
}

// ---------------------------------------------------------------------------------------

TEST_CASE("append_event numbers events 1, 2, 3 and chains their hashes") {
  auto store = memory_store();
  auto tx = store->write();
  Record r = plain_record("INT-2026-00001");
  r.id = store->insert_record(r);
  Event first = make_event(r.id, "filed", "wei", kT0, R"({"kind":"inquiry"})");
  first.id = 42;              // ignored: the store numbers events
  first.prev_hash = "bogus";  // ignored: the store chains them
  Event e1 = append_event(*store, first);
  Event e2 = append_event(*store, make_event(0, "party-added", "李娜", kT0 + seconds{1}, R"({"id":"svw"})"));
  Event e3 = append_event(*store, make_event(r.id, "acknowledged", "wei", kT0 + hours{1}, R"({"note":""})"));
  tx->commit();

  CHECK(e1.id == 1);
  CHECK(e2.id == 2);
  CHECK(e3.id == 3);
  CHECK(e1.prev_hash == "");
  CHECK(e2.prev_hash == e1.hash);
  CHECK(e3.prev_hash == e2.hash);
  for (const Event& e : {e1, e2, e3}) {
    CAPTURE(e.id);
    CHECK(e.hash.size() == 64);
    CHECK(e.hash == sha256_hex(event_digest_input(e)));
  }
  CHECK(e1.hash != e3.hash);
  CHECK(store->last_event_id() == 3);

  auto history = store->events_for(r.id);
  REQUIRE(history.size() == 2);
  CHECK(history[0].id == 1);
  CHECK(history[1].id == 3);
  CHECK(history[0].ref == "INT-2026-00001");
  CHECK(history[0].record_id == r.id);
  CHECK(history[0].type == "filed");
  CHECK(history[0].actor == "wei");
  CHECK(history[0].at == kT0);
  CHECK(history[0].data == R"({"kind":"inquiry"})");
  CHECK(history[0].hash == e1.hash);
  CHECK(history[1].prev_hash == e2.hash);
  CHECK(store->events_for(r.id + 1).empty());

  auto check = verify_chain(*store);
  CHECK(check.ok);
  CHECK(check.events == 3);
  CHECK(check.first_bad_id == 0);
}

TEST_CASE("event_digest_input is the documented length-prefixed encoding") {
  Event e = make_event(7, "filed", "li", TimePoint{seconds{1700000000}}, "{}");
  e.id = 1;
  CHECK(event_digest_input(e) == "0:\n1:1\n1:7\n5:filed\n2:li\n10:1700000000\n2:{}\n");
  e.prev_hash = std::string(64, 'a');
  e.actor = "魏俊";  // lengths are in bytes
  CHECK(event_digest_input(e) ==
        "64:" + std::string(64, 'a') + "\n1:1\n1:7\n5:filed\n6:魏俊\n10:1700000000\n2:{}\n");
}

TEST_CASE("event_digest_input is deterministic and covers every field") {
  Event base = make_event(7, "filed", "li", kT0, R"({"a":1})");
  base.id = 3;
  base.prev_hash = sha256_hex("previous");
  Event same = base;
  same.ref = "ignored: not part of the digest";
  same.hash = "ignored too";
  CHECK(event_digest_input(base) == event_digest_input(same));

  auto differs = [&](auto change) {
    Event other = base;
    change(other);
    return event_digest_input(other) != event_digest_input(base);
  };
  CHECK(differs([](Event& e) { e.id = 4; }));
  CHECK(differs([](Event& e) { e.record_id = 8; }));
  CHECK(differs([](Event& e) { e.type = "closed"; }));
  CHECK(differs([](Event& e) { e.actor = "lj"; }));
  CHECK(differs([](Event& e) { e.at += seconds{1}; }));
  CHECK(differs([](Event& e) { e.data = R"({"a":2})"; }));
  CHECK(differs([](Event& e) { e.prev_hash = sha256_hex("other"); }));
}

TEST_CASE("event_digest_input: text cannot be shifted from one field to the next") {
  Event a = make_event(7, "ab", "c", kT0, "{}");
  Event b = make_event(7, "a", "bc", kT0, "{}");
  CHECK(a.type + a.actor == b.type + b.actor);
  CHECK(event_digest_input(a) != event_digest_input(b));
  CHECK(sha256_hex(event_digest_input(a)) != sha256_hex(event_digest_input(b)));

  // A separator written into a field does not forge the next field either.
  Event c = make_event(7, "filed", "li", kT0, "{}");
  Event d = make_event(7, "filed\n2:li", "", kT0, "{}");
  CHECK(event_digest_input(c) != event_digest_input(d));

  Event f = make_event(7, "filed", "li", kT0, "x");
  Event g = make_event(7, "filed", "l", kT0, "ix");
  CHECK(event_digest_input(f) != event_digest_input(g));
}

// ---------------------------------------------------------------------------------------

/// A file database with one record and three events (ids 1, 2, 3).
struct ChainFixture {
  TempDir dir;
  std::string path = dir.file("records.db");
  std::unique_ptr<Store> store = open_store(path, OpenMode::create);
  std::int64_t record_id = 0;

  ChainFixture() {
    auto tx = store->write();
    record_id = store->insert_record(plain_record("INT-2026-00001"));
    append_event(*store, make_event(record_id, "filed", "wei", kT0, R"({"n":1})"));
    append_event(*store, make_event(record_id, "logged", "wei", kT0 + hours{1}, R"({"n":2})"));
    append_event(*store, make_event(record_id, "acknowledged", "li", kT0 + hours{2}, R"({"n":3})"));
    tx->commit();
    REQUIRE(verify_chain(*store).ok);
  }
};

TEST_CASE("events cannot be updated or deleted, even with raw SQL") {
  ChainFixture fx;
  SQLite::Database raw(fx.path, SQLite::OPEN_READWRITE);
  CHECK_THROWS_AS(raw.exec("UPDATE events SET actor = 'mallory' WHERE id = 2"), SQLite::Exception);
  CHECK_THROWS_AS(raw.exec("DELETE FROM events WHERE id = 2"), SQLite::Exception);
  std::string message = message_of<SQLite::Exception>([&] { raw.exec("DELETE FROM events"); });
  CHECK(message.find("append-only") != std::string::npos);
  // REPLACE deletes the old row without DELETE triggers; the insert trigger stops it.
  CHECK_THROWS_AS(raw.exec("INSERT OR REPLACE INTO events SELECT id, record_id, type, 'mallory', at, data, "
                           "prev_hash, hash FROM events WHERE id = 2"),
                  SQLite::Exception);
  CHECK(raw.execAndGet("SELECT actor FROM events WHERE id = 2").getString() != "mallory");
  CHECK(raw.execAndGet("SELECT count(*) FROM events").getInt() == 3);
  auto check = verify_chain(*fx.store);
  CHECK(check.ok);
  CHECK(check.events == 3);
}

TEST_CASE("verify_chain finds an event changed behind the tool's back") {
  ChainFixture fx;
  SQLite::Database raw(fx.path, SQLite::OPEN_READWRITE);
  raw.exec("DROP TRIGGER events_no_update");
  SUBCASE("changed content") {
    raw.exec(R"(UPDATE events SET data = '{"n":20}' WHERE id = 2)");
    auto check = verify_chain(*fx.store);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_id == 2);
    CHECK(check.events == 3);  // found at the end: only a later purge's seal could have excused it
    CHECK(check.problem.english().find("hash") != std::string::npos);
  }
  SUBCASE("changed actor") {
    raw.exec("UPDATE events SET actor = 'mallory' WHERE id = 3");
    auto check = verify_chain(*fx.store);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_id == 3);
  }
  SUBCASE("changed content with its own hash recomputed: the next event's link breaks") {
    auto history = fx.store->events_for(fx.record_id);
    REQUIRE(history.size() == 3);
    Event forged = history[1];
    forged.data = R"({"n":20})";
    forged.data_sha256 = sha256_hex(forged.data);
    forged.hash = sha256_hex(event_digest_input(forged));
    SQLite::Statement update(raw, "UPDATE events SET data = ?1, hash = ?2, data_sha256 = ?3 WHERE id = 2");
    update.bind(1, forged.data);
    update.bind(2, forged.hash);
    update.bind(3, forged.data_sha256);
    update.exec();
    auto check = verify_chain(*fx.store);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_id == 3);
    CHECK(check.problem.english().find("previous") != std::string::npos);
  }
}

TEST_CASE("verify_chain finds an event deleted behind the tool's back") {
  ChainFixture fx;
  SQLite::Database raw(fx.path, SQLite::OPEN_READWRITE);
  raw.exec("DROP TRIGGER events_no_delete");
  SUBCASE("in the middle") {
    raw.exec("DELETE FROM events WHERE id = 2");
    auto check = verify_chain(*fx.store);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_id == 2);
    CHECK(check.problem.english().find("missing") != std::string::npos);
  }
  SUBCASE("the first") {
    raw.exec("DELETE FROM events WHERE id = 1");
    auto check = verify_chain(*fx.store);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_id == 1);
  }
}

// ---------------------------------------------------------------------------------------

TEST_CASE("a file database keeps its records and opens again without migrating") {
  TempDir dir;
  const std::string path = dir.file("records.db");
  {
    auto store = open_store(path, OpenMode::create);
    auto tx = store->write();
    store->insert_record(plain_record("INT-2026-00001"));
    tx->commit();
  }
  {
    auto store = open_store(path, OpenMode::read_write);
    CHECK(store->schema_version() == embedded_migrations().back().version);
    CHECK(store->find_record("INT-2026-00001"));
  }
  auto reader = open_store(path, OpenMode::read_only);
  CHECK(reader->count_records() == 1);
  CHECK(reader->find_record("INT-2026-00001"));
  CHECK_THROWS_AS(reader->insert_party(make_party("svw", "customer")), StoreError);
  CHECK_FALSE(reader->find_party("svw"));
}

TEST_CASE("opening a missing database without create is NotFound") {
  TempDir dir;
  CHECK_THROWS_AS(open_store(dir.file("absent.db"), OpenMode::read_only), NotFoundError);
  CHECK_THROWS_AS(open_store(dir.file("absent.db"), OpenMode::read_write), NotFoundError);
  CHECK_FALSE(std::filesystem::exists(dir.file("absent.db")));
}

TEST_CASE("a database from a newer liaison is refused") {
  TempDir dir;
  const std::string path = dir.file("newer.db");
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("PRAGMA user_version = 99");
  }
  for (auto mode : {OpenMode::read_write, OpenMode::read_only, OpenMode::create}) {
    std::string message = message_of<StoreError>([&] { open_store(path, mode); });
    CAPTURE(message);
    CHECK(message.find("newer") != std::string::npos);
    CHECK(message.find("99") != std::string::npos);
  }
  // The refused file is left as it was: same version, not switched to WAL.
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("PRAGMA user_version").getInt() == 99);
  CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "delete");
}

TEST_CASE("a database that is not liaison's is not taken over") {
  TempDir dir;
  const std::string path = dir.file("other.db");
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("CREATE TABLE mine (x INTEGER)");
  }
  for (auto mode : {OpenMode::read_write, OpenMode::read_only, OpenMode::create}) {
    std::string message = message_of<StoreError>([&] { open_store(path, mode); });
    CAPTURE(message);
    CHECK(message.find("not a liaison database") != std::string::npos);
  }
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("PRAGMA user_version").getInt() == 0);
  CHECK(raw.execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").getInt() == 1);
  CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "delete");
}

// ---------------------------------------------------------------------------------------

TEST_CASE("open_store: a plain path and sqlite:PATH open the SQLite file PATH") {
  TempDir dir;
  const std::string path = dir.file("records.db");
  {
    auto store = open_store(path, OpenMode::create);
    CHECK(store->url() == "sqlite:" + path);
    auto tx = store->write();
    store->insert_record(plain_record("INT-2026-00001"));
    tx->commit();
  }
  auto again = open_store("sqlite:" + path, OpenMode::read_only);
  CHECK(again->url() == "sqlite:" + path);
  CHECK(again->find_record("INT-2026-00001"));
  // sqlite: creates the file it names, and says so in the same errors as a plain path.
  const std::string other = dir.file("other.db");
  open_store("sqlite:" + other, OpenMode::create);
  CHECK(std::filesystem::exists(other));
  CHECK(message_of<NotFoundError>([&] { open_store("sqlite:" + dir.file("absent.db"), OpenMode::read_only); }) ==
        "no database at " + dir.file("absent.db"));
  CHECK(open_store(":memory:", OpenMode::create)->schema_version() == embedded_migrations().back().version);
  CHECK(sqlite_path("sqlite:./x.db") == "./x.db");
  CHECK(sqlite_path("./x.db") == "./x.db");
  CHECK(sqlite_path("data:2026.db") == "data:2026.db");  // no "//": a file name with a colon
  CHECK_FALSE(sqlite_path("postgresql://h/db"));
}

TEST_CASE("open_store tries a PostgreSQL URL and never shows its password") {
  // Port 1 of this machine: nothing listens, so the server "does not answer" (retry).
  for (std::string url : {"postgresql://liaison:s3cret@127.0.0.1:1/records",
                          "postgres://liaison:s3cret@127.0.0.1:1/records?sslmode=disable",
                          "postgresql://127.0.0.1:1/records?user=liaison&password=s3cret"}) {
    CAPTURE(url);
    std::string message = message_of<BusyError>([&] { open_store(url, OpenMode::read_only); });
    CHECK(message.find("cannot connect") != std::string::npos);
    CHECK(message.find("s3cret") == std::string::npos);
    CHECK(message.find("127.0.0.1") != std::string::npos);
  }
  CHECK(redact_url("postgresql://liaison:s3cret@h/db") == "postgresql://liaison:***@h/db");
  CHECK(redact_url("postgresql://liaison@h/db") == "postgresql://liaison@h/db");
  CHECK(redact_url("postgresql://h/db?user=u&password=s3cret&sslmode=require") ==
        "postgresql://h/db?user=u&password=***&sslmode=require");
  CHECK(redact_url("./records.db") == "./records.db");
  // Where libpq finds a password beyond the authority's plain form.
  CHECK(redact_url("postgresql://u:pa?ss@h/db") == "postgresql://u:***@h/db");
  CHECK(redact_url("postgresql://u@h/db?password=ab#cd") == "postgresql://u@h/db?password=***");
}

TEST_CASE("open_store refuses an unknown scheme, naming it and the ones it knows") {
  std::string message = message_of<UsageError>([] { open_store("mysql://root:pw@h/records", OpenMode::read_only); });
  CAPTURE(message);
  CHECK(message.find("\"mysql\"") != std::string::npos);
  CHECK(message.find("sqlite:") != std::string::npos);
  CHECK(message.find("postgresql://") != std::string::npos);
  CHECK(message.find(":pw@") == std::string::npos);
}

/// The SQLite store with its TextSearch turned off: what an engine without one does.
class StoreWithoutSearch : public SqliteStore {
 public:
  StoreWithoutSearch() : SqliteStore(":memory:", OpenMode::create) {}
  TextSearch* text_search() override { return nullptr; }
};

TEST_CASE("list --grep on a store without TextSearch is the capability's error") {
  StoreWithoutSearch store;
  RecordFilter filter;
  CHECK(store.list_records(filter).empty());  // without grep: fine
  filter.grep = "质量";
  CHECK(message_of<StoreError>([&] { store.list_records(filter); }) == "this store (sqlite::memory:) cannot search text");
}

TEST_CASE("events written before schema 7 keep their hashes; new ones are salted and linked to them") {
  TempDir dir;
  const std::string path = dir.file("old.db");
  Event legacy;
  {
    // A database as schema 6 left it, with one event hashed the old way (no salt).
    SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    sqlite_search::register_tokenizer(raw);  // schema 5's index needs it
    for (const auto& m : embedded_migrations())
      if (m.version <= 6) raw.exec(m.sql);
    raw.exec("PRAGMA user_version = 6");
    legacy.id = 1;
    legacy.type = "party-added";
    legacy.actor = "alice";
    legacy.at = TimePoint{std::chrono::seconds{1790000000}};
    legacy.data = R"({"id":"acme"})";
    legacy.hash = sha256_hex(event_digest_input(legacy));
    SQLite::Statement ins(raw, "INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash) "
                               "VALUES (1, NULL, ?1, ?2, ?3, ?4, '', ?5)");
    ins.bind(1, legacy.type);
    ins.bind(2, legacy.actor);
    ins.bind(3, static_cast<std::int64_t>(secs(legacy.at)));
    ins.bind(4, legacy.data);
    ins.bind(5, legacy.hash);
    ins.exec();
  }
  auto store = open_store(path, OpenMode::read_write);
  CHECK(store->schema_version() == embedded_migrations().back().version);
  CHECK(verify_chain(*store).ok);
  Event next;
  next.type = "party-edited";
  next.actor = "alice";
  next.at = legacy.at + std::chrono::seconds{60};
  next.data = R"({"id":"acme"})";
  {
    auto tx = store->write();
    next = append_event(*store, next);
    tx->commit();
  }
  CHECK(next.prev_hash == legacy.hash);
  CHECK(next.salt.size() == 32);
  REQUIRE(next.recorded_at);
  std::vector<Event> all;
  store->each_event([&](const Event& e) { all.push_back(e); });
  REQUIRE(all.size() == 2);
  CHECK(all[0].salt.empty());
  CHECK_FALSE(all[0].recorded_at);
  CHECK(all[1].salt == next.salt);
  CHECK(all[1].recorded_at == next.recorded_at);
  CHECK(verify_chain(*store).ok);
  // The salt and the recorded time are covered: changing either breaks the chain.
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("DROP TRIGGER events_no_update");
    raw.exec("UPDATE events SET recorded_at = recorded_at + 1 WHERE id = 2");
  }
  auto reopened = open_store(path, OpenMode::read_only);
  ChainCheck check = verify_chain(*reopened);
  CHECK_FALSE(check.ok);
  CHECK(check.first_bad_id == 2);
}

}  // namespace
}  // namespace liaison
