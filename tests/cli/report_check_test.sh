#!/usr/bin/env bash
# An independent check of `liaison report` (issue 10): on a generated data set with
# imports (records imported closed, open and waiting), reopenings (one twice), waits and
# resumes, and back-filled events, every figure of `report --format json` must equal the
# one tests/report_check.py recomputes from `export --with-events` using only the
# definitions in liaison-report(1). Several periods and moments of "now", so that the end
# falls before, between and after the events. Also: the `clocks` view keeps every cycle.
. "$(dirname "$0")/lib.sh"

CHECK="$LIAISON_SRC/tests/report_check.py"

# step TIME CMD... — one command at TIME (its effective time, --now), which must succeed.
step() {
  at "$1"
  shift
  run "$L" "$@"
  expect_status 0 "$* (at $LIAISON_NOW)"
}
closing() { echo --resolution 已处理 --reply-via email; }

# --- the records imported: made in a scratch database, exported without their history -----
setup_workdir
scratch="$PWD"
at 2026-08-01T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
run "$L" party add "宝山钢铁股份有限公司" --id baosteel --type supplier
# shellcheck disable=SC2046
{
# I1 closed in September; I2 closed in October (counted as a closing then); I3 open, its
# resolve deadline in October; I4 waiting since before its deadline; I5 closed in
# September, to be reopened in October; I6 an internal suggestion closed adopted in October.
step 2026-09-07T09:00:00+08:00 file --kind complaint --party svw --channel email --subject "导入-已关闭-九月"
step 2026-09-08T10:00:00+08:00 ack EXT-2026-00001
step 2026-09-10T15:00:00+08:00 close EXT-2026-00001 $(closing)
step 2026-09-24T09:00:00+08:00 file --kind complaint --party baosteel --channel phone --subject "导入-十月关闭"
step 2026-10-09T11:00:00+08:00 close EXT-2026-00002 $(closing)
step 2026-09-28T09:00:00+08:00 file --kind complaint --party svw --channel email --subject "导入-未关闭"
step 2026-09-28T09:00:00+08:00 file --kind complaint --party svw --channel email --major --subject "导入-等待"
step 2026-09-29T09:00:00+08:00 wait EXT-2026-00004 --reason 等待样件
step 2026-09-14T09:00:00+08:00 file --kind complaint --direction internal --subject "导入-将重开"
step 2026-09-15T09:00:00+08:00 close INT-2026-00001 --resolution 已处理 --reply-via meeting
step 2026-09-30T09:00:00+08:00 file --kind suggestion --direction internal --subject "导入-建议"
step 2026-10-12T09:00:00+08:00 close INT-2026-00002 --outcome adopted --resolution 采纳 --reply-via meeting
}
at 2026-10-12T09:00:00+08:00
run "$L" export --format jsonl --out imported.jsonl
expect_status 0 "export the records to import (state only)"

# --- the database reported on --------------------------------------------------------
setup_workdir
at 2026-08-01T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
run "$L" party add "宝山钢铁股份有限公司" --id baosteel --type supplier
run "$L" party add "县应急管理局" --id safety-bureau --type regulator-ehs
at 2026-10-12T10:00:00+08:00
run "$L" import "$scratch/imported.jsonl"
expect_status 0 "import 4 closed and 2 open records"
expect_eq "$(db "SELECT count(*) FROM events WHERE type = 'imported'")" 6 "each imported record has its imported event"

# shellcheck disable=SC2046
{
# Imported records live on: I5 (INT-1) reopened and closed again; I4 (EXT-4) resumed.
step 2026-10-13T09:00:00+08:00 reopen INT-2026-00001 --reason 员工再次反映
step 2026-10-14T09:00:00+08:00 resume EXT-2026-00004
step 2026-10-22T16:00:00+08:00 close INT-2026-00001 --resolution 已整改 --reply-via meeting
# New filings: N1 reopened twice (its first two cycles met, one on time, one late).
step 2026-10-08T09:00:00+08:00 file --kind complaint --party svw --channel email --topic quality --subject "新-两次重开"
step 2026-10-12T11:00:00+08:00 ack EXT-2026-00005
step 2026-10-13T17:30:00+08:00 close EXT-2026-00005 $(closing)
step 2026-10-20T09:00:00+08:00 reopen EXT-2026-00005 --reason 复检不合格
step 2026-10-29T10:00:00+08:00 close EXT-2026-00005 $(closing)
step 2026-11-03T09:00:00+08:00 reopen EXT-2026-00005 --reason 又出现
# N2 paused before its deadline across the end of October, resumed in November.
step 2026-10-15T09:00:00+08:00 file --kind complaint --party baosteel --channel phone --subject "新-跨月暂停"
step 2026-10-16T09:00:00+08:00 ack EXT-2026-00006
step 2026-10-19T09:00:00+08:00 wait EXT-2026-00006 --reason 等待供应商
step 2026-11-04T09:00:00+08:00 resume EXT-2026-00006
# N3 paused after its deadline had passed (missed, stays missed), still waiting.
step 2026-10-09T09:00:00+08:00 file --kind complaint --direction internal --subject "新-逾期后暂停"
step 2026-10-20T09:00:00+08:00 wait INT-2026-00003 --reason 等待调查
# N4 open and overdue; N5 an inquiry paused and resumed; N6 a major complaint closed in
# November; N7 a suggestion rejected; N8 received in November.
step 2026-10-14T09:00:00+08:00 file --kind complaint --direction internal --subject "新-逾期"
step 2026-10-12T09:00:00+08:00 file --kind inquiry --party svw --channel phone --topic safety --subject "新-询问"
step 2026-10-12T15:00:00+08:00 wait EXT-2026-00007 --reason 等客户
step 2026-10-13T15:00:00+08:00 resume EXT-2026-00007
step 2026-10-15T09:00:00+08:00 close EXT-2026-00007 --resolution 已答复 --reply-via phone
step 2026-10-29T10:00:00+08:00 file --kind complaint --party svw --channel email --major --subject "新-重大"
step 2026-11-05T10:00:00+08:00 close EXT-2026-00008 $(closing)
step 2026-10-16T09:00:00+08:00 file --kind suggestion --direction internal --subject "新-建议"
# The explanation goes out approved by the management representative (explanation_approval).
step 2026-10-23T09:00:00+08:00 approve-request INT-2026-00005 --from wang.hai --explanation --note 拟答复不采纳的原因
step 2026-10-23T09:30:00+08:00 --as wang.hai approve INT-2026-00005
step 2026-10-23T10:00:00+08:00 close INT-2026-00005 --outcome rejected --resolution 不采纳 --explanation 成本过高 --reply-via meeting
step 2026-11-02T10:00:00+08:00 file --kind complaint --party svw --channel email --subject "新-十一月"
# N9 (INT-6) paused before its deadline (10-22 17:30) and never resumed: its deadline is
# suspended, so it is not missed in October.
step 2026-10-19T09:00:00+08:00 file --kind complaint --direction internal --subject "新-暂停未恢复"
step 2026-10-21T09:00:00+08:00 wait INT-2026-00006 --reason 等待调查结论
# N10 (INT-7) an accident reported to the safety authority half an hour late; N11 (INT-8)
# a notice to quality's four people: ma.jun signs in time, gao.feng late (after 10-20),
# tang.li and feng.jie never — their receipts stay owed after the notice is closed.
step 2026-10-20T09:00:00+08:00 file --kind emergency --subject "新-事故" --channel phone
step 2026-10-20T10:30:00+08:00 notify INT-2026-00007 --party safety-bureau --via phone
step 2026-10-15T09:00:00+08:00 file --kind notice --subject "新-通知" --recipient quality
step 2026-10-15T10:00:00+08:00 --as ma.jun ack INT-2026-00008
step 2026-10-16T09:00:00+08:00 close INT-2026-00008 --resolution 已传达
step 2026-10-21T10:00:00+08:00 --as gao.feng ack INT-2026-00008
# N12 (INT-9) a request from sales: its head approves, the general manager rejects, is
# asked again and approves (its last decision counts); left open.
step 2026-10-21T09:00:00+08:00 --as zhang.wei file --kind request --from me --subject "新-申请"
step 2026-10-21T10:00:00+08:00 --as liu.yang approve INT-2026-00009
step 2026-10-22T10:00:00+08:00 reject INT-2026-00009 --reason 补充原因分析
step 2026-10-23T10:00:00+08:00 --as zhang.wei approve-request INT-2026-00009 --from zhou.jianguo
step 2026-10-26T10:00:00+08:00 approve INT-2026-00009
# Back-filled: entered after all of the above, dated back into October (after each
# record's own latest event, before other records' later ones): N4's late ack, and I3
# (EXT-3, imported open) acknowledged and closed.
step 2026-10-16T11:00:00+08:00 ack INT-2026-00004
step 2026-10-20T09:00:00+08:00 ack EXT-2026-00003
step 2026-10-26T10:00:00+08:00 close EXT-2026-00003 $(closing)
}
run "$L" close INT-2026-00004 --resolution x --reply-via meeting --now 2026-10-15T09:00:00+08:00
expect_status 5 "back-filling before the record's own latest event is refused"
expect_match "$(db "SELECT count(*) FROM events WHERE at > (SELECT at FROM events ORDER BY id DESC LIMIT 1)")" '^[1-9]' \
  "the last event entered took effect before events entered earlier"

# --- the clocks view: a row per cycle ---------------------------------------------------
run "$L" --format csv query "SELECT name, cycle, stopped_at, on_time FROM clocks WHERE ref = 'EXT-2026-00005' ORDER BY name, cycle"
expect_status 0 "query the clocks view"
expect_eq "$(printf '%s' "$out" | tr -d '\r')" "$(printf '%s\n' 'name,cycle,stopped_at,on_time' 'ack,1,2026-10-12T11:00:00+08:00,0' \
  'resolve,1,2026-10-13T17:30:00+08:00,1' 'resolve,2,2026-10-29T10:00:00+08:00,0' 'resolve,3,,')" \
  "clocks: EXT-5's late ack and its three resolve cycles (met on time, met late, running)"
run "$L" --format csv query "SELECT cycle, stopped_at FROM clocks WHERE ref = 'INT-2026-00001' AND name = 'resolve' ORDER BY cycle"
expect_eq "$(printf '%s' "$out" | tr -d '\r')" "$(printf '%s\n' 'cycle,stopped_at' '1,2026-09-15T09:00:00+08:00' '2,2026-10-22T16:00:00+08:00')" \
  "clocks: the imported cycle of a record reopened after its import"

# --- every figure, recomputed ----------------------------------------------------------
at 2026-12-01T09:00:00+08:00
run "$L" export --format jsonl --with-events --out history.jsonl
expect_status 0 "export --with-events"
last_event="$(db 'SELECT max(id) FROM events')"

# check PERIOD NOW [DETAILS] — the report of PERIOD at NOW, its lists of records cut to
# DETAILS (default all: every one), against the recomputation.
check() {
  at "$2"
  local details="${3:-all}"
  run "$L" report --period "$1" --details "$details" --format json --out "report-$1.json"
  expect_status 0 "report --period $1 at $2"
  run python3 "$CHECK" liaison.toml history.jsonl "report-$1.json" --period "$1" --now "$2" --details "$details"
  if [ "$status" = 0 ]; then pass "every figure of $1 at $2 (--details $details) recomputed"; else fail "report $1 at $2 (--details $details) differs from the recomputation"; printf '%s\n' "$out"; fi
  expect_match "$out" 'report_check: [0-9]{3,} figures compared, 0 differ' "$1 at $2: hundreds of figures compared"
  run python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["provenance"]["last_event_id"])' "report-$1.json"
  expect_eq "$out" "$last_event" "$1 at $2: provenance.last_event_id is the database's last event"
  run jq -r '.provenance.checkpoint' "report-$1.json"
  expect_eq "$out" "null" "$1 at $2: provenance.checkpoint is null: no checkpoint was made"
}
check 2026-10 2026-11-02T09:00:00+08:00   # October, the end after it
check 2026-10 2026-10-20T12:00:00+08:00   # October, the end in it: later events left out
check 2026-10 2026-12-01T09:00:00+08:00   # the same October after November's events
check 2026-09 2026-12-01T09:00:00+08:00   # imported closings in September
check 2026-11 2026-12-01T09:00:00+08:00   # the reopening and resume of November
check 2026-10 2026-12-01T09:00:00+08:00 1 # the lists cut to their first record, the totals whole
expect_eq "$(jq -c '[.overdue.total > 1, (.overdue.records | length), .details.overdue.listed, .details.limit]' report-2026-10.json)" \
  '[true,1,1,1]' "--details 1: one of the overdue records listed, and there are more"
check 2026-10 2026-12-01T09:00:00+08:00   # (report-2026-10.json again as the later checks expect it)

# October's flow by hand, so the two cannot agree on a wrong answer: closings in October:
# EXT-2 10-09 and INT-2 10-12 (both imported closed), INT-1 10-22, EXT-3 10-26, EXT-5 10-13
# and 10-29, EXT-7 10-15, INT-5 10-23, INT-8 10-16 = 9; reopened INT-1 10-13, EXT-5 10-20
# = 2; open at the start: EXT-2, EXT-3, EXT-4, INT-2 = 4; received: EXT-5, EXT-6, INT-3,
# INT-4, EXT-7, EXT-8, INT-5, INT-6, INT-7, INT-8, INT-9 = 11; open at the end: 4 + 11 − 9
# + 2 = 8 (EXT-4, EXT-6, INT-3, INT-4, EXT-8, INT-6, INT-7, INT-9).
j="$(cat report-2026-10.json)"
# Its notifications, receipts and approvals by hand: INT-7's report (due 10-20 10:00) made
# at 10:30; INT-8's four receipts due 10-16 17:30: ma.jun's in time, gao.feng's on 10-21,
# two never; INT-9's two approvals and INT-5's explanation's decided (no deadline: on time).
expect_eq "$(jq -c '[.obligations[] | [.type, .count, .on_time, .met]]' <<<"$j")" \
  '[["notify",1,0,1],["receipt",4,1,2],["approval",3,3,3]]' "October's notifications, receipts and approvals"
expect_eq "$(printf '%s' "$j" | python3 -c 'import json,sys; f=json.load(sys.stdin)["flow"]; print([f[k] for k in ("open_at_start","received","closed","reopened","open_at_end")])')" \
  "[4, 11, 9, 2, 8]" "October's flow adds up: 4 + 11 − 9 + 2 = 8"

# The check can fail: one figure off by one is found.
python3 - report-2026-10.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["timeliness"][0]["resolve"]["on_time"] += 1
json.dump(r, open("wrong.json", "w"))
PY
run python3 "$CHECK" liaison.toml history.jsonl wrong.json --period 2026-10 --now 2026-12-01T09:00:00+08:00
expect_status 1 "a wrong figure is found"
expect_contains "$out" ".timeliness[0].resolve.on_time" "the check names the wrong figure"

finish
