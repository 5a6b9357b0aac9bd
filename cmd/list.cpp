// liaison list [filters]: records, filtered, sorted, in any output format.
#include <fmt/format.h>

#include "common.h"
#include "errors.h"

namespace liaison::cli {

struct ListOptions {
  std::vector<std::string> status, kind, dept, party, assignee;
  std::string direction, since, until, sort = "received", columns;
  bool major = false, not_major = false, overdue = false;
  std::int64_t limit = 0;
};

namespace {

const std::vector<std::string> kColumns = {"ref",      "status",  "kind",   "direction", "owner",  "assignee",
                                           "party",    "channel", "level",  "major",     "received", "ack_due",
                                           "acked_at", "due",     "closed_at", "outcome", "overdue", "subject"};

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
  if (col == "channel") return r.channel;
  if (col == "level") return r.level;
  if (col == "major") return r.major ? "yes" : "no";
  if (col == "received") return env.show_time(r.received_at);
  if (col == "ack_due") return env.show_time(r.ack_due);
  if (col == "acked_at") return env.show_time(r.acked_at);
  if (col == "due") return env.show_time(r.due);
  if (col == "closed_at") return env.show_time(r.closed_at);
  if (col == "outcome") return r.outcome ? std::string(to_string(*r.outcome)) : "";
  if (col == "overdue") return r.status != Status::closed && r.due && *r.due < env.now() ? "yes" : "no";
  return r.subject;
}

std::string column_label(const Env& env, const std::string& col) {
  if (col == "received") return label(env, "received");
  if (col == "ack_due") return label(env, "ack due");
  if (col == "acked_at") return label(env, "acked");
  if (col == "closed_at") return label(env, "closed at");
  return label(env, col);
}

RecordFilter build_filter(const ListOptions& o, const Env& env) {
  RecordFilter f;
  auto statuses = split_list(o.status);
  if (statuses.empty()) statuses = {"open", "acknowledged", "waiting"};
  for (const auto& s : statuses) {
    if (s == "all") {
      f.statuses.clear();
      break;
    }
    auto st = parse_status(s);
    if (!st)
      throw UsageError(fmt::format("--status: unknown status \"{}\"", s),
                       "use open, acknowledged, waiting, closed or all");
    f.statuses.push_back(*st);
  }
  f.kinds = split_list(o.kind);
  for (const auto& k : f.kinds) check_kind(env.config(), k);
  f.owners = split_list(o.dept);
  for (const auto& d : f.owners) check_department(env.config(), d, "--dept");
  f.parties = split_list(o.party);
  f.assignees = split_list(o.assignee);
  if (!o.direction.empty()) f.direction = direction_option(o.direction);
  if (o.major) f.major = true;
  if (o.not_major) f.major = false;
  if (!o.since.empty()) f.received_since = env.parse_time(o.since, "--since");
  if (!o.until.empty()) f.received_until = env.parse_time(o.until, "--until");
  if (o.overdue) f.overdue_at = env.now();
  std::string sort = o.sort;
  if (!sort.empty() && sort[0] == '-') {
    f.descending = true;
    sort = sort.substr(1);
  }
  static const std::map<std::string, RecordFilter::SortKey> keys = {
      {"received", RecordFilter::SortKey::received}, {"due", RecordFilter::SortKey::due},
      {"ack_due", RecordFilter::SortKey::ack_due},   {"ref", RecordFilter::SortKey::ref},
      {"kind", RecordFilter::SortKey::kind},         {"owner", RecordFilter::SortKey::owner},
      {"status", RecordFilter::SortKey::status}};
  auto it = keys.find(sort);
  if (it == keys.end())
    throw UsageError(fmt::format("--sort: cannot sort by \"{}\"", o.sort),
                     "use received, due, ack_due, ref, kind, owner or status; prefix - for descending");
  f.sort = it->second;
  if (o.limit < 0) throw UsageError("--limit must be 0 (no limit) or more");
  f.limit = o.limit;
  return f;
}

}  // namespace

static void run_list(const ListOptions& o, Env& env) {
  RecordFilter filter = build_filter(o, env);
  Format format = env.format();
  std::vector<std::string> columns = split_list({o.columns});
  if (columns.empty()) columns = {"ref", "status", "kind", "owner", "assignee", "received", "due", "subject"};
  for (const auto& c : columns)
    if (std::find(kColumns.begin(), kColumns.end(), c) == kColumns.end()) {
      auto m = did_you_mean(c, kColumns);
      throw UsageError(fmt::format("--columns: unknown column \"{}\"", c),
                       m ? fmt::format("did you mean \"{}\"?", *m) : "see 'man liaison-list' for the columns");
    }
  auto records = env.store().list_records(filter);
  // Subjects (and bodies, in JSON) of records above the user's clearance are redacted.
  if (!env.access().single_user())
    for (auto& r : records) r = redact(std::move(r), env.access(), env.lang());
  if (format == Format::json || format == Format::jsonl) {
    if (format == Format::json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& r : records) out.push_back(record_json(r, env));
      print(render_json(out));
    } else {
      std::string out;
      for (const auto& r : records) out += render_json(record_json(r, env), false);
      print(out);
    }
    return;
  }
  bool display = format == Format::table || format == Format::md;
  Table t;
  for (const auto& c : columns) t.columns.push_back({c, column_label(env, c), false, c == "subject"});
  for (const auto& r : records) {
    std::vector<std::string> row;
    for (const auto& c : columns) row.push_back(cell(r, c, env, display));
    t.rows.push_back(std::move(row));
  }
  print(render(t, env.render_options()));
}

Runner register_list(CLI::App& app, Env& env) {
  auto o = std::make_shared<ListOptions>();
  app.add_option("--status", o->status, "open, acknowledged, waiting, closed or all (default: all but closed)");
  app.add_option("--kind", o->kind, "kind id(s)");
  app.add_option("--direction", o->direction, "internal or external");
  app.add_option("--dept", o->dept, "owner department id(s)");
  app.add_option("--party", o->party, "party id(s)");
  app.add_option("--assignee", o->assignee, "assignee user id(s)");
  auto* major = app.add_flag("--major", o->major, "only major records");
  app.add_flag("--not-major", o->not_major, "only records that are not major")->excludes(major);
  app.add_option("--since", o->since, "received at or after this time");
  app.add_option("--until", o->until, "received before this time");
  app.add_flag("--overdue", o->overdue, "only records past their resolve deadline");
  app.add_option("--sort", o->sort, "received (default), due, ack_due, ref, kind, owner, status; -KEY descends");
  app.add_option("--limit", o->limit, "at most this many records (0 = all)");
  app.add_option("--columns", o->columns, "comma-separated columns (see man liaison-list)");
  return [o, &env] { run_list(*o, env); };
}

}  // namespace liaison::cli
