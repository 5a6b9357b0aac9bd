#!/usr/bin/env bash
# What `cmake --install` and the Debian package put where, and that it runs from there:
#   1. `cmake --install BUILD --prefix /usr --strip` into a scratch DESTDIR: the binary,
#      stripped, says its version and git commit and does a day's job; `man -w` finds
#      liaison(1), liaison.toml(5) and liaison-views(7) there; the completion scripts are
#      in the shells' directories and are what `liaison completion` prints; the search
#      extension loads in sqlite3; the examples are under share/doc/liaison and validate.
#   2. `cpack -G DEB`: the .deb's Depends are Debian runtime packages (no -dev package),
#      and the package unpacked with `dpkg -x` into a scratch root (not installed on this
#      machine) runs and has its manual.
# BUILD is the build folder of $LIAISON_BIN. Needs cmake, cpack, man-db, dpkg-dev.
. "$(dirname "$0")/lib.sh"

build=$(dirname "$LIAISON_BIN")
if [ ! -f "$build/CMakeCache.txt" ] || [ ! -f "$build/CPackConfig.cmake" ]; then
  fail "$build is not a configured build folder (LIAISON_BIN must be the built binary in it)"
  finish
fi
for tool in man dpkg-deb readelf; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/setup installs it)"
done
new_dir
scratch="$PWD"

# The completion scripts are written by the binary at build time; `all` builds them (as
# before ctest), a build of the liaison target alone does not. The test builds nothing:
# it must not relink the binary other tests are running.
if [ ! -f "$build/completions/liaison.fish" ]; then
  fail "no completion scripts in $build/completions: build all, or the liaison_completions target"
  finish
fi

# --- 1. cmake --install into a scratch DESTDIR ----------------------------------------
root="$scratch/root"
run env DESTDIR="$root" cmake --install "$build" --prefix /usr --strip
expect_status 0 "cmake --install --strip into DESTDIR"
bin="$root/usr/bin/liaison"
if [ -x "$bin" ]; then pass "usr/bin/liaison is installed"; else fail "no usr/bin/liaison in DESTDIR"; fi

# Stripped: no symbol table, no debug information.
run readelf -S --wide "$bin"
expect_not_contains "$out" ".symtab" "the installed binary has no symbol table"
expect_not_contains "$out" ".debug_info" "the installed binary has no debug information"

# --version: "liaison X.Y.Z (git COMMIT)", COMMIT this checkout's (or unknown outside git).
run "$bin" --version
expect_status 0 "the installed liaison --version"
expect_match "$out" '^liaison [0-9]+\.[0-9]+\.[0-9]+ \(git ([0-9a-f]{7,}|unknown)\)$' "--version says version and commit"
commit=$(sed -nE 's/.*\(git (.*)\)$/\1/p' <<<"$out")
if git -C "$LIAISON_SRC" rev-parse --git-dir >/dev/null 2>&1; then
  if git -C "$LIAISON_SRC" cat-file -e "$commit^{commit}" 2>/dev/null; then
    pass "--version names a commit of this repository ($commit)"
  else
    fail "--version names $commit, not a commit of $LIAISON_SRC"
  fi
fi

# The installed binary does a day's job in a scratch folder.
mkdir job
(
  cd job
  "$bin" init >/dev/null &&
    "$bin" party add "上汽大众汽车有限公司" --id svw --type customer >/dev/null &&
    "$bin" file --kind complaint --party svw --channel email --subject "孔距超差"
) >job.out 2>job.err
expect_match "$(cat job.out)" '^EXT-[0-9]{4}-[0-9]+$' "the installed binary files a record: $(head -c 200 job.err)"

# Manual pages in sections 1, 5 and 7, found by man -w on the installed tree.
for page in "liaison" "5 liaison.toml" "7 liaison-views" "liaison-completion" "liaison-file"; do
  # shellcheck disable=SC2086  # "5 liaison.toml" is a section and a name
  run env MANPATH="$root/usr/share/man" man -w $page
  expect_status 0 "man -w $page"
  expect_contains "$out" "$root/usr/share/man/man" "man -w $page finds the installed page"
done
run env MANPATH="$root/usr/share/man" man -w liaison-no-such-page
expect_status 16 "man -w of a page that is not there fails (the check can fail)"

# Completions where each shell looks, and the same as `liaison completion SHELL`.
for pair in "bash:usr/share/bash-completion/completions/liaison" "zsh:usr/share/zsh/vendor-completions/_liaison" \
  "fish:usr/share/fish/vendor_completions.d/liaison.fish"; do
  shell=${pair%%:*} file="$root/${pair#*:}"
  if [ -f "$file" ]; then
    pass "$shell completion installed at ${pair#*:}"
    run "$bin" completion "$shell"
    expect_eq "$(cat "$file")" "$out" "the installed $shell script is what liaison completion $shell prints"
  else
    fail "no $shell completion at ${pair#*:}"
  fi
done
run bash -c 'source "$1" && complete -p liaison' bash "$root/usr/share/bash-completion/completions/liaison"
expect_contains "$out" "_liaison" "the installed bash script registers its function"

# The search extension, for sqlite3's .load.
ext=$(find "$root/usr/lib" -name liaison_fts.so)
if [ -n "$ext" ]; then
  pass "the search extension is installed (${ext#"$root"})"
  if command -v sqlite3 >/dev/null; then
    run sqlite3 :memory: ".load ${ext%.so}" "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='liaison');
      INSERT INTO t VALUES('批次支架孔距超差'); SELECT count(*) FROM t WHERE t MATCH '孔距';"
    expect_eq "$out" "1" "the installed extension loads and tokenizes Chinese"
  fi
else
  fail "no liaison_fts.so under usr/lib"
fi

# The MIME parser of mail-in, where the installed liaison finds it.
if [ -x "$root/usr/lib/liaison/liaison-mime" ]; then
  pass "the mail parser is installed at usr/lib/liaison/liaison-mime"
  run sh -c 'printf "From: a@example.cn\nSubject: hello\n\nbody\n" | "$1"' sh "$root/usr/lib/liaison/liaison-mime"
  expect_contains "$out" '"subject":"hello"' "the installed parser reads a message"
else
  fail "no usr/lib/liaison/liaison-mime"
fi

# The examples, under share/doc/liaison, validate with the installed binary.
for example in minimal manufacturing; do
  toml="$root/usr/share/doc/liaison/examples/$example/liaison.toml"
  run "$bin" --config "$toml" config check
  expect_status 0 "the installed $example example validates"
done

# --- 2. the .deb ------------------------------------------------------------------------
mkdir deb
run cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/deb"
expect_status 0 "cpack -G DEB"
deb=$(ls "$scratch"/deb/liaison_*.deb 2>/dev/null | head -1)
if [ -z "$deb" ]; then
  fail "cpack made no .deb: $(tail -5 <<<"$out$err")"
  finish
fi
pass "the .deb is $(basename "$deb")"

run dpkg-deb --contents "$deb"
for path in ./usr/bin/liaison ./usr/share/man/man1/liaison.1 ./usr/share/man/man5/liaison.toml.5 \
  ./usr/share/man/man7/liaison-views.7 ./usr/share/bash-completion/completions/liaison \
  ./usr/share/zsh/vendor-completions/_liaison ./usr/share/fish/vendor_completions.d/liaison.fish \
  ./usr/share/doc/liaison/examples/minimal/liaison.toml ./usr/lib/liaison/liaison-mime; do
  expect_contains "$out" " $path" "the .deb holds $path"
done

# Depends: Debian runtime packages, found by dpkg-shlibdeps; never a -dev package.
depends=$(dpkg-deb -f "$deb" Depends)
expect_contains "$depends" "libc6" "the .deb depends on libc6 (dpkg-shlibdeps ran)"
expect_contains "$depends" "tzdata" "the .deb depends on tzdata"
expect_not_contains "$depends" "-dev" "the .deb depends on no -dev package"
for dep in $(sed -E 's/\([^)]*\)//g; s/[,|]/ /g' <<<"$depends"); do
  if apt-cache show "$dep" >/dev/null 2>&1 || dpkg-query -W "$dep" >/dev/null 2>&1; then
    pass "Depends $dep is a Debian package"
  else
    fail "Depends $dep is not a package Debian knows"
  fi
done

# Unpacked into a scratch root, it runs and has its manual.
debroot="$scratch/debroot"
run dpkg -x "$deb" "$debroot"
expect_status 0 "dpkg -x the .deb"
run "$debroot/usr/bin/liaison" --version
expect_status 0 "the unpacked liaison --version"
expect_eq "$out" "$("$bin" --version)" "the package's binary is the installed one's version"
run readelf -S --wide "$debroot/usr/bin/liaison"
expect_not_contains "$out" ".symtab" "the package's binary is stripped"
run env MANPATH="$debroot/usr/share/man" man -w liaison
expect_contains "$out" "$debroot/usr/share/man/man1/liaison.1" "man -w liaison finds the package's page"

finish
