// The TOML configuration (liaison.toml), validated into plain values. See
// man/liaison.toml.5 for the schema and ARCHITECTURE.md for its place.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <date/date.h>
#include <nlohmann/json_fwd.hpp>

#include "duration.h"
#include "field_limits.h"
#include "errors.h"
#include "zone.h"
#include "model.h"

namespace liaison {

/// Where something was written in the config file (1-based; 0 = unknown).
struct SourcePos {
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
  int line = 0;
  int column = 0;
};

/// One problem found while validating the config.
struct Diagnostic {
  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
  enum class Severity { error, warning };
  Severity severity = Severity::error;
  std::string file;
  SourcePos pos;
  Message message;  ///< what is wrong
  Message hint;     ///< what to do, may include "did you mean …"
  /// "FILE:LINE:COL: error: message (hint)", in `lang`.
  std::string format(Lang lang = Lang::en) const;
};

/// A time-of-day interval in minutes from midnight, [start, end).
struct DayInterval {
  friend bool operator==(const DayInterval&, const DayInterval&) = default;
  int start = 0;  ///< minutes from 00:00
  int end = 0;    ///< minutes from 00:00, > start, <= 1440
};

/// One holiday of a State Council notice: the rest range and its makeup working days.
struct Holiday {
  friend bool operator==(const Holiday&, const Holiday&) = default;
  std::string name;
  date::sys_days first;              ///< first rest day, inclusive
  date::sys_days last;               ///< last rest day, inclusive
  std::vector<date::sys_days> makeup; ///< weekend days worked instead (调休上班)
};

/// One published notice (one block per year, usually).
struct CalendarNotice {
  friend bool operator==(const CalendarNotice&, const CalendarNotice&) = default;
  std::string name;
  std::vector<Holiday> holidays;
};

/// A company's own decision about one date.
struct CalendarOverride {
  friend bool operator==(const CalendarOverride&, const CalendarOverride&) = default;
  date::sys_days date;
  bool work = false;
  std::vector<DayInterval> hours;    ///< when work and not empty: that day's hours
  std::string reason;
};

/// The working calendar: weekly pattern, hours, notices, overrides, time zone.
struct CalendarConfig {
  friend bool operator==(const CalendarConfig&, const CalendarConfig&) = default;
  std::string timezone = "UTC";                 ///< IANA zone, from [organization]
  std::array<bool, 7> workdays{};               ///< index = weekday, 0 = Sunday
  std::vector<DayInterval> hours;               ///< sorted, non-overlapping
  std::vector<CalendarNotice> notices;
  std::vector<CalendarOverride> overrides;
  /// The zone's offsets, read from the tz database when the config is validated; empty
  /// when the calendar was put together by hand (WorkCalendar then reads them itself).
  std::vector<ZonePeriod> zone_periods;
};

/// Names of the confidentiality levels, lowest first.
struct Levels {
  friend bool operator==(const Levels&, const Levels&) = default;
  std::vector<std::string> order{"public", "internal", "secret", "confidential", "top-secret"};
  std::map<std::string, std::string> names;     ///< id → display name
  std::string default_level = "internal";
};

/// A department (部门): its head and members are user ids.
struct Department {
  friend bool operator==(const Department&, const Department&) = default;
  std::string id;
  std::string name;
  std::string head;                  ///< user id
  std::vector<std::string> members;  ///< user ids
  std::string email;
  std::string parent;                ///< department id of the parent department, optional
  SourcePos pos;
};

/// A person who acts on records; belongs to one department.
struct User {
  friend bool operator==(const User&, const User&) = default;
  std::string id;
  std::string name;
  std::string department;
  std::vector<std::string> roles;    ///< staff | head | admin | auditor | top | grievance
  std::string clearance;             ///< level id
  std::string email;
  /// The operating-system login whose real uid acts as this user; "" = the login equal
  /// to the id (Env::actor, liaison-security(7)).
  std::string login;
  /// "zh" or "en": the language of the mail this user gets (remind); "" = the
  /// organisation's, else the command's.
  std::string lang;
  SourcePos pos;
};

/// The [access] section: how the acting user is established.
struct AccessConfig {
  friend bool operator==(const AccessConfig&, const AccessConfig&) = default;
  /// Take --as, LIAISON_USER or USER as the acting user without asking the operating
  /// system (one person's or a test database); config check warns while it is on.
  bool trust_declared_user = false;
  SourcePos pos;                     ///< of the key, for the warning
};

/// The [attachments] section: how big a file `file --attach` and `log --attach` take.
struct AttachmentsConfig {
  friend bool operator==(const AttachmentsConfig&, const AttachmentsConfig&) = default;
  std::size_t max_size = ::liaison::limits::kAttachment;  ///< bytes, 1 … limits::kMaxAttachment
};

/// One [[mail.rule]]: which kind, owner and level a mail filed by `mail-in` gets, chosen by
/// its headers. The first rule whose every `when` header holds one of its texts wins.
struct MailRule {
  friend bool operator==(const MailRule&, const MailRule&) = default;
  std::string name;                  ///< "mail rule N" when not given
  int index = 0;                     ///< 1-based position in the file
  /// header name in lower case ("from", "to", "subject", …) → texts, any of which the
  /// header's decoded value must contain (compared in lower case)
  std::map<std::string, std::vector<std::string>> when;
  std::string kind;                  ///< kind id; empty = [mail] kind
  std::string owner;                 ///< department id; empty = the [[rule]]s decide
  std::string level;                 ///< level id; empty = levels.default
  SourcePos pos;
};

/// The [mail] section: how `liaison mail-in` files the mail an MTA delivers to it.
struct MailConfig {
  friend bool operator==(const MailConfig&, const MailConfig&) = default;
  /// The tool's own address (lower case): acknowledgements come from it, and mail from it
  /// is never answered (RFC 3834). Empty = [remind] from.
  std::string address;
  std::string kind;                  ///< kind of a mail no [[mail.rule]] matches; empty = mail-in refuses
  /// kind of mail from a sender the parties registry does not know, whatever the rules
  /// say (they still choose owner and level); empty = the rules and `kind` choose
  std::string unknown_kind;
  std::string channel;               ///< channel id of records filed from mail; empty = none
  std::string quarantine;            ///< folder for messages that cannot be filed (absolute); empty = none
  bool acknowledge = false;          ///< answer each new record's sender with its reference
  std::size_t max_size = ::liaison::limits::kMailMessage;  ///< bytes of one message
  std::vector<MailRule> rules;       ///< [[mail.rule]], in file order
};

/// A duration per direction; either may be absent (no such deadline).
struct PerDirection {
  friend bool operator==(const PerDirection&, const PerDirection&) = default;
  std::optional<Duration> internal;
  std::optional<Duration> external;
  const std::optional<Duration>& get(Direction d) const { return d == Direction::internal ? internal : external; }
};

/// An outside party a record of a kind must be reported to, and within what time of its
/// receipt (an accident: the safety authority within 1 hour, 生产安全事故报告和调查处理条例
/// art. 9). Each becomes a clock "notify:<to>" on filing, stopped by `liaison notify`.
struct NotifyDuty {
  friend bool operator==(const NotifyDuty&, const NotifyDuty&) = default;
  std::string to;                    ///< the party's id in the registry (liaison party add)
  Duration within;
  SourcePos pos;
};

/// A kind of communication (类别) with its deadlines per direction.
struct Kind {
  friend bool operator==(const Kind&, const Kind&) = default;
  std::string id;
  std::string name;                  ///< display name (Chinese in the examples)
  std::string name_en;               ///< English display name, optional
  PerDirection ack;
  PerDirection resolve;
  bool reply_required = false;
  std::vector<std::string> channels; ///< channel ids usually used (for the matrix)
  std::vector<std::string> requires_internal;  ///< field names required on filing
  std::vector<std::string> requires_external;
  std::string identity = "optional"; ///< optional | required | none
  std::string retention;             ///< e.g. "3y", "permanent"; "" = not set (kept); from closing
  std::string anonymise_after;       ///< e.g. "1y" from closing, shorter than retention; "" = not set
  std::vector<NotifyDuty> notify;    ///< the outside parties to report to, and within what time
  /// Within what time of filing each recipient named by `file --recipient` must sign for
  /// it (签收): a clock "receipt:<user>" each, stopped by that user's `ack`. Absent: the
  /// kind takes no recipients.
  std::optional<Duration> receipt;
  /// Who must approve a record of the kind before it may be closed, in order (审批): "head"
  /// (of the owner department), "top" (top management's head), a department (its head) or
  /// a user; resolved to users on filing. A rule's `approval` takes its place.
  std::vector<std::string> approval;
  /// Within what time each approver must decide once it is their turn; absent: no deadline.
  std::optional<Duration> approval_within;
  /// Who must approve the explanation owed to the proposer before a record of the kind is
  /// closed as rejected (未采纳建议的解释), steps as in `approval`, resolved on closing;
  /// each asked with `approve-request`. Empty: a rejection needs no approval.
  std::vector<std::string> explanation_approval;
  /// Within what time of being added an action item (`liaison action add`) must be done
  /// when `--due` gives no deadline; absent: each action needs its --due.
  std::optional<Duration> action;
  SourcePos pos;
};

/// A recurring obligation ([[schedule]]): `liaison schedule run` files one record of it
/// per period (a monthly report, a quarterly revisit, a safety meeting), once.
struct Schedule {
  std::string id;
  std::string kind;
  /// The department that owns the records, or a user: their department owns them and
  /// they are assigned.
  std::string owner;
  /// The subject, with {year}, {month}, {quarter}, {week} and {period} filled in.
  std::string subject;
  std::string every;               ///< "week", "month", "quarter" or "year"
  /// The day of the month it falls on (-1 the last, -5 the fifth from last); 0 = not given.
  int day = 0;
  /// Or the Nth working day of the month (negative: counted from its end) on the working
  /// calendar, makeup days (调休) counting; 0 = not given.
  int working_day = 0;
  int weekday = 0;                 ///< every = "week": 1 Monday … 7 Sunday
  /// The month of each quarter it falls in (every = "quarter": default 1, 4, 7, 10), or the
  /// one month of the year (every = "year").
  std::vector<int> months;
  /// The deadline from the start of the day it falls on; absent: the kind's resolve.
  std::optional<Duration> due;
  std::optional<date::sys_days> start;  ///< no occurrence before this date
  SourcePos pos;
  friend bool operator==(const Schedule&, const Schedule&) = default;
};

/// A way of communicating (沟通方式): email, phone, meeting …
struct Channel {
  friend bool operator==(const Channel&, const Channel&) = default;
  std::string id;
  std::string name;
  SourcePos pos;
};

/// What a record is about (主题), beside its kind: 质量, 安全, 设备, 环境, 人事 … The
/// list is the company's ([[topic]]); none = records carry no topic.
struct Topic {
  friend bool operator==(const Topic&, const Topic&) = default;
  std::string id;
  std::string name;
  SourcePos pos;
};

/// A type of outside party (相关方): customer, supplier, regulator …
struct PartyType {
  friend bool operator==(const PartyType&, const PartyType&) = default;
  std::string id;
  std::string name;
  SourcePos pos;
};

/// A responsibility rule: `when` keys are ANDed, the values of one key ORed.
struct Rule {
  friend bool operator==(const Rule&, const Rule&) = default;
  std::string name;                  ///< "rule N" when not given
  int index = 0;                     ///< 1-based position in the file
  /// key → accepted values. Keys: direction, kind, party_type, party, channel, flow,
  /// level, from_dept, major ("true"/"false").
  std::map<std::string, std::vector<std::string>> when;
  std::string owner;                 ///< department id; empty = leave unset
  std::string assignee;              ///< user id; optional
  std::vector<std::string> notify;   ///< department ids
  std::string escalate;              ///< department id (usually top management)
  std::optional<bool> major;         ///< marks matching records major
  /// The approval chain of the records it matches, in place of their kind's (Kind::approval).
  std::vector<std::string> approval;
  SourcePos pos;
};

/// Reference formats per direction. {year} and {seq:05} (zero-padded width) expand.
struct Numbering {
  friend bool operator==(const Numbering&, const Numbering&) = default;
  std::string external = "EXT-{year}-{seq:05}";
  std::string internal = "INT-{year}-{seq:05}";
};

/// The [organization] section.
struct Organization {
  friend bool operator==(const Organization&, const Organization&) = default;
  std::string name;
  std::string timezone = "UTC";
  std::string top;                   ///< department id of top management
  /// "zh" or "en": the language when neither --lang nor the locale says one (a cron job
  /// has no LANG); "" = English then.
  std::string lang;
};

/// The [report] section: what the monthly summary counts as what.
struct ReportConfig {
  friend bool operator==(const ReportConfig&, const ReportConfig&) = default;
  std::vector<std::string> complaint_kinds{"complaint"};    ///< "top parties by complaints" counts these
  std::vector<std::string> suggestion_kinds{"suggestion"};  ///< the suggestions section counts these
  int top_parties = 10;                                     ///< how many parties that list shows
  std::string title;    ///< the HTML report's heading; "" = the catalogue's ("Communication report")
  std::string form_no;  ///< the form number (表单编号) printed in the HTML report's header and footer
  /// The sign-off roles of the HTML report's sign-off block; nullopt = 编制/审核/批准
  /// (Prepared/Reviewed/Approved in English), empty = no block.
  std::optional<std::vector<std::string>> signoff;
  bool csv_bom = false;  ///< CSV output begins with a UTF-8 byte-order mark (as --bom)
};

/// One step of the reminder escalation chain: once a record is overdue by `after`, the
/// reminder also goes to `to`.
struct RemindStep {
  friend bool operator==(const RemindStep&, const RemindStep&) = default;
  Duration after;                    ///< overdue by at least this (see WorkCalendar::has_elapsed)
  /// "head" (head of the owner department), "top" (head of organization.top), a
  /// department id (its email, else its head) or a user id.
  std::string to;
  SourcePos pos;
};

/// The [remind] section: how `liaison remind` delivers and how often it repeats itself.
struct RemindConfig {
  friend bool operator==(const RemindConfig&, const RemindConfig&) = default;
  std::string sendmail = "/usr/sbin/sendmail -t -oi";  ///< the message is piped to this command
  std::string from;                  ///< From: address; empty = "liaison@<host name>"
  Duration interval{1, DurationUnit::working_days};  ///< the same reminder is not repeated within this
  std::vector<RemindStep> escalate;  ///< the escalation chain, in order of `after`
  int timeout_seconds = 60;          ///< a sendmail still running after this long is killed
};

/// The whole validated configuration.
struct Config {
  friend bool operator==(const Config&, const Config&) = default;
  std::string path;                  ///< the file it was read from
  std::string hash;                  ///< hex SHA-256 of the file's bytes
  Organization organization;
  std::string store_path;            ///< absolute, resolved against the file's folder
  int store_mode = 0600;             ///< [store] mode: of every file liaison creates (0600, 0640, 0660)
  CalendarConfig calendar;
  Levels levels;
  std::vector<Department> departments;
  std::vector<User> users;
  std::vector<Kind> kinds;
  std::vector<Channel> channels;
  std::vector<Topic> topics;         ///< [[topic]]; empty = records carry no topic
  std::vector<PartyType> party_types;
  std::vector<Rule> rules;
  std::vector<Schedule> schedules;   ///< [[schedule]]: recurring obligations
  Numbering numbering;
  ReportConfig report;
  RemindConfig remind;
  AccessConfig access;
  ::liaison::limits::TextLimits limits;  ///< [limits]: how long free text may be
  AttachmentsConfig attachments;     ///< [attachments]
  MailConfig mail;                   ///< [mail] and [[mail.rule]]
  std::vector<Diagnostic> warnings;  ///< non-fatal findings (e.g. a rule that never matches)

  const Department* department(std::string_view id) const;
  const User* user(std::string_view id) const;
  /// The user whose `login` is this operating-system login, or, when none names it, the
  /// user without a login whose id it is; nullptr when neither.
  const User* user_by_login(std::string_view login) const;
  const Kind* kind(std::string_view id) const;
  const Channel* channel(std::string_view id) const;
  const PartyType* party_type(std::string_view id) const;
  const Topic* topic(std::string_view id) const;
  /// Rank of a level in `levels.order`, or -1.
  int level_rank(std::string_view id) const;
};

/// Thrown when the config cannot be used; carries every problem found (exit 78).
class ConfigError : public Error {
 public:
  ConfigError(Message summary, std::vector<Diagnostic> diagnostics)
      : Error(ExitCode::config, std::move(summary), msg<Msg::fix_each_problem_listed_then_check>()),
        diagnostics_(std::move(diagnostics)) {}
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// Reads and validates a config file. Throws ConfigError listing every error found;
/// warnings are returned in Config::warnings.
Config load_config(const std::string& path);
/// The same from text already in memory (`path` is used in messages only).
Config parse_config(const std::string& text, const std::string& path);

/// What `config check` finds outside the file: warnings about this machine that a valid
/// config may still trip on (the [remind] sendmail program is missing or not executable).
/// Not part of load_config, whose result is cached by the file's content.
std::vector<Diagnostic> check_environment(const Config& config);

/// Where the config is looked up when --config is not given (liaison(1), FILES).
/// Returns the first that exists, or nullopt.
std::optional<std::string> find_config_file();

/// The effective config with every default filled in, keys mirroring the TOML
/// (`config show --format json`): dates "YYYY-MM-DD", durations as text, hours "HH:MM-HH:MM".
nlohmann::json config_to_json(const Config& config);

/// "HH:MM-HH:MM" for a day interval (24:00 for the end of the day).
std::string format_interval(const DayInterval& interval);

/// The closest candidate by Damerau-Levenshtein distance, if it is at most a third of the
/// longer name (at least 1) — for "did you mean …?".
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// The date `period` ("3y", "6m", "90d"; valid_retention, not "permanent") after `from`:
/// years and months keep the day of the month, or take the month's last day (2024-02-29
/// + 1y = 2025-02-28); nullopt for "permanent" or anything malformed.
std::optional<date::sys_days> add_retention(date::sys_days from, std::string_view period);
/// True when `shorter` ends before `longer` counted from every day of a leap cycle's
/// first year (anonymise_after against retention); "permanent" is longer than any period.
bool retention_shorter(std::string_view shorter, std::string_view longer);

}  // namespace liaison
