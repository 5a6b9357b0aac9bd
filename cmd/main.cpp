// liaison: the command table, global options, and the one place errors are caught and
// mapped to exit statuses.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common.h"
#include "errors.h"
#include "help.h"
#include "output.h"
#include "temp_files.h"

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
Runner register_attachment_list(CLI::App&, Env&);
Runner register_attachment_get(CLI::App&, Env&);
Runner register_hold(CLI::App&, Env&);
Runner register_mail_in(CLI::App&, Env&);
Runner register_release(CLI::App&, Env&);
Runner register_purge(CLI::App&, Env&);
Runner register_show(CLI::App&, Env&);
Runner register_list(CLI::App&, Env&);
Runner register_search(CLI::App&, Env&);
Runner register_deadline_explain(CLI::App&, Env&);
Runner register_audit_verify(CLI::App&, Env&);
Runner register_audit_log(CLI::App&, Env&);
Runner register_audit_checkpoint(CLI::App&, Env&);
Runner register_audit_recount(CLI::App&, Env&);
Runner register_backup(CLI::App&, Env&);
Runner register_report(CLI::App&, Env&);
Runner register_remind(CLI::App&, Env&);
Runner register_overdue(CLI::App&, Env&);
Runner register_todo(CLI::App&, Env&);
Runner register_deadlines(CLI::App&, Env&);
Runner register_query(CLI::App&, Env&);
Runner register_export(CLI::App&, Env&);
Runner register_import(CLI::App&, Env&);
Runner register_completion(CLI::App&, Env&);
Runner register_edit(CLI::App&, Env&);
Runner register_notify(CLI::App&, Env&);
Runner register_receipts(CLI::App&, Env&);
Runner register_approve(CLI::App&, Env&);
Runner register_reject(CLI::App&, Env&);
Runner register_approve_request(CLI::App&, Env&);
Runner register_action_add(CLI::App&, Env&);
Runner register_action_done(CLI::App&, Env&);
Runner register_action_list(CLI::App&, Env&);
Runner register_schedule_run(CLI::App&, Env&);
Runner register_schedule_list(CLI::App&, Env&);
/// "liaison 0.1.0 (git 1a2b3c4)": generated at build time (cmake/version.cmake).
std::string version_line();

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
      {"log", "add a note, call, email, meeting, reply, action or decision to a record", Needs::store_write, register_log},
      {"edit", "change a record's subject, body, topic, customer number, 8D or CAPA (an event, never its history)",
       Needs::store_write, register_edit},
      {"route", "reassign a record to a department or person", Needs::store_write, register_route},
      {"ack", "acknowledge receipt of a record; a recipient of a notice signs for it", Needs::store_write,
       register_ack},
      {"receipts", "list who has signed for a record and who has not (a notice's receipts, 签收)", Needs::store_read,
       register_receipts},
      {"escalate", "raise a record to a higher level", Needs::store_write, register_escalate},
      {"wait", "pause a record's resolve clock while waiting on someone outside", Needs::store_write,
       register_wait},
      {"resume", "resume a paused record's resolve clock", Needs::store_write, register_resume},
      {"notify", "record that an outside party was notified as the record's kind requires (a clock per party)",
       Needs::store_write, register_notify},
      {"approve", "approve a record when it is your turn in its approval chain (审批)", Needs::store_write,
       register_approve},
      {"reject", "reject a record when it is your turn in its approval chain", Needs::store_write, register_reject},
      {"approve-request", "ask a user's approval of a record, after its chain's others", Needs::store_write,
       register_approve_request},
      {"action add", "add an action item to a record: an owner, a deadline, its own obligation", Needs::store_write,
       register_action_add},
      {"action done", "mark an action item done, with the evidence", Needs::store_write, register_action_done},
      {"action list", "list action items: all, open, one owner's or one meeting's", Needs::store_read,
       register_action_list},
      {"schedule run", "file the records of recurring obligations whose day has come, once per period (daily from cron)",
       Needs::store_write, register_schedule_run},
      {"schedule list", "show each schedule's next occurrences and the records it filed", Needs::store_read,
       register_schedule_list},
      {"close", "close a record with its resolution", Needs::store_write, register_close},
      {"reopen", "reopen a closed record", Needs::store_write, register_reopen},
      {"hold", "place a legal hold on a record: it is kept whatever its retention says", Needs::store_write,
       register_hold},
      {"release", "release a record's legal hold", Needs::store_write, register_release},
      {"purge",
       "apply the kinds' retention: list the closed records whose time is up; with --apply, purge or anonymise them",
       Needs::store_write, register_purge},
      // Opens what it needs itself: whatever goes wrong, the MTA must get 65 or 75 (mail-in.cpp).
      {"mail-in", "file one mail message from standard input, as a mail system delivers it", Needs::nothing,
       register_mail_in},
      {"attachment list", "list the files attached to a record", Needs::store_read, register_attachment_list},
      {"attachment get", "write one file attached to a record to standard output or a file", Needs::store_read,
       register_attachment_get},
      {"show", "show a record with its whole history", Needs::store_read, register_show},
      {"list", "list records", Needs::store_read, register_list},
      {"search", "find records by what they say (Chinese too), best match first", Needs::store_read,
       register_search},
      {"deadline explain", "show how a record's deadlines were computed", Needs::store_read,
       register_deadline_explain},
      {"overdue", "list what is overdue or falls due soon", Needs::store_read, register_overdue},
      {"todo", "what you must do now: your records, your department's to acknowledge, what falls due this week",
       Needs::store_read, register_todo},
      {"deadlines", "one user's or department's open deadlines, as a table or an iCalendar feed (--format ics)",
       Needs::store_read, register_deadlines},
      {"remind", "mail reminders of what is overdue", Needs::store_write, register_remind},
      {"audit verify", "check the history's hash chain and that each record is what its history says",
       Needs::store_read, register_audit_verify},
      {"audit log", "list who did what, when, to which record", Needs::store_read, register_audit_log},
      {"audit checkpoint", "sign the history's newest event with a key kept outside the database",
       Needs::store_write, register_audit_checkpoint},
      {"audit recount", "rebuild the report's kept counts and cycles from the records and their history",
       Needs::store_write, register_audit_recount},
      {"backup", "make a consistent, checked copy of the database", Needs::store_read, register_backup},
      {"report", "summarise a period for management review", Needs::store_read, register_report},
      // The store, read-only, opens a session of its own with the auditor views (AuditorQueries).
      {"query", "run one read-only SELECT over the auditor views", Needs::store_read, register_query},
      {"export", "write records as JSON Lines or CSV", Needs::store_read, register_export},
      {"import", "read records from JSON Lines or CSV, all or nothing", Needs::store_write, register_import},
      // Needs nothing: its hidden --values, which the scripts call back, opens what it asks.
      {"completion", "print a shell completion script: bash, zsh or fish", Needs::nothing, register_completion},
  };
  return table;
}

namespace {

/// The global options that take a value (in run below).
const std::set<std::string> kGlobalOptionsWithValue = {"--config", "--db", "--as", "--format", "--lang", "--now"};

/// The command's words on the line: the first two arguments that are neither options
/// nor the values of global options ("party add", "list open" …).
std::vector<std::string> command_words(int argc, char** argv) {
  std::vector<std::string> words;
  for (int i = 1; i < argc && words.size() < 2; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (kGlobalOptionsWithValue.count(arg)) ++i;
    else if (arg.empty() || arg[0] != '-') words.push_back(arg);
  }
  return words;
}

/// The commands worth building for this command line. Building every subcommand with
/// its options costs more than many commands' own work (each is a short process), so
/// only those that can match are built; all of them when none can (help, typos).
std::vector<const Command*> candidate_commands(int argc, char** argv) {
  auto words = command_words(argc, argv);
  std::vector<const Command*> all, first_word, both_words;
  for (const auto& cmd : commands()) {
    all.push_back(&cmd);
    std::string path = cmd.path;
    std::string group = path.substr(0, path.find(' '));
    if (words.empty() || group != words[0]) continue;
    first_word.push_back(&cmd);
    if (path == group || (words.size() > 1 && path == group + " " + words[1])) both_words.push_back(&cmd);
  }
  if (!both_words.empty()) return both_words;
  if (!first_word.empty()) return first_word;
  return all;
}

/// Whether the command's output, often longer than a screen, goes through the pager on a
/// terminal (liaison(1), ENVIRONMENT: PAGER).
bool pages_output(std::string_view path) {
  static const std::set<std::string_view> paged = {
      "list", "show", "search", "overdue", "audit log", "report", "query", "party list", "config show", "config matrix"};
  return paged.count(path) > 0;
}

/// The language of messages: --lang on the command line, else the locale. Read from argv
/// directly, because errors can happen before (or while) options are parsed.
Lang message_lang(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--lang" && i + 1 < argc) return std::string_view(argv[i + 1]) == "zh" ? Lang::zh : Lang::en;
    if (arg.substr(0, 7) == "--lang=") return arg.substr(7) == "zh" ? Lang::zh : Lang::en;
  }
  return locale_lang();
}

/// The index in argv of the first command word, or 0 when there is none.
int first_word_index(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (kGlobalOptionsWithValue.count(arg)) ++i;
    else if (arg.empty() || arg[0] != '-') return i;
  }
  return 0;
}

/// Runs the command; `lang` becomes the command's language when it ends, by return or by
/// throw, so that errors after the config was read speak its [organization] lang too.
int run(int argc, char** argv, Lang& lang) {
  // `liaison help [CMD [SUB]]` is `liaison [CMD [SUB]] --help`, as in git; `liaison help`
  // alone is the command list.
  std::vector<std::string> rewritten;
  std::vector<char*> rewritten_argv;
  if (int at = first_word_index(argc, argv); at > 0 && std::string_view(argv[at]) == "help") {
    for (int i = 0; i < argc; ++i)
      if (i != at && !(i > at && std::string_view(argv[i]) == "help")) rewritten.emplace_back(argv[i]);  // help help
    rewritten.emplace_back("--help");
    for (auto& arg : rewritten) rewritten_argv.push_back(arg.data());
    rewritten_argv.push_back(nullptr);
    argc = static_cast<int>(rewritten.size());
    argv = rewritten_argv.data();
    if (first_word_index(argc, argv) == 0) {
      fmt::print("{}", command_list(lang));
      return 0;
    }
  }
  // A mistyped command: "did you mean", before CLI11 would take it for something else.
  const auto words = command_words(argc, argv);
  if (auto unknown = unknown_command(words)) {
    print_error(lang, msg<Msg::help_unknown_command>(unknown->typed),
                unknown->nearest ? msg<Msg::help_did_you_mean_command>(*unknown->nearest)
                                 : msg<Msg::help_see_command_list>());
    return static_cast<int>(ExitCode::usage);
  }

  CLI::App app{"liaison — internal and external communication records", "liaison"};
  app.formatter(help_formatter(lang));  // before the subcommands, which inherit it
  app.set_version_flag("--version", version_line());
  app.require_subcommand(1);
  app.fallthrough();
  Env env;
  struct SetLang {
    Lang& lang;
    const Env& env;
    ~SetLang() { lang = env.lang(); }
  } set_lang{lang, env};
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
  app.add_flag("--wide", o.wide, "tables as wide as their cells: nothing cut to fit the terminal");
  app.add_flag("--no-pager", o.no_pager, "never send output through $PAGER");
  app.add_flag("--bom", o.bom, "CSV begins with a UTF-8 byte-order mark (for Excel)");

  // Hidden: the command table, one path a line, for the man-page check and completion;
  // and the help texts without Chinese, for the test that none is forgotten.
  CLI::App* list_commands = app.add_subcommand("__commands", "")->group("");
  CLI::App* list_untranslated = app.add_subcommand("__help-untranslated", "")->group("");

  std::map<std::string, CLI::App*> groups;
  std::vector<std::pair<CLI::App*, const Command*>> leaves;
  std::vector<Runner> runners;
  for (const Command* candidate : candidate_commands(argc, argv)) {
    const Command& cmd = *candidate;
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
    for (const auto& cmd : commands())
      if (std::string path = cmd.path; path.rfind(name + " ", 0) == 0)
        names += (names.empty() ? "" : ", ") + path.substr(name.size() + 1);
    g->description(names);
  }

  // Help and version text through print(), so that a write that fails (a full disk) is
  // reported with its own error whatever the text's length.
  auto print_exit = [&app](const CLI::Error& e) {
    std::ostringstream out, err;
    const int status = app.exit(e, out, err);
    print(out.str());
    if (!err.str().empty()) fmt::print(stderr, "{}", err.str());
    return status;
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return print_exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return print_exit(e);
  } catch (const CLI::CallForVersion& e) {
    return print_exit(e);
  } catch (const CLI::ParseError& e) {
    // liaison(1): errors read "liaison: <what went wrong> (<what to do>)", parse errors too.
    const CLI::App* at = &app;
    std::string path = "liaison";
    while (!at->get_subcommands().empty()) {
      at = at->get_subcommands().front();
      path += " " + at->get_name();
    }
    // A bare `liaison`: the command list, as git gives it; an error in a script.
    if (at == &app && words.empty() && dynamic_cast<const CLI::RequiredError*>(&e) &&
        !unknown_option(app, path, argc, argv)) {
      const bool tty = ::isatty(STDOUT_FILENO) == 1;
      fmt::print(tty ? stdout : stderr, "{}", command_list(lang));
      return tty ? 0 : static_cast<int>(ExitCode::usage);
    }
    auto [message, hint] = parse_error_message(e, *at, path, argc, argv, lang);
    print_error(lang, message, hint);
    return static_cast<int>(ExitCode::usage);
  }
  if (list_commands->parsed()) {
    for (const auto& cmd : commands()) fmt::print("{}\t{}\n", cmd.path, cmd.summary);
    return 0;
  }
  if (list_untranslated->parsed()) {
    for (const auto& text : untranslated_help(app)) fmt::print("{}\n", text);
    return 0;
  }
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    if (!leaves[i].first->parsed()) continue;
    env.prepare(leaves[i].second->needs);
    if (pages_output(leaves[i].second->path)) env.start_pager();
    runners[i]();
    if (leaves[i].second->needs != Needs::nothing) explain_redaction(env);
    return static_cast<int>(env.exit_status);  // main flushes stdout and checks it
  }
  return static_cast<int>(ExitCode::usage);
}

}  // namespace
}  // namespace liaison::cli

int main(int argc, char** argv) {
  using namespace liaison;
  Lang lang = cli::message_lang(argc, argv);
  // Every file liaison creates (the database and its -wal and -shm, backups, --out files,
  // the SQL trace) holds records or could: readable and writable by its owner only.
  ::umask(S_IRWXG | S_IRWXO);
  // An interrupted backup or --out leaves no temporary file behind (lib/core/temp_files.h).
  remove_temp_files_on_signals();
  try {
    const int status = cli::run(argc, argv, lang);
    cli::flush_stdout();  // what is still buffered must arrive, or the command failed
    cli::finish_pager();  // the user reads to the end and quits it
    return status;
  } catch (const OutputError& e) {
    cli::finish_pager();  // before the message, which would otherwise land under its screen
    if (e.error_number == EPIPE) {
      // The reader went away (liaison list | head -1): end quietly, as SIGPIPE would have
      // ended us had it not been ignored, and as git does — no message, status 141.
      std::signal(SIGPIPE, SIG_DFL);
      std::raise(SIGPIPE);
      return 128 + SIGPIPE;
    }
    cli::print_error(lang, e);
    return static_cast<int>(e.code());
  } catch (const ConfigError& e) {
    cli::finish_pager();
    // Each diagnostic is FILE:LINE:COL: what (what to do); then one line that counts them.
    for (const auto& d : e.diagnostics()) fmt::print(stderr, "{}\n", d.format(lang));
    cli::print_error(lang, e);
    return static_cast<int>(ExitCode::config);
  } catch (const Error& e) {
    cli::finish_pager();
    cli::print_error(lang, e);
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    cli::finish_pager();
    cli::print_error(lang, msg<Msg::text_as_given>(e.what()), msg<Msg::bug_report_with_command>());
    return static_cast<int>(ExitCode::failure);
  }
}
