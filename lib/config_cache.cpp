#include "config_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>

#include "hash.h"

// How the cached Config is written. The key includes kCacheFormat: bump it whenever a
// struct below changes meaning (a new or renamed member already fails to read back, and
// then the file is simply parsed again).
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

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SourcePos, line, column)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Diagnostic, severity, file, pos, message, hint)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Duration, amount, unit)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DayInterval, start, end)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Holiday, name, first, last, makeup)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CalendarNotice, name, holidays)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CalendarOverride, date, work, hours, reason)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CalendarConfig, timezone, workdays, hours, notices, overrides)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Levels, order, names, default_level)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Department, id, name, head, members, email, parent, pos)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(User, id, name, department, roles, clearance, email, pos)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PerDirection, internal, external)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Kind, id, name, name_en, ack, resolve, reply_required, channels, requires_internal,
                                   requires_external, identity, retention, pos)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Channel, id, name, pos)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PartyType, id, name, pos)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Rule, name, index, when, owner, assignee, notify, escalate, major, pos)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Numbering, external, internal)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Organization, name, timezone, top)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Config, path, hash, organization, store_path, calendar, levels, departments, users,
                                   kinds, channels, party_types, rules, numbering, warnings)

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

Config load_config_cached(const std::string& path, const std::string& cache_dir) {
  namespace fs = std::filesystem;
  if (cache_dir.empty()) return load_config(path);
  auto read = read_file(path);
  if (!read) return load_config(path);  // it reports the file it cannot read
  const std::string& text = *read;
  std::error_code ec;
  // The store path is resolved against the file's folder, so the same bytes elsewhere
  // are another entry.
  std::string absolute = fs::absolute(path, ec).lexically_normal().string();
  std::string key = sha256_hex(absolute + '\0' + sha256_hex(text) + '\0' + kCacheFormat + '\0' + LIAISON_VERSION);
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
  Config config = parse_config(text, path);
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
