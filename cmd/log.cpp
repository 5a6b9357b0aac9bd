// liaison log REF [TEXT|-]: append a note, call, email, meeting, reply, action or decision (a meeting's 决议).
#include <fmt/format.h>

#include "attachments.h"
#include "common.h"

namespace liaison::cli {

struct LogOptions {
  LogRequest request;
  std::vector<std::string> attach;
};

Runner register_log(CLI::App& app, Env& env) {
  auto options = std::make_shared<LogOptions>();
  LogRequest* o = &options->request;
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_option("text", o->text, "what happened; - reads standard input")->required();
  app.add_option("--type", o->type, "note (default), call, email, meeting, reply, action or decision");
  app.add_option("--channel", o->channel, "channel id, if it went through one");
  app.add_option("--attach", options->attach, "attach this file (repeatable; see attachment list)");
  return [options, &env] {
    LogRequest req = options->request;
    req.text = text_or_stdin(req.text);
    Context ctx = env.context();
    for (const auto& path : options->attach)
      req.attachments.push_back(read_attachment_file(path, ctx.config.attachments.max_size));
    Event e = log_record(ctx, req);
    if (!env.options.quiet) say(env, msg<Msg::logged_event>(req.ref, req.type, e.id));
  };
}

}  // namespace liaison::cli
