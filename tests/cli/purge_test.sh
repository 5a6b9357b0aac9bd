#!/usr/bin/env bash
# Retention (issue 13, points 3 and 5): `purge` lists the closed records whose kind's
# retention or anonymise_after is up, a dry run by default; `--apply` (admins only) purges
# them to tombstones and anonymises the others, never a held one. After a purge the chain
# verifies, the text is gone from the records, the events, the search index and the
# attachments (bytes another record still lists are kept), and a tombstone altered
# afterwards is caught by audit verify.
. "$(dirname "$0")/lib.sh"

setup_workdir
python3 - <<'PY'
import re
p = 'liaison.toml'
s = open(p).read()
s = s.replace('retention = "15y"', 'retention = "3y"\nanonymise_after = "1y"', 1)
open(p, 'w').write(s)
PY
printf '\377\330\377\340\000\020JFIF\000\001purge-test-photo' > photo.jpg

at 2022-03-01T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
run "$L" file --kind complaint --party svw --channel email --subject "密封圈漏油，联系人张三" \
  --body "客户张三来电反映密封圈漏油" --contact-name "张三" --contact-phone "13800000000" --attach photo.jpg --major
expect_status 0 "file EXT-1 with an identity and a photo"
ext1="$out"
run "$L" log "$ext1" --type call "已电话联系张三确认批次"
run "$L" file --kind complaint --party svw --channel email --subject "索赔争议" --contact-name "李四"
expect_status 0 "file EXT-2"
ext2="$out"
at 2022-03-02T09:00:00+08:00
run "$L" close "$ext1" --resolution "更换密封圈供应商，张三确认" --reply-via email
expect_status 0 "close EXT-1"
run "$L" close "$ext2" --resolution "诉讼中" --reply-via email
run "$L" hold "$ext2" --reason "客户索赔诉讼"
expect_status 0 "hold EXT-2"
at 2024-06-03T09:00:00+08:00
run "$L" file --kind complaint --party svw --channel email --subject "包装破损" --contact-name "王五" --contact-phone "13900000000"
ext3="$out"
run "$L" close "$ext3" --resolution "补发" --reply-via email
expect_status 0 "EXT-3 closed in 2024"
run "$L" file --kind inquiry --party svw --channel email --subject "同一张照片的咨询" --attach photo.jpg
expect_status 0 "EXT-4 open, with the same photo"
expect_eq "$ext1 $ext2 $ext3" "EXT-2022-00001 EXT-2022-00002 EXT-2024-00001" "the references"

# EXT-1's events as a version before schema 14 wrote them: each hash over the data itself
# (no data_sha256), the chain relinked from there on. The purge must seal them.
[ "$LIAISON_TEST_DB" = sqlite ] && trigger="$(db "SELECT sql FROM sqlite_master WHERE name = 'events_no_update'")"
db "DROP TRIGGER events_no_update; UPDATE events SET data_sha256 = NULL WHERE record_id = (SELECT id FROM records WHERE ref = '$ext1')"
n_events="$(db 'SELECT max(id) FROM events')"
for ((i = 1; i <= n_events; i++)); do
  db "UPDATE events SET prev_hash = coalesce((SELECT hash FROM events WHERE id = $((i - 1))), '') WHERE id = $i"
  db "UPDATE events SET hash = '$(event_digest "$i")' WHERE id = $i"
done
if [ "$LIAISON_TEST_DB" = postgres ]; then db "ALTER TABLE events ENABLE TRIGGER events_no_update"; else db "$trigger"; fi
run "$L" audit verify
expect_status 0 "the mixed chain verifies before the purge"
expect_eq "$(db "SELECT count(*) FROM events WHERE data_sha256 IS NULL")" "4" "EXT-1's four events carry no digest"

at 2026-12-01T09:00:00+08:00
run "$L" report --period 2022-03 --format json
before_report="$out"
before="$(snapshot)"
sequences="$(db "SELECT name || '=' || last FROM sequences ORDER BY name")"
run "$L" purge --format json
expect_status 0 "a dry run"
expect_eq "$(jq -r '[.[] | .ref + ":" + .action + ":" + .rule] | join(" ")' <<<"$out")" \
  "$ext1:purge:retention 3y $ext2:held:retention 3y $ext3:anonymise:anonymise_after 1y" \
  "it lists the expired record, the held one and the one to anonymise"
expect_eq "$(jq -r '.[0].due' <<<"$out")" "2025-03-03T00:00:00+08:00" "due from the day after closing + 3y"
expect_eq "$(jq -r '[.[].applied] | unique | join(",")' <<<"$out")" "false" "nothing applied"
run "$L" --format table purge
expect_contains "$out" "1 to purge, 1 to anonymise, 1 kept by a legal hold (nothing done: add --apply to do it)" "the summary"
expect_eq "$(snapshot)" "$before" "a dry run changes nothing"

run "$L" purge --apply
expect_status 77 "top management may not apply a purge"
expect_contains "$err" "only admins apply a purge" "… and is told who may"
expect_eq "$(snapshot)" "$before" "the refusal changed nothing"

run env LIAISON_USER=sun.qian "$L" --format table purge --apply
expect_status 0 "an admin applies it"
expect_contains "$out" "purged 1, anonymised 1, 1 kept by a legal hold" "saying what it did"

expect_eq "$(db "SELECT count(*) FROM records")" "4" "a tombstone stays a record …"
expect_eq "$(db "SELECT name || '=' || last FROM sequences ORDER BY name")" "$sequences" "… and no sequence goes back: its reference is never given again"
expect_eq "$(db "SELECT subject || '|' || body || '|' || resolution || '|' || (purged_at IS NOT NULL) FROM records WHERE ref = '$ext1'")" \
  "|||1" "the tombstone has no subject, body or resolution"
expect_eq "$(db "SELECT status || ' ' || outcome || ' ' || kind || ' ' || party FROM records WHERE ref = '$ext1'")" \
  "closed resolved complaint svw" "… and keeps its status, outcome, kind and party"
expect_eq "$(db "SELECT count(*) FROM events WHERE record_id = (SELECT id FROM records WHERE ref = '$ext1') AND (data LIKE '%张三%' OR data LIKE '%漏油%' OR data LIKE '%photo.jpg%')")" \
  "0" "no event of it holds the text any more"
expect_eq "$(db "SELECT name || position || organization || phone FROM identities WHERE record_id = (SELECT id FROM records WHERE ref = '$ext1')")" \
  "" "its identity is gone"
expect_eq "$(db "SELECT json_extract(data, '\$.rule') FROM events WHERE type = 'purged'")" "retention 3y" "a purged event names the rule"
expect_eq "$(db "SELECT actor FROM events WHERE type = 'purged'")" "sun.qian" "… and who purged"
expect_eq "$(db "SELECT name FROM attachments WHERE record_id = (SELECT id FROM records WHERE ref = '$ext1')")" "" "the attachment's name is gone"
expect_eq "$(db "SELECT length(content) FROM blobs")" "$(wc -c < photo.jpg | tr -d ' ')" "the bytes stay: EXT-4 lists them too"

expect_eq "$(db "SELECT subject || '|' || (anonymised_at IS NOT NULL) || '|' || (purged_at IS NULL) FROM records WHERE ref = '$ext3'")" \
  "包装破损|1|1" "EXT-3 keeps its content and is anonymised"
expect_eq "$(db "SELECT name || phone FROM identities WHERE record_id = (SELECT id FROM records WHERE ref = '$ext3')")" "" "… its identity gone"
expect_eq "$(db "SELECT subject || '|' || (purged_at IS NULL) FROM records WHERE ref = '$ext2'")" "索赔争议|1" "the held record is untouched"
expect_eq "$(db "SELECT name FROM identities WHERE record_id = (SELECT id FROM records WHERE ref = '$ext2')")" "李四" "… identity included"

run "$L" search "漏油" --format json
expect_eq "$(jq -r '[.[].ref] | join(",")' <<<"$out")" "" "search no longer finds the purged text"
run "$L" search "包装" --format json
expect_eq "$(jq -r '[.[].ref] | join(",")' <<<"$out")" "$ext3" "… and still finds the rest"

expect_eq "$(db "SELECT count(*) FROM events WHERE data_sha256 IS NULL")" "0" "the purge kept the digest of each older event it reduced"
expect_eq "$(db "SELECT json_array_length(data, '\$.sealed') FROM events WHERE type = 'purged'")" "4" "… and sealed the four"
run "$L" audit verify
expect_status 0 "audit verify passes after the purge"
run "$L" --format json show "$ext1"
expect_eq "$(jq -r '.purged_at' <<<"$out")" "2026-12-01T09:00:00+08:00" "show --format json says it is a tombstone"
run "$L" --format table show "$ext1"
expect_contains "$out" "purged" "show says so too"
run "$L" query "SELECT ref FROM records WHERE purged_at IS NOT NULL"
expect_contains "$out" "$ext1" "the auditor views show tombstones"
run "$L" export
expect_eq "$(grep -c '"purged_at":"2026-12-01T09:00:00+08:00"' <<<"$out")" "1" "export marks the tombstone"
run "$L" report --period 2022-03 --format json
expect_status 0 "the report of the month still runs"
expect_eq "$(jq -r '.major[] | select(.ref == "'"$ext1"'") | .subject + "|" + (.purged | tostring)' <<<"$out")" \
  "(purged)|true" "it lists the major tombstone as purged"
expect_eq "$(jq -S 'del(.major) | del(.. | .last_event_id?)' <<<"$out")" \
  "$(jq -S 'del(.major) | del(.. | .last_event_id?)' <<<"$before_report")" \
  "every figure is what it was before the purge (only the history's newest event differs)"
run "$L" --lang zh --format text report --period 2022-03
expect_contains "$out" "（已销毁）" "… in Chinese too"

at 2026-12-02T09:00:00+08:00
run env LIAISON_USER=sun.qian "$L" purge --apply --format json
expect_eq "$(jq -r '[.[] | .ref + ":" + .action] | join(" ")' <<<"$out")" "$ext2:held" "a second purge finds only the held record"
run "$L" release "$ext2" --reason "诉讼结束"
run env LIAISON_USER=sun.qian "$L" purge --apply --format json
expect_eq "$(jq -r '[.[] | .ref + ":" + .action + ":" + (.applied | tostring)] | join(" ")' <<<"$out")" "$ext2:purge:true" "released, it is purged"
run "$L" audit verify
expect_status 0 "audit verify passes"
expect_eq "$(db "SELECT length(content) FROM blobs")" "$(wc -c < photo.jpg | tr -d ' ')" "the shared bytes are still kept"

# A tombstone takes no more entries; a mail answering it files a new record.
before="$(snapshot)"
run "$L" log "$ext1" --type note "补充说明"
expect_status 5 "log on a tombstone is exit 5"
expect_contains "$err" "$ext1 was purged at 2026-12-01T09:00:00+08:00: a tombstone takes no more entries" "… saying why"
run "$L" reopen "$ext1" --reason "客户再次投诉"
expect_status 5 "reopen on a tombstone is exit 5"
expect_eq "$(snapshot)" "$before" "neither wrote anything"
cat >>liaison.toml <<'TOML'

[mail]
kind = "feedback"
unknown_kind = "feedback"
channel = "email"
quarantine = "quarantine"
TOML
mkdir -p quarantine
printf 'From: wang@svw.example.cn\r\nTo: complaints@factory.example.cn\r\nSubject: Re: [%s] still leaking\r\nMessage-ID: <tomb-1@svw.example.cn>\r\nDate: Tue, 1 Dec 2026 10:00:00 +0800\r\n\r\nThe seal leaks again.\r\n' "$ext1" > reply.eml
events_before="$(db "SELECT count(*) FROM events WHERE record_id = (SELECT id FROM records WHERE ref = '$ext1')")"
run sh -c '"$1" mail-in --no-acknowledge --format json <"$2"' sh "$L" reply.eml
expect_status 0 "mail-in takes a reply to a tombstone"
expect_eq "$(jq -r '.outcome' <<<"$out")" "filed" "… and files it as a new record"
expect_eq "$(jq -r '.ref' <<<"$out")" "EXT-2026-00001" "… under a new reference"
expect_eq "$(db "SELECT count(*) FROM events WHERE record_id = (SELECT id FROM records WHERE ref = '$ext1')")" \
  "$events_before" "the tombstone's history is unchanged"

# A tombstone's attachments: listed without names, never handed out.
run "$L" attachment list "$ext1" --format json
expect_eq "$(jq -r '.[0].name + "|" + .[0].media_type' <<<"$out")" "|image/jpeg" "attachment list shows it without its name"
run "$L" attachment get "$ext1" 1 --out got.bin
expect_status 4 "attachment get on a tombstone is exit 4"
expect_contains "$err" "$ext1: its attachments were purged at 2026-12-01T09:00:00+08:00" "… saying when they went"

# Tombstones travel: export → import → export is byte-identical, and the copy verifies.
run "$L" export --with-events --with-attachments --out all.jsonl
expect_status 0 "export with events and attachments"
expect_eq "$(grep -c '^{"type":"attachment"' all.jsonl)" "1" "only the live record's attachment is carried"
mkdir other && cp liaison.toml other/
(cd other && "$L" --db records.db init --db-only >/dev/null 2>&1)
run "$L" --db "$OTHER_DB" import all.jsonl
expect_status 0 "the tombstones import"
run "$L" --db "$OTHER_DB" export --with-events --with-attachments --out again.jsonl
cmp -s all.jsonl again.jsonl && pass "export → import → export is byte-identical" || fail "the round trip differs"
run "$L" --db "$OTHER_DB" audit verify
expect_status 0 "the imported database verifies"
expect_eq "$(other_db "SELECT count(*) FROM records WHERE purged_at IS NOT NULL")" "2" "… with its two tombstones"

# Tampering with a tombstone is still caught.
save_db clean.db
filed="$(db "SELECT min(id) FROM events WHERE record_id = (SELECT id FROM records WHERE ref = '$ext1')")"
db "DROP TRIGGER events_no_update; UPDATE events SET data = json_set(data, '\$.owner', 'sales') WHERE id = $filed"
run "$L" audit verify
expect_status 1 "a tombstone's event altered afterwards is caught"
expect_contains "$err$out" "event $filed" "… at that event"
restore_db clean.db
open_event="$(db "SELECT max(id) FROM events WHERE record_id = (SELECT id FROM records WHERE ref = '$ext3')")"
db "DROP TRIGGER events_no_update; UPDATE events SET data = '{}' WHERE id = $open_event"
run "$L" audit verify
expect_status 1 "text taken out of an event without a purge is caught"
restore_db clean.db
db "UPDATE records SET outcome = 'rejected' WHERE ref = '$ext1'"
run "$L" audit verify
expect_status 1 "a tombstone's record row altered is caught"
restore_db clean.db
open_event="$(db "SELECT max(e.id) FROM events e JOIN records r ON r.id = e.record_id WHERE r.status <> 'closed'")"
run_sql "UPDATE events SET data = '{}' WHERE id = $open_event"
expect_status "$SQL_REFUSED" "the trigger refuses to change an event of an open record"
expect_contains "$err" "events are append-only" "… saying why"
run_sql "UPDATE events SET actor = 'mallory' WHERE id = $filed"
expect_status "$SQL_REFUSED" "… or any field but the data of a closed one"
run "$L" audit verify
expect_status 0 "the database is as it was"

# Configuration: anonymise_after must be a period shorter than retention.
sed -i 's/anonymise_after = "1y"/anonymise_after = "3y"/' liaison.toml
run "$L" config check
expect_status 78 "anonymise_after not shorter than retention is refused"
expect_contains "$err" 'anonymise_after "3y" is not shorter than retention "3y"' "… saying so"
sed -i 's/anonymise_after = "3y"/anonymise_after = "soon"/' liaison.toml
run "$L" config check
expect_status 78 "a malformed anonymise_after is refused"
expect_contains "$err" 'malformed anonymise_after "soon"' "… saying so"

finish
