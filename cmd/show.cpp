// liaison show REF [--identity]: the record, its clocks and its whole history, redacted
// above the user's clearance; with --identity, who raised it, for those allowed (each
// view is logged).
#include <fmt/format.h>

#include "common.h"

namespace liaison::cli {

namespace {
std::string summarize_event(const Event& e) {
  auto data = nlohmann::json::parse(e.data, nullptr, false);
  if (!data.is_object()) return e.data;
  auto str = [&](const char* k) { return data.contains(k) && data[k].is_string() ? data[k].get<std::string>() : ""; };
  if (e.type == "filed") return fmt::format("{} → {}", str("subject"), str("owner"));
  if (e.type == "logged") return fmt::format("[{}] {}", str("entry"), str("text"));
  if (e.type == "routed") return fmt::format("{} → {} {}", str("from"), str("to"), str("reason"));
  if (e.type == "escalated")
    return fmt::format("→ {}: {}{}", str("to"), str("reason"),
                       data.contains("skip_level") ? " (越级: " + str("skip_level") + ")" : "");
  if (e.type == "closed") return fmt::format("{}: {}", str("outcome"), str("resolution"));
  if (e.type == "reopened" || e.type == "waiting") return str("reason");
  if (e.type == "acknowledged" || e.type == "resumed") return str("note");
  if (e.type == "identity-viewed") return str("granted_as");
  if (e.type == "imported")
    return fmt::format("{} → {}, {}{}, from {} line {}", str("subject"), str("owner"), str("status"),
                       str("outcome").empty() ? "" : " (" + str("outcome") + ")", str("source"),
                       data.contains("line") ? data["line"].dump() : "?");
  return e.data;
}

/// "anonymous", "protected" (someone is named; see --identity) or "" (nothing recorded).
std::string identity_state(const std::optional<Identity>& identity) {
  if (!identity) return "";
  return identity->anonymous ? "anonymous" : "protected";
}

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
    say(env, identity ? fmt::format("{}: filed anonymously", r.ref)
                      : fmt::format("{}: no complainant identity was recorded", r.ref));
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
      env.access().require_identity(get_record(env.store(), o->ref));
      // Reading the identity appends an event: the one case in which show writes.
      env.reopen_store_for_writing();
      Context ctx = env.context();
      auto identity = view_identity(ctx, o->ref);
      print_identity(get_record(env.store(), o->ref), identity, env);
      return;
    }
    const Access& access = env.access();
    Record r = get_record(env.store(), o->ref);
    const std::string level = r.level;
    r = redact(std::move(r), access, env.lang());
    auto events = env.store().events_for(r.id);
    for (auto& e : events) e = redact(std::move(e), level, access, env.lang());
    const std::string identity = identity_state(env.store().find_identity(r.id));
    if (env.format() == Format::json) {
      auto j = record_json(r, env);
      j["identity"] = identity.empty() ? nlohmann::json(nullptr) : nlohmann::json(identity);
      j["history"] = nlohmann::json::array();
      for (const auto& e : events) j["history"].push_back(event_json(e, env));
      print(render_json(j));
      return;
    }
    const Config& cfg = env.config();
    const Kind* kind = cfg.kind(r.kind);
    std::string kind_name = kind ? kind->name : r.kind;
    std::string party = r.party;
    if (!party.empty())
      if (auto p = env.store().find_party(party)) party = fmt::format("{} ({})", p->name, p->id);
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
    add("from", r.from_dept.empty() ? "" : dept_name(env, r.from_dept));
    add("channel", r.channel);
    add("level", r.level);
    add("major", r.major ? label(env, "yes") : "");
    add("notified", notify);
    add("escalated to", r.escalated_to.empty() ? "" : dept_name(env, r.escalated_to));
    add("rule", r.rule);
    add("identity", identity.empty() ? ""
                    : identity == "anonymous"
                        ? label(env, "anonymous")
                        : label(env, "protected") + fmt::format(" (liaison show {} --identity)", r.ref));
    add("received", env.show_time(r.received_at));
    add("ack due", env.show_time(r.ack_due));
    add("acked", env.show_time(r.acked_at));
    add("due", env.show_time(r.due) + (r.status != Status::closed && r.due && *r.due < env.now()
                                           ? "  (" + label(env, "overdue") + ")"
                                           : ""));
    add("closed at", env.show_time(r.closed_at));
    add("outcome", r.outcome ? label(env, std::string(to_string(*r.outcome))) : "");
    add("resolution", r.resolution);
    add("reply via", r.reply_via);
    add("CAPA", r.capa);
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
        clocks.rows.push_back({label(env, c.name), c.duration,
                               env.show_time(c.due) + (c.provisional ? " (" + label(env, "provisional") + ")" : ""),
                               env.show_time(c.stopped_at), c.used_seconds ? format_seconds(*c.used_seconds) : "",
                               c.due && c.stopped_at ? label(env, *c.stopped_at <= *c.due ? "yes" : "no") : ""});
      out += "\n" + render(clocks, ro);
    }
    Table history;
    history.columns = {{"id", "#", true}, {"at", label(env, "at")}, {"actor", label(env, "actor")},
                       {"event", label(env, "event")}, {"what", "", false, true}};
    for (const auto& e : events)
      history.rows.push_back({std::to_string(e.id), env.show_time(e.at), e.actor, e.type, summarize_event(e)});
    out += "\n" + render(history, ro);
    print(out);
  };
}

}  // namespace liaison::cli
