// Full-text search on PostgreSQL without extensions: the project's own tokenizer
// (lib/fts/fts_tokenizer.h) turns each event's free text into terms, kept as a tsvector
// (search_index, schemas/postgres/0002_search.sql) under a GIN index; a user's search
// becomes a tsquery of the same terms. The server only stores and matches the terms, so
// a two-character Chinese word matches on PostgreSQL exactly as on SQLite.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace liaison::pg_search {

/// The free texts of an event's data (a JSON object) as (key, text): every non-empty
/// string, at any depth, under one of the keys search reads (subject, body, text, reason,
/// note, resolution, explanation, capa, evidence), in document order. Data that is not
/// JSON has none.
std::vector<std::pair<std::string, std::string>> event_texts(std::string_view data);

/// The tsvector literal of those texts: subject terms weighted A, body B, the rest C,
/// each with its position (fields apart, so no phrase spans two), or nullopt when they
/// have no term.
std::optional<std::string> tsvector_of(const std::vector<std::pair<std::string, std::string>>& texts);

/// The tsquery literal of a user's search, taken literally: each word or CJK run of it a
/// phrase of its terms (a one-character run a prefix), all ANDed; nullopt when the text
/// has nothing searchable.
std::optional<std::string> tsquery_of(std::string_view search);

/// list --grep's condition on records.id, `param` the placeholder of the tsquery.
std::string grep_condition(const std::string& param);

}  // namespace liaison::pg_search
