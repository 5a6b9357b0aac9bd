# Shared helpers for the command-line tests (tests/cli/*_test.sh).
#
# Source it from a test script:
#     . "$(dirname "$0")/lib.sh"
#     setup_workdir
#     run "$LIAISON_BIN" file --kind complaint ...
#     expect_status 0 "file succeeds"
#     finish
#
# Environment: LIAISON_BIN (the built binary, absolute path) and LIAISON_SRC (repo root)
# are set by ctest (cmake/tests.cmake); both default to the usual places when run by hand.
#
# Stable API (other test files rely on these names):
#   setup_workdir            cd into a fresh temp dir; `liaison init` → liaison.toml + records.db
#                            ($MAIN_DB; on PostgreSQL a database of its own, LIAISON_DB)
#   run CMD...               run CMD; sets $out (stdout), $err (stderr), $status (exit code).
#                            Stdin is /dev/null unless given: `run_stdin TEXT CMD...`
#   run_stdin TEXT CMD...    like run, with TEXT on standard input
#   expect_status N "desc"   $status == N
#   expect_eq ACTUAL EXPECTED "desc"
#   expect_contains HAYSTACK NEEDLE "desc"
#   expect_not_contains HAYSTACK NEEDLE "desc"
#   expect_match HAYSTACK ERE "desc"            (bash =~ regex)
#   expect_err_prefix "desc" stderr starts with 'liaison: '
#   at TIME                  sets (exports) LIAISON_NOW, the fixed "now" of the next commands
#   db SQL                   prints the result of SQL run with sqlite3 on ./records.db
#   counts                   prints "records events" counts (for nothing-changed checks)
#   event_digest ID          the hash event ID of ./records.db should have, recomputed from its
#                            stored fields as lib/services/chain.h documents (an attacker's tool)
#   snapshot                 prints the whole database's content summary: counts of records,
#                            events, parties, clocks, each record's ref/status/owner/due and the
#                            sequences — compare before/after a failing write
#   use_fake_sendmail [TOML] ./fake-sendmail stores mail instead of sending it, and the config's
#                            [remind] table (and its [[remind.*]] steps) is replaced by one
#                            that sends through it from liaison@example.cn, then TOML
#   mails / mail_count       the stored messages (mail/msg-NNN), oldest first / how many
#   hold_db_lock [DB]        another process takes DB's (records.db) write lock and keeps it
#                            until release_db_lock; returns once it holds it
#   prepare_db_lock          only make the release handshake (the stand-in sendmail takes
#                            the lock, see use_fake_sendmail); release_db_lock ends either
#   release_db_lock          let the holder commit; returns once it has
#   watch_lock_wait          the next command run with LIAISON_TRACE_SQL="$LOCK_DIR/trace"
#                            is watched: lock_wait_seen "desc" returns once it says (in its
#                            trace) that it waits for a lock, and fails if it ends without
#   fails STATUS NEEDLE "desc" CMD...  CMD fails with STATUS, says NEEDLE in a 'liaison: '
#                            message, prints nothing on stdout, leaves the database unchanged
#   pass "desc" / fail "desc" record a result directly
#   finish                   prints 'N passed, N failed' and exits (1 if any failed)
#
# Tests fix the clock: every run gets LIAISON_NOW unless the caller overrides it, and
# LIAISON_USER=zhou.jianguo (a listed user who may do everything: roles top and head,
# clearance top-secret, in the example config), LANG=C.UTF-8 (English labels), NO_COLOR=1, LIAISON_PAGER= (no pager), and no LIAISON_CONFIG/LIAISON_DB from outside.

set -u

: "${LIAISON_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${LIAISON_BIN:=$LIAISON_SRC/build/liaison}"
export LIAISON_SRC LIAISON_BIN

case "$LIAISON_BIN" in
  /*) ;;
  *) LIAISON_BIN="$(cd "$(dirname "$LIAISON_BIN")" && pwd)/$(basename "$LIAISON_BIN")" ;;
esac
if [ ! -x "$LIAISON_BIN" ]; then
  echo "LIAISON_BIN=$LIAISON_BIN is not an executable" >&2
  exit 2
fi
L="$LIAISON_BIN"

unset LIAISON_CONFIG LIAISON_DB LIAISON_FORMAT
export LIAISON_USER=zhou.jianguo
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset LC_MESSAGES LANGUAGE
export NO_COLOR=1
# No pager on the terminals script(1) gives some tests (terminal_test.sh tests the pager).
export LIAISON_PAGER=
unset PAGER
export TZ=UTC
# A default fixed "now" (Monday 2026-09-21 09:00 in Asia/Shanghai); tests override per call.
export LIAISON_NOW="${LIAISON_NOW:-2026-09-21T09:00:00+08:00}"

_passed=0
_failed=0
_test_name="$(basename "$0" .sh)"

_tmp_root="$(mktemp -d "${TMPDIR:-/tmp}/liaison-cli.XXXXXX")"
_cleanup() { cd / && rm -rf "$_tmp_root"; _drop_pg_databases; }

# LIAISON_TEST_DB=postgres runs the test against PostgreSQL: each setup_workdir creates a
# database of its own on the server LIAISON_TEST_PG names (the throwaway cluster of
# scripts/pg-cluster, whose env file also gives PGHOST and PGPORT) and points LIAISON_DB
# at it; `db` runs its SQL there with psql. Otherwise (the default) the store is SQLite.
LIAISON_TEST_DB="${LIAISON_TEST_DB:-sqlite}"
_pg_databases=()
_pg_url=""
if [ "$LIAISON_TEST_DB" = postgres ] && [ -z "${LIAISON_TEST_PG:-}" ]; then
  echo "LIAISON_TEST_DB=postgres needs LIAISON_TEST_PG (source build/pg/env after scripts/pg-cluster start)" >&2
  exit 2
fi
# psql on database $1 as the cluster's superuser: SQL on stdin, rows as "a|b", NULL empty.
_psql() {
  psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$1" -f -
}
_new_pg_database() {
  local name="t_$$_${#_pg_databases[@]}"
  printf 'CREATE DATABASE %s ENCODING %s TEMPLATE template0;\n' "$name" "'UTF8'" | _psql postgres >/dev/null || exit 2
  _pg_databases+=("$name")
  _pg_url="postgresql://${PGUSER:-postgres}@/$name?host=$PGHOST&port=$PGPORT"
}
_drop_pg_databases() {
  [ -n "${KEEP_PG:-}" ] && return 0  # KEEP_PG=1: left for a look after a failure
  local name
  for name in "${_pg_databases[@]}"; do
    printf 'DROP DATABASE IF EXISTS %s WITH (FORCE);\n' "$name" | _psql postgres >/dev/null 2>&1
  done
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

out=""
err=""
status=0
_last_cmd=""

pass() {
  _passed=$((_passed + 1))
  [ -n "${VERBOSE:-}" ] && printf 'ok   %s\n' "$1"
  return 0
}

fail() {
  _failed=$((_failed + 1))
  printf 'FAIL %s\n' "$1"
  [ -n "$_last_cmd" ] && printf '     last command: %s\n' "$_last_cmd"
  return 0
}

# A new, empty temp directory (cd into it); no init.
new_dir() {
  local d
  d="$(mktemp -d "$_tmp_root/w.XXXXXX")"
  cd "$d" || exit 2
}

# Fresh temp dir with the manufacturing example config and its database.
setup_workdir() {
  new_dir
  local example="${1:-manufacturing}"
  MAIN_DB=records.db  # the workdir's store, for --db
  if [ "$LIAISON_TEST_DB" = postgres ]; then
    _new_pg_database
    export LIAISON_DB="$_pg_url"
    MAIN_DB="$_pg_url"
    export LOCK_TARGET="$_pg_url"  # what the stand-in sendmail locks (use_fake_sendmail)
  fi
  if ! "$L" init --example "$example" >/dev/null 2>"$_tmp_root/init.err"; then
    echo "setup_workdir: liaison init failed:" >&2
    cat "$_tmp_root/init.err" >&2
    exit 2
  fi
  if [ "$LIAISON_TEST_DB" = postgres ]; then
    _psql "$_pg_url" <"$LIAISON_SRC/tests/cli/pg/sqlite_compat.sql" >/dev/null || exit 2
    # The config names the database too ([store] url), for commands run without
    # LIAISON_DB (cron jobs, env -i).
    sed -i "s|^path = \"records.db\".*|url = \"${_pg_url//&/\\&}\"|" liaison.toml
    grep -q '^url = "postgresql://' liaison.toml && return 0
    echo "setup_workdir: no [store] path in liaison.toml to point at PostgreSQL" >&2
    exit 2
    echo "setup_workdir: init did not create liaison.toml (in $PWD: $(ls))" >&2
    exit 2
  fi
  if [ ! -f liaison.toml ] || [ ! -f records.db ]; then
    echo "setup_workdir: init did not create liaison.toml and records.db (in $PWD: $(ls))" >&2
    exit 2
  fi
}

# run CMD... → $out, $err, $status (stdin from /dev/null)
run() {
  _last_cmd="$*"
  local o e
  o="$_tmp_root/.out" e="$_tmp_root/.err"
  "$@" >"$o" 2>"$e" </dev/null
  status=$?
  out="$(cat "$o")"
  err="$(cat "$e")"
  return 0
}

# run_stdin TEXT CMD... → like run, TEXT on stdin
run_stdin() {
  local input="$1"
  shift
  _last_cmd="$* <<< ${input:0:40}"
  local o e
  o="$_tmp_root/.out" e="$_tmp_root/.err"
  printf '%s' "$input" | "$@" >"$o" 2>"$e"
  status=${PIPESTATUS[1]}
  out="$(cat "$o")"
  err="$(cat "$e")"
  return 0
}

expect_status() {
  local want="$1" desc="$2"
  if [ "$status" = "$want" ]; then
    pass "$desc"
  else
    fail "$desc: exit status $status, expected $want"
    printf '     stdout: %s\n     stderr: %s\n' "${out:0:400}" "${err:0:400}"
  fi
}

expect_eq() {
  local actual="$1" expected="$2" desc="$3"
  if [ "$actual" == "$expected" ]; then
    pass "$desc"
  else
    fail "$desc"
    printf '     expected: %s\n     actual:   %s\n' "$expected" "$actual"
  fi
}

expect_contains() {
  local hay="$1" needle="$2" desc="$3"
  if [[ "$hay" == *"$needle"* ]]; then
    pass "$desc"
  else
    fail "$desc: missing '$needle'"
    printf '     in: %s\n' "${hay:0:600}"
  fi
}

expect_not_contains() {
  local hay="$1" needle="$2" desc="$3"
  if [[ "$hay" != *"$needle"* ]]; then
    pass "$desc"
  else
    fail "$desc: unexpected '$needle'"
    printf '     in: %s\n' "${hay:0:600}"
  fi
}

expect_match() {
  local hay="$1" re="$2" desc="$3"
  if [[ "$hay" =~ $re ]]; then
    pass "$desc"
  else
    fail "$desc: no match for /$re/"
    printf '     in: %s\n' "${hay:0:600}"
  fi
}

# stderr of the last run starts with 'liaison: '
expect_err_prefix() {
  local desc="$1"
  if [[ "$err" == "liaison: "* ]]; then
    pass "$desc"
  else
    fail "$desc: stderr does not start with 'liaison: '"
    printf '     stderr: %s\n' "${err:0:400}"
  fi
}

# at TIME → every later command runs at TIME (LIAISON_NOW)
at() {
  export LIAISON_NOW="$1"
}

# db SQL → sqlite3 output on ./records.db (or $DB if set); on PostgreSQL (unless $DB
# names a file), psql's on the workdir's database
db() {
  if [ "$LIAISON_TEST_DB" = postgres ] && { [ -z "${DB:-}" ] || [[ "$DB" == postgresql://* ]]; }; then
    # Booleans as SQLite prints them: 1 and 0, not t and f.
    printf '%s\n' "$1" | python3 "$LIAISON_SRC/tests/cli/pg/sqlite_sql.py" | _psql "${DB:-$_pg_url}" | sed -E 's/(^|\|)t(\||$)/\11\2/g; s/(^|\|)t(\||$)/\11\2/g;
      s/(^|\|)f(\||$)/\10\2/g; s/(^|\|)f(\||$)/\10\2/g'
    return "${PIPESTATUS[2]}"
  else
    sqlite3 -batch "${DB:-records.db}" "$1"
  fi
}

# "records events" — to check that a failed command changed nothing
# event_digest ID — SHA-256 in hex over the length-prefixed fields "LEN:VALUE\n" (LEN in
# bytes) of prev_hash, id, record_id (0 when NULL), type, actor, at (UTC seconds), data —
# in its place its SHA-256 (data_sha256) for events that carry one (schema 14 on) — and,
# for events with a salt (schema 7 on), salt and recorded_at (UTC seconds).
event_digest() {
  local id="$1" prev rid type actor at data salt recorded
  prev="$(db "SELECT prev_hash FROM events WHERE id = $id")"
  rid="$(db "SELECT coalesce(record_id, 0) FROM events WHERE id = $id")"
  type="$(db "SELECT type FROM events WHERE id = $id")"
  actor="$(db "SELECT actor FROM events WHERE id = $id")"
  at="$(db "SELECT at FROM events WHERE id = $id")"
  data="$(db "SELECT coalesce(data_sha256, data) FROM events WHERE id = $id")"
  salt="$(db "SELECT salt FROM events WHERE id = $id")"
  recorded="$(db "SELECT coalesce(recorded_at, '') FROM events WHERE id = $id")"
  _digest_field() { printf '%s:%s\n' "$(printf '%s' "$1" | wc -c)" "$1"; }
  { _digest_field "$prev"; _digest_field "$id"; _digest_field "$rid"; _digest_field "$type"
    _digest_field "$actor"; _digest_field "$at"; _digest_field "$data"
    if [ -n "$salt" ]; then _digest_field "$salt"; _digest_field "$recorded"; fi; } |
    sha256sum | cut -d' ' -f1
}

# redigest ID — what an attacker who changed event ID's data must do as well (schema 14
# on): set its data_sha256 to the new data's SHA-256, so that event_digest covers it.
redigest() {
  local sum
  sum="$(db "SELECT data FROM events WHERE id = $1" | head -c -1 | sha256sum | cut -d' ' -f1)"
  db "UPDATE events SET data_sha256 = '$sum' WHERE id = $1 AND data_sha256 IS NOT NULL"
}

# import_elsewhere: exports every record with its history to all.jsonl and imports that
# into a fresh database, $OTHER_DB (other/records.db, or on PostgreSQL a new database of
# the server), under the same config; $status is the import's.
OTHER_DB=other/records.db
import_elsewhere() {
  run "$L" export --with-events --out all.jsonl
  mkdir other && cp liaison.toml other/
  if [ "$LIAISON_TEST_DB" = postgres ]; then
    local here="$_pg_url"
    _new_pg_database
    OTHER_DB="$_pg_url"
    _pg_url="$here"
  fi
  if [ "$LIAISON_TEST_DB" = postgres ]; then
    "$L" --db "$OTHER_DB" init --db-only >/dev/null 2>&1
  else
    (cd other && "$L" init --db-only >/dev/null 2>&1)
  fi
  run "$L" --db "$OTHER_DB" import all.jsonl
}

# save_db NAME / restore_db NAME: a copy of the workdir's database kept under NAME and
# put back (cp records.db NAME and back; on PostgreSQL a database made from it as a
# template, and the workdir's made again from that).
_pg_name() { local n="${_pg_url#*@/}"; printf '%s' "${n%%\?*}"; }
_copy_name() { printf '%s_%s' "$(_pg_name)" "$(printf '%s' "$1" | tr -c 'a-z0-9' _)"; }
save_db() {
  if [ "$LIAISON_TEST_DB" = postgres ]; then
    printf 'DROP DATABASE IF EXISTS %s WITH (FORCE);\nCREATE DATABASE %s TEMPLATE %s;\n' \
      "$(_copy_name "$1")" "$(_copy_name "$1")" "$(_pg_name)" | _psql postgres >/dev/null
    _pg_databases+=("$(_copy_name "$1")")
  else
    cp records.db "$1"
  fi
}
restore_db() {
  if [ "$LIAISON_TEST_DB" = postgres ]; then
    printf 'DROP DATABASE %s WITH (FORCE);\nCREATE DATABASE %s TEMPLATE %s;\n' \
      "$(_pg_name)" "$(_pg_name)" "$(_copy_name "$1")" | _psql postgres >/dev/null
  else
    cp "$1" records.db
  fi
}

# sqlite_here / main_db_again: from here on the commands use the SQLite file records.db
# that ./liaison.toml names (on PostgreSQL: LIAISON_DB unset, the config's url made a path
# again), then the workdir's store again. For a test's own second database in a folder.
sqlite_here() {
  [ "$LIAISON_TEST_DB" = postgres ] || return 0
  unset LIAISON_DB
  sed -i 's|^url = "postgresql://.*|path = "records.db"|' liaison.toml
}
main_db_again() {
  [ "$LIAISON_TEST_DB" = postgres ] || return 0
  export LIAISON_DB="$MAIN_DB"
}

# other_db SQL: db's answer from $OTHER_DB
other_db() { DB="$OTHER_DB" db "$1"; }

# run_sql SQL: SQL run as the store's own shell runs it (sqlite3 on ./records.db, psql on
# the workdir's PostgreSQL database), as run does; $SQL_REFUSED is the status that shell
# exits with when the database refuses the statement (a trigger, a constraint).
run_sql() {
  if [ "$LIAISON_TEST_DB" = postgres ]; then
    run bash -c 'printf "%s\n" "$1" | psql -X -q -v ON_ERROR_STOP=1 -d "$2" -f -' _ "$1" "$_pg_url"
  else
    run sqlite3 -batch records.db "$1"
  fi
}
SQL_REFUSED=19
[ "$LIAISON_TEST_DB" = postgres ] && SQL_REFUSED=3

# expect_same_export: $OTHER_DB exports, byte for byte, what all.jsonl holds.
expect_same_export() {
  run "$L" --db "$OTHER_DB" export --with-events
  cmp -s <(printf '%s\n' "$out") all.jsonl && pass "the round trip is byte-identical" || fail "the round trip differs"
}

counts() {
  printf '%s %s' "$(db 'SELECT count(*) FROM records')" "$(db 'SELECT count(*) FROM events')"
}

# a summary of everything a write could change
snapshot() {
  db "SELECT (SELECT count(*) FROM records) || ' ' || (SELECT count(*) FROM events) || ' ' ||
             (SELECT count(*) FROM parties) || ' ' || (SELECT count(*) FROM clocks) || ' ' ||
             (SELECT coalesce(max(id), 0) FROM events);
      SELECT ref, status, owner, assignee, escalated_to, coalesce(due, ''), coalesce(acked_at, ''),
             coalesce(outcome, '') FROM records ORDER BY id;
      SELECT name, last FROM sequences ORDER BY name;
      SELECT id, name, type, phone FROM parties ORDER BY id;"
}

# The write-lock holder: `hold-db-lock DB DIR` (sqlite3) takes DB's write lock, then
# touches DIR/locked and says "locked" on the FIFO DIR/state, then waits for a line on the
# FIFO DIR/release, then commits and touches DIR/released; when it ends, for whatever
# reason, it says "exited" on DIR/state. Whoever waits for it reads DIR/state: a handshake. So a lock is held exactly as long as the test says: a command that
# waits for it waits by construction, and one that times out does so by construction too.
# The path is exported for the stand-in sendmail ($HOLD_DB_LOCK), the directory too ($LOCK_DIR).
export HOLD_DB_LOCK="$_tmp_root/hold-db-lock" LOCK_DIR="$_tmp_root/lock"
# On PostgreSQL (DB a postgresql:// URL) psql holds the advisory lock every liaison
# writer takes first (lib/store/postgres/pg_store.cpp), with the same handshake.
cat >"$HOLD_DB_LOCK" <<'HOLDER'
#!/bin/sh
case "$1" in
  postgresql://*)
    psql -X -q -v ON_ERROR_STOP=1 -d "$1" >/dev/null 2>"$2/holder.err" <<PSQL
SELECT pg_advisory_lock(30515164586667895);
\\! touch '$2/locked'; echo locked >'$2/state'
\\! read go <'$2/release'
SELECT pg_advisory_unlock(30515164586667895);
\\! touch '$2/released'
PSQL
    ;;
  *)
    sqlite3 "$1" "BEGIN IMMEDIATE;" "SELECT 1;" ".shell touch '$2/locked'; echo locked >'$2/state'" \
      ".shell read go <'$2/release'" "COMMIT;" ".shell touch '$2/released'" >/dev/null 2>"$2/holder.err"
    ;;
esac
echo exited >"$2/state"
HOLDER
chmod +x "$HOLD_DB_LOCK"
_release_fd=""
_state_fd=""
_holder_pid=""

# prepare_db_lock — a fresh $LOCK_DIR with the FIFOs `release` and `state`, held open read-write here (so
# neither side's open blocks, and a line written stays until it is read).
prepare_db_lock() {
  rm -rf "$LOCK_DIR"
  mkdir -p "$LOCK_DIR"
  mkfifo "$LOCK_DIR/release" "$LOCK_DIR/state"
  exec {_release_fd}<>"$LOCK_DIR/release" {_state_fd}<>"$LOCK_DIR/state"
}

# _holder_says WORD DESC — reads the holder's next line on DIR/state until it is WORD or
# "exited"; the cap (WAIT_CAP, 120 s) only ends a real hang. Status 0 when WORD came.
_holder_says() {
  local line
  while read -r -t "${WAIT_CAP:-120}" -u "$_state_fd" line; do
    [ "$line" = "$1" ] && return 0
    [ "$line" = exited ] && return 1
  done
  fail "$2: the lock holder said nothing for ${WAIT_CAP:-120} s"
  return 1
}

# hold_db_lock [DB] — starts the holder on DB (default ./records.db) and returns once it
# holds the write lock (status 1, a failure recorded, if it could not take it).
hold_db_lock() {
  prepare_db_lock
  local target="${1:-records.db}"
  [ "$LIAISON_TEST_DB" = postgres ] && [ -z "${1:-}" ] && target="$_pg_url"
  "$HOLD_DB_LOCK" "$target" "$LOCK_DIR" &
  _holder_pid=$!
  if ! _holder_says locked "the lock holder takes the write lock"; then
    fail "sqlite3 could not take the write lock: $(cat "$LOCK_DIR/holder.err" 2>/dev/null)"
    return 1
  fi
}

# release_db_lock — tells the holder to commit and returns once it has.
release_db_lock() {
  echo go >&"$_release_fd"
  if [ -e "$LOCK_DIR/locked" ]; then _holder_says exited "the lock holder commits" || true; fi
  if [ -n "$_holder_pid" ]; then wait "$_holder_pid" 2>/dev/null; fi
  exec {_release_fd}>&- {_state_fd}>&-
  _holder_pid=""
}

# fails STATUS NEEDLE "desc" CMD... — CMD must fail with STATUS, say NEEDLE on stderr in a
# 'liaison: ' message, print nothing on stdout and leave the database unchanged.
fails() {
  local want="$1" needle="$2" desc="$3"
  shift 3
  local before
  before="$(snapshot)"
  [ -n "$before" ] || fail "$desc: cannot read the database before the command"
  run "$@"
  expect_status "$want" "$desc: exit $want"
  expect_contains "$err" "$needle" "$desc: stderr says '$needle'"
  if [ "$want" = 78 ]; then
    # configuration errors list FILE:LINE:COL diagnostics first, then the 'liaison: ' line
    expect_match "$err" "(^|"$'\n'")liaison: [^"$'\n'"]+\$" "$desc: ends with a 'liaison: ' message"
  else
    expect_err_prefix "$desc"
  fi
  expect_eq "$out" "" "$desc: nothing on stdout"
  expect_eq "$(snapshot)" "$before" "$desc: database unchanged"
}

# watch_lock_wait — makes the FIFO $LOCK_DIR/trace for a command's LIAISON_TRACE_SQL (call
# it after hold_db_lock, which makes $LOCK_DIR afresh). A reader in the background reads
# that trace to its end and, when the command writes "-- waiting for a lock" (liaison does
# so, flushed, the moment a statement finds the database locked), says "waiting" on the
# FIFO $LOCK_DIR/waits; at the end of the trace (the command ended) it says "ended".
watch_lock_wait() {
  if [ -n "${_waits_fd:-}" ]; then exec {_waits_fd}>&-; fi
  rm -f "$LOCK_DIR/trace" "$LOCK_DIR/waits"
  mkfifo "$LOCK_DIR/trace" "$LOCK_DIR/waits"
  exec {_waits_fd}<>"$LOCK_DIR/waits"
  (
    while IFS= read -r line; do
      [ "$line" = "-- waiting for a lock" ] && echo waiting >&"$_waits_fd"
    done
    echo ended >&"$_waits_fd"
  ) <"$LOCK_DIR/trace" &
}

# lock_wait_seen "desc" — returns once the watched command says it waits for a lock: a
# pass. A failure "desc" when it ended without waiting, or said nothing for $WAIT_CAP
# seconds (default 120: only a real hang runs into it, never a slow machine).
lock_wait_seen() {
  local line
  if ! read -r -t "${WAIT_CAP:-120}" -u "$_waits_fd" line; then
    fail "$1: the command said nothing for ${WAIT_CAP:-120} s"
    return 1
  fi
  if [ "$line" != waiting ]; then
    fail "$1: the command ended without waiting for the lock"
    return 1
  fi
  pass "$1"
}

# use_fake_sendmail [TOML] — in the work directory: ./fake-sendmail, a stand-in for sendmail
# that stores the message from standard input as mail/msg-NNN (its arguments in
# msg-NNN.args) and fails with status 75 for a message to the address in $FAIL_FOR (and,
# for one to $LOCK_DB_FOR, delivers after starting the lock holder on records.db, which
# keeps the write lock until the test calls release_db_lock — call prepare_db_lock first);
# and the config's [remind] table sending through it, followed by the lines TOML (more
# [remind] keys, then any [[remind.escalate]] steps).
use_fake_sendmail() {
  cat >fake-sendmail <<'SENDMAIL'
#!/bin/sh
# Stand-in for sendmail: stores the message from standard input as mail/msg-NNN.
dir="$(dirname "$0")/mail"
mkdir -p "$dir"
tmp="$dir/.incoming.$$"
cat >"$tmp"
if [ -n "${FAIL_FOR:-}" ] && grep -q "^To:.*<$FAIL_FOR>" "$tmp"; then
  rm -f "$tmp"
  echo "stand-in sendmail: refusing $FAIL_FOR" >&2
  exit 75
fi
if [ -n "${LOCK_DB_FOR:-}" ] && grep -q "^To:.*<$LOCK_DB_FOR>" "$tmp"; then
  # Deliver, but first have the holder take the database's write lock (kept until the
  # test releases it) and wait until it says it has it (the test holds DIR/state open, so
  # the holder's line always arrives, and "exited" comes if sqlite3 fails).
  "$HOLD_DB_LOCK" "${LOCK_TARGET:-$(dirname "$0")/records.db}" "$LOCK_DIR" &
  read -r said <"$LOCK_DIR/state"   # "locked", or "exited" if it could not take the lock
fi
n=$(find "$dir" -name 'msg-???' | wc -l)
name=$(printf 'msg-%03d' $((n + 1)))
printf '%s\n' "$*" >"$dir/$name.args"
mv "$tmp" "$dir/$name"
SENDMAIL
  chmod +x fake-sendmail
  _mail_dir="$PWD/mail"
  # The example may already have a [remind] table (TOML tables cannot be defined twice):
  # cut it (and its [[remind.escalate]] steps) off, then append ours.
  awk '/^\[remind\]/ || /^\[\[remind\./ {skip=1; next} /^\[/ {skip=0} !skip' liaison.toml >liaison.toml.new
  mv liaison.toml.new liaison.toml
  printf '\n[remind]\nsendmail = "%s -t -oi"\nfrom = "liaison@example.cn"\n%s' "$PWD/fake-sendmail" "${1:-}" \
    >>liaison.toml
}

# mails → the messages the stand-in sendmail stored, oldest first; mail_count → how many
mails() { find "$_mail_dir" -name 'msg-???' 2>/dev/null | sort; }
mail_count() { mails | wc -l | tr -d ' '; }

finish() {
  printf '%s passed, %s failed\n' "$_passed" "$_failed"
  if [ "$_failed" -ne 0 ]; then exit 1; fi
  exit 0
}
