// The liaison tokenizer as a loadable SQLite extension, for the sqlite3 shell and other
// SQLite programs that need to read or write a liaison database's search index:
//
//   sqlite3 records.db '.load build/liaison_fts' "SELECT ... FROM search WHERE search MATCH '\"质量\"'"
//
// Built from the same sources as liaison (lib/fts_tokenizer.cpp, lib/fts_register.cpp),
// so both tokenize alike. Entry point sqlite3_liaisonfts_init, the name the shell derives
// from the file name.
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "fts_register.h"

extern "C" {
__attribute__((visibility("default"))) int sqlite3_liaisonfts_init(sqlite3* db, char** error, const sqlite3_api_routines* api) {
  SQLITE_EXTENSION_INIT2(api);
  fts5_api* fts = nullptr;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, reinterpret_cast<void*>(&fts), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
    rc = sqlite3_finalize(stmt);
  }
  if (rc == SQLITE_OK) rc = liaison::fts::register_tokenizer(fts);
  if (rc != SQLITE_OK && error) *error = sqlite3_mprintf("liaison_fts: FTS5 is not available in this SQLite");
  return rc;
}
}
