#!/usr/bin/env python3
"""An independent check of `liaison report`: recomputes a month's figures from
`liaison export --with-events` (JSONL) and compares them with `liaison report --format
json`, figure by figure.

Written from the definitions in man/liaison-report.1 (and the working calendar of
liaison.toml(5) for how late an overdue record is), never from the SQL: every figure is
worked out here from each record's history, in plain Python, standard library only.

usage: report_check.py CONFIG EXPORT REPORT --period YYYY-MM --now ISO-TIME [--details N|all]
--details is the option the report was made with (default all): the lists of overdue and
major records hold the first N, the totals all of them.
Exit 0 when every figure of REPORT is the one recomputed, 1 (listing the differences)
otherwise. Not compared, because an export does not hold them: provenance.version,
provenance.last_event_id and provenance.checkpoint (the CLI test compares the latter two
with the database).
"""
import argparse
import datetime as dt
import hashlib
import json
import math
import sys
import tomllib
import zoneinfo


def epoch(iso):
    return None if iso is None else int(dt.datetime.fromisoformat(iso).timestamp())


class Calendar:
    """Working time as liaison.toml(5) defines it: workdays and office hours, the rest and
    makeup days of each holiday notice, and overrides, which win."""

    def __init__(self, config):
        cal = config["calendar"]
        self.zone = zoneinfo.ZoneInfo(config["organization"]["timezone"])
        names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        self.workdays = {names.index(d) for d in cal["workdays"]}
        self.hours = []
        for span in cal["hours"]:
            a, b = span.split("-")
            self.hours.append((self._minutes(a), self._minutes(b)))
        self.special = {}
        for notice in cal.get("notice", []):
            for h in notice.get("holidays", []):
                first, last = (dt.date.fromisoformat(d) for d in h["rest"])
                d = first
                while d <= last:
                    self.special[d] = False
                    d += dt.timedelta(days=1)
                for m in h.get("makeup", []):
                    self.special[dt.date.fromisoformat(m)] = True
        for o in cal.get("override", []):
            self.special[dt.date.fromisoformat(o["date"])] = bool(o["work"])

    @staticmethod
    def _minutes(hhmm):
        h, m = hhmm.split(":")
        return int(h) * 60 + int(m)

    def local(self, t):
        return dt.datetime.fromtimestamp(t, self.zone)

    def at_local(self, day, minutes):
        naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
        return int(naive.replace(tzinfo=self.zone).timestamp())

    def working(self, day):
        return self.special.get(day, day.weekday() in self.workdays)

    def working_seconds(self, a, b):
        if b <= a:
            return 0
        total, day = 0, self.local(a).date()
        while day <= self.local(b).date():
            if self.working(day):
                for start, end in self.hours:
                    lo, hi = max(a, self.at_local(day, start)), min(b, self.at_local(day, end))
                    total += max(0, hi - lo)
            day += dt.timedelta(days=1)
        return total

    def working_days_between(self, a, b):
        """Working days whose local date is after a's and on or before b's."""
        n, day, last = 0, self.local(a).date() + dt.timedelta(days=1), self.local(b).date()
        while day <= last:
            n += self.working(day)
            day += dt.timedelta(days=1)
        return n

    def iso(self, t):
        return None if t is None else self.local(t).isoformat()


def resolve_clock(clocks):
    for c in clocks or []:
        if c.get("clock") == "resolve":
            return c
    return None


class History:
    """One record as its history gives it (liaison-report(1), "Where a record stood at a
    moment" and "Obligation cycles")."""

    def __init__(self, rec):
        self.rec = rec
        self.received = epoch(rec["received_at"])
        self.moments = []   # (order, time, what, data): closings, reopenings, waits, resumes
        self.ack = None     # {"due", "met", "used"}
        self.cycles = []    # resolve cycles: {"begun", "due", "met", "used"}
        self.others = {}    # notification and receipt clocks by name: {"due", "met", "used"}
        events = rec["events"]
        for order, e in enumerate(events):
            at, t, d = epoch(e["at"]), e["type"], e["data"]
            if t in ("filed", "imported"):
                clocks = {c["clock"]: c for c in d.get("clocks", [])}
                if "ack" in clocks:
                    c = clocks["ack"]
                    self.ack = {"due": epoch(c.get("due")), "met": epoch(c.get("stopped_at")),
                                "used": c.get("used_seconds")}
                if "resolve" in clocks:
                    c = clocks["resolve"]
                    self.cycles.append({"begun": self.received, "due": epoch(c.get("due")),
                                        "met": epoch(c.get("stopped_at")), "used": c.get("used_seconds")})
                for name, c in clocks.items():
                    if name.startswith(("notify:", "receipt:", "approval:", "action:")):
                        self.others[name] = {"due": epoch(c.get("due")), "met": epoch(c.get("stopped_at")),
                                             "used": c.get("used_seconds")}
                if t == "imported":
                    # The imported state: a closing at closed_at, a wait since paused_since.
                    if d.get("status") == "closed":
                        self.moments.append((order, epoch(d["closed_at"]), "closed", d.get("outcome")))
                    if d.get("status") == "waiting" and "resolve" in clocks:
                        self.moments.append((order, epoch(clocks["resolve"].get("paused_since")), "waiting", None))
            elif t in ("notified", "signed", "approved", "rejected", "action-done"):
                c = self.others.get(d.get("clock"))
                if c and c["met"] is None:
                    c["met"], c["used"] = at, d.get("used_seconds")
                nxt = d.get("next")
                if nxt and nxt.get("clock") in self.others:  # the next approver's turn
                    self.others[nxt["clock"]]["due"] = epoch(nxt.get("due"))
            elif t in ("approval-requested", "action-added"):
                c = d["clock"]
                self.others[c["clock"]] = {"due": epoch(c.get("due")), "met": None, "used": None}
            elif t == "acknowledged":
                if self.ack and self.ack["met"] is None:
                    self.ack["met"], self.ack["used"] = at, d.get("used_seconds")
            elif t == "closed":
                self.moments.append((order, at, "closed", d.get("outcome")))
                used = d.get("clocks", {})
                if self.ack and self.ack["met"] is None:
                    self.ack["met"], self.ack["used"] = at, used.get("ack", {}).get("used_seconds")
                if self.cycles and self.cycles[-1]["met"] is None:
                    self.cycles[-1]["met"] = at
                    self.cycles[-1]["used"] = used.get("resolve", {}).get("used_seconds")
                for name, c in self.others.items():  # a receipt not signed stays owed
                    if c["met"] is None and name.startswith("notify:"):
                        c["met"], c["used"] = at, used.get(name, {}).get("used_seconds")
            elif t == "reopened":
                self.moments.append((order, at, "reopened", None))
                if d.get("clock"):
                    self.cycles.append({"begun": at, "due": epoch(d["clock"].get("due")), "met": None, "used": None})
            elif t == "waiting":
                self.moments.append((order, at, "waiting", None))
            elif t == "resumed":
                self.moments.append((order, at, "resumed", None))
                if d.get("due") and self.cycles:
                    self.cycles[-1]["due"] = epoch(d["due"])

    def last(self, kinds, t):
        found = [m for m in self.moments if m[2] in kinds and m[1] is not None and m[1] < t]
        return max(found, key=lambda m: m[0]) if found else None

    def closed_at(self, t):
        m = self.last(("closed", "reopened"), t)
        return m is not None and m[2] == "closed"

    def last_closing(self, t):
        m = self.last(("closed",), t)
        return m

    def open_at(self, t):
        return self.received < t and not self.closed_at(t)

    def waiting_since(self, t):
        m = self.last(("waiting", "resumed", "closed"), t)
        return m[1] if m is not None and m[2] == "waiting" else None

    def cycle_at(self, t):
        begun = [c for c in self.cycles if c["begun"] < t]
        return begun[-1] if begun else None

    def suspended(self, cycle, t):
        w = self.waiting_since(t)
        return w is not None and cycle["due"] is not None and w < cycle["due"]


def nearest_rank(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[math.ceil(p * len(values)) - 1]


def by_count(counter):
    return [{"key": k, "count": n} for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def tally(items):
    out = {}
    for k in items:
        out[k] = out.get(k, 0) + 1
    return out


class Report:
    def __init__(self, config, records, parties, calendar):
        self.config, self.records, self.parties, self.cal = config, records, parties, calendar

    def flow(self, f, e):
        closings = sum(1 for h in self.records for m in h.moments if m[2] == "closed" and f <= m[1] < e)
        reopenings = sum(1 for h in self.records for m in h.moments if m[2] == "reopened" and f <= m[1] < e)
        return {"open_at_start": sum(h.open_at(f) for h in self.records),
                "received": sum(f <= h.received < e for h in self.records),
                "closed": closings, "reopened": reopenings,
                "open_at_end": sum(h.open_at(e) for h in self.records)}

    def timeliness(self, f, e):
        rows = {}

        def add(h, clock, counted):
            if counted is None:
                return
            for key in (("all", ""), ("department", h.rec["owner"]), ("kind", h.rec["kind"])):
                rows.setdefault(key, {"ack": [], "resolve": []})[clock].append(counted)

        def count(h, cycle, resolve):
            if cycle is None or cycle["due"] is None:
                return None
            met = cycle["met"] is not None and cycle["met"] < e
            if met and cycle["met"] >= f:
                return (cycle["met"] <= cycle["due"], cycle["used"])
            if not met and f <= cycle["due"] < e and not (resolve and h.suspended(cycle, e)):
                return (False, None)
            return None

        for h in self.records:
            add(h, "ack", count(h, h.ack, False))
            for c in h.cycles:
                add(h, "resolve", count(h, c, True))
        rows.setdefault(("all", ""), {"ack": [], "resolve": []})

        def figures(cs):
            used = [u for _, u in cs if u is not None]
            return {"count": len(cs), "on_time": sum(1 for ok, _ in cs if ok),
                    "median_seconds": nearest_rank(used, 0.5), "p90_seconds": nearest_rank(used, 0.9)}

        order = {"all": 0, "department": 1, "kind": 2}
        return [{"group": g, "key": k, "ack": figures(v["ack"]), "resolve": figures(v["resolve"])}
                for (g, k), v in sorted(rows.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))]

    def obligations(self, f, e):
        """Notifications and receipts met in [f, e), or due in it and not met before e."""
        out = []
        for kind in ("notify", "receipt", "approval", "action"):
            counted = []
            for h in self.records:
                for name, c in h.others.items():
                    # An approval without a deadline counts once decided, on time.
                    if not name.startswith(kind + ":") or (c["due"] is None and kind != "approval"):
                        continue
                    met = c["met"] is not None and c["met"] < e
                    if met and c["met"] >= f:
                        counted.append((c["due"] is None or c["met"] <= c["due"], c["used"], True))
                    elif not met and c["due"] is not None and f <= c["due"] < e:
                        counted.append((False, None, False))
            if counted:
                used = [u for _, u, m in counted if m and u is not None]
                out.append({"type": kind, "count": len(counted), "on_time": sum(1 for ok, _, _ in counted if ok),
                            "met": sum(1 for _, _, m in counted if m),
                            "median_seconds": nearest_rank(used, 0.5), "p90_seconds": nearest_rank(used, 0.9)})
        return out

    def overdue(self, e):
        out = []
        for h in self.records:
            cycle = h.cycle_at(e)
            if not (h.received < e and not h.closed_at(e) and h.waiting_since(e) is None):
                continue
            if cycle is None or cycle["due"] is None or not cycle["due"] < e:
                continue
            r = h.rec
            out.append({"ref": r["ref"], "owner": r["owner"], "assignee": r["assignee"], "kind": r["kind"],
                        "subject": r["subject"], "due": self.cal.iso(cycle["due"]),
                        "late_working_days": self.cal.working_days_between(cycle["due"], e),
                        "late_working_seconds": self.cal.working_seconds(cycle["due"], e), "_due": cycle["due"]})
        out.sort(key=lambda o: (-o["late_working_days"], -o["late_working_seconds"], o["_due"], o["ref"]))
        for o in out:
            del o["_due"]
        return {"total": len(out), "by_owner": by_count(tally(o["owner"] for o in out)), "records": out}

    def compute(self, period, f, t, e, pf, pt, pe, now, details=None):
        cfg = self.config.get("report", {})
        complaint_kinds, suggestion_kinds = cfg.get("complaint_kinds", []), cfg.get("suggestion_kinds", [])
        received = [h for h in self.records if f <= h.received < e]
        recs = [h.rec for h in received]
        cells = tally((r["direction"], r["kind"]) for r in recs)
        topics = tally(r.get("topic", "") for r in recs)
        top = tally(r["party"] for r in recs if r["party"] and r["kind"] in complaint_kinds)
        top_parties = [{"id": p, "name": self.parties[p]["name"], "type": self.parties[p]["party_type"], "complaints": n}
                       for p, n in sorted(top.items(), key=lambda kv: (-kv[1], kv[0]))][:cfg.get("top_parties", 10)]
        volume = {"total": len(recs),
                  "by_direction_kind": [{"direction": d, "kind": k, "count": n}
                                        for (d, k), n in sorted(cells.items(), key=lambda kv: (kv[0][0] != "internal", kv[0][1]))],
                  "by_owner": by_count(tally(r["owner"] for r in recs)),
                  "by_channel": by_count(tally(r["channel"] for r in recs)),
                  # Only when some record has a topic (its current one); "" counts those without.
                  "by_topic": by_count(topics) if any(topics) else [],
                  "by_party_type": by_count(tally(self.parties[r["party"]]["party_type"] if r["party"] else "" for r in recs)),
                  "top_parties": top_parties}
        flow = self.flow(f, e)
        timeliness = self.timeliness(f, e)
        overdue = self.overdue(e)
        suggestions = {"received": 0, "adopted": 0, "rejected": 0, "other_closed": 0, "pending": 0}
        for h in received:
            if h.rec["kind"] not in suggestion_kinds:
                continue
            suggestions["received"] += 1
            if not h.closed_at(e):
                suggestions["pending"] += 1
            else:
                outcome = h.last_closing(e)[3]
                suggestions[outcome if outcome in ("adopted", "rejected") else "other_closed"] += 1
        major = []
        for h in sorted(self.records, key=lambda h: (h.received, h.rec["ref"])):
            r = h.rec
            if r["major"] and h.received < e and not h.closed_at(f):
                closed = h.closed_at(e)
                major.append({"ref": r["ref"], "kind": r["kind"], "owner": r["owner"], "subject": r["subject"],
                              "received_at": self.cal.iso(h.received), "closed_at_end": closed,
                              "closed_at": self.cal.iso(h.last_closing(e)[1]) if closed else None,
                              "escalated_to": r["escalated_to"]})

        def totals(fl, tl, od):
            a = tl[0]
            return {"received": fl["received"], "closed": fl["closed"], "open_at_end": fl["open_at_end"],
                    "overdue_at_end": od["total"], "ack_count": a["ack"]["count"], "ack_on_time": a["ack"]["on_time"],
                    "resolve_count": a["resolve"]["count"], "resolve_on_time": a["resolve"]["on_time"]}

        listed = {"overdue": {"total": overdue["total"], "listed": len(overdue["records"][:details])},
                  "major": {"total": len(major), "listed": len(major[:details])}}
        overdue_listed = dict(overdue, records=overdue["records"][:details])
        iso = self.cal.iso
        return {
            "period": {"label": period, "from": iso(f), "to": iso(t), "end": iso(e),
                       "previous_from": iso(pf), "previous_to": iso(pt)},
            "volume": volume, "flow": flow, "timeliness": timeliness, "obligations": self.obligations(f, e),
            "overdue": overdue_listed,
            "suggestions": suggestions, "major": major[:details], "details": dict(listed, limit=details),
            "change": {"current": totals(flow, timeliness, overdue),
                       "previous": totals(self.flow(pf, pe), self.timeliness(pf, pe), self.overdue(pe))},
            "provenance": {"period": period, "from": iso(f), "to": iso(t), "end": iso(e), "now": iso(now),
                           "timezone": self.config["organization"]["timezone"],
                           "filter": {"departments": [], "kinds": [], "direction": None, "party_types": []}},
        }


def differences(path, want, got):
    """Every figure of `got` (the report) that `want` (the recomputation) does not match."""
    if isinstance(got, dict) and isinstance(want, dict):
        for k in sorted(set(got) | set(want)):
            if k not in want:
                yield f"{path}.{k}: in the report, not recomputed"
            elif k not in got:
                yield f"{path}.{k}: recomputed, missing from the report"
            else:
                yield from differences(f"{path}.{k}", want[k], got[k])
    elif isinstance(got, list) and isinstance(want, list):
        if len(got) != len(want):
            yield f"{path}: {len(got)} items in the report, {len(want)} recomputed: {json.dumps(want, ensure_ascii=False)}"
        for i, (w, g) in enumerate(zip(want, got)):
            yield from differences(f"{path}[{i}]", w, g)
    elif want != got or type(want) is not type(got):
        yield f"{path}: report {json.dumps(got, ensure_ascii=False)}, recomputed {json.dumps(want, ensure_ascii=False)}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config")
    ap.add_argument("export")
    ap.add_argument("report")
    ap.add_argument("--period", required=True, help="YYYY-MM")
    ap.add_argument("--now", required=True, help="ISO 8601 time with offset")
    ap.add_argument("--details", default="all", help="the report's --details: N or all (default)")
    args = ap.parse_args()
    with open(args.config, "rb") as fh:
        raw = fh.read()
    config = tomllib.loads(raw.decode())
    cal = Calendar(config)
    records, parties = [], {}
    with open(args.export, encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            if obj["type"] == "party":
                parties[obj["id"]] = obj
            elif obj["type"] == "record":
                records.append(History(obj))
    # Periods: local midnight of the month's first day to the next's; the previous month.
    year, month = (int(x) for x in args.period.split("-"))
    first = dt.date(year, month, 1)
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    prev = dt.date(year - (month == 1), (month - 2) % 12 + 1, 1)
    f, t, pf = cal.at_local(first, 0), cal.at_local(nxt, 0), cal.at_local(prev, 0)
    now = epoch(args.now)
    end = max(f, min(t, now))
    previous_end = max(pf, min(f, now))
    details = None if args.details == "all" else int(args.details)
    want = Report(config, records, parties, cal).compute(args.period, f, t, end, pf, f, previous_end, now, details)
    want["provenance"]["config_hash"] = hashlib.sha256(raw).hexdigest()
    with open(args.report, encoding="utf-8") as fh:
        got = json.load(fh)
    for skipped in ("version", "last_event_id", "checkpoint"):
        got.get("provenance", {}).pop(skipped, None)
    diffs = list(differences("", want, got))
    for d in diffs:
        print("report_check:", d)
    figures = sum(1 for _ in leaves(got))
    print(f"report_check: {figures} figures compared, {len(diffs)} differ")
    return 1 if diffs else 0


def leaves(x):
    if isinstance(x, dict):
        for v in x.values():
            yield from leaves(v)
    elif isinstance(x, list):
        for v in x:
            yield from leaves(v)
    else:
        yield x


if __name__ == "__main__":
    sys.exit(main())
