"""What the rules need to know about one case as of the audit date: the catalogue's "Terms".

Every fact a rule uses (the start assessment, the current RoSH level, the main plans, ...) is one small
property here, computed once per case however many rules ask. A profile for AssetPlus records can swap
these (where a level or a plan comes from) without touching the rules' logic.

Nothing dated after the as-of date exists: records completed, created or dated later are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from operator import attrgetter

from rules.calendar import add_months, add_working_days
from rules.model import (
    MAIN_PLAN_KINDS,
    Assessment,
    AssessmentKind,
    Case,
    Contact,
    ContactOutcome,
    Enforcement,
    Event,
    LegalOutcome,
    Level,
    OutcomeGroup,
    Oversight,
    Plan,
    PlanKind,
    Review,
    Stage,
    Victim,
)

ROSH_KINDS = frozenset({AssessmentKind.ROSH_SCREENING, AssessmentKind.ROSH_FULL})
VULNERABILITY_KINDS = frozenset({AssessmentKind.VULNERABILITY_SCREENING, AssessmentKind.VULNERABILITY_FULL})
COURT_GROUPS = frozenset({OutcomeGroup.FIRST_TIER, OutcomeGroup.COMMUNITY, OutcomeGroup.CUSTODY})
COMMUNITY_GROUPS = frozenset({OutcomeGroup.FIRST_TIER, OutcomeGroup.COMMUNITY})
#: how long before the start a pre-sentence (PSR) assessment may stand as the start assessment
PSR_MONTHS = 3


class cached_property:  # noqa: N801 - functools' name, without its lock (3.11 takes one per access)
    """A value computed once per CaseView, on first use: the view is used by one thread at a time."""

    def __init__(self, fn) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__

    def __get__(self, obj, cls=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)  # the instance's value hides this descriptor
        return value


_DATE, _COMPLETED_ON, _CREATED_ON = attrgetter("date"), attrgetter("completed_on"), attrgetter("created_on")
_RANK = {"LOW": 0, "MEDIUM": 1, "HIGH": 2, "VERY_HIGH": 3}  # Level is a StrEnum: it keys this too


def at_least(level: Level | None, threshold: Level | str) -> bool:
    return level is not None and _RANK[level] >= _RANK[threshold]


def _contact_name(day: dt.date, n: int) -> str:
    return f"contact {day}" + (f" #{n}" if n > 1 else "")


def contact_refs(contacts: Sequence[Contact]) -> list[str]:
    """A name for each contact, which has no id of its own: ``contact 2026-07-01`` (``#2`` for a second that day)."""
    seen: Counter[dt.date] = Counter()
    out = []
    for x in contacts:
        seen[x.date] += 1
        out.append(_contact_name(x.date, seen[x.date]))
    return out


def contact_ref(contacts: Sequence[Contact], i: int) -> str:
    """The name :func:`contact_refs` gives ``contacts[i]``, without naming the others."""
    day = contacts[i].date
    return _contact_name(day, sum(1 for x in contacts[:i] if x.date == day) + 1)


class CaseView:
    """One case seen on the as-of date. Lists are sorted by date, oldest first (stable for ties)."""

    def __init__(self, case: Case, as_of: dt.date) -> None:
        self.case = case
        self.as_of = as_of
        #: the case's start date, and its outcome group (as recorded, or from the legal outcome)
        self.start: dt.date = case.start_date
        self.group: OutcomeGroup | None = case.group
        self.is_referral_order = case.legal_outcome is LegalOutcome.REFERRAL_ORDER
        #: FIRST_TIER or COMMUNITY
        self.is_community = self.group in COMMUNITY_GROUPS

    @cached_property
    def closed_on(self) -> dt.date | None:
        """When the case closed, if it had by the as-of date."""
        c = self.case.closed_on
        return c if c is not None and c <= self.as_of else None

    @cached_property
    def end_of_watch(self) -> dt.date:
        """The earliest of the as-of date and the closing date."""
        return self.closed_on or self.as_of

    def start_due(self, working_days: int, referral_order_working_days: int) -> dt.date:
        """The start-of-order timescale: N working days from start (another N for referral orders)."""
        n = referral_order_working_days if self.is_referral_order else working_days
        return add_working_days(self.start, n)

    # -- records as of the audit date ------------------------------------------------------------

    @cached_property
    def completed(self) -> tuple[Assessment, ...]:
        """Assessments completed on or before the as-of date, by completion date."""
        a = self.as_of
        done = [x for x in self.case.assessments if x.completed_on is not None and x.completed_on <= a]
        done.sort(key=_COMPLETED_ON)
        return tuple(done)

    def _completed(self, kinds: frozenset[AssessmentKind]) -> tuple[Assessment, ...]:
        return tuple(x for x in self.completed if x.kind in kinds)

    @cached_property
    def core_assessments(self) -> tuple[Assessment, ...]:
        """Completed CORE assessments (Asset / AssetPlus), by completion date."""
        return self._completed(frozenset({AssessmentKind.CORE}))

    @cached_property
    def rosh_assessments(self) -> tuple[Assessment, ...]:
        """Completed RoSH screenings and full analyses, by completion date."""
        return self._completed(ROSH_KINDS)

    @cached_property
    def rosh_screenings(self) -> tuple[Assessment, ...]:
        return self._completed(frozenset({AssessmentKind.ROSH_SCREENING}))

    @cached_property
    def rosh_full_analyses(self) -> tuple[Assessment, ...]:
        return self._completed(frozenset({AssessmentKind.ROSH_FULL}))

    @cached_property
    def vulnerability_assessments(self) -> tuple[Assessment, ...]:
        """Completed vulnerability screenings and full assessments, by completion date."""
        return self._completed(VULNERABILITY_KINDS)

    @cached_property
    def vulnerability_screenings(self) -> tuple[Assessment, ...]:
        return self._completed(frozenset({AssessmentKind.VULNERABILITY_SCREENING}))

    @cached_property
    def start_assessments(self) -> tuple[Assessment, ...]:
        """CORE assessments that stand as the start assessment: START or TRANSFER_IN completed on or
        after start, or PSR completed no more than 3 months before start (or after it)."""
        start = self.start
        psr_from = add_months(start, -PSR_MONTHS)
        return tuple(
            x for x in self.completed
            if x.kind is AssessmentKind.CORE
            and (
                (x.stage in (Stage.START, Stage.TRANSFER_IN) and x.completed_on >= start)
                or (x.stage is Stage.PSR and x.completed_on >= psr_from)
            )
        )

    def belongs_to_order(self, x: Assessment) -> bool:
        """Completed on or after start, or a PSR-stage assessment within 3 months before it."""
        if x.completed_on >= self.start:
            return True
        return x.stage is Stage.PSR and x.completed_on >= add_months(self.start, -PSR_MONTHS)

    def _current_level(self, full: AssessmentKind, screening: AssessmentKind) -> Assessment | None:
        for kind in (full, screening):
            levelled = [x for x in self.completed if x.kind is kind and x.level is not None]
            if levelled:
                return levelled[-1]
        return None

    @cached_property
    def current_rosh(self) -> Assessment | None:
        """The latest completed ROSH_FULL with a level, or else the latest such ROSH_SCREENING."""
        return self._current_level(AssessmentKind.ROSH_FULL, AssessmentKind.ROSH_SCREENING)

    @cached_property
    def current_vulnerability(self) -> Assessment | None:
        return self._current_level(AssessmentKind.VULNERABILITY_FULL, AssessmentKind.VULNERABILITY_SCREENING)

    @property
    def rosh_level(self) -> Level | None:
        return self.current_rosh.level if self.current_rosh else None

    @property
    def vulnerability_level(self) -> Level | None:
        return self.current_vulnerability.level if self.current_vulnerability else None

    @cached_property
    def plans(self) -> tuple[Plan, ...]:
        """Plans created on or before the as-of date (a plan with no ``created_on`` is a draft)."""
        a = self.as_of
        made = [p for p in self.case.plans if p.created_on is not None and p.created_on <= a]
        made.sort(key=_CREATED_ON)
        return tuple(made)

    @cached_property
    def main_plans(self) -> tuple[Plan, ...]:
        return tuple(p for p in self.plans if p.kind in MAIN_PLAN_KINDS)

    @cached_property
    def rmps(self) -> tuple[Plan, ...]:
        return tuple(p for p in self.plans if p.kind is PlanKind.RISK_MANAGEMENT_PLAN)

    @cached_property
    def vmps(self) -> tuple[Plan, ...]:
        return tuple(p for p in self.plans if p.kind is PlanKind.VULNERABILITY_MANAGEMENT_PLAN)

    @cached_property
    def reviews(self) -> tuple[Review, ...]:
        a = self.as_of
        return tuple(sorted((r for r in self.case.reviews if r.date <= a), key=_DATE))

    @cached_property
    def contacts(self) -> tuple[Contact, ...]:
        a = self.as_of
        return tuple(sorted((c for c in self.case.contacts if c.date <= a), key=_DATE))

    @cached_property
    def absences(self) -> tuple[tuple[Contact, str], ...]:
        """The UNACCEPTABLE_ABSENCE contacts, each with its name (see :func:`contact_refs`)."""
        absent = ContactOutcome.UNACCEPTABLE_ABSENCE
        if not any(x.outcome is absent for x in self.contacts):
            return ()
        # the contacts are in date order, so a day's contacts stand together: count along the run
        # instead of naming every contact (most are not absences)
        out, day, n = [], None, 0
        for x in self.contacts:
            if x.date == day:
                n += 1
            else:
                day, n = x.date, 1
            if x.outcome is absent:
                out.append((x, _contact_name(day, n)))
        return tuple(out)

    @cached_property
    def events(self) -> tuple[Event, ...]:
        a = self.as_of
        return tuple(sorted((e for e in self.case.events if e.date is not None and e.date <= a), key=_DATE))

    @cached_property
    def enforcement(self) -> tuple[Enforcement, ...]:
        a = self.as_of
        return tuple(sorted((e for e in self.case.enforcement if e.date is not None and e.date <= a), key=_DATE))

    @cached_property
    def oversight(self) -> tuple[Oversight, ...]:
        a = self.as_of
        return tuple(sorted((o for o in self.case.oversight if o.date is not None and o.date <= a), key=_DATE))

    @cached_property
    def victims(self) -> tuple[Victim, ...]:
        """Victims known on the as-of date (identified on or before it, or with no date recorded)."""
        a = self.as_of
        return tuple(v for v in self.case.victims if v.identified_on is None or v.identified_on <= a)
