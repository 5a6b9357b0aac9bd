// liaison ack REF [--note …]: acknowledge receipt (stops the acknowledge clock).
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
    Record r = acknowledge_record(ctx, o->ref, o->note);
    if (env.options.quiet) return;
    bool late = r.ack_due && *r.acked_at > *r.ack_due;
    say(env, late ? msg<Msg::acknowledged_late>(r.ref) : msg<Msg::acknowledged>(r.ref));
  };
}

}  // namespace liaison::cli
