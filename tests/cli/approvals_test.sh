#!/usr/bin/env bash
# Approvals (审批): a kind's or a rule's approval chain, resolved to users on filing, each
# approver in turn (clocks approval:<n>:<user>); `approve`, `reject`, `approve-request`;
# `close` refused (exit 5, saying who) until the chain is approved. The example's request
# from sales goes to the sales head, then to the general manager ([H] 3.1 由销售部报总经理
# 批准). With a deadline (approval_within), an approval goes overdue, is reminded and
# reported; audit verify, export and import keep it all. A suggestion closed as rejected
# waits for its explanation's approval (explanation_approval).
. "$(dirname "$0")/lib.sh"

setup_workdir

at 2026-09-29T09:00:00+08:00
run env LIAISON_USER=zhang.wei "$L" file --kind request --from me --subject "申请技术支持：客户现场质量问题"
expect_status 0 "a salesman files a request"
ref="$out"
run "$L" show "$ref" --format json
expect_eq "$(jq -r '[.clocks[] | select(.clock | startswith("approval:")) | .clock] | join(" ")' <<<"$out")" \
  "approval:1:liu.yang approval:2:zhou.jianguo" "the rule's chain: the sales head, then the general manager"
expect_eq "$(db "SELECT json_extract(data, '\$.clocks[1].paused_since') FROM events WHERE type = 'filed'")" \
  "2026-09-29T09:00:00+08:00" "… the second waits its turn"

# Not closed, nor approved out of turn.
before="$(snapshot)"
run env LIAISON_USER=liu.yang "$L" close "$ref" --resolution "已安排" --reply-via oa
expect_status 5 "close is refused before the chain approves"
expect_contains "$err" "$ref: not approved yet by liu.yang" "… naming who must approve"
expect_contains "$err" "liaison approve $ref" "… and how"
run "$L" approve "$ref"
expect_status 5 "the general manager may not approve before the sales head"
expect_contains "$err" "it is liu.yang's turn to decide, not zhou.jianguo's" "… saying whose turn it is"
run env LIAISON_USER=gao.feng "$L" approve "$ref"
expect_status 77 "someone not asked may not approve"
expect_contains "$err" "gao.feng is not asked to approve $ref" "… saying so"
expect_contains "$err" "its approvers: liu.yang, zhou.jianguo" "… and who is"
run env LIAISON_USER=liu.yang "$L" reject "$ref"
expect_status 2 "reject needs --reason"
run "$L" approve EXT-2026-09999
expect_status 4 "approve of an unknown record is exit 4"
expect_eq "$(snapshot)" "$before" "the refusals wrote nothing"

at 2026-09-29T10:00:00+08:00
run env LIAISON_USER=liu.yang "$L" approve "$ref" --note "同意，请总经理批示"
expect_status 0 "the sales head approves"
expect_eq "$out" "$ref: approved by liu.yang; next: zhou.jianguo" "… and the general manager is next"
run env LIAISON_USER=liu.yang "$L" approve "$ref"
expect_status 5 "approving twice is refused"
expect_contains "$err" "liu.yang approved it already" "… saying so"

at 2026-09-29T11:00:00+08:00
run "$L" reject "$ref" --reason "先做内部原因分析"
expect_eq "$out" "$ref: rejected by zhou.jianguo" "the general manager rejects"
run env LIAISON_USER=liu.yang "$L" close "$ref" --resolution "已安排" --reply-via oa
expect_status 5 "a rejected request cannot be closed"
expect_contains "$err" "zhou.jianguo rejected it" "… saying who rejected it"
expect_contains "$err" "liaison approve-request $ref --from zhou.jianguo" "… and how to ask again"
run "$L" approve "$ref"
expect_status 5 "a rejection stands until asked again"

at 2026-09-29T14:00:00+08:00
run env LIAISON_USER=zhang.wei "$L" approve-request "$ref" --from zhou.jianguo --note "已补充原因分析"
expect_eq "$out" "$ref: approval asked of zhou.jianguo" "asked again after revising"
run env LIAISON_USER=zhang.wei "$L" approve-request "$ref" --from zhou.jianguo
expect_status 5 "asking one already asked is refused"
at 2026-09-29T15:00:00+08:00
run "$L" approve "$ref" --note "同意"
expect_eq "$out" "$ref: approved by zhou.jianguo" "… who approves"
run "$L" deadline explain "$ref" --format json
expect_eq "$(jq -c '[.[] | select(.clock == "approval:2:zhou.jianguo") | .used_seconds, .started_at]' <<<"$out")" \
  '[3600,"2026-09-29T14:00:00+08:00"]' "the asked-again approval counts from the new request: 1h"
run "$L" --lang zh show "$ref"
expect_contains "$out" "审批 zhou.jianguo" "show names the approval clocks in Chinese"
expect_contains "$out" "已驳回" "… and the rejection"
at 2026-09-29T16:00:00+08:00
run env LIAISON_USER=liu.yang "$L" close "$ref" --resolution "已安排技术支持" --reply-via oa
expect_status 0 "closed once the chain has approved"
expect_eq "$(db "SELECT group_concat(type, ' ') FROM (SELECT type FROM events WHERE record_id = (SELECT id FROM records WHERE ref = '$ref') ORDER BY id)")" \
  "filed approved rejected approval-requested approved closed" "each step is an event"

# The record's department may ask an approval the config does not: a report to the
# general manager (批示).
at 2026-09-30T09:00:00+08:00
run env LIAISON_USER=ma.jun "$L" file --kind report --subject "九月质量月报" --from me
report="$out"
fails 65 'unknown user "zhou.jiangou" for --from' "asking an unknown user" \
  env LIAISON_USER=wang.hai "$L" approve-request "$report" --from zhou.jiangou
expect_contains "$err" 'did you mean "zhou.jianguo"?' "… with did you mean"
fails 65 "he.min may not approve a record at level" "an auditor cannot be an approver" \
  env LIAISON_USER=wang.hai "$L" approve-request "$report" --from he.min
fails 65 "wang.hai may not be asked to approve what they ask" "nor one who asks" \
  env LIAISON_USER=wang.hai "$L" approve-request "$report" --from wang.hai
fails 77 "may not" "an auditor may not ask one" env LIAISON_USER=he.min "$L" approve-request "$report" --from zhou.jianguo
fails 77 "may not" "nor someone outside its department" \
  env LIAISON_USER=gao.feng "$L" approve-request "$report" --from zhou.jianguo
run env LIAISON_USER=wang.hai "$L" approve-request "$report" --from zhou.jianguo --note "请总经理批示"
expect_status 0 "the head of the owner department asks the general manager's approval"
run env LIAISON_USER=wang.hai "$L" close "$report" --resolution "已阅"
expect_status 5 "… and the report cannot be closed before it"
run "$L" approve "$report" --note "请品质部跟进客诉"
expect_status 0 "approved (批示)"
run env LIAISON_USER=wang.hai "$L" close "$report" --resolution "已阅"
expect_status 0 "… then closed"

# A request turned down is closed as rejected without its approvals; the head who files
# one is not asked to approve it (the general manager is).
run env LIAISON_USER=liu.yang "$L" file --kind request --from me --subject "申请参加行业展会"
own="$out"
run "$L" show "$own" --format json
expect_eq "$(jq -r '[.clocks[] | select(.clock | startswith("approval:")) | .clock] | join(" ")' <<<"$out")" \
  "approval:1:zhou.jianguo" "the sales head filing: only the general manager approves"
run "$L" reject "$own" --reason "预算不足"
run env LIAISON_USER=liu.yang "$L" close "$own" --outcome rejected --resolution "总经理未批准" --explanation "预算不足" --reply-via oa
expect_status 0 "a rejected request closes as rejected"

run "$L" audit verify
expect_status 0 "audit verify replays the approvals"
save_db pristine.db
db "UPDATE clocks SET stopped_at = NULL, used_seconds = NULL WHERE name = 'approval:1:liu.yang'"
run "$L" audit verify
expect_status 1 "an approval undone behind the tool's back fails audit verify"
expect_contains "$out$err" "clock approval:1:liu.yang stopped_at" "… naming the approval"
restore_db pristine.db
import_elsewhere
expect_status 0 "import takes the approvals"
run "$L" --db "$OTHER_DB" audit verify
expect_status 0 "… and audit verify accepts them there"
expect_same_export

# The example's external publication (对外信息发布, [I] 3.1-3.2): a deadline per approver,
# so it goes overdue, is reminded and reported.
at 2026-10-12T09:00:00+08:00
run env LIAISON_USER=hu.bo "$L" file --kind publication --subject "公司官网新闻稿" --from me --to admin
expect_status 0 "file a publication"
pub="$out"
run "$L" deadline explain "$pub" --format json
expect_eq "$(jq -c '[.[] | select(.clock | startswith("approval:")) | [.clock, .due]]' <<<"$out")" \
  '[["approval:1:zhu.hong","2026-10-13T17:30:00+08:00"],["approval:2:zhou.jianguo",null]]' \
  "the admin head has until the end of the next working day; the general manager's turn has not come"
at 2026-10-14T09:00:00+08:00
run "$L" overdue --format json
expect_eq "$(jq -c '[.[] | select(.ref == "'"$pub"'") | .obligation]' <<<"$out")" '["approval:1:zhu.hong"]' \
  "overdue lists the approval whose turn it is"
run "$L" --format table overdue
expect_match "$out" "$pub +approval by zhu.hong" "… named with its approver"
run env LIAISON_USER=zhu.hong "$L" todo --format json
expect_eq "$(jq -c '[.to_approve[] | [.ref, .obligation, .overdue]]' <<<"$out")" "[[\"$pub\",\"approval:1:zhu.hong\",true]]" \
  "todo: the approval it is zhu.hong's turn to give, overdue"
run "$L" todo --format json
expect_eq "$(jq -c '[.to_approve[] | .ref]' <<<"$out")" "[]" "… not yet the general manager's"
run env LIAISON_USER=zhu.hong "$L" --format table todo
expect_match "$out" "To approve \(your turn\)" "… under its own title"
run "$L" deadlines --user zhu.hong --format ics
expect_contains "$out" "SUMMARY:$pub approve: 公司官网新闻稿" "deadlines --user: in the calendar feed"
use_fake_sendmail
run "$L" remind
expect_status 0 "remind"
zhu="$(grep -l '^To: .*<zhu.hong@' $(mails))"
expect_contains "$(sed '1,/^$/d' "$zhu" | base64 -d 2>/dev/null | tr -d '\r')" "it is your turn to approve" \
  "the approver is reminded"
at 2026-10-14T10:00:00+08:00
run env LIAISON_USER=zhu.hong "$L" approve "$pub"
expect_eq "$out" "$pub: approved by zhu.hong; next: zhou.jianguo" "approved late"
run "$L" todo --format json
expect_eq "$(jq -c '[.to_approve[] | [.ref, .obligation]]' <<<"$out")" "[[\"$pub\",\"approval:2:zhou.jianguo\"]]" \
  "now it is the general manager's turn in his todo"
run "$L" deadline explain "$pub" --format json
expect_eq "$(jq -r '.[] | select(.clock == "approval:2:zhou.jianguo") | .due' <<<"$out")" "2026-10-15T17:30:00+08:00" \
  "the general manager's working day runs from then"
at 2026-10-14T11:00:00+08:00
run "$L" report --period 2026-10 --format json
expect_eq "$(jq -c '.obligations[] | select(.type == "approval") | [.count, .on_time, .met]' <<<"$out")" "[1,0,1]" \
  "the report counts October's approval decided late (the next one is not due yet)"
# September: liu.yang's and zhou.jianguo's (asked again: its last decision counts), 1h
# each, the report's and the fair's (decided at once), none with a deadline: on time.
run "$L" report --period 2026-09 --format json
expect_eq "$(jq -c '.obligations[] | select(.type == "approval") | [.count, .on_time, .met, .median_seconds, .p90_seconds]' <<<"$out")" \
  "[4,4,4,0,3600]" "… and September's four decisions"

# The auditor's obligations view: each approval with its approver.
run "$L" --format csv query "SELECT clock, type, holder, holder_type, on_time, waiting FROM obligations WHERE ref = '$pub' ORDER BY clock"
expect_eq "$(printf '%s' "$out" | tr -d '\r')" "$(printf '%s\n' 'clock,type,holder,holder_type,on_time,waiting' \
  'approval:1:zhu.hong,approval,zhu.hong,user,0,0' 'approval:2:zhou.jianguo,approval,zhou.jianguo,user,,0')" \
  "the obligations view: the late approval and the one running"
run "$L" config matrix --format json
expect_eq "$(jq -c '[.[] | select(.kind == "request" and .direction == "internal") | .approval]' <<<"$out")" '[["top"]]' \
  "config matrix: who must approve a request"
run "$L" --format json rules explain --kind request --from sales
expect_eq "$(jq -c '.approval' <<<"$out")" '["head","top"]' "rules explain: the chain filing would ask"

# A suggestion turned down: the explanation owed to its proposer goes out once the
# management representative (wang.hai, head of mgmt) has approved it ([M] 5.3.2.1 d; the
# example's explanation_approval). Adopting one asks no approval.
at 2026-11-02T09:00:00+08:00
run env LIAISON_USER=ma.jun "$L" file --kind suggestion --from me --subject "取消早会"
sug="$out"
close_rejected=(env LIAISON_USER=cao.yan "$L" close "$sug" --outcome rejected --resolution "不采纳"
  --explanation "早会是安全交底所需，不取消" --reply-via memo)
before="$(snapshot)"
run "${close_rejected[@]}"
expect_status 5 "closing a suggestion as rejected waits for its explanation's approval"
expect_contains "$err" "$sug: the explanation of its rejection must be approved by wang.hai before closing" \
  "… naming who must approve it"
expect_contains "$err" "liaison approve-request $sug --from wang.hai --explanation --note" "… and how to ask"
expect_eq "$(snapshot)" "$before" "… writing nothing"
run env LIAISON_USER=cao.yan "$L" approve-request "$sug" --from wang.hai --explanation --note "拟答复：早会是安全交底所需"
expect_status 0 "the handler asks the management representative"
run "${close_rejected[@]}"
expect_status 5 "asked is not approved"
expect_contains "$err" "$sug: not approved yet by wang.hai" "… saying so"
run env LIAISON_USER=wang.hai "$L" reject "$sug" --reason "解释过简，请说明安全交底的内容"
run "${close_rejected[@]}"
expect_status 5 "an explanation rejected stops the closing"
expect_contains "$err" "wang.hai rejected it" "… saying who"
expect_contains "$err" "liaison approve-request $sug --from wang.hai --explanation" "… and how to ask again"
run env LIAISON_USER=cao.yan "$L" approve-request "$sug" --from wang.hai --explanation --note "补充：早会交底当班危险源"
run env LIAISON_USER=wang.hai "$L" approve "$sug"
expect_status 0 "the management representative approves the explanation"
run "${close_rejected[@]}"
expect_status 0 "… then the suggestion closes as rejected"
expect_eq "$(db "SELECT group_concat(type, ' ') FROM (SELECT type FROM events WHERE record_id = (SELECT id FROM records WHERE ref = '$sug') ORDER BY id)")" \
  "filed approval-requested rejected approval-requested approved closed" "each step is an event"
run "$L" --lang zh show "$sug"
expect_contains "$out" "→ wang.hai （不予采纳的解释）" "show says what the approval was asked for"
# A major suggestion the general manager turned down: its explanation is still approved,
# outside the matter's chain, and the suggestion closes as rejected.
run env LIAISON_USER=ma.jun "$L" file --kind suggestion --from me --major --subject "全厂改为四班三运转"
big="$out"
run "$L" reject "$big" --reason "人员成本过高"
expect_status 0 "the general manager turns the matter down"
run env LIAISON_USER=cao.yan "$L" approve-request "$big" --from wang.hai --explanation --note "拟答复：人员成本过高"
run env LIAISON_USER=wang.hai "$L" approve "$big"
expect_status 0 "the explanation is approved though the matter's chain stopped"
run env LIAISON_USER=cao.yan "$L" close "$big" --outcome rejected --resolution "不采纳" --explanation "人员成本过高" --reply-via memo
expect_status 0 "… and it closes as rejected"
run env LIAISON_USER=ma.jun "$L" file --kind suggestion --from me --subject "增设饮水点"
run env LIAISON_USER=cao.yan "$L" close "$out" --outcome adopted --resolution "采纳" --reply-via memo
expect_status 0 "an adopted suggestion closes with no approval"

# A major matter waits for the general manager's approval ([B] 4.1.4 重大问题应报高层经理批准).
run env LIAISON_USER=ma.jun "$L" file --kind complaint --direction internal --major --from me --subject "冲压线夜班安全隐患"
major="$out"
run env LIAISON_USER=ma.jun "$L" show "$major" --format json
expect_eq "$(jq -r '[.clocks[] | select(.clock | startswith("approval:")) | .clock] | join(" ")' <<<"$out")" \
  "approval:1:zhou.jianguo" "the example's major rule asks the general manager"
run env LIAISON_USER=cao.yan "$L" close "$major" --resolution "已整改" --reply-via memo
expect_status 5 "a major matter is not closed before he approves"
expect_contains "$err" "$major: not approved yet by zhou.jianguo" "… saying so"
run "$L" approve "$major"
run env LIAISON_USER=cao.yan "$L" close "$major" --resolution "已整改" --reply-via memo
expect_status 0 "… then it closes"
run "$L" audit verify
expect_status 0 "audit verify replays the explanation's approval"

# The config checks the chain.
cp liaison.toml bad.toml
printf '\n[[kind]]\nid = "memo"\napproval = ["haed"]\napproval_within = "soon"\nexplanation_approval = ["qualty"]\n' >>bad.toml
run "$L" --config bad.toml config check
expect_status 78 "a bad approval chain is a config error"
expect_contains "$out$err" 'kind "memo" approval' "… naming where"
expect_contains "$out$err" 'did you mean "head"?' "… with did you mean"
expect_contains "$out$err" 'kind "memo" approval_within' "… and a malformed duration"
expect_contains "$out$err" 'kind "memo" explanation_approval' "… and the explanation's chain"
expect_contains "$out$err" 'did you mean "quality"?' "… with did you mean"

finish
