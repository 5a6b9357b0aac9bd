// Mail intake: a parsed message (lib/mail/inbound.h) becomes a record or an entry on one.
#include "mail_in.h"

#include <algorithm>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "chain.h"
#include "errors.h"
#include "utf8.h"
#include "hash.h"
#include "input.h"
#include "remind.h"

namespace liaison {

using nlohmann::json;

namespace {


/// The longest start of `s` of at most `bytes` bytes that ends between UTF-8 characters.
std::string utf8_prefix(std::string_view s, std::size_t bytes) {
  if (s.size() <= bytes) return std::string(s);
  std::size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

/// Text as liaison keeps it: line ends "\n", no control character but tab and line feed.
std::string clean_text(std::string_view s, bool one_line) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\r') {
      if (i + 1 < s.size() && s[i + 1] == '\n') continue;
      out += one_line ? ' ' : '\n';
    } else if (c == '\n') {
      out += one_line ? ' ' : '\n';
    } else if (c < 0x20 && c != '\t') {
      out += ' ';
    } else if (c == 0x7f) {
      out += ' ';
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

/// A part's name as an attachment's: without folders, without control characters, at
/// most limits::kId bytes; "part-N" when nothing is left.
std::string attachment_name(const std::string& given, std::size_t n) {
  std::string name = given;
  if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name = name.substr(slash + 1);
  name = clean_text(name, true);
  name = utf8_prefix(name, limits::kId);
  if (name.empty() || name == "." || name == "..") name = fmt::format("part-{}", n);
  return name;
}

/// The regular expression of the references a numbering pattern writes.
std::regex reference_pattern(const std::string& pattern) {
  std::string re;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern.compare(i, 6, "{year}") == 0) {
      re += "[0-9]{4}";
      i += 6;
    } else if (pattern.compare(i, 4, "{seq") == 0) {
      re += "[0-9]+";
      auto close = pattern.find('}', i);
      i = close == std::string::npos ? pattern.size() : close + 1;
    } else {
      const char c = pattern[i++];
      if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) re += '\\';
      re += c;
    }
  }
  return std::regex(re);
}

/// The record a message answers: one whose history holds a message it names in
/// In-Reply-To or References (the nearest first), else the first existing reference in
/// its subject. nullopt when it answers none. A tombstone (liaison purge) takes no more
/// entries: a message answering one is filed as a new record.
std::optional<Record> answered_record(Context& ctx, const InboundMail& mail) {
  std::vector<std::string> named = mail.in_reply_to;
  for (auto it = mail.references.rbegin(); it != mail.references.rend(); ++it) named.push_back(*it);
  for (const auto& id : named) {
    if (id.empty()) continue;
    if (auto ref = ctx.store.record_of_message(sha256_hex("<" + id + ">")))
      if (auto r = ctx.store.find_record(*ref); r && !r->purged_at) return r;
  }
  for (const std::string* pattern : {&ctx.config.numbering.external, &ctx.config.numbering.internal}) {
    const std::regex re = reference_pattern(*pattern);
    for (auto it = std::sregex_iterator(mail.subject.begin(), mail.subject.end(), re); it != std::sregex_iterator(); ++it)
      if (auto r = ctx.store.find_record(it->str()); r && !r->purged_at) return r;
  }
  return std::nullopt;
}

/// The party of the sender: the one registered with this address, else the one party
/// whose address has the same domain. "" when neither.
std::string sender_party(Context& ctx, const std::string& address) {
  const std::string from = ascii_lower(address);
  const auto at = from.rfind('@');
  const std::string domain = at == std::string::npos ? std::string() : from.substr(at + 1);
  std::vector<std::string> same_domain;
  for (const Party& p : ctx.store.list_parties("")) {
    const std::string email = ascii_lower(p.email);
    if (email.empty()) continue;
    if (email == from) return p.id;
    const auto pat = email.rfind('@');
    if (!domain.empty() && pat != std::string::npos && email.substr(pat + 1) == domain) same_domain.push_back(p.id);
  }
  return same_domain.size() == 1 ? same_domain.front() : std::string();
}

/// The first [[mail.rule]] whose every header holds one of its texts; null when none does.
const MailRule* matching_rule(const Config& config, const InboundMail& mail) {
  for (const MailRule& rule : config.mail.rules) {
    bool all = true;
    for (const auto& [header, texts] : rule.when) {
      bool any = false;
      for (const std::string& value : mail.header(header)) {
        const std::string v = ascii_lower(value);
        for (const std::string& t : texts) any = any || v.find(t) != std::string::npos;
      }
      all = all && any;
    }
    if (all) return &rule;
  }
  return nullptr;
}

/// "Name <address>" on one line (a decoded name may hold anything, line breaks too).
std::string mailbox_text(const MailAddress& a) {
  const std::string name = clean_text(a.name, true);
  return name.empty() ? clean_text(a.email, true) : fmt::format("{} <{}>", name, clean_text(a.email, true));
}

std::vector<NewAttachment> kept_parts(const InboundMail& mail) {
  std::vector<NewAttachment> files;
  for (const InboundPart& part : mail.parts)
    files.push_back({attachment_name(part.name, files.size() + 1), part.content});
  return files;
}

/// The message's text as a body of at most `most` bytes; a longer one is cut, and its
/// whole is kept as the attachment "message.txt".
std::string body_within(const std::string& text, std::size_t most, std::vector<NewAttachment>& files) {
  if (text.size() <= most) return text;
  files.push_back({"message.txt", text});
  return utf8_prefix(text, most > 200 ? most - 200 : most) + "\n\n[…] (message.txt)\n";
}

}  // namespace

std::string message_digest(const InboundMail& mail, std::string_view raw) {
  return mail.message_id.empty() ? sha256_hex(raw) : sha256_hex("<" + mail.message_id + ">");
}

MailInResult mail_in(Context& ctx, const InboundMail& mail, std::string_view raw) {
  const Config& cfg = ctx.config;
  MailInResult result;
  result.message_sha256 = message_digest(mail, raw);
  if (auto ref = ctx.store.record_of_message(result.message_sha256)) {
    result.outcome = MailInResult::Outcome::duplicate;
    result.ref = *ref;
    return result;
  }
  result.party = sender_party(ctx, mail.from.email);
  std::vector<NewAttachment> files = kept_parts(mail);
  const std::string subject = utf8_prefix(clean_text(mail.subject, true), cfg.limits.subject);
  const std::string text = clean_text(mail.text, false);
  // Room in one event's data for the rest of it (subject, clocks, keys).
  const std::size_t room = cfg.limits.text > subject.size() + 16384 ? cfg.limits.text - subject.size() - 16384 : 1024;

  if (auto answered = answered_record(ctx, mail)) {
    LogRequest log;
    log.ref = answered->ref;
    log.type = "email";
    // Who wrote, where the record's kind keeps no protected identity; else only the
    // party (the history is readable by all cleared for the record).
    const Kind* kind = cfg.kind(answered->kind);
    const bool named = kind && kind->identity == "none";
    std::string entry = named ? fmt::format("From: {}\n{}\n\n", mailbox_text(mail.from), subject) : subject + "\n\n";
    log.text = entry + body_within(text, room > entry.size() ? room - entry.size() : 1024, files);
    log.channel = cfg.mail.channel;
    log.attachments = std::move(files);
    log.message_sha256 = result.message_sha256;
    log.party = result.party;
    result.attachments = log.attachments.size();
    log_record(ctx, log);
    result.outcome = MailInResult::Outcome::logged;
    result.ref = answered->ref;
    return result;
  }

  FileRequest req;
  const MailRule* rule = matching_rule(cfg, mail);
  if (rule) result.mail_rule = rule->name;
  req.kind = rule && !rule->kind.empty() ? rule->kind : cfg.mail.kind;
  if (result.party.empty() && !cfg.mail.unknown_kind.empty()) req.kind = cfg.mail.unknown_kind;
  if (req.kind.empty()) throw Error(ExitCode::config, msg<Msg::mail_kind_not_set>(), msg<Msg::cfg_set_mail_kind>());
  const Kind& kind = check_kind(cfg, req.kind);
  req.direction = Direction::external;
  req.subject = subject.find_first_not_of(" \t") == std::string::npos ? std::string("(no subject)") : subject;
  req.channel = cfg.mail.channel;
  req.party = result.party;
  if (rule) {
    req.owner = rule->owner;
    req.level = rule->level;
  }
  // Who wrote: the complainant's identity where the kind keeps one apart from the
  // record (readable only by those cleared for it); in the body where it keeps none.
  std::string sender = mailbox_text(mail.from);
  if (sender.size() > limits::kId) sender = utf8_prefix(mail.from.email, limits::kId);
  std::string head;
  if (kind.identity == "none") head = fmt::format("From: {}\n\n", mailbox_text(mail.from));
  else req.identity.name = sender;
  req.body = head + body_within(text, room > head.size() ? room - head.size() : 1024, files);
  req.attachments = std::move(files);
  req.message_sha256 = result.message_sha256;
  result.attachments = req.attachments.size();
  FileResult filed = file_record(ctx, req);
  result.outcome = MailInResult::Outcome::filed;
  result.ref = filed.record.ref;
  result.kind = filed.record.kind;
  return result;
}

std::optional<MailMessage> acknowledgement(const Context& ctx, const InboundMail& mail, const MailInResult& result,
                                           std::string& why_not) {
  const Config& cfg = ctx.config;
  if (!cfg.mail.acknowledge) {
    why_not = "[mail] acknowledge is off";
    return std::nullopt;
  }
  if (result.outcome != MailInResult::Outcome::filed) {
    why_not = "only a new record is acknowledged";
    return std::nullopt;
  }
  // [mail] address, else the reminders' sender ([remind] from, else liaison@<host name>).
  const MailAddress sender = reminder_sender(cfg);
  const std::string own = cfg.mail.address.empty() ? ascii_lower(sender.email) : cfg.mail.address;
  why_not = no_auto_reply_reason(mail, own);
  if (!why_not.empty()) return std::nullopt;
  MailMessage m;
  m.from = {sender.name, own};
  m.to = {{clean_text(mail.from.name, true), mail.from.email}};
  const bool zh = ctx.lang == Lang::zh;
  const std::string subject = utf8_prefix(clean_text(mail.subject, true), 400);
  m.subject = zh ? fmt::format("[{}] 已收到：{}", result.ref, subject) : fmt::format("[{}] Received: {}", result.ref, subject);
  m.body = zh ? fmt::format("您好：\n\n您的来信已收到并登记，编号 {}。\n来信如需补充，请直接回复本邮件，并保留主题中的编号。\n\n-- \n{}\n"
                            "（本邮件由系统自动发送）\n",
                            result.ref, cfg.organization.name)
              : fmt::format("Hello,\n\nYour message has been received and filed as {}.\nTo add to it, reply to this "
                            "mail and keep the reference in the subject.\n\n-- \n{}\n(sent automatically)\n",
                            result.ref, cfg.organization.name);
  m.date = ctx.now;
  m.utc_offset = utc_offset(ctx.calendar, ctx.now);
  const std::string domain = own.substr(own.rfind('@') + 1);
  m.message_id = fmt::format("ack.{}.{}@{}", result.ref, result.message_sha256.substr(0, 16), domain);
  // RFC 3834 section 5: an automatic answer, threaded to what it answers.
  m.extra_headers.emplace_back("Auto-Submitted", "auto-replied");
  if (!mail.message_id.empty()) {
    m.extra_headers.emplace_back("In-Reply-To", "<" + mail.message_id + ">");
    m.extra_headers.emplace_back("References", "<" + mail.message_id + ">");
  }
  return m;
}

void record_acknowledgement(Context& ctx, const MailInResult& result, const MailMessage& sent) {
  LogRequest log;
  log.ref = result.ref;
  log.type = "email";
  // The answer as it went out, but not to whom: the sender may be a protected identity.
  log.text = fmt::format("{}\n\n{}", sent.subject, sent.body);
  log.channel = ctx.config.mail.channel;
  log.message_sha256 = sha256_hex("<" + sent.message_id + ">");
  log_record(ctx, log);
}

}  // namespace liaison
