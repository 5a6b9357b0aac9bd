#!/usr/bin/env bash
# liaison overdue, run as a person and as a cron job would, on the manufacturing example.
#
# Deadlines worked out by hand from the config (Mon–Fri 08:30–12:00, 13:00–17:30;
# 2026: 中秋节 rest Fri 09-25..Sun 09-27; 国庆节 rest 10-01..10-07, makeup Sun 09-20 and
# Sat 10-10; "N wd" ends 17:30 on the Nth working day after the day of receipt):
#   INT-2026-00001  internal complaint from production, received Mon 09-21 16:00, owner hr
#                   (cao.yan): ack 24h → Tue 09-22 16:00; resolve 3wd → Thu 09-24 17:30
#   INT-2026-00002  the same, acknowledged Tue 09-22 09:00: owes only its resolution
#   INT-2026-00003  the same, acknowledged, then waiting: owes nothing (clock paused)
#   EXT-2026-00001  customer complaint from svw, received Mon 09-21 10:00, owner quality
#                   (gao.feng): ack 48h → Wed 09-23 10:00; resolve 5wd: 22, 23, 24,
#                   [25 中秋], 28, 29 → Tue 09-29 17:30
#   EXT-2026-00002  inquiry from supplier baosteel, received Mon 09-21 10:00, owner
#                   purchasing: resolve 48h → Wed 09-23 10:00; closed Tue 09-22: owes nothing
. "$(dirname "$0")/lib.sh"

setup_workdir

at 2026-09-21T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
run "$L" party add "宝山钢铁股份有限公司" --id baosteel --type supplier
at 2026-09-21T16:00:00+08:00
for i in 1 2 3; do
  run "$L" file --kind complaint --from production --channel oral --subject "加班费计算有误 $i"
  expect_eq "$out" "INT-2026-0000$i" "file INT-$i"
done
run "$L" file --kind complaint --party svw --channel email --subject "支架尺寸超差" --received "2026-09-21 10:00"
expect_eq "$out" "EXT-2026-00001" "file EXT-1"
run "$L" file --kind inquiry --party baosteel --channel phone --subject "材料替代咨询" --received "2026-09-21 10:00"
expect_eq "$out" "EXT-2026-00002" "file EXT-2"
expect_eq "$(db "SELECT ref, owner, assignee, coalesce(ack_due, ''), due FROM records ORDER BY id")" \
"INT-2026-00001|hr|cao.yan|$(date -d 2026-09-22T08:00:00Z +%s)|$(date -d 2026-09-24T09:30:00Z +%s)
INT-2026-00002|hr|cao.yan|$(date -d 2026-09-22T08:00:00Z +%s)|$(date -d 2026-09-24T09:30:00Z +%s)
INT-2026-00003|hr|cao.yan|$(date -d 2026-09-22T08:00:00Z +%s)|$(date -d 2026-09-24T09:30:00Z +%s)
EXT-2026-00001|quality|gao.feng|$(date -d 2026-09-23T02:00:00Z +%s)|$(date -d 2026-09-29T09:30:00Z +%s)
EXT-2026-00002|purchasing|guo.jing||$(date -d 2026-09-23T02:00:00Z +%s)" "the deadlines are as worked out by hand"
at 2026-09-22T09:00:00+08:00
run "$L" ack INT-2026-00002
run "$L" ack INT-2026-00003
run "$L" wait INT-2026-00003 --reason "等待车间核对考勤"
run "$L" close EXT-2026-00002 --resolution "已答复" --reply-via phone
expect_status 0 "setup: ack, wait, close"
before="$(snapshot)"

# ---------------------------------------------------------------------------------------
# nothing overdue yet: nothing printed at all, whatever the format, and exit 0
at 2026-09-22T12:00:00+08:00
for f in table tsv csv json jsonl md; do
  run "$L" --format "$f" overdue
  expect_status 0 "nothing overdue, --format $f: exit 0"
  expect_eq "$out$err" "" "nothing overdue, --format $f: no output at all"
done
run "$L" overdue --exit-status
expect_status 0 "nothing overdue, --exit-status: exit 0"
expect_eq "$out" "" "nothing overdue, --exit-status: no output"

# ---------------------------------------------------------------------------------------
# Wed 09-23 12:00: two acknowledgements are owed; the resolutions are not due yet
at 2026-09-23T12:00:00+08:00
run "$L" overdue
expect_status 0 "overdue without --exit-status: exit 0"
expect_eq "$out" "INT-2026-00001	ack	hr	cao.yan	complaint	2026-09-22T16:00:00+08:00	yes	1	18000	加班费计算有误 1
EXT-2026-00001	ack	quality	gao.feng	complaint	2026-09-23T10:00:00+08:00	yes	0	7200	支架尺寸超差" \
  "piped: TSV without header, earliest deadline first; INT-1 ack 1 wd late (09-22 16:00 → 09-23 12:00: 1.5h + 3.5h working), EXT-1 2h, within its first working day"
expect_not_contains "$out" "INT-2026-00002	ack" "an acknowledged record owes no acknowledgement"
expect_not_contains "$out" "INT-2026-00003" "a waiting record owes nothing here"
expect_not_contains "$out" "EXT-2026-00002" "a closed record owes nothing"
run "$L" overdue --exit-status
expect_status 3 "something overdue, --exit-status: exit 3"
expect_match "$out" "^INT-2026-00001" "--exit-status still lists"
run "$L" -q overdue --exit-status
expect_status 3 "-q --exit-status: exit 3"
expect_eq "$out$err" "" "-q prints nothing"

run "$L" --format table overdue
expect_status 0 "table"
expect_match "$(head -1 <<<"$out")" "^ref +obligation +owner +assignee +kind +deadline +late +subject$" "table header"
expect_match "$out" "INT-2026-00001 +ack +人力资源部 +cao.yan +投诉/抱怨 +2026-09-22 16:00 +1 wd +加班费计算有误 1" \
  "table: names, short time, working days late"
expect_match "$out" "EXT-2026-00001 +ack +品质部 +gao.feng +投诉/抱怨 +2026-09-23 10:00 +2h +支架尺寸超差" \
  "table: less than a working day late shows the time since the deadline"
run "$L" --format table --lang zh overdue
expect_match "$(head -1 <<<"$out")" "^编号 +事项 +归口部门 +经办人 +类别 +时限 +超期 +主题$" "zh: table header translated"
expect_match "$out" "INT-2026-00001 +确认 +人力资源部 .* 1 个工作日" "zh: obligation and lateness translated"

# --within: 1wd from Wed 12:00 reaches Thu 09-24 17:30, both resolve deadlines exactly (inclusive)
run "$L" overdue --within 1wd --format csv
expect_status 0 "--within 1wd"
expect_eq "$(head -1 <<<"$out" | tr -d '\r')" "ref,obligation,owner,assignee,kind,due,overdue,late_working_days,late_working_seconds,subject" "csv header"
expect_eq "$(tail -n +2 <<<"$out" | cut -d, -f1,2,6,7 | tr -d '\r')" "INT-2026-00001,ack,2026-09-22T16:00:00+08:00,yes
EXT-2026-00001,ack,2026-09-23T10:00:00+08:00,yes
INT-2026-00001,resolve,2026-09-24T17:30:00+08:00,no
INT-2026-00002,resolve,2026-09-24T17:30:00+08:00,no" "--within: what falls due by the end of the window comes after, soonest first, ties by reference"
run "$L" --format table overdue --within 1wd
expect_match "$out" "INT-2026-00002 +resolve .* due in 1 wd" "table: due in 1 wd"
run "$L" --format table overdue --within 30h
expect_match "$out" "INT-2026-00002 +resolve .* due in 1 wd" "--within 30h (calendar): Thu 17:30 is in"
run "$L" --format table overdue --within 29h
expect_not_contains "$out" "resolve" "--within 29h (calendar): Thu 17:30 is out"
run "$L" --now 2026-09-24T09:00:00+08:00 --format table overdue --within 10h
expect_match "$out" "INT-2026-00002 +resolve .* due in 8h30m" "table: due later the same day shows the time left"
run "$L" overdue --within 2h --exit-status
expect_status 3 "--within --exit-status: exit 3"
expect_eq "$(wc -l <<<"$out")" "2" "--within 2h: nothing more falls due by 14:00"

# ---------------------------------------------------------------------------------------
# Fri 10-09 10:00, after the 中秋 and 国庆 holidays
at 2026-10-09T10:00:00+08:00
run "$L" overdue --format json
expect_status 0 "json"
expect_eq "$(jq -r '.[] | "\(.ref) \(.obligation) \(.late_working_days)"' <<<"$out")" "INT-2026-00001 ack 7
EXT-2026-00001 ack 6
INT-2026-00001 resolve 5
INT-2026-00002 resolve 5
EXT-2026-00001 resolve 3" "working days late across the holidays (e.g. INT-1 ack: 23, 24, 28, 29, 30, 10-08, 10-09)"
expect_eq "$(jq -c '.[4] | [.kind, .direction, .owner, .assignee, .subject, .major, .status, .due, .overdue, .late_working_seconds, .late_working_hours]' <<<"$out")" \
  '["complaint","external","quality","gao.feng","支架尺寸超差",false,"open","2026-09-29T17:30:00+08:00",true,63000,17.5]' \
  "json fields: EXT-1 resolve 17.5 working hours late (09-30 8h, 10-08 8h, 10-09 1.5h)"
expect_eq "$(jq -c '.[0] | keys' <<<"$out")" \
  '["assignee","direction","due","kind","late_working_days","late_working_hours","late_working_seconds","major","obligation","overdue","owner","ref","status","subject"]' \
  "json: the documented fields (keys sorted, as everywhere)"
run "$L" overdue --format jsonl
expect_eq "$(wc -l <<<"$out")" "5" "jsonl: one object a line"
expect_eq "$(jq -s 'length' <<<"$out")" "5" "jsonl: each line parses"
run "$L" overdue --format md
expect_match "$(head -1 <<<"$out")" "^\| ref +\| obligation " "md table"
run "$L" --format table overdue
expect_match "$out" "INT-2026-00001 +ack .* 7 wd" "table: 7 wd"

# filters
run "$L" overdue --dept quality
expect_eq "$(cut -f1,2 <<<"$out")" "EXT-2026-00001	ack
EXT-2026-00001	resolve" "--dept quality"
run "$L" overdue --dept quality,hr
expect_eq "$(wc -l <<<"$out")" "5" "--dept a,b"
run "$L" overdue --dept quality --dept hr --kind complaint
expect_eq "$(wc -l <<<"$out")" "5" "repeated --dept, --kind"
run "$L" overdue --assignee cao.yan
expect_eq "$(cut -f1,2 <<<"$out")" "INT-2026-00001	ack
INT-2026-00001	resolve
INT-2026-00002	resolve" "--assignee"
run "$L" overdue --kind inquiry --exit-status
expect_status 0 "--kind inquiry: nothing, exit 0"
expect_eq "$out" "" "--kind inquiry: nothing printed"
run "$L" overdue --dept purchasing --format json
expect_eq "$out" "" "json: nothing printed when nothing matches"

# a waiting record, once resumed, owes its resolution again (its deadline moved on)
at 2026-10-09T10:00:00+08:00
run "$L" resume INT-2026-00003
run "$L" overdue --within 20wd
expect_contains "$out" "INT-2026-00003	resolve" "a resumed record is listed again"
at 2026-10-09T10:00:00+08:00

# ---------------------------------------------------------------------------------------
# errors
run "$L" overdue --within "2 weeks"
expect_status 2 "malformed --within: exit 2"
expect_err_prefix "malformed --within: liaison: …"
expect_contains "$err" "--within" "the message names --within"
run "$L" overdue --dept qualty
expect_status 4 "unknown --dept: exit 4"
expect_contains "$err" 'did you mean "quality"?' "unknown --dept: did you mean"
run "$L" overdue --assignee cao.yen
expect_status 4 "unknown --assignee: exit 4"
run "$L" overdue --kind complain
expect_status 4 "unknown --kind: exit 4"
expect_contains "$err" 'did you mean "complaint"?' "unknown --kind: did you mean"
run "$L" --format xml overdue
expect_status 2 "bad --format: exit 2"
run "$L" overdue --bogus
expect_status 2 "unknown option: exit 2"

# read-only: nothing changed by any of the above but the resume
run "$L" overdue
expect_eq "$(db "SELECT count(*) FROM events WHERE type NOT IN ('resumed')")" \
  "$(head -1 <<<"$before" | cut -d' ' -f2)" "overdue writes nothing"

finish
