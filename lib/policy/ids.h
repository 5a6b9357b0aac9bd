// Ids of the config (departments, users, channels, kinds, levels, party types) as
// commands, import files and requests give them: one check, one wording, one "did you
// mean" for all.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.h"

namespace liaison {

/// The sorts of config ids.
enum class IdKind { department, user, channel, kind, level, party_type, topic };

/// What is wrong with an id: `unknown department "qa"` and a hint, "did you mean
/// "qc"?" or where to find the ids.
struct IdProblem {
  Message message;
  Message hint;
};

/// The problem with `id` as an id of sort `kind`, nullopt when the config has it (any user
/// id passes when the config lists no users: single-user mode). `flag`, when given, is
/// named in the message: `unknown department "qa" for --to`.
std::optional<IdProblem> id_problem(const Config& config, IdKind kind, const std::string& id,
                                    std::string_view flag = {});
/// DataError (exit 65) with the message and hint of id_problem, if there is one.
void check_id(const Config& config, IdKind kind, const std::string& id, std::string_view flag = {});

/// "did you mean "x"?" for the closest of `candidates` (did_you_mean), else `fallback`.
Message did_you_mean_hint(std::string_view word, const std::vector<std::string>& candidates, Message fallback);
/// The ids of config objects of one sort.
template <typename T>
std::vector<std::string> ids_of(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.id);
  return out;
}

}  // namespace liaison
