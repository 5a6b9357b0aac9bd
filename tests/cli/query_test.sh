#!/usr/bin/env bash
# `liaison query SQL` on the manufacturing example: the documented views in every output
# format, parameters, --explain, local times and department names, redaction by the acting
# user's clearance, and every escape attempt we could think of — each refused with its
# documented exit status (77 refused, 2 usage) and the database file byte-identical after.
#
# Users (examples/manufacturing/liaison.toml): zhou.jianguo (gm, top, clearance
# top-secret) files everything; sun.qian (clearance internal) must not read the text of the
# confidential record.
#
# On PostgreSQL (LIAISON_TEST_DB=postgres) the same checks run in PostgreSQL's dialect where
# SQLite's differs, and the escape attempts are PostgreSQL's own (liaison-postgresql(7)).
. "$(dirname "$0")/lib.sh"

setup_workdir
export LIAISON_USER=zhou.jianguo

step() {
  at "$1"
  shift
  run "$L" "$@"
  expect_status 0 "$* (at $LIAISON_NOW)"
}
step 2026-09-01T09:00:00+08:00 party add "上汽大众汽车有限公司" --id svw --type customer
step 2026-09-28T09:00:00+08:00 file --kind complaint --party svw --channel email --subject "焊点开裂" \
  --body "批次 2026-09 焊点开裂"
step 2026-09-29T10:00:00+08:00 ack EXT-2026-00001
step 2026-09-29T11:00:00+08:00 file --kind complaint --party svw --channel email --level confidential \
  --subject "工资秘密" --body "机密正文 secret body"
step 2026-09-29T11:30:00+08:00 log EXT-2026-00002 "保密备注 secret note"
step 2026-09-30T15:00:00+08:00 close EXT-2026-00002 --resolution "秘密处理 secret resolution" --reply-via email
step 2026-10-08T09:00:00+08:00 file --kind complaint --direction internal --subject "食堂卫生"
at 2026-10-09T09:00:00+08:00

q() { run "$L" query "$@"; }
pg=""; [ "$LIAISON_TEST_DB" = postgres ] && pg=1
# fingerprint: what the database holds, to show a refused query changed nothing (on
# SQLite the file's bytes; on PostgreSQL the export of every record and event).
fingerprint() {
  if [ -n "$pg" ]; then "$L" export --with-events | sha256sum | cut -d' ' -f1
  else sha256sum records.db | cut -d' ' -f1; fi
}

# --- happy paths ----------------------------------------------------------------------
q "SELECT ref, owner, owner_name, status, received_at FROM records ORDER BY ref"
expect_status 0 "query records (tsv in a pipe)"
expect_eq "$(head -1 <<<"$out")" $'EXT-2026-00001\tquality\t品质部\tacknowledged\t2026-09-28T09:00:00+08:00' \
  "tsv: ids, department names, local times with offset, no header"
expect_eq "$(wc -l <<<"$out" | tr -d ' ')" "3" "three records"

q --format csv "SELECT ref, subject, major FROM records WHERE ref = 'EXT-2026-00001'"
expect_eq "$out" $'ref,subject,major\r\nEXT-2026-00001,焊点开裂,0\r' "csv: header of column names, CRLF"

q --format json "SELECT ref, major, closed_at, 1.5 AS x FROM records ORDER BY ref LIMIT 2"
expect_status 0 "json"
expect_eq "$(jq -c '.' <<<"$out")" \
  '[{"ref":"EXT-2026-00001","major":0,"closed_at":null,"x":1.5},{"ref":"EXT-2026-00002","major":0,"closed_at":"2026-09-30T15:00:00+08:00","x":1.5}]' \
  "json: integers and reals are numbers, NULL is null"
expect_contains "$out" $'[\n  {\n    "ref": "EXT-2026-00001",' "json is pretty-printed"

q --format json "SELECT 1 WHERE 1 = 0"
expect_eq "$out" "[]" "json: an empty result is []"
q --format jsonl "SELECT ref, owner AS o, owner AS o FROM records ORDER BY ref LIMIT 1"
expect_eq "$out" '{"ref":"EXT-2026-00001","o":"quality","o_2":"quality"}' "jsonl: one object a line, repeated names kept"
q --format jsonl "SELECT 1 WHERE 1 = 0"
expect_eq "$out" "" "jsonl: nothing for no rows"

q --format table "SELECT owner_name, count(*) AS n FROM records GROUP BY owner, owner_name ORDER BY owner"
expect_status 0 "table"
expect_contains "$out" "owner_name  n" "table: header of names"
expect_match "$out" $'品质部 +2' "table: aligned by display width, counts right-aligned"

q --format md "SELECT ref, status FROM records WHERE ref = 'EXT-2026-00002'"
expect_eq "$out" $'| ref | status |\n| --- | --- |\n| EXT-2026-00002 | closed |' "md: a pipe table"

if [ -n "$pg" ]; then q --format tsv "SELECT 'a' || chr(9) || 'b', NULL, '\\x00ff'::bytea"
else q --format tsv "SELECT 'a' || char(9) || 'b', NULL, x'00ff'"; fi
expect_eq "$out" $'a b\t\t00ff' "tsv: tabs inside become a space, NULL empty, blobs hex"

run_stdin "SELECT count(*) FROM events" "$L" query -
expect_eq "$out" "7" "the query from standard input"

q "SELECT actor, actor_name, type, at FROM events WHERE ref = 'EXT-2026-00001' ORDER BY id LIMIT 1"
expect_eq "$out" $'zhou.jianguo\t周建国\tfiled\t2026-09-28T09:00:00+08:00' "events: actor names and local times"
q "SELECT name, type_name FROM parties"
expect_eq "$out" $'上汽大众汽车有限公司\t客户' "parties view"
q "SELECT ref, name, due, on_time FROM clocks WHERE ref = 'EXT-2026-00001' AND name = 'ack'"
expect_eq "$out" $'EXT-2026-00001\tack\t2026-09-30T09:00:00+08:00\t1' "clocks view"
q "SELECT substr(received_at, 1, 7) AS month, owner_name, count(*) FROM records GROUP BY 1, owner, owner_name ORDER BY 1, owner"
expect_eq "$out" $'2026-09\t品质部\t2\n2026-10\t人力资源部\t1' "counts per department per month"

# --- parameters -----------------------------------------------------------------------
if [ -n "$pg" ]; then
  # PostgreSQL reads @ and $ itself (an operator, $1): parameters are :NAME only.
  q --param owner=quality --param n=1 "SELECT count(*) FROM records WHERE owner = :owner AND id >= :n AND :n > 0"
  expect_eq "$out" "2" "--param binds :name, each use of it"
  q --param x=42 --param y=042 "SELECT :x + 1, length(:y), :y::text = '042'"
  expect_eq "$out" $'43\t3\t1' "whole integers bind as integers, 042 as text"
  q "SELECT ref::text FROM records WHERE ref = 'EXT-2026-00001' AND ':x' = ':x' -- :y"
  expect_eq "$out" "EXT-2026-00001" "a cast (::) and :NAME in a string or comment are no parameters"
  q "SELECT \$1"
  expect_status 2 "a positional parameter is a usage error"
  expect_contains "$err" "positional" "… saying so"
else
  q --param owner=quality --param n=1 "SELECT count(*) FROM records WHERE owner = :owner AND id >= @n"
  expect_eq "$out" "2" "--param binds :name and @name"
  q --param x=42 --param y=042 "SELECT typeof(\$x), typeof(:y)"
  expect_eq "$out" $'integer\ttext' "whole integers bind as integers, 042 as text"
fi
q --param "r=x' OR '1'='1" "SELECT count(*) FROM records WHERE ref = :r"
expect_eq "$out" "0" "a parameter value is never SQL"
q "SELECT :missing"
expect_status 2 "an unbound parameter is a usage error"
expect_contains "$err" ":missing" "… naming it"
q --param nothere=1 "SELECT 1"
expect_status 2 "a --param the query does not use is a usage error"
expect_contains "$err" "nothere" "… naming it"
q --param novalue "SELECT 1"
expect_status 2 "--param without = is a usage error"

# --- --explain ------------------------------------------------------------------------
q --explain "SELECT owner, status, count(*) FROM records GROUP BY 1, 2"
expect_status 0 "--explain"
if [ -n "$pg" ]; then
  expect_eq "$(sed -n 1p <<<"$out")" "QUERY PLAN" "--explain: the plan's tree"
  expect_match "$out" "Group Key: r.owner, r.status" "--explain: the grouped count groups the table (the view is flattened)"
  expect_not_contains "$out" "liaison_" "… computing none of the columns it does not use"
else
  expect_eq "$out" $'QUERY PLAN\n`--SCAN r USING COVERING INDEX records_owner_status' \
    "--explain: the grouped count reads only the index (the view is flattened)"
fi
q --explain --format json "SELECT count(*) FROM events GROUP BY type"
expect_eq "$(jq -r '.[0] | keys | join(",")' <<<"$out")" "detail,id,parent" "--explain as json rows"

# --- confidentiality ------------------------------------------------------------------
q --as sun.qian "SELECT subject, body, resolution FROM records WHERE ref = 'EXT-2026-00002'"
expect_eq "$out" $'[confidential]\t[confidential]\t[confidential]' "sun.qian (internal) sees the marks"
q --as sun.qian --lang zh "SELECT subject FROM records WHERE ref = 'EXT-2026-00002'"
expect_eq "$out" "[机密]" "the mark in Chinese"
q --as zhou.jianguo "SELECT subject FROM records WHERE ref = 'EXT-2026-00002'"
expect_eq "$out" "工资秘密" "zhou.jianguo (top-secret) reads it"
q --as sun.qian "SELECT ref, kind, owner, received_at, closed_at FROM records WHERE ref = 'EXT-2026-00002'"
expect_eq "$out" $'EXT-2026-00002\tcomplaint\tquality\t2026-09-29T11:00:00+08:00\t2026-09-30T15:00:00+08:00' \
  "reference, kind, owner and dates stay"
q --as sun.qian --format json "SELECT * FROM records"
all_records="$out"
q --as sun.qian --format json "SELECT * FROM events"
all_events="$out"
for secret in 工资秘密 机密正文 "secret body" 保密备注 "secret note" 秘密处理 "secret resolution"; do
  expect_not_contains "$all_records" "$secret" "no '$secret' in any column of records for sun.qian"
  expect_not_contains "$all_events" "$secret" "no '$secret' in any column of events for sun.qian"
done
expect_contains "$all_records" "焊点开裂" "the internal-level record is not redacted for sun.qian"
q --as sun.qian "SELECT count(*) FROM records WHERE subject LIKE '%工资%' OR body LIKE '%secret%'"
expect_eq "$out" "0" "a LIKE cannot see behind the mark"
q --as sun.qian "SELECT count(*) FROM events WHERE data LIKE '%secret%'"
expect_eq "$out" "0" "nor in event data"

# --- every view and column is documented ----------------------------------------------
views_page="$(mandoc -T ascii "$LIAISON_SRC/man/liaison-views.7" 2>/dev/null | sed $'s/.\b//g')"
for view in records events parties clocks; do
  q --format csv "SELECT * FROM $view LIMIT 0"
  expect_status 0 "SELECT * FROM $view"
  IFS=',' read -r -a cols <<<"${out%$'\r'}"
  [ "${#cols[@]}" -gt 3 ] || fail "$view: too few columns: $out"
  for c in "${cols[@]}"; do
    if grep -qE "(^|[^a-z_])${c}([^a-z_]|\$)" <<<"$views_page"; then pass "$view.$c documented"
    else fail "$view.$c is not in liaison-views(7)"; fi
  done
done

# --- escape attempts: refused, and the file unchanged ---------------------------------
before="$(fingerprint)"
refused() {  # refused STATUS SQL [what stderr says]
  local want="$1" sql="$2" says="${3:-}"
  q "$sql"
  expect_status "$want" "refused (${sql:0:60})"
  expect_err_prefix "error message for ${sql:0:60}"
  [ -n "$says" ] && expect_contains "$err" "$says" "message for ${sql:0:60}"
  [ -z "$out" ] || fail "no output for a refused query: ${sql:0:60}"
}
refused 2 "SELECT 1; DROP TABLE records" "more than one statement"
refused 2 "SELECT * FROM records; DELETE FROM events" "more than one statement"
refused 77 "DROP TABLE records" "DROP TABLE records"
refused 77 "DELETE FROM events" "DELETE"
refused 77 "INSERT INTO records SELECT * FROM records" "INSERT"
refused 77 "UPDATE records SET subject = 'x'" "UPDATE"
if [ -n "$pg" ]; then
refused 77 "WITH x AS (SELECT 1) DELETE FROM records" "would change the database"
refused 77 "WITH x AS (DELETE FROM records RETURNING id) SELECT * FROM x" "data-modifying"
refused 77 "WITH x AS (UPDATE liaison_viewer SET every_level = true RETURNING 1) SELECT * FROM x" "data-modifying"
refused 77 "SELECT * FROM public.records" "reading the table records directly"
refused 77 "SELECT subject FROM public.records WHERE id IN (SELECT id FROM records)" "reading the table records directly"
refused 77 "WITH records AS (SELECT * FROM public.records) SELECT subject FROM records" "reading the table records directly"
refused 77 "SELECT * FROM public.sequences" "sequences"
refused 77 "SELECT * FROM pg_catalog.pg_class" "pg_catalog.pg_class"
refused 77 "SELECT query FROM pg_stat_activity" "pg_stat_activity"
refused 77 "SELECT * FROM information_schema.tables" "information_schema"
refused 77 "SELECT * FROM liaison_viewer" "liaison_viewer"
refused 77 "SELECT * FROM pg_temp.liaison_readable" "liaison_readable"
refused 77 "SELECT set_config('role', 'none', false), subject FROM records" "set_config"
refused 77 "SELECT set_config('search_path', 'public', false)" "set_config"
refused 77 "SELECT query_to_xml('SELECT subject FROM public.records', true, true, '')" "query_to_xml"
refused 77 "SELECT table_to_xml('public.records', true, true, '')" "table_to_xml"
refused 77 "SELECT ts_stat('SELECT to_tsvector(subject) FROM public.records')" "ts_stat"
refused 77 "SELECT current_setting('data_directory')" "current_setting"
refused 77 "SELECT pg_read_file('/etc/passwd')" "pg_read_file"
refused 77 "SELECT lo_import('/etc/passwd')" "lo_import"
refused 77 "SELECT nextval('public.sequences')" "nextval"
refused 77 "SELECT pg_advisory_lock(30515164586667895)" "pg_advisory_lock"
refused 77 "SELECT pg_sleep(100)" "pg_sleep"
refused 77 "SELECT * FROM records FOR UPDATE" "read-only"
refused 77 "SET ROLE NONE" "SET ROLE NONE"
refused 77 "DO \$\$ BEGIN DELETE FROM events; END \$\$" "DO"
refused 77 "COPY records TO '/tmp/x'" "COPY"
refused 77 "TRUNCATE events" "TRUNCATE"
refused 2 "SELECT * FROM sequences" "does not exist"
refused 2 "SELECT nosuch FROM records" "nosuch"
refused 2 "SELECT 1 /* a comment that never ends" "SQL error"
refused 2 "SELECT '; DROP TABLE records" "SQL error"
refused 2 $'SELECT 1 -- a comment ends at a carriage return\r; DROP TABLE records' "more than one statement"
else
refused 77 "WITH x AS (SELECT 1) DELETE FROM records" "cannot modify records"
refused 2 "WITH x AS (DELETE FROM records RETURNING id) SELECT * FROM x" "SQL error"
refused 77 "ATTACH 'x.db' AS y" "ATTACH"
refused 77 "ATTACH DATABASE ':memory:' AS m" "ATTACH"
refused 77 "PRAGMA writable_schema = 1" "PRAGMA writable_schema"
refused 77 "PRAGMA query_only = 0" "PRAGMA query_only"
refused 77 "PRAGMA journal_mode = DELETE" "PRAGMA"
fi
if [ -z "$pg" ]; then
refused 77 "SELECT * FROM pragma_table_info('records')" "table-valued function"
refused 77 "SELECT load_extension('/tmp/x.so')" "load_extension"
refused 77 "SELECT sqlite_version()" "sqlite_version"
refused 77 "SELECT * FROM json_each('[1]')" "table-valued function"
refused 77 "SELECT * FROM dbstat" "query refused"
refused 77 "SELECT sql FROM sqlite_stmt" "query refused"
refused 77 "SELECT subject FROM main.records" "main"
refused 77 "SELECT subject FROM \"MAIN\".\"records\"" "main"
refused 77 "SELECT subject FROM 'main'.records" "main"
refused 77 "WITH records AS (SELECT * FROM main.records) SELECT subject FROM records" "main"
refused 77 "SELECT * FROM sqlite_master" "sqlite_master"
refused 77 "SELECT sql FROM sqlite_schema" "schema table"
refused 77 "SELECT * FROM temp.sqlite_master" "schema table"
refused 77 "SELECT * FROM sequences" "sequences"
refused 2 "SELECT nosuch FROM records" "no such column"
fi
refused 77 "CREATE TEMP TABLE t (x)" "CREATE TEMP TABLE t (only SELECT is accepted)"
refused 77 "CREATE TEMP VIEW v AS SELECT subject FROM records" "CREATE TEMP VIEW v AS SELECT subject FROM records"
refused 77 "DROP VIEW temp.records" "DROP VIEW temp.records"
refused 77 "BEGIN IMMEDIATE" "query refused"
refused 77 "SAVEPOINT s" "SAVEPOINT"
refused 77 "VACUUM INTO 'copy.db'" "VACUUM INTO 'copy.db'"
refused 77 "VACUUM" "query refused"
refused 77 "ANALYZE" "ANALYZE"
refused 77 "REINDEX" "REINDEX"
refused 2 "EXPLAIN SELECT 1" "--explain"
refused 2 "SELEC 1" "SQL error"
refused 2 "   " "empty"
long="SELECT 1$(printf '%*s' 2097152 '')"
run_stdin "$long" "$L" query -   # on stdin: one argument may not be that long (E2BIG)
expect_status 2 "a 2 MB query is refused"
expect_contains "$err" "bytes long" "… saying how long"
# The shell's own escape hatches: none of them exist in liaison query.
refused 2 ".shell touch pwned" "SQL error"
[ ! -e pwned ] && pass "no shell command ran" || fail "a shell command ran"
[ ! -e copy.db ] && [ ! -e x.db ] && pass "no file was written" || fail "a file was written"
expect_eq "$(fingerprint)" "$before" "the database is unchanged after every attempt"
if [ -z "$pg" ]; then
# A read-only reader of a WAL database may leave an empty -wal (and the -shm index) behind.
expect_eq "$(cat records.db-wal 2>/dev/null | wc -c | tr -d ' ')" "0" "nothing in a write-ahead log"
[ ! -e records.db-journal ] && pass "no rollback journal" || fail "a rollback journal was left behind"
fi
q --lang zh "DELETE FROM events"
expect_status 77 "refused in Chinese too"
expect_contains "$err" "查询被拒绝" "… with the Chinese message"

# --- recursion, time and memory ----------------------------------------------------------
# The recursive CTE liaison-views(7) allows works …
q "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) SELECT count(*), sum(i) FROM n"
expect_status 0 "a recursive CTE runs"
expect_eq "$out" $'1000\t500500' "… and counts"
# … and one that never ends is stopped by --timeout (the outer timeout only turns a real
# hang into a failure), saying so, with no advice to restore a healthy database.
run timeout --signal=KILL 600 "$L" query --timeout 1 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
expect_status 1 "an endless query stops at --timeout: exit 1"
expect_contains "$err" "liaison: the query was stopped after 1 s (--timeout)" "… saying so"
expect_not_contains "$err" "restore" "… without advice to restore"
expect_eq "$out" "" "… printing nothing"
# Sorting endless rows needs ever more memory: stopped at --max-memory, the temporary
# directory untouched (sorts are held in memory). A PostgreSQL server sorts in its own
# files beyond --max-memory (its work_mem) rather than failing: there --timeout bounds it.
if [ -n "$pg" ]; then
  run timeout --signal=KILL 600 "$L" query --timeout 1 --max-memory 16 \
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i, md5(random()::text) FROM n ORDER BY 2"
  expect_status 1 "an endless sort stops at --timeout on PostgreSQL: exit 1"
  expect_contains "$err" "liaison: the query was stopped after 1 s (--timeout)" "… saying so"
else
mkdir -p qtmp
run timeout --signal=KILL 600 env TMPDIR="$PWD/qtmp" SQLITE_TMPDIR="$PWD/qtmp" "$L" query --timeout 0 --max-memory 16 \
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i, hex(randomblob(16)) FROM n ORDER BY random()"
expect_status 1 "an endless sort stops at --max-memory: exit 1"
expect_contains "$err" "liaison: the query needs more than 16 MiB" "… saying so"
expect_not_contains "$err" "restore" "… without advice to restore"
expect_eq "$(ls -A qtmp | wc -l | tr -d ' ')" "0" "… and nothing was written to the temporary directory"
fi
run "$L" query --timeout -1 "SELECT 1"
expect_status 2 "--timeout -1 is a usage error"
run "$L" query --max-memory 0 "SELECT 1"
expect_status 2 "--max-memory 0 is a usage error"

# --- no database, a database that is not ours ------------------------------------------
run "$L" --db nowhere.db query "SELECT 1"
expect_status 4 "no database: 4"
printf 'not a database' >junk.db
run "$L" --db junk.db query "SELECT 1"
expect_status 1 "a file that is not a liaison database: 1"
expect_err_prefix "… with a message"

finish
