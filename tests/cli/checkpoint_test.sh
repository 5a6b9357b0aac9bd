#!/usr/bin/env bash
# Signed checkpoints (issue 10, "anchored, signed history"): `audit checkpoint --key`
# signs the chain's newest event and hash with an Ed25519 key kept outside the database,
# stores it and prints it; `audit verify --checkpoints FILE | --trusted-key KEY` then
# catches what the chain alone cannot: the newest events deleted, and the chain rewritten
# and recomputed from some event on — and a checkpoint forged or altered to match.
# The signature is checked here independently with openssl(1), from the format the man
# page gives; the attacks are played with the sqlite3 shell, triggers dropped.
# Needs openssl(1), sqlite3(1), jq(1) and python3 (scripts/setup installs them).
. "$(dirname "$0")/lib.sh"

setup_workdir
master="$PWD"

# ---------------------------------------------------------------------------------------
# The keys: the auditor's, and an attacker's.
openssl genpkey -algorithm ed25519 -out auditor.key 2>/dev/null
openssl pkey -in auditor.key -pubout -out auditor.pub 2>/dev/null
openssl genpkey -algorithm ed25519 -out mallory.key 2>/dev/null
chmod 600 auditor.key mallory.key
[ -s auditor.key ] && [ -s auditor.pub ] && pass "openssl made the keys" || fail "openssl genpkey failed"

# An empty history has nothing to sign (exit 5), and writes nothing.
fails 5 "nothing to checkpoint" "an empty history cannot be checkpointed" "$L" audit checkpoint --key auditor.key

# Some history: two records, a close, and notes at the end (a note changes no record
# field, so deleting notes leaves the records consistent with what remains).
at 2026-09-21T10:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
at 2026-09-21T10:05:00+08:00
run "$L" file --kind complaint --party svw --channel email --subject "批次 2609 支架尺寸超差"
expect_status 0 "file EXT-1"
at 2026-09-21T10:30:00+08:00
run "$L" file --kind complaint --from production --channel memo --subject "来料检验延误"
expect_status 0 "file INT-1"
at 2026-09-21T11:00:00+08:00
run "$L" log EXT-2026-00001 "已电话告知客户正在调查"
early_note="$(db "SELECT max(id) FROM events")"
at 2026-09-22T16:00:00+08:00
run "$L" close EXT-2026-00001 --resolution "更换冲孔模具" --reply-via email
expect_status 0 "close EXT-1"

# ---------------------------------------------------------------------------------------
# Refusals before anything is signed; each leaves the database as it was.
chmod 644 auditor.key
fails 77 "may be read by others (mode 0644)" "a key others may read is refused, as ssh refuses one" \
  "$L" audit checkpoint --key auditor.key
expect_contains "$err" "chmod 600 auditor.key" "… saying how to fix it"
chmod 600 auditor.key
fails 4 "cannot read the key missing.key" "a missing key file is 4" "$L" audit checkpoint --key missing.key
cp auditor.pub public-as-private.key && chmod 600 public-as-private.key
fails 65 "is not an Ed25519 private key in PEM" "a public key is not a signing key" \
  "$L" audit checkpoint --key public-as-private.key
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa.key 2>/dev/null && chmod 600 rsa.key
fails 65 "is not an Ed25519 private key in PEM" "an RSA key is refused" "$L" audit checkpoint --key rsa.key
expect_contains "$err" "openssl genpkey -algorithm ed25519" "… saying how to make the right one"
fails 77 "may not write a checkpoint" "a staff member may not write checkpoints" \
  env LIAISON_USER=zheng.tao "$L" audit checkpoint --key auditor.key
run "$L" audit checkpoint
expect_status 2 "--key is required"

# ---------------------------------------------------------------------------------------
# The first checkpoint: printed, stored, and verifiable by openssl from the man page's format.
run env LIAISON_USER=he.min "$L" audit checkpoint --key auditor.key
expect_status 0 "an auditor writes a checkpoint"
cp1="$out"
tip="$(db "SELECT max(id) FROM events")"
tip_hash="$(db "SELECT hash FROM events WHERE id = $tip")"
expect_eq "$(printf '%s\n' "$cp1" | head -1)" "-----BEGIN LIAISON CHECKPOINT-----" "the block begins with BEGIN"
expect_eq "$(printf '%s\n' "$cp1" | tail -1)" "-----END LIAISON CHECKPOINT-----" "… and ends with END"
expect_contains "$cp1" "event: $tip" "it names the newest event"
expect_contains "$cp1" "hash: $tip_hash" "… and its chain hash"
expect_eq "$(db 'SELECT count(*) FROM checkpoints')" "1" "it is stored"
expect_eq "$(db 'SELECT event_id || " " || event_hash FROM checkpoints')" "$tip $tip_hash" "… with the event and hash"
expect_eq "$(db 'SELECT count(*) FROM events')" "$tip" "writing a checkpoint adds no event"
line() { printf '%s\n' "$1" | sed -n "s/^$2: //p"; }
pub_hex="$(openssl pkey -pubin -in auditor.pub -outform DER 2>/dev/null | tail -c 32 | od -An -tx1 | tr -d ' \n')"
expect_eq "$(line "$cp1" key)" "$pub_hex" "the key line is the auditor's raw public key"
expect_match "$(line "$cp1" at)" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "at is UTC"
# The real clock, not --now (which says 2026-09-22).
expect_not_contains "$(line "$cp1" at)" "2026-09-22T08:00" "at is the real clock, not --now"
printf 'liaison checkpoint 1\nevent: %s\nhash: %s\nat: %s\nkey: %s\n' "$(line "$cp1" event)" "$(line "$cp1" hash)" \
  "$(line "$cp1" at)" "$(line "$cp1" key)" > statement
python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' "$(line "$cp1" signature)" > signature.bin
if openssl pkeyutl -verify -pubin -inkey auditor.pub -rawin -in statement -sigfile signature.bin >/dev/null 2>&1; then
  pass "openssl verifies the signature over the statement the man page describes"
else
  fail "openssl does not verify the checkpoint's signature"
fi
printf 'x' >> statement
if openssl pkeyutl -verify -pubin -inkey auditor.pub -rawin -in statement -sigfile signature.bin >/dev/null 2>&1; then
  fail "openssl verifies a changed statement"
else
  pass "… and not a changed one"
fi

# The kept copy: a mail, with text around the block.
{ printf 'From: liaison@example.cn\nSubject: checkpoint\n\n'; printf '%s\n' "$cp1"; printf -- '-- \n周建国\n'; } > kept.txt

# More history, then a second checkpoint, as JSON.
at 2026-09-23T09:00:00+08:00
run "$L" log INT-2026-00001 "已通知采购部" --type email
at 2026-09-24T09:00:00+08:00
run "$L" log EXT-2026-00001 "客户确认关闭"
run "$L" log EXT-2026-00001 "客户来电致谢"
run "$L" --format json audit checkpoint --key auditor.key
expect_status 0 "a second checkpoint, as JSON"
cp2_event="$(printf '%s' "$out" | jq -r .event)"
expect_eq "$cp2_event" "$(db 'SELECT max(id) FROM events')" "… of the newest event"
printf '%s' "$out" | jq -j .text >> kept.txt
expect_eq "$(grep -c 'BEGIN LIAISON CHECKPOINT' kept.txt)" "2" "two checkpoints kept"

# The checkpoints table is append-only.
run sqlite3 -batch records.db "UPDATE checkpoints SET event_id = 1"
expect_contains "$err" "checkpoints are append-only" "UPDATE of a checkpoint is refused"
run sqlite3 -batch records.db "DELETE FROM checkpoints"
expect_contains "$err" "checkpoints are append-only" "DELETE of a checkpoint is refused"

# ---------------------------------------------------------------------------------------
# The untouched database holds its checkpoints.
run "$L" audit verify --checkpoints kept.txt
expect_status 0 "verify --checkpoints on the untouched database"
expect_contains "$out" "2 checkpoints hold" "… both hold"
run "$L" audit verify --trusted-key auditor.pub
expect_status 0 "verify --trusted-key (PEM)"
expect_contains "$out" "2 checkpoints hold" "… the two stored"
run "$L" audit verify --trusted-key "$pub_hex"
expect_status 0 "verify --trusted-key (hex)"
run "$L" audit verify --checkpoints kept.txt --trusted-key auditor.pub
expect_status 0 "both"
expect_contains "$out" "4 checkpoints hold" "… the kept and the stored"
run_stdin "$(cat kept.txt)" "$L" audit verify --checkpoints -
expect_status 0 "--checkpoints - reads standard input"
run "$L" --format json audit verify --checkpoints kept.txt
expect_status 0 "verify --format json"
expect_eq "$(printf '%s' "$out" | jq -r '"\(.checkpoints.ok) \(.checkpoints.checked) \(.ok)"')" \
  "true 2 true" "JSON: checkpoints ok, 2 checked"
run "$L" --format json audit verify
expect_eq "$(printf '%s' "$out" | jq -r .checkpoints)" "null" \
  "JSON: checkpoints null when not asked for"
run "$L" query "SELECT event_id, public_key FROM checkpoints ORDER BY id"
expect_status 0 "the checkpoints view"
expect_contains "$out" "$pub_hex" "… shows the signer's key"

# Every report names the newest checkpoint in its provenance.
run "$L" --now 2026-10-01T09:00:00+08:00 report --period 2026-09 --format json
expect_status 0 "a report"
expect_eq "$(printf '%s' "$out" | jq -r '"\(.provenance.checkpoint.event) \(.provenance.checkpoint.key)"')" \
  "$cp2_event $pub_hex" "the report's provenance names the newest checkpoint: its event and key"
run "$L" --now 2026-10-01T09:00:00+08:00 report --period 2026-09
expect_match "$out" "Latest checkpoint +#$cp2_event · [0-9T:-]+Z · key ${pub_hex:0:16}" "… and so does the text report"

# Bad input for verify: clear errors, documented statuses.
run "$L" audit verify --checkpoints nowhere.txt
expect_status 4 "a missing --checkpoints file is 4"
printf 'nothing here\n' > empty.txt
run "$L" audit verify --checkpoints empty.txt
expect_status 65 "a file without checkpoints is 65"
expect_contains "$err" "holds no checkpoint" "… saying so"
sed 's/^hash: .*/hash: xyz/' kept.txt > malformed.txt
run "$L" audit verify --checkpoints malformed.txt
expect_status 65 "a malformed checkpoint is 65"
expect_contains "$err" "checkpoint 1: \"xyz\" is not a valid hash" "… naming the block and the field"
head -n 8 kept.txt > unterminated.txt
run "$L" audit verify --checkpoints unterminated.txt
expect_status 65 "a checkpoint without END is 65"
run "$L" audit verify --trusted-key "not a key"
expect_status 65 "a --trusted-key that is no key is 65"
expect_contains "$err" "neither an Ed25519 public key in PEM nor 64 hex digits" "… saying what it takes"

# A copy altered (the hash of another event swapped in) no longer matches its signature.
other_hash="$(db "SELECT hash FROM events WHERE id = 2")"
awk -v h="$other_hash" 'BEGIN{done=0} /^hash: / && !done {print "hash: " h; done=1; next} {print}' kept.txt > altered.txt
run "$L" audit verify --checkpoints altered.txt
expect_status 1 "an altered kept checkpoint fails"
expect_contains "$err" "does not match its signature" "… its signature no longer matches"

# ---------------------------------------------------------------------------------------
# The attacks. Each starts from a copy of the untouched database.
fresh_copy() {
  cd "$master" || exit 2
  rm -rf "$master/attack-$1"
  mkdir "$master/attack-$1"
  cp records.db liaison.toml kept.txt auditor.pub mallory.key "$master/attack-$1/"
  cd "$master/attack-$1" || exit 2
}
drop_triggers() {
  sqlite3 -batch records.db 'DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; DROP TRIGGER events_append_only;'
}
# rehash_from ID: recompute every hash from event ID on, each linked to the one before.
rehash_from() {
  local i n prev
  n="$(db 'SELECT max(id) FROM events')"
  for ((i = $1; i <= n; i++)); do
    prev="$(db "SELECT coalesce((SELECT hash FROM events WHERE id = $((i - 1))), '')")"
    db "UPDATE events SET prev_hash = '$prev' WHERE id = $i"
    redigest "$i"
    db "UPDATE events SET hash = '$(event_digest "$i")' WHERE id = $i"
  done
}

# (a) The newest events deleted: the chain alone still verifies, the checkpoints do not.
fresh_copy a
drop_triggers
db "DELETE FROM events WHERE id > $tip"
run "$L" audit verify
expect_status 0 "(a) the chain alone does not see the deleted tail (the limit checkpoints lift)"
run "$L" audit verify --checkpoints kept.txt
expect_status 1 "(a) --checkpoints catches the deleted tail"
expect_contains "$err" "history not as checkpointed: the checkpoint of event $cp2_event" "(a) … naming the checkpoint"
expect_contains "$err" "the history ends at event $tip; events were removed" "(a) … and what was done"
run "$L" audit verify --trusted-key auditor.pub
expect_status 1 "(a) --trusted-key catches it from the stored checkpoints"

# (b) An early event rewritten and the whole chain after it recomputed: the chain verifies,
# the checkpoints see another hash.
fresh_copy b
drop_triggers
db "UPDATE events SET data = replace(data, '已电话告知', '未告知') WHERE id = $early_note"
rehash_from "$early_note"
run "$L" audit verify
expect_status 0 "(b) a recomputed chain verifies on its own"
run "$L" audit verify --checkpoints kept.txt
expect_status 1 "(b) --checkpoints catches the recomputed chain"
expect_contains "$err" "the history's hash at event $tip is not the one signed" "(b) … at the first checkpoint"
run "$L" audit verify --trusted-key auditor.pub
expect_status 1 "(b) … and so does --trusted-key"

# (c) The same, and the stored checkpoints replaced by ones the attacker signs: the
# trusted key tells them apart.
fresh_copy c
drop_triggers
db "UPDATE events SET data = replace(data, '已电话告知', '未告知') WHERE id = $early_note"
rehash_from "$early_note"
sqlite3 -batch records.db 'DROP TRIGGER checkpoints_no_delete; DELETE FROM checkpoints;'
run "$L" audit verify --trusted-key auditor.pub
expect_status 1 "(c) no stored checkpoint at all fails --trusted-key"
expect_contains "$err" "holds no checkpoint signed by the trusted key" "(c) … saying so"
expect_contains "$err" "liaison audit checkpoint --key KEY" "(c) … and what to run"
chmod 600 mallory.key
run "$L" audit checkpoint --key mallory.key
expect_status 0 "(c) the attacker signs the forged chain with their own key"
run "$L" audit verify --trusted-key auditor.pub
expect_status 1 "(c) --trusted-key refuses the attacker's checkpoint"
expect_contains "$err" "not by the trusted key" "(c) … signed by another key"

finish
