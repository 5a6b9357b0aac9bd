// Tests of full-text search in the SQLite store (lib/store/sqlite/store_sqlite_search.cpp): the index
// follows filing, logging, closing and reopening; ranking; filters; hidden levels;
// list's grep; snippets; and rebuilding.
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include "chain.h"
#include "fixture.h"
#include "services.h"
#include "store.h"
#include "migrations.h"
#include "store_sqlite_search.h"

namespace liaison {
namespace {

using test::bj;

const std::string kConfig = test::config_text(R"toml(
[[channel]]
id = "email"

[[kind]]
id = "complaint"
name = "投诉"
ack = "24h"
resolve = "3wd"

[[kind]]
id = "inquiry"
name = "咨询"
resolve = "2wd"

)toml");

struct Fixture : test::StoreFixture {
  Fixture() : StoreFixture(kConfig, bj(2026, 9, 29, 10)) {}

  std::string file(const std::string& subject, const std::string& body = "", const std::string& kind = "complaint",
                   const std::string& level = "") {
    FileRequest req;
    req.kind = kind;
    req.direction = Direction::internal;
    req.subject = subject;
    req.body = body;
    req.level = level;
    req.owner = "quality";
    return file_record(ctx, req).record.ref;
  }

  std::vector<std::string> refs(const std::string& text, RecordFilter filter = {}) {
    std::vector<std::string> out;
    for (const auto& h : store->text_search()->search_records(text, filter)) out.push_back(h.record.ref);
    return out;
  }

  std::vector<std::string> grep(const std::string& text, RecordFilter filter = {}) {
    filter.grep = text;
    std::vector<std::string> out;
    for (const auto& r : store->list_records(filter)) out.push_back(r.ref);
    return out;
  }
};

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("search finds two-character words, single characters and English words") {
  Fixture fx;
  auto a = fx.file("产品质量问题", "客户反映批次不良");
  auto b = fx.file("食堂饭菜", "员工反映质量下降");
  auto c = fx.file("Customer complaint - door hinge", "Damaged packaging");
  fx.file("宿舍热水供应不稳定");

  CHECK(fx.refs("质量") == V{a, b});  // subject outranks body
  CHECK(fx.refs("产品质量问题") == V{a});
  CHECK(fx.refs("质量问") == V{a});
  CHECK(fx.refs("量下") == V{b});
  CHECK(fx.refs("质") == V{a, b});     // a single character: as a bigram's start
  CHECK(fx.refs("题") == V{a});        // and as a run's last character
  CHECK(fx.refs("稳").size() == 1);
  CHECK(fx.refs("DOOR hinge") == V{c});
  CHECK(fx.refs("ＤＯＯＲ") == V{c});   // full-width
  CHECK(fx.refs("door 质量").empty());  // all words must occur
  CHECK(fx.refs("问题质量").empty());   // a phrase, not a bag of bigrams
  CHECK(fx.refs("，。").empty());       // nothing searchable: nothing found
}

TEST_CASE("special characters are only text") {
  Fixture fx;
  auto a = fx.file("NEAR the AND gate (test)", "say \"hello\" * now");
  for (const char* q : {"\"hello\"", "AND", "NEAR(", "(test)", "*", "hello*", "gate)", "\"", "'", "^near", "a:b", "-"}) {
    INFO(q);
    CHECK_NOTHROW(fx.store->text_search()->search_records(q, {}));
  }
  CHECK(fx.refs("AND") == V{a});
  CHECK(fx.refs("(test)") == V{a});
  CHECK(fx.refs("NEAR(gate test)") == V{a});
  CHECK(fx.refs("\"hello").size() == 1);
  CHECK(fx.refs("hel*").empty());  // no prefix search for words
  CHECK(fx.refs("OR").empty());
}

TEST_CASE("the index follows logs, closes and reopenings") {
  Fixture fx;
  auto a = fx.file("来料不良", "供应商送货");
  CHECK(fx.refs("围堵").empty());
  log_record(fx.ctx, {a, "note", "已实施围堵措施，库存全检", "", {}, "", ""});
  CHECK(fx.refs("围堵") == V{a});
  CloseRequest close;
  close.ref = a;
  close.resolution = "已完成8D报告并提交客户";
  close.capa = "CAPA-2026-017";
  close_record(fx.ctx, close);
  CHECK(fx.refs("8D报告") == V{a});
  CHECK(fx.refs("capa 2026 017") == V{a});
  reopen_record(fx.ctx, a, "客户再次投诉");
  CHECK(fx.refs("再次投诉") == V{a});
  // The history keeps what was said: the old resolution is still found.
  CHECK(fx.refs("8D报告") == V{a});
  auto hit = fx.store->text_search()->search_records("围堵", {});
  REQUIRE(hit.size() == 1);
  CHECK(hit[0].field == "history");
  CHECK(hit[0].snippet.find("围堵") != std::string::npos);
  CHECK(hit[0].score > 0);
}

TEST_CASE("a failed write leaves nothing in the index") {
  Fixture fx;
  auto a = fx.file("来料不良");
  {
    auto tx = fx.store->write();
    Event e;
    e.record_id = fx.store->find_record(a)->id;
    e.type = "logged";
    e.actor = "li";
    e.at = fx.ctx.now;
    e.data = R"({"entry":"note","text":"回滚的内容"})";
    append_event(*fx.store, e);
    CHECK(fx.refs("回滚") == V{a});  // seen inside the transaction
  }  // rolled back
  CHECK(fx.refs("回滚").empty());
}

TEST_CASE("a bulk write (import) indexes its events at its end, or not at all when it rolls back") {
  Fixture fx;
  auto a = fx.file("来料不良");
  auto log_in_bulk = [&](const char* text, bool commit) {
    auto tx = fx.store->write();
    fx.store->expect_bulk_write();
    Event e;
    e.record_id = fx.store->find_record(a)->id;
    e.type = "logged";
    e.actor = "li";
    e.at = fx.ctx.now;
    e.data = std::string(R"({"entry":"note","text":")") + text + "\"}";
    append_event(*fx.store, e);
    CHECK(fx.refs(text).empty());  // put off until the end
    fx.store->finish_bulk_write(commit);
    if (commit) tx->commit();
  };
  log_in_bulk("回滚的内容", false);
  CHECK(fx.refs("回滚").empty());
  log_in_bulk("批量的内容", true);
  CHECK(fx.refs("批量") == V{a});
}

TEST_CASE("ranking: more and better-placed matches first; limit") {
  Fixture fx;
  auto body_only = fx.file("来函", "关于质量的说明");
  auto subject = fx.file("质量周会纪要", "会议记录");
  auto both = fx.file("质量问题", "质量部通报质量问题");
  auto hits = fx.store->text_search()->search_records("质量", {});
  REQUIRE(hits.size() == 3);
  CHECK(hits[0].record.ref == both);
  CHECK(hits[1].record.ref == subject);
  CHECK(hits[2].record.ref == body_only);
  CHECK(hits[0].score >= hits[1].score);
  CHECK(hits[1].score >= hits[2].score);
  RecordFilter one;
  one.limit = 1;
  CHECK(fx.refs("质量", one) == V{both});
}

TEST_CASE("search filters and hidden levels") {
  Fixture fx;
  auto open_complaint = fx.file("质量投诉");
  auto inquiry = fx.file("质量咨询", "", "inquiry");
  auto secret = fx.file("质量事故调查", "", "complaint", "secret");
  CloseRequest close;
  close.ref = open_complaint;
  close.resolution = "已答复";
  close_record(fx.ctx, close);

  RecordFilter kinds;
  kinds.kinds = {"inquiry"};
  CHECK(fx.refs("质量", kinds) == V{inquiry});
  RecordFilter closed;
  closed.statuses = {Status::closed};
  CHECK(fx.refs("质量", closed) == V{open_complaint});
  RecordFilter elsewhere;
  elsewhere.owners = {"sales"};
  CHECK(fx.refs("质量", elsewhere).empty());
  RecordFilter hidden;
  hidden.readable_levels = {{"public", "internal"}};
  auto found = fx.refs("质量", hidden);
  CHECK(found.size() == 2);
  CHECK(std::find(found.begin(), found.end(), secret) == found.end());
  CHECK(fx.refs("事故", hidden).empty());
  CHECK(fx.refs("事故") == V{secret});
}

TEST_CASE("list's grep combines with the other filters and hidden levels") {
  Fixture fx;
  auto a = fx.file("质量投诉");
  auto b = fx.file("质量咨询", "", "inquiry");
  auto c = fx.file("质量事故", "", "complaint", "secret");
  fx.file("食堂");
  CHECK(fx.grep("质量") == V{a, b, c});
  RecordFilter kinds;
  kinds.kinds = {"complaint"};
  CHECK(fx.grep("质量", kinds) == V{a, c});
  RecordFilter hidden;
  hidden.readable_levels = {{"public", "internal", "confidential", "top-secret"}};
  CHECK(fx.grep("质量", hidden) == V{a, b});
  CHECK(fx.grep("，").empty());
}

TEST_CASE("rebuilding the index gives the same answers; a migrated database is indexed") {
  test::TempDir dir;
  std::string db = dir.file("records.db");
  std::string a;
  {
    test::StoreFixture fx(kConfig, bj(2026, 9, 29, 10), "li", db);
    FileRequest req;
    req.kind = "complaint";
    req.direction = Direction::internal;
    req.subject = "产品质量问题";
    req.owner = "quality";
    a = file_record(fx.ctx, req).record.ref;
    log_record(fx.ctx, {a, "note", "已电话联系", "", {}, "", ""});
  }
  {
    // Back to version 4 as an older liaison left it: no index (nor what later versions add).
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    sqlite_search::register_tokenizer(raw);  // dropping an FTS5 table needs its tokenizer
    raw.exec("DROP TRIGGER events_no_update; DROP TRIGGER attachments_no_update; DROP TRIGGER blobs_no_update; "
             "DROP INDEX records_purgeable; ALTER TABLE records DROP COLUMN purged_at; "
             "ALTER TABLE records DROP COLUMN anonymised_at; ALTER TABLE events DROP COLUMN data_sha256; "
             "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
             "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END; "
             "DROP TABLE search; DROP VIEW search_items; DROP VIEW search_text; DROP TABLE identities; "
             "DROP TABLE checkpoints; ALTER TABLE events DROP COLUMN salt; ALTER TABLE events DROP COLUMN recorded_at; "
             "DROP TRIGGER backlog_due_insert; DROP TRIGGER backlog_due_update_old; DROP TRIGGER backlog_due_update_new; "
             "DROP TRIGGER backlog_due_delete; DROP TABLE backlog_due; DROP INDEX records_due_early; "
             "DROP INDEX records_labels; DROP INDEX events_waiting; DROP INDEX events_record_type; "
             "DROP TRIGGER resolve_cycles_reopened; DROP TABLE resolve_cycles; DROP VIEW resolve_cycles_replayed; "
             "DROP TABLE attachments; DROP TABLE blobs; DROP TRIGGER event_messages_kept; DROP TABLE event_messages; "
             "DROP INDEX records_customer_ref; DROP INDEX records_eight_d; DROP INDEX records_topic; "
             "DROP INDEX records_received; "
             "CREATE INDEX records_received ON records(received_at, direction, kind, owner, channel, party); "
             "ALTER TABLE records DROP COLUMN topic; ALTER TABLE records DROP COLUMN customer_ref; "
             "ALTER TABLE records DROP COLUMN eight_d; DROP INDEX records_their_ref; "
             "ALTER TABLE records DROP COLUMN their_ref; ALTER TABLE records DROP COLUMN compliance_obligation; "
             "ALTER TABLE clocks DROP COLUMN given; "
             "DROP TRIGGER schedule_records_filed; DROP TRIGGER schedule_records_no_update; "
             "DROP TRIGGER schedule_records_no_delete; DROP TABLE schedule_records; DROP INDEX clocks_open; "
             "PRAGMA user_version = 4");
  }
  auto store = open_store(db, OpenMode::read_write);
  CHECK(store->schema_version() == embedded_migrations().back().version);
  auto hits = store->text_search()->search_records("质量", {});
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].record.ref == a);
  CHECK(store->text_search()->search_records("电话", {}).size() == 1);
  std::int64_t rows = 0;
  {
    auto tx = store->write();
    rows = store->text_search()->rebuild_search_index();
    tx->commit();
  }
  CHECK(rows == 2);  // the filed and the logged event
  CHECK(store->text_search()->search_records("电话", {}).size() == 1);
}

}  // namespace liaison
