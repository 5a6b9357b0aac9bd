#!/usr/bin/env bash
# liaison completion bash|zsh|fish: each script loads in its shell (bash -n, zsh -n,
# fish -n), and completes in it: bash through its completion function (COMP_WORDS,
# COMP_CWORD → COMPREPLY), zsh through the walk its function uses, fish through
# `complete -C`. Commands, subcommands, options, values from the config (kinds, users,
# departments, channels) and open references, which follow the config and the database
# as they change. And `completion SHELL --values`, which the scripts call, and its errors.
. "$(dirname "$0")/lib.sh"

setup_workdir
"$L" party add "上汽大众汽车有限公司" --id svw --type customer >/dev/null
open_ref=$("$L" file --kind complaint --party svw --channel email --subject "孔距超差")
closed_ref=$("$L" file --kind inquiry --party svw --channel phone --subject "交期")
"$L" close "$closed_ref" --resolution "answered" --reply-via phone >/dev/null
# The scripts call liaison by the name typed; tests type `liaison`.
mkdir bin
export LIAISON_COMPLETION_DIR="$PWD"
ln -s "$L" bin/liaison
export PATH="$PWD/bin:$PATH"

# --- the scripts: generated, and they parse in their shells --------------------------------
for shell in bash zsh fish; do
  run "$L" completion "$shell"
  expect_status 0 "completion $shell"
  expect_eq "$err" "" "completion $shell: nothing on stderr"
  printf '%s\n' "$out" >"liaison.$shell"
done
expect_contains "$(cat liaison.bash)" "complete -F _liaison liaison" "the bash script registers _liaison"
expect_contains "$(head -1 liaison.zsh)" "#compdef liaison" "the zsh script is a compdef file"
expect_contains "$(cat liaison.fish)" "complete -c liaison" "the fish script declares completions"

run bash -n liaison.bash
expect_status 0 "bash -n accepts the bash script"
if command -v zsh >/dev/null; then
  run zsh -n liaison.zsh
  expect_status 0 "zsh -n accepts the zsh script"
else
  fail "zsh is not installed (scripts/setup installs it)"
fi
if command -v fish >/dev/null; then
  run fish -n liaison.fish
  expect_status 0 "fish -n accepts the fish script"
else
  fail "fish is not installed (scripts/setup installs it)"
fi

# --- bash: the completion function, as bash calls it --------------------------------------
# complete WORD...: COMPREPLY for the line `WORD...`, the cursor at the end of the last
# word (give "" for an empty word after a space), one candidate a line, sorted.
complete_bash() {
  bash -c '
    source "$LIAISON_COMPLETION_DIR/liaison.bash"
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _liaison
    printf "%s\n" "${COMPREPLY[@]}" | sort' bash "$@"
}

run complete_bash liaison li
expect_eq "$out" "list" "bash: a command"
run complete_bash liaison pa
expect_eq "$out" "party" "bash: a command group"
run complete_bash liaison party ""
expect_eq "$out" $'add\nedit\nlist\nshow' "bash: the subcommands of a group"
run complete_bash liaison list --ki
expect_eq "$out" "--kind" "bash: an option of the command"
run complete_bash liaison party add --i
expect_eq "$out" "--id" "bash: an option of a subcommand"
run complete_bash liaison show --fo
expect_eq "$out" "--format" "bash: a global option after the command"
run complete_bash liaison list --kind co
expect_eq "$out" "complaint" "bash: a kind from the config"
run complete_bash liaison list --kind = in
expect_eq "$out" $'inquiry\ninstruction' "bash: --kind=VALUE, which bash splits at '='"
run complete_bash liaison list --dept ""
expect_contains "$out" "quality" "bash: departments from the config"
run complete_bash liaison --as zhou
expect_eq "$out" "zhou.jianguo" "bash: users from the config for --as"
run complete_bash liaison file --channel ""
expect_contains "$out" "email" "bash: channels from the config"
run complete_bash liaison show ""
expect_eq "$out" "$open_ref" "bash: the open reference, not the closed one"
run complete_bash liaison --format json ack ""
expect_eq "$out" "$open_ref" "bash: references after a global option with its value"
run complete_bash liaison reopen ""
expect_eq "$out" "$closed_ref" "bash: reopen offers the closed reference"
run complete_bash liaison --lang ""
expect_eq "$out" $'en\nzh' "bash: a fixed set of values"
run complete_bash liaison report --format ""
expect_contains "$out" "html" "bash: report's own --format values"
run complete_bash liaison list --format ""
expect_not_contains "$out" "html" "bash: list's --format values are not the report's"
run complete_bash liaison completion ""
expect_eq "$out" $'bash\nfish\nzsh' "bash: completion's shells"
run complete_bash liaison list --subject ""
expect_eq "$out" "" "bash: nothing for an option without a set of values"

# The values follow the config as it changes: a new kind appears at once.
cp liaison.toml liaison.toml.orig
cat >>liaison.toml <<'EOF'

[[kind]]
id = "compliment"
name = "表扬"
resolve = { internal = "3wd", external = "5wd" }
EOF
if "$L" config check >/dev/null 2>&1; then
  run complete_bash liaison list --kind comp
  expect_eq "$out" $'complaint\ncompliment' "bash: a kind added to the config is offered at once"
else
  fail "the test's added [[kind]] does not validate: $("$L" config check 2>&1 | head -3)"
fi
cp liaison.toml.orig liaison.toml

# --config on the line being completed is the config asked: elsewhere, no config at all.
mkdir elsewhere
cp liaison.toml elsewhere/other.toml
cd elsewhere
run complete_bash liaison list --kind co
expect_eq "$out" "" "bash: no config here, nothing offered and no error shown"
run complete_bash liaison --config other.toml list --kind co
expect_eq "$out" "complaint" "bash: the --config given on the line is used"
run complete_bash liaison --config=other.toml list --kind co
expect_eq "$out" "complaint" "bash: --config=FILE given on the line is used"
cd ..

# --- zsh: the same walk, run by zsh ------------------------------------------------------------
if command -v zsh >/dev/null; then
  complete_zsh() {
    zsh -fc 'autoload -U compinit && compinit -u -D && source ./liaison.zsh && __liaison_candidates "$@" | sort' zsh "$@"
  }
  run complete_zsh liaison "" list --kind
  expect_contains "$out" "complaint" "zsh: kinds from the config"
  run complete_zsh liaison "" show
  expect_eq "$out" "$open_ref" "zsh: the open reference"
  run complete_zsh liaison "" party
  expect_eq "$out" $'add\nedit\nlist\nshow' "zsh: the subcommands of a group"
  run complete_zsh liaison "--" party add
  expect_contains "$out" "--id" "zsh: the options of a subcommand"
  # And a real interactive zsh on a pseudo-terminal: TAB after `--kind co` completes the
  # line (zpty -r waits for the text; timeout ends it if it never comes).
  run timeout 30 zsh -f -c '
    zmodload zsh/zpty
    zpty z "zsh -f -i"
    zpty -w z "PS1=\"> \"; autoload -U compinit; compinit -u -D; source ./liaison.zsh; print READY"
    zpty -r z seen "*READY*"
    zpty -w -n z "liaison list --kind co"$'"'"'\t'"'"'
    zpty -r z seen "*--kind complaint*" && print -r -- completed'
  expect_eq "$out" "completed" "zsh: TAB completes --kind co to complaint in an interactive zsh"
fi

# --- fish: complete -C completes a command line as fish would -----------------------------
if command -v fish >/dev/null; then
  complete_fish() {
    fish -c 'source liaison.fish; complete -C $argv[1]' "$1" | cut -f1 | sort
  }
  run complete_fish "liaison sh"
  expect_eq "$out" "show" "fish: a command"
  run complete_fish "liaison party "
  expect_eq "$out" $'add\nedit\nlist\nshow' "fish: the subcommands of a group"
  run complete_fish "liaison list --kind co"
  expect_eq "$out" "complaint" "fish: a kind from the config"
  run complete_fish "liaison close "
  expect_eq "$out" "$open_ref" "fish: the open reference"
  run complete_fish "liaison party show --"
  expect_not_contains "$out" "--id" "fish: party add's options are not party show's"
fi

# --- completion SHELL --values: what the scripts call back ------------------------------------------
run "$L" completion bash --values kinds
expect_status 0 "completion --values kinds"
expect_contains "$out" "complaint" "--values kinds lists the config's kinds"
run "$L" completion bash --values parties
expect_eq "$out" "svw" "--values parties lists the registered parties"
run "$L" completion bash --values refs
expect_eq "$out" "$open_ref" "--values refs lists the open records"

# Errors: a shell it does not know, none, both, a value set it does not know.
run "$L" completion tcsh
expect_status 2 "an unknown shell is a usage error"
expect_err_prefix "completion tcsh"
expect_contains "$err" "tcsh" "the error names the shell"
expect_eq "$out" "" "nothing on stdout for an unknown shell"
run "$L" completion
expect_status 2 "no shell is a usage error"
expect_err_prefix "completion with no shell"
expect_contains "$err" "shell" "the error says the shell is missing"
run "$L" completion bash --values colours
expect_status 2 "an unknown --values set is a usage error"
run env -u LIAISON_USER sh -c 'cd elsewhere && "$0" completion zsh --values kinds' "$L"
expect_status 78 "--values with no config fails with the config status (the scripts hide it)"

finish
