#!/usr/bin/env bash
# The fields auditors sample (issue 12, point 7): a record's topic ([[topic]]), the
# customer's own number (--customer-ref) and the 8D number (--8d) are stored, shown,
# filterable in list/search/export/query, exported and imported, counted in the report,
# hidden above clearance like the CAPA; `edit` changes the descriptive fields as an
# `edited` event with the values before and after, and `audit verify` replays it.
. "$(dirname "$0")/lib.sh"

setup_workdir

at 2026-09-21T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
run "$L" file --kind complaint --party svw --channel email --subject "外壳划伤" \
  --topic quality --customer-ref SVW-QC-2026-0311 --8d 8D-2026-007
expect_status 0 "file with --topic, --customer-ref and --8d"
run "$L" file --kind complaint --party svw --channel email --subject "包装破损"
expect_status 0 "file without them"
run "$L" file --kind complaint --party svw --channel email --subject "尺寸超差" --level secret \
  --topic quality --customer-ref SVW-QC-2026-0399
expect_status 0 "file a secret one with a customer number"

# Stored and shown.
expect_eq "$(db "SELECT topic || '|' || customer_ref || '|' || eight_d FROM records WHERE ref = 'EXT-2026-00001'")" \
  "quality|SVW-QC-2026-0311|8D-2026-007" "the three fields are stored"
expect_eq "$(db "SELECT topic || '|' || customer_ref || '|' || eight_d FROM records WHERE ref = 'EXT-2026-00002'")" \
  "||" "… and empty when not given"
expect_eq "$(db "SELECT json_extract(data, '\$.topic') || '|' || json_extract(data, '\$.customer_ref') || '|' || json_extract(data, '\$.eight_d') FROM events WHERE record_id = 1 AND type = 'filed'")" \
  "quality|SVW-QC-2026-0311|8D-2026-007" "the filed event carries them"
expect_eq "$(db "SELECT json_type(data, '\$.topic') IS NULL FROM events WHERE record_id = 2 AND type = 'filed'")" \
  "1" "… and leaves them out when not given"
run "$L" show EXT-2026-00001 --format json
expect_eq "$(jq -r '[.topic, .customer_ref, .eight_d] | join(",")' <<<"$out")" "quality,SVW-QC-2026-0311,8D-2026-007" \
  "show --format json has them"
run "$L" --lang zh --format table show EXT-2026-00001
expect_match "$out" "领域 +质量" "show names the topic by its config name in Chinese"
expect_match "$out" "客户编号 +SVW-QC-2026-0311" "… the customer's number"
expect_match "$out" "8D 报告 +8D-2026-007" "… and the 8D number"

# Filters.
run "$L" list --topic quality --format json
expect_eq "$(jq -r '[.[].ref] | join(",")' <<<"$out")" "EXT-2026-00001,EXT-2026-00003" "list --topic"
run "$L" list --customer-ref SVW-QC-2026-0311 --format json
expect_eq "$(jq -r '[.[].ref] | join(",")' <<<"$out")" "EXT-2026-00001" "list --customer-ref finds it by the customer's number"
run "$L" list --8d 8D-2026-007 --columns ref,topic,customer_ref,eight_d
expect_eq "$out" "EXT-2026-00001	quality	SVW-QC-2026-0311	8D-2026-007" "list --8d, and the three columns"
run "$L" search 划伤 --topic quality --format json
expect_eq "$(jq -r '[.[].ref] | join(",")' <<<"$out")" "EXT-2026-00001" "search --topic"
run "$L" search 划伤 --topic safety --format json
expect_eq "$out" "[]" "… which leaves out the other topics"
run "$L" export --topic quality --customer-ref SVW-QC-2026-0399
expect_eq "$(jq -r 'select(.type == "record") | .ref' <<<"$out")" "EXT-2026-00003" "export --topic --customer-ref"
run "$L" list --topic qualty
expect_status 4 "an unknown topic in a filter is exit 4, not an empty list"
expect_contains "$err" 'unknown topic "qualty" for --topic' "… naming it"
expect_contains "$err" 'did you mean "quality"?' "… with did you mean"

# Who may not read the record does not see its numbers, nor find it by them.
run env LIAISON_USER=feng.jie "$L" list --customer-ref SVW-QC-2026-0399 --format json
expect_eq "$out" "[]" "a number above the reader's clearance finds nothing"
run env LIAISON_USER=feng.jie "$L" show EXT-2026-00003 --format json
expect_eq "$(jq -r '[.topic, .customer_ref] | join(",")' <<<"$out")" "quality,[confidential]" \
  "… the customer's number is redacted, the topic is not"
run env LIAISON_USER=feng.jie "$L" query "SELECT topic, topic_name, customer_ref, eight_d FROM records ORDER BY id"
expect_eq "$out" "quality	质量	SVW-QC-2026-0311	8D-2026-007
			
quality	质量	[confidential]	" "the auditor view has the columns, redacted as the record"

# Refusals write nothing.
before="$(snapshot)"
run "$L" file --kind complaint --party svw --channel email --subject "x" --topic qualty
expect_status 65 "file with an unknown topic is exit 65"
expect_contains "$err" 'did you mean "quality"?' "… with did you mean"
run "$L" file --kind complaint --party svw --channel email --subject "x" --customer-ref "$(printf 'x%.0s' $(seq 300))"
expect_status 65 "a customer number over 256 bytes is exit 65"
run "$L" edit EXT-2026-00001
expect_status 2 "edit with nothing to change is exit 2"
expect_contains "$err" "nothing to change" "… saying so"
run "$L" edit EXT-2026-00001 --topic quality
expect_status 2 "… also when the value is the one it has"
run "$L" edit EXT-2026-00001 --subject ""
expect_status 65 "an empty subject is exit 65"
run "$L" edit EXT-2026-00001 --topic saftey
expect_status 65 "edit to an unknown topic is exit 65"
expect_contains "$err" 'did you mean "safety"?' "… with did you mean"
run "$L" edit EXT-2026-00099 --topic safety
expect_status 4 "edit of an unknown record is exit 4"
run env LIAISON_USER=li.xue "$L" edit EXT-2026-00001 --topic safety
expect_status 77 "someone outside the owner department may not edit"
run env LIAISON_USER=feng.jie "$L" edit EXT-2026-00003 --customer-ref SVW-QC-2026-0399
expect_status 77 "a member below the record's level may not edit it (nor learn whether a guess was right)"
expect_contains "$err" "its level is above your clearance" "… saying why"
expect_eq "$(snapshot)" "$before" "the refusals wrote nothing"

# edit: an event with the values before and after.
at 2026-09-22T09:00:00+08:00
run "$L" edit EXT-2026-00001 --subject "外壳划伤（批次 2609）" --topic safety --customer-ref ""
expect_status 0 "edit"
expect_eq "$out" "EXT-2026-00001: edited" "… says so"
expect_eq "$(db "SELECT subject || '|' || topic || '|' || customer_ref FROM records WHERE id = 1")" \
  "外壳划伤（批次 2609）|safety|" "the record has the new values"
expect_eq "$(db "SELECT data FROM events WHERE type = 'edited'")" \
  '{"from":{"customer_ref":"SVW-QC-2026-0311","subject":"外壳划伤","topic":"quality"},"to":{"customer_ref":"","subject":"外壳划伤（批次 2609）","topic":"safety"}}' \
  "the edited event holds each changed field before and after, nothing else"
run "$L" --lang zh --format table show EXT-2026-00001
expect_contains "$out" "修改记录" "show lists the edit"
expect_contains "$out" "领域 质量 → 安全" "… with the topic's names"
expect_contains "$out" "客户编号 SVW-QC-2026-0311 → —" "… and a cleared value as —"
run "$L" search 批次 --format json
expect_eq "$(jq -r '[.[].ref] | join(",")' <<<"$out")" "EXT-2026-00001" "search finds the new subject"
run "$L" search 划伤 --format json
expect_eq "$(jq -r '[.[].ref] | join(",")' <<<"$out")" "EXT-2026-00001" "… and the old one"
run_stdin "新的描述：客户二次投诉" "$L" edit EXT-2026-00002 --body -
expect_status 0 "edit --body - reads standard input"
expect_eq "$(db "SELECT body FROM records WHERE id = 2")" "新的描述：客户二次投诉" "… and stores it"

# close --8d; reopen keeps it; a closed record can still be edited.
run "$L" close EXT-2026-00002 --resolution "已更换包装" --reply-via email --8d 8D-2026-011
expect_status 0 "close --8d"
expect_eq "$(db "SELECT eight_d FROM records WHERE id = 2")" "8D-2026-011" "close sets the 8D number"
run "$L" reopen EXT-2026-00002 --reason "客户再次反馈"
expect_eq "$(db "SELECT eight_d FROM records WHERE id = 2")" "8D-2026-011" "reopen keeps it"
run "$L" close EXT-2026-00002 --resolution "已更换包装供应商" --reply-via email
expect_eq "$(db "SELECT eight_d FROM records WHERE id = 2")" "8D-2026-011" "closing without --8d keeps it"
run "$L" edit EXT-2026-00002 --8d 8D-2026-012 --capa CAPA-2026-031
expect_status 0 "a closed record can be edited"
run "$L" audit verify
expect_status 0 "audit verify replays filed, edited, closed and reopened with the new fields"

# The report counts the topics.
run "$L" report --period 2026-09 --format json
expect_eq "$(jq -c '.volume.by_topic' <<<"$out")" '[{"count":1,"key":""},{"count":1,"key":"quality"},{"count":1,"key":"safety"}]' \
  "report: volume by topic, records without one counted apart"
run "$L" --lang zh report --period 2026-09
expect_contains "$out" "按领域" "the text report has the table"
expect_contains "$out" "（未分类）" "… naming the records without a topic"

# Tampering with a field is found.
save_db pristine.db
db "UPDATE records SET topic = 'quality' WHERE id = 1"
run "$L" audit verify
expect_status 1 "a topic changed behind the tool's back fails audit verify"
expect_contains "$out$err" "topic" "… naming the field"
restore_db pristine.db

# Export and import: byte-identical, the edited events included.
import_elsewhere
expect_status 0 "import takes the fields and the edited events"
run "$L" --db "$OTHER_DB" audit verify
expect_status 0 "… and audit verify accepts them there"
expect_same_export
run "$L" export --format csv --status all
expect_contains "$(head -1 <<<"$out")" ",closed_at,topic,customer_ref,eight_d,their_ref,compliance_obligation,redacted," "CSV has the columns after closed_at"

run "$L" completion bash --values topics
expect_eq "$(tr '\n' ' ' <<<"$out")" "quality safety equipment environment hr " "shell completion offers the configured topics"

# An edit's data holds the body twice, each within [limits] text: it still imports.
cp liaison.toml small.toml
printf '\n[limits]\ntext = 2000\n' >>small.toml
DB=small.db
run "$L" --config small.toml --db small.db init --db-only
run "$L" --config small.toml --db small.db party add "上汽大众汽车有限公司" --id svw --type customer
run "$L" --config small.toml --db small.db file --kind complaint --party svw --channel email --subject "长正文" \
  --body "$(head -c 1200 /dev/zero | tr '\0' 'a')"
run "$L" --config small.toml --db small.db edit EXT-2026-00001 --body "$(head -c 1200 /dev/zero | tr '\0' 'b')"
expect_status 0 "edit a 1200-byte body under text = 2000"
run "$L" --config small.toml --db small.db export --with-events --out small.jsonl
cp small.toml small2.toml
run "$L" --config small2.toml --db small2.db init --db-only
run "$L" --config small2.toml --db small2.db import small.jsonl
expect_status 0 "… and the export imports under the same limits"
unset DB

# A field the kind requires cannot be cleared by an edit.
printf '\n[[kind]]\nid = "claim"\nrequires = { external = ["party", "topic"] }\n' >>liaison.toml
run "$L" file --kind claim --party svw --channel email --subject "索赔" --topic quality
expect_status 0 "file a kind that requires a topic"
run "$L" edit "$out" --topic ""
expect_status 65 "clearing a required topic is exit 65"
expect_contains "$err" "an external claim needs topic" "… saying the kind needs it"

# A company without topics.
setup_workdir minimal
run "$L" --as carol file --kind inquiry --subject "x" --topic quality
expect_status 65 "--topic when no [[topic]] is configured is exit 65"
expect_contains "$err" "defines no topics" "… saying what to add"

finish
