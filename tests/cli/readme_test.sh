#!/usr/bin/env bash
# Every ```console block of README.md is a transcript: lines starting with "$ " are
# commands, the lines after each are its output. All blocks run in order in one shell,
# in a fresh folder, with `liaison` being the built binary; each block's real output
# must match what the README shows.
set -uo pipefail
readme="$LIAISON_SRC/README.md"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/tour"

awk -v dir="$work" '
  /^```console$/ { n++; file = sprintf("%s/block%02d.txt", dir, n); inside = 1; next }
  /^```$/ && inside { inside = 0; close(file); next }
  inside { print > file }
' "$readme"

marker="@@liaison-readme-block@@"
script="$work/tour.sh"
{
  echo 'liaison() { "$LIAISON_BIN" "$@"; }'
  echo 'export COLUMNS=120 LANG=C.UTF-8 NO_COLOR=1'
  echo 'unset LIAISON_CONFIG LIAISON_DB LIAISON_NOW LIAISON_USER LC_ALL LC_MESSAGES'
  for block in "$work"/block*.txt; do
    printf 'echo %q\n' "$marker"
    grep '^\$ ' "$block" | while IFS= read -r line; do
      printf 'printf "%%s\\n" %q\n' "$line"
      printf '%s 2>&1\n' "${line#\$ }"
    done
  done
} > "$script"
(cd "$work/tour" && bash "$script") > "$work/actual.txt" 2>&1
# Split the real transcript at the markers: actual01.txt, actual02.txt, …
awk -v dir="$work" -v m="$marker" '
  $0 == m { n++; file = sprintf("%s/actual%02d.txt", dir, n); printf "" > file; next }
  { print > file }
' "$work/actual.txt"

# The time an event was written is the real clock's (`show` gives it beside a back-dated
# event's time): compared as a placeholder of the same width, so the tables align alike.
for f in "$work"/block*.txt "$work"/actual*.txt; do
  [ -f "$f" ] && sed -i -E 's/\(recorded [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}\)/(recorded YYYY-MM-DD hh:mm)/g' "$f"
done

# Whether this machine has a sendmail is not the README's to say: `config check`'s
# warning about it (after its verdict) is left out of both sides.
for f in "$work"/block*.txt "$work"/actual*.txt; do
  [ -f "$f" ] && sed -i '/: warning: \[remind\] sendmail: /d' "$f"
done

passed=0 failed=0
for block in "$work"/block*.txt; do
  n=${block##*/block}
  actual="$work/actual$n"
  if [ -f "$actual" ] && diff -q "$block" "$actual" >/dev/null; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: README console block ${n%.txt} is not what the tool prints:"
    diff "$block" "$actual" | head -40
  fi
done
[ "$passed" -gt 0 ] || { echo "FAIL: no console blocks found in README.md"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
