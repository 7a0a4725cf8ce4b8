"""Writers of ``check`` output: one module a format, each a pure function of a :class:`CheckReport`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from attrs import field, frozen

from rules import __version__
from rules.engine import Finding, Rule, Severity, finding_sort_key
from rules.load import InputProblem
from rules.model import Case
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

    @property
    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=finding_sort_key)

    def summary(self) -> dict[str, int]:
        """Counts of the CLI contract; errors and warnings leave out waived findings."""
        live = [f for f in self.findings if not f.waived]
        return {
            "cases": len(self.cases),
            "rejected": self.rejected,
            "findings": len(self.findings),
            "errors": sum(f.severity is Severity.ERROR for f in live),
            "warnings": sum(f.severity is Severity.WARNING for f in live),
            "info": sum(f.severity is Severity.INFO for f in live),
            "waived": len(self.findings) - len(live),
        }


def _writers() -> dict[str, Callable[[CheckReport], str]]:
    from rules.report import csv_, json_, markdown, text

    return {"text": text.render, "json": json_.render, "csv": csv_.render, "markdown": markdown.render}


FORMATS: tuple[str, ...] = ("text", "json", "csv", "markdown")


def render(report: CheckReport, fmt: str) -> str:
    return _writers()[fmt](report)
