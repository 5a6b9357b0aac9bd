// liaison route REF --to DEPT [--assignee P] [--reason …] | --auto
#include <fmt/format.h>

#include "common.h"
#include "reads.h"

namespace liaison::cli {

Runner register_route(CLI::App& app, Env& env) {
  auto o = std::make_shared<RouteRequest>();
  app.add_option("ref", o->ref, "record reference")->required();
  auto* to = app.add_option("--to", o->to, "new owner department; me: the acting user's");
  app.add_option("--assignee", o->assignee, "responsible person (user id; me: the acting user)");
  app.add_option("--reason", o->reason, "why it moves");
  app.add_flag("--auto", o->automatic, "re-apply the responsibility rules")->excludes(to);
  return [o, &env] {
    Context ctx = env.context();
    o->assignee = user_or_me(ctx, o->assignee, "--assignee");
    if (!o->to.empty()) o->to = departments_or_mine(ctx, {o->to}, "--to").front();
    Record r = route_record(ctx, *o);
    if (!env.options.quiet)
      say(env, r.assignee.empty() ? msg<Msg::routed>(r.ref, dept_name(env, r.owner))
                                  : msg<Msg::routed_assignee>(r.ref, dept_name(env, r.owner), r.assignee));
  };
}

}  // namespace liaison::cli
