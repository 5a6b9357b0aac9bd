#include "rules.h"

#include <algorithm>

namespace liaison {
namespace {

/// The input's value for a `when` key; "" when not given.
std::string input_value(const RuleInput& input, std::string_view key) {
  if (key == "direction") return std::string(to_string(input.direction));
  if (key == "kind") return input.kind;
  if (key == "party_type") return input.party_type;
  if (key == "party") return input.party;
  if (key == "channel") return input.channel;
  if (key == "level") return input.level;
  if (key == "from_dept") return input.from_dept;
  if (key == "flow") return input.flow == Flow::none ? std::string() : std::string(to_string(input.flow));
  if (key == "major") return input.major ? "true" : "false";
  return {};
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

RoutingDecision apply_rules(const Config& config, const RuleInput& input) {
  RoutingDecision decision;
  const Rule* owner_rule = nullptr;
  const Rule* escalate_rule = nullptr;
  const Rule* major_rule = nullptr;
  const Rule* approval_rule = nullptr;
  std::vector<std::string> notify;

  for (const Rule& rule : config.rules) {
    RuleTrace trace;
    trace.index = rule.index;
    trace.name = rule.name;
    trace.matched = true;
    for (const auto& [key, wanted] : rule.when) {
      RuleCondition condition{key, input_value(input, key), wanted, false};
      condition.met = !condition.actual.empty() && contains(wanted, condition.actual);
      trace.matched = trace.matched && condition.met;
      trace.conditions.push_back(std::move(condition));
    }
    if (!trace.matched) {
      decision.trace.push_back(std::move(trace));
      continue;
    }

    auto take = [&](const char* field, const std::string& value, const Rule*& winner) {
      if (value.empty()) return;
      if (!winner) {
        winner = &rule;
        trace.effects.push_back({RuleEffect::Kind::sets, field, value, 0});
      } else {
        trace.effects.push_back({RuleEffect::Kind::not_used, field, value, winner->index});
      }
    };
    take("owner", rule.owner, owner_rule);
    // The assignee goes with the owner: a person of another department must not end up
    // responsible because a later rule named them.
    if (owner_rule == &rule && !rule.assignee.empty())
      trace.effects.push_back({RuleEffect::Kind::sets, "assignee", rule.assignee, 0});
    take("escalate", rule.escalate, escalate_rule);
    if (rule.major) take("major", *rule.major ? "true" : "false", major_rule);
    if (!rule.approval.empty()) {
      std::string chain;
      for (const std::string& step : rule.approval) chain += (chain.empty() ? "" : ", ") + step;
      take("approval", chain, approval_rule);
    }
    for (const std::string& dept : rule.notify) {
      if (contains(notify, dept)) continue;
      notify.push_back(dept);
      trace.effects.push_back({RuleEffect::Kind::notifies, "", dept, 0});
    }
    decision.trace.push_back(std::move(trace));
  }

  if (owner_rule) {
    decision.owner = owner_rule->owner;
    decision.rule_name = owner_rule->name;
    decision.rule_index = owner_rule->index;
    decision.assignee = owner_rule->assignee;
  }
  if (escalate_rule) {
    decision.escalate = escalate_rule->escalate;
    decision.escalate_rule_name = escalate_rule->name;
  }
  if (approval_rule) decision.approval = approval_rule->approval;
  decision.major = input.major || (major_rule && *major_rule->major);
  if (decision.major && decision.escalate.empty()) decision.escalate = config.organization.top;
  for (const std::string& dept : notify)
    if (dept != decision.owner) decision.notify.push_back(dept);
  return decision;
}

std::vector<RuleCondition> RuleTrace::reasons() const {
  std::vector<RuleCondition> out;
  for (const RuleCondition& c : conditions)
    if (matched || !c.met) out.push_back(c);
  return out;
}

std::string quoted_value(std::string_view key, std::string_view value) {
  return key == "major" ? std::string(value) : "\"" + std::string(value) + "\"";
}

std::vector<std::string> reason_texts(const RuleTrace& trace) {
  if (trace.matched && trace.conditions.empty()) return {"when = {} matches everything"};
  std::vector<std::string> out;
  for (const RuleCondition& c : trace.reasons()) {
    std::string line = c.key + (c.actual.empty() ? " is not given" : " is " + quoted_value(c.key, c.actual));
    if (!c.met) {
      line += ", rule wants ";
      if (c.wanted.size() > 1) line += "one of ";
      for (std::size_t i = 0; i < c.wanted.size(); ++i) line += (i ? ", " : "") + quoted_value(c.key, c.wanted[i]);
    }
    out.push_back(std::move(line));
  }
  return out;
}

std::vector<std::string> effect_texts(const RuleTrace& trace) {
  std::vector<std::string> out;
  for (const RuleEffect& e : trace.effects) {
    const std::string value = quoted_value(e.field, e.value);
    switch (e.kind) {
      case RuleEffect::Kind::sets: out.push_back("sets " + e.field + " " + value); break;
      case RuleEffect::Kind::notifies: out.push_back("notifies " + value); break;
      case RuleEffect::Kind::not_used:
        out.push_back(e.field + " " + value + " not used: rule " + std::to_string(e.earlier) + " set it first");
        break;
    }
  }
  return out;
}

std::vector<MatrixRow> communication_matrix(const Config& config) {
  std::vector<MatrixRow> rows;
  std::vector<std::string> party_types;
  for (const PartyType& p : config.party_types) party_types.push_back(p.id);
  if (party_types.empty()) party_types.emplace_back();

  for (const Kind& kind : config.kinds) {
    auto add = [&](Direction direction, const std::string& party_type) {
      RuleInput input;
      input.direction = direction;
      input.kind = kind.id;
      input.party_type = party_type;
      RoutingDecision decision = apply_rules(config, input);
      MatrixRow row;
      row.kind = kind.id;
      row.kind_name = kind.name;
      row.direction = direction;
      row.party_type = party_type;
      row.owner = decision.owner;
      row.notify = decision.notify;
      row.channels = kind.channels;
      if (const auto& ack = kind.ack.get(direction)) row.ack = ack->text();
      if (const auto& resolve = kind.resolve.get(direction)) row.resolve = resolve->text();
      if (kind.receipt) row.receipt = kind.receipt->text();
      if (kind.action) row.action = kind.action->text();
      row.report_to = kind.notify;
      row.approval = decision.approval.empty() ? kind.approval : decision.approval;
      row.rule_name = decision.rule_name;
      rows.push_back(std::move(row));
    };
    add(Direction::internal, "");
    for (const std::string& party_type : party_types) add(Direction::external, party_type);
  }
  return rows;
}

}  // namespace liaison
