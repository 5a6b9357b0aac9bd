#!/usr/bin/env bash
# examples/cron/: the crontab's lines parse and run, the systemd units verify, and
# mail-report mails last month's HTML report on the first working day of the month, once.
# Needs sqlite3; systemd-analyze when available.
. "$(dirname "$0")/lib.sh"

CRON="$LIAISON_SRC/examples/cron"
setup_workdir
work="$PWD"

# A PATH where `liaison` is the built binary and `mail-report` the example script.
mkdir -p bin
ln -s "$L" bin/liaison
ln -s "$CRON/mail-report" bin/mail-report
use_fake_sendmail

# --- the crontab parses -------------------------------------------------------------------
# field_ok VALUE MIN MAX: a cron time field (*, N, N-M, lists, /step) within MIN..MAX
field_ok() {
  local value="$1" min="$2" max="$3" item range step a b
  IFS=, read -ra items <<<"$value"
  [ "${#items[@]}" -gt 0 ] || return 1
  for item in "${items[@]}"; do
    range="${item%%/*}"
    step=""
    [[ "$item" == */* ]] && step="${item#*/}"
    if [ -n "$step" ] && ! [[ "$step" =~ ^[0-9]+$ && "$step" -gt 0 ]]; then return 1; fi
    [ "$range" = "*" ] && continue
    if [[ "$range" =~ ^([0-9]+)-([0-9]+)$ ]]; then
      a="${BASH_REMATCH[1]}" b="${BASH_REMATCH[2]}"
    elif [[ "$range" =~ ^[0-9]+$ ]]; then
      a="$range" b="$range"
    else
      return 1
    fi
    if [ "$a" -lt "$min" ] || [ "$b" -gt "$max" ] || [ "$a" -gt "$b" ]; then return 1; fi
  done
  return 0
}

commands=()
cron_user=""
while IFS= read -r line; do
  [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
  if [[ "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then
    pass "crontab: environment line ${line%%=*}"
    [[ "$line" == LIAISON_USER=* ]] && cron_user="${line#LIAISON_USER=}"
    continue
  fi
  read -r m h dom mon dow cmd <<<"$line"
  if field_ok "$m" 0 59 && field_ok "$h" 0 23 && field_ok "$dom" 1 31 && field_ok "$mon" 1 12 &&
    field_ok "$dow" 0 7 && [ -n "$cmd" ]; then
    pass "crontab line parses: $line"
    commands+=("$cmd")
  else
    fail "crontab line does not parse as 'm h dom mon dow command': $line"
  fi
done <"$CRON/crontab"
expect_eq "${#commands[@]}" "4" "the crontab has four jobs"
expect_contains "${commands[0]:-}" "liaison -q remind --if-working-day" "job 1 is the daily reminder"
expect_contains "${commands[1]:-}" "mail-report" "job 2 is the monthly report"
expect_contains "${commands[2]:-}" "liaison -q audit checkpoint --key /etc/liaison/checkpoint.key" "job 3 is the daily checkpoint"
expect_eq "${commands[3]:-}" "liaison schedule run" "job 4 files the recurring obligations"
# The jobs act as a user the config lists (cron's own account is not one: refused, 77).
expect_match "$cron_user" '^[a-z.]+$' "the crontab sets LIAISON_USER"
run "$L" --format json config show
expect_eq "$(jq -r --arg u "$cron_user" '[.user[] | select(.id == $u) | .roles[]] | index("auditor")' <<<"$out")" "null" \
  "LIAISON_USER=$cron_user is a listed user who may write"
expect_eq "$(jq -r --arg u "$cron_user" '[.user[] | select(.id == $u)] | length' <<<"$out")" "1" \
  "LIAISON_USER=$cron_user is in the example config"

# Run each job as cron would (sh -c, the crontab's PATH replaced by ours).
run_job() {  # run_job COMMAND
  run env -u LIAISON_USER PATH="$work/bin:/usr/bin:/bin" HOME="$work" LIAISON_CONFIG="$work/liaison.toml" \
    LIAISON_USER="$cron_user" USER=liaison \
    SENDMAIL="$work/fake-sendmail -t -oi" MAIL_FROM=liaison@example.cn sh -c "$1"
}

# A record to be reminded of: internal complaint filed Thu 10-08, acknowledged at once;
# resolve 3wd: Fri 10-09 (1), Sat 10-10 (2, makeup day), Mon 10-12 (3) → 10-12 17:30.
at 2026-10-08T09:00:00+08:00
run "$L" file --kind complaint --from production --channel oral --to quality --assignee gao.feng \
  --subject "夜班照明不足"
expect_status 0 "a record to be reminded of"
run "$L" ack "$out"
expect_status 0 "acknowledged"

# --- job 1: the reminder ------------------------------------------------------------------
at 2026-10-17T09:00:00+08:00   # a Saturday
run_job "${commands[0]}"
expect_status 0 "job 1 on a Saturday"
expect_eq "$(mail_count)" "0" "job 1 sends nothing on a Saturday"
at 2026-10-10T09:00:00+08:00   # a makeup working Saturday (调休): not yet overdue, nothing to send
run_job "${commands[0]}"
expect_status 0 "job 1 on a makeup working day"
at 2026-10-19T09:00:00+08:00   # Monday: the record is 5 working days late
run_job "${commands[0]}"
expect_status 0 "job 1 on a Monday"
expect_eq "$out" "" "job 1 is quiet (-q) when all went well"
expect_eq "$(mail_count)" "1" "job 1 sent the reminder"
expect_eq "$(db "SELECT count(*) FROM events WHERE type = 'reminded'")" "1" "job 1 recorded it"
expect_eq "$(db "SELECT actor FROM events WHERE type = 'reminded'")" "$cron_user" "… as the crontab's LIAISON_USER"
# Without it, cron's own account (not a [[user]]) may not send reminders.
at 2026-10-20T09:00:00+08:00
run env -u LIAISON_USER PATH="$work/bin:/usr/bin:/bin" HOME="$work" LIAISON_CONFIG="$work/liaison.toml" USER=liaison \
  sh -c "${commands[0]}"
expect_status 77 "job 1 as cron's own account (not a [[user]]): refused"
expect_contains "$err" "add a [[user]]" "… saying how to fix it"
expect_eq "$(mail_count)" "1" "… and nothing was sent"
at 2026-10-19T09:00:00+08:00
run_job "${commands[0]}"
expect_eq "$(mail_count)" "1" "job 1 run again sends nothing"

# --- job 2: the monthly report --------------------------------------------------------------
rm -rf "$work/mail"
at 2026-10-09T08:00:00+08:00   # the second working day of October
run_job "${commands[1]}"
expect_status 0 "job 2 on the second working day of the month"
expect_eq "$(mail_count)" "0" "job 2 sends nothing when it is not the first working day"
at 2026-10-08T08:00:00+08:00   # Thursday after 国庆节 (10-01…10-07): the first working day
run_job "${commands[1]}"
expect_status 0 "job 2 on the first working day"
expect_eq "$(mail_count)" "1" "job 2 mailed the report"
msg="$work/mail/msg-001"
if [ -f "$msg" ]; then
  expect_match "$(cat "$msg")" $'\nTo: gm@example.cn\n' "report: To management"
  expect_match "$(cat "$msg")" $'\nContent-Type: multipart/mixed; boundary="[^"]+"\n' "report: multipart"
  subject="$(sed -n 's/^Subject: =?UTF-8?B?\([^?]*\)?= \(.*\)$/\1 \2/p' "$msg")"
  expect_eq "$(printf '%s' "${subject% *}" | base64 -d) ${subject#* }" "【liaison】月度沟通汇总 2026-09" "report: subject decodes, names the month"
  boundary="$(sed -n 's/^Content-Type: multipart\/mixed; boundary="\(.*\)"$/\1/p' "$msg")"
  html="$(awk -v b="--$boundary" '$0 == b {part++; body = 0; next} part == 2 && body {print} part == 2 && /^$/ {body = 1}' "$msg" |
    grep -v -- "^--" | base64 -d)"
  expect_contains "$(grep 'filename=' "$msg")" 'filename="liaison-report-2026-09.html"' "report: an attachment named after the month"
  expect_match "$html" '<html' "report: the attachment is the HTML report"
else
  fail "no message stored for the report"
fi
run_job "${commands[1]}"
expect_status 0 "job 2 run again the same day"
expect_eq "$(mail_count)" "1" "job 2 never sends the same month twice (stamp file)"

# --- job 3: the daily checkpoint, mailed ----------------------------------------------------
# The key where the crontab says, here under $work; `mail` a stand-in that keeps the message.
mkdir -p "$work/etc"
openssl genpkey -algorithm ed25519 -out "$work/etc/checkpoint.key" 2>/dev/null
chmod 600 "$work/etc/checkpoint.key"
openssl pkey -in "$work/etc/checkpoint.key" -pubout -out "$work/checkpoint.pub" 2>/dev/null
cat >"$work/bin/mail" <<'MAIL'
#!/bin/sh
# A stand-in for mail(1): keeps the body it is given.
cat >>"$HOME/kept-checkpoints.txt"
MAIL
chmod +x "$work/bin/mail"
job3="${commands[2]//\/etc\/liaison/$work/etc}"
run_job "$job3"
expect_status 0 "job 3 writes and mails a checkpoint"
expect_eq "$(grep -c 'BEGIN LIAISON CHECKPOINT' "$work/kept-checkpoints.txt" 2>/dev/null)" "1" "… one checkpoint mailed"
expect_eq "$(db 'SELECT count(*) FROM checkpoints')" "1" "… and stored"
run "$L" audit verify --checkpoints "$work/kept-checkpoints.txt" --trusted-key "$work/checkpoint.pub"
expect_status 0 "the mailed checkpoint verifies against the public key"
expect_contains "$out" "2 checkpoints hold" "… the mailed copy and the stored one"

# --- job 4: the recurring obligations ---------------------------------------------------------
at 2026-11-02T06:00:00+08:00   # the first working day of November
run_job "${commands[3]}"
expect_status 0 "job 4 files the schedules' records"
expect_contains "$out" $'quality-monthly-report\t2026-11' "… November's quality report"
expect_contains "$out" $'monthly-safety-meeting\t2026-11' "… and safety meeting"
expect_eq "$(db "SELECT DISTINCT actor FROM events WHERE type = 'filed' AND json_extract(data, '\$.schedule.id') IS NOT NULL")" \
  "$cron_user" "… as the crontab's LIAISON_USER"
run_job "${commands[3]}"
expect_status 0 "job 4 again the same day"
expect_eq "$out" "" "… files nothing more and says nothing"

# --- the systemd units -----------------------------------------------------------------------
exec_of() { sed -n 's/^ExecStart=//p' "$1"; }
expect_eq "$(exec_of "$CRON/liaison-remind.service")" "/usr/local/bin/liaison -q remind --if-working-day" \
  "the remind service runs the same command as the crontab"
# The service's command, with our binary, runs.
cmd="$(exec_of "$CRON/liaison-remind.service")"
unit_user="$(sed -n 's/^Environment=LIAISON_USER=//p' "$CRON/liaison-remind.service")"
expect_eq "$unit_user" "$cron_user" "the remind service acts as the crontab's user"
run env LIAISON_CONFIG="$work/liaison.toml" LIAISON_USER="$unit_user" "$L" ${cmd#/usr/local/bin/liaison }
expect_status 0 "the remind service's command runs"
expect_match "$(exec_of "$CRON/liaison-report.service")" '^/usr/local/lib/liaison/mail-report [^ ]+@' \
  "the report service runs mail-report with an address"
for unit in liaison-remind.timer liaison-report.timer; do
  expect_match "$(cat "$CRON/$unit")" $'\nOnCalendar=[^\n]+' "$unit has OnCalendar"
done
if command -v systemd-analyze >/dev/null 2>&1; then
  mkdir units
  for f in "$CRON"/liaison-*.service "$CRON"/liaison-*.timer; do
    # verify checks that ExecStart exists: point it at the files of this checkout.
    sed "s|/usr/local/bin/liaison|$L|; s|/usr/local/lib/liaison/mail-report|$CRON/mail-report|" "$f" \
      >"units/$(basename "$f")"
  done
  for calendar in $(sed -n 's/^OnCalendar=//p' units/*.timer | tr ' ' '_'); do
    run systemd-analyze calendar "${calendar//_/ }"
    expect_status 0 "systemd-analyze calendar ${calendar//_/ }"
  done
  run systemd-analyze verify --man=no units/*.service units/*.timer
  expect_status 0 "systemd-analyze verify the units"
  expect_eq "$err" "" "systemd-analyze verify: no complaints"
else
  pass "systemd-analyze not installed: units not verified"
fi

finish
