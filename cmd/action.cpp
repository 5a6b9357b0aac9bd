// liaison action add REF --owner USER [--due …] TEXT, action done REF/A1 --evidence TEXT,
// action list [--open] [--owner USER] [--meeting REF]: a meeting's action items (待办事项),
// each its own obligation with an owner and a deadline, tracked to the next meeting
// (liaison-action(1)).
#include <iostream>

#include "common.h"
#include "reads.h"
#include "row_writer.h"

namespace liaison::cli {

namespace {

/// An action's state for people: "open" is "not done" (未完成), "late" "done late".
std::string state_label(const Env& env, const std::string& state) {
  return label(env, state == "open" ? "not done" : state == "late" ? "done late" : state);
}

struct AddOptions {
  std::string ref, owner, due, text;
};

struct DoneOptions {
  std::string id, evidence;
};

struct ListOptions {
  bool open = false;
  std::string owner, meeting;
};

void run_list(const ListOptions& o, Env& env) {
  Context ctx = env.context();
  ActionQuery query{o.open, o.owner.empty() ? "" : user_or_me(ctx, o.owner, "--owner"), o.meeting};
  if (!query.owner.empty()) check_user(ctx.config, query.owner, "--owner");
  const auto rows = list_actions(ctx, query);
  const RenderOptions options = env.render_options();
  const bool display = options.format == Format::table || options.format == Format::md;
  auto head = [&](const char* key, const char* shown) { return display ? label(env, shown) : std::string(key); };
  RowWriter writer(std::cout, options);
  writer.begin({{"id", head("id", "action item")},
                {"owner", head("owner", "action owner")},
                {"due", head("due", "deadline"), false, false, true},
                {"done_at", head("done_at", "done at"), false, false, true},
                {"state", head("state", "status")},
                {"text", head("text", "action text"), false, true},
                {"evidence", head("evidence", "evidence"), false, true}});
  for (const auto& [r, a] : rows) {
    const std::string state = action_state(a.clock, ctx.now);
    const Clock& c = a.clock;
    if (options.format == Format::json || options.format == Format::jsonl) {
      writer.object(action_json(a, env));
      continue;
    }
    if (display)
      writer.row(std::vector<std::string>{a.id, a.owner, c.due ? env.show_time(*c.due) : "",
                                          c.stopped_at ? env.show_time(*c.stopped_at) : "", state_label(env, state), a.text,
                                          a.evidence});
    else
      writer.row(std::vector<std::string>{a.id, a.owner, c.due ? env.calendar().format_iso(*c.due) : "",
                                          c.stopped_at ? env.calendar().format_iso(*c.stopped_at) : "", state, a.text,
                                          a.evidence});
  }
  writer.end();
}

}  // namespace

Runner register_action_add(CLI::App& app, Env& env) {
  auto o = std::make_shared<AddOptions>();
  app.add_option("ref", o->ref, "record reference (a meeting's minutes)")->required();
  app.add_option("text", o->text, "what is to be done; - reads standard input")->required();
  app.add_option("--owner", o->owner, "the user who must carry it out (me: the acting user)")->required();
  app.add_option("--due", o->due,
                 "its deadline: a time (2026-10-20, 2026-10-20 17:00) or a duration from now (5wd); default: the "
                 "kind's action");
  return [o, &env] {
    Context ctx = env.context();
    ActionRequest req{o->ref, user_or_me(ctx, o->owner, "--owner"), text_or_stdin(o->text), {}, {}};
    if (!o->due.empty()) {
      DueOption due = due_option(env, o->due);
      req.due_within = due.within;
      req.due_at = due.at;
    }
    ActionItem a = add_action(ctx, req);
    if (env.format() == Format::json) {
      print(render_json({{"id", a.id},
                         {"owner", a.owner},
                         {"due", a.clock.due ? nlohmann::json(env.calendar().format_iso(*a.clock.due)) : nlohmann::json(nullptr)}}));
      return;
    }
    print(a.id + "\n");
  };
}

Runner register_action_done(CLI::App& app, Env& env) {
  auto o = std::make_shared<DoneOptions>();
  app.add_option("id", o->id, "the action's id: REF/A1")->required();
  app.add_option("--evidence", o->evidence, "what shows it done (a document, a record, a photo's name)")->required();
  return [o, &env] {
    Context ctx = env.context();
    ActionItem a = complete_action(ctx, o->id, o->evidence);
    if (!env.options.quiet)
      say(env, a.clock.due && a.clock.stopped_at && *a.clock.stopped_at > *a.clock.due ? msg<Msg::action_done_late>(a.id)
                                                                                        : msg<Msg::action_done>(a.id));
  };
}

Runner register_action_list(CLI::App& app, Env& env) {
  auto o = std::make_shared<ListOptions>();
  app.add_flag("--open", o->open, "only the actions not done");
  app.add_option("--owner", o->owner, "only this user's actions (me: the acting user)");
  app.add_option("--meeting", o->meeting, "only this record's actions");
  return [o, &env] { run_list(*o, env); };
}

}  // namespace liaison::cli
