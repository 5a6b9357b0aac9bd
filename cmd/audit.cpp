// liaison audit verify: recompute the history's hash chain and report the first event
// that does not verify.
#include <fmt/format.h>

#include "common.h"
#include "errors.h"

namespace liaison::cli {

Runner register_audit_verify(CLI::App&, Env& env) {
  return [&env] {
    ChainCheck check = env.store().verify_chain();
    if (env.format() == Format::json) {
      print(render_json({{"ok", check.ok}, {"events", check.events}, {"first_bad_event", check.first_bad_id},
                         {"problem", check.problem}}));
    } else if (check.ok && !env.options.quiet) {
      print(fmt::format("ok: {} events, hash chain intact\n", check.events));
    }
    if (!check.ok)
      throw Error(ExitCode::failure, fmt::format("history altered: event {}: {}", check.first_bad_id, check.problem),
                  "the database was changed behind liaison's back; compare with a backup");
  };
}

}  // namespace liaison::cli
