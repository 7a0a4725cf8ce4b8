"""The rule shape and the registry: :class:`Rule`, its declared :class:`Option` s, and :func:`rule`.

A rule is one small function decorated with :func:`rule`. Its docstring is its documentation (the
first line is the summary; ``Checks:``, ``Why:``, ``Do:`` and ``Choices:`` sections follow), its examples are
TOML fragments of one case that the tests run, and its options are the timescales a service may set,
each declared once with the values it may take (the config is checked against them and ``yos-audit
init`` writes them into its template). It takes a :class:`~rules.facts.CaseView` and its options and
returns ``None`` (not applicable), one :class:`~rules.outcomes.Verdict`, or a list of them for rules
that judge each record on its own. The catalogue (:mod:`rules.catalogue`) registers every rule.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from attrs import field, frozen

from rules.facts import CaseView
from rules.outcomes import Severity, Verdict


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
