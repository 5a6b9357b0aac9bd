// liaison: the command table, global options, and the one place errors are caught and
// mapped to exit statuses (DESIGN §5).
#include <cstdio>
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common.h"
#include "errors.h"

namespace liaison::cli {

Runner register_init(CLI::App&, Env&);
Runner register_config_check(CLI::App&, Env&);
Runner register_config_show(CLI::App&, Env&);
Runner register_config_matrix(CLI::App&, Env&);
Runner register_rules_explain(CLI::App&, Env&);
Runner register_party_add(CLI::App&, Env&);
Runner register_party_list(CLI::App&, Env&);
Runner register_party_show(CLI::App&, Env&);
Runner register_party_edit(CLI::App&, Env&);
Runner register_file(CLI::App&, Env&);
Runner register_log(CLI::App&, Env&);
Runner register_route(CLI::App&, Env&);
Runner register_ack(CLI::App&, Env&);
Runner register_escalate(CLI::App&, Env&);
Runner register_wait(CLI::App&, Env&);
Runner register_resume(CLI::App&, Env&);
Runner register_close(CLI::App&, Env&);
Runner register_reopen(CLI::App&, Env&);
Runner register_show(CLI::App&, Env&);
Runner register_list(CLI::App&, Env&);
Runner register_deadline_explain(CLI::App&, Env&);
Runner register_audit_verify(CLI::App&, Env&);

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"init", "write an example liaison.toml and create the database", Needs::nothing, register_init},
      {"config check", "validate the configuration", Needs::nothing, register_config_check},
      {"config show", "print the effective configuration", Needs::config, register_config_show},
      {"config matrix", "print the communication plan (ISO 9001 7.4)", Needs::config, register_config_matrix},
      {"rules explain", "show which rule a record with given fields would match", Needs::config,
       register_rules_explain},
      {"party add", "register an outside party", Needs::store_write, register_party_add},
      {"party list", "list registered parties", Needs::store_read, register_party_list},
      {"party show", "show one party", Needs::store_read, register_party_show},
      {"party edit", "change a party's details", Needs::store_write, register_party_edit},
      {"file", "file a new record and print its reference", Needs::store_write, register_file},
      {"log", "add a note, call, email, meeting, reply or action to a record", Needs::store_write, register_log},
      {"route", "reassign a record to a department or person", Needs::store_write, register_route},
      {"ack", "acknowledge receipt of a record", Needs::store_write, register_ack},
      {"escalate", "raise a record to a higher level", Needs::store_write, register_escalate},
      {"wait", "pause a record's resolve clock while waiting on someone outside", Needs::store_write,
       register_wait},
      {"resume", "resume a paused record's resolve clock", Needs::store_write, register_resume},
      {"close", "close a record with its resolution", Needs::store_write, register_close},
      {"reopen", "reopen a closed record", Needs::store_write, register_reopen},
      {"show", "show a record with its whole history", Needs::store_read, register_show},
      {"list", "list records", Needs::store_read, register_list},
      {"deadline explain", "show how a record's deadlines were computed", Needs::store_read,
       register_deadline_explain},
      {"audit verify", "check the history's hash chain", Needs::store_read, register_audit_verify},
  };
  return table;
}

namespace {

void print_error(const std::string& message, const std::string& hint) {
  if (hint.empty()) fmt::print(stderr, "liaison: {}\n", message);
  else fmt::print(stderr, "liaison: {} ({})\n", message, hint);
}

int run(int argc, char** argv) {
  CLI::App app{"liaison — internal and external communication records", "liaison"};
  app.set_version_flag("--version", std::string("liaison ") + LIAISON_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  Env env;
  auto& o = env.options;
  app.add_option("--config", o.config_path, "configuration file (default: $LIAISON_CONFIG, ./liaison.toml, …)");
  app.add_option("--db", o.db_path, "database file (default: $LIAISON_DB, then [store] path)");
  app.add_option("--as", o.as, "acting user (default: $LIAISON_USER, then $USER)");
  app.add_option("--format", o.format, "output format: table, tsv, csv, json, jsonl, md");
  app.add_option("--lang", o.lang, "language of labels: zh or en (default from LANG)")
      ->check(CLI::IsMember({"zh", "en"}));
  app.add_option("--now", o.now, "the time to act at (default: $LIAISON_NOW, then the clock)");
  app.add_flag("--no-color", o.no_color, "no colour (also NO_COLOR)");
  app.add_flag("-q,--quiet", o.quiet, "print less");

  // Hidden: the command table, one path a line, for the man-page check and completion.
  CLI::App* list_commands = app.add_subcommand("__commands", "")->group("");

  std::map<std::string, CLI::App*> groups;
  std::vector<std::pair<CLI::App*, const Command*>> leaves;
  std::vector<Runner> runners;
  for (const auto& cmd : commands()) {
    std::string path = cmd.path;
    CLI::App* parent = &app;
    if (auto space = path.find(' '); space != std::string::npos) {
      std::string group = path.substr(0, space);
      auto& g = groups[group];
      if (!g) {
        g = app.add_subcommand(group, "");
        g->require_subcommand(1);
        g->fallthrough();
      }
      parent = g;
      path = path.substr(space + 1);
    }
    CLI::App* sub = parent->add_subcommand(path, cmd.summary);
    sub->fallthrough();
    runners.push_back(cmd.register_fn(*sub, env));
    leaves.emplace_back(sub, &cmd);
  }
  // Group summaries list their subcommands.
  for (auto& [name, g] : groups) {
    std::string names;
    for (auto* s : g->get_subcommands({})) names += (names.empty() ? "" : ", ") + s->get_name();
    g->description(names);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // DESIGN §5: errors read "liaison: <what went wrong> (<what to do>)", parse errors too.
    std::string path = "liaison";
    for (const CLI::App* a = &app; !a->get_subcommands().empty();) {
      a = a->get_subcommands().front();
      path += " " + a->get_name();
    }
    print_error(e.what(), fmt::format("see '{} --help'", path));
    return static_cast<int>(ExitCode::usage);
  }
  if (list_commands->parsed()) {
    for (const auto& cmd : commands()) fmt::print("{}\t{}\n", cmd.path, cmd.summary);
    return 0;
  }
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    if (!leaves[i].first->parsed()) continue;
    env.prepare(leaves[i].second->needs);
    runners[i]();
    std::fflush(stdout);
    return 0;
  }
  return static_cast<int>(ExitCode::usage);
}

}  // namespace
}  // namespace liaison::cli

int main(int argc, char** argv) {
  using namespace liaison;
  try {
    return cli::run(argc, argv);
  } catch (const ConfigError& e) {
    for (const auto& d : e.diagnostics()) fmt::print(stderr, "{}\n", d.format());
    cli::print_error(e.what(), e.hint());
    return static_cast<int>(ExitCode::config);
  } catch (const Error& e) {
    cli::print_error(e.what(), e.hint());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    cli::print_error(e.what(), "this is a bug; please report it with the command you ran");
    return static_cast<int>(ExitCode::failure);
  }
}
