#!/usr/bin/env bash
# `liaison report --details N|all`: the lists of overdue and major records show the first N
# (default 50; the most late first, the earliest received first) and say how many there
# are in all; the counts stay complete. And the text report keeps every line, long
# subjects included, within 100 columns.
#
# The story (manufacturing example; times +08:00): 55 internal complaints, five on each of
# the working days 09-01 … 09-15 (09:00, 09:01 … 09:04), none ever closed. An internal
# complaint is due to be resolved 3 working days after the day it was received, so the
# five of a day share a deadline and every day's are later than the day before's: at the
# end of October they are all overdue, INT-2026-00001 … 00005 the most late, the refs
# breaking ties. The first four are major. INT-1 has a long Chinese subject and INT-2 a
# long English one.
. "$(dirname "$0")/lib.sh"

setup_workdir

long_zh="$(printf '客户反映冲压车间夜班加班费计算有误且多次沟通未果%.0s' 1 2 3 4)"
long_en="$(printf 'The supplier says the welding fixtures drift out of tolerance after each night shift %.0s' 1 2 3)"
n=0
for day in 01 02 03 04 07 08 09 10 11 14 15; do
  for minute in 00 01 02 03 04; do
    n=$((n + 1))
    subject="记录 $n"
    [ "$n" -eq 1 ] && subject="$long_zh"
    [ "$n" -eq 2 ] && subject="$long_en"
    major=()
    [ "$n" -le 4 ] && major=(--major)
    at "2026-09-${day}T09:${minute}:00+08:00"
    run "$L" file --kind complaint --direction internal --subject "$subject" "${major[@]}"
    [ "$status" -eq 0 ] || fail "file record $n: exit $status: $err"
  done
done
expect_eq "$(db "SELECT count(*) FROM records WHERE major = 1")" "4" "55 records filed, 4 major"
expect_eq "$(db "SELECT count(DISTINCT due) FROM records")" "11" "sqlite3: eleven deadlines, one a day"

at 2026-11-02T09:00:00+08:00
before="$(counts)"
q() { jq -c "$1" <<<"$j"; }

# ---------------------------------------------------------------------------------------
# The default: the first 50, and the totals of all.
run "$L" report --period 2026-10 --format json
expect_status 0 "report json, default --details"
j="$out"
expect_eq "$(q '[.overdue.total, (.overdue.records | length), ([.overdue.by_owner[].count] | add)]')" '[55,50,55]' \
  "default: 50 of the 55 overdue listed; the total and the counts per owner complete"
expect_eq "$(q '.details')" '{"limit":50,"major":{"listed":4,"total":4},"overdue":{"listed":50,"total":55}}' \
  "default: the details field says what is listed of what"
expect_eq "$(q '[.overdue.records[0].ref, .overdue.records[49].ref]')" '["INT-2026-00001","INT-2026-00050"]' \
  "default: the most late first; the last five (received 09-15) left out"
expect_eq "$(q '[.overdue.records | map(.late_working_days) | (. == (sort | reverse))]')" '[true]' \
  "default: in order of lateness"
expect_eq "$(q '.change.current.overdue_at_end')" '55' "§6 counts all 55"

run "$L" report --period 2026-10 --lang en
expect_status 0 "report text en, default --details"
expect_contains "$out" "Overdue at the end: 55" "text en: the total"
expect_contains "$out" "50 of 55 listed; --details all lists them all." "text en: says 50 of 55 are listed"
expect_contains "$out" "INT-2026-00050" "text en: the 50th"
expect_not_contains "$out" "INT-2026-00051" "text en: not the 51st"
expect_not_contains "$out" "of 4 listed" "text en: the 4 major records are all listed, no note"
run "$L" report --period 2026-10 --lang zh
expect_contains "$out" "共 55 条，列出 50 条；--details all 列出全部。" "text zh: 共 55 条，列出 50 条"

# ---------------------------------------------------------------------------------------
# --details 3: the three most late, and three of the four major records (by receipt).
run "$L" report --period 2026-10 --details 3 --format json
expect_status 0 "--details 3"
j="$out"
expect_eq "$(q '[.overdue.records[].ref]')" '["INT-2026-00001","INT-2026-00002","INT-2026-00003"]' \
  "--details 3: the three most late"
expect_eq "$(q '[.major[].ref]')" '["INT-2026-00001","INT-2026-00002","INT-2026-00003"]' \
  "--details 3: the first three major records"
expect_eq "$(q '[.overdue.total, .details]')" \
  '[55,{"limit":3,"major":{"listed":3,"total":4},"overdue":{"listed":3,"total":55}}]' "--details 3: totals"
expect_eq "$(q '.overdue.by_owner')" '[{"count":55,"key":"hr"}]' "--details 3: the counts per owner complete"
run "$L" report --period 2026-10 --details 3 --lang en
expect_contains "$out" "3 of 55 listed;" "text: 3 of 55 overdue"
expect_contains "$out" "3 of 4 listed;" "text: 3 of 4 major"
run "$L" report --period 2026-10 --details 3 --format md --lang zh
expect_contains "$out" "共 55 条，列出 3 条" "md zh: 3 of 55"
expect_contains "$out" "共 4 条，列出 3 条" "md zh: 3 of 4 major"
run "$L" report --period 2026-10 --details 3 --format csv
expect_contains "$out" $'overdue,all,,,overdue,55\r' "csv: the total"
expect_contains "$out" $'overdue,all,,,listed,3\r' "csv: how many listed"
expect_contains "$out" $'major,all,,,major,4\r' "csv: the major total"
expect_contains "$out" $'major,all,,,listed,3\r' "csv: the major listed"
expect_eq "$(grep -c '^overdue,record,.*,late_working_days,' <<<"$out")" "3" "csv: three overdue records"
run "$L" report --period 2026-10 --details 3 --format html --lang en
expect_contains "$out" "<p class=\"listed\">3 of 55 listed; --details all lists them all.</p>" "html: 3 of 55"
expect_contains "$out" "<p class=\"listed\">3 of 4 listed;" "html: 3 of 4 major"
expect_contains "$out" "<strong>55</strong>" "html: the total overdue"
expect_eq "$(grep -c '<td class="ref">INT-2026-' <<<"$out")" "6" "html: three rows in each list"

# ---------------------------------------------------------------------------------------
# --details all: everything, as before; no note, no "listed" rows.
run "$L" report --period 2026-10 --details all --format json
expect_status 0 "--details all"
j="$out"
expect_eq "$(q '[(.overdue.records | length), (.major | length), .details.limit]')" '[55,4,null]' "--details all: every record"
expect_eq "$(q '.overdue.records[54].ref')" '"INT-2026-00055"' "--details all: the least late last"
run "$L" report --period 2026-10 --details all --lang en
expect_not_contains "$out" "listed;" "--details all: no note"
expect_contains "$out" "INT-2026-00055" "--details all: text lists the 55th"
run "$L" report --period 2026-10 --details all --format csv
expect_not_contains "$out" ",listed," "--details all: csv has no listed row"

# --details 0: the counts alone.
run "$L" report --period 2026-10 --details 0 --format json
expect_status 0 "--details 0"
j="$out"
expect_eq "$(q '[.overdue.total, (.overdue.records | length), (.major | length), .details.major.total]')" '[55,0,0,4]' \
  "--details 0: no records, the totals"
run "$L" report --period 2026-10 --details 0 --lang en
expect_contains "$out" "0 of 55 listed;" "--details 0: text says none of 55 listed"
expect_not_contains "$out" "INT-2026-" "--details 0: no record in the text"

# A cap larger than the list changes nothing.
run "$L" report --period 2026-10 --details 55 --format json
j55="$out"
run "$L" report --period 2026-10 --details all --format json
expect_eq "$(jq -c 'del(.details)' <<<"$j55")" "$(jq -c 'del(.details)' <<<"$out")" "--details 55 is --details all here"

# ---------------------------------------------------------------------------------------
# Every line of the text report within 100 columns (display width: a Chinese character
# takes two), long subjects cut with "…", in both languages and at every cap.
for lang in zh en; do
  for details in 50 all; do
    run "$L" report --period 2026-10 --details "$details" --lang "$lang"
    widest="$(LC_ALL=C.UTF-8 wc -L <<<"$out")"
    [ "$widest" -le 100 ] && pass "text $lang --details $details: widest line $widest ≤ 100" ||
      fail "text $lang --details $details: a line is $widest columns wide: $(awk 'length > 60' <<<"$out" | head -3)"
    expect_not_contains "$out" "$long_zh" "text $lang: the long Chinese subject is cut"
    expect_not_contains "$out" "$long_en" "text $lang: the long English subject is cut"
    expect_contains "$out" "客户反映冲压车间" "text $lang: the Chinese subject's start is there"
    expect_contains "$out" "The supplier says" "text $lang: the English subject's start is there"
  done
done
run "$L" report --period 2026-10 --format json
expect_eq "$(jq -r '.overdue.records[0].subject' <<<"$out")" "$long_zh" "json: subjects are never cut"

# ---------------------------------------------------------------------------------------
# Bad values: a usage error, exit 2, nothing changed.
for bad in -1 abc 1.5 "" 3x ALL 99999999999999999999; do
  run "$L" report --period 2026-10 --details "$bad"
  expect_status 2 "--details '$bad': exit 2"
  expect_err_prefix "--details '$bad': liaison: prefix"
  expect_contains "$err" "--details" "--details '$bad': names the option"
done
run env LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 "$L" report --period 2026-10 --details many
expect_contains "$err" "--details 须为数字" "bad --details in Chinese"
expect_eq "$(counts)" "$before" "report changes nothing"

finish
