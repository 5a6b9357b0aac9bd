// Shared by the report's renderers (report_render.h): the display names of the config's
// ids, the sections as titled blocks that text and Markdown lay out, the filter as text.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar.h"
#include "config.h"
#include "i18n.h"
#include "render.h"
#include "report.h"
#include "report_labels.h"

namespace liaison::report_detail {

/// Display names of the config's ids, in one language; an unknown id shows as itself.
class Names {
 public:
  Names(const Config& config, Lang lang) : config_(config), lang_(lang) {}
  std::string_view label(std::string_view key) const { return report_label(key, lang_); }
  std::string kind(const std::string& id) const {
    const Kind* k = config_.kind(id);
    if (!k) return id;
    return lang_ != Lang::zh && !k->name_en.empty() ? k->name_en : k->name;
  }
  std::string department(const std::string& id) const {
    if (id.empty()) return std::string(label("none"));
    const Department* d = config_.department(id);
    return d ? d->name : id;
  }
  std::string channel(const std::string& id) const {
    if (id.empty()) return std::string(label("no_channel"));
    const Channel* c = config_.channel(id);
    return c ? c->name : id;
  }
  std::string topic(const std::string& id) const {
    if (id.empty()) return std::string(label("no_topic"));
    const Topic* t = config_.topic(id);
    return t && !t->name.empty() ? t->name : id;
  }
  std::string party_type(const std::string& id) const {
    if (id.empty()) return std::string(label("no_party"));
    const PartyType* t = config_.party_type(id);
    return t ? t->name : id;
  }
  std::string user(const std::string& id) const {
    const User* u = config_.user(id);
    return u ? u->name : id;
  }
  std::string direction(Direction d) const { return std::string(label(to_string(d))); }
  Lang lang() const { return lang_; }

 private:
  const Config& config_;
  Lang lang_;
};

/// "50 of 120 listed; --details all lists them all." in `lang` when a list shows fewer
/// records than there are (--details), "" when it shows them all.
std::string listed_note(std::size_t shown, std::int64_t total, Lang lang);

/// "--dept quality --kind complaint …" for the provenance; "" when nothing is filtered.
std::string filter_text(const ReportFilter& f);

/// One titled table or a paragraph: the layout both text and Markdown share. The table's
/// rows are made as they are written, so the long lists (§4, §5) never exist as text at once.
struct Block {
  int level = 2;            ///< 1 = the report, 2 = a section, 3 = a table within one
  std::string title;
  std::optional<RowSource> table;
  std::string paragraph;
};

/// The report's sections in order, each a titled table or paragraph, names in `n`'s language.
std::vector<Block> blocks(const Report& r, const Names& n, const WorkCalendar& calendar);

}  // namespace liaison::report_detail
