// liaison completion bash|zsh|fish: a shell completion script, generated from the command
// table and each command's options (the CLI::App tree the commands build), and the hidden
// `completion SHELL --values WHAT` the scripts call back for what only the config or the
// database knows (kinds, departments, users, channels, open references …), quietly, so
// that completion follows the config as it changes.
#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "common.h"
#include "reads.h"

namespace liaison::cli {

namespace {

/// What completes the value of an option or positional: words separated by spaces, each
/// a literal candidate, `@WHAT` (ask `liaison completion SHELL --values WHAT`) or `!files`.
/// Empty: free text, nothing to offer.
using ValueSpec = std::string;

struct OptionSpec {
  std::string name;  ///< "--kind"
  std::string description;
  bool takes_value = false;
  ValueSpec values;
};

struct CommandSpec {
  std::string path;  ///< "" (the program), "party" (a group), "party add"
  std::string summary;
  std::vector<std::string> subcommands;  ///< for the program and the groups
  std::vector<OptionSpec> options;       ///< global options only on the program
  std::vector<ValueSpec> positionals;
};

const std::vector<std::string> kValueKinds = {"kinds",       "departments", "users", "channels",    "levels",
                                              "party-types", "parties",     "refs",  "closed-refs", "topics"};

/// The values an option takes, by its name and the command it belongs to.
ValueSpec value_spec(const std::string& path, const std::string& name) {
  static const std::map<std::string, ValueSpec> by_name = {
      {"--config", "!files"},
      {"--db", "!files"},
      {"--out", "!files"},
      {"--attach", "!files"},
      {"--key", "!files"},
      {"--trusted-key", "!files"},
      {"--checkpoints", "!files"},
      {"FILE", "!files"},
      {"file", "!files"},
      {"--kind", "@kinds"},
      {"--dept", "@departments"},
      {"--as", "@users"},
      {"--assignee", "me @users"},
      {"--actor", "@users"},
      {"--channel", "@channels"},
      {"--reply-via", "@channels"},
      {"--via", "@channels"},
      {"--level", "@levels"},
      {"--party", "@parties"},
      {"--party-type", "@party-types"},
      {"--topic", "@topics"},
      {"--recipient", "@departments @users"},
      {"--lang", "zh en"},
      {"--status", "open acknowledged waiting closed all"},
      {"--direction", "internal external"},
      {"--flow", "upward downward lateral"},
      {"--example", "manufacturing minimal"},
      {"ref", "@refs"},
      {"shell", "bash zsh fish"},
  };
  if (name == "--format") return path == "report" ? "text md csv json html" : "table tsv csv json jsonl md";
  if (name == "--from" && path == "approve-request") return "@users";
  if (name == "--from" && path != "report") return "@departments";
  if (name == "--to" && (path == "file" || path == "route")) return "@departments";
  if (name == "--to" && path == "escalate") return "@departments @users";
  if (name == "--type" && path.rfind("party ", 0) == 0) return "@party-types";
  if (name == "--type" && path == "log") return "note call email meeting reply action";
  if (name == "ref" && path == "reopen") return "@closed-refs";
  auto it = by_name.find(name);
  return it == by_name.end() ? "" : it->second;
}

/// The options of one CLI11 command, hidden ones (no group) left out.
std::vector<OptionSpec> option_specs(const CLI::App& app, const std::string& path) {
  std::vector<OptionSpec> out;
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_group().empty() || !opt->nonpositional()) continue;
    // Flags expect no value (--version is a flag with a callback: no type size either).
    const bool takes_value = opt->get_type_size() != 0 && opt->get_expected_max() != 0;
    for (const auto& l : opt->get_lnames()) {
      std::string name = "--" + l;
      out.push_back({name, opt->get_description(), takes_value, takes_value ? value_spec(path, name) : ""});
    }
  }
  return out;
}

/// The whole command line as the commands build it: every command of the table, with
/// its options, under the program with its global options (`root`).
std::vector<CommandSpec> command_specs(const CLI::App& root) {
  CLI::App full;
  Env scratch;  // the commands' runners, which would use it, are never run
  std::vector<CommandSpec> specs;
  specs.push_back({"", "", {}, option_specs(root, ""), {}});
  std::map<std::string, std::size_t> groups;
  for (const auto& cmd : commands()) {
    std::string path = cmd.path;
    std::string first = path.substr(0, path.find(' '));
    if (std::find(specs[0].subcommands.begin(), specs[0].subcommands.end(), first) == specs[0].subcommands.end())
      specs[0].subcommands.push_back(first);
    if (first != path) {
      if (!groups.count(first)) {
        groups[first] = specs.size();
        specs.push_back({first, "", {}, {}, {}});
      }
      specs[groups[first]].subcommands.push_back(path.substr(first.size() + 1));
    }
    CLI::App* sub = full.add_subcommand(std::string("c") + std::to_string(specs.size()), cmd.summary);
    cmd.register_fn(*sub, scratch);
    CommandSpec spec{path, cmd.summary, {}, option_specs(*sub, path), {}};
    for (const CLI::Option* opt : sub->get_options())
      if (opt->get_positional()) spec.positionals.push_back(value_spec(path, opt->get_name()));
    specs.push_back(std::move(spec));
  }
  return specs;
}

const CommandSpec* find_spec(const std::vector<CommandSpec>& specs, const std::string& path) {
  for (const auto& s : specs)
    if (s.path == path) return &s;
  return nullptr;
}

/// A word in POSIX shell single quotes.
std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// A word in fish single quotes.
std::string fish_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

/// The part bash and zsh share: the command table as shell functions, and the walk over
/// the words before the cursor that prints the candidates for the word at it, one a
/// line ("!files" for file names). Written in the shell language both understand.
std::string sh_core(const std::vector<CommandSpec>& specs, const std::string& shell) {
  std::ostringstream s;
  const CommandSpec& top = specs[0];
  s << "# __liaison_subcommands PATH: the words that may follow PATH; fails for a command.\n"
       "__liaison_subcommands() {\n  case \"$1\" in\n";
  for (const auto& spec : specs) {
    if (spec.subcommands.empty()) continue;
    s << "    " << sh_quote(spec.path) << ") printf '%s\\n'";
    for (const auto& w : spec.subcommands) s << ' ' << sh_quote(w);
    s << " ;;\n";
  }
  s << "    *) return 1 ;;\n  esac\n}\n\n";

  s << "# __liaison_options PATH: the options of the command PATH and the global ones.\n"
       "__liaison_options() {\n  printf '%s\\n'";
  for (const auto& o : top.options) s << ' ' << o.name;
  s << "\n  case \"$1\" in\n";
  for (const auto& spec : specs) {
    if (spec.path.empty() || spec.options.empty()) continue;
    s << "    " << sh_quote(spec.path) << ") printf '%s\\n'";
    for (const auto& o : spec.options)
      if (std::none_of(top.options.begin(), top.options.end(), [&](const OptionSpec& g) { return g.name == o.name; }))
        s << ' ' << o.name;
    s << " ;;\n";
  }
  s << "  esac\n}\n\n";

  s << "# __liaison_value_spec PATH OPTION: succeeds when OPTION takes a value in PATH, and\n"
       "# prints what completes it: words, @WHAT (asked of liaison) or !files, one a line.\n"
       "__liaison_value_spec() {\n  case \"$2\" in\n";
  auto spec_lines = [](const ValueSpec& v) {
    std::string out = "printf '%s\\n'";
    std::istringstream words(v);
    for (std::string w; words >> w;) out += " " + sh_quote(w);
    return v.empty() ? std::string(":") : out;
  };
  s << "  esac\n  case \"$1 $2\" in\n";
  for (const auto& spec : specs) {
    if (spec.path.empty()) continue;
    for (const auto& o : spec.options)
      if (o.takes_value) s << "    " << sh_quote(spec.path + " " + o.name) << ") " << spec_lines(o.values) << "; return 0 ;;\n";
    // A global option whose values differ here (report --format).
    for (const auto& g : top.options)
      if (g.takes_value && value_spec(spec.path, g.name) != g.values)
        s << "    " << sh_quote(spec.path + " " + g.name) << ") " << spec_lines(value_spec(spec.path, g.name)) << "; return 0 ;;\n";
  }
  s << "  esac\n  case \"$2\" in\n";
  for (const auto& o : top.options)
    if (o.takes_value) s << "    " << o.name << ") " << spec_lines(o.values) << " ;;\n";
  s << "    *) return 1 ;;\n  esac\n}\n\n";

  s << "# __liaison_positional_spec PATH N: what completes the Nth word after the command.\n"
       "__liaison_positional_spec() {\n  case \"$1 $2\" in\n";
  for (const auto& spec : specs)
    for (std::size_t i = 0; i < spec.positionals.size(); ++i)
      if (!spec.positionals[i].empty())
        s << "    " << sh_quote(spec.path + " " + std::to_string(i)) << ") " << spec_lines(spec.positionals[i]) << " ;;\n";
  s << "  esac\n}\n\n";

  s << R"(# __liaison_expand: the candidates a value spec on stdin stands for. @WHAT asks
# `liaison completion SHELL --values WHAT` with the --config and --db of the line being
# completed; its errors (no config, no database) are not the user's concern here.
__liaison_expand() {
  local t
  while IFS= read -r t; do
    case "$t" in
      @*) (
            [ -n "$__liaison_config" ] && export LIAISON_CONFIG="$__liaison_config"
            [ -n "$__liaison_db" ] && export LIAISON_DB="$__liaison_db"
            "$__liaison_prog" completion )" + shell + R"( --values "${t#@}" 2>/dev/null
          ) ;;
      *) printf '%s\n' "$t" ;;
    esac
  done
}

# __liaison_candidates PROGRAM CUR WORD...: the candidates for CUR, the word at the
# cursor, after the words WORD... that follow the program on the line.
__liaison_candidates() {
  local __liaison_prog="$1" cur="$2" cmdpath="" npos=0 w="" opt=""
  local __liaison_config="" __liaison_db=""
  shift 2
  case "$__liaison_prog" in "~/"*) __liaison_prog="$HOME/${__liaison_prog#??}" ;; esac
  while [ $# -gt 0 ]; do
    w="$1"
    shift
    case "$w" in
      --config=*) __liaison_config="${w#*=}" ;;
      --db=*) __liaison_db="${w#*=}" ;;
      --*=*) ;;
      -?*)
        if __liaison_value_spec "$cmdpath" "$w" >/dev/null; then
          if [ $# -eq 0 ]; then opt="$w"; break; fi
          case "$w" in
            --config) __liaison_config="$1" ;;
            --db) __liaison_db="$1" ;;
          esac
          shift
        fi ;;
      *)
        if [ -z "$cmdpath" ]; then cmdpath="$w"
        elif __liaison_subcommands "$cmdpath" >/dev/null; then cmdpath="$cmdpath $w"
        else npos=$((npos + 1)); fi ;;
    esac
  done
  if [ -n "$opt" ]; then
    __liaison_value_spec "$cmdpath" "$opt" | __liaison_expand
    return 0
  fi
  case "$cur" in
    --*=*) __liaison_value_spec "$cmdpath" "${cur%%=*}" | __liaison_expand ;;
    -*) __liaison_options "$cmdpath" ;;
    *) __liaison_subcommands "$cmdpath" || __liaison_positional_spec "$cmdpath" "$npos" | __liaison_expand ;;
  esac
  return 0
}
)";
  return s.str();
}

std::string bash_script(const std::vector<CommandSpec>& specs) {
  return "# bash completion for liaison, generated by `liaison completion bash`.\n"
         "# Load it with: source <(liaison completion bash)\n"
         "# or install it as /usr/share/bash-completion/completions/liaison.\n\n" +
         sh_core(specs, "bash") + R"(_liaison() {
  # Bash splits --opt=value at '=' (COMP_WORDBREAKS); join the pieces again.
  local -a line=()
  local i w join=""
  for ((i = 1; i <= COMP_CWORD; i++)); do
    w="${COMP_WORDS[i]}"
    if [[ $w == "=" && ${#line[@]} -gt 0 ]]; then
      line[${#line[@]} - 1]+="="
      join=1
    elif [[ -n $join ]]; then
      line[${#line[@]} - 1]+="$w"
      join=""
    else
      line+=("$w")
    fi
  done
  local cur="${line[${#line[@]} - 1]}"
  unset 'line[${#line[@]}-1]'
  local prefix="$cur"
  [[ $cur == --*=* ]] && prefix="${cur#*=}"
  COMPREPLY=()
  local c files=""
  while IFS= read -r c; do
    if [[ $c == '!files' ]]; then
      files=1
    elif [[ $c == "$prefix"* ]]; then
      COMPREPLY+=("$c")
    fi
  done < <(__liaison_candidates "${COMP_WORDS[0]}" "$cur" "${line[@]}")
  if [[ -n $files ]]; then
    compopt -o filenames 2>/dev/null
    mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$prefix")
  fi
  return 0
}
complete -F _liaison liaison
)";
}

std::string zsh_script(const std::vector<CommandSpec>& specs) {
  return "#compdef liaison\n"
         "# zsh completion for liaison, generated by `liaison completion zsh`.\n"
         "# Load it with: source <(liaison completion zsh) (after compinit),\n"
         "# or install it as _liaison in a directory of $fpath\n"
         "# (/usr/share/zsh/vendor-completions/_liaison).\n\n" +
         sh_core(specs, "zsh") + R"(_liaison() {
  local cur="${words[CURRENT]}" c files=""
  local -a candidates
  for c in "${(@f)$(__liaison_candidates "${words[1]}" "$cur" "${(@)words[2,CURRENT-1]}")}"; do
    if [[ $c == '!files' ]]; then
      files=1
    elif [[ -n $c ]]; then
      candidates+=("$c")
    fi
  done
  [[ $cur == --*=* ]] && compset -P '*='
  ((${#candidates})) && compadd -- "${candidates[@]}"
  [[ -n $files ]] && _files
  return 0
}

compdef _liaison liaison
# Run when zsh autoloads this file as the function _liaison; not when it is sourced.
if [ "${funcstack[1]}" = "_liaison" ]; then
  _liaison "$@"
fi
)";
}

std::string fish_script(const std::vector<CommandSpec>& specs) {
  std::ostringstream s;
  const CommandSpec& top = specs[0];
  s << "# fish completion for liaison, generated by `liaison completion fish`.\n"
       "# Load it with: liaison completion fish | source\n"
       "# or install it as /usr/share/fish/vendor_completions.d/liaison.fish.\n\n";
  s << "# __liaison_takes_value PATH OPTION: whether OPTION takes a value in the command PATH.\n"
       "function __liaison_takes_value\n    switch $argv[2]\n        case";
  for (const auto& o : top.options)
    if (o.takes_value) s << ' ' << o.name;
  s << "\n            return 0\n    end\n    switch \"$argv[1] $argv[2]\"\n        case";
  bool any = false;
  for (const auto& spec : specs) {
    if (spec.path.empty()) continue;
    for (const auto& o : spec.options)
      if (o.takes_value) {
        s << ' ' << fish_quote(spec.path + " " + o.name);
        any = true;
      }
  }
  if (!any) s << " ''";
  s << "\n            return 0\n    end\n    return 1\nend\n\n";
  s << "# __liaison_groups: the commands that have subcommands.\nset -g __liaison_groups";
  for (const auto& spec : specs)
    if (!spec.path.empty() && !spec.subcommands.empty()) s << ' ' << spec.path;
  s << "\n\n";
  s << R"(# __liaison_path: the command on the line so far ("" for none yet, "party add" …).
function __liaison_path
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path
    set -l skip 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case '--*=*'
            case '-*'
                if __liaison_takes_value "$path" $t
                    set skip 1
                end
            case '*'
                if test (count $path) -eq 0
                    set path $t
                else if test (count $path) -eq 1; and contains -- $path[1] $__liaison_groups
                    set -a path $t
                end
        end
    end
    echo "$path"
end

function __liaison_at
    test (__liaison_path) = "$argv[1]"
end

# __liaison_values WHAT: asks liaison, with the --config and --db of the line; quietly.
function __liaison_values
    set -l tokens (commandline -opc)
    set -l vars
    for i in (seq 2 (count $tokens))
        switch $tokens[$i]
            case '--config=*'
                set -a vars LIAISON_CONFIG=(string replace -- '--config=' '' $tokens[$i])
            case '--db=*'
                set -a vars LIAISON_DB=(string replace -- '--db=' '' $tokens[$i])
            case --config --db
                if test $i -lt (count $tokens)
                    set -l name (string upper (string replace -- '--' 'LIAISON_' $tokens[$i]))
                    set -a vars $name=$tokens[(math $i + 1)]
                end
        end
    end
    env $vars $tokens[1] completion fish --values $argv[1] 2>/dev/null
end

complete -c liaison -f
)";
  // A value spec as fish's -a argument and file flag.
  auto fish_values = [](const ValueSpec& v) {
    std::string words, files;
    std::istringstream in(v);
    for (std::string w; in >> w;) {
      if (w == "!files") files = " -F";
      else if (w[0] == '@') words += (words.empty() ? "" : " ") + std::string("(__liaison_values ") + w.substr(1) + ")";
      else words += (words.empty() ? "" : " ") + w;
    }
    return (files.empty() ? std::string(" -x") : " -r" + files) + (words.empty() ? "" : " -a " + fish_quote(words));
  };
  for (const auto& spec : specs)
    for (const auto& sub : spec.subcommands) {
      std::string summary;
      if (const CommandSpec* child = find_spec(specs, spec.path.empty() ? sub : spec.path + " " + sub))
        summary = child->summary;
      s << "complete -c liaison -n " << fish_quote("__liaison_at " + fish_quote(spec.path)) << " -a " << fish_quote(sub);
      if (!summary.empty()) s << " -d " << fish_quote(summary);
      s << '\n';
    }
  for (const auto& o : top.options) {
    // A global option whose values differ in some commands (report --format) has a line
    // for those and one for the rest.
    std::string elsewhere;
    for (const auto& spec : specs) {
      if (spec.path.empty() || !o.takes_value || value_spec(spec.path, o.name) == o.values) continue;
      s << "complete -c liaison -n " << fish_quote("__liaison_at " + fish_quote(spec.path)) << " -l "
        << o.name.substr(2) << fish_values(value_spec(spec.path, o.name)) << " -d " << fish_quote(o.description) << '\n';
      elsewhere += (elsewhere.empty() ? "" : "; and ") + std::string("not __liaison_at ") + fish_quote(spec.path);
    }
    s << "complete -c liaison" << (elsewhere.empty() ? "" : " -n " + fish_quote(elsewhere)) << " -l " << o.name.substr(2);
    if (o.takes_value) s << fish_values(o.values);
    s << " -d " << fish_quote(o.description) << '\n';
  }
  for (const auto& spec : specs) {
    if (spec.path.empty()) continue;
    std::string at = " -n " + fish_quote("__liaison_at " + fish_quote(spec.path));
    for (const auto& o : spec.options) {
      if (std::any_of(top.options.begin(), top.options.end(), [&](const OptionSpec& g) { return g.name == o.name; }))
        continue;
      s << "complete -c liaison" << at << " -l " << o.name.substr(2);
      if (o.takes_value) s << fish_values(o.values);
      s << " -d " << fish_quote(o.description) << '\n';
    }
    // The first word after the command (each command takes at most one that completes).
    if (!spec.positionals.empty() && !spec.positionals[0].empty()) {
      std::istringstream in(spec.positionals[0]);
      std::string words, files;
      for (std::string w; in >> w;) {
        if (w == "!files") files = " -F";
        else words += (words.empty() ? "" : " ") + (w[0] == '@' ? "(__liaison_values " + w.substr(1) + ")" : w);
      }
      s << "complete -c liaison" << at << files << (words.empty() ? "" : " -a " + fish_quote(words)) << '\n';
    }
  }
  return s.str();
}

/// One `completion SHELL --values WHAT` answer: ids, one a line.
void print_values(const std::string& what, Env& env) {
  std::vector<std::string> out;
  if (what == "refs" || what == "closed-refs" || what == "parties") {
    env.prepare(Needs::store_read);
    if (what == "parties") {
      for (const auto& p : list_parties(env.context(), "")) out.push_back(p.id);
    } else {
      RecordFilter filter;
      filter.statuses = what == "refs" ? std::vector<Status>{Status::open, Status::acknowledged, Status::waiting}
                                       : std::vector<Status>{Status::closed};
      filter.descending = true;
      for (const auto& r : list_records(env.context(), std::move(filter))) out.push_back(r.ref);
    }
  } else {
    env.prepare(Needs::config);
    const Config& c = env.config();
    if (what == "kinds") for (const auto& k : c.kinds) out.push_back(k.id);
    if (what == "departments") for (const auto& d : c.departments) out.push_back(d.id);
    if (what == "users") for (const auto& u : c.users) out.push_back(u.id);
    if (what == "channels") for (const auto& ch : c.channels) out.push_back(ch.id);
    if (what == "levels") out = c.levels.order;
    if (what == "party-types") for (const auto& t : c.party_types) out.push_back(t.id);
    if (what == "topics") for (const auto& t : c.topics) out.push_back(t.id);
  }
  std::string text;
  for (const auto& v : out) text += v + '\n';
  print(text);
}

}  // namespace

struct CompletionOptions {
  std::string shell;
  std::string values;
};

Runner register_completion(CLI::App& app, Env& env) {
  auto o = std::make_shared<CompletionOptions>();
  app.add_option("shell", o->shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  // Hidden: what the scripts call back for values (kinds, departments, … refs), giving
  // their shell too: `liaison completion bash --values kinds`.
  app.add_option("--values", o->values, "")->group("")->check(CLI::IsMember(kValueKinds));
  const CLI::App* root = app.get_parent();
  return [o, &env, root] {
    if (!o->values.empty()) return print_values(o->values, env);
    auto specs = command_specs(*root);
    print(o->shell == "bash" ? bash_script(specs) : o->shell == "zsh" ? zsh_script(specs) : fish_script(specs));
  };
}

}  // namespace liaison::cli
