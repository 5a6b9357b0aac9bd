// MemoryStore: the Store interface over std::map and std::vector. Each query follows the
// SQL of lib/store/sqlite/ clause by clause; the comments name the clause a step mirrors.
#include "memory_store.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "hash.h"
#include "overdue.h"
#include "report.h"

namespace liaison {
namespace {

/// The schema version whose tables the containers hold (schemas/0006_identity.sql).
constexpr int kSchemaVersion = 17;

/// A constraint SQLite's schema would enforce, broken: the same error SQLite's store throws.
[[noreturn]] void refuse(const Message& doing, std::string_view problem) {
  throw StoreError(msg<Msg::database_error_while>(doing, problem), msg<Msg::run_audit_verify_restore>());
}

template <typename T>
bool contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

/// SQLite keeps a record's departments notified as one comma-separated text.
std::vector<std::string> notify_as_stored(const std::vector<std::string>& notify) {
  std::string joined;
  for (const auto& d : notify) {
    if (!joined.empty()) joined.push_back(',');
    joined += d;
  }
  std::vector<std::string> out;
  if (joined.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    auto pos = joined.find(',', start);
    out.push_back(joined.substr(start, pos - start));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return out;
}

/// A record as a row holds it: the given id, no clocks, notify as read back.
Record as_row(const Record& r, std::int64_t id) {
  Record row = r;
  row.id = id;
  row.clocks.clear();
  row.notify = notify_as_stored(r.notify);
  return row;
}

/// -1, 0 or 1 as a is below, equal to or above b.
template <typename T>
int three_way(const T& a, const T& b) {
  return a < b ? -1 : b < a ? 1 : 0;
}

/// json_extract(data, '$.key') as a GROUP BY value: SQL NULL, integer, real or text,
/// tagged so that values SQLite tells apart stay apart (integer 1 equals real 1.0 and true).
std::string group_value(const nlohmann::json& data, const char* key) {
  if (!data.is_object()) return "null";
  auto it = data.find(key);
  if (it == data.end() || it->is_null()) return "null";
  if (it->is_string()) return "text:" + it->get<std::string>();
  if (it->is_boolean()) return it->get<bool>() ? "number:1" : "number:0";
  if (it->is_number_float()) {
    double v = it->get<double>();
    bool integral = std::abs(v) < 9e18 && v == std::trunc(v);
    return integral ? fmt::format("number:{}", static_cast<std::int64_t>(v)) : fmt::format("number:{}", v);
  }
  if (it->is_number()) return "number:" + it->dump();
  return "text:" + it->dump();  // objects and arrays come back as JSON text
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Transactions

/// Keeps the contents as they were at the start; puts them back unless committed.
class MemoryStore::Transaction : public WriteTransaction {
 public:
  explicit Transaction(MemoryStore& store) : store_(store), saved_(store.contents_) { store_.writing_ = true; }
  ~Transaction() override {
    if (committed_) return;
    store_.contents_ = std::move(saved_);
    store_.writing_ = false;
  }
  void commit() override {
    if (committed_) refuse(msg<Msg::doing_committing>(), "cannot commit - no transaction is active");
    committed_ = true;
    store_.writing_ = false;
  }

 private:
  MemoryStore& store_;
  Contents saved_;
  bool committed_ = false;
};

std::unique_ptr<WriteTransaction> MemoryStore::write() {
  if (writing_) refuse(msg<Msg::doing_starting_write>(), "cannot start a transaction within a transaction");
  return std::make_unique<Transaction>(*this);
}

int MemoryStore::schema_version() { return kSchemaVersion; }

// ---------------------------------------------------------------------------------------
// Sequences

std::int64_t MemoryStore::next_sequence(const std::string& name) {
  // INSERT … VALUES (name, 1) ON CONFLICT DO UPDATE SET last = last + 1
  return ++contents_.sequences[name];
}

void MemoryStore::advance_sequence(const std::string& name, std::int64_t last) {
  // INSERT … VALUES (name, last) ON CONFLICT DO UPDATE SET last = max(last, excluded.last)
  auto [it, inserted] = contents_.sequences.emplace(name, last);
  if (!inserted) it->second = std::max(it->second, last);
}

// ---------------------------------------------------------------------------------------
// Records

const Record* MemoryStore::record_by_id(std::int64_t id) const {
  auto it = contents_.records.find(id);
  return it == contents_.records.end() ? nullptr : &it->second;
}

std::string MemoryStore::ref_of(std::int64_t record_id) const {
  const Record* r = record_by_id(record_id);
  return r ? r->ref : std::string();
}

void MemoryStore::check_record_row(const Record& r, const Message& doing) const {
  auto same_ref = contents_.record_ids.find(r.ref);
  if (same_ref != contents_.record_ids.end() && same_ref->second != r.id)
    refuse(doing, "UNIQUE constraint failed: records.ref");
  if (!r.party.empty() && !contents_.parties.count(r.party)) refuse(doing, "FOREIGN KEY constraint failed");
}

void MemoryStore::write_clocks(std::int64_t record_id, const std::vector<Clock>& clocks) {
  // INSERT INTO clocks … ON CONFLICT(record_id, name) DO UPDATE: the last of a name wins.
  auto& mine = contents_.clocks[record_id];
  for (const auto& c : clocks) mine[c.name] = c;
  if (mine.empty()) contents_.clocks.erase(record_id);
}

std::int64_t MemoryStore::insert_record(const Record& record) {
  // An INTEGER PRIMARY KEY given NULL takes the largest id plus one.
  std::int64_t id = contents_.records.empty() ? 1 : contents_.records.rbegin()->first + 1;
  Record row = as_row(record, id);
  check_record_row(row, msg<Msg::doing_saving_record>(record.ref));
  contents_.record_ids[row.ref] = id;
  contents_.records.emplace(id, std::move(row));
  write_clocks(id, record.clocks);
  return id;
}

void MemoryStore::update_record(const Record& record) {
  Message doing = msg<Msg::doing_updating_record>(record.ref);
  auto it = contents_.records.find(record.id);
  if (it != contents_.records.end()) {  // UPDATE … WHERE id = ?: no row, no change
    Record row = as_row(record, record.id);
    check_record_row(row, doing);
    contents_.record_ids.erase(it->second.ref);
    contents_.record_ids[row.ref] = row.id;
    it->second = std::move(row);
  } else if (!record.clocks.empty()) {
    refuse(doing, "FOREIGN KEY constraint failed");  // clocks of no record
  }
  // The record's clocks are exactly record.clocks: those it no longer has go (reopen).
  contents_.clocks.erase(record.id);
  write_clocks(record.id, record.clocks);
}

std::optional<Record> MemoryStore::find_record(const std::string& ref) {
  auto id = contents_.record_ids.find(ref);
  if (id == contents_.record_ids.end()) return std::nullopt;
  Record r = contents_.records.at(id->second);
  r.clocks = clocks_for(r.id);
  return r;
}

// schedule_records (schemas/0016) is kept by a trigger on the filed events; here the
// filed events are read instead.
std::vector<std::pair<std::string, std::string>> MemoryStore::schedule_records(const std::string& schedule) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Event& e : contents_.events) {
    if (e.type != "filed") continue;
    const auto data = nlohmann::json::parse(e.data, nullptr, false);
    if (!data.is_object() || !data.contains("schedule") || !data["schedule"].is_object()) continue;
    if (data["schedule"].value("id", "") == schedule)
      out.emplace_back(data["schedule"].value("period", ""), ref_of(e.record_id));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> MemoryStore::scheduled_record(const std::string& schedule, const std::string& period) {
  for (auto& [p, ref] : schedule_records(schedule))
    if (p == period) return ref;
  return std::nullopt;
}

std::vector<Record> MemoryStore::select_records(const RecordFilter& f) const {
  if (!f.grep.empty()) throw_missing_capability(*this, msg<Msg::can_search_text>());  // only the SQLite store searches
  auto in_list = [](const std::vector<std::string>& values, const std::string& value) {
    return values.empty() || contains(values, value);
  };
  std::vector<Record> out;
  for (const auto& [id, r] : contents_.records) {
    if (!f.statuses.empty() && !contains(f.statuses, r.status)) continue;
    if (!in_list(f.kinds, r.kind)) continue;
    if (f.direction && r.direction != *f.direction) continue;
    if (!in_list(f.owners, r.owner)) continue;
    // party IN (…): a record without a party (NULL) matches no list.
    if (!f.parties.empty() && (r.party.empty() || !contains(f.parties, r.party))) continue;
    if (!in_list(f.assignees, r.assignee)) continue;
    if (!in_list(f.topics, r.topic)) continue;
    if (!in_list(f.customer_refs, r.customer_ref)) continue;
    if (!in_list(f.eight_ds, r.eight_d)) continue;
    if (!in_list(f.their_refs, r.their_ref)) continue;
    if (f.major && r.major != *f.major) continue;
    if (f.held) {
      bool held = false;  // the newest of its held and released events
      for (const auto& e : contents_.events)
        if (e.record_id == id && (e.type == "held" || e.type == "released")) held = e.type == "held";
      if (held != *f.held) continue;
    }
    if (f.received_since && !(r.received_at >= *f.received_since)) continue;
    if (f.received_until && !(r.received_at < *f.received_until)) continue;
    // status <> 'closed' AND due < ?: a record without a deadline is never overdue.
    if (f.overdue_at && !is_overdue(r, *f.overdue_at)) continue;
    // id IN (SELECT record_id FROM clocks WHERE name = 'receipt:<user>' AND due IS NOT NULL AND stopped_at IS NULL)
    if (!f.unsigned_by.empty()) {
      if (r.purged_at) continue;  // purged_at IS NULL AND …
      auto clocks = contents_.clocks.find(id);
      if (clocks == contents_.clocks.end()) continue;
      auto c = clocks->second.find("receipt:" + f.unsigned_by);
      if (c == clocks->second.end() || !c->second.due || c->second.stopped_at) continue;
    }
    // id IN (SELECT record_id FROM clocks WHERE name in ['approval:', 'approval;') AND stopped_at IS NULL
    //        AND paused_since IS NULL AND name ends with ':<user>')
    if (!f.approval_turn_of.empty()) {
      const std::string tail = ":" + f.approval_turn_of;
      bool turn = false;
      if (auto clocks = contents_.clocks.find(id); clocks != contents_.clocks.end())
        for (const auto& [name, c] : clocks->second)
          turn = turn || (name.rfind("approval:", 0) == 0 && name.size() > tail.size() &&
                          name.compare(name.size() - tail.size(), tail.size(), tail) == 0 && !c.stopped_at &&
                          !c.paused_since);
      if (!turn) continue;
    }
    // id IN (SELECT record_id FROM clocks WHERE name in ['action:', 'action;') AND due IS NOT NULL AND (owner = '' OR
    //        name ends with ':<user>') AND (open = 0 OR stopped_at IS NULL))
    if (f.actions_of) {
      if (r.purged_at) continue;  // purged_at IS NULL AND …
      const std::string tail = f.actions_of->empty() ? std::string() : ":" + *f.actions_of;
      bool any = false;
      if (auto clocks = contents_.clocks.find(id); clocks != contents_.clocks.end())
        for (const auto& [name, c] : clocks->second)
          any = any || (name.rfind("action:", 0) == 0 && c.due && name.size() > tail.size() &&
                        name.compare(name.size() - tail.size(), tail.size(), tail) == 0 &&
                        (!f.open_actions || !c.stopped_at));
      if (!any) continue;
    }
    // level IN (…)
    if (f.readable_levels && !contains(*f.readable_levels, r.level)) continue;
    out.push_back(r);
  }
  // ORDER BY [key IS NULL,] key ASC|DESC, id ASC|DESC: records without the key (no
  // deadline) last in either direction; text compares bytewise, as SQLite's BINARY.
  using Key = RecordFilter::SortKey;
  auto time_key = [&](const Record& r) -> std::optional<TimePoint> {
    if (f.sort == Key::due) return r.due;
    if (f.sort == Key::ack_due) return r.ack_due;
    return r.received_at;
  };
  auto compare_keys = [&](const Record& a, const Record& b) {
    switch (f.sort) {
      case Key::received: case Key::due: case Key::ack_due: {
        auto ka = time_key(a), kb = time_key(b);
        return ka && kb ? three_way(*ka, *kb) : 0;
      }
      case Key::ref: return three_way(a.ref, b.ref);
      case Key::kind: return three_way(a.kind, b.kind);
      case Key::owner: return three_way(a.owner, b.owner);
      case Key::status: return three_way(std::string(to_string(a.status)), std::string(to_string(b.status)));
    }
    return 0;
  };
  auto compare = [&](const Record& a, const Record& b) {
    auto ka = time_key(a), kb = time_key(b);
    if (ka.has_value() != kb.has_value()) return ka.has_value();  // `key IS NULL` first, always ascending
    int c = compare_keys(a, b);
    if (c != 0) return f.descending ? c > 0 : c < 0;
    return f.descending ? a.id > b.id : a.id < b.id;
  };
  std::sort(out.begin(), out.end(), compare);
  if (f.limit > 0 && out.size() > static_cast<std::size_t>(f.limit)) out.resize(static_cast<std::size_t>(f.limit));
  return out;
}

std::vector<Record> MemoryStore::list_records(const RecordFilter& filter) { return select_records(filter); }

void MemoryStore::each_record(const RecordFilter& filter, const std::function<void(Record&)>& each) {
  for (auto& r : select_records(filter)) each(r);
}

std::int64_t MemoryStore::count_records() { return static_cast<std::int64_t>(contents_.records.size()); }

std::vector<Clock> MemoryStore::clocks_for(std::int64_t record_id) {
  // ORDER BY CASE name WHEN 'ack' THEN 0 WHEN 'resolve' THEN 1 ELSE 2 END,
  //   substr(name, 1, instr(name, ':')), CAST(substr(name, instr(name, ':') + 1) AS INTEGER), name
  std::vector<Clock> out;
  auto it = contents_.clocks.find(record_id);
  if (it == contents_.clocks.end()) return out;
  for (const auto& [name, c] : it->second) out.push_back(c);
  auto key = [](const std::string& name) {
    const int rank = name == "ack" ? 0 : name == "resolve" ? 1 : 2;
    const auto colon = name.find(':');
    const std::string prefix = colon == std::string::npos ? "" : name.substr(0, colon + 1);
    const std::string rest = colon == std::string::npos ? name : name.substr(colon + 1);
    long long number = 0;
    std::from_chars(rest.data(), rest.data() + rest.size(), number);
    return std::tuple(rank, prefix, number, name);
  };
  std::sort(out.begin(), out.end(), [&](const Clock& a, const Clock& b) { return key(a.name) < key(b.name); });
  return out;
}

bool MemoryStore::record_exists(const std::string& ref) { return contents_.record_ids.count(ref) > 0; }

// ---------------------------------------------------------------------------------------
// Identities and parties

void MemoryStore::insert_identity(std::int64_t record_id, const Identity& identity) {
  Message doing = msg<Msg::doing_saving_identity>();
  if (contents_.identities.count(record_id)) refuse(doing, "UNIQUE constraint failed: identities.record_id");
  if (!record_by_id(record_id)) refuse(doing, "FOREIGN KEY constraint failed");
  contents_.identities.emplace(record_id, identity);
}

std::optional<Identity> MemoryStore::find_identity(std::int64_t record_id) {
  auto it = contents_.identities.find(record_id);
  if (it == contents_.identities.end()) return std::nullopt;
  return it->second;
}

void MemoryStore::insert_party(const Party& party) {
  if (contents_.parties.count(party.id)) refuse(msg<Msg::doing_saving_party>(party.id), "UNIQUE constraint failed: parties.id");
  contents_.parties.emplace(party.id, party);
}

void MemoryStore::update_party(const Party& party) {
  auto it = contents_.parties.find(party.id);
  if (it != contents_.parties.end()) it->second = party;  // UPDATE … WHERE id = ?: no row, no change
}

std::optional<Party> MemoryStore::find_party(const std::string& id) {
  auto it = contents_.parties.find(id);
  if (it == contents_.parties.end()) return std::nullopt;
  return it->second;
}

std::vector<Party> MemoryStore::list_parties(const std::string& type) {
  std::vector<Party> out;
  for (const auto& [id, p] : contents_.parties)
    if (type.empty() || p.type == type) out.push_back(p);
  return out;
}

// ---------------------------------------------------------------------------------------
// The event chain

Store::ChainTip MemoryStore::chain_tip() {
  if (contents_.events.empty()) return {};
  return {contents_.events.back().id, contents_.events.back().hash};
}

void MemoryStore::insert_event(const Event& event) {
  Message doing = msg<Msg::doing_appending_history>();
  // The schema's trigger: new events come after the last one.
  if (event.id <= chain_tip().id) refuse(doing, "events are append-only");
  if (event.record_id != 0 && !record_by_id(event.record_id)) refuse(doing, "FOREIGN KEY constraint failed");
  Event stored = event;
  stored.ref.clear();  // read from the record, as a join would
  contents_.events.push_back(std::move(stored));
}

void MemoryStore::each_event(const std::function<void(const Event&)>& each) {
  for (Event e : contents_.events) {
    e.ref = ref_of(e.record_id);
    each(e);
  }
}

std::optional<TimePoint> MemoryStore::latest_event_at(std::int64_t record_id) {
  std::optional<TimePoint> at;
  for (const auto& e : contents_.events)
    if (record_id != 0 && e.record_id == record_id) at = e.at;  // by id ascending: the last is the newest
  return at;
}

std::vector<Event> MemoryStore::events_for(std::int64_t record_id) {
  std::vector<Event> out;
  if (record_id == 0) return out;  // record_id = ? never matches a registry event's NULL
  for (const auto& e : contents_.events)
    if (e.record_id == record_id) {
      out.push_back(e);
      out.back().ref = ref_of(record_id);
    }
  return out;
}

std::int64_t MemoryStore::last_event_id() { return chain_tip().id; }

std::optional<std::string> MemoryStore::record_of_message(const std::string& message_sha256) {
  for (const Event& e : contents_.events) {
    auto data = nlohmann::json::parse(e.data, nullptr, false);
    if (!data.is_object() || data.value("message_sha256", "") != message_sha256 || !e.record_id) continue;
    for (const auto& [ref, id] : contents_.record_ids)
      if (id == e.record_id) return ref;
  }
  return std::nullopt;
}

std::optional<std::string> MemoryStore::event_hash(std::int64_t id) {
  for (const auto& e : contents_.events)
    if (e.id == id) return e.hash;
  return std::nullopt;
}

void MemoryStore::insert_checkpoint(const Checkpoint& checkpoint) {
  Checkpoint stored = checkpoint;
  stored.id = static_cast<std::int64_t>(contents_.checkpoints.size()) + 1;
  contents_.checkpoints.push_back(std::move(stored));
}

void MemoryStore::each_checkpoint(const std::function<void(const Checkpoint&)>& each) {
  for (const auto& c : contents_.checkpoints) each(c);
}

std::optional<Checkpoint> MemoryStore::latest_checkpoint() {
  if (contents_.checkpoints.empty()) return std::nullopt;
  return contents_.checkpoints.back();
}

// ---------------------------------------------------------------------------------------
// Audit queries

void MemoryStore::audit_events(const EventFilter& f,
                               const std::function<void(const Event&, const std::string& level)>& each) {
  // e.record_id IN (SELECT id FROM records WHERE ref IN (…))
  std::set<std::int64_t> record_ids;
  for (const auto& ref : f.refs) {
    auto it = contents_.record_ids.find(ref);
    if (it != contents_.record_ids.end()) record_ids.insert(it->second);
  }
  std::int64_t sent = 0;
  auto visit = [&](const Event& stored) {
    if (!f.actors.empty() && !contains(f.actors, stored.actor)) return true;
    if (!f.types.empty() && !contains(f.types, stored.type)) return true;
    if (!f.refs.empty() && !record_ids.count(stored.record_id)) return true;
    if (f.since && !(stored.at >= *f.since)) return true;
    if (f.until && !(stored.at < *f.until)) return true;
    Event e = stored;
    const Record* r = record_by_id(e.record_id);
    e.ref = r ? r->ref : "";
    each(e, r ? r->level : std::string());  // coalesce(r.level, '')
    return !(f.limit > 0 && ++sent >= f.limit);
  };
  if (f.newest_first) {
    for (auto it = contents_.events.rbegin(); it != contents_.events.rend(); ++it)
      if (!visit(*it)) return;
  } else {
    for (const auto& e : contents_.events)
      if (!visit(e)) return;
  }
}

void MemoryStore::record_histories(const std::function<void(const RecordHistory&)>& each) {
  // Records by id, each with its clocks by name and its events by id; events whose record
  // row is gone make histories of their own, in the same record id order.
  std::map<std::int64_t, std::vector<Event>> events;
  for (const auto& e : contents_.events)
    if (e.record_id != 0) events[e.record_id].push_back(e);
  std::set<std::int64_t> ids;
  for (const auto& [id, r] : contents_.records) ids.insert(id);
  for (const auto& [id, list] : events) ids.insert(id);
  for (auto id : ids) {
    RecordHistory h;
    h.record_id = id;
    if (const Record* r = record_by_id(id)) {
      h.record = *r;
      auto clocks = contents_.clocks.find(id);
      if (clocks != contents_.clocks.end())
        for (const auto& [name, c] : clocks->second) h.record->clocks.push_back(c);
    }
    auto list = events.find(id);
    if (list != events.end()) h.events = std::move(list->second);
    for (auto& e : h.events) e.ref = h.record ? h.record->ref : "";
    each(h);
  }
}

// ---------------------------------------------------------------------------------------
// Reminders and overdue obligations

std::vector<Event> MemoryStore::reminders_since(TimePoint since) {
  // WHERE type = 'reminded' AND at >= ? GROUP BY record_id, $.obligation, $.to, taking
  // the row of max(at): on a tie the first one read, which is the lowest id.
  std::map<std::tuple<std::int64_t, std::string, std::string>, const Event*> newest;
  for (const auto& e : contents_.events) {
    if (e.type != "reminded" || !(e.at >= since) || !record_by_id(e.record_id)) continue;
    auto data = nlohmann::json::parse(e.data, nullptr, false);
    if (data.is_discarded()) refuse(msg<Msg::doing_reading_reminders_sent>(), "malformed JSON");
    auto key = std::make_tuple(e.record_id, group_value(data, "obligation"), group_value(data, "to"));
    auto [it, inserted] = newest.emplace(key, &e);
    if (!inserted && e.at > it->second->at) it->second = &e;
  }
  std::vector<Event> out;
  for (const auto& [key, e] : newest) {
    out.push_back(*e);
    out.back().ref = ref_of(e->record_id);
  }
  // ORDER BY e.record_id, e.id
  std::sort(out.begin(), out.end(), [](const Event& a, const Event& b) {
    return std::tie(a.record_id, a.id) < std::tie(b.record_id, b.id);
  });
  return out;
}

void MemoryStore::overdue_obligations(const OverdueQuery& query, const std::function<void(OverdueEntry&)>& each) {
  auto in_list = [](const std::vector<std::string>& values, const std::string& value) {
    return values.empty() || contains(values, value);
  };
  std::vector<OverdueEntry> entries;
  auto add = [&](const Record& r, const char* obligation, TimePoint due) {
    OverdueEntry entry;
    entry.record_id = r.id;
    entry.ref = r.ref;
    entry.kind = r.kind;
    entry.direction = r.direction;
    entry.owner = r.owner;
    entry.assignee = r.assignee;
    entry.subject = r.subject;
    entry.level = r.level;
    entry.major = r.major;
    entry.status = r.status;
    entry.obligation = obligation;
    entry.due = due;
    entries.push_back(std::move(entry));
  };
  for (const auto& [id, r] : contents_.records) {
    if (!in_list(query.owners, r.owner) || !in_list(query.assignees, r.assignee) || !in_list(query.kinds, r.kind))
      continue;
    // ack: acked_at IS NULL AND status <> 'closed' AND ack_due < ?
    if (!r.acked_at && r.status != Status::closed && r.ack_due && *r.ack_due < query.due_before)
      add(r, "ack", *r.ack_due);
    // resolve: status <> 'closed' AND status <> 'waiting' AND due < ?
    if (r.status != Status::closed && r.status != Status::waiting && r.due && *r.due < query.due_before)
      add(r, "resolve", *r.due);
    // notifications and approvals: name in ['notify:', 'notify;') or ['approval:', 'approval;'),
    // stopped_at IS NULL, status <> 'closed', due < ?
    // receipts and actions: name in ['receipt:', 'receipt;') or ['action:', 'action;'),
    // stopped_at IS NULL, purged_at IS NULL, due < ?
    if (contents_.clocks.count(id))
      for (const auto& [name, c] : contents_.clocks.at(id))
        if (((r.status != Status::closed && (name.rfind("notify:", 0) == 0 || name.rfind("approval:", 0) == 0)) ||
             (!r.purged_at && (name.rfind("receipt:", 0) == 0 || name.rfind("action:", 0) == 0))) &&
            !c.stopped_at && c.due && *c.due < query.due_before)
          add(r, name.c_str(), *c.due);
  }
  // ORDER BY deadline, ref, obligation
  std::sort(entries.begin(), entries.end(), [](const OverdueEntry& a, const OverdueEntry& b) {
    return std::tie(a.due, a.ref, a.obligation) < std::tie(b.due, b.ref, b.obligation);
  });
  for (auto& entry : entries) each(entry);
}

// Attachments: SQLite's constraints (a record and event that exist, a blob put first,
// one number per record).
void MemoryStore::put_blob(const std::string& sha256, std::string_view content) {
  contents_.blobs.emplace(sha256, std::string(content));
}

void MemoryStore::insert_attachment(const Attachment& a) {
  const Message doing = msg<Msg::doing_saving_attachment>();
  if (!record_by_id(a.record_id) || a.event_id < 1 || a.event_id > static_cast<std::int64_t>(contents_.events.size()) ||
      !contents_.blobs.count(a.sha256))
    refuse(doing, "FOREIGN KEY constraint failed");
  if (!contents_.attachments.emplace(std::make_pair(a.record_id, a.n), a).second)
    refuse(doing, "UNIQUE constraint failed: attachments.record_id, attachments.n");
}

std::vector<Attachment> MemoryStore::attachments_for(std::int64_t record_id) {
  std::vector<Attachment> all;
  for (auto it = contents_.attachments.lower_bound({record_id, 0});
       it != contents_.attachments.end() && it->first.first == record_id; ++it) {
    Attachment a = it->second;
    const Event& e = contents_.events[static_cast<std::size_t>(a.event_id - 1)];
    a.at = e.at;
    a.actor = e.actor;
    all.push_back(std::move(a));
  }
  return all;
}

std::optional<std::string> MemoryStore::blob(const std::string& sha256) {
  auto it = contents_.blobs.find(sha256);
  if (it == contents_.blobs.end()) return std::nullopt;
  return it->second;
}

void MemoryStore::each_attachment(
    const std::function<void(const Attachment&, const std::optional<std::string>&)>& each) {
  for (const auto& [key, stored] : contents_.attachments)
    for (auto& a : attachments_for(key.first))
      if (a.n == key.second) each(a, blob(a.sha256));
}

}  // namespace liaison
