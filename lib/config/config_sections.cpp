// The sections of liaison.toml, one ConfigParser::read_… each ([organization], [store],
// [calendar], [levels], [[department]], [[user]], [[channel]], [[topic]], [[party_type]], [[kind]],
// [[rule]], [numbering], [report], [remind], [access]), in the order parse() reads them.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include <date/tz.h>

#include "config_parser.h"
#include "utf8.h"

namespace liaison::config_parsing {

namespace fs = std::filesystem;

namespace {

/// Not a login name: POSIX portable user names (letters, digits, '.', '_', '-', not
/// starting with '-'), up to 32 bytes.
bool bad_login(std::string_view login) {
  if (login.size() > 32 || login.front() == '-') return true;
  return std::any_of(login.begin(), login.end(), [](unsigned char c) {
    return !(std::isalnum(c) || c == '.' || c == '_' || c == '-');
  });
}

/// The name of a weekday from Monday to Friday (a makeup day that is not on a weekend).
Message weekday_name(date::weekday wd) {
  if (wd == date::Monday) return msg<Msg::cfg_monday>();
  if (wd == date::Tuesday) return msg<Msg::cfg_tuesday>();
  if (wd == date::Wednesday) return msg<Msg::cfg_wednesday>();
  if (wd == date::Thursday) return msg<Msg::cfg_thursday>();
  return msg<Msg::cfg_friday>();
}
}  // namespace

void ConfigParser::parse(const toml::table& root) {
  reader_.check_keys(root, kTopKeys, "top level");
  read_organization(root);
  read_store(root);
  read_calendar(root);
  read_levels(root);
  read_departments(root);
  read_users(root);
  read_channels(root);
  read_named(root, "topic", config_.topics);
  read_party_types(root);
  read_kinds(root);
  read_rules(root);
  read_schedules(root);
  read_numbering(root);
  read_report(root);
  read_remind(root);
  read_access(root);
  read_limits(root);
  read_attachments(root);
  read_mail(root);
  resolve_refs();
  if (!config_.departments.empty() && config_.organization.top.empty())
    reader_.warning(organization_pos_, msg<Msg::cfg_top_not_set>(), msg<Msg::cfg_set_top>());
  check_department_cycles();
  check_rules();
  check_schedules();
}

std::optional<std::string> ConfigParser::read_id(const toml::table& table, std::string_view entity, std::size_t number,
                                                 std::map<std::string, SourcePos>& seen, bool& duplicate) {
  duplicate = false;
  const std::string where = "[[" + std::string(entity) + "]] #" + std::to_string(number);
  auto id = reader_.string(table, "id", where);
  if (!id) {
    if (!table.get("id"))
      reader_.error(pos_of(table), msg<Msg::cfg_missing>(where, "id"), msg<Msg::cfg_add_id>());
    return std::nullopt;
  }
  if (!valid_id(id->text)) {
    reader_.error(id->pos, msg<Msg::cfg_invalid_id>(where, id->text), msg<Msg::cfg_use_id_characters>());
    return std::nullopt;
  }
  auto [it, inserted] = seen.emplace(id->text, id->pos);
  if (!inserted) {
    duplicate = true;
    reader_.error(id->pos, msg<Msg::cfg_duplicate_id>(entity, id->text),
                  msg<Msg::cfg_first_defined_at_line>(it->second.line, entity));
  }
  return id->text;
}

void ConfigParser::read_organization(const toml::table& root) {
  const std::string where = "[organization]";
  const toml::table* table = reader_.table(root, "organization", "top level");
  if (!table) return;
  organization_pos_ = pos_of(*table);
  reader_.check_keys(*table, strings_of({"name", "timezone", "top", "lang"}), where);
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
      reader_.error(v->pos, msg<Msg::cfg_unknown>(where + " timezone", msg<Msg::cfg_noun_time_zone>(), v->text),
                    Reader::suggest(v->text, zones, msg<Msg::cfg_use_iana_zone>()));
    }
  }
  if (auto v = reader_.string(*table, "top", where)) {
    config_.organization.top = v->text;
    ref(RefType::department, *v, where + " top");
  }
  config_.organization.lang = read_lang(*table, where);
}

std::string ConfigParser::read_lang(const toml::table& table, const std::string& where) {
  auto v = reader_.string(table, "lang", where);
  if (!v) return "";
  if (lang_named(v->text)) return v->text;
  reader_.error(v->pos, msg<Msg::cfg_unknown>(where + " lang", msg<Msg::cfg_noun_language>(), v->text),
                Reader::suggest(v->text, {"zh", "en"}, msg<Msg::cfg_use_one_of>("zh, en")));
  return "";
}

void ConfigParser::read_store(const toml::table& root) {
  std::string store = "records.db";
  std::string server_url;  // [store] url, taken as written
  if (const toml::table* table = reader_.table(root, "store", "top level")) {
    reader_.check_keys(*table, strings_of({"path", "url", "mode"}), "[store]");
    if (auto v = reader_.string(*table, "path", "[store]")) {
      if (v->text.empty()) reader_.error(v->pos, msg<Msg::cfg_empty_path>("[store] path"), msg<Msg::cfg_write_store_path>());
      else store = v->text;
    }
    // A database server's URL (postgresql://…), taken as written: open_store judges it.
    // Never its password: a config is read by many and copied about; libpq finds the
    // password in ~/.pgpass or PGPASSWORD.
    if (auto v = reader_.string(*table, "url", "[store]")) {
      const std::string& url = v->text;
      const auto authority = url.find("://") == std::string::npos ? std::string() : url.substr(url.find("://") + 3);
      const auto at = authority.substr(0, authority.find('/')).rfind('@');
      const bool has_password = url.find("password") != std::string::npos ||
                                (at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos);
      if (table->contains("path"))
        reader_.error(v->pos, msg<Msg::cfg_store_path_and_url>(), msg<Msg::cfg_keep_one_of_path_url>());
      else if (url.find("://") == std::string::npos)
        reader_.error(v->pos, msg<Msg::cfg_store_url_form>(), msg<Msg::cfg_write_store_url>());
      else if (has_password)
        reader_.error(v->pos, msg<Msg::cfg_store_url_password>(), msg<Msg::cfg_put_password_in_pgpass>());
      else
        server_url = url;
    }
    // The mode of the files liaison creates: the owner's alone, or shared with a group
    // (liaison-security(7)); never others'.
    if (auto v = reader_.string(*table, "mode", "[store]")) {
      if (v->text == "0600" || v->text == "600") config_.store_mode = 0600;
      else if (v->text == "0640" || v->text == "640") config_.store_mode = 0640;
      else if (v->text == "0660" || v->text == "660") config_.store_mode = 0660;
      else reader_.error(v->pos, msg<Msg::cfg_store_mode>("[store] mode", v->text), msg<Msg::cfg_give_store_mode>());
    }
  }
  if (!server_url.empty()) {
    config_.store_path = server_url;
    return;
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

void ConfigParser::read_calendar(const toml::table& root) {
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
      bool unknown = false;
      for (const Located& day : *days) {
        auto it = std::find(kWeekdays.begin(), kWeekdays.end(), day.text);
        auto it_long = std::find(kWeekdaysLong.begin(), kWeekdaysLong.end(), day.text);
        if (it != kWeekdays.end()) cal.workdays[static_cast<std::size_t>(it - kWeekdays.begin())] = true;
        else if (it_long != kWeekdaysLong.end())
          cal.workdays[static_cast<std::size_t>(it_long - kWeekdaysLong.begin())] = true;
        else {
          unknown = true;
          reader_.error(day.pos, msg<Msg::cfg_unknown>(where + " workdays", msg<Msg::cfg_noun_weekday>(), day.text),
                        Reader::suggest(day.text, names, msg<Msg::cfg_use_weekdays>()));
        }
      }
      // Makeup days and overrides add working days only within their dates: after the
      // last of them, a week without a working day has no working time at all.
      if (!unknown && std::none_of(cal.workdays.begin(), cal.workdays.end(), [](bool working) { return working; }))
        reader_.error(pos_of(*table->get("workdays")), msg<Msg::cfg_no_workdays>(where + " workdays"),
                      msg<Msg::cfg_list_a_workday>());
    }
    if (auto hours = reader_.hours(*table, "hours", where)) {
      if (hours->empty())
        reader_.error(pos_of(*table->get("hours")), msg<Msg::cfg_no_working_hours>(where + " hours"),
                      msg<Msg::cfg_give_one_range>());
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

void ConfigParser::read_notice(const toml::table& table, std::size_t number) {
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
      reader_.error(pos_of(h), msg<Msg::cfg_missing>(hwhere, "rest"), msg<Msg::cfg_write_rest>());
      ok = false;
    } else if (const toml::array* range = rest->as_array(); !range || range->empty() || range->size() > 2) {
      reader_.error(pos_of(*rest), msg<Msg::cfg_rest_expected_range>(hwhere + " rest"), msg<Msg::cfg_write_rest_dates>());
      ok = false;
    } else {
      auto first = reader_.date_value(*range->get(0), hwhere + " rest");
      auto last = reader_.date_value(*range->get(range->size() - 1), hwhere + " rest");
      if (!first || !last) {
        ok = false;
      } else if (*last < *first) {
        reader_.error(pos_of(*range->get(range->size() - 1)),
                      msg<Msg::cfg_rest_range_backwards>(hwhere, format_date(*last), format_date(*first)),
                      msg<Msg::cfg_write_first_rest_day_first>());
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
            reader_.error(pos_of(day), msg<Msg::cfg_makeup_not_weekend>(hwhere + " makeup", format_date(*d), weekday_name(wd)),
                          msg<Msg::cfg_makeup_falls_on_weekend>());
            continue;
          }
          holiday.makeup.push_back(*d);
        }
      } else {
        reader_.type_error(*makeup, hwhere + " makeup", msg<Msg::cfg_an_array_of_dates>(), msg<Msg::cfg_write_makeup>());
      }
    }
    if (ok) notice.holidays.push_back(std::move(holiday));
  }
  config_.calendar.notices.push_back(std::move(notice));
}

void ConfigParser::read_override(const toml::table& table, std::size_t number, std::map<date::sys_days, SourcePos>& seen) {
  std::string where = "[[calendar.override]] #" + std::to_string(number);
  reader_.check_keys(table, strings_of({"date", "work", "hours", "reason"}), where);
  CalendarOverride entry;
  const toml::node* date_node = table.get("date");
  if (!date_node) {
    reader_.error(pos_of(table), msg<Msg::cfg_missing>(where, "date"), msg<Msg::cfg_add_date>());
    return;
  }
  auto day = reader_.date_value(*date_node, where + " date");
  if (!day) return;
  entry.date = *day;
  where = "calendar override " + format_date(*day);
  if (auto [it, inserted] = seen.emplace(*day, pos_of(*date_node)); !inserted)
    reader_.error(pos_of(*date_node), msg<Msg::cfg_date_overridden_twice>(where),
                  msg<Msg::cfg_keep_one_override>(it->second.line));
  if (auto work = reader_.boolean(table, "work", where)) entry.work = *work;
  if (auto v = reader_.string(table, "reason", where)) entry.reason = v->text;
  if (const toml::node* hours_node = table.get("hours")) {
    auto hours = reader_.hours(table, "hours", where);
    if (hours && !entry.work)
      reader_.error(pos_of(*hours_node), msg<Msg::cfg_hours_for_day_off>(where), msg<Msg::cfg_set_work_or_remove_hours>());
    else if (hours)
      entry.hours = *hours;
  }
  config_.calendar.overrides.push_back(std::move(entry));
}

void ConfigParser::read_levels(const toml::table& root) {
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
          reader_.error(id.pos, msg<Msg::cfg_level_listed_twice>(where + " order", id.text), msg<Msg::cfg_list_each_level_once>());
        else if (!valid_id(id.text))
          reader_.error(id.pos, msg<Msg::cfg_invalid_level_id>(where + " order", id.text), msg<Msg::cfg_use_level_characters>());
        else
          ids.push_back(id.text);
      }
      if (order->empty())
        reader_.error(pos_of(*table->get("order")), msg<Msg::cfg_no_levels>(where + " order"), msg<Msg::cfg_list_levels_lowest_first>());
      else
        levels.order = ids;
    }
    if (const toml::table* names = reader_.table(*table, "names", where)) {
      for (auto&& [key, value] : *names) {
        const std::string id(key.str());
        if (std::find(levels.order.begin(), levels.order.end(), id) == levels.order.end()) {
          reader_.error(pos_of(key), msg<Msg::cfg_unknown>(where + " names", msg<Msg::cfg_noun_level>(), id),
                        Reader::suggest(id, levels.order, msg<Msg::cfg_name_only_listed_levels>()));
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
      reader_.error(default_level->pos, msg<Msg::cfg_unknown>(where + " default", msg<Msg::cfg_noun_level>(), default_level->text),
                    Reader::suggest(default_level->text, levels.order, msg<Msg::cfg_use_one_of>(join_list(levels.order))));
    else
      levels.default_level = default_level->text;
  } else if (std::find(levels.order.begin(), levels.order.end(), levels.default_level) == levels.order.end()) {
    levels.default_level = levels.order.front();
  }
}

void ConfigParser::read_departments(const toml::table& root) {
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

void ConfigParser::check_email(const Located& v, const std::string& where) {
  if (!v.text.empty() && (v.text.find('@') == std::string::npos || v.text.find(' ') != std::string::npos))
    reader_.error(v.pos, msg<Msg::cfg_not_email>(where + " email", v.text), msg<Msg::cfg_write_email_or_leave_out>());
}

void ConfigParser::read_users(const toml::table& root) {
  std::map<std::string, SourcePos> seen;
  std::size_t n = 0;
  for (const toml::table* table : reader_.tables(root, "user", "user")) {
    bool duplicate = false;
    auto id = read_id(*table, "user", ++n, seen, duplicate);
    const std::string where = id ? "user " + in_quotes(*id) : "[[user]] #" + std::to_string(n);
    reader_.check_keys(*table, strings_of({"id", "name", "department", "roles", "clearance", "email", "login", "lang"}), where);
    User user;
    user.id = id.value_or("");
    user.pos = pos_of(*table);
    user.name = user.id;
    if (auto v = reader_.string(*table, "name", where)) user.name = v->text;
    if (auto v = reader_.string(*table, "department", where)) {
      user.department = v->text;
      ref(RefType::department, *v, where + " department");
    } else if (!table->get("department")) {
      reader_.error(pos_of(*table), msg<Msg::cfg_missing>(where, "department"), msg<Msg::cfg_add_department>());
    }
    if (auto v = reader_.strings(*table, "roles", where)) {
      for (const Located& role : *v) {
        if (std::find(kRoles.begin(), kRoles.end(), role.text) == kRoles.end())
          reader_.error(role.pos, msg<Msg::cfg_unknown>(where + " roles", msg<Msg::cfg_noun_role>(), role.text),
                        Reader::suggest(role.text, kRoles, msg<Msg::cfg_use_roles>()));
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
    if (auto v = reader_.string(*table, "login", where)) {
      if (v->text.empty() || bad_login(v->text))
        reader_.error(v->pos, msg<Msg::cfg_not_a_login>(where + " login", v->text), msg<Msg::cfg_write_login>());
      else if (auto [it, inserted] = logins_.emplace(v->text, v->pos); !inserted)
        reader_.error(v->pos, msg<Msg::cfg_login_twice>(where + " login", v->text), msg<Msg::cfg_one_user_per_login>(it->second.line));
      else
        user.login = v->text;
    }
    user.lang = read_lang(*table, where);
    if (id && !duplicate) config_.users.push_back(std::move(user));
  }
}

template <typename T>
void ConfigParser::read_named(const toml::table& root, std::string_view entity, std::vector<T>& out) {
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

void ConfigParser::read_channels(const toml::table& root) {
  if (!root.get("channel")) {
    for (auto [id, name] : {std::pair{"meeting", "Meeting"}, {"email", "Email"}, {"phone", "Phone"}, {"fax", "Fax"},
                            {"letter", "Letter"}, {"visit", "Visit"}, {"im", "Instant messaging"},
                            {"bulletin", "Bulletin"}, {"oral", "Oral"}, {"web", "Web"}})
      config_.channels.push_back({id, name, {}});
    return;
  }
  read_named(root, "channel", config_.channels);
}

void ConfigParser::read_party_types(const toml::table& root) {
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

PerDirection ConfigParser::read_per_direction(const toml::table& table, std::string_view key, const std::string& where) {
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
    reader_.type_error(*node, kwhere, msg<Msg::cfg_a_table>(), msg<Msg::cfg_write_per_direction>(key));
  }
  return out;
}

std::vector<std::string> ConfigParser::read_fields(const toml::node& node, const std::string& where, std::string_view key) {
  std::vector<std::string> out;
  if (auto list = reader_.strings(node, where, key))
    for (const Located& f : *list) {
      if (std::find(kRequirable.begin(), kRequirable.end(), f.text) == kRequirable.end())
        reader_.error(f.pos, msg<Msg::cfg_unknown>(where, msg<Msg::cfg_noun_field>(), f.text),
                      Reader::suggest(f.text, kRequirable, msg<Msg::cfg_fields>(join_list(kRequirable))));
      else
        out.push_back(f.text);
    }
  return out;
}

void ConfigParser::read_kinds(const toml::table& root) {
  std::map<std::string, SourcePos> seen;
  std::size_t n = 0;
  for (const toml::table* table : reader_.tables(root, "kind", "kind")) {
    bool duplicate = false;
    auto id = read_id(*table, "kind", ++n, seen, duplicate);
    const std::string where = id ? "kind " + in_quotes(*id) : "[[kind]] #" + std::to_string(n);
    reader_.check_keys(*table,
                       strings_of({"id", "name", "name_en", "ack", "resolve", "reply_required", "requires",
                                   "identity", "channels", "retention", "anonymise_after", "notify", "receipt",
                                   "approval", "approval_within", "explanation_approval", "action"}),
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
        reader_.type_error(*node, rwhere, msg<Msg::cfg_a_table>(), msg<Msg::cfg_write_requires>());
      }
    }
    if (auto v = reader_.string(*table, "identity", where)) {
      if (std::find(kIdentity.begin(), kIdentity.end(), v->text) == kIdentity.end())
        reader_.error(v->pos, msg<Msg::cfg_unknown>(where + " identity", msg<Msg::cfg_noun_value>(), v->text),
                      Reader::suggest(v->text, kIdentity, msg<Msg::cfg_use_identity>()));
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
        reader_.error(v->pos, msg<Msg::cfg_malformed_retention>(where + " retention", v->text), msg<Msg::cfg_write_retention>());
      else
        kind.retention = v->text;
    }
    if (auto v = reader_.string(*table, "anonymise_after", where)) {
      if (!valid_retention(v->text) || v->text == "permanent")
        reader_.error(v->pos, msg<Msg::cfg_malformed_anonymise_after>(where, v->text),
                      msg<Msg::cfg_write_anonymise_after>());
      else if (!kind.retention.empty() && !retention_shorter(v->text, kind.retention))
        reader_.error(v->pos, msg<Msg::cfg_anonymise_not_before_retention>(where, v->text, kind.retention),
                      msg<Msg::cfg_shorten_anonymise_after>());
      else
        kind.anonymise_after = v->text;
    }
    if (const toml::node* node = table->get("notify"); node && !node->as_array())
      reader_.type_error(*node, where + " notify", msg<Msg::cfg_an_array_of_tables>(), msg<Msg::cfg_write_notify_duty>());
    else
      for (const toml::table* duty : reader_.tables(*table, "notify", where + " notify"))
        read_notify_duty(*duty, where + " notify", kind);
    if (const toml::node* node = table->get("receipt")) kind.receipt = reader_.duration(*node, where + " receipt");
    kind.approval = read_approval(*table, "approval", where);
    kind.explanation_approval = read_approval(*table, "explanation_approval", where);
    if (const toml::node* node = table->get("approval_within"))
      kind.approval_within = reader_.duration(*node, where + " approval_within");
    if (const toml::node* node = table->get("action")) kind.action = reader_.duration(*node, where + " action");
    if (id && !duplicate) config_.kinds.push_back(std::move(kind));
  }
}

void ConfigParser::read_schedules(const toml::table& root) {
  std::map<std::string, SourcePos> seen;
  std::size_t n = 0;
  static const std::vector<std::string> kEvery = strings_of({"week", "month", "quarter", "year"});
  static const std::vector<std::string> kIsoWeekdays = strings_of({"mon", "tue", "wed", "thu", "fri", "sat", "sun"});
  for (const toml::table* table : reader_.tables(root, "schedule", "schedule")) {
    bool duplicate = false;
    auto id = read_id(*table, "schedule", ++n, seen, duplicate);
    const std::string where = id ? "schedule " + in_quotes(*id) : "[[schedule]] #" + std::to_string(n);
    reader_.check_keys(*table,
                       strings_of({"id", "kind", "owner", "subject", "every", "day", "working_day", "weekday",
                                   "months", "month", "due", "start"}),
                       where);
    Schedule s;
    s.id = id.value_or("");
    s.pos = pos_of(*table);
    bool ok = id.has_value() && !duplicate;
    auto required = [&](const char* key, std::string& out, std::optional<RefType> type) {
      if (auto v = reader_.string(*table, key, where)) {
        out = v->text;
        if (type) ref(*type, *v, where + " " + key);
      } else {
        if (!table->get(key)) reader_.error(s.pos, msg<Msg::cfg_missing>(where, key), msg<Msg::cfg_write_schedule>());
        ok = false;
      }
    };
    required("kind", s.kind, RefType::kind);
    required("owner", s.owner, std::nullopt);
    required("subject", s.subject, std::nullopt);
    required("every", s.every, std::nullopt);
    if (!s.subject.empty()) {
      // Only the placeholders a period fills; any other brace is a typo.
      static const std::vector<std::string> kFields = strings_of({"year", "month", "quarter", "week", "period"});
      for (std::size_t open = s.subject.find('{'); open != std::string::npos; open = s.subject.find('{', open + 1)) {
        const std::size_t close = s.subject.find('}', open);
        const std::string field = close == std::string::npos ? s.subject.substr(open) : s.subject.substr(open + 1, close - open - 1);
        if (close == std::string::npos || std::find(kFields.begin(), kFields.end(), field) == kFields.end()) {
          reader_.error(pos_of(*table->get("subject")), msg<Msg::cfg_unknown>(where + " subject", msg<Msg::cfg_noun_placeholder>(), field),
                        msg<Msg::cfg_schedule_placeholders>());
          ok = false;
          break;
        }
      }
    }
    if (!s.every.empty() && std::find(kEvery.begin(), kEvery.end(), s.every) == kEvery.end()) {
      reader_.error(pos_of(*table->get("every")), msg<Msg::cfg_unknown>(where + " every", msg<Msg::cfg_noun_value>(), s.every),
                    Reader::suggest(s.every, kEvery, msg<Msg::cfg_schedule_every>()));
      ok = false;
    }
    const Message day_hint = msg<Msg::cfg_schedule_day>();
    if (auto v = reader_.integer(*table, "day", where, -28, 31, day_hint, day_hint)) s.day = *v;
    if (auto v = reader_.integer(*table, "working_day", where, -23, 23, day_hint, day_hint)) s.working_day = *v;
    if (auto v = reader_.string(*table, "weekday", where)) {
      auto it = std::find(kIsoWeekdays.begin(), kIsoWeekdays.end(), v->text);
      if (it == kIsoWeekdays.end()) {
        reader_.error(v->pos, msg<Msg::cfg_unknown>(where + " weekday", msg<Msg::cfg_noun_value>(), v->text),
                      Reader::suggest(v->text, kIsoWeekdays, msg<Msg::cfg_schedule_weekday>()));
        ok = false;
      } else {
        s.weekday = static_cast<int>(it - kIsoWeekdays.begin()) + 1;
      }
    }
    if (const toml::node* node = table->get("months")) {
      const toml::array* list = node->as_array();
      if (!list) {
        reader_.type_error(*node, where + " months", msg<Msg::cfg_an_array>(), msg<Msg::cfg_schedule_months>());
        ok = false;
      } else {
        for (const toml::node& m : *list) {
          auto v = m.as_integer();
          if (!v || v->get() < 1 || v->get() > 12) {
            reader_.error(pos_of(m), msg<Msg::cfg_out_of_range>(where + " months", v ? v->get() : 0), msg<Msg::cfg_schedule_months>());
            ok = false;
          } else {
            s.months.push_back(static_cast<int>(v->get()));
          }
        }
      }
    }
    if (auto v = reader_.integer(*table, "month", where, 1, 12, msg<Msg::cfg_schedule_months>(), msg<Msg::cfg_schedule_months>()))
      s.months = {*v};
    if (const toml::node* node = table->get("due")) {
      s.due = reader_.duration(*node, where + " due");
      if (s.due && s.due->amount == 0) {
        reader_.error(pos_of(*node), msg<Msg::cfg_schedule_zero_due>(where), msg<Msg::cfg_schedule_due_hint>());
        ok = false;
      }
    }
    if (const toml::node* node = table->get("start")) s.start = reader_.any_date(*node, where + " start");
    // What each recurrence needs, and nothing it would ignore.
    if (ok) {
      const bool weekly = s.every == "week";
      const int days_given = (s.day != 0) + (s.working_day != 0);
      if (weekly ? (s.weekday == 0 || days_given != 0) : (days_given != 1 || s.weekday != 0)) {
        reader_.error(s.pos, msg<Msg::cfg_schedule_when>(where, s.every), weekly ? msg<Msg::cfg_schedule_weekday>() : day_hint);
        ok = false;
      }
      if (s.every == "quarter") {
        if (s.months.empty()) s.months = {1, 4, 7, 10};
        std::set<int> quarters;
        for (int m : s.months) quarters.insert((m - 1) / 3);
        if (quarters.size() != s.months.size() || table->get("month")) {
          reader_.error(s.pos, msg<Msg::cfg_schedule_one_per_quarter>(where), msg<Msg::cfg_schedule_months>());
          ok = false;
        }
      } else if (s.every == "year") {
        if (s.months.size() != 1 || table->get("months")) {
          reader_.error(s.pos, msg<Msg::cfg_schedule_one_month>(where), msg<Msg::cfg_schedule_months>());
          ok = false;
        }
      } else if (!s.months.empty()) {
        reader_.error(s.pos, msg<Msg::cfg_schedule_no_months>(where, s.every), msg<Msg::cfg_schedule_months>());
        ok = false;
      }
    }
    if (ok) config_.schedules.push_back(std::move(s));
  }
}

std::vector<std::string> ConfigParser::read_approval(const toml::table& table, std::string_view key,
                                                    const std::string& where) {
  std::vector<std::string> chain;
  if (auto v = reader_.strings(table, key, where))
    for (const Located& step : *v)
      if (check_remind_target(step, where + " " + std::string(key))) chain.push_back(step.text);
  return chain;
}

void ConfigParser::read_notify_duty(const toml::table& table, const std::string& where, Kind& kind) {
  reader_.check_keys(table, strings_of({"to", "within"}), where);
  NotifyDuty duty;
  duty.pos = pos_of(table);
  bool ok = true;
  if (auto v = reader_.string(table, "to", where)) {
    // A party id as `party add --id` takes it: no blank or comma.
    if (v->text.empty() || v->text.find_first_of(" \t,") != std::string::npos) {
      reader_.error(v->pos, msg<Msg::cfg_not_a_party_id>(where + " to", v->text), msg<Msg::cfg_write_party_id>());
      ok = false;
    }
    duty.to = v->text;
  } else {
    if (!table.get("to")) reader_.error(pos_of(table), msg<Msg::cfg_missing>(where, "to"), msg<Msg::cfg_write_notify_duty>());
    ok = false;
  }
  if (const toml::node* node = table.get("within")) {
    auto d = reader_.duration(*node, where + " within");
    if (d) duty.within = *d;
    ok = ok && d;
  } else {
    reader_.error(pos_of(table), msg<Msg::cfg_missing>(where, "within"), msg<Msg::cfg_write_notify_duty>());
    ok = false;
  }
  for (const NotifyDuty& other : kind.notify)
    if (ok && other.to == duty.to) {
      reader_.error(duty.pos, msg<Msg::cfg_notify_twice>(where, duty.to), msg<Msg::cfg_write_notify_duty>());
      ok = false;
    }
  if (ok) kind.notify.push_back(std::move(duty));
}

void ConfigParser::read_rules(const toml::table& root) {
  int n = 0;
  for (const toml::table* table : reader_.tables(root, "rule", "rule")) {
    Rule rule;
    rule.index = ++n;
    rule.pos = pos_of(*table);
    const std::string where = "rule " + std::to_string(n);
    reader_.check_keys(*table, strings_of({"name", "when", "owner", "assignee", "notify", "escalate", "major", "approval"}),
                       where);
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
    rule.approval = read_approval(*table, "approval", where);
    if (!rule.assignee.empty() && rule.owner.empty())
      reader_.error(rule.pos, msg<Msg::cfg_rule_assignee_without_owner>(label(rule)), msg<Msg::cfg_give_owner_too>());
    if (rule.owner.empty() && rule.assignee.empty() && rule.notify.empty() && rule.escalate.empty() && !rule.major &&
        rule.approval.empty())
      reader_.warning(rule.pos, msg<Msg::cfg_rule_sets_nothing>(label(rule)), msg<Msg::cfg_give_rule_an_action>());
    config_.rules.push_back(std::move(rule));
  }
}

void ConfigParser::read_when(const toml::table& when, const std::string& rule_where, Rule& rule) {
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
        else reader_.type_error(v, kwhere, msg<Msg::cfg_a_boolean>(), msg<Msg::cfg_write_boolean>("major"));
      } else if (auto s = v.as_string()) {
        values.push_back({s->get(), pos_of(v)});
      } else {
        reader_.type_error(v, kwhere, msg<Msg::cfg_a_string>(), msg<Msg::cfg_write_string_or_list>(k));
      }
    };
    if (const toml::array* array = node.as_array()) {
      if (array->empty()) {
        reader_.error(pos_of(node), msg<Msg::cfg_empty_list_never_matches>(kwhere), msg<Msg::cfg_list_one_value>());
        continue;
      }
      for (const toml::node& v : *array) take(v);
    } else {
      take(node);
    }
    std::vector<std::string>& accepted = rule.when[k];
    for (const Located& v : values) {
      if (k == "direction") check_enum(v, kwhere, msg<Msg::cfg_noun_direction>(), strings_of({"internal", "external"}));
      else if (k == "flow") check_enum(v, kwhere, msg<Msg::cfg_noun_flow>(), strings_of({"upward", "downward", "lateral"}));
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

void ConfigParser::check_enum(const Located& v, const std::string& where, const Message& what, const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), v.text) != allowed.end()) return;
  reader_.error(v.pos, msg<Msg::cfg_unknown>(where, what, v.text), Reader::suggest(v.text, allowed, msg<Msg::cfg_use_list>(join_list(allowed))));
}

void ConfigParser::read_numbering(const toml::table& root) {
  const toml::table* table = reader_.table(root, "numbering", "top level");
  if (!table) return;
  const std::string where = "[numbering]";
  reader_.check_keys(*table, strings_of({"external", "internal"}), where);
  for (auto [key, target] : {std::pair{"external", &config_.numbering.external}, {"internal", &config_.numbering.internal}}) {
    auto v = reader_.string(*table, key, where);
    if (!v) continue;
    Message problem;
    bool has_seq = false;
    for (std::size_t i = 0; i < v->text.size() && problem.empty(); ++i) {
      if (v->text[i] == '}') problem = msg<Msg::cfg_unmatched_close_brace>();
      if (v->text[i] != '{') continue;
      auto close = v->text.find('}', i);
      if (close == std::string::npos) { problem = msg<Msg::cfg_unmatched_open_brace>(); break; }
      std::string field = v->text.substr(i + 1, close - i - 1);
      if (field == "seq" || (field.starts_with("seq:") && parse_int(field.substr(4)) && field.size() <= 7)) has_seq = true;
      else if (field != "year") problem = msg<Msg::cfg_unknown_placeholder>("{" + field + "}");
      i = close;
    }
    if (problem.empty() && !has_seq) problem = msg<Msg::cfg_no_seq_placeholder>();
    if (!problem.empty())
      reader_.error(v->pos, msg<Msg::cfg_numbering_problem>(where + " " + key, std::move(problem), v->text),
                    msg<Msg::cfg_use_year_and_seq>());
    else
      *target = v->text;
  }
}

void ConfigParser::read_report(const toml::table& root) {
  ReportConfig& report = config_.report;
  const std::string where = "[report]";
  const toml::table* table = reader_.table(root, "report", "top level");
  if (table)
    reader_.check_keys(*table,
                       strings_of({"complaint_kinds", "suggestion_kinds", "top_parties", "title", "form_no",
                                   "signoff", "csv_bom"}),
                       where);
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
  if (auto n = reader_.integer(*table, "top_parties", where, 1, 1000, msg<Msg::cfg_give_1_to_1000>(),
                                msg<Msg::cfg_write_top_parties>()))
    report.top_parties = *n;
  for (auto [key, target] : {std::pair{"title", &report.title}, std::pair{"form_no", &report.form_no}})
    if (auto text = reader_.string(*table, key, where)) *target = text->text;
  if (auto roles = reader_.strings(*table, "signoff", where)) {
    report.signoff.emplace();
    for (const Located& role : *roles) report.signoff->push_back(role.text);
  }
  if (auto bom = reader_.boolean(*table, "csv_bom", where)) report.csv_bom = *bom;
}

void ConfigParser::read_access(const toml::table& root) {
  const std::string where = "[access]";
  const toml::table* table = reader_.table(root, "access", "top level");
  if (!table) return;
  reader_.check_keys(*table, strings_of({"trust_declared_user"}), where);
  if (auto trust = reader_.boolean(*table, "trust_declared_user", where)) {
    config_.access.trust_declared_user = *trust;
    config_.access.pos = pos_of(*table->get("trust_declared_user"));
    if (*trust && !config_.users.empty())
      reader_.warning(config_.access.pos, msg<Msg::cfg_trusting_declared_user>(), msg<Msg::cfg_give_logins>());
  }
}

void ConfigParser::read_limits(const toml::table& root) {
  const std::string where = "[limits]";
  const toml::table* table = reader_.table(root, "limits", "top level");
  if (!table) return;
  reader_.check_keys(*table, strings_of({"subject", "text"}), where);
  const int low = static_cast<int>(limits::kMinText), high = static_cast<int>(limits::kMaxText);
  if (auto n = reader_.integer(*table, "subject", where, low, high, msg<Msg::cfg_give_limit_bytes>(low, high),
                               msg<Msg::cfg_give_limit_bytes>(low, high)))
    config_.limits.subject = static_cast<std::size_t>(*n);
  if (auto n = reader_.integer(*table, "text", where, low, high, msg<Msg::cfg_give_limit_bytes>(low, high),
                               msg<Msg::cfg_give_limit_bytes>(low, high)))
    config_.limits.text = static_cast<std::size_t>(*n);
}

void ConfigParser::read_attachments(const toml::table& root) {
  const std::string where = "[attachments]";
  const toml::table* table = reader_.table(root, "attachments", "top level");
  if (!table) return;
  reader_.check_keys(*table, strings_of({"max_size"}), where);
  const int low = 1, high = static_cast<int>(limits::kMaxAttachment);
  if (auto n = reader_.integer(*table, "max_size", where, low, high, msg<Msg::cfg_give_limit_bytes>(low, high),
                               msg<Msg::cfg_give_limit_bytes>(low, high)))
    config_.attachments.max_size = static_cast<std::size_t>(*n);
}

void ConfigParser::read_mail(const toml::table& root) {
  MailConfig& mail = config_.mail;
  const std::string where = "[mail]";
  const toml::table* table = reader_.table(root, "mail", "top level");
  if (!table) return;
  reader_.check_keys(*table, strings_of({"address", "kind", "unknown_kind", "channel", "quarantine", "acknowledge", "max_size", "rule"}),
                     where);
  if (auto v = reader_.string(*table, "address", where)) {
    if (auto problem = address_problem(where + " address", v->text))
      reader_.error(v->pos, std::move(*problem), msg<Msg::cfg_write_bare_address>());
    else
      mail.address = ascii_lower(v->text);
  }
  if (auto v = reader_.string(*table, "kind", where)) {
    mail.kind = v->text;
    ref(RefType::kind, *v, where + " kind");
  }
  if (auto v = reader_.string(*table, "unknown_kind", where)) {
    mail.unknown_kind = v->text;
    ref(RefType::kind, *v, where + " unknown_kind");
  }
  if (auto v = reader_.string(*table, "channel", where)) {
    mail.channel = v->text;
    ref(RefType::channel, *v, where + " channel");
  }
  if (auto v = reader_.string(*table, "quarantine", where)) {
    if (v->text.empty()) {
      reader_.error(v->pos, msg<Msg::cfg_address_empty>(where + " quarantine", v->text), msg<Msg::cfg_write_quarantine>());
    } else {
      fs::path p(v->text);
      if (p.is_relative()) {
        std::error_code ec;
        p = fs::absolute(fs::path(config_.path), ec).parent_path() / p;
      }
      mail.quarantine = p.lexically_normal().string();
    }
  }
  if (auto b = reader_.boolean(*table, "acknowledge", where)) mail.acknowledge = *b;
  const int low = 1024, high = static_cast<int>(limits::kMaxMailMessage);
  if (auto n = reader_.integer(*table, "max_size", where, low, high, msg<Msg::cfg_give_limit_bytes>(low, high),
                               msg<Msg::cfg_give_limit_bytes>(low, high)))
    mail.max_size = static_cast<std::size_t>(*n);
  int n = 0;
  if (const toml::node* node = table->get("rule"); node && !node->as_array())
    reader_.type_error(*node, where + " rule", msg<Msg::cfg_an_array_of_tables>(), msg<Msg::cfg_write_mail_rule>());
  else
    for (const toml::table* rule_table : reader_.tables(*table, "rule", where + " rule")) read_mail_rule(*rule_table, ++n);
  if (mail.kind.empty() && table->get("kind") == nullptr)
    reader_.warning(pos_of(*table), msg<Msg::cfg_mail_without_kind>(), msg<Msg::cfg_set_mail_kind>());
}

void ConfigParser::read_mail_rule(const toml::table& table, int number) {
  MailRule rule;
  rule.index = number;
  rule.pos = pos_of(table);
  const std::string where = "mail rule " + std::to_string(number);
  reader_.check_keys(table, strings_of({"name", "when", "kind", "owner", "level"}), where);
  rule.name = where;
  if (auto v = reader_.string(table, "name", where)) rule.name = v->text;
  if (const toml::table* when = reader_.table(table, "when", where)) {
    for (auto&& [key, node] : *when) {
      const std::string header(key.str());
      const std::string kwhere = where + " when." + header;
      const bool name_ok = !header.empty() && std::all_of(header.begin(), header.end(), [](char c) {
        return c > ' ' && c < 0x7f && c != ':';
      });
      if (!name_ok) {
        reader_.error(pos_of(key), msg<Msg::cfg_not_header_name>(kwhere, header), msg<Msg::cfg_write_header_name>());
        continue;
      }
      std::vector<Located> texts;
      if (node.as_array()) {
        if (node.as_array()->empty()) {
          reader_.error(pos_of(node), msg<Msg::cfg_empty_list_never_matches>(kwhere), msg<Msg::cfg_list_one_value>());
          continue;
        }
        if (auto v = reader_.strings(node, kwhere, header)) texts = *v;
      } else if (auto v = reader_.string(node, kwhere, header)) {
        texts.push_back(*v);
      }
      std::vector<std::string>& accepted = rule.when[ascii_lower(header)];
      for (const Located& t : texts) {
        if (t.text.empty()) {
          reader_.error(t.pos, msg<Msg::cfg_empty_text_matches_all>(kwhere), msg<Msg::cfg_write_header_text>());
          continue;
        }
        std::string text = ascii_lower(t.text);
        if (std::find(accepted.begin(), accepted.end(), text) == accepted.end()) accepted.push_back(text);
      }
      if (accepted.empty()) rule.when.erase(ascii_lower(header));
    }
  }
  if (auto v = reader_.string(table, "kind", where)) {
    rule.kind = v->text;
    ref(RefType::kind, *v, where + " kind");
  }
  if (auto v = reader_.string(table, "owner", where)) {
    rule.owner = v->text;
    ref(RefType::department, *v, where + " owner");
  }
  if (auto v = reader_.string(table, "level", where)) {
    rule.level = v->text;
    ref(RefType::level, *v, where + " level");
  }
  if (rule.kind.empty() && rule.owner.empty() && rule.level.empty())
    reader_.warning(rule.pos, msg<Msg::cfg_rule_sets_nothing>(rule.name), msg<Msg::cfg_give_mail_rule_an_action>());
  config_.mail.rules.push_back(std::move(rule));
}

void ConfigParser::read_remind(const toml::table& root) {
  RemindConfig& remind = config_.remind;
  const std::string where = "[remind]";
  const toml::table* table = reader_.table(root, "remind", "top level");
  if (!table) return;
  reader_.check_keys(*table, strings_of({"sendmail", "from", "interval", "timeout", "escalate"}), where);
  if (auto v = reader_.string(*table, "sendmail", where)) {
    if (v->text.find_first_not_of(" \t") == std::string::npos)
      reader_.error(v->pos, msg<Msg::cfg_empty_command>(where + " sendmail"), msg<Msg::cfg_write_sendmail_command>());
    else  // line breaks and other control characters are refused by the reader (Reader::one_line)
      remind.sendmail = v->text;
  }
  if (auto v = reader_.string(*table, "from", where)) {
    if (auto problem = address_problem(where + " from", v->text))
      reader_.error(v->pos, std::move(*problem), msg<Msg::cfg_write_bare_address>());
    else
      remind.from = v->text;
  }
  if (const toml::node* node = table->get("interval")) {
    if (auto d = reader_.duration(*node, where + " interval")) {
      if (d->amount <= 0)
        reader_.error(pos_of(*node), msg<Msg::cfg_must_be_longer_than_zero>(where + " interval"), msg<Msg::cfg_write_interval>());
      else
        remind.interval = *d;
    }
  }
  if (auto seconds = reader_.integer(*table, "timeout", where, 1, 3600, msg<Msg::cfg_give_1_to_3600>(),
                                      msg<Msg::cfg_write_timeout>()))
    remind.timeout_seconds = *seconds;
  std::size_t n = 0;
  if (const toml::node* node = table->get("escalate"); node && !node->as_array())
    reader_.type_error(*node, where + " escalate", msg<Msg::cfg_an_array_of_tables>(), msg<Msg::cfg_write_escalate_step>());
  else
    for (const toml::table* step_table : reader_.tables(*table, "escalate", where + " escalate"))
      read_remind_step(*step_table, ++n);
  // Within one unit the chain should only grow: a later step that fires sooner is a slip.
  for (std::size_t b = 1; b < remind.escalate.size(); ++b)
    for (std::size_t a = 0; a < b; ++a) {
      const RemindStep& earlier = remind.escalate[a];
      const RemindStep& later = remind.escalate[b];
      if (earlier.after.unit != later.after.unit || later.after.amount >= earlier.after.amount) continue;
      reader_.warning(later.pos, msg<Msg::cfg_escalate_step_out_of_order>(b + 1, later.after.text(), a + 1, earlier.after.text()),
                      msg<Msg::cfg_list_steps_in_order>());
      break;
    }
}

void ConfigParser::read_remind_step(const toml::table& table, std::size_t number) {
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
    reader_.error(pos_of(table), msg<Msg::cfg_missing>(where, "after"), msg<Msg::cfg_add_after>());
    ok = false;
  }
  if (auto v = reader_.string(table, "to", where)) {
    step.to = v->text;
    ok = check_remind_target(*v, where + " to") && ok;
  } else {
    if (!table.get("to"))
      reader_.error(pos_of(table), msg<Msg::cfg_missing>(where, "to"), msg<Msg::cfg_add_to>());
    ok = false;
  }
  if (ok) config_.remind.escalate.push_back(std::move(step));
}

bool ConfigParser::check_remind_target(const Located& v, const std::string& where) {
  if (v.text == "head") return true;
  if (v.text == "top") {
    if (!config_.organization.top.empty()) return true;
    reader_.error(v.pos, msg<Msg::cfg_top_without_organization_top>(where), msg<Msg::cfg_set_top_or_name_recipient>());
    return false;
  }
  const bool department = config_.department(v.text) != nullptr, user = config_.user(v.text) != nullptr;
  if (department && user)
    reader_.warning(v.pos, msg<Msg::cfg_both_department_and_user>(where, v.text), msg<Msg::cfg_give_different_ids>());
  if (department || user) return true;
  std::vector<std::string> candidates{"head", "top"};
  for (const auto& d : config_.departments) candidates.push_back(d.id);
  for (const auto& u : config_.users) candidates.push_back(u.id);
  reader_.error(v.pos, msg<Msg::cfg_unknown>(where, msg<Msg::cfg_noun_recipient>(), v.text),
                Reader::suggest(v.text, candidates, msg<Msg::cfg_write_recipient>()));
  return false;
}

std::optional<Message> ConfigParser::address_problem(const std::string& where, std::string_view text) {
  if (text.empty()) return msg<Msg::cfg_address_empty>(where, text);
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return msg<Msg::cfg_address_control_character>(where, text);
    if (c == ' ') return msg<Msg::cfg_address_space>(where, text);
    if (c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '(' || c == ')')
      return msg<Msg::cfg_address_character>(where, text, std::string(1, c));
  }
  auto at = text.find('@');
  if (at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos || at == 0 ||
      at + 1 == text.size())
    return msg<Msg::cfg_not_email>(where, text);
  return std::nullopt;
}

}  // namespace liaison::config_parsing
