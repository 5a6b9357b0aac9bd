#!/usr/bin/env bash
# liaison remind, run as cron would, with a stand-in sendmail that stores each message
# (mail/msg-NNN in the test directory, its arguments in msg-NNN.args) and fails with
# status 75 for the address in $FAIL_FOR.
#
# The manufacturing example: quality's head is ma.jun, gao.feng works there; purchasing's
# head is song.bin; top management (gm) is headed by zhou.jianguo. Calendar Mon–Fri
# 08:30–12:00, 13:00–17:30, Asia/Shanghai; no holiday between 08-31 and 09-11.
# [remind]: interval 1wd; escalate after 2wd to "head", after 5wd to "top" (set below, so
# the test does not depend on the example's own choices).
#
#   Mon 08-31 09:00  INT-1 complaint → quality, assignee gao.feng: resolve 3wd → Thu 09-03 17:30
#                    INT-2 complaint → purchasing, nobody assigned:  resolve → Thu 09-03 17:30
#   Tue 09-01 09:00  INT-3 complaint → quality, gao.feng:            resolve → Fri 09-04 17:30
#                    INT-4 complaint → quality, gao.feng, closed at once (never reminded)
#   all acknowledged at once, so only the resolve obligations fall due.
#   Fri 09-04 09:00  run 1 (--lang zh): gao.feng [INT-1], song.bin [INT-2]   (1wd late)
#   Fri 09-04 09:01  run 2: nothing (within the interval)
#   Mon 09-07 09:00  dry run: gao.feng [1,3], ma.jun [1] (2wd: head), song.bin [2]
#   Mon 09-07 09:00  run 3 with ma.jun failing: gao.feng and song.bin sent, exit 1
#   Mon 09-07 09:05  run 4: only ma.jun
#   Fri 09-11 09:00  run 5: INT-1 and INT-2 are 6wd late, INT-3 5wd → top (zhou.jianguo) too
. "$(dirname "$0")/lib.sh"

setup_workdir
work="$PWD"

# --- the stand-in sendmail and the [remind] section ------------------------------------
use_fake_sendmail 'interval = "1wd"

[[remind.escalate]]
after = "2wd"
to = "head"

[[remind.escalate]]
after = "5wd"
to = "top"
'
run "$L" config check
expect_status 0 "the config with the test's [remind] section checks"

# header NAME FILE → the header's value, unfolded (continuation lines joined)
header() {
  awk -v name="$1" '
    /^$/ {exit}
    /^[ \t]/ {if (on) value = value $0; next}
    {on = 0}
    index($0, name ": ") == 1 {on = 1; value = substr($0, length(name) + 3)}
    END {print value}' "$2"
}
# decode TEXT → RFC 2047 B words decoded (whitespace between adjacent words dropped)
decode() {
  local text="$1" out="" word
  while [[ "$text" =~ ^([^=]*)=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=(.*)$ ]]; do
    local before="${BASH_REMATCH[1]}"
    word="$(printf '%s' "${BASH_REMATCH[2]}" | base64 -d)"
    if [ -n "$out" ] && [ -z "${before// /}" ]; then before=""; fi
    out+="$before$word"
    text="${BASH_REMATCH[3]}"
  done
  printf '%s' "$out$text"
}
# body FILE → the decoded body, CR removed
body() { sed '1,/^$/d' "$1" | base64 -d | tr -d '\r'; }
# mail_to EMAIL → the newest stored message addressed to EMAIL
mail_to() { local f; for f in $(mails); do grep -q "^To:.*<$1>" "$f" && echo "$f"; done | tail -1; }
# reminded → "ref to obligation" of each reminded event, in order
reminded() {
  db "SELECT r.ref || ' ' || json_extract(e.data, '$.to') || ' ' || json_extract(e.data, '$.obligation')
      FROM events e JOIN records r ON r.id = e.record_id WHERE e.type = 'reminded' ORDER BY e.id"
}

# --- the records -------------------------------------------------------------------------
at 2026-08-31T09:00:00+08:00
run "$L" file --kind complaint --from production --channel oral --to quality --assignee gao.feng \
  --subject "冲压车间夜班加班费计算有误"
expect_eq "$out" "INT-2026-00001" "INT-1 filed"
run "$L" file --kind complaint --from production --channel oral --to purchasing --subject "劳保用品供应延迟"
expect_eq "$out" "INT-2026-00002" "INT-2 filed"
at 2026-09-01T09:00:00+08:00
run "$L" file --kind complaint --from production --channel oral --to quality --assignee gao.feng \
  --subject "检验报告格式不统一"
expect_eq "$out" "INT-2026-00003" "INT-3 filed"
run "$L" file --kind complaint --from production --channel oral --to quality --assignee gao.feng \
  --subject "已处理的问题"
expect_eq "$out" "INT-2026-00004" "INT-4 filed"
for n in 1 2 3 4; do run "$L" ack "INT-2026-0000$n"; done
run "$L" close INT-2026-00004 --resolution "已解决" --reply-via oral
expect_status 0 "INT-4 closed"
expect_eq "$(db "SELECT ref, owner, assignee, due FROM records ORDER BY id")" \
  "INT-2026-00001|quality|gao.feng|$(date -d 2026-09-03T09:30:00Z +%s)
INT-2026-00002|purchasing||$(date -d 2026-09-03T09:30:00Z +%s)
INT-2026-00003|quality|gao.feng|$(date -d 2026-09-04T09:30:00Z +%s)
INT-2026-00004|quality|gao.feng|$(date -d 2026-09-04T09:30:00Z +%s)" "owners, assignees and resolve deadlines as planned"

# --- run 1: one message per recipient, in Chinese ------------------------------------------
at 2026-09-04T09:00:00+08:00
events_before="$(db "SELECT count(*) FROM events")"
run "$L" --lang zh remind
expect_status 0 "run 1 succeeds"
expect_eq "$out" "已发送给 gao.feng <gao.feng@example.cn>：1 条记录
已发送给 song.bin <song.bin@example.cn>：1 条记录" "run 1: one line per message sent"
expect_eq "$err" "" "run 1: nothing on stderr"
expect_eq "$(mail_count)" "2" "run 1: two messages"
m="$(mail_to gao.feng@example.cn)"
expect_eq "$(cat "$m.args")" "-t -oi" "sendmail gets the configured arguments"
org="$(sed -n 's/^name = "\(.*\)".*/\1/p' liaison.toml | head -1)"
expect_eq "$(decode "$(header From "$m")")" "$org <liaison@example.cn>" "From: the configured address, named after the organisation"
expect_match "$(header To "$m")" '^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <gao\.feng@example\.cn>$' "To: encoded display name and address"
expect_eq "$(decode "$(header To "$m")")" "高峰 <gao.feng@example.cn>" "To: decodes to the user's name"
expect_match "$(header Subject "$m")" '^=\?UTF-8\?B\?' "Subject: RFC 2047 encoded"
expect_eq "$(decode "$(header Subject "$m")")" "【liaison】1 条记录已逾期" "Subject: decodes to the Chinese subject"
expect_eq "$(header Date "$m")" "Fri, 4 Sep 2026 09:00:00 +0800" "Date: now, in the organisation's zone"
expect_match "$(header Message-ID "$m")" '^<remind\.[0-9]+\.[0-9a-f]+@example\.cn>$' "Message-ID on the From domain"
expect_eq "$(header MIME-Version "$m")" "1.0" "MIME-Version"
expect_eq "$(header Content-Type "$m")" "text/plain; charset=UTF-8" "Content-Type with charset"
expect_eq "$(header Content-Transfer-Encoding "$m")" "base64" "Content-Transfer-Encoding base64"
expect_eq "$(header Auto-Submitted "$m")" "auto-generated" "Auto-Submitted (RFC 3834)"
too_long="$(sed '/^$/q' "$m" | awk 'length($0) > 78' | head -1)"
expect_eq "$too_long" "" "no header line longer than 78"
b="$(body "$m")"
expect_contains "$b" "高峰，您好" "body: greeting by name"
expect_contains "$b" "INT-2026-00001  冲压车间夜班加班费计算有误" "body: reference and subject"
expect_contains "$b" "2026-09-03 17:30 (+08:00)" "body: the deadline in local time"
expect_contains "$b" "1 个工作日" "body: how late"
expect_contains "$b" "品质部 (quality)" "body: the owner department"
expect_not_contains "$b" "INT-2026-00002" "body: only this recipient's records"
b2="$(body "$(mail_to song.bin@example.cn)")"
expect_contains "$b2" "INT-2026-00002  劳保用品供应延迟" "song.bin (head of purchasing, nobody assigned) gets INT-2"
expect_eq "$(reminded)" "INT-2026-00001 gao.feng resolve
INT-2026-00002 song.bin resolve" "run 1: one reminded event per record and recipient"
ev="$(db "SELECT data FROM events WHERE type = 'reminded' ORDER BY id LIMIT 1")"
expect_eq "$(jq -r '[.to, .email, .obligation, (.late_working_days|tostring), .due, .reason] | join("|")' <<<"$ev")" \
  "gao.feng|gao.feng@example.cn|resolve|1|2026-09-03T17:30:00+08:00|assignee" "reminded event data"
expect_eq "$(jq -r .message_id <<<"$ev")" "$(header Message-ID "$m" | tr -d '<>')" "the event names the message it went in"
expect_eq "$(db "SELECT DISTINCT actor FROM events WHERE type = 'reminded'")" "zhou.jianguo" "the events' actor is the acting user"
expect_eq "$(db "SELECT count(*) FROM events")" "$((events_before + 2))" "run 1 added exactly two events"

# --- run 2: idempotent --------------------------------------------------------------------
at 2026-09-04T09:01:00+08:00
before="$(counts)"
run "$L" remind
expect_status 0 "run 2 succeeds"
expect_eq "$out" "" "run 2 sends nothing (same reminder within the interval)"
expect_eq "$(mail_count)" "2" "run 2: no new message"
expect_eq "$(counts)" "$before" "run 2 records nothing"

# --- --if-working-day: a Saturday is skipped (INT-3, overdue since Friday evening, waits) ---
at 2026-09-05T09:00:00+08:00
run "$L" remind --if-working-day
expect_status 0 "--if-working-day on a Saturday succeeds"
expect_eq "$out" "" "--if-working-day on a Saturday sends nothing"
expect_eq "$(counts)" "$before" "--if-working-day on a Saturday records nothing"

# --- dry run ------------------------------------------------------------------------------
at 2026-09-07T09:00:00+08:00
before="$(counts)"
run "$L" remind --dry-run
expect_status 0 "dry run succeeds"
expect_eq "$(mail_count)" "2" "dry run sends nothing"
expect_eq "$(counts)" "$before" "dry run records nothing"
expect_eq "$(grep '^To: ' <<<"$out")" "To: 高峰 <gao.feng@example.cn>
To: 马骏 <ma.jun@example.cn>
To: 宋斌 <song.bin@example.cn>" "dry run: the three messages, head of quality added after 2wd"
expect_contains "$out" "Subject: [liaison] 2 records overdue" "dry run: readable subject (English by LANG)"
expect_contains "$out" "escalation: overdue by 2 working days or more" "dry run: why the head gets it"

# --- run 3: one recipient fails -------------------------------------------------------------
export FAIL_FOR=ma.jun@example.cn
run "$L" remind
unset FAIL_FOR
expect_status 1 "run 3: exit 1 when a delivery failed"
expect_eq "$out" "sent to gao.feng <gao.feng@example.cn>: 2 records
sent to song.bin <song.bin@example.cn>: 1 record" "run 3: the others were sent"
expect_contains "$err" "liaison: could not send the reminder to ma.jun <ma.jun@example.cn>: $work/fake-sendmail exited with status 75" \
  "run 3: the failure on stderr"
expect_contains "$err" "liaison: 1 of 3 reminders could not be sent" "run 3: the summary line"
expect_contains "$err" "stand-in sendmail: refusing" "the command's own message reaches stderr"
expect_eq "$(mail_count)" "4" "run 3: two more messages"
expect_eq "$(reminded | tail -n +3)" "INT-2026-00001 gao.feng resolve
INT-2026-00003 gao.feng resolve
INT-2026-00002 song.bin resolve" "run 3: recorded for those sent, not for ma.jun"

# --- run 3b: delivered, but the history cannot be written (database locked) ---------------------
# The stand-in delivers ma.jun's message (the one run 3 could not send) with the database write-locked by another
# process that keeps the lock until the test releases it, so liaison's 10 s busy timeout runs out by construction:
# that reminder is reported as sent but not recorded, and the run goes on.
prepare_db_lock
export LOCK_DB_FOR=ma.jun@example.cn
before_mails="$(mail_count)"
before_events="$(db "SELECT count(*) FROM events")"
run "$L" --now 2026-09-07T09:01:00+08:00 remind --dept quality
unset LOCK_DB_FOR
expect_status 1 "run 3b: exit 1 when a sent reminder could not be recorded"
expect_contains "$err" "liaison: sent the reminder to ma.jun <ma.jun@example.cn> but could not record it" \
  "run 3b: says it was sent but not recorded"
expect_eq "$([ -e "$LOCK_DIR/locked" ] && [ ! -e "$LOCK_DIR/released" ] && echo held)" "held" \
  "run 3b: the database was locked by the stand-in's holder all along"
release_db_lock
expect_eq "$(db "SELECT count(*) FROM events")" "$before_events" "run 3b: nothing recorded for it"
expect_eq "$(( $(mail_count) - before_mails ))" "1" "run 3b: the message itself went out"

# --- run 4: the failed one goes, and only it --------------------------------------------------
at 2026-09-07T09:05:00+08:00
run "$L" remind
expect_status 0 "run 4 succeeds"
expect_eq "$out" "sent to ma.jun <ma.jun@example.cn>: 1 record" "run 4: only the one that failed"
expect_eq "$(reminded | tail -n +6)" "INT-2026-00001 ma.jun resolve" "run 4: recorded"
ev="$(db "SELECT data FROM events WHERE type = 'reminded' ORDER BY id DESC LIMIT 1")"
expect_eq "$(jq -r '[.reason, .after, (.late_working_days|tostring)] | join("|")' <<<"$ev")" "escalation|2wd|2" \
  "the head's event says it was an escalation after 2wd"

# --- run 5: top management after 5 working days ------------------------------------------------
at 2026-09-11T09:00:00+08:00
run "$L" remind --dept quality
expect_status 0 "run 5 (--dept quality)"
expect_eq "$out" "sent to gao.feng <gao.feng@example.cn>: 2 records
sent to ma.jun <ma.jun@example.cn>: 2 records
sent to zhou.jianguo <zhou.jianguo@example.cn>: 2 records" "run 5: assignee, head and top; purchasing left out by --dept"
b="$(body "$(mail_to zhou.jianguo@example.cn)")"
expect_contains "$b" "6 working days" "top's message: INT-1 is 6 working days late"
expect_contains "$b" "5 working days" "top's message: INT-3 is 5 working days late"
expect_not_contains "$b" "INT-2026-00004" "closed records are never reminded"
run "$L" remind --kind suggestion
expect_eq "$out" "" "--kind: no overdue suggestion, nothing sent"
run "$L" remind
expect_eq "$out" "sent to song.bin <song.bin@example.cn>: 1 record
sent to zhou.jianguo <zhou.jianguo@example.cn>: 1 record" "then the rest: purchasing's record, to its head and top"

run "$L" remind --dept nosuch
expect_status 4 "--dept with an unknown department"
expect_err_prefix "--dept error message"

run "$L" audit verify
expect_status 0 "audit verify passes after the reminders"

# --- no e-mail address at all: a warning, and the others still go -----------------------------
sed -i '/^email = "gao.feng@example.cn"/d; /^email = "ma.jun@example.cn"/d; /^email = "quality@example.cn"/d' liaison.toml
at 2026-09-14T09:00:00+08:00
run "$L" remind
expect_status 0 "nobody to mail for quality's records is a warning, not a failure"
expect_contains "$err" "liaison: warning: INT-2026-00001: no e-mail address for the assignee gao.feng" "the warning names the record"
expect_contains "$out" "sent to zhou.jianguo" "top management still gets its reminder"

# --- a sendmail that hangs: killed after [remind] timeout, reported, nothing recorded ------------
# A stand-in that never exits (and never reads). With timeout = 1 the run must end on its
# own; the outer `timeout` only turns a real hang into a failure instead of a stuck suite.
cat >hanging-sendmail <<'SENDMAIL'
#!/bin/sh
exec tail -f /dev/null  # never ends, never reads its input
SENDMAIL
chmod +x hanging-sendmail
sed -i "s|^sendmail = .*|sendmail = \"$PWD/hanging-sendmail\"\ntimeout = 1|" liaison.toml
run "$L" config check
expect_status 0 "[remind] timeout = 1 checks"
before_hang="$(counts)"
at 2026-09-15T09:00:00+08:00
run timeout --signal=KILL 600 "$L" remind
expect_status 1 "a hanging sendmail: remind ends, exit 1"
expect_contains "$err" "$PWD/hanging-sendmail did not finish within 1 s and was stopped ([remind] timeout)" \
  "… saying which command and after how long"
expect_eq "$(counts)" "$before_hang" "… and records no reminder it did not send"
for bad in 0 3601 '"60s"'; do
  sed -i "s|^timeout = .*|timeout = $bad|" liaison.toml
  run "$L" config check
  expect_status 78 "[remind] timeout = $bad is refused"
  expect_contains "$err" "[remind] timeout" "… naming the key"
done

# --- a missing sendmail: config check warns; remind says so once, not once per mail ----------
sed -i "s|^timeout = .*|timeout = 60|; s|^sendmail = .*|sendmail = \"$PWD/no-such-sendmail -t -oi\"|" liaison.toml
run "$L" config check
expect_status 0 "a missing sendmail: the config is still valid"
expect_contains "$err" "liaison.toml: warning: [remind] sendmail: $PWD/no-such-sendmail does not exist ('liaison remind' cannot send mail" \
  "a missing sendmail: config check warns"
run "$L" --lang zh config check
expect_contains "$err" "警告：[remind] sendmail：$PWD/no-such-sendmail 不存在" "a missing sendmail: the warning in Chinese"
printf '#!/bin/sh\n' >not-executable
chmod -x not-executable
sed -i "s|^sendmail = .*|sendmail = \"$PWD/not-executable\"|" liaison.toml
run "$L" config check
expect_contains "$err" "[remind] sendmail: $PWD/not-executable is not executable" "a sendmail that cannot run: config check warns"
sed -i "s|^sendmail = .*|sendmail = \"no-such-mta -t\"|" liaison.toml
run "$L" config check
expect_contains "$err" "[remind] sendmail: no no-such-mta on PATH" "a sendmail looked up on PATH: config check warns"
sed -i "s|^sendmail = .*|sendmail = \"sh -c true\"|" liaison.toml
run "$L" config check
expect_not_contains "$err" "[remind] sendmail" "a sendmail found on PATH: no warning"

sed -i "s|^sendmail = .*|sendmail = \"$PWD/no-such-sendmail -t -oi\"|" liaison.toml
at 2026-09-16T09:00:00+08:00
run "$L" remind --dry-run
due="$(grep -c '^To: ' <<<"$out")"
[ "$due" -ge 2 ] && pass "a missing sendmail: several reminders are due" || fail "several reminders due (got $due)"
before_missing="$(counts)"
run "$L" remind
expect_status 1 "a missing sendmail: exit 1"
expect_eq "$(grep -c "no-such-sendmail" <<<"$err")" "1" "a missing sendmail: said once, not once per mail"
expect_contains "$err" "liaison: cannot run $PWD/no-such-sendmail: No such file or directory ($due reminders not sent) (they are not recorded as sent" \
  "a missing sendmail: the cause and how many"
expect_contains "$err" "liaison: $due of $due reminders could not be sent" "a missing sendmail: the summary"
expect_eq "$(counts)" "$before_missing" "a missing sendmail: nothing recorded"
run "$L" --lang zh remind
expect_contains "$err" "（$due 封提醒未发出）" "a missing sendmail, in Chinese"

finish
