// What the files that read liaison.toml share (lib/config/config_*.cpp): the text
// utilities, the Reader that takes typed values out of toml++ tables and collects the
// diagnostics, and the ConfigParser that reads each section (config_sections.cpp) and
// checks them against each other (config_checks.cpp). Internal to lib/config.
#pragma once
#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>
#include <fmt/format.h>

#include "config.h"
#include "tomlpp.h"

namespace liaison::config_parsing {

/// A string value and where it was written.
struct Located {
  std::string text;
  SourcePos pos;
};

SourcePos pos_of(const toml::source_region& region);

SourcePos pos_of(const toml::node& node);

SourcePos pos_of(const toml::key& key);

std::string in_quotes(std::string_view s);

/// What kind of TOML value `node` is ("a string", "an array" …).
Message type_name(const toml::node& node);

/// "a, b, c" (at most `max` items, then "…").
std::string join_list(const std::vector<std::string>& items, std::size_t max = 10);

std::vector<char32_t> code_points(std::string_view s);

/// Optimal-string-alignment (Damerau–Levenshtein) distance over code points.
std::size_t edit_distance(std::string_view a_text, std::string_view b_text);

std::optional<int> parse_int(std::string_view s);

/// "YYYY-MM-DD" that names a real date.
std::optional<date::sys_days> parse_date(std::string_view s);

std::string format_date(date::sys_days d);

/// "H:MM" or "HH:MM" as minutes from midnight; 24:00 only when `end`.
std::optional<int> parse_clock(std::string_view s, bool end);

std::string_view trim(std::string_view s);

/// "HH:MM-HH:MM" → interval (end may be before start; the caller checks).
std::optional<DayInterval> parse_range(std::string_view s);

/// "3y", "6m" (months), "90d", or "permanent".
bool valid_retention(std::string_view s);

/// True if `s` is usable as an id: letters, digits, '.', '_' and '-', not starting with punctuation.
bool valid_id(std::string_view s);

std::vector<std::string> strings_of(std::initializer_list<std::string_view> list);

inline constexpr std::array<std::string_view, 7> kWeekdays{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

inline constexpr std::array<std::string_view, 7> kWeekdaysLong{"sunday", "monday", "tuesday", "wednesday",
                                                               "thursday", "friday", "saturday"};

inline const std::vector<std::string> kTopKeys = strings_of(
    {"organization", "store", "calendar", "levels", "department", "user", "channel", "topic", "party_type",
     "kind", "rule", "numbering", "report", "remind", "access", "limits", "attachments", "mail", "schedule"});

inline const std::vector<std::string> kWhenKeys = strings_of(
    {"direction", "kind", "party_type", "party", "channel", "flow", "level", "from_dept", "major"});

inline const std::vector<std::string> kRoles = strings_of({"staff", "head", "admin", "auditor", "top", "grievance"});

inline const std::vector<std::string> kIdentity = strings_of({"optional", "required", "none"});

inline const std::vector<std::string> kRequirable = strings_of(
    {"party", "channel", "from_dept", "flow", "subject", "body", "level", "assignee", "identity", "topic",
     "customer_ref"});

/// What a reference must name.
enum class RefType { department, user, kind, channel, party_type, level, topic };

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

  void error(SourcePos pos, Message message, Message hint = {}) {
    add(Diagnostic::Severity::error, pos, std::move(message), std::move(hint));
  }
  void warning(SourcePos pos, Message message, Message hint = {}) {
    add(Diagnostic::Severity::warning, pos, std::move(message), std::move(hint));
  }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

  /// "did you mean …?" or, failing that, `otherwise`.
  static Message suggest(std::string_view word, const std::vector<std::string>& candidates, Message otherwise) {
    if (auto s = did_you_mean(word, candidates)) return msg<Msg::did_you_mean>(*s);
    return otherwise;
  }

  /// Reports every key of `table` that is not in `known`.
  void check_keys(const toml::table& table, const std::vector<std::string>& known, const std::string& where) {
    for (auto&& [key, value] : table) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
      error(pos_of(key), msg<Msg::cfg_unknown>(where, msg<Msg::cfg_noun_key>(), key.str()),
            suggest(key.str(), known, msg<Msg::cfg_known>(msg<Msg::cfg_noun_key>(), join_list(known, 20))));
    }
  }

  void type_error(const toml::node& node, const std::string& where, Message expected, Message hint) {
    error(pos_of(node), msg<Msg::cfg_expected_got>(where, std::move(expected), type_name(node)), std::move(hint));
  }

  std::optional<Located> string(const toml::node& node, const std::string& where, std::string_view key) {
    if (auto s = node.as_string()) {
      if (!one_line(s->get(), node, where)) return std::nullopt;
      return Located{s->get(), pos_of(node)};
    }
    type_error(node, where, msg<Msg::cfg_a_string>(), msg<Msg::cfg_put_value_in_quotes>(key));
    return std::nullopt;
  }
  std::optional<Located> string(const toml::table& table, std::string_view key, const std::string& where) {
    const toml::node* node = table.get(key);
    if (!node) return std::nullopt;
    return string(*node, where + " " + std::string(key), key);
  }

  /// A whole number from `low` to `high` under `key`: an error with `range_hint` outside
  /// that range, with `type_hint` for anything else.
  std::optional<int> integer(const toml::table& table, std::string_view key, const std::string& where, int low,
                             int high, Message range_hint, Message type_hint) {
    const toml::node* node = table.get(key);
    if (!node) return std::nullopt;
    const std::string what = where + " " + std::string(key);
    auto n = node->as_integer();
    if (!n) {
      type_error(*node, what, msg<Msg::cfg_an_integer>(), std::move(type_hint));
      return std::nullopt;
    }
    if (n->get() < low || n->get() > high) {
      error(pos_of(*node), msg<Msg::cfg_out_of_range>(what, n->get()), std::move(range_hint));
      return std::nullopt;
    }
    return static_cast<int>(n->get());
  }

  std::optional<bool> boolean(const toml::table& table, std::string_view key, const std::string& where) {
    const toml::node* node = table.get(key);
    if (!node) return std::nullopt;
    if (auto b = node->as_boolean()) return b->get();
    type_error(*node, where + " " + std::string(key), msg<Msg::cfg_a_boolean>(), msg<Msg::cfg_write_boolean>(key));
    return std::nullopt;
  }

  /// An array of strings; wrong elements are reported and skipped.
  std::optional<std::vector<Located>> strings(const toml::node& node, const std::string& where, std::string_view key) {
    const toml::array* array = node.as_array();
    if (!array) {
      type_error(node, where, msg<Msg::cfg_an_array_of_strings>(), msg<Msg::cfg_write_string_array>(key));
      return std::nullopt;
    }
    std::vector<Located> out;
    for (const toml::node& element : *array) {
      if (auto s = element.as_string()) {
        if (one_line(s->get(), element, where)) out.push_back({s->get(), pos_of(element)});
      } else type_error(element, where, msg<Msg::cfg_a_string>(), msg<Msg::cfg_put_each_value_in_quotes>());
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
    type_error(*node, where + " " + std::string(key), msg<Msg::cfg_a_table>(), msg<Msg::cfg_write_table>(key));
    return nullptr;
  }

  /// The tables of an array of tables ([[key]]).
  std::vector<const toml::table*> tables(const toml::table& parent, std::string_view key, const std::string& where) {
    std::vector<const toml::table*> out;
    const toml::node* node = parent.get(key);
    if (!node) return out;
    const toml::array* array = node->as_array();
    if (!array) {
      type_error(*node, where, msg<Msg::cfg_an_array_of_tables>(), msg<Msg::cfg_write_array_of_tables>(key));
      return out;
    }
    for (const toml::node& element : *array) {
      if (auto t = element.as_table()) out.push_back(t);
      else type_error(element, where, msg<Msg::cfg_a_table>(), msg<Msg::cfg_write_table_entry>());
    }
    return out;
  }

  /// Every string of the configuration is one line of printable text: names, ids and
  /// addresses go into tables, TSV and mail headers, where a line break or a tab would
  /// break the row or the header. An error (and false) for a control character.
  bool one_line(const std::string& text, const toml::node& node, const std::string& where) {
    for (unsigned char c : text)
      if (c < 0x20 || c == 0x7f) {
        error(pos_of(node), msg<Msg::cfg_control_character>(where, fmt::format("U+{:04X}", c)),
              msg<Msg::cfg_write_without_control>());
        return false;
      }
    return true;
  }

  /// A date written as "YYYY-MM-DD" or as a bare TOML date, from 1970-01-01 to 9999-11-30:
  /// a time after that, a deadline computed from it, could not be written back.
  std::optional<date::sys_days> date_value(const toml::node& node, const std::string& where) {
    auto d = any_date(node, where);
    if (!d) return std::nullopt;
    using namespace date::literals;
    if (*d < date::sys_days{1970_y / 1 / 1} || *d > date::sys_days{9999_y / 11 / 30}) {
      error(pos_of(node), msg<Msg::cfg_date_out_of_range>(where, format_date(*d)), msg<Msg::cfg_give_date_in_range>());
      return std::nullopt;
    }
    return d;
  }
  std::optional<date::sys_days> any_date(const toml::node& node, const std::string& where) {
    if (auto s = node.as_string()) {
      if (auto d = parse_date(s->get())) return d;
      error(pos_of(node), msg<Msg::cfg_malformed_date_text>(where, s->get()), msg<Msg::cfg_write_real_date_example>());
      return std::nullopt;
    }
    if (auto d = node.as_date()) {
      const toml::date& v = d->get();
      date::year_month_day ymd{date::year{v.year}, date::month{v.month}, date::day{v.day}};
      if (ymd.ok()) return date::sys_days(ymd);
      error(pos_of(node), msg<Msg::cfg_malformed_date>(where), msg<Msg::cfg_write_real_date>());
      return std::nullopt;
    }
    type_error(node, where, msg<Msg::cfg_a_date>(), msg<Msg::cfg_write_date>());
    return std::nullopt;
  }

  /// A duration ("3wd") from a string node.
  std::optional<Duration> duration(const toml::node& node, const std::string& where) {
    auto s = string(node, where, where.substr(where.rfind(' ') + 1));
    if (!s) return std::nullopt;
    if (auto d = Duration::parse(s->text)) return d;
    error(s->pos, msg<Msg::cfg_malformed_duration>(where, s->text), msg<Msg::cfg_write_duration>());
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
        error(text.pos, msg<Msg::cfg_malformed_time_range>(where, text.text), msg<Msg::cfg_write_time_range>());
        ok = false;
      } else if (range->end <= range->start) {
        error(text.pos, msg<Msg::cfg_time_range_backwards>(where, text.text), msg<Msg::cfg_write_earlier_time_first>());
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
        error(later.text.pos, msg<Msg::cfg_time_ranges_overlap>(where, later.text.text, other.text.text),
              msg<Msg::cfg_make_intervals_disjoint>());
        ok = false;
        continue;
      }
      out.push_back(items[i].interval);
    }
    if (!ok) return std::nullopt;
    return out;
  }

 private:
  void add(Diagnostic::Severity severity, SourcePos pos, Message message, Message hint) {
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

  void parse(const toml::table& root);

 private:
  void ref(RefType type, Located value, std::string where) { refs_.push_back({type, std::move(value), std::move(where)}); }

  /// Reads the id of an entity table and checks it for format and duplicates.
  /// `duplicate` is set when the id was already used (the entry is then checked but not kept).
  std::optional<std::string> read_id(const toml::table& table, std::string_view entity, std::size_t number,
                                     std::map<std::string, SourcePos>& seen, bool& duplicate);

  void read_organization(const toml::table& root);

  void read_store(const toml::table& root);

  void read_calendar(const toml::table& root);

  void read_notice(const toml::table& table, std::size_t number);

  void read_override(const toml::table& table, std::size_t number, std::map<date::sys_days, SourcePos>& seen);

  void read_levels(const toml::table& root);

  void read_departments(const toml::table& root);

  void check_email(const Located& v, const std::string& where);
  /// `lang` of a table ([organization], a [[user]]): "zh", "en", or "" when absent or wrong
  /// (an error with a "did you mean").
  std::string read_lang(const toml::table& table, const std::string& where);

  void read_users(const toml::table& root);

  template <typename T>
  void read_named(const toml::table& root, std::string_view entity, std::vector<T>& out);

  void read_channels(const toml::table& root);

  void read_party_types(const toml::table& root);

  /// `ack = "24h"` (both directions) or `ack = { internal = "…", external = "…" }`.
  PerDirection read_per_direction(const toml::table& table, std::string_view key, const std::string& where);

  std::vector<std::string> read_fields(const toml::node& node, const std::string& where, std::string_view key);

  void read_kinds(const toml::table& root);
  /// [[schedule]]: recurring obligations; the owner checked against departments and users.
  void read_schedules(const toml::table& root);

  void read_rules(const toml::table& root);

  void read_when(const toml::table& when, const std::string& rule_where, Rule& rule);

  void check_enum(const Located& v, const std::string& where, const Message& what, const std::vector<std::string>& allowed);

  void read_numbering(const toml::table& root);

  /// [report]: which kinds the summary counts as complaints and suggestions.
  void read_report(const toml::table& root);

  /// [remind]: delivery through sendmail, the repeat interval and the escalation chain.
  void read_remind(const toml::table& root);
  /// [access] and the users' logins (unique).
  void read_access(const toml::table& root);
  /// [limits]: the size limits of free text.
  void read_limits(const toml::table& root);
  void read_attachments(const toml::table& root);
  /// [mail] and its [[mail.rule]]s: how mail-in files what an MTA delivers.
  void read_mail(const toml::table& root);
  void read_mail_rule(const toml::table& table, int number);

  void read_remind_step(const toml::table& table, std::size_t number);
  /// One entry of a kind's `notify` list ({ to = PARTY, within = DURATION }), added to `kind`.
  void read_notify_duty(const toml::table& table, const std::string& where, Kind& kind);
  /// A kind's or a rule's approval chain under `key`: "head", "top", department or user ids.
  std::vector<std::string> read_approval(const toml::table& table, std::string_view key, const std::string& where);

  /// `to` of an escalation step: head, top, a department id or a user id.
  bool check_remind_target(const Located& v, const std::string& where);

  /// Why `text`, the value of `where`, is not usable as a From: address, or nullopt. It
  /// ends up in a mail header, so anything that could start another header or line is refused.
  static std::optional<Message> address_problem(const std::string& where, std::string_view text);

  void resolve_refs();

  void check_department_cycles();

  static std::string label(const Rule& rule);

  static bool covers(const Rule& a, const Rule& b);

  /// Warns about rules that can never take effect: every record they match is matched by
  /// earlier rules that already decide each action they set and notify everyone they notify.
  void check_rules();
  /// Each schedule's owner names a department or a user (one with a department).
  void check_schedules();

  Config& config_;
  Reader& reader_;
  std::vector<Ref> refs_;
  std::map<std::string, SourcePos> parent_pos_;
  std::vector<ZonePeriod> zone_periods_;  ///< of [organization] timezone, once it is known good
  SourcePos organization_pos_;
  std::map<std::string, SourcePos> logins_;  ///< users' logins, each once
};

}  // namespace liaison::config_parsing
