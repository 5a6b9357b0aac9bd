// Mail intake: the parser's JSON read back (lib/mail/inbound.h), RFC 3834's refusals, the
// [mail] config, and mail_in on both stores: filed with its party and rule, delivered
// twice filed once, a reply by subject or by In-Reply-To joining its record.
#include "mail_in.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "fixture.h"
#include "hash.h"
#include "mail.h"

namespace liaison {
namespace {

using nlohmann::json;

json parsed_message(const std::string& subject, const std::string& from, const std::string& id) {
  return {{"message_id", id},
          {"subject", subject},
          {"from", {{"name", "王工"}, {"email", from}}},
          {"to", json::array({{{"name", ""}, {"email", "complaints@factory.example.cn"}}})},
          {"cc", json::array()},
          {"date", 1796001300},
          {"in_reply_to", json::array()},
          {"references", json::array()},
          {"headers", json::array({json::array({"From", from}), json::array({"To", "complaints@factory.example.cn"}),
                                   json::array({"Subject", subject})})},
          {"text", "您好：\r\n齿轮箱异响。\r\n"},
          {"text_from_html", false},
          {"parts", json::array({{{"name", "../照片.jpg"}, {"media_type", "image/jpeg"}, {"content", base64_encode("\xff\xd8\xff")}}})}};
}

TEST_CASE("the parser's JSON is read back, and anything else is refused") {
  InboundMail m = inbound_from_json(parsed_message("投诉", "wang@svw.example.cn", "a@b").dump());
  CHECK(m.subject == "投诉");
  CHECK(m.from.email == "wang@svw.example.cn");
  CHECK(m.from.name == "王工");
  REQUIRE(m.parts.size() == 1);
  CHECK(m.parts[0].content == "\xff\xd8\xff");
  CHECK(m.header("subject") == std::vector<std::string>{"投诉"});
  CHECK(m.header("SUBJECT") == std::vector<std::string>{"投诉"});
  CHECK(m.header("cc").empty());
  CHECK_THROWS_AS(inbound_from_json("not json"), DataError);
  CHECK_THROWS_AS(inbound_from_json(R"({"subject":"x"})"), DataError);
  json bad = parsed_message("x", "a@b.c", "i@d");
  bad["parts"][0]["content"] = "not base64!";
  CHECK_THROWS_AS(inbound_from_json(bad.dump()), DataError);
}

TEST_CASE("RFC 3834: automatic, list, daemon and own mail are never answered") {
  InboundMail m = inbound_from_json(parsed_message("x", "wang@svw.example.cn", "a@b").dump());
  CHECK(no_auto_reply_reason(m, "complaints@factory.example.cn").empty());
  auto with = [&](std::string name, std::string value) {
    InboundMail copy = m;
    copy.headers.emplace_back(std::move(name), std::move(value));
    return no_auto_reply_reason(copy, "complaints@factory.example.cn");
  };
  CHECK(with("Auto-Submitted", "no").empty());
  CHECK(with("auto-submitted", "No (a person)").empty());
  CHECK_FALSE(with("Auto-Submitted", "auto-replied").empty());
  CHECK_FALSE(with("Auto-Submitted", "auto-generated").empty());
  CHECK_FALSE(with("List-Id", "<news.example.org>").empty());
  CHECK_FALSE(with("List-Unsubscribe", "<mailto:x@y>").empty());
  CHECK_FALSE(with("Precedence", "bulk").empty());
  CHECK_FALSE(with("Precedence", "JUNK").empty());
  CHECK(with("Precedence", "first-class").empty());
  CHECK_FALSE(with("Return-Path", "<>").empty());
  InboundMail daemon = m;
  daemon.from.email = "MAILER-DAEMON@mx.example.org";
  CHECK_FALSE(no_auto_reply_reason(daemon, "complaints@factory.example.cn").empty());
  InboundMail own = m;
  own.from.email = "Complaints@Factory.example.cn";
  CHECK_FALSE(no_auto_reply_reason(own, "complaints@factory.example.cn").empty());
}

constexpr std::string_view kMailTables = R"toml(
[[channel]]
id = "email"
[[party_type]]
id = "customer"
[[kind]]
id = "complaint"
ack = { external = "48h" }
resolve = { external = "5wd" }
requires = { external = ["party"] }
identity = "optional"
[[kind]]
id = "inquiry"
ack = { external = "48h" }
resolve = { external = "5wd" }
identity = "none"
[[rule]]
owner = "quality"
[mail]
kind = "inquiry"
unknown_kind = "inquiry"
channel = "email"
[[mail.rule]]
name = "complaints box"
when.to = "COMPLAINTS@"
when.subject = ["投诉", "8D"]
kind = "complaint"
owner = "sales"
)toml";

TEST_CASE("[mail] and [[mail.rule]] are read, and their mistakes named") {
  Config c = parse_config(test::config_text(kMailTables), "test.toml");
  CHECK(c.mail.kind == "inquiry");
  CHECK(c.mail.channel == "email");
  REQUIRE(c.mail.rules.size() == 1);
  CHECK(c.mail.rules[0].when.at("to") == std::vector<std::string>{"complaints@"});
  CHECK(c.mail.rules[0].when.at("subject") == std::vector<std::string>{"投诉", "8d"});
  auto error_of = [](const std::string& extra) {
    try {
      parse_config(test::config_text(std::string(kMailTables) + extra), "test.toml");
    } catch (const ConfigError& e) {
      return e.diagnostics().front().format(Lang::en);
    }
    return std::string("no error");
  };
  CHECK(error_of("[[mail.rule]]\nwhen.\"bad header:\" = \"x\"\nkind = \"inquiry\"\n").find("not a mail header name") != std::string::npos);
  CHECK(error_of("[[mail.rule]]\nwhen.to = \"\"\nkind = \"inquiry\"\n").find("empty text") != std::string::npos);
  CHECK(error_of("[[mail.rule]]\nwhen.to = []\nkind = \"inquiry\"\n").find("never matches") != std::string::npos);
  CHECK(error_of("[[mail.rule]]\nkind = \"complain\"\n").find("complaint") != std::string::npos);  // did you mean
  CHECK(error_of("[[mail.rule]]\nkind = \"inquiry\"\nto = \"x\"\n").find("unknown key") != std::string::npos);
}

STORE_TEST_CASE("mail_in files once, finds the party and the rule, and threads replies") {
  test::StoreFixture fx(test::config_text(kMailTables), test::bj(2026, 12, 1, 9), "boss", S{});
  Party svw = test::make_party("svw", "上汽大众", "customer");
  svw.email = "quality@svw.example.cn";
  add_party(fx.ctx, svw);

  // From the party's domain, to the complaints box, about a complaint: the rule's kind
  // and owner, the party by its domain, the sender as the protected identity.
  InboundMail m = inbound_from_json(parsed_message("齿轮箱投诉", "wang@svw.example.cn", "one@svw").dump());
  MailInResult filed = mail_in(fx.ctx, m, "raw");
  CHECK(filed.outcome == MailInResult::Outcome::filed);
  CHECK(filed.kind == "complaint");
  CHECK(filed.mail_rule == "complaints box");
  CHECK(filed.party == "svw");
  CHECK(filed.message_sha256 == sha256_hex("<one@svw>"));
  Record r = *fx.store->find_record(filed.ref);
  CHECK(r.owner == "sales");
  CHECK(r.channel == "email");
  CHECK(r.body == "您好：\n齿轮箱异响。\n");  // line ends made "\n"; no sender in the body
  auto identity = fx.store->find_identity(r.id);
  REQUIRE(identity);
  CHECK(identity->name == "王工 <wang@svw.example.cn>");
  auto* files = fx.store->attachment_store();
  REQUIRE(files);
  REQUIRE(files->attachments_for(r.id).size() == 1);
  CHECK(files->attachments_for(r.id)[0].name == "照片.jpg");  // no folder

  // Again: nothing new.
  MailInResult again = mail_in(fx.ctx, m, "raw");
  CHECK(again.outcome == MailInResult::Outcome::duplicate);
  CHECK(again.ref == filed.ref);

  // A reply naming the reference in its subject, and one naming the first message.
  InboundMail reply = inbound_from_json(parsed_message("Re: [" + filed.ref + "] 补充", "wang@svw.example.cn", "two@svw").dump());
  MailInResult logged = mail_in(fx.ctx, reply, "raw2");
  CHECK(logged.outcome == MailInResult::Outcome::logged);
  CHECK(logged.ref == filed.ref);
  InboundMail threaded = inbound_from_json(parsed_message("no reference", "x@elsewhere.example", "three@x").dump());
  threaded.in_reply_to = {"one@svw"};
  CHECK(mail_in(fx.ctx, threaded, "raw3").ref == filed.ref);
  auto events = fx.store->events_for(r.id);
  CHECK(json::parse(events.back().data).value("entry", "") == "email");
  // The complaint keeps identity apart: the entry does not name the sender's address.
  CHECK(json::parse(events.back().data).value("text", "").find("x@elsewhere.example") == std::string::npos);

  // An unknown sender, no rule matching: [mail] unknown_kind, the sender in the body.
  InboundMail stranger = inbound_from_json(parsed_message("请问证书", "a@unknown.example", "four@u").dump());
  stranger.headers = {{"To", "info@factory.example.cn"}};
  MailInResult inquiry = mail_in(fx.ctx, stranger, "raw4");
  CHECK(inquiry.kind == "inquiry");
  CHECK(inquiry.party.empty());
  CHECK(fx.store->find_record(inquiry.ref)->body.starts_with("From: 王工 <a@unknown.example>\n\n"));

  // A part over [attachments] max_size: the message's fault (DataError), nothing written.
  fx.config.attachments.max_size = 2;
  InboundMail big = inbound_from_json(parsed_message("大附件", "a@unknown.example", "five@u").dump());
  const auto last = fx.store->last_event_id();
  CHECK_THROWS_AS(mail_in(fx.ctx, big, "raw5"), DataError);
  CHECK(fx.store->last_event_id() == last);
}

}  // namespace
}  // namespace liaison
