// What `search` shares with `list --grep` (cmd/search.cpp).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "common.h"

namespace liaison::cli {

/// The search text from its words (joined by spaces). UsageError (exit 2) naming `option`
/// ("--grep" for list, "the search" for search: each has its message in the catalogue)
/// when it holds nothing searchable: empty, or only spaces, punctuation or symbols.
std::string search_text_option(const std::vector<std::string>& words, std::string_view option);

}  // namespace liaison::cli
