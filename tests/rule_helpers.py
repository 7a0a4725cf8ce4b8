"""Case builders, outcome checks and shared fixtures for the rule tests (tests/test_rules_*.py).

The rule tests were written from the catalogue text alone (/work/shared/domain/rules.md). Every due date
in them was worked out by hand with a printed calendar (the reasoning is in the comments), never with
the code's own calendar.

England and Wales bank holidays used here:
  2025: Thu 25 Dec, Fri 26 Dec.
  2026: Thu 1 Jan, Good Friday 3 Apr, Easter Monday 6 Apr, early May Mon 4 May, spring Mon 25 May,
        summer Mon 31 Aug, Fri 25 Dec, Mon 28 Dec (substitute for Boxing Day, a Saturday).
  2027: Fri 1 Jan.

Working-day sums used again and again ("within N wd of D" = on or before the Nth working day after D):
  * 15 wd after Mon 2026-03-16: 17,18,19,20 (4), 23-27 (9), 30,31,1 Apr,2 Apr (13), [3 Apr Good Friday,
    6 Apr Easter Monday], 7 Apr (14), 8 Apr (15)  -> Wed 2026-04-08 (Mon 6 Apr if holidays were ignored).
  * 20 wd after Mon 2026-03-16: 9,10 (17), 13,14,15 (20)  -> Wed 2026-04-15.
  * 10 wd after Wed 2026-04-22: 23,24 (2), 27-30 (6), 1 May (7), [4 May bank holiday], 5,6,7 (10)
    -> Thu 2026-05-07 (Wed 6 May if the early May bank holiday were ignored).
  * 5 wd after Thu 2026-04-02: [3 Apr, 6 Apr holidays], 7,8,9,10 (4), 13 (5)  -> Mon 2026-04-13.
  * 15 wd after Mon 2025-12-08: 9-12 (4), 15-19 (9), 22,23,24 (12), [25,26 Dec], 29,30,31 (15)
    -> Wed 2025-12-31; the next working day is Fri 2026-01-02 (1 Jan is a holiday).
  * 15 wd after Thu 2026-12-10: 11 (1), 14-18 (6), 21-24 (10), [25 Dec, 28 Dec substitute], 29,30,31 (13),
    [1 Jan 2027], 4 Jan (14), 5 Jan (15)  -> Tue 2027-01-05.
"""

from __future__ import annotations

import datetime as dt

from rules.catalogue import all_rules
from rules.engine import evaluate
from rules.facts import CaseView
from rules.load import load_document
from rules.outcomes import Status

MET, NOT_MET, PENDING = Status.MET, Status.NOT_MET, Status.PENDING
D = dt.date.fromisoformat


# -- case builders and the outcome checks -------------------------------------------------------------


def load(case: dict):
    body = {"case_id": "C1", "legal_outcome": "YOUTH_REHABILITATION_ORDER", **case}
    doc = {"format": "yos-case-export", "version": 1, "service": {"name": "T"}, "cases": [body]}
    _service, cases, rejected, problems = load_document(doc, "t.json")
    assert rejected == 0 and len(cases) == 1, problems
    return cases[0]


def run(code: str, case: dict, as_of: str, **options):
    rule = all_rules()[code]
    return evaluate(rule, CaseView(load(case), D(as_of)), {**rule.options, **options})


def one(code: str, case: dict, as_of: str, **options):
    outcomes = run(code, case, as_of, **options)
    assert len(outcomes) == 1, outcomes
    return outcomes[0]


def not_applicable(code: str, case: dict, as_of: str, **options):
    assert run(code, case, as_of, **options) == []


def met(code, case, as_of, **options):
    o = one(code, case, as_of, **options)
    assert o.status is MET, o
    return o


def late(code, case, as_of, due: str, **options):
    o = one(code, case, as_of, **options)
    assert o.status is NOT_MET, o
    assert "late" in o.message.lower(), o.message
    assert o.due_on == D(due), o
    assert due in o.message, o.message
    return o


def overdue(code, case, as_of, due: str | None = None, **options):
    o = one(code, case, as_of, **options)
    assert o.status is NOT_MET, o
    assert "overdue" in o.message.lower(), o.message
    if due is not None:
        assert o.due_on == D(due), o
        assert due in o.message, o.message
    return o


def pending(code, case, as_of, due: str, **options):
    o = one(code, case, as_of, **options)
    assert o.status is PENDING, o
    assert o.due_on == D(due), o
    return o


def not_met(code, case, as_of, **options):
    o = one(code, case, as_of, **options)
    assert o.status is NOT_MET, o
    return o


def asm(id, kind, completed=None, stage="START", **kw):
    a = {"id": id, "kind": kind, "stage": stage, **kw}
    if completed:
        a["completed_on"] = completed
    return a


def plan(id, kind, created=None, **kw):
    p = {"id": id, "kind": kind, **kw}
    if created:
        p["created_on"] = created
    return p


def contact(date, kind="OFFICE", outcome="ATTENDED"):
    return {"date": date, "kind": kind, "outcome": outcome}


START = "2026-03-16"  # Monday; 15 wd -> 2026-04-08, 20 wd -> 2026-04-15 (Easter in between)
LATER = "2026-06-01"


# == fixtures used by more than one test file ===========================================================
# Each sits under the rule it was written for; another family's tests, or the cross-family tests in
# test_rules_catalogue.py, use it too.

# -- ASM002 --------------------------------------------------------------------------------------------

# Start assessment completed 2025-11-30; + 3 months = 2026-02-28 (short month); + 3 more = 2026-05-28.
A2_START = {"start_date": "2025-11-24"}
A2_FIRST = asm("A1", "CORE", "2025-11-30")


# -- ROH003 / current RoSH level -----------------------------------------------------------------------


def rmp(created="2026-03-27", **kw):
    return plan("RMP1", "RISK_MANAGEMENT_PLAN", created, **kw)


# -- ROH004 --------------------------------------------------------------------------------------------

MED_0422 = asm("S1", "ROSH_SCREENING", "2026-04-22", level="MEDIUM")  # +10 wd -> 7 May


# -- ROH007 --------------------------------------------------------------------------------------------

# start 2025-11-30; + 3 months = 2026-02-28 (short month)
R7 = {"start_date": "2025-11-30"}
R7_S = asm("S1", "ROSH_SCREENING", "2025-12-05", level="LOW")


# -- SAF002 / SAF003 / SAF004 --------------------------------------------------------------------------


def vmp(created="2026-03-27", **kw):
    return plan("VMP1", "VULNERABILITY_MANAGEMENT_PLAN", created, **kw)


# -- SAF005 --------------------------------------------------------------------------------------------

DTO = {"legal_outcome": "DETENTION_AND_TRAINING_ORDER"}


# -- SAF006 --------------------------------------------------------------------------------------------

MED_ROSH = asm("S1", "ROSH_SCREENING", "2026-03-20", level="MEDIUM")


# -- PLN002 --------------------------------------------------------------------------------------------

P2 = {"start_date": "2025-11-24"}
P2_IP = plan("IP1", "INTERVENTION_PLAN", "2025-11-30")  # + 3 months = 2026-02-28


def rev(id, date, reviews, reason="SCHEDULED"):
    return {"id": id, "date": date, "reviews": reviews, "reason": reason}


# -- ENF001 --------------------------------------------------------------------------------------------

E = {"start_date": "2026-03-02"}
ABS_0402 = contact("2026-04-02", outcome="UNACCEPTABLE_ABSENCE")  # + 5 wd -> Mon 2026-04-13
