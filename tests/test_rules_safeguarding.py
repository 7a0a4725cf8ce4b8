"""The safeguarding rules (rules/catalogue/safeguarding.py: SAF001-SAF006) read against the catalogue.

Due dates were worked out by hand; the calendar, the working-day sums and the helpers are in rule_helpers.py.
SAF001's timescales are read with ROH001's in test_rules_catalogue.py (test_screening_*), as are SAF002 and
SAF005 beside other families' rules ("overdue" for a missing plan, a start on Easter Saturday).
"""

from __future__ import annotations

from rule_helpers import (
    DTO,
    LATER,
    MED_ROSH,
    START,
    asm,
    contact,
    late,
    met,
    not_applicable,
    not_met,
    overdue,
    pending,
    plan,
    rmp,
    vmp,
)

# -- SAF002 / SAF003 / SAF004 --------------------------------------------------------------------------

# vmp() is in rule_helpers.py: the vulnerability management plan VMP1, created 2026-03-27 unless told.


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

# DTO is in rule_helpers.py: a detention and training order.


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

# MED_ROSH is in rule_helpers.py: a MEDIUM RoSH screening on 2026-03-20.


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
