// liaison ack REF [--note …]: acknowledge receipt (stops the acknowledge clock), or, by a
// recipient of a notice (file --recipient), sign for it (stops their receipt clock).
#include <fmt/format.h>

#include "common.h"

namespace liaison::cli {

struct AckOptions {
  std::string ref, note;
};

Runner register_ack(CLI::App& app, Env& env) {
  auto o = std::make_shared<AckOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_option("--note", o->note, "a note to keep with the acknowledgement");
  return [o, &env] {
    Context ctx = env.context();
    // A recipient of a notice signs for it (签收); anyone else acknowledges the record.
    if (std::optional<Record> signed_for = sign_receipt(ctx, o->ref, o->note)) {
      if (env.options.quiet) return;
      const bool late = met_late(*signed_for, receipt_clock_name(ctx.actor));
      say(env, late ? msg<Msg::signed_late>(signed_for->ref, ctx.actor) : msg<Msg::signed_on_time>(signed_for->ref, ctx.actor));
      return;
    }
    Record r = acknowledge_record(ctx, o->ref, o->note);
    if (env.options.quiet) return;
    bool late = r.ack_due && *r.acked_at > *r.ack_due;
    say(env, late ? msg<Msg::acknowledged_late>(r.ref) : msg<Msg::acknowledged>(r.ref));
  };
}

}  // namespace liaison::cli
