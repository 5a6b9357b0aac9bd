// liaison resume REF [--note …]: resume the resolve clock; the deadline moves by the pause.
#include <fmt/format.h>

#include "common.h"

namespace liaison::cli {

struct ResumeOptions {
  std::string ref, note;
};

Runner register_resume(CLI::App& app, Env& env) {
  auto o = std::make_shared<ResumeOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_option("--note", o->note, "a note to keep with it");
  return [o, &env] {
    Context ctx = env.context();
    Record r = resume_record(ctx, o->ref, o->note);
    if (!env.options.quiet)
      say(env, r.due ? msg<Msg::resumed_due>(r.ref, env.show_time(r.due)) : msg<Msg::resumed>(r.ref));
  };
}

}  // namespace liaison::cli
