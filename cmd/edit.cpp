// liaison edit REF [--subject …] [--body …] [--topic …] [--customer-ref …] [--8d …] [--capa …]
// [--their-ref …] [--obligation …]:
// change a record's descriptive fields. Never its history: the change is an `edited` event
// holding each changed field's value before and after (lib/services/services.h).
#include "common.h"
#include "errors.h"

namespace liaison::cli {

namespace {

struct EditOptions {
  std::string ref;
  /// As given; only the options given apply.
  std::string subject, body, topic, customer_ref, eight_d, capa, their_ref, compliance_obligation;
};

}  // namespace

Runner register_edit(CLI::App& app, Env& env) {
  auto o = std::make_shared<EditOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  std::vector<std::pair<CLI::Option*, std::optional<std::string> RecordEdit::*>> fields = {
      {app.add_option("--subject", o->subject, "new one-line subject"), &RecordEdit::subject},
      {app.add_option("--body", o->body, "new full text; - reads standard input"), &RecordEdit::body},
      {app.add_option("--topic", o->topic, "topic id from [[topic]]; \"\" clears it"), &RecordEdit::topic},
      {app.add_option("--customer-ref", o->customer_ref, "the customer's own number for it; \"\" clears it"),
       &RecordEdit::customer_ref},
      {app.add_option("--8d", o->eight_d, "the 8D report's number; \"\" clears it"), &RecordEdit::eight_d},
      {app.add_option("--capa", o->capa, "the CAPA reference; \"\" clears it"), &RecordEdit::capa},
      {app.add_option("--their-ref", o->their_ref, "the sender's own reference; \"\" clears it"), &RecordEdit::their_ref},
      {app.add_option("--obligation", o->compliance_obligation, "the compliance obligation it concerns; \"\" clears it"),
       &RecordEdit::compliance_obligation}};
  return [o, fields, &env] {
    RecordEdit edit;
    for (const auto& [option, member] : fields)
      if (option->count() > 0) edit.*member = option->as<std::string>();
    if (edit.body) edit.body = text_or_stdin(*edit.body);
    Context ctx = env.context();
    Record r = edit_record(ctx, o->ref, edit);
    if (!env.options.quiet) say(env, msg<Msg::record_edited>(r.ref));
  };
}

}  // namespace liaison::cli
