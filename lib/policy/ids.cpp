#include "ids.h"

#include <fmt/format.h>

#include "errors.h"

namespace liaison {

Message did_you_mean_hint(std::string_view word, const std::vector<std::string>& candidates, Message fallback) {
  if (auto m = did_you_mean(word, candidates)) return msg<Msg::did_you_mean>(*m);
  return fallback;
}

namespace {

/// The problem with `id` (see id_problem) as messages of the catalogue.
struct IdMessages {
  Message message;
  Message hint;
};

std::optional<IdMessages> id_messages(const Config& c, IdKind kind, const std::string& id, std::string_view flag) {
  const bool for_flag = !flag.empty();
  Message message, fallback;
  std::vector<std::string> candidates;
  switch (kind) {
    case IdKind::department:
      if (c.department(id)) return std::nullopt;
      message = for_flag ? msg<Msg::unknown_department>(id, flag) : msg<Msg::unknown_department_bare>(id);
      fallback = msg<Msg::see_config_show_departments>();
      candidates = ids_of(c.departments);
      break;
    case IdKind::user:
      if (c.users.empty() || c.user(id)) return std::nullopt;
      message = for_flag ? msg<Msg::unknown_user>(id, flag) : msg<Msg::unknown_user_bare>(id);
      fallback = msg<Msg::see_config_show_users>();
      candidates = ids_of(c.users);
      break;
    case IdKind::channel:
      if (c.channel(id)) return std::nullopt;
      message = for_flag ? msg<Msg::unknown_channel>(id, flag) : msg<Msg::unknown_channel_bare>(id);
      fallback = msg<Msg::see_config_show_channels>();
      candidates = ids_of(c.channels);
      break;
    case IdKind::kind:
      if (c.kind(id)) return std::nullopt;
      message = for_flag ? msg<Msg::unknown_kind_for>(id, flag) : msg<Msg::unknown_kind>(id);
      fallback = msg<Msg::see_config_matrix_kinds>();
      candidates = ids_of(c.kinds);
      break;
    case IdKind::level:
      if (c.level_rank(id) >= 0) return std::nullopt;
      message = for_flag ? msg<Msg::unknown_level_for>(id, flag) : msg<Msg::unknown_level>(id);
      fallback = msg<Msg::levels_listed_under_order>();
      candidates = c.levels.order;
      break;
    case IdKind::party_type:
      if (c.party_type(id)) return std::nullopt;
      message = for_flag ? msg<Msg::unknown_party_type_for>(id, flag) : msg<Msg::unknown_party_type>(id);
      fallback = msg<Msg::see_config_show_party_types>();
      candidates = ids_of(c.party_types);
      break;
    case IdKind::topic:
      if (c.topic(id)) return std::nullopt;
      message = for_flag ? msg<Msg::unknown_topic_for>(id, flag) : msg<Msg::unknown_topic>(id);
      fallback = c.topics.empty() ? msg<Msg::no_topics_configured>() : msg<Msg::see_config_show_topics>();
      candidates = ids_of(c.topics);
      break;
  }
  return IdMessages{std::move(message), did_you_mean_hint(id, candidates, std::move(fallback))};
}
}  // namespace

std::optional<IdProblem> id_problem(const Config& c, IdKind kind, const std::string& id, std::string_view flag) {
  auto p = id_messages(c, kind, id, flag);
  if (!p) return std::nullopt;
  return IdProblem{std::move(p->message), std::move(p->hint)};
}

void check_id(const Config& config, IdKind kind, const std::string& id, std::string_view flag) {
  if (auto p = id_messages(config, kind, id, flag)) throw DataError(std::move(p->message), std::move(p->hint));
}

}  // namespace liaison
