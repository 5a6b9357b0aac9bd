#!/usr/bin/env bash
# Help and suggestions like git's (issue 14, point 1), and saying why text was redacted
# (point 8): the command list of a bare `liaison` (exit 0 on a terminal, 2 in a script),
# `liaison help [CMD [SUB]]`, "did you mean" for commands, subcommands and long options,
# CLI11's errors and every --help text in Chinese, and the one note on a terminal's
# stderr when a subject shows as [confidential] because nobody is acting.
# Terminals come from script(1) (util-linux): stdout and stderr both on one pseudo-terminal.
. "$(dirname "$0")/lib.sh"

# on_tty CMD... → $out (what the terminal shows, stdout and stderr, CRs dropped), $status
on_tty() {
  _last_cmd="(on a terminal) $*"
  local cmd
  printf -v cmd '%q ' "$@"
  script -qec "$cmd" /dev/null </dev/null >"$_tmp_root/.tty"
  status=$?
  out="$(tr -d '\r' <"$_tmp_root/.tty")"
  err=""
}

new_dir

# --- a bare `liaison`: the command list ---------------------------------------------------
on_tty "$L"
expect_status 0 "bare liaison on a terminal: exit 0"
expect_contains "$out" "usage: liaison [OPTIONS] COMMAND [ARGS]" "bare liaison: the usage line"
expect_match "$out" $'\n  list +list records\n' "bare liaison: a command with its summary, from the table"
expect_match "$out" $'\n  audit verify +check the history' "bare liaison: two-word commands listed whole"
# every command of the table is listed
missing=""
while IFS=$'\t' read -r path _; do
  [[ "$out" == *$'\n  '"$path "* ]] || missing+="$path, "
done < <("$L" __commands)
expect_eq "$missing" "" "bare liaison: every command of the table is listed"

run "$L"
expect_status 2 "bare liaison in a script: exit 2, as before"
expect_eq "$out" "" "bare liaison in a script: nothing on stdout"
expect_contains "$err" "usage: liaison [OPTIONS] COMMAND [ARGS]" "bare liaison in a script: the list on stderr"

on_tty "$L" --lang zh
expect_status 0 "bare liaison --lang zh on a terminal: exit 0"
expect_contains "$out" "用法：liaison [选项] 命令 [参数]" "bare liaison --lang zh: the usage line in Chinese"
expect_match "$out" $'\n  list +列出记录\n' "bare liaison --lang zh: the summaries in Chinese"
run env LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 "$L"
expect_contains "$err" "命令：" "bare liaison under LANG=zh_CN.UTF-8: Chinese"

# --- liaison help [CMD [SUB]] ------------------------------------------------------------
run "$L" help
expect_status 0 "liaison help: exit 0, in a script too"
expect_contains "$out" "usage: liaison [OPTIONS] COMMAND [ARGS]" "liaison help: the command list"
expect_eq "$err" "" "liaison help: nothing on stderr"

run "$L" help list
expect_status 0 "liaison help list: exit 0"
run "$L" list --help
expect_eq "$(run "$L" help list; echo "$out")" "$out" "liaison help list is liaison list --help"
expect_contains "$out" "--status" "liaison help list: list's options"

run "$L" help audit verify
expect_status 0 "liaison help audit verify: exit 0"
expect_contains "$out" "check the history's hash chain" "liaison help audit verify: its help"
expect_contains "$out" "--checkpoints" "liaison help audit verify: its options"

run "$L" help audit
expect_status 0 "liaison help audit: exit 0"
expect_contains "$out" "Subcommands:" "liaison help audit: the group's subcommands"
expect_contains "$out" "checkpoint" "liaison help audit: names checkpoint"

run "$L" --lang zh help file
expect_status 0 "liaison --lang zh help file: exit 0"
expect_contains "$out" "用法: liaison file [选项]" "help in Chinese: the usage heading and OPTIONS"
expect_contains "$out" $'\n选项:\n' "help in Chinese: the Options heading"
expect_contains "$out" "登记新记录并打印其编号" "help in Chinese: the command's summary"
expect_contains "$out" "一行主题" "help in Chinese: an option's description"
expect_contains "$out" "显示本帮助并退出" "help in Chinese: CLI11's own --help description"
expect_not_contains "$out" "one-line subject" "help in Chinese: no English description left"
# The descriptions stay in one column: padded by display width (必填 is 4 columns, 6 bytes).
expect_contains "$out" $'  --kind TEXT 必填            类别编号' "help in Chinese: a wide label keeps the column"
expect_contains "$out" $'  --body TEXT                 完整内容' "help in Chinese: … the same column as the others"

run env LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 "$L" --help
expect_contains "$out" "配置文件（默认" "liaison --help under a Chinese locale: global options in Chinese"
expect_contains "$out" $'\n子命令:\n' "liaison --help under a Chinese locale: the Subcommands heading"

run "$L" help help
expect_status 0 "liaison help help: the command list"
expect_contains "$out" "usage: liaison [OPTIONS] COMMAND [ARGS]" "liaison help help: the command list"

run "$L" help lsit
expect_status 2 "liaison help lsit: exit 2"
expect_contains "$err" "liaison: 'lsit' is not a liaison command (did you mean 'liaison list'?)" \
  "liaison help lsit: did you mean"

# Every summary and option description has its Chinese (a new option without one fails here).
run "$L" __help-untranslated
expect_status 0 "__help-untranslated runs"
expect_eq "$out" "" "every help text (summaries, options, headings) has a Chinese entry in the catalogue"

# --- did you mean ------------------------------------------------------------------------
run "$L" lsit
expect_status 2 "a mistyped command: exit 2"
expect_eq "$err" "liaison: 'lsit' is not a liaison command (did you mean 'liaison list'?)" "liaison lsit: did you mean list"
expect_eq "$out" "" "a mistyped command: nothing on stdout"

run "$L" --lang zh lsit
expect_eq "$err" "liaison: 'lsit' 不是 liaison 的命令 (是否是指 'liaison list'？)" "liaison lsit in Chinese"

run "$L" audit verfy
expect_status 2 "a mistyped subcommand: exit 2"
expect_eq "$err" "liaison: 'audit verfy' is not a liaison command (did you mean 'liaison audit verify'?)" \
  "liaison audit verfy: did you mean audit verify"

run "$L" audt verify
expect_contains "$err" "(did you mean 'liaison audit'?)" "a mistyped group: did you mean audit"

run "$L" frobnicate
expect_status 2 "an unknown command nothing is near: exit 2"
expect_eq "$err" "liaison: 'frobnicate' is not a liaison command (see 'liaison help' for the commands)" \
  "an unknown command nothing is near: where the commands are"

run "$L" list --stauts open
expect_status 2 "a mistyped option: exit 2"
expect_eq "$err" "liaison: 'liaison list' has no option --stauts (did you mean --status?)" "list --stauts: did you mean --status"

run "$L" list --stauts=open
expect_contains "$err" "(did you mean --status?)" "list --stauts=open: did you mean --status"

run "$L" list --lnag zh
expect_contains "$err" "(did you mean --lang?)" "a mistyped global option after the command: did you mean --lang"

run "$L" --lang zh audit log --revrse
expect_eq "$err" "liaison: 'liaison audit log' 没有选项 --revrse (是否是指 --reverse？)" "a mistyped option in Chinese"

run "$L" list --zzzzzzzz
expect_eq "$err" "liaison: 'liaison list' has no option --zzzzzzzz (see 'liaison list --help')" \
  "an unknown option nothing is near: see the command's help"

# A short option that does not exist: the long option of that letter, those of it, or the
# short options there are; a value that only looks like one (--sort -due) is no option.
run "$L" list -k
expect_status 2 "an unknown short option: exit 2"
expect_eq "$err" "liaison: 'liaison list' has no option -k (did you mean --kind?)" "list -k: did you mean --kind"
run "$L" list -s
expect_eq "$err" "liaison: 'liaison list' has no option -s (did you mean one of --status, --since, --sort?)" \
  "list -s: the long options beginning with s"
run "$L" list -x
expect_eq "$err" "liaison: 'liaison list' has no option -x (its short options are -h, -q)" \
  "list -x: no long option begins with x, so the short ones"
run "$L" --lang zh list -x
expect_eq "$err" "liaison: 'liaison list' 没有选项 -x (其短选项只有 -h, -q)" "an unknown short option in Chinese"
run "$L" --lang zh list -k
expect_eq "$err" "liaison: 'liaison list' 没有选项 -k (是否是指 --kind？)" "list -k in Chinese"
run "$L" --lang zh list -s
expect_contains "$err" "(是否是指 --status, --since, --sort 之一？)" "list -s in Chinese"
run "$L" list --sort -due --stauts open
expect_eq "$err" "liaison: 'liaison list' has no option --stauts (did you mean --status?)" \
  "--sort -due: a value beginning with - is no short option; the mistyped long one is named"

# --- CLI11's other errors, in Chinese -----------------------------------------------------
run "$L" audit
expect_status 2 "a group without its subcommand: exit 2"
expect_eq "$err" "liaison: A subcommand is required (see 'liaison audit --help')" "a group without its subcommand"
run "$L" --lang zh audit
expect_eq "$err" "liaison: 缺少子命令 (参见 'liaison audit --help')" "a group without its subcommand, in Chinese"

run "$L" --lang zh list --status
expect_status 2 "an option without its value: exit 2"
expect_eq "$err" "liaison: --status：缺少 1 个 TEXT 值 (参见 'liaison list --help')" "an option without its value, in Chinese"

run "$L" --lang zh show
expect_match "$err" "^liaison: 缺少必需的 ref " "a missing positional, in Chinese"

run "$L" --lang fr list
expect_eq "$err" "liaison: --lang: fr not in {zh,en} (see 'liaison list --help')" "a value not allowed"
run "$L" --lang zh --lang fr list
expect_contains "$err" "不在" "a value not allowed, in Chinese"

run "$L" --lang zh list --major --not-major
expect_match "$err" "^liaison: --(not-)?major 不能与 --(not-)?major 同时使用" "excluded options, in Chinese"

run "$L" --lang zh list a b
expect_match "$err" "^liaison: 多余的参数：" "extra arguments, in Chinese"

# --- point 8: why a subject reads [confidential] -------------------------------------------
setup_workdir
run "$L" file --kind complaint --direction internal --to quality --subject "供应商回扣线索" --level confidential
expect_status 0 "a confidential record is filed"
ref="$out"
# Nobody acting: no --as, no LIAISON_USER, and $USER names no [[user]] (the example trusts it).
nobody=(env -u LIAISON_USER USER=stranger)
on_tty "${nobody[@]}" "$L" --format tsv list
expect_status 0 "nobody acting, on a terminal: list works"
expect_contains "$out" "[confidential]" "nobody acting: the subject is redacted"
expect_contains "$out" "liaison: some text was shown as [confidential]: nobody is acting" "nobody acting: says why"
expect_contains "$out" "set LIAISON_USER=ID, give --as ID, or log in as a user whose [[user]] login is yours" \
  "nobody acting: says how to act as someone"
expect_eq "$(grep -c "nobody is acting" <<<"$out")" "1" "the note is said once"

on_tty "${nobody[@]}" "$L" --lang zh show "$ref"
expect_contains "$out" "[机密]" "nobody acting, in Chinese: redacted"
expect_contains "$out" "部分内容显示为 [机密]：当前没有确定的操作人" "nobody acting, in Chinese: says why"

run "${nobody[@]}" "$L" --format tsv list
expect_contains "$out" "[confidential]" "nobody acting in a script: redacted"
expect_eq "$err" "" "nobody acting in a script: no note (stderr is no terminal)"

on_tty "${nobody[@]}" "$L" --as li.xue --format tsv list
expect_not_contains "$out" "nobody is acting" "someone named by --as: no note"
on_tty env LIAISON_USER=li.xue "$L" --format tsv list
expect_not_contains "$out" "nobody is acting" "someone named by LIAISON_USER: no note"

on_tty "${nobody[@]}" "$L" --format tsv list --kind suggestion
expect_not_contains "$out" "nobody is acting" "nothing redacted: no note"

finish
