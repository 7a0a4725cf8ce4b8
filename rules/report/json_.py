"""``--format json``: the JSON of the CLI contract (``shared/spec/cli.md``)."""

from __future__ import annotations

import operator
from typing import Any

import msgspec

from rules.load import InputProblem
from rules.outcomes import Finding
from rules.report import jsontext
from rules.report.check import CheckReport
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


#: a finding's fields in the contract's order (as :func:`finding_dict` writes them)
_FIELDS = ("rule", "name", "severity", "case_id", "message", "evidence", "due_on", "criterion", "waived", "status",
           "record", "case_manager", "team")
_fields_of = operator.attrgetter(*_FIELDS)
#: a finding as :func:`finding_dict` writes it, made in C: a report at 100,000 cases holds 611,000,
#: and as dicts they took a few seconds and 400 MiB. msgspec encodes it to the same text (dates in
#: ISO form, the codes as their values, ``waiver_reason`` only when waived: UNSET is left out)
_Finding = msgspec.defstruct("_Finding", [*((name, Any) for name in _FIELDS), ("waiver_reason", Any, msgspec.UNSET)])


def _finding(f: Finding) -> Any:
    return _Finding(*_fields_of(f), f.waiver_reason if f.waived else msgspec.UNSET)


def problem_dict(p: InputProblem) -> dict[str, Any]:
    out = {"level": p.level.value, "file": p.file, "case_id": p.case_id, "field": p.field, "message": p.message}
    if p.row is not None or p.column is not None:  # a cell of a table (CSV or workbook)
        out |= {"row": p.row, "column": p.column}
    return out


def waiver_dict(w: Waiver) -> dict[str, Any]:
    return w.to_toml() | {"until": w.until.isoformat()}


def render(report: CheckReport) -> str:
    return jsontext.dumps(document(report)) + "\n"


def as_of_dict(report: Any) -> dict[str, Any]:
    """``as_of`` and, where the report says them, ``as_of_source`` (``option``, ``extract`` or
    ``today``) and ``as_of_reason`` (in words): of a :class:`CheckReport` or of scores."""
    out: dict[str, Any] = {"as_of": report.as_of.isoformat()}
    if report.as_of_source is not None:
        out |= {"as_of_source": report.as_of_source, "as_of_reason": report.as_of_reason}
    return out


def document(report: CheckReport) -> dict[str, Any]:
    doc = {
        "tool": {"name": "yos-audit", "version": report.tool_version},
        **as_of_dict(report),
        "summary": report.summary(),
        "findings": [_finding(f) for f in report.sorted_findings],
        "input_problems": [problem_dict(p) for p in report.problems],
        "waivers": {
            "expired": [waiver_dict(w) for w in report.expired_waivers],
            "unused": [waiver_dict(w) for w in report.unused_waivers],
        },
    }
    return doc
