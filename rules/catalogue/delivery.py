"""Delivery, compliance and victims: contact frequency, enforcement, victim contact, reviews on change and at the end.

ENF001, ENF002, VIC001, VIC002 and REV001 judge each record on its own (an absence, a victim, an
event): a case with two unanswered absences has two ENF001 findings, and scores count each.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from rules.calendar import add_months, add_working_days
from rules.catalogue.judge import by_deadline
from rules.facts import CaseView
from rules.model import (
    AssessmentKind,
    Enforcement,
    EnforcementKind,
    EventKind,
    InterventionLevel,
    OutcomeGroup,
    ReviewReason,
    Stage,
)
from rules.outcomes import Status, Verdict
from rules.registry import Option, rule
from rules.words import plural

# -- CON001 -------------------------------------------------------------------------------------

def _contacts(default: int) -> Option:
    return Option.count(default, 0, 100, "contacts a block")


CONTACT_OPTIONS = {
    "block_days": Option.count(28, 7, 91, "days"), "first_blocks": Option.count(3, 0, 52, "blocks"),
    "intensive_first": _contacts(8), "enhanced_first": _contacts(4), "standard_first": _contacts(2),
    "intensive_after": _contacts(4), "enhanced_after": _contacts(2), "standard_after": _contacts(1),
}


@rule(
    "CON001", "contact-frequency", severity="error", criterion="2.2", standard="Implementation and delivery",
    source="Scaled Approach minimum contacts (8/4/2 then 4/2/1 a month, first 12 weeks): a local enforcement procedure quoting the 2009-13 national standards",
    options=CONTACT_OPTIONS,
    fails="""
        legal_outcome = "YOUTH_REHABILITATION_ORDER"
        start_date = 2026-09-01
        intervention_level = "ENHANCED"
        [[contacts]]
        date = 2026-09-03
        kind = "OFFICE"
        outcome = "ATTENDED"
        [[contacts]]
        date = 2026-09-10
        kind = "HOME_VISIT"
        outcome = "ATTENDED"
        # only 2 contacts in the first 4 weeks (1-28 September): ENHANCED needs 4
    """,
    passes="""
        legal_outcome = "REFERRAL_ORDER"
        start_date = 2026-10-01
        intervention_level = "STANDARD"
        [[contacts]]
        date = 2026-10-02
        kind = "OFFICE"
        outcome = "ATTENDED"
        [[contacts]]
        date = 2026-10-16
        kind = "OFFICE"
        outcome = "UNACCEPTABLE_ABSENCE"
    """,
)
def contact_frequency(c: CaseView, o) -> Verdict | None:
    """Contacts at least as often as the child's Scaled Approach intervention level requires.

    Checks: for a community case (FIRST_TIER or COMMUNITY) with an `intervention_level`, every complete
    4-week block from the start (block i runs from start + 28i days to start + 28(i+1) - 1) that ends
    before the end of watch has at least the minimum number of contacts, of any outcome: INTENSIVE 8,
    ENHANCED 4, STANDARD 2 in each of the first three blocks (12 weeks), then INTENSIVE 4, ENHANCED 2,
    STANDARD 1.
    Why: the Scaled Approach sets contact by assessed risk; too few contacts means the plan is not being
    delivered, and absences go unanswered.
    Do: book the missing appointments, and record every contact (including absences) in the contact log.
    Choices: contacts of any outcome count, as the catalogue says: an absence is a contact offered; the
    enforcement rules judge the absence itself.
    """
    level = c.case.intervention_level
    if not c.is_community or level is None:
        return None
    size, first_blocks = o["block_days"], o["first_blocks"]
    key = {InterventionLevel.INTENSIVE: "intensive", InterventionLevel.ENHANCED: "enhanced", InterventionLevel.STANDARD: "standard"}[level]
    start, end = c.start, c.end_of_watch
    complete = max(0, ((end - start).days) // size)  # blocks whose last day is before the end of watch
    counts = Counter((x.date - start).days // size for x in c.contacts if x.date >= start)

    def minimum(i: int) -> int:
        return o[f"{key}_first"] if i < first_blocks else o[f"{key}_after"]

    def span(i: int) -> tuple[dt.date, dt.date]:
        return start + dt.timedelta(days=size * i), start + dt.timedelta(days=size * (i + 1) - 1)

    short = [i for i in range(complete) if counts[i] < minimum(i)]
    current_from, current_to = span(complete)
    now = f"{counts[complete]} of {minimum(complete)} so far in the block to {current_to}"
    if short:
        i = short[-1]
        a, b = span(i)
        more = f" ({len(short)} of {complete} complete blocks short in all)" if len(short) > 1 else ""
        return Verdict(
            Status.NOT_MET,
            f"{level.value}: {plural(counts[i], 'contact')} from {a} to {b}, fewer than the {minimum(i)} required{more}",
            (), b,
        )
    # the block under way: a reminder only while it is still short of its minimum
    still_short = c.closed_on is None and counts[complete] < minimum(complete)
    if complete == 0:
        if c.closed_on is not None:
            return None
        return Verdict(Status.PENDING, f"{level.value}: at least {minimum(0)} contacts due by {current_to} ({now})", (),
                       current_to if still_short else None)
    next_due = current_to if still_short else None
    tail = f"; {now}" if c.closed_on is None else ""
    blocks = "the one complete 4-week block" if complete == 1 else f"all {complete} complete 4-week blocks"
    return Verdict(Status.MET, f"{level.value}: the minimum contacts were made in {blocks}{tail}", next_due=next_due)


# -- enforcement --------------------------------------------------------------------------------


def _answer(c: CaseView, day: dt.date, due: dt.date, kinds: set[EnforcementKind], next_absence: dt.date | None) -> Enforcement | None:
    """The enforcement record that answers the absence of ``day``: the earliest of ``kinds`` dated on or
    after it that names it in ``relates_to``, or names no date and falls within the timescale (or, late,
    before the next absence)."""
    for e in c.enforcement:
        if e.kind not in kinds or e.date < day:
            continue
        if e.relates_to == day:
            return e
        if e.relates_to is None and (e.date <= due or next_absence is None or e.date < next_absence):
            return e
    return None


@rule(
    "ENF001", "warning-issued", severity="error", criterion="3.1", standard="Implementation and delivery",
    source="Criminal Justice and Immigration Act 2008, Sch 2; Sentencing Act 2020, Sch 7; 2012 Core Case Inspection, criterion 3.1 (warning letters not sent)",
    options={"working_days": Option.working_days(5)}, per_record=True,
    fails="""
        legal_outcome = "YOUTH_REHABILITATION_ORDER"
        start_date = 2026-06-01
        [[contacts]]
        date = 2026-07-01
        kind = "OFFICE"
        outcome = "UNACCEPTABLE_ABSENCE"
        [[enforcement]]
        date = 2026-07-20          # due 5 working days after 1 July: 8 July
        kind = "WARNING"
        relates_to = 2026-07-01
    """,
    passes="""
        legal_outcome = "YOUTH_REHABILITATION_ORDER"
        start_date = 2026-06-01
        [[contacts]]
        date = 2026-07-01
        kind = "OFFICE"
        outcome = "UNACCEPTABLE_ABSENCE"
        [[enforcement]]
        date = 2026-07-03
        kind = "WARNING"
    """,
)
def warning_issued(c: CaseView, o) -> list[Verdict] | None:
    """Each unacceptable absence is answered by a warning (or breach) within 5 working days.

    Checks: for each UNACCEPTABLE_ABSENCE contact, a WARNING or BREACH dated on or after the absence and
    on or before the 5th working day after it. An enforcement record whose `relates_to` names another
    date answers only that absence; one with no `relates_to` answers any absence it follows in time.
    Why: in almost a third of the 2012 cases of non-compliance the response was insufficient, mainly
    because absences were not recorded and warning letters not sent.
    Do: send the warning letter and record it as enforcement, naming the absence in `relates_to`.
    Choices: a warning after the timescale is "late" if it names the absence, or names none and comes
    before the next absence; otherwise the absence is "overdue".
    """
    absences = c.absences
    if not absences:
        return None
    out = []
    for i, (x, ref) in enumerate(absences):
        due = add_working_days(x.date, o["working_days"])
        nxt = absences[i + 1][0].date if i + 1 < len(absences) else None
        e = _answer(c, x.date, due, {EnforcementKind.WARNING, EnforcementKind.BREACH}, nxt)
        out.append(by_deadline(c, f"warning for the absence of {x.date}", due, e.date if e else None, (ref,), record=ref))
    return out


@rule(
    "ENF002", "breach-after-warnings", severity="error", criterion="3.1", standard="Implementation and delivery",
    source="Criminal Justice and Immigration Act 2008, Sch 2; Sentencing Act 2020, Sch 7 (breach after two warnings in 12 months)",
    options={"working_days": Option.working_days(10), "warnings": Option.count(2, 1, 10, "warnings"),
             "months": Option.months(12)},
    per_record=True,
    fails="""
        legal_outcome = "YOUTH_REHABILITATION_ORDER"
        start_date = 2026-03-02
        [[contacts]]
        date = 2026-04-01
        outcome = "UNACCEPTABLE_ABSENCE"
        [[contacts]]
        date = 2026-05-06
        outcome = "UNACCEPTABLE_ABSENCE"
        [[contacts]]
        date = 2026-06-03
        outcome = "UNACCEPTABLE_ABSENCE"
        [[enforcement]]
        date = 2026-04-02
        kind = "WARNING"
        relates_to = 2026-04-01
        [[enforcement]]
        date = 2026-05-07
        kind = "WARNING"
        relates_to = 2026-05-06
        # third absence after two warnings: no breach and no compliance panel
    """,
    passes="""
        legal_outcome = "YOUTH_REHABILITATION_ORDER"
        start_date = 2026-03-02
        [[contacts]]
        date = 2026-04-01
        outcome = "UNACCEPTABLE_ABSENCE"
        [[contacts]]
        date = 2026-05-06
        outcome = "UNACCEPTABLE_ABSENCE"
        [[contacts]]
        date = 2026-06-03
        outcome = "UNACCEPTABLE_ABSENCE"
        [[enforcement]]
        date = 2026-04-02
        kind = "WARNING"
        relates_to = 2026-04-01
        [[enforcement]]
        date = 2026-05-07
        kind = "WARNING"
        relates_to = 2026-05-06
        [[enforcement]]
        date = 2026-06-10
        kind = "BREACH"
        relates_to = 2026-06-03
    """,
)
def breach_after_warnings(c: CaseView, o) -> list[Verdict] | None:
    """After two warnings in 12 months, a further unacceptable absence leads to breach action within 10 working days.

    Checks: for a COMMUNITY case, each UNACCEPTABLE_ABSENCE that follows two WARNINGs dated within the 12
    months before it is answered by a BREACH or COMPLIANCE_PANEL dated on or after it and on or before
    the 10th working day after it (`relates_to` as for ENF001).
    Why: the law on youth rehabilitation orders allows two warnings in twelve months; a third failure
    must go back to court or to a compliance panel.
    Do: start breach proceedings or convene a compliance panel, and record it naming the absence.
    Choices: warnings dated on the day of the absence or after it do not count among the two before it.
    First-tier (referral order) cases are left out, as the catalogue limits the rule to COMMUNITY.
    """
    if c.group is not OutcomeGroup.COMMUNITY:
        return None
    warnings = [e.date for e in c.enforcement if e.kind is EnforcementKind.WARNING]
    absences = c.absences
    out = []
    for i, (x, ref) in enumerate(absences):
        since = add_months(x.date, -o["months"])
        if sum(1 for d in warnings if since <= d < x.date) < o["warnings"]:
            continue
        due = add_working_days(x.date, o["working_days"])
        nxt = absences[i + 1][0].date if i + 1 < len(absences) else None
        e = _answer(c, x.date, due, {EnforcementKind.BREACH, EnforcementKind.COMPLIANCE_PANEL}, nxt)
        out.append(by_deadline(c, f"breach action for the absence of {x.date}", due, e.date if e else None, (ref,), record=ref,
                               since=f"(after {o['warnings']} warnings in {o['months']} months)"))
    return out or None


# -- victims ------------------------------------------------------------------------------------


def _victim_ref(i: int, v) -> str:
    return v.id if v.id else f"victims[{i}]"


@rule(
    "VIC001", "victim-contact-offered", severity="error", criterion="2.1", standard="Implementation and delivery",
    source="YJB guidance on work with victims and restorative justice (Victims' Code duties)",
    options={"working_days": Option.working_days(10)}, per_record=True,
    fails="""
        start_date = 2026-06-01
        [[victims]]
        id = "V1"
        identified_on = 2026-06-02
        contact_offered_on = 2026-06-30   # due 16 June
    """,
    passes="""
        start_date = 2026-06-01
        [[victims]]
        id = "V1"
        identified_on = 2026-06-02
        declined = true
    """,
)
def victim_contact_offered(c: CaseView, o) -> list[Verdict] | None:
    """Each identified victim is offered contact within 10 working days.

    Checks: for each victim with `identified_on`, either `declined = true`, or `contact_offered_on` on or
    before the 10th working day after `identified_on`.
    Why: the Victims' Code gives victims a right to be offered contact; in 2012 not all case managers
    understood when a case required statutory victim contact.
    Do: offer the victim contact (restorative justice, information) and record the date.
    """
    out = []
    for i, v in enumerate(c.victims):
        if v.identified_on is None or v.identified_on > c.as_of:
            continue
        ref = _victim_ref(i, v)
        if v.declined is True:
            out.append(Verdict(Status.MET, f"victim {ref} declined contact", (ref,), record=ref))
            continue
        offered = v.contact_offered_on if v.contact_offered_on is not None and v.contact_offered_on <= c.as_of else None
        due = add_working_days(v.identified_on, o["working_days"])
        out.append(by_deadline(c, f"offer of contact to victim {ref}", due, offered, (ref,), record=ref,
                               since=f"(identified {v.identified_on})"))
    return out or None


@rule(
    "VIC002", "victim-views-recorded", severity="warning", criterion="2.1", standard="Implementation and delivery",
    source="YJB guidance on work with victims and restorative justice; Stockton-on-Tees 2010 inspection (greater attention to victims' issues)",
    per_record=True,
    fails="""
        start_date = 2026-06-01
        [[victims]]
        id = "V1"
        identified_on = 2026-06-02
        contact_offered_on = 2026-06-05
        views_recorded = false
    """,
    passes="""
        start_date = 2026-06-01
        [[victims]]
        id = "V1"
        identified_on = 2026-06-02
        contact_offered_on = 2026-06-05
        views_recorded = true
    """,
)
def victim_views_recorded(c: CaseView, o) -> list[Verdict] | None:
    """The views of each victim who did not decline are recorded.

    Checks: for each victim who did not decline (`declined` is not true), `views_recorded = true`.
    Why: the victim's views shape reparation and the risk management plan; one victim in the 2012
    survey asked to know how far their wishes for reparation had been taken into account.
    Do: record the victim's views (or the attempts to obtain them) on the case file.
    Choices: there is no timescale, as in the catalogue: a victim identified yesterday whose views are
    not yet recorded is already a warning.
    """
    out = []
    for i, v in enumerate(c.victims):
        if v.declined is True or (v.identified_on is not None and v.identified_on > c.as_of):
            continue
        ref = _victim_ref(i, v)
        if v.views_recorded is True:
            out.append(Verdict(Status.MET, f"victim {ref}: views recorded", (ref,), record=ref))
        else:
            out.append(Verdict(Status.NOT_MET, f"victim {ref}: views not recorded", (ref,), record=ref))
    return out or None


# -- reviews ------------------------------------------------------------------------------------

CHANGE_EVENTS = frozenset({
    EventKind.SIGNIFICANT_CHANGE, EventKind.NEW_OFFENCE, EventKind.CUSTODY, EventKind.RELEASE, EventKind.CHANGE_OF_ADDRESS,
})


@rule(
    "REV001", "review-after-change", severity="error", criterion="2.1", standard="Reviewing",
    source="YJB Case Management Guidance (review on significant change); 2012 Core Case Inspection, criterion 2.1 (not reviewed after significant change 59% of the time)",
    options={"working_days": Option.working_days(10)}, per_record=True,
    fails="""
        start_date = 2026-06-01
        [[events]]
        id = "E1"
        date = 2026-08-03
        kind = "NEW_OFFENCE"
        description = "arrested for a further offence"
    """,
    passes="""
        start_date = 2026-06-01
        [[events]]
        id = "E1"
        date = 2026-08-03
        kind = "NEW_OFFENCE"
        [[reviews]]
        id = "R1"
        date = 2026-08-12
        reason = "SIGNIFICANT_CHANGE"
    """,
)
def review_after_change(c: CaseView, o) -> list[Verdict] | None:
    """A review within 10 working days of each significant change.

    Checks: for each event of kind SIGNIFICANT_CHANGE, NEW_OFFENCE, CUSTODY, RELEASE or CHANGE_OF_ADDRESS,
    a review, or a CORE, RoSH or vulnerability assessment with stage REVIEW, dated on or after the event
    and on or before the 10th working day after it.
    Why: where there was a significant change, RoH was not reviewed thoroughly 59% of the time in 2012.
    Do: review the assessment and plans in the light of the change, and record the review.
    """
    events = [e for e in c.events if e.kind in CHANGE_EVENTS]
    if not events:
        return None
    review_days = [(r.date, r.id) for r in c.reviews]
    review_days += [(x.completed_on, x.id) for x in c.completed if x.stage is Stage.REVIEW]
    review_days.sort(key=lambda t: t[0])
    out = []
    for i, e in enumerate(events):
        ref = e.id or f"event {e.date}"
        due = add_working_days(e.date, o["working_days"])
        hit = next(((d, rid) for d, rid in review_days if d >= e.date), None)
        evidence = (ref,) + ((hit[1],) if hit and hit[1] else ())
        out.append(by_deadline(c, f"review after the {e.kind.value.lower().replace('_', ' ')} of {e.date}", due,
                               hit[0] if hit else None, evidence, record=ref))
    return out


@rule(
    "REV002", "end-of-order-review", severity="warning", criterion="3.2", standard="Reviewing",
    source="YJB assessment guidance (Asset at the start and end of every intervention); 2012 Core Case Inspection, criterion 3.2",
    options={"working_days": Option.working_days(10)},
    fails="""
        start_date = 2026-01-05
        closed_on = 2026-07-03
        [[assessments]]
        id = "A9"
        kind = "CORE"
        stage = "END"
        completed_on = 2026-05-01   # long before the end: not the end-of-order assessment
    """,
    passes="""
        start_date = 2026-01-05
        closed_on = 2026-07-03
        [[reviews]]
        id = "R9"
        date = 2026-06-26
        reason = "END_OF_ORDER"
    """,
)
def end_of_order_review(c: CaseView, o) -> Verdict | None:
    """A closed case has an end assessment or end-of-order review around its close.

    Checks: where `closed_on` is set (on or before the as-of date), a CORE assessment with stage END, or a
    review with reason END_OF_ORDER, dated from the 10th working day before `closed_on` to the 10th
    working day after it.
    Why: the end assessment shows what changed and what must be sustained; outcomes were sustained only
    where action was taken to make them so (2012 criterion 3.2).
    Do: complete the end-of-order assessment or review and record it.
    Choices: one dated before the window is too early to count and the case is judged as if it had none.
    """
    closed = c.closed_on
    if closed is None:
        return None
    n = o["working_days"]
    opens, due = add_working_days(closed, -n), add_working_days(closed, n)
    found = [(x.completed_on, x.id) for x in c.completed if x.kind is AssessmentKind.CORE and x.stage is Stage.END]
    found += [(r.date, r.id) for r in c.reviews if r.reason is ReviewReason.END_OF_ORDER]
    found = sorted(t for t in found if t[0] >= opens)
    hit = found[0] if found else None
    return by_deadline(c, "end-of-order review", due, hit[0] if hit else None, (hit[1],) if hit and hit[1] else (),
                       since=f"(closed {closed}; the window opens {opens})", at_close=True)
