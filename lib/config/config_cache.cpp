#include "config_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <map>
#include <type_traits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>  // NLOHMANN_JSON_PASTE: one statement per listed member

#include "hash.h"

// How the cached Config is written. The key includes kCacheFormat and every struct's
// list of members: bump kCacheFormat when a member changes meaning or type.
namespace {
constexpr const char* kCacheFormat = "3";  // 2: [report] and [remind]; 3: diagnostics as messages
}

namespace liaison {

// The cache is a plain binary image of the Config: numbers as their bytes, strings and
// containers with their size first, each struct as its members in the order listed
// below. Reading it back is a copy, no parse: a JSON or CBOR document tree cost as much
// to build as the TOML parse it replaced. Every list of members, the sizes of the
// number types and the byte order are part of the cache key (see layout()), so an entry
// written by another layout or machine is never read.

/// Bytes being written.
struct Writer {
  std::string out;
  void bytes(const void* data, std::size_t n) { out.append(static_cast<const char*>(data), n); }
};

/// Bytes being read; any read past the end throws, so a cut entry is simply not used.
struct Reader {
  std::string_view in;
  std::size_t pos = 0;
  void bytes(void* data, std::size_t n) {
    if (n > in.size() - pos) throw std::runtime_error("cached config is cut short");
    std::memcpy(data, in.data() + pos, n);
    pos += n;
  }
  std::size_t left() const { return in.size() - pos; }
};

template <typename T>
  requires std::is_arithmetic_v<T>
static void put(Writer& w, T v) {
  w.bytes(&v, sizeof v);
}
template <typename T>
  requires std::is_arithmetic_v<T>
static void get(Reader& r, T& v) {
  r.bytes(&v, sizeof v);
}
template <typename T>
  requires std::is_enum_v<T>
static void put(Writer& w, T v) {
  put(w, static_cast<std::int64_t>(v));
}
template <typename T>
  requires std::is_enum_v<T>
static void get(Reader& r, T& v) {
  std::int64_t n = 0;
  get(r, n);
  v = static_cast<T>(n);
}
static void put(Writer& w, const std::string& s) {
  put(w, static_cast<std::uint64_t>(s.size()));
  w.bytes(s.data(), s.size());
}
static void get(Reader& r, std::string& s) {
  std::uint64_t n = 0;
  get(r, n);
  if (n > r.left()) throw std::runtime_error("cached config is cut short");
  s.resize(n);
  r.bytes(s.data(), n);
}
static void put(Writer& w, const date::sys_days& d) { put(w, d.time_since_epoch().count()); }
static void get(Reader& r, date::sys_days& d) {
  int n = 0;
  get(r, n);
  d = date::sys_days{date::days{n}};
}
// A message by the name of its id (ids are numbered by their place in the catalogue,
// which another build may change) and its values; a name this build does not know makes
// the entry unreadable, so the file is parsed again.
static void put(Writer& w, const Message& m) {
  put(w, m.id().has_value());
  if (!m.id()) return put(w, m.english());  // not keyed: its text
  put(w, std::string(catalogue_entry(*m.id()).name));
  put(w, static_cast<std::uint64_t>(m.args().size()));
  for (const MessageArg& a : m.args()) {
    put(w, a.message != nullptr);
    if (a.message) put(w, *a.message);
    else put(w, a.text);
  }
}
static void get(Reader& r, Message& m) {
  bool keyed = false;
  get(r, keyed);
  std::string text;
  get(r, text);
  if (!keyed) {
    // Every diagnostic is keyed; text that is not cannot be rendered again: parse the file.
    if (!text.empty()) throw std::runtime_error("cached config holds a message without an id");
    m = Message();
    return;
  }
  auto id = message_named(text);
  if (!id) throw std::runtime_error("cached config names an unknown message");
  std::uint64_t n = 0;
  get(r, n);
  if (n > r.left()) throw std::runtime_error("cached config is cut short");
  std::vector<MessageArg> args;
  for (std::uint64_t i = 0; i < n; ++i) {
    bool nested = false;
    get(r, nested);
    if (nested) {
      Message inner;
      get(r, inner);
      args.emplace_back(std::move(inner));
    } else {
      std::string value;
      get(r, value);
      args.emplace_back(std::move(value));
    }
  }
  m = Message(*id, std::move(args));
}
template <typename T> static void put(Writer& w, const std::vector<T>& v);
template <typename T> static void get(Reader& r, std::vector<T>& v);
template <typename T, std::size_t N> static void put(Writer& w, const std::array<T, N>& v);
template <typename T, std::size_t N> static void get(Reader& r, std::array<T, N>& v);
template <typename K, typename V> static void put(Writer& w, const std::map<K, V>& m);
template <typename K, typename V> static void get(Reader& r, std::map<K, V>& m);
template <typename T> static void put(Writer& w, const std::optional<T>& v);
template <typename T> static void get(Reader& r, std::optional<T>& v);

template <typename T>
static void put(Writer& w, const std::vector<T>& v) {
  put(w, static_cast<std::uint64_t>(v.size()));
  for (const auto& item : v) put(w, item);
}
template <typename T>
static void get(Reader& r, std::vector<T>& v) {
  std::uint64_t n = 0;
  get(r, n);
  if (n > r.left()) throw std::runtime_error("cached config is cut short");
  v.resize(n);
  for (auto& item : v) get(r, item);
}
template <typename T, std::size_t N>
static void put(Writer& w, const std::array<T, N>& v) {
  for (const auto& item : v) put(w, item);
}
template <typename T, std::size_t N>
static void get(Reader& r, std::array<T, N>& v) {
  for (auto& item : v) get(r, item);
}
template <typename K, typename V>
static void put(Writer& w, const std::map<K, V>& m) {
  put(w, static_cast<std::uint64_t>(m.size()));
  for (const auto& [k, v] : m) {
    put(w, k);
    put(w, v);
  }
}
template <typename K, typename V>
static void get(Reader& r, std::map<K, V>& m) {
  std::uint64_t n = 0;
  get(r, n);
  if (n > r.left()) throw std::runtime_error("cached config is cut short");
  for (std::uint64_t i = 0; i < n; ++i) {
    K k{};
    V v{};
    get(r, k);
    get(r, v);
    m.emplace(std::move(k), std::move(v));
  }
}
template <typename T>
static void put(Writer& w, const std::optional<T>& v) {
  put(w, v.has_value());
  if (v) put(w, *v);
}
template <typename T>
static void get(Reader& r, std::optional<T>& v) {
  bool present = false;
  get(r, present);
  if (!present) return v.reset();
  T value{};
  get(r, value);
  v = std::move(value);
}

#define LIAISON_CACHE_PUT(member) put(w, v.member);
#define LIAISON_CACHE_GET(member) get(r, v.member);
#define LIAISON_CACHED(Type, ...)                                                      \
  [[maybe_unused]] static void put(Writer& w, const Type& v) {                         \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(LIAISON_CACHE_PUT, __VA_ARGS__))          \
  }                                                                                    \
  [[maybe_unused]] static void get(Reader& r, Type& v) {                               \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(LIAISON_CACHE_GET, __VA_ARGS__))          \
  }                                                                                    \
  constexpr const char* layout_##Type = #Type "(" #__VA_ARGS__ ")";

LIAISON_CACHED(SourcePos, line, column)
LIAISON_CACHED(Diagnostic, severity, file, pos, message, hint)
LIAISON_CACHED(Duration, amount, unit)
LIAISON_CACHED(DayInterval, start, end)
LIAISON_CACHED(Holiday, name, first, last, makeup)
LIAISON_CACHED(CalendarNotice, name, holidays)
LIAISON_CACHED(CalendarOverride, date, work, hours, reason)
LIAISON_CACHED(ZonePeriod, begin, offset)
LIAISON_CACHED(CalendarConfig, timezone, workdays, hours, notices, overrides, zone_periods)
LIAISON_CACHED(Levels, order, names, default_level)
LIAISON_CACHED(Department, id, name, head, members, email, parent, pos)
LIAISON_CACHED(User, id, name, department, roles, clearance, email, login, lang, pos)
LIAISON_CACHED(PerDirection, internal, external)
LIAISON_CACHED(NotifyDuty, to, within, pos)
LIAISON_CACHED(Kind, id, name, name_en, ack, resolve, reply_required, channels, requires_internal, requires_external,
               identity, retention, anonymise_after, notify, receipt, approval, approval_within, explanation_approval, action, pos)
LIAISON_CACHED(Channel, id, name, pos)
LIAISON_CACHED(PartyType, id, name, pos)
LIAISON_CACHED(Topic, id, name, pos)
LIAISON_CACHED(Rule, name, index, when, owner, assignee, notify, escalate, major, approval, pos)
LIAISON_CACHED(Schedule, id, kind, owner, subject, every, day, working_day, weekday, months, due, start, pos)
LIAISON_CACHED(Numbering, external, internal)
LIAISON_CACHED(Organization, name, timezone, top, lang)
LIAISON_CACHED(ReportConfig, complaint_kinds, suggestion_kinds, top_parties, title, form_no, signoff, csv_bom)
LIAISON_CACHED(RemindStep, after, to, pos)
LIAISON_CACHED(RemindConfig, sendmail, from, interval, escalate, timeout_seconds)
LIAISON_CACHED(AccessConfig, trust_declared_user, pos)
using TextLimits = limits::TextLimits;
LIAISON_CACHED(TextLimits, subject, text)
LIAISON_CACHED(AttachmentsConfig, max_size)
LIAISON_CACHED(MailRule, name, index, when, kind, owner, level, pos)
LIAISON_CACHED(MailConfig, address, kind, unknown_kind, channel, quarantine, acknowledge, max_size, rules)
LIAISON_CACHED(Config, path, hash, organization, store_path, store_mode, calendar, levels, departments, users, kinds, channels,
               topics, party_types, rules, schedules, numbering, report, remind, access, limits, attachments, mail, warnings)

namespace {
/// Every struct's list of members, as the cache writes them.
const std::string& layout() {
  static const std::string all = fmt::format("int{} long{} le{} ", sizeof(int), sizeof(long),
                                             std::endian::native == std::endian::little) +
                                 layout_SourcePos + layout_Diagnostic + layout_Duration +
                                 layout_DayInterval + layout_ZonePeriod + layout_Holiday + layout_CalendarNotice + layout_CalendarOverride +
                                 layout_CalendarConfig + layout_Levels + layout_Department + layout_User +
                                 layout_PerDirection + layout_NotifyDuty + layout_Kind + layout_Channel + layout_Topic + layout_PartyType + layout_Rule + layout_Schedule +
                                 layout_Numbering + layout_Organization + layout_ReportConfig + layout_RemindStep +
                                 layout_RemindConfig + layout_TextLimits + layout_AttachmentsConfig + layout_MailRule + layout_MailConfig + layout_Config;
  return all;
}
}  // namespace

std::string config_to_cache(const Config& config) {
  Writer w;
  put(w, config);
  return std::move(w.out);
}

Config config_from_cache(const std::string& bytes) {
  Reader r{bytes};
  Config config;
  get(r, config);
  if (r.left() != 0) throw std::runtime_error("cached config has bytes left over");
  return config;
}

std::string default_config_cache_dir() {
  auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v && *v ? v : "";
  };
  if (!env("LIAISON_NO_CACHE").empty()) return "";
  if (auto xdg = env("XDG_CACHE_HOME"); !xdg.empty()) return xdg + "/liaison";
  if (auto home = env("HOME"); !home.empty()) return home + "/.cache/liaison";
  return "";
}

namespace {
/// The whole file, or nullopt if it cannot be read.
std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return std::nullopt;
  std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) return std::nullopt;
  return bytes;
}

/// Keeps the newest kKeep entries: each edit of a config leaves its old entry behind.
void prune(const std::string& cache_dir) {
  namespace fs = std::filesystem;
  constexpr std::size_t kKeep = 16;
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> entries;
  for (const auto& e : fs::directory_iterator(cache_dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind("config-", 0) == 0 && e.path().extension() == ".bin")
      entries.emplace_back(e.last_write_time(ec), e.path());
  }
  if (entries.size() <= kKeep) return;
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = kKeep; i < entries.size(); ++i) fs::remove(entries[i].second, ec);
}
}  // namespace

Config load_config_cached(const std::string& path, const std::string& cache_dir, int settle_seconds) {
  namespace fs = std::filesystem;
  if (cache_dir.empty()) return load_config(path);
  // The key is the file's identity and its status-change time, as git's index does it:
  // any write to the file (or a rename onto it) changes the inode or the ctime, which no
  // user can set back. Hashing the bytes instead would cost a tenth of a short command.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return load_config(path);  // it reports what is wrong
  std::error_code ec;
  // The store path is resolved against the file's folder: another folder, another entry.
  std::string absolute = fs::absolute(path, ec).lexically_normal().string();
  std::string identity = fmt::format("{}\n{}:{}:{}:{}.{}:{}.{}\n", absolute, st.st_dev, st.st_ino, st.st_size,
                                     st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
  std::string key = sha256_hex(identity + kCacheFormat + '\0' + LIAISON_VERSION + '\0' + layout());
  fs::path entry = fs::path(cache_dir) / ("config-" + key + ".bin");

  if (auto stored = read_file(entry)) {
    try {
      Config config = config_from_cache(*stored);
      config.path = path;  // as given this time
      return config;
    } catch (const std::exception&) {
      // Unreadable or from another layout: parse the file again, below.
    }
  }
  Config config = load_config(path);
  // A file changed within the last seconds may change again within the same clock tick
  // and keep its times ("racy git"): such a file is not cached yet. With no settling time
  // asked for, nothing is compared: a file's times may run a second ahead of time()
  // (the kernel stamps files from a finer clock than the coarse one time() reads).
  auto now = std::time(nullptr);
  if (settle_seconds > 0 && (now - st.st_ctim.tv_sec < settle_seconds || now - st.st_mtim.tv_sec < settle_seconds))
    return config;
  // Write beside, then rename: a reader never sees half an entry.
  fs::create_directories(cache_dir, ec);
  fs::path temporary = entry;
  temporary += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary);
    out << config_to_cache(config);
    if (!out) {
      fs::remove(temporary, ec);
      return config;
    }
  }
  fs::rename(temporary, entry, ec);
  if (ec) fs::remove(temporary, ec);
  prune(cache_dir);
  return config;
}

}  // namespace liaison
