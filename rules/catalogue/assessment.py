"""Assessment: the Asset core profile (likelihood of reoffending), on time and kept up to date."""

from __future__ import annotations

from rules.calendar import add_working_days
from rules.catalogue.judge import at_interval, by_deadline
from rules.facts import CaseView
from rules.outcomes import Status, Verdict
from rules.registry import Option, rule

SOURCE_START = "Start-of-order timescales (15 working days, 20 for referral orders): a YOS action plan after a 2012 inspection; YJB assessment guidance"
START_OPTIONS = {"working_days": Option.working_days(15), "referral_order_working_days": Option.working_days(20)}


@rule(
    "ASM001", "start-assessment-on-time", severity="error", criterion="1.2", standard="Assessment",
    source=SOURCE_START, options=START_OPTIONS,
    fails="""
        legal_outcome = "YOUTH_REHABILITATION_ORDER"
        start_date = 2026-06-01
        [[assessments]]
        id = "A1"
        kind = "CORE"
        stage = "START"
        completed_on = 2026-07-06   # 15 working days from 1 June is 22 June
    """,
    passes="""
        legal_outcome = "REFERRAL_ORDER"
        start_date = 2026-06-01
        [[assessments]]
        id = "A1"
        kind = "CORE"
        stage = "START"
        completed_on = 2026-06-29   # referral orders have 20 working days: due 29 June
    """,
)
def start_assessment_on_time(c: CaseView, o) -> Verdict:
    """A start assessment completed within 15 working days of the start (20 for referral orders).

    Checks: every case has a start assessment: a CORE (Asset core profile or AssetPlus) assessment
    with stage START or TRANSFER_IN completed on or after the start, or with stage PSR completed no
    more than 3 months before the start. The earliest one must be completed on or before the 15th
    working day after the start (the 20th for a referral order).
    Why: inspectors found initial assessments of likelihood of reoffending missing in six cases and
    late in almost a quarter; an intervention cannot be planned well without one.
    Do: complete the Asset core profile (or AssetPlus) with the child and record its completion.
    Choices: a PSR assessment completed after the start also stands as the start assessment.
    """
    due = c.start_due(o["working_days"], o["referral_order_working_days"])
    first = c.start_assessments[0] if c.start_assessments else None
    return by_deadline(
        c, "start assessment", due, first.completed_on if first else None,
        (first.id,) if first else (), since=f"(start {c.start})",
    )


@rule(
    "ASM002", "assessment-reviewed", severity="error", criterion="1.2", standard="Reviewing",
    source="YJB Case Management Guidance: assessments reviewed at least every three months",
    options={"months": Option.months(3)},
    fails="""
        start_date = 2026-03-02
        [[assessments]]
        id = "A1"
        kind = "CORE"
        stage = "START"
        completed_on = 2026-03-16
        [[assessments]]
        id = "A2"
        kind = "CORE"
        stage = "REVIEW"
        completed_on = 2026-06-10   # within 3 months, but nothing since: due 2026-09-10
    """,
    passes="""
        start_date = 2026-08-03
        [[assessments]]
        id = "A1"
        kind = "CORE"
        stage = "START"
        completed_on = 2026-08-14
        [[assessments]]
        id = "A2"
        kind = "CORE"
        stage = "REVIEW"
        completed_on = 2026-11-10
    """,
)
def assessment_reviewed(c: CaseView, o) -> Verdict | None:
    """The core assessment is reviewed at least every 3 months while the case is open.

    Checks: from the first start assessment, no gap longer than 3 calendar months between successive
    completed CORE assessments, nor between the last one and the end of watch (the as-of date, or the
    closing date if earlier). Applies once the case was open 3 months after the start assessment;
    before that the first review is PENDING.
    Why: the 2012 inspection found the initial assessment not reviewed at appropriate intervals in
    more than a third of cases.
    Do: review the core assessment with the child and record the review as a completed CORE assessment.
    """
    if not c.start_assessments:
        return None
    first = c.start_assessments[0]
    later = [(x.completed_on, x.id) for x in c.core_assessments]
    return at_interval(c, "core assessment review", first.completed_on, first.id, later, o["months"],
                       anchor_what=f"the start assessment {first.id}")


def _first_start_flag(c: CaseView, flag: str, what: str) -> Verdict | None:
    if not c.start_assessments:
        return None
    first = c.start_assessments[0]
    value = getattr(first, flag)
    if value is True:
        return Verdict(Status.MET, f"{what} recorded on the start assessment {first.id}", (first.id,), done_on=first.completed_on)
    said = "not recorded" if value is None else "recorded as not done"
    return Verdict(Status.NOT_MET, f"{what} {said} on the start assessment {first.id} ({first.completed_on})", (first.id,))


@rule(
    "ASM003", "self-assessment-used", severity="warning", criterion="1.2", standard="Assessment",
    source="2012 Core Case Inspection, criterion 1.2: 'What do YOU think?' self-assessment",
    fails="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A1"
        kind = "CORE"
        stage = "START"
        completed_on = 2026-06-10
        self_assessment_used = false
    """,
    passes="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A1"
        kind = "CORE"
        stage = "START"
        completed_on = 2026-06-10
        self_assessment_used = true
    """,
)
def self_assessment_used(c: CaseView, o) -> Verdict | None:
    """The child's own self-assessment informed the first start assessment.

    Checks: where a start assessment exists, the first one has `self_assessment_used = true`.
    Not recorded counts as not done.
    Why: in 53% of the 2012 cases the 'What do YOU think?' form had not been used to inform the
    initial assessment; the child's view is part of a sound assessment.
    Do: give the child the self-assessment form and use it in the next review of the assessment.
    """
    return _first_start_flag(c, "self_assessment_used", "self-assessment")


@rule(
    "ASM004", "learning-style-assessed", severity="warning", criterion="1.2", standard="Assessment",
    source="2012 Core Case Inspection, criterion 1.2: learning style assessed",
    fails="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A1"
        kind = "CORE"
        stage = "START"
        completed_on = 2026-06-10
    """,
    passes="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A1"
        kind = "CORE"
        stage = "START"
        completed_on = 2026-06-10
        learning_style_assessed = true
    """,
)
def learning_style_assessed(c: CaseView, o) -> Verdict | None:
    """The child's learning style was assessed at the start.

    Checks: where a start assessment exists, the first one has `learning_style_assessed = true`.
    Not recorded counts as not done.
    Why: in half of the 2012 cases the learning style had not been assessed, and interventions were
    then judged not appropriate to it in 39%.
    Do: assess how the child learns best and record it on the assessment.
    """
    return _first_start_flag(c, "learning_style_assessed", "learning style assessment")


@rule(
    "ASM005", "transfer-in-reassessed", severity="error", criterion="1.2", standard="Assessment",
    source="2012 Core Case Inspection, commentary on assessment: transferred cases not reassessed",
    options={"working_days": Option.working_days(15)},
    fails="""
        start_date = 2026-03-02
        transferred_in_on = 2026-09-01
        [[assessments]]
        id = "A1"
        kind = "CORE"
        stage = "START"
        completed_on = 2026-03-10   # the other area's assessment, never reviewed here
    """,
    passes="""
        start_date = 2026-03-02
        transferred_in_on = 2026-09-01
        [[assessments]]
        id = "A1"
        kind = "CORE"
        stage = "TRANSFER_IN"
        completed_on = 2026-09-15
    """,
)
def transfer_in_reassessed(c: CaseView, o) -> Verdict | None:
    """A case transferred in is reassessed within 15 working days of arrival.

    Checks: where `transferred_in_on` is set, a CORE assessment (any stage) completed on or after that
    date and on or before the 15th working day after it.
    Why: inspectors found case managers relying on the former area's assessment though key parts of
    it were out of date.
    Do: review the former area's assessment with the child and complete a CORE assessment here.
    """
    arrived = c.case.transferred_in_on
    if arrived is None or arrived > c.as_of:
        return None
    due = add_working_days(arrived, o["working_days"])
    first = next((x for x in c.core_assessments if x.completed_on >= arrived), None)
    return by_deadline(
        c, "reassessment after transfer in", due, first.completed_on if first else None,
        (first.id,) if first else (), since=f"(arrived {arrived})",
    )
