#!/usr/bin/env bash
# liaison audit log: who did what, when, to which record. Each filter alone and combined,
# every format, the order and the limit, redaction of confidential records for a user of
# low clearance, and bad values. The acting user is given with --as wherever it matters.
. "$(dirname "$0")/lib.sh"

setup_workdir

# ---------------------------------------------------------------------------------------
# A small history by three users:
#   1 party-added  zhou.jianguo  (registry: no reference)
#   2 filed        zhang.wei     EXT-2026-00001 (internal level, the default)
#   3 filed        zhou.jianguo  INT-2026-00001 (confidential)
#   4 logged       zhang.wei     EXT-2026-00001
#   5 acknowledged zhou.jianguo  EXT-2026-00001
#   6 logged       zhou.jianguo  INT-2026-00001
#   7 closed       zhou.jianguo  EXT-2026-00001
at 2026-09-21T09:00:00+08:00
run "$L" --as zhou.jianguo party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "party add"
at 2026-09-21T10:00:00+08:00
run "$L" --as zhang.wei file --kind complaint --party svw --channel email --subject "批次 2609 支架尺寸超差"
expect_status 0 "file EXT-2026-00001"
at 2026-09-21T10:30:00+08:00
run "$L" --as zhou.jianguo file --kind complaint --from production --channel memo --level confidential \
  --subject "车间主任克扣加班费" --body "举报人要求保密"
expect_status 0 "file the confidential INT-2026-00001"
expect_eq "$out" "INT-2026-00001" "… numbered INT-2026-00001"
at 2026-09-21T11:00:00+08:00
run "$L" --as zhang.wei log EXT-2026-00001 "已电话告知客户正在调查"
expect_status 0 "log on EXT"
at 2026-09-22T09:00:00+08:00
run "$L" --as zhou.jianguo ack EXT-2026-00001
expect_status 0 "ack EXT"
at 2026-09-23T09:00:00+08:00
run "$L" --as zhou.jianguo log INT-2026-00001 "约谈车间主任，核实加班记录"
expect_status 0 "log on the confidential INT"
at 2026-09-24T16:00:00+08:00
run "$L" --as zhou.jianguo close EXT-2026-00001 --resolution "更换冲孔模具" --reply-via email
expect_status 0 "close EXT"
expect_eq "$(db 'SELECT count(*) FROM events')" "7" "7 events"
expect_eq "$(db "SELECT group_concat(type, ' ') FROM (SELECT type FROM events ORDER BY id)")" \
  "party-added filed filed logged acknowledged logged closed" "the events, in order"

at 2026-09-25T09:00:00+08:00
# log_ids ARGS… → the event ids audit log lists (tsv), space-separated
log_ids() {
  run "$L" --as zhou.jianguo --format tsv audit log "$@"
  cut -f1 <<<"$out" | tr '\n' ' ' | sed 's/ $//'
}

# ---------------------------------------------------------------------------------------
# Everything, oldest first; tsv rows of id, at, actor, type, ref, summary
run "$L" --as zhou.jianguo --format tsv audit log
expect_status 0 "audit log exits 0"
expect_eq "$(wc -l <<<"$out" | tr -d ' ')" "7" "every event listed"
expect_eq "$(head -1 <<<"$out")" "$(printf '1\t2026-09-21T09:00:00+08:00\tzhou.jianguo\tparty-added\t\tsvw 上汽大众汽车有限公司 (customer)')" \
  "a registry event: no reference, the party in the summary"
expect_eq "$(sed -n 2p <<<"$out" | cut -f2-5)" "$(printf '2026-09-21T10:00:00+08:00\tzhang.wei\tfiled\tEXT-2026-00001')" \
  "a filing: ISO time with offset, actor, type, reference"
expect_contains "$(sed -n 2p <<<"$out" | cut -f6)" "批次 2609 支架尺寸超差 → " "… summary: subject → owner"
expect_eq "$(sed -n 4p <<<"$out" | cut -f6)" "[note] 已电话告知客户正在调查" "a log entry's summary: [entry] text"
expect_match "$(sed -n 7p <<<"$out" | cut -f6)" "^resolved: 更换冲孔模具" "a closing's summary: outcome: resolution"
# the default in a pipe is tsv
run "$L" --as zhou.jianguo audit log
expect_eq "$(cut -f1 <<<"$out" | tr '\n' ' ')" "1 2 3 4 5 6 7 " "in a pipe: tsv by default"

# order and limit
expect_eq "$(log_ids --reverse)" "7 6 5 4 3 2 1" "--reverse: newest first"
expect_eq "$(log_ids --limit 3)" "1 2 3" "--limit 3: the oldest three"
expect_eq "$(log_ids --reverse --limit 2)" "7 6" "--reverse --limit 2: the newest two"
expect_eq "$(log_ids --limit 0)" "1 2 3 4 5 6 7" "--limit 0: no limit"

# each filter alone
expect_eq "$(log_ids --actor zhang.wei)" "2 4" "--actor zhang.wei"
expect_eq "$(log_ids --actor zhang.wei,zhou.jianguo)" "1 2 3 4 5 6 7" "--actor as a comma list"
run "$L" --as zhou.jianguo --format tsv audit log --actor tang.li
expect_status 0 "--actor of a user who never acted: exits 0"
expect_eq "$out" "" "--actor of a user who never acted: nothing"
run "$L" --as zhou.jianguo --format tsv audit log --actor nobody
expect_status 4 "--actor nobody (no such user, never acted): exit 4, not an empty answer"
expect_contains "$err" 'unknown user "nobody" for --actor' "--actor nobody: says so"
expect_eq "$(log_ids --type filed)" "2 3" "--type filed"
expect_eq "$(log_ids --type logged,closed)" "4 6 7" "--type as a comma list"
expect_eq "$(log_ids --type logged --type closed)" "4 6 7" "--type repeated"
expect_eq "$(log_ids --type party-added)" "1" "--type party-added"
expect_eq "$(log_ids --ref EXT-2026-00001)" "2 4 5 7" "--ref EXT-2026-00001: its whole history"
expect_eq "$(log_ids --ref INT-2026-00001 --ref EXT-2026-00001)" "2 3 4 5 6 7" "--ref repeated"
expect_eq "$(log_ids --since 2026-09-22)" "5 6 7" "--since a date: from its midnight"
expect_eq "$(log_ids --until 2026-09-21T10:30:00+08:00)" "1 2" "--until is exclusive"
expect_eq "$(log_ids --since '2026-09-21 10:30' --until 2026-09-23)" "3 4 5" "--since and --until: a window"

# combined
expect_eq "$(log_ids --actor zhou.jianguo --type logged)" "6" "--actor and --type"
expect_eq "$(log_ids --actor zhou.jianguo --ref EXT-2026-00001)" "5 7" "--actor and --ref"
expect_eq "$(log_ids --type logged,acknowledged --ref EXT-2026-00001 --since 2026-09-22)" "5" "--type, --ref and --since"
expect_eq "$(log_ids --actor zhou.jianguo --type filed,logged,closed --since 2026-09-21 --until 2026-09-25 --reverse --limit 2)" \
  "7 6" "every filter, reversed and limited"
expect_eq "$(log_ids --actor zhang.wei --type closed)" "" "filters that exclude each other: nothing"

# ---------------------------------------------------------------------------------------
# Formats
run "$L" --as zhou.jianguo --format csv audit log --ref EXT-2026-00001
expect_status 0 "csv exits 0"
expect_eq "$(head -1 <<<"$out" | tr -d '\r')" "id,at,actor,type,ref,summary" "csv: a header of column names"
expect_eq "$(wc -l <<<"$out" | tr -d ' ')" "5" "csv: the header and 4 rows"
expect_contains "$out" $'\r' "csv: CRLF line ends"
expect_eq "$(sed -n 2p <<<"$out" | cut -d, -f1-5)" "2,2026-09-21T10:00:00+08:00,zhang.wei,filed,EXT-2026-00001" "csv: first row"
run "$L" --as zhou.jianguo --format csv audit log --actor tang.li
expect_eq "$(tr -d '\r' <<<"$out")" "id,at,actor,type,ref,summary" "csv with no events: the header only"

run "$L" --as zhou.jianguo --format json audit log
expect_status 0 "json exits 0"
expect_eq "$(jq 'length' <<<"$out")" "7" "json: one array of 7 objects"
expect_eq "$(jq -c '.[0] | [.id, .at, .actor, .type, .ref, .data.id]' <<<"$out")" \
  '[1,"2026-09-21T09:00:00+08:00","zhou.jianguo","party-added",null,"svw"]' "json: a registry event has ref null and its data"
expect_eq "$(jq -c '.[6] | [.id, .type, .ref, .data.outcome, .data.reply_via]' <<<"$out")" \
  '[7,"closed","EXT-2026-00001","resolved","email"]' "json: the data as stored"
expect_eq "$(jq -r '.[3].summary' <<<"$out")" "[note] 已电话告知客户正在调查" "json: the summary"
run "$L" --as zhou.jianguo --format json audit log --actor tang.li
expect_eq "$out" "[]" "json with no events: []"

run "$L" --as zhou.jianguo --format jsonl audit log --type filed
expect_eq "$(wc -l <<<"$out" | tr -d ' ')" "2" "jsonl: one object a line"
expect_eq "$(jq -r '.ref' <<<"$out" | tr '\n' ' ')" "EXT-2026-00001 INT-2026-00001 " "jsonl: each line an object"
run "$L" --as zhou.jianguo --format jsonl audit log --actor tang.li
expect_eq "$out" "" "jsonl with no events: nothing"

run "$L" --as zhou.jianguo --format table audit log --ref EXT-2026-00001
expect_status 0 "table exits 0"
expect_match "$(head -1 <<<"$out")" "^ *# +at +actor +event +ref +what$" "table: a header of labels"
expect_match "$(sed -n 2p <<<"$out")" "^ *2 +2026-09-21 10:00 +zhang.wei +filed +EXT-2026-00001 " "table: local short time"
expect_eq "$(wc -l <<<"$out" | tr -d ' ')" "5" "table: header and 4 rows"
run "$L" --as zhou.jianguo --format table --lang zh audit log --ref EXT-2026-00001 --limit 1
expect_not_contains "$(head -1 <<<"$out")" "actor" "table --lang zh: the labels translated"
# the one-line summaries are Chinese under --lang zh too (show's history shares them)
run "$L" --as zhou.jianguo --format tsv --lang zh audit log --ref EXT-2026-00001
expect_contains "$out" "已解决：更换冲孔模具" "--lang zh audit log: a closing's outcome translated"
expect_not_contains "$out" "resolved:" "--lang zh audit log: no English outcome"
run "$L" --as zhou.jianguo --lang zh show EXT-2026-00001
expect_contains "$out" "已解决：更换冲孔模具" "--lang zh show: the history's summaries in Chinese"
run "$L" --as zhou.jianguo --format table audit log --actor tang.li
expect_eq "$(wc -l <<<"$out" | tr -d ' ')" "1" "table with no events: the header only"

run "$L" --as zhou.jianguo --format md audit log --type logged
expect_status 0 "md exits 0"
expect_match "$(head -1 <<<"$out")" "^\| # \| at \| actor \| event \| ref \| what \|$" "md: header"
expect_eq "$(sed -n 2p <<<"$out")" "| ---: | --- | --- | --- | --- | --- |" "md: alignment row"
expect_eq "$(wc -l <<<"$out" | tr -d ' ')" "4" "md: header, alignment row, 2 rows"

# ---------------------------------------------------------------------------------------
# Confidentiality: sun.qian's clearance is internal; INT-2026-00001 is confidential.
run "$L" --as sun.qian --format tsv audit log
expect_status 0 "low clearance: audit log exits 0"
expect_eq "$(wc -l <<<"$out" | tr -d ' ')" "7" "low clearance: every event is listed"
expect_not_contains "$out" "克扣加班费" "low clearance: the confidential subject is not shown"
expect_not_contains "$out" "约谈车间主任" "low clearance: the confidential log text is not shown"
expect_eq "$(sed -n 3p <<<"$out" | cut -f4,5)" "$(printf 'filed\tINT-2026-00001')" "low clearance: the filing itself is listed"
expect_contains "$(sed -n 3p <<<"$out" | cut -f6)" "[confidential] → " "low clearance: its subject redacted, its owner shown"
expect_eq "$(sed -n 6p <<<"$out" | cut -f6)" "[note] [confidential]" "low clearance: the log text redacted"
expect_contains "$out" "已电话告知客户正在调查" "low clearance: the internal record's text is shown"
run "$L" --as sun.qian --format json audit log --ref INT-2026-00001
expect_eq "$(jq -r '.[0].data.subject, .[0].data.body, .[1].data.text' <<<"$out" | tr '\n' ' ')" \
  "[confidential] [confidential] [confidential] " "low clearance json: free text in data redacted"
expect_eq "$(jq -r '.[0].data.level, .[0].data.kind' <<<"$out" | tr '\n' ' ')" "confidential complaint " \
  "low clearance json: level and kind kept"
run "$L" --as sun.qian --lang zh --format tsv audit log --ref INT-2026-00001 --type logged
expect_eq "$(cut -f6 <<<"$out")" "[note] [机密]" "low clearance, zh: the Chinese mark"
run "$L" --as zhou.jianguo --format tsv audit log --ref INT-2026-00001
expect_contains "$out" "车间主任克扣加班费" "top-secret clearance: the subject is shown"
expect_contains "$out" "约谈车间主任，核实加班记录" "top-secret clearance: the log text is shown"
run "$L" --as he.min --format tsv audit log --ref INT-2026-00001
expect_contains "$out" "车间主任克扣加班费" "an auditor of confidential clearance reads a confidential record"

# ---------------------------------------------------------------------------------------
# Bad values
run "$L" --as zhou.jianguo audit log --since "last tuesday"
expect_status 2 "bad --since: exit 2"
expect_err_prefix "bad --since: an error message"
expect_contains "$err" "--since: cannot read \"last tuesday\" as a time" "bad --since: says which option and value"
run "$L" --as zhou.jianguo audit log --until 2026-13-01
expect_status 2 "bad --until: exit 2"
expect_contains "$err" "--until" "bad --until: names the option"
run "$L" --as zhou.jianguo audit log --type closd
expect_status 2 "unknown --type: exit 2"
expect_contains "$err" "unknown event type \"closd\"" "unknown --type: names it"
expect_contains "$err" "did you mean \"closed\"?" "unknown --type: did you mean"
run "$L" --as zhou.jianguo audit log --type filed,nonsense
expect_status 2 "an unknown type in a list: exit 2"
run "$L" --as zhou.jianguo audit log --ref EXT-2026-09999
expect_status 4 "unknown --ref: exit 4"
expect_contains "$err" "no record EXT-2026-09999" "unknown --ref: names it"
run "$L" --as zhou.jianguo audit log --limit -1
expect_status 2 "negative --limit: exit 2"
run "$L" --as zhou.jianguo --format xml audit log
expect_status 2 "bad --format: exit 2"
run "$L" --as zhou.jianguo audit log --limit many
expect_status 2 "non-numeric --limit: exit 2"
run "$L" --as zhou.jianguo audit log extra
expect_status 2 "a stray argument: exit 2"

# A type a newer version writes is accepted when the history holds it (the chain is not
# this test's concern: the event is appended with a forged hash).
db "INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash)
    VALUES (8, 1, 'purged', 'zhou.jianguo', 1790000000, '{}', '', '')"
expect_eq "$(log_ids --type purged)" "8" "a type unknown to this version but in the history is accepted"

finish
