#include "fts_tokenizer.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include <utf8proc.h>

namespace liaison::fts {
namespace {

enum class CharClass { separator, word, cjk, mark };

/// Scripts written without spaces between words, indexed as bigrams. Only letters (and
/// letter-like numerals such as 〇) of these blocks count; their punctuation separates.
bool in_cjk_block(std::int32_t cp) {
  static constexpr std::array<std::pair<std::int32_t, std::int32_t>, 21> blocks{{
      {0x1100, 0x11FF},    // Hangul Jamo
      {0x2E80, 0x2FDF},    // CJK and Kangxi radicals
      {0x3005, 0x3007},    // 々 〆 〇
      {0x3021, 0x3029},    // Hangzhou numerals
      {0x3031, 0x3035},    // kana repeat marks
      {0x3038, 0x303C},
      {0x3040, 0x30FF},    // Hiragana, Katakana
      {0x3100, 0x312F},    // Bopomofo
      {0x3130, 0x318F},    // Hangul compatibility jamo
      {0x31A0, 0x31BF},    // Bopomofo extended
      {0x31F0, 0x31FF},    // Katakana phonetic extensions
      {0x3400, 0x4DBF},    // CJK Extension A
      {0x4E00, 0x9FFF},    // CJK Unified Ideographs
      {0xA960, 0xA97F},    // Hangul Jamo Extended-A
      {0xAC00, 0xD7AF},    // Hangul syllables
      {0xD7B0, 0xD7FF},    // Hangul Jamo Extended-B
      {0xF900, 0xFAFF},    // CJK compatibility ideographs
      {0xFF66, 0xFF9F},    // half-width Katakana
      {0xFFA0, 0xFFDC},    // half-width Hangul
      {0x1B000, 0x1B16F},  // Kana supplement and extended
      {0x20000, 0x3FFFF},  // CJK Extensions B and later
  }};
  for (const auto& [first, last] : blocks)
    if (cp >= first && cp <= last) return true;
  return false;
}

/// The class of an already normalised code point.
CharClass classify(std::int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_NL:
      return in_cjk_block(cp) ? CharClass::cjk : CharClass::word;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_MC:
      return CharClass::word;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_ME:
      return CharClass::mark;
    default:
      return CharClass::separator;
  }
}

void append_utf8(std::string& out, std::int32_t cp) {
  std::array<utf8proc_uint8_t, 4> buf{};
  auto n = utf8proc_encode_char(cp, buf.data());
  out.append(reinterpret_cast<const char*>(buf.data()), static_cast<std::size_t>(n));
}

/// Walks `text` one source character at a time and calls fn(class, normalised code point,
/// start, end) for each code point of its normalised form (usually one). Invalid bytes are
/// reported as separators.
template <typename Fn>
void for_each_normalised(std::string_view text, Fn fn) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  std::size_t size = text.size();
  std::size_t pos = 0;
  std::array<utf8proc_int32_t, 32> mapped{};
  while (pos < size) {
    unsigned char c = bytes[pos];
    if (c < 0x80) {  // ASCII: the common case, without a table lookup
      std::int32_t cp = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
      bool word = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9');
      fn(word ? CharClass::word : CharClass::separator, cp, pos, pos + 1);
      ++pos;
      continue;
    }
    utf8proc_int32_t cp = -1;
    auto len = utf8proc_iterate(bytes + pos, static_cast<utf8proc_ssize_t>(size - pos), &cp);
    if (len <= 0 || cp < 0) {
      fn(CharClass::separator, -1, pos, pos + 1);
      ++pos;
      continue;
    }
    std::size_t end = pos + static_cast<std::size_t>(len);
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7A3)) {
      // Unified ideographs have no compatibility mapping and no case; Hangul syllables
      // are kept whole rather than decomposed into jamo.
      fn(CharClass::cjk, cp, pos, end);
    } else {
      utf8proc_int32_t last_boundclass = 0;
      auto n = utf8proc_decompose_char(cp, mapped.data(), static_cast<utf8proc_ssize_t>(mapped.size()),
                                       static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD),
                                       &last_boundclass);
      if (n <= 0 || n > static_cast<utf8proc_ssize_t>(mapped.size())) {
        fn(CharClass::separator, cp, pos, end);
      } else {
        for (utf8proc_ssize_t i = 0; i < n; ++i) fn(classify(mapped[static_cast<std::size_t>(i)]), mapped[static_cast<std::size_t>(i)], pos, end);
      }
    }
    pos = end;
  }
}

/// The bigram of units i and i+1 of a CJK segment.
std::string bigram(const Segment& s, std::size_t i) { return s.units[i].text + s.units[i + 1].text; }

/// Sorts ranges and merges those that overlap or touch.
void merge_ranges(std::vector<std::pair<std::size_t, std::size_t>>& ranges) {
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (const auto& r : ranges) {
    if (!out.empty() && r.first <= out.back().second) out.back().second = std::max(out.back().second, r.second);
    else out.push_back(r);
  }
  ranges = std::move(out);
}

}  // namespace

std::string Segment::text() const {
  std::string out;
  for (const auto& u : units) out += u.text;
  return out;
}

std::vector<Segment> segment(std::string_view text) {
  std::vector<Segment> out;
  Segment current;
  bool open = false;
  auto close = [&] {
    if (open && !current.units.empty()) out.push_back(std::move(current));
    current = Segment{};
    open = false;
  };
  for_each_normalised(text, [&](CharClass cls, std::int32_t cp, std::size_t start, std::size_t end) {
    if (cls == CharClass::mark) return;  // diacritics: dropped, the word goes on
    if (cls == CharClass::separator) {
      close();
      return;
    }
    auto kind = cls == CharClass::cjk ? Segment::Kind::cjk : Segment::Kind::word;
    if (open && current.kind != kind) close();
    if (!open) {
      current.kind = kind;
      current.start = start;
      open = true;
    }
    if (kind == Segment::Kind::word && current.units.size() >= kMaxWordUnits) return;  // cut
    Unit u;
    append_utf8(u.text, cp);
    u.start = start;
    u.end = end;
    current.end = end;
    current.units.push_back(std::move(u));
  });
  close();
  return out;
}

int tokenize(std::string_view text, Mode mode, const TermSink& sink) {
  for (const auto& s : segment(text)) {
    int rc = 0;
    if (s.kind == Segment::Kind::word || s.units.size() == 1) {
      rc = sink(s.text(), s.start, s.end, false);
    } else {
      for (std::size_t i = 0; rc == 0 && i + 1 < s.units.size(); ++i)
        rc = sink(bigram(s, i), s.units[i].start, s.units[i + 1].end, false);
      if (rc == 0 && mode == Mode::document) {
        const Unit& last = s.units.back();
        rc = sink(last.text, last.start, last.end, true);
      }
    }
    if (rc != 0) return rc;
  }
  return 0;
}

std::optional<std::string> match_expression(std::string_view search) {
  auto segments = segment(search);
  if (segments.empty()) return std::nullopt;
  std::string out;
  for (const auto& s : segments) {
    if (!out.empty()) out += ' ';
    // Normalised text is a fixed point of the tokenizer, so FTS5 re-tokenizes the quoted
    // string to exactly these terms; it never holds a quote, but double one anyway.
    out += '"';
    for (char c : s.text()) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
    if (s.kind == Segment::Kind::cjk && s.units.size() == 1) out += " *";
  }
  return out;
}

std::vector<std::pair<std::size_t, std::size_t>> find_matches(std::string_view text, std::string_view search) {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  auto wanted = segment(search);
  if (wanted.empty()) return ranges;
  std::vector<std::string> words;
  for (const auto& w : wanted)
    if (w.kind == Segment::Kind::word) words.push_back(w.text());
  for (const auto& s : segment(text)) {
    if (s.kind == Segment::Kind::word) {
      if (std::find(words.begin(), words.end(), s.text()) != words.end()) ranges.emplace_back(s.start, s.end);
      continue;
    }
    for (const auto& w : wanted) {
      if (w.kind != Segment::Kind::cjk || w.units.size() > s.units.size()) continue;
      for (std::size_t i = 0; i + w.units.size() <= s.units.size(); ++i) {
        bool same = true;
        for (std::size_t k = 0; same && k < w.units.size(); ++k) same = s.units[i + k].text == w.units[k].text;
        if (same) ranges.emplace_back(s.units[i].start, s.units[i + w.units.size() - 1].end);
      }
    }
  }
  merge_ranges(ranges);
  return ranges;
}

namespace {

/// How many of the search's segments occur in `text`.
int count_matched(std::string_view text, const std::vector<Segment>& wanted) {
  auto segments = segment(text);
  int matched = 0;
  for (const auto& w : wanted) {
    std::string wt = w.text();
    bool found = false;
    for (const auto& s : segments) {
      if (w.kind != s.kind) continue;
      if (w.kind == Segment::Kind::word) {
        found = s.text() == wt;
      } else {
        found = s.text().find(wt) != std::string::npos;  // units are whole code points
      }
      if (found) break;
    }
    matched += found ? 1 : 0;
  }
  return matched;
}

/// Byte length and display width of the character at text[pos].
std::pair<std::size_t, int> char_at(std::string_view text, std::size_t pos) {
  utf8proc_int32_t cp = -1;
  auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                              static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
  if (len <= 0 || cp < 0) return {1, 1};
  return {static_cast<std::size_t>(len), std::max(0, utf8proc_charwidth(cp))};
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

}  // namespace

Snippet make_snippet(std::string_view text, std::string_view search, std::size_t max_width) {
  Snippet out;
  auto wanted = segment(search);
  out.matched = wanted.empty() ? 0 : count_matched(text, wanted);
  auto matches = find_matches(text, search);

  // Character starts, so the window can step back whole characters.
  std::vector<std::size_t> starts;
  for (std::size_t pos = 0; pos < text.size(); pos += char_at(text, pos).first) starts.push_back(pos);
  std::size_t first = 0;  // index into starts
  if (!matches.empty()) {
    const int limit = static_cast<int>(max_width);
    std::vector<int> widths;
    for (auto pos : starts) widths.push_back(char_at(text, pos).second);
    auto at = std::lower_bound(starts.begin(), starts.end(), matches.front().first);
    std::size_t match = static_cast<std::size_t>(at - starts.begin());
    int before = 0;  // width of the text before the match, and of the match
    for (std::size_t i = 0; i < match; ++i) before += widths[i];
    int match_width = 0;
    for (std::size_t i = match; i < starts.size() && starts[i] < matches.front().second; ++i) match_width += widths[i];
    if (before + match_width > limit * 3 / 4) {
      // Start a little before the match: up to a quarter of the width of context …
      first = match;
      int back = 0;
      while (first > 0 && back + widths[first - 1] <= limit / 4) back += widths[--first];
      // … or more, when the rest of the text is short, so the excerpt is not.
      int rest = 0;
      for (std::size_t i = first; i < starts.size(); ++i) rest += widths[i];
      while (first > 0 && rest + widths[first - 1] <= limit - 1) rest += widths[--first];
      // Not in the middle of a run of ASCII ("…3mm" of "0.3mm"): start after it.
      auto ascii_visible = [&](std::size_t i) {
        unsigned char c = static_cast<unsigned char>(text[starts[i]]);
        return c > 0x20 && c < 0x7f;
      };
      while (first > 0 && first < match && ascii_visible(first - 1) && ascii_visible(first)) ++first;
    }
  }
  // Leading spaces of the excerpt carry nothing.
  while (first < starts.size() && is_space(text[starts[first]])) ++first;
  if (first > 0) out.text = "…";

  int width = 0;
  bool space_pending = false;
  std::size_t mark = 0;  // next match to open
  bool in_mark = false;
  std::size_t pos = first < starts.size() ? starts[first] : text.size();
  while (pos < text.size()) {
    auto [len, w] = char_at(text, pos);
    // Close or open highlights at this source position.
    if (in_mark && pos >= matches[mark].second) {
      out.marks.back().second = out.text.size();
      in_mark = false;
      ++mark;
    }
    while (!in_mark && mark < matches.size() && matches[mark].second <= pos) ++mark;
    if (is_space(text[pos])) {
      space_pending = width > 0;
      pos += len;
      continue;
    }
    int needed = w + (space_pending ? 1 : 0);
    if (width + needed > static_cast<int>(max_width)) {
      out.text += "…";
      break;
    }
    if (space_pending) {
      out.text += ' ';
      ++width;
      space_pending = false;
    }
    if (!in_mark && mark < matches.size() && pos >= matches[mark].first) {
      out.marks.emplace_back(out.text.size(), out.text.size());
      in_mark = true;
    }
    out.text.append(text.substr(pos, len));
    width += w;
    pos += len;
  }
  if (in_mark) {
    // A mark cut by the window ends where the excerpt's text does.
    std::size_t end = out.text.size();
    if (out.text.size() >= 3 && out.text.compare(out.text.size() - 3, 3, "…") == 0 && pos < text.size()) end -= 3;
    out.marks.back().second = end;
  }
  return out;
}

}  // namespace liaison::fts
