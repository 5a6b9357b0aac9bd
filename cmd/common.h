// What every command shares: global options, the lazily opened config and store, output
// settings, and the helpers that turn library values into rendered output.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "access.h"
#include "calendar.h"
#include "config.h"
#include "errors.h"
#include "i18n.h"
#include "render.h"
#include "services.h"
#include "store.h"

namespace liaison::cli {

/// What a command needs opened before it runs (STYLE: commands declare what they need).
enum class Needs { nothing, config, store_read, store_write };

/// The global options (liaison(1)).
struct GlobalOptions {
  std::string config_path;
  std::string db_path;
  std::string as;
  std::string format;
  std::string lang;
  std::string now;
  bool no_color = false;
  bool quiet = false;
  bool wide = false;      ///< tables as wide as their cells, whatever the terminal's width
  bool no_pager = false;  ///< never start $PAGER
  bool bom = false;       ///< a UTF-8 byte-order mark before CSV (also [report] csv_bom)
};

/// The environment a command runs in. Opened by main according to the command's Needs.
class Env {
 public:
  GlobalOptions options;
  /// What main returns after the command ran without error: a command with
  /// --exit-status sets ExitCode::condition (3) here when the condition holds.
  ExitCode exit_status = ExitCode::ok;

  /// Loads the config and opens the store as `needs` says.
  void prepare(Needs needs);
  const Config& config() const { return *config_; }
  const WorkCalendar& calendar() const { return *calendar_; }
  /// Reopens the store for writing, for a reading command that turns out to write (show
  /// --identity logs the view). Commands declare store_read so that reading stays cheap.
  void reopen_store_for_writing();
  /// The services' context: acting user, "now" and language resolved from options and
  /// environment, what the user may do and see (its Access), and the opened store. Every
  /// read and write goes through it (lib/services/reads.h, services.h).
  Context context();
  /// What the acting user may do and see (config roles and clearances); needs the config.
  const Access& access();
  /// Whether this command showed anything redacted to the acting user (through access()
  /// or a context()); read after the command ran (explain_redaction).
  bool anything_redacted() const { return redactions_.anything; }
  /// "now": --now, $LIAISON_NOW, else the system clock.
  TimePoint now() const;
  /// The acting user. With users in the config, the operating system says who acts: the
  /// user whose login is the real uid's (User::login), or that login itself when no user
  /// has it. --as or $LIAISON_USER naming someone else is refused (PermissionError)
  /// unless that user is an admin, who then acts for them (acting_for). Without users, or
  /// with [access] trust_declared_user: --as, $LIAISON_USER, $USER, as declared.
  std::string actor() const;
  /// The admin acting for actor(), or "" when the acting user acts as themselves.
  std::string acting_for() const;
  /// The language of output and messages: --lang, else LC_ALL/LC_MESSAGES/LANG unless
  /// unset or C/POSIX, else [organization] lang (once the config is read), else English.
  Lang lang() const;
  /// --format, or table on a terminal and tsv in a pipe. Throws UsageError for bad ones.
  Format format() const;
  /// The format, and for the table format on a terminal (unless --wide) the width to fit:
  /// the terminal's (TIOCGWINSZ), else $COLUMNS, else 80; 0 (no limit) in a pipe.
  RenderOptions render_options() const;
  bool stdout_is_tty() const;
  /// CSV starts with a UTF-8 byte-order mark: --bom, or [report] csv_bom in the config.
  bool csv_bom() const;
  /// Sends the rest of standard output through the pager (liaison(1), ENVIRONMENT:
  /// $LIAISON_PAGER, else $PAGER, else "less -FRX"; "" or "cat" for none) when standard
  /// output is a terminal and --no-pager is not given. main waits for the pager at the end.
  void start_pager();
  /// Parses a user-typed time in the organisation's zone, the relative forms too
  /// (`today`, `-7d`, `monday`, `2026-10`: WorkCalendar::parse_time), where a span stands
  /// for its start or, for the upper end of a range (--until, --to), its end;
  /// UsageError naming `flag`.
  TimePoint parse_time(const std::string& text, std::string_view flag,
                       WorkCalendar::Bound bound = WorkCalendar::Bound::start) const;
  /// Short local time for tables ("2026-09-30 17:30"), ISO with offset elsewhere.
  std::string show_time(const std::optional<TimePoint>& t) const;
  /// The config path in use (after lookup); empty if none found.
  std::string resolve_config_path() const;
  /// The store in use: --db, $LIAISON_DB, the config's [store] path. A SQLite store comes
  /// as its file path (sqlite:PATH as PATH), any other URL as given (open_store).
  std::string resolve_db_path() const;

 private:
  mutable std::optional<bool> stdout_tty_;   ///< asked once
  mutable std::optional<int> terminal_width_;  ///< asked once, before a pager takes stdout
  int terminal_width() const;
  mutable std::optional<TimePoint> now_;      ///< resolved once
  /// actor() and acting_for(), resolved once.
  struct Identity {
    std::string actor, by;
  };
  mutable std::optional<Identity> identity_;
  const Identity& identity() const;
  /// parse_time without the relative forms (for --now itself, which they are relative to).
  TimePoint parse_exact_time(const std::string& text, std::string_view flag) const;
  std::optional<Config> config_;
  std::optional<WorkCalendar> calendar_;
  std::optional<Access> access_;
  RedactionNote redactions_;  ///< handed to access() and every context()
  std::unique_ptr<Store> store_;
};

/// A command's runner, set by its register function and run by main after parsing.
using Runner = std::function<void()>;

/// One row of the command table in main.cpp.
struct Command {
  const char* path;      ///< "file", "config check", …
  const char* summary;
  Needs needs;
  Runner (*register_fn)(CLI::App&, Env&);
};
/// Every command, in help order (defined in main.cpp).
const std::vector<Command>& commands();

/// The language the locale asks for: the first of LC_ALL, LC_MESSAGES, LANG that is set,
/// unless it is C or POSIX (lang_of_locale); nullopt when none asks for one.
std::optional<Lang> locale_lang_if_set();
/// locale_lang_if_set(), English when the locale asks for none.
Lang locale_lang();
/// A --direction value; UsageError naming the flag otherwise.
Direction direction_option(const std::string& text);
/// A --flow value: upward, downward or lateral; UsageError naming the flag otherwise.
Flow flow_option(const std::string& text);

/// The values of an option given comma-separated, repeated or both ("a,b" or "--x a --x b"),
/// in order; empty parts are dropped.
std::vector<std::string> split_list(const std::vector<std::string>& given);

/// Reads all of standard input (for `-` arguments).
std::string read_stdin();
/// "-" → standard input, else the text itself.
std::string text_or_stdin(const std::string& text);

/// A record as JSON with stable field names; clocks included when filled.
nlohmann::json record_json(const Record& r, const Env& env);
/// An action item as JSON (action list, show): id, record, number, owner, text, due,
/// done_at, done_by, evidence, state ("open", "overdue", "done", "late").
nlohmann::json action_json(const ActionItem& a, const Env& env);
/// "done", "late" (done after its deadline), "overdue" (not done, deadline passed) or
/// "open" (not done, still in time).
std::string action_state(const Clock& c, TimePoint now);
/// An event as JSON.
nlohmann::json event_json(const Event& e, const Env& env);
/// Marks the columns of a record table (list, overdue, todo, deadlines, search) for a
/// narrow terminal, by key (liaison-list(1), NARROW TERMINALS): when cutting the subject
/// is not enough, date-times lose their year, then received, assignee, kind, status and
/// owner are left out, in that order, until the table fits. --wide and pipes: everything.
void fit_record_columns(std::vector<Column>& columns);
/// Translated label.
std::string label(const Env& env, std::string_view english);
/// Display name of a department id (the id itself if unknown).
std::string dept_name(const Env& env, const std::string& id);
/// Seconds as hours and minutes, "22h30m" ("22 小时 30 分" in Chinese; working days have no
/// fixed length, so no days).
std::string format_seconds(std::int64_t seconds, Lang lang = Lang::en);
/// A duration as the config writes it ("48h", "5wd"), for people: as written in English,
/// "48 小时", "5 个工作日" in Chinese.
std::string duration_text(const Env& env, const std::string& duration);
/// A channel id in the language of the output: the id in English, the config's name for
/// it in Chinese (the id if it has none).
std::string channel_text(const Env& env, const std::string& id);
/// A clock's name for people: "ack", "resolve" as labels ("确认", "处理"); a notification's
/// "notify:safety-bureau" as "notification to safety-bureau" ("通报 safety-bureau"), a
/// receipt's as "receipt by USER" ("签收 USER"), an approval's as "approval by USER", an
/// action's as "action by A1 USER".
std::string clock_label(const Env& env, const std::string& name);
/// A deadline as a --due option gives it: a duration ("10wd", from the moment the command
/// counts from), a date alone (due by the end of that local day), or a moment. UsageError
/// for anything else.
struct DueOption {
  std::optional<Duration> within;
  std::optional<TimePoint> at;
};
DueOption due_option(const Env& env, const std::string& text);
/// A topic id the same way: the id in English, its [[topic]] name in Chinese.
std::string topic_text(const Env& env, const std::string& id);
/// A confidentiality level the same way: the id in English, its [levels] name in Chinese.
std::string level_text(const Env& env, const std::string& id);
/// Whether the record's clock `name` was met after its deadline.
bool met_late(const Record& record, std::string_view name);
/// Prints text to standard output.
void print(const std::string& text);
/// "liaison: what went wrong (what to do)" on stderr, in the user's language: an error, a
/// warning, or one part of a command that failed while the rest went on.
void print_error(Lang lang, const Message& message, const Message& hint = {});
/// The same for an error the library threw: its message and hint in `lang`.
void print_error(Lang lang, const Error& error);
/// Prints one line saying what a command did, in the user's language.
void say(const Env& env, const Message& line);

}  // namespace liaison::cli
