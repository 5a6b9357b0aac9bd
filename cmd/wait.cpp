// liaison wait REF --reason …: pause the resolve clock while waiting on someone outside.
#include <fmt/format.h>

#include "common.h"

namespace liaison::cli {

struct WaitOptions {
  std::string ref, reason;
};

Runner register_wait(CLI::App& app, Env& env) {
  auto o = std::make_shared<WaitOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_option("--reason", o->reason, "who or what it waits on")->required();
  return [o, &env] {
    Context ctx = env.context();
    Record r = wait_record(ctx, o->ref, o->reason);
    if (!env.options.quiet) say(env, msg<Msg::waiting_resolve_clock_paused>(r.ref));
  };
}

}  // namespace liaison::cli
