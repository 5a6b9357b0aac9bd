// Tests of lib/text/i18n.cpp: English is the identity, Chinese labels (the LABEL entries of
// the catalogue) are found by their English, unknown keys fall back to English, and
// LANG-style values choose the language.
#include "i18n.h"

#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "messages.h"
#include "model.h"

namespace liaison {
namespace {

/// English words of the catalogue's labels, with their translation.
const std::vector<std::pair<std::string_view, std::string_view>>& known_labels() {
  static const std::vector<std::pair<std::string_view, std::string_view>> labels{
      {"CAPA", "纠正预防措施"},   {"ack", "确认"},           {"ack due", "确认时限"},     {"acked", "确认时间"},
      {"acknowledged", "已确认"}, {"actor", "操作人"},       {"address", "地址"},       {"adopted", "采纳"},         {"assignee", "经办人"},
      {"at", "时间"},             {"body", "内容"},          {"call", "电话"},            {"channel", "沟通方式"},
      {"clock", "时钟"},          {"closed", "已关闭"},      {"closed at", "关闭时间"},   {"config hash", "配置哈希"},
      {"contact", "联系人"},      {"created by", "录入人"},  {"day", "日"},               {"department", "部门"},
      {"direction", "方向"},      {"downward", "下行"},      {"due", "处理时限"},         {"duplicate", "重复"},
      {"duration", "时长"},       {"email", "邮件"},         {"entry", "条目"},           {"escalated to", "已上报至"},
      {"event", "事件"},          {"external", "外部"},      {"flow", "流向"},            {"from", "发起部门"},
      {"history", "历史"},        {"holiday", "节假日"},     {"id", "编号"},              {"internal", "内部"},
      {"kind", "类别"},           {"lateral", "平级"},       {"level", "密级"},           {"major", "重大"},
      {"makeup", "调休上班"},     {"meeting", "会议"},       {"met", "按时"},             {"name", "名称"},
      {"no", "否"},               {"no-action", "无需处理"}, {"note", "备注"},            {"notes", "备注"},
      {"notified", "知会部门"},   {"notify", "知会"},        {"open", "待确认"},          {"outcome", "处理结果"},
      {"overdue", "已超期"},      {"override", "公司调整"},  {"owner", "归口部门"},       {"party", "相关方"},
      {"phone", "电话"},          {"provisional", "暂定"},   {"received", "接收时间"},    {"ref", "编号"},
      {"rejected", "不采纳"},     {"reply", "回复"},         {"reply via", "回复方式"},   {"resolution", "处理结果说明"},
      {"resolve", "处理"},        {"resolved", "已解决"},    {"rule", "规则"},            {"started", "开始"},
      {"status", "状态"},         {"stopped", "停止时间"},   {"subject", "主题"},       {"type", "类型"},            {"upward", "上行"},
      {"used", "已用"},           {"waiting", "等待中"},     {"weekend", "周末"},         {"withdrawn", "撤回"},
      {"workday", "工作日"},      {"yes", "是"},
  };
  return labels;
}

TEST_CASE("English is the key itself") {
  for (std::string_view s : {"subject", "status", "anything at all", "", "主题"}) CHECK(tr(Lang::en, s) == s);
}

TEST_CASE("Chinese labels") {
  CHECK(tr(Lang::zh, "subject") == "主题");
  CHECK(tr(Lang::zh, "owner") == "归口部门");
  CHECK(tr(Lang::zh, "CAPA") == "纠正预防措施");
  CHECK(tr(Lang::zh, "yes") == "是");
}

TEST_CASE("every key of the table is found in Chinese") {
  REQUIRE(known_labels().size() == 80);
  for (const auto& [english, chinese] : known_labels()) {
    CAPTURE(english);
    CHECK(tr(Lang::zh, english) == chinese);
  }
}

TEST_CASE("every status, outcome, direction and flow name has a Chinese label") {
  for (auto v : {Status::open, Status::acknowledged, Status::waiting, Status::closed}) {
    CAPTURE(to_string(v));
    CHECK(tr(Lang::zh, to_string(v)) != to_string(v));
  }
  for (auto v : {Outcome::resolved, Outcome::adopted, Outcome::rejected, Outcome::withdrawn, Outcome::duplicate,
                 Outcome::no_action}) {
    CAPTURE(to_string(v));
    CHECK(tr(Lang::zh, to_string(v)) != to_string(v));
  }
  for (auto v : {Direction::internal, Direction::external}) {
    CAPTURE(to_string(v));
    CHECK(tr(Lang::zh, to_string(v)) != to_string(v));
  }
  for (auto v : {Flow::upward, Flow::downward, Flow::lateral}) {
    CAPTURE(to_string(v));
    CHECK(tr(Lang::zh, to_string(v)) != to_string(v));
  }
}

TEST_CASE("unknown keys fall back to the English text") {
  CHECK(tr(Lang::zh, "no such label") == "no such label");
  CHECK(tr(Lang::zh, "") == "");
  CHECK(tr(Lang::zh, "Subject") == "Subject");   // lookup is case-sensitive
  CHECK(tr(Lang::zh, "subjec") == "subjec");     // a prefix is not a match
  CHECK(tr(Lang::zh, "subjects") == "subjects");
  CHECK(tr(Lang::zh, "zzz") == "zzz");           // past the last key
  CHECK(tr(Lang::zh, "AAA") == "AAA");           // before the first key
}

TEST_CASE("a label found by id is the label found by its English") {
  CHECK(text_of(Msg::label_owner, Lang::zh) == "归口部门");
  CHECK(text_of(Msg::label_owner, Lang::en) == "owner");
  for (const auto& e : kCatalogue) {
    if (e.kind != MsgKind::label) continue;
    CAPTURE(e.en);
    CHECK(tr(Lang::zh, e.en) == e.zh);
    CHECK(text_of(e.id, Lang::zh) == e.zh);
  }
}

TEST_CASE("help texts are found by their English, once each, in both languages") {
  CHECK(help_text(Lang::zh, "list records") == "列出记录");
  CHECK(help_text(Lang::en, "list records") == "list records");
  CHECK(help_text(Lang::zh, "Usage") == "用法");
  CHECK(help_text(Lang::zh, "no such help text") == "no such help text");  // English, as it is
  CHECK_FALSE(find_help_text(Lang::zh, "no such help text"));
  std::set<std::string_view> english;
  for (const auto& h : kHelpTexts) {
    CAPTURE(h.en);
    CHECK(english.insert(h.en).second);  // the English names one entry
    CHECK(!h.zh.empty());
    CHECK(h.zh != h.en);
    CHECK(help_text(Lang::zh, h.en) == h.zh);
    CHECK(h.en.find('{') == std::string_view::npos);  // shown as they are, no values
  }
}

TEST_CASE("lang_from_locale") {
  CHECK(lang_from_locale("zh_CN.UTF-8") == Lang::zh);
  CHECK(lang_from_locale("zh_TW.UTF-8") == Lang::zh);
  CHECK(lang_from_locale("zh") == Lang::zh);
  CHECK(lang_from_locale("en_US.UTF-8") == Lang::en);
  CHECK(lang_from_locale("") == Lang::en);
  CHECK(lang_from_locale("C") == Lang::en);
  CHECK(lang_from_locale("POSIX") == Lang::en);
  CHECK(lang_from_locale("z") == Lang::en);
  CHECK(lang_from_locale("de_DE.UTF-8") == Lang::en);
}

TEST_CASE("lang_of_locale: C and POSIX choose no language (a cron job's locale)") {
  CHECK(lang_of_locale("zh_CN.UTF-8") == Lang::zh);
  CHECK(lang_of_locale("en_US.UTF-8") == Lang::en);
  CHECK(lang_of_locale("de_DE@euro") == Lang::en);
  CHECK(lang_of_locale("") == std::nullopt);
  CHECK(lang_of_locale("C") == std::nullopt);
  CHECK(lang_of_locale("C.UTF-8") == std::nullopt);
  CHECK(lang_of_locale("C.utf8") == std::nullopt);
  CHECK(lang_of_locale("POSIX") == std::nullopt);
  CHECK(lang_named("zh") == Lang::zh);
  CHECK(lang_named("en") == Lang::en);
  CHECK(lang_named("zh_CN") == std::nullopt);
  CHECK(lang_named("") == std::nullopt);
}

}  // namespace
}  // namespace liaison
