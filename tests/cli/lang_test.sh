#!/usr/bin/env bash
# The language of output (liaison(1) LANGUAGE): --lang, then the locale unless it is unset
# or C/POSIX, then [organization] lang, then English; [[user]] lang for each recipient's
# reminder mail; and, under Chinese, no English word left in the tables and texts of the
# manufacturing example's commands (ids, references and e-mail addresses excepted).
. "$(dirname "$0")/lib.sh"

setup_workdir
use_fake_sendmail
# lib.sh runs everything under LANG=LC_ALL=C.UTF-8, which chooses no language.

# --- the story: a complaint filed, acknowledged, logged, routed, escalated, paused, resumed,
# closed and reopened; a suggestion; an inquiry left to fall overdue -------------------------
at "2026-09-29 10:00"
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer --contact 王工 --phone 021-6955-0000
expect_status 0 "party add"
run "$L" file --kind complaint --party svw --channel email --subject "支架孔距超差" --body "来料检验发现孔距超差。"
expect_status 0 "file the complaint"
run "$L" file --kind suggestion --from production --subject "焊装线增加防错工装"
expect_status 0 "file the suggestion"
run "$L" file --kind inquiry --party svw --channel phone --subject "询问文件提交进度"
expect_status 0 "file the inquiry"
run "$L" --as gao.feng --now "2026-09-29 14:20" ack EXT-2026-00001 --note "已收到"
expect_status 0 "ack"
run "$L" --as gao.feng --now "2026-09-30 09:10" log EXT-2026-00001 --type call "电话告知客户"
expect_status 0 "log a call"
run "$L" --now "2026-09-30 09:20" route EXT-2026-00002 --to quality --reason "质量问题"
expect_status 0 "route"
run "$L" --now "2026-09-30 09:30" escalate EXT-2026-00002 --reason "客户催促"
expect_status 0 "escalate"
run "$L" --now "2026-09-30 09:40" wait EXT-2026-00002 --reason "等客户回复"
expect_status 0 "wait"
run "$L" --now "2026-09-30 09:50" resume EXT-2026-00002
expect_status 0 "resume"
run "$L" --as gao.feng --now "2026-10-09 16:00" close EXT-2026-00001 --resolution "更换定位销" --reply-via email
expect_status 0 "close"
run "$L" --now "2026-10-10 09:00" reopen EXT-2026-00001 --reason "复发"
expect_status 0 "reopen"
at "2026-10-13 09:00"

# --- the order of precedence -----------------------------------------------------------
run "$L" --format table list
expect_contains "$out" "subject" "C.UTF-8 and no [organization] lang: English"
sed -i '/^\[organization\]/a lang = "zh"' liaison.toml
run "$L" config check
expect_status 0 "[organization] lang = \"zh\" checks"
run "$L" --format table list
expect_contains "$out" "主题" "C.UTF-8 chooses no language: [organization] lang gives Chinese"
run env LC_ALL=POSIX LANG=POSIX "$L" --format table list
expect_contains "$out" "主题" "POSIX chooses no language either"
run env -u LC_ALL -u LANG "$L" --format table list
expect_contains "$out" "主题" "no locale at all: [organization] lang"
run env LC_ALL=en_US.UTF-8 "$L" --format table list
expect_contains "$out" "subject" "a locale that names a language comes before the config"
run env LC_ALL= LANG=zh_CN.UTF-8 "$L" --lang en --format table list
expect_contains "$out" "subject" "--lang comes before everything"
run "$L" show EXT-2026-09999
expect_status 4 "show of a missing record"
expect_contains "$err" "没有编号为 EXT-2026-09999 的记录" "an error after the config is read speaks its lang"
run "$L" --config nowhere.toml list
expect_contains "$err" "liaison: " "an error before the config is read ..."
expect_not_contains "$err" "没有" "... stays in the locale's language (English)"
run "$L" --format json config show
expect_eq "$(printf '%s' "$out" | jq -r '.organization.lang')" "zh" "config show gives [organization] lang"
run "$L" --format tsv list --status all
expect_match "$out" $'EXT-2026-00001\tacknowledged' "TSV keeps the machine values under Chinese"
run "$L" --format json audit log --ref EXT-2026-00001
expect_eq "$(printf '%s' "$out" | jq -r '.[0].type // .type' 2>/dev/null | head -1)" "filed" \
  "JSON keeps the event types under Chinese"

# --- a wrong lang is a configuration error, with a hint --------------------------------
cp liaison.toml good.toml
sed -i 's/^lang = "zh"/lang = "zn"/' liaison.toml
run "$L" config check
expect_status 78 "[organization] lang = \"zn\" is refused"
expect_contains "$err" "[organization] lang: unknown language \"zn\"" "it names the key and the value"
expect_contains "$err" "zh" "and says what to write"
cp good.toml liaison.toml
sed -i '/^id = "ma.jun"/a lang = "french"' liaison.toml
run "$L" config check
expect_status 78 "[[user]] lang = \"french\" is refused"
expect_contains "$err" "user \"ma.jun\" lang" "it names the user"
cp good.toml liaison.toml

# --- a cron-like run: no environment but PATH, [organization] lang = "zh" ----------------
# ma.jun (quality's head) is reminded of EXT-2026-00002 (resolve, overdue), cao.yan of
# INT-2026-00001 (ack). cao.yan asks for English mail.
sed -i '/^id = "cao.yan"/a lang = "en"' liaison.toml
run env -i PATH=/usr/bin:/bin LIAISON_NOW="2026-10-13 09:00" LIAISON_USER=zhou.jianguo "$L" \
  --config "$PWD/liaison.toml" -q remind
expect_status 0 "remind runs with an empty environment"
expect_eq "$err" "" "and says nothing on stderr"
body() { sed '1,/^$/d' "$1" | base64 -d | tr -d '\r'; }
mail_to() { local f; for f in $(mails); do grep -q "^To:.*<$1>" "$f" && echo "$f"; done | tail -1; }
ma="$(mail_to ma.jun@example.cn)"
cao="$(mail_to cao.yan@example.cn)"
if [ -n "$ma" ] && [ -n "$cao" ]; then
  pass "both were mailed"
  expect_contains "$(body "$ma")" "马骏，您好：" "no LANG, [organization] lang = zh: a Chinese greeting"
  expect_not_contains "$(body "$ma")" "Hello" "and no English one"
  expect_contains "$(grep '^Subject:' "$ma")" "=?UTF-8?B?" "a Chinese subject (encoded)"
  expect_contains "$(body "$cao")" "Hello 曹艳," "[[user]] lang = en: that user's mail is in English"
  expect_contains "$(grep '^Subject:' "$cao")" "[liaison] 1 record overdue" "English subject"
else
  fail "remind mailed ma.jun ($ma) and cao.yan ($cao)"
fi
run "$L" --lang en --now "2026-10-15 09:00" remind --dry-run  # a later day: the interval has passed
expect_contains "$out" "马骏，您好：" "--lang en: recipients still get [organization] lang"
cp good.toml liaison.toml

# --- no English word left under --lang zh ------------------------------------------------
# Allowed: references, e-mail addresses, the ids of users, departments and parties (from
# the config), hex hashes, the zone, mail headers, the program's name.
ids="$("$L" --format json config show | jq -r '.user[].id, .department[].id, .kind[].notify[].to' | tr '\n' '|')"
allowed="(EXT|INT)-[0-9]{4}-[0-9]{5}|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+|${ids}svw|[0-9a-f]{12,}|Asia/Shanghai"
allowed="$allowed|^(From|To|Subject|Message-ID):|liaison remind|liaison show|liaison|--identity|OA"
english_words() {  # TEXT → its English words once the allowed ones are taken out
  printf '%s\n' "$1" | sed -E "s#${allowed}##g" | grep -oE '[A-Za-z]{2,}' | sort -u | tr '\n' ' '
}
sweep=(
  "show EXT-2026-00001" "show EXT-2026-00002" "show INT-2026-00001"
  "list --status all" "list --status all --columns ref,direction,channel,level,party,major,outcome,overdue"
  "overdue" "audit log" "audit verify"
  "deadline explain EXT-2026-00001" "deadline explain EXT-2026-00002" "deadline explain INT-2026-00001"
  "party list" "party show svw" "config matrix" "search 孔距"
  "remind --dry-run"
)
for c in "${sweep[@]}"; do
  # shellcheck disable=SC2086  # the words of the command
  run "$L" --lang zh --format table $c
  expect_status 0 "liaison --lang zh $c"
  words="$(english_words "$out")"
  if [ -z "$words" ]; then pass "liaison --lang zh $c: no English word"
  else fail "liaison --lang zh $c: English words left: $words"; fi
done
run "$L" --lang zh --format table show EXT-2026-00002
expect_contains "$out" "转办" "show: the event 'routed' in Chinese"
expect_contains "$out" "营销中心 → 品质部" "show: departments by name in the history"
expect_contains "$out" "→ 总经办" "show: escalated to top management, by name"
expect_contains "$out" "电话" "show: the channel by name"
run "$L" --lang zh --format table show EXT-2026-00001
expect_contains "$out" "[电话]" "show: the entry type of a log in Chinese"
expect_contains "$out" "已用" "show: durations in Chinese"
run "$L" --lang zh deadline explain EXT-2026-00001
expect_contains "$out" "国庆节" "deadline explain: the holiday"
expect_contains "$out" "→ 第 1 个工作日" "deadline explain: working days counted in Chinese"
sed -i '/^lang = "zh"/d' liaison.toml
run "$L" --format table show EXT-2026-00002
expect_contains "$out" "sales → quality" "English keeps the ids in the history, as before"
expect_contains "$out" "routed" "English keeps the event types"

finish
