// liaison audit verify: recompute the history's hash chain and report the first event
// that does not verify; then replay each record's history and report the first record
// whose stored state is not what its history says (lib/services/audit.h).
#include <fmt/format.h>

#include "audit.h"
#include "chain.h"
#include "common.h"
#include "errors.h"
#include "reads.h"

namespace liaison::cli {

namespace {

/// "EXT-2026-00001: status is "closed", but its history gives "acknowledged" (event 7)".
Message describe(const StateMismatch& m, const Env& env) {
  return describe_mismatch(m, [&](TimePoint t) { return env.calendar().format_iso(t); });
}

nlohmann::json mismatch_json(const std::optional<StateMismatch>& m, const Env& env) {
  if (!m) return nullptr;
  nlohmann::json j = {{"ref", m->ref},   {"record_id", m->record_id}, {"field", m->field},
                      {"event", m->event_id}, {"problem", describe(*m, env).english()}};
  auto value = [&](const FieldValue& v) -> nlohmann::json {
    if (v.is_time) return v.time ? nlohmann::json(env.calendar().format_iso(*v.time)) : nlohmann::json(nullptr);
    return v.text;
  };
  j["stored"] = m->problem.empty() ? value(m->stored) : nlohmann::json(nullptr);
  j["expected"] = m->problem.empty() ? value(m->expected) : nlohmann::json(nullptr);
  return j;
}

}  // namespace

Runner register_audit_verify(CLI::App&, Env& env) {
  return [&env] {
    const Context ctx = env.context();
    ChainCheck chain = verify_chain(ctx);
    StateCheck state = check_states(ctx);
    const bool ok = chain.ok && !state.first;
    if (env.format() == Format::json) {
      print(render_json({{"ok", ok},
                         {"events", chain.events},
                         {"first_bad_event", chain.first_bad_id},
                         {"problem", chain.problem.english()},
                         {"chain_ok", chain.ok},
                         {"records", state.records},
                         {"state_ok", !state.first},
                         {"first_inconsistency", mismatch_json(state.first, env)}}));
    } else if (ok && !env.options.quiet) {
      say(env, msg<Msg::audit_verify_ok>(chain.events, state.records));
    }
    // The chain comes first: an altered history makes the state comparison moot (JSON
    // still says both).
    if (!chain.ok)
      throw Error(ExitCode::failure, msg<Msg::history_altered_event>(chain.first_bad_id, chain.problem),
                  msg<Msg::database_changed_compare_backup>());
    if (state.first)
      throw Error(ExitCode::failure, msg<Msg::record_state_altered>(describe(*state.first, env)),
                  msg<Msg::records_table_was_changed_behind_liaison>());
  };
}

}  // namespace liaison::cli
