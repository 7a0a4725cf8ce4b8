"""Risk of harm to others: RoSH screening and analysis, the risk management plan, MAPPA, victims."""

from __future__ import annotations

from rules.calendar import add_working_days
from rules.catalogue._shared import integrated, plan_on_time, plan_required
from rules.catalogue.judge import at_interval, by_deadline
from rules.facts import CaseView
from rules.model import Addresses, Stage
from rules.outcomes import Status, Verdict
from rules.registry import Option, rule

SOURCE_START = "Start-of-order timescales (15 working days, 20 for referral orders): a YOS action plan after a 2012 inspection; YJB Asset guidance"
SOURCE_RMP = "2012 Core Case Inspection, criterion 1.1 (an RMP where required, timely); YJB Asset guidance (RoSH levels Low to Very High)"


def _screenings(c: CaseView):
    return [x for x in c.rosh_screenings if c.belongs_to_order(x)]


@rule(
    "ROH001", "rosh-screening-on-time", severity="error", criterion="1.1", standard="Assessment",
    source=SOURCE_START, options={"working_days": Option.working_days(15), "referral_order_working_days": Option.working_days(20)},
    fails="""
        legal_outcome = "YOUTH_REHABILITATION_ORDER"
        start_date = 2026-06-01
        # no RoSH screening at all: it was due on 2026-06-22
    """,
    passes="""
        legal_outcome = "YOUTH_REHABILITATION_ORDER"
        start_date = 2026-06-01
        [[assessments]]
        id = "A1"
        kind = "ROSH_SCREENING"
        stage = "START"
        completed_on = 2026-06-12
        level = "LOW"
    """,
)
def rosh_screening_on_time(c: CaseView, o) -> Verdict:
    """A Risk of Serious Harm screening completed within 15 working days of the start (20 for referral orders).

    Checks: every case has a ROSH_SCREENING completed on or before the 15th working day after the start
    (the 20th for a referral order). A screening counts if completed on or after the start, or at the
    PSR stage no more than 3 months before it.
    Why: the 2012 inspection found the RoSH screening not completed in 16% of cases and late in 23%;
    without it, nobody knows whether the child poses a risk of serious harm to others.
    Do: complete the RoSH screening in the assessment tool and record its completion date.
    Choices: screenings from before the start count only when done for the pre-sentence report within
    3 months of the start (as for the start assessment); an older screening belongs to an earlier order.
    """
    due = c.start_due(o["working_days"], o["referral_order_working_days"])
    first = next(iter(_screenings(c)), None)
    return by_deadline(
        c, "RoSH screening", due, first.completed_on if first else None,
        (first.id,) if first else (), since=f"(start {c.start})",
    )


@rule(
    "ROH002", "rosh-full-analysis", severity="error", criterion="1.1", standard="Assessment",
    source="YJB Asset guidance: a full RoSH analysis when the screening indicates it; 2012 Core Case Inspection, criterion 1.1",
    options={"working_days": Option.working_days(10)},
    fails="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A1"
        kind = "ROSH_SCREENING"
        stage = "START"
        completed_on = 2026-06-12
        full_analysis_required = true
        [[assessments]]
        id = "A2"
        kind = "ROSH_FULL"
        completed_on = 2026-07-10   # due 10 working days after 12 June: 26 June
    """,
    passes="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A1"
        kind = "ROSH_SCREENING"
        stage = "START"
        completed_on = 2026-06-12
        full_analysis_required = true
        [[assessments]]
        id = "A2"
        kind = "ROSH_FULL"
        completed_on = 2026-06-24
        level = "MEDIUM"
    """,
)
def rosh_full_analysis(c: CaseView, o) -> Verdict | None:
    """A full RoSH analysis within 10 working days when the screening says one is needed.

    Checks: where a completed ROSH_SCREENING has `full_analysis_required = true`, a ROSH_FULL completed
    on or after the first such screening and on or before the 10th working day after it.
    Why: a full analysis was required in 57% of the 2012 cases; it was on time in only 79% of them.
    Do: complete the full RoSH analysis the screening called for.
    Choices: only screenings of this order count (as for ROH001: completed on or after the start, or
    at the PSR stage within 3 months before it); a screening from an earlier order is that order's.
    """
    trigger = next((x for x in _screenings(c) if x.full_analysis_required), None)
    if trigger is None:
        return None
    due = add_working_days(trigger.completed_on, o["working_days"])
    full = next((x for x in c.rosh_full_analyses if x.completed_on >= trigger.completed_on), None)
    return by_deadline(
        c, "full RoSH analysis", due, full.completed_on if full else None,
        tuple(x.id for x in (trigger, full) if x), since=f"(screening {trigger.id} of {trigger.completed_on} asked for one)",
    )


@rule(
    "ROH003", "rmp-required", severity="error", criterion="1.1", standard="Planning",
    source=SOURCE_RMP, options={"threshold": Option.level("MEDIUM"), "working_days": Option.working_days(10)},
    fails="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A2"
        kind = "ROSH_SCREENING"
        stage = "START"
        completed_on = 2026-06-19
        level = "HIGH"
    """,
    passes="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A2"
        kind = "ROSH_SCREENING"
        stage = "START"
        completed_on = 2026-06-19
        level = "HIGH"
        [[plans]]
        id = "RMP1"
        kind = "RISK_MANAGEMENT_PLAN"
        created_on = 2026-06-26
    """,
)
def rmp_required(c: CaseView, o) -> Verdict | None:
    """A risk management plan where the current RoSH level is Medium or above.

    Checks: where the current RoSH level (the latest completed full analysis with a level, or else the
    latest screening) is at or above the threshold (default MEDIUM), a RISK_MANAGEMENT_PLAN with
    `created_on` set, on or before the as-of date.
    Why: an RMP was completed in 22 of 24 cases where required in the 2012 inspection; where there
    is none, nothing says how the risk is to be managed.
    Do: write the risk management plan, with roles and responsibilities and victim safety, and
    record its creation.
    Choices: the catalogue sets no timescale of its own; the plan is PENDING until the RMP timescale
    (option working_days, default 10 working days from the first completed RoSH assessment at the
    threshold, as for ROH004) and overdue after it.
    """
    return plan_required(
        c, c.current_rosh, c.rosh_assessments, c.rmps, o["threshold"], o["working_days"],
        "RoSH", "risk management plan",
    )


@rule(
    "ROH004", "rmp-on-time", severity="error", criterion="1.1", standard="Planning",
    source=SOURCE_RMP, options={"threshold": Option.level("MEDIUM"), "working_days": Option.working_days(10)},
    fails="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A2"
        kind = "ROSH_SCREENING"
        stage = "START"
        completed_on = 2026-06-19
        level = "HIGH"
        [[plans]]
        id = "RMP1"
        kind = "RISK_MANAGEMENT_PLAN"
        created_on = 2026-07-20   # due 10 working days after 19 June: 3 July
    """,
    passes="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A2"
        kind = "ROSH_SCREENING"
        stage = "START"
        completed_on = 2026-06-19
        level = "HIGH"
        [[plans]]
        id = "RMP1"
        kind = "RISK_MANAGEMENT_PLAN"
        created_on = 2026-07-03
    """,
)
def rmp_on_time(c: CaseView, o) -> Verdict | None:
    """The risk management plan is made within 10 working days of the first RoSH assessment at Medium or above.

    Checks: where ROH003 applies, the earliest RISK_MANAGEMENT_PLAN was created on or before the 10th
    working day after the first completed RoSH assessment (screening or full) at or above the threshold.
    Why: in the 2012 inspection a quarter of RMPs were not timely; a plan written weeks after the risk
    was known leaves those weeks unmanaged.
    Do: complete the RMP now and record the reason for the delay.
    Choices: where the first assessment at the threshold came before the start of this order (a level
    known from an earlier order), the 10 working days run from the start. ROH003 uses the same due date.
    """
    return plan_on_time(
        c, c.current_rosh, c.rosh_assessments, c.rmps, o["threshold"], o["working_days"],
        "RoSH", "risk management plan",
    )


@rule(
    "ROH005", "rmp-victim-safety", severity="error", criterion="1.1", standard="Planning",
    source="2012 Core Case Inspection, criterion 2.1 (victim safety); Stockton-on-Tees 2010 inspection: victims in RMPs",
    fails="""
        start_date = 2026-06-01
        [[plans]]
        id = "RMP1"
        kind = "RISK_MANAGEMENT_PLAN"
        created_on = 2026-06-26
        addresses = ["RISK_OF_HARM"]
        [[victims]]
        id = "V1"
        identified_on = 2026-06-02
    """,
    passes="""
        start_date = 2026-06-01
        [[plans]]
        id = "RMP1"
        kind = "RISK_MANAGEMENT_PLAN"
        created_on = 2026-06-26
        addresses = ["RISK_OF_HARM", "VICTIM_SAFETY"]
        [[victims]]
        id = "V1"
        identified_on = 2026-06-02
    """,
)
def rmp_victim_safety(c: CaseView, o) -> Verdict | None:
    """Where there are victims, the risk management plan addresses their safety.

    Checks: where an RMP exists and the case has victims, the latest RMP lists VICTIM_SAFETY in
    `addresses`.
    Why: insufficient attention was given to victim safety in 38% of relevant 2012 cases; inspectors
    recommend RMPs that specifically address victims' issues.
    Do: add the victims' safety to the risk management plan: who is at risk, and what keeps them safe.
    Choices: the latest RMP is the one judged, since it is the plan in force.
    """
    if not c.rmps or not c.victims:
        return None
    rmp = c.rmps[-1]
    if Addresses.VICTIM_SAFETY in rmp.addresses:
        return Verdict(Status.MET, f"risk management plan {rmp.id} addresses victim safety", (rmp.id,), done_on=rmp.created_on)
    return Verdict(Status.NOT_MET, f"the case has {len(c.victims)} victim(s) but risk management plan {rmp.id} ({rmp.created_on}) does not address victim safety", (rmp.id,))


@rule(
    "ROH006", "rmp-integrated", severity="error", criterion="1.1", standard="Planning",
    source="2012 Core Case Inspection, criterion 1.2 (RMP not integrated in 32%); Stockton-on-Tees 2010 inspection recommendation",
    fails="""
        start_date = 2026-06-01
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-06-20
        incorporates = []
        [[plans]]
        id = "RMP1"
        kind = "RISK_MANAGEMENT_PLAN"
        created_on = 2026-06-26
    """,
    passes="""
        start_date = 2026-06-01
        [[plans]]
        id = "IP1"
        kind = "INTERVENTION_PLAN"
        created_on = 2026-06-20
        incorporates = ["RMP1"]
        [[plans]]
        id = "RMP1"
        kind = "RISK_MANAGEMENT_PLAN"
        created_on = 2026-06-26
    """,
)
def rmp_integrated(c: CaseView, o) -> Verdict | None:
    """The risk management plan is built into the intervention plan.

    Checks: where an RMP exists, a main plan (intervention plan, referral order contract or sentence
    plan) lists the latest RMP's id in `incorporates`.
    Why: in 32% of relevant 2012 cases the RMP had not been integrated into the plan or contract, so
    the work to manage risk was not part of the work actually delivered.
    Do: update the intervention plan so that it includes the RMP's actions, and record that it does.
    Choices: the latest RMP must be integrated; an older one that was replaced need not be.
    """
    if not c.rmps:
        return None
    return integrated(c, c.rmps[-1], "risk management plan")


@rule(
    "ROH007", "rosh-reviewed", severity="error", criterion="2.1", standard="Reviewing",
    source="2012 Core Case Inspection, criterion 2.1 (RoH reviewed no later than three months from the start); YJB Case Management Guidance",
    options={"months": Option.months(3)},
    fails="""
        start_date = 2026-05-04
        [[assessments]]
        id = "A1"
        kind = "ROSH_SCREENING"
        stage = "START"
        completed_on = 2026-05-15
        level = "MEDIUM"
        # never reviewed: due 2026-08-04
    """,
    passes="""
        start_date = 2026-05-04
        [[assessments]]
        id = "A1"
        kind = "ROSH_SCREENING"
        stage = "START"
        completed_on = 2026-05-15
        level = "MEDIUM"
        [[assessments]]
        id = "A2"
        kind = "ROSH_SCREENING"
        stage = "REVIEW"
        completed_on = 2026-08-03
        level = "MEDIUM"
        [[reviews]]
        id = "R1"
        date = 2026-10-30
        reviews = ["A2"]
        reason = "SCHEDULED"
    """,
)
def rosh_reviewed(c: CaseView, o) -> Verdict | None:
    """Risk of harm is reviewed within 3 months of the start and at least every 3 months after.

    Checks: where a RoSH assessment exists, a RoSH assessment (screening or full) completed with stage
    REVIEW, or a review listing a RoSH assessment or an RMP, within 3 months of the start, and no later
    gap over 3 months until the end of watch. Applies once the case was open 3 months after the start.
    Why: RoH was not reviewed thoroughly within three months of the start in 44% of the 2012 cases.
    Do: review the RoSH assessment and the RMP, and record the review.
    """
    rosh = c.rosh_assessments
    if not rosh:
        return None
    watched = {x.id for x in rosh} | {p.id for p in c.rmps}
    done = [(x.completed_on, x.id) for x in rosh if x.stage is Stage.REVIEW]
    done += [(r.date, r.id) for r in c.reviews if watched.intersection(r.reviews)]
    return at_interval(c, "RoSH review", c.start, None, done, o["months"], anchor_what="the start")


@rule(
    "ROH008", "mappa-notified", severity="error", criterion="1.1", standard="Planning",
    source="2012 Core Case Inspection, criterion 1.1 (MAPPA notification and referral)",
    fails="""
        start_date = 2026-06-01
        [mappa]
        eligible = true
        category = 1
    """,
    passes="""
        start_date = 2026-06-01
        [mappa]
        eligible = true
        category = 1
        level = 1
        notified_on = 2026-06-05
    """,
)
def mappa_notified(c: CaseView, o) -> Verdict | None:
    """A MAPPA-eligible case has been notified to MAPPA.

    Checks: where `mappa.eligible = true`, `mappa.notified_on` is set (on or before the as-of date).
    Why: inspectors found confusion among case managers about what constituted a MAPPA case and when
    it had to be notified; an eligible child who is not notified is outside the multi-agency arrangements.
    Do: notify the MAPPA coordinator and record the date.
    """
    m = c.case.mappa
    if m is None or m.eligible is not True:
        return None
    if m.notified_on is not None and m.notified_on <= c.as_of:
        return Verdict(Status.MET, f"MAPPA notified on {m.notified_on}", done_on=m.notified_on)
    return Verdict(Status.NOT_MET, "the case is MAPPA-eligible but no MAPPA notification is recorded")


@rule(
    "ROH009", "victims-in-rosh", severity="warning", criterion="1.1", standard="Assessment",
    source="2012 Core Case Inspection, criterion 1.1 (the RoH assessment takes victims' issues into account)",
    fails="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A2"
        kind = "ROSH_FULL"
        completed_on = 2026-06-24
        level = "MEDIUM"
        victims_considered = false
        [[victims]]
        id = "V1"
        identified_on = 2026-06-02
    """,
    passes="""
        start_date = 2026-06-01
        [[assessments]]
        id = "A2"
        kind = "ROSH_FULL"
        completed_on = 2026-06-24
        level = "MEDIUM"
        victims_considered = true
        [[victims]]
        id = "V1"
        identified_on = 2026-06-02
    """,
)
def victims_in_rosh(c: CaseView, o) -> Verdict | None:
    """The full RoSH analysis takes the victims into account.

    Checks: where the case has victims and a ROSH_FULL is completed, the latest one has
    `victims_considered = true`. Not recorded counts as not done.
    Why: in a quarter of the 2012 cases the RoH assessment drew insufficiently on information from
    victims; the 2012 general criterion asks that RoH assessment take victims' issues into account.
    Do: revise the full RoSH analysis to consider the victims' circumstances and safety.
    """
    fulls = c.rosh_full_analyses
    if not fulls or not c.victims:
        return None
    last = fulls[-1]
    if last.victims_considered is True:
        return Verdict(Status.MET, f"full RoSH analysis {last.id} considers the victims", (last.id,), done_on=last.completed_on)
    said = "does not record whether it took" if last.victims_considered is None else "records that it did not take"
    return Verdict(Status.NOT_MET, f"full RoSH analysis {last.id} ({last.completed_on}) {said} the victims into account", (last.id,))
