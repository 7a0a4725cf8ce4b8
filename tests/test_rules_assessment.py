"""The assessment rules (rules/catalogue/assessment.py: ASM001-ASM005) read against the catalogue.

Due dates were worked out by hand; the calendar, the working-day sums and the helpers are in rule_helpers.py.
ASM001 and ASM002 are also read beside other families' rules in test_rules_catalogue.py (the Terms, a start
on Easter Saturday, PENDING before the due date, the 3-month interval rules).
"""

from __future__ import annotations

import pytest
from rule_helpers import (
    A2_FIRST,
    A2_START,
    LATER,
    START,
    asm,
    late,
    met,
    not_applicable,
    not_met,
    overdue,
    pending,
)

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

# A2_START and A2_FIRST are in rule_helpers.py: start assessment completed 2025-11-30;
# + 3 months = 2026-02-28 (short month); + 3 more = 2026-05-28.


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
