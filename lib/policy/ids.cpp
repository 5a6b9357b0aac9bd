#include "ids.h"

#include <fmt/format.h>

#include "errors.h"

namespace liaison {

std::string did_you_mean_hint(std::string_view word, const std::vector<std::string>& candidates,
                              std::string_view fallback) {
  if (auto m = did_you_mean(word, candidates)) return fmt::format("did you mean \"{}\"?", *m);
  return std::string(fallback);
}

std::optional<IdProblem> id_problem(const Config& c, IdKind kind, const std::string& id, std::string_view flag) {
  std::string_view noun, fallback;
  std::vector<std::string> candidates;
  switch (kind) {
    case IdKind::department:
      if (c.department(id)) return std::nullopt;
      noun = "department", fallback = "see 'liaison config show' for the departments";
      candidates = ids_of(c.departments);
      break;
    case IdKind::user:
      if (c.users.empty() || c.user(id)) return std::nullopt;
      noun = "user", fallback = "see 'liaison config show' for the users";
      candidates = ids_of(c.users);
      break;
    case IdKind::channel:
      if (c.channel(id)) return std::nullopt;
      noun = "channel", fallback = "see 'liaison config show' for the channels";
      candidates = ids_of(c.channels);
      break;
    case IdKind::kind:
      if (c.kind(id)) return std::nullopt;
      noun = "kind", fallback = "see 'liaison config matrix' for the kinds";
      candidates = ids_of(c.kinds);
      break;
    case IdKind::level:
      if (c.level_rank(id) >= 0) return std::nullopt;
      noun = "level", fallback = "levels are listed under [levels] order";
      candidates = c.levels.order;
      break;
    case IdKind::party_type:
      if (c.party_type(id)) return std::nullopt;
      noun = "party type", fallback = "see 'liaison config show' for the party types";
      candidates = ids_of(c.party_types);
      break;
  }
  std::string message = fmt::format("unknown {} \"{}\"", noun, id);
  if (!flag.empty()) message += fmt::format(" for {}", flag);
  return IdProblem{std::move(message), did_you_mean_hint(id, candidates, fallback)};
}

void check_id(const Config& config, IdKind kind, const std::string& id, std::string_view flag) {
  if (auto p = id_problem(config, kind, id, flag)) throw DataError(p->message, p->hint);
}

}  // namespace liaison
