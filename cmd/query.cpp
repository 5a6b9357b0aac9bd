// liaison query SQL: one read-only SELECT over the documented auditor views (records,
// events, parties, clocks; man liaison-views(7)), in any output format. The views, the
// authorizer and the checks are in lib/store/sqlite/store_sqlite_query.cpp; this file turns the
// options into a call and the typed rows into output, streaming them where the format
// allows (tsv, csv, json, jsonl), so a million rows are never held.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>

#include <fmt/format.h>

#include "common.h"
#include "reads.h"
#include "errors.h"
#include "query.h"
#include "row_writer.h"

namespace liaison::cli {

struct QueryOptions {
  std::string sql;
  std::vector<std::string> params;
  bool explain = false;
  std::int64_t timeout = 60;        ///< seconds; 0: no limit
  std::int64_t max_memory_mib = 512;
};

namespace {

std::vector<QueryParam> parse_params(const std::vector<std::string>& given) {
  std::vector<QueryParam> params;
  for (const auto& p : given) {
    auto eq = p.find('=');
    std::string name = p.substr(0, eq);
    if (eq == std::string::npos || name.empty())
      throw UsageError(msg<Msg::param_not_name_value>(p), msg<Msg::write_param_owner_quality>());
    if (!name.empty() && (name[0] == ':' || name[0] == '@' || name[0] == '$')) name.erase(0, 1);
    if (std::any_of(params.begin(), params.end(), [&](const QueryParam& q) { return q.name == name; }))
      throw UsageError(msg<Msg::param_given_twice>(name), msg<Msg::give_each_parameter_once>());
    params.push_back({name, p.substr(eq + 1)});
  }
  return params;
}

/// The plan as the sqlite3 shell draws it ("QUERY PLAN", then |-- and `-- branches).
std::string plan_tree(const std::vector<PlanStep>& steps) {
  std::string out = "QUERY PLAN\n";
  std::function<void(int, const std::string&)> draw = [&](int parent, const std::string& prefix) {
    std::vector<const PlanStep*> children;
    for (const auto& s : steps)
      if (s.parent == parent) children.push_back(&s);
    for (std::size_t i = 0; i < children.size(); ++i) {
      bool last = i + 1 == children.size();
      out += prefix + (last ? "`--" : "|--") + children[i]->detail + "\n";
      if (children[i]->id != parent) draw(children[i]->id, prefix + (last ? "   " : "|  "));
    }
  };
  draw(0, "");
  return out;
}

}  // namespace

static void run_query(const QueryOptions& o, Env& env) {
  std::vector<QueryParam> params = parse_params(o.params);
  std::string sql = text_or_stdin(o.sql);
  RenderOptions options = env.render_options();
  // The store is opened read-only for this command; the session is a connection of its own.
  const Context ctx = env.context();
  auto session = open_query_session(ctx);
  session->set_limits(std::chrono::seconds{o.timeout}, o.max_memory_mib << 20);
  // Columns are named by SQL, so each one's key and label; numbers are right-aligned.
  auto columns_of = [](const std::vector<std::string>& names) {
    std::vector<Column> columns;
    for (const auto& name : names) columns.push_back({name, name});
    return columns;
  };
  if (o.explain) {
    std::vector<PlanStep> steps = session->explain(sql, params);
    if (options.format == Format::table || options.format == Format::tsv) {
      print(plan_tree(steps));
      return;
    }
    RowWriter writer(std::cout, options);
    writer.begin(columns_of({"id", "parent", "detail"}), true);
    for (const auto& s : steps) writer.row(std::vector<Value>{std::int64_t{s.id}, std::int64_t{s.parent}, s.detail});
    writer.end();
    return;
  }
  RowWriter writer(std::cout, options);
  session->run(
      sql, params, [&](const std::vector<std::string>& names) { writer.begin(columns_of(names), true); },
      [&](const std::vector<QueryValue>& values) { writer.row(values); });
  writer.end();
}

Runner register_query(CLI::App& app, Env& env) {
  auto o = std::make_shared<QueryOptions>();
  app.add_option("sql", o->sql, "one SELECT over the views records, events, parties, clocks ('-' reads stdin)")
      ->required();
  app.add_option("--param", o->params, "NAME=VALUE: bind :NAME, @NAME or $NAME (repeatable)");
  app.add_flag("--explain", o->explain, "print the query plan instead of the rows");
  app.add_option("--timeout", o->timeout, "stop the query after this many seconds (0: never; default 60)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{86400}));
  app.add_option("--max-memory", o->max_memory_mib,
                 "MiB the query may use to sort, group and keep temporary tables (default 512)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{65536}));
  return [o, &env] { run_query(*o, env); };
}

}  // namespace liaison::cli
