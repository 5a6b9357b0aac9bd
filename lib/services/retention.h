// Retention and disposition (`liaison purge`): each kind's `retention` and
// `anonymise_after` (liaison.toml(5)), counted from a record's closing, applied to the
// closed records whose time is up — except those under a legal hold.
//
// A purge keeps a tombstone: the record's reference, kind, direction, owner, level,
// dates, outcome, clocks and party, and its history's events with their types, actors and
// times. It takes out every free text — the subject, body and resolution, the texts of
// its events (notes, reasons, explanations, mail bodies), its attachments' names and (when
// no record keeping its content lists the same bytes) their bytes, and the complainant's
// identity — and the search index forgets them. The hash chain still verifies: an event's
// hash covers the digest of its data (lib/services/chain.h), which the purge keeps, and the
// `purged` event appended last seals what is left of each event it reduced ("sealed", with
// the rule that applied), so a tombstone altered later is found by `audit verify`.
//
// Anonymisation takes only the complainant's identity (name, position, organisation,
// phone); the rest stays until the retention is up. Both are events ("purged",
// "anonymised") that `audit verify` replays into records.purged_at and anonymised_at.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model.h"
#include "services.h"

namespace liaison {

/// What the kinds' retention asks for one closed record.
struct Disposition {
  enum class Action { purge, anonymise, held };
  std::int64_t record_id = 0;
  std::string ref;
  std::string kind;
  TimePoint closed_at{};
  Action action = Action::purge;
  /// "retention 3y" or "anonymise_after 1y": the key of the record's kind that applies.
  std::string rule;
  /// From when it applies: the start of the day after closing + the period, local time.
  TimePoint due{};
};

const char* to_string(Disposition::Action action);

/// The records whose retention or anonymisation is due at ctx.now, oldest closing first:
/// each closed record of a kind with `retention` (not "permanent") once that is up, to
/// purge; else of a kind with `anonymise_after`, once that is up, to anonymise unless
/// already anonymised or with no identity given. A record under a legal hold is listed
/// with the action `held` and left alone. Reads only.
std::vector<Disposition> plan_disposition(Context& ctx);

/// Carries out `plan_disposition` in one write transaction (Access::require_purge first):
/// purges and anonymises as listed; returns the list as done.
std::vector<Disposition> apply_disposition(Context& ctx);

/// What a purge leaves of an event's data (canonical JSON): every string under the keys
/// that hold free text (subject, body, text, reason, note, resolution, explanation, and an
/// attachment's name), at any depth, and every string of an "identity" object, emptied;
/// everything else as it was. Data that is not a JSON object is emptied to "{}".
std::string purged_event_data(const std::string& data);

}  // namespace liaison
