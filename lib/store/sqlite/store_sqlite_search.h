// Full-text search in the SQLite store (TextSearch): the tokenizer's registration on each
// connection, indexing an event, the ranked match query and list's --grep condition.
// The index itself is defined in schemas/0005_search.sql. Internal to the store module.
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "store.h"

namespace liaison::sqlite_search {

/// Registers the "liaison" FTS5 tokenizer, liaison_rank() and liaison_terms() on the
/// connection (lib/store/sqlite/store_sqlite_fts.h), before any migration, which may need them.
/// Throws StoreError if this SQLite has no FTS5.
void register_tokenizer(SQLite::Database& db);

/// SQL that indexes one event: ?1 = events.id.
extern const char* const kIndexEvent;
/// The same for every event from id ?1 on (an import's, indexed at its end).
extern const char* const kIndexEventsFrom;
/// Runs kIndexEvent (prepared by the store) for one event.
void index_event(SQLite::Statement& stmt, std::int64_t event_id);

/// Empties the index and re-adds every event's text; returns the number of index rows.
std::int64_t rebuild(SQLite::Database& db);

/// SQL of the matches: ?1 = FTS5 MATCH expression; rows (index rowid, BM25 score) in rowid order.
extern const char* const kMatches;
/// The same, each row scored from itself alone (liaison_rank_own), for readers without full clearance.
extern const char* const kMatchesOwn;
/// Runs kMatches: (record id, score of its best text), best first, newer first on ties.
std::vector<std::pair<std::int64_t, double>> ranked_matches(SQLite::Statement& stmt, const std::string& expression);

/// The WHERE condition of records that pass a RecordFilter (not its grep, sort or limit)
/// among the ids in the JSON array ?1; parameters ?2 … are bound by bind_filter.
std::string filtered_ids_sql(const char* columns);
/// Binds the filter's values to the parameters of filtered_ids_sql, ?1 to `ids_json`.
void bind_filter(SQLite::Statement& stmt, const std::string& ids_json, const RecordFilter& filter);

/// list --grep: the condition on records.id, with `param` the placeholder of the MATCH
/// expression, e.g. "id IN (SELECT rowid >> 24 FROM search WHERE search MATCH ?3)".
std::string grep_condition(const std::string& param);
/// The condition keeping only readable levels, `param` being a JSON array of level ids.
std::string readable_levels_condition(const std::string& param);
/// The condition "overdue at `param`" (is_overdue, lib/core/model.h): not closed, not
/// waiting on an outside party (its resolve clock is paused), resolve due before `param`.
std::string overdue_condition(const std::string& param);
/// The condition "still to be signed for by": a receipt clock named `param` (bound to
/// "receipt:<user>") not stopped (RecordFilter::unsigned_by).
std::string unsigned_condition(const std::string& param);
/// The condition "this user's turn to approve": an approval clock ending in `param` (bound
/// to ":<user>") neither stopped nor paused (RecordFilter::approval_turn_of).
std::string approval_turn_condition(const std::string& param);
/// SQL: the record, not purged, has an action item (a clock "action:<n>:<user>"), owned by the user
/// `owner` names as ":<user>" unless it is '', not done unless `open` is 0
/// (RecordFilter::actions_of, open_actions).
std::string actions_condition(const std::string& owner, const std::string& open);

}  // namespace liaison::sqlite_search
