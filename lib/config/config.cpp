// The configuration's lookups by id. Reading liaison.toml into a validated Config is in
// config_toml.cpp (syntax and the entry points), config_sections.cpp (each section),
// config_checks.cpp (checks across sections) and config_text.cpp (text utilities);
// config_json.cpp writes it as JSON.
#include "config.h"

namespace liaison {

const Department* Config::department(std::string_view id) const {
  for (const auto& d : departments)
    if (d.id == id) return &d;
  return nullptr;
}
const User* Config::user(std::string_view id) const {
  for (const auto& u : users)
    if (u.id == id) return &u;
  return nullptr;
}
const User* Config::user_by_login(std::string_view login) const {
  for (const auto& u : users)
    if (u.login == login) return &u;
  for (const auto& u : users)
    if (u.login.empty() && u.id == login) return &u;
  return nullptr;
}
const Kind* Config::kind(std::string_view id) const {
  for (const auto& k : kinds)
    if (k.id == id) return &k;
  return nullptr;
}
const Channel* Config::channel(std::string_view id) const {
  for (const auto& c : channels)
    if (c.id == id) return &c;
  return nullptr;
}
const PartyType* Config::party_type(std::string_view id) const {
  for (const auto& p : party_types)
    if (p.id == id) return &p;
  return nullptr;
}
const Topic* Config::topic(std::string_view id) const {
  for (const auto& t : topics)
    if (t.id == id) return &t;
  return nullptr;
}
int Config::level_rank(std::string_view id) const {
  for (std::size_t i = 0; i < levels.order.size(); ++i)
    if (levels.order[i] == id) return static_cast<int>(i);
  return -1;
}

}  // namespace liaison
