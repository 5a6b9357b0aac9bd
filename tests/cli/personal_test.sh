#!/usr/bin/env bash
# Issue 14, points 6 and 7: `me` for the acting user, the relative times (today, -7d,
# monday, 2026-10), the named report periods, the todo view and the deadlines feed, which
# is parsed back with a real iCalendar library (Debian's python3-icalendar).
. "$(dirname "$0")/lib.sh"

setup_workdir

# Records, now Monday 2026-09-21 09:00 in Shanghai:
#   EXT-2026-00001 complaint, filed Mon 09-14 10:00 (last week)
#   EXT-2026-00002 complaint, confidential, filed Sun 09-20 10:00
#   EXT-2026-00003 complaint, filed today 08:00, a subject with , ; \ and a long Chinese tail
# all owned by quality and assigned to gao.feng by the rules of the example.
at 2026-09-14T10:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "setup: party add"
run "$L" file --kind complaint --party svw --channel email --subject "尺寸超差"
expect_eq "$out" "EXT-2026-00001" "setup: EXT-2026-00001"
at 2026-09-20T10:00:00+08:00
run "$L" file --kind complaint --party svw --channel email --subject "机密投诉内容" --level confidential
expect_eq "$out" "EXT-2026-00002" "setup: EXT-2026-00002"
at 2026-09-21T08:00:00+08:00
long="螺栓扭矩不足, 第二批; 路径 C:\\质检 — 客户要求在本周内给出书面答复并附上全部检验记录与整改措施"
run "$L" file --kind complaint --party svw --channel email --subject "$long"
expect_eq "$out" "EXT-2026-00003" "setup: EXT-2026-00003"
at 2026-09-21T09:00:00+08:00
run "$L" list --status all --format tsv --columns ref,owner,assignee
expect_eq "$out" $'EXT-2026-00001\tquality\tgao.feng\nEXT-2026-00002\tquality\tgao.feng\nEXT-2026-00003\tquality\tgao.feng' \
  "setup: all three with quality, assigned to gao.feng"

# --- me -------------------------------------------------------------------------------
run env LIAISON_USER=gao.feng "$L" list --assignee @me --columns ref
expect_eq "$out" $'EXT-2026-00001\nEXT-2026-00002\nEXT-2026-00003' "list --assignee @me: the acting user's"
run env LIAISON_USER=ma.jun "$L" list --assignee @me --columns ref
expect_eq "$out" "" "list --assignee @me: not someone else's"
run env LIAISON_USER=gao.feng "$L" list --dept me --columns ref --status all
expect_eq "$out" $'EXT-2026-00001\nEXT-2026-00002\nEXT-2026-00003' "list --dept me: the acting user's department"
run env LIAISON_USER=zhang.wei "$L" list --dept @me --columns ref --status all
expect_eq "$out" "" "list --dept @me of a sales user: none of these"
fails 2 'nobody is acting' "list --assignee me with nobody acting" env LIAISON_USER=no.body "$L" list --assignee me
expect_contains "$err" "--assignee me" "nobody acting: names the option"
expect_contains "$err" "LIAISON_USER" "nobody acting: says how to act"
fails 2 'nobody is acting' "overdue --dept me with nobody acting" env LIAISON_USER=no.body "$L" overdue --dept me
fails 2 'nobody is acting' "audit log --actor @me with nobody acting" env LIAISON_USER=no.body "$L" audit log --actor @me
fails 2 'nobody is acting' "file --assignee me with nobody acting" \
  env LIAISON_USER=no.body "$L" file --kind complaint --party svw --channel email --subject x --assignee me
run env LIAISON_USER=no.body LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 "$L" list --assignee me
expect_contains "$err" "当前没有操作人" "nobody acting, in Chinese"
run env LIAISON_USER=gao.feng "$L" audit log --actor me --format tsv
expect_status 0 "audit log --actor me: exit 0"
expect_eq "$out" "" "audit log --actor me: gao.feng did nothing yet"
run env LIAISON_USER=ma.jun "$L" route EXT-2026-00002 --to me --assignee @me
expect_status 0 "route --to me --assignee @me"
expect_eq "$(db "SELECT owner || ' ' || assignee FROM records WHERE ref = 'EXT-2026-00002'")" "quality ma.jun" \
  "route --assignee @me: the acting user is assigned"
run env LIAISON_USER=gao.feng "$L" file --kind complaint --party svw --channel email --subject "自己的" --assignee me
expect_eq "$out" "EXT-2026-00004" "file --assignee me"
expect_eq "$(db "SELECT assignee FROM records WHERE ref = 'EXT-2026-00004'")" "gao.feng" "file --assignee me: stored as the user"
run env LIAISON_USER=gao.feng "$L" close EXT-2026-00004 --resolution "已处理" --reply-via email
expect_status 0 "setup: close EXT-2026-00004"

# --- relative times ---------------------------------------------------------------------
since() { run "$L" list --status all --columns ref "$@"; printf '%s' "$out" | tr '\n' ' '; }
expect_eq "$(since --since today)" "EXT-2026-00003 EXT-2026-00004" "--since today"
expect_eq "$(since --since yesterday --until yesterday)" "EXT-2026-00002" "--since yesterday --until yesterday: all of yesterday"
expect_eq "$(since --since sunday --until SUNDAY)" "EXT-2026-00002" "weekday names, any case"
expect_eq "$(since --since monday)" "EXT-2026-00003 EXT-2026-00004" "monday: today, a Monday"
expect_eq "$(since --since 周一 --until today)" "EXT-2026-00003 EXT-2026-00004" "周一, --until today"
expect_eq "$(since --since -7d)" "EXT-2026-00001 EXT-2026-00002 EXT-2026-00003 EXT-2026-00004" "-7d: since 09-14 09:00"
expect_eq "$(since --since -6d)" "EXT-2026-00002 EXT-2026-00003 EXT-2026-00004" "-6d: since 09-15 09:00"
expect_eq "$(since --since -1w --until -6d)" "EXT-2026-00001" "-1w … -6d"
expect_eq "$(since --since -2h)" "EXT-2026-00003 EXT-2026-00004" "-2h"
expect_eq "$(since --since 2026-09 --until 2026-09)" "EXT-2026-00001 EXT-2026-00002 EXT-2026-00003 EXT-2026-00004" \
  "a month at both ends: all of September"
expect_eq "$(since --until 2026-08)" "" "--until 2026-08: before September"
expect_eq "$(since --since -1mo --until 2026-09-20)" "EXT-2026-00001" "a full date is still its midnight as --until"
fails 2 'cannot read "-7m" as a time' "-7m is not a unit" "$L" list --since -7m
expect_contains "$err" "-7d" "bad time: the hint shows the relative forms"
fails 2 'cannot read "today" as a time' "--now takes no relative time" "$L" --now today list
run "$L" audit log --since today --type filed --format tsv
expect_eq "$(printf '%s\n' "$out" | cut -f5 | tr '\n' ' ')" "EXT-2026-00003 EXT-2026-00004 " "audit log --since today"
run "$L" audit log --since 2026-09 --until yesterday --type filed --format tsv
expect_eq "$(printf '%s\n' "$out" | cut -f5 | tr '\n' ' ')" "EXT-2026-00001 EXT-2026-00002 " "audit log --until yesterday: its end"

# --- report periods -------------------------------------------------------------------
period() { run "$L" --format json report "$@"; jq -r '.period.label // .period' <<<"$out" 2>/dev/null; }
expect_eq "$(period --period this-month)" "2026-09" "report --period this-month"
expect_eq "$(period --period last-month)" "2026-08" "report --period last-month"
expect_eq "$(period --period this-quarter)" "2026-Q3" "report --period this-quarter"
expect_eq "$(period --period last-quarter)" "2026-Q2" "report --period last-quarter"
expect_eq "$(period --period this-year)" "2026" "report --period this-year"
expect_eq "$(period --period last-year)" "2025" "report --period last-year"
run "$L" --format json report --from 2026-07 --to 2026-09
expect_status 0 "report --from 2026-07 --to 2026-09"
expect_eq "$(jq -r '.period.to' <<<"$out")" "2026-10-01T00:00:00+08:00" "report --to a month: its end"
fails 2 'cannot read "next-month" as a period' "report --period next-month" "$L" report --period next-month
expect_contains "$err" "last-quarter" "bad period: the hint names the new periods"

# --- todo -----------------------------------------------------------------------------
# gao.feng (quality staff): EXT-1 and 3 assigned (2 went to ma.jun); quality's
# unacknowledged EXT-1, 2, 3.
run env LIAISON_USER=gao.feng "$L" todo --format json
expect_status 0 "todo --format json"
expect_eq "$(jq -r '.user + " " + .department + " " + .week_end' <<<"$out")" \
  "gao.feng quality 2026-09-28T00:00:00+08:00" "todo: user, department, end of the week"
expect_eq "$(jq -r '[.assigned[].ref] | join(" ")' <<<"$out")" "EXT-2026-00001 EXT-2026-00003" "todo: assigned, nearest first"
expect_eq "$(jq -r '[.to_acknowledge[].ref] | join(" ")' <<<"$out")" "EXT-2026-00001 EXT-2026-00002 EXT-2026-00003" \
  "todo: to acknowledge, nearest first"
expect_eq "$(jq -r '[.due_this_week[] | .ref + "/" + .obligation] | sort | join(" ")' <<<"$out")" \
  "EXT-2026-00001/ack EXT-2026-00001/resolve EXT-2026-00002/ack EXT-2026-00003/ack" \
  "todo: due this week: both sections' deadlines before Monday, passed ones included"
expect_eq "$(jq '[.due_this_week[].due] == ([.due_this_week[].due] | sort)' <<<"$out")" "true" "todo: nearest first"
expect_eq "$(jq -r '.due_this_week[0] | .ref + " " + .obligation + " " + .due + " " + (.overdue|tostring)' <<<"$out")" \
  "EXT-2026-00001 ack 2026-09-16T10:00:00+08:00 true" "todo: a passed deadline comes first, overdue"
expect_eq "$(jq -r '.to_acknowledge[1] | .subject + " " + .obligation + " " + .due' <<<"$out")" \
  "[confidential] ack 2026-09-22T10:00:00+08:00" "todo: a confidential subject is redacted for a secret clearance"
expect_eq "$(jq -r '.assigned[0] | keys | join(",")' <<<"$out")" \
  "assignee,due,kind,obligation,overdue,owner,ref,status,subject" "todo: the documented fields"
# The table: three titled sections, nearest first; Chinese under --lang zh.
run env LIAISON_USER=gao.feng "$L" --format table todo
expect_contains "$out" "Assigned to you" "todo table: assigned section"
expect_contains "$out" "To acknowledge for 品质部" "todo table: department section"
expect_contains "$out" "Due by the end of the week (2026-09-27)" "todo table: week section"
expect_match "$out" "EXT-2026-00001 +open +ack +2026-09-16 10:00 +overdue" "todo table: a row"
run env LIAISON_USER=gao.feng "$L" --format table --lang zh todo
expect_contains "$out" "分配给你的" "todo zh: assigned"
expect_contains "$out" "品质部待确认" "todo zh: department"
expect_contains "$out" "本周到期" "todo zh: week"
expect_contains "$out" "[机密]" "todo zh: redaction mark"
# Someone with nothing: zhang.wei (sales, nothing assigned, nothing of sales open).
run env LIAISON_USER=zhang.wei "$L" --format table todo
expect_status 0 "todo with nothing to do: exit 0"
expect_eq "$(grep -c '^  none$' <<<"$out")" "3" "todo with nothing: each section says so"
# An auditor may not acknowledge: no department section (null in JSON).
run env LIAISON_USER=he.min "$L" todo --format json
expect_eq "$(jq -r '.to_acknowledge' <<<"$out")" "null" "todo: an auditor has no acknowledge section"
run env LIAISON_USER=gao.feng "$L" todo --format tsv
expect_eq "$(cut -f1,2 <<<"$out" | head -2 | tr '\t\n' ': ')" "assigned:EXT-2026-00001 assigned:EXT-2026-00003 " \
  "todo tsv: a section column first"
fails 2 'nobody is acting' "todo with nobody acting" env LIAISON_USER=no.body "$L" todo
# --limit: at most N records a section for people, then how many more; scripts get all
# of it unless they ask for a limit.
run env LIAISON_USER=gao.feng "$L" --format table todo --limit 1
expect_status 0 "todo --limit 1"
assigned_section="$(sed -n '/^Assigned to you$/,/^$/p' <<<"$out")"
expect_eq "$(grep -c '^  EXT-' <<<"$assigned_section")" "1" "todo --limit 1: one record of the assigned section"
expect_contains "$assigned_section" "  … and 1 more" "todo --limit 1: … and how many more"
run env LIAISON_USER=gao.feng "$L" --format table todo
expect_not_contains "$out" "more" "todo: under the default limit (20) nothing is left out"
run env LIAISON_USER=gao.feng "$L" --format table --lang zh todo --limit 1
expect_contains "$out" "…… 另有 1 条" "todo --limit 1 in Chinese"
run env LIAISON_USER=gao.feng "$L" todo --format json --limit 1
expect_eq "$(jq -r '[(.assigned | length), .more.assigned] | map(tostring) | join(" ")' <<<"$out")" "1 1" \
  "todo json --limit 1: one record, and how many were left out"
run env LIAISON_USER=gao.feng "$L" todo --format json
expect_eq "$(jq -r '[(.assigned | length), has("more")] | map(tostring) | join(" ")' <<<"$out")" "2 false" \
  "todo json without --limit: complete"
run env LIAISON_USER=gao.feng "$L" --format table todo --limit 0
expect_eq "$(sed -n '/^Assigned to you$/,/^$/p' <<<"$out" | grep -c '^  EXT-')" "2" "todo --limit 0: all"

# --- deadlines --------------------------------------------------------------------------
run env LIAISON_USER=gao.feng "$L" deadlines --format json
expect_status 0 "deadlines --format json"
expect_eq "$(jq -r '[.[] | .ref + "/" + .obligation] | sort | join(" ")' <<<"$out")" \
  "EXT-2026-00001/ack EXT-2026-00001/resolve EXT-2026-00003/ack EXT-2026-00003/resolve" \
  "deadlines: the acting user's by default"
run "$L" deadlines --dept quality --format json
dept_json="$out"
expect_eq "$(jq -r 'length' <<<"$out")" "6" "deadlines --dept quality: ack and resolve of three records"
expect_eq "$(jq '[.[].due] == ([.[].due] | sort)' <<<"$out")" "true" "deadlines: nearest first"
run env LIAISON_USER=gao.feng "$L" deadlines --dept me --format json
expect_eq "$(jq -c '[.[] | [.ref, .obligation, .due]]' <<<"$out")" "$(jq -c '[.[] | [.ref, .obligation, .due]]' <<<"$dept_json")" \
  "deadlines --dept me: the acting user's department"
fails 2 'not both' "deadlines --user and --dept" "$L" deadlines --user gao.feng --dept quality
fails 4 'unknown user "gao.fen"' "deadlines --user mistyped" "$L" deadlines --user gao.fen
expect_contains "$err" 'did you mean "gao.feng"?' "deadlines --user mistyped: suggestion"
fails 4 'unknown department "qualty"' "deadlines --dept mistyped" "$L" deadlines --dept qualty
fails 2 'nobody is acting' "deadlines with nobody acting" env LIAISON_USER=no.body "$L" deadlines
fails 2 'unknown format "ical"' "deadlines --format ical" "$L" --format ical deadlines
expect_contains "$err" "ics" "deadlines bad format: the hint names ics"
run "$L" --format table deadlines --user gao.feng
expect_match "$out" "EXT-2026-00001 +ack +2026-09-16 10:00 +overdue" "deadlines table"

# The feed, parsed back by python3-icalendar: every deadline an event at its time in UTC,
# its summary (Chinese, commas, semicolons, backslash) intact, the UID stable.
# Debian's python3 (a python3 earlier in PATH, say pyenv's, may lack the package).
py=""
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import icalendar' 2>/dev/null; then py="$candidate"; break; fi
done
if [ -z "$py" ]; then
  fail "python3-icalendar is not installed: the feed cannot be checked (apt-get install python3-icalendar)"
  finish
fi
run "$L" --format ics deadlines --dept quality
expect_status 0 "deadlines --format ics"
printf '%s' "$out" >feed.ics
"$L" --format ics deadlines --dept quality >feed.ics
expect_eq "$(grep -c $'\r$' feed.ics)" "$(wc -l <feed.ics)" "ics: every line ends with CRLF"
expect_eq "$(LC_ALL=C awk '{ sub(/\r$/, ""); if (length($0) > 75) n++ } END { print n+0 }' feed.ics)" "0" \
  "ics: no line longer than 75 octets"
expect_match "$(cat feed.ics)" $'\r\n ' "ics: the long subject is folded"
cat >check_feed.py <<'PY'
import json, sys
from datetime import datetime
import icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
deadlines = json.load(open(sys.argv[2]))
events = [c for c in cal.walk() if c.name == "VEVENT"]
print("calname", str(cal.get("X-WR-CALNAME")))
print("events", len(events), len(deadlines))
for e, d in zip(events, deadlines):
    start = e.decoded("DTSTART")
    due = datetime.fromisoformat(d["due"])
    summary = str(e.get("SUMMARY"))
    ok = start == due and summary.startswith(d["ref"] + " ") and summary.endswith(d["subject"])
    print("event", d["ref"], d["obligation"], str(e.get("UID")), "ok" if ok else "BAD %s %s %r" % (start, due, summary))
PY
run "$py" check_feed.py feed.ics <(printf '%s' "$dept_json")
expect_status 0 "ics: python3-icalendar reads it"
expect_contains "$out" "calname liaison deadlines: 品质部" "ics: the calendar's name"
expect_contains "$out" "events 6 6" "ics: one event per deadline"
expect_not_contains "$out" "BAD" "ics: every event's time and summary as the JSON says"
expect_contains "$out" "event EXT-2026-00003 ack EXT-2026-00003-ack@" "ics: UID of record and deadline"
uids="$(grep '^event ' <<<"$out" | cut -d' ' -f4 | sort)"
# Later, after EXT-2026-00003 is acknowledged: its other events keep their UIDs.
at 2026-09-21T10:00:00+08:00
run env LIAISON_USER=ma.jun "$L" ack EXT-2026-00003
expect_status 0 "ack EXT-2026-00003"
run "$L" --format ics deadlines --dept quality
expect_contains "$out" "DTSTAMP:20260921T020000Z" "ics: DTSTAMP is now, in UTC"
expect_not_contains "$out" "UID:EXT-2026-00003-ack@" "ics: an acknowledged record owes no ack event"
later="$(grep -o 'UID:[^[:space:]]*' <<<"${out//$'\r'/}" | cut -d: -f2 | sort)"
expect_eq "$later" "$(grep -v 'EXT-2026-00003-ack@' <<<"$uids")" "ics: the other UIDs are stable"
# Redacted for the reader, in the feed too; Chinese summaries under --lang zh.
run env LIAISON_USER=feng.jie "$L" --format ics --lang zh deadlines --dept quality
expect_contains "$out" "EXT-2026-00002 确认：[机密]" "ics: a confidential subject redacted, Chinese summary"
expect_not_contains "$out" "机密投诉内容" "ics: the confidential text is not in the feed"

# --- me where a department or user is taken: escalate --to, remind --dept, file --from ----
at 2026-10-20T09:00:00+08:00
run env LIAISON_USER=gao.feng "$L" remind --dry-run --dept quality
quality_mail="$out"
expect_contains "$quality_mail" "To: " "remind --dry-run --dept quality: mail to send"
run env LIAISON_USER=gao.feng "$L" remind --dry-run --dept me
expect_status 0 "remind --dept me"
expect_eq "$out" "$quality_mail" "remind --dept me: the acting user's department"
fails 2 '--dept me: nobody is acting' "remind --dept me with nobody acting" \
  env LIAISON_USER=no.body "$L" remind --dry-run --dept me
run env LIAISON_USER=gao.feng "$L" file --kind suggestion --from me --subject "内部建议" --format json
expect_status 0 "file --from me"
expect_eq "$(jq -r '.from_dept' <<<"$out")" "quality" "file --from me: the acting user's department"
run env LIAISON_USER=gao.feng "$L" escalate EXT-2026-00001 --to @me --reason "需要支持"
expect_status 0 "escalate --to @me"
expect_eq "$(db "SELECT escalated_to FROM records WHERE ref = 'EXT-2026-00001'")" "gao.feng" \
  "escalate --to @me: raised to the acting user"
fails 2 '--to me: nobody is acting' "escalate --to me with nobody acting" \
  env LIAISON_USER=no.body "$L" escalate EXT-2026-00002 --to me --reason x

finish
