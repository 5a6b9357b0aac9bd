// liaison's search functions as a loadable SQLite extension, for the sqlite3 shell and
// other SQLite programs that need to read or write a liaison database's search index:
//
//   sqlite3 records.db '.load build/liaison_fts' "SELECT ... FROM search WHERE search MATCH '\"质量\"'"
//
// It registers what liaison registers on its own connections (lib/store/sqlite/store_sqlite_fts.h):
// the FTS5 tokenizer "liaison", the ranking function liaison_rank() and liaison_terms(),
// built from the same sources, so both sides tokenize and rank alike. Entry point
// sqlite3_liaisonfts_init, the name the shell derives from the file name.
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "store_sqlite_fts.h"

extern "C" __attribute__((visibility("default"))) int sqlite3_liaisonfts_init(sqlite3* db, char** error,
                                                                             const sqlite3_api_routines* api) {
  SQLITE_EXTENSION_INIT2(api);
  int rc = liaison::fts::register_search_functions(db);
  if (rc != SQLITE_OK && error) *error = sqlite3_mprintf("liaison_fts: cannot register (is FTS5 missing?)");
  return rc;
}
