#!/usr/bin/env bash
# Schema versions and opening the database: migrations from schemas/NNNN_*.sql
# are applied on open and recorded in PRAGMA user_version; an older binary refuses a newer
# database with a clear message and leaves it untouched; a SQLite file that is not a
# liaison database is refused, not taken over; WAL mode is on after the first write.
. "$(dirname "$0")/lib.sh"

# the highest schemas/NNNN_*.sql number
latest=0
for f in "$LIAISON_SRC"/schemas/[0-9][0-9][0-9][0-9]_*.sql; do
  n="$(basename "$f")"
  n=$((10#${n%%_*}))
  ((n > latest)) && latest=$n
done
if ((latest > 0)); then pass "schemas/ has migrations (latest $latest)"; else fail "no schemas/NNNN_*.sql found under $LIAISON_SRC"; fi

# ---------------------------------------------------------------------------------------
# fresh init
setup_workdir
expect_eq "$(db 'PRAGMA user_version')" "$latest" "init records user_version = $latest (the highest schemas/ number)"
expect_eq "$(db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('clocks', 'events', 'parties', 'records', 'sequences') ORDER BY name)")" \
  "clocks events parties records sequences" "init created the tables"
expect_eq "$(db "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name IN ('events_no_update', 'events_no_delete')")" \
  "2" "init created the append-only triggers"
expect_eq "$(db 'PRAGMA journal_mode')" "wal" "WAL mode is on after init"

at 2026-09-21T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "party add"
run "$L" file --kind complaint --party svw --channel email --subject "批次 2609 支架尺寸超差"
expect_status 0 "file"
expect_eq "$out" "EXT-2026-00001" "first record"
expect_eq "$(db 'PRAGMA journal_mode')" "wal" "WAL mode is on after the first write"
expect_eq "$(db 'PRAGMA user_version')" "$latest" "writing keeps user_version at $latest"
run "$L" list
expect_status 0 "list on a current database"
expect_eq "$(db 'PRAGMA user_version')" "$latest" "reading keeps user_version at $latest"

# a database created by sqlite3 without liaison and switched back to rollback mode,
# then opened by liaison: the first write turns WAL on again
db 'PRAGMA journal_mode = delete' >/dev/null
expect_eq "$(db 'PRAGMA journal_mode')" "delete" "switched the database to rollback-journal mode"
run "$L" log EXT-2026-00001 "已电话告知客户"
expect_status 0 "log on a rollback-journal database"
expect_eq "$(db 'PRAGMA journal_mode')" "wal" "the next write turns WAL mode back on"

# an empty file (e.g. touched by hand) is a database at version 0: a write migrates it
new_dir
cp "$LIAISON_SRC/examples/minimal/liaison.toml" .
: >records.db
run "$L" --as alice party add "Acme" --id acme --type customer  # alice: a user of the minimal example
expect_status 0 "a write on an empty database file migrates it"
expect_eq "$(db 'PRAGMA user_version')" "$latest" "… to user_version $latest"
expect_eq "$(db 'PRAGMA journal_mode')" "wal" "… in WAL mode"
# reading an empty file does not migrate it: it says what to do
new_dir
cp "$LIAISON_SRC/examples/minimal/liaison.toml" .
: >records.db
run "$L" list
expect_status 1 "list on an empty (version 0) database file is refused"
expect_contains "$err" "needs upgrading" "… saying it needs upgrading"
expect_eq "$(stat -c %s records.db)" "0" "… and leaves it empty"

# ---------------------------------------------------------------------------------------
# a database from a newer liaison (user_version 99): refused by every command, unchanged
setup_workdir
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
run "$L" file --kind complaint --party svw --channel email --subject "旧记录"
expect_eq "$out" "EXT-2026-00001" "setup: a record in the database"
db 'PRAGMA user_version = 99'
expect_eq "$(db 'PRAGMA user_version')" "99" "user_version set to 99"

check_refused_everywhere() {  # $1: label; the database in $PWD must be refused unchanged
  local label="$1" before after args
  before="$(sha256sum records.db | cut -d' ' -f1)"
  local -a cmds=(
    "list"
    "list --format json"
    "show EXT-2026-00001"
    "party list"
    "party show svw"
    "deadline explain EXT-2026-00001"
    "audit verify"
    "file --kind complaint --party svw --channel email --subject new"
    "log EXT-2026-00001 note"
    "ack EXT-2026-00001"
    "route EXT-2026-00001 --to quality"
    "escalate EXT-2026-00001 --to gm --reason r"
    "wait EXT-2026-00001 --reason r"
    "resume EXT-2026-00001"
    "close EXT-2026-00001 --resolution done --reply-via email"
    "reopen EXT-2026-00001 --reason r"
    "party add Other --id other --type customer"
    "party edit svw --phone 1"
  )
  for args in "${cmds[@]}"; do
    # shellcheck disable=SC2086
    run "$L" $args
    expect_status 1 "$label: '$args' is refused (exit 1)"
    expect_contains "$err" "newer" "$label: '$args' says the database is newer"
    expect_err_prefix "$label: '$args' error is a 'liaison: ' message"
  done
  after="$(sha256sum records.db | cut -d' ' -f1)"
  expect_eq "$after" "$before" "$label: records.db is byte-for-byte unchanged"
  expect_eq "$(db 'PRAGMA user_version')" "99" "$label: user_version still 99"
}
check_refused_everywhere "newer (WAL)"
run "$L" list
expect_contains "$err" "99" "the message names the database's version"
expect_contains "$err" "($latest)" "… and the version this liaison knows"

# the same database in rollback-journal mode: refusing it must not switch it to WAL
db "PRAGMA journal_mode = delete" >/dev/null
db 'PRAGMA user_version = 99'
expect_eq "$(db 'PRAGMA journal_mode')" "delete" "newer database in rollback-journal mode"
check_refused_everywhere "newer (rollback journal)"
expect_eq "$(db 'PRAGMA journal_mode')" "delete" "refusing it did not switch it to WAL"

# ---------------------------------------------------------------------------------------
# a SQLite file that is not a liaison database: refused, not taken over, unchanged
new_dir
cp "$LIAISON_SRC/examples/minimal/liaison.toml" .
sqlite3 -batch records.db "CREATE TABLE inventory (sku TEXT PRIMARY KEY, qty INTEGER); INSERT INTO inventory VALUES ('B340LA', 12);"
foreign_before="$(sha256sum records.db | cut -d' ' -f1)"
for args in "list" "show EXT-2026-00001" "audit verify" "party list" \
  "file --kind inquiry --party acme --channel email --subject x" "party add Acme --id acme --type customer"; do
  # shellcheck disable=SC2086
  run "$L" $args
  expect_status 1 "foreign database: '$args' is refused (exit 1)"
  expect_contains "$err" "not a liaison database" "foreign database: '$args' says it is not a liaison database"
done
expect_eq "$(sha256sum records.db | cut -d' ' -f1)" "$foreign_before" "foreign database: file unchanged"
expect_eq "$(db 'PRAGMA journal_mode')" "delete" "foreign database: not switched to WAL"
expect_eq "$(db "SELECT group_concat(name) FROM sqlite_schema WHERE type = 'table'")" "inventory" "foreign database: no tables added"
expect_eq "$(db 'PRAGMA user_version')" "0" "foreign database: user_version untouched"

# init with --db pointing at a foreign database does not take it over either
new_dir
sqlite3 -batch other.db "CREATE TABLE inventory (sku TEXT);"
run "$L" --db other.db init --example minimal
if [ "$status" -ne 0 ]; then pass "init --db FOREIGN is refused"; else fail "init --db FOREIGN succeeded"; fi
expect_contains "$err" "not a liaison database" "… saying it is not a liaison database"
expect_eq "$(sqlite3 -batch other.db "SELECT group_concat(name) FROM sqlite_schema WHERE type = 'table'")" "inventory" "… and adds no tables"

# ---------------------------------------------------------------------------------------
# read-only database file: reading commands work, writing ones fail cleanly
if [ "$(id -u)" -eq 0 ]; then
  echo "migrate: running as root, chmod 444 does not stop writes; read-only file checks skipped"
else
  setup_workdir
  run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
  run "$L" file --kind complaint --party svw --channel email --subject "只读"
  chmod 444 records.db
  run "$L" list
  expect_status 0 "read-only file: list works"
  expect_contains "$out" "EXT-2026-00001" "read-only file: list shows the record"
  run "$L" show EXT-2026-00001
  expect_status 0 "read-only file: show works"
  run "$L" audit verify
  expect_status 0 "read-only file: audit verify works"
  before="$(counts)"
  run "$L" log EXT-2026-00001 "不应写入"
  if [ "$status" -ne 0 ]; then pass "read-only file: log is refused"; else fail "read-only file: log succeeded"; fi
  expect_err_prefix "read-only file: the error is a 'liaison: ' message"
  expect_eq "$(counts)" "$before" "read-only file: nothing written"
  chmod 644 records.db
fi

# ---------------------------------------------------------------------------------------
# a database at version 1 (made by the first release): reading says what to do, the
# first write upgrades it step by step, and the records in it are kept
new_dir
cp "$LIAISON_SRC/examples/minimal/liaison.toml" .
sqlite3 -batch records.db ".read $LIAISON_SRC/schemas/0001_initial.sql" "PRAGMA user_version = 1" \
  "INSERT INTO parties (id, name, type, created_at) VALUES ('acme', 'Acme', 'customer', 1790000000)" \
  "INSERT INTO records (ref, kind, direction, subject, party, owner, level, status, received_at, created_at, created_by)
   VALUES ('EXT-2026-00001', 'inquiry', 'external', 'old record', 'acme', 'sales', 'internal', 'open', 1790000000, 1790000000, 'ann')"
run "$L" list
expect_status 1 "list on a version-1 database is refused (read-only commands do not migrate)"
expect_contains "$err" "needs upgrading" "… saying it needs upgrading"
expect_contains "$err" "liaison init --db-only" "… and how"
expect_eq "$(db 'PRAGMA user_version')" "1" "… and leaves it at version 1"
run "$L" init
expect_status 5 "init refuses to overwrite the config (so it is not the way to upgrade)"
run "$L" init --db-only
expect_status 0 "init --db-only on a version-1 database upgrades it"
expect_eq "$out" "using existing records.db (schema version $latest)" "… and says so"
run "$L" --as alice party add "Other" --id other --type customer
expect_status 0 "writing after the upgrade"
expect_eq "$(db 'PRAGMA user_version')" "$latest" "… to user_version $latest"
expect_eq "$(db "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'events_type_at'")" "1" \
  "… with version 2's index on events(type, at)"
run "$L" --as alice list --format tsv --columns ref,subject
expect_status 0 "list after the upgrade"
expect_eq "$out" "EXT-2026-00001	old record" "… shows the record written at version 1"

finish
