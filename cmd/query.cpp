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
#include "errors.h"
#include "query.h"

namespace liaison::cli {

struct QueryOptions {
  std::string sql;
  std::vector<std::string> params;
  bool explain = false;
};

namespace {

std::vector<QueryParam> parse_params(const std::vector<std::string>& given) {
  std::vector<QueryParam> params;
  for (const auto& p : given) {
    auto eq = p.find('=');
    std::string name = p.substr(0, eq);
    if (eq == std::string::npos || name.empty())
      throw UsageError(fmt::format("--param \"{}\" is not NAME=VALUE", p), "write e.g. --param owner=quality");
    if (!name.empty() && (name[0] == ':' || name[0] == '@' || name[0] == '$')) name.erase(0, 1);
    if (std::any_of(params.begin(), params.end(), [&](const QueryParam& q) { return q.name == name; }))
      throw UsageError(fmt::format("--param {} is given twice", name), "give each parameter once");
    params.push_back({name, p.substr(eq + 1)});
  }
  return params;
}

/// A real as SQLite writes it: shortest form that reads back, with ".0" when whole.
std::string real_text(double d) {
  std::string s = fmt::format("{}", d);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

/// The value as text for tsv, csv, table and md: NULL is empty.
std::string text_of(const QueryValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return real_text(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return {};
}

/// The value as JSON: integers and reals as numbers, NULL as null, text as a string
/// (invalid UTF-8 replaced, as render_json does).
std::string json_of(const QueryValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return nlohmann::json(*d).dump();
  if (const auto* s = std::get_if<std::string>(&v))
    return nlohmann::json(*s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return "null";
}

/// JSON object keys: the column names, a repeated one suffixed _2, _3 … so no value is
/// lost (SELECT owner, owner …).
std::vector<std::string> json_keys(const std::vector<std::string>& names) {
  std::vector<std::string> plain, keys;
  for (const auto& name : names) {
    std::string key = name;
    for (int n = 2; std::find(plain.begin(), plain.end(), key) != plain.end(); ++n) key = fmt::format("{}_{}", name, n);
    plain.push_back(key);
    keys.push_back(nlohmann::json(key).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  return keys;
}

/// Appends one TSV cell as render() writes it: a tab, CR, LF or CRLF inside becomes one space.
void append_tsv_cell(std::string& line, std::string_view cell) {
  for (std::size_t i = 0; i < cell.size(); ++i) {
    const char c = cell[i];
    if (c == '\r' && i + 1 < cell.size() && cell[i + 1] == '\n') continue;  // CRLF: the LF makes the space
    line += c == '\t' || c == '\r' || c == '\n' ? ' ' : c;
  }
}

/// Writes rows as they come in the streaming formats, or gathers them for table and md.
class ResultWriter {
 public:
  explicit ResultWriter(RenderOptions options) : options_(options) {}

  void columns(const std::vector<std::string>& names) {
    names_ = names;
    if (options_.format == Format::json || options_.format == Format::jsonl) keys_ = json_keys(names);
    if (options_.format == Format::csv && options_.header) {
      std::string line;
      for (std::size_t i = 0; i < names.size(); ++i) line += (i ? "," : "") + csv_field(names[i]);
      write(line + "\r\n");
    }
    numeric_.assign(names.size(), true);
  }

  void row(const std::vector<QueryValue>& values) {
    ++rows_;
    std::string& line = buffer_;
    switch (options_.format) {
      case Format::tsv:
        for (std::size_t i = 0; i < values.size(); ++i) {
          if (i) line += '\t';
          append_tsv_cell(line, text_of(values[i]));
        }
        line += '\n';
        break;
      case Format::csv:
        for (std::size_t i = 0; i < values.size(); ++i) line += (i ? "," : "") + csv_field(text_of(values[i]));
        line += "\r\n";
        break;
      case Format::jsonl:
        line += '{';
        for (std::size_t i = 0; i < values.size(); ++i) line += (i ? "," : "") + keys_[i] + ":" + json_of(values[i]);
        line += "}\n";
        break;
      case Format::json:
        line += rows_ == 1 ? "[\n  {" : ",\n  {";
        for (std::size_t i = 0; i < values.size(); ++i)
          line += (i ? ",\n    " : "\n    ") + keys_[i] + ": " + json_of(values[i]);
        line += values.empty() ? "}" : "\n  }";
        break;
      case Format::table:
      case Format::md: {
        std::vector<std::string> cells;
        cells.reserve(values.size());
        for (std::size_t i = 0; i < values.size(); ++i) {
          if (std::holds_alternative<std::string>(values[i])) numeric_[i] = false;
          cells.push_back(text_of(values[i]));
        }
        table_rows_.push_back(std::move(cells));
        break;
      }
    }
    if (buffer_.size() >= 1 << 16) flush();
  }

  /// Ends the output: the closing bracket of json, the whole table of table and md.
  void finish() {
    if (options_.format == Format::json) buffer_ += rows_ ? "\n]\n" : "[]\n";
    flush();
    if (options_.format != Format::table && options_.format != Format::md) return;
    Table table;
    for (std::size_t i = 0; i < names_.size(); ++i)
      table.columns.push_back({names_[i], names_[i], numeric_[i] && rows_ > 0, !(numeric_[i] && rows_ > 0)});
    table.rows = std::move(table_rows_);
    render(table, options_, std::cout);
    std::cout.flush();
  }

 private:
  void write(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }
  void flush() {
    write(buffer_);
    buffer_.clear();
  }

  RenderOptions options_;
  std::vector<std::string> names_, keys_;
  std::vector<bool> numeric_;  ///< no text value seen in the column (right-aligned in tables)
  std::vector<std::vector<std::string>> table_rows_;
  std::string buffer_;
  std::size_t rows_ = 0;
};

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
  QueryViewer viewer{env.config(), env.calendar(), env.access(), env.lang()};
  // The store is opened read-only for this command; the session is a connection of its own.
  auto session = require(env.store(), env.store().auditor_queries(), "run auditor queries").open_query_session(viewer);
  if (o.explain) {
    std::vector<PlanStep> steps = session->explain(sql, params);
    if (options.format == Format::table || options.format == Format::tsv) {
      print(plan_tree(steps));
      return;
    }
    ResultWriter writer(options);
    writer.columns({"id", "parent", "detail"});
    for (const auto& s : steps) writer.row({std::int64_t{s.id}, std::int64_t{s.parent}, s.detail});
    writer.finish();
    return;
  }
  ResultWriter writer(options);
  session->run(
      sql, params, [&](const std::vector<std::string>& names) { writer.columns(names); },
      [&](const std::vector<QueryValue>& values) { writer.row(values); });
  writer.finish();
}

Runner register_query(CLI::App& app, Env& env) {
  auto o = std::make_shared<QueryOptions>();
  app.add_option("sql", o->sql, "one SELECT over the views records, events, parties, clocks ('-' reads stdin)")
      ->required();
  app.add_option("--param", o->params, "NAME=VALUE: bind :NAME, @NAME or $NAME (repeatable)");
  app.add_flag("--explain", o->explain, "print the query plan instead of the rows");
  return [o, &env] { run_query(*o, env); };
}

}  // namespace liaison::cli
