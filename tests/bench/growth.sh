#!/usr/bin/env bash
# How the cost of each command grows with the history: the same commands on databases of
# different sizes (10,000 → 100,000 → 1,000,000 records), with the growth factor between
# consecutive sizes. A report, not a test: it always exits 0.
#
#   tests/bench/growth.sh SIZE_OR_DIR...
#
# Each argument is a number of records to generate (with generate.py, into a temporary
# directory) or a directory holding liaison.toml and records.db made by an earlier run
# (KEEP=1 tests/bench/run.sh N, or generate.py). 1,000,000 records take ~12 min to make.
#
# Environment: LIAISON_BIN (default build-bench/liaison), RUNS (default 5; the slow
# commands — export, audit verify — run once), SEED, KEEP=1.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
bench_setup growth.sh 5
(( $# > 0 )) || { echo "usage: tests/bench/growth.sh SIZE_OR_DIR..." >&2; exit 2; }
export LIAISON_USER=gao.feng
NOW=2027-01-01T00:00:00+08:00
WORK=$(mktemp -d "${TMPDIR:-/tmp}/liaison-growth.XXXXXX")
if [[ ${KEEP:-0} = 1 ]]; then echo "keeping $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi

# seconds CMD...: the median wall time of RUNS runs (after one warm-up), in ms, output discarded.
ms() {
  local runs=$1; shift
  python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
t = []
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t.append((time.perf_counter() - t0) * 1000)
t.sort()
print(f"{t[len(t) // 2]:.1f}")
PY
}

COMMANDS=("report --period 2026-10" "report --period 2026" "overdue --format json" "audit verify" "export --with-events")
declare -A T
sizes=()
for arg in "$@"; do
  dir=$WORK/$arg
  mkdir -p "$dir"
  if [[ -d $arg ]]; then
    cp "$arg/liaison.toml" "$arg/records.db" "$dir/"
  else
    (cd "$dir" && "$L" --quiet init >/dev/null && python3 "$HERE/generate.py" --config liaison.toml --db records.db -n "$arg" --seed "$SEED" >/dev/null)
  fi
  (cd "$dir" && "$L" --quiet init --db-only)
  n=$(sqlite3 "$dir/records.db" 'SELECT count(*) FROM records')
  sizes+=("$n")
  for c in "${COMMANDS[@]}"; do
    read -ra words <<<"$c"
    runs=$RUNS
    [[ $c = audit* || $c = export* ]] && runs=1
    T[$n,$c]=$(cd "$dir" && ms "$runs" "$L" --now "$NOW" "${words[@]}")
  done
  rm -rf "$dir"
done

printf '%-28s' "command (median ms)"
for n in "${sizes[@]}"; do printf '%14s' "$n"; done
printf '   growth\n'
for c in "${COMMANDS[@]}"; do
  printf '%-28s' "$c"
  prev=
  growth=""
  for n in "${sizes[@]}"; do
    printf '%14s' "${T[$n,$c]}"
    [[ -n $prev ]] && growth+=" ×$(python3 -c "print(f'{$n / ${prev%%:*}:.0f}→{${T[$n,$c]} / ${prev#*:}:.1f}')")"
    prev="$n:${T[$n,$c]}"
  done
  printf '  %s\n' "$growth"
done
echo "growth: ×(records ratio → time ratio) between consecutive sizes"
exit 0
