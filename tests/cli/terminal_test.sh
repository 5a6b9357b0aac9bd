#!/usr/bin/env bash
# On a terminal, as a user sees it (liaison(1), OUTPUT and PAGER; issue 14, point 5):
#   1. tables fit the terminal: at 80 columns every line of `list` is at most 80 columns
#      wide (by display width: CJK counts two), the subject is cut with "…" between
#      grapheme clusters, never inside one; --wide shows every cell whole; a pipe is never
#      cut, whatever COLUMNS says; without a size from the terminal, COLUMNS, else 80;
#   2. long output goes through the pager on a terminal: LIAISON_PAGER before PAGER before
#      "less -FRX"; not with --no-pager, an empty pager or "cat", nor in a pipe; a pager
#      that quits at once ends the command quietly; an error is shown after the pager;
#   3. --bom and [report] csv_bom: a UTF-8 byte-order mark before CSV, on every command
#      that writes CSV, read back by import.
# The terminal is a pseudo-terminal from script(1) (util-linux, in Debian's essential
# bsdutils), sized with stty; the pager is a stand-in script that leaves a marker file
# and copies what it reads, so nothing waits on time.
. "$(dirname "$0")/lib.sh"

if ! command -v script >/dev/null 2>&1; then
  fail "script(1) is installed (bsdutils)"
  finish
fi

setup_workdir

at 2026-09-21T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "party add svw"
# A long Chinese subject; then one whose cut would fall inside a cluster: flags (two
# regional indicators each) and decomposed accented letters (e + U+0301).
long="客户反馈：批次 2610 的外观划伤问题严重，要求八个工作日内给出 8D 报告并安排现场复核（含返工方案与费用）"
flags=""
for i in $(seq 1 40); do flags+=$'\U0001F1E8\U0001F1F3'; done
accents=""
for i in $(seq 1 60); do accents+=$'e\u0301'; done
for subject in "$long" "$flags" "$accents"; do
  run "$L" file --kind complaint --party svw --channel email --subject "$subject"
  expect_status 0 "file a record with a long subject"
done

# tty COLS CMD... → what CMD prints on a terminal COLS wide (CR removed); no pager
# unless the caller's environment names one.
tty() {
  local cols="$1"
  shift
  local cmd=""
  for arg in "$@"; do cmd+=" $(printf '%q' "$arg")"; done
  script -qec "stty cols $cols rows 50 2>/dev/null; $cmd" /dev/null </dev/null | tr -d '\r'
}
# widest TEXT → the display width of its widest line (ANSI colour removed), as a terminal
# shows it: East Asian wide and full-width characters two columns, combining marks none,
# the second regional indicator of a flag none.
widest() {
  python3 -c '
import re, sys, unicodedata
def width(line):
    w, previous_ri = 0, False
    for c in line:
        ri = 0x1F1E6 <= ord(c) <= 0x1F1FF
        if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        if ri and previous_ri:
            previous_ri = False
            continue
        previous_ri = ri
        w += 2 if ri or unicodedata.east_asian_width(c) in "WF" else 1
    return w
text = re.sub(r"\x1b\[[0-9;]*m", "", sys.stdin.read())
print(max((width(l) for l in text.split("\n")), default=0))' <<<"$1"
}

# ---------------------------------------------------------------------------------------
# 1. tables that fit
export LIAISON_PAGER=""
out="$(tty 80 "$L" list)"
expect_contains "$out" "EXT-2026-00001" "list on an 80-column terminal shows the records"
expect_eq "$(widest "$out")" 80 "every line at most 80 columns, the widest exactly 80"
expect_contains "$out" "…" "the long subject cut with …"
expect_not_contains "$out" "$long" "… not shown whole"
expect_contains "$out" "客户反" "… its beginning shown"
expect_not_contains "$out" $'\U0001F1E8…' "a flag is never cut in half"
expect_not_contains "$out" $'e…' "an accent is never cut from its letter"
expect_contains "$out" $'e\u0301…' "… the cut falls after a whole accented letter"
expect_contains "$out" "EXT-2026-00003" "the reference is never cut"

out="$(tty 120 "$L" list)"
expect_eq "$(widest "$out")" 120 "at 120 columns the table is 120 wide"
expect_match "$out" 'received +due' "at 120 columns every default column is shown"
expect_match "$out" '2026-09-21 09:00 +2026-' "… with the dates whole"

# At 80 columns the default columns are ~94 wide without the subject: the dates lose
# their year, then received and assignee are left out (liaison-list(1), Narrow terminals);
# the subject keeps 16 columns or more.
out="$(tty 80 "$L" list)"
header="$(head -1 <<<"$out" | sed 's/\x1b\[[0-9;]*m//g')"
expect_match "$header" '^ref +status +kind +owner +due +subject$' "80 columns: received and assignee left out, in that order"
expect_match "$out" 'EXT-2026-00001 .* [0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}  ' "80 columns: the due date without its year"
if [[ "$out" =~ 20[0-9]{2}-[0-9]{2}-[0-9]{2} ]]; then fail "80 columns: no date keeps its year"; else pass "80 columns: no date keeps its year"; fi
expect_contains "$out" "客户反馈：批次" "80 columns: the subject keeps 16 columns"
out="$(tty 60 "$L" list)"
header="$(head -1 <<<"$out" | sed 's/\x1b\[[0-9;]*m//g')"
expect_match "$header" '^ref +owner +due +subject$' "60 columns: then kind and status"
expect_eq "$(widest "$out")" 60 "60 columns: the table is 60 wide"
out="$(tty 80 "$L" --lang zh overdue --now 2026-11-20)"
expect_eq "$(widest "$out")" 80 "overdue at 80 columns, in Chinese: 80 wide"
expect_not_contains "$out" "2026-09" "overdue at 80 columns: the deadlines without their year"
# A pipe is untouched: the same bytes whatever the width.
expect_eq "$(COLUMNS=80 "$L" --format table list | md5sum)" "$(COLUMNS=300 "$L" --format table list | md5sum)" \
  "a pipe: the same table at any COLUMNS"
expect_match "$(COLUMNS=80 "$L" --format table list | head -1)" 'received +due' "a pipe: every column"

out="$(tty 80 "$L" --wide list)"
expect_contains "$out" "$long" "--wide: the subject whole"
expect_not_contains "$out" "…" "--wide: nothing cut"

out="$(COLUMNS=80 "$L" --format table list | cat)"
expect_contains "$out" "$long" "a pipe: not cut, whatever COLUMNS says"
expect_not_contains "$out" "…" "a pipe: nothing cut"

# A terminal that reports no size: COLUMNS, else 80.
out="$(COLUMNS=60 script -qec "stty cols 0 rows 0 2>/dev/null; $L list" /dev/null </dev/null | tr -d '\r')"
expect_eq "$(widest "$out")" 60 "no size from the terminal: COLUMNS (60)"
out="$(env -u COLUMNS script -qec "stty cols 0 rows 0 2>/dev/null; $L list" /dev/null </dev/null | tr -d '\r')"
expect_eq "$(widest "$out")" 80 "no size and no COLUMNS: 80"

out="$(tty 80 "$L" --lang zh list)"
expect_eq "$(widest "$out")" 80 "Chinese labels: still at most 80 columns"

# ---------------------------------------------------------------------------------------
# 2. the pager (a month later: the records are overdue, so `overdue` has rows)
at 2026-10-20T09:00:00+08:00
cat >pager <<'EOF'
#!/bin/sh
# A stand-in pager: says it ran (and with which LESS), then copies what it reads.
echo "LESS=$LESS" >"$PAGER_MARK"
cat >"$PAGER_MARK.text"
EOF
chmod +x pager
cat >other-pager <<'EOF'
#!/bin/sh
echo other >"$PAGER_MARK.other"
cat >/dev/null
EOF
chmod +x other-pager
export PAGER_MARK="$PWD/paged"
unset LIAISON_PAGER

reset_marks() { rm -f paged paged.text paged.other; }

reset_marks
tty_out="$(LIAISON_PAGER="$PWD/pager" PAGER="$PWD/other-pager" tty 200 "$L" list)"
if [ -f paged ]; then pass "list on a terminal: LIAISON_PAGER ran"; else fail "list on a terminal: LIAISON_PAGER ran"; fi
if [ ! -f paged.other ]; then pass "… and PAGER did not"; else fail "… and PAGER did not"; fi
expect_eq "$(cat paged 2>/dev/null)" "LESS=FRX" "the pager gets LESS=FRX"
expect_contains "$(cat paged.text 2>/dev/null)" "EXT-2026-00001" "the pager read the table"
expect_contains "$(cat paged.text 2>/dev/null)" "$long" "… fitted to the terminal (200 columns: whole)"
expect_not_contains "$tty_out" "EXT-2026-00001" "nothing reached the terminal but through the pager"

reset_marks
LESS=SR PAGER="$PWD/pager" tty 200 "$L" audit log >/dev/null
expect_eq "$(cat paged 2>/dev/null)" "LESS=SR" "PAGER when LIAISON_PAGER is not set; a LESS of the user's kept"
expect_contains "$(cat paged.text 2>/dev/null)" "EXT-2026-00003" "audit log goes through the pager"

paged_commands=("show EXT-2026-00001" "search 外观" "overdue" "party list" "config show")
paged_commands+=("report --period 2026-09")
for cmd in "${paged_commands[@]}"; do
  reset_marks
  # shellcheck disable=SC2086
  LIAISON_PAGER="$PWD/pager" tty 200 "$L" $cmd >/dev/null
  if [ -s paged.text ]; then pass "$cmd goes through the pager"; else fail "$cmd goes through the pager"; fi
done

reset_marks
out="$(LIAISON_PAGER="$PWD/pager" tty 200 "$L" --no-pager list)"
if [ ! -f paged ]; then pass "--no-pager: no pager"; else fail "--no-pager: no pager"; fi
expect_contains "$out" "EXT-2026-00001" "--no-pager: the table on the terminal"

for pager in "" "cat" " cat "; do
  reset_marks
  out="$(LIAISON_PAGER="$pager" PAGER="$PWD/pager" tty 200 "$L" list)"
  if [ ! -f paged ]; then pass "LIAISON_PAGER='$pager': no pager"; else fail "LIAISON_PAGER='$pager': no pager"; fi
  expect_contains "$out" "EXT-2026-00001" "LIAISON_PAGER='$pager': the table on the terminal"
done

reset_marks
run env LIAISON_PAGER="$PWD/pager" "$L" list
expect_status 0 "list in a pipe with a pager set"
if [ ! -f paged ]; then pass "a pipe: no pager"; else fail "a pipe: no pager"; fi
expect_contains "$out" "EXT-2026-00001" "a pipe: the rows as tsv"

reset_marks
LIAISON_PAGER="$PWD/pager" tty 200 "$L" file --kind complaint --party svw --channel email --subject "x" >/dev/null
if [ ! -f paged ]; then pass "file (one line) is not paged"; else fail "file (one line) is not paged"; fi

# A pager that quits without reading: the command ends quietly (0, or 141 if it was still
# writing), with nothing on standard error.
printf '#!/bin/sh\nexit 0\n' >quitter
chmod +x quitter
out="$(LIAISON_PAGER="$PWD/quitter" script -qec "stty cols 200; $L audit log; echo status=\$?" /dev/null </dev/null |
  tr -d '\r')"
expect_match "$out" 'status=(0|141)$' "a pager that quits at once: status 0 or 141"
expect_not_contains "$out" "liaison:" "… and no error message"

# An error after the pager started: the pager ends, then the message.
reset_marks
out="$(LIAISON_PAGER="$PWD/pager" script -qec "stty cols 200; $L list --status bogus; echo status=\$?" /dev/null \
  </dev/null | tr -d '\r')"
expect_match "$out" 'liaison: .*bogus' "an error is still shown with a pager"
expect_match "$out" 'status=2$' "… with its exit status"

# ---------------------------------------------------------------------------------------
# 3. the byte-order mark
bom=$'\xEF\xBB\xBF'
# first_bytes N TEXT → the first N bytes of TEXT (bash counts characters, not bytes)
first_bytes() { printf '%s' "$2" | head -c "$1"; }
run "$L" --format csv --bom list
expect_status 0 "list --format csv --bom"
expect_eq "$(first_bytes 3 "$out")" "$bom" "list: the BOM first"
expect_eq "$(first_bytes 7 "$out")" "${bom}ref," "… then the header"
run "$L" --format csv list
expect_eq "${out:0:4}" "ref," "no BOM unless asked"
for cmd in "overdue" "party list" "audit log" "search 外观" "config matrix"; do
  # shellcheck disable=SC2086
  run "$L" --format csv --bom $cmd
  expect_eq "$(first_bytes 3 "$out")" "$bom" "$cmd --format csv --bom: the BOM first"
done
run "$L" --format csv --bom query "SELECT ref FROM records ORDER BY ref LIMIT 1"
expect_eq "$out" "${bom}ref"$'\r\n'"EXT-2026-00001"$'\r' "query --format csv --bom"
run "$L" --format csv --bom report --period 2026-09
expect_eq "$(first_bytes 3 "$out")" "$bom" "report --format csv --bom"
expect_contains "$out" "section,dimension,key,name,metric,value" "… then the report's header"
run "$L" --format jsonl --bom list
expect_eq "${out:0:1}" "{" "--bom does nothing to JSON Lines"
run "$L" --format csv --bom export --out export.csv
expect_status 0 "export --format csv --bom --out"
expect_eq "$(head -c 3 export.csv)" "$bom" "export: the BOM first in the file"

# [report] csv_bom = true: the same without the option; import reads the file back.
cp liaison.toml liaison.toml.orig
sed -i '/^\[report\]$/a csv_bom = true' liaison.toml
run "$L" --format csv list
expect_status 0 "list with [report] csv_bom = true"
expect_eq "$(first_bytes 3 "$out")" "$bom" "[report] csv_bom: the BOM without --bom"
run "$L" --format tsv list
expect_not_contains "$out" "$bom" "[report] csv_bom: nothing for tsv"
# (other/ is a SQLite database whichever store the test runs on)
mkdir other && (cd other && unset LIAISON_DB && "$L" init >/dev/null 2>&1 &&
  "$L" party add "上汽大众汽车有限公司" --id svw --type customer >/dev/null)
run "$L" --config other/liaison.toml --db other/records.db import export.csv
expect_status 0 "import reads a CSV file with a BOM"
expect_eq "$(DB=other/records.db db 'SELECT count(*) FROM records')" "$(db 'SELECT count(*) FROM records')" \
  "… every record"

sed '/^\[report\]$/a csv_bom = "yes"' liaison.toml.orig >bad.toml
run "$L" --config bad.toml config check
expect_status 78 "[report] csv_bom = \"yes\": a config error"
expect_contains "$err" "csv_bom" "… naming the key"

finish
