// liaison rules explain: which rule a record with the given fields would match, and why
// the earlier ones did not.
#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "rules.h"

namespace liaison::cli {

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
  in.from_dept = o.from;
  in.major = o.major;
  RoutingDecision d = decide_routing(env.config(), in, o.party_type);
  if (env.format() == Format::json) {
    nlohmann::json trace = nlohmann::json::array();
    for (const auto& t : d.trace)
      trace.push_back({{"index", t.index}, {"name", t.name}, {"matched", t.matched}, {"reasons", t.reasons}});
    print(render_json({{"owner", d.owner},
                       {"assignee", d.assignee},
                       {"notify", d.notify},
                       {"escalate", d.escalate},
                       {"major", d.major},
                       {"rule", d.rule_name},
                       {"rule_index", d.rule_index},
                       {"trace", trace}}));
    return;
  }
  std::string out;
  for (const auto& t : d.trace) {
    std::string reasons;
    for (const auto& r : t.reasons) reasons += (reasons.empty() ? "" : "; ") + r;
    std::string name = t.name == fmt::format("rule {}", t.index) ? "" : fmt::format(" \"{}\"", t.name);
    out += fmt::format("rule {}{}: {}{}{}\n", t.index, name, t.matched ? "matches" : "does not match",
                       reasons.empty() ? "" : " — ", reasons);
  }
  out += "\n";
  out += fmt::format("owner:    {}{}\n", d.owner.empty() ? "(none)" : dept_name(env, d.owner),
                     d.rule_name.empty() ? "" : fmt::format("  (rule {} \"{}\")", d.rule_index, d.rule_name));
  if (!d.assignee.empty()) out += fmt::format("assignee: {}\n", d.assignee);
  std::string notify;
  for (const auto& n : d.notify) notify += (notify.empty() ? "" : ", ") + dept_name(env, n);
  if (!notify.empty()) out += fmt::format("notify:   {}\n", notify);
  if (!d.escalate.empty()) out += fmt::format("escalate: {}\n", dept_name(env, d.escalate));
  out += fmt::format("major:    {}\n", d.major ? "yes" : "no");
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
  app.add_option("--from", o->from, "originating department (internal records)");
  app.add_option("--flow", o->flow, "upward, downward or lateral (internal records)");
  app.add_flag("--major", o->major, "a major matter");
  return [o, &env] { run_rules_explain(*o, env); };
}

}  // namespace liaison::cli
