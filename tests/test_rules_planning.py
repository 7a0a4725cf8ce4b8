"""The planning rules (rules/catalogue/planning.py: PLN001-PLN007) read against the catalogue, edge by edge.

Due dates were worked out by hand; the calendar, the working-day sums and the helpers are in rule_helpers.py.
PLN001 and PLN002 are also read beside other families' rules in test_rules_catalogue.py (a start on Easter
Saturday, the 3-month interval rules).
"""

from __future__ import annotations

from rule_helpers import (
    DTO,
    LATER,
    MED_ROSH,
    P2,
    P2_IP,
    START,
    asm,
    late,
    met,
    not_applicable,
    not_met,
    overdue,
    pending,
    plan,
    rev,
    rmp,
    vmp,
)

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

# P2, P2_IP and rev() are in rule_helpers.py: intervention plan IP1 created 2025-11-30;
# + 3 months = 2026-02-28.


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
