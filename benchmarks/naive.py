"""A plain, naive implementation of four rules over dicts: the yardstick the benchmarks measure against.

It is what someone would write in an afternoon without this project: ``json.load`` the export, walk
each case's dicts, compare dates, and write the findings as JSON. No project code is imported; the
bank holidays come from the same maintained ``holidays`` package. It validates nothing (a bad export
gives a KeyError or a wrong answer), keeps no outcome it does not report, and caches nothing.

The rules, as ``shared/domain/rules.md`` states them (default options):

- ASM001 start-assessment-on-time (a deadline from the start, in working days);
- PLN002 plan-reviewed (a duty recurring every 3 calendar months);
- ENF001 warning-issued (per record: each unacceptable absence among the contacts);
- MGT001 rosh-oversight (per record: each RoSH assessment at Medium or above).

A finding is a NOT_MET outcome at the rule's severity, or an ``info`` reminder of a duty falling due
within 5 working days of the as-of date, as the real engine gives. ``tests/test_naive_benchmark.py``
checks that these findings are the real rules' own on the bundled example and a demo caseload (the
messages are worded differently), which keeps the comparison honest.

Run by hand (``bench_speed.py`` times it as a whole process)::

    python benchmarks/naive.py caseload.json --as-of 2026-11-20 -o findings.json
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import sys

import holidays

RULES = ("ASM001", "PLN002", "ENF001", "MGT001")
NAMES = {"ASM001": "start-assessment-on-time", "PLN002": "plan-reviewed", "ENF001": "warning-issued",
         "MGT001": "rosh-oversight"}
DUE_SOON = 5
MAIN_PLANS = ("INTERVENTION_PLAN", "REFERRAL_ORDER_CONTRACT", "SENTENCE_PLAN")
RANK = {"LOW": 0, "MEDIUM": 1, "HIGH": 2, "VERY_HIGH": 3}

_holidays: dict[int, set] = {}


def day(text):
    """A date of the export; ``1900-01-01`` (the CLD's "no date") is none."""
    if text is None or text == "1900-01-01":
        return None
    return dt.date.fromisoformat(text)


def is_working_day(d):
    if d.weekday() >= 5:
        return False
    if d.year not in _holidays:
        _holidays[d.year] = set(holidays.country_holidays("GB", subdiv="ENG", years=d.year))
    return d not in _holidays[d.year]


def add_working_days(d, n):
    while n > 0:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def add_months(d, n):
    m = d.month - 1 + n
    year, month = d.year + m // 12, m % 12 + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def deadline(due, done, closed, as_of):
    """(status, due, done) of a duty due on ``due``, done on ``done`` (or not)."""
    if done is not None:
        return ("met" if done <= due else "not_met"), due, done
    if closed is not None and closed < due:
        return "not_applicable", due, None
    return ("not_met" if due < as_of else "pending"), due, None


def interval(anchor, done_dates, months, end, closed):
    """(status, due, done, next_due) of a duty owed every ``months`` from ``anchor`` until ``end``."""
    first_due = add_months(anchor, months)
    times = sorted(d for d in done_dates if anchor < d <= end)
    if end < first_due or (end == first_due and not times):
        if closed is not None:
            return None
        return "pending", add_months(times[-1] if times else anchor, months), None, None
    late = None
    prev = anchor
    for d in times:
        due = add_months(prev, months)
        if d > due:
            late = (due, d)
        prev = d
    due = add_months(prev, months)
    if end > due:
        return "not_met", due, None, None
    if late is not None:
        return "not_met", late[0], late[1], None
    return "met", None, prev, (None if closed is not None else due)


def audit_case(case, as_of):
    """Outcomes of the four rules on one case: (rule, record, status, due, done, next_due, message)."""
    out = []
    start = day(case["start_date"])
    closed = day(case.get("closed_on"))
    if closed is not None and closed > as_of:
        closed = None
    end = closed or as_of

    completed = []
    for a in case.get("assessments", []):
        done = day(a.get("completed_on"))
        if done is not None and done <= as_of:
            completed.append((done, a))
    completed.sort(key=lambda pair: pair[0])
    psr_from = add_months(start, -3)

    # ASM001: a start assessment within 15 working days of the start (20 for a referral order)
    first = None
    for done, a in completed:
        if a["kind"] == "CORE" and ((a.get("stage") in ("START", "TRANSFER_IN") and done >= start)
                                    or (a.get("stage") == "PSR" and done >= psr_from)):
            first = done
            break
    due = add_working_days(start, 20 if case.get("legal_outcome") == "REFERRAL_ORDER" else 15)
    status, due, done = deadline(due, first, closed, as_of)
    out.append(("ASM001", None, status, due, done, None, f"start assessment due {due}, done {done}"))

    # PLN002: a review listing a main plan at least every 3 months from the first main plan
    plans = []
    for p in case.get("plans", []):
        made = day(p.get("created_on"))
        if p["kind"] in MAIN_PLANS and made is not None and made <= as_of:
            plans.append((made, p))
    plans.sort(key=lambda pair: pair[0])
    if plans:
        ids = {p["id"] for _, p in plans}
        reviewed = []
        for r in case.get("reviews", []):
            when = day(r.get("date"))
            if when is not None and when <= as_of and ids.intersection(r.get("reviews", [])):
                reviewed.append(when)
        result = interval(plans[0][0], reviewed, 3, end, closed)
        if result is not None:
            status, due, done, next_due = result
            out.append(("PLN002", None, status, due, done, next_due, f"plan review due {due or next_due}"))

    # ENF001: each unacceptable absence answered by a warning or breach within 5 working days
    contacts = []
    for x in case.get("contacts", []):
        when = day(x.get("date"))
        if when is not None and when <= as_of:
            contacts.append((when, x))
    contacts.sort(key=lambda pair: pair[0])
    enforcement = []
    for e in case.get("enforcement", []):
        when = day(e.get("date"))
        if when is not None and when <= as_of:
            enforcement.append((when, e))
    enforcement.sort(key=lambda pair: pair[0])
    absences = []
    per_day: dict = {}
    for when, x in contacts:
        per_day[when] = per_day.get(when, 0) + 1
        if x.get("outcome") == "UNACCEPTABLE_ABSENCE":
            n = per_day[when]
            absences.append((when, f"contact {when}" + (f" #{n}" if n > 1 else "")))
    for i, (when, name) in enumerate(absences):
        due = add_working_days(when, 5)
        following = absences[i + 1][0] if i + 1 < len(absences) else None
        answered = None
        for e_when, e in enforcement:
            if e["kind"] not in ("WARNING", "BREACH") or e_when < when:
                continue
            relates = day(e.get("relates_to"))
            if relates == when or (relates is None and (e_when <= due or following is None or e_when < following)):
                answered = e_when
                break
        status, due, done = deadline(due, answered, closed, as_of)
        out.append(("ENF001", name, status, due, done, None, f"warning for the absence of {when} due {due}"))

    # MGT001: each RoSH assessment at Medium or above overseen within 10 working days
    for done_on, a in completed:
        if a["kind"] not in ("ROSH_SCREENING", "ROSH_FULL") or RANK.get(a.get("level"), -1) < RANK["MEDIUM"]:
            continue
        if done_on < start and not (a.get("stage") == "PSR" and done_on >= psr_from):
            continue  # an earlier order's assessment
        dates = []
        for o in case.get("oversight", []):
            when = day(o.get("date"))
            if when is not None and when <= as_of and o.get("subject") == "ROSH" and o.get("target") == a["id"]:
                dates.append(when)
        signed = day(a.get("countersigned_on"))
        if signed is not None and signed <= as_of:
            dates.append(signed)
        status, due, done = deadline(add_working_days(done_on, 10), min(dates) if dates else None, closed, as_of)
        out.append(("MGT001", a["id"], status, due, done, None, f"oversight of {a['id']} due {due}"))
    return out


def findings(document, as_of):
    """The findings of the four rules on an export's cases, as dicts."""
    soon = add_working_days(as_of, DUE_SOON)
    found = []
    for case in document["cases"]:
        if day(case["start_date"]) > as_of:
            continue  # not started: nothing to audit
        for rule, record, status, due, done, next_due, message in audit_case(case, as_of):
            if status == "not_met":
                severity = "error"
            elif status == "pending" and due is not None and as_of <= due <= soon:
                severity = "info"
            elif status == "met" and next_due is not None and as_of <= next_due <= soon:
                severity, due = "info", next_due
            else:
                continue
            found.append({
                "rule": rule, "name": NAMES[rule], "severity": severity, "status": status,
                "case_id": case["case_id"], "record": record, "message": message,
                "due_on": due.isoformat() if due else None, "done_on": done.isoformat() if done else None,
                "case_manager": case.get("case_manager"), "team": case.get("team"),
            })
    found.sort(key=lambda f: (f["case_id"], f["rule"], f["due_on"] or "9999-12-31", f["record"] or ""))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, required=True)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    with open(args.path, encoding="utf-8") as fh:
        document = json.load(fh)
    found = findings(document, args.as_of)
    text = json.dumps({"as_of": args.as_of.isoformat(), "findings": found}, indent=2) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    return 1 if any(f["severity"] == "error" for f in found) else 0


if __name__ == "__main__":
    raise SystemExit(main())
