// The responsibility rules: which department owns a record, who is notified,
// where it escalates — with the reasons, for `rules explain` — and the communication
// matrix (ISO 9001 §7.4 plan) derived from the same rules.
#pragma once
#include <string>
#include <string_view>
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

/// One key of a rule's `when` against the input: what the input has, what the rule wants.
struct RuleCondition {
  std::string key;                  ///< "kind", "party_type", "major", …
  std::string actual;               ///< the input's value; "" when not given
  std::vector<std::string> wanted;  ///< the values the rule accepts
  bool met = false;
};

/// What a matching rule contributed to the decision, or lost to an earlier rule.
struct RuleEffect {
  enum class Kind { sets, not_used, notifies };
  Kind kind = Kind::sets;
  std::string field;  ///< "owner", "assignee", "escalate" or "major"; "" for notifies
  std::string value;  ///< the department, user or "true"/"false" it names
  int earlier = 0;    ///< not_used: the index of the rule that set the field first
};

/// How one rule fared against the input. The outcome is data, not prose: `rules explain`
/// words it in the user's language, and reason_texts gives its stable English.
struct RuleTrace {
  int index = 0;                      ///< 1-based position in the config
  std::string name;
  bool matched = false;
  /// Every key of the rule's `when`, in order; none for `when = {}` (matches everything).
  std::vector<RuleCondition> conditions;
  /// What a matching rule set, lost to an earlier rule, or notified, in order.
  std::vector<RuleEffect> effects;
  /// The conditions that explain the outcome: all of them when the rule matched, the
  /// failing ones when it did not.
  std::vector<RuleCondition> reasons() const;
};

/// A value as the trace quotes it: `"quality"`, but `true`/`false` unquoted for major.
std::string quoted_value(std::string_view key, std::string_view value);
/// The reasons in fixed English, one line per condition (`kind is "complaint"`,
/// `party_type is "supplier", rule wants "customer"`, `when = {} matches everything`):
/// the `reasons` of `rules explain --format json`, a stable contract.
std::vector<std::string> reason_texts(const RuleTrace& trace);
/// The effects in fixed English (`sets owner "quality"`, `notifies "sales"`,
/// `owner "sales" not used: rule 1 set it first`).
std::vector<std::string> effect_texts(const RuleTrace& trace);

/// The outcome of applying every rule to one input.
struct RoutingDecision {
  std::string owner, assignee, escalate;  ///< empty when no rule sets them
  std::vector<std::string> notify;        ///< merged from all matching rules, owner excluded
  bool major = false;
  std::string rule_name;                  ///< rule that set owner ("" if none)
  std::string escalate_rule_name;         ///< rule that set escalate ("" if none, or top by major)
  std::vector<std::string> approval;      ///< the first matching rule's approval chain (empty if none)
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
  std::string receipt;                    ///< the kind's receipt duration (file --recipient), or ""
  std::vector<NotifyDuty> report_to;      ///< the outside parties the kind must report to
  std::vector<std::string> approval;      ///< who must approve before closing: the rule's chain, else the kind's
  std::string action;                     ///< the kind's default time for an action item (action add), or ""
};

/// The communication matrix: one row per kind × (internal, and external × each party
/// type, or one external row with no party type when none is defined), routed with
/// major = false.
std::vector<MatrixRow> communication_matrix(const Config& config);

}  // namespace liaison
