#include "config_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hash.h"

// How the cached Config is written. The key includes kCacheFormat and every struct's
// list of members: bump kCacheFormat when a member changes meaning or type.
namespace {
constexpr const char* kCacheFormat = "1";
}

namespace nlohmann {
// Dates as day numbers since 1970-01-01 (sys_days is a std::chrono type: no ADL here).
template <>
struct adl_serializer<date::sys_days> {
  static void to_json(json& j, const date::sys_days& d) { j = d.time_since_epoch().count(); }
  static void from_json(const json& j, date::sys_days& d) { d = date::sys_days{date::days{j.get<int>()}}; }
};

template <typename T>
struct adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& v) {
    if (v) j = *v;
    else j = nullptr;
  }
  static void from_json(const json& j, std::optional<T>& v) {
    if (j.is_null()) v.reset();
    else v = j.get<T>();
  }
};
}  // namespace nlohmann

namespace liaison {

// Each struct is written as an array of its members, in the order listed: reading
// arrays back builds no maps, which made an object-per-struct cache cost as much as the
// TOML parse it replaces. Every list of members is also part of the cache key (see
// layout()), so reordering or renaming members can never read an old entry wrongly.
#define LIAISON_CACHE_TO(member) j.push_back(v.member);
#define LIAISON_CACHE_FROM(member) j.at(i++).get_to(v.member);
#define LIAISON_CACHED(Type, ...)                                                             \
  inline void to_json(nlohmann::json& j, const Type& v) {                                     \
    j = nlohmann::json::array();                                                              \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(LIAISON_CACHE_TO, __VA_ARGS__))                  \
  }                                                                                           \
  inline void from_json(const nlohmann::json& j, Type& v) {                                   \
    std::size_t i = 0;                                                                        \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(LIAISON_CACHE_FROM, __VA_ARGS__))                \
    if (i != j.size()) throw std::runtime_error("cached " #Type " has another layout");       \
  }                                                                                           \
  [[maybe_unused]] constexpr const char* layout_##Type = #Type "(" #__VA_ARGS__ ")";

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
LIAISON_CACHED(User, id, name, department, roles, clearance, email, pos)
LIAISON_CACHED(PerDirection, internal, external)
LIAISON_CACHED(Kind, id, name, name_en, ack, resolve, reply_required, channels, requires_internal, requires_external,
               identity, retention, pos)
LIAISON_CACHED(Channel, id, name, pos)
LIAISON_CACHED(PartyType, id, name, pos)
LIAISON_CACHED(Rule, name, index, when, owner, assignee, notify, escalate, major, pos)
LIAISON_CACHED(Numbering, external, internal)
LIAISON_CACHED(Organization, name, timezone, top)
LIAISON_CACHED(Config, path, hash, organization, store_path, calendar, levels, departments, users, kinds, channels,
               party_types, rules, numbering, warnings)

namespace {
/// Every struct's list of members, as the cache writes them.
const std::string& layout() {
  static const std::string all = std::string(layout_SourcePos) + layout_Diagnostic + layout_Duration +
                                 layout_DayInterval + layout_ZonePeriod + layout_Holiday + layout_CalendarNotice + layout_CalendarOverride +
                                 layout_CalendarConfig + layout_Levels + layout_Department + layout_User +
                                 layout_PerDirection + layout_Kind + layout_Channel + layout_PartyType + layout_Rule +
                                 layout_Numbering + layout_Organization + layout_Config;
  return all;
}
}  // namespace

// CBOR rather than JSON text: it reads back in about half the time.
std::string config_to_cache(const Config& config) {
  auto bytes = nlohmann::json::to_cbor(nlohmann::json(config));
  return {bytes.begin(), bytes.end()};
}

Config config_from_cache(const std::string& bytes) { return nlohmann::json::from_cbor(bytes).get<Config>(); }

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
    if (name.rfind("config-", 0) == 0 && e.path().extension() == ".cbor")
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
  fs::path entry = fs::path(cache_dir) / ("config-" + key + ".cbor");

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
  // and keep its times ("racy git"): such a file is not cached yet.
  auto now = std::time(nullptr);
  if (now - st.st_ctim.tv_sec < settle_seconds || now - st.st_mtim.tv_sec < settle_seconds) return config;
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
