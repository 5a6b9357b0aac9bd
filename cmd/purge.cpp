// liaison purge [--apply]: the kinds' retention and anonymise_after applied to the closed
// records whose time is up (lib/services/retention.h); a dry run unless --apply.
#include <fmt/format.h>

#include "common.h"
#include "output.h"
#include "retention.h"
#include "row_writer.h"

namespace liaison::cli {

namespace {

struct PurgeOptions {
  bool apply = false;
};

void run_purge(const PurgeOptions& o, Env& env) {
  Context ctx = env.context();
  std::vector<Disposition> list = o.apply ? apply_disposition(ctx) : plan_disposition(ctx);
  RenderOptions options = env.render_options();
  const Format format = options.format;
  const bool display = format == Format::table || format == Format::md;
  RowWriter writer(std::cout, options);
  writer.begin({{"ref", display ? label(env, "ref") : "ref"},
                {"kind", display ? label(env, "kind") : "kind"},
                {"closed_at", display ? label(env, "closed at") : "closed_at", false, false, true},
                {"action", display ? label(env, "disposition") : "action"},
                {"rule", display ? label(env, "rule") : "rule"},
                {"due", display ? label(env, "due") : "due", false, false, true}});
  std::size_t purge = 0, anonymise = 0, held = 0;
  for (const Disposition& d : list) {
    (d.action == Disposition::Action::purge ? purge : d.action == Disposition::Action::anonymise ? anonymise : held)++;
    if (format == Format::json || format == Format::jsonl) {
      writer.object({{"ref", d.ref},
                     {"kind", d.kind},
                     {"closed_at", env.calendar().format_iso(d.closed_at)},
                     {"action", to_string(d.action)},
                     {"rule", d.rule},
                     {"due", env.calendar().format_iso(d.due)},
                     {"applied", o.apply && d.action != Disposition::Action::held}});
      continue;
    }
    writer.row(std::vector<std::string>{d.ref, d.kind,
                                        display ? env.show_time(d.closed_at) : env.calendar().format_iso(d.closed_at),
                                        display ? label(env, to_string(d.action)) : to_string(d.action), d.rule,
                                        display ? env.show_time(d.due) : env.calendar().format_iso(d.due)});
  }
  writer.end();
  if (!env.options.quiet && display)
    say(env, o.apply ? msg<Msg::purge_applied_summary>(purge, anonymise, held)
                     : msg<Msg::purge_dry_run_summary>(purge, anonymise, held));
}

}  // namespace

Runner register_purge(CLI::App& app, Env& env) {
  auto o = std::make_shared<PurgeOptions>();
  app.add_flag("--apply", o->apply, "do it (admins only); without it nothing changes");
  return [o, &env] { run_purge(*o, env); };
}

}  // namespace liaison::cli
