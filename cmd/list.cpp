// liaison list [filters]: records, filtered, sorted, in any output format, written a row
// at a time through the RowWriter (lib/render/row_writer.h).
#include <algorithm>
#include <iostream>

#include "common.h"
#include "errors.h"
#include "filters.h"
#include "reads.h"
#include "row_writer.h"

namespace liaison::cli {

struct ListOptions {
  FilterOptions filter;  ///< --status … --limit, shared with export (cmd/filters.h)
  std::string columns;
};

namespace {

const std::vector<std::string> kColumns = {"ref",      "status",  "kind",   "direction", "owner",  "assignee",
                                           "party",    "channel", "level",  "major",     "received", "ack_due",
                                           "acked_at", "due",     "closed_at", "outcome", "overdue", "subject",
                                           "topic",    "customer_ref", "eight_d", "their_ref"};

std::string cell(const Record& r, const std::string& col, const Env& env, bool display) {
  if (col == "ref") return r.ref;
  if (col == "status") return display ? label(env, std::string(to_string(r.status))) : std::string(to_string(r.status));
  if (col == "kind") {
    const Kind* k = env.config().kind(r.kind);
    return display && k ? k->name : r.kind;
  }
  if (col == "direction") return display ? label(env, std::string(to_string(r.direction))) : std::string(to_string(r.direction));
  if (col == "owner") return display ? dept_name(env, r.owner) : r.owner;
  if (col == "assignee") return r.assignee;
  if (col == "party") return r.party;
  // Names for people (channels and levels by their config names in Chinese), ids for scripts.
  if (col == "channel") return display ? channel_text(env, r.channel) : r.channel;
  if (col == "level") return display ? level_text(env, r.level) : r.level;
  if (col == "topic") return display ? topic_text(env, r.topic) : r.topic;
  if (col == "customer_ref") return r.customer_ref;
  if (col == "eight_d") return r.eight_d;
  if (col == "their_ref") return r.their_ref;
  if (col == "major") return display ? label(env, r.major ? "yes" : "no") : r.major ? "yes" : "no";
  if (col == "received") return env.show_time(r.received_at);
  if (col == "ack_due") return env.show_time(r.ack_due);
  if (col == "acked_at") return env.show_time(r.acked_at);
  if (col == "due") return env.show_time(r.due);
  if (col == "closed_at") return env.show_time(r.closed_at);
  if (col == "outcome") {
    if (!r.outcome) return "";
    const std::string outcome(to_string(*r.outcome));
    return display ? label(env, outcome) : outcome;
  }
  if (col == "overdue") {
    const char* overdue = is_overdue(r, env.now()) ? "yes" : "no";
    return display ? label(env, overdue) : overdue;
  }
  return r.subject;
}

std::string column_label(const Env& env, const std::string& col) {
  if (col == "received") return label(env, "received");
  if (col == "ack_due") return label(env, "ack due");
  if (col == "acked_at") return label(env, "acked");
  if (col == "closed_at") return label(env, "closed at");
  if (col == "customer_ref") return label(env, "customer ref");
  if (col == "eight_d") return label(env, "8D");
  if (col == "their_ref") return label(env, "their ref");
  return label(env, col);
}

}  // namespace

static void run_list(const ListOptions& o, Env& env) {
  RecordFilter filter = build_filter(o.filter, env, {"open", "acknowledged", "waiting"});
  const RenderOptions options = env.render_options();
  const Format format = options.format;
  std::vector<std::string> columns = split_list({o.columns});
  if (columns.empty()) columns = {"ref", "status", "kind", "owner", "assignee", "received", "due", "subject"};
  for (const auto& c : columns)
    if (std::find(kColumns.begin(), kColumns.end(), c) == kColumns.end()) {
      auto m = did_you_mean(c, kColumns);
      throw UsageError(msg<Msg::columns_unknown_column>(c),
                       m ? msg<Msg::did_you_mean>(*m) : msg<Msg::see_man_list_columns>());
    }
  // Subjects (and bodies, in JSON) of records above the user's clearance come redacted.
  auto records = list_records(env.context(), std::move(filter));
  // JSON is the whole record (record_json), whatever --columns says; the other formats
  // are the columns, names for people (table, md) and ids for scripts (tsv, csv).
  const bool json = format == Format::json || format == Format::jsonl;
  const bool display = format == Format::table || format == Format::md;
  std::vector<Column> header;
  for (const auto& c : columns) header.push_back({c, column_label(env, c), false, c == "subject"});
  fit_record_columns(header);
  RowWriter writer(std::cout, options);
  writer.begin(std::move(header));
  std::vector<std::string> cells;
  for (const auto& r : records) {
    if (json) {
      writer.object(record_json(r, env));
      continue;
    }
    cells.clear();
    for (const auto& c : columns) cells.push_back(cell(r, c, env, display));
    writer.row(cells);
  }
  writer.end();
}

Runner register_list(CLI::App& app, Env& env) {
  auto o = std::make_shared<ListOptions>();
  add_filter_options(app, o->filter, "all but closed");
  app.add_option("--columns", o->columns, "comma-separated columns (see man liaison-list)");
  return [o, &env] { run_list(*o, env); };
}

}  // namespace liaison::cli
