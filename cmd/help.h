// Help and suggestions like git's (liaison(1), COMMANDS and EXIT STATUS): the command
// list, `liaison help CMD`, CLI11's help and parse errors in the user's language, and
// "did you mean" for mistyped commands and options.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common.h"
#include "messages.h"

namespace liaison::cli {

/// CLI11's help with every description and heading looked up in the catalogue's HELP
/// texts (by its English) and shown in `lang`. Set on the root before adding subcommands,
/// which inherit it.
std::shared_ptr<CLI::Formatter> help_formatter(Lang lang);

/// The command list of a bare `liaison` and of `liaison help`: a usage line, every
/// command of the table with its summary, and where to read more.
std::string command_list(Lang lang);

/// A mistyped command: what was typed ("lsit", "audit verfy") and the nearest command.
struct UnknownCommand {
  std::string typed;
  std::optional<std::string> nearest;
};
/// The command words (main.cpp command_words) checked against the command table: the
/// first group or command that does not exist, or nullopt when all do (or none is given).
std::optional<UnknownCommand> unknown_command(const std::vector<std::string>& words);

/// The first long option on the command line that the (sub)command `at` (whose words are
/// `path`, "liaison list") does not take: the error, with the nearest option as its hint.
/// A short one (`-x`) too when `refused`, CLI11's error, names it (else it may be a
/// value, `--sort -due`): the hint is the long option beginning with its letter, those
/// that do, or the short options there are.
std::optional<std::pair<Message, Message>> unknown_option(const CLI::App& at, const std::string& path, int argc,
                                                          char** argv, std::string_view refused = {});

/// The error for a command line CLI11 refused: an unknown long option with the nearest
/// one, else CLI11's own words translated into `lang` where the catalogue knows them.
std::pair<Message, Message> parse_error_message(const CLI::ParseError& error, const CLI::App& at,
                                                const std::string& path, int argc, char** argv, Lang lang);

/// Every English text of the help of `app` and its subcommands (summaries, option
/// descriptions, CLI11's headings) that has no HELP entry: `liaison __help-untranslated`.
std::vector<std::string> untranslated_help(const CLI::App& app);

/// After a command ran: when something was shown as [confidential] because nobody is
/// acting (no --as, no $LIAISON_USER, and no [[user]] whose login is the real user's),
/// say once on stderr, if it is a terminal, how to act as someone.
void explain_redaction(Env& env);

}  // namespace liaison::cli
