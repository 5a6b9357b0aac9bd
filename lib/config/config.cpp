// Reads liaison.toml into a validated Config. Every problem is collected as a Diagnostic
// with the file, line and column of the offending value, and all of them are reported at
// once in one ConfigError.
#include "config.h"
#include "hash.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <date/tz.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

namespace liaison {
namespace {

namespace fs = std::filesystem;

/// A string value and where it was written.
struct Located {
  std::string text;
  SourcePos pos;
};

SourcePos pos_of(const toml::source_region& region) {
  return {static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}
SourcePos pos_of(const toml::node& node) { return pos_of(node.source()); }
SourcePos pos_of(const toml::key& key) { return pos_of(key.source()); }

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "nothing";
  }
}

/// "a, b, c" (at most `max` items, then "…").
std::string join_list(const std::vector<std::string>& items, std::size_t max = 10) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i) {
    if (i) out += ", ";
    out += items[i];
  }
  if (items.size() > max) out += ", …";
  return out;
}

std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len && i + static_cast<std::size_t>(k) < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

/// Optimal-string-alignment (Damerau–Levenshtein) distance over code points.
std::size_t edit_distance(std::string_view a_text, std::string_view b_text) {
  const auto a = code_points(a_text), b = code_points(b_text);
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::optional<int> parse_int(std::string_view s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

/// "YYYY-MM-DD" that names a real date.
std::optional<date::sys_days> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = parse_int(s.substr(0, 4)), m = parse_int(s.substr(5, 2)), d = parse_int(s.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)}, date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days(ymd);
}

std::string format_date(date::sys_days d) { return date::format("%F", d); }

/// "H:MM" or "HH:MM" as minutes from midnight; 24:00 only when `end`.
std::optional<int> parse_clock(std::string_view s, bool end) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon < 1 || colon > 2 || s.size() - colon - 1 != 2) return std::nullopt;
  auto h = parse_int(s.substr(0, colon)), m = parse_int(s.substr(colon + 1));
  if (!h || !m || *m > 59 || *h > 24) return std::nullopt;
  if (*h == 24 && (*m != 0 || !end)) return std::nullopt;
  return *h * 60 + *m;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// "HH:MM-HH:MM" → interval (end may be before start; the caller checks).
std::optional<DayInterval> parse_range(std::string_view s) {
  auto dash = s.find('-');
  if (dash == std::string_view::npos || s.find('-', dash + 1) != std::string_view::npos) return std::nullopt;
  auto start = parse_clock(trim(s.substr(0, dash)), false);
  auto end = parse_clock(trim(s.substr(dash + 1)), true);
  if (!start || !end) return std::nullopt;
  return DayInterval{*start, *end};
}

constexpr std::array<std::string_view, 7> kWeekdays{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr std::array<std::string_view, 7> kWeekdaysLong{"sunday", "monday", "tuesday", "wednesday",
                                                        "thursday", "friday", "saturday"};

/// "3y", "6m" (months), "90d", or "permanent".
bool valid_retention(std::string_view s) {
  if (s == "permanent") return true;
  std::size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 0 || i > 6) return false;
  auto unit = s.substr(i);
  return unit == "y" || unit == "m" || unit == "d";
}

/// True if `s` is usable as an id: letters, digits, '.', '_' and '-', not starting with punctuation.
bool valid_id(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

std::vector<std::string> strings_of(std::initializer_list<std::string_view> list) {
  return {list.begin(), list.end()};
}

const std::vector<std::string> kTopKeys = strings_of(
    {"organization", "store", "calendar", "levels", "department", "user", "channel", "party_type", "kind",
     "rule", "numbering", "report", "remind"});
const std::vector<std::string> kWhenKeys = strings_of(
    {"direction", "kind", "party_type", "party", "channel", "flow", "level", "from_dept", "major"});
const std::vector<std::string> kRoles = strings_of({"staff", "head", "admin", "auditor", "top", "grievance"});
const std::vector<std::string> kIdentity = strings_of({"optional", "required", "none"});
const std::vector<std::string> kRequirable = strings_of(
    {"party", "channel", "from_dept", "flow", "subject", "body", "level", "assignee", "identity"});

/// What a reference must name.
enum class RefType { department, user, kind, channel, party_type, level };

/// A reference to an id defined elsewhere in the file, checked once everything is read.
struct Ref {
  RefType type;
  Located value;
  std::string where;
};

/// Collects diagnostics and reads typed values out of toml++ tables.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  void error(SourcePos pos, std::string message, std::string hint = {}) {
    add(Diagnostic::Severity::error, pos, std::move(message), std::move(hint));
  }
  void warning(SourcePos pos, std::string message, std::string hint = {}) {
    add(Diagnostic::Severity::warning, pos, std::move(message), std::move(hint));
  }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

  /// "did you mean …?" or, failing that, `otherwise`.
  static std::string suggest(std::string_view word, const std::vector<std::string>& candidates,
                             std::string otherwise) {
    if (auto s = did_you_mean(word, candidates)) return "did you mean " + in_quotes(*s) + "?";
    return otherwise;
  }

  /// Reports every key of `table` that is not in `known`.
  void check_keys(const toml::table& table, const std::vector<std::string>& known, const std::string& where) {
    for (auto&& [key, value] : table) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
      error(pos_of(key), where + ": unknown key " + in_quotes(key.str()),
            suggest(key.str(), known, "known keys: " + join_list(known, 20)));
    }
  }

  void type_error(const toml::node& node, const std::string& where, std::string_view expected,
                  std::string hint) {
    error(pos_of(node), where + ": expected " + std::string(expected) + ", got " + std::string(type_name(node)),
          std::move(hint));
  }

  std::optional<Located> string(const toml::node& node, const std::string& where, std::string_view key) {
    if (auto s = node.as_string()) return Located{s->get(), pos_of(node)};
    type_error(node, where, "a string", "put the value in quotes: " + std::string(key) + " = \"…\"");
    return std::nullopt;
  }
  std::optional<Located> string(const toml::table& table, std::string_view key, const std::string& where) {
    const toml::node* node = table.get(key);
    if (!node) return std::nullopt;
    return string(*node, where + " " + std::string(key), key);
  }

  std::optional<bool> boolean(const toml::table& table, std::string_view key, const std::string& where) {
    const toml::node* node = table.get(key);
    if (!node) return std::nullopt;
    if (auto b = node->as_boolean()) return b->get();
    type_error(*node, where + " " + std::string(key), "a boolean",
               "write " + std::string(key) + " = true or " + std::string(key) + " = false");
    return std::nullopt;
  }

  /// An array of strings; wrong elements are reported and skipped.
  std::optional<std::vector<Located>> strings(const toml::node& node, const std::string& where, std::string_view key) {
    const toml::array* array = node.as_array();
    if (!array) {
      type_error(node, where, "an array of strings", "write " + std::string(key) + " = [\"…\", \"…\"]");
      return std::nullopt;
    }
    std::vector<Located> out;
    for (const toml::node& element : *array) {
      if (auto s = element.as_string()) out.push_back({s->get(), pos_of(element)});
      else type_error(element, where, "a string", "put each value in quotes");
    }
    return out;
  }
  std::optional<std::vector<Located>> strings(const toml::table& table, std::string_view key, const std::string& where) {
    const toml::node* node = table.get(key);
    if (!node) return std::nullopt;
    return strings(*node, where + " " + std::string(key), key);
  }

  /// A (standard or inline) table under `key`.
  const toml::table* table(const toml::table& parent, std::string_view key, const std::string& where) {
    const toml::node* node = parent.get(key);
    if (!node) return nullptr;
    if (auto t = node->as_table()) return t;
    type_error(*node, where + " " + std::string(key), "a table",
               "write [" + std::string(key) + "] or " + std::string(key) + " = { … }");
    return nullptr;
  }

  /// The tables of an array of tables ([[key]]).
  std::vector<const toml::table*> tables(const toml::table& parent, std::string_view key, const std::string& where) {
    std::vector<const toml::table*> out;
    const toml::node* node = parent.get(key);
    if (!node) return out;
    const toml::array* array = node->as_array();
    if (!array) {
      type_error(*node, where, "an array of tables", "write [[" + std::string(key) + "]] before each entry");
      return out;
    }
    for (const toml::node& element : *array) {
      if (auto t = element.as_table()) out.push_back(t);
      else type_error(element, where, "a table", "write { key = value, … } for each entry");
    }
    return out;
  }

  /// A date written as "YYYY-MM-DD" or as a bare TOML date.
  std::optional<date::sys_days> date_value(const toml::node& node, const std::string& where) {
    if (auto s = node.as_string()) {
      if (auto d = parse_date(s->get())) return d;
      error(pos_of(node), where + ": malformed date " + in_quotes(s->get()), "write a real date as YYYY-MM-DD, e.g. \"2026-10-01\"");
      return std::nullopt;
    }
    if (auto d = node.as_date()) {
      const toml::date& v = d->get();
      date::year_month_day ymd{date::year{v.year}, date::month{v.month}, date::day{v.day}};
      if (ymd.ok()) return date::sys_days(ymd);
      error(pos_of(node), where + ": malformed date", "write a real date as YYYY-MM-DD");
      return std::nullopt;
    }
    type_error(node, where, "a date", "write a date as \"YYYY-MM-DD\"");
    return std::nullopt;
  }

  /// A duration ("3wd") from a string node.
  std::optional<Duration> duration(const toml::node& node, const std::string& where) {
    auto s = string(node, where, where.substr(where.rfind(' ') + 1));
    if (!s) return std::nullopt;
    if (auto d = Duration::parse(s->text)) return d;
    error(s->pos, where + ": malformed duration " + in_quotes(s->text),
          "write a number and a unit: 30m, 24h, 2d (calendar time), 8wh (working hours) or 3wd (working days)");
    return std::nullopt;
  }

  /// A list of "HH:MM-HH:MM" ranges, sorted, checked for order and overlap.
  std::optional<std::vector<DayInterval>> hours(const toml::table& table, std::string_view key, const std::string& where_prefix) {
    auto list = strings(table, key, where_prefix);
    if (!list) return std::nullopt;
    const std::string where = where_prefix + " " + std::string(key);
    struct Item {
      DayInterval interval;
      Located text;
    };
    std::vector<Item> items;
    bool ok = true;
    for (const Located& text : *list) {
      auto range = parse_range(text.text);
      if (!range) {
        error(text.pos, where + ": malformed time range " + in_quotes(text.text),
              "write HH:MM-HH:MM with hours 00-24 and minutes 00-59, e.g. \"09:00-12:30\"");
        ok = false;
      } else if (range->end <= range->start) {
        error(text.pos, where + ": time range " + in_quotes(text.text) + " ends before it starts",
              "write the earlier time first; a range cannot cross midnight");
        ok = false;
      } else {
        items.push_back({*range, text});
      }
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const Item& a, const Item& b) { return a.interval.start < b.interval.start; });
    std::vector<DayInterval> out;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0 && items[i].interval.start < items[i - 1].interval.end) {
        const Item& later = items[i].text.pos.line > items[i - 1].text.pos.line ||
                                    (items[i].text.pos.line == items[i - 1].text.pos.line &&
                                     items[i].text.pos.column > items[i - 1].text.pos.column)
                                ? items[i] : items[i - 1];
        const Item& other = &later == &items[i] ? items[i - 1] : items[i];
        error(later.text.pos, where + ": time range " + in_quotes(later.text.text) + " overlaps " + in_quotes(other.text.text),
              "make the intervals disjoint or merge them");
        ok = false;
        continue;
      }
      out.push_back(items[i].interval);
    }
    if (!ok) return std::nullopt;
    return out;
  }

 private:
  void add(Diagnostic::Severity severity, SourcePos pos, std::string message, std::string hint) {
    Diagnostic d;
    d.severity = severity;
    d.file = file_;
    d.pos = pos;
    d.message = std::move(message);
    d.hint = std::move(hint);
    diagnostics_.push_back(std::move(d));
  }

  std::string file_;
  std::vector<Diagnostic> diagnostics_;
};

/// Reads and validates one file's worth of TOML into a Config.
class ConfigParser {
 public:
  ConfigParser(Config& config, Reader& reader) : config_(config), reader_(reader) {}

  void parse(const toml::table& root) {
    reader_.check_keys(root, kTopKeys, "top level");
    read_organization(root);
    read_store(root);
    read_calendar(root);
    read_levels(root);
    read_departments(root);
    read_users(root);
    read_channels(root);
    read_party_types(root);
    read_kinds(root);
    read_rules(root);
    read_numbering(root);
    read_report(root);
    read_remind(root);
    resolve_refs();
    if (!config_.departments.empty() && config_.organization.top.empty())
      reader_.warning(organization_pos_, "[organization] top is not set: major records have no one to escalate to",
                      "set top = \"…\" to the department of top management");
    check_department_cycles();
    check_rules();
  }

 private:
  void ref(RefType type, Located value, std::string where) { refs_.push_back({type, std::move(value), std::move(where)}); }

  /// Reads the id of an entity table and checks it for format and duplicates.
  /// `duplicate` is set when the id was already used (the entry is then checked but not kept).
  std::optional<std::string> read_id(const toml::table& table, std::string_view entity, std::size_t number,
                                     std::map<std::string, SourcePos>& seen, bool& duplicate) {
    duplicate = false;
    const std::string where = "[[" + std::string(entity) + "]] #" + std::to_string(number);
    auto id = reader_.string(table, "id", where);
    if (!id) {
      if (!table.get("id"))
        reader_.error(pos_of(table), where + ": missing id", "add id = \"…\"");
      return std::nullopt;
    }
    if (!valid_id(id->text)) {
      reader_.error(id->pos, where + ": invalid id " + in_quotes(id->text),
                    "use letters, digits, '.', '_' and '-', starting with a letter or digit");
      return std::nullopt;
    }
    auto [it, inserted] = seen.emplace(id->text, id->pos);
    if (!inserted) {
      duplicate = true;
      reader_.error(id->pos, "duplicate " + std::string(entity) + " id " + in_quotes(id->text),
                    "first defined at line " + std::to_string(it->second.line) + "; give each " +
                        std::string(entity) + " its own id");
    }
    return id->text;
  }

  void read_organization(const toml::table& root) {
    const std::string where = "[organization]";
    const toml::table* table = reader_.table(root, "organization", "top level");
    if (!table) return;
    organization_pos_ = pos_of(*table);
    reader_.check_keys(*table, strings_of({"name", "timezone", "top"}), where);
    if (auto v = reader_.string(*table, "name", where)) config_.organization.name = v->text;
    if (auto v = reader_.string(*table, "timezone", where)) {
      try {
        zone_periods_ = zone_periods(v->text);
        config_.organization.timezone = v->text;
      } catch (const std::exception&) {
        std::vector<std::string> zones;
        try {
          const auto& db = date::get_tzdb();
          for (const auto& zone : db.zones) zones.emplace_back(zone.name());
        } catch (const std::exception&) {
        }
        reader_.error(v->pos, where + " timezone: unknown time zone " + in_quotes(v->text),
                      Reader::suggest(v->text, zones, "use an IANA zone name such as \"Asia/Shanghai\""));
      }
    }
    if (auto v = reader_.string(*table, "top", where)) {
      config_.organization.top = v->text;
      ref(RefType::department, *v, where + " top");
    }
  }

  void read_store(const toml::table& root) {
    std::string store = "records.db";
    if (const toml::table* table = reader_.table(root, "store", "top level")) {
      reader_.check_keys(*table, strings_of({"path"}), "[store]");
      if (auto v = reader_.string(*table, "path", "[store]")) {
        if (v->text.empty()) reader_.error(v->pos, "[store] path: empty path", "write path = \"records.db\"");
        else store = v->text;
      }
    }
    fs::path p(store);
    if (store.starts_with("~/")) {
      if (const char* home = std::getenv("HOME")) p = fs::path(home) / store.substr(2);
    }
    if (p.is_relative()) {
      std::error_code ec;
      fs::path base = fs::absolute(fs::path(config_.path), ec).parent_path();
      p = base / p;
    }
    config_.store_path = p.lexically_normal().string();
  }

  void read_calendar(const toml::table& root) {
    CalendarConfig& cal = config_.calendar;
    cal.workdays = {false, true, true, true, true, true, false};
    cal.hours = {{9 * 60, 17 * 60}};
    const std::string where = "[calendar]";
    const toml::table* table = reader_.table(root, "calendar", "top level");
    if (table) {
      reader_.check_keys(*table, strings_of({"workdays", "hours", "notice", "override"}), where);
      if (auto days = reader_.strings(*table, "workdays", where)) {
        cal.workdays = {};
        std::vector<std::string> names(kWeekdays.begin(), kWeekdays.end());
        names.insert(names.end(), kWeekdaysLong.begin(), kWeekdaysLong.end());
        for (const Located& day : *days) {
          auto it = std::find(kWeekdays.begin(), kWeekdays.end(), day.text);
          auto it_long = std::find(kWeekdaysLong.begin(), kWeekdaysLong.end(), day.text);
          if (it != kWeekdays.end()) cal.workdays[static_cast<std::size_t>(it - kWeekdays.begin())] = true;
          else if (it_long != kWeekdaysLong.end())
            cal.workdays[static_cast<std::size_t>(it_long - kWeekdaysLong.begin())] = true;
          else
            reader_.error(day.pos, where + " workdays: unknown weekday " + in_quotes(day.text),
                          Reader::suggest(day.text, names, "use mon, tue, wed, thu, fri, sat or sun"));
        }
      }
      if (auto hours = reader_.hours(*table, "hours", where)) {
        if (hours->empty())
          reader_.error(pos_of(*table->get("hours")), where + " hours: no working hours",
                        "give at least one range, e.g. [\"09:00-17:00\"]");
        else
          cal.hours = *hours;
      }
      std::size_t n = 0;
      for (const toml::table* notice : reader_.tables(*table, "notice", where + " notice"))
        read_notice(*notice, ++n);
      n = 0;
      std::map<date::sys_days, SourcePos> override_dates;
      for (const toml::table* entry : reader_.tables(*table, "override", where + " override"))
        read_override(*entry, ++n, override_dates);
    }
    cal.timezone = config_.organization.timezone;
    if (zone_periods_.empty()) {  // no timezone given: the default zone
      try {
        zone_periods_ = zone_periods(cal.timezone);
      } catch (const std::exception&) {
      }
    }
    cal.zone_periods = zone_periods_;
  }

  void read_notice(const toml::table& table, std::size_t number) {
    std::string where = "[[calendar.notice]] #" + std::to_string(number);
    reader_.check_keys(table, strings_of({"name", "holidays"}), where);
    CalendarNotice notice;
    if (auto v = reader_.string(table, "name", where)) {
      notice.name = v->text;
      where = "calendar notice " + in_quotes(v->text);
    }
    std::size_t n = 0;
    for (const toml::table* holiday_table : reader_.tables(table, "holidays", where + " holidays")) {
      ++n;
      const toml::table& h = *holiday_table;
      std::string hwhere = where + " holiday #" + std::to_string(n);
      reader_.check_keys(h, strings_of({"name", "rest", "makeup"}), hwhere);
      Holiday holiday;
      if (auto v = reader_.string(h, "name", hwhere)) {
        holiday.name = v->text;
        hwhere = "holiday " + in_quotes(v->text);
      }
      bool ok = true;
      const toml::node* rest = h.get("rest");
      if (!rest) {
        reader_.error(pos_of(h), hwhere + ": missing rest", "write rest = [\"first day\", \"last day\"]");
        ok = false;
      } else if (const toml::array* range = rest->as_array(); !range || range->empty() || range->size() > 2) {
        reader_.error(pos_of(*rest), hwhere + " rest: expected [\"first day\", \"last day\"]",
                      "write rest = [\"YYYY-MM-DD\", \"YYYY-MM-DD\"] (inclusive)");
        ok = false;
      } else {
        auto first = reader_.date_value(*range->get(0), hwhere + " rest");
        auto last = reader_.date_value(*range->get(range->size() - 1), hwhere + " rest");
        if (!first || !last) {
          ok = false;
        } else if (*last < *first) {
          reader_.error(pos_of(*range->get(range->size() - 1)),
                        hwhere + ": rest range ends (" + format_date(*last) + ") before it starts (" +
                            format_date(*first) + ")",
                        "write the first rest day first");
          ok = false;
        } else {
          holiday.first = *first;
          holiday.last = *last;
        }
      }
      if (const toml::node* makeup = h.get("makeup")) {
        if (const toml::array* days = makeup->as_array()) {
          for (const toml::node& day : *days) {
            auto d = reader_.date_value(day, hwhere + " makeup");
            if (!d) continue;
            date::weekday wd{*d};
            if (wd != date::Saturday && wd != date::Sunday) {
              reader_.error(pos_of(day),
                            hwhere + " makeup: " + format_date(*d) + " is a " + date::format("%A", wd) +
                                ", not a weekend day",
                            "调休上班 days fall on a Saturday or Sunday; check the notice");
              continue;
            }
            holiday.makeup.push_back(*d);
          }
        } else {
          reader_.type_error(*makeup, hwhere + " makeup", "an array of dates", "write makeup = [\"YYYY-MM-DD\"] or makeup = []");
        }
      }
      if (ok) notice.holidays.push_back(std::move(holiday));
    }
    config_.calendar.notices.push_back(std::move(notice));
  }

  void read_override(const toml::table& table, std::size_t number, std::map<date::sys_days, SourcePos>& seen) {
    std::string where = "[[calendar.override]] #" + std::to_string(number);
    reader_.check_keys(table, strings_of({"date", "work", "hours", "reason"}), where);
    CalendarOverride entry;
    const toml::node* date_node = table.get("date");
    if (!date_node) {
      reader_.error(pos_of(table), where + ": missing date", "add date = \"YYYY-MM-DD\"");
      return;
    }
    auto day = reader_.date_value(*date_node, where + " date");
    if (!day) return;
    entry.date = *day;
    where = "calendar override " + format_date(*day);
    if (auto [it, inserted] = seen.emplace(*day, pos_of(*date_node)); !inserted)
      reader_.error(pos_of(*date_node), where + ": date overridden twice",
                    "first at line " + std::to_string(it->second.line) + "; keep one override per date");
    if (auto work = reader_.boolean(table, "work", where)) entry.work = *work;
    if (auto v = reader_.string(table, "reason", where)) entry.reason = v->text;
    if (const toml::node* hours_node = table.get("hours")) {
      auto hours = reader_.hours(table, "hours", where);
      if (hours && !entry.work)
        reader_.error(pos_of(*hours_node), where + ": hours given for a day off",
                      "set work = true, or remove hours");
      else if (hours)
        entry.hours = *hours;
    }
    config_.calendar.overrides.push_back(std::move(entry));
  }

  void read_levels(const toml::table& root) {
    Levels& levels = config_.levels;
    const std::string where = "[levels]";
    const toml::table* table = reader_.table(root, "levels", "top level");
    std::optional<Located> default_level;
    if (table) {
      reader_.check_keys(*table, strings_of({"order", "names", "default"}), where);
      if (auto order = reader_.strings(*table, "order", where)) {
        std::vector<std::string> ids;
        for (const Located& id : *order) {
          if (std::find(ids.begin(), ids.end(), id.text) != ids.end())
            reader_.error(id.pos, where + " order: level " + in_quotes(id.text) + " listed twice", "list each level once");
          else if (!valid_id(id.text))
            reader_.error(id.pos, where + " order: invalid level id " + in_quotes(id.text),
                          "use letters, digits, '.', '_' and '-'");
          else
            ids.push_back(id.text);
        }
        if (order->empty())
          reader_.error(pos_of(*table->get("order")), where + " order: no levels", "list the levels, lowest first");
        else
          levels.order = ids;
      }
      if (const toml::table* names = reader_.table(*table, "names", where)) {
        for (auto&& [key, value] : *names) {
          const std::string id(key.str());
          if (std::find(levels.order.begin(), levels.order.end(), id) == levels.order.end()) {
            reader_.error(pos_of(key), where + " names: unknown level " + in_quotes(id),
                          Reader::suggest(id, levels.order, "name only levels listed in order"));
            continue;
          }
          if (auto v = reader_.string(value, where + " names." + id, id)) levels.names[id] = v->text;
        }
      }
      default_level = reader_.string(*table, "default", where);
    }
    for (const std::string& id : levels.order) levels.names.emplace(id, id);
    if (default_level) {
      if (std::find(levels.order.begin(), levels.order.end(), default_level->text) == levels.order.end())
        reader_.error(default_level->pos, where + " default: unknown level " + in_quotes(default_level->text),
                      Reader::suggest(default_level->text, levels.order, "use one of: " + join_list(levels.order)));
      else
        levels.default_level = default_level->text;
    } else if (std::find(levels.order.begin(), levels.order.end(), levels.default_level) == levels.order.end()) {
      levels.default_level = levels.order.front();
    }
  }

  void read_departments(const toml::table& root) {
    std::map<std::string, SourcePos> seen;
    std::size_t n = 0;
    for (const toml::table* table : reader_.tables(root, "department", "department")) {
      bool duplicate = false;
      auto id = read_id(*table, "department", ++n, seen, duplicate);
      const std::string where = id ? "department " + in_quotes(*id) : "[[department]] #" + std::to_string(n);
      reader_.check_keys(*table, strings_of({"id", "name", "parent", "head", "members", "email"}), where);
      Department dept;
      dept.id = id.value_or("");
      dept.pos = pos_of(*table);
      dept.name = dept.id;
      if (auto v = reader_.string(*table, "name", where)) dept.name = v->text;
      if (auto v = reader_.string(*table, "head", where)) {
        dept.head = v->text;
        ref(RefType::user, *v, where + " head");
      }
      if (auto v = reader_.strings(*table, "members", where))
        for (const Located& m : *v) {
          dept.members.push_back(m.text);
          ref(RefType::user, m, where + " members");
        }
      if (auto v = reader_.string(*table, "email", where)) {
        check_email(*v, where);
        dept.email = v->text;
      }
      if (auto v = reader_.string(*table, "parent", where)) {
        dept.parent = v->text;
        ref(RefType::department, *v, where + " parent");
        parent_pos_[dept.id] = v->pos;
      }
      if (id && !duplicate) config_.departments.push_back(std::move(dept));
    }
  }

  void check_email(const Located& v, const std::string& where) {
    if (!v.text.empty() && (v.text.find('@') == std::string::npos || v.text.find(' ') != std::string::npos))
      reader_.error(v.pos, where + " email: " + in_quotes(v.text) + " is not an e-mail address",
                    "write name@example.com, or leave email out");
  }

  void read_users(const toml::table& root) {
    std::map<std::string, SourcePos> seen;
    std::size_t n = 0;
    for (const toml::table* table : reader_.tables(root, "user", "user")) {
      bool duplicate = false;
      auto id = read_id(*table, "user", ++n, seen, duplicate);
      const std::string where = id ? "user " + in_quotes(*id) : "[[user]] #" + std::to_string(n);
      reader_.check_keys(*table, strings_of({"id", "name", "department", "roles", "clearance", "email"}), where);
      User user;
      user.id = id.value_or("");
      user.pos = pos_of(*table);
      user.name = user.id;
      if (auto v = reader_.string(*table, "name", where)) user.name = v->text;
      if (auto v = reader_.string(*table, "department", where)) {
        user.department = v->text;
        ref(RefType::department, *v, where + " department");
      } else if (!table->get("department")) {
        reader_.error(pos_of(*table), where + ": missing department", "add department = \"…\" (a department id)");
      }
      if (auto v = reader_.strings(*table, "roles", where)) {
        for (const Located& role : *v) {
          if (std::find(kRoles.begin(), kRoles.end(), role.text) == kRoles.end())
            reader_.error(role.pos, where + " roles: unknown role " + in_quotes(role.text),
                          Reader::suggest(role.text, kRoles, "use staff, head, admin, auditor, top or grievance"));
          else
            user.roles.push_back(role.text);
        }
      }
      if (!table->get("roles")) user.roles = {"staff"};
      user.clearance = config_.levels.default_level;
      if (auto v = reader_.string(*table, "clearance", where)) {
        user.clearance = v->text;
        ref(RefType::level, *v, where + " clearance");
      }
      if (auto v = reader_.string(*table, "email", where)) {
        check_email(*v, where);
        user.email = v->text;
      }
      if (id && !duplicate) config_.users.push_back(std::move(user));
    }
  }

  template <typename T>
  void read_named(const toml::table& root, std::string_view entity, std::vector<T>& out) {
    std::map<std::string, SourcePos> seen;
    std::size_t n = 0;
    for (const toml::table* table : reader_.tables(root, entity, std::string(entity))) {
      bool duplicate = false;
      auto id = read_id(*table, entity, ++n, seen, duplicate);
      const std::string where = id ? std::string(entity) + " " + in_quotes(*id) : "[[" + std::string(entity) + "]] #" + std::to_string(n);
      reader_.check_keys(*table, strings_of({"id", "name"}), where);
      T item;
      item.id = id.value_or("");
      item.name = item.id;
      item.pos = pos_of(*table);
      if (auto v = reader_.string(*table, "name", where)) item.name = v->text;
      if (id && !duplicate) out.push_back(std::move(item));
    }
  }

  void read_channels(const toml::table& root) {
    if (!root.get("channel")) {
      for (auto [id, name] : {std::pair{"meeting", "Meeting"}, {"email", "Email"}, {"phone", "Phone"}, {"fax", "Fax"},
                              {"letter", "Letter"}, {"visit", "Visit"}, {"im", "Instant messaging"},
                              {"bulletin", "Bulletin"}, {"oral", "Oral"}, {"web", "Web"}})
        config_.channels.push_back({id, name, {}});
      return;
    }
    read_named(root, "channel", config_.channels);
  }

  void read_party_types(const toml::table& root) {
    if (!root.get("party_type")) {
      for (auto [id, name] : {std::pair{"customer", "Customer"}, {"supplier", "Supplier"},
                              {"subcontractor", "Subcontractor"}, {"government", "Government / regulator"},
                              {"certification-body", "Certification body"}, {"community", "Community"},
                              {"media", "Media"}, {"union", "Union"}, {"association", "Association"}})
        config_.party_types.push_back({id, name, {}});
      return;
    }
    read_named(root, "party_type", config_.party_types);
  }

  /// `ack = "24h"` (both directions) or `ack = { internal = "…", external = "…" }`.
  PerDirection read_per_direction(const toml::table& table, std::string_view key, const std::string& where) {
    PerDirection out;
    const toml::node* node = table.get(key);
    if (!node) return out;
    const std::string kwhere = where + " " + std::string(key);
    if (node->as_string()) {
      out.internal = out.external = reader_.duration(*node, kwhere);
    } else if (const toml::table* t = node->as_table()) {
      reader_.check_keys(*t, strings_of({"internal", "external"}), kwhere);
      if (const toml::node* v = t->get("internal")) out.internal = reader_.duration(*v, kwhere + ".internal");
      if (const toml::node* v = t->get("external")) out.external = reader_.duration(*v, kwhere + ".external");
    } else {
      reader_.type_error(*node, kwhere, "a table", "write " + std::string(key) + " = { internal = \"24h\", external = \"48h\" }");
    }
    return out;
  }

  std::vector<std::string> read_fields(const toml::node& node, const std::string& where, std::string_view key) {
    std::vector<std::string> out;
    if (auto list = reader_.strings(node, where, key))
      for (const Located& f : *list) {
        if (std::find(kRequirable.begin(), kRequirable.end(), f.text) == kRequirable.end())
          reader_.error(f.pos, where + ": unknown field " + in_quotes(f.text),
                        Reader::suggest(f.text, kRequirable, "fields: " + join_list(kRequirable)));
        else
          out.push_back(f.text);
      }
    return out;
  }

  void read_kinds(const toml::table& root) {
    std::map<std::string, SourcePos> seen;
    std::size_t n = 0;
    for (const toml::table* table : reader_.tables(root, "kind", "kind")) {
      bool duplicate = false;
      auto id = read_id(*table, "kind", ++n, seen, duplicate);
      const std::string where = id ? "kind " + in_quotes(*id) : "[[kind]] #" + std::to_string(n);
      reader_.check_keys(*table,
                         strings_of({"id", "name", "name_en", "ack", "resolve", "reply_required", "requires",
                                     "identity", "channels", "retention"}),
                         where);
      Kind kind;
      kind.id = id.value_or("");
      kind.pos = pos_of(*table);
      kind.name = kind.id;
      if (auto v = reader_.string(*table, "name", where)) kind.name = v->text;
      if (auto v = reader_.string(*table, "name_en", where)) kind.name_en = v->text;
      kind.ack = read_per_direction(*table, "ack", where);
      kind.resolve = read_per_direction(*table, "resolve", where);
      if (auto v = reader_.boolean(*table, "reply_required", where)) kind.reply_required = *v;
      if (const toml::node* node = table->get("requires")) {
        const std::string rwhere = where + " requires";
        if (node->as_array()) {
          kind.requires_internal = kind.requires_external = read_fields(*node, rwhere, "requires");
        } else if (const toml::table* t = node->as_table()) {
          reader_.check_keys(*t, strings_of({"internal", "external"}), rwhere);
          if (const toml::node* v = t->get("internal")) kind.requires_internal = read_fields(*v, rwhere + ".internal", "internal");
          if (const toml::node* v = t->get("external")) kind.requires_external = read_fields(*v, rwhere + ".external", "external");
        } else {
          reader_.type_error(*node, rwhere, "a table", "write requires = { external = [\"party\"] }");
        }
      }
      if (auto v = reader_.string(*table, "identity", where)) {
        if (std::find(kIdentity.begin(), kIdentity.end(), v->text) == kIdentity.end())
          reader_.error(v->pos, where + " identity: unknown value " + in_quotes(v->text),
                        Reader::suggest(v->text, kIdentity, "use optional, required or none"));
        else
          kind.identity = v->text;
      }
      if (auto v = reader_.strings(*table, "channels", where))
        for (const Located& c : *v) {
          kind.channels.push_back(c.text);
          ref(RefType::channel, c, where + " channels");
        }
      if (auto v = reader_.string(*table, "retention", where)) {
        if (!valid_retention(v->text))
          reader_.error(v->pos, where + " retention: malformed retention " + in_quotes(v->text),
                        "write a number and a unit: 3y (years), 6m (months), 90d (days), or \"permanent\"");
        else
          kind.retention = v->text;
      }
      if (id && !duplicate) config_.kinds.push_back(std::move(kind));
    }
  }

  void read_rules(const toml::table& root) {
    int n = 0;
    for (const toml::table* table : reader_.tables(root, "rule", "rule")) {
      Rule rule;
      rule.index = ++n;
      rule.pos = pos_of(*table);
      const std::string where = "rule " + std::to_string(n);
      reader_.check_keys(*table, strings_of({"name", "when", "owner", "assignee", "notify", "escalate", "major"}), where);
      rule.name = where;
      if (auto v = reader_.string(*table, "name", where)) rule.name = v->text;
      if (const toml::table* when = reader_.table(*table, "when", where)) read_when(*when, where, rule);
      if (auto v = reader_.string(*table, "owner", where)) {
        rule.owner = v->text;
        ref(RefType::department, *v, where + " owner");
      }
      if (auto v = reader_.string(*table, "assignee", where)) {
        rule.assignee = v->text;
        ref(RefType::user, *v, where + " assignee");
      }
      if (auto v = reader_.strings(*table, "notify", where))
        for (const Located& d : *v) {
          if (std::find(rule.notify.begin(), rule.notify.end(), d.text) == rule.notify.end()) rule.notify.push_back(d.text);
          ref(RefType::department, d, where + " notify");
        }
      if (auto v = reader_.string(*table, "escalate", where)) {
        rule.escalate = v->text;
        ref(RefType::department, *v, where + " escalate");
      }
      rule.major = reader_.boolean(*table, "major", where);
      if (!rule.assignee.empty() && rule.owner.empty())
        reader_.error(rule.pos, label(rule) + " sets an assignee but no owner",
                      "the assignee goes with the owner: give owner = \"DEPT\" too, or leave assignee out");
      if (rule.owner.empty() && rule.assignee.empty() && rule.notify.empty() && rule.escalate.empty() && !rule.major)
        reader_.warning(rule.pos, label(rule) + " sets nothing",
                        "give it owner, assignee, notify, escalate or major, or remove it");
      config_.rules.push_back(std::move(rule));
    }
  }

  void read_when(const toml::table& when, const std::string& rule_where, Rule& rule) {
    const std::string where = rule_where + " when";
    reader_.check_keys(when, kWhenKeys, where);
    for (auto&& [key, node] : when) {
      const std::string k(key.str());
      if (std::find(kWhenKeys.begin(), kWhenKeys.end(), k) == kWhenKeys.end()) continue;
      const std::string kwhere = where + "." + k;
      std::vector<Located> values;
      auto take = [&](const toml::node& v) {
        if (k == "major") {
          if (auto b = v.as_boolean()) values.push_back({b->get() ? "true" : "false", pos_of(v)});
          else reader_.type_error(v, kwhere, "a boolean", "write major = true or major = false");
        } else if (auto s = v.as_string()) {
          values.push_back({s->get(), pos_of(v)});
        } else {
          reader_.type_error(v, kwhere, "a string", "write " + k + " = \"…\" or " + k + " = [\"…\", \"…\"]");
        }
      };
      if (const toml::array* array = node.as_array()) {
        if (array->empty()) {
          reader_.error(pos_of(node), kwhere + ": empty list never matches", "list at least one value, or remove the key");
          continue;
        }
        for (const toml::node& v : *array) take(v);
      } else {
        take(node);
      }
      std::vector<std::string>& accepted = rule.when[k];
      for (const Located& v : values) {
        if (k == "direction") check_enum(v, kwhere, "direction", strings_of({"internal", "external"}));
        else if (k == "flow") check_enum(v, kwhere, "flow", strings_of({"upward", "downward", "lateral"}));
        else if (k == "kind") ref(RefType::kind, v, kwhere);
        else if (k == "party_type") ref(RefType::party_type, v, kwhere);
        else if (k == "channel") ref(RefType::channel, v, kwhere);
        else if (k == "from_dept") ref(RefType::department, v, kwhere);
        else if (k == "level") ref(RefType::level, v, kwhere);
        if (std::find(accepted.begin(), accepted.end(), v.text) == accepted.end()) accepted.push_back(v.text);
      }
      if (accepted.empty()) rule.when.erase(k);
    }
  }

  void check_enum(const Located& v, const std::string& where, std::string_view what, const std::vector<std::string>& allowed) {
    if (std::find(allowed.begin(), allowed.end(), v.text) != allowed.end()) return;
    reader_.error(v.pos, where + ": unknown " + std::string(what) + " " + in_quotes(v.text),
                  Reader::suggest(v.text, allowed, "use " + join_list(allowed)));
  }

  void read_numbering(const toml::table& root) {
    const toml::table* table = reader_.table(root, "numbering", "top level");
    if (!table) return;
    const std::string where = "[numbering]";
    reader_.check_keys(*table, strings_of({"external", "internal"}), where);
    for (auto [key, target] : {std::pair{"external", &config_.numbering.external}, {"internal", &config_.numbering.internal}}) {
      auto v = reader_.string(*table, key, where);
      if (!v) continue;
      std::string problem;
      bool has_seq = false;
      for (std::size_t i = 0; i < v->text.size() && problem.empty(); ++i) {
        if (v->text[i] == '}') problem = "unmatched '}'";
        if (v->text[i] != '{') continue;
        auto close = v->text.find('}', i);
        if (close == std::string::npos) { problem = "unmatched '{'"; break; }
        std::string field = v->text.substr(i + 1, close - i - 1);
        if (field == "seq" || (field.starts_with("seq:") && parse_int(field.substr(4)) && field.size() <= 7)) has_seq = true;
        else if (field != "year") problem = "unknown placeholder {" + field + "}";
        i = close;
      }
      if (problem.empty() && !has_seq) problem = "no {seq} placeholder";
      if (!problem.empty())
        reader_.error(v->pos, where + " " + key + ": " + problem + " in " + in_quotes(v->text),
                      "use {year} and {seq} or {seq:05} (zero-padded), e.g. \"EXT-{year}-{seq:05}\"");
      else
        *target = v->text;
    }
  }

  /// [report]: which kinds the summary counts as complaints and suggestions.
  void read_report(const toml::table& root) {
    ReportConfig& report = config_.report;
    const std::string where = "[report]";
    const toml::table* table = reader_.table(root, "report", "top level");
    if (table) reader_.check_keys(*table, strings_of({"complaint_kinds", "suggestion_kinds", "top_parties"}), where);
    for (auto [key, target] : {std::pair{"complaint_kinds", &report.complaint_kinds},
                               std::pair{"suggestion_kinds", &report.suggestion_kinds}}) {
      std::optional<std::vector<Located>> list;
      if (table) list = reader_.strings(*table, key, where);
      if (!list) {
        // The default names a kind that may not be defined here: keep only those that are.
        std::erase_if(*target, [&](const std::string& id) { return !config_.kind(id); });
        continue;
      }
      target->clear();
      for (const Located& id : *list) {
        ref(RefType::kind, id, where + " " + key);
        if (std::find(target->begin(), target->end(), id.text) == target->end()) target->push_back(id.text);
      }
    }
    if (!table) return;
    if (const toml::node* node = table->get("top_parties")) {
      if (auto n = node->as_integer()) {
        if (n->get() < 1 || n->get() > 1000)
          reader_.error(pos_of(*node), where + " top_parties: " + std::to_string(n->get()) + " is out of range",
                        "give a number from 1 to 1000");
        else
          report.top_parties = static_cast<int>(n->get());
      } else {
        reader_.type_error(*node, where + " top_parties", "an integer", "write top_parties = 10");
      }
    }
  }

  /// [remind]: delivery through sendmail, the repeat interval and the escalation chain.
  void read_remind(const toml::table& root) {
    RemindConfig& remind = config_.remind;
    const std::string where = "[remind]";
    const toml::table* table = reader_.table(root, "remind", "top level");
    if (!table) return;
    reader_.check_keys(*table, strings_of({"sendmail", "from", "interval", "escalate"}), where);
    if (auto v = reader_.string(*table, "sendmail", where)) {
      if (v->text.find_first_not_of(" \t") == std::string::npos)
        reader_.error(v->pos, where + " sendmail: empty command",
                      "write the command that reads a message on its input, e.g. \"/usr/sbin/sendmail -t -oi\"");
      else if (v->text.find_first_of("\r\n") != std::string::npos)
        reader_.error(v->pos, where + " sendmail: the command contains a line break",
                      "write the command and its arguments on one line, separated by spaces");
      else
        remind.sendmail = v->text;
    }
    if (auto v = reader_.string(*table, "from", where)) {
      if (auto problem = address_problem(v->text))
        reader_.error(v->pos, where + " from: " + in_quotes(v->text) + " " + *problem,
                      "write a bare address such as \"liaison@example.cn\" (no name, spaces or line breaks), "
                      "or leave from out for liaison@<host name>");
      else
        remind.from = v->text;
    }
    if (const toml::node* node = table->get("interval")) {
      if (auto d = reader_.duration(*node, where + " interval")) {
        if (d->amount <= 0)
          reader_.error(pos_of(*node), where + " interval: must be longer than zero",
                        "write how long a reminder is not repeated, e.g. \"1wd\" or \"24h\"");
        else
          remind.interval = *d;
      }
    }
    std::size_t n = 0;
    if (const toml::node* node = table->get("escalate"); node && !node->as_array())
      reader_.type_error(*node, where + " escalate", "an array of tables",
                         "write [[remind.escalate]] before each step");
    else
      for (const toml::table* step_table : reader_.tables(*table, "escalate", where + " escalate"))
        read_remind_step(*step_table, ++n);
    // Within one unit the chain should only grow: a later step that fires sooner is a slip.
    for (std::size_t b = 1; b < remind.escalate.size(); ++b)
      for (std::size_t a = 0; a < b; ++a) {
        const RemindStep& earlier = remind.escalate[a];
        const RemindStep& later = remind.escalate[b];
        if (earlier.after.unit != later.after.unit || later.after.amount >= earlier.after.amount) continue;
        reader_.warning(later.pos,
                        "[[remind.escalate]] #" + std::to_string(b + 1) + " after = " + in_quotes(later.after.text()) +
                            " comes after step #" + std::to_string(a + 1) + " with the longer " +
                            in_quotes(earlier.after.text()),
                        "list the steps in the order they are reached");
        break;
      }
  }

  void read_remind_step(const toml::table& table, std::size_t number) {
    const std::string where = "[[remind.escalate]] #" + std::to_string(number);
    reader_.check_keys(table, strings_of({"after", "to"}), where);
    RemindStep step;
    step.pos = pos_of(table);
    bool ok = true;
    if (const toml::node* node = table.get("after")) {
      auto d = reader_.duration(*node, where + " after");
      if (d) step.after = *d;
      ok = ok && d;
    } else {
      reader_.error(pos_of(table), where + ": missing after", "add after = \"2wd\" (how long overdue before this step)");
      ok = false;
    }
    if (auto v = reader_.string(table, "to", where)) {
      step.to = v->text;
      ok = check_remind_target(*v, where + " to") && ok;
    } else {
      if (!table.get("to"))
        reader_.error(pos_of(table), where + ": missing to", "add to = \"head\", \"top\", a department id or a user id");
      ok = false;
    }
    if (ok) config_.remind.escalate.push_back(std::move(step));
  }

  /// `to` of an escalation step: head, top, a department id or a user id.
  bool check_remind_target(const Located& v, const std::string& where) {
    if (v.text == "head") return true;
    if (v.text == "top") {
      if (!config_.organization.top.empty()) return true;
      reader_.error(v.pos, where + ": \"top\" but [organization] top is not set",
                    "set top = \"…\" in [organization] to the department of top management, or name a department or user");
      return false;
    }
    const bool department = config_.department(v.text) != nullptr, user = config_.user(v.text) != nullptr;
    if (department && user)
      reader_.warning(v.pos, where + ": " + in_quotes(v.text) + " is both a department and a user; the department is meant",
                      "give the department and the user different ids");
    if (department || user) return true;
    std::vector<std::string> candidates{"head", "top"};
    for (const auto& d : config_.departments) candidates.push_back(d.id);
    for (const auto& u : config_.users) candidates.push_back(u.id);
    reader_.error(v.pos, where + ": unknown recipient " + in_quotes(v.text),
                  Reader::suggest(v.text, candidates, "write \"head\", \"top\", a department id or a user id"));
    return false;
  }

  /// Why `text` is not usable as a From: address, or nullopt. It ends up in a mail
  /// header, so anything that could start another header or line is refused.
  static std::optional<std::string> address_problem(std::string_view text) {
    if (text.empty()) return "is empty";
    for (char c : text) {
      auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) return "contains a control character or line break";
      if (c == ' ') return "contains a space";
      if (c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '(' || c == ')')
        return std::string("contains '") + c + "'";
    }
    auto at = text.find('@');
    if (at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos || at == 0 ||
        at + 1 == text.size())
      return "is not an e-mail address";
    return std::nullopt;
  }

  void resolve_refs() {
    auto ids = [](const auto& items) {
      std::vector<std::string> out;
      for (const auto& item : items) out.push_back(item.id);
      return out;
    };
    const std::map<RefType, std::pair<std::string, std::vector<std::string>>> known{
        {RefType::department, {"department", ids(config_.departments)}},
        {RefType::user, {"user", ids(config_.users)}},
        {RefType::kind, {"kind", ids(config_.kinds)}},
        {RefType::channel, {"channel", ids(config_.channels)}},
        {RefType::party_type, {"party type", ids(config_.party_types)}},
        {RefType::level, {"level", config_.levels.order}},
    };
    for (const Ref& r : refs_) {
      const auto& [what, candidates] = known.at(r.type);
      if (std::find(candidates.begin(), candidates.end(), r.value.text) != candidates.end()) continue;
      std::string otherwise = candidates.empty() ? "no " + what + " is defined"
                                                 : "known " + what + "s: " + join_list(candidates);
      reader_.error(r.value.pos, r.where + ": unknown " + what + " " + in_quotes(r.value.text),
                    Reader::suggest(r.value.text, candidates, otherwise));
    }
  }

  void check_department_cycles() {
    for (const Department& start : config_.departments) {
      std::vector<std::string> chain{start.id};
      const Department* d = &start;
      while (d && !d->parent.empty()) {
        if (d->parent == start.id) {
          chain.push_back(start.id);
          std::string path;
          for (const auto& id : chain) path += (path.empty() ? "" : " → ") + id;
          reader_.error(parent_pos_[start.id], "department " + in_quotes(start.id) + " parent: departments form a loop (" + path + ")",
                        "a department cannot be its own ancestor");
          break;
        }
        if (std::find(chain.begin(), chain.end(), d->parent) != chain.end()) break;  // loop elsewhere
        chain.push_back(d->parent);
        d = config_.department(d->parent);
      }
    }
  }

  static std::string label(const Rule& rule) {
    std::string plain = "rule " + std::to_string(rule.index);
    return rule.name == plain ? plain : plain + " " + in_quotes(rule.name);
  }

  static bool covers(const Rule& a, const Rule& b) {
    for (const auto& [key, accepted] : a.when) {
      auto it = b.when.find(key);
      if (it == b.when.end()) return false;
      for (const std::string& v : it->second)
        if (std::find(accepted.begin(), accepted.end(), v) == accepted.end()) return false;
    }
    return true;
  }

  /// Warns about rules that can never take effect: every record they match is matched by
  /// earlier rules that already decide each action they set and notify everyone they notify.
  void check_rules() {
    const auto& rules = config_.rules;
    for (const Rule& rule : rules) {
      if (rule.assignee.empty() || rule.owner.empty()) continue;
      const Department* dept = config_.department(rule.owner);
      const User* user = config_.user(rule.assignee);
      if (!dept || !user) continue;  // unknown ids are reported where they are read
      bool belongs = user->department == dept->id || dept->head == user->id ||
                     std::find(dept->members.begin(), dept->members.end(), user->id) != dept->members.end();
      if (!belongs)
        reader_.error(rule.pos,
                      label(rule) + " assigns \"" + user->id + "\", who is not in its owner department \"" +
                          dept->id + "\"",
                      "name a member or the head of \"" + dept->id + "\", or leave assignee out");
    }
    for (std::size_t b = 0; b < rules.size(); ++b) {
      const Rule& later = rules[b];
      bool has_action = !later.owner.empty() || !later.assignee.empty() || !later.escalate.empty() ||
                        later.major.has_value() || !later.notify.empty();
      if (!has_action) continue;
      // The assignee is decided with the owner, so it needs no check of its own.
      bool owner = later.owner.empty(), escalate = later.escalate.empty(),
           major = !later.major.has_value();
      std::set<std::string> notified;
      std::vector<const Rule*> shadows;
      for (std::size_t a = 0; a < b; ++a) {
        const Rule& earlier = rules[a];
        if (!covers(earlier, later)) continue;
        bool contributes = false;
        auto take = [&](bool& done, bool sets) {
          if (!done && sets) done = contributes = true;
        };
        take(owner, !earlier.owner.empty());
        take(escalate, !earlier.escalate.empty());
        take(major, earlier.major.has_value());
        for (const auto& d : earlier.notify)
          if (std::find(later.notify.begin(), later.notify.end(), d) != later.notify.end() && notified.insert(d).second)
            contributes = true;
        if (contributes) shadows.push_back(&earlier);
      }
      if (shadows.empty() || !(owner && escalate && major && notified.size() == later.notify.size())) continue;
      std::string by;
      for (std::size_t i = 0; i < shadows.size(); ++i) {
        if (i) by += i + 1 == shadows.size() ? " and " : ", ";
        by += label(*shadows[i]);
      }
      std::string first = "rule " + std::to_string(shadows.front()->index);
      reader_.warning(later.pos,
                      label(later) + " never takes effect: " + by +
                          (shadows.size() == 1 ? " matches" : " match") + " everything it matches and already " +
                          (shadows.size() == 1 ? "sets" : "set") + " what it sets",
                      "move it above " + first + ", narrow the earlier rule's when, or remove it");
    }
  }

  Config& config_;
  Reader& reader_;
  std::vector<Ref> refs_;
  std::map<std::string, SourcePos> parent_pos_;
  std::vector<ZonePeriod> zone_periods_;  ///< of [organization] timezone, once it is known good
  SourcePos organization_pos_;
};

void sort_diagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.pos.line, a.pos.column) < std::pair(b.pos.line, b.pos.column);
  });
}

[[noreturn]] void throw_errors(const std::string& path, std::vector<Diagnostic> diagnostics) {
  auto errors = std::count_if(diagnostics.begin(), diagnostics.end(),
                              [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::error; });
  // The diagnostics carry the detail; the summary only counts them.
  std::string summary = path + ": " + std::to_string(errors) + (errors == 1 ? " error" : " errors") +
                        " in the configuration";
  throw ConfigError(std::move(summary), std::move(diagnostics));
}

}  // namespace

std::string Diagnostic::format() const {
  std::string out = file;
  if (pos.line > 0) out += ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
  out += severity == Severity::error ? ": error: " : ": warning: ";
  out += message;
  if (!hint.empty()) out += " (" + hint + ")";
  return out;
}

std::string format_interval(const DayInterval& interval) {
  auto clock = [](int minutes) {
    std::string out;
    for (int v : {minutes / 60, minutes % 60}) {
      if (!out.empty()) out += ':';
      out += static_cast<char>('0' + v / 10 % 10);
      out += static_cast<char>('0' + v % 10);
    }
    return out;
  };
  return clock(interval.start) + "-" + clock(interval.end);
}

std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  // Close enough: at most a third of the longer name differs (at least one edit allowed),
  // so "purchase" finds "purchasing" but "hr" does not find "it".
  const std::size_t word_length = code_points(word).size();
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const std::size_t limit = std::max<std::size_t>(1, std::max(word_length, code_points(candidate).size()) / 3);
    const std::size_t d = edit_distance(word, candidate);
    if (d <= limit && (!best || d < best_distance)) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

Config parse_config(const std::string& text, const std::string& path) {
  Config config;
  config.path = path;
  config.hash = sha256_hex(text);
  Reader reader(path);
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    reader.error(pos_of(e.source()), "TOML syntax error: " + std::string(e.description()),
                 "fix the syntax here; see liaison.toml(5)");
    throw_errors(path, std::move(reader.diagnostics()));
  }
  ConfigParser(config, reader).parse(root);
  auto& diagnostics = reader.diagnostics();
  sort_diagnostics(diagnostics);
  bool failed = std::any_of(diagnostics.begin(), diagnostics.end(),
                            [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::error; });
  if (failed) throw_errors(path, std::move(diagnostics));
  config.warnings = std::move(diagnostics);
  return config;
}

Config load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    Diagnostic d;
    d.file = path;
    d.message = std::string("cannot read the config file: ") + std::strerror(errno);
    d.hint = "check the path, or write one with 'liaison init'";
    throw_errors(path, {d});
  }
  return parse_config(text.str(), path);
}

std::optional<std::string> find_config_file() {
  if (const char* env = std::getenv("LIAISON_CONFIG"); env && *env) return std::string(env);
  std::vector<fs::path> candidates{"liaison.toml"};
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
    candidates.push_back(fs::path(xdg) / "liaison" / "liaison.toml");
  else if (const char* home = std::getenv("HOME"); home && *home)
    candidates.push_back(fs::path(home) / ".config" / "liaison" / "liaison.toml");
  candidates.push_back("/etc/liaison/liaison.toml");
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return std::nullopt;
}

const Department* Config::department(std::string_view id) const {
  for (const auto& d : departments)
    if (d.id == id) return &d;
  return nullptr;
}
const User* Config::user(std::string_view id) const {
  for (const auto& u : users)
    if (u.id == id) return &u;
  return nullptr;
}
const Kind* Config::kind(std::string_view id) const {
  for (const auto& k : kinds)
    if (k.id == id) return &k;
  return nullptr;
}
const Channel* Config::channel(std::string_view id) const {
  for (const auto& c : channels)
    if (c.id == id) return &c;
  return nullptr;
}
const PartyType* Config::party_type(std::string_view id) const {
  for (const auto& p : party_types)
    if (p.id == id) return &p;
  return nullptr;
}
int Config::level_rank(std::string_view id) const {
  for (std::size_t i = 0; i < levels.order.size(); ++i)
    if (levels.order[i] == id) return static_cast<int>(i);
  return -1;
}

nlohmann::json config_to_json(const Config& c) {
  using nlohmann::json;
  auto opt = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  auto hours = [](const std::vector<DayInterval>& list) {
    json out = json::array();
    for (const auto& h : list) out.push_back(format_interval(h));
    return out;
  };
  auto per_direction = [](const PerDirection& p) {
    return json{{"internal", p.internal ? json(p.internal->text()) : json(nullptr)},
                {"external", p.external ? json(p.external->text()) : json(nullptr)}};
  };
  json j;
  j["path"] = c.path;
  j["hash"] = c.hash;
  j["organization"] = {{"name", c.organization.name}, {"timezone", c.organization.timezone}, {"top", opt(c.organization.top)}};
  j["store"] = {{"path", c.store_path}};
  json workdays = json::array();
  for (std::size_t d = 1; d <= 7; ++d)  // Monday first
    if (c.calendar.workdays[d % 7]) workdays.push_back(kWeekdays[d % 7]);
  json notices = json::array();
  for (const auto& n : c.calendar.notices) {
    json holidays = json::array();
    for (const auto& h : n.holidays) {
      json makeup = json::array();
      for (auto d : h.makeup) makeup.push_back(format_date(d));
      holidays.push_back({{"name", h.name}, {"rest", {format_date(h.first), format_date(h.last)}}, {"makeup", makeup}});
    }
    notices.push_back({{"name", n.name}, {"holidays", holidays}});
  }
  json overrides = json::array();
  for (const auto& o : c.calendar.overrides)
    overrides.push_back({{"date", format_date(o.date)}, {"work", o.work}, {"hours", hours(o.hours)}, {"reason", o.reason}});
  j["calendar"] = {{"timezone", c.calendar.timezone}, {"workdays", workdays}, {"hours", hours(c.calendar.hours)},
                   {"notice", notices}, {"override", overrides}};
  j["levels"] = {{"order", c.levels.order}, {"names", c.levels.names}, {"default", c.levels.default_level}};
  json departments = json::array();
  for (const auto& d : c.departments)
    departments.push_back({{"id", d.id}, {"name", d.name}, {"parent", opt(d.parent)}, {"head", opt(d.head)},
                           {"members", d.members}, {"email", opt(d.email)}});
  j["department"] = departments;
  json users = json::array();
  for (const auto& u : c.users)
    users.push_back({{"id", u.id}, {"name", u.name}, {"department", opt(u.department)}, {"roles", u.roles},
                     {"clearance", u.clearance}, {"email", opt(u.email)}});
  j["user"] = users;
  json channels = json::array();
  for (const auto& ch : c.channels) channels.push_back({{"id", ch.id}, {"name", ch.name}});
  j["channel"] = channels;
  json party_types = json::array();
  for (const auto& p : c.party_types) party_types.push_back({{"id", p.id}, {"name", p.name}});
  j["party_type"] = party_types;
  json kinds = json::array();
  for (const auto& k : c.kinds)
    kinds.push_back({{"id", k.id}, {"name", k.name}, {"name_en", opt(k.name_en)}, {"ack", per_direction(k.ack)},
                     {"resolve", per_direction(k.resolve)}, {"reply_required", k.reply_required},
                     {"requires", {{"internal", k.requires_internal}, {"external", k.requires_external}}},
                     {"identity", k.identity}, {"channels", k.channels}, {"retention", opt(k.retention)}});
  j["kind"] = kinds;
  json rules = json::array();
  for (const auto& r : c.rules) {
    json when = json::object();
    for (const auto& [key, values] : r.when) {
      json list = json::array();
      for (const auto& v : values) list.push_back(key == "major" ? json(v == "true") : json(v));
      when[key] = list;
    }
    rules.push_back({{"index", r.index}, {"name", r.name}, {"when", when}, {"owner", opt(r.owner)},
                     {"assignee", opt(r.assignee)}, {"notify", r.notify}, {"escalate", opt(r.escalate)},
                     {"major", r.major ? json(*r.major) : json(nullptr)}});
  }
  j["rule"] = rules;
  j["numbering"] = {{"external", c.numbering.external}, {"internal", c.numbering.internal}};
  j["report"] = {{"complaint_kinds", c.report.complaint_kinds},
                 {"suggestion_kinds", c.report.suggestion_kinds},
                 {"top_parties", c.report.top_parties}};
  json steps = json::array();
  for (const auto& step : c.remind.escalate) steps.push_back({{"after", step.after.text()}, {"to", step.to}});
  j["remind"] = {{"sendmail", c.remind.sendmail}, {"from", opt(c.remind.from)},
                 {"interval", c.remind.interval.text()}, {"escalate", steps}};
  json warnings = json::array();
  for (const auto& w : c.warnings) warnings.push_back(w.format());
  j["warnings"] = warnings;
  return j;
}

}  // namespace liaison
