// liaison reopen REF --reason …: reopen a closed record; its resolve deadline restarts.
#include <fmt/format.h>

#include "common.h"

namespace liaison::cli {

struct ReopenOptions {
  std::string ref, reason;
};

Runner register_reopen(CLI::App& app, Env& env) {
  auto o = std::make_shared<ReopenOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_option("--reason", o->reason, "why it is reopened")->required();
  return [o, &env] {
    Context ctx = env.context();
    Record r = reopen_record(ctx, o->ref, o->reason);
    if (!env.options.quiet)
      say(env, r.due ? msg<Msg::reopened_due>(r.ref, env.show_time(r.due)) : msg<Msg::reopened>(r.ref));
  };
}

}  // namespace liaison::cli
