// Mail coming in (`liaison mail-in`): the message as the MIME parser (helpers/liaison-mime)
// describes it, and running that parser. The parser is a program of its own; why is said
// at the top of helpers/liaison-mime.cpp.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mail.h"
#include "messages.h"
#include "model.h"

namespace liaison {

/// One part of a message that is not its text: a file, a picture, a forwarded message.
struct InboundPart {
  std::string name;        ///< the file name it was sent under, decoded; "part-N" when none
  std::string media_type;  ///< as the message declares it (the store detects its own)
  std::string content;     ///< the decoded bytes
};

/// What mail-in needs of a message, every string UTF-8.
struct InboundMail {
  std::string message_id;            ///< without the angle brackets; "" when there is none
  std::string subject;
  MailAddress from;
  std::vector<MailAddress> to;
  std::vector<MailAddress> cc;
  std::optional<TimePoint> date;
  std::vector<std::string> in_reply_to;
  std::vector<std::string> references;
  /// Every header of the message itself, in order, names as written, values decoded.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string text;                  ///< the text part (or the HTML part made text)
  bool text_from_html = false;
  std::vector<InboundPart> parts;

  /// Every value of header `name` (compared ignoring ASCII case).
  std::vector<std::string> header(std::string_view name) const;
};

/// The parser's answer: the message, or why there is none.
struct ParsedMail {
  std::optional<InboundMail> mail;
  Message problem;   ///< why the message could not be read (mail is empty)
  bool temporary = false;  ///< the parser could not be run at all (not the message's fault)
};

/// Runs the parser `helper` with `raw` on its standard input, under a time limit, a CPU
/// limit and a memory limit, and reads its JSON. A parser that says the message is not
/// one, or that dies on it, gives `problem`; one that cannot be started gives `temporary`.
ParsedMail parse_mail(const std::string& helper, std::string_view raw,
                      std::chrono::seconds timeout = std::chrono::seconds{120});

/// Reads the parser's JSON (exposed for the unit tests); DataError when it is not that.
InboundMail inbound_from_json(std::string_view json);

/// Where the parser is: beside the running liaison (the build tree), else in
/// PREFIX/lib/liaison/ beside PREFIX/bin/liaison (the package).
std::string mime_helper_path();

/// Why RFC 3834 says not to answer this message automatically, or "" when it may be:
/// Auto-Submitted other than "no", a mailing list (List-Id and the other List-* headers,
/// Precedence bulk, list or junk), a sender that is a mailer daemon or no one, or our own
/// address `own` (lower case).
std::string no_auto_reply_reason(const InboundMail& mail, const std::string& own);

}  // namespace liaison
