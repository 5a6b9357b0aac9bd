#!/usr/bin/env bash
# The PostgreSQL benchmark (liaison-postgresql(7)): N records made by generate.py into a
# SQLite file, carried to a fresh PostgreSQL database by `export --with-events` and
# `import` (timed), then each command timed beside psql getting the same answer on the
# same database, with the ratio and the command's peak memory.
#
#   tests/bench/pg_run.sh [N]        N records, default 100000
#
# Needs a server the caller may create databases on, through PGHOST/PGPORT/PGUSER
# (scripts/pg-cluster start build/pg && . build/pg/env), python3, the sqlite3 shell and
# /usr/bin/time. Like run.sh it builds nothing (LIAISON_BIN, default build-bench/liaison),
# always exits 0 and prints MISSED beside a ratio over its target: it is a report.
# RUNS (default 10) runs per command after one warm-up; the median is shown.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
N="${1:-100000}"
RUNS="${RUNS:-10}"
L="${LIAISON_BIN:-$ROOT/build-bench/liaison}"
[ -x "$L" ] || { echo "pg_run: no liaison at $L (build it, or set LIAISON_BIN)" >&2; exit 2; }
: "${PGHOST:?pg_run: set PGHOST and PGPORT (. build/pg/env)}"
work="$(mktemp -d "${TMPDIR:-/tmp}/liaison-pgbench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
unset LIAISON_CONFIG LIAISON_DB LIAISON_NOW LIAISON_FORMAT
# Of every clearance (nothing redacted from the export), and head of every department.
export LIAISON_USER=zhou.jianguo LANG=C.UTF-8 NO_COLOR=1 LIAISON_PAGER=

db="bench_$$"
psql -X -q -d postgres -c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0" || exit 2
url="postgresql://${PGUSER:-postgres}@/$db?host=$PGHOST&port=$PGPORT"
cleanup_db() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; }
trap 'cleanup_db; rm -rf "$work"' EXIT
q() { psql -X -A -t -q -d "$url" "$@"; }

secs() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1e9:.3f}')" "$1"; }
# median_ns CMD...: the median wall time of RUNS runs, in ns (one warm-up run first)
median_ns() {
  "$@" >/dev/null 2>&1
  local i t0 times=()
  for ((i = 0; i < RUNS; i++)); do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    times+=($(($(date +%s%N) - t0)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}
# peak_kb FUNCTION: the peak resident memory of the command the function runs (bash execs
# a lone command, so this is liaison's own), in KB.
peak_kb() {
  export -f "$1"
  /usr/bin/time -f %M -o peak.kb bash -c "$1" >/dev/null 2>&1
  tail -1 peak.kb
}

echo "== $N records"
"$L" --quiet init >/dev/null
t0=$(date +%s%N)
# Nothing after today: an import takes only what has happened.
python3 "$HERE/generate.py" --config liaison.toml --db records.db -n "$N" --end "$(date -d yesterday +%F)" >/dev/null || exit 2
echo "generated into SQLite: $(secs $(($(date +%s%N) - t0))) s"
"$L" --db records.db export --with-events --out all.jsonl || exit 2
"$L" --quiet --db "$url" init --db-only >/dev/null || exit 2
t0=$(date +%s%N)
/usr/bin/time -f %M -o import.kb "$L" --db "$url" import all.jsonl || { echo "pg_run: the import failed" >&2; exit 2; }
echo "import into PostgreSQL: $(secs $(($(date +%s%N) - t0))) s, peak $(tail -1 import.kb) KB"
"$L" --db "$url" export --with-events --out again.jsonl
cmp -s all.jsonl again.jsonl && echo "export from PostgreSQL: byte-identical to SQLite's" ||
  echo "export from PostgreSQL: DIFFERS from SQLite's"
q -c "VACUUM ANALYZE" >/dev/null
export LIAISON_DB="$url" L url
printf '\n%-44s %10s %10s %7s %6s %9s\n' command liaison psql ratio target "peak KB"
# works CMD...: runs it once, showing why when it fails (then the row is not timed).
works() { "$@" >/dev/null 2>works.err || { echo "pg_run: $* failed: $(head -c 300 works.err)" >&2; return 1; }; }
row() {  # row NAME TARGET LIAISON_NS PSQL_NS PEAK_KB
  local ratio
  ratio=$(python3 -c "import sys; print(f'{int(sys.argv[1]) / max(int(sys.argv[2]), 1):.2f}')" "$3" "$4")
  local verdict=""
  python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)" "$ratio" "$2" || verdict=" MISSED"
  [ "$5" -gt 65536 ] && verdict="$verdict MISSED(memory)"
  printf '%-44s %9ss %9ss %6sx %5sx %9s%s\n' "$1" "$(secs "$3")" "$(secs "$4")" "$ratio" "$2" "$5" "$verdict"
}

# file: one complaint, against psql inserting the same rows (a record, its two clocks, its
# event and its search terms) into copies of the tables, in one transaction.
q -c "CREATE TABLE b_records (LIKE records INCLUDING ALL); CREATE TABLE b_clocks (LIKE clocks INCLUDING ALL);
      CREATE TABLE b_events (LIKE events INCLUDING ALL); CREATE TABLE b_search (LIKE search_index INCLUDING ALL)" >/dev/null
export party=$(q -c "SELECT id FROM parties WHERE type = 'customer' ORDER BY id LIMIT 1")
file_cmd() { "$L" file --kind complaint --party "$party" --channel email --subject "基准投诉：外观不良" --body "批次 A 外观不良"; }
psql_file() {
  q -c "BEGIN;
    INSERT INTO sequences (name, last) VALUES ('BENCH', 1) ON CONFLICT (name) DO UPDATE SET last = sequences.last + 1;
    INSERT INTO b_records SELECT (SELECT coalesce(max(id), 0) + 1 FROM b_records) + 1000000000, 'B-' || (SELECT last FROM sequences WHERE name = 'BENCH'),
      kind, direction, flow, subject, body, channel, party, from_dept, owner, assignee, level, major, status, outcome,
      resolution, reply_via, capa, rule, notify, escalated_to, received_at, created_at, created_by, ack_due, acked_at, due,
      closed_at, purged_at, anonymised_at, topic, customer_ref, eight_d, their_ref, compliance_obligation FROM records WHERE id = 1;
    INSERT INTO b_clocks SELECT (SELECT max(id) FROM b_records), name, duration, started_at, due, stopped_at, used_seconds,
      paused_since, paused_seconds, config_hash, provisional, given FROM clocks WHERE record_id = 1;
    INSERT INTO b_events SELECT (SELECT coalesce(max(id), 0) + 1 FROM b_events) + 1000000000, NULL, type, actor, at, data,
      prev_hash, hash, salt, recorded_at, data_sha256 FROM events WHERE id = (SELECT min(id) FROM events WHERE record_id = 1);
    INSERT INTO b_search SELECT (SELECT max(id) FROM b_events), 1, terms FROM search_index ORDER BY event_id LIMIT 1;
    COMMIT" >/dev/null
}
works file_cmd && works psql_file &&
  row "file (one complaint)" 2 "$(median_ns file_cmd)" "$(median_ns psql_file)" "$(peak_kb file_cmd)"

list_cmd() { "$L" list --status open --kind complaint --dept quality --limit 50; }
psql_list() {
  q -c "SELECT ref, status, kind, owner, assignee, received_at, due, subject FROM records
        WHERE status = 'open' AND kind = 'complaint' AND owner = 'quality' ORDER BY received_at, id LIMIT 50"
}
works list_cmd && works psql_list &&
  row "list --status open --kind complaint --limit 50" 1.5 "$(median_ns list_cmd)" "$(median_ns psql_list)" "$(peak_kb list_cmd)"

search_cmd() { "$L" search 质量 --limit 20; }
psql_search() {
  q -c "SELECT r.ref, r.subject, m.score FROM (SELECT record_id, max(ts_rank('{0.1,0.1,0.3,1.0}', terms, '''质量'''::tsquery)) AS score
        FROM search_index WHERE terms @@ '''质量'''::tsquery GROUP BY record_id) m JOIN records r ON r.id = m.record_id
        ORDER BY m.score DESC, r.id DESC LIMIT 20"
}
works search_cmd && works psql_search &&
  row "search 质量 --limit 20" 1.5 "$(median_ns search_cmd)" "$(median_ns psql_search)" "$(peak_kb search_cmd)"

overdue_cmd() { "$L" overdue --format json; }
now_utc=$(date +%s)
psql_overdue() {
  q -c "SELECT ref, 'ack', ack_due FROM records WHERE acked_at IS NULL AND status <> 'closed' AND ack_due < $now_utc
        UNION ALL SELECT ref, 'resolve', due FROM records WHERE status NOT IN ('closed', 'waiting') AND due < $now_utc
        UNION ALL SELECT r.ref, c.name, c.due FROM clocks c JOIN records r ON r.id = c.record_id
          WHERE c.stopped_at IS NULL AND c.due < $now_utc AND c.name NOT IN ('ack', 'resolve') ORDER BY 3, 1"
}
works overdue_cmd && works psql_overdue &&
  row "overdue --format json" 1.5 "$(median_ns overdue_cmd)" "$(median_ns psql_overdue)" "$(peak_kb overdue_cmd)"

# query: a grouped count through liaison's views (checked, read-only, redacting) beside
# psql running it on the table; both print the same rows.
query_sql="SELECT owner, status, count(*) FROM records GROUP BY 1, 2 ORDER BY 1, 2"
query_cmd() { "$L" query "$query_sql"; }
psql_query() { q -F $'\t' -c "$query_sql"; }
[ "$(query_cmd 2>&1)" = "$(psql_query 2>&1)" ] || echo "pg_run: query: liaison and psql print different rows" >&2
works query_cmd && works psql_query &&
  row "query 'SELECT owner, status, count(*) …'" 1.5 "$(median_ns query_cmd)" "$(median_ns psql_query)" "$(peak_kb query_cmd)"

# report: a month, beside psql computing the same figures (report_figures_pg.sql, checked
# against liaison's JSON by report_figures_check.py, as run.sh does on SQLite).
month=$(q -c "SELECT to_char((to_timestamp(max(received_at)) AT TIME ZONE 'Asia/Shanghai') - interval '1 month', 'YYYY-MM') FROM records")  # the last whole month
report_cmd() { "$L" report --period "$month"; }
"$L" report --period "$month" --format json --details 0 >report.json
read -r F E P < <(python3 -c '
import datetime, json
p = json.load(open("report.json"))["period"]
s = lambda t: int(datetime.datetime.fromisoformat(t).timestamp())
print(s(p["from"]), s(p["end"]), s(p["previous_from"]))')
psql_report() { q -F '|' -v F="$F" -v E="$E" -v P="$P" -v S=suggestion -f "$HERE/report_figures_pg.sql"; }
psql_report >figures.txt 2>figures.err || echo "pg_run: report_figures_pg.sql failed: $(head -c 300 figures.err)" >&2
python3 "$HERE/report_figures_check.py" figures.txt report.json | sed 's/^/   /' ||
  echo "MISSED: report_figures_pg.sql does not give liaison's figures; its timing compares unlike work"
works report_cmd && works psql_report &&
  row "report --period $month" 1.5 "$(median_ns report_cmd)" "$(median_ns psql_report)" "$(peak_kb report_cmd)"
exit 0
