#include "fts_register.h"

#include <sqlite3.h>  // FTS5 types and constants only: no sqlite3_* function is called here

#include <new>

#include "fts_tokenizer.h"

namespace liaison::fts {
namespace {

/// The tokenizer has no state; FTS5 wants a non-null handle all the same.
struct Instance {};
Instance the_instance;

int create(void* /*context*/, const char** args, int arg_count, Fts5Tokenizer** out) {
  (void)args;
  *out = nullptr;
  if (arg_count > 0) return SQLITE_ERROR;  // no options yet: refuse rather than ignore
  *out = reinterpret_cast<Fts5Tokenizer*>(&the_instance);
  return SQLITE_OK;
}

void destroy(Fts5Tokenizer* /*tokenizer*/) {}

int run(Fts5Tokenizer* /*tokenizer*/, void* context, int flags, const char* text, int size,
        int (*emit)(void* context, int flags, const char* term, int term_size, int start, int end)) {
  if (!text || size <= 0) return SQLITE_OK;
  Mode mode = (flags & FTS5_TOKENIZE_QUERY) ? Mode::query : Mode::document;
  try {
    return tokenize(std::string_view(text, static_cast<std::size_t>(size)), mode,
                    [&](std::string_view term, std::size_t start, std::size_t end, bool colocated) {
                      return emit(context, colocated ? FTS5_TOKEN_COLOCATED : 0, term.data(),
                                  static_cast<int>(term.size()), static_cast<int>(start), static_cast<int>(end));
                    });
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (...) {  // nothing may cross into SQLite's C
    return SQLITE_ERROR;
  }
}

}  // namespace

int register_tokenizer(fts5_api* api) {
  if (!api || api->iVersion < 2) return SQLITE_ERROR;
  static fts5_tokenizer tokenizer{create, destroy, run};
  return api->xCreateTokenizer(api, kTokenizerName, nullptr, &tokenizer, nullptr);
}

}  // namespace liaison::fts
