#!/usr/bin/env bash
# Bitemporal, salted events (issue 10): every event keeps when it took effect (--now) and
# when it was written (the real clock, always); `show`, `show --format json`, `audit log
# --format json` and the events view show both; an effective time later than the clock is
# refused with exit 5 by every writing command (and import refuses such times, 65), while
# back-filling stays possible and visible. Each new event's hash covers a random salt,
# shown (like the hash) only to a reader who may read every level.
. "$(dirname "$0")/lib.sh"

setup_workdir
epoch() { date -u -d "$1" +%s; }
future="$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)"

# ---------------------------------------------------------------------------------------
# Back-filled: --now in the past. The event takes effect then and is recorded now.
at 2026-09-21T10:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "party add, back-filled"
before="$(date -u +%s)"
run "$L" file --kind complaint --party svw --channel email --subject "批次 2609 支架尺寸超差"
after="$(date -u +%s)"
expect_status 0 "file, back-filled"
ref="$out"
filed="$(db "SELECT max(id) FROM events")"
expect_eq "$(db "SELECT at FROM events WHERE id = $filed")" "$(epoch 2026-09-21T02:00:00Z)" "at is --now"
recorded="$(db "SELECT recorded_at FROM events WHERE id = $filed")"
if [ -n "$recorded" ] && [ "$recorded" -ge "$before" ] && [ "$recorded" -le "$after" ]; then
  pass "recorded_at is the real clock while the command ran"
else
  fail "recorded_at $recorded is not between $before and $after"
fi
run "$L" show "$ref"
expect_status 0 "show"
recorded_iso="$(TZ=Asia/Shanghai date -d "@$recorded" '+%Y-%m-%dT%H:%M:%S+08:00')"
expect_contains "$out" "2026-09-21T10:00:00+08:00 (recorded $recorded_iso)" "show gives both times of a back-filled event"
run "$L" --format json show "$ref"
expect_eq "$(printf '%s' "$out" | jq -r '.history[0].at')" "2026-09-21T10:00:00+08:00" "JSON: at"
expect_eq "$(printf '%s' "$out" | jq -r '.history[0].recorded_at')" \
  "$(TZ=Asia/Shanghai date -d "@$recorded" '+%Y-%m-%dT%H:%M:%S+08:00')" "JSON: recorded_at"
run "$L" --format json audit log --ref "$ref"
expect_eq "$(printf '%s' "$out" | jq -r '.[0].recorded_at')" \
  "$(TZ=Asia/Shanghai date -d "@$recorded" '+%Y-%m-%dT%H:%M:%S+08:00')" "audit log JSON: recorded_at"
run "$L" query "SELECT at_utc, recorded_at_utc FROM events WHERE id = $filed"
expect_status 0 "the events view has recorded_at"
expect_contains "$out" "$recorded" "… with the real clock's time"

# Not back-filled: without --now both times are the same, and show says one.
unset LIAISON_NOW
run "$L" log "$ref" "已电话告知客户正在调查"
expect_status 0 "log at the clock"
logged="$(db "SELECT max(id) FROM events")"
expect_eq "$(db "SELECT recorded_at - at FROM events WHERE id = $logged")" "0" "without --now, at = recorded_at"
run "$L" show "$ref"
expect_eq "$(printf '%s\n' "$out" | grep -c '(recorded')" "1" "show annotates only the back-filled event"

# ---------------------------------------------------------------------------------------
# The future is refused: every writing command, exit 5, nothing written.
fails 5 "is in the future" "file with --now in the future" \
  "$L" --now "$future" file --kind complaint --party svw --channel email --subject "未来"
expect_contains "$err" "leave out --now" "… saying what to do"
fails 5 "is in the future" "log with --now in the future" "$L" --now "$future" log "$ref" "未来的备注"
fails 5 "is in the future" "ack with --now in the future" "$L" --now "$future" ack "$ref"
fails 5 "is in the future" "close with --now in the future" \
  "$L" --now "$future" close "$ref" --resolution "未来" --reply-via email
fails 5 "is in the future" "party add with --now in the future" \
  "$L" --now "$future" party add "某供应商" --id sup1 --type supplier
fails 5 "is in the future" "LIAISON_NOW in the future too" env LIAISON_NOW="$future" "$L" log "$ref" "未来"
use_fake_sendmail
fails 5 "is in the future" "remind with --now in the future" "$L" --now "$future" remind
run "$L" --now "$future" remind --dry-run
expect_status 0 "remind --dry-run may look ahead (it writes nothing)"
run "$L" --now "$future" list
expect_status 0 "reading commands may look ahead"

# import: a history cannot hold what has not happened.
run "$L" export --with-events --out all.jsonl
expect_status 0 "export"
sed -n 2p all.jsonl | jq -c --arg f "$future" '.ref = "EXT-2026-00099" | .events[-1].at = $f' > future.jsonl
run "$L" --db fresh.db import future.jsonl
expect_status 4 "import into a missing database is 4"
"$L" --db fresh.db init --db-only >/dev/null 2>&1
run "$L" --db fresh.db import future.jsonl
expect_status 65 "import of an event later than the clock is 65"
expect_contains "$err" "is later than the clock" "… saying why"
expect_eq "$(sqlite3 fresh.db 'SELECT count(*) FROM records')" "0" "… and imports nothing"

# ---------------------------------------------------------------------------------------
# Salts: random, one per event, and shown only to a reader of every level.
expect_eq "$(db "SELECT count(*) FROM events WHERE length(salt) = 32 AND salt NOT GLOB '*[^0-9a-f]*'")" \
  "$(db 'SELECT count(*) FROM events')" "every new event has a 32-hex-digit salt"
expect_eq "$(db 'SELECT count(DISTINCT salt) FROM events')" "$(db 'SELECT count(*) FROM events')" "… each its own"
run "$L" --format json show "$ref"
expect_eq "$(printf '%s' "$out" | jq -r '.history[0].salt')" "$(db "SELECT salt FROM events WHERE id = $filed")" \
  "top clearance sees the salt"
run env LIAISON_USER=xu.li "$L" --format json show "$ref"
expect_status 0 "a reader below top-secret shows the record"
expect_eq "$(printf '%s' "$out" | jq -r '[.history[] | .salt, .hash] | unique | join(",")')" "" \
  "… and sees neither salt nor hash"
run env LIAISON_USER=xu.li "$L" query "SELECT count(salt), count(hash) FROM events"
expect_eq "$out" "$(printf '0\t0')" "the view hides them from that reader"
run "$L" query "SELECT count(salt) FROM events"
expect_contains "$out" "$(db 'SELECT count(*) FROM events')" "… and shows them to one of every level"

finish
