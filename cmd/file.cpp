// liaison file: create a record; the rules pick its owner, the calendar its deadlines.
// Prints the new reference (or the record as JSON with --format json).
#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "attachments.h"
#include "reads.h"

namespace liaison::cli {

struct FileOptions {
  FileRequest request;
  std::string direction, flow, received, due;
  std::vector<std::string> attach;
};

static void run_file(FileOptions& o, Env& env) {
  FileRequest& req = o.request;
  if (!o.direction.empty()) req.direction = direction_option(o.direction);
  if (!o.flow.empty()) req.flow = flow_option(o.flow);
  if (!o.received.empty()) req.received_at = env.parse_time(o.received, "--received");
  if (!o.due.empty()) {
    // A duration from receipt ("10wd"), a date (due by its end), or a moment.
    DueOption due = due_option(env, o.due);
    req.due_within = due.within;
    req.due_at = due.at;
  }
  req.body = text_or_stdin(req.body);
  Context ctx = env.context();
  for (const auto& path : o.attach) req.attachments.push_back(read_attachment_file(path, ctx.config.attachments.max_size));
  req.assignee = user_or_me(ctx, req.assignee, "--assignee");
  if (!req.owner.empty()) req.owner = departments_or_mine(ctx, {req.owner}, "--to").front();
  if (!req.from_dept.empty()) req.from_dept = departments_or_mine(ctx, {req.from_dept}, "--from").front();
  FileResult result = file_record(ctx, req);
  if (!result.recipients_skipped.empty()) {
    std::string skipped;
    for (const auto& u : result.recipients_skipped) skipped += (skipped.empty() ? "" : ", ") + u;
    print_error(env.lang(), msg<Msg::recipients_left_out>(result.record.level, skipped));
  }
  if (env.format() == Format::json) {
    print(render_json(record_json(result.record, env)));
    return;
  }
  print(result.record.ref + "\n");
}

Runner register_file(CLI::App& app, Env& env) {
  auto o = std::make_shared<FileOptions>();
  auto& r = o->request;
  app.add_option("--kind", r.kind, "kind id (complaint, inquiry, …)")->required();
  app.add_option("--subject", r.subject, "one-line subject")->required();
  app.add_option("--body", r.body, "the full text; - reads standard input");
  app.add_option("--direction", o->direction, "internal or external (default: external when --party is given)");
  app.add_option("--flow", o->flow, "internal records: upward, downward or lateral");
  app.add_option("--channel", r.channel, "channel id (email, phone, …)");
  app.add_option("--party", r.party, "party id from the registry (external records)");
  app.add_option("--from", r.from_dept, "originating department (internal records); me: the acting user's");
  app.add_option("--to", r.owner, "owner department, overriding the rules; me: the acting user's");
  app.add_option("--assignee", r.assignee, "responsible person (user id; me: the acting user)");
  app.add_option("--level", r.level, "confidentiality level (default from [levels])");
  app.add_flag("--major", r.major, "a major matter (重大事项): escalated to top management");
  app.add_option("--topic", r.topic, "what it is about: a topic id from [[topic]] (quality, safety, …)");
  app.add_option("--customer-ref", r.customer_ref, "the customer's own number for it (their complaint number)");
  app.add_option("--8d", r.eight_d, "the 8D report's number");
  app.add_option("--their-ref", r.their_ref, "the sender's own reference (a regulator's letter number, 来文编号)");
  app.add_option("--obligation", r.compliance_obligation, "the compliance obligation it concerns");
  app.add_option("--due", o->due,
                 "the sender's deadline instead of the kind's: a time (2026-10-20, 2026-10-20 17:00) or a duration (10wd)");
  app.add_option("--recipient", r.recipients,
                 "who must sign for it (签收): a user or a department (its head and members); repeat for several; the "
                 "kind must set receipt");
  app.add_option("--attendee", r.attendees, "a meeting's attendee (user id); repeat for several");
  app.add_option("--absent", r.absent, "one who should have attended and did not (user id); repeat for several");
  app.add_option("--follow-up", r.follow_up,
                 "the earlier meeting this one follows up: its open actions are shown with these minutes");
  app.add_option("--received", o->received, "when it was received (default: now)");
  app.add_option("--attach", o->attach, "attach this file (repeatable; see attachment list)");
  // Who raised it: stored apart from the record, never in its history (see liaison-file(1)).
  app.add_option("--contact-name", r.identity.name, "complainant's name (protected; see show --identity)");
  app.add_option("--contact-position", r.identity.position, "complainant's position (protected)");
  app.add_option("--contact-org", r.identity.organization, "complainant's organisation (protected)");
  app.add_option("--contact-phone", r.identity.phone, "complainant's phone (protected)");
  app.add_flag("--anonymous", r.identity.anonymous, "filed anonymously, where the kind allows it");
  return [o, &env] { run_file(*o, env); };
}

}  // namespace liaison::cli
