# Sourced by tests/bench/export.sh, verify.sh and growth.sh (not run by itself): the paths,
# the binary and the variables they share, checked the same way.
#
#   bench_setup NAME DEFAULT_RUNS [sqlite3] [time]
#
# NAME names the script in messages. Sets ROOT (the project), LIAISON_BIN and L (the
# binary: $LIAISON_BIN, default build-bench/liaison, relative to ROOT), RUNS ($RUNS, else
# DEFAULT_RUNS) and SEED ($SEED, else generate.py's default); checks that the binary and the
# named tools (the sqlite3 shell, /usr/bin/time) are there, exiting 2 if not; and leaves
# liaison nothing from the caller's environment but what the benchmark sets.
bench_setup() {
  local name=$1 tool
  RUNS=${RUNS:-$2}
  shift 2
  ROOT=$(cd "$HERE/../.." && pwd)
  LIAISON_BIN=${LIAISON_BIN:-$ROOT/build-bench/liaison}
  [[ $LIAISON_BIN = /* ]] || LIAISON_BIN=$ROOT/$LIAISON_BIN
  SEED=${SEED:-20250101}
  [[ -x $LIAISON_BIN ]] || { echo "$name: no liaison binary at $LIAISON_BIN (see tests/bench/README.md)" >&2; exit 2; }
  for tool in "$@"; do
    case $tool in
      sqlite3) command -v sqlite3 >/dev/null || { echo "$name: sqlite3 shell not found" >&2; exit 2; } ;;
      time) [[ -x /usr/bin/time ]] || { echo "$name: /usr/bin/time not found (apt-get install time)" >&2; exit 2; } ;;
    esac
  done
  unset LIAISON_DB LIAISON_CONFIG LIAISON_NOW
  export LANG=C.UTF-8 NO_COLOR=1
  L=$LIAISON_BIN
}
