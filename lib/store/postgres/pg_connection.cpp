#include "pg_connection.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "errors.h"
#include "utf8.h"

namespace liaison::pg {
namespace {

/// `s` with its %XX escapes decoded; undecodable ones left as they are.
std::string percent_decoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned value = 0;
    if (s[i] == '%' && i + 2 < s.size() &&
        std::from_chars(s.data() + i + 1, s.data() + i + 3, value, 16).ptr == s.data() + i + 3) {
      out += static_cast<char>(value);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

/// libpq's message for a connection or statement, without its trailing newline.
std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::vector<std::string> url_secrets(std::string_view url) {
  std::vector<std::string> found;
  auto add = [&](std::string_view raw) {
    if (raw.empty()) return;
    found.emplace_back(raw);
    if (std::string decoded = percent_decoded(raw); decoded != raw) found.push_back(std::move(decoded));
  };
  // libpq takes a URI only by these prefixes; anything else is a keyword string.
  const bool is_uri = url.substr(0, 13) == "postgresql://" || url.substr(0, 11) == "postgres://";
  const auto scheme_end = url.find("://");
  if (is_uri) {
    // user:password@ before the host: libpq takes the authority up to the first '/'
    // (a '?' or '#' before the '@' is part of the password), the last '@' in it.
    const std::size_t start = scheme_end + 3;
    std::size_t authority_end = url.find('/', start);
    if (authority_end == std::string_view::npos) authority_end = url.size();
    std::string_view authority = url.substr(start, authority_end - start);
    // libpq ends the user information at the first '@'; a password holding '@' was meant
    // up to the last one: both are hidden.
    for (auto at : {authority.find('@'), authority.rfind('@')}) {
      if (at == std::string_view::npos) continue;
      std::string_view userinfo = authority.substr(0, at);
      if (auto colon = userinfo.find(':'); colon != std::string_view::npos) add(userinfo.substr(colon + 1));
    }
  }
  // password=… among a URI's parameters (up to '&'), or in a keyword string: up to white
  // space, or '…' with \' and \\ escaped inside.
  for (std::size_t pos = url.find("password"); pos != std::string_view::npos; pos = url.find("password", pos + 1)) {
    std::size_t i = pos + 8;
    while (!is_uri && i < url.size() && url[i] == ' ') ++i;
    if (i >= url.size() || url[i] != '=') continue;
    ++i;
    while (!is_uri && i < url.size() && url[i] == ' ') ++i;
    if (!is_uri && i < url.size() && url[i] == '\'') {
      std::string value;
      std::size_t j = i + 1;
      for (; j < url.size() && url[j] != '\''; ++j) {
        if (url[j] == '\\' && j + 1 < url.size()) ++j;
        value += url[j];
      }
      add(url.substr(i + 1, j - i - 1));  // as written, escapes and all
      if (!value.empty() && value != url.substr(i + 1, j - i - 1)) found.push_back(value);
      continue;
    }
    std::size_t end = url.find_first_of(is_uri ? "&" : " \t\n", i);
    if (end == std::string_view::npos) end = url.size();
    add(url.substr(i, end - i));
  }
  // The longest first, so a password holding another is replaced whole.
  std::stable_sort(found.begin(), found.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (std::size_t i = 0; i < found.size(); ++i)  // each once, the first place kept
    found.erase(std::remove(found.begin() + static_cast<std::ptrdiff_t>(i) + 1, found.end(), found[i]), found.end());
  return found;
}

std::string scrub(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets)
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
      text.replace(pos, secret.size(), "***");
  return text;
}

bool retryable_sqlstate(std::string_view s) {
  return s.substr(0, 2) == "08" || s == "40001" || s == "40P01" || s == "55P03" || s == "57014" || s == "57P01" ||
         s == "57P02" || s == "57P03";
}

Result::Result(pg_result* result) : result_(result, PQclear) {}

int Result::rows() const { return PQntuples(result_.get()); }

int Result::columns() const { return PQnfields(result_.get()); }

bool Result::is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }

std::string_view Result::text(int row, int column) const {
  return {PQgetvalue(result_.get(), row, column), static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::int64_t Result::int64(int row, int column) const {
  std::string_view t = text(row, column);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty())
    throw StoreError(msg<Msg::pg_not_an_integer>(std::string(t), column));
  return value;
}

std::string Result::column_name(int column) const { return PQfname(result_.get(), column); }

unsigned Result::column_type(int column) const { return PQftype(result_.get(), column); }

bool Result::failed() const {
  const ExecStatusType status = result_ ? PQresultStatus(result_.get()) : PGRES_FATAL_ERROR;
  return status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK;
}

std::string Result::sqlstate() const {
  const char* state = result_ ? PQresultErrorField(result_.get(), PG_DIAG_SQLSTATE) : nullptr;
  return state ? state : "";
}

std::string Result::error() const {
  const char* primary = result_ ? PQresultErrorField(result_.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  return trimmed(primary);
}

Connection::Connection(const std::string& url) : conn_(nullptr, PQfinish), secrets_(url_secrets(url)) {
  shown_url_ = scrub(url, secrets_);
  // A server that never answers (a dropped packet, a wrong address) is given up after
  // 10 s rather than the system's TCP timeout of minutes, unless the URL or
  // PGCONNECT_TIMEOUT says otherwise: cron jobs must not hang.
  ::setenv("PGCONNECT_TIMEOUT", "10", 0);
  conn_.reset(PQconnectdb(url.c_str()));
  if (!conn_) throw StoreError(msg<Msg::pg_cannot_connect>(shown_url_, std::string("out of memory")));
  if (PQstatus(conn_.get()) == CONNECTION_OK) {
    // The server's notices ("does not exist, skipping" …) are not liaison's to print.
    PQsetNoticeProcessor(conn_.get(), [](void*, const char*) {}, nullptr);
    return;
  }
  const std::string why = scrub(trimmed(PQerrorMessage(conn_.get())), secrets_);
  // Down or not accepting connections now: worth a retry. Up but refusing us (no such
  // user or database, a wrong password) or a malformed URI: not.
  const PGPing ping = PQping(url.c_str());
  if (ping == PQPING_NO_RESPONSE || ping == PQPING_REJECT)
    throw BusyError(msg<Msg::pg_cannot_connect>(shown_url_, why), msg<Msg::pg_server_down_retry>());
  throw StoreError(msg<Msg::pg_cannot_connect>(shown_url_, why), msg<Msg::pg_check_url>());
}

Connection::~Connection() = default;

void Connection::fail(pg_result* result, const Message& doing) {
  Result owned(result);  // freed however this ends
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  std::string why = scrub(trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_.get())), secrets_);
  if (why.empty()) why = scrub(trimmed(PQerrorMessage(conn_.get())), secrets_);
  // A connection gone (no SQLSTATE, the connection bad) is a retry's to cure too.
  if (retryable_sqlstate(sqlstate) || PQstatus(conn_.get()) == CONNECTION_BAD)
    throw BusyError(msg<Msg::pg_statement_failed>(shown_url_, doing, why), msg<Msg::pg_retry>());
  // A constraint or trigger refusing what liaison wrote: the database is not as the
  // history says (a row put in behind liaison's back), as on SQLite.
  throw StoreError(msg<Msg::pg_statement_failed>(shown_url_, doing, why), msg<Msg::run_audit_verify_restore>());
}

void Connection::trace(std::string_view sql, const std::vector<Param>& params) {
  // $N replaced by its value as a literal ('…' with quotes doubled; the server's
  // standard_conforming_strings keeps backslashes as they are), NULL for none.
  std::string line;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    std::size_t j = i + 1;
    while (sql[i] == '$' && j < sql.size() && sql[j] >= '0' && sql[j] <= '9') ++j;
    if (j == i + 1) {
      line += sql[i];
      continue;
    }
    std::size_t n = 0;
    std::from_chars(sql.data() + i + 1, sql.data() + j, n);
    if (n == 0 || n > params.size()) {
      line.append(sql.substr(i, j - i));
    } else if (!params[n - 1]) {
      line += "NULL";
    } else {
      line += '\'';
      for (char c : *params[n - 1]) line += c == '\'' ? std::string("''") : std::string(1, c);
      line += '\'';
    }
    i = j - 1;
  }
  std::fprintf(trace_, "%s;\n", line.c_str());
}

void Connection::trace_note(const char* line) {
  if (!trace_) return;
  std::fprintf(trace_, "%s\n", line);
  std::fflush(trace_);
}

namespace {
/// `text` with each byte that does not begin a valid UTF-8 sequence replaced by U+FFFD.
std::string replacing_invalid_utf8(std::string_view text) {
  std::string out;
  for (auto bad = invalid_utf8_at(text); bad != std::string_view::npos; bad = invalid_utf8_at(text)) {
    out.append(text.substr(0, bad)).append("\xEF\xBF\xBD");
    text.remove_prefix(bad + 1);
  }
  return out.append(text);
}
}  // namespace

Result Connection::exec(std::string_view sql, const std::vector<Param>& params) {
  Result r = attempt(sql, params, {});
  if (r.failed()) fail(r.release(), msg<Msg::pg_doing_statement>());
  return r;
}

Result Connection::attempt(std::string_view sql, const std::vector<Param>& params, const std::vector<unsigned>& types) {
  if (trace_) trace(sql, params);
  // The server refuses text that is not UTF-8 outright; SQLite keeps it. Services write a
  // record's row before the event whose check (check_event_data) refuses such text with
  // its own message and rolls the whole command back: so here it goes as U+FFFD, the
  // check still fails the same way, and nothing is committed on either store.
  std::vector<std::string> replaced;
  replaced.reserve(params.size());
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) {
    // A text value ends at its first NUL for libpq, and the server stores none: refused,
    // before a record could be kept shorter than its history says.
    if (p && p->find('\0') != std::string::npos)
      throw DataError(msg<Msg::pg_text_with_nul>(), msg<Msg::pg_take_nul_out>());
    if (p && invalid_utf8_at(*p) != std::string_view::npos) {
      replaced.push_back(replacing_invalid_utf8(*p));
      values.push_back(replaced.back().c_str());
    } else {
      values.push_back(p ? p->c_str() : nullptr);
    }
  }
  const std::string text(sql);
  pg_result* r = PQexecParams(conn_.get(), text.c_str(), static_cast<int>(values.size()),
                              types.empty() ? nullptr : types.data(), values.data(), nullptr, nullptr, 0);
  const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK &&
      (!r || PQstatus(conn_.get()) == CONNECTION_BAD))
    fail(r, msg<Msg::pg_doing_statement>());
  return Result(r);
}

void Connection::exec_script(std::string_view sql) {
  const std::string text(sql);
  pg_result* r = PQexec(conn_.get(), text.c_str());
  const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, msg<Msg::pg_doing_script>());
  PQclear(r);
}

int Connection::server_version() const { return PQserverVersion(conn_.get()); }

int Connection::backend_pid() const { return PQbackendPID(conn_.get()); }
bool Connection::in_transaction() const { return PQtransactionStatus(conn_.get()) != PQTRANS_IDLE; }
void Connection::end_quietly(const std::string& sql) noexcept {
  if (PQstatus(conn_.get()) != CONNECTION_OK) return;
  if (trace_) std::fprintf(trace_, "%s;\n", sql.c_str());
  PQclear(PQexec(conn_.get(), sql.c_str()));
}

RowCursor::RowCursor(Connection& c, std::string_view sql, const std::vector<Param>& params, int batch) : c_(c) {
  // Names unique on the connection: cursors may be open side by side (a merge).
  static thread_local std::uint64_t counter = 0;
  name_ = "liaison_rows_" + std::to_string(++counter);
  batch_size_ = batch;
  fetch_ = "FETCH " + std::to_string(batch) + " FROM " + name_;
  if (!c_.in_transaction()) {
    c_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    own_transaction_ = true;
  }
  try {
    c_.exec("DECLARE " + name_ + " NO SCROLL CURSOR FOR " + std::string(sql), params);
  } catch (...) {
    if (own_transaction_) c_.end_quietly("ROLLBACK");
    throw;
  }
}

RowCursor::~RowCursor() {
  // A transaction of our own ends with the cursor; in the caller's, only the cursor does
  // (unless the transaction has failed, when the caller's rollback ends both).
  if (own_transaction_) c_.end_quietly("COMMIT");
  else c_.end_quietly("CLOSE " + name_);
}

bool RowCursor::step() {
  if (batch_ && row_ + 1 < batch_->rows()) {
    ++row_;
    return true;
  }
  if (done_) return false;
  batch_.emplace(c_.exec(fetch_));
  row_ = 0;
  done_ = batch_->rows() < batch_size_;  // a short batch is the last
  if (batch_->rows() == 0) {
    done_ = true;
    return false;
  }
  return true;
}

}  // namespace liaison::pg
