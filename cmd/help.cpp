// Help and suggestions like git's: see help.h.
#include "help.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>

#include <unistd.h>

#include <fmt/format.h>

#include "access.h"
#include "render.h"

namespace liaison::cli {
namespace {

/// CLI11's labels (FormatterBase::get_label) that liaison's help shows; each is a HELP
/// text. The type names (TEXT, INT) stay as they are, like the option names.
constexpr const char* kLabels[] = {"Usage", "OPTIONS", "SUBCOMMAND", "SUBCOMMANDS", "Positionals",
                                   "REQUIRED", "Excludes", "Needs"};

/// CLI11's own group of options and of subcommands, as it names them.
constexpr const char* kOptionsGroup = "Options";
constexpr const char* kSubcommandsGroup = "Subcommands";

class TranslatingFormatter : public CLI::Formatter {
 public:
  explicit TranslatingFormatter(Lang lang) : lang_(lang) {
    for (const char* key : kLabels) label(key, std::string(help_text(lang, key)));
  }

  std::string make_group(std::string group, bool is_positional, std::vector<const CLI::Option*> opts) const override {
    return CLI::Formatter::make_group(tr(group), is_positional, std::move(opts));
  }

  std::string make_description(const CLI::App* app) const override {
    std::string description = tr(app->get_description());
    return description.empty() ? "" : description + "\n";
  }

  std::string make_option_desc(const CLI::Option* opt) const override { return tr(opt->get_description()); }

  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    return row(make_option_name(opt, is_positional) + make_option_opts(opt), make_option_desc(opt));
  }

  std::string make_subcommand(const CLI::App* sub) const override {
    return row(sub->get_display_name(true), tr(sub->get_description()));
  }

  std::string make_subcommands(const CLI::App* app, CLI::AppFormatMode mode) const override {
    // CLI11 writes each group's heading as it is named; liaison uses only its default.
    std::string out = CLI::Formatter::make_subcommands(app, mode);
    const std::string english = fmt::format("\n{}:\n", kSubcommandsGroup);
    if (out.rfind(english, 0) == 0) out.replace(0, english.size(), fmt::format("\n{}:\n", tr(kSubcommandsGroup)));
    return out;
  }

 private:
  std::string tr(const std::string& english) const { return std::string(help_text(lang_, english)); }

  /// One line of an option or subcommand, as CLI::detail::format_help writes it but with
  /// the name column padded by display width, not bytes ("必填" takes 4 columns, 6 bytes).
  std::string row(const std::string& name, const std::string& description) const {
    const std::string left = "  " + name;
    const auto width = static_cast<std::size_t>(display_width(left));
    std::string out = left;
    if (!description.empty()) {
      out += width >= column_width_ ? "\n" + std::string(column_width_, ' ') : std::string(column_width_ - width, ' ');
      for (char c : description) {
        out += c;
        if (c == '\n') out += std::string(column_width_, ' ');
      }
    }
    return out + "\n";
  }

  Lang lang_;
};

/// The first word of every command of the table, and the second words of each group.
struct CommandNames {
  std::vector<std::string> first;
  std::map<std::string, std::vector<std::string>> second;
};

CommandNames command_names() {
  CommandNames names;
  for (const auto& cmd : commands()) {
    std::string path = cmd.path;
    const auto space = path.find(' ');
    std::string top = path.substr(0, space);
    if (std::find(names.first.begin(), names.first.end(), top) == names.first.end()) names.first.push_back(top);
    if (space != std::string::npos) names.second[top].push_back(path.substr(space + 1));
  }
  return names;
}

/// Whether the `liaison` of this command line has a hidden command (__commands …).
bool is_hidden(const std::string& word) { return word.rfind("__", 0) == 0; }

/// The long option names ("status") the (sub)command `at` takes, its own and, since
/// every subcommand falls through to the ones above it, theirs.
std::vector<std::string> long_option_names(const CLI::App& at) {
  std::vector<std::string> names;
  for (const CLI::App* a = &at; a; a = a->get_parent())
    for (const CLI::Option* opt : a->get_options())
      for (const auto& name : opt->get_lnames()) names.push_back(name);
  return names;
}

/// The short option names ("q") the (sub)command `at` takes, its own and those above it.
std::vector<std::string> short_option_names(const CLI::App& at) {
  std::vector<std::string> names;
  for (const CLI::App* a = &at; a; a = a->get_parent())
    for (const CLI::Option* opt : a->get_options())
      for (const auto& name : opt->get_snames())
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  return names;
}

/// Whether CLI11's error `refused` names `arg` as a word of its own (not "-s" in "--status").
bool names_argument(std::string_view refused, std::string_view arg) {
  for (auto at = refused.find(arg); at != std::string_view::npos; at = refused.find(arg, at + 1)) {
    const bool starts = at == 0 || refused[at - 1] == ' ';
    const std::size_t end = at + arg.size();
    const bool ends = end == refused.size() || refused[end] == ' ' || refused[end] == ',';
    if (starts && ends) return true;
  }
  return false;
}

/// The hint for an unknown short option `-letter`: the long option that begins with the
/// letter, or the ones that do, else the short options there are.
Message short_option_hint(const CLI::App& at, char letter) {
  std::vector<std::string> longs;
  for (const auto& name : long_option_names(at))
    if (name.front() == letter && std::find(longs.begin(), longs.end(), "--" + name) == longs.end())
      longs.push_back("--" + name);
  auto joined = [](const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  };
  if (longs.size() == 1) return msg<Msg::help_did_you_mean_option>(longs.front());
  if (!longs.empty()) return msg<Msg::help_did_you_mean_one_of>(joined(longs));
  std::vector<std::string> shorts;
  for (const auto& name : short_option_names(at)) shorts.push_back("-" + name);
  return msg<Msg::help_short_options_are>(joined(shorts));
}

void collect_untranslated(const CLI::App& app, bool is_root, std::set<std::string>& out) {
  auto want = [&](const std::string& english) {
    if (!english.empty() && !find_help_text(Lang::zh, english)) out.insert(english);
  };
  const auto subcommands = app.get_subcommands([](const CLI::App* sub) { return !is_hidden(sub->get_name()); });
  // A group's description lists its subcommands' names (main.cpp): nothing to translate.
  if (is_root || subcommands.empty()) want(app.get_description());
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_group().empty()) continue;  // hidden
    want(opt->get_description());
    want(opt->get_group());
  }
  for (const CLI::App* sub : subcommands) {
    want(sub->get_group());
    collect_untranslated(*sub, false, out);
  }
}

}  // namespace

std::shared_ptr<CLI::Formatter> help_formatter(Lang lang) { return std::make_shared<TranslatingFormatter>(lang); }

std::string command_list(Lang lang) {
  std::size_t width = 0;
  for (const auto& cmd : commands()) width = std::max(width, std::string_view(cmd.path).size());
  std::string out = msg<Msg::help_usage_line>().render(lang) + "\n\n" + msg<Msg::help_commands_heading>().render(lang) + "\n";
  for (const auto& cmd : commands())
    out += fmt::format("  {:<{}}  {}\n", cmd.path, width, help_text(lang, cmd.summary));
  out += "\n" + msg<Msg::help_list_footer>().render(lang) + "\n";
  return out;
}

std::optional<UnknownCommand> unknown_command(const std::vector<std::string>& words) {
  if (words.empty() || is_hidden(words[0])) return std::nullopt;
  const CommandNames names = command_names();
  if (std::find(names.first.begin(), names.first.end(), words[0]) == names.first.end())
    return UnknownCommand{words[0], did_you_mean(words[0], names.first)};
  auto group = names.second.find(words[0]);
  if (group == names.second.end() || words.size() < 2) return std::nullopt;
  const auto& subs = group->second;
  if (std::find(subs.begin(), subs.end(), words[1]) != subs.end()) return std::nullopt;
  auto nearest = did_you_mean(words[1], subs);
  return UnknownCommand{words[0] + " " + words[1],
                        nearest ? std::optional<std::string>(words[0] + " " + *nearest) : std::nullopt};
}

std::optional<std::pair<Message, Message>> unknown_option(const CLI::App& at, const std::string& path, int argc,
                                                          char** argv, std::string_view refused) {
  const auto known = long_option_names(at);
  const auto shorts = short_option_names(at);
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    // -x: a short option, unless it is a value CLI11 took (`--sort -due`, `--since -7d`);
    // what it refused names the arguments it did not expect.
    if (arg.size() >= 2 && arg[0] == '-' && arg[1] != '-' && std::isalpha(static_cast<unsigned char>(arg[1]))) {
      const std::string letter(1, arg[1]);
      if (std::find(shorts.begin(), shorts.end(), letter) != shorts.end()) continue;
      if (!names_argument(refused, arg)) continue;
      return std::pair{msg<Msg::help_unknown_option>(path, "-" + letter), short_option_hint(at, arg[1])};
    }
    if (arg.size() < 3 || arg.substr(0, 2) != "--") continue;
    std::string name(arg.substr(2, arg.find('=') == std::string_view::npos ? std::string_view::npos : arg.find('=') - 2));
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    auto nearest = did_you_mean(name, known);
    return std::pair{msg<Msg::help_unknown_option>(path, "--" + name),
                     nearest ? msg<Msg::help_did_you_mean_option>("--" + *nearest) : msg<Msg::see_command_help>(path)};
  }
  return std::nullopt;
}

std::pair<Message, Message> parse_error_message(const CLI::ParseError& error, const CLI::App& at,
                                                const std::string& path, int argc, char** argv, Lang lang) {
  if (auto option = unknown_option(at, path, argc, argv, error.what())) return *option;
  // CLI11's own words, translated where the catalogue knows them (cli_* entries).
  return {msg<Msg::text_as_given>(translate_message(lang, error.what())), msg<Msg::see_command_help>(path)};
}

std::vector<std::string> untranslated_help(const CLI::App& app) {
  std::set<std::string> out;
  for (const char* key : kLabels)
    if (!find_help_text(Lang::zh, key)) out.insert(key);
  for (const char* group : {kOptionsGroup, kSubcommandsGroup})
    if (!find_help_text(Lang::zh, group)) out.insert(group);
  for (const auto& cmd : commands())
    if (!find_help_text(Lang::zh, cmd.summary)) out.insert(cmd.summary);
  collect_untranslated(app, true, out);
  return {out.begin(), out.end()};
}

void explain_redaction(Env& env) {
  if (!env.anything_redacted() || ::isatty(STDERR_FILENO) != 1) return;
  const char* declared = std::getenv("LIAISON_USER");
  if (!env.options.as.empty() || (declared && *declared)) return;  // someone is acting: no one to name
  const Access access(env.config(), env.actor());
  if (access.single_user() || access.user()) return;
  print_error(env.lang(), msg<Msg::redaction_notice>(std::string(redaction_mark(env.lang()))),
              msg<Msg::redaction_how_to_act>());
}

}  // namespace liaison::cli
