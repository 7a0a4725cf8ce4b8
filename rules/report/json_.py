"""``--format json``: the JSON of the CLI contract (``shared/spec/cli.md``)."""

from __future__ import annotations

from typing import Any

from rules.engine import Finding
from rules.load import InputProblem
from rules.report import CheckReport
from rules.report import jsontext
from rules.waivers import Waiver


def finding_dict(f: Finding) -> dict[str, Any]:
    out = {
        "rule": f.rule,
        "name": f.name,
        "severity": f.severity.value,
        "case_id": f.case_id,
        "message": f.message,
        "evidence": list(f.evidence),
        "due_on": f.due_on.isoformat() if f.due_on else None,
        "criterion": f.criterion,
        "waived": f.waived,
        "status": f.status.value,
        "record": f.record,
        "case_manager": f.case_manager,
        "team": f.team,
    }
    if f.waived:
        out["waiver_reason"] = f.waiver_reason
    return out


def problem_dict(p: InputProblem) -> dict[str, Any]:
    out = {"level": p.level.value, "file": p.file, "case_id": p.case_id, "field": p.field, "message": p.message}
    if p.row is not None or p.column is not None:  # a cell of a table (CSV or workbook)
        out |= {"row": p.row, "column": p.column}
    return out


def waiver_dict(w: Waiver) -> dict[str, Any]:
    return w.to_toml() | {"until": w.until.isoformat()}


def render(report: CheckReport) -> str:
    doc = {
        "tool": {"name": "yos-audit", "version": report.tool_version},
        "as_of": report.as_of.isoformat(),
        "summary": report.summary(),
        "findings": [finding_dict(f) for f in report.sorted_findings],
        "input_problems": [problem_dict(p) for p in report.problems],
        "waivers": {
            "expired": [waiver_dict(w) for w in report.expired_waivers],
            "unused": [waiver_dict(w) for w in report.unused_waivers],
        },
    }
    return jsontext.dumps(doc) + "\n"
