"""Findings grouped by case, most urgent first: the order a case manager reads them in.

Urgent means something to do now: a gap still open on an open case comes first, then what falls due
within days, then gaps that can no longer be closed (the case has closed), then work that was done
late (history that counts in an inspection, but no task). Waived findings come last.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable

from rules.outcomes import Finding, Severity

TO_DO, DUE_SOON, MISSED, DONE_LATE, WAIVED = range(5)


def kind(f: Finding, closed: Collection[str] = ()) -> int:
    if f.waived:
        return WAIVED
    if f.severity is Severity.INFO:
        return DUE_SOON
    if f.done_on is not None:
        return DONE_LATE
    return MISSED if f.case_id in closed else TO_DO


def finding_urgency(f: Finding, closed: Collection[str] = ()) -> tuple:
    """Sort key within a case: what to do now first, then severity, then the earliest due date."""
    return (kind(f, closed), f.severity.rank, f.due_on or dt.date.max, f.rule, f.record or "")


def by_case(findings: Iterable[Finding], closed: Collection[str] = ()) -> list[tuple[str, list[Finding]]]:
    """(case_id, findings) with the most urgent case first: the most things to do now, then the
    earliest due. ``closed`` holds the ids of cases that have closed."""
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[f.case_id].append(f)
    for fs in groups.values():
        fs.sort(key=lambda f: finding_urgency(f, closed))

    def urgency(item: tuple[str, list[Finding]]) -> tuple:
        case_id, fs = item
        first = fs[0]
        to_do = sum(1 for f in fs if kind(f, closed) == TO_DO and f.severity is Severity.ERROR)
        return (kind(first, closed), first.severity.rank, -to_do, first.due_on or dt.date.max, case_id)

    return sorted(groups.items(), key=urgency)
