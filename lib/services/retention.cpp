#include "retention.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "chain.h"
#include "hash.h"
#include "record_events.h"

namespace liaison {

namespace {

using json = nlohmann::json;

/// The keys whose strings are free text: what a person wrote, or a file's name.
bool free_text_key(std::string_view key) {
  static const std::set<std::string_view> keys = {"subject", "body", "text", "reason",
                                                  "note", "resolution", "explanation", "name",
                                                  "evidence"};
  return keys.count(key) != 0;
}

/// Empties the strings of `value` (all of them when `all`), the free-text keys' at any depth.
void empty_free_text(json& value, bool all) {
  if (value.is_string()) {
    if (all) value = "";
  } else if (value.is_array()) {
    for (auto& item : value) empty_free_text(item, all);
  } else if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it)
      empty_free_text(it.value(), all || free_text_key(it.key()) || it.key() == "identity");
  }
}

/// The fewest days `period` can be ("3y": 3 × 365; "6m": 6 × 28), less a day: a bound
/// below which no record can be due, for the store's query.
std::chrono::days shortest(std::string_view period) {
  int n = 0;
  for (char c : period)
    if (c >= '0' && c <= '9') n = n * 10 + (c - '0');
  int per = period.back() == 'y' ? 365 : period.back() == 'm' ? 28 : 1;
  return std::chrono::days{std::max(0, n * per - 1)};
}

/// The start of the day after `closed_at` + `period`, local time: from then on it is due.
TimePoint due_after(const WorkCalendar& calendar, TimePoint closed_at, std::string_view period) {
  auto day = add_retention(calendar.local_date(closed_at), period);
  return calendar.at_local(*day + date::days{1}, 0);
}

RetentionStore& retention_store(Context& ctx) {
  return require(ctx.store, ctx.store.retention_store(), msg<Msg::can_purge>());
}

void purge(Context& ctx, RetentionStore& store, Record r, const std::string& rule) {
  // Purged and closed first: the triggers of schema 14 let the rest through only then.
  r.subject.clear();
  r.body.clear();
  r.resolution.clear();
  r.purged_at = ctx.now;
  ctx.store.update_record(r);
  store.forget_search_text(r.id);
  json sealed = json::array();
  std::vector<Event> history = ctx.store.events_for(r.id);
  for (Event& e : history) {
    std::string kept = purged_event_data(e.data);
    if (kept == e.data) continue;
    // The digest of the data as written: what the hash of an event since schema 14 covers
    // already (events_for does not read it back), and what an older event's seal keeps.
    e.data_sha256 = sha256_hex(e.data);
    e.data = std::move(kept);
    store.reduce_event(e.id, e.data, e.data_sha256);
    sealed.push_back({{"event", e.id}, {"seal", event_seal(e)}});
  }
  // What is left searchable (a CAPA reference) goes back into the index.
  if (TextSearch* search = ctx.store.text_search())
    for (const Event& e : history) search->index_event(e.id);
  store.forget_identity(r.id);
  store.forget_attachments(r.id);
  append_record_event(ctx, r, "purged", {{"rule", rule}, {"sealed", std::move(sealed)}});
}

void anonymise(Context& ctx, RetentionStore& store, Record r, const std::string& rule) {
  r.anonymised_at = ctx.now;
  ctx.store.update_record(r);
  store.forget_identity(r.id);
  append_record_event(ctx, r, "anonymised", {{"rule", rule}});
}

}  // namespace

const char* to_string(Disposition::Action action) {
  switch (action) {
    case Disposition::Action::purge: return "purge";
    case Disposition::Action::anonymise: return "anonymise";
    case Disposition::Action::held: return "held";
  }
  return "";
}

std::string purged_event_data(const std::string& data) {
  json value = json::parse(data, nullptr, false);
  if (!value.is_object()) return "{}";
  empty_free_text(value, false);
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<Disposition> plan_disposition(Context& ctx) {
  RetentionStore& store = retention_store(ctx);
  std::vector<Disposition> plan;
  for (const Kind& kind : ctx.config.kinds) {
    const bool purges = !kind.retention.empty() && kind.retention != "permanent";
    if (!purges && kind.anonymise_after.empty()) continue;
    const std::string& first = kind.anonymise_after.empty() ? kind.retention : kind.anonymise_after;
    for (Record& r : store.closed_records(kind.id, ctx.now - shortest(first))) {
      Disposition d;
      d.record_id = r.id;
      d.ref = r.ref;
      d.kind = r.kind;
      d.closed_at = *r.closed_at;
      if (purges && (d.due = due_after(ctx.calendar, d.closed_at, kind.retention)) <= ctx.now) {
        d.rule = "retention " + kind.retention;
      } else if (!kind.anonymise_after.empty() && !r.anonymised_at &&
                 (d.due = due_after(ctx.calendar, d.closed_at, kind.anonymise_after)) <= ctx.now) {
        auto identity = ctx.store.find_identity(r.id);
        if (!identity || !identity->given()) continue;
        d.action = Disposition::Action::anonymise;
        d.rule = "anonymise_after " + kind.anonymise_after;
      } else {
        continue;
      }
      if (legal_hold(ctx.store, r.id)) d.action = Disposition::Action::held;
      plan.push_back(std::move(d));
    }
  }
  std::stable_sort(plan.begin(), plan.end(), [](const Disposition& a, const Disposition& b) {
    return std::pair(a.closed_at, a.record_id) < std::pair(b.closed_at, b.record_id);
  });
  return plan;
}

std::vector<Disposition> apply_disposition(Context& ctx) {
  ctx.access().require_purge();
  check_not_future(ctx);
  RetentionStore& store = retention_store(ctx);
  auto tx = ctx.store.write();
  std::vector<Disposition> plan = plan_disposition(ctx);
  for (const Disposition& d : plan) {
    if (d.action == Disposition::Action::held) continue;
    Record r = get_record(ctx.store, d.ref);
    if (d.action == Disposition::Action::purge) purge(ctx, store, std::move(r), d.rule);
    else anonymise(ctx, store, std::move(r), d.rule);
  }
  tx->commit();
  return plan;
}

}  // namespace liaison
