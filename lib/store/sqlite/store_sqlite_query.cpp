// SQLite implementation of QuerySession: `liaison query`.
//
// The guard has layers, each enough on its own for writes, and together for reads:
//  1. the file is opened SQLITE_OPEN_READONLY, then PRAGMA query_only, DEFENSIVE on,
//     no ATTACH slot (SQLITE_LIMIT_ATTACHED 0), extension loading off;
//  2. the text is checked before SQLite sees it: not longer than kMaxQueryBytes, and no
//     identifier `main`, the only way to name a base table that a view shadows;
//  3. an authorizer (sqlite3_set_authorizer) allows SELECT, reads of the temp views, reads
//     of base tables only from inside the view that needs them, and an allow-list of
//     functions; everything else is refused and said what it was;
//  4. exactly one statement (nothing but ';', blanks and comments after it), read-only
//     by sqlite3_stmt_readonly, not an EXPLAIN the user typed.
//
// Why layer 2: the authorizer names the view or CTE "responsible" for a read, but a CTE
// can take a view's name (`WITH records AS (SELECT * FROM main.records) …` reads as if
// from the view), so the authorizer cannot tell them apart. Unqualified, `records` is
// the temp view (temp is searched before main), so with `main` unsayable the base tables
// a view shadows are unreachable; the tables no view shadows (sequences …) are refused
// because no view of ours reads them.
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "migrations.h"
#include "query.h"
#include "query_text.h"
#include "sqlite_store.h"
#include "store_sqlite_util.h"

namespace liaison {
namespace {

/// The hint of every refusal: what liaison query accepts.
Message views_hint() { return msg<Msg::liaison_query_runs_one_select_over>(); }

// ---------------------------------------------------------------------------------------
// The query text: a tokenizer just good enough to find identifiers and statement ends.
// It errs towards refusing: anything it reads as the word `main` outside a string
// literal, a comment or a parameter name is refused, and SQLite's own tokenizer never
// reads an identifier where this one sees a string, comment or parameter.

struct Token {
  enum Kind { word, quoted_identifier, string, variable, semicolon, other };
  Kind kind;
  std::string_view text;  ///< for quoted identifiers, the inside (doubled quotes kept)
};

bool id_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

std::vector<Token> tokenize(std::string_view sql) {
  std::vector<Token> out;
  std::size_t i = 0, n = sql.size();
  auto quoted = [&](char close, bool doubled) {
    std::size_t start = ++i;
    while (i < n) {
      if (sql[i] == close) {
        if (doubled && i + 1 < n && sql[i + 1] == close) {
          i += 2;
          continue;
        }
        break;
      }
      ++i;
    }
    std::string_view inside = sql.substr(start, i - start);
    if (i < n) ++i;  // the closing quote
    return inside;
  };
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(sql[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      auto end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? n : end + 2;
    } else if (c == '\'') {
      out.push_back({Token::string, quoted('\'', true)});
    } else if (c == '"' || c == '`') {
      out.push_back({Token::quoted_identifier, quoted(static_cast<char>(c), true)});
    } else if (c == '[') {
      out.push_back({Token::quoted_identifier, quoted(']', false)});
    } else if (c == ';') {
      out.push_back({Token::semicolon, sql.substr(i++, 1)});
    } else if ((c == ':' || c == '@' || c == '$' || c == '#') && i + 1 < n &&
               id_char(static_cast<unsigned char>(sql[i + 1]))) {
      std::size_t start = i++;
      while (i < n && (id_char(static_cast<unsigned char>(sql[i])) || sql[i] == ':')) ++i;
      out.push_back({Token::variable, sql.substr(start, i - start)});
    } else if (id_char(c)) {
      // Words, and numbers with whatever letters follow them (SQLite refuses "1main").
      std::size_t start = i;
      bool number = std::isdigit(c) != 0;
      while (i < n && (id_char(static_cast<unsigned char>(sql[i])) || (number && sql[i] == '.'))) ++i;
      out.push_back({number ? Token::other : Token::word, sql.substr(start, i - start)});
    } else {
      out.push_back({Token::other, sql.substr(i++, 1)});
    }
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

using query_text::equals_ci;
using query_text::is_other_statement;

/// Refuses the text before SQLite parses it: too long, or naming the main schema. Returns
/// the start of the statement when it is not a SELECT (see is_other_statement).
std::optional<std::string> check_text(std::string_view sql) {
  if (sql.size() > kMaxQueryBytes)
    throw UsageError(msg<Msg::query_bytes_long_more_than_allowed>(sql.size(), kMaxQueryBytes),
                     msg<Msg::shorten_views_carry_joins_names_that>());
  std::vector<Token> tokens = tokenize(sql);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    // SQLite reads a string literal where only a name can stand as that name, so
    // 'main'.records is main.records too.
    bool qualifier = t.kind == Token::string && i + 1 < tokens.size() && tokens[i + 1].text == ".";
    if ((t.kind == Token::word || t.kind == Token::quoted_identifier || qualifier) && equals_ci(t.text, "main"))
      throw PermissionError(msg<Msg::query_refused>(msg<Msg::tables_behind_views_main_cannot_read>()), views_hint());
  }
  if (!tokens.empty() && tokens[0].kind == Token::word && is_other_statement(tokens[0].text))
    return query_text::statement_head(sql, static_cast<std::size_t>(tokens[0].text.data() - sql.data()));
  return std::nullopt;
}

/// True when `tail` (what follows the first statement) holds nothing but ';', blanks
/// and comments.
bool only_separators(std::string_view tail) {
  for (const Token& t : tokenize(tail))
    if (t.kind != Token::semicolon) return false;
  return true;
}

// ---------------------------------------------------------------------------------------
// What the authorizer allows.

/// Our views, and the base tables each of them reads (schemas/views.sql).
const std::map<std::string_view, std::set<std::string_view>>& view_tables() {
  static const std::map<std::string_view, std::set<std::string_view>> views = {
      {"records", {"records", "parties"}},
      {"events", {"events", "records"}},
      {"parties", {"parties"}},
      {"clocks", {"clocks", "records", "events"}},  // events: the resolve cycles reopenings ended
      {"checkpoints", {"checkpoints"}},
      {"attachments", {"attachments", "records", "events"}},
      {"obligations", {"clocks", "records"}},
  };
  return views;
}

/// SQLite's built-in functions that only compute a value from their arguments: core
/// scalar, aggregate, window, date and time, JSON and math functions. Not here, so
/// refused: load_extension, the sqlite_* introspection functions, fts3_tokenizer,
/// changes/total_changes/last_insert_rowid, json_each/json_tree (table-valued, they
/// touch the schema), and anything an extension might add.
const std::set<std::string_view>& allowed_functions() {
  static const std::set<std::string_view> names = {
      // core scalar
      "abs", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull", "iif", "instr",
      "length", "like", "likelihood", "likely", "lower", "ltrim", "max", "min", "nullif", "octet_length",
      "printf", "quote", "random", "randomblob", "replace", "round", "rtrim", "sign", "soundex", "substr",
      "substring", "trim", "typeof", "unhex", "unicode", "unistr", "unlikely", "upper", "zeroblob",
      // aggregate
      "avg", "count", "group_concat", "string_agg", "sum", "total", "median", "percentile",
      // window
      "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
      "first_value", "last_value", "nth_value",
      // date and time
      "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff", "current_date",
      "current_time", "current_timestamp",
      // JSON (scalar and aggregate; the -> and ->> operators are functions too)
      "json", "jsonb", "json_array", "jsonb_array", "json_array_length", "json_error_position", "json_extract",
      "jsonb_extract", "json_insert", "jsonb_insert", "json_object", "jsonb_object", "json_patch", "jsonb_patch",
      "json_pretty", "json_quote", "json_remove", "jsonb_remove", "json_replace", "jsonb_replace", "json_set",
      "jsonb_set", "json_type", "json_valid", "json_group_array", "jsonb_group_array", "json_group_object",
      "jsonb_group_object", "->", "->>",
      // math
      "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh", "degrees",
      "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh",
      "sqrt", "tan", "tanh", "trunc",
      // ours (schemas/views.sql)
      "liaison_time", "liaison_text", "liaison_event_data", "liaison_department", "liaison_kind",
      "liaison_level", "liaison_user", "liaison_channel", "liaison_party_type", "liaison_hash",
      "liaison_readable", "liaison_topic",
  };
  return names;
}

std::string_view or_empty(const char* s) { return s ? std::string_view(s) : std::string_view(); }

/// An authorizer action code as SQL words ("INSERT into records"), if it has some.
std::optional<std::string> sql_words(int action, std::string_view a1, std::string_view a2) {
  switch (action) {
    case SQLITE_INSERT: return fmt::format("INSERT into {}", a1);
    case SQLITE_UPDATE: return fmt::format("UPDATE of {}", a1);
    case SQLITE_DELETE: return fmt::format("DELETE from {}", a1);
    case SQLITE_CREATE_INDEX: case SQLITE_CREATE_TEMP_INDEX: return fmt::format("CREATE INDEX {}", a1);
    case SQLITE_CREATE_TABLE: case SQLITE_CREATE_TEMP_TABLE: return fmt::format("CREATE TABLE {}", a1);
    case SQLITE_CREATE_TRIGGER: case SQLITE_CREATE_TEMP_TRIGGER: return fmt::format("CREATE TRIGGER {}", a1);
    case SQLITE_CREATE_VIEW: case SQLITE_CREATE_TEMP_VIEW: return fmt::format("CREATE VIEW {}", a1);
    case SQLITE_CREATE_VTABLE: return fmt::format("CREATE VIRTUAL TABLE {}", a1);
    case SQLITE_DROP_INDEX: case SQLITE_DROP_TEMP_INDEX: return fmt::format("DROP INDEX {}", a1);
    case SQLITE_DROP_TABLE: case SQLITE_DROP_TEMP_TABLE: return fmt::format("DROP TABLE {}", a1);
    case SQLITE_DROP_TRIGGER: case SQLITE_DROP_TEMP_TRIGGER: return fmt::format("DROP TRIGGER {}", a1);
    case SQLITE_DROP_VIEW: case SQLITE_DROP_TEMP_VIEW: return fmt::format("DROP VIEW {}", a1);
    case SQLITE_DROP_VTABLE: return fmt::format("DROP VIRTUAL TABLE {}", a1);
    case SQLITE_ALTER_TABLE: return fmt::format("ALTER TABLE {}", a2);
    case SQLITE_PRAGMA: return a2.empty() ? fmt::format("PRAGMA {}", a1) : fmt::format("PRAGMA {} = {}", a1, a2);
    case SQLITE_SAVEPOINT: return fmt::format("SAVEPOINT {} {}", a1, a2);
    case SQLITE_ATTACH: return fmt::format("ATTACH '{}'", a1);
    case SQLITE_DETACH: return fmt::format("DETACH {}", a1);
    case SQLITE_ANALYZE: return "ANALYZE";
    case SQLITE_REINDEX: return "REINDEX";
    case SQLITE_COPY: return "COPY";
    default: return std::nullopt;
  }
}

/// What an authorizer action code asks for, in the words of SQL (shown as they are).
Message describe(int action, std::string_view a1, std::string_view a2) {
  if (action == SQLITE_FUNCTION) return msg<Msg::query_refusal_function>(a2);
  if (action == SQLITE_TRANSACTION) return msg<Msg::query_refusal_transaction>(a1);
  if (auto words = sql_words(action, a1, a2)) return msg<Msg::text_as_given>(*words);
  return msg<Msg::query_refusal_operation>(action);  // not one SQLite documents
}

// ---------------------------------------------------------------------------------------
// The application functions of schemas/views.sql.

struct Sqlite3Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

void result_text(sqlite3_context* ctx, std::string_view text) {
  sqlite3_result_text64(ctx, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

std::string_view arg_text(sqlite3_value* v) {
  const unsigned char* p = sqlite3_value_text(v);
  return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_value_bytes(v)))
           : std::string_view();
}

class SqliteQuerySession : public QuerySession {
 public:
  SqliteQuerySession(const std::string& path, const QueryViewer& viewer) : viewer_(viewer) {
    open(path);
    check_schema(path);
    define_functions();
    // Every name of the file's schema, read before the authorizer is set.
    {
      StmtPtr names = prepare("SELECT name FROM main.sqlite_schema");
      while (sqlite3_step(names.get()) == SQLITE_ROW)
        schema_names_.emplace(or_empty(reinterpret_cast<const char*>(sqlite3_column_text(names.get(), 0))));
    }
    // Sorts and temporary tables in memory, where set_limits bounds them: a query must not
    // fill the temporary directory (which the database's own writes may need). Before the
    // views are made: changing temp_store drops what the temp schema holds.
    exec("PRAGMA temp_store = MEMORY");
    char* message = nullptr;
    if (sqlite3_exec(db_.get(), query_views_sql(), nullptr, nullptr, &message) != SQLITE_OK) {
      Message what = message ? msg<Msg::text_as_given>(message) : msg<Msg::unknown_error>();
      sqlite3_free(message);
      throw StoreError(msg<Msg::cannot_create_query_views>(what), msg<Msg::bug_please_report>());
    }
    exec("PRAGMA query_only = 1");
    sqlite3_progress_handler(db_.get(), 1000, &SqliteQuerySession::progress, this);
    sqlite3_limit(db_.get(), SQLITE_LIMIT_SQL_LENGTH, static_cast<int>(kMaxQueryBytes + 64));
    sqlite3_limit(db_.get(), SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_limit(db_.get(), SQLITE_LIMIT_LENGTH, 32 << 20);
    sqlite3_set_authorizer(db_.get(), &SqliteQuerySession::authorize, this);
  }

  void run(std::string_view sql, const std::vector<QueryParam>& params,
           const std::function<void(const std::vector<std::string>&)>& columns,
           const std::function<void(const std::vector<QueryValue>&)>& row) override {
    std::string_view statement;
    StmtPtr stmt = prepare_checked(sql, statement);
    bind(stmt.get(), params);
    deadline_ = std::chrono::steady_clock::now() + timeout_;
    running_ = true;
    struct Stopped {
      bool& running;
      ~Stopped() { running = false; }
    } stopped{running_};
    int n = sqlite3_column_count(stmt.get());
    std::vector<std::string> names;
    for (int i = 0; i < n; ++i) names.emplace_back(or_empty(sqlite3_column_name(stmt.get(), i)));
    columns(names);
    std::vector<QueryValue> values(static_cast<std::size_t>(n));
    for (;;) {
      int rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail_step(rc);
      for (int i = 0; i < n; ++i) read_value(stmt.get(), i, values[static_cast<std::size_t>(i)]);
      row(values);
    }
  }

  void set_limits(std::chrono::seconds timeout, std::int64_t memory_bytes) override {
    timeout_ = timeout;
    memory_bytes_ = memory_bytes;
    // The limit is the process's: this command's only other connection is idle.
    sqlite3_hard_heap_limit64(memory_bytes);
  }

  std::vector<PlanStep> explain(std::string_view sql, const std::vector<QueryParam>& params) override {
    std::string_view statement;
    StmtPtr checked = prepare_checked(sql, statement);
    bind(checked.get(), params);
    StmtPtr plan = prepare(fmt::format("EXPLAIN QUERY PLAN {}", statement));
    bind(plan.get(), params);
    std::vector<PlanStep> steps;
    for (;;) {
      int rc = sqlite3_step(plan.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail_step(rc);
      steps.push_back({sqlite3_column_int(plan.get(), 0), sqlite3_column_int(plan.get(), 1),
                       std::string(or_empty(reinterpret_cast<const char*>(sqlite3_column_text(plan.get(), 3))))});
    }
    return steps;
  }

 private:
  void open(const std::string& path) {
    if (path != ":memory:" && !std::filesystem::exists(path))
      throw NotFoundError(msg<Msg::no_database_at>(path), msg<Msg::run_liaison_init_create_one_give>());
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK)
      throw StoreError(msg<Msg::cannot_open_path>(path, raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)),
                       msg<Msg::check_path_permissions>());
    sqlite3_busy_timeout(raw, sqlite_util::kBusyTimeoutMs);
    sqlite3_db_config(raw, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    sqlite3_db_config(raw, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(raw, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(raw, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  }

  /// The views name the columns of the newest schema: an older or newer file is refused
  /// as the store refuses it.
  void check_schema(const std::string& path) {
    StmtPtr s = prepare("PRAGMA user_version");
    int rc = sqlite3_step(s.get());
    if (rc != SQLITE_ROW) fail_step(rc);
    int current = sqlite3_column_int(s.get(), 0);
    const auto& all = embedded_migrations();
    int latest = all.empty() ? 0 : all.back().version;
    if (current == 0) throw StoreError(msg<Msg::not_liaison_database>(path), msg<Msg::give_right_db>());
    if (current > latest)
      throw StoreError(msg<Msg::has_schema_version_newer_than_this>(path, current, latest),
                       msg<Msg::upgrade_liaison_version_that_knows_this>());
    if (current < latest)
      throw StoreError(msg<Msg::needs_schema_upgrade>(path, current, latest), msg<Msg::run_init_db_only_to_upgrade>());
  }

  void exec(const char* sql) {
    if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      throw StoreError(msg<Msg::database_error_opening_queries>(sqlite3_errmsg(db_.get())),
                       msg<Msg::check_file_and_permissions>());
  }

  /// Prepares our own SQL (no checks but SQLite's).
  StmtPtr prepare(const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    refusal_ = {};
    refusal_internal_ = false;
    int rc = sqlite3_prepare_v2(db_.get(), sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr);
    StmtPtr stmt(raw);
    if (rc != SQLITE_OK) fail_prepare(rc);
    return stmt;
  }

  /// Prepares the user's SQL with every check of the file comment; `statement` is set to
  /// the text of the one statement.
  StmtPtr prepare_checked(std::string_view sql, std::string_view& statement) {
    std::optional<std::string> other = check_text(sql);
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    refusal_ = {};
    refusal_internal_ = false;
    int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), 0, &raw, &tail);
    StmtPtr stmt(raw);
    // Not a SELECT: refused, in the authorizer's words when it had some ("PRAGMA
    // writable_schema = 1"), else by its first word. Prepared only to be described: a
    // statement is never stepped before every check has passed.
    if (other)
      throw PermissionError(msg<Msg::query_refused>(refusal_.empty() || refusal_internal_
                                                          ? msg<Msg::query_only_select_accepted>(*other)
                                                          : refusal_),
                            views_hint());
    if (rc != SQLITE_OK) fail_prepare(rc);
    if (!stmt) throw UsageError(msg<Msg::query_empty>(), msg<Msg::give_one_select_select_count_from>());
    std::size_t used = tail ? static_cast<std::size_t>(tail - sql.data()) : sql.size();
    if (!only_separators(sql.substr(used)))
      throw UsageError(msg<Msg::query_holds_more_than_one_statement>(), msg<Msg::give_exactly_one_select>());
    if (sqlite3_stmt_isexplain(stmt.get()))
      throw UsageError(msg<Msg::explain_not_query_here>(), msg<Msg::use_liaison_query_explain_sql_query>());
    if (!sqlite3_stmt_readonly(stmt.get()))
      throw PermissionError(msg<Msg::query_refused>(msg<Msg::statement_would_change_database>()), views_hint());
    statement = sql.substr(0, used);
    return stmt;
  }

  [[noreturn]] void fail_prepare(int rc) {
    int code = rc & 0xff;
    if (!refusal_.empty() || code == SQLITE_AUTH)
      throw PermissionError(
          refusal_.empty() ? msg<Msg::query_refused>(msg<Msg::not_authorized>()) : msg<Msg::query_refused>(refusal_),
          views_hint());
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
      throw BusyError(msg<Msg::database_busy_while>(msg<Msg::doing_preparing_query>()),
                      msg<Msg::another_liaison_command_holds_try_again>());
    if (code == SQLITE_TOOBIG)
      throw UsageError(msg<Msg::query_too_long>(sqlite3_errmsg(db_.get())), msg<Msg::shorten_it>());
    std::string_view message = sqlite3_errmsg(db_.get());
    if (code == SQLITE_ERROR && message.rfind("cannot modify ", 0) == 0)  // WITH … DELETE FROM records
      throw PermissionError(msg<Msg::query_refused>(msg<Msg::text_as_given>(message)), views_hint());
    if (code == SQLITE_ERROR)
      throw UsageError(msg<Msg::sql_error>(message), msg<Msg::see_man_liaison_views_views_their>());
    throw StoreError(msg<Msg::database_error_preparing_query>(sqlite3_errmsg(db_.get())),
                     msg<Msg::run_audit_verify_restore>());
  }

  /// Called every 1000 steps of the VM: non-zero interrupts the statement.
  static int progress(void* self) {
    auto* session = static_cast<SqliteQuerySession*>(self);
    if (!session->running_ || session->timeout_.count() == 0) return 0;
    if (std::chrono::steady_clock::now() < session->deadline_) return 0;
    session->timed_out_ = true;
    return 1;
  }

  [[noreturn]] void fail_step(int rc) {
    int code = rc & 0xff;
    if (code == SQLITE_INTERRUPT && timed_out_)
      throw Error(ExitCode::failure, msg<Msg::query_timed_out>(timeout_.count()), msg<Msg::query_narrow_or_longer>());
    if (code == SQLITE_NOMEM)
      throw Error(ExitCode::failure, msg<Msg::query_out_of_memory>(memory_bytes_ >> 20), msg<Msg::query_narrow_or_more_memory>());
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
      throw BusyError(msg<Msg::database_busy_while>(msg<Msg::doing_running_query>()),
                      msg<Msg::another_liaison_command_holds_try_again>());
    if (code == SQLITE_ERROR || code == SQLITE_TOOBIG || code == SQLITE_RANGE || code == SQLITE_MISMATCH)
      throw UsageError(msg<Msg::query_failed>(sqlite3_errmsg(db_.get())), msg<Msg::correct_query>());
    throw StoreError(msg<Msg::database_error_running_query>(sqlite3_errmsg(db_.get())),
                     msg<Msg::run_audit_verify_restore>());
  }

  /// Binds every parameter of the statement from `params`; refuses positional ones,
  /// missing values and values for parameters the statement does not have.
  static void bind(sqlite3_stmt* stmt, const std::vector<QueryParam>& params) {
    std::map<std::string, const std::string*> given;
    for (const auto& p : params) given[p.name] = &p.value;
    std::set<std::string> used;
    int count = sqlite3_bind_parameter_count(stmt);
    for (int i = 1; i <= count; ++i) {
      const char* raw = sqlite3_bind_parameter_name(stmt, i);
      if (!raw || raw[0] == '?')
        throw UsageError(msg<Msg::query_has_positional_parameter>(raw ? raw : "?"),
                         msg<Msg::name_owner_give_param_owner_value>());
      std::string name(raw + 1);
      auto it = given.find(name);
      if (it == given.end())
        throw UsageError(msg<Msg::query_s_parameter_has_no_value>(raw), msg<Msg::give_param_value>(name));
      used.insert(name);
      const std::string& value = *it->second;
      if (auto integer = query_text::whole_integer(value)) sqlite3_bind_int64(stmt, i, *integer);
      else sqlite3_bind_text64(stmt, i, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    for (const auto& p : params)
      if (!used.count(p.name))
        throw UsageError(msg<Msg::param_query_has_no_parameter>(p.name, p.name),
                         msg<Msg::write_name_name_name_query_drop>());
  }

  static void read_value(sqlite3_stmt* stmt, int i, QueryValue& out) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER: out = static_cast<std::int64_t>(sqlite3_column_int64(stmt, i)); break;
      case SQLITE_FLOAT: out = sqlite3_column_double(stmt, i); break;
      case SQLITE_TEXT: {
        const char* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        out = std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
        break;
      }
      case SQLITE_BLOB: {
        const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt, i));
        int n = sqlite3_column_bytes(stmt, i);
        std::string hex;
        hex.reserve(static_cast<std::size_t>(n) * 2);
        for (int k = 0; k < n; ++k) hex += fmt::format("{:02x}", p[k]);
        out = std::move(hex);
        break;
      }
      default: out = std::monostate{};
    }
  }

  // --- the authorizer -----------------------------------------------------------------

  static int authorize(void* self, int action, const char* a1, const char* a2, const char* db, const char* inner) {
    auto* session = static_cast<SqliteQuerySession*>(self);
    if (session->allowed(action, or_empty(a1), or_empty(a2), or_empty(db), inner)) return SQLITE_OK;
    // What the user wrote, not what SQLite does for it: CREATE TABLE rather than the
    // INSERT into sqlite_master it asks about first.
    bool schema_table = or_empty(a1).rfind("sqlite_", 0) == 0;
    bool schema_write = schema_table && (action == SQLITE_INSERT || action == SQLITE_UPDATE || action == SQLITE_DELETE);
    bool internal = schema_write || (schema_table && action == SQLITE_READ);
    if (session->refusal_.empty() || (session->refusal_internal_ && !internal)) {
      // In a SELECT, only an eponymous virtual table asks to change the schema.
      session->refusal_ = schema_write ? msg<Msg::query_refusal_virtual_table>()
                          : action == SQLITE_READ ? session->read_refusal(or_empty(a1), or_empty(db))
                                                  : describe(action, or_empty(a1), or_empty(a2));
      session->refusal_internal_ = internal;
    }
    return SQLITE_DENY;
  }

  bool allowed(int action, std::string_view a1, std::string_view a2, std::string_view db, const char* inner) const {
    switch (action) {
      case SQLITE_SELECT:
      case SQLITE_RECURSIVE:
        return true;
      case SQLITE_FUNCTION:
        return allowed_functions().count(lower(a2)) > 0;
      case SQLITE_READ: {
        const auto& views = view_tables();
        // The views themselves, from the query or from any CTE in it.
        if (db == "temp") return views.count(a1) > 0;
        // A recursive CTE reading itself comes without a database. So does a whole-table
        // read (count(*)) of a base table: only a name that is no table of the file is
        // the query's own.
        // A whole-table read of a compound view (count(*) over `clocks`, a UNION ALL) is
        // named after the view, without a database either: what it reads is the view's.
        if (db.empty()) return (!schema_names_.count(std::string(a1)) && !views.count(a1)) || (views.count(a1) && a2.empty());
        if (db != "main") return false;
        // A base table: only from inside the view that reads it. A whole-table read
        // (empty column: count(*), an unused LEFT JOIN) is named without the view.
        if (inner) {
          auto it = views.find(inner);
          return it != views.end() && it->second.count(a1) > 0;
        }
        if (a2.empty())
          return std::any_of(views.begin(), views.end(), [&](const auto& v) { return v.second.count(a1) > 0; });
        return false;
      }
      default:
        return false;
    }
  }

  Message read_refusal(std::string_view table, std::string_view db) const {
    if (table.rfind("sqlite_", 0) == 0) return msg<Msg::query_refusal_schema_table>(table);
    if (db == "main") return msg<Msg::query_refusal_table_directly>(table);
    return msg<Msg::query_refusal_reading>(db, table);
  }

  // --- the application functions --------------------------------------------------------

  void define_functions() {
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    struct Def {
      const char* name;
      int args;
      void (*fn)(sqlite3_context*, int, sqlite3_value**);
    };
    const Def defs[] = {
        {"liaison_time", 1, &fn_time},         {"liaison_text", 2, &fn_text},
        {"liaison_event_data", 2, &fn_event},  {"liaison_department", 1, &fn_department},
        {"liaison_kind", 1, &fn_kind},         {"liaison_level", 1, &fn_level},
        {"liaison_user", 1, &fn_user},         {"liaison_channel", 1, &fn_channel},
        {"liaison_party_type", 1, &fn_party_type}, {"liaison_hash", 1, &fn_hash},
        {"liaison_readable", 2, &fn_readable},     {"liaison_topic", 1, &fn_topic},
    };
    for (const auto& d : defs)
      if (sqlite3_create_function_v2(db_.get(), d.name, d.args, flags, this, d.fn, nullptr, nullptr, nullptr) !=
          SQLITE_OK)
        throw StoreError(msg<Msg::cannot_define_function>(d.name, sqlite3_errmsg(db_.get())), msg<Msg::bug>());
  }

  static const QueryViewer& viewer(sqlite3_context* ctx) {
    return static_cast<SqliteQuerySession*>(sqlite3_user_data(ctx))->viewer_;
  }

  /// liaison_time(utc seconds) → ISO 8601 in the organisation's zone; NULL stays NULL.
  static void fn_time(sqlite3_context* ctx, int, sqlite3_value** argv) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    TimePoint t{std::chrono::seconds{sqlite3_value_int64(argv[0])}};
    result_text(ctx, viewer(ctx).calendar.format_iso(t));
  }

  /// liaison_text(level, text) → the text, or the mark when the level is above the
  /// user's clearance (an empty text stays empty, NULL stays NULL, as redact() does).
  static void fn_text(sqlite3_context* ctx, int, sqlite3_value** argv) {
    const QueryViewer& v = viewer(ctx);
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL || v.access.may_read(arg_text(argv[0])) ||
        sqlite3_value_bytes(argv[1]) == 0)
      return sqlite3_result_value(ctx, argv[1]);
    v.access.note_redacted();
    result_text(ctx, redaction_mark(v.lang));
  }

  /// liaison_readable(level, value) → the value when the user may read the level, else
  /// NULL: what is withheld whole rather than marked (an attachment's size or digest).
  static void fn_readable(sqlite3_context* ctx, int, sqlite3_value** argv) {
    const QueryViewer& v = viewer(ctx);
    if (v.access.may_read(arg_text(argv[0]))) return sqlite3_result_value(ctx, argv[1]);
    v.access.note_redacted();
    sqlite3_result_null(ctx);
  }

  /// liaison_hash(hash) → the hash for a reader who may read every level, else NULL
  /// (Access::may_read_every_level: a hash would confirm a guessed confidential text).
  static void fn_hash(sqlite3_context* ctx, int, sqlite3_value** argv) {
    if (viewer(ctx).access.may_read_every_level()) return sqlite3_result_value(ctx, argv[0]);
    sqlite3_result_null(ctx);
  }

  /// liaison_event_data(level, json) → the event's data with its free-text values
  /// redacted when the level is above the user's clearance; a NULL level (registry
  /// events) is not redacted. Whatever it says about the complainant (the keys
  /// "identity" and "complainant", at any depth) is dropped for everyone: no view shows
  /// who raised a record.
  static void fn_event(sqlite3_context* ctx, int, sqlite3_value** argv) {
    const QueryViewer& v = viewer(ctx);
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    std::string_view data = arg_text(argv[1]);
    bool identity = data.find("\"identity\"") != std::string_view::npos ||
                    data.find("\"complainant\"") != std::string_view::npos;
    bool readable = sqlite3_value_type(argv[0]) == SQLITE_NULL || v.access.may_read(arg_text(argv[0]));
    if (readable && !identity) return sqlite3_result_value(ctx, argv[1]);
    Event e;
    e.data = identity ? without_identity(data) : std::string(data);
    if (!readable) e = redact(std::move(e), arg_text(argv[0]), v.access, v.lang);
    result_text(ctx, e.data);
  }

  static void drop_identity(nlohmann::json& j) {
    if (j.is_object()) {
      j.erase("identity");
      j.erase("complainant");
    }
    if (j.is_object() || j.is_array())
      for (auto& child : j) drop_identity(child);
  }

  static std::string without_identity(std::string_view data) {
    auto j = nlohmann::json::parse(data, nullptr, false);
    if (j.is_discarded()) return "{}";
    drop_identity(j);
    return j.dump();
  }

  /// A display name from the config, or NULL when the id is empty or unknown.
  template <typename Lookup>
  static void name_of(sqlite3_context* ctx, sqlite3_value* id, Lookup lookup) {
    std::string_view key = arg_text(id);
    if (key.empty()) return sqlite3_result_null(ctx);
    std::optional<std::string_view> name = lookup(viewer(ctx), key);
    if (!name || name->empty()) return sqlite3_result_null(ctx);
    result_text(ctx, *name);
  }

  static void fn_department(sqlite3_context* ctx, int, sqlite3_value** argv) {
    name_of(ctx, argv[0], [](const QueryViewer& v, std::string_view id) -> std::optional<std::string_view> {
      if (const Department* d = v.config.department(id)) return d->name;
      return std::nullopt;
    });
  }
  static void fn_kind(sqlite3_context* ctx, int, sqlite3_value** argv) {
    name_of(ctx, argv[0], [](const QueryViewer& v, std::string_view id) -> std::optional<std::string_view> {
      if (const Kind* k = v.config.kind(id)) return v.lang == Lang::en && !k->name_en.empty() ? k->name_en : k->name;
      return std::nullopt;
    });
  }
  static void fn_level(sqlite3_context* ctx, int, sqlite3_value** argv) {
    name_of(ctx, argv[0], [](const QueryViewer& v, std::string_view id) -> std::optional<std::string_view> {
      auto it = v.config.levels.names.find(std::string(id));
      if (it != v.config.levels.names.end()) return it->second;
      return std::nullopt;
    });
  }
  static void fn_user(sqlite3_context* ctx, int, sqlite3_value** argv) {
    name_of(ctx, argv[0], [](const QueryViewer& v, std::string_view id) -> std::optional<std::string_view> {
      if (const User* u = v.config.user(id)) return u->name;
      return std::nullopt;
    });
  }
  static void fn_channel(sqlite3_context* ctx, int, sqlite3_value** argv) {
    name_of(ctx, argv[0], [](const QueryViewer& v, std::string_view id) -> std::optional<std::string_view> {
      if (const Channel* c = v.config.channel(id)) return c->name;
      return std::nullopt;
    });
  }
  static void fn_topic(sqlite3_context* ctx, int, sqlite3_value** argv) {
    name_of(ctx, argv[0], [](const QueryViewer& v, std::string_view id) -> std::optional<std::string_view> {
      if (const Topic* t = v.config.topic(id)) return t->name;
      return std::nullopt;
    });
  }
  static void fn_party_type(sqlite3_context* ctx, int, sqlite3_value** argv) {
    name_of(ctx, argv[0], [](const QueryViewer& v, std::string_view id) -> std::optional<std::string_view> {
      if (const PartyType* t = v.config.party_type(id)) return t->name;
      return std::nullopt;
    });
  }

  QueryViewer viewer_;
  std::unique_ptr<sqlite3, Sqlite3Closer> db_;
  Message refusal_;               ///< what the authorizer refused while preparing
  std::chrono::seconds timeout_{0};                 ///< set_limits; 0: none
  std::int64_t memory_bytes_ = 0;                   ///< set_limits; 0: none
  std::chrono::steady_clock::time_point deadline_;  ///< of the run() under way
  bool running_ = false;                            ///< in run(): the deadline applies
  bool timed_out_ = false;                          ///< progress() interrupted the run
  std::set<std::string> schema_names_;              ///< tables, indexes … of the file
  bool refusal_internal_ = false;  ///< …and it was SQLite's own access to a schema table
};

}  // namespace

std::unique_ptr<QuerySession> open_sqlite_query(const std::string& path, const QueryViewer& viewer) {
  return std::make_unique<SqliteQuerySession>(path, viewer);
}

// SqliteStore's AuditorQueries capability: a connection of its own on the same file,
// read-only whatever the store's mode.
std::unique_ptr<QuerySession> SqliteStore::open_query_session(const QueryViewer& viewer) {
  return open_sqlite_query(path_, viewer);
}

}  // namespace liaison
