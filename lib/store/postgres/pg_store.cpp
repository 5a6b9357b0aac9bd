// The PostgreSQL store's opening, write transaction and sequences, and its records with
// their clocks, identities and parties (lib/store/postgres/pg_store.h).
#include "pg_store.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "fts_tokenizer.h"
#include "pg_migrations.h"
#include "pg_search.h"

namespace liaison {

using namespace pg_util;

namespace {

/// The key of the transaction-scoped advisory lock every write takes first ("liaisow" in
/// ASCII): writers queue on it, so each reads the chain's tip, the sequences and the
/// records as the previous writer committed them.
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(30515164586667895)";
constexpr const char* kTryWriteLock = "SELECT pg_try_advisory_xact_lock(30515164586667895)";

/// How long a writer waits for another's transaction before giving up (exit 75), as the
/// SQLite store's busy timeout.
constexpr const char* kLockTimeout = "SELECT set_config('lock_timeout', '10s', false)";

class PgTransaction : public WriteTransaction {
 public:
  explicit PgTransaction(pg::Connection& c) : c_(c) {
    c_.exec("BEGIN");
    try {
      // Another writer's turn: say so in the trace at once (LIAISON_TRACE_SQL), then queue.
      if (c_.exec(kTryWriteLock).text(0, 0) != "t") {
        c_.trace_note("-- waiting for a lock");
        c_.exec(kWriteLock);
      }
    } catch (...) {
      c_.end_quietly("ROLLBACK");
      throw;
    }
  }
  ~PgTransaction() override {
    if (!done_) c_.end_quietly("ROLLBACK");
  }
  void commit() override {
    try {
      c_.exec("COMMIT");
    } catch (const BusyError& e) {
      // The connection went away with the COMMIT sent: it may have been applied. A blind
      // retry could record the same thing twice.
      done_ = true;
      throw StoreError(msg<Msg::pg_commit_unknown>(e.message()), msg<Msg::pg_look_before_retry>());
    }
    done_ = true;
  }

 private:
  pg::Connection& c_;
  bool done_ = false;
};

std::vector<std::string> split_commas(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  for (std::size_t start = 0;;) {
    auto pos = s.find(',', start);
    out.emplace_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

std::string join_commas(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

Record record_of(const auto& row) {
  Record r;
  auto str = [&](int i) { return std::string(row.text(i)); };
  r.id = row.int64(0);
  r.ref = str(1);
  r.kind = str(2);
  r.direction = parse_direction(str(3)).value_or(Direction::internal);
  r.flow = parse_flow(str(4)).value_or(Flow::none);
  r.subject = str(5);
  r.body = str(6);
  r.channel = str(7);
  r.party = str(8);  // "" for NULL
  r.from_dept = str(9);
  r.owner = str(10);
  r.assignee = str(11);
  r.level = str(12);
  r.major = row.int64(13) != 0;
  r.status = parse_status(str(14)).value_or(Status::open);
  if (!row.is_null(15)) r.outcome = parse_outcome(str(15));
  r.resolution = str(16);
  r.reply_via = str(17);
  r.capa = str(18);
  r.rule = str(19);
  r.notify = split_commas(row.text(20));
  r.escalated_to = str(21);
  r.received_at = time_of(row.int64(22));
  r.created_at = time_of(row.int64(23));
  r.created_by = str(24);
  r.ack_due = opt_time(row, 25);
  r.acked_at = opt_time(row, 26);
  r.due = opt_time(row, 27);
  r.closed_at = opt_time(row, 28);
  r.purged_at = opt_time(row, 29);
  r.anonymised_at = opt_time(row, 30);
  r.topic = str(31);
  r.customer_ref = str(32);
  r.eight_d = str(33);
  r.their_ref = str(34);
  r.compliance_obligation = str(35);
  return r;
}

constexpr const char* kPartyColumns = "id, name, type, contact, phone, email, address, notes, created_at";

std::vector<pg::Param> party_params(const Party& p) {
  return {p.id, p.name, p.type, p.contact, p.phone, p.email, p.address, p.notes, num(secs(p.created_at))};
}

Party party_of(const pg::Result& r, int row) {
  Party p;
  p.id = r.text(row, 0);
  p.name = r.text(row, 1);
  p.type = r.text(row, 2);
  p.contact = r.text(row, 3);
  p.phone = r.text(row, 4);
  p.email = r.text(row, 5);
  p.address = r.text(row, 6);
  p.notes = r.text(row, 7);
  p.created_at = time_of(r.int64(row, 8));
  return p;
}

}  // namespace

const char* const PgStore::kRecordColumns =
    "id, ref, kind, direction, flow, subject, body, channel, party, from_dept, owner, assignee, "
    "level, major, status, outcome, resolution, reply_via, capa, rule, notify, escalated_to, "
    "received_at, created_at, created_by, ack_due, acked_at, due, closed_at, purged_at, anonymised_at, "
    "topic, customer_ref, eight_d, their_ref, compliance_obligation";

Record PgStore::read_record(const pg::Result& result, int row) { return record_of(pg::Row{result, row}); }
Record PgStore::read_record(const pg::RowCursor& cursor) { return record_of(cursor); }

std::vector<pg::Param> PgStore::record_params(const Record& r) {
  std::vector<pg::Param> p;
  p.reserve(36);
  p.emplace_back(r.ref);
  p.emplace_back(r.kind);
  p.emplace_back(std::string(to_string(r.direction)));
  p.emplace_back(std::string(to_string(r.flow)));
  p.emplace_back(r.subject);
  p.emplace_back(r.body);
  p.emplace_back(r.channel);
  p.emplace_back(r.party.empty() ? pg::Param() : pg::Param(r.party));
  p.emplace_back(r.from_dept);
  p.emplace_back(r.owner);
  p.emplace_back(r.assignee);
  p.emplace_back(r.level);
  p.emplace_back(num(r.major ? 1 : 0));
  p.emplace_back(std::string(to_string(r.status)));
  p.emplace_back(r.outcome ? pg::Param(std::string(to_string(*r.outcome))) : pg::Param());
  p.emplace_back(r.resolution);
  p.emplace_back(r.reply_via);
  p.emplace_back(r.capa);
  p.emplace_back(r.rule);
  p.emplace_back(join_commas(r.notify));
  p.emplace_back(r.escalated_to);
  p.emplace_back(num(secs(r.received_at)));
  p.emplace_back(num(secs(r.created_at)));
  p.emplace_back(r.created_by);
  p.emplace_back(when(r.ack_due));
  p.emplace_back(when(r.acked_at));
  p.emplace_back(when(r.due));
  p.emplace_back(when(r.closed_at));
  p.emplace_back(when(r.purged_at));
  p.emplace_back(when(r.anonymised_at));
  p.emplace_back(r.topic);
  p.emplace_back(r.customer_ref);
  p.emplace_back(r.eight_d);
  p.emplace_back(r.their_ref);
  p.emplace_back(r.compliance_obligation);
  return p;
}

PgStore::PgStore(const std::string& url, OpenMode mode) : connect_url_(url), c_(url) {
  if (const char* file = std::getenv("LIAISON_TRACE_SQL"); file && *file) {
    trace_.reset(std::fopen(file, "a"));
    c_.trace_to(trace_.get());
  }
  c_.exec("SET client_encoding = 'UTF8'");
  c_.exec("SET bytea_output = 'hex'");  // what pg_store_files.cpp reads
  // Chinese text is kept as UTF-8 bytes and tokenised as such: a database of another
  // encoding would change it.
  if (auto enc = c_.exec("SHOW server_encoding"); enc.text(0, 0) != "UTF8")
    throw StoreError(msg<Msg::pg_not_utf8>(c_.shown_url(), std::string(enc.text(0, 0))), msg<Msg::pg_create_utf8>());
  c_.exec(kLockTimeout);
  const int version = pg::schema_version(c_);
  const int known = pg::known_schema_version();
  if (mode == OpenMode::read_only) {
    // Reads never write, whatever the role may: the session refuses it too.
    c_.exec("SET default_transaction_read_only = on");
    if (version == 0)
      throw NotFoundError(msg<Msg::pg_no_liaison_schema>(c_.shown_url()), msg<Msg::run_liaison_init_create_one_give>());
    if (version < known)
      throw StoreError(msg<Msg::needs_schema_upgrade>(c_.shown_url(), version, known),
                       msg<Msg::run_init_db_only_to_upgrade>());
    return;
  }
  if (version < known) pg::migrate(c_);
}

std::unique_ptr<Store> open_pg_store(const std::string& url, OpenMode mode) {
  return std::make_unique<PgStore>(url, mode);
}

std::unique_ptr<WriteTransaction> PgStore::write() { return std::make_unique<PgTransaction>(c_); }

int PgStore::schema_version() { return pg::schema_version(c_); }

std::int64_t PgStore::next_sequence(const std::string& name) {
  return c_.exec("INSERT INTO sequences (name, last) VALUES ($1, 1) "
                 "ON CONFLICT (name) DO UPDATE SET last = sequences.last + 1 RETURNING last",
                 {name})
      .int64(0, 0);
}

void PgStore::advance_sequence(const std::string& name, std::int64_t last) {
  c_.exec("INSERT INTO sequences (name, last) VALUES ($1, $2) "
          "ON CONFLICT (name) DO UPDATE SET last = greatest(sequences.last, excluded.last)",
          {name, num(last)});
}

std::int64_t PgStore::insert_record(const Record& r) {
  // Inside the write lock: max(id) + 1 is this writer's alone.
  static const std::string sql = fmt::format(
      "INSERT INTO records ({}) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM records), $1, $2, $3, $4, $5, $6, $7, "
      "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, "
      "$30, $31, $32, $33, $34, $35) RETURNING id",
      kRecordColumns);
  const std::int64_t id = c_.exec(sql, record_params(r)).int64(0, 0);
  write_clocks(id, r.clocks);
  return id;
}

void PgStore::update_record(const Record& r) {
  auto params = record_params(r);
  params.push_back(num(r.id));
  c_.exec("UPDATE records SET ref = $1, kind = $2, direction = $3, flow = $4, subject = $5, body = $6, "
          "channel = $7, party = $8, from_dept = $9, owner = $10, assignee = $11, level = $12, major = $13, "
          "status = $14, outcome = $15, resolution = $16, reply_via = $17, capa = $18, rule = $19, "
          "notify = $20, escalated_to = $21, received_at = $22, created_at = $23, created_by = $24, "
          "ack_due = $25, acked_at = $26, due = $27, closed_at = $28, purged_at = $29, anonymised_at = $30, "
          "topic = $31, customer_ref = $32, eight_d = $33, their_ref = $34, compliance_obligation = $35 WHERE id = $36",
          params);
  // The record's clocks are exactly r.clocks: drop any it no longer has (reopen).
  std::vector<std::string> names;
  for (const auto& c : r.clocks) names.push_back(c.name);
  c_.exec("DELETE FROM clocks WHERE record_id = $1 AND NOT (name = ANY (SELECT json_array_elements_text($2::json)))",
          {num(r.id), nlohmann::json(names).dump()});
  write_clocks(r.id, r.clocks);
}

std::optional<Record> PgStore::find_record(const std::string& ref) {
  static const std::string sql = fmt::format("SELECT {} FROM records WHERE ref = $1", kRecordColumns);
  pg::Result res = c_.exec(sql, {ref});
  if (res.rows() == 0) return std::nullopt;
  Record r = read_record(res, 0);
  r.clocks = read_clocks(r.id);
  return r;
}

bool PgStore::record_exists(const std::string& ref) {
  return c_.exec("SELECT 1 FROM records WHERE ref = $1", {ref}).rows() > 0;
}

std::vector<Clock> PgStore::clocks_for(std::int64_t record_id) { return read_clocks(record_id); }

namespace {
/// Whether record p.record_id's filed event names schedule p.schedule and period p.period
/// (a condition on schedule_records AS p): a row put into the index behind the tool's
/// back must not make a period look filed.
constexpr std::string_view kFiledCarriesPeriod =
    "EXISTS (SELECT 1 FROM events AS e WHERE e.record_id = p.record_id AND e.type = 'filed' "
    "AND liaison_json(e.data) #>> '{schedule,id}' = p.schedule "
    "AND liaison_json(e.data) #>> '{schedule,period}' = p.period)";
}  // namespace

std::optional<std::string> PgStore::scheduled_record(const std::string& schedule, const std::string& period) {
  static const std::string sql =
      fmt::format("SELECT r.ref FROM schedule_records AS p JOIN records AS r ON r.id = p.record_id "
                  "WHERE p.schedule = $1 AND p.period = $2 AND {}",
                  kFiledCarriesPeriod);
  pg::Result res = c_.exec(sql, {schedule, period});
  if (res.rows() == 0) return std::nullopt;
  return std::string(res.text(0, 0));
}

std::vector<std::pair<std::string, std::string>> PgStore::schedule_records(const std::string& schedule) {
  static const std::string sql =
      fmt::format("SELECT p.period, r.ref FROM schedule_records AS p JOIN records AS r ON r.id = p.record_id "
                  "WHERE p.schedule = $1 AND {} ORDER BY p.period",
                  kFiledCarriesPeriod);
  pg::Result res = c_.exec(sql, {schedule});
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < res.rows(); ++i) out.emplace_back(res.text(i, 0), res.text(i, 1));
  return out;
}

std::string PgStore::where_clause(const RecordFilter& f, std::vector<pg::Param>& params, const char* condition) {
  // Assembled from fixed fragments only; every value is bound.
  std::string where;
  auto clause = [&](const std::string& c) {
    where += where.empty() ? " WHERE " : " AND ";
    where += c;
  };
  auto param = [&](pg::Param v) {
    params.push_back(std::move(v));
    return fmt::format("${}", params.size());
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
  if (f.major) clause("major = " + param(num(*f.major ? 1 : 0)) + "::smallint");
  if (f.held)
    clause(std::string(*f.held ? "" : "NOT ") +
           "coalesce((SELECT h.type = 'held' FROM events AS h WHERE h.record_id = records.id "
           "AND h.type IN ('held', 'released') ORDER BY h.id DESC LIMIT 1), false)");
  if (f.received_since) clause("received_at >= " + param(num(secs(*f.received_since))) + "::bigint");
  if (f.received_until) clause("received_at < " + param(num(secs(*f.received_until))) + "::bigint");
  if (f.overdue_at)
    clause("status NOT IN ('closed', 'waiting') AND due < " + param(num(secs(*f.overdue_at))) + "::bigint");
  if (!f.unsigned_by.empty())
    clause("purged_at IS NULL AND id IN (SELECT record_id FROM clocks WHERE name = " +
           param("receipt:" + f.unsigned_by) + "::text AND due IS NOT NULL AND stopped_at IS NULL)");
  if (!f.approval_turn_of.empty()) {
    const std::string p = param(":" + f.approval_turn_of) + "::text";
    clause(fmt::format("id IN (SELECT record_id FROM clocks WHERE name >= 'approval:' AND name < 'approval;' "
                       "AND stopped_at IS NULL AND paused_since IS NULL AND right(name, length({0})) = {0})",
                       p));
  }
  if (f.actions_of) {
    const std::string owner = param(f.actions_of->empty() ? std::string() : ":" + *f.actions_of) + "::text";
    const std::string open = param(num(f.open_actions ? 1 : 0)) + "::int";
    clause(fmt::format("purged_at IS NULL AND id IN (SELECT record_id FROM clocks WHERE name >= 'action:' "
                       "AND name < 'action;' AND due IS NOT NULL AND ({0} = '' OR right(name, length({0})) = {0}) "
                       "AND ({1} = 0 OR stopped_at IS NULL))",
                       owner, open));
  }
  if (!f.grep.empty()) {
    auto query = pg_search::tsquery_of(f.grep);
    clause(query ? pg_search::grep_condition(param(*query)) : "false");
  }
  if (f.readable_levels)
    clause("level IN (SELECT json_array_elements_text(" + param(nlohmann::json(*f.readable_levels).dump()) +
           "::json))");
  return where;
}

std::string PgStore::order_clause(const RecordFilter& f) {
  static const std::map<RecordFilter::SortKey, const char*> order = {
      {RecordFilter::SortKey::received, "received_at"}, {RecordFilter::SortKey::due, "due"},
      {RecordFilter::SortKey::ack_due, "ack_due"},      {RecordFilter::SortKey::ref, "ref"},
      {RecordFilter::SortKey::kind, "kind"},            {RecordFilter::SortKey::owner, "owner"},
      {RecordFilter::SortKey::status, "status"}};
  // Records without a value (no deadline, …) sort last in either direction.
  const bool nullable = f.sort == RecordFilter::SortKey::due || f.sort == RecordFilter::SortKey::ack_due;
  const std::string key = order.at(f.sort);
  const char* dir = f.descending ? "DESC" : "ASC";
  std::string sql = fmt::format(" ORDER BY {}{} {}{}, id {}", nullable ? key + " IS NULL, " : "", key, dir,
                                nullable ? " NULLS LAST" : "", dir);
  if (f.limit > 0) sql += fmt::format(" LIMIT {}", f.limit);
  return sql;
}

std::vector<Record> PgStore::list_records(const RecordFilter& f) {
  std::vector<Record> out;
  each_record(f, [&](Record& r) { out.push_back(std::move(r)); });
  return out;
}

void PgStore::each_record(const RecordFilter& f, const std::function<void(Record&)>& each) {
  std::vector<pg::Param> params;
  const std::string sql =
      fmt::format("SELECT {} FROM records{}{}", kRecordColumns, where_clause(f, params, nullptr), order_clause(f));
  pg::RowCursor rows(c_, sql, params);
  while (rows.step()) {
    Record r = read_record(rows);
    each(r);
  }
}

std::vector<std::string> PgStore::record_parties(const RecordFilter& f) {
  // Which records a limit keeps depends on the order: then every record is read.
  if (f.limit > 0) return Store::record_parties(f);
  std::vector<pg::Param> params;
  const std::string sql = fmt::format("SELECT DISTINCT party FROM records{} ORDER BY party",
                                      where_clause(f, params, "party IS NOT NULL"));
  pg::Result res = c_.exec(sql, params);
  std::vector<std::string> parties;
  for (int i = 0; i < res.rows(); ++i)
    if (!res.text(i, 0).empty()) parties.emplace_back(res.text(i, 0));
  return parties;
}

std::shared_ptr<void> PgStore::snapshot() {
  c_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  return std::shared_ptr<void>(nullptr, [this](void*) { c_.end_quietly("COMMIT"); });
}

std::vector<std::pair<std::string, std::int64_t>> PgStore::sequences() {
  pg::Result res = c_.exec("SELECT name, last FROM sequences ORDER BY name");
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (int i = 0; i < res.rows(); ++i) out.emplace_back(res.text(i, 0), res.int64(i, 1));
  return out;
}

void PgStore::each_identity(const std::function<void(std::int64_t, const Identity&)>& each) {
  pg::RowCursor rows(c_, "SELECT record_id, anonymous, name, position, organization, phone, salt FROM identities "
                         "ORDER BY record_id");
  while (rows.step()) {
    Identity i;
    i.anonymous = rows.int64(1) != 0;
    i.name = rows.text(2);
    i.position = rows.text(3);
    i.organization = rows.text(4);
    i.phone = rows.text(5);
    i.salt = rows.text(6);
    each(rows.int64(0), i);
  }
}

std::int64_t PgStore::count_records() { return c_.exec("SELECT count(*) FROM records").int64(0, 0); }

void PgStore::insert_identity(std::int64_t record_id, const Identity& i) {
  c_.exec("INSERT INTO identities (record_id, anonymous, name, position, organization, phone, salt) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {num(record_id), num(i.anonymous ? 1 : 0), i.name, i.position, i.organization, i.phone, i.salt});
}

std::optional<Identity> PgStore::find_identity(std::int64_t record_id) {
  pg::Result res = c_.exec(
      "SELECT anonymous, name, position, organization, phone, salt FROM identities WHERE record_id = $1",
      {num(record_id)});
  if (res.rows() == 0) return std::nullopt;
  Identity i;
  i.anonymous = res.int64(0, 0) != 0;
  i.name = res.text(0, 1);
  i.position = res.text(0, 2);
  i.organization = res.text(0, 3);
  i.phone = res.text(0, 4);
  i.salt = res.text(0, 5);
  return i;
}

void PgStore::insert_party(const Party& p) {
  c_.exec(fmt::format("INSERT INTO parties ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", kPartyColumns),
          party_params(p));
}

void PgStore::update_party(const Party& p) {
  c_.exec("UPDATE parties SET name = $2, type = $3, contact = $4, phone = $5, email = $6, "
          "address = $7, notes = $8, created_at = $9 WHERE id = $1",
          party_params(p));
}

std::optional<Party> PgStore::find_party(const std::string& id) {
  pg::Result res = c_.exec(fmt::format("SELECT {} FROM parties WHERE id = $1", kPartyColumns), {id});
  if (res.rows() == 0) return std::nullopt;
  return party_of(res, 0);
}

std::vector<Party> PgStore::list_parties(const std::string& type) {
  pg::Result res =
      c_.exec(fmt::format("SELECT {} FROM parties WHERE $1 = '' OR type = $1 ORDER BY id", kPartyColumns), {type});
  std::vector<Party> out;
  for (int i = 0; i < res.rows(); ++i) out.push_back(party_of(res, i));
  return out;
}

void PgStore::write_clocks(std::int64_t record_id, const std::vector<Clock>& clocks) {
  for (const auto& c : clocks)
    c_.exec("INSERT INTO clocks (record_id, name, duration, started_at, due, stopped_at, used_seconds, "
            "paused_since, paused_seconds, config_hash, provisional, given) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
            "ON CONFLICT (record_id, name) DO UPDATE SET duration = $3, started_at = $4, due = $5, "
            "stopped_at = $6, used_seconds = $7, paused_since = $8, paused_seconds = $9, "
            "config_hash = $10, provisional = $11, given = $12",
            {num(record_id), c.name, c.duration, num(secs(c.started_at)), when(c.due), when(c.stopped_at),
             c.used_seconds ? num(*c.used_seconds) : pg::Param(), when(c.paused_since), num(c.paused_seconds),
             c.config_hash, num(c.provisional ? 1 : 0), num(c.given ? 1 : 0)});
}

std::vector<Clock> PgStore::read_clocks(std::int64_t record_id) {
  pg::Result res = c_.exec(
      "SELECT name, duration, started_at, due, stopped_at, used_seconds, paused_since, paused_seconds, "
      "config_hash, provisional, given FROM clocks WHERE record_id = $1 "
      // ack, resolve, then by type and number: action:2 before action:10.
      "ORDER BY CASE name WHEN 'ack' THEN 0 WHEN 'resolve' THEN 1 ELSE 2 END, split_part(name, ':', 1), "
      "coalesce(substring(name FROM '^[^:]*:([0-9]{1,18})')::bigint, 0), name",
      {num(record_id)});
  std::vector<Clock> out;
  for (int i = 0; i < res.rows(); ++i) out.push_back(clock_of(pg::Row{res, i}, 0));
  return out;
}

}  // namespace liaison
