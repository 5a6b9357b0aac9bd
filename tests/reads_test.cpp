// Tests of the read path's shared definitions: what "overdue" means (lib/core/model.h),
// the routing `file` and `rules explain` share (lib/services/services.h), the one event
// description (lib/services/event_text.h), the one config id check (lib/policy/ids.h) and
// reads returning what the acting user may see (lib/services/reads.h).
#include "reads.h"

#include <algorithm>
#include <string>

#include <doctest/doctest.h>

#include "errors.h"
#include "event_text.h"
#include "fixture.h"
#include "ids.h"
#include "services.h"

namespace liaison {
namespace {

using test::bj;

std::string config_text() {
  return std::string(test::kOrganization) + R"toml(
[levels]
order = ["public", "internal", "secret"]
default = "internal"

[[department]]
id = "gm"

[[department]]
id = "quality"

[[department]]
id = "hr"

[[user]]
id = "li"
department = "quality"
roles = ["staff"]
clearance = "internal"

[[user]]
id = "boss"
department = "gm"
roles = ["top"]
clearance = "secret"

[[party_type]]
id = "customer"

[[kind]]
id = "complaint"
resolve = "5wd"

[[rule]]
when = { kind = "complaint", level = "internal", direction = "internal" }
owner = "hr"

[[rule]]
when = { kind = "complaint" }
owner = "quality"
)toml";
}

TEST_CASE("overdue: not closed, not waiting, resolve deadline passed") {
  Record r;
  r.due = bj(2026, 9, 30, 17, 30);
  const TimePoint after = bj(2026, 10, 8, 9);
  r.status = Status::open;
  CHECK(is_overdue(r, after));
  CHECK_FALSE(is_overdue(r, *r.due));  // due exactly now: not yet
  r.status = Status::acknowledged;
  CHECK(is_overdue(r, after));
  r.status = Status::waiting;
  CHECK_FALSE(is_overdue(r, after));   // waiting on an outside party: its clock is paused
  r.status = Status::closed;
  CHECK_FALSE(is_overdue(r, after));
  r.status = Status::open;
  r.due.reset();
  CHECK_FALSE(is_overdue(r, after));   // a kind without a resolve deadline
}

TEST_CASE("decide_routing applies file's defaults: direction by party, level by levels.default") {
  Config config = parse_config(config_text(), "test.toml");
  FileRequest req;
  req.kind = "complaint";
  RoutingDecision d = decide_routing(config, req, "");
  CHECK(d.owner == "hr");  // the default level "internal" and direction internal match rule 1
  CHECK(routing_input(config, req, "").level == "internal");
  req.party = "svw";
  CHECK(filing_direction(req, "customer") == Direction::external);
  CHECK(decide_routing(config, req, "customer").owner == "quality");
  req.party.clear();
  CHECK(filing_direction(req, "customer") == Direction::external);  // rules explain --party-type
  req.level = "secret";
  CHECK(decide_routing(config, req, "").owner == "quality");
  req.level.clear();
  req.direction = Direction::external;
  CHECK(decide_routing(config, req, "").owner == "quality");
}

TEST_CASE("describe_event: one line per type, unknown types as their data") {
  auto said = [](std::string type, std::string data) {
    Event e;
    e.type = std::move(type);
    e.data = std::move(data);
    return describe_event(e, Lang::en);
  };
  CHECK(said("filed", R"({"subject":"孔距超差","owner":"quality","assignee":"li"})") == "孔距超差 → quality/li");
  CHECK(said("filed", R"({"subject":"s","owner":"quality","assignee":""})") == "s → quality");
  CHECK(said("logged", R"({"entry":"call","text":"回电"})") == "[call] 回电");
  CHECK(said("routed", R"({"from":"sales","to":"quality","assignee":"li","reason":"r"})") == "sales → quality/li r");
  CHECK(said("closed", R"({"outcome":"rejected","resolution":"no","explanation":"why"})") == "rejected: no (why)");
  CHECK(said("resumed", R"({"note":"back","due":"2026-10-09T17:30:00+08:00"})") == "back due 2026-10-09T17:30:00+08:00");
  CHECK(said("identity-viewed", R"({"granted_as":"head"})") == "head");
  CHECK(said("reminded", R"({"obligation":"resolve","to":"li"})") == "resolve → li");
  CHECK(said("party-edited", R"({"id":"svw","changes":{"phone":{"from":"1","to":"2"}}})") == "svw: phone 1 → 2");
  CHECK(said("newer-type", R"({"a":1})") == R"({"a":1})");
  CHECK(said("filed", "not json") == "not json");
  for (const auto& type : {"filed", "identity-viewed", "imported", "party-added"})
    CHECK(std::find(event_types().begin(), event_types().end(), type) != event_types().end());
}

TEST_CASE("describe_event in Chinese: departments and party types by name, words translated") {
  Config config = parse_config(config_text(), "test.toml");
  auto said = [&](std::string type, std::string data, const Config* names) {
    Event e;
    e.type = std::move(type);
    e.data = std::move(data);
    return describe_event(e, Lang::zh, names);
  };
  for (auto& d : config.departments)
    if (d.id == "quality") d.name = "品质部";
  CHECK(said("filed", R"({"subject":"s","owner":"quality","assignee":"li"})", &config) == "s → 品质部/li");
  CHECK(said("routed", R"({"from":"hr","to":"quality","reason":"r"})", &config) == "hr → 品质部 r");
  CHECK(said("filed", R"({"subject":"s","owner":"quality","assignee":"li"})", nullptr) == "s → quality/li");
  CHECK(said("logged", R"({"entry":"call","text":"回电"})", &config) == "[电话] 回电");
  CHECK(said("escalated", R"({"to":"nowhere","reason":"r"})", &config) == "→ nowhere：r");  // unknown: the id
  CHECK(said("closed", R"({"outcome":"rejected","resolution":"no"})", &config) == "不采纳：no");
}

TEST_CASE("event_type_name: every type this version writes has a Chinese name") {
  for (const auto& type : event_types()) {
    CHECK(event_type_name(type, Lang::en) == type);
    const std::string zh = event_type_name(type, Lang::zh);
    CHECK_MESSAGE(zh != type, type);
    CHECK(std::none_of(zh.begin(), zh.end(), [](char c) { return c >= 'a' && c <= 'z'; }));
  }
  CHECK(event_type_name("closed", Lang::zh) == "关闭");  // the event, not the status (已关闭)
  CHECK(event_type_name("newer-type", Lang::zh) == "newer-type");
}

TEST_CASE("check_id: one wording and one \"did you mean\" for every sort of id") {
  Config config = parse_config(config_text(), "test.toml");
  CHECK_NOTHROW(check_id(config, IdKind::department, "quality", "--to"));
  auto problem = id_problem(config, IdKind::department, "qualty", "--to");
  REQUIRE(problem);
  CHECK(problem->message.english() == R"(unknown department "qualty" for --to)");
  CHECK(problem->hint.english() == R"(did you mean "quality"?)");
  problem = id_problem(config, IdKind::party_type, "zzz");
  REQUIRE(problem);
  CHECK(problem->message.english() == R"(unknown party type "zzz")");
  CHECK(problem->hint.english() == "see 'liaison config show' for the party types");
  CHECK(id_problem(config, IdKind::level, "secret") == std::nullopt);
  CHECK_THROWS_AS(check_id(config, IdKind::kind, "complain"), DataError);
  CHECK_THROWS_AS(check_party_type(config, "zzz"), DataError);
  // In a filter the same ids select nothing: not found (exit 4), the same words.
  CHECK_THROWS_AS(check_filter_kinds(config, {"complaint", "complain"}), NotFoundError);
  CHECK_THROWS_AS(check_filter_departments(config, {"qualty"}), NotFoundError);
  CHECK_THROWS_AS(check_filter_party_types(config, {"zzz"}), NotFoundError);
  CHECK_NOTHROW(check_filter_kinds(config, {"complaint"}));
  CHECK_NOTHROW(check_filter_departments(config, {}));
  try {
    check_filter_departments(config, {"qualty"});
  } catch (const NotFoundError& e) {
    CHECK(e.message().english() == R"(unknown department "qualty" for --dept)");
    CHECK(e.hint_message().english() == R"(did you mean "quality"?)");
  }
}

TEST_CASE("reads return what the acting user may see") {
  test::StoreFixture fx(config_text(), bj(2026, 9, 21, 9), "boss");
  FileRequest req;
  req.kind = "complaint";
  req.subject = "董事会秘密";
  req.level = "secret";
  std::string ref = file_record(fx.ctx, req).record.ref;
  CHECK(read_record(fx.ctx, ref).record.subject == "董事会秘密");
  fx.ctx.actor = "li";
  RecordView view = read_record(fx.ctx, ref);
  CHECK(view.record.subject == "[confidential]");
  REQUIRE_FALSE(view.history.empty());
  CHECK(view.history.front().data.find("董事会秘密") == std::string::npos);
  CHECK(list_records(fx.ctx, RecordFilter{}).front().subject == "[confidential]");
  CHECK(readable_levels(fx.ctx) == std::vector<std::string>{"public", "internal"});
  CHECK_THROWS_AS(require_record(fx.ctx, "EXT-2026-09999"), NotFoundError);
  CHECK_THROWS_AS(take_backup(fx.ctx, "/nonexistent/x.db", ":memory:", false), PermissionError);
}

}  // namespace
}  // namespace liaison
