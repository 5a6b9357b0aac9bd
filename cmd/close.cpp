// liaison close REF --resolution … [--outcome …] [--reply-via CH] [--capa REF] [--8d NUMBER]
#include <fmt/format.h>

#include "common.h"
#include "errors.h"

namespace liaison::cli {

struct CloseOptions {
  CloseRequest request;
  std::string outcome;
};

Runner register_close(CLI::App& app, Env& env) {
  auto o = std::make_shared<CloseOptions>();
  auto& r = o->request;
  app.add_option("ref", r.ref, "record reference")->required();
  app.add_option("--resolution", r.resolution, "what was done; - reads standard input")->required();
  app.add_option("--outcome", o->outcome,
                 "resolved (default), adopted, rejected, withdrawn, duplicate or no-action");
  app.add_option("--explanation", r.explanation, "the explanation owed to the proposer (required when rejected)");
  app.add_option("--reply-via", r.reply_via, "channel the reply went by (required for reply_required kinds)");
  app.add_option("--capa", r.capa, "the corrective/preventive action it led to");
  app.add_option("--8d", r.eight_d, "the 8D report's number (kept as filed or edited when not given)");
  return [o, &env] {
    CloseRequest req = o->request;
    req.resolution = text_or_stdin(req.resolution);
    if (!o->outcome.empty()) {
      req.outcome = parse_outcome(o->outcome);
      if (!req.outcome)
        throw UsageError(msg<Msg::outcome_unknown_outcome>(o->outcome), msg<Msg::use_outcomes>());
    }
    Context ctx = env.context();
    Record rec = close_record(ctx, req);
    if (env.options.quiet) return;
    bool late = rec.due && *rec.closed_at > *rec.due;
    std::string outcome(to_string(*rec.outcome));  // a label, shown translated
    say(env, late ? msg<Msg::closed_outcome_late>(rec.ref, outcome) : msg<Msg::closed_outcome>(rec.ref, outcome));
    // Closing leaves the receipts not signed owed, chased by overdue and remind.
    std::string unsigned_by;
    for (const Clock& c : rec.clocks)
      if (std::string user = receipt_holder(c.name); !user.empty() && !c.stopped_at)
        unsigned_by += (unsigned_by.empty() ? "" : ", ") + user;
    if (!unsigned_by.empty())
      print_error(env.lang(), msg<Msg::receipts_outstanding>(rec.ref, unsigned_by), msg<Msg::receipts_see>(rec.ref));
  };
}

}  // namespace liaison::cli
