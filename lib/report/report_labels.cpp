#include "report_labels.h"

#include <array>

namespace liaison {
namespace {

struct ReportLabel {
  std::string_view key;
  std::string_view en;
  std::string_view zh;
};

// Grouped by section; new keys go at the end of their group. Keys are unique (checked
// by tests/report_test.cpp).
constexpr ReportLabel kLabels[] = {
    // The report as a whole.
    {"title", "Communication report", "内外部沟通汇总报告"},
    {"period", "Period", "统计期间"},
    {"none", "(none)", "（无）"},
    {"no_party", "(no party)", "（无相关方）"},
    {"no_channel", "(no channel)", "（未注明）"},
    {"all", "All", "全部"},
    {"total", "Total", "合计"},
    {"yes", "yes", "是"},
    {"no", "no", "否"},
    {"internal", "internal", "内部"},
    {"external", "external", "外部"},
    // Section titles.
    {"section.volume", "1. Volume received", "一、收到的沟通记录"},
    {"section.flow", "2. Flow", "二、流转情况"},
    {"section.timeliness", "3. Timeliness", "三、及时性"},
    {"section.overdue", "4. Overdue at the end of the period", "四、期末超期"},
    {"section.suggestions", "5. Suggestions and major records", "五、合理化建议与重大事项"},
    {"section.change", "6. Change against the previous period", "六、与上期比较"},
    {"section.provenance", "Provenance", "报告来源"},
    // §1 tables.
    {"volume.total", "Received", "收到合计"},
    {"volume.by_direction_kind", "By direction and kind", "按方向和类别"},
    {"volume.by_owner", "By owner department", "按归口部门"},
    {"volume.by_channel", "By channel", "按沟通方式"},
    {"volume.by_party_type", "By party type", "按相关方类型"},
    {"volume.top_parties", "Top parties by complaints", "投诉最多的相关方"},
    // §2 figures.
    {"flow.open_at_start", "Open at the start", "期初未关闭"},
    {"flow.received", "Received", "本期收到"},
    {"flow.closed", "Closed", "本期关闭"},
    {"flow.reopened", "Reopened", "本期重新打开"},
    {"flow.open_at_end", "Open at the end", "期末未关闭"},
    // §3.
    {"timeliness.ack", "Acknowledge", "确认"},
    {"timeliness.resolve", "Resolve", "处理"},
    {"timeliness.by_department", "By department", "按部门"},
    {"timeliness.by_kind", "By kind", "按类别"},
    // §4.
    {"overdue.by_owner", "Overdue by owner department", "按归口部门统计超期"},
    {"overdue.list", "Overdue records", "超期记录"},
    {"overdue.count", "Overdue at the end", "期末超期"},
    {"overdue.none", "Nothing was overdue at the end of the period.", "期末没有超期记录。"},
    // §5.
    {"suggestions.title", "Suggestions", "合理化建议"},
    {"suggestions.received", "Received", "本期收到"},
    {"suggestions.adopted", "Adopted", "采纳"},
    {"suggestions.rejected", "Rejected", "不采纳"},
    {"suggestions.other_closed", "Closed otherwise", "其他方式关闭"},
    {"suggestions.pending", "Pending", "待处理"},
    {"major.title", "Major records", "重大事项"},
    {"major.none", "No major record was open during the period.", "本期没有未关闭的重大事项。"},
    {"major.open", "open", "未关闭"},
    {"major.closed", "closed", "已关闭"},
    // §6 metrics.
    {"change.received", "Received", "收到"},
    {"change.closed", "Closed", "关闭"},
    {"change.open_at_end", "Open at the end", "期末未关闭"},
    {"change.overdue_at_end", "Overdue at the end", "期末超期"},
    {"change.ack_on_time", "Acknowledged on time", "按时确认率"},
    {"change.resolve_on_time", "Resolved on time", "按时处理率"},
    {"change.points", " pp", " 个百分点"},  // after a difference of two rates (html)
    // Column headings.
    {"col.direction", "Direction", "方向"},
    {"col.kind", "Kind", "类别"},
    {"col.department", "Department", "部门"},
    {"col.owner", "Owner", "归口部门"},
    {"col.assignee", "Assignee", "经办人"},
    {"col.channel", "Channel", "沟通方式"},
    {"col.party_type", "Party type", "相关方类型"},
    {"col.party", "Party", "相关方"},
    {"col.count", "Count", "数量"},
    {"col.share", "Share", "占比"},
    {"col.complaints", "Complaints", "投诉数"},
    {"col.figure", "Figure", "项目"},
    {"col.value", "Value", "数值"},
    {"col.group", "Group", "分组"},
    {"col.ack_count", "Ack due", "应确认"},
    {"col.ack_on_time", "Ack on time", "按时确认"},
    {"col.ack_rate", "Ack on-time rate", "按时确认率"},
    {"col.ack_median", "Ack median (wh)", "确认中位数(工时)"},
    {"col.ack_p90", "Ack p90 (wh)", "确认90分位(工时)"},
    {"col.resolve_count", "Resolve due", "应处理"},
    {"col.resolve_on_time", "Resolved on time", "按时处理"},
    {"col.resolve_rate", "Resolve on-time rate", "按时处理率"},
    {"col.resolve_median", "Resolve median (wh)", "处理中位数(工时)"},
    {"col.resolve_p90", "Resolve p90 (wh)", "处理90分位(工时)"},
    {"col.ref", "Reference", "编号"},
    {"col.subject", "Subject", "主题"},
    {"col.due", "Due", "处理时限"},
    {"col.late_days", "Working days late", "超期工作日"},
    {"col.late_hours", "Working hours late", "超期工时"},
    {"col.received_at", "Received", "收到时间"},
    {"col.state", "State", "状态"},
    {"col.closed_at", "Closed", "关闭时间"},
    {"col.escalated_to", "Escalated to", "已上报至"},
    {"col.metric", "Figure", "项目"},
    {"col.current", "This period", "本期"},
    {"col.previous", "Previous period", "上期"},
    {"col.change", "Change", "变化"},
    // Provenance.
    {"prov.period", "Period", "统计期间"},
    {"prov.from", "From", "起"},
    {"prov.to", "To (exclusive)", "止（不含）"},
    {"prov.end", "Counted up to", "统计截至"},
    {"prov.now", "Now", "生成时间"},
    {"prov.version", "liaison version", "liaison 版本"},
    {"prov.last_event_id", "Last event id", "最后事件编号"},
    {"prov.config_hash", "Config hash", "配置哈希"},
    {"prov.timezone", "Time zone", "时区"},
    {"prov.filters", "Filters", "筛选条件"},
    {"prov.previous", "Previous period", "上期"},
};

}  // namespace

std::string_view report_label(std::string_view key, std::string_view lang) {
  for (const auto& l : kLabels)
    if (l.key == key) return lang == "zh" ? l.zh : l.en;
  return key;
}

/// Every key, for the uniqueness test.
std::size_t report_label_count() { return std::size(kLabels); }
std::string_view report_label_key(std::size_t i) { return kLabels[i].key; }

}  // namespace liaison
