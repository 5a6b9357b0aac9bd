// Mail intake (`liaison mail-in`, liaison-mail-in(1)): a parsed message becomes a new record,
// or an `email` entry on the record it answers, once per Message-ID.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "inbound.h"
#include "mail.h"
#include "services.h"

namespace liaison {

/// What mail-in did with a message.
struct MailInResult {
  enum class Outcome { filed, logged, duplicate };
  Outcome outcome = Outcome::filed;
  std::string ref;              ///< the record filed, answered, or that has the message already
  std::string kind;             ///< filed: its kind
  std::string mail_rule;        ///< filed: the [[mail.rule]] that chose kind, owner or level; "" none
  std::string party;            ///< the party the sender was matched to; "" none
  std::string message_sha256;   ///< SHA-256 of "<Message-ID>" (of the whole message when it has none)
  std::size_t attachments = 0;  ///< files kept from the message's parts
};

/// The digest mail-in records for a message: SHA-256 of its Message-ID in angle brackets,
/// or of the raw message when it has none.
std::string message_digest(const InboundMail& mail, std::string_view raw);

/// Files `mail` (or logs it on the record it answers: a Message-ID it names in In-Reply-To
/// or References, else a reference in its subject), unless its digest is in the history
/// already. The sender is matched to a party by address, else by a domain only one party
/// uses. DataError when the message itself cannot be filed (an attachment over
/// [attachments] max_size); the other errors are the store's, the config's and access's.
MailInResult mail_in(Context& ctx, const InboundMail& mail, std::string_view raw);

/// The acknowledgement for a filed record, or nullopt with `why_not` set when RFC 3834
/// says not to send one (or [mail] acknowledge is off).
std::optional<MailMessage> acknowledgement(const Context& ctx, const InboundMail& mail, const MailInResult& result,
                                           std::string& why_not);

/// Records in the history that the acknowledgement went out: an `email` entry with its
/// text and its Message-ID's digest (a reply to it then joins the record).
void record_acknowledgement(Context& ctx, const MailInResult& result, const MailMessage& sent);

}  // namespace liaison
