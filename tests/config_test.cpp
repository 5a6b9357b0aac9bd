// Config parsing and validation (lib/config/config.cpp): every message, defaults, JSON.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "config.h"

using namespace liaison;

namespace {

/// Every diagnostic (errors and warnings) of a config that fails, formatted; empty if it parses.
std::vector<std::string> diagnostics_of(const std::string& text) {
  try {
    parse_config(text, "test.toml");
  } catch (const ConfigError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) out.push_back(d.format());
    return out;
  }
  return {};
}

/// The single diagnostic of a config expected to have exactly one problem.
std::string only_error(const std::string& text) {
  auto all = diagnostics_of(text);
  REQUIRE(all.size() == 1);
  return all.front();
}

/// True if some diagnostic contains `needle`.
bool mentions(const std::vector<std::string>& diagnostics, const std::string& needle) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [&](const std::string& d) { return d.find(needle) != std::string::npos; });
}

/// A valid organisation that the snippets below add to or break.
const std::string kBase = R"toml([organization]
name = "Test Co"
timezone = "Asia/Shanghai"
top = "gm"

[[department]]
id = "gm"
head = "boss"

[[department]]
id = "quality"
head = "wei"

[[department]]
id = "purchasing"
head = "wei"

[[user]]
id = "boss"
department = "gm"
roles = ["top"]

[[user]]
id = "wei"
department = "quality"
clearance = "secret"

[[channel]]
id = "email"

[[channel]]
id = "phone"

[[party_type]]
id = "customer"

[[party_type]]
id = "supplier"

[[kind]]
id = "complaint"
ack = { internal = "24h", external = "48h" }
resolve = { internal = "3wd", external = "5wd" }
channels = ["email"]
)toml";

/// Number of lines in kBase, so snippets appended to it can name exact lines.
int base_lines() { return static_cast<int>(std::count(kBase.begin(), kBase.end(), '\n')); }

/// "test.toml:LINE:COL: " for line `n` of a snippet appended to kBase.
std::string at(int n, int column) {
  return "test.toml:" + std::to_string(base_lines() + n) + ":" + std::to_string(column) + ": ";
}

}  // namespace

TEST_CASE("Diagnostic::format") {
  Diagnostic d;
  d.file = "liaison.toml";
  d.pos = {42, 11};
  d.message = msg<Msg::cfg_unknown>("rule 3 owner", msg<Msg::cfg_noun_department>(), "purchase");
  d.hint = msg<Msg::did_you_mean>("purchasing");
  CHECK(d.format() == "liaison.toml:42:11: error: rule 3 owner: unknown department \"purchase\" (did you mean \"purchasing\"?)");
  d.severity = Diagnostic::Severity::warning;
  d.hint = {};
  CHECK(d.format() == "liaison.toml:42:11: warning: rule 3 owner: unknown department \"purchase\"");
  d.pos = {};
  CHECK(d.format() == "liaison.toml: warning: rule 3 owner: unknown department \"purchase\"");
  // In Chinese: the words translated, the location and the names as written.
  CHECK(d.format(Lang::zh) == "liaison.toml：警告：rule 3 owner：部门 \"purchase\" 不存在");
  d.hint = msg<Msg::did_you_mean>("purchasing");
  d.severity = Diagnostic::Severity::error;
  CHECK(d.format(Lang::zh) == "liaison.toml：错误：rule 3 owner：部门 \"purchase\" 不存在（是否是指 \"purchasing\"？）");
}

TEST_CASE("did_you_mean suggests the closest name within a third of its length") {
  const std::vector<std::string> departments{"quality", "purchasing", "sales", "gm"};
  CHECK(did_you_mean("purchase", departments) == "purchasing");
  CHECK(did_you_mean("qualtiy", departments) == "quality");  // transposition counts once
  CHECK(did_you_mean("sale", departments) == "sales");
  CHECK(did_you_mean("hr", departments) == std::nullopt);
  CHECK(did_you_mean("marketing", departments) == std::nullopt);
  CHECK(did_you_mean("resolv", {"ack", "resolve", "retention"}) == "resolve");
  CHECK(did_you_mean("x", {}) == std::nullopt);
  CHECK(did_you_mean("品质", {"品质部", "销售部"}) == "品质部");  // counted in characters, not bytes
}

TEST_CASE("a TOML syntax error is one diagnostic at the parser's position") {
  auto all = diagnostics_of("[organization\nname = \"x\"\n");
  REQUIRE(all.size() == 1);
  CHECK(all[0].starts_with("test.toml:1:14: error: TOML syntax error: "));
  CHECK(mentions(all, "expected ']'"));
  auto redefined = only_error("a = 1\na = 2\n");
  CHECK(redefined.starts_with("test.toml:2:5: error: TOML syntax error: "));
}

TEST_CASE("a table header no key can start is a syntax error, not an abort (toml++ 3.3, found by tests/fuzz)") {
  // toml++'s table-header parser asserts what it has not checked (lib/config/tomlpp.h);
  // a build with assertions on aborted on these.
  CHECK(only_error("[*") == "test.toml:1:2: error: TOML syntax error: Error while parsing key: expected bare key "
                            "starting character or string delimiter, saw '*' (fix the syntax here; see liaison.toml(5))");
  for (const char* text : {"[[[1]]]\n", "[[=\n", "[organization]\n[ *]\n"}) {
    CAPTURE(text);
    CHECK(only_error(text).find(": error: TOML syntax error: ") != std::string::npos);
  }
}

TEST_CASE("characters toml++ 3.3 cannot classify as whitespace or not (found by tests/fuzz)") {
  // Its whitespace test reaches __builtin_unreachable() for 、。「」, Cyrillic … (the
  // comment in CMakeLists.txt); the sanitizer build runs these with that check off for the
  // parser and they must come out as if the answer were "not whitespace".
  CHECK(only_error("[organization]\nname = 、\n") ==
        "test.toml:2:8: error: TOML syntax error: Error while parsing value: could not determine value type "
        "(fix the syntax here; see liaison.toml(5))");
  CHECK(only_error("[ϓ") == "test.toml:1:2: error: TOML syntax error: Error while parsing key: expected bare key "
                                   "starting character or string delimiter, saw 'ϓ' (fix the syntax here; see "
                                   "liaison.toml(5))");
  // Valid TOML: a line-ending backslash in a """ string skips the line break and the
  // indentation up to the first character that is not whitespace.
  Config c = parse_config(kBase + "\n[[channel]]\nid = \"fax\"\nname = \"\"\"\\\n  。传真 §\"\"\"\n", "test.toml");
  REQUIRE(c.channel("fax"));
  CHECK(c.channel("fax")->name == "。传真 §");
}

TEST_CASE("unknown keys are reported at the key with a suggestion") {
  CHECK(only_error("[organization]\nnmae = \"x\"\n") ==
        "test.toml:2:1: error: [organization]: unknown key \"nmae\" (did you mean \"name\"?)");
  CHECK(only_error("[calender]\n") ==
        "test.toml:1:2: error: top level: unknown key \"calender\" (did you mean \"calendar\"?)");
  auto kind = diagnostics_of(kBase + "\n[[kind]]\nid = \"inquiry\"\nresolv = \"3wd\"\n");
  REQUIRE(kind.size() == 1);
  CHECK(kind[0] == at(4, 1) + "error: kind \"inquiry\": unknown key \"resolv\" (did you mean \"resolve\"?)");
  // No suggestion when nothing is close: the known keys are listed instead.
  CHECK(only_error("[store]\nzzz = 1\n") == "test.toml:2:1: error: [store]: unknown key \"zzz\" (known keys: path, url, mode)");
}

TEST_CASE("wrong value types name what was expected and what was found") {
  CHECK(only_error("[organization]\nname = 42\n") ==
        "test.toml:2:8: error: [organization] name: expected a string, got an integer (put the value in quotes: name = \"…\")");
  CHECK(only_error("[[kind]]\nid = \"k\"\nreply_required = \"yes\"\n") ==
        "test.toml:3:18: error: kind \"k\" reply_required: expected a boolean, got a string "
        "(write reply_required = true or reply_required = false)");
  CHECK(only_error("[[kind]]\nid = \"k\"\nchannels = \"email\"\n") ==
        "test.toml:3:12: error: kind \"k\" channels: expected an array of strings, got a string "
        "(write channels = [\"…\", \"…\"])");
  CHECK(only_error("[department]\nid = \"d\"\n") ==
        "test.toml:1:1: error: department: expected an array of tables, got a table (write [[department]] before each entry)");
  CHECK(only_error("[calendar]\nworkdays = [\"mon\", 2]\n") ==
        "test.toml:2:20: error: [calendar] workdays: expected a string, got an integer (put each value in quotes)");
}

TEST_CASE("duplicate ids") {
  auto all = diagnostics_of(kBase + "\n[[department]]\nid = \"quality\"\n");
  REQUIRE(all.size() == 1);
  CHECK(all[0] == at(3, 6) + "error: duplicate department id \"quality\" "
                              "(first defined at line 11; give each department its own id)");
  CHECK(mentions(diagnostics_of(kBase + "[[user]]\nid = \"wei\"\ndepartment = \"gm\"\n"), "duplicate user id \"wei\""));
  CHECK(mentions(diagnostics_of(kBase + "[[kind]]\nid = \"complaint\"\n"), "duplicate kind id \"complaint\""));
  CHECK(mentions(diagnostics_of(kBase + "[[channel]]\nid = \"email\"\n"), "duplicate channel id \"email\""));
  CHECK(mentions(diagnostics_of(kBase + "[[party_type]]\nid = \"customer\"\n"), "duplicate party_type id \"customer\""));
}

TEST_CASE("missing and invalid ids") {
  CHECK(only_error("[[channel]]\nname = \"Fax\"\n") == "test.toml:1:1: error: [[channel]] #1: missing id (add id = \"…\")");
  CHECK(mentions(diagnostics_of("[[channel]]\nid = \"two words\"\n"), "invalid id \"two words\""));
}

TEST_CASE("unknown references everywhere, with did-you-mean") {
  const std::string text = kBase + R"toml(
[[department]]
id = "sales"
head = "wie"
members = ["bos"]
parent = "gn"

[[user]]
id = "li"
department = "qualty"
clearance = "secrt"

[[kind]]
id = "inquiry"
channels = ["emial"]

[[rule]]
when = { kind = "complain", party_type = "custmer", channel = "phnoe", from_dept = "purchasng", level = "internl", direction = "externl", flow = "upwards" }
owner = "purchase"
assignee = "wie"
notify = ["qualty"]
escalate = "gn"
)toml";
  auto all = diagnostics_of(text);
  const std::vector<std::string> expected{
      at(4, 8) + "error: department \"sales\" head: unknown user \"wie\" (did you mean \"wei\"?)",
      at(5, 12) + "error: department \"sales\" members: unknown user \"bos\" (did you mean \"boss\"?)",
      at(6, 10) + "error: department \"sales\" parent: unknown department \"gn\" (did you mean \"gm\"?)",
      at(10, 14) + "error: user \"li\" department: unknown department \"qualty\" (did you mean \"quality\"?)",
      at(11, 13) + "error: user \"li\" clearance: unknown level \"secrt\" (did you mean \"secret\"?)",
      at(15, 13) + "error: kind \"inquiry\" channels: unknown channel \"emial\" (did you mean \"email\"?)",
      at(18, 17) + "error: rule 1 when.kind: unknown kind \"complain\" (did you mean \"complaint\"?)",
      at(18, 42) + "error: rule 1 when.party_type: unknown party type \"custmer\" (did you mean \"customer\"?)",
      at(18, 63) + "error: rule 1 when.channel: unknown channel \"phnoe\" (did you mean \"phone\"?)",
      at(18, 84) + "error: rule 1 when.from_dept: unknown department \"purchasng\" (did you mean \"purchasing\"?)",
      at(18, 105) + "error: rule 1 when.level: unknown level \"internl\" (did you mean \"internal\"?)",
      at(18, 128) + "error: rule 1 when.direction: unknown direction \"externl\" (did you mean \"external\"?)",
      at(18, 146) + "error: rule 1 when.flow: unknown flow \"upwards\" (did you mean \"upward\"?)",
      at(19, 9) + "error: rule 1 owner: unknown department \"purchase\" (did you mean \"purchasing\"?)",
      at(20, 12) + "error: rule 1 assignee: unknown user \"wie\" (did you mean \"wei\"?)",
      at(21, 11) + "error: rule 1 notify: unknown department \"qualty\" (did you mean \"quality\"?)",
      at(22, 12) + "error: rule 1 escalate: unknown department \"gn\" (did you mean \"gm\"?)",
  };
  CHECK(all == expected);
  // organization.top, and a name with nothing close lists what is known.
  CHECK(only_error("[organization]\ntop = \"boardroom\"\n[[department]]\nid = \"gm\"\n") ==
        "test.toml:2:7: error: [organization] top: unknown department \"boardroom\" (known departments: gm)");
  CHECK(only_error("[organization]\ntop = \"gm\"\n") ==
        "test.toml:2:7: error: [organization] top: unknown department \"gm\" (no department is defined)");
}

TEST_CASE("every problem is reported at once, in file order") {
  const std::string text = R"toml([organization]
timezone = "Mars/Olympus"
[calendar]
workdays = ["mon", "tuesday", "fryday"]
hours = ["9:00-17:00", "12:00-13:00"]
[[kind]]
id = "k"
ack = "3 days"
)toml";
  try {
    parse_config(text, "test.toml");
    FAIL("expected a ConfigError");
  } catch (const ConfigError& e) {
    CHECK(e.code() == ExitCode::config);
    CHECK(std::string(e.what()) == "test.toml: 4 errors in the configuration");
    const auto& d = e.diagnostics();
    REQUIRE(d.size() == 4);
    CHECK(d[0].pos.line == 2);
    CHECK(d[0].message.english() == "[organization] timezone: unknown time zone \"Mars/Olympus\"");
    CHECK(d[1].pos.line == 4);
    CHECK(d[1].message.english() == "[calendar] workdays: unknown weekday \"fryday\"");
    CHECK(d[1].hint.english() == "did you mean \"friday\"?");
    CHECK(d[2].pos.line == 5);
    CHECK(d[2].message.english() == "[calendar] hours: time range \"12:00-13:00\" overlaps \"9:00-17:00\"");
    CHECK(d[3].pos.line == 8);
    CHECK(d[3].message.english() == "kind \"k\" ack: malformed duration \"3 days\"");
  }
}

TEST_CASE("a ConfigError's own message counts the errors; the diagnostics carry them") {
  try {
    parse_config("[store]\npath = 1\n", "x.toml");
    FAIL("expected a ConfigError");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()) == "x.toml: 1 error in the configuration");
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics().front().format() ==
          "x.toml:2:8: error: [store] path: expected a string, got an integer (put the value in quotes: path = \"…\")");
  }
}

TEST_CASE("malformed durations") {
  auto all = diagnostics_of(kBase + "[[kind]]\nid = \"inquiry\"\nresolve = { internal = \"3 days\", external = \"2 wd\" }\n");
  REQUIRE(all.size() == 2);
  CHECK(all[0] == at(3, 24) + "error: kind \"inquiry\" resolve.internal: malformed duration \"3 days\" "
                              "(write a number and a unit: 30m, 24h, 2d (calendar time), 8wh (working hours) or 3wd (working days))");
  CHECK(mentions(all, "resolve.external: malformed duration \"2 wd\""));
  CHECK(mentions(diagnostics_of("[[kind]]\nid = \"k\"\nack = { interal = \"8h\" }\n"), "unknown key \"interal\" (did you mean \"internal\"?)"));
}

TEST_CASE("time ranges: malformed, backwards, overlapping") {
  CHECK(only_error("[calendar]\nhours = [\"08:30-25:00\"]\n") ==
        "test.toml:2:10: error: [calendar] hours: malformed time range \"08:30-25:00\" "
        "(write HH:MM-HH:MM with hours 00-24 and minutes 00-59, e.g. \"09:00-12:30\")");
  for (const char* bad : {"0830-1200", "08:30", "08:60-09:00", "24:00-24:00", "08:30-12:00-13:00", "a:00-b:00", "08:30-24:01"}) {
    CAPTURE(bad);
    CHECK(mentions(diagnostics_of(std::string("[calendar]\nhours = [\"") + bad + "\"]\n"), "malformed time range"));
  }
  CHECK(only_error("[calendar]\nhours = [\"09:00-10:00\", \"17:00-12:00\"]\n") ==
        "test.toml:2:25: error: [calendar] hours: time range \"17:00-12:00\" ends before it starts "
        "(write the earlier time first; a range cannot cross midnight)");
  CHECK(mentions(diagnostics_of("[calendar]\nhours = [\"09:00-09:00\"]\n"), "ends before it starts"));
  CHECK(only_error("[calendar]\nhours = [\"13:00-17:00\", \"08:00-13:30\"]\n") ==
        "test.toml:2:25: error: [calendar] hours: time range \"08:00-13:30\" overlaps \"13:00-17:00\" "
        "(make the intervals disjoint or merge them)");
  // Touching intervals and a day ending at 24:00 are fine; hours come back sorted.
  auto config = parse_config("[calendar]\nhours = [\"13:00-24:00\", \"0:00-13:00\"]\n", "test.toml");
  REQUIRE(config.calendar.hours.size() == 2);
  CHECK(config.calendar.hours[0].start == 0);
  CHECK(config.calendar.hours[0].end == 13 * 60);
  CHECK(config.calendar.hours[1].end == 24 * 60);
}

TEST_CASE("weekday names") {
  CHECK(only_error("[calendar]\nworkdays = [\"mon\", \"thur\"]\n") ==
        "test.toml:2:20: error: [calendar] workdays: unknown weekday \"thur\" (did you mean \"thu\"?)");
  CHECK(only_error("[calendar]\nworkdays = [\"lundi\"]\n") ==
        "test.toml:2:13: error: [calendar] workdays: unknown weekday \"lundi\" (use mon, tue, wed, thu, fri, sat or sun)");
  auto config = parse_config("[calendar]\nworkdays = [\"sat\", \"sunday\", \"wed\"]\n", "test.toml");
  CHECK(config.calendar.workdays == std::array<bool, 7>{true, false, false, true, false, false, true});
}

TEST_CASE("time zones") {
  CHECK(only_error("[organization]\ntimezone = \"Asia/Shangai\"\n") ==
        "test.toml:2:12: error: [organization] timezone: unknown time zone \"Asia/Shangai\" (did you mean \"Asia/Shanghai\"?)");
  auto config = parse_config("[organization]\ntimezone = \"Asia/Shanghai\"\n", "test.toml");
  CHECK(config.organization.timezone == "Asia/Shanghai");
  CHECK(config.calendar.timezone == "Asia/Shanghai");
}

TEST_CASE("[organization] lang and [[user]] lang: zh or en") {
  auto config = parse_config("[organization]\nlang = \"zh\"\n[[department]]\nid = \"d\"\n"
                             "[[user]]\nid = \"u\"\ndepartment = \"d\"\nlang = \"en\"\n",
                             "test.toml");
  CHECK(config.organization.lang == "zh");
  REQUIRE(config.users.size() == 1);
  CHECK(config.users[0].lang == "en");
  CHECK(parse_config("", "test.toml").organization.lang.empty());
  CHECK(only_error("[organization]\nlang = \"zn\"\n") ==
        "test.toml:2:8: error: [organization] lang: unknown language \"zn\" (did you mean \"zh\"?)");
  CHECK(mentions(diagnostics_of("[[department]]\nid = \"d\"\n[[user]]\nid = \"u\"\ndepartment = \"d\"\nlang = \"french\"\n"),
                 "test.toml:6:8: error: user \"u\" lang: unknown language \"french\" (use one of: zh, en)"));
}

TEST_CASE("holiday notices: dates, ranges, makeup days") {
  const std::string good = R"toml([[calendar.notice]]
name = "2025"
holidays = [
  { name = "国庆节", rest = ["2025-10-01", "2025-10-08"], makeup = ["2025-09-28", "2025-10-11"] },
  { name = "元旦", rest = ["2025-01-01"] },
]
)toml";
  auto config = parse_config(good, "test.toml");
  REQUIRE(config.calendar.notices.size() == 1);
  const auto& holidays = config.calendar.notices[0].holidays;
  REQUIRE(holidays.size() == 2);
  CHECK(holidays[0].name == "国庆节");
  CHECK(holidays[0].first == date::sys_days(date::year{2025} / 10 / 1));
  CHECK(holidays[0].last == date::sys_days(date::year{2025} / 10 / 8));
  CHECK(holidays[0].makeup == std::vector<date::sys_days>{date::year{2025} / 9 / 28, date::year{2025} / 10 / 11});
  CHECK(holidays[1].first == holidays[1].last);

  CHECK(only_error("[[calendar.notice]]\nname = \"n\"\nholidays = [{ name = \"X\", rest = [\"2026-10-01\", \"2026-10-07\"], makeup = [\"2026-09-21\"] }]\n") ==
        "test.toml:3:74: error: holiday \"X\" makeup: 2026-09-21 is a Monday, not a weekend day "
        "(调休上班 days fall on a Saturday or Sunday; check the notice)");
  CHECK(only_error("[[calendar.notice]]\nname = \"n\"\nholidays = [{ name = \"X\", rest = [\"2026-10-07\", \"2026-10-01\"] }]\n") ==
        "test.toml:3:49: error: holiday \"X\": rest range ends (2026-10-01) before it starts (2026-10-07) "
        "(write the first rest day first)");
  CHECK(only_error("[[calendar.notice]]\nname = \"n\"\nholidays = [{ name = \"X\", rest = [\"2026-02-30\", \"2026-03-01\"] }]\n") ==
        "test.toml:3:35: error: holiday \"X\" rest: malformed date \"2026-02-30\" "
        "(write a real date as YYYY-MM-DD, e.g. \"2026-10-01\")");
  CHECK(mentions(diagnostics_of("[[calendar.notice]]\nname = \"n\"\nholidays = [{ name = \"X\", rest = [\"2026/10/01\"] }]\n"),
                 "malformed date \"2026/10/01\""));
  CHECK(mentions(diagnostics_of("[[calendar.notice]]\nname = \"n\"\nholidays = [{ name = \"X\" }]\n"), "holiday \"X\": missing rest"));
}

TEST_CASE("calendar overrides") {
  auto config = parse_config(R"toml([[calendar.override]]
date = "2026-12-31"
work = false
reason = "closed"

[[calendar.override]]
date = 2026-10-10
work = true
hours = ["09:00-12:00"]
)toml", "test.toml");
  REQUIRE(config.calendar.overrides.size() == 2);
  CHECK(config.calendar.overrides[0].date == date::sys_days(date::year{2026} / 12 / 31));
  CHECK_FALSE(config.calendar.overrides[0].work);
  CHECK(config.calendar.overrides[0].reason == "closed");
  CHECK(config.calendar.overrides[1].work);
  REQUIRE(config.calendar.overrides[1].hours.size() == 1);
  CHECK(config.calendar.overrides[1].hours[0].start == 9 * 60);

  CHECK(only_error("[[calendar.override]]\ndate = \"2026-13-01\"\n") ==
        "test.toml:2:8: error: [[calendar.override]] #1 date: malformed date \"2026-13-01\" "
        "(write a real date as YYYY-MM-DD, e.g. \"2026-10-01\")");
  CHECK(mentions(diagnostics_of("[[calendar.override]]\ndate = \"2026-12-31\"\nhours = [\"09:00-12:00\"]\n"),
                 "hours given for a day off"));
  CHECK(mentions(diagnostics_of("[[calendar.override]]\ndate = \"2026-12-31\"\n[[calendar.override]]\ndate = \"2026-12-31\"\n"),
                 "date overridden twice"));
}

TEST_CASE("levels: order, names, default") {
  auto config = parse_config(R"toml([levels]
order = ["public", "internal", "secret"]
names = { public = "公开", secret = "秘密" }
default = "public"

[[department]]
id = "d"

[[user]]
id = "u"
department = "d"
)toml", "test.toml");
  CHECK(config.levels.order == std::vector<std::string>{"public", "internal", "secret"});
  CHECK(config.levels.names.at("public") == "公开");
  CHECK(config.levels.names.at("internal") == "internal");  // unnamed levels show their id
  CHECK(config.levels.default_level == "public");
  CHECK(config.level_rank("secret") == 2);
  CHECK(config.level_rank("top-secret") == -1);
  CHECK(config.user("u")->clearance == "public");  // clearance defaults to the default level
  CHECK(only_error("[levels]\norder = [\"low\", \"high\"]\ndefault = \"hihg\"\n") ==
        "test.toml:3:11: error: [levels] default: unknown level \"hihg\" (did you mean \"high\"?)");
  CHECK(mentions(diagnostics_of("[levels]\norder = [\"a\", \"a\"]\n"), "level \"a\" listed twice"));
  CHECK(mentions(diagnostics_of("[levels]\nnames = { topsecret = \"绝密\" }\n"), "unknown level \"topsecret\" (did you mean \"top-secret\"?)"));
}

TEST_CASE("other value checks: roles, identity, requires, retention, e-mail, numbering, parent loops") {
  CHECK(mentions(diagnostics_of(kBase + "[[user]]\nid = \"x\"\ndepartment = \"gm\"\nroles = [\"admn\"]\n"),
                 "unknown role \"admn\" (did you mean \"admin\"?)"));
  CHECK(mentions(diagnostics_of(kBase + "[[user]]\nid = \"x\"\n"), "user \"x\": missing department"));
  CHECK(mentions(diagnostics_of("[[kind]]\nid = \"k\"\nidentity = \"requred\"\n"), "unknown value \"requred\" (did you mean \"required\"?)"));
  CHECK(mentions(diagnostics_of("[[kind]]\nid = \"k\"\nrequires = { external = [\"prty\"] }\n"), "unknown field \"prty\" (did you mean \"party\"?)"));
  CHECK(mentions(diagnostics_of("[[kind]]\nid = \"k\"\nretention = \"3 years\"\n"), "malformed retention \"3 years\""));
  CHECK(mentions(diagnostics_of("[[department]]\nid = \"d\"\nemail = \"nobody\"\n"), "\"nobody\" is not an e-mail address"));
  CHECK(mentions(diagnostics_of("[numbering]\nexternal = \"EXT-{year}\"\n"), "no {seq} placeholder"));
  CHECK(mentions(diagnostics_of("[numbering]\ninternal = \"INT-{yr}-{seq}\"\n"), "unknown placeholder {yr}"));
  CHECK(mentions(diagnostics_of("[[department]]\nid = \"a\"\nparent = \"b\"\n[[department]]\nid = \"b\"\nparent = \"a\"\n"),
                 "departments form a loop (a → b → a)"));
}

TEST_CASE("departments without top management are a warning") {
  Config config = parse_config("[organization]\nname = \"x\"\n[[department]]\nid = \"d\"\n", "test.toml");
  REQUIRE(config.warnings.size() == 1);
  CHECK(config.warnings[0].format() ==
        "test.toml:1:1: warning: [organization] top is not set: major records have no one to escalate to "
        "(set top = \"…\" to the department of top management)");
  CHECK(parse_config("", "test.toml").warnings.empty());
}

TEST_CASE("the minimal example parses with the right values") {
  Config config = load_config(LIAISON_SOURCE_DIR "/examples/minimal/liaison.toml");
  // The example trusts the declared user, for trying it out, and is warned about it.
  CHECK(config.access.trust_declared_user);
  REQUIRE(config.warnings.size() == 1);
  CHECK(config.warnings[0].message.english().starts_with("[access] trust_declared_user is on"));
  CHECK(config.organization.name == "Example Widgets Ltd");
  CHECK(config.organization.timezone == "Europe/London");
  CHECK(config.organization.top == "management");
  CHECK(config.store_path == std::filesystem::path(LIAISON_SOURCE_DIR "/examples/minimal/records.db").lexically_normal().string());
  CHECK(config.hash.size() == 64);
  CHECK(config.calendar.workdays == std::array<bool, 7>{false, true, true, true, true, true, false});
  REQUIRE(config.calendar.hours.size() == 2);
  CHECK(format_interval(config.calendar.hours[0]) == "09:00-12:30");
  CHECK(format_interval(config.calendar.hours[1]) == "13:30-17:30");
  REQUIRE(config.calendar.notices.size() == 1);
  CHECK(config.calendar.notices[0].holidays.size() == 3);
  REQUIRE(config.calendar.overrides.size() == 1);
  CHECK(config.calendar.overrides[0].reason == "office closed");
  CHECK(config.levels.order == std::vector<std::string>{"public", "internal", "confidential"});
  CHECK(config.departments.size() == 3);
  CHECK(config.department("quality")->members == std::vector<std::string>{"carol"});
  CHECK(config.department("quality")->email == "quality@example.com");
  CHECK(config.users.size() == 4);
  CHECK(config.user("dave")->roles == std::vector<std::string>{"head", "admin"});
  CHECK(config.user("carol")->clearance == "internal");
  CHECK(config.channels.size() == 3);
  CHECK(config.party_types.size() == 2);
  REQUIRE(config.kinds.size() == 4);
  const Kind& complaint = *config.kind("complaint");
  CHECK(complaint.ack.get(Direction::internal)->text() == "8wh");
  CHECK(complaint.resolve.get(Direction::external)->text() == "5wd");
  CHECK(complaint.reply_required);
  CHECK(complaint.requires_external == std::vector<std::string>{"party", "channel"});
  CHECK(complaint.requires_internal.empty());
  CHECK(complaint.retention == "3y");
  CHECK_FALSE(config.kind("suggestion")->ack.internal);
  CHECK_FALSE(config.kind("suggestion")->resolve.external);
  REQUIRE(config.rules.size() == 4);
  CHECK(config.rules[0].index == 1);
  CHECK(config.rules[0].when.at("party_type") == std::vector<std::string>{"customer"});
  CHECK(config.rules[2].major == true);
  CHECK(config.rules[3].when.empty());
  CHECK(config.numbering.external == "EXT-{year}-{seq:05}");
}

TEST_CASE("optional keys: department parent, kind name_en, single-string deadlines, when lists") {
  auto config = parse_config(kBase + R"toml(
[[department]]
id = "lab"
parent = "quality"

[[kind]]
id = "inquiry"
name = "咨询"
name_en = "Inquiry"
ack = "8wh"
requires = ["party"]

[[rule]]
name = "suppliers"
when = { party_type = ["supplier", "customer"], major = true }
owner = "purchasing"
)toml", "test.toml");
  CHECK(config.department("lab")->parent == "quality");
  CHECK(config.department("lab")->name == "lab");
  const Kind& inquiry = *config.kind("inquiry");
  CHECK(inquiry.name_en == "Inquiry");
  CHECK(inquiry.ack.internal == Duration{8, DurationUnit::working_hours});
  CHECK(inquiry.ack.external == Duration{8, DurationUnit::working_hours});
  CHECK(inquiry.requires_internal == std::vector<std::string>{"party"});
  CHECK(config.rules[0].when.at("party_type") == std::vector<std::string>{"supplier", "customer"});
  CHECK(config.rules[0].when.at("major") == std::vector<std::string>{"true"});
}

TEST_CASE("defaults when sections are missing") {
  Config config = parse_config("", "/srv/liaison/liaison.toml");
  CHECK(config.hash == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");  // SHA-256 of ""
  CHECK(config.organization.timezone == "UTC");
  CHECK(config.store_path == "/srv/liaison/records.db");
  CHECK(config.calendar.workdays == std::array<bool, 7>{false, true, true, true, true, true, false});
  REQUIRE(config.calendar.hours.size() == 1);
  CHECK(format_interval(config.calendar.hours[0]) == "09:00-17:00");
  CHECK(config.levels.order == std::vector<std::string>{"public", "internal", "secret", "confidential", "top-secret"});
  CHECK(config.levels.default_level == "internal");
  CHECK(config.channel("email") != nullptr);
  CHECK(config.party_type("customer") != nullptr);
  CHECK(config.numbering.internal == "INT-{year}-{seq:05}");
  CHECK(config.rules.empty());

  CHECK(parse_config("[store]\npath = \"data/../db/x.db\"\n", "/srv/liaison/liaison.toml").store_path == "/srv/liaison/db/x.db");
  CHECK(parse_config("[store]\npath = \"/var/lib/liaison.db\"\n", "/srv/liaison/liaison.toml").store_path == "/var/lib/liaison.db");
  const auto relative = parse_config("", "liaison.toml").store_path;
  CHECK(relative == (std::filesystem::current_path() / "records.db").string());
}

TEST_CASE("[store] url names a database server, as written, and never with a password") {
  const std::string url = "postgresql://liaison_app@db.example.cn/liaison?sslmode=verify-full";
  CHECK(parse_config("[store]\nurl = \"" + url + "\"\n", "/srv/liaison/liaison.toml").store_path == url);
  CHECK(config_to_json(parse_config("[store]\nurl = \"" + url + "\"\n", "/srv/l/liaison.toml"))["store"]["url"] == url);
  // A password, in the user information or as a parameter: refused, and not repeated.
  for (std::string bad : {"postgresql://app:s3cret@db/liaison", "postgresql://db/liaison?password=s3cret"}) {
    CAPTURE(bad);
    std::string error = only_error("[store]\nurl = \"" + bad + "\"\n");
    CHECK(error.find("[store] url holds a password") != std::string::npos);
    CHECK(error.find("~/.pgpass") != std::string::npos);
    CHECK(error.find("s3cret") == std::string::npos);
  }
  CHECK(only_error("[store]\npath = \"x.db\"\nurl = \"" + url + "\"\n").find("both path and url") != std::string::npos);
  CHECK(only_error("[store]\nurl = \"records.db\"\n").find("is not a URL") != std::string::npos);
  // The mode of the files liaison makes (backups, --out) is read beside a url too.
  CHECK(parse_config("[store]\nurl = \"" + url + "\"\nmode = \"0640\"\n", "/srv/l/liaison.toml").store_mode == 0640);
}

TEST_CASE("config_to_json has every default filled in") {
  Config config = parse_config(kBase + "[[rule]]\nwhen = { major = true, kind = \"complaint\" }\nescalate = \"gm\"\n", "/srv/l/liaison.toml");
  nlohmann::json j = config_to_json(config);
  CHECK(j["organization"]["timezone"] == "Asia/Shanghai");
  CHECK(j["store"]["path"] == "/srv/l/records.db");
  CHECK(j["calendar"]["workdays"] == nlohmann::json::array({"mon", "tue", "wed", "thu", "fri"}));
  CHECK(j["calendar"]["hours"] == nlohmann::json::array({"09:00-17:00"}));
  CHECK(j["levels"]["default"] == "internal");
  CHECK(j["levels"]["names"]["secret"] == "secret");
  CHECK(j["department"][0]["id"] == "gm");
  CHECK(j["department"][0]["parent"].is_null());
  CHECK(j["user"][1]["roles"] == nlohmann::json::array({"staff"}));
  CHECK(j["kind"][0]["ack"]["external"] == "48h");
  CHECK(j["kind"][0]["resolve"]["internal"] == "3wd");
  CHECK(j["kind"][0]["identity"] == "optional");
  CHECK(j["rule"][0]["name"] == "rule 1");
  CHECK(j["rule"][0]["when"]["major"] == nlohmann::json::array({true}));
  CHECK(j["rule"][0]["when"]["kind"] == nlohmann::json::array({"complaint"}));
  CHECK(j["rule"][0]["owner"].is_null());
  CHECK(j["rule"][0]["escalate"] == "gm");
  CHECK(j["numbering"]["external"] == "EXT-{year}-{seq:05}");
  CHECK(j["hash"] == config.hash);

  Config with_calendar = parse_config(
      "[[calendar.notice]]\nname = \"n\"\nholidays = [{ name = \"h\", rest = [\"2025-10-01\", \"2025-10-08\"], makeup = [\"2025-09-28\"] }]\n"
      "[[calendar.override]]\ndate = \"2025-12-31\"\nwork = true\nhours = [\"09:00-12:00\"]\n",
      "test.toml");
  nlohmann::json c = config_to_json(with_calendar)["calendar"];
  CHECK(c["notice"][0]["holidays"][0]["rest"] == nlohmann::json::array({"2025-10-01", "2025-10-08"}));
  CHECK(c["notice"][0]["holidays"][0]["makeup"] == nlohmann::json::array({"2025-09-28"}));
  CHECK(c["override"][0]["date"] == "2025-12-31");
  CHECK(c["override"][0]["hours"] == nlohmann::json::array({"09:00-12:00"}));
}

TEST_CASE("load_config reports a file it cannot read") {
  try {
    load_config("/nonexistent/liaison.toml");
    FAIL("expected a ConfigError");
  } catch (const ConfigError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].format() ==
          "/nonexistent/liaison.toml: error: cannot read the config file: No such file or directory "
          "(check the path, or write one there with 'liaison --config /nonexistent/liaison.toml init')");
  }
}

TEST_CASE("load_config names the file and hashes its bytes") {
  const auto dir = std::filesystem::temp_directory_path() / ("liaison_config_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = (dir / "liaison.toml").string();
  std::ofstream(file) << "[organization]\ntimezone = \"Nowhere/City\"\n";
  try {
    load_config(file);
    FAIL("expected a ConfigError");
  } catch (const ConfigError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].format().starts_with(file + ":2:12: error: [organization] timezone: unknown time zone"));
  }
  std::ofstream(file) << "";
  CHECK(load_config(file).hash == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(load_config(file).store_path == (dir / "records.db").string());
  std::filesystem::remove_all(dir);
}

TEST_CASE("find_config_file follows the documented order") {
  auto saved = [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  auto restore = [](const char* name, const std::optional<std::string>& v) {
    if (v) ::setenv(name, v->c_str(), 1);
    else ::unsetenv(name);
  };
  const auto old_config = saved("LIAISON_CONFIG"), old_xdg = saved("XDG_CONFIG_HOME");
  const auto dir = std::filesystem::temp_directory_path() / ("liaison_find_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "liaison");
  std::ofstream((dir / "liaison" / "liaison.toml").string()) << "";

  ::setenv("LIAISON_CONFIG", "/somewhere/else.toml", 1);
  CHECK(find_config_file() == "/somewhere/else.toml");
  ::unsetenv("LIAISON_CONFIG");
  ::setenv("XDG_CONFIG_HOME", dir.c_str(), 1);
  if (!std::filesystem::exists("liaison.toml")) {
    CHECK(find_config_file() == (dir / "liaison" / "liaison.toml").string());
  } else {
    CHECK(find_config_file() == "liaison.toml");
  }
  restore("LIAISON_CONFIG", old_config);
  restore("XDG_CONFIG_HOME", old_xdg);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a rule's assignee goes with its owner and must belong to it") {
  // wei is head of quality; boss is in gm.
  CHECK(only_error(kBase + "[[rule]]\nwhen = {}\nassignee = \"wei\"\n") ==
        at(1, 1) + "error: rule 1 sets an assignee but no owner (the assignee goes with the owner: give owner = "
                   "\"DEPT\" too, or leave assignee out)");
  CHECK(only_error(kBase + "[[rule]]\nwhen = {}\nowner = \"quality\"\nassignee = \"boss\"\n") ==
        at(1, 1) + "error: rule 1 assigns \"boss\", who is not in its owner department \"quality\" (name a member "
                   "or the head of \"quality\", or leave assignee out)");
  CHECK(diagnostics_of(kBase + "[[rule]]\nwhen = {}\nowner = \"quality\"\nassignee = \"wei\"\n").empty());
}

TEST_CASE("[report] and [remind] defaults") {
  Config config = parse_config(kBase + "[[kind]]\nid = \"suggestion\"\n", "test.toml");
  CHECK(config.report.complaint_kinds == std::vector<std::string>{"complaint"});
  CHECK(config.report.suggestion_kinds == std::vector<std::string>{"suggestion"});
  CHECK(config.report.top_parties == 10);
  CHECK(config.remind.sendmail == "/usr/sbin/sendmail -t -oi");
  CHECK(config.remind.from.empty());
  CHECK(config.remind.interval == Duration{1, DurationUnit::working_days});
  CHECK(config.remind.escalate.empty());
  // A default that names a kind the file does not define is dropped, not an error.
  Config bare = parse_config("", "test.toml");
  CHECK(bare.report.complaint_kinds.empty());
  CHECK(bare.report.suggestion_kinds.empty());
  nlohmann::json j = config_to_json(config);
  CHECK(j["report"]["complaint_kinds"] == nlohmann::json::array({"complaint"}));
  CHECK(j["report"]["top_parties"] == 10);
  CHECK(j["remind"]["sendmail"] == "/usr/sbin/sendmail -t -oi");
  CHECK(j["remind"]["from"].is_null());
  CHECK(j["remind"]["interval"] == "1wd");
  CHECK(j["remind"]["escalate"] == nlohmann::json::array());
}

TEST_CASE("[report] and [remind] values are read and shown in JSON") {
  Config config = parse_config(kBase + R"toml(
[[kind]]
id = "suggestion"

[report]
complaint_kinds = ["complaint", "suggestion", "complaint"]
suggestion_kinds = []
top_parties = 5

[remind]
sendmail = "/usr/lib/sendmail -t"
from = "liaison@example.cn"
interval = "4h"
[[remind.escalate]]
after = "2wd"
to = "head"
[[remind.escalate]]
after = "5wd"
to = "top"
[[remind.escalate]]
after = "10wd"
to = "quality"
[[remind.escalate]]
after = "3d"
to = "boss"
)toml", "test.toml");
  CHECK(config.warnings.empty());
  CHECK(config.report.complaint_kinds == std::vector<std::string>{"complaint", "suggestion"});  // once each
  CHECK(config.report.suggestion_kinds.empty());
  CHECK(config.report.top_parties == 5);
  CHECK(config.remind.sendmail == "/usr/lib/sendmail -t");
  CHECK(config.remind.from == "liaison@example.cn");
  CHECK(config.remind.interval == Duration{4, DurationUnit::hours});
  REQUIRE(config.remind.escalate.size() == 4);
  CHECK(config.remind.escalate[0].after == Duration{2, DurationUnit::working_days});
  CHECK(config.remind.escalate[0].to == "head");
  CHECK(config.remind.escalate[1].to == "top");
  CHECK(config.remind.escalate[2].to == "quality");
  CHECK(config.remind.escalate[3].after == Duration{3, DurationUnit::days});
  CHECK(config.remind.escalate[3].to == "boss");
  CHECK(config.remind.escalate[0].pos.line == base_lines() + 14);
  nlohmann::json j = config_to_json(config);
  CHECK(j["report"]["complaint_kinds"] == nlohmann::json::array({"complaint", "suggestion"}));
  CHECK(j["report"]["suggestion_kinds"] == nlohmann::json::array());
  CHECK(j["report"]["top_parties"] == 5);
  CHECK(j["remind"]["from"] == "liaison@example.cn");
  CHECK(j["remind"]["interval"] == "4h");
  CHECK(j["remind"]["escalate"][1] == nlohmann::json({{"after", "5wd"}, {"to", "top"}}));
  CHECK(j["remind"]["escalate"].size() == 4);
}

TEST_CASE("[report] errors") {
  CHECK(only_error(kBase + "\n[report]\ncomplaint_kinds = [\"complain\"]\n") ==
        at(3, 20) + "error: [report] complaint_kinds: unknown kind \"complain\" (did you mean \"complaint\"?)");
  CHECK(only_error(kBase + "\n[report]\nsuggestion_kinds = [\"idea\"]\n") ==
        at(3, 21) + "error: [report] suggestion_kinds: unknown kind \"idea\" (known kinds: complaint)");
  CHECK(only_error(kBase + "\n[report]\nsuggestion_kinds = \"complaint\"\n") ==
        at(3, 20) + "error: [report] suggestion_kinds: expected an array of strings, got a string "
                    "(write suggestion_kinds = [\"…\", \"…\"])");
  CHECK(only_error(kBase + "\n[report]\ntop_parties = 0\n") ==
        at(3, 15) + "error: [report] top_parties: 0 is out of range (give a number from 1 to 1000)");
  CHECK(only_error(kBase + "\n[report]\ntop_parties = 1001\n") ==
        at(3, 15) + "error: [report] top_parties: 1001 is out of range (give a number from 1 to 1000)");
  CHECK(only_error(kBase + "\n[report]\ntop_parties = \"10\"\n") ==
        at(3, 15) + "error: [report] top_parties: expected an integer, got a string (write top_parties = 10)");
  CHECK(only_error(kBase + "\n[report]\ntop_party = 3\n") ==
        at(3, 1) + "error: [report]: unknown key \"top_party\" (did you mean \"top_parties\"?)");
  CHECK(only_error("report = 3\n") ==
        "test.toml:1:10: error: top level report: expected a table, got an integer (write [report] or report = { … })");
  CHECK(parse_config(kBase + "[report]\ntop_parties = 1000\n", "t.toml").report.top_parties == 1000);
}

TEST_CASE("[remind] errors") {
  CHECK(only_error(kBase + "\n[remind]\nsendmail = \"  \"\n") ==
        at(3, 12) + "error: [remind] sendmail: empty command (write the command that reads a message on its input, "
                    "e.g. \"/usr/sbin/sendmail -t -oi\")");
  // Line breaks (like every control character in every string of the config) are refused
  // by the reader, before the command is looked at.
  CHECK(only_error(kBase + "\n[remind]\nsendmail = \"sendmail\\n-t\"\n") ==
        at(3, 12) + "error: [remind] sendmail: the text contains a control character (U+000A) (write it on one line, "
                    "without tabs or other control characters: names and addresses go into tables and mail headers)");
  CHECK(only_error(kBase + "\n[remind]\nsendmail = 1\n") ==
        at(3, 12) + "error: [remind] sendmail: expected a string, got an integer (put the value in quotes: sendmail = \"…\")");
  const std::string hint = " (write a bare address such as \"liaison@example.cn\" (no name, spaces or line breaks), "
                           "or leave from out for liaison@<host name>)";
  CHECK(only_error(kBase + "\n[remind]\nfrom = \"nobody\"\n") ==
        at(3, 8) + "error: [remind] from: \"nobody\" is not an e-mail address" + hint);
  // A From: header must not be able to carry another header along.
  CHECK(mentions(diagnostics_of(kBase + "\n[remind]\nfrom = \"a@b.cn\\nBcc: all@b.cn\"\n"),
                 "[remind] from: the text contains a control character (U+000A)"));
  CHECK(mentions(diagnostics_of(kBase + "\n[remind]\nfrom = \"a@b.cn\\r\"\n"), "control character (U+000D)"));
  CHECK(mentions(diagnostics_of(kBase + "\n[remind]\nfrom = \"x y@b.cn\"\n"), "contains a space"));
  CHECK(mentions(diagnostics_of(kBase + "\n[remind]\nfrom = \"Liaison <a@b.cn>\"\n"), "contains a space"));
  CHECK(mentions(diagnostics_of(kBase + "\n[remind]\nfrom = \"<a@b.cn>\"\n"), "contains '<'"));
  CHECK(mentions(diagnostics_of(kBase + "\n[remind]\nfrom = \"a@b.cn,c@d.cn\"\n"), "contains ','"));
  CHECK(mentions(diagnostics_of(kBase + "\n[remind]\nfrom = \"\"\n"), "from: \"\" is empty"));
  CHECK(mentions(diagnostics_of(kBase + "\n[remind]\nfrom = \"@b.cn\"\n"), "is not an e-mail address"));
  CHECK(mentions(diagnostics_of(kBase + "\n[remind]\nfrom = \"a@b@c\"\n"), "is not an e-mail address"));
  CHECK(only_error(kBase + "\n[remind]\ninterval = \"1 week\"\n") ==
        at(3, 12) + "error: [remind] interval: malformed duration \"1 week\" (write a number and a unit: 30m, 24h, 2d "
                    "(calendar time), 8wh (working hours) or 3wd (working days))");
  CHECK(only_error(kBase + "\n[remind]\ninterval = \"0wd\"\n") ==
        at(3, 12) + "error: [remind] interval: must be longer than zero (write how long a reminder is not repeated, "
                    "e.g. \"1wd\" or \"24h\")");
  CHECK(only_error(kBase + "\n[remind]\nintervall = \"1wd\"\n") ==
        at(3, 1) + "error: [remind]: unknown key \"intervall\" (did you mean \"interval\"?)");
}

TEST_CASE("[[remind.escalate]] errors and warnings") {
  CHECK(only_error(kBase + "\n[[remind.escalate]]\nafter = \"2wd\"\nto = \"qualty\"\n") ==
        at(4, 6) + "error: [[remind.escalate]] #1 to: unknown recipient \"qualty\" (did you mean \"quality\"?)");
  CHECK(only_error(kBase + "\n[[remind.escalate]]\nafter = \"2wd\"\nto = \"hed\"\n") ==
        at(4, 6) + "error: [[remind.escalate]] #1 to: unknown recipient \"hed\" (did you mean \"head\"?)");
  CHECK(only_error(kBase + "\n[[remind.escalate]]\nafter = \"2wd\"\nto = \"nobody-at-all\"\n") ==
        at(4, 6) + "error: [[remind.escalate]] #1 to: unknown recipient \"nobody-at-all\" (write \"head\", \"top\", "
                   "a department id or a user id)");
  CHECK(only_error(kBase + "\n[[remind.escalate]]\nafter = \"two days\"\nto = \"head\"\n") ==
        at(3, 9) + "error: [[remind.escalate]] #1 after: malformed duration \"two days\" (write a number and a unit: "
                   "30m, 24h, 2d (calendar time), 8wh (working hours) or 3wd (working days))");
  CHECK(only_error(kBase + "\n[[remind.escalate]]\nto = \"head\"\n") ==
        at(2, 1) + "error: [[remind.escalate]] #1: missing after (add after = \"2wd\" (how long overdue before this step))");
  CHECK(only_error(kBase + "\n[[remind.escalate]]\nafter = \"2wd\"\n") ==
        at(2, 1) + "error: [[remind.escalate]] #1: missing to (add to = \"head\", \"top\", a department id or a user id)");
  CHECK(only_error(kBase + "\n[[remind.escalate]]\nafter = \"2wd\"\nto = \"head\"\ncc = \"x\"\n") ==
        at(5, 1) + "error: [[remind.escalate]] #1: unknown key \"cc\" (known keys: after, to)");
  CHECK(only_error(kBase + "\n[remind]\nescalate = \"head\"\n") ==
        at(3, 12) + "error: [remind] escalate: expected an array of tables, got a string (write [[remind.escalate]] before each step)");
  // "top" needs a top management to reach.
  CHECK(only_error("[[remind.escalate]]\nafter = \"5wd\"\nto = \"top\"\n") ==
        "test.toml:3:6: error: [[remind.escalate]] #1 to: \"top\" but [organization] top is not set (set top = \"…\" in "
        "[organization] to the department of top management, or name a department or user)");
  CHECK(diagnostics_of(kBase + "\n[[remind.escalate]]\nafter = \"0wd\"\nto = \"boss\"\n").empty());  // at once is fine

  // Out of order within one unit is a warning; across units it cannot be judged.
  Config backwards = parse_config(kBase + "\n[[remind.escalate]]\nafter = \"5wd\"\nto = \"top\"\n"
                                          "[[remind.escalate]]\nafter = \"2wd\"\nto = \"head\"\n"
                                          "[[remind.escalate]]\nafter = \"1d\"\nto = \"wei\"\n",
                                  "test.toml");
  REQUIRE(backwards.warnings.size() == 1);
  CHECK(backwards.warnings[0].format() ==
        at(5, 1) + "warning: [[remind.escalate]] #2 after = \"2wd\" comes after step #1 with the longer \"5wd\" "
                   "(list the steps in the order they are reached)");
  CHECK(backwards.remind.escalate.size() == 3);

  // An id that is both a department and a user means the department.
  Config both = parse_config(kBase + "[[user]]\nid = \"quality\"\ndepartment = \"quality\"\n"
                                     "[[remind.escalate]]\nafter = \"2wd\"\nto = \"quality\"\n",
                             "test.toml");
  REQUIRE(both.warnings.size() == 1);
  CHECK(both.warnings[0].message.english() == "[[remind.escalate]] #1 to: \"quality\" is both a department and a user; the department is meant");
}

namespace liaison {
namespace {

TEST_CASE("[access] and logins: who acts is the user whose login it is") {
  const std::string users = "[levels]\norder = [\"low\"]\n"
                            "[[department]]\nid = \"d\"\nname = \"D\"\n"
                            "[[user]]\nid = \"ann\"\ndepartment = \"d\"\nlogin = \"a.smith\"\n"
                            "[[user]]\nid = \"bob\"\ndepartment = \"d\"\n";
  Config c = parse_config(users, "test.toml");
  CHECK_FALSE(c.access.trust_declared_user);
  REQUIRE(c.user_by_login("a.smith"));
  CHECK(c.user_by_login("a.smith")->id == "ann");
  CHECK(c.user_by_login("bob")->id == "bob");    // no login: its id is its login
  CHECK(c.user_by_login("ann") == nullptr);      // ann has a login of her own
  CHECK(c.user_by_login("root") == nullptr);
  Config trusting = parse_config(users + "[access]\ntrust_declared_user = true\n", "test.toml");
  CHECK(trusting.access.trust_declared_user);
  bool warned = false;
  for (const auto& w : trusting.warnings) warned = warned || w.message.english().starts_with("[access] trust_declared_user is on");
  CHECK(warned);
}

TEST_CASE("check_environment warns when the sendmail program is missing or cannot run") {
  auto with_sendmail = [](const std::string& command) {
    return parse_config(kBase + "\n[remind]\nsendmail = \"" + command + "\"\n", "test.toml");
  };
  auto ids = [](const std::vector<Diagnostic>& ds) {
    std::vector<std::optional<Msg>> out;
    for (const auto& d : ds) out.push_back(d.message.id());
    return out;
  };
  const auto dir = std::filesystem::temp_directory_path() / ("liaison_sendmail_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string missing = (dir / "sendmail").string();
  auto warnings = check_environment(with_sendmail(missing + " -t -oi"));
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].severity == Diagnostic::Severity::warning);
  CHECK(warnings[0].file == "test.toml");
  CHECK(warnings[0].message == msg<Msg::cfg_sendmail_missing>(missing));
  CHECK(warnings[0].hint == msg<Msg::cfg_install_mta_or_set_sendmail>());

  const std::string plain = (dir / "plain").string();
  std::ofstream(plain) << "#!/bin/sh\n";
  std::filesystem::permissions(plain, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  CHECK(ids(check_environment(with_sendmail(plain))) == std::vector<std::optional<Msg>>{Msg::cfg_sendmail_not_executable});
  std::filesystem::permissions(plain, std::filesystem::perms::owner_exec, std::filesystem::perm_options::add);
  CHECK(check_environment(with_sendmail(plain + " -t")).empty());

  CHECK(check_environment(with_sendmail("sh -c true")).empty());  // found on PATH
  CHECK(ids(check_environment(with_sendmail("no-such-mta-here -t"))) ==
        std::vector<std::optional<Msg>>{Msg::cfg_sendmail_not_on_path});
  CHECK(ids(check_environment(with_sendmail(dir.string()))) ==  // a directory is no program
        std::vector<std::optional<Msg>>{Msg::cfg_sendmail_not_executable});
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace liaison

TEST_CASE("[[topic]]: id and name, none by default; kinds may require a topic or the customer's number") {
  CHECK(parse_config(kBase, "test.toml").topics.empty());
  Config c = parse_config(kBase + "[[topic]]\nid = \"quality\"\nname = \"质量\"\n[[topic]]\nid = \"safety\"\n", "test.toml");
  REQUIRE(c.topics.size() == 2);
  CHECK(c.topic("quality")->name == "质量");
  CHECK(c.topic("safety")->name == "safety");  // the id when no name is given
  CHECK(c.topic("hr") == nullptr);
  CHECK(config_to_json(c)["topic"][0]["name"] == "质量");
  CHECK(mentions(diagnostics_of(kBase + "[[topic]]\nid = \"q\"\n[[topic]]\nid = \"q\"\n"), "duplicate topic id \"q\""));
  CHECK(mentions(diagnostics_of(kBase + "[[topic]]\nid = \"q\"\nnmae = \"质量\"\n"), "(did you mean \"name\"?)"));
  Config requiring = parse_config(
      kBase + "[[kind]]\nid = \"k\"\nrequires = { external = [\"topic\", \"customer_ref\"] }\n", "test.toml");
  CHECK(requiring.kind("k")->requires_external == std::vector<std::string>{"topic", "customer_ref"});
}


TEST_CASE("a kind's notify list: the parties it must be reported to, and within what time") {
  Config c = parse_config(kBase + "[[kind]]\nid = \"emergency\"\nnotify = [{ to = \"safety-bureau\", within = \"1h\" }, "
                                  "{ to = \"fire\", within = \"30m\" }]\n",
                          "test.toml");
  const Kind* k = c.kind("emergency");
  REQUIRE(k);
  REQUIRE(k->notify.size() == 2);
  CHECK(k->notify[0].to == "safety-bureau");
  CHECK(k->notify[0].within.text() == "1h");
  CHECK(k->notify[1].within.text() == "30m");
  CHECK(config_to_json(c)["kind"][1]["notify"][1]["to"] == "fire");
  CHECK(c.kind("complaint")->notify.empty());
  CHECK(mentions(diagnostics_of(kBase + "[[kind]]\nid = \"k\"\nnotify = [{ to = \"a b\", within = \"1h\" }]\n"),
                 "\"a b\" is not a party id"));
  CHECK(mentions(diagnostics_of(kBase + "[[kind]]\nid = \"k\"\nnotify = [{ to = \"x\" }]\n"), "missing within"));
  CHECK(mentions(diagnostics_of(kBase + "[[kind]]\nid = \"k\"\nnotify = [{ to = \"x\", within = \"1 hour\" }]\n"),
                 "within"));
  CHECK(mentions(diagnostics_of(kBase + "[[kind]]\nid = \"k\"\nnotify = [{ to = \"x\", within = \"1h\" }, "
                                        "{ to = \"x\", within = \"2h\" }]\n"),
                 "\"x\" is listed twice"));
  CHECK(mentions(diagnostics_of(kBase + "[[kind]]\nid = \"k\"\nnotify = \"x\"\n"), "notify"));
}

TEST_CASE("a kind's receipt: how long each recipient of a notice has to sign") {
  Config c = parse_config(kBase + "[[kind]]\nid = \"notice\"\nreceipt = \"1wd\"\n", "test.toml");
  const Kind* k = c.kind("notice");
  REQUIRE(k);
  REQUIRE(k->receipt);
  CHECK(k->receipt->text() == "1wd");
  CHECK(config_to_json(c)["kind"][1]["receipt"] == "1wd");
  CHECK_FALSE(c.kind("complaint")->receipt);
  CHECK(config_to_json(c)["kind"][0]["receipt"].is_null());
  CHECK(mentions(diagnostics_of(kBase + "[[kind]]\nid = \"k\"\nreceipt = \"tomorrow\"\n"), "kind \"k\" receipt"));
  CHECK(mentions(diagnostics_of(kBase + "[[kind]]\nid = \"k\"\nreceipt = 1\n"), "receipt"));
}

TEST_CASE("approval chains: a kind's, with a time per approver, and a rule's in its place") {
  Config c = parse_config(kBase + "[[kind]]\nid = \"publication\"\napproval = [\"head\", \"top\"]\n"
                                  "approval_within = \"2wd\"\n",
                          "test.toml");
  const Kind* k = c.kind("publication");
  REQUIRE(k);
  CHECK(k->approval == std::vector<std::string>{"head", "top"});
  REQUIRE(k->approval_within);
  CHECK(k->approval_within->text() == "2wd");
  CHECK(config_to_json(c)["kind"][1]["approval"][1] == "top");
  CHECK(config_to_json(c)["kind"][0]["approval_within"].is_null());
  CHECK(mentions(diagnostics_of(kBase + "[[kind]]\nid = \"k\"\napproval = [\"haed\"]\n"), "kind \"k\" approval"));
  CHECK(mentions(diagnostics_of(kBase + "[[kind]]\nid = \"k\"\napproval_within = \"soon\"\n"), "approval_within"));
  CHECK(mentions(diagnostics_of(kBase + "[[kind]]\nid = \"k\"\napproval = \"head\"\n"), "approval"));
}

TEST_CASE("the explanation of a rejection: its own chain, checked like an approval chain") {
  Config c = parse_config(kBase + "[[kind]]\nid = \"suggestion\"\nexplanation_approval = [\"head\", \"top\"]\n", "t.toml");
  const Kind* k = c.kind("suggestion");
  REQUIRE(k);
  CHECK(k->explanation_approval == std::vector<std::string>{"head", "top"});
  CHECK(k->approval.empty());
  CHECK(config_to_json(c)["kind"][1]["explanation_approval"][0] == "head");
  CHECK(config_to_json(c)["kind"][0]["explanation_approval"].empty());
  CHECK(mentions(diagnostics_of(kBase + "[[kind]]\nid = \"k\"\nexplanation_approval = [\"haed\"]\n"),
                 "kind \"k\" explanation_approval"));
  CHECK(mentions(diagnostics_of(kBase + "[[rule]]\nwhen = {}\nexplanation_approval = [\"top\"]\n"),
                 "explanation_approval"));
}
