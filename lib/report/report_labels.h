// The titles of the report's sections, tables and columns in English and Chinese, shared
// by every report renderer (text, md, csv headers' names, html). They are the REPORT
// entries of the one catalogue (lib/text/catalogue.inc), found by their stable dotted key
// ("section.flow", "col.count" …) or by id (text_of); names of kinds, departments and
// channels come from the config, not from here.
#pragma once
#include <cstddef>
#include <string_view>

#include "i18n.h"

namespace liaison {

/// The label of `key` in `lang`. An unknown key is returned as is, so a missing label shows
/// up as its key instead of vanishing.
std::string_view report_label(std::string_view key, Lang lang);
/// How many labels there are, and the key of the i-th (for tests).
std::size_t report_label_count();
std::string_view report_label_key(std::size_t i);

}  // namespace liaison
