// Tests of lib/core/model.cpp: every enum value's name round-trips through to_string and its
// parse function, names are the documented ones, and unknown names parse to nullopt.
#include "model.h"

#include <set>
#include <string>

#include <doctest/doctest.h>

namespace liaison {
namespace {

TEST_CASE("Direction names round-trip") {
  CHECK(to_string(Direction::internal) == "internal");
  CHECK(to_string(Direction::external) == "external");
  for (auto v : {Direction::internal, Direction::external}) {
    CAPTURE(to_string(v));
    CHECK(parse_direction(to_string(v)) == v);
  }
}

TEST_CASE("Flow names round-trip") {
  CHECK(to_string(Flow::none) == "none");
  CHECK(to_string(Flow::upward) == "upward");
  CHECK(to_string(Flow::downward) == "downward");
  CHECK(to_string(Flow::lateral) == "lateral");
  for (auto v : {Flow::none, Flow::upward, Flow::downward, Flow::lateral}) {
    CAPTURE(to_string(v));
    CHECK(parse_flow(to_string(v)) == v);
  }
}

TEST_CASE("Status names round-trip") {
  CHECK(to_string(Status::open) == "open");
  CHECK(to_string(Status::acknowledged) == "acknowledged");
  CHECK(to_string(Status::waiting) == "waiting");
  CHECK(to_string(Status::closed) == "closed");
  for (auto v : {Status::open, Status::acknowledged, Status::waiting, Status::closed}) {
    CAPTURE(to_string(v));
    CHECK(parse_status(to_string(v)) == v);
  }
}

TEST_CASE("Outcome names round-trip, no_action is spelt no-action") {
  CHECK(to_string(Outcome::resolved) == "resolved");
  CHECK(to_string(Outcome::adopted) == "adopted");
  CHECK(to_string(Outcome::rejected) == "rejected");
  CHECK(to_string(Outcome::withdrawn) == "withdrawn");
  CHECK(to_string(Outcome::duplicate) == "duplicate");
  CHECK(to_string(Outcome::no_action) == "no-action");
  for (auto v : {Outcome::resolved, Outcome::adopted, Outcome::rejected, Outcome::withdrawn, Outcome::duplicate,
                 Outcome::no_action}) {
    CAPTURE(to_string(v));
    CHECK(parse_outcome(to_string(v)) == v);
  }
}

TEST_CASE("SkipLevelCase names round-trip, spelt with hyphens") {
  CHECK(to_string(SkipLevelCase::superior_complaint) == "superior-complaint");
  CHECK(to_string(SkipLevelCase::unanswered) == "unanswered");
  CHECK(to_string(SkipLevelCase::superior_violation) == "superior-violation");
  CHECK(to_string(SkipLevelCase::reform_suggestion) == "reform-suggestion");
  for (auto v : {SkipLevelCase::superior_complaint, SkipLevelCase::unanswered, SkipLevelCase::superior_violation,
                 SkipLevelCase::reform_suggestion}) {
    CAPTURE(to_string(v));
    CHECK(parse_skip_level_case(to_string(v)) == v);
  }
}

TEST_CASE("names within one enum are distinct") {
  std::set<std::string> outcomes;
  for (auto v : {Outcome::resolved, Outcome::adopted, Outcome::rejected, Outcome::withdrawn, Outcome::duplicate,
                 Outcome::no_action})
    outcomes.emplace(to_string(v));
  CHECK(outcomes.size() == 6);
  std::set<std::string> statuses;
  for (auto v : {Status::open, Status::acknowledged, Status::waiting, Status::closed}) statuses.emplace(to_string(v));
  CHECK(statuses.size() == 4);
}

TEST_CASE("unknown names parse to nullopt") {
  for (std::string_view bad : {"", "Internal", "INTERNAL", "internal ", " internal", "intern", "ext", "both"})
    CHECK_FALSE(parse_direction(bad).has_value());
  for (std::string_view bad : {"", "up", "Upward", "sideways", "?"}) CHECK_FALSE(parse_flow(bad).has_value());
  for (std::string_view bad : {"", "Open", "ack", "acked", "pending", "all", "?"})
    CHECK_FALSE(parse_status(bad).has_value());
  for (std::string_view bad : {"", "no_action", "noaction", "Resolved", "accepted", "?"})
    CHECK_FALSE(parse_outcome(bad).has_value());
  for (std::string_view bad : {"", "superior_complaint", "reform", "Unanswered", "?"})
    CHECK_FALSE(parse_skip_level_case(bad).has_value());
}

TEST_CASE("a name of one enum does not parse as another") {
  CHECK_FALSE(parse_status("resolved").has_value());
  CHECK_FALSE(parse_outcome("closed").has_value());
  CHECK_FALSE(parse_direction("upward").has_value());
  CHECK_FALSE(parse_flow("internal").has_value());
}

}  // namespace
}  // namespace liaison
