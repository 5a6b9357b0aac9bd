#include "messages.h"

#include <optional>
#include <utility>
#include <vector>

namespace liaison {
namespace {

// English template → Chinese template; "{}" are the values, in the same order (see fill). Longer,
// more specific templates come before shorter ones that could also match.
constexpr std::pair<std::string_view, std::string_view> kCatalog[] = {
    // Errors: what went wrong.
    {"no record {}", "没有编号为 {} 的记录"},
    {"no party \"{}\"", "没有相关方 \"{}\""},
    {"no database at {}", "{} 处没有数据库"},
    {"no liaison.toml found", "找不到 liaison.toml"},
    {"{} is closed and cannot be {}", "{0} 已关闭，不能再处理"},
    {"{} is already closed", "{} 已经关闭"},
    {"{} is already waiting", "{} 已处于等待状态"},
    {"{} is already with {}", "{} 已由 {} 处理"},
    {"{} is not closed", "{} 尚未关闭"},
    {"{} is not waiting", "{} 不在等待状态"},
    {"{} was already acknowledged at {}", "{} 已于 {} 确认"},
    {"{} is not in {} ({}), which owns the record", "{} 不属于该记录的归口部门 {}（{}）"},
    {"{} already exists", "{} 已存在"},
    {"party \"{}\" already exists", "相关方 \"{}\" 已存在"},
    {"unknown department or user \"{}\" for {}", "{1} 中的部门或用户 \"{0}\" 不存在"},
    {"unknown department \"{}\" for {}", "{1} 中的部门 \"{0}\" 不存在"},
    {"unknown user \"{}\" for {}", "{1} 中的用户 \"{0}\" 不存在"},
    {"unknown channel \"{}\" for {}", "{1} 中的沟通方式 \"{0}\" 不存在"},
    {"unknown kind \"{}\"", "类别 \"{}\" 不存在"},
    {"unknown level \"{}\"", "密级 \"{}\" 不存在"},
    {"unknown party type \"{}\"", "相关方类型 \"{}\" 不存在"},
    {"unknown entry type \"{}\"", "条目类型 \"{}\" 不存在"},
    {"unknown format \"{}\"", "输出格式 \"{}\" 不存在"},
    {"--status: unknown status \"{}\"", "--status：状态 \"{}\" 不存在"},
    {"--columns: unknown column \"{}\"", "--columns：列 \"{}\" 不存在"},
    {"--outcome: unknown outcome \"{}\"", "--outcome：处理结果 \"{}\" 不存在"},
    {"{}: cannot read \"{}\" as a time", "{}：无法把 \"{}\" 识别为时间"},
    {"an {} {} needs {}", "{t} {} 必须填写 {t}"},
    {"a {} needs the reply to be sent before closing", "{} 关闭前必须先回复"},
    {"{} is empty", "{t}为空"},
    {"the subject", "主题"},
    {"the resolution", "处理结果说明"},
    {"the reason", "原因"},
    {"the receipt time {} is in the future", "接收时间 {} 晚于当前时间"},
    {"no rule routes this record to a department", "没有规则把这条记录分派给部门"},
    {"no rule routes {} any more", "已没有规则分派 {}"},
    {"the database is busy while {}", "数据库正忙（{}）"},
    {"{} has schema version {}, newer than this liaison knows ({})",
     "{} 的数据库版本为 {}，比本程序所知的版本（{}）新"},
    {"{} is not a liaison database", "{} 不是 liaison 数据库"},
    {"history altered: event {}: {}", "历史记录被篡改：事件 {}：{}"},
    {"{}: {} errors in the configuration", "{}：配置中有 {} 处错误"},
    {"{}: 1 error in the configuration", "{}：配置中有 1 处错误"},
    // liaison report
    {"give either --period or --from and --to, not both", "--period 与 --from/--to 只能二选一"},
    {"--period: cannot read \"{}\" as a period", "--period：无法把 \"{}\" 识别为统计期间"},
    {"no period given", "没有指定统计期间"},
    {"--from and --to go together", "--from 与 --to 必须同时给出"},
    {"--from {} is not before --to {}", "--from {} 不早于 --to {}"},
    {"--out: cannot write {}: no directory {}", "--out：无法写入 {}：目录 {} 不存在"},
    {"--out: cannot write {}: {}", "--out：无法写入 {}：{}"},
    // liaison overdue: how late, in a table cell.
    {"due in {}", "{t}后到期"},
    {"{} wd", "{} 个工作日"},
    // What a command did.
    {"{}: acknowledged — late", "{}：已确认（已超过确认时限）"},
    {"{}: acknowledged", "{}：已确认"},
    {"{}: closed ({}) — after its deadline", "{}：已关闭（{t}），已超过处理时限"},
    {"{}: closed ({})", "{}：已关闭（{t}）"},
    {"{}: escalated to {}", "{}：已上报至 {}"},
    {"{}: {} logged (event {})", "{}：已记录{t}（事件 {}）"},
    {"{}: reopened; due {}", "{}：已重新打开，处理时限 {}"},
    {"{}: reopened", "{}：已重新打开"},
    {"{}: resumed; due {}", "{}：已恢复，处理时限 {}"},
    {"{}: resumed", "{}：已恢复"},
    {"{}: routed to {} ({})", "{}：已转交 {}（{}）"},
    {"{}: routed to {}", "{}：已转交 {}"},
    {"{}: waiting; resolve clock paused", "{}：等待中，处理时钟已暂停"},
    {"sent to {} <{}>: 1 record", "已发送给 {} <{}>：1 条记录"},
    {"sent to {} <{}>: {} records", "已发送给 {} <{}>：{} 条记录"},
    {"could not send the reminder to {} <{}>: {}", "无法把提醒发送给 {} <{}>：{}"},
    {"{} of {} reminders could not be sent", "{} 封提醒未能发送（共 {} 封）"},
    {"warning: {}: no e-mail address for {}", "警告：{}：没有可用的邮箱地址（{}）"},
    {"the {} header would contain a line break", "邮件头 {} 中会出现换行符"},
    {"\"{}\" is not an e-mail address ({} header)", "\"{}\" 不是邮箱地址（{} 邮件头）"},
    // Hints: what to do.
    {"did you mean \"{}\"?", "是否是指 \"{}\"？"},
    {"check the reference with 'liaison list --status all'", "请用 'liaison list --status all' 核对编号"},
    {"register it first with 'liaison party add', or see 'liaison party list'",
     "请先用 'liaison party add' 登记，或查看 'liaison party list'"},
    {"reopen it first with 'liaison reopen {} --reason …'", "请先用 'liaison reopen {} --reason …' 重新打开"},
    {"reopen it with 'liaison reopen {} --reason …' if it needs more work",
     "如需继续处理，请用 'liaison reopen {} --reason …' 重新打开"},
    {"resume it with 'liaison resume {}'", "请用 'liaison resume {}' 恢复"},
    {"only closed records can be reopened", "只有已关闭的记录才能重新打开"},
    {"only a record paused with 'liaison wait' can be resumed", "只有用 'liaison wait' 暂停的记录才能恢复"},
    {"nothing to do", "无需操作"},
    {"it is not recorded as sent and goes out with the next run", "该提醒未记为已发送，下次运行时会重新发送"},
    {"the others were sent; run 'liaison remind' again once the cause is fixed",
     "其余提醒已发送；排除原因后请再次运行 'liaison remind'"},
    {"add an email to that user or department in the config", "请在配置中为该用户或部门填写 email"},
    {"remove line breaks from names, subjects and addresses in the config and the records",
     "请去掉配置和记录中姓名、主题和地址里的换行符"},
    {"nothing to change", "没有需要修改的内容"},
    {"give --to DEPT, or add a [[rule]] that matches it", "请用 --to 指定部门，或添加匹配的 [[rule]]"},
    {"give --reply-via CHANNEL: how the reply went to the originator", "请用 --reply-via 注明回复发起人的方式"},
    {"give --{}", "请提供 --{}"},
    {"give --subject TEXT", "请用 --subject 提供主题"},
    {"give --resolution TEXT", "请用 --resolution 提供处理结果说明"},
    {"give --reason TEXT", "请用 --reason 说明原因"},
    {"give a --received time at or before now", "--received 不能晚于当前时间"},
    {"run 'liaison init' to create one, or give --db", "请运行 'liaison init' 创建，或用 --db 指定"},
    {"give --config FILE, set $LIAISON_CONFIG, or run 'liaison init'",
     "请用 --config 指定文件、设置 $LIAISON_CONFIG，或运行 'liaison init'"},
    {"fix each problem listed, then check again with 'liaison config check'",
     "请逐条修正上面列出的问题，再用 'liaison config check' 检查"},
    {"another liaison command holds it; try again in a moment", "另一个 liaison 命令正在写入，请稍后重试"},
    {"upgrade liaison to a version that knows this database", "请升级 liaison 到支持该数据库的版本"},
    {"write it as 2026-09-30, 2026-09-30 14:00 or 2026-09-30T14:00:00+08:00",
     "请写成 2026-09-30、2026-09-30 14:00 或 2026-09-30T14:00:00+08:00"},
    {"write a month 2026-10, a quarter 2026-Q3, a year 2026, or last-month",
     "请写成月份 2026-10、季度 2026-Q3、年份 2026 或 last-month"},
    {"give --period 2026-10 (or 2026-Q3, 2026, last-month) or --from and --to",
     "请用 --period 2026-10（或 2026-Q3、2026、last-month）或 --from 与 --to 指定"},
    {"give both; --to is exclusive", "请同时给出两者；--to 不含当天"},
    {"--to is exclusive and must come after --from", "--to 不含在内，必须晚于 --from"},
    {"create the directory first, or give another --out", "请先创建该目录，或换一个 --out"},
    // liaison query (lib/store/sqlite/store_sqlite_query.cpp, cmd/query.cpp)
    {"query refused: {}", "查询被拒绝：{t}"},
    {"the tables behind the views (main.*) cannot be read", "不能读取视图背后的表（main.*）"},
    {"the statement would change the database", "该语句会修改数据库"},
    {"liaison query runs one SELECT over the views records, events, parties and clocks; see man liaison-views",
     "liaison query 只对视图 records、events、parties、clocks 运行一条 SELECT；参见 man liaison-views"},
    {"the query is {} bytes long, more than the {} allowed", "查询长 {} 字节，超过允许的 {} 字节"},
    {"shorten it; the views carry the joins and names that make long queries unnecessary",
     "请缩短查询；视图已带有连接和名称，通常无需很长的查询"},
    {"the query is empty", "查询为空"},
    {"give one SELECT, e.g. 'SELECT count(*) FROM records'", "请给出一条 SELECT，例如 'SELECT count(*) FROM records'"},
    {"the query holds more than one statement", "查询包含不止一条语句"},
    {"give exactly one SELECT", "只能给出一条 SELECT"},
    {"EXPLAIN is not a query here", "此处不接受 EXPLAIN"},
    {"use 'liaison query --explain SQL' for the query plan", "查看查询计划请用 'liaison query --explain SQL'"},
    {"SQL error: {}", "SQL 错误：{}"},
    {"see man liaison-views for the views and their columns", "视图及其各列见 man liaison-views"},
    {"the query failed: {}", "查询执行失败：{}"},
    {"correct the query", "请修改查询"},
    {"the query has a positional parameter ({})", "查询含有位置参数（{}）"},
    {"name it, e.g. :owner, and give --param owner=VALUE", "请为其命名，如 :owner，并用 --param owner=VALUE 赋值"},
    {"the query's parameter {} has no value", "查询参数 {} 没有值"},
    {"--param {}: the query has no parameter :{}", "--param {}：查询中没有参数 :{}"},
    {"write :NAME, @NAME or $NAME in the query, or drop the --param",
     "请在查询中写 :NAME、@NAME 或 $NAME，或去掉该 --param"},
    {"--param \"{}\" is not NAME=VALUE", "--param \"{}\" 不是 NAME=VALUE 的形式"},
    {"write e.g. --param owner=quality", "例如 --param owner=quality"},
    {"--param {} is given twice", "--param {} 给了两次"},
    {"give each parameter once", "每个参数只能给一次"},

    // export / import (issue 4 §3)
    {"{} problem(s) in {}; nothing was imported", "{1} 中有 {0} 处问题；未导入任何内容"},
    {"fix each line listed and import the whole file again", "请逐行修正上面列出的问题，再导入整个文件"},
    {"reading stopped there and there may be more; fix them and import the whole file again",
     "已在此停止读取，后面可能还有问题；请修正后再导入整个文件"},
    {"imported {} records, {} new parties ({} already registered), {} events from {}",
     "已从 {4} 导入 {0} 条记录、{1} 个新相关方（{2} 个已登记）、{3} 条事件"},
    {"would import {} records, {} new parties ({} already registered), {} events from {}; nothing written (--dry-run)",
     "将从 {4} 导入 {0} 条记录、{1} 个新相关方（{2} 个已登记）、{3} 条事件；未写入任何内容 (--dry-run)"},
    {"exported {} records ({} redacted), {} parties, {} events to {}",
     "已导出 {0} 条记录（{1} 条已隐去内容）、{2} 个相关方、{3} 条事件到 {4}"},
    {"{} may not import records", "{} 无权导入记录"},
    {"only admins and top management may; act as one with --as", "仅管理员和最高管理者可以导入；请用 --as 以其身份操作"},
    {"export writes jsonl or csv, not \"{}\"", "export 只能输出 jsonl 或 csv，不能输出 \"{}\""},
    {"give --format jsonl (the default) or --format csv", "请用 --format jsonl（默认）或 --format csv"},
    {"import reads jsonl or csv, not \"{}\"", "import 只能读取 jsonl 或 csv，不能读取 \"{}\""},
    {"give --format jsonl or --format csv, or leave it out to tell by the content",
     "请用 --format jsonl 或 --format csv，或省略以按内容判断"},
    {"cannot read {}", "无法读取 {}"},
    {"check the file's name and permissions", "请检查文件名和权限"},
    // liaison audit verify, audit log, backup
    {"record state altered: {}", "记录状态被篡改：{t}"},
    {"{}: {} is \"{}\", but its history gives \"{}\" ({})", "{}：{} 为 \"{}\"，但其历史记录给出 \"{}\"（{t}）"},
    {"{}: the record with id {} is missing, but {} events of its history remain",
     "{}：id 为 {} 的记录已不存在，但其历史中仍有 {} 个事件"},
    {"{}: the record has no history (no filed or imported event)", "{}：该记录没有历史（没有 filed 或 imported 事件）"},
    {"{}: the history starts with event {} ({}), not with filed or imported",
     "{}：历史从事件 {}（{}）开始，而不是 filed 或 imported"},
    {"{}: event {} files the record a second time", "{}：事件 {} 再次登记了该记录"},
    {"{}: event {} holds no readable data", "{}：事件 {} 的数据无法读取"},
    {"event {}", "事件 {}"},
    {"the records table was changed behind liaison's back; compare with a backup",
     "记录表被绕过 liaison 修改过；请与备份比对"},
    {"--type: unknown event type \"{}\"", "--type：事件类型 \"{}\" 不存在"},
    {"--limit must be 0 (no limit) or more", "--limit 必须为 0（不限）或更大"},
    {"backed up to {}: {} records, {} events (last event {}), {}; integrity and hash chain checked",
     "已备份到 {}：{} 条记录，{} 个事件（最后事件 {}），{}；完整性与哈希链已检查"},
    {"{} may not take a backup: it holds every record at every level", "{} 无权备份：备份包含各密级的全部记录"},
    {"ask an admin, an auditor or top management, or act as one with --as",
     "请联系管理员、审核员或最高管理者，或用 --as 以其身份操作"},
    {"{} is the database itself", "{} 就是数据库本身"},
    {"give another file name for the backup", "请为备份另取文件名"},
    {"{} is a directory", "{} 是目录"},
    {"give the name of the backup file to write", "请给出要写入的备份文件名"},
    {"choose another name, or give --force to replace it", "请换一个文件名，或用 --force 覆盖"},
    {"cannot create the backup in {}: {}", "无法在 {} 中创建备份：{}"},
    {"choose a folder you can write to, with room for a copy of the database",
     "请选择可写入、空间足够容纳数据库副本的目录"},
    {"the copy fails SQLite's integrity check: {}", "副本未通过 SQLite 完整性检查：{}"},
    {"the copy's history does not verify: event {}: {}", "副本的历史记录校验失败：事件 {}：{}"},
    // Full-text search (search, list --grep).
    {"the search has nothing to search for", "搜索内容中没有可搜索的词语"},
    {"--grep has nothing to search for", "--grep 中没有可搜索的词语"},
    {"give a word or Chinese characters; punctuation and symbols alone match nothing",
     "请给出词语或汉字；只有标点、符号无法搜索"},
    {"this SQLite has no full-text search (FTS5)", "此 SQLite 不支持全文检索（FTS5）"},
    {"build liaison against an SQLite with FTS5 enabled", "请用启用了 FTS5 的 SQLite 构建 liaison"},
    // Access control and the complainant's identity (lib/policy/access.cpp, lib/services/services.cpp, liaison show).
    // More specific templates first: "{} may not {} {}" would also match the others.
    {"{} (not a [[user]] in {}) may not see who raised {}", "{} 不是 {} 中的 [[user]]，无权查看 {} 的投诉人身份"},
    {"{} may not see who raised {}", "{} 无权查看 {} 的投诉人身份"},
    {"{} (not a [[user]] in {}) may not {}", "{} 不是 {} 中的 [[user]]，无权{t}"},
    {"{} may not {}: auditors read but never write", "{} 无权{t}：审核员只能查阅，不能写入"},
    {"{} may not {} {}", "{} 无权{t} {}"},
    {"any listed user who is not an auditor may {}", "除审核员外，配置中列出的用户均可{t}"},
    {"act as a listed user with --as or $LIAISON_USER, or add a [[user]] entry",
     "请用 --as 或 $LIAISON_USER 以配置中列出的用户身份操作，或在配置中添加 [[user]]"},
    {"only members or the head of {}, top management or an admin may", "只有 {} 的成员或负责人、最高管理者或管理员可以操作"},
    {"only the head of {}, top management, admins and the grievance role may",
     "只有 {} 的负责人、最高管理者、管理员和申诉处理人员可以查看"},
    {"file", "登记"},
    {"log", "记录"},
    {"escalate", "上报"},
    {"acknowledge", "确认"},
    {"route", "转交"},
    {"pause", "暂停"},
    {"resume", "恢复"},
    {"close", "关闭"},
    {"reopen", "重新打开"},
    {"add parties", "登记相关方"},
    {"edit parties", "修改相关方"},
    {"send reminders", "发送提醒"},
    {"--anonymous contradicts --contact-name, --contact-position, --contact-org and --contact-phone",
     "--anonymous 与 --contact-name、--contact-position、--contact-org、--contact-phone 互相矛盾"},
    {"give either --anonymous or who raised it", "请只给出 --anonymous 或投诉人身份之一"},
    {"a {} takes no complainant identity", "{} 类记录不登记投诉人身份"},
    {"leave out --contact-name, --contact-position, --contact-org, --contact-phone and --anonymous",
     "请去掉 --contact-name、--contact-position、--contact-org、--contact-phone 和 --anonymous"},
    {"a {} cannot be filed anonymously", "{} 类记录不能匿名登记"},
    {"give who raised it with --contact-name (and --contact-phone …)",
     "请用 --contact-name（及 --contact-phone 等）提供投诉人身份"},
    {"the complainant's name is required for an {} {}", "{t} {} 必须填写投诉人姓名"},
    {"give --contact-name (and --contact-position, --contact-org, --contact-phone)",
     "请用 --contact-name（及 --contact-position、--contact-org、--contact-phone）提供投诉人身份"},
    {"{}: filed anonymously", "{}：匿名登记"},
    {"{}: no complainant identity was recorded", "{}：没有登记投诉人身份"},
    // audit verify: records imported without history (their "imported" event)
    {"{}: event {} imports the record a second time", "{}：事件 {} 再次导入了该记录"},
    {"{}: event {} (imported) does not say the record's state as imported",
     "{}：事件 {}（imported）未载明导入时的记录状态"},
};

/// The values of `text` if it fits `pattern` ("{}" = any text, possibly empty), else nullopt.
std::optional<std::vector<std::string>> match(std::string_view pattern, std::string_view text) {
  std::vector<std::string_view> literals;
  for (std::size_t start = 0;;) {
    auto hole = pattern.find("{}", start);
    literals.push_back(pattern.substr(start, hole == std::string_view::npos ? std::string_view::npos : hole - start));
    if (hole == std::string_view::npos) break;
    start = hole + 2;
  }
  if (text.substr(0, literals.front().size()) != literals.front()) return std::nullopt;
  std::size_t pos = literals.front().size();
  std::vector<std::string> values;
  for (std::size_t i = 1; i < literals.size(); ++i) {
    std::string_view lit = literals[i];
    std::size_t found;
    if (i + 1 == literals.size()) {  // the last literal anchors the end
      if (text.size() < pos + lit.size() || text.substr(text.size() - lit.size()) != lit) return std::nullopt;
      found = text.size() - lit.size();
    } else {
      found = lit.empty() ? pos : text.find(lit, pos);
      if (found == std::string_view::npos) return std::nullopt;
    }
    values.emplace_back(text.substr(pos, found - pos));
    pos = found + lit.size();
  }
  if (literals.size() == 1 && text.size() != pattern.size()) return std::nullopt;
  return values;
}

/// Puts the values into a Chinese template: "{}" takes the next value as it is, "{N}"
/// value N, and "{t}" the next value translated (a phrase of the catalog or a label).
std::string fill(std::string_view pattern, const std::vector<std::string>& values, Lang lang) {
  std::string out;
  std::size_t next = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      out.push_back(pattern[i]);
      continue;
    }
    auto close = pattern.find('}', i);
    std::string_view inside = pattern.substr(i + 1, close - i - 1);
    bool translated = inside == "t";
    std::size_t index = inside.empty() || translated ? next++ : static_cast<std::size_t>(inside[0] - '0');
    if (index < values.size()) out += translated ? translate_message(lang, values[index]) : values[index];
    i = close;
  }
  return out;
}

}  // namespace

std::string translate_message(Lang lang, std::string_view english) {
  if (lang != Lang::zh) return std::string(english);
  for (const auto& [en, zh] : kCatalog)
    if (auto values = match(en, english)) return fill(zh, *values, lang);
  return std::string(tr(lang, english));
}

}  // namespace liaison
