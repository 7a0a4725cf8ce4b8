"""``--format text``: findings grouped by case, most urgent first, for a case manager to act on."""

from __future__ import annotations

from rules.facts import CaseView
from rules.outcomes import Severity
from rules.report.check import CheckReport, finding_text
from rules.report.grouping import DUE_SOON, TO_DO, by_case, kind
from rules.words import plural, visible_lines


def _due(f) -> str:
    """When, in the words a case manager plans by."""
    if f.due_on is None:
        return ""
    if f.severity is Severity.INFO:
        return f"due {f.due_on}"
    if f.done_on is not None:
        return f"done late {f.done_on}, was due {f.due_on}"
    return f"overdue since {f.due_on}"


def closed_cases(report: CheckReport) -> set[str]:
    """The cases closed by the as-of date, as the rules see them."""
    return {cid for cid, case in report.cases.items() if CaseView(case, report.as_of).closed_on is not None}


def render(report: CheckReport) -> str:
    lines: list[str] = []
    closed = closed_cases(report)
    actions = {r.code: r.action for r in report.rules}
    for case_id, findings in by_case(report.findings, closed):
        case = report.cases.get(case_id)
        who = " · ".join(x for x in (case and case.case_manager, case and case.team) if x)
        live = [f for f in findings if not f.waived]
        counts = ", ".join(
            plural(n, w) for n, w in (
                (sum(f.severity is Severity.ERROR for f in live), "error"),
                (sum(f.severity is Severity.WARNING for f in live), "warning"),
                (sum(f.severity is Severity.INFO for f in live), "reminder"),
                (len(findings) - len(live), "waived finding"),
            ) if n
        )
        lines.append(f"{case_id}" + (f"  {who}" if who else "") + f"  ({counts})")
        for f in findings:
            sev = "waived" if f.waived else f.severity.value
            due = _due(f)
            lines.append(f"  {sev:<8} {f.rule} {f.name}" + (f"  [{due}]" if due else ""))
            lines.append(f"           {finding_text(f)}")
            if kind(f, closed) in (TO_DO, DUE_SOON) and actions.get(f.rule):
                lines.append(f"           do: {actions[f.rule]}")
            if f.waived and f.waiver_reason:
                lines.append(f"           waived: {f.waiver_reason}")
        lines.append("")
    if report.problems:
        lines.append("Input problems:")
        lines.extend(f"  {p}" for p in report.problems)
        lines.append("")
    for label, waivers in (("Expired waivers (no longer waiving)", report.expired_waivers),
                           ("Unused waivers (match no finding)", report.unused_waivers)):
        if waivers:
            lines.append(f"{label}:")
            lines.extend(f"  {w.rule} {w.case}" + (f" {w.record}" if w.record else "") + f" (until {w.until}, {w.who})" for w in waivers)
            lines.append("")
    s = report.summary()
    tail = (f"{report.service}: " if report.service else "") + f"{plural(s['cases'], 'case')} audited as of {report.as_of_said}"
    if s["rejected"]:
        tail += f", {s['rejected']} rejected for input errors"
    tail += f": {plural(s['errors'], 'error')}, {plural(s['warnings'], 'warning')}"
    if s["info"]:
        tail += f", {s['info']} due within 5 working days"
    if s["waived"]:
        tail += f", {s['waived']} waived"
    if s.get("baselined"):
        tail += f"; {s['baselined']} more already in the baseline, not shown"
    lines.append(tail + ".")
    return visible_lines(lines) + "\n"  # nothing from the data can move the cursor or start a line
