// The responsibility rules: which department owns a record, who is notified,
// where it escalates — with the reasons, for `rules explain` — and the communication
// matrix (ISO 9001 §7.4 plan) derived from the same rules.
#pragma once
#include <string>
#include <vector>

#include "config.h"
#include "model.h"

namespace liaison {

/// The fields of a record (being filed, or asked about) that rules look at.
/// An empty string means "not given": it matches only rules that do not mention the key.
struct RuleInput {
  Direction direction = Direction::internal;
  std::string kind, party_type, party, channel, level, from_dept;
  Flow flow = Flow::none;
  bool major = false;
};

/// How one rule fared against the input.
struct RuleTrace {
  int index = 0;                      ///< 1-based position in the config
  std::string name;
  bool matched = false;
  /// Why it matched (one line per key, e.g. `kind is "complaint"`) or, for each failing
  /// key, why not (`party_type is "supplier", rule wants "customer"`).
  std::vector<std::string> reasons;
  /// What a matching rule contributed or lost to an earlier rule, e.g.
  /// `sets owner "quality"`, `owner "sales" not used: rule 1 set it first`, `notifies "sales"`.
  std::vector<std::string> effects;
};

/// The outcome of applying every rule to one input.
struct RoutingDecision {
  std::string owner, assignee, escalate;  ///< empty when no rule sets them
  std::vector<std::string> notify;        ///< merged from all matching rules, owner excluded
  bool major = false;
  std::string rule_name;                  ///< rule that set owner ("" if none)
  std::string escalate_rule_name;         ///< rule that set escalate ("" if none, or top by major)
  int rule_index = 0;                     ///< its 1-based index (0 if none)
  std::vector<RuleTrace> trace;           ///< one entry per rule, in order
};

/// Applies the rules: for owner, assignee, escalate and major the first matching rule
/// that sets it wins; notify lists are merged. A major record (input or rule) with no
/// escalation target escalates to organization.top. A rule cannot clear input.major.
RoutingDecision apply_rules(const Config& config, const RuleInput& input);

/// One line of the communication plan: what, with whom, by whom, how, within what time.
struct MatrixRow {
  std::string kind, kind_name;
  Direction direction = Direction::internal;
  std::string party_type;                 ///< empty for internal rows
  std::string owner;
  std::vector<std::string> notify;
  std::vector<std::string> channels;
  std::string ack, resolve;               ///< duration text, or "" when the kind sets none
  std::string rule_name;                  ///< rule that set the owner
};

/// The communication matrix: one row per kind × (internal, and external × each party
/// type, or one external row with no party type when none is defined), routed with
/// major = false.
std::vector<MatrixRow> communication_matrix(const Config& config);

}  // namespace liaison
