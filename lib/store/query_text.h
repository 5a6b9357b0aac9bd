// What both engines' `liaison query` read in a query's text before their database does:
// whether it is a statement other than a SELECT, and its start for a message.
#pragma once
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace liaison::query_text {

inline bool equals_ci(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

/// The statements that are not a SELECT, by their first word. A database would refuse some
/// of them itself, as a syntax-level error; they are refused before it sees them so that
/// every write is a refusal (exit 77), said plainly.
inline bool is_other_statement(std::string_view word) {
  static constexpr std::array<std::string_view, 28> words{
      "insert", "replace", "update", "delete", "create", "drop",  "alter",  "attach", "detach", "pragma",
      "begin",  "commit",  "end",    "rollback", "savepoint", "release", "vacuum", "analyze", "reindex",
      "merge",  "copy",    "set",    "reset",  "grant",  "revoke", "do",    "call",   "truncate"};
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return equals_ci(word, w); });
}

/// The start of a statement for a message: from `first` (the offset of its first word)
/// up to the first '(', ';' or line break, blanks collapsed, at most about 60 bytes
/// ("CREATE TEMP TABLE t").
inline std::string statement_head(std::string_view sql, std::size_t first) {
  std::string head;
  for (std::size_t i = first; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '(' || c == ';' || c == '\n' || c == '\r') break;
    bool blank = c == ' ' || c == '\t';
    if (blank && (head.empty() || head.back() == ' ')) continue;
    if (head.size() >= 60 && (static_cast<unsigned char>(c) & 0xc0) != 0x80) {
      head += " …";
      break;
    }
    head += blank ? ' ' : c;
  }
  while (!head.empty() && head.back() == ' ') head.pop_back();
  return head;
}

/// A `--param` value that binds as an integer: a whole number, no sign other than '-', no
/// leading zero, within 64 bits. Anything else binds as text.
inline std::optional<std::int64_t> whole_integer(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && digits[0] == '-') digits.remove_prefix(1);
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace liaison::query_text
