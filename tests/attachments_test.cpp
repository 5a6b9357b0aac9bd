// Tests of lib/services/attachments.cpp (and base64 in lib/mail): attaching on filing and
// logging on both stores (numbering, description, the bytes kept once, the event data the
// hash covers), a refused attachment writing nothing, reading back with the clearance
// rule, libmagic's media types, and the check `audit verify` makes.
#include "attachments.h"

#include <map>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "fixture.h"
#include "hash.h"
#include "mail.h"

namespace liaison {
namespace {

using nlohmann::json;
using test::bj;

const std::string kConfig = test::config_text(R"toml(
[levels]
order = ["internal", "secret"]
default = "internal"

[[channel]]
id = "email"

[[kind]]
id = "complaint"
resolve = "5wd"

[attachments]
max_size = 64
)toml");

const std::string kJpeg = std::string("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
const std::string kPdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

FileRequest complaint(std::vector<NewAttachment> files, std::string level = "") {
  FileRequest req;
  req.kind = "complaint";
  req.direction = Direction::internal;
  req.from_dept = "sales";
  req.owner = "quality";
  req.subject = "孔径超差";
  req.level = std::move(level);
  req.attachments = std::move(files);
  return req;
}

/// What the history lists, as `audit verify` collects it.
std::map<std::int64_t, std::map<std::int64_t, Attachment>> listed_in(Store& store) {
  std::map<std::int64_t, std::map<std::int64_t, Attachment>> listed;
  store.each_event([&](const Event& e) {
    if (auto items = attachments_in_event(e); !items.empty()) listed[e.id] = items;
  });
  return listed;
}

}  // namespace

STORE_TEST_CASE("attachments of a filing and a log entry: numbered, described, kept once") {
  test::StoreFixture fx(kConfig, bj(2026, 9, 29, 10), "li", S{});
  Record r = file_record(fx.ctx, complaint({{"照片.jpg", kJpeg}, {"8D.pdf", kPdf}})).record;
  LogRequest entry{r.ref, "email", "再次发送照片", "", {{"again.jpg", kJpeg}}, "", ""};
  Event logged = log_record(fx.ctx, entry);

  auto& kept = *fx.store->attachment_store();
  auto all = kept.attachments_for(r.id);
  REQUIRE(all.size() == 3);
  CHECK(all[0].n == 1);
  CHECK(all[0].name == "照片.jpg");
  CHECK(all[0].media_type == "image/jpeg");
  CHECK(all[0].size == 20);
  CHECK(all[0].sha256 == sha256_hex(kJpeg));
  CHECK(all[1].media_type == "application/pdf");
  CHECK(all[2].n == 3);  // numbering goes on across events
  CHECK(all[2].event_id == logged.id);
  CHECK(all[0].event_id == logged.id - 1);
  CHECK(all[2].actor == "li");
  CHECK(all[2].at == bj(2026, 9, 29, 10));
  CHECK(kept.blob(sha256_hex(kJpeg)) == kJpeg);
  // The event lists what it added: the hash chain covers each digest.
  json data = json::parse(logged.data);
  CHECK(data["attachments"] == json::array({{{"n", 3}, {"name", "again.jpg"}, {"media_type", "image/jpeg"},
                                             {"size", 20}, {"sha256", sha256_hex(kJpeg)}}}));

  auto got = get_attachment(fx.ctx, r.ref, "8D.pdf");
  CHECK(got.content == kPdf);
  CHECK(get_attachment(fx.ctx, r.ref, "3").content == kJpeg);
  CHECK_THROWS_AS(get_attachment(fx.ctx, r.ref, "4"), NotFoundError);
  CHECK_THROWS_AS(get_attachment(fx.ctx, r.ref, "8d.pdf"), NotFoundError);
  CHECK_THROWS_AS(get_attachment(fx.ctx, "INT-2026-09999", "1"), NotFoundError);

  AttachmentCheck check = check_attachments_against(*fx.store, listed_in(*fx.store));
  CHECK(check.attachments == 3);
  CHECK_FALSE(check.problem);
}

STORE_TEST_CASE("a refused attachment writes nothing") {
  test::StoreFixture fx(kConfig, bj(2026, 9, 29, 10), "li", S{});
  const std::string big(65, 'x');  // max_size is 64
  auto t = [&] { file_record(fx.ctx, complaint({{"ok.txt", "fine"}, {"big.txt", big}})); };
  CHECK_THROWS_AS(t(), DataError);
  CHECK(fx.store->count_records() == 0);
  CHECK(fx.store->last_event_id() == 0);
  CHECK_FALSE(fx.store->attachment_store()->blob(sha256_hex("fine")));
  for (const char* bad : {"", ".", "..", "a\nb", "tab\there"})
    CHECK_THROWS_AS(file_record(fx.ctx, complaint({{bad, "x"}})), DataError);
  CHECK_THROWS_AS(file_record(fx.ctx, complaint({{"\xff\xfe.txt", "x"}})), DataError);  // not UTF-8
  Record r = file_record(fx.ctx, complaint({})).record;
  LogRequest entry{r.ref, "note", "x", "", {{"big.txt", big}}, "", ""};
  CHECK_THROWS_AS(log_record(fx.ctx, entry), DataError);
  CHECK(fx.store->events_for(r.id).size() == 1);
  CHECK(fx.store->attachment_store()->attachments_for(r.id).empty());
}

STORE_TEST_CASE("below the record's level: that attachments exist, not what they are") {
  test::StoreFixture fx(kConfig + "\n[[user]]\nid = \"sam\"\ndepartment = \"sales\"\nclearance = \"internal\"\n" +
                            "\n[[user]]\nid = \"ann\"\ndepartment = \"sales\"\nclearance = \"secret\"\n",
                        bj(2026, 9, 29, 10), "boss", S{});
  Record r = file_record(fx.ctx, complaint({{"secret.pdf", kPdf}}, "secret")).record;
  fx.ctx.actor = "sam";
  auto seen = list_attachments(fx.ctx, r.ref);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].redacted);
  CHECK(seen[0].attachment.n == 1);
  CHECK(seen[0].attachment.name == "[confidential]");
  CHECK(seen[0].attachment.media_type.empty());
  CHECK(seen[0].attachment.sha256.empty());
  CHECK(seen[0].attachment.size == 0);
  CHECK_THROWS_AS(get_attachment(fx.ctx, r.ref, "1"), PermissionError);
  CHECK_THROWS_AS(get_attachment(fx.ctx, r.ref, "nothing-by-that-name"), PermissionError);
  fx.ctx.actor = "ann";
  CHECK_FALSE(list_attachments(fx.ctx, r.ref)[0].redacted);
  CHECK(get_attachment(fx.ctx, r.ref, "secret.pdf").content == kPdf);
}

STORE_TEST_CASE("the check audit verify makes finds what does not match the history") {
  test::StoreFixture fx(kConfig, bj(2026, 9, 29, 10), "li", S{});
  Record r = file_record(fx.ctx, complaint({{"a.jpg", kJpeg}, {"b.pdf", kPdf}})).record;
  auto listed = listed_in(*fx.store);
  REQUIRE(listed.size() == 1);
  const std::int64_t event = listed.begin()->first;

  auto changed = listed;
  changed[event][2].size = 1;  // the history says otherwise
  auto c = check_attachments_against(*fx.store, changed);
  REQUIRE(c.problem);
  CHECK(c.problem->english() == "attachment 2 of record #1 is not what event 1 of its history lists");

  auto fewer = listed;
  fewer[event].erase(1);  // kept, but no event lists it
  c = check_attachments_against(*fx.store, fewer);
  REQUIRE(c.problem);
  CHECK(c.problem->english() == "attachment 1 of record #1 is not listed by event 1 of its history");

  auto more = listed;
  Attachment ghost = listed[event][1];
  ghost.n = 3;
  more[event][3] = ghost;  // listed, but not kept
  c = check_attachments_against(*fx.store, more);
  REQUIRE(c.problem);
  CHECK(c.problem->english() == "attachment 3 that event 1 lists is not kept");
  CHECK(r.id == 1);  // the record and event the messages name
  CHECK(event == 1);
}

TEST_CASE("libmagic tells media types from the bytes, whatever the name") {
  CHECK(detect_media_type(kJpeg) == "image/jpeg");
  CHECK(detect_media_type(kPdf) == "application/pdf");
  CHECK(detect_media_type("孔径 12.08 mm\n") == "text/plain");
  CHECK(detect_media_type(std::string("\x00\x01\x02\x03", 4)) == "application/octet-stream");
  CHECK(detect_media_type("") == "application/x-empty");
}

TEST_CASE("base64 decodes what base64_encode writes, and nothing else") {
  for (std::string bytes : {std::string(), std::string("a"), std::string("ab"), std::string("abc"), kJpeg, kPdf}) {
    auto back = base64_decode(base64_encode(bytes));
    REQUIRE(back);
    CHECK(*back == bytes);
  }
  CHECK(base64_decode("QQ==") == std::string("A"));
  for (const char* bad : {"Q", "QQ=", "Q===", "====", "QQ=A", "Q=Q=", "QQ\nQ", "QQ==QQ==", "QUJD!"})
    CHECK_FALSE(base64_decode(bad));
}

}  // namespace liaison
