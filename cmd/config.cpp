// liaison config check|show|matrix: validate the config, print it, print the
// communication plan (ISO 9001 §7.4) derived from it.
#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "rules.h"

namespace liaison::cli {

static void run_config_check(Env& env) {
  std::string path = env.resolve_config_path();
  if (path.empty()) env.prepare(Needs::config);  // throws the "no config" error
  Config cfg = load_config(path);
  for (const auto& w : cfg.warnings) fmt::print(stderr, "{}\n", w.format());
  if (!env.options.quiet)
    print(fmt::format("{}: ok ({} departments, {} users, {} kinds, {} rules{})\n", path, cfg.departments.size(),
                      cfg.users.size(), cfg.kinds.size(), cfg.rules.size(),
                      cfg.warnings.empty() ? "" : fmt::format(", {} warnings", cfg.warnings.size())));
}

Runner register_config_check(CLI::App&, Env& env) {
  return [&env] { run_config_check(env); };
}

static void run_config_show(Env& env) {
  Format f = env.options.format.empty() ? Format::json : env.format();
  if (f != Format::json)
    throw UsageError("config show prints JSON only", "use --format json, or read the TOML file itself");
  print(render_json(config_to_json(env.config())));
}

Runner register_config_show(CLI::App&, Env& env) {
  return [&env] { run_config_show(env); };
}

static std::string names(const Env& env, const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + dept_name(env, id);
  return out;
}

static void run_config_matrix(Env& env) {
  const Config& cfg = env.config();
  auto rows = communication_matrix(cfg);
  Format f = env.format();
  if (f == Format::json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows)
      out.push_back({{"kind", r.kind},         {"kind_name", r.kind_name}, {"direction", to_string(r.direction)},
                     {"party_type", r.party_type}, {"owner", r.owner},     {"notify", r.notify},
                     {"channels", r.channels}, {"ack", r.ack},             {"resolve", r.resolve},
                     {"rule", r.rule_name}});
    print(render_json(out));
    return;
  }
  Table t;
  t.columns = {{"kind", label(env, "kind")},       {"direction", label(env, "direction")},
               {"party_type", label(env, "party")}, {"owner", label(env, "owner")},
               {"notify", label(env, "notify")},    {"channels", label(env, "channel"), false, true},
               {"ack", label(env, "ack")},          {"resolve", label(env, "resolve")}};
  for (const auto& r : rows) {
    std::string channels;
    for (const auto& c : r.channels) {
      const Channel* ch = cfg.channel(c);
      channels += (channels.empty() ? "" : ", ") + (ch ? ch->name : c);
    }
    const PartyType* pt = cfg.party_type(r.party_type);
    t.rows.push_back({r.kind_name.empty() ? r.kind : r.kind_name, label(env, std::string(to_string(r.direction))),
                      pt ? pt->name : r.party_type, dept_name(env, r.owner), names(env, r.notify), channels, r.ack,
                      r.resolve});
  }
  print(render(t, env.render_options()));
}

Runner register_config_matrix(CLI::App&, Env& env) {
  return [&env] { run_config_matrix(env); };
}

}  // namespace liaison::cli
