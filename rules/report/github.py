"""``--format github``: GitHub Actions workflow commands, one annotation a line.

``::error file=caseload.json,title=ROH003 rmp-required (C-0001)::RoSH is HIGH ...`` shows the finding
on the run's summary and beside the file in a pull request. Severity ``error`` gives ``::error``,
``warning`` gives ``::warning``, an info reminder gives ``::notice``; a waived finding is a
``::notice`` saying it is waived and why. Input problems are annotations on their file, and expired
and unused waivers are warnings. A first ``::notice`` says the as-of date and why it was used. There
are no line numbers: a case is not a line.

Values are escaped as the Actions toolkit escapes them (``escapeData`` and ``escapeProperty``):
``%``, CR and LF in the message; also ``:`` and ``,`` in a property, so nothing from an export can
end an annotation early or start a command of its own.
"""

from __future__ import annotations

from rules.load import InputProblem, ProblemLevel
from rules.outcomes import Finding, Severity
from rules.report.check import CheckReport, finding_text

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **props: str | None) -> str:
    given = ",".join(f"{key}={escape_property(value)}" for key, value in props.items() if value)
    return f"::{name}{' ' + given if given else ''}::{escape_data(message)}"


def _finding(f: Finding, file: str | None) -> str:
    message = finding_text(f, due=True)
    title = f"{f.rule} {f.name} ({f.case_id})"
    if f.waived:
        return command("notice", f"waived: {message} (reason: {f.waiver_reason or ''})", file=file, title=f"waived {title}")
    return command(_COMMAND[f.severity], message, file=file, title=title)


def _problem(p: InputProblem) -> str:
    where = ": ".join(x for x in (p.case_id and f"case {p.case_id}", p.field) if x)
    name = "error" if p.level is ProblemLevel.ERROR else "warning"
    return command(name, f"{where}: {p.message}" if where else p.message, file=p.file, title=f"input {name}")


def render(report: CheckReport) -> str:
    lines = [command("notice", f"as of {report.as_of_said}", title="as-of date")] if report.as_of_reason else []
    lines += [_finding(f, report.sources.get(f.case_id)) for f in report.sorted_findings]
    lines += [_problem(p) for p in report.problems]
    for label, waivers in (("expired waiver (no longer waiving)", report.expired_waivers),
                           ("unused waiver (matches no finding)", report.unused_waivers)):
        for w in waivers:
            what = f"{w.rule} {w.case}" + (f" {w.record}" if w.record else "")
            lines.append(command("warning", f"{what}: until {w.until}, accepted by {w.who}: {w.reason}", title=label))
    return "".join(line + "\n" for line in lines)
