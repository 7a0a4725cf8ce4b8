"""Indicators: what the records suggest a reviewer would answer to each key question of each case.

For a case and a question, the outcomes of the question's indicator rules on that case give the
indicated answer (``shared/domain/frameworks.md``): ``no`` if any of them is NOT_MET as a finding to act
on (an error or a warning, not waived), ``yes`` if at least one is MET and none is such a NOT_MET,
otherwise none. A waived finding, or one the config made ``info``, does not count either way: the case
is indicated by the other rules' outcomes. Indicated answers are worked out for every case a question
covers, reviewed or not; a reviewer sees the indication and its evidence, never a pre-filled answer.

At 100,000 cases an audit holds millions of outcomes: they are read once, into the set of cases where
each rule was met and the set where it was not met, and each question is then a few set operations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from attrs import frozen

from rules.frameworks import Framework, Question
from rules.model import Case
from rules.outcomes import Finding, Outcome, Severity, Status

YES, NO = "yes", "no"


@frozen(eq=False)
class Indications:
    """The indicated answers of every covered case, for each question of a framework."""

    framework: Framework
    #: question id -> the case ids indicated yes / no (only cases the question's standard covers)
    yes: Mapping[str, frozenset[str]]
    no: Mapping[str, frozenset[str]]
    #: standard id -> the case ids it covers
    covered: Mapping[str, frozenset[str]]

    def of(self, question_id: str, case_id: str) -> str | None:
        if case_id in self.no.get(question_id, ()):
            return NO
        if case_id in self.yes.get(question_id, ()):
            return YES
        return None

    def counts(self, question_id: str) -> tuple[int, int]:
        """(cases indicated yes, cases indicated no)."""
        return len(self.yes.get(question_id, ())), len(self.no.get(question_id, ()))


def covered_cases(framework: Framework, cases: Iterable[Case]) -> dict[str, frozenset[str]]:
    """Standard id -> the ids of the cases it covers (by outcome group)."""
    by_group: dict[object, list[str]] = defaultdict(list)
    for c in cases:
        by_group[c.group].append(c.case_id)
    return {s.id: frozenset(cid for g in s.covers for cid in by_group.get(g, ())) for s in framework.standards}


def indicate(
    framework: Framework, cases: Sequence[Case], outcomes: Iterable[Outcome], findings: Iterable[Finding],
    codes: Iterable[str] | None = None,
) -> Indications:
    """The indications of ``framework``'s questions over ``cases``.

    ``outcomes`` are the audit's; ``findings`` the audit's findings with waivers applied (a waived
    finding has ``waived`` set). ``codes`` are the rules the audit ran (default: those in the outcomes).
    """
    outcomes = tuple(outcomes) if not isinstance(outcomes, (tuple, list)) else outcomes
    if codes is None:
        codes = {o[0] for o in outcomes}
    codes = tuple(codes)
    rules_of = {q.id: tuple(c for c in codes if q.indicated_by(c)) for q in framework.questions}
    wanted = {c for rs in rules_of.values() for c in rs}
    met: dict[str, set[str]] = {c: set() for c in wanted}
    failed: dict[str, set[str]] = {c: set() for c in wanted}
    MET = Status.MET
    for o in outcomes:  # fields by index: rule, case_id, status (an Outcome is a tuple)
        if o[2] is MET:
            s = met.get(o[0])
            if s is not None:
                s.add(o[1])
    counting = (Severity.ERROR, Severity.WARNING)
    NOT_MET = Status.NOT_MET
    for f in findings:
        if f.status is NOT_MET and not f.waived and f.severity in counting:
            s = failed.get(f.rule)
            if s is not None:
                s.add(f.case_id)
    covered = covered_cases(framework, cases)
    yes: dict[str, frozenset[str]] = {}
    no: dict[str, frozenset[str]] = {}
    for q in framework.questions:
        scope = covered.get(q.standard, frozenset())
        rules = rules_of[q.id]
        bad = frozenset().union(*(failed[c] for c in rules)) & scope
        good = frozenset().union(*(met[c] for c in rules)) & scope
        no[q.id] = bad
        yes[q.id] = good - bad
    return Indications(framework, yes, no, covered)


class Evidence(NamedTuple):
    """One indicator rule's outcome on a case, as a reviewer sees it beside a question."""

    rule: str
    status: Status
    message: str
    #: the finding's severity (NOT_MET and due-soon outcomes), and whether it was waived
    severity: Severity | None = None
    waived: bool = False

    @property
    def counts(self) -> str | None:
        """What it says for the indication: ``yes``, ``no`` or None (pending, waived, info)."""
        if self.status is Status.MET:
            return YES
        if self.status is Status.NOT_MET and not self.waived and self.severity in (Severity.ERROR, Severity.WARNING):
            return NO
        return None


def evidence(question: Question, outcomes: Iterable[Outcome], findings: Iterable[Finding]) -> list[Evidence]:
    """The indicator rules' outcomes on one case (its ``outcomes`` and ``findings``), not-met first."""
    by_key = {}
    for f in findings:
        if question.indicated_by(f.rule):
            by_key[(f.rule, f.message, f.record)] = f
    out = []
    for o in outcomes:
        if not question.indicated_by(o.rule):
            continue
        f = by_key.get((o.rule, o.message, o.record))
        out.append(Evidence(o.rule, o.status, o.message, f.severity if f else None, bool(f and f.waived)))
    order = {"no": 0, "yes": 2, None: 1}
    out.sort(key=lambda e: (order[e.counts], e.rule))
    return out


def indicated_answer(items: Iterable[Evidence]) -> str | None:
    """The indication the evidence of one case gives (the same rule as :func:`indicate`)."""
    said = {e.counts for e in items}
    return NO if NO in said else YES if YES in said else None
