// The checks of liaison.toml that need every section read: references to ids defined
// elsewhere, department cycles, and rules that can never take effect; and the checks of
// this machine that `config check` adds (check_environment).
#include <algorithm>
#include <cstdlib>
#include <functional>
#include <set>

#include <sys/stat.h>
#include <unistd.h>

#include "config_parser.h"

namespace liaison::config_parsing {

void ConfigParser::resolve_refs() {
  auto ids = [](const auto& items) {
    std::vector<std::string> out;
    for (const auto& item : items) out.push_back(item.id);
    return out;
  };
  const std::map<RefType, std::pair<Message, std::vector<std::string>>> known{
      {RefType::department, {msg<Msg::cfg_noun_department>(), ids(config_.departments)}},
      {RefType::user, {msg<Msg::cfg_noun_user>(), ids(config_.users)}},
      {RefType::kind, {msg<Msg::cfg_noun_kind>(), ids(config_.kinds)}},
      {RefType::channel, {msg<Msg::cfg_noun_channel>(), ids(config_.channels)}},
      {RefType::party_type, {msg<Msg::cfg_noun_party_type>(), ids(config_.party_types)}},
      {RefType::topic, {msg<Msg::cfg_noun_topic>(), ids(config_.topics)}},
      {RefType::level, {msg<Msg::cfg_noun_level>(), config_.levels.order}},
  };
  for (const Ref& r : refs_) {
    const auto& [what, candidates] = known.at(r.type);
    if (std::find(candidates.begin(), candidates.end(), r.value.text) != candidates.end()) continue;
    Message otherwise = candidates.empty() ? msg<Msg::cfg_none_defined>(what) : msg<Msg::cfg_known>(what, join_list(candidates));
    reader_.error(r.value.pos, msg<Msg::cfg_unknown>(r.where, what, r.value.text),
                  Reader::suggest(r.value.text, candidates, std::move(otherwise)));
  }
}

void ConfigParser::check_department_cycles() {
  for (const Department& start : config_.departments) {
    std::vector<std::string> chain{start.id};
    const Department* d = &start;
    while (d && !d->parent.empty()) {
      if (d->parent == start.id) {
        chain.push_back(start.id);
        std::string path;
        for (const auto& id : chain) path += (path.empty() ? "" : " → ") + id;
        reader_.error(parent_pos_[start.id], msg<Msg::cfg_departments_loop>("department " + in_quotes(start.id) + " parent", path),
                      msg<Msg::cfg_department_own_ancestor>());
        break;
      }
      if (std::find(chain.begin(), chain.end(), d->parent) != chain.end()) break;  // loop elsewhere
      chain.push_back(d->parent);
      d = config_.department(d->parent);
    }
  }
}

std::string ConfigParser::label(const Rule& rule) {
  std::string plain = "rule " + std::to_string(rule.index);
  return rule.name == plain ? plain : plain + " " + in_quotes(rule.name);
}

bool ConfigParser::covers(const Rule& a, const Rule& b) {
  for (const auto& [key, accepted] : a.when) {
    auto it = b.when.find(key);
    if (it == b.when.end()) return false;
    for (const std::string& v : it->second)
      if (std::find(accepted.begin(), accepted.end(), v) == accepted.end()) return false;
  }
  return true;
}

void ConfigParser::check_schedules() {
  for (const Schedule& s : config_.schedules) {
    const User* user = config_.department(s.owner) ? nullptr : config_.user(s.owner);
    // What a schedule files gives a subject, the department it comes from and, for a
    // user's schedule, an assignee; a kind that asks more could never be filed by it.
    if (const Kind* kind = config_.kind(s.kind)) {
      for (const std::string& field : kind->requires_internal)
        if (field != "subject" && field != "from_dept" && !(field == "assignee" && user))
          reader_.error(s.pos, msg<Msg::cfg_schedule_kind_requires>("schedule " + in_quotes(s.id), s.kind, field),
                        msg<Msg::cfg_schedule_other_kind>());
      if (kind->identity == "required")
        reader_.error(s.pos, msg<Msg::cfg_schedule_kind_requires>("schedule " + in_quotes(s.id), s.kind, "identity"),
                      msg<Msg::cfg_schedule_other_kind>());
    }
    if (config_.department(s.owner)) continue;
    if (user && !user->department.empty()) continue;
    std::vector<std::string> ids;
    for (const Department& d : config_.departments) ids.push_back(d.id);
    for (const User& u : config_.users) ids.push_back(u.id);
    reader_.error(s.pos, msg<Msg::cfg_schedule_owner>("schedule " + in_quotes(s.id), s.owner),
                  Reader::suggest(s.owner, ids, msg<Msg::cfg_schedule_owner_hint>()));
  }
}

void ConfigParser::check_rules() {
  const auto& rules = config_.rules;
  for (const Rule& rule : rules) {
    if (rule.assignee.empty() || rule.owner.empty()) continue;
    const Department* dept = config_.department(rule.owner);
    const User* user = config_.user(rule.assignee);
    if (!dept || !user) continue;  // unknown ids are reported where they are read
    bool belongs = user->department == dept->id || dept->head == user->id ||
                   std::find(dept->members.begin(), dept->members.end(), user->id) != dept->members.end();
    if (!belongs)
      reader_.error(rule.pos, msg<Msg::cfg_rule_assignee_not_in_owner>(label(rule), user->id, dept->id),
                    msg<Msg::cfg_name_member_or_head>(dept->id));
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
                    shadows.size() == 1 ? msg<Msg::cfg_rule_never_takes_effect_one>(label(later), by)
                                        : msg<Msg::cfg_rule_never_takes_effect>(label(later), by),
                    msg<Msg::cfg_move_rule_above>(first));
  }
}

}  // namespace liaison::config_parsing

namespace liaison {

namespace {

/// Whether `path` is a regular file this process may execute.
bool is_executable_file(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

/// The warning about the program of [remind] sendmail, if any: it is run as posix_spawnp
/// runs it (lib/mail/mail.cpp), by its path when it has a '/', else searched on PATH.
std::optional<Diagnostic> check_sendmail(const Config& config) {
  const std::string& command = config.remind.sendmail;
  const auto start = command.find_first_not_of(" \t");
  if (start == std::string::npos) return std::nullopt;  // an empty command is an error of the file
  const std::string program = command.substr(start, command.find_first_of(" \t", start) - start);
  Diagnostic d;
  d.severity = Diagnostic::Severity::warning;
  d.file = config.path;
  d.hint = msg<Msg::cfg_install_mta_or_set_sendmail>();
  if (program.find('/') != std::string::npos) {
    if (is_executable_file(program)) return std::nullopt;
    struct stat st{};
    d.message = ::stat(program.c_str(), &st) == 0 ? msg<Msg::cfg_sendmail_not_executable>(program)
                                                  : msg<Msg::cfg_sendmail_missing>(program);
    return d;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
  for (std::size_t at = 0; at <= dirs.size();) {
    std::size_t end = dirs.find(':', at);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(at, end - at);
    if (is_executable_file((dir.empty() ? "." : dir) + "/" + program)) return std::nullopt;
    at = end + 1;
  }
  d.message = msg<Msg::cfg_sendmail_not_on_path>(program);
  return d;
}

}  // namespace

std::vector<Diagnostic> check_environment(const Config& config) {
  std::vector<Diagnostic> out;
  if (auto d = check_sendmail(config)) out.push_back(std::move(*d));
  return out;
}

}  // namespace liaison
