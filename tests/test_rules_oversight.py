"""The management oversight rules (rules/catalogue/oversight.py: MGT001-MGT003) read against the catalogue.

Due dates were worked out by hand; the calendar, the working-day sums and the helpers are in rule_helpers.py.
"""

from __future__ import annotations

import pytest
from rule_helpers import (
    LATER,
    MET,
    NOT_MET,
    START,
    asm,
    late,
    met,
    not_applicable,
    not_met,
    overdue,
    pending,
    plan,
    rmp,
    run,
    vmp,
)

# -- MGT001 - MGT003 -----------------------------------------------------------------------------------


def ov(date, subject, target=None):
    o = {"date": date, "by": "TM", "subject": subject}
    if target:
        o["target"] = target
    return o


@pytest.mark.parametrize(
    "code, kind, subject, wrong_subject",
    [("MGT001", "ROSH_SCREENING", "ROSH", "PLAN"), ("MGT002", "VULNERABILITY_SCREENING", "VULNERABILITY", "ROSH")],
)
def test_mgt001_mgt002_edges(code, kind, subject, wrong_subject):
    a = asm("S1", kind, "2026-04-22", level="MEDIUM")  # + 10 wd -> 2026-05-07
    base = {"start_date": START, "assessments": [a]}
    met(code, {**base, "oversight": [ov("2026-05-07", subject, "S1")]}, LATER)
    late(code, {**base, "oversight": [ov("2026-05-08", subject, "S1")]}, LATER, "2026-05-07")
    not_met(code, {**base, "oversight": [ov("2026-04-23", wrong_subject, "S1")]}, LATER)
    not_met(code, {**base, "oversight": [ov("2026-04-23", subject)]}, LATER)
    signed = {**a, "countersigned_by": "TM", "countersigned_on": "2026-05-07"}
    met(code, {"start_date": START, "assessments": [signed]}, LATER)
    pending(code, base, "2026-05-07", "2026-05-07")
    overdue(code, base, "2026-05-08", "2026-05-07")


def test_mgt001_one_outcome_per_assessment():
    a = [
        asm("S1", "ROSH_SCREENING", "2026-04-22", level="MEDIUM"),
        asm("F1", "ROSH_FULL", "2026-04-29", level="HIGH"),
        asm("S0", "ROSH_SCREENING", "2026-03-20", level="LOW"),
    ]
    outs = run("MGT001", {"start_date": START, "assessments": a}, LATER)
    assert sorted(o.record for o in outs) == ["F1", "S1"]
    assert all(o.status is NOT_MET for o in outs)
    not_applicable("MGT001", {"start_date": START, "assessments": [a[2]]}, LATER)


def test_mgt003_edges():
    base = {"start_date": START}
    r = rmp("2026-04-22")  # + 10 wd -> 2026-05-07
    met("MGT003", {**base, "plans": [r], "oversight": [ov("2026-05-07", "PLAN", "RMP1")]}, LATER)
    late("MGT003", {**base, "plans": [r], "oversight": [ov("2026-05-08", "PLAN", "RMP1")]}, LATER, "2026-05-07")
    not_met("MGT003", {**base, "plans": [r], "oversight": [ov("2026-04-23", "ROSH", "RMP1")]}, LATER)
    met("MGT003", {**base, "plans": [{**r, "countersigned_by": "TM", "countersigned_on": "2026-05-07"}]}, LATER)
    outs = run("MGT003", {**base, "plans": [r, vmp("2026-04-22")]}, LATER)
    assert sorted(o.record for o in outs) == ["RMP1", "VMP1"]
    not_applicable("MGT003", {**base, "plans": [plan("IP1", "INTERVENTION_PLAN", "2026-04-22")]}, LATER)


# Choices the lead made after the second reading (each documented in the rule's Choices section).

def test_mgt001_judges_only_this_orders_assessments():
    old = asm("S0", "ROSH_SCREENING", "2025-06-02", level="HIGH")
    new = asm("S1", "ROSH_SCREENING", "2026-03-20", level="HIGH", countersigned_on="2026-03-25")
    outcomes = run("MGT001", {"start_date": START, "assessments": [old, new]}, LATER)
    assert [(o.record, o.status) for o in outcomes] == [("S1", MET)]
