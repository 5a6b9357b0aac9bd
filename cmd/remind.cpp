// liaison remind [--dry-run] [--dept D] [--kind K] [--if-working-day]: mail each responsible person (and the
// escalation chain) what is overdue, through the configured sendmail command; not repeated
// within [remind] interval. See man/liaison-remind.1.
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "mail.h"
#include "overdue.h"
#include "reads.h"
#include "remind.h"

namespace liaison::cli {

struct RemindOptions {
  bool dry_run = false;
  bool if_working_day = false;
  std::vector<std::string> departments, kinds;
};

namespace {

/// What --dry-run shows of a message: the headers as people read them, and the body.
std::string readable(const MailMessage& m) {
  auto mailbox = [](const MailAddress& a) { return a.name.empty() ? a.email : fmt::format("{} <{}>", a.name, a.email); };
  std::string to;
  for (const auto& a : m.to) to += (to.empty() ? "" : ", ") + mailbox(a);
  return fmt::format("From: {}\nTo: {}\nSubject: {}\nMessage-ID: <{}>\n\n{}", mailbox(m.from), to, m.subject,
                     m.message_id, m.body);
}

}  // namespace

Runner register_remind(CLI::App& app, Env& env) {
  auto o = std::make_shared<RemindOptions>();
  app.add_flag("--dry-run", o->dry_run, "print the messages instead of sending them; record nothing");
  app.add_option("--dept", o->departments, "only records owned by this department (repeatable); me: the acting user's");
  app.add_option("--kind", o->kinds, "only records of this kind (repeatable)");
  app.add_flag("--if-working-day", o->if_working_day,
               "do nothing unless today is a working day of the calendar (for a daily cron job)");
  return [o, &env] {
    Context ctx = env.context();
    const Config& config = env.config();
    if (o->if_working_day && !env.calendar().day(env.calendar().local_date(ctx.now)).working) return;
    // Sending records `reminded` events, so it is refused before anything goes out; a dry
    // run writes nothing, so anyone may look (through their own clearance, below).

    OverdueRequest request;
    request.now = ctx.now;
    request.departments = departments_or_mine(ctx, o->departments, "--dept");
    request.kinds = o->kinds;
    ReminderPlan plan = plan_remind(ctx, request, !o->dry_run);

    for (const auto& warning : plan.unreachable)
      print_error(env.lang(), msg<Msg::warning>(warning), msg<Msg::add_email_that_user_department_config>());

    std::size_t failed = 0;
    // Failed deliveries by cause (a missing sendmail fails every mail the same way): each
    // cause is said once, with the recipient when it is the only one.
    struct Failure {
      Message error;
      std::string id, email;
      std::size_t count = 0;
    };
    std::vector<Failure> failures;
    bool first = true;
    for (const auto& reminder : plan.reminders) {
      const std::string& id = reminder.to.id;
      const std::string& email = reminder.to.email;
      try {
        // Each mail is in its recipient's language ([[user]] lang, [organization] lang,
        // else the command's) and says no more than its recipient may read (and a dry run
        // no more than the acting user may, who reads it on the terminal).
        Context mail_ctx = ctx;
        mail_ctx.lang = reminder_lang(reminder.to, config, env.lang());
        Reminder seen = reminder_as_read(mail_ctx, reminder, o->dry_run);
        MailMessage message = reminder_message(seen, config, env.calendar(), mail_ctx.lang, ctx.now);
        std::string wire = format_message(message);  // refuses header injection, dry run or not
        if (o->dry_run) {
          print(fmt::format("{}{}", first ? "" : "\n", readable(message)));
          first = false;
          continue;
        }
        std::fflush(stdout);
        DeliveryResult result = deliver(config.remind.sendmail, wire, std::chrono::seconds{config.remind.timeout_seconds});
        if (!result.ok) {
          ++failed;
          auto same = std::find_if(failures.begin(), failures.end(),
                                   [&](const Failure& f) { return f.error == result.error; });
          if (same == failures.end()) failures.push_back(Failure{result.error, id, email, 1});
          else ++same->count;
          continue;
        }
        try {
          record_reminder(ctx, reminder, message.message_id);
        } catch (const Error& e) {
          // Sent, but the history does not say so (the database stayed busy, say): the
          // others still go, and this one will be sent again by the next run.
          ++failed;
          print_error(env.lang(), msg<Msg::sent_reminder_not_recorded>(id, email, e.message()),
                      msg<Msg::next_run_sends_again>());
          continue;
        }
        if (!env.options.quiet) {
          std::size_t n = reminder.record_count();
          say(env, n == 1 ? msg<Msg::sent_1_record>(id, email) : msg<Msg::sent_records>(id, email, n));
        }
      } catch (const DataError& e) {
        ++failed;
        print_error(env.lang(), msg<Msg::could_not_send_reminder>(id, email, e.message()), e.hint_message());
      }
    }
    for (const auto& f : failures) {
      if (f.count == 1)
        print_error(env.lang(), msg<Msg::could_not_send_reminder>(f.id, f.email, f.error),
                    msg<Msg::not_recorded_sent_goes_out_next>());
      else
        print_error(env.lang(), msg<Msg::could_not_send_reminders>(f.error, f.count),
                    msg<Msg::these_not_recorded_sent_go_out_next>());
    }
    if (failed > 0)
      throw Error(ExitCode::failure, msg<Msg::reminders_could_not_sent>(failed, plan.reminders.size()),
                  msg<Msg::others_were_sent_run_liaison_remind>());
  };
}

}  // namespace liaison::cli
