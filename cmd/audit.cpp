// liaison audit verify: recompute the history's hash chain and report the first event
// that does not verify; then replay each record's history and report the first record
// whose stored state is not what its history says (lib/services/audit.h); with
// --checkpoints or --trusted-key, check that the signed checkpoints still hold
// (lib/services/checkpoint.h). The chain and the replay run side by side, on two
// connections and two threads. liaison audit checkpoint: sign the chain's tip.
// liaison audit recount: rebuild what is kept beside the records for the report.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include <exception>
#include <fstream>
#include <future>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "attachments.h"
#include "audit.h"
#include "chain.h"
#include "checkpoint.h"
#include "common.h"
#include "errors.h"
#include "reads.h"

namespace liaison::cli {

namespace {

/// "EXT-2026-00001: status is "closed", but its history gives "acknowledged" (event 7)".
Message describe(const StateMismatch& m, const Env& env) {
  return describe_mismatch(m, [&](TimePoint t) { return env.calendar().format_iso(t); });
}

/// "quality, resolve deadlines from … to …, waiting: 3 counted, 1 records".
Message describe(const CountDifference& d, const Env& env) {
  Message deadlines = d.deadlines_from ? msg<Msg::backlog_deadlines_between>(env.calendar().format_iso(*d.deadlines_from),
                                                                            env.calendar().format_iso(*d.deadlines_to))
                                       : msg<Msg::backlog_no_deadline>();
  return msg<Msg::backlog_count_difference>(d.owner, deadlines,
                                            d.waiting ? msg<Msg::backlog_waiting>() : msg<Msg::backlog_not_waiting>(),
                                            d.kept, d.counted);
}

/// "EXT-2026-00001, the resolve cycle that event 17 ended: …".
Message describe(const CycleDifference& d) {
  if (!d.kept) return msg<Msg::cycle_difference_missing>(d.ref, d.reopened_event);
  if (!d.replayed) return msg<Msg::cycle_difference_extra>(d.ref, d.reopened_event);
  return msg<Msg::cycle_difference_values>(d.ref, d.reopened_event);
}

/// The first thing the store keeps beside the records and their history for the report
/// that a recount or replay does not give: a backlog count (backlog_due), then a resolve
/// cycle (resolve_cycles). The problem in a sentence, and the hint.
struct KeptDifference {
  Message problem, hint, detail;
};

std::optional<KeptDifference> first_kept_difference(Store& store, const Env& env) {
  Maintenance* maintenance = store.maintenance();
  if (!maintenance) return std::nullopt;
  if (std::vector<CountDifference> counts = maintenance->backlog_count_differences(1); !counts.empty()) {
    Message detail = describe(counts.front(), env);
    return KeptDifference{msg<Msg::backlog_counts_differ>(detail), msg<Msg::backlog_counts_recount>(), detail};
  }
  if (std::vector<CycleDifference> cycles = maintenance->resolve_cycle_differences(1); !cycles.empty()) {
    Message detail = describe(cycles.front());
    return KeptDifference{msg<Msg::resolve_cycles_differ>(detail), msg<Msg::resolve_cycles_rebuild>(), detail};
  }
  if (auto messages = maintenance->message_index_differences(1); !messages.empty()) {
    const MessageIndexDifference& d = messages.front();
    Message detail = d.kept ? msg<Msg::message_index_extra>(d.event_id, d.message_sha256)
                            : msg<Msg::message_index_missing>(d.event_id, d.message_sha256);
    return KeptDifference{msg<Msg::message_index_differs>(detail), msg<Msg::message_index_restore>(), detail};
  }
  if (auto periods = maintenance->schedule_index_differences(1); !periods.empty()) {
    const ScheduleIndexDifference& d = periods.front();
    Message detail = d.kept ? msg<Msg::schedule_index_extra>(d.schedule, d.period, d.record_id)
                            : msg<Msg::schedule_index_missing>(d.record_id, d.schedule, d.period);
    return KeptDifference{msg<Msg::schedule_index_differs>(detail), msg<Msg::schedule_index_restore>(), detail};
  }
  return std::nullopt;
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

/// A small text file (a key, kept checkpoints), or standard input for "-". NotFoundError
/// when it cannot be read.
std::string read_small_file(const std::string& path, const Message& cannot) {
  constexpr std::size_t kMax = 16 * 1024 * 1024;
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw NotFoundError(cannot, msg<Msg::check_file_s_name_permissions>());
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw NotFoundError(cannot, msg<Msg::check_file_s_name_permissions>());
    text = buffer.str();
  }
  if (text.size() > kMax) throw DataError(cannot, msg<Msg::give_checkpoint_text>());
  return text;
}

struct VerifyOptions {
  std::string checkpoints;   ///< a file of kept checkpoints ("-": standard input)
  std::string trusted_key;   ///< a public key file, or its 64 hex digits
};

/// The checkpoints to hold: those of --checkpoints, then (with --trusted-key) those stored
/// in the database, every one by that key.
std::optional<CheckpointCheck> check_checkpoints(const VerifyOptions& o, Store& store) {
  if (o.checkpoints.empty() && o.trusted_key.empty()) return std::nullopt;
  std::optional<std::string> trusted;
  if (!o.trusted_key.empty()) {
    // A file if there is one by that name, else the key's hex itself.
    struct stat st {};
    std::string text = ::stat(o.trusted_key.c_str(), &st) == 0
                           ? read_small_file(o.trusted_key, msg<Msg::cannot_read>(o.trusted_key))
                           : o.trusted_key;
    trusted = ed25519_public_hex(text);
    if (!trusted) throw DataError(msg<Msg::not_ed25519_public_key>(o.trusted_key), msg<Msg::give_public_key>());
  }
  CheckpointCheck total;
  if (!o.checkpoints.empty()) {
    std::string text = read_small_file(o.checkpoints, msg<Msg::cannot_read>(o.checkpoints));
    auto kept = parse_checkpoints(text, o.checkpoints == "-" ? "stdin" : o.checkpoints);
    if (kept.empty()) throw DataError(msg<Msg::no_checkpoint_in>(o.checkpoints), msg<Msg::give_checkpoint_text>());
    total = verify_checkpoints(store, kept, trusted);
    if (total.problem) return total;
  }
  if (trusted) {
    CheckpointCheck stored = verify_stored_checkpoints(store, *trusted);
    stored.checked += total.checked;
    return stored;
  }
  return total;
}

}  // namespace

Runner register_audit_verify(CLI::App& app, Env& env) {
  auto o = std::make_shared<VerifyOptions>();
  app.add_option("--checkpoints", o->checkpoints,
                 "a file of kept checkpoints ('audit checkpoint' output; - for stdin) the history must still hold");
  app.add_option("--trusted-key", o->trusted_key,
                 "the checkpoint signer's public key (PEM file or 64 hex digits): every stored checkpoint must be signed by it");
  return [&env, o] {
    const Context ctx = env.context();
    // The two checks share nothing but the file: the chain is recomputed, and then what
    // the database keeps beside the history (the report's counts and cycles, the message
    // index) is compared with it, on a second thread through a read-only connection of its
    // own, while this thread replays each record's history (the longer of the two: about
    // five sixths of the CPU at a million records). An error of the second thread is the
    // one reported when both fail, as when it ran first.
    std::unique_ptr<Store> chain_store = open_store(env.resolve_db_path(), OpenMode::read_only);
    struct ChainAndKept {
      ChainCheck chain;
      std::optional<KeptDifference> counts;
    };
    auto chain_pass = std::async(std::launch::async, [&store = *chain_store, &env] {
      ChainAndKept out;
      out.chain = verify_chain(store);
      out.counts = first_kept_difference(store, env);
      return out;
    });
    StateCheck state;
    std::exception_ptr state_error;
    try {
      state = check_states(ctx);
    } catch (...) {
      state_error = std::current_exception();
    }
    auto [chain, counts] = chain_pass.get();
    if (state_error) std::rethrow_exception(state_error);
    const AttachmentCheck attachments = check_attachments_against(ctx.store, state.attachments_listed);
    std::optional<CheckpointCheck> checkpoints = check_checkpoints(*o, ctx.store);
    const bool checkpoints_ok = !checkpoints || !checkpoints->problem;
    const bool ok = chain.ok && !state.first && !counts && checkpoints_ok && !attachments.problem;
    if (env.format() == Format::json) {
      nlohmann::json cp = nullptr;  // null: not asked for
      if (checkpoints)
        cp = {{"ok", checkpoints_ok},
              {"checked", checkpoints->checked},
              {"problem", checkpoints->problem ? nlohmann::json(checkpoints->problem->english()) : nlohmann::json(nullptr)}};
      print(render_json({{"ok", ok},
                         {"events", chain.events},
                         {"first_bad_event", chain.first_bad_id},
                         {"problem", chain.problem.english()},
                         {"chain_ok", chain.ok},
                         {"records", state.records},
                         {"state_ok", !state.first},
                         {"first_inconsistency", mismatch_json(state.first, env)},
                         {"counts_ok", !counts},
                         {"count_difference",
                          counts ? nlohmann::json(counts->detail.english()) : nlohmann::json(nullptr)},
                         {"checkpoints", cp},
                         {"attachments", attachments.attachments},
                         {"attachments_ok", !attachments.problem},
                         {"attachment_problem", attachments.problem ? nlohmann::json(attachments.problem->english())
                                                                    : nlohmann::json(nullptr)}}));
    } else if (ok && !env.options.quiet) {
      if (checkpoints) say(env, msg<Msg::audit_verify_ok_checkpoints>(chain.events, state.records, checkpoints->checked));
      else say(env, msg<Msg::audit_verify_ok>(chain.events, state.records));
    }
    // The chain comes first: an altered history makes the state comparison moot (JSON
    // still says both).
    if (!chain.ok)
      throw Error(ExitCode::failure, msg<Msg::history_altered_event>(chain.first_bad_id, chain.problem),
                  msg<Msg::database_changed_compare_backup>());
    if (!checkpoints_ok)
      throw Error(ExitCode::failure, msg<Msg::history_not_as_checkpointed>(*checkpoints->problem),
                  checkpoints->none ? msg<Msg::run_audit_checkpoint>() : msg<Msg::database_changed_compare_backup>());
    if (state.first)
      throw Error(ExitCode::failure, msg<Msg::record_state_altered>(describe(*state.first, env)),
                  msg<Msg::records_table_was_changed_behind_liaison>());
    if (attachments.problem)
      throw Error(ExitCode::failure, msg<Msg::attachments_altered>(*attachments.problem),
                  msg<Msg::database_changed_compare_backup>());
    if (counts) throw Error(ExitCode::failure, counts->problem, counts->hint);
  };
}

Runner register_audit_recount(CLI::App&, Env& env) {
  return [&env] {
    Context ctx = env.context();
    const KeptRecount r = recount_kept(ctx);
    if (env.format() == Format::json) {
      print(render_json({{"counts_rebuilt", r.counts}, {"cycles_rebuilt", r.cycles}}));
    } else if (!env.options.quiet) {
      if (r.counts || r.cycles) say(env, msg<Msg::audit_recount_done>(r.counts, r.cycles));
      else say(env, msg<Msg::audit_recount_agreed>());
    }
  };
}

Runner register_audit_checkpoint(CLI::App& app, Env& env) {
  auto key_path = std::make_shared<std::string>();
  app.add_option("--key", *key_path, "the Ed25519 private key (PEM) that signs, kept outside the database")->required();
  return [&env, key_path] {
    // The key is its holder's alone: refused when others may read it, as ssh does.
    struct stat st {};
    if (::stat(key_path->c_str(), &st) != 0)
      throw NotFoundError(msg<Msg::cannot_read_key>(*key_path, std::strerror(errno)),
                          msg<Msg::check_file_s_name_permissions>());
    if (st.st_mode & (S_IRWXG | S_IRWXO))
      throw PermissionError(msg<Msg::key_open_to_others>(*key_path, fmt::format("{:04o}", st.st_mode & 07777)),
                            msg<Msg::chmod_key_owner_only>(*key_path));
    std::string pem = read_small_file(*key_path, msg<Msg::cannot_read>(*key_path));
    auto key = SigningKey::from_pem(pem);
    if (!key) throw DataError(msg<Msg::not_ed25519_private_key>(*key_path), msg<Msg::make_key_with_openssl>());
    Context ctx = env.context();
    Checkpoint c = write_checkpoint(ctx, *key);
    if (env.format() == Format::json) {
      print(render_json({{"event", c.event_id},
                         {"hash", c.event_hash},
                         {"at", env.calendar().format_iso(c.at)},
                         {"key", c.public_key},
                         {"signature", c.signature},
                         {"text", checkpoint_text(c)}}));
    } else {
      print(checkpoint_text(c));
    }
  };
}

}  // namespace liaison::cli
