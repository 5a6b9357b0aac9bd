#!/usr/bin/env bash
# Every error path: the exact exit status of liaison(1) (2 usage, 4 not found, 5 invalid
# state change, 65 bad input data, 78 configuration, 1 anything else), a message on stderr
# that starts with 'liaison: ' and helps, and — for every failing write — a database that is
# exactly as it was (no record, event, clock, party or sequence number written).
. "$(dirname "$0")/lib.sh"

setup_workdir

# A little data to fail against:
#   EXT-2026-00001 open external customer complaint (filed Mon 09-21 09:00)
#   EXT-2026-00002 closed inquiry; INT-2026-00001 internal suggestion, acknowledged
at 2026-09-21T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "setup: party add"
run "$L" file --kind complaint --party svw --channel email --subject "尺寸超差"
expect_eq "$out" "EXT-2026-00001" "setup: EXT-2026-00001"
run "$L" file --kind inquiry --party svw --channel phone --subject "交期咨询"
expect_eq "$out" "EXT-2026-00002" "setup: EXT-2026-00002"
run "$L" close EXT-2026-00002 --resolution "已答复" --reply-via phone
expect_status 0 "setup: close EXT-2026-00002"
run "$L" file --kind suggestion --from production --subject "增加休息区座椅"
expect_eq "$out" "INT-2026-00001" "setup: INT-2026-00001"
run "$L" ack INT-2026-00001
expect_status 0 "setup: ack INT-2026-00001"
expect_eq "$(counts)" "3 6" "setup: 3 records, 6 events"

# ---------------------------------------------------------------------------------------
# 4: not found
fails 4 "no record EXT-2026-09999" "show unknown ref" "$L" show EXT-2026-09999
expect_contains "$err" "liaison list --status all" "show unknown ref: hint to list"
fails 4 "no record EXT-2026-09999" "ack unknown ref" "$L" ack EXT-2026-09999
fails 4 "no record EXT-2026-09999" "close unknown ref" "$L" close EXT-2026-09999 --resolution x --reply-via email
fails 4 "no record EXT-2026-09999" "log unknown ref" "$L" log EXT-2026-09999 "text"
fails 4 "no record EXT-2026-09999" "route unknown ref" "$L" route EXT-2026-09999 --to quality
fails 4 "no record EXT-2026-09999" "escalate unknown ref" "$L" escalate EXT-2026-09999 --reason x
fails 4 "no record EXT-2026-09999" "wait unknown ref" "$L" wait EXT-2026-09999 --reason x
fails 4 "no record EXT-2026-09999" "resume unknown ref" "$L" resume EXT-2026-09999
fails 4 "no record EXT-2026-09999" "reopen unknown ref" "$L" reopen EXT-2026-09999 --reason x
fails 4 "no record EXT-2026-09999" "deadline explain unknown ref" "$L" deadline explain EXT-2026-09999
fails 4 'no party "faw"' "file with an unknown party" \
  "$L" file --kind complaint --party faw --channel email --subject "x"
expect_contains "$err" "liaison party add" "unknown party: hint to register it"
fails 4 'no party "faw"' "party show unknown" "$L" party show faw
fails 4 'no party "faw"' "party edit unknown" "$L" party edit faw --phone 1

# ---------------------------------------------------------------------------------------
# 5: invalid state changes
fails 5 "EXT-2026-00002 is already closed" "close a closed record" \
  "$L" close EXT-2026-00002 --resolution again --reply-via phone
expect_contains "$err" "liaison reopen EXT-2026-00002" "close closed: hint to reopen"
fails 5 "EXT-2026-00002 is closed and cannot be routed" "route a closed record" \
  "$L" route EXT-2026-00002 --to quality
fails 5 "is closed" "ack a closed record" "$L" ack EXT-2026-00002
fails 5 "is closed" "escalate a closed record" "$L" escalate EXT-2026-00002 --reason x
fails 5 "is closed" "wait on a closed record" "$L" wait EXT-2026-00002 --reason x
fails 5 "INT-2026-00001 was already acknowledged" "acknowledge twice" "$L" ack INT-2026-00001
fails 5 "EXT-2026-00001 is not waiting" "resume when not waiting" "$L" resume EXT-2026-00001
fails 5 "EXT-2026-00001 is not closed" "reopen an open record" "$L" reopen EXT-2026-00001 --reason x
fails 5 "INT-2026-00001 is not closed" "reopen an acknowledged record" "$L" reopen INT-2026-00001 --reason x
fails 5 'party "svw" already exists' "duplicate party id" "$L" party add "另一家" --id svw --type supplier
expect_contains "$err" "party edit svw" "duplicate party: hint to edit"
fails 5 "already with quality" "route to where it already is" "$L" route EXT-2026-00001 --to quality --assignee gao.feng
run "$L" wait EXT-2026-00001 --reason "等客户"
expect_status 0 "setup: wait EXT-2026-00001"
fails 5 "already waiting" "wait twice" "$L" wait EXT-2026-00001 --reason "again"
run "$L" resume EXT-2026-00001
expect_status 0 "setup: resume EXT-2026-00001"

# ---------------------------------------------------------------------------------------
# 65: bad input data, with "did you mean"
fails 65 'unknown department "qualty"' "file --to unknown dept" \
  "$L" file --kind complaint --party svw --channel email --subject x --to qualty
expect_contains "$err" 'did you mean "quality"?' "file --to qualty: suggestion"
fails 4 'unknown department "qualty"' "list --dept unknown" "$L" list --dept qualty
expect_contains "$err" 'did you mean "quality"?' "list --dept qualty: suggestion"
fails 65 'unknown department "qualty"' "route --to unknown" "$L" route EXT-2026-00001 --to qualty
expect_contains "$err" 'did you mean "quality"?' "route --to qualty: suggestion"
# The person in charge must belong to the owner department (zhang.wei is in 营销中心).
fails 65 "zhang.wei is not in quality" "file --assignee of another department" \
  "$L" file --kind complaint --party svw --channel email --subject x --assignee zhang.wei
fails 65 "zhang.wei is not in quality" "route --assignee of another department" \
  "$L" route EXT-2026-00001 --assignee zhang.wei
fails 65 'unknown department "prodution"' "file --from unknown" \
  "$L" file --kind suggestion --from prodution --subject x
expect_contains "$err" 'did you mean "production"?' "file --from: suggestion"
fails 65 'unknown kind "complant"' "file unknown kind" "$L" file --kind complant --subject x
expect_contains "$err" 'did you mean "complaint"?' "unknown kind: suggestion"
fails 4 'unknown kind "inqury"' "list unknown kind" "$L" list --kind inqury
expect_contains "$err" 'did you mean "inquiry"?' "list unknown kind: suggestion"
# Every filter value that names nothing is exit 4 with "did you mean", never an empty result
# with exit 0: departments, kinds, users (--assignee, --actor; "me" is the acting user),
# parties. (The same ids given to a writing command, file --to, are bad input: 65.)
fails 4 'unknown user "gao.fen"' "list --assignee mistyped" "$L" list --assignee gao.fen
expect_contains "$err" 'did you mean "gao.feng"?' "list --assignee gao.fen: suggestion"
fails 4 'unknown user "gao.fen"' "export --assignee mistyped" "$L" export --assignee gao.fen
fails 4 'unknown user "gao.fen"' "search --assignee mistyped" "$L" search 尺寸 --assignee gao.fen
fails 4 'unknown user "gao.fen"' "overdue --assignee mistyped" "$L" overdue --assignee gao.fen
fails 4 'unknown user "gao.fen"' "audit log --actor mistyped" "$L" audit log --actor gao.fen
expect_contains "$err" 'did you mean "gao.feng"?' "audit log --actor gao.fen: suggestion"
fails 4 'no party "sww"' "list --party mistyped" "$L" list --party sww
expect_contains "$err" 'did you mean "svw"?' "list --party sww: suggestion"
fails 4 'no party "sww"' "export --party mistyped" "$L" export --party sww
fails 4 'no party "zzzzzz"' "list --party far from any" "$L" list --party zzzzzz
expect_contains "$err" "liaison party list" "list --party zzzzzz: hint to the registry"
run "$L" list --assignee gao.feng --columns ref
expect_eq "$out" "EXT-2026-00001" "list --assignee gao.feng: the record assigned to them"
run env LIAISON_USER=gao.feng "$L" list --assignee me --columns ref
expect_eq "$out" "EXT-2026-00001" "list --assignee me: the acting user's records"
run env LIAISON_USER=zhang.wei "$L" list --assignee me --columns ref
expect_status 0 "list --assignee me, nothing assigned: exit 0"
expect_eq "$out" "" "list --assignee me, nothing assigned: empty"
run "$L" list --party svw --status all --columns ref
expect_eq "$out" $'EXT-2026-00001\nEXT-2026-00002' "list --party svw: its records"
run env LIAISON_USER=gao.feng "$L" audit log --actor me --format tsv
expect_status 0 "audit log --actor me: exit 0"
# A former user (no longer in the config) is still found where the data names them.
# (zhou.jianguo filed everything above; gao.feng was assigned but never acted.)
sed 's/gao\.feng/gao.feng2/g; s/zhou\.jianguo/zhou.jg/g' liaison.toml >former.toml
run env LIAISON_USER=zhou.jg "$L" --config former.toml list --assignee gao.feng --columns ref
expect_eq "$out" "EXT-2026-00001" "list --assignee of a former user: their records"
run env LIAISON_USER=zhou.jg "$L" --config former.toml audit log --actor zhou.jianguo --format tsv --type filed
expect_eq "$(printf '%s\n' "$out" | wc -l)" 3 "audit log --actor of a former user who acted: their events"
fails 4 'unknown user "gao.feng"' "audit log --actor of a former user who never acted" \
  env LIAISON_USER=zhou.jg "$L" --config former.toml audit log --actor gao.feng
fails 65 'unknown channel "emial"' "file unknown channel" \
  "$L" file --kind complaint --party svw --channel emial --subject x
expect_contains "$err" 'did you mean "email"?' "unknown channel: suggestion"
fails 65 'unknown user "gao.feg"' "file unknown assignee" \
  "$L" file --kind complaint --party svw --channel email --subject x --assignee gao.feg
fails 65 'unknown department or user "gmm"' "escalate to unknown" "$L" escalate EXT-2026-00001 --to gmm --reason x
fails 65 "needs party" "external complaint without --party" \
  "$L" file --kind complaint --direction external --channel email --subject x
expect_contains "$err" "give --party" "needs party: hint"
fails 65 "needs the reply to be sent" "close a complaint without --reply-via" \
  "$L" close EXT-2026-00001 --resolution "已处理"
expect_contains "$err" "--reply-via" "no --reply-via: hint names the flag"
fails 65 "explanation" "rejected without --explanation" \
  "$L" close INT-2026-00001 --resolution "不采纳" --outcome rejected --reply-via memo
fails 65 "the subject is empty" "empty subject" "$L" file --kind complaint --party svw --channel email --subject ""
fails 65 "the subject is empty" "blank subject" "$L" file --kind complaint --party svw --channel email --subject "   "
fails 65 "empty" "empty resolution" "$L" close EXT-2026-00001 --resolution " " --reply-via email
fails 65 "empty" "log with empty text" "$L" log EXT-2026-00001 ""
fails 65 "empty" "log - with empty stdin" "$L" log EXT-2026-00001 -
fails 65 "in the future" "--received after now" \
  "$L" file --kind complaint --party svw --channel email --subject x --received 2026-09-22
fails 65 "--flow applies to internal records only" "--flow on an external record" \
  "$L" file --kind complaint --party svw --channel email --subject x --flow upward
# Malformed --direction and --flow values are usage errors wherever they are taken.
fails 2 '--direction: unknown direction "outside"' "file --direction bad" \
  "$L" file --kind complaint --party svw --channel email --subject x --direction outside
fails 2 '--direction: unknown direction "outside"' "list --direction bad" "$L" list --direction outside
fails 2 '--direction: unknown direction "outside"' "rules explain --direction bad" \
  "$L" rules explain --kind complaint --direction outside
fails 2 '--flow: unknown flow "sideways"' "file --flow bad" \
  "$L" file --kind suggestion --from production --subject x --flow sideways
fails 2 '--flow: unknown flow "none"' "rules explain --flow none" "$L" rules explain --kind suggestion --flow none
fails 65 'unknown party type "custmer"' "party add unknown type" "$L" party add X --id x --type custmer
expect_contains "$err" 'did you mean "customer"?' "unknown party type: suggestion"
fails 65 "cannot be a party id" "party id with a space" "$L" party add X --id "a b" --type customer
# failed filings consumed no number: the next one is EXT-2026-00003
run "$L" file --kind complaint --party svw --channel email --subject "下一条"
expect_eq "$out" "EXT-2026-00003" "after all those failures, numbering is still gap-free"

# ---------------------------------------------------------------------------------------
# 2: usage — malformed times, formats, flags
fails 2 '--now: cannot read "tomorrow" as a time' "malformed --now (file)" \
  "$L" --now tomorrow file --kind complaint --party svw --channel email --subject x
expect_contains "$err" "2026-09-30T14:00:00+08:00" "malformed time: hint shows the accepted forms"
fails 2 '--now: cannot read "2026-13-01" as a time' "malformed --now (list, which need not read the clock)" \
  "$L" --now 2026-13-01 list
fails 2 'LIAISON_NOW: cannot read "soon" as a time' "malformed \$LIAISON_NOW" env LIAISON_NOW=soon "$L" show EXT-2026-00001
fails 2 '--received: cannot read "2026/09/01" as a time' "malformed --received" \
  "$L" file --kind complaint --party svw --channel email --subject x --received 2026/09/01
fails 2 '--since: cannot read "last week" as a time' "malformed --since" "$L" list --since "last week"
fails 2 '--until: cannot read "2026-09-31" as a time' "impossible --until date" "$L" list --until 2026-09-31
fails 2 'unknown format "xml"' "unknown --format" "$L" list --format xml
expect_contains "$err" "table, tsv, csv, json" "unknown format: lists the formats"
fails 2 'unknown format "yaml"' "unknown --format on show" "$L" show EXT-2026-00001 --format yaml
fails 2 "--kind is required" "file without --kind" "$L" file --subject x
expect_contains "$err" "liaison file --help" "missing flag: hint to the command's help"
fails 2 "--resolution is required" "close without --resolution" "$L" close EXT-2026-00001 --reply-via email
fails 2 "--bogus" "unknown flag" "$L" list --bogus
fails 2 'unknown status "shut"' "list --status unknown" "$L" list --status shut
fails 2 'cannot sort by "priority"' "list --sort unknown" "$L" list --sort priority
fails 2 'unknown column "titel"' "list --columns unknown" "$L" list --columns ref,titel
fails 2 'unknown outcome "fixed"' "close --outcome unknown" \
  "$L" close EXT-2026-00001 --resolution x --reply-via email --outcome fixed
fails 2 "is not one of the four allowed cases" "escalate --skip-level unknown" \
  "$L" escalate EXT-2026-00001 --reason x --skip-level boss
fails 2 'unknown entry type "tweet"' "log --type unknown" "$L" log EXT-2026-00001 x --type tweet
fails 2 "give either --to DEPT or --auto" "route with neither --to nor --auto" "$L" route EXT-2026-00001
fails 2 "nothing to change" "party edit without fields" "$L" party edit svw
run "$L"
expect_status 2 "no command at all: usage"
expect_match "$err" '^usage: liaison ' "no command: the usage line and command list on stderr (help_test.sh)"

# ---------------------------------------------------------------------------------------
# 1: a database from a newer schema is refused, and left as it was
if [ "$LIAISON_TEST_DB" = sqlite ]; then  # the SQLite file itself
cp records.db newer.db
sqlite3 newer.db 'PRAGMA user_version=99'
sum_before="$(md5sum newer.db | cut -d' ' -f1)"
DB=newer.db fails 1 "schema version 99, newer than this liaison knows" "newer schema: file refused" \
  "$L" --db newer.db file --kind complaint --party svw --channel email --subject x
expect_contains "$err" "upgrade liaison" "newer schema: hint to upgrade"
DB=newer.db fails 1 "schema version 99" "newer schema: list refused" "$L" --db newer.db list
DB=newer.db fails 1 "schema version 99" "newer schema: ack refused" "$L" --db newer.db ack EXT-2026-00001
expect_eq "$(md5sum newer.db | cut -d' ' -f1)" "$sum_before" "newer schema: the file is byte-for-byte unchanged"
expect_eq "$(sqlite3 newer.db 'PRAGMA user_version')" "99" "newer schema: version not rewritten"

# --db pointing to a missing file → 4, with a hint to run init; no file is created
run "$L" --db missing.db list
expect_status 4 "--db missing file: not found"
expect_match "$err" '^liaison: .*missing\.db' "--db missing: names the file"
expect_contains "$err" "(run 'liaison init --db-only' to create the database your config names, or give --db)" \
  "--db missing: the hint names the command that uses the config there is (not one writing another config)"
run "$L" --db missing.db file --kind complaint --party svw --channel email --subject x
expect_status 4 "--db missing file, writing command: not found"
expect_eq "$(ls missing.db 2>/dev/null)" "" "--db missing: no file created"
run env LIAISON_DB=missing.db "$L" show EXT-2026-00001
expect_status 4 "\$LIAISON_DB missing file: not found"

# --db as a URL (liaison(1)): sqlite:PATH is the file PATH, for reading and writing
run "$L" --db sqlite:./records.db show EXT-2026-00001
expect_status 0 "--db sqlite:./records.db: reads the same database"
expect_contains "$out" "EXT-2026-00001" "--db sqlite:: shows the record"
cp records.db sqlite-copy.db
run "$L" --db sqlite:sqlite-copy.db log EXT-2026-00001 "经 sqlite: 记录"
expect_status 0 "--db sqlite:sqlite-copy.db: writes too"
run "$L" --db sqlite-copy.db show EXT-2026-00001
expect_contains "$out" "经 sqlite: 记录" "--db sqlite:: the write went to sqlite-copy.db"
rm -f sqlite-copy.db sqlite-copy.db-wal sqlite-copy.db-shm
run "$L" --db sqlite:missing.db list
expect_status 4 "--db sqlite:missing.db: not found, as the plain path"
expect_match "$err" '^liaison: no database at missing\.db' "--db sqlite:missing.db: names the file"
fi
# a PostgreSQL server that does not answer: busy (75), retry hint, the password never shown
fails 75 "cannot connect to postgresql://u:***@127.0.0.1:1/db" "--db postgresql:// unreachable" \
  "$L" --db postgresql://u:pw@127.0.0.1:1/db list
expect_contains "$err" "retry" "--db postgresql:// unreachable: says to retry"
expect_not_contains "$err" ":pw@" "--db postgresql://: the password is not on stderr"
fails 75 "cannot connect to postgres://u:***@127.0.0.1:1/db" "\$LIAISON_DB=postgres:// unreachable" \
  env LIAISON_DB=postgres://u:pw@127.0.0.1:1/db "$L" file --kind complaint --party svw --channel email --subject x
expect_not_contains "$err" ":pw@" "\$LIAISON_DB=postgres://: the password is not on stderr"
# an unknown scheme: refused as usage, naming it and the ones known
fails 2 'unknown store scheme "mysql"' "--db mysql:// refused" "$L" --db mysql://h/db list
expect_contains "$err" "sqlite:" "--db mysql://: names the schemes liaison knows"
fails 75 "无法连接 postgresql://u:***@127.0.0.1:1/db" "--lang zh --db postgresql://: in Chinese" \
  "$L" --lang zh --db postgresql://u:pw@127.0.0.1:1/db list
fails 2 '中的存储类型 "mysql" 不存在' "--lang zh --db mysql://: in Chinese" "$L" --lang zh --db mysql://h/db list

if [ "$LIAISON_TEST_DB" = sqlite ]; then  # the SQLite file itself
# init where the config and the database it names both exist: nothing to create, nothing touched
before="$(md5sum liaison.toml records.db)"
fails 5 "liaison.toml and the database it names, records.db, already exist" "init over an existing config and database" "$L" init
expect_contains "$err" "'liaison init --db-only' upgrades the database" "init refusal: says what to do instead"
expect_eq "$(md5sum liaison.toml records.db)" "$before" "init refusal: files untouched"
fails 5 "liaison.toml 及其指定的数据库 records.db 均已存在" "init over an existing config and database, in Chinese" "$L" --lang zh init
# init where only the config exists: it creates the database that config names, and says so
mv records.db kept.db
rm -f records.db-wal records.db-shm
config_before="$(md5sum liaison.toml)"
run "$L" init
expect_status 0 "init with a config and no database: creates the database"
expect_eq "$out" "created records.db (from liaison.toml)" "init with a config: says which database, from which config"
expect_eq "$(md5sum liaison.toml)" "$config_before" "init with a config: the config is untouched"
expect_eq "$(db "SELECT count(*) FROM records")" "0" "init with a config: the new database is empty"
run "$L" list
expect_status 0 "init with a config: the database works"
rm -f records.db records.db-wal records.db-shm
run "$L" --lang zh init
expect_eq "$out" "已创建 records.db（依据 liaison.toml）" "init with a config, in Chinese"
rm -f records.db records.db-wal records.db-shm
mv kept.db records.db

fi
# ---------------------------------------------------------------------------------------
# 78: configuration errors, with FILE:LINE:COL
good_dir="$PWD"

# a syntax error
cp liaison.toml syntax.toml
line="$(grep -n '^\[organization\]$' syntax.toml | cut -d: -f1)"
sed -i "${line}s/.*/[organization/" syntax.toml
DB="$MAIN_DB" fails 78 "syntax.toml:$line:" "config syntax error (config check)" "$L" --config syntax.toml config check
expect_match "$err" "syntax\.toml:$line:[0-9]+: error: TOML syntax error" "syntax error: FILE:LINE:COL"
fails 78 "syntax.toml:$line:" "config syntax error (any command)" "$L" --config syntax.toml list
fails 78 "syntax.toml:$line:" "config syntax error (a write)" \
  "$L" --config syntax.toml file --kind complaint --party svw --channel email --subject x

# a rule naming an unknown department: both lines reported, with a suggestion
cp liaison.toml baddept.toml
sed -i 's/^owner = "quality"$/owner = "qualty"/' baddept.toml
lines="$(grep -n '^owner = "qualty"$' baddept.toml | cut -d: -f1 | tr '\n' ' ')"
expect_eq "$(wc -w <<<"$lines" | tr -d ' ')" "2" "(the example has two rules owned by quality)"
fails 78 'unknown department "qualty"' "rule with an unknown department" "$L" --config baddept.toml config check
for l in $lines; do
  expect_match "$err" "baddept\.toml:$l:9: error: rule [0-9]+ owner: unknown department \"qualty\" \\(did you mean \"quality\"\\?\\)" \
    "unknown department in a rule: baddept.toml:$l:9"
done
fails 78 'unknown department "qualty"' "bad config refused by a write" \
  env LIAISON_CONFIG=baddept.toml "$L" file --kind complaint --party svw --channel email --subject x

# Values that would pass the check and fail every command later are refused by it:
# a control character in a name (it would break every mail header and table row naming
# that user), a week without working days (no deadline could be computed), a date past
# what a time can hold.
cp liaison.toml crlf.toml
sed -i 's/^name = "高峰" .*/name = "高峰\\r\\nBcc: someone@example.net"/' crlf.toml
line="$(grep -n '^name = "高峰' crlf.toml | cut -d: -f1)"
fails 78 "crlf.toml:$line:" "a user name with CR/LF (config check)" "$L" --config crlf.toml config check
expect_contains "$err" 'user "gao.feng" name: the text contains a control character (U+000D)' "… names the key and the character"
expect_contains "$err" "without tabs or other control characters" "… and says what to write"
cp liaison.toml tab.toml
sed -i 's/^name = "品质部"/name = "品质\\t部"/' tab.toml
fails 78 "control character (U+0009)" "a department name with a tab" "$L" --config tab.toml config check
cp liaison.toml noworkdays.toml
sed -i 's/^workdays = .*/workdays = []/' noworkdays.toml
line="$(grep -n '^workdays = \[\]' noworkdays.toml | cut -d: -f1)"
fails 78 "noworkdays.toml:$line:" "a calendar without working days" "$L" --config noworkdays.toml config check
expect_contains "$err" "[calendar] workdays: no day of the week is a working day" "… says so"
cp liaison.toml farrest.toml
sed -i 's/rest = \["2026-10-01", "2026-10-07"\]/rest = ["2026-10-01", "9999-12-31"]/' farrest.toml
fails 78 "9999-12-31 is outside the dates liaison handles" "a rest range ending 9999-12-31" \
  "$L" --config farrest.toml config check
fails 78 "control character" "a bad config is refused by a write as well" \
  env LIAISON_CONFIG=crlf.toml "$L" file --kind complaint --party svw --channel email --subject x

# no config found: empty directory, no LIAISON_CONFIG
new_dir
run "$L" list
expect_status 78 "no config: list"
expect_match "$err" '(^|'$'\n'')liaison: no liaison.toml found' "no config: says so"
expect_contains "$err" "liaison init" "no config: hint to run init"
run "$L" file --kind complaint --subject x
expect_status 78 "no config: file"
run "$L" config check
expect_status 78 "no config: config check"
expect_eq "$(ls)" "" "no config: nothing written in the empty directory"
run env LIAISON_CONFIG="$PWD/nope.toml" "$L" list
expect_status 78 "LIAISON_CONFIG naming a missing file"
expect_contains "$err" "nope.toml" "missing config file: named"
expect_contains "$err" "write one there with 'liaison --config $PWD/nope.toml init'" \
  "missing config file: the hint is the command that writes that very file"
# init honours $LIAISON_CONFIG: it writes the config the later commands read, not ./liaison.toml
mkdir conf
run env LIAISON_CONFIG="$PWD/conf/office.toml" "$L" init --example minimal
expect_status 0 "init with LIAISON_CONFIG"
expect_eq "$(ls)" "conf" "init with LIAISON_CONFIG: nothing written in the current folder"
expect_match "$(ls conf)" 'office\.toml' "init with LIAISON_CONFIG: the config where the variable says"
run env LIAISON_CONFIG="$PWD/conf/office.toml" "$L" config check
expect_status 0 "the config init wrote is the one LIAISON_CONFIG finds"
# --config still comes first
run env LIAISON_CONFIG="$PWD/conf/office.toml" "$L" --config other.toml init --example minimal
expect_status 0 "init with --config and LIAISON_CONFIG"
expect_match "$(ls)" 'other\.toml' "init: --config comes before LIAISON_CONFIG"
cd "$good_dir" || exit 2

# after all of that, the history is intact
run "$L" audit verify
expect_status 0 "audit verify after the failures"
expect_eq "$(db "SELECT group_concat(type, ' ') FROM (SELECT type FROM events ORDER BY id)")" \
  "party-added filed filed closed filed acknowledged waiting resumed filed" "only the successful writes left events"

# Messages in Chinese: --lang zh, or a Chinese locale.
fails 4 "没有编号为 EXT-2026-09999 的记录" "unknown ref, --lang zh" "$L" --lang zh show EXT-2026-09999
fails 65 '部门 "qualty" 不存在 (是否是指 "quality"？)' "unknown dept, LC_ALL=zh_CN" \
  env LC_ALL=zh_CN.UTF-8 "$L" file --kind complaint --party svw --channel email --to qualty --subject x
fails 4 "no record EXT-2026-09999" "unknown ref, --lang en beats a Chinese locale" \
  env LC_ALL=zh_CN.UTF-8 "$L" --lang en show EXT-2026-09999

# Every message comes from the catalogue, so the ones once built as English text are in
# Chinese too: option values, formats, config diagnostics, import problems.
fails 2 '--direction：方向 "outside" 不存在 (请使用 internal 或 external)' "--direction unknown, --lang zh" \
  "$L" --lang zh list --direction outside
fails 2 '--sort：不能按 "priority" 排序 (请使用 received、due、' "--sort unknown, --lang zh" \
  "$L" --lang zh list --sort priority
fails 2 '输出格式 "xml" 不存在 (请使用 table、tsv、csv、json、jsonl 或 md)' "--format unknown, --lang zh" \
  "$L" --lang zh list --format xml
fails 2 '--status：状态 "nope" 不存在 (请使用 open、acknowledged、waiting、closed 或 all)' "--status unknown, --lang zh" \
  "$L" --lang zh list --status nope
fails 2 '输出格式 "pdf" 不存在 (报告格式有 text、md、csv、json 和 html)' "report --format unknown, --lang zh" \
  "$L" --lang zh report --period 2026-09 --format pdf
fails 78 '配置中有 2 处错误 (请逐条修正上面列出的问题' "config diagnostics, --lang zh" \
  "$L" --lang zh --config baddept.toml config check
for l in $lines; do
  expect_match "$err" "baddept\.toml:$l:9：错误：rule [0-9]+ owner：部门 \"qualty\" 不存在（是否是指 \"quality\"？）" \
    "config diagnostic in Chinese: baddept.toml:$l:9"
done
expect_not_contains "$err" "unknown department" "config diagnostics, --lang zh: no English left"
printf '{"type":"record","ref":"X-1","kind":"complaint","direction":"sideways"}\n' >bad.jsonl
before="$(snapshot)"
run "$L" --lang zh import bad.jsonl
expect_status 65 "import problems, --lang zh: exit 65"
expect_match "$err" $'\nliaison: bad.jsonl 中有 4 处问题；未导入任何内容 \\(请逐行修正' "import problems, --lang zh: the summary"
expect_eq "$(snapshot)" "$before" "import problems, --lang zh: database unchanged"
expect_contains "$err" 'bad.jsonl:1: subject: 缺失 (请给出记录主题)' "import problem in Chinese: a missing field"
expect_contains "$err" 'bad.jsonl:1: direction: 方向 "sideways" 不存在 (请写 internal 或 external)' \
  "import problem in Chinese: an unknown value"
run "$L" --lang zh audit verify
expect_status 0 "audit verify, --lang zh"
expect_match "$out" '^正常：[0-9]+ 个事件，哈希链完整；[0-9]+ 条记录与其历史一致$' "audit verify, --lang zh: says so in Chinese"

finish
