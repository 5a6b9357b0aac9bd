// lib/policy/input and lib/text/utf8: the checks every writing command makes at its edge.
#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "errors.h"
#include "field_limits.h"
#include "input.h"
#include "utf8.h"

using namespace liaison;

TEST_CASE("invalid_utf8_at finds the first byte that is not UTF-8") {
  CHECK(invalid_utf8_at("") == std::string_view::npos);
  CHECK(invalid_utf8_at("plain ascii") == std::string_view::npos);
  CHECK(invalid_utf8_at("支架尺寸超差 😀") == std::string_view::npos);
  CHECK(invalid_utf8_at("ab\xff") == 2);
  CHECK(invalid_utf8_at("\xd6\xa7\xbc\xdc") == 2);     // GBK 支架: D6 A7 is U+05A7, BC is not a lead byte
  CHECK(invalid_utf8_at("\xc0\xaf") == 0);             // overlong '/'
  CHECK(invalid_utf8_at("\xe0\x80\xaf") == 0);         // overlong, three bytes
  CHECK(invalid_utf8_at("x\xed\xa0\x80") == 1);        // UTF-16 surrogate D800
  CHECK(invalid_utf8_at("\xf4\x90\x80\x80") == 0);     // past U+10FFFF
  CHECK(invalid_utf8_at("\xe6\x94") == 0);             // cut short
  CHECK(invalid_utf8_at(std::string_view("a\0b", 3)) == std::string_view::npos);
}

TEST_CASE("check_text refuses what is not UTF-8 or too long, with exit 65") {
  CHECK_NOTHROW(check_text(msg<Msg::the_subject>(), "尺寸超差", limits::kSubject));
  try {
    check_text(msg<Msg::the_subject>(), "bad \xff", limits::kSubject);
    FAIL("accepted invalid UTF-8");
  } catch (const DataError& e) {
    CHECK(e.code() == ExitCode::data);
    CHECK(std::string(e.what()) == "the subject is not valid UTF-8 (byte 5)");
  }
  CHECK_NOTHROW(check_text(msg<Msg::the_subject>(), std::string(10, 'x'), 10));
  CHECK_THROWS_AS(check_text(msg<Msg::the_subject>(), std::string(11, 'x'), 10), DataError);
}

TEST_CASE("check_event_data checks every string, nested ones too, by its key's limit") {
  nlohmann::json ok = {{"subject", "主题"}, {"body", "正文"}, {"party", {{"name", "上汽"}}}, {"n", 3}};
  CHECK_NOTHROW(check_event_data(ok));
  nlohmann::json nested = {{"party", {{"name", "\xff"}}}};
  try {
    check_event_data(nested);
    FAIL("accepted a nested invalid string");
  } catch (const DataError& e) {
    CHECK(std::string(e.what()) == "the field \"name\" is not valid UTF-8 (byte 1)");
  }
  CHECK_THROWS_AS(check_event_data(nlohmann::json{{"list", {"ok", "\xc0\xaf"}}}), DataError);
  // a subject's limit is 64 KiB, other text 1 MiB
  CHECK_THROWS_AS(check_event_data(nlohmann::json{{"subject", std::string(limits::kSubject + 1, 'x')}}), DataError);
  CHECK_NOTHROW(check_event_data(nlohmann::json{{"body", std::string(limits::kSubject + 1, 'x')}}));
  CHECK_THROWS_AS(check_event_data(nlohmann::json{{"body", std::string(limits::kText + 1, 'x')}}), DataError);
}

TEST_CASE("times liaison keeps: 1970-01-01 to 9999-12-01; deadlines to 9999-12-31") {
  using std::chrono::seconds;
  CHECK(time_in_range(earliest_time()));
  CHECK_FALSE(time_in_range(earliest_time() - seconds{1}));
  CHECK(time_in_range(latest_time()));
  CHECK_FALSE(time_in_range(latest_time() + seconds{1}));
  CHECK(latest_deadline() - latest_time() == seconds{31 * 86400 - 1});
  CHECK_NOTHROW(check_deadline("resolve", latest_deadline()));
  CHECK_THROWS_AS(check_deadline("resolve", latest_deadline() + seconds{1}), DataError);
}
