"""``--format csv``: one row a finding, for a spreadsheet.

It does not say the as-of date or why it was used: a CSV file has no room for a comment, and a row
or a column that is not a finding would break what reads it. The other formats say both; a script
that needs the date passes ``--as-of`` itself.
"""

from __future__ import annotations

import csv
import io

from rules.report.check import CheckReport

COLUMNS = ["case_id", "case_manager", "team", "rule", "name", "severity", "status", "due_on", "message", "evidence", "record", "criterion", "waived"]


def cell(value: str) -> str:
    """Keep a spreadsheet from reading a value from the export as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def render(report: CheckReport) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for f in report.sorted_findings:
        w.writerow([cell(v) for v in [
            f.case_id, f.case_manager or "", f.team or "", f.rule, f.name, f.severity.value, f.status.value,
            f.due_on.isoformat() if f.due_on else "", f.message, " ".join(f.evidence), f.record or "",
            f.criterion, "yes" if f.waived else "no",
        ]])
    return out.getvalue()
