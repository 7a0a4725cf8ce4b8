"""The audit: a frozen :class:`Plan` (as-of date, rules, their options and severities) run over cases.

Every case is judged on its own, each rule once, in case order then rule order. What happened after
the as-of date does not exist; a case that has not started by then has nothing to audit. A NOT_MET
outcome is a finding, and so is a duty not yet due that falls due within
:data:`DUE_SOON_WORKING_DAYS` (an info reminder).

A run keeps every outcome (scores and JUnit count the met ones too), or, asked with
``outcomes=False``, only the findings: most outcomes are MET, and a report of findings never reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from attrs import frozen

from rules.calendar import add_working_days
from rules.facts import CaseView
from rules.model import Case, Caseload
from rules.outcomes import Finding, Outcome, Severity, Status, Verdict
from rules.registry import Rule

#: A PENDING outcome due within this many working days of the as-of date gives an info finding.
DUE_SOON_WORKING_DAYS = 5

Progress = Callable[[int, int], None]


class Step(NamedTuple):
    """One rule of a plan, with the options and severity it runs with."""

    rule: Rule
    options: Mapping[str, Any]
    severity: Severity


@frozen
class Plan:
    """What an audit runs: every rule with its options (the rule's defaults, then the config's) and
    severity, as of one date."""

    as_of: dt.date
    steps: tuple[Step, ...]

    @classmethod
    def of(
        cls,
        as_of: dt.date,
        rules: Sequence[Rule] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        severities: Mapping[str, Severity] | None = None,
    ) -> Plan:
        """The plan of ``rules`` (default: the whole catalogue), ``options`` and ``severities`` by rule code."""
        if rules is None:
            from rules.catalogue import all_rules

            rules = tuple(all_rules().values())
        options = options or {}
        severities = severities or {}
        return cls(as_of, tuple(
            Step(r, {**r.options, **options.get(r.code, {})}, Severity(severities.get(r.code, r.severity))) for r in rules
        ))

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(s.rule for s in self.steps)


@frozen
class Audit:
    as_of: dt.date
    rules: tuple[Rule, ...]
    cases: tuple[Case, ...]
    #: every outcome except NOT_APPLICABLE, in case order then rule order (none if not kept)
    outcomes: tuple[Outcome, ...]
    findings: tuple[Finding, ...]
    #: whether the run kept its outcomes (``outcomes=False``: findings only, and ``outcomes`` is empty)
    outcomes_kept: bool = True


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
    progress: Progress | None = None,
    *,
    outcomes: bool = True,
) -> Audit:
    """Run the rules over every case as of ``as_of``: :func:`run` of :meth:`Plan.of` these arguments."""
    return run(Plan.of(as_of, rules, options, severities), caseload, progress, outcomes=outcomes)


def run(
    plan: Plan, caseload: Caseload | Iterable[Case], progress: Progress | None = None, *, outcomes: bool = True
) -> Audit:
    """The plan over every case; ``progress`` is called with (cases done, cases in all) as it goes.
    With ``outcomes=False`` only the findings are kept (:attr:`Audit.outcomes` is empty)."""
    cases = tuple(caseload.cases if isinstance(caseload, Caseload) else caseload)
    as_of = plan.as_of
    soon = add_working_days(as_of, DUE_SOON_WORKING_DAYS)
    kept: list[Outcome] = []
    findings: list[Finding] = []
    total = len(cases)
    # the hot loop of a large audit (millions of outcomes): evaluate() inlined, and records made with
    # tuple.__new__ in their fields' order (NamedTuple's own constructor is a Python call)
    na, not_met, pending, info = Status.NOT_APPLICABLE, Status.NOT_MET, Status.PENDING, Severity.INFO
    new = tuple.__new__
    keep, find = kept.append if outcomes else None, findings.append
    steps = [(s.rule.check, s.rule.code, s.rule.name, s.severity, s.rule.criterion, s.options) for s in plan.steps]
    # one object for each distinct message and evidence: most repeat (the same dates, the same ids),
    # and a large audit keeps millions of outcomes (a message is a str, evidence a tuple: one table holds both)
    interned = {}.setdefault
    for done, case in enumerate(cases, 1):
        if case.start_date <= as_of:  # a case that has not started yet has nothing to audit
            view, cid = CaseView(case, as_of), case.case_id
            for check, code, name, severity, criterion, opts in steps:
                result = check(view, opts)
                if result is None:
                    continue
                for v in (result,) if result.__class__ is Verdict else result:
                    status = v.status
                    if status is na:
                        continue
                    if keep is not None:
                        message, evidence = interned(v.message, v.message), interned(v.evidence, v.evidence)
                        keep(new(Outcome, (code, cid, status, message, evidence, v.due_on, v.done_on, v.record, v.next_due)))
                    if status is not_met:
                        due, sev = v.due_on, severity
                    else:
                        due = v.due_on if status is pending else v.next_due
                        if due is None or not as_of <= due <= soon:
                            continue
                        sev = info  # a reminder: due within days
                    if keep is None:  # not interned above
                        message, evidence = interned(v.message, v.message), interned(v.evidence, v.evidence)
                    find(new(Finding, (code, name, sev, cid, message, evidence, due, criterion, status, v.record,
                                       case.case_manager, case.team, False, None, v.done_on)))
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)
    return Audit(as_of, plan.rules, cases, tuple(kept), tuple(findings), outcomes)
