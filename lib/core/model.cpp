#include "model.h"

#include <array>
#include <utility>

namespace liaison {
namespace {

template <typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<std::string_view, E>, N>& table, std::string_view s) {
  for (const auto& [name, value] : table)
    if (name == s) return value;
  return std::nullopt;
}
template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<std::string_view, E>, N>& table, E e) {
  for (const auto& [name, value] : table)
    if (value == e) return name;
  return "?";
}

constexpr std::array<std::pair<std::string_view, Direction>, 2> kDirections{{
    {"internal", Direction::internal}, {"external", Direction::external}}};
constexpr std::array<std::pair<std::string_view, Flow>, 4> kFlows{{
    {"none", Flow::none}, {"upward", Flow::upward}, {"downward", Flow::downward}, {"lateral", Flow::lateral}}};
constexpr std::array<std::pair<std::string_view, Status>, 4> kStatuses{{
    {"open", Status::open}, {"acknowledged", Status::acknowledged}, {"waiting", Status::waiting},
    {"closed", Status::closed}}};
constexpr std::array<std::pair<std::string_view, Outcome>, 6> kOutcomes{{
    {"resolved", Outcome::resolved}, {"adopted", Outcome::adopted}, {"rejected", Outcome::rejected},
    {"withdrawn", Outcome::withdrawn}, {"duplicate", Outcome::duplicate}, {"no-action", Outcome::no_action}}};
constexpr std::array<std::pair<std::string_view, SkipLevelCase>, 4> kSkipCases{{
    {"superior-complaint", SkipLevelCase::superior_complaint},
    {"unanswered", SkipLevelCase::unanswered},
    {"superior-violation", SkipLevelCase::superior_violation},
    {"reform-suggestion", SkipLevelCase::reform_suggestion}}};

}  // namespace

std::string_view to_string(Direction v) { return name_of(kDirections, v); }
std::string_view to_string(Flow v) { return name_of(kFlows, v); }
std::string_view to_string(Status v) { return name_of(kStatuses, v); }
std::string_view to_string(Outcome v) { return name_of(kOutcomes, v); }
std::string_view to_string(SkipLevelCase v) { return name_of(kSkipCases, v); }
std::optional<Direction> parse_direction(std::string_view s) { return lookup(kDirections, s); }
std::optional<Flow> parse_flow(std::string_view s) { return lookup(kFlows, s); }
std::optional<Status> parse_status(std::string_view s) { return lookup(kStatuses, s); }
std::optional<Outcome> parse_outcome(std::string_view s) { return lookup(kOutcomes, s); }
std::optional<SkipLevelCase> parse_skip_level_case(std::string_view s) { return lookup(kSkipCases, s); }

}  // namespace liaison
