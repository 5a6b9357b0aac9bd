// The two languages, and labels found by their English word. Every label is an entry of
// the catalogue (catalogue.inc, messages.h); a missing translation falls back to English.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace liaison {

/// The languages of `--lang`.
enum class Lang { en, zh };

/// Language from a LANG/LC_ALL-style value: "zh…" is Chinese, anything else English.
Lang lang_from_locale(std::string_view locale);
/// The language a locale value asks for, or nullopt when it asks for none: unset or empty,
/// or the portable "C"/"POSIX" locale (C.UTF-8 and the like too), which is what cron and
/// systemd give a job whose environment nobody set.
std::optional<Lang> lang_of_locale(std::string_view locale);
/// The language named by a --lang or `lang =` value, "zh" or "en"; nullopt for others.
std::optional<Lang> lang_named(std::string_view name);
/// The label whose English is `english`, in `lang` (the English itself if none). Used for
/// names that are data — a status, an outcome, a column — and, during the transition, by
/// code that has not moved to ids yet (text_of, msg in messages.h).
std::string_view tr(Lang lang, std::string_view english);

}  // namespace liaison
