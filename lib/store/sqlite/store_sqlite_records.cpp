// The SQLite store's records and their clocks, identities and parties
// (lib/store/sqlite/sqlite_store.h).
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "errors.h"
#include "fts_tokenizer.h"
#include "sqlite_store.h"
#include "store_sqlite_search.h"
#include "store_sqlite_util.h"

namespace liaison {
namespace {

using namespace sqlite_util;

/// Binds a party's fields to ?1..?9: id, name, type, contact, phone, email, address, notes, created_at.
void bind_party(SQLite::Statement& s, const Party& p) {
  s.bind(1, p.id);
  s.bind(2, p.name);
  s.bind(3, p.type);
  s.bind(4, p.contact);
  s.bind(5, p.phone);
  s.bind(6, p.email);
  s.bind(7, p.address);
  s.bind(8, p.notes);
  s.bind(9, static_cast<std::int64_t>(secs(p.created_at)));
}

/// A parties row in bind_party's column order.
Party read_party(SQLite::Statement& s) {
  Party p;
  p.id = s.getColumn(0).getString();
  p.name = s.getColumn(1).getString();
  p.type = s.getColumn(2).getString();
  p.contact = s.getColumn(3).getString();
  p.phone = s.getColumn(4).getString();
  p.email = s.getColumn(5).getString();
  p.address = s.getColumn(6).getString();
  p.notes = s.getColumn(7).getString();
  p.created_at = TimePoint{std::chrono::seconds{s.getColumn(8).getInt64()}};
  return p;
}

}  // namespace

using namespace sqlite_util;

Record SqliteStore::read_record(SQLite::Statement& s) {
  Record r;
  r.id = s.getColumn(0).getInt64();
  r.ref = s.getColumn(1).getString();
  r.kind = s.getColumn(2).getString();
  r.direction = parse_direction(s.getColumn(3).getString()).value_or(Direction::internal);
  r.flow = parse_flow(s.getColumn(4).getString()).value_or(Flow::none);
  r.subject = s.getColumn(5).getString();
  r.body = s.getColumn(6).getString();
  r.channel = s.getColumn(7).getString();
  r.party = s.getColumn(8).isNull() ? "" : s.getColumn(8).getString();
  r.from_dept = s.getColumn(9).getString();
  r.owner = s.getColumn(10).getString();
  r.assignee = s.getColumn(11).getString();
  r.level = s.getColumn(12).getString();
  r.major = s.getColumn(13).getInt() != 0;
  r.status = parse_status(s.getColumn(14).getString()).value_or(Status::open);
  if (!s.getColumn(15).isNull()) r.outcome = parse_outcome(s.getColumn(15).getString());
  r.resolution = s.getColumn(16).getString();
  r.reply_via = s.getColumn(17).getString();
  r.capa = s.getColumn(18).getString();
  r.rule = s.getColumn(19).getString();
  r.notify = split(s.getColumn(20).getString(), ',');
  r.escalated_to = s.getColumn(21).getString();
  r.received_at = TimePoint{std::chrono::seconds{s.getColumn(22).getInt64()}};
  r.created_at = TimePoint{std::chrono::seconds{s.getColumn(23).getInt64()}};
  r.created_by = s.getColumn(24).getString();
  r.ack_due = opt_time(s.getColumn(25));
  r.acked_at = opt_time(s.getColumn(26));
  r.due = opt_time(s.getColumn(27));
  r.closed_at = opt_time(s.getColumn(28));
  r.purged_at = opt_time(s.getColumn(29));
  r.anonymised_at = opt_time(s.getColumn(30));
  r.topic = s.getColumn(31).getString();
  r.customer_ref = s.getColumn(32).getString();
  r.eight_d = s.getColumn(33).getString();
  r.their_ref = s.getColumn(34).getString();
  r.compliance_obligation = s.getColumn(35).getString();
  return r;
}

/// Binds the record's fields to ?1..?35 in kRecordColumns order, less the id.
void SqliteStore::bind_record(SQLite::Statement& s, const Record& r) {
  s.bind(1, r.ref);
  s.bind(2, r.kind);
  s.bind(3, std::string(to_string(r.direction)));
  s.bind(4, std::string(to_string(r.flow)));
  s.bind(5, r.subject);
  s.bind(6, r.body);
  s.bind(7, r.channel);
  if (r.party.empty()) s.bind(8);
  else s.bind(8, r.party);
  s.bind(9, r.from_dept);
  s.bind(10, r.owner);
  s.bind(11, r.assignee);
  s.bind(12, r.level);
  s.bind(13, r.major ? 1 : 0);
  s.bind(14, std::string(to_string(r.status)));
  if (r.outcome) s.bind(15, std::string(to_string(*r.outcome)));
  else s.bind(15);
  s.bind(16, r.resolution);
  s.bind(17, r.reply_via);
  s.bind(18, r.capa);
  s.bind(19, r.rule);
  s.bind(20, join(r.notify, ','));
  s.bind(21, r.escalated_to);
  s.bind(22, static_cast<std::int64_t>(secs(r.received_at)));
  s.bind(23, static_cast<std::int64_t>(secs(r.created_at)));
  s.bind(24, r.created_by);
  bind_opt(s, 25, r.ack_due);
  bind_opt(s, 26, r.acked_at);
  bind_opt(s, 27, r.due);
  bind_opt(s, 28, r.closed_at);
  bind_opt(s, 29, r.purged_at);
  bind_opt(s, 30, r.anonymised_at);
  s.bind(31, r.topic);
  s.bind(32, r.customer_ref);
  s.bind(33, r.eight_d);
  s.bind(34, r.their_ref);
  s.bind(35, r.compliance_obligation);
}

void SqliteStore::expect_bulk_write() {
  // An import touches the records' and events' indexes and the search index all over:
  // with the default 2 MiB cache, pages were written out and read back again and again.
  // 32 MiB keeps the import's peak memory well under 64 MB.
  try {
    if (!bulk_cache_) bulk_cache_ = std::make_unique<sqlite_util::CacheSize>(db_, 32 * 1024);
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_starting_write>());
  }
  // Indexing event by event made FTS5 write its pending terms out at every statement
  // (each statement savepoint flushes them) and merge the tiny segments again and again;
  // one INSERT … SELECT over the imported events at the end indexes the same rows.
  defer_search_ = true;
  deferred_search_from_ = 0;
}

void SqliteStore::finish_bulk_write(bool commit) {
  defer_search_ = false;
  const std::int64_t from = std::exchange(deferred_search_from_, 0);
  // Afterwards (also while an import unwinds), the page cache as it was.
  const std::unique_ptr<sqlite_util::CacheSize> cache = std::move(bulk_cache_);
  if (!commit || !from) return;
  try {
    SQLite::Statement s(db_, sqlite_search::kIndexEventsFrom);
    s.bind(1, static_cast<std::int64_t>(from));
    s.exec();
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_adding_to_search_index>());
  }
}

bool SqliteStore::record_exists(const std::string& ref) {
  try {
    auto& s = stmt("SELECT 1 FROM records WHERE ref = ?1");
    s.bind(1, ref);
    bool found = s.executeStep();
    s.reset();
    return found;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_record>(ref));
  }
}

std::vector<Clock> SqliteStore::clocks_for(std::int64_t record_id) {
  try {
    return read_clocks(record_id);
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_clocks>());
  }
}

std::int64_t SqliteStore::insert_record(const Record& r) {
  try {
    auto& s = stmt(fmt::format("INSERT INTO records ({}) VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                               "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
                               "?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35)",
                               kRecordColumns));
    bind_record(s, r);
    s.exec();
    auto id = db_.getLastInsertRowid();
    write_clocks(id, r.clocks);
    return id;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_saving_record>(r.ref));
  }
}

void SqliteStore::update_record(const Record& r) {
  try {
    auto& s = stmt(
        "UPDATE records SET ref = ?1, kind = ?2, direction = ?3, flow = ?4, subject = ?5, body = ?6, "
        "channel = ?7, party = ?8, from_dept = ?9, owner = ?10, assignee = ?11, level = ?12, major = ?13, "
        "status = ?14, outcome = ?15, resolution = ?16, reply_via = ?17, capa = ?18, rule = ?19, "
        "notify = ?20, escalated_to = ?21, received_at = ?22, created_at = ?23, created_by = ?24, "
        "ack_due = ?25, acked_at = ?26, due = ?27, closed_at = ?28, purged_at = ?29, anonymised_at = ?30, "
        "topic = ?31, customer_ref = ?32, eight_d = ?33, their_ref = ?34, compliance_obligation = ?35 WHERE id = ?36");
    bind_record(s, r);
    s.bind(36, static_cast<std::int64_t>(r.id));
    s.exec();
    // The record's clocks are exactly r.clocks: drop any it no longer has (reopen).
    auto& drop = stmt("DELETE FROM clocks WHERE record_id = ?1");
    drop.bind(1, static_cast<std::int64_t>(r.id));
    drop.exec();
    write_clocks(r.id, r.clocks);
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_updating_record>(r.ref));
  }
}

std::optional<Record> SqliteStore::find_record(const std::string& ref) {
  try {
    auto& s = stmt(fmt::format("SELECT {} FROM records WHERE ref = ?1", kRecordColumns));
    s.bind(1, ref);
    if (!s.executeStep()) return std::nullopt;
    Record r = read_record(s);
    s.reset();
    r.clocks = read_clocks(r.id);
    return r;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_record>(ref));
  }
}

namespace {
/// Whether record p.record_id's filed event names schedule p.schedule and period p.period
/// (a condition on schedule_records AS p).
constexpr std::string_view kFiledCarriesPeriod =
    "EXISTS (SELECT 1 FROM events AS e WHERE e.record_id = p.record_id AND e.type = 'filed' "
    "AND json_extract(e.data, '$.schedule.id') = p.schedule AND json_extract(e.data, '$.schedule.period') = p.period)";
}  // namespace

std::optional<std::string> SqliteStore::scheduled_record(const std::string& schedule, const std::string& period) {
  try {
    // The record's filed event must carry the period: a row put into schedule_records
    // behind the tool's back must not make a period look filed (and so never filed).
    static const std::string sql =
        fmt::format("SELECT r.ref FROM schedule_records AS p JOIN records AS r ON r.id = p.record_id "
                    "WHERE p.schedule = ?1 AND p.period = ?2 AND {}",
                    kFiledCarriesPeriod);
    auto& s = stmt(sql);
    s.bind(1, schedule);
    s.bind(2, period);
    std::optional<std::string> ref;
    if (s.executeStep()) ref = s.getColumn(0).getString();
    s.reset();
    return ref;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_listing_records>());
  }
}

std::vector<std::pair<std::string, std::string>> SqliteStore::schedule_records(const std::string& schedule) {
  try {
    static const std::string sql =
        fmt::format("SELECT p.period, r.ref FROM schedule_records AS p JOIN records AS r ON r.id = p.record_id "
                    "WHERE p.schedule = ?1 AND {} ORDER BY p.period",
                    kFiledCarriesPeriod);
    auto& s = stmt(sql);
    s.bind(1, schedule);
    std::vector<std::pair<std::string, std::string>> out;
    while (s.executeStep()) out.emplace_back(s.getColumn(0).getString(), s.getColumn(1).getString());
    s.reset();
    return out;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_listing_records>());
  }
}

std::vector<Record> SqliteStore::list_records(const RecordFilter& f) {
  std::vector<Record> out;
  each_record(f, [&](Record& r) { out.push_back(std::move(r)); });
  return out;
}

SQLite::Statement SqliteStore::select_records(const RecordFilter& f, const std::string& columns, bool ordered,
                                                const char* condition) {
  // The WHERE clause is assembled from fixed fragments only; every value is bound.
  std::string where;
  struct Param {
    bool is_text;
    std::string text;
    std::int64_t number;
  };
  std::vector<Param> params;
  auto clause = [&](const std::string& c) {
    where += where.empty() ? " WHERE " : " AND ";
    where += c;
  };
  auto param = [&](auto v) {
    if constexpr (std::is_same_v<decltype(v), std::string>) params.push_back({true, std::move(v), 0});
    else params.push_back({false, {}, v});
    return fmt::format("?{}", params.size());
  };
  auto in_list = [&](const char* column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    std::string c = fmt::format("{} IN (", column);
    for (std::size_t i = 0; i < values.size(); ++i) c += (i ? ", " : "") + param(values[i]);
    clause(c + ")");
  };
  if (condition) clause(condition);
  std::vector<std::string> statuses;
  for (auto st : f.statuses) statuses.emplace_back(to_string(st));
  in_list("status", statuses);
  in_list("kind", f.kinds);
  if (f.direction) in_list("direction", {std::string(to_string(*f.direction))});
  in_list("owner", f.owners);
  in_list("party", f.parties);
  in_list("assignee", f.assignees);
  in_list("topic", f.topics);
  in_list("customer_ref", f.customer_refs);
  in_list("eight_d", f.eight_ds);
  in_list("their_ref", f.their_refs);
  if (f.major) clause("major = " + param(std::int64_t{*f.major ? 1 : 0}));
  if (f.held)
    clause(std::string(*f.held ? "" : "NOT ") +
           "coalesce((SELECT h.type = 'held' FROM events AS h INDEXED BY events_record_type WHERE h.record_id = "
           "records.id AND h.type IN ('held', 'released') ORDER BY h.id DESC LIMIT 1), 0)");
  if (f.received_since) clause("received_at >= " + param(static_cast<std::int64_t>(secs(*f.received_since))));
  if (f.received_until) clause("received_at < " + param(static_cast<std::int64_t>(secs(*f.received_until))));
  if (f.overdue_at) clause(sqlite_search::overdue_condition(param(static_cast<std::int64_t>(secs(*f.overdue_at)))));
  if (!f.unsigned_by.empty()) clause(sqlite_search::unsigned_condition(param("receipt:" + f.unsigned_by)));
  if (!f.approval_turn_of.empty()) clause(sqlite_search::approval_turn_condition(param(":" + f.approval_turn_of)));
  if (f.actions_of) {
    // One after the other: the order of a call's arguments is unspecified.
    const std::string owner = param(f.actions_of->empty() ? std::string() : ":" + *f.actions_of);
    const std::string open = param(std::int64_t{f.open_actions ? 1 : 0});
    clause(sqlite_search::actions_condition(owner, open));
  }
  if (!f.grep.empty()) {
    // The condition reads the search index: only while this store has one (a subclass
    // may turn the capability off).
    require(*this, text_search(), msg<Msg::can_search_text>());
    auto expression = fts::match_expression(f.grep);
    clause(expression ? sqlite_search::grep_condition(param(*expression)) : "0");
  }
  if (f.readable_levels)
    clause(sqlite_search::readable_levels_condition(param(nlohmann::json(*f.readable_levels).dump())));
  auto bind_all = [&](SQLite::Statement& st) {
    for (std::size_t i = 0; i < params.size(); ++i)
      if (params[i].is_text) st.bind(static_cast<int>(i + 1), params[i].text);
      else st.bind(static_cast<int>(i + 1), params[i].number);
  };
  static const std::map<RecordFilter::SortKey, const char*> order = {
      {RecordFilter::SortKey::received, "received_at"}, {RecordFilter::SortKey::due, "due"},
      {RecordFilter::SortKey::ack_due, "ack_due"},      {RecordFilter::SortKey::ref, "ref"},
      {RecordFilter::SortKey::kind, "kind"},            {RecordFilter::SortKey::owner, "owner"},
      {RecordFilter::SortKey::status, "status"}};
  // Records without a value (no deadline, …) sort last in either direction.
  // (Only the nullable keys get the extra term, so the others can still use an index.)
  bool nullable = f.sort == RecordFilter::SortKey::due || f.sort == RecordFilter::SortKey::ack_due;
  std::string key = order.at(f.sort);
  std::string sql = fmt::format("SELECT {} FROM records{}", columns, where);
  if (ordered) {
    sql += fmt::format(" ORDER BY {}{} {}, id {}", nullable ? key + " IS NULL, " : "", key,
                       f.descending ? "DESC" : "ASC", f.descending ? "DESC" : "ASC");
    if (f.limit > 0) sql += fmt::format(" LIMIT {}", f.limit);
  }
  SQLite::Statement s(db_, sql);
  bind_all(s);
  return s;
}

void SqliteStore::each_record(const RecordFilter& f, const std::function<void(Record&)>& each) {
  try {
    SQLite::Statement s = select_records(f, kRecordColumns, true, nullptr);
    while (s.executeStep()) {
      Record r = read_record(s);
      each(r);
    }
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_listing_records>());
  }
}

std::vector<std::string> SqliteStore::record_parties(const RecordFilter& f) {
  // Which records a limit keeps depends on the order: then every record is read.
  if (f.limit > 0) return Store::record_parties(f);
  try {
    // Without conditions on other columns, a scan of the partial index records_party alone.
    SQLite::Statement s = select_records(f, "DISTINCT party", false, "party IS NOT NULL");
    std::vector<std::string> parties;
    while (s.executeStep())
      if (auto party = s.getColumn(0).getString(); !party.empty()) parties.push_back(std::move(party));
    std::sort(parties.begin(), parties.end());
    return parties;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_listing_records>());
  }
}

std::int64_t SqliteStore::count_records() {
  return db_.execAndGet("SELECT count(*) FROM records").getInt64();
}

void SqliteStore::insert_identity(std::int64_t record_id, const Identity& i) {
  try {
    auto& s = stmt("INSERT INTO identities (record_id, anonymous, name, position, organization, phone, salt) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    s.bind(1, static_cast<std::int64_t>(record_id));
    s.bind(2, i.anonymous ? 1 : 0);
    s.bind(3, i.name);
    s.bind(4, i.position);
    s.bind(5, i.organization);
    s.bind(6, i.phone);
    s.bind(7, i.salt);
    s.exec();
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_saving_identity>());
  }
}

std::optional<Identity> SqliteStore::find_identity(std::int64_t record_id) {
  try {
    auto& s = stmt("SELECT anonymous, name, position, organization, phone, salt FROM identities WHERE record_id = ?1");
    s.bind(1, static_cast<std::int64_t>(record_id));
    if (!s.executeStep()) return std::nullopt;
    Identity i;
    i.anonymous = s.getColumn(0).getInt() != 0;
    i.name = s.getColumn(1).getString();
    i.position = s.getColumn(2).getString();
    i.organization = s.getColumn(3).getString();
    i.phone = s.getColumn(4).getString();
    i.salt = s.getColumn(5).getString();
    s.reset();
    return i;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_identity>());
  }
}

void SqliteStore::insert_party(const Party& p) {
  try {
    auto& s = stmt("INSERT INTO parties (id, name, type, contact, phone, email, address, notes, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    bind_party(s, p);
    s.exec();
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_saving_party>(p.id));
  }
}

void SqliteStore::update_party(const Party& p) {
  try {
    auto& s = stmt("UPDATE parties SET name = ?2, type = ?3, contact = ?4, phone = ?5, email = ?6, "
                   "address = ?7, notes = ?8, created_at = ?9 WHERE id = ?1");
    bind_party(s, p);
    s.exec();
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_updating_party>(p.id));
  }
}

std::optional<Party> SqliteStore::find_party(const std::string& id) {
  try {
    auto& s = stmt("SELECT id, name, type, contact, phone, email, address, notes, created_at "
                   "FROM parties WHERE id = ?1");
    s.bind(1, id);
    if (!s.executeStep()) return std::nullopt;
    Party p = read_party(s);
    s.reset();
    return p;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_reading_party>(id));
  }
}

std::vector<Party> SqliteStore::list_parties(const std::string& type) {
  try {
    auto& s = stmt("SELECT id, name, type, contact, phone, email, address, notes, created_at "
                   "FROM parties WHERE ?1 = '' OR type = ?1 ORDER BY id");
    s.bind(1, type);
    std::vector<Party> out;
    while (s.executeStep()) out.push_back(read_party(s));
    s.reset();
    return out;
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_listing_parties>());
  }
}

void SqliteStore::write_clocks(std::int64_t record_id, const std::vector<Clock>& clocks) {
  auto& s = stmt("INSERT INTO clocks (record_id, name, duration, started_at, due, stopped_at, used_seconds, "
                 "paused_since, paused_seconds, config_hash, provisional, given) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
                 "ON CONFLICT(record_id, name) DO UPDATE SET duration = ?3, started_at = ?4, due = ?5, "
                 "stopped_at = ?6, used_seconds = ?7, paused_since = ?8, paused_seconds = ?9, "
                 "config_hash = ?10, provisional = ?11, given = ?12");
  for (const auto& c : clocks) {
    s.reset();
    s.clearBindings();
    s.bind(1, static_cast<std::int64_t>(record_id));
    s.bind(2, c.name);
    s.bind(3, c.duration);
    s.bind(4, static_cast<std::int64_t>(secs(c.started_at)));
    bind_opt(s, 5, c.due);
    bind_opt(s, 6, c.stopped_at);
    if (c.used_seconds) s.bind(7, static_cast<std::int64_t>(*c.used_seconds));
    else s.bind(7);
    bind_opt(s, 8, c.paused_since);
    s.bind(9, static_cast<std::int64_t>(c.paused_seconds));
    s.bind(10, c.config_hash);
    s.bind(11, c.provisional ? 1 : 0);
    s.bind(12, c.given ? 1 : 0);
    s.exec();
  }
}

std::vector<Clock> SqliteStore::read_clocks(std::int64_t record_id) {
  auto& s = stmt("SELECT name, duration, started_at, due, stopped_at, used_seconds, paused_since, "
                 "paused_seconds, config_hash, provisional, given FROM clocks WHERE record_id = ?1 "
                 // ack, resolve, then by type and number: action:2 before action:10.
                 "ORDER BY CASE name WHEN 'ack' THEN 0 WHEN 'resolve' THEN 1 ELSE 2 END, "
                 "substr(name, 1, instr(name, ':')), CAST(substr(name, instr(name, ':') + 1) AS INTEGER), name");
  s.bind(1, static_cast<std::int64_t>(record_id));
  std::vector<Clock> out;
  while (s.executeStep()) {
    Clock c;
    c.name = s.getColumn(0).getString();
    c.duration = s.getColumn(1).getString();
    c.started_at = TimePoint{std::chrono::seconds{s.getColumn(2).getInt64()}};
    c.due = opt_time(s.getColumn(3));
    c.stopped_at = opt_time(s.getColumn(4));
    if (!s.getColumn(5).isNull()) c.used_seconds = s.getColumn(5).getInt64();
    c.paused_since = opt_time(s.getColumn(6));
    c.paused_seconds = s.getColumn(7).getInt64();
    c.config_hash = s.getColumn(8).getString();
    c.provisional = s.getColumn(9).getInt() != 0;
    c.given = s.getColumn(10).getInt() != 0;
    out.push_back(std::move(c));
  }
  s.reset();
  return out;
}

}  // namespace liaison
