#!/usr/bin/env bash
# `liaison report --format html` as a user runs it for a management review, then the page
# opened in a real headless browser (tests/browser/check_html.py: Chromium through
# chromedriver): loads with no console error, its charts are drawn, it prints on A4.
# The management-review pack (issue 14, point 9): the 12-month trend (each month as
# `report --period` counts it), on-time rates by department and the Pareto by party are
# there and drawn with a non-zero size in the browser; [report] title, form_no and
# signoff make the header, footer and sign-off block (review.html, report-review.png/pdf).
# The screenshot and the PDF are kept as test artefacts in $ARTIFACT_DIR (set by
# cmake/tests.cmake to <build>/test-artifacts): report.png / report.pdf (Chinese) and
# report-en.png / report-en.pdf (English).
#
# Without Chromium the browser part is skipped (exit 77) — unless LIAISON_REQUIRE_BROWSER
# is set, as scripts/test does for CI, where a missing browser fails the test.
#
# The story, on the manufacturing example (all times +08:00):
#   09-28  party add svw (customer), baosteel (supplier); EXT-1 customer complaint (open
#          at the start of October)
#   10-08  EXT-2 customer complaint whose subject is an HTML injection attempt
#   10-09  EXT-3 inquiry from baosteel; 10-12 INT-1 internal complaint; 10-13 INT-2 suggestion
#   10-14  EXT-4 major customer complaint; 10-15 close EXT-3; 10-16 close INT-2 (adopted)
#   11-02 09:00  report --period 2026-10
. "$(dirname "$0")/lib.sh"

: "${ARTIFACT_DIR:=$(dirname "$LIAISON_BIN")/test-artifacts}"
mkdir -p "$ARTIFACT_DIR"
CHECK_HTML="$LIAISON_SRC/tests/browser/check_html.py"

setup_workdir

at 2026-09-28T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer
expect_status 0 "party add svw"
run "$L" party add "宝山钢铁股份有限公司" --id baosteel --type supplier
expect_status 0 "party add baosteel"
run "$L" file --kind complaint --party svw --channel email --subject "批次 2609 支架尺寸超差"
expect_status 0 "file EXT-1 (September)"

run "$L" --now 2026-10-08T09:00:00+08:00 file --kind complaint --party svw --channel email \
  --subject "<script>alert(1)</script> 批次 2610 外观划伤 & \"紧急\""
expect_status 0 "file EXT-2 with markup in its subject"
run "$L" --now 2026-10-09T10:00:00+08:00 file --kind inquiry --party baosteel --channel phone \
  --subject "B340LA 材质证明书版本确认"
expect_status 0 "file EXT-3 inquiry"
run "$L" --now 2026-10-12T09:00:00+08:00 file --kind complaint --from production --channel oral \
  --subject "冲压车间夜班加班费计算有误"
expect_status 0 "file INT-1 internal complaint"
run "$L" --now 2026-10-13T10:00:00+08:00 file --kind suggestion --from production --flow upward \
  --channel suggestion-box --subject "建议冲压线增加自动送料装置"
expect_status 0 "file INT-2 suggestion"
run "$L" --now 2026-10-14T09:00:00+08:00 file --kind complaint --party svw --channel phone --major \
  --subject "客户停线,索赔 20 万元"
expect_status 0 "file EXT-4 major complaint"
run "$L" --now 2026-10-15T11:00:00+08:00 close EXT-2026-00003 --resolution "已书面答复" --reply-via phone
expect_status 0 "close EXT-3"
run "$L" --now 2026-10-16T15:00:00+08:00 close INT-2026-00002 --resolution "纳入 2027 年技改计划" --outcome adopted \
  --reply-via oral
expect_status 0 "close INT-2 as adopted"

at 2026-11-02T09:00:00+08:00
events_before="$(counts)"

# ---------------------------------------------------------------------------------------
# the report, in Chinese, to a file
run "$L" --lang zh report --period 2026-10 --format html --out report.html
expect_status 0 "report --format html --out"
expect_eq "$out" "" "report --out prints nothing on stdout"
if [ -s report.html ]; then pass "report.html written"; else fail "report.html written"; fi
html="$(cat report.html 2>/dev/null)"
expect_match "$html" '^<!DOCTYPE html>' "an HTML5 document"
expect_contains "$html" '<meta charset="utf-8">' "declares UTF-8"
expect_contains "$html" '<html lang="zh-CN">' "lang zh-CN"
expect_contains "$html" "<title>江苏某汽车零部件有限公司 — 内外部沟通汇总报告 2026-10</title>" \
  "title: organisation and period"
expect_contains "$html" "一、收到的沟通记录" "section 1 in Chinese"
expect_contains "$html" "六、与上期比较" "section 6 in Chinese"
expect_contains "$html" "品质部" "department names from the config"
expect_contains "$html" "冲压车间夜班加班费计算有误" "Chinese subjects intact"
expect_contains "$html" "&lt;script&gt;alert(1)&lt;/script&gt; 批次 2610 外观划伤 &amp; &quot;紧急&quot;" \
  "the subject's markup is escaped"
expect_not_contains "$html" "<script" "no script element at all"
for external in "http://" "https://" "src=" "href=" "<link" "@import" "@font-face"; do
  expect_not_contains "$html" "$external" "self-contained: no $external"
done
# url() only for the fill patterns defined in the page (#liaison-…): nothing fetched.
expect_not_contains "${html//url(#liaison-/}" "url(" "self-contained: url() only for the page's own patterns"
expect_match "$html" '<svg class="chart"' "bar charts are inline SVG"
expect_contains "$html" "@page { size: A4" "print rules for A4"
expect_eq "$(counts)" "$events_before" "report wrote nothing to the database"

# the management-review charts and the sign-off block
for chart in trend-counts trend-rate department-rates pareto-party; do
  expect_contains "$html" "data-chart=\"$chart\"" "chart $chart in the page"
done
expect_contains "$html" "近 12 个月趋势（至本期末）" "the trend, titled in Chinese"
expect_contains "$html" ">2025-11<" "… from the twelfth month back"
expect_contains "$html" "2026-10 收到: 5" "… October: 5 received (EXT-2…4, INT-1, INT-2)"
expect_contains "$html" "2026-09 收到: 1" "… September: 1 received (EXT-1)"
expect_contains "$html" "上汽大众汽车有限公司: 2 (100.0%)" "Pareto: svw's 2 complaints, all of October's external ones"
expect_contains "$html" "<tr><th>编制</th>" "sign-off: 编制"
expect_contains "$html" "<tr><th>审核</th>" "sign-off: 审核"
expect_contains "$html" "<tr><th>批准</th>" "sign-off: 批准"

# The trend counts each month as a report of that month would: October's received and
# closed, and September's, are what `report --period` says for each.
for month in 2026-09 2026-10; do
  run "$L" --format json report --period "$month"
  received="$(jq -r '.flow.received' <<<"$out")"
  closed="$(jq -r '.flow.closed' <<<"$out")"
  expect_contains "$html" "$month 收到: $received<" "trend $month: received as report --period $month says ($received)"
  if [ "$closed" != 0 ]; then
    expect_contains "$html" "$month 关闭: $closed<" "trend $month: closed as report --period $month says ($closed)"
  fi
done

# [report] title, form_no and signoff
cp liaison.toml liaison.toml.orig
sed -i '/^\[report\]$/a title = "2026 年管理评审输入：内外部沟通"\nform_no = "QR-7.4-01"\nsignoff = ["编制", "部门负责人", "管理者代表"]' \
  liaison.toml
run "$L" --lang zh report --period 2026-10 --format html --out review.html
expect_status 0 "report with [report] title, form_no, signoff"
review="$(cat review.html 2>/dev/null)"
expect_contains "$review" "<h1>2026 年管理评审输入：内外部沟通</h1>" "[report] title heads the page"
expect_contains "$review" "<p class=\"form-no\">表单编号: QR-7.4-01</p>" "[report] form_no in the header"
expect_contains "$review" "<p class=\"form-footer\">表单编号: QR-7.4-01" "… and on the last line"
expect_contains "$review" "@bottom-right { content: \"表单编号: QR-7.4-01 ·\" \" \" counter(page)" \
  "… and at the foot of every printed page"
expect_contains "$review" "<tr><th>管理者代表</th>" "[report] signoff roles"
expect_not_contains "$review" "<tr><th>批准</th>" "… instead of the default ones"
sed -i 's/^signoff = .*/signoff = "编制"/' liaison.toml
run "$L" --lang zh report --period 2026-10 --format html --out bad.html
expect_status 78 "[report] signoff must be an array: config error"
expect_contains "$err" "signoff" "… naming the key"
cp liaison.toml.orig liaison.toml

# the same in English; and to standard output without --out
run "$L" --lang en report --period 2026-10 --format html --out report-en.html
expect_status 0 "report --lang en --format html --out"
expect_contains "$(cat report-en.html 2>/dev/null)" "1. Volume received" "English section titles"
run "$L" --lang zh report --period 2026-10 --format html
expect_status 0 "report --format html to stdout"
expect_eq "$out" "$(cat report.html 2>/dev/null)" "stdout is the same document as --out wrote"

# an empty period still makes a valid page, without broken charts
run "$L" --lang zh report --period 2026-03 --format html --out empty.html
expect_status 0 "report of an empty period"
expect_not_contains "$(cat empty.html 2>/dev/null)" "<svg" "an empty period draws no chart"
expect_contains "$(cat empty.html 2>/dev/null)" "期末没有超期记录。" "an empty period says nothing was overdue"

# ---------------------------------------------------------------------------------------
# in a real browser
browser_check() {
  local file="$1" name="$2" min_charts="$3"
  shift 3
  run python3 "$CHECK_HTML" "$file" --screenshot "$ARTIFACT_DIR/$name.png" --pdf "$ARTIFACT_DIR/$name.pdf" \
    --min-charts "$min_charts" --max-pages 8 "$@"
  printf '%s\n' "$out"
  [ -n "$err" ] && printf '%s\n' "$err" >&2
  if [ "$status" = 77 ]; then
    echo "report_html_test: browser not installed, browser checks skipped" >&2
    return 77
  fi
  expect_status 0 "$name: loads in Chromium with no console error, charts drawn, prints on A4"
  if [ -s "$ARTIFACT_DIR/$name.png" ]; then pass "$name.png kept"; else fail "$name.png kept"; fi
  if [ -s "$ARTIFACT_DIR/$name.pdf" ]; then pass "$name.pdf kept"; else fail "$name.pdf kept"; fi
}

skipped=0
# Volume by direction×kind, owner, channel, party type, top parties, Pareto; flow; on-time
# rate by department; overdue; suggestions; the trend's counts and rate.
charts=(--require-chart trend-counts --require-chart trend-rate --require-chart department-rates
  --require-chart pareto-party)
browser_check report.html report 10 "${charts[@]}" || skipped=1
if [ "$skipped" = 0 ]; then
  browser_check report-en.html report-en 10 "${charts[@]}"
  # [report] form_no at the foot of every printed page, with the page's number.
  browser_check review.html report-review 10 "${charts[@]}" --page-footer "表单编号: QR-7.4-01"
  browser_check empty.html report-empty 0
fi

if [ "$skipped" = 1 ] && [ "$_failed" = 0 ]; then
  printf '%s passed, %s failed (browser checks skipped)\n' "$_passed" "$_failed"
  exit 77
fi
finish
