#!/usr/bin/env bash
# Output errors are errors (man liaison(1), EXIT STATUS 74):
#   1. every command that prints, with standard output on a full device (/dev/full), exits
#      74 with "liaison: cannot write to standard output: No space left on device (…)" —
#      small outputs (which fail only when flushed at the end) and streamed ones alike;
#   2. a writing command commits before it prints: what it stored stays, exit 74 or not;
#   3. --out: a directory that does not exist or cannot be written is exit 1 as before; a
#      file that cannot be written to the end (too large) is exit 74 and leaves nothing;
#   4. a reader that goes away (liaison … | head -1) is not an error: no message, status
#      141 as if by SIGPIPE, whether SIGPIPE is ignored or not (as git does);
#   5. --out in a directory others can write: the temporary file has a name no one can
#      guess, made with O_EXCL, so a link planted there is never written through; the file
#      is 0600; SIGTERM while it is written removes the temporary file (status 143).
. "$(dirname "$0")/lib.sh"

setup_workdir

at 2026-09-21T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
for i in 1 2 3; do
  run "$L" file --kind complaint --party svw --channel email --subject "支架尺寸超差 $i" --received "2026-09-21 08:40"
  expect_eq "$out" "EXT-2026-0000$i" "file EXT-$i"
done
run "$L" log EXT-2026-00001 "已通知供应商排查模具"
at 2026-10-20T09:00:00+08:00

# full CMD... → runs CMD with standard output on /dev/full; sets $status and $err
full() {
  _last_cmd="$* >/dev/full"
  "$@" >/dev/full 2>"$_tmp_root/.err" </dev/null
  status=$?
  out=""
  err="$(cat "$_tmp_root/.err")"
}
expect_full() {
  expect_status 74 "$1 >/dev/full exits 74"
  expect_match "$err" "^liaison: cannot write to standard output: No space left on device \(.+\)$" \
    "$1 >/dev/full says it cannot write to standard output, and what to do"
}

# --- 1. every printing command, standard output full ----------------------------------------------
full "$L" show EXT-2026-00001
expect_full "show"
full "$L" show EXT-2026-00001 --format json
expect_full "show --format json"
full "$L" search 支架
expect_full "search"
# the tabular commands, every format (each writes through lib/render's RowWriter)
for format in tsv csv json jsonl table md; do
  full "$L" list --format "$format"
  expect_full "list --format $format"
  full "$L" search 支架 --format "$format"
  expect_full "search --format $format"
  full "$L" party list --format "$format"
  expect_full "party list --format $format"
  full "$L" config matrix --format "$format"
  expect_full "config matrix --format $format"
  full "$L" overdue --format "$format"
  expect_full "overdue --format $format"
  full "$L" audit log --format "$format"
  expect_full "audit log --format $format"
  full "$L" query "SELECT ref, subject FROM records" --format "$format"
  expect_full "query --format $format"
done
full "$L" query --explain "SELECT ref FROM records"
expect_full "query --explain"
for format in jsonl csv; do
  full "$L" export --format "$format"
  expect_full "export --format $format"
done
for format in text json csv md html; do
  full "$L" report --period 2026-09 --format "$format"
  expect_full "report --format $format"
done
full "$L" config show
expect_full "config show"
full "$L" --help
expect_full "--help"
# streamed outputs far larger than any buffer fail while they are written
big="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT i, 'row ' || i AS text FROM n"
for format in tsv csv json jsonl table; do
  full "$L" query "$big" --format "$format"
  expect_full "query of 200000 rows --format $format"
done
# nothing but the error on stderr, once
full "$L" list
expect_eq "$(grep -c . <<<"$err")" "1" "one line on stderr"
# Chinese messages keep their 'liaison: ' form
full "$L" --lang zh list
expect_status 74 "--lang zh list >/dev/full exits 74"
expect_err_prefix "--lang zh: the error is a 'liaison: ' message"
expect_match "$err" "^liaison: 无法写入标准输出：.+ \(请腾出磁盘空间.+\)$" "--lang zh list >/dev/full: the message and the hint in Chinese"

# --- 2. a writing command commits before it prints -----------------------------------------------
before="$(db 'SELECT count(*) FROM records')"
full "$L" file --kind complaint --party svw --channel email --subject "写不出编号"
expect_full "file"
expect_eq "$(db 'SELECT count(*) FROM records')" "$((before + 1))" "file >/dev/full: the record is filed all the same"
expect_eq "$(db "SELECT ref FROM records WHERE subject = '写不出编号'")" "EXT-2026-00004" "… under the next number"
run "$L" audit verify
expect_status 0 "… and the history verifies"
# -q prints nothing, so there is nothing to fail
full "$L" -q log EXT-2026-00004 "安静地记录"
expect_status 0 "-q log >/dev/full prints nothing and succeeds"

# --- 3. --out ----------------------------------------------------------------------------------------
run "$L" export --out nodir/records.jsonl
expect_status 1 "export --out into a missing directory exits 1"
expect_contains "$err" "liaison: --out: cannot write nodir/records.jsonl: no directory nodir" "… naming the missing directory"
run "$L" report --period 2026-09 --out nodir/report.txt
expect_status 1 "report --out into a missing directory exits 1"
# /proc takes no new files, not even root's
run "$L" export --out /proc/records.jsonl
expect_status 1 "export --out into a directory that takes no files exits 1"
expect_match "$err" "^liaison: --out: cannot write /proc/records.jsonl: .+ \(check the directory's permissions and free space\)$" \
  "… saying why"
run "$L" --lang zh export --out /proc/records.jsonl
expect_match "$err" "^liaison: --out：无法写入 /proc/records.jsonl：.+ \(请检查目录权限和剩余空间\)$" \
  "--lang zh export --out into /proc: in Chinese"
if [ "$(id -u)" != 0 ]; then
  mkdir locked && chmod 555 locked
  run "$L" export --out locked/records.jsonl
  expect_status 1 "export --out into a read-only directory exits 1"
  expect_contains "$err" "Permission denied" "… permission denied"
  chmod 755 locked
fi
# a file that cannot be written to the end: bigger than the file size limit (SIGXFSZ ignored,
# so the write fails with EFBIG instead of killing liaison). In a database of its own with
# enough records (imported) that the export is far bigger than the limit, which leaves room
# for the database's own files.
main_dir="$PWD"
# workdir_with_records N → a fresh database holding one filed record and N imported copies
workdir_with_records() {
  setup_workdir
  run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
  run "$L" file --kind complaint --party svw --channel email --subject "模板"
  "$L" export >one.jsonl
  jq -c --argjson n "$1" 'select(.type == "record") | . as $r | range(100; 100 + $n) | . as $i
         | $r + {ref: ("EXT-2025-" + (("0000" + ($i | tostring))[-5:])), subject: ("批量 " + ($i | tostring))}' \
    one.jsonl >many.jsonl
  run "$L" import many.jsonl
  expect_status 0 "import $1 records"
}
workdir_with_records 400
# a list bigger than the row writer's 64 KiB chunks fails while it is written, and says so once
for format in json jsonl; do
  full "$L" list --status all --limit 0 --format "$format"
  expect_full "list of 400 records --format $format"
  expect_eq "$(grep -c . <<<"$err")" "1" "list of 400 records --format $format: one line on stderr"
done
_last_cmd="export --out big.jsonl with ulimit -f 256"
(trap '' XFSZ; ulimit -f 256; exec "$L" export --with-events --out big.jsonl) >"$_tmp_root/.out" 2>"$_tmp_root/.err" </dev/null
status=$?
err="$(cat "$_tmp_root/.err")"
expect_status 74 "export --out a file that cannot be written to the end exits 74"
expect_match "$err" "^liaison: --out: cannot write big.jsonl: File too large \(.+\)$" "… saying why"
expect_eq "$(ls -A | grep -c 'big.jsonl')" "0" "… and leaves no file, whole or partial, behind"
run "$L" export --with-events --out whole.jsonl
expect_status 0 "export --out with room succeeds"
expect_match "$(wc -c <whole.jsonl)" "^[0-9]{6,}$" "… and its file is bigger than the limit above"
cd "$main_dir" || exit 2

# --- 4. a reader that goes away -----------------------------------------------------------------------
run bash -c '"$0" list | head -1' "$L"
expect_status 0 "list | head -1 succeeds"
expect_eq "$err" "" "list | head -1: nothing on stderr"
expect_eq "$out" "$("$L" list | head -1)" "list | head -1: the first line"
# more than any pipe holds, so the reader is gone before liaison is done
_last_cmd="query (200000 rows) | head -1"
"$L" query "$big" 2>"$_tmp_root/.err" | head -1 >"$_tmp_root/.out"
status=${PIPESTATUS[0]}
expect_status 141 "a big query | head -1 ends by SIGPIPE"
expect_eq "$(cat "$_tmp_root/.err")" "" "… saying nothing"
expect_eq "$(cat "$_tmp_root/.out")" "1	row 1" "… after the first line"
_last_cmd="query (200000 rows) | head -1, SIGPIPE ignored"
(trap '' PIPE; "$L" query "$big" 2>"$_tmp_root/.err" | head -1 >"$_tmp_root/.out"; exit "${PIPESTATUS[0]}")
status=$?
expect_status 141 "with SIGPIPE ignored, the write fails with EPIPE: status 141 all the same"
expect_eq "$(cat "$_tmp_root/.err")" "" "… saying nothing"
_last_cmd="export | head -c 10, SIGPIPE ignored"
(trap '' PIPE; "$L" export --with-events 2>"$_tmp_root/.err" | head -c 10 >/dev/null; exit "${PIPESTATUS[0]}")
status=$?
expect_match "$status" "^(0|141)$" "export | head -c 10 with SIGPIPE ignored: 0 or 141, never an error"
expect_eq "$(cat "$_tmp_root/.err")" "" "… saying nothing"

# --- 5. planted links and an interrupted --out --------------------------------------------------------
workdir_with_records 1000  # a long export: ~400 KB of trace after the handshake
# The attack: links at the temporary names liaison used to take (.NAME.PID.tmp; the PID
# is known when the shell execs liaison) to a file the attacker wants overwritten.
echo "victim" >victim.txt
_last_cmd="export --out planted.jsonl, links planted at the temporary names"
bash -c 'ln -s victim.txt ".planted.jsonl.$$.tmp"; ln -s victim.txt ".planted.jsonl.$$"; exec "$0" export --out planted.jsonl' \
  "$L" >"$_tmp_root/.out" 2>"$_tmp_root/.err" </dev/null
status=$?
expect_status 0 "export --out with links planted beside it succeeds"
expect_eq "$(cat victim.txt)" "victim" "… and the linked file is untouched"
expect_eq "$(stat -c %F planted.jsonl)" "regular file" "… the output is a file of its own"
expect_eq "$(grep -c '"type":"record"' planted.jsonl)" "1001" "… holding every record"
expect_eq "$(stat -c %a planted.jsonl)" "600" "… readable by its owner only"
ln -s victim.txt linked.jsonl
run "$L" export --out linked.jsonl
expect_status 0 "export --out onto a link succeeds"
expect_eq "$(cat victim.txt)" "victim" "… replacing the link, not writing through it"
expect_eq "$(stat -c %F linked.jsonl)" "regular file" "… with a file of its own"

# SIGTERM while the file is written. Handshake: liaison writes its SQL trace into a FIFO;
# once the trace shows the export reading histories (the temporary file exists by then),
# the test stops reading it, so liaison blocks on the full pipe with ~400 KB of trace
# still to write: it is mid-export, the temporary file in place, when SIGTERM comes.
rm -f trace.fifo
mkfifo trace.fifo
exec {trace_fd}<>trace.fifo  # read-write: opening never blocks, and a command that fails early cannot hang it
LIAISON_TRACE_SQL="$PWD/trace.fifo" "$L" export --with-events --out interrupted.jsonl >/dev/null 2>"$_tmp_root/.err" &
export_pid=$!
seen=no
while IFS= read -r -t "${WAIT_CAP:-120}" -u "$trace_fd" line; do
  case "$line" in "SELECT e.id, e.record_id"*) seen=yes; break ;; esac
done
expect_eq "$seen" yes "export --with-events --out: the trace shows it reading histories"
expect_eq "$(ls -A | grep -c '^\.interrupted\.jsonl\.')" "1" "… while its temporary file is in place"
kill -TERM "$export_pid"
wait "$export_pid"
status=$?
exec {trace_fd}>&-
expect_status 143 "SIGTERM ends the export as SIGTERM does (143)"
expect_eq "$(ls -A | grep -c 'interrupted\.jsonl')" "0" "… and leaves no file, temporary or final, behind"

finish
