// Tests of lib/services/services.cpp: every lifecycle operation, once on SQLite `:memory:` and
// once on the in-memory MemoryStore (STORE_TEST_CASE), with a fixed "now" and actor,
// against a small config on the official 2026 National Day calendar (rest Thu 10-01 … Wed
// 10-07, makeup Sun 09-20 and Sat 10-10; hours 08:30-12:00, 13:00-17:30, Asia/Shanghai). Expected deadlines are computed by hand in the comments.
#include "services.h"

#include <chrono>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "chain.h"
#include "errors.h"
#include "fixture.h"

namespace liaison {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using test::bj;

const std::string kConfig = test::config_text(R"toml(
[[channel]]
id = "email"

[[channel]]
id = "phone"

[[channel]]
id = "letter"

[[party_type]]
id = "customer"

[[party_type]]
id = "supplier"

[[kind]]
id = "complaint"
name = "投诉"
ack = { internal = "24h", external = "48h" }
resolve = { internal = "3wd", external = "5wd" }
reply_required = true
requires = { external = ["party"] }

[[kind]]
id = "inquiry"
ack = "8wh"
resolve = "2wd"

[[kind]]
id = "suggestion"
resolve = { internal = "10wd" }
requires = { internal = ["flow", "level"] }

[[kind]]
id = "emergency"
ack = "30m"
resolve = "24h"

[[kind]]
id = "proposal"
explanation_approval = ["head", "top"]

[[rule]]
name = "customer complaints go to quality"
when = { direction = "external", party_type = "customer", kind = "complaint" }
owner = "quality"
notify = ["sales"]

[[rule]]
name = "major matters reach the general manager"
when = { major = true }
escalate = "gm"

[[rule]]
name = "internal matters go to quality"
when = { direction = "internal" }
owner = "quality"

[[rule]]
name = "other customer matters go to sales"
when = { direction = "external", party_type = "customer" }
owner = "sales"
)toml");

/// The message and hint of the exception of type E that `f` throws.
struct Thrown {
  bool thrown = false;
  std::string message, hint;
};
template <typename E, typename F>
Thrown thrown_by(F&& f) {
  try {
    f();
  } catch (const E& e) {
    if constexpr (std::is_base_of_v<Error, E>) return {true, e.what(), e.hint()};
    else return {true, e.what(), {}};
  }
  return {};
}

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

/// Config, calendar, a store (SQLite `:memory:` or a MemoryStore, as `on` says) with two
/// registered parties, and a context whose now is Tue 2026-09-29 10:00 and actor "li".
struct Fixture : test::StoreFixture {
  template <typename OnStore>
  explicit Fixture(OnStore on, const std::string& text = kConfig)
      : StoreFixture(text, bj(2026, 9, 29, 10), "li", on) {
    add_party(ctx, test::make_party("svw", "上汽大众", "customer"));
    add_party(ctx, test::make_party("acme", "Acme Components", "supplier"));
  }

  /// An external complaint from the customer svw, received now.
  FileRequest customer_complaint() const {
    FileRequest req;
    req.kind = "complaint";
    req.party = "svw";
    req.subject = "焊点开裂";
    req.body = "batch 2026-09 shows cracked joints";
    req.channel = "email";
    return req;
  }
  /// An internal inquiry from sales, received now.
  FileRequest internal_inquiry() const {
    FileRequest req;
    req.kind = "inquiry";
    req.subject = "which drawing revision applies?";
    req.from_dept = "sales";
    return req;
  }

  /// Event types of a record's history, oldest first.
  std::vector<std::string> history(const std::string& ref) {
    std::vector<std::string> out;
    for (const auto& e : store->events_for(get_record(*store, ref).id)) out.push_back(e.type);
    return out;
  }
  /// The data of a record's newest event.
  json last_data(const std::string& ref) {
    auto events = store->events_for(get_record(*store, ref).id);
    REQUIRE_FALSE(events.empty());
    return json::parse(events.back().data);
  }
  const Clock& clock(const Record& r, const std::string& name) {
    for (const auto& c : r.clocks)
      if (c.name == name) return c;
    FAIL("no clock " << name);
    return r.clocks.front();
  }
};

using Types = std::vector<std::string>;

// ---------------------------------------------------------------------------------------

STORE_TEST_CASE("the fixture config parses") {
  Fixture fx(S{});
  CHECK(fx.config.kinds.size() == 5);
  CHECK(fx.config.rules.size() == 4);
  CHECK(fx.store->last_event_id() == 2);  // the two parties
}

STORE_TEST_CASE("file_record routes an external customer complaint and computes its deadlines") {
  Fixture fx(S{});
  FileResult result = file_record(fx.ctx, fx.customer_complaint());
  const Record& r = result.record;
  CHECK(r.ref == "EXT-2026-00001");
  CHECK(r.id > 0);
  CHECK(r.direction == Direction::external);  // a party was given
  CHECK(r.flow == Flow::none);
  CHECK(r.owner == "quality");
  CHECK(r.rule == "customer complaints go to quality");
  CHECK(result.rule == "customer complaints go to quality");
  CHECK(r.notify == std::vector<std::string>{"sales"});
  CHECK_FALSE(r.major);
  CHECK(r.escalated_to.empty());
  CHECK(r.status == Status::open);
  CHECK(r.level == "internal");  // levels.default
  CHECK(r.party == "svw");
  CHECK(r.channel == "email");
  CHECK(r.received_at == bj(2026, 9, 29, 10));
  CHECK(r.created_at == fx.ctx.now);
  CHECK(r.created_by == "li");

  // ack 48h of calendar time: Thu 10-01 10:00, a holiday, which calendar time ignores.
  // resolve 5wd: day 0 Tue 09-29; Wed 09-30 = 1; 10-01…10-07 rest; Thu 10-08 = 2;
  // Fri 10-09 = 3; Sat 10-10 (makeup) = 4; Sun 10-11 rest; Mon 10-12 = 5, close 17:30.
  REQUIRE(r.clocks.size() == 2);
  const Clock& ack = fx.clock(r, "ack");
  const Clock& resolve = fx.clock(r, "resolve");
  CHECK(ack.duration == "48h");
  CHECK(ack.started_at == bj(2026, 9, 29, 10));
  CHECK(ack.due == bj(2026, 10, 1, 10));
  CHECK(resolve.duration == "5wd");
  CHECK(resolve.due == bj(2026, 10, 12, 17, 30));
  for (const Clock& c : r.clocks) {
    CHECK(c.config_hash == fx.config.hash);
    CHECK_FALSE(c.provisional);
    CHECK_FALSE(c.stopped_at);
    CHECK_FALSE(c.used_seconds);
  }
  CHECK(r.ack_due == ack.due);
  CHECK(r.due == resolve.due);

  // What was stored is what was returned.
  Record stored = get_record(*fx.store, "EXT-2026-00001");
  CHECK(stored.id == r.id);
  CHECK(stored.owner == "quality");
  CHECK(stored.notify == r.notify);
  CHECK(stored.due == r.due);
  CHECK(stored.ack_due == r.ack_due);
  REQUIRE(stored.clocks.size() == 2);
  CHECK(stored.clocks[1].due == resolve.due);

  auto events = fx.store->events_for(r.id);
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == "filed");
  CHECK(events[0].actor == "li");
  CHECK(events[0].at == fx.ctx.now);
  json data = json::parse(events[0].data);
  CHECK(data["owner"] == "quality");
  CHECK(data["rule"] == "customer complaints go to quality");
  CHECK(data["notify"] == json::array({"sales"}));
  CHECK(data["config_hash"] == fx.config.hash);
  CHECK(data["received_at"] == "2026-09-29T10:00:00+08:00");
  REQUIRE(data["clocks"].size() == 2);
  CHECK(data["clocks"][0]["due"] == "2026-10-01T10:00:00+08:00");
  CHECK(data["clocks"][1]["due"] == "2026-10-12T17:30:00+08:00");
}

STORE_TEST_CASE("file_record: an internal complaint counts the weekend makeup day") {
  Fixture fx(S{});
  fx.ctx.now = bj(2026, 9, 18, 16);
  FileRequest req;
  req.kind = "complaint";
  req.subject = "canteen";
  req.from_dept = "sales";
  req.flow = Flow::upward;
  req.received_at = bj(2026, 9, 18, 15);  // Fri
  Record r = file_record(fx.ctx, req).record;
  CHECK(r.ref == "INT-2026-00001");
  CHECK(r.direction == Direction::internal);
  CHECK(r.flow == Flow::upward);
  CHECK(r.owner == "quality");
  CHECK(r.rule == "internal matters go to quality");
  CHECK(r.notify.empty());
  CHECK(r.received_at == bj(2026, 9, 18, 15));
  CHECK(r.created_at == bj(2026, 9, 18, 16));
  // ack 24h from receipt: Sat 09-19 15:00.
  // resolve 3wd: day 0 Fri 09-18; Sat 09-19 rest; Sun 09-20 (makeup) = 1; Mon 09-21 = 2; Tue 09-22 = 3.
  CHECK(r.ack_due == bj(2026, 9, 19, 15));
  CHECK(r.due == bj(2026, 9, 22, 17, 30));
  CHECK(fx.clock(r, "resolve").started_at == bj(2026, 9, 18, 15));
}

STORE_TEST_CASE("file_record numbers each direction in its own gap-free sequence") {
  Fixture fx(S{});
  CHECK(file_record(fx.ctx, fx.customer_complaint()).record.ref == "EXT-2026-00001");
  CHECK(file_record(fx.ctx, fx.internal_inquiry()).record.ref == "INT-2026-00001");
  CHECK(file_record(fx.ctx, fx.customer_complaint()).record.ref == "EXT-2026-00002");
  CHECK(file_record(fx.ctx, fx.internal_inquiry()).record.ref == "INT-2026-00002");
  CHECK(file_record(fx.ctx, fx.internal_inquiry()).record.ref == "INT-2026-00003");
  CHECK(fx.store->count_records() == 5);
}

STORE_TEST_CASE("file_record takes the year from the local date of receipt") {
  Fixture fx(S{});
  fx.ctx.now = bj(2026, 1, 5, 9);
  FileRequest late = fx.internal_inquiry();
  late.received_at = bj(2025, 12, 31, 23);  // 15:00 UTC
  FileRequest early = fx.internal_inquiry();
  early.received_at = bj(2026, 1, 1, 1);  // still 2025-12-31 in UTC
  Record r2025 = file_record(fx.ctx, late).record;
  Record r2026 = file_record(fx.ctx, early).record;
  CHECK(r2025.ref == "INT-2025-00001");
  CHECK(r2026.ref == "INT-2026-00001");
  // 2025 has no holiday notice in this config: its deadlines are provisional.
  CHECK(fx.clock(r2025, "ack").provisional);
  CHECK(r2025.clocks.size() == 2);
}

STORE_TEST_CASE("file_record refuses bad requests") {
  Fixture fx(S{});
  const auto events_before = fx.store->last_event_id();

  SUBCASE("missing subject") {
    FileRequest req = fx.customer_complaint();
    req.subject = "";
    CHECK_THROWS_AS(file_record(fx.ctx, req), DataError);
    req.subject = " \t\n";
    CHECK_THROWS_AS(file_record(fx.ctx, req), DataError);
  }
  SUBCASE("a field the kind requires") {
    FileRequest req = fx.customer_complaint();
    req.party.clear();
    req.direction = Direction::external;
    auto t = thrown_by<DataError>([&] { file_record(fx.ctx, req); });
    REQUIRE(t.thrown);
    CHECK(contains(t.message, "party"));
    CHECK(contains(t.hint, "--party"));
  }
  SUBCASE("unknown kind") {
    FileRequest req = fx.customer_complaint();
    req.kind = "complant";
    auto t = thrown_by<DataError>([&] { file_record(fx.ctx, req); });
    REQUIRE(t.thrown);
    CHECK(contains(t.message, "complant"));
    CHECK(contains(t.hint, "did you mean \"complaint\""));
  }
  SUBCASE("unknown owner department") {
    FileRequest req = fx.customer_complaint();
    req.owner = "qualty";
    auto t = thrown_by<DataError>([&] { file_record(fx.ctx, req); });
    REQUIRE(t.thrown);
    CHECK(contains(t.message, "qualty"));
    CHECK(contains(t.hint, "did you mean \"quality\""));
  }
  SUBCASE("unknown originating department") {
    FileRequest req = fx.internal_inquiry();
    req.from_dept = "slaes";
    auto t = thrown_by<DataError>([&] { file_record(fx.ctx, req); });
    REQUIRE(t.thrown);
    CHECK(contains(t.hint, "did you mean \"sales\""));
  }
  SUBCASE("unknown channel") {
    FileRequest req = fx.customer_complaint();
    req.channel = "emial";
    auto t = thrown_by<DataError>([&] { file_record(fx.ctx, req); });
    REQUIRE(t.thrown);
    CHECK(contains(t.hint, "did you mean \"email\""));
  }
  SUBCASE("unknown assignee") {
    FileRequest req = fx.customer_complaint();
    req.assignee = "nobody";
    CHECK_THROWS_AS(file_record(fx.ctx, req), DataError);
  }
  SUBCASE("unknown level") {
    FileRequest req = fx.customer_complaint();
    req.level = "secert";
    auto t = thrown_by<DataError>([&] { file_record(fx.ctx, req); });
    REQUIRE(t.thrown);
    CHECK(contains(t.hint, "did you mean \"secret\""));
  }
  SUBCASE("unknown party") {
    FileRequest req = fx.customer_complaint();
    req.party = "nobody";
    CHECK_THROWS_AS(file_record(fx.ctx, req), NotFoundError);
  }
  SUBCASE("a flow on an external record") {
    FileRequest req = fx.customer_complaint();
    req.flow = Flow::upward;
    CHECK_THROWS_AS(file_record(fx.ctx, req), DataError);
  }
  SUBCASE("a receipt time in the future") {
    FileRequest req = fx.customer_complaint();
    req.received_at = fx.ctx.now + seconds{1};
    auto t = thrown_by<DataError>([&] { file_record(fx.ctx, req); });
    REQUIRE(t.thrown);
    CHECK(contains(t.message, "future"));
  }
  SUBCASE("no rule routes it and no --to") {
    FileRequest req;
    req.kind = "inquiry";
    req.party = "acme";  // a supplier: no rule
    req.subject = "delivery date";
    CHECK_THROWS_AS(file_record(fx.ctx, req), DataError);
    req.owner = "sales";
    CHECK(file_record(fx.ctx, req).record.ref == "EXT-2026-00001");
    return;
  }
  // Nothing was written, and the next filing gets number 1.
  CHECK(fx.store->count_records() == 0);
  CHECK(fx.store->last_event_id() == events_before);
  CHECK(file_record(fx.ctx, fx.customer_complaint()).record.ref == "EXT-2026-00001");
}

STORE_TEST_CASE("a filing that fails inside its transaction consumes no number") {
  Fixture fx(S{});
  // A record holding the next reference, put there behind the sequence's back, makes
  // the insert fail after the number was drawn.
  {
    auto tx = fx.store->write();
    Record squatter;
    squatter.ref = "EXT-2026-00001";
    squatter.kind = "complaint";
    squatter.subject = "squatter";
    squatter.owner = "quality";
    squatter.level = "internal";
    squatter.created_by = "test";
    fx.store->insert_record(squatter);
    tx->commit();
  }
  const auto events_before = fx.store->last_event_id();
  CHECK_THROWS_AS(file_record(fx.ctx, fx.customer_complaint()), StoreError);
  CHECK(fx.store->count_records() == 1);
  CHECK(fx.store->last_event_id() == events_before);
  auto tx = fx.store->write();
  CHECK(fx.store->next_sequence("EXT-2026-") == 1);
}

STORE_TEST_CASE("a major record is escalated to top management on filing") {
  Fixture fx(S{});
  FileRequest req = fx.customer_complaint();
  req.major = true;
  Record r = file_record(fx.ctx, req).record;
  CHECK(r.major);
  CHECK(r.escalated_to == "gm");
  CHECK(r.owner == "quality");
  CHECK(fx.history(r.ref) == Types{"filed", "escalated"});
  json data = fx.last_data(r.ref);
  CHECK(data["to"] == "gm");
  CHECK(get_record(*fx.store, r.ref).escalated_to == "gm");
}

STORE_TEST_CASE("an escalation on filing names the rule that escalated") {
  // The owner comes from "internal matters go to quality"; the escalation from this rule.
  Fixture fx(S{}, kConfig + R"toml(
[[rule]]
name = "emergencies go to the general manager"
when = { kind = "emergency" }
escalate = "gm"
)toml");
  FileRequest req = fx.internal_inquiry();
  req.kind = "emergency";
  Record r = file_record(fx.ctx, req).record;
  CHECK_FALSE(r.major);
  CHECK(r.owner == "quality");
  CHECK(r.rule == "internal matters go to quality");
  CHECK(r.escalated_to == "gm");
  REQUIRE(fx.history(r.ref) == Types{"filed", "escalated"});
  const std::string reason = fx.last_data(r.ref)["reason"];
  CAPTURE(reason);
  CHECK(contains(reason, "emergencies go to the general manager"));
  CHECK_FALSE(contains(reason, "internal matters"));
}

// ---------------------------------------------------------------------------------------

STORE_TEST_CASE("acknowledge stops the ack clock with the working time used") {
  Fixture fx(S{});
  Record filed = file_record(fx.ctx, fx.internal_inquiry()).record;
  // ack 8wh from Tue 09-29 10:00: 6.5 h that day, 1.5 h more on Wed 09-30 → 10:00.
  // resolve 2wd: Wed 09-30 = 1, 10-01…10-07 rest, Thu 10-08 = 2 → 17:30.
  CHECK(filed.ack_due == bj(2026, 9, 30, 10));
  CHECK(filed.due == bj(2026, 10, 8, 17, 30));

  fx.ctx.now = bj(2026, 9, 30, 9);
  fx.ctx.actor = "wei";
  Record r = acknowledge_record(fx.ctx, filed.ref, "on it");
  CHECK(r.status == Status::acknowledged);
  CHECK(r.acked_at == bj(2026, 9, 30, 9));
  // 10:00-12:00 + 13:00-17:30 on 09-29, 08:30-09:00 on 09-30 = 7 h.
  const Clock& ack = fx.clock(r, "ack");
  CHECK(ack.stopped_at == bj(2026, 9, 30, 9));
  CHECK(ack.used_seconds == 7 * 3600);
  CHECK_FALSE(fx.clock(r, "resolve").stopped_at);

  Record stored = get_record(*fx.store, filed.ref);
  CHECK(stored.status == Status::acknowledged);
  CHECK(stored.acked_at == bj(2026, 9, 30, 9));
  CHECK(fx.clock(stored, "ack").used_seconds == 7 * 3600);

  json data = fx.last_data(filed.ref);
  CHECK(data["used_seconds"] == 7 * 3600);
  CHECK(data["on_time"] == true);
  CHECK(data["note"] == "on it");

  fx.ctx.now = bj(2026, 9, 30, 11);
  auto t = thrown_by<StateError>([&] { acknowledge_record(fx.ctx, filed.ref, ""); });
  CHECK(t.thrown);
  CHECK(fx.history(filed.ref) == Types{"filed", "acknowledged"});
}

STORE_TEST_CASE("a late acknowledgement on a calendar-time clock") {
  Fixture fx(S{});
  Record filed = file_record(fx.ctx, fx.customer_complaint()).record;
  fx.ctx.now = bj(2026, 10, 2, 10);  // 72 h later, over a holiday
  Record r = acknowledge_record(fx.ctx, filed.ref, "");
  CHECK(fx.clock(r, "ack").used_seconds == 72 * 3600);
  CHECK(fx.last_data(filed.ref)["on_time"] == false);
}

STORE_TEST_CASE("operations on a missing record are NotFound") {
  Fixture fx(S{});
  CHECK_THROWS_AS(acknowledge_record(fx.ctx, "EXT-2026-09999", ""), NotFoundError);
  CHECK_THROWS_AS(log_record(fx.ctx, {"EXT-2026-09999", "note", "text", "", {}, "", ""}), NotFoundError);
  CHECK_THROWS_AS(wait_record(fx.ctx, "EXT-2026-09999", "reason"), NotFoundError);
  CHECK_THROWS_AS(get_record(*fx.store, "EXT-2026-09999"), NotFoundError);
}

// ---------------------------------------------------------------------------------------

STORE_TEST_CASE("a legal hold is placed and released by events, and list --held follows the newest") {
  Fixture fx(S{});
  fx.ctx.actor = "boss";  // top management
  std::string a = file_record(fx.ctx, fx.customer_complaint()).record.ref;
  std::string b = file_record(fx.ctx, fx.customer_complaint()).record.ref;
  RecordFilter held;
  held.held = true;
  RecordFilter not_held;
  not_held.held = false;
  auto refs = [&](const RecordFilter& f) {
    std::vector<std::string> out;
    for (const auto& r : fx.store->list_records(f)) out.push_back(r.ref);
    return out;
  };
  CHECK(refs(held).empty());
  hold_record(fx.ctx, a, "诉讼");
  CHECK(refs(held) == std::vector<std::string>{a});
  CHECK(refs(not_held) == std::vector<std::string>{b});
  auto hold = legal_hold(*fx.store, fx.store->find_record(a)->id);
  REQUIRE(hold);
  CHECK(hold->by == "boss");
  CHECK(hold->reason == "诉讼");
  CHECK(hold->since == fx.ctx.now);
  CHECK_THROWS_AS(hold_record(fx.ctx, a, "again"), StateError);
  CHECK_THROWS_AS(release_record(fx.ctx, b, "x"), StateError);
  CHECK_THROWS_AS(hold_record(fx.ctx, b, " "), DataError);
  fx.ctx.actor = "li";  // neither admin nor top management
  CHECK_THROWS_AS(release_record(fx.ctx, a, "x"), PermissionError);
  fx.ctx.actor = "boss";
  release_record(fx.ctx, a, "结案");
  CHECK_FALSE(legal_hold(*fx.store, fx.store->find_record(a)->id));
  CHECK(refs(held).empty());
  hold_record(fx.ctx, a, "再审");
  CHECK(refs(held) == std::vector<std::string>{a});
}

STORE_TEST_CASE("wait and resume move the resolve deadline by the working time paused") {
  Fixture fx(S{});
  Record filed = file_record(fx.ctx, fx.customer_complaint()).record;
  REQUIRE(filed.due == bj(2026, 10, 12, 17, 30));
  fx.ctx.now = bj(2026, 9, 29, 11);
  acknowledge_record(fx.ctx, filed.ref, "");

  fx.ctx.now = bj(2026, 9, 30, 10);
  Record waiting = wait_record(fx.ctx, filed.ref, "waiting for the customer's 8D report");
  CHECK(waiting.status == Status::waiting);
  Record stored = get_record(*fx.store, filed.ref);
  CHECK(stored.status == Status::waiting);
  CHECK(fx.clock(stored, "resolve").paused_since == bj(2026, 9, 30, 10));
  CHECK_FALSE(fx.clock(stored, "ack").paused_since);
  CHECK(stored.due == bj(2026, 10, 12, 17, 30));  // unchanged while paused
  CHECK_THROWS_AS(wait_record(fx.ctx, filed.ref, "again"), StateError);
  CHECK_THROWS_AS(wait_record(fx.ctx, filed.ref, ""), DataError);

  // Paused Wed 09-30 10:00 → Fri 10-09 10:00: 6.5 h on 09-30, nothing 10-01…10-07,
  // 8 h on 10-08, 1.5 h on 10-09 = 16 working hours. The old due, Mon 10-12 17:30, moves
  // 16 working hours on: Tue 10-13 (8 h), Wed 10-14 (8 h) → Wed 10-14 17:30.
  fx.ctx.now = bj(2026, 10, 9, 10);
  Record resumed = resume_record(fx.ctx, filed.ref, "8D received");
  CHECK(resumed.status == Status::acknowledged);
  const Clock& resolve = fx.clock(resumed, "resolve");
  CHECK_FALSE(resolve.paused_since);
  CHECK(resolve.paused_seconds == 16 * 3600);
  CHECK(resolve.due == bj(2026, 10, 14, 17, 30));
  CHECK(resumed.due == bj(2026, 10, 14, 17, 30));
  CHECK(resumed.ack_due == filed.ack_due);
  stored = get_record(*fx.store, filed.ref);
  CHECK(stored.due == bj(2026, 10, 14, 17, 30));
  CHECK(fx.clock(stored, "resolve").paused_seconds == 16 * 3600);

  json data = fx.last_data(filed.ref);
  CHECK(data["paused_seconds"] == 16 * 3600);
  CHECK(data["due"] == "2026-10-14T17:30:00+08:00");
  CHECK_THROWS_AS(resume_record(fx.ctx, filed.ref, ""), StateError);

  // Closed Tue 10-13 10:00: 48 working hours since receipt (6.5 + 8 + 8 + 8 + 8 + 8 + 1.5),
  // less the 16 paused = 32 h, on time.
  fx.ctx.now = bj(2026, 10, 13, 10);
  Record closed = close_record(fx.ctx, {filed.ref, "replaced the batch", {}, "email", "", ""});
  CHECK(fx.clock(closed, "resolve").used_seconds == 32 * 3600);
  CHECK(fx.clock(closed, "ack").used_seconds == 3600);  // stopped at the acknowledgement
  json closed_data = fx.last_data(filed.ref);
  CHECK(closed_data["clocks"]["resolve"]["used_seconds"] == 32 * 3600);
  CHECK(closed_data["clocks"]["resolve"]["on_time"] == true);
  CHECK(closed_data["clocks"]["ack"]["used_seconds"] == 3600);
}

STORE_TEST_CASE("resume before acknowledgement returns the record to open") {
  Fixture fx(S{});
  Record filed = file_record(fx.ctx, fx.internal_inquiry()).record;
  fx.ctx.now = bj(2026, 9, 29, 11);
  wait_record(fx.ctx, filed.ref, "asking the customer");
  fx.ctx.now = bj(2026, 9, 29, 14);
  Record r = resume_record(fx.ctx, filed.ref, "");
  CHECK(r.status == Status::open);
  CHECK_FALSE(r.acked_at);
  // Paused 11:00-14:00 = 2 working hours (lunch excluded): 2wd due Thu 10-08 17:30 moves
  // 2 h on: Fri 10-09 10:30.
  CHECK(fx.clock(r, "resolve").paused_seconds == 2 * 3600);
  CHECK(r.due == bj(2026, 10, 9, 10, 30));
}

STORE_TEST_CASE("acknowledging a waiting record keeps it waiting until resumed") {
  Fixture fx(S{});
  Record filed = file_record(fx.ctx, fx.internal_inquiry()).record;
  fx.ctx.now = bj(2026, 9, 29, 11);
  wait_record(fx.ctx, filed.ref, "asking the customer");
  fx.ctx.now = bj(2026, 9, 29, 13);
  CHECK(acknowledge_record(fx.ctx, filed.ref, "").status == Status::waiting);
  fx.ctx.now = bj(2026, 9, 29, 14);
  CHECK(resume_record(fx.ctx, filed.ref, "").status == Status::acknowledged);
}

STORE_TEST_CASE("a calendar-time resolve clock moves by the calendar time paused") {
  Fixture fx(S{});
  FileRequest req = fx.internal_inquiry();
  req.kind = "emergency";
  Record filed = file_record(fx.ctx, req).record;
  CHECK(filed.ack_due == bj(2026, 9, 29, 10, 30));
  CHECK(filed.due == bj(2026, 9, 30, 10));
  fx.ctx.now = bj(2026, 9, 29, 12);
  wait_record(fx.ctx, filed.ref, "fire brigade on site");
  fx.ctx.now = bj(2026, 9, 29, 15);
  Record r = resume_record(fx.ctx, filed.ref, "");
  CHECK(fx.clock(r, "resolve").paused_seconds == 3 * 3600);
  CHECK(r.due == bj(2026, 9, 30, 13));
}

// ---------------------------------------------------------------------------------------

STORE_TEST_CASE("close requires what the record owes") {
  Fixture fx(S{});
  Record filed = file_record(fx.ctx, fx.customer_complaint()).record;
  fx.ctx.now = bj(2026, 9, 30, 9);

  CHECK_THROWS_AS(close_record(fx.ctx, {filed.ref, "", {}, "email", "", ""}), DataError);
  CHECK_THROWS_AS(close_record(fx.ctx, {filed.ref, "  ", {}, "email", "", ""}), DataError);
  auto no_reply = thrown_by<DataError>([&] { close_record(fx.ctx, {filed.ref, "fixed", {}, "", "", ""}); });
  REQUIRE(no_reply.thrown);
  CHECK(contains(no_reply.hint, "--reply-via"));
  CHECK_THROWS_AS(close_record(fx.ctx, {filed.ref, "no", Outcome::rejected, "email", "", ""}), DataError);
  auto bad_channel = thrown_by<DataError>([&] { close_record(fx.ctx, {filed.ref, "fixed", {}, "emial", "", ""}); });
  REQUIRE(bad_channel.thrown);
  CHECK(contains(bad_channel.hint, "did you mean \"email\""));
  CHECK(get_record(*fx.store, filed.ref).status == Status::open);
  CHECK(fx.history(filed.ref) == Types{"filed"});

  Record r = close_record(fx.ctx, {filed.ref, "replaced the batch", {}, "letter", "CAPA-7", ""});
  CHECK(r.status == Status::closed);
  CHECK(r.outcome == Outcome::resolved);
  CHECK(r.resolution == "replaced the batch");
  CHECK(r.reply_via == "letter");
  CHECK(r.capa == "CAPA-7");
  CHECK(r.closed_at == bj(2026, 9, 30, 9));
  for (const Clock& c : r.clocks) {
    CAPTURE(c.name);
    CHECK(c.stopped_at == bj(2026, 9, 30, 9));
    CHECK(c.used_seconds.has_value());
  }
  CHECK(fx.clock(r, "ack").used_seconds == 23 * 3600);          // 48h clock, calendar time
  CHECK(fx.clock(r, "resolve").used_seconds == 7 * 3600);       // 6.5 h + 0.5 h working
  Record stored = get_record(*fx.store, filed.ref);
  CHECK(stored.status == Status::closed);
  CHECK(stored.outcome == Outcome::resolved);
  CHECK(stored.closed_at == bj(2026, 9, 30, 9));

  json data = fx.last_data(filed.ref);
  CHECK(data["outcome"] == "resolved");
  CHECK(data["reply_via"] == "letter");
  CHECK(data["capa"] == "CAPA-7");
  CHECK(data["clocks"]["ack"]["on_time"] == true);

  auto twice = thrown_by<StateError>([&] { close_record(fx.ctx, {filed.ref, "again", {}, "email", "", ""}); });
  CHECK(twice.thrown);
  CHECK(contains(twice.hint, "reopen"));
  CHECK_THROWS_AS(acknowledge_record(fx.ctx, filed.ref, ""), StateError);
  CHECK_THROWS_AS(route_record(fx.ctx, {filed.ref, "sales", "", "", false}), StateError);
  CHECK_THROWS_AS(escalate_record(fx.ctx, {filed.ref, "gm", "why", {}}), StateError);
  CHECK_THROWS_AS(wait_record(fx.ctx, filed.ref, "why"), StateError);
  CHECK(fx.history(filed.ref) == Types{"filed", "closed"});
}

STORE_TEST_CASE("closing a waiting record ends the pause and leaves it out of the time used") {
  Fixture fx(S{});
  Record filed = file_record(fx.ctx, fx.internal_inquiry()).record;  // Tue 09-29 10:00
  fx.ctx.now = bj(2026, 9, 29, 11);
  wait_record(fx.ctx, filed.ref, "asking the customer");
  fx.ctx.now = bj(2026, 9, 29, 14);
  Record r = close_record(fx.ctx, {filed.ref, "answered", Outcome::no_action, "", "", ""});
  CHECK(r.status == Status::closed);
  // resolve: 10:00-14:00 is 3 working hours (lunch excluded), 2 of them paused (11:00-14:00).
  const Clock& resolve = fx.clock(r, "resolve");
  CHECK_FALSE(resolve.paused_since);
  CHECK(resolve.paused_seconds == 2 * 3600);
  CHECK(resolve.used_seconds == 3600);
  // ack is not paused by waiting: 3 working hours.
  CHECK(fx.clock(r, "ack").used_seconds == 3 * 3600);
  Record stored = get_record(*fx.store, filed.ref);
  CHECK_FALSE(fx.clock(stored, "resolve").paused_since);
  CHECK(fx.clock(stored, "resolve").used_seconds == 3600);
  CHECK_THROWS_AS(resume_record(fx.ctx, filed.ref, ""), StateError);
}

STORE_TEST_CASE("a rejected suggestion closes with the explanation owed to the proposer") {
  Fixture fx(S{});
  FileRequest req;
  req.kind = "suggestion";
  req.subject = "four-day week";
  req.from_dept = "sales";
  // The kind requires a flow and an explicit level, each refused until given.
  CHECK(thrown_by<DataError>([&] { file_record(fx.ctx, req); }).message == "an internal suggestion needs flow");
  req.flow = Flow::upward;
  CHECK(thrown_by<DataError>([&] { file_record(fx.ctx, req); }).message == "an internal suggestion needs level");
  req.level = "internal";
  Record filed = file_record(fx.ctx, req).record;
  CHECK_FALSE(filed.ack_due);  // the kind sets no ack deadline
  REQUIRE(filed.clocks.size() == 1);
  Record r = close_record(fx.ctx, {filed.ref, "considered", Outcome::rejected, "", "", "costs exceed the budget"});
  CHECK(r.outcome == Outcome::rejected);
  json data = fx.last_data(filed.ref);
  CHECK(data["outcome"] == "rejected");
  CHECK(data["explanation"] == "costs exceed the budget");
}

STORE_TEST_CASE("closing as rejected waits until the explanation's approvers have approved") {
  Fixture fx(S{});
  FileRequest req;
  req.kind = "proposal";
  req.subject = "four-day week";
  req.from_dept = "sales";
  const std::string ref = file_record(fx.ctx, req).record.ref;  // owner quality: head wei, top boss
  const CloseRequest rejected{ref, "considered", Outcome::rejected, "", "", "costs exceed the budget"};
  auto refusal = [&] { return thrown_by<StateError>([&] { close_record(fx.ctx, rejected); }).message; };
  CHECK(refusal() == ref + ": the explanation of its rejection must be approved by wei before closing");
  // An approval of the matter is not one of the explanation.
  request_approval(fx.ctx, ref, "wei", "the matter", false);
  fx.ctx.actor = "wei";
  decide_approval(fx.ctx, ref, false, "not now");
  fx.ctx.actor = "li";
  CHECK(refusal() == ref + ": the explanation of its rejection must be approved by wei before closing");
  // Asked for the explanation, wei decides it at once, the matter's rejection standing.
  request_approval(fx.ctx, ref, "wei", "draft explanation", true);
  CHECK(refusal() == ref + ": not approved yet by wei");
  fx.ctx.actor = "wei";
  // wei has two steps now: without --explanation, a decision is the matter's (rejected).
  CHECK(thrown_by<StateError>([&] { decide_approval(fx.ctx, ref, true, ""); }).message ==
        ref + ": wei rejected it already");
  decide_approval(fx.ctx, ref, false, "say why", true);
  fx.ctx.actor = "li";
  CHECK(refusal() == ref + ": wei rejected it");
  CHECK(contains(thrown_by<StateError>([&] { close_record(fx.ctx, rejected); }).hint, "--from wei --explanation"));
  request_approval(fx.ctx, ref, "wei", "revised", true);
  fx.ctx.actor = "wei";
  decide_approval(fx.ctx, ref, true, "", true);
  fx.ctx.actor = "li";
  CHECK(refusal() == ref + ": the explanation of its rejection must be approved by boss before closing");
  request_approval(fx.ctx, ref, "boss", "", true);
  fx.ctx.actor = "boss";
  decide_approval(fx.ctx, ref, true, "");
  fx.ctx.actor = "li";
  CHECK(close_record(fx.ctx, rejected).outcome == Outcome::rejected);
  // Reopened, its next rejection's explanation is approved anew.
  fx.ctx.now += std::chrono::hours{1};
  reopen_record(fx.ctx, ref, "the proposer asks again");
  CHECK(refusal() == ref + ": the explanation of its rejection must be approved by wei before closing");

  // The head closing it asks only top management: no one approves their own explanation.
  fx.ctx.actor = "wei";
  const std::string own = file_record(fx.ctx, req).record.ref;
  CHECK(thrown_by<StateError>([&] { close_record(fx.ctx, {own, "considered", Outcome::rejected, "", "", "no"}); }).message ==
        own + ": the explanation of its rejection must be approved by boss before closing");
  // An explanation's approval asked and not given does not hold up adopting it.
  request_approval(fx.ctx, own, "boss", "draft", true);
  CHECK(close_record(fx.ctx, {own, "adopted", Outcome::adopted, "", "", ""}).outcome == Outcome::adopted);
}

STORE_TEST_CASE("reopen restarts the resolve clock from now") {
  Fixture fx(S{});
  Record filed = file_record(fx.ctx, fx.customer_complaint()).record;
  fx.ctx.now = bj(2026, 9, 30, 9);
  close_record(fx.ctx, {filed.ref, "replaced the batch", {}, "email", "", ""});
  CHECK_THROWS_AS(reopen_record(fx.ctx, filed.ref, ""), DataError);

  fx.ctx.now = bj(2026, 10, 12, 10);
  fx.ctx.actor = "boss";
  Record r = reopen_record(fx.ctx, filed.ref, "the customer is not satisfied");
  CHECK(r.status == Status::acknowledged);
  CHECK(r.acked_at == bj(2026, 10, 12, 10));  // reopening is a receipt of the matter again
  CHECK_FALSE(r.outcome);
  CHECK(r.resolution.empty());
  CHECK(r.reply_via.empty());
  CHECK_FALSE(r.closed_at);
  // 5wd from Mon 10-12: Tue 13 = 1 … Fri 16 = 4, weekend, Mon 10-19 = 5.
  const Clock& resolve = fx.clock(r, "resolve");
  CHECK(resolve.started_at == bj(2026, 10, 12, 10));
  CHECK(resolve.due == bj(2026, 10, 19, 17, 30));
  CHECK_FALSE(resolve.stopped_at);
  CHECK_FALSE(resolve.used_seconds);
  CHECK(resolve.paused_seconds == 0);
  CHECK(r.due == bj(2026, 10, 19, 17, 30));
  CHECK(fx.clock(r, "ack").stopped_at == bj(2026, 9, 30, 9));  // the ack clock keeps its result

  Record stored = get_record(*fx.store, filed.ref);
  CHECK(stored.status == Status::acknowledged);
  CHECK_FALSE(stored.outcome);
  CHECK(stored.due == bj(2026, 10, 19, 17, 30));
  CHECK(fx.clock(stored, "resolve").due == bj(2026, 10, 19, 17, 30));
  CHECK_FALSE(fx.clock(stored, "resolve").stopped_at);
  CHECK_FALSE(fx.clock(stored, "resolve").used_seconds);

  json data = fx.last_data(filed.ref);
  CHECK(data["previous_outcome"] == "resolved");
  CHECK(data["reason"] == "the customer is not satisfied");
  CHECK_THROWS_AS(reopen_record(fx.ctx, filed.ref, "again"), StateError);
  CHECK(fx.history(filed.ref) == Types{"filed", "closed", "reopened"});
}

// ---------------------------------------------------------------------------------------

STORE_TEST_CASE("route reassigns; --auto re-applies the rules") {
  Fixture fx(S{});
  FileRequest req = fx.customer_complaint();
  req.owner = "sales";
  FileResult filed = file_record(fx.ctx, req);
  CHECK(filed.record.owner == "sales");
  CHECK(filed.record.rule.empty());
  CHECK(filed.rule.empty());
  const std::string ref = filed.record.ref;

  fx.ctx.actor = "dave";
  Record r = route_record(fx.ctx, {ref, "", "", "belongs to quality", true});
  CHECK(r.owner == "quality");
  CHECK(get_record(*fx.store, ref).owner == "quality");
  json data = fx.last_data(ref);
  CHECK(data["from"] == "sales");
  CHECK(data["to"] == "quality");
  CHECK(data["rule"] == "customer complaints go to quality");
  CHECK(data["reason"] == "belongs to quality");
  // Quality's record now: dave, head of sales, may no longer route it; top management may.
  CHECK_THROWS_AS(route_record(fx.ctx, {ref, "sales", "", "", false}), PermissionError);
  fx.ctx.actor = "boss";
  CHECK_THROWS_AS(route_record(fx.ctx, {ref, "", "", "", true}), StateError);
  CHECK_THROWS_AS(route_record(fx.ctx, {ref, "quality", "", "", false}), StateError);

  r = route_record(fx.ctx, {ref, "", "li", "", false});
  CHECK(r.owner == "quality");
  CHECK(r.assignee == "li");
  r = route_record(fx.ctx, {ref, "sales", "", "", false});
  CHECK(r.owner == "sales");
  CHECK(r.assignee.empty());  // li belongs to the old owner
  r = route_record(fx.ctx, {ref, "quality", "wei", "", false});
  CHECK(r.owner == "quality");
  CHECK(r.assignee == "wei");
  Record stored = get_record(*fx.store, ref);
  CHECK(stored.assignee == "wei");
  // Routing does not move deadlines.
  CHECK(stored.due == filed.record.due);
  CHECK(stored.ack_due == filed.record.ack_due);

  CHECK_THROWS_AS(route_record(fx.ctx, {ref, "", "", "", false}), UsageError);
  CHECK_THROWS_AS(route_record(fx.ctx, {ref, "sales", "", "", true}), UsageError);
  auto t = thrown_by<DataError>([&] { route_record(fx.ctx, {ref, "slaes", "", "", false}); });
  REQUIRE(t.thrown);
  CHECK(contains(t.hint, "did you mean \"sales\""));
  CHECK(fx.history(ref) == Types{"filed", "routed", "routed", "routed", "routed"});
}

STORE_TEST_CASE("route --auto with no matching rule is a DataError") {
  Fixture fx(S{});
  FileRequest req;
  req.kind = "inquiry";
  req.party = "acme";
  req.subject = "delivery date";
  req.owner = "sales";
  Record r = file_record(fx.ctx, req).record;
  fx.ctx.actor = "dave";  // head of sales, which owns it
  CHECK_THROWS_AS(route_record(fx.ctx, {r.ref, "", "", "", true}), DataError);
  CHECK(fx.history(r.ref) == Types{"filed"});
}

STORE_TEST_CASE("escalate records the target, the reason and the skip-level case") {
  Fixture fx(S{});
  Record filed = file_record(fx.ctx, fx.internal_inquiry()).record;
  fx.ctx.actor = "dave";
  Record r = escalate_record(fx.ctx, {filed.ref, "gm", "my head ignores it", SkipLevelCase::superior_complaint});
  CHECK(r.escalated_to == "gm");
  CHECK(get_record(*fx.store, filed.ref).escalated_to == "gm");
  json data = fx.last_data(filed.ref);
  CHECK(data["to"] == "gm");
  CHECK(data["reason"] == "my head ignores it");
  CHECK(data["skip_level"] == "superior-complaint");

  r = escalate_record(fx.ctx, {filed.ref, "wei", "to the head", {}});  // a user
  CHECK(r.escalated_to == "wei");
  CHECK_FALSE(fx.last_data(filed.ref).contains("skip_level"));
  r = escalate_record(fx.ctx, {filed.ref, "", "default target", {}});
  CHECK(r.escalated_to == "gm");  // organization.top

  auto t = thrown_by<DataError>([&] { escalate_record(fx.ctx, {filed.ref, "gn", "why", {}}); });
  REQUIRE(t.thrown);
  CHECK(contains(t.hint, "did you mean \"gm\""));
  CHECK_THROWS_AS(escalate_record(fx.ctx, {filed.ref, "gm", "", {}}), DataError);
  CHECK(fx.history(filed.ref) == Types{"filed", "escalated", "escalated", "escalated"});
}

STORE_TEST_CASE("log validates its entry type and appends one event") {
  Fixture fx(S{});
  Record filed = file_record(fx.ctx, fx.internal_inquiry()).record;
  CHECK(log_types() == std::vector<std::string>{"note", "call", "email", "meeting", "reply", "action", "decision"});
  for (const auto& type : log_types()) {
    Event e = log_record(fx.ctx, {filed.ref, type, "text of " + type, "", {}, "", ""});
    CHECK(e.type == "logged");
    CHECK(e.ref == filed.ref);
    CHECK(json::parse(e.data)["entry"] == type);
  }
  Event with_channel = log_record(fx.ctx, {filed.ref, "call", "called back", "phone", {}, "", ""});
  CHECK(json::parse(with_channel.data)["channel"] == "phone");
  CHECK(json::parse(with_channel.data)["text"] == "called back");

  auto t = thrown_by<UsageError>([&] { log_record(fx.ctx, {filed.ref, "cal", "x", "", {}, "", ""}); });
  REQUIRE(t.thrown);
  CHECK(contains(t.hint, "did you mean \"call\""));
  CHECK_THROWS_AS(log_record(fx.ctx, {filed.ref, "memo", "x", "", {}, "", ""}), UsageError);
  CHECK_THROWS_AS(log_record(fx.ctx, {filed.ref, "note", "", "", {}, "", ""}), DataError);
  CHECK_THROWS_AS(log_record(fx.ctx, {filed.ref, "note", "x", "fax", {}, "", ""}), DataError);
  CHECK(fx.store->events_for(filed.id).size() == 1 + log_types().size() + 1);
}

STORE_TEST_CASE("every operation appends exactly its events, in order, with the actor and now") {
  Fixture fx(S{});
  struct Step {
    std::string actor;
    TimePoint now;
  };
  const std::vector<Step> steps{
      {"li", bj(2026, 9, 29, 10)},   {"wei", bj(2026, 9, 29, 11)},  {"dave", bj(2026, 9, 29, 12)},
      {"wei", bj(2026, 9, 29, 14)},  {"dave", bj(2026, 9, 29, 15)}, {"wei", bj(2026, 9, 30, 9)},
      {"wei", bj(2026, 10, 8, 9)},   {"wei", bj(2026, 10, 9, 16)},  {"boss", bj(2026, 10, 12, 9)},
  };
  auto at_step = [&](std::size_t i) {
    fx.ctx.actor = steps[i].actor;
    fx.ctx.now = steps[i].now;
  };
  FileRequest req = fx.customer_complaint();
  req.owner = "sales";
  at_step(0);
  const std::string ref = file_record(fx.ctx, req).record.ref;
  at_step(1);
  log_record(fx.ctx, {ref, "call", "spoke to the buyer", "phone", {}, "", ""});
  at_step(2);
  route_record(fx.ctx, {ref, "quality", "", "quality matter", false});
  at_step(3);
  acknowledge_record(fx.ctx, ref, "");
  CHECK_THROWS_AS(acknowledge_record(fx.ctx, ref, ""), StateError);  // appends nothing
  at_step(4);
  escalate_record(fx.ctx, {ref, "", "customer threatens to stop the line", {}});
  at_step(5);
  wait_record(fx.ctx, ref, "samples on the way");
  at_step(6);
  resume_record(fx.ctx, ref, "samples arrived");
  at_step(7);
  close_record(fx.ctx, {ref, "replaced the batch", {}, "email", "", ""});
  CHECK_THROWS_AS(close_record(fx.ctx, {ref, "again", {}, "email", "", ""}), StateError);
  at_step(8);
  reopen_record(fx.ctx, ref, "recurred");

  const Record r = get_record(*fx.store, ref);
  auto events = fx.store->events_for(r.id);
  const Types expected{"filed",     "logged",  "routed", "acknowledged", "escalated",
                       "waiting",   "resumed", "closed", "reopened"};
  REQUIRE(events.size() == expected.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    CAPTURE(i);
    CHECK(events[i].type == expected[i]);
    CHECK(events[i].actor == steps[i].actor);
    CHECK(events[i].at == steps[i].now);
    CHECK(events[i].record_id == r.id);
    CHECK(events[i].ref == ref);
    CHECK(json::parse(events[i].data).is_object());
    if (i > 0) CHECK(events[i].id == events[i - 1].id + 1);
  }
  CHECK(events.front().id == 3);  // after the two party events
  auto check = verify_chain(*fx.store);
  CHECK(check.ok);
  CHECK(check.events == 11);
}

STORE_TEST_CASE("explain_deadlines reports each clock with its steps") {
  Fixture fx(S{});
  Record filed = file_record(fx.ctx, fx.customer_complaint()).record;
  fx.ctx.now = bj(2026, 9, 30, 9);
  auto explained = explain_deadlines(fx.ctx, filed.ref);
  REQUIRE(explained.size() == 2);
  CHECK(explained[0].clock.name == "ack");
  CHECK(explained[0].steps.empty());                  // calendar time
  CHECK(explained[0].used_seconds == 23 * 3600);      // so far, calendar time
  CHECK_FALSE(explained[0].met);
  CHECK(explained[1].clock.name == "resolve");
  CHECK_FALSE(explained[1].steps.empty());
  CHECK(explained[1].used_seconds == 7 * 3600);       // so far, working time
  CHECK_THROWS_AS(explain_deadlines(fx.ctx, "EXT-2026-09999"), NotFoundError);
}

// ---------------------------------------------------------------------------------------

STORE_TEST_CASE("the party registry") {
  Fixture fx(S{});
  fx.ctx.now = bj(2026, 9, 29, 11);
  fx.ctx.actor = "dave";
  Party p;
  p.id = "byd";
  p.name = "比亚迪";
  p.type = "customer";
  p.phone = "0755-1";
  add_party(fx.ctx, p);
  Party stored = get_party(*fx.store, "byd");
  CHECK(stored.name == "比亚迪");
  CHECK(stored.phone == "0755-1");
  CHECK(stored.created_at == bj(2026, 9, 29, 11));
  CHECK(fx.store->last_event_id() == 3);

  auto duplicate = thrown_by<StateError>([&] { add_party(fx.ctx, p); });
  CHECK(duplicate.thrown);
  CHECK(contains(duplicate.hint, "party edit byd"));
  Party bad = p;
  bad.id = "b y d";
  CHECK_THROWS_AS(add_party(fx.ctx, bad), DataError);
  bad.id = "";
  CHECK_THROWS_AS(add_party(fx.ctx, bad), DataError);
  bad = p;
  bad.id = "byd2";
  bad.name = " ";
  CHECK_THROWS_AS(add_party(fx.ctx, bad), DataError);
  bad.name = "x";
  bad.type = "custmer";
  auto t = thrown_by<DataError>([&] { add_party(fx.ctx, bad); });
  REQUIRE(t.thrown);
  CHECK(contains(t.hint, "did you mean \"customer\""));
  CHECK(fx.store->last_event_id() == 3);

  PartyEdit edit;
  edit.phone = "0755-2";
  edit.contact = "王经理";
  Party edited = edit_party(fx.ctx, "byd", edit);
  CHECK(edited.phone == "0755-2");
  CHECK(edited.contact == "王经理");
  CHECK(edited.name == "比亚迪");
  CHECK(get_party(*fx.store, "byd").phone == "0755-2");
  CHECK(fx.store->last_event_id() == 4);

  CHECK_THROWS_AS(edit_party(fx.ctx, "byd", PartyEdit{}), UsageError);
  CHECK_THROWS_AS(edit_party(fx.ctx, "byd", edit), UsageError);  // the same values again
  PartyEdit bad_type;
  bad_type.type = "custmer";
  CHECK_THROWS_AS(edit_party(fx.ctx, "byd", bad_type), DataError);
  PartyEdit empty_name;
  empty_name.name = "";
  CHECK_THROWS_AS(edit_party(fx.ctx, "byd", empty_name), DataError);
  CHECK_THROWS_AS(edit_party(fx.ctx, "nobody", edit), NotFoundError);
  CHECK_THROWS_AS(get_party(*fx.store, "nobody"), NotFoundError);
  CHECK(fx.store->last_event_id() == 4);

  auto check = verify_chain(*fx.store);
  CHECK(check.ok);
  CHECK(check.events == 4);
}

TEST_CASE("party events carry the actor, now and what changed") {
  // Party events belong to no record, so events_for cannot show them: read them raw.
  test::TempDir dir;
  const std::string db = dir.file("records.db");
  test::StoreFixture fx(kConfig, bj(2026, 9, 29, 11), "dave", db);
  add_party(fx.ctx, test::make_party("svw", "上汽大众", "customer"));
  fx.ctx.actor = "wei";
  fx.ctx.now = bj(2026, 9, 29, 12);
  PartyEdit edit;
  edit.name = "上汽大众汽车有限公司";
  edit.phone = "021-1";
  edit_party(fx.ctx, "svw", edit);

  SQLite::Database raw(db, SQLite::OPEN_READONLY);
  SQLite::Statement q(raw, "SELECT id, record_id IS NULL, type, actor, at, data FROM events ORDER BY id");
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getInt64() == 1);
  CHECK(q.getColumn(1).getInt() == 1);
  CHECK(q.getColumn(2).getString() == "party-added");
  CHECK(q.getColumn(3).getString() == "dave");
  CHECK(q.getColumn(4).getInt64() == bj(2026, 9, 29, 11).time_since_epoch().count());
  json added = json::parse(q.getColumn(5).getString());
  CHECK(added["id"] == "svw");
  CHECK(added["name"] == "上汽大众");
  CHECK(added["type"] == "customer");
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getInt64() == 2);
  CHECK(q.getColumn(1).getInt() == 1);
  CHECK(q.getColumn(2).getString() == "party-edited");
  CHECK(q.getColumn(3).getString() == "wei");
  CHECK(q.getColumn(4).getInt64() == bj(2026, 9, 29, 12).time_since_epoch().count());
  json edited = json::parse(q.getColumn(5).getString());
  CHECK(edited["id"] == "svw");
  CHECK(edited["changes"] == json{{"name", {{"from", "上汽大众"}, {"to", "上汽大众汽车有限公司"}}},
                                  {"phone", {{"from", ""}, {"to", "021-1"}}}});
  CHECK_FALSE(q.executeStep());
  CHECK(verify_chain(*fx.store).ok);
}

STORE_TEST_CASE("party events read back through the store belong to no record") {
  Fixture fx(S{});  // adds svw and acme as "li"
  fx.ctx.actor = "wei";
  PartyEdit edit;
  edit.phone = "021-1";
  edit_party(fx.ctx, "svw", edit);
  std::vector<std::string> seen;
  EventFilter filter;
  filter.types = {"party-added", "party-edited"};
  fx.store->audit_events(filter, [&](const Event& e, const std::string& level) {
    seen.push_back(fmt::format("{} {} {} {} [{}] [{}]", e.id, e.type, e.actor, e.record_id, e.ref, level));
  });
  CHECK(seen == std::vector<std::string>{"1 party-added li 0 [] []", "2 party-added li 0 [] []",
                                         "3 party-edited wei 0 [] []"});
  CHECK(fx.store->events_for(0).empty());
  CHECK(verify_chain(*fx.store).events == 3);
}

// ---------------------------------------------------------------------------------------

TEST_CASE("format_reference and sequence_name") {
  CHECK(format_reference("EXT-{year}-{seq:05}", 2026, 42) == "EXT-2026-00042");
  CHECK(sequence_name("EXT-{year}-{seq:05}", 2026) == "EXT-2026-");
  CHECK(format_reference("INT-{year}-{seq:05}", 2025, 1) == "INT-2025-00001");
  CHECK(format_reference("EXT-{year}-{seq:05}", 2026, 123456) == "EXT-2026-123456");  // width is a minimum
  CHECK(format_reference("{seq}", 2026, 7) == "7");
  CHECK(format_reference("Q/{year}/{seq:03}/X", 2026, 5) == "Q/2026/005/X");
  CHECK(sequence_name("Q/{year}/{seq:03}/X", 2026) == "Q/2026//X");
  CHECK(sequence_name("{seq:04}", 2026) == "");
  // Different years number in different sequences.
  CHECK(sequence_name("EXT-{year}-{seq:05}", 2025) != sequence_name("EXT-{year}-{seq:05}", 2026));
}

}  // namespace
}  // namespace liaison
