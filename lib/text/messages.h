// Simplified Chinese for the messages the library and commands produce in English.
// The library stays language-free: it throws English text, and the command-line edge
// translates the whole message through a catalog of templates before printing it.
#pragma once
#include <string>
#include <string_view>

#include "i18n.h"

namespace liaison {

/// The message in `lang`. A message is matched against the catalog's English templates,
/// in which "{}" stands for any text (names, references, times), and rendered with the
/// Chinese template and the same values; a message with no template is returned as is.
std::string translate_message(Lang lang, std::string_view english);

}  // namespace liaison
