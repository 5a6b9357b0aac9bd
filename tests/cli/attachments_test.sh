#!/usr/bin/env bash
# Attachments (issue 13, point 1), as a clerk, an auditor and an attacker use them:
#   1. file --attach and log --attach keep the files inside the database: numbered per
#      record, the media type found in the bytes (libmagic: a JPEG named .pdf is a JPEG),
#      size and SHA-256 as sha256sum gives them, the bytes kept once however often attached;
#      the event that added them lists them, so show and audit log name them;
#   2. attachment get writes the very bytes (stdout, --out, by number or name), refuses a
#      terminal, an ambiguous name and an unknown one (with did-you-mean);
#   3. bad input is refused before anything is written: a missing file, a folder, a file
#      over [attachments] max_size, a name with a control character; a bad max_size is a
#      config error;
#   4. below the record's level a reader sees that attachments exist, not their names,
#      types, sizes or digests (nor in the auditors' attachments view), and may not get them;
#   5. audit verify passes, and finds swapped bytes, an edited description and a removed
#      attachment (get refuses swapped bytes too);
#   6. export --with-events --with-attachments → import → export is byte-identical, the
#      import verifies; an export without the attachment lines, or with bytes that are not
#      the digest's, imports nothing;
#   7. a backup holds them.
. "$(dirname "$0")/lib.sh"

setup_workdir
sha() { sha256sum "$1" | cut -d' ' -f1; }

# The files a complaint arrives with: a JPEG photo (its magic bytes) under a Chinese
# name, the same photo again under a name saying PDF, and an inspection sheet as text.
printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb' > 照片.jpg
cp 照片.jpg disguised.pdf
printf '检验记录：孔径 12.08 mm，超差 0.08 mm\n' > 检验记录.txt
printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%%%EOF\n' > 8D报告.pdf

# ---------------------------------------------------------------------------------------
# 1. Attaching.
at 2026-09-21T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "party add"
at 2026-09-21T10:00:00+08:00
run "$L" file --kind complaint --party svw --channel email --subject "来料孔径超差" \
  --attach 照片.jpg --attach 检验记录.txt --attach disguised.pdf
expect_status 0 "file with three attachments"
ref="$out"
expect_eq "$ref" "EXT-2026-00001" "the reference is printed as without attachments"
at 2026-09-21T11:00:00+08:00
run "$L" log "$ref" "客户发来 8D 报告" --type email --attach 8D报告.pdf
expect_status 0 "log with an attachment"

run "$L" attachment list "$ref" --format json
expect_status 0 "attachment list"
expect_eq "$(jq -r '[.[] | .n] | join(",")' <<<"$out")" "1,2,3,4" "numbered 1 to 4 within the record"
expect_eq "$(jq -r '[.[] | .name] | join(",")' <<<"$out")" "照片.jpg,检验记录.txt,disguised.pdf,8D报告.pdf" \
  "names without folders, in the order added"
expect_eq "$(jq -r '[.[] | .media_type] | join(",")' <<<"$out")" "image/jpeg,text/plain,image/jpeg,application/pdf" \
  "media types from the bytes: the JPEG named .pdf is a JPEG"
expect_eq "$(jq -r '.[1].size' <<<"$out")" "$(stat -c %s 检验记录.txt)" "size in bytes"
expect_eq "$(jq -r '.[0].sha256' <<<"$out")" "$(sha 照片.jpg)" "the digest is sha256sum's"
expect_eq "$(jq -r '[.[] | .event] | join(",")' <<<"$out")" "2,2,2,3" "each names the event that added it"
expect_eq "$(jq -r '[.[] | .redacted] | unique | join(",")' <<<"$out")" "false" "nothing redacted for a cleared reader"
expect_eq "$(db "SELECT count(*) FROM blobs")" "3" "the same photo attached twice is kept once"
expect_eq "$(db "SELECT count(*) FROM attachments")" "4" "four attachments"
expect_eq "$(db "SELECT json_extract(data, '\$.attachments[2].sha256') FROM events WHERE type = 'filed'")" \
  "$(sha disguised.pdf)" "the filed event lists the digests its hash covers"

run "$L" show "$ref"
expect_contains "$out" "(attached: 照片.jpg, 检验记录.txt, disguised.pdf)" "show names what the filing attached"
expect_contains "$out" "(attached: 8D报告.pdf)" "… and what the email entry attached"
run "$L" --lang zh audit log --ref "$ref"
expect_contains "$out" "（附件：8D报告.pdf）" "audit log in Chinese names them too"
run "$L" attachment list "$ref" --format tsv
expect_eq "$(cut -f1,2,3 <<<"$out" | sed -n 4p)" "$(printf '4\t8D报告.pdf\tapplication/pdf')" "TSV rows for scripts"

# ---------------------------------------------------------------------------------------
# 2. Getting one back.
run_bytes() { "$L" "$@" > got.bin 2>got.err; status=$?; err="$(cat got.err)"; }
run_bytes attachment get "$ref" 1
expect_status 0 "get by number to stdout"
cmp -s got.bin 照片.jpg && pass "the very bytes of the photo" || fail "the bytes differ from the photo"
run_bytes attachment get "$ref" 8D报告.pdf
expect_status 0 "get by name"
cmp -s got.bin 8D报告.pdf && pass "the very bytes of the PDF" || fail "the bytes differ from the PDF"
run "$L" attachment get "$ref" 2 --out copy.txt
expect_status 0 "get --out"
expect_eq "$out" "wrote attachment 2 of EXT-2026-00001 (检验记录.txt, $(stat -c %s 检验记录.txt) bytes) to copy.txt" "it says what it wrote"
cmp -s copy.txt 检验记录.txt && pass "--out holds the bytes" || fail "--out differs"
run "$L" attachment get "$ref" 照片.jpeg
expect_status 4 "an unknown name is exit 4"
expect_contains "$err" "EXT-2026-00001 has no attachment 照片.jpeg" "… naming it"
expect_contains "$err" "照片.jpg" "… with did-you-mean"
run "$L" attachment get "$ref" 9
expect_status 4 "an unknown number is exit 4"
run "$L" attachment get EXT-2026-00099 1
expect_status 4 "an unknown record is exit 4"
at 2026-09-21T11:30:00+08:00
run "$L" log "$ref" "复检记录" --attach 检验记录.txt
expect_status 0 "the inspection sheet attached again"
run "$L" attachment get "$ref" 检验记录.txt
expect_status 65 "a name two attachments share is ambiguous"
expect_contains "$err" "several attachments named 检验记录.txt: 2, 5" "… listing their numbers"
printf -v cmd '%q ' "$L" attachment get "$ref" 1
script -qec "$cmd" /dev/null </dev/null >tty.out
tty_status=$?
expect_eq "$tty_status" "2" "a terminal is refused (exit 2)"
expect_contains "$(tr -d '\r' <tty.out)" "not writing an attachment's bytes to a terminal" "… saying so"
expect_not_contains "$(cat tty.out)" "JFIF" "… and writing none of the bytes"

# ---------------------------------------------------------------------------------------
# 3. Bad input, refused before anything is written.
before="$(snapshot)"
blobs_before="$(db "SELECT count(*) FROM blobs")"
run "$L" file --kind complaint --party svw --channel email --subject "x" --attach missing.jpg
expect_status 4 "a missing file is exit 4"
expect_contains "$err" "cannot read missing.jpg to attach it" "… naming it"
mkdir folder
run "$L" log "$ref" "x" --attach folder
expect_status 65 "a folder is exit 65"
expect_contains "$err" "folder is not a regular file" "… saying so"
mkfifo pipe
run "$L" log "$ref" "x" --attach pipe
expect_status 65 "a FIFO is refused at once, not waited on"
name=$'bad\nname.txt'
printf 'x' > "$name"
run "$L" log "$ref" "x" --attach "$name"
expect_status 65 "a name with a line break is exit 65"
cp liaison.toml big.toml
printf '\n[attachments]\nmax_size = 20\n' >> big.toml
run "$L" --config big.toml log "$ref" "x" --attach 检验记录.txt
expect_status 65 "a file over [attachments] max_size is exit 65"
expect_contains "$err" "检验记录.txt is $(stat -c %s 检验记录.txt) bytes, more than [attachments] max_size (20 bytes)" "… with both sizes"
expect_contains "$err" "raise [attachments] max_size" "… and what to do"
run "$L" --config big.toml file --kind complaint --party svw --channel email --subject "x" --attach 检验记录.txt
expect_status 65 "… for file too"
expect_eq "$(snapshot)" "$before" "nothing was written by the refused commands"
expect_eq "$(db "SELECT count(*) FROM blobs")" "$blobs_before" "… no bytes either"
for bad in 0 12578817 '"10MB"'; do
  cp liaison.toml bad.toml
  printf '\n[attachments]\nmax_size = %s\n' "$bad" >> bad.toml
  run "$L" --config bad.toml config check
  expect_status 78 "max_size = $bad is a config error"
done
expect_contains "$err" "max_size" "… naming the key"

# ---------------------------------------------------------------------------------------
# 4. Below the record's level: that they exist, nothing more.
at 2026-09-21T12:00:00+08:00
run "$L" file --kind complaint --party svw --channel email --level secret --subject "保密投诉" --attach 8D报告.pdf
expect_status 0 "a secret record with an attachment"
secret="$out"
run env LIAISON_USER=sun.qian "$L" attachment list "$secret" --format json
expect_status 0 "a reader cleared for internal lists a secret record's attachments"
expect_eq "$(jq -c '.[0] | [.n, .name, .media_type, .size, .sha256, .redacted]' <<<"$out")" \
  '[1,"[confidential]",null,null,null,true]' "… and sees only that there is one"
run env LIAISON_USER=sun.qian "$L" attachment get "$secret" 1
expect_status 77 "… and may not get it"
expect_not_contains "$out$err" "8D报告" "… nor learn its name from the error"
run env LIAISON_USER=sun.qian "$L" attachment get "$secret" 8D报告.pdf
expect_status 77 "guessing the name gets the same answer"
run env LIAISON_USER=sun.qian "$L" audit log --ref "$secret" --format json
expect_not_contains "$out" "8D报告" "the history does not name it either"
expect_not_contains "$out" "$(sha 8D报告.pdf)" "… nor give its digest"
expect_contains "$out" '"name": "[confidential]"' "… but shows that it exists"
run env LIAISON_USER=sun.qian "$L" export --with-events --with-attachments
expect_not_contains "$(grep "\"ref\":\"$secret\"" <<<"$out")" "$(sha 8D报告.pdf)" \
  "an export for that reader holds no digest of the secret record's attachment"
expect_eq "$(grep -c '"type":"attachment","ref":"'"$secret"'"' <<<"$out")" "0" "… and no attachment line of the secret record"

run "$L" query "SELECT ref, n, name, media_type, size, sha256, actor FROM attachments WHERE ref = '$secret'"
expect_eq "$out" "$(printf '%s\t1\t8D报告.pdf\tapplication/pdf\t%s\t%s\tzhou.jianguo' "$secret" "$(stat -c %s 8D报告.pdf)" "$(sha 8D报告.pdf)")" \
  "the auditors' attachments view describes them"
run env LIAISON_USER=sun.qian "$L" query "SELECT ref, n, name, media_type, size, sha256 FROM attachments WHERE ref = '$secret'"
expect_eq "$out" "$(printf '%s\t1\t[confidential]\t\t\t' "$secret")" "… and below the level only that one exists"
if [ "$LIAISON_TEST_DB" = postgres ]; then run "$L" query "SELECT encode(content, 'hex') FROM public.blobs"
else run "$L" query "SELECT hex(content) FROM main.blobs"; fi
expect_status 77 "the bytes behind the view cannot be read by query"

# ---------------------------------------------------------------------------------------
# 5. audit verify.
run "$L" audit verify --format json
expect_status 0 "audit verify passes"
expect_eq "$(jq -c '[.attachments, .attachments_ok, .attachment_problem]' <<<"$out")" '[6,true,null]' \
  "… having checked every attachment"
save_db clean.db
tamper() {  # SQL on a fresh copy of the clean database, with the triggers out of the way
  restore_db clean.db
  if [ "$LIAISON_TEST_DB" = postgres ]; then  # an owner switching the guards off
    db "ALTER TABLE blobs DISABLE TRIGGER USER; ALTER TABLE attachments DISABLE TRIGGER USER; $1" >/dev/null
  else
    db "DROP TRIGGER blobs_no_update; DROP TRIGGER attachments_no_update; DROP TRIGGER attachments_no_delete; $1" >/dev/null
  fi
}
tamper "UPDATE blobs SET content = X'00' WHERE sha256 = '$(sha 照片.jpg)'"
run "$L" audit verify
expect_status 1 "swapped bytes are found"
expect_contains "$err" "the bytes kept for attachment 1 of record #1 do not hash to $(sha 照片.jpg)" "… naming the attachment"
run_bytes attachment get "$ref" 1
expect_status 1 "… and never handed out"
expect_eq "$(stat -c %s got.bin)" "0" "… not a byte of them"
tamper "UPDATE attachments SET name = 'harmless.txt' WHERE record_id = 1 AND n = 4"
run "$L" audit verify
expect_status 1 "an edited name is found"
expect_contains "$err" "attachment 4 of record #1 is not what event 3 of its history lists" "… naming it"
tamper "DELETE FROM attachments WHERE record_id = 1 AND n = 2"
run "$L" audit verify --format json
expect_status 1 "a removed attachment is found"
expect_eq "$(jq -r .attachment_problem <<<"$out")" "attachment 2 that event 2 lists is not kept" "… in JSON too"
restore_db clean.db

# ---------------------------------------------------------------------------------------
# 6. Export and import, byte for byte.
run "$L" export --with-attachments
expect_status 2 "--with-attachments without --with-events is a usage error"
run "$L" --format csv export --with-events --with-attachments
expect_status 2 "… and so is CSV"
run "$L" export --with-events --with-attachments --out all.jsonl
expect_status 0 "export with attachments"
expect_contains "$out" "with 6 attachments" "it counts them"
expect_eq "$(grep -c '^{"type":"attachment"' all.jsonl)" "6" "one line per attachment"
expect_eq "$(jq -r 'select(.type == "attachment" and .n == 4) | .content' all.jsonl | base64 -d | sha256sum | cut -d' ' -f1)" \
  "$(sha 8D报告.pdf)" "the line carries the bytes in base64"
mkdir other && cp liaison.toml other/
(cd other && "$L" --db records.db init --db-only >/dev/null 2>&1)
run "$L" --db "$OTHER_DB" import all.jsonl
expect_status 0 "import with attachments"
expect_contains "$out" "with 6 attachments" "… restoring all of them"
run "$L" --db "$OTHER_DB" export --with-events --with-attachments --out again.jsonl
cmp -s all.jsonl again.jsonl && pass "export → import → export is byte-identical" || fail "the round trip differs"
run "$L" --db "$OTHER_DB" audit verify
expect_status 0 "the imported database verifies"
"$L" --db "$OTHER_DB" attachment get "$ref" 1 > got.bin
cmp -s got.bin 照片.jpg && pass "the imported photo is the photo" || fail "the imported photo differs"

mkdir third && cp liaison.toml third/
(cd third && "$L" --db records.db init --db-only >/dev/null 2>&1)
grep -v '^{"type":"attachment"' all.jsonl > no-files.jsonl
run "$L" --db third/records.db import no-files.jsonl
expect_status 65 "a history listing attachments the file does not bring is refused"
expect_contains "$err" "attachment 1 that event 1 of EXT-2026-00001 lists is not in the file" "… naming it"
expect_eq "$(sqlite3 third/records.db 'SELECT count(*) FROM records')" "0" "… and nothing is imported"
jq -c 'if .type == "attachment" and .n == 1 and .ref == "EXT-2026-00001" then .content = "AAAA" else . end' all.jsonl > swapped.jsonl
run "$L" --db third/records.db import swapped.jsonl
expect_status 65 "bytes that are not the digest's are refused"
expect_contains "$err" "says $(stat -c %s 照片.jpg) bytes, but its content has 3" "… saying what is wrong"
jq -c 'if .type == "attachment" and .n == 1 and .ref == "EXT-2026-00001" then .content = "not base64!" else . end' all.jsonl > bad64.jsonl
run "$L" --db third/records.db import bad64.jsonl
expect_status 65 "content that is not base64 is refused"
expect_contains "$err" "content: is not base64" "… saying so"
expect_eq "$(sqlite3 third/records.db 'SELECT count(*) FROM blobs')" "0" "no bytes were kept by the refused imports"

# The largest attachment max_size allows still travels: its base64 line fits the 16 MiB
# import reads (12 MiB itself would not).
mkdir limit && cd limit
cp ../liaison.toml . && printf '\n[attachments]\nmax_size = 12578816\n' >> liaison.toml
sqlite_here
"$L" init --db-only >/dev/null 2>&1
head -c 12578816 /dev/urandom > largest.bin
head -c 12578817 /dev/urandom > too-large.bin
run "$L" file --kind complaint --from production --channel memo --subject "最大附件" --attach largest.bin
expect_status 0 "a file of exactly the largest max_size is attached"
run "$L" file --kind complaint --from production --channel memo --subject "过大附件" --attach too-large.bin
expect_status 65 "one byte more is refused"
run "$L" export --with-events --with-attachments --out largest.jsonl
expect_status 0 "… exported"
expect_eq "$(LC_ALL=C awk '{ if (length($0) > m) m = length($0) } END { print (m <= 16777216) }' largest.jsonl)" "1" \
  "… on a line within import's 16 MiB"
mkdir again && cp liaison.toml again/ && (cd again && "$L" --db records.db init --db-only >/dev/null 2>&1)
run "$L" --db again/records.db import largest.jsonl
expect_status 0 "… and imported"
"$L" --db again/records.db attachment get INT-2026-00001 1 | cmp -s - largest.bin \
  && pass "… byte for byte" || fail "the largest attachment did not come back the same"
cd ..
main_db_again

# ---------------------------------------------------------------------------------------
# 7. A backup holds them.
run "$L" backup copy.db
expect_status 0 "backup"
"$L" --db copy.db attachment get "$ref" 8D报告.pdf > got.bin
cmp -s got.bin 8D报告.pdf && pass "the backup holds the PDF" || fail "the backup's PDF differs"

finish
