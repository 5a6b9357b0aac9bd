#!/usr/bin/env bash
# The read path: `rules explain` routes as `file` does, its defaults included; one meaning
# of "overdue" (a record waiting on an outside party is not); `show` and `audit log`
# describe events alike.
. "$(dirname "$0")/lib.sh"
setup_workdir

# ---------------------------------------------------------------------------------------
# rules explain applies file's defaults: a rule that matches on the level, left at its
# default (levels.default = internal), matches in the dry run as in the filing.
awk '!done && /^\[\[rule\]\]/ {
       print "[[rule]]\nname = \"内部级建议由人力资源部受理\"\nwhen = { kind = \"suggestion\", level = \"internal\" }\nowner = \"hr\"\n"
       done = 1
     } { print }' liaison.toml >liaison.new && mv liaison.new liaison.toml
run "$L" config check
expect_status 0 "config check with a rule on the level"
run "$L" rules explain --kind suggestion
expect_status 0 "rules explain, level left at its default"
expect_contains "$out" 'rule 1 "内部级建议由人力资源部受理": matches' "rules explain: the level rule matches the default level"
expect_match "$out" 'owner: +人力资源部 +\(rule 1 "内部级建议由人力资源部受理"\)' "rules explain: owner hr"
run "$L" --format json rules explain --kind suggestion
expect_eq "$(jq -r '[.owner, .rule] | join("|")' <<<"$out")" "hr|内部级建议由人力资源部受理" "rules explain json: owner and rule"
run "$L" file --kind suggestion --channel memo --subject "食堂增加夜宵"
expect_status 0 "file the suggestion"
expect_eq "$(db "SELECT owner, rule FROM records WHERE ref='$out'")" "hr|内部级建议由人力资源部受理" \
  "file routes as rules explain said"
run "$L" rules explain --kind suggestion --level secret
expect_contains "$out" 'rule 1 "内部级建议由人力资源部受理": does not match' "rules explain: a level given is used"
# --from me: the acting user's department, as file --from me takes it.
run env LIAISON_USER=zhang.wei "$L" --format json rules explain --kind request --from me
expect_status 0 "rules explain --from me"
expect_contains "$(jq -r '[.trace[].reasons[]] | join("|")' <<<"$out")" 'from_dept is "sales"' \
  "rules explain --from me: the acting user's department (sales)"
fails 2 '--from me: nobody is acting' "rules explain --from me with nobody acting" \
  env LIAISON_USER=no.body "$L" rules explain --kind request --from me

# ---------------------------------------------------------------------------------------
# Overdue: a record waiting on an outside party is not overdue, wherever it is asked.
at 2026-09-21T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "party add svw"
run "$L" file --kind complaint --party svw --channel email --subject "批次 2609 孔距超差"
expect_status 0 "file the complaint"
ref="$out"
at 2026-09-22T09:00:00+08:00
run "$L" wait "$ref" --reason "等客户寄回样件"
expect_status 0 "wait"

at 2026-11-02T10:00:00+08:00   # long past the deadline it had when it began waiting
run "$L" --format tsv list --overdue
expect_not_contains "$out" "$ref" "list --overdue: a waiting record is not overdue"
run "$L" --format tsv list --overdue --grep 孔距
expect_not_contains "$out" "$ref" "list --overdue --grep: a waiting record is not overdue"
run "$L" --format json list --status all
expect_eq "$(jq -r --arg r "$ref" '.[] | select(.ref == $r) | .overdue' <<<"$out")" "false" "list json: overdue false while waiting"
run "$L" --format json show "$ref"
expect_eq "$(jq -r .overdue <<<"$out")" "false" "show json: overdue false while waiting"
run "$L" --format tsv list --columns ref,overdue
expect_eq "$(grep "^$ref" <<<"$out")" "$ref	no" "list column overdue: no while waiting"
run "$L" show "$ref"
expect_not_contains "$out" "(overdue)" "show: the due line does not say overdue while waiting"
run "$L" --format tsv overdue
expect_not_contains "$out" "$ref	resolve" "overdue: a waiting record owes no resolution"
run "$L" --format json search 孔距
expect_eq "$(jq -r '.[0].overdue' <<<"$out")" "false" "search json: overdue false while waiting"

run "$L" resume "$ref" --note "样件已到"
expect_status 0 "resume"
at 2026-12-15T10:00:00+08:00   # past the deadline moved by the pause
run "$L" --format tsv list --overdue
expect_contains "$out" "$ref" "list --overdue: resumed and past due, it is overdue"
run "$L" --format json show "$ref"
expect_eq "$(jq -r .overdue <<<"$out")" "true" "show json: overdue true once resumed and past due"
run "$L" --format tsv list --columns ref,overdue
expect_eq "$(grep "^$ref" <<<"$out")" "$ref	yes" "list column overdue: yes once resumed and past due"
run "$L" --format tsv overdue
expect_contains "$out" "$ref	resolve" "overdue: owes the resolution once resumed and past due"

# ---------------------------------------------------------------------------------------
# show and audit log describe events in the same words.
run "$L" --format tsv audit log --ref "$ref"
audit="$out"
run "$L" show "$ref"
for what in "批次 2609 孔距超差 → quality/gao.feng" "等客户寄回样件" "样件已到 due 2026-"; do
  expect_contains "$audit" "$what" "audit log says: $what"
  expect_contains "$out" "$what" "show says: $what"
done
run "$L" --format tsv audit log --type identity-viewed
expect_status 0 "audit log --type identity-viewed: a type this version writes"

finish
