// liaison receipts REF [--outstanding]: who was asked to sign for a record (file
// --recipient), who has signed and when, and who has not (签收情况).
#include <iostream>

#include <fmt/format.h>

#include "common.h"
#include "reads.h"
#include "row_writer.h"

namespace liaison::cli {

struct ReceiptsOptions {
  std::string ref;
  bool outstanding = false;
};

namespace {

/// "signed", "late" (signed after the deadline), "overdue" (not signed, deadline passed)
/// or "outstanding" (not signed, still in time).
std::string receipt_state(const Clock& c, TimePoint now) {
  if (c.stopped_at) return c.due && *c.stopped_at > *c.due ? "late" : "signed";
  return c.due && *c.due < now ? "overdue" : "outstanding";
}

void run_receipts(const ReceiptsOptions& o, Env& env) {
  Context ctx = env.context();
  const RecordView view = read_record(ctx, o.ref);
  const Record& r = view.record;
  const RenderOptions options = env.render_options();
  const bool display = options.format == Format::table || options.format == Format::md;
  auto head = [&](const char* key, const char* shown) { return display ? label(env, shown) : std::string(key); };
  RowWriter writer(std::cout, options);
  writer.begin({{"recipient", head("recipient", "recipient")},
                {"name", head("name", "name")},
                {"department", head("department", "department")},
                {"due", head("due", "deadline"), false, false, true},
                {"signed_at", head("signed_at", "signed at"), false, false, true},
                {"state", head("state", "status")}});
  bool any = false;
  for (const Clock& c : r.clocks) {
    const std::string user = receipt_holder(c.name);
    if (user.empty()) continue;
    any = true;
    if (o.outstanding && c.stopped_at) continue;
    const User* u = env.config().user(user);
    const std::string name = u ? u->name : "";
    const std::string department = u ? u->department : "";
    const std::string state = receipt_state(c, ctx.now);
    if (options.format == Format::json || options.format == Format::jsonl) {
      writer.object({{"recipient", user},
                     {"name", name},
                     {"department", department},
                     {"due", c.due ? nlohmann::json(env.calendar().format_iso(*c.due)) : nlohmann::json(nullptr)},
                     {"signed_at", c.stopped_at ? nlohmann::json(env.calendar().format_iso(*c.stopped_at))
                                                : nlohmann::json(nullptr)},
                     {"state", state}});
      continue;
    }
    if (display)
      writer.row(std::vector<std::string>{user, name, dept_name(env, department), c.due ? env.show_time(*c.due) : "",
                                          c.stopped_at ? env.show_time(*c.stopped_at) : "", label(env, state)});
    else
      writer.row(std::vector<std::string>{user, name, department, c.due ? env.calendar().format_iso(*c.due) : "",
                                          c.stopped_at ? env.calendar().format_iso(*c.stopped_at) : "", state});
  }
  writer.end();
  // Not an error: a script may ask every notice; but no silent empty list either.
  if (!any && !env.options.quiet) print_error(env.lang(), msg<Msg::no_receipts>(r.ref));
}

}  // namespace

Runner register_receipts(CLI::App& app, Env& env) {
  auto o = std::make_shared<ReceiptsOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_flag("--outstanding", o->outstanding, "only those who have not signed");
  return [o, &env] { run_receipts(*o, env); };
}

}  // namespace liaison::cli
