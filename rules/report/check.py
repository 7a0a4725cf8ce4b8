"""What a ``check`` report holds: the findings of a run with what the writers say beside them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from attrs import field, frozen

from rules import __version__
from rules.load import InputProblem
from rules.model import Case
from rules.outcomes import Finding, Outcome, Severity, finding_sort_key
from rules.registry import Rule
from rules.waivers import Waiver


@frozen
class CheckReport:
    as_of: dt.date
    findings: tuple[Finding, ...]
    problems: tuple[InputProblem, ...] = ()
    rules: tuple[Rule, ...] = ()
    cases: Mapping[str, Case] = field(factory=dict)
    rejected: int = 0
    expired_waivers: tuple[Waiver, ...] = ()
    unused_waivers: tuple[Waiver, ...] = ()
    tool_version: str = __version__
    #: every outcome except NOT_APPLICABLE: a selected rule with none for an audited case did not apply
    outcomes: tuple[Outcome, ...] = ()
    #: the input file each case came from, by case_id
    sources: Mapping[str, str] = field(factory=dict)
    #: findings left out because the ``--since-baseline`` file already holds them (None: no baseline)
    baselined: int | None = None
    #: where the as-of date came from (``option``, ``extract``, ``today``: :mod:`rules.asof`) and why,
    #: in words; None where the report's maker did not say (the formats then leave them out)
    as_of_source: str | None = None
    as_of_reason: str | None = None
    #: the service the cases are of (the export's service.name); None where the maker did not say
    service: str | None = None

    @property
    def as_of_said(self) -> str:
        """``2026-11-20 (given with --as-of)``: the date and why it was used, as the text formats say it."""
        return f"{self.as_of}" + (f" ({self.as_of_reason})" if self.as_of_reason else "")

    @property
    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=finding_sort_key)

    def summary(self) -> dict[str, int]:
        """Counts of the CLI contract; errors and warnings leave out waived findings."""
        live = [f for f in self.findings if not f.waived]
        out = {
            "cases": len(self.cases),
            "rejected": self.rejected,
            "findings": len(self.findings),
            "errors": sum(f.severity is Severity.ERROR for f in live),
            "warnings": sum(f.severity is Severity.WARNING for f in live),
            "info": sum(f.severity is Severity.INFO for f in live),
            "waived": len(self.findings) - len(live),
        }
        if self.baselined is not None:
            out["baselined"] = self.baselined
        return out


def finding_text(f: Finding, due: bool = False) -> str:
    """A finding's message with its evidence (and, if asked, its due date), as the writers show it."""
    text = f.message + (f" (evidence: {', '.join(f.evidence)})" if f.evidence else "")
    return text + (f" [due {f.due_on}]" if due and f.due_on else "")
