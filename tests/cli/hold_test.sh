#!/usr/bin/env bash
# Legal hold (issue 13, point 4): `hold REF --reason` and `release REF --reason`, by admins
# and top management only, each an event with its reason; `list --held` (and export
# --held) select the records the newest of those events holds; the refusals (already
# held, not held, no reason, no such record, not allowed) write nothing; the events
# survive export and import, and audit verify accepts them.
. "$(dirname "$0")/lib.sh"

setup_workdir

at 2026-09-21T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
run "$L" file --kind complaint --party svw --channel email --subject "索赔争议"
expect_status 0 "file EXT-1"
run "$L" file --kind complaint --party svw --channel email --subject "普通投诉"
expect_status 0 "file EXT-2"
at 2026-09-22T09:00:00+08:00
run "$L" close EXT-2026-00001 --resolution "已答复" --reply-via email
expect_status 0 "close EXT-1"

at 2026-09-23T09:00:00+08:00
run "$L" hold EXT-2026-00001 --reason "客户索赔诉讼 (2026) 沪0115民初1234号"
expect_status 0 "hold a closed record"
expect_eq "$out" "EXT-2026-00001: held" "it says so"
run "$L" list --held --status all --format json
expect_eq "$(jq -r '[.[].ref] | join(",")' <<<"$out")" "EXT-2026-00001" "list --held lists it, and only it"
run "$L" export --held
expect_eq "$(grep -c '"type":"record"' <<<"$out")" "1" "export --held exports it alone"

before="$(snapshot)"
run "$L" hold EXT-2026-00001 --reason "again"
expect_status 5 "holding a held record is exit 5"
expect_contains "$err" "EXT-2026-00001 is already held (since 2026-09-23T09:00:00+08:00, by zhou.jianguo)" "… saying since when and by whom"
run "$L" release EXT-2026-00002 --reason "x"
expect_status 5 "releasing a record not held is exit 5"
run "$L" hold EXT-2026-00002
expect_status 65 "a hold without a reason is exit 65"
run "$L" hold EXT-2026-00002 --reason "  "
expect_status 65 "… and so is a blank reason"
run "$L" hold EXT-2026-00099 --reason "x"
expect_status 4 "an unknown record is exit 4"
run "$L" --as gao.feng hold EXT-2026-00002 --reason "x"
expect_status 77 "a department head may not hold"
expect_contains "$err" "only admins and top management may place or release a hold" "… and is told who may"
run env LIAISON_USER=he.min "$L" release EXT-2026-00001 --reason "x"
expect_status 77 "an auditor may not release"
expect_eq "$(snapshot)" "$before" "the refusals wrote nothing"
expect_eq "$(db "SELECT count(*) FROM events WHERE type IN ('held', 'released')")" "1" "… no event either"

at 2026-09-24T09:00:00+08:00
run "$L" release EXT-2026-00001 --reason "诉讼已结案"
expect_status 0 "release"
run "$L" list --held --status all --format json
expect_eq "$out" "[]" "nothing is held any more"
at 2026-09-25T09:00:00+08:00
run "$L" --lang zh hold EXT-2026-00001 --reason "再审"
expect_eq "$out" "EXT-2026-00001：已保全" "held again, said in Chinese"
run "$L" --lang zh --format table show EXT-2026-00001
expect_contains "$out" "保全      再审" "show names the hold and its reason"
expect_contains "$out" "解除保全  诉讼已结案" "… and the release"
expect_match "$out" "保全中 +2026-09-25 09:00 zhou.jianguo, 原因: 再审" "the header says it is held, since when, by whom, why"
run "$L" show EXT-2026-00001 --format json
expect_eq "$(jq -c .held <<<"$out")" '{"by":"zhou.jianguo","reason":"再审","since":"2026-09-25T09:00:00+08:00"}' \
  "show --format json: held"
run "$L" show EXT-2026-00002 --format json
expect_eq "$(jq -c .held <<<"$out")" "null" "… null when not held"
run "$L" list --held --status all --format json
expect_eq "$(jq -r '[.[].ref] | join(",")' <<<"$out")" "EXT-2026-00001" "the newest event decides: held again"
run "$L" audit verify
expect_status 0 "audit verify accepts the hold events"

import_elsewhere
expect_status 0 "import takes the hold events"
run "$L" --db "$OTHER_DB" list --held --status all --format json
expect_eq "$(jq -r '[.[].ref] | join(",")' <<<"$out")" "EXT-2026-00001" "… and the record is held there too"
expect_same_export

finish
