#include "report_labels.h"

#include <vector>

#include "messages.h"

namespace liaison {
namespace {

/// The report's entries of the catalogue, in catalogue order.
const std::vector<const CatalogueEntry*>& report_entries() {
  static const std::vector<const CatalogueEntry*> entries = [] {
    std::vector<const CatalogueEntry*> out;
    for (const auto& e : kCatalogue)
      if (e.kind == MsgKind::report) out.push_back(&e);
    return out;
  }();
  return entries;
}

}  // namespace

std::string_view report_label(std::string_view key, Lang lang) {
  for (const CatalogueEntry* e : report_entries())
    if (e->name == key) return lang == Lang::zh ? e->zh : e->en;
  return key;
}

std::size_t report_label_count() { return report_entries().size(); }
std::string_view report_label_key(std::size_t i) { return report_entries()[i]->name; }

}  // namespace liaison
