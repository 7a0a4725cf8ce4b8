"""The roll-up: how would inspectors score this caseload, under a framework (:mod:`rules.frameworks`)?

**Criteria, from rule outcomes** (``score``). HM Inspectorate of Probation scored a criterion as "the
proportion of questions relating to that criterion, across all of the inspected cases, where the work
assessed by that question was judged sufficient" (2012 Core Case Inspection report, Appendix 5), and
repeated the sum for each section of the report and for each headline theme. yos-audit does the same
with rule outcomes:

    percent = 100 * MET / (MET + NOT_MET)

per rule, per criterion (2012 framework ``ccl-2012``: 1.1 ... 3.2), per section (1, 2, 3), per standard
(the 2018+ standard each rule names: Assessment, Planning, Implementation and delivery, Reviewing) and per
headline theme (Safeguarding, Risk of Harm, Likelihood of Reoffending). PENDING and NOT_APPLICABLE
outcomes are not counted. Every outcome counts once, so a per-record rule (ENF001, VIC001, MGT001, ...)
counts each record it judged. A rule, criterion or theme that applied nowhere has no percent (``None``)
and no band: it is left out, never counted as 0 or 100.

**Key questions, from answers** (``review``; :func:`roll_up`). A key question's percent is
``100 * yes / (yes + no)`` over the reviewed cases it covers; a standard is rated on the lowest of its
questions' percents, and its rating range runs from the rating of the lowest lower bound of the
questions' 95% Wilson intervals to the rating of the lowest upper bound (:func:`wilson`). Case-level
points are the sum over the standards rated. HMIP's overall rating adds organisational standards no case
review judges: only when a service enters its own ratings of them does the roll-up give the total and
its band (:class:`OverallRollup`), and only when every standard, case-level and organisational, has a
rating; never an overall rating from cases alone.

Bands and ratings are judged on the exact share, and printed so as never to contradict it
(:mod:`rules.scales`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from attrs import field, frozen

from rules.engine import Audit
from rules.frameworks import (
    CRITERIA_DEFAULT,
    Criterion,
    Framework,
    Theme,
    default_scoring_toml,
    scoring_settings,
    shipped,
)
from rules.model import Case
from rules.outcomes import Status
from rules.registry import Rule
from rules.scales import Scale, ScoringSettings, display_percent

if TYPE_CHECKING:
    from rules.sampling import Sample

__all__ = [
    "BANDS",
    "BY_CHOICES",
    "CRITERIA",
    "DEFAULT_SETTINGS",
    "HEADLINE_THEMES",
    "RATINGS",
    "SECTIONS",
    "STANDARDS",
    "Criterion",
    "FailingCase",
    "OverallRollup",
    "RuleScore",
    "Scale",
    "Score",
    "Scores",
    "ScoringSettings",
    "Slice",
    "Tally",
    "Theme",
    "default_scoring_toml",
    "display_percent",
    "score",
    "scoring_settings",
    "standard_of",
    "tally",
]


# -- the 2012 framework, as data -----------------------------------------------------------------

_CCL = shipped(CRITERIA_DEFAULT)
#: The general criteria, with their titles as the 2012 report prints them.
CRITERIA: tuple[Criterion, ...] = _CCL.criteria
#: The report's three sections, each scored over its criteria ("OVERALL SCORE").
SECTIONS: Mapping[str, str] = {s.id: s.title for s in _CCL.sections}
#: The standards of the 2018+ framework; a rule's ``standard`` names one (``Implementation`` is short
#: for ``Implementation and delivery``).
STANDARDS: tuple[str, ...] = _CCL.rule_standards
#: The headline themes of the catalogue's "Scores" section.
HEADLINE_THEMES: tuple[Theme, ...] = _CCL.themes
#: 2009-2012 improvement bands and 2018+ ratings: (key in the config, label, default threshold).
BANDS: tuple[tuple[str, str, int], ...] = tuple(_CCL.scales["bands"].spec())
RATINGS: tuple[tuple[str, str, int], ...] = tuple(_CCL.scales["ratings"].spec())
DEFAULT_SETTINGS = scoring_settings()


def standard_of(rule: Rule, standards: Sequence[str] = STANDARDS) -> str | None:
    """The 2018+ standard a rule counts towards (``Implementation`` -> ``Implementation and delivery``)."""
    name = (rule.standard or "").strip().lower()
    if not name:
        return None
    for std in standards:
        if std.lower() == name or std.lower().startswith(name):
            return std
    return None


# -- counting -----------------------------------------------------------------------------------


@frozen
class Tally:
    """MET and NOT_MET outcomes; applicable is their sum (PENDING and NOT_APPLICABLE are not counted)."""

    met: int = 0
    not_met: int = 0

    @property
    def applicable(self) -> int:
        return self.met + self.not_met

    @property
    def share(self) -> Fraction | None:
        """The exact percent, or None when nothing applied."""
        return Fraction(100 * self.met, self.applicable) if self.applicable else None

    @property
    def percent(self) -> float | None:
        """The percent, unrounded, or None when nothing applied."""
        share = self.share
        return float(share) if share is not None else None

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.met + other.met, self.not_met + other.not_met)


def tally(outcomes: Iterable) -> Tally:
    """Count the MET and NOT_MET among outcomes (anything with a ``status``)."""
    met = not_met = 0
    for o in outcomes:
        if o.status is Status.MET:
            met += 1
        elif o.status is Status.NOT_MET:
            not_met += 1
    return Tally(met, not_met)


# -- results ------------------------------------------------------------------------------------


class _Counted:
    """The counts of a thing scored by its ``tally``."""

    __slots__ = ()
    tally: Tally

    @property
    def met(self) -> int:
        return self.tally.met

    @property
    def not_met(self) -> int:
        return self.tally.not_met

    @property
    def applicable(self) -> int:
        return self.tally.applicable

    @property
    def percent(self) -> float | None:
        return self.tally.percent


@frozen
class Score(_Counted):
    """A scored group of rules: a criterion, a section, a standard or a headline theme."""

    id: str
    title: str
    tally: Tally
    #: improvement band (criteria, headline themes) or rating (standards); None if nothing applied,
    #: and for sections, which the report scores without a band
    band: str | None
    #: the percent as reports print it (see :func:`display_percent`); None if nothing applied
    shown: float | None
    #: codes of the rules counted in, whether or not they applied anywhere
    rules: tuple[str, ...] = ()



class FailingCase(NamedTuple):
    """A case where a rule was NOT_MET (``count`` times, for per-record rules).

    A tuple, as outcomes are: a large audit's scores hold one for each failing rule of each case, and
    a frozen attrs instance costs several times a tuple to make."""

    case_id: str
    count: int
    team: str | None = None
    case_manager: str | None = None
    #: the first NOT_MET message for the case
    message: str = ""


@frozen
class RuleScore(_Counted):
    rule: str
    name: str
    summary: str
    criterion: str
    standard: str | None
    per_record: bool
    tally: Tally
    #: the cases where it was NOT_MET, by case id
    failing: tuple[FailingCase, ...] = ()


    @property
    def shown(self) -> float | None:
        return display_percent(self.tally.share)

    @property
    def counts(self) -> str:
        """What one outcome is: ``cases``, or ``records`` for a per-record rule."""
        return "records" if self.per_record else "cases"


@frozen
class Slice:
    """The scores of a set of cases: the whole caseload, or one team or case manager."""

    #: the team or case manager (None: no breakdown, or the cases without one)
    key: str | None
    label: str
    cases: int
    rules: tuple[RuleScore, ...]
    criteria: tuple[Score, ...]
    sections: tuple[Score, ...]
    standards: tuple[Score, ...]
    headline: tuple[Score, ...]

    def criterion(self, id: str) -> Score:
        return _find(self.criteria, id)

    def section(self, id: str) -> Score:
        return _find(self.sections, id)

    def standard(self, id: str) -> Score:
        return _find(self.standards, id)

    def theme(self, key: str) -> Score:
        return _find(self.headline, key)

    def rule(self, code: str) -> RuleScore:
        for r in self.rules:
            if r.rule == code:
                return r
        raise KeyError(code)


def _find(scores: Sequence[Score], id: str) -> Score:
    for s in scores:
        if s.id == id:
            return s
    raise KeyError(id)


#: ``--by`` choices and the Case attribute each one groups on.
BY_CHOICES: Mapping[str, str] = {"team": "team", "case-manager": "case_manager"}


@frozen
class Scores:
    """Everything ``yos-audit score`` reports. ``overall`` is the whole caseload; ``breakdown`` the same
    figures for each team or case manager (``by``), side by side; ``worst`` the rules with most NOT_MET."""

    as_of: dt.date
    settings: ScoringSettings
    overall: Slice
    by: str | None = None
    breakdown: tuple[Slice, ...] = ()
    #: rules with at least one NOT_MET, most NOT_MET first (then lowest percent, then code)
    worst: tuple[RuleScore, ...] = ()
    #: the inspection-style sample scored, if the cases were sampled
    sample: Sample | None = field(default=None)
    #: cases left out of the audit for input errors (reports say so; they are not scored)
    rejected: int = 0
    #: where the as-of date came from and why (:mod:`rules.asof`; None: not said, left out of the reports)
    as_of_source: str | None = None
    as_of_reason: str | None = None
    #: the service the cases are of (the export's service.name; None: not said, left out of the reports)
    service: str | None = None
    #: the criteria framework the scores are of (None: ccl-2012)
    framework: Framework | None = None
    #: the key questions' view indicated by the records, not judged (:mod:`rules.indicators`), when asked for
    indicated: Any = None

    @property
    def cases(self) -> int:
        return self.overall.cases

    @property
    def rules(self) -> tuple[RuleScore, ...]:
        return self.overall.rules

    @property
    def criteria(self) -> tuple[Score, ...]:
        return self.overall.criteria

    @property
    def sections(self) -> tuple[Score, ...]:
        return self.overall.sections

    @property
    def standards(self) -> tuple[Score, ...]:
        return self.overall.standards

    @property
    def headline(self) -> tuple[Score, ...]:
        return self.overall.headline


# -- scoring ------------------------------------------------------------------------------------


def score(
    audit: Audit,
    config_scoring: Mapping[str, Any] | ScoringSettings | None = None,
    by: str | None = None,
    *,
    sample: Sample | None = None,
    rejected: int = 0,
    framework: Framework | None = None,
) -> Scores:
    """Score an audit the inspectors' way.

    ``config_scoring`` is the raw ``[scoring]`` table of the config (checked here: a mistake raises
    :class:`~rules.config.ConfigError` naming the key) or ready :class:`ScoringSettings`. ``by`` is
    ``"team"`` or ``"case-manager"`` for a breakdown. ``sample`` is recorded for the reports when the
    audited cases are an inspection-style sample (see :mod:`rules.sampling`), ``rejected`` the number of
    cases the loader rejected, both only for the reports to say. ``framework`` is the criteria framework
    (default ``ccl-2012``): its criteria, sections, themes and the standards rules name.
    """
    if not audit.outcomes_kept:  # a score counts the met outcomes too: without them it would be all wrong
        raise ValueError("cannot score an audit run for its findings only (outcomes=False)")
    framework = framework or shipped(CRITERIA_DEFAULT)
    settings = config_scoring if isinstance(config_scoring, ScoringSettings) else scoring_settings(config_scoring)
    if by is not None:
        by = by.replace("_", "-")
        if by not in BY_CHOICES:
            raise ValueError(f"cannot break scores down by {by!r}: choose {' or '.join(BY_CHOICES)}")
    rules = tuple(audit.rules)
    outcomes = audit.outcomes  # _slice counts only MET and NOT_MET, of the rules it is given
    cases_by_id = {c.case_id: c for c in audit.cases}
    layout = _Layout(rules, settings, framework)
    overall = _slice(None, "All cases", audit.cases, outcomes, layout, cases_by_id)
    breakdown: tuple[Slice, ...] = ()
    if by is not None:
        attr = BY_CHOICES[by]
        groups: dict[str | None, list[Case]] = defaultdict(list)
        for c in audit.cases:
            groups[getattr(c, attr)].append(c)
        keyed = defaultdict(list)
        for o in outcomes:
            case = cases_by_id.get(o.case_id)
            keyed[getattr(case, attr) if case is not None else None].append(o)
        none_label = "(no team)" if by == "team" else "(no case manager)"
        order = sorted(groups, key=lambda k: (k is None, (k or "").casefold(), k or ""))
        breakdown = tuple(
            _slice(k, k if k is not None else none_label, groups[k], keyed.get(k, []), layout, cases_by_id)
            for k in order
        )
    worst = tuple(
        sorted(
            (r for r in overall.rules if r.not_met),
            key=lambda r: (-r.not_met, r.tally.share, r.rule),
        )
    )
    return Scores(audit.as_of, settings, overall, by, breakdown, worst, sample, rejected,
                  framework=None if framework.id == CRITERIA_DEFAULT and framework.file is None else framework)


class _Layout:
    """What every slice of one score shares: the rules, each with its standard, and the members of
    each criterion, section, standard and headline theme (their codes, and their places among the
    rules). A breakdown by case manager is hundreds of slices: each worked these out again, and
    banded each group's share as a Fraction anew."""

    def __init__(self, rules: Sequence[Rule], settings: ScoringSettings, framework: Framework) -> None:
        standards = framework.rule_standards
        self.rules = tuple((r, standard_of(r, standards)) for r in rules)
        codes = [r.code for r in rules]

        def members(test) -> tuple[tuple[str, ...], tuple[int, ...]]:
            places = tuple(i for i, (r, std) in enumerate(self.rules) if test(r, std))
            return tuple(codes[i] for i in places), places

        sections = {s.id: s.title for s in framework.sections}
        in_section = {s: {c.id for c in framework.criteria if c.section == s} for s in sections}
        bands, ratings = settings.bands, settings.ratings
        #: for each kind of group: (id, title, member codes, member places, scale) of each group
        self.criteria = tuple(
            (c.id, c.title, *members(lambda r, _, c=c: r.criterion == c.id), bands) for c in framework.criteria
        )
        self.sections = tuple(
            (s, title, *members(lambda r, _, s=s: r.criterion in in_section[s]), None) for s, title in sections.items()
        )
        self.standards = tuple((std, std, *members(lambda _, st, std=std: st == std), ratings) for std in standards)
        self.headline = tuple(
            (t.key, t.title, *members(lambda r, _, t=t: t.covers(r.code)), bands) for t in framework.themes
        )
        #: (met, not_met, scale) -> (tally, band, shown): slices repeat small counts a great deal
        self._banded: dict[tuple[int, int, int], tuple[Tally, str | None, float | None]] = {}

    def banded(self, met: int, not_met: int, scale: Scale | None) -> tuple[Tally, str | None, float | None]:
        key = (met, not_met, id(scale))
        done = self._banded.get(key)
        if done is None:
            t = Tally(met, not_met)
            band = scale.classify(t) if scale is not None else None
            done = self._banded[key] = (t, band, display_percent(t.share, scale))
        return done


def _slice(
    key: str | None,
    label: str,
    cases: Sequence[Case],
    outcomes: Sequence,
    layout: _Layout,
    cases_by_id: Mapping[str, Case],
) -> Slice:
    """The scores of ``cases`` from their ``outcomes``."""
    met, failing = _count(outcomes)
    case_of = cases_by_id.get
    # plain strings sort fastest: (id, entry) pairs would compare as tuples
    fails_of = {
        r.code: _failing_cases(failing[r.code], sorted(failing[r.code]), case_of)
        for r, _ in layout.rules if r.code in failing
    }
    rule_scores = []
    mets, not_mets = [], []
    count = itemgetter(1)  # FailingCase.count
    for r, standard in layout.rules:
        fails = fails_of.get(r.code, ())
        m, n = met.get(r.code, 0), sum(map(count, fails))
        mets.append(m)
        not_mets.append(n)
        rule_scores.append(
            RuleScore(r.code, r.name, r.summary, r.criterion, standard, r.per_record, Tally(m, n), tuple(fails))
        )

    def groups(kind) -> tuple[Score, ...]:
        out = []
        for id, title, codes, places, scale in kind:
            t, band, shown = layout.banded(sum(map(mets.__getitem__, places)), sum(map(not_mets.__getitem__, places)), scale)
            out.append(Score(id, title, t, band, shown, codes))
        return tuple(out)

    return Slice(
        key, label, len(cases), tuple(rule_scores),
        groups(layout.criteria), groups(layout.sections), groups(layout.standards), groups(layout.headline),
    )


# -- counting -----------------------------------------------------------------------------------


def _count(outcomes: Iterable) -> tuple[dict[str, int], dict[str, dict[str, list]]]:
    """(MET outcomes by rule, rule -> case id -> [NOT_MET count, first message]) of ``outcomes``."""
    met: dict[str, int] = defaultdict(int)
    failing: dict[str, dict[str, list]] = defaultdict(dict)
    MET, NOT_MET = Status.MET, Status.NOT_MET
    # one pass over millions of outcomes in a large audit: fields by index (an Outcome is a tuple of
    # rule, case_id, status, message, ...); PENDING counts nowhere, and rules not given are never read
    for o in outcomes:
        status = o[2]
        if status is MET:
            met[o[0]] += 1
        elif status is NOT_MET:
            per_case = failing[o[0]]
            entry = per_case.get(o[1])
            if entry is None:
                per_case[o[1]] = [1, o[3]]
            else:
                entry[0] += 1
    return met, failing


def _failing_cases(per_case: Mapping[str, list], ids: Iterable[str], case_of) -> list[FailingCase]:
    """A FailingCase for each of ``ids`` (in that order), from :func:`_count`'s ``per_case``."""
    fails = []
    keep = fails.append
    new = tuple.__new__  # FailingCase(...) runs a Python __new__, and a large audit makes one a failing case
    for cid in ids:
        count, message = per_case[cid]
        case = case_of(cid)
        if case is None:
            keep(new(FailingCase, (cid, count, None, None, message)))
        else:
            keep(new(FailingCase, (cid, count, case.team, case.case_manager, message)))
    return fails


# -- key questions: answers rolled up into ratings ----------------------------------------------------

#: the normal quantile of a 95% interval
Z95 = 1.96


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of ``k`` yes in ``n`` answers, as percents (unrounded); None for n = 0.

    ``centre = (p + z²/2n) / (1 + z²/n)``, ``half = z √(p(1-p)/n + z²/4n²) / (1 + z²/n)``: the interval
    the domain text gives (``shared/domain/frameworks.md``). 0 of n starts at exactly 0, n of n ends
    at exactly 100.
    """
    if n <= 0:
        return None
    if not 0 <= k <= n:
        raise ValueError(f"{k} yes of {n} answers")
    p = k / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * (p * (1 - p) / n + z2 / (4 * n * n)) ** 0.5 / denom
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return 100 * low, 100 * high


def _exact(x: float | None) -> Fraction | None:
    return None if x is None else Fraction(x)


@frozen
class Counted:
    """The answers to one key question over the reviewed cases it covers."""

    yes: int = 0
    no: int = 0
    na: int = 0
    unanswered: int = 0


@frozen
class QuestionRollup:
    question: Any  # rules.frameworks.Question
    yes: int
    no: int
    na: int
    unanswered: int
    #: 100 * yes / (yes + no), exact; None when no yes or no was given
    share: Fraction | None
    shown: float | None
    #: the 95% Wilson interval (percents, unrounded) and as printed
    ci: tuple[float, float] | None
    ci_shown: tuple[float, float] | None
    indicated_yes: int
    indicated_no: int
    indicated_share: Fraction | None
    indicated_shown: float | None
    #: reviewed cases with both a yes/no answer and an indication, and how many agree
    agreement_cases: int
    agreement_same: int

    @property
    def id(self) -> str:
        return self.question.id


@frozen
class StandardRollup:
    standard: Any  # rules.frameworks.Standard
    #: the lowest of its questions' shares (None: no question answered)
    share: Fraction | None
    shown: float | None
    rating: str | None
    points: int | None
    #: (rating of the lowest lower bound, rating of the lowest upper bound): worst first
    rating_range: tuple[str, str] | None
    indicated_share: Fraction | None
    indicated_shown: float | None
    indicated_rating: str | None

    @property
    def id(self) -> str:
        return self.standard.id


@frozen
class OverallRollup:
    """The overall rating with the service's OWN ratings of the organisational standards (the config's
    ``[scoring.organisational]``): the tool never rates those, and never gives a total or a band unless
    every standard, case-level and organisational, has a rating."""

    #: where the service entered its ratings (the config file's name), to say whose they are
    entered_in: str | None
    #: organisational standard id -> the service's rating (None: not entered), in the framework's order
    ratings: Mapping[str, str | None]
    #: the points of the organisational ratings entered, of the points all of them at best would earn
    points: int
    of: int
    #: what the total still needs: organisational standards not entered, case-level standards not rated
    not_entered: tuple[str, ...]
    unrated: tuple[str, ...]
    #: case-level and organisational points, and the band of the total (None: something is missing)
    total: int | None
    total_of: int
    band: str | None
    #: (below, above) of each band edge no source confirms: ((6, 7), (30, 31))
    unconfirmed_edges: tuple[tuple[int, int], ...] = ()

    @property
    def complete(self) -> bool:
        return self.total is not None


def overall_rollup(
    framework: Any, ratings: Scale, standards: Sequence[StandardRollup], organisational: Mapping[str, str],
    entered_in: str | None = None,
) -> OverallRollup | None:
    """The overall rating over ``standards`` (the case-level roll-up) and the service's own
    ``organisational`` ratings (id -> rating as the framework names it: checked by
    :func:`rules.frameworks.organisational_ratings`). None when the framework has no overall rating or
    nothing is entered: there is then nothing to say beyond the case-level points."""
    if not organisational or framework.overall is None or not framework.organisational:
        return None
    entered = {o.id: organisational.get(o.id) for o in framework.organisational}
    org_points = sum(ratings.points.get(r, 0) for r in entered.values() if r is not None)
    not_entered = tuple(k for k, r in entered.items() if r is None)
    unrated = tuple(s.id for s in standards if s.points is None)
    total = band = None
    if not not_entered and not unrated:
        total = sum(s.points for s in standards) + org_points
        band = framework.overall.band(total)
    return OverallRollup(
        entered_in, entered, org_points, framework.organisational_max_points, not_entered, unrated, total,
        framework.total_max_points, band, framework.overall.unconfirmed_edges,
    )


@frozen
class Rollup:
    framework: Any  # rules.frameworks.Framework
    ratings: Scale
    questions: tuple[QuestionRollup, ...]
    standards: tuple[StandardRollup, ...]
    #: the overall rating with the service's own organisational ratings; None when none are entered
    overall: OverallRollup | None = None

    @property
    def points(self) -> int:
        """Case-level points: the sum over the standards that have a rating."""
        return sum(s.points or 0 for s in self.standards)

    @property
    def max_points(self) -> int:
        return self.framework.max_points

    def question(self, id: str) -> QuestionRollup:
        return next(q for q in self.questions if q.id == id)

    def standard(self, id: str) -> StandardRollup:
        return next(s for s in self.standards if s.id == id)


def _share(yes: int, no: int) -> Fraction | None:
    return Fraction(100 * yes, yes + no) if yes + no else None


def roll_up(
    framework: Any,
    ratings: Scale,
    answers: Mapping[str, Counted] | None = None,
    indicated: Mapping[str, tuple[int, int]] | None = None,
    agreement: Mapping[str, tuple[int, int]] | None = None,
    organisational: Mapping[str, str] | None = None,
    entered_in: str | None = None,
) -> Rollup:
    """Key questions' percents and intervals, and each standard's rating, range and points.

    ``answers``: question id -> :class:`Counted`; ``indicated``: question id -> (cases indicated yes,
    no); ``agreement``: question id -> (cases, same). A question or standard with nothing counted has
    None for its percent, interval, rating, points and range: never 0 or 100. ``organisational``: the
    service's own ratings of the framework's organisational standards (entered in ``entered_in``), for
    the overall rating (:func:`overall_rollup`).
    """
    answers = answers or {}
    indicated = indicated or {}
    agreement = agreement or {}
    qs: list[QuestionRollup] = []
    for q in framework.questions:
        c = answers.get(q.id, Counted())
        share = _share(c.yes, c.no)
        ci = wilson(c.yes, c.yes + c.no)
        iy, ino = indicated.get(q.id, (0, 0))
        ishare = _share(iy, ino)
        same = agreement.get(q.id, (0, 0))
        qs.append(QuestionRollup(
            q, c.yes, c.no, c.na, c.unanswered, share, display_percent(share, ratings), ci,
            None if ci is None else (display_percent(_exact(ci[0]), ratings), display_percent(_exact(ci[1]), ratings)),
            iy, ino, ishare, display_percent(ishare, ratings), same[0], same[1],
        ))
    by_standard: dict[str, list[QuestionRollup]] = defaultdict(list)
    for r in qs:
        by_standard[r.question.standard].append(r)
    standards: list[StandardRollup] = []
    for s in framework.standards:
        mine = by_standard.get(s.id, [])
        answered = [r for r in mine if r.share is not None]
        share = min((r.share for r in answered), default=None)
        rating = ratings.classify(share)
        rng = None
        if answered:
            low = min(Fraction(r.ci[0]) for r in answered)
            high = min(Fraction(r.ci[1]) for r in answered)
            rng = (ratings.classify(low), ratings.classify(high))
        ishare = min((r.indicated_share for r in mine if r.indicated_share is not None), default=None)
        standards.append(StandardRollup(
            s, share, display_percent(share, ratings), rating, ratings.points.get(rating) if rating else None, rng,
            ishare, display_percent(ishare, ratings), ratings.classify(ishare),
        ))
    overall = overall_rollup(framework, ratings, standards, organisational or {}, entered_in)
    return Rollup(framework, ratings, tuple(qs), tuple(standards), overall)
