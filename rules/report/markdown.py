"""``--format markdown``: a findings report to paste into a wiki or hand to a team meeting."""

from __future__ import annotations

import re

from rules.report.check import CheckReport
from rules.report.grouping import by_case
from rules.report.text import closed_cases
from rules.words import plural, visible

#: what would make text from the data into markup: a table's pipe, HTML (``<script>``), a link or an
#: image (``[x](javascript:...)``), a code span, an entity (``&#x202e;``), and the backslash itself
_SPECIAL = re.compile(r"([\\|<>\[\]`&])")


def esc(text: str) -> str:
    """Text from the data, inert in Markdown: controls and line breaks shown as escapes
    (:func:`~rules.words.visible`), then every character that would be markup backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", visible(str(text)))


def render(report: CheckReport) -> str:
    s = report.summary()
    out = [
        f"# {esc(report.service) + ': ' if report.service else ''}yos-audit findings as of {report.as_of}",
        "",
        *([f"As of {esc(report.as_of_said)}.", ""] if report.as_of_reason else []),
        (f"{plural(s['cases'], 'case')} audited, {s['rejected']} rejected; {s['errors']} errors, "
         f"{s['warnings']} warnings, {s['info']} due within 5 working days, {s['waived']} waived."),
        "",
    ]
    for case_id, findings in by_case(report.findings, closed_cases(report)):
        case = report.cases.get(case_id)
        who = ", ".join(x for x in (case and case.case_manager, case and case.team) if x)
        out += [f"## {esc(case_id)}" + (f" ({esc(who)})" if who else ""), ""]
        out += ["| severity | rule | due | finding | evidence |", "|---|---|---|---|---|"]
        for f in findings:
            sev = f"{f.severity.value} (waived)" if f.waived else f.severity.value
            out.append(
                f"| {sev} | {f.rule} {f.name} | {f.due_on or ''} | {esc(f.message)} | {esc(', '.join(f.evidence))} |"
            )
        out.append("")
    if report.problems:
        out += ["## Input problems", "", "| level | file | case | field | problem |", "|---|---|---|---|---|"]
        out += [f"| {p.level} | {esc(p.file)} | {esc(p.case_id or '')} | {esc(p.field or '')} | {esc(p.message)} |" for p in report.problems]
        out.append("")
    for title, waivers in (("Expired waivers (no longer waiving)", report.expired_waivers),
                           ("Unused waivers (match no finding)", report.unused_waivers)):
        if waivers:
            out += [f"## {title}", "", "| rule | case | record | until | accepted by | reason |", "|---|---|---|---|---|---|"]
            out += [f"| {w.rule} | {esc(w.case)} | {esc(w.record or '')} | {w.until} | {esc(w.who)} | {esc(w.reason)} |" for w in waivers]
            out.append("")
    return "\n".join(out)
