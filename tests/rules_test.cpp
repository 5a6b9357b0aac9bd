// The rules engine and the communication matrix (lib/policy/rules.cpp), and the shadowed-rule
// warning that config validation derives from the same matching semantics.
#include <doctest/doctest.h>

#include <algorithm>

#include "config.h"
#include "rules.h"

using namespace liaison;

namespace {

const std::string kOrganization = R"toml([organization]
top = "gm"

[[department]]
id = "gm"
[[department]]
id = "quality"
[[department]]
id = "purchasing"
[[department]]
id = "sales"

[[user]]
id = "wei"
department = "quality"
[[user]]
id = "pat"
department = "purchasing"

[[party_type]]
id = "customer"
[[party_type]]
id = "supplier"
[[party_type]]
id = "subcontractor"

[[channel]]
id = "email"
[[channel]]
id = "phone"

[[kind]]
id = "complaint"
name = "投诉"
ack = { internal = "24h", external = "48h" }
resolve = { internal = "3wd", external = "5wd" }
channels = ["email", "phone"]

[[kind]]
id = "inquiry"
resolve = { external = "48h" }
)toml";

const std::string kRules = R"toml(
[[rule]]
name = "customer complaints"
when = { direction = "external", party_type = "customer", kind = "complaint" }
owner = "quality"
assignee = "wei"
notify = ["sales"]

[[rule]]
name = "suppliers"
when = { direction = "external", party_type = ["supplier", "subcontractor"] }
owner = "purchasing"
assignee = "pat"
notify = ["quality"]

[[rule]]
name = "complaints"
when = { kind = "complaint" }
notify = ["gm", "quality", "sales"]

[[rule]]
name = "emergencies by phone are major"
when = { channel = "phone", kind = "complaint", major = false }
major = true

[[rule]]
name = "fallback"
when = {}
owner = "gm"
)toml";

Config rules_config() { return parse_config(kOrganization + kRules, "test.toml"); }

RuleInput external(std::string kind, std::string party_type) {
  RuleInput in;
  in.direction = Direction::external;
  in.kind = std::move(kind);
  in.party_type = std::move(party_type);
  return in;
}

std::vector<std::string> warnings_of(const std::string& rules) {
  std::vector<std::string> out;
  for (const auto& w : parse_config(kOrganization + rules, "test.toml").warnings) out.push_back(w.format());
  return out;
}

}  // namespace

TEST_CASE("the first matching rule that sets an action wins it; notify lists merge") {
  const Config config = rules_config();
  CHECK(config.warnings.empty());
  RoutingDecision d = apply_rules(config, external("complaint", "customer"));
  CHECK(d.owner == "quality");           // rule 1, not the fallback
  CHECK(d.assignee == "wei");            // with the owner, from rule 1
  CHECK(d.escalate.empty());
  CHECK_FALSE(d.major);
  CHECK(d.rule_name == "customer complaints");
  CHECK(d.rule_index == 1);
  // rule 1 sales, rule 3 gm + quality + sales: in order, once each, without the owner.
  CHECK(d.notify == std::vector<std::string>{"sales", "gm"});
}

TEST_CASE("a list of values matches any of them; keys are ANDed") {
  const Config config = rules_config();
  for (const char* type : {"supplier", "subcontractor"}) {
    CAPTURE(type);
    RoutingDecision d = apply_rules(config, external("inquiry", type));
    CHECK(d.owner == "purchasing");
    CHECK(d.assignee == "pat");
    CHECK(d.notify == std::vector<std::string>{"quality"});
    CHECK(d.rule_index == 2);
  }
  // Customer inquiry: rule 1 wants a complaint, rule 2 wants another party type.
  RoutingDecision customer = apply_rules(config, external("inquiry", "customer"));
  CHECK(customer.owner == "gm");
  CHECK(customer.rule_name == "fallback");
  CHECK(customer.assignee.empty());
  CHECK(customer.notify.empty());
  // Internal complaint: rule 1 fails on direction alone (and on the missing party type).
  RuleInput internal;
  internal.kind = "complaint";
  RoutingDecision d = apply_rules(config, internal);
  CHECK(d.owner == "gm");
  CHECK(d.assignee.empty());  // the fallback that decides the owner names nobody
  CHECK(d.notify == std::vector<std::string>{"quality", "sales"});
}

TEST_CASE("the trace explains every rule, matched or not") {
  const Config config = rules_config();
  RuleInput in = external("complaint", "supplier");
  in.channel = "email";
  RoutingDecision d = apply_rules(config, in);
  REQUIRE(d.trace.size() == 5);
  CHECK(d.trace[0].index == 1);
  CHECK(d.trace[0].name == "customer complaints");
  CHECK_FALSE(d.trace[0].matched);
  CHECK(reason_texts(d.trace[0]) == std::vector<std::string>{"party_type is \"supplier\", rule wants \"customer\""});
  CHECK(d.trace[1].matched);
  CHECK(reason_texts(d.trace[1]) == std::vector<std::string>{"direction is \"external\"", "party_type is \"supplier\""});
  CHECK(effect_texts(d.trace[1]) ==
        std::vector<std::string>{"sets owner \"purchasing\"", "sets assignee \"pat\"", "notifies \"quality\""});
  CHECK(d.trace[2].matched);
  CHECK(effect_texts(d.trace[2]) == std::vector<std::string>{"notifies \"gm\"", "notifies \"sales\""});
  CHECK_FALSE(d.trace[3].matched);
  CHECK(reason_texts(d.trace[3]) == std::vector<std::string>{"channel is \"email\", rule wants \"phone\""});
  CHECK(d.trace[4].matched);
  CHECK(reason_texts(d.trace[4]) == std::vector<std::string>{"when = {} matches everything"});
  CHECK(effect_texts(d.trace[4]) == std::vector<std::string>{"owner \"gm\" not used: rule 2 set it first"});
  CHECK(d.owner == "purchasing");
  CHECK(d.notify == std::vector<std::string>{"quality", "gm", "sales"});  // quality from rules 2 and 3, once

  RuleInput bare;  // internal, nothing given
  RoutingDecision none = apply_rules(config, bare);
  CHECK(reason_texts(none.trace[1]) == std::vector<std::string>{
                                     "direction is \"internal\", rule wants \"external\"",
                                     "party_type is not given, rule wants one of \"supplier\", \"subcontractor\""});
  CHECK(reason_texts(none.trace[2]) == std::vector<std::string>{"kind is not given, rule wants \"complaint\""});
}

TEST_CASE("the trace is data: each condition with the input's value and the rule's") {
  const Config config = rules_config();
  RoutingDecision d = apply_rules(config, external("complaint", "supplier"));
  // Rule 1 wants direction external (met), party_type customer and kind complaint (met).
  REQUIRE(d.trace[0].conditions.size() == 3);
  int met = 0;
  for (const RuleCondition& c : d.trace[0].conditions) met += c.met ? 1 : 0;
  CHECK(met == 2);
  REQUIRE(d.trace[0].reasons().size() == 1);  // why it failed: the failing key only
  const RuleCondition party_type = d.trace[0].reasons()[0];
  CHECK(party_type.key == "party_type");
  CHECK(party_type.actual == "supplier");
  CHECK(party_type.wanted == std::vector<std::string>{"customer"});
  CHECK_FALSE(party_type.met);
  CHECK(d.trace[1].reasons().size() == 2);  // a matching rule: every key
  REQUIRE(d.trace[4].effects.size() == 1);
  CHECK(d.trace[4].effects[0].kind == RuleEffect::Kind::not_used);
  CHECK(d.trace[4].effects[0].field == "owner");
  CHECK(d.trace[4].effects[0].value == "gm");
  CHECK(d.trace[4].effects[0].earlier == 2);
}

TEST_CASE("major records escalate to top management") {
  const Config config = rules_config();
  RuleInput in = external("inquiry", "customer");
  in.major = true;
  RoutingDecision d = apply_rules(config, in);
  CHECK(d.major);
  CHECK(d.escalate == "gm");  // organization.top
  // Rule 4 marks phone complaints major (it asks for major = false, and the input is not major).
  RuleInput phone = external("complaint", "customer");
  phone.channel = "phone";
  RoutingDecision marked = apply_rules(config, phone);
  CHECK(marked.major);
  CHECK(marked.escalate == "gm");
  CHECK(reason_texts(marked.trace[3]) ==
        std::vector<std::string>{"channel is \"phone\"", "kind is \"complaint\"", "major is false"});
  // A rule's own escalation target wins over organization.top.
  const Config escalating = parse_config(kOrganization + R"toml(
[[rule]]
when = { major = true }
escalate = "quality"
[[rule]]
when = {}
owner = "sales"
escalate = "purchasing"
)toml", "test.toml");
  RoutingDecision e = apply_rules(escalating, in);
  CHECK(e.escalate == "quality");
  CHECK(e.owner == "sales");
  in.major = false;
  CHECK(apply_rules(escalating, in).escalate == "purchasing");
  // Not major and no rule escalates: nothing.
  CHECK(apply_rules(config, external("inquiry", "customer")).escalate.empty());
}

TEST_CASE("a rule cannot clear a major flag given on filing") {
  const Config config = parse_config(kOrganization + "[[rule]]\nwhen = {}\nmajor = false\nowner = \"sales\"\n", "test.toml");
  RuleInput in;
  in.major = true;
  CHECK(apply_rules(config, in).major);
  in.major = false;
  CHECK_FALSE(apply_rules(config, in).major);
}

TEST_CASE("no rules: nothing decided, empty trace") {
  const Config config = parse_config(kOrganization, "test.toml");
  RoutingDecision d = apply_rules(config, external("complaint", "customer"));
  CHECK(d.owner.empty());
  CHECK(d.rule_index == 0);
  CHECK(d.trace.empty());
}

TEST_CASE("a rule covered by an earlier one is a warning") {
  const int base = static_cast<int>(std::count(kOrganization.begin(), kOrganization.end(), '\n'));
  auto warnings = warnings_of(R"toml(
[[rule]]
name = "external"
when = { direction = "external" }
owner = "sales"

[[rule]]
name = "external complaints"
when = { direction = "external", kind = ["complaint", "inquiry"] }
owner = "quality"
)toml");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "test.toml:" + std::to_string(base + 7) +
                           ":1: warning: rule 2 \"external complaints\" never takes effect: rule 1 \"external\" matches "
                           "everything it matches and already sets what it sets (move it above rule 1, narrow the "
                           "earlier rule's when, or remove it)");
  // A warning, not an error: the config still loads.
  CHECK(parse_config(kOrganization + "[[rule]]\nwhen = {}\nowner = \"gm\"\n[[rule]]\nwhen = { kind = \"complaint\" }\nowner = \"sales\"\n",
                     "test.toml").rules.size() == 2);

  SUBCASE("the earlier rule must match a superset") {
    // Rule 1 accepts only complaints; rule 2 also inquiries.
    CHECK(warnings_of("[[rule]]\nwhen = { kind = \"complaint\" }\nowner = \"sales\"\n"
                      "[[rule]]\nwhen = { kind = [\"complaint\", \"inquiry\"] }\nowner = \"gm\"\n").empty());
    // Rule 1 asks for a key rule 2 does not.
    CHECK(warnings_of("[[rule]]\nwhen = { kind = \"complaint\", direction = \"external\" }\nowner = \"sales\"\n"
                      "[[rule]]\nwhen = { kind = \"complaint\" }\nowner = \"gm\"\n").empty());
  }
  SUBCASE("the earlier rule must set what the later one sets") {
    CHECK(warnings_of("[[rule]]\nwhen = {}\nowner = \"sales\"\n"
                      "[[rule]]\nwhen = { kind = \"complaint\" }\nowner = \"gm\"\nescalate = \"gm\"\n").empty());
    // notify still merges, so a later rule that adds someone to notify takes effect.
    CHECK(warnings_of("[[rule]]\nwhen = {}\nowner = \"sales\"\n"
                      "[[rule]]\nwhen = { kind = \"complaint\" }\nowner = \"gm\"\nnotify = [\"quality\"]\n").empty());
  }
  SUBCASE("several earlier rules together") {
    auto w = warnings_of("[[rule]]\nwhen = {}\nowner = \"sales\"\n"
                         "[[rule]]\nwhen = { kind = \"complaint\" }\nescalate = \"gm\"\nnotify = [\"quality\"]\n"
                         "[[rule]]\nwhen = { kind = \"complaint\", direction = \"internal\" }\nowner = \"gm\"\nescalate = \"quality\"\nnotify = [\"quality\"]\n");
    REQUIRE(w.size() == 1);
    CHECK(w[0].find("rule 3 never takes effect: rule 1 and rule 2 match everything it matches") != std::string::npos);
  }
  SUBCASE("a rule that sets nothing") {
    auto w = warnings_of("[[rule]]\nname = \"empty\"\nwhen = { kind = \"complaint\" }\n");
    REQUIRE(w.size() == 1);
    CHECK(w[0] == "test.toml:" + std::to_string(base + 1) +
                      ":1: warning: rule 1 \"empty\" sets nothing (give it owner, assignee, notify, escalate or major, or remove it)");
  }
}

TEST_CASE("rule validation errors") {
  auto errors = [](const std::string& rules) {
    std::vector<std::string> out;
    try {
      parse_config(kOrganization + rules, "test.toml");
    } catch (const ConfigError& e) {
      for (const auto& d : e.diagnostics()) out.push_back(d.message.english() + " (" + d.hint.english() + ")");
    }
    return out;
  };
  CHECK(errors("[[rule]]\nwhen = { kind = [] }\nowner = \"gm\"\n") ==
        std::vector<std::string>{"rule 1 when.kind: empty list never matches (list at least one value, or remove the key)"});
  CHECK(errors("[[rule]]\nwhen = { major = \"yes\" }\nowner = \"gm\"\n") ==
        std::vector<std::string>{"rule 1 when.major: expected a boolean, got a string (write major = true or major = false)"});
  CHECK(errors("[[rule]]\nwhen = { kind = 3 }\nowner = \"gm\"\n") ==
        std::vector<std::string>{"rule 1 when.kind: expected a string, got an integer (write kind = \"…\" or kind = [\"…\", \"…\"])"});
  CHECK(errors("[[rule]]\nwhen = { knd = \"complaint\" }\nowner = \"gm\"\n") ==
        std::vector<std::string>{"rule 1 when: unknown key \"knd\" (did you mean \"kind\"?)"});
  CHECK(errors("[[rule]]\nowner = \"gm\"\nescalte = \"gm\"\n") ==
        std::vector<std::string>{"rule 1: unknown key \"escalte\" (did you mean \"escalate\"?)"});
}

TEST_CASE("the communication matrix lists every kind and direction") {
  const Config config = rules_config();
  std::vector<MatrixRow> rows = communication_matrix(config);
  REQUIRE(rows.size() == 2 * (1 + 3));  // 2 kinds × (internal + 3 party types)
  const MatrixRow& internal = rows[0];
  CHECK(internal.kind == "complaint");
  CHECK(internal.kind_name == "投诉");
  CHECK(internal.direction == Direction::internal);
  CHECK(internal.party_type.empty());
  CHECK(internal.owner == "gm");
  CHECK(internal.rule_name == "fallback");
  CHECK(internal.notify == std::vector<std::string>{"quality", "sales"});
  CHECK(internal.channels == std::vector<std::string>{"email", "phone"});
  CHECK(internal.ack == "24h");
  CHECK(internal.resolve == "3wd");
  const MatrixRow& customer = rows[1];
  CHECK(customer.direction == Direction::external);
  CHECK(customer.party_type == "customer");
  CHECK(customer.owner == "quality");
  CHECK(customer.rule_name == "customer complaints");
  CHECK(customer.notify == std::vector<std::string>{"sales", "gm"});
  CHECK(customer.ack == "48h");
  CHECK(customer.resolve == "5wd");
  CHECK(rows[2].party_type == "supplier");
  CHECK(rows[2].owner == "purchasing");
  CHECK(rows[3].party_type == "subcontractor");
  CHECK(rows[3].owner == "purchasing");
  const MatrixRow& inquiry_internal = rows[4];
  CHECK(inquiry_internal.kind == "inquiry");
  CHECK(inquiry_internal.kind_name == "inquiry");
  CHECK(inquiry_internal.ack.empty());
  CHECK(inquiry_internal.resolve.empty());
  CHECK(inquiry_internal.channels.empty());
  CHECK(rows[5].resolve == "48h");
  CHECK(rows[5].owner == "gm");
}

TEST_CASE("the matrix of the minimal example") {
  const Config config = load_config(LIAISON_SOURCE_DIR "/examples/minimal/liaison.toml");
  std::vector<MatrixRow> rows = communication_matrix(config);
  REQUIRE(rows.size() == 4 * 3);
  auto row = [&](std::string_view kind, Direction direction, std::string_view party_type) {
    auto it = std::find_if(rows.begin(), rows.end(), [&](const MatrixRow& r) {
      return r.kind == kind && r.direction == direction && r.party_type == party_type;
    });
    REQUIRE(it != rows.end());
    return *it;
  };
  CHECK(row("complaint", Direction::external, "customer").owner == "quality");
  CHECK(row("complaint", Direction::external, "customer").notify == std::vector<std::string>{"sales"});
  CHECK(row("inquiry", Direction::external, "customer").owner == "sales");
  CHECK(row("emergency", Direction::internal, "").owner == "management");
  CHECK(row("emergency", Direction::internal, "").rule_name == "emergencies are major");
  CHECK(row("suggestion", Direction::internal, "").resolve == "10wd");
  CHECK(row("suggestion", Direction::external, "supplier").resolve.empty());
}
