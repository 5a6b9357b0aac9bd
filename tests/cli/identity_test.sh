#!/usr/bin/env bash
# Who acts is established by the operating system, not declared (liaison-security(7)):
#   1. with users in the config and no [access] trust_declared_user, the acting user is the
#      [[user]] whose login is the real uid's — $USER, LIAISON_USER and --as do not change it;
#   2. naming someone else (LIAISON_USER, --as) is refused, exit 77, nothing written, nothing
#      shown — a complainant's name above all;
#   3. an admin may act for someone else, and the event names both (actor, and data.by);
#   4. a login no user has acts as that login: an unlisted user, who reads and never writes;
#   5. trust_declared_user = true keeps the declared user, and config check warns about it;
#      a login that is not one, or given to two users, is a configuration error.
# The test runs as whatever OS account runs the suite: its login is read with `id -un`.
. "$(dirname "$0")/lib.sh"

setup_workdir
me="$(id -un)"

# The example trusts the declared user (so that the other suites can act as anyone) and
# says so.
run "$L" config check
expect_status 0 "the trusting example checks"
expect_contains "$err" "warning: [access] trust_declared_user is on" "… with a warning that it trusts the declared user"

# A record with a complainant's identity, filed while trusting (as zhou.jianguo).
at 2026-09-21T09:00:00+08:00
run "$L" file --kind complaint --from production --channel oral --to quality --subject "主管辱骂员工" \
  --contact-name "王小明" --contact-phone 13800000000
expect_status 0 "setup: a record with an identity"
ref="$out"

# strict.toml: nothing trusted; ma.jun (head of quality, not an admin) has this login.
sed '/^trust_declared_user = true$/d; /^id = "ma.jun"$/a login = "'"$me"'"' liaison.toml >strict.toml
run "$L" --config strict.toml config check
expect_status 0 "strict.toml checks"
expect_not_contains "$err" "trust_declared_user" "… without the warning"
S=(env -u LIAISON_USER "$L" --config strict.toml)

# --- 1. the OS says who acts ------------------------------------------------------------
at 2026-09-21T10:00:00+08:00
run "${S[@]}" log "$ref" "已约谈当事人"
expect_status 0 "log as the login's user"
expect_eq "$(db "SELECT actor FROM events ORDER BY id DESC LIMIT 1")" "ma.jun" "the event's actor is ma.jun, by login $me"
run env USER=zhou.jianguo "${S[@]}" log "$ref" "再次约谈"
expect_status 0 "USER naming someone else is not believed"
expect_eq "$(db "SELECT actor FROM events ORDER BY id DESC LIMIT 1")" "ma.jun" "… the actor is still ma.jun"
run env LIAISON_USER=ma.jun "$L" --config strict.toml log "$ref" "第三次"
expect_status 0 "LIAISON_USER naming oneself is fine"

# --- 2. declaring someone else: refused, nothing written, nothing shown ---------------------
fails 77 "ma.jun may not act as zhou.jianguo: only an admin may act for someone else" \
  "LIAISON_USER=<top manager> show --identity" env LIAISON_USER=zhou.jianguo "$L" --config strict.toml show --identity "$ref"
expect_not_contains "$out$err" "王小明" "… the complainant's name is not shown"
expect_not_contains "$out$err" "13800000000" "… nor the phone"
expect_contains "$err" "you act as ma.jun, by your login $me" "… and the hint says who you are"
fails 77 "ma.jun may not act as gao.feng" "LIAISON_USER=<someone> close" \
  env LIAISON_USER=gao.feng "$L" --config strict.toml close "$ref" --resolution "已处理" --reply-via oral
fails 77 "ma.jun may not act as zhou.jianguo" "--as <someone> route" \
  "${S[@]}" --as zhou.jianguo route "$ref" --to hr
fails 77 "ma.jun may not act as li.xue" "--as <someone> for a read" "${S[@]}" --as li.xue list
fails 77 "不能以 zhou.jianguo 的身份操作" "refused in Chinese too" "${S[@]}" --lang zh --as zhou.jianguo list

# --- 3. an admin acts for someone, and the history names both --------------------------------
sed '/^trust_declared_user = true$/d; /^id = "sun.qian"$/a login = "'"$me"'"' liaison.toml >admin.toml
at 2026-09-21T11:00:00+08:00
run env -u LIAISON_USER "$L" --config admin.toml --as gao.feng log "$ref" "代高峰登记电话内容"
expect_status 0 "an admin logs for gao.feng"
expect_eq "$(db "SELECT actor || ' ' || json_extract(data, '$.by') FROM events ORDER BY id DESC LIMIT 1")" \
  "gao.feng sun.qian" "the event's actor is gao.feng, and data.by says sun.qian did it"
run env -u LIAISON_USER "$L" --config admin.toml log "$ref" "本人登记"
expect_eq "$(db "SELECT actor || ' ' || coalesce(json_extract(data, '$.by'), '-') FROM events ORDER BY id DESC LIMIT 1")" \
  "sun.qian -" "acting as themselves, no 'by'"
run "$L" audit verify
expect_status 0 "audit verify after events with 'by'"

# --- 4. a login no user has ---------------------------------------------------------------
sed '/^trust_declared_user = true$/d' liaison.toml >nologin.toml
if [ -z "$(grep -x "id = \"$me\"" nologin.toml)" ]; then
  fails 77 "$me" "a login no user has may not write" env -u LIAISON_USER "$L" --config nologin.toml log "$ref" "x"
  run env -u LIAISON_USER "$L" --config nologin.toml --format tsv list --columns ref
  expect_status 0 "… but reads"
  expect_contains "$out" "$ref" "… what everyone may read"
else
  pass "(skipped: this account's login is also a user id of the example)"
fi

# --- 5. configuration errors --------------------------------------------------------------
sed '/^id = "ma.jun"$/a login = "ma jun"' liaison.toml >badlogin.toml
fails 78 'user "ma.jun" login: "ma jun" is not a login name' "a login with a space" \
  "$L" --config badlogin.toml config check
sed -e '/^id = "ma.jun"$/a login = "shared"' -e '/^id = "gao.feng"$/a login = "shared"' liaison.toml >twice.toml
fails 78 'login "shared" belongs to another user already' "a login given to two users" \
  "$L" --config twice.toml config check

finish
