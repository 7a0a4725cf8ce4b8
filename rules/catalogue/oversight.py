"""Management oversight: countersignature or a recorded oversight entry for the work that matters most.

These rules judge each record on its own: a case with two RoSH assessments at Medium or above has two
MGT001 outcomes, and scores count each.
"""

from __future__ import annotations

import datetime as dt

from rules.calendar import add_working_days
from rules.catalogue.judge import by_deadline
from rules.facts import CaseView, at_least
from rules.model import OversightSubject
from rules.outcomes import Verdict
from rules.registry import Option, rule

SOURCE = "2012 Core Case Inspection: effective management oversight of RoH (criteria 1.1, 2.1) and vulnerability (1.3) not evidenced in about half and one third of cases; Stockton-on-Tees 2010 inspection"


def overseen(
    c: CaseView, record_id: str, made_on: dt.date, countersigned_on: dt.date | None,
    subject: OversightSubject, working_days: int, what: str,
) -> Verdict:
    """Countersigned, or an oversight entry on ``subject`` targeting the record, within the timescale."""
    dates = [x.date for x in c.oversight if x.subject is subject and x.target == record_id]
    if countersigned_on is not None and countersigned_on <= c.as_of:
        dates.append(countersigned_on)
    done = min(dates) if dates else None
    return by_deadline(
        c, f"management oversight of {what} {record_id}", add_working_days(made_on, working_days), done,
        (record_id,), record=record_id, since=f"({'created' if 'plan' in what else 'completed'} {made_on})",
    )


OPTIONS = {"threshold": Option.level("MEDIUM"), "working_days": Option.working_days(10)}


@rule(
    "MGT001", "rosh-oversight", severity="error", criterion="1.1", standard="Assessment", source=SOURCE,
    options=OPTIONS, per_record=True,
    fails="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A2"
        kind = "ROSH_SCREENING"
        completed_on = 2026-06-10
        level = "HIGH"
        countersigned_by = "TM-1"
        countersigned_on = 2026-07-15   # due 24 June
    """,
    passes="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A2"
        kind = "ROSH_SCREENING"
        completed_on = 2026-06-10
        level = "HIGH"
        [[oversight]]
        date = 2026-06-12
        by = "TM-1"
        subject = "ROSH"
        target = "A2"
    """,
)
def rosh_oversight(c: CaseView, o) -> list[Verdict] | None:
    """A manager oversees each RoSH assessment at Medium or above within 10 working days.

    Checks: for each completed RoSH assessment (screening or full) at or above the threshold, it is
    countersigned, or an oversight entry with subject ROSH targets it, on or before the 10th working day
    after its completion.
    Why: in almost half of the relevant 2012 cases inspectors could not evidence effective management
    oversight of the RoH assessment.
    Do: ask the manager to countersign the assessment or record their oversight of it.
    Choices: assessments of this order only (completed on or after the start, or at the PSR stage
    within 3 months before it); an earlier order's assessments were that order's to oversee.
    """
    out = [
        overseen(c, x.id, x.completed_on, x.countersigned_on, OversightSubject.ROSH, o["working_days"], "RoSH assessment")
        for x in c.rosh_assessments if at_least(x.level, o["threshold"]) and c.belongs_to_order(x)
    ]
    return out or None


@rule(
    "MGT002", "vulnerability-oversight", severity="error", criterion="1.3", standard="Assessment", source=SOURCE,
    options=OPTIONS, per_record=True,
    fails="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A3"
        kind = "VULNERABILITY_SCREENING"
        completed_on = 2026-06-10
        level = "MEDIUM"
    """,
    passes="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A3"
        kind = "VULNERABILITY_SCREENING"
        completed_on = 2026-06-10
        level = "MEDIUM"
        countersigned_by = "TM-1"
        countersigned_on = 2026-06-17
    """,
)
def vulnerability_oversight(c: CaseView, o) -> list[Verdict] | None:
    """A manager oversees each vulnerability assessment at Medium or above within 10 working days.

    Checks: for each completed vulnerability assessment (screening or full) at or above the threshold, it
    is countersigned, or an oversight entry with subject VULNERABILITY targets it, on or before the 10th
    working day after its completion.
    Why: in one third of the 2012 cases inspectors could not evidence effective management oversight of
    the vulnerability assessment when required.
    Do: ask the manager to countersign the assessment or record their oversight of it.
    Choices: as MGT001, assessments of this order only.
    """
    out = [
        overseen(c, x.id, x.completed_on, x.countersigned_on, OversightSubject.VULNERABILITY, o["working_days"], "vulnerability assessment")
        for x in c.vulnerability_assessments if at_least(x.level, o["threshold"]) and c.belongs_to_order(x)
    ]
    return out or None


@rule(
    "MGT003", "plan-oversight", severity="error", criterion="1.1", standard="Planning", source=SOURCE,
    options={"working_days": Option.working_days(10)}, per_record=True,
    fails="""
        start_date = 2026-06-01
        [[plans]]
        id = "RMP1"
        kind = "RISK_MANAGEMENT_PLAN"
        created_on = 2026-06-15
        [[oversight]]
        date = 2026-06-16
        by = "TM-1"
        subject = "GENERAL"          # not oversight of the plan
        target = "RMP1"
    """,
    passes="""
        start_date = 2026-06-01
        [[plans]]
        id = "RMP1"
        kind = "RISK_MANAGEMENT_PLAN"
        created_on = 2026-06-15
        [[oversight]]
        date = 2026-06-22
        by = "TM-1"
        subject = "PLAN"
        target = "RMP1"
    """,
)
def plan_oversight(c: CaseView, o) -> list[Verdict] | None:
    """A manager oversees each risk or vulnerability management plan within 10 working days.

    Checks: for each RMP and VMP created, it is countersigned, or an oversight entry with subject PLAN
    targets it, on or before the 10th working day after its creation.
    Why: in one quarter of the 2012 cases there was insufficient evidence of effective management
    oversight of the RMP.
    Do: ask the manager to countersign the plan or record their oversight of it.
    """
    out = [
        overseen(c, p.id, p.created_on, p.countersigned_on, OversightSubject.PLAN, o["working_days"],
                 "risk management plan" if p in c.rmps else "vulnerability management plan")
        for p in c.rmps + c.vmps
    ]
    return out or None
