// liaison log REF [TEXT|-]: append a note, call, email, meeting, reply or action.
#include <fmt/format.h>

#include "common.h"

namespace liaison::cli {

Runner register_log(CLI::App& app, Env& env) {
  auto o = std::make_shared<LogRequest>();
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_option("text", o->text, "what happened; - reads standard input")->required();
  app.add_option("--type", o->type, "note (default), call, email, meeting, reply or action");
  app.add_option("--channel", o->channel, "channel id, if it went through one");
  return [o, &env] {
    LogRequest req = *o;
    req.text = text_or_stdin(req.text);
    Context ctx = env.context();
    Event e = log_record(ctx, req);
    if (!env.options.quiet) say(env, msg<Msg::logged_event>(req.ref, req.type, e.id));
  };
}

}  // namespace liaison::cli
