// lib/exchange: a record ↔ one JSON Lines object / one CSV row, the CSV reader, the
// validation of every field, and import into a store (all or nothing).
#include "exchange.h"

#include <sstream>

#include <doctest/doctest.h>

#include "chain.h"
#include "exchange_internal.h"
#include "fixture.h"

namespace liaison {
namespace {

using test::bj;

const std::string kConfig = test::config_text(R"toml(
[[channel]]
id = "email"

[[party_type]]
id = "customer"

[[kind]]
id = "complaint"
name = "投诉"
ack = { internal = "24h", external = "48h" }
resolve = { internal = "3wd", external = "5wd" }

[[kind]]
id = "notice"
name = "通知"

[[rule]]
name = "complaints go to quality"
when = { kind = "complaint" }
owner = "quality"
)toml");

struct Fixture : test::StoreFixture {
  Fixture() : test::StoreFixture(kConfig, bj(2026, 9, 21, 9), "boss") {}

  /// Problems of decoding one JSON line, formatted with source "f".
  std::vector<std::string> problems(const std::string& line) {
    std::vector<ImportProblem> found;
    decode_jsonl(line, 7, config, calendar, found);
    std::vector<std::string> out;
    for (const auto& p : found) out.push_back(p.format("f"));
    return out;
  }

  ImportResult import(const std::string& text, ExchangeFormat format, bool dry_run = false) {
    std::istringstream in(text);
    ImportRequest req;
    req.source = "in.jsonl";
    req.format = format;
    req.dry_run = dry_run;
    return import_records(ctx, in, req);
  }

  /// Everything, as `actor` sees it; by default as someone cleared for every level.
  std::string export_all(ExchangeFormat format, bool with_events, const std::string& actor = "") {
    Config single_user = config;
    single_user.users.clear();
    Access access(actor.empty() ? single_user : config, actor);
    ExportRequest req;
    req.format = format;
    req.with_events = with_events;
    std::ostringstream out;
    export_records(*store, calendar, access, Lang::en, req, out);
    return out.str();
  }

  Record file(const std::string& subject, const std::string& party = "") {
    FileRequest req;
    req.kind = "complaint";
    req.subject = subject;
    req.party = party;
    req.received_at = bj(2026, 9, 18, 10);
    return file_record(ctx, req).record;
  }
};

/// A minimal valid record line with `extra` fields appended (or replacing).
std::string record_line(const std::string& extra = "") {
  return R"({"type":"record","ref":"EXT-2026-00007","kind":"complaint","subject":"噪音","owner":"quality",)"
         R"("received_at":"2026-09-18T10:00:00+08:00")" +
         (extra.empty() ? "" : "," + extra) + "}";
}

bool has(const std::vector<std::string>& v, const std::string& needle) {
  for (const auto& s : v)
    if (s.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a record exports as one JSON line with stable fields and ISO times with offset") {
  Fixture fx;
  add_party(fx.ctx, test::make_party("svw", "上汽大众", "customer"));
  Record r = fx.file("异响, \"严重\"\n第二行", "svw");
  std::string out = fx.export_all(ExchangeFormat::jsonl, false);
  std::istringstream lines(out);
  std::string party, record, extra;
  REQUIRE(std::getline(lines, party));
  REQUIRE(std::getline(lines, record));
  CHECK_FALSE(std::getline(lines, extra));
  CHECK(party.rfind(R"({"type":"party","id":"svw","name":"上汽大众","party_type":"customer",)", 0) == 0);
  CHECK(record.rfind(R"({"type":"record","ref":"EXT-2026-00001","kind":"complaint","direction":"external",)", 0) == 0);
  auto j = nlohmann::json::parse(record);
  CHECK(j["received_at"] == "2026-09-18T10:00:00+08:00");
  CHECK(j["created_at"] == "2026-09-21T09:00:00+08:00");
  CHECK(j["subject"] == "异响, \"严重\"\n第二行");
  CHECK(j["outcome"].is_null());
  CHECK(j["redacted"] == false);
  REQUIRE(j["clocks"].size() == 2);
  CHECK(j["clocks"][0]["clock"] == "ack");
  CHECK(j["clocks"][1]["due"] == j["due"]);
  CHECK_FALSE(j.contains("events"));
  CHECK_FALSE(j.contains("overdue"));
}

TEST_CASE("export writes a line byte for byte as dumping the JSON objects would") {
  // exchange_write.cpp writes the line without nlohmann objects; it must stay what
  // building record_object, clocks_json and events_json and dumping them gives.
  using ordered = nlohmann::ordered_json;
  using namespace exchange_detail;
  Fixture fx;
  auto reference = [&](const Record& r, const std::vector<Event>* events, bool redacted) {
    ordered j{{"type", "record"}};
    ordered fields = record_object(r, redacted, fx.calendar);
    for (auto& [k, v] : fields.items()) j[k] = v;
    j["clocks"] = clocks_json(r.clocks, fx.calendar);
    if (events) j["events"] = events_json(*events, fx.calendar);
    return dump(j) + '\n';
  };
  const std::vector<std::string> texts = {
      "", "plain", "异响, \"严重\"\n第二行", std::string("nul\0and\x01\x1f\x7f", 10), "tab\tcr\rff\fbs\bslash\\/",
      "emoji 😀 and 𠀀", "bad \xff utf-8", "cut \xe5\x99", "overlong \xc0\xaf", "surrogate \xed\xa0\x80"};
  Record r = fx.file("subject");
  std::vector<Event> events = fx.store->events_for(r.id);
  REQUIRE_FALSE(events.empty());
  r.clocks = fx.store->clocks_for(r.id);
  REQUIRE(r.clocks.size() == 2);
  r.clocks[0].used_seconds = 42;
  r.clocks[0].stopped_at = bj(2026, 9, 22, 10);
  r.clocks[1].paused_since = bj(2026, 9, 23, 10);
  r.clocks[1].due.reset();
  r.clocks[1].provisional = true;
  r.clocks[1].paused_seconds = 3600;
  r.notify = {"sales", "gm"};
  r.outcome = Outcome::resolved;
  r.closed_at = bj(2026, 9, 24, 10);
  r.major = true;
  for (const auto& t : texts) {
    CAPTURE(t);
    Record x = r;
    x.subject = x.body = x.resolution = t;
    x.notify.push_back(t);
    x.clocks[0].name = t;
    std::vector<Event> h = events;
    h[0].actor = h[0].type = t;
    CHECK(record_to_jsonl(x, &h, false, fx.calendar) == reference(x, &h, false));
    CHECK(record_to_jsonl(x, nullptr, true, fx.calendar) == reference(x, nullptr, true));
  }
  // Stored data is copied only when parsing and dumping would give it back unchanged.
  const std::vector<std::string> data = {
      R"({})", R"({"a":1,"b":[true,false,null],"c":{"d":"e"}})", R"({"b":1,"a":2})", R"([])", R"("s")", R"(-5)",
      R"({"a": 1})", R"({ "a":1})", R"({"a":1,"a":2})", R"({"a":1.5})", R"({"a":1e3})", R"({"a":-0})", R"({"a":01})",
      R"({"a":12345678901234567890123})", R"({"a":123456789012345678})", R"({"a":"\u0041"})", R"({"a":"\u001f"})",
      R"({"a":"\u001F"})", R"({"a":"\u000a"})", R"({"a":"\/"})", R"({"a":"\n\t\"\\"})", "{\"a\":\"\x7f\"}",
      "{\"a\":\"\xff\"}", "{\"a\":\"\n\"}", R"({"a":1)", R"({"a":1}x)", R"()", R"(nul)", R"({"a":[1,]})",
      R"({"ü":"😀"})", R"({"a":{"b":{"c":[[[]]]}}})", R"(truex)", R"({"a":true,"b":false})"};
  for (const auto& d : data) {
    CAPTURE(d);
    ordered parsed = ordered::parse(d, nullptr, false);
    if (parsed.is_discarded()) parsed = ordered::object();
    std::string fast;
    append_event_data(fast, d);
    CHECK(fast == dump(parsed));
    if (is_dump_form(d)) CHECK(dump(parsed) == d);
  }
  CHECK(is_dump_form(R"({"a":1,"b":[true,false,null],"c":{"d":"e"}})"));  // the usual case takes the short road
}

TEST_CASE("CSV export: header, RFC 4180 quoting, CRLF, events as a JSON column") {
  Fixture fx;
  fx.file("异响, \"严重\"\n第二行");
  std::string out = fx.export_all(ExchangeFormat::csv, true);
  CHECK(out.rfind("ref,kind,direction,flow,subject,body,", 0) == 0);
  CHECK(out.find(",redacted,clocks,events\r\n") != std::string::npos);
  CHECK(out.find(R"("异响, ""严重""
第二行")") != std::string::npos);
  CHECK(out.find(R"(""type"":""filed"")") != std::string::npos);
}

TEST_CASE("the CSV reader takes what spreadsheets write: BOM, CRLF, quoted line breaks") {
  std::istringstream in("\xef\xbb\xbf" "a,b\r\n\"x,1\",\"两\r\n行 \"\"q\"\"\"\r\n\r\nlast,\n");
  CsvReader reader(in);
  std::vector<std::string> cells;
  std::int64_t line = 0;
  bool too_long = false;
  REQUIRE(reader.next(cells, line, too_long));
  CHECK(cells == std::vector<std::string>{"a", "b"});
  CHECK(line == 1);
  REQUIRE(reader.next(cells, line, too_long));
  CHECK(cells == std::vector<std::string>{"x,1", "两\r\n行 \"q\""});
  CHECK(line == 2);
  REQUIRE(reader.next(cells, line, too_long));
  CHECK(cells == std::vector<std::string>{""});
  CHECK(line == 4);
  REQUIRE(reader.next(cells, line, too_long));
  CHECK(cells == std::vector<std::string>{"last", ""});
  CHECK(line == 5);
  CHECK_FALSE(reader.next(cells, line, too_long));
}

TEST_CASE("a valid line decodes; clocks are computed when not given") {
  Fixture fx;
  std::vector<ImportProblem> problems;
  auto item = decode_jsonl(record_line(), 3, fx.config, fx.calendar, problems);
  REQUIRE(problems.empty());
  REQUIRE(item);
  const Record& r = item->record;
  CHECK(r.direction == Direction::internal);
  CHECK(r.level == fx.config.levels.default_level);
  CHECK(r.created_at == bj(2026, 9, 18, 10));
  REQUIRE(r.clocks.size() == 2);
  CHECK(r.clocks[0].name == "ack");
  CHECK(r.clocks[0].due == bj(2026, 9, 19, 10));      // 24h, calendar time
  CHECK(r.ack_due == r.clocks[0].due);
  CHECK(r.clocks[1].due == bj(2026, 9, 22, 17, 30));  // 3wd from Fri 09-18: Sun 09-20 is a makeup day
  CHECK(r.due == r.clocks[1].due);
  CHECK_FALSE(item->has_events);
}

TEST_CASE("each validation problem names the line and the field") {
  Fixture fx;
  CHECK(fx.problems(R"({"type":"record","kind":"complaint","subject":"s","owner":"quality","received_at":"2026-09-18"})") ==
        std::vector<std::string>{"f:7: ref: missing (give the record's reference, e.g. EXT-2026-00042)"});
  CHECK(has(fx.problems(record_line(R"("owner":"qualty")")), "f:7: owner: unknown department \"qualty\" (did you mean \"quality\"?)"));
  CHECK(has(fx.problems(record_line(R"("kind":"complain")")), "f:7: kind: unknown kind \"complain\""));
  CHECK(has(fx.problems(record_line(R"("level":"secrit")")), "f:7: level: unknown level"));
  CHECK(has(fx.problems(record_line(R"("assignee":"nobody")")), "f:7: assignee: unknown user \"nobody\""));
  CHECK(has(fx.problems(record_line(R"("status":"done")")), "f:7: status: unknown status \"done\""));
  CHECK(has(fx.problems(record_line(R"("received_at":"18/09/2026")")),
            "f:7: received_at: cannot read \"18/09/2026\" as a time (write ISO 8601 with offset"));
  CHECK(has(fx.problems(record_line(R"("subject":")" + std::string(64 * 1024 + 1, 'x') + "\"")),
            "f:7: subject: too long: 65537 bytes, the limit is 65536"));
  CHECK(has(fx.problems(record_line(R"("colour":"red")")), "f:7: colour: unknown field"));
  CHECK(has(fx.problems(record_line(R"("redacted":true)")), "f:7: redacted: the record was exported redacted"));
  CHECK(has(fx.problems(record_line(R"("status":"closed")")), "f:7: closed_at: missing for a closed record"));
  CHECK(has(fx.problems(record_line(R"("events":[{"type":"filed","at":"2026-09-18T10:00:00+08:00"}])")),
            "f:7: events[1].actor: missing"));
  CHECK(has(fx.problems(record_line(R"("clocks":[{"clock":"ack","duration":"24h","started_at":"2026-09-18T10:00:00+08:00","due":"2026-09-19T10:00:00+08:00"}],"ack_due":"2026-09-20T10:00:00+08:00")")),
            "f:7: ack_due: does not match the ack clock's due"));
  CHECK(has(fx.problems(R"({"type":"record", oops})"), "f:7: bad JSON: "));
  CHECK(has(fx.problems(R"({"type":"thing"})"), "f:7: type: unknown line type \"thing\""));
  CHECK(has(fx.problems(R"({"type":"party","id":"x y","name":"N","party_type":"customr"})"),
            "f:7: party_type: unknown party type \"customr\" (did you mean \"customer\"?)"));
  // GBK bytes for 投诉 (0xCD 0xB6 0xCB 0xDF) in the subject
  CHECK(has(fx.problems(record_line("\"body\":\"\xcd\xb6\xcb\xdf\"")),
            "f:7: body: invalid UTF-8 at byte"));
  CHECK(has(fx.problems(record_line("\"body\":\"\xcd\xb6\xcb\xdf\"")), "iconv -f GBK -t UTF-8"));
}

TEST_CASE("CSV header and row problems name the column") {
  Fixture fx;
  std::vector<ImportProblem> problems;
  CHECK_FALSE(decode_csv_header({"ref", "kind", "subjekt", "owner", "received_at"}, 1, problems));
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].format("s.csv") == "s.csv:1: subjekt: unknown column (did you mean \"subject\"?)");
  CHECK(problems[1].format("s.csv") == "s.csv:1: subject: missing column (the header line names the columns; see 'man liaison-import')");
  problems.clear();
  auto header = decode_csv_header({"ref", "kind", "subject", "owner", "received_at", "major"}, 1, problems);
  REQUIRE(header);
  auto item = decode_csv_row(*header, {"R-1", "notice", "s", "gm", "2026-09-18 10:00", "yes"}, 4, fx.config,
                             fx.calendar, problems);
  REQUIRE(item);
  CHECK(item->record.major);
  CHECK(item->record.clocks.empty());  // notices set no deadlines
  CHECK_FALSE(decode_csv_row(*header, {"R-1", "notice", "s", "gm", "2026-09-18 10:00", "maybe"}, 5, fx.config,
                             fx.calendar, problems));
  CHECK(problems.back().format("s.csv") == "s.csv:5: major: \"maybe\" is neither true nor false (write true or false)");
  CHECK_FALSE(decode_csv_row(*header, {"R-1", "notice", "s\xff", "gm", "2026-09-18", "no"}, 6, fx.config, fx.calendar,
                             problems));
  CHECK(problems.back().format("s.csv").rfind("s.csv:6: subject: invalid UTF-8", 0) == 0);
  CHECK_FALSE(decode_csv_row(*header, {"R-1", "notice"}, 7, fx.config, fx.calendar, problems));
  CHECK(problems.back().message.english() == "2 fields where the header has 6");
}

TEST_CASE("references in the configured numbering name their sequence") {
  CHECK(reference_sequence("EXT-{year}-{seq:05}", "EXT-2026-00042") == std::make_pair(std::string("EXT-2026-"), std::int64_t{42}));
  CHECK_FALSE(reference_sequence("EXT-{year}-{seq:05}", "EXT-2026-42"));
  CHECK_FALSE(reference_sequence("EXT-{year}-{seq:05}", "INT-2026-00042"));
  CHECK_FALSE(reference_sequence("EXT-{year}-{seq:05}", "OLD/2019/7"));
}

TEST_CASE("round trip: export, import into an empty store, export again gives the same bytes") {
  for (bool with_events : {true, false}) {
    for (auto format : {ExchangeFormat::jsonl, ExchangeFormat::csv}) {
      CAPTURE(with_events);
      CAPTURE(format == ExchangeFormat::csv);
      Fixture a;
      add_party(a.ctx, test::make_party("svw", "上汽大众", "customer"));
      Record r = a.file("异响, \"严重\"\n第二行", "svw");
      a.file("内部");
      acknowledge_record(a.ctx, r.ref, "收到");
      close_record(a.ctx, {r.ref, "已更换", Outcome::resolved, "", "", ""});
      std::string first = a.export_all(format, with_events);

      Fixture b;
      if (format == ExchangeFormat::csv) add_party(b.ctx, test::make_party("svw", "上汽大众", "customer"));
      auto result = b.import(first, format);
      std::string first_problem = result.problems.empty() ? "" : result.problems[0].format("in");
      CAPTURE(first_problem);
      REQUIRE(result.committed);
      CHECK(result.records == 2);
      CHECK(b.export_all(format, with_events) == first);
      CHECK(verify_chain(*b.store).ok);
      // Numbering continues after the imported references.
      CHECK(b.file("next").ref == "INT-2026-00002");
      CHECK(b.file("outside", "svw").ref == "EXT-2026-00002");
    }
  }
}

TEST_CASE("import is all or nothing, and a dry run writes nothing") {
  Fixture fx;
  std::string good = record_line() + "\n";
  std::string dup = good + good;
  auto result = fx.import(dup, ExchangeFormat::jsonl);
  CHECK_FALSE(result.committed);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].format("in") ==
        "in:2: ref: duplicate reference EXT-2026-00007: it is earlier in this file (each record appears once; remove one of them)");
  CHECK(fx.store->count_records() == 0);
  CHECK(fx.store->last_event_id() == 0);

  auto dry = fx.import(good, ExchangeFormat::jsonl, true);
  CHECK(dry.problems.empty());
  CHECK(dry.records == 1);
  CHECK_FALSE(dry.committed);
  CHECK(fx.store->count_records() == 0);

  auto real = fx.import(good, ExchangeFormat::jsonl);
  CHECK(real.committed);
  CHECK(fx.store->count_records() == 1);
  auto events = fx.store->events_for(fx.store->find_record("EXT-2026-00007")->id);
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == "imported");
  CHECK(events[0].actor == "boss");
  // The record's state as imported, then where it came from; canonical (sorted keys).
  auto data = nlohmann::json::parse(events[0].data);
  CHECK(events[0].data == data.dump());
  CHECK(data["source"] == "in.jsonl");
  CHECK(data["line"] == 1);
  CHECK(data["subject"] == "噪音");
  CHECK(data["owner"] == "quality");
  CHECK(data["status"] == "open");
  CHECK(data["outcome"].is_null());
  CHECK(data["acked_at"].is_null());
  CHECK(data["received_at"] == "2026-09-18T10:00:00+08:00");
  CHECK(data["created_by"] == "boss");
  REQUIRE(data["clocks"].size() == 2);
  CHECK(data["clocks"][1]["clock"] == "resolve");
  CHECK(data["clocks"][1]["due"].is_string());
  CHECK(data["clocks"][1]["stopped_at"].is_null());
  CHECK_FALSE(data.contains("ref"));
  CHECK_FALSE(data.contains("due"));  // the clocks' dues, not copies of them

  auto again = fx.import(good, ExchangeFormat::jsonl);
  REQUIRE(again.problems.size() == 1);
  CHECK(again.problems[0].message.english() == "duplicate reference EXT-2026-00007: it is already in the database");
  auto empty_history = fx.import(record_line(R"("ref":"X-2","events":[])"), ExchangeFormat::jsonl);
  REQUIRE(empty_history.committed);
  auto x2 = fx.store->events_for(fx.store->find_record("X-2")->id);
  REQUIRE(x2.size() == 1);
  CHECK(x2[0].type == "imported");  // an empty history is no history

  auto no_party = fx.import(record_line(R"("ref":"X-1","party":"nobody")"), ExchangeFormat::jsonl);
  REQUIRE(no_party.problems.size() == 1);
  CHECK(no_party.problems[0].field == "party");
  CHECK(fx.store->count_records() == 2);
}

TEST_CASE("a low-clearance export is redacted and says so") {
  Fixture fx;
  FileRequest req;
  req.kind = "complaint";
  req.subject = "工资";
  req.level = "secret";
  file_record(fx.ctx, req);
  // li has no clearance in the fixture: the lowest level.
  auto j = nlohmann::json::parse(fx.export_all(ExchangeFormat::jsonl, true, "li"));
  CHECK(j["redacted"] == true);
  CHECK(j["subject"] == "[confidential]");
  CHECK(j["events"][0]["data"]["subject"] == "[confidential]");
}

}  // namespace liaison
