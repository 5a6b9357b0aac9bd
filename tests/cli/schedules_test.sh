#!/usr/bin/env bash
# Recurring obligations ([[schedule]]): `schedule run`, daily from cron, files the record
# of each period whose day has come, exactly once however often it runs — twice a day,
# after a skipped day, two runs at once, after an import — on the company calendar
# (holidays and makeup days, 调休). `schedule list` shows what is coming and what was
# filed. The example's schedules come from the seeds: the quality monthly report by the
# 10th ([L] 5.2.1), quarterly customer revisits in the last 5 days of January, April, July
# and October ([K-1] 二.4), the quarterly all-staff and the monthly safety meetings ([G] 二.2, 二.3).
. "$(dirname "$0")/lib.sh"

setup_workdir
export LIAISON_USER=sun.qian
count() { db "SELECT count(*) FROM records"; }

# Config errors name the line and say what to write.
cp liaison.toml good.toml
cat >>liaison.toml <<'TOML'
[[schedule]]
id = "weekly-check"
kind = "report"
owner = "quality"
subject = "{year}年第{wek}周点检"
every = "weekly"
TOML
run "$L" config check
expect_status 78 "a broken schedule is a config error"
expect_contains "$err" 'every: unknown value "weekly"' "… an unknown recurrence"
expect_contains "$err" 'did you mean "week"?' "… with did you mean"
expect_contains "$err" 'unknown placeholder "wek"' "… an unknown placeholder"
cp good.toml liaison.toml
cat >>liaison.toml <<'TOML'
[[schedule]]
id = "weekly-check"
kind = "report"
owner = "quality"
subject = "第{week}周点检"
every = "week"
weekday = "mon"
day = 1

[[schedule]]
id = "monthly-check"
kind = "report"
owner = "qualty"
subject = "{month}月点检"
every = "month"
day = 1
TOML
run "$L" config check
expect_status 78 "a weekly schedule with a day"
expect_contains "$err" 'every = "week" needs exactly one of day and working_day (weekday for a week)' "… says what it needs"
expect_contains "$err" 'owner "qualty" is neither a department nor a user' "an unknown owner"
expect_contains "$err" 'did you mean "quality"?' "… with did you mean"
cp good.toml liaison.toml
# A kind that asks what a schedule cannot give (a letter's party) could never be filed.
cat >>liaison.toml <<'TOML'
[[schedule]]
id = "letters"
kind = "letter"
owner = "mgmt"
subject = "{period} 来函"
every = "month"
day = 2

[[schedule]]
id = "zero"
kind = "report"
owner = "mgmt"
subject = "{period}"
every = "month"
day = 2
due = "0h"
TOML
run "$L" config check
expect_status 78 "a schedule that could never be filed"
expect_contains "$err" 'kind "letter" requires party on internal records, which a schedule cannot give' "… says why"
expect_contains "$err" 'due: a deadline of no time' "… and a deadline of nothing"
cp good.toml liaison.toml
# One more for the test: the third working day of each month, which in October 2026 is
# the makeup Saturday of the 10th (国庆调休).
cat >>liaison.toml <<'TOML'
[[schedule]]
id = "third-working-day"
kind = "report"
owner = "ma.jun"
subject = "{year}-{month} 第三个工作日点检"
every = "month"
working_day = 3
TOML
run "$L" config check
expect_status 0 "the schedules are valid"

run "$L" schedule list --format json --now 2026-09-30T12:00:00+08:00
expect_eq "$(jq -c '[.[] | [.id, .when, [.next[] | .date]]]' <<<"$out")" \
  '[["quality-monthly-report","month day 1",["2026-10-01","2026-11-01","2026-12-01"]],["customer-revisit","quarter 1,4,7,10 day -5",["2026-10-27","2027-01-27","2027-04-26"]],["quarterly-safety-meeting","quarter 3,6,9,12 working_day -5",["2026-12-25","2027-03-25","2027-06-24"]],["monthly-safety-meeting","month working_day 1",["2026-10-08","2026-11-02","2026-12-01"]],["third-working-day","month working_day 3",["2026-10-10","2026-11-04","2026-12-03"]]]' \
  "schedule list: the next days on the calendar (October's first working day the 8th after National Day, its third the makeup Saturday)"

# The first run: what fell due in the last 31 days.
at 2026-10-12T06:00:00+08:00
run "$L" schedule run
expect_status 0 "the first run"
expect_eq "$(cut -f2,3,4 <<<"$out")" $'quality-monthly-report\t2026-10\t2026-10-01
quarterly-safety-meeting\t2026-Q3\t2026-09-23
monthly-safety-meeting\t2026-10\t2026-10-08
third-working-day\t2026-10\t2026-10-10' "… files what fell due, September's safety meeting (the 23rd: 中秋 rests the 25th to 27th) too"
expect_eq "$(count)" "4" "four records"
qm="$(awk -F'\t' '$2 == "quality-monthly-report" {print $1}' <<<"$out")"
run "$L" show "$qm" --format json
expect_eq "$(jq -c '[.subject, .kind, .owner, .direction, .received_at, .due]' <<<"$out")" \
  '["2026年10月品质月报","report","quality","internal","2026-10-01T00:00:00+08:00","2026-10-11T00:00:00+08:00"]' \
  "the monthly report: received the day it falls on, due by the end of the 10th"
run "$L" deadline explain "$qm"
expect_contains "$out" "set by schedule quality-monthly-report (its due)" "deadline explain says who set the deadline"
third="$(db "SELECT r.ref FROM schedule_records s JOIN records r ON r.id = s.record_id WHERE s.schedule = 'third-working-day'")"
run "$L" show "$third" --format json
expect_eq "$(jq -c '[.owner, .assignee]' <<<"$out")" '["quality","ma.jun"]' "a user's schedule: their department owns it, they are assigned"
expect_eq "$(db "SELECT json_extract(data, '\$.schedule.id') || ' ' || json_extract(data, '\$.schedule.period') FROM events WHERE record_id = (SELECT id FROM records WHERE ref = '$qm') AND type = 'filed'")" \
  "quality-monthly-report 2026-10" "the filed event names the schedule and period"

# Twice a day: nothing more.
at 2026-10-12T18:00:00+08:00
run "$L" schedule run
expect_status 0 "the second run of the day"
expect_eq "$out" "" "… files nothing and says nothing"
expect_eq "$(count)" "4" "… still four records"
run "$L" schedule run --format json
expect_eq "$(jq -c '[(.filed | length), (.before | length)]' <<<"$out")" "[0,4]" "… JSON says what was filed before"

# A skipped day: the 27th is not run; the 28th files the revisit of the 27th, once.
at 2026-10-26T06:00:00+08:00
run "$L" schedule run
expect_eq "$out" "" "nothing on the 26th"
at 2026-10-28T06:00:00+08:00
run "$L" schedule run --dry-run
expect_eq "$(cut -f1,2,3 <<<"$out")" $'-\tcustomer-revisit\t2026-Q4' "a dry run says what it would file"
expect_eq "$(count)" "4" "… and files nothing"
run "$L" schedule run
expect_eq "$(cut -f2,3,4 <<<"$out")" $'customer-revisit\t2026-Q4\t2026-10-27' "after the skipped day: the revisit of the 27th"
rev="$(cut -f1 <<<"$out")"
run "$L" show "$rev" --format json
expect_eq "$(jq -r '.due' <<<"$out")" "2026-11-01T00:00:00+08:00" "… due by the end of October"
run "$L" schedule run
expect_eq "$out" "" "… filed once"

# Two runs at once, at the start of November: each period once.
at 2026-11-04T09:00:00+08:00
"$L" schedule run >run1.out 2>run1.err &
p1=$!
"$L" schedule run >run2.out 2>run2.err &
p2=$!
wait "$p1"; s1=$?
wait "$p2"; s2=$?
expect_eq "$s1 $s2" "0 0" "two runs at once both succeed"
expect_eq "$(cat run1.out run2.out | cut -f2,3 | sort)" $'monthly-safety-meeting\t2026-11
quality-monthly-report\t2026-11
third-working-day\t2026-11' "… and file November's three records between them, once each"
expect_eq "$(db "SELECT count(*) FROM schedule_records")" "8" "eight periods, eight records"
expect_eq "$(count)" "8" "… and no other"

# Refusals.
fails 4 'no schedule "quality-monthly"' "an unknown schedule" "$L" schedule run quality-monthly
expect_contains "$err" 'did you mean "quality-monthly-report"?' "… with did you mean"
fails 2 "is after today" "--since after today" "$L" schedule run --since 2026-12-01
fails 77 "may not" "an auditor files nothing" env LIAISON_USER=he.min "$L" schedule run
fails 2 "--next" "schedule list --next out of range" "$L" schedule list --next 1000
run "$L" schedule run --since 2026-07-01 customer-revisit
expect_eq "$(cut -f2,3,4 <<<"$out")" $'customer-revisit\t2026-Q3\t2026-07-27' "--since files an older period on purpose"

run "$L" schedule list --format json quality-monthly-report
expect_eq "$(jq -c '.[0] | [.filed, [.next[] | .period]]' <<<"$out")" \
  "[[{\"period\":\"2026-10\",\"ref\":\"$qm\"},{\"period\":\"2026-11\",\"ref\":\"$(db "SELECT r.ref FROM schedule_records s JOIN records r ON r.id = s.record_id WHERE s.schedule = 'quality-monthly-report' AND s.period = '2026-11'")\"}],[\"2026-12\",\"2027-01\",\"2027-02\"]]" \
  "schedule list: what it filed and what comes next"
run "$L" --lang zh --format table schedule list
expect_contains "$out" "后续日期" "schedule list in Chinese"

run "$L" audit verify
expect_status 0 "audit verify accepts the scheduled records"
export LIAISON_USER=zhou.jianguo  # top management imports
import_elsewhere
expect_status 0 "import takes the scheduled records"
expect_same_export
expect_eq "$(other_db "SELECT count(*) FROM schedule_records")" "9" "… and knows which periods they were"
run env LIAISON_USER=sun.qian "$L" --db "$OTHER_DB" schedule run
expect_eq "$out" "" "… so a run there files none again"
# A second record for a period, renumbered in the file, is refused, line and field named.
grep -F "\"ref\":\"$qm\"" all.jsonl | sed "s/$qm/INT-2026-09999/g" >again.jsonl
before="$(other_db "SELECT count(*) FROM records")"
run "$L" --db "$OTHER_DB" import again.jsonl
expect_status 65 "importing a period's second record is refused"
expect_contains "$err" "again.jsonl:1: events[1].data.schedule: schedule quality-monthly-report has its record for 2026-10 already: $qm" \
  "… the line and field named"
expect_eq "$(other_db "SELECT count(*) FROM records")" "$before" "… nothing imported"

# A row slipped into schedule_records behind the tool's back must not make a period look
# filed (and so never filed): the record it names was not filed for it.
db "INSERT INTO schedule_records VALUES ('quality-monthly-report', '2026-12', 1)"
run "$L" schedule list --format json quality-monthly-report
expect_eq "$(jq -c '[.[0].filed[] | .period]' <<<"$out")" '["2026-10","2026-11"]' "schedule list does not show the forged period as filed"
run "$L" audit verify
expect_status 1 "audit verify finds the forged index row"
expect_contains "$err" "schedule quality-monthly-report's period 2026-12 is indexed as record 1, whose filing does not name it" \
  "… and names it"
at 2026-12-02T09:00:00+08:00
before="$(snapshot)"
run "$L" schedule run quality-monthly-report
expect_status 1 "schedule run does not take the period as filed, and cannot file beside the forged row"
expect_contains "$err" "run 'liaison audit verify'" "… saying to run audit verify"
expect_eq "$(snapshot)" "$before" "… and writes nothing"

finish
