// The effective configuration as JSON (liaison config show --format json).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "config_parser.h"

namespace liaison {

using namespace config_parsing;

nlohmann::json config_to_json(const Config& c) {
  using nlohmann::json;
  auto opt = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  auto hours = [](const std::vector<DayInterval>& list) {
    json out = json::array();
    for (const auto& h : list) out.push_back(format_interval(h));
    return out;
  };
  auto per_direction = [](const PerDirection& p) {
    return json{{"internal", p.internal ? json(p.internal->text()) : json(nullptr)},
                {"external", p.external ? json(p.external->text()) : json(nullptr)}};
  };
  json j;
  j["path"] = c.path;
  j["hash"] = c.hash;
  j["organization"] = {{"name", c.organization.name}, {"timezone", c.organization.timezone}, {"top", opt(c.organization.top)}, {"lang", opt(c.organization.lang)}};
  // A server's URL under "url" (it never holds a password: the parser refuses one).
  const bool server = c.store_path.find("://") != std::string::npos;
  j["store"] = {{server ? "url" : "path", c.store_path}, {"mode", fmt::format("{:04o}", c.store_mode)}};
  json workdays = json::array();
  for (std::size_t d = 1; d <= 7; ++d)  // Monday first
    if (c.calendar.workdays[d % 7]) workdays.push_back(kWeekdays[d % 7]);
  json notices = json::array();
  for (const auto& n : c.calendar.notices) {
    json holidays = json::array();
    for (const auto& h : n.holidays) {
      json makeup = json::array();
      for (auto d : h.makeup) makeup.push_back(format_date(d));
      holidays.push_back({{"name", h.name}, {"rest", {format_date(h.first), format_date(h.last)}}, {"makeup", makeup}});
    }
    notices.push_back({{"name", n.name}, {"holidays", holidays}});
  }
  json overrides = json::array();
  for (const auto& o : c.calendar.overrides)
    overrides.push_back({{"date", format_date(o.date)}, {"work", o.work}, {"hours", hours(o.hours)}, {"reason", o.reason}});
  j["calendar"] = {{"timezone", c.calendar.timezone}, {"workdays", workdays}, {"hours", hours(c.calendar.hours)},
                   {"notice", notices}, {"override", overrides}};
  j["levels"] = {{"order", c.levels.order}, {"names", c.levels.names}, {"default", c.levels.default_level}};
  json departments = json::array();
  for (const auto& d : c.departments)
    departments.push_back({{"id", d.id}, {"name", d.name}, {"parent", opt(d.parent)}, {"head", opt(d.head)},
                           {"members", d.members}, {"email", opt(d.email)}});
  j["department"] = departments;
  json users = json::array();
  for (const auto& u : c.users)
    users.push_back({{"id", u.id}, {"name", u.name}, {"department", opt(u.department)}, {"roles", u.roles},
                     {"clearance", u.clearance}, {"email", opt(u.email)}, {"login", opt(u.login)}, {"lang", opt(u.lang)}});
  j["user"] = users;
  json channels = json::array();
  for (const auto& ch : c.channels) channels.push_back({{"id", ch.id}, {"name", ch.name}});
  j["channel"] = channels;
  json topics = json::array();
  for (const auto& t : c.topics) topics.push_back({{"id", t.id}, {"name", t.name}});
  j["topic"] = topics;
  json party_types = json::array();
  for (const auto& p : c.party_types) party_types.push_back({{"id", p.id}, {"name", p.name}});
  j["party_type"] = party_types;
  json kinds = json::array();
  for (const auto& k : c.kinds) {
    json notify = json::array();
    for (const auto& n : k.notify) notify.push_back({{"to", n.to}, {"within", n.within.text()}});
    kinds.push_back({{"id", k.id}, {"name", k.name}, {"name_en", opt(k.name_en)}, {"ack", per_direction(k.ack)},
                     {"resolve", per_direction(k.resolve)}, {"reply_required", k.reply_required},
                     {"requires", {{"internal", k.requires_internal}, {"external", k.requires_external}}},
                     {"identity", k.identity}, {"channels", k.channels}, {"retention", opt(k.retention)},
                     {"anonymise_after", opt(k.anonymise_after)}, {"notify", notify},
                     {"receipt", k.receipt ? json(k.receipt->text()) : json(nullptr)}, {"approval", k.approval},
                     {"approval_within", k.approval_within ? json(k.approval_within->text()) : json(nullptr)},
                     {"explanation_approval", k.explanation_approval},
                     {"action", k.action ? json(k.action->text()) : json(nullptr)}});
  }
  j["kind"] = kinds;
  json rules = json::array();
  for (const auto& r : c.rules) {
    json when = json::object();
    for (const auto& [key, values] : r.when) {
      json list = json::array();
      for (const auto& v : values) list.push_back(key == "major" ? json(v == "true") : json(v));
      when[key] = list;
    }
    rules.push_back({{"index", r.index}, {"name", r.name}, {"when", when}, {"owner", opt(r.owner)},
                     {"assignee", opt(r.assignee)}, {"notify", r.notify}, {"escalate", opt(r.escalate)},
                     {"major", r.major ? json(*r.major) : json(nullptr)}, {"approval", r.approval}});
  }
  j["rule"] = rules;
  json schedules = json::array();
  for (const Schedule& s : c.schedules) {
    json one = {{"id", s.id}, {"kind", s.kind}, {"owner", s.owner}, {"subject", s.subject}, {"every", s.every},
                {"due", s.due ? json(s.due->text()) : json(nullptr)}};
    if (s.day) one["day"] = s.day;
    if (s.working_day) one["working_day"] = s.working_day;
    if (s.weekday) one["weekday"] = std::array<const char*, 7>{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}[s.weekday - 1];
    if (s.every == "quarter") one["months"] = s.months;
    if (s.every == "year") one["month"] = s.months.at(0);
    if (s.start) one["start"] = date::format("%F", *s.start);
    schedules.push_back(std::move(one));
  }
  j["schedule"] = schedules;
  j["numbering"] = {{"external", c.numbering.external}, {"internal", c.numbering.internal}};
  j["report"] = {{"complaint_kinds", c.report.complaint_kinds},
                 {"suggestion_kinds", c.report.suggestion_kinds},
                 {"top_parties", c.report.top_parties},
                 {"title", c.report.title},
                 {"form_no", c.report.form_no},
                 {"signoff", c.report.signoff ? json(*c.report.signoff) : json(nullptr)},
                 {"csv_bom", c.report.csv_bom}};
  json steps = json::array();
  for (const auto& step : c.remind.escalate) steps.push_back({{"after", step.after.text()}, {"to", step.to}});
  j["access"] = {{"trust_declared_user", c.access.trust_declared_user}};
  j["limits"] = {{"subject", c.limits.subject}, {"text", c.limits.text}};
  j["attachments"] = {{"max_size", c.attachments.max_size}};
  json mail_rules = json::array();
  for (const auto& r : c.mail.rules) {
    json when = json::object();
    for (const auto& [header, texts] : r.when) when[header] = texts;
    mail_rules.push_back({{"name", r.name}, {"when", when}, {"kind", r.kind}, {"owner", r.owner}, {"level", r.level}});
  }
  j["mail"] = {{"address", c.mail.address}, {"kind", c.mail.kind}, {"unknown_kind", c.mail.unknown_kind},           {"channel", c.mail.channel},
               {"quarantine", c.mail.quarantine}, {"acknowledge", c.mail.acknowledge}, {"max_size", c.mail.max_size},
               {"rule", mail_rules}};
  j["remind"] = {{"sendmail", c.remind.sendmail}, {"from", opt(c.remind.from)},
                 {"interval", c.remind.interval.text()}, {"escalate", steps},
                 {"timeout", c.remind.timeout_seconds}};
  json warnings = json::array();
  for (const auto& w : c.warnings) warnings.push_back(w.format());
  j["warnings"] = warnings;
  return j;
}

}  // namespace liaison
