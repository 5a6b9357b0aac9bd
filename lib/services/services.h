// The lifecycle operations: file, log, route, ack, escalate, wait, resume, close,
// reopen, party registry. Each validates its request, applies rules and the working
// calendar, and writes the record and its event in one transaction.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "access.h"
#include "calendar.h"
#include "config.h"
#include "i18n.h"
#include "model.h"
#include "rules.h"
#include "store.h"

namespace liaison {

/// What every operation needs: passed explicitly, never global. `now` and `actor` are
/// injected so tests and back-filling can fix them. Every operation checks that `actor`
/// may do it (`access`, lib/policy/access.h) and throws PermissionError (exit 77)
/// otherwise; every read (lib/services/reads.h) returns what `access` may see, with
/// redacted texts marked in `lang`.
struct Context {
  Context(const Config& config_, const WorkCalendar& calendar_, Store& store_, std::string actor_, TimePoint now_,
          Lang lang_ = Lang::en)
      : config(config_), calendar(calendar_), store(store_), actor(std::move(actor_)), now(now_), lang(lang_) {}
  const Config& config;
  const WorkCalendar& calendar;
  Store& store;
  std::string actor;
  TimePoint now;
  Lang lang = Lang::en;
  /// The user who really acts when an admin acts for `actor` (--as); "" otherwise. Each
  /// event then records both: `actor`, and `by` in its data.
  std::string by;
  /// Told when something is shown redacted to `actor` (RedactionNote); none when null.
  RedactionNote* redactions = nullptr;
  /// What `actor` may do and see: built once, and again only if `actor` is changed
  /// (tests and back-filling act as someone else).
  const Access& access() const {
    if (!access_ || access_->actor() != actor) access_.emplace(config, actor, redactions);
    return *access_;
  }

 private:
  mutable std::optional<Access> access_;
};

/// Checks that an id given for `what` (a flag, e.g. "--to") names a department of the
/// config; DataError with a "did you mean" hint otherwise. Empty ids pass.
void check_department(const Config& config, const std::string& id, std::string_view what);
/// The same for users (any id passes when the config lists no users: single-user mode).
void check_user(const Config& config, const std::string& id, std::string_view what);
/// The same for channels.
void check_channel(const Config& config, const std::string& id, std::string_view what);
/// The kind with this id; DataError with a "did you mean" hint otherwise.
const Kind& check_kind(const Config& config, const std::string& id);
/// The same for party types.
void check_party_type(const Config& config, const std::string& type);
/// The same checks for the values of a filter (--dept, --kind, --party-type of list,
/// search, export, overdue, report, remind; --topic): an id that names nothing would select
/// nothing, so it is NotFoundError (exit 4), with the same message and "did you mean".
void check_filter_departments(const Config& config, const std::vector<std::string>& ids);
void check_filter_kinds(const Config& config, const std::vector<std::string>& ids);
void check_filter_party_types(const Config& config, const std::vector<std::string>& ids);
void check_filter_topics(const Config& config, const std::vector<std::string>& ids);
/// StateError (exit 5) when `ctx.now` (--now) is later than the real clock: an event takes
/// effect no later than it is recorded. Back-filling (an earlier --now) stays possible, and
/// the history shows both times (Event::recorded_at).
void check_not_future(const Context& ctx);

/// A file to attach as read at the edge (read_attachment_file, lib/services/attachments.h):
/// its name, without any folder, and its bytes.
struct NewAttachment {
  std::string name;
  std::string content;
};

/// The fields of a new record as the user gave them; empty = not given.
struct FileRequest {
  std::string kind;
  std::optional<Direction> direction;       ///< default: external if a party is given
  Flow flow = Flow::none;
  std::string subject;
  std::string body;
  std::string channel;
  std::string party;
  std::string from_dept;
  std::string owner;                        ///< overrides the rules when given
  std::string assignee;
  std::string level;                        ///< default: levels.default
  bool major = false;
  std::string topic;                        ///< topic id ([[topic]])
  std::string customer_ref;                 ///< the customer's own number for it
  std::string eight_d;                      ///< the 8D report's number
  std::string their_ref;                    ///< the sender's own reference (a letter's 文号)
  std::string compliance_obligation;        ///< the compliance obligation it concerns (--obligation)
  /// The sender's deadline (`--due`), which the resolve clock takes instead of the kind's:
  /// a moment, or a duration from receipt on the working calendar. At most one of them.
  std::optional<TimePoint> due_at;
  std::optional<Duration> due_within;
  std::optional<TimePoint> received_at;     ///< default: now
  /// Who raised it (--contact-*), or anonymous (--anonymous); kept apart from the record
  /// and never written into its events. The kind's `identity` says whether it may,
  /// must or must not be given.
  Identity identity;
  /// Files attached to the record (--attach), listed in its `filed` event.
  std::vector<NewAttachment> attachments;
  /// mail-in: the SHA-256 of the message's Message-ID, in the `filed` event's data.
  std::string message_sha256;
  /// Who must sign for it (--recipient): user and department ids; a department means its
  /// head and members at filing time. Each user gets a clock "receipt:<user>" with the
  /// kind's `receipt` duration. Only for a kind that sets `receipt`.
  std::vector<std::string> recipients = {};
  /// A meeting's attendees (--attendee) and those absent (--absent): user ids, kept in the
  /// `filed` event's data.
  std::vector<std::string> attendees = {};
  std::vector<std::string> absent = {};
  /// The earlier meeting this one follows up (--follow-up), by reference: its open
  /// actions are shown with these minutes.
  std::string follow_up = {};
  /// Filed by `schedule run` ([[schedule]]): the schedule's id and the period
  /// ("2026-10"), kept in the `filed` event's data. A period filed already is not filed
  /// again: file_record returns that record, with FileResult::filed_before.
  std::string schedule_id = {};
  std::string schedule_period = {};
};

/// A filed record and what the rules decided for it.
struct FileResult {
  Record record;
  std::string rule;                         ///< the rule that chose the owner ("" if --to)
  /// Members of a recipient department left out: they may not read the record at its
  /// level, or may not write (auditors), so cannot sign for it.
  std::vector<std::string> recipients_skipped = {};
  /// The schedule's period had its record already (FileRequest::schedule_id): `record`
  /// is that one, and nothing was written.
  bool filed_before = false;
};

/// Creates a record: validates, routes (decide_routing), computes deadlines, numbers it.
FileResult file_record(Context& ctx, const FileRequest& request);

/// The direction a filing gets: the one given, else external when a party (or, for
/// `rules explain`, a party type) is given, else internal.
Direction filing_direction(const FileRequest& request, const std::string& party_type);
/// The fields the rules look at for a record about to be filed, the defaults applied as
/// `file` applies them: filing_direction, and levels.default when no level is given.
/// `party_type` is the type of request.party (empty when none).
RuleInput routing_input(const Config& config, const FileRequest& request, const std::string& party_type);
/// The rules applied to routing_input: what `file` routes by and `rules explain` shows,
/// so a dry run and a filing never disagree.
RoutingDecision decide_routing(const Config& config, const FileRequest& request, const std::string& party_type);

/// What `log` appends: a note, call, email, meeting, reply, action or decision.
struct LogRequest {
  std::string ref;
  std::string type = "note";                ///< note | call | email | meeting | reply | action | decision
  std::string text;
  std::string channel;                      ///< optional channel id
  std::vector<NewAttachment> attachments;   ///< files attached (--attach), listed in the event
  std::string message_sha256;               ///< mail-in: the SHA-256 of the message's Message-ID
  std::string party;                        ///< mail-in: the party the message came from; "" none
};
/// The entry types `log --type` accepts.
const std::vector<std::string>& log_types();
Event log_record(Context& ctx, const LogRequest& request);

/// Reassigns the owner department and/or assignee; `automatic` re-applies the rules.
struct RouteRequest {
  std::string ref;
  std::string to;
  std::string assignee;
  std::string reason;
  bool automatic = false;
};
Record route_record(Context& ctx, const RouteRequest& request);

/// Acknowledges receipt: stops the acknowledge clock.
Record acknowledge_record(Context& ctx, const std::string& ref, const std::string& note);

/// Raises a record to a department or person; a skip-level case records 越级.
struct EscalateRequest {
  std::string ref;
  std::string to;                           ///< department or user id; default: top management
  std::string reason;
  std::optional<SkipLevelCase> skip_level;
};
Record escalate_record(Context& ctx, const EscalateRequest& request);

/// Pauses the resolve clock while waiting on someone outside.
Record wait_record(Context& ctx, const std::string& ref, const std::string& reason);
/// Resumes the resolve clock; its deadline moves by the working time paused.
Record resume_record(Context& ctx, const std::string& ref, const std::string& note);

/// A legal hold (法律保全) on a record: while it holds, the record is kept whatever its
/// kind's retention says. Both placing and releasing it are events ("held", "released",
/// with the reason); the newest of them says whether it holds.
struct LegalHold {
  TimePoint since{};
  std::string by;
  std::string reason;
};
/// The hold on record `record_id`, as its history gives it; nullopt when none holds.
std::optional<LegalHold> legal_hold(Store& store, std::int64_t record_id);
/// The same from a history already read (oldest first), as `show` has it.
std::optional<LegalHold> legal_hold(const std::vector<Event>& history);
/// Places a hold (admins and top management: Access::require_hold); StateError when one
/// holds already. Open or closed records alike.
Record hold_record(Context& ctx, const std::string& ref, const std::string& reason);
/// Releases the hold (the same people); StateError when none holds.
Record release_record(Context& ctx, const std::string& ref, const std::string& reason);

/// The clock of a notification a kind owes to `party` (NotifyDuty): "notify:<party>".
std::string notify_clock_name(const std::string& party);
/// The party of a notification clock's name; "" when `clock` is no notification's.
std::string notified_party(std::string_view clock);

/// The clock of `user`'s receipt of a notice (file --recipient): "receipt:<user>".
std::string receipt_clock_name(const std::string& user);
/// The user of a receipt clock's name; "" when `clock` is no receipt's.
std::string receipt_holder(std::string_view clock);

/// The acting user signs for a record they were sent (`liaison ack` by a recipient):
/// stops their receipt clock at now in a `signed` event. nullopt, writing nothing, when
/// they hold no receipt of it, or signed already and may acknowledge the record, which
/// is not acknowledged (then `ack` acknowledges the record itself); StateError when they
/// signed already otherwise.
std::optional<Record> sign_receipt(Context& ctx, const std::string& ref, const std::string& note);

/// The clock of the `number`th approval of a record (1-based), held by `user`:
/// "approval:<number>:<user>".
std::string approval_clock_name(int number, const std::string& user);
/// The approver of an approval clock's name; "" when `clock` is no approval's.
std::string approval_holder(std::string_view clock);
/// Its place in the chain; 0 when `clock` is no approval's.
int approval_number(std::string_view clock);

/// Where each approval of a record stands, from its history.
enum class ApprovalState { pending, approved, rejected };
struct ApprovalStep {
  Clock clock;                              ///< approval:<n>:<user>
  std::string approver;
  int number = 0;
  ApprovalState state = ApprovalState::pending;
  /// Its turn has come: every earlier one is approved (a rejected one stops the chain).
  /// An explanation's approval's turn is at once.
  bool current = false;
  /// Asked for the explanation of a rejection (`approve-request --explanation`), not for
  /// the matter: outside the chain's order, needed only to close it as rejected.
  bool explanation = false;
  /// Decided before the record's latest reopening: an explanation approved then does not
  /// approve the next one.
  bool before_reopening = false;
};
/// The record's approvals in chain order (its clocks and its history).
std::vector<ApprovalStep> approval_steps(Store& store, const Record& record);

/// `approve REF` and `reject REF --reason` by the approver whose turn it is: stops their
/// approval clock in an `approved` or `rejected` event; approving starts the next
/// approver's clock. PermissionError (77) when the acting user is asked no approval of
/// it; StateError (5) when it is not their turn or they decided already.
Record decide_approval(Context& ctx, const std::string& ref, bool approve, const std::string& text,
                       bool explanation = false);

/// `approve-request REF --from USER`: asks USER's approval, after the chain's others (a
/// clock approval:<n>:<user>, started when its turn comes); asks again one who rejected
/// it. DataError when USER may not read the record or may not write; StateError when they
/// were asked already and have not rejected, or the record is closed.
Record request_approval(Context& ctx, const std::string& ref, const std::string& from, const std::string& note,
                        bool explanation = false);

/// The clock of a record's `number`th action item (1-based; a meeting's 待办事项), owned
/// by `user`: "action:<number>:<user>".
std::string action_clock_name(int number, const std::string& user);
/// The owner of an action clock's name; "" when `clock` is no action's.
std::string action_owner(std::string_view clock);
/// Its number within the record; 0 when `clock` is no action's.
int action_number(std::string_view clock);
/// An action item's id as users write it: "REF/A<number>".
std::string action_id(const std::string& ref, int number);

/// One action item of a record, from its clock and its history.
struct ActionItem {
  std::string id;                           ///< REF/A<n>
  int number = 0;
  std::string owner;                        ///< the user who must carry it out
  std::string text;                         ///< what is to be done ("" once purged)
  Clock clock;                              ///< action:<n>:<owner>; stopped when done
  std::string done_by;                      ///< who marked it done
  std::string evidence;                     ///< what shows it done
};
/// The record's action items in order of number, from its clocks and `history` (as the
/// reader may see it: redacted texts stay redacted).
std::vector<ActionItem> record_actions(const Record& record, const std::vector<Event>& history);
/// The same from the store's history.
std::vector<ActionItem> record_actions(Store& store, const Record& record);

/// `action add REF --owner USER [--due …] TEXT`: a new action item on `ref`, its own
/// obligation with the deadline given (a moment, or a duration from now on the working
/// calendar) or else the kind's `action` duration; DataError when neither gives one.
/// Those who may act on the record add actions; the owner must be a user who may write
/// and read the record's level. Closed records too (minutes are closed when issued; their
/// actions run on), never a purged one.
struct ActionRequest {
  std::string ref;
  std::string owner;
  std::string text;
  std::optional<TimePoint> due_at;
  std::optional<Duration> due_within;
};
ActionItem add_action(Context& ctx, const ActionRequest& request);
/// `action done REF/A<n> --evidence TEXT` by its owner or one who may act on the record:
/// stops its clock in an `action-done` event. NotFoundError for an id that names no action
/// (with the record's action ids), StateError when it is done already.
ActionItem complete_action(Context& ctx, const std::string& id, const std::string& evidence);

/// Whether the holder of `clock` still owes it after the record is closed: a recipient's
/// receipt and an action item's owner do (closing is the owner department's act, not theirs).
bool owed_past_close(std::string_view clock);

/// Records that an outside party was notified as the record's kind requires (`liaison
/// notify`): stops that notification's clock at now, with the channel and a note, in a
/// `notified` event. DataError when the record owes that party no notification,
/// StateError when it was already recorded. The same people as may close it.
struct NotifyRequest {
  std::string ref;
  std::string party;
  std::string via;                          ///< channel id
  std::string note;
};
Record notify_party(Context& ctx, const NotifyRequest& request);

/// Closes a record with its resolution, stopping its clocks but the receipts not signed
/// (their recipients still owe them); StateError while a notification its kind requires
/// is not recorded, or an approval of its chain is not given.
struct CloseRequest {
  std::string ref;
  std::string resolution;
  std::optional<Outcome> outcome;           ///< default resolved
  std::string reply_via;                    ///< channel id the reply went by
  std::string capa;                         ///< CAPA reference
  std::string explanation;                  ///< why, owed to the proposer when rejected
  std::string eight_d{};                    ///< 8D number; "" = leave the one filed or edited
};
Record close_record(Context& ctx, const CloseRequest& request);

/// A record's descriptive fields to change (`liaison edit`); nullopt = leave as is, "" =
/// clear (not the subject). Its history is never edited: the change is an `edited` event
/// whose data holds the changed fields' values before ("from") and after ("to").
struct RecordEdit {
  std::optional<std::string> subject, body, topic, customer_ref, eight_d, capa, their_ref, compliance_obligation;
};
/// Applies `edit` (Access::require_act_on, as closing, and the record's level readable:
/// PermissionError otherwise; also closed records, never a purged one). DataError for a
/// field the kind requires given empty; UsageError when nothing would change.
Record edit_record(Context& ctx, const std::string& ref, const RecordEdit& edit);
/// Reopens a closed record; the resolve deadline is recomputed from now.
Record reopen_record(Context& ctx, const std::string& ref, const std::string& reason);

/// Hex SHA-256 over the identity's salt and fields: the filed event's identity_digest, so
/// an identity changed behind the tool's back no longer matches the history.
std::string identity_digest(const Identity& identity);

/// Who raised a record, for those allowed to see it (Access::require_identity: exit 77
/// otherwise): nullopt when nothing was recorded. Showing a given (not anonymous)
/// identity appends an `identity-viewed` event in the same transaction as the read.
std::optional<Identity> view_identity(Context& ctx, const std::string& ref);

/// The record with its history; NotFoundError if there is none.
Record get_record(Store& store, const std::string& ref);

/// How one clock's deadline was computed.
struct ClockExplanation {
  Clock clock;
  std::vector<ExplainStep> steps;           ///< empty for calendar-time durations
  std::int64_t used_seconds = 0;            ///< working time used so far (or in all)
  std::optional<bool> met;                  ///< stopped on or before due
  /// The schedule ([[schedule]]) whose `due` set a given resolve deadline; "" otherwise.
  std::string schedule;
};
std::vector<ClockExplanation> explain_deadlines(Context& ctx, const std::string& ref);

/// Registers or edits a party; both append an event.
void add_party(Context& ctx, const Party& party);
/// Fields to change; nullopt = leave as is.
struct PartyEdit {
  std::optional<std::string> name, type, contact, phone, email, address, notes;
};
Party edit_party(Context& ctx, const std::string& id, const PartyEdit& edit);
Party get_party(Store& store, const std::string& id);

/// `liaison audit recount`: rebuilds what the store keeps beside the records for the
/// report from the records and their history (Maintenance::recount_kept), in one write
/// transaction; admins and top management only (Access::require_recount). The records and
/// the history are untouched, so no event is written. StoreError when the store keeps
/// nothing of the kind.
KeptRecount recount_kept(Context& ctx);

/// Formats a reference from a numbering pattern ({year}, {seq:05}).
std::string format_reference(const std::string& pattern, int year, std::int64_t seq);
/// The sequence a pattern numbers within for a year: the pattern with {seq} removed.
std::string sequence_name(const std::string& pattern, int year);

}  // namespace liaison
