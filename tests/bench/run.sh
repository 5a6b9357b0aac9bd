#!/usr/bin/env bash
# liaison benchmarks: times liaison commands beside the same work done by the sqlite3
# shell on a generated database, and reports the ratios. A report, not a test: it exits
# 0 even when a target is missed (it prints MISSED).
#
#   tests/bench/run.sh [N=100000]
#
# Environment:
#   LIAISON_BIN  the binary to time (default: build-bench/liaison; this script builds nothing)
#   RUNS         timed runs per command (default 30)
#   KEEP=1       keep the temporary directory (its path is printed)
#   SEED         generator seed (default 20250101)
#   NO_HYPERFINE=1  time with a date +%s%N loop even if hyperfine is installed
#   DATA=DIR     copy DIR/liaison.toml and DIR/records.db (made by an earlier KEEP=1 run or
#                by generate.py) instead of generating: 1,000,000 records take ~12 min
set -euo pipefail

N=${1:-100000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LIAISON_BIN=${LIAISON_BIN:-$ROOT/build-bench/liaison}
RUNS=${RUNS:-30}
SEED=${SEED:-20250101}
[[ $LIAISON_BIN = /* ]] || LIAISON_BIN=$ROOT/$LIAISON_BIN
if [[ ! -x $LIAISON_BIN ]]; then
  echo "run.sh: no liaison binary at $LIAISON_BIN" >&2
  echo "  build one: cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release && cmake --build build-bench -j2" >&2
  exit 2
fi
command -v sqlite3 >/dev/null || { echo "run.sh: sqlite3 shell not found (apt-get install sqlite3)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "run.sh: python3 not found" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/liaison-bench.XXXXXX")
if [[ ${KEEP:-0} = 1 ]]; then
  echo "keeping $WORK"
else
  trap 'rm -rf "$WORK"' EXIT
fi
cd "$WORK"
unset LIAISON_DB LIAISON_CONFIG LIAISON_NOW
export LIAISON_USER=gao.feng LANG=C.UTF-8 NO_COLOR=1
L=$LIAISON_BIN

echo "== liaison benchmark: ${DATA:+the database in $DATA}${DATA:-$N generated records}, $RUNS runs per command, $(nproc) cores"
echo "   binary: $L"
echo "   sqlite3 shell $(sqlite3 --version | cut -d' ' -f1); work dir $WORK"
if [[ -n ${DATA:-} ]]; then
  cp "$DATA/liaison.toml" "$DATA/records.db" .
  "$L" --quiet init --db-only   # upgrade it if an older liaison made it
  N=$(sqlite3 records.db 'SELECT count(*) FROM records')
  echo "   data: $N records copied from $DATA"
else
  "$L" --quiet init >/dev/null
  python3 "$HERE/generate.py" --config liaison.toml --db records.db -n "$N" --seed "$SEED"
  # The generator writes the tables directly: index the history's text as liaison would
  # (schemas/0005_search.sql), with the tokenizer built next to the binary.
  sqlite3 records.db ".load $(dirname "$L")/liaison_fts" "INSERT INTO search(search) VALUES ('delete-all')" \
    "INSERT INTO search(rowid, subject, body, history) SELECT item, subject, body, history FROM search_items"
fi
echo "   database: $(du -h records.db | cut -f1), $(sqlite3 records.db "SELECT count(*) FROM records WHERE status <> 'closed'") records not closed"

# The generated history must verify.
t0=$(date +%s%N)
if verify=$("$L" audit verify 2>&1); then
  echo "   audit verify: $verify ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
else
  echo "   audit verify FAILED: $verify"
  echo "MISSED: the generated history does not verify; the timings below are still printed"
fi

# ---- the commands ----------------------------------------------------------------------
PARTY=cus001
SUBJECT='尺寸超差:前副车架支架 批次 261121-2A (dimension out of tolerance)'
YEAR=$(TZ=Asia/Shanghai date +%Y)
SEQ="EXT-$YEAR-"

LIST_ARGS=(list --status open --kind complaint --dept quality --limit 50)
fmt_time() { echo "strftime('%Y-%m-%dT%H:%M:%S+08:00', $1, 'unixepoch', '+8 hours')"; }
LIST_SQL="SELECT ref, status, kind, owner, assignee, $(fmt_time received_at), $(fmt_time due), subject
FROM records WHERE status = 'open' AND kind = 'complaint' AND owner = 'quality'
ORDER BY received_at, id LIMIT 50"

FILE_ARGS=(file --kind complaint --party "$PARTY" --channel email --subject "$SUBJECT")
# The sqlite3 equivalent of filing: one transaction with the sequence update, the record
# row and one event row (its hash a precomputed constant, so this breaks the chain: the
# chain is verified above, before any of this runs). liaison also writes the two clock
# rows and computes the deadlines, the routing and the SHA-256.
cat > file.sql <<SQL
PRAGMA foreign_keys = ON;
PRAGMA synchronous = NORMAL;
.timeout 10000
BEGIN IMMEDIATE;
INSERT INTO sequences (name, last) VALUES ('$SEQ', 1) ON CONFLICT (name) DO UPDATE SET last = last + 1;
INSERT INTO records (ref, kind, direction, flow, subject, body, channel, party, from_dept, owner, assignee,
                     level, major, status, rule, notify, received_at, created_at, created_by, ack_due, due)
SELECT '$SEQ' || printf('%05d', last), 'complaint', 'external', 'none', '$SUBJECT', '', 'email', '$PARTY', '',
       'quality', 'gao.feng', 'internal', 0, 'open', '客户抱怨由品质部处理', 'sales,gm', unixepoch(), unixepoch(),
       'gao.feng', unixepoch() + 172800, unixepoch() + 604800
FROM sequences WHERE name = '$SEQ';
INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash)
SELECT coalesce(max(id), 0) + 1, last_insert_rowid(), 'filed', 'gao.feng', unixepoch(),
       '{"channel":"email","kind":"complaint","owner":"quality","party":"$PARTY","subject":"$SUBJECT"}',
       coalesce((SELECT hash FROM events ORDER BY id DESC LIMIT 1), ''),
       'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
FROM events;
COMMIT;
SQL

# report: beside it, tests/bench/report_figures.sql, the same figures written as directly
# as SQL on the same schema allows (checked against liaison's JSON below); overdue: the
# sqlite3 shell runs exactly the statements liaison runs, with the same values (captured
# with LIAISON_TRACE_SQL), so the ratio is what liaison adds: start-up, the config,
# lateness on the working calendar, formatting. "now" is the generated data's own (its
# last day is 2026-12-31).
NOW=2027-01-01T00:00:00+08:00
REPORT_ARGS=(--now "$NOW" report --period 2026-10)
YEAR_ARGS=(--now "$NOW" report --period 2026)
OVERDUE_ARGS=(--now "$NOW" overdue)
capture_sql() {  # FILE ARGS...: the statements of one liaison run, PRAGMAs left out
  local file=$1; shift
  rm -f "$file.trace"
  LIAISON_TRACE_SQL="$file.trace" "$L" "$@" >/dev/null
  grep -v '^PRAGMA' "$file.trace" >"$file"
}
# query: the same SELECT through liaison's views and in the sqlite3 shell on the
# table; the output is the same rows.
QUERY_SQL="SELECT owner, status, count(*) FROM records GROUP BY 1, 2"
QUERY_ARGS=(query "$QUERY_SQL")
capture_sql report.sql "${REPORT_ARGS[@]}"
capture_sql overdue.sql "${OVERDUE_ARGS[@]}"
echo "   report runs $(grep -c . report.sql) statements; overdue lists $("$L" "${OVERDUE_ARGS[@]}" | wc -l) obligations"
# The period's bounds for report_figures.sql, from liaison's own JSON of it.
"$L" "${REPORT_ARGS[@]}" --format json --details 0 >report.json
python3 - <<'PY' >figures.sql
import datetime, json
p = json.load(open("report.json"))["period"]
s = lambda t: int(datetime.datetime.fromisoformat(t).timestamp())
print(f".parameter set :F {s(p['from'])}\n.parameter set :E {s(p['end'])}\n.parameter set :P {s(p['previous_from'])}")
print(".parameter set :S suggestion")
PY
cat "$HERE/report_figures.sql" >>figures.sql
sqlite3 -readonly records.db ".read figures.sql" >figures.txt
if ! python3 "$HERE/report_figures_check.py" figures.txt report.json | sed 's/^/   /'; then
  echo "MISSED: report_figures.sql does not give liaison's figures; its timing below compares unlike work"
fi

# Sanity: both sides of the list return the same rows (TSV has no header line).
n_liaison=$("$L" "${LIST_ARGS[@]}" | wc -l)
n_sqlite=$(sqlite3 -readonly -tabs records.db "$LIST_SQL" | wc -l)
echo "   list returns $n_liaison rows (sqlite3: $n_sqlite)"
if [[ "$("$L" "${QUERY_ARGS[@]}")" != "$(sqlite3 -readonly -tabs records.db "$QUERY_SQL")" ]]; then
  echo "   query: liaison and sqlite3 print different rows"
fi
# Each file run adds a record; the sqlite3 version must work on this database too.
sqlite3 records.db ".read file.sql" || { echo "run.sh: the sqlite3 filing script failed" >&2; exit 1; }

# ---- timing ------------------------------------------------------------------------------
HAVE_HYPERFINE=0
[[ ${NO_HYPERFINE:-0} = 1 ]] || { command -v hyperfine >/dev/null && HAVE_HYPERFINE=1; }

# mean_ms NAME CMD... : mean wall time in ms of RUNS runs (3 warm-up runs), stdout to /dev/null.
mean_ms() {
  local name=$1; shift
  if [[ $HAVE_HYPERFINE = 1 ]]; then
    hyperfine -N --style none --warmup 3 --runs "$RUNS" --export-json "$name.json" -- "$(quote "$@")" >/dev/null 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.2f %.2f %.2f %.2f" % (r["mean"]*1000, r["stddev"]*1000, r["min"]*1000, (r["user"]+r["system"])*1000))' "$name.json"
  else
    local i t0 total=0 min=
    for i in 1 2 3; do "$@" >/dev/null; done
    for ((i = 0; i < RUNS; i++)); do
      t0=$(date +%s%N); "$@" >/dev/null; t=$(( $(date +%s%N) - t0 ))
      total=$((total + t)); [[ -z $min || $t -lt $min ]] && min=$t
    done
    python3 -c 'import sys; t,n,m=map(int,sys.argv[1:]); print(f"{t/n/1e6:.2f} - {m/1e6:.2f} -")' "$total" "$RUNS" "$min"
  fi
}
# A command line hyperfine -N can split again (shell words).
quote() {
  local out="" a
  for a in "$@"; do out+="'${a//\'/\'\\\'\'}' "; done
  echo "${out% }"
}
# Peak resident memory in KiB: the largest of 5 runs.
max_rss() {
  local i m best=0
  for i in 1 2 3 4 5; do
    /usr/bin/time -f %M -o rss.txt "$@" >/dev/null 2>&1 || true
    m=$(tail -1 rss.txt)
    [[ $m =~ ^[0-9]+$ ]] && (( m > best )) && best=$m
  done
  echo "$best"
}
if [[ ! -x /usr/bin/time ]]; then max_rss() { echo "-"; }; fi

echo
TIMER="hyperfine -N"; [[ $HAVE_HYPERFINE = 1 ]] || TIMER="a date +%s%N loop (hyperfine not installed)"
echo "timing (mean of $RUNS runs after 3 warm-ups, with $TIMER)..."
read -r list_l list_l_sd list_l_min list_l_cpu < <(mean_ms list_liaison "$L" "${LIST_ARGS[@]}")
read -r list_s list_s_sd list_s_min list_s_cpu < <(mean_ms list_sqlite sqlite3 -readonly -tabs records.db "$LIST_SQL")
read -r file_l file_l_sd file_l_min file_l_cpu < <(mean_ms file_liaison "$L" "${FILE_ARGS[@]}")
read -r file_s file_s_sd file_s_min file_s_cpu < <(mean_ms file_sqlite sqlite3 records.db ".read file.sql")
read -r rep_l rep_l_sd rep_l_min rep_l_cpu < <(mean_ms report_liaison "$L" "${REPORT_ARGS[@]}")
read -r rep_s rep_s_sd rep_s_min rep_s_cpu < <(mean_ms report_sqlite sqlite3 -readonly records.db ".read figures.sql")
read -r year_l year_l_sd _ year_l_cpu < <(RUNS=$(( RUNS < 10 ? RUNS : 10 )) mean_ms report_year "$L" "${YEAR_ARGS[@]}")
rss_year=$(max_rss "$L" "${YEAR_ARGS[@]}")
read -r ovd_l ovd_l_sd ovd_l_min ovd_l_cpu < <(mean_ms overdue_liaison "$L" "${OVERDUE_ARGS[@]}")
read -r ovd_s ovd_s_sd ovd_s_min ovd_s_cpu < <(mean_ms overdue_sqlite sqlite3 -readonly -tabs records.db ".read overdue.sql")
read -r qry_l qry_l_sd qry_l_min qry_l_cpu < <(mean_ms query_liaison "$L" "${QUERY_ARGS[@]}")
read -r qry_s qry_s_sd qry_s_min qry_s_cpu < <(mean_ms query_sqlite sqlite3 -readonly -tabs records.db "$QUERY_SQL")
rss_qry=$(max_rss "$L" "${QUERY_ARGS[@]}")
rss_qry_s=$(max_rss sqlite3 -readonly -tabs records.db "$QUERY_SQL")
rss_rep=$(max_rss "$L" "${REPORT_ARGS[@]}")
rss_rep_s=$(max_rss sqlite3 -readonly records.db ".read figures.sql")
rss_ovd=$(max_rss "$L" "${OVERDUE_ARGS[@]}")
rss_ovd_s=$(max_rss sqlite3 -readonly -tabs records.db ".read overdue.sql")
rss_list=$(max_rss "$L" "${LIST_ARGS[@]}")
rss_file=$(max_rss "$L" "${FILE_ARGS[@]}")
rss_list_s=$(max_rss sqlite3 -readonly -tabs records.db "$LIST_SQL")
rss_file_s=$(max_rss sqlite3 records.db ".read file.sql")

# Where the time goes (no sqlite3 counterpart): process start-up, loading the config and
# the time zone, reading the whole history.
read -r help_l _ _ help_cpu < <(mean_ms help "$L" --help)
read -r check_l _ _ check_cpu < <(mean_ms config_check "$L" config check)
read -r sqlite_nop _ _ nop_cpu < <(mean_ms sqlite_nop sqlite3 records.db "SELECT 1")

echo
python3 - "$list_l" "$list_s" "$file_l" "$file_s" "$rss_list" "$rss_file" "$rss_list_s" "$rss_file_s" \
  "$list_l_sd" "$list_s_sd" "$file_l_sd" "$file_s_sd" "$list_l_cpu" "$list_s_cpu" "$file_l_cpu" "$file_s_cpu" \
  "$help_l" "$help_cpu" "$check_l" "$check_cpu" "$sqlite_nop" "$nop_cpu" \
  "$rep_l" "$rep_l_sd" "$rep_s" "$rep_s_sd" "$rep_l_cpu" "$rep_s_cpu" "$rss_rep" "$rss_rep_s" \
  "$ovd_l" "$ovd_l_sd" "$ovd_s" "$ovd_s_sd" "$ovd_l_cpu" "$ovd_s_cpu" "$rss_ovd" "$rss_ovd_s" \
  "$qry_l" "$qry_l_sd" "$qry_s" "$qry_s_sd" "$qry_l_cpu" "$qry_s_cpu" "$rss_qry" "$rss_qry_s" <<'PY'
import sys
a = sys.argv[1:]
rep = a[22:30]
ovd = a[30:38]
qry = a[38:46]
list_l, list_s, file_l, file_s = map(float, a[0:4])
rss = a[4:8]
sd = a[8:12]
cpu = a[12:16]
help_l, help_cpu, check_l, check_cpu, nop, nop_cpu = a[16:22]
def num(x):
    return float(x) if x not in ("-", "") else float("nan")
def f2(x, w):
    return f"{x:>{w}.2f}" if x == x else f"{'-':>{w}}"
rows = [("file (one complaint, whole process)", file_l, sd[2], file_s, sd[3], 2.0, rss[1], rss[3], cpu[2], cpu[3]),
        ("list --status open --kind complaint --dept quality --limit 50", list_l, sd[0], list_s, sd[1], 1.5, rss[0], rss[2], cpu[0], cpu[1]),
        ("report --period 2026-10 (text; sqlite3: report_figures.sql)", float(rep[0]), rep[1], float(rep[2]), rep[3], 2.0, rep[6], rep[7], rep[4], rep[5]),
        ("overdue (tsv)", float(ovd[0]), ovd[1], float(ovd[2]), ovd[3], 1.5, ovd[6], ovd[7], ovd[4], ovd[5]),
        ("query 'SELECT owner, status, count(*) … GROUP BY 1, 2'", float(qry[0]), qry[1], float(qry[2]), qry[3], 1.2,
         qry[6], qry[7], qry[4], qry[5])]
print(f"{'command':<62} {'liaison ms':>15} {'sqlite3 ms':>15} {'ratio':>6} {'target':>6} {'verdict':>7}   {'CPU ms liaison/sqlite3 (ratio)':>30}   max RSS liaison/sqlite3")
missed = []
for name, l, lsd, s, ssd, target, r_l, r_s, c_l, c_s in rows:
    ratio = l / s
    ok = ratio <= target
    mem_ok = not r_l.isdigit() or int(r_l) < 64 * 1024
    if not ok or not mem_ok:
        missed.append(name.split()[0] + ("" if mem_ok else " (memory over 64 MB)"))
    cr = num(c_l) / num(c_s)
    print(f"{name:<62} {l:>7.2f} ±{f2(num(lsd), 6)} {s:>7.2f} ±{f2(num(ssd), 6)} {ratio:>5.2f}x {'≤' + str(target) + 'x':>6} {'ok' if ok else 'MISSED':>7}"
          f"   {f2(num(c_l), 10)} / {f2(num(c_s), 6)} ({f2(cr, 4)}x)   {r_l} / {r_s} KiB")
print()
print("wall time: mean ± standard deviation; CPU: user + system time, less sensitive to other load on the machine.")
print(f"for reference (wall / CPU ms): liaison --help {f2(num(help_l), 0)} / {f2(num(help_cpu), 0)}, "
      f"liaison config check {f2(num(check_l), 0)} / {f2(num(check_cpu), 0)}, sqlite3 'SELECT 1' {f2(num(nop), 0)} / {f2(num(nop_cpu), 0)}")
if missed:
    print(f"MISSED: {', '.join(missed)} above target (see tests/bench/README.md for the analysis)")
else:
    print("all targets met")
PY

# ---- the report's absolute targets ----------------------------------------------------
# A month's report should cost what the month holds: under 200 ms at 1,000,000 records,
# a year's under 1 s, peak memory under 64 MB (the default --details 50).
echo
python3 - "$rep_l" "$rep_l_sd" "$rep_l_cpu" "$rss_rep" "$year_l" "$year_l_sd" "$year_l_cpu" "$rss_year" <<'PY'
import sys
a = sys.argv[1:]
for name, (l, sd, cpu, rss), target in (("report --period 2026-10 (a month)", a[0:4], 200),
                                        ("report --period 2026 (a year)", a[4:8], 1000)):
    mem_ok = not rss.isdigit() or int(rss) < 64 * 1024
    ok = float(l) <= target and mem_ok
    print(f"{name:<36} {float(l):>9.2f} ms ± {sd:>7} (CPU {cpu} ms), max RSS {rss} KiB;"
          f" target ≤ {target} ms, < 64 MB: {'ok' if ok else 'MISSED'}")
PY

# ---- search ----------------------------------------------------------------
# Absolute targets: median under 100 ms and peak memory under 64 MB for a two-character
# Chinese word, top 50. Beside it, the sqlite3 shell with the tokenizer extension runs the
# statements liaison ran (the ranked matches, the records a chunk at a time, the texts of
# the 50 for their snippets).
SEARCH_ARGS=(search 质量)
EXT="$(dirname "$L")/liaison_fts"
capture_sql search.sql "${SEARCH_ARGS[@]}"
read -r srch_l srch_l_sd _ srch_l_cpu < <(mean_ms search_liaison "$L" "${SEARCH_ARGS[@]}")
read -r srch_s srch_s_sd _ srch_s_cpu < <(mean_ms search_sqlite sqlite3 -readonly -tabs records.db ".load $EXT" ".read search.sql")
rss_srch=$(max_rss "$L" "${SEARCH_ARGS[@]}")
# What the index saves: the same question without it, a full scan of the history's text
# with LIKE (every match counted, as ranking needs them all; 3 runs, it is slow).
LIKE_SQL="SELECT count(DISTINCT record_id) FROM events WHERE record_id IS NOT NULL AND data LIKE '%质量%'"
read -r like_s _ _ like_cpu < <(RUNS=3 mean_ms like_sqlite sqlite3 -readonly records.db "$LIKE_SQL")
echo
echo "search: liaison ${SEARCH_ARGS[*]} (top 50, tsv; $("$L" "${SEARCH_ARGS[@]}" | wc -l) rows) beside sqlite3 + liaison_fts ($(grep -c . search.sql) statements)"
python3 - "$srch_l" "$srch_l_sd" "$srch_s" "$srch_s_sd" "$srch_l_cpu" "$srch_s_cpu" "$rss_srch" "$like_s" <<'PY'
import json, os, sys
l, lsd, s, ssd, lc, sc, rss, like = sys.argv[1:]
median = float(l)
if os.path.exists("search_liaison.json"):
    median = json.load(open("search_liaison.json"))["results"][0]["median"] * 1000
mem_ok = not rss.isdigit() or int(rss) < 64 * 1024
ok = median < 100 and mem_ok
print(f"  liaison {float(l):.2f} ms (median {median:.2f}, CPU {lc}) vs sqlite3 {float(s):.2f} ms (CPU {sc}): "
      f"{float(l) / float(s):.2f}x; max RSS {rss} KiB; target median < 100 ms, < 64 MB: {'ok' if ok else 'MISSED'}")
print(f"  without the index: sqlite3 counting the records whose history says 质量 with LIKE (a full scan) "
      f"{float(like):.0f} ms, {float(like) / float(l):.0f}x liaison's ranked top 50")
PY
exit 0
