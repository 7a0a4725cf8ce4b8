"""The 37 rules read against the rule catalogue (/work/shared/domain/rules.md), edge by edge.

Written from the catalogue text alone. Every due date below was worked out by hand with a printed
calendar (the reasoning is in the comments), never with the code's own calendar.

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

import pytest

from rules.catalogue import all_rules
from rules.engine import audit, evaluate
from rules.facts import CaseView
from rules.load import load_document
from rules.outcomes import Status

MET, NOT_MET, PENDING = Status.MET, Status.NOT_MET, Status.PENDING
D = dt.date.fromisoformat


# -- helpers -------------------------------------------------------------------------------------------


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


# -- ASM001 --------------------------------------------------------------------------------------------


def test_asm001_on_the_due_date_after_easter_is_on_time():
    met("ASM001", {"start_date": START, "assessments": [asm("A1", "CORE", "2026-04-08")]}, LATER)


def test_asm001_the_working_day_after_is_late():
    late("ASM001", {"start_date": START, "assessments": [asm("A1", "CORE", "2026-04-09")]}, LATER, "2026-04-08")


def test_asm001_pending_on_the_due_date_overdue_the_day_after():
    pending("ASM001", {"start_date": START}, "2026-04-08", "2026-04-08")
    overdue("ASM001", {"start_date": START}, "2026-04-09", "2026-04-08")


def test_asm001_referral_order_has_20_wd():
    ro = {"legal_outcome": "REFERRAL_ORDER", "start_date": START}
    met("ASM001", {**ro, "assessments": [asm("A1", "CORE", "2026-04-15")]}, LATER)
    late("ASM001", {**ro, "assessments": [asm("A1", "CORE", "2026-04-16")]}, LATER, "2026-04-15")


def test_asm001_transfer_in_stage_counts():
    met("ASM001", {"start_date": START, "assessments": [asm("A1", "CORE", "2026-04-08", "TRANSFER_IN")]}, LATER)


def test_asm001_start_stage_before_start_is_not_a_start_assessment():
    overdue("ASM001", {"start_date": START, "assessments": [asm("A1", "CORE", "2026-03-13")]}, LATER, "2026-04-08")


def test_asm001_psr_no_more_than_3_months_before_start():
    # 16 Mar 2026 - 3 months = 16 Dec 2025.
    met("ASM001", {"start_date": START, "assessments": [asm("A1", "CORE", "2025-12-16", "PSR")]}, LATER)
    overdue("ASM001", {"start_date": START, "assessments": [asm("A1", "CORE", "2025-12-15", "PSR")]}, LATER)


def test_asm001_christmas_2025():
    s = "2025-12-08"  # 15 wd -> Wed 2025-12-31 (25, 26 Dec are holidays)
    met("ASM001", {"start_date": s, "assessments": [asm("A1", "CORE", "2025-12-31")]}, LATER)
    late("ASM001", {"start_date": s, "assessments": [asm("A1", "CORE", "2026-01-02")]}, LATER, "2025-12-31")


def test_asm001_christmas_2026_substitute_day():
    s = "2026-12-10"  # 15 wd -> Tue 2027-01-05 (25 Dec, 28 Dec substitute, 1 Jan are holidays)
    pending("ASM001", {"start_date": s}, "2027-01-05", "2027-01-05")
    overdue("ASM001", {"start_date": s}, "2027-01-06", "2027-01-05")


# -- ASM002 --------------------------------------------------------------------------------------------

# Start assessment completed 2025-11-30; + 3 months = 2026-02-28 (short month); + 3 more = 2026-05-28.
A2_START = {"start_date": "2025-11-24"}
A2_FIRST = asm("A1", "CORE", "2025-11-30")


def test_asm002_review_on_the_short_month_end_is_on_time():
    met("ASM002", {**A2_START, "assessments": [A2_FIRST, asm("A2", "CORE", "2026-02-28", "REVIEW")]}, "2026-04-15")


def test_asm002_review_a_day_after_three_months_is_late():
    late(
        "ASM002", {**A2_START, "assessments": [A2_FIRST, asm("A2", "CORE", "2026-03-01", "REVIEW")]}, "2026-04-15", "2026-02-28"
    )


def test_asm002_pending_on_the_due_date_then_overdue():
    pending("ASM002", {**A2_START, "assessments": [A2_FIRST]}, "2026-02-28", "2026-02-28")
    overdue("ASM002", {**A2_START, "assessments": [A2_FIRST]}, "2026-03-01", "2026-02-28")


def test_asm002_a_review_after_the_as_of_date_does_not_exist():
    case = {**A2_START, "assessments": [A2_FIRST, asm("A2", "CORE", "2026-03-10", "REVIEW")]}
    overdue("ASM002", case, "2026-03-05", "2026-02-28")


def test_asm002_second_gap():
    two = [A2_FIRST, asm("A2", "CORE", "2026-02-28", "REVIEW")]
    met("ASM002", {**A2_START, "assessments": [*two, asm("A3", "CORE", "2026-05-28", "REVIEW")]}, "2026-06-15")
    late("ASM002", {**A2_START, "assessments": [*two, asm("A3", "CORE", "2026-05-29", "REVIEW")]}, "2026-06-15", "2026-05-28")


def test_asm002_gap_to_the_close():
    two = [A2_FIRST, asm("A2", "CORE", "2026-02-28", "REVIEW")]
    met("ASM002", {**A2_START, "closed_on": "2026-05-28", "assessments": two}, "2026-07-01")
    not_met("ASM002", {**A2_START, "closed_on": "2026-05-29", "assessments": two}, "2026-07-01")


def test_asm002_not_applicable_when_closed_within_3_months():
    not_applicable("ASM002", {**A2_START, "closed_on": "2026-02-15", "assessments": [A2_FIRST]}, LATER)


def test_asm002_not_applicable_without_a_start_assessment():
    not_applicable("ASM002", {**A2_START}, LATER)


# -- ASM003 / ASM004 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code, flag", [("ASM003", "self_assessment_used"), ("ASM004", "learning_style_assessed")])
def test_asm003_asm004_first_start_assessment(code, flag):
    met(code, {"start_date": START, "assessments": [asm("A1", "CORE", "2026-03-20", **{flag: True})]}, LATER)
    not_met(code, {"start_date": START, "assessments": [asm("A1", "CORE", "2026-03-20")]}, LATER)
    not_met(code, {"start_date": START, "assessments": [asm("A1", "CORE", "2026-03-20", **{flag: False})]}, LATER)
    # the first start assessment is the PSR one (within 3 months before the start)
    both = [asm("A0", "CORE", "2026-02-01", "PSR", **{flag: False}), asm("A1", "CORE", "2026-03-20", **{flag: True})]
    not_met(code, {"start_date": START, "assessments": both}, LATER)
    # the later one does not rescue a first one without the flag
    both = [asm("A1", "CORE", "2026-03-20"), asm("A2", "CORE", "2026-03-25", **{flag: True})]
    not_met(code, {"start_date": START, "assessments": both}, LATER)


@pytest.mark.parametrize("code", ["ASM003", "ASM004"])
def test_asm003_asm004_not_applicable(code):
    not_applicable(code, {"start_date": START}, LATER)
    # a start assessment dated after A does not exist
    not_applicable(code, {"start_date": START, "assessments": [asm("A1", "CORE", "2026-03-20")]}, "2026-03-19")
    # a REVIEW CORE assessment is not a start assessment
    not_applicable(code, {"start_date": START, "assessments": [asm("A1", "CORE", "2026-03-20", "REVIEW")]}, LATER)


# -- ASM005 --------------------------------------------------------------------------------------------

T_IN = {"start_date": "2026-01-05", "transferred_in_on": START}  # 15 wd after 16 Mar -> 8 Apr


def test_asm005_edges():
    met("ASM005", {**T_IN, "assessments": [asm("A1", "CORE", "2026-04-08", "REVIEW")]}, LATER)
    met("ASM005", {**T_IN, "assessments": [asm("A1", "CORE", START, "TRANSFER_IN")]}, LATER)
    late("ASM005", {**T_IN, "assessments": [asm("A1", "CORE", "2026-04-09", "TRANSFER_IN")]}, LATER, "2026-04-08")
    pending("ASM005", {**T_IN}, "2026-04-08", "2026-04-08")
    overdue("ASM005", {**T_IN}, "2026-04-09", "2026-04-08")


def test_asm005_only_core_on_or_after_the_transfer():
    overdue("ASM005", {**T_IN, "assessments": [asm("A1", "CORE", "2026-03-13")]}, LATER, "2026-04-08")
    overdue("ASM005", {**T_IN, "assessments": [asm("A1", "ROSH_SCREENING", "2026-03-20")]}, LATER, "2026-04-08")


def test_asm005_not_applicable_without_transfer():
    not_applicable("ASM005", {"start_date": START}, LATER)


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


def test_roh001_full_analysis_is_not_a_screening():
    overdue("ROH001", {"start_date": START, "assessments": [asm("F1", "ROSH_FULL", "2026-03-20", level="LOW")]}, LATER)


# -- ROH002 --------------------------------------------------------------------------------------------

SCR_FULL = asm("S1", "ROSH_SCREENING", "2026-04-22", level="MEDIUM", full_analysis_required=True)  # +10 wd -> 7 May


def test_roh002_early_may_bank_holiday():
    base = {"start_date": START}
    met("ROH002", {**base, "assessments": [SCR_FULL, asm("F1", "ROSH_FULL", "2026-05-07", level="MEDIUM")]}, LATER)
    late("ROH002", {**base, "assessments": [SCR_FULL, asm("F1", "ROSH_FULL", "2026-05-08", level="MEDIUM")]}, LATER, "2026-05-07")
    pending("ROH002", {**base, "assessments": [SCR_FULL]}, "2026-05-07", "2026-05-07")
    overdue("ROH002", {**base, "assessments": [SCR_FULL]}, "2026-05-08", "2026-05-07")


def test_roh002_full_before_the_screening_does_not_count():
    case = {"start_date": START, "assessments": [asm("F1", "ROSH_FULL", "2026-04-20", level="MEDIUM"), SCR_FULL]}
    overdue("ROH002", case, LATER, "2026-05-07")


def test_roh002_anchored_on_the_first_such_screening():
    second = asm("S2", "ROSH_SCREENING", "2026-05-20", "REVIEW", level="MEDIUM", full_analysis_required=True)
    case = {"start_date": START, "assessments": [SCR_FULL, second, asm("F1", "ROSH_FULL", "2026-05-21", level="MEDIUM")]}
    late("ROH002", case, LATER, "2026-05-07")


def test_roh002_not_applicable():
    not_applicable("ROH002", {"start_date": START, "assessments": [asm("S1", "ROSH_SCREENING", "2026-04-22", level="LOW")]}, LATER)
    uncompleted = asm("S1", "ROSH_SCREENING", None, full_analysis_required=True)
    not_applicable("ROH002", {"start_date": START, "assessments": [uncompleted]}, LATER)
    # the screening dated after A does not exist
    not_applicable("ROH002", {"start_date": START, "assessments": [SCR_FULL]}, "2026-04-21")


# -- ROH003 / current RoSH level -----------------------------------------------------------------------


def rmp(created="2026-03-27", **kw):
    return plan("RMP1", "RISK_MANAGEMENT_PLAN", created, **kw)


def test_roh003_met_with_an_rmp():
    met("ROH003", {"start_date": START, "assessments": [asm("S1", "ROSH_SCREENING", "2026-03-20", level="HIGH")], "plans": [rmp()]}, LATER)


def test_roh003_full_analysis_beats_a_screening():
    # screening HIGH, then full LOW: current level LOW
    a = [asm("S1", "ROSH_SCREENING", "2026-03-20", level="HIGH"), asm("F1", "ROSH_FULL", "2026-03-27", level="LOW")]
    not_applicable("ROH003", {"start_date": START, "assessments": a}, LATER)
    # full MEDIUM, then a later screening LOW: the full still decides (MEDIUM)
    a = [asm("F1", "ROSH_FULL", "2026-03-27", level="MEDIUM"), asm("S1", "ROSH_SCREENING", "2026-04-10", "REVIEW", level="LOW")]
    not_met("ROH003", {"start_date": START, "assessments": a}, LATER)
    # the latest full decides
    a = [asm("F1", "ROSH_FULL", "2026-03-27", level="MEDIUM"), asm("F2", "ROSH_FULL", "2026-04-10", "REVIEW", level="LOW")]
    not_applicable("ROH003", {"start_date": START, "assessments": a}, LATER)


def test_roh003_level_after_as_of_or_uncompleted_does_not_count():
    a = [asm("S1", "ROSH_SCREENING", "2026-03-20", level="LOW"), asm("F1", "ROSH_FULL", "2026-06-10", level="HIGH")]
    not_applicable("ROH003", {"start_date": START, "assessments": a}, LATER)
    a = [asm("S1", "ROSH_SCREENING", "2026-03-20", level="LOW"), asm("F1", "ROSH_FULL", None, level="HIGH")]
    not_applicable("ROH003", {"start_date": START, "assessments": a}, LATER)


def test_roh003_draft_or_future_rmp_does_not_count():
    a = [asm("S1", "ROSH_SCREENING", "2026-03-20", level="HIGH")]
    not_met("ROH003", {"start_date": START, "assessments": a, "plans": [rmp(None)]}, LATER)
    not_met("ROH003", {"start_date": START, "assessments": a, "plans": [rmp("2026-06-10")]}, LATER)


def test_roh003_threshold_option():
    a = [asm("S1", "ROSH_SCREENING", "2026-03-20", level="MEDIUM")]
    not_applicable("ROH003", {"start_date": START, "assessments": a}, LATER, threshold="HIGH")
    not_met("ROH003", {"start_date": START, "assessments": a}, LATER)


# -- ROH004 --------------------------------------------------------------------------------------------

MED_0422 = asm("S1", "ROSH_SCREENING", "2026-04-22", level="MEDIUM")  # +10 wd -> 7 May


def test_roh004_edges():
    base = {"start_date": START, "assessments": [MED_0422]}
    met("ROH004", {**base, "plans": [rmp("2026-05-07")]}, LATER)
    late("ROH004", {**base, "plans": [rmp("2026-05-08")]}, LATER, "2026-05-07")
    pending("ROH004", base, "2026-05-07", "2026-05-07")
    overdue("ROH004", base, "2026-05-08", "2026-05-07")


def test_roh004_first_assessment_at_medium_plus():
    a = [asm("S0", "ROSH_SCREENING", "2026-03-20", level="LOW"), asm("F1", "ROSH_FULL", "2026-04-22", level="MEDIUM")]
    met("ROH004", {"start_date": START, "assessments": a, "plans": [rmp("2026-05-07")]}, LATER)


def test_roh004_not_applicable_when_current_level_low():
    a = [asm("S1", "ROSH_SCREENING", "2026-03-20", level="HIGH"), asm("F1", "ROSH_FULL", "2026-03-27", level="LOW")]
    not_applicable("ROH004", {"start_date": START, "assessments": a}, LATER)


# -- ROH005 / ROH006 -----------------------------------------------------------------------------------

VICTIM = {"id": "V1", "identified_on": "2026-03-17"}


def test_roh005():
    met("ROH005", {"start_date": START, "plans": [rmp(addresses=["VICTIM_SAFETY"])], "victims": [VICTIM]}, LATER)
    not_met("ROH005", {"start_date": START, "plans": [rmp(addresses=["RISK_OF_HARM"])], "victims": [VICTIM]}, LATER)
    not_applicable("ROH005", {"start_date": START, "plans": [rmp()]}, LATER)
    not_applicable("ROH005", {"start_date": START, "victims": [VICTIM]}, LATER)
    not_applicable("ROH005", {"start_date": START, "plans": [rmp("2026-06-10")], "victims": [VICTIM]}, LATER)


def test_roh006():
    ip = plan("IP1", "INTERVENTION_PLAN", "2026-04-01", incorporates=["RMP1"])
    met("ROH006", {"start_date": START, "plans": [rmp(), ip]}, LATER)
    roc = plan("ROC1", "REFERRAL_ORDER_CONTRACT", "2026-04-01", incorporates=["RMP1"])
    met("ROH006", {"legal_outcome": "REFERRAL_ORDER", "start_date": START, "plans": [rmp(), roc]}, LATER)
    not_met("ROH006", {"start_date": START, "plans": [rmp(), plan("IP1", "INTERVENTION_PLAN", "2026-04-01")]}, LATER)
    vmp = plan("VMP1", "VULNERABILITY_MANAGEMENT_PLAN", "2026-04-01", incorporates=["RMP1"])
    not_met("ROH006", {"start_date": START, "plans": [rmp(), vmp]}, LATER)
    # a main plan dated after A does not exist yet
    future = plan("IP1", "INTERVENTION_PLAN", "2026-06-10", incorporates=["RMP1"])
    not_met("ROH006", {"start_date": START, "plans": [rmp(), future]}, LATER)
    not_applicable("ROH006", {"start_date": START, "plans": [plan("IP1", "INTERVENTION_PLAN", "2026-04-01")]}, LATER)


# -- ROH007 --------------------------------------------------------------------------------------------

# start 2025-11-30; + 3 months = 2026-02-28 (short month)
R7 = {"start_date": "2025-11-30"}
R7_S = asm("S1", "ROSH_SCREENING", "2025-12-05", level="LOW")


def test_roh007_review_on_the_short_month_end():
    met("ROH007", {**R7, "assessments": [R7_S, asm("S2", "ROSH_SCREENING", "2026-02-28", "REVIEW", level="LOW")]}, "2026-04-15")
    met("ROH007", {**R7, "assessments": [R7_S, asm("F2", "ROSH_FULL", "2026-02-28", "REVIEW", level="LOW")]}, "2026-04-15")
    late(
        "ROH007",
        {**R7, "assessments": [R7_S, asm("S2", "ROSH_SCREENING", "2026-03-01", "REVIEW", level="LOW")]},
        "2026-04-15",
        "2026-02-28",
    )


def test_roh007_a_review_record_listing_rosh_or_rmp():
    met("ROH007", {**R7, "assessments": [R7_S], "reviews": [{"id": "R1", "date": "2026-02-20", "reviews": ["S1"]}]}, "2026-04-15")
    met(
        "ROH007",
        {**R7, "assessments": [R7_S], "plans": [rmp("2025-12-10")], "reviews": [{"id": "R1", "date": "2026-02-20", "reviews": ["RMP1"]}]},
        "2026-04-15",
    )
    core = asm("C1", "CORE", "2025-12-05")
    overdue(
        "ROH007", {**R7, "assessments": [R7_S, core], "reviews": [{"id": "R1", "date": "2026-02-20", "reviews": ["C1"]}]}, "2026-04-15", "2026-02-28"
    )


def test_roh007_later_gap():
    case = {**R7, "assessments": [R7_S], "reviews": [{"id": "R1", "date": "2026-02-20", "reviews": ["S1"]}]}
    # next due 2026-05-20
    assert one("ROH007", case, "2026-05-20").status is not NOT_MET
    not_met("ROH007", case, "2026-05-21")


def test_roh007_pending_then_overdue_for_the_first():
    pending("ROH007", {**R7, "assessments": [R7_S]}, "2026-02-28", "2026-02-28")
    overdue("ROH007", {**R7, "assessments": [R7_S]}, "2026-03-01", "2026-02-28")


def test_roh007_not_applicable():
    not_applicable("ROH007", {**R7}, "2026-04-15")
    not_applicable("ROH007", {**R7, "closed_on": "2026-02-15", "assessments": [R7_S]}, "2026-04-15")


# -- ROH008 / ROH009 -----------------------------------------------------------------------------------


def test_roh008():
    met("ROH008", {"start_date": START, "mappa": {"eligible": True, "notified_on": "2026-03-20"}}, LATER)
    not_met("ROH008", {"start_date": START, "mappa": {"eligible": True}}, LATER)
    not_met("ROH008", {"start_date": START, "mappa": {"eligible": True, "notified_on": "2026-06-10"}}, LATER)
    not_applicable("ROH008", {"start_date": START, "mappa": {"eligible": False}}, LATER)
    not_applicable("ROH008", {"start_date": START}, LATER)


def test_roh009_latest_full():
    f1 = asm("F1", "ROSH_FULL", "2026-03-27", level="MEDIUM", victims_considered=True)
    f2 = asm("F2", "ROSH_FULL", "2026-04-22", "REVIEW", level="MEDIUM", victims_considered=False)
    not_met("ROH009", {"start_date": START, "assessments": [f1, f2], "victims": [VICTIM]}, LATER)
    met("ROH009", {"start_date": START, "assessments": [f1, f2], "victims": [VICTIM]}, "2026-04-21")
    not_applicable("ROH009", {"start_date": START, "assessments": [f1]}, LATER)
    not_applicable(
        "ROH009", {"start_date": START, "assessments": [asm("S1", "ROSH_SCREENING", "2026-03-20", level="HIGH")], "victims": [VICTIM]}, LATER
    )


# -- SAF002 / SAF003 / SAF004 --------------------------------------------------------------------------


def vmp(created="2026-03-27", **kw):
    return plan("VMP1", "VULNERABILITY_MANAGEMENT_PLAN", created, **kw)


def test_saf002_current_vulnerability_level():
    hi = asm("V1", "VULNERABILITY_SCREENING", "2026-03-20", level="HIGH")
    met("SAF002", {"start_date": START, "assessments": [hi], "plans": [vmp()]}, LATER)
    not_met("SAF002", {"start_date": START, "assessments": [hi]}, LATER)
    not_met("SAF002", {"start_date": START, "assessments": [hi], "plans": [vmp("2026-06-10")]}, LATER)
    low_full = asm("V2", "VULNERABILITY_FULL", "2026-03-27", level="LOW")
    not_applicable("SAF002", {"start_date": START, "assessments": [hi, low_full]}, LATER)
    med_full = asm("V2", "VULNERABILITY_FULL", "2026-03-27", level="MEDIUM")
    later_low_scr = asm("V3", "VULNERABILITY_SCREENING", "2026-04-10", "REVIEW", level="LOW")
    not_met("SAF002", {"start_date": START, "assessments": [med_full, later_low_scr]}, LATER)
    # a RoSH level says nothing about vulnerability
    not_applicable("SAF002", {"start_date": START, "assessments": [asm("S1", "ROSH_SCREENING", "2026-03-20", level="HIGH")]}, LATER)


def test_saf003_edges():
    base = {"start_date": START, "assessments": [asm("V1", "VULNERABILITY_SCREENING", "2026-04-22", level="MEDIUM")]}
    met("SAF003", {**base, "plans": [vmp("2026-05-07")]}, LATER)
    late("SAF003", {**base, "plans": [vmp("2026-05-08")]}, LATER, "2026-05-07")
    pending("SAF003", base, "2026-05-07", "2026-05-07")
    overdue("SAF003", base, "2026-05-08", "2026-05-07")


def test_saf004():
    met("SAF004", {"start_date": START, "plans": [vmp(), plan("SP1", "SENTENCE_PLAN", "2026-04-01", incorporates=["VMP1"])]}, LATER)
    not_met("SAF004", {"start_date": START, "plans": [vmp(), plan("IP1", "INTERVENTION_PLAN", "2026-04-01", incorporates=["RMP1"])]}, LATER)
    not_met("SAF004", {"start_date": START, "plans": [vmp(), rmp(incorporates=["VMP1"])]}, LATER)
    not_applicable("SAF004", {"start_date": START, "plans": [rmp()]}, LATER)


# -- SAF005 --------------------------------------------------------------------------------------------

DTO = {"legal_outcome": "DETENTION_AND_TRAINING_ORDER"}


def test_saf005_easter():
    # start Thu 2026-04-02; first working day after: [Fri 3 Apr, Mon 6 Apr holidays] -> Tue 2026-04-07
    base = {**DTO, "start_date": "2026-04-02"}
    met("SAF005", {**base, "custody": {"secure_establishment_informed_on": "2026-04-07"}}, LATER)
    late("SAF005", {**base, "custody": {"secure_establishment_informed_on": "2026-04-08"}}, LATER, "2026-04-07")
    pending("SAF005", base, "2026-04-07", "2026-04-07")
    overdue("SAF005", base, "2026-04-08", "2026-04-07")


def test_saf005_christmas_2026_substitute_day():
    # start Thu 2026-12-24: [25 Dec, 26-27 weekend, 28 Dec substitute] -> Tue 2026-12-29
    base = {**DTO, "start_date": "2026-12-24"}
    met("SAF005", {**base, "custody": {"secure_establishment_informed_on": "2026-12-29"}}, "2027-02-01")
    late("SAF005", {**base, "custody": {"secure_establishment_informed_on": "2026-12-30"}}, "2027-02-01", "2026-12-29")


def test_saf005_informed_before_start_is_on_or_before():
    met("SAF005", {**DTO, "start_date": "2026-04-02", "custody": {"secure_establishment_informed_on": "2026-04-01"}}, LATER)


def test_saf005_not_applicable_outside_custody():
    not_applicable("SAF005", {"start_date": "2026-04-02"}, LATER)


# -- SAF006 --------------------------------------------------------------------------------------------

MED_ROSH = asm("S1", "ROSH_SCREENING", "2026-03-20", level="MEDIUM")


def test_saf006_20_wd_over_easter():
    base = {"start_date": START, "assessments": [MED_ROSH]}  # 20 wd -> 2026-04-15
    met("SAF006", {**base, "contacts": [contact("2026-04-15", "HOME_VISIT")]}, LATER)
    late("SAF006", {**base, "contacts": [contact("2026-04-16", "HOME_VISIT")]}, LATER, "2026-04-15")
    overdue("SAF006", {**base, "contacts": [contact("2026-04-01", "OFFICE")]}, LATER, "2026-04-15")
    pending("SAF006", base, "2026-04-15", "2026-04-15")


def test_saf006_referral_order_also_20_wd():
    base = {"legal_outcome": "REFERRAL_ORDER", "start_date": START, "assessments": [MED_ROSH]}
    met("SAF006", {**base, "contacts": [contact("2026-04-15", "HOME_VISIT")]}, LATER)


def test_saf006_vulnerability_alone_applies_low_does_not():
    v = asm("V1", "VULNERABILITY_SCREENING", "2026-03-20", level="MEDIUM")
    overdue("SAF006", {"start_date": START, "assessments": [v]}, LATER, "2026-04-15")
    low = [asm("S1", "ROSH_SCREENING", "2026-03-20", level="LOW"), asm("V1", "VULNERABILITY_SCREENING", "2026-03-20", level="LOW")]
    not_applicable("SAF006", {"start_date": START, "assessments": low}, LATER)


# -- PLN001 --------------------------------------------------------------------------------------------


def test_pln001_edges():
    met("PLN001", {"start_date": START, "plans": [plan("IP1", "INTERVENTION_PLAN", "2026-04-08")]}, LATER)
    late("PLN001", {"start_date": START, "plans": [plan("IP1", "INTERVENTION_PLAN", "2026-04-09")]}, LATER, "2026-04-08")
    pending("PLN001", {"start_date": START}, "2026-04-08", "2026-04-08")
    overdue("PLN001", {"start_date": START}, "2026-04-09", "2026-04-08")


def test_pln001_referral_order_contract_20_wd():
    ro = {"legal_outcome": "REFERRAL_ORDER", "start_date": START}
    met("PLN001", {**ro, "plans": [plan("ROC1", "REFERRAL_ORDER_CONTRACT", "2026-04-15")]}, LATER)
    late("PLN001", {**ro, "plans": [plan("ROC1", "REFERRAL_ORDER_CONTRACT", "2026-04-16")]}, LATER, "2026-04-15")


def test_pln001_only_completed_main_plans():
    overdue("PLN001", {"start_date": START, "plans": [rmp("2026-03-20")]}, LATER, "2026-04-08")
    overdue("PLN001", {"start_date": START, "plans": [plan("IP1", "INTERVENTION_PLAN")]}, LATER, "2026-04-08")


# -- PLN002 --------------------------------------------------------------------------------------------

P2 = {"start_date": "2025-11-24"}
P2_IP = plan("IP1", "INTERVENTION_PLAN", "2025-11-30")  # + 3 months = 2026-02-28


def rev(id, date, reviews, reason="SCHEDULED"):
    return {"id": id, "date": date, "reviews": reviews, "reason": reason}


def test_pln002_short_month():
    met("PLN002", {**P2, "plans": [P2_IP], "reviews": [rev("R1", "2026-02-28", ["IP1"])]}, "2026-04-15")
    late("PLN002", {**P2, "plans": [P2_IP], "reviews": [rev("R1", "2026-03-01", ["IP1"])]}, "2026-04-15", "2026-02-28")
    pending("PLN002", {**P2, "plans": [P2_IP]}, "2026-02-28", "2026-02-28")
    overdue("PLN002", {**P2, "plans": [P2_IP]}, "2026-03-01", "2026-02-28")


def test_pln002_review_must_list_a_main_plan():
    case = {**P2, "plans": [P2_IP, rmp("2025-12-01")], "reviews": [rev("R1", "2026-02-20", ["RMP1"])]}
    overdue("PLN002", case, "2026-04-15", "2026-02-28")
    ip2 = plan("IP2", "INTERVENTION_PLAN", "2026-01-10")
    met("PLN002", {**P2, "plans": [P2_IP, ip2], "reviews": [rev("R1", "2026-02-28", ["IP2"])]}, "2026-04-15")


def test_pln002_second_gap():
    r1 = rev("R1", "2026-02-28", ["IP1"])
    met("PLN002", {**P2, "plans": [P2_IP], "reviews": [r1, rev("R2", "2026-05-28", ["IP1"])]}, "2026-06-15")
    late("PLN002", {**P2, "plans": [P2_IP], "reviews": [r1, rev("R2", "2026-05-29", ["IP1"])]}, "2026-06-15", "2026-05-28")


def test_pln002_not_applicable():
    not_applicable("PLN002", {**P2}, "2026-04-15")
    not_applicable("PLN002", {**P2, "closed_on": "2026-02-15", "plans": [P2_IP]}, "2026-04-15")


# -- PLN003 - PLN007 -----------------------------------------------------------------------------------


def test_pln003():
    base = {"start_date": START, "assessments": [MED_ROSH]}
    met("PLN003", {**base, "plans": [plan("IP1", "INTERVENTION_PLAN", "2026-03-27", addresses=["RISK_OF_HARM"])]}, LATER)
    not_met(
        "PLN003",
        {**base, "plans": [plan("IP1", "INTERVENTION_PLAN", "2026-03-27"), rmp(addresses=["RISK_OF_HARM"])]},
        LATER,
    )
    not_applicable("PLN003", base, LATER)
    low = {"start_date": START, "assessments": [asm("S1", "ROSH_SCREENING", "2026-03-20", level="LOW")]}
    not_applicable("PLN003", {**low, "plans": [plan("IP1", "INTERVENTION_PLAN", "2026-03-27")]}, LATER)


def test_pln004_latest_main_plan():
    ip1 = plan("IP1", "INTERVENTION_PLAN", "2026-03-27", child_involved=True)
    ip2 = plan("IP2", "INTERVENTION_PLAN", "2026-04-22", child_involved=False)
    not_met("PLN004", {"start_date": START, "plans": [ip1, ip2]}, LATER)
    met("PLN004", {"start_date": START, "plans": [ip1, ip2]}, "2026-04-21")
    met("PLN004", {"start_date": START, "plans": [ip1, rmp("2026-04-22", child_involved=False)]}, LATER)
    not_met("PLN004", {"start_date": START, "plans": [plan("IP1", "INTERVENTION_PLAN", "2026-03-27")]}, LATER)
    not_applicable("PLN004", {"start_date": START}, LATER)


def test_pln005_community_cases_only():
    ok = plan("IP1", "INTERVENTION_PLAN", "2026-03-27", contact_level_recorded=True)
    bad = plan("IP1", "INTERVENTION_PLAN", "2026-03-27")
    met("PLN005", {"start_date": START, "plans": [ok]}, LATER)
    not_met("PLN005", {"start_date": START, "plans": [bad]}, LATER)
    not_met("PLN005", {"legal_outcome": "REFERRAL_ORDER", "start_date": START, "plans": [bad]}, LATER)
    not_applicable("PLN005", {"legal_outcome": "YOUTH_CAUTION", "start_date": START, "plans": [bad]}, LATER)
    not_applicable("PLN005", {**DTO, "start_date": START, "plans": [bad]}, LATER)
    not_applicable("PLN005", {"start_date": START}, LATER)


def test_pln006():
    child = {"child": {"diversity_needs": ["SEN"]}}
    met("PLN006", {**child, "start_date": START, "plans": [plan("IP1", "INTERVENTION_PLAN", "2026-03-27", addresses=["DIVERSITY"])]}, LATER)
    not_met("PLN006", {**child, "start_date": START, "plans": [plan("IP1", "INTERVENTION_PLAN", "2026-03-27")]}, LATER)
    not_applicable("PLN006", {"child": {"diversity_needs": []}, "start_date": START, "plans": [plan("IP1", "INTERVENTION_PLAN", "2026-03-27")]}, LATER)
    not_applicable("PLN006", {**child, "start_date": START}, LATER)


def test_pln007():
    base = {"start_date": START, "assessments": [MED_ROSH]}
    not_met("PLN007", base, LATER)
    met("PLN007", {**base, "plans": [rmp(addresses=["CONTINGENCY"])]}, LATER)
    met("PLN007", {**base, "plans": [vmp(addresses=["CONTINGENCY"])]}, LATER)
    met("PLN007", {**base, "plans": [plan("IP1", "INTERVENTION_PLAN", "2026-03-27", addresses=["CONTINGENCY"])]}, LATER)
    not_met("PLN007", {**base, "plans": [plan("IP1", "INTERVENTION_PLAN", "2026-03-27", addresses=["RISK_OF_HARM"])]}, LATER)
    v = asm("V1", "VULNERABILITY_SCREENING", "2026-03-20", level="HIGH")
    not_met("PLN007", {"start_date": START, "assessments": [v]}, LATER)
    low = [asm("S1", "ROSH_SCREENING", "2026-03-20", level="LOW"), asm("V1", "VULNERABILITY_SCREENING", "2026-03-20", level="LOW")]
    not_applicable("PLN007", {"start_date": START, "assessments": low}, LATER)


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


# -- CON001 --------------------------------------------------------------------------------------------

# start Mon 2026-01-05: block 0 = 05 Jan..01 Feb, block 1 = 02 Feb..01 Mar, block 2 = 02 Mar..29 Mar,
# block 3 = 30 Mar..26 Apr.
C1 = {"start_date": "2026-01-05", "intervention_level": "ENHANCED"}
B0 = [contact(d) for d in ("2026-01-06", "2026-01-13", "2026-01-20", "2026-02-01")]
B1 = [contact(d) for d in ("2026-02-03", "2026-02-10", "2026-02-17", "2026-03-01")]
B2 = [contact(d) for d in ("2026-03-03", "2026-03-10", "2026-03-17", "2026-03-29")]


def test_con001_block_zero_last_day_counts():
    met("CON001", {**C1, "contacts": B0}, "2026-02-02")


def test_con001_short_block_zero():
    three = B0[:3] + [contact("2026-02-02")]  # the 4th falls in block 1
    not_met("CON001", {**C1, "contacts": three}, "2026-02-02")
    before = B0[:3] + [contact("2026-01-04")]  # before the start
    not_met("CON001", {**C1, "contacts": before}, "2026-02-02")


def test_con001_incomplete_block_not_judged():
    # block 0 ends 2026-02-01, which is not before an end of watch of 2026-02-01
    outs = run("CON001", {**C1, "contacts": B0[:3]}, "2026-02-01")
    assert all(o.status is not NOT_MET for o in outs)
    outs = run("CON001", {**C1, "closed_on": "2026-02-01", "contacts": B0[:3]}, LATER)
    assert all(o.status is not NOT_MET for o in outs)
    not_met("CON001", {**C1, "closed_on": "2026-02-02", "contacts": B0[:3]}, LATER)


def test_con001_first_three_blocks_then_lower_minimum():
    b3_two = [contact("2026-04-01"), contact("2026-04-26")]
    met("CON001", {**C1, "contacts": B0 + B1 + B2 + b3_two}, "2026-04-27")
    not_met("CON001", {**C1, "contacts": B0 + B1 + B2 + b3_two[:1]}, "2026-04-27")
    # block 2 still needs 4
    not_met("CON001", {**C1, "contacts": B0 + B1 + B2[:3]}, "2026-03-30")


def test_con001_absences_count_and_levels():
    absences = [contact(c["date"], outcome="UNACCEPTABLE_ABSENCE") for c in B0]
    met("CON001", {**C1, "contacts": absences}, "2026-02-02")
    seven = [contact(f"2026-01-{d:02d}") for d in (6, 8, 13, 15, 20, 22, 27)]
    not_met("CON001", {**C1, "intervention_level": "INTENSIVE", "contacts": seven}, "2026-02-02")
    met("CON001", {**C1, "intervention_level": "INTENSIVE", "contacts": seven + [contact("2026-01-29")]}, "2026-02-02")
    met("CON001", {**C1, "intervention_level": "STANDARD", "contacts": B0[:2]}, "2026-02-02")
    not_met("CON001", {**C1, "intervention_level": "STANDARD", "contacts": B0[:1]}, "2026-02-02")


def test_con001_not_applicable():
    not_applicable("CON001", {**C1, "legal_outcome": "YOUTH_CAUTION"}, LATER)
    not_applicable("CON001", {**C1, **DTO}, LATER)
    not_applicable("CON001", {"start_date": "2026-01-05"}, LATER)
    not_met("CON001", {**C1, "legal_outcome": "REFERRAL_ORDER"}, LATER)


# -- ENF001 --------------------------------------------------------------------------------------------

E = {"start_date": "2026-03-02"}
ABS_0402 = contact("2026-04-02", outcome="UNACCEPTABLE_ABSENCE")  # + 5 wd -> Mon 2026-04-13
ABS_0407 = contact("2026-04-07", outcome="UNACCEPTABLE_ABSENCE")  # 8,9,10,13,14 -> Tue 2026-04-14


def enf(date, kind="WARNING", relates_to=None):
    e = {"date": date, "kind": kind}
    if relates_to:
        e["relates_to"] = relates_to
    return e


def test_enf001_easter_edges():
    base = {**E, "contacts": [ABS_0402]}
    met("ENF001", {**base, "enforcement": [enf("2026-04-13")]}, LATER)
    met("ENF001", {**base, "enforcement": [enf("2026-04-02")]}, LATER)
    met("ENF001", {**base, "enforcement": [enf("2026-04-10", "BREACH")]}, LATER)
    late("ENF001", {**base, "enforcement": [enf("2026-04-14", relates_to="2026-04-02")]}, LATER, "2026-04-13")
    pending("ENF001", base, "2026-04-13", "2026-04-13")
    overdue("ENF001", base, "2026-04-14", "2026-04-13")


def test_enf001_what_does_not_answer():
    base = {**E, "contacts": [ABS_0402]}
    not_met("ENF001", {**base, "enforcement": [enf("2026-04-07", "COMPLIANCE_PANEL")]}, LATER)
    not_met("ENF001", {**base, "enforcement": [enf("2026-04-01")]}, LATER)


def test_enf001_one_outcome_per_absence():
    outs = run("ENF001", {**E, "contacts": [ABS_0402, ABS_0407, contact("2026-04-08")]}, LATER)
    assert [o.status for o in outs] == [NOT_MET, NOT_MET]
    assert sorted(o.due_on for o in outs) == [D("2026-04-13"), D("2026-04-14")]


def test_enf001_relates_to_answers_only_that_absence():
    case = {**E, "contacts": [ABS_0402, ABS_0407], "enforcement": [enf("2026-04-08", relates_to="2026-04-02")]}
    outs = {o.due_on: o.status for o in run("ENF001", case, LATER)}
    assert outs == {D("2026-04-13"): MET, D("2026-04-14"): NOT_MET}
    case = {**E, "contacts": [ABS_0402, ABS_0407], "enforcement": [enf("2026-04-08")]}
    outs = {o.due_on: o.status for o in run("ENF001", case, LATER)}
    assert outs == {D("2026-04-13"): MET, D("2026-04-14"): MET}


def test_enf001_not_applicable():
    not_applicable("ENF001", {**E, "contacts": [contact("2026-04-02")]}, LATER)
    not_applicable("ENF001", {**E, "contacts": [ABS_0402]}, "2026-04-01")


# -- ENF002 --------------------------------------------------------------------------------------------

E2 = {
    "start_date": "2025-12-01",
    "contacts": [
        contact("2026-03-02", outcome="UNACCEPTABLE_ABSENCE"),
        contact("2026-04-01", outcome="UNACCEPTABLE_ABSENCE"),
        contact("2026-04-22", outcome="UNACCEPTABLE_ABSENCE"),  # + 10 wd -> Thu 2026-05-07
    ],
}
WARNINGS = [enf("2026-03-03", relates_to="2026-03-02"), enf("2026-04-02", relates_to="2026-04-01")]


def test_enf002_edges():
    met("ENF002", {**E2, "enforcement": WARNINGS + [enf("2026-05-07", "BREACH", "2026-04-22")]}, LATER)
    met("ENF002", {**E2, "enforcement": WARNINGS + [enf("2026-05-07", "COMPLIANCE_PANEL")]}, LATER)
    late("ENF002", {**E2, "enforcement": WARNINGS + [enf("2026-05-08", "BREACH", "2026-04-22")]}, LATER, "2026-05-07")
    pending("ENF002", {**E2, "enforcement": WARNINGS}, "2026-05-07", "2026-05-07")
    overdue("ENF002", {**E2, "enforcement": WARNINGS}, "2026-05-08", "2026-05-07")
    not_met("ENF002", {**E2, "enforcement": WARNINGS + [enf("2026-04-23", "WARNING", "2026-04-22")]}, LATER)


def test_enf002_relates_to_another_absence():
    not_met("ENF002", {**E2, "enforcement": WARNINGS + [enf("2026-04-24", "BREACH", "2026-04-01")]}, LATER)


def test_enf002_not_applicable():
    ro = {**E2, "legal_outcome": "REFERRAL_ORDER", "enforcement": WARNINGS}
    not_applicable("ENF002", ro, LATER)
    old = [enf("2025-04-01"), enf("2026-04-02", relates_to="2026-04-01")]  # one outside 12 months
    not_applicable("ENF002", {**E2, "start_date": "2025-03-03", "enforcement": old}, LATER)


# -- VIC001 / VIC002 -----------------------------------------------------------------------------------


def test_vic001_edges():
    v = {"id": "V1", "identified_on": "2026-04-22"}  # + 10 wd -> 2026-05-07
    met("VIC001", {"start_date": START, "victims": [{**v, "contact_offered_on": "2026-05-07"}]}, LATER)
    late("VIC001", {"start_date": START, "victims": [{**v, "contact_offered_on": "2026-05-08"}]}, LATER, "2026-05-07")
    met("VIC001", {"start_date": START, "victims": [{**v, "declined": True}]}, LATER)
    pending("VIC001", {"start_date": START, "victims": [v]}, "2026-05-07", "2026-05-07")
    overdue("VIC001", {"start_date": START, "victims": [v]}, "2026-05-08", "2026-05-07")
    outs = run("VIC001", {"start_date": START, "victims": [v, {**v, "id": "V2"}]}, LATER)
    assert sorted(o.record for o in outs) == ["V1", "V2"] and all(o.status is NOT_MET for o in outs)
    not_applicable("VIC001", {"start_date": START, "victims": [{"id": "V1"}]}, LATER)
    not_applicable("VIC001", {"start_date": START, "victims": [v]}, "2026-04-21")


def test_vic002():
    met("VIC002", {"start_date": START, "victims": [{"id": "V1", "views_recorded": True}]}, LATER)
    not_met("VIC002", {"start_date": START, "victims": [{"id": "V1"}]}, LATER)
    not_applicable("VIC002", {"start_date": START, "victims": [{"id": "V1", "declined": True}]}, LATER)
    outs = run("VIC002", {"start_date": START, "victims": [{"id": "V1"}, {"id": "V2", "views_recorded": False}]}, LATER)
    assert sorted(o.record for o in outs) == ["V1", "V2"] and all(o.status is NOT_MET for o in outs)


# -- REV001 --------------------------------------------------------------------------------------------

EV = {"id": "E1", "date": "2026-04-22", "kind": "NEW_OFFENCE"}  # + 10 wd -> 2026-05-07


def test_rev001_edges():
    base = {"start_date": START, "events": [EV]}
    met("REV001", {**base, "reviews": [rev("R1", "2026-05-07", [], "SIGNIFICANT_CHANGE")]}, LATER)
    met("REV001", {**base, "reviews": [rev("R1", "2026-04-22", [])]}, LATER)
    late("REV001", {**base, "reviews": [rev("R1", "2026-05-08", [])]}, LATER, "2026-05-07")
    met("REV001", {**base, "assessments": [asm("S2", "ROSH_SCREENING", "2026-05-01", "REVIEW", level="LOW")]}, LATER)
    met("REV001", {**base, "assessments": [asm("V2", "VULNERABILITY_FULL", "2026-05-01", "REVIEW", level="LOW")]}, LATER)
    not_met("REV001", {**base, "assessments": [asm("C2", "CORE", "2026-05-01", "START")]}, LATER)
    not_met("REV001", {**base, "reviews": [rev("R1", "2026-04-21", [])]}, LATER)
    pending("REV001", base, "2026-05-07", "2026-05-07")
    overdue("REV001", base, "2026-05-08", "2026-05-07")


def test_rev001_per_event_and_kinds():
    kinds = ["SIGNIFICANT_CHANGE", "NEW_OFFENCE", "CUSTODY", "RELEASE", "CHANGE_OF_ADDRESS", "OTHER"]
    events = [{"id": f"E{i}", "date": "2026-04-22", "kind": k} for i, k in enumerate(kinds)]
    outs = run("REV001", {"start_date": START, "events": events}, LATER)
    assert sorted(o.record for o in outs) == ["E0", "E1", "E2", "E3", "E4"]
    not_applicable("REV001", {"start_date": START, "events": [EV]}, "2026-04-21")


# -- REV002 --------------------------------------------------------------------------------------------

# closed Fri 2026-04-17.  10 wd before: 16,15,14,13 (4), 10,9,8,7 (8), [6 Apr, 3 Apr], 2 (9), 1 Apr (10)
# -> 2026-04-01.  10 wd after: 20-24 (5), 27-30 (9), 1 May (10) -> 2026-05-01.
R2 = {"start_date": "2026-01-05", "closed_on": "2026-04-17"}


def test_rev002_window_edges():
    met("REV002", {**R2, "assessments": [asm("C9", "CORE", "2026-04-01", "END")]}, LATER)
    met("REV002", {**R2, "reviews": [rev("R9", "2026-05-01", [], "END_OF_ORDER")]}, LATER)
    late("REV002", {**R2, "reviews": [rev("R9", "2026-05-05", [], "END_OF_ORDER")]}, LATER, "2026-05-01")
    not_met("REV002", {**R2, "assessments": [asm("C9", "CORE", "2026-03-31", "END")]}, LATER)
    not_met("REV002", {**R2, "reviews": [rev("R9", "2026-04-17", [], "SCHEDULED")]}, LATER)
    not_met("REV002", {**R2, "assessments": [asm("C9", "CORE", "2026-04-17", "REVIEW")]}, LATER)
    pending("REV002", R2, "2026-05-01", "2026-05-01")
    overdue("REV002", R2, "2026-05-05", "2026-05-01")


def test_rev002_not_applicable():
    not_applicable("REV002", {"start_date": "2026-01-05"}, LATER)
    not_applicable("REV002", R2, "2026-04-16")


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


def test_rev002_closed_on_a_saturday():
    # closed Sat 2026-04-18. Before: 17 (1), 16-13 (5), 10-7 (9), [6, 3 Apr], 2 Apr (10) -> 2026-04-02.
    # After: 20-24 (5), 27-30 (9), 1 May (10) -> 2026-05-01.
    c = {"start_date": "2026-01-05", "closed_on": "2026-04-18"}
    met("REV002", {**c, "reviews": [rev("R9", "2026-04-02", [], "END_OF_ORDER")]}, LATER)
    overdue("REV002", {**c, "reviews": [rev("R9", "2026-04-01", [], "END_OF_ORDER")]}, LATER, "2026-05-01")


def test_rev002_window_over_christmas_2026():
    # closed Fri 2027-01-08. Before: 7, 6, 5, 4 (4), [1 Jan], 31, 30, 29 (7), [28 Dec substitute, 25 Dec],
    # 24, 23, 22 (10) -> 2026-12-22.  After: 11-15 (5), 18-22 (10) -> 2027-01-22.
    c = {"start_date": "2026-06-01", "closed_on": "2027-01-08"}
    met("REV002", {**c, "reviews": [rev("R9", "2026-12-22", [], "END_OF_ORDER")]}, "2027-03-01")
    not_met("REV002", {**c, "reviews": [rev("R9", "2026-12-21", [], "END_OF_ORDER")]}, "2027-03-01")
    met("REV002", {**c, "assessments": [asm("C9", "CORE", "2027-01-22", "END")]}, "2027-03-01")
    late("REV002", {**c, "assessments": [asm("C9", "CORE", "2027-01-25", "END")]}, "2027-03-01", "2027-01-22")


def test_vic002_victim_identified_after_as_of_does_not_exist():
    not_applicable("VIC002", {"start_date": START, "victims": [{"id": "V9", "identified_on": "2026-06-10"}]}, LATER)


# "Nothing after A exists": a victim identified after A is not yet a victim of the case.
def test_roh005_victim_identified_after_as_of_does_not_exist():
    case = {"start_date": START, "plans": [rmp(addresses=["RISK_OF_HARM"])],
            "victims": [{"id": "V9", "identified_on": "2026-06-10"}]}
    not_applicable("ROH005", case, LATER)


def test_roh009_victim_identified_after_as_of_does_not_exist():
    f1 = asm("F1", "ROSH_FULL", "2026-03-27", level="MEDIUM", victims_considered=False)
    case = {"start_date": START, "assessments": [f1], "victims": [{"id": "V9", "identified_on": "2026-06-10"}]}
    not_applicable("ROH009", case, LATER)


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


# Choices the lead made after the second reading (each documented in the rule's Choices section).

def test_roh003_like_roh004_owes_nothing_when_the_case_closed_before_the_plan_was_due():
    # HIGH on Wed 22 April; the plan is due Thu 7 May (4 May is a bank holiday); the case closed 24 April
    case = {"start_date": START, "closed_on": "2026-04-24",
            "assessments": [asm("S1", "ROSH_SCREENING", "2026-04-22", level="HIGH")]}
    assert run("ROH003", case, LATER) == [] and run("ROH004", case, LATER) == []


def test_roh002_ignores_a_screening_from_an_earlier_order():
    old = asm("S0", "ROSH_SCREENING", "2024-01-10", stage="START", full_analysis_required=True)
    not_applicable("ROH002", {"start_date": START, "assessments": [old]}, LATER)


def test_rmp_timescale_runs_from_the_start_when_the_level_was_known_before_it():
    # HIGH from a PSR screening of 2 March, two weeks before the Monday 16 March start:
    # 10 working days from the start is Monday 30 March
    psr = asm("S0", "ROSH_SCREENING", "2026-03-02", stage="PSR", level="HIGH")
    overdue("ROH003", {"start_date": START, "assessments": [psr]}, LATER, "2026-03-30")
    met("ROH004", {"start_date": START, "assessments": [psr], "plans": [rmp(created="2026-03-30")]}, LATER)


def test_mgt001_judges_only_this_orders_assessments():
    old = asm("S0", "ROSH_SCREENING", "2025-06-02", level="HIGH")
    new = asm("S1", "ROSH_SCREENING", "2026-03-20", level="HIGH", countersigned_on="2026-03-25")
    outcomes = run("MGT001", {"start_date": START, "assessments": [old, new]}, LATER)
    assert [(o.record, o.status) for o in outcomes] == [("S1", MET)]
