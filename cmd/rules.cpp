// liaison rules explain: which rule a record with the given fields would match, and why
// the earlier ones did not.
#include <algorithm>

#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "reads.h"
#include "rules.h"

namespace liaison::cli {

namespace {

/// ", " between the items of a list, "、" in Chinese.
std::string list_separator(Lang lang) { return lang == Lang::zh ? "、" : ", "; }
/// "; " between reasons, "；" in Chinese.
std::string separator(Lang lang) { return lang == Lang::zh ? "；" : "; "; }

/// The values a condition accepts: `"a"` or `one of "a", "b"`.
Message wanted_message(const RuleCondition& c, Lang lang) {
  std::string values;
  for (const auto& v : c.wanted) values += (values.empty() ? "" : list_separator(lang)) + quoted_value(c.key, v);
  if (c.wanted.size() == 1) return msg<Msg::text_as_given>(values);
  return msg<Msg::rules_one_of>(values);
}

/// Why a rule matched or not, one message per condition (RuleTrace::reasons).
std::vector<Message> reason_messages(const RuleTrace& t, Lang lang) {
  if (t.matched && t.conditions.empty()) return {msg<Msg::rules_matches_everything>()};
  std::vector<Message> out;
  for (const RuleCondition& c : t.reasons()) {
    if (c.met) out.push_back(msg<Msg::rules_condition_is>(c.key, quoted_value(c.key, c.actual)));
    else if (c.actual.empty()) out.push_back(msg<Msg::rules_condition_not_given_wants>(c.key, wanted_message(c, lang)));
    else out.push_back(msg<Msg::rules_condition_is_wants>(c.key, quoted_value(c.key, c.actual), wanted_message(c, lang)));
  }
  return out;
}

}  // namespace

struct RulesExplainOptions {
  std::string kind, direction, party_type, party, channel, level, from, flow;
  bool major = false;
};

static void run_rules_explain(const RulesExplainOptions& o, Env& env) {
  // The fields as `file` would take them, its defaults (direction, level) included.
  FileRequest in;
  if (!o.direction.empty()) in.direction = direction_option(o.direction);
  if (!o.flow.empty()) in.flow = flow_option(o.flow);
  in.kind = o.kind;
  in.party = o.party;
  in.channel = o.channel;
  in.level = o.level;
  in.from_dept = o.from.empty() ? o.from : departments_or_mine(env.config(), env.access(), {o.from}, "--from").front();
  in.major = o.major;
  RoutingDecision d = decide_routing(env.config(), in, o.party_type);
  // The approval chain filing would ask: the rule's, else the kind's.
  std::vector<std::string> approval = d.approval;
  if (const Kind* k = env.config().kind(o.kind); approval.empty() && k) approval = k->approval;
  if (env.format() == Format::json) {
    // The reasons stay in fixed English whatever --lang says: scripts read them.
    nlohmann::json trace = nlohmann::json::array();
    for (const auto& t : d.trace)
      trace.push_back({{"index", t.index}, {"name", t.name}, {"matched", t.matched}, {"reasons", reason_texts(t)}});
    print(render_json({{"owner", d.owner},
                       {"assignee", d.assignee},
                       {"notify", d.notify},
                       {"escalate", d.escalate},
                       {"major", d.major},
                       {"approval", approval},
                       {"rule", d.rule_name},
                       {"rule_index", d.rule_index},
                       {"trace", trace}}));
    return;
  }
  const Lang lang = env.lang();
  std::string out;
  for (const auto& t : d.trace) {
    std::string reasons;
    for (const Message& r : reason_messages(t, lang)) reasons += (reasons.empty() ? "" : separator(lang)) + r.render(lang);
    std::string rule = t.name == fmt::format("rule {}", t.index) ? std::to_string(t.index)
                                                                 : fmt::format("{} \"{}\"", t.index, t.name);
    Message verdict = t.matched ? msg<Msg::rules_rule_matches>(rule) : msg<Msg::rules_rule_does_not_match>(rule);
    out += verdict.render(lang) + (reasons.empty() ? "" : " — " + reasons) + "\n";
  }
  out += "\n";
  std::vector<std::pair<std::string, std::string>> fields;
  fields.emplace_back("owner", d.owner.empty() ? msg<Msg::none_value>().render(lang)
                               : dept_name(env, d.owner) + (d.rule_name.empty()
                                    ? "" : "  " + msg<Msg::rules_set_by_rule>(d.rule_index, d.rule_name).render(lang)));
  if (!d.assignee.empty()) fields.emplace_back("assignee", d.assignee);
  std::string notify;
  for (const auto& n : d.notify) notify += (notify.empty() ? "" : list_separator(lang)) + dept_name(env, n);
  if (!notify.empty()) fields.emplace_back("notify", notify);
  if (!d.escalate.empty()) fields.emplace_back("escalate", dept_name(env, d.escalate));
  fields.emplace_back("major", label(env, d.major ? "yes" : "no"));
  std::string chain;
  for (const auto& step : approval) chain += (chain.empty() ? "" : " → ") + step;
  if (!chain.empty()) fields.emplace_back("approval", chain);
  // "owner:    …": each label and its colon padded to the widest of all six, shown or
  // not, so the values line up the same way from one record to the next.
  const std::string_view colon = lang == Lang::zh ? "：" : ":";
  int width = 0;
  for (const char* key : {"owner", "assignee", "notify", "escalate", "major", "approval"})
    width = std::max(width, display_width(label(env, key) + std::string(colon)));
  for (const auto& [key, value] : fields)
    out += pad_to_width(label(env, key) + std::string(colon), width + 1) + value + "\n";
  print(out);
}

Runner register_rules_explain(CLI::App& app, Env& env) {
  auto o = std::make_shared<RulesExplainOptions>();
  app.add_option("--kind", o->kind, "kind id");
  app.add_option("--direction", o->direction, "internal or external (default: external when a party is given)");
  app.add_option("--party-type", o->party_type, "party type id");
  app.add_option("--party", o->party, "party id");
  app.add_option("--channel", o->channel, "channel id");
  app.add_option("--level", o->level, "confidentiality level");
  app.add_option("--from", o->from, "originating department (internal records); me: the acting user's");
  app.add_option("--flow", o->flow, "upward, downward or lateral (internal records)");
  app.add_flag("--major", o->major, "a major matter");
  return [o, &env] { run_rules_explain(*o, env); };
}

}  // namespace liaison::cli
