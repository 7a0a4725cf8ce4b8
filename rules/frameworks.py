"""Inspection frameworks as data (``shared/domain/frameworks.md``): what a standard, a key question, a
criterion and a rating are, read from TOML and checked.

Three ship inside the package (``rules/data/<id>.toml``):

- ``ccl-2012``: the 2009-2012 Core Case Inspection criteria, scored from rule outcomes (``score``);
- ``hmip-2018``: HMIP's case-level standards 2.1-2.4 and 3.1-3.3 with their 21 key questions, answered
  by reading cases (``review``, the default there), and the 5 organisational standards (1.1-1.4, 3.4)
  that its overall rating adds, which no case review judges: a service may enter its own ratings of
  them (``[scoring.organisational]`` in the config, :func:`organisational_ratings`) to see the 36-point
  total and its band (``[overall]``), labelled as the service's own;
- ``hmip-2025``: the 2025 framework, **provisional** (its questions are a paraphrase, not verified).

A service may name its own file instead (``--framework FILE``): it is checked as carefully as an export,
and every mistake is reported with the file, the key and what is wrong (:class:`FrameworkError`, exit 2).

A framework is one of two kinds. A *criteria* framework (``[[criterion]]``) groups rule outcomes by the
criterion each rule names; a *questions* framework (``[[standard]]`` and ``[[question]]``) has key
questions, each with the rules that indicate an answer. Both have scales (``[scales.ratings]``: names,
lowest percents, points).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from attrs import field, frozen

from rules.errors import ConfigError
from rules.model import Case, OutcomeGroup
from rules.scales import Scale, ScoringSettings, checked_scale, norm

__all__ = [
    "CRITERIA_DEFAULT", "QUESTIONS_DEFAULT", "SHIPPED", "STATUSES",
    "Criterion", "Framework", "FrameworkError", "Level", "OrganisationalStandard", "Overall", "OverallBand", "Question",
    "ScaleSpec", "Section", "Standard", "Theme",
    "load_framework", "organisational_ratings", "selector_matches", "shipped",
]

#: the shipped frameworks, in the order ``yos-audit frameworks`` lists them
SHIPPED: tuple[str, ...] = ("ccl-2012", "hmip-2018", "hmip-2025")
#: the framework ``score`` counts criteria with, and the one whose key questions ``review`` (and
#: ``score``'s indicated view) use, unless told otherwise
CRITERIA_DEFAULT = "ccl-2012"
QUESTIONS_DEFAULT = "hmip-2018"
STATUSES = ("current", "provisional", "historic")


class FrameworkError(Exception):
    """A framework that cannot be used. ``problems`` are (file, key, message), one a mistake."""

    def __init__(self, problems: Sequence[tuple[str, str, str]]):
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{f}: {k}: {m}" if k else f"{f}: {m}" for f, k, m in self.problems))


def selector_matches(selector: str, code: str) -> bool:
    """A selector names a rule code (``ROH003``) or a family prefix (``ROH``)."""
    return code == selector or (selector.isalpha() and code.startswith(selector) and code[len(selector):].isdigit())


@frozen
class Section:
    id: str
    title: str


@frozen
class Criterion:
    """A general criterion of the 2009-2012 Core Case Inspection framework."""

    id: str
    title: str
    section: str


@frozen
class Theme:
    """A headline theme: the rules (codes or family prefixes) whose outcomes it counts."""

    key: str
    title: str
    selectors: tuple[str, ...]

    def covers(self, code: str) -> bool:
        return any(selector_matches(sel, code) for sel in self.selectors)


@frozen
class Standard:
    """A case-level standard: the cases it covers (by outcome group) and its key questions."""

    id: str
    title: str
    domain: str
    covers: frozenset[OutcomeGroup]
    questions: tuple[str, ...] = ()

    def covers_case(self, case: Case) -> bool:
        return case.group in self.covers


@frozen
class OrganisationalStandard:
    """A standard of the overall rating that is not judged from cases (HMIP 2018: domain 1, organisational
    delivery, and from 2021 3.4, out-of-court disposal policy and provision). No case review can rate
    it: only a service's own rating of it (``[scoring.organisational]`` in the config) is ever shown."""

    id: str
    title: str
    domain: str


@frozen
class OverallBand:
    name: str
    #: the fewest points the band takes (the last band: 0)
    from_points: int
    #: False: the edge below this band (``from_points - 1`` / ``from_points``) is not confirmed by a source
    edge_confirmed: bool = True


@frozen
class Overall:
    """The overall rating: bands of the total points over every standard, case-level and organisational,
    best first."""

    title: str
    bands: tuple[OverallBand, ...]
    note: str = ""

    def scale(self) -> Scale:
        return Scale("overall", tuple((b.name, Fraction(b.from_points)) for b in self.bands[:-1]), self.bands[-1].name)

    def band(self, points: int) -> str:
        """The band of a total (each band takes every total at or above its ``from_points``)."""
        return self.scale().classify(points)

    @property
    def unconfirmed_edges(self) -> tuple[tuple[int, int], ...]:
        """(highest points of the band below, lowest of the band above) of each edge not confirmed,
        lowest first: ``((6, 7), (30, 31))``."""
        return tuple(sorted((b.from_points - 1, b.from_points) for b in self.bands if not b.edge_confirmed))


@frozen
class Question:
    id: str
    standard: str
    lens: str
    text: str
    #: rule codes or family prefixes whose outcomes indicate an answer
    indicators: tuple[str, ...]

    def indicated_by(self, code: str) -> bool:
        return any(selector_matches(sel, code) for sel in self.indicators)


@frozen
class Level:
    name: str
    #: the lowest percent the level takes (the last level: 0)
    threshold: Fraction
    points: int | None = None


@frozen
class ScaleSpec:
    """A scale as the framework writes it: levels best first."""

    key: str
    title: str
    levels: tuple[Level, ...]

    def spec(self) -> list[tuple[str, str, Any]]:
        """(config key, label, default threshold) of each level, for :func:`rules.scales.checked_scale`."""
        return [(norm(lv.name), lv.name, _plain(lv.threshold)) for lv in self.levels]

    def points(self) -> dict[str, int]:
        return {lv.name: lv.points for lv in self.levels if lv.points is not None}

    def scale(self, overrides: Mapping[str, Any] | None = None, where: str = "") -> Scale:
        """The scale, with the thresholds of a config's ``[scoring.<key>]`` table if given."""
        return checked_scale(self.key, self.spec(), overrides, where, self.points())


def _plain(x: Fraction) -> int | float:
    return x.numerator if x.denominator == 1 else float(x)


@frozen
class Framework:
    id: str
    title: str
    #: a short name for narrow places ("HMIP 2018")
    short: str
    status: str
    sources: tuple[str, ...]
    note: str
    #: where it was read from: None for a shipped framework
    file: str | None = None
    sections: tuple[Section, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    themes: tuple[Theme, ...] = ()
    #: the 2018+ standards a rule may name (criteria frameworks)
    rule_standards: tuple[str, ...] = ()
    standards: tuple[Standard, ...] = ()
    questions: tuple[Question, ...] = ()
    scales: Mapping[str, ScaleSpec] = field(factory=dict)
    #: the smallest and largest case sample the framework's inspectors read (hmip-2025: 14 and 91)
    sample_min: int | None = None
    sample_max: int | None = None
    #: the standards of the overall rating not judged from cases (``[[standard]]`` with ``from_cases =
    #: false``); ``standards`` are the case-level ones only
    organisational: tuple[OrganisationalStandard, ...] = ()
    #: the overall rating's bands of total points (``[overall]``); None: the framework has none
    overall: Overall | None = None

    @property
    def kind(self) -> str:
        """``criteria`` (scored from rule outcomes) or ``questions`` (key questions answered by reading)."""
        return "criteria" if self.criteria else "questions"

    @property
    def provisional(self) -> bool:
        return self.status == "provisional"

    @property
    def label(self) -> str:
        """The id as every report writes it: ``hmip-2025 (provisional)``."""
        return f"{self.id} (provisional)" if self.provisional else self.id

    def standard(self, id: str) -> Standard:
        for s in self.standards:
            if s.id == id:
                return s
        raise KeyError(id)

    def question(self, id: str) -> Question:
        for q in self.questions:
            if q.id == id:
                return q
        raise KeyError(id)

    def questions_of(self, standard_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.standard == standard_id)

    def ratings(self, overrides: Mapping[str, Any] | None = None, where: str = "") -> Scale:
        """The rating scale, with a config's ``[scoring.ratings]`` thresholds where its names are the
        framework's."""
        spec = self.scales["ratings"]
        if overrides and {norm(k) for k in overrides} <= {norm(lv.name) for lv in spec.levels}:
            return spec.scale(overrides, where)
        return spec.scale(None, where)

    @property
    def _best_points(self) -> int:
        return max((lv.points or 0 for lv in self.scales["ratings"].levels), default=0)

    @property
    def max_points(self) -> int:
        """The points a perfect case-level rating earns: the best level's points for each standard."""
        return self._best_points * len(self.standards)

    @property
    def organisational_max_points(self) -> int:
        """The points of the organisational standards at their best (hmip-2018: 5 standards, 15)."""
        return self._best_points * len(self.organisational)

    @property
    def total_max_points(self) -> int:
        """The points of every standard of the overall rating at its best (hmip-2018: 12 standards, 36)."""
        return self.max_points + self.organisational_max_points

    def organisational_standard(self, id: str) -> OrganisationalStandard:
        for s in self.organisational:
            if s.id == id:
                return s
        raise KeyError(id)


# -- reading and checking ---------------------------------------------------------------------------

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_TOP = {"id", "title", "short", "status", "sources", "note", "section", "criterion", "theme", "rule_standards",
        "standard", "question", "scales", "sample_min", "sample_max", "overall"}


class _Checker:
    """Collects every mistake of one file: (file, key, message)."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[tuple[str, str, str]] = []

    def bad(self, key: str, message: str) -> None:
        self.problems.append((self.file, key, message))

    def text(self, table: Mapping, key: str, where: str, required: bool = True, default: str = "") -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.bad(f"{where}{key}", "missing (text is required)")
            return default
        if not isinstance(value, str) or not value.strip():
            self.bad(f"{where}{key}", f"expected text, got {_show(value)}")
            return default
        return value.strip()

    def text_list(self, table: Mapping, key: str, where: str, required: bool = False) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            if required:
                self.bad(f"{where}{key}", "missing (a list of text is required)")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.bad(f"{where}{key}", f"expected a list of text, got {_show(value)}")
            return ()
        return tuple(v.strip() for v in value)

    def tables(self, data: Mapping, key: str) -> list[tuple[str, Mapping]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.bad(key, f"expected tables ([[{key}]]), got {_show(value)}")
            return []
        return [(f"{key}[{i}]", v) for i, v in enumerate(value)]

    def unknown(self, table: Mapping, known: Iterable[str], where: str) -> None:
        known = set(known)
        for k in table:
            if k not in known:
                self.bad(f"{where}{k}", f"unknown key (known: {', '.join(sorted(known))})")


def _show(value: Any) -> str:
    from rules.registry import short_repr

    return short_repr(value)


def _named(where: str, table: Mapping) -> str:
    """``question[3] ("2.1.3").`` : the index and, when it has one, the id of a table."""
    ident = table.get("id")
    return f'{where} ("{ident}").' if isinstance(ident, str) else f"{where}."


def _rule_codes() -> tuple[str, ...]:
    from rules.catalogue import all_rules

    return tuple(all_rules())


def _selectors(c: _Checker, table: Mapping, key: str, where: str, required: bool) -> tuple[str, ...]:
    sels = c.text_list(table, key, where, required)
    codes = _rule_codes()
    for i, sel in enumerate(sels):
        if not any(selector_matches(sel, code) for code in codes):
            c.bad(f"{where}{key}[{i}]", f"unknown rule code or prefix {sel!r} (see `yos-audit rules`)")
    return sels


def _is_levels(c: _Checker, raw: Any, where: str, example: str) -> bool:
    """Whether ``raw`` is the ``levels`` of a scale or of the overall bands: a list of at least two tables
    (if not, it is said, with an ``example`` level)."""
    if isinstance(raw, list) and len(raw) >= 2 and all(isinstance(v, Mapping) for v in raw):
        return True
    c.bad(f"{where}levels", f"expected a list of at least two levels, best first: {example}")
    return False


def _named_levels(c: _Checker, raw: list, where: str, keys: tuple[str, ...]) -> Iterator[tuple[int, str, Mapping, str]]:
    """Each level, best first, as (index, its key's prefix, its table, its name), once its keys are
    checked against ``keys`` and its name against the names before it."""
    names: set[str] = set()
    for i, lv in enumerate(raw):
        at = f"{where}levels[{i}]."
        c.unknown(lv, keys, at)
        name = c.text(lv, "name", at)
        if name and norm(name) in names:
            c.bad(f"{at}name", f"{name!r} is named twice")
        names.add(norm(name))
        yield i, at, lv, name


def _scale(c: _Checker, key: str, table: Any, with_points: bool) -> ScaleSpec | None:
    where = f"scales.{key}."
    if not isinstance(table, Mapping):
        c.bad(f"scales.{key}", f"expected a table, got {_show(table)}")
        return None
    c.unknown(table, ("title", "levels"), where)
    title = c.text(table, "title", where, required=False, default=key)
    raw = table.get("levels")
    if not _is_levels(c, raw, where, '{ name = "Good", from = 65, points = 2 }'):
        return None
    levels: list[Level] = []
    previous: Fraction | None = None
    for i, at, lv, name in _named_levels(c, raw, where, ("name", "from", "points")):
        value = lv.get("from")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            c.bad(f"{at}from", f"expected a percent from 0 to 100, got {_show(value)}")
            continue
        exact = Fraction(value) if isinstance(value, int) else Fraction(repr(value))
        if previous is not None and exact >= previous:
            c.bad(f"{at}from", f"{_plain(exact)} must be below the level above it ({_plain(previous)}): levels go best first")
        if i == len(raw) - 1 and exact != 0:
            c.bad(f"{at}from", f"the last level takes every percent below the one above it: its 'from' must be 0, not {_plain(exact)}")
        previous = exact
        points = lv.get("points")
        if points is not None and (isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= 100):
            c.bad(f"{at}points", f"expected a whole number from 0 to 100, got {_show(points)}")
            points = None
        if with_points and points is None and "points" not in lv:
            c.bad(f"{at}points", "missing: a rating level needs its points (Outstanding 3 ... Inadequate 0)")
        levels.append(Level(name, exact, points))
    return ScaleSpec(key, title, tuple(levels))


def parse_framework(data: Mapping[str, Any], file: str, shipped_file: bool = False) -> Framework:
    """Check a framework's table (as read from TOML) and build it; :class:`FrameworkError` with every
    mistake found."""
    c = _Checker(file)
    c.unknown(data, _TOP, "")
    ident = c.text(data, "id", "")
    if ident and not _ID.fullmatch(ident):
        c.bad("id", f"{ident!r}: letters, digits, '.', '_' and '-' only (at most 64)")
    title = c.text(data, "title", "")
    short = c.text(data, "short", "", required=False, default=ident)
    status = c.text(data, "status", "")
    if status and status not in STATUSES:
        c.bad("status", f"{status!r}: must be one of {', '.join(STATUSES)}")
    sources = c.text_list(data, "sources", "")
    note = c.text(data, "note", "", required=False)
    sample = {}
    for key in ("sample_min", "sample_max"):
        v = data.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 100_000):
            c.bad(key, f"expected a whole number of cases, got {_show(v)}")
            v = None
        sample[key] = v
    if sample["sample_min"] and sample["sample_max"] and sample["sample_min"] > sample["sample_max"]:
        c.bad("sample_max", f"{sample['sample_max']} is below sample_min ({sample['sample_min']})")

    is_criteria = bool(data.get("criterion"))
    is_questions = bool(data.get("question") or data.get("standard"))
    if is_criteria and is_questions:
        c.bad("criterion", "a framework has criteria (scored from rule outcomes) or standards with key questions, not both")
    if not is_criteria and not is_questions:
        c.bad("", "no [[criterion]] and no [[standard]] with [[question]]: nothing to score")

    sections: list[Section] = []
    criteria: list[Criterion] = []
    themes: list[Theme] = []
    standards: list[Standard] = []
    questions: list[Question] = []
    seen: dict[str, set[str]] = {"section": set(), "criterion": set(), "theme": set(), "standard": set(), "question": set()}

    def unique(kind: str, where: str, value: str) -> None:
        if value in seen[kind]:
            c.bad(f"{where}id", f"{value!r} is used twice")
        seen[kind].add(value)

    for where, t in c.tables(data, "section"):
        at = _named(where, t)
        c.unknown(t, ("id", "title"), at)
        s = Section(c.text(t, "id", at), c.text(t, "title", at))
        unique("section", at, s.id)
        sections.append(s)
    for where, t in c.tables(data, "criterion"):
        at = _named(where, t)
        c.unknown(t, ("id", "title", "section"), at)
        cr = Criterion(c.text(t, "id", at), c.text(t, "title", at), c.text(t, "section", at))
        unique("criterion", at, cr.id)
        if cr.section and cr.section not in seen["section"]:
            c.bad(f"{at}section", f"no [[section]] {cr.section!r}")
        criteria.append(cr)
    for where, t in c.tables(data, "theme"):
        at = _named(where, t)
        c.unknown(t, ("id", "title", "rules"), at)
        th = Theme(c.text(t, "id", at), c.text(t, "title", at), _selectors(c, t, "rules", at, required=True))
        unique("theme", at, th.key)
        themes.append(th)
    rule_standards = c.text_list(data, "rule_standards", "")

    groups = {g.value: g for g in OutcomeGroup}
    organisational: list[OrganisationalStandard] = []
    standard_at: list[str] = []  # where each case-level standard is: standard[i]
    for where, t in c.tables(data, "standard"):
        at = _named(where, t)
        c.unknown(t, ("id", "title", "domain", "covers", "from_cases"), at)
        sid = c.text(t, "id", at)
        if sid and not _ID.fullmatch(sid):
            c.bad(f"{at}id", f"{sid!r}: letters, digits, '.', '_' and '-' only")
        unique("standard", at, sid)
        from_cases = t.get("from_cases", True)
        if not isinstance(from_cases, bool):
            c.bad(f"{at}from_cases", f"expected true or false, got {_show(from_cases)}")
            from_cases = True
        if not from_cases:  # rated by the service, never from a case: it covers no case and has no question
            if "covers" in t:
                c.bad(f"{at}covers", "a standard not judged from cases (from_cases = false) covers no cases")
            organisational.append(OrganisationalStandard(sid, c.text(t, "title", at),
                                                         c.text(t, "domain", at, required=False)))
            continue
        covers = c.text_list(t, "covers", at, required=True)
        for i, g in enumerate(covers):
            if g not in groups:
                c.bad(f"{at}covers[{i}]", f"unknown outcome group {g!r} (known: {', '.join(groups)})")
        standards.append(Standard(sid, c.text(t, "title", at), c.text(t, "domain", at, required=False),
                                  frozenset(groups[g] for g in covers if g in groups)))
        standard_at.append(where)
    for where, t in c.tables(data, "question"):
        at = _named(where, t)
        c.unknown(t, ("id", "standard", "lens", "text", "indicators"), at)
        q = Question(
            c.text(t, "id", at), c.text(t, "standard", at), c.text(t, "lens", at), c.text(t, "text", at),
            _selectors(c, t, "indicators", at, required=False),
        )
        unique("question", at, q.id)
        if q.standard and any(o.id == q.standard for o in organisational):
            c.bad(f"{at}standard", f"standard {q.standard!r} is not judged from cases (from_cases = false): it has no key questions")
        elif q.standard and q.standard not in seen["standard"]:
            c.bad(f"{at}standard", f"no [[standard]] {q.standard!r}")
        elif q.id and q.standard and not q.id.startswith(q.standard + "."):
            c.bad(f"{at}id", f"{q.id!r}: a question's id is its standard's and a number ({q.standard}.1)")
        questions.append(q)
    standards = [
        Standard(s.id, s.title, s.domain, s.covers, tuple(q.id for q in questions if q.standard == s.id)) for s in standards
    ]
    for where, s in zip(standard_at, standards, strict=True):
        if is_questions and not s.questions and s.id:
            c.bad(f'{where} ("{s.id}")', "has no [[question]]")

    scales: dict[str, ScaleSpec] = {}
    raw_scales = data.get("scales")
    if not isinstance(raw_scales, Mapping):
        c.bad("scales", "missing: [scales.ratings] (levels best first, each with name, from and points)")
    else:
        wanted = ("bands", "ratings") if is_criteria else ("ratings",)
        c.unknown(raw_scales, wanted, "scales.")
        for key in wanted:
            if key not in raw_scales:
                c.bad(f"scales.{key}", "missing")
                continue
            spec = _scale(c, key, raw_scales[key], with_points=key == "ratings")
            if spec is not None:
                scales[key] = spec
    overall = None
    if "overall" in data:
        if is_criteria:
            c.bad("overall", "an overall rating adds up the points of standards: a framework of criteria has none")
        elif not organisational:
            c.bad("overall", "an overall rating of case-level standards alone is not HMIP's: it needs the standards not "
                             "judged from cases ([[standard]] with from_cases = false)")
        best = max((lv.points or 0 for lv in scales["ratings"].levels), default=0) if "ratings" in scales else None
        total = None if best is None else best * (len(standards) + len(organisational))
        overall = _overall(c, data["overall"], total)
    elif organisational:
        c.bad("overall", "missing: the bands of the overall rating's total points ([overall]), which the standards "
                         "not judged from cases (from_cases = false) are for")
    if c.problems:
        raise FrameworkError(c.problems)
    return Framework(
        id=ident, title=title, short=short, status=status, sources=sources, note=note,
        file=None if shipped_file else file, sections=tuple(sections), criteria=tuple(criteria), themes=tuple(themes),
        rule_standards=rule_standards, standards=tuple(standards), questions=tuple(questions), scales=scales,
        sample_min=sample["sample_min"], sample_max=sample["sample_max"], organisational=tuple(organisational),
        overall=overall,
    )


def _overall(c: _Checker, table: Any, total: int | None) -> Overall | None:
    """``[overall]``: the bands of the total points, best first, each from the fewest points it takes."""
    if not isinstance(table, Mapping):
        c.bad("overall", f"expected a table, got {_show(table)}")
        return None
    c.unknown(table, ("title", "note", "levels"), "overall.")
    title = c.text(table, "title", "overall.", required=False, default="overall rating")
    note = c.text(table, "note", "overall.", required=False)
    raw = table.get("levels")
    if not _is_levels(c, raw, "overall.", '{ name = "Good", from = 19 }'):
        return None
    bands: list[OverallBand] = []
    previous: int | None = None
    for i, at, lv, name in _named_levels(c, raw, "overall.", ("name", "from", "edge_confirmed")):
        value = lv.get("from")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            c.bad(f"{at}from", f"expected the fewest points the level takes (a whole number, 0 or more), got {_show(value)}")
            continue
        if total is not None and value > total:
            c.bad(f"{at}from", f"{value} is more than the {total} points every standard at its best earns")
        if previous is not None and value >= previous:
            c.bad(f"{at}from", f"{value} must be below the level above it ({previous}): levels go best first")
        last = i == len(raw) - 1
        if last and value != 0:
            c.bad(f"{at}from", f"the last level takes every total below the one above it: its 'from' must be 0, not {value}")
        previous = value
        confirmed = lv.get("edge_confirmed", True)
        if not isinstance(confirmed, bool):
            c.bad(f"{at}edge_confirmed", f"expected true or false, got {_show(confirmed)}")
            confirmed = True
        elif last and not confirmed:
            c.bad(f"{at}edge_confirmed", "the last level has no edge below it")
        bands.append(OverallBand(name, value, confirmed))
    return Overall(title, tuple(bands), note)


@cache
def shipped(ident: str) -> Framework:
    """A framework shipped with the package, by id."""
    import tomllib

    if ident not in SHIPPED:
        raise FrameworkError([(ident, "", f"no shipped framework {ident!r} (shipped: {', '.join(SHIPPED)})")])
    text = (files("rules") / "data" / f"{ident}.toml").read_text(encoding="utf-8")
    return parse_framework(tomllib.loads(text), f"{ident}.toml", shipped_file=True)


def load_framework(ref: str | Path, base: str | Path | None = None) -> Framework:
    """A shipped framework by id (any case), else the framework file ``ref`` (relative to ``base``, a
    folder, when not absolute). :class:`FrameworkError` naming the file, the key and the mistake."""
    from rules.tomlfile import TomlFileError, read_toml

    text = str(ref).strip()
    if text.lower() in SHIPPED:
        return shipped(text.lower())
    path = Path(text)
    if base is not None and not path.is_absolute():
        path = Path(base) / path
    if not path.exists() and not text.lower().endswith(".toml"):
        raise FrameworkError([(text, "", f"no framework {text!r}: a shipped id ({', '.join(SHIPPED)}) or a framework file")])
    try:
        data = read_toml(path, "framework file")
    except TomlFileError as exc:
        raise FrameworkError([(str(path), "", str(exc))]) from None
    return parse_framework(data, str(path))


# -- the config's [scoring] table: the bands and ratings of ccl-2012, a service's own thresholds -------


_SCORING_KEYS = ("bands", "ratings", "organisational")


def scoring_settings(table: Mapping[str, Any] | None = None, where: str = "") -> ScoringSettings:
    """Check the ``[scoring]`` table of a config and return its bands and ratings (the defaults of
    the framework ``ccl-2012`` for what it leaves out). ``where`` prefixes error messages, e.g.
    ``"yos-audit.toml: "``.

    Raises :class:`rules.config.ConfigError` naming the key at fault.
    """
    ccl = shipped(CRITERIA_DEFAULT)
    table = table or {}
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}scoring must be a table")
    for key in table:
        if key not in _SCORING_KEYS:
            raise ConfigError(f"{where}scoring.{key}: unknown key (known: {', '.join(_SCORING_KEYS)})")
    _organisational_table(table.get("organisational"), where)
    bands, ratings = ccl.scales["bands"], ccl.scales["ratings"]
    return ScoringSettings(
        bands=checked_scale("bands", bands.spec(), table.get("bands"), where, bands.points()),
        ratings=checked_scale("ratings", ratings.spec(), table.get("ratings"), where, ratings.points()),
    )


def _toml(value: Any) -> str:
    """A value as TOML writes it (``"Good"``, ``2``), for a message that names a key and its value."""
    import tomli_w

    try:
        return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()
    except (TypeError, ValueError):
        return _show(value)


def _dotted(key: str) -> str:
    """``"1.1"``: a key as a dotted TOML path writes it."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml(key)


def _organisational_table(table: Any, where: str) -> dict[str, str]:
    """``[scoring.organisational]`` checked for what needs no framework: a table of standard = rating
    (text). The standards and ratings themselves are the framework's: :func:`organisational_ratings`."""
    if table is None:
        return {}
    path = f"{where}scoring.organisational"
    if not isinstance(table, Mapping):
        raise ConfigError(f'{path} = {_toml(table)}: expected a table of standard = rating, e.g. "1.1" = "Good"')
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{path}.{_dotted(key)} = {_toml(value)}: expected a rating as text, e.g. \"Good\"")
    return dict(table)


def organisational_ratings(framework: Framework, table: Any, where: str = "") -> dict[str, str]:
    """The service's own ratings of ``framework``'s organisational standards, from the config's
    ``[scoring.organisational]`` (``"1.1" = "Good"``): standard id -> the rating as the framework's
    scale names it (any case: ``"requires improvement"``), in the framework's order. Empty when the
    table is absent or empty.

    Raises :class:`ConfigError` naming the file (``where``), the key and the value: a framework with no
    organisational standards, a standard that is not one of them, a rating that is not the framework's.
    """
    entered = _organisational_table(table, where)
    if not entered:
        return {}
    path = f"{where}scoring.organisational"
    first = next(iter(entered))
    if not framework.organisational:
        having = [i for i in SHIPPED if shipped(i).organisational]
        raise ConfigError(
            f"{path}.{_dotted(first)} = {_toml(entered[first])}: {framework.label} has no organisational standards "
            f"(standards not judged from cases) to rate: these ratings are for {', '.join(having) or 'another framework'}; "
            "remove the table to review under this framework"
        )
    known = {o.id: o for o in framework.organisational}
    levels = {norm(lv.name): lv.name for lv in framework.scales["ratings"].levels}
    out: dict[str, str] = {}
    for key, value in entered.items():
        at = f"{path}.{_dotted(key)} = {_toml(value)}"
        if key not in known:
            listed = ", ".join(f"{o.id} {o.title}" for o in framework.organisational)
            why = (f"{key} is judged from the cases reviewed, not entered" if any(s.id == key for s in framework.standards)
                   else f"no organisational standard {_toml(key)} in {framework.label}")
            raise ConfigError(f"{at}: {why} (its organisational standards: {listed})")
        rating = levels.get(norm(value))
        if rating is None:
            raise ConfigError(f"{at}: not a rating of {framework.label} ({', '.join(levels.values())})")
        out[key] = rating
    return {o.id: out[o.id] for o in framework.organisational if o.id in out}


def default_scoring_toml() -> str:
    """The ``[scoring]`` tables at their defaults, commented, for ``yos-audit init`` to write."""
    ccl = shipped(CRITERIA_DEFAULT)

    def lines_of(kind: str) -> list[str]:
        spec = ccl.scales[kind].spec()
        return [f'"{label}" = {default}' if " " in label else f"{label} = {default}" for _, label, default in spec[:-1]]

    lines = [
        "# Inspection-style scores (`yos-audit score`): each band takes every percent at or above its",
        "# threshold, judged on the exact share (74.9% is below 75). Only \"75% MINIMUM, 74% MODERATE\" is",
        "# in our sources (the 2012 report); the other thresholds are widely quoted assumptions.",
        "[scoring.bands]   # 2009-2012 improvement bands; DRASTIC is everything below SUBSTANTIAL",
        *lines_of("bands"),
        "[scoring.ratings]   # 2018+ ratings per standard; Inadequate is everything below",
        *lines_of("ratings"),
    ]
    fw = shipped(QUESTIONS_DEFAULT)
    if fw.organisational and fw.overall is not None:
        lines += [
            "",
            (f"# Your service's own ratings of {fw.id}'s {len(fw.organisational)} organisational standards, not the "
             f"tool's: `yos-audit review` adds them to the case-level points for the {fw.total_max_points}-point "
             "overall total."),
            "# [scoring.organisational]",
            *(f"# {_toml(o.id)} = \"Good\"   # {o.title}" for o in fw.organisational),
        ]
    return "\n".join(lines) + "\n"
