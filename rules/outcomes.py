"""What a rule says, and what a case manager is told: named, immutable records.

A rule's check returns a :class:`Verdict` (or a list of them, one a record); the engine makes each
into an :class:`Outcome` of a rule on a case, and each outcome to act on into a :class:`Finding`.
They are named tuples: a large audit makes millions, and a tuple is the cheapest record Python has.
Read them by name, never by position.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import NamedTuple


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
