// Tests of lib/policy/access.cpp (who may write, act on a record, read it and see who raised
// it; redaction) and of the checks the services make with it (lib/services/services.cpp): each
// role against each decision, single-user mode, unlisted users, nested event data, and
// the complainant's identity kept out of the history.
#include "access.h"

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "fixture.h"
#include "services.h"

namespace liaison {
namespace {

using nlohmann::json;
using test::bj;

// Departments gm, quality, sales, hr. One user per role the decisions tell apart.
const std::string kPeople = R"toml(
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
members = ["sam"]

[[department]]
id = "hr"
name = "人力资源部"
head = "hana"
members = ["gina", "ada", "aud", "two"]

[[user]]
id = "boss"
department = "gm"
roles = ["top"]
clearance = "top-secret"

[[user]]
id = "wei"
department = "quality"
roles = ["head"]
clearance = "confidential"

[[user]]
id = "li"
department = "quality"
roles = ["staff"]
clearance = "internal"

[[user]]
id = "dave"
department = "sales"
roles = ["head"]
clearance = "secret"

[[user]]
id = "sam"
department = "sales"
roles = ["staff"]
clearance = "internal"

[[user]]
id = "hana"
department = "hr"
roles = ["head"]
clearance = "secret"

[[user]]
id = "ada"
department = "hr"
roles = ["admin"]
clearance = "internal"

[[user]]
id = "aud"
department = "hr"
roles = ["auditor"]
clearance = "top-secret"

[[user]]
id = "two"
department = "hr"
roles = ["auditor", "admin"]
clearance = "top-secret"

[[user]]
id = "gina"
department = "hr"
roles = ["grievance"]
clearance = "secret"

[[channel]]
id = "email"

[[party_type]]
id = "customer"

[[kind]]
id = "complaint"
ack = "24h"
resolve = "5wd"

[[kind]]
id = "grievance"
resolve = "10wd"
identity = "required"

[[kind]]
id = "notice"
identity = "none"

[[rule]]
when = { kind = "complaint" }
owner = "quality"
)toml";

std::string config_text() { return std::string(test::kOrganization) + kPeople; }
std::string single_user_text() {
  return std::string(test::kOrganization) + R"toml(
[[department]]
id = "gm"

[[department]]
id = "quality"

[[kind]]
id = "complaint"
resolve = "5wd"
)toml";
}

Config people() { return parse_config(config_text(), "test.toml"); }

/// One user's expected answers on a record owned by quality.
struct Expected {
  std::string user;
  bool write, act, read_confidential, read_internal, identity;
};

TEST_CASE("each role against each decision, on a record owned by quality") {
  Config config = people();
  const std::vector<Expected> table = {
      // user    write  act    conf.  internal identity
      {"boss", true, true, true, true, true},      // top management
      {"wei", true, true, true, true, true},       // head of the owner department
      {"li", true, true, false, true, false},      // staff of the owner department
      {"dave", true, false, false, true, false},   // head of another department
      {"sam", true, false, false, true, false},    // staff of another department
      {"ada", true, true, false, true, true},      // admin
      {"aud", false, false, true, true, false},    // auditor: reads everything, writes nothing
      {"two", false, false, true, true, true},     // auditor and admin: still never writes
      {"gina", true, false, false, true, true},    // grievance: sees identities, acts on hr's only
      {"nobody", false, false, false, false, false},  // not a [[user]]
  };
  for (const auto& e : table) {
    CAPTURE(e.user);
    Access a(config, e.user);
    CHECK_FALSE(a.single_user());
    CHECK(a.may_write() == e.write);
    CHECK(a.may_act_on("quality") == e.act);
    CHECK(a.may_read("confidential") == e.read_confidential);
    CHECK(a.may_read("internal") == e.read_internal);
    CHECK(a.may_read("public"));
    CHECK(a.may_see_identity("quality") == e.identity);
    CHECK(a.identity_grant("quality").empty() == !e.identity);
  }
  CHECK(Access(config, "boss").identity_grant("quality") == "top");
  CHECK(Access(config, "wei").identity_grant("quality") == "head");
  CHECK(Access(config, "ada").identity_grant("quality") == "admin");
  CHECK(Access(config, "gina").identity_grant("quality") == "grievance");
  // Heads see identities of their own department's records only.
  CHECK(Access(config, "dave").may_see_identity("sales"));
  CHECK_FALSE(Access(config, "wei").may_see_identity("sales"));
  // Members act on their own department's records.
  CHECK(Access(config, "sam").may_act_on("sales"));
  CHECK(Access(config, "gina").may_act_on("hr"));
  CHECK_FALSE(Access(config, "li").may_act_on("sales"));
  CHECK_FALSE(Access(config, "aud").may_act_on("hr"));
}

TEST_CASE("single-user mode: a config without [[user]] allows everything to anyone") {
  Config config = parse_config(single_user_text(), "test.toml");
  Access a(config, "whoever");
  CHECK(a.single_user());
  CHECK(a.user() == nullptr);
  CHECK(a.may_write());
  CHECK(a.may_act_on("quality"));
  CHECK(a.may_act_on("no-such-department"));
  CHECK(a.may_read("top-secret"));
  CHECK(a.may_see_identity("quality"));
  CHECK(a.identity_grant("quality") == "single-user");
  CHECK_NOTHROW(a.require_write(msg<Msg::action_file>()));
  Record r;
  r.ref = "EXT-2026-00001";
  r.owner = "quality";
  r.level = "top-secret";
  r.subject = "秘密";
  CHECK_NOTHROW(a.require_act_on(r, msg<Msg::action_close>()));
  CHECK_NOTHROW(a.require_identity(r));
  CHECK(redact(r, a, Lang::en).subject == "秘密");
  CHECK(Access::mailbox(config, "quality").may_read("top-secret"));
}

TEST_CASE("backup: admins, auditors and top management; import and recount: admins and top management") {
  Config config = people();
  for (const char* who : {"ada", "aud", "two", "boss"}) CHECK_NOTHROW(Access(config, who).require_backup());
  for (const char* who : {"ada", "two", "boss"}) {
    CHECK_NOTHROW(Access(config, who).require_import());
    CHECK_NOTHROW(Access(config, who).require_recount());
  }
  for (const char* who : {"li", "wei", "gina", "nobody"}) {
    CAPTURE(who);
    CHECK_THROWS_AS(Access(config, who).require_backup(), PermissionError);
    CHECK_THROWS_AS(Access(config, who).require_import(), PermissionError);
    CHECK_THROWS_AS(Access(config, who).require_recount(), PermissionError);
  }
  CHECK_THROWS_AS(Access(config, "aud").require_import(), PermissionError);
  CHECK_THROWS_AS(Access(config, "aud").require_recount(), PermissionError);
  try {
    Access(config, "li").require_backup();
  } catch (const PermissionError& e) {
    CHECK(std::string(e.what()) == "li may not take a backup: it holds every record at every level");
  }
  Config single = parse_config(single_user_text(), "test.toml");
  CHECK_NOTHROW(Access(single, "whoever").require_backup());
  CHECK_NOTHROW(Access(single, "whoever").require_import());
  CHECK_NOTHROW(Access(single, "whoever").require_recount());
}

TEST_CASE("refusals are PermissionErrors (exit 77) that say who may") {
  Config config = people();
  Record r;
  r.ref = "EXT-2026-00007";
  r.owner = "quality";
  r.level = "internal";

  auto refused = [](auto&& f) -> std::pair<std::string, std::string> {
    try {
      f();
    } catch (const PermissionError& e) {
      CHECK(e.code() == ExitCode::permission);
      CHECK(static_cast<int>(e.code()) == 77);
      return {e.what(), e.hint()};
    }
    FAIL("no PermissionError");
    return {};
  };

  std::string what, hint;
  std::tie(what, hint) = refused([&] { Access(config, "dave").require_act_on(r, msg<Msg::action_close>()); });
  CHECK(what == "dave may not close EXT-2026-00007");
  CHECK(hint == "only members or the head of 品质部 (quality), top management or an admin may");

  std::tie(what, hint) = refused([&] { Access(config, "aud").require_write(msg<Msg::action_file>()); });
  CHECK(what == "aud may not file: auditors read but never write");
  CHECK(hint == "any listed user who is not an auditor may file");
  std::tie(what, hint) = refused([&] { Access(config, "aud").require_act_on(r, msg<Msg::action_acknowledge>()); });
  // An auditor is told why (auditors never write), not that members may.
  CHECK(what == "aud may not acknowledge: auditors read but never write");
  CHECK(hint == "any listed user who is not an auditor may acknowledge");

  std::tie(what, hint) = refused([&] { Access(config, "nobody").require_write(msg<Msg::action_log>()); });
  CHECK(what == "nobody (not a [[user]] in test.toml) may not log");
  CHECK(hint == "act as a listed user with --as or $LIAISON_USER, or add a [[user]] entry");
  std::tie(what, hint) = refused([&] { Access(config, "nobody").require_act_on(r, msg<Msg::action_route>()); });
  CHECK(what == "nobody (not a [[user]] in test.toml) may not route");

  std::tie(what, hint) = refused([&] { Access(config, "li").require_identity(r); });
  CHECK(what == "li may not see who raised EXT-2026-00007");
  CHECK(hint == "only the head of 品质部 (quality), top management, admins and the grievance role may");

  CHECK_NOTHROW(Access(config, "li").require_act_on(r, msg<Msg::action_close>()));
  CHECK_NOTHROW(Access(config, "wei").require_identity(r));
  CHECK_NOTHROW(Access(config, "sam").require_write(msg<Msg::action_escalate>()));
}

TEST_CASE("a department's mailbox reads at the lowest clearance among its people") {
  Config config = people();
  // quality: wei (confidential), li (internal) → internal.
  Access quality = Access::mailbox(config, "quality");
  CHECK(quality.may_read("internal"));
  CHECK_FALSE(quality.may_read("secret"));
  CHECK_FALSE(quality.may_write());
  // gm: boss only (top-secret).
  CHECK(Access::mailbox(config, "gm").may_read("top-secret"));
  // An unknown department has nobody: the lowest level.
  CHECK_FALSE(Access::mailbox(config, "nowhere").may_read("internal"));
  CHECK(Access::mailbox(config, "nowhere").may_read("public"));
}

TEST_CASE("redact(Record) hides the text above the clearance and keeps the rest") {
  Config config = people();
  Record r;
  r.ref = "EXT-2026-00003";
  r.kind = "complaint";
  r.owner = "quality";
  r.level = "confidential";
  r.subject = "董事会机密";
  r.body = "详细内容";
  r.resolution = "处理说明";
  r.capa = "CAPA-1";
  r.received_at = bj(2026, 9, 29, 10);
  Record seen = redact(r, Access(config, "li"), Lang::en);
  CHECK(seen.subject == "[confidential]");
  CHECK(seen.body == "[confidential]");
  CHECK(seen.resolution == "[confidential]");
  CHECK(seen.capa == "[confidential]");
  CHECK(seen.ref == r.ref);
  CHECK(seen.kind == r.kind);
  CHECK(seen.owner == r.owner);
  CHECK(seen.level == r.level);
  CHECK(seen.received_at == r.received_at);
  CHECK(redact(r, Access(config, "li"), Lang::zh).subject == "[机密]");
  CHECK(redact(r, Access(config, "wei"), Lang::en).subject == "董事会机密");
  // Empty fields stay empty: a redacted record does not seem to have a body it has not.
  r.body.clear();
  CHECK(redact(r, Access(config, "li"), Lang::en).body.empty());
  CHECK(redact_text("", "confidential", Access(config, "li"), Lang::en).empty());
  CHECK(redact_text("x", "confidential", Access(config, "li"), Lang::en) == "[confidential]");
  CHECK(redact_text("x", "internal", Access(config, "li"), Lang::en) == "x");
}

TEST_CASE("an Access tells its RedactionNote when it redacts, and only then") {
  Config config = people();
  Record r;
  r.ref = "EXT-2026-00003";
  r.level = "confidential";
  r.subject = "董事会机密";
  RedactionNote note;
  const Access cleared(config, "wei", &note);
  redact(r, cleared, Lang::en);
  CHECK(redact_text("x", "confidential", cleared, Lang::en) == "x");
  CHECK_FALSE(note.anything);  // nothing hidden from a reader cleared for it
  const Access li(config, "li", &note);
  CHECK(redact_text("x", "internal", li, Lang::en) == "x");
  CHECK_FALSE(note.anything);
  RedactionNote other;
  const Access li_elsewhere(config, "li", &other);
  redact(r, li_elsewhere, Lang::en);
  CHECK(other.anything);
  CHECK_FALSE(note.anything);  // each note hears only its own Access: no process-wide flag
  Event e;
  e.data = R"({"text": "secret"})";
  redact(e, "confidential", li, Lang::en);
  CHECK(note.anything);
  redact(r, Access(config, "li"), Lang::en);  // an Access without a note tells no one
}

TEST_CASE("redact(Event) keeps that an attachment exists and its number, nothing else of it") {
  Config config = people();
  Event e;
  e.type = "logged";
  e.data = json{{"entry", "email"},
                {"text", "8D 报告"},
                {"attachments", json::array({{{"n", 3}, {"name", "8D报告.pdf"}, {"media_type", "application/pdf"},
                                              {"size", 48213}, {"sha256", std::string(64, 'a')}}})}}
               .dump();
  json d = json::parse(redact(e, "confidential", Access(config, "sam"), Lang::en).data);
  CHECK(d["attachments"] == json::array({{{"n", 3}, {"name", "[confidential]"}}}));
  CHECK(json::parse(redact(e, "confidential", Access(config, "wei"), Lang::en).data) == json::parse(e.data));
}

TEST_CASE("redact(Event) hides a mail's Message-ID digest: it would confirm a guessed id") {
  Config config = people();
  Event e;
  e.type = "logged";
  e.data = json{{"entry", "email"}, {"text", "补充"}, {"message_sha256", std::string(64, 'b')}, {"party", "svw"}}.dump();
  json d = json::parse(redact(e, "confidential", Access(config, "sam"), Lang::en).data);
  CHECK(d["message_sha256"] == "[confidential]");
  CHECK(d["party"] == "svw");
  CHECK(json::parse(redact(e, "confidential", Access(config, "wei"), Lang::en).data) == json::parse(e.data));
}

TEST_CASE("redact(Event) replaces free text at any depth, keeps codes, hides hashes") {
  Config config = people();
  Event e;
  e.type = "edited";
  e.hash = "abc";
  e.data = json{{"subject", "秘密主题"},
                {"owner", "quality"},
                {"text", "电话内容"},
                {"changes", {{"subject", {{"from", "旧主题"}, {"to", "新主题"}}}, {"owner", {{"from", "a"}, {"to", "b"}}}}},
                {"clocks", json::array({{{"clock", "resolve"}, {"note", "暂停原因"}}})},
                {"reason", ""},
                {"used_seconds", 3600}}
               .dump();
  Event seen = redact(e, "confidential", Access(config, "sam"), Lang::en);
  json d = json::parse(seen.data);
  CHECK(d["subject"] == "[confidential]");
  CHECK(d["text"] == "[confidential]");
  CHECK(d["owner"] == "quality");
  CHECK(d["changes"]["subject"]["from"] == "[confidential]");
  CHECK(d["changes"]["subject"]["to"] == "[confidential]");
  CHECK(d["changes"]["owner"]["to"] == "b");
  CHECK(d["clocks"][0]["note"] == "[confidential]");
  CHECK(d["clocks"][0]["clock"] == "resolve");
  CHECK(d["reason"] == "");
  CHECK(d["used_seconds"] == 3600);
  // A hash over the unredacted data would confirm a guessed text: gone for whoever may
  // not read every level (sam), and with it prev_hash, another event's hash.
  CHECK(seen.hash.empty());
  CHECK(seen.prev_hash.empty());
  for (const char* secret : {"秘密主题", "电话内容", "旧主题", "新主题", "暂停原因"})
    CHECK(seen.data.find(secret) == std::string::npos);
  // Cleared: unchanged. Not JSON: the whole text goes.
  CHECK(redact(e, "confidential", Access(config, "wei"), Lang::en).data == e.data);
  e.data = "not json 秘密";
  CHECK(redact(e, "confidential", Access(config, "sam"), Lang::en).data == R"({"text":"[confidential]"})");
}

// ---------------------------------------------------------------------------------------
// The services enforce it, whatever calls them.

struct Fixture : test::StoreFixture {
  Fixture() : StoreFixture(config_text(), bj(2026, 9, 29, 10), "li") {}
  std::string file_complaint(const std::string& as = "li") {
    ctx.actor = as;
    FileRequest req;
    req.kind = "complaint";
    req.subject = "孔距超差";
    req.direction = Direction::internal;
    return file_record(ctx, req).record.ref;
  }
  std::int64_t events() { return store->last_event_id(); }
};

TEST_CASE("services refuse what the acting user may not do, and write nothing") {
  Fixture fx;
  const std::string ref = fx.file_complaint();  // owned by quality
  const auto before = fx.events();

  auto refused = [&](const std::string& who, auto&& f) {
    CAPTURE(who);
    fx.ctx.actor = who;
    CHECK_THROWS_AS(f(), PermissionError);
    CHECK(fx.events() == before);
  };
  for (const char* who : {"dave", "sam", "gina", "aud", "two", "nobody"}) {
    refused(who, [&] { acknowledge_record(fx.ctx, ref, ""); });
    refused(who, [&] { route_record(fx.ctx, {ref, "sales", "", "", false}); });
    refused(who, [&] { wait_record(fx.ctx, ref, "samples"); });
    refused(who, [&] { close_record(fx.ctx, {ref, "done", {}, "", "", ""}); });
  }
  for (const char* who : {"aud", "two", "nobody"}) {
    FileRequest req;
    req.kind = "complaint";
    req.subject = "x";
    refused(who, [&] { file_record(fx.ctx, req); });
    refused(who, [&] { log_record(fx.ctx, {ref, "note", "text", "", {}, "", ""}); });
    refused(who, [&] { escalate_record(fx.ctx, {ref, "gm", "why", {}}); });
    refused(who, [&] { add_party(fx.ctx, test::make_party("svw", "上汽大众", "customer")); });
  }
  CHECK(get_record(*fx.store, ref).status == Status::open);

  // Not found comes before not allowed: it tells nothing about a record.
  fx.ctx.actor = "dave";
  CHECK_THROWS_AS(acknowledge_record(fx.ctx, "EXT-2026-09999", ""), NotFoundError);
  // Any listed writer may log and escalate a record of another department.
  fx.ctx.actor = "sam";
  CHECK_NOTHROW(log_record(fx.ctx, {ref, "note", "called the line", "", {}, "", ""}));
  CHECK_NOTHROW(escalate_record(fx.ctx, {ref, "gm", "no answer", {}}));
  // The owner department's staff, admins and top management act on it.
  fx.ctx.actor = "li";
  CHECK_NOTHROW(acknowledge_record(fx.ctx, ref, ""));
  fx.ctx.actor = "ada";
  CHECK_NOTHROW(wait_record(fx.ctx, ref, "samples"));
  fx.ctx.actor = "boss";
  CHECK_NOTHROW(resume_record(fx.ctx, ref, ""));
  fx.ctx.actor = "wei";
  CHECK_NOTHROW(close_record(fx.ctx, {ref, "done", {}, "", "", ""}));
  fx.ctx.actor = "sam";
  CHECK_THROWS_AS(reopen_record(fx.ctx, ref, "again"), PermissionError);
  fx.ctx.actor = "li";
  CHECK_NOTHROW(reopen_record(fx.ctx, ref, "again"));
}

TEST_CASE("single-user mode: the services allow anyone") {
  test::StoreFixture fx(single_user_text(), bj(2026, 9, 29, 10), "anyone");
  FileRequest req;
  req.kind = "complaint";
  req.subject = "x";
  req.owner = "quality";
  std::string ref = file_record(fx.ctx, req).record.ref;
  fx.ctx.actor = "someone-else";
  CHECK_NOTHROW(acknowledge_record(fx.ctx, ref, ""));
  CHECK_NOTHROW(close_record(fx.ctx, {ref, "done", {}, "", "", ""}));
}

TEST_CASE("the complainant's identity: kept apart, never in the events, each view logged") {
  Fixture fx;
  fx.ctx.actor = "li";
  FileRequest req;
  req.kind = "complaint";
  req.subject = "主管辱骂员工";
  req.direction = Direction::internal;
  req.identity.name = "王小明";
  req.identity.position = "操作工";
  req.identity.organization = "冲压车间";
  req.identity.phone = "13800000000";
  Record r = file_record(fx.ctx, req).record;

  auto events = fx.store->events_for(r.id);
  REQUIRE(events.size() == 1);
  for (const char* secret : {"王小明", "操作工", "冲压车间", "13800000000"})
    CHECK(events[0].data.find(secret) == std::string::npos);
  json filed = json::parse(events[0].data);
  CHECK(filed["identity"] == "protected");
  auto stored = fx.store->find_identity(r.id);
  REQUIRE(stored);
  CHECK(stored->name == "王小明");
  CHECK(stored->salt.size() == 32);
  CHECK(filed["identity_digest"] == identity_digest(*stored));
  Identity tampered = *stored;
  tampered.phone = "13900000000";
  CHECK(identity_digest(tampered) != filed["identity_digest"]);

  // Refused: no event, nothing returned.
  for (const char* who : {"li", "dave", "sam", "aud", "nobody"}) {
    CAPTURE(who);
    fx.ctx.actor = who;
    CHECK_THROWS_AS(view_identity(fx.ctx, r.ref), PermissionError);
  }
  CHECK(fx.store->events_for(r.id).size() == 1);
  // Allowed: the identity, and an identity-viewed event saying why.
  for (const char* who : {"wei", "boss", "ada", "gina", "two"}) {
    CAPTURE(who);
    fx.ctx.actor = who;
    auto seen = view_identity(fx.ctx, r.ref);
    REQUIRE(seen);
    CHECK(seen->phone == "13800000000");
    auto last = fx.store->events_for(r.id).back();
    CHECK(last.type == "identity-viewed");
    CHECK(last.actor == who);
  }
  auto all = fx.store->events_for(r.id);
  CHECK(all.size() == 6);
  CHECK(json::parse(all[1].data)["granted_as"] == "head");
  CHECK(json::parse(all[4].data)["granted_as"] == "grievance");
  fx.ctx.actor = "wei";
  CHECK_THROWS_AS(view_identity(fx.ctx, "EXT-2026-09999"), NotFoundError);
}

TEST_CASE("identity on filing follows the kind: optional, required, none; anonymous") {
  Fixture fx;
  fx.ctx.actor = "gina";
  FileRequest req;
  req.kind = "complaint";
  req.subject = "匿名投诉";
  req.direction = Direction::internal;
  req.identity.anonymous = true;
  Record anon = file_record(fx.ctx, req).record;
  auto stored = fx.store->find_identity(anon.id);
  REQUIRE(stored);
  CHECK(stored->anonymous);
  CHECK_FALSE(stored->given());
  CHECK(json::parse(fx.store->events_for(anon.id)[0].data)["identity"] == "anonymous");
  // Viewing an anonymous record's identity shows nothing and logs nothing.
  CHECK(view_identity(fx.ctx, anon.ref)->anonymous);
  CHECK(fx.store->events_for(anon.id).size() == 1);

  // Optional and not given: nothing recorded.
  req.identity = {};
  Record plain = file_record(fx.ctx, req).record;
  CHECK_FALSE(fx.store->find_identity(plain.id));
  CHECK_FALSE(json::parse(fx.store->events_for(plain.id)[0].data).contains("identity"));

  const auto before = fx.store->last_event_id();
  // Anonymous and named at once.
  req.identity.anonymous = true;
  req.identity.name = "王";
  CHECK_THROWS_AS(file_record(fx.ctx, req), UsageError);
  // Required: anonymous and missing both refused.
  req.kind = "grievance";
  req.owner = "hr";
  req.identity = {};
  CHECK_THROWS_AS(file_record(fx.ctx, req), DataError);
  req.identity.anonymous = true;
  CHECK_THROWS_AS(file_record(fx.ctx, req), DataError);
  req.identity = {};
  req.identity.phone = "138";
  CHECK_THROWS_AS(file_record(fx.ctx, req), DataError);  // a name is what "required" asks
  // None: no identity at all.
  req.kind = "notice";
  req.identity = {};
  req.identity.name = "王";
  CHECK_THROWS_AS(file_record(fx.ctx, req), DataError);
  req.identity = {};
  req.identity.anonymous = true;
  CHECK_THROWS_AS(file_record(fx.ctx, req), DataError);
  CHECK(fx.store->last_event_id() == before);

  req.kind = "grievance";
  req.identity = {};
  req.identity.name = "王小明";
  CHECK_NOTHROW(file_record(fx.ctx, req));
}

}  // namespace
}  // namespace liaison
