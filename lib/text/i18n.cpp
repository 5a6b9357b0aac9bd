#include "i18n.h"

#include <algorithm>
#include <array>
#include <utility>

namespace liaison {
namespace {

// Sorted by the English key (checked by tests/i18n_test.cpp).
constexpr std::array<std::pair<std::string_view, std::string_view>, 91> kChinese{{
    {"CAPA", "纠正预防措施"},
    {"ack", "确认"},
    {"ack due", "确认时限"},
    {"acked", "确认时间"},
    {"acknowledged", "已确认"},
    {"actor", "操作人"},
    {"address", "地址"},
    {"adopted", "采纳"},
    {"anonymous", "匿名"},
    {"assignee", "经办人"},
    {"at", "时间"},
    {"body", "内容"},
    {"call", "电话"},
    {"channel", "沟通方式"},
    {"clock", "时钟"},
    {"closed", "已关闭"},
    {"closed at", "关闭时间"},
    {"config hash", "配置哈希"},
    {"contact", "联系人"},
    {"created by", "录入人"},
    {"day", "日"},
    {"deadline", "时限"},
    {"department", "部门"},
    {"direction", "方向"},
    {"downward", "下行"},
    {"due", "处理时限"},
    {"duplicate", "重复"},
    {"duration", "时长"},
    {"email", "邮件"},
    {"entry", "条目"},
    {"escalated to", "已上报至"},
    {"event", "事件"},
    {"external", "外部"},
    {"flow", "流向"},
    {"from", "发起部门"},
    {"history", "历史"},
    {"holiday", "节假日"},
    {"id", "编号"},
    {"identity", "投诉人身份"},
    {"internal", "内部"},
    {"kind", "类别"},
    {"late", "超期"},
    {"lateral", "平级"},
    {"level", "密级"},
    {"major", "重大"},
    {"makeup", "调休上班"},
    {"meeting", "会议"},
    {"met", "按时"},
    {"name", "名称"},
    {"no", "否"},
    {"no-action", "无需处理"},
    {"note", "备注"},
    {"notes", "备注"},
    {"notified", "知会部门"},
    {"notify", "知会"},
    {"obligation", "事项"},
    {"open", "待确认"},
    {"organization", "单位"},
    {"outcome", "处理结果"},
    {"overdue", "已超期"},
    {"override", "公司调整"},
    {"owner", "归口部门"},
    {"party", "相关方"},
    {"phone", "电话"},
    {"position", "职务"},
    {"protected", "受保护（仅限有权人员查看）"},
    {"provisional", "暂定"},
    {"received", "接收时间"},
    {"ref", "编号"},
    {"rejected", "不采纳"},
    {"reply", "回复"},
    {"reply via", "回复方式"},
    {"resolution", "处理结果说明"},
    {"resolve", "处理"},
    {"resolved", "已解决"},
    {"rule", "规则"},
    {"score", "相关度"},
    {"snippet", "摘录"},
    {"started", "开始"},
    {"status", "状态"},
    {"stopped", "停止时间"},
    {"subject", "主题"},
    {"type", "类型"},
    {"upward", "上行"},
    {"used", "已用"},
    {"waiting", "等待中"},
    {"weekend", "周末"},
    {"what", "内容"},
    {"withdrawn", "撤回"},
    {"workday", "工作日"},
    {"yes", "是"},
}};

}  // namespace

Lang lang_from_locale(std::string_view locale) {
  return locale.substr(0, 2) == "zh" ? Lang::zh : Lang::en;
}

std::string_view tr(Lang lang, std::string_view english) {
  if (lang == Lang::en) return english;
  auto it = std::lower_bound(kChinese.begin(), kChinese.end(), english,
                             [](const auto& entry, std::string_view key) { return entry.first < key; });
  if (it != kChinese.end() && it->first == english) return it->second;
  return english;
}

}  // namespace liaison
