// liaison todo: what the acting user must do now, like `gh status` — the records assigned
// to them, their department's records nobody has acknowledged (when they may), and what
// falls due by the end of the week; nearest deadline first. Redacted as `list` is.
#include <iostream>

#include "common.h"
#include "personal.h"

namespace liaison::cli {

namespace {

/// One item of a section as JSON: the record and its next deadline (null when none).
nlohmann::json item_json(const Record& r, const std::optional<OpenDeadline>& next, const Env& env) {
  return {{"ref", r.ref},
          {"status", to_string(r.status)},
          {"kind", r.kind},
          {"owner", r.owner},
          {"assignee", r.assignee},
          {"subject", r.subject},
          {"obligation", next ? nlohmann::json(next->obligation) : nlohmann::json(nullptr)},
          {"due", next ? nlohmann::json(env.calendar().format_iso(next->due)) : nlohmann::json(nullptr)},
          {"overdue", next && next->overdue}};
}

/// How many records of each section are shown; 0 = all.
struct TodoOptions {
  int limit = 20;
  bool limit_given = false;  ///< --limit on the command line: the machine formats are cut too
};

struct Section {
  std::string key;    ///< "assigned", "to_acknowledge", "to_approve", "to_sign", "actions", "due_this_week"
  std::string title;  ///< in the user's language
  std::vector<std::pair<Record, std::optional<OpenDeadline>>> items;
};

/// The section's items cut to `limit` (0 = all): how many were left out.
std::size_t cut(Section& s, int limit) {
  if (limit <= 0 || s.items.size() <= static_cast<std::size_t>(limit)) return 0;
  const std::size_t left_out = s.items.size() - static_cast<std::size_t>(limit);
  s.items.resize(static_cast<std::size_t>(limit));
  return left_out;
}

std::vector<Section> sections_of(const Todo& todo, const Env& env) {
  std::vector<Section> sections;
  Section assigned{"assigned", msg<Msg::todo_assigned>().render(env.lang()), {}};
  for (const auto& r : todo.assigned) assigned.items.emplace_back(r, next_deadline(r, env.now()));
  sections.push_back(std::move(assigned));
  if (todo.may_acknowledge) {
    Section ack{"to_acknowledge",
                msg<Msg::todo_acknowledge>(dept_name(env, todo.department)).render(env.lang()), {}};
    for (const auto& r : todo.to_acknowledge) ack.items.emplace_back(r, next_deadline(r, env.now()));
    sections.push_back(std::move(ack));
  }
  // Only for those who have something to approve or sign: most people never have.
  if (!todo.to_approve.empty()) {
    Section to_approve{"to_approve", msg<Msg::todo_to_approve>().render(env.lang()), {}};
    for (const auto& [r, due] : todo.to_approve) to_approve.items.emplace_back(r, due);
    sections.push_back(std::move(to_approve));
  }
  if (!todo.to_sign.empty()) {
    Section to_sign{"to_sign", msg<Msg::todo_to_sign>().render(env.lang()), {}};
    for (const auto& d : todo.to_sign) to_sign.items.emplace_back(d.record, d);
    sections.push_back(std::move(to_sign));
  }
  if (!todo.actions.empty()) {
    Section actions{"actions", msg<Msg::todo_actions>().render(env.lang()), {}};
    for (const auto& d : todo.actions) actions.items.emplace_back(d.record, d);
    sections.push_back(std::move(actions));
  }
  std::string week_end = env.calendar().format_iso(todo.week_end - std::chrono::seconds{1});
  Section due{"due_this_week", msg<Msg::todo_due_week>(week_end.substr(0, 10)).render(env.lang()), {}};
  for (const auto& d : todo.due_this_week) due.items.emplace_back(d.record, d);
  sections.push_back(std::move(due));
  return sections;
}

}  // namespace

static void run_todo(const TodoOptions& o, Env& env) {
  const Context ctx = env.context();
  const Todo todo = read_todo(ctx);
  std::vector<Section> sections = sections_of(todo, env);
  RenderOptions options = env.render_options();
  const Format format = options.format;
  const bool display = format == Format::table || format == Format::md;
  // People get the first --limit of each section and a count of the rest; scripts get
  // everything unless they ask for a limit.
  std::vector<std::size_t> left_out;
  for (auto& s : sections) left_out.push_back(display || o.limit_given ? cut(s, o.limit) : 0);

  if (format == Format::json) {
    nlohmann::json out = {{"user", todo.user},
                          {"department", todo.department.empty() ? nlohmann::json(nullptr) : nlohmann::json(todo.department)},
                          {"now", env.calendar().format_iso(env.now())},
                          {"week_end", env.calendar().format_iso(todo.week_end)}};
    for (const auto& s : sections) {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& [r, next] : s.items) items.push_back(item_json(r, next, env));
      out[s.key] = std::move(items);
    }
    if (!todo.may_acknowledge) out["to_acknowledge"] = nullptr;
    if (!out.contains("to_sign")) out["to_sign"] = nlohmann::json::array();
    if (!out.contains("to_approve")) out["to_approve"] = nlohmann::json::array();
    if (!out.contains("actions")) out["actions"] = nlohmann::json::array();
    if (o.limit_given) {
      nlohmann::json more = nlohmann::json::object();
      for (std::size_t i = 0; i < sections.size(); ++i) more[sections[i].key] = left_out[i];
      out["more"] = std::move(more);
    }
    print(render_json(out));
    return;
  }
  if (!display) {
    // One table, a section column first, for scripts (tsv, csv, jsonl).
    Table table;
    for (const char* key : {"section", "ref", "status", "obligation", "due", "overdue", "owner", "assignee", "subject"})
      table.columns.push_back({key, key});
    for (const auto& s : sections)
      for (const auto& [r, next] : s.items)
        table.rows.push_back({s.key, r.ref, std::string(to_string(r.status)), next ? next->obligation : "",
                              next ? env.calendar().format_iso(next->due) : "", next && next->overdue ? "yes" : "no",
                              r.owner, r.assignee, r.subject});
    print(render(table, options));
    return;
  }
  // Like `gh status`: each section under its title, "nothing" when it is empty.
  std::string text;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const Section& s = sections[i];
    if (!text.empty()) text += "\n";
    text += format == Format::md ? "### " + s.title + "\n\n" : s.title + "\n";
    if (s.items.empty()) {
      text += "  " + msg<Msg::todo_nothing>().render(env.lang()) + "\n";
      continue;
    }
    Table table;
    table.columns = {{"ref", label(env, "ref")},
                     {"status", label(env, "status")},
                     {"obligation", label(env, "obligation")},
                     {"due", label(env, "deadline")},
                     {"late", label(env, "overdue")},
                     {"owner", label(env, "owner")},
                     {"subject", label(env, "subject"), false, true}};
    fit_record_columns(table.columns);
    for (const auto& [r, next] : s.items)
      table.rows.push_back({r.ref, label(env, std::string(to_string(r.status))), next ? clock_label(env, next->obligation) : "",
                            next ? env.show_time(next->due) : "", next && next->overdue ? label(env, "overdue") : "",
                            dept_name(env, r.owner), r.subject});
    RenderOptions indented_options = options;  // the table is indented by two columns
    if (format == Format::table && options.width > 2) indented_options.width = options.width - 2;
    std::string rendered = render(table, indented_options);
    if (format == Format::table) {
      // Indented under the title, as gh does.
      std::string indented;
      std::size_t start = 0;
      while (start < rendered.size()) {
        const std::size_t end = rendered.find('\n', start);
        indented += "  " + rendered.substr(start, end - start + 1);
        start = end == std::string::npos ? rendered.size() : end + 1;
      }
      rendered = std::move(indented);
    }
    text += rendered;
    if (left_out[i] > 0) {
      const std::string more = msg<Msg::todo_and_more>(left_out[i]).render(env.lang());
      text += format == Format::md ? "\n" + more + "\n" : "  " + more + "\n";
    }
  }
  print(text);
}

Runner register_todo(CLI::App& app, Env& env) {
  auto o = std::make_shared<TodoOptions>();
  auto* limit = app.add_option("--limit", o->limit, "at most this many records per section (default 20; 0 = all)");
  return [o, limit, &env] {
    o->limit_given = limit->count() > 0;
    run_todo(*o, env);
  };
}

}  // namespace liaison::cli
