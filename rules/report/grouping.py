"""Findings grouped by case, most urgent first: the order a case manager reads them in."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from rules.engine import Finding


def finding_urgency(f: Finding) -> tuple:
    """Live before waived, then errors, warnings, info; then the earliest due date."""
    return (f.waived, f.severity.rank, f.due_on or dt.date.max, f.rule, f.record or "")


def by_case(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """(case_id, findings) with the most urgent case first: most live errors, then earliest due."""
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[f.case_id].append(f)
    for fs in groups.values():
        fs.sort(key=finding_urgency)

    def urgency(item: tuple[str, list[Finding]]) -> tuple:
        case_id, fs = item
        first = fs[0]
        errors = sum(1 for f in fs if not f.waived and f.severity.rank == 0)
        return (first.waived, first.severity.rank, -errors, first.due_on or dt.date.max, case_id)

    return sorted(groups.items(), key=urgency)
