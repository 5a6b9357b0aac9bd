// The full-text search tokenizer (liaison-search(1)): how record text becomes index
// terms, how a user's search becomes an FTS5 query, and where a search matches a text
// (for snippets). Pure functions over UTF-8; nothing here calls SQLite. The FTS5 glue that
// registers this tokenizer as "liaison" is lib/fts/fts_register.cpp, compiled both into
// liaison and into the loadable extension build/liaison_fts.so for the sqlite3 shell.
//
// The scheme:
// - Each character is normalised on its own: NFKC compatibility mapping and case folding
//   (so full-width ＡＢＣ１２３ is abc123, Ⅻ is xii), combining marks dropped (café is
//   cafe). Hangul syllables are kept whole.
// - Letters and digits outside the CJK scripts form words: "IATF16949", "8d", "pcs".
// - Runs of CJK characters (Han, kana, Hangul, bopomofo) are indexed as overlapping
//   bigrams: 产品质量问题 gives 产品 品质 质量 量问 问题. So any two-character word
//   matches through the index, and a longer word is a phrase of its bigrams.
// - The last character of each CJK run is also indexed on its own (at the position of the
//   last bigram), and a run of one character is that character. A single character X then
//   occurs in a text exactly when some term starts with X: it starts the bigram of every
//   place it has a right neighbour, and is the run's last term otherwise. A one-character
//   search is therefore the prefix query X*. This costs one extra term per CJK run,
//   where indexing every character as a unigram would nearly double the CJK terms.
// - Everything else separates terms: spaces, ASCII and Chinese punctuation (，。、：；（）
//   《》【】“” …), symbols and emoji. Emoji are not searchable.
// - A search is taken literally: its text goes through the same tokenizer, each word
//   or CJK run becomes one quoted FTS5 phrase, and all must occur (AND). Quotes, AND, OR,
//   NOT, NEAR, *, ^, :, parentheses are only text (punctuation separates; AND is a word).
#pragma once
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace liaison::fts {

/// The name the tokenizer is registered under with FTS5 (`tokenize='liaison'`).
inline constexpr const char* kTokenizerName = "liaison";

/// One normalised character of a text, with the bytes of the source it came from.
struct Unit {
  std::string text;       ///< normalised UTF-8 (one code point, rarely a few)
  std::size_t start = 0;  ///< source byte offset
  std::size_t end = 0;    ///< one past its last source byte
};

/// A maximal run of word characters (Latin, digits, …) or of CJK characters.
struct Segment {
  enum class Kind { word, cjk } kind = Kind::word;
  std::vector<Unit> units;
  std::size_t start = 0;  ///< source byte offset of the first unit
  std::size_t end = 0;    ///< one past the last unit's source bytes
  /// The normalised text: the units' texts joined.
  std::string text() const;
};

/// Splits text into word and CJK segments; separators are dropped. Invalid UTF-8 bytes
/// separate too. Words longer than kMaxWordUnits characters are cut there.
std::vector<Segment> segment(std::string_view text);
inline constexpr std::size_t kMaxWordUnits = 64;

/// Why FTS5 is tokenizing (FTS5_TOKENIZE_DOCUMENT / QUERY / AUX).
enum class Mode { document, query };

/// Receives each term: its text, source byte range, and whether it shares the position of
/// the term before (FTS5_TOKEN_COLOCATED). A non-zero return stops the tokenizer and is
/// returned by `tokenize`.
using TermSink = std::function<int(std::string_view term, std::size_t start, std::size_t end, bool colocated)>;

/// The terms of `text`: words as they are, CJK runs as bigrams, plus (in document mode
/// only) the run's last character colocated with its last bigram. A one-character run is
/// that character in both modes. Returns 0, or the first non-zero value `sink` returned.
int tokenize(std::string_view text, Mode mode, const TermSink& sink);

/// The FTS5 MATCH expression for a user's search text, taken literally: each segment
/// quoted (from its source bytes, so FTS5 re-tokenizes it with this tokenizer to the same
/// terms), a one-character CJK segment as a prefix phrase ("质" *), all ANDed. nullopt when
/// the text has no word or CJK character (empty, spaces, punctuation, emoji only).
std::optional<std::string> match_expression(std::string_view search);

/// Source byte ranges in `text` where the search's segments occur, sorted and merged:
/// words as whole words, CJK segments as substrings of CJK runs (which is what the
/// bigram phrase matches).
std::vector<std::pair<std::size_t, std::size_t>> find_matches(std::string_view text, std::string_view search);

/// A piece of text around its first match, for search results.
struct Snippet {
  std::string text;                                         ///< the excerpt, "…" where cut
  std::vector<std::pair<std::size_t, std::size_t>> marks;  ///< byte ranges in `text` to highlight
  int matched = 0;                                          ///< how many of the search's segments occur
};

/// An excerpt of `text` of about `max_units` characters (line breaks as spaces) starting a
/// little before the first match, with every match inside it marked. No match: the text's
/// beginning and no marks.
Snippet make_snippet(std::string_view text, std::string_view search, std::size_t max_units = 40);

}  // namespace liaison::fts
