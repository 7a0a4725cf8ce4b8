"""Planning: the intervention plan (referral order contract, sentence plan), on time, reviewed and complete."""

from __future__ import annotations

from rules.catalogue.judge import at_interval, by_deadline
from rules.facts import CaseView, at_least
from rules.model import Addresses, Plan
from rules.outcomes import Status, Verdict
from rules.registry import Option, rule

SOURCE_PLAN = "2012 Core Case Inspection, criterion 1.2 (a timely intervention plan, referral order contract or sentence plan)"
START_OPTIONS = {"working_days": Option.working_days(15), "referral_order_working_days": Option.working_days(20)}


def _addresses(plans: tuple[Plan, ...], what: Addresses) -> Plan | None:
    return next((p for p in plans if what in p.addresses), None)


@rule(
    "PLN001", "plan-on-time", severity="error", criterion="1.2", standard="Planning",
    source=SOURCE_PLAN + "; start-of-order timescales (15 working days, 20 for referral orders) from a YOS action plan after a 2012 inspection",
    options=START_OPTIONS,
    fails="""
        legal_outcome = "YOUTH_REHABILITATION_ORDER"
        start_date = 2026-06-01
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-06-30   # due 22 June
    """,
    passes="""
        legal_outcome = "REFERRAL_ORDER"
        start_date = 2026-06-01
        [[plans]]
        id = "ROC1"
        kind = "REFERRAL_ORDER_CONTRACT"
        created_on = 2026-06-25
    """,
)
def plan_on_time(c: CaseView, o) -> Verdict:
    """An intervention plan, referral order contract or sentence plan within 15 working days of the start (20 for referral orders).

    Checks: every case has a main plan (INTERVENTION_PLAN, REFERRAL_ORDER_CONTRACT or SENTENCE_PLAN)
    created on or after the start and on or before the 15th working day after it (the 20th for a
    referral order). A plan without `created_on` is a draft and does not count.
    Why: in 2012 there was a plan or contract in all but one community case, but it was timely in only 84%.
    Do: agree the plan with the child and parents or carers and record its creation.
    Choices: a main plan dated before the start belongs to an earlier order and does not count.
    """
    due = c.start_due(o["working_days"], o["referral_order_working_days"])
    first = next((p for p in c.main_plans if p.created_on >= c.start), None)
    return by_deadline(
        c, "intervention plan", due, first.created_on if first else None,
        (first.id,) if first else (), since=f"(start {c.start})",
    )


@rule(
    "PLN002", "plan-reviewed", severity="error", criterion="1.2", standard="Reviewing",
    source="2012 Core Case Inspection, criterion 1.2 (plans reviewed at appropriate intervals); YJB Case Management Guidance (reviews at least every three months)",
    options={"months": Option.months(3)},
    fails="""
        start_date = 2026-04-01
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-04-15
        [[reviews]]
        id = "R1"
        date = 2026-08-20   # due 15 July
        reviews = ["IP1"]
        reason = "SCHEDULED"
    """,
    passes="""
        start_date = 2026-04-01
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-04-15
        [[reviews]]
        id = "R1"
        date = 2026-07-14
        reviews = ["IP1"]
        reason = "SCHEDULED"
        [[reviews]]
        id = "R2"
        date = 2026-10-13
        reviews = ["IP1"]
        reason = "SCHEDULED"
    """,
)
def plan_reviewed(c: CaseView, o) -> Verdict | None:
    """The plan is reviewed at least every 3 months.

    Checks: where a main plan exists, a review listing a main plan's id at least every 3 months from the
    first main plan's creation to the end of watch. Applies once the case was open 3 months after that
    creation; before that the first review is PENDING.
    Why: a quarter of the 2012 community plans were not reviewed at appropriate intervals.
    Do: hold the plan review with the child and record it, listing the plan reviewed.
    """
    if not c.main_plans:
        return None
    first = c.main_plans[0]
    ids = {p.id for p in c.main_plans}
    done = [(r.date, r.id) for r in c.reviews if ids.intersection(r.reviews)]
    return at_interval(c, "plan review", first.created_on, first.id, done, o["months"], anchor_what=f"plan {first.id}")


@rule(
    "PLN003", "plan-addresses-risk", severity="error", criterion="1.1", standard="Planning",
    source="2012 Core Case Inspection, criterion 1.1 (the need for planning for RoH issues recognised and acted upon)",
    options={"threshold": Option.level("MEDIUM")},
    fails="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A2"
        kind = "ROSH_SCREENING"
        completed_on = 2026-06-10
        level = "MEDIUM"
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-06-15
        addresses = ["LIKELIHOOD_OF_REOFFENDING"]
    """,
    passes="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A2"
        kind = "ROSH_SCREENING"
        completed_on = 2026-06-10
        level = "MEDIUM"
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-06-15
        addresses = ["LIKELIHOOD_OF_REOFFENDING", "RISK_OF_HARM"]
    """,
)
def plan_addresses_risk(c: CaseView, o) -> Verdict | None:
    """Where RoSH is Medium or above, the plan addresses risk of harm.

    Checks: where the current RoSH level is at or above the threshold and a main plan exists, a main plan
    lists RISK_OF_HARM in `addresses`.
    Why: in one third of 2012 cases the need for planning for RoH issues had not been recognised or acted
    upon, and plans were not prioritised according to RoH in 45%.
    Do: add the work to manage risk of harm to the plan.
    """
    if not c.main_plans or not at_least(c.rosh_level, o["threshold"]):
        return None
    rosh = c.current_rosh
    hit = _addresses(c.main_plans, Addresses.RISK_OF_HARM)
    if hit:
        return Verdict(Status.MET, f"plan {hit.id} addresses risk of harm", (hit.id, rosh.id), done_on=hit.created_on)
    return Verdict(Status.NOT_MET, f"RoSH is {rosh.level.value} ({rosh.id}) but no plan addresses risk of harm",
                   (rosh.id, *(p.id for p in c.main_plans)))


def _latest_flag(c: CaseView, flag: str, yes: str, no: str) -> Verdict:
    plan = c.main_plans[-1]
    value = getattr(plan, flag)
    if value is True:
        return Verdict(Status.MET, f"plan {plan.id}: {yes}", (plan.id,), done_on=plan.created_on)
    said = "not recorded" if value is None else "recorded as no"
    return Verdict(Status.NOT_MET, f"plan {plan.id} ({plan.created_on}): {no} ({said})", (plan.id,))


@rule(
    "PLN004", "child-involved", severity="warning", criterion="1.2", standard="Planning",
    source="2012 Core Case Inspection, criterion 1.2 (child actively and meaningfully involved in planning)",
    fails="""
        start_date = 2026-06-01
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-06-15
        child_involved = false
    """,
    passes="""
        start_date = 2026-06-01
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-06-15
        child_involved = true
    """,
)
def child_involved(c: CaseView, o) -> Verdict | None:
    """The child took part in making the latest plan.

    Checks: where a main plan exists, the latest one has `child_involved = true`. Not recorded counts as
    not done.
    Why: in 23% of the 2012 community cases the child's active involvement in planning was not evidenced.
    Do: go through the plan with the child, and record that they took part.
    """
    if not c.main_plans:
        return None
    return _latest_flag(c, "child_involved", "the child took part", "the child's involvement is not evidenced")


@rule(
    "PLN005", "contact-level-recorded", severity="warning", criterion="1.2", standard="Planning",
    source="2012 Core Case Inspection, criterion 1.2 (plan did not reflect required contact levels in 28%)",
    fails="""
        legal_outcome = "YOUTH_REHABILITATION_ORDER"
        start_date = 2026-06-01
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-06-15
    """,
    passes="""
        legal_outcome = "YOUTH_REHABILITATION_ORDER"
        start_date = 2026-06-01
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-06-15
        contact_level_recorded = true
    """,
)
def contact_level_recorded(c: CaseView, o) -> Verdict | None:
    """A community plan states the contact level that national standards require.

    Checks: for a community case (FIRST_TIER or COMMUNITY) with a main plan, the latest one has
    `contact_level_recorded = true`.
    Why: the community plan did not reflect the required contact levels in 28% of 2012 cases; the child
    and the staff need to know how often they will meet.
    Do: write the Scaled Approach contact level into the plan.
    """
    if not c.is_community or not c.main_plans:
        return None
    return _latest_flag(c, "contact_level_recorded", "contact level recorded", "the required contact level is not stated")


@rule(
    "PLN006", "diversity-in-plan", severity="warning", criterion="1.2", standard="Planning",
    source="HM Inspectorate of Probation, Northamptonshire 2023: heritage, learning ability or sexuality identified but not in plans; 2012 Core Case Inspection, criterion 1.2",
    fails="""
        start_date = 2026-06-01
        [child]
        diversity_needs = ["learning disability"]
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-06-15
        addresses = ["LIKELIHOOD_OF_REOFFENDING"]
    """,
    passes="""
        start_date = 2026-06-01
        [child]
        diversity_needs = ["learning disability"]
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-06-15
        addresses = ["LIKELIHOOD_OF_REOFFENDING", "DIVERSITY"]
    """,
)
def diversity_in_plan(c: CaseView, o) -> Verdict | None:
    """Diversity needs that were identified are in the plan.

    Checks: where `child.diversity_needs` is not empty and a main plan exists, a main plan lists
    DIVERSITY in `addresses`.
    Why: inspectors keep finding a child's heritage, learning ability or sexuality identified but not
    included in plans for how they would be supervised.
    Do: add how the child's diversity needs shape the work to the plan.
    """
    needs = c.case.child.diversity_needs if c.case.child else ()
    if not needs or not c.main_plans:
        return None
    hit = _addresses(c.main_plans, Addresses.DIVERSITY)
    if hit:
        return Verdict(Status.MET, f"plan {hit.id} addresses diversity", (hit.id,), done_on=hit.created_on)
    return Verdict(Status.NOT_MET, f"diversity needs are recorded ({len(needs)}) but no plan addresses them",
                   tuple(p.id for p in c.main_plans))


@rule(
    "PLN007", "contingency-planned", severity="error", criterion="1.1", standard="Planning",
    source="2012 Core Case Inspection, criterion 2.1 (changes in RoH anticipated); YJB guidance on risk management plans",
    options={"threshold": Option.level("MEDIUM"), "working_days": Option.working_days(15), "referral_order_working_days": Option.working_days(20)},
    fails="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A2"
        kind = "ROSH_SCREENING"
        completed_on = 2026-06-10
        level = "HIGH"
        [[plans]]
        id = "RMP1"
        kind = "RISK_MANAGEMENT_PLAN"
        created_on = 2026-06-15
        addresses = ["RISK_OF_HARM"]
    """,
    passes="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A2"
        kind = "ROSH_SCREENING"
        completed_on = 2026-06-10
        level = "HIGH"
        [[plans]]
        id = "RMP1"
        kind = "RISK_MANAGEMENT_PLAN"
        created_on = 2026-06-15
        addresses = ["RISK_OF_HARM", "CONTINGENCY"]
    """,
)
def contingency_planned(c: CaseView, o) -> Verdict | None:
    """Where RoSH or vulnerability is Medium or above, a plan says what happens if things change.

    Checks: where the current RoSH or vulnerability level is at or above the threshold, a main plan, RMP
    or VMP lists CONTINGENCY in `addresses`.
    Why: changes in RoH were anticipated in only 73% of 2012 cases; a contingency plan says who does
    what when risk rises or the child goes missing.
    Do: add contingency arrangements to the RMP, VMP or intervention plan.
    Choices: with no plan at all yet, the outcome is PENDING until the plan is due (the PLN001 timescale,
    options working_days and referral_order_working_days) rather than NOT_MET on the first day.
    """
    if not (at_least(c.rosh_level, o["threshold"]) or at_least(c.vulnerability_level, o["threshold"])):
        return None
    plans = c.main_plans + c.rmps + c.vmps
    hit = _addresses(plans, Addresses.CONTINGENCY)
    if hit:
        return Verdict(Status.MET, f"plan {hit.id} sets out contingency arrangements", (hit.id,), done_on=hit.created_on)
    due = c.start_due(o["working_days"], o["referral_order_working_days"])
    if not plans and due >= c.as_of:
        return Verdict(Status.PENDING, f"a plan with contingency arrangements is due on {due}", (), due)
    if not plans:
        return Verdict(Status.NOT_MET, f"no plan sets out contingency arrangements (there is no plan; one was due on {due})", (), due)
    return Verdict(Status.NOT_MET, "no plan sets out contingency arrangements", tuple(p.id for p in plans))
