#!/usr/bin/env python3
"""Checks that tests/bench/report_figures.sql gives the figures liaison's report gives.

usage: report_figures_check.py FIGURES JSON
  FIGURES  the sqlite3 shell's output of report_figures.sql ("section|key|value…" lines)
  JSON     `liaison report --period P --format json --details 0` of the same period

Prints each difference and exits 1 if there is any (or if the database held imported
records, which the SQL does not handle); prints how many figures agree otherwise.
"""
import json
import sys
from collections import defaultdict


def main() -> int:
    figures_path, json_path = sys.argv[1:3]
    sql: dict = {}
    with open(figures_path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("|")
            if len(parts) < 3 or line.startswith("Run Time"):
                continue
            section, key, values = parts[0], parts[1], parts[2:]
            sql[(section, key)] = [int(v) if v not in ("", None) else None for v in values]
    if sql.get(("imported", ""), [0])[0]:
        print("report_figures_check: the database holds imported records; the SQL does not handle them")
        return 1
    with open(json_path, encoding="utf-8") as f:
        report = json.load(f)

    want: dict = {}  # the same keys, from liaison's JSON
    v = report["volume"]
    want[("volume", "total")] = [v["total"]]
    for c in v["by_owner"]:
        want[("volume.owner", c["key"])] = [c["count"]]
    for c in v["by_channel"]:
        want[("volume.channel", c["key"])] = [c["count"]]
    for c in v["by_direction_kind"]:
        want[("volume.kind", f'{c["direction"]}/{c["kind"]}')] = [c["count"]]
    for k in ("open_at_start", "open_at_end", "received", "closed", "reopened"):
        want[("flow", k)] = [report["flow"][k]]
    previous = report["change"]["previous"]
    want[("previous", "received")] = [previous["received"]]
    want[("previous", "closed")] = [previous["closed"]]
    for c in report["overdue"]["by_owner"]:
        want[("overdue", c["key"])] = [c["count"]]
    for row in report["timeliness"]:
        for clock in ("ack", "resolve"):
            t = row[clock]
            if t["count"] == 0:
                continue  # the SQL has no row for an empty group
            key = clock if row["group"] == "all" else f'{row["key"]}/{clock}'
            want[(f'timeliness.{row["group"]}', key)] = [t["count"], t["on_time"]]
            if row["group"] == "all":
                want[("timeliness.median", clock)] = [t["median_seconds"]]
                want[("timeliness.p90", clock)] = [t["p90_seconds"]]
    for clock in ("ack", "resolve"):
        if previous[f"{clock}_count"]:
            want[("previous.timeliness", clock)] = [previous[f"{clock}_count"], previous[f"{clock}_on_time"]]
    s = report["suggestions"]
    want[("suggestions", "received")] = [s["received"], s["adopted"], s["rejected"], s["other_closed"], s["pending"]]
    want[("major", "total")] = [report["details"]["major"]["total"]]

    # The previous period's overdue count is a total in the JSON, per department in the SQL.
    previous_overdue = defaultdict(int)
    for (section, key), values in list(sql.items()):
        if section == "previous.overdue":
            previous_overdue["total"] += values[0]
            del sql[(section, key)]
    sql[("previous.overdue", "total")] = [previous_overdue["total"]]
    want[("previous.overdue", "total")] = [previous["overdue_at_end"]]
    del sql[("imported", "")]

    differ = 0
    for key in sorted(set(sql) | set(want)):
        if sql.get(key) != want.get(key):
            differ += 1
            print(f"  differs: {'|'.join(key)}: sql {sql.get(key)} liaison {want.get(key)}")
    if differ:
        print(f"report_figures_check: {differ} of {len(want)} figures differ")
        return 1
    print(f"report_figures_check: all {len(want)} figures agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
