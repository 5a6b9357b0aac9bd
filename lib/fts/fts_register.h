// Registers the liaison tokenizer (lib/fts/fts_tokenizer.h) with SQLite's FTS5. Used by the
// SQLite store on every connection it opens and by the loadable extension
// (ext/liaison_fts.cpp), so the liaison binary and the sqlite3 shell index and query the
// same way. The caller obtains the fts5_api pointer (`SELECT fts5(?1)`, see
// https://sqlite.org/fts5.html#extending_fts5): this file calls no sqlite3_* function,
// so it links the same into the program and into the extension.
#pragma once

struct fts5_api;

namespace liaison::fts {

/// Adds the tokenizer "liaison" to `api`; returns an SQLite result code.
int register_tokenizer(fts5_api* api);

}  // namespace liaison::fts
