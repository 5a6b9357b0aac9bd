#!/usr/bin/env bash
# liaison import benchmark: `liaison import` of a JSON Lines export (records,
# clocks and their whole history) into an empty database, beside the sqlite3 shell
# loading the same data as CSV into the same schema — same indexes, same full-text
# index (filled with the liaison_fts extension) — in one transaction. A report, not a
# test: it exits 0 even when a target is missed (it prints MISSED).
#
#   tests/bench/import.sh [N=100000]
#
# Environment: LIAISON_BIN (default build-bench/liaison), KEEP=1, SEED, and DATA=DIR to
# take DIR/liaison.toml and DIR/records.db instead of generating (see run.sh).
# Each side runs once (at 1,000,000 records each takes minutes); peak memory is measured
# on that run with /usr/bin/time. An import refuses history later than the real clock
# (not --now), so the data generated here covers the two years up to yesterday; a DATA=
# database must end before today too (generate.py --end).
set -euo pipefail

N=${1:-100000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LIAISON_BIN=${LIAISON_BIN:-$ROOT/build-bench/liaison}
SEED=${SEED:-20250101}
[[ $LIAISON_BIN = /* ]] || LIAISON_BIN=$ROOT/$LIAISON_BIN
[[ -x $LIAISON_BIN ]] || { echo "import.sh: no liaison binary at $LIAISON_BIN (see tests/bench/README.md)" >&2; exit 2; }
EXT="$(dirname "$LIAISON_BIN")/liaison_fts"
[[ -f $EXT.so ]] || { echo "import.sh: no $EXT.so beside the binary (it is built with liaison)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "import.sh: sqlite3 shell not found" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "import.sh: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/liaison-import-bench.XXXXXX")
if [[ ${KEEP:-0} = 1 ]]; then echo "keeping $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi
cd "$WORK"
unset LIAISON_DB LIAISON_CONFIG LIAISON_NOW
# Top management with the highest clearance: nothing is redacted, and it may import.
export LIAISON_USER=zhou.jianguo LANG=C.UTF-8 NO_COLOR=1
L=$LIAISON_BIN

mkdir src
if [[ -n ${DATA:-} ]]; then
  cp "$DATA/liaison.toml" "$DATA/records.db" src/
  (cd src && "$L" --quiet init --db-only)
else
  END=$(date -d yesterday +%F)
  (cd src && "$L" --quiet init >/dev/null &&
    python3 "$HERE/generate.py" --config liaison.toml --db records.db -n "$N" --seed "$SEED" \
      --start "$(date -d "$END -2 years +1 day" +%F)" --end "$END")
fi
N=$(sqlite3 src/records.db 'SELECT count(*) FROM records')
E=$(sqlite3 src/records.db 'SELECT count(*) FROM events')
echo "== liaison import benchmark: $N records, $E events, $(nproc) cores; binary $L"

# secs_rss CMD...: runs CMD once; prints "wall-seconds cpu-seconds max-RSS-KiB" (cpu = user + system).
secs_rss() {
  /usr/bin/time -f '%e %U %S %M' -o time.txt "$@" >/dev/null 2>cmd.err || { echo "import.sh: failed: $*" >&2; cat cmd.err >&2; exit 1; }
  tail -1 time.txt | awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }'
}

# The export (untimed input of both sides, but its figures are printed).
read -r exp_s exp_u exp_m < <(secs_rss "$L" --config src/liaison.toml --db src/records.db export --with-events --out export.jsonl)
echo "   export --with-events: ${exp_s}s, $(du -h export.jsonl | cut -f1), max RSS ${exp_m} KiB"

# The same data as CSV for the shell: every column of the four tables the import fills.
for t in parties records clocks events; do
  sqlite3 -readonly -csv -header src/records.db "SELECT * FROM $t" >"$t.csv"
done
echo "   CSV for sqlite3: $(du -ch ./*.csv | tail -1 | cut -f1)"

# Two empty databases with the current schema: its indexes and the search index.
mkdir lia sql
cp src/liaison.toml lia/ && cp src/liaison.toml sql/
(cd lia && "$L" --quiet init --db-only)
(cd sql && "$L" --quiet init --db-only)

# The shell's .import cannot write NULL (an empty CSV field is ''), so each table goes
# through a staging table and one INSERT … SELECT that turns '' back into NULL in the
# columns that may be NULL.
cols() { sqlite3 src/records.db "SELECT group_concat(CASE WHEN \"notnull\" = 0 AND pk = 0 THEN printf('nullif(%s, %Q)', name, '') ELSE name END, ', ') FROM pragma_table_info('$1')"; }
{
  echo ".load $EXT"
  echo "PRAGMA foreign_keys = ON;"
  echo "PRAGMA synchronous = NORMAL;"
  echo "BEGIN IMMEDIATE;"
  for t in parties records clocks events; do
    echo ".import --csv ../$t.csv stage_$t"
    echo "INSERT INTO $t SELECT $(cols $t) FROM stage_$t;"
    echo "DROP TABLE stage_$t;"
  done
  echo "INSERT INTO search(rowid, subject, body, history) SELECT item, subject, body, history FROM search_items;"
  echo "COMMIT;"
} >load.sql

echo "   load before: $(uptime | sed 's/.*load average: //')"
read -r lia_s lia_u lia_m < <(cd lia && secs_rss "$L" import ../export.jsonl)
read -r sql_s sql_u sql_m < <(cd sql && secs_rss sqlite3 records.db ".read ../load.sql")
echo "   load after: $(uptime | sed 's/.*load average: //')"

# Both hold the same records; liaison's must verify (the shell copied the hashes as they were).
for d in lia sql; do
  echo "   $d: $(sqlite3 "$d/records.db" 'SELECT count(*) FROM records') records, $(sqlite3 "$d/records.db" 'SELECT count(*) FROM events') events"
done
if verify=$(cd lia && "$L" audit verify 2>&1); then echo "   audit verify on liaison's import: $verify"
else echo "MISSED: audit verify fails on the imported database: $verify"; fi
hits_l=$(cd lia && "$L" search 质量 --limit 0 | wc -l)
hits_s=$(cd sql && "$L" search 质量 --limit 0 | wc -l)
echo "   search 质量 finds $hits_l records in liaison's import, $hits_s in the shell's"

python3 - "$lia_s" "$lia_u" "$lia_m" "$sql_s" "$sql_u" "$sql_m" <<'PY'
import sys
ls, lu, lm, ss, su, sm = sys.argv[1:]
ratio = float(ls) / float(ss)
cpu_ratio = float(lu) / float(su)
ok = cpu_ratio <= 1.2 and int(lm) < 64 * 1024  # on CPU: wall wanders on a shared machine
print(f"import: liaison {float(ls):.1f} s (cpu {lu} s, max RSS {int(lm)/1024:.1f} MB) vs sqlite3 .import "
      f"{float(ss):.1f} s (cpu {su} s, max RSS {int(sm)/1024:.1f} MB): {ratio:.2f}x wall, {cpu_ratio:.2f}x cpu; "
      f"target (issue 15) <= 1.2x and < 64 MB: {'ok' if ok else 'MISSED'}")
PY
exit 0
