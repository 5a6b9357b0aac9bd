// PostgreSQL implementation of QuerySession: `liaison query` on a shared server.
//
// The views (schemas/postgres/0004_query_views.sql) live in the schema liaison_views and
// read the tables with their owner's rights; what they redact by comes from temporary
// tables this session fills before it runs anything of the user's. The guard has layers:
//  1. the text is checked before the server sees it: not longer than kMaxQueryBytes, not
//     a statement other than a SELECT by its first word, one statement, no positional
//     parameter ($1: the user's :NAME parameters become them);
//  2. the query is analysed by the server, never run, as the body of a temporary view
//     (`SELECT 1 FROM (<query>) AS q`: a data-modifying WITH is refused there), and the
//     parse tree the server stores for it (pg_rewrite.ev_action) is read: every relation
//     it reads must be one of the views, every function one of an allow-list (pure
//     functions of their arguments: no set_config, query_to_xml, pg_read_file, lo_*,
//     nextval, …), every operator a built-in one — as SQLite's authorizer does;
//  3. it then runs in a READ ONLY transaction with a statement timeout, through a cursor
//     (a data-modifying WITH is refused there too), its search_path the views' schema.
// A role that has only the views (liaison_auditor, grants.sql) could not read the
// tables anyway; the layers make `liaison query` as safe for the application's role.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "errors.h"
#include "pg_connection.h"
#include "pg_migrations.h"
#include "pg_store.h"
#include "query.h"
#include "query_text.h"

namespace liaison {
namespace {

/// The hint of every refusal: what liaison query accepts.
Message views_hint() { return msg<Msg::liaison_query_runs_one_select_over>(); }

constexpr unsigned kInt8 = 20;
constexpr unsigned kText = 25;

// ---------------------------------------------------------------------------------------
// The query text, read as PostgreSQL reads it: just well enough to find the first word,
// the end of the statement and the :NAME parameters outside strings, quoted names,
// comments and dollar quotes.

bool word_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool word_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

/// The query as the server is to get it: each :NAME replaced by `placeholder(name)`.
struct ReadQuery {
  std::string first_word;          ///< "" when the text holds no word
  std::size_t first_at = 0;
  bool empty = true;               ///< nothing but blanks, comments and ';'
  std::vector<std::string> names;  ///< the parameters in order of first use: :names[k] is $k+1
  bool writes = false;             ///< a word INSERT, UPDATE, DELETE or MERGE anywhere
};

template <typename Placeholder>
std::string read_query(std::string_view sql, ReadQuery& read, Placeholder placeholder) {
  std::string out;
  std::size_t i = 0, n = sql.size();
  bool ended = false;  // a ';' has been seen: only separators may follow
  auto token = [&](std::size_t from) {
    if (ended) throw UsageError(msg<Msg::query_holds_more_than_one_statement>(), msg<Msg::give_exactly_one_select>());
    read.empty = false;
    out.append(sql.substr(from, i - from));
  };
  while (i < n) {
    const std::size_t start = i;
    const unsigned char c = static_cast<unsigned char>(sql[i]);
    if (std::isspace(c)) {
      ++i;
      out += static_cast<char>(c);
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n' && sql[i] != '\r') ++i;  // as the server ends one
      out.append(sql.substr(start, i - start));  // kept: the server reports what is wrong with it
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 0;  // PostgreSQL's block comments nest
      while (i < n) {
        if (sql[i] == '/' && i + 1 < n && sql[i + 1] == '*') ++depth, i += 2;
        else if (sql[i] == '*' && i + 1 < n && sql[i + 1] == '/') { i += 2; if (--depth == 0) break; }
        else ++i;
      }
      out.append(sql.substr(start, i - start));
    } else if (c == ';') {
      ++i;
      ended = true;
    } else if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < n && sql[i + 1] == '\'')) {
      const bool escapes = c != '\'';
      i += escapes ? 2 : 1;
      while (i < n) {
        if (escapes && sql[i] == '\\' && i + 1 < n) i += 2;
        else if (sql[i] == '\'' && i + 1 < n && sql[i + 1] == '\'') i += 2;
        else if (sql[i] == '\'') { ++i; break; }
        else ++i;
      }
      token(start);
    } else if (c == '"') {
      for (++i; i < n; ++i) {
        if (sql[i] == '"' && i + 1 < n && sql[i + 1] == '"') ++i;
        else if (sql[i] == '"') { ++i; break; }
      }
      token(start);
    } else if (c == '$') {
      std::size_t j = i + 1;
      if (j < n && std::isdigit(static_cast<unsigned char>(sql[j]))) {
        while (j < n && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
        throw UsageError(msg<Msg::query_has_positional_parameter>(std::string(sql.substr(i, j - i))),
                         msg<Msg::name_owner_give_param_owner_value>());
      }
      while (j < n && word_char(static_cast<unsigned char>(sql[j])) && sql[j] != '$') ++j;
      if (j < n && sql[j] == '$') {  // $tag$ … $tag$
        const std::string_view tag = sql.substr(i, j - i + 1);
        const auto close = sql.find(tag, j + 1);
        i = close == std::string_view::npos ? n : close + tag.size();
      } else {
        i = j;
      }
      token(start);
    } else if (c == ':' && i + 1 < n && sql[i + 1] == ':') {
      i += 2;
      token(start);
    } else if (c == ':' && i + 1 < n && word_start(static_cast<unsigned char>(sql[i + 1]))) {
      std::size_t j = i + 1;
      while (j < n && word_char(static_cast<unsigned char>(sql[j])) && sql[j] != '$') ++j;
      std::string name(sql.substr(i + 1, j - i - 1));
      auto at = std::find(read.names.begin(), read.names.end(), name);
      const std::size_t k = static_cast<std::size_t>(at - read.names.begin());
      if (at == read.names.end()) read.names.push_back(name);
      i = j;
      token(i);  // nothing of the name itself is kept
      out += placeholder(k);
    } else if (word_start(c)) {
      while (i < n && word_char(static_cast<unsigned char>(sql[i]))) ++i;
      const std::string_view word = sql.substr(start, i - start);
      if (read.first_word.empty() && !ended) {
        read.first_word = std::string(word);
        read.first_at = start;
      }
      for (std::string_view w : {"insert", "update", "delete", "merge"})
        if (query_text::equals_ci(word, w)) read.writes = true;
      token(start);
    } else {
      ++i;
      token(start);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// What the parse tree may name.

/// The built-in functions that only compute a value from their arguments (and the
/// time): scalar, aggregate, window, date and time, text, JSON, array and math ones, and
/// the casts between ordinary types. Not here, so refused: anything that reads or sets
/// the server's state (set_config, current_setting, pg_*), runs SQL of its own
/// (query_to_xml, ts_stat, …), touches files or large objects, sequences, locks.
const std::set<std::string_view>& allowed_functions() {
  static const std::set<std::string_view> names = {
      // comparison, conditional, math
      "abs", "cbrt", "ceil", "ceiling", "degrees", "div", "exp", "factorial", "floor", "gcd", "lcm", "ln", "log",
      "log10", "min_scale", "mod", "pi", "power", "radians", "random", "round", "scale", "sign", "sqrt",
      "trim_scale", "trunc", "width_bucket", "acos", "acosd", "acosh", "asin", "asind", "asinh", "atan", "atan2",
      "atan2d", "atand", "atanh", "cos", "cosd", "cosh", "cot", "cotd", "sin", "sind", "sinh", "tan", "tand", "tanh",
      "num_nulls", "num_nonnulls",
      // text
      "ascii", "bit_length", "btrim", "char_length", "character_length", "chr", "concat", "concat_ws", "format",
      "initcap", "left", "length", "lower", "lpad", "ltrim", "md5", "normalize", "octet_length", "overlay",
      "position", "quote_ident", "quote_literal", "quote_nullable", "regexp_count", "regexp_instr", "regexp_like",
      "regexp_match", "regexp_matches", "regexp_replace", "regexp_split_to_array", "regexp_split_to_table",
      "regexp_substr", "repeat", "replace", "reverse", "right", "rpad", "rtrim", "split_part", "starts_with",
      "string_to_array", "string_to_table", "strpos", "substr", "substring", "to_hex", "translate", "unistr",
      "upper", "like_escape", "similar_escape", "similar_to_escape", "textcat", "sha224", "sha256", "sha384",
      "sha512", "encode", "decode", "convert_from", "convert_to", "to_ascii",
      // aggregate
      "array_agg", "avg", "bit_and", "bit_or", "bit_xor", "bool_and", "bool_or", "count", "every", "json_agg",
      "json_object_agg", "jsonb_agg", "jsonb_object_agg", "max", "min", "range_agg", "string_agg", "sum",
      "corr", "covar_pop", "covar_samp", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2",
      "regr_slope", "regr_sxx", "regr_sxy", "regr_syy", "stddev", "stddev_pop", "stddev_samp", "variance",
      "var_pop", "var_samp", "mode", "percentile_cont", "percentile_disc",
      // window
      "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
      "last_value", "nth_value",
      // date and time
      "age", "clock_timestamp", "date_bin", "date_part", "date_trunc", "extract", "isfinite", "justify_days",
      "justify_hours", "justify_interval", "make_date", "make_interval", "make_time", "make_timestamp",
      "make_timestamptz", "now", "statement_timestamp", "timeofday", "to_char", "to_date", "to_number",
      "to_timestamp", "transaction_timestamp", "timezone", "overlaps",
      // JSON
      "array_to_json", "json_array_elements", "json_array_elements_text", "json_array_length", "json_build_array",
      "json_build_object", "json_each", "json_each_text", "json_extract_path", "json_extract_path_text",
      "json_object", "json_object_keys", "json_populate_record", "json_strip_nulls", "json_typeof", "jsonb_array_elements",
      "jsonb_array_elements_text", "jsonb_array_length", "jsonb_build_array", "jsonb_build_object", "jsonb_each",
      "jsonb_each_text", "jsonb_extract_path", "jsonb_extract_path_text", "jsonb_insert", "jsonb_object",
      "jsonb_object_keys", "jsonb_path_exists", "jsonb_path_match", "jsonb_path_query", "jsonb_path_query_array",
      "jsonb_path_query_first", "jsonb_pretty", "jsonb_set", "jsonb_set_lax", "jsonb_strip_nulls", "jsonb_typeof",
      "row_to_json", "to_json", "to_jsonb", "json_to_record", "jsonb_to_record", "json_to_recordset",
      "jsonb_to_recordset",
      // arrays and series
      "array_append", "array_cat", "array_dims", "array_fill", "array_length", "array_lower", "array_ndims",
      "array_position", "array_positions", "array_prepend", "array_remove", "array_replace", "array_to_string",
      "array_upper", "cardinality", "trim_array", "unnest", "generate_series", "generate_subscripts",
      // text search over the views' text
      "to_tsvector", "to_tsquery", "plainto_tsquery", "phraseto_tsquery", "websearch_to_tsquery", "ts_rank",
      "ts_rank_cd", "ts_headline", "numnode", "querytree", "setweight", "strip", "tsvector_to_array",
      // casts between ordinary types (the functions named after their result type)
      "bool", "int2", "int4", "int8", "float4", "float8", "numeric", "text", "varchar", "bpchar", "char", "name",
      "date", "time", "timetz", "timestamp", "timestamptz", "interval", "json", "jsonb", "bytea", "money",
      "uuid", "inet", "cidr", "bit", "varbit", "array_to_tsvector",
  };
  return names;
}

/// The numbers after each occurrence of `key` (":funcid 123") in a stored parse tree;
/// for `:opnos (o 96 97)` every number of the list.
std::set<std::string> numbers_after(const std::string& tree, const std::regex& key) {
  std::set<std::string> found;
  for (std::sregex_iterator it(tree.begin(), tree.end(), key), end; it != end; ++it) {
    static const std::regex number("[0-9]+");
    const std::string list = (*it)[1].str();
    for (std::sregex_iterator n(list.begin(), list.end(), number), e; n != e; ++n)
      if (n->str() != "0") found.insert(n->str());
  }
  return found;
}

/// `{1,2,3}`: an array of OIDs as a parameter.
std::string oid_array(const std::set<std::string>& oids) {
  std::string out = "{";
  for (const auto& o : oids) out += (out.size() > 1 ? "," : "") + o;
  return out + "}";
}

// ---------------------------------------------------------------------------------------

class PgQuerySession : public QuerySession {
 public:
  PgQuerySession(const std::string& url, const QueryViewer& viewer) : viewer_(viewer), c_(url) {
    if (const char* file = std::getenv("LIAISON_TRACE_SQL"); file && *file) {
      trace_.reset(std::fopen(file, "a"));
      c_.trace_to(trace_.get());
    }
    c_.exec("SET client_encoding = 'UTF8'");
    c_.exec("SET bytea_output = 'hex'");
    // Strings as the text reader reads them (a backslash is a backslash), and dates and
    // intervals written the same whatever the server's defaults.
    c_.exec("SET standard_conforming_strings = on");
    c_.exec("SET DateStyle = 'ISO, YMD'");
    c_.exec("SET IntervalStyle = 'postgres'");
    const int version = pg::schema_version(c_);
    const int known = pg::known_schema_version();
    if (version == 0) throw StoreError(msg<Msg::not_liaison_database>(c_.shown_url()), msg<Msg::give_right_db>());
    if (version < known)
      throw StoreError(msg<Msg::needs_schema_upgrade>(c_.shown_url(), version, known),
                       msg<Msg::run_init_db_only_to_upgrade>());
    set_up_viewer();
  }

  void run(std::string_view sql, const std::vector<QueryParam>& params,
           const std::function<void(const std::vector<std::string>&)>& columns,
           const std::function<void(const std::vector<QueryValue>&)>& row) override {
    const Checked q = check(sql, params);
    const auto started = std::chrono::steady_clock::now();
    begin_read();
    try {
      expect(c_.attempt("DECLARE liaison_query NO SCROLL CURSOR FOR " + q.text, q.values, q.types));
      bool first = true;
      std::vector<QueryValue> values;
      for (;;) {
        limit_time(started);
        pg::Result batch = expect(c_.attempt("FETCH 1000 FROM liaison_query", {}, {}));
        if (first) {
          std::vector<std::string> names;
          for (int i = 0; i < batch.columns(); ++i) names.push_back(batch.column_name(i));
          columns(names);
          values.resize(names.size());
          first = false;
        }
        for (int r = 0; r < batch.rows(); ++r) {
          for (int i = 0; i < batch.columns(); ++i) read_value(batch, r, i, values[static_cast<std::size_t>(i)]);
          row(values);
        }
        if (batch.rows() < 1000) break;
      }
      c_.exec("COMMIT");
    } catch (...) {
      c_.end_quietly("ROLLBACK");
      throw;
    }
  }

  void set_limits(std::chrono::seconds timeout, std::int64_t memory_bytes) override {
    timeout_ = timeout;
    memory_bytes_ = memory_bytes;
  }

  std::vector<PlanStep> explain(std::string_view sql, const std::vector<QueryParam>& params) override {
    const Checked q = check(sql, params);
    begin_read();
    std::vector<PlanStep> steps;
    try {
      limit_time(std::chrono::steady_clock::now());
      pg::Result plan = expect(c_.attempt("EXPLAIN (COSTS OFF) " + q.text, q.values, q.types));
      c_.exec("COMMIT");
      // Each line a step; a plan node ("->") belongs to the nearest line above it that is
      // indented less, and so does each detail (Filter:, Sort Key:) to its node.
      std::vector<std::pair<std::size_t, int>> open;  // indent, id
      for (int r = 0; r < plan.rows(); ++r) {
        std::string_view line = plan.text(r, 0);
        std::size_t indent = line.find_first_not_of(' ');
        if (indent == std::string_view::npos) continue;
        line.remove_prefix(indent);
        if (line.substr(0, 2) == "->") {
          line.remove_prefix(2);
          line.remove_prefix(std::min(line.find_first_not_of(' '), line.size()));
        }
        while (!open.empty() && open.back().first >= indent) open.pop_back();
        const int id = r + 1;
        steps.push_back({id, open.empty() ? 0 : open.back().second, std::string(line)});
        open.emplace_back(indent, id);
      }
    } catch (...) {
      c_.end_quietly("ROLLBACK");
      throw;
    }
    return steps;
  }

 private:
  /// A query checked and ready to run: its text with $1 … for the parameters, and their
  /// values and types.
  struct Checked {
    std::string text;
    std::vector<pg::Param> values;
    std::vector<unsigned> types;
  };

  /// Puts the acting user's clearance and the config's names where the views read them.
  void set_up_viewer() {
    const Access& access = viewer_.access;
    c_.exec("BEGIN");
    try {
      c_.exec("CREATE TEMP TABLE liaison_viewer (every_level boolean NOT NULL, mark text NOT NULL)");
      c_.exec("CREATE TEMP TABLE liaison_readable (level text COLLATE \"C\" PRIMARY KEY)");
      c_.exec("CREATE TEMP TABLE liaison_names (what text COLLATE \"C\", id text COLLATE \"C\", name text NOT NULL, "
              "PRIMARY KEY (what, id))");
      c_.exec("INSERT INTO pg_temp.liaison_viewer VALUES ($1::boolean, $2)",
              {access.may_read_every_level() ? "true" : "false", std::string(redaction_mark(viewer_.lang))});
      for (const auto& level : viewer_.config.levels.order)
        if (access.may_read(level)) c_.exec("INSERT INTO pg_temp.liaison_readable VALUES ($1)", {level});
      std::vector<std::array<std::string, 3>> names;
      auto add = [&](const char* what, const std::string& id, const std::string& name) {
        if (!id.empty() && !name.empty()) names.push_back({what, id, name});
      };
      const Config& config = viewer_.config;
      for (const auto& d : config.departments) add("department", d.id, d.name);
      for (const auto& k : config.kinds)
        add("kind", k.id, viewer_.lang == Lang::en && !k.name_en.empty() ? k.name_en : k.name);
      for (const auto& [id, name] : config.levels.names) add("level", id, name);
      for (const auto& u : config.users) add("user", u.id, u.name);
      for (const auto& ch : config.channels) add("channel", ch.id, ch.name);
      for (const auto& t : config.party_types) add("party_type", t.id, t.name);
      for (const auto& t : config.topics) add("topic", t.id, t.name);
      // A few hundred rows at most, so a statement per 500 of them.
      for (std::size_t from = 0; from < names.size(); from += 500) {
        std::string sql = "INSERT INTO pg_temp.liaison_names VALUES ";
        std::vector<pg::Param> values;
        for (std::size_t i = from; i < std::min(names.size(), from + 500); ++i) {
          const std::size_t k = values.size();
          sql += fmt::format("{}(${}, ${}, ${})", i > from ? ", " : "", k + 1, k + 2, k + 3);
          for (const auto& v : names[i]) values.push_back(v);
        }
        c_.exec(sql + " ON CONFLICT DO NOTHING", values);
      }
      // Unqualified names are the views' (and the built-ins'), for the check and the run.
      c_.exec("SELECT set_config('search_path', 'liaison_views, pg_catalog, pg_temp', false)");
      // Times in the organisation's zone (liaison_time), for every later statement.
      pg::Result zone = c_.attempt("SELECT set_config('TimeZone', $1, false)", {viewer_.calendar.timezone()}, {});
      if (zone.failed())
        throw StoreError(msg<Msg::unknown_time_zone>(viewer_.calendar.timezone()), msg<Msg::cfg_use_iana_zone>());
      c_.exec("COMMIT");
    } catch (...) {
      c_.end_quietly("ROLLBACK");
      throw;
    }
  }

  /// Every check of the file comment; the query ready to run.
  Checked check(std::string_view sql, const std::vector<QueryParam>& params) {
    if (sql.size() > kMaxQueryBytes)
      throw UsageError(msg<Msg::query_bytes_long_more_than_allowed>(sql.size(), kMaxQueryBytes),
                       msg<Msg::shorten_views_carry_joins_names_that>());
    ReadQuery read;
    Checked q;
    q.text = read_query(sql, read, [](std::size_t k) { return fmt::format("${}", k + 1); });
    if (!read.first_word.empty() && query_text::is_other_statement(read.first_word))
      throw PermissionError(
          msg<Msg::query_refused>(msg<Msg::query_only_select_accepted>(query_text::statement_head(sql, read.first_at))),
          views_hint());
    if (read.empty) throw UsageError(msg<Msg::query_empty>(), msg<Msg::give_one_select_select_count_from>());
    if (query_text::equals_ci(read.first_word, "explain"))
      throw UsageError(msg<Msg::explain_not_query_here>(), msg<Msg::use_liaison_query_explain_sql_query>());
    // Each parameter bound as an integer or as text, as on SQLite.
    std::map<std::string, const std::string*> given;
    for (const auto& p : params) given[p.name] = &p.value;
    for (const auto& name : read.names) {
      auto it = given.find(name);
      if (it == given.end())
        throw UsageError(msg<Msg::query_s_parameter_has_no_value>(":" + name), msg<Msg::give_param_value>(name));
      const bool integer = query_text::whole_integer(*it->second).has_value();
      q.values.emplace_back(*it->second);
      q.types.push_back(integer ? kInt8 : kText);
    }
    for (const auto& p : params)
      if (std::find(read.names.begin(), read.names.end(), p.name) == read.names.end())
        throw UsageError(msg<Msg::param_query_has_no_parameter>(p.name, p.name),
                         msg<Msg::write_name_name_name_query_drop>());
    // The server analyses the query as a view's body, where a parameter is a NULL of its type.
    ReadQuery again;
    const std::string analysed = read_query(sql, again, [&](std::size_t k) {
      return q.types[k] == kInt8 ? std::string("(NULL::bigint)") : std::string("(NULL::text)");
    });
    try {
      check_tree(analysed);
    } catch (const UsageError&) {
      // WITH x AS (…) DELETE …: not a SELECT the server could analyse, and a write.
      if (read.writes) refuse(msg<Msg::statement_would_change_database>());
      throw;
    }
    return q;
  }

  /// Layer 2: what the server's parse tree of the query names.
  void check_tree(const std::string& analysed) {
    c_.exec("BEGIN");
    try {
      expect(c_.attempt("CREATE TEMP VIEW liaison_checked AS SELECT 1 FROM (" + analysed + "\n) AS liaison_query",
                        {}, {}));
      pg::Result rule = c_.exec(
          "SELECT r.ev_action::text, r.ev_class::text FROM pg_catalog.pg_rewrite AS r "
          "WHERE r.ev_class = 'pg_temp.liaison_checked'::regclass AND r.rulename = '_RETURN'");
      const std::string tree(rule.text(0, 0));
      const std::string self(rule.text(0, 1));
      static const std::regex relations(":relid ([0-9]+)");
      static const std::regex functions(":(?:funcid|aggfnoid|winfnoid|tsmhandler) ([0-9]+)");
      static const std::regex operators(":(?:opno|eqop|sortop|opnos) (\\(o[ 0-9]*\\)|[0-9]+)");
      std::set<std::string> rels = numbers_after(tree, relations);
      rels.erase(self);
      if (!rels.empty()) {
        pg::Result r = c_.exec(
            "SELECT n.nspname, c.relname, c.relkind = 'v' AND n.nspname = 'liaison_views' "
            "FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace "
            "WHERE c.oid = ANY($1::oid[]) ORDER BY 3, 1, 2",
            {oid_array(rels)});
        if (r.rows() != static_cast<int>(rels.size())) refuse(msg<Msg::query_refusal_operation>(0));
        if (r.text(0, 2) != "t") {
          const std::string schema(r.text(0, 0)), table(r.text(0, 1));
          refuse(schema == "public" ? msg<Msg::query_refusal_table_directly>(table)
                                    : msg<Msg::query_refusal_reading>(schema, table));
        }
      }
      if (std::set<std::string> fns = numbers_after(tree, functions); !fns.empty()) {
        pg::Result r = c_.exec(
            "SELECT n.nspname, p.proname FROM pg_catalog.pg_proc AS p "
            "JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace WHERE p.oid = ANY($1::oid[]) ORDER BY 1, 2",
            {oid_array(fns)});
        if (r.rows() != static_cast<int>(fns.size())) refuse(msg<Msg::query_refusal_operation>(0));
        for (int i = 0; i < r.rows(); ++i) {
          const std::string_view schema = r.text(i, 0), name = r.text(i, 1);
          const bool ours = schema == "liaison_views" && name.substr(0, 8) == "liaison_";
          if (!ours && !(schema == "pg_catalog" && allowed_functions().count(name)))
            refuse(msg<Msg::query_refusal_function>(schema == "pg_catalog" ? std::string(name)
                                                                            : fmt::format("{}.{}", schema, name)));
        }
      }
      if (std::set<std::string> ops = numbers_after(tree, operators); !ops.empty()) {
        pg::Result r = c_.exec(
            "SELECT n.nspname, o.oprname FROM pg_catalog.pg_operator AS o "
            "JOIN pg_catalog.pg_namespace AS n ON n.oid = o.oprnamespace WHERE o.oid = ANY($1::oid[]) "
            "ORDER BY n.nspname = 'pg_catalog'",
            {oid_array(ops)});
        if (r.rows() != static_cast<int>(ops.size())) refuse(msg<Msg::query_refusal_operation>(0));
        if (r.rows() > 0 && r.text(0, 0) != "pg_catalog")
          refuse(msg<Msg::query_refusal_function>(fmt::format("{}.{}", r.text(0, 0), r.text(0, 1))));
      }
      c_.exec("ROLLBACK");
    } catch (...) {
      c_.end_quietly("ROLLBACK");
      throw;
    }
  }

  [[noreturn]] static void refuse(const Message& what) { throw PermissionError(msg<Msg::query_refused>(what), views_hint()); }

  /// Layer 3: a transaction that cannot write.
  void begin_read() {
    c_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      // The server spills what does not fit to its own temporary files; --max-memory
      // bounds what one sort or hash keeps in memory (at most 64 MiB on a shared server).
      const std::int64_t kib = std::clamp<std::int64_t>(memory_bytes_ >> 10, 64, 64 << 10);
      c_.exec("SELECT set_config('work_mem', $1, true)", {std::to_string(kib) + "kB"});
    } catch (...) {
      c_.end_quietly("ROLLBACK");
      throw;
    }
  }

  /// The statement timeout for what is left of --timeout since `started`.
  void limit_time(std::chrono::steady_clock::time_point started) {
    if (timeout_.count() == 0) return;
    const auto used = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(timeout_) - used;
    if (left.count() <= 0) throw Error(ExitCode::failure, msg<Msg::query_timed_out>(timeout_.count()), msg<Msg::query_narrow_or_longer>());
    c_.exec("SELECT set_config('statement_timeout', $1, true)", {std::to_string(left.count())});
  }

  /// `r`, or the error its failure says, in liaison's terms.
  pg::Result expect(pg::Result r) {
    if (!r.failed()) return r;
    const std::string state = r.sqlstate();
    const std::string why = c_.scrubbed(r.error());
    const std::string cls = state.substr(0, 2);
    if (state == "57014")
      throw Error(ExitCode::failure, msg<Msg::query_timed_out>(timeout_.count()), msg<Msg::query_narrow_or_longer>());
    if (state == "53200")
      throw Error(ExitCode::failure, msg<Msg::query_out_of_memory>(memory_bytes_ >> 20),
                  msg<Msg::query_narrow_or_more_memory>());
    if (state == "25006" || state == "0A000" || state == "42501")
      throw PermissionError(msg<Msg::query_refused>(msg<Msg::text_as_given>(why)), views_hint());
    if (pg::retryable_sqlstate(state))
      throw BusyError(msg<Msg::database_busy_while>(msg<Msg::doing_running_query>()), msg<Msg::pg_retry>());
    if (cls == "42") throw UsageError(msg<Msg::sql_error>(why), msg<Msg::see_man_liaison_views_views_their>());
    if (cls == "22" || cls == "21" || cls == "54" || cls == "2F" || cls == "39" || cls == "P0")
      throw UsageError(msg<Msg::query_failed>(why), msg<Msg::correct_query>());
    throw StoreError(msg<Msg::database_error_running_query>(why), msg<Msg::run_audit_verify_restore>());
  }

  /// A value as SQLite would type it: integers and booleans as integers, floating and
  /// fractional numbers as reals, bytea as lower-case hex, the rest as the server's text.
  void read_value(const pg::Result& batch, int r, int i, QueryValue& out) const {
    if (batch.is_null(r, i)) {
      out = std::monostate{};
      return;
    }
    const std::string_view text = batch.text(r, i);
    switch (batch.column_type(i)) {
      case 16: out = std::int64_t{text == "t" ? 1 : 0}; return;              // bool
      case 20: case 21: case 23: case 26: out = batch.int64(r, i); return;  // int8, int2, int4, oid
      case 700: case 701: out = std::strtod(std::string(text).c_str(), nullptr); return;
      case 1700:                                                            // numeric
        if (text.find_first_of(".eEN") == std::string_view::npos) {
          if (auto whole = query_text::whole_integer(text)) {
            out = *whole;
            return;
          }
        }
        out = std::strtod(std::string(text).c_str(), nullptr);
        return;
      case 17:                                                              // bytea, \x…
        out = std::string(text.substr(text.substr(0, 2) == "\\x" ? 2 : 0));
        return;
      default:
        out = std::string(text);
        // The mark where the views put it: the note that something was held back.
        if (text == redaction_mark(viewer_.lang)) viewer_.access.note_redacted();
    }
  }

  QueryViewer viewer_;
  pg::Connection c_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> trace_{nullptr, std::fclose};
  std::chrono::seconds timeout_{0};
  std::int64_t memory_bytes_ = 512 << 20;
};

}  // namespace

std::unique_ptr<QuerySession> PgStore::open_query_session(const QueryViewer& viewer) {
  return std::make_unique<PgQuerySession>(connect_url_, viewer);
}

}  // namespace liaison
