// liaison approve REF [--note], reject REF --reason, approve-request REF --from USER
// [--note]: a record's approval chain (审批), each approver in turn; `close` is refused
// until every one has approved (liaison-approve(1)).
#include "common.h"

namespace liaison::cli {

struct DecisionOptions {
  std::string ref, text;
  bool explanation = false;
};

namespace {

/// "REF: approved by USER; next: OTHER" or "REF: rejected by USER"; an explanation's
/// approval has no next.
void say_decision(Env& env, Context& ctx, const Record& r, bool approve, bool explanation) {
  if (env.options.quiet) return;
  if (!approve) return say(env, msg<Msg::rejected_by>(r.ref, ctx.actor));
  if (!explanation)
    for (const ApprovalStep& s : approval_steps(ctx.store, r))
      if (s.current && !s.explanation) return say(env, msg<Msg::approved_by_next>(r.ref, ctx.actor, s.approver));
  say(env, msg<Msg::approved_by>(r.ref, ctx.actor));
}

}  // namespace

Runner register_approve(CLI::App& app, Env& env) {
  auto o = std::make_shared<DecisionOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_option("--note", o->text, "a note to keep with the approval");
  app.add_flag("--explanation", o->explanation, "decide the explanation of its rejection, not the matter");
  return [o, &env] {
    Context ctx = env.context();
    Record r = decide_approval(ctx, o->ref, true, o->text, o->explanation);
    say_decision(env, ctx, r, true, o->explanation);
  };
}

Runner register_reject(CLI::App& app, Env& env) {
  auto o = std::make_shared<DecisionOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_option("--reason", o->text, "why it is rejected")->required();
  app.add_flag("--explanation", o->explanation, "decide the explanation of its rejection, not the matter");
  return [o, &env] {
    Context ctx = env.context();
    Record r = decide_approval(ctx, o->ref, false, o->text, o->explanation);
    say_decision(env, ctx, r, false, o->explanation);
  };
}

struct RequestOptions {
  std::string ref, from, note;
  bool explanation = false;
};

Runner register_approve_request(CLI::App& app, Env& env) {
  auto o = std::make_shared<RequestOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_option("--from", o->from, "the user whose approval is asked")->required();
  app.add_option("--note", o->note, "a note to the approver");
  app.add_flag("--explanation", o->explanation,
               "for the explanation of its rejection (explanation_approval), not for the matter");
  return [o, &env] {
    Context ctx = env.context();
    Record r = request_approval(ctx, o->ref, o->from, o->note, o->explanation);
    if (!env.options.quiet) say(env, msg<Msg::approval_asked_of>(r.ref, o->from));
  };
}

}  // namespace liaison::cli
