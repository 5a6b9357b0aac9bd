// Full-text search queries of the SQLite store. How records are found fast:
//
// The index (schemas/0005_search.sql) has one row per event with free text, its rowid
// record_id * 2^24 + ordinal * 2^8 + length, so FTS5 alone yields (record id, BM25 score)
// for every matching text without touching any table. ranked_matches groups
// those by record (a record's score is that of its best text) and sorts them; then the
// store reads the records in that order, a chunk of ids at a time, keeping those that
// pass the filters and the reader's clearance, until it has `limit`. So a search that
// matches 100,000 texts reads 100,000 index entries but only about `limit` records.
#include "store_sqlite_search.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <map>

#include <nlohmann/json.hpp>

#include "fts_tokenizer.h"
#include "sqlite_store.h"
#include "store_sqlite_fts.h"
#include "store_sqlite_util.h"

namespace liaison::sqlite_search {

using namespace sqlite_util;

void register_tokenizer(SQLite::Database& db) {
  if (fts::register_search_functions(db.getHandle()) != SQLITE_OK)
    throw StoreError(msg<Msg::this_sqlite_has_no_full_text>(), msg<Msg::build_liaison_against_sqlite_fts5_enabled>());
}

const char* const kIndexEvent =
    "INSERT INTO search(rowid, subject, body, history) "
    "SELECT item, subject, body, history FROM search_items WHERE event_id = ?1";

const char* const kIndexEventsFrom =
    "INSERT INTO search(rowid, subject, body, history) "
    "SELECT item, subject, body, history FROM search_items WHERE event_id >= ?1";

void index_event(SQLite::Statement& stmt, std::int64_t event_id) {
  try {
    stmt.bind(1, static_cast<std::int64_t>(event_id));
    stmt.exec();
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_adding_to_search_index>());
  }
}

std::int64_t rebuild(SQLite::Database& db) {
  try {
    db.exec("INSERT INTO search(search) VALUES ('delete-all')");
    return db.exec("INSERT INTO search(rowid, subject, body, history) "
                   "SELECT item, subject, body, history FROM search_items");
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_rebuilding_search_index>());
  }
}

// Every matching index row with its BM25 score (lib/store/sqlite/store_sqlite_fts.h), in rowid
// order, so the rows of one record come together and are grouped here in one pass rather
// than by SQLite's sorter. Column weights: subject 10, body 3, history 1. As in FTS5's
// bm25(), a weight multiplies the term frequency, which BM25 saturates; so a subject must
// weigh much more than a body for a long record's subject match to beat a short body's.
const char* const kMatches =
    "SELECT rowid, liaison_rank(search, 10.0, 3.0, 1.0) FROM search WHERE search MATCH ?1 ORDER BY rowid";
// The same, scored from each row alone, for a reader who may not read every level: their
// scores must not change when a record they cannot see is added (store_sqlite_fts.h).
const char* const kMatchesOwn =
    "SELECT rowid, liaison_rank_own(search, 10.0, 3.0, 1.0) FROM search WHERE search MATCH ?1 ORDER BY rowid";

std::vector<std::pair<std::int64_t, double>> ranked_matches(SQLite::Statement& stmt, const std::string& expression) {
  std::vector<std::pair<std::int64_t, double>> records;
  try {
    stmt.bind(1, expression);
    while (stmt.executeStep()) {
      std::int64_t record = stmt.getColumn(0).getInt64() >> 24;
      double score = stmt.getColumn(1).getDouble();
      if (!records.empty() && records.back().first == record) records.back().second = std::max(records.back().second, score);
      else records.emplace_back(record, score);
    }
    stmt.reset();
  } catch (const SQLite::Exception& e) {
    rethrow(e, msg<Msg::doing_searching>());
  }
  // Best first; equal scores: the newer record (higher id) first.
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first > b.first;
  });
  return records;
}

std::string filtered_ids_sql(const char* columns) {
  // Fixed text, every filter a bound value (a JSON array, or NULL for any), so the
  // statement is prepared once. Only the id list can use an index: the records are
  // read by primary key, a chunk at a time.
  return fmt::format(
      "SELECT {} FROM records WHERE id IN (SELECT value FROM json_each(?1)) "
      "AND (?2 IS NULL OR {}) "
      "AND (?3 IS NULL OR status IN (SELECT value FROM json_each(?3))) "
      "AND (?4 IS NULL OR kind IN (SELECT value FROM json_each(?4))) "
      "AND (?5 IS NULL OR direction = ?5) "
      "AND (?6 IS NULL OR owner IN (SELECT value FROM json_each(?6))) "
      "AND (?7 IS NULL OR party IN (SELECT value FROM json_each(?7))) "
      "AND (?8 IS NULL OR assignee IN (SELECT value FROM json_each(?8))) "
      "AND (?9 IS NULL OR major = ?9) "
      "AND (?10 IS NULL OR received_at >= ?10) "
      "AND (?11 IS NULL OR received_at < ?11) "
      "AND (?12 IS NULL OR ({})) "
      "AND (?13 IS NULL OR topic IN (SELECT value FROM json_each(?13))) "
      "AND (?14 IS NULL OR customer_ref IN (SELECT value FROM json_each(?14))) "
      "AND (?15 IS NULL OR eight_d IN (SELECT value FROM json_each(?15))) "
      "AND (?16 IS NULL OR their_ref IN (SELECT value FROM json_each(?16))) "
      "AND (?17 IS NULL OR {}) "
      "AND (?18 IS NULL OR {}) "
      "AND (?19 IS NULL OR {})",
      columns, readable_levels_condition("?2"), overdue_condition("?12"), unsigned_condition("?17"),
      approval_turn_condition("?18"), actions_condition("?19", "?20"));
}

namespace {
void bind_list(SQLite::Statement& s, int index, const std::vector<std::string>& values) {
  if (values.empty()) s.bind(index);
  else s.bind(index, nlohmann::json(values).dump());
}
}  // namespace

void bind_filter(SQLite::Statement& s, const std::string& ids_json, const RecordFilter& f) {
  s.bind(1, ids_json);
  if (f.readable_levels) s.bind(2, nlohmann::json(*f.readable_levels).dump());  // [] too: nothing readable
  std::vector<std::string> statuses;
  for (auto st : f.statuses) statuses.emplace_back(to_string(st));
  bind_list(s, 3, statuses);
  bind_list(s, 4, f.kinds);
  if (f.direction) s.bind(5, std::string(to_string(*f.direction)));
  else s.bind(5);
  bind_list(s, 6, f.owners);
  bind_list(s, 7, f.parties);
  bind_list(s, 8, f.assignees);
  if (f.major) s.bind(9, *f.major ? 1 : 0);
  else s.bind(9);
  bind_opt(s, 10, f.received_since);
  bind_opt(s, 11, f.received_until);
  bind_opt(s, 12, f.overdue_at);
  bind_list(s, 13, f.topics);
  bind_list(s, 14, f.customer_refs);
  bind_list(s, 15, f.eight_ds);
  bind_list(s, 16, f.their_refs);
  if (f.unsigned_by.empty()) s.bind(17);
  else s.bind(17, "receipt:" + f.unsigned_by);
  if (f.approval_turn_of.empty()) s.bind(18);
  else s.bind(18, ":" + f.approval_turn_of);
  if (!f.actions_of) s.bind(19);
  else s.bind(19, f.actions_of->empty() ? std::string() : ":" + *f.actions_of);
  s.bind(20, f.open_actions ? 1 : 0);
}

std::string grep_condition(const std::string& param) {
  return fmt::format("id IN (SELECT rowid >> 24 FROM search WHERE search MATCH {})", param);
}

std::string overdue_condition(const std::string& param) {
  return fmt::format("status NOT IN ('closed', 'waiting') AND due < {}", param);
}

std::string unsigned_condition(const std::string& param) {
  // clocks_due (schemas/0008) holds every receipt clock: each has a deadline.
  // A tombstone is owed nothing (liaison purge): sign_receipt refuses it.
  return fmt::format(
      "purged_at IS NULL AND id IN (SELECT record_id FROM clocks WHERE name = {} AND due IS NOT NULL AND stopped_at IS NULL)",
      param);
}

std::string actions_condition(const std::string& owner, const std::string& open) {
  // Action clocks are few beside the ack and resolve clocks: read by the name range of
  // clocks_due (schemas/0003), which holds every one (add_action gives each a deadline);
  // the primary key's second column would not serve it, and a scan of all clocks costs
  // 0.34 s at a million records against 0.02 s. The owner is compared at the end.
  // A tombstone is owed nothing (liaison purge): complete_action refuses it.
  return fmt::format(
      "purged_at IS NULL AND id IN (SELECT record_id FROM clocks WHERE name >= 'action:' AND name < 'action;' "
      "AND due IS NOT NULL AND ({0} = '' OR substr(name, -length({0})) = {0}) AND ({1} = 0 OR stopped_at IS NULL))",
      owner, open);
}

std::string approval_turn_condition(const std::string& param) {
  // The approval clocks are few: read by the name range of clocks_open (schemas/0016),
  // their holder compared at the end.
  return fmt::format(
      "id IN (SELECT record_id FROM clocks WHERE name >= 'approval:' AND name < 'approval;' "
      "AND stopped_at IS NULL AND paused_since IS NULL AND substr(name, -length({0})) = {0})",
      param);
}

std::string readable_levels_condition(const std::string& param) {
  return fmt::format("level IN (SELECT value FROM json_each({}))", param);
}

}  // namespace liaison::sqlite_search

// SqliteStore's TextSearch capability.
namespace liaison {

using namespace sqlite_util;

std::vector<SearchHit> SqliteStore::search_records(const std::string& text, const RecordFilter& filter) {
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
    const char* matches = filter.readable_levels ? sqlite_search::kMatchesOwn : sqlite_search::kMatches;
    for (const auto& candidate : sqlite_search::ranked_matches(stmt(matches), *expression)) {
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
    rethrow(e, msg<Msg::doing_searching>());
  }
  return hits;
}

void SqliteStore::index_event(std::int64_t event_id) {
  sqlite_search::index_event(stmt(sqlite_search::kIndexEvent), event_id);
}

std::int64_t SqliteStore::rebuild_search_index() { return sqlite_search::rebuild(db_); }

}  // namespace liaison
