#!/usr/bin/env bash
# export and import, run as a user would on the manufacturing example:
#   - round trips (JSON Lines with and without the history, CSV) through fresh databases:
#     the second export is byte-identical, `audit verify` passes, later filings number
#     after the imported references;
#   - every class of bad input is reported as FILE:LINE: FIELD: … with exit 65 and the
#     database unchanged; --dry-run writes nothing; standard input; a spreadsheet's CSV;
#   - who may import (77), and a low-clearance export redacted.
# Users (examples/manufacturing/liaison.toml): zhou.jianguo top, clearance top-secret;
# sun.qian staff+admin, clearance internal; zheng.tao staff.
. "$(dirname "$0")/lib.sh"

setup_workdir
TOP=(--as zhou.jianguo)

# ---------------------------------------------------------------------------------------
# Some history to move: a party, an external complaint (acknowledged, logged, closed), an
# internal record with a comma, quotes and a line break, and a secret one.
at 2026-09-21T09:00:00+08:00
run "$L" "${TOP[@]}" party add "上汽大众汽车有限公司" --id svw --type customer --contact 王工
expect_status 0 "party add svw"
run "$L" "${TOP[@]}" file --kind complaint --party svw --channel email --subject "A柱异响投诉" \
  --body "客户反映：车辆行驶中 A 柱异响。" --received "2026-09-18 10:00"
expect_status 0 "file EXT-2026-00001"
run "$L" "${TOP[@]}" file --kind suggestion --from production --subject $'改进建议, "节能"\n第二行' \
  --received "2026-09-18 11:00"
expect_status 0 "file INT-2026-00001"
run "$L" "${TOP[@]}" file --kind complaint --from hr --level secret --subject "工资纠纷" --received "2026-09-19 09:00"
expect_status 0 "file INT-2026-00002 (secret)"
at 2026-09-21T10:00:00+08:00
run "$L" "${TOP[@]}" ack EXT-2026-00001
expect_status 0 "ack"
run "$L" "${TOP[@]}" log EXT-2026-00001 "已电话联系客户"
expect_status 0 "log"
at 2026-09-22T15:00:00+08:00
run "$L" "${TOP[@]}" close EXT-2026-00001 --resolution "更换卡扣" --reply-via email
expect_status 0 "close"
at 2026-09-23T09:00:00+08:00

# ---------------------------------------------------------------------------------------
# Round trip: JSON Lines with the history
run "$L" "${TOP[@]}" export --with-events --out all.jsonl
expect_status 0 "export --with-events --out"
expect_eq "$out" "exported 3 records (0 redacted), 1 parties, 6 events to all.jsonl" "export --out says what it wrote"
expect_eq "$(wc -l <all.jsonl | tr -d ' ')" "4" "one party line and three record lines"
expect_eq "$(head -1 all.jsonl | jq -r '[.type,.id,.party_type] | join(" ")')" "party svw customer" "the party comes first"
expect_eq "$(sed -n 2p all.jsonl | jq -r '[.type,.ref,.received_at,.clocks[1].due] | join(" ")')" \
  "record EXT-2026-00001 2026-09-18T10:00:00+08:00 2026-09-24T17:30:00+08:00" "a record line: ref, ISO times, its clocks"
expect_eq "$(sed -n 2p all.jsonl | jq -r '[.events[].type] | join(",")')" "filed,acknowledged,logged,closed" \
  "the history rides along"
expect_eq "$(sed -n 2p all.jsonl | jq -r '.events[0] | keys | join(",")')" "actor,at,data,type" \
  "events carry type, actor, at and data only"
ls .all.jsonl.*.tmp >/dev/null 2>&1 && fail "export --out left its temporary file" || pass "no temporary file left"

run "$L" "${TOP[@]}" export --with-events
expect_eq "$out" "$(cat all.jsonl)" "export to standard output is the same"

run "$L" --db copy1.db init --db-only
expect_status 0 "init --db-only a second database"
run "$L" --db copy1.db "${TOP[@]}" import all.jsonl
expect_status 0 "import into the empty database"
expect_eq "$out" "imported 3 records, 1 new parties (0 already registered), 7 events from all.jsonl" "import says what it did"
"$L" --db copy1.db "${TOP[@]}" export --with-events >again.jsonl
if cmp -s all.jsonl again.jsonl; then pass "JSONL with events: the second export is byte-identical"
else fail "JSONL with events: the second export differs"; diff all.jsonl again.jsonl | head -5; fi
run "$L" --db copy1.db audit verify
expect_status 0 "audit verify passes on the imported database"
# The import indexes its events for search all at once before it commits: the same words
# find the same records as in the source, from subjects, notes and resolutions.
found() { "$L" --db "$1" "${TOP[@]}" search --format tsv "$2" | cut -f1 | paste -sd' '; }
for word in 异响 电话 卡扣 节能 工资; do
  expect_eq "$(found copy1.db "$word")" "$(found "$MAIN_DB" "$word")" "search $word finds in the import what it finds in the source"
done
expect_eq "$(found copy1.db 电话)" "EXT-2026-00001" "… a word of a logged note included"
expect_eq "$(DB=copy1.db db "SELECT name || '=' || last FROM sequences ORDER BY name" | tr '\n' ' ')" \
  "EXT-2026-=1 INT-2026-=2 " "the sequences are advanced to the imported references"
run "$L" --db copy1.db "${TOP[@]}" file --kind complaint --party svw --channel email --subject "新投诉"
expect_eq "$out" "EXT-2026-00002" "a later filing numbers after the imported references"
run "$L" --db copy1.db "${TOP[@]}" file --kind suggestion --from production --subject "新建议"
expect_eq "$out" "INT-2026-00003" "… in each sequence"

# Round trip: JSON Lines without the history — one 'imported' event per record
"$L" "${TOP[@]}" export >plain.jsonl
run "$L" --db copy2.db init --db-only
run "$L" --db copy2.db "${TOP[@]}" import plain.jsonl
expect_status 0 "import without events"
"$L" --db copy2.db "${TOP[@]}" export >plain2.jsonl
if cmp -s plain.jsonl plain2.jsonl; then pass "JSONL without events: byte-identical"
else fail "JSONL without events: differs"; diff plain.jsonl plain2.jsonl | head -5; fi
expect_eq "$(DB=copy2.db db "SELECT type || ' ' || actor || ' ' || json_extract(data, '$.source') || ' ' || json_extract(data, '$.line') FROM events WHERE record_id = (SELECT id FROM records WHERE ref = 'INT-2026-00001')")" \
  'imported zhou.jianguo plain.jsonl 3' "each record gets one 'imported' event naming source and line"
# … holding the record's state as imported, times ISO 8601, the clocks with what they did
expect_eq "$(DB=copy2.db db "SELECT data FROM events WHERE record_id = (SELECT id FROM records WHERE ref = 'EXT-2026-00001')" |
  jq -c '[.subject, .status, .outcome, .resolution, .reply_via, .acked_at, .closed_at, .created_by,
          (.clocks | map([.clock, .due, .stopped_at, .used_seconds, .paused_since]))]')" \
  "$(sed -n 2p plain.jsonl | jq -c '[.subject, .status, .outcome, .resolution, .reply_via, .acked_at, .closed_at, .created_by,
          (.clocks | map([.clock, .due, .stopped_at, .used_seconds, .paused_since]))]')" \
  "the 'imported' event holds the record's state and clocks as exported"
run "$L" --db copy2.db "${TOP[@]}" show EXT-2026-00001
expect_match "$out" "imported +A柱异响投诉 → quality/gao.feng, closed \\(resolved\\), from plain.jsonl line 2" \
  "show summarises the 'imported' event in one line"
expect_not_contains "$out" '"source"' "… not as raw JSON"
run "$L" --db copy2.db audit verify
expect_status 0 "audit verify passes (without events)"

# Round trip: CSV with the history (the party must be registered first)
"$L" "${TOP[@]}" --format csv export --with-events >all.csv
expect_eq "$(head -1 all.csv | tr -d '\r' | cut -d, -f1-5)" "ref,kind,direction,flow,subject" "CSV header"
run "$L" --db copy3.db init --db-only
run "$L" --db copy3.db "${TOP[@]}" import all.csv
expect_status 65 "CSV into a database without the party"
expect_contains "$err" "all.csv:2: party: no party \"svw\"" "… names the line and field"
run "$L" --db copy3.db "${TOP[@]}" party add "上汽大众汽车有限公司" --id svw --type customer
run "$L" --db copy3.db "${TOP[@]}" import all.csv
expect_status 0 "CSV import once the party is registered"
"$L" --db copy3.db "${TOP[@]}" --format csv export --with-events >again.csv
if cmp -s all.csv again.csv; then pass "CSV: byte-identical"
else fail "CSV: differs"; diff all.csv again.csv | head -5; fi
run "$L" --db copy3.db audit verify
expect_status 0 "audit verify passes (CSV)"

# Standard input
run "$L" --db copy4.db init --db-only
run_stdin "$(cat all.jsonl)" "$L" --db copy4.db "${TOP[@]}" import -
expect_status 0 "import - reads standard input"
expect_contains "$out" "from stdin" "… and says so"
expect_eq "$(DB=copy4.db db 'SELECT count(*) FROM records')" "3" "… all three records"

# ---------------------------------------------------------------------------------------
# Who may import
before="$(DB=copy4.db snapshot)"
run "$L" --db copy4.db --as zheng.tao import plain.jsonl
expect_status 77 "a staff member may not import"
expect_err_prefix "… with a liaison: message"
run "$L" --db copy4.db --as tester import plain.jsonl
expect_status 77 "an unlisted user may not import"
expect_eq "$(DB=copy4.db snapshot)" "$before" "refused imports change nothing"

# ---------------------------------------------------------------------------------------
# Bad input: each problem names FILE:LINE: FIELD, exit 65, the database unchanged.
run "$L" --db copy5.db init --db-only
# bad CMD_ARGS... : the file bad.jsonl must fail with 65 and each expected text in stderr
bad() {
  local desc="$1" file="$2"
  shift 2
  local before
  before="$(DB=copy5.db snapshot)"
  run "$L" --db copy5.db "${TOP[@]}" import "$file"
  expect_status 65 "$desc: exit 65"
  for want in "$@"; do expect_contains "$err" "$want" "$desc: $want"; done
  expect_contains "$err" "nothing was imported" "$desc: says nothing was imported"
  expect_eq "$(DB=copy5.db snapshot)" "$before" "$desc: database unchanged"
}
line() { sed -n "${1}p" all.jsonl; }
{ line 1; line 2 | jq -c '.owner = "qualty"'; } >bad.jsonl
bad "unknown department" bad.jsonl 'bad.jsonl:2: owner: unknown department "qualty" (did you mean "quality"?)'
{ line 1; line 2 | jq -c 'del(.subject)'; } >bad.jsonl
bad "missing field" bad.jsonl 'bad.jsonl:2: subject: missing'
{ line 1; line 2 | jq -c '.received_at = "1900-01-01T08:00:00+08:00"'; } >bad.jsonl
bad "a time before 1970" bad.jsonl 'bad.jsonl:2: received_at: 1900-01-01T08:00:00+08:00 is outside the times liaison keeps'
{ line 1; line 2 | jq -c '.events[0].at = "9999-12-31T12:00:00+08:00"'; } >bad.jsonl
bad "an event after 9999-12-01" bad.jsonl 'bad.jsonl:2: events[1].at: 9999-12-31T12:00:00+08:00 is outside the times liaison keeps'
{ line 1; line 2 | jq -c '.received_at = "18.09.2026"'; } >bad.jsonl
bad "bad time" bad.jsonl 'bad.jsonl:2: received_at: cannot read "18.09.2026" as a time (write ISO 8601 with offset'
{ line 1; line 2 | jq -c --arg s "$(head -c 70000 /dev/zero | tr '\0' x)" '.subject = $s'; } >bad.jsonl
bad "oversized field" bad.jsonl 'bad.jsonl:2: subject: too long: 70000 bytes, the limit is 65536'
{ line 1; line 2; line 3; line 2; } >bad.jsonl
bad "duplicate within the file" bad.jsonl 'bad.jsonl:4: ref: duplicate reference EXT-2026-00001: it is earlier in this file'
{ line 1; line 2; printf '%s\n' '{"type":"record", "ref": oops}'; } >bad.jsonl
bad "bad JSON" bad.jsonl 'bad.jsonl:3: bad JSON: '
{ line 1; line 3 | sed 's/改进建议/\xb8\xc4\xbd\xf8/'; } >bad.jsonl
bad "GBK bytes" bad.jsonl 'bad.jsonl:2: subject: invalid UTF-8 at byte' "iconv -f GBK -t UTF-8"
{ line 1; line 2 | jq -c '.kind = "complain"'; line 3 | jq -c '.level = "secrit"'; } >bad.jsonl
bad "several problems, all reported" bad.jsonl 'bad.jsonl:2: kind: unknown kind "complain"' 'bad.jsonl:3: level: unknown level "secrit"'
# What `audit verify` would reject is refused before anything is written: each record with
# events is replayed as verify replays it.
{ line 1; line 2 | jq -c '.subject = "改过的主题"'; } >bad.jsonl
bad "a subject edited after export" bad.jsonl 'bad.jsonl:2: subject: ' 'but its history gives' 'as '"'"'liaison audit verify'"'"' replays them'
{ line 1; line 2 | jq -c '.events |= .[1:]'; } >bad.jsonl
bad "a history that does not start with filed" bad.jsonl 'bad.jsonl:2: events: '
{ line 1; line 2 | jq -c '.owner = "hr"'; } >bad.jsonl
bad "an owner its history does not give" bad.jsonl 'bad.jsonl:2: owner: '
# Numbers and nesting no reader could hold: 65 with line and reason, never a crash or
# "this is a bug" (the nesting once crashed import with SIGSEGV, 1e309 ended in exit 1).
{ line 1; printf '%s\n' '{"type":"record","ref":1e309}'; } >bad.jsonl
bad "a number out of range" bad.jsonl 'bad.jsonl:2: bad JSON: number overflow parsing'
{ printf '[%.0s' $(seq 1 100000); printf ']%.0s' $(seq 1 100000); echo; } >deep.txt  # 200 KB: no argument holds it
{ line 1; line 2 | jq -c '.events[0].data.x = "DEEP"' | awk 'NR == FNR {d = $0; next} {sub(/"DEEP"/, d); print}' deep.txt -; } >bad.jsonl
expect_eq "$(wc -c <bad.jsonl | tr -d ' ')" "$(( $(line 1 | wc -c) + $(line 2 | jq -c '.events[0].data.x = "DEEP"' | wc -c) - 6 + 200000 ))" \
  "(the line really holds the 100,000-deep array)"
bad "event data nested 100,000 deep" bad.jsonl 'bad.jsonl:2: nested deeper than 16 levels'
{ line 1; line 2 | jq -c '.events[0].data.x = [[[[[[[[[[[[[[["too deep"]]]]]]]]]]]]]]]'; } >bad.jsonl
bad "event data nested 19 deep" bad.jsonl 'bad.jsonl:2: nested deeper than 16 levels'
{ line 1; line 2 | jq -c '.events[1].data.note = [[[[[[[[[[[["deep enough"]]]]]]]]]]]]'; } >ok.jsonl
run "$L" --db copy5.db "${TOP[@]}" import --dry-run ok.jsonl
expect_status 0 "event data nested 16 deep, the limit, is taken"
{ line 1; line 2 | jq -c '.clocks[0].used_seconds = "BIG"' | sed 's/"BIG"/9223372036854775808/'; } >bad.jsonl
bad "used_seconds of 2^63" bad.jsonl 'bad.jsonl:2: clocks[1].used_seconds: 9223372036854775808 is not a number of seconds from 0 to 253402300799'
{ line 1; line 2 | jq -c '.clocks[0].paused_seconds = -1'; } >bad.jsonl
bad "negative paused_seconds" bad.jsonl 'clocks[1].paused_seconds: -1 is not a number of seconds'
# against the database
run "$L" --db copy5.db "${TOP[@]}" import plain.jsonl
expect_status 0 "import once"
bad "duplicate against the database" plain.jsonl 'plain.jsonl:2: ref: duplicate reference EXT-2026-00001: it is already in the database'

# --dry-run writes nothing and says what it would do
run "$L" --db copy6.db init --db-only
before="$(DB=copy6.db snapshot)"
run "$L" --db copy6.db "${TOP[@]}" import --dry-run all.jsonl
expect_status 0 "import --dry-run"
expect_eq "$out" "would import 3 records, 1 new parties (0 already registered), 7 events from all.jsonl; nothing written (--dry-run)" \
  "--dry-run says what would be imported"
expect_eq "$(DB=copy6.db snapshot)" "$before" "--dry-run writes nothing"
{ line 1; line 2 | jq -c '.status = "done"'; } >bad.jsonl
run "$L" --db copy6.db "${TOP[@]}" import --dry-run bad.jsonl
expect_status 65 "--dry-run reports problems too"
expect_contains "$err" 'bad.jsonl:2: status: unknown status "done"' "… naming line and field"

# ---------------------------------------------------------------------------------------
# A spreadsheet's CSV: BOM, CRLF, a quoted line break, Chinese text, local times, no clocks
printf '\xef\xbb\xbfref,kind,subject,body,party,owner,received_at,acked_at\r\n' >sheet.csv
printf 'Q-001,complaint,"噪音超标, 夜间","第一行\r\n第二行 ""引号""",svw,quality,2026-09-18 10:00,2026-09-18 15:00\r\n' >>sheet.csv
printf 'Q-002,suggestion,节能建议,,,production,2026-09-21 09:00,\r\n' >>sheet.csv
run "$L" --db copy5.db "${TOP[@]}" import sheet.csv
expect_status 0 "a spreadsheet's CSV imports"
expect_eq "$(DB=copy5.db db "SELECT subject || '|' || body || '|' || direction || '|' || party FROM records WHERE ref = 'Q-001'")" \
  $'噪音超标, 夜间|第一行\r\n第二行 "引号"|external|svw' "quoted comma, line break and quotes kept"
expect_eq "$(DB=copy5.db db "SELECT name || ' ' || due || ' ' || coalesce(stopped_at, '-') FROM clocks WHERE record_id = (SELECT id FROM records WHERE ref = 'Q-001') ORDER BY name")" \
  "$(printf '%s\n%s' "ack $(date -d '2026-09-20T10:00:00+08:00' +%s) $(date -d '2026-09-18T15:00:00+08:00' +%s)" \
    "resolve $(date -d '2026-09-24T17:30:00+08:00' +%s) -")" \
  "clocks started as filing would (48h; 5wd), the ack clock stopped at acked_at"
expect_eq "$(DB=copy5.db db "SELECT count(*) FROM sequences WHERE name LIKE 'Q%'")" "0" \
  "references outside the numbering advance no sequence"
run "$L" --db copy5.db audit verify
expect_status 0 "audit verify after the spreadsheet import"

# Imported without a history (a spreadsheet's CSV and JSON Lines without events) into a
# fresh database: verify replays from the 'imported' events, search finds the records by
# what they say, and a record altered behind the tool's back is named.
run "$L" --db copy8.db init --db-only
run "$L" --db copy8.db "${TOP[@]}" import plain.jsonl
expect_status 0 "fresh database: JSONL without events"
run "$L" --db copy8.db "${TOP[@]}" import sheet.csv
expect_status 0 "fresh database: the spreadsheet's CSV"
run "$L" --db copy8.db audit verify
expect_status 0 "audit verify passes on records imported without history"
expect_contains "$out" "5 records agree with their history" "… all five records checked"
refs() { run "$L" --db copy8.db "${TOP[@]}" search --format tsv "$@"; cut -f1 <<<"$out" | paste -sd' '; }
expect_eq "$(refs 噪音)" "Q-001" "search finds a CSV-imported record by a two-character word of its subject"
expect_eq "$(refs 异响)" "EXT-2026-00001" "… and a JSONL-imported one"
expect_eq "$(refs 卡扣)" "EXT-2026-00001" "… and by a word of its resolution"
run "$L" --db copy8.db "${TOP[@]}" list --grep 节能 --format tsv
expect_contains "$out" "Q-002" "list --grep finds an imported record too"
# later events replay on top of the imported state
at 2026-09-23T10:00:00+08:00
run "$L" --db copy8.db "${TOP[@]}" ack Q-002
expect_status 0 "ack an imported record"
run "$L" --db copy8.db "${TOP[@]}" close Q-001 --resolution "加装隔音棉" --reply-via email
expect_status 0 "close another"
run "$L" --db copy8.db audit verify
expect_status 0 "audit verify passes after later events on imported records"
expect_eq "$(refs 隔音棉)" "Q-001" "search finds the resolution given after the import"
at 2026-09-23T09:00:00+08:00
cp copy8.db tampered.db
DB=tampered.db db "UPDATE records SET status = 'open' WHERE ref = 'EXT-2026-00001'"
imported_event="$(DB=tampered.db db "SELECT id FROM events WHERE record_id = (SELECT id FROM records WHERE ref = 'EXT-2026-00001')")"
run "$L" --db tampered.db audit verify
expect_status 1 "audit verify fails on an imported record altered afterwards"
expect_match "$err" "^liaison: record state altered: EXT-2026-00001: status is \"open\", but its history gives \"closed\" \\(event $imported_event\\)" \
  "… naming the record, the field and the 'imported' event"
printf 'ref,kind,subject,owner,received_at\r\nQ-003,complaint,x,sales,2026-09-31\r\n' >bad.csv
bad "CSV: bad date" bad.csv 'bad.csv:2: received_at: cannot read "2026-09-31" as a time'
printf 'ref,kind,subjekt,owner,received_at\r\n' >bad.csv
bad "CSV: unknown column" bad.csv 'bad.csv:1: subjekt: unknown column (did you mean "subject"?)'
printf 'ref,kind,subject,owner,received_at\r\nQ-004,complaint,\xcd\xb6\xcb\xdf,sales,2026-09-21\r\n' >bad.csv
bad "CSV: GBK bytes" bad.csv 'bad.csv:2: subject: invalid UTF-8'

# ---------------------------------------------------------------------------------------
# Confidentiality: sun.qian (clearance internal) gets the secret record redacted.
run "$L" --as sun.qian export --with-events
expect_status 0 "a low-clearance user may export"
expect_eq "$(jq -r 'select(.ref == "INT-2026-00002") | [.subject, .redacted, .events[0].data.subject] | join("|")' <<<"$out")" \
  "[confidential]|true|[confidential]" "… the secret record's texts and history redacted"
expect_eq "$(jq -r 'select(.ref == "INT-2026-00001") | [.subject, .redacted] | join("|")' <<<"$out")" \
  $'改进建议, "节能"\n第二行|false' "… the internal one in full"
printf '%s\n' "$out" >redacted.jsonl
run "$L" --as zhou.jianguo export --with-events
expect_eq "$(jq -r 'select(.ref == "INT-2026-00002") | .subject' <<<"$out")" "工资纠纷" "top management sees it"
run "$L" --db copy7.db init --db-only
run "$L" --db copy7.db "${TOP[@]}" import redacted.jsonl
expect_status 65 "a redacted export cannot be imported"
expect_contains "$err" "redacted.jsonl:4: redacted: the record was exported redacted" "… naming the line"

# Event data holds what liaison writes for that type of event, nothing else: an extra key
# would be stored, never checked by audit verify, and never redacted (issue 10 item 6).
run "$L" --db copy9.db init --db-only
{ head -1 all.jsonl; sed -n 2p all.jsonl | jq -c '.events[0].data.secret = "客户私下提供的价格"'; } >extra.jsonl
run "$L" --db copy9.db "${TOP[@]}" import extra.jsonl
expect_status 65 "an extra key in event data is refused"
expect_contains "$err" "extra.jsonl:2: events[1].data.secret: unknown field" "… naming the line, event and key"
{ head -1 all.jsonl; sed -n 2p all.jsonl | jq -c '.events[0].data.clocks[0].note = "藏在时钟里"'; } >nested.jsonl
run "$L" --db copy9.db "${TOP[@]}" import nested.jsonl
expect_status 65 "an extra key inside a clock of event data is refused"
expect_contains "$err" "events[1].data.clocks[1].note: unknown field" "… naming where"
{ head -1 all.jsonl; sed -n 2p all.jsonl | jq -c '.events[1].type = "annotated"'; } >type.jsonl
run "$L" --db copy9.db "${TOP[@]}" import type.jsonl
expect_status 65 "an event type liaison does not write is refused"
expect_contains "$err" "\"annotated\" is not a type of event liaison writes" "… saying so"
{ head -1 all.jsonl; sed -n 2p all.jsonl | jq -c '.events[1].data.by = "sun.qian"'; } >by.jsonl
run "$L" --db copy9.db "${TOP[@]}" import by.jsonl
expect_status 0 "\"by\" (an admin acting for someone) is a key of every event"
expect_eq "$(sqlite3 copy9.db 'SELECT count(*) FROM records')" "1" "… and the record is imported"

# Usage errors
run "$L" --format json export
expect_status 2 "export --format json is refused"
expect_contains "$err" 'export writes jsonl or csv, not "json"' "… saying which formats"
run "$L" "${TOP[@]}" import nosuch.jsonl
expect_status 4 "a missing file"
expect_contains "$err" "cannot read nosuch.jsonl" "… named"

# Filters are list's
run "$L" "${TOP[@]}" export --status closed
expect_eq "$(jq -r 'select(.type == "record") | .ref' <<<"$out")" "EXT-2026-00001" "export --status closed"
run "$L" "${TOP[@]}" export --direction internal
expect_eq "$(jq -r '.type' <<<"$out" | sort | uniq -c | tr -s ' ' | tr '\n' ';')" " 2 record;" \
  "export --direction internal: no party lines when no record refers to one"

finish
