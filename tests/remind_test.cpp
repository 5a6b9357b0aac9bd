// Tests of lib/mail/mail.cpp (RFC 5322 / RFC 2047 messages, delivery through a command) and
// lib/services/remind.cpp (who is reminded of what, and not twice within the interval). The
// planning tests use hand-made OverdueEntry values, so they do not depend on find_overdue.
// Calendar: Mon–Fri 08:30–12:00, 13:00–17:30, Asia/Shanghai, no holidays; September 2026:
// Mon 14, Fri 18, Mon 21.
#include "remind.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "chain.h"
#include "errors.h"
#include "fixture.h"
#include "mail.h"

namespace liaison {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using test::bj;

// --- a test-only decoder for what the encoder writes ------------------------------------

std::string base64_decode(std::string_view text) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0;
  std::uint32_t acc = 0;
  for (char c : text) {
    if (c == '=' || c == '\n' || c == '\r') continue;
    auto v = alphabet.find(c);
    REQUIRE(v != std::string::npos);
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

/// True if the bytes are whole UTF-8 characters.
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

/// Decodes a header value (folded, with RFC 2047 B words); checks each word on the way.
std::string decode_header(std::string_view value) {
  std::string unfolded;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\n') continue;  // a fold is "\n" before whitespace; the whitespace stays
    unfolded += value[i];
  }
  std::string out;
  std::size_t pos = 0;
  bool last_was_word = false;
  while (pos < unfolded.size()) {
    auto start = unfolded.find("=?UTF-8?B?", pos);
    std::string between = unfolded.substr(pos, start == std::string::npos ? std::string::npos : start - pos);
    // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
    if (!(last_was_word && start != std::string::npos && between.find_first_not_of(' ') == std::string::npos))
      out += between;
    if (start == std::string::npos) break;
    auto end = unfolded.find("?=", start + 10);
    REQUIRE(end != std::string::npos);
    std::string word = unfolded.substr(start, end + 2 - start);
    CHECK(word.size() <= 75);
    std::string bytes = base64_decode(unfolded.substr(start + 10, end - start - 10));
    CHECK_MESSAGE(valid_utf8(bytes), "an encoded word splits a character: " << word);
    out += bytes;
    pos = end + 2;
    last_was_word = true;
  }
  return out;
}

/// The header lines of a message, unfolded into name → raw (still folded) value.
std::map<std::string, std::string> headers_of(const std::string& message) {
  std::map<std::string, std::string> out;
  std::string head = message.substr(0, message.find("\n\n") + 1);
  std::string name;
  std::size_t pos = 0;
  while (pos < head.size()) {
    auto nl = head.find('\n', pos);
    std::string line = head.substr(pos, nl - pos);
    CHECK_MESSAGE(line.size() <= 78, "line longer than 78: " << line);
    if (line[0] == ' ' || line[0] == '\t') {
      out[name] += "\n" + line;
    } else {
      auto colon = line.find(": ");
      REQUIRE(colon != std::string::npos);
      name = line.substr(0, colon);
      CHECK_MESSAGE(out.count(name) == 0, "header twice: " << name);
      out[name] = line.substr(colon + 2);
    }
    pos = nl + 1;
  }
  return out;
}

std::string body_of(const std::string& message) {
  return base64_decode(message.substr(message.find("\n\n") + 2));
}

// --- RFC 2047 ------------------------------------------------------------------------

TEST_CASE("plain ASCII subjects are left as they are") {
  CHECK(encode_header_text("3 records overdue", 9) == "3 records overdue");
  CHECK(decode_header(encode_header_text("3 records overdue", 9)) == "3 records overdue");
}

TEST_CASE("a Chinese subject becomes UTF-8 B encoded words that decode back") {
  std::string subject = "【liaison】3 条记录已逾期";
  std::string encoded = encode_header_text(subject, 9);
  CHECK(encoded.rfind("=?UTF-8?B?", 0) == 0);
  CHECK(encoded.find_first_of("\r") == std::string::npos);
  for (unsigned char c : encoded) CHECK((c == '\n' || (c >= 0x20 && c < 0x7f)));
  CHECK(decode_header(encoded) == subject);
}

TEST_CASE("long subjects are split into words of at most 75 characters, between whole characters") {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "质量投诉";  // 160 characters of 3 bytes
  subject += " and some ASCII, then emoji 🙂🙂🙂 and more 中文 text at the end";
  for (std::size_t used : {9u, 20u, 40u}) {
    std::string encoded = encode_header_text(subject, used);
    CHECK(encoded.find('\n') != std::string::npos);  // folded
    // Every line fits in 78 characters, the first counting what the header name used.
    std::size_t line_start = 0;
    bool first = true;
    for (std::size_t i = 0; i <= encoded.size(); ++i) {
      if (i == encoded.size() || encoded[i] == '\n') {
        CHECK((i - line_start) + (first ? used : 0) <= 78);
        first = false;
        line_start = i + 1;
      }
    }
    CHECK(decode_header(encoded) == subject);  // also checks ≤ 75 and character boundaries per word
  }
}

TEST_CASE("a subject holding '=?' is encoded so it cannot be read as an encoded word") {
  std::string encoded = encode_header_text("a =?x?= b", 9);
  CHECK(encoded.rfind("=?UTF-8?B?", 0) == 0);
  CHECK(decode_header(encoded) == "a =?x?= b");
}

TEST_CASE("header injection is refused") {
  CHECK_THROWS_AS(encode_header_text("overdue\nBcc: everyone@example.com", 9), DataError);
  CHECK_THROWS_AS(encode_header_text("overdue\r", 9), DataError);
  MailMessage m;
  m.from = {"liaison", "liaison@example.cn"};
  m.to = {{"马军", "ma.jun@example.cn"}};
  m.subject = "ok";
  CHECK_NOTHROW(format_message(m));
  SUBCASE("in a display name") {
    m.to[0].name = "马军\r\nBcc: x@example.com";
    CHECK_THROWS_AS(format_message(m), DataError);
  }
  SUBCASE("in an address") {
    m.to[0].email = "ma.jun@example.cn\nBcc: x@example.com";
    CHECK_THROWS_AS(format_message(m), DataError);
  }
  SUBCASE("in the subject") {
    m.subject = "a\nb";
    CHECK_THROWS_AS(format_message(m), DataError);
  }
  SUBCASE("in the message id") {
    m.message_id = "x@y\nBcc: z@example.com";
    CHECK_THROWS_AS(format_message(m), DataError);
  }
  SUBCASE("in an extra header") {
    m.extra_headers.emplace_back("X-Test", "a\nb");
    CHECK_THROWS_AS(format_message(m), DataError);
  }
  SUBCASE("an address that is not one") {
    m.to[0].email = "ma jun <x>";
    CHECK_THROWS_AS(format_message(m), DataError);
  }
}

TEST_CASE("format_message writes RFC 5322 headers and a base64 UTF-8 body") {
  MailMessage m;
  m.from = {"江苏某智能科技有限公司", "liaison@example.cn"};
  m.to = {{"马军", "ma.jun@example.cn"}};
  m.subject = "【liaison】2 条记录已逾期";
  m.body = "马军，您好：\n\n第二行\n";
  m.date = TimePoint{date::sys_days{date::year{2026} / 9 / 21}} + hours{1};  // 09:00 +08:00
  m.utc_offset = 8 * 3600;
  m.message_id = "remind.1.abc@example.cn";
  m.extra_headers.emplace_back("Auto-Submitted", "auto-generated");
  std::string text = format_message(m);
  auto h = headers_of(text);
  CHECK(decode_header(h["From"]) == "江苏某智能科技有限公司 <liaison@example.cn>");
  CHECK(decode_header(h["To"]) == "马军 <ma.jun@example.cn>");
  CHECK(decode_header(h["Subject"]) == m.subject);
  CHECK(h["Date"] == "Mon, 21 Sep 2026 09:00:00 +0800");
  CHECK(h["Message-ID"] == "<remind.1.abc@example.cn>");
  CHECK(h["MIME-Version"] == "1.0");
  CHECK(h["Content-Type"] == "text/plain; charset=UTF-8");
  CHECK(h["Content-Transfer-Encoding"] == "base64");
  CHECK(h["Auto-Submitted"] == "auto-generated");
  CHECK(body_of(text) == "马军，您好：\r\n\r\n第二行\r\n");  // canonical CRLF form
  std::string body = text.substr(text.find("\n\n") + 2);
  for (std::size_t i = 0, start = 0; i < body.size(); ++i)
    if (body[i] == '\n') {
      CHECK(i - start <= 76);
      start = i + 1;
    }
}

TEST_CASE("display names with specials are quoted; mailboxes parse") {
  MailMessage m;
  m.from = parse_mailbox("Quality, Dept. <q@example.cn>");
  CHECK(m.from.name == "Quality, Dept.");
  CHECK(m.from.email == "q@example.cn");
  m.to = {{"", "x@example.cn"}};
  std::string text = format_message(m);
  CHECK(headers_of(text)["From"] == "\"Quality, Dept.\" <q@example.cn>");
  CHECK(headers_of(text)["To"] == "x@example.cn");
  CHECK(parse_mailbox("liaison@example.cn").name.empty());
  CHECK_THROWS_AS(parse_mailbox("not an address"), DataError);
}

TEST_CASE("rfc5322_date in other offsets") {
  TimePoint t = TimePoint{date::sys_days{date::year{2026} / 1 / 1}};
  CHECK(rfc5322_date(t, 0) == "Thu, 1 Jan 2026 00:00:00 +0000");
  CHECK(rfc5322_date(t, -(5 * 3600 + 30 * 60)) == "Wed, 31 Dec 2025 18:30:00 -0530");
}

// --- delivery ------------------------------------------------------------------------

TEST_CASE("split_command splits on spaces, no shell") {
  CHECK(split_command("/usr/sbin/sendmail -t -oi") == std::vector<std::string>{"/usr/sbin/sendmail", "-t", "-oi"});
  CHECK(split_command("  a   'b c'  ") == std::vector<std::string>{"a", "'b", "c'"});
  CHECK(split_command("").empty());
}

TEST_CASE("deliver pipes the message to the command and reports its exit status") {
  namespace fs = std::filesystem;
  test::TempDir tmp;
  const fs::path& dir = tmp.path();
  fs::path script = dir / "fake-sendmail";
  {
    std::ofstream s(script);
    s << "#!/bin/sh\ncat > \"$1\"\nexit \"${2:-0}\"\n";
  }
  fs::permissions(script, fs::perms::owner_all);
  std::string message = "Subject: x\n\nhello\n";

  DeliveryResult ok = deliver(script.string() + " " + (dir / "out").string(), message);
  CHECK(ok.ok);
  std::ifstream in(dir / "out");
  std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(got == message);

  DeliveryResult failed = deliver(script.string() + " " + (dir / "out2").string() + " 75", message);
  CHECK_FALSE(failed.ok);
  CHECK(failed.error.english().find("exited with status 75") != std::string::npos);

  DeliveryResult missing = deliver((dir / "no-such-command").string() + " -t", message);
  CHECK_FALSE(missing.ok);
  CHECK(missing.error.english().find("cannot run") != std::string::npos);

  // A command that reads nothing: no SIGPIPE kills us, and it does not count as sent.
  DeliveryResult unread = deliver("true", std::string(1 << 20, 'x'));
  CHECK_FALSE(unread.ok);
}

TEST_CASE("deliver kills a command that hangs, reading or not, once the timeout has passed") {
  namespace fs = std::filesystem;
  test::TempDir tmp;
  // Never exits and never reads its input, so a message bigger than a pipe also blocks the write.
  fs::path script = tmp.path() / "hanging-sendmail";
  {
    std::ofstream s(script);
    s << "#!/bin/sh\nexec tail -f /dev/null\n";
  }
  fs::permissions(script, fs::perms::owner_all);
  for (std::size_t size : {std::size_t{20}, std::size_t{1} << 20}) {
    CAPTURE(size);
    DeliveryResult hung = deliver(script.string(), std::string(size, 'x'), std::chrono::seconds{1});
    CHECK_FALSE(hung.ok);
    CHECK(hung.error.english() == script.string() + " did not finish within 1 s and was stopped ([remind] timeout)");
  }
  // One that finishes well inside its time is not affected.
  DeliveryResult quick = deliver("cat", "Subject: x\n\nhello\n", std::chrono::seconds{600});
  CHECK(quick.ok);
}

// --- planning ------------------------------------------------------------------------

// The shared organisation without holidays, and people with names and mail addresses: dave
// and the departments gm and hr have none, so they cannot be reached by mail.
const std::string kConfig = std::string(test::kOrganization) + R"toml(

[[department]]
id = "gm"
name = "总经理办公室"
head = "boss"

[[department]]
id = "quality"
name = "品质部"
head = "wei"
members = ["li"]
email = "quality@example.cn"

[[department]]
id = "sales"
name = "销售部"
head = "dave"
members = ["zoe"]
email = "sales@example.cn"

[[department]]
id = "hr"
name = "人力资源部"

[[user]]
id = "boss"
name = "周总"
department = "gm"
roles = ["top"]
email = "boss@example.cn"

[[user]]
id = "wei"
name = "魏俊"
department = "quality"
roles = ["head"]
email = "wei@example.cn"

[[user]]
id = "li"
name = "李娜"
department = "quality"
email = "li@example.cn"

[[user]]
id = "dave"
department = "sales"
roles = ["head"]

[[user]]
id = "zoe"
name = "Zoe"
department = "sales"
email = "zoe@example.cn"

[[kind]]
id = "complaint"
name = "投诉"
name_en = "complaint"
resolve = { internal = "3wd", external = "5wd" }
)toml";

struct Plan {
  Config config = [] {
    Config c = parse_config(kConfig, "test.toml");
    c.remind.from = "liaison@example.cn";
    c.remind.interval = *Duration::parse("1wd");
    c.remind.escalate = {RemindStep{*Duration::parse("2wd"), "head", {}}, RemindStep{*Duration::parse("5wd"), "top", {}}};
    return c;
  }();
  WorkCalendar calendar{config.calendar};
  TimePoint now = bj(2026, 9, 21, 9);  // Monday

  OverdueEntry entry(std::int64_t id, std::string owner, std::string assignee, TimePoint due,
                     std::string obligation = "resolve") const {
    OverdueEntry e;
    e.record_id = id;
    e.ref = "EXT-2026-0000" + std::to_string(id);
    e.kind = "complaint";
    e.direction = Direction::external;
    e.owner = std::move(owner);
    e.assignee = std::move(assignee);
    e.subject = "焊点开裂 " + std::to_string(id);
    e.obligation = std::move(obligation);
    e.due = due;
    e.overdue = due < now;
    e.late_working_days = calendar.working_days_between(due, now);
    return e;
  }
};

std::vector<std::string> recipients(const ReminderPlan& p) {
  std::vector<std::string> out;
  for (const auto& r : p.reminders) out.push_back(r.to.id);
  return out;
}

TEST_CASE("recipients: the assignee, else the owner's head, else its mailbox; plus the escalation chain") {
  Plan t;
  std::vector<OverdueEntry> entries = {
      t.entry(1, "quality", "li", bj(2026, 9, 18, 17, 30)),  // 1 wd late: the assignee only
      t.entry(2, "quality", "", bj(2026, 9, 15, 17, 30)),    // 4 wd late: the head (once, though "head" applies)
      t.entry(3, "sales", "zoe", bj(2026, 9, 14, 17, 30)),   // 5 wd late: zoe, sales' head → mailbox, top
      t.entry(4, "hr", "", bj(2026, 9, 18, 17, 30)),         // nobody has an address
  };
  CHECK(entries[2].late_working_days == 5);
  ReminderPlan plan = plan_reminders(entries, t.config, t.calendar, t.now, {});
  CHECK(recipients(plan) == std::vector<std::string>{"li", "wei", "zoe", "sales", "boss"});
  CHECK(plan.reminders[0].items[0].reason == "assignee");
  CHECK(plan.reminders[1].items.size() == 1);
  CHECK(plan.reminders[1].items[0].reason == "owner-head");
  CHECK(plan.reminders[3].to.department);
  CHECK(plan.reminders[3].to.email == "sales@example.cn");
  CHECK(plan.reminders[3].items[0].reason == "escalation");
  CHECK(plan.reminders[3].items[0].after == "2wd");
  CHECK(plan.reminders[4].items[0].after == "5wd");
  REQUIRE(plan.unreachable.size() == 1);
  CHECK(plan.unreachable[0].english().rfind("EXT-2026-00004: no e-mail address for", 0) == 0);
  CHECK(plan.already_sent == 0);
}

TEST_CASE("one message per recipient, listing all their records; entries not yet overdue are left out") {
  Plan t;
  std::vector<OverdueEntry> entries = {
      t.entry(1, "quality", "li", bj(2026, 9, 18, 17, 30), "ack"),
      t.entry(1, "quality", "li", bj(2026, 9, 18, 17, 30), "resolve"),
      t.entry(5, "quality", "li", bj(2026, 9, 18, 12, 0)),
      t.entry(6, "quality", "li", bj(2026, 9, 22, 17, 30)),  // due tomorrow: not overdue
  };
  ReminderPlan plan = plan_reminders(entries, t.config, t.calendar, t.now, {});
  REQUIRE(plan.reminders.size() == 1);
  CHECK(plan.reminders[0].items.size() == 3);
  CHECK(plan.reminders[0].record_count() == 2);
}

TEST_CASE("a reminder is not repeated within the interval, per record, obligation and recipient") {
  Plan t;
  std::vector<OverdueEntry> entries = {
      t.entry(1, "quality", "li", bj(2026, 9, 18, 17, 30)),
      t.entry(3, "sales", "zoe", bj(2026, 9, 14, 17, 30)),
  };
  std::vector<SentReminder> sent = {
      {1, "resolve", "li", bj(2026, 9, 18, 10)},  // Friday: one working day has begun since
      {3, "resolve", "zoe", bj(2026, 9, 21, 8)},  // an hour ago
      {3, "ack", "sales", bj(2026, 9, 21, 8)},    // another obligation: does not count
      {3, "resolve", "boss", t.now},              // just now
  };
  ReminderPlan plan = plan_reminders(entries, t.config, t.calendar, t.now, sent);
  CHECK(recipients(plan) == std::vector<std::string>{"li", "sales"});
  CHECK(plan.already_sent == 2);

  SUBCASE("running twice sends nothing new") {
    std::vector<SentReminder> all = sent;
    for (const auto& r : plan.reminders)
      for (const auto& i : r.items) all.push_back({i.entry.record_id, i.entry.obligation, r.to.id, t.now});
    ReminderPlan again = plan_reminders(entries, t.config, t.calendar, t.now + minutes{1}, all);
    CHECK(again.reminders.empty());
  }
  SUBCASE("the next working day it goes again") {
    ReminderPlan tuesday = plan_reminders(entries, t.config, t.calendar, bj(2026, 9, 22, 8, 30), sent);
    // INT-1 is two working days late by now: its owner's head joins.
    CHECK(recipients(tuesday) == std::vector<std::string>{"li", "wei", "zoe", "sales", "boss"});
  }
}

TEST_CASE("escalation steps naming a department or a user") {
  Plan t;
  t.config.remind.escalate = {RemindStep{*Duration::parse("1wd"), "quality", {}},
                              RemindStep{*Duration::parse("1wd"), "gm", {}},    // no mailbox: its head
                              RemindStep{*Duration::parse("1wd"), "zoe", {}},
                              RemindStep{*Duration::parse("1wd"), "dave", {}}};  // no address
  ReminderPlan plan = plan_reminders({t.entry(1, "quality", "li", bj(2026, 9, 18, 17, 30))}, t.config,
                                     t.calendar, t.now, {});
  CHECK(recipients(plan) == std::vector<std::string>{"li", "quality", "boss", "zoe"});
  REQUIRE(plan.unreachable.size() == 1);
  CHECK(plan.unreachable[0].english().find("\"dave\"") != std::string::npos);
}

TEST_CASE("reminder_lang: the user's lang, else the organisation's, else the command's") {
  Plan t;
  Config& c = t.config;
  ReminderRecipient li{"li", "李娜", "li@example.cn", false};
  ReminderRecipient sales{"sales", "销售部", "sales@example.cn", true};
  CHECK(reminder_lang(li, c, Lang::en) == Lang::en);
  CHECK(reminder_lang(li, c, Lang::zh) == Lang::zh);
  c.organization.lang = "zh";
  CHECK(reminder_lang(li, c, Lang::en) == Lang::zh);
  CHECK(reminder_lang(sales, c, Lang::en) == Lang::zh);
  for (auto& u : c.users)
    if (u.id == "li") u.lang = "en";
  CHECK(reminder_lang(li, c, Lang::zh) == Lang::en);
  // A department mailbox named like a user does not take that user's lang.
  ReminderRecipient li_box{"li", "box", "box@example.cn", true};
  CHECK(reminder_lang(li_box, c, Lang::en) == Lang::zh);
  // The mail in that language: a Chinese greeting, no "Hello".
  c.organization.lang = "zh";
  ReminderPlan plan = plan_reminders({t.entry(1, "quality", "wei", bj(2026, 9, 16, 17, 30))}, c, t.calendar, t.now, {});
  REQUIRE(!plan.reminders.empty());
  MailMessage m = reminder_message(plan.reminders[0], c, t.calendar, reminder_lang(plan.reminders[0].to, c, Lang::en), t.now);
  CHECK(m.body.find("魏俊，您好") != std::string::npos);
  CHECK(m.body.find("Hello") == std::string::npos);
}

TEST_CASE("reminder_lookback covers the interval and no more") {
  Plan t;
  Duration wd = *Duration::parse("1wd");
  CHECK(reminder_lookback(t.calendar, t.now, wd) == bj(2026, 9, 21, 0));
  CHECK(reminder_lookback(t.calendar, t.now, *Duration::parse("2wd")) == bj(2026, 9, 18, 0));
  CHECK(reminder_lookback(t.calendar, t.now, *Duration::parse("24h")) == t.now - hours{24});
  // 4 working hours before Monday 09:00: Friday afternoon.
  TimePoint wh = reminder_lookback(t.calendar, t.now, *Duration::parse("4wh"));
  CHECK(wh <= bj(2026, 9, 18, 14));
  CHECK(t.calendar.has_elapsed(wh - std::chrono::seconds{1}, t.now, *Duration::parse("4wh")));
}

TEST_CASE("the reminder message: Chinese and English") {
  Plan t;
  t.config.remind.escalate.clear();
  ReminderPlan plan = plan_reminders({t.entry(1, "quality", "li", bj(2026, 9, 18, 17, 30)),
                                      t.entry(5, "quality", "li", bj(2026, 9, 16, 17, 30))},
                                     t.config, t.calendar, t.now, {});
  REQUIRE(plan.reminders.size() == 1);
  MailMessage zh = reminder_message(plan.reminders[0], t.config, t.calendar, Lang::zh, t.now);
  CHECK(zh.subject == "【liaison】2 条记录已逾期");
  CHECK(zh.from.email == "liaison@example.cn");
  CHECK(zh.from.name == "测试有限公司");
  CHECK(zh.to[0].name == "李娜");
  CHECK(zh.body.find("李娜，您好") != std::string::npos);
  CHECK(zh.body.find("EXT-2026-00001  焊点开裂 1") != std::string::npos);
  CHECK(zh.body.find("2026-09-18 17:30 (+08:00)") != std::string::npos);
  CHECK(zh.body.find("1 个工作日") != std::string::npos);
  CHECK(zh.body.find("3 个工作日") != std::string::npos);
  CHECK(zh.body.find("品质部 (quality)") != std::string::npos);
  CHECK(zh.message_id.find("@example.cn") != std::string::npos);
  std::string wire = format_message(zh);
  CHECK(decode_header(headers_of(wire)["Subject"]) == zh.subject);
  CHECK(headers_of(wire)["Date"] == "Mon, 21 Sep 2026 09:00:00 +0800");

  MailMessage en = reminder_message(plan.reminders[0], t.config, t.calendar, Lang::en, t.now);
  CHECK(en.subject == "[liaison] 2 records overdue");
  CHECK(en.body.find("3 working days") != std::string::npos);
  CHECK(en.body.find("resolve and close (resolve)") != std::string::npos);
  CHECK(en.message_id == zh.message_id);  // same reminder, same id
}

STORE_TEST_CASE("record_reminder appends one reminded event per item, and sent_reminders reads the newest back") {
  Plan t;
  test::StoreFixture fx(t.config, bj(2026, 9, 14, 9), "boss", S{});
  FileRequest req;
  req.kind = "complaint";
  req.subject = "焊点开裂";
  req.owner = "quality";
  req.assignee = "li";
  Record r = file_record(fx.ctx, req).record;

  OverdueEntry e = t.entry(r.id, "quality", "li", bj(2026, 9, 17, 17, 30));
  e.ref = r.ref;
  Reminder reminder{ReminderRecipient{"li", "李娜", "li@example.cn", false}, {ReminderItem{e, "assignee", ""}}};
  fx.ctx.now = bj(2026, 9, 18, 9);
  record_reminder(fx.ctx, reminder, "m1@example.cn");
  fx.ctx.now = t.now;
  record_reminder(fx.ctx, reminder, "m2@example.cn");

  auto events = fx.store->events_for(r.id);
  REQUIRE(events.size() == 3);
  CHECK(events[2].type == "reminded");
  CHECK(events[2].actor == "boss");
  auto data = nlohmann::json::parse(events[2].data);
  CHECK(data["to"] == "li");
  CHECK(data["email"] == "li@example.cn");
  CHECK(data["obligation"] == "resolve");
  CHECK(data["late_working_days"] == 2);
  CHECK(data["due"] == "2026-09-17T17:30:00+08:00");
  CHECK(data["message_id"] == "m2@example.cn");
  CHECK(verify_chain(*fx.store).ok);

  // Only users the config lists (not auditors) record reminders: cron's own account may not.
  fx.ctx.actor = "cron";
  CHECK_THROWS_AS(record_reminder(fx.ctx, reminder, "m3@example.cn"), PermissionError);
  CHECK(fx.store->events_for(r.id).size() == 3);

  auto sent = sent_reminders(*fx.store, bj(2026, 9, 1, 0));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].record_id == r.id);
  CHECK(sent[0].to == "li");
  CHECK(sent[0].obligation == "resolve");
  CHECK(sent[0].at == t.now);
  CHECK(sent_reminders(*fx.store, t.now + std::chrono::seconds{1}).empty());
}

}  // namespace
TEST_CASE("each reminder says no more than its recipient may read") {
  Plan t;
  // Everyone here has the default clearance, internal.
  OverdueEntry open = t.entry(1, "quality", "li", bj(2026, 9, 18, 17, 30));
  open.level = "internal";
  OverdueEntry secret = t.entry(2, "quality", "li", bj(2026, 9, 18, 17, 30));
  secret.level = "secret";
  secret.subject = "董事会机密";
  Reminder to_li{ReminderRecipient{"li", "李娜", "li@example.cn", false},
                 {ReminderItem{open, "assignee", ""}, ReminderItem{secret, "assignee", ""}}};
  Reminder seen = redact_for_recipient(to_li, t.config, Lang::zh);
  CHECK(seen.items[0].entry.subject == open.subject);
  CHECK(seen.items[1].entry.subject == "[机密]");
  MailMessage m = reminder_message(seen, t.config, t.calendar, Lang::zh, t.now);
  CHECK(m.body.find("董事会机密") == std::string::npos);
  CHECK(m.body.find("[机密]") != std::string::npos);
  // A department's mailbox: the lowest clearance among its people.
  Reminder to_quality{ReminderRecipient{"quality", "品质部", "quality@example.cn", true},
                      {ReminderItem{secret, "owner-department", ""}}};
  CHECK(redact_for_recipient(to_quality, t.config, Lang::en).items[0].entry.subject == "[confidential]");
  // A dry run shows the mail to the acting user too.
  Config cleared = t.config;
  for (auto& u : cleared.users) u.clearance = "top-secret";
  CHECK(redact_for_recipient(to_li, cleared, Lang::en).items[1].entry.subject == "董事会机密");
  Access viewer(t.config, "dave");
  CHECK(redact_for_recipient(to_li, cleared, Lang::en, &viewer).items[1].entry.subject == "[confidential]");
}

}  // namespace liaison
