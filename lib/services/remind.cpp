#include "remind.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "access.h"
#include "chain.h"
#include "hash.h"
#include "services.h"

namespace liaison {
namespace {

using nlohmann::json;

/// The labels of a reminder message, per language. They live here rather than in the
/// shared catalog because nothing else uses them.
struct Labels {
  std::string_view subject_one;      ///< {} = count
  std::string_view subject_many;
  std::string_view greeting;         ///< {} = name
  std::string_view intro_one;
  std::string_view intro_many;
  std::string_view kind, obligation, deadline, late, owner, why;
  std::string_view ack, resolve;
  std::string_view notify;           ///< {} = the party to report to
  std::string_view receipt;          ///< a recipient's signature (签收)
  std::string_view approval;         ///< an approver's decision (审批)
  std::string_view action;           ///< an action item's owner (待办事项)
  std::string_view late_none, late_one, late_many;
  std::string_view as_assignee, as_head, as_department, as_escalation, as_recipient, as_approver, as_action_owner;
  std::string_view footer;           ///< {} = organisation, {} = interval
};

constexpr Labels kEnglish{
    "[liaison] {} record overdue",
    "[liaison] {} records overdue",
    "Hello {},",
    "{} communication record is overdue; please deal with it:",
    "{} communication records are overdue; please deal with them:",
    "kind:       ",
    "obligation: ",
    "deadline:   ",
    "late:       ",
    "owner:      ",
    "why you:    ",
    "acknowledge receipt",
    "resolve and close",
    "report to {}",
    "sign for receipt (liaison ack)",
    "approve or reject (liaison approve, liaison reject)",
    "carry out the action, then: liaison action done",
    "less than one working day",
    "1 working day",
    "{} working days",
    "you are the assignee",
    "you head the owner department",
    "the owner department's mailbox",
    "escalation: overdue by {} or more",
    "you are a recipient and have not signed",
    "it is your turn to approve",
    "you own the action",
    "Sent by 'liaison remind' for {}. The same reminder is not repeated within {}.",
};

constexpr Labels kChinese{
    "【liaison】{} 条记录已逾期",
    "【liaison】{} 条记录已逾期",
    "{}，您好：",
    "以下 {} 条沟通记录已逾期，请尽快处理：",
    "以下 {} 条沟通记录已逾期，请尽快处理：",
    "类别：    ",
    "事项：    ",
    "时限：    ",
    "逾期：    ",
    "归口部门：",
    "提醒原因：",
    "确认受理",
    "处理结案",
    "向 {} 通报",
    "签收（liaison ack）",
    "审批（liaison approve 或 liaison reject）",
    "完成待办事项后：liaison action done",
    "不足 1 个工作日",
    "1 个工作日",
    "{} 个工作日",
    "您是该记录的负责人",
    "您是归口部门负责人",
    "归口部门邮箱",
    "升级提醒：逾期已满 {}",
    "您是接收人，尚未签收",
    "轮到您审批",
    "您是待办事项的负责人",
    "本邮件由 liaison remind 为{}自动发送；同一提醒在 {}内不会重复发送。",
};

const Labels& labels(Lang lang) { return lang == Lang::zh ? kChinese : kEnglish; }

}  // namespace

std::string human_duration(const Duration& d, Lang lang) {
  struct Unit {
    std::string_view en_one, en_many, zh;
  };
  static const std::map<DurationUnit, Unit> units = {
      {DurationUnit::minutes, {"minute", "minutes", "分钟"}},
      {DurationUnit::hours, {"hour", "hours", "小时"}},
      {DurationUnit::days, {"day", "days", "天"}},
      {DurationUnit::working_hours, {"working hour", "working hours", "个工作小时"}},
      {DurationUnit::working_days, {"working day", "working days", "个工作日"}},
  };
  const Unit& u = units.at(d.unit);
  if (lang == Lang::zh) return fmt::format("{} {}", d.amount, u.zh);
  return fmt::format("{} {}", d.amount, d.amount == 1 ? u.en_one : u.en_many);
}

Lang reminder_lang(const ReminderRecipient& to, const Config& config, Lang command_lang) {
  if (!to.department)
    if (const User* u = config.user(to.id))
      if (auto own = lang_named(u->lang)) return *own;
  return lang_named(config.organization.lang).value_or(command_lang);
}

namespace {

std::optional<ReminderRecipient> user_recipient(const Config& c, const std::string& id) {
  const User* u = c.user(id);
  if (!u || u->email.empty()) return std::nullopt;
  return ReminderRecipient{u->id, u->name.empty() ? u->id : u->name, u->email, false};
}

std::optional<ReminderRecipient> department_recipient(const Config& c, const std::string& id) {
  const Department* d = c.department(id);
  if (!d || d->email.empty()) return std::nullopt;
  return ReminderRecipient{d->id, d->name.empty() ? d->id : d->name, d->email, true};
}

/// A department's head (with an address), else the department's own address.
std::optional<ReminderRecipient> head_or_department(const Config& c, const std::string& dept, std::string& reason) {
  if (const Department* d = c.department(dept); d && !d->head.empty())
    if (auto r = user_recipient(c, d->head)) {
      reason = "owner-head";
      return r;
    }
  reason = "owner-department";
  return department_recipient(c, dept);
}

/// Who an escalation step's `to` names, or nullopt when it has no address.
std::optional<ReminderRecipient> step_recipient(const Config& c, const RemindStep& step, const OverdueEntry& e) {
  std::string ignored;
  // A receipt not signed is the recipient's: their own department's head sees to it.
  // So is an action: its owner's department head.
  const std::string holder_id = !receipt_holder(e.obligation).empty() ? receipt_holder(e.obligation) : action_owner(e.obligation);
  if (const User* holder = c.user(holder_id); holder && step.to == "head")
    return head_or_department(c, holder->department, ignored);
  if (step.to == "head") return head_or_department(c, e.owner, ignored);
  if (step.to == "top") {
    const Department* top = c.department(c.organization.top);
    if (!top) return std::nullopt;
    if (auto r = user_recipient(c, top->head)) return r;
    return department_recipient(c, top->id);
  }
  if (const Department* d = c.department(step.to)) {
    if (auto r = department_recipient(c, d->id)) return r;
    return user_recipient(c, d->head);
  }
  return user_recipient(c, step.to);
}

/// "the assignee gao.feng, the head of quality (ma.jun) or department quality itself".
Message nobody_text(const Config& c, const OverdueEntry& e) {
  const Department* d = c.department(e.owner);
  const bool head = d && !d->head.empty();
  Message department = e.owner.empty() ? msg<Msg::none_value>() : msg<Msg::text_as_given>(e.owner);
  if (!e.assignee.empty() && head) return msg<Msg::remind_nobody_assignee_head>(e.assignee, e.owner, d->head, department);
  if (!e.assignee.empty()) return msg<Msg::remind_nobody_assignee>(e.assignee, department);
  if (head) return msg<Msg::remind_nobody_head>(e.owner, d->head, department);
  return msg<Msg::remind_nobody>(department);
}

}  // namespace

/// Seconds east of UTC at `t` in the organisation's zone (from the ISO form's offset).
std::int32_t utc_offset(const WorkCalendar& calendar, TimePoint t) {
  std::string iso = calendar.format_iso(t);  // …+08:00
  if (iso.size() < 6) return 0;
  std::string_view off = std::string_view(iso).substr(iso.size() - 6);
  int sign = off[0] == '-' ? -1 : 1;
  int hours = (off[1] - '0') * 10 + (off[2] - '0');
  int minutes = (off[4] - '0') * 10 + (off[5] - '0');
  return sign * (hours * 3600 + minutes * 60);
}

namespace {

/// "2026-09-30 17:30 (+08:00)" in the organisation's zone.
std::string local_time(const WorkCalendar& calendar, TimePoint t) {
  std::string iso = calendar.format_iso(t);
  return fmt::format("{} {} ({})", iso.substr(0, 10), iso.substr(11, 5), iso.substr(19));
}

}  // namespace

std::size_t Reminder::record_count() const {
  std::set<std::int64_t> ids;
  for (const auto& i : items) ids.insert(i.entry.record_id);
  return ids.size();
}

ReminderPlan plan_reminders(const std::vector<OverdueEntry>& entries, const Config& config,
                            const WorkCalendar& calendar, TimePoint now, const std::vector<SentReminder>& sent) {
  std::map<std::tuple<std::int64_t, std::string, std::string>, TimePoint> last_sent;
  for (const auto& s : sent) {
    auto key = std::make_tuple(s.record_id, s.obligation, s.to);
    auto it = last_sent.find(key);
    if (it == last_sent.end() || it->second < s.at) last_sent[key] = s.at;
  }

  ReminderPlan plan;
  std::map<std::string, std::size_t> index;  // recipient id → position in plan.reminders
  std::set<std::string> warned;              // one warning per record and missing address
  auto unreachable = [&](Message warning) {
    if (warned.insert(warning.english()).second) plan.unreachable.push_back(std::move(warning));
  };
  for (const auto& e : entries) {
    if (!e.overdue) continue;
    std::vector<std::pair<ReminderRecipient, ReminderItem>> chosen;
    auto add = [&](const ReminderRecipient& r, std::string reason, std::string after) {
      for (const auto& [have, _] : chosen)
        if (have.id == r.id && have.department == r.department) return;
      chosen.push_back({r, ReminderItem{e, std::move(reason), std::move(after)}});
    };

    // The one responsible: the recipient who has not signed; else the assignee, else the
    // owner department's head or mailbox.
    std::optional<ReminderRecipient> primary;
    std::string reason = "assignee";
    std::string holder = receipt_holder(e.obligation);
    if (holder.empty()) holder = approval_holder(e.obligation);
    if (holder.empty()) holder = action_owner(e.obligation);
    if (!holder.empty()) {
      reason = !receipt_holder(e.obligation).empty()    ? "recipient"
               : !approval_holder(e.obligation).empty() ? "approver"
                                                        : "action-owner";
      if (auto r = user_recipient(config, holder)) add(*r, reason, "");
      else unreachable(msg<Msg::remind_no_address_for>(e.ref, msg<Msg::text_as_given>(holder)));
    } else {
      if (!e.assignee.empty()) primary = user_recipient(config, e.assignee);
      if (!primary) primary = head_or_department(config, e.owner, reason);
      if (primary) add(*primary, reason, "");
      else unreachable(msg<Msg::remind_no_address_for>(e.ref, nobody_text(config, e)));
    }

    for (const auto& step : config.remind.escalate) {
      if (!calendar.has_elapsed(e.due, now, step.after)) continue;
      if (auto r = step_recipient(config, step, e)) add(*r, "escalation", step.after.text());
      else
        unreachable(msg<Msg::remind_no_address_for_step>(e.ref, step.to, step.after.text()));
    }

    for (auto& [recipient, item] : chosen) {
      auto it = last_sent.find(std::make_tuple(e.record_id, e.obligation, recipient.id));
      if (it != last_sent.end() && !calendar.has_elapsed(it->second, now, config.remind.interval)) {
        ++plan.already_sent;
        continue;
      }
      auto [pos, inserted] = index.try_emplace(recipient.id, plan.reminders.size());
      if (inserted) plan.reminders.push_back(Reminder{recipient, {}});
      plan.reminders[pos->second].items.push_back(std::move(item));
    }
  }
  return plan;
}

TimePoint reminder_lookback(const WorkCalendar& calendar, TimePoint now, const Duration& interval) {
  if (interval.amount <= 0) return now;
  if (interval.is_calendar()) return now - std::chrono::seconds{secs(calendar.add(now, interval)) - secs(now)};
  // Working time: walk back a day at a time until the end of the day before has outlived
  // the interval; everything sent on or after that day's start may not have.
  date::sys_days day = calendar.local_date(now);
  for (int i = 0; i < 3660; ++i, day -= date::days{1}) {
    TimePoint start = calendar.at_local(day, 0);
    if (calendar.has_elapsed(start - std::chrono::seconds{1}, now, interval)) return start;
  }
  return TimePoint{};
}

std::vector<SentReminder> sent_reminders(Store& store, TimePoint since) {
  std::vector<SentReminder> out;
  for (const auto& e : store.reminders_since(since)) {
    json data = json::parse(e.data, nullptr, false);
    if (!data.is_object()) continue;
    SentReminder s;
    s.record_id = e.record_id;
    s.obligation = data.value("obligation", "");
    s.to = data.value("to", "");
    s.at = e.at;
    out.push_back(std::move(s));
  }
  return out;
}

MailAddress reminder_sender(const Config& config) {
  MailAddress from;
  if (!config.remind.from.empty()) {
    from = parse_mailbox(config.remind.from);
  } else {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || !*host) std::snprintf(host, sizeof host, "localhost");
    from.email = fmt::format("liaison@{}", host);
  }
  if (from.name.empty()) from.name = config.organization.name.empty() ? "liaison" : config.organization.name;
  return from;
}

MailMessage reminder_message(const Reminder& r, const Config& config, const WorkCalendar& calendar, Lang lang,
                             TimePoint now) {
  const Labels& l = labels(lang);
  std::size_t count = r.record_count();
  MailMessage m;
  m.from = reminder_sender(config);
  m.to.push_back(MailAddress{r.to.name, r.to.email});
  m.subject = fmt::format(fmt::runtime(count == 1 ? l.subject_one : l.subject_many), count);
  m.date = now;
  m.utc_offset = utc_offset(calendar, now);

  std::string body = fmt::format(fmt::runtime(l.greeting), r.to.name) + "\n\n";
  body += fmt::format(fmt::runtime(count == 1 ? l.intro_one : l.intro_many), count) + "\n";
  std::string digest_input = fmt::format("{}\n{}\n", secs(now), r.to.id);
  for (const auto& item : r.items) {
    const OverdueEntry& e = item.entry;
    digest_input += fmt::format("{}/{}\n", e.record_id, e.obligation);
    body += fmt::format("\n{}  {}\n", e.ref, e.subject);
    std::string kind = e.kind;
    if (const Kind* k = config.kind(e.kind)) {
      if (lang == Lang::en && !k->name_en.empty()) kind = k->name_en;
      else if (!k->name.empty()) kind = k->name;
    }
    body += fmt::format("  {}{}\n", l.kind, kind);
    const std::string party = notified_party(e.obligation);
    const std::string obligation = e.obligation == "ack"       ? std::string(l.ack)
                                   : e.obligation == "resolve" ? std::string(l.resolve)
                                   : !party.empty()            ? fmt::format(fmt::runtime(l.notify), party)
                                   : !receipt_holder(e.obligation).empty()  ? std::string(l.receipt)
                                   : !approval_holder(e.obligation).empty() ? std::string(l.approval)
                                   : action_number(e.obligation) != 0       ? std::string(l.action)
                                                                            : e.obligation;
    body += fmt::format("  {}{} ({})\n", l.obligation, obligation, e.obligation);
    body += fmt::format("  {}{}\n", l.deadline, local_time(calendar, e.due));
    std::string late = e.late_working_days <= 0  ? std::string(l.late_none)
                       : e.late_working_days == 1 ? std::string(l.late_one)
                                                  : fmt::format(fmt::runtime(l.late_many), e.late_working_days);
    body += fmt::format("  {}{}\n", l.late, late);
    const Department* d = config.department(e.owner);
    body += fmt::format("  {}{} ({})\n", l.owner, d && !d->name.empty() ? d->name : e.owner, e.owner);
    std::string why = item.reason == "assignee"     ? std::string(l.as_assignee)
                      : item.reason == "recipient"  ? std::string(l.as_recipient)
                      : item.reason == "approver"   ? std::string(l.as_approver)
                      : item.reason == "action-owner" ? std::string(l.as_action_owner)
                      : item.reason == "owner-head" ? std::string(l.as_head)
                      : item.reason == "escalation"
                          ? fmt::format(fmt::runtime(l.as_escalation),
                                        Duration::parse(item.after) ? human_duration(*Duration::parse(item.after), lang)
                                                                    : item.after)
                          : std::string(l.as_department);
    body += fmt::format("  {}{}\n", l.why, why);
  }
  std::string org = config.organization.name.empty() ? "liaison" : config.organization.name;
  body += "\n-- \n" +
          fmt::format(fmt::runtime(l.footer), org, human_duration(config.remind.interval, lang)) + "\n";
  m.body = std::move(body);

  std::string domain = m.from.email.substr(m.from.email.rfind('@') + 1);
  m.message_id = fmt::format("remind.{}.{}@{}", secs(now), sha256_hex(digest_input).substr(0, 16), domain);
  // RFC 3834: an automatic message; vacation responders must not answer it.
  m.extra_headers.emplace_back("Auto-Submitted", "auto-generated");
  return m;
}

Reminder redact_for_recipient(Reminder reminder, const Config& config, Lang lang, const Access* viewer) {
  Access recipient = reminder.to.department ? Access::mailbox(config, reminder.to.id) : Access(config, reminder.to.id);
  for (auto& item : reminder.items) {
    OverdueEntry& e = item.entry;
    e.subject = redact_text(std::move(e.subject), e.level, recipient, lang);
    if (viewer) e.subject = redact_text(std::move(e.subject), e.level, *viewer, lang);
  }
  return reminder;
}

void record_reminder(Context& ctx, const Reminder& r, const std::string& message_id) {
  ctx.access().require_write(msg<Msg::action_send_reminders>());
  check_not_future(ctx);
  auto tx = ctx.store.write();
  for (const auto& item : r.items) {
    const OverdueEntry& e = item.entry;
    json data = {{"to", r.to.id},
                 {"email", r.to.email},
                 {"obligation", e.obligation},
                 {"late_working_days", e.late_working_days},
                 {"due", ctx.calendar.format_iso(e.due)},
                 {"reason", item.reason},
                 {"message_id", message_id}};
    if (!item.after.empty()) data["after"] = item.after;
    Event ev;
    ev.record_id = e.record_id;
    ev.ref = e.ref;
    ev.type = "reminded";
    ev.actor = ctx.actor;
    ev.at = ctx.now;
    ev.data = data.dump(-1, ' ', false, json::error_handler_t::replace);
    append_event(ctx.store, std::move(ev));
  }
  tx->commit();
}

}  // namespace liaison
