// The two languages, and labels found by their English word. Every label is an entry of
// the catalogue (catalogue.inc, messages.h); a missing translation falls back to English.
#pragma once
#include <string>
#include <string_view>

namespace liaison {

/// The languages of `--lang`.
enum class Lang { en, zh };

/// Language from a LANG/LC_ALL-style value: "zh…" is Chinese, anything else English.
Lang lang_from_locale(std::string_view locale);
/// The label whose English is `english`, in `lang` (the English itself if none). Used for
/// names that are data — a status, an outcome, a column — and, during the transition, by
/// code that has not moved to ids yet (text_of, msg in messages.h).
std::string_view tr(Lang lang, std::string_view english);

}  // namespace liaison
