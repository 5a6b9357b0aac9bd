// Tests of lib/report/report.cpp (periods), lib/store/sqlite/store_sqlite_report.cpp (the report's SQL, on an
// in-memory store filled through the services), lib/report/report_render_*.cpp and
// lib/report/report_labels.cpp. Calendar: Mon–Fri 08:30–12:00, 13:00–17:30, Asia/Shanghai, 2026
// National Day rest Thu 10-01 … Wed 10-07 with makeup Sun 09-20 and Sat 10-10. Every
// expected figure is worked out by hand in the comments.
#include "report.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "fixture.h"
#include "render.h"
#include "report_labels.h"
#include "report_render.h"
#include "services.h"
#include "store_sqlite_report.h"

namespace liaison {
namespace {

using test::bj;

const std::string kConfig = test::config_text(R"toml(
[[channel]]
id = "email"
name = "电子邮件"

[[party_type]]
id = "customer"
name = "顾客"

[[kind]]
id = "complaint"
name = "投诉"
name_en = "Complaint"
ack = { internal = "24h", external = "48h" }
resolve = { internal = "3wd", external = "5wd" }

[[kind]]
id = "inquiry"
name = "咨询"
ack = "8wh"
resolve = "2wd"

[[kind]]
id = "suggestion"
name = "合理化建议"
resolve = { internal = "10wd" }

[[rule]]
when = { major = true }
escalate = "gm"

[[rule]]
when = { direction = "external", party_type = "customer" }
owner = "quality"

[[rule]]
when = { direction = "internal" }
owner = "quality"
)toml");

struct Fixture : test::StoreFixture {
  explicit Fixture(const std::string& db_path = ":memory:") : StoreFixture(kConfig, bj(2026, 9, 1, 9), "li", db_path) {
    add_party(ctx, test::make_party("svw", "上汽大众", "customer"));
  }

  std::string file(TimePoint at, const std::string& kind, bool external, bool major = false) {
    ctx.now = at;
    FileRequest req;
    req.kind = kind;
    req.subject = kind + " subject";
    if (external) {
      req.party = "svw";
      req.channel = "email";
    }
    req.major = major;
    return file_record(ctx, req).record.ref;
  }
  void ack(TimePoint at, const std::string& ref) {
    ctx.now = at;
    acknowledge_record(ctx, ref, "");
  }
  void close(TimePoint at, const std::string& ref, Outcome outcome = Outcome::resolved) {
    ctx.now = at;
    CloseRequest req;
    req.ref = ref;
    req.resolution = "done";
    req.outcome = outcome;
    close_record(ctx, req);
  }

  /// The story (times +08:00):
  ///   A EXT-1  09-29 10:00 external complaint from svw (ack 48h → 10-01 10:00; resolve 5wd:
  ///            09-30, 10-08, 10-09, Sat 10-10 (makeup), Mon 10-12 → 10-12 17:30);
  ///            acked 09-30 09:00, closed 10-09 10:00, reopened 10-20 09:00 (new resolve
  ///            clock 5wd: 10-21 … 10-27 → 10-27 17:30).
  ///   B INT-1  10-08 09:00 internal inquiry (ack 8wh: 7.5 h on 10-08 + 0.5 h → 10-09 09:00;
  ///            resolve 2wd: 10-09, 10-10 → 10-10 17:30); nothing more.
  ///   C INT-2  10-12 09:00 internal suggestion (resolve 10wd); closed adopted 10-13 10:00
  ///            after 3 + 4.5 + 1.5 = 9 working hours.
  ///   D EXT-2  10-14 10:00 major external complaint (ack → 10-16 10:00; resolve 5wd:
  ///            15, 16, 19, 20, 21 → 10-21 17:30); waiting from 10-30 09:00.
  ///   E INT-3  10-19 09:00 internal complaint (ack 24h → 10-20 09:00; resolve 3wd → 10-22
  ///            17:30); acked 10:00 (1 h, counted in calendar time).
  ///   F INT-4  10-19 09:00 internal complaint; acked 13:30 (4.5 h); routed to sales 14:00.
  void story() {
    a = file(bj(2026, 9, 29, 10), "complaint", true);
    ack(bj(2026, 9, 30, 9), a);
    b = file(bj(2026, 10, 8, 9), "inquiry", false);
    close(bj(2026, 10, 9, 10), a);
    c = file(bj(2026, 10, 12, 9), "suggestion", false);
    close(bj(2026, 10, 13, 10), c, Outcome::adopted);
    d = file(bj(2026, 10, 14, 10), "complaint", true, true);
    e = file(bj(2026, 10, 19, 9), "complaint", false);
    f = file(bj(2026, 10, 19, 9), "complaint", false);
    ack(bj(2026, 10, 19, 10), e);
    ack(bj(2026, 10, 19, 13, 30), f);
    ctx.now = bj(2026, 10, 19, 14);
    route_record(ctx, RouteRequest{f, "sales", "", "sales handles it", false});
    ctx.now = bj(2026, 10, 20, 9);
    reopen_record(ctx, a, "customer says it is back");
    ctx.now = bj(2026, 10, 30, 9);
    wait_record(ctx, d, "waiting for the customer's samples");
  }
  std::string a, b, c, d, e, f;
};

}  // namespace

TEST_CASE("report: parse_period reads months, quarters, years and last-month") {
  Config config = parse_config(kConfig, "test.toml");
  WorkCalendar cal(config.calendar);
  auto m = parse_period("2026-10", cal);
  REQUIRE(m);
  CHECK(m->label == "2026-10");
  CHECK(m->from == bj(2026, 10, 1, 0));
  CHECK(m->to == bj(2026, 11, 1, 0));
  CHECK(m->previous_from == bj(2026, 9, 1, 0));
  CHECK(m->previous_to == bj(2026, 10, 1, 0));
  auto jan = parse_period("2026-01", cal);
  REQUIRE(jan);
  CHECK(jan->previous_from == bj(2025, 12, 1, 0));
  auto q = parse_period("2026-q3", cal);
  REQUIRE(q);
  CHECK(q->label == "2026-Q3");
  CHECK(q->from == bj(2026, 7, 1, 0));
  CHECK(q->to == bj(2026, 10, 1, 0));
  CHECK(q->previous_from == bj(2026, 4, 1, 0));
  auto q1 = parse_period("2026-Q1", cal);
  REQUIRE(q1);
  CHECK(q1->previous_from == bj(2025, 10, 1, 0));
  auto y = parse_period("2026", cal);
  REQUIRE(y);
  CHECK(y->from == bj(2026, 1, 1, 0));
  CHECK(y->to == bj(2027, 1, 1, 0));
  CHECK(y->previous_from == bj(2025, 1, 1, 0));
  for (const char* bad : {"", "26", "2026-13", "2026-00", "2026-Q0", "2026-Q5", "2026-1", "2026-10x", "2026/10",
                          "last-month", "20261", "2026-Q"})
    CHECK_MESSAGE(!parse_period(bad, cal), bad);
  auto last = parse_period("last-month", cal, bj(2026, 1, 1, 0, 30));
  REQUIRE(last);
  CHECK(last->label == "2025-12");  // 00:30 on Jan 1st in Shanghai is still Dec 31st in UTC
  CHECK(parse_period("last-month", cal, bj(2026, 11, 2, 9))->label == "2026-10");
}

TEST_CASE("report: periods named from now (this-/last- month, quarter, year)") {
  Config config = parse_config(kConfig, "test.toml");
  WorkCalendar cal(config.calendar);
  const TimePoint now = bj(2026, 11, 2, 9);
  auto label = [&](std::string_view text, TimePoint at) {
    auto p = parse_period(text, cal, at);
    return p ? p->label : std::string("(none)");
  };
  CHECK(label("this-month", now) == "2026-11");
  CHECK(label("this-quarter", now) == "2026-Q4");
  CHECK(label("last-quarter", now) == "2026-Q3");
  CHECK(label("this-year", now) == "2026");
  CHECK(label("last-year", now) == "2025");
  // The first quarter's previous one is the last of the year before; the zone decides
  // the date: 00:30 on Jan 1st in Shanghai is in the new year.
  CHECK(label("last-quarter", bj(2026, 2, 10, 9)) == "2025-Q4");
  CHECK(label("this-quarter", bj(2026, 3, 31, 23, 59)) == "2026-Q1");
  CHECK(label("this-quarter", bj(2026, 4, 1, 0, 0)) == "2026-Q2");
  CHECK(label("last-year", bj(2026, 1, 1, 0, 30)) == "2025");
  CHECK(label("this-year", bj(2026, 1, 1, 0, 30)) == "2026");
  auto q = parse_period("last-quarter", cal, now);
  REQUIRE(q);
  CHECK(q->from == bj(2026, 7, 1, 0));
  CHECK(q->to == bj(2026, 10, 1, 0));
  for (const char* bad : {"this-week", "last-", "this-", "next-month", "last-months", "This-month"})
    CHECK_MESSAGE(!parse_period(bad, cal, now), bad);
}

TEST_CASE("report: period_between and the first working day of a month") {
  Config config = parse_config(kConfig, "test.toml");
  WorkCalendar cal(config.calendar);
  auto p = period_between(bj(2026, 10, 1, 0), bj(2026, 10, 16, 0), cal);
  REQUIRE(p);
  CHECK(p->label == "2026-10-01..2026-10-16");
  CHECK(p->previous_from == bj(2026, 9, 16, 0));
  CHECK(p->previous_to == bj(2026, 10, 1, 0));
  CHECK(period_between(bj(2026, 10, 1, 12), bj(2026, 10, 2, 0), cal)->label ==
        "2026-10-01T12:00:00+08:00..2026-10-02");
  CHECK(!period_between(bj(2026, 10, 2, 0), bj(2026, 10, 2, 0), cal));
  CHECK(!period_between(bj(2026, 10, 3, 0), bj(2026, 10, 2, 0), cal));
  // October 2026: the 1st to the 7th are National Day, so Thu 10-08 is the first working day.
  CHECK(!is_first_working_day_of_month(bj(2026, 10, 1, 9), cal));
  CHECK(is_first_working_day_of_month(bj(2026, 10, 8, 9), cal));
  CHECK(!is_first_working_day_of_month(bj(2026, 10, 9, 9), cal));
  // November: Sun 11-01, so Mon 11-02.
  CHECK(!is_first_working_day_of_month(bj(2026, 11, 1, 9), cal));
  CHECK(is_first_working_day_of_month(bj(2026, 11, 2, 0, 1), cal));
  CHECK(period_end(bj(2026, 10, 1, 0), bj(2026, 11, 1, 0), bj(2026, 10, 20, 0)) == bj(2026, 10, 20, 0));
  CHECK(period_end(bj(2026, 10, 1, 0), bj(2026, 11, 1, 0), bj(2026, 12, 1, 0)) == bj(2026, 11, 1, 0));
  CHECK(period_end(bj(2026, 10, 1, 0), bj(2026, 11, 1, 0), bj(2026, 9, 1, 0)) == bj(2026, 10, 1, 0));
}

TEST_CASE("report: every section of October on a small story") {
  Fixture fx;
  fx.story();
  Period october = *parse_period("2026-10", fx.calendar);
  Report r = build_report(fx.config, fx.calendar, *fx.store, october, {}, bj(2026, 11, 2, 9), "9.9.9");

  // §1: B, C, D, E, F were received in October (A in September).
  CHECK(r.volume.total == 5);
  REQUIRE(r.volume.by_direction_kind.size() == 4);
  CHECK(r.volume.by_direction_kind[0].direction == Direction::internal);
  CHECK(r.volume.by_direction_kind[0].kind == "complaint");
  CHECK(r.volume.by_direction_kind[0].count == 2);
  CHECK(r.volume.by_direction_kind[1].kind == "inquiry");
  CHECK(r.volume.by_direction_kind[2].kind == "suggestion");
  CHECK(r.volume.by_direction_kind[3].direction == Direction::external);
  CHECK(r.volume.by_direction_kind[3].count == 1);
  REQUIRE(r.volume.by_owner.size() == 2);
  CHECK(r.volume.by_owner[0].key == "quality");
  CHECK(r.volume.by_owner[0].count == 4);
  CHECK(r.volume.by_owner[1].key == "sales");
  REQUIRE(r.volume.by_channel.size() == 2);
  CHECK(r.volume.by_channel[0].key == "");
  CHECK(r.volume.by_channel[0].count == 4);
  CHECK(r.volume.by_channel[1].key == "email");
  REQUIRE(r.volume.by_party_type.size() == 2);
  CHECK(r.volume.by_party_type[1].key == "customer");
  REQUIRE(r.volume.top_parties.size() == 1);
  CHECK(r.volume.top_parties[0].id == "svw");
  CHECK(r.volume.top_parties[0].complaints == 1);  // D only: A came in September

  // §2: open at the start A; +5 received; closed A and C; reopened A: 1 + 5 - 2 + 1 = 5.
  CHECK(r.flow.open_at_start == 1);
  CHECK(r.flow.received == 5);
  CHECK(r.flow.closed == 2);
  CHECK(r.flow.reopened == 1);
  CHECK(r.flow.open_at_end == 5);

  // §3: ack obligations B, D (missed), E (1 h), F (4.5 h); A's was met in September.
  // Nearest rank over [3600, 16200]: median rank ceil(1) = 1, p90 rank ceil(1.8) = 2.
  REQUIRE(!r.timeliness.empty());
  const Timeliness& all = r.timeliness.front();
  CHECK(all.group == "all");
  CHECK(all.ack_count == 4);
  CHECK(all.ack_on_time == 2);
  CHECK(all.ack_median_seconds == 3600);
  CHECK(all.ack_p90_seconds == 16200);
  // Resolve: A's first cycle met 10-09 10:00, on time, after 6.5 + 8 + 8 + 1.5 = 24 working
  // hours; A's second (after reopening, due 10-27), B, D, E, F missed; C met in 9 working
  // hours. Nearest rank over [32400, 86400]: median rank 1, p90 rank ceil(1.8) = 2.
  CHECK(all.resolve_count == 7);
  CHECK(all.resolve_on_time == 2);
  CHECK(all.resolve_median_seconds == 32400);
  CHECK(all.resolve_p90_seconds == 86400);
  std::set<std::string> rows;
  for (const auto& t : r.timeliness) rows.insert(t.group + ":" + t.key);
  CHECK(rows == std::set<std::string>{"all:", "department:quality", "department:sales", "kind:complaint",
                                      "kind:inquiry", "kind:suggestion"});
  for (const auto& t : r.timeliness)
    if (t.group == "department" && t.key == "sales") {
      CHECK(t.ack_count == 1);  // F
      CHECK(t.ack_median_seconds == 16200);
      CHECK(t.resolve_count == 1);
      CHECK(!t.resolve_median_seconds);
    }

  // §4: at 11-01 00:00 — D waits, so not overdue; B (due 10-10: 15 working days late,
  // 10-12 … 10-30), E and F (due 10-22: 23, 26 … 30 = 6), A (due 10-27: 28, 29, 30 = 3).
  REQUIRE(r.overdue.size() == 4);
  CHECK(r.overdue[0].ref == fx.b);
  CHECK(r.overdue[0].late_working_days == 15);
  CHECK(r.overdue[0].late_working_seconds == 15 * 8 * 3600);
  CHECK(r.overdue[1].ref == fx.e);
  CHECK(r.overdue[1].late_working_days == 6);
  CHECK(r.overdue[2].ref == fx.f);
  CHECK(r.overdue[2].owner == "sales");
  CHECK(r.overdue[3].ref == fx.a);
  CHECK(r.overdue[3].late_working_days == 3);
  REQUIRE(r.overdue_by_owner.size() == 2);
  CHECK(r.overdue_by_owner[0].key == "quality");
  CHECK(r.overdue_by_owner[0].count == 3);
  CHECK(r.overdue_by_owner[1].count == 1);

  // §5
  CHECK(r.suggestions.received == 1);
  CHECK(r.suggestions.adopted == 1);
  CHECK(r.suggestions.pending == 0);
  REQUIRE(r.major.size() == 1);
  CHECK(r.major[0].ref == fx.d);
  CHECK(!r.major[0].closed_at_end);
  CHECK(r.major[0].escalated_to == "gm");

  // §6: September received A, nothing closed, A open and not yet due at its end; A's ack
  // (met 09-30 on time) is September's.
  CHECK(r.current.received == 5);
  CHECK(r.current.overdue_at_end == 4);
  CHECK(r.previous.received == 1);
  CHECK(r.previous.closed == 0);
  CHECK(r.previous.open_at_end == 1);
  CHECK(r.previous.overdue_at_end == 0);
  CHECK(r.previous.ack_count == 1);
  CHECK(r.previous.ack_on_time == 1);

  CHECK(r.provenance.version == "9.9.9");
  CHECK(r.provenance.end == bj(2026, 11, 1, 0));
  CHECK(r.provenance.last_event_id == fx.store->last_event_id());
  CHECK(r.provenance.timezone == "Asia/Shanghai");
}

TEST_CASE("report: --details lists the first N records, most late first, and keeps the counts whole") {
  Fixture fx;
  fx.story();
  const Period october = *parse_period("2026-10", fx.calendar);
  const TimePoint now = bj(2026, 11, 2, 9);
  Report all = build_report(fx.config, fx.calendar, *fx.store, october, {}, now, "x");
  REQUIRE(all.overdue.size() == 4);  // B, E, F, A (as above)
  CHECK(all.overdue_total == 4);
  CHECK(all.major_total == 1);
  CHECK_FALSE(all.details);
  // Every cap, below, at and above the list's length: the first N of the full list, the
  // same counts per owner (counted from the list or by the store), the same totals.
  for (std::int64_t n : {0, 1, 2, 3, 4, 5, 50}) {
    CAPTURE(n);
    Report r = build_report(fx.config, fx.calendar, *fx.store, october, {}, now, "x", n);
    REQUIRE(r.overdue.size() == static_cast<std::size_t>(std::min<std::int64_t>(n, 4)));
    for (std::size_t i = 0; i < r.overdue.size(); ++i) {
      CHECK(r.overdue[i].ref == all.overdue[i].ref);
      CHECK(r.overdue[i].late_working_seconds == all.overdue[i].late_working_seconds);
    }
    CHECK(r.overdue_total == 4);
    REQUIRE(r.overdue_by_owner.size() == all.overdue_by_owner.size());
    for (std::size_t i = 0; i < r.overdue_by_owner.size(); ++i) {
      CHECK(r.overdue_by_owner[i].key == all.overdue_by_owner[i].key);
      CHECK(r.overdue_by_owner[i].count == all.overdue_by_owner[i].count);
    }
    CHECK(r.current.overdue_at_end == 4);
    CHECK(r.major.size() == (n == 0 ? 0u : 1u));
    CHECK(r.major_total == 1);
    CHECK(r.details == n);
  }
  // E and F share a deadline: the reference breaks the tie, in the store and in the cut.
  Report two = build_report(fx.config, fx.calendar, *fx.store, october, {}, now, "x", 2);
  CHECK(two.overdue[0].ref == fx.b);
  CHECK(two.overdue[1].ref == fx.e);

  // Every renderer says how many of how many it lists, in the report's language.
  nlohmann::json j = report_to_json(two, fx.calendar);
  CHECK(j["overdue"]["records"].size() == 2);
  CHECK(j["overdue"]["total"] == 4);
  CHECK(j["details"] == nlohmann::json::parse(R"({"limit":2,"overdue":{"total":4,"listed":2},"major":{"total":1,"listed":1}})"));
  CHECK(report_to_json(all, fx.calendar)["details"]["limit"].is_null());
  CHECK(render_report_text(two, fx.config, fx.calendar, Lang::en).find("2 of 4 listed; --details all lists them all.") !=
        std::string::npos);
  CHECK(render_report_text(two, fx.config, fx.calendar, Lang::zh).find("共 4 条，列出 2 条") != std::string::npos);
  CHECK(render_report_md(two, fx.config, fx.calendar, Lang::en).find("2 of 4 listed;") != std::string::npos);
  std::string csv = render_report_csv(two, fx.config, fx.calendar, Lang::en);
  CHECK(csv.find("overdue,all,,,overdue,4\r\noverdue,all,,,listed,2\r\n") != std::string::npos);
  CHECK(csv.find("major,all,,,") == std::string::npos);  // the one major record is listed
  // Listing them all says nothing more.
  for (Lang lang : {Lang::en, Lang::zh})
    CHECK(render_report_text(all, fx.config, fx.calendar, lang).find("--details") == std::string::npos);
  CHECK(render_report_csv(all, fx.config, fx.calendar, Lang::en).find(",listed,") == std::string::npos);
  // --details 0: the counts and the note, no table of records.
  Report none = build_report(fx.config, fx.calendar, *fx.store, october, {}, now, "x", 0);
  std::string text = render_report_text(none, fx.config, fx.calendar, Lang::en);
  CHECK(text.find("0 of 4 listed;") != std::string::npos);
  CHECK(text.find("0 of 1 listed;") != std::string::npos);
  CHECK(text.find(fx.b) == std::string::npos);
}

TEST_CASE("report: a moment between a closing and a reopening, and filters") {
  Fixture fx;
  fx.story();
  // [10-01, 10-15): at 10-15 A is closed (closed 10-09, reopened only on 10-20) and so is
  // C; B and D are open.
  Period half = *period_between(bj(2026, 10, 1, 0), bj(2026, 10, 15, 0), fx.calendar);
  Report r = build_report(fx.config, fx.calendar, *fx.store, half, {}, bj(2026, 11, 2, 9), "x");
  CHECK(r.flow.open_at_start == 1);
  CHECK(r.flow.received == 3);
  CHECK(r.flow.closed == 2);
  CHECK(r.flow.reopened == 0);
  CHECK(r.flow.open_at_end == 2);
  // Overdue at 10-15 00:00: only B (due 10-10 17:30; 10-12, 13, 14 and 15 — the day the
  // end falls on has begun — = 4 working days, but 3 × 8 working hours).
  REQUIRE(r.overdue.size() == 1);
  CHECK(r.overdue[0].ref == fx.b);
  CHECK(r.overdue[0].late_working_days == 4);
  CHECK(r.overdue[0].late_working_seconds == 3 * 8 * 3600);

  // "now" inside the period: everything stops at now (10-12 12:00): C not yet received.
  Report early = build_report(fx.config, fx.calendar, *fx.store, *parse_period("2026-10", fx.calendar), {},
                              bj(2026, 10, 12, 12), "x");
  CHECK(early.provenance.end == bj(2026, 10, 12, 12));
  CHECK(early.flow.received == 2);  // B, C (09:00)
  CHECK(early.flow.closed == 1);    // A
  CHECK(early.flow.open_at_end == 2);

  ReportFilter sales;
  sales.departments = {"sales"};
  Report s = build_report(fx.config, fx.calendar, *fx.store, *parse_period("2026-10", fx.calendar), sales,
                          bj(2026, 11, 2, 9), "x");
  CHECK(s.volume.total == 1);
  CHECK(s.flow.open_at_start == 0);
  CHECK(s.flow.open_at_end == 1);
  CHECK(s.overdue.size() == 1);
  CHECK(s.major.empty());

  ReportFilter customers;
  customers.party_types = {"customer"};
  customers.direction = Direction::external;
  customers.kinds = {"complaint"};
  Report c = build_report(fx.config, fx.calendar, *fx.store, *parse_period("2026-10", fx.calendar), customers,
                          bj(2026, 11, 2, 9), "x");
  CHECK(c.volume.total == 1);        // D
  CHECK(c.flow.open_at_start == 1);  // A
  CHECK(c.flow.open_at_end == 2);
  CHECK(c.suggestions.received == 0);
}

TEST_CASE("report: the backlog counted from backlog_due and from its index agree at every moment") {
  // The same story on a file, with more that changes a record's state after a moment: a
  // wait and a resume, a second reopening, a move between departments, a closing while
  // waiting; then overdue-at-T counted both ways every six hours from before the first
  // filing to after the last event, without a filter and by department.
  test::TempDir dir;
  const std::string path = dir.file("records.db");
  Fixture fx(path);
  auto file = [&](TimePoint t, const std::string& kind, bool external) { return fx.file(t, kind, external); };
  auto close = [&](TimePoint t, const std::string& ref) { fx.close(t, ref); };
  auto at = [&](TimePoint t) -> Context& {
    fx.ctx.now = t;
    return fx.ctx;
  };
  std::string a = file(bj(2026, 9, 29, 10), "complaint", true);
  std::string b = file(bj(2026, 10, 8, 9), "inquiry", false);
  std::string d = file(bj(2026, 10, 14, 10), "complaint", true);
  std::string e = file(bj(2026, 10, 19, 9), "complaint", false);
  std::string g = file(bj(2026, 10, 20, 9), "inquiry", false);
  std::string h = file(bj(2026, 10, 8, 9), "inquiry", false);  // waits when already late, resumes
  std::string k = file(bj(2026, 10, 8, 9), "inquiry", false);  // the same, waits again, then closes
  wait_record(at(bj(2026, 10, 12, 9)), h, "asking");
  wait_record(at(bj(2026, 10, 12, 9)), k, "asking");
  resume_record(at(bj(2026, 10, 16, 9)), h, "answered");
  resume_record(at(bj(2026, 10, 16, 9)), k, "answered");
  wait_record(at(bj(2026, 10, 21, 9)), k, "asking again");
  close(bj(2026, 10, 9, 10), a);
  wait_record(at(bj(2026, 10, 15, 9)), d, "samples");
  close(bj(2026, 10, 27, 9), k);
  route_record(at(bj(2026, 10, 19, 14)), RouteRequest{e, "sales", "", "sales handles it", false});
  reopen_record(at(bj(2026, 10, 20, 9)), a, "back");
  resume_record(at(bj(2026, 10, 23, 9)), d, "samples came");
  wait_record(at(bj(2026, 10, 26, 9)), g, "asking");
  close(bj(2026, 10, 28, 9), g);
  close(bj(2026, 11, 2, 9), a);
  reopen_record(at(bj(2026, 11, 3, 9)), a, "back again");
  wait_record(at(bj(2026, 11, 4, 9)), b, "asking");

  SQLite::Database db(path, SQLite::OPEN_READONLY);
  // The counters are what a recount of the records gives.
  CHECK(sqlite_report::backlog_count_differences(db, 10).empty());
  // The two reopenings of `a` each kept the cycle they ended, as its history gives it.
  CHECK(sqlite_report::resolve_cycle_differences(db, 10).empty());
  {
    SQLite::Statement cycles(db, "SELECT c.cycle, c.stopped_at, c.reopened_at, c.due IS NOT NULL, c.used_seconds IS NOT NULL"
                                 " FROM resolve_cycles c JOIN records r ON r.id = c.record_id WHERE r.ref = ?1 ORDER BY c.cycle");
    cycles.bind(1, a);
    auto secs = [](TimePoint t) { return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(); };
    const std::int64_t expected[][3] = {{1, secs(bj(2026, 10, 9, 10)), secs(bj(2026, 10, 20, 9))},
                                        {2, secs(bj(2026, 11, 2, 9)), secs(bj(2026, 11, 3, 9))}};
    for (const auto& row : expected) {
      REQUIRE(cycles.executeStep());
      CHECK(cycles.getColumn(0).getInt64() == row[0]);
      CHECK(cycles.getColumn(1).getInt64() == row[1]);
      CHECK(cycles.getColumn(2).getInt64() == row[2]);
      CHECK(cycles.getColumn(3).getInt() == 1);
      CHECK(cycles.getColumn(4).getInt() == 1);
    }
    CHECK_FALSE(cycles.executeStep());
  }
  ReportFilter quality;
  quality.departments = {"quality"};
  int moments = 0, overdue_seen = 0;
  for (TimePoint t = bj(2026, 9, 28, 0); t < bj(2026, 11, 6, 0); t += std::chrono::hours(6)) {
    for (const ReportFilter& filter : {ReportFilter{}, quality}) {
      auto scanned = sqlite_report::overdue_by_owner(db, filter, t, sqlite_report::BacklogCount::scan);
      auto counted = sqlite_report::overdue_by_owner(db, filter, t, sqlite_report::BacklogCount::counters);
      CAPTURE(fx.calendar.format_iso(t));
      REQUIRE(scanned.size() == counted.size());
      for (std::size_t i = 0; i < scanned.size(); ++i) {
        CHECK(scanned[i].key == counted[i].key);
        CHECK(scanned[i].count == counted[i].count);
        overdue_seen += static_cast<int>(scanned[i].count);
      }
    }
    ++moments;
  }
  CHECK(moments == 156);
  CHECK(overdue_seen > 100);  // the moments are not all trivially empty
}

/// A store on a file, so that a connection of its own can change it behind liaison's back;
/// li acts from 2026-10-08 09:00.
struct OnFile {
  test::TempDir dir;
  std::string path = dir.file("records.db");
  test::StoreFixture fx{kConfig, bj(2026, 10, 8, 9), "li", path};

  static FileRequest inquiry() {
    FileRequest req;
    req.kind = "inquiry";
    req.subject = "inquiry subject";
    return req;
  }
  /// The same store and moment, top management acting (audit recount).
  Context as_top() { return Context{fx.config, fx.calendar, *fx.store, "boss", fx.ctx.now}; }
};

TEST_CASE("report: backlog_due changed behind liaison's back differs from the recount") {
  OnFile on_file;
  test::StoreFixture& fx = on_file.fx;
  const std::string& path = on_file.path;
  FileRequest req = OnFile::inquiry();
  file_record(fx.ctx, req);  // quality, resolve due 10-10 17:30
  req.kind = "complaint";
  const std::string waiting = file_record(fx.ctx, req).record.ref;
  wait_record(fx.ctx, waiting, "samples");
  REQUIRE(fx.store->maintenance());
  CHECK(fx.store->maintenance()->backlog_count_differences(10).empty());
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE backlog_due SET n = n + 2 WHERE waiting = 1");
    raw.exec("INSERT INTO backlog_due (owner, bucket, waiting, n) VALUES ('sales', -1, 0, 1)");
  }
  auto differences = fx.store->maintenance()->backlog_count_differences(10);
  REQUIRE(differences.size() == 2);
  CHECK(differences[0].owner == "quality");
  CHECK(differences[0].waiting);
  CHECK(differences[0].kept == 3);
  CHECK(differences[0].counted == 1);
  REQUIRE(differences[0].deadlines_from);
  CHECK(*differences[0].deadlines_to - *differences[0].deadlines_from == std::chrono::seconds{2097152});
  CHECK(differences[1].owner == "sales");
  CHECK_FALSE(differences[1].deadlines_from);
  CHECK(differences[1].kept == 1);
  CHECK(differences[1].counted == 0);
  CHECK(fx.store->maintenance()->backlog_count_differences(1).size() == 1);
  // audit recount rebuilds them from the records, and says how many differed; admins and
  // top management only.
  CHECK_THROWS_AS(recount_kept(fx.ctx), PermissionError);
  CHECK(fx.store->maintenance()->backlog_count_differences(10).size() == 2);
  Context boss = on_file.as_top();
  const KeptRecount recounted = recount_kept(boss);
  CHECK(recounted.counts == 2);
  CHECK(recounted.cycles == 0);
  CHECK(fx.store->maintenance()->backlog_count_differences(10).empty());
  CHECK(recount_kept(boss).counts == 0);
}

TEST_CASE("report: resolve_cycles changed behind liaison's back differs from the replay") {
  OnFile on_file;
  test::StoreFixture& fx = on_file.fx;
  const std::string& path = on_file.path;
  const FileRequest req = OnFile::inquiry();
  const std::string ref = file_record(fx.ctx, req).record.ref;
  const std::string other = file_record(fx.ctx, req).record.ref;
  for (const std::string& r : {ref, other}) {
    fx.ctx.now = bj(2026, 10, 9, 9);
    CloseRequest close;
    close.ref = r;
    close.resolution = "answered";
    close_record(fx.ctx, close);
    fx.ctx.now = bj(2026, 10, 12, 9);
    reopen_record(fx.ctx, r, "not answered");
  }
  REQUIRE(fx.store->maintenance());
  CHECK(fx.store->maintenance()->resolve_cycle_differences(10).empty());
  std::int64_t first = 0, second = 0;
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    SQLite::Statement ids(raw, "SELECT reopened_id FROM resolve_cycles ORDER BY reopened_id");
    REQUIRE(ids.executeStep());
    first = ids.getColumn(0).getInt64();
    REQUIRE(ids.executeStep());
    second = ids.getColumn(0).getInt64();
    CHECK_FALSE(ids.executeStep());
    raw.exec(fmt::format("UPDATE resolve_cycles SET due = due + 1 WHERE reopened_id = {}", first));
    raw.exec(fmt::format("DELETE FROM resolve_cycles WHERE reopened_id = {}", second));
    raw.exec("INSERT INTO resolve_cycles (record_id, reopened_id, cycle, reopened_at) VALUES (99, 999, 1, 0)");
  }
  auto differences = fx.store->maintenance()->resolve_cycle_differences(10);
  REQUIRE(differences.size() == 3);
  CHECK(differences[0].ref == ref);
  CHECK(differences[0].reopened_event == first);
  CHECK((differences[0].kept && differences[0].replayed));
  CHECK(differences[1].ref == other);
  CHECK(differences[1].reopened_event == second);
  CHECK((!differences[1].kept && differences[1].replayed));
  CHECK(differences[2].ref == "#99");
  CHECK((differences[2].kept && !differences[2].replayed));
  CHECK(fx.store->maintenance()->resolve_cycle_differences(1).size() == 1);
  // audit recount replays them from the history: the changed one and the missing one back
  // as they were, the invented one gone.
  Context boss = on_file.as_top();
  const KeptRecount recounted = recount_kept(boss);
  CHECK(recounted.counts == 0);
  CHECK(recounted.cycles == 3);
  CHECK(fx.store->maintenance()->resolve_cycle_differences(10).empty());
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("SELECT group_concat(reopened_id) FROM (SELECT reopened_id FROM resolve_cycles ORDER BY 1)").getString() ==
        fmt::format("{},{}", first, second));
}

TEST_CASE("report: renderers") {
  Fixture fx;
  fx.story();
  Report r = build_report(fx.config, fx.calendar, *fx.store, *parse_period("2026-10", fx.calendar), {},
                          bj(2026, 11, 2, 9), "9.9.9");
  nlohmann::json j = report_to_json(r, fx.calendar);
  CHECK(j["period"]["from"] == "2026-10-01T00:00:00+08:00");
  CHECK(j["flow"]["open_at_end"] == 5);
  CHECK(j["timeliness"][0]["ack"]["median_seconds"] == 3600);
  CHECK(j["overdue"]["total"] == 4);
  CHECK(j["overdue"]["records"][0]["late_working_days"] == 15);
  CHECK(j["major"][0]["closed_at"].is_null());
  CHECK(j["change"]["previous"]["received"] == 1);
  CHECK(j["provenance"]["version"] == "9.9.9");
  CHECK(j["provenance"]["filter"]["direction"].is_null());

  std::string zh = render_report_text(r, fx.config, fx.calendar, Lang::zh);
  CHECK(zh.find("二、流转情况") != std::string::npos);
  CHECK(zh.find("品质部") != std::string::npos);
  CHECK(zh.find("合理化建议") != std::string::npos);
  std::string en = render_report_text(r, fx.config, fx.calendar, Lang::en);
  CHECK(en.find("2. Flow") != std::string::npos);
  CHECK(en.find("Complaint") != std::string::npos);  // name_en

  std::string md = render_report_md(r, fx.config, fx.calendar, Lang::en);
  CHECK(md.find("## 2. Flow") != std::string::npos);

  std::string csv = render_report_csv(r, fx.config, fx.calendar, Lang::en);
  CHECK(csv.rfind("section,dimension,key,name,metric,value\r\n", 0) == 0);
  CHECK(csv.find("flow,all,,,open_at_end,5\r\n") != std::string::npos);
  CHECK(csv.find("timeliness,all,,,ack_median_seconds,3600\r\n") != std::string::npos);
  CHECK(csv.find("volume,owner,quality,品质部,received,4\r\n") != std::string::npos);
}

TEST_CASE("report: the text report keeps every line to 100 columns, splitting the wide tables") {
  Fixture fx;
  fx.story();
  Report r = build_report(fx.config, fx.calendar, *fx.store, *parse_period("2026-10", fx.calendar), {},
                          bj(2026, 11, 2, 9), "9.9.9");
  REQUIRE(r.overdue.size() >= 2);
  REQUIRE_FALSE(r.major.empty());
  // Subjects far wider than the page, in Chinese and in English: cut with "…".
  std::string zh_subject, en_subject;
  for (int i = 0; i < 8; ++i) zh_subject += "冲压车间夜班加班费计算有误";
  for (int i = 0; i < 6; ++i) en_subject += "The welding fixtures drift out of tolerance. ";
  r.overdue[0].subject = zh_subject;
  r.overdue[1].subject = en_subject;
  r.major[0].subject = zh_subject + en_subject;
  for (Lang lang : {Lang::zh, Lang::en}) {
    std::string text = render_report_text(r, fx.config, fx.calendar, lang);
    int widest = 0;
    for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
      widest = std::max(widest, display_width(std::string_view(text).substr(start, end - start)));
    CHECK(widest <= 100);
    CHECK(widest >= 90);  // the long subjects take what the page leaves them
    CHECK(text.find(zh_subject) == std::string::npos);
    CHECK(text.find(en_subject) == std::string::npos);
    CHECK(text.find("冲压车间夜班") != std::string::npos);
    CHECK(text.find("The welding fixtures") != std::string::npos);
    CHECK(text.find("…") != std::string::npos);
    // The timeliness table is split: its first column heads each part.
    std::string_view group = report_label("col.group", lang);
    std::size_t parts = 0;
    for (std::size_t at = text.find(std::string(group) + "  "); at != std::string::npos;
         at = text.find(std::string(group) + "  ", at + 1))
      ++parts;
    CHECK(parts >= 2);
  }
}

TEST_CASE("report: the 12-month trend counts each month as the report of that month does") {
  Fixture fx;
  fx.story();
  const TimePoint now = bj(2026, 11, 2, 9);
  Period quarter = *parse_period("2026-Q4", fx.calendar);
  std::vector<TrendMonth> trend = build_trend(fx.calendar, *fx.store, quarter, {}, now);
  REQUIRE(trend.size() == 12);
  CHECK(trend.front().label == "2026-01");
  CHECK(trend.back().label == "2026-12");  // the quarter's last month, counted up to now
  for (const TrendMonth& m : trend) {
    CAPTURE(m.label);
    Report month = build_report(fx.config, fx.calendar, *fx.store, *parse_period(m.label, fx.calendar), {}, now, "x");
    CHECK(m.totals.received == month.current.received);
    CHECK(m.totals.closed == month.current.closed);
    CHECK(m.totals.overdue_at_end == month.current.overdue_at_end);
    CHECK(m.totals.resolve_count == month.current.resolve_count);
    CHECK(m.totals.resolve_on_time == month.current.resolve_on_time);
  }
  // September: A received; October: B–F received, A and C closed (A reopened later).
  CHECK(trend[8].totals.received == 1);
  CHECK(trend[9].totals.received == 5);
  CHECK(trend[9].totals.closed == 2);
  CHECK(trend[11].totals.received == 0);
  // With a filter: the same filter as the report's.
  ReportFilter sales;
  sales.departments = {"sales"};
  std::vector<TrendMonth> only_sales =
      build_trend(fx.calendar, *fx.store, *parse_period("2026-10", fx.calendar), sales, now);
  CHECK(only_sales.back().label == "2026-10");
  CHECK(only_sales.back().totals.received ==
        build_report(fx.config, fx.calendar, *fx.store, *parse_period("2026-10", fx.calendar), sales, now, "x")
            .current.received);
}

TEST_CASE("report: on a file, two readers of one snapshot give the report and trend one reader gives") {
  // In memory there is no second reader: the sections run one after another.
  Fixture alone;
  alone.story();
  REQUIRE(report_snapshot(*alone.store, SecondReader::when_possible)->side() == nullptr);
  test::TempDir dir;
  Fixture fx(dir.file("records.db"));
  fx.story();
  // A small file: one reader unless a second is asked for.
  CHECK(report_snapshot(*fx.store)->side() == nullptr);
  auto two_readers = [&] {
    std::unique_ptr<ReportSnapshot> snapshot = report_snapshot(*fx.store, SecondReader::when_possible);
    REQUIRE(snapshot->side() != nullptr);
    return snapshot;
  };
  const TimePoint now = bj(2026, 11, 2, 9);
  for (const char* label : {"2026-10", "2026-Q4", "2026"}) {
    CAPTURE(label);
    const Period period = *parse_period(label, fx.calendar);
    for (const std::optional<std::int64_t> details : {std::optional<std::int64_t>(), std::optional<std::int64_t>(1)}) {
      Report two = build_report(fx.config, fx.calendar, *fx.store, *two_readers(), period, {}, now, "x", details);
      Report one = build_report(alone.config, alone.calendar, *alone.store, period, {}, now, "x", details);
      two.provenance = one.provenance = Provenance{};  // the stores' own ids and checkpoints
      CHECK(render_json(report_to_json(two, fx.calendar)) == render_json(report_to_json(one, alone.calendar)));
    }
    const auto totals_of = [](const std::vector<TrendMonth>& trend) {
      std::vector<std::int64_t> out;
      for (const TrendMonth& m : trend)
        out.insert(out.end(), {m.totals.received, m.totals.closed, m.totals.open_at_end, m.totals.overdue_at_end,
                               m.totals.ack_count, m.totals.ack_on_time, m.totals.resolve_count, m.totals.resolve_on_time});
      return out;
    };
    CHECK(totals_of(build_trend(fx.calendar, *two_readers(), period, {}, now)) ==
          totals_of(build_trend(alone.calendar, *alone.store, period, {}, now)));
  }
}

TEST_CASE("report: every section reads one snapshot while another connection commits") {
  test::TempDir dir;
  const std::string path = dir.file("records.db");
  Fixture fx(path);
  fx.story();
  const Period october = *parse_period("2026-10", fx.calendar);
  const TimePoint now = bj(2026, 11, 2, 9);
  const ReportFilter all;
  const std::int64_t last_event = fx.store->last_event_id();
  {
    std::unique_ptr<ReportSnapshot> snapshot = report_snapshot(*fx.store, SecondReader::when_possible);
    REQUIRE(snapshot->side() != nullptr);
    // Another process moves B's reception out of October, behind liaison's back: neither
    // reader sees it, nor the store's own reads, until the snapshot is let go.
    {
      SQLite::Database other(path, SQLite::OPEN_READWRITE);
      other.exec(fmt::format("UPDATE records SET received_at = received_at - 30 * 86400 WHERE ref = '{}'", fx.b));
    }
    CHECK(snapshot->main().report_flow(all, october.from, october.to).received == 5);
    CHECK(snapshot->side()->report_flow(all, october.from, october.to).received == 5);
    CHECK(snapshot->side()->report_volume(all, october.from, october.to, {}, 5).total == 5);
    Report r = build_report(fx.config, fx.calendar, *fx.store, *snapshot, october, all, now, "x");
    CHECK(r.volume.total == 5);
    CHECK(r.flow.received == 5);
    CHECK(r.provenance.last_event_id == last_event);
  }
  CHECK(build_report(fx.config, fx.calendar, *fx.store, october, all, now, "x").flow.received == 4);
  // Inside a write the report reads what the write sees, on the writer's connection alone.
  {
    std::unique_ptr<WriteTransaction> write = fx.store->write();
    std::unique_ptr<ReportSnapshot> inside = report_snapshot(*fx.store, SecondReader::when_possible);
    CHECK(inside->side() == nullptr);
    CHECK(inside->main().report_flow(all, october.from, october.to).received == 4);
  }
  // Each snapshot let go ends its read: a write can begin.
  CHECK_NOTHROW(fx.file(bj(2026, 11, 2, 10), "inquiry", false));
}

TEST_CASE("report: streamed JSON is byte for byte the JSON tree rendered") {
  Fixture fx;
  fx.story();
  Report r = build_report(fx.config, fx.calendar, *fx.store, *parse_period("2026-10", fx.calendar), {},
                          bj(2026, 11, 2, 9), "9.9.9");
  REQUIRE_FALSE(r.overdue.empty());
  REQUIRE_FALSE(r.major.empty());
  r.overdue[0].subject = "bad\xff \"quoted\"\n质量";  // escapes and invalid UTF-8 (replaced)
  r.major[0].closed_at = bj(2026, 10, 20, 9);
  auto streamed = [&](const Report& report) {
    std::ostringstream out;
    write_report_json(report, fx.calendar, out);
    return out.str();
  };
  CHECK(streamed(r) == render_json(report_to_json(r, fx.calendar)));
  Report empty;  // empty lists and objects: "[]" and "{}"
  CHECK(streamed(empty) == render_json(report_to_json(empty, fx.calendar)));
}

TEST_CASE("report: labels have unique keys and both languages") {
  std::set<std::string> keys;
  for (std::size_t i = 0; i < report_label_count(); ++i) {
    std::string key(report_label_key(i));
    CHECK_MESSAGE(keys.insert(key).second, key);
    CHECK(!report_label(key, Lang::zh).empty());
    CHECK(!report_label(key, Lang::en).empty());
  }
  CHECK(report_label("section.flow", Lang::zh) == "二、流转情况");
  CHECK(report_label("section.flow", Lang::en) == "2. Flow");
  CHECK(report_label("no.such.key", Lang::zh) == "no.such.key");
}

}  // namespace liaison
