// liaison escalate REF --to DEPT|USER --reason … [--skip-level CASE]
#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "reads.h"

namespace liaison::cli {

struct EscalateOptions {
  EscalateRequest request;
  std::string skip_level;
};

Runner register_escalate(CLI::App& app, Env& env) {
  auto o = std::make_shared<EscalateOptions>();
  app.add_option("ref", o->request.ref, "record reference")->required();
  app.add_option("--to", o->request.to, "department or user to raise it to (default: top management); me: the acting user");
  app.add_option("--reason", o->request.reason, "why")->required();
  app.add_option("--skip-level", o->skip_level,
                 "越级: superior-complaint, unanswered, superior-violation or reform-suggestion");
  return [o, &env] {
    EscalateRequest req = o->request;
    if (!o->skip_level.empty()) {
      req.skip_level = parse_skip_level_case(o->skip_level);
      if (!req.skip_level)
        throw UsageError(msg<Msg::skip_level_not_allowed_case>(o->skip_level), msg<Msg::use_skip_level_cases>());
    }
    Context ctx = env.context();
    // me: the acting user, as for a user id anywhere (a department called "me" stays one).
    if (!req.to.empty() && !ctx.config.department(req.to)) req.to = user_or_me(ctx, req.to, "--to");
    Record r = escalate_record(ctx, req);
    if (!env.options.quiet) say(env, msg<Msg::escalated>(r.ref, dept_name(env, r.escalated_to)));
  };
}

}  // namespace liaison::cli
