#!/usr/bin/env bash
# The same report from both stores (LIAISON_TEST_DB=postgres; the ctest fixture starts the
# throwaway cluster): a history with imported records (closed, waiting and open as they
# came), reopenings of an imported and of a filed record, waits and resumes, is written on
# SQLite, exported with its events and imported into PostgreSQL; `report --format json`
# then gives, byte for byte, the same figures on both, for several periods and filters.
# On PostgreSQL what the report keeps beside the records (backlog_due, resolve_cycles)
# agrees with a recount (audit verify), and a count changed behind liaison's back is
# found and rebuilt (audit recount).
. "$(dirname "$0")/lib.sh"

if [ "$LIAISON_TEST_DB" != postgres ]; then
  echo "pg_report_test: run with LIAISON_TEST_DB=postgres (ctest's pg fixture sets it)" >&2
  exit 2
fi

setup_workdir
PG_DB="$MAIN_DB"
sqlite_here  # the history is written on SQLite first
"$L" init --db-only >/dev/null 2>&1

step() {
  at "$1"
  shift
  run "$L" "$@"
  expect_status 0 "$* (at $LIAISON_NOW)"
}

# Records from elsewhere, imported in the state they had there (an 'imported' event each).
mkdir before && cp liaison.toml before/
(
  cd before || exit 2
  "$L" init --db-only >/dev/null 2>&1
  export LIAISON_NOW=2026-09-01T09:00:00+08:00
  "$L" party add "上汽大众汽车有限公司" --id svw --type customer
  LIAISON_NOW=2026-09-10T09:00:00+08:00 "$L" file --kind complaint --party svw --channel email --subject "旧投诉一"
  LIAISON_NOW=2026-09-11T09:00:00+08:00 "$L" ack EXT-2026-00001
  LIAISON_NOW=2026-09-15T09:00:00+08:00 "$L" close EXT-2026-00001 --resolution 已处理 --reply-via email
  LIAISON_NOW=2026-09-16T09:00:00+08:00 "$L" file --kind complaint --party svw --channel email --subject "旧投诉二"
  LIAISON_NOW=2026-09-20T09:00:00+08:00 "$L" wait EXT-2026-00002 --reason 等客户
  LIAISON_NOW=2026-09-14T09:00:00+08:00 "$L" file --kind complaint --direction internal --subject "旧内部投诉"
  LIAISON_NOW=2026-09-25T09:00:00+08:00 "$L" export --out ../old.jsonl
) >before.out 2>&1
expect_eq "$(grep -c '"type":"record"' old.jsonl)" "3" "three records exported elsewhere, without their events"

{
step 2026-09-26T09:00:00+08:00 import old.jsonl
step 2026-10-08T09:00:00+08:00 reopen EXT-2026-00001 --reason "客户复检仍不合格"
step 2026-10-09T09:00:00+08:00 resume EXT-2026-00002
step 2026-10-09T10:00:00+08:00 file --kind complaint --party svw --channel phone --subject "尺寸超差"
step 2026-10-09T11:00:00+08:00 ack EXT-2026-00003
step 2026-10-12T09:00:00+08:00 close EXT-2026-00002 --resolution 已答复 --reply-via email
step 2026-10-13T09:00:00+08:00 close EXT-2026-00003 --resolution 已返工 --reply-via email
step 2026-10-14T09:00:00+08:00 file --kind suggestion --direction internal --subject "改进工装"
step 2026-10-15T09:00:00+08:00 file --kind complaint --direction internal --major --subject "夜班安全隐患"
step 2026-10-20T09:00:00+08:00 reopen EXT-2026-00003 --reason "批量复发"
step 2026-10-22T09:00:00+08:00 wait EXT-2026-00003 --reason 等供应商
step 2026-10-22T10:00:00+08:00 close INT-2026-00002 --resolution 采纳 --outcome adopted --reply-via meeting
step 2026-10-26T09:00:00+08:00 resume EXT-2026-00003
step 2026-10-28T09:00:00+08:00 close EXT-2026-00001 --resolution 已彻底返工 --reply-via email
step 2026-11-02T09:00:00+08:00 file --kind inquiry --party svw --channel email --subject "报价"
}
expect_eq "$(DB=records.db db "SELECT count(*) FROM events WHERE type = 'imported'")" "3" "SQLite: three records imported"
expect_eq "$(DB=records.db db "SELECT count(*) FROM resolve_cycles")" "2" "SQLite: two resolve cycles ended by reopenings"

at 2026-11-05T09:00:00+08:00
run "$L" export --with-events --out all.jsonl
expect_status 0 "the history exported from SQLite with its events"
main_db_again
run "$L" import all.jsonl
expect_status 0 "… imported into PostgreSQL"
expect_eq "$(db "SELECT count(*) FROM resolve_cycles")" "2" "PostgreSQL: the same two cycles kept as the import wrote the reopenings"
run "$L" audit verify
expect_status 0 "audit verify on PostgreSQL: the kept counts and cycles agree with a recount: $err"

# same_report ARGS…: the report as JSON from SQLite and from PostgreSQL, byte for byte.
same_report() {
  local sqlite pg
  sqlite="$("$L" --db records.db report --format json "$@" 2>&1)"
  pg="$("$L" --db "$PG_DB" report --format json "$@" 2>&1)"
  if [ -n "$pg" ] && [ "$sqlite" == "$pg" ] && [[ "$pg" == "{"* ]]; then
    pass "report $* is the same on both stores"
  else
    fail "report $* differs between the stores"
    diff <(printf '%s\n' "$sqlite") <(printf '%s\n' "$pg") | head -20
  fi
}
same_report --period 2026-09
same_report --period 2026-10
same_report --period 2026-10 --details all
same_report --period 2026-11
same_report --period 2026-Q4
same_report --period 2026-10 --dept quality
same_report --period 2026-10 --kind complaint
same_report --period 2026-10 --direction external --party-type customer
same_report --from 2026-10-12T00:00:00+08:00 --to 2026-10-21T00:00:00+08:00
run "$L" report --period 2026-10 --format json
expect_contains "$out" '"reopened"' "the report runs on PostgreSQL"

# A count changed behind liaison's back is found, and rebuilt from the records.
db "UPDATE backlog_due SET n = n + 5 WHERE bucket = (SELECT max(bucket) FROM backlog_due)" >/dev/null
run "$L" audit verify
expect_status 1 "audit verify finds the changed count"
run "$L" audit recount
expect_status 0 "audit recount rebuilds it"
run "$L" audit verify
expect_status 0 "… and audit verify agrees again"
same_report --period 2026-10

finish
