#!/usr/bin/env bash
# `liaison audit verify` beside a hash-only pass over the same chain in the sqlite3 shell
# (issue 15: within 1.3x, peak memory under 64 MB). A report, not a test: it exits 0
# even when a target is missed (it prints MISSED).
#
#   tests/bench/verify.sh [SIZE_OR_DIR...]        (default: 10000)
#
# Each argument is a number of records to generate (generate.py, into a temporary
# directory) or a directory holding liaison.toml and records.db (such as a KEEP=1 run of
# run.sh). Both sides only read: a directory's database is used where it is, read-only.
#
# Environment: LIAISON_BIN (default build-bench/liaison), RUNS (runs of each side per size,
# alternating, default 3; the median is printed), SEED, KEEP=1.
#
# What the sqlite3 side computes (hash.sql below): for every event, in id order, the
# SHA3-256 (the shell's built-in sha3(); it has no SHA-256) of exactly the bytes liaison
# hashes — event_digest_input in lib/services/chain.cpp: prev_hash, id, record_id (0 for
# none), type, actor, at, data (or, for an event written from schema 14 on, the SHA-256 of
# its data, data_sha256, in its place) and, for salted events, salt and recorded_at, each
# as "LENGTH:VALUE\n" with LENGTH in bytes — and, for those that carry data_sha256, the
# digest of the data too (liaison checks the data against it) — and counts the digests
# (one per event, plus one per data_sha256). It compares nothing:
# no stored hash, no link to the previous event, no record's state. liaison does all of
# that (SHA-256, each hash and each link checked, then every record replayed from its
# history and compared field by field with the records and clocks tables).
# The script checks the shell builds the same bytes: on a sample of events (all of the
# first 20,000, then one in 97) python3's SHA-256 of the shell's bytes must be the stored
# hash, and the shell must hash as many events as liaison checks.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
bench_setup verify.sh 3 sqlite3 time
(( $# > 0 )) || set -- 10000
# Top management with the highest clearance (nothing is redacted), as import.sh.
export LIAISON_USER=zhou.jianguo
WORK=$(mktemp -d "${TMPDIR:-/tmp}/liaison-verify-bench.XXXXXX")
if [[ ${KEEP:-0} = 1 ]]; then echo "keeping $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi

# The bytes liaison hashes for an event, as one SQL expression.
INPUT="length(prev_hash) || ':' || prev_hash || char(10)
 || length(id) || ':' || id || char(10)
 || length(coalesce(record_id, 0)) || ':' || coalesce(record_id, 0) || char(10)
 || length(CAST(type AS BLOB)) || ':' || type || char(10)
 || length(CAST(actor AS BLOB)) || ':' || actor || char(10)
 || length(at) || ':' || at || char(10)
 || CASE WHEN data_sha256 IS NULL THEN length(CAST(data AS BLOB)) || ':' || data
      ELSE length(data_sha256) || ':' || data_sha256 END || char(10)
 || CASE WHEN salt = '' THEN '' ELSE
      length(CAST(salt AS BLOB)) || ':' || salt || char(10)
   || length(coalesce(recorded_at, '')) || ':' || coalesce(recorded_at, '') || char(10) END"
echo "SELECT count(sha3($INPUT, 256)), count(CASE WHEN data_sha256 IS NOT NULL THEN sha3(data, 256) END) FROM events ORDER BY id;" >"$WORK/hash.sql"

# run_time OUT CMD...: runs CMD once, stdout to OUT; prints "wall user+sys maxRSS-KiB".
run_time() {
  local out=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "$@" >"$out" 2>"$WORK/cmd.err" || {
    # audit verify exits 1 on a broken chain: that is a result, not a failure of the bench.
    [[ $(tail -1 "$WORK/time.txt") =~ ^[0-9] ]] || { echo "verify.sh: failed: $*" >&2; cat "$WORK/cmd.err" >&2; exit 1; }
  }
  tail -1 "$WORK/time.txt" | awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }'
}

echo "== audit verify beside a hash-only pass in the sqlite3 shell; $(nproc) cores; binary $L"
printf '%-9s %9s | %9s %9s %8s | %9s %9s %8s | %6s %6s | %s\n' records events "liaison s" "cpu s" "RSS MB" \
  "sqlite3 s" "cpu s" "RSS MB" wall× cpu× load
results=()
for arg in "$@"; do
  if [[ -d $arg ]]; then
    dir=$(cd "$arg" && pwd)
  else
    dir=$WORK/n$arg
    mkdir -p "$dir"
    (cd "$dir" && "$L" --quiet init >/dev/null &&
      python3 "$HERE/generate.py" --config liaison.toml --db records.db -n "$arg" --seed "$SEED" >/dev/null 2>generate.log)
  fi
  db=$dir/records.db
  lia=("$L" --config "$dir/liaison.toml" --db "$db" --format json audit verify)
  n=$(sqlite3 -readonly "$db" 'SELECT count(*) FROM records')

  # Same bytes: python3's SHA-256 of the shell's bytes is the stored hash, on the sample.
  sqlite3 -readonly -separator ' ' "$db" \
    "SELECT hash, hex($INPUT) FROM events WHERE id <= 20000 OR id % 97 = 0 ORDER BY id" >"$WORK/sample.txt"
  same=$(python3 - "$WORK/sample.txt" <<'PY'
import hashlib, sys
bad = n = 0
for line in open(sys.argv[1]):
    stored, hexed = line.split()
    n += 1
    bad += hashlib.sha256(bytes.fromhex(hexed)).hexdigest() != stored
print(f"{n} sampled, {bad} differ")
PY
)

  lw=() lc=() lm=() sw=() sc=() sm=()
  loads=()
  for ((i = 0; i < RUNS; ++i)); do
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    read -r w c m < <(run_time "$WORK/liaison.json" "${lia[@]}")
    lw+=("$w") lc+=("$c") lm+=("$m")
    read -r w c m < <(run_time "$WORK/sqlite3.txt" sqlite3 -readonly "$db" ".read $WORK/hash.sql")
    sw+=("$w") sc+=("$c") sm+=("$m")
  done
  events=$(python3 -c 'import json,sys; j = json.load(open(sys.argv[1])); print(j["events"] if j["ok"] else "NOT-OK")' "$WORK/liaison.json")
  IFS='|' read -r hashed digests < <(tail -1 "$WORK/sqlite3.txt")
  line=$(python3 - "$n" "$events" "${lw[*]}" "${lc[*]}" "${lm[*]}" "${sw[*]}" "${sc[*]}" "${sm[*]}" "${loads[*]}" <<'PY'
import sys
n, events = sys.argv[1], sys.argv[2]
med = lambda s: sorted(map(float, s.split()))[len(s.split()) // 2]
lw, lc, sw, sc = (med(sys.argv[i]) for i in (3, 4, 6, 7))
lm, sm = (max(map(int, sys.argv[i].split())) / 1024 for i in (5, 8))
load = "/".join(sys.argv[9].split())
print(f"{n:<9} {events:>9} | {lw:9.2f} {lc:9.2f} {lm:8.1f} | {sw:9.2f} {sc:9.2f} {sm:8.1f} | "
      f"{lw / sw:6.2f} {lc / sc:6.2f} | {load}")
print(f"RESULT {lw / sw:.3f} {lm:.1f}")
PY
)
  echo "${line%%$'\n'*}"
  results+=("$n $(sed -n 's/^RESULT //p' <<<"$line") $events $hashed $digests $same")
done

echo
for r in "${results[@]}"; do
  read -r n ratio rss events hashed digests sampled _ differ _ <<<"$r"
  verdict=ok
  python3 -c "import sys; sys.exit(0 if $ratio <= 1.3 and $rss < 64 else 1)" || verdict=MISSED
  check=ok
  [[ $events = "$hashed" && $differ = 0 ]] || check=MISMATCH
  echo "$n records: liaison/sqlite3 wall ${ratio}x, max RSS ${rss} MB; target <= 1.3x and < 64 MB: $verdict" \
    "(same bytes: $hashed events and $digests data digests hashed by sqlite3, $events checked by liaison, $sampled sampled by SHA-256, $differ differ: $check)"
done
exit 0
