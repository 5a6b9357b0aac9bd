#!/usr/bin/env bash
# liaison export and overdue benchmark (issue 15): `export --with-events` (JSON Lines) and
# `overdue --format json` beside the cheapest sqlite3 shell SQL that writes the SAME
# bytes — checked by comparing the sha256 of both outputs — timed back to back, with CPU
# time and peak memory. A report, not a test: it exits 0 even when a target is missed.
#
#   tests/bench/export.sh SIZE_OR_DIR...
#
# Each argument is a number of records to generate (generate.py, into a temporary
# directory) or a directory holding liaison.toml and records.db (only read: both sides
# open the database as it is). Environment: LIAISON_BIN (default build-bench/liaison),
# RUNS (timed runs of each side of overdue, default 5; export runs once per side), SEED.
#
# The sqlite3 side (written to the work directory as export.sql and overdue.sql):
# - export: one SELECT of json_object(...) per party the records name, then one per
#   record in received_at, id order, with its clocks and its events gathered by
#   json_group_array over correlated subqueries, times by strftime at the zone's fixed
#   offset, the stored event data through json();
# - overdue: the two halves of liaison's overdue selection (unacknowledged, unresolved)
#   over the same partial indexes, and the lateness on the working calendar from a
#   temporary table of days (working or not, working days before) that the shell builds
#   from the config's workdays, hours, holiday notices and overrides (passed in as
#   VALUES), each object printed with the layout of liaison's JSON (keys sorted, two-space
#   indent). Both need a zone without DST over the data (Asia/Shanghai since 1992).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
bench_setup export.sh 5 sqlite3 time
(( $# > 0 )) || { echo "usage: tests/bench/export.sh SIZE_OR_DIR..." >&2; exit 2; }
# Top management with the highest clearance: nothing is redacted (the shell redacts nothing).
export LIAISON_USER=zhou.jianguo
NOW=2027-01-01T00:00:00+08:00
WORK=$(mktemp -d "${TMPDIR:-/tmp}/liaison-export-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# timed CMD...: runs CMD with its output thrown away; prints "wall user sys maxrss-KiB".
timed() {
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/cmd.err" ||
    { echo "export.sh: failed: $*" >&2; cat "$WORK/cmd.err" >&2; exit 1; }
  tail -1 "$WORK/time.txt"
}
# digest CMD...: the sha256 of CMD's output (an untimed run of its own).
digest() { "$@" 2>"$WORK/cmd.err" | sha256sum | cut -c1-64; }

# The SQL of the sqlite3 side for the config in $1 (see the head of this file).
write_sql() {
  python3 - "$1" "$NOW" "$WORK" <<'PY'
import datetime as dt, sys, tomllib, zoneinfo
config_path, now_text, work = sys.argv[1:]
with open(config_path, "rb") as f:
    config = tomllib.load(f)
zone = zoneinfo.ZoneInfo(config.get("organization", {}).get("timezone", "UTC"))
now = dt.datetime.fromisoformat(now_text)
# A fixed offset over the data's years, or the shell's strftime would need the zone's rules.
offsets = {zone.utcoffset(dt.datetime(y, m, 1)) for y in range(1992, now.year + 2) for m in (1, 7)}
if len(offsets) != 1:
    sys.exit(f"export.sh: the zone {zone} changes offset; the sqlite3 side supports fixed offsets only")
offset = int(offsets.pop().total_seconds())
sign = "+" if offset >= 0 else "-"
suffix = f"{sign}{abs(offset) // 3600:02}:{abs(offset) % 3600 // 60:02}"

def iso(column):
    return f"strftime('%Y-%m-%dT%H:%M:%S{suffix}', {column} + {offset}, 'unixepoch')"

with open(f"{work}/export.sql", "w") as out:
    out.write(f"""SELECT json_object('type', 'party', 'id', id, 'name', name, 'party_type', type, 'contact', contact,
  'phone', phone, 'email', email, 'address', address, 'notes', notes, 'created_at', {iso('created_at')})
FROM parties WHERE id IN (SELECT party FROM records) ORDER BY id;
SELECT json_object('type', 'record', 'ref', ref, 'kind', kind, 'direction', direction, 'flow', flow,
  'subject', subject, 'body', body, 'channel', channel, 'party', coalesce(party, ''), 'from_dept', from_dept,
  'owner', owner, 'assignee', assignee, 'level', level, 'major', json(iif(major, 'true', 'false')),
  'status', status, 'outcome', outcome, 'resolution', resolution, 'reply_via', reply_via, 'capa', capa,
  'rule', rule, 'notify', json(iif(notify = '', '[]', '["' || replace(notify, ',', '","') || '"]')),
  'escalated_to', escalated_to, 'received_at', {iso('received_at')}, 'created_at', {iso('created_at')},
  'created_by', created_by, 'ack_due', {iso('ack_due')}, 'acked_at', {iso('acked_at')}, 'due', {iso('due')},
  'closed_at', {iso('closed_at')}, 'redacted', json('false'),
  'clocks', (SELECT json_group_array(json_object('clock', name, 'duration', duration,
      'started_at', {iso('started_at')}, 'due', {iso('due')}, 'stopped_at', {iso('stopped_at')},
      'used_seconds', used_seconds, 'paused_since', {iso('paused_since')}, 'paused_seconds', paused_seconds,
      'config_hash', config_hash, 'provisional', json(iif(provisional, 'true', 'false'))))
    FROM (SELECT * FROM clocks WHERE record_id = r.id
          ORDER BY CASE name WHEN 'ack' THEN 0 WHEN 'resolve' THEN 1 ELSE 2 END, name)),
  'events', (SELECT json_group_array(json_object('type', type, 'actor', actor, 'at', {iso('at')},
      'data', json(data)))
    FROM (SELECT type, actor, at, data FROM events WHERE record_id = r.id ORDER BY id)))
FROM records r ORDER BY received_at, id;
""")

# The working calendar as the config states it: workdays, hours, notices (rest and
# makeup days), overrides (they win).
cal = config.get("calendar", {})
names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
workdays = {names.index(d) for d in cal.get("workdays", names[:5])}
spans = []
for h in cal.get("hours", ["08:30-12:00", "13:00-17:30"]):
    a, b = h.split("-")
    spans.append(tuple(int(x[:2]) * 3600 + int(x[3:]) * 60 for x in (a, b)))
day_seconds = sum(b - a for a, b in spans)
special = {}
def days(first, last):
    d = dt.date.fromisoformat(first)
    while d <= dt.date.fromisoformat(last):
        yield d
        d += dt.timedelta(days=1)
for notice in cal.get("notice", []):
    for holiday in notice.get("holidays", []):
        for d in days(*holiday.get("rest", [])[:2]) if holiday.get("rest") else []:
            special[d] = 0
        for m in holiday.get("makeup", []):
            special[dt.date.fromisoformat(m)] = 1
for o in cal.get("override", []):
    special[dt.date.fromisoformat(o["date"])] = 1 if o.get("work") else 0
values = ", ".join(f"('{d.isoformat()}', {w})" for d, w in sorted(special.items())) or "(NULL, NULL)"
weekdays = ", ".join(f"'{(i + 1) % 7}'" for i in sorted(workdays))  # strftime %w: 0 = Sunday

def worked(tod):  # working seconds of a working day before time of day `tod`
    return " + ".join(f"max(0, min({tod}, {b}) - {a})" for a, b in spans)

now_s = int(now.timestamp())
with open(f"{work}/overdue.sql", "w") as out:
    out.write(f""".mode list
.separator '' ''
CREATE TEMP TABLE cal(day TEXT PRIMARY KEY, working INTEGER, before INTEGER) WITHOUT ROWID;
WITH RECURSIVE d(day) AS (
  SELECT date(coalesce(min(a, r), a, r, {now_s}) + {offset}, 'unixepoch', '-1 day')
  FROM (SELECT (SELECT min(ack_due) FROM records WHERE acked_at IS NULL AND status <> 'closed') AS a,
               (SELECT min(due) FROM records WHERE status <> 'closed' AND status <> 'waiting') AS r)
  UNION ALL SELECT date(day, '+1 day') FROM d WHERE day < '{(now + dt.timedelta(days=3)).date().isoformat()}'),
special(day, working) AS (VALUES {values})
INSERT INTO cal SELECT day, w, sum(w) OVER (ORDER BY day) - w
FROM (SELECT d.day, coalesce(special.working, strftime('%w', d.day) IN ({weekdays})) AS w
      FROM d LEFT JOIN special ON special.day = d.day);
SELECT '[';
WITH due(ref, kind, direction, owner, assignee, subject, major, status, obligation, deadline) AS (
  SELECT ref, kind, direction, owner, assignee, subject, major, status, 'ack', ack_due FROM records
  WHERE acked_at IS NULL AND status <> 'closed' AND ack_due < {now_s}
  UNION ALL
  SELECT ref, kind, direction, owner, assignee, subject, major, status, 'resolve', due FROM records
  WHERE status <> 'closed' AND status <> 'waiting' AND due < {now_s}),
late AS (
  SELECT due.*, row_number() OVER (ORDER BY deadline, ref, obligation) AS n,
    (SELECT before FROM cal WHERE day = date({now_s} + {offset}, 'unixepoch', '+1 day'))
      - (SELECT before FROM cal WHERE day = date(deadline + {offset}, 'unixepoch', '+1 day')) AS days,
    (SELECT before * {day_seconds} + working * ({worked(f"({now_s} + {offset}) % 86400")}) FROM cal
      WHERE day = date({now_s} + {offset}, 'unixepoch'))
      - (SELECT before * {day_seconds} + working * ({worked(f"(deadline + {offset}) % 86400")}) FROM cal
         WHERE day = date(deadline + {offset}, 'unixepoch')) AS seconds
  FROM due),
hours AS (SELECT late.*, seconds * 100 / 3600 AS hours FROM late)
SELECT iif(n > 1, ',', '') || char(10) || '  {{' || char(10) ||
  '    "assignee": ' || json_quote(assignee) || ',' || char(10) ||
  '    "direction": ' || json_quote(direction) || ',' || char(10) ||
  '    "due": "' || {iso('deadline')} || '",' || char(10) ||
  '    "kind": ' || json_quote(kind) || ',' || char(10) ||
  '    "late_working_days": ' || days || ',' || char(10) ||
  '    "late_working_hours": ' || (hours / 100) || '.' ||
    CASE WHEN (hours % 100) = 0 THEN '0' WHEN (hours % 10) = 0 THEN (hours % 100) / 10
         ELSE printf('%02d', hours % 100) END || ',' || char(10) ||
  '    "late_working_seconds": ' || seconds || ',' || char(10) ||
  '    "major": ' || iif(major, 'true', 'false') || ',' || char(10) ||
  '    "obligation": "' || obligation || '",' || char(10) ||
  '    "overdue": true,' || char(10) ||
  '    "owner": ' || json_quote(owner) || ',' || char(10) ||
  '    "ref": ' || json_quote(ref) || ',' || char(10) ||
  '    "status": ' || json_quote(status) || ',' || char(10) ||
  '    "subject": ' || json_quote(subject) || char(10) || '  }}'
FROM hours ORDER BY n;
SELECT char(10) || ']' || char(10);
""")
PY
}

ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print(f'{a / b:.2f}' if b > 0 else '-')" "$@"; }
missed=0
# report NAME LIAISON_TIMES SQLITE_TIMES SAME: one line per measure.
report() {
  local name=$1 same=$4
  read -r lw lu ls lm <<<"$2"
  read -r sw su ss sm <<<"$3"
  local lc sc
  lc=$(python3 -c "print(f'{$lu + $ls:.2f}')")
  sc=$(python3 -c "print(f'{$su + $ss:.2f}')")
  local wr cr verdict=ok
  wr=$(ratio "$lw" "$sw")
  cr=$(ratio "$lc" "$sc")
  if python3 -c "import sys; sys.exit(0 if $cr <= 1.2 and $lm < 65536 else 1)"; then :; else verdict=MISSED; fi
  [[ $same = yes ]] || verdict="MISSED (outputs differ)"
  printf '  %-24s liaison %7ss wall %7ss cpu %6.1f MB | sqlite3 %7ss wall %7ss cpu %6.1f MB | %5sx wall %5sx cpu | same bytes: %s | <= 1.2x, < 64 MB: %s\n' \
    "$name" "$lw" "$lc" "$(python3 -c "print($lm / 1024)")" "$sw" "$sc" "$(python3 -c "print($sm / 1024)")" "$wr" "$cr" "$same" "$verdict"
}
# The median run (by CPU) of RUNS of CMD, as timed prints it.
median() {
  local runs=$1; shift
  for ((i = 0; i < runs; i++)); do timed "$@"; done | sort -k2,2 -g | sed -n "$(( (runs + 1) / 2 ))p"
}

for arg in "$@"; do
  if [[ -d $arg ]]; then
    dir=$arg
  else
    dir=$WORK/gen
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && "$L" --quiet init >/dev/null &&
      python3 "$HERE/generate.py" --config liaison.toml --db records.db -n "$arg" --seed "$SEED" >/dev/null)
  fi
  write_sql "$dir/liaison.toml"
  db=$dir/records.db
  LIA=("$L" --config "$dir/liaison.toml" --db "$db" --now "$NOW")
  echo "== $(sqlite3 -readonly "$db" 'SELECT count(*) FROM records') records, $(sqlite3 -readonly "$db" 'SELECT count(*) FROM events') events ($dir); load: $(uptime | sed 's/.*load average: //')"

  same=no
  d=$(digest "${LIA[@]}" export --with-events)
  [[ $d = $(digest sqlite3 -readonly "$db" ".read $WORK/export.sql") ]] && same=yes
  echo "   export --with-events: sha256 ${d:0:16}…"
  report "export --with-events" "$(timed "${LIA[@]}" export --with-events)" "$(timed sqlite3 -readonly "$db" ".read $WORK/export.sql")" "$same"

  same=no
  d=$(digest "${LIA[@]}" overdue --format json)
  [[ $d = $(digest sqlite3 -readonly "$db" ".read $WORK/overdue.sql") ]] && same=yes
  echo "   overdue --format json: sha256 ${d:0:16}…"
  report "overdue --format json" "$(median "$RUNS" "${LIA[@]}" overdue --format json)" \
    "$(median "$RUNS" sqlite3 -readonly "$db" ".read $WORK/overdue.sql")" "$same"
  echo "   load after: $(uptime | sed 's/.*load average: //')"
  rm -rf "$WORK/gen"
done
echo "cpu = user + system; the ratio is liaison over sqlite3; target on cpu (wall wanders on a shared machine)"
exit 0
