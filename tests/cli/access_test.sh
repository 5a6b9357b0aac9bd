#!/usr/bin/env bash
# Access control and confidentiality (liaison(1) ACCESS CONTROL):
#  - each role against each writing command: exit 77 with who may where refused (and the
#    database unchanged), success where allowed;
#  - redaction: a confidential record's subject, body and history text never reach a
#    low-clearance user through list, show, report, overdue or remind --dry-run;
#  - the complainant's identity: anonymous filing, a required identity, show --identity
#    allowed and refused, the identity-viewed event, the identity never in events.data.
# The example config, plus a user with the grievance role and a kind that requires an
# identity (a test-local copy; the example itself stays as it is).
. "$(dirname "$0")/lib.sh"

# A work directory with the example config and the grievance additions.
setup_access_workdir() {
  setup_workdir
  cat >>liaison.toml <<'TOML'

[[user]]
id = "lin.mei"
name = "林梅"                        # 申诉受理 (test only)
department = "hr"
roles = ["grievance"]
clearance = "secret"
email = "lin.mei@example.cn"

[[kind]]
id = "grievance"
name = "申诉"
resolve = { internal = "10wd" }
identity = "required"
TOML
}
setup_access_workdir
run "$L" config check
expect_status 0 "the test config (example + grievance user + grievance kind) is valid"

# Who is who in the example config (records below are owned by quality, 品质部):
#   gao.feng  staff of quality (owner), clearance secret
#   zhang.wei staff of sales, secret         li.xue   staff of sales, internal
#   ma.jun    head of quality, confidential  liu.yang head of sales, confidential
#   chen.zhiqiang top management, confidential
#   sun.qian  staff + admin of mgmt, internal
#   he.min    auditor, confidential
#   lin.mei   grievance (hr), secret
#   tester    not a [[user]]
roles="gao.feng zhang.wei ma.jun liu.yang chen.zhiqiang sun.qian he.min lin.mei tester"
may_write() { case "$1" in he.min | tester) return 1 ;; *) return 0 ;; esac; }
may_act() { case "$1" in gao.feng | ma.jun | chen.zhiqiang | sun.qian) return 0 ;; *) return 1 ;; esac; }

# --- the base database: three quality records (open, waiting, closed) and a party -------
at 2026-09-21T09:00:00+08:00
file_internal() { "$L" file --kind complaint --from production --channel oral --to quality "$@"; }
run file_internal --subject "open one"
expect_eq "$out" "INT-2026-00001" "INT-1 (open) filed"
run file_internal --subject "waiting one"
run "$L" wait INT-2026-00002 --reason "samples"
expect_status 0 "INT-2 waits"
run file_internal --subject "closed one"
run "$L" close INT-2026-00003 --resolution "done" --reply-via oral
expect_status 0 "INT-3 closed"
run "$L" party add "上汽大众" --id svw --type customer
expect_status 0 "party svw registered"
save_db base.db

# check ROLE CMD HINT ARGS...: runs ARGS as ROLE; exit 0 when allowed (may_write/may_act
# by CMD's class), else 77 with 'liaison: ' and HINT in stderr and nothing changed.
check() {
  local role="$1" class="$2" hint="$3"
  shift 3
  local allowed=1
  if [ "$class" = write ]; then may_write "$role" && allowed=0; else may_act "$role" && allowed=0; fi
  local before
  before="$(snapshot)"
  run env LIAISON_USER="$role" "$@"
  if [ "$allowed" = 0 ]; then
    expect_status 0 "$role may $*"
  else
    expect_status 77 "$role may not $*: exit 77"
    expect_err_prefix "$role $*: error message"
    expect_contains "$err" "$hint" "$role $*: says who may"
    expect_eq "$(snapshot)" "$before" "$role $*: database unchanged"
  fi
}

use_fake_sendmail
for role in $roles; do
  restore_db base.db
  rm -f records.db-wal records.db-shm
  case "$role" in
    he.min) write_hint="any listed user who is not an auditor may" ;;
    tester) write_hint="act as a listed user with --as or \$LIAISON_USER, or add a [[user]] entry" ;;
    *) write_hint="-" ;;
  esac
  case "$role" in
    tester | he.min) act_hint="$write_hint" ;;
    *) act_hint="only members or the head of 品质部 (quality), top management or an admin may" ;;
  esac
  check "$role" write "$write_hint" "$L" file --kind complaint --from production --channel oral --to quality --subject x
  check "$role" write "$write_hint" "$L" log INT-2026-00001 "a note"
  check "$role" write "$write_hint" "$L" escalate INT-2026-00001 --to gm --reason "no answer"
  check "$role" write "$write_hint" "$L" party add "某供应商" --id "p-${role%%.*}" --type supplier
  check "$role" write "$write_hint" "$L" party edit svw --phone 021-1
  check "$role" write "$write_hint" "$L" remind
  check "$role" act "$act_hint" "$L" ack INT-2026-00001
  check "$role" act "$act_hint" "$L" wait INT-2026-00001 --reason "on hold"
  check "$role" act "$act_hint" "$L" resume INT-2026-00002
  check "$role" act "$act_hint" "$L" close INT-2026-00001 --resolution "fixed" --reply-via oral
  check "$role" act "$act_hint" "$L" reopen INT-2026-00003 --reason "recurred"
  check "$role" act "$act_hint" "$L" route INT-2026-00003 --to engineering --reason "drawings"
  # Reading is open to everyone (at their clearance).
  run env LIAISON_USER="$role" "$L" show INT-2026-00001
  expect_status 0 "$role may show"
  run env LIAISON_USER="$role" "$L" list --status all
  expect_status 0 "$role may list"
  run env LIAISON_USER="$role" "$L" remind --dry-run
  expect_status 0 "$role may remind --dry-run (it writes nothing)"
done

# Not found comes first: it tells nothing about a record.
restore_db base.db
rm -f records.db-wal records.db-shm
run env LIAISON_USER=zhang.wei "$L" ack INT-2026-09999
expect_status 4 "an unknown reference: exit 4 even for one who may not act"
# --as overrides $LIAISON_USER; the refusal is in Chinese with --lang zh.
run "$L" --as he.min --lang zh log INT-2026-00001 "x"
expect_status 77 "--as he.min: refused"
expect_contains "$err" "审核员只能查阅" "the refusal in Chinese"
run "$L" --as liu.yang --lang zh close INT-2026-00001 --resolution x --reply-via oral
expect_contains "$err" "liu.yang 无权关闭 INT-2026-00001" "act refusal in Chinese names the action"
expect_contains "$err" "品质部 (quality)" "… and the owner department"

# Single-user mode: a config without [[user]] allows anyone everything.
new_dir
"$L" init --example minimal >/dev/null 2>&1
awk '/^\[\[user\]\]/ {skip=1; next} /^\[/ {skip=0} !skip' liaison.toml >liaison.toml.new && mv liaison.toml.new liaison.toml
sed -i 's/^head = .*//; s/^members = .*//; s/^assignee = .*//' liaison.toml
run "$L" config check
expect_status 0 "minimal example without users is valid"
run env LIAISON_USER=anyone "$L" file --kind complaint --subject "single-user" --to quality --direction internal
expect_status 0 "single-user mode: an unlisted user files"
ref="$out"
run env LIAISON_USER=someone "$L" ack "$ref"
expect_status 0 "single-user mode: anyone acknowledges"
run env LIAISON_USER=someone "$L" close "$ref" --resolution done --reply-via email
expect_status 0 "single-user mode: anyone closes"

# --- redaction -----------------------------------------------------------------------------
setup_access_workdir
use_fake_sendmail
at 2026-09-01T09:00:00+08:00
run "$L" file --kind complaint --from production --channel oral --to quality --assignee gao.feng --level confidential \
  --major --subject "SECRET-SUBJ 董事会绝密" --body "SECRET-BODY 详情"
expect_eq "$out" "INT-2026-00001" "confidential record filed"
run "$L" log INT-2026-00001 "SECRET-LOG 电话内容"
run "$L" escalate INT-2026-00001 --to gm --reason "SECRET-REASON 上报原因"
run "$L" ack INT-2026-00001 --note "SECRET-NOTE 确认备注"
run "$L" file --kind complaint --from production --channel oral --to quality --assignee gao.feng --level confidential \
  --subject "SECRET-SUBJ2 已结案" --body "SECRET-BODY2"
run "$L" wait INT-2026-00002 --reason "SECRET-WAIT 等待原因"
run "$L" resume INT-2026-00002
run "$L" close INT-2026-00002 --resolution "SECRET-RES 处理结果" --reply-via oral --capa "SECRET-CAPA" \
  --outcome rejected --explanation "SECRET-EXPL 不采纳原因"
expect_status 0 "second confidential record closed"
run "$L" file --kind complaint --from production --channel oral --to quality --assignee gao.feng \
  --subject "public-subject 普通" --major
expect_eq "$out" "INT-2026-00003" "an internal-level record beside them"
# filed, logged, escalated, acknowledged; filed, waiting, closed (resumed holds no text)
expect_eq "$(db "SELECT count(*) FROM events WHERE data LIKE '%SECRET-%'")" "7" "the secrets are in the history"

at 2026-10-12T09:00:00+08:00
# no_secret DESC: the last output shows no secret text, and the mark where a secret was.
no_secret() {
  expect_not_contains "$out" "SECRET-" "$1: no secret text"
  expect_not_contains "$out" "董事会绝密" "$1: no secret subject"
}
for fmt in table tsv csv json jsonl md; do
  run env LIAISON_USER=li.xue "$L" --format "$fmt" list --status all
  expect_status 0 "list --format $fmt as li.xue"
  no_secret "list --format $fmt"
  expect_contains "$out" "[confidential]" "list --format $fmt: the mark"
  expect_contains "$out" "public-subject" "list --format $fmt: the internal record in clear"
  expect_contains "$out" "INT-2026-00001" "list --format $fmt: the reference is kept"
done
run env LIAISON_USER=li.xue "$L" --format json list --status all
expect_eq "$(jq -r '.[0].ref + " " + .[0].owner + " " + .[0].kind + " " + .[0].received_at + " " + .[0].subject + " " + .[0].body' <<<"$out")" \
  "INT-2026-00001 quality complaint 2026-09-01T09:00:00+08:00 [confidential] [confidential]" \
  "list json: reference, owner, kind and dates kept; subject and body redacted"
run env LIAISON_USER=li.xue "$L" --lang zh --format tsv list --status all
expect_contains "$out" "[机密]" "the Chinese mark"
# The same list for someone cleared shows the text, so the checks above can fail.
run env LIAISON_USER=ma.jun "$L" --format tsv list --status all
expect_contains "$out" "SECRET-SUBJ 董事会绝密" "ma.jun (confidential) sees the subject"

for ref in INT-2026-00001 INT-2026-00002; do
  for fmt in table json; do
    run env LIAISON_USER=li.xue "$L" --format "$fmt" show "$ref"
    expect_status 0 "show $ref --format $fmt as li.xue"
    no_secret "show $ref --format $fmt"
    expect_contains "$out" "[confidential]" "show $ref --format $fmt: the mark"
  done
done
run env LIAISON_USER=li.xue "$L" --format json show INT-2026-00001
expect_eq "$(jq -r '[.history[].type] | join(" ")' <<<"$out")" "filed escalated logged escalated acknowledged" \
  "show json: the whole history is listed (a major record is escalated on filing), redacted"
expect_eq "$(jq -r '.history[2].data.text' <<<"$out")" "[confidential]" "show json: the logged text redacted"
expect_eq "$(jq -r '.history[2].data.entry' <<<"$out")" "note" "show json: the entry type kept"
expect_eq "$(jq -r '.history[3].data.to' <<<"$out")" "gm" "show json: where it was escalated kept"
run env LIAISON_USER=ma.jun "$L" --format json show INT-2026-00002
expect_contains "$out" "SECRET-EXPL" "ma.jun sees the explanation"

for fmt in text md csv json html; do
  run env LIAISON_USER=li.xue "$L" --format "$fmt" report --period 2026-09
  expect_status 0 "report --format $fmt as li.xue"
  no_secret "report --format $fmt"
  expect_contains "$out" "INT-2026-00001" "report --format $fmt: the overdue/major record listed"
  expect_contains "$out" "public-subject" "report --format $fmt: the internal record in clear"
done
run env LIAISON_USER=li.xue "$L" --format json report --period 2026-09
expect_eq "$(jq -r '[.overdue.records[] | select(.ref == "INT-2026-00001") | .subject] | first' <<<"$out")" "[confidential]" \
  "report json: the overdue item's subject redacted"
expect_eq "$(jq -r '[.major[] | select(.ref == "INT-2026-00001") | .subject] | first' <<<"$out")" "[confidential]" \
  "report json: the major item's subject redacted"
run env LIAISON_USER=li.xue "$L" --format json report --period 2026-09
low="$(jq -c '.flow' <<<"$out")"
run env LIAISON_USER=ma.jun "$L" --format json report --period 2026-09
expect_eq "$(jq -c '.flow' <<<"$out")" "$low" "report: the counts are the same for everyone"
expect_contains "$out" "SECRET-SUBJ 董事会绝密" "report: ma.jun sees the subject"

for fmt in table tsv csv json jsonl md; do
  run env LIAISON_USER=li.xue "$L" --format "$fmt" overdue
  expect_status 0 "overdue --format $fmt as li.xue"
  no_secret "overdue --format $fmt"
  expect_contains "$out" "INT-2026-00001" "overdue --format $fmt: the record listed"
done
run env LIAISON_USER=ma.jun "$L" --format tsv overdue
expect_contains "$out" "SECRET-SUBJ 董事会绝密" "overdue: ma.jun sees the subject"

run env LIAISON_USER=li.xue "$L" deadline explain INT-2026-00001
expect_status 0 "deadline explain as li.xue"
no_secret "deadline explain"

# remind: each mail as its recipient may read it. gao.feng (secret) is the assignee.
run env LIAISON_USER=li.xue "$L" remind --dry-run
no_secret "remind --dry-run as li.xue"
run env LIAISON_USER=sun.qian "$L" remind
expect_status 0 "remind as sun.qian (admin)"
expect_eq "$(mail_count)" "1" "one mail (to gao.feng)"
for f in $(mails); do
  mail_text="$(sed '1,/^$/d' "$f" | base64 -d 2>/dev/null)"
  expect_not_contains "$mail_text" "SECRET-" "the mail to gao.feng has no secret text"
  expect_contains "$mail_text" "[confidential]" "… but the mark"
  expect_contains "$mail_text" "public-subject" "… and the internal record in clear"
done

# The auditor's commands show the same records the same way: the
# history, exports, SQL over the views, and search, where a record the user may not read
# is not found at all (a hit would say what it contains).
run "$L" log INT-2026-00003 "董事会 通报 public-log"
expect_status 0 "a log on the internal record that shares a word with the secret subject"
for fmt in table tsv csv json jsonl md; do
  run env LIAISON_USER=li.xue "$L" --format "$fmt" audit log
  expect_status 0 "audit log --format $fmt as li.xue"
  no_secret "audit log --format $fmt"
  expect_contains "$out" "INT-2026-00001" "audit log --format $fmt: the record's events listed"
done
for fmt in jsonl csv; do
  run env LIAISON_USER=li.xue "$L" export --with-events --format "$fmt"
  expect_status 0 "export --with-events --format $fmt as li.xue"
  no_secret "export --format $fmt"
  expect_contains "$out" "[confidential]" "export --format $fmt: the mark"
  expect_contains "$out" "public-subject" "export --format $fmt: the internal record in clear"
done
for view in records events clocks parties; do
  for fmt in tsv json; do
    run env LIAISON_USER=li.xue "$L" --format "$fmt" query "SELECT * FROM $view"
    expect_status 0 "query $view --format $fmt as li.xue"
    no_secret "query $view --format $fmt"
  done
done
run env LIAISON_USER=li.xue "$L" --format tsv query "SELECT ref, subject FROM records WHERE subject LIKE '%SECRET%' OR body LIKE '%SECRET%'"
expect_eq "$out" "" "query: LIKE on a redacted column matches only the mark"
for words in "SECRET-SUBJ" "董事会绝密" "SECRET-LOG" "SECRET-RES" "详情"; do
  run env LIAISON_USER=li.xue "$L" search "$words"
  expect_status 0 "search $words as li.xue"
  expect_eq "$out" "" "search $words: the confidential records are not found"
  run env LIAISON_USER=li.xue "$L" list --status all --grep "$words"
  expect_eq "$out" "" "list --grep $words: nothing"
done
for fmt in table tsv json; do
  run env LIAISON_USER=li.xue "$L" --format "$fmt" search 董事会
  expect_status 0 "search 董事会 --format $fmt as li.xue"
  no_secret "search 董事会 --format $fmt"
  expect_contains "$out" "INT-2026-00003" "search 董事会 --format $fmt: the internal record found"
  expect_not_contains "$out" "INT-2026-00001" "search 董事会 --format $fmt: the confidential one not"
done
# Someone cleared finds both, so the checks above can fail.
run env LIAISON_USER=ma.jun "$L" --format tsv search 董事会
expect_contains "$out" "INT-2026-00001" "ma.jun (confidential) finds the confidential record"
expect_contains "$out" "INT-2026-00003" "… and the internal one"
run env LIAISON_USER=ma.jun "$L" --format tsv query "SELECT subject FROM records WHERE ref = 'INT-2026-00001'"
expect_eq "$out" "SECRET-SUBJ 董事会绝密" "ma.jun reads the subject through the view"

# A level renamed in the config (confidential → restricted, users' clearances with it):
# records filed at the old name count as the highest level, so redaction fails closed —
# not even ma.jun (now "restricted") reads them; top-secret clearance still does.
sed 's/confidential/restricted/g' liaison.toml >renamed.toml
run "$L" --config renamed.toml config check
expect_status 0 "the config with the level renamed checks"
for who in li.xue ma.jun; do
  run env LIAISON_USER=$who "$L" --config renamed.toml --format tsv list --status all
  no_secret "list as $who after the level was renamed"
  expect_contains "$out" "public-subject" "list as $who after the rename: the internal record in clear"
  run env LIAISON_USER=$who "$L" --config renamed.toml --format json show INT-2026-00001
  no_secret "show as $who after the level was renamed"
  run env LIAISON_USER=$who "$L" --config renamed.toml --format tsv search 董事会
  no_secret "search as $who after the level was renamed"
  expect_not_contains "$out" "INT-2026-00001" "search as $who after the rename: the record at the old level not found"
  run env LIAISON_USER=$who "$L" --config renamed.toml --format tsv query "SELECT subject FROM records"
  no_secret "query as $who after the level was renamed"
  run env LIAISON_USER=$who "$L" --config renamed.toml export --with-events
  no_secret "export as $who after the level was renamed"
done
run env LIAISON_USER=zhou.jianguo "$L" --config renamed.toml --format tsv search 董事会
expect_contains "$out" "INT-2026-00001" "top-secret clearance still finds the record at the old level"

# Hashes reveal nothing hidden: each is over the unredacted data, so a reader who could
# see it could confirm a guessed text; and each prev_hash is another event's hash. Only a
# reader of every level sees them.
run env LIAISON_USER=li.xue "$L" --format json show INT-2026-00001
expect_eq "$(jq -c '[.history[].hash] | unique' <<<"$out")" "[null]" "show --format json as li.xue: no hash"
run env LIAISON_USER=li.xue "$L" --format json show INT-2026-00003
expect_eq "$(jq -c '[.history[].hash] | unique' <<<"$out")" "[null]" "… not even of a record she reads"
run env LIAISON_USER=li.xue "$L" --format json audit log
expect_eq "$(jq -c '[.[].hash] | unique' <<<"$out")" "[null]" "audit log --format json as li.xue: no hash"
run env LIAISON_USER=li.xue "$L" --format tsv query "SELECT count(*) FROM events WHERE hash IS NOT NULL OR prev_hash IS NOT NULL"
expect_eq "$out" "0" "query as li.xue: hash and prev_hash are NULL in the events view"
run env LIAISON_USER=zhou.jianguo "$L" --format tsv query "SELECT count(*) = (SELECT count(*) FROM events) FROM events WHERE length(hash) = 64"
expect_eq "$out" "1" "query as zhou.jianguo (top-secret): every hash is there"
run env LIAISON_USER=zhou.jianguo "$L" --format json show INT-2026-00001
expect_match "$(jq -r '.history[0].hash' <<<"$out")" "^[0-9a-f]{64}$" "show --format json as zhou.jianguo: the hash"

# Scores reveal nothing hidden: adding records li.xue cannot read, holding the word she
# searches for, changes none of her scores (BM25's statistics over the whole index would:
# 3.288 → 1.362 after five such records). A reader cleared for everything keeps BM25.
scores() { env LIAISON_USER="$1" "$L" --format json search 董事会 | jq -c '[.[] | select(.ref != "INT-2026-00001" and (.ref | test("INT-2026-0000[4-8]") | not)) | [.ref, .score]]'; }
li_before="$(scores li.xue)"
top_before="$(scores zhou.jianguo)"
expect_contains "$li_before" "INT-2026-00003" "(li.xue finds the internal record)"
for i in 1 2 3 4 5; do
  run "$L" file --kind complaint --from production --channel oral --to quality --level confidential \
    --subject "董事会 机密事项 $i"
  expect_status 0 "hidden record $i with the word filed"
done
expect_eq "$(scores li.xue)" "$li_before" "li.xue's scores are the same after five hidden records with the word"
# (On PostgreSQL every score is its text's alone (ts_rank, liaison-search(1)): nobody's
# changes, and li.xue's staying the same is what matters.)
if [ "$LIAISON_TEST_DB" = sqlite ]; then
  [ "$(scores zhou.jianguo)" != "$top_before" ] && pass "a fully cleared reader's BM25 scores do change (so the check above can fail)" \
    || fail "a fully cleared reader's BM25 scores do change (so the check above can fail)"
fi

# --- the complainant's identity ---------------------------------------------------------
at 2026-09-21T09:00:00+08:00
run "$L" file --kind complaint --from production --channel oral --to quality --subject "主管辱骂员工" \
  --contact-name "王小明" --contact-position "操作工" --contact-org "冲压车间" --contact-phone 13800000000
expect_status 0 "filed with an identity"
named="$out"
expect_eq "$(db "SELECT count(*) FROM events WHERE data LIKE '%王小明%' OR data LIKE '%13800000000%' OR data LIKE '%冲压车间%' OR data LIKE '%操作工%'")" \
  "0" "the identity is in no event"
expect_eq "$(db "SELECT json_extract(data, '$.identity') FROM events WHERE type = 'filed' AND record_id = (SELECT id FROM records WHERE ref = '$named')")" \
  "protected" "the filed event says an identity was given"
expect_match "$(db "SELECT json_extract(data, '$.identity_digest') FROM events WHERE type = 'filed' AND record_id = (SELECT id FROM records WHERE ref = '$named')")" \
  '^[0-9a-f]{64}$' "… with a digest of it"
expect_eq "$(db "SELECT name, position, organization, phone, anonymous FROM identities WHERE record_id = (SELECT id FROM records WHERE ref = '$named')")" \
  "王小明|操作工|冲压车间|13800000000|0" "the identity is stored apart"

run "$L" file --kind complaint --from production --channel oral --to quality --subject "匿名信" --anonymous
expect_status 0 "filed anonymously"
anon="$out"
run "$L" --format table show "$anon"
expect_match "$out" "identity +anonymous" "show: anonymous"
run "$L" --format json show "$anon"
expect_eq "$(jq -r .identity <<<"$out")" "anonymous" "show json: anonymous"

run "$L" --format table show "$named"
expect_match "$out" "identity +protected" "show: a protected identity"
expect_not_contains "$out" "王小明" "show without --identity: not the name"
run "$L" --format json show "$named"
expect_eq "$(jq -r .identity <<<"$out")" "protected" "show json: protected"
expect_not_contains "$out" "13800000000" "show json: not the phone"

before="$(snapshot)"
run "$L" file --kind complaint --from production --channel oral --to quality --subject x --anonymous --contact-name 王
expect_status 2 "--anonymous with --contact-name: usage error"
run "$L" file --kind grievance --to hr --subject "申诉"
expect_status 65 "a required identity missing: exit 65"
expect_contains "$err" "the complainant's name is required for an internal grievance" "… says what is missing"
run "$L" file --kind grievance --to hr --subject "申诉" --anonymous
expect_status 65 "a required identity cannot be anonymous"
run "$L" file --kind notice --to hr --subject "通知" --contact-name 王
expect_status 65 "a kind with identity = none takes none"
expect_eq "$(snapshot)" "$before" "refused filings change nothing"
run "$L" file --kind grievance --to hr --subject "申诉" --contact-name "赵六"
expect_status 0 "a required identity given"

events_of() { db "SELECT count(*) FROM events WHERE type = 'identity-viewed'"; }
for who in gao.feng zhang.wei liu.yang he.min li.xue tester; do
  run env LIAISON_USER="$who" "$L" show "$named" --identity
  expect_status 77 "$who may not see the identity"
  expect_contains "$err" "only the head of 品质部 (quality), top management, admins and the grievance role may" \
    "$who: says who may"
  expect_not_contains "$out" "王小明" "$who: no name"
done
expect_eq "$(events_of)" "0" "refused views are not logged as views"
n=0
for who in ma.jun chen.zhiqiang sun.qian lin.mei; do
  run env LIAISON_USER="$who" "$L" --format table show "$named" --identity
  expect_status 0 "$who may see the identity"
  expect_contains "$out" "王小明" "$who: the name"
  expect_contains "$out" "13800000000" "$who: the phone"
  n=$((n + 1))
  expect_eq "$(db "SELECT actor FROM events WHERE type = 'identity-viewed' ORDER BY id DESC LIMIT 1")" "$who" \
    "$who: the view is an event by $who"
done
expect_eq "$(events_of)" "$n" "one identity-viewed event per view"
expect_eq "$(db "SELECT group_concat(json_extract(data, '$.granted_as'), ' ') FROM events WHERE type = 'identity-viewed'")" \
  "head top admin grievance" "each view says why it was allowed"
run env LIAISON_USER=ma.jun "$L" --format json show "$named" --identity
expect_eq "$(jq -r '.identity.name + " " + .identity.position + " " + .identity.organization + " " + .identity.phone' <<<"$out")" \
  "王小明 操作工 冲压车间 13800000000" "show --identity --format json"
run env LIAISON_USER=ma.jun "$L" show "$anon" --identity
expect_status 0 "show --identity of an anonymous record"
expect_contains "$out" "filed anonymously" "… says so"
run "$L" audit verify
expect_status 0 "the chain still verifies after the views"
expect_eq "$(db "SELECT count(*) FROM events WHERE data LIKE '%王小明%'")" "0" "the name is still in no event"

finish
