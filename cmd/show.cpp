// liaison show REF [--identity]: the record, its clocks and its whole history, redacted
// above the user's clearance; with --identity, who raised it, for those allowed (each
// view is logged).
#include <fmt/format.h>

#include "common.h"
#include "event_text.h"
#include "reads.h"

namespace liaison::cli {

namespace {
/// Who raised the record, for --identity.
void print_identity(const Record& r, const std::optional<Identity>& identity, Env& env) {
  if (env.format() == Format::json) {
    nlohmann::json j = {{"ref", r.ref}, {"anonymous", identity && identity->anonymous}};
    if (identity && identity->given())
      j["identity"] = {{"name", identity->name},
                       {"position", identity->position},
                       {"organization", identity->organization},
                       {"phone", identity->phone}};
    else j["identity"] = nullptr;
    print(render_json(j));
    return;
  }
  if (!identity || !identity->given()) {
    say(env, identity ? msg<Msg::filed_anonymously>(r.ref) : msg<Msg::no_complainant_identity_was_recorded>(r.ref));
    return;
  }
  std::vector<std::pair<std::string, std::string>> fields = {{label(env, "ref"), r.ref}};
  auto add = [&](const char* l, const std::string& v) {
    if (!v.empty()) fields.emplace_back(label(env, l), v);
  };
  add("name", identity->name);
  add("position", identity->position);
  add("organization", identity->organization);
  add("phone", identity->phone);
  RenderOptions ro = env.render_options();
  ro.format = Format::table;
  print(render_fields(fields, ro));
}
}  // namespace

struct ShowOptions {
  std::string ref;
  bool identity = false;
};

Runner register_show(CLI::App& app, Env& env) {
  auto o = std::make_shared<ShowOptions>();
  app.add_option("ref", o->ref, "record reference")->required();
  app.add_flag("--identity", o->identity,
               "show who raised it (owner department's head, top management, admins, grievance role); "
               "the view is logged");
  return [o, &env] {
    if (o->identity) {
      // Refused before anything is opened for writing (a read-only copy refuses alike).
      check_identity_access(env.context(), o->ref);
      // Reading the identity appends an event: the one case in which show writes.
      env.reopen_store_for_writing();
      Context ctx = env.context();
      IdentityView view = read_identity(ctx, o->ref);
      print_identity(view.record, view.identity, env);
      return;
    }
    RecordView view = read_record(env.context(), o->ref);
    const Record& r = view.record;
    const auto& events = view.history;
    const std::string& identity = view.identity;
    if (env.format() == Format::json) {
      auto j = record_json(r, env);
      j["identity"] = identity.empty() ? nlohmann::json(nullptr) : nlohmann::json(identity);
      j["held"] = view.hold ? nlohmann::json{{"since", env.calendar().format_iso(view.hold->since)},
                                             {"by", view.hold->by},
                                             {"reason", view.hold->reason}}
                            : nlohmann::json(nullptr);
      j["attendees"] = view.attendees;
      j["absent"] = view.absent;
      j["follow_up"] = view.follow_up.empty() ? nlohmann::json(nullptr) : nlohmann::json(view.follow_up);
      j["actions"] = nlohmann::json::array();
      for (const ActionItem& a : view.actions) j["actions"].push_back(action_json(a, env));
      j["follow_up_actions"] = nlohmann::json::array();
      for (const ActionItem& a : view.follow_up_actions) j["follow_up_actions"].push_back(action_json(a, env));
      j["history"] = nlohmann::json::array();
      for (const auto& e : events) j["history"].push_back(event_json(e, env));
      print(render_json(j));
      return;
    }
    const Config& cfg = env.config();
    const Kind* kind = cfg.kind(r.kind);
    std::string kind_name = kind ? kind->name : r.kind;
    std::string party = r.party;
    if (view.party) party = fmt::format("{} ({})", view.party->name, view.party->id);
    std::string notify;
    for (const auto& n : r.notify) notify += (notify.empty() ? "" : ", ") + dept_name(env, n);
    std::vector<std::pair<std::string, std::string>> fields = {
        {label(env, "ref"), r.ref},
        {label(env, "subject"), r.subject},
        {label(env, "kind"), kind_name},
        {label(env, "direction"),
         label(env, std::string(to_string(r.direction))) +
             (r.flow != Flow::none ? " / " + label(env, std::string(to_string(r.flow))) : "")},
        {label(env, "status"), label(env, std::string(to_string(r.status)))},
        {label(env, "owner"), dept_name(env, r.owner) + (r.assignee.empty() ? "" : " / " + r.assignee)},
    };
    auto add = [&](const char* l, const std::string& v) {
      if (!v.empty()) fields.emplace_back(label(env, l), v);
    };
    add("party", party);
    auto people = [](const std::vector<std::string>& ids) {
      std::string out;
      for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
      return out;
    };
    add("attendees", people(view.attendees));
    add("absent", people(view.absent));
    add("follows up", view.follow_up);
    add("customer ref", r.customer_ref);
    add("their ref", r.their_ref);
    add("compliance obligation", r.compliance_obligation);
    add("from", r.from_dept.empty() ? "" : dept_name(env, r.from_dept));
    add("channel", channel_text(env, r.channel));
    add("topic", topic_text(env, r.topic));
    add("level", level_text(env, r.level));
    add("major", r.major ? label(env, "yes") : "");
    add("notified", notify);
    add("escalated to", r.escalated_to.empty() ? "" : dept_name(env, r.escalated_to));
    add("rule", r.rule);
    add("identity", identity.empty() ? ""
                    : identity == "anonymous"
                        ? label(env, "anonymous")
                        : label(env, "protected") + fmt::format(" (liaison show {} --identity)", r.ref));
    add("held", view.hold ? fmt::format("{} {}, {}: {}", env.show_time(view.hold->since), view.hold->by,
                                        label(env, "reason"), view.hold->reason)
                          : "");
    add("purged", env.show_time(r.purged_at));
    add("anonymised", env.show_time(r.anonymised_at));
    add("received", env.show_time(r.received_at));
    add("ack due", env.show_time(r.ack_due));
    add("acked", env.show_time(r.acked_at));
    add("due", env.show_time(r.due) + (is_overdue(r, env.now()) ? "  (" + label(env, "overdue") + ")" : ""));
    add("closed at", env.show_time(r.closed_at));
    add("outcome", r.outcome ? label(env, std::string(to_string(*r.outcome))) : "");
    add("resolution", r.resolution);
    add("reply via", channel_text(env, r.reply_via));
    add("CAPA", r.capa);
    add("8D", r.eight_d);
    add("body", r.body);
    RenderOptions ro = env.render_options();
    ro.format = Format::table;
    std::string out = render_fields(fields, ro);
    if (!r.clocks.empty()) {
      Table clocks;
      clocks.columns = {{"clock", label(env, "clock")}, {"duration", label(env, "duration")},
                        {"due", label(env, "due")},     {"stopped", label(env, "stopped")},
                        {"used", label(env, "used")},   {"met", label(env, "met")}};
      for (const auto& c : r.clocks)
        clocks.rows.push_back({clock_label(env, c.name), duration_text(env, c.duration),
                               env.show_time(c.due) + (c.provisional ? " (" + label(env, "provisional") + ")" : ""),
                               env.show_time(c.stopped_at), c.used_seconds ? format_seconds(*c.used_seconds, env.lang()) : "",
                               c.due && c.stopped_at ? label(env, *c.stopped_at <= *c.due ? "yes" : "no") : ""});
      out += "\n" + render(clocks, ro);
    }
    // Its action items; then those still open of the meeting it follows up, which these
    // minutes carry forward.
    auto action_table = [&](const std::vector<ActionItem>& items) {
      Table t;
      t.columns = {{"id", label(env, "action item")}, {"owner", label(env, "action owner")}, {"due", label(env, "due")},
                   {"done", label(env, "done at")},  {"text", label(env, "action text"), false, true},
                   {"evidence", label(env, "evidence"), false, true}};
      for (const ActionItem& a : items)
        t.rows.push_back({a.id, a.owner,
                          env.show_time(a.clock.due) +
                              (!a.clock.stopped_at && a.clock.due && *a.clock.due < env.now()
                                   ? "  (" + label(env, "overdue") + ")"
                                   : ""),
                          env.show_time(a.clock.stopped_at), a.text, a.evidence});
      return render(t, ro);
    };
    if (!view.actions.empty()) out += "\n" + label(env, "actions") + "\n" + action_table(view.actions);
    if (!view.follow_up_actions.empty())
      out += "\n" + label(env, "follows up") + " " + view.follow_up + "\n" + action_table(view.follow_up_actions);
    Table history;
    history.columns = {{"id", "#", true}, {"at", label(env, "at")}, {"actor", label(env, "actor")},
                       {"event", label(env, "event")}, {"what", "", false, true}};
    for (const auto& e : events) {
      // Bitemporal: an event back-filled with --now shows when it was written beside when
      // it took effect, wherever the two read differently.
      std::string at = env.show_time(e.at);
      if (e.recorded_at) {
        std::string recorded = env.show_time(*e.recorded_at);
        if (recorded != at) at += " (" + label(env, "recorded") + " " + recorded + ")";
      }
      history.rows.push_back({std::to_string(e.id), std::move(at), e.actor, event_type_name(e.type, env.lang()),
                              describe_event(e, env.lang(), &cfg)});
    }
    out += "\n" + render(history, ro);
    print(out);
  };
}

}  // namespace liaison::cli
