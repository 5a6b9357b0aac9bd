// liaison export [filters]: records (with their clocks, and their history with
// --with-events) as JSON Lines or CSV, for another database or a spreadsheet.
#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "exchange.h"
#include "filters.h"
#include "output.h"
#include "reads.h"

namespace liaison::cli {

struct ExportOptions {
  FilterOptions filter;  ///< the filters of list (cmd/filters.h); every status by default
  bool with_events = false;
  bool with_attachments = false;
  std::string out;
};

static void run_export(const ExportOptions& o, Env& env) {
  ExportRequest request;
  const std::string& format = env.options.format;
  if (format.empty() || format == "jsonl") request.format = ExchangeFormat::jsonl;
  else if (format == "csv") request.format = ExchangeFormat::csv;
  else
    throw UsageError(msg<Msg::export_writes_jsonl_csv_not>(format), msg<Msg::give_format_jsonl_default_format_csv>());
  request.filter = build_filter(o.filter, env, {});
  request.with_events = o.with_events;
  request.with_attachments = o.with_attachments;
  // An attachment belongs to the event that added it, so it travels with the history.
  if (o.with_attachments && (request.format != ExchangeFormat::jsonl || !o.with_events))
    throw UsageError(msg<Msg::with_attachments_needs_events>(), msg<Msg::give_with_events_jsonl>());
  const Context ctx = env.context();
  ExportCounts counts;
  auto write = [&](std::ostream& out) {
    if (request.format == ExchangeFormat::csv && env.csv_bom()) out << kUtf8Bom;  // for Excel; import skips it
    counts = export_records(ctx, request, out);  // redacted for the user
  };
  if (o.out.empty()) {
    std::fflush(stdout);
    StdoutBuffer buffer;
    std::ostream out(&buffer);
    write(out);
    out.flush();
    return;
  }
  write_file(o.out, write);
  if (!env.options.quiet)
    say(env, msg<Msg::exported_records_redacted_parties_events>(counts.records, counts.redacted, counts.parties,
                                                                   counts.events, o.out));
  if (!env.options.quiet && o.with_attachments) say(env, msg<Msg::exported_attachments>(counts.attachments));
}

Runner register_export(CLI::App& app, Env& env) {
  auto o = std::make_shared<ExportOptions>();
  add_filter_options(app, o->filter, "all");
  app.add_flag("--with-events", o->with_events, "include each record's whole history");
  app.add_flag("--with-attachments", o->with_attachments,
               "include the files attached to each record, in base64 (JSON Lines, with --with-events)");
  app.add_option("--out", o->out, "write to FILE (through a temporary file) instead of standard output");
  return [o, &env] { run_export(*o, env); };
}

}  // namespace liaison::cli
