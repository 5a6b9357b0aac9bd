#include "messages.h"

#include <algorithm>
#include <functional>

namespace liaison {
namespace {

/// One "{N…}" of a template: where it is, how long, its index and its flag ('t', '-' or 0).
struct Placeholder {
  std::size_t pos = 0;
  std::size_t length = 0;
  std::size_t index = 0;
  char flag = 0;
};

/// The placeholder starting at `pos` (a '{'), or nullopt if it is not one.
std::optional<Placeholder> placeholder_at(std::string_view pattern, std::size_t pos) {
  std::size_t i = pos + 1, index = 0;
  bool digits = false;
  for (; i < pattern.size() && pattern[i] >= '0' && pattern[i] <= '9'; ++i) {
    index = index * 10 + static_cast<std::size_t>(pattern[i] - '0');
    digits = true;
  }
  if (!digits) return std::nullopt;
  char flag = 0;
  if (i + 1 < pattern.size() && pattern[i] == ':' && (pattern[i + 1] == 't' || pattern[i + 1] == '-')) {
    flag = pattern[i + 1];
    i += 2;
  }
  if (i >= pattern.size() || pattern[i] != '}') return std::nullopt;
  return Placeholder{pos, i + 1 - pos, index, flag};
}

/// The placeholders of `pattern`, in order.
std::vector<Placeholder> placeholders(std::string_view pattern) {
  std::vector<Placeholder> out;
  for (std::size_t i = pattern.find('{'); i != std::string_view::npos; i = pattern.find('{', i + 1))
    if (auto p = placeholder_at(pattern, i)) out.push_back(*p);
  return out;
}

/// `pattern` with each placeholder replaced by value(index, translated).
std::string fill(std::string_view pattern, const std::function<std::string(std::size_t, bool)>& value) {
  std::string out;
  std::size_t at = 0;
  for (const auto& p : placeholders(pattern)) {
    out.append(pattern.substr(at, p.pos - at));
    if (p.flag != '-') out += value(p.index, p.flag == 't');
    at = p.pos + p.length;
  }
  out.append(pattern.substr(at));
  return out;
}

/// An English template taken apart for matching: the literal text between the
/// placeholders and the index each placeholder stands for.
struct EnglishPattern {
  const CatalogueEntry* entry = nullptr;
  std::vector<std::string_view> literals;  ///< one more than holes
  std::vector<std::size_t> holes;          ///< the index of each placeholder, in order
  std::size_t literal_size = 0;            ///< how specific the template is
};

EnglishPattern parse_english(const CatalogueEntry& e) {
  EnglishPattern p;
  p.entry = &e;
  std::size_t at = 0;
  for (const auto& h : placeholders(e.en)) {
    p.literals.push_back(e.en.substr(at, h.pos - at));
    p.holes.push_back(h.index);
    at = h.pos + h.length;
  }
  p.literals.push_back(e.en.substr(at));
  for (auto l : p.literals) p.literal_size += l.size();
  return p;
}

/// The messages of the catalogue, most specific first (the most literal text; the earlier
/// entry of two equally specific ones), so that the first match is the best.
const std::vector<EnglishPattern>& english_patterns() {
  static const std::vector<EnglishPattern> patterns = [] {
    std::vector<EnglishPattern> out;
    // A template that is nothing but a value ("{0}": text shown as it is) says nothing
    // to match against, and would take every text before the labels were tried.
    for (const auto& e : kCatalogue)
      if (e.kind == MsgKind::message)
        if (EnglishPattern p = parse_english(e); p.literal_size > 0) out.push_back(std::move(p));
    std::stable_sort(out.begin(), out.end(),
                     [](const EnglishPattern& a, const EnglishPattern& b) { return a.literal_size > b.literal_size; });
    return out;
  }();
  return patterns;
}

/// The values of `text` if it fits `pattern` (a placeholder = any text, possibly empty; a
/// later literal is found at its first occurrence, the last one anchors the end), by index.
std::optional<std::vector<std::string>> match(const EnglishPattern& pattern, std::string_view text) {
  const auto& literals = pattern.literals;
  if (pattern.holes.empty()) {
    if (text != literals.front()) return std::nullopt;
    return std::vector<std::string>{};
  }
  if (text.substr(0, literals.front().size()) != literals.front()) return std::nullopt;
  std::size_t pos = literals.front().size();
  std::vector<std::string> values(detail::placeholder_count(pattern.entry->en));
  for (std::size_t i = 1; i < literals.size(); ++i) {
    std::string_view lit = literals[i];
    std::size_t found;
    if (i + 1 == literals.size()) {
      if (text.size() < pos + lit.size() || text.substr(text.size() - lit.size()) != lit) return std::nullopt;
      found = text.size() - lit.size();
    } else {
      found = lit.empty() ? pos : text.find(lit, pos);
      if (found == std::string_view::npos) return std::nullopt;
    }
    values[pattern.holes[i - 1]] = std::string(text.substr(pos, found - pos));
    pos = found + lit.size();
  }
  return values;
}

/// A value shown translated ("{N:t}"): a phrase of the catalogue or a label.
std::string translated(Lang lang, const std::string& value) { return translate_message(lang, value); }

}  // namespace

std::string Message::render(Lang lang) const {
  if (!id_) return translate_message(lang, text_);
  const CatalogueEntry& e = catalogue_entry(*id_);
  return fill(lang == Lang::zh ? e.zh : e.en, [&](std::size_t index, bool translate) -> std::string {
    if (index >= args_.size()) return {};
    const MessageArg& a = args_[index];
    if (a.message) return a.message->render(lang);
    return translate ? translated(lang, a.text) : a.text;
  });
}

bool operator==(const Message& a, const Message& b) {
  if (a.id_ != b.id_ || a.text_ != b.text_ || a.args_.size() != b.args_.size()) return false;
  for (std::size_t i = 0; i < a.args_.size(); ++i) {
    const MessageArg& x = a.args_[i];
    const MessageArg& y = b.args_[i];
    if (x.text != y.text || !x.message != !y.message) return false;
    if (x.message && !(*x.message == *y.message)) return false;
  }
  return true;
}

std::optional<Msg> message_named(std::string_view name) {
  for (const auto& e : kCatalogue)
    if (e.kind == MsgKind::message && e.name == name) return e.id;
  return std::nullopt;
}

std::string fill_template(std::string_view pattern, const std::vector<std::string>& values, Lang lang) {
  return fill(pattern, [&](std::size_t index, bool translate) -> std::string {
    if (index >= values.size()) return {};
    return translate ? translated(lang, values[index]) : values[index];
  });
}

std::string translate_message(Lang lang, std::string_view english) {
  if (lang != Lang::zh) return std::string(english);
  for (const auto& p : english_patterns())
    if (auto values = match(p, english)) return fill_template(p.entry->zh, *values, lang);
  return std::string(tr(lang, english));
}

}  // namespace liaison
