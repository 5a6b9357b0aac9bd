#!/usr/bin/env bash
# The happy path of every lifecycle command, run as a user would, on the manufacturing
# example (examples/manufacturing/liaison.toml, written by `liaison init`).
#
# Expected deadlines are computed by hand here from the config, never by the code:
#   calendar: Mon–Fri 08:30–12:00, 13:00–17:30 (8 working hours a day), Asia/Shanghai;
#   2026 notice: 中秋节 rest 09-25..09-27 (Fri–Sun); 国庆节 rest 10-01..10-07,
#   makeup working days Sun 09-20 and Sat 10-10.
#   "N wd" ends at 17:30 of the Nth working day after the day of receipt (day 0).
#   complaint: ack internal 24h / external 48h (calendar hours); resolve 3wd / 5wd.
#   inquiry: resolve external 48h (calendar hours), no ack clock.
#   suggestion: ack internal 3wd, no resolve clock.
#
# The story, in time order (all times +08:00):
#   09-21 09:00  party add svw (customer), baosteel (supplier); 09:05 party edit svw
#   09-22 09:00  file INT-2026-00001: internal complaint from production, received 09-21 16:00
#   09-25 10:00  file EXT-2026-00001: external customer complaint from svw (body on stdin)
#   09-25 10:05  a filing that fails validation (consumes no number)
#   09-25 11:00  log; 11:30 log - --type call; 14:00 route to engineering; 15:00 route --auto
#   09-26 09:30  ack; 10:00 escalate --to gm
#   09-28 08:40  file EXT-2026-00002: inquiry from baosteel, --received 09-27 20:00
#   09-28 09:00  file EXT-2026-00003: --major customer complaint
#   09-28 10:00  wait EXT-1; 11:00 escalate INT-1 --skip-level unanswered
#   09-29 09:00  close EXT-2; 10:00 resume EXT-1; 10:05 file INT-2026-00002 (suggestion)
#   09-30 16:00  close EXT-1;  10-08 09:00 reopen EXT-1;  10-08 10:00 the list queries
. "$(dirname "$0")/lib.sh"

setup_workdir

# ---------------------------------------------------------------------------------------
# init wrote the files
expect_contains "$(cat liaison.toml)" '[[rule]]' "init wrote the example config"
[ "$LIAISON_TEST_DB" = sqlite ] &&
  expect_eq "$(db 'PRAGMA user_version')" "17" "init created the database at schema version 17"
expect_eq "$(counts)" "0 0" "a fresh database has no records and no events"

# ---------------------------------------------------------------------------------------
# party add / list / show / edit
at 2026-09-21T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer --contact 王工 --phone 021-12345678 \
  --email svw@example.com
expect_status 0 "party add svw"
expect_eq "$out" "svw" "party add prints the id"
run "$L" party add "宝山钢铁股份有限公司" --id baosteel --type supplier --contact 赵经理
expect_status 0 "party add baosteel"

run "$L" party list
expect_status 0 "party list"
expect_eq "$out" $'baosteel\t宝山钢铁股份有限公司\tsupplier\t赵经理\t\t
svw\t上汽大众汽车有限公司\tcustomer\t王工\t021-12345678\tsvw@example.com' "party list: tsv rows sorted by id"
run "$L" party list --type customer
expect_eq "$(printf '%s\n' "$out" | cut -f1)" "svw" "party list --type customer"

at 2026-09-21T09:05:00+08:00
run "$L" party edit svw --phone 021-87654321 --contact 李工
expect_status 0 "party edit"
run "$L" party show svw --format json
expect_status 0 "party show --format json"
expect_eq "$(jq -r '[.id,.name,.type,.contact,.phone,.email] | join("|")' <<<"$out")" \
  "svw|上汽大众汽车有限公司|customer|李工|021-87654321|svw@example.com" "party show json after edit"
expect_eq "$(jq -r .created_at <<<"$out")" "2026-09-21T09:00:00+08:00" "party created_at is the add time, not the edit"
run "$L" party show svw
expect_status 0 "party show (table)"
expect_match "$out" 'name +上汽大众汽车有限公司' "party show: name field"
expect_match "$out" 'type +客户' "party show: type shown by its config name"
expect_match "$out" 'phone +021-87654321' "party show: edited phone"

expect_eq "$(db "SELECT group_concat(type, ' ') FROM (SELECT type FROM events ORDER BY id)")" \
  "party-added party-added party-edited" "party events written"
expect_eq "$(db "SELECT count(*) FROM events WHERE record_id IS NULL")" "3" "party events belong to no record"
ev="$(db "SELECT data FROM events WHERE type='party-edited'")"
expect_eq "$(jq -c .changes.phone <<<"$ev")" '{"from":"021-12345678","to":"021-87654321"}' "party-edited event: phone from/to"
expect_eq "$(jq -c '.changes | keys' <<<"$ev")" '["contact","phone"]' "party-edited event: only changed fields"
expect_eq "$(db "SELECT actor, at FROM events WHERE type='party-edited'")" "zhou.jianguo|$(date -d 2026-09-21T01:05:00Z +%s)" \
  "party-edited event: actor from LIAISON_USER, at = now"

# ---------------------------------------------------------------------------------------
# INT-2026-00001: internal complaint, back-filled with --received
#   received Mon 09-21 16:00: ack 24h → Tue 09-22 16:00;
#   resolve 3wd: day 0 = 09-21, 1 = 09-22, 2 = 09-23, 3 = Thu 09-24 → 09-24 17:30
run "$L" --now 2026-09-22T09:00:00+08:00 file --kind complaint --from production --channel oral \
  --subject "冲压车间夜班加班费计算有误" --received "2026-09-21 16:00"
expect_status 0 "file internal complaint"
expect_eq "$out" "INT-2026-00001" "internal records are numbered INT-2026-00001"
expect_eq "$(db "SELECT direction, owner, assignee, from_dept, status, received_at, created_at, ack_due, due FROM records WHERE ref='INT-2026-00001'")" \
  "internal|hr|cao.yan|production|open|$(date -d 2026-09-21T08:00:00Z +%s)|$(date -d 2026-09-22T01:00:00Z +%s)|$(date -d 2026-09-22T08:00:00Z +%s)|$(date -d 2026-09-24T09:30:00Z +%s)" \
  "INT-1: owner hr by rule, received_at from --received, created_at = now, ack_due/due by hand"

# ---------------------------------------------------------------------------------------
# EXT-2026-00001: external customer complaint, body from stdin
#   filed Fri 09-25 10:00 (a 中秋节 rest day; still day 0):
#   ack 48h (calendar) → Sun 09-27 10:00
#   resolve 5wd: 09-28 (1), 09-29 (2), 09-30 (3), [10-01..10-07 国庆节], 10-08 (4), 10-09 (5)
#   → Fri 2026-10-09 17:30
at 2026-09-25T10:00:00+08:00
body=$'客户来函:批次 2609 支架孔距超差 0.3mm。\n要求 48 小时内回复临时措施。'
run_stdin "$body" "$L" file --kind complaint --party svw --channel email \
  --subject "批次 2609 支架尺寸超差" --body -
expect_status 0 "file external complaint"
expect_eq "$out" "EXT-2026-00001" "first external record is EXT-2026-00001"
expect_eq "$(db "SELECT body FROM records WHERE ref='EXT-2026-00001'")" "$body" "--body - read standard input"
expect_eq "$(db "SELECT direction, owner, assignee, notify, rule, status, major, escalated_to FROM records WHERE ref='EXT-2026-00001'")" \
  "external|quality|gao.feng|sales,gm|客户抱怨由品质部处理|open|0|" "EXT-1: owner quality, notify sales+gm, rule name"
run "$L" show EXT-2026-00001 --format json
expect_eq "$(jq -r '[.ack_due, .due] | join(" ")' <<<"$out")" \
  "2026-09-27T10:00:00+08:00 2026-10-09T17:30:00+08:00" "EXT-1: ack_due 48h, due 5wd across National Day"
expect_eq "$(jq -r '[.clocks[] | .clock + "=" + .duration] | join(" ")' <<<"$out")" "ack=48h resolve=5wd" \
  "EXT-1: an ack and a resolve clock"
expect_eq "$(db "SELECT group_concat(type, ' ') FROM (SELECT e.type FROM events e JOIN records r ON r.id = e.record_id WHERE r.ref='EXT-2026-00001' ORDER BY e.id)")" \
  "filed" "EXT-1: one 'filed' event"
filed="$(db "SELECT data FROM events WHERE type='filed' AND record_id=(SELECT id FROM records WHERE ref='EXT-2026-00001')")"
expect_eq "$(jq -r '[.owner, .rule, (.notify|join(",")), .clocks[1].due] | join("|")' <<<"$filed")" \
  "quality|客户抱怨由品质部处理|sales,gm|2026-10-09T17:30:00+08:00" "filed event carries owner, rule, notify, clocks"
expect_eq "$(db "SELECT count(*) FROM clocks WHERE record_id=(SELECT id FROM records WHERE ref='EXT-2026-00001')")" \
  "2" "EXT-1: two clock rows"

# a filing that fails validation must not consume a number (gap-free numbering)
at 2026-09-25T10:05:00+08:00
before="$(counts)"
run "$L" file --kind complaint --party svw --subject "没有渠道的投诉"
expect_status 65 "external complaint without --channel is refused"
expect_contains "$err" "needs channel" "… saying what it needs"
expect_eq "$(counts)" "$before" "… and writes nothing"
expect_eq "$(db "SELECT last FROM sequences WHERE name='EXT-2026-'")" "1" "… and consumes no number"

# ---------------------------------------------------------------------------------------
# log: text, stdin, --type call
at 2026-09-25T11:00:00+08:00
run "$L" log EXT-2026-00001 "已电话告知客户正在调查"
expect_status 0 "log text"
expect_match "$out" '^EXT-2026-00001: note logged \(event [0-9]+\)$' "log prints ref, type and event id"
at 2026-09-25T11:30:00+08:00
run_stdin $'客户要求提交 8D 报告\n' "$L" log EXT-2026-00001 - --type call
expect_status 0 "log - --type call"
expect_match "$out" 'call logged' "log --type call output"
expect_eq "$(db "SELECT group_concat(data, ' ') FROM (SELECT data FROM events WHERE type='logged' ORDER BY id)")" \
  '{"entry":"note","text":"已电话告知客户正在调查"} {"entry":"call","text":"客户要求提交 8D 报告"}' \
  "logged events: entry type and text (stdin, trailing newline trimmed)"

# ---------------------------------------------------------------------------------------
# route --to --assignee --reason, then route --auto (deadlines do not move)
at 2026-09-25T14:00:00+08:00
run "$L" route EXT-2026-00001 --to engineering --assignee xiao.wen --reason "需确认客户图纸版本"
expect_status 0 "route --to engineering"
expect_eq "$out" "EXT-2026-00001: routed to 工程部 (xiao.wen)" "route output"
expect_eq "$(db "SELECT owner, assignee, due FROM records WHERE ref='EXT-2026-00001'")" \
  "engineering|xiao.wen|$(date -d 2026-10-09T09:30:00Z +%s)" "route: owner/assignee changed, due unchanged"
expect_eq "$(db "SELECT data FROM events WHERE type='routed' ORDER BY id DESC LIMIT 1")" \
  '{"assignee":"xiao.wen","from":"quality","reason":"需确认客户图纸版本","to":"engineering"}' "routed event data"
at 2026-09-25T15:00:00+08:00
run "$L" route EXT-2026-00001 --auto
expect_status 0 "route --auto"
expect_eq "$out" "EXT-2026-00001: routed to 品质部 (gao.feng)" "route --auto re-applies the rules"
expect_eq "$(db "SELECT owner || '/' || assignee FROM records WHERE ref='EXT-2026-00001'")" "quality/gao.feng" "route --auto: back to quality"
expect_eq "$(db "SELECT json_extract(data, '$.rule') FROM events WHERE type='routed' ORDER BY id DESC LIMIT 1")" \
  "客户抱怨由品质部处理" "route --auto event names the rule"

# ---------------------------------------------------------------------------------------
# ack: on time (ack_due 09-27 10:00); 48h is calendar time → used 23.5h = 84600 s
at 2026-09-26T09:30:00+08:00
run "$L" ack EXT-2026-00001
expect_status 0 "ack"
expect_eq "$out" "EXT-2026-00001: acknowledged" "ack on time says nothing about lateness"
expect_eq "$(db "SELECT status, acked_at FROM records WHERE ref='EXT-2026-00001'")" \
  "acknowledged|$(date -d 2026-09-26T01:30:00Z +%s)" "ack: status acknowledged, acked_at = now"
expect_eq "$(db "SELECT json_extract(data,'$.on_time'), json_extract(data,'$.used_seconds') FROM events WHERE type='acknowledged'")" \
  "1|84600" "acknowledged event: on time, 23.5h used"
expect_eq "$(db "SELECT stopped_at, used_seconds FROM clocks WHERE name='ack' AND record_id=(SELECT id FROM records WHERE ref='EXT-2026-00001')")" \
  "$(date -d 2026-09-26T01:30:00Z +%s)|84600" "ack clock stopped"

# escalate --to gm --reason
at 2026-09-26T10:00:00+08:00
run "$L" escalate EXT-2026-00001 --to gm --reason "客户要求总经理书面回复"
expect_status 0 "escalate"
expect_eq "$out" "EXT-2026-00001: escalated to 总经办" "escalate output"
expect_eq "$(db "SELECT escalated_to FROM records WHERE ref='EXT-2026-00001'")" "gm" "escalated_to = gm"
expect_eq "$(db "SELECT data FROM events WHERE type='escalated' ORDER BY id DESC LIMIT 1")" \
  '{"reason":"客户要求总经理书面回复","to":"gm"}' "escalated event data"

# ---------------------------------------------------------------------------------------
# EXT-2026-00002: inquiry back-filled with --received (Sun 09-27 20:00, phone)
#   resolve external 48h, calendar time → Tue 09-29 20:00; inquiry has no ack clock
#   owner: rule "供应商、外发加工厂、物流服务商由采购部负责" → purchasing / guo.jing
run "$L" --now 2026-09-28T08:40:00+08:00 file --kind inquiry --party baosteel --channel phone \
  --subject "B340LA 材料替代咨询" --received 2026-09-27T20:00:00+08:00
expect_status 0 "file inquiry with --received"
expect_eq "$out" "EXT-2026-00002" "the failed filing left no gap: EXT-2026-00002"
expect_eq "$(db "SELECT owner, assignee, ack_due IS NULL, due FROM records WHERE ref='EXT-2026-00002'")" \
  "purchasing|guo.jing|1|$(date -d 2026-09-29T12:00:00Z +%s)" "inquiry: purchasing, no ack_due, due 48h after receipt"

# EXT-2026-00003: --major → escalated to gm on filing
#   filed Mon 09-28 09:00: ack 48h → Wed 09-30 09:00;
#   resolve 5wd: 09-29 (1), 09-30 (2), 10-08 (3), 10-09 (4), Sat 10-10 makeup day (5) → 10-10 17:30
at 2026-09-28T09:00:00+08:00
run "$L" file --kind complaint --party svw --channel phone --major --subject "客户停线,索赔 20 万元" --format json
expect_status 0 "file --major --format json"
expect_eq "$(jq -r '[.ref, .major, .escalated_to, .owner, .ack_due, .due] | join(" ")' <<<"$out")" \
  "EXT-2026-00003 true gm quality 2026-09-30T09:00:00+08:00 2026-10-10T17:30:00+08:00" \
  "major record: escalated to gm; due lands on the makeup Saturday"
expect_eq "$(db "SELECT group_concat(type, ' ') FROM (SELECT e.type FROM events e JOIN records r ON r.id = e.record_id WHERE r.ref='EXT-2026-00003' ORDER BY e.id)")" \
  "filed escalated" "major filing writes 'filed' then 'escalated'"
expect_eq "$(db "SELECT major, escalated_to FROM records WHERE ref='EXT-2026-00003'")" "1|gm" "major stored"
expect_eq "$(db "SELECT json_extract(data,'$.to') FROM events WHERE type='escalated' AND record_id=(SELECT id FROM records WHERE ref='EXT-2026-00003')")" \
  "gm" "escalated event: to gm"

# ---------------------------------------------------------------------------------------
# wait / resume on EXT-1
#   paused Mon 09-28 10:00, resumed Tue 09-29 10:00: 8h of working time paused
#   (09-28 10:00–12:00 2h + 13:00–17:30 4.5h; 09-29 08:30–10:00 1.5h).
#   Left at the pause: 09-28 6.5h + 09-29 8h + 09-30 8h + 10-08 8h + 10-09 8h = 38.5h.
#   From 09-29 10:00: 09-29 6.5h, 09-30 8h, 10-08 8h, 10-09 8h, 10-10 (makeup) 8h → Sat 10-10 17:30
at 2026-09-28T10:00:00+08:00
run "$L" wait EXT-2026-00001 --reason "等待客户退回不良样件"
expect_status 0 "wait"
expect_eq "$out" "EXT-2026-00001: waiting; resolve clock paused" "wait output"
expect_eq "$(db "SELECT status FROM records WHERE ref='EXT-2026-00001'")" "waiting" "status waiting"
expect_eq "$(db "SELECT paused_since FROM clocks WHERE name='resolve' AND record_id=(SELECT id FROM records WHERE ref='EXT-2026-00001')")" \
  "$(date -d 2026-09-28T02:00:00Z +%s)" "resolve clock paused_since = now"
run "$L" list --status waiting --columns ref
expect_eq "$out" "EXT-2026-00001" "list --status waiting"

# escalate --skip-level unanswered (越级) on the internal complaint
at 2026-09-28T11:00:00+08:00
run "$L" escalate INT-2026-00001 --to gm --reason "两次向车间主任反映未获答复" --skip-level unanswered
expect_status 0 "escalate --skip-level unanswered"
expect_eq "$(db "SELECT json_extract(data,'$.skip_level') || '|' || json_extract(data,'$.to') FROM events WHERE type='escalated' AND record_id=(SELECT id FROM records WHERE ref='INT-2026-00001')")" \
  "unanswered|gm" "skip-level case recorded in the event"

# close the inquiry (reply required → --reply-via)
at 2026-09-29T09:00:00+08:00
run "$L" close EXT-2026-00002 --resolution "同意以 B340LA-2 替代,已书面答复" --reply-via phone
expect_status 0 "close inquiry"
expect_eq "$out" "EXT-2026-00002: closed (resolved)" "close: outcome resolved by default, on time"

at 2026-09-29T10:00:00+08:00
run "$L" resume EXT-2026-00001 --note "样件已收到"
expect_status 0 "resume"
expect_eq "$out" "EXT-2026-00001: resumed; due 2026-10-10T17:30:00+08:00" "resume: due moved by the 8 working hours paused"
expect_eq "$(db "SELECT status, due FROM records WHERE ref='EXT-2026-00001'")" \
  "acknowledged|$(date -d 2026-10-10T09:30:00Z +%s)" "resume: back to acknowledged, records.due moved"
expect_eq "$(db "SELECT paused_since IS NULL, paused_seconds FROM clocks WHERE name='resolve' AND record_id=(SELECT id FROM records WHERE ref='EXT-2026-00001')")" \
  "1|28800" "resolve clock: 8h paused in all"
expect_eq "$(db "SELECT json_extract(data,'$.paused_seconds') || ' ' || json_extract(data,'$.due') FROM events WHERE type='resumed'")" \
  "28800 2026-10-10T17:30:00+08:00" "resumed event: paused seconds and the new due"

# INT-2026-00002: internal suggestion, upward
#   ack 3wd from Tue 09-29: 09-30 (1), 10-08 (2), 10-09 (3) → 10-09 17:30; no resolve clock
at 2026-09-29T10:05:00+08:00
run "$L" file --kind suggestion --from production --flow upward --channel suggestion-box \
  --subject "建议冲压线增加自动送料装置"
expect_status 0 "file internal suggestion"
expect_eq "$out" "INT-2026-00002" "internal numbering continues: INT-2026-00002"
expect_eq "$(db "SELECT flow, owner, notify, ack_due, due IS NULL FROM records WHERE ref='INT-2026-00002'")" \
  "upward|hr|mgmt|$(date -d 2026-10-09T09:30:00Z +%s)|1" "suggestion: hr, notify mgmt, ack 3wd, no due"

# ---------------------------------------------------------------------------------------
# close EXT-1 with everything
#   resolve clock used: 09-28 8h + 09-29 8h + 09-30 08:30–16:00 less lunch 6.5h = 22.5h,
#   less 8h paused = 14.5h = 52200 s; on time (due 10-10 17:30)
at 2026-09-30T16:00:00+08:00
run "$L" close EXT-2026-00001 --resolution "更换冲孔模具,库存 100% 全检" --outcome resolved \
  --reply-via email --capa CAPA-2026-007
expect_status 0 "close"
expect_eq "$out" "EXT-2026-00001: closed (resolved)" "close output"
expect_eq "$(db "SELECT status, outcome, resolution, reply_via, capa, closed_at FROM records WHERE ref='EXT-2026-00001'")" \
  "closed|resolved|更换冲孔模具,库存 100% 全检|email|CAPA-2026-007|$(date -d 2026-09-30T08:00:00Z +%s)" "closed record fields"
expect_eq "$(db "SELECT json_extract(data,'$.clocks.resolve.on_time'), json_extract(data,'$.clocks.resolve.used_seconds'), json_extract(data,'$.capa') FROM events WHERE type='closed' AND record_id=(SELECT id FROM records WHERE ref='EXT-2026-00001')")" \
  "1|52200|CAPA-2026-007" "closed event: resolve on time, 14.5h used net of the pause"

# reopen: new resolve clock from the reopening
#   reopened Thu 10-08 09:00, 5wd: 10-09 (1), Sat 10-10 makeup (2), 10-12 (3), 10-13 (4), 10-14 (5)
#   → Wed 2026-10-14 17:30
at 2026-10-08T09:00:00+08:00
run "$L" reopen EXT-2026-00001 --reason "客户复检仍有 2 件不良"
expect_status 0 "reopen"
expect_eq "$out" "EXT-2026-00001: reopened; due 2026-10-14T17:30:00+08:00" "reopen: due recomputed from the reopening"
expect_eq "$(db "SELECT status, outcome IS NULL, closed_at IS NULL, due FROM records WHERE ref='EXT-2026-00001'")" \
  "acknowledged|1|1|$(date -d 2026-10-14T09:30:00Z +%s)" "reopened: acknowledged, outcome and closed_at cleared"

# deadline explain: EXT-1's new resolve clock counts the makeup Saturday of 国庆节
run "$L" deadline explain EXT-2026-00001
expect_status 0 "deadline explain"
expect_contains "$out" "resolve clock: 5wd from 2026-10-08T09:00:00+08:00" "explain: the reopened clock"
expect_match "$out" '2026-10-10 Sat +makeup working day \(调休, 国庆节\) +8h counted +→ working day 2' "explain: makeup day counted"
expect_match "$out" '2026-10-11 Sun +weekend +not counted' "explain: weekend skipped"
expect_contains "$out" "due 2026-10-14T17:30:00+08:00" "explain: due"
# EXT-3 (filed 09-28) crosses National Day
run "$L" deadline explain EXT-2026-00003
expect_match "$out" '2026-10-01 Thu +rest day \(国庆节\) +not counted' "explain: 国庆节 rest day"
expect_match "$out" '2026-10-10 Sat +makeup working day \(调休, 国庆节\) +8h counted +→ working day 5' "explain: makeup day is working day 5"
expect_contains "$out" "due 2026-10-10T17:30:00+08:00" "explain EXT-3: due"
expect_contains "$out" "ack clock: 48h" "explain EXT-3: ack clock"
run "$L" deadline explain EXT-2026-00003 --format json
expect_eq "$(jq -r '[.[] | .clock + "=" + .due] | join(" ")' <<<"$out")" \
  "ack=2026-09-30T09:00:00+08:00 resolve=2026-10-10T17:30:00+08:00" "explain json: clocks and dues"
expect_eq "$(jq -r '[.[1].steps[] | select(.reason=="holiday") | .date] | length' <<<"$out")" "7" "explain json: 7 rest days of 国庆节"

# ---------------------------------------------------------------------------------------
# show: table labels and JSON
at 2026-10-08T10:00:00+08:00
run "$L" show EXT-2026-00001
expect_status 0 "show (table)"
expect_match "$out" '(^|'$'\n'')ref +EXT-2026-00001' "show: ref"
expect_match "$out" 'subject +批次 2609 支架尺寸超差' "show: subject"
expect_match "$out" 'owner +品质部 / gao.feng' "show: owner by department name"
expect_match "$out" 'party +上汽大众汽车有限公司 \(svw\)' "show: party name"
expect_match "$out" 'notified +营销中心, 总经办' "show: notified"
expect_match "$out" 'escalated to +总经办' "show: escalated to"
expect_match "$out" 'due +2026-10-14T17:30:00\+08:00' "show in a pipe: full ISO times"
run "$L" show EXT-2026-00001 --format table
expect_match "$out" 'due +2026-10-14 17:30'$'\n' "show --format table: due in short local form"
expect_match "$out" 'ack due +2026-09-27 10:00' "show --format table: ack due"
expect_contains "$out" "CAPA-2026-007" "show: CAPA kept after reopening"
run "$L" show EXT-2026-00001 --format json
expect_status 0 "show --format json"
expect_eq "$(jq -r '[.ref, .status, .owner, .assignee, .kind, .direction, .party] | join(" ")' <<<"$out")" \
  "EXT-2026-00001 acknowledged quality gao.feng complaint external svw" "show json: fields"
expect_eq "$(jq -r '[.clocks[].due] | join(" ")' <<<"$out")" \
  "2026-09-27T10:00:00+08:00 2026-10-14T17:30:00+08:00" "show json: clocks[].due"
expect_eq "$(jq -r '[.history[].type] | join(" ")' <<<"$out")" \
  "filed logged logged routed routed acknowledged escalated waiting resumed closed reopened" "show json: history in order"
expect_eq "$(jq -r '.history[0].actor + " " + .history[0].at' <<<"$out")" "zhou.jianguo 2026-09-25T10:00:00+08:00" \
  "show json: event actor and time"

# ---------------------------------------------------------------------------------------
# the database after all the writes
expect_eq "$(db "SELECT group_concat(type, ' ') FROM (SELECT type FROM events ORDER BY id)")" \
  "party-added party-added party-edited filed filed logged logged routed routed acknowledged escalated filed filed escalated waiting escalated closed resumed filed closed reopened" \
  "events: every write left exactly its event, in order"
expect_eq "$(db "SELECT group_concat(ref || ':' || status, ' ') FROM (SELECT ref, status FROM records ORDER BY id)")" \
  "INT-2026-00001:open EXT-2026-00001:acknowledged EXT-2026-00002:closed EXT-2026-00003:open INT-2026-00002:open" \
  "records.status of each record"
expect_eq "$(db "SELECT name || '=' || last FROM sequences ORDER BY name" | tr '\n' ' ')" "EXT-2026-=3 INT-2026-=2 " \
  "sequences: gap-free"
run "$L" audit verify
expect_status 0 "audit verify"
expect_eq "$out" "ok: 21 events, hash chain intact; 5 records agree with their history" "audit verify: chain intact, records agree"

# ---------------------------------------------------------------------------------------
# list at 10-08 10:00. Open records by receipt: INT-1 (09-21), EXT-1 (09-25), EXT-3 (09-28),
# INT-2 (09-29); EXT-2 (09-27 20:00) is closed. INT-1's due (09-24) has passed.
run "$L" list --columns ref
expect_status 0 "list"
expect_eq "$out" $'INT-2026-00001\nEXT-2026-00001\nEXT-2026-00003\nINT-2026-00002' "list: open records by receipt time"
run "$L" list --status all --columns ref
expect_eq "$out" $'INT-2026-00001\nEXT-2026-00001\nEXT-2026-00002\nEXT-2026-00003\nINT-2026-00002' "list --status all"
run "$L" list --status closed --columns ref
expect_eq "$out" "EXT-2026-00002" "list --status closed"
run "$L" list --status open,waiting --columns ref
expect_eq "$out" $'INT-2026-00001\nEXT-2026-00003\nINT-2026-00002' "list --status open,waiting"
run "$L" list --kind complaint --columns ref
expect_eq "$out" $'INT-2026-00001\nEXT-2026-00001\nEXT-2026-00003' "list --kind complaint"
run "$L" list --dept hr --columns ref
expect_eq "$out" $'INT-2026-00001\nINT-2026-00002' "list --dept hr"
run "$L" list --party svw --columns ref
expect_eq "$out" $'EXT-2026-00001\nEXT-2026-00003' "list --party svw"
run "$L" list --assignee gao.feng --columns ref
expect_eq "$out" $'EXT-2026-00001\nEXT-2026-00003' "list --assignee gao.feng"
run "$L" list --major --columns ref
expect_eq "$out" "EXT-2026-00003" "list --major"
run "$L" list --status all --since 2026-09-25 --until "2026-09-28 09:00" --columns ref
expect_eq "$out" $'EXT-2026-00001\nEXT-2026-00002' "list --since/--until (until is exclusive)"
run "$L" list --since 2026-09-25T00:00:00+08:00 --columns ref
expect_eq "$out" $'EXT-2026-00001\nEXT-2026-00003\nINT-2026-00002' "list --since with offset"
run "$L" list --overdue --columns ref,due,overdue
expect_eq "$out" $'INT-2026-00001\t2026-09-24T17:30:00+08:00\tyes' "list --overdue"
run "$L" --now 2026-10-14T17:31:00+08:00 list --overdue --columns ref
expect_eq "$out" $'INT-2026-00001\nEXT-2026-00001\nEXT-2026-00003' "list --overdue depends on --now"
run "$L" list --sort -due --columns ref,due
expect_eq "$out" $'EXT-2026-00001\t2026-10-14T17:30:00+08:00\nEXT-2026-00003\t2026-10-10T17:30:00+08:00\nINT-2026-00001\t2026-09-24T17:30:00+08:00\nINT-2026-00002\t' \
  "list --sort -due (no deadline last)"
run "$L" list --sort due --columns ref
expect_eq "$out" $'INT-2026-00001\nEXT-2026-00003\nEXT-2026-00001\nINT-2026-00002' \
  "list --sort due: soonest first, records without a deadline last"
run "$L" list --sort -due --limit 2 --columns ref
expect_eq "$out" $'EXT-2026-00001\nEXT-2026-00003' "list --limit 2"
run "$L" list --kind complaint --dept quality --major --columns ref
expect_eq "$out" "EXT-2026-00003" "list: filters combine with AND"

# formats
run "$L" list --party svw
expect_eq "$out" $'EXT-2026-00001\tacknowledged\tcomplaint\tquality\tgao.feng\t2026-09-25T10:00:00+08:00\t2026-10-14T17:30:00+08:00\t批次 2609 支架尺寸超差\nEXT-2026-00003\topen\tcomplaint\tquality\tgao.feng\t2026-09-28T09:00:00+08:00\t2026-10-10T17:30:00+08:00\t客户停线,索赔 20 万元' \
  "list in a pipe: tsv, no header, ids and ISO times"
run "$L" list --party svw --format csv
expect_eq "$out" $'ref,status,kind,owner,assignee,received,due,subject\r\nEXT-2026-00001,acknowledged,complaint,quality,gao.feng,2026-09-25T10:00:00+08:00,2026-10-14T17:30:00+08:00,批次 2609 支架尺寸超差\r\nEXT-2026-00003,open,complaint,quality,gao.feng,2026-09-28T09:00:00+08:00,2026-10-10T17:30:00+08:00,"客户停线,索赔 20 万元"\r' \
  "list --format csv: header, CRLF and quoting of the comma (RFC 4180)"
run "$L" list --format json
expect_eq "$(jq -r 'length' <<<"$out")" "4" "list --format json: an array of the 4 open records"
expect_eq "$(jq -r '[.[] | .ref + ":" + (.overdue|tostring)] | join(" ")' <<<"$out")" \
  "INT-2026-00001:true EXT-2026-00001:false EXT-2026-00003:false INT-2026-00002:false" "list json: ref and overdue"
expect_eq "$(jq -r '.[2].escalated_to + " " + (.[2].major|tostring) + " " + .[2].received_at' <<<"$out")" \
  "gm true 2026-09-28T09:00:00+08:00" "list json: fields"
run "$L" list --format md --party svw --columns ref,owner,subject
expect_eq "$out" $'| ref | owner | subject |\n| --- | --- | --- |\n| EXT-2026-00001 | 品质部 | 批次 2609 支架尺寸超差 |\n| EXT-2026-00003 | 品质部 | 客户停线,索赔 20 万元 |' \
  "list --format md"
run "$L" list --format table --party svw --columns ref,status,owner,due,subject
expect_match "$out" '^ref +status +owner +due +subject' "list --format table: English header"
expect_match "$out" 'EXT-2026-00001 +acknowledged +品质部 +2026-10-14 17:30 +批次' "list table: names and short times"
run "$L" --lang zh list --format table --party svw
expect_status 0 "list --lang zh"
expect_match "$out" '^编号 .*主题' "list --lang zh: 编号 … 主题"
expect_contains "$out" "品质部" "list --lang zh: department name"
run "$L" --lang zh show EXT-2026-00003
expect_match "$out" '编号 +EXT-2026-00003' "show --lang zh: 编号"
expect_match "$out" '主题 +客户停线' "show --lang zh: 主题"

# ---------------------------------------------------------------------------------------
# config check / show / matrix; rules explain
run "$L" config check
expect_status 0 "config check"
expect_eq "$out" "liaison.toml: ok (10 departments, 33 users, 13 kinds, 24 rules, 1 warning)" "config check summary"
# The one warning: the example trusts the declared user, so the tour can act as anyone.
# (Whether this machine has a sendmail is said after the summary, and not the file's.)
err="$(grep -v ': warning: \[remind\] sendmail: ' <<<"$err")"
expect_match "$err" '^liaison\.toml:[0-9]+:[0-9]+: warning: \[access\] trust_declared_user is on: [^'$'\n'']*$' \
  "config check: the example's only warning is that it trusts the declared user"
run "$L" config show
expect_status 0 "config show"
expect_match "$out" "timezone = 'Asia/Shanghai'" "config show: the effective config"
expect_match "$out" "top = 'gm'" "config show: organization.top"
run "$L" config show --format json
expect_status 0 "config show --format json"
expect_eq "$(jq -r '[.organization.timezone, .organization.top, (.department | length), (.rule | length)] | join(" ")' <<<"$out" 2>/dev/null)" \
  "Asia/Shanghai gm 10 24" "config show --format json: organization, 10 departments, 24 rules"
run "$L" config matrix --format json
expect_status 0 "config matrix --format json"
expect_eq "$(jq -r '[.[] | select(.kind=="complaint" and .direction=="external" and .party_type=="customer") | .owner + " " + .ack + " " + .resolve] | join(",")' <<<"$out")" \
  "quality 48h 5wd" "matrix: customer complaints → quality, 48h, 5wd"
run "$L" config matrix
expect_match "$out" 'complaint'$'\t''external'$'\t''customer'$'\t''quality'$'\t' "matrix (tsv): ids, quality for customer complaints"
run "$L" --format table config matrix
expect_match "$out" '投诉/抱怨 +external +客户 +品质部' "matrix (table): names, 品质部 for customer complaints"
run "$L" rules explain --direction external --party-type customer --kind complaint
expect_status 0 "rules explain"
expect_contains "$out" 'rule 6 "客户抱怨由品质部处理": matches' "rules explain: the matching rule"
expect_contains "$out" 'rule 1 "重大事项上报总经理": does not match — major is false, rule wants true' \
  "rules explain: why rule 1 did not match"
expect_contains "$out" 'rule 2 "紧急情况/事故由安环部处置,上报总经理": does not match — kind is "complaint", rule wants "emergency"' \
  "rules explain: why rule 2 did not match"
expect_match "$out" 'owner: +品质部 +\(rule 6 "客户抱怨由品质部处理"\)' "rules explain: decision"
expect_match "$out" 'assignee: gao.feng' "rules explain: assignee"
# The same in Chinese: every word of it, keys and values as the config writes them.
run "$L" --lang zh rules explain --direction external --party-type customer --kind complaint
expect_status 0 "rules explain in Chinese"
expect_contains "$out" '规则 6 "客户抱怨由品质部处理"：匹配 — ' "rules explain zh: the matching rule"
expect_contains "$out" 'kind 为 "complaint"' "rules explain zh: why it matched"
expect_contains "$out" '规则 1 "重大事项上报总经理"：不匹配 — major 为 false，规则要求 true' \
  "rules explain zh: why rule 1 did not match"
expect_contains "$out" '规则 2 "紧急情况/事故由安环部处置,上报总经理"：不匹配 — kind 为 "complaint"，规则要求 "emergency"' \
  "rules explain zh: why rule 2 did not match"
expect_match "$out" '归口部门： +品质部 +（规则 6 "客户抱怨由品质部处理"）' "rules explain zh: the decision"
expect_match "$out" '经办人： +gao.feng' "rules explain zh: assignee"
expect_match "$out" '重大： +否' "rules explain zh: major"
expect_not_contains "$out" "rule wants" "rules explain zh: no English reasons left"
expect_not_contains "$out" "matches" "rules explain zh: no English verdicts left"
# JSON is for scripts: its reasons keep their fixed English whatever the language.
run "$L" --lang zh --format json rules explain --direction external --party-type customer --kind complaint
expect_eq "$(jq -r '.trace[0].reasons[0]' <<<"$out")" "major is false, rule wants true" \
  "rules explain json under --lang zh: the reasons stay in English"
run "$L" --lang zh rules explain --kind suggestion
expect_contains "$out" '未给出 party_type，规则要求 "regulator-ehs"' "rules explain zh: a key not given"
run "$L" rules explain --kind emergency --format json
expect_eq "$(jq -r '[.owner, .escalate, (.major|tostring), .rule_index] | join(" ")' <<<"$out")" "ehs gm true 2" \
  "rules explain json: emergency → ehs, escalate gm, major"

# read-only commands wrote nothing
expect_eq "$(db 'SELECT count(*) FROM events')" "21" "queries wrote no events"

# an overdue record says so; a late acknowledgement says so
run "$L" show INT-2026-00001
expect_match "$out" 'due +2026-09-24T17:30:00\+08:00  \(overdue\)' "show: an overdue record is marked overdue"
#   EXT-3's ack_due was Wed 09-30 09:00; acknowledged Thu 10-08 10:00 → late
run "$L" ack EXT-2026-00003
expect_status 0 "late ack"
expect_eq "$out" "EXT-2026-00003: acknowledged — late" "late ack says so"
expect_eq "$(db "SELECT json_extract(data,'$.on_time') FROM events WHERE type='acknowledged' AND record_id=(SELECT id FROM records WHERE ref='EXT-2026-00003')")" \
  "0" "acknowledged event: not on time"
run "$L" show EXT-2026-00003 --format json
expect_eq "$(jq -r '.clocks[0].met' <<<"$out")" "false" "show json: ack clock missed"

finish
