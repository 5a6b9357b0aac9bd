#!/usr/bin/env bash
# Notifications a kind owes outside parties (issue 12, point 4): the example's emergency
# kind owes the safety authority a report within 1 hour (生产安全事故报告和调查处理条例
# art. 9), a clock from filing in calendar time; `notify REF --party --via` records it and
# stops that clock; a missed hour shows late in `notify`, `show` and `deadline explain`;
# the record cannot be closed until the report is recorded; emergencies are major and
# escalated to top management on filing; audit verify, export and import keep it all.
. "$(dirname "$0")/lib.sh"

setup_workdir

at 2026-09-28T09:00:00+08:00
run "$L" party add "县应急管理局" --id safety-bureau --type regulator-ehs
run "$L" file --kind emergency --subject "冲压车间夹伤事故" --channel phone
expect_status 0 "file an accident"
ref="$out"
run "$L" show "$ref" --format json
expect_eq "$(jq -r '[.major, .escalated_to, .owner] | map(tostring) | join(" ")' <<<"$out")" "true gm ehs" \
  "an emergency is major, escalated to top management and owned by EHS on filing"
expect_eq "$(jq -r '.clocks[] | select(.clock == "notify:safety-bureau") | [.duration, .due] | join(" ")' <<<"$out")" \
  "1h 2026-09-28T10:00:00+08:00" "it owes the safety authority a report within the hour"

# Not closed while the report is owed.
before="$(snapshot)"
run "$L" close "$ref" --resolution "伤员已送医"
expect_status 5 "close is refused while the report is not recorded"
expect_contains "$err" "the notification to safety-bureau (due 2026-09-28T10:00:00+08:00) is not recorded" "… saying which"
expect_contains "$err" "liaison notify $ref --party safety-bureau --via phone" "… and how to record it"
run "$L" notify "$ref" --party safety-bureu --via phone
expect_status 65 "a party the record owes nothing is exit 65"
expect_contains "$err" 'did you mean "safety-bureau"?' "… with did you mean"
run "$L" notify "$ref" --party safety-bureau --via pigeon
expect_status 65 "an unknown channel is exit 65"
run "$L" notify "$ref" --party safety-bureau
expect_status 2 "--via is required"
run "$L" notify INT-2026-00099 --party safety-bureau --via phone
expect_status 4 "an unknown record is exit 4"
run env LIAISON_USER=li.xue "$L" notify "$ref" --party safety-bureau --via phone
expect_status 77 "someone outside the owner department may not record it"
expect_eq "$(snapshot)" "$before" "the refusals wrote nothing"

# Overdue after the hour: listed and reminded like any obligation.
at 2026-09-28T10:15:00+08:00
run "$L" overdue --format json
expect_eq "$(jq -c '[.[] | select(.ref == "'"$ref"'") | .obligation]' <<<"$out")" '["ack","notify:safety-bureau"]' \
  "overdue lists the report still owed, beside the acknowledgement"
run "$L" --format table overdue
expect_match "$out" "$ref +notification to safety-bureau" "… named for people"
use_fake_sendmail
run "$L" remind
expect_status 0 "remind"
expect_eq "$(mail_count)" "1" "… one mail, to the owner department's assignee"
expect_contains "$(sed '1,/^$/d' "$(mails)" | base64 -d | tr -d '\r')" "report to safety-bureau (notify:safety-bureau)" \
  "the reminder names the report owed"

# Reported after 90 minutes: late.
at 2026-09-28T10:30:00+08:00
run "$L" --as kong.liang notify "$ref" --party safety-bureau --via phone --note "已电话报告县应急管理局值班室"
expect_status 0 "notify"
expect_eq "$out" "$ref: safety-bureau notified (late)" "… late, and says so"
expect_eq "$(db "SELECT json_extract(data, '\$.used_seconds') || ' ' || json_extract(data, '\$.on_time') FROM events WHERE type = 'notified'")" \
  "5400 0" "the event holds the time used and that it was late"
run "$L" deadline explain "$ref"
expect_contains "$out" "notification to safety-bureau clock: 1h from 2026-09-28T09:00:00+08:00" "deadline explain shows the notification's clock"
expect_contains "$out" "used 1h30m, missed" "… missed"
run "$L" --format table show "$ref"
expect_match "$out" "notification to safety-bureau +1h +2026-09-28 10:00 +2026-09-28 10:30 +1h30m +no" "show's clock table"
expect_contains "$out" "notified   → safety-bureau (phone) 已电话报告县应急管理局值班室 (late)" "… and the event"
run "$L" --lang zh deadline explain "$ref"
expect_contains "$out" "通报 safety-bureau" "… in Chinese"
run "$L" --as kong.liang notify "$ref" --party safety-bureau --via fax
expect_status 5 "recording it twice is exit 5"
expect_contains "$err" "safety-bureau was already notified at 2026-09-28T10:30:00+08:00" "… saying when"

at 2026-09-29T16:00:00+08:00
run "$L" --as kong.liang close "$ref" --resolution "伤员已送医，现场已整改，事故报告已上报"
expect_status 0 "closed once the report is recorded"

# A second accident, reported within the hour.
at 2026-09-30T14:00:00+08:00
run "$L" file --kind emergency --subject "喷涂线起火（已扑灭）" --channel phone
second="$out"
at 2026-09-30T14:40:00+08:00
run "$L" --as kong.liang notify "$second" --party safety-bureau --via phone
expect_eq "$out" "$second: safety-bureau notified" "on time"
run "$L" deadline explain "$second" --format json
expect_eq "$(jq -c '.[] | select(.clock == "notify:safety-bureau") | [.used_seconds, .met]' <<<"$out")" "[2400,true]" "… met"

run "$L" audit verify
expect_status 0 "audit verify replays the notifications"
save_db pristine.db
db "UPDATE clocks SET stopped_at = stopped_at - 3600, used_seconds = 1800 WHERE name = 'notify:safety-bureau' AND record_id = 1"
run "$L" audit verify
expect_status 1 "a report moved within the hour behind the tool's back fails audit verify"
expect_contains "$out$err" "clock notify:safety-bureau stopped_at" "… naming the clock"
restore_db pristine.db

import_elsewhere
expect_status 0 "import takes the notifications"
run "$L" --db "$OTHER_DB" audit verify
expect_status 0 "… and audit verify accepts them there"
expect_same_export

# A kind's notify list is checked in the config.
cp liaison.toml bad.toml
printf '\n[[kind]]\nid = "spill"\nnotify = [{ to = "safety bureau" }, { within = "2h" }]\n' >>bad.toml
run "$L" --config bad.toml config check
expect_status 78 "a malformed notify list is a config error"
expect_contains "$out$err" '"safety bureau" is not a party id' "… a party id with a blank"
expect_contains "$out$err" "missing within" "… a duty without its time"
expect_contains "$out$err" "missing to" "… a duty without its party"

finish
