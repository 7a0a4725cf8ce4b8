"""The delivery rules (rules/catalogue/delivery.py: CON001, ENF001-002, VIC001-002, REV001-002), edge by edge.

They are read against the rule catalogue. Due dates were worked out by hand; the calendar, the working-day
sums and the helpers are in rule_helpers.py. ENF001 is also read beside other families' rules in
test_rules_catalogue.py (PENDING before the due date).
"""

from __future__ import annotations

from rule_helpers import (
    ABS_0402,
    DTO,
    LATER,
    MET,
    NOT_MET,
    START,
    D,
    E,
    asm,
    contact,
    late,
    met,
    not_applicable,
    not_met,
    overdue,
    pending,
    rev,
    run,
)

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

# E and ABS_0402 are in rule_helpers.py: start 2026-03-02; an unacceptable absence on Thu 2026-04-02,
# + 5 wd -> Mon 2026-04-13.
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


# -- more edges: REV002 windows over holidays, a victim after the as-of date ---------------------------


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
