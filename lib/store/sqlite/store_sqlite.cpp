// SQLite implementation of Store: WAL mode, busy timeout, BEGIN IMMEDIATE writes,
// embedded migrations, the hash-chained event log.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <type_traits>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "errors.h"
#include "fts_tokenizer.h"
#include "hash.h"
#include "migrations.h"
#include "store.h"
#include "store_sqlite_audit.h"
#include "store_sqlite_report.h"
#include "store_sqlite_overdue.h"
#include "store_sqlite_remind.h"
#include "store_sqlite_search.h"
#include "store_sqlite_util.h"

namespace liaison {
namespace {

using namespace sqlite_util;

constexpr const char* kRecordColumns =
    "id, ref, kind, direction, flow, subject, body, channel, party, from_dept, owner, assignee, "
    "level, major, status, outcome, resolution, reply_via, capa, rule, notify, escalated_to, "
    "received_at, created_at, created_by, ack_due, acked_at, due, closed_at";

Record read_record(SQLite::Statement& s) {
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
  return r;
}

/// Binds the record's fields to ?1..?28 in kRecordColumns order, less the id.
void bind_record(SQLite::Statement& s, const Record& r) {
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
}

class SqliteTransaction : public WriteTransaction {
 public:
  explicit SqliteTransaction(SQLite::Database& db) : db_(db) {
    try {
      db_.exec("BEGIN IMMEDIATE");
    } catch (const SQLite::Exception& e) {
      rethrow(e, "starting a write");
    }
  }
  ~SqliteTransaction() override {
    if (!committed_) {
      try {
        db_.exec("ROLLBACK");
      } catch (...) {  // never throw from a destructor
      }
    }
  }
  void commit() override {
    try {
      db_.exec("COMMIT");
      committed_ = true;
    } catch (const SQLite::Exception& e) {
      rethrow(e, "committing");
    }
  }

 private:
  SQLite::Database& db_;
  bool committed_ = false;
};

class SqliteStore : public Store {
 public:
  SqliteStore(const std::string& path, OpenMode mode) : db_(open(path, mode)) {
    // The search index's tokenizer, on every connection and before the migrations (the
    // one that creates the index fills it).
    sqlite_search::register_tokenizer(db_);
    trace_sql();
    try {
      db_.exec("PRAGMA foreign_keys = ON");
      if (mode == OpenMode::read_only) db_.exec("PRAGMA query_only = ON");
    } catch (const SQLite::Exception& e) {
      rethrow(e, "opening " + path);
    }
    // Check (and migrate) before switching to WAL: a refused file (newer schema, not
    // ours) must be left exactly as it was, journal mode included.
    migrate(path, mode);
    if (mode == OpenMode::read_only) return;
    try {
      db_.exec("PRAGMA journal_mode = WAL");
      db_.exec("PRAGMA synchronous = NORMAL");
    } catch (const SQLite::Exception& e) {
      rethrow(e, "opening " + path);
    }
  }

  std::unique_ptr<WriteTransaction> write() override { return std::make_unique<SqliteTransaction>(db_); }

  int schema_version() override {
    return static_cast<int>(db_.execAndGet("PRAGMA user_version").getInt());
  }

  std::int64_t next_sequence(const std::string& name) override {
    try {
      auto& up = stmt("INSERT INTO sequences(name, last) VALUES (?1, 1) "
                      "ON CONFLICT(name) DO UPDATE SET last = last + 1 RETURNING last");
      up.bind(1, name);
      up.executeStep();
      auto n = up.getColumn(0).getInt64();
      while (up.executeStep()) {
      }
      return n;
    } catch (const SQLite::Exception& e) {
      rethrow(e, "numbering a record");
    }
  }

  void advance_sequence(const std::string& name, std::int64_t last) override {
    try {
      auto& up = stmt("INSERT INTO sequences(name, last) VALUES (?1, ?2) "
                      "ON CONFLICT(name) DO UPDATE SET last = max(last, excluded.last)");
      up.bind(1, name);
      up.bind(2, static_cast<std::int64_t>(last));
      up.exec();
    } catch (const SQLite::Exception& e) {
      rethrow(e, "numbering a record");
    }
  }

  bool record_exists(const std::string& ref) override {
    try {
      auto& s = stmt("SELECT 1 FROM records WHERE ref = ?1");
      s.bind(1, ref);
      bool found = s.executeStep();
      s.reset();
      return found;
    } catch (const SQLite::Exception& e) {
      rethrow(e, "reading record " + ref);
    }
  }

  std::vector<Clock> clocks_for(std::int64_t record_id) override {
    try {
      return read_clocks(record_id);
    } catch (const SQLite::Exception& e) {
      rethrow(e, "reading a record's clocks");
    }
  }

  std::int64_t insert_record(const Record& r) override {
    try {
      auto& s = stmt(fmt::format("INSERT INTO records ({}) VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                                 "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
                                 "?23, ?24, ?25, ?26, ?27, ?28)",
                                 kRecordColumns));
      bind_record(s, r);
      s.exec();
      auto id = db_.getLastInsertRowid();
      write_clocks(id, r.clocks);
      return id;
    } catch (const SQLite::Exception& e) {
      rethrow(e, "saving record " + r.ref);
    }
  }

  void update_record(const Record& r) override {
    try {
      auto& s = stmt(
          "UPDATE records SET ref = ?1, kind = ?2, direction = ?3, flow = ?4, subject = ?5, body = ?6, "
          "channel = ?7, party = ?8, from_dept = ?9, owner = ?10, assignee = ?11, level = ?12, major = ?13, "
          "status = ?14, outcome = ?15, resolution = ?16, reply_via = ?17, capa = ?18, rule = ?19, "
          "notify = ?20, escalated_to = ?21, received_at = ?22, created_at = ?23, created_by = ?24, "
          "ack_due = ?25, acked_at = ?26, due = ?27, closed_at = ?28 WHERE id = ?29");
      bind_record(s, r);
      s.bind(29, static_cast<std::int64_t>(r.id));
      s.exec();
      // The record's clocks are exactly r.clocks: drop any it no longer has (reopen).
      auto& drop = stmt("DELETE FROM clocks WHERE record_id = ?1");
      drop.bind(1, static_cast<std::int64_t>(r.id));
      drop.exec();
      write_clocks(r.id, r.clocks);
    } catch (const SQLite::Exception& e) {
      rethrow(e, "updating record " + r.ref);
    }
  }

  std::optional<Record> find_record(const std::string& ref) override {
    try {
      auto& s = stmt(fmt::format("SELECT {} FROM records WHERE ref = ?1", kRecordColumns));
      s.bind(1, ref);
      if (!s.executeStep()) return std::nullopt;
      Record r = read_record(s);
      s.reset();
      r.clocks = read_clocks(r.id);
      return r;
    } catch (const SQLite::Exception& e) {
      rethrow(e, "reading record " + ref);
    }
  }

  std::vector<Record> list_records(const RecordFilter& f) override {
    std::vector<Record> out;
    each_record(f, [&](Record& r) { out.push_back(std::move(r)); });
    return out;
  }

  void each_record(const RecordFilter& f, const std::function<void(Record&)>& each) override {
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
    std::vector<std::string> statuses;
    for (auto st : f.statuses) statuses.emplace_back(to_string(st));
    in_list("status", statuses);
    in_list("kind", f.kinds);
    if (f.direction) in_list("direction", {std::string(to_string(*f.direction))});
    in_list("owner", f.owners);
    in_list("party", f.parties);
    in_list("assignee", f.assignees);
    if (f.major) clause("major = " + param(std::int64_t{*f.major ? 1 : 0}));
    if (f.received_since) clause("received_at >= " + param(static_cast<std::int64_t>(secs(*f.received_since))));
    if (f.received_until) clause("received_at < " + param(static_cast<std::int64_t>(secs(*f.received_until))));
    if (f.overdue_at) clause(sqlite_search::overdue_condition(param(static_cast<std::int64_t>(secs(*f.overdue_at)))));
    if (!f.grep.empty()) {
      auto expression = fts::match_expression(f.grep);
      clause(expression ? sqlite_search::grep_condition(param(*expression)) : "0");
    }
    if (!f.hidden_levels.empty())
      clause(sqlite_search::hidden_levels_condition(param(nlohmann::json(f.hidden_levels).dump())));
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
    std::string sql = fmt::format("SELECT {} FROM records{} ORDER BY {}{} {}, id {}", kRecordColumns, where,
                                  nullable ? key + " IS NULL, " : "", key, f.descending ? "DESC" : "ASC",
                                  f.descending ? "DESC" : "ASC");
    if (f.limit > 0) sql += fmt::format(" LIMIT {}", f.limit);
    try {
      SQLite::Statement s(db_, sql);
      bind_all(s);
      while (s.executeStep()) {
        Record r = read_record(s);
        each(r);
      }
    } catch (const SQLite::Exception& e) {
      rethrow(e, "listing records");
    }
  }

  std::int64_t count_records() override {
    return db_.execAndGet("SELECT count(*) FROM records").getInt64();
  }

  void insert_identity(std::int64_t record_id, const Identity& i) override {
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
      rethrow(e, "saving who raised the record");
    }
  }

  std::optional<Identity> find_identity(std::int64_t record_id) override {
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
      rethrow(e, "reading who raised the record");
    }
  }

  void insert_party(const Party& p) override {
    try {
      auto& s = stmt("INSERT INTO parties (id, name, type, contact, phone, email, address, notes, created_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
      bind_party(s, p);
      s.exec();
    } catch (const SQLite::Exception& e) {
      rethrow(e, "saving party " + p.id);
    }
  }

  void update_party(const Party& p) override {
    try {
      auto& s = stmt("UPDATE parties SET name = ?2, type = ?3, contact = ?4, phone = ?5, email = ?6, "
                     "address = ?7, notes = ?8, created_at = ?9 WHERE id = ?1");
      bind_party(s, p);
      s.exec();
    } catch (const SQLite::Exception& e) {
      rethrow(e, "updating party " + p.id);
    }
  }

  std::optional<Party> find_party(const std::string& id) override {
    try {
      auto& s = stmt("SELECT id, name, type, contact, phone, email, address, notes, created_at "
                     "FROM parties WHERE id = ?1");
      s.bind(1, id);
      if (!s.executeStep()) return std::nullopt;
      Party p = read_party(s);
      s.reset();
      return p;
    } catch (const SQLite::Exception& e) {
      rethrow(e, "reading party " + id);
    }
  }

  std::vector<Party> list_parties(const std::string& type) override {
    try {
      auto& s = stmt("SELECT id, name, type, contact, phone, email, address, notes, created_at "
                     "FROM parties WHERE ?1 = '' OR type = ?1 ORDER BY id");
      s.bind(1, type);
      std::vector<Party> out;
      while (s.executeStep()) out.push_back(read_party(s));
      s.reset();
      return out;
    } catch (const SQLite::Exception& e) {
      rethrow(e, "listing parties");
    }
  }

  Event append_event(Event e) override {
    try {
      auto& last = stmt("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1");
      e.id = 1;
      e.prev_hash.clear();
      if (last.executeStep()) {
        e.id = last.getColumn(0).getInt64() + 1;
        e.prev_hash = last.getColumn(1).getString();
      }
      last.reset();
      e.hash = sha256_hex(event_digest_input(e));
      auto& ins = stmt("INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
      ins.bind(1, static_cast<std::int64_t>(e.id));
      if (e.record_id) ins.bind(2, static_cast<std::int64_t>(e.record_id));
      else ins.bind(2);
      ins.bind(3, e.type);
      ins.bind(4, e.actor);
      ins.bind(5, static_cast<std::int64_t>(secs(e.at)));
      ins.bind(6, e.data);
      ins.bind(7, e.prev_hash);
      ins.bind(8, e.hash);
      ins.exec();
      if (e.record_id) sqlite_search::index_event(stmt(sqlite_search::kIndexEvent), e.id);
      return e;
    } catch (const SQLite::Exception& ex) {
      rethrow(ex, "appending to the history");
    }
  }

  std::vector<Event> events_for(std::int64_t record_id) override {
    try {
      auto& s = stmt("SELECT e.id, e.record_id, r.ref, e.type, e.actor, e.at, e.data, e.prev_hash, e.hash "
                     "FROM events e LEFT JOIN records r ON r.id = e.record_id "
                     "WHERE e.record_id = ?1 ORDER BY e.id");
      s.bind(1, static_cast<std::int64_t>(record_id));
      std::vector<Event> out;
      while (s.executeStep()) out.push_back(read_event(s));
      s.reset();
      return out;
    } catch (const SQLite::Exception& e) {
      rethrow(e, "reading the history");
    }
  }

  ChainCheck verify_chain() override {
    ChainCheck check;
    try {
      SQLite::Statement s(db_, "SELECT e.id, e.record_id, r.ref, e.type, e.actor, e.at, e.data, e.prev_hash, e.hash "
                               "FROM events e LEFT JOIN records r ON r.id = e.record_id ORDER BY e.id");
      std::string prev;
      std::int64_t expected_id = 1;
      while (s.executeStep()) {
        Event e = read_event(s);
        ++check.events;
        auto fail = [&](std::string why) {
          check.ok = false;
          check.first_bad_id = e.id;
          check.problem = std::move(why);
        };
        if (e.id != expected_id) {
          fail(fmt::format("event {} is missing (the next one found is {})", expected_id, e.id));
          check.first_bad_id = expected_id;
          break;
        }
        if (e.prev_hash != prev) {
          fail("its previous-hash does not match the event before it");
          break;
        }
        if (sha256_hex(event_digest_input(e)) != e.hash) {
          fail("its content does not match its hash (changed after it was written)");
          break;
        }
        prev = e.hash;
        ++expected_id;
      }
    } catch (const SQLite::Exception& e) {
      rethrow(e, "verifying the history");
    }
    return check;
  }

  std::vector<SearchHit> search_records(const std::string& text, const RecordFilter& filter) override {
    std::vector<SearchHit> hits;
    auto expression = fts::match_expression(text);
    if (!expression) return hits;
    auto limit = filter.limit > 0 ? static_cast<std::size_t>(filter.limit) : SIZE_MAX;
    // Candidates come best first; their records are read a chunk at a time (growing, as
    // filters that keep few need more) and kept in rank order when they pass.
    std::vector<std::pair<std::int64_t, double>> chunk;
    std::size_t chunk_size = std::min<std::size_t>(limit, 1000) + 16;
    auto& records = stmt(sqlite_search::filtered_ids_sql(kRecordColumns));
    auto take_chunk = [&] {
      if (chunk.empty()) return;
      nlohmann::json ids = nlohmann::json::array();
      for (const auto& c : chunk) ids.push_back(c.first);
      records.reset();
      records.clearBindings();
      sqlite_search::bind_filter(records, ids.dump(), filter);
      std::map<std::int64_t, Record> found;
      while (records.executeStep()) {
        Record r = read_record(records);
        found.emplace(r.id, std::move(r));
      }
      records.reset();
      for (const auto& [id, score] : chunk) {
        if (hits.size() >= limit) break;
        auto it = found.find(id);
        if (it == found.end()) continue;
        SearchHit hit;
        hit.record = std::move(it->second);
        hit.score = score;
        hits.push_back(std::move(hit));
      }
      chunk.clear();
      chunk_size *= 4;
    };
    try {
      for (const auto& candidate : sqlite_search::ranked_matches(stmt(sqlite_search::kMatches), *expression)) {
        chunk.push_back(candidate);
        if (chunk.size() >= chunk_size) take_chunk();
        if (hits.size() >= limit) break;
      }
      if (hits.size() < limit) take_chunk();
      // The snippet: from the text where most of the search's words occur; on a tie a
      // body rather than a history text, and either rather than the subject, which is
      // shown beside it anyway; among equals the first.
      auto& texts = stmt("SELECT key, text FROM search_text WHERE record_id = ?1 ORDER BY event_id");
      auto preference = [](const std::string& field) { return field == "body" ? 2 : field == "history" ? 1 : 0; };
      for (auto& hit : hits) {
        texts.reset();
        texts.clearBindings();
        texts.bind(1, static_cast<std::int64_t>(hit.record.id));
        fts::Snippet best;
        best.matched = -1;
        while (texts.executeStep()) {
          auto key = texts.getColumn(0).getString();
          std::string field = key == "subject" || key == "body" ? key : "history";
          auto snippet = fts::make_snippet(texts.getColumn(1).getString(), text);
          if (snippet.matched > best.matched ||
              (snippet.matched == best.matched && preference(field) > preference(hit.field))) {
            best = std::move(snippet);
            hit.field = field;
          }
        }
        texts.reset();
        if (best.matched < 0) {  // no text left to show (changed behind the store's back)
          best = fts::make_snippet(hit.record.subject, text);
          hit.field = "subject";
        }
        hit.snippet = std::move(best.text);
        hit.marks = std::move(best.marks);
      }
    } catch (const SQLite::Exception& e) {
      rethrow(e, "searching");
    }
    return hits;
  }
  void index_event(std::int64_t event_id) override {
    sqlite_search::index_event(stmt(sqlite_search::kIndexEvent), event_id);
  }
  std::int64_t rebuild_search_index() override { return sqlite_search::rebuild(db_); }

  std::vector<Event> reminders_since(TimePoint since) override {
    return sqlite_remind::reminders_since(stmt(sqlite_remind::kRemindersSince), since);
  }
  void overdue_obligations(const OverdueQuery& query, const std::function<void(OverdueEntry&)>& each) override {
    sqlite_overdue::overdue_obligations(stmt(sqlite_overdue::kOverdueObligations), query, each);
  }

  std::int64_t last_event_id() override {
    return db_.execAndGet("SELECT coalesce(max(id), 0) FROM events").getInt64();
  }

  // Audit queries and the backup: lib/store/sqlite/store_sqlite_audit.cpp.
  void audit_events(const EventFilter& f,
                    const std::function<void(const Event&, const std::string& level)>& each) override {
    sqlite_audit::audit_events(db_, f, each);
  }
  void record_histories(const std::function<void(const RecordHistory&)>& each) override {
    sqlite_audit::record_histories(db_, stmt(fmt::format("SELECT {} FROM records ORDER BY id", kRecordColumns)),
                                   read_record, each);
  }
  std::string integrity_check() override { return sqlite_audit::integrity_check(db_); }
  BackupCopy backup_to(const std::string& path) override { return sqlite_audit::backup_to(db_, path); }

  // Report queries: lib/store/sqlite/store_sqlite_report.cpp.
  Volume report_volume(const ReportFilter& f, TimePoint from, TimePoint end, const std::vector<std::string>& complaint_kinds,
                       int top_parties) override {
    return sqlite_report::volume(db_, f, from, end, complaint_kinds, top_parties);
  }
  FlowCounts report_flow(const ReportFilter& f, TimePoint from, TimePoint end) override {
    return sqlite_report::flow(db_, f, from, end);
  }
  std::vector<Timeliness> report_timeliness(const ReportFilter& f, TimePoint from, TimePoint end) override {
    return sqlite_report::timeliness(db_, f, from, end);
  }
  std::vector<Count> report_overdue_by_owner(const ReportFilter& f, TimePoint end) override {
    return sqlite_report::overdue_by_owner(db_, f, end);
  }
  std::vector<OverdueItem> report_overdue(const ReportFilter& f, TimePoint end) override {
    return sqlite_report::overdue(db_, f, end);
  }
  Suggestions report_suggestions(const ReportFilter& f, TimePoint from, TimePoint end,
                                 const std::vector<std::string>& suggestion_kinds) override {
    return sqlite_report::suggestions(db_, f, from, end, suggestion_kinds);
  }
  std::vector<MajorItem> report_major(const ReportFilter& f, TimePoint from, TimePoint end) override {
    return sqlite_report::major(db_, f, from, end);
  }

 private:
  static SQLite::Database open(const std::string& path, OpenMode mode) {
    namespace fs = std::filesystem;
    if (mode != OpenMode::create && path != ":memory:" && !fs::exists(path))
      throw NotFoundError(fmt::format("no database at {}", path),
                          "run 'liaison init' to create one, or give --db");
    int flags = mode == OpenMode::read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE;
    if (mode == OpenMode::create) flags |= SQLite::OPEN_CREATE;
    // One connection, used by one thread: SQLite's per-call mutexes are pure cost (a fifth
    // of the instructions of an overdue list of 74,000 rows).
    flags |= SQLite::OPEN_NOMUTEX;
    try {
      return SQLite::Database(path, flags, kBusyTimeoutMs);
    } catch (const SQLite::Exception& e) {
      rethrow(e, "opening " + path);
    }
  }

  /// Applies every embedded migration newer than the database, each in its own
  /// transaction; refuses a database from a newer binary.
  void migrate(const std::string& path, OpenMode mode) {
    try {
      const auto& all = embedded_migrations();
      int latest = all.empty() ? 0 : all.back().version;
      int current = schema_version();
      if (current == 0) {
        // A database that is not ours must not be taken over silently.
        auto tables = db_.execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").getInt();
        if (tables > 0)
          throw StoreError(fmt::format("{} is not a liaison database", path), "give the right file with --db");
      }
      if (current > latest)
        throw StoreError(fmt::format("{} has schema version {}, newer than this liaison knows ({})", path,
                                     current, latest),
                         "upgrade liaison to a version that knows this database");
      if (current == latest) return;
      if (mode == OpenMode::read_only)
        throw StoreError(fmt::format("{} has schema version {} and needs upgrading to {}", path, current, latest),
                         "run 'liaison init --db-only' once to upgrade it (a backup first is wise)");
      for (const auto& m : all) {
        if (m.version <= current) continue;
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        // Re-read under the lock: a concurrent process may have migrated meanwhile.
        if (schema_version() >= m.version) continue;
        db_.exec(m.sql);
        db_.exec(fmt::format("PRAGMA user_version = {}", m.version));
        tx.commit();
      }
    } catch (const SQLite::Exception& e) {
      rethrow(e, "upgrading the database schema");
    }
  }

  /// A prepared statement kept for the life of the store (STYLE: prepared once).
  SQLite::Statement& stmt(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) it = statements_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
    auto& s = *it->second;
    s.reset();
    s.clearBindings();
    return s;
  }

  void write_clocks(std::int64_t record_id, const std::vector<Clock>& clocks) {
    auto& s = stmt("INSERT INTO clocks (record_id, name, duration, started_at, due, stopped_at, used_seconds, "
                   "paused_since, paused_seconds, config_hash, provisional) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                   "ON CONFLICT(record_id, name) DO UPDATE SET duration = ?3, started_at = ?4, due = ?5, "
                   "stopped_at = ?6, used_seconds = ?7, paused_since = ?8, paused_seconds = ?9, "
                   "config_hash = ?10, provisional = ?11");
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
      s.exec();
    }
  }

  std::vector<Clock> read_clocks(std::int64_t record_id) {
    auto& s = stmt("SELECT name, duration, started_at, due, stopped_at, used_seconds, paused_since, "
                   "paused_seconds, config_hash, provisional FROM clocks WHERE record_id = ?1 "
                   "ORDER BY CASE name WHEN 'ack' THEN 0 WHEN 'resolve' THEN 1 ELSE 2 END, name");
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
      out.push_back(std::move(c));
    }
    s.reset();
    return out;
  }

  static void bind_party(SQLite::Statement& s, const Party& p) {
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
  static Party read_party(SQLite::Statement& s) {
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

  SQLite::Database db_;
  /// LIAISON_TRACE_SQL=FILE appends each statement run, its values filled in, to FILE:
  /// what the benchmarks hand the sqlite3 shell as "the same work" (tests/bench/run.sh).
  void trace_sql() {
    const char* file = std::getenv("LIAISON_TRACE_SQL");
    if (!file || !*file) return;
    trace_.reset(std::fopen(file, "a"));
    if (!trace_) return;
    sqlite3_trace_v2(
        db_.getHandle(), SQLITE_TRACE_STMT,
        [](unsigned, void* out, void* stmt, void* text) -> int {
          if (static_cast<const char*>(text)[0] == '-') return 0;  // a trigger's statement
          if (char* sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(stmt))) {
            std::fprintf(static_cast<std::FILE*>(out), "%s;\n", sql);
            sqlite3_free(sql);
          }
          return 0;
        },
        trace_.get());
  }

  struct CloseFile {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, CloseFile> trace_;  ///< closed before db_ (members die in reverse order)
  std::map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

}  // namespace

std::string Store::event_digest_input(const Event& e) {
  // Length-prefixed fields, so no choice of field text can forge another encoding.
  std::string out;
  auto field = [&](std::string_view v) { out += fmt::format("{}:{}\n", v.size(), v); };
  field(e.prev_hash);
  field(std::to_string(e.id));
  field(std::to_string(e.record_id));
  field(e.type);
  field(e.actor);
  field(std::to_string(e.at.time_since_epoch().count()));
  field(e.data);
  return out;
}

std::unique_ptr<Store> open_sqlite_store(const std::string& path, OpenMode mode) {
  return std::make_unique<SqliteStore>(path, mode);
}

}  // namespace liaison
