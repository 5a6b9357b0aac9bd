#!/usr/bin/env bash
# Many writers against one PostgreSQL server (LIAISON_TEST_DB=postgres; the ctest
# fixture starts the throwaway cluster): every write takes liaison's advisory lock first,
# so writers on many machines queue, number without gaps and append to one chain.
#
#   1. 8 processes each file 200 external complaints at once: every command exits 0,
#      1,600 records, references EXT-2026-00001..01600 exactly once each, event ids 1..N
#      without gaps, every record whole, audit verify passes.
#   2. A filing killed (SIGKILL) in the middle of its transaction, its record row already
#      written: the server rolls it back; nothing of it is left, and the next filing takes
#      the number it would have had. The moment is made, not waited for: psql holds a lock
#      on clocks, which the filing writes after its record, and the test kills it once
#      the server shows it waiting there.
#   3. A filing that waits for another writer's turn longer than 10 s gives up with exit
#      75 and writes nothing.
#   4. backup FILE taken while 4 writers file: the copy is one snapshot (a SQLite file
#      that audit verify passes, its records numbered without gaps), and the same records
#      export from it as from the server.
#   5. The roles of liaison-postgresql(7): the owner sets the schema up and runs
#      grants.sql; the application's role files, acknowledges, closes and verifies, but
#      cannot change the history behind liaison's back, nor read it as the auditor.
. "$(dirname "$0")/lib.sh"

if [ "$LIAISON_TEST_DB" != postgres ]; then
  echo "pg_server_test: run with LIAISON_TEST_DB=postgres (ctest's pg fixture sets it)" >&2
  exit 2
fi

setup_workdir
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "party add svw"

expected_refs() {
  local i
  for ((i = $1; i <= $2; i++)); do printf 'EXT-2026-%05d\n' "$i"; done
}

# --- 1. 8 × 200 filings at once --------------------------------------------------------
writers=8
each=200
mkdir -p w
for ((w = 1; w <= writers; w++)); do
  (
    failures=0
    for ((i = 1; i <= each; i++)); do
      "$L" file --kind complaint --party svw --channel email --subject "并发投诉 $w-$i" >/dev/null 2>>"w/$w.err" ||
        failures=$((failures + 1))
    done
    echo "$failures" >"w/$w.failures"
  ) &
done
wait
total_failures=0
for ((w = 1; w <= writers; w++)); do total_failures=$((total_failures + $(cat "w/$w.failures"))); done
expect_eq "$total_failures" "0" "8 × 200 filings: every command exits 0"
[ "$total_failures" = 0 ] || head -5 w/*.err
expect_eq "$(db "SELECT count(*) FROM records")" "1600" "1,600 records: none lost"
expect_eq "$(db "SELECT count(*) - count(DISTINCT ref) FROM records")" "0" "no reference twice"
if [ "$(db "SELECT ref FROM records ORDER BY ref")" == "$(expected_refs 1 1600)" ]; then
  pass "references EXT-2026-00001..01600: no gaps"
else
  fail "references are not EXT-2026-00001..01600"
fi
expect_eq "$(db "SELECT count(*) || ' ' || min(id) || ' ' || max(id) FROM events")" "1601 1 1601" \
  "event ids 1..1601 without gaps (the party, then a filing each)"
expect_eq "$(db "SELECT count(*) FROM records r WHERE (SELECT count(*) FROM events e WHERE e.record_id = r.id AND e.type = 'filed') <> 1
             OR NOT EXISTS (SELECT 1 FROM clocks c WHERE c.record_id = r.id)")" "0" \
  "every record has its one filed event and its clocks"
expect_eq "$(db "SELECT count(DISTINCT subject) FROM records")" "1600" "every filing's own subject is there"
run "$L" audit verify
expect_status 0 "audit verify passes after 1,600 concurrent filings"
expect_match "$out" "^ok: 1601 events, hash chain intact" "… one chain, never forked"

# --- 2. killed mid-transaction ----------------------------------------------------------
before="$(snapshot)"
mkfifo hold.in hold.state
exec {hold_fd}<>hold.in {state_fd}<>hold.state
psql -X -q -v ON_ERROR_STOP=1 -d "$_pg_url" <hold.in >hold.out 2>hold.err &
holder=$!
# psql runs the "\!" line only once the LOCK has returned: its word is the handshake
# (the cap only ends a real hang).
printf '%s\n' "BEGIN;" "LOCK TABLE clocks IN SHARE MODE;" "\\! echo locked >hold.state" >&"$hold_fd"
if read -r -t "${WAIT_CAP:-120}" -u "$state_fd" said && [ "$said" = locked ]; then
  pass "psql holds a lock on clocks"
else
  fail "psql did not take its lock: $(cat hold.err)"
fi
# The server says when the filing waits for the clocks lock: its record row is written,
# uncommitted. The watcher is connected before the filing starts (its "\!" line is the
# handshake: the filing gives up its wait after 10 s, lock_timeout, however slowly a
# loaded machine starts psql), looks every 0.1 s inside the server, and reads both facts
# in one statement once it has seen the wait (its 1,200 looks only end a hang; each looks
# afresh: the server keeps one view of pg_stat_activity per transaction otherwise).
mkfifo watch.state
exec {watch_fd}<>watch.state
printf '%s\n' "\\! echo watching >watch.state" "DO \$\$ BEGIN FOR i IN 1..1200 LOOP
  EXIT WHEN EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO clocks%');
  PERFORM pg_sleep(0.1); PERFORM pg_stat_clear_snapshot(); END LOOP; END \$\$;
SELECT (SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO clocks%')
       || ' ' || (SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                  WHERE l.relation = 'records'::regclass AND l.mode = 'RowExclusiveLock' AND a.query LIKE 'INSERT INTO clocks%');" |
  _psql "$_pg_url" >watched.out 2>&1 &
watcher=$!
read -r -t "${WAIT_CAP:-120}" -u "$watch_fd" said && [ "$said" = watching ] || fail "the watcher did not connect"
"$L" file --kind complaint --party svw --channel email --subject "被杀死的投诉" >killed.out 2>killed.err &
victim=$!
wait "$watcher"
read -r waiting holding <watched.out
exec {watch_fd}>&-
expect_eq "$waiting" "1" "the filing waits inside its transaction, after writing its record ($(head -c 200 killed.err))"
expect_eq "$holding" "1" "… holding its insert into records"
kill -KILL "$victim"
wait "$victim" 2>/dev/null
printf '%s\n' "COMMIT;" "\\q" >&"$hold_fd"
wait "$holder"
exec {hold_fd}>&- {state_fd}>&-
expect_eq "$(snapshot)" "$before" "the killed filing left nothing: records, events, clocks, sequences as before"
run "$L" file --kind complaint --party svw --channel email --subject "下一件投诉"
expect_status 0 "the next filing succeeds"
expect_eq "$out" "EXT-2026-01601" "… and takes the number the killed one would have had"
run "$L" audit verify
expect_status 0 "audit verify passes after the kill"

# --- 3. another writer's turn held past 10 s --------------------------------------------
before="$(snapshot)"
hold_db_lock || exit 1
run "$L" file --kind complaint --party svw --channel email --subject "等不到的投诉"
release_db_lock
expect_status 75 "a filing that cannot get its turn in 10 s: exit 75"
expect_contains "$err" "retry" "… with a retry hint"
expect_eq "$(snapshot)" "$before" "… and nothing written"

# --- text PostgreSQL cannot store -------------------------------------------------------
before="$(snapshot)"
# (A NUL cannot travel in a shell variable or argument: a file on standard input does.)
printf '外观\0不良' >nul.txt
run bash -c '"$1" file --kind complaint --party svw --channel email --subject "含 NUL 的投诉" --body - <nul.txt' _ "$L"
expect_status 65 "a body holding a NUL byte: exit 65 (the server stores none)"
expect_contains "$err" "NUL" "… saying what is wrong"
expect_eq "$(snapshot)" "$before" "… and nothing written"

# --- 4. a backup while others write ------------------------------------------------------
for ((w = 1; w <= 4; w++)); do
  ( for ((i = 1; i <= 25; i++)); do
      "$L" file --kind complaint --party svw --channel email --subject "备份期间 $w-$i" >/dev/null 2>&1
    done ) &
done
run "$L" backup snapshot.db
backup_status=$status backup_out=$out
wait
expect_eq "$backup_status" "0" "backup while 4 writers file: exit 0"
expect_contains "$backup_out" "integrity and hash chain checked" "… the copy checked"
run "$L" --db snapshot.db audit verify
expect_status 0 "the copy passes audit verify on its own"
n="$(DB=snapshot.db db "SELECT count(*) FROM records")"
expect_eq "$(DB=snapshot.db db "SELECT max(ref) FROM records")" "$(printf 'EXT-2026-%05d' "$n")" \
  "the copy's references run 1..$n without a gap (one snapshot)"
expect_eq "$(db "SELECT count(*) FROM records")" "1701" "the writers went on: all 100 filed"
run "$L" --db snapshot.db export --with-events --out from-copy.jsonl
run "$L" export --with-events --out from-server.jsonl
expect_eq "$(head -n "$(wc -l <from-copy.jsonl)" from-server.jsonl | cmp -s - from-copy.jsonl && echo same)" "same" \
  "the copy exports, byte for byte, what the server exports of the same records"
expect_eq "$(head -c 15 snapshot.db)" "SQLite format 3" "the copy is one SQLite file"
expect_eq "$(ls snapshot.db-wal 2>/dev/null)" "" "… without a write-ahead log beside it"

# --- 5. the roles ------------------------------------------------------------------------
roles_db="roles_$$"
printf '%s\n' "DO \$\$ BEGIN CREATE ROLE liaison_owner LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;" \
  "DO \$\$ BEGIN CREATE ROLE liaison_app LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;" \
  "DO \$\$ BEGIN CREATE ROLE liaison_auditor LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;" \
  "CREATE DATABASE $roles_db OWNER liaison_owner ENCODING 'UTF8' TEMPLATE template0;" | _psql postgres >/dev/null
_pg_databases+=("$roles_db")
as_role() { printf 'postgresql://%s@/%s?host=%s&port=%s' "$1" "$roles_db" "$PGHOST" "$PGPORT"; }
run "$L" --db "$(as_role liaison_owner)" init --db-only
expect_status 0 "the owner sets the schema up"
expect_contains "$out" "schema version" "… saying which version"
psql -X -q -v ON_ERROR_STOP=1 -d "$(as_role liaison_owner)" -f "$LIAISON_SRC/schemas/postgres/grants.sql" >grants.out 2>&1
expect_eq "$?" "0" "the owner runs grants.sql: $(head -c 300 grants.out)"
app="$(as_role liaison_app)"
run "$L" --db "$app" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "the application's role adds a party"
run "$L" --db "$app" file --kind complaint --party svw --channel email --subject "以应用角色提交的投诉" --body "外观不良"
expect_status 0 "… files"
expect_eq "$out" "EXT-2026-00001" "… numbered from 1 in its database"
run "$L" --db "$app" ack EXT-2026-00001
expect_status 0 "… acknowledges"
run "$L" --db "$app" close EXT-2026-00001 --resolution "已更换零件" --reply-via email
expect_status 0 "… closes"
run "$L" --db "$app" search 外观
expect_contains "$out" "EXT-2026-00001" "… and finds it by a two-character word"
run "$L" --db "$app" audit verify
expect_status 0 "… and verifies the history"
run "$L" --db "$app" report --period "${LIAISON_NOW:0:7}" --format json
expect_status 0 "… computes the report, reading what its role may read: $err"
for sql in "UPDATE events SET data = '{}' WHERE id = 2" "DELETE FROM events WHERE id = 2" "TRUNCATE events" \
           "INSERT INTO event_messages VALUES ('forged', 2)" "UPDATE backlog_due SET n = n + 1" \
           "DELETE FROM resolve_cycles"; do
  if printf '%s\n' "$sql" | psql -X -q -v ON_ERROR_STOP=1 -d "$app" -f - >/dev/null 2>role.err; then
    fail "the application's role may: $sql"
  else
    # No right to it, or (its one column right, a purge's) the trigger's refusal.
    expect_match "$(cat role.err)" "permission denied|events are append-only" "the application's role may not: $sql"
  fi
done
if printf 'SELECT count(*) FROM events;\n' | psql -X -q -v ON_ERROR_STOP=1 -d "$(as_role liaison_auditor)" -f - >/dev/null 2>role.err; then
  fail "the auditor's role reads the base table events"
else
  expect_contains "$(cat role.err)" "permission denied" "the auditor's role reads no base table"
fi
# The auditor's role has the views, through liaison query, redacted by the acting user's
# clearance and never above its ceiling (liaison_views.ceilings, the owner's to set): a
# role that claims any clearance in its own session with psql reads no more.
auditor="$(as_role liaison_auditor)"
owner_sql() { printf '%s\n' "$1" | psql -X -q -v ON_ERROR_STOP=1 -d "$(as_role liaison_owner)" -f - >/dev/null; }
run "$L" --db "$app" file --kind complaint --party svw --channel email --level confidential --subject "机密投诉" --body "秘密正文"
expect_status 0 "the application's role files a confidential complaint"
run "$L" --db "$auditor" query "SELECT ref, subject, owner_name FROM records ORDER BY ref"
expect_status 0 "the auditor's role runs liaison query: $err"
expect_eq "$out" $'EXT-2026-00001\t[confidential]\t品质部\nEXT-2026-00002\t[confidential]\t品质部' \
  "… reading no text before the administrator sets its ceiling, names from the config"
owner_sql "INSERT INTO liaison_views.ceilings VALUES ('liaison_auditor', false, '{public,internal}')"
run "$L" --db "$auditor" query "SELECT ref, subject, body FROM records ORDER BY ref"
expect_eq "$out" $'EXT-2026-00001\t以应用角色提交的投诉\t外观不良\nEXT-2026-00002\t[confidential]\t[confidential]' \
  "… then the internal record's text, not the confidential one's, though zhou.jianguo may read it"
run "$L" --db "$auditor" query "SELECT count(*) FROM events WHERE data LIKE '%秘密%' OR hash IS NOT NULL"
expect_eq "$out" "0" "… in the events' data and hashes too"
run "$L" --db "$app" query "SELECT subject FROM records WHERE ref = 'EXT-2026-00002'"
expect_eq "$out" "机密投诉" "the application's role reads every level for zhou.jianguo"
run env LIAISON_USER=sun.qian "$L" --db "$app" query "SELECT subject, body FROM records WHERE ref = 'EXT-2026-00002'"
expect_eq "$out" $'[confidential]\t[confidential]' "… and redacts it for sun.qian (internal)"
run "$L" --db "$auditor" query "SELECT subject FROM public.records"
expect_status 77 "liaison query refuses the tables behind the views, whatever the role"
run "$L" --db "$app" query "SELECT subject FROM public.records"
expect_status 77 "… the application's role's too, which may read them"
run "$L" --db "$auditor" query "SELECT * FROM liaison_views.ceilings"
expect_status 77 "… and the ceilings"
if printf 'SELECT subject FROM liaison_views.records;\n' | psql -X -q -v ON_ERROR_STOP=1 -d "$auditor" -f - >/dev/null 2>role.err; then
  fail "psql reads the views' text without liaison query's session"
else
  expect_contains "$(cat role.err)" "liaison_viewer" "the views give psql no text without a session's clearance"
fi
forged="$(printf '%s\n' "CREATE TEMP TABLE liaison_viewer (every_level boolean, mark text);" \
  "CREATE TEMP TABLE liaison_readable (level text);" "CREATE TEMP TABLE liaison_names (what text, id text, name text);" \
  "INSERT INTO liaison_viewer VALUES (true, '');" "INSERT INTO liaison_readable VALUES ('confidential');" \
  "SELECT subject, body, (SELECT count(*) FROM liaison_views.events WHERE hash IS NOT NULL) FROM liaison_views.records WHERE ref = 'EXT-2026-00002';" |
  psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$auditor" -f - 2>&1)"
expect_eq "$forged" "||0" "psql claiming every level in its own session reads nothing above the role's ceiling"
owner_sql "DELETE FROM liaison_views.ceilings WHERE role = 'liaison_auditor'"
if printf "INSERT INTO liaison_views.ceilings VALUES ('liaison_auditor', true);\n" |
   psql -X -q -v ON_ERROR_STOP=1 -d "$auditor" -f - >/dev/null 2>role.err; then
  fail "the auditor's role raises its own ceiling"
else
  expect_contains "$(cat role.err)" "permission denied" "the auditor's role cannot raise its own ceiling"
fi
run "$L" --db "$app" audit verify
expect_status 0 "the history is as the application left it"
# A count the report keeps, changed by the owner: found, and rebuilt by the application's
# role through the owner's recount (it may not write the counts itself).
printf 'UPDATE backlog_due SET n = n + 1;\n' | psql -X -q -v ON_ERROR_STOP=1 -d "$(as_role liaison_owner)" -f - >/dev/null
run "$L" --db "$app" audit verify
expect_status 1 "audit verify finds the count the owner changed"
run "$L" --db "$app" audit recount
expect_status 0 "the application's role recounts it: $err"
run "$L" --db "$app" audit verify
expect_status 0 "… and the counts agree again"

finish
