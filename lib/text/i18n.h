// Labels and messages in English and Simplified Chinese. English text is the key; a
// missing translation falls back to it.
#pragma once
#include <string>
#include <string_view>

namespace liaison {

/// The languages of `--lang`.
enum class Lang { en, zh };

/// Language from a LANG/LC_ALL-style value: "zh…" is Chinese, anything else English.
Lang lang_from_locale(std::string_view locale);
/// The text for `english` in `lang`.
std::string_view tr(Lang lang, std::string_view english);

}  // namespace liaison
