// Text utilities of the configuration reader: positions, quoting, lists, edit distance
// ("did you mean"), dates, clock times, ranges, retention periods and ids; and the public
// Diagnostic::format, format_interval and did_you_mean.
#include <algorithm>
#include <charconv>

#include "config_parser.h"

namespace liaison {
namespace config_parsing {

SourcePos pos_of(const toml::source_region& region) {
  return {static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

SourcePos pos_of(const toml::node& node) { return pos_of(node.source()); }

SourcePos pos_of(const toml::key& key) { return pos_of(key.source()); }

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

Message type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return msg<Msg::cfg_a_string>();
    case toml::node_type::integer: return msg<Msg::cfg_an_integer>();
    case toml::node_type::floating_point: return msg<Msg::cfg_a_float>();
    case toml::node_type::boolean: return msg<Msg::cfg_a_boolean>();
    case toml::node_type::date: return msg<Msg::cfg_a_date>();
    case toml::node_type::time: return msg<Msg::cfg_a_time>();
    case toml::node_type::date_time: return msg<Msg::cfg_a_date_time>();
    case toml::node_type::array: return msg<Msg::cfg_an_array>();
    case toml::node_type::table: return msg<Msg::cfg_a_table>();
    default: return msg<Msg::cfg_nothing>();
  }
}

std::string join_list(const std::vector<std::string>& items, std::size_t max) {
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

std::optional<date::sys_days> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = parse_int(s.substr(0, 4)), m = parse_int(s.substr(5, 2)), d = parse_int(s.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)}, date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days(ymd);
}

std::string format_date(date::sys_days d) { return date::format("%F", d); }

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

std::optional<DayInterval> parse_range(std::string_view s) {
  auto dash = s.find('-');
  if (dash == std::string_view::npos || s.find('-', dash + 1) != std::string_view::npos) return std::nullopt;
  auto start = parse_clock(trim(s.substr(0, dash)), false);
  auto end = parse_clock(trim(s.substr(dash + 1)), true);
  if (!start || !end) return std::nullopt;
  return DayInterval{*start, *end};
}

bool valid_retention(std::string_view s) {
  if (s == "permanent") return true;
  std::size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 0 || i > 6) return false;
  auto unit = s.substr(i);
  return unit == "y" || unit == "m" || unit == "d";
}

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

}  // namespace config_parsing

using namespace config_parsing;

std::string Diagnostic::format(Lang lang) const {
  std::string where = file;
  if (pos.line > 0) where += ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
  const bool error = severity == Severity::error;
  if (hint.empty())
    return (error ? msg<Msg::diagnostic_error>(where, message) : msg<Msg::diagnostic_warning>(where, message))
        .render(lang);
  return (error ? msg<Msg::diagnostic_error_hint>(where, message, hint)
                : msg<Msg::diagnostic_warning_hint>(where, message, hint))
      .render(lang);
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

std::optional<date::sys_days> add_retention(date::sys_days from, std::string_view period) {
  if (!valid_retention(period) || period == "permanent") return std::nullopt;
  int n = 0;
  std::from_chars(period.data(), period.data() + period.size() - 1, n);
  switch (period.back()) {
    case 'd': return from + date::days{n};
    case 'm':
    case 'y': {
      date::year_month_day ymd{from};
      auto ym = date::year_month{ymd.year(), ymd.month()} + date::months{period.back() == 'y' ? 12 * n : n};
      auto last = date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}};
      auto day = std::min(ymd.day(), last.day());
      return date::sys_days{ym / day};
    }
  }
  return std::nullopt;
}

bool retention_shorter(std::string_view shorter, std::string_view longer) {
  if (longer == "permanent") return shorter != "permanent";
  using namespace date::literals;
  for (date::sys_days day = date::sys_days{2001_y / 1 / 1}; day < date::sys_days{2002_y / 1 / 1}; day += date::days{1}) {
    auto a = add_retention(day, shorter), b = add_retention(day, longer);
    if (!a || !b || *a >= *b) return false;
  }
  return true;
}

}  // namespace liaison
