// The record, clock and party JSON shape shared by export, import and the commands' JSON
// output (exchange.h), and the JSON Lines form of a record and of a party.
#include "exchange.h"

#include "exchange_internal.h"

namespace liaison {

namespace {

using json = nlohmann::json;
using ordered = nlohmann::ordered_json;

ordered opt_iso(const WorkCalendar& cal, const std::optional<TimePoint>& t) {
  return t ? ordered(cal.format_iso(*t)) : ordered(nullptr);
}

}  // namespace

namespace exchange_detail {

ordered clocks_json(const std::vector<Clock>& clocks, const WorkCalendar& cal) {
  ordered out = ordered::array();
  for (const auto& c : clocks) out.push_back(clock_json(c, cal));
  return out;
}

ordered events_json(const std::vector<Event>& events, const WorkCalendar& cal) {
  ordered out = ordered::array();
  for (const auto& e : events) {
    ordered data = ordered::parse(e.data, nullptr, false);
    if (data.is_discarded()) data = ordered::object();
    out.push_back(ordered{{"type", e.type}, {"actor", e.actor}, {"at", cal.format_iso(e.at)}, {"data", data}});
  }
  return out;
}

std::string dump(const ordered& j) { return j.dump(-1, ' ', false, ordered::error_handler_t::replace); }

ordered record_object(const Record& r, bool redacted, const WorkCalendar& cal) {
  ordered j = record_fields_json(r, cal);
  j["redacted"] = redacted;
  return j;
}

}  // namespace exchange_detail

using exchange_detail::dump;

ordered clock_json(const Clock& c, const WorkCalendar& cal) {
  ordered j{{"clock", c.name},
            {"duration", c.duration},
            {"started_at", cal.format_iso(c.started_at)},
            {"due", opt_iso(cal, c.due)},
            {"stopped_at", opt_iso(cal, c.stopped_at)},
            {"used_seconds", c.used_seconds ? ordered(*c.used_seconds) : ordered(nullptr)},
            {"paused_since", opt_iso(cal, c.paused_since)},
            {"paused_seconds", c.paused_seconds},
            {"config_hash", c.config_hash},
            {"provisional", c.provisional}};
  // Only when the sender gave the deadline (file --due), so other clocks read as before.
  if (c.given) j["given"] = true;
  return j;
}

json record_json(const Record& r, const WorkCalendar& cal, TimePoint now) {
  json j = record_fields_json(r, cal);  // the fields export writes, by name
  j["overdue"] = is_overdue(r, now);
  if (!r.clocks.empty()) {
    json clocks = json::array();
    for (const auto& c : r.clocks) {
      json cj = clock_json(c, cal);
      cj["met"] = c.due && c.stopped_at ? json(*c.stopped_at <= *c.due) : json(nullptr);
      clocks.push_back(std::move(cj));
    }
    j["clocks"] = std::move(clocks);
  }
  return j;
}

json party_json(const Party& p) {
  return {{"id", p.id},       {"name", p.name},   {"type", p.type},       {"contact", p.contact},
          {"phone", p.phone}, {"email", p.email}, {"address", p.address}, {"notes", p.notes}};
}

ordered record_fields_json(const Record& r, const WorkCalendar& cal) {
  ordered j{{"ref", r.ref},
                 {"kind", r.kind},
                 {"direction", to_string(r.direction)},
                 {"flow", to_string(r.flow)},
                 {"subject", r.subject},
                 {"body", r.body},
                 {"channel", r.channel},
                 {"party", r.party},
                 {"from_dept", r.from_dept},
                 {"owner", r.owner},
                 {"assignee", r.assignee},
                 {"level", r.level},
                 {"major", r.major},
                 {"status", to_string(r.status)},
                 {"outcome", r.outcome ? ordered(to_string(*r.outcome)) : ordered(nullptr)},
                 {"resolution", r.resolution},
                 {"reply_via", r.reply_via},
                 {"capa", r.capa},
                 {"rule", r.rule},
                 {"notify", r.notify},
                 {"escalated_to", r.escalated_to},
                 {"received_at", cal.format_iso(r.received_at)},
                 {"created_at", cal.format_iso(r.created_at)},
                 {"created_by", r.created_by},
                 {"ack_due", opt_iso(cal, r.ack_due)},
                 {"acked_at", opt_iso(cal, r.acked_at)},
                 {"due", opt_iso(cal, r.due)},
                 {"closed_at", opt_iso(cal, r.closed_at)},
                 {"topic", r.topic},
                 {"customer_ref", r.customer_ref},
                 {"eight_d", r.eight_d},
                 {"their_ref", r.their_ref},
                 {"compliance_obligation", r.compliance_obligation}};
  // A tombstone says so (liaison purge); the keys are absent for every other record.
  if (r.purged_at) j["purged_at"] = cal.format_iso(*r.purged_at);
  if (r.anonymised_at) j["anonymised_at"] = cal.format_iso(*r.anonymised_at);
  return j;
}

const std::vector<std::string>& record_fields() {
  static const std::vector<std::string> fields{
      "ref",       "kind",      "direction",  "flow",       "subject",     "body",         "channel",
      "party",     "from_dept", "owner",      "assignee",   "level",       "major",        "status",
      "outcome",   "resolution", "reply_via", "capa",       "rule",        "notify",       "escalated_to",
      "received_at", "created_at", "created_by", "ack_due", "acked_at",    "due",          "closed_at",
      "topic",     "customer_ref", "eight_d", "their_ref", "compliance_obligation", "redacted",  "clocks",    "events"};
  return fields;
}

std::string party_to_jsonl(const Party& p, const WorkCalendar& cal) {
  ordered j{{"type", "party"},     {"id", p.id},       {"name", p.name},       {"party_type", p.type},
            {"contact", p.contact}, {"phone", p.phone}, {"email", p.email},     {"address", p.address},
            {"notes", p.notes},     {"created_at", cal.format_iso(p.created_at)}};
  return dump(j) + '\n';
}

std::string record_to_jsonl(const Record& r, const std::vector<Event>* events, bool redacted,
                            const WorkCalendar& cal) {
  std::string out;
  exchange_detail::append_record_jsonl(out, r, events, redacted, cal);
  return out;
}

}  // namespace liaison
