"""Safeguarding: vulnerability screening, the vulnerability management plan, custody, home visits."""

from __future__ import annotations

from rules.calendar import add_working_days
from rules.catalogue._shared import integrated, plan_on_time, plan_required
from rules.catalogue.judge import by_deadline
from rules.facts import CaseView, at_least, contact_ref
from rules.model import ContactKind, ContactOutcome, OutcomeGroup
from rules.outcomes import Verdict
from rules.registry import Option, rule

SOURCE_VMP = "2012 Core Case Inspection, criterion 1.3 (40 cases required a VMP: 32 completed, 29 timely); Stockton-on-Tees 2010 inspection recommendation"


@rule(
    "SAF001", "vulnerability-screening-on-time", severity="error", criterion="1.3", standard="Assessment",
    source="Start-of-order timescales (15 working days, 20 for referral orders): a YOS action plan after a 2012 inspection; 2012 Core Case Inspection, criterion 1.3",
    options={"working_days": Option.working_days(15), "referral_order_working_days": Option.working_days(20)},
    fails="""
        legal_outcome = "REFERRAL_ORDER"
        start_date = 2026-06-01
        [[assessments]]
        id = "A3"
        kind = "VULNERABILITY_SCREENING"
        stage = "START"
        completed_on = 2026-07-01   # referral order: due 29 June
    """,
    passes="""
        legal_outcome = "REFERRAL_ORDER"
        start_date = 2026-06-01
        [[assessments]]
        id = "A3"
        kind = "VULNERABILITY_SCREENING"
        stage = "START"
        completed_on = 2026-06-26
        level = "LOW"
    """,
)
def vulnerability_screening_on_time(c: CaseView, o) -> Verdict:
    """A vulnerability screening completed within 15 working days of the start (20 for referral orders).

    Checks: every case has a VULNERABILITY_SCREENING (AssetPlus: safety and wellbeing) completed on or
    before the 15th working day after the start (the 20th for a referral order). A screening counts if
    completed on or after the start, or at the PSR stage no more than 3 months before it.
    Why: the 2012 inspection found the vulnerability screening not completed in 13% of cases and late
    in 18%; safeguarding starts with knowing how vulnerable the child is.
    Do: complete the vulnerability screening and record its completion date.
    Choices: as ROH001, a screening from before the start counts only at the PSR stage within 3 months.
    """
    due = c.start_due(o["working_days"], o["referral_order_working_days"])
    first = next((x for x in c.vulnerability_screenings if c.belongs_to_order(x)), None)
    return by_deadline(
        c, "vulnerability screening", due, first.completed_on if first else None,
        (first.id,) if first else (), since=f"(start {c.start})",
    )


@rule(
    "SAF002", "vmp-required", severity="error", criterion="1.3", standard="Planning",
    source=SOURCE_VMP, options={"threshold": Option.level("MEDIUM"), "working_days": Option.working_days(10)},
    fails="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A3"
        kind = "VULNERABILITY_SCREENING"
        stage = "START"
        completed_on = 2026-06-12
        level = "MEDIUM"
    """,
    passes="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A3"
        kind = "VULNERABILITY_SCREENING"
        stage = "START"
        completed_on = 2026-06-12
        level = "MEDIUM"
        [[plans]]
        id = "VMP1"
        kind = "VULNERABILITY_MANAGEMENT_PLAN"
        created_on = 2026-06-19
    """,
)
def vmp_required(c: CaseView, o) -> Verdict | None:
    """A vulnerability management plan where the current vulnerability level is Medium or above.

    Checks: where the current vulnerability level (the latest completed full vulnerability assessment
    with a level, or else the latest screening) is at or above the threshold (default MEDIUM), a
    VULNERABILITY_MANAGEMENT_PLAN with `created_on` on or before the as-of date.
    Why: inspectors judged that 40 of 62 cases in 2012 required a VMP and 8 had none; without one the
    actions that keep the child safe are nobody's task.
    Do: write the vulnerability management plan and record its creation.
    Choices: as ROH003, PENDING until 10 working days (option working_days) after the first completed
    vulnerability assessment at the threshold, overdue after.
    """
    return plan_required(
        c, c.current_vulnerability, c.vulnerability_assessments, c.vmps, o["threshold"],
        o["working_days"], "vulnerability", "vulnerability management plan",
    )


@rule(
    "SAF003", "vmp-on-time", severity="error", criterion="1.3", standard="Planning",
    source=SOURCE_VMP, options={"threshold": Option.level("MEDIUM"), "working_days": Option.working_days(10)},
    fails="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A3"
        kind = "VULNERABILITY_SCREENING"
        stage = "START"
        completed_on = 2026-06-12
        level = "HIGH"
        [[plans]]
        id = "VMP1"
        kind = "VULNERABILITY_MANAGEMENT_PLAN"
        created_on = 2026-07-01   # due 10 working days after 12 June: 26 June
    """,
    passes="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A3"
        kind = "VULNERABILITY_SCREENING"
        stage = "START"
        completed_on = 2026-06-12
        level = "HIGH"
        [[plans]]
        id = "VMP1"
        kind = "VULNERABILITY_MANAGEMENT_PLAN"
        created_on = 2026-06-26
    """,
)
def vmp_on_time(c: CaseView, o) -> Verdict | None:
    """The vulnerability management plan is made within 10 working days of the first vulnerability assessment at Medium or above.

    Checks: where SAF002 applies, the earliest VULNERABILITY_MANAGEMENT_PLAN was created on or before the
    10th working day after the first completed vulnerability assessment (screening or full) at or above
    the threshold.
    Why: of 32 VMPs completed in the 2012 sample, only 29 were timely.
    Do: complete the VMP now and record the reason for the delay.
    """
    return plan_on_time(
        c, c.current_vulnerability, c.vulnerability_assessments, c.vmps, o["threshold"],
        o["working_days"], "vulnerability", "vulnerability management plan",
    )


@rule(
    "SAF004", "vmp-integrated", severity="error", criterion="1.3", standard="Planning",
    source="2012 Core Case Inspection, criterion 1.3 (VMPs informing interventions and other plans); Stockton-on-Tees 2010 inspection recommendation",
    fails="""
        start_date = 2026-06-01
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-06-20
        incorporates = []
        [[plans]]
        id = "VMP1"
        kind = "VULNERABILITY_MANAGEMENT_PLAN"
        created_on = 2026-06-19
    """,
    passes="""
        start_date = 2026-06-01
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-06-20
        incorporates = ["VMP1"]
        [[plans]]
        id = "VMP1"
        kind = "VULNERABILITY_MANAGEMENT_PLAN"
        created_on = 2026-06-19
    """,
)
def vmp_integrated(c: CaseView, o) -> Verdict | None:
    """The vulnerability management plan is built into the intervention plan.

    Checks: where a VMP exists, a main plan lists the latest VMP's id in `incorporates`.
    Why: inspectors recommend VMPs integrated into the intervention plan, so that the safeguarding work
    is part of what is delivered.
    Do: update the intervention plan so that it includes the VMP's actions, and record that it does.
    Choices: as ROH006, the latest VMP is the one that must be integrated.
    """
    if not c.vmps:
        return None
    return integrated(c, c.vmps[-1], "vulnerability management plan")


@rule(
    "SAF005", "custody-vulnerability-shared", severity="error", criterion="2.3", standard="Implementation and delivery",
    source="2012 Core Case Inspection, criterion 1.3 (secure establishment aware of vulnerability prior to, or immediately on, sentence)",
    options={"working_days": Option.working_days(1)},
    fails="""
        legal_outcome = "DETENTION_AND_TRAINING_ORDER"
        start_date = 2026-06-01
        [custody]
        secure_establishment_informed_on = 2026-06-04   # due the next working day, 2 June
    """,
    passes="""
        legal_outcome = "DETENTION_AND_TRAINING_ORDER"
        start_date = 2026-06-01
        [custody]
        secure_establishment_informed_on = 2026-06-01
    """,
)
def custody_vulnerability_shared(c: CaseView, o) -> Verdict | None:
    """On a custodial sentence, the secure establishment is told of the child's vulnerability by the next working day.

    Checks: for a CUSTODY case, `custody.secure_establishment_informed_on` is on or before the first
    working day after the start (option working_days).
    Why: the first nights in custody are when a vulnerable child is most at risk; in 2012 the
    establishment was made aware in 13 of 14 applicable cases.
    Do: send the vulnerability information to the secure establishment and record the date.
    Choices: informing the establishment before the start (at sentence, or before) is on time.
    """
    if c.group is not OutcomeGroup.CUSTODY:
        return None
    informed = c.case.custody.secure_establishment_informed_on if c.case.custody else None
    if informed is not None and informed > c.as_of:
        informed = None
    return by_deadline(
        c, "vulnerability shared with the secure establishment", add_working_days(c.start, o["working_days"]),
        informed, since=f"(start {c.start})",
    )


@rule(
    "SAF006", "home-visit", severity="warning", criterion="2.3", standard="Implementation and delivery",
    source="2012 Core Case Inspection, criteria 2.1 and 2.3 (purposeful home visits where required)",
    options={"threshold": Option.level("MEDIUM"), "working_days": Option.working_days(20)},
    fails="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A3"
        kind = "VULNERABILITY_SCREENING"
        stage = "START"
        completed_on = 2026-06-12
        level = "HIGH"
        [[contacts]]
        date = 2026-06-08
        kind = "OFFICE"
        outcome = "ATTENDED"
    """,
    passes="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A3"
        kind = "VULNERABILITY_SCREENING"
        stage = "START"
        completed_on = 2026-06-12
        level = "HIGH"
        [[contacts]]
        date = 2026-06-15
        kind = "HOME_VISIT"
        outcome = "ATTENDED"
    """,
)
def home_visit(c: CaseView, o) -> Verdict | None:
    """A home visit within 20 working days of the start where RoSH or vulnerability is Medium or above.

    Checks: where the current RoSH or vulnerability level is at or above the threshold, a HOME_VISIT
    contact dated on or after the start and on or before the 20th working day after it.
    Why: purposeful home visits to manage risk and safeguarding were expected in every relevant 2012 case
    (carried out in 90% and 86%).
    Do: arrange a home visit and record it as a contact.
    Choices: a home visit at which the child was absent (ACCEPTABLE or UNACCEPTABLE_ABSENCE) does not
    count: it was not a purposeful visit; one with no outcome recorded does.
    """
    if not (at_least(c.rosh_level, o["threshold"]) or at_least(c.vulnerability_level, o["threshold"])):
        return None
    visit = next(
        (x for x in c.contacts if x.kind is ContactKind.HOME_VISIT and x.date >= c.start
         and x.outcome in (None, ContactOutcome.ATTENDED)),
        None,
    )
    current = [x.id for x in (c.current_rosh, c.current_vulnerability) if x and at_least(x.level, o["threshold"])]
    if visit is not None:
        current.append(contact_ref(c.contacts, c.contacts.index(visit)))
    return by_deadline(
        c, "home visit", add_working_days(c.start, o["working_days"]), visit.date if visit else None,
        tuple(current), since=f"(start {c.start})",
    )

