// liaison notify REF --party ID --via CHANNEL [--note TEXT]: record that an outside party
// was notified as the record's kind requires (its `notify` list: an accident reported to
// the safety authority within the hour); stops that notification's clock.
#include "common.h"

namespace liaison::cli {

Runner register_notify(CLI::App& app, Env& env) {
  auto o = std::make_shared<NotifyRequest>();
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_option("--party", o->party, "the party notified (its id; see the kind's notify list)")->required();
  app.add_option("--via", o->via, "the channel it went by (phone, fax, …)")->required();
  app.add_option("--note", o->note, "what was reported, to whom");
  return [o, &env] {
    Context ctx = env.context();
    Record r = notify_party(ctx, *o);
    if (env.options.quiet) return;
    const bool late = met_late(r, notify_clock_name(o->party));
    say(env, late ? msg<Msg::notified_late>(r.ref, o->party) : msg<Msg::notified_on_time>(r.ref, o->party));
  };
}

}  // namespace liaison::cli
