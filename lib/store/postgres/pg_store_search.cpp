// Full-text search in the PostgreSQL store (lib/store/postgres/pg_search.h): the index
// kept event by event, the ranked search, and list's --grep condition.
//
// Ranking (liaison-search(1)): ts_rank over each indexed text with the weights subject
// 1.0, body 0.3, history 0.1; a record scores as its best text. ts_rank reads the text
// alone, never the rest of the index, so a reader's scores do not depend on records above
// their clearance.
#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "fts_tokenizer.h"
#include "pg_search.h"
#include "pg_store.h"

namespace liaison::pg_search {

namespace {

const std::set<std::string, std::less<>> kTextKeys = {"subject", "body", "text", "reason", "note",
                                                      "resolution", "explanation", "capa", "evidence"};

void collect(const nlohmann::json& j, std::vector<std::pair<std::string, std::string>>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it->is_string()) {
        if (kTextKeys.count(it.key()) && !it->get_ref<const std::string&>().empty())
          out.emplace_back(it.key(), it->get<std::string>());
      } else {
        collect(*it, out);
      }
    }
  } else if (j.is_array()) {
    for (const auto& e : j) collect(e, out);
  }
}

/// `term` quoted as a tsvector or tsquery lexeme.
std::string lexeme(std::string_view term) {
  std::string out = "'";
  for (char c : term) {
    if (c == '\'' || c == '\\') out += c == '\'' ? '\'' : '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> event_texts(std::string_view data) {
  std::vector<std::pair<std::string, std::string>> out;
  nlohmann::json j = nlohmann::json::parse(data, nullptr, false);
  if (!j.is_discarded()) collect(j, out);
  return out;
}

std::optional<std::string> tsvector_of(const std::vector<std::pair<std::string, std::string>>& texts) {
  // tsvector positions run to 16383 (later terms share the last); a gap of 100 between
  // texts keeps a phrase from spanning two.
  constexpr int kMaxPosition = 16383;
  // A tsvector holds at most 1 MB: a text beyond what fits is indexed up to there (a
  // search finds the record by its beginning), never refused.
  constexpr std::size_t kMaxLiteral = 512 * 1024;
  std::string out;
  int position = 0;
  for (const auto& [key, text] : texts) {
    const char weight = key == "subject" ? 'A' : key == "body" ? 'B' : 'C';
    position += 100;
    fts::tokenize(text, fts::Mode::document, [&](std::string_view term, std::size_t, std::size_t, bool colocated) {
      if (out.size() > kMaxLiteral) return 1;
      if (!colocated) ++position;
      if (!out.empty()) out += ' ';
      out += lexeme(term);
      out += fmt::format(":{}{}", std::min(std::max(position, 1), kMaxPosition), weight);
      return 0;
    });
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<std::string> tsquery_of(std::string_view search) {
  std::string out;
  for (const auto& s : fts::segment(search)) {
    const std::string text = s.text();
    std::string phrase;
    fts::tokenize(text, fts::Mode::query, [&](std::string_view term, std::size_t, std::size_t, bool) {
      phrase += (phrase.empty() ? "" : " <-> ") + lexeme(term);
      return 0;
    });
    if (phrase.empty()) continue;
    if (s.kind == fts::Segment::Kind::cjk && s.units.size() == 1) phrase += ":*";
    out += (out.empty() ? "" : " & ") + ("(" + phrase + ")");
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::string grep_condition(const std::string& param) {
  return fmt::format("id IN (SELECT record_id FROM search_index WHERE terms @@ {}::tsquery)", param);
}

}  // namespace liaison::pg_search

namespace liaison {

using namespace pg_util;

namespace {
/// Indexes one event's free text, if it has any.
void index_texts(pg::Connection& c, std::int64_t event_id, std::int64_t record_id, std::string_view data) {
  auto terms = pg_search::tsvector_of(pg_search::event_texts(data));
  if (!terms) return;
  c.exec("INSERT INTO search_index (event_id, record_id, terms) VALUES ($1, $2, $3::tsvector)",
         {num(event_id), num(record_id), *terms});
}
}  // namespace

void PgStore::index_search_text(const Event& e) {
  if (e.record_id) index_texts(c_, e.id, e.record_id, e.data);
}

void PgStore::index_event(std::int64_t event_id) {
  pg::Result res = c_.exec("SELECT record_id, data FROM events WHERE id = $1 AND record_id IS NOT NULL", {num(event_id)});
  if (res.rows() == 0) return;
  index_texts(c_, event_id, res.int64(0, 0), res.text(0, 1));
}

std::int64_t PgStore::rebuild_search_index() {
  c_.exec("DELETE FROM search_index");
  {
    pg::RowCursor rows(c_, "SELECT id, record_id, data FROM events WHERE record_id IS NOT NULL ORDER BY id");
    while (rows.step()) index_texts(c_, rows.int64(0), rows.int64(1), rows.text(2));
  }
  return c_.exec("SELECT count(*) FROM search_index").int64(0, 0);
}

std::vector<SearchHit> PgStore::search_records(const std::string& text, const RecordFilter& filter) {
  std::vector<SearchHit> hits;
  auto query = pg_search::tsquery_of(text);
  if (!query) return hits;
  RecordFilter f = filter;
  f.grep.clear();
  std::vector<pg::Param> params{*query};
  const std::string where = where_clause(f, params, "records.id = m.record_id");
  std::string sql = fmt::format(
      "WITH m AS (SELECT record_id, max(ts_rank('{{0.1, 0.1, 0.3, 1.0}}', terms, $1::tsquery)) AS score "
      "FROM search_index WHERE terms @@ $1::tsquery GROUP BY record_id) "
      "SELECT {}, m.score FROM m, records{} ORDER BY m.score DESC, records.id DESC",
      kRecordColumns, where);
  if (f.limit > 0) sql += fmt::format(" LIMIT {}", f.limit);
  pg::Result res = c_.exec(sql, params);
  for (int i = 0; i < res.rows(); ++i) {
    SearchHit hit;
    hit.record = read_record(res, i);
    hit.score = std::stod(std::string(res.text(i, 36)));
    hits.push_back(std::move(hit));
  }
  // The snippet: from the text where most of the search's words occur; on a tie a body
  // rather than a history text, and either rather than the subject (shown beside it);
  // among equals the first. As the SQLite store chooses.
  auto preference = [](const std::string& field) { return field == "body" ? 2 : field == "history" ? 1 : 0; };
  for (auto& hit : hits) {
    fts::Snippet best;
    best.matched = -1;
    pg::Result events = c_.exec("SELECT data FROM events WHERE record_id = $1 ORDER BY id", {num(hit.record.id)});
    for (int i = 0; i < events.rows(); ++i) {
      for (const auto& [key, value] : pg_search::event_texts(events.text(i, 0))) {
        std::string field = key == "subject" || key == "body" ? key : "history";
        auto snippet = fts::make_snippet(value, text);
        if (snippet.matched > best.matched ||
            (snippet.matched == best.matched && preference(field) > preference(hit.field))) {
          best = std::move(snippet);
          hit.field = field;
        }
      }
    }
    if (best.matched < 0) {
      best = fts::make_snippet(hit.record.subject, text);
      hit.field = "subject";
    }
    hit.snippet = std::move(best.text);
    hit.marks = std::move(best.marks);
  }
  return hits;
}

}  // namespace liaison
