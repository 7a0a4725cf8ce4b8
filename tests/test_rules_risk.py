"""The risk of harm rules (rules/catalogue/risk.py: ROH001-ROH009) read against the catalogue, edge by edge.

Due dates were worked out by hand; the calendar, the working-day sums and the helpers are in rule_helpers.py.
ROH001's timescales are read with SAF001's in test_rules_catalogue.py (test_screening_*), as are ROH003,
ROH004 and ROH007 beside other families' rules ("overdue" for a missing plan, PENDING before the due date,
the 3-month interval rules).
"""

from __future__ import annotations

from rule_helpers import (
    LATER,
    MED_0422,
    NOT_MET,
    R7,
    R7_S,
    START,
    asm,
    late,
    met,
    not_applicable,
    not_met,
    one,
    overdue,
    pending,
    plan,
    rmp,
    run,
)

# -- ROH001 --------------------------------------------------------------------------------------------


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

# rmp() is in rule_helpers.py: the risk management plan RMP1, created 2026-03-27 unless told.


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

# MED_0422 is in rule_helpers.py: a MEDIUM RoSH screening on Wed 2026-04-22; +10 wd -> 7 May.


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

# R7 and R7_S are in rule_helpers.py: start 2025-11-30; + 3 months = 2026-02-28 (short month).


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


# -- more edges: victims after the as-of date, the lead's choices --------------------------------------


# "Nothing after A exists": a victim identified after A is not yet a victim of the case.
def test_roh005_victim_identified_after_as_of_does_not_exist():
    case = {"start_date": START, "plans": [rmp(addresses=["RISK_OF_HARM"])],
            "victims": [{"id": "V9", "identified_on": "2026-06-10"}]}
    not_applicable("ROH005", case, LATER)


def test_roh009_victim_identified_after_as_of_does_not_exist():
    f1 = asm("F1", "ROSH_FULL", "2026-03-27", level="MEDIUM", victims_considered=False)
    case = {"start_date": START, "assessments": [f1], "victims": [{"id": "V9", "identified_on": "2026-06-10"}]}
    not_applicable("ROH009", case, LATER)


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
