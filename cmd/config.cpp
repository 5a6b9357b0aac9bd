// liaison config check|show|matrix: validate the config, print it, print the
// communication plan (ISO 9001 §7.4) derived from it.
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "row_writer.h"
#include "rules.h"
#include "tomlpp.h"

namespace liaison::cli {

static void run_config_check(Env& env) {
  std::string path = env.resolve_config_path();
  if (path.empty()) env.prepare(Needs::config);  // throws the "no config" error
  Config cfg = load_config(path);
  for (const auto& w : cfg.warnings) fmt::print(stderr, "{}\n", w.format(env.lang()));
  if (!env.options.quiet) {
    const auto departments = cfg.departments.size(), users = cfg.users.size(), kinds = cfg.kinds.size(),
               rules = cfg.rules.size();
    say(env, cfg.warnings.empty()          ? msg<Msg::config_ok>(path, departments, users, kinds, rules)
             : cfg.warnings.size() == 1 ? msg<Msg::config_ok_one_warning>(path, departments, users, kinds, rules)
                                        : msg<Msg::config_ok_warnings>(path, departments, users, kinds, rules,
                                                                       cfg.warnings.size()));
  }
  // What this machine lacks for the file (a missing sendmail): after the file's verdict,
  // since it is not the file's fault and may differ from one machine to the next.
  for (const auto& w : check_environment(cfg)) fmt::print(stderr, "{}\n", w.format(env.lang()));
}

Runner register_config_check(CLI::App&, Env& env) {
  return [&env] { run_config_check(env); };
}

namespace {
/// nlohmann JSON → toml++ node, so the effective config can be printed as TOML.
std::unique_ptr<toml::node> to_toml(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      auto t = std::make_unique<toml::table>();
      for (auto& [k, v] : j.items())
        if (!v.is_null()) t->insert(k, std::move(*to_toml(v)));
      return t;
    }
    case nlohmann::json::value_t::array: {
      auto a = std::make_unique<toml::array>();
      for (const auto& v : j)
        if (!v.is_null()) a->push_back(std::move(*to_toml(v)));
      return a;
    }
    case nlohmann::json::value_t::boolean: return std::make_unique<toml::value<bool>>(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return std::make_unique<toml::value<std::int64_t>>(j.get<std::int64_t>());
    case nlohmann::json::value_t::number_float: return std::make_unique<toml::value<double>>(j.get<double>());
    default: return std::make_unique<toml::value<std::string>>(j.is_string() ? j.get<std::string>() : j.dump());
  }
}
}  // namespace

static void run_config_show(Env& env) {
  nlohmann::json effective = config_to_json(env.config());
  Format f = env.options.format.empty() ? Format::table : env.format();
  if (f == Format::json) {
    print(render_json(effective));
    return;
  }
  if (f != Format::table && f != Format::tsv)
    throw UsageError(msg<Msg::config_show_toml_or_json>(), msg<Msg::use_format_json>());
  auto table = to_toml(effective);
  std::ostringstream out;
  out << "# effective configuration of " << env.config().path << ", defaults filled in\n";
  out << *static_cast<toml::table*>(table.get()) << "\n";
  print(out.str());
}

Runner register_config_show(CLI::App&, Env& env) {
  return [&env] { run_config_show(env); };
}

/// A kind's notify duties as [{"to", "within"}].
static nlohmann::json report_to_json(const std::vector<NotifyDuty>& duties) {
  nlohmann::json out = nlohmann::json::array();
  for (const NotifyDuty& d : duties) out.push_back({{"to", d.to}, {"within", d.within.text()}});
  return out;
}

static void run_config_matrix(Env& env) {
  const Config& cfg = env.config();
  auto rows = communication_matrix(cfg);
  const RenderOptions options = env.render_options();
  const Format f = options.format;
  auto heading = [&](Msg id) { return std::string(text_of(id, env.lang())); };
  RowWriter writer(std::cout, options);
  writer.begin({{"kind", heading(Msg::label_kind)},
                {"direction", heading(Msg::label_direction)},
                {"party_type", heading(Msg::label_party)},
                {"owner", heading(Msg::label_owner)},
                {"notify", heading(Msg::label_notify)},
                {"channels", heading(Msg::label_channel), false, true},
                {"ack", heading(Msg::label_ack)},
                {"resolve", heading(Msg::label_resolve)},
                {"receipt", heading(Msg::label_receipt_within)},
                {"report_to", heading(Msg::label_report_to)},
                {"approval", heading(Msg::label_approval)},
                {"action", heading(Msg::label_action_within)}});
  // json: every field of a row, its lists as arrays; jsonl, like the other formats, the
  // columns. Names for people to read (table, md); ids for scripts (tsv, csv), as in `list`.
  const bool display = f == Format::table || f == Format::md;
  auto joined = [](const std::vector<std::string>& items, auto name_of) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + name_of(i);
    return out;
  };
  for (const auto& r : rows) {
    if (f == Format::json) {
      writer.object({{"kind", r.kind},         {"kind_name", r.kind_name}, {"direction", to_string(r.direction)},
                     {"party_type", r.party_type}, {"owner", r.owner},     {"notify", r.notify},
                     {"channels", r.channels}, {"ack", r.ack},             {"resolve", r.resolve},
                     {"rule", r.rule_name}, {"receipt", r.receipt.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.receipt)},
                     {"report_to", report_to_json(r.report_to)}, {"approval", r.approval},
                     {"action", r.action.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.action)}});
      continue;
    }
    // "safety-bureau 1h" for each party the kind reports to.
    std::string report_to;
    for (const NotifyDuty& d : r.report_to)
      report_to += (report_to.empty() ? "" : ", ") + d.to + " " + (display ? duration_text(env, d.within.text()) : d.within.text());
    std::string channels = joined(r.channels, [&](const std::string& c) {
      const Channel* ch = cfg.channel(c);
      return display && ch ? ch->name : c;
    });
    std::string notify = joined(r.notify, [&](const std::string& d) { return display ? dept_name(env, d) : d; });
    // An approval step for people: who "head" and "top" are, a department's name.
    auto step_text = [&](const std::string& step) {
      if (step == "head") return label(env, "the owner's head");
      if (step == "top") return label(env, "top management");
      return cfg.department(step) ? dept_name(env, step) : step;
    };
    const PartyType* pt = cfg.party_type(r.party_type);
    std::string direction(to_string(r.direction));
    if (display)
      writer.row(std::vector<std::string>{r.kind_name.empty() ? r.kind : r.kind_name, label(env, direction),
                                          pt ? pt->name : r.party_type, dept_name(env, r.owner), notify, channels,
                                          duration_text(env, r.ack), duration_text(env, r.resolve),
                                          duration_text(env, r.receipt), report_to, joined(r.approval, step_text),
                                          duration_text(env, r.action)});
    else
      writer.row(std::vector<std::string>{r.kind, direction, r.party_type, r.owner, notify, channels, r.ack, r.resolve,
                                          r.receipt, report_to, joined(r.approval, [](const std::string& s) { return s; }),
                                          r.action});
  }
  writer.end();
}

Runner register_config_matrix(CLI::App&, Env& env) {
  return [&env] { run_config_matrix(env); };
}

}  // namespace liaison::cli
