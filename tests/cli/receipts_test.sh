#!/usr/bin/env bash
# Notices with receipts (签收): `file --recipient DEPT|USER` gives each recipient a clock
# "receipt:<user>" with the kind's `receipt` duration (the example's notice: 1wd, [K-3]
# 不得隔日); a department means its head and members at filing time. `ack` by a recipient
# signs for it; `receipts` lists who has and who has not; `overdue` and `remind` chase
# those who have not, also after the notice is closed; `audit verify`, export and import
# keep it all. Here a notice goes to three departments: two sign, one is chased.
. "$(dirname "$0")/lib.sh"

setup_workdir

at 2026-09-29T09:00:00+08:00
run "$L" file --kind notice --subject "国庆节放假安排及节前安全检查" --channel oa \
  --recipient purchasing --recipient production --recipient engineering
expect_status 0 "file a notice to three departments"
ref="$out"
expect_eq "$(db "SELECT count(*) FROM clocks WHERE name LIKE 'receipt:%'")" "9" \
  "… nine receipts: each department's head and members"
run "$L" show "$ref" --format json
expect_eq "$(jq -r '[.clocks[] | select(.clock | startswith("receipt:")) | .clock] | sort | join(" ")' <<<"$out")" \
  "receipt:guo.jing receipt:han.dong receipt:jiang.hua receipt:lu.ming receipt:luo.ping receipt:pan.yong receipt:song.bin receipt:xiao.wen receipt:yuan.gang" \
  "… named by user"
expect_eq "$(jq -r '[.clocks[] | select(.clock == "receipt:song.bin") | .duration, .due] | join(" ")' <<<"$out")" \
  "1wd 2026-09-30T17:30:00+08:00" "… each within one working day"
expect_eq "$(db "SELECT json_extract(data, '\$.recipients') FROM events WHERE type = 'filed'")" \
  '["purchasing","production","engineering"]' "the filed event keeps the recipients as given"

# Purchasing and production sign; engineering does not.
at 2026-09-29T10:00:00+08:00
for u in song.bin guo.jing luo.ping yuan.gang jiang.hua; do
  run env LIAISON_USER=$u "$L" ack "$ref" --note "已阅"
  expect_status 0 "$u signs"
done
expect_eq "$out" "$ref: signed for by jiang.hua" "… and is told so"
at 2026-10-08T09:00:00+08:00
run env LIAISON_USER=han.dong "$L" ack "$ref"
expect_eq "$out" "$ref: signed for by han.dong (late)" "a signature after the deadline is late"
before="$(snapshot)"
run env LIAISON_USER=han.dong "$L" ack "$ref"
expect_status 5 "signing twice is exit 5"
expect_contains "$err" "han.dong already signed for it at 2026-10-08T09:00:00+08:00" "… saying when"
expect_eq "$(snapshot)" "$before" "… and writes nothing"
expect_eq "$(db "SELECT count(*) FROM events WHERE type = 'signed'")" "6" "one signed event per signature"
expect_eq "$(db "SELECT json_extract(data, '\$.clock') || ' ' || json_extract(data, '\$.on_time') FROM events WHERE type = 'signed' AND actor = 'han.dong'")" \
  "receipt:han.dong 0" "… naming the receipt and whether in time"
# Someone not among the recipients acknowledges the record itself, as before.
run env LIAISON_USER=tang.li "$L" ack "$ref"
expect_status 77 "a non-recipient outside the owner department may not ack it"

at 2026-10-08T11:00:00+08:00
run "$L" receipts "$ref" --format json
expect_eq "$(jq -r '[.[] | select(.state == "signed" or .state == "late") | .recipient] | length' <<<"$out")" "6" "receipts: six signed"
expect_eq "$(jq -r '[.[] | select(.state == "overdue") | .recipient] | join(" ")' <<<"$out")" \
  "lu.ming pan.yong xiao.wen" "… engineering's three overdue"
expect_eq "$(jq -r '.[] | select(.recipient == "han.dong") | [.state, .signed_at, .department] | join(" ")' <<<"$out")" \
  "late 2026-10-08T09:00:00+08:00 production" "… han.dong late, with when"
run "$L" --format table receipts "$ref" --outstanding
expect_match "$out" "lu.ming +卢明 +工程部 +2026-09-30 17:30 +overdue" "receipts --outstanding lists who has not signed"
expect_not_contains "$out" "song.bin" "… and only them"
run "$L" --lang zh --format table receipts "$ref"
expect_match "$out" "接收人 +名称 +部门 +时限 +签收时间 +状态" "… in Chinese"
expect_contains "$out" "已签收" "… signed as 已签收"

run "$L" overdue --format json
expect_eq "$(jq -c '[.[] | select(.obligation | startswith("receipt:")) | .obligation]' <<<"$out")" \
  '["receipt:lu.ming","receipt:pan.yong","receipt:xiao.wen"]' "overdue lists the receipts not signed"
run "$L" --format table overdue
expect_match "$out" "$ref +receipt by lu.ming" "… named with their holder"

# remind, two working days late (Saturday 10-10 is a makeup working day): one mail per
# recipient; engineering's head gets the escalation of his staff's.
at 2026-10-10T11:00:00+08:00
use_fake_sendmail '
[[remind.escalate]]
after = "2wd"
to = "head"'
run "$L" remind
expect_status 0 "remind"
to_of() { grep -l "^To: .*<$1@" $(mails) | wc -l | tr -d ' '; }
expect_eq "$(to_of pan.yong)" "1" "pan.yong is reminded"
expect_eq "$(to_of xiao.wen)" "1" "xiao.wen is reminded"
expect_eq "$(to_of lu.ming)" "1" "lu.ming once: his own receipt and his staff's, in one mail"
expect_eq "$(to_of song.bin)" "0" "who signed is not"
lu_mail="$(grep -l "^To: .*<lu.ming@" $(mails))"
body="$(sed '1,/^$/d' "$lu_mail" | base64 -d 2>/dev/null | tr -d '\r')"
expect_contains "$body" "sign for receipt (liaison ack) (receipt:pan.yong)" "… naming each receipt"
expect_contains "$body" "you are a recipient and have not signed" "… and why him"
expect_eq "$(db "SELECT count(*) FROM events WHERE type = 'reminded' AND json_extract(data, '\$.obligation') LIKE 'receipt:%'")" \
  "5" "each reminder is an event (three recipients, two escalations to the head)"

# Closing leaves the receipts owed; they are still chased, and may still be signed.
run "$L" close "$ref" --resolution "已通过 OA 传达"
expect_status 0 "the notice closes"
expect_contains "$err" "not signed for yet by lu.ming, pan.yong, xiao.wen" "… saying who still owes a receipt"
run "$L" overdue --format json
expect_eq "$(jq -r '[.[] | .obligation] | join(" ")' <<<"$out")" "receipt:lu.ming receipt:pan.yong receipt:xiao.wen" \
  "overdue still lists them after the close"
at 2026-10-12T09:00:00+08:00
run env LIAISON_USER=pan.yong "$L" ack "$ref"
expect_eq "$out" "$ref: signed for by pan.yong (late)" "a closed notice can still be signed for"
run "$L" show "$ref" --format json
expect_eq "$(jq -r '.status' <<<"$out")" "closed" "… and stays closed"

run "$L" audit verify
expect_status 0 "audit verify replays the receipts"
save_db pristine.db
db "UPDATE clocks SET stopped_at = NULL, used_seconds = NULL WHERE name = 'receipt:han.dong'"
run "$L" audit verify
expect_status 1 "a signature removed behind the tool's back fails audit verify"
expect_contains "$out$err" "clock receipt:han.dong stopped_at" "… naming the receipt"
restore_db pristine.db
import_elsewhere
expect_status 0 "import takes the receipts"
run "$L" --db "$OTHER_DB" audit verify
expect_status 0 "… and audit verify accepts them there"
expect_same_export
run "$L" --db "$OTHER_DB" overdue --format json
expect_eq "$(jq -r '[.[] | .obligation] | join(" ")' <<<"$out")" "receipt:lu.ming receipt:xiao.wen" \
  "… where the same receipts are still owed"

# Refusals, each writing nothing.
fails 65 'kind "instruction" takes no recipients' "a kind without a receipt deadline takes no recipients" \
  "$L" file --kind instruction --subject x --recipient quality
fails 65 'unknown department or user "engineerin" for --recipient' "an unknown recipient" \
  "$L" file --kind notice --subject x --recipient engineerin
expect_contains "$err" 'did you mean "engineering"?' "… with did you mean"
fails 65 "he.min may not sign for a record at level internal" "an auditor may not be named a recipient" \
  "$L" file --kind notice --subject x --recipient he.min
fails 65 "may not sign for a record at level secret" "nor someone below the notice's level" \
  "$L" file --kind notice --subject x --level secret --recipient feng.jie
run "$L" file --kind notice --subject "内审安排" --recipient mgmt
expect_status 0 "a department with an auditor in it"
expect_contains "$err" "left out of the recipients (may not read level internal, or may not write): he.min" \
  "… leaves the auditor out, and says so"
expect_eq "$(db "SELECT count(*) FROM clocks c JOIN records r ON r.id = c.record_id WHERE r.ref = '$out' AND c.name LIKE 'receipt:%'")" \
  "3" "… the others sign"
# A recipient in the owner department signs first, then acknowledges the record itself.
run "$L" file --kind notice --subject "行政部内部通知" --recipient xie.fang
own="$out"
run env LIAISON_USER=xie.fang "$L" ack "$own"
expect_eq "$out" "$own: signed for by xie.fang" "the owner's assignee, a recipient, signs first"
run env LIAISON_USER=xie.fang "$L" ack "$own"
expect_status 0 "… then acknowledges the record"
expect_eq "$(db "SELECT type FROM events WHERE record_id = (SELECT id FROM records WHERE ref = '$own') ORDER BY id" | tr '\n' ' ')" \
  "filed signed acknowledged " "… one event each"
run env LIAISON_USER=xie.fang "$L" ack "$own"
expect_status 5 "… and a third ack is refused"
run "$L" file --kind notice --subject "无签收要求的公告"
plain="$out"
run "$L" receipts "$plain" --format json
expect_status 0 "receipts of a notice filed without recipients"
expect_eq "$out" "[]" "… an empty list"
expect_contains "$err" "$plain asks no receipts" "… and says why"
run "$L" receipts INT-2026-09999
expect_status 4 "receipts of an unknown record is exit 4"

run "$L" --format csv query "SELECT type, holder_type, count(*) AS n FROM obligations WHERE ref = '$ref' GROUP BY type, holder_type ORDER BY type"
expect_eq "$(printf '%s' "$out" | tr -d '\r')" "$(printf '%s\n' 'type,holder_type,n' 'receipt,user,9' 'resolve,department,1')" \
  "the obligations view: nine receipts held by users, the resolution by the department"

# The communication plan says who must sign, and whom a kind reports to, within what time.
run "$L" config matrix --format json
expect_eq "$(jq -r '.[] | select(.kind == "notice" and .direction == "internal") | .receipt' <<<"$out")" "1wd" \
  "config matrix: a notice's receipt time"
expect_eq "$(jq -c '[.[] | select(.kind == "emergency" and .direction == "internal") | .report_to[]]' <<<"$out")" \
  '[{"to":"safety-bureau","within":"1h"}]' "… and an emergency's report to the safety authority"
run "$L" config matrix
expect_match "$out" "notice"$'\t''internal'$'\t'"[^"$'\n'"]*"$'\t''1wd'$'\t' "… as the tsv's receipt column"
run "$L" --lang zh --format table config matrix
expect_contains "$out" "签收时限" "… headed in Chinese"
expect_match "$out" "safety-bureau 1 小时" "… durations in words"

# todo: what a recipient has still to sign for.
run env LIAISON_USER=xiao.wen "$L" todo --format json
expect_eq "$(jq -c '[.to_sign[] | [.ref, .obligation, .overdue]]' <<<"$out")" "[[\"$ref\",\"receipt:xiao.wen\",true]]" \
  "todo lists the notice xiao.wen has not signed for, overdue, though it is closed"
run env LIAISON_USER=song.bin "$L" todo --format json
expect_eq "$(jq -c '.to_sign' <<<"$out")" "[]" "… and nothing for who has signed"
run env LIAISON_USER=xiao.wen "$L" --format table todo
expect_match "$out" "To sign for \(notices sent to you\)" "… under its own title"
expect_match "$out" "$ref +closed +receipt by xiao.wen" "… with the receipt as the obligation"

run "$L" deadlines --user xiao.wen --format json
expect_eq "$(jq -c '[.[] | select(.ref == "'"$ref"'") | .obligation]' <<<"$out")" '["receipt:xiao.wen"]' \
  "deadlines --user lists the receipt owed"
run "$L" deadlines --user xiao.wen --format ics
expect_contains "$out" "SUMMARY:$ref sign for: " "… and its calendar feed"

# A kind's receipt is a duration, checked in the config.
cp liaison.toml bad.toml
printf '\n[[kind]]\nid = "memo"\nreceipt = "tomorrow"\n' >>bad.toml
run "$L" --config bad.toml config check
expect_status 78 "a malformed receipt duration is a config error"
expect_contains "$out$err" 'kind "memo" receipt' "… naming where"

finish
