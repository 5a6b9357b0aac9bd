// Mail messages and their delivery: RFC 5322 headers with RFC 2047 encoded words for
// non-ASCII text, a UTF-8 plain-text body in base64, and delivery by piping the message to
// a sendmail-compatible command (`liaison remind`).
#pragma once
#include <cstdint>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "messages.h"
#include "model.h"

namespace liaison {

/// A mailbox: an address with an optional display name (any UTF-8).
struct MailAddress {
  friend bool operator==(const MailAddress&, const MailAddress&) = default;
  std::string name;   ///< display name, may be empty
  std::string email;  ///< addr-spec, e.g. "ma.jun@example.cn"
};

/// A plain-text message to build with format_message.
struct MailMessage {
  MailAddress from;
  std::vector<MailAddress> to;
  std::string subject;                ///< UTF-8, one line
  std::string body;                   ///< UTF-8, lines ended by "\n"
  TimePoint date{};
  std::int32_t utc_offset = 0;        ///< seconds east of UTC for the Date: header
  std::string message_id;             ///< "local@domain", without the angle brackets
  /// Further headers, in order (e.g. Auto-Submitted); values are encoded like Subject.
  std::vector<std::pair<std::string, std::string>> extra_headers;
};

/// Parses "Name <addr@host>" or a bare "addr@host" (as in [remind] from). DataError if the
/// address is not a plausible addr-spec or the text holds a line break.
MailAddress parse_mailbox(std::string_view text);

/// The value of an unstructured header (Subject, display names) as it goes on the wire:
/// printable ASCII stays as it is; anything else becomes RFC 2047 "B" encoded words in
/// UTF-8, each at most 75 characters and split only between whole UTF-8 characters, joined
/// by "\n " folds so that no line exceeds 78 characters. `used` is how many characters of
/// the first line are taken already (e.g. "Subject: " = 9). DataError for CR or LF.
std::string encode_header_text(std::string_view text, std::size_t used);

/// The RFC 5322 date ("Mon, 21 Sep 2026 09:00:00 +0800").
std::string rfc5322_date(TimePoint t, std::int32_t utc_offset);

/// The whole message as it is handed to sendmail: headers (From, To, Subject, Date,
/// Message-ID, MIME-Version, Content-Type text/plain; charset=UTF-8,
/// Content-Transfer-Encoding base64, then the extra ones), a blank line, and the body in
/// base64 lines of 76 characters. Lines end in "\n" (sendmail's local convention).
/// DataError if a header value holds CR or LF (header injection) or an address is invalid.
std::string format_message(const MailMessage& message);

/// Base64 of the bytes (OpenSSL's EVP_EncodeBlock), one line.
std::string base64_encode(std::string_view bytes);
/// The bytes of `text` in base64 (RFC 4648, no line breaks, "=" padding); nullopt when
/// it is not exactly that: a length not a multiple of 4, a character outside the
/// alphabet, padding anywhere but at the end.
std::optional<std::string> base64_decode(std::string_view text);

/// A sendmail-compatible command split on spaces: no shell, no quoting.
std::vector<std::string> split_command(std::string_view command);

/// What became of one delivery.
struct DeliveryResult {
  bool ok = false;
  Message error;  ///< why not, e.g. "/usr/sbin/sendmail exited with status 75"
};

/// Runs `command` (split_command, looked up in PATH when it has no slash) with `message`
/// on its standard input and waits for it. Success is exit status 0. The command's
/// standard output goes to our standard error, so ours stays the command's report. A
/// command that has not read the message and exited within `timeout` is killed (SIGKILL)
/// and the delivery fails saying so: a hanging sendmail never hangs a cron job.
DeliveryResult deliver(const std::string& command, std::string_view message,
                       std::chrono::seconds timeout = std::chrono::seconds{60});

}  // namespace liaison
