// Tests of lib/services/audit.cpp (replaying a record's history to its state), the audit
// queries of the SQLite store (record_histories, each_chain_event, audit_events) and
// lib/services/backup.cpp, on records made by the real lifecycle operations.
#include "audit.h"

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "backup.h"
#include "chain.h"
#include "errors.h"
#include "exchange.h"
#include "fixture.h"

namespace liaison {
namespace {

using test::bj;

const std::string kConfig = test::config_text(R"toml(
[[channel]]
id = "email"

[[topic]]
id = "quality"

[[topic]]
id = "safety"

[[party_type]]
id = "customer"

[[kind]]
id = "complaint"
ack = { internal = "24h", external = "48h" }
resolve = { internal = "3wd", external = "5wd" }

[[kind]]
id = "inquiry"
ack = "8wh"
resolve = "2wd"

[[rule]]
name = "customer complaints go to quality"
when = { direction = "external", party_type = "customer", kind = "complaint" }
owner = "quality"

[[rule]]
name = "major matters reach the general manager"
when = { major = true }
escalate = "gm"

[[rule]]
name = "internal matters go to quality"
when = { direction = "internal" }
owner = "quality"
)toml");

/// Every record of the store with its history, as audit verify reads them.
std::vector<RecordHistory> histories(Store& store) {
  std::vector<RecordHistory> out;
  store.record_histories([&](const RecordHistory& h) { out.push_back(h); });
  return out;
}

/// A store with three records that went through every lifecycle operation:
///   EXT-…-00001 filed, logged, acked, waiting, resumed, closed, reopened, routed;
///   INT-…-00001 filed (major: escalated on filing), escalated, closed while waiting;
///   INT-…-00002 filed and nothing else.
struct Fixture : test::StoreFixture {
  Fixture() : StoreFixture(kConfig, bj(2026, 9, 21, 9)) {
    add_party(ctx, test::make_party("svw", "上汽大众", "customer"));
    FileRequest ext;
    ext.kind = "complaint";
    ext.party = "svw";
    ext.subject = "焊点开裂";
    ext.channel = "email";
    file_record(ctx, ext);
    FileRequest major;
    major.kind = "inquiry";
    major.subject = "停线";
    major.from_dept = "sales";
    major.major = true;
    file_record(ctx, major);
    FileRequest plain;
    plain.kind = "inquiry";
    plain.subject = "图纸版本";
    plain.from_dept = "sales";
    file_record(ctx, plain);

    at(bj(2026, 9, 21, 10));
    log_record(ctx, {"EXT-2026-00001", "note", "已电话联系", "", {}, "", ""});
    acknowledge_record(ctx, "EXT-2026-00001", "收到");
    at(bj(2026, 9, 22, 9));
    wait_record(ctx, "EXT-2026-00001", "等客户寄样");
    wait_record(ctx, "INT-2026-00001", "等供应商");
    at(bj(2026, 9, 24, 9));
    resume_record(ctx, "EXT-2026-00001", "样件已到");
    escalate_record(ctx, {"INT-2026-00001", "quality", "需要品质部参与", std::nullopt});
    at(bj(2026, 9, 25, 16));
    CloseRequest close;
    close.ref = "EXT-2026-00001";
    close.resolution = "更换模具";
    close.reply_via = "email";
    close.capa = "CAPA-7";
    close_record(ctx, close);
    close.ref = "INT-2026-00001";
    close.capa.clear();
    close_record(ctx, close);
    at(bj(2026, 9, 28, 9));
    reopen_record(ctx, "EXT-2026-00001", "客户再次投诉");
    route_record(ctx, {"EXT-2026-00001", "sales", "", "转销售跟进", false});
  }
  void at(TimePoint t) { ctx.now = t; }
  RecordHistory history_of(const std::string& ref) {
    for (auto& h : histories(*store))
      if (h.record && h.record->ref == ref) return h;
    FAIL("no history for " << ref);
    return {};
  }
  /// The id of the newest event of `type` in the history.
  static std::int64_t last_of(const RecordHistory& h, const std::string& type) {
    std::int64_t id = 0;
    for (const auto& e : h.events)
      if (e.type == type) id = e.id;
    return id;
  }
};

TEST_CASE("parse_iso_time reads the times liaison writes into event data") {
  CHECK(parse_iso_time("2026-09-30T17:30:00+08:00") == bj(2026, 9, 30, 17, 30));
  CHECK(parse_iso_time("2026-09-30T09:30:00Z") == bj(2026, 9, 30, 17, 30));
  CHECK(parse_iso_time("2026-09-30T04:00:00-05:30") == bj(2026, 9, 30, 17, 30));
  CHECK_FALSE(parse_iso_time("2026-09-30 17:30"));
  CHECK_FALSE(parse_iso_time("2026-02-30T10:00:00+08:00"));
  CHECK_FALSE(parse_iso_time("2026-09-30T25:00:00+08:00"));
  CHECK_FALSE(parse_iso_time("2026-09-30T10:00:00+0800"));
  CHECK_FALSE(parse_iso_time(""));
}

TEST_CASE("record_histories gives every record with its clocks and events, in id order") {
  Fixture f;
  auto all = histories(*f.store);
  REQUIRE(all.size() == 3);
  CHECK(all[0].record->ref == "EXT-2026-00001");
  CHECK(all[1].record->ref == "INT-2026-00001");
  CHECK(all[2].record->ref == "INT-2026-00002");
  std::vector<std::string> types;
  for (const auto& e : all[0].events) types.push_back(e.type);
  CHECK(types == std::vector<std::string>{"filed", "logged", "acknowledged", "waiting", "resumed", "closed",
                                          "reopened", "routed"});
  for (const auto& e : all[0].events) CHECK(e.ref == "EXT-2026-00001");
  CHECK(all[0].record->clocks.size() == 2);
  CHECK(all[2].events.size() == 1);
  // The same clocks as find_record reads.
  auto found = f.store->find_record("INT-2026-00001");
  REQUIRE(found);
  REQUIRE(found->clocks.size() == all[1].record->clocks.size());
  for (std::size_t i = 0; i < found->clocks.size(); ++i) {
    CHECK(found->clocks[i].name == all[1].record->clocks[i].name);
    CHECK(found->clocks[i].due == all[1].record->clocks[i].due);
    CHECK(found->clocks[i].stopped_at == all[1].record->clocks[i].stopped_at);
  }
}

TEST_CASE("record_histories gives the events of a deleted record as a history without a record") {
  test::TempDir dir;
  {
    test::StoreFixture f(kConfig, bj(2026, 9, 21, 9), "li", dir.file("records.db"));
    FileRequest req;
    req.kind = "inquiry";
    req.subject = "图纸版本";
    req.from_dept = "sales";
    for (int i = 0; i < 3; ++i) file_record(f.ctx, req);
    log_record(f.ctx, {"INT-2026-00002", "note", "已回复", "", {}, "", ""});
  }
  {
    // Behind the tool's back: record 2 and its clocks deleted, its events left.
    SQLite::Database db(dir.file("records.db"), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA foreign_keys = OFF; DELETE FROM clocks WHERE record_id = 2; DELETE FROM records WHERE id = 2");
  }
  auto store = open_store(dir.file("records.db"), OpenMode::read_only);
  auto all = histories(*store);
  REQUIRE(all.size() == 3);
  CHECK(all[0].record_id == 1);
  CHECK(all[0].record->ref == "INT-2026-00001");
  CHECK(all[1].record_id == 2);
  CHECK_FALSE(all[1].record);
  REQUIRE(all[1].events.size() == 2);
  CHECK(all[1].events[0].type == "filed");
  CHECK(all[1].events[1].type == "logged");
  CHECK(all[2].record->ref == "INT-2026-00003");
  CHECK(all[2].events.size() == 1);
  CHECK(all[2].record->clocks.size() == 2);
}

TEST_CASE("each_chain_event gives every event as each_event does, without the ref") {
  Fixture f;
  std::vector<Event> all, chain;
  f.store->each_event([&](const Event& e) { all.push_back(e); });
  f.store->each_chain_event([&](const Event& e) { chain.push_back(e); });
  REQUIRE(all.size() == chain.size());
  REQUIRE(all.size() > 10);
  bool some_ref = false;
  for (std::size_t i = 0; i < all.size(); ++i) {
    CAPTURE(i);
    some_ref = some_ref || !all[i].ref.empty();
    CHECK(chain[i].ref.empty());
    CHECK(chain[i].id == all[i].id);
    CHECK(chain[i].record_id == all[i].record_id);
    CHECK(chain[i].type == all[i].type);
    CHECK(chain[i].actor == all[i].actor);
    CHECK(chain[i].at == all[i].at);
    CHECK(chain[i].data == all[i].data);
    CHECK(chain[i].prev_hash == all[i].prev_hash);
    CHECK(chain[i].hash == all[i].hash);
    CHECK(chain[i].salt == all[i].salt);
    CHECK(chain[i].recorded_at == all[i].recorded_at);
  }
  CHECK(some_ref);
  CHECK(verify_chain(*f.store).events == static_cast<std::int64_t>(all.size()));
}

TEST_CASE("every record the lifecycle operations wrote agrees with its history") {
  Fixture f;
  for (const auto& h : histories(*f.store)) {
    auto m = check_record_state(*h.record, h.events);
    CHECK_MESSAGE(!m, h.record->ref << ": " << (m ? m->field + " " + m->problem.english() : ""));
  }
}

TEST_CASE("topic, customer_ref and eight_d follow filing, edits and closing; reopening keeps the 8D number") {
  Fixture f;
  FileRequest req;
  req.kind = "complaint";
  req.party = "svw";
  req.subject = "外壳划伤";
  req.topic = "quality";
  req.customer_ref = "SVW-QC-0311";
  const std::string ref = file_record(f.ctx, req).record.ref;
  f.at(bj(2026, 9, 29, 9));
  RecordEdit edit;
  edit.topic = "safety";
  edit.subject = "外壳划伤（批次 2609）";
  edit.customer_ref = "";
  edit_record(f.ctx, ref, edit);
  CloseRequest close;
  close.ref = ref;
  close.resolution = "已返工";
  close.eight_d = "8D-7";
  close_record(f.ctx, close);
  reopen_record(f.ctx, ref, "客户再次反馈");

  RecordHistory h = f.history_of(ref);
  CHECK(h.record->topic == "safety");
  CHECK(h.record->customer_ref.empty());
  CHECK(h.record->eight_d == "8D-7");
  CHECK_FALSE(check_record_state(*h.record, h.events));
  const std::int64_t edited = Fixture::last_of(h, "edited");
  const std::int64_t closed = Fixture::last_of(h, "closed");

  SUBCASE("topic, set by the edit") {
    h.record->topic = "quality";
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "topic");
    CHECK(m->expected.text == "safety");
    CHECK(m->event_id == edited);
  }
  SUBCASE("the customer's number, cleared by the edit") {
    h.record->customer_ref = "SVW-QC-0311";
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "customer_ref");
    CHECK(m->expected.text.empty());
    CHECK(m->event_id == edited);
  }
  SUBCASE("the subject, set by the edit") {
    h.record->subject = "外壳划伤";
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "subject");
    CHECK(m->event_id == edited);
  }
  SUBCASE("the 8D number, set by closing and kept by reopening") {
    h.record->eight_d.clear();
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "eight_d");
    CHECK(m->expected.text == "8D-7");
    CHECK(m->event_id == closed);
  }
  SUBCASE("a record filed without them: empty, as its filing says by leaving them out") {
    RecordHistory plain = f.history_of("INT-2026-00002");
    plain.record->topic = "quality";
    auto m = check_record_state(*plain.record, plain.events);
    REQUIRE(m);
    CHECK(m->field == "topic");
    CHECK(m->expected.text.empty());
    CHECK(m->event_id == Fixture::last_of(plain, "filed"));
  }
}

TEST_CASE("a deadline the sender gave (file --due) is replayed as given, with their reference") {
  Fixture f;
  FileRequest req;
  req.kind = "complaint";
  req.party = "svw";
  req.subject = "来函：限期整改";
  req.their_ref = "苏环函〔2026〕118号";
  req.compliance_obligation = "排污许可证";
  SUBCASE("as a duration on the working calendar") {
    req.due_within = Duration::parse("10wd");
  }
  SUBCASE("as a moment") {
    req.due_at = bj(2026, 10, 20, 17);
  }
  const Record filed = file_record(f.ctx, req).record;
  const Clock& resolve = filed.clocks.back();
  REQUIRE(resolve.name == "resolve");
  CHECK(resolve.given);
  CHECK(filed.due == resolve.due);
  if (req.due_at) CHECK(*resolve.due == bj(2026, 10, 20, 17));
  else CHECK(*resolve.due == f.ctx.calendar.add(filed.received_at, *Duration::parse("10wd")));  // not the kind's 5wd
  RecordHistory h = f.history_of(filed.ref);
  CHECK(h.record->their_ref == "苏环函〔2026〕118号");
  CHECK_FALSE(check_record_state(*h.record, h.events));
  h.record->clocks.back().given = false;
  auto m = check_record_state(*h.record, h.events);
  REQUIRE(m);
  CHECK(m->field == "clock resolve given");
  CHECK(m->event_id == Fixture::last_of(h, "filed"));
  h.record->clocks.back().given = true;
  h.record->their_ref = "苏环函〔2026〕119号";
  m = check_record_state(*h.record, h.events);
  REQUIRE(m);
  CHECK(m->field == "their_ref");
}

TEST_CASE("a deadline given before the receipt is refused") {
  Fixture f;
  FileRequest req;
  req.kind = "complaint";
  req.party = "svw";
  req.subject = "来函";
  req.due_at = bj(2026, 9, 1, 9);
  CHECK_THROWS_AS(file_record(f.ctx, req), DataError);
}

TEST_CASE("edit_record refuses what it must, and writes nothing then") {
  Fixture f;
  const auto count = [&] { return histories(*f.store).size() + f.store->events_for(3).size(); };
  const auto before = count();
  RecordEdit nothing;
  CHECK_THROWS_AS(edit_record(f.ctx, "INT-2026-00002", nothing), UsageError);
  RecordEdit same;
  same.subject = "图纸版本";
  CHECK_THROWS_AS(edit_record(f.ctx, "INT-2026-00002", same), UsageError);
  RecordEdit unknown;
  unknown.topic = "saftey";
  CHECK_THROWS_AS(edit_record(f.ctx, "INT-2026-00002", unknown), DataError);
  RecordEdit empty_subject;
  empty_subject.subject = "";
  CHECK_THROWS_AS(edit_record(f.ctx, "INT-2026-00002", empty_subject), DataError);
  RecordEdit fine;
  fine.topic = "quality";
  CHECK_THROWS_AS(edit_record(f.ctx, "INT-2026-00099", fine), NotFoundError);
  CHECK(count() == before);
  edit_record(f.ctx, "INT-2026-00002", fine);
  CHECK(count() == before + 1);
  const Event last = f.store->events_for(3).back();
  CHECK(last.type == "edited");
  CHECK(last.data == R"({"from":{"topic":""},"to":{"topic":"quality"}})");
}

TEST_CASE("a changed field is named with the stored value, the history's and the event that set it") {
  Fixture f;
  RecordHistory h = f.history_of("EXT-2026-00001");
  const std::int64_t reopened = Fixture::last_of(h, "reopened");
  const std::int64_t routed = Fixture::last_of(h, "routed");
  const std::int64_t filed = Fixture::last_of(h, "filed");
  const std::int64_t closed = Fixture::last_of(h, "closed");
  const std::int64_t acked = Fixture::last_of(h, "acknowledged");

  SUBCASE("status") {
    h.record->status = Status::closed;
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->ref == "EXT-2026-00001");
    CHECK(m->field == "status");
    CHECK(m->stored.text == "closed");
    CHECK(m->expected.text == "acknowledged");
    CHECK(m->event_id == reopened);
  }
  SUBCASE("owner") {
    h.record->owner = "gm";
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "owner");
    CHECK(m->stored.text == "gm");
    CHECK(m->expected.text == "sales");
    CHECK(m->event_id == routed);
  }
  SUBCASE("closed_at set on an open record") {
    h.record->closed_at = bj(2026, 9, 29, 9);
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "closed_at");
    CHECK(m->stored.is_time);
    CHECK(m->stored.time == bj(2026, 9, 29, 9));
    CHECK_FALSE(m->expected.time);
    CHECK(m->event_id == reopened);
  }
  SUBCASE("capa is kept by reopening") {
    CHECK(h.record->capa == "CAPA-7");
    h.record->capa.clear();
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "capa");
    CHECK(m->expected.text == "CAPA-7");
    CHECK(m->event_id == closed);
  }
  SUBCASE("acked_at") {
    h.record->acked_at = bj(2026, 9, 21, 11);
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "acked_at");
    CHECK(m->expected.time == bj(2026, 9, 21, 10));
    CHECK(m->event_id == acked);
  }
  SUBCASE("level and major, from filing") {
    h.record->level = "no-such-level";
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "level");
    CHECK(m->event_id == filed);
  }
  SUBCASE("the resolve clock's due, and the record's copy of it") {
    auto& resolve = h.record->clocks[1];
    REQUIRE(resolve.name == "resolve");
    resolve.due = *resolve.due + std::chrono::hours{24};
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "clock resolve due");
    CHECK(m->event_id == reopened);
    h.record->due = resolve.due;
    m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "due");
    CHECK(m->event_id == reopened);
  }
  SUBCASE("the ack clock's stop") {
    auto& ack = h.record->clocks[0];
    REQUIRE(ack.name == "ack");
    ack.stopped_at.reset();
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "clock ack stopped_at");
    CHECK(m->expected.time == bj(2026, 9, 21, 10));
    CHECK(m->event_id == acked);
  }
  SUBCASE("a clock the history does not give") {
    Clock extra = h.record->clocks[0];
    extra.name = "reply";
    h.record->clocks.push_back(extra);
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "clock reply");
    CHECK(m->stored.text == "present");
  }
  SUBCASE("a missing clock") {
    h.record->clocks.pop_back();
    auto m = check_record_state(*h.record, h.events);
    REQUIRE(m);
    CHECK(m->field == "clock resolve");
    CHECK(m->expected.text == "present");
    CHECK(m->event_id == reopened);
  }
}

TEST_CASE("escalation on filing, a later escalation and closing while waiting replay to the stored state") {
  Fixture f;
  RecordHistory h = f.history_of("INT-2026-00001");
  CHECK(h.record->major);
  CHECK(h.record->escalated_to == "quality");
  h.record->escalated_to = "gm";
  auto m = check_record_state(*h.record, h.events);
  REQUIRE(m);
  CHECK(m->field == "escalated_to");
  CHECK(m->expected.text == "quality");
  CHECK(m->event_id == Fixture::last_of(h, "escalated"));
  h.record->escalated_to = "quality";
  h.record->major = false;
  m = check_record_state(*h.record, h.events);
  REQUIRE(m);
  CHECK(m->field == "major");
  CHECK(m->expected.text == "true");
  // Closed while waiting: the pause ends with the close.
  h.record->major = true;
  h.record->clocks[1].paused_since = bj(2026, 9, 22, 9);
  m = check_record_state(*h.record, h.events);
  REQUIRE(m);
  CHECK(m->field == "clock resolve paused_since");
  CHECK(m->event_id == Fixture::last_of(h, "closed"));
}

TEST_CASE("a history that does not start with filed, or is empty, is itself the problem") {
  Fixture f;
  RecordHistory h = f.history_of("EXT-2026-00001");
  auto events = h.events;
  events.erase(events.begin());
  auto m = check_record_state(*h.record, events);
  REQUIRE(m);
  CHECK(m->field == "history");
  CHECK(m->event_id == events.front().id);
  CHECK(m->problem.english().find("not with filed or imported") != std::string::npos);
  m = check_record_state(*h.record, {});
  REQUIRE(m);
  CHECK(m->field == "history");
  CHECK(m->problem.english().find("no history") != std::string::npos);
  events = h.events;
  events[2].data = "not json";
  m = check_record_state(*h.record, events);
  REQUIRE(m);
  CHECK(m->event_id == events[2].id);
}

TEST_CASE("event data is read exactly as json::parse reads it, whatever its spelling") {
  Fixture f;
  RecordHistory h = f.history_of("EXT-2026-00001");
  REQUIRE_FALSE(check_record_state(*h.record, h.events));
  const std::string canonical = h.events[0].data;
  // The filed event's data respelled: the result must be what json::parse makes of it —
  // unreadable (not a JSON object) is a problem with the history, readable with the same
  // values agrees, readable with another subject names the subject.
  auto check = [&](const std::string& data) {
    auto events = h.events;
    events[0].data = data;
    return check_record_state(*h.record, events);
  };
  auto oracle = [&](const std::string& data) -> std::string {
    auto j = nlohmann::json::parse(data, nullptr, false);
    if (!j.is_object()) return "history";
    return j.contains("subject") && j["subject"] == h.record->subject ? "" : "subject";
  };
  const auto parsed = nlohmann::json::parse(canonical);
  const auto at = canonical.find("\"subject\":\"") + 11;
  auto subject_with = [&](const std::string& bytes) {
    return canonical.substr(0, at) + bytes + canonical.substr(at);
  };
  const std::vector<std::string> spellings = {
      parsed.dump(-1, ' ', true),          // \u escapes for every non-ASCII character
      parsed.dump(2),                      // indented
      "\xEF\xBB\xBF" + canonical,          // a byte-order mark, which json::parse skips
      " \n\t\r" + canonical + " \n",
      canonical.substr(0, canonical.size() - 1) + ",\"subject\":\"forged\"}",  // repeated: the last counts
      "{\"subject\":\"forged\"," + canonical.substr(1),                        // repeated: the first is lost
      subject_with("\\u4e2d"),             // an escape: another subject
      subject_with("\\/\\b\\f\\n\\r\\t\\\"\\\\"),
      subject_with("\x7f"),                // DEL needs no escape
      subject_with("\\ud83d\\ude00"),      // a surrogate pair
      subject_with("\xF0\x9F\x98\x80"),    // the same character as UTF-8
      "[" + canonical + "]",               // JSON, but not an object
      canonical + "x",                     // trailing text
      canonical.substr(0, canonical.size() - 1),
      "",
      "\xEF\xBB" + canonical,              // half a byte-order mark
      subject_with("\xC0\xAF"),            // an overlong encoding
      subject_with("\xED\xA0\x80"),        // a UTF-16 surrogate in UTF-8
      subject_with("\xF4\x90\x80\x80"),    // beyond U+10FFFF
      subject_with("\xE4\xB8"),            // a truncated sequence
      subject_with("\\ud800"),             // a lone surrogate escape
      subject_with("\\x41"),               // not an escape
      subject_with("\x01"),                // a control character
      "{\"major\":01}",                    // a leading zero
      "{\"major\":-}",
      "{\"major\":1.5e3,\"n\":[1,-0,12345678901234567890123,1E-2,true,false,null,{},[]]}",
      "{\"a\":{\"b\":[[[[{}]]]]}}",
      "{\"a\" : 1 , \"b\" :[ ] }",
      "{\"a\":1,}",                        // a trailing comma
      "{\"a\"1}",
      "{'a':1}",
      "{\"a\":tru}",
      "{\"a\":nul}",
      std::string("{\"a\":\"b\0c\"}", 11),  // a NUL inside a string
  };
  for (const auto& data : spellings) {
    CAPTURE(data);
    auto m = check(data);
    const std::string want = oracle(data);
    if (want.empty()) {
      CHECK_FALSE(m);
    } else {
      REQUIRE(m);
      // Data that is readable but not a full filing may differ in a field before subject.
      if (want == "history") CHECK(m->field == "history");
      else CHECK(m->field != "history");
    }
  }
  // The oracle is not trivially satisfied: some spellings read, some do not.
  CHECK(oracle(spellings[0]).empty());
  CHECK(oracle(spellings[4]) == "subject");
  CHECK(oracle(spellings[5]).empty());
  CHECK(oracle(spellings[12]) == "history");
  CHECK(check(spellings[4])->expected.text == "forged");
  CHECK(check(subject_with("\\u4e2d"))->expected.text == "中" + h.record->subject);
  CHECK(check(subject_with("\\ud83d\\ude00"))->expected.text == "\xF0\x9F\x98\x80" + h.record->subject);
  CHECK(check(subject_with("\\/\\b\\f\\n\\r\\t\\\"\\\\"))->expected.text == "/\b\f\n\r\t\"\\" + h.record->subject);
}

TEST_CASE("a history that starts with imported replays from the state it holds, then the later events") {
  test::StoreFixture f(kConfig, bj(2026, 9, 21, 9));
  // Two records of a spreadsheet, without history: one open, one closed.
  std::istringstream in(
      R"({"type":"record","ref":"Q-001","kind":"complaint","subject":"噪音超标","from_dept":"sales","owner":"quality","received_at":"2026-09-18T10:00:00+08:00"})"
      "\n"
      R"({"type":"record","ref":"Q-002","kind":"complaint","subject":"漏油","from_dept":"sales","owner":"quality","assignee":"wei","received_at":"2026-09-14T10:00:00+08:00","acked_at":"2026-09-14T15:00:00+08:00","status":"closed","outcome":"resolved","resolution":"更换密封圈","capa":"CAPA-9","closed_at":"2026-09-16T11:00:00+08:00","escalated_to":"gm"})"
      "\n");
  ImportRequest req;
  req.source = "sheet.jsonl";
  ImportResult result = import_records(f.ctx, in, req);
  REQUIRE(result.problems.empty());
  REQUIRE(result.committed);

  auto history_of = [&](const std::string& ref) {
    for (auto& h : histories(*f.store))
      if (h.record && h.record->ref == ref) return h;
    FAIL("no history for " << ref);
    return RecordHistory{};
  };
  RecordHistory open = history_of("Q-001");
  REQUIRE(open.events.size() == 1);
  CHECK(open.events[0].type == "imported");
  CHECK_FALSE(check_record_state(*open.record, open.events));
  RecordHistory closed = history_of("Q-002");
  REQUIRE(closed.events.size() == 1);
  CHECK_FALSE(check_record_state(*closed.record, closed.events));

  SUBCASE("later events replay on top of the imported state") {
    f.ctx.now = bj(2026, 9, 21, 10);
    acknowledge_record(f.ctx, "Q-001", "收到");
    f.ctx.now = bj(2026, 9, 22, 9);
    wait_record(f.ctx, "Q-001", "等样件");
    f.ctx.now = bj(2026, 9, 23, 9);
    resume_record(f.ctx, "Q-001", "样件已到");
    CloseRequest close;
    close.ref = "Q-001";
    close.resolution = "调整风扇";
    close_record(f.ctx, close);
    reopen_record(f.ctx, "Q-002", "再次漏油");
    open = history_of("Q-001");
    CHECK(open.events.size() == 5);
    CHECK(open.record->status == Status::closed);
    CHECK_FALSE(check_record_state(*open.record, open.events));
    closed = history_of("Q-002");
    CHECK(closed.record->status == Status::acknowledged);
    CHECK_FALSE(check_record_state(*closed.record, closed.events));
  }
  SUBCASE("a stored field that differs from the import is named, with the imported event") {
    closed.record->status = Status::open;
    auto m = check_record_state(*closed.record, closed.events);
    REQUIRE(m);
    CHECK(m->field == "status");
    CHECK(m->expected.text == "closed");
    CHECK(m->stored.text == "open");
    CHECK(m->event_id == closed.events[0].id);
    closed.record->status = Status::closed;
    closed.record->resolution = "换了";
    m = check_record_state(*closed.record, closed.events);
    REQUIRE(m);
    CHECK(m->field == "resolution");
    CHECK(m->expected.text == "更换密封圈");
    closed.record->resolution = "更换密封圈";
    closed.record->created_by = "boss";
    m = check_record_state(*closed.record, closed.events);
    REQUIRE(m);
    CHECK(m->field == "created_by");
    closed.record->created_by = "li";
    closed.record->closed_at.reset();
    m = check_record_state(*closed.record, closed.events);
    REQUIRE(m);
    CHECK(m->field == "closed_at");
  }
  SUBCASE("so are the clocks: stop, time used, pause") {
    REQUIRE(closed.record->clocks.size() == 2);
    REQUIRE(closed.record->clocks[0].stopped_at);
    closed.record->clocks[0].stopped_at = bj(2026, 9, 15, 9);
    auto m = check_record_state(*closed.record, closed.events);
    REQUIRE(m);
    CHECK(m->field == "clock ack stopped_at");
    CHECK(m->event_id == closed.events[0].id);
    closed = history_of("Q-002");
    auto used = closed.record->clocks[1].used_seconds;
    closed.record->clocks[1].used_seconds = used ? std::nullopt : std::optional<std::int64_t>(60);
    m = check_record_state(*closed.record, closed.events);
    REQUIRE(m);
    CHECK(m->field == "clock resolve used_seconds");
    open.record->clocks[1].paused_since = bj(2026, 9, 20, 9);
    m = check_record_state(*open.record, open.events);
    REQUIRE(m);
    CHECK(m->field == "clock resolve paused_since");
  }
  SUBCASE("an imported event without the state, or a second one, is a problem of the history") {
    auto events = open.events;
    events[0].data = R"({"line":1,"source":"sheet.jsonl"})";
    auto m = check_record_state(*open.record, events);
    REQUIRE(m);
    CHECK(m->field == "history");
    CHECK(m->problem.english().find("does not say the record's state") != std::string::npos);
    events = open.events;
    events.push_back(open.events[0]);
    events.back().id = 99;
    m = check_record_state(*open.record, events);
    REQUIRE(m);
    CHECK(m->event_id == 99);
    CHECK(m->problem.english().find("imports the record a second time") != std::string::npos);
  }
}

TEST_CASE("audit_events filters by actor, type, reference and time, oldest or newest first") {
  Fixture f;
  auto ids = [&](const EventFilter& filter) {
    std::vector<std::int64_t> out;
    f.store->audit_events(filter, [&](const Event& e, const std::string&) { out.push_back(e.id); });
    return out;
  };
  const std::int64_t total = f.store->last_event_id();
  EventFilter all;
  auto every = ids(all);
  REQUIRE(static_cast<std::int64_t>(every.size()) == total);
  CHECK(every.front() == 1);
  all.newest_first = true;
  all.limit = 2;
  CHECK(ids(all) == std::vector<std::int64_t>{total, total - 1});

  EventFilter closed;
  closed.types = {"closed", "reopened"};
  CHECK(ids(closed).size() == 3);
  EventFilter one;
  one.refs = {"INT-2026-00002"};
  auto plain = ids(one);
  REQUIRE(plain.size() == 1);
  std::string level;
  std::string ref;
  f.store->audit_events(one, [&](const Event& e, const std::string& l) {
    level = l;
    ref = e.ref;
  });
  CHECK(ref == "INT-2026-00002");
  CHECK_FALSE(level.empty());
  EventFilter window;
  window.since = bj(2026, 9, 22, 9);
  window.until = bj(2026, 9, 24, 9);  // exclusive
  CHECK(ids(window).size() == 2);     // the two waits
  EventFilter nobody;
  nobody.actors = {"nobody"};
  CHECK(ids(nobody).empty());
  EventFilter registry;
  registry.types = {"party-added"};
  std::string registry_ref = "unset", registry_level = "unset";
  f.store->audit_events(registry, [&](const Event& e, const std::string& l) {
    registry_ref = e.ref;
    registry_level = l;
  });
  CHECK(registry_ref.empty());
  CHECK(registry_level.empty());
}

TEST_CASE("backup_store copies a file store, checks the copy and refuses to overwrite") {
  test::TempDir dir;
  test::StoreFixture f(kConfig, bj(2026, 9, 21, 9), "li", dir.file("records.db"));
  FileRequest req;
  req.kind = "inquiry";
  req.subject = "图纸版本";
  req.from_dept = "sales";
  file_record(f.ctx, req);
  file_record(f.ctx, req);

  BackupResult r = backup_store(*f.store, dir.file("copy.db"), false);
  CHECK(r.records == 2);
  CHECK(r.events == 2);
  CHECK(r.last_event_id == 2);
  CHECK(r.bytes == static_cast<std::int64_t>(std::filesystem::file_size(dir.file("copy.db"))));
  auto copy = open_store(dir.file("copy.db"), OpenMode::read_only);
  CHECK(copy->count_records() == 2);
  CHECK(verify_chain(*copy).ok);
  CHECK(copy->maintenance()->integrity_check() == "ok");

  CHECK_THROWS_AS(backup_store(*f.store, dir.file("copy.db"), false), StateError);
  file_record(f.ctx, req);
  CHECK(backup_store(*f.store, dir.file("copy.db"), true).records == 3);
  // Nothing but the two databases (and the source's WAL files) is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    CHECK_MESSAGE(entry.path().filename().string().find(".tmp-") == std::string::npos, entry.path());
  CHECK_THROWS_AS(backup_store(*f.store, dir.file("no-such-dir/copy.db"), false), Error);
}

}  // namespace
}  // namespace liaison
