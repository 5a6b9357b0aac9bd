#!/usr/bin/env bash
# Input is checked at the edge, once, before anything is written (liaison(1), INPUT):
#   1. text that is not UTF-8 (stray bytes, GBK) in any option or on standard input is
#      exit 65 naming the field and the byte, with an iconv hint — in every writing command;
#   2. text past its size limit (a subject 64 KiB, a body, resolution or log text 1 MiB) is 65;
#   3. times outside 1970-01-01 … 9999-12-01 (--now, $LIAISON_NOW, --received) are exit 2;
#   4. a deadline that would fall after 9999-12-31 cannot be made (a --now in 9999 is the future: 5);
#   5. nothing is recorded on a record at a time before its latest event (exit 5);
#   6. 0wd and 0wh received exactly at the close of work: the next working close / moment,
#      as liaison.toml(5) says, never the receipt instant itself;
# and in every case the database is as it was and `audit verify` still says ok.
. "$(dirname "$0")/lib.sh"

setup_workdir
at 2026-09-21T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
run "$L" file --kind complaint --party svw --channel email --subject "尺寸超差"
expect_eq "$out" "EXT-2026-00001" "setup: a record"

bad=$'bad \xff\xfe text'
gbk=$'\xd6\xa7\xbc\xdc\xb3\xdf\xb4\xe7'  # 支架尺寸 in GBK

# --- 1. not UTF-8 ------------------------------------------------------------------------
fails 65 "the subject is not valid UTF-8 (byte 5)" "file --subject with stray bytes" \
  "$L" file --kind complaint --party svw --channel email --subject "$bad"
expect_contains "$err" "iconv -f GBK -t UTF-8" "… and says how to convert GBK text"
fails 65 "the subject is not valid UTF-8 (byte 3)" "file --subject in GBK (D6 A7 happens to be valid UTF-8; BC is not)" \
  "$L" file --kind complaint --party svw --channel email --subject "$gbk"
fails 65 "the field \"body\" is not valid UTF-8" "file --body in GBK" \
  "$L" file --kind complaint --party svw --channel email --subject "正常主题" --body "$gbk"
fails 65 "the text to log is not valid UTF-8" "log TEXT in GBK" \
  "$L" log EXT-2026-00001 "$gbk"
before="$(snapshot)"
run_stdin "$gbk" "$L" log EXT-2026-00001 -
expect_status 65 "log - with GBK on standard input: exit 65"
expect_eq "$(snapshot)" "$before" "log - with GBK on standard input: database unchanged"
fails 65 "is not valid UTF-8" "ack --note in GBK" "$L" ack EXT-2026-00001 --note "$gbk"
fails 65 "the resolution is not valid UTF-8" "close --resolution in GBK" \
  "$L" close EXT-2026-00001 --resolution "$gbk" --reply-via email
fails 65 "is not valid UTF-8" "party add NAME in GBK" "$L" party add "$gbk" --id gbk --type customer
# an overlong form and an encoded surrogate are not UTF-8 either
fails 65 "is not valid UTF-8 (byte 1)" "an overlong '/' (C0 AF)" \
  "$L" file --kind complaint --party svw --channel email --subject $'\xc0\xaf'
fails 65 "is not valid UTF-8 (byte 1)" "a surrogate (ED A0 80)" \
  "$L" file --kind complaint --party svw --channel email --subject $'\xed\xa0\x80'
run "$L" --lang zh file --kind complaint --party svw --channel email --subject "$bad"
expect_contains "$err" "主题不是有效的 UTF-8 文本（第 5 字节）" "--lang zh: the message is in Chinese"

# --- 2. sizes ----------------------------------------------------------------------------
big_subject="$(head -c 65537 /dev/zero | tr '\0' 'x')"
fails 65 "the subject is 65537 bytes long, more than the 65536 allowed" "a subject of 64 KiB + 1" \
  "$L" file --kind complaint --party svw --channel email --subject "$big_subject"
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' 'y' >big.txt
before="$(snapshot)"
"$L" file --kind complaint --party svw --channel email --subject "长正文" --body - <big.txt >/dev/null 2>"$_tmp_root/big.err"
expect_eq "$?" "65" "a body of 1 MiB + 1 on standard input: exit 65"
expect_contains "$(cat "$_tmp_root/big.err")" "the field \"body\" is 1048577 bytes long" "… saying how long it is"
expect_eq "$(snapshot)" "$before" "… database unchanged"
"$L" log EXT-2026-00001 - <big.txt >/dev/null 2>"$_tmp_root/big.err"
expect_eq "$?" "65" "a log text of 1 MiB + 1: exit 65"
head -c $((1024 * 1024)) /dev/zero | tr '\0' 'z' >max.txt
"$L" log EXT-2026-00001 - <max.txt >/dev/null 2>"$_tmp_root/max.err"
expect_eq "$?" "0" "a log text of exactly 1 MiB is taken"

# --- 3. times ----------------------------------------------------------------------------
fails 2 "--received: 1900-01-01 08:00 is outside the times liaison keeps" "--received in 1900" \
  "$L" file --kind complaint --party svw --channel email --subject "旧" --received "1900-01-01 08:00"
fails 2 "--now: 9999-12-15T09:00:00+08:00 is outside the times liaison keeps" "--now in December 9999" \
  "$L" --now 9999-12-15T09:00:00+08:00 file --kind complaint --party svw --channel email --subject "远"
before="$(snapshot)"
LIAISON_NOW=1969-12-31T09:00:00+08:00 run "$L" file --kind complaint --party svw --channel email --subject "早"
expect_status 2 "\$LIAISON_NOW in 1969: exit 2"
expect_contains "$err" "\$LIAISON_NOW: 1969-12-31T09:00:00+08:00 is outside" "… naming \$LIAISON_NOW"
expect_eq "$(snapshot)" "$before" "\$LIAISON_NOW in 1969: database unchanged"
run "$L" --lang zh --now 9999-12-15T09:00:00+08:00 list
expect_contains "$err" "超出 liaison 可记录的时间范围" "--lang zh: the time range message is in Chinese"

# --- 4. deadlines past 9999-12-31 -----------------------------------------------------------
# A deadline can run past 9999 only from a --now in the far future (a duration is at most
# 100000 units, some 400 years), and a writing command refuses any --now later than the
# clock (exit 5, tests/cli/bitemporal_test.sh); import checks its deadlines itself
# (tests/cli/exchange_test.sh).
cat >>liaison.toml <<'TOML'

[[kind]]
id = "longterm"
name = "长期事项"
name_en = "Long-term matter"
resolve = { internal = "60d" }
identity = "none"
channels = ["meeting"]
TOML
run "$L" config check
expect_status 0 "setup: a kind with a 60-day resolve clock"
fails 5 "is in the future" "a 60-day clock started in November 9999: refused before any deadline is computed" \
  "$L" --now 9999-11-20T09:00:00+08:00 file --kind longterm --from quality --to quality --channel meeting --subject "远期"

# --- 5. a history reads forward: nothing is recorded before a record's latest event ----------
at 2026-09-22T10:00:00+08:00
run "$L" file --kind complaint --party svw --channel email --subject "时间顺序" --received "2026-09-22 09:30"
expect_eq "$out" "EXT-2026-00002" "setup: a record filed 2026-09-22 10:00"
fails 5 "EXT-2026-00002: 2020-01-06T09:00:00+08:00 is before its latest event (2026-09-22T10:00:00+08:00)" \
  "an ack back-dated to 2020" "$L" --now 2020-01-06T09:00:00+08:00 ack EXT-2026-00002
fails 5 "is before its latest event" "an ack a minute before the filing" \
  "$L" --now 2026-09-22T09:59:00+08:00 ack EXT-2026-00002
run "$L" --now 2026-09-22T10:00:00+08:00 ack EXT-2026-00002
expect_status 0 "an ack at the very moment of the filing is taken"
run "$L" --now 2026-09-23T10:00:00+08:00 wait EXT-2026-00002 --reason "等客户寄回样件"
expect_status 0 "wait at 09-23 10:00"
fails 5 "is before its latest event" "a resume before its wait" \
  "$L" --now 2026-09-23T09:00:00+08:00 resume EXT-2026-00002
fails 5 "is before its latest event" "a close before the wait" \
  "$L" --now 2026-09-22T15:00:00+08:00 close EXT-2026-00002 --resolution "已处理" --reply-via email
run "$L" --lang zh --now 2020-01-06T09:00:00+08:00 log EXT-2026-00002 "补记"
expect_contains "$err" "不能倒着记录历史" "--lang zh: the message is in Chinese"
run "$L" --now 2026-09-24T09:00:00+08:00 resume EXT-2026-00002
expect_status 0 "a resume after its wait is taken"

# --- the history is whole after all of it ------------------------------------------------
run "$L" audit verify
expect_status 0 "audit verify after every refused input: ok"
run "$L" export --out all.jsonl
expect_status 0 "export after every refused input"
mkdir again && cp liaison.toml again/ && cd again && "$L" --db records.db init --db-only >/dev/null 2>&1
run "$L" --db records.db import ../all.jsonl
expect_status 0 "… and its export imports again"
run "$L" --db records.db audit verify
expect_status 0 "… and verifies"
cd ..

# --- 6. 0wd / 0wh at the close -------------------------------------------------------------
# A notice (resolve 0wd) received at 17:30 on Tue 2026-09-22, the very end of its working
# hours (08:30–12:00, 13:00–17:30): due at the close of the next working day, Wed 09-23.
at 2026-09-22T17:30:00+08:00
run "$L" file --kind notice --from hr --channel oa --subject "放假通知"
notice="$out"
expect_status 0 "a notice filed at the close"
expect_eq "$(db "SELECT due FROM records WHERE ref = '$notice'")" "$(date -d 2026-09-23T17:30:00+08:00 +%s)" \
  "0wd received at the close: due at the next working day's close, not at the receipt"
at 2026-09-22T17:29:00+08:00
run "$L" file --kind notice --from hr --channel oa --subject "放假通知 2"
expect_eq "$(db "SELECT due FROM records WHERE ref = '$out'")" "$(date -d 2026-09-22T17:30:00+08:00 +%s)" \
  "0wd received a minute before the close: due that close"
# 0wh: the clock starts at the next working moment; that is the deadline.
cp liaison.toml zero.toml
sed -i '/^id = "notice"$/,/^resolve = /s/^resolve = .*/resolve = { internal = "0wh" }/' zero.toml
at 2026-09-22T17:30:00+08:00
run "$L" --config zero.toml file --kind notice --from hr --channel oa --subject "放假通知 3"
expect_eq "$(db "SELECT due FROM records WHERE ref = '$out'")" "$(date -d 2026-09-23T08:30:00+08:00 +%s)" \
  "0wh received at the close: due at the next working moment"
at 2026-09-23T10:00:00+08:00
run "$L" --config zero.toml file --kind notice --from hr --channel oa --subject "放假通知 4"
expect_eq "$(db "SELECT due FROM records WHERE ref = '$out'")" "$(date -d 2026-09-23T10:00:00+08:00 +%s)" \
  "0wh received inside working hours: due at once"

# --- [limits]: one size limit per field, configurable, the same for commands and import --
cp liaison.toml small.toml
printf '\n[limits]\nsubject = 300\ntext = 1024\n' >>small.toml
run "$L" --config small.toml config check
expect_status 0 "[limits] subject = 300, text = 1024: a valid config"
run "$L" --config small.toml --format json config show
expect_eq "$(jq -c .limits <<<"$out")" '{"subject":300,"text":1024}' "config show gives the limits"
at 2026-09-23T11:00:00+08:00
long_text="$(head -c 1025 /dev/zero | tr '\0' 'y')"
fails 65 "is 1025 bytes long, more than the 1024 allowed" "a log text over [limits] text" \
  "$L" --config small.toml log EXT-2026-00001 "$long_text"
fails 65 "is 301 bytes long, more than the 300 allowed" "a subject over [limits] subject" \
  "$L" --config small.toml file --kind complaint --party svw --channel email --subject "$(head -c 301 /dev/zero | tr '\0' 's')"
run "$L" --config small.toml log EXT-2026-00001 "$(head -c 1024 /dev/zero | tr '\0' 'y')"
expect_status 0 "a log text of exactly [limits] text is taken"
# import keeps the same limits: an export made under the default limits, with a body
# longer than 1024 bytes, does not import under the small ones (and does under the default).
run "$L" file --kind complaint --party svw --channel email --subject "长正文" --body "$long_text"
expect_status 0 "a record with a 1025-byte body, under the default limits"
run "$L" export --with-events --out limits.jsonl
run "$L" --config small.toml --db small.db init --db-only
run "$L" --config small.toml --db small.db import limits.jsonl
expect_status 65 "import refuses a body over [limits] text"
expect_contains "$err" "body: " "… naming the field"
for bad in "text = 100" "text = 9000000" "subject = \"64KiB\"" "lines = 3"; do
  cp liaison.toml bad-limits.toml
  printf '\n[limits]\n%s\n' "$bad" >>bad-limits.toml
  run "$L" --config bad-limits.toml config check
  expect_status 78 "[limits] $bad is refused"
done
expect_contains "$err" 'unknown key "lines"' "… an unknown key named"

finish
