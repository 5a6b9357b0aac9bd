// Display and JSON helpers shared by the commands: labels, department names, durations,
// records and events as JSON.
#include "common.h"

#include <fmt/format.h>

#include "exchange.h"

namespace liaison::cli {

std::string label(const Env& env, std::string_view english) { return std::string(tr(env.lang(), english)); }

std::string dept_name(const Env& env, const std::string& id) {
  if (const Department* d = env.config().department(id)) return d->name;
  return id;
}

std::string format_seconds(std::int64_t seconds) {
  std::int64_t h = seconds / 3600, m = (seconds % 3600) / 60;
  if (h == 0) return fmt::format("{}m", m);
  return m ? fmt::format("{}h{:02}m", h, m) : fmt::format("{}h", h);
}

nlohmann::json record_json(const Record& r, const Env& env) {
  return liaison::record_json(r, env.calendar(), env.now());  // lib/services/exchange.h
}

nlohmann::json event_json(const Event& e, const Env& env) {
  nlohmann::json data = nlohmann::json::parse(e.data, nullptr, false);
  return {{"id", e.id},     {"ref", e.ref}, {"type", e.type}, {"actor", e.actor},
          {"at", env.calendar().format_iso(e.at)}, {"data", data},
          {"recorded_at", e.recorded_at ? nlohmann::json(env.calendar().format_iso(*e.recorded_at)) : nlohmann::json(nullptr)},
          // null: not shown to this reader (or, for the salt, an event older than schema 7)
          {"hash", e.hash.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.hash)},
          {"salt", e.salt.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.salt)}};
}

}  // namespace liaison::cli
