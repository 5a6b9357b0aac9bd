// `liaison remind`: who is reminded of which overdue obligations, the mail each recipient
// gets, and the `reminded` events that keep the same reminder from going out twice within
// [remind] interval. Planning is a pure function of its inputs, so it is tested without a
// database or a mail system.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "access.h"
#include "calendar.h"
#include "config.h"
#include "i18n.h"
#include "mail.h"
#include "overdue.h"
#include "services.h"
#include "store.h"

namespace liaison {

/// Who receives a reminder: a user, or a department's own mailbox.
struct ReminderRecipient {
  friend bool operator==(const ReminderRecipient&, const ReminderRecipient&) = default;
  std::string id;            ///< user id, or department id when `department`
  std::string name;          ///< display name from the config
  std::string email;
  bool department = false;
};

/// One overdue obligation in a reminder, and why this recipient gets it.
struct ReminderItem {
  OverdueEntry entry;
  /// "assignee", "owner-head" (head of the owner department), "owner-department" (its
  /// mailbox), "recipient" (who has not signed for a notice: a receipt clock), "approver"
  /// (whose turn it is to approve: an approval clock), or
  /// "escalation" (a [[remind.escalate]] step; see `after`).
  std::string reason;
  std::string after;         ///< for "escalation": the step's `after`, e.g. "2wd"
};

/// One message: everything one recipient is reminded of, most late first.
struct Reminder {
  ReminderRecipient to;
  std::vector<ReminderItem> items;
  /// Distinct records among the items (a record can be late to acknowledge and to resolve).
  std::size_t record_count() const;
};

/// The newest reminder already sent for one record, obligation and recipient.
struct SentReminder {
  std::int64_t record_id = 0;
  std::string obligation;
  std::string to;            ///< recipient id
  TimePoint at{};
};

/// What `remind` would send.
struct ReminderPlan {
  std::vector<Reminder> reminders;      ///< one per recipient, in order of first appearance
  /// Obligations someone should be reminded of but who has no e-mail address, one
  /// message each: "REF: no e-mail address for …".
  std::vector<Message> unreachable;
  std::int64_t already_sent = 0;        ///< (obligation, recipient) pairs skipped: reminded within the interval
};

/// Chooses the recipients of each overdue entry and groups them per recipient:
///  - the assignee (with an address), else the head of the owner department, else the
///    owner department's own address;
///  - plus each [[remind.escalate]] step whose `after` has passed since the deadline
///    (WorkCalendar::has_elapsed(due, now, after)): "head", "top", a department (its
///    address, else its head) or a user;
/// each recipient once per entry, leaving out those `sent` shows were reminded of that
/// obligation less than [remind] interval ago. Entries that are not overdue are ignored.
ReminderPlan plan_reminders(const std::vector<OverdueEntry>& entries, const Config& config,
                            const WorkCalendar& calendar, TimePoint now, const std::vector<SentReminder>& sent);

/// The earliest moment a reminder sent within `interval` before `now` can have: reminders
/// sent before it have all outlived the interval (so only later ones need looking up).
TimePoint reminder_lookback(const WorkCalendar& calendar, TimePoint now, const Duration& interval);

/// The newest `reminded` event per record, obligation and recipient since `since`.
std::vector<SentReminder> sent_reminders(Store& store, TimePoint since);

/// The From: mailbox: [remind] from, else "liaison@<host name>", named after the organisation.
MailAddress reminder_sender(const Config& config);

/// The language of the mail to `to`: the user's [[user]] lang, else [organization] lang,
/// else `command_lang` (the language the command runs in).
Lang reminder_lang(const ReminderRecipient& to, const Config& config, Lang command_lang);

/// A span of time for people: "1 working day", "48 小时".
std::string human_duration(const Duration& d, Lang lang);
/// Seconds east of UTC at `t` in the organisation's zone: the offset of a mail's Date header.
std::int32_t utc_offset(const WorkCalendar& calendar, TimePoint t);

/// The mail for one reminder, in `lang`, times in the organisation's zone. The Message-ID
/// is derived from `now`, the recipient and the items.
MailMessage reminder_message(const Reminder& reminder, const Config& config, const WorkCalendar& calendar,
                             Lang lang, TimePoint now);

/// The reminder as its recipient may read it: the subjects of records above the
/// recipient's clearance (a department mailbox: the lowest clearance among its people,
/// Access::mailbox) replaced by the redaction mark; when `viewer` is given (a dry run
/// shows the mail to the acting user), also those above the viewer's.
Reminder redact_for_recipient(Reminder reminder, const Config& config, Lang lang, const Access* viewer = nullptr);

/// Records a delivered reminder: one `reminded` event per item (data: to, email,
/// obligation, late_working_days, due, reason, after, message_id), all in one transaction.
void record_reminder(Context& ctx, const Reminder& reminder, const std::string& message_id);

}  // namespace liaison
