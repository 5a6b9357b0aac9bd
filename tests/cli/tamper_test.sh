#!/usr/bin/env bash
# The event history is append-only and hash-chained: the triggers refuse
# UPDATE and DELETE on events, and `liaison audit verify` finds edits and deletions made
# behind the tool's back (with the triggers dropped), naming the first bad event; and
# that it finds records (and their clocks) changed behind the tool's back, naming the
# record, the field, both values and the event whose history says otherwise.
#
# Each tampering case starts from a clean copy of the same database (cp records.db*),
# and verify is shown to pass on that copy first, so every case can fail.
#
# The hash of an event (lib/services/chain.cpp, event_digest_input) is SHA-256 in
# hex over the length-prefixed fields "LEN:VALUE\n" (LEN in bytes) of
#   prev_hash, id, record_id (0 when NULL), type, actor, at (UTC seconds), data,
# and, for events with a salt (schema 7 on), salt and recorded_at (UTC seconds).
# Case (e) recomputes it (event_digest in lib.sh), independently, to play an attacker who
# fixes the hash of the event they changed but not the prev_hash of the one after it.
. "$(dirname "$0")/lib.sh"

setup_workdir
master="$PWD"

# ---------------------------------------------------------------------------------------
# Some records with history.
at 2026-09-21T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "party add"
at 2026-09-21T10:00:00+08:00
run "$L" file --kind complaint --party svw --channel email --subject "批次 2609 支架尺寸超差"
expect_status 0 "file EXT-1"
expect_eq "$out" "EXT-2026-00001" "EXT-2026-00001"
at 2026-09-21T10:30:00+08:00
run "$L" file --kind complaint --from production --channel memo --subject "来料检验延误"
expect_status 0 "file INT-1"
at 2026-09-21T11:00:00+08:00
run "$L" log EXT-2026-00001 "已电话告知客户正在调查"
expect_status 0 "log a note on EXT-1"
note_event="$(db "SELECT max(id) FROM events")"
at 2026-09-21T14:00:00+08:00
run "$L" ack EXT-2026-00001
expect_status 0 "ack EXT-1"
at 2026-09-22T09:00:00+08:00
run "$L" log INT-2026-00001 "已通知采购部" --type email
expect_status 0 "log an email on INT-1"
at 2026-09-22T10:00:00+08:00
run "$L" log EXT-2026-00001 "8D 报告已收到"
expect_status 0 "log a second note on EXT-1"
at 2026-09-23T16:00:00+08:00
run "$L" close EXT-2026-00001 --resolution "更换冲孔模具" --reply-via email
expect_status 0 "close EXT-1"
at 2026-09-24T09:00:00+08:00
run "$L" log EXT-2026-00001 "客户确认关闭"
expect_status 0 "log after closing"

n_events="$(db 'SELECT count(*) FROM events')"
last_event="$(db 'SELECT max(id) FROM events')"
expect_eq "$last_event" "$n_events" "events 1..$n_events"
if [ "$n_events" -ge 8 ]; then pass "enough history to tamper with ($n_events events)"; else fail "only $n_events events"; fi
expect_eq "$(db "SELECT type FROM events WHERE id = $note_event")" "logged" "event $note_event is the logged note"
expect_contains "$(db "SELECT data FROM events WHERE id = $note_event")" "已电话告知客户正在调查" "… and holds its text"

# checksum of everything in the events table, to show that refused statements change nothing
events_sum() { db "SELECT id, record_id, type, actor, at, data, prev_hash, hash FROM events ORDER BY id" | sha256sum; }

# untouched: verify passes (text and JSON)
run "$L" audit verify
expect_status 0 "untouched database: audit verify passes"
expect_eq "$out" "ok: $n_events events, hash chain intact; 2 records agree with their history" \
  "untouched: 'ok: $n_events events, hash chain intact; 2 records agree …'"
run "$L" audit verify --format json
expect_status 0 "untouched: audit verify --format json exits 0"
expect_eq "$(jq -c '[.ok, .events, .first_bad_event, .chain_ok, .records, .state_ok, .first_inconsistency]' <<<"$out")" \
  "[true,$n_events,0,true,2,true,null]" "untouched: json ok, all events and records, nothing inconsistent"

# Case copies: fresh_copy NAME → cd into a new directory holding a copy of the database
# (records.db and any -wal/-shm) and the config; verify passes there before tampering.
fresh_copy() {
  local d="$master.case-$1"   # next to the master dir, so lib.sh removes it
  rm -rf "$d"
  mkdir -p "$d"
  cp "$master"/liaison.toml "$d"/
  cp "$master"/records.db* "$d"/
  cd "$d" || exit 2
  run "$L" audit verify
  expect_status 0 "$1: verify passes on the untouched copy"
}
drop_triggers() {
  sqlite3 -batch records.db 'DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; DROP TRIGGER events_append_only;'
}
# expect_bad CASE ID PROBLEM-SUBSTRING: verify exits 1 naming event ID, text and JSON
expect_bad() {
  local c="$1" id="$2" problem="$3"
  run "$L" audit verify
  expect_status 1 "$c: audit verify exits 1"
  expect_match "$err" "^liaison: history altered: event $id: " "$c: stderr names event $id"
  expect_contains "$err" "$problem" "$c: stderr says what is wrong"
  expect_eq "$out" "" "$c: nothing on stdout"
  run "$L" audit verify --format json
  expect_status 1 "$c: verify --format json exits 1"
  expect_eq "$(jq -c '[.ok, .first_bad_event]' <<<"$out")" "[false,$id]" "$c: json ok=false, first_bad_event $id"
  expect_contains "$(jq -r .problem <<<"$out")" "$problem" "$c: json problem says what is wrong"
}

# ---------------------------------------------------------------------------------------
# (a) the triggers refuse UPDATE and DELETE: nothing changes, verify still passes
fresh_copy a
sum_before="$(events_sum)"
run sqlite3 -batch records.db "UPDATE events SET data = replace(data, '已电话告知', '未告知') WHERE id = $note_event"
if [ "$status" -ne 0 ]; then pass "(a) UPDATE events is refused"; else fail "(a) UPDATE events was accepted"; fi
expect_contains "$err" "append-only" "(a) … by the append-only trigger"
run sqlite3 -batch records.db "UPDATE events SET actor = 'mallory'"
if [ "$status" -ne 0 ]; then pass "(a) UPDATE of every event is refused"; else fail "(a) UPDATE of every event was accepted"; fi
run sqlite3 -batch records.db "DELETE FROM events WHERE id = 3"
if [ "$status" -ne 0 ]; then pass "(a) DELETE FROM events is refused"; else fail "(a) DELETE was accepted"; fi
expect_contains "$err" "append-only" "(a) … by the append-only trigger"
run sqlite3 -batch records.db "DELETE FROM events"
if [ "$status" -ne 0 ]; then pass "(a) DELETE of every event is refused"; else fail "(a) DELETE of every event was accepted"; fi
run sqlite3 -batch records.db "INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash) VALUES ($note_event, 1, 'logged', 'mallory', 0, '{}', '', '') ON CONFLICT(id) DO UPDATE SET actor = 'mallory'"
if [ "$status" -ne 0 ]; then pass "(a) an UPSERT onto an existing event is refused"; else fail "(a) an UPSERT onto an existing event was accepted"; fi
expect_eq "$(events_sum)" "$sum_before" "(a) the events table is unchanged"
expect_eq "$(db 'SELECT count(*) FROM events')" "$n_events" "(a) still $n_events events"
run "$L" audit verify
expect_status 0 "(a) verify still passes"

# (a2) INSERT OR REPLACE deletes the conflicting row without firing DELETE triggers
# (SQLite fires them on REPLACE only with recursive_triggers on), so it rewrites an event
# past both triggers.
# INSERT OR REPLACE deletes the replaced row without firing DELETE triggers; the
# events_append_only trigger refuses any id at or below the newest event's.
fresh_copy a2
sum_before="$(events_sum)"
run sqlite3 -batch records.db "INSERT OR REPLACE INTO events (id, record_id, type, actor, at, data, prev_hash, hash) SELECT id, record_id, type, 'mallory', at, data, prev_hash, hash FROM events WHERE id = $note_event"
if [ "$status" -ne 0 ]; then pass "(a2) INSERT OR REPLACE onto an existing event is refused"; else fail "(a2) INSERT OR REPLACE onto an existing event was accepted"; fi
expect_eq "$(events_sum)" "$sum_before" "(a2) the events table is unchanged"
if [ "$(db "SELECT actor FROM events WHERE id = $note_event")" = mallory ]; then
  expect_bad "(a2) replaced actor" "$note_event" "does not match its hash"
fi

# ---------------------------------------------------------------------------------------
# (b) triggers dropped, the text of a logged note changed → that event is named
fresh_copy b
drop_triggers
expect_eq "$(db "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'events' AND name NOT IN ('resolve_cycles_reopened', 'event_messages_kept', 'schedule_records_filed')")" "0" \
  "(b) the guarding triggers dropped"
db "UPDATE events SET data = replace(data, '已电话告知', '未告知') WHERE id = $note_event"
expect_contains "$(db "SELECT data FROM events WHERE id = $note_event")" "未告知客户正在调查" "(b) note text changed"
expect_bad "(b) changed note text" "$note_event" "does not match its hash"
# the other commands still work on the altered database (they do not verify)
run "$L" show EXT-2026-00001
expect_status 0 "(b) show still works on an altered database"

# (c) one event in the middle deleted → the missing id is named
fresh_copy c
drop_triggers
mid=$((n_events / 2))
db "DELETE FROM events WHERE id = $mid"
expect_eq "$(db 'SELECT count(*) FROM events')" "$((n_events - 1))" "(c) event $mid deleted"
expect_bad "(c) deleted event" "$mid" "event $mid is missing"

# (c2) the first event deleted → event 1 is named
fresh_copy c2
drop_triggers
db "DELETE FROM events WHERE id = 1"
expect_bad "(c2) deleted first event" "1" "event 1 is missing"

# (d) the actor of an event changed
fresh_copy d
drop_triggers
actor_event=3
expect_eq "$(db "SELECT actor FROM events WHERE id = $actor_event")" "zhou.jianguo" "(d) event $actor_event was done by zhou.jianguo"
db "UPDATE events SET actor = 'mallory' WHERE id = $actor_event"
expect_bad "(d) changed actor" "$actor_event" "does not match its hash"

# (d2) every other column of an event, one at a time, each on a fresh copy
for change in "type = 'acknowledged'" "at = at - 3600" "record_id = 2" "data = '{}'" \
  "prev_hash = substr(prev_hash, 2) || '0'" "hash = substr(hash, 2) || '0'"; do
  fresh_copy "d2-${change%% *}"
  drop_triggers
  db "UPDATE events SET $change WHERE id = $note_event"
  run "$L" audit verify --format json
  expect_status 1 "(d2) $change: verify exits 1"
  expect_eq "$(jq -c '[.ok, .first_bad_event]' <<<"$out")" "[false,$note_event]" "(d2) $change: event $note_event named"
done

# (e) an attacker rewrites an event's text and its hash, but not the next event's
# prev_hash → the event after it is named
fresh_copy e
# the digest computed by event_digest (lib.sh) agrees with the stored hashes (so the attack below is real)
ok_digests=0
for ((i = 1; i <= n_events; i++)); do
  [ "$(event_digest "$i")" = "$(db "SELECT hash FROM events WHERE id = $i")" ] && ok_digests=$((ok_digests + 1))
done
expect_eq "$ok_digests" "$n_events" "(e) the documented digest reproduces every stored hash"
drop_triggers
db "UPDATE events SET data = replace(data, '已电话告知', '未告知') WHERE id = $note_event"
redigest "$note_event"
db "UPDATE events SET hash = '$(event_digest "$note_event")' WHERE id = $note_event"
expect_eq "$(event_digest "$note_event")" "$(db "SELECT hash FROM events WHERE id = $note_event")" \
  "(e) event $note_event's new hash matches its new content"
expect_bad "(e) rewritten hash" "$((note_event + 1))" "previous-hash does not match"

# (e2) the newest event changed (there is no event after it to carry its hash) → named.
# (Not covered by the chain alone, being the limit of a chain without an outside anchor:
# deleting the newest events, or rewriting an event and re-hashing every event after it,
# still verifies; signed checkpoints catch both, tests/cli/checkpoint_test.sh.)
fresh_copy e2
drop_triggers
db "UPDATE events SET actor = 'mallory' WHERE id = $last_event"
expect_bad "(e2) changed newest event" "$last_event" "does not match its hash"

# ---------------------------------------------------------------------------------------
# Records changed behind the tool's back (the records and clocks tables have no
# triggers): audit verify replays each record's history and names the first record that
# is not what its history says. The chain itself is intact in all of these.
ext_closed="$(db "SELECT id FROM events WHERE type = 'closed' AND record_id = 1")"
ext_filed="$(db "SELECT id FROM events WHERE type = 'filed' AND record_id = 1")"
int_filed="$(db "SELECT id FROM events WHERE type = 'filed' AND record_id = 2")"
# expect_state CASE PATTERN FIELD EVENT: verify exits 1 with "record state altered: …"
# matching PATTERN on stderr, and the JSON names FIELD and EVENT
expect_state() {
  local c="$1" pattern="$2" field="$3" event="$4"
  run "$L" audit verify
  expect_status 1 "$c: audit verify exits 1"
  expect_eq "$out" "" "$c: nothing on stdout"
  expect_match "$err" "$pattern" "$c: stderr names the record, field, both values and the event"
  run "$L" audit verify --format json
  expect_status 1 "$c: verify --format json exits 1"
  expect_eq "$(jq -c '[.ok, .chain_ok, .state_ok, .first_inconsistency.field, .first_inconsistency.event]' <<<"$out")" \
    "[false,true,false,\"$field\",$event]" "$c: json names field $field and event $event"
}

# (s1) a closed record's status set back to acknowledged
fresh_copy s1
db "UPDATE records SET status = 'acknowledged' WHERE ref = 'EXT-2026-00001'"
expect_state "(s1) status" \
  "^liaison: record state altered: EXT-2026-00001: status is \"acknowledged\", but its history gives \"closed\" \(event $ext_closed\)" \
  status "$ext_closed"
run "$L" audit verify --format json
expect_eq "$(jq -c '[.first_inconsistency.ref, .first_inconsistency.stored, .first_inconsistency.expected]' <<<"$out")" \
  '["EXT-2026-00001","acknowledged","closed"]' "(s1) json: ref, stored and expected values"

# (s2) an open record moved to another department
fresh_copy s2
db "UPDATE records SET owner = 'gm' WHERE ref = 'INT-2026-00001'"
int_owner="$(db "SELECT json_extract(data, '$.owner') FROM events WHERE id = $int_filed")"
expect_state "(s2) owner" \
  "^liaison: record state altered: INT-2026-00001: owner is \"gm\", but its history gives \"$int_owner\" \(event $int_filed\)" \
  owner "$int_filed"

# (s3) the closing time moved back an hour (times shown in the organisation's zone)
fresh_copy s3
db "UPDATE records SET closed_at = closed_at - 3600 WHERE ref = 'EXT-2026-00001'"
expect_state "(s3) closed_at" \
  "^liaison: record state altered: EXT-2026-00001: closed_at is \"2026-09-23T15:00:00\+08:00\", but its history gives \"2026-09-23T16:00:00\+08:00\" \(event $ext_closed\)" \
  closed_at "$ext_closed"

# (s4) an open record closed behind the tool's back: closed_at set where the history has none
fresh_copy s4
db "UPDATE records SET closed_at = 1790000000 WHERE ref = 'INT-2026-00001'"
expect_state "(s4) closed_at on an open record" \
  "^liaison: record state altered: INT-2026-00001: closed_at is \"[0-9T:+-]+\", but its history gives \"\(none\)\"" \
  closed_at "$int_filed"

# (s5) an open record's resolve deadline pushed back a day in its clock
fresh_copy s5
db "UPDATE clocks SET due = due + 86400 WHERE name = 'resolve' AND record_id = 2"
expect_state "(s5) clock due" \
  "^liaison: record state altered: INT-2026-00001: clock resolve due is \"[^\"]+\", but its history gives \"[^\"]+\" \(event $int_filed\)" \
  "clock resolve due" "$int_filed"

# (s6) … and in the record's copy too: the record's copy is compared first
fresh_copy s6
db "UPDATE clocks SET due = due + 86400 WHERE name = 'resolve' AND record_id = 2; UPDATE records SET due = due + 86400 WHERE id = 2"
expect_state "(s6) due" "^liaison: record state altered: INT-2026-00001: due is " due "$int_filed"

# (s7) the first record wrong is the one named, in record order
fresh_copy s7
db "UPDATE records SET assignee = 'wang.hai' WHERE id = 2; UPDATE records SET level = 'public' WHERE id = 1"
expect_state "(s7) first of two" "^liaison: record state altered: EXT-2026-00001: level is \"public\"" level "$ext_filed"

# (s8) a record deleted behind the tool's back (its events remain)
fresh_copy s8
db "DELETE FROM clocks WHERE record_id = 2; DELETE FROM records WHERE id = 2"
expect_state "(s8) deleted record" \
  "^liaison: record state altered: record id 2: the record with id 2 is missing, but [0-9]+ events of its history remain" \
  record "$int_filed"

# (s9) a record inserted behind the tool's back, with no history
fresh_copy s9
db "INSERT INTO records (ref, kind, direction, subject, owner, level, status, received_at, created_at, created_by)
    VALUES ('INT-2026-00099', 'complaint', 'internal', 'forged', 'quality', 'internal', 'open', 0, 0, 'mallory')"
expect_state "(s9) record without history" \
  "^liaison: record state altered: INT-2026-00099: the record has no history \(no filed or imported event\)" history 0

# (s10) the report's backlog counts changed behind the tool's back (the records are
# right): the recount names the first count that differs, and the way to recount
fresh_copy s10
db "UPDATE backlog_due SET n = n + 2 WHERE owner = '$int_owner' AND bucket >= 0"
run "$L" audit verify
expect_status 1 "(s10) audit verify exits 1"
expect_match "$err" "^liaison: the report's backlog counts differ from the records: $int_owner, resolve deadlines from [0-9T:+-]+ to [0-9T:+-]+, not waiting: ([0-9]+) counted, ([0-9]+) records" \
  "(s10) stderr names the department, the deadlines, the count kept and the recount"
expect_contains "$err" "recount them with 'liaison audit recount'" "(s10) the hint says how to recount"
run "$L" audit verify --format json
expect_status 1 "(s10) verify --format json exits 1"
expect_eq "$(jq -c '[.ok, .chain_ok, .state_ok, .counts_ok]' <<<"$out")" '[false,true,true,false]' \
  "(s10) json: chain and records agree, the counts do not"
expect_match "$(jq -r .count_difference <<<"$out")" "^$int_owner, resolve deadlines from .*: 3 counted, 1 records$" \
  "(s10) json: the difference, kept 1 + 2 against 1 record"
# … and audit recount repairs them, for admins and top management only
fails 77 "may not recount what is kept for the report" "(s10) a staff member may not recount" \
  env LIAISON_USER=zheng.tao "$L" audit recount
fails 77 "may not recount" "(s10) nor an auditor" env LIAISON_USER=he.min "$L" audit recount
run "$L" audit recount
expect_status 0 "(s10) audit recount"
expect_eq "$out" "recounted: 1 backlog counts and 0 resolve cycles differed from the records and their history, and are rebuilt" \
  "(s10) audit recount says what differed"
run "$L" audit verify
expect_status 0 "(s10) after the recount, audit verify passes"
run "$L" audit recount --format json
expect_eq "$(jq -c . <<<"$out")" '{"counts_rebuilt":0,"cycles_rebuilt":0}' "(s10) a second recount finds nothing to rebuild"
run "$L" --lang zh audit recount
expect_eq "$out" "已重新计算：积压计数与处理周期本已与记录及其历史一致" "(s10) … and says so, in Chinese too"
# … as does the recount in SQL that liaison-audit-verify(1) gives
db "UPDATE backlog_due SET n = n + 2 WHERE owner = '$int_owner' AND bucket >= 0"
db "BEGIN; DELETE FROM backlog_due; INSERT INTO backlog_due (owner, bucket, waiting, n)
    SELECT owner, coalesce(due / 2097152, -1), status = 'waiting', count(*) FROM records
    WHERE status <> 'closed' GROUP BY 1, 2, 3; COMMIT;"
run "$L" audit verify
expect_status 0 "(s10) after the recount the man page shows, audit verify passes"

# (s11) the report's kept resolve cycles changed behind the tool's back: a reopening
# keeps the cycle it ended (a trigger); an edit of it, a deletion and an invention are
# each named, and the rebuild the man page gives repairs them
fresh_copy s11
at 2026-09-25T09:00:00+08:00
run "$L" reopen EXT-2026-00001 --reason "客户再次投诉"
expect_status 0 "(s11) reopen EXT-1"
reopened="$(db "SELECT max(id) FROM events WHERE type = 'reopened'")"
expect_eq "$(db "SELECT cycle, reopened_id, stopped_at = (SELECT at FROM events WHERE type = 'closed') FROM resolve_cycles")" \
  "1|$reopened|1" "(s11) the reopening kept the cycle it ended, met at the closing"
run "$L" audit verify
expect_status 0 "(s11) audit verify passes before the edit"
db "UPDATE resolve_cycles SET due = due + 60"
run "$L" audit verify
expect_status 1 "(s11) an edited cycle: audit verify exits 1"
expect_match "$err" "^liaison: the report's kept resolve cycles differ from the history: EXT-2026-00001, the resolve cycle that event $reopened ended: kept with values its history does not give" \
  "(s11) stderr names the record and the reopening"
expect_contains "$err" "rebuild them with 'liaison audit recount'" "(s11) the hint says how to rebuild"
run "$L" audit verify --format json
expect_status 1 "(s11) verify --format json exits 1"
expect_eq "$(jq -c '[.ok, .chain_ok, .state_ok, .counts_ok]' <<<"$out")" '[false,true,true,false]' \
  "(s11) json: chain and records agree, the kept cycles do not"
db "DELETE FROM resolve_cycles"
run "$L" audit verify
expect_match "$err" "EXT-2026-00001, the resolve cycle that event $reopened ended: in its history, but not kept" \
  "(s11) a deleted cycle is named"
run "$L" audit recount --format json
expect_eq "$(jq -c . <<<"$out")" '{"counts_rebuilt":0,"cycles_rebuilt":1}' "(s11) audit recount rebuilds the deleted cycle"
expect_eq "$(db "SELECT cycle, reopened_id FROM resolve_cycles")" "1|$reopened" "(s11) … as the reopening kept it"
run "$L" audit verify
expect_status 0 "(s11) after audit recount, audit verify passes"
db "BEGIN; DELETE FROM resolve_cycles; INSERT INTO resolve_cycles SELECT * FROM resolve_cycles_replayed; COMMIT;
    INSERT INTO resolve_cycles (record_id, reopened_id, cycle, reopened_at) VALUES (77, 9999, 1, 0)"
run "$L" audit verify
expect_match "$err" "#77, the resolve cycle that event 9999 ended: kept, but its history has no such cycle" \
  "(s11) an invented cycle is named"
db "BEGIN; DELETE FROM resolve_cycles; INSERT INTO resolve_cycles SELECT * FROM resolve_cycles_replayed; COMMIT;"
run "$L" audit verify
expect_status 0 "(s11) after the rebuild the man page shows, audit verify passes"

# the master copy was never touched
cd "$master" || exit 2
run "$L" audit verify
expect_status 0 "the original database still verifies"
expect_eq "$(db "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name IN ('events_no_update', 'events_no_delete')")" \
  "2" "the original database keeps both triggers"

finish
