#!/usr/bin/env bash
# Letters from regulators and certification bodies (issue 12, point 3): `file --their-ref
# --obligation --due`. The sender's deadline (a time, or a duration on the working
# calendar) replaces the kind's default resolve deadline and says so in `deadline
# explain`; `list --their-ref` finds the letter by their number; the reply closes it
# (`close --reply-via`, required for the kind); audit verify, export and import keep it.
. "$(dirname "$0")/lib.sh"

setup_workdir

at 2026-09-28T09:00:00+08:00
run "$L" party add "苏州市生态环境局" --id sz-eeb --type regulator-ehs
run "$L" party add "某认证有限公司" --id cert --type certification
run "$L" file --kind letter --party sz-eeb --channel letter --subject "关于开展 VOCs 排放自查的通知" \
  --their-ref "苏环函〔2026〕118号" --obligation "排污许可证 VOCs 排放限值" --due 10wd
expect_status 0 "file a letter with their reference, the obligation and their deadline in working days"
ref="$out"
expect_eq "$ref" "EXT-2026-00001" "… numbered as any external record"

# Ten working days from Monday 09-28 cross National Day (10-01 to 10-07, off) and count the
# makeup Saturday 10-10: day 10 is Friday 10-16, due at the end of its working hours.
run "$L" show "$ref" --format json
expect_eq "$(jq -r '[.their_ref, .compliance_obligation, .due] | join("|")' <<<"$out")" \
  "苏环函〔2026〕118号|排污许可证 VOCs 排放限值|2026-10-16T17:30:00+08:00" "stored: their number, the obligation, their deadline"
expect_eq "$(jq -r '.clocks[] | select(.clock == "resolve") | [.duration, .given] | join("|")' <<<"$out")" "10wd|true" \
  "the resolve clock says the sender gave it"
run "$L" deadline explain "$ref"
expect_contains "$out" "resolve clock: 10wd from 2026-09-28T09:00:00+08:00" "deadline explain: the sender's duration"
expect_contains "$out" "given by the sender (file --due), not the kind's default" "… says where it came from"
expect_contains "$out" "2026-10-01 Thu  rest day (国庆节)" "… skips National Day"
expect_contains "$out" "2026-10-10 Sat  makeup working day (调休, 国庆节)" "… counts the makeup Saturday"
expect_contains "$out" "due 2026-10-16T17:30:00+08:00" "… and lands on 10-16"
run "$L" --lang zh deadline explain "$ref"
expect_contains "$out" "来函方给定的期限（file --due），而非该类别的默认期限" "… in Chinese too"

# A deadline as a date or a time.
run "$L" file --kind letter --party cert --channel email --subject "IATF 16949 监督审核计划确认" \
  --their-ref "CERT-2026-0931" --due 2026-10-20
expect_status 0 "file with a date as the deadline"
expect_eq "$(db "SELECT datetime(due, 'unixepoch', '+8 hours') FROM records WHERE ref = 'EXT-2026-00002'")" \
  "2026-10-20 23:59:59" "a date alone is due by the end of that day"
run "$L" deadline explain EXT-2026-00002 --format json
expect_eq "$(jq -c '.[] | select(.clock == "resolve") | [.duration, .given, .due, (.steps | length)]' <<<"$out")" \
  '["",true,"2026-10-20T23:59:59+08:00",0]' "… a given moment, with no days to count"
run "$L" file --kind letter --party cert --channel email --subject "x" --due "2026-10-09 12:00"
expect_status 0 "… or a local time"
expect_eq "$(db "SELECT datetime(due, 'unixepoch', '+8 hours') FROM records WHERE ref = 'EXT-2026-00003'")" \
  "2026-10-09 12:00:00" "… due then"

# Refusals write nothing.
before="$(snapshot)"
run "$L" file --kind letter --party cert --channel email --subject "x" --due 2026-09-27
expect_status 65 "a deadline before the letter was received is exit 65"
expect_contains "$err" "is not after the time it was received" "… saying why"
run "$L" file --kind letter --party cert --channel email --subject "x" --due 0h
expect_status 65 "a deadline of no time at all is exit 65 too"
run "$L" file --kind letter --party cert --channel email --subject "x" --due soonish
expect_status 2 "a --due that is neither a time nor a duration is exit 2"
expect_contains "$err" "--due" "… naming the option"
run "$L" file --kind letter --channel email --subject "x" --due 10wd
expect_status 65 "a letter needs its sender (requires party)"
run "$L" file --kind letter --party cert --channel email --subject "x" --their-ref "$(printf 'x%.0s' $(seq 300))"
expect_status 65 "their reference over 256 bytes is exit 65"
expect_eq "$(snapshot)" "$before" "the refusals wrote nothing"

# Found by their number; edited; the reply closes it.
run "$L" list --their-ref "苏环函〔2026〕118号" --columns ref,their_ref,due
expect_eq "$out" "EXT-2026-00001	苏环函〔2026〕118号	2026-10-16T17:30:00+08:00" "list --their-ref finds the letter"
run "$L" list --their-ref "苏环函〔2026〕119号"
expect_eq "$out" "" "… and nothing for another number (exact match)"
# Waiting on the sender does not move a moment they fixed.
at 2026-09-29T10:00:00+08:00
run "$L" wait EXT-2026-00003 --reason "等待认证机构确认审核组名单"
expect_status 0 "wait on a letter with a fixed deadline"
at 2026-09-30T10:00:00+08:00
run "$L" resume EXT-2026-00003 --note "已确认"
expect_eq "$(db "SELECT datetime(due, 'unixepoch', '+8 hours') FROM records WHERE ref = 'EXT-2026-00003'")" \
  "2026-10-09 12:00:00" "resume leaves the sender's moment where it was"

at 2026-10-09T10:00:00+08:00
run "$L" --as kong.liang edit "$ref" --obligation "排污许可证 VOCs 排放限值及自行监测"
expect_status 0 "edit the obligation"
run "$L" --as kong.liang close "$ref" --resolution "已完成自查并报送报告"
expect_status 65 "a letter is not closed without its reply"
run "$L" --as kong.liang close "$ref" --resolution "已完成自查并报送报告" --reply-via letter
expect_status 0 "the reply closes it"
expect_eq "$out" "EXT-2026-00001: closed (resolved)" "… on time"
run "$L" audit verify
expect_status 0 "audit verify replays the given deadline"

# A given deadline flipped to look like the kind's default is found.
save_db pristine.db
db "UPDATE clocks SET given = 0 WHERE record_id = 1 AND name = 'resolve'"
run "$L" audit verify
expect_status 1 "a clock no longer marked as given fails audit verify"
expect_contains "$out$err" "clock resolve given" "… naming it"
restore_db pristine.db

# Export and import keep all of it.
import_elsewhere
expect_status 0 "import"
run "$L" --db "$OTHER_DB" audit verify
expect_status 0 "… and audit verify accepts it there"
run "$L" --db "$OTHER_DB" deadline explain EXT-2026-00002
expect_contains "$out" "given by the sender" "the imported clock is still the sender's"
expect_same_export

finish
