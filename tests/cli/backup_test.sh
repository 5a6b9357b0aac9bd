#!/usr/bin/env bash
# liaison backup FILE: a consistent copy through SQLite's online backup API, checked
# (integrity and hash chain) before it is named FILE.
#
#   1. a backup of a quiet database: the copy is one file, passes PRAGMA integrity_check
#      and `audit verify`, has every record and event, and says so;
#   2. backups taken while a writer loop files records: each copy is one consistent
#      moment (its records are exactly those its filed events describe, numbers gap-free,
#      chain intact, every record whole) and the writer never fails;
#   3. refusing to overwrite (exit 5) unless --force; the database itself; a directory;
#   4. an unwritable or missing directory fails (exit 1) and leaves no temporary file;
#   5. who may: admins, auditors, top management; others and unlisted users get 77.
. "$(dirname "$0")/lib.sh"

setup_workdir
work="$PWD"

at 2026-09-21T09:00:00+08:00
run "$L" --as zhou.jianguo party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "party add"
for i in 1 2 3; do
  run "$L" --as zhou.jianguo file --kind complaint --party svw --channel email --subject "支架尺寸超差 $i"
  expect_status 0 "file record $i"
done
run "$L" --as zhou.jianguo ack EXT-2026-00001
expect_status 0 "ack"

# temp_files DIR → names of leftover temporary copies in DIR
temp_files() { find "$1" -maxdepth 1 -name '.*.tmp-*' -printf '%f\n' 2>/dev/null; }
# expect_good_copy CASE FILE: the copy is a whole, verified liaison database on its own
expect_good_copy() {
  local c="$1" f="$2"
  expect_eq "$(sqlite3 -batch "$f" 'PRAGMA integrity_check')" "ok" "$c: PRAGMA integrity_check says ok"
  expect_eq "$(sqlite3 -batch "$f" 'PRAGMA journal_mode')" "delete" "$c: the copy is one file (rollback journal, not WAL)"
  run "$L" --db "$f" audit verify
  expect_status 0 "$c: audit verify passes on the copy"
  expect_match "$out" "^ok: [0-9]+ events, hash chain intact; [0-9]+ records agree with their history$" "$c: … chain and records"
  expect_eq "$(sqlite3 -batch "$f" 'SELECT count(*) FROM records')" \
    "$(sqlite3 -batch "$f" "SELECT count(*) FROM events WHERE type = 'filed'")" "$c: as many records as filed events"
  expect_eq "$(sqlite3 -batch "$f" "SELECT count(*) FROM records r WHERE NOT EXISTS (SELECT 1 FROM clocks c WHERE c.record_id = r.id)")" \
    "0" "$c: every record has its clocks"
  expect_eq "$(sqlite3 -batch "$f" "SELECT count(*) || ' ' || max(id) FROM events")" \
    "$(sqlite3 -batch "$f" "SELECT count(*) || ' ' || count(*) FROM events")" "$c: event ids 1..N without gaps"
  expect_eq "$(sqlite3 -batch "$f" "SELECT coalesce(max(last), 0) FROM sequences WHERE name LIKE 'EXT-%'")" \
    "$(sqlite3 -batch "$f" "SELECT count(*) FROM records WHERE ref LIKE 'EXT-%'")" "$c: the sequence matches the records"
}

# ---------------------------------------------------------------------------------------
# 1. a quiet database
run "$L" --as zhou.jianguo backup copy.db
expect_status 0 "backup exits 0"
expect_eq "$out" "backed up to copy.db: 3 records, 5 events (last event 5), $(awk -v b="$(stat -c %s copy.db)" 'BEGIN { printf "%.1f KB", b / 1024 }'); integrity and hash chain checked" \
  "backup says what it copied"
expect_eq "$err" "" "nothing on stderr"
expect_good_copy "(1)" copy.db
expect_eq "$(stat -c %a copy.db)" "600" "the copy is readable by its owner only"
expect_eq "$(temp_files .)" "" "no temporary file is left"
expect_eq "$(sqlite3 -batch copy.db "SELECT group_concat(ref) FROM records")" \
  "EXT-2026-00001,EXT-2026-00002,EXT-2026-00003" "the copy has every record"
run "$L" --db copy.db --as zhou.jianguo show EXT-2026-00001
expect_status 0 "liaison reads the copy"
expect_contains "$out" "支架尺寸超差 1" "… with its records' content"

run "$L" --as zhou.jianguo --format json backup copy2.db
expect_status 0 "backup --format json exits 0"
expect_eq "$(jq -c '[.file, .records, .events, .last_event_id, .integrity, .hash_chain]' <<<"$out")" \
  '["copy2.db",3,5,5,"ok","intact"]' "json: what was copied"
expect_eq "$(jq .bytes <<<"$out")" "$(stat -c %s copy2.db)" "json: the file's size"
run "$L" -q --as zhou.jianguo backup copy3.db
expect_status 0 "backup -q exits 0"
expect_eq "$out" "" "-q: nothing printed"
mkdir sub
run "$L" --as zhou.jianguo backup "$work/sub/abs.db"
expect_status 0 "backup to an absolute path in another directory"
expect_good_copy "(1 abs)" "$work/sub/abs.db"

# ---------------------------------------------------------------------------------------
# 2. backups while a writer loop files records
writer() {
  local i
  for ((i = 1; i <= 60; i++)); do
    LIAISON_NOW=2026-09-22T10:00:00+08:00 "$L" --as zhou.jianguo file --kind complaint --party svw --channel email \
      --subject "并发写入 $i" >/dev/null 2>>writer.err || echo "file $i failed: $?" >>writer.err
  done
  touch writer.done
}
rm -f writer.err writer.done
writer &
writer_pid=$!
n=0
# at least three copies, taken while the writer is still writing
while [ ! -e writer.done ] || [ "$n" -lt 3 ]; do
  n=$((n + 1))
  running=no
  [ -e writer.done ] || running=yes
  run "$L" --as zhou.jianguo backup "live-$n.db"
  expect_status 0 "(2) backup $n while the writer runs ($running) exits 0"
  [ "$n" -ge 20 ] && break
done
wait "$writer_pid"
expect_eq "$(cat writer.err 2>/dev/null)" "" "(2) the writer never failed while backups ran"
expect_eq "$(db 'SELECT count(*) FROM records')" "63" "(2) the writer filed all its records"
live_during=0
for ((i = 1; i <= n; i++)); do
  expect_good_copy "(2) live-$i" "live-$i.db"
  c="$(sqlite3 -batch "live-$i.db" 'SELECT count(*) FROM records')"
  [ "$c" -gt 3 ] && [ "$c" -lt 63 ] && live_during=$((live_during + 1))
done
if [ "$live_during" -ge 1 ]; then pass "(2) $live_during copies caught the writer midway"
else fail "(2) no copy was taken midway (the writer was too fast for this test)"; fi
run "$L" --as zhou.jianguo audit verify
expect_status 0 "(2) the source still verifies"

# ---------------------------------------------------------------------------------------
# 3. existing files, the database itself, a directory
before="$(sha256sum copy.db)"
run "$L" --as zhou.jianguo backup copy.db
expect_status 5 "an existing FILE is refused: exit 5"
expect_err_prefix "refusal: an error message"
expect_contains "$err" "copy.db already exists" "refusal: names the file"
expect_contains "$err" "--force" "refusal: says how to replace it"
expect_eq "$(sha256sum copy.db)" "$before" "refusal: the file is unchanged"
expect_eq "$(temp_files .)" "" "refusal: no temporary file"
run "$L" --as zhou.jianguo backup --force copy.db
expect_status 0 "--force replaces it"
expect_eq "$(sqlite3 -batch copy.db 'SELECT count(*) FROM records')" "63" "--force: the new copy has the new records"
expect_good_copy "(3 force)" copy.db
if [ "$LIAISON_TEST_DB" = sqlite ]; then  # (on PostgreSQL records.db is just a file)
  run "$L" --as zhou.jianguo backup --force records.db
  expect_status 2 "the database itself is refused: exit 2"
  expect_contains "$err" "is the database itself" "… says so"
  expect_eq "$(db 'SELECT count(*) FROM records')" "63" "… and the database is intact"
fi
run "$L" --as zhou.jianguo backup --force sub
expect_status 2 "a directory is refused: exit 2"
expect_contains "$err" "sub is a directory" "… says so"
run "$L" --as zhou.jianguo backup
expect_status 2 "no FILE: exit 2"

# ---------------------------------------------------------------------------------------
# 4. where nothing can be written: no file made, no temporary file left
run "$L" --as zhou.jianguo backup no-such-dir/x.db
expect_status 1 "a missing directory: exit 1"
expect_contains "$err" "cannot create the backup in no-such-dir" "… names the directory"
expect_contains "$err" "No such file or directory" "… and why"
touch plain-file
run "$L" --as zhou.jianguo backup plain-file/x.db
expect_status 1 "a file as the directory: exit 1"
mkdir ro
# an unwritable directory: read-only mode, or for root (who writes anyway) immutable
chmod 555 ro
if [ "$(id -u)" = 0 ]; then chattr +i ro 2>/dev/null; fi
if touch ro/probe 2>/dev/null; then
  rm -f ro/probe
  fail "(4) cannot make a directory unwritable here (neither chmod nor chattr +i works)"
else
  run "$L" --as zhou.jianguo backup ro/x.db
  expect_status 1 "an unwritable directory: exit 1"
  expect_err_prefix "an unwritable directory: an error message"
  expect_contains "$err" "cannot create the backup in ro" "… names the directory"
  expect_contains "$err" "choose a folder you can write to" "… says what to do"
  expect_eq "$(ls -A ro)" "" "an unwritable directory: nothing left in it"
fi
[ "$(id -u)" = 0 ] && chattr -i ro 2>/dev/null
chmod 755 ro
expect_eq "$(temp_files .)" "" "no temporary file left in the working directory"

# ---------------------------------------------------------------------------------------
# 5. who may: admin (sun.qian), auditor (he.min), top (chen.zhiqiang) may; staff and
# heads of departments, and users not listed, may not.
for who in sun.qian he.min chen.zhiqiang; do
  run "$L" --as "$who" backup "by-$who.db"
  expect_status 0 "$who may take a backup"
  [ -f "by-$who.db" ] && pass "… by-$who.db exists" || fail "… by-$who.db missing"
done
for who in li.xue wang.hai nobody; do
  run "$L" --as "$who" backup "by-$who.db"
  expect_status 77 "$who may not take a backup: exit 77"
  expect_contains "$err" "$who may not take a backup" "$who: the refusal names the user"
  expect_contains "$err" "admin" "$who: … and says who may"
  [ -e "by-$who.db" ] && fail "$who: a file was written" || pass "$who: no file written"
done
expect_eq "$(temp_files .)" "" "no temporary file left after refusals"

# single-user mode (no [[user]] in the config: the minimal example without its users and
# the departments' heads and members): anyone may
new_dir
"$L" init --example minimal >/dev/null 2>&1
awk '/^\[\[user\]\]/ {skip=1; next} /^\[/ {skip=0} !skip && !/^(head|members) *=/' liaison.toml >single.toml
mv single.toml liaison.toml
run "$L" config check
expect_contains "$out" "0 users" "single-user mode: the config lists no users"
run "$L" --as anyone backup single.db
expect_status 0 "single-user mode: anyone may take a backup"
expect_eq "$(sqlite3 -batch single.db 'PRAGMA integrity_check')" "ok" "single-user mode: the copy is whole"

finish
