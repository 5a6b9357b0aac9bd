#include "i18n.h"

#include <algorithm>
#include <vector>

#include "messages.h"

namespace liaison {
namespace {

/// The labels of the catalogue, sorted by their English, for binary search.
const std::vector<const CatalogueEntry*>& labels_by_english() {
  static const std::vector<const CatalogueEntry*> labels = [] {
    std::vector<const CatalogueEntry*> out;
    for (const auto& e : kCatalogue)
      if (e.kind == MsgKind::label) out.push_back(&e);
    std::sort(out.begin(), out.end(), [](const CatalogueEntry* a, const CatalogueEntry* b) { return a->en < b->en; });
    return out;
  }();
  return labels;
}

/// The help texts, sorted by their English, for binary search.
const std::vector<const HelpText*>& help_by_english() {
  static const std::vector<const HelpText*> texts = [] {
    std::vector<const HelpText*> out;
    for (const auto& h : kHelpTexts) out.push_back(&h);
    std::sort(out.begin(), out.end(), [](const HelpText* a, const HelpText* b) { return a->en < b->en; });
    return out;
  }();
  return texts;
}

}  // namespace

std::optional<std::string_view> find_help_text(Lang lang, std::string_view english) {
  const auto& texts = help_by_english();
  auto it = std::lower_bound(texts.begin(), texts.end(), english,
                             [](const HelpText* h, std::string_view key) { return h->en < key; });
  if (it == texts.end() || (*it)->en != english) return std::nullopt;
  return lang == Lang::zh ? (*it)->zh : (*it)->en;
}

Lang lang_from_locale(std::string_view locale) {
  return locale.substr(0, 2) == "zh" ? Lang::zh : Lang::en;
}

std::optional<Lang> lang_of_locale(std::string_view locale) {
  const std::string_view name = locale.substr(0, locale.find_first_of(".@"));
  if (name.empty() || name == "C" || name == "POSIX") return std::nullopt;
  return lang_from_locale(locale);
}

std::optional<Lang> lang_named(std::string_view name) {
  if (name == "zh") return Lang::zh;
  if (name == "en") return Lang::en;
  return std::nullopt;
}

std::string_view tr(Lang lang, std::string_view english) {
  if (lang == Lang::en) return english;
  const auto& labels = labels_by_english();
  auto it = std::lower_bound(labels.begin(), labels.end(), english,
                             [](const CatalogueEntry* e, std::string_view key) { return e->en < key; });
  if (it != labels.end() && (*it)->en == english) return (*it)->zh;
  return english;
}

}  // namespace liaison
