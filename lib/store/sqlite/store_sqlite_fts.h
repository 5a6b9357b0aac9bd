// The SQL side of liaison's search, registered on a connection: the FTS5 tokenizer
// "liaison", the FTS5 ranking function liaison_rank() and the scalar liaison_terms().
//
// Header-only and `static` on purpose: it calls sqlite3_* functions, which in the loadable
// extension (ext/liaison_fts.cpp) must go through the extension's API table. Each of the
// two includers (lib/store/sqlite/store_sqlite_search.cpp with <sqlite3.h>, the extension after
// SQLITE_EXTENSION_INIT1) compiles its own copy against its own way of calling SQLite.
//
// Why a ranking function of our own: FTS5's bm25() reads each matching row's length from
// the %_docsize table with one SQL lookup per row, which made a search for a common word
// over 1,000,000 records (65,000 matching texts) cost 220 ms of CPU. The index keeps the
// length of each row (in terms, up to 255) in the low 8 bits of its rowid
// (schemas/0005_search.sql), so liaison_rank() is the Okapi BM25 of bm25() (k1 = 1.2,
// b = 0.75, column weights multiplying term frequencies; Lucene's IDF, see below) without
// touching any table per row.
//
// liaison_rank_own() scores a row from the row alone: every phrase weighs the same and
// lengths are compared with a fixed typical length. BM25's IDF and average length count
// every row of the index, those a reader may not see included, so a reader without full
// clearance could learn from their own scores how many hidden records hold a word; their
// searches rank with this one instead (lib/store/sqlite/store_sqlite_search.cpp).
#pragma once
#include <cmath>
#include <cstdint>
#include <new>
#include <string_view>
#include <vector>

#include "fts_register.h"
#include "fts_tokenizer.h"

namespace liaison::fts {
namespace {

/// Per-query data of liaison_rank: IDF of each phrase and the average row length.
struct RankData {
  std::vector<double> idf;
  double average_length = 1;
};

/// The row length liaison_rank_own compares with, in terms: about a subject and a short
/// body, where most records are.
constexpr double kTypicalLength = 24;

int count_row(const Fts5ExtensionApi*, Fts5Context*, void* hits) {
  ++*static_cast<std::int64_t*>(hits);
  return SQLITE_OK;
}

RankData* rank_data(const Fts5ExtensionApi* api, Fts5Context* fts, int& rc) {
  if (auto* data = static_cast<RankData*>(api->xGetAuxdata(fts, 0))) return data;
  auto* data = new (std::nothrow) RankData;
  if (!data) {
    rc = SQLITE_NOMEM;
    return nullptr;
  }
  if (api->xUserData(fts) != nullptr) {  // liaison_rank_own: nothing counted over other rows
    data->idf.assign(static_cast<std::size_t>(std::max(0, api->xPhraseCount(fts))), 1.0);
    data->average_length = kTypicalLength;
    rc = api->xSetAuxdata(fts, data, [](void* p) { delete static_cast<RankData*>(p); });
    return rc == SQLITE_OK ? data : nullptr;
  }
  sqlite3_int64 rows = 0, tokens = 0;
  rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
  if (rows > 0) data->average_length = std::max(1.0, static_cast<double>(tokens) / static_cast<double>(rows));
  int phrases = api->xPhraseCount(fts);
  for (int i = 0; rc == SQLITE_OK && i < phrases; ++i) {
    std::int64_t hits = 0;
    rc = api->xQueryPhrase(fts, i, &hits, count_row);
    // Lucene's IDF, always positive, where FTS5's bm25() clamps a phrase found in more
    // than half the rows to 1e-6 (every score of a small database would be about 0).
    data->idf.push_back(std::log(1 + (static_cast<double>(rows - hits) + 0.5) / (static_cast<double>(hits) + 0.5)));
  }
  if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, data, [](void* p) { delete static_cast<RankData*>(p); });
  if (rc != SQLITE_OK) return nullptr;  // xSetAuxdata frees it on failure
  return data;
}

/// liaison_rank(search [, weight of column 0, weight of column 1, …]): Okapi BM25 of the
/// current row, positive, higher is better; the row length comes from its rowid.
void rank_function(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* context, int argc,
                   sqlite3_value** argv) {
  constexpr double k1 = 1.2, b = 0.75;
  int rc = SQLITE_OK;
  RankData* data = rank_data(api, fts, rc);
  if (!data) {
    sqlite3_result_error_code(context, rc == SQLITE_OK ? SQLITE_ERROR : rc);
    return;
  }
  std::vector<double> frequency(data->idf.size(), 0.0);
  int instances = 0;
  rc = api->xInstCount(fts, &instances);
  for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
    int phrase = 0, column = 0, offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc != SQLITE_OK || phrase < 0 || static_cast<std::size_t>(phrase) >= frequency.size()) continue;
    frequency[static_cast<std::size_t>(phrase)] += column < argc ? sqlite3_value_double(argv[column]) : 1.0;
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(context, rc);
    return;
  }
  double length = static_cast<double>(api->xRowid(fts) & 0xFF);
  if (length <= 0) length = data->average_length;
  double score = 0;
  for (std::size_t i = 0; i < frequency.size(); ++i) {
    double f = frequency[i];
    score += data->idf[i] * (f * (k1 + 1)) / (f + k1 * (1 - b + b * length / data->average_length));
  }
  sqlite3_result_double(context, score);
}

/// liaison_terms(text, …): how many term positions the tokenizer gives the texts together
/// (the row length liaison_rank uses), NULLs counting none.
void terms_function(sqlite3_context* context, int argc, sqlite3_value** argv) {
  std::int64_t positions = 0;
  try {
    for (int i = 0; i < argc; ++i) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[i]));
      if (!text) continue;
      std::string_view view(text, static_cast<std::size_t>(sqlite3_value_bytes(argv[i])));
      tokenize(view, Mode::document, [&](std::string_view, std::size_t, std::size_t, bool colocated) {
        if (!colocated) ++positions;
        return 0;
      });
    }
  } catch (...) {
    sqlite3_result_error_nomem(context);
    return;
  }
  sqlite3_result_int64(context, positions);
}

/// Registers the tokenizer, liaison_rank and liaison_terms on `db`; an SQLite result code.
int register_search_functions(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_pointer(stmt, 1, reinterpret_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  rc = sqlite3_finalize(stmt);
  if (rc == SQLITE_OK) rc = register_tokenizer(api);
  if (rc == SQLITE_OK) rc = api->xCreateFunction(api, "liaison_rank", nullptr, rank_function, nullptr);
  // The same function; its user data (any non-null pointer) says "from the row alone".
  static int own = 1;
  if (rc == SQLITE_OK) rc = api->xCreateFunction(api, "liaison_rank_own", &own, rank_function, nullptr);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2(db, "liaison_terms", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                    nullptr, terms_function, nullptr, nullptr, nullptr);
  return rc;
}

}  // namespace
}  // namespace liaison::fts
