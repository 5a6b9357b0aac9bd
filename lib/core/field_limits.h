// How big one value may be, the same for every way text comes in: `file`, `log`, `close`
// and the other writing commands check it (lib/policy/input.h), and so does `import`
// (lib/services/import_decode.cpp), so whatever liaison stores its export gives back and
// its import takes again.
#pragma once
#include <cstddef>

namespace liaison::limits {

inline constexpr std::size_t kSubject = 64 * 1024;      ///< a subject
inline constexpr std::size_t kText = 1024 * 1024;       ///< a body, resolution, log text, note; one event's data
inline constexpr std::size_t kId = 256;                 ///< ids, names, times, other short fields
inline constexpr std::size_t kRef = 64;                 ///< a reference
inline constexpr std::size_t kLine = 16 * 1024 * 1024;  ///< one import line (JSON Lines) or row (CSV), events included

}  // namespace liaison::limits
