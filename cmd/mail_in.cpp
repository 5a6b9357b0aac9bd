// liaison mail-in: file one RFC 5322 message from standard input, as an MTA delivers it
// (liaison-mail-in(1)). Its exit status is for the MTA: 0 delivered (or delivered before),
// 65 a message that cannot be filed (kept in [mail] quarantine first), 75 anything else,
// so the MTA keeps the message and tries again: a busy database, a config being fixed, a
// full disk. A message is never dropped: when it cannot be quarantined either, it is 75.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "hash.h"
#include "inbound.h"
#include "mail.h"
#include "mail_in.h"

namespace liaison::cli {

namespace {

struct MailInOptions {
  bool no_acknowledge = false;
};

/// Standard input, at most `most` bytes and one more (to tell that there was more).
std::string read_message(std::size_t most) {
  std::string raw;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(ExitCode::busy, msg<Msg::cannot_read_standard_input>(std::strerror(errno)), {});
    if (n == 0) break;
    raw.append(buffer, static_cast<std::size_t>(n));
    if (raw.size() > most) break;
  }
  return raw;
}

/// Keeps the message in `folder` as NAME.eml (written whole, then renamed into place);
/// the path, or an error saying why not.
std::string quarantine(const std::string& folder, std::string_view raw, TimePoint now) {
  namespace fs = std::filesystem;
  if (folder.empty()) throw Error(ExitCode::busy, msg<Msg::mail_no_quarantine>(), msg<Msg::mail_set_quarantine>());
  std::error_code ec;
  fs::create_directories(folder, ec);
  const std::string name = fmt::format("{}-{}.eml", std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count(),
                                       sha256_hex(raw).substr(0, 16));
  const fs::path path = fs::path(folder) / name;
  const fs::path temporary = fs::path(folder) / ("." + name + ".part");
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  auto failed = [&](int error) {
    throw Error(ExitCode::busy, msg<Msg::mail_cannot_quarantine>(folder, std::strerror(error)), msg<Msg::mail_set_quarantine>());
  };
  if (fd < 0) failed(errno);
  std::size_t put = 0;
  while (put < raw.size()) {
    ssize_t n = ::write(fd, raw.data() + put, raw.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      failed(error);
    }
    put += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    failed(error);
  }
  return path.string();
}

void run_mail_in(const MailInOptions& o, Env& env) {
  const Lang lang = env.lang();
  std::string raw = read_message(limits::kMaxMailMessage);
  // The message's own fault: kept in quarantine, then 65 (the MTA bounces it).
  auto refuse = [&](const Message& why, const Message& hint) {
    print_error(lang, why, hint);
    const std::string kept = quarantine(env.config().mail.quarantine, raw, env.now());
    print_error(lang, msg<Msg::mail_quarantined>(kept));
    env.exit_status = ExitCode::data;
  };
  try {
    env.prepare(Needs::store_write);
    const Config& cfg = env.config();
    if (raw.size() > cfg.mail.max_size) {
      refuse(msg<Msg::mail_too_large>(raw.size() > limits::kMaxMailMessage ? fmt::format(">{}", limits::kMaxMailMessage)
                                                                             : std::to_string(raw.size()),
                                      cfg.mail.max_size),
             msg<Msg::mail_raise_max_size>());
      return;
    }
    ParsedMail parsed = parse_mail(mime_helper_path(), raw);
    if (!parsed.mail) {
      if (parsed.temporary) throw Error(ExitCode::busy, parsed.problem, msg<Msg::mime_parser_reinstall>());
      refuse(parsed.problem, msg<Msg::mail_see_quarantine>());
      return;
    }
    Context ctx = env.context();
    MailInResult result;
    try {
      result = mail_in(ctx, *parsed.mail, raw);
    } catch (const DataError& e) {
      refuse(e.message(), e.hint_message());
      return;
    } catch (const StoreError&) {
      // Two deliveries of one message at once: the other one's filing won the index
      // (schemas/0013). Then this one is delivered too; anything else is for later.
      if (auto ref = ctx.store.record_of_message(message_digest(*parsed.mail, raw))) {
        result.outcome = MailInResult::Outcome::duplicate;
        result.ref = *ref;
      } else {
        throw;
      }
    }
    bool acknowledged = false;
    std::string why_not;
    if (!o.no_acknowledge) {
      // The message is filed by now: whatever goes wrong with the answer is said, and the
      // status stays 0 (a 75 would have the MTA deliver again, only to find it filed).
      std::optional<MailMessage> ack;
      std::string wire;
      try {
        ack = acknowledgement(ctx, *parsed.mail, result, why_not);
        if (ack) wire = format_message(*ack);  // DataError for a sender's name it cannot put in a header
      } catch (const Error& e) {
        print_error(lang, msg<Msg::mail_ack_not_sent>(e.message()));
        ack.reset();
      }
      if (ack) {
        DeliveryResult sent = deliver(cfg.remind.sendmail, wire, std::chrono::seconds{cfg.remind.timeout_seconds});
        if (sent.ok) {
          acknowledged = true;
          try {
            record_acknowledgement(ctx, result, *ack);
          } catch (const Error& e) {
            print_error(lang, e);  // it went out; the record stays filed
          }
        } else {
          print_error(lang, msg<Msg::mail_ack_not_sent>(sent.error));
        }
      }
    } else {
      why_not = "--no-acknowledge";
    }
    if (env.format() == Format::json) {
      const char* outcome = result.outcome == MailInResult::Outcome::filed    ? "filed"
                            : result.outcome == MailInResult::Outcome::logged ? "logged"
                                                                              : "duplicate";
      nlohmann::json j = {{"outcome", outcome},         {"ref", result.ref},
                          {"kind", result.kind},        {"mail_rule", result.mail_rule},
                          {"party", result.party},      {"attachments", result.attachments},
                          {"acknowledged", acknowledged}, {"message_sha256", result.message_sha256}};
      print(render_json(j));
      return;
    }
    if (env.options.quiet) return;
    switch (result.outcome) {
      case MailInResult::Outcome::filed: say(env, msg<Msg::mail_filed>(result.ref)); break;
      case MailInResult::Outcome::logged: say(env, msg<Msg::mail_logged>(result.ref)); break;
      case MailInResult::Outcome::duplicate: say(env, msg<Msg::mail_duplicate>(result.ref)); break;
    }
  } catch (const ConfigError& e) {
    for (const auto& d : e.diagnostics()) fmt::print(stderr, "{}\n", d.format(lang));
    print_error(lang, e);
    print_error(lang, msg<Msg::mail_kept_by_mta>());
    env.exit_status = ExitCode::busy;
  } catch (const OutputError&) {
    throw;
  } catch (const Error& e) {
    print_error(lang, e);
    print_error(lang, msg<Msg::mail_kept_by_mta>());
    env.exit_status = ExitCode::busy;
  } catch (const std::exception& e) {
    print_error(lang, msg<Msg::text_as_given>(e.what()), msg<Msg::bug_report_with_command>());
    print_error(lang, msg<Msg::mail_kept_by_mta>());
    env.exit_status = ExitCode::busy;
  }
}

}  // namespace

Runner register_mail_in(CLI::App& app, Env& env) {
  auto o = std::make_shared<MailInOptions>();
  app.add_flag("--no-acknowledge", o->no_acknowledge, "send no acknowledgement, whatever [mail] acknowledge says");
  return [o, &env] { run_mail_in(*o, env); };
}

}  // namespace liaison::cli
