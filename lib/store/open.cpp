// open_store: the one way to open a store, by the scheme of its URL (lib/store/store.h).
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "errors.h"
#include "pg_connection.h"
#include "store_copy.h"
#include "report_queries.h"
#include "sqlite_store.h"
#include "store.h"

namespace liaison {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";

/// The scheme of "SCHEME://…" (RFC 3986: a letter, then letters, digits, '+', '-', '.'),
/// lower-cased; nullopt when `url` does not start like that (a file path).
std::optional<std::string> url_scheme(std::string_view url) {
  auto end = url.find("://");
  if (end == std::string_view::npos || end == 0) return std::nullopt;
  std::string scheme;
  for (std::size_t i = 0; i < end; ++i) {
    auto c = static_cast<unsigned char>(url[i]);
    bool ok = std::isalpha(c) || (i > 0 && (std::isdigit(c) || c == '+' || c == '-' || c == '.'));
    if (!ok) return std::nullopt;
    scheme += static_cast<char>(std::tolower(c));
  }
  return scheme;
}

}  // namespace

std::optional<std::string> sqlite_path(const std::string& url) {
  if (url.compare(0, kSqlitePrefix.size(), kSqlitePrefix) == 0) return url.substr(kSqlitePrefix.size());
  if (url_scheme(url)) return std::nullopt;
  return url;
}

std::string redact_url(const std::string& url) {
  std::string out = url;
  auto start = out.find("://");
  if (start == std::string::npos) return out;
  start += 3;
  // user:password@ in the authority (up to the first '/', '?' or '#'; the last '@' in it).
  auto authority_end = out.find_first_of("/?#", start);
  if (authority_end == std::string::npos) authority_end = out.size();
  auto at = out.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
  if (at != std::string::npos && at >= start) {
    auto colon = out.find(':', start);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  // password=… among the parameters (libpq accepts it there too).
  for (auto pos = out.find('?'); pos != std::string::npos;) {
    auto key = pos + 1;
    auto end = out.find('&', key);
    std::string_view param(out.data() + key, (end == std::string::npos ? out.size() : end) - key);
    if (param.substr(0, 9) == "password=") {
      out.replace(key + 9, param.size() - 9, "***");
      end = out.find('&', key);
    }
    pos = end;
  }
  // And wherever else libpq would find one (a '?' in the password, a keyword string).
  return pg::scrub(out, pg::url_secrets(url));
}

std::unique_ptr<Store> open_store(const std::string& url, OpenMode mode) {
  if (auto path = sqlite_path(url)) return open_sqlite_store(*path, mode);
  std::string scheme = *url_scheme(url);
  // libpq reads a URI only by its lower-case prefix.
  if (scheme == "postgresql" || scheme == "postgres") return open_pg_store_with_backup(scheme + url.substr(scheme.size()), mode);
  throw UsageError(msg<Msg::unknown_store_scheme>(scheme, redact_url(url)), msg<Msg::give_sqlite_database>());
}

[[noreturn]] void throw_missing_capability(const Store& store, const Message& what) {
  std::string url = redact_url(store.url());
  throw StoreError(url.empty() ? msg<Msg::store_cannot>(what) : msg<Msg::store_url_cannot>(url, what),
                   msg<Msg::open_store_that_can>());
}

std::unique_ptr<ReportSnapshot> Store::report_snapshot(SecondReader) { return nullptr; }

}  // namespace liaison
