"""The rule shape, the registry, outcomes and findings, and :func:`audit`.

A rule is one small function decorated with :func:`rule`. Its docstring is its documentation (the
first line is the summary; ``Checks:``, ``Why:``, ``Do:`` and ``Choices:`` sections follow), its examples are
TOML fragments of one case that the tests run, and its options are the timescales a service may set.
It takes a :class:`~rules.facts.CaseView` and its options and returns ``None`` (not applicable), one
:class:`Verdict`, or a list of them for rules that judge each record on its own.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any, NamedTuple

from attrs import field, frozen

from rules.calendar import add_working_days
from rules.facts import CaseView
from rules.model import Case, Caseload


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    PENDING = "pending"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


#: A PENDING outcome due within this many working days of the as-of date gives an info finding.
DUE_SOON_WORKING_DAYS = 5


class Verdict(NamedTuple):
    """What a rule says of one case (or one record of it). A tuple: millions are made in a large audit."""

    status: Status
    message: str = ""
    evidence: tuple[str, ...] = ()
    due_on: dt.date | None = None
    done_on: dt.date | None = None
    #: per-record rules: the record this verdict is about (an id, or ``contact 2026-07-01``)
    record: str | None = None
    #: recurring duties (reviews, contacts) that are met so far: when the next one falls due
    next_due: dt.date | None = None


class Outcome(NamedTuple):
    """A rule's verdict on one case, named: a tuple too (a large audit keeps millions)."""

    rule: str
    case_id: str
    status: Status
    message: str = ""
    evidence: tuple[str, ...] = ()
    due_on: dt.date | None = None
    done_on: dt.date | None = None
    record: str | None = None
    next_due: dt.date | None = None


@frozen
class Example:
    """One case, written as the body of a ``[[cases]]`` table, judged on ``as_of``."""

    toml: str
    as_of: dt.date


@frozen
class Option:
    """A rule option as its rule declares it, once: its default and the values it may take.

    A whole number takes ``low`` to ``high`` (in ``unit``: "working days", "months"); a text option
    one of ``choices``. The config is checked against the declaration (:meth:`problem`) and
    ``yos-audit init`` writes it into its template (:meth:`describe`)."""

    default: int | str
    low: int = 0
    high: int = 0
    unit: str = ""
    choices: tuple[str, ...] = ()

    @classmethod
    def working_days(cls, default: int) -> Option:
        """A timescale in working days: at most a year of them (0: the same day)."""
        return cls(default, 0, 260, "working days")

    @classmethod
    def months(cls, default: int) -> Option:
        """An interval in calendar months: at least one, at most three years (the longest youth order)."""
        return cls(default, 1, 36, "months")

    @classmethod
    def level(cls, default: str) -> Option:
        """A RoSH or vulnerability level at or above which a duty applies."""
        from rules.model import Level

        return cls(default, choices=tuple(Level.__members__))

    @classmethod
    def count(cls, default: int, low: int, high: int, unit: str) -> Option:
        return cls(default, low, high, unit)

    def describe(self) -> str:
        """The values it takes, for the template: ``0 to 260 working days``, ``one of LOW, MEDIUM, ...``."""
        if self.choices:
            return f"one of {', '.join(self.choices)}"
        return f"{self.low} to {self.high} {self.unit}".rstrip()

    def problem(self, value: Any) -> str | None:
        """Why ``value`` cannot be this option's (a plain phrase), or None if it can."""
        if self.choices:
            if value.__class__ is not str or value not in self.choices:
                return f"must be {self.describe()}, not {short_repr(value)}"
            return None
        if value.__class__ is not int:  # bool is an int to isinstance, and a float is not whole
            return f"expected a whole number from {self.describe()}, got {short_repr(value)}"
        if not self.low <= value <= self.high:
            return f"must be from {self.describe()}, not {short_repr(value)}"
        return None


def short_repr(value: Any) -> str:
    """A value as a message may show it, at most 40 characters: an integer of thousands of digits is not
    printed whole (nor can it be: Python refuses to turn one of over 4,300 digits into text)."""
    if isinstance(value, int) and value.bit_length() > 128:
        return f"a number of {'thousands of' if value.bit_length() > 14_000 else len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_SECTION = re.compile(r"^(Checks|Why|Do|Choices):\s*", re.MULTILINE)


@frozen
class Rule:
    code: str
    name: str
    summary: str
    checks: str
    why: str
    #: what a case manager should do about a finding
    action: str
    choices: str
    severity: Severity
    criterion: str  # 2012 framework: 1.1 ... 3.2
    standard: str  # 2018+ framework: Assessment, Planning, Implementation and delivery, Reviewing
    source: str
    check: Callable[[CaseView, Mapping[str, Any]], Verdict | Sequence[Verdict] | None] = field(repr=False)
    #: each option's default, by name (what a check is given unless the config sets it)
    options: Mapping[str, Any] = field(factory=dict)
    per_record: bool = False
    fails: Example | None = None
    passes: Example | None = None
    #: each option as the rule declares it, with the values it may take
    option_specs: Mapping[str, Option] = field(factory=dict)

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")


REGISTRY: dict[str, Rule] = {}


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]

EXAMPLE_AS_OF = dt.date(2026, 11, 20)


def rule(
    code: str,
    name: str,
    *,
    severity: Severity | str,
    criterion: str,
    standard: str,
    source: str,
    fails: str,
    passes: str,
    options: Mapping[str, Option] | None = None,
    per_record: bool = False,
    as_of: dt.date = EXAMPLE_AS_OF,
):
    """Register the decorated check as a rule of the catalogue; every option is declared with the
    values it may take (:class:`Option`)."""
    specs = dict(options or {})
    for key, spec in specs.items():
        if not isinstance(spec, Option) or spec.problem(spec.default) is not None:
            raise TypeError(f"rule {code}: option {key} must be an Option whose default it allows, not {spec!r}")

    def register(check):
        doc = inspect.cleandoc(check.__doc__ or "")
        summary, _, body = doc.partition("\n\n")
        parts = _SECTION.split(body)
        sections = {parts[i]: _sentence(parts[i + 1]) for i in range(1, len(parts) - 1, 2)}
        if code in REGISTRY:
            raise ValueError(f"rule {code} is registered twice")
        REGISTRY[code] = Rule(
            code=code,
            name=name,
            summary=" ".join(summary.split()),
            checks=sections.get("Checks", ""),
            why=sections.get("Why", ""),
            action=sections.get("Do", ""),
            choices=sections.get("Choices", ""),
            severity=Severity(severity),
            criterion=criterion,
            standard=standard,
            source=source,
            check=check,
            options={key: spec.default for key, spec in specs.items()},
            option_specs=specs,
            per_record=per_record,
            fails=Example(inspect.cleandoc(fails), as_of),
            passes=Example(inspect.cleandoc(passes), as_of),
        )
        return check

    return register


def all_rules() -> dict[str, Rule]:
    """Every registered rule by code, in catalogue order."""
    import rules.catalogue  # noqa: F401 - registers the rules on first import

    return REGISTRY


# -- findings -----------------------------------------------------------------------------------


class Finding(NamedTuple):
    """A gap to act on: a NOT_MET outcome, or an info reminder that something falls due soon.

    A tuple, as outcomes are: a large audit makes hundreds of thousands (``_replace`` makes a changed copy)."""

    rule: str
    name: str
    severity: Severity
    case_id: str
    message: str
    evidence: tuple[str, ...]
    due_on: dt.date | None
    criterion: str
    status: Status
    record: str | None = None
    case_manager: str | None = None
    team: str | None = None
    waived: bool = False
    waiver_reason: str | None = None
    #: when it was done, if it was: a NOT_MET with a date was done late (history, not a task)
    done_on: dt.date | None = None

    @property
    def key(self) -> tuple[str, str, tuple[str, ...], str | None]:
        """Content identity (rule, case, evidence, record), never a position: for waivers and baselines."""
        return (self.rule, self.case_id, self.evidence, self.record)

    def is_overdue(self, as_of: dt.date) -> bool:
        """A duty still not done whose due date has passed by ``as_of``: something to do now."""
        return self.status is Status.NOT_MET and self.done_on is None and self.due_on is not None and self.due_on < as_of


def finding_sort_key(f: Finding) -> tuple:
    """The JSON order of the CLI contract: case_id, then rule, then due_on."""
    return (f.case_id, f.rule, f.due_on or dt.date.max, f.record or "")


# -- the audit ----------------------------------------------------------------------------------


@frozen
class Audit:
    as_of: dt.date
    rules: tuple[Rule, ...]
    cases: tuple[Case, ...]
    #: every outcome except NOT_APPLICABLE, in case order then rule order
    outcomes: tuple[Outcome, ...]
    findings: tuple[Finding, ...]


def evaluate(rule_: Rule, view: CaseView, options: Mapping[str, Any]) -> list[Outcome]:
    """The outcomes of one rule on one case (an empty list: not applicable)."""
    result = rule_.check(view, options)
    if result is None:
        return []
    cid, code, na = view.case.case_id, rule_.code, Status.NOT_APPLICABLE
    if result.__class__ is Verdict:
        return [] if result.status is na else [Outcome(code, cid, *result)]
    return [Outcome(code, cid, *v) for v in result if v.status is not na]


def audit(
    caseload: Caseload | Iterable[Case],
    as_of: dt.date,
    rules: Sequence[Rule] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    severities: Mapping[str, Severity] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Audit:
    """Run the rules over every case as of ``as_of``; nothing dated after ``as_of`` exists.

    ``options`` and ``severities`` (by rule code) override the rules' own; ``progress`` is called with
    (cases done, cases in all) as the audit goes."""
    cases = tuple(caseload.cases if isinstance(caseload, Caseload) else caseload)
    selected = tuple(rules if rules is not None else all_rules().values())
    options = options or {}
    severities = severities or {}
    plan = [(r, {**r.options, **options.get(r.code, {})}, Severity(severities.get(r.code, r.severity))) for r in selected]
    outcomes, marks = _run(cases, plan, as_of, add_working_days(as_of, DUE_SOON_WORKING_DAYS), progress)
    return Audit(as_of, selected, cases, tuple(outcomes), tuple(_findings(plan, cases, outcomes, marks)))


#: (index into the outcomes, index into the cases, index into the plan, due date, is a reminder)
Mark = tuple[int, int, int, "dt.date | None", bool]


def _run(cases, plan, as_of, soon, progress) -> tuple[list[Outcome], list[Mark]]:
    """The outcomes of the plan's rules on ``cases``, in case order then rule order, and a mark for
    each finding they give: a NOT_MET, or a reminder of something due within days."""
    outcomes: list[Outcome] = []
    marks: list[Mark] = []
    total = len(cases)
    # the hot loop of a large audit (millions of outcomes): evaluate() inlined
    na, not_met, pending = Status.NOT_APPLICABLE, Status.NOT_MET, Status.PENDING
    new_outcome = tuple.__new__
    keep, mark = outcomes.append, marks.append
    checks = [(j, r.check, r.code, opts) for j, (r, opts, _) in enumerate(plan)]
    # one object for each distinct message and evidence: most repeat (the same dates, the same ids),
    # and a large audit keeps millions of outcomes (a message is a str, evidence a tuple: one table holds both)
    message = evidence = {}.setdefault
    for ci, case in enumerate(cases):
        if case.start_date <= as_of:  # a case that has not started yet has nothing to audit
            view, cid = CaseView(case, as_of), case.case_id
            for j, check, code, opts in checks:
                result = check(view, opts)
                if result is None:
                    continue
                for v in (result,) if result.__class__ is Verdict else result:
                    status = v.status
                    if status is na:
                        continue
                    m, e = v[1], v[2]
                    o = new_outcome(Outcome, (code, cid, status, message(m, m), evidence(e, e), v[3], v[4], v[5], v[6]))
                    keep(o)
                    if status is not_met:
                        mark((len(outcomes) - 1, ci, j, o.due_on, False))
                    else:
                        due = o.due_on if status is pending else o.next_due
                        if due is not None and as_of <= due <= soon:  # a reminder: due within days
                            mark((len(outcomes) - 1, ci, j, due, True))
        if progress is not None and ((ci + 1) % 500 == 0 or ci + 1 == total):
            progress(ci + 1, total)
    return outcomes, marks


def _findings(plan: Sequence[tuple[Rule, Any, Severity]], cases: Sequence[Case], outcomes: Sequence[Outcome],
              marks: Iterable[Mark]) -> list[Finding]:
    """The finding each mark points to (a large audit makes hundreds of thousands: built positionally)."""
    rules = [(r.code, r.name, sev, r.criterion) for r, _, sev in plan]
    new, info = tuple.__new__, Severity.INFO
    found = []
    keep = found.append
    for i, ci, j, due, reminder in marks:
        code, name, sev, criterion = rules[j]
        case, o = cases[ci], outcomes[i]
        # Finding: rule, name, severity, case_id, message, evidence, due_on, criterion, status, record,
        # case_manager, team, waived, waiver_reason, done_on (Outcome: rule, case_id, status, message,
        # evidence, due_on, done_on, record, next_due)
        keep(new(Finding, (code, name, info if reminder else sev, case.case_id, o[3], o[4], due, criterion, o[2], o[7],
                           case.case_manager, case.team, False, None, o[6])))
    return found
