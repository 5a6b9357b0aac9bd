#!/usr/bin/env bash
# The manual pages cannot drift from the code:
#   1. every command that `liaison __commands` prints has its page,
#      man/liaison-<path with spaces as dashes>.1, and no page is left for a command
#      that no longer exists; liaison(1) and liaison.toml(5) exist;
#   2. every page (sections 1, 5 and 7) lints clean with `mandoc -T lint -W warning`
#      (no output at all);
#   3. every long option that `liaison <command> --help` prints appears in that
#      command's rendered page, and every global option of `liaison --help` in liaison(1);
#   4. each command page has the usual sections, shows `liaison <command>` and is
#      cross-referenced from liaison(1);
#   5. every section-7 page (liaison-views(7) …) is cross-referenced from liaison(1).
# Needs mandoc(1).
. "$(dirname "$0")/lib.sh"

MAN="$LIAISON_SRC/man"

if ! command -v mandoc >/dev/null 2>&1; then
  fail "mandoc is not installed: the man pages cannot be checked (apt-get install mandoc)"
  finish
fi
if [ ! -d "$MAN" ]; then
  fail "no man/ directory in $LIAISON_SRC"
  finish
fi

# The page rendered as plain text: overstrike (bold, underline) removed.
render() {
  mandoc -T ascii "$1" 2>/dev/null | sed $'s/.\b//g'
}

# The long options (--foo) that a --help text lists in its option column: lines such as
#   "  -h,--help   Print ...", "  --kind TEXT REQUIRED ...", "  --major Excludes: --not-major".
# Only the names that begin an entry count, not options mentioned in descriptions.
help_options() {
  sed -nE 's/^ +(-[A-Za-z0-9],)?(--[A-Za-z0-9][A-Za-z0-9-]*).*/\2/p' | sort -u
}

# has_option TEXT OPTION: OPTION appears in TEXT as a whole option name (so --major does
# not count as a mention of --maj, nor --not-major of --major).
has_option() {
  grep -qE -- "(^|[^A-Za-z0-9-])$2([^A-Za-z0-9-]|\$)" <<<"$1"
}

# --- 1. a page for every command, and no stale pages --------------------------------
run "$L" __commands
expect_status 0 "liaison __commands"
paths=()
while IFS=$'\t' read -r path _summary; do
  [ -n "$path" ] && paths+=("$path")
done <<<"$out"
_last_cmd=""  # the failures below are about files, not about the last command run
if [ "${#paths[@]}" -lt 1 ]; then
  fail "liaison __commands printed no commands"
fi

for page in liaison.1 liaison.toml.5 liaison-views.7 liaison-help.1; do
  if [ -f "$MAN/$page" ]; then pass "$page exists"; else fail "man/$page is missing"; fi
done

declare -A wanted=()
# `liaison help` is no row of the command table (run() turns it into --help before
# parsing), but users type it, so it has its page.
wanted[liaison-help.1]=1
for path in "${paths[@]}"; do
  page="liaison-${path// /-}.1"
  wanted[$page]=1
  if [ -f "$MAN/$page" ]; then
    pass "$page exists"
  else
    fail "command '$path' has no man page: man/$page is missing"
  fi
done
for f in "$MAN"/liaison-*.1; do
  [ -e "$f" ] || continue
  page="$(basename "$f")"
  if [ -n "${wanted[$page]:-}" ]; then
    pass "$page belongs to a command"
  else
    fail "man/$page documents no command that 'liaison __commands' prints (stale page?)"
  fi
done

# --- 2. lint clean ---------------------------------------------------------------
shopt -s nullglob
pages=("$MAN"/*.1 "$MAN"/*.5 "$MAN"/*.7)
shopt -u nullglob
for f in "${pages[@]}"; do
  lint="$(mandoc -T lint -W warning "$f" 2>&1)"
  rc=$?
  if [ -z "$lint" ] && [ "$rc" -eq 0 ]; then
    pass "$(basename "$f") lints clean"
  else
    fail "$(basename "$f"): mandoc -T lint -W warning (exit $rc):"
    printf '     %s\n' "${lint//$'\n'/$'\n'     }"
  fi
done

# --- 3. every option of --help is documented ---------------------------------------
check_options() {  # check_options PAGE-FILE "desc" HELP-TEXT
  local file="$1" desc="$2" help="$3" text opt missing=""
  text="$(render "$file")"
  for opt in $(help_options <<<"$help"); do
    if has_option "$text" "$opt"; then
      pass "$desc: $opt documented"
    else
      missing+=" $opt"
    fi
  done
  if [ -n "$missing" ]; then
    fail "$desc: option(s) in --help but not in $(basename "$file"):$missing"
  fi
}

run "$L" --help
expect_status 0 "liaison --help"
global_help="$out"
if [ -z "$(help_options <<<"$global_help")" ]; then
  fail "no options found in 'liaison --help' (has the help format changed?)"
fi
[ -f "$MAN/liaison.1" ] && check_options "$MAN/liaison.1" "liaison.1 (global options)" "$global_help"

for path in "${paths[@]}"; do
  page="$MAN/liaison-${path// /-}.1"
  [ -f "$page" ] || continue
  # shellcheck disable=SC2086  # the path is words: "config check" → config check
  run "$L" $path --help
  if [ "$status" -ne 0 ] || [ -z "$(help_options <<<"$out")" ]; then
    fail "'liaison $path --help' printed no options (exit $status)"
    continue
  fi
  check_options "$page" "liaison-${path// /-}.1" "$out"
done

# --- 4. structure and cross-references ------------------------------------------
_last_cmd=""
main_text=""
[ -f "$MAN/liaison.1" ] && main_text="$(render "$MAN/liaison.1")"
for path in "${paths[@]}"; do
  name="liaison-${path// /-}"
  page="$MAN/$name.1"
  [ -f "$page" ] || continue
  for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
    if grep -qE "^\.(Sh|SH) \"?$section\"?\$" "$page"; then
      pass "$name.1 has $section"
    else
      fail "$name.1 has no $section section"
    fi
  done
  text="$(render "$page")"
  expect_contains "$text" "liaison $path" "$name.1 shows 'liaison $path'"
  expect_contains "$text" "liaison(1)" "$name.1 refers to liaison(1)"
  expect_contains "$main_text" "$name(1)" "liaison.1 refers to $name(1)"
done

# --- 5. section-7 pages are reachable from liaison(1) --------------------------------
for f in "$MAN"/*.7; do
  [ -e "$f" ] || continue
  name="$(basename "$f" .7)"
  expect_contains "$main_text" "$name(7)" "liaison.1 refers to $name(7)"
done

finish
