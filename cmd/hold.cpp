// liaison hold|release REF --reason TEXT: place or release a legal hold on a record.
#include "common.h"

namespace liaison::cli {

namespace {

struct HoldOptions {
  std::string ref;
  std::string reason;
};

Runner register_hold_change(CLI::App& app, Env& env, bool place) {
  auto o = std::make_shared<HoldOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_option("--reason", o->reason, place ? "why it must be kept (a lawsuit, an investigation …)" : "why the hold ends");
  return [o, &env, place] {
    Context ctx = env.context();
    Record r = place ? hold_record(ctx, o->ref, o->reason) : release_record(ctx, o->ref, o->reason);
    if (!env.options.quiet) say(env, place ? msg<Msg::record_held>(r.ref) : msg<Msg::record_released>(r.ref));
  };
}

}  // namespace

Runner register_hold(CLI::App& app, Env& env) { return register_hold_change(app, env, true); }
Runner register_release(CLI::App& app, Env& env) { return register_hold_change(app, env, false); }

}  // namespace liaison::cli
