#!/usr/bin/env bash
# Full-text search: `liaison search TEXT` and `list --grep TEXT` on the
# manufacturing example, with Chinese, English, full-width and punctuated text; the index
# following log, close and reopen; ranking; filters; confidentiality; every output format;
# the sqlite3 shell with the loadable tokenizer; and a version-4 database upgraded.
#
# Records (all filed 2026-09-22, as zhou.jianguo: top management, clearance top-secret):
#   EXT-2026-00001  complaint svw   "批次 2609 产品质量问题"  body mentions 8D报告
#   EXT-2026-00002  complaint svw   "Customer complaint - door hinge damaged"
#   INT-2026-00001  complaint       "食堂饭菜质量下降"
#   INT-2026-00002  complaint       "ＩＡＴＦ　１６９４９内审发现：（焊接）不良"   full-width letters
#   INT-2026-00003  complaint, confidential  "质量事故内部调查"
#   EXT-2026-00003  inquiry svw     "询问 NEAR(\"A\" AND b*) 的含义"   FTS5 syntax as text
. "$(dirname "$0")/lib.sh"

setup_workdir
export LIAISON_USER=zhou.jianguo

at 2026-09-22T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "party add"
file() { run "$L" file "$@"; expect_status 0 "file $*"; }
file --kind complaint --party svw --channel email --subject "批次 2609 产品质量问题" \
  --body "客户来函:支架孔距超差 0.3mm。要求8D报告。"
file --kind complaint --party svw --channel email --subject "Customer complaint - door hinge damaged" \
  --body "Damaged packaging found at the assembly line"
file --kind complaint --from production --channel oral --subject "食堂饭菜质量下降"
file --kind complaint --from production --channel oral --subject "ＩＡＴＦ　１６９４９内审发现：（焊接）不良"
file --kind complaint --from production --channel oral --level confidential --subject "质量事故内部调查" \
  --body "涉及人员名单见附件"
file --kind inquiry --party svw --channel email --subject "询问 NEAR(\"A\" AND b*) 的含义"

# search → ref list (tsv, first column)
refs() { run "$L" search --format tsv "$@"; cut -f1 <<<"$out" | paste -sd' '; }
sorted_refs() { refs "$@" | tr ' ' '\n' | sort | paste -sd' '; }

# ---------------------------------------------------------------------------------------
# Chinese words, single characters, English, full-width
expect_eq "$(sorted_refs 质量)" "EXT-2026-00001 INT-2026-00001 INT-2026-00003" "质量 finds the three records that say it"
expect_status 0 "search exits 0"
expect_eq "$(refs 产品质量问题)" "EXT-2026-00001" "a longer word is a phrase: 产品质量问题"
expect_eq "$(refs 质量问题)" "EXT-2026-00001" "质量问题 (inside 产品质量问题)"
expect_eq "$(refs 问题质量)" "" "the same characters in another order do not match"
expect_eq "$(refs 堂)" "INT-2026-00001" "a single character inside a run (堂 of 食堂)"
expect_eq "$(refs 降)" "INT-2026-00001" "a single character at the end of a run (降)"
expect_eq "$(refs 事)" "INT-2026-00003" "a single character: 事"
expect_eq "$(refs DOOR)" "EXT-2026-00002" "English, case-insensitive"
expect_eq "$(refs 'door hinge')" "EXT-2026-00002" "two words: both must occur"
expect_eq "$(refs 'door 质量')" "" "… and nothing has both"
expect_eq "$(refs iatf)" "INT-2026-00002" "full-width ＩＡＴＦ found by iatf"
expect_eq "$(refs ＩＡＴＦ)" "INT-2026-00002" "… and by itself"
expect_eq "$(refs 16949)" "INT-2026-00002" "full-width digits found by ASCII ones"
expect_eq "$(refs 1694)" "" "a word is whole: 1694 is not 16949"
expect_eq "$(refs 焊接不良)" "" "punctuation between 焊接 and 不良 in the text: not one phrase"
expect_eq "$(refs '（焊接）')" "INT-2026-00002" "Chinese punctuation in the search separates"
expect_eq "$(refs 8D报告)" "EXT-2026-00001" "digits, letters and Chinese mixed"
expect_eq "$(refs 8d)" "EXT-2026-00001" "… 8d alone"

# ---------------------------------------------------------------------------------------
# special characters are literal: never a syntax error, never an operator
for q in 'NEAR("A" AND b*)' '"' 'AND' 'OR' '*' 'b*' '(' ')' 'a:b' '^' '-x' '"unbalanced' "it's" 'NOT 质量'; do
  run "$L" search --format tsv -- "$q"
  if [ "$status" -eq 0 ] || [ "$status" -eq 2 ]; then pass "search '$q' is no syntax error (status $status)"
  else fail "search '$q': status $status, stderr: $err"; fi
  expect_not_contains "$err" "syntax" "search '$q': no FTS5 syntax error"
done
expect_eq "$(refs 'NEAR("A" AND b*)')" "EXT-2026-00003" "FTS5 operators in a search are words of the text"
expect_eq "$(refs 'AND')" "EXT-2026-00003" "AND is a word"
expect_eq "$(refs 'NOT 质量')" "" "NOT is a word too (no record says not and 质量)"
expect_eq "$(refs -- '-x')" "" "a leading - after -- is text"

# nothing searchable: usage error; nothing found: exit 0, no rows
for q in '' '   ' '，。！' '"*()"' '😀'; do
  run "$L" search -- "$q"
  expect_status 2 "search '$q' is a usage error"
  expect_err_prefix "search '$q': a liaison: message"
done
run "$L" search 不存在的词 --format tsv
expect_status 0 "nothing found: exit 0"
expect_eq "$out" "" "… and no rows"
run "$L" search 不存在的词 --format json
expect_eq "$out" "[]" "… json: []"

# ---------------------------------------------------------------------------------------
# the index follows the history: log, close, reopen
at 2026-09-23T10:00:00+08:00
expect_eq "$(refs 围堵措施)" "" "not yet logged"
run "$L" log EXT-2026-00002 "已实施围堵措施，库存全检"
expect_status 0 "log"
expect_eq "$(refs 围堵措施)" "EXT-2026-00002" "text added by log is found"
run "$L" close EXT-2026-00002 --resolution "更换铰链供应商,CAPA 已建立" --reply-via email --capa CAPA-2026-031
expect_status 0 "close"
expect_eq "$(refs 铰链供应商)" "EXT-2026-00002" "close --resolution text is found"
expect_eq "$(refs capa-2026-031)" "EXT-2026-00002" "… and the CAPA number"
at 2026-09-24T10:00:00+08:00
run "$L" reopen EXT-2026-00002 --reason "客户再次投诉同一问题"
expect_status 0 "reopen"
expect_eq "$(refs 再次投诉)" "EXT-2026-00002" "reopen --reason text is found"
expect_eq "$(refs 铰链供应商)" "EXT-2026-00002" "the old resolution stays in the history and is found"
run "$L" search 围堵措施 --format json
expect_eq "$(jq -r '.[0].field' <<<"$out")" "history" "json: the snippet is from the history"
expect_eq "$(jq -r '.[0].snippet' <<<"$out")" "已实施【围堵措施】，库存全检" "json: snippet with 【】 marks"
expect_match "$(jq -r '.[0].score' <<<"$out")" '^[0-9]+(\.[0-9]+)?$' "json: a positive score"
expect_eq "$(jq -r '.[0].ref' <<<"$out")" "EXT-2026-00002" "json: the record's fields"

# ---------------------------------------------------------------------------------------
# ranking: subject and repeated matches first
at 2026-09-24T11:00:00+08:00
file --kind complaint --from production --channel oral --subject "车间通风" --body "顺带一提质量"
body_only="$out"
file --kind complaint --from production --channel oral --subject "质量质量：质量周报" --body "质量"
many="$out"
run "$L" search 质量 --format tsv
first="$(head -1 <<<"$out" | cut -f1)"; last="$(tail -1 <<<"$out" | cut -f1)"
expect_eq "$first" "$many" "the record saying 质量 most, in its subject, ranks first"
expect_eq "$last" "$body_only" "the one saying it once in its body ranks last"
scores="$(cut -f8 <<<"$out" | paste -sd' ')"
expect_eq "$(tr ' ' '\n' <<<"$scores" | sort -gr | paste -sd' ')" "$scores" "tsv scores descend"
expect_eq "$(refs 质量 --limit 2 | wc -w)" "2" "--limit 2"
run "$L" search 质量 --limit -1
expect_status 2 "--limit -1 is a usage error"

# ---------------------------------------------------------------------------------------
# filters
expect_eq "$(refs 质量 --kind inquiry)" "" "--kind inquiry: none say 质量"
expect_eq "$(refs 投诉 --status acknowledged)" "EXT-2026-00002" "--status acknowledged (the reopened one)"
expect_eq "$(refs 质量 --status closed)" "" "--status closed"
run "$L" search 质量 --status bogus
expect_status 2 "--status bogus is a usage error"
run "$L" search 质量 --dept nowhere
expect_status 4 "--dept unknown is refused"

# ---------------------------------------------------------------------------------------
# output formats
run "$L" search 质量问题 --format table
expect_status 0 "table"
expect_contains "$out" "snippet" "table: a snippet column"
expect_contains "$out" "【质量问题】" "table without colour: the match between 【】"
expect_not_contains "$out" $'\e[' "… and no escape codes (NO_COLOR)"
if command -v script >/dev/null 2>&1; then
  # On a terminal (script(1) gives one): the match in colour, unless --no-color.
  tty_out="$(env -u NO_COLOR COLUMNS=200 script -qec "$L search 质量问题" /dev/null)"
  expect_contains "$tty_out" $'\e[1;31m质量问题\e[0m' "terminal: the match in bold red"
  expect_not_contains "$tty_out" "【" "… without brackets"
  tty_out="$(env -u NO_COLOR COLUMNS=200 script -qec "$L --no-color search 质量问题" /dev/null)"
  expect_contains "$tty_out" "【质量问题】" "terminal with --no-color: brackets"
  expect_not_contains "$tty_out" $'\e[1;31m' "… and no colour"
fi
run "$L" search 质量问题 --format csv
expect_eq "$(head -1 <<<"$out" | tr -d '\r')" "ref,kind,status,owner,received,subject,snippet,score" "csv header"
run "$L" search 质量问题 --format jsonl
expect_eq "$(jq -r .ref <<<"$out")" "EXT-2026-00001" "jsonl"
run "$L" search 质量问题 --format md
expect_contains "$out" "| EXT-2026-00001 |" "md"
run "$L" --lang zh search 质量问题 --format table
expect_contains "$out" "摘录" "zh: the snippet column's label"

# ---------------------------------------------------------------------------------------
# list --grep: with the other filters
run "$L" list --grep 质量 --status all --format tsv --columns ref
expect_eq "$(paste -sd' ' <<<"$out")" "EXT-2026-00001 INT-2026-00001 INT-2026-00003 INT-2026-00004 INT-2026-00005" \
  "list --grep 质量 --status all: every record saying it, in list order"
run "$L" list --grep 质量 --direction external --format tsv --columns ref
expect_eq "$out" "EXT-2026-00001" "list --grep with --direction"
run "$L" list --grep "door hinge" --status all --format tsv --columns ref
expect_eq "$out" "EXT-2026-00002" "list --grep with two words"
run "$L" list --grep '，。'
expect_status 2 "list --grep with nothing searchable is a usage error"
run "$L" list --grep ''
expect_status 2 "list --grep '' is a usage error"

# ---------------------------------------------------------------------------------------
# confidentiality: sun.qian (clearance internal) does not find the confidential record
expect_eq "$(refs 事故)" "INT-2026-00003" "top management finds the confidential record"
expect_eq "$(LIAISON_USER=sun.qian refs 事故)" "" "sun.qian (internal) does not find it by its subject"
expect_eq "$(LIAISON_USER=sun.qian refs 人员名单)" "" "… nor by its body"
expect_not_contains "$(LIAISON_USER=sun.qian refs 质量)" "INT-2026-00003" "… nor among other matches"
expect_eq "$(LIAISON_USER=sun.qian refs 食堂)" "INT-2026-00001" "… but finds internal records"
run "$L" --as sun.qian list --grep 事故 --status all --format tsv --columns ref
expect_eq "$out" "" "list --grep as sun.qian: not found either"
run "$L" --as sun.qian search 事故 --format json
expect_not_contains "$out" "事故" "… and nothing of its text in any output"

# The SQLite index itself (the shell's extension, a version-4 file upgraded): SQLite's
# alone; on PostgreSQL the same searches above ran over its tsvector index.
if [ "$LIAISON_TEST_DB" = sqlite ]; then
# ---------------------------------------------------------------------------------------
# the sqlite3 shell with the loadable tokenizer reads the same index
ext="$(dirname "$LIAISON_BIN")/liaison_fts"
if [ -e "$ext.so" ]; then
  got="$(sqlite3 -batch records.db ".load $ext" \
    "SELECT group_concat(ref, ' ') FROM (SELECT DISTINCT r.ref FROM search s JOIN records r ON r.id = s.rowid >> 24 WHERE search MATCH '\"质量问题\"' ORDER BY r.ref)")"
  expect_eq "$got" "EXT-2026-00001" "sqlite3 + .load liaison_fts: the same index answers"
  got="$(sqlite3 -batch records.db ".load $ext" "SELECT count(*) FROM search WHERE search MATCH '\"堂\" *'")"
  expect_eq "$got" "1" "… single characters as prefix queries"
  sqlite3 -batch records.db ".load $ext" "INSERT INTO search(search) VALUES ('integrity-check')" >/dev/null 2>&1
  expect_eq "$?" "0" "… and FTS5's integrity check passes"
else
  fail "the loadable extension $ext.so was not built"
fi
# without the extension, the rest of the database is still readable by the plain shell
expect_eq "$(db 'SELECT count(*) FROM records')" "8" "plain sqlite3 still reads the tables"

# ---------------------------------------------------------------------------------------
# a version-4 database (no index) is upgraded and its history searchable (backfill)
new_dir
cp "$LIAISON_SRC/examples/manufacturing/liaison.toml" .
export LIAISON_USER=zhou.jianguo
sqlite3 -batch records.db ".read $LIAISON_SRC/schemas/0001_initial.sql" ".read $LIAISON_SRC/schemas/0002_report_indexes.sql" \
  ".read $LIAISON_SRC/schemas/0003_report_history_indexes.sql" ".read $LIAISON_SRC/schemas/0004_overdue.sql" \
  "PRAGMA user_version = 4" \
  "INSERT INTO records (id, ref, kind, direction, subject, body, owner, level, status, received_at, created_at, created_by)
   VALUES (1, 'INT-2026-00001', 'complaint', 'internal', '旧记录', '', 'quality', 'internal', 'closed', 1790000000, 1790000000, 'ann')" \
  "INSERT INTO events (id, record_id, type, actor, at, data, prev_hash, hash) VALUES
   (1, 1, 'filed', 'ann', 1790000000, '{\"body\":\"早期的产品质量投诉\",\"subject\":\"旧记录\"}', '', 'x'),
   (2, 1, 'closed', 'ann', 1790000100, '{\"resolution\":\"已更换模具\",\"clocks\":{}}', 'x', 'y'),
   (3, 1, 'logged', 'ann', 1790000200, 'not json', 'y', 'z')"
run "$L" search 质量
expect_status 1 "search on a version-4 database: needs upgrading (read-only commands do not migrate)"
run "$L" init --db-only
expect_status 0 "init --db-only upgrades it"
expect_eq "$(db 'PRAGMA user_version')" "17" "… to the current version (17)"
expect_eq "$(refs 质量)" "INT-2026-00001" "the filed body of an old record is found"
expect_eq "$(refs 模具)" "INT-2026-00001" "… and its old resolution"
expect_eq "$(refs 旧记录)" "INT-2026-00001" "… and its subject"

fi

finish
