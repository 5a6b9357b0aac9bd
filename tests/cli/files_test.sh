#!/usr/bin/env bash
# Files liaison creates are its owner's alone (liaison(1), FILES): whatever the umask it
# is started with, the database and its -wal/-shm, the configuration `init` writes,
# --out files of export and report, backups and the LIAISON_TRACE_SQL file are created
# with mode 0600 — each may hold records, names and phone numbers.
. "$(dirname "$0")/lib.sh"

umask 022  # the usual umask, under which files would otherwise be world-readable
setup_workdir

# mode FILE → the file's permission bits in octal (e.g. 600)
mode() { stat -c %a "$1"; }
expect_private() {
  if [ ! -e "$1" ]; then
    fail "$2: $1 does not exist"
    return
  fi
  expect_eq "$(mode "$1")" "600" "$2 ($1) is created 0600"
}

expect_private records.db "init's database"
expect_private liaison.toml "init's configuration"

at 2026-09-21T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer --phone 13800000000
run "$L" file --kind complaint --party svw --channel email --subject "支架尺寸超差"
expect_eq "$out" "EXT-2026-00001" "a record is filed"

# While a connection is open, SQLite keeps the -wal and -shm files beside the database
# (made with the database's own mode): hold one open with the lock holder and look.
if hold_db_lock; then
  expect_private records.db-wal "the write-ahead log"
  expect_private records.db-shm "the shared-memory index"
  release_db_lock
fi

run "$L" export --out export.jsonl
expect_status 0 "export --out succeeds"
expect_private export.jsonl "export --out"

run "$L" report --period 2026-09 --out report.md --format md
expect_status 0 "report --out succeeds"
expect_private report.md "report --out"

run "$L" backup backup.db
expect_status 0 "backup succeeds"
expect_private backup.db "a backup"

LIAISON_TRACE_SQL="$PWD/trace.sql" run "$L" list
expect_status 0 "list with LIAISON_TRACE_SQL succeeds"
expect_private trace.sql "the SQL trace"

# A fresh database in a new folder, by `init --db-only`, under an even laxer umask.
mkdir fresh
cp liaison.toml fresh/
(cd fresh && umask 000 && "$L" init --db-only >/dev/null 2>&1)
expect_private fresh/records.db "init --db-only's database under umask 000"

# [store] mode shares the files with a group (a deployment behind a setgid wrapper,
# liaison-security(7)); never with others.
mkdir shared
cp liaison.toml shared/
sed -i '0,/^\[store\]$/s//[store]\nmode = "0660"/' shared/liaison.toml
if ! grep -q '^\[store\]$' shared/liaison.toml; then printf '\n[store]\nmode = "0660"\n' >>shared/liaison.toml; fi
(cd shared && umask 000 && "$L" init --db-only >/dev/null 2>&1)
expect_eq "$(mode shared/records.db)" "660" "[store] mode = \"0660\": the database is the group's to read and write"
(cd shared && "$L" --now 2026-09-21T10:00:00+08:00 party add "某供应商" --id sup --type supplier >/dev/null 2>&1 &&
  "$L" backup copy.db >/dev/null 2>&1)
expect_eq "$(mode shared/copy.db)" "660" "… and so is a backup"
(cd shared && "$L" --format json config show) >shown.json 2>/dev/null
expect_eq "$(jq -r .store.mode shown.json)" "0660" "config show gives the mode"
for bad in 0644 0666 0700 "rw"; do
  sed "s/^mode = \"0660\"/mode = \"$bad\"/" shared/liaison.toml >bad-mode.toml
  run "$L" --config bad-mode.toml config check
  expect_status 78 "[store] mode = \"$bad\" is refused"
  expect_contains "$err" "[store] mode: \"$bad\" is not a mode liaison creates files with" "… naming the value ($bad)"
done
expect_contains "$err" "\"0640\" (the group reads)" "… and listing the modes it takes"

finish
