// Env: the command's context — configuration and store opened as the command needs, the
// clock (--now), the acting user, the language and the output format.
#include "common.h"

#include <pwd.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "config_cache.h"
#include "temp_files.h"
#include "errors.h"
#include "input.h"
#include "messages.h"
#include "output.h"

namespace liaison::cli {

namespace {
std::string env_or(const char* name, std::string fallback = {}) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}
}  // namespace

std::string Env::resolve_config_path() const {
  if (!options.config_path.empty()) return options.config_path;
  return find_config_file().value_or("");
}

std::string Env::resolve_db_path() const {
  std::string url = !options.db_path.empty()          ? options.db_path
                    : !env_or("LIAISON_DB").empty() ? env_or("LIAISON_DB")
                    : config_                       ? config_->store_path
                                                    : std::string{};
  // A SQLite store as its file (sqlite:PATH is PATH), for the commands that look at the
  // file itself (init, backup); any other URL as given, for open_store to judge.
  return sqlite_path(url).value_or(url);
}

void Env::prepare(Needs needs) {
  if (needs == Needs::nothing) return;
  std::string path = resolve_config_path();
  if (path.empty())
    throw ConfigError(msg<Msg::no_liaison_toml_found>(),
                      {Diagnostic{Diagnostic::Severity::error, "liaison.toml", {}, msg<Msg::cfg_no_configuration_file>(),
                                  msg<Msg::give_config_file_set_liaison_config>()}});
  config_ = load_config_cached(path, default_config_cache_dir());
  // Files created from here on (the database, its -wal and -shm, backups, --out files)
  // get [store] mode: the owner's alone unless a group shares them (cmd/main.cpp sets
  // the owner-only default before anything else).
  ::umask(static_cast<mode_t>(~config_->store_mode & 0077));
  set_created_file_mode(static_cast<unsigned>(config_->store_mode));
  calendar_.emplace(config_->calendar);
  // A malformed --now / $LIAISON_NOW is a usage error even for commands that happen not
  // to look at "now" (list without --overdue …), never silently ignored.
  if (!options.now.empty() || !env_or("LIAISON_NOW").empty()) (void)now();
  if (needs == Needs::config) return;
  store_ = open_store(resolve_db_path(), needs == Needs::store_read ? OpenMode::read_only : OpenMode::read_write);
}

void Env::reopen_store_for_writing() {
  store_.reset();
  store_ = open_store(resolve_db_path(), OpenMode::read_write);
}

TimePoint Env::now() const {
  if (now_) return *now_;
  std::string text = options.now.empty() ? env_or("LIAISON_NOW") : options.now;
  if (text.empty()) now_ = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  else now_ = parse_exact_time(text, options.now.empty() ? "$LIAISON_NOW" : "--now");
  return *now_;
}

namespace {

/// The login name of the real uid (not $USER, which anyone sets), or the uid as a number
/// when the password database has no entry for it.
std::string os_login() {
  const uid_t uid = ::getuid();
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found && found->pw_name)
    return found->pw_name;
  return std::to_string(uid);
}

}  // namespace

const Env::Identity& Env::identity() const {
  if (identity_) return *identity_;
  std::string declared = !options.as.empty() ? options.as : env_or("LIAISON_USER");
  // Single-user (no users listed), trusting, or before the config is read (init).
  if (!config_ || config_->users.empty() || config_->access.trust_declared_user) {
    identity_ = Identity{!declared.empty() ? declared : env_or("USER", "unknown"), ""};
    return *identity_;
  }
  const std::string login = os_login();
  const User* real = config_->user_by_login(login);
  const std::string who = real ? real->id : login;
  if (declared.empty() || declared == who) {
    identity_ = Identity{who, ""};
  } else if (real && Access(*config_, who).has_role("admin")) {
    identity_ = Identity{declared, who};
  } else {
    throw PermissionError(msg<Msg::may_not_act_as>(who, declared), msg<Msg::act_as_yourself>(who, login));
  }
  return *identity_;
}

std::string Env::actor() const { return identity().actor; }

std::string Env::acting_for() const { return identity().by; }

Context Env::context() {
  Context ctx{config(), calendar(), *store_, actor(), now(), lang()};
  ctx.by = acting_for();
  ctx.redactions = &redactions_;
  return ctx;
}

const Access& Env::access() {
  if (!access_) access_.emplace(config(), actor(), &redactions_);
  return *access_;
}

std::optional<Lang> locale_lang_if_set() {
  return lang_of_locale(env_or("LC_ALL", env_or("LC_MESSAGES", env_or("LANG"))));
}

Lang locale_lang() { return locale_lang_if_set().value_or(Lang::en); }

// --lang, then the locale unless it is unset or C/POSIX (a cron job's), then [organization]
// lang once the config is read, then English (liaison(1) LANGUAGE).
Lang Env::lang() const {
  if (auto named = lang_named(options.lang)) return *named;
  if (auto locale = locale_lang_if_set()) return *locale;
  if (config_)
    if (auto configured = lang_named(config_->organization.lang)) return *configured;
  return Lang::en;
}

bool Env::stdout_is_tty() const {
  if (!stdout_tty_) stdout_tty_ = ::isatty(STDOUT_FILENO) == 1;
  return *stdout_tty_;
}

Format Env::format() const {
  if (options.format.empty()) return stdout_is_tty() ? Format::table : Format::tsv;
  if (auto f = parse_format(options.format)) return *f;
  throw UsageError(msg<Msg::unknown_format>(options.format), msg<Msg::use_formats>());
}

int Env::terminal_width() const {
  if (!terminal_width_) {
    winsize ws{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) terminal_width_ = ws.ws_col;
    else if (int cols = std::atoi(env_or("COLUMNS").c_str()); cols > 0) terminal_width_ = cols;
    else terminal_width_ = 80;
  }
  return *terminal_width_;
}

bool Env::csv_bom() const { return options.bom || (config_ && config_->report.csv_bom); }

RenderOptions Env::render_options() const {
  RenderOptions o;
  o.format = format();
  o.color = stdout_is_tty() && !options.no_color && env_or("NO_COLOR").empty();
  // Only a terminal is fitted: what goes to a pipe or a file is never cut.
  if (stdout_is_tty() && !options.wide) o.width = terminal_width();
  o.bom = csv_bom();
  return o;
}

void Env::start_pager() {
  if (options.no_pager || !stdout_is_tty()) return;
  (void)terminal_width();  // the terminal's, asked while standard output is still the terminal
  start_pager_process(pager_command());
}

TimePoint Env::parse_exact_time(const std::string& text, std::string_view flag) const {
  std::optional<TimePoint> t;
  if (calendar_) {
    t = calendar_->parse_time(text);
  } else {
    CalendarConfig utc;
    t = WorkCalendar(utc).parse_time(text);
  }
  if (!t)
    throw UsageError(msg<Msg::cannot_read_time>(flag, text),
                     msg<Msg::write_2026_09_30_2026_09>());
  if (!time_in_range(*t)) throw UsageError(msg<Msg::time_out_of_range>(flag, text), msg<Msg::give_time_in_range>());
  return *t;
}

TimePoint Env::parse_time(const std::string& text, std::string_view flag, WorkCalendar::Bound bound) const {
  std::optional<TimePoint> t;
  if (calendar_) {
    t = calendar_->parse_time(text, now(), bound);
  } else {
    CalendarConfig utc;
    t = WorkCalendar(utc).parse_time(text, now(), bound);
  }
  if (!t)
    throw UsageError(msg<Msg::cannot_read_time>(flag, text),
                     msg<Msg::write_2026_09_30_2026_09>());
  if (!time_in_range(*t)) throw UsageError(msg<Msg::time_out_of_range>(flag, text), msg<Msg::give_time_in_range>());
  return *t;
}

std::string Env::show_time(const std::optional<TimePoint>& t) const {
  if (!t) return "";
  std::string iso = calendar().format_iso(*t);
  if (format() != Format::table) return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5);
}

}  // namespace liaison::cli
