// Every read the commands make goes through here: show (record, history, identity), list,
// search, overdue, report, audit log and verify, export, remind's selection, backup and
// the party registry. Each takes the Context, whose Access is the acting user's, and
// returns values already redacted for that user (lib/policy/access.h); what must be
// logged is logged (viewing an identity appends `identity-viewed`). Commands render what
// comes back and never open the store themselves.
#pragma once
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit.h"
#include "backup.h"
#include "chain.h"
#include "exchange.h"
#include "model.h"
#include "overdue.h"
#include "query.h"
#include "remind.h"
#include "report.h"
#include "services.h"
#include "store.h"

namespace liaison {

/// A record as the acting user may see it, for `show`.
struct RecordView {
  Record record;                ///< redacted above the user's clearance
  std::vector<Event> history;   ///< redacted likewise
  /// "anonymous", "protected" (someone is named: see show --identity) or "" (nothing recorded).
  std::string identity;
  std::optional<Party> party;   ///< the record's party, when it names a registered one
  std::optional<LegalHold> hold;  ///< the legal hold on it, from its (redacted) history
  /// A meeting's attendees and those absent, as filed (file --attendee, --absent).
  std::vector<std::string> attendees, absent;
  /// Its action items (liaison action), texts redacted likewise.
  std::vector<ActionItem> actions;
  /// The earlier meeting it follows up (file --follow-up) and that meeting's actions not
  /// done, when the user may read it; the reference alone otherwise.
  std::string follow_up;
  std::vector<ActionItem> follow_up_actions;
};
/// The record `ref` with its history; NotFoundError if there is none.
RecordView read_record(const Context& ctx, const std::string& ref);
/// Which action items `action list` shows: those not done only (`open`), one owner's,
/// one record's (`meeting`, a reference); empty = any.
struct ActionQuery {
  bool open = false;
  std::string owner;
  std::string meeting;
};
/// The action items `query` selects on the records the acting user may read (the others
/// are left out, not counted), by record (received first), then number. NotFoundError
/// for a `meeting` that names no record; PermissionError for one above the user's clearance.
std::vector<std::pair<Record, ActionItem>> list_actions(const Context& ctx, const ActionQuery& query);

/// NotFoundError unless `ref` names a record.
void require_record(const Context& ctx, const std::string& ref);

/// PermissionError (exit 77) unless the acting user may see who raised `ref`: asked
/// before anything is opened for writing, so a read-only copy refuses alike.
void check_identity_access(const Context& ctx, const std::string& ref);
/// Who raised a record (view_identity: the view is logged) and the record as the user may
/// see it. Needs a store open for writing.
struct IdentityView {
  Record record;
  std::optional<Identity> identity;
};
IdentityView read_identity(Context& ctx, const std::string& ref);

/// The confidentiality levels the acting user may read: records at other levels (and at
/// levels the config no longer lists, which count as the highest) are left out of
/// searches, so a match cannot reveal their text. nullopt when they may read every level.
std::optional<std::vector<std::string>> readable_levels(const Context& ctx);
/// The records `filter` selects (with --grep, none the user may not read), redacted.
std::vector<Record> list_records(const Context& ctx, RecordFilter filter);
/// Records whose text matches `text` (store search), leaving out the levels the user may
/// not read, best first.
std::vector<SearchHit> search_records(const Context& ctx, const std::string& text, RecordFilter filter);
/// The auditor's read-only query session (`liaison query`) for the acting user: the views
/// redact by the user's clearance and show names and times in the user's language and the
/// organisation's zone. A store without auditor queries says so (StoreError).
std::unique_ptr<QuerySession> open_query_session(const Context& ctx);

/// What is overdue or falls due soon (lib/services/overdue.h), one entry at a time, the
/// subjects redacted for the acting user.
void each_overdue(const Context& ctx, const OverdueRequest& request,
                  const std::function<void(const OverdueEntry&)>& each);

/// `remind`'s selection: what is overdue for `request`, grouped per recipient, leaving out
/// what was reminded within [remind] interval. Not redacted: each mail is redacted for its
/// recipient by reminder_as_read. `sending`: the reminders will be sent and recorded, so
/// the acting user must be one who may write (PermissionError first, before the
/// departments and kinds of `request` are checked); a dry run may be planned by anyone.
ReminderPlan plan_remind(const Context& ctx, const OverdueRequest& request, bool sending);
/// A reminder as its recipient may read it; `shown_to_actor` (a dry run prints it to the
/// acting user) also redacts what the acting user may not read.
Reminder reminder_as_read(const Context& ctx, const Reminder& reminder, bool shown_to_actor);

/// The report of a period (lib/report/report.h); the subjects of the records it lists
/// redacted for the acting user. The counts are not: they tell nothing of what a record says.
/// `with_trend` adds the 12-month trend (build_trend) that the HTML report draws;
/// `details` caps the lists of records as build_report does (nullopt: all).
Report read_report(const Context& ctx, const Period& period, const ReportFilter& filter, const std::string& version,
                   bool with_trend = false, std::optional<std::int64_t> details = std::nullopt);

/// Whether the history holds an event of `type` (one a newer version writes, say).
bool event_type_present(const Context& ctx, const std::string& type);
/// The events `filter` selects, in its order, each redacted for the acting user at its
/// record's level; streamed, never held.
void each_audit_event(const Context& ctx, const EventFilter& filter, const std::function<void(const Event&)>& each);

/// The hash chain of the whole history.
ChainCheck verify_chain(const Context& ctx);
/// The records checked against their history and the first that does not agree.
struct StateCheck {
  std::int64_t records = 0;
  std::optional<StateMismatch> first;
  /// The attachments each event's data lists (by event id, then number), from every
  /// history: what check_attachments_against compares the kept attachments with.
  std::map<std::int64_t, std::map<std::int64_t, Attachment>> attachments_listed;
};
StateCheck check_states(const Context& ctx);

/// Writes the records `request` selects, redacted for the acting user (export_records).
ExportCounts export_records(const Context& ctx, ExportRequest request, std::ostream& out);

/// A checked copy of the database into `file` (backup_store), for those Access::require_backup
/// lets; UsageError when `file` is the database `db_path` itself.
BackupResult take_backup(const Context& ctx, const std::string& file, const std::string& db_path, bool force);

/// The user `id` names where a user id is taken: `me` or `@me` is the acting user (`me`
/// only while no user of the config has that id); UsageError (exit 2) naming `flag` when
/// nobody is acting: the config lists users and the acting user is none of them. Any
/// other id as given.
std::string user_or_me(const Context& ctx, std::string id, std::string_view flag);
/// The department ids a department option names, with `me` or `@me` standing for the
/// acting user's department (UsageError when nobody is acting or they belong to none);
/// the others as given.
std::vector<std::string> departments_or_mine(const Context& ctx, std::vector<std::string> ids, std::string_view flag);
/// The same for a command that opens no store (rules explain): the acting user as
/// `access` knows them.
std::vector<std::string> departments_or_mine(const Config& config, const Access& access, std::vector<std::string> ids,
                                             std::string_view flag);

/// The user ids a filter names (--assignee, --actor), checked: "me" stands for the acting
/// user (user_or_me); an id the config does not list is accepted only while `present` finds it in the
/// data (a former user), else DataError (exit 65) with "did you mean". An empty result
/// then means "none", never "mistyped".
std::vector<std::string> filter_users(const Context& ctx, std::vector<std::string> ids, std::string_view flag,
                                      const std::function<bool(const std::string&)>& present);
/// The same for --assignee of record filters: present = some record is assigned to it.
std::vector<std::string> filter_assignees(const Context& ctx, std::vector<std::string> ids);
/// The same for --actor of the audit log: present = some event was written by it.
std::vector<std::string> filter_actors(const Context& ctx, std::vector<std::string> ids);
/// Checks the party ids a filter names (--party): NotFoundError (exit 4), as `file --party`
/// gives, with the closest registered id as "did you mean".
void check_filter_parties(const Context& ctx, const std::vector<std::string>& ids);

/// The registered parties (of `type`, when not empty).
std::vector<Party> list_parties(const Context& ctx, const std::string& type);
/// One party; NotFoundError if there is none.
Party read_party(const Context& ctx, const std::string& id);

}  // namespace liaison
