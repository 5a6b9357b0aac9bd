#include "utf8.h"

#include <utf8proc.h>

namespace liaison {

std::size_t invalid_utf8_at(std::string_view text) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (bytes[pos] < 0x80) {  // ASCII, the common case, without a call
      ++pos;
      continue;
    }
    utf8proc_int32_t code_point = 0;
    auto length = utf8proc_iterate(bytes + pos, static_cast<utf8proc_ssize_t>(text.size() - pos), &code_point);
    if (length <= 0) return pos;
    pos += static_cast<std::size_t>(length);
  }
  return std::string_view::npos;
}

std::string ascii_lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lower;
}

}  // namespace liaison
