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
/// How deep JSON read from outside (an import line, a CSV cell's clocks or events) may
/// nest: a line is 1, its events array 2, an event 3, its data 4, values below that. Deep
/// enough for anything liaison writes, and shallow enough that nothing that walks it
/// (redaction, printing) can run out of stack.
inline constexpr int kJsonDepth = 16;
/// The largest attachment [attachments] max_size may allow: its export line must still
/// fit kLine. Base64 makes 12 MiB exactly 16 MiB, so 4 KiB less leaves 5 KiB of the line
/// for its other fields (a name and media type of at most kId bytes each, a reference,
/// a digest, numbers and keys: under 1 KiB).
inline constexpr std::size_t kMaxAttachment = 12 * 1024 * 1024 - 4 * 1024;
/// The default [attachments] max_size.
inline constexpr std::size_t kAttachment = 10 * 1024 * 1024;
/// The default [mail] max_size: one message as the MTA delivers it, base64 and all (a
/// message carrying one attachment of the largest max_size is about 16.5 MiB).
inline constexpr std::size_t kMailMessage = 32 * 1024 * 1024;
/// The largest [mail] max_size: the message, the parser's JSON of it and the attachments
/// decoded from it are all in memory at once.
inline constexpr std::size_t kMaxMailMessage = 128 * 1024 * 1024;

/// The size limits of free text, [limits] in liaison.toml: the same for every command and
/// for import. Between kMinText and kMaxText each (an import line, history included, must
/// still fit kLine).
struct TextLimits {
  friend bool operator==(const TextLimits&, const TextLimits&) = default;
  std::size_t subject = kSubject;  ///< a subject, a party's name or address
  std::size_t text = kText;        ///< a body, resolution, CAPA, log text, note, reason; one event's data
};
inline constexpr std::size_t kMinText = 256;
inline constexpr std::size_t kMaxText = 8 * 1024 * 1024;

/// The largest count of seconds a clock can hold (used_seconds, paused_seconds): from
/// 1970-01-01 to 9999-12-31, the range of times liaison takes.
inline constexpr long long kMaxSeconds = 253402300799LL;

}  // namespace liaison::limits
