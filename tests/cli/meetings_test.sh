#!/usr/bin/env bash
# Meetings (会议记录): attendees and those absent, decisions, action items (待办事项) each
# its own obligation (clock action:<n>:<user>, id REF/A<n>) with an owner and a deadline,
# done with evidence, tracked past the minutes' closing to the next meeting, which
# follows the earlier one up ([A] 4.1.4.1 c. 会议记录执行情况由企业管理部追踪落实,并于下一次
# 主管例会上公布). An action goes overdue, is listed, reminded, reported and then done;
# audit verify, export and import keep it all.
. "$(dirname "$0")/lib.sh"

setup_workdir
export LIAISON_USER=wang.hai

at 2026-10-09T09:00:00+08:00
fails 65 'unknown user "ma.jum" for --attendee' "an unknown attendee" \
  "$L" file --kind meeting --subject "十月主管例会" --from me --attendee ma.jum
expect_contains "$err" 'did you mean "ma.jun"?' "… with did you mean"
fails 65 "liu.yang is named both as attending and as absent" "attending and absent at once" \
  "$L" file --kind meeting --subject "十月主管例会" --from me --attendee liu.yang --absent liu.yang
fails 4 "INT-2026-09999" "following up a meeting that does not exist" \
  "$L" file --kind meeting --subject "十月主管例会" --from me --follow-up INT-2026-09999

run "$L" file --kind meeting --subject "十月主管例会" --from me --channel meeting \
  --attendee wang.hai --attendee ma.jun --attendee gao.feng --absent liu.yang
expect_status 0 "the minutes are filed with who attended and who did not"
m1="$out"
expect_eq "$(db "SELECT json_extract(data, '\$.attendees') || ' ' || json_extract(data, '\$.absent') FROM events WHERE type = 'filed'")" \
  '["wang.hai","ma.jun","gao.feng"] ["liu.yang"]' "… kept in the filed event"
run "$L" log "$m1" --type decision "下月起来料检验执行新标准"
expect_status 0 "a decision is logged"
expect_eq "$(db "SELECT json_extract(data, '\$.entry') FROM events WHERE type = 'logged'")" "decision" "… as a decision"

# Action items: the kind's 30 days by default ([A] 主管例会每月一次), or a --due given.
run "$L" action add "$m1" --owner ma.jun "修订来料检验规范"
expect_status 0 "an action with the kind's deadline"
expect_eq "$out" "$m1/A1" "… numbered within its minutes"
run "$L" action add "$m1" --owner gao.feng --due 3wd "更新作业指导书"
expect_eq "$out" "$m1/A2" "a second action with three working days"
run "$L" deadline explain "$m1" --format json
expect_eq "$(jq -c '[.[] | select(.clock | startswith("action:")) | [.clock, .due]]' <<<"$out")" \
  '[["action:1:ma.jun","2026-11-08T09:00:00+08:00"],["action:2:gao.feng","2026-10-13T17:30:00+08:00"]]' \
  "30 calendar days; three working days counting the makeup Saturday of 10 October (调休)"

# Refusals write nothing.
fails 65 'unknown user "gao.fen" for --owner' "an unknown owner" "$L" action add "$m1" --owner gao.fen "x"
expect_contains "$err" 'did you mean "gao.feng"?' "… with did you mean"
fails 65 "he.min cannot own an action" "an auditor owns no action" "$L" action add "$m1" --owner he.min "x"
fails 77 "may not" "someone outside its department adds none" \
  env LIAISON_USER=zhang.wei "$L" action add "$m1" --owner zhang.wei "x"
fails 65 "has passed already" "a deadline in the past" "$L" action add "$m1" --owner ma.jun --due 2026-10-01 "x"
fails 65 "the action's text" "an empty text" "$L" action add "$m1" --owner ma.jun ""
fails 4 "INT-2026-09999" "an unknown record" "$L" action add INT-2026-09999 --owner ma.jun "x"
run "$L" file --kind report --subject "九月质量月报" --from me
report="$out"
fails 65 "sets no time for actions" "a kind without action needs --due" "$L" action add "$report" --owner ma.jun "x"
expect_contains "$err" "give --due" "… saying what to do"
run "$L" action add "$m1" --owner ma.jun
expect_status 2 "the text is required"

# Listing.
run "$L" action list --meeting "$m1" --format json
expect_eq "$(jq -c '[.[] | [.id, .owner, .state, .text]]' <<<"$out")" \
  "[[\"$m1/A1\",\"ma.jun\",\"open\",\"修订来料检验规范\"],[\"$m1/A2\",\"gao.feng\",\"open\",\"更新作业指导书\"]]" \
  "action list --meeting"
run env LIAISON_USER=gao.feng "$L" action list --owner me --format json
expect_eq "$(jq -c '[.[] | .id]' <<<"$out")" "[\"$m1/A2\"]" "action list --owner me"
fails 65 'unknown user "ma.jum" for --owner' "an unknown owner in the filter" "$L" action list --owner ma.jum
expect_contains "$err" 'did you mean "ma.jun"?' "… with did you mean, not an empty list"
fails 4 "INT-2026-09999" "an unknown meeting in the filter" "$L" action list --meeting INT-2026-09999

# A secret meeting's actions are not shown to who may not read it, not even counted.
run "$L" file --kind meeting --subject "保密会议" --from me --level secret
secret="$out"
run "$L" action add "$secret" --owner gao.feng --due 5wd "机密事项跟进"
expect_status 0 "an action on a secret meeting"
run env LIAISON_USER=zheng.tao "$L" action list --format json
expect_eq "$(jq -c '[.[] | .record] | unique' <<<"$out")" "[\"$m1\"]" "an internal reader sees only the internal minutes' actions"
run env LIAISON_USER=zheng.tao "$L" action list --meeting "$secret"
expect_status 77 "… and is refused the secret one by name"
expect_not_contains "$out$err" "机密事项跟进" "… learning nothing of it"
fails 77 "may not follow up $secret" "nor may they follow it up" \
  env LIAISON_USER=zheng.tao "$L" file --kind meeting --subject "跟进" --from me --follow-up "$secret"
fails 77 "may not handle the actions of $secret" "nor add to its actions" \
  env LIAISON_USER=zheng.tao "$L" action add "$secret" --owner zheng.tao --due 5wd "x"

# Overdue: listed with its owner, reminded, in todo and the calendar feed.
at 2026-10-14T09:00:00+08:00
run "$L" overdue --format json
expect_eq "$(jq -c '[.[] | select(.ref == "'"$m1"'") | .obligation]' <<<"$out")" '["action:2:gao.feng"]' \
  "overdue lists the action past its deadline"
run "$L" --format table overdue
expect_match "$out" "$m1 +action by A2 gao.feng" "… named with its number and owner"
run env LIAISON_USER=gao.feng "$L" todo --format json
expect_eq "$(jq -c '[.actions[] | [.ref, .obligation, .overdue]]' <<<"$out")" \
  "[[\"$m1\",\"action:2:gao.feng\",true],[\"$secret\",\"action:1:gao.feng\",false]]" \
  "todo lists the owner's actions, nearest first"
run "$L" deadlines --user gao.feng --format ics
expect_contains "$out" "SUMMARY:$m1/A2 action: 十月主管例会" "deadlines --user: in the calendar feed"
use_fake_sendmail
run "$L" remind
expect_status 0 "remind"
gao="$(grep -l '^To: .*<gao.feng@' $(mails))"
expect_contains "$(sed '1,/^$/d' "$gao" | base64 -d 2>/dev/null | tr -d '\r')" "you own the action" "the owner is reminded"
expect_eq "$(db "SELECT json_extract(data, '\$.obligation') FROM events WHERE type = 'reminded' AND json_extract(data, '\$.to') = 'gao.feng'")" \
  "action:2:gao.feng" "… and the reminder recorded"

# Done, with evidence: by its owner; the others may not.
at 2026-10-14T10:00:00+08:00
fails 2 "not an action id" "an id that is not an action's" "$L" action done "$m1/B1" --evidence x
fails 4 "no action $m1/A9" "an action that does not exist" "$L" action done "$m1/A9" --evidence x
expect_contains "$err" "did you mean \"$m1/A1\"?" "… with did you mean"
fails 77 "may not" "someone else's action, outside its department" \
  env LIAISON_USER=zhang.wei "$L" action done "$m1/A2" --evidence x
run env LIAISON_USER=gao.feng "$L" action done "$m1/A2"
expect_status 2 "--evidence is required"
run env LIAISON_USER=gao.feng "$L" action done "$m1/A2" --evidence "WI-QC-012 第3版已发布"
expect_status 0 "its owner marks it done"
expect_eq "$out" "$m1/A2: done, after its deadline" "… late, and says so"
fails 5 "was done already" "done twice" env LIAISON_USER=gao.feng "$L" action done "$m1/A2" --evidence x
run "$L" search "第3版" --format json
expect_eq "$(jq -r '[.[] | .ref] | join(" ")' <<<"$out")" "$m1" "search finds an action's evidence"
if [ "$LIAISON_TEST_DB" = sqlite ]; then  # a SQLite file of schema 16
# A database from before evidence was searched (schema 16): its index lacks the evidence
# already written; the upgrade to 17 adds it.
cp records.db before17.db
sqlite3 -batch before17.db ".load $(dirname "$LIAISON_BIN")/liaison_fts" \
  "INSERT INTO search(search) VALUES ('delete-all')" \
  "INSERT INTO search(rowid, subject, body, history) SELECT item, subject, body, history FROM search_items
   WHERE event_id NOT IN (SELECT id FROM events WHERE type = 'action-done')" \
  "PRAGMA user_version = 16"
run "$L" --db before17.db search "第3版" --format json
expect_status 1 "a version-16 database needs upgrading first"
run "$L" --db before17.db init --db-only
expect_status 0 "init --db-only upgrades it"
run "$L" --db before17.db search "第3版" --format json
expect_eq "$(jq -r '[.[] | .ref] | join(" ")' <<<"$out")" "$m1" "… and the evidence written before is found"
run "$L" --db before17.db search "纪要" --format json
expect_eq "$(jq -r 'length' <<<"$out")" "$(cd . && "$L" search "纪要" --format json | jq -r length)" "… the rest of the index as it was"
fi

# The minutes are closed when issued; their open action runs on.
run "$L" close "$m1" --resolution "纪要已发布"
expect_status 0 "the minutes are closed"
run "$L" action list --open --format json
expect_eq "$(jq -c '[.[] | .id]' <<<"$out")" "[\"$m1/A1\",\"$secret/A1\"]" "the open actions, closed minutes' too"
at 2026-11-09T09:00:00+08:00
run "$L" overdue --format json
expect_eq "$(jq -c '[.[] | select(.ref == "'"$m1"'") | .obligation]' <<<"$out")" '["action:1:ma.jun"]' \
  "an action of closed minutes still goes overdue"

# The next meeting follows up the last and shows its open actions.
run "$L" file --kind meeting --subject "十一月主管例会" --from me --follow-up "$m1" --attendee ma.jun
expect_status 0 "the next minutes follow up the last"
m2="$out"
run "$L" show "$m2"
expect_contains "$out" "follows up  $m1" "show names the meeting followed up"
expect_match "$out" "$m1/A1 +ma.jun +2026-11-08T09:00:00\+08:00  \(overdue\)" "… and its open action, overdue"
expect_not_contains "$out" "$m1/A2" "… not the one done"
run "$L" show "$m2" --format json
expect_eq "$(jq -c '[.follow_up, [.follow_up_actions[] | .id]]' <<<"$out")" "[\"$m1\",[\"$m1/A1\"]]" "… in JSON too"
run "$L" --lang zh show "$m1"
expect_contains "$out" "待办事项" "show in Chinese"
expect_contains "$out" "出席" "… with the attendees"
expect_contains "$out" "完成证据" "… and the evidence"

at 2026-11-10T09:00:00+08:00
run env LIAISON_USER=ma.jun "$L" action done "$m1/A1" --evidence "QC-SOP-003 已修订"
expect_status 0 "the earlier action done at last"
at 2026-12-01T09:00:00+08:00
run "$L" report --period 2026-10 --format json
expect_eq "$(jq -c '.obligations[] | select(.type == "action") | [.count, .on_time, .met]' <<<"$out")" "[2,0,1]" \
  "October's report: one action done late, the secret one due and not done (counted, not shown)"
run "$L" report --period 2026-11 --format json
expect_eq "$(jq -c '.obligations[] | select(.type == "action") | [.count, .on_time, .met]' <<<"$out")" "[1,0,1]" \
  "November's: the other, done late"
run "$L" query "SELECT ref, holder, on_time FROM obligations WHERE type = 'action' ORDER BY ref, clock" --format json
expect_eq "$(jq -c '[.[] | [.ref, .holder, .on_time]]' <<<"$out")" \
  "[[\"$m1\",\"ma.jun\",0],[\"$m1\",\"gao.feng\",0],[\"$secret\",\"gao.feng\",null]]" \
  "the auditor's obligations view names each action's owner"

run "$L" audit verify
expect_status 0 "audit verify replays the actions"
save_db pristine.db
db "UPDATE clocks SET stopped_at = NULL, used_seconds = NULL WHERE name = 'action:2:gao.feng'"
run "$L" audit verify
expect_status 1 "an action undone behind the tool's back fails audit verify"
expect_contains "$out$err" "clock action:2:gao.feng stopped_at" "… naming the action"
restore_db pristine.db
export LIAISON_USER=zhou.jianguo  # top management imports
import_elsewhere
expect_status 0 "import takes the meetings and their actions"
run "$L" --db "$OTHER_DB" audit verify
expect_status 0 "… and audit verify accepts them there"
expect_same_export
run "$L" --db "$OTHER_DB" action list --meeting "$m1" --format json
expect_eq "$(jq -c '[.[] | [.id, .state, .evidence]]' <<<"$out")" \
  "[[\"$m1/A1\",\"late\",\"QC-SOP-003 已修订\"],[\"$m1/A2\",\"late\",\"WI-QC-012 第3版已发布\"]]" "… and lists them alike"

finish
