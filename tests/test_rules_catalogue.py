"""The rule catalogue as a whole (/work/shared/domain/rules.md), read edge by edge like the rules.

Here: the catalogue's Terms, which every rule keeps (nothing after the as-of date exists; a PENDING due
within 5 wd of it gives an info finding), and the tests that read one term across rules of several
families (the screening timescales of ROH001 and SAF001, weekend starts, PENDING before the due date,
"overdue" for a missing plan, the 3-month interval rules). A rule's own tests are beside its family:
tests/test_rules_<family>.py for rules/catalogue/<family>.py. The helpers, and the calendar the due
dates were worked out with by hand, are in rule_helpers.py.
"""

from __future__ import annotations

import pytest
from rule_helpers import (
    A2_FIRST,
    A2_START,
    ABS_0402,
    DTO,
    LATER,
    MED_0422,
    P2,
    P2_IP,
    PENDING,
    R7,
    R7_S,
    START,
    D,
    E,
    asm,
    late,
    load,
    met,
    overdue,
    pending,
    plan,
    rev,
)

from rules.engine import audit

# -- terms ---------------------------------------------------------------------------------------------


def test_nothing_after_the_as_of_date_exists_in_a_full_audit():
    # The start assessment is dated after A: it does not exist yet, so ASM001 is PENDING (due 8 Apr).
    case = load({"start_date": START, "assessments": [asm("A1", "CORE", "2026-04-02")]})
    result = audit([case], D("2026-04-01"))
    asm001 = [o for o in result.outcomes if o.rule == "ASM001"]
    assert [o.status for o in asm001] == [PENDING]
    assert asm001[0].due_on == D("2026-04-08")


def test_pending_due_within_5_wd_gives_an_info_finding():
    # ASM001 due Wed 2026-04-08.  5 wd after Mon 30 Mar: 31 (1), 1 Apr (2), 2 Apr (3), [3, 6 Apr],
    # 7 Apr (4), 8 Apr (5) -> within.  5 wd after Fri 27 Mar: 30, 31, 1, 2, 7 Apr -> 8 Apr is not within.
    case = load({"start_date": START})
    near = [f for f in audit([case], D("2026-03-30")).findings if f.rule == "ASM001"]
    assert len(near) == 1 and near[0].severity == "info" and "2026-04-08" in near[0].message
    far = [f for f in audit([case], D("2026-03-27")).findings if f.rule == "ASM001"]
    assert far == []


# -- ROH001 / SAF001 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code, kind", [("ROH001", "ROSH_SCREENING"), ("SAF001", "VULNERABILITY_SCREENING")])
def test_screening_on_time_easter(code, kind):
    met(code, {"start_date": START, "assessments": [asm("S1", kind, "2026-04-08", level="LOW")]}, LATER)
    late(code, {"start_date": START, "assessments": [asm("S1", kind, "2026-04-09", level="LOW")]}, LATER, "2026-04-08")
    pending(code, {"start_date": START}, "2026-04-08", "2026-04-08")
    overdue(code, {"start_date": START}, "2026-04-09", "2026-04-08")


@pytest.mark.parametrize("code, kind", [("ROH001", "ROSH_SCREENING"), ("SAF001", "VULNERABILITY_SCREENING")])
def test_screening_referral_order_20_wd(code, kind):
    ro = {"legal_outcome": "REFERRAL_ORDER", "start_date": START}
    met(code, {**ro, "assessments": [asm("S1", kind, "2026-04-15", level="LOW")]}, LATER)
    late(code, {**ro, "assessments": [asm("S1", kind, "2026-04-16", level="LOW")]}, LATER, "2026-04-15")


@pytest.mark.parametrize("code, kind", [("ROH001", "ROSH_SCREENING"), ("SAF001", "VULNERABILITY_SCREENING")])
def test_screening_christmas_2026(code, kind):
    s = "2026-12-10"  # due 2027-01-05
    met(code, {"start_date": s, "assessments": [asm("S1", kind, "2027-01-05", level="LOW")]}, "2027-03-01")
    late(code, {"start_date": s, "assessments": [asm("S1", kind, "2027-01-06", level="LOW")]}, "2027-03-01", "2027-01-05")


# -- more edges: weekend starts, PENDING before the due date, REV002 windows over holidays -------------


def test_start_on_easter_saturday():
    # start Sat 2026-04-04. 15 wd: [Mon 6 Apr], 7-10 (4), 13-17 (9), 20-24 (14), 27 Apr (15) -> 2026-04-27.
    # 20 wd: 28, 29, 30 (18), 1 May (19), [4 May], 5 May (20) -> 2026-05-05.
    s = "2026-04-04"
    met("ASM001", {"start_date": s, "assessments": [asm("A1", "CORE", "2026-04-27")]}, LATER)
    late("ASM001", {"start_date": s, "assessments": [asm("A1", "CORE", "2026-04-28")]}, LATER, "2026-04-27")
    ro = {"legal_outcome": "REFERRAL_ORDER", "start_date": s}
    met("PLN001", {**ro, "plans": [plan("ROC1", "REFERRAL_ORDER_CONTRACT", "2026-05-05")]}, LATER)
    late("PLN001", {**ro, "plans": [plan("ROC1", "REFERRAL_ORDER_CONTRACT", "2026-05-06")]}, LATER, "2026-05-05")
    # SAF005: the first working day after Sat 4 Apr is Tue 7 Apr
    met("SAF005", {**DTO, "start_date": s, "custody": {"secure_establishment_informed_on": "2026-04-07"}}, LATER)
    late("SAF005", {**DTO, "start_date": s, "custody": {"secure_establishment_informed_on": "2026-04-08"}}, LATER, "2026-04-07")


def test_pending_before_the_due_date():
    pending("ASM001", {"start_date": START}, "2026-04-07", "2026-04-08")
    pending("ROH004", {"start_date": START, "assessments": [MED_0422]}, "2026-04-23", "2026-05-07")
    pending("ENF001", {**E, "contacts": [ABS_0402]}, "2026-04-02", "2026-04-13")


# "one missing after its due date is NOT_MET ("overdue"). The message says which, with the dates."
def test_roh003_saf002_missing_plan_message_says_overdue():
    # screening HIGH Wed 2026-04-22; the code's own timescale: 10 wd -> 2026-05-07
    overdue("ROH003", {"start_date": START, "assessments": [asm("S1", "ROSH_SCREENING", "2026-04-22", level="HIGH")]},
            LATER, "2026-05-07")
    overdue("SAF002", {"start_date": START, "assessments": [asm("V1", "VULNERABILITY_SCREENING", "2026-04-22", level="HIGH")]},
            LATER, "2026-05-07")


# ASM002/PLN002/ROH007 apply once "the case was open 3 months after" the anchor; on that very day, with a
# review done in between, no gap is longer than 3 months and nothing is due: MET, not PENDING.
def test_interval_rules_met_on_the_three_month_day_when_reviewed():
    met("ASM002", {**A2_START, "assessments": [A2_FIRST, asm("A2", "CORE", "2026-01-15", "REVIEW")]}, "2026-02-28")
    met("PLN002", {**P2, "plans": [P2_IP], "reviews": [rev("R1", "2026-01-15", ["IP1"])]}, "2026-02-28")
    met("ROH007", {**R7, "assessments": [R7_S, asm("S2", "ROSH_SCREENING", "2026-01-15", "REVIEW", level="LOW")]}, "2026-02-28")
