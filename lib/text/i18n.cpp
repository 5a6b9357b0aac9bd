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

}  // namespace

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
