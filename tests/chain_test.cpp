// Tests of lib/services/chain.cpp through the Store interface alone: append_event and
// verify_chain on a store double that keeps events in a vector (so the chain is the
// same for every engine), and the error a store without a capability gives.
#include "chain.h"

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "backup.h"
#include "errors.h"
#include "fixture.h"
#include "hash.h"
#include "report.h"

namespace liaison {
namespace {

using std::chrono::seconds;

const TimePoint kT0{seconds{1790640000}};

/// A store that only keeps events (in a vector) and has no capability; anything else
/// is a test error.
class EventLog : public Store {
 public:
  std::vector<Event> events;
  int tip_reads = 0;

  std::string url() const override { return "memory:test"; }
  ChainTip chain_tip() override {
    ++tip_reads;
    if (events.empty()) return {};
    return {events.back().id, events.back().hash};
  }
  void insert_event(const Event& e) override { events.push_back(e); }
  void each_event(const std::function<void(const Event&)>& each) override {
    for (const auto& e : events) each(e);
  }
  std::int64_t last_event_id() override { return events.empty() ? 0 : events.back().id; }

  [[noreturn]] static void unused() { throw std::logic_error("not used by these tests"); }
  std::unique_ptr<WriteTransaction> write() override { unused(); }
  int schema_version() override { unused(); }
  std::int64_t next_sequence(const std::string&) override { unused(); }
  void advance_sequence(const std::string&, std::int64_t) override { unused(); }
  std::int64_t insert_record(const Record&) override { unused(); }
  void update_record(const Record&) override { unused(); }
  std::optional<Record> find_record(const std::string&) override { unused(); }
  std::optional<std::string> scheduled_record(const std::string&, const std::string&) override { unused(); }
  std::vector<std::pair<std::string, std::string>> schedule_records(const std::string&) override { unused(); }
  std::vector<Record> list_records(const RecordFilter&) override { unused(); }
  std::int64_t count_records() override { unused(); }
  void each_record(const RecordFilter&, const std::function<void(Record&)>&) override { unused(); }
  std::vector<Clock> clocks_for(std::int64_t) override { unused(); }
  bool record_exists(const std::string&) override { unused(); }
  void insert_identity(std::int64_t, const Identity&) override { unused(); }
  std::optional<Identity> find_identity(std::int64_t) override { unused(); }
  void insert_party(const Party&) override { unused(); }
  void update_party(const Party&) override { unused(); }
  std::optional<Party> find_party(const std::string&) override { unused(); }
  std::vector<Party> list_parties(const std::string&) override { unused(); }
  std::vector<Event> events_for(std::int64_t) override { unused(); }
  std::optional<TimePoint> latest_event_at(std::int64_t) override { unused(); }
  std::optional<std::string> event_hash(std::int64_t) override { unused(); }
  std::optional<std::string> record_of_message(const std::string&) override { unused(); }
  void insert_checkpoint(const Checkpoint&) override { unused(); }
  void each_checkpoint(const std::function<void(const Checkpoint&)>&) override { unused(); }
  std::optional<Checkpoint> latest_checkpoint() override { unused(); }
  void audit_events(const EventFilter&, const std::function<void(const Event&, const std::string&)>&) override {
    unused();
  }
  void record_histories(const std::function<void(const RecordHistory&)>&) override { unused(); }
  std::vector<Event> reminders_since(TimePoint) override { unused(); }
  void overdue_obligations(const OverdueQuery&, const std::function<void(OverdueEntry&)>&) override { unused(); }
};

Event event(std::int64_t record_id, std::string type, std::string actor, TimePoint at, std::string data) {
  Event e;
  e.record_id = record_id;
  e.type = std::move(type);
  e.actor = std::move(actor);
  e.at = at;
  e.data = std::move(data);
  return e;
}

/// A log of three events appended through the chain.
EventLog three_events() {
  EventLog log;
  append_event(log, event(7, "filed", "wei", kT0, R"({"n":1})"));
  append_event(log, event(0, "party-added", "李娜", kT0 + seconds{1}, R"({"id":"svw"})"));
  append_event(log, event(7, "acknowledged", "wei", kT0 + seconds{2}, R"({"n":3})"));
  return log;
}

TEST_CASE("append_event numbers and chains events through chain_tip and insert_event alone") {
  EventLog log;
  Event first = event(7, "filed", "wei", kT0, R"({"n":1})");
  first.id = 42;              // ignored: the chain numbers events
  first.prev_hash = "bogus";  // ignored: the chain links them
  first.ref = "INT-2026-00001";
  Event e1 = append_event(log, first);
  Event e2 = append_event(log, event(0, "party-added", "李娜", kT0 + seconds{1}, R"({"id":"svw"})"));
  CHECK(log.tip_reads == 2);
  REQUIRE(log.events.size() == 2);
  CHECK(e1.id == 1);
  CHECK(e1.prev_hash == "");
  CHECK(e1.ref == "INT-2026-00001");  // returned as given, less what the chain sets
  CHECK(e2.id == 2);
  CHECK(e2.prev_hash == e1.hash);
  CHECK(e1.hash == sha256_hex(event_digest_input(e1)));
  CHECK(e2.hash == sha256_hex(event_digest_input(e2)));
  // What the store was given is what was returned.
  CHECK(log.events[0].hash == e1.hash);
  CHECK(log.events[1].prev_hash == e1.hash);
  CHECK(log.events[1].id == 2);
}

TEST_CASE("verify_chain checks a chain read through each_event") {
  SUBCASE("no events") {
    EventLog log;
    auto check = verify_chain(log);
    CHECK(check.ok);
    CHECK(check.events == 0);
  }
  SUBCASE("intact") {
    EventLog log = three_events();
    auto check = verify_chain(log);
    CHECK(check.ok);
    CHECK(check.events == 3);
    CHECK(check.first_bad_id == 0);
    CHECK(check.problem.empty());
  }
  SUBCASE("changed content: no purge sealed it, so it is found once the whole chain is read") {
    EventLog log = three_events();
    log.events[1].data = R"({"id":"vw"})";
    auto check = verify_chain(log);
    CHECK_FALSE(check.ok);
    CHECK(check.events == 3);
    CHECK(check.first_bad_id == 2);
    CHECK(check.problem.english() == "its content does not match its hash (changed after it was written)");
  }
  SUBCASE("changed content and digest: the hash no longer matches") {
    EventLog log = three_events();
    log.events[1].data = R"({"id":"vw"})";
    log.events[1].data_sha256 = sha256_hex(log.events[1].data);
    auto check = verify_chain(log);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_id == 2);
  }
  SUBCASE("changed and rehashed: the next link breaks") {
    EventLog log = three_events();
    log.events[1].data = R"({"id":"vw"})";
    log.events[1].data_sha256 = sha256_hex(log.events[1].data);
    log.events[1].hash = sha256_hex(event_digest_input(log.events[1]));
    auto check = verify_chain(log);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_id == 3);
    CHECK(check.problem.english() == "its previous-hash does not match the event before it");
  }
  SUBCASE("deleted") {
    EventLog log = three_events();
    log.events.erase(log.events.begin() + 1);
    auto check = verify_chain(log);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_id == 2);
    CHECK(check.events == 2);
    CHECK(check.problem.english() == "event 2 is missing (the next one found is 3)");
  }
}

TEST_CASE("a purge reduces an event's data and seals what is left; the chain still verifies") {
  // Event 1 as written before schema 14 (its hash over its data), 2 and 3 since.
  EventLog log;
  append_event(log, event(7, "filed", "wei", kT0, R"({"subject":"张三反映漏油","owner":"quality"})"));
  log.events[0].data_sha256.clear();
  log.events[0].hash = sha256_hex(event_digest_input(log.events[0]));
  append_event(log, event(7, "logged", "wei", kT0 + seconds{1}, R"({"text":"电话联系张三"})"));
  append_event(log, event(8, "filed", "li", kT0 + seconds{2}, R"({"subject":"别的记录"})"));
  REQUIRE(log.events[1].prev_hash == log.events[0].hash);
  REQUIRE(verify_chain(log).ok);
  CHECK(log.events[1].data_sha256 == sha256_hex(log.events[1].data));

  // What liaison purge does to record 7: each event reduced, then sealed.
  auto reduce = [&](Event& e, std::string kept) {
    if (e.data_sha256.empty()) e.data_sha256 = sha256_hex(e.data);
    e.data = std::move(kept);
  };
  reduce(log.events[0], R"({"owner":"quality","subject":""})");
  reduce(log.events[1], R"({"text":""})");
  SUBCASE("reduced but not sealed: found") {
    auto check = verify_chain(log);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_id == 1);
  }
  const std::string seal1 = event_seal(log.events[0]), seal2 = event_seal(log.events[1]);
  auto purged = [&](std::int64_t record, const std::string& s1, const std::string& s2) {
    return event(record, "purged", "sun", kT0 + seconds{3},
                 R"({"rule":"retention 3y","sealed":[{"event":1,"seal":")" + s1 + R"("},{"event":2,"seal":")" + s2 +
                     R"("}]})");
  };
  SUBCASE("sealed by the purge of its record: intact") {
    append_event(log, purged(7, seal1, seal2));
    auto check = verify_chain(log);
    CHECK(check.ok);
    CHECK(check.events == 4);
  }
  SUBCASE("a seal of another record's purge does not count") {
    append_event(log, purged(8, seal1, seal2));
    CHECK_FALSE(verify_chain(log).ok);
  }
  SUBCASE("the tombstone altered after the purge: found at that event") {
    append_event(log, purged(7, seal1, seal2));
    log.events[0].data = R"({"owner":"sales","subject":""})";
    auto check = verify_chain(log);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_id == 1);
  }
  SUBCASE("an older event's other fields altered after the purge: found") {
    append_event(log, purged(7, seal1, seal2));
    log.events[0].actor = "mallory";
    CHECK_FALSE(verify_chain(log).ok);
  }
  SUBCASE("the digest swapped for another: found") {
    append_event(log, purged(7, seal1, seal2));
    log.events[1].data_sha256 = sha256_hex("something else");
    auto check = verify_chain(log);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_id == 2);
  }
}

TEST_CASE("a store without a capability says so: StoreError naming the store and what it cannot do") {
  EventLog log;
  CHECK(log.report_queries() == nullptr);
  CHECK(log.text_search() == nullptr);
  CHECK(log.online_backup() == nullptr);
  CHECK(log.maintenance() == nullptr);
  CHECK(log.auditor_queries() == nullptr);
  try {
    require(log, log.text_search(), msg<Msg::can_search_text>());
    FAIL("no error");
  } catch (const StoreError& e) {
    CHECK(std::string(e.what()) == "this store (memory:test) cannot search text");
    CHECK(e.code() == ExitCode::failure);
    CHECK_FALSE(e.hint().empty());
  }

  test::TempDir dir;
  CHECK_THROWS_WITH_AS(backup_store(log, dir.file("copy.db"), false),
                       "this store (memory:test) cannot make an online backup", StoreError);

  Config config = parse_config(test::config_text(R"toml(
[[channel]]
id = "email"
name = "电子邮件"

[[kind]]
id = "inquiry"
name = "咨询"
ack = "8wh"
resolve = "2wd"

[[rule]]
when = { direction = "internal" }
owner = "quality"
)toml"),
                               "test.toml");
  WorkCalendar calendar(config.calendar);
  auto period = parse_period("2026-09", calendar);
  REQUIRE(period);
  CHECK_THROWS_WITH_AS(build_report(config, calendar, log, *period, {}, kT0, "test"),
                       "this store (memory:test) cannot compute report figures", StoreError);
}

}  // namespace
}  // namespace liaison
