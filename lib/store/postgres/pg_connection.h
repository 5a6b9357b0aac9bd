// A connection to a PostgreSQL server through libpq, behind a small RAII wrapper: the
// connection and each result are freed on every path, values are always bound ($1, $2 …)
// and never spliced into SQL, and a failure becomes one of liaison's errors (errors.h)
// whose message never holds the connection's password.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "messages.h"

struct pg_conn;
struct pg_result;

namespace liaison::pg {

/// The result of one statement (a PGresult), freed on destruction. Values are the text
/// the server sends; rows and columns count from 0.
class Result {
 public:
  explicit Result(pg_result* result);
  int rows() const;
  int columns() const;
  bool is_null(int row, int column) const;
  /// The value as text; "" for NULL (tell them apart with is_null).
  std::string_view text(int row, int column) const;
  /// The value as a 64-bit integer; StoreError when it is not one.
  std::int64_t int64(int row, int column) const;
  /// A column's name, and the OID of its type (20 int8, 25 text, 16 bool …).
  std::string column_name(int column) const;
  unsigned column_type(int column) const;
  /// For a result of Connection::attempt: whether the statement failed, its SQLSTATE and
  /// the server's message (its primary line).
  bool failed() const;
  std::string sqlstate() const;
  std::string error() const;
  /// Gives up the result, for a caller that frees it (Connection::fail).
  pg_result* release() { return result_.release(); }

 private:
  std::unique_ptr<pg_result, void (*)(pg_result*)> result_;
};

/// One row of a result, read like a RowCursor's current row (code that reads either).
struct Row {
  const Result& result;
  int row;
  bool is_null(int column) const { return result.is_null(row, column); }
  std::string_view text(int column) const { return result.text(row, column); }
  std::int64_t int64(int column) const { return result.int64(row, column); }
};

std::string scrub(std::string text, const std::vector<std::string>& secrets);

/// A parameter of a statement: its text, or nullopt for NULL.
using Param = std::optional<std::string>;

/// One connection to a server, closed on destruction.
class Connection {
 public:
  /// Connects to `url`, a postgresql:// (or postgres://) URI or a libpq keyword string;
  /// what it leaves out comes from the PG* environment variables and ~/.pgpass, as libpq
  /// does. BusyError (exit 75) when the server does not answer or refuses connections
  /// now (down, starting, shutting down); StoreError (exit 1) when it answers but will
  /// not let us in (no such user or database, a wrong password), or the URI is malformed.
  explicit Connection(const std::string& url);
  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  ~Connection();

  /// Runs one statement with `params` bound to $1, $2 … as text. BusyError for what a
  /// retry may cure (a serialization failure, a deadlock, a lock or statement timeout, a
  /// lost connection, the server shutting down); StoreError for the rest.
  Result exec(std::string_view sql, const std::vector<Param>& params = {});
  /// Runs one statement like exec, each parameter declared of the type `types` gives
  /// (an OID; 0 lets the server infer it), but a statement that fails comes back as a
  /// failed Result for the caller to read (a user's query), its message free of the
  /// password. A connection lost is still a BusyError.
  Result attempt(std::string_view sql, const std::vector<Param>& params, const std::vector<unsigned>& types);
  /// Runs a script of statements without parameters (a migration), as one request.
  void exec_script(std::string_view sql);

  /// The server's version as libpq gives it: 150018 for 15.18.
  int server_version() const;
  /// The process id of the server backend serving this connection.
  int backend_pid() const;
  /// Whether a transaction is open on the connection (begun and not yet ended).
  bool in_transaction() const;
  /// From now on, appends each statement run to `file`, its values filled in as SQL
  /// literals, one a line ending in ';' (LIAISON_TRACE_SQL): what psql can run again. The
  /// password is never in a statement. nullptr stops it.
  void trace_to(std::FILE* file) { trace_ = file; }
  /// Writes `line` to the trace, if any, and flushes it at once ("-- waiting for a lock").
  void trace_note(const char* line);
  /// Runs `sql` (a ROLLBACK, a CLOSE …) ignoring any failure: for destructors.
  void end_quietly(const std::string& sql) noexcept;
  /// `text` (a server's message) with the connection's password, if it held it, as "***".
  std::string scrubbed(std::string text) const { return scrub(std::move(text), secrets_); }
  /// The URL connected to, its password replaced by "***": what messages show.
  const std::string& shown_url() const { return shown_url_; }

 private:
  [[noreturn]] void fail(pg_result* result, const Message& doing);
  std::unique_ptr<pg_conn, void (*)(pg_conn*)> conn_;
  void trace(std::string_view sql, const std::vector<Param>& params);
  std::string shown_url_;
  std::vector<std::string> secrets_;
  std::FILE* trace_ = nullptr;
};

/// The rows of one query read a batch at a time through a server-side cursor, so a
/// pass over every event never holds them all; other statements may run on the
/// connection between two steps. Outside a transaction it opens a read-only one of its
/// own (REPEATABLE READ: every batch from one snapshot), ended on destruction.
class RowCursor {
 public:
  RowCursor(Connection& c, std::string_view sql, const std::vector<Param>& params = {}, int batch = 2000);
  RowCursor(const RowCursor&) = delete;
  RowCursor& operator=(const RowCursor&) = delete;
  ~RowCursor();
  /// The next row; false at the end.
  bool step();
  bool is_null(int column) const { return batch_->is_null(row_, column); }
  std::string_view text(int column) const { return batch_->text(row_, column); }
  std::int64_t int64(int column) const { return batch_->int64(row_, column); }

 private:
  Connection& c_;
  std::string name_;
  std::string fetch_;
  bool own_transaction_ = false;
  bool done_ = false;
  int batch_size_ = 0;
  std::optional<Result> batch_;
  int row_ = -1;
};

/// The passwords `url` holds (in its user information, or a password= parameter, as
/// written and percent-decoded), for scrubbing from any text shown.
std::vector<std::string> url_secrets(std::string_view url);

/// `text` with every one of `secrets` replaced by "***".
std::string scrub(std::string text, const std::vector<std::string>& secrets);

/// Whether a SQLSTATE names a failure a retry may cure (class 08 connection exceptions,
/// 40001 serialization failure, 40P01 deadlock, 55P03 lock not available, 57014 query
/// cancelled by a timeout, 57P01-57P03 the server shutting down or not yet up).
bool retryable_sqlstate(std::string_view sqlstate);

}  // namespace liaison::pg
