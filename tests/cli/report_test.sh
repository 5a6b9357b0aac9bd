#!/usr/bin/env bash
# `liaison report` on a fixed month whose every figure is worked out by hand below, from
# the manufacturing example (examples/manufacturing/liaison.toml), never by the code.
#
# Calendar: Mon–Fri 08:30–12:00, 13:00–17:30 (8 working hours a day), Asia/Shanghai.
#   2026: 中秋节 rest Fri 09-25 … Sun 09-27; 国庆节 rest Thu 10-01 … Wed 10-07, makeup
#   working days Sun 09-20 and Sat 10-10. So October's working days are 10-08, 10-09,
#   Sat 10-10, then 12–16, 19–23, 26–30.
#   "N wd" ends at 17:30 of the Nth working day after the day of receipt (day 0).
# Deadlines (kinds of the example): complaint ack 24h internal / 48h external (calendar
#   time), resolve 3wd / 5wd; inquiry resolve 48h external (calendar), no ack; suggestion
#   ack 3wd internal, no resolve.
# Owners (rules): customer/supplier complaints → quality; customer inquiries → sales;
#   internal complaints and suggestions → hr; major records escalate to gm.
#
# The records (refs are given in filing order; all times +08:00):
#   INT-1  major complaint, recv Tue 09-22 09:00; ack due 09-23 09:00, resolve due
#          09-23(1) 09-24(2) 09-28(3) → 09-28 17:30. Acked 09-22 10:00, closed 09-24 16:00.
#   INT-2  major complaint, recv Wed 09-23 09:00; ack due 09-24 09:00; resolve due
#          09-24(1) 09-28(2) 09-29(3) → 09-29 17:30. Acked 09-23 09:30. Closed Fri 10-09
#          11:00, late, after 7.5+8+8+8+8+8+2.5 = 50 working hours = 180000 s.
#   EXT-1  svw complaint, recv Mon 09-28 09:00; ack due 09-30 09:00; resolve due 09-29(1)
#          09-30(2) 10-08(3) 10-09(4) Sat 10-10(5) → 10-10 17:30. Acked 09-29 10:00. Closed
#          10-10 17:30 — exactly at its deadline, so on time; 7.5+8×5 = 47.5 h = 171000 s.
#   INT-3  complaint received on the holiday, 10-01 00:00 (filed 10-08 08:40); ack due
#          10-02 00:00, acked 10-08 08:40: late, 7 d 8 h 40 min = 636000 s (calendar
#          time); resolve due 10-08(1) 10-09(2) 10-10(3) → 10-10 17:30; closed 10-12 09:00,
#          late, 8+8+8+0.5 = 24.5 h = 88200 s.
#   EXT-2  svw complaint, recv Thu 10-08 09:00; ack due 10-10 09:00, acked 10-09 09:00 (on
#          time, 86400 s); resolve due 10-09(1) 10(2) 12(3) 13(4) 14(5) → 10-14 17:30;
#          closed 10-13 17:30, on time: 7.5+8×4 = 39.5 h = 142200 s; REOPENED Tue 10-20
#          09:00 → a second resolve cycle due 21,22,23,26,27 → 10-27 17:30; closed again
#          10-28 10:00, late: 7.5+40+1.5 = 49 h = 176400 s. Both cycles count.
#   EXT-3  baosteel (supplier) complaint, recv Fri 10-09 14:00; ack due 10-11 14:00, never
#          acked; resolve due 10-10(1) 12 13 14 15(5) → 10-15 17:30; WAITING from 10-26 09:00.
#   EXT-4  svw inquiry (sales), recv Mon 10-12 09:00, resolve due 48h → 10-14 09:00; PAUSED
#          10-12 15:00 … resumed 10-13 15:00 (24 h, calendar), due moves to 10-15 09:00;
#          closed 10-15 09:00, exactly at the moved deadline: on time, 72−24 = 48 h = 172800 s.
#   INT-4  complaint, recv Wed 10-14 09:00; ack due 10-15 09:00, acked 10-14 11:00 (7200 s);
#          resolve due 15(1) 16(2) 19(3) → 10-19 17:30; never closed.
#   INT-5  suggestion, recv Thu 10-15 09:00; ack due 16,19,20 → 10-20 17:30; acked 10-16
#          09:00 (7.5+0.5 = 8 working hours = 28800 s); closed ADOPTED 10-22 10:00.
#   INT-6  suggestion, recv Fri 10-16 09:00; ack due 19,20,21 → 10-21 17:30; never acked,
#          closed REJECTED 10-23 10:00 (closing stops the ack clock: late, 7.5+32+1.5 = 41 h
#          = 147600 s).
#   INT-7  suggestion, recv Tue 10-27 09:00; ack due 28,29,30 → 10-30 17:30; pending.
#   EXT-5  major svw complaint, recv Thu 10-29 10:00; ack due Sat 10-31 10:00 (missed);
#          resolve due 30, 11-02 … 11-05 → 11-05 17:30.
#   EXT-6  svw inquiry, recv Sun 11-01 10:00: after October, counted nowhere.
. "$(dirname "$0")/lib.sh"

setup_workdir

at 2026-09-01T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "party add svw"
run "$L" party add "宝山钢铁股份有限公司" --id baosteel --type supplier
expect_status 0 "party add baosteel"

# step TIME CMD... — run one lifecycle command at TIME and require success.
step() {
  at "$1"
  shift
  run "$L" "$@"
  expect_status 0 "$* (at $LIAISON_NOW)"
}
ext_complaint() { echo --kind complaint --party "$1" --channel "$2" --subject "$3"; }

# shellcheck disable=SC2046
{
step 2026-09-22T09:00:00+08:00 file --kind complaint --direction internal --major --subject "主管违规操作"
step 2026-09-22T10:00:00+08:00 ack INT-2026-00001
step 2026-09-23T09:00:00+08:00 file --kind complaint --direction internal --major --subject "夜班安全隐患"
step 2026-09-23T09:30:00+08:00 ack INT-2026-00002
step 2026-09-24T16:00:00+08:00 close INT-2026-00001 --resolution 已处理 --reply-via meeting
step 2026-09-28T09:00:00+08:00 file $(ext_complaint svw email "焊点开裂")
step 2026-09-29T10:00:00+08:00 ack EXT-2026-00001
step 2026-10-08T08:40:00+08:00 file --kind complaint --direction internal --subject "假期值班安排" \
  --received 2026-10-01T00:00:00+08:00
step 2026-10-08T08:40:00+08:00 ack INT-2026-00003
step 2026-10-08T09:00:00+08:00 file $(ext_complaint svw email "尺寸超差")
step 2026-10-09T09:00:00+08:00 ack EXT-2026-00002
step 2026-10-09T11:00:00+08:00 close INT-2026-00002 --resolution 已整改 --reply-via meeting
step 2026-10-09T14:00:00+08:00 file $(ext_complaint baosteel phone "来料投诉回复")
step 2026-10-10T17:30:00+08:00 close EXT-2026-00001 --resolution 已更换 --reply-via email
step 2026-10-12T09:00:00+08:00 close INT-2026-00003 --resolution 已调整 --reply-via meeting
step 2026-10-12T09:00:00+08:00 file --kind inquiry --party svw --channel phone --subject "图纸版本"
step 2026-10-12T15:00:00+08:00 wait EXT-2026-00004 --reason "等客户确认"
step 2026-10-13T15:00:00+08:00 resume EXT-2026-00004
step 2026-10-13T17:30:00+08:00 close EXT-2026-00002 --resolution 已返工 --reply-via email
step 2026-10-14T09:00:00+08:00 file --kind complaint --direction internal --subject "食堂卫生"
step 2026-10-14T11:00:00+08:00 ack INT-2026-00004
step 2026-10-15T09:00:00+08:00 file --kind suggestion --direction internal --subject "改进工装"
step 2026-10-15T09:00:00+08:00 close EXT-2026-00004 --resolution 已答复 --reply-via phone
step 2026-10-16T09:00:00+08:00 file --kind suggestion --direction internal --subject "取消早会"
step 2026-10-16T09:00:00+08:00 ack INT-2026-00005
step 2026-10-20T09:00:00+08:00 reopen EXT-2026-00002 --reason "客户复检仍不合格"
step 2026-10-22T10:00:00+08:00 close INT-2026-00005 --resolution 采纳 --outcome adopted --reply-via meeting
# The explanation goes out approved by the management representative (explanation_approval).
step 2026-10-23T09:00:00+08:00 approve-request INT-2026-00006 --from wang.hai --explanation --note 拟答复不采纳的原因
step 2026-10-23T09:30:00+08:00 --as wang.hai approve INT-2026-00006
step 2026-10-23T10:00:00+08:00 close INT-2026-00006 --resolution 不采纳 --outcome rejected \
  --explanation "早会是安全交底所需" --reply-via meeting
step 2026-10-26T09:00:00+08:00 wait EXT-2026-00003 --reason "等供应商8D报告"
step 2026-10-27T09:00:00+08:00 file --kind suggestion --direction internal --subject "增设充电桩"
step 2026-10-28T10:00:00+08:00 close EXT-2026-00002 --resolution 已彻底返工 --reply-via email
step 2026-10-29T10:00:00+08:00 file $(ext_complaint svw email "批量召回风险") --major
step 2026-11-01T10:00:00+08:00 file --kind inquiry --party svw --channel email --subject "报价"
}

# The story is in the database as told (checked with sqlite3, not with liaison).
expect_eq "$(db 'SELECT count(*) FROM records')" "13" "13 records filed"
expect_eq "$(db "SELECT count(*) FROM records WHERE received_at >= strftime('%s','2026-09-30 16:00:00') \
  AND received_at < strftime('%s','2026-10-31 16:00:00')")" "9" "sqlite3: 9 records received in October"
expect_eq "$(db "SELECT count(*) FROM events WHERE type = 'closed' AND at >= strftime('%s','2026-09-30 16:00:00') \
  AND at < strftime('%s','2026-10-31 16:00:00')")" "8" "sqlite3: 8 closings in October"
expect_eq "$(db "SELECT ref || ' ' || datetime(due, 'unixepoch', '+8 hours') FROM records WHERE ref IN \
  ('EXT-2026-00001', 'EXT-2026-00004', 'INT-2026-00004') ORDER BY ref")" \
  "EXT-2026-00001 2026-10-10 17:30:00
EXT-2026-00004 2026-10-15 09:00:00
INT-2026-00004 2026-10-19 17:30:00" "deadlines as computed by hand (holiday week, makeup Saturday, pause)"
expect_eq "$(db "SELECT status FROM records WHERE ref = 'EXT-2026-00003'")" "waiting" "EXT-3 is waiting"
last_event="$(db 'SELECT max(id) FROM events')"

# ---------------------------------------------------------------------------------------
# The October report as JSON, "now" Monday 11-02 09:00: end = 11-01 00:00.
at 2026-11-02T09:00:00+08:00
run "$L" report --period 2026-10 --format json
expect_status 0 "report --period 2026-10 --format json"
j="$out"
q() { jq -c "$1" <<<"$j"; }

expect_eq "$(q '.period | [.label, .from, .to, .end, .previous_from, .previous_to]')" \
  '["2026-10","2026-10-01T00:00:00+08:00","2026-11-01T00:00:00+08:00","2026-11-01T00:00:00+08:00","2026-09-01T00:00:00+08:00","2026-10-01T00:00:00+08:00"]' \
  "period bounds in the organisation's zone"

# §1 — received in [10-01 00:00, 11-01 00:00): INT-3 (at 00:00 sharp: included), EXT-2,
# EXT-3, EXT-4, INT-4, INT-5, INT-6, INT-7, EXT-5 = 9; EXT-6 (11-01) and the September
# records are not.
expect_eq "$(q '.volume.total')" "9" "§1 received: 9"
expect_eq "$(q '[.volume.by_direction_kind[] | "\(.direction)/\(.kind)=\(.count)"]')" \
  '["internal/complaint=2","internal/suggestion=3","external/complaint=3","external/inquiry=1"]' \
  "§1 by direction × kind: INT-3, INT-4 | INT-5..7 | EXT-2, 3, 5 | EXT-4"
expect_eq "$(q '[.volume.by_owner[] | "\(.key)=\(.count)"]')" '["hr=5","quality=3","sales=1"]' \
  "§1 by owner: hr 5 internal, quality the 3 complaints, sales the inquiry"
expect_eq "$(q '[.volume.by_channel[] | "\(.key)=\(.count)"]')" '["=5","email=2","phone=2"]' \
  "§1 by channel: internal ones none; EXT-2, EXT-5 email; EXT-3, EXT-4 phone"
expect_eq "$(q '[.volume.by_party_type[] | "\(.key)=\(.count)"]')" '["=5","customer=3","supplier=1"]' \
  "§1 by party type"
expect_eq "$(q '[.volume.top_parties[] | "\(.id)=\(.complaints)"]')" '["svw=2","baosteel=1"]' \
  "§1 top parties by complaints: svw EXT-2, EXT-5 (EXT-1 came in September; EXT-4 is an inquiry)"

# §2 — open at 10-01 00:00: INT-2 and EXT-1 (INT-1 closed 09-24; INT-3 received at 00:00
# itself). Closings in October: INT-2, EXT-1, INT-3, EXT-2, EXT-4, INT-5, INT-6, EXT-2
# again = 8; reopened: EXT-2. Open at the end: 2 + 9 − 8 + 1 = 4 (EXT-3, INT-4, INT-7, EXT-5).
expect_eq "$(q '.flow | [.open_at_start, .received, .closed, .reopened, .open_at_end]')" '[2,9,8,1,4]' \
  "§2 flow: 2 open, 9 in, 8 closed, 1 reopened, 4 open"

# §3 — ack obligations met in October or due in it and unmet by the end:
#   INT-3 late 636000, EXT-2 on time 86400, EXT-3 missed, INT-4 on time 7200, INT-5 on time
#   28800, INT-6 late 147600 (stopped by closing), INT-7 missed, EXT-5 missed → 8, 3 on time.
#   Met: 7200 28800 86400 147600 636000 → median rank ceil(2.5)=3: 86400; p90 ceil(4.5)=5: 636000.
# resolve: INT-2 late 180000, EXT-1 on time (at its deadline) 171000, INT-3 late 88200,
#   EXT-2 on time 142200 (its first cycle) and late 176400 (its second, after reopening),
#   EXT-3 missed, EXT-4 on time 172800, INT-4 missed → 8, 3 on time.
#   Met: 88200 142200 171000 172800 176400 180000 → median rank 3: 171000; p90 rank
#   ceil(5.4)=6: 180000.
tl() { q ".timeliness[] | select(.group == \"$1\" and .key == \"$2\") | [.ack.count, .ack.on_time, .ack.median_seconds, .ack.p90_seconds, .resolve.count, .resolve.on_time, .resolve.median_seconds, .resolve.p90_seconds]"; }
expect_eq "$(tl all '')" '[8,3,86400,636000,8,3,171000,180000]' "§3 all"
expect_eq "$(q '[.timeliness[] | "\(.group):\(.key)"]')" \
  '["all:","department:hr","department:quality","department:sales","kind:complaint","kind:inquiry","kind:suggestion"]' \
  "§3 rows: all, then departments, then kinds"
# hr ack: INT-3, INT-4, INT-5, INT-6, INT-7 → 5, 2 on time; met 7200 28800 147600 636000:
#   median rank 2 = 28800, p90 rank ceil(3.6)=4 = 636000. hr resolve: INT-2, INT-3, INT-4 →
#   3, 0 on time; met 88200 180000: median rank 1, p90 rank 2.
expect_eq "$(tl department hr)" '[5,2,28800,636000,3,0,88200,180000]' "§3 hr"
# quality ack: EXT-2 (86400), EXT-3, EXT-5 missed; resolve: EXT-1 171000, EXT-2 142200 and
# 176400, EXT-3 → 4, 2 on time; met 142200 171000 176400: rank 2, rank ceil(2.7)=3.
expect_eq "$(tl department quality)" '[3,1,86400,86400,4,2,171000,176400]' "§3 quality"
expect_eq "$(tl department sales)" '[0,0,null,null,1,1,172800,172800]' "§3 sales: the paused inquiry"
# complaint ack: INT-3, EXT-2, EXT-3, INT-4, EXT-5 → 5, 2; met 7200 86400 636000: rank 2, 3.
# complaint resolve: all but EXT-4 → 7, 2; met 88200 142200 171000 176400 180000: rank 3, rank 5.
expect_eq "$(tl kind complaint)" '[5,2,86400,636000,7,2,171000,180000]' "§3 complaint"
expect_eq "$(tl kind inquiry)" '[0,0,null,null,1,1,172800,172800]' "§3 inquiry"
expect_eq "$(tl kind suggestion)" '[3,1,28800,147600,0,0,null,null]' "§3 suggestion"

# §4 — at 11-01 00:00: EXT-3 is past due but waiting (excluded); INT-7 has no resolve
# deadline; EXT-5 is due 11-05. INT-4 (due 10-19 17:30) is late by the working days
# 20–23, 26–30 = 9, i.e. 72 working hours.
expect_eq "$(q '[.overdue.total, .overdue.by_owner]')" '[1,[{"count":1,"key":"hr"}]]' "§4 one overdue, in hr"
expect_eq "$(q '.overdue.records[] | [.ref, .owner, .assignee, .due, .late_working_days, .late_working_seconds]')" \
  '["INT-2026-00004","hr","cao.yan","2026-10-19T17:30:00+08:00",9,259200]' "§4 INT-4, 9 working days late"

# §5 — suggestions received: INT-5 adopted, INT-6 rejected, INT-7 pending. Major records
# open at some moment of October: INT-2 (closed 10-09 11:00) and EXT-5; INT-1 closed in
# September.
expect_eq "$(q '.suggestions | [.received, .adopted, .rejected, .other_closed, .pending]')" '[3,1,1,0,1]' "§5 suggestions"
expect_eq "$(q '[.major[] | [.ref, .closed_at_end, .closed_at, .escalated_to]]')" \
  '[["INT-2026-00002",true,"2026-10-09T11:00:00+08:00","gm"],["EXT-2026-00005",false,null,"gm"]]' "§5 major records"

# §6 — September [09-01, 10-01): received INT-1, INT-2, EXT-1; closed INT-1; open at its
# end INT-2, EXT-1; overdue then INT-2 (due 09-29 17:30). Acks: all three on time.
# Resolve: INT-1 met 09-24 (due 09-28) on time; INT-2 due 09-29, unmet by 10-01 → 2, 1.
expect_eq "$(q '.change.current | [.received, .closed, .open_at_end, .overdue_at_end, .ack_count, .ack_on_time, .resolve_count, .resolve_on_time]')" \
  '[9,8,4,1,8,3,8,3]' "§6 this period"
expect_eq "$(q '.change.previous | [.received, .closed, .open_at_end, .overdue_at_end, .ack_count, .ack_on_time, .resolve_count, .resolve_on_time]')" \
  '[3,1,2,1,3,3,2,1]' "§6 September"

# Provenance
expect_eq "$(q '.provenance | [.period, .now, .last_event_id, .timezone, .filter.departments, .filter.direction]')" \
  "[\"2026-10\",\"2026-11-02T09:00:00+08:00\",$last_event,\"Asia/Shanghai\",[],null]" "provenance"
expect_eq "$(q '.provenance.config_hash')" "\"$(sha256sum liaison.toml | cut -d' ' -f1)\"" "provenance: config hash"
expect_match "$(q '.provenance.version')" '^"[0-9]+\.[0-9]+\.[0-9]+"$' "provenance: version"

# ---------------------------------------------------------------------------------------
# A custom span ending between EXT-2's closing and its reopening: [10-01, 10-20).
run "$L" report --from 2026-10-01 --to 2026-10-20 --format json
expect_status 0 "report --from/--to"
j="$out"
expect_eq "$(q '.period.label')" '"2026-10-01..2026-10-20"' "--from/--to label"
expect_eq "$(q '.period | [.previous_from, .previous_to]')" \
  '["2026-09-12T00:00:00+08:00","2026-10-01T00:00:00+08:00"]' "previous span of the same length (19 days)"
# Received INT-3, EXT-2, EXT-3, EXT-4, INT-4, INT-5, INT-6 = 7; closed INT-2, EXT-1, INT-3,
# EXT-2, EXT-4 = 5; EXT-2's reopening is at 10-20 09:00, after the end: 2 + 7 − 5 = 4 open
# (EXT-3, INT-4, INT-5, INT-6) — EXT-2 was closed then although it is closed again now.
expect_eq "$(q '.flow | [.open_at_start, .received, .closed, .reopened, .open_at_end]')" '[2,7,5,0,4]' "flow to 10-20"
# Overdue at 10-20 00:00: EXT-3 (not yet waiting; due 10-15 17:30: 16, 19 and 20 —
# the day the end falls on has begun — = 3 days, 16 working hours) and INT-4 (due 10-19
# 17:30: 1 day begun, 0 working seconds).
expect_eq "$(q '[.overdue.records[] | [.ref, .late_working_days, .late_working_seconds]]')" \
  '[["EXT-2026-00003",3,57600],["INT-2026-00004",1,0]]' "overdue at 10-20: most late first"

# Filters: quality only.
run "$L" report --period 2026-10 --dept quality --format json
j="$out"
# quality: received EXT-2, EXT-3, EXT-5; open at start EXT-1; closed EXT-1, EXT-2 ×2;
# reopened EXT-2; open at end 1 + 3 − 3 + 1 = 2 (EXT-3, EXT-5).
expect_eq "$(q '[.volume.total, .flow.open_at_start, .flow.closed, .flow.reopened, .flow.open_at_end]')" '[3,1,3,1,2]' "--dept quality"
expect_eq "$(q '[.suggestions.received, (.major | length), .overdue.total]')" '[0,1,0]' "--dept quality: no suggestions, EXT-5 major"
expect_eq "$(q '.provenance.filter.departments')" '["quality"]' "--dept in the provenance"
run "$L" report --period 2026-10 --direction internal --kind suggestion,complaint --format json
j="$out"
expect_eq "$(q '[.volume.total, .flow.open_at_start, .flow.open_at_end]')" '[5,1,2]' \
  "internal complaints and suggestions: 5 in; INT-2 open at start; INT-4, INT-7 at the end"
run "$L" report --period 2026-10 --party-type supplier --format json
j="$out"
expect_eq "$(q '[.volume.total, .volume.top_parties[0].id, .flow.open_at_end]')" '[1,"baosteel",1]' "--party-type supplier"

# ---------------------------------------------------------------------------------------
# Formats
run "$L" report --period 2026-10 --format csv
expect_status 0 "csv"
expect_eq "$(printf '%s' "$out" | head -1)" $'section,dimension,key,name,metric,value\r' "csv header, CRLF"
expect_contains "$out" $'flow,all,,,open_at_end,4\r' "csv: tidy flow row"
expect_contains "$out" $'timeliness,department,hr,人力资源部,ack_median_seconds,28800\r' "csv: timeliness row with name"
expect_contains "$out" $'overdue,record,INT-2026-00004,食堂卫生,late_working_days,9\r' "csv: overdue record"
run "$L" report --period 2026-10 --lang zh
expect_status 0 "text zh"
expect_contains "$out" "二、流转情况" "text zh: section title"
expect_contains "$out" "人力资源部" "text zh: department names from the config"
expect_contains "$out" "INT-2026-00004" "text zh: overdue list"
run "$L" report --period 2026-10 --lang en
expect_contains "$out" "2. Flow" "text en: section title"
expect_match "$out" "Open at the end +4" "text en: aligned figure"
run "$L" report --period 2026-10 --format md --lang en
expect_contains "$out" "## 3. Timeliness" "md heading"
expect_contains "$out" "| Reference |" "md table"

# --out writes the file and prints nothing
run "$L" report --period 2026-10 --format json --out month.json
expect_status 0 "--out"
expect_eq "$out" "" "--out: nothing on stdout"
expect_eq "$(jq -c .flow.open_at_end month.json)" "4" "--out: the file has the report"

# last-month and --if-first-working-day (Mon 11-02 is November's first working day)
run "$L" report --period last-month --format json
expect_eq "$(jq -r .period.label <<<"$out")" "2026-10" "last-month on 11-02 is October"
run "$L" report --period last-month --format json --if-first-working-day --out cron.json
expect_status 0 "--if-first-working-day on 11-02"
expect_eq "$(jq -c .flow.received cron.json)" "9" "--if-first-working-day: written on the first working day"
at 2026-11-03T09:00:00+08:00
run "$L" report --period last-month --if-first-working-day --out cron2.json
expect_status 0 "--if-first-working-day on 11-03: exit 0"
expect_eq "$out" "" "--if-first-working-day on 11-03: prints nothing"
[ ! -e cron2.json ] && pass "--if-first-working-day on 11-03: writes nothing" || fail "cron2.json written"
at 2026-10-08T09:00:00+08:00
run "$L" report --period last-month --if-first-working-day --format json
expect_eq "$(jq -r .period.label <<<"$out")" "2026-09" "10-08 (after the National Day week) is October's first working day"

# "now" before the period's end: everything is counted up to now.
at 2026-10-13T12:00:00+08:00
run "$L" report --period 2026-10 --format json
j="$out"
# Received by 10-13 12:00: INT-3, EXT-2, EXT-3, EXT-4 = 4; closed INT-2, EXT-1, INT-3 = 3.
expect_eq "$(q '[.period.end, .flow.received, .flow.closed, .flow.open_at_end]')" \
  '["2026-10-13T12:00:00+08:00",4,3,3]' "now inside the period: end = now"

# ---------------------------------------------------------------------------------------
# Errors
at 2026-11-02T09:00:00+08:00
before="$(counts)"
run "$L" report --period 2026-13
expect_status 2 "bad period: exit 2"
expect_err_prefix "bad period: liaison: prefix"
expect_contains "$err" "--period" "bad period names the flag"
run "$L" report --period 2026-10 --from 2026-10-01 --to 2026-10-02
expect_status 2 "--period with --from: exit 2"
run "$L" report --from 2026-10-05 --to 2026-10-01
expect_status 2 "--from after --to: exit 2"
run "$L" report --from 2026-10-05
expect_status 2 "--from without --to: exit 2"
run "$L" report
expect_status 2 "no period: exit 2"
run "$L" report --period 2026-10 --dept qualty
expect_status 4 "unknown dept: exit 4"
expect_contains "$err" 'did you mean "quality"' "unknown dept: did you mean"
run "$L" report --period 2026-10 --kind complain
expect_status 4 "unknown kind: exit 4"
run "$L" report --period 2026-10 --party-type custmer
expect_status 4 "unknown party type: exit 4"
expect_contains "$err" 'did you mean "customer"' "unknown party type: did you mean"
run "$L" report --period 2026-10 --format table
expect_status 2 "report --format table: exit 2"
run "$L" report --period 2026-10 --out no/such/dir/r.txt
expect_status 1 "--out into a missing directory: exit 1"
expect_err_prefix "--out missing dir: liaison: prefix"
[ ! -e no ] && pass "--out: nothing created" || fail "--out created something"
run env LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 "$L" report --period 2026-10 --from 2026-10-01 --to 2026-10-02
expect_contains "$err" "只能二选一" "errors in Chinese"
expect_eq "$(counts)" "$before" "report changes nothing"

finish
