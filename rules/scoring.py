"""Inspection-style scores over an audit: how would inspectors score this caseload?

HM Inspectorate of Probation scored a criterion as "the proportion of questions relating to that
criterion, across all of the inspected cases, where the work assessed by that question was judged
sufficient" (2012 Core Case Inspection report, Appendix 5), and repeated the sum for each section of
the report and for each headline theme. yos-audit does the same with rule outcomes:

    percent = 100 * MET / (MET + NOT_MET)

per rule, per criterion (2012 framework: 1.1 ... 3.2), per section (1, 2, 3), per standard (2018+
framework: Assessment, Planning, Implementation and delivery, Reviewing) and per headline theme
(Safeguarding, Risk of Harm, Likelihood of Reoffending). PENDING and NOT_APPLICABLE outcomes are not
counted. Every outcome counts once, so a per-record rule (ENF001, VIC001, MGT001, ...) counts each
record it judged: that falls out of counting outcomes. A rule, criterion or theme that applied nowhere
has no percent (``None``) and no band: it is left out, never counted as 0 or 100.

**Bands and ratings.** A criterion and a headline theme get a 2009-2012 improvement band, a standard a
2018+ rating. Each band has the lowest percent it takes, from the ``[scoring]`` table of the config::

    [scoring.bands]        # 2009-2012 improvement bands (DRASTIC: below SUBSTANTIAL)
    MINIMUM = 75
    MODERATE = 50
    SUBSTANTIAL = 25
    [scoring.ratings]      # 2018+ ratings (Inadequate: below Requires improvement)
    Outstanding = 80
    Good = 65
    "Requires improvement" = 50

The defaults are those above. Only "75% MINIMUM, 74% MODERATE" is in our sources (the 2012 report); the
lower cut-offs and the 2018+ figures are widely quoted assumptions, hence configurable. Keys are
case-insensitive and ``requires_improvement`` is accepted for ``"Requires improvement"``.

**A percent that is not whole.** The band is judged on the exact share, never on a rounded figure:
a band takes every percent at or above its threshold, so 74.9% (or 74.99%) is MODERATE and 75.0%
MINIMUM. Reports print one decimal, rounded half up, except that a figure is never rounded up onto a
threshold it is below: 74.96% prints as 74.9, so a printed percent never contradicts its band.
(Inspection reports print whole percents; one decimal keeps the exact share readable.)
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from attrs import field, frozen

from rules.engine import Audit
from rules.errors import ConfigError
from rules.model import Case
from rules.outcomes import Status
from rules.registry import Rule, short_repr

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


# -- the frameworks -----------------------------------------------------------------------------


@frozen
class Criterion:
    """A general criterion of the 2009-2012 Core Case Inspection framework."""

    id: str
    title: str
    section: str


#: The general criteria, with their titles as the 2012 report prints them.
CRITERIA: tuple[Criterion, ...] = (
    Criterion("1.1", "Risk of Harm to others (RoH)", "1"),
    Criterion("1.2", "Likelihood of Reoffending (LoR)", "1"),
    Criterion("1.3", "Safeguarding", "1"),
    Criterion("2.1", "Protecting the public by minimising Risk of Harm to others", "2"),
    Criterion("2.2", "Reducing the Likelihood of Reoffending", "2"),
    Criterion("2.3", "Safeguarding the child or young person", "2"),
    Criterion("3.1", "Achievement of outcomes", "3"),
    Criterion("3.2", "Sustaining outcomes", "3"),
)

#: The report's three sections, each scored over its criteria ("OVERALL SCORE").
SECTIONS: Mapping[str, str] = {
    "1": "Assessment and sentence planning",
    "2": "Delivery and review of interventions",
    "3": "Outcomes",
}

#: The standards of the 2018+ framework; a rule's ``standard`` names one (``Implementation`` is short
#: for ``Implementation and delivery``).
STANDARDS: tuple[str, ...] = ("Assessment", "Planning", "Implementation and delivery", "Reviewing")


@frozen
class Theme:
    """A headline theme: the rules (codes or family prefixes) whose outcomes it counts."""

    key: str
    title: str
    selectors: tuple[str, ...]

    def covers(self, code: str) -> bool:
        for sel in self.selectors:
            if code == sel or (sel.isalpha() and code.startswith(sel) and code[len(sel):].isdigit()):
                return True
        return False


#: The headline themes of the catalogue's "Scores" section.
HEADLINE_THEMES: tuple[Theme, ...] = (
    Theme("safeguarding", "Safeguarding", ("SAF", "MGT002")),
    Theme(
        "risk_of_harm", "Risk of Harm",
        ("ROH", "MGT001", "MGT003", "PLN003", "PLN007", "VIC", "REV001"),
    ),
    Theme(
        "likelihood_of_reoffending", "Likelihood of Reoffending",
        ("ASM", "PLN001", "PLN002", "PLN004", "PLN005", "PLN006", "CON001", "ENF", "REV002"),
    ),
)


def standard_of(rule: Rule) -> str | None:
    """The 2018+ standard a rule counts towards (``Implementation`` -> ``Implementation and delivery``)."""
    name = (rule.standard or "").strip().lower()
    if not name:
        return None
    for std in STANDARDS:
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


# -- bands and ratings --------------------------------------------------------------------------


@frozen
class Scale:
    """Named bands, best first, each taking every percent at or above its threshold; the last band
    takes everything below the last threshold."""

    name: str
    #: (label, threshold) for every band but the last, best first, thresholds strictly falling
    thresholds: tuple[tuple[str, Fraction], ...]
    lowest: str

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for label, _ in self.thresholds) + (self.lowest,)

    def classify(self, share: Fraction | float | Tally | None) -> str | None:
        """The band of an exact percent (no rounding: 74.9 is below 75); None when nothing applied."""
        if isinstance(share, Tally):
            share = share.share
        if share is None:
            return None
        for label, threshold in self.thresholds:
            if share >= threshold:
                return label
        return self.lowest

    def describe(self) -> list[tuple[str, str]]:
        """(label, range) lines for a report: ``MODERATE``, ``50% to below 75%``."""
        out: list[tuple[str, str]] = []
        upper: Fraction | None = None
        for label, threshold in self.thresholds:
            t = _num(threshold)
            out.append((label, f"{t}% and above" if upper is None else f"{t}% to below {_num(upper)}%"))
            upper = threshold
        out.append((self.lowest, f"below {_num(upper)}%" if upper is not None else "any"))
        return out


def _num(x: Fraction) -> str:
    """A threshold as written: 75, 74.5."""
    return str(x.numerator) if x.denominator == 1 else f"{float(x):g}"


#: 2009-2012 improvement bands: (key in the config, label, default threshold).
BANDS: tuple[tuple[str, str, int], ...] = (
    ("minimum", "MINIMUM", 75),
    ("moderate", "MODERATE", 50),
    ("substantial", "SUBSTANTIAL", 25),
    ("drastic", "DRASTIC", 0),
)
#: 2018+ ratings per standard.
RATINGS: tuple[tuple[str, str, int], ...] = (
    ("outstanding", "Outstanding", 80),
    ("good", "Good", 65),
    ("requires_improvement", "Requires improvement", 50),
    ("inadequate", "Inadequate", 0),
)


@frozen
class ScoringSettings:
    bands: Scale
    ratings: Scale


def _norm(key: str) -> str:
    return "_".join(str(key).strip().lower().replace("-", " ").split())


def _scale(name: str, spec: tuple[tuple[str, str, int], ...], table: Any, where: str) -> Scale:
    path = f"{where}scoring.{name}"
    if table is None:
        table = {}
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path} must be a table of band = lowest percent, e.g. {spec[0][1]} = {spec[0][2]}")
    known = {key: (label, default) for key, label, default in spec}
    values: dict[str, tuple[str, Fraction]] = {}
    for raw_key, value in table.items():
        key = _norm(raw_key)
        if key not in known:
            names = ", ".join(label for _, label, _ in spec)
            raise ConfigError(f"{path}.{raw_key}: unknown band (the {name} are {names})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
            raise ConfigError(f"{path}.{raw_key}: expected a percent (a number from 0 to 100), got {short_repr(value)}")
        if not 0 <= value <= 100:  # (math.isfinite cannot take an int too large for a float)
            raise ConfigError(f"{path}.{raw_key}: a percent must be from 0 to 100, got {short_repr(value)}")
        exact = Fraction(value) if isinstance(value, int) else Fraction(repr(value))
        values[key] = (str(raw_key), exact)
    lowest_key, lowest_label, _ = spec[-1]
    if lowest_key in values and values[lowest_key][1] != 0:
        raw, _ = values[lowest_key]
        raise ConfigError(
            f"{path}.{raw}: {lowest_label} takes every percent below {spec[-2][1]}; its threshold can only be 0"
        )
    thresholds: list[tuple[str, Fraction]] = []
    previous: tuple[str, Fraction] | None = None
    for key, label, default in spec[:-1]:
        raw, exact = values.get(key, (label, Fraction(default)))
        if previous is not None and exact >= previous[1]:
            raise ConfigError(
                f"{path}.{raw}: {label} = {_num(exact)} must be below {previous[0]} = {_num(previous[1])}"
                " (each band's threshold must be lower than the one above it)"
            )
        thresholds.append((label, exact))
        previous = (raw, exact)
    return Scale(name, tuple(thresholds), lowest_label)


_SCORING_KEYS = ("bands", "ratings")


def scoring_settings(table: Mapping[str, Any] | None = None, where: str = "") -> ScoringSettings:
    """Check the ``[scoring]`` table of a config and return its bands and ratings (defaults for what it
    leaves out). ``where`` prefixes error messages, e.g. ``"yos-audit.toml: "``.

    Raises :class:`rules.config.ConfigError` naming the key at fault.
    """
    table = table or {}
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}scoring must be a table")
    for key in table:
        if key not in _SCORING_KEYS:
            raise ConfigError(f"{where}scoring.{key}: unknown key (known: {', '.join(_SCORING_KEYS)})")
    return ScoringSettings(
        bands=_scale("bands", BANDS, table.get("bands"), where),
        ratings=_scale("ratings", RATINGS, table.get("ratings"), where),
    )


DEFAULT_SETTINGS = scoring_settings()


def default_scoring_toml() -> str:
    """The ``[scoring]`` tables at their defaults, commented, for ``yos-audit init`` to write."""
    lines = [
        "# Inspection-style scores (`yos-audit score`): each band takes every percent at or above its",
        "# threshold, judged on the exact share (74.9% is below 75). Only \"75% MINIMUM, 74% MODERATE\" is",
        "# in our sources (the 2012 report); the other thresholds are widely quoted assumptions.",
        "[scoring.bands]   # 2009-2012 improvement bands; DRASTIC is everything below SUBSTANTIAL",
    ]
    lines += [f"{label} = {default}" for _, label, default in BANDS[:-1]]
    lines.append("[scoring.ratings]   # 2018+ ratings per standard; Inadequate is everything below")
    lines += [f'"{label}" = {default}' if " " in label else f"{label} = {default}" for _, label, default in RATINGS[:-1]]
    return "\n".join(lines) + "\n"


def display_percent(share: Fraction | None, scale: Scale | None = None) -> float | None:
    """The percent as reports print it: one decimal, rounded half up, but never rounded up onto a
    band threshold of ``scale`` that the exact value is below (74.96 prints 74.9, so MODERATE)."""
    if share is None:
        return None
    tenths = math.floor(share * 10 + Fraction(1, 2))
    if scale is not None:
        shown = Fraction(tenths, 10)
        for _, threshold in scale.thresholds:
            if share < threshold <= shown:
                tenths = math.floor(share * 10)
                break
    return tenths / 10


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

    A tuple, as outcomes are: a large audit's scores hold one for each failing rule of each case
    (600,000 at 100,000 cases), and a frozen attrs instance costs four times a tuple to make."""

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
) -> Scores:
    """Score an audit the inspectors' way.

    ``config_scoring`` is the raw ``[scoring]`` table of the config (checked here: a mistake raises
    :class:`~rules.config.ConfigError` naming the key) or ready :class:`ScoringSettings`. ``by`` is
    ``"team"`` or ``"case-manager"`` for a breakdown. ``sample`` is recorded for the reports when the
    audited cases are an inspection-style sample (see :mod:`rules.sampling`), ``rejected`` the number of
    cases the loader rejected, both only for the reports to say.
    """
    settings = config_scoring if isinstance(config_scoring, ScoringSettings) else scoring_settings(config_scoring)
    if by is not None:
        by = by.replace("_", "-")
        if by not in BY_CHOICES:
            raise ValueError(f"cannot break scores down by {by!r}: choose {' or '.join(BY_CHOICES)}")
    rules = tuple(audit.rules)
    outcomes = audit.outcomes  # _slice counts only MET and NOT_MET, of the rules it is given
    cases_by_id = {c.case_id: c for c in audit.cases}
    layout = _Layout(rules, settings)
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
    return Scores(audit.as_of, settings, overall, by, breakdown, worst, sample, rejected)


class _Layout:
    """What every slice of one score shares: the rules, each with its standard, and the members of
    each criterion, section, standard and headline theme (their codes, and their places among the
    rules). A breakdown by case manager is hundreds of slices: each worked these out again, and
    banded each group's share as a Fraction anew (at 10,000 cases, 834 case managers: 0.45 s)."""

    def __init__(self, rules: Sequence[Rule], settings: ScoringSettings) -> None:
        self.rules = tuple((r, standard_of(r)) for r in rules)
        codes = [r.code for r in rules]

        def members(test) -> tuple[tuple[str, ...], tuple[int, ...]]:
            places = tuple(i for i, (r, std) in enumerate(self.rules) if test(r, std))
            return tuple(codes[i] for i in places), places

        in_section = {s: {c.id for c in CRITERIA if c.section == s} for s in SECTIONS}
        bands, ratings = settings.bands, settings.ratings
        #: for each kind of group: (id, title, member codes, member places, scale) of each group
        self.criteria = tuple(
            (c.id, c.title, *members(lambda r, _, c=c: r.criterion == c.id), bands) for c in CRITERIA
        )
        self.sections = tuple(
            (s, title, *members(lambda r, _, s=s: r.criterion in in_section[s]), None) for s, title in SECTIONS.items()
        )
        self.standards = tuple((std, std, *members(lambda _, st, std=std: st == std), ratings) for std in STANDARDS)
        self.headline = tuple(
            (t.key, t.title, *members(lambda r, _, t=t: t.covers(r.code)), bands) for t in HEADLINE_THEMES
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
    new = tuple.__new__  # FailingCase(...) runs a Python __new__: 600,000 at 100,000 cases
    for cid in ids:
        count, message = per_case[cid]
        case = case_of(cid)
        if case is None:
            keep(new(FailingCase, (cid, count, None, None, message)))
        else:
            keep(new(FailingCase, (cid, count, case.team, case.case_manager, message)))
    return fails
