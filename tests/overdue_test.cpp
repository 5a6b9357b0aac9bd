// Tests of lib/services/overdue.cpp and the store's overdue query (lib/store/sqlite/store_sqlite_overdue.cpp):
// which obligations are listed, in which order, how late, with which filters — on SQLite
// `:memory:` and on MemoryStore (STORE_TEST_CASE), records filed back-dated through the
// services, on the official 2026 National Day calendar (rest Thu 10-01 … Wed 10-07, makeup
// Sun 09-20 and Sat 10-10; hours 08:30-12:00, 13:00-17:30, Asia/Shanghai). Deadlines are worked out by hand below.
#include "overdue.h"

#include <chrono>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "fixture.h"
#include "services.h"

namespace liaison {
namespace {

using std::chrono::seconds;
using test::bj;

const std::string kConfig = test::config_text(R"toml(
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

[[kind]]
id = "emergency"
notify = [{ to = "safety-bureau", within = "30m" }]

[[kind]]
id = "notice"
receipt = "1wd"

[[kind]]
id = "meeting"
action = "1wd"

[[kind]]
id = "publication"
approval = ["head", "top"]
approval_within = "1wd"

[[rule]]
when = { direction = "internal" }
owner = "quality"

[[rule]]
when = { direction = "external" }
owner = "sales"
)toml");

/// The records of the tests, filed at "now" = Tue 2026-09-29 10:00:
///   complaint_open   internal complaint received Mon 09-21 09:00, not acknowledged:
///                    ack 24h → Tue 09-22 09:00; resolve 3wd → Thu 09-24 17:30
///   complaint_acked  the same, acknowledged: only its resolution is owed
///   complaint_wait   the same, acknowledged, then waiting: its resolve clock is paused
///   inquiry_closed   internal inquiry received Mon 09-21 09:00, closed
///   customer         external inquiry from party svw received Mon 09-21 09:00, owner sales:
///                    ack 8wh → Tue 09-22 09:00 (7.5h on Mon); resolve 2wd → Wed 09-23 17:30
///   fresh            internal inquiry received now, assignee li:
///                    ack 8wh → Wed 09-30 10:00; resolve 2wd → Wed 09-30 = 1, 10-01…07 rest,
///                    Thu 10-08 = 2 → 10-08 17:30
struct Fixture : test::StoreFixture {
  std::string complaint_open, complaint_acked, complaint_wait, inquiry_closed, customer, fresh;

  template <typename OnStore>
  explicit Fixture(OnStore on) : StoreFixture(kConfig, bj(2026, 9, 29, 10), "li", on) {
    add_party(ctx, test::make_party("svw", "上汽大众", "customer"));
    auto file = [&](const std::string& kind, std::optional<TimePoint> received, const std::string& party = {},
                    const std::string& assignee = {}) {
      FileRequest req;
      req.kind = kind;
      req.subject = kind + " subject";
      req.party = party;
      req.assignee = assignee;
      req.received_at = received;
      return file_record(ctx, req).record.ref;
    };
    const TimePoint monday = bj(2026, 9, 21, 9);
    complaint_open = file("complaint", monday);
    complaint_acked = file("complaint", monday);
    acknowledge_record(ctx, complaint_acked, "");
    complaint_wait = file("complaint", monday);
    acknowledge_record(ctx, complaint_wait, "");
    wait_record(ctx, complaint_wait, "waiting on the supplier's 8D");
    inquiry_closed = file("inquiry", monday);
    CloseRequest close;
    close.ref = inquiry_closed;
    close.resolution = "answered";
    close_record(ctx, close);
    customer = file("inquiry", monday, "svw");
    fresh = file("inquiry", std::nullopt, "", "li");
  }

  std::vector<OverdueEntry> find(TimePoint now, std::optional<Duration> within = std::nullopt) {
    OverdueRequest req;
    req.now = now;
    req.within = within;
    return find_overdue(calendar, *store, req);
  }

  /// The obligations of `ref` overdue at `now`, in the query's order.
  std::vector<std::string> owed(const std::string& ref, TimePoint now) {
    std::vector<std::string> out;
    for (const auto& e : find(now))
      if (e.ref == ref) out.push_back(e.obligation);
    return out;
  }
};

/// "REF obligation" of each entry, in order.
std::vector<std::string> listed(const std::vector<OverdueEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.ref + " " + e.obligation);
  return out;
}

}  // namespace

STORE_TEST_CASE("overdue lists unacknowledged and unresolved obligations, earliest deadline first") {
  Fixture fx(S{});
  CHECK(fx.customer == "EXT-2026-00001");
  CHECK(fx.complaint_open == "INT-2026-00001");
  CHECK(fx.complaint_acked == "INT-2026-00002");
  const auto entries = fx.find(bj(2026, 9, 29, 10));
  // Both acks fall due Tue 09-22 09:00: by reference, EXT before INT. The waiting and the
  // closed records owe nothing; the one filed now owes nothing yet.
  CHECK(listed(entries) == std::vector<std::string>{
                               "EXT-2026-00001 ack", "INT-2026-00001 ack", "EXT-2026-00001 resolve",
                               "INT-2026-00001 resolve", "INT-2026-00002 resolve"});
  REQUIRE(entries.size() == 5);
  const OverdueEntry& ack = entries[1];
  CHECK(ack.due == bj(2026, 9, 22, 9));
  CHECK(ack.overdue);
  CHECK(ack.kind == "complaint");
  CHECK(ack.direction == Direction::internal);
  CHECK(ack.owner == "quality");
  CHECK(ack.subject == "complaint subject");
  CHECK(ack.status == Status::open);
  CHECK_FALSE(ack.major);
  CHECK(ack.record_id > 0);
  // Working days begun after Tue 09-22: 23, 24, 25, 28, 29.
  CHECK(ack.late_working_days == 5);
  // Tue 09:00-12:00 3h + 13:00-17:30 4.5h, Wed-Fri 3 × 8h, Mon 8h, Tue 08:30-10:00 1.5h.
  CHECK(ack.late_working_seconds == (3 * 3600 + 4 * 3600 + 1800) + 4 * 8 * 3600 + 5400);

  const OverdueEntry& resolve = entries[3];
  CHECK(resolve.due == bj(2026, 9, 24, 17, 30));
  CHECK(resolve.late_working_days == 3);                      // Fri 25, Mon 28, Tue 29
  CHECK(resolve.late_working_seconds == 2 * 8 * 3600 + 5400);  // Fri, Mon, Tue 08:30-10:00
  CHECK(entries[4].status == Status::acknowledged);
  CHECK(entries[0].owner == "sales");
  CHECK(entries[0].direction == Direction::external);
  CHECK(entries[2].due == bj(2026, 9, 23, 17, 30));
}

STORE_TEST_CASE("nothing is overdue before the first deadline, and a deadline is not overdue at its own second") {
  Fixture fx(S{});
  CHECK(fx.find(bj(2026, 9, 21, 10)).empty());
  CHECK(fx.find(bj(2026, 9, 22, 9)).empty());  // due < now, not <=
  CHECK(listed(fx.find(bj(2026, 9, 22, 9) + seconds{1})) ==
        std::vector<std::string>{"EXT-2026-00001 ack", "INT-2026-00001 ack"});
  const auto just_late = fx.find(bj(2026, 9, 22, 9) + seconds{1});
  CHECK(just_late[0].late_working_days == 0);
  CHECK(just_late[0].late_working_seconds == 1);
}

STORE_TEST_CASE("--within adds what falls due soon, after what is overdue, inclusive of its end") {
  Fixture fx(S{});
  const TimePoint now = bj(2026, 9, 29, 10);
  // 1wd from Tue 10:00 ends Wed 09-30 17:30: the fresh inquiry's ack (Wed 10:00) falls in.
  auto soon = fx.find(now, Duration{1, DurationUnit::working_days});
  REQUIRE(soon.size() == 6);
  CHECK(soon[5].ref == fx.fresh);
  CHECK(soon[5].obligation == "ack");
  CHECK_FALSE(soon[5].overdue);
  CHECK(soon[5].late_working_days == 0);
  CHECK(soon[5].late_working_seconds == 0);
  CHECK(soon[5].assignee == "li");
  for (std::size_t i = 0; i < 5; ++i) CHECK(soon[i].overdue);
  // 2wd ends Thu 10-08 17:30 (the holiday week does not count), exactly its resolve deadline.
  auto two = fx.find(now, Duration{2, DurationUnit::working_days});
  REQUIRE(two.size() == 7);
  CHECK(two[6].ref + " " + two[6].obligation == fx.fresh + " resolve");
  CHECK(two[6].due == bj(2026, 10, 8, 17, 30));
  // Calendar time: 30 hours reach Wed 16:00, past the ack at 10:00 but not the resolve.
  CHECK(fx.find(now, Duration{30, DurationUnit::hours}).size() == 6);
}

STORE_TEST_CASE("lateness counts working days across the National Day holiday") {
  Fixture fx(S{});
  // Fri 10-09 10:00: after Thu 09-24 the working days are 25, 28, 29, 30, (10-01…07 rest), 08, 09.
  const auto entries = fx.find(bj(2026, 10, 9, 10));
  const OverdueEntry* resolve = nullptr;
  for (const auto& e : entries)
    if (e.ref == fx.complaint_open && e.obligation == "resolve") resolve = &e;
  REQUIRE(resolve != nullptr);
  CHECK(resolve->late_working_days == 6);
  CHECK(resolve->late_working_seconds == 5 * 8 * 3600 + 5400);
  // The fresh inquiry's resolve (Thu 10-08 17:30) is one working day late on Fri 10-09.
  CHECK(listed(entries).back() == fx.fresh + " resolve");
  CHECK(entries.back().late_working_days == 1);
  // Sat 10-10 is a makeup working day: one more.
  CHECK(fx.find(bj(2026, 10, 10, 9)).back().late_working_days == 2);
}

STORE_TEST_CASE("late working seconds agree with WorkCalendar::working_seconds for deadlines far and near") {
  Fixture fx(S{});
  const TimePoint now = bj(2026, 10, 12, 11, 15);
  fx.ctx.now = now;
  // Internal complaints owe an acknowledgement 24 calendar hours after receipt, so their
  // ack deadlines land anywhere: in another year, on holidays, before and after hours.
  for (TimePoint received : {bj(2025, 12, 30, 23), bj(2026, 9, 19, 12, 30), bj(2026, 9, 29, 17, 30),
                             bj(2026, 10, 3, 9), bj(2026, 10, 9, 8), bj(2026, 10, 11, 8, 31),
                             bj(2026, 10, 11, 11, 14)}) {
    FileRequest req;
    req.kind = "complaint";
    req.subject = "s";
    req.received_at = received;
    file_record(fx.ctx, req);
  }
  const auto entries = fx.find(now);
  CHECK(entries.size() > 10);
  for (const auto& e : entries) {
    CAPTURE(fx.calendar.format_iso(e.due));
    CHECK(e.late_working_seconds == fx.calendar.working_seconds(e.due, now));
    CHECK(e.late_working_days == fx.calendar.working_days_between(e.due, now));
  }
}

STORE_TEST_CASE("filters: owner department, assignee, kind") {
  Fixture fx(S{});
  const TimePoint now = bj(2026, 9, 29, 10);
  OverdueRequest req;
  req.now = now;
  req.departments = {"sales"};
  CHECK(listed(find_overdue(fx.calendar, *fx.store, req)) ==
        std::vector<std::string>{"EXT-2026-00001 ack", "EXT-2026-00001 resolve"});
  req.departments = {"sales", "quality"};
  CHECK(find_overdue(fx.calendar, *fx.store, req).size() == 5);
  req.departments = {"gm"};
  CHECK(find_overdue(fx.calendar, *fx.store, req).empty());
  req.departments.clear();
  req.kinds = {"inquiry"};
  CHECK(listed(find_overdue(fx.calendar, *fx.store, req)) ==
        std::vector<std::string>{"EXT-2026-00001 ack", "EXT-2026-00001 resolve"});
  req.kinds.clear();
  req.assignees = {"li"};
  CHECK(find_overdue(fx.calendar, *fx.store, req).empty());
  req.within = Duration{1, DurationUnit::working_days};
  CHECK(listed(find_overdue(fx.calendar, *fx.store, req)) == std::vector<std::string>{fx.fresh + " ack"});
  // A filter value with SQL in it is a value, nothing more.
  req.assignees = {"li') OR 1=1 --"};
  CHECK(find_overdue(fx.calendar, *fx.store, req).empty());
}

STORE_TEST_CASE("for_each_overdue streams the same entries, and the query can be run again") {
  Fixture fx(S{});
  OverdueRequest req;
  req.now = bj(2026, 10, 9, 10);
  const auto listed_once = find_overdue(fx.calendar, *fx.store, req);
  std::vector<std::string> streamed;
  for_each_overdue(fx.calendar, *fx.store, req,
                   [&](const OverdueEntry& e) { streamed.push_back(e.ref + " " + e.obligation); });
  CHECK(streamed == listed(listed_once));
  // A callback that throws leaves the prepared statement usable.
  CHECK_THROWS_AS(for_each_overdue(fx.calendar, *fx.store, req, [](const OverdueEntry&) { throw DataError(msg<Msg::nothing_do>()); }),
                  DataError);
  CHECK(listed(find_overdue(fx.calendar, *fx.store, req)) == listed(listed_once));
}

STORE_TEST_CASE("resuming a waiting record makes its resolve deadline count again; closing ends both") {
  Fixture fx(S{});
  fx.ctx.now = bj(2026, 9, 29, 11);
  resume_record(fx.ctx, fx.complaint_wait, "");
  auto entries = fx.find(bj(2026, 10, 12, 9));
  bool found = false;
  for (const auto& e : entries) found = found || (e.ref == fx.complaint_wait && e.obligation == "resolve");
  CHECK(found);
  CloseRequest close;
  close.ref = fx.complaint_open;
  close.resolution = "done";
  close_record(fx.ctx, close);
  for (const auto& e : fx.find(bj(2026, 10, 12, 9))) CHECK(e.ref != fx.complaint_open);
}

STORE_TEST_CASE("a notification its kind owes is overdue until it is recorded") {
  Fixture fx(S{});
  FileRequest req;
  req.kind = "emergency";
  req.subject = "accident";
  req.received_at = bj(2026, 9, 29, 9);
  const std::string ref = file_record(fx.ctx, req).record.ref;  // due 09:30
  auto owed = [&](TimePoint now) {
    for (const auto& e : fx.find(now))
      if (e.ref == ref && e.obligation == "notify:safety-bureau") return true;
    return false;
  };
  CHECK_FALSE(owed(bj(2026, 9, 29, 9, 30)));  // not at its own second
  CHECK(owed(bj(2026, 9, 29, 10)));
  notify_party(fx.ctx, {ref, "safety-bureau", "phone", "reported by phone"});
  CHECK_FALSE(owed(bj(2026, 9, 29, 11)));
}

STORE_TEST_CASE("a receipt not signed is overdue, also once the notice is closed") {
  Fixture fx(S{});
  FileRequest req;
  req.kind = "notice";
  req.subject = "holiday";
  req.recipients = {"quality", "dave"};  // wei and li, and dave
  const std::string ref = file_record(fx.ctx, req).record.ref;  // Tue 09-29 10:00: due Wed 09-30 17:30
  auto owed = [&](TimePoint now) { return fx.owed(ref, now); };
  CHECK(owed(bj(2026, 9, 30, 17)).empty());
  CHECK(owed(bj(2026, 9, 30, 18)) == std::vector<std::string>{"receipt:dave", "receipt:li", "receipt:wei"});
  REQUIRE(sign_receipt(fx.ctx, ref, "read"));  // the actor, li
  CHECK_FALSE(sign_receipt(fx.ctx, fx.fresh, ""));  // li holds no receipt of that one
  CloseRequest close;
  close.ref = ref;
  close.resolution = "posted";
  close_record(fx.ctx, close);
  CHECK(owed(bj(2026, 10, 8, 9)) == std::vector<std::string>{"receipt:dave", "receipt:wei"});
}

STORE_TEST_CASE("an action item is overdue until done, also once its minutes are closed; the filter finds it") {
  Fixture fx(S{});
  FileRequest req;
  req.kind = "meeting";
  req.subject = "monthly meeting";
  req.attendees = {"li", "wei"};
  const std::string ref = file_record(fx.ctx, req).record.ref;
  // Tue 09-29 10:00 + 1wd: Wed 09-30 17:30; the second, given: Thu 10-08 17:30.
  const ActionItem a1 = add_action(fx.ctx, {ref, "wei", "revise the inspection plan", {}, {}});
  const ActionItem a2 = add_action(fx.ctx, {ref, "li", "train the night shift", bj(2026, 10, 8, 17, 30), {}});
  CHECK(a1.id == ref + "/A1");
  CHECK(a2.id == ref + "/A2");
  CHECK(a1.clock.name == "action:1:wei");
  CHECK(action_owner(a1.clock.name) == "wei");
  CHECK(action_number(a2.clock.name) == 2);
  CHECK(action_number("approval:1:wei") == 0);
  CHECK(action_owner("action:x:wei").empty());
  auto owed = [&](TimePoint now) { return fx.owed(ref, now); };
  CHECK(owed(bj(2026, 9, 30, 17)).empty());
  CHECK(owed(bj(2026, 9, 30, 18)) == std::vector<std::string>{"action:1:wei"});
  CloseRequest close;
  close.ref = ref;
  close.resolution = "minutes issued";
  close_record(fx.ctx, close);
  CHECK(owed(bj(2026, 10, 9, 9)) == std::vector<std::string>{"action:1:wei", "action:2:li"});
  fx.ctx.now = bj(2026, 10, 9, 10);
  const ActionItem done = complete_action(fx.ctx, a2.id, "trained 12 people");
  CHECK(done.done_by == "li");
  CHECK(done.evidence == "trained 12 people");
  CHECK_THROWS_AS(complete_action(fx.ctx, a2.id, "again"), StateError);
  CHECK_THROWS_AS(complete_action(fx.ctx, ref + "/A3", "x"), NotFoundError);
  CHECK_THROWS_AS(complete_action(fx.ctx, ref + "/B1", "x"), UsageError);
  CHECK(owed(bj(2026, 10, 9, 11)) == std::vector<std::string>{"action:1:wei"});
  RecordFilter open;
  open.actions_of = "wei";
  open.open_actions = true;
  CHECK(fx.store->list_records(open).size() == 1);
  open.actions_of = "li";
  CHECK(fx.store->list_records(open).empty());
  open.open_actions = false;
  CHECK(fx.store->list_records(open).size() == 1);
  open.actions_of = "";
  CHECK(fx.store->list_records(open).size() == 1);
}

STORE_TEST_CASE("a record's clocks come ack, resolve, then by type and number: action 2 before 10") {
  Fixture fx(S{});
  FileRequest req;
  req.kind = "meeting";
  req.subject = "quarterly review";
  const std::string ref = file_record(fx.ctx, req).record.ref;
  for (int i = 1; i <= 11; ++i) add_action(fx.ctx, {ref, i % 2 ? "wei" : "li", "item " + std::to_string(i), {}, {}});
  std::vector<std::string> names;
  const std::optional<Record> stored = fx.store->find_record(ref);
  REQUIRE(stored);
  for (const Clock& c : stored->clocks) names.push_back(c.name);
  REQUIRE(names.size() == 11);  // the kind sets no ack or resolve deadline
  CHECK(names[0] == "action:1:wei");
  CHECK(names[1] == "action:2:li");
  CHECK(names[8] == "action:9:wei");
  CHECK(names[9] == "action:10:li");
  CHECK(names[10] == "action:11:wei");
}

STORE_TEST_CASE("an approval is overdue once its turn has come and its time is up") {
  Fixture fx(S{});
  FileRequest req;
  req.kind = "publication";
  req.subject = "press release";
  const std::string ref = file_record(fx.ctx, req).record.ref;  // Tue 09-29 10:00: wei by Wed 09-30 17:30
  auto owed = [&](TimePoint now) { return fx.owed(ref, now); };
  CHECK(owed(bj(2026, 9, 30, 17)).empty());
  CHECK(owed(bj(2026, 9, 30, 18)) == std::vector<std::string>{"approval:1:wei"});  // boss waits his turn
  fx.ctx.actor = "boss";
  CHECK_THROWS_AS(decide_approval(fx.ctx, ref, true, ""), StateError);  // not his turn
  fx.ctx.actor = "wei";
  fx.ctx.now = bj(2026, 10, 8, 9);
  decide_approval(fx.ctx, ref, true, "ok");
  CHECK(owed(bj(2026, 10, 8, 18)).empty());  // boss: a working day from 10-08 09:00
  CHECK(owed(bj(2026, 10, 9, 18)) == std::vector<std::string>{"approval:2:boss"});
}

}  // namespace liaison
