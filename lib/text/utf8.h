// Whether bytes are UTF-8 text: the one check every input edge uses (command options,
// standard input, import files), so liaison never stores text it cannot give back.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace liaison {

/// The offset of the first byte of `text` that does not begin a valid UTF-8 sequence as
/// utf8proc reads it (overlong forms, surrogates and code points past U+10FFFF are
/// invalid), or std::string_view::npos when all of it is valid.
std::size_t invalid_utf8_at(std::string_view text);

/// `text` with its ASCII letters in lower case, every other byte (Chinese among them) as
/// it is: header names, mail addresses, weekday names.
std::string ascii_lower(std::string_view text);

}  // namespace liaison
