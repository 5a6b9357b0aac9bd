#!/usr/bin/env bash
# Concurrent writers against one SQLite database (WAL, busy_timeout,
# BEGIN IMMEDIATE — concurrent writers queue instead of failing; record numbers are
# gap-free; a failed filing consumes no number; nothing half-written is left behind).
#
#   1. 4 processes each file 100 external complaints at once (plus a reader running
#      list / audit verify meanwhile): every command exits 0, 400 records, references
#      EXT-2026-00001..00400 exactly, event ids 1..N gap-free, audit verify passes.
#   2. 4 processes each file 20 records alternating internal/external: both sequences
#      continue gap-free independently.
#   3. A filing that fails validation consumes no number (the next one gets the next).
#   4. A write lock held by another process is waited on (exit 0 once it is released);
#      one held past the 10 s busy timeout makes the filing fail with 75 and write nothing;
#      a filing killed while it waits leaves nothing. The holder keeps the lock until the
#      test releases it, so no case depends on timing.
#   5. Filings killed (SIGKILL) at random moments leave no half-written record: every
#      record has its filed event and clocks, numbers stay gap-free, the chain verifies.
. "$(dirname "$0")/lib.sh"

setup_workdir

run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "party add svw"

# all references of a sequence prefix, sorted
refs_of() { db "SELECT ref FROM records WHERE ref LIKE '$1%' ORDER BY ref"; }
# EXT-2026-00001 … EXT-2026-0000N
expected_refs() {
  local prefix="$1" from="$2" to="$3" i
  for ((i = from; i <= to; i++)); do printf '%s%05d\n' "$prefix" "$i"; done
}
# expect_lines ACTUAL EXPECTED "desc": like expect_eq, but on failure shows a short diff
expect_lines() {
  if [ "$1" == "$2" ]; then
    pass "$3"
  else
    fail "$3"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$1") | head -8 | sed 's/^/     /'
  fi
}
# events: "count min max" (ids 1..N gap-free ⇔ "N 1 N")
event_ids() { db "SELECT count(*) || ' ' || coalesce(min(id),0) || ' ' || coalesce(max(id),0) FROM events"; }
expect_events_gap_free() {
  local c mn mx
  read -r c mn mx <<<"$(event_ids)"
  if [ "$c" -gt 0 ] && [ "$mn" = 1 ] && [ "$mx" = "$c" ]; then pass "$1: event ids 1..$c without gaps"
  else fail "$1: event ids not 1..N (count $c, min $mn, max $mx)"; fi
}
expect_verify_ok() {
  run "$L" audit verify
  expect_status 0 "$1: audit verify passes"
  expect_match "$out" "^ok: [0-9]+ events, hash chain intact" "$1: audit verify reports an intact chain"
}
# every record has exactly one 'filed' event and its clocks (nothing half-written)
expect_records_whole() {
  expect_eq "$(db "SELECT count(*) FROM records r WHERE (SELECT count(*) FROM events e WHERE e.record_id = r.id AND e.type = 'filed') <> 1")" \
    "0" "$1: every record has exactly one 'filed' event"
  expect_eq "$(db "SELECT count(*) FROM records r WHERE NOT EXISTS (SELECT 1 FROM clocks c WHERE c.record_id = r.id)")" \
    "0" "$1: every record has its clocks"
  expect_eq "$(db "SELECT count(*) FROM events e WHERE e.record_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM records r WHERE r.id = e.record_id)")" \
    "0" "$1: no event points at a missing record"
  expect_eq "$(db "SELECT count(*) FROM clocks c WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.id = c.record_id)")" \
    "0" "$1: no orphan clocks"
  expect_eq "$(db 'PRAGMA integrity_check')" "ok" "$1: integrity_check ok"
}

now_ms() { date +%s%3N; }
secs_since() { local d=$(( $(now_ms) - $1 )); printf '%d.%d' $((d / 1000)) $((d % 1000 / 100)); }

work="$PWD/.conc"   # inside the work dir, so lib.sh removes it
mkdir -p "$work"

# ---------------------------------------------------------------------------------------
# 1. 4 writers × 100 external complaints, at once; a reader runs meanwhile.
writer() {  # writer W N → $work/w$W.log lines "W I STATUS REF"; stderr → $work/w$W.err
  local w="$1" n="$2" i ref st
  for ((i = 1; i <= n; i++)); do
    ref="$("$L" file --kind complaint --party svw --channel email --subject "并发投诉 w$w #$i" 2>>"$work/w$w.err" </dev/null)"
    st=$?
    printf '%s %s %s %s\n' "$w" "$i" "$st" "$ref" >>"$work/w$w.log"
  done
}
reader() {  # runs list and audit verify until $work/stop exists → $work/r.log "CMD STATUS"
  local st
  while [ ! -e "$work/stop" ]; do
    "$L" list --format tsv >/dev/null 2>>"$work/r.err" </dev/null
    printf 'list %s\n' "$?" >>"$work/r.log"
    "$L" audit verify >/dev/null 2>>"$work/r.err" </dev/null
    printf 'verify %s\n' "$?" >>"$work/r.log"
  done
}

start=$(now_ms)
reader &
rpid=$!
pids=()
for w in 1 2 3 4; do
  writer "$w" 100 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
elapsed=$(secs_since "$start")
touch "$work/stop"
wait "$rpid"
printf 'concurrency: 4 x 100 filings took %s s\n' "$elapsed"

cat "$work"/w?.log >"$work/all.log"
expect_eq "$(wc -l <"$work/all.log")" "400" "400 filing commands ran"
expect_eq "$(awk '$3 != 0' "$work/all.log" | wc -l)" "0" "every one of the 400 concurrent filings exited 0"
if [ -s "$work/w1.err" ] || [ -s "$work/w2.err" ] || [ -s "$work/w3.err" ] || [ -s "$work/w4.err" ]; then
  fail "concurrent filings wrote to stderr: $(cat "$work"/w?.err | sort | uniq -c | head -5)"
else
  pass "concurrent filings wrote nothing to stderr"
fi
expect_eq "$(db 'SELECT count(*) FROM records')" "400" "exactly 400 records"
expect_eq "$(db 'SELECT count(DISTINCT ref) FROM records')" "400" "400 distinct references"
expect_lines "$(refs_of EXT-2026-)" "$(expected_refs EXT-2026- 1 400)" "references are EXT-2026-00001..00400, gap-free"
expect_lines "$(awk '{print $4}' "$work/all.log" | sort)" "$(expected_refs EXT-2026- 1 400)" \
  "each command printed its own reference, none twice"
expect_eq "$(db "SELECT last FROM sequences WHERE name = 'EXT-2026-'")" "400" "sequence EXT-2026- is at 400"
# each writer's records are in the order it filed them (its references increase)
bad_order=0
for w in 1 2 3 4; do
  if ! awk '{print $4}' "$work/w$w.log" | sort -c 2>/dev/null; then bad_order=1; fi
done
expect_eq "$bad_order" "0" "each writer's references increase in its own filing order"
# the subject each writer gave ended up on the reference it was told
mism=0
while read -r w i st ref; do
  [ "$(db "SELECT subject FROM records WHERE ref = '$ref'")" = "并发投诉 w$w #$i" ] || mism=$((mism + 1))
done < <(awk 'NR % 37 == 0' "$work/all.log")
expect_eq "$mism" "0" "sampled references carry the subject their writer gave"
expect_events_gap_free "after 400 concurrent filings"
expect_eq "$(db "SELECT count(*) FROM events WHERE type = 'filed'")" "400" "400 'filed' events"
expect_records_whole "after 400 concurrent filings"
expect_verify_ok "after 400 concurrent filings"
expect_eq "$(db 'PRAGMA journal_mode')" "wal" "database is in WAL mode"
reads="$(wc -l <"$work/r.log")"
expect_eq "$(awk '$2 != 0' "$work/r.log" | wc -l)" "0" "every concurrent list/verify ($reads reads) exited 0"
[ -s "$work/r.err" ] && fail "concurrent readers wrote to stderr: $(head -c 400 "$work/r.err")" || pass "concurrent readers wrote nothing to stderr"

# ---------------------------------------------------------------------------------------
# 2. mixed internal/external concurrent filings: two independent gap-free sequences
mixed() {  # mixed W N: odd I external, even I internal
  local w="$1" n="$2" i ref st
  for ((i = 1; i <= n; i++)); do
    if ((i % 2)); then
      ref="$("$L" file --kind complaint --party svw --channel phone --subject "m w$w #$i" 2>>"$work/m$w.err" </dev/null)"
    else
      ref="$("$L" file --kind complaint --from production --channel memo --subject "m w$w #$i" 2>>"$work/m$w.err" </dev/null)"
    fi
    st=$?
    printf '%s %s %s %s\n' "$w" "$i" "$st" "$ref" >>"$work/m$w.log"
  done
}
int_before="$(db "SELECT count(*) FROM records WHERE ref LIKE 'INT-%'")"
start=$(now_ms)
pids=()
for w in 1 2 3 4; do
  mixed "$w" 20 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
elapsed2=$(secs_since "$start")
printf 'concurrency: 4 x 20 mixed filings took %s s\n' "$elapsed2"
cat "$work"/m?.log >"$work/mixed.log"
expect_eq "$(awk '$3 != 0' "$work/mixed.log" | wc -l)" "0" "every one of the 80 mixed concurrent filings exited 0"
expect_eq "$int_before" "0" "no internal records before the mixed run"
expect_lines "$(refs_of INT-2026-)" "$(expected_refs INT-2026- 1 40)" "internal references INT-2026-00001..00040, gap-free"
expect_lines "$(refs_of EXT-2026-)" "$(expected_refs EXT-2026- 1 440)" "external references continue to EXT-2026-00440, gap-free"
expect_events_gap_free "after the mixed run"
expect_records_whole "after the mixed run"
expect_verify_ok "after the mixed run"

# 2b. read-then-write commands at once: `log` reads the record inside its transaction, so
# it only queues cleanly if the transaction takes the write lock up front (BEGIN IMMEDIATE;
# a deferred one would fail with SQLITE_BUSY when another writer got in first).
logger() {  # logger W N: N notes, round-robin over EXT-2026-00001..00004 (25 each from 4 × 25)
  local w="$1" n="$2" i st
  for ((i = 1; i <= n; i++)); do
    "$L" log "$(printf 'EXT-2026-%05d' $((((w + i) % 4) + 1)))" "并发记录 w$w #$i" >/dev/null 2>>"$work/g$w.err" </dev/null
    st=$?
    printf '%s %s %s\n' "$w" "$i" "$st" >>"$work/g$w.log"
  done
}
events_before="$(db 'SELECT count(*) FROM events')"
start=$(now_ms)
pids=()
for w in 1 2 3 4; do
  logger "$w" 25 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
printf 'concurrency: 4 x 25 concurrent log commands took %s s\n' "$(secs_since "$start")"
cat "$work"/g?.log >"$work/logs.log"
expect_eq "$(awk '$3 != 0' "$work/logs.log" | wc -l)" "0" "every one of the 100 concurrent log commands exited 0"
if cat "$work"/g?.err 2>/dev/null | grep -q .; then
  fail "concurrent log commands wrote to stderr: $(cat "$work"/g?.err | sort | uniq -c | head -5)"
else
  pass "concurrent log commands wrote nothing to stderr"
fi
expect_eq "$(db 'SELECT count(*) FROM events')" "$((events_before + 100))" "100 new events"
expect_eq "$(db "SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n FROM events e JOIN records r ON r.id = e.record_id WHERE e.type = 'logged' AND e.data LIKE '%并发记录%' GROUP BY r.ref ORDER BY r.ref)")" \
  "25 25 25 25" "25 notes on each of EXT-2026-00001..00004"
expect_events_gap_free "after the concurrent log commands"
expect_verify_ok "after the concurrent log commands"

# ---------------------------------------------------------------------------------------
# 3. a filing that fails validation consumes no number
before="$(counts)"
run "$L" file --kind complaint --party svw --subject "没有渠道"
expect_status 65 "external complaint without --channel is refused (65)"
run "$L" file --kind complaint --party nobody --channel email --subject "未登记的相关方"
expect_status 4 "filing for an unregistered party is refused (4)"
run "$L" file --kind nosuchkind --party svw --channel email --subject "x"
expect_status 65 "filing an unknown kind is refused (65)"
expect_eq "$(counts)" "$before" "refused filings wrote nothing"
expect_eq "$(db "SELECT last FROM sequences WHERE name = 'EXT-2026-'")" "440" "refused filings consumed no number"
run "$L" file --kind complaint --party svw --channel email --subject "拒绝之后"
expect_status 0 "the next valid filing succeeds"
expect_eq "$out" "EXT-2026-00441" "… and gets the next number, EXT-2026-00441"

# ---------------------------------------------------------------------------------------
# 4. another process holds the write lock (lib.sh's holder keeps it until released, so
# every case below is what it is by construction, however slow the machine)

# 4a. held while the filing starts: the filing waits for it (asleep in the busy handler,
# having written nothing) and, once the lock is released, succeeds
if hold_db_lock; then
  before="$(counts)"
  watch_lock_wait
  LIAISON_TRACE_SQL="$LOCK_DIR/trace" "$L" file --kind complaint --party svw --channel email --subject "等待锁" \
    >"$work/4a.out" 2>"$work/4a.err" </dev/null &
  fpid=$!
  lock_wait_seen "a filing waits for another process's write lock"
  expect_eq "$(counts)" "$before" "… having written nothing while it waits"
  release_db_lock
  wait "$fpid"
  status=$?
  expect_eq "$status" "0" "… and succeeds once the lock is released"
  expect_eq "$(cat "$work/4a.out")" "EXT-2026-00442" "… and gets the next number"
  expect_eq "$(cat "$work/4a.err")" "" "… and says nothing on stderr"
fi

# 4b. held past the busy timeout (10 s; the lock is released only after the filing has
# given up): the filing fails with 75 and writes nothing
if hold_db_lock; then
  before="$(counts)"
  run "$L" file --kind complaint --party svw --channel email --subject "锁超时"
  expect_status 75 "a filing blocked past the busy timeout exits 75"
  expect_contains "$err" "busy" "… saying the database is busy"
  expect_err_prefix "… as a 'liaison: ' message"
  release_db_lock
  expect_eq "$(counts)" "$before" "… and wrote nothing"
  expect_eq "$(db "SELECT last FROM sequences WHERE name = 'EXT-2026-'")" "442" "… and consumed no number"
fi

# 4c. a filing killed while it waits for the lock leaves nothing behind
if hold_db_lock; then
  before="$(counts)"
  watch_lock_wait
  LIAISON_TRACE_SQL="$LOCK_DIR/trace" "$L" file --kind complaint --party svw --channel email --subject "被杀死" \
    >/dev/null 2>&1 </dev/null &
  fpid=$!
  lock_wait_seen "the filing to be killed waits for the lock"
  kill -KILL "$fpid" 2>/dev/null
  wait "$fpid" 2>/dev/null
  release_db_lock
  expect_eq "$(counts)" "$before" "a filing killed while waiting for the lock wrote nothing"
  run "$L" file --kind complaint --party svw --channel email --subject "杀死之后"
  expect_eq "$out" "EXT-2026-00443" "… and consumed no number"
fi

# ---------------------------------------------------------------------------------------
# 5. filings killed at random moments (some land inside the transaction): timeout(1)
# sends SIGKILL 0–99 ms after the start. The moment is random on purpose and nothing
# checked depends on it: wherever the kill lands, the database must be whole.
killed=0
for k in $(seq 1 30); do
  # (in a subshell whose stderr is dropped, so the shell's "Killed" notice is too)
  (timeout --signal=KILL "0.0$((RANDOM % 10))$((RANDOM % 10))" \
    "$L" file --kind complaint --party svw --channel email --subject "随机杀死 $k" </dev/null >/dev/null; exit $?) 2>/dev/null
  [ $? -eq 137 ] && killed=$((killed + 1))
done
printf 'concurrency: %s of 30 filings were killed before they finished\n' "$killed"
n_ext="$(db "SELECT count(*) FROM records WHERE ref LIKE 'EXT-2026-%'")"
expect_lines "$(refs_of EXT-2026-)" "$(expected_refs EXT-2026- 1 "$n_ext")" "after random kills: references still gap-free ($n_ext)"
expect_eq "$(db "SELECT last FROM sequences WHERE name = 'EXT-2026-'")" "$n_ext" "after random kills: sequence matches the records"
expect_events_gap_free "after random kills"
expect_records_whole "after random kills"
expect_verify_ok "after random kills"
run "$L" file --kind complaint --party svw --channel email --subject "最后一件"
expect_status 0 "filing works after the kills"
expect_eq "$out" "$(printf 'EXT-2026-%05d' $((n_ext + 1)))" "… with the next number"

# 5b. killed half-way for certain: under gdb, stop the filing where it appends its event
# (number taken, record and clocks inserted, transaction open), check it holds the write
# lock, and SIGKILL it there. Needs gdb and the binary's symbols; skipped otherwise.
if command -v gdb >/dev/null 2>&1; then
  before="$(counts)"
  n_ext="$(db "SELECT last FROM sequences WHERE name = 'EXT-2026-'")"
  gdb_out="$(timeout 120 gdb -q -batch -nx -ex 'set pagination off' -ex 'rbreak SqliteStore::insert_event' -ex run \
    -ex "shell sqlite3 -cmd '.timeout 0' records.db 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1; echo lock-probe=\$?" \
    -ex kill --args "$L" file --kind complaint --party svw --channel email --subject "半途杀死" 2>&1 </dev/null)"
  if [[ "$gdb_out" == *"Breakpoint 1, "*"insert_event"* ]]; then
    expect_contains "$gdb_out" "lock-probe=5" "stopped half-way, the filing holds the write lock (transaction open)"
    expect_contains "$gdb_out" "killed" "… and is killed there"
    expect_eq "$(counts)" "$before" "a filing killed half-way left nothing behind"
    expect_eq "$(db "SELECT last FROM sequences WHERE name = 'EXT-2026-'")" "$n_ext" "… and consumed no number"
    expect_records_whole "after the half-way kill"
    expect_verify_ok "after the half-way kill"
    run "$L" file --kind complaint --party svw --channel email --subject "半途之后"
    expect_status 0 "filing works after the half-way kill"
    expect_eq "$out" "$(printf 'EXT-2026-%05d' $((n_ext + 1)))" "… with the number the killed one would have had"
  else
    echo "concurrency: gdb could not stop liaison in insert_event (no symbols?); half-way kill skipped"
  fi
else
  echo "concurrency: no gdb; half-way kill skipped"
fi

finish
